package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * The 4-octet Ethernet Tag ID of EVPN routes (RFC 7432 §7): 0 for VLAN-based service, the VLAN or
 * VNI of a VLAN-aware bundle, and {@link #MAX} (0xFFFFFFFF, MAX-ET) in per-ES Ethernet A-D routes.
 * Text: unsigned decimal. Immutable; ordered as an unsigned 32-bit number.
 *
 * @since 0.1
 */
public final class EthernetTag implements Comparable<EthernetTag> {
  /** Length on the wire. */
  public static final int LENGTH = 4;

  /** Tag 0. */
  public static final EthernetTag ZERO = new EthernetTag(0);

  /** MAX-ET, 0xFFFFFFFF. */
  public static final EthernetTag MAX = new EthernetTag(-1);

  private final int value;

  private EthernetTag(int value) {
    this.value = value;
  }

  /** Returns the tag of the unsigned 32-bit number {@code value}. */
  public static EthernetTag of(long value) {
    if (value < 0 || value > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("Ethernet tag " + value + " out of range 0..4294967295");
    }
    if (value == 0) {
      return ZERO;
    }
    if (value == 0xFFFF_FFFFL) {
      return MAX;
    }
    // a route table holds the same few tags (VNIs) millions of times: one instance per value while
    // cached
    int v = (int) value;
    int slot = (v ^ (v >>> 8) ^ (v >>> 16) ^ (v >>> 24)) & (CACHE.length - 1);
    EthernetTag c = CACHE[slot];
    if (c == null || c.value() != value) {
      c = new EthernetTag(v);
      CACHE[slot] = c; // immutable, so a racing reader sees a whole value or the previous one
    }
    return c;
  }

  private static final EthernetTag[] CACHE = new EthernetTag[256];

  /**
   * Reads four octets at absolute index {@code index} (indexes not moved).
   *
   * @throws MalformedException if fewer than 4 bytes are readable there
   */
  public static EthernetTag read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("Ethernet tag needs 4 bytes", index);
    }
    return of(buf.getUnsignedInt(index));
  }

  /** Writes the four octets at absolute index {@code index}. */
  public void write(ByteBuf buf, int index) {
    buf.setInt(index, value);
  }

  /** Returns the tag as an unsigned number. */
  public long value() {
    return value & 0xFFFF_FFFFL;
  }

  /** Parses unsigned decimal. */
  public static EthernetTag parse(String text) {
    return of(RouteDistinguisher.parseNumber(text, 0, text.length(), 0xFFFF_FFFFL, "Ethernet tag"));
  }

  @Override
  public String toString() {
    return Long.toString(value());
  }

  @Override
  public int compareTo(EthernetTag o) {
    return Integer.compareUnsigned(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EthernetTag other && other.value == value;
  }

  @Override
  public int hashCode() {
    return value;
  }
}
