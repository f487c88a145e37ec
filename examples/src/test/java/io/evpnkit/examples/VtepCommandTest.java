package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code evpnkit vtep} as a user runs it: two leaves, each driving the kernel of a namespace of its
 * own (an underlay veth between them), a host namespace behind each, one iBGP session between the
 * leaves on loopback; the hosts ping each other through the kernels' VXLAN devices.
 */
class VtepCommandTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static String config(String vtep, String port, String local, String neighbor, boolean passive) {
    return """
        routing-options { router-id %1$s; autonomous-system 65000; }
        interfaces {
            lo0 { unit 0 { family inet { address %1$s/32; } } }
            %2$s { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
        }
        switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:100; }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols {
            evpn { encapsulation vxlan; extended-vni-list 100; }
            bgp { group fabric { type internal; local-address %3$s; %5$s family evpn { signaling; } neighbor %4$s; } }
        }
        """
        .formatted(vtep, port, local, neighbor, passive ? "passive;" : "");
  }

  static Path file(String text) throws Exception {
    Path f = Files.createTempFile("leaf", ".conf");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void twoKernelLeavesCarryTheirHostsTrafficOverVxlanLearnedThroughEvpn() throws Exception {
    try (Netns leaf1 = Netns.create("l1");
        Netns leaf2 = Netns.create("l2");
        Netns h1 = Netns.create("h1");
        Netns h2 = Netns.create("h2")) {
      leaf1.exec(
          "ip", "link", "add", "u1", "type", "veth", "peer", "name", "u2", "netns", leaf2.name());
      leaf1.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "u1");
      leaf1.exec("ip", "link", "set", "u1", "up");
      leaf2.exec("ip", "addr", "add", "192.0.2.2/24", "dev", "u2");
      leaf2.exec("ip", "link", "set", "u2", "up");
      leaf1.exec(
          "ip", "link", "add", "p1", "type", "veth", "peer", "name", "eth0", "netns", h1.name());
      leaf2.exec(
          "ip", "link", "add", "p2", "type", "veth", "peer", "name", "eth0", "netns", h2.name());
      h1.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "eth0");
      h1.exec("ip", "link", "set", "eth0", "up");
      h2.exec("ip", "addr", "add", "10.0.0.2/24", "dev", "eth0");
      h2.exec("ip", "link", "set", "eth0", "up");
      String mac2 = h2.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();

      int port = RealPeers.freePort("127.0.0.202");
      Path c1 = file(config("192.0.2.1", "p1", "127.0.0.201", "127.0.0.202", false));
      Path c2 = file(config("192.0.2.2", "p2", "127.0.0.202", "127.0.0.201", true));
      Path s1 = Files.createTempDirectory("vtep").resolve("leaf1.sock");
      Path s2 = Files.createTempDirectory("vtep").resolve("leaf2.sock");
      CompletableFuture<BgpCommandTest.Run> d2 =
          CompletableFuture.supplyAsync(
              () ->
                  BgpCommandTest.run(
                      "vtep",
                      "--config",
                      c2.toString(),
                      "--netns",
                      leaf2.name(),
                      "--listen",
                      "127.0.0.202:" + port,
                      "--control",
                      s2.toString(),
                      "--timeout",
                      "40s",
                      "--json"));
      RealPeers.await("leaf2's control socket", () -> Files.exists(s2));
      CompletableFuture<BgpCommandTest.Run> d1 =
          CompletableFuture.supplyAsync(
              () ->
                  BgpCommandTest.run(
                      "vtep",
                      "--config",
                      c1.toString(),
                      "--netns",
                      leaf1.name(),
                      "--bgp-port",
                      Integer.toString(port),
                      "--control",
                      s1.toString(),
                      "--timeout",
                      "40s",
                      "--json"));
      RealPeers.await(
          "leaf2 in leaf1's flood list",
          () -> {
            BgpCommandTest.Run r =
                BgpCommandTest.run("vtep", "show", "flood", "--json", "--control", s1.toString());
            return r.status() == 0 && r.out().contains("192.0.2.2");
          });
      RealPeers.await(
          "h1 to reach h2 through the VXLAN tunnel", () -> KernelFabric.reaches(h1, "10.0.0.2"));
      h1.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.0.2");
      // h2's MAC came to leaf1 through EVPN, and sits in its kernel with leaf2 as destination
      RealPeers.await(
          "leaf1 to hold h2's MAC",
          () ->
              BgpCommandTest.run("vtep", "show", "macs", "--json", "--control", s1.toString())
                  .out()
                  .contains(mac2));
      JsonNode macs =
          JSON.readTree(
              BgpCommandTest.run("vtep", "show", "macs", "--json", "--control", s1.toString())
                  .out());
      boolean remote = false;
      for (JsonNode m : macs) {
        if (m.get("mac").asText().equals(mac2)) {
          remote = !m.get("local").asBoolean() && m.get("location").asText().contains("192.0.2.2");
        }
      }
      assertTrue(remote, macs.toString());
      String fdb = leaf1.exec("bridge", "fdb", "show", "dev", "vx100");
      assertTrue(fdb.contains(mac2 + " dst 192.0.2.2 self extern_learn"), fdb);

      // ARP suppression (RFC 9161): with the anycast gateway's address on both bridges, leaf2
      // learns
      // h2's address when h2 speaks to the gateway and advertises it in a MAC/IP route; leaf1 puts
      // it
      // in its bridge's ARP table and answers h1's request itself: no ARP goes into the tunnel
      leaf1.exec("ip", "addr", "add", "10.0.0.254/24", "dev", "br100");
      leaf2.exec("ip", "addr", "add", "10.0.0.254/24", "dev", "br100");
      h2.exec("ping", "-c", "1", "-W", "1", "10.0.0.254");
      RealPeers.await(
          "leaf1's ARP entry for h2",
          () ->
              leaf1
                  .exec("ip", "neigh", "show", "dev", "br100")
                  .contains("10.0.0.2 lladdr " + mac2));
      h1.exec("ip", "neigh", "flush", "dev", "eth0");
      Process capture =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  leaf1.name(),
                  "tshark",
                  "-i",
                  "vx100",
                  "-f",
                  "arp",
                  "-a",
                  "duration:4",
                  "-T",
                  "fields",
                  "-e",
                  "arp.opcode",
                  "-e",
                  "arp.dst.proto_ipv4")
              .start();
      // the request goes out once tshark says it captures, not after a guessed pause
      java.io.BufferedReader said =
          new java.io.BufferedReader(
              new java.io.InputStreamReader(capture.getErrorStream(), StandardCharsets.UTF_8));
      String line;
      do {
        line = said.readLine();
      } while (line != null && !line.contains("Capturing on"));
      assertTrue(line != null, "tshark did not start capturing on vx100");
      h1.exec("ping", "-c", "1", "-W", "1", "10.0.0.2");
      String arps = new String(capture.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(capture.waitFor(10, TimeUnit.SECONDS));
      // requests for h2's address: none left leaf1 (h2's own probes for h1 may come the other way)
      assertTrue(
          arps.lines().noneMatch(l -> l.equals("1\t10.0.0.2")),
          "ARP requests in the tunnel: " + arps);
      assertTrue(
          h1.exec("ip", "neigh", "show", "10.0.0.2").contains(mac2),
          "h1 got its answer from its own leaf");

      BgpCommandTest.Run r1 = d1.get(60, TimeUnit.SECONDS);
      BgpCommandTest.Run r2 = d2.get(60, TimeUnit.SECONDS);
      assertEquals(0, r1.status(), r1.err());
      assertEquals(0, r2.status(), r2.err());
      assertEquals("established", r1.event("established").path("event").asText());
      assertTrue(
          !leaf1.exec("ip", "link", "show").contains("vx100"),
          "the daemon removed its devices on exit");
      Files.delete(c1);
      Files.delete(c2);
    }
  }
}
