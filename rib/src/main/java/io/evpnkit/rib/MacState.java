package io.evpnkit.rib;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A MAC's state in one bridge domain: 40 bytes for the usual MAC, one remote route and nothing
 * else; what few MACs have (local learning, several remote routes, moves) is in {@link Extras}.
 */
final class MacState {
  final long mac;
  // the remote route of the MAC (the Loc-RIB's best path of the route key naming it), kept as its
  // route (identity
  // by key, EvpnRouteKey.sameKey) and value; with two or more, they are in extras.more by built key
  @Nullable EvpnRoute oneRoute;
  @Nullable RemoteMac one;
  // where the MAC is: its local port (a String) or the VTEP of the winning remote route (an
  // IpAddress); both are
  // instances held anyway, so the location costs one reference
  @Nullable Object at;
  @Nullable Destination programmed; // what the forwarding table was told
  @Nullable Extras extras;

  MacState(long mac) {
    this.mac = mac;
  }

  Extras extras() {
    Extras e = extras;
    if (e == null) {
      e = new Extras();
      extras = e;
    }
    return e;
  }

  @Nullable LocalMac local() {
    Extras e = extras;
    return e == null ? null : e.local;
  }

  void local(@Nullable LocalMac value) {
    if (value != null || extras != null) {
      extras().local = value;
    }
  }

  MacMobility.@Nullable MoveHistory history() {
    Extras e = extras;
    return e == null ? null : e.history;
  }

  void history(MacMobility.@Nullable MoveHistory value) {
    if (value != null || extras != null) {
      extras().history = value;
    }
  }

  @Nullable Map<EvpnRouteKey, RemoteMac> more() {
    Extras e = extras;
    return e == null ? null : e.more;
  }

  void putRemote(EvpnRoute route, RemoteMac r) {
    Map<EvpnRouteKey, RemoteMac> m = more();
    EvpnRoute r1 = oneRoute;
    if (m != null) {
      m.put(EvpnRouteKey.of(route), r);
    } else if (r1 == null || EvpnRouteKey.sameKey(r1, route)) {
      oneRoute = route;
      one = r;
    } else {
      m = new HashMap<>(4);
      m.put(EvpnRouteKey.of(r1), java.util.Objects.requireNonNull(one));
      m.put(EvpnRouteKey.of(route), r);
      extras().more = m;
      oneRoute = null;
      one = null;
    }
  }

  void removeRemote(EvpnRoute route) {
    Map<EvpnRouteKey, RemoteMac> m = more();
    if (m != null) {
      m.remove(EvpnRouteKey.of(route));
      if (m.size() == 1) {
        Map.Entry<EvpnRouteKey, RemoteMac> e = m.entrySet().iterator().next();
        oneRoute = e.getKey().route();
        one = e.getValue();
        extras().more = null;
      }
    } else {
      EvpnRoute r1 = oneRoute;
      if (r1 != null && EvpnRouteKey.sameKey(r1, route)) {
        oneRoute = null;
        one = null;
      }
    }
  }

  boolean isLocal() {
    return at instanceof String;
  }

  boolean isRemote() {
    return at instanceof IpAddress;
  }

  boolean frozen() {
    MacMobility.MoveHistory h = history();
    return h != null && h.frozen;
  }

  /** The location as events show it: {@code local PORT} or {@code remote VTEP}. */
  static @Nullable String location(@Nullable Object at) {
    return at == null ? null : (at instanceof String ? "local " : "remote ") + at;
  }

  /** What few MACs have: a local learning, two or more remote routes, a move history. */
  static final class Extras {
    @Nullable LocalMac local;
    @Nullable Map<EvpnRouteKey, RemoteMac> more;
    MacMobility.@Nullable MoveHistory history; // from the first move on
  }

  /**
   * The winning remote route of the MAC: the one of the highest sequence number, equal numbers to
   * the lowest VTEP (RFC 7432 §15.1), a sticky route before any other (§15.2); {@code null} without
   * one.
   */
  @Nullable RemoteMac bestRemote() {
    Map<EvpnRouteKey, RemoteMac> more = more();
    if (more == null) {
      return one; // the usual case: one remote route, nothing to choose
    }
    RemoteMac best = null;
    for (RemoteMac r : more.values()) {
      if (best == null
          || MacMobility.better(r.sequence(), r.vtep(), best.sequence(), best.vtep())) {
        best = r;
      }
    }
    for (RemoteMac r : more.values()) {
      if (r.sticky() && (best == null || !best.sticky())) {
        best = r;
      }
    }
    return best;
  }
}
