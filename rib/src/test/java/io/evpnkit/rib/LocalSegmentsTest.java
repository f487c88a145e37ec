package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.VtepConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The local Ethernet segments alone: what each DF is elected for, the election timer, and which PEs
 * take part.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class LocalSegmentsTest {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");

  static String config(String serviceType) {
    return """
        interfaces {
            ae0 {
                esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; }
                unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v30 v20 ]; } } }
            }
        }
        routing-instances {
            MACVRF {
                instance-type mac-vrf;
                protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
                %s
                interface ae0.0;
                route-distinguisher 10.0.0.1:100;
                vrf-target target:65000:100;
                vlans {
                    v20 { vlan-id 20; vxlan { vni 5020; } }
                    v30 { vlan-id 30; vxlan { vni 5030; } }
                }
            }
        }
        """
        .formatted(serviceType);
  }

  static LocalSegments segments(String config, List<String> events) {
    VtepConfig c = VtepConfig.parse(config);
    RibListener listener =
        new RibListener() {
          @Override
          public void designatedForwarder(
              EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
            events.add(vlanId + " " + df);
          }
        };
    return new LocalSegments(
        c,
        new Instances(c, 65000),
        LOCAL,
        listener,
        3_000,
        1_000,
        seg -> {},
        (vni, esi, pe) -> true);
  }

  @Test
  void rfc8365_5_1_2_withVxlanTheDfIsElectedPerVniAsEthernetTag() {
    LocalSegments.LocalSegment seg = segments(config(""), new ArrayList<>()).get(ESI);
    assertEquals(5020L, seg.tags.get(20));
    assertEquals(5030L, seg.tags.get(30));
  }

  @Test
  void rfc7432_8_5_aVlanBundleHasOneElectionWithTheLowestVlan() {
    LocalSegments.LocalSegment seg =
        segments(config("service-type vlan-bundle;"), new ArrayList<>()).get(ESI);
    assertEquals(20L, seg.tags.get(20));
    assertEquals(20L, seg.tags.get(30));
  }

  @Test
  void rfc7432_8_5_theElectionWaitsForItsTimerAndCountsTheOtherPesEsRoutes() {
    List<String> events = new ArrayList<>();
    LocalSegments segments = segments(config(""), events);
    assertEquals(4_000, segments.nextTimer());
    segments.esRoute(ESI, B, 0, true);
    segments.tick(3_999);
    assertEquals(List.of(), events, "not before the timer");
    segments.tick(4_000);
    assertEquals(Long.MAX_VALUE, segments.nextTimer());
    // modulo over [10.0.0.1, 10.0.0.2]: tag 5020 mod 2 = 0 -> the first, 5030 mod 2 = 0 -> the
    // first
    assertEquals(
        List.of("30 10.0.0.1", "20 10.0.0.1"), events, "in the order the VLANs are configured");
    segments.esRoute(ESI, B, 0, false); // B left: still this PE, no new event
    assertEquals(2, events.size());
  }

  @Test
  void aPortsSegmentIsThatOfItsInterface() {
    LocalSegments segments = segments(config(""), new ArrayList<>());
    assertEquals(ESI, segments.esiOf("ae0.0"));
    assertEquals(ESI, segments.esiOf("ae0"));
    assertEquals(EthernetSegmentIdentifier.ZERO, segments.esiOf("xe-0/0/0.0"));
    assertNull(segments.liveLink(ESI), "down until its routes are originated");
  }
}
