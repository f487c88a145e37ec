package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.RouteTargets;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** One test per rule of the RIB (RFC 7432 and its updates), named after it. */
class EvpnRibTest {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final IpAddress C = IpAddress.parse("10.0.0.3");
  static final Peer RR = new Peer(IpAddress.parse("10.0.0.100"), 0x0A000064L, false);
  static final MacAddress M = MacAddress.parse("00:00:0a:0b:0c:0d");
  static final long AS = 65000;
  static final ExtendedCommunity RT100 = RouteTargets.auto(AS, 100);
  static final EthernetSegmentIdentifier ESI = EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  /** The seed's VTEP for BMS, with a routing-options AS and a multihomed LAG added. */
  static final String CONFIG = """
      routing-options { autonomous-system 65000; }
      interfaces {
          xe-0/0/0 { unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } } }
          ae0 {
              esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; }
              unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } }
          }
      }
      switch-options {
          vtep-source-interface lo0.0;
          route-distinguisher 10.0.0.1:1;
          vrf-import imp;
          vrf-target { target:1111:11; auto; }
      }
      vlans {
          v100 { vlan-id 100; vxlan { vni 100; ingress-node-replication; } }
          v101 { vlan-id 101; vxlan { vni 101; ingress-node-replication; } }
      }
      protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 101 ]; } }
      policy-options {
          policy-statement imp {
              term 1 { from community comglobal; then accept; }
              term 100 { then reject; }
          }
          community comglobal members target:1111:11;
      }
      """;

  /** A driver that records each batch and keeps the state. */
  static class Recording implements ForwardingDriver {
    final InMemoryForwardingTable table = new InMemoryForwardingTable();
    final List<List<ForwardingOp>> batches = new ArrayList<>();

    @Override
    public void apply(List<ForwardingOp> batch) {
      table.apply(batch);
      batches.add(batch);
    }

    @Override
    public void replaceAll(List<ForwardingOp> state) {
      table.replaceAll(state);
    }

    List<ForwardingOp> last() {
      return batches.get(batches.size() - 1);
    }
  }

  /** A sink that keeps the announced routes. */
  static final class Sink implements RouteSink {
    final List<String> log = new ArrayList<>();
    final java.util.Map<String, PathAttributes> announced = new java.util.LinkedHashMap<>();

    @Override
    public void announce(EvpnRoute route, PathAttributes attributes) {
      log.add("announce " + route);
      announced.put(route.toString(), attributes);
    }

    @Override
    public void withdraw(EvpnRoute route) {
      log.add("withdraw " + route);
      announced.remove(route.toString());
    }
  }

  /** A listener that logs events. */
  static final class Events implements RibListener {
    final List<String> log = new ArrayList<>();

    @Override
    public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
      log.add("moved " + mac + " " + from + " -> " + to + " seq " + sequence);
    }

    @Override
    public void duplicateMac(int vni, MacAddress mac, int moves) {
      log.add("duplicate " + mac);
    }

    @Override
    public void duplicateCleared(int vni, MacAddress mac) {
      log.add("cleared " + mac);
    }

    @Override
    public void duplicateIp(int vni, IpAddress ip, int moves) {
      log.add("duplicate ip " + ip + " after " + moves + " moves");
    }

    @Override
    public void duplicateIpCleared(int vni, IpAddress ip) {
      log.add("cleared ip " + ip);
    }

