package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Graceful restart (RFC 4724) as the helper of a real gobgpd that is killed (its sockets close
 * without a NOTIFICATION, as when the process crashes or is upgraded): the routes it gave stay in
 * the RIB and in the forwarding table, marked stale, while it restarts; when it is back with the
 * Restart State bit, its End-of-RIB removes the route it did not announce again; when it does not
 * come back within its restart time, all its routes go.
 */
class GracefulRestartTest {
  private static final String GOBGP = "127.0.0.71";
  private static final String US = "127.0.0.72";
  private static final String VTEP = "192.0.2.71";
  private static final String VTEP_US = "192.0.2.72";
  private static final MacAddress STAYS = MacAddress.parse("00:00:5e:00:53:01");
  private static final MacAddress GOES = MacAddress.parse("00:00:5e:00:53:02");

  private static TestLeaf leaf(Gobgpd gobgpd) {
    return new TestLeaf(
        US, new InetSocketAddress(GOBGP, gobgpd.port), 65000, b -> b.gracefulRestart(120));
  }

  private static void announce(Gobgpd gobgpd, MacAddress mac) throws Exception {
    gobgpd.addMacIp(mac.toString(), "10.1.0.1", 100, GOBGP + ":1", "65000:100", VTEP);
  }

  @Test
  void aRestartedPeersRoutesStayStaleAndItsEndOfRibRemovesWhatItDidNotAnnounceAgain()
      throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, 30);
        TestLeaf leaf = leaf(gobgpd)) {
      announce(gobgpd, STAYS);
      announce(gobgpd, GOES);
      List<IpAddress> remote = List.of(IpAddress.parse(VTEP));
      RealPeers.await("both MACs installed", () -> leaf.vteps(GOES).equals(remote));
      assertEquals(remote, leaf.vteps(STAYS));
      BgpOpen theirs = leaf.peer.remoteOpen();
      assertNotNull(theirs);
      assertNotNull(Session.gracefulRestart(theirs), "gobgp advertised graceful restart");

      gobgpd.crash();
      RealPeers.await("the routes to be kept stale", () -> leaf.stale() == 2);
      RealPeers.await("the session down", () -> leaf.peer.state() != SessionState.ESTABLISHED);
      assertEquals(remote, leaf.vteps(STAYS), "forwarding goes on while gobgpd restarts");
      assertEquals(remote, leaf.vteps(GOES));

      gobgpd.startAgain(true);
      announce(gobgpd, STAYS);
      RealPeers.await("the session back", () -> leaf.peer.state() == SessionState.ESTABLISHED);
      Capability.GracefulRestart restarted =
          Session.gracefulRestart(java.util.Objects.requireNonNull(leaf.peer.remoteOpen()));
      assertNotNull(restarted);
      assertTrue((restarted.flags() & 0x8) != 0, "gobgp -r sets the Restart State bit");
      assertTrue(
          restarted.families().stream().anyMatch(f -> f.afi() == 25 && f.forwardingPreserved()),
          () -> "gobgp -r keeps L2VPN/EVPN forwarding state: " + restarted);
      RealPeers.await("the route not announced again to go", () -> leaf.vteps(GOES).isEmpty());
      RealPeers.await("no stale routes left", () -> leaf.stale() == 0);
      assertEquals(remote, leaf.vteps(STAYS), "the route announced again stays");
    }
  }

  @Test
  void aPeerThatDoesNotComeBackWithinItsRestartTimeLosesItsRoutes() throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, 2);
        TestLeaf leaf = leaf(gobgpd)) {
      announce(gobgpd, STAYS);
      RealPeers.await("the MAC installed", () -> !leaf.vteps(STAYS).isEmpty());
      gobgpd.crash();
      RealPeers.await("the route kept stale", () -> leaf.stale() == 1);
      assertEquals(List.of(IpAddress.parse(VTEP)), leaf.vteps(STAYS));
      // gobgp's restart time is 2 s
      RealPeers.await("the restart time to run out", () -> leaf.vteps(STAYS).isEmpty());
      assertEquals(0, leaf.stale());
    }
  }

  @Test
  void withoutGracefulRestartAPeersRoutesGoWithItsSession() throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true);
        TestLeaf leaf = leaf(gobgpd)) {
      announce(gobgpd, STAYS);
      RealPeers.await("the MAC installed", () -> !leaf.vteps(STAYS).isEmpty());
      assertEquals(
          null, Session.gracefulRestart(java.util.Objects.requireNonNull(leaf.peer.remoteOpen())));
      gobgpd.crash();
      RealPeers.await("the route to go at once", () -> leaf.vteps(STAYS).isEmpty());
      assertEquals(0, leaf.stale());
    }
  }

  /** gobgp's path for the MAC as its JSON shows it, or null. */
  private static com.fasterxml.jackson.databind.@org.jspecify.annotations.Nullable JsonNode
      gobgpPath(Gobgpd gobgpd, MacAddress mac) throws Exception {
    for (var e : gobgpd.json("global", "rib", "-a", "evpn").properties()) {
      if (e.getKey().contains(mac.toString())) {
        return e.getValue().path(0);
      }
    }
    return null;
  }

  @Test
  void whenEvpnkitRestartsGobgpKeepsItsRoutesStaleUntilTheEndOfRib() throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, 30)) {
      InetSocketAddress at = new InetSocketAddress(GOBGP, gobgpd.port);
      TestLeaf before = new TestLeaf(US, 65001, VTEP_US, at, 65000, b -> b.gracefulRestart(120));
      try {
        before.learn(STAYS);
        RealPeers.await("gobgp to hold our route", () -> gobgpPath(gobgpd, STAYS) != null);
      } finally {
        before.speaker.closeForRestart(); // as a process that restarts: no NOTIFICATION
      }
      RealPeers.await(
          "gobgp to keep our route, stale",
          () -> {
            var p = gobgpPath(gobgpd, STAYS);
            return p != null && p.path("stale").asBoolean();
          });
      try (TestLeaf after =
          new TestLeaf(
              US,
              65001,
              VTEP_US,
              at,
              65000,
              b -> b.gracefulRestart(120),
              b -> b.gracefulRestart(true, true),
              java.time.Duration.ofSeconds(30))) {
        after.learn(STAYS); // before the session is up: held back by the selection deferral
        RealPeers.await("our End-of-RIB", () -> after.peer.state() == SessionState.ESTABLISHED);
        RealPeers.await(
            "gobgp to hold our route, no longer stale",
            () -> {
              var p = gobgpPath(gobgpd, STAYS);
              return p != null && !p.path("stale").asBoolean();
            });
        assertEquals(
            0,
            after.sentAtEndOfRib.get(),
            "RFC 4724 §4.1: nothing sent before the peer's End-of-RIB ended the deferral");
        assertTrue(!after.onLoop(after.sessions::deferring));
      }
    }
  }
}
