package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded route events of an EVPN fabric, for properties of RIBs (evpnkit's and yours): a scenario
 * is a set of routes of one bridge domain from 2-4 PEs (MAC/IP routes with and without IP, MAC
 * mobility sequence numbers and Ethernet segments, inclusive multicast routes with ingress
 * replication, per-ES A-D routes with the ESI Label community, one segment single-active in half
 * the scenarios, and per-EVI A-D routes), each held by one or two route reflectors (the same route
 * reflected twice), and noise: routes announced and later withdrawn. Any {@link
 * Scenario#interleaving interleaving} of its events must leave a RIB in the same state, the one the
 * final routes alone describe. The same seed gives the same scenario; a failing case is rebuilt
 * from its seed alone.
 *
 * @since 0.1
 */
@Beta
public final class RouteEventGenerator {
  private static final EthernetSegmentIdentifier[] ESIS = {
    EthernetSegmentIdentifier.ZERO,
    EthernetSegmentIdentifier.parse("00:11:11:11:11:11:11:11:11:11"),
    EthernetSegmentIdentifier.parse("00:22:22:22:22:22:22:22:22:22")
  };

  private RouteEventGenerator() {}

  /**
   * One event: peer {@code peer} (an index, 0 to peers - 1) announces or withdraws a route.
   *
   * @param peer the index of the peer (a route reflector) sending it
   * @param announce true for an announcement, false for a withdrawal
   * @param route the route
   * @param attributes its attributes (those it was announced with, for a withdrawal)
   */
  public record Event(int peer, boolean announce, EvpnRoute route, PathAttributes attributes) {}

  /**
   * A generated scenario.
   *
   * @param seed the seed it was generated from
   * @param peers the number of peers (route reflectors) sending events
   * @param finals the routes that stay, with their attributes (each route key once)
   * @param noise the routes announced and later withdrawn, with their attributes
   * @param holders for every route, the peers that send it (one or two)
   */
  public record Scenario(
      long seed,
      int peers,
      Map<EvpnRoute, PathAttributes> finals,
      Map<EvpnRoute, PathAttributes> noise,
      Map<EvpnRoute, List<Integer>> holders) {
    /** Copies the maps (unmodifiable, in generation order). */
    public Scenario {
      finals = Collections.unmodifiableMap(new LinkedHashMap<>(finals));
      noise = Collections.unmodifiableMap(new LinkedHashMap<>(noise));
      Map<EvpnRoute, List<Integer>> h = new LinkedHashMap<>();
      holders.forEach((r, l) -> h.put(r, List.copyOf(l)));
      holders = Collections.unmodifiableMap(h);
    }

    /**
     * A random interleaving of the scenario's events: every holder's announcement of every route,
     * and for a noise route its withdrawal later from the same peer; each peer's own events in an
     * order of their own, the peers' streams merged at random. Different {@code orderSeed}s give
     * different orders of the same events.
     */
    public List<Event> interleaving(long orderSeed) {
      Random r = new Random(orderSeed);
      List<List<Event>> perPeer = new ArrayList<>();
      for (int p = 0; p < peers; p++) {
        perPeer.add(new ArrayList<>());
      }
      holders.forEach(
          (route, peerList) -> {
            PathAttributes a =
                java.util.Objects.requireNonNull(finals.getOrDefault(route, noise.get(route)));
            for (int p : peerList) {
              List<Event> l = perPeer.get(p);
              int at = r.nextInt(l.size() + 1);
              l.add(at, new Event(p, true, route, a));
              if (noise.containsKey(route)) {
                l.add(at + 1 + r.nextInt(l.size() - at), new Event(p, false, route, a));
              }
            }
          });
      List<Event> out = new ArrayList<>();
      perPeer.removeIf(List::isEmpty);
      while (!perPeer.isEmpty()) {
        List<Event> q = perPeer.get(r.nextInt(perPeer.size()));
        out.add(q.remove(0));
        if (q.isEmpty()) {
          perPeer.remove(q);
        }
      }
      return out;
    }
  }

  /**
   * Attributes of a route from {@code pe}: next hop, the target, VXLAN encapsulation, and the
   * sequence if not 0.
   */
  public static PathAttributes attributes(
      IpAddress pe, ExtendedCommunity routeTarget, long sequence) {
    PathAttributes.Builder b =
        PathAttributes.builder()
            .nextHop(pe)
            .localPref(100)
            .addExtendedCommunity(routeTarget)
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8));
    if (sequence > 0) {
      b.addExtendedCommunity(ExtendedCommunity.macMobility(sequence, false));
    }
    return b.build();
  }

  /**
   * Generates a scenario of bridge domain {@code vni} (Ethernet tag 0, routes carrying {@code
   * routeTarget}) sent by {@code peers} route reflectors; the PEs are 10.0.0.2 and up.
   */
  public static Scenario generate(long seed, int peers, int vni, ExtendedCommunity routeTarget) {
    if (peers < 1) {
      throw new IllegalArgumentException("at least one peer");
    }
    Random r = new Random(seed);
    int pes = 2 + r.nextInt(3);
    List<IpAddress> vteps = new ArrayList<>();
    for (int i = 0; i < pes; i++) {
      vteps.add(IpAddress.ofIpv4(0x0A00_0002 + i));
    }
    Map<EvpnRoute, PathAttributes> all = new LinkedHashMap<>();
    int macs = 1 + r.nextInt(6);
    Map<String, Object[]> perPeMac =
        new HashMap<>(); // a PE gives all its routes of a MAC one ESI and sequence
    for (int i = 0; i < macs * 2; i++) {
      IpAddress pe = vteps.get(r.nextInt(pes));
      MacAddress mac = MacAddress.of(0x0200_0000_0000L + r.nextInt(macs));
      Object[] chosen =
          perPeMac.computeIfAbsent(
              pe + " " + mac,
              k -> new Object[] {ESIS[r.nextInt(ESIS.length)], (long) r.nextInt(3)});
      all.put(
          new MacIpAdvertisementRoute(
              RouteDistinguisher.parse(pe + ":1"),
              (EthernetSegmentIdentifier) chosen[0],
              EthernetTag.ZERO,
              mac,
              r.nextBoolean() ? IpAddress.ofIpv4(0x0A01_0000 + r.nextInt(macs)) : null,
              LabelField.ofVni(vni),
              null),
          attributes(pe, routeTarget, (Long) chosen[1]));
    }
    boolean singleActive =
        r.nextBoolean(); // the first segment single-active (RFC 7432 §8.4), or every one all-active
    for (IpAddress pe : vteps) {
      if (r.nextInt(4) > 0) {
        all.put(
            new InclusiveMulticastRoute(RouteDistinguisher.parse(pe + ":1"), EthernetTag.ZERO, pe),
            attributes(pe, routeTarget, 0).toBuilder()
                .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(vni), pe))
                .build());
      }
      for (EthernetSegmentIdentifier esi : ESIS) {
        if (esi.isZero()) {
          continue;
        }
        if (r.nextBoolean()) {
          all.put(
              EthernetAutoDiscoveryRoute.perEthernetSegment(
                  RouteDistinguisher.parse(pe + ":0"), esi),
              attributes(pe, routeTarget, 0).toBuilder()
                  .addExtendedCommunity(
                      ExtendedCommunity.esiLabel(0, singleActive && esi.equals(ESIS[1])))
                  .build());
        }
        if (r.nextBoolean()) {
          all.put(
              EthernetAutoDiscoveryRoute.perEvi(
                  RouteDistinguisher.parse(pe + ":1"),
                  esi,
                  EthernetTag.ZERO,
                  LabelField.ofVni(vni)),
              attributes(pe, routeTarget, 0));
        }
      }
    }
    // a route key generated twice (MAC/IP routes colliding) keeps its last attributes: one route
    // per key
    Map<EvpnRouteKey, EvpnRoute> byKey = new HashMap<>();
    Map<EvpnRoute, PathAttributes> unique = new LinkedHashMap<>();
    all.forEach(
        (route, a) -> {
          EvpnRoute old = byKey.put(EvpnRouteKey.of(route), route);
          if (old != null) {
            unique.remove(old);
          }
          unique.put(route, a);
        });
    Map<EvpnRoute, PathAttributes> finals = new LinkedHashMap<>();
    Map<EvpnRoute, PathAttributes> noise = new LinkedHashMap<>();
    Map<EvpnRoute, List<Integer>> holders = new LinkedHashMap<>();
    unique.forEach(
        (route, a) -> {
          if (r.nextInt(4)
              == 0) { // noise, with attributes of its own (another PE, another sequence)
            noise.put(
                route,
                attributes(
                    IpAddress.ofIpv4(0x0A00_0002 + r.nextInt(4)), routeTarget, r.nextInt(3)));
          } else {
            finals.put(route, a);
          }
          List<Integer> h = new ArrayList<>(List.of(r.nextInt(peers)));
          if (r.nextBoolean()) {
            int other = r.nextInt(peers);
            if (!h.contains(other)) {
              h.add(other); // reflected by a second route reflector
            }
          }
          holders.put(route, h);
        });
    return new Scenario(seed, peers, finals, noise, holders);
  }
}
