package io.evpnkit.speaker;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.BgpProtocolException;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.evpn.UpdateError;
import io.evpnkit.evpn.UpdateOutcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.EnumMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A peer's session: the state machine, its timers on the event loop, the connection it runs on (and
 * a second one while a connection collision is resolved), and the decoder and encoder of the
 * negotiated options. Everything but the volatile snapshots runs on the speaker's event loop.
 */
final class Session implements PeerSession, SessionFsm.Effects {
  private static final System.Logger LOG = System.getLogger(BgpSpeaker.class.getName());

  private final BgpSpeaker speaker;
  private final PeerConfig config;
  private final EventLoop loop;
  private final SessionFsm fsm;
  private final EnumMap<SessionFsm.Timer, ScheduledFuture<?>> timers =
      new EnumMap<>(SessionFsm.Timer.class);
  private @Nullable Connection current;
  private @Nullable Connection connecting;
  private @Nullable Connection candidate;
  private @Nullable UpdateDecoder decoder;
  private @Nullable UpdateEncoder encoder;
  private volatile SessionOptions receive = SessionOptions.EBGP;
  private volatile SessionOptions send = SessionOptions.EBGP;
  private final java.util.concurrent.atomic.AtomicLong updatesReceived =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong updatesSent =
      new java.util.concurrent.atomic.AtomicLong();

  /** Graceful restart (RFC 4724 §4.2): the peer is restarting and its routes are kept stale. */
  private boolean peerRestarting;

  /** The peer's restart time, then the stale routes time, while {@link #peerRestarting}. */
  private @Nullable ScheduledFuture<?> restartTimer;

  Session(BgpSpeaker speaker, PeerConfig config, BgpOpen local, RandomGenerator random) {
    this.speaker = speaker;
    this.config = config;
    this.loop = speaker.eventLoop();
    this.fsm =
        new SessionFsm(
            local,
            config.peerAs(),
            config.connectRetry().toMillis(),
            config.passive(),
            this,
            random);
  }

  /** Runs an event of the machine on the loop, and reports a change of state. */
  private void event(Consumer<SessionFsm> e) {
    if (!loop.inEventLoop()) {
      loop.execute(() -> event(e));
      return;
    }
    SessionState before = fsm.state();
    e.accept(fsm);
    SessionState after = fsm.state();
    if (before != after) {
      call(l -> l.stateChanged(this, before, after));
    }
  }

