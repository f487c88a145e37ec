package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The RIB's open-addressing tables against HashMap under random puts, removals and lookups (keys
 * from a small range collide in probes, keys sharing their low bits too; the large ranges grow the
 * tables to several pages).
 */
class TablesTest {
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
    int find(long key) {
      return findLong(key, b -> b.key);
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 0x5EED, 0xC0FFEE, 0xDEADBEEFL})
  void objectTableBehavesAsAHashMap(long seed) {
    Random r = new Random(seed);
    BoxTable table = new BoxTable();
    Map<Long, Long> model = new HashMap<>();
    int range = 100 + r.nextInt(60_000);
    boolean spread = seed % 2 == 0; // else dense keys sharing their low bits, and some random ones
    for (int step = 0; step < 300_000; step++) {
      long key =
          spread
              ? r.nextInt(range)
              : r.nextInt(4) == 0 ? r.nextLong() : r.nextInt(range) * 0x10000L;
      int slot = table.find(key);
      switch (r.nextInt(3)) {
        case 0 -> {
          model.put(key, (long) step);
          if (slot < 0) {
            table.add(new Box(key, step), ObjectTable.hashLong(key));
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

  /** An operation of every kind on a few keys, so that keys repeat and kinds meet. */
  static ForwardingOp randomOp(Random r) {
    int vni = 100 + r.nextInt(2);
    io.evpnkit.evpn.MacAddress mac = io.evpnkit.evpn.MacAddress.of(r.nextInt(4));
    io.evpnkit.evpn.IpAddress ip =
        r.nextBoolean()
            ? io.evpnkit.evpn.IpAddress.parse("10.0.0." + r.nextInt(3))
            : io.evpnkit.evpn.IpAddress.parse("fd00::" + r.nextInt(3));
    io.evpnkit.evpn.IpAddress vtep = io.evpnkit.evpn.IpAddress.parse("192.0.2." + r.nextInt(3));
    io.evpnkit.policy.IpPrefix prefix =
        io.evpnkit.policy.IpPrefix.parse("10." + r.nextInt(2) + ".0.0/16");
    return switch (r.nextInt(10)) {
      case 0 -> new ForwardingOp.SetMac(vni, mac, new Destination.RemoteVtep(vtep));
      case 1 -> new ForwardingOp.RemoveMac(vni, mac);
      case 2 -> new ForwardingOp.SetNeighbor(vni, ip, mac);
      case 3 -> new ForwardingOp.RemoveNeighbor(vni, ip);
      case 4 -> new ForwardingOp.SetFlood(vni, java.util.List.of(vtep));
      case 5 -> new ForwardingOp.RemoveFlood(vni);
      case 6 ->
          new ForwardingOp.SetGroup(
              vni,
              io.evpnkit.evpn.EthernetSegmentIdentifier.ZERO,
              vni,
              java.util.List.of(new ForwardingOp.Member(vtep, 1)));
      case 7 -> new ForwardingOp.RemoveGroup(vni);
      case 8 -> new ForwardingOp.SetRoute("T" + (vni % 2), prefix, vtep, 5000, mac);
      default -> new ForwardingOp.RemoveRoute("T" + (vni % 2), prefix);
    };
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 0x5EED, 0xC0FFEE})
  void theForwardingStateHoldsOperationsByTheirKeysAsAMapOfKeysWould(long seed) {
    Random r = new Random(seed);
    for (int i = 0; i < 2_000; i++) {
      ForwardingOp a = randomOp(r);
      ForwardingOp b = randomOp(r);
      boolean same = a.key().equals(b.key());
      assertEquals(same, FibState.sameKey(a, b), () -> "seed " + seed + ": " + a + " " + b);
      if (same) {
        assertEquals(FibState.keyHash(a), FibState.keyHash(b), () -> "seed " + seed);
      }
    }
    FibState fib = new FibState(java.util.List::of);
    Map<Object, ForwardingOp> model = new HashMap<>();
    for (int i = 0; i < 5_000; i++) {
      ForwardingOp op = randomOp(r);
      boolean removal = op.getClass().getSimpleName().startsWith("Remove");
      if (removal) {
        fib.remove(op);
        model.remove(op.key());
      } else {
        fib.set(op);
        model.put(op.key(), op);
      }
      assertEquals(model.get(op.key()), fib.wanted(op), () -> "seed " + seed);
      if (r.nextInt(50) == 0) {
        fib.drain();
      }
    }
    assertEquals(
        new java.util.HashSet<>(model.values()),
        new java.util.HashSet<>(fib.fullState()),
        () -> "seed " + seed);
  }
}
