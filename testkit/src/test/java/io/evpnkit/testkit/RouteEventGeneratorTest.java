package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.ExtendedCommunity;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouteEventGeneratorTest {
  static final ExtendedCommunity RT = ExtendedCommunity.parse("target:65000:100");

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 42, 0xFEED})
  void scenariosAreReproducibleAndTheirInterleavingsComplete(long seed) {
    RouteEventGenerator.Scenario s = RouteEventGenerator.generate(seed, 3, 100, RT);
    assertEquals(
        s, RouteEventGenerator.generate(seed, 3, 100, RT), "the same seed, the same scenario");
    Set<EvpnRouteKey> keys = new HashSet<>();
    for (EvpnRoute r : s.holders().keySet()) {
      assertTrue(keys.add(EvpnRouteKey.of(r)), () -> "one route per key: " + r);
      assertTrue(
          s.finals().containsKey(r) != s.noise().containsKey(r), () -> "final or noise: " + r);
    }
    List<RouteEventGenerator.Event> a = s.interleaving(7);
    assertEquals(a, s.interleaving(7));
    int expected = 0;
    for (Map.Entry<EvpnRoute, List<Integer>> e : s.holders().entrySet()) {
      expected += e.getValue().size() * (s.noise().containsKey(e.getKey()) ? 2 : 1);
    }
    assertEquals(expected, a.size(), "every holder's announcement, and the withdrawal of noise");
    // per peer: a noise route is withdrawn after it was announced; what stays is exactly the final
    // routes
    Map<Integer, Map<EvpnRoute, Boolean>> held = new HashMap<>();
    for (RouteEventGenerator.Event e : a) {
      Map<EvpnRoute, Boolean> mine = held.computeIfAbsent(e.peer(), k -> new HashMap<>());
      if (e.announce()) {
        mine.put(e.route(), true);
      } else {
        assertTrue(mine.remove(e.route()) != null, () -> "withdrawn after announced: " + e);
      }
    }
    Set<EvpnRoute> left = new HashSet<>();
    held.values().forEach(m -> left.addAll(m.keySet()));
    assertEquals(s.finals().keySet(), left);
    if (a.size() > 3) {
      assertNotEquals(a, s.interleaving(8), "another order seed, another order");
    }
  }
}
