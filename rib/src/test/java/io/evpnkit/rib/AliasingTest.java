package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.VtepConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Aliasing, backup paths and mass withdraw (RFC 7432 §8.2, §8.4, §14.1), rule by rule. */
@SuppressWarnings("NullAway")
class AliasingTest extends RibFixture {
  static final IpAddress D = IpAddress.parse("10.0.0.4");

  static void perEsOnly(EvpnRib rib, IpAddress pe, boolean singleActive) {
    rib.announce(
        RR,
        0,
        perEs(pe, ESI),
        attrs(
            pe,
            ExtendedCommunity.parse("target:1111:11"),
            ExtendedCommunity.esiLabel(0, singleActive)));
  }

  static EthernetAutoDiscoveryRoute perEvi(IpAddress pe) {
    return EthernetAutoDiscoveryRoute.perEvi(
        RouteDistinguisher.parse(pe + ":1"), ESI, EthernetTag.ZERO, LabelField.ofVni(100));
  }

  /**
   * The order a route reflector packs its UPDATEs in: both PEs' per-ES routes, then the MAC (to its
   * PE alone, no group yet), then the per-EVI routes, which make the segment's group: the MAC
   * follows it.
   */
  @Test
  void rfc7432_8_4_aMacHeardBeforeItsSegmentsGroupExistsIsPointedAtItWhenItIsMade() {
    EvpnRib rib = rib();
    perEsOnly(rib, B, false);
    perEsOnly(rib, C, false);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    assertEquals(List.of(B), driver.table.vteps(100, M));
    rib.announce(RR, 0, perEvi(B), attrs(B, RT100));
    rib.announce(RR, 0, perEvi(C), attrs(C, RT100));
    assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(List.of(B, C), driver.table.vteps(100, M));
    assertTrue(rib.driverInStep());
  }

  @Test
  void rfc7432_8_2_massWithdrawWorksFromThePerEsRouteAloneWithoutPerEviRoutes() {
    EvpnRib rib = rib();
    perEsOnly(rib, B, false);
    perEsOnly(rib, C, false);
    MacAddress m2 = MacAddress.parse("00:00:0a:0b:0c:0e");
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    rib.announce(RR, 0, mac(C, m2, ESI, IpAddress.parse("10.1.0.6")), attrs(C, RT100));
    assertEquals(
        List.of(B),
        driver.table.vteps(100, M),
        "no per-EVI routes: no aliases, the advertising PE");
    // B's link to the segment fails: it withdraws its per-ES route, and no MAC of the segment may
    // go to B
    rib.withdraw(RR, 0, perEs(B, ESI));
    assertNull(
        driver.table.mac(100, M),
        "nothing else reaches M: it floods until B withdraws it or C learns it");
    assertEquals(List.of(C), driver.table.vteps(100, m2), "C's MACs are not touched");
    // B's link returns
    perEsOnly(rib, B, false);
    assertEquals(List.of(B), driver.table.vteps(100, M));
  }

