package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.DfElection;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How the RIB applies the DF election (RFC 7432 §8.5, RFC 8584, RFC 8365) to its local segments. */
class DfElectionRulesTest {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final EthernetSegmentIdentifier AE0 = EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
  static final Peer RR = new Peer(IpAddress.parse("10.0.0.100"), 0x0A000064L, false);

  static final String SWITCH = """
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

  static final String BUNDLE = """
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

  final AtomicLong clock = new AtomicLong();

  EvpnRib elect(String config, ExtendedCommunity... peerCommunities) {
    EvpnRib rib = EvpnRib.builder(VtepConfig.parse(config), LOCAL, new InMemoryForwardingTable()).clock(clock::get)
        .build();
    PathAttributes.Builder a = PathAttributes.builder().nextHop(B);
    for (ExtendedCommunity c : peerCommunities) {
      a.addExtendedCommunity(c);
    }
    rib.announce(RR, 0, EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), AE0, B), a.build());
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    return rib;
  }

  @Test
  void rfc8365_theElectionIsPerEthernetTagTheVniNotTheVlanId() {
    EvpnRib rib = elect(SWITCH.formatted(""));
    // modulo over [10.0.0.1, 10.0.0.2]: VNI 5001 mod 2 = 1 and 5002 mod 2 = 0 (by VLAN id it would be the reverse)
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
    assertEquals(DfElection.Algorithm.MODULO, elect(hrw, ExtendedCommunity.dfElection(1, 0x4000, 0))
        .designatedForwarderAlgorithm(AE0));
    // an ES route with two DF Election communities: modulo
    assertEquals(DfElection.Algorithm.MODULO, elect(hrw, hrwPlain, ExtendedCommunity.dfElection(1, 0, 1))
        .designatedForwarderAlgorithm(AE0));
  }
}
