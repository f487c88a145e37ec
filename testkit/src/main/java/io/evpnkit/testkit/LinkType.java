package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;

/**
 * The LINKTYPE_ values (tcpdump.org link-layer header types) that evpnkit's tools understand.
 *
 * @since 0.1
 */
@Beta
public final class LinkType {
  /** IEEE 802.3 Ethernet. */
  public static final int ETHERNET = 1;

  /** Raw IPv4 or IPv6, version from the first nibble. */
  public static final int RAW = 101;

  /** Linux "cooked" capture v1 (16-byte header, {@code tcpdump -i any}). */
  public static final int LINUX_SLL = 113;

  /** Raw IPv4. */
  public static final int IPV4 = 228;

  /** Raw IPv6. */
  public static final int IPV6 = 229;

  /** Linux "cooked" capture v2 (20-byte header). */
  public static final int LINUX_SLL2 = 276;

  private LinkType() {}

  /**
   * Returns the length of the link-layer header before the network-layer packet for the "cooked"
   * and raw types, 0 for raw IP, or -1 for Ethernet and unknown types (which carry no fixed-size
   * prefix to skip).
   */
  public static int networkOffset(int linkType) {
    return switch (linkType) {
      case RAW, IPV4, IPV6 -> 0;
      case LINUX_SLL -> 16;
      case LINUX_SLL2 -> 20;
      default -> -1;
    };
  }
}
