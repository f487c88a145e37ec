package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * SIGHUP to a running {@code evpnkit vtep}: the configuration read again and its difference
 * applied, the kernel forwarding all along. Two evpnkit leaves, each its own process in its
 * namespace, a host behind each in VNI 100 and another in VNI 200, which leaf A's first
 * configuration leaves out. A gets VLAN 200 by a SIGHUP while its VNI 100 host is pinged; then a
 * broken configuration, which it refuses and runs on; then VLAN 200 taken out again, whose devices
 * go.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class VtepReloadTest {
  static String config(String vtep, String neighbor, boolean passive, boolean vlan200) {
    return """
        routing-options { router-id %1$s; autonomous-system 65000; }
        interfaces {
            lo0 { unit 0 { family inet { address %1$s/32; } } }
            p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
            %4$s
        }
        switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:100; vrf-target target:65000:100; }
        vlans {
            v100 { vlan-id 100; vxlan { vni 100; } }
            %5$s
        }
        protocols {
            evpn { encapsulation vxlan; extended-vni-list all; }
            bgp { group fabric { type internal; local-address %1$s; %3$s graceful-restart; family evpn { signaling; } neighbor %2$s; } }
        }
        """
        .formatted(
            vtep,
            neighbor,
            passive ? "passive;" : "",
            vlan200
                ? "p2 { unit 0 { family ethernet-switching { interface-mode access; vlan { members"
                    + " v200; } } } }"
                : "",
            vlan200 ? "v200 { vlan-id 200; vxlan { vni 200; } }" : "");
  }

  private static int count(Path log, String what) throws Exception {
    return Files.readString(log).split(Pattern.quote(what), -1).length - 1;
  }

  private static void hangup(Process p) throws Exception {
    Netns.run(java.util.List.of("kill", "-HUP", Long.toString(p.pid())));
  }

  @Test
  void aSighupAppliesTheNewConfigurationWhileTheKernelForwards() throws Exception {
    try (Netns a = Netns.create("rla");
        Netns b = Netns.create("rlb");
        Netns ha = Netns.create("rha");
        Netns hb = Netns.create("rhb");
        Netns hc = Netns.create("rhc");
        Netns hd = Netns.create("rhd")) {
      KernelFabric.link(a, "192.0.2.1", b, "192.0.2.2");
      Netns[][] hosts = {{a, ha}, {b, hb}, {a, hc}, {b, hd}};
      String[] addresses = {"10.0.0.1", "10.0.0.2", "10.0.1.1", "10.0.1.2"};
      for (int i = 0; i < hosts.length; i++) {
        KernelFabric.host(hosts[i][0], i < 2 ? "p1" : "p2", hosts[i][1], addresses[i]);
      }
      a.exec("ip", "link", "set", "p2", "up");
      Path dir = Files.createTempDirectory("vtep");
      Path confA = dir.resolve("a.conf");
      Path confB = dir.resolve("b.conf");
      Files.writeString(confA, config("192.0.2.1", "192.0.2.2", false, false));
      Files.writeString(confB, config("192.0.2.2", "192.0.2.1", true, true));
      Path logA = Files.createFile(dir.resolve("a.log"));
      Path logB = Files.createFile(dir.resolve("b.log"));
      Process leafB =
          GracefulRestartFabricTest.start(
              b, confB, dir.resolve("b.sock"), logB, "--listen", "192.0.2.2:179");
      Process leafA = GracefulRestartFabricTest.start(a, confA, dir.resolve("a.sock"), logA);
      try {
        RealPeers.await(
            "the VNI 100 hosts to reach each other",
            40,
            () -> KernelFabric.reaches(ha, "10.0.0.2"));
        assertFalse(KernelFabric.reaches(hc, "10.0.1.2"), "VNI 200 is not on leaf A yet");

        // VLAN 200 added, by SIGHUP, while hb pings ha: 6 s, every 100 ms
        KernelFabric.Pings pings = KernelFabric.Pings.start(hb, "10.0.0.1", 60, "0.1");
        pings.awaitReplies(3);
        Files.writeString(confA, config("192.0.2.1", "192.0.2.2", false, true));
        hangup(leafA);
        RealPeers.await(
            "A's reload to complete (End-of-RIB from B)",
            60,
            () -> count(logA, "reloaded") == 1 && count(logA, "restart-complete") == 1);
        RealPeers.await(
            "the VNI 200 hosts to reach each other",
            30,
            () -> KernelFabric.reaches(hc, "10.0.1.2"));
        String out = pings.output();
        int loss = KernelFabric.loss(out);
        System.out.println("reload: " + loss + "% packet loss in VNI 100 while leaf A reloaded");
        assertTrue(loss <= 5, out);

        // a broken configuration: refused, the running one stays
        Files.writeString(confA, "vlans { v100 { vlan-id 5000; } }");
        hangup(leafA);
        RealPeers.await("the refusal", () -> count(logA, "reload-refused") == 1);
        assertTrue(Files.readString(logA).contains("vlan-id 5000"), Files.readString(logA));
        assertTrue(KernelFabric.reaches(hc, "10.0.1.2"));
        assertTrue(leafA.isAlive());

        // VLAN 200 taken out: its devices go, VNI 100's stay
        Files.writeString(confA, config("192.0.2.1", "192.0.2.2", false, false));
        hangup(leafA);
        RealPeers.await(
            "the second reload",
            60,
            () -> count(logA, "reloaded") == 2 && count(logA, "restart-complete") == 2);
        String links = a.exec("ip", "link", "show");
        assertFalse(links.contains("vx200") || links.contains("br200"), links);
        assertTrue(links.contains("vx100"), links);
        assertTrue(KernelFabric.reaches(ha, "10.0.0.2"));
      } finally {
        for (Process p : new Process[] {leafA, leafB}) {
          p.destroy();
          p.waitFor(20, TimeUnit.SECONDS);
        }
        System.out.println("leaf A printed:\n" + Files.readString(logA));
      }
    }
  }

  /**
   * The IP-VRF taken out of a leaf's configuration by SIGHUP: the kernel stops routing the subnet
   * (no anycast gateway device, no address on the VLAN's bridge, no L3 VNI devices or VRF-lite
   * rules) while the VLAN's bridge stays; put back by another SIGHUP, the routing comes back.
   */
  @Test
  void aSighupThatTakesTheIpVrfOutTakesItsRoutingOutOfTheKernel() throws Exception {
    String routed = RoutedFabricTest.config("192.0.2.1", "192.0.2.2", 100, "10.1.0.2", "10.1.0.1");
    String bridged = routed.substring(0, routed.indexOf("routing-instances {"));
    try (Netns a = Netns.create("rlv")) {
      a.exec("ip", "link", "add", "p1", "type", "veth", "peer", "name", "p1x");
      Path dir = Files.createTempDirectory("rlv");
      Path conf = dir.resolve("a.conf");
      Files.writeString(conf, routed);
      Path log = Files.createFile(dir.resolve("a.log"));
      Process leaf = GracefulRestartFabricTest.start(a, conf, dir.resolve("a.sock"), log);
      try {
        RealPeers.await(
            "the IRB and its anycast gateway", 30, () -> routing(a).equals("gw100 br5000 rules"));
        Files.writeString(conf, bridged);
        hangup(leaf);
        RealPeers.await("the reload", 30, () -> count(log, "reloaded") == 1);
        assertTrue(routing(a).isEmpty(), routing(a));
        String links = a.exec("ip", "link", "show");
        assertTrue(links.contains(" br100:"), "the VLAN stays: " + links);
        assertFalse(
            a.exec("ip", "addr", "show", "dev", "br100").contains("10.1.0.2"),
            a.exec("ip", "addr", "show", "dev", "br100"));

        Files.writeString(conf, routed);
        hangup(leaf);
        RealPeers.await("the second reload", 30, () -> count(log, "reloaded") == 2);
        RealPeers.await("the routing back", 30, () -> routing(a).equals("gw100 br5000 rules"));
        assertTrue(a.exec("ip", "addr", "show", "dev", "br100").contains("10.1.0.2/24"));
      } finally {
        leaf.destroy();
        assertTrue(leaf.waitFor(20, TimeUnit.SECONDS));
        Files.deleteIfExists(conf);
        Files.deleteIfExists(log);
        Files.deleteIfExists(dir.resolve("a.sock"));
        Files.deleteIfExists(dir);
      }
    }
  }

  /**
   * What of a leaf's routing the kernel shows: the anycast gateway device, the L3 VNI's bridge, and
   * VRF-lite rules (or the VRF device) for the VRF's table 5000.
   */
  private static String routing(Netns ns) throws Exception {
    String links = ns.exec("ip", "link", "show");
    List<String> out = new java.util.ArrayList<>();
    if (links.contains(" gw100")) {
      out.add("gw100");
    }
    if (links.contains(" br5000:")) {
      out.add("br5000");
    }
    if (ns.exec("ip", "rule", "show").contains("lookup 5000") || links.contains(" T5:")) {
      out.add("rules");
    }
    return String.join(" ", out);
  }
}
