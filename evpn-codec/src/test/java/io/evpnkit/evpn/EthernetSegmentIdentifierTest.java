package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EthernetSegmentIdentifierTest {
  private static final MacAddress MAC = MacAddress.parse("00:11:22:33:44:55");

  @Test
  void typedConstructorsPlaceFieldsAsRfc7432Section5Says() {
    assertEquals(
        "01:00:11:22:33:44:55:12:34:00", EthernetSegmentIdentifier.ofLacp(MAC, 0x1234).toString());
    assertEquals(
        "02:00:11:22:33:44:55:80:00:00",
        EthernetSegmentIdentifier.ofBridge(MAC, 0x8000).toString());
    assertEquals(
        "03:00:11:22:33:44:55:0a:0b:0c", EthernetSegmentIdentifier.ofMac(MAC, 0x0A0B0C).toString());
    assertEquals(
        "04:01:02:03:0b:de:ad:be:ef:00",
        EthernetSegmentIdentifier.ofRouterId(0x0102030B, 0xDEADBEEFL).toString());
    assertEquals(
        "05:fa:56:ea:00:00:00:00:2a:00",
        EthernetSegmentIdentifier.ofAs(4_200_000_000L, 42).toString());
  }

  @Test
  void typedAccessorsReadTheFieldsBack() {
    EthernetSegmentIdentifier lacp = EthernetSegmentIdentifier.ofLacp(MAC, 0x1234);
    assertEquals(1, lacp.type());
    assertEquals(MAC, lacp.systemMac());
    assertEquals(0x1234, lacp.portKeyOrPriority());
    EthernetSegmentIdentifier mac = EthernetSegmentIdentifier.ofMac(MAC, 0xABCDEF);
    assertEquals(MAC, mac.systemMac());
    assertEquals(0xABCDEF, mac.localDiscriminator());
    EthernetSegmentIdentifier router =
        EthernetSegmentIdentifier.ofRouterId(0x0102030B, 0xDEADBEEFL);
    assertEquals(0x0102030BL, router.routerIdOrAs());
    assertEquals(0xDEADBEEFL, router.localDiscriminator());
    EthernetSegmentIdentifier as = EthernetSegmentIdentifier.ofAs(4_200_000_000L, 7);
    assertEquals(4_200_000_000L, as.routerIdOrAs());
    assertEquals(7, as.localDiscriminator());
    assertThrows(IllegalStateException.class, as::systemMac);
    assertThrows(IllegalStateException.class, lacp::routerIdOrAs);
  }

  @Test
  void zeroAndMax() {
    assertSame(
        EthernetSegmentIdentifier.ZERO,
        EthernetSegmentIdentifier.parse("00:00:00:00:00:00:00:00:00:00"));
    assertTrue(EthernetSegmentIdentifier.ZERO.isZero());
    assertEquals("ff:ff:ff:ff:ff:ff:ff:ff:ff:ff", EthernetSegmentIdentifier.MAX.toString());
    assertTrue(EthernetSegmentIdentifier.ZERO.compareTo(EthernetSegmentIdentifier.MAX) < 0);
    assertTrue(
        EthernetSegmentIdentifier.parse("ff:00:00:00:00:00:00:00:00:00")
                .compareTo(EthernetSegmentIdentifier.parse("7f:ff:ff:ff:ff:ff:ff:ff:ff:ff"))
            > 0,
        "unsigned order");
  }

  @Test
  void compactFormOfJunosRoutePrefixesParsesAndRoundTrips() {
    EthernetSegmentIdentifier esi = EthernetSegmentIdentifier.parse("050000ff780000000100");
    assertEquals("05:00:00:ff:78:00:00:00:01:00", esi.toString());
    assertEquals("050000ff780000000100", esi.appendCompact(new StringBuilder()).toString());
    assertEquals(0xFF78L, esi.routerIdOrAs());
    assertEquals(1, esi.localDiscriminator());
  }

  @Test
  void wireRoundTripAtAnOffset() {
    EthernetSegmentIdentifier esi = EthernetSegmentIdentifier.ofMac(MAC, 9);
    ByteBuf b = Unpooled.directBuffer(32).writerIndex(32);
    esi.write(b, 7);
    assertEquals(esi, EthernetSegmentIdentifier.read(b, 7));
    byte[] raw = new byte[10];
    b.getBytes(7, raw);
    assertArrayEquals(esi.toByteArray(), raw);
    assertThrows(MalformedException.class, () -> EthernetSegmentIdentifier.read(b, 23));
    b.release();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00",
        "00:11:22:33:44:55:66:77:88",
        "00:11:22:33:44:55:66:77:88:99:aa",
        "00:11:22:33:44:55:66:77:88:zz",
        "050000ff78000000010",
        "050000ff7800000001000",
        "0:1:2:3:4:5:6:7:8:"
      })
  void rejectsMalformedText(String text) {
    assertThrows(MalformedException.class, () -> EthernetSegmentIdentifier.parse(text));
  }

  @Test
  void equality() {
    new EqualsTester()
        .addEqualityGroup(
            EthernetSegmentIdentifier.ZERO,
            EthernetSegmentIdentifier.of(0, 0),
            EthernetSegmentIdentifier.of(new byte[10]))
        .addEqualityGroup(
            EthernetSegmentIdentifier.ofLacp(MAC, 1),
            EthernetSegmentIdentifier.parse("01:00:11:22:33:44:55:00:01:00"))
        .addEqualityGroup(EthernetSegmentIdentifier.ofBridge(MAC, 1))
        .testEquals();
  }
}
