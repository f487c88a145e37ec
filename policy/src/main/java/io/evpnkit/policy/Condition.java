package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * One {@code from} condition of a policy term, as written: its kind and the words after the
 * keyword. Conditions of the same kind in a term match when any of them does (Junos writes them as
 * one bracketed list); conditions of different kinds must all match.
 *
 * @param kind what is compared
 * @param words the words after the keyword, validated (e.g. {@code ["10.0.0.0/8", "orlonger"]})
 * @since 0.1
 */
@Beta
public record Condition(Kind kind, List<String> words) {
  /** Copies the words. */
  public Condition {
    words = List.copyOf(words);
  }

  /** The conditions evpnkit evaluates on EVPN routes, with their Junos keywords. */
  public enum Kind {
    /** {@code family evpn}: the address family (only {@code evpn} matches EVPN routes). */
    FAMILY("family"),
    /**
     * {@code protocol bgp|evpn}: where the route comes from (received, or originated by the local
     * EVPN).
     */
    PROTOCOL("protocol"),
    /** {@code community NAME}: a {@code policy-options community} definition. */
    COMMUNITY("community"),
    /** {@code nlri-route-type N}: the EVPN route type. */
    NLRI_ROUTE_TYPE("nlri-route-type"),
    /** {@code evpn-esi ESI}: the Ethernet segment of types 1, 2, 4, 5, 7, 8. */
    EVPN_ESI("evpn-esi"),
    /** {@code evpn-tag N}: the Ethernet tag of types 1, 2, 3, 5 to 8 and 10. */
    EVPN_TAG("evpn-tag"),
    /**
     * {@code evpn-mac-route mac-only|mac-ipv4|mac-ipv6}: a type 2 route with no, an IPv4 or an IPv6
     * address.
     */
    EVPN_MAC_ROUTE("evpn-mac-route"),
    /**
     * {@code mac-filter-list NAME}: the MAC of a type 2 route is in a {@code policy-options
     * mac-list}.
     */
    MAC_FILTER_LIST("mac-filter-list"),
    /**
     * {@code route-distinguisher RD|NAME}: the RD, literal or a {@code policy-options
     * route-distinguisher}.
     */
    ROUTE_DISTINGUISHER("route-distinguisher"),
    /**
     * {@code prefix-list NAME}: the IP of a type 2 route (as a host prefix) or the prefix of type
     * 5, exactly.
     */
    PREFIX_LIST("prefix-list"),
    /** {@code prefix-list-filter NAME exact|orlonger|longer}. */
    PREFIX_LIST_FILTER("prefix-list-filter"),
    /** {@code route-filter PREFIX exact|orlonger|longer|upto /N|prefix-length-range /A-/B}. */
    ROUTE_FILTER("route-filter"),
    /** {@code next-hop ADDRESS}: the BGP next hop. */
    NEXT_HOP("next-hop"),
    /** {@code local-preference N}. */
    LOCAL_PREFERENCE("local-preference"),
    /** {@code metric N}: the MULTI_EXIT_DISC. */
    METRIC("metric"),
    /** {@code origin igp|egp|incomplete}. */
    ORIGIN("origin");

    private final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }

    /** Returns the Junos keyword. */
    public String keyword() {
      return keyword;
    }
  }

  @Override
  public String toString() {
    return kind.keyword + " " + String.join(" ", words);
  }
}
