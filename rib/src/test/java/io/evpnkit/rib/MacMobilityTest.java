package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MAC mobility (RFC 7432 §15) and what the RIB sets aside, rule by rule. */
@SuppressWarnings("NullAway")
class MacMobilityTest extends RibFixture {
  final List<String> ignored = new ArrayList<>();

  EvpnRib rib(int moves, Duration window) {
    RibListener both =
        new RibListener() {
          @Override
          public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
            events.macMoved(vni, mac, from, to, sequence);
          }

          @Override
          public void duplicateMac(int vni, MacAddress mac, int count) {
            events.duplicateMac(vni, mac, count);
          }

          @Override
          public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
            events.stickyConflict(vni, mac, stickyAt, contender);
          }

          @Override
          public void routeIgnored(
              Peer peer, io.evpnkit.evpn.EvpnRoute route, IgnoredRoute reason) {
            ignored.add(reason + " " + route);
          }
        };
    return EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
        .routeSink(sink)
        .listener(both)
        .clock(clock::get)
        .duplicateDetection(moves, window, null)
        .build();
  }

  @Override
  EvpnRib rib() {
    return rib(5, Duration.ofMinutes(3));
  }

  private String ours() {
    return "2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304";
  }

  @Test
  void rfc7432_15_aPeReAdvertisingItsOwnRouteIsOneUpdateNotAMove() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(1)));
    rib.announce(
        RR,
        0,
        mac(C, M),
        attrs(C, RT100, seq(1))); // equal sequence: B, the lower address, keeps it
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    int batches = driver.batches.size();
    // B re-advertises its route ten times in a minute, each time with a new sequence and new
    // attributes
    for (int i = 2; i <= 11; i++) {
      clock.addAndGet(Duration.ofSeconds(5).toNanos());
      rib.announce(
          RR, 0, mac(B, M), attrs(B, RT100, seq(i), ExtendedCommunity.parse("target:65000:" + i)));
    }
    assertEquals(List.of(), events.log, "no move: the route was replaced, never withdrawn");
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
    for (List<ForwardingOp> batch : driver.batches.subList(batches, driver.batches.size())) {
      assertFalse(
          batch.stream().anyMatch(op -> op.toString().contains("10.0.0.3")),
          "never handed to C: " + batch);
    }
    MacEntry e = rib.mac(100, M);
    assertNotNull(e);
    assertFalse(e.frozen());
    assertEquals(11, e.sequence());
  }

  @Test
  void rfc7432_15_1_aMacGoingFromOneRemotePeToAnotherIsReportedNotCounted() {
    EvpnRib rib = rib();
    // a third PE's view: the MAC flips between B and C ten times in a minute; only B and C learn it
    // locally
    for (int i = 1; i <= 10; i++) {
      clock.addAndGet(Duration.ofSeconds(5).toNanos());
      rib.announce(RR, 0, mac(i % 2 == 1 ? B : C, M), attrs(i % 2 == 1 ? B : C, RT100, seq(i)));
    }
    assertEquals(
        9, events.log.stream().filter(l -> l.startsWith("moved")).count(), events.log::toString);
    assertFalse(events.log.stream().anyMatch(l -> l.startsWith("duplicate")), events.log::toString);
    MacEntry e = rib.mac(100, M);
    assertNotNull(e);
    assertFalse(e.frozen());
  }

  @Test
  void rfc7432_15_1_movesThroughLocalLearningCountAndThoseSpanningExactlyTheWindowDoNotFreeze() {
    EvpnRib rib = rib(3, Duration.ofSeconds(60));
    // B -> local at 0 s, local -> B at 30 s, B -> local at 60 s: three moves spanning exactly the
    // window
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(0)));
    rib.macLearned(100, M, "xe-0/0/0.0", null); // move 1, advertised with sequence 1
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(2))); // move 2
    clock.addAndGet(Duration.ofSeconds(30).toNanos());
    rib.macLearned(100, M, "xe-0/0/0.0", null); // move 3, sequence 3
    assertFalse(
        events.log.stream().anyMatch(l -> l.startsWith("duplicate")), "moves " + events.log);
    // one second later: the last three moves span 31 s, before the window expires
    clock.addAndGet(Duration.ofSeconds(1).toNanos());
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(4)));
    assertTrue(events.log.contains("duplicate 00:00:0a:0b:0c:0d"), events.log::toString);
  }

  @Test
  void rfc7432_15_sequenceNumbersWrapAndCompareAsSerialNumbers() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(0xFFFF_FFFFL)));
    // learned here after B's 4294967295: the next sequence is 0 (RFC 1982: 0 is newer than
    // 4294967295)
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    PathAttributes advertised = sink.announced.get(ours());
    assertNotNull(advertised, sink.log::toString);
    long mm = advertised.findExtendedCommunity(ExtendedCommunity.MAC_MOBILITY);
    assertEquals(0, mm == 0 ? 0 : ExtendedCommunity.macMobilitySequence(mm), advertised::toString);
    MacEntry e = rib.mac(100, M);
    assertNotNull(e);
    assertEquals(0, e.sequence());
    assertTrue(e.local());
    // B's 4294967295 is older than our 0: B withdraws; C moves it on with sequence 1, which is
    // newer than 0
    rib.withdraw(RR, 0, mac(B, M));
    rib.announce(RR, 0, mac(C, M), attrs(C, RT100, seq(1)));
    assertEquals(new Destination.RemoteVtep(C), driver.table.mac(100, M));
    assertNull(sink.announced.get(ours()), "our route is withdrawn");
    // and one more wrap: learned again here after C's 1, advertised with 2
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    advertised = sink.announced.get(ours());
    assertNotNull(advertised);
    assertEquals(
        2,
        ExtendedCommunity.macMobilitySequence(
            advertised.findExtendedCommunity(ExtendedCommunity.MAC_MOBILITY)));
  }

  @Test
  void rfc7432_7_2_broadcastMulticastAndZeroMacsAreNeverProgrammedAsUnicast() {
    EvpnRib rib = rib();
    String[] bad = {
      "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "33:33:00:00:00:01", "00:00:00:00:00:00"
    };
    for (String m : bad) {
      rib.announce(RR, 0, mac(B, MacAddress.parse(m)), attrs(B, RT100));
      assertNull(driver.table.mac(100, MacAddress.parse(m)), m);
      assertNull(rib.mac(100, MacAddress.parse(m)), m);
    }
    assertEquals(bad.length, rib.ignored(IgnoredRoute.NOT_UNICAST_MAC));
    assertEquals(
        bad.length,
        ignored.stream().filter(l -> l.startsWith("NOT_UNICAST_MAC")).count(),
        ignored::toString);
    assertEquals(0, rib.pathCount(), "not stored either");
    // a unicast MAC from the same peer is taken as usual
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100));
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M));
  }

  @Test
  void rfc4456_8_routesReflectedBackToUsAreIgnoredAndLocalMacsStayLocal() {
    EvpnRib rib = rib();
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    PathAttributes ours = sink.announced.get(ours());
    assertNotNull(ours);
    // the route reflector sends our own route back, with ORIGINATOR_ID = our router id (the VTEP by
    // default)
    PathAttributes reflected =
        ours.toBuilder().originatorId(0x0A000001L).addClusterId(0x0A000064).build();
    rib.announce(RR, 0, io.evpnkit.evpn.EvpnRoutes.parseJunos(ours()), reflected);
    assertEquals(1, rib.ignored(IgnoredRoute.OWN_ROUTE));
    // and another path brings a route whose next hop is this VTEP
    rib.announce(RR, 7, mac(B, M), attrs(LOCAL, RT100, seq(5)));
    assertEquals(1, rib.ignored(IgnoredRoute.OWN_NEXT_HOP));
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    assertNotNull(sink.announced.get(ours()), "still advertised");
    assertEquals(0, rib.pathCount());
  }

  @Test
  void routesNoInstanceImportsAreCountedAndKept() {
    EvpnRib rib = rib();
    rib.announce(RR, 0, mac(B, M), attrs(B, ExtendedCommunity.parse("target:64999:1")));
    assertEquals(1, rib.ignored(IgnoredRoute.NOT_IMPORTED));
    assertNull(driver.table.mac(100, M));
    assertEquals(1, rib.pathCount(), "kept in the Adj-RIB-In");
    rib.announce(
        RR, 0, mac(B, MacAddress.parse("00:00:0a:0b:0c:0e")), PathAttributes.builder().build());
    assertEquals(1, rib.ignored(IgnoredRoute.NO_NEXT_HOP));
  }

  @Test
  void theRibSaysWhenItNextNeedsATick() {
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
            .routeSink(sink)
            .listener(events)
            .clock(clock::get)
            .duplicateDetection(3, Duration.ofMinutes(3), Duration.ofMinutes(10))
            .build();
    // the local segment of ae0 elects its DF when the election timer (3 s) runs out
    assertEquals(java.util.OptionalLong.of(Duration.ofSeconds(3).toNanos()), rib.nextTick());
    clock.set(Duration.ofSeconds(3).toNanos());
    rib.tick();
    assertEquals(java.util.OptionalLong.empty(), rib.nextTick(), "nothing to wait for");
    // a MAC frozen at 100 s recovers 10 minutes later
    clock.set(Duration.ofSeconds(100).toNanos());
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(0)));
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(2)));
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    assertTrue(events.log.contains("duplicate 00:00:0a:0b:0c:0d"), events.log::toString);
    long recovery = Duration.ofSeconds(100).plusMinutes(10).toNanos();
    assertEquals(java.util.OptionalLong.of(recovery), rib.nextTick());
    clock.set(recovery - 1);
    rib.tick();
    assertTrue(rib.mac(100, M).frozen(), "not yet");
    clock.set(recovery);
    rib.tick();
    assertFalse(rib.mac(100, M).frozen());
    assertEquals(java.util.OptionalLong.empty(), rib.nextTick());
  }

  @Test
  void rfc7432_15_2_aStickyRemoteRouteSuppressesALocalLearnWhichBecomesActiveWhenTheRouteGoes() {
    EvpnRib rib = rib();
    io.evpnkit.evpn.IpAddress ip = io.evpnkit.evpn.IpAddress.parse("10.1.0.9");
    rib.announce(RR, 0, mac(B, M), attrs(B, RT100, ExtendedCommunity.macMobility(0, true)));
    rib.macLearned(100, M, "xe-0/0/0.0", ip);
    assertEquals(
        new Destination.RemoteVtep(B),
        driver.table.mac(100, M),
        "the static MAC stays where it is");
    assertNull(sink.announced.get(ours()), "the local binding is not advertised");
    assertNull(driver.table.neighbor(100, ip), "nor answered for");
    // an integrator sees the whole state: the remote sticky route and the suppressed local binding
    MacEntry whole = rib.mac(100, M);
    assertEquals(
        List.of(
            new MacEntry.RemoteRoute(
                B, 0, true, io.evpnkit.evpn.EthernetSegmentIdentifier.ZERO, false)),
        whole.remoteRoutes());
    assertEquals(
        new MacEntry.LocalBinding("xe-0/0/0.0", 1, false, List.of(ip), true), whole.localBinding());
    assertEquals(List.of(whole), rib.macs(100), "every MAC of the bridge domain");
    assertEquals(List.of(), rib.macs(101));
    rib.macLearned(100, M, "xe-0/0/0.0", ip); // learned again: still suppressed, reported once
    java.util.List<String> conflicts =
        events.log.stream().filter(l -> l.startsWith("sticky")).toList();
    assertEquals(
        java.util.List.of("sticky 00:00:0a:0b:0c:0d at remote 10.0.0.2 vs local xe-0/0/0.0"),
        conflicts);
    // the static MAC is removed at B: the binding learned meanwhile becomes active, without being
    // learned again
    rib.withdraw(RR, 0, mac(B, M));
    assertEquals(new Destination.LocalPort("xe-0/0/0.0"), driver.table.mac(100, M));
    assertNotNull(sink.announced.get(ours()), sink.log::toString);
    assertEquals(M, driver.table.neighbor(100, ip));
  }

  @Test
  void rfc7432_15_sameEsiLearnKeepsSequence() {
    EvpnRib rib = rib();
    io.evpnkit.evpn.EthernetSegmentIdentifier ae0 =
        io.evpnkit.evpn.EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    // B, on our segment ae0, advertises the host with sequence 4; then we learn it on ae0 too
    rib.announce(RR, 0, mac(B, M, ae0, null), attrs(B, RT100, seq(4)));
    rib.macLearned(100, M, "ae0.0", null);
    PathAttributes advertised = sink.announced.get(ours());
    assertNotNull(advertised, sink.log::toString);
    assertEquals(
        4,
        ExtendedCommunity.macMobilitySequence(
            advertised.findExtendedCommunity(ExtendedCommunity.MAC_MOBILITY)),
        "the sequence of the segment's other PE, not one more");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    assertFalse(events.log.stream().anyMatch(l -> l.startsWith("moved")), events.log::toString);
    // B re-advertises with a higher sequence (it saw a move elsewhere and back): we keep our route
    rib.announce(RR, 0, mac(B, M, ae0, null), attrs(B, RT100, seq(7)));
    assertNotNull(
        sink.announced.get(ours()), "a route from our own segment does not make us withdraw ours");
    assertEquals(new Destination.LocalPort("ae0.0"), driver.table.mac(100, M));
    assertFalse(events.log.stream().anyMatch(l -> l.startsWith("moved")), events.log::toString);
  }

  @Test
  void useFromASecondThreadFailsLoudlyInsteadOfCorruptingTheTables() throws Exception {
    EvpnRib rib = rib(); // built here; the first call binds it
    Thread loop = new Thread(() -> rib.announce(RR, 0, mac(B, M), attrs(B, RT100)), "event-loop");
    loop.start();
    loop.join();
    IllegalStateException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalStateException.class, () -> rib.macLearned(100, M, "xe-0/0/0.0", null));
    assertTrue(String.valueOf(e.getMessage()).contains("event-loop"), e::getMessage);
    assertEquals(new Destination.RemoteVtep(B), driver.table.mac(100, M), "nothing was changed");
    // an integrator that serializes the calls itself turns the check off
    EvpnRib free =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, new InMemoryForwardingTable())
            .threadConfined(false)
            .build();
    Thread other = new Thread(() -> free.announce(RR, 0, mac(B, M), attrs(B, RT100)));
    other.start();
    other.join();
    free.macLearned(100, M, "xe-0/0/0.0", null);
  }

  @Test
  void rfc7432_9_2_1_aHostWithSeveralAddressesHasAMacIpRouteForEach() {
    EvpnRib rib = rib();
    io.evpnkit.evpn.IpAddress v4 = io.evpnkit.evpn.IpAddress.parse("10.1.0.9");
    io.evpnkit.evpn.IpAddress v6 = io.evpnkit.evpn.IpAddress.parse("2001:db8:1::9");
    io.evpnkit.evpn.IpAddress linkLocal = io.evpnkit.evpn.IpAddress.parse("fe80::9");
    rib.macLearned(100, M, "xe-0/0/0.0", v4);
    rib.macLearned(100, M, "xe-0/0/0.0", v6);
    rib.macLearned(100, M, "xe-0/0/0.0", linkLocal);
    rib.macLearned(100, M, "xe-0/0/0.0", v6); // a refresh
    String prefix = "2:10.0.0.1:1::100::00:00:0a:0b:0c:0d";
    assertEquals(
        java.util.Set.of(
            prefix + "/304",
            prefix + "::10.1.0.9/304",
            prefix + "::2001:db8:1::9/304",
            prefix + "::fe80::9/304"),
        macRoutes(sink));
    for (io.evpnkit.evpn.IpAddress a : List.of(v4, v6, linkLocal)) {
      assertEquals(M, driver.table.neighbor(100, a), a::toString);
    }
    // a snapshot keeps every address
    EvpnRib.Snapshot snapshot = rib.snapshot();
    assertEquals(3, snapshot.localMacs().size());
    // the IPv6 address's ND entry ages out: its route alone goes
    rib.neighborAged(100, M, v6);
    assertEquals(
        java.util.Set.of(prefix + "/304", prefix + "::10.1.0.9/304", prefix + "::fe80::9/304"),
        macRoutes(sink));
    assertNull(driver.table.neighbor(100, v6));
    assertEquals(M, driver.table.neighbor(100, v4));
    // restored into a new RIB, the host has its three addresses again
    RibFixture.Sink other = new RibFixture.Sink();
    EvpnRib restored =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, new InMemoryForwardingTable())
            .routeSink(other)
            .build();
    restored.restore(snapshot);
    assertEquals(4, macRoutes(other).size(), other.log::toString);
  }

  private static java.util.Set<String> macRoutes(RibFixture.Sink s) {
    return s.announced.keySet().stream()
        .filter(r -> r.startsWith("2:"))
        .collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void aListenerOrSinkThatThrowsDoesNotLeaveTheRibHalfUpdated() {
    RuntimeException boom = new IllegalStateException("the integrator's bug");
    RibFixture.Recording a = new RibFixture.Recording();
    RibFixture.Recording b = new RibFixture.Recording();
    RibListener throwing =
        new RibListener() {
          @Override
          public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
            throw boom;
          }
        };
    RouteSink throwingSink =
        new RouteSink() {
          @Override
          public void announce(io.evpnkit.evpn.EvpnRoute route, PathAttributes attributes) {
            throw boom;
          }

          @Override
          public void withdraw(io.evpnkit.evpn.EvpnRoute route) {
            throw boom;
          }
        };
    EvpnRib faulty =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, a)
            .listener(throwing)
            .routeSink(throwingSink)
            .build();
    EvpnRib fine = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, b).build();
    for (EvpnRib rib : List.of(faulty, fine)) {
      rib.announce(RR, 0, mac(B, M), attrs(B, RT100, seq(0)));
      rib.macLearned(
          100,
          M,
          "xe-0/0/0.0",
          null); // a move: the listener throws, and the sink throws on announce
      rib.announce(
          RR, 0, mac(C, M), attrs(C, RT100, seq(5))); // another move, and a withdrawal of ours
    }
    assertTrue(faulty.callbackFaults() >= 3, () -> "faults " + faulty.callbackFaults());
    assertEquals(0, fine.callbackFaults());
    assertEquals(b.table.macs(), a.table.macs(), "the same state as a RIB whose callbacks work");
    assertEquals(b.table.floods(), a.table.floods());
    assertEquals(fine.mac(100, M), faulty.mac(100, M));
  }

  // through the RIB
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
    assertTrue(
        events.log.contains("sticky 00:00:0a:0b:0c:0d at local xe-0/0/0.0 vs remote 10.0.0.2"),
        events.log::toString);
  }

  @Test
  void duplicateMacDetectionFreezesAfterFiveMovesInThreeMinutes() {
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
            .routeSink(sink)
            .listener(events)
            .clock(clock::get)
            .duplicateDetection(5, Duration.ofMinutes(3), Duration.ofMinutes(10))
            .build();
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
    assertNull(
        sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"),
        "a frozen MAC is not advertised");
    clock.addAndGet(Duration.ofMinutes(10).toNanos());
    rib.tick();
    assertTrue(events.log.contains("cleared 00:00:0a:0b:0c:0d"));
    assertNotNull(
        sink.announced.get("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"),
        "advertised again after recovery");
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
}
