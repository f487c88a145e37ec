package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Routing between subnets with symmetric IRB (RFC 9135, RFC 9136) in the kernel: two evpnkit
 * leaves, each its own process in its namespace, each with one subnet (A: VLAN 100, 10.1.0.0/24; B:
 * VLAN 101, 10.1.1.0/24) behind the anycast gateway, both in the IP-VRF T5 with L3 VNI 5000. Each
 * leaf advertises its subnet as an IP prefix route and its hosts as MAC/IP routes with the L3 VNI
 * and its router MAC; the other installs them in T5's table, and a host of one subnet pings a host
 * of the other, routed in the ingress leaf and carried in VNI 5000 to the other leaf's router MAC.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class RoutedFabricTest {
  static String config(String vtep, String neighbor, int vlan, String irb, String gateway) {
    return """
        routing-options { router-id %1$s; autonomous-system 65000; }
        interfaces {
            lo0 { unit 0 { family inet { address %1$s/32; } } }
            p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v%3$d; } } } }
            irb { unit %3$d { family inet { address %4$s/24 { virtual-gateway-address %5$s; } } } }
        }
        switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:1; }
        vlans { v%3$d { vlan-id %3$d; l3-interface irb.%3$d; vxlan { vni %3$d; } } }
        protocols {
            evpn { encapsulation vxlan; default-gateway advertise; extended-vni-list %3$d; }
            bgp { group fabric { type internal; local-address %1$s; family evpn { signaling; } neighbor %2$s; } }
        }
        routing-instances {
            T5 {
                instance-type vrf;
                interface irb.%3$d;
                route-distinguisher %1$s:5000;
                vrf-target target:65000:5000;
                protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } }
            }
        }
        """
        .formatted(vtep, neighbor, vlan, irb, gateway);
  }

  @Test
  void rfc9135_aHostPingsAHostOfAnotherSubnetRoutedThroughTheL3Vni() throws Exception {
    List<Process> daemons = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Netns> all = new ArrayList<>();
    try {
      Netns[] nodes = twoSubnets(all, "b", "192.0.2.2", "p1", "10.1.1.12");
      Netns a = nodes[0];
      Netns b = nodes[1];
      Netns ha = nodes[2];
      Netns hb = nodes[3];
      Path dir = Files.createTempDirectory("l3");
      Map<String, Path> logs = new TreeMap<>();
      String[][] leaves = {
        {"a", "192.0.2.1", "192.0.2.2", "100", "10.1.0.2", "10.1.0.1"},
        {"b", "192.0.2.2", "192.0.2.1", "101", "10.1.1.3", "10.1.1.1"}
      };
      // what A sends B, as Wireshark's BGP dissector reads it
      Path bgpCapture = Files.createTempFile("bgp", ".pcap");
      files.add(bgpCapture);
      Process bgpTshark =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  b.name(),
                  "tshark",
                  "-q",
                  "-n",
                  "-i",
                  "u2",
                  "-f",
                  "tcp port 179 and src host 192.0.2.1",
                  "-w",
                  bgpCapture.toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      daemons.add(bgpTshark);
      RealPeers.await("tshark to capture", () -> Files.size(bgpCapture) > 0);
      for (String[] l : leaves) {
        Path conf = dir.resolve(l[0] + ".conf");
        Files.writeString(conf, config(l[1], l[2], Integer.parseInt(l[3]), l[4], l[5]));
        Path log = dir.resolve(l[0] + ".log");
        Files.createFile(log);
        files.addAll(List.of(conf, log, dir.resolve(l[0] + ".sock")));
        logs.put(l[0], log);
        List<String> args =
            new ArrayList<>(
                List.of(
                    "--config",
                    conf.toString(),
                    "--control",
                    dir.resolve(l[0] + ".sock").toString(),
                    "--json"));
        if (l[0].equals("b")) {
          args.addAll(List.of("--listen", "192.0.2.2:179"));
        }
        daemons.add(KernelFabric.vtep(l[0].equals("a") ? a : b, log, args.toArray(String[]::new)));
      }
      files.add(dir);
      try {
        // each leaf's subnet in the other's table of T5 (RFC 9136 interface-less), via its VTEP
        RealPeers.await(
            "A's T5 to hold B's subnet",
            40,
            () -> routes(a).containsKey("10.1.1.0/24") && routes(b).containsKey("10.1.0.0/24"));
        assertEquals("192.0.2.2", routes(a).get("10.1.1.0/24").path("gateway").asText());
        assertEquals("br5000", routes(a).get("10.1.1.0/24").path("dev").asText());
        // the packets between the subnets: VNI 5000 to B's router MAC (symmetric IRB, §8.1)
        Path capture = Files.createTempFile("u2", ".txt");
        files.add(capture);
        Process tshark =
            new ProcessBuilder(
                    "ip",
                    "netns",
                    "exec",
                    b.name(),
                    "tshark",
                    "-l",
                    "-n",
                    "-i",
                    "u2",
                    "-f",
                    "udp port 4789 and src host 192.0.2.1",
                    "-c",
                    "2",
                    "-a",
                    "duration:20",
                    "-T",
                    "fields",
                    "-e",
                    "vxlan.vni",
                    "-e",
                    "eth.dst")
                .redirectOutput(capture.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        daemons.add(tshark);
        RealPeers.await(
            "ha to reach hb, a host of the other subnet",
            40,
            () -> KernelFabric.reaches(ha, "10.1.1.12"));
        KernelFabric.Pings pings = KernelFabric.Pings.start(hb, "10.1.0.11", 10, "0.1");
        String out = pings.output();
        assertEquals(0, KernelFabric.loss(out), out);
        assertTrue(tshark.waitFor(30, TimeUnit.SECONDS));
        String captured = Files.readString(capture, StandardCharsets.UTF_8);
        String rmacB =
            VtepCommand.defaultRouterMac(io.evpnkit.evpn.IpAddress.parse("192.0.2.2")).toString();
        assertTrue(captured.lines().findAny().isPresent(), "nothing captured");
        for (String line : captured.lines().toList()) {
          // each frame twice: the outer Ethernet header's destination, then the inner one's
          assertTrue(line.startsWith("5000\t"), captured);
          assertTrue(line.endsWith("," + rmacB), captured);
        }
        // the hosts, learned where they are, are host routes in the other leaf (RFC 9135 §5.1)
        RealPeers.await(
            "the host routes",
            20,
            () -> routes(a).containsKey("10.1.1.12") && routes(b).containsKey("10.1.0.11"));
        assertEquals("192.0.2.2", routes(a).get("10.1.1.12").path("gateway").asText());
        assertEquals("192.0.2.1", routes(b).get("10.1.0.11").path("gateway").asText());
        // the other leaf's router MAC: a neighbour on the L3 VNI's bridge
        JsonNode neigh = a.json("ip", "-j", "neigh", "show", "dev", "br5000");
        assertEquals(rmacB, neigh.get(0).path("lladdr").asText(), neigh.toString());
        bgpTshark.destroy();
        assertTrue(bgpTshark.waitFor(20, TimeUnit.SECONDS));
        Process read =
            new ProcessBuilder(
                    "tshark",
                    "-n",
                    "-r",
                    bgpCapture.toString(),
                    "-d",
                    "tcp.port==179,bgp",
                    "-Y",
                    "bgp.evpn.nlri",
                    "-T",
                    "json",
                    "--no-duplicate-keys")
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        JsonNode decoded =
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(read.getInputStream());
        assertTrue(read.waitFor(30, TimeUnit.SECONDS));
        String rmacA =
            VtepCommand.defaultRouterMac(io.evpnkit.evpn.IpAddress.parse("192.0.2.1")).toString();
        // the subnet: an interface-less IP prefix route (RFC 9136 §4.4.1), the L3 VNI as its
        // label, the router MAC, the IP-VRF's target, VXLAN encapsulation (RFC 8365 §5.1.3)
        Map<String, List<String>> prefix = wiresharkUpdate(decoded, "5", "10.1.0.0");
        assertEquals(List.of("24"), prefix.get("bgp.evpn.nlri.prefix_len"), prefix.toString());
        assertEquals(List.of("0.0.0.0"), prefix.get("bgp.evpn.nlri.ipv4.gtw_addr"));
        assertEquals(List.of("5000"), prefix.get("bgp.evpn.nlri.vni"), prefix.toString());
        assertEquals(List.of(rmacA), prefix.get("bgp.ext_com_evpn.esi.router_mac"));
        assertTrue(prefix.get("bgp.ext_com.value_an4").contains("5000"), prefix.toString());
        assertEquals(List.of("8"), prefix.get("bgp.ext_com.tunnel_type"), prefix.toString());
        // the host: a MAC/IP route with label 1 the L2 VNI and label 2 the L3 VNI (RFC 9135
        // §5.1), the router MAC, both instances' targets. Wireshark reads the labels as VNIs only
        // once it has seen the encapsulation community, which follows MP_REACH_NLRI (placed first,
        // RFC 7606 §5.1); before, as 20-bit MPLS labels: the VNI's top 20 of its 24 bits
        Map<String, List<String>> host = wiresharkUpdate(decoded, "2", "10.1.0.11");
        if (host.containsKey("bgp.evpn.nlri.vni")) {
          assertEquals(List.of("100", "5000"), host.get("bgp.evpn.nlri.vni"), host.toString());
        } else {
          assertEquals(List.of(String.valueOf(100 >> 4)), host.get("bgp.evpn.nlri.mpls_ls1"));
          assertEquals(List.of(String.valueOf(5000 >> 4)), host.get("bgp.evpn.nlri.mpls_ls2"));
        }
        assertEquals(List.of(rmacA), host.get("bgp.ext_com_evpn.esi.router_mac"));
        assertTrue(
            host.get("bgp.ext_com.value_an4").containsAll(List.of("1", "5000")), host.toString());
      } catch (Throwable t) {
        for (Netns n : List.of(a, b)) {
          System.err.println(n.name() + ": " + n.exec("ip", "route", "show", "table", "all"));
          System.err.println(n.name() + ": " + n.exec("ip", "rule", "show"));
          System.err.println(n.name() + ": " + n.exec("ip", "neigh", "show"));
          System.err.println(n.name() + ": " + n.exec("bridge", "fdb", "show"));
        }
        for (Path log : logs.values()) {
          System.err.println(log + ":\n" + Files.readString(log));
        }
        throw t;
      }
    } finally {
      KernelFabric.cleanUp(daemons, files, all);
    }
  }

  /**
   * FRR's zebra and bgpd on the other leaf, its L3 VNI 5000 in its default VRF (zebra's top-level
   * {@code vni 5000}: this kernel has no VRF driver) and its subnet announced with {@code advertise
   * ipv4 unicast}: each leaf installs the other's type 5 route and host routes via the other's
   * router MAC, and the hosts ping each other across the subnets.
   */
  @Test
  void rfc9136_anFrrLeafAndAnEvpnkitLeafRouteBetweenTheirSubnets() throws Exception {
    List<Process> daemons = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Netns> all = new ArrayList<>();
    io.evpnkit.linux.FrrLeaf frr = null;
    try {
      Netns[] nodes = twoSubnets(all, "f", "192.0.2.3", "p3", "10.1.1.13");
      Netns a = nodes[0];
      Netns f = nodes[1];
      Netns ha = nodes[2];
      Netns hf = nodes[3];
      // where hf will move to: a second link into our leaf, in VLAN 101, down until then
      a.exec("ip", "link", "add", "p2", "type", "veth", "peer", "name", "eth1", "netns", hf.name());
      String macF = hf.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
      // FRR's data plane, as its users make it: L2 VNI 101 with its SVI, L3 VNI 5000 whose
      // bridge's MAC is the router MAC
      KernelFabric.frrBridge(f, 101, "192.0.2.3", "p3");
      f.exec("ip", "addr", "add", "10.1.1.1/24", "dev", "br101");
      f.exec("ip", "link", "set", "br101", "address", "00:00:5e:00:01:01"); // the anycast gateway
      KernelFabric.frrBridge(f, 5000, "192.0.2.3", "-");
      f.exec("ip", "link", "set", "br5000", "address", FRR_RMAC);
      Path dir = Files.createTempDirectory("l3f");
      Path conf = dir.resolve("a.conf");
      Files.writeString(conf, BESIDE_FRR);
      Path log = dir.resolve("a.log");
      Files.createFile(log);
      files.addAll(List.of(conf, log, dir.resolve("a.sock"), dir));
      frr = new io.evpnkit.linux.FrrLeaf(f, "vni 5000\n", FRR_L3);
      daemons.add(
          KernelFabric.vtep(
              a,
              log,
              "--config",
              conf.toString(),
              "--control",
              dir.resolve("a.sock").toString(),
              "--json"));
      io.evpnkit.linux.FrrLeaf frrLeaf = frr;
      try {
        RealPeers.await(
            "each leaf to hold the other's subnet",
            60,
            () ->
                routes(a).containsKey("10.1.1.0/24")
                    && frrLeaf.json("show ip route 10.1.0.0/24 json").has("10.1.0.0/24"));
        // FRR's view: our type 5 route, and the route through it in its default VRF via our VTEP
        JsonNode prefixes = frrLeaf.json("show bgp l2vpn evpn route type prefix json");
        assertTrue(prefixes.toString().contains("10.1.0.0"), prefixes.toPrettyString());
        JsonNode route = frrLeaf.json("show ip route 10.1.0.0/24 json").path("10.1.0.0/24").get(0);
        assertTrue(route.toString().contains("192.0.2.1"), route.toPrettyString());
        // hf has not spoken yet: our leaf finds it by ARP from its own address and MAC on br101
        // (not from the anycast gateway's, whose replies FRR's leaf would take for itself)
        RealPeers.await(
            "ha to reach hf, behind the FRR leaf in the other subnet",
            40,
            () -> KernelFabric.reaches(ha, "10.1.1.13"));
        KernelFabric.Pings pings = KernelFabric.Pings.start(hf, "10.1.0.11", 10, "0.1");
        String out = pings.output();
        assertEquals(0, KernelFabric.loss(out), out);
        // the host routes both ways (RFC 9135 §5.1): FRR's host in our table, ours in FRR's
        RealPeers.await(
            "the host routes",
            20,
            () ->
                routes(a).containsKey("10.1.1.13")
                    && frrLeaf.json("show ip route 10.1.0.11/32 json").has("10.1.0.11/32"));
        assertEquals("192.0.2.3", routes(a).get("10.1.1.13").path("gateway").asText());
        JsonNode neigh = a.json("ip", "-j", "neigh", "show", "dev", "br5000");
        assertEquals(FRR_RMAC, neigh.get(0).path("lladdr").asText(), neigh.toString());

        // VM mobility (RFC 7432 §15) into our leaf, same MAC and address: the /32 follows
        long moved = System.nanoTime();
        // the old port stays up with another MAC, so that FRR sees a move, not a host gone; it must
        // not answer ARP for the address it no longer has (a moved VM leaves no interface behind)
        hf.exec("sysctl", "-q", "-w", "net.ipv4.conf.all.arp_ignore=1");
        hf.exec("ip", "addr", "del", "10.1.1.13/24", "dev", "eth0");
        hf.exec("ip", "link", "set", "eth0", "address", "02:00:5e:00:53:13");
        hf.exec("ip", "link", "set", "eth1", "address", macF);
        hf.exec("ip", "addr", "add", "10.1.1.13/24", "dev", "eth1");
        hf.exec("ip", "link", "set", "eth1", "up");
        hf.exec("ip", "route", "replace", "default", "via", "10.1.1.1", "dev", "eth1");
        RealPeers.await(
            "the moved host to reach and be reached from the other subnet",
            30,
            // the host speaks first, as VMs do
            () -> KernelFabric.reaches(hf, "10.1.0.11") && KernelFabric.reaches(ha, "10.1.1.13"));
        RealPeers.await(
            "FRR's host route to the moved host via our VTEP",
            30,
            () ->
                frrLeaf
                    .json("show ip route 10.1.1.13/32 json")
                    .path("10.1.1.13/32")
                    .toString()
                    .contains("\"ip\":\"192.0.2.1\""));
        System.out.printf(
            "VM mobility between subnets' leaves: FRR's /32 followed %d ms after the move%n",
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - moved));
        RealPeers.await(
            "our table to drop the host route to FRR",
            20,
            () -> !routes(a).containsKey("10.1.1.13"));
        System.out.println("FRR's routes: " + frrLeaf.json("show ip route json").toPrettyString());
      } catch (Throwable t) {
        for (Netns n : List.of(a, f)) {
          System.err.println(n.name() + ": " + n.exec("ip", "route", "show", "table", "all"));
          System.err.println(n.name() + ": " + n.exec("ip", "rule", "show"));
          System.err.println(n.name() + ": " + n.exec("ip", "neigh", "show"));
          System.err.println(n.name() + ": " + n.exec("bridge", "fdb", "show"));
        }
        for (String c :
            List.of(
                "show bgp l2vpn evpn json",
                "show evpn vni json",
                "show evpn rmac vni all json",
                "show ip route json")) {
          System.err.println("FRR " + c + ": " + frrLeaf.json(c).toPrettyString());
        }
        System.err.println(frrLeaf.logs());
        System.err.println(log + ":\n" + Files.readString(log));
        throw t;
      }
    } finally {
      if (frr != null) {
        frr.close();
      }
      KernelFabric.cleanUp(daemons, files, all);
    }
  }

  /**
   * Our leaf {@code a} (VTEP 192.0.2.1) with host {@code ha} at 10.1.0.11 on port p1, and another
   * leaf with its host at {@code hostAddress} in 10.1.1.0/24 on {@code port}: their underlay link,
   * IP forwarding on in both (the host's setting, as FRR leaves it to its users), each host's
   * default route the anycast gateway of its subnet. Returns the leaves and then their hosts.
   */
  private static Netns[] twoSubnets(
      List<Netns> all, String other, String otherVtep, String port, String hostAddress)
      throws Exception {
    Netns[] nodes = new Netns[4];
    String[] names = {"a", other, "ha", "h" + other};
    for (int i = 0; i < nodes.length; i++) {
      nodes[i] = Netns.create("l3" + names[i]);
      all.add(nodes[i]);
    }
    KernelFabric.link(nodes[0], "192.0.2.1", nodes[1], otherVtep);
    for (Netns leaf : List.of(nodes[0], nodes[1])) {
      leaf.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }
    KernelFabric.host(nodes[0], "p1", nodes[2], "10.1.0.11");
    nodes[2].exec("ip", "route", "add", "default", "via", "10.1.0.1");
    KernelFabric.host(nodes[1], port, nodes[3], hostAddress);
    nodes[3].exec("ip", "route", "add", "default", "via", "10.1.1.1");
    return nodes;
  }

  static final String FRR_RMAC = "02:00:c0:00:02:f3";

  /**
   * The evpnkit leaf beside FRR: subnet 10.1.0.0/24 (VLAN 100, port p1) and FRR's subnet
   * 10.1.1.0/24 too (VLAN 101, port p2), where a host of FRR's moves to; FRR's per-VNI targets
   * (AS:VNI).
   */
  static final String BESIDE_FRR =
      """
      routing-options { router-id 192.0.2.1; autonomous-system 65000; }
      interfaces {
          lo0 { unit 0 { family inet { address 192.0.2.1/32; } } }
          p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
          p2 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v101; } } } }
          irb {
              unit 100 { family inet { address 10.1.0.2/24 { virtual-gateway-address 10.1.0.1; } } }
              unit 101 { family inet { address 10.1.1.2/24 { virtual-gateway-address 10.1.1.1; } } }
          }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher 192.0.2.1:1; vrf-target { auto; auto-derivation frr; } }
      vlans {
          v100 { vlan-id 100; l3-interface irb.100; vxlan { vni 100; } }
          v101 { vlan-id 101; l3-interface irb.101; vxlan { vni 101; } }
      }
      protocols {
          evpn { encapsulation vxlan; default-gateway advertise; extended-vni-list [ 100 101 ]; }
          bgp { group fabric { type internal; local-address 192.0.2.1; family evpn { signaling; } neighbor 192.0.2.3; } }
      }
      routing-instances {
          T5 {
              instance-type vrf;
              interface irb.100;
              interface irb.101;
              route-distinguisher 192.0.2.1:5000;
              vrf-target target:65000:5000;
              protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } }
          }
      }
      """;

  static final String FRR_L3 =
      """
      hostname frr-leaf
      router bgp 65000
       bgp router-id 192.0.2.3
       no bgp default ipv4-unicast
       neighbor 192.0.2.1 remote-as 65000
       neighbor 192.0.2.1 timers 3 9
       address-family ipv4 unicast
        network 10.1.1.0/24
       exit-address-family
       address-family l2vpn evpn
        neighbor 192.0.2.1 activate
        advertise-all-vni
        advertise ipv4 unicast
       exit-address-family
      """;

  /**
   * The fields of the UPDATE (as Wireshark decoded it, {@code tshark -T json --no-duplicate-keys})
   * whose EVPN NLRI has route type {@code type} and IP address {@code ip}: the NLRI's fields and
   * the UPDATE's path attributes' fields, each with its values.
   */
  static Map<String, List<String>> wiresharkUpdate(JsonNode packets, String type, String ip) {
    List<JsonNode> updates = new ArrayList<>();
    collect(packets, n -> n.path("bgp.type").asText().equals("2"), updates);
    for (JsonNode u : updates) {
      List<JsonNode> nlris = new ArrayList<>();
      collect(u, n -> n.has("bgp.evpn.nlri.rt"), nlris);
      for (JsonNode nlri : nlris) {
        if (nlri.path("bgp.evpn.nlri.rt").asText().equals(type)
            && nlri.path("bgp.evpn.nlri.ip.addr").asText().equals(ip)) {
          Map<String, List<String>> fields = new TreeMap<>();
          fields(u.path("bgp.update.path_attributes"), fields, true);
          fields(nlri, fields, false);
          return fields;
        }
      }
    }
    throw new AssertionError("no UPDATE with a type " + type + " route of " + ip + ": " + packets);
  }

  private static void collect(
      JsonNode n, java.util.function.Predicate<JsonNode> match, List<JsonNode> out) {
    if (n.isObject() && match.test(n)) {
      out.add(n);
      return;
    }
    n.forEach(c -> collect(c, match, out));
  }

  /** The leaf fields under {@code n}; with {@code skipNlri}, not those of the NLRIs. */
  private static void fields(JsonNode n, Map<String, List<String>> out, boolean skipNlri) {
    if (!n.isObject()) {
      n.forEach(c -> fields(c, out, skipNlri));
      return;
    }
    if (skipNlri && n.has("bgp.evpn.nlri.rt")) {
      return;
    }
    for (String name : (Iterable<String>) n::fieldNames) {
      JsonNode v = n.get(name);
      if (v.isValueNode()) {
        out.computeIfAbsent(name, k -> new ArrayList<>()).add(v.asText());
      } else if (v.isArray() && v.size() > 0 && v.get(0).isValueNode()) {
        v.forEach(x -> out.computeIfAbsent(name, k -> new ArrayList<>()).add(x.asText()));
      } else {
        fields(v, out, skipNlri);
      }
    }
  }

  /** The routes of T5's table (its L3 VNI's number) in leaf {@code ns}, by destination. */
  private static Map<String, JsonNode> routes(Netns ns) throws Exception {
    Map<String, JsonNode> out = new TreeMap<>();
    if (!ns.exec("ip", "-j", "route", "show", "table", "all").contains("\"table\":\"5000\"")) {
      return out; // not made yet
    }
    for (JsonNode r : ns.json("ip", "-j", "route", "show", "table", "5000")) {
      out.put(r.path("dst").asText(), r);
    }
    return out;
  }
}
