package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.policy.VtepConfig;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A leaf's sessions from its Junos configuration: the overlay group's neighbors become peers with
 * the group's settings, the underlay's IPv4 group is left alone, and the session comes up with a
 * real gobgpd that expects exactly those settings (its MD5 key, our AS, graceful restart).
 */
class ConfiguredSessionsTest {
  private static final String GOBGP = "127.0.0.91";
  private static final String US = "127.0.0.92";

  private static String config(String extra) {
    return """
        routing-options { router-id 127.0.0.92; autonomous-system 65000; }
        protocols {
            bgp {
                group underlay {
                    type external;
                    family inet { unicast; }
                    peer-as 65100;
                    neighbor 10.1.1.1;
                }
                group overlay {
                    type internal;
                    local-address 127.0.0.92;
                    family evpn { signaling; }
                    hold-time 9;
                    graceful-restart;
                    authentication-key "fabric-s3cret";
                    %s
                    neighbor 127.0.0.91;
                }
            }
            evpn { encapsulation vxlan; }
        }
        """
        .formatted(extra);
  }

  @Test
  void theOverlayGroupsNeighborsAreThePeersWithTheGroupsSettings() {
    List<PeerConfig> peers = PeerConfig.fromConfiguration(VtepConfig.parse(config("")), 179);
    assertEquals(1, peers.size(), "the underlay group is not EVPN's: " + peers);
    PeerConfig p = peers.get(0);
    assertEquals(new InetSocketAddress(GOBGP, 179), p.remote());
    assertEquals(new InetSocketAddress(US, 0), p.local());
    assertEquals(65000, p.peerAs(), "type internal: our AS");
    assertEquals(9, p.holdTime());
    assertEquals(120, p.restartTime(), "graceful-restart: Junos's restart time");
    assertEquals("fabric-s3cret", p.authenticationKey());
    assertTrue(!p.passive());

    PeerConfig external =
        PeerConfig.fromConfiguration(
                VtepConfig.parse(
                    config("").replace("type internal;", "type external; peer-as 65200;")),
                179)
            .get(0);
    assertEquals(65200, external.peerAs());
    PeerConfig localAs =
        PeerConfig.fromConfiguration(VtepConfig.parse(config("local-as 65300; passive;")), 179)
            .get(0);
    assertEquals(65300, localAs.localAs());
    assertEquals(65300, localAs.peerAs(), "internal to the AS it speaks as");
    assertTrue(localAs.passive());

    assertTrue(!p.routeReflectorClient());
    assertTrue(
        PeerConfig.fromConfiguration(VtepConfig.parse(config("cluster 10.0.0.100;")), 179)
            .get(0)
            .routeReflectorClient(),
        "the neighbors of a group with cluster are our clients");
  }

  @Test
  void aSpeakerNeedsTheAsAndTheRouterId() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BgpSpeaker.builder(
                    VtepConfig.parse("routing-options { autonomous-system 65000; }")));
    assertTrue(String.valueOf(e.getMessage()).contains("router-id"), e.getMessage());
  }

  @Test
  void theConfiguredSessionComesUpWithAGobgpdThatExpectsItsSettings() throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65000, true, 30, "fabric-s3cret");
        BgpSpeaker speaker =
            BgpSpeaker.builder(VtepConfig.parse(config("")))
                .listener(
                    new SessionListener() {
                      @Override
                      public void update(PeerSession session, UpdateDecoder decoder) {}
                    })
                .build()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(speaker.isEpoll(), "TCP MD5 needs epoll");
      assertEquals(65000, speaker.as());
      assertEquals(IpAddress.parse(US), speaker.routerId());
      PeerSession p =
          speaker.addPeer(
              PeerConfig.fromConfiguration(VtepConfig.parse(config("")), gobgpd.port).get(0));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (p.state() != SessionState.ESTABLISHED || gobgpd.neighborState(US) != 6) {
        assertTrue(System.nanoTime() < deadline, () -> "not established: " + gobgpd.log());
        Thread.sleep(50);
      }
      BgpOpen theirs = java.util.Objects.requireNonNull(p.remoteOpen());
      assertTrue(Session.gracefulRestart(theirs) != null, "graceful restart both ways");
      assertTrue(p.receiveOptions().internalPeer(), "iBGP");
      assertEquals(9, p.holdTime());
    }
  }
}
