package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Route refresh both ways with FRR as route reflector between two evpnkit leaves, enhanced route
 * refresh (RFC 7313) negotiated: a leaf that asks FRR again gets the reflected route again and
 * keeps it (FRR 8.4 answers without BoRR and EoRR; those from a peer are checked in {@link
 * GracefulRestartRulesTest}'s hand-written peer); FRR asking a leaf again ({@code clear ... soft
 * in}) gets the leaf's routes framed the same way, and still holds them after its EoRR (FRR removes
 * at EoRR what was not sent again).
 */
class RouteRefreshTest {
  private static final String RR = "127.0.0.120";
  private static final String LEAF1 = "127.0.0.121";
  private static final String LEAF2 = "127.0.0.122";
  private static final MacAddress HOST = MacAddress.parse("00:00:5e:00:53:21");

  private static TestLeaf leaf(String address, String vtep, FrrBgpd frr) {
    // FRR sends End-of-RIB only to peers with graceful restart, and answers no refresh before it
    return new TestLeaf(
        address,
        65000,
        vtep,
        new InetSocketAddress(RR, frr.port),
        65000,
        b -> b.gracefulRestart(120));
  }

  @Test
  void refreshesFramedByBorrAndEorrKeepTheRoutesBothWays() throws Exception {
    try (FrrBgpd frr =
            new FrrBgpd(
                RR,
                "debug bgp updates\ndebug bgp neighbor-events\n"
                    + FrrBgpd.routeReflector(RR, LEAF1, LEAF2));
        TestLeaf one = leaf(LEAF1, "192.0.2.121", frr);
        TestLeaf two = leaf(LEAF2, "192.0.2.122", frr)) {
      RealPeers.await(
          "both up",
          () ->
              one.peer.state() == SessionState.ESTABLISHED
                  && two.peer.state() == SessionState.ESTABLISHED);
      one.onLoop(
          () -> {
            one.sessions.rib().macLearned(100, HOST, "xe-0/0/1.0", null);
            return null;
          });
      List<IpAddress> viaLeaf1 = List.of(IpAddress.parse("192.0.2.121"));
      RealPeers.await("leaf 2 to install the host", () -> two.vteps(HOST).equals(viaLeaf1));
      JsonNode n = frr.json("show bgp neighbors " + LEAF2 + " json").path(LEAF2);
      assertEquals(
          "advertisedAndReceived",
          n.path("neighborCapabilities").path("enhancedRouteRefresh").asText(),
          n::toString);

      // leaf 2 asks FRR again: the reflected route comes again
      long before = two.peer.updatesReceived();
      assertTrue(two.peer.requestRefresh());
      RealPeers.await("the route sent again", () -> two.peer.updatesReceived() > before);
      RealPeers.await("FRR's EoRR", () -> two.events.contains("refresh ends"));
      assertTrue(
          two.events.indexOf("refresh begins") < two.events.indexOf("refresh ends"),
          two.events::toString);
      assertEquals(viaLeaf1, two.vteps(HOST), "the route sent again stays");
      assertEquals(0, two.stale(), "nothing left stale after EoRR");

      // FRR asks leaf 1 again
      frr.command("clear bgp l2vpn evpn " + LEAF1 + " soft in");
      RealPeers.await("leaf 1 to be asked", () -> one.events.contains("refresh asked"));
      RealPeers.await(
          "FRR to have our BoRR and EoRR around the routes",
          () ->
              frr.json("show bgp neighbors " + LEAF1 + " json")
                      .path(LEAF1)
                      .path("messageStats")
                      .path("routeRefreshRecv")
                      .asInt()
                  >= 2);
      Thread.sleep(500);
      assertTrue(
          frr.json("show bgp l2vpn evpn json").toString().contains(HOST.toString()),
          "FRR still holds leaf 1's route after its refresh");
      assertEquals(viaLeaf1, two.vteps(HOST));
    }
  }
}
