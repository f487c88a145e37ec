package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.VtepConfig;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The IP-VRF routes alone: symmetric IRB host routes (RFC 9135) and both models of IP prefix routes
 * (RFC 9136).
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class IpVrfRoutesTest extends RibFixture {
  static final MacAddress RMAC_B = MacAddress.parse("02:00:00:00:00:02");
  static final MacAddress RMAC_C = MacAddress.parse("02:00:00:00:00:03");
  static final IpAddress GATEWAY = IpAddress.parse("10.1.0.99");

  final FibState fib = new FibState(List::of);
  final IpVrfRoutes routes = new IpVrfRoutes(fib, LOCAL);
  final Instance vrf =
      new Instances(
              VtepConfig.parse(
                  """
      routing-instances { T5 { instance-type vrf; route-distinguisher 10.0.0.1:5000; vrf-target target:65000:5000; } }
      """),
              65000)
          .all()
          .get(0);

  static IpPrefixRoute prefix(IpAddress pe, String prefix, int length, IpAddress gateway) {
    return new IpPrefixRoute(
        RouteDistinguisher.parse(pe + ":5000"),
        EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO,
        IpAddress.parse(prefix),
        length,
        gateway,
        LabelField.ofVni(5000));
  }

  static MacIpAdvertisementRoute host(IpAddress pe, IpAddress ip) {
    return new MacIpAdvertisementRoute(
        RouteDistinguisher.parse(pe + ":1"),
        EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO,
        MacAddress.parse("00:00:00:00:00:99"),
        ip,
        LabelField.ofVni(100),
        LabelField.ofVni(5000));
  }

  ForwardingOp.@Nullable SetRoute installed(String prefix) {
    ForwardingOp op = fib.wanted(new ForwardingOp.RemoveRoute("T5", IpPrefix.parse(prefix)));
    return op instanceof ForwardingOp.SetRoute r ? r : null;
  }

  @Test
  void rfc9136_4_4_1_interfaceLessRoutesGoToTheirNextHopWithItsRouterMac() {
    IpPrefixRoute r = prefix(B, "10.9.0.0", 16, IpAddress.parse("0.0.0.0"));
    routes.prefixRoute(vrf, EvpnRouteKey.of(r), r, B, RMAC_B, true);
    assertEquals(
        new ForwardingOp.SetRoute("T5", IpPrefix.parse("10.9.0.0/16"), B, 5000, RMAC_B),
        installed("10.9.0.0/16"));
    routes.prefixRoute(vrf, EvpnRouteKey.of(r), r, B, RMAC_B, false);
    assertNull(installed("10.9.0.0/16"));
  }

  @Test
  void ofSeveralRoutesForOnePrefixTheLowestNextHopIsInstalled() {
    IpPrefixRoute fromC = prefix(C, "10.9.0.0", 16, IpAddress.parse("0.0.0.0"));
    IpPrefixRoute fromB = prefix(B, "10.9.0.0", 16, IpAddress.parse("0.0.0.0"));
    routes.prefixRoute(vrf, EvpnRouteKey.of(fromC), fromC, C, RMAC_C, true);
    routes.prefixRoute(vrf, EvpnRouteKey.of(fromB), fromB, B, RMAC_B, true);
    assertEquals(B, installed("10.9.0.0/16").nextHop());
    routes.prefixRoute(vrf, EvpnRouteKey.of(fromB), fromB, B, RMAC_B, false);
    assertEquals(C, installed("10.9.0.0/16").nextHop());
  }

  @Test
  void rfc9136_4_2_gatewayRoutesResolveThroughTheGatewaysMacIpRouteAndFollowIt() {
    IpPrefixRoute behind = prefix(B, "192.168.0.0", 16, GATEWAY);
    routes.prefixRoute(vrf, EvpnRouteKey.of(behind), behind, B, null, true);
    assertNull(installed("192.168.0.0/16"), "the gateway is not known yet");
    MacIpAdvertisementRoute viaC = host(C, GATEWAY);
    routes.macIpRoute(vrf, EvpnRouteKey.of(viaC), GATEWAY, C, 5000, RMAC_C, true);
    assertEquals(
        new ForwardingOp.SetRoute("T5", IpPrefix.parse("192.168.0.0/16"), C, 5000, RMAC_C),
        installed("192.168.0.0/16"));
    assertEquals(
        C, installed("10.1.0.99/32").nextHop(), "RFC 9135 §5: the gateway's own host route");
    MacIpAdvertisementRoute viaB = host(B, GATEWAY);
    routes.macIpRoute(vrf, EvpnRouteKey.of(viaB), GATEWAY, B, -1, RMAC_B, true);
    assertEquals(B, installed("192.168.0.0/16").nextHop(), "resolved through the lowest VTEP");
    routes.macIpRoute(vrf, EvpnRouteKey.of(viaB), GATEWAY, B, -1, RMAC_B, false);
    routes.macIpRoute(vrf, EvpnRouteKey.of(viaC), GATEWAY, C, 5000, RMAC_C, false);
    assertNull(installed("192.168.0.0/16"), "unresolved again");
    assertNull(installed("10.1.0.99/32"));
  }

  // through the RIB
  @Test
  void ipPrefixRoutesInstallInTheIpVrf() {
    String config =
        """
        routing-options { autonomous-system 65000; }
        interfaces { irb { unit 100 { family inet { address 10.1.0.1/24; } } } }
        routing-instances {
            T5 { instance-type vrf; interface irb.100; route-distinguisher 10.0.0.1:5000; vrf-target target:65000:5000;
                 protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } } }
        }
        """;
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).build();
    IpPrefixRoute t5 =
        new IpPrefixRoute(
            RouteDistinguisher.parse("10.0.0.2:5000"),
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            IpAddress.parse("10.9.0.0"),
            16,
            IpAddress.parse("0.0.0.0"),
            LabelField.ofVni(5000));
    rib.announce(
        RR,
        0,
        t5,
        attrs(
            B,
            ExtendedCommunity.parse("target:65000:5000"),
            ExtendedCommunity.routerMac(MacAddress.parse("02:00:00:00:00:02"))));
    ForwardingOp.SetRoute r = driver.table.route("T5", IpPrefix.parse("10.9.0.0/16"));
    assertNotNull(r);
    assertEquals(B, r.nextHop());
    assertEquals(5000, r.vni());
    assertEquals(MacAddress.parse("02:00:00:00:00:02"), r.routerMac());
    rib.withdraw(RR, 0, t5);
    assertNull(driver.table.route("T5", IpPrefix.parse("10.9.0.0/16")));
  }

  @Test
  void gatewayIpPrefixRoutesResolveThroughTheGatewaysMacIpRoute() {
    String config =
        """
        routing-options { autonomous-system 65000; }
        interfaces { irb { unit 100 { family inet { address 10.1.0.1/24; } } } }
        routing-instances {
            T5 { instance-type vrf; interface irb.100; route-distinguisher 10.0.0.1:5000; vrf-target target:65000:5000;
                 protocols { evpn { ip-prefix-routes { advertise gateway-address; encapsulation vxlan; vni 5000; } } } }
        }
        """;
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).build();
    ExtendedCommunity t5 = ExtendedCommunity.parse("target:65000:5000");
    IpAddress gw = IpAddress.parse("10.1.0.99");
    IpPrefixRoute behindGw =
        new IpPrefixRoute(
            RouteDistinguisher.parse("10.0.0.2:5000"),
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            IpAddress.parse("192.168.0.0"),
            16,
            gw,
            LabelField.ofVni(5000));
    rib.announce(RR, 0, behindGw, attrs(B, t5));
    assertNull(
        driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")), "the gateway is not known yet");
    MacIpAdvertisementRoute vnf =
        new MacIpAdvertisementRoute(
            RouteDistinguisher.parse("10.0.0.3:1"),
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            MacAddress.parse("02:00:00:00:00:99"),
            gw,
            LabelField.ofVni(100),
            LabelField.ofVni(5000));
    rib.announce(
        RR,
        0,
        vnf,
        attrs(C, t5, ExtendedCommunity.routerMac(MacAddress.parse("02:00:00:00:00:03"))));
    ForwardingOp.SetRoute r = driver.table.route("T5", IpPrefix.parse("192.168.0.0/16"));
    assertNotNull(r);
    assertEquals(C, r.nextHop(), "resolved to the VTEP behind which the gateway is");
    assertEquals(MacAddress.parse("02:00:00:00:00:03"), r.routerMac());
    assertNotNull(
        driver.table.route("T5", IpPrefix.parse("10.1.0.99/32")),
        "and the gateway's own host route");
    rib.withdraw(RR, 0, vnf);
    assertNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")), "unresolved again");
    rib.announce(RR, 0, vnf, attrs(C, t5));
    assertNotNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")));
    rib.withdraw(RR, 0, behindGw);
    assertNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")));
  }
}