  @Test
  void rfc7432_8_2_massWithdrawSendsThePesMacsToTheOtherPesWhenThereAreAliases() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, ESI, false);
    segmentRoutes(rib, C, ESI, false);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    rib.withdraw(RR, 0, perEs(B, ESI)); // B keeps its per-EVI route: still not attached
    assertEquals(List.of(C), driver.table.vteps(100, M));
  }

  @Test
  void rfc7432_8_4_thePeThatAdvertisedTheMacIsAlwaysAmongThePaths() {
    EvpnRib rib = rib();
    // C and D send per-ES and per-EVI routes (the aliases); B sends only its per-ES route and the
    // MAC route
    segmentRoutes(rib, C, ESI, false);
    segmentRoutes(rib, D, ESI, false);
    perEsOnly(rib, B, false);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    assertEquals(List.of(B, C, D), driver.table.vteps(100, M));
    assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    // B's per-EVI route arrives: B joins the segment's group, which then serves the MAC
    rib.announce(RR, 0, perEvi(B), attrs(B, RT100));
    assertEquals(List.of(B, C, D), driver.table.vteps(100, M));
    // B withdraws its per-EVI route but stays attached: the MAC still goes to B as well
    rib.withdraw(RR, 0, perEvi(B));
    assertEquals(List.of(B, C, D), driver.table.vteps(100, M));
    // and a mass withdraw from B leaves the aliases
    rib.withdraw(RR, 0, perEs(B, ESI));
    assertEquals(List.of(C, D), driver.table.vteps(100, M));
  }

  @Test
  void rfc7432_14_1_1_aSingleActivePeWithOneBackupSwitchesToIt() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, ESI, true);
    segmentRoutes(rib, C, ESI, true);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    assertEquals(List.of(B), driver.table.vteps(100, M));
    rib.withdraw(RR, 0, perEs(B, ESI));
    assertEquals(List.of(C), driver.table.vteps(100, M));
  }

  @Test
  void rfc7432_14_1_1_aSingleActivePeWithSeveralBackupsFloodsUntilTheNewPrimaryAdvertises() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, ESI, true);
    segmentRoutes(rib, C, ESI, true);
    segmentRoutes(rib, D, ESI, true);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    Destination.Group g = assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(
        List.of(
            new ForwardingOp.Member(B, 1),
            new ForwardingOp.Member(C, 0),
            new ForwardingOp.Member(D, 0)),
        driver.table.groups().get(g.groupId()).members());
    rib.withdraw(RR, 0, perEs(B, ESI));
    // which of C and D becomes the primary is the DF election's; until one of them advertises M, M
    // floods
    assertNull(driver.table.mac(100, M));
    assertTrue(
        driver.table.groups().isEmpty()
            || driver.table.groups().values().stream()
                .noneMatch(x -> x.members().stream().anyMatch(m -> m.vtep().equals(B))),
        "no group still sends to B");
    // D, the new primary, advertises M with a higher sequence
    rib.announce(
        RR,
        0,
        mac(D, M, ESI, IpAddress.parse("10.1.0.5")),
        attrs(D, RT100, ExtendedCommunity.macMobility(1, false)));
    assertEquals(List.of(D), driver.table.vteps(100, M));
  }

  @Test
  void rfc7432_7_9_anIpv6VtepTakesItsRouteDistinguishersFromTheRouterId() {
    String v6 = RibFixture.CONFIG.replace("route-distinguisher 10.0.0.1:1;", "");
    IpAddress vtep = IpAddress.parse("2001:db8::11");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class,
            () -> EvpnRib.builder(VtepConfig.parse(v6), vtep, driver).build());
    assertTrue(String.valueOf(e.getMessage()).contains("router-id"), e::getMessage);
    // with a router id each PE has RDs of its own (not 0:0 for every IPv6 PE)
    List<String> rds = new java.util.ArrayList<>();
    for (String id : List.of("10.255.0.11", "10.255.0.12")) {
      RibFixture.Sink sink = new RibFixture.Sink();
      EvpnRib rib =
          EvpnRib.builder(
                  VtepConfig.parse("routing-options { router-id " + id + "; }\n" + v6),
                  vtep,
                  new InMemoryForwardingTable())
              .routeSink(sink)
              .build();
      assertTrue(
          sink.log.stream().anyMatch(l -> l.startsWith("announce 4:" + id + ":0::")),
          sink.log::toString);
      assertTrue(
          sink.log.stream().anyMatch(l -> l.startsWith("announce 3:" + id + ":1::")),
          sink.log::toString);
      rds.add(sink.log.toString());
      rib.close();
    }
    assertTrue(!rds.get(0).equals(rds.get(1)));
    // the configuration refuses a router id that is not IPv4
    org.junit.jupiter.api.Assertions.assertThrows(
        io.evpnkit.policy.InvalidConfigException.class,
        () -> VtepConfig.parse("routing-options { router-id 2001:db8::1; }\n" + v6));
  }

  // through the RIB
  @Test
  void aliasingSpreadsTrafficOverEveryPeOfTheSegment() {
    EvpnRib rib = rib();
    segment(rib, B, true);
    segment(rib, C, true);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    Destination d = driver.table.mac(100, M);
    assertInstanceOf(Destination.Group.class, d);
    assertEquals(
        List.of(B, C),
        driver.table.vteps(100, M),
        "learned from B only, but C has the segment too");
  }

  @Test
  void singleActiveSegmentsSendToTheAdvertisingPeWithTheOthersAsBackups() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, ESI, true);
    segmentRoutes(rib, C, ESI, true);
    MacAddress m2 = MacAddress.parse("00:00:0a:0b:0c:0e");
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    rib.announce(RR, 0, mac(B, m2, ESI, IpAddress.parse("10.1.0.6")), attrs(B, RT100));
    assertEquals(
        List.of(B),
        driver.table.vteps(100, M),
        "the active PE alone: no aliasing on a single-active ES");
    Destination.Group g = assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(g, driver.table.mac(100, m2), "the MACs of one PE share its group");
    ForwardingOp.SetGroup group = driver.table.groups().get(g.groupId());
    assertNotNull(group);
    assertEquals(
        List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 0)),
        group.members(),
        "C is the backup path");
    // B's link fails and it withdraws its per-ES route: group updates alone (one per PE of the
    // segment, none per
    // MAC) send both MACs to the backup
    rib.withdraw(RR, 0, perEs(B, ESI));
    assertTrue(
        driver
            .last()
            .contains(
                new ForwardingOp.SetGroup(
                    g.groupId(), ESI, 100, List.of(new ForwardingOp.Member(C, 1)))),
        () -> driver.last().toString());
    assertTrue(
        driver.last().stream().allMatch(op -> op instanceof ForwardingOp.SetGroup),
        () -> driver.last().toString());
    assertEquals(List.of(C), driver.table.vteps(100, M));
    assertEquals(List.of(C), driver.table.vteps(100, m2));
  }

  @Test
  void massWithdrawMovesEveryMacBehindTheSegmentWithOneGroupUpdate() {
    EvpnRib rib = rib();
    segment(rib, B, true);
    segment(rib, C, true);
    for (int i = 0; i < 1000; i++) {
      rib.announce(
          RR,
          0,
          mac(
              i % 2 == 0 ? B : C,
              MacAddress.of(0x0200_0000_0000L + i),
              ESI,
              IpAddress.ofIpv4(0x0A01_0000 + i)),
          attrs(i % 2 == 0 ? B : C, RT100));
    }
    int before = driver.batches.size();
    segment(rib, B, false); // B's link to the segment fails: it withdraws its per-ES route
    assertEquals(before + 1, driver.batches.size());
    List<ForwardingOp> batch = driver.last();
    assertEquals(1, batch.size(), batch::toString);
    ForwardingOp.SetGroup g = assertInstanceOf(ForwardingOp.SetGroup.class, batch.get(0));
    assertEquals(List.of(new ForwardingOp.Member(C, 1)), g.members());
    assertEquals(List.of(C), driver.table.vteps(100, MacAddress.of(0x0200_0000_0000L)));
  }

  @Test
  void localRepairSendsTheSegmentsMacsToItsOtherPesWhileTheLinkIsDown() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, SEGMENT, false);
    rib.macLearned(100, M, "ae0.0", null);
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    rib.portDown("ae0.0");
    assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(
        List.of(B),
        driver.table.vteps(100, M),
        "to B, the segment's other PE, not into the dead link");
    assertTrue(
        sink.log.contains("withdraw 1:10.0.0.1:0::00aaaaaaaaaaaaaaaaaa::FFFF:FFFF/192"),
        sink.log::toString);
    rib.portUp("ae0.0");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M), "the link is back");
    // B leaves the segment: with no other PE, the entry stays on the port while it is down
    rib.withdraw(RR, 0, perEs(B, SEGMENT));
    rib.portDown("ae0.0");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    assertTrue(rib.driverInStep());
  }

  @Test
  void localRepairOnASingleActiveSegmentGoesToTheBackup() {
    EvpnRib rib =
        EvpnRib.builder(
                VtepConfig.parse(CONFIG.replace("all-active", "single-active")), LOCAL, driver)
            .routeSink(sink)
            .listener(events)
            .clock(clock::get)
            .build();
    segmentRoutes(rib, B, SEGMENT, true);
    rib.macLearned(100, M, "ae0.0", null);
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    rib.portDown("ae0.0");
    assertEquals(List.of(B), driver.table.vteps(100, M), "to B, which takes over the segment");
    rib.portUp("ae0.0");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
  }

  @Test
  void rfc7432_6_1_aVlanBasedServiceOriginatesWithEthernetTagZeroAsFrrLeavesExpect() {
    // FRR takes a type 1 route with a non-zero tag for a per-ES route, so a leaf peering with FRR
    // on a multihomed segment uses the VLAN-based service: one VLAN per instance, tag 0
    String config =
        """
        interfaces {
            ae0 {
                esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; }
                unit 0 { family ethernet-switching { interface-mode access; vlan { members v20; } } }
            }
        }
        routing-instances {
            EVI20 {
                instance-type mac-vrf;
                service-type vlan-based;
                protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
                interface ae0.0;
                vtep-source-interface lo0.0;
                route-distinguisher 10.0.0.1:20;
                vrf-target target:65000:20;
                vlans { v20 { vlan-id 20; vxlan { vni 5020; } } }
            }
        }
        """;
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).routeSink(sink).build();
    rib.macLearned(5020, M, "ae0.0", null);
    assertTrue(sink.log.contains("announce 3:10.0.0.1:20::0::10.0.0.1/304"), sink.log::toString);
    assertTrue(
        sink.log.contains("announce 1:10.0.0.1:20::00aaaaaaaaaaaaaaaaaa::0/192"),
        sink.log::toString);
    assertTrue(
        sink.log.contains("announce 2:10.0.0.1:20::0::00:00:0a:0b:0c:0d/304"), sink.log::toString);
    // and the routes of C, then B and C's A-D routes of a segment of the same service, tag 0: they
    // are matched to the VNI by their label, and C's MAC goes to both (aliasing, RFC 7432 §8.4)
    ExtendedCommunity rt20 = ExtendedCommunity.parse("target:65000:20");
    MacAddress m2 = MacAddress.parse("00:00:0a:0b:0c:0e");
    rib.announce(
        RR,
        0,
        new MacIpAdvertisementRoute(
            RouteDistinguisher.parse("10.0.0.3:20"),
            ESI,
            EthernetTag.of(0),
            m2,
            null,
            LabelField.ofVni(5020),
            null),
        attrs(C, rt20));
    rib.announce(
        RR,
        0,
        new MacIpAdvertisementRoute(
            RouteDistinguisher.parse("10.0.0.2:20"),
            ESI,
            EthernetTag.of(0),
            m2,
            null,
            LabelField.ofVni(5020),
            null),
        attrs(B, rt20));
    for (IpAddress pe : List.of(B, C)) {
      rib.announce(
          RR,
          0,
          EthernetAutoDiscoveryRoute.perEthernetSegment(RouteDistinguisher.parse(pe + ":0"), ESI),
          attrs(pe, rt20, ExtendedCommunity.esiLabel(0, false)));
      rib.announce(
          RR,
          0,
          EthernetAutoDiscoveryRoute.perEvi(
              RouteDistinguisher.parse(pe + ":20"),
              ESI,
              EthernetTag.of(0),
              // C's as FRR 8.4 reflects it, label 0: the route targets tell the bridge domain
              LabelField.ofVni(pe.equals(B) ? 5020 : 0)),
          attrs(pe, rt20));
    }
    assertEquals(List.of(B, C), driver.table.vteps(5020, m2), "C's MAC, aliased to B");
  }

  @Test
  void rfc8365_5_1_2_perEviRoutesOfAVlanAwareBundleAreMatchedByTheirEthernetTag() {
    EvpnRib rib = rib();
    for (IpAddress pe : List.of(B, C)) {
      perEsOnly(rib, pe, false);
      // one label for the whole EVI (as with MPLS), the bridge domain in the Ethernet tag: VNI 100
      rib.announce(
          RR,
          0,
          EthernetAutoDiscoveryRoute.perEvi(
              RouteDistinguisher.parse(pe + ":1"), ESI, EthernetTag.of(100), LabelField.ofVni(101)),
          attrs(pe, RT100));
    }
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    assertEquals(
        List.of(B, C), driver.table.vteps(100, M), "aliased in bridge domain 100, not 101");
  }
}
