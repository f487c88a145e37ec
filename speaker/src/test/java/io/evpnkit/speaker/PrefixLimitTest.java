package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A peer's route limit (FRR's {@code maximum-prefix}) counted by the RIB, against a real gobgpd
 * that announces more routes than allowed: a warning at the threshold, then either a warning only,
 * or the session closed with Cease "Maximum Number of Prefixes Reached" (RFC 4486 §4) carrying AFI,
 * SAFI and the limit, and started again after the restart time.
 */
class PrefixLimitTest {
  private static final String GOBGP = "127.0.0.101";
  private static final String US = "127.0.0.102";

  private static void announce(Gobgpd gobgpd, int hosts) throws Exception {
    for (int i = 1; i <= hosts; i++) {
      gobgpd.addMacIp(
          "00:00:5e:00:53:0" + i, "10.1.0." + i, 100, GOBGP + ":1", "65000:100", "192.0.2.101");
    }
  }

  @Test
  void pastTheMaximumTheSessionIsClosedWithRfc4486sCeaseAndStartedAgainLater(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true)) {
      announce(gobgpd, 3);
      try (TestLeaf leaf =
          new TestLeaf(
              US,
              new InetSocketAddress(GOBGP, gobgpd.port),
              65000,
              b -> b.prefixLimit(PrefixLimit.tearDown(2, Duration.ofSeconds(1))))) {
        RealPeers.await(
            "the session closed for the limit",
            () -> leaf.events.stream().anyMatch(e -> e.startsWith("down:")));
        String down =
            leaf.events.stream().filter(e -> e.startsWith("down:")).findFirst().orElseThrow();
        // Cease 6/1, data AFI 25, SAFI 70, the limit 2
        assertTrue(down.contains("NOTIFICATION 6/1 (Cease) data 00194600000002"), down);
        assertEquals(
            "6,1",
            Tshark.notification(
                dir, java.util.Objects.requireNonNull(leaf.downs.get(0).notification())),
            "Wireshark reads Cease, Maximum Number of Prefixes Reached");
        assertTrue(leaf.events.contains("prefix limit: 3 torn down"), leaf.events::toString);
        JsonNode n = gobgpd.json("neighbor", US);
        assertTrue(
            n.path("state").path("messages").path("received").path("notification").asInt() >= 1,
            () -> "gobgp received our NOTIFICATION: " + n);
        RealPeers.await("the routes gone with the session", () -> leaf.macs() == 0);
        // after the restart time: up again (and over the limit again)
        RealPeers.await(
            "the session started again",
            () -> leaf.events.stream().filter(e -> e.equals("established")).count() >= 2);
      }
    }
  }

  @Test
  void aWarningOnlyLimitKeepsTheSessionAndTheRoutes() throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true)) {
      announce(gobgpd, 3);
      try (TestLeaf leaf =
          new TestLeaf(
              US,
              new InetSocketAddress(GOBGP, gobgpd.port),
              65000,
              b -> b.prefixLimit(new PrefixLimit(2, 50, true, Duration.ZERO)))) {
        RealPeers.await("all three installed", () -> leaf.macs() == 3);
        RealPeers.await(
            "the warning past the maximum", () -> leaf.events.contains("prefix limit: 3 warning"));
        assertEquals(
            1,
            leaf.events.stream().filter(e -> e.equals("prefix limit: 1 warning")).count(),
            () -> "the threshold (50% of 2) once, the maximum once: " + leaf.events);
        assertEquals(SessionState.ESTABLISHED, leaf.peer.state());
        assertTrue(
            leaf.events.stream().noneMatch(e -> e.startsWith("down")), leaf.events::toString);
      }
    }
  }
}
