package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * An Ethernet Segment Identifier, RFC 7432 §5: ten octets, a type octet and nine octets of value.
 *
 * <pre>
 * type 0: operator configured, 9 arbitrary octets
 * type 1: | CE LACP system MAC (6) | CE LACP port key (2) | 0x00 |
 * type 2: | root bridge MAC (6)    | root bridge priority (2) | 0x00 |
 * type 3: | system MAC (6)         | local discriminator (3) |
 * type 4: | router ID (4)          | local discriminator (4) | 0x00 |
 * type 5: | AS number (4)          | local discriminator (4) | 0x00 |
 * </pre>
 *
 * The all-zero ESI ({@link #ZERO}) means a single-homed site; all ones ({@link #MAX}) is reserved.
 * Other types are kept as they are.
 *
 * <p>Text: ten lower-case hex octets separated by colons ({@code 00:11:22:33:44:55:66:77:88:99});
 * {@link #parse} also accepts the 20 hex digits without separators that Junos prints inside route
 * prefixes. Immutable; ordered as the unsigned 80-bit number the octets spell.
 *
 * @since 0.1
 */
public final class EthernetSegmentIdentifier implements Comparable<EthernetSegmentIdentifier> {
  /** Length on the wire. */
  public static final int LENGTH = 10;

  /** The zero ESI: a single-homed site. */
  public static final EthernetSegmentIdentifier ZERO = new EthernetSegmentIdentifier(0, 0);

  /** MAX-ESI: all ones, reserved (RFC 7432 §5). */
  public static final EthernetSegmentIdentifier MAX = new EthernetSegmentIdentifier(-1L, 0xFFFF);

  private final long high; // octets 0..7
  private final int low; // octets 8..9

  private EthernetSegmentIdentifier(long high, int low) {
    this.high = high;
    this.low = low & 0xFFFF;
  }

  /**
   * Returns the ESI whose octets 0..7 are {@code high} and octets 8..9 the low 16 bits of {@code
   * low}.
   */
  public static EthernetSegmentIdentifier of(long high, int low) {
    if (high == 0 && (low & 0xFFFF) == 0) {
      return ZERO;
    }
    return new EthernetSegmentIdentifier(high, low);
  }

  /** Returns the ESI of ten octets. */
  public static EthernetSegmentIdentifier of(byte[] octets) {
    if (octets.length != LENGTH) {
      throw new IllegalArgumentException("ESI needs 10 octets, got " + octets.length);
    }
    long h = 0;
    for (int i = 0; i < 8; i++) {
      h = (h << 8) | (octets[i] & 0xFF);
    }
    return of(h, ((octets[8] & 0xFF) << 8) | (octets[9] & 0xFF));
  }

  /** Type 1 (LACP): the CE's LACP system MAC and port key. */
  public static EthernetSegmentIdentifier ofLacp(MacAddress systemMac, int portKey) {
    check("port key", portKey, 0xFFFF);
    return of((1L << 56) | (systemMac.value() << 8) | (portKey >>> 8), (portKey & 0xFF) << 8);
  }

  /** Type 2 (bridge): the root bridge MAC and priority. */
  public static EthernetSegmentIdentifier ofBridge(MacAddress rootBridge, int priority) {
    check("priority", priority, 0xFFFF);
    return of((2L << 56) | (rootBridge.value() << 8) | (priority >>> 8), (priority & 0xFF) << 8);
  }

  /** Type 3 (MAC-based): the system MAC and a 3-octet local discriminator. */
  public static EthernetSegmentIdentifier ofMac(MacAddress systemMac, int discriminator) {
    check("local discriminator", discriminator, 0xFF_FFFF);
    return of(
        (3L << 56) | (systemMac.value() << 8) | (discriminator >>> 16), discriminator & 0xFFFF);
  }

  /** Type 4 (router ID): the router ID (IPv4, network order) and a 4-octet local discriminator. */
  public static EthernetSegmentIdentifier ofRouterId(int routerId, long discriminator) {
    check("local discriminator", discriminator, 0xFFFF_FFFFL);
    return of(
        (4L << 56) | ((routerId & 0xFFFF_FFFFL) << 24) | (discriminator >>> 8),
        (int) (discriminator & 0xFF) << 8);
  }

  /** Type 5 (AS): the AS number and a 4-octet local discriminator. */
  public static EthernetSegmentIdentifier ofAs(long as, long discriminator) {
    check("AS number", as, 0xFFFF_FFFFL);
    check("local discriminator", discriminator, 0xFFFF_FFFFL);
    return of((5L << 56) | (as << 24) | (discriminator >>> 8), (int) (discriminator & 0xFF) << 8);
  }

  private static void check(String what, long v, long max) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(what + " " + v + " out of range 0.." + max);
    }
  }

  /**
   * Reads an ESI at absolute index {@code index} (indexes not moved).
   *
   * @throws MalformedException if fewer than 10 bytes are readable there
   */
  public static EthernetSegmentIdentifier read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("ESI needs 10 bytes", index);
    }
    return of(buf.getLong(index), buf.getUnsignedShort(index + 8));
  }

  /** Writes the ten octets at absolute index {@code index} (indexes not moved). */
  public void write(ByteBuf buf, int index) {
    buf.setLong(index, high);
    buf.setShort(index + 8, low);
  }

  /** Returns the type octet. */
  public int type() {
    return (int) (high >>> 56);
  }

  /**
   * Returns whether this names an Ethernet segment: neither zero (single-homed) nor the reserved
   * MAX-ESI.
   */
  public boolean isSegment() {
    return !isZero() && !equals(MAX);
  }

  /**
   * Returns this ESI if it names an Ethernet segment, as routes about a segment need (RFC 7432 §5:
   * zero means a single-homed site, all ones is reserved).
   *
   * @param what the route or field that needs it, for the message
   * @throws IllegalArgumentException if it is zero or MAX-ESI
   */
  public EthernetSegmentIdentifier checkSegment(String what) {
    if (!isSegment()) {
      throw new IllegalArgumentException(
          what
              + " needs an Ethernet segment, not ESI "
              + this
              + (isZero() ? " (zero: a single-homed site)" : " (MAX-ESI: reserved, RFC 7432 §5)"));
    }
    return this;
  }

  /** Returns whether this is the zero ESI (single-homed). */
  public boolean isZero() {
    return high == 0 && low == 0;
  }

  /** Returns octets 0..7 as a big-endian long. */
  public long high() {
    return high;
  }

  /** Returns octets 8..9. */
  public int low() {
    return low;
  }

  /** Returns the ten octets. */
  public byte[] toByteArray() {
    byte[] b = new byte[LENGTH];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (high >>> (56 - 8 * i));
    }
    b[8] = (byte) (low >>> 8);
    b[9] = (byte) low;
    return b;
  }

  /** Types 1, 2, 3: the MAC address in octets 1..6. */
  public MacAddress systemMac() {
    requireType(1, 2, 3);
    return MacAddress.of((high >>> 8) & 0xFFFF_FFFF_FFFFL);
  }

  /** Type 1: the CE LACP port key; type 2: the root bridge priority (octets 7..8). */
  public int portKeyOrPriority() {
    requireType(1, 2, 2);
    return (int) ((high & 0xFF) << 8) | (low >>> 8);
  }

  /** Type 3: the 3-octet local discriminator; types 4, 5: the 4-octet local discriminator. */
  public long localDiscriminator() {
    requireType(3, 4, 5);
    if (type() == 3) {
      return ((high & 0xFF) << 16) | low;
    }
    return ((high & 0xFF_FFFFL) << 8) | (low >>> 8);
  }

  /** Type 4: the router ID (IPv4, network order); type 5: the AS number (octets 1..4). */
  public long routerIdOrAs() {
    requireType(4, 5, 5);
    return (high >>> 24) & 0xFFFF_FFFFL;
  }

  private void requireType(int a, int b, int c) {
    int t = type();
    if (t != a && t != b && t != c) {
      throw new IllegalStateException("ESI type " + t + " has no such field");
    }
  }

  /**
   * Parses ten colon-separated hex octets, or 20 hex digits without separators.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EthernetSegmentIdentifier parse(String text) {
    byte[] b = new byte[LENGTH];
    if (text.indexOf(':') < 0) {
      if (text.length() != 2 * LENGTH) {
        throw new MalformedException(
            "ESI "
                + MalformedException.quote(text)
                + ": 20 hex digits or 10 colon-separated octets",
            0);
      }
      for (int i = 0; i < LENGTH; i++) {
        b[i] = (byte) RouteDistinguisher.parseHex(text, 2 * i, 2 * i + 2);
      }
      return of(b);
    }
    int at = 0;
    for (int i = 0; i < LENGTH; i++) {
      int end = text.indexOf(':', at);
      if (end < 0) {
        end = text.length();
      }
      if (end - at < 1 || end - at > 2 || (i < LENGTH - 1 && end == text.length())) {
        throw new MalformedException(
            "ESI " + MalformedException.quote(text) + ": 10 colon-separated hex octets", at);
      }
      b[i] = (byte) RouteDistinguisher.parseHex(text, at, end);
      at = end + 1;
    }
    if (at <= text.length()) {
      throw new MalformedException(
          "ESI " + MalformedException.quote(text) + ": more than 10 octets", at - 1);
    }
    return of(b);
  }

  /** Appends the colon-separated text form. */
  public StringBuilder appendTo(StringBuilder sb) {
    byte[] b = toByteArray();
    for (int i = 0; i < LENGTH; i++) {
      if (i > 0) {
        sb.append(':');
      }
      MacAddress.appendHexOctet(sb, b[i]);
    }
    return sb;
  }

  /** Appends the 20 hex digits without separators (the form inside Junos route prefixes). */
  public StringBuilder appendCompact(StringBuilder sb) {
    for (byte x : toByteArray()) {
      MacAddress.appendHexOctet(sb, x);
    }
    return sb;
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder(29)).toString();
  }

  @Override
  public int compareTo(EthernetSegmentIdentifier o) {
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Integer.compare(low, o.low);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EthernetSegmentIdentifier e && e.high == high && e.low == low;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 31 + low;
  }
}
