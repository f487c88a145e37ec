package io.evpnkit.rib;

import java.util.ConcurrentModificationException;
import java.util.function.LongFunction;
import org.jspecify.annotations.Nullable;

/**
 * A map from {@code long} keys to non-null values by open addressing with linear probing: flat arrays, no entry
 * objects and no boxed keys (the RIB's route-target index looks up every extended community of every route in one,
 * without boxing a {@code Long} each time). Removal shifts the following entries back ({@link Probing}), so there are no
 * tombstones; slots live in pages as in {@link ObjectTable}. Not thread-safe.
 */
final class LongMap<V> {
  private static final int PAGE_BITS = ObjectTable.PAGE_BITS;
  private static final int PAGE = ObjectTable.PAGE;

  private long[][] keys;
  private @Nullable Object[][] values;
  private int size;
  private int mask;
  private int modifications;

  LongMap() {
    keys = new long[][] {new long[8]};
    values = new Object[][] {new Object[8]};
    mask = 7;
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

  private long key(int i) {
    return keys[i >>> PAGE_BITS][i & (PAGE - 1)];
  }

  private @Nullable Object value(int i) {
    return values[i >>> PAGE_BITS][i & (PAGE - 1)];
  }

  private void store(int i, long key, @Nullable Object value) {
    keys[i >>> PAGE_BITS][i & (PAGE - 1)] = key;
    values[i >>> PAGE_BITS][i & (PAGE - 1)] = value;
  }

  @SuppressWarnings("unchecked")
  @Nullable V get(long key) {
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object x = value(i);
      if (x == null) {
        return null;
      }
      if (key(i) == key) {
        return (V) x;
      }
    }
  }

  /** Puts a value; returns the one it replaced, or {@code null}. */
  @SuppressWarnings("unchecked")
  @Nullable V put(long key, V value) {
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object x = value(i);
      if (x == null) {
        store(i, key, value);
        modifications++;
        if (++size > (mask + 1) / 4 * 3) {
          resize();
        }
        return null;
      }
      if (key(i) == key) {
        values[i >>> PAGE_BITS][i & (PAGE - 1)] = value;
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
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      Object x = value(i);
      if (x == null) {
        return null;
      }
      if (key(i) == key) {
        shiftBack(i);
        size--;
        modifications++;
        return (V) x;
      }
    }
  }

  private void shiftBack(int hole) {
    int free = hole;
    int i = hole;
    while (true) {
      i = (i + 1) & mask;
      Object x = value(i);
      if (x == null) {
        break;
      }
      long k = key(i);
      if (Probing.mayMoveBack(free, i, slot(k, mask))) {
        store(free, k, x);
        free = i;
      }
    }
    store(free, 0, null);
  }

  private void resize() {
    long[][] oldKeys = keys;
    Object[][] oldValues = values;
    int capacity = (mask + 1) * 2;
    int pages = Math.max(1, capacity >>> PAGE_BITS);
    int pageSize = Math.min(capacity, PAGE);
    keys = new long[pages][pageSize];
    values = new Object[pages][pageSize];
    mask = capacity - 1;
    for (int p = 0; p < oldValues.length; p++) {
      for (int j = 0; j < oldValues[p].length; j++) {
        Object x = oldValues[p][j];
        if (x != null) {
          long k = oldKeys[p][j];
          int i = slot(k, mask);
          while (value(i) != null) {
            i = (i + 1) & mask;
          }
          store(i, k, x);
        }
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
    for (int p = 0; p < values.length; p++) {
      Object[] vs = values[p];
      long[] ks = keys[p];
      for (int j = 0; j < vs.length; j++) {
        Object x = vs[j];
        if (x != null) {
          visitor.visit(ks[j], (V) x);
          if (modifications != expected) {
            throw new ConcurrentModificationException();
          }
        }
      }
    }
  }
}
