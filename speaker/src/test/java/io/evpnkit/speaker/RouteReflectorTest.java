package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateEncoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * evpnkit as the fabric's route reflector (RFC 4456) between real leaves, its clients (two gobgpd,
 * or gobgpd and FRR): a MAC route of one reaches the other with ORIGINATOR_ID and CLUSTER_LIST set
 * and the VTEP next hop unchanged, is not sent back to where it came from, and goes when withdrawn
 * or when its leaf's session does; as gobgp's own JSON shows.
 */
class RouteReflectorTest {
  private static final String US = "127.0.0.130";
  private static final String A = "127.0.0.131";
  private static final String B = "127.0.0.132";
  private static final String CLUSTER = "10.0.0.130";
  private static final String MAC = "00:00:5e:00:53:31";

  private static PeerSession client(BgpSpeaker speaker, Gobgpd leaf) {
    return speaker.addPeer(
        PeerConfig.builder(new InetSocketAddress(leaf.address, leaf.port), 65000)
            .local(new InetSocketAddress(US, 0))
            .holdTime(9)
            .connectRetry(Duration.ofSeconds(1))
            .routeReflectorClient(true)
            .build());
  }

  /** The path gobgp holds for the MAC, or null. */
  private static @org.jspecify.annotations.Nullable JsonNode path(Gobgpd leaf) throws Exception {
    for (var e : leaf.json("global", "rib", "-a", "evpn").properties()) {
      if (e.getKey().contains(MAC)) {
        return e.getValue().path(0);
      }
    }
    return null;
  }

  @Test
  void aClientsRouteIsReflectedToTheOtherClientWithOriginatorAndClusterList() throws Exception {
    RouteReflector rr = new RouteReflector(IpAddress.parse(CLUSTER), IpAddress.parse(US));
    try (Gobgpd a = new Gobgpd(A, 65000, US, 65000, true);
        Gobgpd b = new Gobgpd(B, 65000, US, 65000, true);
        BgpSpeaker speaker = BgpSpeaker.builder(65000, IpAddress.parse(US)).listener(rr).build()) {
      PeerSession toA = client(speaker, a);
      client(speaker, b);
      RealPeers.await(
          "both leaves up",
          () ->
              a.neighborState(US) == Gobgpd.ESTABLISHED
                  && b.neighborState(US) == Gobgpd.ESTABLISHED);
      a.addMacIp(MAC, "10.1.0.31", 100, A + ":1", "65000:100", "192.0.2.131");

      RealPeers.await("leaf B to hold A's route", () -> path(b) != null);
      JsonNode reflected = java.util.Objects.requireNonNull(path(b));
      String attrs = reflected.path("attrs").toString();
      assertTrue(attrs.contains("{\"type\":9,\"value\":\"" + A + "\"}"), "ORIGINATOR_ID: " + attrs);
      assertTrue(
          attrs.contains("{\"type\":10,\"value\":[\"" + CLUSTER + "\"]}"),
          "CLUSTER_LIST: " + attrs);
      assertTrue(attrs.contains("\"nexthop\":\"192.0.2.131\""), "the VTEP next hop: " + attrs);
      assertEquals(1, speaker.eventLoop().submit(rr::routes).get());
      JsonNode backToA = a.json("neighbor", US, "adj-in", "-a", "evpn");
      assertFalse(backToA.toString().contains(MAC), "not sent back to A: " + backToA);

      // withdrawn at A: gone at B
      a.delMacIp(MAC, "10.1.0.31", 100, A + ":1");
      RealPeers.await("B to lose the route", () -> path(b) == null);

      // announced again, then A's session goes: gone at B
      a.addMacIp(MAC, "10.1.0.31", 100, A + ":1", "65000:100", "192.0.2.131");
      RealPeers.await("B to hold it again", () -> path(b) != null);
      toA.stop("leaf A leaves the fabric");
      RealPeers.await("B to lose it with A's session", () -> path(b) == null);
      assertEquals(0, speaker.eventLoop().submit(rr::routes).get());
    }
  }

