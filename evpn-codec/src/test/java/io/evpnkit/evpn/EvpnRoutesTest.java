package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EvpnRoutesTest {
  /** The five route lines of the design deck's CLI example (../shared/seed/), as printed there. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1:1.2.3.11:1::010101010101010101::0/304",
        "1:1.2.3.12:0::010101010101010101::FFFF:FFFF/304",
        "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304",
        "3:1.2.3.11:1::100::1.2.3.11/304",
        "3:1.2.3.12:1::100::1.2.3.12/304",
      })
  void theDecksRoutesParse(String line) {
    EvpnRoute r = EvpnRoutes.parseJunos(line, true);
    assertEquals(r, EvpnRoutes.parseJunos(r.toString()), "parse(format(x)) == x");
    if (line.startsWith("1:")) {
      // the deck prints 9 ESI octets where Junos prints 10: strict parsing refuses them
      MalformedException e =
          assertThrows(MalformedException.class, () -> EvpnRoutes.parseJunos(line));
      assertEquals(line.indexOf("::") + 2, e.offset());
    }
  }

  @Test
  void fieldsOfParsedRoutes() {
    var ad =
        assertInstanceOf(
            EthernetAutoDiscoveryRoute.class,
            EvpnRoutes.parseJunos("1:1.2.3.12:0::050000ff780000000100::FFFF:FFFF/192"));
    assertTrue(ad.isPerEthernetSegment());
    assertEquals(5, ad.esi().type());
    assertEquals("1.2.3.12:0", ad.rd().toString());
    var mac =
        assertInstanceOf(
            MacIpAdvertisementRoute.class,
            EvpnRoutes.parseJunos("2:1.2.3.12:1::100::00:00:0a:0b:0c:0d::10.0.0.5/304"));
    assertEquals("10.0.0.5", String.valueOf(mac.ip()));
    assertEquals(100, mac.ethernetTag().value());
    var v6 =
        assertInstanceOf(
            MacIpAdvertisementRoute.class,
            EvpnRoutes.parseJunos("2:65000:1::0::00:00:0a:0b:0c:0d::2001:db8::5/304"));
    assertEquals("2001:db8::5", String.valueOf(v6.ip()));
    var prefix =
        assertInstanceOf(
            IpPrefixRoute.class, EvpnRoutes.parseJunos("5:10.255.0.1:1000::0::fd00:1::::64/440"));
    assertEquals(64, prefix.prefixLength());
    assertEquals("fd00:1::", prefix.prefix().toString());
    assertEquals("5:10.255.0.1:1000::0::fd00:1::::64/440", prefix.toString());
    var es =
        assertInstanceOf(
            EthernetSegmentRoute.class,
            EvpnRoutes.parseJunos("4:1.2.3.11:0::050000ff780000000100::1.2.3.11/304"));
    assertEquals("1.2.3.11", es.originator().toString());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/192 | 37",
        "2:1.2.3.12:1::100::00:00:0a:0b:0c:0zz/304 | 35",
        "3:1.2.3.11:1::100::1.2.3/304 | 23",
        "3:1.2.3.11:1::100/304 | 17",
        "3:1.2.300.11:1::100::1.2.3.11/304 | 6",
        "12:1.2.3.11:1::100/304 | 0",
        "9:1.2.3.11:1::100/304 | 21",
        "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d | 36",
        "5:10.255.0.1:1000::0::10.1.0.0::33/248 | 32",
      })
  void errorsSayWhere(String text, int offset) {
    MalformedException e =
        assertThrows(MalformedException.class, () -> EvpnRoutes.parseJunos(text));
    assertEquals(offset, e.offset(), e.getMessage());
  }

  @Test
  void wireRoundTripOfGobgpsRoutes() {
    ByteBuf b = GobgpSample.buffer();
    EvpnNlri n = new EvpnNlri();
    int[] routes = {0};
    GobgpSample.forEachNlriField(
        b,
        (attribute, from, end) -> {
          if (attribute != 14) {
            return; // announcements: the sample has no withdrawals
          }
          for (int at = from; at < end; at += n.totalLength()) {
            n.wrap(b, at, end);
            EvpnRoute route = EvpnRoutes.decode(n);
            byte[] wire = new byte[n.totalLength()];
            b.getBytes(at, wire);
            assertArrayEquals(wire, EvpnRoutes.toBytes(route), route::toString);
            assertEquals(route, EvpnRoutes.fromBytes(wire));
            EvpnRoute text = EvpnRoutes.parseJunos(route.toString());
            assertEquals(route.toString(), text.toString());
            String frr = EvpnRoutes.formatFrr(route);
            assertEquals(
                frr,
                EvpnRoutes.formatFrr(
                    EvpnRoutes.parseFrr(frr, RouteDistinguisher.of(n.routeDistinguisherValue()))));
            routes[0]++;
          }
        });
    assertTrue(routes[0] > 1000, routes[0] + " routes");
    b.release();
  }

  @Test
  void frrForms() {
    RouteDistinguisher rd = RouteDistinguisher.parse("1.2.3.12:1");
    EvpnRoute mac = EvpnRoutes.parseJunos("2:1.2.3.12:1::0::00:00:0a:0b:0c:0d::10.0.0.5/304");
    assertEquals("[2]:[0]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5]", EvpnRoutes.formatFrr(mac));
    assertEquals(mac, EvpnRoutes.parseFrr("[2]:[0]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5]", rd));
    assertEquals(
        "[2]:[0]:[48]:[00:00:0a:0b:0c:0d]",
        EvpnRoutes.formatFrr(EvpnRoutes.parseFrr("[2]:[0]:[48]:[00:00:0a:0b:0c:0d]", rd)));
    assertEquals(
        "[3]:[100]:[32]:[1.2.3.11]",
        EvpnRoutes.formatFrr(EvpnRoutes.parseJunos("3:1.2.3.11:1::100::1.2.3.11/304")));
    assertEquals(
        "[4]:[05:00:00:ff:78:00:00:00:01:00]:[32]:[1.2.3.11]",
        EvpnRoutes.formatFrr(
            EvpnRoutes.parseJunos("4:1.2.3.11:0::050000ff780000000100::1.2.3.11/304")));
    assertEquals(
        "[5]:[0]:[64]:[fd00:1::]",
        EvpnRoutes.formatFrr(EvpnRoutes.parseJunos("5:10.255.0.1:1000::0::fd00:1::::64/440")));
    EvpnRoute ad =
        EvpnRoutes.parseFrr(
            "[1]:[4294967295]:[05:00:00:ff:78:00:00:00:01:00]:[32]:[1.2.3.12]:[0]", rd);
    assertEquals("1:1.2.3.12:1::050000ff780000000100::FFFF:FFFF/192", ad.toString());
    assertEquals(
        34,
        assertThrows(
                MalformedException.class,
                () ->
                    EvpnRoutes.parseFrr("[2]:[0]:[48]:[00:00:0a:0b:0c:0d]:[32]:[2001:db8::1]", rd))
            .offset());
    assertEquals(
        9,
        assertThrows(
                MalformedException.class,
                () -> EvpnRoutes.parseFrr("[2]:[0]:[47]:[00:00:0a:0b:0c:0d]", rd))
            .offset());
    assertThrows(MalformedException.class, () -> EvpnRoutes.parseFrr("[3]:[1]:[32]", rd));
    assertThrows(MalformedException.class, () -> EvpnRoutes.parseFrr("3:[1]", rd));
  }

  @Test
  void opaqueRoutesReEncodeByteForByte() {
    byte[] wire = {42, 3, 1, 2, 3};
    EvpnRoute r = EvpnRoutes.fromBytes(wire);
    assertInstanceOf(OpaqueRoute.class, r);
    assertArrayEquals(wire, EvpnRoutes.toBytes(r));
    assertEquals("42:hex:010203", r.toString());
    assertEquals(r, EvpnRoutes.parseJunos("42:hex:010203"));
    // found by Jazzer (EvpnFuzzTestInputs/nlriField/regression-opaque-type-0-text): an empty value
    EvpnRoute empty = EvpnRoutes.fromBytes(new byte[] {0, 0});
    assertEquals("0:hex:", empty.toString());
    assertEquals(empty, EvpnRoutes.parseJunos("0:hex:"));
    assertThrows(MalformedException.class, () -> EvpnRoutes.parseJunos("42:hex:010"));
  }

  @Test
  void rfc7432_5_routesAboutASegmentRefuseTheZeroAndTheReservedEsi() {
    RouteDistinguisher rd = RouteDistinguisher.parse("10.0.0.1:0");
    EthernetSegmentIdentifier esi =
        EthernetSegmentIdentifier.parse("00:11:11:11:11:11:11:11:11:11");
    for (EthernetSegmentIdentifier bad :
        new EthernetSegmentIdentifier[] {
          EthernetSegmentIdentifier.ZERO, EthernetSegmentIdentifier.MAX
        }) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> EthernetAutoDiscoveryRoute.perEthernetSegment(rd, bad));
      assertTrue(String.valueOf(e.getMessage()).contains(bad.toString()), e::getMessage);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              EthernetAutoDiscoveryRoute.perEvi(rd, bad, EthernetTag.ZERO, LabelField.ofVni(100)));
      assertThrows(
          IllegalArgumentException.class,
          () -> EthernetSegmentRoute.of(rd, bad, IpAddress.parse("10.0.0.1")));
    }
    assertTrue(EthernetAutoDiscoveryRoute.perEthernetSegment(rd, esi).isWellFormed());
    assertEquals(
        EthernetTag.MAX, EthernetAutoDiscoveryRoute.perEthernetSegment(rd, esi).ethernetTag());
    assertEquals(esi, EthernetSegmentRoute.of(rd, esi, IpAddress.parse("10.0.0.1")).esi());
  }

  @Test
  void rfc7432_8_2_1_thePerEsRouteHasLabelZeroAndOnlyItHasTagMaxEt() {
    RouteDistinguisher rd = RouteDistinguisher.parse("10.0.0.1:0");
    EthernetSegmentIdentifier esi =
        EthernetSegmentIdentifier.parse("00:11:11:11:11:11:11:11:11:11");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                EthernetAutoDiscoveryRoute.perEvi(rd, esi, EthernetTag.MAX, LabelField.ofVni(100)));
    assertTrue(String.valueOf(e.getMessage()).contains("MAX-ET"), e::getMessage);
    assertEquals(LabelField.ZERO, EthernetAutoDiscoveryRoute.perEthernetSegment(rd, esi).label());
    // a received per-ES route with a label is kept as sent (nothing accepted is lost), and says it
    // is not well formed
    EthernetAutoDiscoveryRoute received =
        new EthernetAutoDiscoveryRoute(rd, esi, EthernetTag.MAX, LabelField.of(5));
    assertTrue(!received.isWellFormed());
    assertEquals(
        received,
        EvpnRoutes.decode(new EvpnNlri().wrap(encode(received), 0, 2 + received.valueLength())));
  }

  private static ByteBuf encode(EvpnRoute route) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer();
    route.encode(b);
    return b;
  }

  @Test
  void rfc9572_3_1_aRegionIdIsAnAsOrAnIpv4AddressInExtendedCommunityForm() {
    RouteDistinguisher rd = RouteDistinguisher.parse("10.0.0.1:0");
    PerRegionIpmsiRoute byAs =
        PerRegionIpmsiRoute.of(rd, EthernetTag.ZERO, ExtendedCommunity.parse("target:65000:1"));
    assertEquals(ExtendedCommunity.parse("target:65000:1"), byAs.regionIdCommunity());
    assertEquals(ExtendedCommunity.parse("target:65000:1").value(), byAs.regionId());
    PerRegionIpmsiRoute byArea =
        PerRegionIpmsiRoute.of(
            rd, EthernetTag.ZERO, ExtendedCommunity.routeTargetIpv4(0x0a000000, 0));
    assertEquals(0x0102, byArea.regionIdCommunity().value() >>> 48);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PerRegionIpmsiRoute.of(rd, EthernetTag.ZERO, ExtendedCommunity.encapsulation(8)));
    assertTrue(String.valueOf(e.getMessage()).contains("Region ID"), e::getMessage);
  }
}
