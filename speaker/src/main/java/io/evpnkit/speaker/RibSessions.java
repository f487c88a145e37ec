package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.rib.AdjRibOut;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.Peer;
import io.evpnkit.rib.RouteSink;
import io.netty.buffer.ByteBuf;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Joins an {@link EvpnRib} to a {@link BgpSpeaker}'s sessions: what the peers send goes into the
 * RIB ({@code update}, {@code endOfRib}, {@code peerDown}), and what the RIB originates goes to
 * every established peer (the changes only, grouped by attributes, with the peer's outbound rules:
 * our AS first in AS_PATH to external peers, LOCAL_PREF to internal ones). A peer that comes up
 * gets everything, then End-of-RIB (RFC 4724 §2); a ROUTE-REFRESH gets everything again.
 *
 * <p>Update groups: peers with the same session options and outbound rules share one {@link
 * AdjRibOut}, and each change is encoded once and the same bytes written to each of them. Flow
 * control: changes are written in batches while a peer's connection is {@link
 * PeerSession#isWritable writable}; a peer that reads slowly leaves its group and goes on from a
 * copy of the group's Adj-RIB-Out, where its changes wait (coalesced per route, so bounded by the
 * table, not by the churn) until its connection drains; it rejoins once it has caught up. The
 * others are never held up, and no peer's bytes pile up in memory past its write buffer's high
 * water mark and one batch. A peer in graceful restart (RFC 4724 §4.2) keeps its paths in the RIB,
 * stale and still forwarding, until its End-of-RIB after it is back (the stale paths it did not
 * announce again go) or until the speaker says their time is over.
 *
 * <p>Threading: the RIB has one writer, the speaker's event loop. Give this object to the speaker
 * as its {@link SessionListener}; call the RIB's own methods (a MAC learned, a port down, {@code
 * tick}) on {@link BgpSpeaker#eventLoop()} too.
 *
 * <pre>{@code
 * RibSessions sessions = new RibSessions(sink ->
 *     EvpnRib.builder(config, vtep, driver).routeSink(sink).routerId(routerId).build());
 * BgpSpeaker speaker = BgpSpeaker.builder(as, routerId).listener(sessions).build();
 * speaker.eventLoop().execute(() -> sessions.rib().macLearned(100, mac, "xe-0/0/1.0", ip));
 * }</pre>
 *
 * @since 0.2
 */
@Beta
public final class RibSessions implements SessionListener {
  /** Route changes written per batch (about 50 to 100 KiB of UPDATEs). */
  static final int BATCH = 2048;

  private final EvpnRib rib;
  private final Map<EvpnRouteKey, Local> local = new LinkedHashMap<>();
  private final Map<PeerSession, Out> peers = new LinkedHashMap<>(); // sessions: by identity
  private final Map<GroupKey, Group> groups = new LinkedHashMap<>();
  private boolean flushQueued;

  /** The selection deferral of a restarted speaker (RFC 4724 §4.1), or null. */
  private @Nullable Duration deferral;

  /** Whether what the RIB originates is held back (a restart's selection deferral). */
  private boolean deferring;

  /** The peers with graceful restart whose End-of-RIB the deferral waits for. */
  private final Set<PeerSession> awaitedEndOfRib = new LinkedHashSet<>();

  private boolean deferralTimerStarted;

  /** Restarting peers (graceful restart): their RIB identity, whose paths are stale. */
  private final Map<PeerSession, Peer> restarting = new LinkedHashMap<>();

  private record Local(EvpnRoute route, PathAttributes attributes) {}

  /** What makes two peers' UPDATEs the same bytes: the session's options and our AS to it. */
  private record GroupKey(SessionOptions options, long localAs) {
    PathAttributes outbound(PathAttributes attributes) {
      return Session.outbound(attributes, options, localAs);
    }
  }

  /** An update group: one Adj-RIB-Out, its UPDATEs encoded once for every member. */
  private static final class Group {
    final GroupKey key;
    AdjRibOut out;
    final Set<Out> members = new LinkedHashSet<>();

    Group(GroupKey key) {
      this.key = key;
      this.out = new AdjRibOut(key.options());
    }
  }

  /**
   * An established peer: its RIB identity, its group, and while it catches up or drains (a new
   * peer, a route refresh, a slow reader) an Adj-RIB-Out of its own.
   */
  private static final class Out {
    final Session session;
    final Peer peer;
    final Group group;
    @Nullable AdjRibOut own;
    boolean endOfRibSent;
    boolean endOfRefreshDue;

    Out(Session session, Peer peer, Group group) {
      this.session = session;
      this.peer = peer;
      this.group = group;
    }
  }

  /**
   * Creates the sessions' side and the RIB, which {@code ribFactory} builds with the sink it is
   * given as its route sink.
   */
  public RibSessions(Function<RouteSink, EvpnRib> ribFactory) {
    this.rib =
        Objects.requireNonNull(
            ribFactory.apply(
                new RouteSink() {
                  @Override
                  public void announce(EvpnRoute route, PathAttributes attributes) {
                    originated(route, attributes);
                  }

                  @Override
                  public void withdraw(EvpnRoute route) {
                    originatedWithdraw(route);
                  }
                }),
            "the RIB");
  }

  /**
   * Graceful restart's selection deferral for a speaker that restarted (RFC 4724 §4.1; FRR's {@code
   * select-defer-time}, 360 s by default): what the RIB originates goes to no peer until every
   * configured peer's session is up and each that has graceful restart has sent its End-of-RIB, or
   * until {@code timer} has run from the first session up. The RIB meanwhile learns what the peers
   * send again, so the routes it sends are chosen with the fabric's state, not a partial one. Call
   * before the speaker starts its sessions.
   */
  public RibSessions deferUntilEndOfRib(Duration timer) {
    deferral = timer;
    deferring = true;
    return this;
  }

  /** Returns whether the restart's selection deferral still holds our routes back. */
  public boolean deferring() {
    return deferring;
  }

  /** Ends the deferral when nothing is awaited and every configured peer is up. */
  private void checkDeferral(Session any) {
    if (!deferring || !awaitedEndOfRib.isEmpty()) {
      return;
    }
    for (PeerSession p : any.speaker().peers()) {
      if (p.state() != SessionState.ESTABLISHED) {
        return;
      }
    }
    endDeferral();
  }

  private void endDeferral() {
    if (deferring) {
      deferring = false;
      awaitedEndOfRib.clear();
      flush();
    }
  }

  /** Returns the RIB (to be used on the speaker's event loop only). */
  public EvpnRib rib() {
    return rib;
  }

  /** Returns how many peers are established and fed. */
  public int establishedPeers() {
    return peers.size();
  }

  /** Returns how many update groups have members (peers that share their UPDATEs). */
  public int updateGroups() {
    int n = 0;
    for (Group g : groups.values()) {
      n += g.members.isEmpty() ? 0 : 1;
    }
    return n;
  }

  /** Returns whether the peer is fed from its own Adj-RIB-Out (catching up, or reading slowly). */
  boolean onItsOwn(PeerSession session) {
    Out o = peers.get(session);
    return o != null && o.own != null;
  }

  private void originated(EvpnRoute route, PathAttributes attributes) {
    local.put(EvpnRouteKey.of(route), new Local(route, attributes));
    for (Group g : groups.values()) {
      g.out.announce(route, g.key.outbound(attributes));
    }
    for (Out o : peers.values()) {
      AdjRibOut own = o.own;
      if (own != null) {
        own.announce(route, o.group.key.outbound(attributes));
      }
    }
    queueFlush();
  }

  private void originatedWithdraw(EvpnRoute route) {
    local.remove(EvpnRouteKey.of(route));
    for (Group g : groups.values()) {
      g.out.withdraw(route);
    }
    for (Out o : peers.values()) {
      AdjRibOut own = o.own;
      if (own != null) {
        own.withdraw(route);
      }
    }
    queueFlush();
  }

  /** Writes the changes once the RIB's current call is over: a burst of changes, few UPDATEs. */
  private void queueFlush() {
    if (flushQueued || peers.isEmpty()) {
      return;
    }
    flushQueued = true;
    peers.values().iterator().next().session.eventLoop().execute(this::flush);
  }

  private void flush() {
    flushQueued = false;
    for (Group g : groups.values()) {
      flushGroup(g);
    }
    for (Out o : List.copyOf(peers.values())) {
      if (o.own != null) {
        flushOwn(o);
      }
    }
  }

  /** Encodes the group's changes batch by batch, once, and writes them to every member. */
  private void flushGroup(Group g) {
    if (deferring) {
      return;
    }
    while (g.out.hasChanges() && !g.members.isEmpty()) {
      for (Out o : List.copyOf(g.members)) {
        if (!o.session.isWritable()) {
          leave(o); // a slow reader: its changes wait in a copy, not as bytes in its buffer
        }
      }
      if (g.members.isEmpty()) {
        return;
      }
      ByteBuf encoded = g.members.iterator().next().session.alloc().buffer();
      try {
        int messages = g.out.write(encoded, BATCH);
        for (Out o : g.members) {
          o.session.writeShared(encoded, messages);
        }
      } finally {
        encoded.release();
      }
    }
  }

  /** Takes a member out of its group: it goes on from a copy of what the group has sent. */
  private static void leave(Out o) {
    o.group.members.remove(o);
    o.own = o.group.out.copy();
  }

  /** Writes a peer's own changes while its connection takes them; it rejoins when caught up. */
  private void flushOwn(Out o) {
    if (deferring) {
      return;
    }
    AdjRibOut own = Objects.requireNonNull(o.own);
    while (own.hasChanges() && o.session.isWritable()) {
      o.session.write(out -> own.write(out, BATCH));
    }
    if (own.hasChanges() || !o.session.isWritable()) {
      return;
    }
    if (o.endOfRefreshDue) {
      o.endOfRefreshDue = false;
      o.session.sendRefreshMarker(false); // EoRR (RFC 7313 §4)
    } else if (!o.endOfRibSent) {
      o.endOfRibSent = true;
      o.session.sendEndOfRib();
    }
    Group g = o.group;
    if (g.members.isEmpty()) {
      g.out = own; // the first to catch up carries the group on
    } else if (g.out.hasChanges()) {
      return; // the group has yet to write its own: join after it did
    }
    o.own = null;
    g.members.add(o);
  }

  @Override
  public void established(PeerSession session) {
    Session s = (Session) session;
    BgpOpen remote = Objects.requireNonNull(s.remoteOpen());
    Peer peer =
        new Peer(
            IpAddress.parse(s.config().remote().getAddress().getHostAddress()),
            Integer.toUnsignedLong(remote.bgpIdentifier()),
            !s.receiveOptions().internalPeer());
    Peer before = restarting.get(session);
    if (before != null && !before.equals(peer)) {
      // back with another identity: what the old one left is not its to refresh
      restarting.remove(session);
      rib.peerDown(before);
    }
    GroupKey key = new GroupKey(s.sendOptions(), s.localOpen().as());
    Group g = groups.get(key);
    if (g == null) {
      g = new Group(key);
      for (Local l : local.values()) {
        g.out.announce(l.route(), key.outbound(l.attributes()));
      }
      groups.put(key, g);
    }
    Out o = new Out(s, peer, g);
    o.own = g.out.startingOver(); // everything, on its own until caught up, then End-of-RIB
    peers.put(session, o);
    Duration timer = deferral;
    if (deferring && timer != null) {
      if (Session.gracefulRestart(remote) != null) {
        awaitedEndOfRib.add(session);
      }
      if (!deferralTimerStarted) {
        deferralTimerStarted = true;
        var unused =
            s.eventLoop().schedule(this::endDeferral, timer.toMillis(), TimeUnit.MILLISECONDS);
      }
      checkDeferral(s);
    }
    flushOwn(o);
  }

  @Override
  public void writable(PeerSession session) {
    Out o = peers.get(session);
    if (o != null) {
      if (o.own != null) {
        flushOwn(o);
      } else {
        flushGroup(o.group);
      }
    }
  }

  @Override
  public void update(PeerSession session, UpdateDecoder decoder) {
    Out o = peers.get(session);
    if (o != null) {
      rib.update(o.peer, decoder);
      if (session.config().prefixLimit() != null) {
        session.routesHeld(rib.paths(o.peer));
      }
    }
  }

  @Override
  public void endOfRib(PeerSession session) {
    if (awaitedEndOfRib.remove(session)) {
      checkDeferral((Session) session);
    }
    restarting.remove(session);
    Out o = peers.get(session);
    if (o != null) {
      rib.endOfRib(o.peer); // after a graceful restart: the paths still stale go
    }
  }

  @Override
  public void routeRefresh(PeerSession session) {
    Out o = peers.get(session);
    if (o == null) {
      return;
    }
    if (o.own == null) {
      leave(o);
    }
    Objects.requireNonNull(o.own).resendAll();
    if (o.session.enhancedRefresh()) {
      o.session.sendRefreshMarker(true); // BoRR, the routes, EoRR (RFC 7313 §4)
      o.endOfRefreshDue = true;
    } else {
      o.endOfRibSent = false;
    }
    flushOwn(o);
  }

  /** The peer's enhanced refresh: its routes stale from BoRR, those not sent again gone at EoRR. */
  @Override
  public void enhancedRefresh(PeerSession session, boolean begins) {
    Out o = peers.get(session);
    if (o == null) {
      return;
    }
    if (begins) {
      rib.peerRestarting(o.peer);
    } else {
      rib.endOfRib(o.peer);
    }
  }

  @Override
  public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
    awaitedEndOfRib.remove(session);
    Out o = peers.remove(session);
    if (o != null) {
      o.group.members.remove(o);
      restarting.remove(session);
      rib.peerDown(o.peer);
    }
  }

  /** Graceful restart: the peer's paths stay in use, stale, until its End-of-RIB. */
  @Override
  public void restarting(PeerSession session, SessionDown why) {
    awaitedEndOfRib.remove(session);
    Out o = peers.remove(session);
    if (o != null) {
      o.group.members.remove(o);
      restarting.put(session, o.peer);
      rib.peerRestarting(o.peer);
    }
  }

  @Override
  public void staleRoutesEnd(PeerSession session, String reason) {
    Peer p = restarting.remove(session);
    if (p == null) {
      return;
    }
    if (peers.containsKey(session)) {
      rib.endOfRib(p); // up again: the stale paths go, those announced again stay
    } else {
      rib.peerDown(p);
    }
  }

  /** The RIB identity of an established peer, or null. */
  @Nullable Peer ribPeer(PeerSession session) {
    Out o = peers.get(session);
    return o == null ? null : o.peer;
  }
}
