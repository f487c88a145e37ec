package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.DfElection;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the RIB applies the DF election (RFC 7432 §8.5, RFC 8584, RFC 8365) to its local segments.
 */
class DfElectionRulesTest extends RibFixture {
  static final EthernetSegmentIdentifier AE0 =
      EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");

  static final String SWITCH =
      """
      routing-options { autonomous-system 65000; }
      interfaces {
          ae0 {
              esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active;%s }
              unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } }
          }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher 10.0.0.1:1; vrf-target { target:1111:11; auto; } }
      vlans {
          v100 { vlan-id 100; vxlan { vni 5001; ingress-node-replication; } }
          v101 { vlan-id 101; vxlan { vni 5002; ingress-node-replication; } }
      }
      protocols { evpn { encapsulation vxlan; extended-vni-list [ 5001 5002 ]; } }
      """;

  static final String BUNDLE =
      """
      routing-options { autonomous-system 65000; }
      interfaces {
          ae0 {
              esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; }
              unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ 100 101 ]; } } }
          }
      }
      routing-instances {
          BUNDLE {
              instance-type mac-vrf;
              protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
              vtep-source-interface lo0.0;
              service-type vlan-bundle;
              interface ae0.0;
              route-distinguisher 10.0.0.1:100;
              vrf-target target:65000:100;
              vlans {
                  v100 { vlan-id 100; vxlan { vni 5001; } }
                  v101 { vlan-id 101; vxlan { vni 5002; } }
              }
          }
      }
      """;

