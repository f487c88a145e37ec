package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * FRR's bgpd as the fabric's route reflector (RFC 4456) between two evpnkit leaves: what one leaf
 * announces reaches the other with ORIGINATOR_ID and CLUSTER_LIST added and the EVPN next hop
 * unchanged, FRR's own JSON shows it, nothing is reflected back to its originator, and a withdrawal
 * goes the same way.
 */
class FrrRouteReflectorTest {
  private static final String RR = "127.0.0.20";
  private static final String LEAF1 = "127.0.0.21";
  private static final String LEAF2 = "127.0.0.22";

  /**
   * Leaf 1's VTEP address, the EVPN next hop: a documentation address (RFC 5737), since FRR calls a
   * 127/8 next hop martian and refuses it; only a value in an attribute, no traffic goes there.
   */
  private static final IpAddress VTEP1 = IpAddress.parse("192.0.2.21");

  private static void await(String what, BooleanSupplier condition) throws Exception {
    RealPeers.await(what, 30, condition::getAsBoolean);
  }

  private static PeerSession leaf(BgpSpeaker speaker, FrrBgpd frr, String address) {
    return speaker.addPeer(
        PeerConfig.builder(new InetSocketAddress(RR, frr.port), 65000)
            .local(new InetSocketAddress(address, 0))
            .holdTime(9)
            .connectRetry(Duration.ofSeconds(1))
            .build());
  }

  @Test
  void frrReflectsOneLeafsRoutesToTheOtherWithOriginatorAndClusterList() throws Exception {
    String config = FrrBgpd.routeReflector(RR, LEAF1, LEAF2);
    try (FrrBgpd frr = new FrrBgpd(RR, config)) {
      GobgpSessionTest.Received one = new GobgpSessionTest.Received();
      GobgpSessionTest.Received two = new GobgpSessionTest.Received();
      try (BgpSpeaker s1 = BgpSpeaker.builder(65000, IpAddress.parse(LEAF1)).listener(one).build();
          BgpSpeaker s2 = BgpSpeaker.builder(65000, IpAddress.parse(LEAF2)).listener(two).build()) {
        PeerSession toRr1 = leaf(s1, frr, LEAF1);
        leaf(s2, frr, LEAF2);
        assertTrue(one.established.await(30, TimeUnit.SECONDS), frr::log);
        assertTrue(two.established.await(30, TimeUnit.SECONDS), frr::log);
        await(
            "FRR to see both leaves established",
            () -> {
              try {
                return frr.neighborState(LEAF1).equals("Established")
                    && frr.neighborState(LEAF2).equals("Established");
              } catch (Exception e) {
                return false;
              }
            });

        RouteDistinguisher rd = RouteDistinguisher.parse(LEAF1 + ":1");
        MacIpAdvertisementRoute mac =
            new MacIpAdvertisementRoute(
                rd,
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.of(0),
                MacAddress.parse("00:00:5e:00:53:01"),
                IpAddress.parse("10.1.0.11"),
                LabelField.ofVni(100),
                null);
        InclusiveMulticastRoute imet = new InclusiveMulticastRoute(rd, EthernetTag.of(0), VTEP1);
        PathAttributes.Builder common =
            PathAttributes.builder()
                .origin(0)
                .nextHop(VTEP1)
                .addExtendedCommunity(ExtendedCommunity.routeTarget(65000, 100))
                .addExtendedCommunity(ExtendedCommunity.encapsulation(8));
        toRr1.announce(common.build(), List.of(mac));
        PmsiTunnel pmsi = PmsiTunnel.ingressReplication(LabelField.ofVni(100), VTEP1);
        toRr1.announce(common.pmsiTunnel(pmsi).build(), List.of(imet));

        try {
          await("leaf 2 to receive both routes", () -> two.routes.size() == 2);
        } catch (AssertionError e) {
          throw new AssertionError(e.getMessage() + "; FRR's log: " + frr.log(), e);
        }
        PathAttributes reflected = two.of(mac);
        assertNotNull(reflected, () -> "the type 2 route as sent: " + two.routes.values());
        assertEquals(VTEP1, reflected.nextHop(), "the EVPN next hop is kept");
        assertEquals(
            IpAddress.parse(LEAF1).ipv4() & 0xFFFF_FFFFL,
            reflected.originatorId(),
            "RFC 4456 §8: ORIGINATOR_ID is the leaf that announced it");
        assertEquals(1, reflected.clusterListLength());
        assertEquals(IpAddress.parse(RR).ipv4(), reflected.clusterId(0), "the RR's cluster id");
        assertTrue(
            reflected.extendedCommunities().contains(ExtendedCommunity.routeTarget(65000, 100)));
        PathAttributes imetReflected = two.of(imet);
        assertNotNull(imetReflected);
        assertEquals(pmsi, imetReflected.pmsiTunnel());

        // FRR's own view
        JsonNode table = frr.json("show bgp l2vpn evpn json");
        JsonNode byRd = table.path(LEAF1 + ":1");
        assertTrue(byRd.isObject(), () -> "FRR's table has no RD " + LEAF1 + ":1: " + table);
        assertTrue(
            byRd.toString().contains("00:00:5e:00:53:01"), () -> "FRR lacks the MAC: " + byRd);

        // FRR reflects to every client, the originator too: what comes back carries the leaf's own
        // id as ORIGINATOR_ID, by which its RIB ignores it (RFC 4456 §8)
        await("leaf 1 to get its routes back", () -> one.routes.size() == 2);
        for (PathAttributes back : one.attributes.values()) {
          assertEquals(IpAddress.parse(LEAF1).ipv4() & 0xFFFF_FFFFL, back.originatorId());
        }

        toRr1.withdraw(List.of(mac, imet));
        await("leaf 2 to see the withdrawals", () -> two.routes.isEmpty());
      }
    }
  }
}
