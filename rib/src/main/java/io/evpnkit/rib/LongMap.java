package io.evpnkit.rib;

import java.util.ConcurrentModificationException;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A map from {@code long} keys to non-null values by open addressing with linear probing: two flat arrays, no entry
 * objects and no boxed keys (a RIB keeps a million MACs in these; a {@code HashMap<MacAddress, V>} costs about 40
 * more bytes per entry). Removal shifts the following entries back, so there are no tombstones. Not thread-safe.
 */
final class LongMap<V> {
  private static final int MIN_CAPACITY = 8;

  private long[] keys;
  private @Nullable Object[] values;
  private int size;
  private int mask;
  private int modifications;

  LongMap() {
    this(MIN_CAPACITY);
  }

  LongMap(int expected) {
    int capacity = Integer.highestOneBit(Math.max(MIN_CAPACITY, expected * 4 / 3 + 1) - 1) << 1;
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
  }

  /** A 64-bit finalizer (MurmurHash3's fmix64): consecutive MACs spread over the whole table. */
  private static int slot(long key, int mask) {
    long h = key;
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    h *= 0xC4CE_B9FE_1A85_EC53L;
    h ^= h >>> 33;
    return (int) h & mask;
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  @SuppressWarnings("unchecked")
  @Nullable V get(long key) {
    long[] k = keys;
    Object[] v = values;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object x = v[i];
      if (x == null) {
        return null;
      }
      if (k[i] == key) {
        return (V) x;
      }
    }
  }

  boolean containsKey(long key) {
    return get(key) != null;
  }

  /** Puts a value; returns the one it replaced, or {@code null}. */
  @SuppressWarnings("unchecked")
  @Nullable V put(long key, V value) {
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object x = values[i];
      if (x == null) {
        keys[i] = key;
        values[i] = value;
        modifications++;
        if (++size > (mask + 1) * 3 / 4) {
          resize();
        }
        return null;
      }
      if (keys[i] == key) {
        values[i] = value;
        return (V) x;
      }
    }
  }

  V computeIfAbsent(long key, LongFunction<V> create) {
    V v = get(key);
    if (v == null) {
      v = create.apply(key);
      put(key, v);
    }
    return v;
  }

  /** Removes a key; returns its value, or {@code null}. */
  @SuppressWarnings("unchecked")
  @Nullable V remove(long key) {
    long[] k = keys;
    Object[] v = values;
    int i = slot(key, mask);
    while (true) {
      Object x = v[i];
      if (x == null) {
        return null;
      }
      if (k[i] == key) {
        shiftBack(i);
        size--;
        modifications++;
        return (V) x;
      }
      i = (i + 1) & mask;
    }
  }

  /** Fills the hole at {@code hole} with a later entry of its probe run that may move there (Knuth's algorithm R). */
  private void shiftBack(int hole) {
    long[] k = keys;
    Object[] v = values;
    int free = hole;
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      Object x = v[i];
      if (x == null) {
        break;
      }
      int home = slot(k[i], mask);
      if (Probing.mayMoveBack(free, i, home)) {
        k[free] = k[i];
        v[free] = x;
        free = i;
      }
    }
    v[free] = null;
    k[free] = 0;
  }

  private void resize() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    int capacity = oldKeys.length * 2;
    keys = new long[capacity];
    values = new Object[capacity];
    mask = capacity - 1;
    for (int j = 0; j < oldKeys.length; j++) {
      Object x = oldValues[j];
      if (x != null) {
        int i = slot(oldKeys[j], mask);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = x;
      }
    }
  }

  /** A visitor of entries. */
  interface Visitor<V> {
    void visit(long key, V value);
  }

  /**
   * Visits every entry in table order; the visitor may replace values with {@link #put} on an existing key but not
   * add or remove keys ({@link ConcurrentModificationException}).
   */
  @SuppressWarnings("unchecked")
  void forEach(Visitor<V> visitor) {
    int expected = modifications;
    long[] k = keys;
    Object[] v = values;
    for (int i = 0; i < v.length; i++) {
      Object x = v[i];
      if (x != null) {
        visitor.visit(k[i], (V) x);
        if (modifications != expected) {
          throw new ConcurrentModificationException();
        }
      }
    }
  }

  void clear() {
    java.util.Arrays.fill(values, null);
    size = 0;
    modifications++;
  }
}
