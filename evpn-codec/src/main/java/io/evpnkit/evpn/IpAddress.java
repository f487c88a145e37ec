package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * An IPv4 or IPv6 address as EVPN routes carry it (originator, MAC/IP binding, prefix, gateway,
 * next hop): immutable, held in two longs, no {@code InetAddress} and no name lookup. Text: dotted
 * decimal for IPv4, RFC 5952 §4 canonical form for IPv6 (lower case, longest run of two or more
 * zero groups compressed, the first on a tie). Ordered IPv4 before IPv6, then as unsigned numbers.
 *
 * @since 0.1
 */
public final class IpAddress implements Comparable<IpAddress> {
  private final boolean ipv6;
  private final long high; // IPv6 bits 0..63; 0 for IPv4
  private final long low; // IPv6 bits 64..127; the IPv4 address in the low 32 bits

  private IpAddress(boolean ipv6, long high, long low) {
    this.ipv6 = ipv6;
    this.high = high;
    this.low = low;
  }

  /** Returns the IPv4 address whose network-order bits are {@code address}. */
  public static IpAddress ofIpv4(int address) {
    return new IpAddress(false, 0, address & 0xFFFF_FFFFL);
  }

  /** Returns the IPv6 address of two network-order halves. */
  public static IpAddress ofIpv6(long high, long low) {
    return new IpAddress(true, high, low);
  }

  /**
   * Reads an address of {@code bits} (32 or 128) at absolute index {@code index}, as EVPN's
   * length-prefixed IP fields hold it (indexes not moved).
   *
   * @throws MalformedException if {@code bits} is neither 32 nor 128 or the bytes are not there
   */
  public static IpAddress read(ByteBuf buf, int index, int bits) {
    int bytes = bits == 32 ? 4 : bits == 128 ? 16 : -1;
    if (bytes < 0) {
      throw new MalformedException("IP address length " + bits + ": must be 32 or 128", index);
    }
    if (index < 0 || index > buf.writerIndex() - bytes) {
      throw new MalformedException("IP address needs " + bytes + " bytes", index);
    }
    return bits == 32
        ? ofIpv4(buf.getInt(index))
        : ofIpv6(buf.getLong(index), buf.getLong(index + 8));
  }

  /** Writes the 4 or 16 octets at absolute index {@code index} (indexes not moved). */
  public void write(ByteBuf buf, int index) {
    if (ipv6) {
      buf.setLong(index, high);
      buf.setLong(index + 8, low);
    } else {
      buf.setInt(index, (int) low);
    }
  }

  /** Returns whether this is an IPv6 address. */
  public boolean isIpv6() {
    return ipv6;
  }

  /** Returns the length in bits, 32 or 128. */
  public int bitLength() {
    return ipv6 ? 128 : 32;
  }

  /** Returns the length in bytes, 4 or 16. */
  public int byteLength() {
    return ipv6 ? 16 : 4;
  }

  /** Returns the IPv4 address, network order. */
  public int ipv4() {
    if (ipv6) {
      throw new IllegalStateException(this + " is not IPv4");
    }
    return (int) low;
  }

  /** Returns the high 64 bits (IPv6) or 0 (IPv4). */
  public long high() {
    return high;
  }

  /** Returns the low 64 bits (IPv6) or the IPv4 address in the low 32 bits. */
  public long low() {
    return low;
  }

