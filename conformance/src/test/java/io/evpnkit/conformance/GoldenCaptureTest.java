package io.evpnkit.conformance;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.examples.PacketDecoder;
import io.evpnkit.testkit.BufferShape;
import io.evpnkit.testkit.CaptureReader;
import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.DropReason;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Decodes every frame of the golden captures (made by the Linux kernel and scapy, see {@code
 * golden/README.md}) with {@code evpnkit decode --json --vxlan-port 8472} and checks every field
 * against Wireshark's reading of the same frame ({@code *.tshark.ndjson}).
 */
class GoldenCaptureTest {
  static final String[] CAPTURES = {
    "kernel-ipv4.pcap",
    "kernel-ipv6.pcapng",
    "kernel-ipv6-zero-checksum.pcapng",
    "kernel-gbp.pcap",
    "scapy-gpe-gbp.pcap",
    "scapy-edge.pcap"
  };

  static Path golden(String name) {
    try {
      return Path.of(GoldenCaptureTest.class.getResource("/golden/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<CapturedPacket> packets(String capture) {
    try {
      return CaptureReader.readAll(golden(capture));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<Map<String, Object>> oracle(String capture) {
    try (InputStream in = Files.newInputStream(golden(capture + ".tshark.ndjson"))) {
      List<Map<String, Object>> out = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
        if (!line.isBlank()) {
          out.add(MiniJson.object(line));
        }
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyFrameAgreesWithWireshark() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String capture : CAPTURES) {
      List<CapturedPacket> packets = packets(capture);
      List<Map<String, Object>> oracle = oracle(capture);
      tests.add(
          DynamicTest.dynamicTest(
              capture + ": same frame count as tshark",
              () -> assertEquals(oracle.size(), packets.size())));
      PacketDecoder decoder =
          new PacketDecoder(
              DecapsulatorConfig.builder()
                  .vxlanPorts(4789, 8472)
                  .groupBasedPolicy(true)
                  .applyEcn(false)
                  .acceptIpv6ZeroChecksum(true)
                  .build());
      for (int i = 0; i < packets.size() && i < oracle.size(); i++) {
        CapturedPacket p = packets.get(i);
        Map<String, Object> want = oracle.get(i);
        tests.add(
            DynamicTest.dynamicTest(
                capture + " frame " + p.index(),
                () -> {
                  Decapsulation d = decoder.decapsulate(p).orElseThrow();
                  Map<String, Object> got = MiniJson.object(decoder.json(p, d));
                  check(want, got);
                }));
      }
    }
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  private static void check(Map<String, Object> want, Map<String, Object> got) {
    String context = "\n tshark: " + want + "\n evpnkit: " + got;
    assertEquals(
        ((Number) requireNonNull(want.get("frame"))).intValue(),
        ((Number) requireNonNull(got.get("frame"))).intValue());
    boolean tsharkVxlan = want.containsKey("flags");
    boolean fragment = Boolean.TRUE.equals(want.get("ipFragment"));
    boolean badChecksum = Boolean.TRUE.equals(want.get("ipChecksumBad"));
    if (!tsharkVxlan && !fragment) {
      assertEquals("other", got.get("type"), "tshark saw no VXLAN here" + context);
      return;
    }
    assertEquals("vxlan", got.get("type"), context);
    Map<String, Object> wo = (Map<String, Object>) requireNonNull(want.get("outer"), context);
    Map<String, Object> go = (Map<String, Object>) requireNonNull(got.get("outer"), context);
    assertEquals(wo.get("src"), go.get("src"), context);
    assertEquals(wo.get("dst"), go.get("dst"), context);
    if (wo.containsKey("dstPort")) {
      assertEquals(wo.get("srcPort"), go.get("srcPort"), context);
      assertEquals(wo.get("dstPort"), go.get("dstPort"), context);
    }
    if (wo.containsKey("udpChecksum")) {
      assertEquals(wo.get("udpChecksum"), go.get("udpChecksum"), context);
    }
    assertEquals(want.get("outerVlans"), go.get("vlans"), context);
    Object error = got.get("error");
    String reason =
        error instanceof Map ? (String) ((Map<String, Object>) error).get("reason") : null;
    if (badChecksum) {
      assertEquals("BAD_IPV4_CHECKSUM", reason, context);
      return;
    }
    if (fragment) {
      assertEquals("FRAGMENT", reason, context);
      return;
    }
    if (Boolean.TRUE.equals(want.get("malformed"))) {
      assertEquals("TRUNCATED_VXLAN", reason, "Wireshark: malformed VXLAN" + context);
      return;
    }
    assertEquals(want.get("flags"), got.get("flags"), context);
    assertEquals(want.get("vni"), got.get("vni"), context);
    assertEquals(
        want.get("gbp") == null
            ? null
            : ((Map<String, Object>) want.get("gbp")).get("groupPolicyId"),
        got.get("gbp") == null ? null : ((Map<String, Object>) got.get("gbp")).get("groupPolicyId"),
        context);
    assertEquals(want.get("gpe"), got.get("gpe"), context);
    int flags = Integer.parseInt(((String) requireNonNull(want.get("flags"))).substring(2), 16);
    boolean gpe = want.containsKey("gpe");
    if ((flags & 0x08) == 0) {
      assertEquals("I_FLAG_CLEAR", reason, context);
      return;
    }
    boolean reservedSet = Boolean.TRUE.equals(want.get("reservedNonZero"));
    if (gpe && (flags & 0x02) != 0) {
      // Wireshark 4.0 implements a GPE draft without the B (BUM) bit and calls it reserved;
      // draft-ietf-nvo3-vxlan-gpe-13 §3 defines it, and evpnkit follows the newer text.
      reservedSet = false;
    }
    if (reservedSet) {
      assertEquals("RESERVED_BITS_SET", reason, context);
      return;
    }
    assertSame(MiniJson.NULL, error, "a clean frame must be accepted" + context);
    if (want.containsKey("inner")) {
      Map<String, Object> wi = (Map<String, Object>) want.get("inner");
      Map<String, Object> gi = (Map<String, Object>) got.get("inner");
      assertNotNull(gi, context);
      for (String k : new String[] {"src", "dst", "etherType", "vlans"}) {
        assertEquals(wi.get(k), gi.get(k), k + context);
      }
    }
  }

  @TestFactory
  Stream<DynamicTest> everyTruncationOfEveryAcceptedGoldenFrameIsATypedDrop() {
    List<DynamicTest> tests = new ArrayList<>();
    DecapsulatorConfig config =
        DecapsulatorConfig.builder()
            .vxlanPorts(4789, 8472)
            .groupBasedPolicy(true)
            .acceptIpv6ZeroChecksum(true)
            .build();
    for (String capture : CAPTURES) {
      for (CapturedPacket p : packets(capture)) {
        byte[] frame = p.data();
        VxlanDecapsulator decap = new VxlanDecapsulator(config);
        ByteBuf whole = Unpooled.wrappedBuffer(frame);
        Decapsulation full = decap.decapsulate(whole);
        if (!full.isOk()) {
          continue;
        }
        int end =
            full.innerOffset()
                + full.innerLength(); // the IP packet ends here; Ethernet padding may follow
        tests.add(
            DynamicTest.dynamicTest(
                capture + " frame " + p.index() + " cut at 0.." + (end - 1),
                () -> {
                  for (BufferShape shape :
                      new BufferShape[] {BufferShape.HEAP, BufferShape.COMPOSITE}) {
                    for (int n = 0; n < end; n++) {
                      ByteBuf cut = shape.wrap(java.util.Arrays.copyOf(frame, n));
                      try {
                        Decapsulation d = decap.decapsulate(cut);
                        int length = n;
                        assertFalse(d.isOk(), () -> "prefix of " + length + " bytes accepted");
                        assertTrue(d.errorOffset() >= 0 && d.errorOffset() <= n, d::toString);
                      } finally {
                        cut.release();
                      }
                    }
                  }
                }));
      }
    }
    assertTrue(tests.size() > 80, "accepted golden frames: " + tests.size());
    return tests.stream();
  }

  @Test
  void rfc6935_linuxsZeroChecksumOverIpv6IsRefusedByDefaultAndAcceptedWhenConfigured() {
    List<CapturedPacket> packets = packets("kernel-ipv6-zero-checksum.pcapng");
    assertEquals(4, packets.size());
    VxlanDecapsulator strict = new VxlanDecapsulator(DecapsulatorConfig.builder().build());
    VxlanDecapsulator lenient =
        new VxlanDecapsulator(DecapsulatorConfig.builder().acceptIpv6ZeroChecksum(true).build());
    for (CapturedPacket p : packets) {
      ByteBuf b = Unpooled.wrappedBuffer(p.data());
      Decapsulation d = strict.decapsulate(b);
      assertEquals(
          DropReason.ZERO_UDP_CHECKSUM, d.dropReason(), "the default, as Linux's noudp6zerocsumrx");
      assertEquals(14 + 40 + 6, d.errorOffset(), "the checksum field");
      Decapsulation ok = lenient.decapsulate(b);
      assertTrue(ok.isOk(), ok::toString);
      assertEquals(100, ok.vni());
      assertEquals(0, ok.udpChecksum());
    }
  }

  @TestFactory
  Stream<DynamicTest> goldenCapturesCoverTheUnderlaysAndHeaderFormats() {
    return Stream.of(
        DynamicTest.dynamicTest(
            "IPv4 and IPv6 underlay, ARP, ICMP, inner 802.1Q, GBP, GPE",
            () -> {
              List<Map<String, Object>> all = new ArrayList<>();
              for (String c : CAPTURES) {
                all.addAll(oracle(c));
              }
              assertTrue(
                  all.stream()
                      .anyMatch(m -> String.valueOf(m.get("outer")).contains("2001:db8::1")));
              assertTrue(
                  all.stream()
                      .anyMatch(
                          m ->
                              String.valueOf(m.get("protocols"))
                                  .contains("vxlan:eth:ethertype:arp")));
              assertTrue(
                  all.stream().anyMatch(m -> String.valueOf(m.get("protocols")).contains(":icmp")));
              assertTrue(
                  all.stream()
                      .anyMatch(
                          m ->
                              String.valueOf(m.get("protocols"))
                                  .contains("vxlan:eth:ethertype:vlan")));
              assertTrue(all.stream().anyMatch(m -> m.containsKey("gbp")));
              assertTrue(all.stream().anyMatch(m -> m.containsKey("gpe")));
              assertFalse(all.isEmpty());
            }));
  }
}
