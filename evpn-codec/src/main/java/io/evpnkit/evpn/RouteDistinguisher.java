package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * A Route Distinguisher, RFC 4364 §4.2: eight octets, a 2-octet type and a 6-octet value.
 *
 * <pre>
 * type 0: | 0x0000 | administrator: 2-octet AS  | assigned number: 4 octets |
 * type 1: | 0x0001 | administrator: IPv4 address | assigned number: 2 octets |
 * type 2: | 0x0002 | administrator: 4-octet AS  | assigned number: 2 octets |
 * </pre>
 *
 * <p>Text forms: {@code 65000:100} (type 0), {@code 1.2.3.11:1} (type 1), {@code 4200000000:7}
 * (type 2). Parsing rule for {@code number:number}: type 0 when the administrator fits 16 bits,
 * type 2 when it does not (it must fit 32 bits and the assigned number 16 bits); an {@code L} after
 * the administrator ({@code 65000L:7}, the Junos mark of a 4-octet AS) forces type 2, and {@code
 * toString} writes that mark whenever a type 2 administrator would fit 16 bits, so text
 * round-trips. Other types are kept with their bytes and written {@code rd-type-<type>:<12 hex
 * digits>}.
 *
 * <p>Immutable; ordered as the unsigned 64-bit number the eight octets spell.
 *
 * @since 0.1
 */
public final class RouteDistinguisher implements Comparable<RouteDistinguisher> {
  /** Length on the wire. */
  public static final int LENGTH = 8;

  /** Type 0: 2-octet AS administrator. */
  public static final int TYPE_AS2 = 0;

  /** Type 1: IPv4 administrator. */
  public static final int TYPE_IPV4 = 1;

  /** Type 2: 4-octet AS administrator. */
  public static final int TYPE_AS4 = 2;

  private final long value;

  private RouteDistinguisher(long value) {
    this.value = value;
  }

  /** Returns the RD whose eight octets, big-endian, are {@code value}. */
  public static RouteDistinguisher of(long value) {
    // a route table holds each PE's few RDs thousands of times: one instance per value while cached
    long h = value * 0x9E37_79B9_7F4A_7C15L;
    int slot = (int) (h >>> 56) & (CACHE.length - 1);
    RouteDistinguisher c = CACHE[slot];
    if (c == null || c.value != value) {
      c = new RouteDistinguisher(value);
      CACHE[slot] = c; // immutable, so a racing reader sees a whole value or the previous one
    }
    return c;
  }

  private static final RouteDistinguisher[] CACHE = new RouteDistinguisher[256];

  /** Returns a type 0 RD. */
  public static RouteDistinguisher ofAs2(int as, long assigned) {
    checkRange("2-octet AS", as, 0xFFFF);
    checkRange("assigned number", assigned, 0xFFFF_FFFFL);
    return new RouteDistinguisher(((long) as << 32) | assigned);
  }

  /** Returns a type 1 RD from an IPv4 address (as an int, network order) and an assigned number. */
  public static RouteDistinguisher ofIpv4(int address, int assigned) {
    checkRange("assigned number", assigned, 0xFFFF);
    return new RouteDistinguisher(
        ((long) TYPE_IPV4 << 48) | ((address & 0xFFFF_FFFFL) << 16) | assigned);
  }

  /** Returns a type 2 RD. */
  public static RouteDistinguisher ofAs4(long as, int assigned) {
    checkRange("4-octet AS", as, 0xFFFF_FFFFL);
    checkRange("assigned number", assigned, 0xFFFF);
    return new RouteDistinguisher(((long) TYPE_AS4 << 48) | (as << 16) | assigned);
  }

