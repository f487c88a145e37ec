package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
  @ValueSource(strings = {"", "decode", "demo", "route", "config", "policy", "fabric"})
  void everyCommandHasHelp(String command) {
    int status = command.isEmpty() ? run("--help") : run(command, "--help");
    assertEquals(0, status);
    assertTrue(out.toString().contains("Usage: evpnkit"), out::toString);
  }

  static final String SEED =
      """
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      switch-options { vrf-import imp; vrf-target { target:1111:11; auto; } }
      protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
      policy-options {
          policy-statement imp {
              term 1 { from community comglobal; then { local-preference 300; accept; } }
              term 100 { then reject; }
          }
          community comglobal members target:1111:11;
      }
      """;

  @Test
  void configPrintsTheModelOrEveryProblemWithItsPlace(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.conf");
    Files.writeString(good, SEED);
    assertEquals(0, run("config", good.toString()), err::toString);
    assertTrue(
        out.toString().contains("    vrf-target {\n        target:1111:11;\n        auto;\n    }"),
        out::toString);
    out.getBuffer().setLength(0);
    assertEquals(0, run("config", "--json", good.toString()));
    assertTrue(out.toString().contains("\"extendedVniList\": [100]"), out::toString);
    out.getBuffer().setLength(0);
    assertEquals(0, run("config", "--set", good.toString()));
    assertTrue(out.toString().contains("set vlans v100 vxlan vni 100\n"), out::toString);
    Path bad = dir.resolve("bad.conf");
    Files.writeString(
        bad, "vlans {\n  v1 { vlan-id 0; }\n}\nswitch-options { vrf-import nope; }\n");
    assertEquals(2, run("config", bad.toString()));
    assertTrue(
        err.toString().contains("bad.conf:2:16: vlan-id 0: expected a number in 1..4094"),
        err::toString);
    assertTrue(
        err.toString().contains("bad.conf:4:29: vrf-import nope: no such policy-statement"),
        err::toString);
    Files.writeString(bad, "vlans {\n  v1 { vlan-id 1 }\n");
    assertEquals(2, run("config", bad.toString()));
    assertTrue(
        err.toString().contains("bad.conf:2:18: expected ';' or '{' after \"1\""), err::toString);
    assertEquals(1, run("config", dir.resolve("missing.conf").toString()));
  }

  @Test
  void policyEvaluatesARouteAndSaysWhichTermDecided(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("seed.conf");
    Files.writeString(conf, SEED);
    String route = "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304";
    assertEquals(
        0,
        run("policy", conf.toString(), "imp", route, "--community", "target:1111:11"),
        err::toString);
    assertTrue(
        out.toString().startsWith("accept (policy imp term 1)\nlocal-preference 300\n"),
        out::toString);
    out.getBuffer().setLength(0);
    assertEquals(
        0, run("policy", "--json", "--instance", conf.toString(), "default-switch", route));
    assertTrue(out.toString().contains("\"decision\": \"reject\""), out::toString);
    assertTrue(out.toString().contains("\"term\": \"100\""), out::toString);
    out.getBuffer().setLength(0);
    assertEquals(
        0,
        run(
            "policy",
            conf.toString(),
            "imp",
            "[2]:[0]:[48]:[00:00:0a:0b:0c:0d]",
            "--rd",
            "1.2.3.12:1",
            "--community",
            "target:1111:11",
            "--community",
            "encapsulation:vxlan",
            "--community",
            "65000:1"));
    assertTrue(out.toString().startsWith("accept (policy imp term 1)"), out::toString);
    assertEquals(2, run("policy", conf.toString(), "nope", route));
    assertTrue(err.toString().contains("no policy-statement nope (policies: imp)"), err::toString);
    assertEquals(1, run("policy", conf.toString(), "imp", "2:junk"));
    assertTrue(
        err.toString().contains("  2:junk\n"),
        err::toString); // the text with a caret under the place
    assertEquals(
        2, run("policy", conf.toString(), "imp", "[2]:[0]:[48]:[00:00:0a:0b:0c:0d]"), "no --rd");
    assertTrue(err.toString().contains("an FRR-form route needs --rd"), err::toString);
    assertEquals(1, run("policy", conf.toString(), "imp", route, "--community", "target:x"));
    assertEquals(2, run("policy", conf.toString(), "imp", route, "--protocol", "ospf"));
  }

  @Test
  void aDemoCaptureThatCannotBeWrittenIsAnIoFailureWithoutAStackTrace(@TempDir Path dir) {
    assertEquals(
        1, run("demo", "--pcap", dir.resolve("no/such/dir/x.pcap").toString(), "--port", "0"));
    assertTrue(err.toString().contains("cannot write"), err::toString);
    assertTrue(err.toString().contains("no such directory"), err::toString);
    assertTrue(!err.toString().contains("Exception"), err::toString);
  }

  @Test
  void theDecksStoryHoldsOnAnIpv6Underlay(@TempDir Path dir) throws Exception {
    // the same leaves with IPv6 VTEPs: router ids (10.255.0.N) give the route distinguishers,
    // routes carry IPv6 next
    // hops, originators and PMSI endpoints, and every expectation of the story holds
    String story =
        FabricCommand.STORY
            .replace("leaf leaf1 10.0.0.11", "leaf leaf1 2001:db8::11")
            .replace("leaf leaf2 10.0.0.12", "leaf leaf2 2001:db8::12")
            .replace("leaf leaf3 10.0.0.13", "leaf leaf3 2001:db8::13");
    Path s = dir.resolve("ipv6.scenario");
    Files.writeString(s, story);
    assertEquals(0, run("fabric", "--scenario", s.toString()), () -> out + " " + err);
    String o = out.toString();
    assertTrue(o.contains("moved remote 2001:db8::11 -> local xe-0/0/1.0 (sequence 1)"), o);
    assertTrue(o.contains("ok: bms1 at leaf3 is aliased leaf2"), o);
    assertTrue(o.contains("2:10.255.0.11:1::100::"), o);
    assertTrue(!o.contains("FAILED"), o);
  }

  @Test
  void theFabricPlaysTheDecksStoryAndEveryExpectationHolds() {
    assertEquals(0, run("fabric"), err::toString);
    String o = out.toString();
    assertTrue(o.contains("moved remote 10.0.0.11 -> local xe-0/0/1.0 (sequence 1)"), o);
    assertTrue(o.contains("ok: bms1 at leaf3 is aliased leaf2"), o);
    assertTrue(o.contains("BGP UPDATE messages"), o);
    assertTrue(!o.contains("FAILED"), o);
  }

  @Test
  void fabricSegmentsSingleActiveWithPreferenceOrHrwAndTheirFailover(@TempDir Path dir)
      throws Exception {
    Path s = dir.resolve("sa.txt");
    Files.writeString(
        s,
        """
        leaf leaf1 10.0.0.11
        leaf leaf2 10.0.0.12
        leaf leaf3 10.0.0.13
        segment sa 00:33:33:33:33:33:33:33:33:33 leaf2 leaf1 single-active df preference
        segment hr 00:44:44:44:44:44:44:44:44:44 leaf1 leaf3 df hrw
        host bms1 00:00:5e:00:53:02 vni 100 at sa via leaf2
        tick 3s
        expect leaf1 df sa 100 leaf2
        expect leaf1 df sa 101 leaf2
        expect leaf3 bms1 aliased leaf2
        fail sa leaf2
        expect leaf3 bms1 aliased leaf1
        show leaf3 df
        show leaf1 df
        """);
    assertEquals(0, run("fabric", "--scenario", s.toString()), out::toString);
    String o = out.toString();
    assertTrue(
        o.contains("ok: the DF of sa VLAN 100 at leaf1 is leaf2"),
        o); // leaf2 listed first: preferred
    assertTrue(
        o.contains("ok: bms1 at leaf3 is aliased leaf2"),
        o); // single-active: leaf2 alone, no aliasing
    assertTrue(
        o.contains("ok: bms1 at leaf3 is aliased leaf1"), o); // leaf2's link failed: the backup
    assertTrue(o.contains("hr         hrw        VLAN 100"), o);
    Files.writeString(s, "leaf l1 10.0.0.1\nsegment x 00:33:33:33:33:33:33:33:33:33 l1 df fast\n");
    assertEquals(2, run("fabric", "--scenario", s.toString()));
    assertTrue(err.toString().contains("sa.txt:2: df what: mod, hrw or preference"), err::toString);
  }

  @Test
  void fabricScenariosReportTheirProblemsAndFailedExpectations(@TempDir Path dir) throws Exception {
    Path s = dir.resolve("s.txt");
    Files.writeString(
        s,
        """
        leaf l1 10.0.0.1
        leaf l2 10.0.0.2
        host h 00:00:00:00:00:01 vni 100 at l1
        expect l2 h remote l1
        expect l2 h local
        """);
    assertEquals(1, run("fabric", "--scenario", s.toString()));
    assertTrue(out.toString().contains("ok: h at l2 is remote l1"), out::toString);
    assertTrue(out.toString().contains("FAILED: h at l2 is remote l1"), out::toString);
    // a tick that would overflow the clock or turn it back is a usage error with its place, not a
    // stack trace
    for (String tick : new String[] {"99999999h", "-100s", "9223372036854775807ms", "3x"}) {
      err.getBuffer().setLength(0);
      Files.writeString(s, "leaf l1 10.0.0.1\ntick " + tick + "\n");
      assertEquals(2, run("fabric", "--scenario", s.toString()), tick);
      assertTrue(err.toString().contains("s.txt:2: duration " + tick), err::toString);
      assertTrue(!err.toString().contains("Exception"), err::toString);
    }
    Files.writeString(s, "leaf l1 10.0.0.1\nhost h 00:00:00:00:00:01 vni 100 at nowhere\n");
    assertEquals(2, run("fabric", "--scenario", s.toString()));
    assertTrue(err.toString().contains("s.txt:2: no leaf nowhere (leaves: l1)"), err::toString);
    out.getBuffer().setLength(0);
    Files.writeString(
        s,
        """
        leaf l1 10.0.0.1
        leaf l2 10.0.0.2
        host h 00:00:00:00:00:01 vni 100 at l1
        show l2 macs
        """);
    assertEquals(0, run("fabric", "--json", "--scenario", s.toString()));
    String line =
        out.toString()
            .strip()
            .lines()
            .filter(l -> l.startsWith("{\"show\""))
            .findFirst()
            .orElse("");
    assertTrue(line.startsWith("{\"show\": \"show l2 macs\", \"leaf\": \"l2\""), out::toString);
    assertTrue(line.contains("\"mac\": \"00:00:00:00:00:01\", \"destination\": \"vtep\""), line);
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
    assertEquals(
        0, run("demo", "--port", "0", "--pings", "1", "--pcap", pcap.toString()), err::toString);
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
    assertTrue(
        json.contains("\"frr\":\"[2]:[100]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5]\""), json);
    assertTrue(json.contains("\"hex\":\"022500010102030c0001"), json);
    assertEquals(1, run("route", "3:1.2.3.11:1::100::1.2.3/304"));
    assertTrue(err.toString().contains("^"), err::toString);
    assertEquals(2, run("route", "[3]:[100]:[32]:[1.2.3.11]"));
  }

  /** An Ethernet/IPv4/TCP frame from 127.0.0.1:40000 to 127.0.0.2:179 carrying {@code payload}. */
  static byte[] bgpSegment(long seq, int flags, byte[] payload) {
    return io.evpnkit.testkit.TcpFrames.toBgp(40000, seq, flags, payload);
  }

  /** {@code n} BGP KEEPALIVEs (RFC 4271 §4.4: the marker, length 19, type 4). */
  static byte[] keepalives(int n) {
    byte[] out = new byte[19 * n];
    for (int k = 0; k < n; k++) {
      java.util.Arrays.fill(out, 19 * k, 19 * k + 16, (byte) 0xFF);
      out[19 * k + 17] = 19;
      out[19 * k + 18] = 4;
    }
    return out;
  }

  @Test
  void decodeReportsABgpHoleNeverFilledDecodesWhatFollowsItAndExitsOne(@TempDir Path dir)
      throws Exception {
    Path pcap = dir.resolve("hole.pcap");
    try (io.evpnkit.testkit.PcapWriter w = io.evpnkit.testkit.PcapWriter.create(pcap)) {
      w.write(1, bgpSegment(1000, 0x02, new byte[0]));
      w.write(2, bgpSegment(1001, 0x18, keepalives(1)));
      // bytes 1020..1038, one KEEPALIVE, were never captured
      w.write(3, bgpSegment(1039, 0x18, keepalives(2)));
    }
    assertEquals(1, run("decode", "--json", pcap.toString()), err::toString);
    List<String> lines = out.toString().strip().lines().toList();
    assertEquals(4, lines.size(), out::toString);
    assertTrue(
        lines.get(1).contains("\"type\":\"tcp-gap\"") && lines.get(1).contains("\"missing\":19"),
        lines::toString);
    assertEquals(3, lines.stream().filter(l -> l.contains("KEEPALIVE")).count(), out::toString);
    assertTrue(err.toString().contains("BGP bytes lost: 19"), err::toString);
  }

  @Test
  void decodeTakesASynInTheMiddleOfAStreamForANewConnection(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("restart.pcap");
    byte[] one = keepalives(1);
    try (io.evpnkit.testkit.PcapWriter w = io.evpnkit.testkit.PcapWriter.create(pcap)) {
      w.write(1, bgpSegment(1000, 0x02, new byte[0]));
      w.write(
          2,
          bgpSegment(
              1001,
              0x18,
              java.util.Arrays.copyOf(one, 10))); // half a message, then the peer restarts
      w.write(3, bgpSegment(7000, 0x02, new byte[0]));
      w.write(4, bgpSegment(7001, 0x18, keepalives(2)));
      w.write(
          5,
          bgpSegment(
              1000, 0x02, new byte[0])); // a late copy of the first SYN: another connection again
    }
    assertEquals(0, run("decode", pcap.toString()), err::toString);
    assertEquals(
        2, out.toString().lines().filter(l -> l.contains("KEEPALIVE")).count(), out::toString);
    assertFalse(out.toString().contains("error"), out::toString);
  }

  @Test
  void theFloodListsShowAsJunosShowsThem() {
    assertEquals(0, run("fabric"), err::toString);
    String o = out.toString();
    assertTrue(
        o.contains(
            "show ethernet-switching flood\n   VNI        Ingress replication to\n   100        "),
        o);
    assertFalse(o.contains("flood lists (ingress replication): {"), o);
  }

  /** An output stream that fails as a full disk or a closed pipe does, counting what was tried. */
  static final class Failing extends java.io.OutputStream {
    final String reason;
    int writes;

    Failing(String reason) {
      this.reason = reason;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      writes++;
      throw new java.io.IOException(reason);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      writes++;
      throw new java.io.IOException(reason);
    }
  }

  @Test
  void anUnknownCommandExitsTwoWhateverFollowsIt() {
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    assertEquals(
        2,
        Main.run(
            stdout,
            new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8),
            "bpg",
            "--help"));
    assertTrue(
        stderr.toString(java.nio.charset.StandardCharsets.UTF_8).contains("unknown command 'bpg'"),
        () -> stderr.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(0, stdout.size(), "no main help on standard output");
    assertEquals(
        0,
        Main.run(
            stdout,
            new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8),
            "route",
            "--help"));
  }

  @Test
  void aFullDiskIsAnErrorWithExitOne() {
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    assertEquals(
        1,
        Main.run(
            new Failing("No space left on device"),
            new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8),
            "route",
            "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304"));
    assertTrue(
        stderr
            .toString(java.nio.charset.StandardCharsets.UTF_8)
            .contains("cannot write standard output: No space left on device"),
        () -> stderr.toString(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void aReaderThatGoesAwayStopsDecodeEarlyAndQuietly(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("many.pcap");
    int messages = 4000;
    try (io.evpnkit.testkit.PcapWriter w = io.evpnkit.testkit.PcapWriter.create(pcap)) {
      w.write(0, bgpSegment(0, 0x02, new byte[0]));
      for (int i = 0; i < messages; i++) {
        w.write(i + 1, bgpSegment(1 + 19L * i, 0x18, keepalives(1)));
      }
    }
    Failing pipe = new Failing("Broken pipe");
    java.io.ByteArrayOutputStream stderr = new java.io.ByteArrayOutputStream();
    assertEquals(
        0,
        Main.run(
            pipe,
            new java.io.PrintStream(stderr, true, java.nio.charset.StandardCharsets.UTF_8),
            "decode",
            pcap.toString()),
        () -> stderr.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertFalse(
        stderr.toString(java.nio.charset.StandardCharsets.UTF_8).contains("cannot write"),
        () -> stderr.toString(java.nio.charset.StandardCharsets.UTF_8));
    assertTrue(
        pipe.writes < messages / 4,
        "stopped reading soon after the reader left: " + pipe.writes + " writes");
  }

  @Test
  void decodeNamesTheCapabilitiesItDoesNotModelAsTsharkDoes(@TempDir Path dir) throws Exception {
    // an OPEN with enhanced route refresh (RFC 7313, code 70) and FQDN (code 73: hostname "leaf1",
    // no domain)
    byte[] caps = {70, 0, 73, 7, 5, 'l', 'e', 'a', 'f', '1', 0};
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
    b.writeBytes(new byte[16]).writeShort(0).writeByte(1); // marker (filled below), length, OPEN
    b.writeByte(4).writeShort(65001).writeShort(90).writeInt(0x0A000001).writeByte(2 + caps.length);
    b.writeByte(2).writeByte(caps.length).writeBytes(caps);
    for (int i = 0; i < 16; i++) {
      b.setByte(i, 0xFF);
    }
    b.setShort(16, b.readableBytes());
    byte[] open = new byte[b.readableBytes()];
    b.readBytes(open);
    b.release();
    Path pcap = dir.resolve("open.pcap");
    try (io.evpnkit.testkit.PcapWriter w = io.evpnkit.testkit.PcapWriter.create(pcap)) {
      w.write(1, bgpSegment(0, 0x02, new byte[0]));
      w.write(2, bgpSegment(1, 0x18, open));
    }
    assertEquals(0, run("decode", "--json", pcap.toString()), err::toString);
    assertTrue(
        out.toString()
            .contains("\"capabilities\":[\"enhanced-route-refresh\",\"fqdn:056c65616631" + "00\"]"),
        out::toString);
  }

  /** A BGP message of {@code type} with {@code body} after its header (RFC 4271 §4.1). */
  static byte[] bgpMessage(int type, byte[] body) {
    byte[] m = new byte[19 + body.length];
    java.util.Arrays.fill(m, 0, 16, (byte) 0xFF);
    m[16] = (byte) (m.length >>> 8);
    m[17] = (byte) m.length;
    m[18] = (byte) type;
    System.arraycopy(body, 0, m, 19, body.length);
    return m;
  }

  @Test
  void rfc8654_4_aMessageAbove4096OctetsWithoutTheCapabilityIsReported(@TempDir Path dir)
      throws Exception {
    byte[] open =
        bgpMessage(
            1, new byte[] {4, (byte) 0xFD, (byte) 0xE9, 0, 90, 10, 0, 0, 1, 0}); // no capabilities
    byte[] big = new byte[5000 - 19];
    big[1] = 0; // withdrawn routes length 0, path attributes length 0: the rest is NLRI bytes
    byte[] update = bgpMessage(2, big);
    Path pcap = dir.resolve("big.pcap");
    try (io.evpnkit.testkit.PcapWriter w = io.evpnkit.testkit.PcapWriter.create(pcap)) {
      w.write(
          1,
          io.evpnkit.testkit.TcpFrames.ipv4(
              0x7f000002, 179, 0x7f000001, 40000, 0, 0x02, new byte[0]));
      w.write(
          2, io.evpnkit.testkit.TcpFrames.ipv4(0x7f000002, 179, 0x7f000001, 40000, 1, 0x18, open));
      w.write(3, bgpSegment(0, 0x02, new byte[0]));
      w.write(4, bgpSegment(1, 0x18, open));
      w.write(5, bgpSegment(1 + open.length, 0x18, update));
    }
    assertEquals(0, run("decode", "--json", pcap.toString()), err::toString);
    String last = out.toString().strip().lines().reduce((a, b) -> b).orElse("");
    assertTrue(
        last.contains("\"message\":\"UPDATE\"")
            && last.contains("\"length\":5000")
            && last.contains("Bad Message Length"),
        out::toString);
  }

  @Test
  void unreadableInputsSayWhyInOneLineAndExitOne(@TempDir Path dir) throws Exception {
    Path notUtf8 = dir.resolve("latin1.conf");
    Files.write(notUtf8, new byte[] {'v', 'l', 'a', 'n', 's', ' ', (byte) 0xE9, ';'});
    assertEquals(1, run("config", notUtf8.toString()));
    assertTrue(
        err.toString()
            .contains("latin1.conf: not UTF-8 text: an invalid byte sequence at byte offset 6"),
        err::toString);
    err.getBuffer().setLength(0);
    assertEquals(1, run("config", dir.toString()));
    assertTrue(
        err.toString().toLowerCase(java.util.Locale.ROOT).contains("is a directory"),
        err::toString);
    assertFalse(err.toString().contains(dir + ": " + dir), "the name is not said twice: " + err);
    err.getBuffer().setLength(0);
    assertEquals(
        1,
        run("fabric", "--scenario", dir.resolve("none.scenario").toString()),
        "as the others: 1");
    assertTrue(err.toString().contains("none.scenario: no such file"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(1, run("decode", dir.resolve("none.pcap").toString()));
    assertTrue(err.toString().contains("none.pcap: no such file"), err::toString);
  }

  @Test
  void decodeReadsStandardInputLikeTheOtherCommands(@TempDir Path dir) throws Exception {
    Path pcap = dir.resolve("demo.pcap");
    assertEquals(
        0, run("demo", "--port", "0", "--pings", "1", "--pcap", pcap.toString()), err::toString);
    out.getBuffer().setLength(0);
    java.io.InputStream stdin = System.in;
    try {
      System.setIn(Files.newInputStream(pcap));
      assertEquals(0, run("decode", "--json", "-"), err::toString);
    } finally {
      System.setIn(stdin);
    }
    assertEquals(4, out.toString().strip().lines().count(), out::toString);
  }

  @Test
  void statementsTheModelDoesNotInterpretAreReportedKeptAndRefusedWithStrict(@TempDir Path dir)
      throws Exception {
    Path conf = dir.resolve("leaf.conf");
    Files.writeString(
        conf,
        SEED
            + "protocols { bgp { group fabric { type internal; neighbor 10.0.0.100; } }"
            + " ospf { area 0.0.0.0 { interface lo0.0; } } }\n"
            + "routing-options { router-id 10.0.0.1; autonomous-system 65000; }\nfoo { bar baz; }\n");
    assertEquals(0, run("config", conf.toString()), err::toString);
    String e = err.toString();
    assertTrue(
        e.contains("leaf.conf:11:106: warning: not interpreted: protocols ospf area 0.0.0.0\n"), e);
    assertTrue(e.contains("leaf.conf:13:11: warning: not interpreted: foo bar baz\n"), e);
    assertEquals(2, e.lines().count(), "once per path: " + e);
    assertTrue(
        out.toString().contains("area 0.0.0.0 interface lo0.0;"), "kept and printed back: " + out);
    assertTrue(out.toString().contains("group fabric {"), "modelled and printed back: " + out);
    out.getBuffer().setLength(0);
    assertEquals(0, run("config", "--json", conf.toString()));
    assertTrue(out.toString().contains("\"path\": \"protocols ospf area 0.0.0.0\""), out::toString);
    err.getBuffer().setLength(0);
    assertEquals(2, run("config", "--strict", conf.toString()));
    assertTrue(err.toString().contains("error: not interpreted: foo bar baz"), err::toString);
    err.getBuffer().setLength(0);
    assertEquals(
        0,
        run(
            "policy",
            conf.toString(),
            "imp",
            "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304",
            "--community",
            "target:1111:11"),
        err::toString);
    assertTrue(
        err.toString().contains("warning: not interpreted: protocols ospf area 0.0.0.0"),
        err::toString);
  }
}
