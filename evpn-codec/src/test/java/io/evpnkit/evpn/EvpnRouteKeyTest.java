package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class EvpnRouteKeyTest {
  static final RouteDistinguisher RD = RouteDistinguisher.parse("10.255.0.1:100");
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  static MacIpAdvertisementRoute mac(
      EthernetSegmentIdentifier esi, @org.jspecify.annotations.Nullable String ip, int label) {
    return new MacIpAdvertisementRoute(
        RD,
        esi,
        EthernetTag.ZERO,
        MacAddress.parse("00:00:0a:0b:0c:0d"),
        ip == null ? null : IpAddress.parse(ip),
        LabelField.of(label),
        null);
  }

  @Test
  void theFieldsTheRfcsLeaveOutDoNotMatter() {
    // RFC 7432 §7.2: ESI and labels are not part of the key
    assertEquals(
        mac(EthernetSegmentIdentifier.ZERO, "10.0.0.5", 100).key(),
        mac(ESI, "10.0.0.5", 200).key());
    assertNotEquals(mac(ESI, "10.0.0.5", 100).key(), mac(ESI, "10.0.0.6", 100).key());
    assertNotEquals(mac(ESI, null, 100).key(), mac(ESI, "10.0.0.6", 100).key());
    // RFC 7432 §7.4: the RD is not part of the Ethernet Segment route's key
    IpAddress o = IpAddress.parse("10.255.0.1");
    assertEquals(
        new EthernetSegmentRoute(RD, ESI, o).key(),
        new EthernetSegmentRoute(RouteDistinguisher.parse("10.255.0.1:0"), ESI, o).key());
    // RFC 9136 §3.1: nor the gateway, ESI and label of an IP Prefix route
    IpAddress p = IpAddress.parse("10.1.0.0");
    assertEquals(
        new IpPrefixRoute(
                RD, ESI, EthernetTag.ZERO, p, 24, IpAddress.parse("10.0.0.1"), LabelField.of(5))
            .key(),
        new IpPrefixRoute(
                RD,
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.ZERO,
                p,
                24,
                IpAddress.parse("0.0.0.0"),
                LabelField.of(6))
            .key());
    assertNotEquals(
        new IpPrefixRoute(RD, ESI, EthernetTag.ZERO, p, 24, o, LabelField.ZERO).key(),
        new IpPrefixRoute(RD, ESI, EthernetTag.ZERO, p, 25, o, LabelField.ZERO).key());
    // RFC 7432 §7.1: nor the label of an A-D route
    assertEquals(
        new EthernetAutoDiscoveryRoute(RD, ESI, EthernetTag.MAX, LabelField.ZERO).key(),
        new EthernetAutoDiscoveryRoute(RD, ESI, EthernetTag.MAX, LabelField.of(1)).key());
    assertEquals(
        "2:10.255.0.1:100::0::00:00:0a:0b:0c:0d::10.0.0.5/304",
        mac(ESI, "10.0.0.5", 1).key().toString());
  }

  @Test
  void theMacIpKeyWrittenFromTheFieldsIsTheKeyOfTheEncodedRoute() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(0x7e57_2026L);
    for (int i = 0; i < 2000; i++) {
      RouteDistinguisher rd =
          switch (r.nextInt(3)) {
            case 0 -> RouteDistinguisher.ofAs2(r.nextInt(1 << 16), r.nextLong(1L << 32));
            case 1 -> RouteDistinguisher.ofIpv4(r.nextInt(), r.nextInt(1 << 16));
            default -> RouteDistinguisher.ofAs4(r.nextLong(1L << 32), r.nextInt(1 << 16));
          };
      IpAddress ip =
          switch (r.nextInt(3)) {
            case 0 -> null;
            case 1 -> IpAddress.ofIpv4(r.nextInt());
            default -> IpAddress.ofIpv6(r.nextLong(), r.nextLong());
          };
      MacIpAdvertisementRoute m =
          new MacIpAdvertisementRoute(
              rd,
              EthernetSegmentIdentifier.of(r.nextLong(), r.nextInt(1 << 16)),
              EthernetTag.of(r.nextLong(1L << 32)),
              MacAddress.of(r.nextLong(1L << 48)),
              ip,
              LabelField.of(r.nextInt(1 << 24)),
              r.nextBoolean() ? null : LabelField.of(r.nextInt(1 << 24)));
      EvpnRouteKey fast = EvpnRouteKey.of(m);
      EvpnRouteKey encoded = EvpnRouteKey.ofEncoded(m);
      assertEquals(encoded, fast, m::toString);
      assertEquals(encoded.hashCode(), fast.hashCode(), m::toString);
      assertEquals(0, encoded.compareTo(fast), m::toString);
      org.junit.jupiter.api.Assertions.assertArrayEquals(encoded.octets(), fast.octets());
    }
  }

  @Test
  void keysOrderByTypeThenOctets() {
    TreeSet<EvpnRouteKey> keys = new TreeSet<>();
    for (EvpnRoute r : MulticastRoutesTest.samples()) {
      keys.add(r.key());
    }
    keys.add(mac(ESI, "10.0.0.5", 1).key());
    assertEquals(2, keys.first().routeTypeCode());
    assertEquals(11, keys.last().routeTypeCode());
    assertTrue(keys.size() >= 8);
  }
}
