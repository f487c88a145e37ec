package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Route types 1, 4 and 5 (types 2 and 3 are {@link GobgpSessionTest}'s) both ways with a real
 * gobgpd, as external and as internal peer: gobgp's routes arrive here field by field, ours are
 * what gobgp's own JSON shows, and withdrawals both ways take them away.
 */
class GobgpRouteTypesTest {
  private static final String GOBGP = "127.0.0.180";
  private static final String US = "127.0.0.181";
  private static final String ESI_TEXT = "00:11:22:33:44:55:66:77:88:99"; // type 0, arbitrary
  private static final EthernetSegmentIdentifier ESI = EthernetSegmentIdentifier.parse(ESI_TEXT);
  private static final EthernetSegmentIdentifier OUR_ESI =
      EthernetSegmentIdentifier.parse("00:aa:bb:cc:dd:ee:ff:00:11:22");

  /** gobgp's own text of an arbitrary (type 0) ESI, as its CLI takes it. */
  private static final String[] GOBGP_ESI = {"ARBITRARY", "11:22:33:44:55:66:77:88:99"};

  private static String[] cli(String... words) {
    return words;
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @ParameterizedTest(name = "gobgpd AS {0}")
  @ValueSource(longs = {65000, 65001}) // external, then internal
  void typesOneFourAndFiveFlowBothWays(long gobgpAs) throws Exception {
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, gobgpAs, US, 65001, true)) {
      String[] ad =
          concat(
              cli("global", "rib", "-a", "evpn", "add", "a-d", "esi"),
              concat(
                  GOBGP_ESI,
                  "etag",
                  "100",
                  "label",
                  "100",
                  "rd",
                  GOBGP + ":1",
                  "rt",
                  "65000:100",
                  "encap",
                  "vxlan",
                  "nexthop",
                  GOBGP));
      String[] es =
          concat(
              cli("global", "rib", "-a", "evpn", "add", "esi", GOBGP, "esi"),
              concat(GOBGP_ESI, "rd", GOBGP + ":2", "nexthop", GOBGP));
      String[] prefix =
          cli(
              "global",
              "rib",
              "-a",
              "evpn",
              "add",
              "prefix",
              "10.9.0.0/24",
              "gw",
              "0.0.0.0",
              "etag",
              "0",
              "label",
              "5000",
              "rd",
              GOBGP + ":5",
              "rt",
              "65000:5000",
              "encap",
              "vxlan",
              "router-mac",
              "00:aa:bb:cc:dd:ee",
              "nexthop",
              GOBGP);
      gobgpd.cli(ad);
      gobgpd.cli(es);
      gobgpd.cli(prefix);
      GobgpSessionTest.Received received = new GobgpSessionTest.Received();
      try (BgpSpeaker speaker =
          BgpSpeaker.builder(65001, IpAddress.parse(US)).listener(received).build()) {
        PeerSession peer =
            speaker.addPeer(
                PeerConfig.builder(new InetSocketAddress(GOBGP, gobgpd.port), gobgpAs)
                    .local(new InetSocketAddress(US, 0))
                    .holdTime(9)
                    .connectRetry(Duration.ofSeconds(1))
                    .build());
        assertTrue(received.established.await(20, TimeUnit.SECONDS), gobgpd::log);

        // gobgp's, field by field
        EthernetAutoDiscoveryRoute theirAd =
            new EthernetAutoDiscoveryRoute(
                RouteDistinguisher.parse(GOBGP + ":1"),
                ESI,
                EthernetTag.of(100),
                LabelField.of(100));
        EthernetSegmentRoute theirEs =
            new EthernetSegmentRoute(
                RouteDistinguisher.parse(GOBGP + ":2"), ESI, IpAddress.parse(GOBGP));
        IpPrefixRoute theirPrefix =
            new IpPrefixRoute(
                RouteDistinguisher.parse(GOBGP + ":5"),
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.of(0),
                IpAddress.parse("10.9.0.0"),
                24,
                IpAddress.parse("0.0.0.0"),
                LabelField.of(5000));
        await("gobgp's three routes", () -> received.routes.size() == 3);
        for (EvpnRoute r : List.of(theirAd, theirEs, theirPrefix)) {
          assertNotNull(received.of(r), () -> r + " as sent: " + received.routes.values());
        }
        PathAttributes prefixAttributes =
            java.util.Objects.requireNonNull(received.of(theirPrefix));
        assertEquals(IpAddress.parse(GOBGP), prefixAttributes.nextHop());
        assertTrue(
            prefixAttributes
                .extendedCommunities()
                .contains(ExtendedCommunity.routerMac(MacAddress.parse("00:aa:bb:cc:dd:ee"))),
            prefixAttributes::toString);

        // ours, as gobgp shows them
        EthernetAutoDiscoveryRoute ourAd =
            new EthernetAutoDiscoveryRoute(
                RouteDistinguisher.parse(US + ":1"),
                OUR_ESI,
                EthernetTag.of(200),
                LabelField.of(200));
        EthernetSegmentRoute ourEs =
            new EthernetSegmentRoute(
                RouteDistinguisher.parse(US + ":2"), OUR_ESI, IpAddress.parse("192.0.2.181"));
        IpPrefixRoute ourPrefix =
            new IpPrefixRoute(
                RouteDistinguisher.parse(US + ":5"),
                EthernetSegmentIdentifier.ZERO,
                EthernetTag.of(0),
                IpAddress.parse("10.8.0.0"),
                24,
                IpAddress.parse("0.0.0.0"),
                LabelField.of(6000));
        PathAttributes ours =
            PathAttributes.builder()
                .origin(0)
                .nextHop(IpAddress.parse("192.0.2.181"))
                .addExtendedCommunity(ExtendedCommunity.parse("target:65000:200"))
                .addExtendedCommunity(ExtendedCommunity.parse("encapsulation:vxlan"))
                .build();
        peer.announce(ours, List.of(ourAd, ourEs, ourPrefix));
        JsonNode ad200 = awaitGobgp(gobgpd, "[type:A-D][rd:" + US + ":1]", true);
        JsonNode adValue = ad200.path("nlri").path("value");
        assertEquals(1, ad200.path("nlri").path("type").asInt());
        assertEquals("ESI_ARBITRARY | aa:bb:cc:dd:ee:ff:00:11:22", adValue.path("esi").asText());
        assertEquals(200, adValue.path("etag").asInt());
        assertEquals(200, adValue.path("label").asInt());
        JsonNode es2 = awaitGobgp(gobgpd, "[type:esi][rd:" + US + ":2]", true);
        assertEquals(4, es2.path("nlri").path("type").asInt());
        assertEquals("192.0.2.181", es2.path("nlri").path("value").path("ip").asText());
        JsonNode p5 = awaitGobgp(gobgpd, "[type:Prefix][rd:" + US + ":5]", true);
        JsonNode pValue = p5.path("nlri").path("value");
        assertEquals(5, p5.path("nlri").path("type").asInt());
        assertEquals("10.8.0.0/24", pValue.path("prefix").asText(), pValue::toString);
        assertEquals(6000, pValue.path("label").asInt());
        assertTrue(
            p5.path("attrs").toString().contains("\"nexthop\":\"192.0.2.181\""), p5::toString);

        // withdrawals both ways
        peer.withdraw(List.of(ourAd, ourEs, ourPrefix));
        awaitGobgp(gobgpd, "[type:A-D][rd:" + US + ":1]", false);
        awaitGobgp(gobgpd, "[type:esi][rd:" + US + ":2]", false);
        awaitGobgp(gobgpd, "[type:Prefix][rd:" + US + ":5]", false);
        ad[4] = "del";
        es[4] = "del";
        prefix[4] = "del";
        gobgpd.cli(ad);
        gobgpd.cli(es);
        gobgpd.cli(prefix);
        await("gobgp's withdrawals", () -> received.routes.isEmpty());
      }
    }
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws Exception {
    RealPeers.await(what, condition::getAsBoolean);
  }

  /** Waits until gobgp's RIB has (or has no longer) a path whose key starts with {@code key}. */
  private static JsonNode awaitGobgp(Gobgpd gobgpd, String key, boolean present) throws Exception {
    JsonNode[] found = new JsonNode[1];
    RealPeers.await(
        "gobgp's RIB " + (present ? "to hold " : "to lose ") + key,
        () -> {
          @Nullable JsonNode hit = null;
          for (var e : gobgpd.json("global", "rib", "-a", "evpn").properties()) {
            if (e.getKey().startsWith(key)) {
              hit = e.getValue().path(0);
            }
          }
          found[0] = hit;
          return (hit != null) == present;
        });
    return found[0] == null
        ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
        : found[0];
  }
}
