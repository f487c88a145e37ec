package io.evpnkit.vxlan;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Text forms of the addresses this package keeps as primitives so that reading them allocates
 * nothing: a MAC address is a {@code long} holding 48 bits, an IPv4 address an {@code int}, an IPv6
 * address two {@code long}s (high and low 64 bits), all in network order.
 *
 * <p>Formatting appends to a caller's {@link StringBuilder}; IPv6 text follows RFC 5952 §4 (lower
 * case, no leading zeros, the longest run of two or more zero groups compressed, the first on a
 * tie).
 *
 * @since 0.1
 */
public final class Addresses {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Addresses() {}

  /**
   * Appends a MAC address as six lower-case, colon-separated octets ({@code 00:1c:73:0a:0b:0c}).
   */
  public static StringBuilder appendMac(StringBuilder sb, long mac) {
    for (int shift = 40; shift >= 0; shift -= 8) {
      int b = (int) (mac >>> shift) & 0xFF;
      sb.append(HEX[b >>> 4]).append(HEX[b & 0xF]);
      if (shift > 0) {
        sb.append(':');
      }
    }
    return sb;
  }

  /** Returns a MAC address as text. */
  public static String macToString(long mac) {
    return appendMac(new StringBuilder(17), mac).toString();
  }

  /** Appends an IPv4 address in dotted-decimal form. */
  public static StringBuilder appendIpv4(StringBuilder sb, int ip) {
    return sb.append(ip >>> 24)
        .append('.')
        .append((ip >>> 16) & 0xFF)
        .append('.')
        .append((ip >>> 8) & 0xFF)
        .append('.')
        .append(ip & 0xFF);
  }

  /** Returns an IPv4 address as text. */
  public static String ipv4ToString(int ip) {
    return appendIpv4(new StringBuilder(15), ip).toString();
  }

  /** Appends an IPv6 address in the RFC 5952 canonical form. */
  public static StringBuilder appendIpv6(StringBuilder sb, long high, long low) {
    int bestStart = -1;
    int bestLen = 0;
    int runStart = -1;
    for (int g = 0; g < 8; g++) {
      if (group(high, low, g) == 0) {
        if (runStart < 0) {
          runStart = g;
        }
        int len = g - runStart + 1;
        if (len > bestLen) {
          bestLen = len;
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
      sb.append(Integer.toHexString(group(high, low, g)));
    }
    return sb;
  }

  /** Returns an IPv6 address as RFC 5952 text. */
  public static String ipv6ToString(long high, long low) {
    return appendIpv6(new StringBuilder(39), high, low).toString();
  }

  private static int group(long high, long low, int g) {
    long word = g < 4 ? high : low;
    return (int) (word >>> (48 - 16 * (g & 3))) & 0xFFFF;
  }

  /**
   * Parses a MAC address: six octets of one or two hex digits separated by {@code :} or {@code -}.
   *
   * @throws IllegalArgumentException if the text is not a MAC address
   */
  public static long parseMac(String text) {
    String[] parts = text.split("[:-]", -1);
    String bad =
        "not a MAC address: \""
            + (text.length() > 40 ? text.substring(0, 40) + "...\" (cut)" : text + "\"");
    if (parts.length != 6) {
      throw new IllegalArgumentException(bad);
    }
    long mac = 0;
    for (String p : parts) {
      if (p.isEmpty()
          || p.length() > 2
          || !p.chars().allMatch(c -> c < 0x80 && Character.digit(c, 16) >= 0)) {
        throw new IllegalArgumentException(
            bad); // ASCII hex only: parseInt would take other scripts' digits
      }
      mac = (mac << 8) | Integer.parseInt(p, 16);
    }
    return mac;
  }

  /**
   * Parses a literal IP address (no name lookup) into its bytes: 4 for IPv4, 16 for IPv6.
   *
   * @throws IllegalArgumentException if the text is not an IPv4 or IPv6 literal
   */
  public static byte[] parseIp(String text) {
    if (text.indexOf(':') < 0 && !text.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      throw new IllegalArgumentException("not an IP address literal: \"" + text + "\"");
    }
    if (text.indexOf(':') >= 0 && !text.matches("[0-9A-Fa-f:.]+")) {
      throw new IllegalArgumentException("not an IP address literal: \"" + text + "\"");
    }
    try {
      InetAddress a = InetAddress.getByName(text);
      if (text.indexOf(':') >= 0 && a instanceof Inet4Address) {
        // an IPv4-mapped literal: keep the 16-byte form that was written
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(a.getAddress(), 0, v6, 12, 4);
        return v6;
      }
      if (!(a instanceof Inet4Address) && !(a instanceof Inet6Address)) {
        throw new IllegalArgumentException("not an IP address literal: \"" + text + "\"");
      }
      return a.getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address literal: \"" + text + "\"", e);
    }
  }

  /** Returns the IPv4 address held in four network-order bytes as an {@code int}. */
  public static int ipv4(byte[] address) {
    if (address.length != 4) {
      throw new IllegalArgumentException("IPv4 address needs 4 bytes, got " + address.length);
    }
    return ((address[0] & 0xFF) << 24)
        | ((address[1] & 0xFF) << 16)
        | ((address[2] & 0xFF) << 8)
        | (address[3] & 0xFF);
  }

  /** Returns the high 64 bits of a 16-byte IPv6 address. */
  public static long ipv6High(byte[] address) {
    return longAt(address, 0);
  }

  /** Returns the low 64 bits of a 16-byte IPv6 address. */
  public static long ipv6Low(byte[] address) {
    return longAt(address, 8);
  }

  private static long longAt(byte[] address, int from) {
    if (address.length != 16) {
      throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + address.length);
    }
    long v = 0;
    for (int i = from; i < from + 8; i++) {
      v = (v << 8) | (address[i] & 0xFF);
    }
    return v;
  }
}
