package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An evpnkit leaf and an FRR leaf (zebra and bgpd, {@code advertise-all-vni}) in namespaces of
 * their own, joined by an underlay link, one iBGP session between them over it, a host behind each:
 * the hosts ping each other, and each leaf's MAC table (ours through {@code evpnkit vtep show},
 * FRR's through {@code show evpn mac vni 100 json}) holds the other's host at the other's VTEP. The
 * evpnkit leaf is its own process run inside its namespace, as a user runs it.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class FrrFabricTest {
  static final ObjectMapper JSON = new ObjectMapper();

  static final String OURS =
      """
      routing-options { router-id 192.0.2.1; autonomous-system 65000; }
      interfaces {
          lo0 { unit 0 { family inet { address 192.0.2.1/32; } } }
          p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
          p2 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher 192.0.2.1:100; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols {
          evpn { encapsulation vxlan; extended-vni-list 100; }
          bgp { group fabric { type internal; local-address 192.0.2.1; family evpn { signaling; } neighbor 192.0.2.3; } }
      }
      """;

  static final String FRR =
      """
      hostname frr-leaf
      router bgp 65000
       bgp router-id 192.0.2.3
       no bgp default ipv4-unicast
       neighbor 192.0.2.1 remote-as 65000
       neighbor 192.0.2.1 timers 3 9
       address-family l2vpn evpn
        neighbor 192.0.2.1 activate
        advertise-all-vni
       exit-address-family
      """;

  static String mac(Netns host) throws Exception {
    return host.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
  }

  @Test
  void anEvpnkitLeafAndAnFrrLeafCarryEachOthersHosts() throws Exception {
    try (Netns ours = Netns.create("ek");
        Netns frr = Netns.create("frr");
        Netns h1 = Netns.create("h1");
        Netns h3 = Netns.create("h3")) {
      ours.exec(
          "ip", "link", "add", "u1", "type", "veth", "peer", "name", "u3", "netns", frr.name());
      ours.exec("ip", "addr", "add", "192.0.2.1/24", "dev", "u1");
      ours.exec("ip", "link", "set", "u1", "up");
      frr.exec("ip", "addr", "add", "192.0.2.3/24", "dev", "u3");
      frr.exec("ip", "link", "set", "u3", "up");
      ours.exec(
          "ip", "link", "add", "p1", "type", "veth", "peer", "name", "eth0", "netns", h1.name());
      frr.exec(
          "ip", "link", "add", "p3", "type", "veth", "peer", "name", "eth0", "netns", h3.name());
      // where h3 will move to: a second link into our leaf, down until then
      ours.exec(
          "ip", "link", "add", "p2", "type", "veth", "peer", "name", "eth1", "netns", h3.name());
      h1.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "eth0");
      h1.exec("ip", "link", "set", "eth0", "up");
      h3.exec("ip", "addr", "add", "10.0.0.3/24", "dev", "eth0");
      h3.exec("ip", "link", "set", "eth0", "up");
      KernelFabric.frrBridge(frr, "192.0.2.3", "p3"); // the FRR leaf's data plane
      String mac1 = mac(h1);
      String mac3 = mac(h3);
      Path conf = Files.createTempFile("ours", ".conf");
      Files.writeString(conf, OURS);
      Path control = Files.createTempDirectory("vtep").resolve("ours.sock");
      try (FrrLeaf frrLeaf = new FrrLeaf(frr, FRR)) {
        Path log = Files.createTempFile("vtep", ".log");
        Process vtep =
            KernelFabric.vtep(
                ours, log, "--config", conf.toString(), "--control", control.toString(), "--json");
        try {
          RealPeers.await(
              "the session with FRR",
              30,
              () -> {
                JsonNode s = frrLeaf.json("show bgp l2vpn evpn summary json");
                return s.toString().contains("\"state\":\"Established\"");
              });
          RealPeers.await(
              "h1 to reach h3 through VXLAN", 30, () -> KernelFabric.reaches(h1, "10.0.0.3"));
          h3.exec("ping", "-c", "3", "-i", "0.2", "-W", "1", "10.0.0.1");
          RealPeers.await(
              "FRR to hold h1's MAC at our VTEP",
              () -> {
                JsonNode macs = frrLeaf.json("show evpn mac vni 100 json");
                JsonNode m = macs.path("macs").path(mac1);
                return "remote".equals(m.path("type").asText())
                    && "192.0.2.1".equals(m.path("remoteVtep").asText());
              });
          RealPeers.await(
              "us to hold h3's MAC at FRR's VTEP",
              () -> {
                String out =
                    BgpCommandTest.run(
                            "vtep", "show", "macs", "--json", "--control", control.toString())
                        .out();
                for (JsonNode m : JSON.readTree(out)) {
                  if (m.get("mac").asText().equals(mac3)) {
                    return m.get("location").asText().contains("192.0.2.3");
                  }
                }
                return false;
              });
          // and the two tables agree on both hosts
          JsonNode frrMacs = frrLeaf.json("show evpn mac vni 100 json").path("macs");
          assertEquals("local", frrMacs.path(mac3).path("type").asText(), frrMacs.toString());
          String ourFdb = ours.exec("bridge", "fdb", "show", "dev", "vx100");
          assertTrue(ourFdb.contains(mac3 + " dst 192.0.2.3 self extern_learn"), ourFdb);

          // VM mobility (RFC 7432 §15): h3 moves from the FRR leaf to ours, same MAC and address
          long moved = System.nanoTime();
          // the old port stays up with another MAC: FRR's bridge still has h3's MAC there (until
          // it ages), as a leaf does when a VM leaves it, so our leaf sees a move, not a new MAC
          h3.exec("ip", "addr", "del", "10.0.0.3/24", "dev", "eth0");
          h3.exec("ip", "link", "set", "eth0", "address", "02:00:5e:00:53:33");
          h3.exec("ip", "link", "set", "eth1", "address", mac3);
          h3.exec("ip", "addr", "add", "10.0.0.3/24", "dev", "eth1");
          h3.exec("ip", "link", "set", "eth1", "up");
          RealPeers.await(
              "pings to h3 to resume at its new place",
              30,
              // the host speaks first, as VMs do
              () -> KernelFabric.reaches(h3, "10.0.0.1") && KernelFabric.reaches(h1, "10.0.0.3"));
          System.out.printf(
              "VM mobility: pings to the moved host resumed %d ms after the move%n",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - moved));
          RealPeers.await(
              "FRR to see h3 behind our VTEP with sequence 1",
              () -> {
                JsonNode m = frrLeaf.json("show evpn mac vni 100 json").path("macs").path(mac3);
                return "remote".equals(m.path("type").asText())
                    && "192.0.2.1".equals(m.path("remoteVtep").asText());
              });
          JsonNode frrView = frrLeaf.json("show evpn mac vni 100 mac " + mac3 + " json");
          assertTrue(frrView.toString().contains("\"remoteSequence\":1"), frrView.toString());
          JsonNode ourView = null;
          for (JsonNode m :
              JSON.readTree(
                  BgpCommandTest.run(
                          "vtep", "show", "macs", "--json", "--control", control.toString())
                      .out())) {
            if (m.get("mac").asText().equals(mac3)) {
              ourView = m;
            }
          }
          assertTrue(ourView != null && ourView.get("local").asBoolean(), String.valueOf(ourView));
          assertEquals(1, ourView.get("sequence").asInt(), ourView.toString());
        } finally {
          vtep.destroy(); // SIGTERM: the daemon stops its sessions and removes its devices
          assertTrue(vtep.waitFor(20, TimeUnit.SECONDS), Files.readString(log));
          System.out.println("evpnkit vtep printed:\n" + Files.readString(log));
          Files.delete(log);
        }
      }
      Files.delete(conf);
    }
  }
}
