package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/**
 * Each route type's writer and the flyweight against the same bytes, laid out by hand from the
 * RFC's diagram (so a layout that both got wrong the same way would still fail here).
 */
class NlriLayoutTest {
  static final RouteDistinguisher RD = RouteDistinguisher.parse("10.0.0.1:5");
  static final String RD_HEX = "0001" + "0a000001" + "0005";
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");
  static final String ESI_HEX = "00112233445566778899";

  static EvpnNlri roundTrip(EvpnRoute route, String valueHex) {
    byte[] bytes = EvpnRoutes.toBytes(route);
    String hex = ByteBufUtil.hexDump(bytes);
    assertEquals(valueHex, hex.substring(4), "value of " + route);
    assertEquals(valueHex.length() / 2, Integer.parseInt(hex.substring(2, 4), 16), "length");
    ByteBuf b = Unpooled.wrappedBuffer(bytes);
    EvpnNlri n = new EvpnNlri();
    assertTrue(n.tryWrap(b, 0, bytes.length), () -> String.valueOf(n.error()));
    assertEquals(route, EvpnRoutes.decode(n));
    return n;
  }

  @Test
  void rfc7432_7_1_autoDiscovery() {
    EvpnNlri n =
        roundTrip(
            EthernetAutoDiscoveryRoute.perEvi(RD, ESI, EthernetTag.of(100), LabelField.ofVni(5000)),
            RD_HEX + ESI_HEX + "00000064" + "001388");
    assertEquals(100, n.ethernetTag());
    assertEquals(NlriLayout.AutoDiscovery.LENGTH, n.valueLength());
  }

  @Test
  void rfc7432_7_2_macIpWithTwoLabels() {
    EvpnNlri n =
        roundTrip(
            new MacIpAdvertisementRoute(
                RD,
                ESI,
                EthernetTag.of(100),
                MacAddress.parse("00:00:0a:0b:0c:0d"),
                IpAddress.parse("10.1.0.5"),
                LabelField.ofVni(100),
                LabelField.ofVni(5000)),
            RD_HEX
                + ESI_HEX
                + "00000064"
                + "30"
                + "00000a0b0c0d"
                + "20"
                + "0a010005"
                + "000064"
                + "001388");
    assertEquals(0x00000a0b0c0dL, n.mac());
    assertEquals(IpAddress.parse("10.1.0.5"), n.ip());
    assertTrue(n.hasLabel2());
  }

  @Test
  void rfc7432_7_3_inclusiveMulticast() {
    EvpnNlri n =
        roundTrip(
            new InclusiveMulticastRoute(RD, EthernetTag.of(100), IpAddress.parse("10.0.0.1")),
            RD_HEX + "00000064" + "20" + "0a000001");
    assertEquals(IpAddress.parse("10.0.0.1"), n.ip());
  }

  @Test
  void rfc7432_7_4_ethernetSegment() {
    EvpnNlri n =
        roundTrip(
            EthernetSegmentRoute.of(RD, ESI, IpAddress.parse("2001:db8::1")),
            RD_HEX + ESI_HEX + "80" + "20010db8000000000000000000000001");
    assertEquals(128, n.ipLength());
  }

  @Test
  void rfc9136_3_1_ipPrefix() {
    EvpnNlri n =
        roundTrip(
            new IpPrefixRoute(
                RD,
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.ZERO,
                IpAddress.parse("10.9.0.0"),
                16,
                IpAddress.parse("10.1.0.99"),
                LabelField.ofVni(5000)),
            RD_HEX
                + "00000000000000000000"
                + "00000000"
                + "10"
                + "0a090000"
                + "0a010063"
                + "001388");
    assertEquals(16, n.prefixLength());
    assertEquals(IpAddress.parse("10.1.0.99"), n.gateway());
  }
}
