package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The deck's fabric in namespaces: two evpnkit leaves (each its own process in its namespace), an
 * FRR leaf (zebra and bgpd) and an FRR route reflector, on one underlay segment (a bridge in a
 * namespace of its own), a host behind each leaf in VNI 100. Every host pings every other, through
 * the kernels' VXLAN devices, with what each leaf learned through the reflector.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class ReflectedFabricTest {
  static String ours(String vtep) {
    return KernelFabric.leafConfig(
        vtep,
        "group rr { type internal; local-address %s; family evpn { signaling; } neighbor 192.0.2.100; }"
            .formatted(vtep));
  }

  static final String FRR_LEAF =
      """
      hostname frr-leaf
      router bgp 65000
       bgp router-id 192.0.2.3
       no bgp default ipv4-unicast
       neighbor 192.0.2.100 remote-as 65000
       neighbor 192.0.2.100 timers 3 9
       address-family l2vpn evpn
        neighbor 192.0.2.100 activate
        advertise-all-vni
       exit-address-family
      """;

  static final String FRR_RR =
      """
      hostname frr-rr
      router bgp 65000
       bgp router-id 192.0.2.100
       bgp cluster-id 192.0.2.100
       no bgp default ipv4-unicast
       neighbor leaves peer-group
       neighbor leaves remote-as 65000
       neighbor leaves timers 3 9
       bgp listen range 192.0.2.0/24 peer-group leaves
       address-family l2vpn evpn
        neighbor leaves activate
        neighbor leaves route-reflector-client
       exit-address-family
      """;

  @Test
  void everyHostReachesEveryOtherThroughTheReflectedFabric() throws Exception {
    List<Netns> all = new ArrayList<>();
    List<Process> daemons = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    try {
      Netns underlay = Netns.create("ul");
      all.add(underlay);
      KernelFabric.underlay(underlay);
      String[] names = {"a", "b", "c", "rr"};
      String[] vteps = {"192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.100"};
      Netns[] nodes = new Netns[4];
      Netns[] hosts = new Netns[3];
      for (int i = 0; i < 4; i++) {
        nodes[i] = Netns.create(names[i]);
        all.add(nodes[i]);
        KernelFabric.plug(underlay, nodes[i], names[i], vteps[i]);
        if (i < 3) {
          hosts[i] = Netns.create("h" + names[i]);
          all.add(hosts[i]);
          KernelFabric.host(nodes[i], "p1", hosts[i], "10.0.0." + (i + 1));
        }
      }
      Netns c = nodes[2];
      KernelFabric.frrBridge(c, "192.0.2.3", "p1"); // the FRR leaf's data plane
      try (FrrLeaf rr = new FrrLeaf(nodes[3], FRR_RR);
          FrrLeaf frr = new FrrLeaf(c, FRR_LEAF)) {
        for (int i = 0; i < 2; i++) {
          Path conf = Files.createTempFile("leaf", ".conf");
          Files.writeString(conf, ours(vteps[i]));
          files.add(conf);
          Path control = Files.createTempDirectory("vtep").resolve("leaf.sock");
          Path log = Files.createTempFile("vtep", ".log");
          files.add(log);
          daemons.add(
              KernelFabric.vtep(
                  nodes[i], log, "--config", conf.toString(), "--control", control.toString()));
        }
        RealPeers.await(
            "three leaves at the reflector",
            60,
            () -> {
              JsonNode s = rr.json("show bgp l2vpn evpn summary json");
              return s.path("peers").size() == 3
                  && s.toString().split("\"state\":\"Established\"", -1).length == 4;
            });
        for (int from = 0; from < 3; from++) {
          for (int to = 0; to < 3; to++) {
            if (from == to) {
              continue;
            }
            Netns h = hosts[from];
            String target = "10.0.0." + (to + 1);
            RealPeers.await(
                "h" + names[from] + " to reach " + target,
                30,
                () -> KernelFabric.reaches(h, target));
          }
        }
        // FRR's leaf learned both evpnkit hosts through the reflector, at their leaves' VTEPs
        JsonNode macs = frr.json("show evpn mac vni 100 json").path("macs");
        for (int i = 0; i < 2; i++) {
          String mac =
              hosts[i].json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
          assertEquals(vteps[i], macs.path(mac).path("remoteVtep").asText(), macs.toString());
        }
      }
    } finally {
      KernelFabric.cleanUp(daemons, files, all);
    }
  }
}
