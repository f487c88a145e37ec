package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of graceful restart as a helper (RFC 4724 §4.2, RFC 8538), each against a peer written
 * by hand: which endings of a session keep the peer's routes, what its next OPEN decides, and the
 * timers that end a restart.
 */
class GracefulRestartRulesTest {
  private static final String SPEAKER = "127.0.0.75";
  private static final String PEER = "127.0.0.76";
  private static final long PEER_AS = 65076;
  private static final int N = 0x4;

  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private @Nullable BgpSpeaker speaker;
  private @Nullable PeerSession peer;

  /** The speaker, graceful restart on, waiting for the peer; its listener's calls as events. */
  private InetSocketAddress start(Duration staleRoutesTime) {
    BgpSpeaker s =
        BgpSpeaker.builder(65075, IpAddress.parse(SPEAKER))
            .listen(new InetSocketAddress(SPEAKER, 0))
            .listener(
                new SessionListener() {
                  @Override
                  public void update(PeerSession session, UpdateDecoder decoder) {}

                  @Override
                  public void established(PeerSession session) {
                    events.add("established");
                  }

                  @Override
                  public void endOfRib(PeerSession session) {
                    events.add("end-of-rib");
                  }

                  @Override
                  public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
                    if (wasEstablished) {
                      events.add("down");
                    }
                  }

                  @Override
                  public void restarting(PeerSession session, SessionDown why) {
                    events.add("restarting");
                  }

                  @Override
                  public void staleRoutesEnd(PeerSession session, String reason) {
                    events.add("stale routes end: " + reason);
                  }
                })
            .build();
    speaker = s;
    peer =
        s.addPeer(
            PeerConfig.builder(new InetSocketAddress(PEER, 179), PEER_AS)
                .passive(true)
                .holdTime(9)
                .gracefulRestart(120)
                .staleRoutesTime(staleRoutesTime)
                .build());
    return s.listenAddresses().get(0);
  }

  @AfterEach
  void stop() {
    BgpSpeaker s = speaker;
    if (s != null) {
      s.close();
    }
  }

  /** An OPEN with graceful restart: {@code flags}, restart time 60 s, L2VPN/EVPN with F. */
  private static BgpOpen open(int flags, boolean forwardingPreserved) {
    return new BgpOpen(
        PEER_AS,
        9,
        IpAddress.parse(PEER).ipv4(),
        List.of(
            Capability.Multiprotocol.L2VPN_EVPN,
            new Capability.FourOctetAs(PEER_AS),
            new Capability.GracefulRestart(
                flags,
                60,
                List.of(
                    new Capability.GracefulRestartFamily(
                        BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN, forwardingPreserved)))));
  }

  /** Brings a session up from a new connection; returns it. */
  private RawPeer session(InetSocketAddress to, BgpOpen open) throws Exception {
    RawPeer raw = new RawPeer(PEER, to);
    BgpOpen ours = raw.open(open);
    assertTrue(
        Session.gracefulRestart(ours) != null, "the speaker advertises graceful restart: " + ours);
    raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
    expect("established");
    return raw;
  }

  private void expect(String event) throws InterruptedException {
    String got = events.poll(10, TimeUnit.SECONDS);
    assertEquals(event, got, () -> "then: " + events);
  }

  private static byte[] notification(int code, int subcode) {
    return RawPeer.bytes(new BgpNotification(code, subcode, new byte[0])::write);
  }

  /** The End-of-RIB of L2VPN/EVPN: an UPDATE with an empty MP_UNREACH_NLRI (RFC 4724 §2). */
  private static final byte[] END_OF_RIB =
      RawPeer.bytes(
          b -> {
            BgpMessages.writeHeader(b, 29, 2);
            b.writeShort(0).writeShort(6);
            b.writeByte(0x80).writeByte(15).writeByte(3).writeShort(25).writeByte(70);
          });

  @Test
  void rfc4724_4_2_aSessionLostWithoutANotificationKeepsTheRoutesUntilTheEndOfRib()
      throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, open(0, true))) {
      first.socket.setSoLinger(true, 0); // a reset, as a crash leaves it
    }
    expect("restarting");
    try (RawPeer second = session(to, open(0x8, true))) {
      second.send(END_OF_RIB);
      expect("end-of-rib");
      assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "nothing else: " + events);
    }
  }

  @Test
  void rfc8538_withTheNBitOnBothSidesANotificationIsAGracefulRestartButAHardResetIsNot()
      throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, open(N, true))) {
      first.send(notification(BgpNotification.HOLD_TIMER_EXPIRED, 0));
      expect("restarting");
    }
    try (RawPeer second = session(to, open(N | 0x8, true))) {
      second.send(notification(BgpNotification.CEASE, 9)); // Hard Reset (RFC 8538 §3)
      expect("down");
    }
  }

  @Test
  void rfc4724_4_2_withoutTheNBitANotificationEndsTheSessionForGood() throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, open(0, true))) {
      first.send(notification(BgpNotification.CEASE, 4)); // Administrative Reset
      expect("down");
    }
  }

  @Test
  void ourOwnStopEndsTheSessionForGood() throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, open(N, true))) {
      java.util.Objects.requireNonNull(peer).stop("maintenance");
      assertEquals(BgpNotification.CEASE, RawPeer.notification(first.read()).code());
      expect("down");
    }
  }

  @Test
  void rfc4724_4_2_aRestartedPeerThatKeptNoForwardingStateLosesItsStaleRoutesAtOnce()
      throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    session(to, open(0, true)).close();
    expect("restarting");
    try (RawPeer second = new RawPeer(PEER, to)) {
      second.open(open(0x8, false));
      second.send(RawPeer.bytes(BgpMessages::writeKeepalive));
      expect("stale routes end: the restarted peer did not preserve L2VPN/EVPN forwarding state");
      expect("established");
    }
  }

  @Test
  void rfc4724_4_2_staleRoutesGoWhenTheEndOfRibIsLaterThanTheStaleRoutesTime() throws Exception {
    InetSocketAddress to = start(Duration.ofMillis(500));
    session(to, open(0, true)).close();
    expect("restarting");
    try (RawPeer second = session(to, open(0x8, true))) {
      expect("stale routes end: no End-of-RIB within the stale routes time of PT0.5S");
      second.send(END_OF_RIB);
      expect("end-of-rib");
    }
  }

  @Test
  void rfc4724_4_2_aNewConnectionWhileEstablishedIsThePeerBackFromARestart() throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, open(0, true));
        RawPeer second = new RawPeer(PEER, to)) {
      assertTrue(first.closedByPeer(), "the old connection is closed");
      expect("restarting");
      second.open(open(0x8, true));
      second.send(RawPeer.bytes(BgpMessages::writeKeepalive));
      expect("established");
    }
  }

  @Test
  void withoutGracefulRestartANewConnectionWhileEstablishedIsACollisionRefused() throws Exception {
    InetSocketAddress to = start(Duration.ofMinutes(1));
    try (RawPeer first = session(to, BgpOpen.evpn(PEER_AS, 9, IpAddress.parse(PEER).ipv4()));
        RawPeer second = new RawPeer(PEER, to)) {
      BgpNotification n = RawPeer.notification(second.read());
      assertEquals(BgpNotification.CEASE, n.code());
      assertEquals(7, n.subcode(), "Connection Collision Resolution");
      assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "the session stays: " + events);
      assertEquals(SessionState.ESTABLISHED, java.util.Objects.requireNonNull(peer).state());
      first.send(RawPeer.bytes(BgpMessages::writeKeepalive)); // and still carries messages
      assertEquals(SessionState.ESTABLISHED, peer.state());
    }
  }
}
