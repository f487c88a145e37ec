package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LongMap and ObjectTable against HashMap under random puts, removals and lookups (keys from a small range collide in
 * probes; the large ranges grow the tables to several pages).
 */
class LongMapTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 0x5EED, 0xDEADBEEFL})
  void behavesAsAHashMap(long seed) {
    Random r = new Random(seed);
    LongMap<Long> map = new LongMap<>();
    Map<Long, Long> model = new HashMap<>();
    int range = seed < 3 ? 64 + r.nextInt(5000) : 40_000 + r.nextInt(40_000);
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

  /** An entry that carries its key. */
  static final class Box {
    final long key;
    long value;

    Box(long key, long value) {
      this.key = key;
      this.value = value;
    }
  }

  /** A table of boxes by key, the way the RIB's tables use ObjectTable. */
  static final class BoxTable extends ObjectTable<Box> {
    static int hash(long key) {
      return Long.hashCode(key * 0x9E37_79B9_7F4A_7C15L);
    }

    int find(long key) {
      int h = Long.hashCode(key * 0x9E37_79B9_7F4A_7C15L);
      for (int i = start(h); ; i = next(i)) {
        if (stored(i) == 0) {
          return -1;
        }
        Box b = at(i);
        if (stored(i) == probe(h) && b != null && b.key == key) {
          return i;
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {4, 5, 0xC0FFEE})
  void objectTableBehavesAsAHashMap(long seed) {
    Random r = new Random(seed);
    BoxTable table = new BoxTable();
    Map<Long, Long> model = new HashMap<>();
    int range = 100 + r.nextInt(60_000);
    for (int step = 0; step < 300_000; step++) {
      long key = r.nextInt(range);
      int slot = table.find(key);
      switch (r.nextInt(3)) {
        case 0 -> {
          model.put(key, (long) step);
          if (slot < 0) {
            table.add(new Box(key, step), BoxTable.hash(key));
          } else {
            table.set(slot, new Box(key, step));
          }
        }
        case 1 -> {
          assertEquals(model.remove(key) != null, slot >= 0, () -> "seed " + seed);
          if (slot >= 0) {
            table.removeAt(slot);
          }
        }
        default -> {
          Box b = slot < 0 ? null : table.at(slot);
          assertEquals(model.get(key), b == null ? null : b.value, () -> "seed " + seed);
        }
      }
      assertEquals(model.size(), table.size(), () -> "seed " + seed);
    }
    Map<Long, Long> seen = new HashMap<>();
    table.forEach(b -> seen.put(b.key, b.value));
    assertEquals(model, seen);
  }

  @ParameterizedTest
  @ValueSource(longs = {6, 7, 0xBADC0DE})
  void packedMacTableBehavesAsAHashMap(long seed) {
    Random r = new Random(seed);
    PackedMacTable table = new PackedMacTable();
    Map<Long, Integer> model = new HashMap<>();
    int range = 100 + r.nextInt(60_000);
    for (int step = 0; step < 300_000; step++) {
      long mac = r.nextInt(4) == 0 ? r.nextLong() >>> 16 : r.nextInt(range) + 0x0200_0000_0000L;
      int value = 1 + r.nextInt(65_535);
      switch (r.nextInt(3)) {
        case 0 -> {
          int expected = model.getOrDefault(mac, 0);
          model.put(mac, value);
          assertEquals(expected, table.put(mac, value), () -> "seed " + seed);
        }
        case 1 -> {
          int expected = model.getOrDefault(mac, 0);
          model.remove(mac);
          assertEquals(expected, table.remove(mac), () -> "seed " + seed);
        }
        default -> assertEquals(model.getOrDefault(mac, 0), table.get(mac), () -> "seed " + seed);
      }
      assertEquals(model.size(), table.size(), () -> "seed " + seed);
    }
    Map<Long, Integer> seen = new HashMap<>();
    table.forEach(seen::put);
    assertEquals(model, seen);
  }
}
