package io.evpnkit.rib;

import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * One bridge domain (a VNI of a MAC-VRF): its MACs, the IP-to-MAC bindings behind ARP/ND
 * suppression (RFC 9161) with their duplicate-IP history, and its flood list (RFC 8365 §9: the
 * remote VTEPs of its inclusive multicast routes with ingress replication). The RIB decides; this
 * holds the state and answers the questions about it.
 */
final class BridgeDomain {
  final int vni;

  /** The MACs, keyed by their 48 bits (no key or entry objects for a million MACs). */
  final MacTable macs = new MacTable();

  // per IP, the remote MAC/IP routes naming it: the route itself while it is the only one (the
  // usual
  // case: one object held anyway, no map per IP), else a map from each route's key to its MAC
  private final Map<IpAddress, Object> remoteBindings = new HashMap<>();
  // per IP, the MAC it was seen at here (ARP/ND snooping)
  private final Map<IpAddress, MacAddress> localBindings = new HashMap<>();
  // IP addresses whose ARP/ND answer changed MAC (RFC 9161 duplicate IP detection)
  final Map<IpAddress, MacMobility.MoveHistory> ipMoves = new HashMap<>();
  // per remote VTEP, the inclusive multicast routes naming it
  private final Map<IpAddress, Integer> floods = new HashMap<>();

  BridgeDomain(int vni) {
    this.vni = vni;
  }

  /**
   * The MACs of one bridge domain, keyed by the 48 bits each state carries (no key or entry
   * objects).
   */
  static final class MacTable extends ObjectTable<MacState> {
    private int find(long mac) {
      return findLong(mac, st -> st.mac);
    }

    @Nullable MacState get(long mac) {
      int i = find(mac);
      return i < 0 ? null : at(i);
    }

    MacState getOrAdd(long mac) {
      MacState st = get(mac);
      if (st == null) {
        st = new MacState(mac);
        add(st, hashLong(mac));
      }
      return st;
    }

    void remove(long mac) {
      int i = find(mac);
      if (i >= 0) {
        removeAt(i);
      }
    }
  }

  /**
   * A remote MAC/IP route binds its IP to its MAC ({@code add}), or no more. The route's key (RFC
   * 7432 §7.2: RD, Ethernet tag, MAC, IP) tells routes apart; announcing a route again is no second
   * binding.
   */
  void bindRemote(MacIpAdvertisementRoute route, boolean add) {
    IpAddress ip = java.util.Objects.requireNonNull(route.ip(), "a MAC/IP route's IP");
    Object held = remoteBindings.get(ip);
    if (add) {
      if (held == null) {
        remoteBindings.put(ip, route);
      } else if (held instanceof MacIpAdvertisementRoute one) {
        if (EvpnRouteKey.sameKey(one, route)) {
          remoteBindings.put(ip, route);
        } else {
          Map<EvpnRouteKey, MacAddress> m = new HashMap<>(4);
          m.put(EvpnRouteKey.of(one), one.mac());
          m.put(EvpnRouteKey.of(route), route.mac());
          remoteBindings.put(ip, m);
        }
      } else {
        several(held).put(EvpnRouteKey.of(route), route.mac());
      }
    } else if (held instanceof MacIpAdvertisementRoute one) {
      if (EvpnRouteKey.sameKey(one, route)) {
        remoteBindings.remove(ip);
      }
    } else if (held != null) {
      Map<EvpnRouteKey, MacAddress> m = several(held);
      m.remove(EvpnRouteKey.of(route));
      if (m.size() == 1) {
        remoteBindings.put(ip, (MacIpAdvertisementRoute) m.keySet().iterator().next().route());
      }
    }
  }

  @SuppressWarnings("unchecked") // the only other kind of value remoteBindings holds
  private static Map<EvpnRouteKey, MacAddress> several(Object held) {
    return (Map<EvpnRouteKey, MacAddress>) held;
  }

  /** Records that {@code ip} is seen here at {@code mac}. */
  void bindLocally(IpAddress ip, MacAddress mac) {
    localBindings.put(ip, mac);
  }

  /** Forgets that {@code ip} was seen here at {@code mac}; returns whether it was. */
  boolean forgetLocalBinding(IpAddress ip, MacAddress mac) {
    return localBindings.remove(ip, mac);
  }

  /**
   * The MAC that answers for {@code ip} (RFC 9161), or {@code null}: a local binding first (this
   * VTEP saw the host), else the remote binding whose MAC won with the highest sequence number (an
   * IP that moved to a new MAC, e.g. a re-created VM, is advertised with the newer MAC's route),
   * ties to the lowest MAC.
   */
  @Nullable MacAddress answerFor(IpAddress ip) {
    MacAddress chosen = localBindings.get(ip);
    if (chosen != null) {
      return chosen;
    }
    Object held = remoteBindings.get(ip);
    if (held == null) {
      return null;
    }
    if (held instanceof MacIpAdvertisementRoute one) {
      return one.mac();
    }
    long chosenSeq = -1;
    for (MacAddress mac : several(held).values()) {
      MacState st = macs.get(mac.value());
      RemoteMac r = st == null ? null : st.bestRemote();
      long seq = r == null ? 0 : r.sequence();
      if (chosen == null || seq > chosenSeq || (seq == chosenSeq && mac.compareTo(chosen) < 0)) {
        chosen = mac;
        chosenSeq = seq;
      }
    }
    return chosen;
  }

  /** Counts an inclusive multicast route naming remote VTEP {@code endpoint} in, or out. */
  void countFlood(IpAddress endpoint, boolean add) {
    SegmentGroups.count(floods, endpoint, add);
  }

  /** The flood list: every remote VTEP with an inclusive multicast route, in address order. */
  List<IpAddress> floodList() {
    return new ArrayList<>(new TreeSet<>(floods.keySet()));
  }
}
