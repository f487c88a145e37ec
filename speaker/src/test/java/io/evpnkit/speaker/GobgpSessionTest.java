package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.evpn.UpdateDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A live session with a real gobgpd, as an external and as an internal peer: the session comes up,
 * routes gobgp holds arrive here field by field, routes we announce and withdraw are what gobgp's
 * own JSON shows, and our stop is a Cease gobgp sees.
 */
class GobgpSessionTest {
  private static final String GOBGP = "127.0.0.10";
  private static final String US = "127.0.0.11";

  /** What a session received, per route: announced (with attributes) or withdrawn. */
  static final class Received implements SessionListener {
    final CountDownLatch established = new CountDownLatch(1);

    /** By route key (RFC 7432 §7: a withdrawal names the route without its labels). */
    final Map<EvpnRouteKey, EvpnRoute> routes = new ConcurrentHashMap<>();

    final Map<EvpnRouteKey, PathAttributes> attributes = new ConcurrentHashMap<>();

    /** The attributes of a route held exactly as given (labels included), or null. */
    @Nullable PathAttributes of(EvpnRoute route) {
      EvpnRouteKey key = EvpnRouteKey.of(route);
      return route.equals(routes.get(key)) ? attributes.get(key) : null;
    }

    boolean holds(EvpnRoute route) {
      return routes.containsKey(EvpnRouteKey.of(route));
    }

    final List<String> events = java.util.Collections.synchronizedList(new ArrayList<>());

    @Override
    public void established(PeerSession session) {
      events.add("established");
      established.countDown();
    }

    @Override
    public void update(PeerSession session, UpdateDecoder decoder) {
      PathAttributes attributes = decoder.attributes();
      decoder.forEachRoute(
          (withdraw, pathId, nlri) -> {
            EvpnRoute route = EvpnRoutes.decode(nlri);
            EvpnRouteKey key = EvpnRouteKey.of(route);
            if (withdraw) {
              routes.remove(key);
              this.attributes.remove(key);
            } else {
              routes.put(key, route);
              this.attributes.put(key, attributes);
            }
          });
    }

    @Override
    public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
      events.add("down: " + why);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws Exception {
    RealPeers.await(what, 20, condition::getAsBoolean);
  }

