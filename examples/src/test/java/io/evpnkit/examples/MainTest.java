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
  @ValueSource(strings = {"", "decode", "demo", "route"})
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

  @Test
  void routeShowsBothTextFormsAndTheBytes() {
    assertEquals(0, run("route", "--json", "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d::10.0.0.5/304"));
    String json = out.toString();
    assertTrue(json.contains("\"frr\":\"[2]:[100]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5]\""), json);
    assertTrue(json.contains("\"hex\":\"022500010102030c0001"), json);
    assertEquals(1, run("route", "3:1.2.3.11:1::100::1.2.3/304"));
    assertTrue(err.toString().contains("^"), err::toString);
    assertEquals(2, run("route", "[3]:[100]:[32]:[1.2.3.11]"));
  }
}
