package io.evpnkit.evpn;

import org.jspecify.annotations.Nullable;

/**
 * The path attributes evpnkit models, one row each: type code, name, the flags every sender sets
 * and RFC 7606 §3 c checks on receipt (well-known: Transitive; optional: Optional, with Transitive
 * when the attribute is passed on), the rule its length follows and the RFC 7606 outcome when it
 * does not (§7), and who may send it (internal peers only, RFC 4271 §5.1.5 and RFC 4456 §8; 2-octet
 * AS sessions only, RFC 6793 §4.1). The decoder's checks and the encoder's headers both read this
 * table; attributes whose length rule is {@link Length#OWN} (AS_PATH, NEXT_HOP, MP_REACH_NLRI,
 * MP_UNREACH_NLRI, AS4_PATH, PMSI_TUNNEL) are checked by their own code.
 *
 * @since 0.1
 */
public enum AttributeType {
  /**
   * ORIGIN (RFC 4271 §5.1.1), well-known mandatory: 1 octet, else treat-as-withdraw (RFC 7606
   * §7.1).
   */
  ORIGIN(PathAttributes.ORIGIN, Flags.WELL_KNOWN, Length.FIXED, 1, UpdateOutcome.TREAT_AS_WITHDRAW),
  /** AS_PATH (RFC 4271 §5.1.2), well-known mandatory: segments (RFC 7606 §7.2). */
  AS_PATH(PathAttributes.AS_PATH, Flags.WELL_KNOWN, Length.OWN, 0, UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * NEXT_HOP (RFC 4271 §5.1.3), well-known: 4 octets (RFC 7606 §7.3; EVPN's is in MP_REACH_NLRI).
   */
  NEXT_HOP(
      PathAttributes.NEXT_HOP, Flags.WELL_KNOWN, Length.OWN, 4, UpdateOutcome.TREAT_AS_WITHDRAW),
  /** MULTI_EXIT_DISC (RFC 4271 §5.1.4), optional non-transitive: 4 octets (RFC 7606 §7.4). */
  MULTI_EXIT_DISC(
      PathAttributes.MULTI_EXIT_DISC,
      Flags.OPTIONAL,
      Length.FIXED,
      4,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /** LOCAL_PREF (RFC 4271 §5.1.5), well-known, internal peers only: 4 octets (RFC 7606 §7.5). */
  LOCAL_PREF(
      PathAttributes.LOCAL_PREF,
      Flags.WELL_KNOWN,
      Length.FIXED,
      4,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * ATOMIC_AGGREGATE (RFC 4271 §5.1.6), well-known discretionary: empty, else discarded (RFC 7606
   * §7.6).
   */
  ATOMIC_AGGREGATE(
      PathAttributes.ATOMIC_AGGREGATE,
      Flags.WELL_KNOWN,
      Length.FIXED,
      0,
      UpdateOutcome.ATTRIBUTE_DISCARD),
  /**
   * AGGREGATOR (RFC 4271 §5.1.7, RFC 6793): an AS and an address, else discarded (RFC 7606 §7.7).
   */
  AGGREGATOR(
      PathAttributes.AGGREGATOR,
      Flags.OPTIONAL_TRANSITIVE,
      Length.AS_AND_ADDRESS,
      0,
      UpdateOutcome.ATTRIBUTE_DISCARD),
  /** COMMUNITIES (RFC 1997), optional transitive: a non-zero multiple of 4 (RFC 7606 §7.8). */
  COMMUNITIES(
      PathAttributes.COMMUNITIES,
      Flags.OPTIONAL_TRANSITIVE,
      Length.MULTIPLE,
      4,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * ORIGINATOR_ID (RFC 4456 §8), optional non-transitive, internal only: 4 octets (RFC 7606 §7.9).
   */
  ORIGINATOR_ID(
      PathAttributes.ORIGINATOR_ID,
      Flags.OPTIONAL,
      Length.FIXED,
      4,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * CLUSTER_LIST (RFC 4456 §8), optional non-transitive, internal only: a multiple of 4 (RFC 7606
   * §7.10).
   */
  CLUSTER_LIST(
      PathAttributes.CLUSTER_LIST,
      Flags.OPTIONAL,
      Length.MULTIPLE,
      4,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /** MP_REACH_NLRI (RFC 4760 §3), optional non-transitive (RFC 7606 §7.11). */
  MP_REACH_NLRI(
      PathAttributes.MP_REACH_NLRI, Flags.OPTIONAL, Length.OWN, 0, UpdateOutcome.SESSION_RESET),
  /** MP_UNREACH_NLRI (RFC 4760 §4), optional non-transitive (RFC 7606 §7.11). */
  MP_UNREACH_NLRI(
      PathAttributes.MP_UNREACH_NLRI, Flags.OPTIONAL, Length.OWN, 0, UpdateOutcome.SESSION_RESET),
  /**
   * EXTENDED_COMMUNITIES (RFC 4360 §2), optional transitive: a non-zero multiple of 8 (RFC 7606
   * §7.14).
   */
  EXTENDED_COMMUNITIES(
      PathAttributes.EXTENDED_COMMUNITIES,
      Flags.OPTIONAL_TRANSITIVE,
      Length.MULTIPLE,
      8,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * AS4_PATH (RFC 6793 §3), optional transitive, 2-octet sessions only: segments, else discarded
   * (§6).
   */
  AS4_PATH(
      PathAttributes.AS4_PATH,
      Flags.OPTIONAL_TRANSITIVE,
      Length.OWN,
      0,
      UpdateOutcome.ATTRIBUTE_DISCARD),
  /**
   * AS4_AGGREGATOR (RFC 6793 §3), optional transitive, 2-octet sessions only: 8 octets, else
   * discarded.
   */
  AS4_AGGREGATOR(
      PathAttributes.AS4_AGGREGATOR,
      Flags.OPTIONAL_TRANSITIVE,
      Length.FIXED,
      8,
      UpdateOutcome.ATTRIBUTE_DISCARD),
  /** PMSI_TUNNEL (RFC 6514 §5), optional transitive: checked by {@link PmsiTunnel#problem}. */
  PMSI_TUNNEL(
      PathAttributes.PMSI_TUNNEL,
      Flags.OPTIONAL_TRANSITIVE,
      Length.OWN,
      0,
      UpdateOutcome.TREAT_AS_WITHDRAW),
  /**
   * LARGE_COMMUNITY (RFC 8092 §3), optional transitive: a non-zero multiple of 12 (RFC 8092 §6).
   */
  LARGE_COMMUNITY(
      PathAttributes.LARGE_COMMUNITY,
      Flags.OPTIONAL_TRANSITIVE,
      Length.MULTIPLE,
      LargeCommunity.LENGTH,
      UpdateOutcome.TREAT_AS_WITHDRAW);

  /** The rule an attribute's length follows. */
  public enum Length {
    /** Exactly {@link AttributeType#length()} octets. */
    FIXED,
    /** A non-zero multiple of {@link AttributeType#length()} octets. */
    MULTIPLE,
    /** An AS number of the session's size and a 4-octet address: 6 or 8 octets. */
    AS_AND_ADDRESS,
    /** Checked by the attribute's own code (its structure decides). */
    OWN
  }

  private static final class Flags {
    static final int WELL_KNOWN = PathAttributes.FLAG_TRANSITIVE;
    static final int OPTIONAL = PathAttributes.FLAG_OPTIONAL;
    static final int OPTIONAL_TRANSITIVE =
        PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE;
  }

  private static final @Nullable AttributeType[] BY_CODE = new AttributeType[256];

  /** The modelled type codes as a bit set of four words (a block of 64 codes per word). */
  static final long[] MODELLED = new long[4];

  static {
    for (AttributeType t : values()) {
      BY_CODE[t.code] = t;
      MODELLED[t.code >>> 6] |= 1L << t.code;
    }
  }

  private final int code;
  private final int flags;
  private final Length rule;
  private final int length;
  private final UpdateOutcome lengthOutcome;

  AttributeType(int code, int flags, Length rule, int length, UpdateOutcome lengthOutcome) {
    this.code = code;
    this.flags = flags;
    this.rule = rule;
    this.length = length;
    this.lengthOutcome = lengthOutcome;
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

  /** Returns the rule its length follows. */
  public Length lengthRule() {
    return rule;
  }

  /** Returns the length (or the unit of a multiple) its rule names; 0 when the rule has none. */
  public int length() {
    return length;
  }

  /** Returns the RFC 7606 outcome of a length that breaks the rule. */
  public UpdateOutcome lengthOutcome() {
    return lengthOutcome;
  }

  /**
   * Returns whether only internal peers may send it (else discarded, RFC 7606 §7.5, §7.9, §7.10).
   */
  public boolean isInternalOnly() {
    return this == LOCAL_PREF || this == ORIGINATOR_ID || this == CLUSTER_LIST;
  }

  /** Returns whether only 2-octet AS sessions carry it (else discarded, RFC 6793 §6). */
  public boolean isTwoOctetAsOnly() {
    return this == AS4_PATH || this == AS4_AGGREGATOR;
  }

  /** Returns the modelled attribute of a type code (0..255), or {@code null}. */
  public static @Nullable AttributeType of(int code) {
    return code >= 0 && code < 256 ? BY_CODE[code] : null;
  }
}
