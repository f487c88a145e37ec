package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.IpPrefix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Symmetric IRB and IP prefix origination as properties over seeded runs: a leaf's hosts come, gain
 * and lose addresses and go, in a routed bridge domain (VLAN 100, IRB in IP-VRF T5 with L3 VNI
 * 5000) and a bridged one (VLAN 200, no IRB), and the integrator adds and removes prefixes in T5;
 * what the leaf announces is relayed to another leaf of the same configuration after every step.
 * After every step:
 *
 * <ul>
 *   <li>the leaf's MAC/IP routes are exactly its hosts' addresses (RFC 7432 §7.2), and those of the
 *       routed domain, only those, carry label 2 = the L3 VNI, the Router's MAC community and the
 *       IP-VRF's target (RFC 9135 §5.1);
 *   <li>its IP prefix routes are exactly its IRB subnets and the prefixes added, each
 *       interface-less with the router MAC and the L3 VNI (RFC 9136 §4.4.1);
 *   <li>the other leaf's T5 holds exactly the routed hosts' /32 and /128 routes and the added
 *       prefixes, via our VTEP and router MAC on the L3 VNI (ingress optimisation, RFC 9135 §5.2):
 *       nothing withdrawn stays, nothing bridged-only appears.
 * </ul>
 *
 * Each failure names its seed and step; the inputs are small by construction (eight hosts, four
 * prefixes, at most two addresses a host).
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class SymmetricIrbPropertiesTest extends RibFixture {
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      interfaces {
          xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
          xe-0/0/2 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v200; } } } }
          irb { unit 100 { family inet { address 10.1.0.1/24; } family inet6 { address 2001:db8:1::1/64; } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:100; }
      vlans {
          v100 { vlan-id 100; l3-interface irb.100; vxlan { vni 100; } }
          v200 { vlan-id 200; vxlan { vni 200; } }
      }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      routing-instances {
          T5 { instance-type vrf; interface irb.100; route-distinguisher %1$s:5000; vrf-target target:65000:5000;
               protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } } }
      }
      """;

  static final int HOSTS = 8;
  static final int STEPS = 150;
  static final Set<IpPrefix> SUBNETS =
      Set.of(IpPrefix.parse("10.1.0.0/24"), IpPrefix.parse("2001:db8:1::/64"));
  static final ExtendedCommunity ROUTER_MAC =
      ExtendedCommunity.routerMac(SymmetricIrbOriginationTest.ROUTER_MAC);

  static LongStream seeds() {
    return LongStream.range(0, 40);
  }

  /** Host {@code i}: even ones in the routed VLAN 100, odd ones in the bridged VLAN 200. */
  static int vni(int i) {
    return i % 2 == 0 ? 100 : 200;
  }

  static MacAddress mac(int i) {
    return MacAddress.parse(String.format("02:00:00:00:01:%02x", i));
  }

  static IpAddress address(int i, boolean v6) {
    int subnet = vni(i) == 100 ? 1 : 2;
    return IpAddress.parse(
        v6 ? "2001:db8:" + subnet + "::" + (0x20 + i) : "10." + subnet + ".0." + (20 + i));
  }

  static IpPrefix added(int k) {
    return IpPrefix.parse("172.16." + k + ".0/24");
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void whatALeafOriginatesAndAnotherInstallsFollowsItsHostsAndPrefixes(long seed) {
    Random r = new Random(seed);
    SymmetricIrbOriginationTest.Announced ours = new SymmetricIrbOriginationTest.Announced();
    EvpnRib a = SymmetricIrbOriginationTest.leaf(LOCAL, ours, true, driver, CONFIG);
    Recording theirs = new Recording();
    EvpnRib b =
        SymmetricIrbOriginationTest.leaf(
            B, new SymmetricIrbOriginationTest.Announced(), true, theirs, CONFIG);
    Map<EvpnRoute, PathAttributes> relayed = new HashMap<>();
    Map<Integer, Set<IpAddress>> hosts = new LinkedHashMap<>(); // the model: present hosts
    Set<IpPrefix> prefixes = new HashSet<>();
    List<String> steps = new ArrayList<>();
    for (int step = 0; step < STEPS; step++) {
      int i = r.nextInt(HOSTS);
      int k = r.nextInt(4);
      int what = r.nextInt(10);
      Set<IpAddress> ips = hosts.get(i);
      if (what < 5) {
        int kind = r.nextInt(3);
        IpAddress ip = kind == 0 ? null : address(i, kind == 2);
        steps.add("learn " + mac(i) + " " + ip + " in " + vni(i));
        a.macLearned(vni(i), mac(i), vni(i) == 100 ? "xe-0/0/1.0" : "xe-0/0/2.0", ip);
        Set<IpAddress> now = hosts.computeIfAbsent(i, x -> new LinkedHashSet<>());
        if (ip != null) {
          now.add(ip);
        }
      } else if (what < 7 && ips != null && !ips.isEmpty()) {
        IpAddress ip = new ArrayList<>(ips).get(r.nextInt(ips.size()));
        steps.add("neighbour aged " + ip);
        a.neighborAged(vni(i), mac(i), ip);
        ips.remove(ip);
      } else if (what == 7 && ips != null) {
        steps.add("MAC aged " + mac(i));
        a.macAged(vni(i), mac(i));
        hosts.remove(i);
      } else if (what == 8) {
        steps.add("prefix added " + added(k));
        a.prefixAdded("T5", added(k), null);
        prefixes.add(added(k));
      } else if (what == 9) {
        steps.add("prefix removed " + added(k));
        a.prefixRemoved("T5", added(k));
        prefixes.remove(added(k));
      } else {
        continue;
      }
      relay(ours.routes, relayed, b);
      int at = step;
      Supplier<String> where =
          () -> "seed " + seed + ", step " + at + " (" + String.join("; ", steps) + ")";
      checkOrigination(ours.routes, hosts, prefixes, where);
      checkInstalled(theirs.table, hosts, prefixes, where);
    }
  }

  /** Passes what changed in {@code now} since {@code relayed} to {@code to}, as a peer would. */
  static void relay(
      Map<EvpnRoute, PathAttributes> now, Map<EvpnRoute, PathAttributes> relayed, EvpnRib to) {
    for (EvpnRoute gone : new ArrayList<>(relayed.keySet())) {
      if (!now.containsKey(gone)) {
        to.withdraw(RR, 0, gone);
        relayed.remove(gone);
      }
    }
    now.forEach(
        (route, attributes) -> {
          if (!attributes.equals(relayed.get(route))) {
            to.announce(RR, 0, route, attributes);
            relayed.put(route, attributes);
          }
        });
  }

  static void checkOrigination(
      Map<EvpnRoute, PathAttributes> routes,
      Map<Integer, Set<IpAddress>> hosts,
      Set<IpPrefix> prefixes,
      Supplier<String> where) {
    Set<String> expectedMacIp = new TreeSet<>();
    hosts.forEach(
        (i, ips) -> {
          expectedMacIp.add(vni(i) + " " + mac(i) + " -");
          ips.forEach(ip -> expectedMacIp.add(vni(i) + " " + mac(i) + " " + ip));
        });
    Set<String> macIp = new TreeSet<>();
    Set<IpPrefix> announcedPrefixes = new HashSet<>();
    routes.forEach(
        (route, attributes) -> {
          List<ExtendedCommunity> ecs = attributes.extendedCommunities();
          if (route instanceof MacIpAdvertisementRoute m) {
            int vni = m.label1().vni();
            macIp.add(vni + " " + m.mac() + " " + (m.ip() == null ? "-" : m.ip()));
            boolean routed = vni == 100 && m.ip() != null;
            if (routed) {
              assertNotNull(m.label2(), () -> where.get() + ": " + m);
              assertEquals(5000, m.label2().vni(), () -> where.get() + ": " + m);
            } else {
              assertNull(m.label2(), () -> where.get() + ": " + m);
            }
            assertEquals(routed, ecs.contains(ROUTER_MAC), () -> where.get() + ": " + attributes);
            assertEquals(
                routed,
                ecs.contains(SymmetricIrbOriginationTest.RT_IP_VRF),
                () -> where.get() + ": " + attributes);
            assertTrue(
                ecs.contains(SymmetricIrbOriginationTest.RT_MAC_VRF),
                () -> where.get() + ": " + attributes);
          } else if (route instanceof IpPrefixRoute p) {
            announcedPrefixes.add(IpPrefix.of(p.prefix(), p.prefixLength()));
            assertEquals(5000, p.label().vni(), () -> where.get() + ": " + p);
            assertEquals(
                IpAddress.parse(p.prefix().isIpv6() ? "::" : "0.0.0.0"),
                p.gateway(),
                () -> where.get() + ": interface-less " + p);
            assertTrue(ecs.contains(ROUTER_MAC), () -> where.get() + ": " + attributes);
            assertTrue(
                ecs.contains(SymmetricIrbOriginationTest.RT_IP_VRF),
                () -> where.get() + ": " + attributes);
            assertFalse(
                ecs.contains(SymmetricIrbOriginationTest.RT_MAC_VRF),
                () -> where.get() + ": " + attributes);
          }
        });
    assertEquals(expectedMacIp, macIp, where);
    Set<IpPrefix> expectedPrefixes = new HashSet<>(SUBNETS);
    expectedPrefixes.addAll(prefixes);
    assertEquals(expectedPrefixes, announcedPrefixes, where);
  }

  static void checkInstalled(
      InMemoryForwardingTable table,
      Map<Integer, Set<IpAddress>> hosts,
      Set<IpPrefix> prefixes,
      Supplier<String> where) {
    Set<IpPrefix> expected = new HashSet<>(prefixes);
    hosts.forEach(
        (i, ips) -> {
          if (vni(i) == 100) {
            ips.forEach(ip -> expected.add(IpPrefix.of(ip, ip.isIpv6() ? 128 : 32)));
          }
        });
    Set<IpPrefix> installed = new HashSet<>();
    for (ForwardingOp.SetRoute route : table.routes().values()) {
      assertEquals("T5", route.vrf(), () -> where.get() + ": " + route);
      assertEquals(LOCAL, route.nextHop(), () -> where.get() + ": " + route);
      assertEquals(5000, route.vni(), () -> where.get() + ": " + route);
      assertEquals(
          SymmetricIrbOriginationTest.ROUTER_MAC,
          route.routerMac(),
          () -> where.get() + ": " + route);
      installed.add(route.prefix());
    }
    assertEquals(expected, installed, where);
  }
}
