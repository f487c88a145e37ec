package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LongMap against HashMap under random puts, removals and lookups (keys from a small range collide in probes). */
class LongMapTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 0x5EED, 0xDEADBEEFL})
  void behavesAsAHashMap(long seed) {
    Random r = new Random(seed);
    LongMap<Long> map = new LongMap<>();
    Map<Long, Long> model = new HashMap<>();
    int range = 64 + r.nextInt(5000);
    for (int step = 0; step < 200_000; step++) {
      long key = r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(range) * 0x10000L; // dense keys share low bits
      switch (r.nextInt(4)) {
        case 0, 1 -> assertEquals(model.put(key, (long) step), map.put(key, (long) step), () -> "seed " + seed);
        case 2 -> assertEquals(model.remove(key), map.remove(key), () -> "seed " + seed);
        default -> assertEquals(model.get(key), map.get(key), () -> "seed " + seed);
      }
      assertEquals(model.size(), map.size(), () -> "seed " + seed);
    }
    for (Map.Entry<Long, Long> e : model.entrySet()) {
      assertEquals(e.getValue(), map.get(e.getKey()), () -> "seed " + seed);
    }
    Map<Long, Long> seen = new HashMap<>();
    map.forEach((k, v) -> seen.put(k, v));
    assertEquals(model, seen);
    assertThrows(java.util.ConcurrentModificationException.class, () -> map.forEach((k, v) -> map.remove(k)));
  }
}
