package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.RouteTargets;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import io.evpnkit.testkit.RouteEventGenerator;
import io.evpnkit.testkit.RouteEventGenerator.Event;
import io.evpnkit.testkit.RouteEventGenerator.Scenario;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property of the RIB: any interleaving of the same route events from several peers (testkit's
 * {@link RouteEventGenerator}: the final routes, plus routes announced and later withdrawn, and the
 * same routes reflected by two route reflectors) converges to the same forwarding state, equal to a
 * reference model written here; after every single event, no MAC points to a VTEP none of whose
 * routes is held, and each flood list equals the inclusive multicast routes held. Seeded: the case
 * name is its seed; {@code -Devpnkit.seed=<hex>} changes the run, {@code -Devpnkit.cases=N} its
 * size.
 */
@SuppressWarnings("NullAway") // map lookups of keys the test itself put
class RibConvergenceTest {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65000:1; auto; } }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      """;
  static final Peer[] PEERS = {
    new Peer(IpAddress.parse("10.0.0.100"), 100, false),
    new Peer(IpAddress.parse("10.0.0.101"), 101, false),
    new Peer(IpAddress.parse("10.0.0.102"), 102, false)
  };

  static PathAttributes attrs(IpAddress pe, long seq) {
    return RouteEventGenerator.attributes(pe, RouteTargets.auto(65000, 100), seq);
  }

  static Scenario generate(long seed) {
    return RouteEventGenerator.generate(seed, PEERS.length, 100, RouteTargets.auto(65000, 100));
  }

  /** What the forwarding table should say of every MAC and flood list (reference model). */
  static Map<String, List<IpAddress>> model(Scenario c) {
    Map<String, List<IpAddress>> out = new TreeMap<>();
    Map<EthernetSegmentIdentifier, Set<IpAddress>> perEs = new HashMap<>();
    Map<EthernetSegmentIdentifier, Set<IpAddress>> perEvi = new HashMap<>();
    Set<IpAddress> flood = new TreeSet<>();
    Set<EthernetSegmentIdentifier> singleActive = new HashSet<>();
    c.finals()
        .forEach(
            (route, a) -> {
              IpAddress hop = a.nextHop();
              if (route instanceof EthernetAutoDiscoveryRoute ad) {
                (ad.isPerEthernetSegment() ? perEs : perEvi)
                    .computeIfAbsent(ad.esi(), k -> new HashSet<>())
                    .add(hop);
                if (ad.isPerEthernetSegment()
                    && a.extendedCommunities().contains(ExtendedCommunity.esiLabel(0, true))) {
                  singleActive.add(ad.esi());
                }
              } else if (route instanceof InclusiveMulticastRoute) {
                flood.add(hop);
              }
            });
    if (!flood.isEmpty()) {
      out.put("flood", new ArrayList<>(flood));
    }
    Map<MacAddress, MacIpAdvertisementRoute> winner = new HashMap<>();
    Map<MacAddress, long[]> winnerSeq = new HashMap<>();
    c.finals()
        .forEach(
            (route, a) -> {
              if (route instanceof MacIpAdvertisementRoute m) {
                long seq = 0;
                for (ExtendedCommunity e : a.extendedCommunities()) {
                  if (e.type() == 0x06 && e.subType() == 0) {
                    seq = e.value() & 0xFFFF_FFFFL;
                  }
                }
                IpAddress hop = a.nextHop();
                MacIpAdvertisementRoute w = winner.get(m.mac());
                long[] ws = winnerSeq.get(m.mac());
                boolean better =
                    w == null
                        || seq > ws[0]
                        || (seq == ws[0]
                            && hop != null
                            && hop.compareTo(IpAddress.ofIpv4((int) ws[1])) < 0);
                if (better && hop != null) {
                  winner.put(m.mac(), m);
                  winnerSeq.put(m.mac(), new long[] {seq, hop.ipv4() & 0xFFFF_FFFFL});
                }
              }
            });
    winner.forEach(
        (mac, m) -> {
          IpAddress vtep = IpAddress.ofIpv4((int) winnerSeq.get(mac)[1]);
          if (m.esi().isZero()) {
            out.put("mac " + mac, List.of(vtep));
            return;
          }
          // the aliases: the PEs with a per-EVI and a per-ES route (RFC 7432 §8.4)
          Set<IpAddress> es = perEs.getOrDefault(m.esi(), Set.of());
          List<IpAddress> members = new ArrayList<>();
          for (IpAddress a : new TreeSet<>(perEvi.getOrDefault(m.esi(), Set.of()))) {
            if (es.contains(a)) {
              members.add(a);
            }
          }
          // attached: a per-ES route of its own, or none from any PE; a PE that withdrew it is not
          // (RFC 7432 §8.2)
          boolean attached = es.isEmpty() || es.contains(vtep);
          List<IpAddress> paths;
          if (singleActive.contains(m.esi())) {
            // single-active (RFC 7432 §8.4, §14.1.1): the advertising PE while attached; else its
            // one backup, and with
            // several backups none (unknown unicast floods until the new primary advertises the
            // MAC)
            paths = attached ? List.of(vtep) : members.size() == 1 ? members : List.of();
          } else if (attached) {
            // all-active: the advertising PE is always among the paths, with the aliases
            TreeSet<IpAddress> all = new TreeSet<>(members);
            all.add(vtep);
            paths = new ArrayList<>(all);
          } else {
            paths = members; // mass withdraw: never the PE that withdrew its per-ES route
          }
          if (!paths.isEmpty()) {
            out.put("mac " + mac, paths);
          }
        });
    return out;
  }

  static Map<String, List<IpAddress>> observed(InMemoryForwardingTable t) {
    Map<String, List<IpAddress>> out = new TreeMap<>();
    if (!t.flood(100).isEmpty()) {
      out.put("flood", t.flood(100));
    }
    for (ForwardingOp.MacKey k : t.macs().keySet()) {
      out.put("mac " + k.mac(), t.vteps(k.vni(), k.mac()));
    }
    return out;
  }

  @TestFactory
  Stream<DynamicTest> anyInterleavingConvergesToTheReferenceModel() {
    long runSeed = Seeds.runSeed();
    Random seeds = new Random(runSeed);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < Seeds.cases(200); i++) {
      long seed = seeds.nextLong();
      tests.add(
          DynamicTest.dynamicTest(String.format("case %016x", seed), () -> check(generate(seed))));
    }
    return tests.stream();
  }

  static void check(Scenario c) {
    Map<String, List<IpAddress>> expected = model(c);
    for (int order = 0; order < 3; order++) {
      InMemoryForwardingTable table = new InMemoryForwardingTable();
      try (EvpnRib rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, table).build()) {
        Map<Peer, Map<EvpnRouteKey, PathAttributes>> held = new HashMap<>();
        for (Event e : c.interleaving(c.seed() * 7 + order)) {
          Peer peer = PEERS[e.peer()];
          Map<EvpnRouteKey, PathAttributes> mine = held.computeIfAbsent(peer, k -> new HashMap<>());
          if (e.announce()) {
            rib.announce(peer, 0, e.route(), e.attributes());
            mine.put(EvpnRouteKey.of(e.route()), e.attributes());
          } else {
            rib.withdraw(peer, 0, e.route());
            mine.remove(EvpnRouteKey.of(e.route()));
          }
          invariants(table, held, e);
        }
        assertEquals(expected, observed(table), "order " + order);
      }
    }
  }

  /** After each event: every VTEP a MAC or flood list points to has a route held by some peer. */
  static void invariants(
      InMemoryForwardingTable t, Map<Peer, Map<EvpnRouteKey, PathAttributes>> held, Event e) {
    Set<IpAddress> hops = new HashSet<>();
    held.values()
        .forEach(
            m ->
                m.values()
                    .forEach(
                        a -> {
                          if (a.nextHop() != null) {
                            hops.add(a.nextHop());
                          }
                        }));
    for (ForwardingOp.MacKey k : t.macs().keySet()) {
      for (IpAddress v : t.vteps(k.vni(), k.mac())) {
        assertTrue(
            hops.contains(v),
            () -> "after " + e + ": MAC " + k + " points to " + v + " with no route");
      }
    }
    for (IpAddress v : t.flood(100)) {
      assertTrue(hops.contains(v), () -> "after " + e + ": flood list has " + v);
    }
  }

  /**
   * Invariant of DF election: the PEs of one Ethernet segment, each a RIB of its own, learning each
   * other's ES routes in random order (some PEs joining late, some leaving), agree after the
   * election timer: exactly one DF per (segment, VLAN), and it is a PE that is on the segment; with
   * every algorithm (modulo, HRW, preference with random and often equal preferences) and with PEs
   * configured with different ones (all fall back to modulo).
   */
  @TestFactory
  Stream<DynamicTest> exactlyOneDesignatedForwarderPerSegmentAndVlan() {
    long runSeed = Seeds.runSeed();
    Random seeds = new Random(runSeed ^ 0xDF);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < Seeds.cases(100); i++) {
      long seed = seeds.nextLong();
      tests.add(
          DynamicTest.dynamicTest(
              String.format("segment case %016x", seed), () -> electionCase(seed)));
    }
    return tests.stream();
  }

  static void electionCase(long seed) {
    Random r = new Random(seed);
    int n = 2 + r.nextInt(4);
    String esi = "00:44:44:44:44:44:44:44:44:44";
    String config =
        """
        routing-options { autonomous-system 65000; }
        interfaces { ae0 { esi { %s; all-active; %s } unit 0 { family ethernet-switching { interface-mode trunk;
            vlan { members [ v100 v101 v102 ]; } } } } }
        switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65000:1; auto; } }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } v101 { vlan-id 101; vxlan { vni 101; } }
                v102 { vlan-id 102; vxlan { vni 102; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
        """;
    // the algorithm: modulo, HRW or preference on every PE, or (one case in four) mixed, which
    // means modulo
    String[] algorithms = {"", "df-election-type hrw;", "df-election-type preference value %d;"};
    int algorithm = r.nextInt(3);
    boolean mixed = r.nextInt(4) == 0;
    List<Integer> chosenAlgorithms = new ArrayList<>();
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    List<IpAddress> pes = new ArrayList<>();
    List<EvpnRib> ribs = new ArrayList<>();
    List<List<Object[]>> originated = new ArrayList<>(); // per PE: its ES route announcements
    List<Integer> hosts = new ArrayList<>();
    for (int h = 16; h < 240; h++) {
      hosts.add(h);
    }
    java.util.Collections.shuffle(hosts, r); // distinct addresses, in random order
    for (int i = 0; i < n; i++) {
      IpAddress pe = IpAddress.ofIpv4(0x0A00_0000 + hosts.get(i));
      pes.add(pe);
      List<Object[]> mine = new ArrayList<>();
      originated.add(mine);
      int chosen = mixed ? r.nextInt(3) : algorithm;
      chosenAlgorithms.add(chosen);
      String df = algorithms[chosen].formatted(r.nextInt(4) * 100);
      ribs.add(
          EvpnRib.builder(
                  VtepConfig.parse(config.formatted(esi, df)), pe, new InMemoryForwardingTable())
              .clock(clock::get)
              .routeSink(
                  new io.evpnkit.rib.RouteSink() {
                    @Override
                    public void announce(EvpnRoute route, PathAttributes attributes) {
                      if (route instanceof io.evpnkit.evpn.EthernetSegmentRoute) {
                        mine.add(new Object[] {route, attributes});
                      }
                    }

                    @Override
                    public void withdraw(EvpnRoute route) {}
                  })
              .build());
    }
    // deliver every PE's ES route to every other PE, in a random order; one PE may leave again
    List<int[]> deliveries = new ArrayList<>();
    for (int from = 0; from < n; from++) {
      for (int to = 0; to < n; to++) {
        if (from != to) {
          deliveries.add(new int[] {from, to});
        }
      }
    }
    java.util.Collections.shuffle(deliveries, r);
    Peer rr = new Peer(IpAddress.parse("10.0.0.250"), 250, false);
    for (int[] d : deliveries) {
      for (Object[] es : originated.get(d[0])) {
        ribs.get(d[1]).announce(rr, d[0], (EvpnRoute) es[0], (PathAttributes) es[1]);
      }
    }
    int leaving = n > 2 && r.nextBoolean() ? r.nextInt(n) : -1;
    if (leaving >= 0) {
      for (int to = 0; to < n; to++) {
        if (to != leaving) {
          for (Object[] es : originated.get(leaving)) {
            ribs.get(to).withdraw(rr, leaving, (EvpnRoute) es[0]);
          }
        }
      }
    }
    clock.addAndGet(java.time.Duration.ofSeconds(3).toNanos());
    ribs.forEach(EvpnRib::tick);
    io.evpnkit.evpn.EthernetSegmentIdentifier segment =
        io.evpnkit.evpn.EthernetSegmentIdentifier.parse(esi);
    java.util.Set<Integer> staying = new java.util.HashSet<>();
    for (int i = 0; i < n; i++) {
      if (i != leaving) {
        staying.add(chosenAlgorithms.get(i));
      }
    }
    io.evpnkit.policy.DfElection.Algorithm agreed =
        staying.size() == 1
            ? List.of(
                    io.evpnkit.policy.DfElection.Algorithm.MODULO,
                    io.evpnkit.policy.DfElection.Algorithm.HRW,
                    io.evpnkit.policy.DfElection.Algorithm.PREFERENCE)
                .get(staying.iterator().next())
            : io.evpnkit.policy.DfElection.Algorithm.MODULO;
    for (int i = 0; i < n; i++) {
      if (i != leaving) {
        assertEquals(
            agreed,
            ribs.get(i).designatedForwarderAlgorithm(segment),
            "the algorithm all PEs advertise");
      }
    }
    for (int vlan = 100; vlan <= 102; vlan++) {
      int claims = 0;
      java.util.Set<IpAddress> answers = new java.util.HashSet<>();
      for (int i = 0; i < n; i++) {
        if (i == leaving) {
          continue;
        }
        IpAddress df = ribs.get(i).designatedForwarder(segment, vlan);
        answers.add(df);
        claims += pes.get(i).equals(df) ? 1 : 0;
      }
      assertEquals(
          1, answers.size(), "the PEs that stay agree on the DF of VLAN " + vlan + ": " + answers);
      assertEquals(1, claims, "exactly one DF for VLAN " + vlan);
    }
    ribs.forEach(EvpnRib::close);
  }
}
