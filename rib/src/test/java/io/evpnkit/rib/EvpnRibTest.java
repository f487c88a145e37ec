package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.RouteTargets;
import io.evpnkit.policy.VtepConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RIB as a whole, through its public API: the deck's story, import, best path, flood lists,
 * graceful restart, snapshots, the SPI and the show commands. The rules of each part are tested in
 * the part's own test class (MAC mobility, aliasing, DF election, ARP/ND suppression, IP-VRFs).
 */
class EvpnRibTest extends RibFixture {
  @Test
  void theDecksVmMovesFromOneLeafToAnother() {
    EvpnRib rib = rib();
    // a VM behind leaf B: its route has no MAC mobility community, so sequence 0
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    // it moves here: learned locally, advertised with sequence 1
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    PathAttributes ours = sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304");
    assertNotNull(ours, sink.log::toString);
    assertTrue(ours.extendedCommunities().contains(seq(1)), ours::toString);
    assertTrue(ours.extendedCommunities().contains(RT100), "auto target of VNI 100");
    // leaf B's route is withdrawn (it saw ours); nothing changes here
    rib.withdraw(RR, 0, mac(B, M));
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    // it moves on to leaf C, which advertises sequence 2: our route goes, C wins
    rib.announce(RR, 0, mac(C, M), attrs(C, RT100, seq(2)));
    assertEquals(new Destination.RemoteVtep(C), driver.table.mac(100, M));
    assertNull(sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"));
    MacEntry e = rib.mac(100, M);
    assertNotNull(e);
    assertEquals(2, e.sequence());
    assertFalse(e.local());
    assertEquals(
        List.of(
            "moved 00:00:0a:0b:0c:0d remote 10.0.0.2 -> local xe-0/0/0.0 seq 1",
            "moved 00:00:0a:0b:0c:0d local xe-0/0/0.0 -> remote 10.0.0.3 seq 2"),
        events.log);
  }

  @Test
  void floodListsFollowTheInclusiveMulticastRoutes() {
    EvpnRib rib = rib();
    for (IpAddress pe : List.of(C, B, LOCAL)) {
      InclusiveMulticastRoute imet =
          new InclusiveMulticastRoute(RouteDistinguisher.parse(pe + ":1"), EthernetTag.ZERO, pe);
      PathAttributes a =
          attrs(pe, RT100).toBuilder()
              .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), pe))
              .build();
      rib.announce(RR, 0, imet, a);
    }
    assertEquals(
        List.of(B, C), driver.table.flood(100), "the local VTEP's own route is not flooded to");
    rib.withdraw(
        RR,
        0,
        new InclusiveMulticastRoute(RouteDistinguisher.parse(C + ":1"), EthernetTag.ZERO, C));
    assertEquals(List.of(B), driver.table.flood(100));
    assertTrue(
        sink.log.contains("announce 3:10.0.0.1:1::100::10.0.0.1/304"), "our own IMET for VNI 100");
  }

  @Test
  void routeTargetImportTakesAutoTargetsAndThePolicysTargetOnly() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, ExtendedCommunity.parse("target:9:9")));
    assertNull(driver.table.mac(100, M), "no target of ours");
    rib.announce(RR, 0, mac(B, M), attrs(B, ExtendedCommunity.parse("target:1111:11")));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M), "imported by the policy");
    rib.announce(RR, 0, mac(B, M), attrs(B, ExtendedCommunity.parse("target:9:9")));
    assertNull(driver.table.mac(100, M), "replaced by a route without a target of ours: gone");
    rib.announce(RR, 0, mac(B, M), attrs(B, RouteTargets.auto(AS, 101)));
    assertEquals(
        new Destination.RemoteVtep(B),
        driver.table.mac(100, M),
        "an auto target imports into the instance; the label (VNI 100) picks the bridge domain");
  }

  @Test
  void routeTargetImportScalesToThousandsOfInstances() {
    StringBuilder config =
        new StringBuilder("routing-options { autonomous-system 65000; }\nrouting-instances {\n");
    for (int i = 1; i <= 2000; i++) {
      config
          .append("  MV")
          .append(i)
          .append(" { instance-type mac-vrf; route-distinguisher 10.0.0.1:")
          .append(i)
          .append("; vrf-target target:65000:")
          .append(i)
          .append("; vlans { v")
          .append(i)
          .append(" { vlan-id ")
          .append(1 + i % 4000)
          .append("; vxlan { vni ")
          .append(100_000 + i)
          .append("; } } } }\n");
    }
    config.append("}\n");
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config.toString()), LOCAL, driver).build();
    MacIpAdvertisementRoute r =
        new MacIpAdvertisementRoute(
            RouteDistinguisher.parse("10.0.0.2:1"),
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            M,
            null,
            LabelField.ofVni(101_234),
            null);
    rib.announce(RR, 0, r, attrs(B, ExtendedCommunity.parse("target:65000:1234")));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(101_234, M));
    assertEquals(1, driver.table.macs().size(), "one instance imported it");
    rib.announce(RR, 0, r, attrs(B, ExtendedCommunity.parse("target:65000:1235")));
    assertTrue(driver.table.macs().isEmpty(), "instance 1235 has no VNI 101234");
  }

  @Test
  void bestPathPrefersLocalPreferenceThenTheLowerRouterId() {
    EvpnRib rib = rib();
    Peer rr2 = new Peer(IpAddress.parse("10.0.0.101"), 0x0A000065L, false);
    rib.announce(rr2, 0, mac(B, M), attrs(C, RT100));
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    assertEquals(
        new Destination.RemoteVtep(B),
        driver.table.mac(100, M),
        "same preference: lower router id");
    rib.announce(rr2, 0, mac(B, M), attrs(C, RT100).toBuilder().localPref(200).build());
    assertEquals(new Destination.RemoteVtep(C), driver.table.mac(100, M));
    rib.peerDown(rr2);
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    assertEquals(1, rib.pathCount());
  }

  @Test
  void showRendersTheTables() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    rib.macLearned(101, MacAddress.parse("00:00:0a:0b:0c:0e"), "xe-0/0/0.0", null);
    String fib = driver.table.show();
    assertTrue(
        fib.contains("100        00:00:0a:0b:0c:0d   R      vtep.10.0.0.2            10.0.0.2"),
        fib);
    assertTrue(fib.contains("101        00:00:0a:0b:0c:0e   L      xe-0/0/0.0"), fib);
    String routes = rib.showRouteTable();
    assertTrue(
        routes.contains(
            "2:10.0.0.2:1::0::00:00:0a:0b:0c:0d/304\n                   *[BGP/170] from 10.0.0.100"),
        routes);
  }

  @Test
  void gracefulRestartKeepsStalePathsUntilEndOfRib() {
    EvpnRib rib = rib();
    MacAddress other = MacAddress.parse("00:00:0a:0b:0c:0e");
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    rib.announce(RR, 0, mac(B, other), attrs(B, RT100));
    rib.peerRestarting(RR);
    assertEquals(2, rib.stalePaths());
    assertEquals(
        new Destination.RemoteVtep(B),
        driver.table.mac(100, M),
        "still forwarding during the restart");
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100)); // re-announced after the restart
    assertEquals(1, rib.stalePaths());
    rib.endOfRib(RR);
    assertEquals(0, rib.stalePaths());
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    assertNull(driver.table.mac(100, other), "not re-announced before End-of-RIB: gone");
  }

  @Test
  void aSnapshotRebuildsTheSameForwardingState() {
    EvpnRib rib = rib();
    segment(rib, B, true);
    segment(rib, C, true);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100, seq(3)));
    rib.macLearned(
        101, MacAddress.parse("00:00:0a:0b:0c:0e"), "xe-0/0/0.0", IpAddress.parse("10.1.1.7"));
    EvpnRib.Snapshot snap = rib.snapshot();
    Recording other = new Recording();
    EvpnRib copy = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, other).build();
    copy.restore(snap);
    assertEquals(driver.table.macs().keySet(), other.table.macs().keySet());
    assertEquals(driver.table.vteps(100, M), other.table.vteps(100, M));
    assertEquals(driver.table.neighbors(), other.table.neighbors());
    assertEquals(driver.table.floods(), other.table.floods());
    assertEquals(rib.bestRoutes(), copy.bestRoutes());
  }

  @Test
  void theDriverReportsLocalLearningThroughTheSpi() {
    final class Learning extends Recording {
      LocalLearning rib =
          new LocalLearning() {
            @Override
            public void macLearned(
                int vni,
                MacAddress mac,
                String port,
                @org.jspecify.annotations.Nullable IpAddress ip) {}

            @Override
            public void macAged(int vni, MacAddress mac) {}

            @Override
            public void portDown(String port) {}

            @Override
            public void portUp(String port) {}
          };

      @Override
      public void attach(LocalLearning value) {
        rib = value;
      }
    }
    Learning d = new Learning();
    EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, d).routeSink(sink).build();
    d.rib.macLearned(100, M, "xe-0/0/0.0", null); // as a data plane would, on the RIB's thread
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), d.table.mac(100, M));
    assertTrue(sink.announced.containsKey("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"));
    d.rib.macAged(100, M);
    assertNull(d.table.mac(100, M));
  }
}
