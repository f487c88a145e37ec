package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.rib.AdjRibOut;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * evpnkit as the fabric's route reflector (RFC 4456): a {@link SessionListener} that keeps every
 * peer's L2VPN/EVPN routes, picks the best path of each route, and reflects it: a route from a
 * client ({@link PeerConfig#routeReflectorClient}) to every other peer, a route from a non-client
 * internal peer to the clients, a route from an external peer to everyone. Reflected routes get
 * ORIGINATOR_ID (the router id of the peer that sent them in, unless set) and our cluster id first
 * in CLUSTER_LIST; a route whose CLUSTER_LIST holds our cluster id, or whose ORIGINATOR_ID is our
 * router id, has looped and is dropped (§8). Next hops are left as they are: the VTEPs' addresses
 * (EVPN over VXLAN needs the originating VTEP, RFC 8365 §5.1.3). It needs no forwarding table.
 *
 * <p>The best path among several copies of one route (the same NLRI from several peers) is chosen
 * by RFC 4271 §9.1.2.2 as RFC 4456 §9 amends it: highest LOCAL_PREF (100 when absent), shortest
 * AS_PATH, lowest ORIGIN, lowest MED, external before internal, lowest ORIGINATOR_ID or router id,
 * shortest CLUSTER_LIST, lowest peer address. A route is not sent back to the peer its best path
 * came from.
 *
 * <p>Writing follows the sessions' flow control: changes wait in each peer's {@link AdjRibOut}
 * (coalesced per route) and are written in batches while the peer's connection is writable.
 *
 * <p>Threading: one writer, the speaker's event loop, which calls every method of this listener.
 *
 * @since 0.2
 */
@Beta
public final class RouteReflector implements SessionListener {
  private final int clusterId;
  private final long routerId;
  private final Map<PeerSession, In> peers = new LinkedHashMap<>(); // sessions by identity
  private final Map<EvpnRouteKey, Entry> routes = new HashMap<>();
  private int withBest;

  /** A route's paths (usually one) and its best one: one map entry per route, few objects. */
  private static final class Entry {
    @Nullable Path best;
    Path[] paths = new Path[1];
    int count;

    void put(Path p) {
      for (int i = 0; i < count; i++) {
        if (paths[i].from() == p.from() && paths[i].pathId() == p.pathId()) {
          paths[i] = p;
          return;
        }
      }
      if (count == paths.length) {
        paths = java.util.Arrays.copyOf(paths, count * 2);
      }
      paths[count++] = p;
    }

    /** Removes the paths of {@code in} with {@code pathId}, or all of them when -1. */
    boolean remove(In in, long pathId) {
      boolean removed = false;
      for (int i = 0; i < count; ) {
        if (paths[i].from() == in && (pathId < 0 || paths[i].pathId() == pathId)) {
          paths[i] = paths[--count];
          paths[count] = null;
          removed = true;
        } else {
          i++;
        }
      }
      return removed;
    }
  }

  private long loopsDropped;

  /** A path as received: the route, its attributes, the peer and its path id. */
  private record Path(EvpnRoute route, PathAttributes attributes, In from, long pathId) {}

  /** An established peer: its role and what it has been sent. */
  private static final class In {
    final Session session;
    final long routerId;
    final IpAddress address;
    final boolean client;
    final boolean external;
    final AdjRibOut out;

    In(Session session, long routerId, boolean client, boolean external) {
      this.session = session;
      this.routerId = routerId;
      this.address = IpAddress.parse(session.config().remote().getAddress().getHostAddress());
      this.client = client;
      this.external = external;
      this.out = new AdjRibOut(session.sendOptions());
    }
  }

  /**
   * A reflector with this cluster id (RFC 4456 §7; commonly its router id) and router id.
   *
   * @param clusterId the cluster id, an IPv4 address
   * @param routerId our BGP identifier: a route whose ORIGINATOR_ID it is has looped back
   */
  public RouteReflector(IpAddress clusterId, IpAddress routerId) {
    if (clusterId.isIpv6() || routerId.isIpv6()) {
      throw new IllegalArgumentException("a cluster id and a router id are IPv4 addresses");
    }
    this.clusterId = clusterId.ipv4();
    this.routerId = Integer.toUnsignedLong(routerId.ipv4());
  }

  /** Returns the number of routes held with a best path. */
  public int routes() {
    return withBest;
  }

  /** Returns how many received routes were dropped as loops (RFC 4456 §8). */
  public long loopsDropped() {
    return loopsDropped;
  }

  @Override
  public void established(PeerSession session) {
    Session s = (Session) session;
    BgpOpen remote = Objects.requireNonNull(s.remoteOpen());
    In in =
        new In(
            s,
            Integer.toUnsignedLong(remote.bgpIdentifier()),
            s.config().routeReflectorClient(),
            !s.receiveOptions().internalPeer());
    peers.put(session, in);
    for (Entry e : routes.values()) {
      Path p = e.best;
      if (p != null) {
        offer(in, p);
      }
    }
    flush(in);
    if (!in.out.hasChanges()) {
      in.session.sendEndOfRib();
    } else {
      endOfRibDue.put(in, Boolean.TRUE);
    }
  }

  private final Map<In, Boolean> endOfRibDue = new HashMap<>();

  @Override
  public void update(PeerSession session, UpdateDecoder decoder) {
    In in = peers.get(session);
    if (in == null) {
      return;
    }
    PathAttributes attributes = decoder.attributes();
    boolean looped = loops(attributes);
    List<EvpnRouteKey> changed = new ArrayList<>();
    decoder.forEachRoute(
        (withdraw, pathId, nlri) -> {
          EvpnRoute route = EvpnRoutes.decode(nlri);
          EvpnRouteKey key = EvpnRouteKey.of(route);
          if (withdraw || looped) {
            if (looped && !withdraw) {
              loopsDropped++;
            }
            if (remove(in, key, pathId)) {
              changed.add(key);
            }
          } else {
            add(new Path(route, attributes, in, pathId), key);
            changed.add(key);
          }
        });
    for (EvpnRouteKey key : changed) {
      select(key);
    }
    flushAll();
  }

  /** RFC 4456 §8: our cluster id in CLUSTER_LIST, or our router id as ORIGINATOR_ID. */
  private boolean loops(PathAttributes a) {
    if (a.originatorId() == routerId) {
      return true;
    }
    for (int i = 0; i < a.clusterListLength(); i++) {
      if (a.clusterId(i) == clusterId) {
        return true;
      }
    }
    return false;
  }

  private void add(Path p, EvpnRouteKey key) {
    routes.computeIfAbsent(key, k -> new Entry()).put(p);
  }

  private boolean remove(In in, EvpnRouteKey key, long pathId) {
    Entry e = routes.get(key);
    return e != null && e.remove(in, pathId);
  }

  /** Chooses the route's best path again and tells the peers what changed. */
  private void select(EvpnRouteKey key) {
    Entry e = routes.get(key);
    if (e == null) {
      return;
    }
    Path chosen = null;
    for (int i = 0; i < e.count; i++) {
      Path p = e.paths[i];
      if (chosen == null || better(p, chosen)) {
        chosen = p;
      }
    }
    Path before = e.best;
    e.best = chosen;
    if (chosen == null) {
      routes.remove(key);
    }
    withBest += (chosen != null ? 1 : 0) - (before != null ? 1 : 0);
    if (Objects.equals(chosen, before)) {
      return;
    }
    for (In peer : peers.values()) {
      if (chosen != null) {
        offer(peer, chosen);
      } else if (before != null) {
        peer.out.withdraw(before.route());
      }
    }
  }

  /** Gives a peer a best path, or withdraws the route from it where the rules say it may not. */
  private void offer(In peer, Path p) {
    boolean allowed =
        peer != p.from() && (p.from().client || p.from().external || peer.client || peer.external);
    if (allowed) {
      peer.out.announce(p.route(), outbound(peer, p));
    } else {
      peer.out.withdraw(p.route()); // only if it had been sent something else
    }
  }

  /** The attributes as reflected to {@code peer}: ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8). */
  private PathAttributes outbound(In peer, Path p) {
    PathAttributes a = p.attributes();
    if (p.from().external || peer.external) {
      return Session.outbound(a, peer.session.sendOptions(), peer.session.localOpen().as());
    }
    PathAttributes.Builder b = a.toBuilder();
    if (a.originatorId() < 0) {
      b.originatorId(p.from().routerId);
    }
    b.clearClusterList().addClusterId(clusterId);
    for (int i = 0; i < a.clusterListLength(); i++) {
      b.addClusterId(a.clusterId(i));
    }
    return Session.outbound(b.build(), peer.session.sendOptions(), peer.session.localOpen().as());
  }

  /** RFC 4271 §9.1.2.2 with RFC 4456 §9: whether {@code a} is preferred to {@code b}. */
  static boolean better(Path a, Path b) {
    PathAttributes x = a.attributes();
    PathAttributes y = b.attributes();
    long lx = x.localPref() < 0 ? 100 : x.localPref();
    long ly = y.localPref() < 0 ? 100 : y.localPref();
    if (lx != ly) {
      return lx > ly;
    }
    int px = x.asPath().pathLength();
    int py = y.asPath().pathLength();
    if (px != py) {
      return px < py;
    }
    if (x.origin() != y.origin()) {
      return x.origin() < y.origin();
    }
    long mx = x.med() < 0 ? 0 : x.med();
    long my = y.med() < 0 ? 0 : y.med();
    if (mx != my) {
      return mx < my;
    }
    if (a.from().external != b.from().external) {
      return a.from().external;
    }
    long ix = x.originatorId() >= 0 ? x.originatorId() : a.from().routerId;
    long iy = y.originatorId() >= 0 ? y.originatorId() : b.from().routerId;
    if (ix != iy) {
      return ix < iy;
    }
    if (x.clusterListLength() != y.clusterListLength()) {
      return x.clusterListLength() < y.clusterListLength();
    }
    int c = a.from().address.compareTo(b.from().address);
    if (c != 0) {
      return c < 0;
    }
    return Long.compareUnsigned(a.pathId(), b.pathId()) < 0;
  }

  private void flushAll() {
    for (In in : List.copyOf(peers.values())) {
      flush(in);
    }
  }

  private void flush(In in) {
    while (in.out.hasChanges() && in.session.isWritable()) {
      in.session.write(out -> in.out.write(out, RibSessions.BATCH));
    }
    if (!in.out.hasChanges() && endOfRibDue.remove(in) != null) {
      in.session.sendEndOfRib();
    }
  }

  @Override
  public void writable(PeerSession session) {
    In in = peers.get(session);
    if (in != null) {
      flush(in);
    }
  }

  @Override
  public void routeRefresh(PeerSession session) {
    In in = peers.get(session);
    if (in != null) {
      in.out.resendAll();
      endOfRibDue.put(in, Boolean.TRUE);
      flush(in);
    }
  }

  /**
   * A restarting peer (graceful restart) is treated as gone: the reflector keeps no stale routes,
   * so its clients never forward to a VTEP whose routes are in doubt.
   */
  @Override
  public void restarting(PeerSession session, SessionDown why) {
    down(session, why, true);
  }

  @Override
  public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
    In in = peers.remove(session);
    if (in == null) {
      return;
    }
    endOfRibDue.remove(in);
    List<EvpnRouteKey> changed = new ArrayList<>();
    for (Map.Entry<EvpnRouteKey, Entry> e : routes.entrySet()) {
      if (e.getValue().remove(in, -1)) {
        changed.add(e.getKey());
      }
    }
    for (EvpnRouteKey key : changed) {
      select(key);
    }
    flushAll();
  }

  /** Returns the best path's attributes of a route as held (for tests and tools), or null. */
  @Nullable PathAttributes bestAttributes(EvpnRoute route) {
    Entry e = routes.get(EvpnRouteKey.of(route));
    Path p = e == null ? null : e.best;
    return p == null ? null : p.attributes();
  }
}
