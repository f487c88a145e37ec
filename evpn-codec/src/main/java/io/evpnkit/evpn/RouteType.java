package io.evpnkit.evpn;

/**
 * EVPN route types (IANA "EVPN Route Types"), an open enum: {@link #valueOf(int)} never fails, and
 * a code this library does not know keeps its number. One instance per code, so {@code ==}
 * compares.
 *
 * @since 0.1
 */
public final class RouteType implements Comparable<RouteType> {
  private static final RouteType[] ALL = new RouteType[256];

  /** 1, Ethernet Auto-Discovery (RFC 7432 §7.1). */
  public static final RouteType ETHERNET_AUTO_DISCOVERY = define(1, "Ethernet Auto-Discovery");

  /** 2, MAC/IP Advertisement (RFC 7432 §7.2). */
  public static final RouteType MAC_IP_ADVERTISEMENT = define(2, "MAC/IP Advertisement");

  /** 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3). */
  public static final RouteType INCLUSIVE_MULTICAST_ETHERNET_TAG =
      define(3, "Inclusive Multicast Ethernet Tag");

  /** 4, Ethernet Segment (RFC 7432 §7.4). */
  public static final RouteType ETHERNET_SEGMENT = define(4, "Ethernet Segment");

  /** 5, IP Prefix (RFC 9136 §3). */
  public static final RouteType IP_PREFIX = define(5, "IP Prefix");

  /** 6, Selective Multicast Ethernet Tag (RFC 9251 §9.1). */
  public static final RouteType SELECTIVE_MULTICAST_ETHERNET_TAG =
      define(6, "Selective Multicast Ethernet Tag");

  /** 7, Multicast Membership Report Synch (RFC 9251 §9.2). */
  public static final RouteType MULTICAST_JOIN_SYNCH =
      define(7, "Multicast Membership Report Synch");

  /** 8, Multicast Leave Synch (RFC 9251 §9.3). */
  public static final RouteType MULTICAST_LEAVE_SYNCH = define(8, "Multicast Leave Synch");

  /** 9, Per-Region I-PMSI A-D (RFC 9572 §3.1). */
  public static final RouteType PER_REGION_I_PMSI_AD = define(9, "Per-Region I-PMSI A-D");

  /** 10, S-PMSI A-D (RFC 9572 §3.2). */
  public static final RouteType S_PMSI_AD = define(10, "S-PMSI A-D");

  /** 11, Leaf A-D (RFC 9572 §3.3). */
  public static final RouteType LEAF_AD = define(11, "Leaf A-D");

  static {
    for (int code = 0; code < ALL.length; code++) {
      if (ALL[code] == null) {
        ALL[code] = new RouteType(code, "unknown route type " + code, false);
      }
    }
  }

  private final int code;
  private final String name;
  private final boolean known;

  private RouteType(int code, String name, boolean known) {
    this.code = code;
    this.name = name;
    this.known = known;
  }

  private static RouteType define(int code, String name) {
    RouteType t = new RouteType(code, name, true);
    ALL[code] = t;
    return t;
  }

  /**
   * Returns the route type of a code, 0..255; never fails for that range.
   *
   * @throws IllegalArgumentException if {@code code} does not fit one octet
   */
  public static RouteType valueOf(int code) {
    if ((code & ~0xFF) != 0) {
      throw new IllegalArgumentException("route type " + code + " out of range 0..255");
    }
    return ALL[code];
  }

  /** Returns the code. */
  public int code() {
    return code;
  }

  /** Returns whether this library knows the type (1..11). */
  public boolean isKnown() {
    return known;
  }

  /** Returns the name the RFC gives. */
  public String displayName() {
    return name;
  }

  @Override
  public int compareTo(RouteType o) {
    return Integer.compare(code, o.code);
  }

  @Override
  public String toString() {
    return Integer.toString(code);
  }
}