    @Override
    public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
      log.add("sticky " + mac + " at " + stickyAt + " vs " + contender);
    }

    @Override
    public void designatedForwarder(EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
      log.add("df " + vlanId + " " + df);
    }
  }

  final Recording driver = new Recording();
  final Sink sink = new Sink();
  final Events events = new Events();
  final AtomicLong clock = new AtomicLong();

  EvpnRib rib() {
    return EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver).routeSink(sink).listener(events)
        .clock(clock::get).build();
  }

  static PathAttributes attrs(IpAddress nextHop, ExtendedCommunity... communities) {
    PathAttributes.Builder b = PathAttributes.builder().nextHop(nextHop).localPref(100)
        .addExtendedCommunity(ExtendedCommunity.encapsulation(8));
    for (ExtendedCommunity c : communities) {
      b.addExtendedCommunity(c);
    }
    return b.build();
  }

  static MacIpAdvertisementRoute mac(IpAddress pe, MacAddress mac, EthernetSegmentIdentifier esi,
      IpAddress ip) {
    return new MacIpAdvertisementRoute(RouteDistinguisher.parse(pe + ":1"), esi, EthernetTag.ZERO, mac, ip,
        LabelField.ofVni(100), null);
  }

  static MacIpAdvertisementRoute mac(IpAddress pe, MacAddress mac) {
    return new MacIpAdvertisementRoute(RouteDistinguisher.parse(pe + ":1"), EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO, mac, null, LabelField.ofVni(100), null);
  }

  static ExtendedCommunity seq(long n) {
    return ExtendedCommunity.macMobility(n, false);
  }

  @Test
  void theSeedsVmMovesFromOneLeafToAnother() {
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
    assertEquals(List.of("moved 00:00:0a:0b:0c:0d remote 10.0.0.2 -> local xe-0/0/0.0 seq 1",
        "moved 00:00:0a:0b:0c:0d local xe-0/0/0.0 -> remote 10.0.0.3 seq 2"), events.log);
  }

  @Test
  void theHighestSequenceWinsAndEqualSequencesGoToTheLowestAddress() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(C, M), attrs(C, RT100, seq(3)));
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(2)));
    assertEquals(new Destination.RemoteVtep(C), driver.table.mac(100, M));
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(3)));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M)); // 10.0.0.2 < 10.0.0.3
  }

  @Test
  void stickyMacsNeverMoveAndConflictsAreReported() {
    EvpnRib rib = rib();
    rib.staticMac(100, M, "xe-0/0/0.0");
    PathAttributes ours = sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304");
    assertNotNull(ours);
    assertTrue(ours.extendedCommunities().contains(ExtendedCommunity.macMobility(0, true)));
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(9)));
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    assertTrue(events.log.contains("sticky 00:00:0a:0b:0c:0d at local xe-0/0/0.0 vs remote 10.0.0.2"), events.log::toString);
  }

  @Test
  void duplicateMacDetectionFreezesAfterFiveMovesInThreeMinutes() {
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver).routeSink(sink).listener(events)
        .clock(clock::get).duplicateDetection(5, Duration.ofMinutes(3), Duration.ofMinutes(10)).build();
    long remoteSeq = 0;
    for (int i = 0; i < 3; i++) {
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
      rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(remoteSeq)));
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
      rib.macLearned(100, M, "xe-0/0/0.0", null); // advertised with remoteSeq + 1
      remoteSeq += 2;
    }
    // moves: B->local, local->B, B->local, local->B, B->local = 5 within a minute
    assertTrue(events.log.contains("duplicate 00:00:0a:0b:0c:0d"), events.log::toString);
    MacEntry e = rib.mac(100, M);
    assertNotNull(e);
    assertTrue(e.frozen());
    assertNull(sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"), "a frozen MAC is not advertised");
    clock.addAndGet(Duration.ofMinutes(10).toNanos());
    rib.tick();
    assertTrue(events.log.contains("cleared 00:00:0a:0b:0c:0d"));
    assertNotNull(sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"), "advertised again after recovery");
  }

  @Test
  void slowMovesAreNotDuplicates() {
    EvpnRib rib = rib();
    long remoteSeq = 0;
    for (int i = 0; i < 5; i++) {
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(remoteSeq)));
      clock.addAndGet(Duration.ofMinutes(1).toNanos());
      rib.macLearned(100, M, "xe-0/0/0.0", null);
      remoteSeq += 2;
    }
    assertFalse(events.log.stream().anyMatch(s -> s.startsWith("duplicate")), events.log::toString);
  }

  /** The per-ES A-D route of PE {@code pe} for segment {@code esi}. */
  static EthernetAutoDiscoveryRoute perEs(IpAddress pe, EthernetSegmentIdentifier esi) {
    return new EthernetAutoDiscoveryRoute(RouteDistinguisher.parse(pe + ":0"), esi, EthernetTag.MAX, LabelField.ZERO);
  }

  /** Announces PE {@code pe}'s per-ES A-D route (all-active or single-active) and per-EVI A-D route in VNI 100. */
  static void segmentRoutes(EvpnRib rib, IpAddress pe, EthernetSegmentIdentifier esi, boolean singleActive) {
    rib.announce(RR, 0, perEs(pe, esi), attrs(pe, ExtendedCommunity.parse("target:1111:11"),
        ExtendedCommunity.esiLabel(0, singleActive)));
    rib.announce(RR, 0, new EthernetAutoDiscoveryRoute(RouteDistinguisher.parse(pe + ":1"), esi, EthernetTag.ZERO,
        LabelField.ofVni(100)), attrs(pe, RT100));
  }

  /** Per-ES and per-EVI A-D routes of PE {@code pe} for ESI in VNI 100 (all-active), or the per-ES one withdrawn. */
  static void segment(EvpnRib rib, IpAddress pe, boolean add) {
    if (add) {
      segmentRoutes(rib, pe, ESI, false);
    } else {
      rib.withdraw(RR, 0, perEs(pe, ESI));
    }
  }

  @Test
  void aliasingSpreadsTrafficOverEveryPeOfTheSegment() {
    EvpnRib rib = rib();
    segment(rib, B, true);
    segment(rib, C, true);
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    Destination d = driver.table.mac(100, M);
    assertInstanceOf(Destination.Group.class, d);
    assertEquals(List.of(B, C), driver.table.vteps(100, M), "learned from B only, but C has the segment too");
  }

  @Test
  void singleActiveSegmentsSendToTheAdvertisingPeWithTheOthersAsBackups() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, ESI, true);
    segmentRoutes(rib, C, ESI, true);
    MacAddress m2 = MacAddress.parse("00:00:0a:0b:0c:0e");
    rib.announce(RR, 0, mac(B, M, ESI, IpAddress.parse("10.1.0.5")), attrs(B, RT100));
    rib.announce(RR, 0, mac(B, m2, ESI, IpAddress.parse("10.1.0.6")), attrs(B, RT100));
    assertEquals(List.of(B), driver.table.vteps(100, M), "the active PE alone: no aliasing on a single-active ES");
    Destination.Group g = assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(g, driver.table.mac(100, m2), "the MACs of one PE share its group");
    ForwardingOp.SetGroup group = driver.table.groups().get(g.groupId());
    assertNotNull(group);
    assertEquals(List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 0)), group.members(),
        "C is the backup path");
    // B's link fails and it withdraws its per-ES route: group updates alone (one per PE of the segment, none per
    // MAC) send both MACs to the backup
    rib.withdraw(RR, 0, perEs(B, ESI));
    assertTrue(driver.last().contains(new ForwardingOp.SetGroup(g.groupId(), ESI, 100,
        List.of(new ForwardingOp.Member(C, 1)))), () -> driver.last().toString());
    assertTrue(driver.last().stream().allMatch(op -> op instanceof ForwardingOp.SetGroup), () -> driver.last()
        .toString());
    assertEquals(List.of(C), driver.table.vteps(100, M));
    assertEquals(List.of(C), driver.table.vteps(100, m2));
  }

  @Test
  void massWithdrawMovesEveryMacBehindTheSegmentWithOneGroupUpdate() {
    EvpnRib rib = rib();
    segment(rib, B, true);
    segment(rib, C, true);
    for (int i = 0; i < 1000; i++) {
      rib.announce(RR, 0, mac(i % 2 == 0 ? B : C, MacAddress.of(0x0200_0000_0000L + i), ESI,
          IpAddress.ofIpv4(0x0A01_0000 + i)), attrs(i % 2 == 0 ? B : C, RT100));
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
  void floodListsFollowTheInclusiveMulticastRoutes() {
    EvpnRib rib = rib();
    for (IpAddress pe : List.of(C, B, LOCAL)) {
      InclusiveMulticastRoute imet = new InclusiveMulticastRoute(RouteDistinguisher.parse(pe + ":1"),
          EthernetTag.ZERO, pe);
      PathAttributes a = attrs(pe, RT100).toBuilder()
          .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), pe)).build();
      rib.announce(RR, 0, imet, a);
    }
    assertEquals(List.of(B, C), driver.table.flood(100), "the local VTEP's own route is not flooded to");
    rib.withdraw(RR, 0, new InclusiveMulticastRoute(RouteDistinguisher.parse(C + ":1"), EthernetTag.ZERO, C));
    assertEquals(List.of(B), driver.table.flood(100));
    assertTrue(sink.log.contains("announce 3:10.0.0.1:1::100::10.0.0.1/304"), "our own IMET for VNI 100");
  }

  @Test
  void macIpRoutesFeedArpSuppression() {
    EvpnRib rib = rib();
    IpAddress host = IpAddress.parse("10.1.0.5");
    rib.announce(RR, 0, mac(B, M, EthernetSegmentIdentifier.ZERO, host), attrs(B, RT100));
    assertEquals(M, driver.table.neighbor(100, host));
    rib.withdraw(RR, 0, mac(B, M, EthernetSegmentIdentifier.ZERO, host));
    assertNull(driver.table.neighbor(100, host));
    rib.macLearned(100, M, "xe-0/0/0.0", host);
    assertEquals(M, driver.table.neighbor(100, host));
    assertTrue(sink.announced.containsKey("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d::10.1.0.5/304"), sink.log::toString);
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
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M),
        "an auto target imports into the instance; the label (VNI 100) picks the bridge domain");
  }

  @Test
  void bestPathPrefersLocalPreferenceThenTheLowerRouterId() {
    EvpnRib rib = rib();
    Peer rr2 = new Peer(IpAddress.parse("10.0.0.101"), 0x0A000065L, false);
    rib.announce(rr2, 0, mac(B, M), attrs(C, RT100));
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M), "same preference: lower router id");
    rib.announce(rr2, 0, mac(B, M), attrs(C, RT100).toBuilder().localPref(200).build());
    assertEquals(new Destination.RemoteVtep(C), driver.table.mac(100, M));
    rib.peerDown(rr2);
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    assertEquals(1, rib.pathCount());
  }

  @Test
  void designatedForwarderByTheModuloAlgorithmAfterTheTimer() {
    EvpnRib rib = rib();
    EthernetSegmentIdentifier local = EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    rib.announce(RR, 0, new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B),
        attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    rib.tick();
    assertNull(rib.designatedForwarder(local, 100), "the election timer has not run");
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    assertEquals(LOCAL, rib.designatedForwarder(local, 100)); // 100 mod 2 = 0: the lower address
    assertEquals(B, rib.designatedForwarder(local, 101));
    rib.withdraw(RR, 0, new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B));
    assertEquals(LOCAL, rib.designatedForwarder(local, 101), "alone on the segment");
    assertTrue(sink.log.stream().anyMatch(s -> s.startsWith("announce 4:10.0.0.1:0::00aaaaaaaaaaaaaaaaaa")),
        sink.log::toString);
  }

  /** A PE on segment 00:aa:... with VLANs 100-107, electing its DF with {@code dfElection}. */
  EvpnRib segmentRib(String dfElection) {
    StringBuilder vlans = new StringBuilder();
    StringBuilder members = new StringBuilder();
    for (int v = 100; v <= 107; v++) {
      vlans.append("v").append(v).append(" { vlan-id ").append(v).append("; vxlan { vni ").append(v).append("; } } ");
      members.append("v").append(v).append(' ');
    }
    String config = """
        routing-options { autonomous-system 65000; }
        interfaces { ae0 { esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; %s }
            unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ %s]; } } } } }
        switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65000:1; auto; } }
        vlans { %s}
        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
        """.formatted(dfElection, members, vlans);
    return EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).routeSink(sink).listener(events)
        .clock(clock::get).build();
  }

  static final EthernetSegmentIdentifier SEGMENT = EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
  static final EthernetSegmentRoute SEGMENT_B = new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"),
      SEGMENT, B);

  List<IpAddress> electedAfterTheTimer(EvpnRib rib) {
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    List<IpAddress> out = new ArrayList<>();
    for (int v = 100; v <= 107; v++) {
      out.add(rib.designatedForwarder(SEGMENT, v));
    }
    return out;
  }

  @Test
  void designatedForwarderByHighestRandomWeight() {
    EvpnRib rib = segmentRib("df-election-type hrw;");
    PathAttributes ours = sink.announced.get(new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.1:0"),
        SEGMENT, LOCAL).toString());
    assertNotNull(ours, sink.log::toString);
    assertTrue(ours.extendedCommunities().contains(ExtendedCommunity.dfElection(1, 0, 0)), ours::toString);
    rib.announce(RR, 0, SEGMENT_B, attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa"),
        ExtendedCommunity.dfElection(1, 0, 0)));
    // the heavier of Wrand(v, ES, 10.0.0.1) and Wrand(v, ES, 10.0.0.2) for v = 100..107, computed with Python
    assertEquals(List.of(LOCAL, B, B, B, B, B, B, LOCAL), electedAfterTheTimer(rib));
    assertEquals(io.evpnkit.policy.DfElection.Algorithm.HRW, rib.designatedForwarderAlgorithm(SEGMENT));
    // B re-advertises without the community (an older PE): every PE falls back to modulo
    rib.announce(RR, 0, SEGMENT_B, attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    assertEquals(io.evpnkit.policy.DfElection.Algorithm.MODULO, rib.designatedForwarderAlgorithm(SEGMENT));
    assertEquals(List.of(LOCAL, B, LOCAL, B, LOCAL, B, LOCAL, B), electedAfterTheTimer(rib));
  }

  @Test
  void designatedForwarderByPreference() {
    EvpnRib rib = segmentRib("df-election-type { preference { value 200; } }");
    PathAttributes ours = sink.announced.get(new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.1:0"),
        SEGMENT, LOCAL).toString());
    assertNotNull(ours, sink.log::toString);
    assertTrue(ours.extendedCommunities().contains(ExtendedCommunity.dfElection(2, 0, 200)), ours::toString);
    ExtendedCommunity esImport = ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 300)));
    assertEquals(java.util.Collections.nCopies(8, B), electedAfterTheTimer(rib), "B's preference is higher");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 100)));
    assertEquals(java.util.Collections.nCopies(8, LOCAL), electedAfterTheTimer(rib), "ours is higher");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 200)));
    assertEquals(java.util.Collections.nCopies(8, LOCAL), electedAfterTheTimer(rib), "equal: the lower address");
    rib.withdraw(RR, 0, SEGMENT_B);
    assertEquals(java.util.Collections.nCopies(8, LOCAL), electedAfterTheTimer(rib), "alone");
  }

  @Test
  void ipPrefixRoutesInstallInTheIpVrf() {
    String config = """
        routing-options { autonomous-system 65000; }
        interfaces { irb { unit 100 { family inet { address 10.1.0.1/24; } } } }
        routing-instances {
            T5 { instance-type vrf; interface irb.100; route-distinguisher 10.0.0.1:5000; vrf-target target:65000:5000;
                 protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } } }
        }
        """;
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver).build();
    IpPrefixRoute t5 = new IpPrefixRoute(RouteDistinguisher.parse("10.0.0.2:5000"), EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO, IpAddress.parse("10.9.0.0"), 16, IpAddress.parse("0.0.0.0"), LabelField.ofVni(5000));
    rib.announce(RR, 0, t5, attrs(B, ExtendedCommunity.parse("target:65000:5000"),
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
  void showRendersTheTables() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    rib.macLearned(101, MacAddress.parse("00:00:0a:0b:0c:0e"), "xe-0/0/0.0", null);
    String fib = driver.table.show();
    assertTrue(fib.contains("100        00:00:0a:0b:0c:0d   R      vtep.10.0.0.2            10.0.0.2"), fib);
    assertTrue(fib.contains("101        00:00:0a:0b:0c:0e   L      xe-0/0/0.0"), fib);
    String routes = rib.showRouteTable();
    assertTrue(routes.contains("2:10.0.0.2:1::0::00:00:0a:0b:0c:0d/304\n                   *[BGP/170] from 10.0.0.100"),
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
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M), "still forwarding during the restart");
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
    rib.macLearned(101, MacAddress.parse("00:00:0a:0b:0c:0e"), "xe-0/0/0.0", IpAddress.parse("10.1.1.7"));
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
  void gatewayIpPrefixRoutesResolveThroughTheGatewaysMacIpRoute() {
    String config = """
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
    IpPrefixRoute behindGw = new IpPrefixRoute(RouteDistinguisher.parse("10.0.0.2:5000"),
        EthernetSegmentIdentifier.ZERO, EthernetTag.ZERO, IpAddress.parse("192.168.0.0"), 16, gw,
        LabelField.ofVni(5000));
    rib.announce(RR, 0, behindGw, attrs(B, t5));
    assertNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")), "the gateway is not known yet");
    MacIpAdvertisementRoute vnf = new MacIpAdvertisementRoute(RouteDistinguisher.parse("10.0.0.3:1"),
        EthernetSegmentIdentifier.ZERO, EthernetTag.ZERO, MacAddress.parse("02:00:00:00:00:99"), gw,
        LabelField.ofVni(100), LabelField.ofVni(5000));
    rib.announce(RR, 0, vnf, attrs(C, t5, ExtendedCommunity.routerMac(MacAddress.parse("02:00:00:00:00:03"))));
    ForwardingOp.SetRoute r = driver.table.route("T5", IpPrefix.parse("192.168.0.0/16"));
    assertNotNull(r);
    assertEquals(C, r.nextHop(), "resolved to the VTEP behind which the gateway is");
    assertEquals(MacAddress.parse("02:00:00:00:00:03"), r.routerMac());
    assertNotNull(driver.table.route("T5", IpPrefix.parse("10.1.0.99/32")), "and the gateway's own host route");
    rib.withdraw(RR, 0, vnf);
    assertNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")), "unresolved again");
    rib.announce(RR, 0, vnf, attrs(C, t5));
    assertNotNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")));
    rib.withdraw(RR, 0, behindGw);
    assertNull(driver.table.route("T5", IpPrefix.parse("192.168.0.0/16")));
  }

  @Test
  void duplicateIpDetectionStopsAnsweringForAnIpThatKeepsChangingMac() {
    EvpnRib rib = rib();
    IpAddress ip = IpAddress.parse("10.1.0.5");
    MacAddress m1 = MacAddress.parse("00:00:00:00:01:01");
    MacAddress m2 = MacAddress.parse("00:00:00:00:02:02");
    // two hosts claim the same IP from B and C, each re-advertised with a higher sequence: the answer flips
    for (int i = 1; i <= 4; i++) {
      boolean odd = i % 2 == 1;
      rib.announce(RR, 0, mac(odd ? B : C, odd ? m1 : m2, EthernetSegmentIdentifier.ZERO, ip),
          attrs(odd ? B : C, RT100, seq(i)));
      assertEquals(odd ? m1 : m2, driver.table.neighbor(100, ip), "move " + i);
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
    }
    assertFalse(events.log.stream().anyMatch(e -> e.startsWith("duplicate ip")), "four moves are not five");
    rib.announce(RR, 0, mac(B, m1, EthernetSegmentIdentifier.ZERO, ip), attrs(B, RT100, seq(5)));
    rib.announce(RR, 0, mac(C, m2, EthernetSegmentIdentifier.ZERO, ip), attrs(C, RT100, seq(6)));
    assertTrue(events.log.contains("duplicate ip 10.1.0.5 after 5 moves"), events.log::toString);
    assertNull(driver.table.neighbor(100, ip), "no proxy answer for a duplicate IP: ARP for it floods");
    rib.announce(RR, 0, mac(B, m1, EthernetSegmentIdentifier.ZERO, ip), attrs(B, RT100, seq(7)));
    assertNull(driver.table.neighbor(100, ip), "still frozen");
    assertEquals(List.of(B), driver.table.vteps(100, m1), "the MACs still forward");
    rib.clearDuplicateIp(100, ip);
    assertEquals(m1, driver.table.neighbor(100, ip), "the current binding once cleared");
    assertTrue(events.log.contains("cleared ip 10.1.0.5"), events.log::toString);
  }

  @Test
  void aDuplicateIpRecoversAfterTheRecoveryTime() {
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver).listener(events).clock(clock::get)
        .duplicateIpDetection(2, Duration.ofSeconds(30), Duration.ofMinutes(5)).build();
    IpAddress ip = IpAddress.parse("10.1.0.6");
    for (int i = 1; i <= 3; i++) {
      rib.announce(RR, 0, mac(i % 2 == 1 ? B : C, MacAddress.of(2 + i % 2), EthernetSegmentIdentifier.ZERO, ip),
          attrs(i % 2 == 1 ? B : C, RT100, seq(i)));
    }
    assertNull(driver.table.neighbor(100, ip));
    clock.addAndGet(Duration.ofMinutes(4).toNanos());
    rib.tick();
    assertNull(driver.table.neighbor(100, ip), "not yet");
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    rib.tick();
    assertEquals(MacAddress.of(3), driver.table.neighbor(100, ip), "recovered with the current binding");
  }

  @Test
  void localRepairSendsTheSegmentsMacsToItsOtherPesWhileTheLinkIsDown() {
    EvpnRib rib = rib();
    segmentRoutes(rib, B, SEGMENT, false);
    rib.macLearned(100, M, "ae0.0", null);
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    rib.portDown("ae0.0");
    assertInstanceOf(Destination.Group.class, driver.table.mac(100, M));
    assertEquals(List.of(B), driver.table.vteps(100, M), "to B, the segment's other PE, not into the dead link");
    assertTrue(sink.log.contains("withdraw 1:10.0.0.1:0::00aaaaaaaaaaaaaaaaaa::FFFF:FFFF/192"), sink.log::toString);
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
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(CONFIG.replace("all-active", "single-active")), LOCAL, driver)
        .routeSink(sink).listener(events).clock(clock::get).build();
    segmentRoutes(rib, B, SEGMENT, true);
    rib.macLearned(100, M, "ae0.0", null);
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    rib.portDown("ae0.0");
    assertEquals(List.of(B), driver.table.vteps(100, M), "to B, which takes over the segment");
    rib.portUp("ae0.0");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
  }

  @Test
  void splitHorizonByLocalBiasAndTheDesignatedForwarder() {
    EvpnRib rib = rib();
    EthernetSegmentIdentifier local = EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    // B shares our segment (ES route and per-ES A-D); C does not
    rib.announce(RR, 0, new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B),
        attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    rib.announce(RR, 0, new EthernetAutoDiscoveryRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, EthernetTag.MAX,
        LabelField.ZERO), attrs(B, ExtendedCommunity.parse("target:1111:11")));
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick(); // DF: VLAN 100 -> 10.0.0.1 (us), VLAN 101 -> 10.0.0.2
    assertEquals(List.of("ae0.0", "xe-0/0/0.0"), rib.floodPorts(100, null), "from a local port: every port");
    assertEquals(List.of("xe-0/0/0.0"), rib.floodPorts(100, B), "from B: B delivered to the segment itself");
    assertEquals(List.of("ae0.0", "xe-0/0/0.0"), rib.floodPorts(100, C), "from C: we are the DF of VLAN 100");
    assertEquals(List.of("xe-0/0/0.0"), rib.floodPorts(101, C), "not the DF of VLAN 101");
    assertEquals(List.of(), rib.floodPorts(999, C));
  }

  @Test
  void theDriverReportsLocalLearningThroughTheSpi() {
    final class Learning extends Recording {
      LocalLearning rib = new LocalLearning() {
        @Override
        public void macLearned(int vni, MacAddress mac, String port, @org.jspecify.annotations.Nullable IpAddress ip) {}

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

  @Test
  void routeTargetImportScalesToThousandsOfInstances() {
    StringBuilder config = new StringBuilder("routing-options { autonomous-system 65000; }\nrouting-instances {\n");
    for (int i = 1; i <= 2000; i++) {
      config.append("  MV").append(i).append(" { instance-type mac-vrf; route-distinguisher 10.0.0.1:").append(i)
          .append("; vrf-target target:65000:").append(i).append("; vlans { v").append(i).append(" { vlan-id ")
          .append(1 + i % 4000).append("; vxlan { vni ").append(100_000 + i).append("; } } } }\n");
    }
    config.append("}\n");
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config.toString()), LOCAL, driver).build();
    MacIpAdvertisementRoute r = new MacIpAdvertisementRoute(RouteDistinguisher.parse("10.0.0.2:1"),
        EthernetSegmentIdentifier.ZERO, EthernetTag.ZERO, M, null, LabelField.ofVni(101_234), null);
    rib.announce(RR, 0, r, attrs(B, ExtendedCommunity.parse("target:65000:1234")));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(101_234, M));
    assertEquals(1, driver.table.macs().size(), "one instance imported it");
    rib.announce(RR, 0, r, attrs(B, ExtendedCommunity.parse("target:65000:1235")));
    assertTrue(driver.table.macs().isEmpty(), "instance 1235 has no VNI 101234");
  }

  @Test
  void arpSuppressionFollowsAnIpToItsNewestMacAndPrefersWhatWasLearnedHere() {
    EvpnRib rib = rib();
    IpAddress host = IpAddress.parse("10.1.0.9");
    MacAddress oldMac = MacAddress.parse("00:00:00:00:00:01");
    MacAddress newMac = MacAddress.parse("00:00:00:00:00:02");
    MacAddress localMac = MacAddress.parse("00:00:00:00:00:03");
    rib.announce(RR, 0, mac(B, oldMac, EthernetSegmentIdentifier.ZERO, host), attrs(B, RT100));
    assertEquals(oldMac, driver.table.neighbor(100, host));
    rib.announce(RR, 0, mac(C, newMac, EthernetSegmentIdentifier.ZERO, host), attrs(C, RT100, seq(1)));
    assertEquals(newMac, driver.table.neighbor(100, host), "the binding with the higher sequence number");
    rib.macLearned(100, localMac, "xe-0/0/0.0", host);
    assertEquals(localMac, driver.table.neighbor(100, host), "seen here");
    rib.macAged(100, localMac);
    assertEquals(newMac, driver.table.neighbor(100, host));
    rib.withdraw(RR, 0, mac(C, newMac, EthernetSegmentIdentifier.ZERO, host));
    rib.withdraw(RR, 0, mac(B, oldMac, EthernetSegmentIdentifier.ZERO, host));
    assertNull(driver.table.neighbor(100, host));
  }
}
