package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MalformedException;

/**
 * An IPv4 or IPv6 prefix ({@code 10.1.0.0/24}, {@code 2001:db8::/32}): the address with the bits
 * past the length cleared. Addresses are held as 128 bits, IPv4 in the top 32 of {@code high}, so
 * that matching reads two longs.
 *
 * @param ipv6 whether the prefix is IPv6
 * @param high the top 64 bits (IPv4: the address in the top 32)
 * @param low the bottom 64 bits (IPv4: 0)
 * @param length the prefix length in bits
 * @since 0.1
 */
@Beta
public record IpPrefix(boolean ipv6, long high, long low, int length) {
  /** Checks the length and clears the host bits. */
  public IpPrefix {
    if (length < 0 || length > (ipv6 ? 128 : 32)) {
      throw new IllegalArgumentException("prefix length " + length + " out of range");
    }
    high &= mask(length);
    low &= mask(length - 64);
  }

  /**
   * Parses {@code address/length} (an address alone is a host prefix).
   *
   * @throws MalformedException with the index of the problem
   */
  public static IpPrefix parse(String text) {
    int slash = text.indexOf('/');
    IpAddress a = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
    int max = a.isIpv6() ? 128 : 32;
    int length = max;
    if (slash >= 0) {
      String n = text.substring(slash + 1);
      if (n.isEmpty()
          || n.length() > 3
          || !n.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(n) > max) {
        throw new MalformedException("prefix length must be 0.." + max, slash + 1);
      }
      length = Integer.parseInt(n);
    }
    return of(a, length);
  }

  /**
   * Returns the prefix of {@code length} bits of {@code address}.
   *
   * @throws IllegalArgumentException if the length does not fit the family
   */
  public static IpPrefix of(IpAddress address, int length) {
    return address.isIpv6()
        ? new IpPrefix(true, address.high(), address.low(), length)
        : new IpPrefix(false, (address.ipv4() & 0xFFFF_FFFFL) << 32, 0, length);
  }

  /** Returns the mask of the top {@code bits} bits of a long (0 for none, all for 64 or more). */
  static long mask(int bits) {
    return bits <= 0 ? 0 : bits >= 64 ? -1L : -1L << (64 - bits);
  }

  /** Returns whether an address of the same family, given as 128 bits, lies within this prefix. */
  public boolean contains(long addressHigh, long addressLow) {
    return (addressHigh & mask(length)) == high && (addressLow & mask(length - 64)) == low;
  }

  /** Returns the prefix's address: its network, the bits past the length cleared. */
  public IpAddress address() {
    return ipv6 ? IpAddress.ofIpv6(high, low) : IpAddress.ofIpv4((int) (high >>> 32));
  }

  @Override
  public String toString() {
    return address() + "/" + length;
  }
}
