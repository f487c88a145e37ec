package io.evpnkit.rib;

/**
 * MACs of one bridge domain with a 16-bit value each, packed into one {@code long} per slot ({@code
 * mac << 16 | value}, value 1-65535; 0 is a free slot): a lookup touches one cache line, and a
 * million MACs take 16 MB in pages of {@link ObjectTable#PAGE} slots. Open addressing with linear
 * probing and backward-shift deletion ({@link Probing}). Not thread-safe.
 */
final class PackedMacTable {
  private static final int PAGE_BITS = ObjectTable.PAGE_BITS;
  private static final int PAGE = ObjectTable.PAGE;

  private long[][] slots = {new long[8]};
  private int mask = 7;
  private int size;

  private static int home(long mac, int mask) {
    long h = mac * 0x9E37_79B9_7F4A_7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private long slot(int i) {
    return slots[i >>> PAGE_BITS][i & (PAGE - 1)];
  }

  private void slot(int i, long v) {
    slots[i >>> PAGE_BITS][i & (PAGE - 1)] = v;
  }

  int size() {
    return size;
  }

  /** The value of a MAC, or 0. */
  int get(long mac) {
    for (int i = home(mac, mask); ; i = (i + 1) & mask) {
      long v = slot(i);
      if (v == 0) {
        return 0;
      }
      if ((v >>> 16) == mac) {
        return (int) v & 0xFFFF;
      }
    }
  }

  /** Sets a MAC's value (1-65535); returns the old one, or 0. */
  int put(long mac, int value) {
    long packed = (mac << 16) | value;
    for (int i = home(mac, mask); ; i = (i + 1) & mask) {
      long v = slot(i);
      if (v == 0) {
        slot(i, packed);
        if (++size > (mask + 1) / 4 * 3) {
          grow();
        }
        return 0;
      }
      if ((v >>> 16) == mac) {
        slot(i, packed);
        return (int) v & 0xFFFF;
      }
    }
  }

  /** Removes a MAC; returns its value, or 0. */
  int remove(long mac) {
    for (int i = home(mac, mask); ; i = (i + 1) & mask) {
      long v = slot(i);
      if (v == 0) {
        return 0;
      }
      if ((v >>> 16) == mac) {
        int free = i;
        int j = i;
        while (true) {
          j = (j + 1) & mask;
          long x = slot(j);
          if (x == 0) {
            break;
          }
          if (Probing.mayMoveBack(free, j, home(x >>> 16, mask))) {
            slot(free, x);
            free = j;
          }
        }
        slot(free, 0);
        size--;
        return (int) v & 0xFFFF;
      }
    }
  }

  private void grow() {
    long[][] old = slots;
    int capacity = (mask + 1) * 2;
    slots = new long[Math.max(1, capacity >>> PAGE_BITS)][Math.min(capacity, PAGE)];
    mask = capacity - 1;
    for (long[] page : old) {
      for (long v : page) {
        if (v != 0) {
          int i = home(v >>> 16, mask);
          while (slot(i) != 0) {
            i = (i + 1) & mask;
          }
          slot(i, v);
        }
      }
    }
  }

  /** A visitor of entries. */
  interface Visitor {
    void visit(long mac, int value);
  }

  /** Visits every entry (the visitor must not change the table). */
  void forEach(Visitor visitor) {
    for (long[] page : slots) {
      for (long v : page) {
        if (v != 0) {
          visitor.visit(v >>> 16, (int) v & 0xFFFF);
        }
      }
    }
  }
}