  /**
   * Reads an RD at absolute index {@code index} (indexes not moved).
   *
   * @throws MalformedException if fewer than 8 bytes are readable there
   */
  public static RouteDistinguisher read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("route distinguisher needs 8 bytes", index);
    }
    return new RouteDistinguisher(buf.getLong(index));
  }

  /** Writes the eight octets at absolute index {@code index} (indexes not moved). */
  public void write(ByteBuf buf, int index) {
    buf.setLong(index, value);
  }

  /** Returns the eight octets as a big-endian long. */
  public long value() {
    return value;
  }

  /** Returns the type, 0..65535. */
  public int type() {
    return (int) (value >>> 48);
  }

  /** Returns the administrator: AS number, or the IPv4 address as an unsigned 32-bit number. */
  public long administrator() {
    return switch (type()) {
      case TYPE_AS2 -> (value >>> 32) & 0xFFFF;
      case TYPE_IPV4, TYPE_AS4 -> (value >>> 16) & 0xFFFF_FFFFL;
      default ->
          throw new IllegalStateException(
              "RD type " + type() + " has no known administrator field");
    };
  }

  /** Returns the assigned number. */
  public long assignedNumber() {
    return switch (type()) {
      case TYPE_AS2 -> value & 0xFFFF_FFFFL;
      case TYPE_IPV4, TYPE_AS4 -> value & 0xFFFF;
      default ->
          throw new IllegalStateException(
              "RD type " + type() + " has no known assigned number field");
    };
  }

  /**
   * Parses the text form (see the class comment).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static RouteDistinguisher parse(String text) {
    if (text.startsWith("rd-type-")) {
      int colon = text.indexOf(':');
      if (colon < 0 || text.length() - colon - 1 != 12) {
        throw new MalformedException(
            "RD " + MalformedException.quote(text) + ": rd-type-<type>:<12 hex digits>", 0);
      }
      long type = parseNumber(text, 8, colon, 0xFFFF, "RD type");
      long low = parseHex(text, colon + 1, text.length());
      return new RouteDistinguisher((type << 48) | low);
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new MalformedException(
          "RD " + MalformedException.quote(text) + ": must be <administrator>:<assigned number>",
          Math.max(colon, 0));
    }
    String admin = text.substring(0, colon);
    if (admin.indexOf('.') >= 0) {
      int ip = Ipv4.parse(text, 0, colon);
      return ofIpv4(
          ip, (int) parseNumber(text, colon + 1, text.length(), 0xFFFF, "assigned number"));
    }
    boolean forceAs4 = admin.endsWith("L");
    long as = parseNumber(text, 0, forceAs4 ? colon - 1 : colon, 0xFFFF_FFFFL, "AS number");
    if (!forceAs4 && as <= 0xFFFF) {
      return ofAs2(
          (int) as, parseNumber(text, colon + 1, text.length(), 0xFFFF_FFFFL, "assigned number"));
    }
    return ofAs4(as, (int) parseNumber(text, colon + 1, text.length(), 0xFFFF, "assigned number"));
  }

  static long parseNumber(String text, int from, int to, long max, String what) {
    if (from >= to) {
      throw new MalformedException(what + " missing in " + MalformedException.quote(text), from);
    }
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        throw new MalformedException(
            "'" + c + "' in " + what + " of " + MalformedException.quote(text) + ": digits only",
            i);
      }
      v = v * 10 + (c - '0');
      if (v > max) {
        throw new MalformedException(
            what + " in " + MalformedException.quote(text) + " exceeds " + max, from);
      }
    }
    return v;
  }

  static long parseHex(String text, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      // ASCII hex digits only: Character.digit would also take other scripts' digits
      // (U+0660..U+0669, ...)
      int d =
          c >= '0' && c <= '9'
              ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) {
        throw new MalformedException(
            "'" + text.charAt(i) + "' in " + MalformedException.quote(text) + ": hex digits only",
            i);
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static void checkRange(String what, long v, long max) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(what + " " + v + " out of range 0.." + max);
    }
  }

  /** Appends the text form. */
  public StringBuilder appendTo(StringBuilder sb) {
    int type = type();
    if (type == TYPE_AS2) {
      return sb.append(administrator()).append(':').append(assignedNumber());
    }
    if (type == TYPE_IPV4) {
      return Ipv4.append(sb, (int) administrator()).append(':').append(assignedNumber());
    }
    if (type == TYPE_AS4) {
      sb.append(administrator());
      if (administrator() <= 0xFFFF) {
        sb.append('L');
      }
      return sb.append(':').append(assignedNumber());
    }
    sb.append("rd-type-").append(type).append(':');
    String hex = Long.toHexString(value & 0xFFFF_FFFF_FFFFL);
    for (int i = hex.length(); i < 12; i++) {
      sb.append('0');
    }
    return sb.append(hex);
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder(24)).toString();
  }

  @Override
  public int compareTo(RouteDistinguisher o) {
    return Long.compareUnsigned(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RouteDistinguisher other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }
}