  private void call(Consumer<SessionListener> c) {
    try {
      c.accept(speaker.listener());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "session listener failed for " + this, e);
    }
  }

  EventLoop eventLoop() {
    return loop;
  }

  BgpSpeaker speaker() {
    return speaker;
  }

  // ---- PeerSession

  @Override
  public PeerConfig config() {
    return config;
  }

  @Override
  public SessionState state() {
    return fsm.state();
  }

  @Override
  public BgpOpen localOpen() {
    return fsm.local();
  }

  @Override
  public @Nullable BgpOpen remoteOpen() {
    return fsm.remote();
  }

  @Override
  public SessionOptions receiveOptions() {
    return receive;
  }

  @Override
  public SessionOptions sendOptions() {
    return send;
  }

  @Override
  public int holdTime() {
    return fsm.holdTime();
  }

  @Override
  public long updatesReceived() {
    return updatesReceived.get();
  }

  @Override
  public long updatesSent() {
    return updatesSent.get();
  }

  @Override
  public void announce(PathAttributes attributes, List<? extends EvpnRoute> routes) {
    List<? extends EvpnRoute> copy = List.copyOf(routes);
    onLoop(() -> write(out -> requireEncoder().announce(outbound(attributes), copy, out)));
  }

  /**
   * The attributes as this peer is to receive them: to an external peer our AS first in AS_PATH
   * (RFC 4271 §5.1.2; LOCAL_PREF and the route reflection attributes are dropped by the encoder),
   * to an internal peer a LOCAL_PREF (§5.1.5: 100 unless set).
   */
  PathAttributes outbound(PathAttributes attributes) {
    return outbound(attributes, send, fsm.local().as());
  }

  /** {@link #outbound(PathAttributes)} for a session with these options and our AS towards it. */
  static PathAttributes outbound(PathAttributes attributes, SessionOptions send, long localAs) {
    if (send.internalPeer()) {
      return attributes.localPref() >= 0
          ? attributes
          : attributes.toBuilder().localPref(100).build();
    }
    return attributes.toBuilder().asPath(attributes.asPath().prepend(localAs)).build();
  }

  @Override
  public void withdraw(List<? extends EvpnRoute> routes) {
    List<? extends EvpnRoute> copy = List.copyOf(routes);
    onLoop(() -> write(out -> requireEncoder().withdraw(copy, out)));
  }

  @Override
  public void sendEndOfRib() {
    onLoop(
        () ->
            write(
                out -> {
                  requireEncoder().writeEndOfRib(out);
                  return 1;
                }));
  }

  private UpdateEncoder requireEncoder() {
    UpdateEncoder e = encoder;
    if (e == null) {
      throw new IllegalStateException("not established");
    }
    return e;
  }

  /** Writes UPDATE messages into a buffer; returns how many. */
  interface Writer {
    int write(ByteBuf out);
  }

  @Override
  public boolean isWritable() {
    Connection c = current;
    return fsm.state() == SessionState.ESTABLISHED && c != null && c.channel().isWritable();
  }

  /** The allocator of the connection (or the default one when there is none). */
  io.netty.buffer.ByteBufAllocator alloc() {
    Connection c = current;
    return c == null ? io.netty.buffer.ByteBufAllocator.DEFAULT : c.channel().alloc();
  }

  /** The bytes written to the connection and not yet taken by the kernel (for tests). */
  long pendingOutboundBytes() {
    Connection c = current;
    if (c == null) {
      return 0;
    }
    io.netty.channel.ChannelOutboundBuffer b = c.channel().unsafe().outboundBuffer();
    return b == null ? 0 : b.totalPendingWriteBytes();
  }

  /**
   * Writes UPDATE messages encoded once for several peers (an update group): a view of {@code
   * encoded} that this connection releases; {@code encoded} stays the caller's. Dropped unless
   * established.
   */
  void writeShared(ByteBuf encoded, int messages) {
    Connection c = current;
    if (fsm.state() != SessionState.ESTABLISHED || c == null) {
      return;
    }
    updatesSent.addAndGet(messages);
    var unused = c.channel().writeAndFlush(encoded.retainedDuplicate());
  }

  void writable(Connection c) {
    if (c == current && fsm.state() == SessionState.ESTABLISHED) {
      call(l -> l.writable(this));
    }
  }

  /** Writes UPDATEs when established (on the event loop); drops them otherwise. */
  void write(Writer w) {
    Connection c = current;
    if (fsm.state() != SessionState.ESTABLISHED || c == null) {
      return;
    }
    ByteBuf out = c.channel().alloc().buffer();
    try {
      int n = w.write(out);
      updatesSent.addAndGet(n);
      var unused = c.channel().writeAndFlush(out.retain());
    } finally {
      out.release();
    }
  }

  private void onLoop(Runnable r) {
    if (loop.inEventLoop()) {
      r.run();
    } else {
      loop.execute(r);
    }
  }

  @Override
  public void stop(@Nullable String shutdownMessage) {
    onLoop(
        () -> {
          ScheduledFuture<?> r = limitRestart;
          limitRestart = null;
          if (r != null) {
            r.cancel(false); // the operator's stop outlasts the prefix limit's restart
          }
        });
    event(f -> f.stop(shutdownMessage));
  }

  @Override
  public void start() {
    event(SessionFsm::start);
  }

  /** Drops the connection without a NOTIFICATION and stays down (a restart, not a stop). */
  void abandon() {
    onLoop(
        () -> {
          Connection c = current;
          current = null;
          if (c != null) {
            var unused = c.channel().close();
          }
          event(SessionFsm::abandon);
        });
  }

  /** The start after the prefix limit's restart time, while waiting. */
  private @Nullable ScheduledFuture<?> limitRestart;

  /** Which crossing of the prefix limit was reported: 0 none, 1 the warning, 2 the maximum. */
  private int prefixLimitReported;

  /** Cease subcode Maximum Number of Prefixes Reached (RFC 4486 §4). */
  static final int CEASE_MAXIMUM_PREFIXES = 1;

  @Override
  public void routesHeld(long routes) {
    PrefixLimit limit = config.prefixLimit();
    if (limit == null) {
      return;
    }
    onLoop(
        () -> {
          if (routes > limit.maximum()) {
            if (prefixLimitReported < 2) {
              prefixLimitReported = 2;
              LOG.log(
                  System.Logger.Level.WARNING,
                  this + ": " + routes + " routes, past the limit of " + limit.maximum());
              call(l -> l.prefixLimitReached(this, routes, !limit.warningOnly()));
              if (!limit.warningOnly()) {
                tearDownForPrefixLimit(limit);
              }
            }
          } else if (routes >= limit.warningThreshold()) {
            if (prefixLimitReported < 1) {
              prefixLimitReported = 1;
              LOG.log(
                  System.Logger.Level.WARNING,
                  this + ": " + routes + " routes, " + limit.warningPercent() + "% of the limit");
              call(l -> l.prefixLimitReached(this, routes, false));
            }
          } else {
            prefixLimitReported = 0; // below the threshold again: the next crossing is reported
          }
        });
  }

  /** Closes the session with RFC 4486's Cease and, after the limit's restart time, starts it. */
  private void tearDownForPrefixLimit(PrefixLimit limit) {
    byte[] data = new byte[7]; // AFI, SAFI, the upper bound (RFC 4486 §4)
    data[0] = (byte) (BgpMessages.AFI_L2VPN >> 8);
    data[1] = (byte) BgpMessages.AFI_L2VPN;
    data[2] = (byte) BgpMessages.SAFI_EVPN;
    long max = limit.maximum();
    for (int i = 0; i < 4; i++) {
      data[3 + i] = (byte) (max >>> (24 - 8 * i));
    }
    BgpNotification cease =
        new BgpNotification(BgpNotification.CEASE, CEASE_MAXIMUM_PREFIXES, data);
    event(f -> f.stop(cease, "more routes than the limit of " + max));
    prefixLimitReported = 0;
    if (!limit.restart().isZero()) {
      limitRestart =
          loop.schedule(
              () -> {
                limitRestart = null;
                if (fsm.state() == SessionState.IDLE) {
                  start();
                }
              },
              limit.restart().toMillis(),
              TimeUnit.MILLISECONDS);
    }
  }

  // ---- SessionFsm.Effects

  @Override
  public void connect() {
    Connection c = new Connection(this, true);
    connecting = c;
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(speaker.socketChannelType())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(config.connectRetry().toMillis(), 30_000))
            .handler(c);
    speaker.secure(b, config);
    ChannelFuture f =
        config.local() == null
            ? b.connect(config.remote())
            : b.connect(config.remote(), config.local());
    f.addListener(
        done -> {
          if (!done.isSuccess() && connecting == c) {
            connecting = null;
            Throwable cause = done.cause();
            event(
                m ->
                    m.tcpFailed(
                        "cannot connect to "
                            + remoteText()
                            + ": "
                            + (cause == null ? "failed" : cause.getMessage())));
          }
        });
  }

  @Override
  public void disconnect() {
    Connection c = current;
    current = null;
    if (c != null) {
      c.close();
    }
    Connection p = connecting;
    connecting = null;
    if (p != null) {
      p.close();
    }
    decoder = null;
    encoder = null;
  }

  @Override
  public void sendOpen(BgpOpen open) {
    Connection c = current;
    if (c != null) {
      c.send(open::write);
    }
  }

  @Override
  public void sendKeepalive() {
    Connection c = current;
    if (c != null) {
      c.send(BgpMessages::writeKeepalive);
    }
  }

  @Override
  public void sendNotification(BgpNotification notification) {
    Connection c = current;
    if (c != null) {
      c.send(notification::write);
    }
  }

  @Override
  public void schedule(SessionFsm.Timer timer, long millis) {
    cancel(timer);
    timers.put(
        timer,
        loop.schedule(() -> event(f -> f.timerExpired(timer)), millis, TimeUnit.MILLISECONDS));
  }

  @Override
  public void cancel(SessionFsm.Timer timer) {
    ScheduledFuture<?> f = timers.remove(timer);
    if (f != null) {
      f.cancel(false);
    }
  }

  @Override
  public void established(BgpOpen local, BgpOpen remote) {
    SessionOptions r = BgpOpen.receiving(local, remote);
    SessionOptions s = BgpOpen.sending(local, remote);
    receive = r;
    send = s;
    decoder = new UpdateDecoder(r);
    encoder = new UpdateEncoder(s);
    Connection c = current;
    if (c != null && r.extendedMessages()) {
      c.allowExtendedMessages();
    }
    BgpOpen sent = fsm.local();
    enhancedRefresh =
        sent.capabilities().stream().anyMatch(x -> x.code() == Capability.ENHANCED_ROUTE_REFRESH)
            && remote.capabilities().stream()
                .anyMatch(x -> x.code() == Capability.ENHANCED_ROUTE_REFRESH);
    Capability.GracefulRestart ours = gracefulRestart(sent);
    if (ours != null && (ours.flags() & BgpSpeaker.GR_RESTART_STATE) != 0) {
      // the Restart State bit tells of this process's restart: later sessions are not restarts
      fsm.local(speaker.open(config, sent.as(), false));
    }
    if (peerRestarting) {
      Capability.GracefulRestart theirs = gracefulRestart(remote);
      Capability.GracefulRestartFamily evpn = theirs == null ? null : evpnFamily(theirs);
      if (evpn == null || !evpn.forwardingPreserved()) {
        // RFC 4724 §4.2: no forwarding state kept for the family: the stale routes go at once
        endRestart();
        call(
            l ->
                l.staleRoutesEnd(
                    this, "the restarted peer did not preserve L2VPN/EVPN forwarding state"));
      } else {
        restartAfter(
            config.staleRoutesTime().toMillis(),
            "no End-of-RIB within the stale routes time of " + config.staleRoutesTime());
      }
    }
    call(l -> l.established(this));
  }

  @Override
  public void down(SessionDown why, boolean wasEstablished) {
    LOG.log(System.Logger.Level.INFO, this + ": " + why);
    BgpOpen remote = fsm.remote();
    int restartTime = wasEstablished && remote != null ? helperRestartTime(remote, why) : -1;
    if (restartTime >= 0) {
      peerRestarting = true;
      // RFC 4724 §4.2: the peer has its restart time to come back
      restartAfter(
          restartTime * 1000L,
          "the peer did not come back within its restart time of " + restartTime + " s");
      call(l -> l.restarting(this, why));
      // the restarting peer is expected at once: no idle hold before accepting it again
      loop.execute(this::leaveIdleNow);
      return;
    }
    if (wasEstablished && peerRestarting) {
      endRestart(); // a restarted session failed again without graceful restart: all routes go
    }
    call(l -> l.down(this, why, wasEstablished));
  }

  /**
   * The restart time the peer's OPEN gives when the way the session ended lets its routes be kept
   * (RFC 4724 §4.2 and RFC 8538 §4), else -1: both sides have graceful restart for L2VPN/EVPN, and
   * the session ended without a NOTIFICATION or, when both set the N bit, with one other than a
   * Hard Reset. Our own stop (an administrative Cease) ends it for good.
   */
  private int helperRestartTime(BgpOpen remote, SessionDown why) {
    Capability.GracefulRestart ours = gracefulRestart(fsm.local());
    Capability.GracefulRestart theirs = gracefulRestart(remote);
    if (ours == null || theirs == null || !hasEvpn(theirs)) {
      return -1;
    }
    BgpNotification n = why.notification();
    if (n != null) {
      boolean bothN =
          (ours.flags() & BgpSpeaker.GR_NOTIFICATION) != 0
              && (theirs.flags() & BgpSpeaker.GR_NOTIFICATION) != 0;
      boolean hardReset = n.code() == BgpNotification.CEASE && n.subcode() == CEASE_HARD_RESET;
      boolean ourStop =
          why.sentByUs()
              && n.code() == BgpNotification.CEASE
              && n.subcode() == BgpNotification.CEASE_ADMINISTRATIVE_SHUTDOWN;
      if (!bothN || hardReset || ourStop) {
        return -1;
      }
    }
    return theirs.restartTime();
  }

  /** Ends the idle hold of a started session at once (connecting, or waiting for the peer). */
  private void leaveIdleNow() {
    if (fsm.state() == SessionState.IDLE) {
      cancel(SessionFsm.Timer.IDLE_HOLD);
      event(f -> f.timerExpired(SessionFsm.Timer.IDLE_HOLD));
    }
  }

  /** Cease subcode Hard Reset (RFC 8538 §3): no graceful restart whatever the N bits say. */
  static final int CEASE_HARD_RESET = 9;

  static Capability.@Nullable GracefulRestart gracefulRestart(BgpOpen open) {
    for (Capability c : open.capabilities()) {
      if (c instanceof Capability.GracefulRestart g) {
        return g;
      }
    }
    return null;
  }

  private static boolean hasEvpn(Capability.GracefulRestart g) {
    return evpnFamily(g) != null;
  }

  private static Capability.@Nullable GracefulRestartFamily evpnFamily(
      Capability.GracefulRestart g) {
    for (Capability.GracefulRestartFamily f : g.families()) {
      if (f.afi() == BgpMessages.AFI_L2VPN && f.safi() == BgpMessages.SAFI_EVPN) {
        return f;
      }
    }
    return null;
  }

  /** Ends the restart after {@code millis}: the stale routes go with {@code reason}. */
  private void restartAfter(long millis, String reason) {
    ScheduledFuture<?> t = restartTimer;
    if (t != null) {
      t.cancel(false);
    }
    restartTimer =
        loop.schedule(
            () -> {
              restartTimer = null;
              if (peerRestarting) {
                peerRestarting = false;
                call(l -> l.staleRoutesEnd(this, reason));
              }
            },
            millis,
            TimeUnit.MILLISECONDS);
  }

  private void endRestart() {
    peerRestarting = false;
    ScheduledFuture<?> t = restartTimer;
    restartTimer = null;
    if (t != null) {
      t.cancel(false);
    }
  }

  /** Returns whether the peer is restarting: its routes are kept stale (RFC 4724 §4.2). */
  boolean peerRestarting() {
    return peerRestarting;
  }

  // ---- from the connections

  /** An outgoing connection is up. */
  void connected(Connection c) {
    if (c != connecting) {
      c.close(); // an attempt given up on
      return;
    }
    connecting = null;
    current = c;
    event(SessionFsm::tcpConnected);
  }

  /** An incoming connection from this peer's address. */
  void incoming(Connection c) {
    switch (fsm.state()) {
      case CONNECT, ACTIVE -> {
        Connection p = connecting;
        connecting = null;
        if (p != null) {
          p.close();
        }
        current = c;
        event(SessionFsm::tcpConnected);
      }
      case OPEN_SENT, OPEN_CONFIRM -> {
        if (candidate != null) {
          c.close();
          return;
        }
        candidate = c; // the collision is resolved when its OPEN arrives (RFC 4271 §6.8)
        c.send(fsm.local()::write);
      }
      case ESTABLISHED -> {
        BgpOpen remote = fsm.remote();
        if (remote != null && helperRestartTime(remote, new SessionDown("", null, false)) >= 0) {
          // RFC 4724 §4.2: a new connection while established means the peer restarted before
          // we saw the old one fail: the old one goes (its routes kept stale), the new one stays
          event(f -> f.tcpFailed("the peer connected again: it restarted"));
          leaveIdleNow();
          if (fsm.state() == SessionState.CONNECT || fsm.state() == SessionState.ACTIVE) {
            incoming(c);
            return;
          }
        }
        c.send(
            new BgpNotification(
                    BgpNotification.CEASE, SessionFsm.CEASE_CONNECTION_COLLISION, new byte[0])
                ::write);
        c.close();
      }
      case IDLE -> c.close();
    }
  }

  void closed(Connection c) {
    if (c == candidate) {
      candidate = null;
    } else if (c == current) {
      current = null;
      event(f -> f.tcpFailed("connection closed by " + remoteText()));
    }
  }

  void headerError(Connection c, BgpNotification n, String reason) {
    if (c == candidate) {
      candidate = null;
      c.send(n::write);
      c.close();
    } else if (c == current) {
      event(f -> f.messageError(n, reason));
    }
  }

  void message(Connection c, ByteBuf message, int type) {
    if (c == candidate) {
      collision(c, message, type);
      return;
    }
    if (c != current) {
      return;
    }
    switch (type) {
      case BgpOpen.TYPE -> {
        try {
          BgpOpen open = BgpOpen.read(message);
          event(f -> f.openReceived(open));
        } catch (BgpProtocolException e) {
          event(f -> f.messageError(e.notification(), "malformed OPEN: " + e.getMessage()));
        }
      }
      case BgpMessages.KEEPALIVE -> event(SessionFsm::keepaliveReceived);
      case 2 -> update(message);
      case BgpNotification.TYPE -> {
        try {
          BgpNotification n = BgpNotification.read(message);
          event(f -> f.notificationReceived(n));
        } catch (MalformedException e) {
          event(f -> f.tcpFailed("malformed NOTIFICATION: " + e.getMessage()));
        }
      }
      case BgpMessages.ROUTE_REFRESH -> {
        boolean[] ok = new boolean[1];
        event(f -> ok[0] = f.updateReceived("ROUTE-REFRESH"));
        if (ok[0]) {
          routeRefresh(message);
        }
      }
      default -> {} // the framer refuses other types
    }
  }

  /**
   * A ROUTE-REFRESH on an established session (RFC 2918, RFC 7313): a request for our routes, or
   * the peer's BoRR and EoRR around its own. One of another family or an unknown subtype is ignored
   * (RFC 2918 §4, RFC 7313 §5); one of the wrong length is a ROUTE-REFRESH Message Error where
   * enhanced route refresh was negotiated (RFC 7313 §5), else ignored.
   */
  private void routeRefresh(ByteBuf message) {
    int at = message.readerIndex();
    if (message.readableBytes() != 23) {
      if (enhancedRefresh) {
        byte[] data = new byte[message.readableBytes()];
        message.getBytes(at, data);
        BgpNotification n = new BgpNotification(ROUTE_REFRESH_MESSAGE_ERROR, 1, data);
        event(f -> f.messageError(n, "ROUTE-REFRESH of " + data.length + " octets"));
      }
      return;
    }
    int family = BgpMessages.readRouteRefresh(message);
    if (family != (BgpMessages.AFI_L2VPN << 8 | BgpMessages.SAFI_EVPN)) {
      return;
    }
    switch (BgpMessages.routeRefreshSubtype(message)) {
      case BgpMessages.REFRESH_REQUEST -> call(l -> l.routeRefresh(this));
      case BgpMessages.REFRESH_BEGIN -> {
        if (enhancedRefresh) {
          // RFC 7313 §4.2: the routes not sent again before EoRR go then, or when it is late
          ScheduledFuture<?> t = refreshTimer;
          if (t != null) {
            t.cancel(false);
          }
          refreshTimer =
              loop.schedule(
                  () -> {
                    refreshTimer = null;
                    call(l -> l.enhancedRefresh(this, false));
                  },
                  config.staleRoutesTime().toMillis(),
                  TimeUnit.MILLISECONDS);
          call(l -> l.enhancedRefresh(this, true));
        }
      }
      case BgpMessages.REFRESH_END -> {
        ScheduledFuture<?> t = refreshTimer;
        refreshTimer = null;
        if (enhancedRefresh && t != null) {
          t.cancel(false);
          call(l -> l.enhancedRefresh(this, false));
        }
      }
      default -> {} // RFC 7313 §5: an unknown subtype is ignored
    }
  }

  /** Error code ROUTE-REFRESH Message Error (RFC 7313 §5). */
  static final int ROUTE_REFRESH_MESSAGE_ERROR = 7;

  /** Whether both OPENs carried Enhanced Route Refresh (RFC 7313 §3). */
  private volatile boolean enhancedRefresh;

  /** The peer's refresh: purges what it did not send again if its EoRR does not come. */
  private @Nullable ScheduledFuture<?> refreshTimer;

  /** Returns whether the session frames refreshes with BoRR and EoRR (RFC 7313). */
  boolean enhancedRefresh() {
    return enhancedRefresh;
  }

  /** Sends BoRR or EoRR for L2VPN/EVPN (RFC 7313 §4). */
  void sendRefreshMarker(boolean begin) {
    Connection c = current;
    if (c != null && fsm.state() == SessionState.ESTABLISHED) {
      c.send(
          out ->
              BgpMessages.writeRouteRefresh(
                  out,
                  BgpMessages.AFI_L2VPN,
                  begin ? BgpMessages.REFRESH_BEGIN : BgpMessages.REFRESH_END,
                  BgpMessages.SAFI_EVPN));
    }
  }

  @Override
  public boolean requestRefresh() {
    BgpOpen remote = fsm.remote();
    if (fsm.state() != SessionState.ESTABLISHED
        || remote == null
        || remote.capabilities().stream().noneMatch(c -> c.code() == Capability.ROUTE_REFRESH)) {
      return false;
    }
    onLoop(
        () -> {
          Connection c = current;
          if (c != null) {
            c.send(
                out ->
                    BgpMessages.writeRouteRefresh(
                        out, BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN));
          }
        });
    return true;
  }

  private void update(ByteBuf message) {
    boolean[] ok = new boolean[1];
    event(f -> ok[0] = f.updateReceived("UPDATE"));
    UpdateDecoder d = decoder;
    if (!ok[0] || d == null) {
      return;
    }
    updatesReceived.incrementAndGet();
    UpdateOutcome outcome = d.decode(message);
    if (outcome == UpdateOutcome.SESSION_RESET) {
      BgpNotification n = d.notification();
      String reason = "malformed UPDATE";
      for (int i = 0; i < d.errorCount(); i++) {
        UpdateError e = d.error(i);
        if (e.outcome() == UpdateOutcome.SESSION_RESET) {
          reason = "malformed UPDATE: " + e;
        }
      }
      String why = reason;
      event(f -> f.messageError(n, why));
      return;
    }
    if (d.isEndOfRib()) {
      endRestart(); // the listener's End-of-RIB removes the stale routes not announced again
      call(l -> l.endOfRib(this));
    } else {
      call(l -> l.update(this, d));
    }
  }

  /** The second connection's OPEN decides which one stays (RFC 4271 §6.8). */
  private void collision(Connection c, ByteBuf message, int type) {
    if (type != BgpOpen.TYPE) {
      candidate = null;
      c.close();
      return;
    }
    BgpOpen open;
    try {
      open = BgpOpen.read(message);
    } catch (BgpProtocolException e) {
      candidate = null;
      c.send(e.notification()::write);
      c.close();
      return;
    }
    BgpNotification cease =
        new BgpNotification(
            BgpNotification.CEASE, SessionFsm.CEASE_CONNECTION_COLLISION, new byte[0]);
    // the connection initiated by the higher identifier stays: the candidate is the peer's
    boolean peerWins =
        Integer.compareUnsigned(fsm.local().bgpIdentifier(), open.bgpIdentifier()) < 0;
    Connection existing = current;
    candidate = null;
    if (peerWins && existing != null && existing.outgoing()) {
      existing.send(cease::write);
      existing.close();
      current = c;
      event(f -> f.continueOnCollisionWinner(open));
    } else {
      c.send(cease::write);
      c.close();
    }
  }

  /** The peer's address and port as {@code 192.0.2.1:179} or {@code [2001:db8::1]:179}. */
  private String remoteText() {
    String host = config.remote().getAddress().getHostAddress();
    int port = config.remote().getPort();
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }

  @Override
  public String toString() {
    return "peer " + config.remote().getAddress().getHostAddress() + " AS " + config.peerAs();
  }
}
