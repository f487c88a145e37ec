package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link EvpnRouteKey#sameKey} and {@link EvpnRouteKey#hashOf} (the allocation-free comparison a
 * RIB's route table uses) agree with the keys {@link EvpnRouteKey#of} builds from the wire form:
 * for every route of testkit's generated UPDATEs (every route type, unknown ones included), for
 * every pair of them, and for variants that change one field the key leaves out (must stay the same
 * route) or one it includes (must become another route).
 */
class RouteKeyPropertiesTest {
  @TestFactory
  Stream<DynamicTest> theInPlaceComparisonAgreesWithTheBuiltKeys() {
    long seed = Seeds.runSeed();
    return new EvpnUpdateGenerator(seed ^ 0x4B45)
        .stream(Seeds.cases(300))
            .map(
                u ->
                    DynamicTest.dynamicTest(
                        u.id(),
                        () -> {
                          List<EvpnRoute> routes = new ArrayList<>();
                          for (byte[] nlri : u.announced()) {
                            routes.add(EvpnRoutes.fromBytes(nlri));
                          }
                          for (byte[] nlri : u.withdrawn()) {
                            routes.add(EvpnRoutes.fromBytes(nlri));
                          }
                          List<EvpnRoute> all = new ArrayList<>(routes);
                          for (EvpnRoute r : routes) {
                            all.addAll(variants(r));
                          }
                          for (EvpnRoute a : routes) {
                            for (EvpnRoute b : all) {
                              check(a, b, u.id());
                              check(b, a, u.id());
                            }
                          }
                        }));
  }

  static void check(EvpnRoute a, EvpnRoute b, String id) {
    boolean same = EvpnRouteKey.of(a).equals(EvpnRouteKey.of(b));
    assertEquals(same, EvpnRouteKey.sameKey(a, b), () -> id + ": " + a + " vs " + b);
    if (same) {
      assertEquals(
          EvpnRouteKey.hashOf(a),
          EvpnRouteKey.hashOf(b),
          () -> id + ": hashes of " + a + " and " + b);
    }
  }

  static final EthernetSegmentIdentifier OTHER_ESI =
      EthernetSegmentIdentifier.parse("00:99:88:77:66:55:44:33:22:11");

  /** Routes that differ from {@code r} in one field, inside the key or outside it. */
  static List<EvpnRoute> variants(EvpnRoute r) {
    List<EvpnRoute> out = new ArrayList<>();
    RouteDistinguisher otherRd = RouteDistinguisher.of(0x0001_0A00_0001_0007L);
    if (r instanceof MacIpAdvertisementRoute m) {
      out.add(
          new MacIpAdvertisementRoute(
              m.rd(),
              OTHER_ESI,
              m.ethernetTag(),
              m.mac(),
              m.ip(),
              LabelField.of((m.label1().raw() + 1) & 0xFF_FFFF),
              m.label2() == null ? LabelField.ofVni(9) : null));
      out.add(
          new MacIpAdvertisementRoute(
              m.rd(),
              m.esi(),
              m.ethernetTag(),
              MacAddress.of(m.mac().value() ^ 1),
              m.ip(),
              m.label1(),
              m.label2()));
      out.add(
          new MacIpAdvertisementRoute(
              otherRd, m.esi(), m.ethernetTag(), m.mac(), m.ip(), m.label1(), m.label2()));
      out.add(
          new MacIpAdvertisementRoute(
              m.rd(),
              m.esi(),
              EthernetTag.of(m.ethernetTag().value() ^ 1),
              m.mac(),
              m.ip(),
              m.label1(),
              m.label2()));
      out.add(
          new MacIpAdvertisementRoute(
              m.rd(),
              m.esi(),
              m.ethernetTag(),
              m.mac(),
              m.ip() == null ? IpAddress.parse("10.1.1.1") : null,
              m.label1(),
              m.label2()));
    } else if (r instanceof EthernetAutoDiscoveryRoute ad) {
      out.add(
          new EthernetAutoDiscoveryRoute(
              ad.rd(),
              ad.esi(),
              ad.ethernetTag(),
              LabelField.of((ad.label().raw() + 1) & 0xFF_FFFF)));
      out.add(new EthernetAutoDiscoveryRoute(ad.rd(), OTHER_ESI, ad.ethernetTag(), ad.label()));
      out.add(new EthernetAutoDiscoveryRoute(otherRd, ad.esi(), ad.ethernetTag(), ad.label()));
    } else if (r instanceof InclusiveMulticastRoute im) {
      out.add(
          new InclusiveMulticastRoute(im.rd(), im.ethernetTag(), IpAddress.parse("192.0.2.77")));
      out.add(new InclusiveMulticastRoute(otherRd, im.ethernetTag(), im.originator()));
    } else if (r instanceof EthernetSegmentRoute es) {
      out.add(new EthernetSegmentRoute(otherRd, es.esi(), es.originator()));
      out.add(new EthernetSegmentRoute(es.rd(), OTHER_ESI, es.originator()));
      out.add(new EthernetSegmentRoute(es.rd(), es.esi(), IpAddress.parse("2001:db8::77")));
    } else if (r instanceof IpPrefixRoute p) {
      out.add(
          new IpPrefixRoute(
              p.rd(),
              OTHER_ESI,
              p.ethernetTag(),
              p.prefix(),
              p.prefixLength(),
              p.prefix(),
              LabelField.of((p.label().raw() + 1) & 0xFF_FFFF)));
      out.add(
          new IpPrefixRoute(
              otherRd,
              p.esi(),
              p.ethernetTag(),
              p.prefix(),
              p.prefixLength(),
              p.gateway(),
              p.label()));
      out.add(
          new IpPrefixRoute(
              p.rd(),
              p.esi(),
              p.ethernetTag(),
              p.prefix(),
              p.prefixLength() == 0 ? 1 : p.prefixLength() - 1,
              p.gateway(),
              p.label()));
    }
    return out;
  }
}
