package io.evpnkit.rib;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An open-addressing table of objects that carry their own key (linear probing, backward-shift
 * deletion): the subclasses probe with {@link #start}, {@link #next}, {@link #stored}, {@link
 * #probe} and {@link #at} and compare keys themselves, so that no key or entry objects exist. Each
 * slot also keeps its entry's hash with the low bit set (0 is a free slot): a probe walks the
 * hashes alone and reads an entry only when they match, and growing or deleting never reads the
 * entries (in a table of millions each read is a cache miss). Slots live in pages of 16,384: a
 * table of millions of entries is many small arrays rather than one huge one (the G1 collector
 * gives each huge array whole regions, which wastes up to a region each). Not thread-safe.
 */
class ObjectTable<E> {
  static final int PAGE_BITS = 14;
  static final int PAGE = 1 << PAGE_BITS;

  private @Nullable Object[][] pages;
  private int[][] hashes;
  private int mask;
  private int size;

  ObjectTable() {
    pages = new Object[][] {new Object[8]};
    hashes = new int[][] {new int[8]};
    mask = 7;
  }

  /** What a slot holds for an entry with this hash: the hash with its low bit set, never 0. */
  static int probe(int hash) {
    return hash | 1;
  }

  /** The {@link #probe} value stored at a slot, or 0 for a free slot. */
  final int stored(int i) {
    return hashes[i >>> PAGE_BITS][i & (PAGE - 1)];
  }

  /**
   * The hash of a {@code long} key (a multiplication spreads consecutive keys, such as MACs, over
   * the table).
   */
  static int hashLong(long key) {
    long h = key * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32));
  }

  /**
   * The slot of the entry whose {@code long} key is {@code key}, or -1: for tables of entries that
   * carry a {@code long} key, added with {@link #hashLong} of it.
   */
  final int findLong(long key, java.util.function.ToLongFunction<? super E> keyOf) {
    int hash = hashLong(key);
    int probe = probe(hash);
    for (int i = start(hash); ; i = next(i)) {
      int stored = stored(i);
      if (stored == 0) {
        return -1;
      }
      if (stored == probe && keyOf.applyAsLong(java.util.Objects.requireNonNull(at(i))) == key) {
        return i;
      }
    }
  }

  /** Removes every entry and gives the memory back (the table starts small again). */
  final void clearAll() {
    pages = new Object[][] {new Object[8]};
    hashes = new int[][] {new int[8]};
    mask = 7;
    size = 0;
  }

  /** The first slot of a hash's probe run. */
  final int start(int hash) {
    return home(hash, mask);
  }

  /** The home slot of a hash: of its {@link #probe} value, which is all a slot keeps. */
  private static int home(int hash, int mask) {
    int h = probe(hash);
    return (h ^ (h >>> 16)) & mask;
  }

  /** The slot after {@code i}. */
  final int next(int i) {
    return (i + 1) & mask;
  }

  /** The entry at a slot, or {@code null} for a free one. */
  @SuppressWarnings("unchecked")
  final @Nullable E at(int i) {
    return (E) pages[i >>> PAGE_BITS][i & (PAGE - 1)];
  }

  /** Replaces the entry at an occupied slot with one of the same key. */
  final void set(int i, E e) {
    pages[i >>> PAGE_BITS][i & (PAGE - 1)] = e;
  }

  final int size() {
    return size;
  }

  /** The number of slots. */
  final int capacity() {
    return mask + 1;
  }

  /** Adds an entry whose key is not in the table, with the hash of its key (the one probes use). */
  final void add(E e, int hash) {
    insert(pages, hashes, mask, e, hash);
    if (++size > (mask + 1) / 4 * 3) {
      int capacity = (mask + 1) * 2;
      int pageCount = Math.max(1, capacity >>> PAGE_BITS);
      int pageSize = Math.min(capacity, PAGE);
      Object[][] old = pages;
      Object[][] fresh = new Object[pageCount][pageSize];
      int[][] freshHashes = new int[pageCount][pageSize];
      for (int p = 0; p < old.length; p++) {
        Object[] page = old[p];
        for (int j = 0; j < page.length; j++) {
          Object x = page[j];
          if (x != null) {
            @SuppressWarnings("unchecked")
            E y = (E) x;
            insert(fresh, freshHashes, capacity - 1, y, hashes[p][j]);
          }
        }
      }
      pages = fresh;
      hashes = freshHashes;
      mask = capacity - 1;
    }
  }

  private static void insert(@Nullable Object[][] p, int[][] t, int m, Object e, int h) {
    int i = home(h, m);
    while (t[i >>> PAGE_BITS][i & (PAGE - 1)] != 0) {
      i = (i + 1) & m;
    }
    p[i >>> PAGE_BITS][i & (PAGE - 1)] = e;
    t[i >>> PAGE_BITS][i & (PAGE - 1)] = probe(h);
  }

  /** Empties slot {@code i}, moving later entries of its probe run back (see {@link Probing}). */
  final void removeAt(int i) {
    int free = i;
    int j = i;
    while (true) {
      j = next(j);
      int h = stored(j);
      if (h == 0) {
        break;
      }
      if (Probing.mayMoveBack(free, j, start(h))) {
        pages[free >>> PAGE_BITS][free & (PAGE - 1)] = at(j);
        hashes[free >>> PAGE_BITS][free & (PAGE - 1)] = h;
        free = j;
      }
    }
    pages[free >>> PAGE_BITS][free & (PAGE - 1)] = null;
    hashes[free >>> PAGE_BITS][free & (PAGE - 1)] = 0;
    size--;
  }

  /** Visits every entry; the visitor must not add or remove entries. */
  @SuppressWarnings("unchecked")
  final void forEach(Consumer<? super E> c) {
    for (Object[] page : pages) {
      for (Object x : page) {
        if (x != null) {
          c.accept((E) x);
        }
      }
    }
  }
}
