package io.evpnkit.evpn;

/**
 * Standard communities (BGP attribute 8, RFC 1997), four octets each, kept as {@code int}: their
 * text form {@code <AS>:<value>} (each 0..65535) and the names of the well-known ones (RFC 1997,
 * RFC 3765, RFC 7999, RFC 8326, RFC 9494) as FRR prints them.
 *
 * @since 0.1
 */
public final class Communities {
  /** NO_EXPORT (RFC 1997). */
  public static final int NO_EXPORT = 0xFFFFFF01;

  /** NO_ADVERTISE (RFC 1997). */
  public static final int NO_ADVERTISE = 0xFFFFFF02;

  /** NO_EXPORT_SUBCONFED (RFC 1997). */
  public static final int NO_EXPORT_SUBCONFED = 0xFFFFFF03;

  /** NOPEER (RFC 3765). */
  public static final int NO_PEER = 0xFFFFFF04;

  /** GRACEFUL_SHUTDOWN (RFC 8326). */
  public static final int GRACEFUL_SHUTDOWN = 0xFFFF0000;

  /** LLGR_STALE (RFC 9494). */
  public static final int LLGR_STALE = 0xFFFF0006;

  /** NO_LLGR (RFC 9494). */
  public static final int NO_LLGR = 0xFFFF0007;

  /** BLACKHOLE (RFC 7999). */
  public static final int BLACKHOLE = 0xFFFF029A;

  private static final int[] WELL_KNOWN = {
    NO_EXPORT,
    NO_ADVERTISE,
    NO_EXPORT_SUBCONFED,
    NO_PEER,
    GRACEFUL_SHUTDOWN,
    LLGR_STALE,
    NO_LLGR,
    BLACKHOLE
  };
  private static final String[] NAMES = {
    "no-export",
    "no-advertise",
    "local-AS",
    "no-peer",
    "graceful-shutdown",
    "llgr-stale",
    "no-llgr",
    "blackhole"
  };

  private Communities() {}

  /** Returns {@code AS:value}, or the name of a well-known community. */
  public static String format(int community) {
    for (int i = 0; i < WELL_KNOWN.length; i++) {
      if (WELL_KNOWN[i] == community) {
        return NAMES[i];
      }
    }
    return (community >>> 16) + ":" + (community & 0xFFFF);
  }

  /**
   * Parses {@code AS:value} or a well-known name.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static int parse(String text) {
    for (int i = 0; i < NAMES.length; i++) {
      if (NAMES[i].equalsIgnoreCase(text)) {
        return WELL_KNOWN[i];
      }
    }
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new MalformedException("community must be AS:value or a well-known name", 0);
    }
    long high = RouteDistinguisher.parseNumber(text, 0, colon, 0xFFFF, "community AS");
    long low =
        RouteDistinguisher.parseNumber(text, colon + 1, text.length(), 0xFFFF, "community value");
    return (int) (high << 16 | low);
  }

  /**
   * Returns every community {@code attributes} carry as text: standard ({@link #format}), then
   * extended ({@link ExtendedCommunity#toString()}), then large ({@code large:A:B:C}), each in wire
   * order.
   */
  public static java.util.List<String> texts(PathAttributes attributes) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < attributes.communityCount(); i++) {
      out.add(format(attributes.community(i)));
    }
    for (int i = 0; i < attributes.extendedCommunityCount(); i++) {
      out.add(ExtendedCommunity.of(attributes.extendedCommunityValue(i)).toString());
    }
    for (LargeCommunity l : attributes.largeCommunities()) {
      out.add("large:" + l);
    }
    return out;
  }
}
