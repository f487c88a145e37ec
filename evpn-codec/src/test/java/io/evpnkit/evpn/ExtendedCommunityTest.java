package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ExtendedCommunityTest {
  @ParameterizedTest
  @CsvSource({
    "target:65000:100, 0002fde800000064",
    "target:1.2.3.4:100, 0102010203040064",
    "target:4200001002:3, 0202fa56edea0003",
    "target:65000L:3, 02020000fde80003",
    "encapsulation:vxlan, 030c000000000008",
    "encapsulation:geneve, 030c000000000013",
    "encapsulation:99, 030c000000000063",
    "default-gateway, 030d000000000000",
    "mac-mobility:5, 0600000000000005",
    "l2-attributes:0x0002:9000, 0604000223280000",
    "e-tree:100:leaf, 0605010000000064",
    "e-tree:100, 0605000000000064",
    "df-election:hrw:0x8000, 0606018000000000",
    "df-election:preference:0x0000:0x000064, 0606020000000064",
    "df-election:9:0x0001, 0606090001000000",
    "multicast-flags:0x0001, 0609000100000000",
    "evi-rt:65000:100, 060afde800000064",
    "evi-rt:1.2.3.4:100, 060b010203040064",
    "evi-rt:4200001002:3, 060cfa56edea0003",
    "mac-mobility:5:sticky, 0600010000000005",
    "esi-label:100:single-active, 0601010000000064",
    "esi-label:0, 0601000000000000",
    "es-import:00:11:22:33:44:55, 0602001122334455",
    "router-mac:44:38:39:ff:00:01, 0603443839ff0001",
    "raw:0x0604000000000001, 0604000000000001",
  })
  void textAndBytesAgree(String text, String hex) {
    ExtendedCommunity c = ExtendedCommunity.parse(text);
    assertEquals(Long.parseUnsignedLong(hex, 16), c.value());
    assertEquals(text, c.toString());
    ByteBuf b = Unpooled.buffer(10).writerIndex(10);
    c.write(b, 1);
    assertEquals(c, ExtendedCommunity.read(b, 1));
    b.release();
  }

  @Test
  void kinds() {
    assertTrue(ExtendedCommunity.parse("target:65000:100").isRouteTarget());
    assertFalse(ExtendedCommunity.parse("encapsulation:vxlan").isRouteTarget());
    assertEquals(0x06, ExtendedCommunity.parse("mac-mobility:1").type());
    assertEquals(0x03, ExtendedCommunity.parse("router-mac:00:00:00:00:00:01").subType());
    assertTrue(ExtendedCommunity.of(0x4300_0000_0000_0000L).isNonTransitive());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "target",
        "target:",
        "target:x:1",
        "color:5",
        "mac-mobility:-1",
        "mac-mobility:5:stickyy",
        "df-election:hrw",
        "df-election:hrw:0x12345",
        "l2-attributes:0x2:1",
        "multicast-flags:1",
        "evi-rt:x",
        "e-tree:16777216",
        "esi-label:16777216",
        "es-import:00:11",
        "raw:0x12",
        "default-gateway:1",
        "encapsulation:tunnel"
      })
  void rejects(String text) {
    MalformedException e =
        assertThrows(MalformedException.class, () -> ExtendedCommunity.parse(text));
    assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
  }

  @Test
  void everyCommunityOfGobgpsCorpusIsKnownAndRoundTrips() {
    ByteBuf b = GobgpSample.buffer();
    TreeSet<String> kinds = new TreeSet<>();
    int[] count = {0};
    GobgpSample.forEachAttribute(
        b,
        (type, v, len) -> {
          if (type != 16) {
            return;
          }
          for (int c = v; c < v + len; c += ExtendedCommunity.LENGTH) {
            ExtendedCommunity x = ExtendedCommunity.read(b, c);
            String text = x.toString();
            assertFalse(text.startsWith("raw:"), text);
            assertEquals(x, ExtendedCommunity.parse(text));
            kinds.add(text.substring(0, text.indexOf(':')) + "/" + Integer.toHexString(x.type()));
            count[0]++;
          }
        });
    b.release();
    // the kinds the corpus README lists for the first VTEP (its 4-octet AS targets come from other
    // VTEPs)
    assertEquals(
        "[encapsulation/3, es-import/6, esi-label/6, mac-mobility/6, router-mac/6, target/0]",
        kinds.toString(),
        count[0] + " communities");
  }

  @Test
  void typedAccessorsReadEachEvpnKind() {
    long mm = ExtendedCommunity.macMobility(4294967295L, true).value();
    assertEquals(ExtendedCommunity.MAC_MOBILITY, ExtendedCommunity.kindOf(mm));
    assertEquals(4294967295L, ExtendedCommunity.macMobilitySequence(mm));
    assertTrue(ExtendedCommunity.isSticky(mm));
    assertFalse(ExtendedCommunity.isSticky(ExtendedCommunity.macMobility(1, false).value()));
    long label = ExtendedCommunity.esiLabel(0x123456, true).value();
    assertTrue(ExtendedCommunity.isSingleActive(label));
    assertEquals(0x123456, ExtendedCommunity.esiLabelValue(label));
    MacAddress mac = MacAddress.parse("02:00:0a:00:00:01");
    assertEquals(mac, ExtendedCommunity.macOf(ExtendedCommunity.routerMac(mac).value()));
    assertEquals(mac, ExtendedCommunity.macOf(ExtendedCommunity.esImport(mac).value()));
    long df =
        ExtendedCommunity.dfElection(2, ExtendedCommunity.DF_AC_INFLUENCED, 0x01_1234).value();
    assertEquals(2, ExtendedCommunity.dfAlgorithm(df));
    assertEquals(0x4000, ExtendedCommunity.dfCapabilities(df));
    assertEquals(0x1234, ExtendedCommunity.dfPreference(df));
    assertFalse(ExtendedCommunity.dfDontPreempt(df), "the reserved octet is not the D bit");
    // RFC 9785 §3: D is capability bit 0, the most significant bit of the bitmap
    long dp = ExtendedCommunity.dfElection(3, ExtendedCommunity.DF_DONT_PREEMPT, 100).value();
    assertEquals(0x06_06_03_80_00_00_00_64L, dp);
    assertTrue(ExtendedCommunity.dfDontPreempt(dp));
    assertEquals(3, ExtendedCommunity.dfAlgorithm(dp));
    assertEquals(ExtendedCommunity.DF_ELECTION, ExtendedCommunity.of(df).kind());
    // asking a community of another kind is a programming error, said with the community
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ExtendedCommunity.macMobilitySequence(label));
    assertTrue(String.valueOf(e.getMessage()).contains("esi-label"), e::getMessage);
    assertThrows(IllegalArgumentException.class, () -> ExtendedCommunity.macOf(df));
    PathAttributes a =
        PathAttributes.builder()
            .addExtendedCommunity(ExtendedCommunity.parse("target:65000:1"))
            .addExtendedCommunity(mm)
            .addExtendedCommunity(ExtendedCommunity.macMobility(3, false))
            .build();
    assertEquals(mm, a.findExtendedCommunity(ExtendedCommunity.MAC_MOBILITY));
    assertEquals(2, a.countExtendedCommunities(ExtendedCommunity.MAC_MOBILITY));
    assertEquals(0, a.findExtendedCommunity(ExtendedCommunity.ROUTER_MAC));
  }

  @Test
  void rfc7432_15_sequenceNumbersCompareAsRfc1982SerialNumbers() {
    assertTrue(ExtendedCommunity.isNewerSequence(1, 0));
    assertFalse(ExtendedCommunity.isNewerSequence(0, 1));
    assertFalse(ExtendedCommunity.isNewerSequence(5, 5));
    assertTrue(ExtendedCommunity.isNewerSequence(0, 4294967295L), "0 follows 4294967295");
    assertTrue(ExtendedCommunity.isNewerSequence(10, 4294967290L));
    assertFalse(ExtendedCommunity.isNewerSequence(4294967295L, 0));
    assertTrue(ExtendedCommunity.isNewerSequence(0x7FFF_FFFFL, 0));
    // exactly 2^31 apart: not ordered either way (RFC 1982 §3.2)
    assertFalse(ExtendedCommunity.isNewerSequence(0x8000_0000L, 0));
    assertFalse(ExtendedCommunity.isNewerSequence(0, 0x8000_0000L));
    assertEquals(0, ExtendedCommunity.nextSequence(4294967295L));
    assertEquals(8, ExtendedCommunity.nextSequence(7));
    assertThrows(
        IllegalArgumentException.class, () -> ExtendedCommunity.isNewerSequence(1L << 32, 0));
  }
}
