package io.evpnkit.evpn;

import org.jspecify.annotations.Nullable;

/**
 * The path attributes evpnkit models, one row each: type code, name, and the flags every sender
 * sets and RFC 7606 §3 c checks on receipt (well-known: Transitive; optional: Optional, with
 * Transitive when the attribute is passed on). The decoder's flag check and the encoder's headers
 * both read this table.
 *
 * @since 0.1
 */
public enum AttributeType {
  /** ORIGIN (RFC 4271 §5.1.1), well-known mandatory. */
  ORIGIN(PathAttributes.ORIGIN, Flags.WELL_KNOWN),
  /** AS_PATH (RFC 4271 §5.1.2), well-known mandatory. */
  AS_PATH(PathAttributes.AS_PATH, Flags.WELL_KNOWN),
  /** NEXT_HOP (RFC 4271 §5.1.3), well-known (EVPN carries it in MP_REACH_NLRI). */
  NEXT_HOP(PathAttributes.NEXT_HOP, Flags.WELL_KNOWN),
  /** MULTI_EXIT_DISC (RFC 4271 §5.1.4), optional non-transitive. */
  MULTI_EXIT_DISC(PathAttributes.MULTI_EXIT_DISC, Flags.OPTIONAL),
  /** LOCAL_PREF (RFC 4271 §5.1.5), well-known, internal peers only. */
  LOCAL_PREF(PathAttributes.LOCAL_PREF, Flags.WELL_KNOWN),
  /** ATOMIC_AGGREGATE (RFC 4271 §5.1.6), well-known discretionary. */
  ATOMIC_AGGREGATE(PathAttributes.ATOMIC_AGGREGATE, Flags.WELL_KNOWN),
  /** AGGREGATOR (RFC 4271 §5.1.7, RFC 6793), optional transitive. */
  AGGREGATOR(PathAttributes.AGGREGATOR, Flags.OPTIONAL_TRANSITIVE),
  /** COMMUNITIES (RFC 1997), optional transitive. */
  COMMUNITIES(PathAttributes.COMMUNITIES, Flags.OPTIONAL_TRANSITIVE),
  /** ORIGINATOR_ID (RFC 4456 §8), optional non-transitive. */
  ORIGINATOR_ID(PathAttributes.ORIGINATOR_ID, Flags.OPTIONAL),
  /** CLUSTER_LIST (RFC 4456 §8), optional non-transitive. */
  CLUSTER_LIST(PathAttributes.CLUSTER_LIST, Flags.OPTIONAL),
  /** MP_REACH_NLRI (RFC 4760 §3), optional non-transitive. */
  MP_REACH_NLRI(PathAttributes.MP_REACH_NLRI, Flags.OPTIONAL),
  /** MP_UNREACH_NLRI (RFC 4760 §4), optional non-transitive. */
  MP_UNREACH_NLRI(PathAttributes.MP_UNREACH_NLRI, Flags.OPTIONAL),
  /** EXTENDED_COMMUNITIES (RFC 4360 §2), optional transitive. */
  EXTENDED_COMMUNITIES(PathAttributes.EXTENDED_COMMUNITIES, Flags.OPTIONAL_TRANSITIVE),
  /** AS4_PATH (RFC 6793 §3), optional transitive. */
  AS4_PATH(PathAttributes.AS4_PATH, Flags.OPTIONAL_TRANSITIVE),
  /** AS4_AGGREGATOR (RFC 6793 §3), optional transitive. */
  AS4_AGGREGATOR(PathAttributes.AS4_AGGREGATOR, Flags.OPTIONAL_TRANSITIVE),
  /** PMSI_TUNNEL (RFC 6514 §5), optional transitive. */
  PMSI_TUNNEL(PathAttributes.PMSI_TUNNEL, Flags.OPTIONAL_TRANSITIVE),
  /** LARGE_COMMUNITY (RFC 8092 §3), optional transitive. */
  LARGE_COMMUNITY(PathAttributes.LARGE_COMMUNITY, Flags.OPTIONAL_TRANSITIVE);

  private static final class Flags {
    static final int WELL_KNOWN = PathAttributes.FLAG_TRANSITIVE;
    static final int OPTIONAL = PathAttributes.FLAG_OPTIONAL;
    static final int OPTIONAL_TRANSITIVE =
        PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE;
  }

  private static final @Nullable AttributeType[] BY_CODE = new AttributeType[256];

  static {
    for (AttributeType t : values()) {
      BY_CODE[t.code] = t;
    }
  }

  private final int code;
  private final int flags;

  AttributeType(int code, int flags) {
    this.code = code;
    this.flags = flags;
  }

  /** Returns the type code. */
  public int code() {
    return code;
  }

  /**
   * Returns the Optional and Transitive flags a sender sets (Partial and Extended Length aside).
   */
  public int flags() {
    return flags;
  }

  /** Returns whether the attribute is optional (else well-known). */
  public boolean isOptional() {
    return (flags & PathAttributes.FLAG_OPTIONAL) != 0;
  }

  /** Returns the modelled attribute of a type code (0..255), or {@code null}. */
  public static @Nullable AttributeType of(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : null;
  }
}
