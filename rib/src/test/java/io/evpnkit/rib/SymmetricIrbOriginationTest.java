package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.VtepConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A leaf's own MAC/IP routes in symmetric IRB (RFC 9135 §5.1): a bridge domain whose IRB is in an
 * IP-VRF with an L3 VNI, and a router MAC given to the RIB. The MAC/IP route carries label 2 = the
 * L3 VNI, the Router's MAC extended community (§8.1) and the IP-VRF's targets beside the MAC-VRF's;
 * the MAC-only route stays a MAC-VRF route; a leaf of the same fabric installs the host route in
 * its IP-VRF from it (ingress optimisation).
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class SymmetricIrbOriginationTest extends RibFixture {
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      interfaces {
          xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
          irb { unit 100 { family inet { address 10.1.0.1/24; } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; l3-interface irb.100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      routing-instances {
          T5 { instance-type vrf; interface irb.100; route-distinguisher %1$s:5000; vrf-target target:65000:5000;
               protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } } }
      }
      """;

  static final MacAddress ROUTER_MAC = MacAddress.parse("02:00:00:00:00:01");
  static final IpAddress HOST = IpAddress.parse("10.1.0.5");
  static final ExtendedCommunity RT_MAC_VRF = ExtendedCommunity.parse("target:65000:100");
  static final ExtendedCommunity RT_IP_VRF = ExtendedCommunity.parse("target:65000:5000");

  /** What a RIB announced, route by route. */
  static final class Announced implements RouteSink {
    final Map<EvpnRoute, PathAttributes> routes = new LinkedHashMap<>();

    @Override
    public void announce(EvpnRoute route, PathAttributes attributes) {
      routes.put(route, attributes);
    }

    @Override
    public void withdraw(EvpnRoute route) {
      routes.remove(route);
    }

    MacIpAdvertisementRoute macIp(boolean withIp) {
      for (EvpnRoute r : routes.keySet()) {
        if (r instanceof MacIpAdvertisementRoute m && (m.ip() != null) == withIp) {
          return m;
        }
      }
      throw new AssertionError("no MAC" + (withIp ? "/IP" : "-only") + " route in " + routes);
    }
  }

  static EvpnRib leaf(IpAddress vtep, Announced sink, boolean routerMac, ForwardingDriver driver) {
    return leaf(vtep, sink, routerMac, driver, CONFIG);
  }

  static EvpnRib leaf(
      IpAddress vtep, Announced sink, boolean routerMac, ForwardingDriver driver, String config) {
    EvpnRib.Builder b =
        EvpnRib.builder(VtepConfig.parse(config.formatted(vtep)), vtep, driver).routeSink(sink);
    if (routerMac) {
      b.routerMac(ROUTER_MAC);
    }
    return b.build();
  }

  @Test
  void rfc9135_5_1_theMacIpRouteCarriesTheL3VniTheRouterMacAndTheIpVrfsTargets() {
    Announced sink = new Announced();
    EvpnRib rib = leaf(LOCAL, sink, true, driver);
    rib.macLearned(100, M, "xe-0/0/1.0", HOST);

    MacIpAdvertisementRoute routed = sink.macIp(true);
    assertEquals(100, routed.label1().vni());
    assertNotNull(routed.label2(), routed.toString());
    assertEquals(5000, routed.label2().vni(), "label 2: the IP-VRF's L3 VNI");
    PathAttributes a = sink.routes.get(routed);
    assertTrue(a.extendedCommunities().contains(RT_MAC_VRF), a.toString());
    assertTrue(a.extendedCommunities().contains(RT_IP_VRF), a.toString());
    assertTrue(
        a.extendedCommunities().contains(ExtendedCommunity.routerMac(ROUTER_MAC)), a.toString());

    MacIpAdvertisementRoute bridged = sink.macIp(false);
    assertNull(bridged.label2());
    PathAttributes b = sink.routes.get(bridged);
    assertFalse(b.extendedCommunities().contains(RT_IP_VRF), b.toString());
    assertFalse(
        b.extendedCommunities().contains(ExtendedCommunity.routerMac(ROUTER_MAC)), b.toString());
  }

  @Test
  void withoutARouterMacTheRoutesAreAsymmetric() {
    Announced sink = new Announced();
    EvpnRib rib = leaf(LOCAL, sink, false, driver);
    rib.macLearned(100, M, "xe-0/0/1.0", HOST);
    MacIpAdvertisementRoute routed = sink.macIp(true);
    assertNull(routed.label2(), routed.toString());
    assertFalse(sink.routes.get(routed).extendedCommunities().contains(RT_IP_VRF));
  }

  @Test
  void rfc9135_5_2_anotherLeafInstallsTheHostRouteInItsIpVrfViaOurRouterMac() {
    Announced ours = new Announced();
    EvpnRib a = leaf(LOCAL, ours, true, driver);
    a.macLearned(100, M, "xe-0/0/1.0", HOST);
    Recording theirs = new Recording();
    EvpnRib b = leaf(B, new Announced(), true, theirs);
    ours.routes.forEach((route, attributes) -> b.announce(RR, 0, route, attributes));
    ForwardingOp.SetRoute host = theirs.table.route("T5", IpPrefix.parse("10.1.0.5/32"));
    assertNotNull(host, theirs.table.routes().toString());
    assertEquals(LOCAL, host.nextHop());
    assertEquals(5000, host.vni());
    assertEquals(ROUTER_MAC, host.routerMac());
    // the host goes, and its routes are withdrawn: so does the host route
    MacIpAdvertisementRoute routed = ours.macIp(true);
    a.macAged(100, M);
    assertFalse(ours.routes.containsKey(routed));
    b.withdraw(RR, 0, routed);
    assertNull(theirs.table.route("T5", IpPrefix.parse("10.1.0.5/32")));
  }

  static IpPrefixRoute prefixRoute(Announced sink) {
    for (EvpnRoute r : sink.routes.keySet()) {
      if (r instanceof IpPrefixRoute p) {
        return p;
      }
    }
    throw new AssertionError("no IP prefix route in " + sink.routes);
  }

  @Test
  void rfc9136_4_4_1_theIpVrfsIrbSubnetIsAnInterfaceLessPrefixRouteWithTheRouterMac() {
    Announced sink = new Announced();
    leaf(LOCAL, sink, true, driver);
    IpPrefixRoute t5 = prefixRoute(sink);
    assertEquals("5:10.0.0.1:5000::0::10.1.0.0::24", t5.toString().substring(0, 32));
    assertEquals(IpAddress.parse("10.1.0.0"), t5.prefix());
    assertEquals(24, t5.prefixLength());
    assertEquals(IpAddress.parse("0.0.0.0"), t5.gateway(), "interface-less: no gateway");
    assertEquals(5000, t5.label().vni());
    PathAttributes a = sink.routes.get(t5);
    assertTrue(a.extendedCommunities().contains(RT_IP_VRF), a.toString());
    assertFalse(a.extendedCommunities().contains(RT_MAC_VRF), a.toString());
    assertTrue(
        a.extendedCommunities().contains(ExtendedCommunity.routerMac(ROUTER_MAC)), a.toString());
    // without a router MAC an interface-less route cannot be made (§4.4.1): none
    Announced none = new Announced();
    leaf(LOCAL, none, false, driver);
    assertTrue(none.routes.keySet().stream().noneMatch(r -> r instanceof IpPrefixRoute));
  }

  @Test
  void rfc9136_4_2_withAdvertiseGatewayAddressTheIrbAddressIsTheGateway() {
    Announced sink = new Announced();
    EvpnRib.builder(
            VtepConfig.parse(CONFIG.formatted(LOCAL).replace("direct-nexthop", "gateway-address")),
            LOCAL,
            driver)
        .routeSink(sink)
        .build();
    IpPrefixRoute t5 = prefixRoute(sink);
    assertEquals(IpAddress.parse("10.1.0.1"), t5.gateway());
    assertFalse(
        sink.routes
            .get(t5)
            .extendedCommunities()
            .contains(ExtendedCommunity.routerMac(ROUTER_MAC)));
  }

  @Test
  void rfc9136_aPrefixTheIntegratorAddsIsAnnouncedInstalledByAnotherLeafAndWithdrawn() {
    Announced ours = new Announced();
    EvpnRib a = leaf(LOCAL, ours, true, driver);
    assertTrue(a.prefixAdded("T5", IpPrefix.parse("10.9.0.0/16"), null));
    assertFalse(a.prefixAdded("nope", IpPrefix.parse("10.9.0.0/16"), null), "no such IP-VRF");
    IpPrefixRoute added = null;
    for (EvpnRoute r : ours.routes.keySet()) {
      if (r instanceof IpPrefixRoute p && p.prefixLength() == 16) {
        added = p;
      }
    }
    assertNotNull(added, ours.routes.toString());
    Recording theirs = new Recording();
    EvpnRib b = leaf(B, new Announced(), true, theirs);
    b.announce(RR, 0, added, ours.routes.get(added));
    ForwardingOp.SetRoute installed = theirs.table.route("T5", IpPrefix.parse("10.9.0.0/16"));
    assertNotNull(installed, theirs.table.routes().toString());
    assertEquals(LOCAL, installed.nextHop());
    assertEquals(ROUTER_MAC, installed.routerMac());
    assertTrue(a.prefixRemoved("T5", IpPrefix.parse("10.9.0.0/16")));
    assertFalse(ours.routes.containsKey(added), "withdrawn when the prefix goes");
  }

  @Test
  void rfc7432_10_1_theAnycastGatewayOfTheConfigurationIsBoundAdvertisedAndNeverMoves() {
    String config =
        CONFIG
            .formatted(LOCAL)
            .replace("10.1.0.1/24;", "10.1.0.2/24 { virtual-gateway-address 10.1.0.1; }");
    Announced sink = new Announced();
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver)
            .routeSink(sink)
            .listener(events)
            .build();
    MacAddress gw = io.evpnkit.policy.InterfaceConfig.Unit.DEFAULT_VIRTUAL_GATEWAY_V4_MAC;
    MacIpAdvertisementRoute route = sink.macIp(true);
    assertEquals(gw, route.mac());
    assertEquals(IpAddress.parse("10.1.0.1"), route.ip());
    PathAttributes a = sink.routes.get(route);
    assertTrue(a.extendedCommunities().contains(ExtendedCommunity.defaultGateway()), a.toString());
    assertEquals(new Destination.LocalPort("irb.100"), driver.table.mac(100, gw));
    // every leaf advertises the same gateway: another leaf's route moves nothing here
    MacIpAdvertisementRoute theirs =
        new MacIpAdvertisementRoute(
            io.evpnkit.evpn.RouteDistinguisher.parse("10.0.0.2:1"),
            io.evpnkit.evpn.EthernetSegmentIdentifier.ZERO,
            io.evpnkit.evpn.EthernetTag.ZERO,
            gw,
            IpAddress.parse("10.1.0.1"),
            io.evpnkit.evpn.LabelField.ofVni(100),
            null);
    rib.announce(
        RR,
        0,
        theirs,
        attrs(
            B,
            RT_MAC_VRF,
            ExtendedCommunity.defaultGateway(),
            ExtendedCommunity.macMobility(0, true)));
    assertEquals(new Destination.LocalPort("irb.100"), driver.table.mac(100, gw));
    assertTrue(
        events.log.stream().noneMatch(l -> l.contains("moved") || l.contains("duplicate")),
        events.log::toString);
  }

  /**
   * A fabric whose gateway MAC is not Junos's default ({@code virtual-gateway-v4-mac}, {@code
   * virtual-gateway-v6-mac} on the IRB unit, the same on every leaf, e.g. to match another vendor's
   * leaves): the gateway of each family is bound and advertised at the configured MAC.
   */
  @Test
  void rfc9135_4_1_aConfiguredVirtualGatewayMacIsTheOneBoundAndAdvertised() {
    MacAddress v4 = MacAddress.parse("00:00:5e:00:01:0a");
    MacAddress v6 = MacAddress.parse("02:00:00:00:66:01");
    String config =
        CONFIG
            .formatted(LOCAL)
            .replace(
                "irb { unit 100 { family inet { address 10.1.0.1/24; } } }",
                "irb { unit 100 { family inet { address 10.1.0.2/24 { virtual-gateway-address"
                    + " 10.1.0.1; } } family inet6 { address 2001:db8:1::2/64 {"
                    + " virtual-gateway-address 2001:db8:1::1; } } virtual-gateway-v4-mac "
                    + v4
                    + "; virtual-gateway-v6-mac "
                    + v6
                    + "; } }");
    Announced sink = new Announced();
    EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).routeSink(sink).build();
    java.util.Map<MacAddress, IpAddress> advertised = new java.util.HashMap<>();
    for (var e : sink.routes.entrySet()) {
      if (e.getKey() instanceof MacIpAdvertisementRoute m
          && m.ip() != null
          && e.getValue().extendedCommunities().contains(ExtendedCommunity.defaultGateway())) {
        advertised.put(m.mac(), m.ip());
      }
    }
    assertEquals(
        java.util.Map.of(v4, IpAddress.parse("10.1.0.1"), v6, IpAddress.parse("2001:db8:1::1")),
        advertised);
    assertEquals(new Destination.LocalPort("irb.100"), driver.table.mac(100, v4));
    assertEquals(new Destination.LocalPort("irb.100"), driver.table.mac(100, v6));
    assertNull(
        driver.table.mac(
            100, io.evpnkit.policy.InterfaceConfig.Unit.DEFAULT_VIRTUAL_GATEWAY_V4_MAC));
  }

  /**
   * A kernel driver reports what it learns on the RIB's event loop from the moment it is attached:
   * the anycast gateway, bound while building, must be done by then, or building races that thread
   * for the single-writer RIB.
   */
  @Test
  void theAnycastGatewayIsBoundBeforeADriverThatLearnsOnItsOwnThreadIsAttached() throws Exception {
    String config =
        CONFIG
            .formatted(LOCAL)
            .replace("10.1.0.1/24;", "10.1.0.2/24 { virtual-gateway-address 10.1.0.1; }");
    java.util.concurrent.ExecutorService loop =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    java.util.concurrent.CountDownLatch learnedFirst = new java.util.concurrent.CountDownLatch(1);
    ForwardingDriver learning =
        new ForwardingDriver() {
          @Override
          public void apply(java.util.List<ForwardingOp> batch) {}

          @Override
          public void replaceAll(java.util.List<ForwardingOp> state) {}

          @Override
          public void attach(LocalLearning rib) {
            // the kernel's initial dump: a host already there, reported at once on the loop
            loop.execute(
                () -> {
                  rib.macLearned(100, MacAddress.parse("52:54:00:00:00:05"), "xe-0/0/1.0", HOST);
                  learnedFirst.countDown();
                });
            try {
              learnedFirst.await(); // the loop owns the RIB before build() goes on
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        };
    try {
      Announced sink = new Announced();
      EvpnRib rib =
          EvpnRib.builder(VtepConfig.parse(config), LOCAL, learning).routeSink(sink).build();
      assertTrue(
          sink.routes.keySet().stream()
              .anyMatch(
                  r ->
                      r instanceof MacIpAdvertisementRoute m
                          && m.mac()
                              .equals(
                                  io.evpnkit.policy.InterfaceConfig.Unit
                                      .DEFAULT_VIRTUAL_GATEWAY_V4_MAC)),
          sink.routes::toString);
      boolean hostKept =
          loop.submit(
                  () ->
                      rib.macs(100).stream()
                          .anyMatch(m -> m.mac().equals(MacAddress.parse("52:54:00:00:00:05"))))
              .get();
      assertTrue(hostKept, "the host the driver reported first");
    } finally {
      loop.shutdownNow();
    }
  }

  @Test
  void aLeafsOwnSubnetAndTheAnycastGatewayAreNotRoutedToAnotherLeaf() {
    // leaf B advertises the same IRB subnet and the same anycast gateway as we have
    String config =
        CONFIG.replace("10.1.0.1/24;", "10.1.0.2/24 { virtual-gateway-address 10.1.0.1; }");
    Announced theirs = new Announced();
    leaf(B, theirs, true, new Recording(), config);
    EvpnRib ours = leaf(LOCAL, new Announced(), true, driver, config);
    theirs.routes.forEach((route, attributes) -> ours.announce(RR, 0, route, attributes));
    assertTrue(
        theirs.routes.keySet().stream().anyMatch(r -> r instanceof IpPrefixRoute),
        "B did advertise its subnet: " + theirs.routes);
    assertNull(
        driver.table.route("T5", IpPrefix.parse("10.1.0.0/24")),
        "the subnet is connected here: " + driver.table.routes());
    assertNull(
        driver.table.route("T5", IpPrefix.parse("10.1.0.1/32")),
        "the gateway is local on every leaf: " + driver.table.routes());
  }
}
