package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.AsPath;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.rib.RouteTable.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The route table alone: the decision process of RFC 4271 §9.1.2.2 step by step (each test differs
 * in one attribute and leaves every later step equal or against the expected winner), and the chain
 * of paths per route key.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class RouteTableTest {
  static final IpAddress HOP = IpAddress.parse("10.0.0.2");
  static final Peer IBGP_LOW = new Peer(IpAddress.parse("10.0.0.100"), 0x0A000064L, false);
  static final Peer IBGP_HIGH = new Peer(IpAddress.parse("10.0.0.200"), 0x0A0000C8L, false);
  static final Peer EBGP_HIGH = new Peer(IpAddress.parse("10.0.0.201"), 0x0A0000C9L, true);
  static final MacIpAdvertisementRoute ROUTE =
      new MacIpAdvertisementRoute(
          RouteDistinguisher.parse("10.0.0.2:1"),
          EthernetSegmentIdentifier.ZERO,
          EthernetTag.ZERO,
          MacAddress.parse("00:00:00:00:00:01"),
          null,
          LabelField.ofVni(100),
          null);

  static Path path(Peer peer, long pathId, UnaryOperator<PathAttributes.Builder> attributes) {
    return Path.of(
        peer,
        pathId,
        ROUTE,
        attributes.apply(PathAttributes.builder().nextHop(HOP)).build(),
        List.of());
  }

  /**
   * The loser has every later step in its favour (lower router id, eBGP, lower address) unless that
   * is the step.
   */
  static void firstWins(Path winner, Path loser) {
    assertTrue(RouteTable.compare(winner, loser) < 0, "winner");
    assertTrue(RouteTable.compare(loser, winner) > 0, "loser");
  }

  @Test
  void rfc4271_9_1_2_2_higherLocalPrefWinsAndAbsentCountsAs100() {
    firstWins(path(IBGP_HIGH, 0, b -> b.localPref(200)), path(IBGP_LOW, 0, b -> b.localPref(100)));
    firstWins(path(IBGP_HIGH, 0, b -> b), path(IBGP_LOW, 0, b -> b.localPref(99)));
  }

  @Test
  void rfc4271_9_1_2_2_a_shorterAsPathWins() {
    firstWins(
        path(IBGP_HIGH, 0, b -> b.asPath(AsPath.sequence(65001))),
        path(IBGP_LOW, 0, b -> b.asPath(AsPath.sequence(65001, 65002))));
  }

  @Test
  void rfc4271_9_1_2_2_b_lowerOriginWins() {
    firstWins(path(IBGP_HIGH, 0, b -> b.origin(0)), path(IBGP_LOW, 0, b -> b.origin(2)));
  }

  @Test
  void rfc4271_9_1_2_2_c_lowerMedWinsOnlyBetweenRoutesFromTheSameNeighbouringAs() {
    firstWins(
        path(IBGP_HIGH, 0, b -> b.asPath(AsPath.sequence(65001)).med(10)),
        path(IBGP_LOW, 0, b -> b.asPath(AsPath.sequence(65001)).med(20)));
    // from different neighbouring ASes the MED is not compared: the lower router id decides
    firstWins(
        path(IBGP_LOW, 0, b -> b.asPath(AsPath.sequence(65002)).med(20)),
        path(IBGP_HIGH, 0, b -> b.asPath(AsPath.sequence(65001)).med(10)));
  }

  @Test
  void rfc4271_9_1_2_2_d_ebgpBeforeIbgp() {
    firstWins(path(EBGP_HIGH, 0, b -> b), path(IBGP_LOW, 0, b -> b));
  }

  @Test
  void rfc4456_9_originatorIdStandsForTheRouterIdOfAReflectedRoute() {
    // reflected by the low peer, but originated by a router whose id is higher than the other
    // peer's
    firstWins(path(IBGP_HIGH, 0, b -> b), path(IBGP_LOW, 0, b -> b.originatorId(0x0B000001L)));
  }

  @Test
  void rfc4456_9_shorterClusterListWins() {
    firstWins(
        path(IBGP_HIGH, 0, b -> b.originatorId(1)),
        path(IBGP_LOW, 0, b -> b.originatorId(1).addClusterId(7)));
  }

  @Test
  void lowerPeerAddressThenLowerPathIdBreakTheLastTies() {
    firstWins(
        path(IBGP_LOW, 0, b -> b.originatorId(1)), path(IBGP_HIGH, 0, b -> b.originatorId(1)));
    firstWins(path(IBGP_LOW, 1, b -> b), path(IBGP_LOW, 2, b -> b));
  }

  @Test
  void aChainKeepsOnePathPerPeerAndPathIdWithTheBestFirst() {
    RouteTable table = new RouteTable();
    int hash = EvpnRouteKey.hashOf(ROUTE);
    Path low = path(IBGP_HIGH, 0, b -> b.localPref(50));
    table.add(low, hash);
    int slot = table.find(ROUTE, hash);
    Path better = path(IBGP_LOW, 0, b -> b.localPref(150));
    table.put(slot, better);
    assertSame(better, table.selectBest(slot));
    assertSame(better, table.head(slot));
    assertEquals(2, table.pathCount());
    // an implicit replace (RFC 4271 §9): the same peer and path id, one path still
    Path replaced = path(IBGP_HIGH, 0, b -> b.localPref(300));
    table.put(slot, replaced);
    assertEquals(2, table.pathCount());
    assertSame(replaced, table.selectBest(slot));
    assertSame(better, table.pathOf(slot, IBGP_LOW, 0));
    assertNull(table.pathOf(slot, IBGP_LOW, 7));
    assertFalse(table.remove(slot, replaced));
    assertSame(better, table.selectBest(slot));
    assertTrue(table.remove(slot, better), "the key's last path frees the slot");
    assertEquals(-1, table.find(ROUTE, hash));
  }

  @Test
  void rfc4724_4_2_stalePathsOfARestartingPeerAreKeptAsideUntilReplaced() {
    RouteTable table = new RouteTable();
    int hash = EvpnRouteKey.hashOf(ROUTE);
    table.add(path(IBGP_LOW, 0, b -> b), hash);
    int slot = table.find(ROUTE, hash);
    table.put(slot, path(IBGP_HIGH, 0, b -> b));
    table.markStale(IBGP_LOW);
    assertEquals(1, table.staleCount());
    assertEquals(1, table.stalePaths(IBGP_LOW).size());
    assertEquals(0, table.stalePaths(IBGP_HIGH).size());
    table.put(slot, path(IBGP_LOW, 0, b -> b.localPref(120))); // announced again: fresh
    assertEquals(0, table.staleCount());
  }
}
