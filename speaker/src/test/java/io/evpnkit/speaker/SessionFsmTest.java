package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/**
 * The RFC 4271 §8 state machine driven event by event, what it does recorded: every state, the
 * timers and their values, the NOTIFICATIONs of each error, and the backoff of automatic restarts.
 */
class SessionFsmTest {
  private static final int US = 0x0A000001; // 10.0.0.1
  private static final int PEER = 0x0A000002;

  /** Records what the machine does. */
  static final class Recorder implements SessionFsm.Effects {
    final List<String> log = new ArrayList<>();
    final Map<SessionFsm.Timer, Long> timers = new EnumMap<>(SessionFsm.Timer.class);
    final List<BgpNotification> sent = new ArrayList<>();
    int connects;
    boolean established;
    SessionDown lastDown = new SessionDown("none", null, false);

    @Override
    public void connect() {
      connects++;
      log.add("connect");
    }

    @Override
    public void disconnect() {
      log.add("disconnect");
    }

    @Override
    public void sendOpen(BgpOpen open) {
      log.add("OPEN");
    }

    @Override
    public void sendKeepalive() {
      log.add("KEEPALIVE");
    }

    @Override
    public void sendNotification(BgpNotification n) {
      sent.add(n);
      log.add("NOTIFICATION " + n.code() + "/" + n.subcode());
    }

    @Override
    public void schedule(SessionFsm.Timer timer, long millis) {
      timers.put(timer, millis);
    }

    @Override
    public void cancel(SessionFsm.Timer timer) {
      timers.remove(timer);
    }

    @Override
    public void established(BgpOpen local, BgpOpen remote) {
      established = true;
    }

    @Override
    public void down(SessionDown why, boolean wasEstablished) {
      lastDown = why;
      established = false;
    }
  }

  /**
   * Jitter of exactly 1.0 (the top of RFC 4271 §10's 0.75..1.0), so timer values can be checked.
   */
  private static final RandomGenerator NO_JITTER =
      new RandomGenerator() {
        @Override
        public long nextLong() {
          return 0;
        }

        @Override
        public double nextDouble() {
          return 1.0;
        }
      };

  private static SessionFsm fsm(Recorder r, boolean passive, int holdTime) {
    return new SessionFsm(
        new BgpOpen(65001, holdTime, US, List.of(Capability.Multiprotocol.L2VPN_EVPN)),
        65002,
        30_000,
        passive,
        r,
        NO_JITTER);
  }

  private static BgpOpen peerOpen(long as, int holdTime, int id) {
    return new BgpOpen(as, holdTime, id, List.of(Capability.Multiprotocol.L2VPN_EVPN));
  }

  private static SessionFsm established(Recorder r, int ourHold, int theirHold) {
    SessionFsm f = fsm(r, false, ourHold);
    f.start();
    f.tcpConnected();
    f.openReceived(peerOpen(65002, theirHold, PEER));
    f.keepaliveReceived();
    assertEquals(SessionState.ESTABLISHED, f.state());
    return f;
  }

  @Test
  void rfc4271_8_2_2_anActivePeerConnectsSendsOpenAndIsEstablishedByTheFirstKeepalive() {
    Recorder r = new Recorder();
    SessionFsm f = fsm(r, false, 90);
    f.start();
    assertEquals(SessionState.CONNECT, f.state());
    assertEquals(30_000L, r.timers.get(SessionFsm.Timer.CONNECT_RETRY));
    f.tcpConnected();
    assertEquals(SessionState.OPEN_SENT, f.state());
    assertFalse(r.timers.containsKey(SessionFsm.Timer.CONNECT_RETRY));
    assertEquals(240_000L, r.timers.get(SessionFsm.Timer.HOLD), "a large hold time for the OPEN");
    f.openReceived(peerOpen(65002, 30, PEER));
    assertEquals(SessionState.OPEN_CONFIRM, f.state());
    assertEquals(30, f.holdTime(), "the smaller of the two hold times");
    assertEquals(30_000L, r.timers.get(SessionFsm.Timer.HOLD));
    assertEquals(10_000L, r.timers.get(SessionFsm.Timer.KEEPALIVE), "a third of the hold time");
    f.keepaliveReceived();
    assertEquals(SessionState.ESTABLISHED, f.state());
    assertTrue(r.established);
    assertEquals(List.of("connect", "OPEN", "KEEPALIVE"), r.log);
  }

