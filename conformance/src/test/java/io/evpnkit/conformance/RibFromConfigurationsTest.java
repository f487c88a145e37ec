package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The RIB built from the configurations of {@code configs/} with one call each, fed the routes
 * GoBGP speaker A announced in the live capture (decoded from its bytes), and checked for what each
 * configuration's import rules and VNIs imply.
 */
class RibFromConfigurationsTest {
  static final IpAddress A = IpAddress.parse("10.255.0.1");

  /**
   * GoBGP's MP_REACH_NLRI next hop: its session address (the capture ran on loopback addresses).
   */
  static final IpAddress A_SESSION = IpAddress.parse("127.0.0.1");

  static final Peer PEER = new Peer(IpAddress.parse("127.0.0.1"), 0x0AFF_0001L, false);

  static InMemoryForwardingTable feed(String config, IpAddress local) throws IOException {
    InMemoryForwardingTable table = new InMemoryForwardingTable();
    try (EvpnRib rib = EvpnRib.builder(PolicyScenarioTest.config(config), local, table).build()) {
      for (PolicyScenarioTest.CapturedRoute r : PolicyScenarioTest.routes()) {
        rib.announce(PEER, 0, io.evpnkit.evpn.EvpnRoutes.decode(r.view()), r.attributes());
      }
    }
    return table;
  }

  @Test
  void theDecksSampleBuildsARibWithItsTwoVnis() throws IOException {
    VtepConfig seed = PolicyScenarioTest.config("seed-vtep-bms.conf");
    InMemoryForwardingTable table = new InMemoryForwardingTable();
    List<String> announced = new java.util.ArrayList<>();
    try (EvpnRib rib =
        EvpnRib.builder(seed, IpAddress.parse("1.2.3.11"), table)
            .autonomousSystem(65000)
            .routeSink(
                new io.evpnkit.rib.RouteSink() {
                  @Override
                  public void announce(
                      io.evpnkit.evpn.EvpnRoute route, io.evpnkit.evpn.PathAttributes attributes) {
                    announced.add(route + " " + io.evpnkit.evpn.Communities.texts(attributes));
                  }

                  @Override
                  public void withdraw(io.evpnkit.evpn.EvpnRoute route) {}
                })
            .build()) {
      rib.macLearned(100, MacAddress.parse("00:00:0a:0b:0c:0d"), "xe-0/0/0.0", null);
      assertEquals(
          new Destination.LocalPort("xe-0/0/0.0"),
          table.mac(100, MacAddress.parse("00:00:0a:0b:0c:0d")));
    }
    // the deck's route text, with the auto target of VNI 100 in AS 65000 (RFC 8365 §5.1.2.1)
    assertTrue(
        announced.contains(
            "2:1.2.3.11:1::100::00:00:0a:0b:0c:0d/304 [target:65000:268435556, "
                + "encapsulation:vxlan]"),
        announced::toString);
    assertTrue(
        announced.stream().anyMatch(s -> s.startsWith("3:1.2.3.11:1::101::1.2.3.11/304")),
        announced::toString);
  }

  @Test
  void leaf1ImportsItsFabricRoutesAndQuarantinesAMac() throws IOException {
    InMemoryForwardingTable t = feed("leaf1-multihomed-esi.conf", IpAddress.parse("10.255.0.11"));
    assertEquals(List.of(A), t.flood(10100), "A's IMET for VNI 10100 (its PMSI label)");
    assertEquals(
        new Destination.RemoteVtep(A_SESSION),
        t.mac(10100, MacAddress.parse("00:00:0a:0b:0c:0f")),
        "the route's next hop, not its PMSI endpoint");
    assertNull(
        t.mac(10100, MacAddress.parse("00:00:0a:0b:0c:10")), "the quarantine term rejects it");
    assertNull(
        t.mac(10100, MacAddress.parse("00:00:0a:0b:0c:0e")),
        "no fabric target (GoBGP kept only 65001:5000)");
    assertEquals(
        MacAddress.parse("00:00:5e:00:01:01"),
        t.neighbor(10100, IpAddress.parse("10.0.0.1")),
        "the default gateway's MAC/IP route feeds ARP suppression");
  }

  @Test
  void leaf3InstallsTheTenantsPrefixesAndHostRoute() throws IOException {
    InMemoryForwardingTable t = feed("leaf3-type5-vrf.conf", IpAddress.parse("10.255.0.13"));
    ForwardingOp.SetRoute v6 =
        t.route("TENANT-A", io.evpnkit.policy.IpPrefix.parse("2001:db8:1::/64"));
    assertEquals(
        IpAddress.parse("2001:db8::1"),
        v6 == null ? null : v6.nextHop(),
        "the next hop GoBGP was given");
    assertEquals(MacAddress.parse("02:00:0a:ff:00:01"), v6 == null ? null : v6.routerMac());
    ForwardingOp.SetRoute host =
        t.route("TENANT-A", io.evpnkit.policy.IpPrefix.parse("10.0.0.5/32"));
    assertEquals(
        50000, host == null ? -1 : host.vni(), "symmetric IRB: the second label is the L3 VNI");
  }
}
