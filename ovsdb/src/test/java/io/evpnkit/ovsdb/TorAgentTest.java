package io.evpnkit.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.Gobgpd;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.RealPeers;
import io.evpnkit.speaker.RibSessions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deck's multivendor TOR, end to end: a TOR ({@code ovsdb-server} with the {@code
 * hardware_vtep} schema, played by {@code vtep-ctl}), evpnkit as its agent with a BGP session to a
 * real gobgpd standing for the fabric.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class TorAgentTest {
  static final String GOBGP = "127.0.0.231";
  static final String US = "127.0.0.232";
  static final String TOR_VTEP = "192.0.2.50";
  static final String BARE_METAL = "00:00:5e:00:53:b1";
  static final String VM = "00:00:5e:00:53:c1";

  static final String CONFIG =
      """
      routing-options { router-id %1$s; autonomous-system 65001; }
      interfaces {
          p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
      """
          .formatted(TOR_VTEP);

  /** The agent, its RIB and a BGP session to gobgpd. */
  static final class Rig implements AutoCloseable {
    final TorAgent agent;
    final RibSessions sessions;
    final BgpSpeaker speaker;
    final List<String> events = new CopyOnWriteArrayList<>();

    Rig(OvsdbServer server, Gobgpd gobgpd) throws Exception {
      VtepConfig config = VtepConfig.parse(CONFIG);
      agent =
          TorAgent.builder(server.unix(), config)
              .listener(
                  new TorAgent.Listener() {
                    @Override
                    public void synced(OvsdbAddress address) {
                      events.add("synced");
                    }

                    @Override
                    public void disconnected(OvsdbAddress address, String cause, Duration retryIn) {
                      events.add("disconnected: " + cause);
                    }

                    @Override
                    public void learned(int vni, io.evpnkit.evpn.MacAddress mac, IpAddress ip) {
                      events.add("learned " + mac);
                    }

                    @Override
                    public void aged(int vni, io.evpnkit.evpn.MacAddress mac) {
                      events.add("aged " + mac);
                    }
                  })
              .build();
      sessions =
          new RibSessions(
              sink ->
                  EvpnRib.builder(config, IpAddress.parse(TOR_VTEP), agent.driver())
                      .routeSink(sink)
                      .routerId(IpAddress.parse(TOR_VTEP))
                      .build());
      speaker = BgpSpeaker.builder(65001, IpAddress.parse(TOR_VTEP)).listener(sessions).build();
      speaker.addPeer(
          PeerConfig.builder(new InetSocketAddress(GOBGP, gobgpd.port), 65000)
              .local(new InetSocketAddress(US, 0))
              .holdTime(9)
              .connectRetry(Duration.ofSeconds(1))
              .build());
      agent.start(sessions.rib(), speaker.eventLoop()).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      agent.close();
      speaker.close();
    }
  }

  static String gobgpRib(Gobgpd gobgpd) throws Exception {
    return gobgpd.cli("global", "rib", "-a", "evpn");
  }

  static long count(String text, String what) {
    return text.lines().filter(l -> l.contains(what)).count();
  }

  static OvsdbServer tor() throws Exception {
    OvsdbServer server = OvsdbServer.start();
    server.vtepCtl("add-ps", "tor1");
    server.vtepCtl("set", "Physical_Switch", "tor1", "tunnel_ips=" + TOR_VTEP);
    server.vtepCtl("add-port", "tor1", "p1");
    return server;
  }

  @Test
  void theDecksFlowABareMetalMacGoesToTheFabricAndAVmMacComesToTheTor() throws Exception {
    try (OvsdbServer server = tor();
        Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true);
        Rig rig = new Rig(server, gobgpd)) {
      // the agent wrote the TOR's logical switch and bound the configured port to it
      assertTrue(server.vtepCtl("list-ls").contains("v100"));
      assertEquals("100", server.vtepCtl("get", "Logical_Switch", "v100", "tunnel_key").trim());
      assertTrue(server.vtepCtl("list-bindings", "tor1", "p1").contains("v100"));

      // a bare-metal server boots: the TOR learns its MAC, the fabric gets a type 2 route
      server.vtepCtl("add-ucast-local", "v100", BARE_METAL, TOR_VTEP);
      RealPeers.await(
          "gobgpd to hold the bare-metal MAC", () -> gobgpRib(gobgpd).contains(BARE_METAL));
      String rib = gobgpRib(gobgpd);
      assertTrue(
          rib.lines().anyMatch(l -> l.contains(BARE_METAL) && l.contains(TOR_VTEP)),
          "next hop the TOR's VTEP: " + rib);

      // a VM behind another leaf: gobgpd announces it, the TOR gets a remote MAC to that leaf
      gobgpd.addMacIp(VM, "10.0.0.7", 100, "192.0.2.7:1", "65000:100", "192.0.2.7");
      RealPeers.await(
          "the TOR to hold the VM's MAC",
          () ->
              server
                  .vtepCtl("list-remote-macs", "v100")
                  .contains(VM + " -> vxlan_over_ipv4/192.0.2.7"));
      // the other leaf's inclusive multicast route: the TOR floods BUM traffic to it
      gobgpd.cli(
          "global",
          "rib",
          "-a",
          "evpn",
          "add",
          "multicast",
          "192.0.2.7",
          "etag",
          "0",
          "rd",
          "192.0.2.7:1",
          "rt",
          "65000:100",
          "encap",
          "vxlan",
          "pmsi",
          "ingress-repl",
          "100",
          "192.0.2.7");
      RealPeers.await(
          "the TOR's flood list",
          () ->
              server
                  .vtepCtl("list-remote-macs", "v100")
                  .contains("unknown-dst -> vxlan_over_ipv4/192.0.2.7"));
      // and the TOR's own inclusive multicast route went to the fabric, next hop its VTEP
      String routes = gobgpRib(gobgpd);
      assertTrue(
          routes.lines().anyMatch(l -> l.contains("multicast") && l.contains(TOR_VTEP)), routes);
      String ipaddr =
          server.vtepCtl("--columns=ipaddr", "find", "Ucast_Macs_Remote", "MAC=\"" + VM + "\"");
      assertTrue(ipaddr.contains("10.0.0.7"), "the ARP suppression address: " + ipaddr);

      // withdrawals both ways
      server.vtepCtl("del-ucast-local", "v100", BARE_METAL);
      RealPeers.await(
          "gobgpd to lose the bare-metal MAC", () -> !gobgpRib(gobgpd).contains(BARE_METAL));
      gobgpd.delMacIp(VM, "10.0.0.7", 100, "192.0.2.7:1");
      RealPeers.await(
          "the TOR to lose the VM's MAC",
          () -> !server.vtepCtl("list-remote-macs", "v100").contains(VM));
      assertEquals(List.of("synced", "learned " + BARE_METAL, "aged " + BARE_METAL), rig.events);
    }
  }

  @Test
  void afterOvsdbServerRestartsTheAgentResyncsBothWaysWithoutLosingOrRepeatingAnything()
      throws Exception {
    try (OvsdbServer server = tor();
        Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true);
        Rig rig = new Rig(server, gobgpd)) {
      server.vtepCtl("add-ucast-local", "v100", BARE_METAL, TOR_VTEP);
      gobgpd.addMacIp(VM, "10.0.0.7", 100, "192.0.2.7:1", "65000:100", "192.0.2.7");
      RealPeers.await(
          "both directions",
          () ->
              gobgpRib(gobgpd).contains(BARE_METAL)
                  && server.vtepCtl("list-remote-macs", "v100").contains(VM));

      server.kill();
      RealPeers.await(
          "the agent to see the connection go",
          () -> rig.events.stream().anyMatch(e -> e.startsWith("disconnected")));
      server.startAgain();
      // while the agent is away: the TOR forgot the bare-metal MAC and learned another; someone
      // deleted the VM's remote MAC and wrote a stray one
      String other = "00:00:5e:00:53:b2";
      server.vtepCtl("del-ucast-local", "v100", BARE_METAL);
      server.vtepCtl("add-ucast-local", "v100", other, TOR_VTEP);
      server.vtepCtl("del-ucast-remote", "v100", VM);
      server.vtepCtl("add-ucast-remote", "v100", "00:00:5e:00:53:99", "192.0.2.99");

      RealPeers.await(
          "the agent to connect again",
          () ->
              rig.agent.connections() >= 2
                  && rig.events.get(rig.events.size() - 1).equals("synced"));
      RealPeers.await(
          "gobgpd to hold the new MAC and not the old",
          () -> {
            String rib = gobgpRib(gobgpd);
            return rib.contains(other) && !rib.contains(BARE_METAL);
          });
      RealPeers.await(
          "the TOR's remote MACs to be what the RIB wants",
          () -> {
            String remote = server.vtepCtl("list-remote-macs", "v100");
            return remote.contains(VM) && !remote.contains("00:00:5e:00:53:99");
          });
      String remote = server.vtepCtl("--columns=MAC", "list", "Ucast_Macs_Remote");
      assertEquals(1, count(remote, VM), "one row per MAC: " + remote);
      assertEquals(1, count(gobgpRib(gobgpd), other), "one route per MAC");
      assertEquals(1, rig.events.stream().filter(e -> e.equals("learned " + other)).count());
      assertEquals(1, rig.events.stream().filter(e -> e.equals("aged " + BARE_METAL)).count());
      assertFalse(rig.events.contains("learned " + VM), "remote MACs are never local");
    }
  }
}
