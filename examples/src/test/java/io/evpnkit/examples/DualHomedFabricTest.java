package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A host dual-homed to two evpnkit leaves, all-active (RFC 7432 §8, §14.1): a bond over two veths,
 * one into each leaf, both leaves configured with the same Ethernet segment. A third evpnkit leaf
 * and an FRR leaf reach the host through both (aliasing, RFC 7432 §8.4): the third's kernel points
 * the host's MAC at an FDB nexthop group of the two VTEPs; FRR holds the segment with both. The
 * link to the leaf that learned the host fails: that leaf withdraws its per-ES route, and the third
 * leaf's kernel sees one change, the group's, and none of the MAC's entry (mass withdraw, §8.2);
 * the pings of the remote hosts go on. All through an FRR route reflector on one underlay segment,
 * every leaf in its namespace, every evpnkit leaf its own process.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class DualHomedFabricTest {
  static final String ESI = "00:11:22:33:44:55:66:77:88:99";

  /**
   * An evpnkit leaf: VNI 100 as a VLAN-based MAC-VRF (Ethernet tag 0, RFC 7432 §6.1), the service
   * FRR's leaves run; FRR reads a type 1 route with another tag as a per-ES route.
   */
  static String leaf(String vtep, String port) {
    return """
        routing-options { router-id %1$s; autonomous-system 65000; }
        interfaces {
            lo0 { unit 0 { family inet { address %1$s/32; } } }
            %2$s
        }
        routing-instances {
            evi100 {
                instance-type mac-vrf;
                service-type vlan-based;
                protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
                vtep-source-interface lo0.0;
                interface %3$s.0;
                route-distinguisher %1$s:100;
                vrf-target target:65000:100;
                vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
            }
        }
        protocols {
            bgp { group rr { type internal; local-address %1$s; family evpn { signaling; } neighbor 192.0.2.100; } }
        }
        """
        .formatted(vtep, port, port.substring(0, port.indexOf(' ')));
  }

  static final String ACCESS =
      "p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }";

  static final String SEGMENT =
      ("ae0 { esi { %s; all-active; } unit 0 { family ethernet-switching { interface-mode access;"
              + " vlan { members v100; } } } }")
          .formatted(ESI);

  @Test
  void aDualHomedHostIsReachedThroughBothLeavesAndALinkFailureIsOneGroupChange() throws Exception {
    List<Netns> all = new ArrayList<>();
    List<Process> daemons = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    List<Path> controls = new ArrayList<>();
    try {
      Netns underlay = Netns.create("ul");
      all.add(underlay);
      KernelFabric.underlay(underlay);
      // a, b: the segment's leaves; d: a remote evpnkit leaf; c: FRR; rr: the reflector
      String[] names = {"a", "b", "c", "d", "rr"};
      String[] vteps = {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4", "192.0.2.100"};
      Netns[] nodes = new Netns[names.length];
      for (int i = 0; i < names.length; i++) {
        nodes[i] = Netns.create(names[i]);
        all.add(nodes[i]);
        KernelFabric.plug(underlay, nodes[i], names[i], vteps[i]);
      }
      // the dual-homed host: a link aggregation of two links, one into each leaf, both active. This
      // kernel has no bonding driver: a bridge whose two ports are isolated from each other (frames
      // go between a link and the host, never from one link to the other) stands in for it
      Netns hab = Netns.create("hab");
      all.add(hab);
      hab.exec("ip", "link", "add", "bond0", "type", "bridge");
      hab.exec("ip", "link", "set", "bond0", "address", "02:00:00:00:0a:10");
      for (int i = 0; i < 2; i++) {
        nodes[i].exec(
            "ip",
            "link",
            "add",
            "es1",
            "type",
            "veth",
            "peer",
            "name",
            "e" + (i + 1),
            "netns",
            hab.name());
        hab.exec("ip", "link", "set", "e" + (i + 1), "master", "bond0");
        hab.exec("ip", "link", "set", "e" + (i + 1), "up");
        nodes[i].exec("ip", "link", "set", "es1", "up");
      }
      hab.exec("ip", "addr", "add", "10.0.0.10/24", "dev", "bond0");
      hab.exec("ip", "link", "set", "bond0", "up");
      for (String e : List.of("e1", "e2")) {
        hab.exec("bridge", "link", "set", "dev", e, "isolated", "on");
      }
      String habMac = hab.json("ip", "-j", "link", "show", "bond0").get(0).get("address").asText();
      // single-homed hosts behind the FRR leaf and the remote evpnkit leaf
      Netns hc = host("hc", nodes[2], "10.0.0.3", all);
      Netns hd = host("hd", nodes[3], "10.0.0.4", all);
      KernelFabric.frrBridge(nodes[2], "192.0.2.3", "p1");
      try (FrrLeaf rr = new FrrLeaf(nodes[4], ReflectedFabricTest.FRR_RR);
          FrrLeaf frr =
              new FrrLeaf(nodes[2], ReflectedFabricTest.FRR_LEAF.replace("192.0.2.3", vteps[2]))) {
        for (int i : new int[] {0, 1, 3}) {
          Path conf = Files.createTempFile("leaf", ".conf");
          Files.writeString(conf, leaf(vteps[i], i < 2 ? SEGMENT : ACCESS));
          files.add(conf);
          Path control = Files.createTempDirectory("vtep").resolve("leaf.sock");
          controls.add(control);
          Path log = Files.createTempFile("vtep", ".log");
          files.add(log);
          List<String> args =
              new ArrayList<>(
                  List.of("--config", conf.toString(), "--control", control.toString()));
          if (i < 2) {
            args.addAll(List.of("--interface", "ae0=es1"));
          }
          daemons.add(KernelFabric.vtep(nodes[i], log, args.toArray(String[]::new)));
        }
        try {
          RealPeers.await(
              "four leaves at the reflector",
              60,
              () -> {
                JsonNode s = rr.json("show bgp l2vpn evpn summary json");
                return s.toString().split("\"state\":\"Established\"", -1).length == 5;
              });
          for (Netns h : List.of(hab, hc, hd)) {
            for (String target : List.of("10.0.0.10", "10.0.0.3", "10.0.0.4")) {
              if (!h.exec("ip", "-br", "addr").contains(target + "/")) {
                RealPeers.await(
                    h.name() + " to reach " + target, 30, () -> KernelFabric.reaches(h, target));
              }
            }
          }
          // aliasing at the remote evpnkit leaf: the host's MAC at a group of both VTEPs
          Netns d = nodes[3];
          RealPeers.await(
              "d's kernel: the host's MAC via a group of 192.0.2.1 and 192.0.2.2",
              30,
              () -> groupVteps(d, habMac).equals(Set.of("192.0.2.1", "192.0.2.2")));
          // aliasing at FRR: the segment with both VTEPs
          RealPeers.await(
              "FRR: the segment at both VTEPs",
              30,
              () -> frrSegmentVteps(frr).equals(Set.of("192.0.2.1", "192.0.2.2")));
          // and the host's MAC behind it, not behind one VTEP
          JsonNode frrMac = frr.json("show evpn mac vni 100 mac " + habMac + " json").path(habMac);
          assertEquals(ESI, frrMac.path("esi").asText(), frrMac.toString());

          // the link into leaf a fails, while the remote hosts ping the dual-homed one
          Path monitorOut = Files.createTempFile("monitor", ".txt");
          files.add(monitorOut);
          Process monitor =
              new ProcessBuilder("ip", "-n", d.name(), "monitor", "nexthop", "neigh")
                  .redirectErrorStream(true)
                  .redirectOutput(monitorOut.toFile())
                  .start();
          // subscribed once it shows a marker entry changed after it started
          int[] marker = {0};
          RealPeers.await(
              "ip monitor to subscribe",
              () -> {
                d.exec(
                    "ip",
                    "neigh",
                    "replace",
                    "192.0.2.250",
                    "lladdr",
                    String.format("02:00:00:00:02:%02x", ++marker[0] & 0xff),
                    "dev",
                    "up0");
                return Files.readString(monitorOut, StandardCharsets.UTF_8).contains("192.0.2.250");
              });
          d.exec("ip", "neigh", "del", "192.0.2.250", "dev", "up0");
          KernelFabric.Pings pingD = KernelFabric.Pings.start(hd, "10.0.0.10", 60, "0.05");
          KernelFabric.Pings pingC = KernelFabric.Pings.start(hc, "10.0.0.10", 60, "0.05");
          pingD.awaitReplies(10);
          pingC.awaitReplies(10);
          long failedAt = System.nanoTime();
          hab.exec("ip", "link", "set", "e1", "down");
          RealPeers.await(
              "d's group to hold 192.0.2.2 alone",
              20,
              () -> groupVteps(d, habMac).equals(Set.of("192.0.2.2")));
          double converged = (System.nanoTime() - failedAt) / 1e6;
          RealPeers.await(
              "FRR: the segment at 192.0.2.2 alone",
              20,
              () -> frrSegmentVteps(frr).equals(Set.of("192.0.2.2")));
          String d1 = pingD.output();
          String c1 = pingC.output();
          Thread.sleep(500);
          monitor.destroy();
          monitor.waitFor(5, TimeUnit.SECONDS);
          String events = Files.readString(monitorOut, StandardCharsets.UTF_8);
          System.out.printf(
              "link failure: d's group changed %.0f ms after it%nmonitor:%n%s%nping from d: %s%nping"
                  + " from c: %s%n",
              converged, events, KernelFabric.summary(d1), KernelFabric.summary(c1));
          List<String> nexthopChanges = events.lines().filter(l -> l.startsWith("id ")).toList();
          List<String> macChanges = events.lines().filter(l -> l.contains(habMac)).toList();
          assertEquals(1, nexthopChanges.size(), events);
          assertEquals(List.of(), macChanges, events);
          assertTrue(KernelFabric.received(d1) >= 30, d1);
          assertTrue(KernelFabric.received(c1) >= 30, c1);
          // and both still reach it
          assertTrue(KernelFabric.reaches(hd, "10.0.0.10"));
          assertTrue(KernelFabric.reaches(hc, "10.0.0.10"));
        } catch (Throwable t) {
          for (String c :
              List.of(
                  "show evpn es detail json",
                  "show bgp l2vpn evpn es detail json",
                  "show bgp l2vpn evpn es-evi json",
                  "show bgp l2vpn evpn route type ead json",
                  "show evpn es-evi detail json")) {
            System.err.println("FRR " + c + ": " + frr.json(c).toPrettyString());
          }
          dump(files, controls, all);
          throw t;
        }
      }
    } finally {
      KernelFabric.cleanUp(daemons, files, all);
    }
  }

  private static Netns host(String name, Netns leaf, String address, List<Netns> all)
      throws Exception {
    Netns h = Netns.create(name);
    all.add(h);
    KernelFabric.host(leaf, "p1", h, address);
    return h;
  }

  /** The VTEPs of the FDB nexthop group the MAC's entry on vx100 points at, in leaf {@code ns}. */
  static Set<String> groupVteps(Netns ns, String mac) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : ns.json("bridge", "-j", "fdb", "show", "dev", "vx100")) {
      if (mac.equals(e.path("mac").asText()) && e.has("nhid")) {
        JsonNode group = ns.json("ip", "-j", "nexthop", "show", "id", e.get("nhid").asText());
        for (JsonNode member : group.get(0).path("group")) {
          JsonNode nh = ns.json("ip", "-j", "nexthop", "show", "id", member.get("id").asText());
          out.add(nh.get(0).path("gateway").asText());
        }
      }
    }
    return out;
  }

  /** The VTEPs FRR's zebra holds for the segment. */
  static Set<String> frrSegmentVteps(FrrLeaf frr) throws Exception {
    Set<String> out = new TreeSet<>();
    for (JsonNode es : frr.json("show evpn es json")) {
      if (ESI.equals(es.path("esi").asText())) {
        for (JsonNode v : es.path("vteps")) {
          out.add(v.isTextual() ? v.asText() : v.path("vtep").asText());
        }
      }
    }
    return out;
  }

  /** What the leaves said and what their kernels hold, to see why a step failed. */
  private static void dump(List<Path> files, List<Path> controls, List<Netns> all)
      throws Exception {
    // what the leaves said and what their kernels hold, to see why
    for (Path f : files) {
      if (f.getFileName().toString().startsWith("vtep")) {
        System.err.println("== " + f + "\n" + Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    for (Path c : controls) {
      System.err.println("== " + c + "\n" + KernelFabric.show(c, "macs"));
      System.err.println(KernelFabric.show(c, "routes"));
      System.err.println(KernelFabric.show(c, "flood"));
      System.err.println(KernelFabric.show(c, "forwarding"));
    }
    for (Netns n : all) {
      try {
        System.err.println("== " + n.name() + "\n" + n.exec("bridge", "fdb", "show"));
        System.err.println(n.exec("ip", "nexthop", "show"));
        System.err.println(n.exec("bridge", "link", "show"));
      } catch (Exception e) {
        System.err.println(e.getMessage());
      }
    }
  }
}