  @ParameterizedTest(name = "gobgpd AS {0}")
  @ValueSource(longs = {65000, 65001}) // external, then internal
  void routesFlowBothWaysAndAreWhatEachSideShows(long gobgpAs) throws Exception {
    boolean internal = gobgpAs == 65001;
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, gobgpAs, US, 65001, true)) {
      gobgpd.addMacIp("00:11:22:33:44:55", "10.0.0.5", 100, GOBGP + ":1", "65000:100", GOBGP);
      gobgpd.cli(
          "global",
          "rib",
          "-a",
          "evpn",
          "add",
          "multicast",
          GOBGP,
          "etag",
          "0",
          "rd",
          GOBGP + ":1",
          "rt",
          "65000:100",
          "encap",
          "vxlan",
          "pmsi",
          "ingress-repl",
          "100",
          GOBGP);
      Received received = new Received();
      try (BgpSpeaker speaker =
          BgpSpeaker.builder(65001, IpAddress.parse(US)).listener(received).build()) {
        PeerSession peer =
            speaker.addPeer(
                PeerConfig.builder(new InetSocketAddress(GOBGP, gobgpd.port), gobgpAs)
                    .local(new InetSocketAddress(US, 0))
                    .holdTime(9)
                    .connectRetry(Duration.ofSeconds(1))
                    .build());
        assertTrue(
            received.established.await(20, TimeUnit.SECONDS),
            () -> "not established: " + received.events + "\n" + gobgpd.log());
        assertEquals(SessionState.ESTABLISHED, peer.state());
        assertEquals(internal, peer.receiveOptions().internalPeer());
        assertTrue(peer.receiveOptions().fourOctetAs());
        await(
            "gobgp to report the session established",
            () -> {
              try {
                return gobgpd.neighborState(US) == Gobgpd.ESTABLISHED;
              } catch (Exception e) {
                return false;
              }
            });

        // gobgp's routes, field by field
        await("gobgp's two routes", () -> received.routes.size() == 2);
        RouteDistinguisher rd = RouteDistinguisher.parse(GOBGP + ":1");
        MacIpAdvertisementRoute mac =
            new MacIpAdvertisementRoute(
                rd,
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.of(0),
                MacAddress.parse("00:11:22:33:44:55"),
                IpAddress.parse("10.0.0.5"),
                LabelField.ofVni(100),
                null);
        PathAttributes macAttributes = received.of(mac);
        assertNotNull(macAttributes, () -> "type 2 route not as sent: " + received.routes.values());
        assertEquals(IpAddress.parse(GOBGP), macAttributes.nextHop());
        assertTrue(
            macAttributes
                .extendedCommunities()
                .contains(ExtendedCommunity.routeTarget(65000, 100)));
        assertTrue(
            macAttributes.extendedCommunities().contains(ExtendedCommunity.encapsulation(8)));
        assertEquals(internal ? List.of() : List.of(65000L), asns(macAttributes));
        InclusiveMulticastRoute imet =
            new InclusiveMulticastRoute(rd, EthernetTag.of(0), IpAddress.parse(GOBGP));
        PathAttributes imetAttributes = received.of(imet);
        assertNotNull(imetAttributes, () -> "type 3 route: " + received.routes.values());
        assertEquals(
            PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse(GOBGP)),
            imetAttributes.pmsiTunnel());

        // ours, as gobgp shows them
        MacIpAdvertisementRoute ours =
            new MacIpAdvertisementRoute(
                RouteDistinguisher.parse(US + ":7"),
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.of(0),
                MacAddress.parse("00:aa:bb:cc:dd:ee"),
                IpAddress.parse("10.0.0.6"),
                LabelField.ofVni(200),
                null);
        PathAttributes attributes =
            PathAttributes.builder()
                .origin(0)
                .nextHop(IpAddress.parse(US))
                .addExtendedCommunity(ExtendedCommunity.routeTarget(65001, 200))
                .addExtendedCommunity(ExtendedCommunity.encapsulation(8))
                .build();
        peer.announce(attributes, List.of(ours));
        JsonNode path = awaitGobgpPath(gobgpd, "00:aa:bb:cc:dd:ee", true);
        JsonNode value = path.path("nlri").path("value");
        assertEquals(2, path.path("nlri").path("type").asInt());
        assertEquals(US, value.path("rd").path("admin").asText());
        assertEquals(7, value.path("rd").path("assigned").asInt());
        assertEquals("10.0.0.6", value.path("ip").asText());
        assertEquals(200, value.path("labels").path(0).asInt());
        String nextHop = "";
        List<String> communities = new ArrayList<>();
        for (JsonNode a : path.path("attrs")) {
          if (a.path("type").asInt() == 14) {
            nextHop = a.path("nexthop").asText();
          }
          if (a.path("type").asInt() == 16) {
            a.path("value").forEach(c -> communities.add(c.toString()));
          }
          if (a.path("type").asInt() == 2 && !internal) {
            assertTrue(a.toString().contains("65001"), () -> "our AS leads the path: " + a);
          }
        }
        assertEquals(US, nextHop);
        assertTrue(
            communities.stream().anyMatch(c -> c.contains("\"65001:200\"")), communities::toString);
        assertTrue(
            communities.stream().anyMatch(c -> c.contains("\"tunnel_type\":8")),
            communities::toString);

        // withdrawals, both ways
        peer.withdraw(List.of(ours));
        awaitGobgpPath(gobgpd, "00:aa:bb:cc:dd:ee", false);
        gobgpd.delMacIp("00:11:22:33:44:55", "10.0.0.5", 100, GOBGP + ":1");
        await("gobgp's withdrawal", () -> !received.holds(mac));
        assertTrue(peer.updatesReceived() >= 3);

        // an operator's stop: a Cease gobgp takes the session down for
        peer.stop("evpnkit test is done");
        await(
            "the session to go down at gobgp",
            () -> {
              try {
                return gobgpd.neighborState(US) != Gobgpd.ESTABLISHED;
              } catch (Exception e) {
                return false;
              }
            });
        assertEquals(SessionState.IDLE, peer.state());
      }
    }
  }

  private static List<Long> asns(PathAttributes a) {
    List<Long> out = new ArrayList<>();
    for (int s = 0; s < a.asPath().segmentCount(); s++) {
      for (int i = 0; i < a.asPath().segmentSize(s); i++) {
        out.add(a.asPath().asn(s, i));
      }
    }
    return out;
  }

  /** Waits until gobgp's global RIB has (or no longer has) a path for the MAC; returns it. */
  private static JsonNode awaitGobgpPath(Gobgpd gobgpd, String mac, boolean present)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      JsonNode rib = gobgpd.json("global", "rib", "-a", "evpn");
      JsonNode found = null;
      for (var e : rib.properties()) {
        if (e.getKey().contains(mac)) {
          found = e.getValue().path(0);
        }
      }
      if ((found != null) == present) {
        return found == null ? rib : found;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "gobgp's RIB " + (present ? "lacks " : "still has ") + mac + ": " + rib);
      }
      Thread.sleep(100);
    }
  }
}
