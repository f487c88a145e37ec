package io.evpnkit.speaker;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * The BGP finite state machine of RFC 4271 §8 for one peer, without I/O: events come in as method
 * calls, and what the machine does (connect, send, drop the connection, start and stop timers) goes
 * out through {@link Effects}. One thread calls it (the speaker's event loop); it never blocks.
 *
 * <p>Timers (RFC 4271 §8.1.3, §10): ConnectRetryTimer jittered to 75-100% of its value; the hold
 * timer set to 4 minutes while the OPEN is awaited, then to the smaller hold time of the two OPENs
 * (0: none); the keepalive timer to a third of it, jittered. After an error the peer restarts
 * itself (AllowAutomaticStart) after an idle hold time that doubles with each consecutive failure,
 * from 1 second to the connect retry time, jittered: a peer that keeps failing is not hammered.
 */
final class SessionFsm {
  /** The timers of the machine. */
  enum Timer {
    CONNECT_RETRY,
    HOLD,
    KEEPALIVE,
    IDLE_HOLD
  }

  /** What the machine does. */
  interface Effects {
    /**
     * Opens the TCP connection to the peer; {@link #tcpConnected} or {@link #tcpFailed} follows.
     */
    void connect();

    /** Drops the TCP connection (after flushing what was sent). */
    void disconnect();

    void sendOpen(BgpOpen open);

    void sendKeepalive();

    void sendNotification(BgpNotification notification);

    /** Starts (or restarts) a timer; {@link #timerExpired} follows unless it is cancelled. */
    void schedule(Timer timer, long millis);

    void cancel(Timer timer);

    /** The session is up with these OPENs. */
    void established(BgpOpen local, BgpOpen remote);

    /** The session left {@link SessionState#ESTABLISHED}, or an attempt failed. */
    void down(SessionDown why, boolean wasEstablished);
  }

  /** The hold time while waiting for the peer's OPEN (RFC 4271 §8.2.2: "a large value", 4 min). */
  static final int LARGE_HOLD_SECONDS = 240;

  /** Cease subcode Connection Collision Resolution (RFC 4486). */
  static final int CEASE_CONNECTION_COLLISION = 7;

  private final Effects fx;
  private final RandomGenerator random;
  private final long connectRetryMillis;
  private final boolean passive;
  private final long peerAs;
  private BgpOpen local;
  // written by the loop thread only; volatile so that other threads see the state of the moment
  private volatile SessionState state = SessionState.IDLE;
  private boolean started;
  private int failures;
  private int holdTime;
  private @Nullable BgpOpen remote;

  SessionFsm(
      BgpOpen local,
      long peerAs,
      long connectRetryMillis,
      boolean passive,
      Effects fx,
      RandomGenerator random) {
    this.local = local;
    this.peerAs = peerAs;
    this.connectRetryMillis = connectRetryMillis;
    this.passive = passive;
    this.fx = fx;
    this.random = random;
  }

  SessionState state() {
    return state;
  }

  /** The peer's OPEN once received (kept after the session goes down), or null. */
  @Nullable BgpOpen remote() {
    return remote;
  }

  BgpOpen local() {
    return local;
  }

  /** Replaces the OPEN sent from the next connection on (graceful restart's R bit clears). */
  void local(BgpOpen open) {
    local = open;
  }

  /** The negotiated hold time in seconds (valid from OpenConfirm on). */
  int holdTime() {
    return holdTime;
  }

  int failures() {
    return failures;
  }

  /** ManualStart (or ManualStart_with_PassiveTcpEstablishment for a passive peer). */
  void start() {
    started = true;
    if (state == SessionState.IDLE) {
      fx.cancel(Timer.IDLE_HOLD);
      begin();
    }
  }

  private void begin() {
    scheduleJittered(Timer.CONNECT_RETRY, connectRetryMillis);
    if (passive) {
      state = SessionState.ACTIVE;
    } else {
      state = SessionState.CONNECT;
      fx.connect();
    }
  }

  /**
   * ManualStop: a Cease NOTIFICATION (Administrative Shutdown) when a connection is open, with the
   * operator's message (RFC 9003: UTF-8, at most 255 octets; longer ones are cut at a character
   * boundary), and the machine stays idle.
   */
  void stop(@Nullable String shutdownMessage) {
    stop(
        shutdownMessage == null
            ? new BgpNotification(
                BgpNotification.CEASE, BgpNotification.CEASE_ADMINISTRATIVE_SHUTDOWN, new byte[0])
            : BgpNotification.administrative(
                BgpNotification.CEASE_ADMINISTRATIVE_SHUTDOWN, shutdownMessage),
        "stopped");
  }

  /**
   * Leaves the session without a NOTIFICATION (its connection dropped already): a restarting
   * speaker's peers keep its routes (RFC 4724 §4.2); the machine stays idle until started again.
   */
  void abandon() {
    started = false;
    fx.cancel(Timer.IDLE_HOLD);
    if (state == SessionState.IDLE) {
      return;
    }
    toIdle(new SessionDown("left for a restart, no NOTIFICATION (RFC 4724)", null, true), false);
  }

  /**
   * Stops the session with a Cease of our choosing (the prefix limit's, RFC 4486 §4) when a
   * connection is open; the machine stays idle until started again.
   */
  void stop(BgpNotification cease, String reason) {
    started = false;
    fx.cancel(Timer.IDLE_HOLD);
    if (state == SessionState.IDLE) {
      return;
    }
    BgpNotification n = null;
    if (state == SessionState.OPEN_SENT
        || state == SessionState.OPEN_CONFIRM
        || state == SessionState.ESTABLISHED) {
      n = cease;
      fx.sendNotification(n);
    }
    toIdle(new SessionDown(reason, n, true), false);
  }

  void timerExpired(Timer timer) {
    switch (timer) {
      case IDLE_HOLD -> {
        if (state == SessionState.IDLE && started) {
          begin();
        }
      }
      case CONNECT_RETRY -> {
        if (state == SessionState.CONNECT) {
          fx.disconnect();
          scheduleJittered(Timer.CONNECT_RETRY, connectRetryMillis);
          fx.connect();
        } else if (state == SessionState.ACTIVE) {
          scheduleJittered(Timer.CONNECT_RETRY, connectRetryMillis);
          if (!passive) {
            state = SessionState.CONNECT;
            fx.connect();
          }
        }
      }
      case HOLD -> {
        if (state == SessionState.OPEN_SENT
            || state == SessionState.OPEN_CONFIRM
            || state == SessionState.ESTABLISHED) {
          BgpNotification n =
              new BgpNotification(BgpNotification.HOLD_TIMER_EXPIRED, 0, new byte[0]);
          fx.sendNotification(n);
          fail(new SessionDown("hold timer expired", n, true));
        }
      }
      case KEEPALIVE -> {
        if (state == SessionState.OPEN_CONFIRM || state == SessionState.ESTABLISHED) {
          fx.sendKeepalive();
          scheduleKeepalive();
        }
      }
    }
  }

  /** TcpCRAcked or TcpConnectionConfirmed: the connection is up; our OPEN goes out. */
  void tcpConnected() {
    if (state != SessionState.CONNECT && state != SessionState.ACTIVE) {
      return;
    }
    fx.cancel(Timer.CONNECT_RETRY);
    fx.sendOpen(local);
    fx.schedule(Timer.HOLD, LARGE_HOLD_SECONDS * 1000L);
    state = SessionState.OPEN_SENT;
  }

  /** TcpConnectionFails: the connection attempt failed or the connection went away. */
  void tcpFailed(String reason) {
    switch (state) {
      case CONNECT, OPEN_SENT -> {
        // RFC 4271 §8.2.2: back to Active, waiting for the ConnectRetryTimer
        boolean wasOpenSent = state == SessionState.OPEN_SENT;
        fx.cancel(Timer.HOLD);
        fx.disconnect();
        state = SessionState.ACTIVE;
        scheduleJittered(Timer.CONNECT_RETRY, connectRetryMillis);
        if (wasOpenSent) {
          fx.down(new SessionDown(reason, null, false), false);
        }
      }
      case OPEN_CONFIRM, ESTABLISHED -> fail(new SessionDown(reason, null, false));
      default -> {}
    }
  }

  /** A well-formed OPEN (as {@link BgpOpen#read} accepted it). */
  void openReceived(BgpOpen open) {
    if (state != SessionState.OPEN_SENT) {
      fsmError("OPEN");
      return;
    }
    if (open.as() != peerAs) {
      openError(
          BgpNotification.BAD_PEER_AS,
          asData(open),
          "peer AS " + open.as() + ", expected " + peerAs);
      return;
    }
    if (open.as() == local.as() && open.bgpIdentifier() == local.bgpIdentifier()) {
      openError(
          BgpNotification.BAD_BGP_IDENTIFIER,
          new byte[0],
          "BGP identifier " + identifier(open.bgpIdentifier()) + " is our own");
      return;
    }
    if (!open.supports(BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN)) {
      // RFC 5492 §5: Unsupported Capability, with the capability we need
      openError(
          BgpNotification.UNSUPPORTED_CAPABILITY,
          new byte[] {1, 4, 0, (byte) BgpMessages.AFI_L2VPN, 0, (byte) BgpMessages.SAFI_EVPN},
          "the peer does not offer L2VPN/EVPN (AFI 25, SAFI 70)");
      return;
    }
    remote = open;
    holdTime = Math.min(local.holdTime(), open.holdTime());
    fx.sendKeepalive();
    if (holdTime > 0) {
      fx.schedule(Timer.HOLD, holdTime * 1000L);
      scheduleKeepalive();
    } else {
      fx.cancel(Timer.HOLD);
    }
    state = SessionState.OPEN_CONFIRM;
  }

  private static byte[] asData(BgpOpen open) {
    long as = open.as() > 0xFFFF ? 23456 : open.as(); // My AS as it was on the wire
    return new byte[] {(byte) (as >>> 8), (byte) as};
  }

  static String identifier(int id) {
    return (id >>> 24) + "." + (id >>> 16 & 0xFF) + "." + (id >>> 8 & 0xFF) + "." + (id & 0xFF);
  }

  private void openError(int subcode, byte[] data, String reason) {
    BgpNotification n = new BgpNotification(BgpNotification.OPEN_MESSAGE_ERROR, subcode, data);
    fx.sendNotification(n);
    fail(new SessionDown(reason, n, true));
  }

  /**
   * A message that could not be read (a header error, a malformed OPEN or UPDATE, RFC 7606's
   * session reset): the NOTIFICATION goes out and the session ends.
   */
  void messageError(BgpNotification n, String reason) {
    if (state == SessionState.IDLE) {
      return;
    }
    fx.sendNotification(n);
    fail(new SessionDown(reason, n, true));
  }

  void keepaliveReceived() {
    switch (state) {
      case OPEN_CONFIRM -> {
        restartHold();
        state = SessionState.ESTABLISHED;
        failures = 0;
        fx.established(local, java.util.Objects.requireNonNull(remote));
      }
      case ESTABLISHED -> restartHold();
      default -> fsmError("KEEPALIVE");
    }
  }

  /**
   * An UPDATE or ROUTE-REFRESH arrived; returns whether the session may take it (Established), else
   * the FSM error is sent.
   */
  boolean updateReceived(String what) {
    if (state == SessionState.ESTABLISHED) {
      restartHold();
      return true;
    }
    fsmError(what);
    return false;
  }

  void notificationReceived(BgpNotification n) {
    if (state == SessionState.IDLE) {
      return;
    }
    fail(new SessionDown("notification from the peer", n, false));
  }

  /**
   * The collision winner (RFC 4271 §6.8) is a connection other than the one the machine had: it
   * continues in OpenSent on the new connection, whose OPEN has arrived.
   */
  void continueOnCollisionWinner(BgpOpen open) {
    state = SessionState.OPEN_SENT;
    openReceived(open);
  }

  /** A message that is not acceptable in this state (RFC 6608 subcodes name the state). */
  private void fsmError(String what) {
    int subcode =
        switch (state) {
          case OPEN_SENT -> 1;
          case OPEN_CONFIRM -> 2;
          case ESTABLISHED -> 3;
          default -> 0;
        };
    if (state == SessionState.IDLE
        || state == SessionState.CONNECT
        || state == SessionState.ACTIVE) {
      return; // no session to tell
    }
    BgpNotification n = new BgpNotification(BgpNotification.FSM_ERROR, subcode, new byte[0]);
    fx.sendNotification(n);
    fail(new SessionDown(what + " in state " + state, n, true));
  }

  private void restartHold() {
    if (holdTime > 0) {
      fx.schedule(Timer.HOLD, holdTime * 1000L);
    }
  }

  private void scheduleKeepalive() {
    if (holdTime > 0) {
      scheduleJittered(Timer.KEEPALIVE, holdTime * 1000L / 3);
    }
  }

  private void scheduleJittered(Timer timer, long millis) {
    // RFC 4271 §10: a random factor in 0.75..1.0
    fx.schedule(timer, Math.max(1, (long) (millis * (0.75 + 0.25 * random.nextDouble()))));
  }

  /** An error: to Idle, and (when started) an automatic start after the growing idle hold time. */
  private void fail(SessionDown why) {
    failures++;
    toIdle(why, started);
  }

  private void toIdle(SessionDown why, boolean restart) {
    boolean wasEstablished = state == SessionState.ESTABLISHED;
    boolean hadConnection = state != SessionState.IDLE;
    fx.cancel(Timer.CONNECT_RETRY);
    fx.cancel(Timer.HOLD);
    fx.cancel(Timer.KEEPALIVE);
    if (hadConnection) {
      fx.disconnect();
    }
    state = SessionState.IDLE;
    fx.down(why, wasEstablished);
    if (restart) {
      long backoff = Math.min(connectRetryMillis, 1000L << Math.min(failures - 1, 20));
      scheduleJittered(Timer.IDLE_HOLD, backoff);
    }
  }
}
