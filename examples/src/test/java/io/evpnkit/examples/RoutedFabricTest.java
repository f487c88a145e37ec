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
      Netns a = Netns.create("l3a");
      all.add(a);
      Netns b = Netns.create("l3b");
      all.add(b);
      Netns ha = Netns.create("l3ha");
      all.add(ha);
      Netns hb = Netns.create("l3hb");
      all.add(hb);
      KernelFabric.link(a, "192.0.2.1", b, "192.0.2.2");
      for (Netns leaf : List.of(a, b)) {
        leaf.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
      }
      KernelFabric.host(a, "p1", ha, "10.1.0.11");
      ha.exec("ip", "route", "add", "default", "via", "10.1.0.1");
      KernelFabric.host(b, "p1", hb, "10.1.1.12");
      hb.exec("ip", "route", "add", "default", "via", "10.1.1.1");
      Path dir = Files.createTempDirectory("l3");
      Map<String, Path> logs = new TreeMap<>();
      String[][] leaves = {
        {"a", "192.0.2.1", "192.0.2.2", "100", "10.1.0.2", "10.1.0.1"},
        {"b", "192.0.2.2", "192.0.2.1", "101", "10.1.1.3", "10.1.1.1"}
      };
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
