package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 4271 §6.5 against a real peer that stops: gobgpd frozen with SIGSTOP (its socket stays open,
 * nothing comes from it) is told "Hold Timer Expired" once the negotiated hold time has passed, as
 * Wireshark reads our NOTIFICATION; thawed, it comes back.
 */
class HoldTimerTest {
  private static final String GOBGP = "127.0.0.190";
  private static final String US = "127.0.0.191";

  private static void signal(long pid, String signal) throws Exception {
    Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
    assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "kill -" + signal);
  }

  @Test
  void rfc4271_6_5_aFrozenPeerIsToldItsHoldTimerExpired(@TempDir Path dir) throws Exception {
    CompletableFuture<SessionDown> down = new CompletableFuture<>();
    SessionListener listener =
        new SessionListener() {
          @Override
          public void update(PeerSession session, UpdateDecoder decoder) {}

          @Override
          public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
            if (wasEstablished) {
              down.complete(why);
            }
          }
        };
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true);
        BgpSpeaker speaker =
            BgpSpeaker.builder(65001, IpAddress.parse(US)).listener(listener).build()) {
      PeerSession peer =
          speaker.addPeer(
              PeerConfig.builder(new InetSocketAddress(GOBGP, gobgpd.port), 65000)
                  .local(new InetSocketAddress(US, 0))
                  .holdTime(3) // the smaller offer wins: 3 s
                  .connectRetry(Duration.ofSeconds(1))
                  .build());
      RealPeers.await("established", () -> peer.state() == SessionState.ESTABLISHED);
      assertEquals(3, peer.holdTime());
      signal(gobgpd.pid(), "STOP");
      long frozen = System.nanoTime();
      SessionDown why;
      try {
        why = down.get(20, TimeUnit.SECONDS);
      } finally {
        signal(gobgpd.pid(), "CONT");
      }
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - frozen);
      assertTrue(waited >= 2000 && waited < 8000, "about the hold time of 3 s: " + waited + " ms");
      BgpNotification n = why.notification();
      assertNotNull(n, why::toString);
      assertTrue(why.sentByUs());
      assertEquals("4,0", Tshark.notification(dir, n), "Hold Timer Expired");
      RealPeers.await("back after the thaw", () -> peer.state() == SessionState.ESTABLISHED);
    }
  }
}
