package io.evpnkit.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink driver against the kernel, in a namespace of the test's own: what it programs is
 * read back with {@code ip -j} and {@code bridge -j}, the kernel's own tools.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class LinuxDriverTest {
  static final IpAddress LOCAL = IpAddress.parse("192.0.2.1");
  static final IpAddress PE2 = IpAddress.parse("192.0.2.2");
  static final IpAddress PE3 = IpAddress.parse("192.0.2.3");
  static final IpAddress PE4 = IpAddress.parse("192.0.2.4");
  static final IpAddress PE5 = IpAddress.parse("192.0.2.5");
  static final MacAddress M1 = MacAddress.parse("00:00:5e:00:53:01");
  static final MacAddress M2 = MacAddress.parse("00:00:5e:00:53:02");
  static final MacAddress M3 = MacAddress.parse("00:00:5e:00:53:03");
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  /** The FDB entries of a device as "mac dst|nhid flags...". */
  static Set<String> fdb(Netns ns, String dev) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : ns.json("bridge", "-j", "fdb", "show", "dev", dev)) {
      if (e.has("master")) {
        continue; // the bridge's own entries of the port
      }
      String where = e.has("dst") ? "dst " + e.get("dst").asText() : e.has("nhid") ? "nhid" : "-";
      List<String> flags = new ArrayList<>();
      e.path("flags").forEach(f -> flags.add(f.asText()));
      out.add(e.get("mac").asText() + " " + where + " " + String.join(",", flags));
    }
    return out;
  }

  @Test
  void aVniBecomesABridgeAndAVxlanDeviceWithLearningOffAndArpSuppression() throws Exception {
    try (Netns ns = Netns.create("dom");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      assertEquals("br100", driver.ensureDomain(100));
      JsonNode vx = ns.json("ip", "-j", "-d", "link", "show", "vx100").get(0);
      JsonNode data = vx.path("linkinfo").path("info_data");
      assertEquals("vxlan", vx.path("linkinfo").path("info_kind").asText());
      assertEquals(100, data.path("id").asInt());
      assertEquals(4789, data.path("port").asInt());
      assertEquals("192.0.2.1", data.path("local").asText());
      assertFalse(data.path("learning").asBoolean(true), "the VXLAN device does not learn");
      assertEquals("br100", vx.path("master").asText());
      assertTrue(vx.path("flags").toString().contains("UP"));
      JsonNode port = ns.json("bridge", "-j", "-d", "link", "show", "dev", "vx100").get(0);
      assertTrue(port.path("neigh_suppress").asBoolean(), port.toString());
      assertFalse(port.path("learning").asBoolean(true), port.toString());
    }
  }

  @Test
  void remoteMacsFloodListsAndArpEntriesAreWhatTheKernelShows() throws Exception {
    try (Netns ns = Netns.create("fdb");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      driver.apply(
          List.of(
              new ForwardingOp.SetFlood(100, List.of(PE2, PE3)),
              new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
              new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE3)),
              new ForwardingOp.SetNeighbor(100, IpAddress.parse("10.0.0.1"), M1),
              new ForwardingOp.SetNeighbor(100, IpAddress.parse("fd00::1"), M2)));
      assertEquals(
          Set.of(
              "00:00:00:00:00:00 dst 192.0.2.2 self",
              "00:00:00:00:00:00 dst 192.0.2.3 self",
              "00:00:5e:00:53:01 dst 192.0.2.2 self,extern_learn",
              "00:00:5e:00:53:02 dst 192.0.2.3 self,extern_learn"),
          fdb(ns, "vx100"));
      JsonNode neigh = ns.json("ip", "-j", "neigh", "show", "dev", "br100");
      assertTrue(
          neigh.toString().contains("\"dst\":\"10.0.0.1\",\"lladdr\":\"00:00:5e:00:53:01\""),
          neigh.toString());
      assertTrue(
          neigh.toString().contains("\"dst\":\"fd00::1\",\"lladdr\":\"00:00:5e:00:53:02\""),
          neigh.toString());

      // a MAC moves, one goes, a VTEP leaves the flood list, an ARP entry goes
      driver.apply(
          List.of(
              new ForwardingOp.RemoveMac(100, M2),
              new ForwardingOp.RemoveNeighbor(100, IpAddress.parse("fd00::1")),
              new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE3)),
              new ForwardingOp.SetFlood(100, List.of(PE3))));
      assertEquals(
          Set.of(
              "00:00:00:00:00:00 dst 192.0.2.3 self",
              "00:00:5e:00:53:01 dst 192.0.2.3 self,extern_learn"),
          fdb(ns, "vx100"));
      assertFalse(ns.exec("ip", "neigh", "show", "dev", "br100").contains("fd00::1"));
    }
  }

  @Test
  void rfc7432_8_2_aliasedMacsUseAnFdbNexthopGroupAndAMassWithdrawIsOneKernelOperation()
      throws Exception {
    try (Netns ns = Netns.create("nhg");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      driver.apply(
          List.of(
              new ForwardingOp.SetGroup(
                  7,
                  ESI,
                  100,
                  List.of(new ForwardingOp.Member(PE4, 1), new ForwardingOp.Member(PE5, 1))),
              new ForwardingOp.SetMac(100, M1, new Destination.Group(7)),
              new ForwardingOp.SetMac(100, M2, new Destination.Group(7)),
              new ForwardingOp.SetMac(100, M3, new Destination.Group(7))));
      JsonNode nexthops = ns.json("ip", "-j", "nexthop", "show");
      JsonNode group = null;
      for (JsonNode n : nexthops) {
        if (n.has("group")) {
          group = n;
        }
      }
      assertTrue(group != null && group.has("fdb"), "an FDB nexthop group: " + nexthops);
      assertEquals(2, group.get("group").size());
      int groupId = group.get("id").asInt();
      for (JsonNode e : ns.json("bridge", "-j", "fdb", "show", "dev", "vx100")) {
        if (e.get("mac").asText().startsWith("00:00:5e") && !e.has("master")) {
          assertEquals(groupId, e.path("nhid").asInt(), e.toString());
        }
      }
      // PE4 withdrew its per-ES route: one group replace, whatever the number of MACs
      long before = driver.kernelRequests();
      driver.apply(
          List.of(
              new ForwardingOp.SetGroup(7, ESI, 100, List.of(new ForwardingOp.Member(PE5, 1)))));
      assertEquals(1, driver.kernelRequests() - before, "one kernel operation");
      JsonNode after =
          ns.json("ip", "-j", "nexthop", "show", "id", Integer.toString(groupId)).get(0);
      assertEquals(1, after.get("group").size());
      int member = after.get("group").get(0).get("id").asInt();
      JsonNode pe5 = ns.json("ip", "-j", "nexthop", "show", "id", Integer.toString(member)).get(0);
      assertEquals("192.0.2.5", pe5.get("gateway").asText());
    }
  }

  /**
   * A MAC first heard from one PE of a segment (an entry to its VTEP), then aliased when the
   * segment's A-D routes arrive: the kernel refuses to turn a VTEP entry into a nexthop entry in
   * place, so the driver removes and adds it; the other way round it replaces.
   */
  @Test
  void rfc7432_8_4_aMacBecomesAliasedAfterItsRouteArrivedFirst() throws Exception {
    try (Netns ns = Netns.create("alias");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      driver.apply(List.of(new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE4))));
      driver.apply(
          List.of(
              new ForwardingOp.SetGroup(
                  7,
                  ESI,
                  100,
                  List.of(new ForwardingOp.Member(PE4, 1), new ForwardingOp.Member(PE5, 1))),
              new ForwardingOp.SetMac(100, M1, new Destination.Group(7))));
      JsonNode self = selfEntry(ns, M1);
      assertTrue(self.has("nhid") && !self.has("dst"), self.toString());
      driver.apply(List.of(new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE5))));
      self = selfEntry(ns, M1);
      assertEquals("192.0.2.5", self.path("dst").asText(), self.toString());
    }
  }

  private static JsonNode selfEntry(Netns ns, MacAddress mac) throws Exception {
    for (JsonNode e : ns.json("bridge", "-j", "fdb", "show", "dev", "vx100")) {
      if (e.get("mac").asText().equals(mac.toString()) && !e.has("master")) {
        return e;
      }
    }
    throw new AssertionError("no entry of " + mac);
  }

  /**
   * A leaf's IP-VRF made ready to route (RFC 9135): the L3 VNI's bridge carries the router MAC
   * (what other leaves send routed packets to, §8.1); a bridge domain's bridge is its IRB interface
   * with the IRB's own addresses, and the anycast gateway (§4.1) MAC VLAN devices on it at the
   * IRB's virtual gateway MACs (Junos's default or the configured one) with its addresses (IPv6
   * ones usable at once: every leaf holds them, no duplicate address detection); each answers ARP
   * for its own addresses only; all in the VRF — through a VRF device, or with VRF-lite rules and
   * the subnets' connected routes in the VRF's table; closing takes the VRF, its rules and devices
   * away.
   */
  @Test
  void rfc9135_4_1_aBridgeDomainRoutedInAnIpVrfIsAnIrbWithTheAnycastGateway() throws Exception {
    MacAddress rmac = MacAddress.parse("02:00:c0:00:02:01");
    try (Netns ns = Netns.create("irb")) {
      String table;
      try (LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
        table = Integer.toString(driver.ensureVrf("T5", 5000, rmac));
        assertEquals(table, Integer.toString(driver.ensureVrf("T5", 5000, rmac)), "idempotent");
        // irb.100: IPv4 at the default virtual MAC, IPv6 at a configured virtual-gateway-v6-mac
        driver.routeDomain(100, "T5", irb100(MacAddress.parse("00:00:5e:00:02:64")));
        assertEquals(
            rmac.toString(),
            ns.json("ip", "-j", "link", "show", "br5000").get(0).path("address").asText());
        assertEquals(
            Set.of(rmac + " 10.1.0.11/24", rmac + " 2001:db8:1::11/64"), addresses(ns, "br100"));
        assertEquals(Set.of("00:00:5e:00:01:01 10.1.0.1/24"), addresses(ns, "gw100"));
        assertEquals(Set.of("00:00:5e:00:02:64 2001:db8:1::1/64"), addresses(ns, "gv100"));
        for (String dev : List.of("br100", "gw100")) {
          assertEquals(
              "1", ns.exec("sysctl", "-n", "net.ipv4.conf." + dev + ".arp_ignore").strip(), dev);
        }
        assertEquals("2", ns.exec("sysctl", "-n", "net.ipv4.conf.br100.arp_announce").strip());
        if (ns.exec("ip", "link", "show").contains(" T5:")) { // a kernel with the VRF driver
          for (String dev : List.of("br100", "gw100", "gv100")) {
            assertEquals(
                "T5", ns.json("ip", "-j", "link", "show", dev).get(0).path("master").asText());
          }
        } else {
          for (String family : new String[] {"-4", "-6"}) {
            String rules = ns.json("ip", "-j", family, "rule", "show").toString();
            for (String iif : new String[] {"br100", "gw100", "gv100", "br5000"}) {
              assertTrue(
                  rules.matches(
                      ".*\\{[^}]*\"iif\":\"" + iif + "\"[^}]*\"table\":\"" + table + "\".*"),
                  family + " " + iif + ": " + rules);
            }
          }
          JsonNode connected = ns.json("ip", "-j", "route", "show", "table", table);
          assertEquals("10.1.0.0/24", connected.get(0).path("dst").asText(), connected.toString());
          assertEquals("br100", connected.get(0).path("dev").asText(), connected.toString());
          assertEquals("link", connected.get(0).path("scope").asText(), connected.toString());
        }
      }
      String links = ns.exec("ip", "link", "show");
      assertFalse(links.contains(" T5:") || links.contains("gw100"), links);
      assertFalse(ns.exec("ip", "rule", "show").contains("br100"), ns.exec("ip", "rule", "show"));
      assertFalse(ns.exec("ip", "-6", "rule", "show").contains("br5000"));
    }
  }

  /**
   * A reload that takes routing away: an IRB unit taken out of its IP-VRF leaves its bridge a plain
   * bridge of the VLAN (no anycast gateway devices, addresses, rules or connected route: the host
   * no longer routes for that subnet), the IP-VRF's other routes stay; the IP-VRF taken out takes
   * its routes, rules, L3 VNI devices and VRF device; made again, all comes back.
   */
  @Test
  void rfc9135_aBridgeDomainStopsRoutingAndAnIpVrfGoesWhenTheConfigurationSaysSo()
      throws Exception {
    MacAddress rmac = MacAddress.parse("02:00:c0:00:02:01");
    InterfaceConfig.Unit irb = irb100(null);
    IpPrefix remote = IpPrefix.parse("10.2.0.0/24");
    try (Netns ns = Netns.create("unroute");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      String table = Integer.toString(driver.ensureVrf("T5", 5000, rmac));
      driver.ensureDomain(200); // another VLAN, never routed: untouched throughout
      driver.routeDomain(100, "T5", irb);
      driver.apply(List.of(new ForwardingOp.SetRoute("T5", remote, PE4, 5000, rmac)));

      driver.unrouteDomain(100);
      String links = ns.exec("ip", "link", "show");
      assertFalse(links.contains("gw100") || links.contains("gv100"), links);
      assertTrue(links.contains(" br100:") && links.contains(" br200:"), links);
      assertEquals(Set.of(), addresses(ns, "br100"));
      assertTrue(
          ns.json("ip", "-j", "link", "show", "br100").get(0).path("master").isMissingNode(),
          "out of the VRF device");
      for (String family : new String[] {"-4", "-6"}) {
        String rules = ns.exec("ip", family, "rule", "show");
        assertFalse(rules.contains("br100") || rules.contains("gw100"), rules);
      }
      JsonNode routes = ns.json("ip", "-j", "route", "show", "table", table);
      assertEquals(1, routes.size(), "the other leaf's route stays: " + routes);
      assertEquals("10.2.0.0/24", routes.get(0).path("dst").asText(), routes.toString());

      driver.removeVrf("T5");
      links = ns.exec("ip", "link", "show");
      assertFalse(
          links.contains(" T5:") || links.contains("br5000") || links.contains("vx5000"), links);
      assertTrue(links.contains(" br100:") && links.contains(" br200:"), links);
      assertEquals("[]", ns.json("ip", "-j", "route", "show", "table", table).toString());
      for (String family : new String[] {"-4", "-6"}) {
        String rules = ns.exec("ip", family, "rule", "show");
        assertFalse(rules.contains("lookup " + table), rules);
      }
      assertEquals(-1, driver.vrfTable("T5"));

      // configured again: routed as before
      driver.ensureVrf("T5", 5000, rmac);
      driver.routeDomain(100, "T5", irb);
      driver.apply(List.of(new ForwardingOp.SetRoute("T5", remote, PE4, 5000, rmac)));
      assertEquals(Set.of("00:00:5e:00:01:01 10.1.0.1/24"), addresses(ns, "gw100"));
      assertEquals(
          Set.of(rmac + " 10.1.0.11/24", rmac + " 2001:db8:1::11/64"), addresses(ns, "br100"));
      assertTrue(
          ns.json("ip", "-j", "route", "show", "table", table).toString().contains("10.2.0.0/24"));
    }
  }

  /**
   * IRB unit 100: 10.1.0.11/24 with anycast gateway 10.1.0.1 at the default virtual MAC, and
   * 2001:db8:1::11/64 with 2001:db8:1::1 at {@code v6Mac} ({@code virtual-gateway-v6-mac}) or the
   * default.
   */
  private static InterfaceConfig.Unit irb100(@Nullable MacAddress v6Mac) {
    return new InterfaceConfig.Unit(
        100,
        null,
        List.of(),
        List.of(
            new InterfaceConfig.Address(
                IpAddress.parse("10.1.0.11"), 24, List.of(IpAddress.parse("10.1.0.1"))),
            new InterfaceConfig.Address(
                IpAddress.parse("2001:db8:1::11"), 64, List.of(IpAddress.parse("2001:db8:1::1")))),
        null,
        v6Mac);
  }

  /** "MAC address/length" of each global address of {@code dev}, usable (not tentative). */
  private static Set<String> addresses(Netns ns, String dev) throws Exception {
    JsonNode link = ns.json("ip", "-j", "addr", "show", dev).get(0);
    Set<String> out = new TreeSet<>();
    for (JsonNode a : link.path("addr_info")) {
      if (!a.path("local").asText().startsWith("fe80")) {
        assertFalse(a.has("tentative") || a.has("dadfailed"), a.toString());
        out.add(
            link.path("address").asText()
                + " "
                + a.path("local").asText()
                + "/"
                + a.path("prefixlen").asInt());
      }
    }
    return out;
  }

  /**
   * A route of an IP-VRF to another leaf, as FRR's zebra programs symmetric IRB (RFC 9135): a VRF
   * device with its own table, the L3 VNI's bridge in it, the remote router a neighbour at its
   * router MAC on that bridge and the MAC an FDB entry to its VTEP, the route via the VTEP onlink;
   * the last route to that router takes the neighbour and the MAC with it.
   */
  @Test
  void rfc9135_aVrfRouteIsAVrfDeviceANeighbourAtTheRouterMacAndAnOnlinkRoute() throws Exception {
    MacAddress rmac = MacAddress.parse("02:00:00:00:00:04");
    try (Netns ns = Netns.create("vrf");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      driver.apply(
          List.of(
              new ForwardingOp.SetRoute("T5", IpPrefix.parse("10.2.0.0/24"), PE4, 5000, rmac),
              new ForwardingOp.SetRoute("T5", IpPrefix.parse("10.1.0.7/32"), PE4, 5000, rmac)));
      String table = Integer.toString(driver.vrfTable("T5"));
      if (ns.exec("ip", "link", "show").contains(" T5:")) { // a kernel with the VRF driver
        JsonNode vrf = ns.json("ip", "-j", "-d", "link", "show", "T5").get(0);
        assertEquals("vrf", vrf.path("linkinfo").path("info_kind").asText(), vrf.toString());
        assertEquals(
            "T5", ns.json("ip", "-j", "link", "show", "br5000").get(0).path("master").asText());
      } else { // VRF-lite: what comes in on the L3 VNI's bridge is looked up in the VRF's table
        JsonNode rules = ns.json("ip", "-j", "rule", "show");
        assertTrue(
            rules.toString().contains("\"iif\":\"br5000\"")
                && rules.toString().contains("\"table\":\"" + table + "\""),
            rules.toString());
      }
      JsonNode routes = ns.json("ip", "-j", "route", "show", "table", table);
      assertEquals(2, routes.size(), routes.toString());
      for (JsonNode r : routes) {
        assertEquals(PE4.toString(), r.path("gateway").asText(), r.toString());
        assertEquals("br5000", r.path("dev").asText(), r.toString());
        assertTrue(r.path("flags").toString().contains("onlink"), r.toString());
      }
      JsonNode neigh = ns.json("ip", "-j", "neigh", "show", "dev", "br5000");
      assertEquals(rmac.toString(), neigh.get(0).path("lladdr").asText(), neigh.toString());
      assertTrue(
          ns.exec("bridge", "fdb", "show", "dev", "vx5000").contains(rmac + " dst " + PE4),
          ns.exec("bridge", "fdb", "show", "dev", "vx5000"));
      driver.apply(List.of(new ForwardingOp.RemoveRoute("T5", IpPrefix.parse("10.2.0.0/24"))));
      assertEquals(1, ns.json("ip", "-j", "route", "show", "table", table).size());
      assertEquals(1, ns.json("ip", "-j", "neigh", "show", "dev", "br5000").size(), "still used");
      driver.apply(List.of(new ForwardingOp.RemoveRoute("T5", IpPrefix.parse("10.1.0.7/32"))));
      assertEquals(0, ns.json("ip", "-j", "route", "show", "table", table).size());
      assertEquals(0, ns.json("ip", "-j", "neigh", "show", "dev", "br5000").size());
      assertFalse(ns.exec("bridge", "fdb", "show", "dev", "vx5000").contains(rmac.toString()));
    }
  }

  @Test
  void aRefusedOperationIsReportedWithTheKernelsErrorAndTheRestOfTheBatchGoes() throws Exception {
    try (Netns ns = Netns.create("err");
        LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
      LinuxDriver.BatchException e =
          assertThrows(
              LinuxDriver.BatchException.class,
              () ->
                  driver.apply(
                      List.of(
                          new ForwardingOp.SetMac(100, M1, new Destination.Group(99)),
                          new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE2)))));
      assertEquals(1, e.failures().size());
      assertEquals(M1, ((ForwardingOp.SetMac) e.failures().get(0).operation()).mac());
      assertTrue(e.getMessage().contains("group 99"), e.getMessage());
      assertEquals(Set.of("00:00:5e:00:53:02 dst 192.0.2.2 self,extern_learn"), fdb(ns, "vx100"));
    }
  }

  @Test
  void aResyncRepairsWhatWasChangedBehindTheDriverAndCloseRemovesWhatItCreated() throws Exception {
    try (Netns ns = Netns.create("sync")) {
      List<ForwardingOp> state =
          List.of(
              new ForwardingOp.SetFlood(100, List.of(PE2)),
              new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
              new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE3)));
      try (LinuxDriver driver = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
        driver.apply(state);
        ns.exec("bridge", "fdb", "del", "00:00:5e:00:53:01", "dev", "vx100", "self");
        ns.exec(
            "bridge",
            "fdb",
            "replace",
            "00:00:5e:00:53:02",
            "dev",
            "vx100",
            "dst",
            "192.0.2.99",
            "self");
        ns.exec(
            "bridge",
            "fdb",
            "add",
            "00:00:5e:00:53:99",
            "dev",
            "vx100",
            "dst",
            "192.0.2.99",
            "self");
        ns.exec(
            "bridge",
            "fdb",
            "append",
            "00:00:00:00:00:00",
            "dev",
            "vx100",
            "dst",
            "192.0.2.98",
            "self");
        driver.replaceAll(state);
        assertEquals(
            Set.of(
                "00:00:00:00:00:00 dst 192.0.2.2 self",
                "00:00:5e:00:53:01 dst 192.0.2.2 self,extern_learn",
                "00:00:5e:00:53:02 dst 192.0.2.3 self,extern_learn"),
            fdb(ns, "vx100"));
      }
      assertFalse(ns.exec("ip", "link", "show").contains("vx100"), "close removed the devices");
      try (LinuxDriver kept =
          LinuxDriver.builder(LOCAL).netns(ns.name()).keepOnClose(true).build()) {
        kept.apply(state);
      }
      assertTrue(
          fdb(ns, "vx100").contains("00:00:5e:00:53:01 dst 192.0.2.2 self,extern_learn"),
          "a restart keeps forwarding");
    }
  }

  @Test
  void rfc4724_afterARestartThatKeptTheDataPlaneAResyncRemovesNothingUntilTheRoutesAreBack()
      throws Exception {
    try (Netns ns = Netns.create("gr")) {
      List<ForwardingOp> before =
          List.of(
              new ForwardingOp.SetFlood(100, List.of(PE2)),
              new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
              new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE3)));
      try (LinuxDriver first =
          LinuxDriver.builder(LOCAL).netns(ns.name()).keepOnClose(true).build()) {
        first.apply(before);
      }
      try (LinuxDriver restarted = LinuxDriver.builder(LOCAL).netns(ns.name()).build()) {
        restarted.ensureDomain(100);
        assertTrue(restarted.dataPlanePreserved());
        restarted.keepStaleEntries(true);
        // the RIB's first download after the restart: only what came back so far
        restarted.replaceAll(
            List.of(new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE3))));
        assertEquals(
            Set.of(
                "00:00:00:00:00:00 dst 192.0.2.2 self",
                "00:00:5e:00:53:01 dst 192.0.2.3 self,extern_learn",
                "00:00:5e:00:53:02 dst 192.0.2.3 self,extern_learn"),
            fdb(ns, "vx100"),
            "what came back is corrected, the rest kept");
        restarted.keepStaleEntries(false); // End-of-RIB
        restarted.replaceAll(
            List.of(new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE3))));
        assertEquals(Set.of("00:00:5e:00:53:01 dst 192.0.2.3 self,extern_learn"), fdb(ns, "vx100"));
      }
    }
  }
}
