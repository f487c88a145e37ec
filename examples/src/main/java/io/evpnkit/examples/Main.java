package io.evpnkit.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code evpnkit.jar}: {@code java -jar examples/target/evpnkit.jar <command>}.
 * Exit status: 0 success, 1 failure while running (unreadable file), 2 usage error.
 */
@Command(
    name = "evpnkit",
    mixinStandardHelpOptions = true,
    version = "evpnkit 0.1.0-SNAPSHOT",
    description = "EVPN and VXLAN tools built on evpnkit.",
    subcommands = {DecodeCommand.class, DemoCommand.class, RouteCommand.class, ConfigCommand.class,
        PolicyCommand.class, FabricCommand.class, CommandLine.HelpCommand.class})
public final class Main {
  Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (for tests). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    return cl.execute(args);
  }
}
