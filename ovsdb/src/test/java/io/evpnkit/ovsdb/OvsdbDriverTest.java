package io.evpnkit.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.speaker.RealPeers;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The forwarding driver against a real {@code ovsdb-server}: what it writes is read back with
 * {@code vtep-ctl}, the TOR side's own tool, and what {@code vtep-ctl} changes behind its back is
 * repaired by a resync.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class OvsdbDriverTest {
  static final IpAddress PE2 = IpAddress.parse("192.0.2.2");
  static final IpAddress PE3 = IpAddress.parse("192.0.2.3");
  static final IpAddress PE4 = IpAddress.parse("192.0.2.4");
  static final IpAddress PE5 = IpAddress.parse("192.0.2.5");
  static final MacAddress M1 = MacAddress.parse("00:00:5e:00:53:01");
  static final MacAddress M2 = MacAddress.parse("00:00:5e:00:53:02");
  static final MacAddress M3 = MacAddress.parse("00:00:5e:00:53:03");

  /** A TOR with two logical switches (VNIs 100 and 200), as vtep-ctl sets one up. */
  static OvsdbServer tor() throws Exception {
    OvsdbServer server = OvsdbServer.start();
    server.vtepCtl("add-ps", "tor1");
    server.vtepCtl("set", "Physical_Switch", "tor1", "tunnel_ips=192.0.2.50");
    server.vtepCtl("add-ls", "v100", "--", "set", "Logical_Switch", "v100", "tunnel_key=100");
    server.vtepCtl("add-ls", "v200", "--", "set", "Logical_Switch", "v200", "tunnel_key=200");
    return server;
  }

  /** {@code vtep-ctl list-remote-macs}: "MAC -> encap/ip" lines per kind. */
  static Map<String, java.util.Set<String>> remote(OvsdbServer server, String ls) throws Exception {
    Map<String, java.util.Set<String>> out = new TreeMap<>();
    String kind = "";
    for (String line : server.vtepCtl("list-remote-macs", ls).lines().toList()) {
      if (line.startsWith("ucast") || line.startsWith("mcast")) {
        kind = line.substring(0, 5);
      } else if (line.contains(" -> ")) {
        out.computeIfAbsent(kind, k -> new TreeSet<>()).add(line.trim());
      }
    }
    return out;
  }

  static int locators(OvsdbServer server) throws Exception {
    return (int)
        server
            .vtepCtl("--columns=dst_ip", "list", "Physical_Locator")
            .lines()
            .filter(l -> l.startsWith("dst_ip"))
            .count();
  }

  @Test
  void remoteMacsAndFloodListsBecomeRemoteRowsWithOneLocatorPerVtepInOneTransactionPerBatch()
      throws Exception {
    try (OvsdbServer server = tor();
        OvsdbServer.Connected c = server.connectDriver()) {
      c.driver()
          .apply(
              List.of(
                  new ForwardingOp.SetFlood(100, List.of(PE2, PE3)),
                  new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
                  new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE2)),
                  new ForwardingOp.SetNeighbor(100, IpAddress.parse("10.0.0.1"), M1)));
      assertEquals(1, c.driver().transactions());
      assertEquals(
          Map.of(
              "ucast",
              new TreeSet<>(
                  List.of(
                      "00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.2",
                      "00:00:5e:00:53:02 -> vxlan_over_ipv4/192.0.2.2")),
              "mcast",
              new TreeSet<>(
                  List.of(
                      "unknown-dst -> vxlan_over_ipv4/192.0.2.2",
                      "unknown-dst -> vxlan_over_ipv4/192.0.2.3"))),
          remote(server, "v100"));
      assertEquals(
          2, locators(server), "one locator per VTEP, shared by its MACs and the flood set");
      String ips =
          server.vtepCtl(
              "--columns=MAC,ipaddr", "find", "Ucast_Macs_Remote", "MAC=\"00:00:5e:00:53:01\"");
      assertTrue(ips.contains("10.0.0.1"), ips);

      // the MAC moves, another goes, the flood list loses a VTEP: its locator goes with it
      c.driver()
          .apply(
              List.of(
                  new ForwardingOp.RemoveMac(100, M2),
                  new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE3)),
                  new ForwardingOp.SetFlood(100, List.of(PE3))));
      assertEquals(
          Map.of(
              "ucast", new TreeSet<>(List.of("00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.3")),
              "mcast", new TreeSet<>(List.of("unknown-dst -> vxlan_over_ipv4/192.0.2.3"))),
          remote(server, "v100"));
      RealPeers.await("the server collected the unreferenced locator", () -> locators(server) == 1);
      assertEquals(1, c.client().eventLoop().submit(() -> c.replica().locators().size()).get());
      // and the VTEP comes back: a new locator (the old one was collected), no stale reference
      c.driver().apply(List.of(new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE2))));
      assertTrue(
          remote(server, "v100")
              .get("ucast")
              .contains("00:00:5e:00:53:02 -> vxlan_over_ipv4/192.0.2.2"));
    }
  }

  @Test
  void rfc7432_8_2_aSegmentsMacsFollowItsGroupAndTheMassWithdrawIsOneTransaction()
      throws Exception {
    try (OvsdbServer server = tor();
        OvsdbServer.Connected c = server.connectDriver()) {
      EthernetSegmentIdentifier esi =
          EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");
      c.driver()
          .apply(
              List.of(
                  new ForwardingOp.SetGroup(
                      7,
                      esi,
                      100,
                      List.of(new ForwardingOp.Member(PE4, 1), new ForwardingOp.Member(PE5, 1))),
                  new ForwardingOp.SetMac(100, M1, new Destination.Group(7)),
                  new ForwardingOp.SetMac(100, M2, new Destination.Group(7)),
                  new ForwardingOp.SetMac(100, M3, new Destination.RemoteVtep(PE2))));
      assertEquals(
          new TreeSet<>(
              List.of(
                  "00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.4",
                  "00:00:5e:00:53:02 -> vxlan_over_ipv4/192.0.2.4",
                  "00:00:5e:00:53:03 -> vxlan_over_ipv4/192.0.2.2")),
          remote(server, "v100").get("ucast"));
      long before = c.driver().transactions();
      // PE4 withdrew its per-ES route: the RIB replaces the group, the driver repoints its MACs
      c.driver()
          .apply(
              List.of(
                  new ForwardingOp.SetGroup(
                      7, esi, 100, List.of(new ForwardingOp.Member(PE5, 1)))));
      assertEquals(before + 1, c.driver().transactions());
      assertEquals(
          new TreeSet<>(
              List.of(
                  "00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.5",
                  "00:00:5e:00:53:02 -> vxlan_over_ipv4/192.0.2.5",
                  "00:00:5e:00:53:03 -> vxlan_over_ipv4/192.0.2.2")),
          remote(server, "v100").get("ucast"));
    }
  }

  @Test
  void aBatchForAVniTheTorDoesNotHaveFailsWholeAndAResyncRepairsWhatVtepCtlChanged()
      throws Exception {
    try (OvsdbServer server = tor();
        OvsdbServer.Connected c = server.connectDriver()) {
      c.driver()
          .apply(
              List.of(
                  new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
                  new ForwardingOp.SetFlood(200, List.of(PE3))));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () ->
                  c.driver()
                      .apply(
                          List.of(
                              new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE2)),
                              new ForwardingOp.SetMac(300, M3, new Destination.RemoteVtep(PE2)))));
      assertEquals("the TOR's database has no Logical_Switch with tunnel_key 300", e.getMessage());
      assertEquals(
          new TreeSet<>(List.of("00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.2")),
          remote(server, "v100").get("ucast"),
          "nothing of the failed batch");

      // behind the driver's back: a remote MAC deleted, a stray one added, a local one learned
      server.vtepCtl("del-ucast-remote", "v100", "00:00:5e:00:53:01");
      server.vtepCtl("add-ucast-remote", "v100", "00:00:5e:00:53:99", "192.0.2.99");
      server.vtepCtl("add-ucast-local", "v100", "00:00:5e:00:53:aa", "192.0.2.50");
      c.client().echo().get(10, TimeUnit.SECONDS); // the monitor's updates came before the echo
      c.driver()
          .replaceAll(
              List.of(
                  new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
                  new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE3)),
                  new ForwardingOp.SetFlood(200, List.of(PE3))));
      assertEquals(
          Map.of(
              "ucast",
              new TreeSet<>(
                  List.of(
                      "00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.2",
                      "00:00:5e:00:53:02 -> vxlan_over_ipv4/192.0.2.3"))),
          remote(server, "v100"));
      assertEquals(
          Map.of("mcast", new TreeSet<>(List.of("unknown-dst -> vxlan_over_ipv4/192.0.2.3"))),
          remote(server, "v200"));
      assertTrue(
          server.vtepCtl("list-local-macs", "v100").contains("00:00:5e:00:53:aa"),
          "the TOR's own rows are left alone");
      long before = c.driver().transactions();
      c.driver()
          .replaceAll(
              List.of(
                  new ForwardingOp.SetMac(100, M1, new Destination.RemoteVtep(PE2)),
                  new ForwardingOp.SetMac(100, M2, new Destination.RemoteVtep(PE3)),
                  new ForwardingOp.SetFlood(200, List.of(PE3))));
      assertEquals(before, c.driver().transactions(), "in step: a resync writes nothing");
    }
  }
}
