package io.evpnkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code evpnkit.jar}: {@code java -jar examples/target/evpnkit.jar <command>}. Exit
 * status: 0 success, 1 failure while running (unreadable file), 2 usage error.
 */
@Command(
    name = "evpnkit",
    mixinStandardHelpOptions = true,
    usageHelpAutoWidth = true,
    versionProvider = Main.Version.class,
    description = "EVPN and VXLAN tools built on evpnkit.",
    subcommands = {
      DecodeCommand.class,
      DemoCommand.class,
      RouteCommand.class,
      ConfigCommand.class,
      PolicyCommand.class,
      FabricCommand.class,
      BgpCommand.class,
      TorAgentCommand.class,
      VtepCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {
  Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(new java.io.FileOutputStream(java.io.FileDescriptor.out), System.err, args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    return run(System.out, System.err, args);
  }

  /**
   * Runs the command line with {@code stdout} as standard output and returns its exit status: 2 for
   * an unknown command whatever follows it (not the main help for {@code evpnkit nosuch --help}), 1
   * when standard output could not be written (a full disk), the command's own status when the
   * reader of a pipe went away (as {@code | head} does: the commands stop early).
   */
  static int run(java.io.OutputStream stdout, java.io.PrintStream stderr, String... args) {
    Output output = new Output(stdout);
    java.io.PrintWriter out = new java.io.PrintWriter(output, true);
    java.io.PrintWriter err =
        new java.io.PrintWriter(
            new java.io.OutputStreamWriter(stderr, java.nio.charset.StandardCharsets.UTF_8), true);
    CommandLine cl = new CommandLine(new Main());
    cl.setUsageHelpAutoWidth(
        true); // descriptions are paragraphs: picocli wraps them to the terminal
    cl.setOut(out);
    cl.setErr(err);
    if (args.length > 0 && !args[0].startsWith("-") && !cl.getSubcommands().containsKey(args[0])) {
      err.println(
          "evpnkit: unknown command '"
              + args[0]
              + "' (commands: "
              + String.join(", ", cl.getSubcommands().keySet())
              + "; evpnkit --help)");
      return 2;
    }
    int status = cl.execute(args);
    out.flush();
    java.io.IOException failure = output.failure();
    if (failure != null && !Output.isBrokenPipe(failure)) {
      err.println("evpnkit: cannot write standard output: " + failure.getMessage());
      return 1;
    }
    return status;
  }

  /** The version the build wrote into {@code version.properties}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws java.io.IOException {
      java.util.Properties p = new java.util.Properties();
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {"evpnkit " + p.getProperty("version", "(unknown version)")};
    }
  }
}
