package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One bridge domain's state alone: the ARP/ND answer for an IP (RFC 9161) and the flood list (RFC
 * 8365 §9).
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class BridgeDomainTest extends RibFixture {
  static final IpAddress HOST = IpAddress.parse("192.168.1.10");
  static final IpAddress D = IpAddress.parse("10.0.0.4");
  static final MacAddress OLD_VM = MacAddress.parse("00:00:00:00:00:0b");
  static final MacAddress NEW_VM = MacAddress.parse("00:00:00:00:00:0c");

  final BridgeDomain domain = new BridgeDomain(100);

  static MacIpAdvertisementRoute route(IpAddress pe, MacAddress mac) {
    return new MacIpAdvertisementRoute(
        RouteDistinguisher.parse(pe + ":1"),
        EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO,
        mac,
        HOST,
        LabelField.ofVni(100),
        null);
  }

  void remote(IpAddress pe, MacAddress mac, long sequence) {
    MacIpAdvertisementRoute r = route(pe, mac);
    domain
        .macs
        .getOrAdd(mac.value())
        .putRemote(r, new RemoteMac(pe, sequence, false, EthernetSegmentIdentifier.ZERO, false));
    domain.bindRemote(r, true);
  }

  @Test
  void rfc9161_anIpThatMovedToANewMacIsAnsweredWithTheNewerMacsRoute() {
    remote(B, OLD_VM, 0);
    assertEquals(OLD_VM, domain.answerFor(HOST));
    remote(C, NEW_VM, 1); // the re-created VM's MAC, advertised with a higher sequence
    assertEquals(NEW_VM, domain.answerFor(HOST));
  }

  @Test
  void rfc9161_equalSequencesGoToTheLowerMac() {
    remote(C, NEW_VM, 0);
    remote(B, OLD_VM, 0);
    assertEquals(OLD_VM, domain.answerFor(HOST));
  }

  @Test
  void rfc9161_whatWasLearnedHereAnswersFirstAndForgettingItGivesTheRemoteAnswerBack() {
    remote(B, OLD_VM, 5);
    domain.bindLocally(HOST, NEW_VM);
    assertEquals(NEW_VM, domain.answerFor(HOST));
    assertEquals(
        false,
        domain.forgetLocalBinding(HOST, OLD_VM),
        "only the binding that exists is forgotten");
    assertEquals(true, domain.forgetLocalBinding(HOST, NEW_VM));
    assertEquals(OLD_VM, domain.answerFor(HOST));
    domain.bindRemote(route(B, OLD_VM), false);
    assertNull(domain.answerFor(HOST));
  }

  @Test
  void rfc7432_7_2_aRouteAnnouncedAgainIsOneBindingAndEachRouteOfAnIpIsForgottenOnItsOwn() {
    remote(B, OLD_VM, 0);
    remote(B, OLD_VM, 0); // the same route key again: an implicit replace
    domain.bindRemote(route(B, OLD_VM), false);
    assertNull(domain.answerFor(HOST), "one withdrawal undoes a route announced twice");

    remote(B, OLD_VM, 0);
    remote(C, NEW_VM, 1);
    remote(D, NEW_VM, 1); // a second PE's route for the same binding (another RD)
    domain.bindRemote(route(C, NEW_VM), false);
    assertEquals(NEW_VM, domain.answerFor(HOST), "D's route still binds the newer MAC");
    domain.bindRemote(route(D, NEW_VM), false);
    assertEquals(OLD_VM, domain.answerFor(HOST));
    domain.bindRemote(route(B, OLD_VM), false);
    assertNull(domain.answerFor(HOST));
  }

  @Test
  void rfc8365_9_theFloodListHasEachRemoteVtepOnceInAddressOrderWhileARouteNamesIt() {
    domain.countFlood(C, true);
    domain.countFlood(B, true);
    domain.countFlood(B, true); // two inclusive multicast routes of one VTEP (two RDs)
    assertEquals(List.of(B, C), domain.floodList());
    domain.countFlood(B, false);
    assertEquals(List.of(B, C), domain.floodList());
    domain.countFlood(B, false);
    domain.countFlood(C, false);
    assertEquals(List.of(), domain.floodList());
  }

  // through the RIB
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
    assertTrue(
        sink.announced.containsKey("2:10.0.0.1:1::100::00:00:0a:0b:0c:0d::10.1.0.5/304"),
        sink.log::toString);
  }

  @Test
  void duplicateIpDetectionStopsAnsweringForAnIpThatKeepsChangingMac() {
    EvpnRib rib = rib();
    IpAddress ip = IpAddress.parse("10.1.0.5");
    MacAddress m1 = MacAddress.parse("00:00:00:00:01:01");
    MacAddress m2 = MacAddress.parse("00:00:00:00:02:02");
    // two hosts claim the same IP from B and C, each re-advertised with a higher sequence: the
    // answer flips
    for (int i = 1; i <= 4; i++) {
      boolean odd = i % 2 == 1;
      rib.announce(
          RR,
          0,
          mac(odd ? B : C, odd ? m1 : m2, EthernetSegmentIdentifier.ZERO, ip),
          attrs(odd ? B : C, RT100, seq(i)));
      assertEquals(odd ? m1 : m2, driver.table.neighbor(100, ip), "move " + i);
      clock.addAndGet(Duration.ofSeconds(10).toNanos());
    }
    assertFalse(
        events.log.stream().anyMatch(e -> e.startsWith("duplicate ip")), "four moves are not five");
    rib.announce(RR, 0, mac(B, m1, EthernetSegmentIdentifier.ZERO, ip), attrs(B, RT100, seq(5)));
    rib.announce(RR, 0, mac(C, m2, EthernetSegmentIdentifier.ZERO, ip), attrs(C, RT100, seq(6)));
    assertTrue(events.log.contains("duplicate ip 10.1.0.5 after 5 moves"), events.log::toString);
    assertNull(
        driver.table.neighbor(100, ip), "no proxy answer for a duplicate IP: ARP for it floods");
    rib.announce(RR, 0, mac(B, m1, EthernetSegmentIdentifier.ZERO, ip), attrs(B, RT100, seq(7)));
    assertNull(driver.table.neighbor(100, ip), "still frozen");
    assertEquals(List.of(B), driver.table.vteps(100, m1), "the MACs still forward");
    rib.clearDuplicateIp(100, ip);
    assertEquals(m1, driver.table.neighbor(100, ip), "the current binding once cleared");
    assertTrue(events.log.contains("cleared ip 10.1.0.5"), events.log::toString);
  }

  @Test
  void aDuplicateIpRecoversAfterTheRecoveryTime() {
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
            .listener(events)
            .clock(clock::get)
            .duplicateIpDetection(2, Duration.ofSeconds(30), Duration.ofMinutes(5))
            .build();
    IpAddress ip = IpAddress.parse("10.1.0.6");
    for (int i = 1; i <= 3; i++) {
      rib.announce(
          RR,
          0,
          mac(i % 2 == 1 ? B : C, MacAddress.of(2 + i % 2), EthernetSegmentIdentifier.ZERO, ip),
          attrs(i % 2 == 1 ? B : C, RT100, seq(i)));
    }
    assertNull(driver.table.neighbor(100, ip));
    clock.addAndGet(Duration.ofMinutes(4).toNanos());
    rib.tick();
    assertNull(driver.table.neighbor(100, ip), "not yet");
    clock.addAndGet(Duration.ofMinutes(1).toNanos());
    rib.tick();
    assertEquals(
        MacAddress.of(3), driver.table.neighbor(100, ip), "recovered with the current binding");
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
    rib.announce(
        RR, 0, mac(C, newMac, EthernetSegmentIdentifier.ZERO, host), attrs(C, RT100, seq(1)));
    assertEquals(
        newMac, driver.table.neighbor(100, host), "the binding with the higher sequence number");
    rib.macLearned(100, localMac, "xe-0/0/0.0", host);
    assertEquals(localMac, driver.table.neighbor(100, host), "seen here");
    rib.macAged(100, localMac);
    assertEquals(newMac, driver.table.neighbor(100, host));
    rib.withdraw(RR, 0, mac(C, newMac, EthernetSegmentIdentifier.ZERO, host));
    rib.withdraw(RR, 0, mac(B, oldMac, EthernetSegmentIdentifier.ZERO, host));
    assertNull(driver.table.neighbor(100, host));
  }
}