  EvpnRib elect(String config, ExtendedCommunity... peerCommunities) {
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(config), LOCAL, new InMemoryForwardingTable())
            .clock(clock::get)
            .build();
    PathAttributes.Builder a = PathAttributes.builder().nextHop(B);
    for (ExtendedCommunity c : peerCommunities) {
      a.addExtendedCommunity(c);
    }
    rib.announce(
        RR, 0, EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), AE0, B), a.build());
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    return rib;
  }

  @Test
  void rfc8365_theElectionIsPerEthernetTagTheVniNotTheVlanId() {
    EvpnRib rib = elect(SWITCH.formatted(""));
    // modulo over [10.0.0.1, 10.0.0.2]: VNI 5001 mod 2 = 1 and 5002 mod 2 = 0 (by VLAN id it would
    // be the reverse)
    assertEquals(B, rib.designatedForwarder(AE0, 100));
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 101));
  }

  @Test
  void rfc7432_8_5_aVlanBundleElectsOnceWithItsLowestVlan() {
    EvpnRib rib = elect(BUNDLE);
    // one election for the bundle: VLAN 100 mod 2 = 0, the same DF for both VLANs
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 100));
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 101));
  }

  @Test
  void rfc8584_2_2_3_segmentsThatDisagreeOnCapabilitiesOrSendTwoCommunitiesUseTheDefault() {
    String hrw = SWITCH.formatted(" df-election-type hrw;");
    ExtendedCommunity hrwPlain = ExtendedCommunity.dfElection(1, 0, 0);
    assertEquals(DfElection.Algorithm.HRW, elect(hrw, hrwPlain).designatedForwarderAlgorithm(AE0));
    // the same algorithm with another capability bitmap (AC-DF, 0x4000): modulo
    assertEquals(
        DfElection.Algorithm.MODULO,
        elect(hrw, ExtendedCommunity.dfElection(1, 0x4000, 0)).designatedForwarderAlgorithm(AE0));
    // an ES route with two DF Election communities: modulo
    assertEquals(
        DfElection.Algorithm.MODULO,
        elect(hrw, hrwPlain, ExtendedCommunity.dfElection(1, 0, 1))
            .designatedForwarderAlgorithm(AE0));
  }

  // through the RIB
  @Test
  void designatedForwarderByTheModuloAlgorithmAfterTheTimer() {
    EvpnRib rib = rib();
    EthernetSegmentIdentifier local =
        EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    rib.announce(
        RR,
        0,
        new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B),
        attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    rib.tick();
    assertNull(rib.designatedForwarder(local, 100), "the election timer has not run");
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    assertEquals(LOCAL, rib.designatedForwarder(local, 100)); // 100 mod 2 = 0: the lower address
    assertEquals(B, rib.designatedForwarder(local, 101));
    rib.withdraw(RR, 0, new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B));
    assertEquals(LOCAL, rib.designatedForwarder(local, 101), "alone on the segment");
    assertTrue(
        sink.log.stream()
            .anyMatch(s -> s.startsWith("announce 4:10.0.0.1:0::00aaaaaaaaaaaaaaaaaa")),
        sink.log::toString);
  }

  @Test
  void designatedForwarderByHighestRandomWeight() {
    EvpnRib rib = segmentRib("df-election-type hrw;");
    PathAttributes ours =
        sink.announced.get(
            new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.1:0"), SEGMENT, LOCAL)
                .toString());
    assertNotNull(ours, sink.log::toString);
    assertTrue(
        ours.extendedCommunities().contains(ExtendedCommunity.dfElection(1, 0, 0)), ours::toString);
    rib.announce(
        RR,
        0,
        SEGMENT_B,
        attrs(
            B,
            ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa"),
            ExtendedCommunity.dfElection(1, 0, 0)));
    // the heavier of Wrand(v, ES, 10.0.0.1) and Wrand(v, ES, 10.0.0.2) for v = 100..107, computed
    // with Python
    assertEquals(List.of(LOCAL, B, B, B, B, B, B, LOCAL), electedAfterTheTimer(rib));
    assertEquals(
        io.evpnkit.policy.DfElection.Algorithm.HRW, rib.designatedForwarderAlgorithm(SEGMENT));
    // B re-advertises without the community (an older PE): every PE falls back to modulo
    rib.announce(
        RR, 0, SEGMENT_B, attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    assertEquals(
        io.evpnkit.policy.DfElection.Algorithm.MODULO, rib.designatedForwarderAlgorithm(SEGMENT));
    assertEquals(List.of(LOCAL, B, LOCAL, B, LOCAL, B, LOCAL, B), electedAfterTheTimer(rib));
  }

  @Test
  void designatedForwarderByPreference() {
    EvpnRib rib = segmentRib("df-election-type { preference { value 200; } }");
    PathAttributes ours =
        sink.announced.get(
            new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.1:0"), SEGMENT, LOCAL)
                .toString());
    assertNotNull(ours, sink.log::toString);
    assertTrue(
        ours.extendedCommunities().contains(ExtendedCommunity.dfElection(2, 0, 200)),
        ours::toString);
    ExtendedCommunity esImport = ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 300)));
    assertEquals(
        java.util.Collections.nCopies(8, B), electedAfterTheTimer(rib), "B's preference is higher");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 100)));
    assertEquals(
        java.util.Collections.nCopies(8, LOCAL), electedAfterTheTimer(rib), "ours is higher");
    rib.announce(RR, 0, SEGMENT_B, attrs(B, esImport, ExtendedCommunity.dfElection(2, 0, 200)));
    assertEquals(
        java.util.Collections.nCopies(8, LOCAL),
        electedAfterTheTimer(rib),
        "equal: the lower address");
    rib.withdraw(RR, 0, SEGMENT_B);
    assertEquals(java.util.Collections.nCopies(8, LOCAL), electedAfterTheTimer(rib), "alone");
  }

  @Test
  void splitHorizonByLocalBiasAndTheDesignatedForwarder() {
    EvpnRib rib = rib();
    EthernetSegmentIdentifier local =
        EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
    // B shares our segment (ES route and per-ES A-D); C does not
    rib.announce(
        RR,
        0,
        new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), local, B),
        attrs(B, ExtendedCommunity.parse("es-import:aa:aa:aa:aa:aa:aa")));
    rib.announce(
        RR,
        0,
        new EthernetAutoDiscoveryRoute(
            RouteDistinguisher.parse("10.0.0.2:0"), local, EthernetTag.MAX, LabelField.ZERO),
        attrs(B, ExtendedCommunity.parse("target:1111:11")));
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick(); // DF: VLAN 100 -> 10.0.0.1 (us), VLAN 101 -> 10.0.0.2
    assertEquals(
        List.of("ae0.0", "xe-0/0/0.0"), rib.floodPorts(100, null), "from a local port: every port");
    assertEquals(
        List.of("xe-0/0/0.0"), rib.floodPorts(100, B), "from B: B delivered to the segment itself");
    assertEquals(
        List.of("ae0.0", "xe-0/0/0.0"),
        rib.floodPorts(100, C),
        "from C: we are the DF of VLAN 100");
    assertEquals(List.of("xe-0/0/0.0"), rib.floodPorts(101, C), "not the DF of VLAN 101");
    assertEquals(List.of(), rib.floodPorts(999, C));
  }

  static DfElections.Candidate candidate(
      String pe, int algorithm, int capabilities, int preference) {
    return new DfElections.Candidate(
        IpAddress.parse(pe),
        ExtendedCommunity.dfElection(algorithm, capabilities, preference).value());
  }

  @Test
  void rfc9785_4_1_equalPreferencesGoToTheDontPreemptPeThenToTheLowestAddress() {
    List<DfElections.Candidate> pes =
        List.of(
            candidate("10.0.0.1", 2, 0, 200),
            candidate("10.0.0.2", 2, ExtendedCommunity.DF_DONT_PREEMPT, 200),
            candidate("10.0.0.3", 2, 0, 100));
    assertEquals(
        List.of(B, LOCAL, C), DfElections.rank(DfElection.Algorithm.PREFERENCE, 5001, AE0, pes));
    assertEquals(
        DfElection.Algorithm.PREFERENCE,
        DfElections.agreed(pes),
        "the D bit is no capability to agree on");
  }

  @Test
  void rfc9785_4_1_theLowestPreferenceAlgorithmElectsTheLowestPreference() {
    List<DfElections.Candidate> pes =
        List.of(
            candidate("10.0.0.1", 3, 0, 200),
            candidate("10.0.0.2", 3, 0, 100),
            candidate("10.0.0.3", 3, 0, 100));
    assertEquals(DfElection.Algorithm.LOWEST_PREFERENCE, DfElections.agreed(pes));
    assertEquals(
        List.of(B, C, LOCAL),
        DfElections.rank(DfElection.Algorithm.LOWEST_PREFERENCE, 5001, AE0, pes));
  }

  @Test
  void rfc9785_4_2_aNonRevertiveDfKeepsTheRoleWhenTheFormerDfComesBack() {
    EvpnRib rib =
        EvpnRib.builder(
                VtepConfig.parse(
                    SWITCH.formatted(
                        " df-election-type { preference { value 100; non-revertive; } }")),
                LOCAL,
                new InMemoryForwardingTable())
            .routeSink(sink)
            .clock(clock::get)
            .build();
    EthernetSegmentRoute fromB =
        EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), AE0, B);
    PathAttributes b500 =
        PathAttributes.builder()
            .nextHop(B)
            .addExtendedCommunity(ExtendedCommunity.dfElection(2, 0, 500))
            .build();
    rib.announce(RR, 0, fromB, b500);
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    assertEquals(B, rib.designatedForwarder(AE0, 100), "500 beats 100");
    assertEquals(
        ExtendedCommunity.dfElection(2, 0, 100).value(), ourDfCommunity(), "not DF: no D bit");
    rib.withdraw(
        RR, 0, fromB); // B fails: this PE takes over, with B's preference in use and the D bit
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 100));
    assertEquals(
        ExtendedCommunity.dfElection(2, ExtendedCommunity.DF_DONT_PREEMPT, 500).value(),
        ourDfCommunity());
    rib.announce(
        RR, 0, fromB, b500); // B comes back with 500 and no D bit: the tie goes to the D bit
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 100));
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 101));
  }

  @Test
  void rfc9785_4_2_aRevertiveElectionGivesTheRoleBack() {
    EvpnRib rib =
        elect(
            SWITCH.formatted(" df-election-type preference value 100;"),
            ExtendedCommunity.dfElection(2, 0, 500));
    assertEquals(B, rib.designatedForwarder(AE0, 100));
    EthernetSegmentRoute fromB =
        EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), AE0, B);
    rib.withdraw(RR, 0, fromB);
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 100));
    rib.announce(
        RR,
        0,
        fromB,
        PathAttributes.builder()
            .nextHop(B)
            .addExtendedCommunity(ExtendedCommunity.dfElection(2, 0, 500))
            .build());
    assertEquals(
        B, rib.designatedForwarder(AE0, 100), "without non-revertive the better PE preempts");
  }

  /** The DF Election community of the ES route this PE announces now. */
  long ourDfCommunity() {
    for (java.util.Map.Entry<String, PathAttributes> e : sink.announced.entrySet()) {
      if (e.getKey().startsWith("4:")) {
        return e.getValue().findExtendedCommunity(ExtendedCommunity.DF_ELECTION);
      }
    }
    return 0;
  }

  /**
   * B's per-ES A-D route, or its per-EVI A-D route for a VNI, with the target the switch imports.
   */
  void adRoute(EvpnRib rib, int vni, boolean add) {
    EthernetAutoDiscoveryRoute r =
        vni < 0
            ? EthernetAutoDiscoveryRoute.perEthernetSegment(RouteDistinguisher.parse(B + ":0"), AE0)
            : EthernetAutoDiscoveryRoute.perEvi(
                RouteDistinguisher.parse(B + ":1"), AE0, EthernetTag.ZERO, LabelField.ofVni(vni));
    if (add) {
      rib.announce(RR, vni < 0 ? 0 : vni, r, attrs(B, ExtendedCommunity.parse("target:1111:11")));
    } else {
      rib.withdraw(RR, vni < 0 ? 0 : vni, r);
    }
  }

  @Test
  void rfc8584_4_1_anAcInfluencedElectionLeavesOutAPeWithoutThePerEviRouteOfTheVlan() {
    String config = SWITCH.formatted(" ac-influenced-df;");
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(config), LOCAL, new InMemoryForwardingTable())
            .routeSink(sink)
            .clock(clock::get)
            .build();
    assertEquals(
        ExtendedCommunity.dfElection(0, ExtendedCommunity.DF_AC_INFLUENCED, 0).value(),
        ourDfCommunity(),
        "the AC-DF capability with the default algorithm");
    rib.announce(
        RR,
        0,
        EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), AE0, B),
        PathAttributes.builder()
            .nextHop(B)
            .addExtendedCommunity(
                ExtendedCommunity.dfElection(0, ExtendedCommunity.DF_AC_INFLUENCED, 0))
            .build());
    adRoute(rib, -1, true);
    adRoute(rib, 5002, true); // B's attachment circuit serves VNI 5002 only
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    // modulo would make B the DF of VNI 5001 (5001 mod 2 = 1); B is no candidate there
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 100));
    assertEquals(LOCAL, rib.designatedForwarder(AE0, 101), "5002 mod 2 = 0");
    adRoute(rib, 5001, true);
    assertEquals(B, rib.designatedForwarder(AE0, 100), "B's circuit for VNI 5001 came up");
    adRoute(rib, -1, false);
    assertEquals(
        LOCAL, rib.designatedForwarder(AE0, 100), "B's per-ES route went: no candidate anywhere");
  }

  @Test
  void rfc8584_2_2_3_theAcInfluencedElectionNeedsEveryPeToAdvertiseIt() {
    EvpnRib rib =
        elect(SWITCH.formatted(" ac-influenced-df;")); // B's ES route has no DF Election community
    adRoute(rib, -1, true);
    assertEquals(
        B,
        rib.designatedForwarder(AE0, 100),
        "plain modulo: B without a per-EVI route is a candidate");
  }
}
