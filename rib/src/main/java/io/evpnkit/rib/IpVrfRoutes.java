package io.evpnkit.rib;

import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.IpPrefix;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes of the IP-VRFs: symmetric IRB host routes (RFC 9135 §5: a MAC/IP route's second label
 * is the L3 VNI) and IP prefix routes (RFC 9136), in the interface-less model (§4.4.1: the route's
 * own next hop and router MAC) and the gateway-IP model (§4.2: resolved recursively through the
 * MAC/IP route of the gateway, and again whenever that route changes). Of several EVPN routes for
 * one prefix of one VRF, the one of the lowest next hop is installed.
 */
final class IpVrfRoutes {
  private record GatewayKey(String vrf, IpAddress gateway) {}

  private record Dependent(Instance instance, IpPrefix prefix, int vni) {}

  private record Resolution(IpAddress vtep, @Nullable MacAddress routerMac) {}

  private final FibState fib;
  private final IpAddress localVtep;
  private final Map<ForwardingOp.RouteKey, Map<EvpnRouteKey, ForwardingOp.SetRoute>> routes =
      new HashMap<>();
  private final Map<GatewayKey, Map<EvpnRouteKey, Resolution>> gateways = new HashMap<>();
  private final Map<GatewayKey, Map<EvpnRouteKey, Dependent>> dependents = new HashMap<>();

  IpVrfRoutes(FibState fib, IpAddress localVtep) {
    this.fib = fib;
    this.localVtep = localVtep;
  }

  /**
   * A MAC/IP route with an IP address entered IP-VRF {@code inst} (or left it): its host route when
   * it carries an L3 VNI ({@code l3Vni} >= 0), and the way to its IP for the type 5 routes that
   * name it as their gateway.
   */
  void macIpRoute(
      Instance inst,
      EvpnRouteKey key,
      IpAddress ip,
      IpAddress hop,
      int l3Vni,
      @Nullable MacAddress routerMac,
      boolean add) {
    if (l3Vni >= 0) {
      route(inst, key, IpPrefix.of(ip, ip.bitLength()), hop, l3Vni, routerMac, add);
    }
    GatewayKey g = new GatewayKey(inst.name(), ip);
    Map<EvpnRouteKey, Resolution> m = gateways.computeIfAbsent(g, k -> new HashMap<>());
    if (add) {
      m.put(key, new Resolution(hop, routerMac));
    } else {
      m.remove(key);
      if (m.isEmpty()) {
        gateways.remove(g);
      }
    }
    Map<EvpnRouteKey, Dependent> deps = dependents.get(g);
    if (deps != null) {
      Resolution best = resolution(g);
      deps.forEach((k, d) -> install(k, d, best));
    }
  }

  /** An IP prefix route entered IP-VRF {@code inst} (or left it). */
  void prefixRoute(
      Instance inst,
      EvpnRouteKey key,
      IpPrefixRoute ip,
      IpAddress hop,
      @Nullable MacAddress routerMac,
      boolean add) {
    IpPrefix prefix = IpPrefix.of(ip.prefix(), ip.prefixLength());
    if (isZero(ip.gateway())) { // interface-less model (RFC 9136 §4.4.1)
      route(inst, key, prefix, hop, ip.label().vni(), routerMac, add);
      return;
    }
    GatewayKey g = new GatewayKey(inst.name(), ip.gateway());
    Map<EvpnRouteKey, Dependent> deps = dependents.computeIfAbsent(g, k -> new HashMap<>());
    Dependent d = new Dependent(inst, prefix, ip.label().vni());
    if (add) {
      deps.put(key, d);
      install(key, d, resolution(g));
    } else {
      install(key, d, null);
      deps.remove(key);
      if (deps.isEmpty()) {
        dependents.remove(g);
      }
    }
  }

  private static boolean isZero(IpAddress a) {
    return a.isIpv6() ? a.high() == 0 && a.low() == 0 : a.ipv4() == 0;
  }

  /** How a gateway IP resolves: through the MAC/IP route of the lowest VTEP, or {@code null}. */
  private @Nullable Resolution resolution(GatewayKey g) {
    Resolution best = null;
    Map<EvpnRouteKey, Resolution> m = gateways.get(g);
    if (m != null) {
      for (Resolution r : m.values()) {
        if (best == null || r.vtep().compareTo(best.vtep()) < 0) {
          best = r;
        }
      }
    }
    return best;
  }

  /**
   * Installs a gateway-IP type 5 route through its gateway's resolution, or removes it ({@code
   * null}).
   */
  private void install(EvpnRouteKey key, Dependent d, @Nullable Resolution best) {
    if (best != null) {
      route(d.instance(), key, d.prefix(), best.vtep(), d.vni(), best.routerMac(), true);
    } else {
      route(d.instance(), key, d.prefix(), localVtep, d.vni(), null, false);
    }
  }

  private void route(
      Instance inst,
      EvpnRouteKey key,
      IpPrefix prefix,
      IpAddress hop,
      int vni,
      @Nullable MacAddress routerMac,
      boolean add) {
    ForwardingOp.RouteKey rk = new ForwardingOp.RouteKey(inst.name(), prefix);
    Map<EvpnRouteKey, ForwardingOp.SetRoute> byRoute =
        routes.computeIfAbsent(rk, k -> new HashMap<>());
    if (add) {
      byRoute.put(key, new ForwardingOp.SetRoute(inst.name(), prefix, hop, vni, routerMac));
    } else {
      byRoute.remove(key);
    }
    ForwardingOp.SetRoute chosen = null;
    for (ForwardingOp.SetRoute r : byRoute.values()) {
      if (chosen == null || r.nextHop().compareTo(chosen.nextHop()) < 0) {
        chosen = r;
      }
    }
    if (chosen == null) {
      routes.remove(rk);
      fib.remove(new ForwardingOp.RemoveRoute(inst.name(), prefix));
    } else {
      fib.set(chosen);
    }
  }
}