  /**
   * Parses an IPv4 or IPv6 literal (an IPv4 tail in IPv6, {@code ::ffff:1.2.3.4}, is accepted).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static IpAddress parse(String text) {
    if (text.indexOf(':') < 0) {
      return ofIpv4(Ipv4.parse(text, 0, text.length()));
    }
    int[] groups = new int[8];
    int count = 0;
    int gap = -1;
    int i = 0;
    int n = text.length();
    if (text.startsWith("::")) {
      gap = 0;
      i = 2;
    }
    while (i < n) {
      int end = i;
      while (end < n && text.charAt(end) != ':') {
        end++;
      }
      String part = text.substring(i, end);
      if (part.indexOf('.') >= 0 && end == n) {
        if (count > 6) {
          throw new MalformedException(
              "IPv6 address " + MalformedException.quote(text) + ": too many groups", i);
        }
        int v4 = Ipv4.parse(text, i, end);
        groups[count++] = v4 >>> 16;
        groups[count++] = v4 & 0xFFFF;
        i = n;
        break;
      }
      if (part.isEmpty() || part.length() > 4 || count == 8) {
        throw new MalformedException(
            "IPv6 address " + MalformedException.quote(text) + ": groups of 1 to 4 hex digits", i);
      }
      groups[count++] = (int) RouteDistinguisher.parseHex(text, i, end);
      if (end == n) {
        i = n;
        break;
      }
      if (end + 1 < n && text.charAt(end + 1) == ':') {
        if (gap >= 0) {
          throw new MalformedException(
              "IPv6 address " + MalformedException.quote(text) + ": '::' twice", end);
        }
        gap = count;
        i = end + 2;
      } else if (end + 1 == n) {
        throw new MalformedException(
            "IPv6 address " + MalformedException.quote(text) + ": ends with ':'", end);
      } else {
        i = end + 1;
      }
    }
    if (gap < 0 ? count != 8 : count > 7) {
      throw new MalformedException(
          "IPv6 address " + MalformedException.quote(text) + ": 8 groups, or fewer with '::'", 0);
    }
    long hi = 0;
    long lo = 0;
    int zeros = 8 - count;
    for (int g = 0, src = 0; g < 8; g++) {
      int v;
      if (gap >= 0 && g >= gap && g < gap + zeros) {
        v = 0;
      } else {
        v = groups[src++];
      }
      if (g < 4) {
        hi = (hi << 16) | v;
      } else {
        lo = (lo << 16) | v;
      }
    }
    return ofIpv6(hi, lo);
  }

  /** Appends the text form. */
  public StringBuilder appendTo(StringBuilder sb) {
    if (!ipv6) {
      return Ipv4.append(sb, (int) low);
    }
    int bestStart = -1;
    int bestLen = 0;
    int runStart = -1;
    for (int g = 0; g < 8; g++) {
      if (group(g) == 0) {
        if (runStart < 0) {
          runStart = g;
        }
        if (g - runStart + 1 > bestLen) {
          bestLen = g - runStart + 1;
          bestStart = runStart;
        }
      } else {
        runStart = -1;
      }
    }
    if (bestLen < 2) {
      bestStart = -1;
    }
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        sb.append("::");
        g += bestLen - 1;
        continue;
      }
      if (g > 0 && g != bestStart + bestLen) {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(g)));
    }
    return sb;
  }

  private int group(int g) {
    long word = g < 4 ? high : low;
    return (int) (word >>> (48 - 16 * (g & 3))) & 0xFFFF;
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder(ipv6 ? 39 : 15)).toString();
  }

  @Override
  public int compareTo(IpAddress o) {
    if (ipv6 != o.ipv6) {
      return ipv6 ? 1 : -1;
    }
    int c = Long.compareUnsigned(high, o.high);
    return c != 0 ? c : Long.compareUnsigned(low, o.low);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpAddress other
        && other.ipv6 == ipv6
        && other.high == high
        && other.low == low;
  }

  /**
   * A hash that spreads structured address plans ({@code 10.k.h.l}, {@code fd00:k::h}) over every
   * bit: a multiply-xorshift of both halves (a plain {@code 31 * high + low} puts the addresses of
   * a data centre's subnets into the same few buckets of a hash table).
   */
  @Override
  public int hashCode() {
    long h = (high * 0x9E37_79B9_7F4A_7C15L + low) * 0xBF58_476D_1CE4_E5B9L + (ipv6 ? 1 : 0);
    h ^= h >>> 31;
    h *= 0x94D0_49BB_1331_11EBL;
    return (int) (h ^ (h >>> 32));
  }
}