  @Test
  void rfc4271_4_2_holdTimeZeroMeansNoKeepalivesAndNoHoldTimer() {
    Recorder r = new Recorder();
    SessionFsm f = established(r, 0, 90);
    assertEquals(0, f.holdTime());
    assertFalse(r.timers.containsKey(SessionFsm.Timer.HOLD));
    assertFalse(r.timers.containsKey(SessionFsm.Timer.KEEPALIVE));
  }

  @Test
  void rfc4271_6_5_holdTimerExpirySendsItsNotificationAndRestartsWithBackoff() {
    Recorder r = new Recorder();
    SessionFsm f = established(r, 90, 90);
    f.timerExpired(SessionFsm.Timer.KEEPALIVE);
    assertEquals("KEEPALIVE", r.log.get(r.log.size() - 1));
    f.timerExpired(SessionFsm.Timer.HOLD);
    assertEquals(SessionState.IDLE, f.state());
    assertEquals(BgpNotification.HOLD_TIMER_EXPIRED, r.sent.get(r.sent.size() - 1).code());
    assertEquals("hold timer expired", r.lastDown.reason());
    // the automatic restart waits 1 s, then 2 s, 4 s ... up to the connect retry time
    List<Long> waits = new ArrayList<>();
    waits.add(r.timers.get(SessionFsm.Timer.IDLE_HOLD));
    for (int i = 0; i < 6; i++) {
      f.timerExpired(SessionFsm.Timer.IDLE_HOLD);
      assertEquals(SessionState.CONNECT, f.state());
      f.tcpConnected();
      f.timerExpired(SessionFsm.Timer.HOLD); // the peer never answers
      waits.add(r.timers.get(SessionFsm.Timer.IDLE_HOLD));
    }
    assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L), waits);
    // an established session resets the count
    f.timerExpired(SessionFsm.Timer.IDLE_HOLD);
    f.tcpConnected();
    f.openReceived(peerOpen(65002, 90, PEER));
    f.keepaliveReceived();
    assertEquals(0, f.failures());
  }

  @Test
  void rfc4271_6_2_anOpenFromTheWrongAsIsBadPeerAsWithTheAsAsData() {
    Recorder r = new Recorder();
    SessionFsm f = fsm(r, false, 90);
    f.start();
    f.tcpConnected();
    f.openReceived(peerOpen(65099, 90, PEER));
    assertEquals(SessionState.IDLE, f.state());
    BgpNotification n = r.sent.get(0);
    assertEquals(BgpNotification.OPEN_MESSAGE_ERROR, n.code());
    assertEquals(BgpNotification.BAD_PEER_AS, n.subcode());
    assertArrayEquals(new byte[] {(byte) (65099 >>> 8), (byte) 65099}, n.data());
  }

  @Test
  void rfc5492_5_aPeerWithoutL2vpnEvpnIsRefusedWithUnsupportedCapability() {
    Recorder r = new Recorder();
    SessionFsm f = fsm(r, false, 90);
    f.start();
    f.tcpConnected();
    f.openReceived(new BgpOpen(65002, 90, PEER, List.of(new Capability.RouteRefresh())));
    BgpNotification n = r.sent.get(0);
    assertEquals(BgpNotification.OPEN_MESSAGE_ERROR, n.code());
    assertEquals(BgpNotification.UNSUPPORTED_CAPABILITY, n.subcode());
    assertArrayEquals(new byte[] {1, 4, 0, 25, 0, 70}, n.data());
  }

  @Test
  void rfc6608_anUpdateBeforeTheSessionIsEstablishedIsAnFsmErrorNamingTheState() {
    Recorder r = new Recorder();
    SessionFsm f = fsm(r, false, 90);
    f.start();
    f.tcpConnected();
    f.openReceived(peerOpen(65002, 90, PEER));
    assertFalse(f.updateReceived("UPDATE"));
    BgpNotification n = r.sent.get(0);
    assertEquals(BgpNotification.FSM_ERROR, n.code());
    assertEquals(2, n.subcode(), "received an unexpected message in OpenConfirm");
  }

  @Test
  void rfc9003_aStopCarriesTheOperatorsShutdownMessageCutAtACharacterBoundary() {
    Recorder r = new Recorder();
    SessionFsm f = established(r, 90, 90);
    f.stop("maintenance: replacing the leaf");
    BgpNotification n = r.sent.get(0);
    assertEquals(BgpNotification.CEASE, n.code());
    assertEquals(BgpNotification.CEASE_ADMINISTRATIVE_SHUTDOWN, n.subcode());
    assertEquals("maintenance: replacing the leaf", n.shutdownMessage());
    byte[] text = "maintenance: replacing the leaf".getBytes(StandardCharsets.UTF_8);
    assertEquals(text.length, n.data()[0]);
    assertEquals(SessionState.IDLE, f.state());
    assertFalse(r.timers.containsKey(SessionFsm.Timer.IDLE_HOLD), "a stopped peer stays down");
    // 200 two-octet characters: 255 octets would cut the 128th in two
    BgpNotification cut =
        BgpNotification.administrative(
            BgpNotification.CEASE_ADMINISTRATIVE_SHUTDOWN, "é".repeat(200));
    byte[] data = cut.data();
    assertEquals("é".repeat(127), cut.shutdownMessage());
    assertEquals(254, data[0] & 0xFF);
    assertEquals(255, data.length);
  }

  @Test
  void rfc4271_8_2_2_aPassivePeerWaitsAndAFailedConnectionWaitsForTheRetryTimer() {
    Recorder r = new Recorder();
    SessionFsm passive = fsm(r, true, 90);
    passive.start();
    assertEquals(SessionState.ACTIVE, passive.state());
    assertEquals(0, r.connects);
    passive.timerExpired(SessionFsm.Timer.CONNECT_RETRY);
    assertEquals(SessionState.ACTIVE, passive.state(), "a passive peer never connects");
    passive.tcpConnected();
    assertEquals(SessionState.OPEN_SENT, passive.state());

    Recorder a = new Recorder();
    SessionFsm active = fsm(a, false, 90);
    active.start();
    active.tcpFailed("connection refused");
    assertEquals(SessionState.ACTIVE, active.state());
    assertEquals(1, a.connects);
    active.timerExpired(SessionFsm.Timer.CONNECT_RETRY);
    assertEquals(SessionState.CONNECT, active.state());
    assertEquals(2, a.connects);
  }

  @Test
  void rfc4271_8_2_2_aNotificationOrALostConnectionTakesAnEstablishedSessionDown() {
    Recorder r = new Recorder();
    SessionFsm f = established(r, 90, 90);
    f.notificationReceived(new BgpNotification(BgpNotification.CEASE, 2, new byte[0]));
    assertEquals(SessionState.IDLE, f.state());
    assertFalse(r.lastDown.sentByUs());
    assertTrue(r.timers.containsKey(SessionFsm.Timer.IDLE_HOLD), "and it starts again itself");

    Recorder lost = new Recorder();
    SessionFsm g = established(lost, 90, 90);
    g.tcpFailed("connection reset");
    assertEquals(SessionState.IDLE, g.state());
    assertEquals("connection reset", lost.lastDown.reason());
  }

  @Test
  void rfc4271_6_8_theCollisionWinnerContinuesInOpenSentWithItsOpen() {
    Recorder r = new Recorder();
    SessionFsm f = fsm(r, false, 90);
    f.start();
    f.tcpConnected();
    f.continueOnCollisionWinner(peerOpen(65002, 60, PEER));
    assertEquals(SessionState.OPEN_CONFIRM, f.state());
    assertEquals(60, f.holdTime());
  }
}
