package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FRR's bgpd between two evpnkit speakers, as their external peer (AS 65000 between 65001 and
 * 65002) and as their internal route reflector: routes of all five types that one speaker announces
 * reach the other through FRR field by field, FRR's own JSON shows them, the AS path grows by FRR's
 * AS (or ORIGINATOR_ID names the first speaker), and withdrawals go the same way.
 */
class FrrRouteTypesTest {
  private static final String FRR = "127.0.0.200";
  private static final String ONE = "127.0.0.201";
  private static final String TWO = "127.0.0.202";
  private static final IpAddress VTEP = IpAddress.parse("192.0.2.201"); // not 127/8: FRR's martians
  private static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  private static PeerSession peer(BgpSpeaker speaker, FrrBgpd frr, String local) {
    return speaker.addPeer(
        PeerConfig.builder(new InetSocketAddress(FRR, frr.port), 65000)
            .local(new InetSocketAddress(local, 0))
            .holdTime(9)
            .connectRetry(Duration.ofSeconds(1))
            .build());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"external", "internal"})
  void routesOfEveryTypeCrossFrr(String kind) throws Exception {
    boolean internal = kind.equals("internal");
    long asOne = internal ? 65000 : 65001;
    long asTwo = internal ? 65000 : 65002;
    String config =
        internal
            ? FrrBgpd.routeReflector(FRR, ONE, TWO)
            : """
        router bgp 65000
         bgp router-id %1$s
         no bgp default ipv4-unicast
         no bgp ebgp-requires-policy
         neighbor %2$s remote-as 65001
         neighbor %2$s passive
         neighbor %2$s timers 3 9
         neighbor %3$s remote-as 65002
         neighbor %3$s passive
         neighbor %3$s timers 3 9
         address-family l2vpn evpn
          neighbor %2$s activate
          neighbor %3$s activate
         exit-address-family
        """
                .formatted(FRR, ONE, TWO);
    GobgpSessionTest.Received two = new GobgpSessionTest.Received();
    try (FrrBgpd frr = new FrrBgpd(FRR, config);
        BgpSpeaker first =
            BgpSpeaker.builder(asOne, IpAddress.parse(ONE))
                .listener(new GobgpSessionTest.Received())
                .build();
        BgpSpeaker second = BgpSpeaker.builder(asTwo, IpAddress.parse(TWO)).listener(two).build()) {
      PeerSession sender = peer(first, frr, ONE);
      peer(second, frr, TWO);
      RealPeers.await(
          "both sessions up at FRR",
          () ->
              frr.neighborState(ONE).equals("Established")
                  && frr.neighborState(TWO).equals("Established"));
      RouteDistinguisher rd = RouteDistinguisher.parse("192.0.2.201:100");
      List<EvpnRoute> routes =
          List.of(
              new EthernetAutoDiscoveryRoute(rd, ESI, EthernetTag.of(100), LabelField.of(100)),
              EvpnRoutes.parseJunos("2:192.0.2.201:100::100::00:00:5e:00:53:01::10.1.0.1/304"),
              EvpnRoutes.parseJunos("3:192.0.2.201:100::100::192.0.2.201/304"),
              new EthernetSegmentRoute(RouteDistinguisher.parse("192.0.2.201:1"), ESI, VTEP),
              new IpPrefixRoute(
                  RouteDistinguisher.parse("192.0.2.201:5"),
                  EthernetSegmentIdentifier.ZERO,
                  EthernetTag.of(0),
                  IpAddress.parse("10.8.0.0"),
                  24,
                  IpAddress.parse("0.0.0.0"),
                  LabelField.of(5000)));
      PathAttributes attributes =
          PathAttributes.builder()
              .origin(0)
              .nextHop(VTEP)
              .addExtendedCommunity(ExtendedCommunity.parse("target:65001:100"))
              .addExtendedCommunity(ExtendedCommunity.parse("encapsulation:vxlan"))
              .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), VTEP))
              .build();
      sender.announce(attributes, routes);

      RealPeers.await("the five routes at the second speaker", () -> two.routes.size() == 5);
      for (EvpnRoute r : routes) {
        EvpnRouteKey key = EvpnRouteKey.of(r);
        EvpnRoute arrived = two.routes.get(key);
        assertNotNull(arrived, () -> r + " among " + two.routes.values());
        if (r instanceof EthernetAutoDiscoveryRoute ad) {
          // FRR 8.4 passes an Ethernet A-D route on with its label field zeroed
          assertEquals(
              new EthernetAutoDiscoveryRoute(ad.rd(), ad.esi(), ad.ethernetTag(), LabelField.ZERO),
              arrived);
        } else {
          assertEquals(r, arrived, "field by field, labels included");
        }
        PathAttributes got = java.util.Objects.requireNonNull(two.attributes.get(key));
        if (internal) {
          assertEquals("", got.asPath().toString(), "within the AS");
          assertEquals(
              Integer.toUnsignedLong(IpAddress.parse(ONE).ipv4()),
              got.originatorId(),
              "reflected by FRR: ORIGINATOR_ID");
        } else {
          assertEquals("65000 65001", got.asPath().toString(), "FRR's AS first, then ours");
        }
        assertEquals(VTEP, got.nextHop(), "the VTEP next hop, unchanged by FRR for EVPN");
        assertTrue(
            got.extendedCommunities().contains(ExtendedCommunity.parse("target:65001:100")),
            got::toString);
      }
      String table = frr.json("show bgp l2vpn evpn json").toString();
      for (String shown :
          new String[] {
            "[1]:[100]:",
            "[2]:[100]:[48]:[00:00:5e:00:53:01]",
            "[3]:[100]:[32]:[192.0.2.201]",
            "[4]:[00:11:22:33:44:55:66:77:88:99]",
            "[5]:[0]:[24]:[10.8.0.0]"
          }) {
        assertTrue(table.contains(shown), () -> shown + " in FRR's table: " + table);
      }

      sender.withdraw(routes);
      RealPeers.await("the withdrawals at the second speaker", () -> two.routes.isEmpty());
      RealPeers.await(
          "FRR's table empty",
          () -> !frr.json("show bgp l2vpn evpn json").toString().contains("192.0.2.201:100"));
    }
  }
}
