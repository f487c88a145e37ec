package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.rib.AdjRibOut;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.Peer;
import io.evpnkit.rib.RouteSink;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Joins an {@link EvpnRib} to a {@link BgpSpeaker}'s sessions: what the peers send goes into the
 * RIB ({@code update}, {@code endOfRib}, {@code peerDown}), and what the RIB originates goes to
 * every established peer through an {@link AdjRibOut} of its own (the changes only, grouped by
 * attributes, with the peer's outbound rules: our AS first in AS_PATH to external peers, LOCAL_PREF
 * to internal ones). A peer that comes up gets everything, then End-of-RIB (RFC 4724 §2); a
 * ROUTE-REFRESH gets everything again. A peer in graceful restart (RFC 4724 §4.2) keeps its paths
 * in the RIB, stale and still forwarding, until its End-of-RIB after it is back (the stale paths it
 * did not announce again go) or until the speaker says their time is over.
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
  private final EvpnRib rib;
  private final Map<EvpnRouteKey, Local> local = new LinkedHashMap<>();
  private final Map<PeerSession, Out> peers =
      new LinkedHashMap<>(); // sessions are equal by identity
  private boolean flushQueued;

  /** Restarting peers (graceful restart): their RIB identity, whose paths are stale. */
  private final Map<PeerSession, Peer> restarting = new LinkedHashMap<>();

  private record Local(EvpnRoute route, PathAttributes attributes) {}

  /** An established peer: its RIB identity and what it has been sent. */
  private record Out(Session session, Peer peer, AdjRibOut adjRibOut) {}

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

  /** Returns the RIB (to be used on the speaker's event loop only). */
  public EvpnRib rib() {
    return rib;
  }

  /** Returns how many peers are established and fed. */
  public int establishedPeers() {
    return peers.size();
  }

  private void originated(EvpnRoute route, PathAttributes attributes) {
    local.put(EvpnRouteKey.of(route), new Local(route, attributes));
    for (Out o : peers.values()) {
      o.adjRibOut().announce(route, o.session().outbound(attributes));
    }
    queueFlush();
  }

  private void originatedWithdraw(EvpnRoute route) {
    local.remove(EvpnRouteKey.of(route));
    for (Out o : peers.values()) {
      o.adjRibOut().withdraw(route);
    }
    queueFlush();
  }

  /** Writes the changes once the RIB's current call is over: a burst of changes, few UPDATEs. */
  private void queueFlush() {
    if (flushQueued || peers.isEmpty()) {
      return;
    }
    flushQueued = true;
    peers.values().iterator().next().session().eventLoop().execute(this::flush);
  }

  private void flush() {
    flushQueued = false;
    for (Out o : peers.values()) {
      if (o.adjRibOut().hasChanges()) {
        o.session().write(o.adjRibOut()::write);
      }
    }
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
    AdjRibOut out = new AdjRibOut(s.sendOptions());
    for (Local l : local.values()) {
      out.announce(l.route(), s.outbound(l.attributes()));
    }
    peers.put(session, new Out(s, peer, out));
    s.write(out::write);
    s.sendEndOfRib();
  }

  @Override
  public void update(PeerSession session, UpdateDecoder decoder) {
    Out o = peers.get(session);
    if (o != null) {
      rib.update(o.peer(), decoder);
      if (session.config().prefixLimit() != null) {
        session.routesHeld(rib.paths(o.peer()));
      }
    }
  }

  @Override
  public void endOfRib(PeerSession session) {
    restarting.remove(session);
    Out o = peers.get(session);
    if (o != null) {
      rib.endOfRib(o.peer()); // after a graceful restart: the paths still stale go
    }
  }

  @Override
  public void routeRefresh(PeerSession session) {
    Out o = peers.get(session);
    if (o != null) {
      o.session().write(o.adjRibOut()::writeAll);
    }
  }

  @Override
  public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
    Out o = peers.remove(session);
    if (o != null) {
      restarting.remove(session);
      rib.peerDown(o.peer());
    }
  }

  /** Graceful restart: the peer's paths stay in use, stale, until its End-of-RIB. */
  @Override
  public void restarting(PeerSession session, SessionDown why) {
    Out o = peers.remove(session);
    if (o != null) {
      restarting.put(session, o.peer());
      rib.peerRestarting(o.peer());
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
    return o == null ? null : o.peer();
  }
}
