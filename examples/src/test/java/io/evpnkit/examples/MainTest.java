package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class MainTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new Main());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "decode", "demo"})
  void everyCommandHasHelp(String command) {
    int status = command.isEmpty() ? run("--help") : run(command, "--help");
    assertEquals(0, status);
    assertTrue(out.toString().contains("Usage: evpnkit"), out::toString);
  }

  @Test
  void usageErrorsExitWithTwo() {
    assertEquals(2, run("decode"));
    assertEquals(2, run("decode", "--vxlan-port", "70000", "x.pcap"));
    assertEquals(2, run("no-such-command"));
  }

  @Test
  void unreadableOrMalformedCapturesExitWithOne(@TempDir Path dir) throws Exception {
    assertEquals(1, run("decode", dir.resolve("missing.pcap").toString()));
    assertTrue(err.toString().contains("missing.pcap"));
    Path junk = dir.resolve("junk.pcap");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    assertEquals(1, run("decode", junk.toString()));
    assertTrue(err.toString().contains("magic"), err::toString);
  }

  @Test
  void demoPingsAcrossTwoVtepsAndItsCaptureDecodes(@TempDir Path dir) {
    Path pcap = dir.resolve("demo.pcap");
    assertEquals(0, run("demo", "--port", "0", "--pings", "1", "--pcap", pcap.toString()), err::toString);
    assertTrue(out.toString().contains("1 of 1 echo requests answered"), out::toString);
    out.getBuffer().setLength(0);
    assertEquals(0, run("decode", "--json", pcap.toString()));
    String[] lines = out.toString().strip().lines().toArray(String[]::new);
    assertEquals(4, lines.length, out::toString);
    for (String line : lines) {
      assertTrue(line.contains("\"vni\":100") && line.contains("\"error\":null"), line);
    }
  }
}
