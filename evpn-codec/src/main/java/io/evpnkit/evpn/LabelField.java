package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * The 3-octet label field of EVPN routes. With MPLS (RFC 7432 §7) it holds a 20-bit label in its
 * high bits, then 3 traffic-class bits and the bottom-of-stack bit; when the route carries the
 * VXLAN (or NVGRE) encapsulation extended community, the whole 24 bits are the VNI (RFC 8365
 * §5.1.3). The field itself does not say which: keep the raw value and read it through {@link
 * #mplsLabel()} or {@link #vni()} according to the route's encapsulation. Text: the raw value in
 * decimal. Immutable; ordered by raw value.
 *
 * @since 0.1
 */
public final class LabelField implements Comparable<LabelField> {
  /** Length on the wire. */
  public static final int LENGTH = 3;

  /** The zero field. */
  public static final LabelField ZERO = new LabelField(0);

  private final int raw;

  private LabelField(int raw) {
    this.raw = raw;
  }

  /** Returns the field of the 24-bit raw value. */
  public static LabelField of(int raw) {
    if ((raw & ~0xFF_FFFF) != 0) {
      throw new IllegalArgumentException("label field " + raw + " out of range 0..16777215");
    }
    if (raw == 0) {
      return ZERO;
    }
    // a route table holds the same few VNIs millions of times: one instance per value while it
    // stays in the cache
    int slot = (raw ^ (raw >>> 8) ^ (raw >>> 16)) & (CACHE.length - 1);
    LabelField c = CACHE[slot];
    if (c == null || c.raw != raw) {
      c = new LabelField(raw);
      CACHE[slot] = c; // immutable, so a racing reader sees a whole value or the previous one
    }
    return c;
  }

  private static final LabelField[] CACHE = new LabelField[256];

  /** Returns the field carrying a 24-bit VNI (RFC 8365 §5.1.3). */
  public static LabelField ofVni(int vni) {
    return of(vni);
  }

  /** Returns the field carrying a 20-bit MPLS label with the bottom-of-stack bit set. */
  public static LabelField ofMplsLabel(int label) {
    if ((label & ~0xF_FFFF) != 0) {
      throw new IllegalArgumentException("MPLS label " + label + " out of range 0..1048575");
    }
    return of((label << 4) | 1);
  }

  /**
   * Reads three octets at absolute index {@code index} (indexes not moved).
   *
   * @throws MalformedException if fewer than 3 bytes are readable there
   */
  public static LabelField read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("label field needs 3 bytes", index);
    }
    return of(buf.getUnsignedMedium(index));
  }

  /** Writes the three octets at absolute index {@code index}. */
  public void write(ByteBuf buf, int index) {
    buf.setMedium(index, raw);
  }

  /** Returns the raw 24 bits. */
  public int raw() {
    return raw;
  }

  /** Returns the value read as a VNI: all 24 bits. */
  public int vni() {
    return raw;
  }

  /** Returns the value read as an MPLS label: the high 20 bits. */
  public int mplsLabel() {
    return raw >>> 4;
  }

  /** Returns the bottom-of-stack bit when read as MPLS. */
  public boolean bottomOfStack() {
    return (raw & 1) != 0;
  }

  /** Parses the raw value in decimal. */
  public static LabelField parse(String text) {
    return of(
        (int) RouteDistinguisher.parseNumber(text, 0, text.length(), 0xFF_FFFF, "label field"));
  }

  @Override
  public String toString() {
    return Integer.toString(raw);
  }

  @Override
  public int compareTo(LabelField o) {
    return Integer.compare(raw, o.raw);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabelField other && other.raw == raw;
  }

  @Override
  public int hashCode() {
    return raw;
  }
}