  @Test
  void betweenGobgpdAndFrrTheReflectedRouteCarriesOriginatorAndClusterListInFrrsJson()
      throws Exception {
    RouteReflector rr = new RouteReflector(IpAddress.parse(CLUSTER), IpAddress.parse(US));
    String frrConfig =
        """
        router bgp 65000
         bgp router-id %1$s
         no bgp default ipv4-unicast
         neighbor %2$s remote-as 65000
         neighbor %2$s passive
         neighbor %2$s timers 3 9
         address-family l2vpn evpn
          neighbor %2$s activate
         exit-address-family
        """
            .formatted(B, US);
    try (Gobgpd a = new Gobgpd(A, 65000, US, 65000, true);
        FrrBgpd frr = new FrrBgpd(B, frrConfig);
        BgpSpeaker speaker = BgpSpeaker.builder(65000, IpAddress.parse(US)).listener(rr).build()) {
      client(speaker, a);
      speaker.addPeer(
          PeerConfig.builder(new InetSocketAddress(B, frr.port), 65000)
              .local(new InetSocketAddress(US, 0))
              .holdTime(9)
              .connectRetry(Duration.ofSeconds(1))
              .routeReflectorClient(true)
              .build());
      RealPeers.await("FRR up", () -> frr.neighborState(US).equals("Established"));
      a.addMacIp(MAC, "10.1.0.31", 100, A + ":1", "65000:100", "192.0.2.131");
      RealPeers.await(
          "FRR to hold A's route",
          () -> frr.json("show bgp l2vpn evpn json").toString().contains(MAC));
      String table = frr.json("show bgp l2vpn evpn route detail json").toString();
      assertTrue(table.contains("\"originatorId\":\"" + A + "\""), table);
      assertTrue(table.contains(CLUSTER), "CLUSTER_LIST: " + table);
      assertTrue(table.contains("192.0.2.131"), "the VTEP next hop: " + table);
      a.delMacIp(MAC, "10.1.0.31", 100, A + ":1");
      RealPeers.await(
          "FRR to lose it", () -> !frr.json("show bgp l2vpn evpn json").toString().contains(MAC));
    }
  }

  @Test
  void rfc4456_8_aRouteThatCarriesOurClusterIdOrRouterIdHasLoopedAndIsDropped() throws Exception {
    RouteReflector rr = new RouteReflector(IpAddress.parse(CLUSTER), IpAddress.parse(US));
    try (BgpSpeaker speaker =
        BgpSpeaker.builder(65000, IpAddress.parse(US))
            .listener(rr)
            .listen(new InetSocketAddress(US, 0))
            .build()) {
      speaker.addPeer(
          PeerConfig.builder(new InetSocketAddress(A, 179), 65000)
              .passive(true)
              .holdTime(9)
              .routeReflectorClient(true)
              .build());
      try (RawPeer raw = new RawPeer(A, speaker.listenAddresses().get(0))) {
        raw.open(65000, 9);
        raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
        RealPeers.await("up", () -> speaker.peers().get(0).state() == SessionState.ESTABLISHED);
        PathAttributes base =
            PathAttributes.builder()
                .origin(0)
                .localPref(100)
                .nextHop(IpAddress.parse("192.0.2.131"))
                .build();
        UpdateEncoder encoder = new UpdateEncoder(SessionOptions.IBGP);
        String[] macs = {"00:00:5e:00:53:41", "00:00:5e:00:53:42", "00:00:5e:00:53:43"};
        PathAttributes[] attributes = {
          base.toBuilder()
              .addClusterId(0x0a000001)
              .addClusterId(IpAddress.parse(CLUSTER).ipv4())
              .build(),
          base.toBuilder().originatorId(Integer.toUnsignedLong(IpAddress.parse(US).ipv4())).build(),
          base
        };
        for (int i = 0; i < macs.length; i++) {
          EvpnRoute route = EvpnRoutes.parseJunos("2:" + A + ":1::100::" + macs[i] + "/304");
          PathAttributes a = attributes[i];
          raw.send(RawPeer.bytes(b -> encoder.announce(a, List.of(route), b)));
        }
        RealPeers.await(
            "the third route held", () -> speaker.eventLoop().submit(rr::routes).get() == 1);
        assertEquals(2, speaker.eventLoop().submit(rr::loopsDropped).get(), "two loops dropped");
      }
    }
  }
}
