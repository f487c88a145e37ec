package io.evpnkit.rib;

import static io.evpnkit.rib.RibFixture.B;
import static io.evpnkit.rib.RibFixture.CONFIG;
import static io.evpnkit.rib.RibFixture.LOCAL;
import static io.evpnkit.rib.RibFixture.RR;
import static io.evpnkit.rib.RibFixture.RT100;
import static io.evpnkit.rib.RibFixture.attrs;
import static io.evpnkit.rib.RibFixture.mac;
import static io.evpnkit.rib.RibFixture.seq;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.VtepConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A per-peer route limit, like FRR's maximum-prefix: warned once per crossing, nothing accepted
 * lost.
 */
@SuppressWarnings("NullAway")
class RouteLimitTest {
  static final Peer OTHER = new Peer(IpAddress.parse("10.0.0.101"), 0x0A000065L, false);
  final InMemoryForwardingTable table = new InMemoryForwardingTable();
  final List<String> reached = new ArrayList<>();

  EvpnRib rib(RouteLimit.Action action) {
    return EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, table)
        .routeLimit(new RouteLimit(3, action))
        .listener(
            new RibListener() {
              @Override
              public void routeLimitReached(Peer peer, RouteLimit limit, long paths) {
                reached.add(peer.address() + " at " + paths);
              }
            })
        .build();
  }

  static MacAddress m(int i) {
    return MacAddress.of(0x0200_0000_0000L + i);
  }

  @Test
  void refuseStoresNoNewRouteOfThePeerBeyondTheLimitAndKeepsWhatItAccepted() {
    EvpnRib rib = rib(RouteLimit.Action.REFUSE);
    for (int i = 0; i < 5; i++) {
      rib.announce(RR, 0, mac(B, m(i)), attrs(B, RT100));
    }
    assertEquals(3, rib.paths(RR));
    assertNotNull(table.mac(100, m(2)));
    assertNull(table.mac(100, m(3)), "refused");
    assertEquals(2, rib.ignored(IgnoredRoute.ROUTE_LIMIT));
    assertEquals(List.of("10.0.0.100 at 3"), reached, "reported once");
    // replacing an accepted route is always allowed; another peer has a limit of its own
    rib.announce(RR, 0, mac(B, m(0)), attrs(B, RT100, seq(4)));
    assertEquals(4, rib.mac(100, m(0)).sequence());
    rib.announce(OTHER, 0, mac(B, m(9)), attrs(B, RT100));
    assertNotNull(table.mac(100, m(9)));
    // withdrawals make room; below 90 % the next crossing is reported again
    for (int i = 0; i < 3; i++) {
      rib.withdraw(RR, 0, mac(B, m(i)));
    }
    for (int i = 10; i < 14; i++) {
      rib.announce(RR, 0, mac(B, m(i)), attrs(B, RT100));
    }
    assertEquals(3, rib.paths(RR));
    assertEquals(List.of("10.0.0.100 at 3", "10.0.0.100 at 3"), reached);
  }

  @Test
  void warnKeepsStoringAndReports() {
    EvpnRib rib = rib(RouteLimit.Action.WARN);
    for (int i = 0; i < 5; i++) {
      rib.announce(RR, 0, mac(B, m(i)), attrs(B, RT100));
    }
    assertEquals(5, rib.paths(RR));
    assertNotNull(table.mac(100, m(4)));
    assertEquals(List.of("10.0.0.100 at 3"), reached);
    assertEquals(0, rib.ignored(IgnoredRoute.ROUTE_LIMIT));
  }
}
