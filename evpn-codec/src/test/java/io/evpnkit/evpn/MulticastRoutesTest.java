package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Route types 6 to 11 (RFC 9251 §9, RFC 9572 §3): layouts byte by byte, values, text. */
class MulticastRoutesTest {
  static final RouteDistinguisher RD = RouteDistinguisher.parse("10.255.0.1:100");
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");
  static final IpAddress ORIGINATOR = IpAddress.parse("10.255.0.1");

  static List<EvpnRoute> samples() {
    MulticastRoute smet =
        new MulticastRoute(
            RouteType.SELECTIVE_MULTICAST_ETHERNET_TAG,
            RD,
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.of(100),
            null,
            IpAddress.parse("239.1.1.1"),
            ORIGINATOR,
            0x0A,
            0,
            0);
    return List.of(
        smet,
        new MulticastRoute(
            RouteType.SELECTIVE_MULTICAST_ETHERNET_TAG,
            RD,
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            IpAddress.parse("2001:db8::10"),
            IpAddress.parse("ff0e::1"),
            IpAddress.parse("2001:db8::1"),
            0x04,
            0,
            0),
        new MulticastRoute(
            RouteType.MULTICAST_JOIN_SYNCH,
            RD,
            ESI,
            EthernetTag.of(100),
            IpAddress.parse("10.0.0.9"),
            IpAddress.parse("239.1.1.1"),
            ORIGINATOR,
            0x02,
            0,
            0),
        new MulticastRoute(
            RouteType.MULTICAST_LEAVE_SYNCH,
            RD,
            ESI,
            EthernetTag.of(100),
            null,
            IpAddress.parse("239.1.1.1"),
            ORIGINATOR,
            0x02,
            7,
            10),
        new PerRegionIpmsiRoute(
            RD, EthernetTag.of(100), ExtendedCommunity.routeTarget(65000, 1).value()),
        new SelectivePmsiRoute(
            RD, EthernetTag.of(100), null, IpAddress.parse("239.1.1.1"), ORIGINATOR),
        new LeafAdRoute(
            new InclusiveMulticastRoute(RD, EthernetTag.of(100), ORIGINATOR),
            IpAddress.parse("10.255.0.2")),
        new LeafAdRoute(smet, IpAddress.parse("2001:db8::2")));
  }

  @Test
  void everyTypeRoundTripsThroughBytesAndText() {
    for (EvpnRoute r : samples()) {
      byte[] wire = EvpnRoutes.toBytes(r);
      EvpnRoute back = EvpnRoutes.fromBytes(wire);
      assertEquals(r, back, r::toString);
      assertEquals(r, EvpnRoutes.parseJunos(r.toString()), r::toString);
      EvpnNlri n = new EvpnNlri().wrap(Unpooled.wrappedBuffer(wire), 0, wire.length);
      assertEquals(RD.value(), n.routeDistinguisherValue(), r::toString);
    }
  }

  @Test
  void layoutsAreTheRfcs() {
    List<EvpnRoute> s = samples();
    // type 6: RD | tag | source len 0 | group len 32, group | originator len 32, originator | flags
    assertEquals(
        "0618" + "00010aff00010064" + "00000064" + "00" + "20ef010101" + "200aff0001" + "0a",
        ByteBufUtil.hexDump(EvpnRoutes.toBytes(s.get(0))));
    assertEquals("6:10.255.0.1:100::100::(*,239.1.1.1)::10::10.255.0.1", s.get(0).toString());
    // type 8: RD | ESI | tag | (S, G, originator) | sequence 4 | max response time 1 | flags 1
    assertEquals(
        "0827"
            + "00010aff00010064"
            + "00112233445566778899"
            + "00000064"
            + "00"
            + "20efefefef".substring(0, 2)
            + "ef010101"
            + "200aff0001"
            + "00000007"
            + "0a"
            + "02",
        ByteBufUtil.hexDump(EvpnRoutes.toBytes(s.get(3))));
    assertEquals(
        "8:10.255.0.1:100::00112233445566778899::100::(*,239.1.1.1)::2::7::10::10.255.0.1",
        s.get(3).toString());
    // type 9: RD | tag | region ID
    assertEquals(
        "0914" + "00010aff00010064" + "00000064" + "0002fde800000001",
        ByteBufUtil.hexDump(EvpnRoutes.toBytes(s.get(4))));
    // type 11: the IMET route's whole NLRI as key, then the originator
    assertEquals(
        "0b18" + "0311" + "00010aff00010064" + "00000064" + "200aff0001" + "200aff0002",
        ByteBufUtil.hexDump(EvpnRoutes.toBytes(s.get(6))));
    assertEquals("11:[3:10.255.0.1:100::100::10.255.0.1/304]::10.255.0.2", s.get(6).toString());
    assertEquals(
        "6:10.255.0.1:100::0::(2001:db8::10,ff0e::1)::4::2001:db8::1", s.get(1).toString());
  }

  @Test
  void badLayoutsAreRejectedWithOffsets() {
    EvpnNlri n = new EvpnNlri();
    // type 6 with a source length of 24
    byte[] bad =
        ByteBufUtil.decodeHexDump(
            "0616"
                + "00010aff00010064"
                + "00000064"
                + "18"
                + "0a0000"
                + "00"
                + "200aff0001"
                + "00");
    assertFalse(n.tryWrap(Unpooled.wrappedBuffer(bad), 0, bad.length));
    assertEquals(NlriError.BAD_IP_LENGTH, n.error());
    assertEquals(14, n.errorOffset());
    // type 9 of 19 octets
    byte[] short9 = ByteBufUtil.decodeHexDump("0913" + "00".repeat(19));
    assertFalse(n.tryWrap(Unpooled.wrappedBuffer(short9), 0, short9.length));
    assertEquals(NlriError.BAD_LENGTH, n.error());
    // type 11 whose key runs into the originator
    byte[] leaf = ByteBufUtil.decodeHexDump("0b08" + "0305" + "0000000000" + "20");
    assertFalse(n.tryWrap(Unpooled.wrappedBuffer(leaf), 0, leaf.length));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new MulticastRoute(
                RouteType.SELECTIVE_MULTICAST_ETHERNET_TAG,
                RD,
                ESI,
                EthernetTag.ZERO,
                null,
                null,
                ORIGINATOR,
                0,
                0,
                0));
    assertThrows(
        MalformedException.class,
        () -> EvpnRoutes.parseJunos("6:10.255.0.1:100::100::239.1.1.1::10::1.2.3.4"));
    assertThrows(
        MalformedException.class,
        () -> EvpnRoutes.parseJunos("11:3:1.2.3.4:1::0::1.2.3.4/304::1.2.3.4"));
  }
}
