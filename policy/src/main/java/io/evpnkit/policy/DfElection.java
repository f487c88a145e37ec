package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;

/**
 * How the PEs of an Ethernet segment elect the designated forwarder of each VLAN ({@code interfaces
 * NAME esi df-election-type ...}), advertised in the DF Election extended community of the
 * segment's route (RFC 8584 §2.2). Every PE of the segment must advertise the same algorithm,
 * otherwise they all fall back to the modulo algorithm (RFC 8584 §2.2.3).
 *
 * @param algorithm the algorithm
 * @param preference this PE's preference (0-65535, RFC 9785 §3), used by {@link
 *     Algorithm#PREFERENCE} (higher wins) and {@link Algorithm#LOWEST_PREFERENCE} (lower wins)
 * @param nonRevertive RFC 9785 §4.2 ({@code preference non-revertive}): a PE that becomes DF keeps
 *     the role when a PE of better preference comes back; it advertises the Don't-Preempt bit and
 *     the preference in use
 * @param acInfluenced RFC 8584 §4, AC-influenced DF election ({@code esi ac-influenced-df}, an
 *     evpnkit statement): this PE advertises the AC-DF capability, and when every PE of the segment
 *     does, a PE is a candidate for an Ethernet tag only while its per-ES and per-EVI A-D routes
 *     are held (its attachment circuit is up)
 * @since 0.1
 */
@Beta
public record DfElection(
    Algorithm algorithm, int preference, boolean nonRevertive, boolean acInfluenced) {
  /** The preference a PE has when none is configured (RFC 9785 §3). */
  public static final int DEFAULT_PREFERENCE = 32767;

  /** The default: the modulo algorithm (RFC 7432 §8.5). */
  public static final DfElection MODULO = new DfElection(Algorithm.MODULO, DEFAULT_PREFERENCE);

  /** The election algorithms, with their DF Alg codes (RFC 8584 §3, RFC 9785 §3). */
  public enum Algorithm {
    /**
     * The default, modulo of the Ethernet tag by the number of PEs in address order ({@code mod},
     * code 0).
     */
    MODULO(0, "mod"),
    /** Highest Random Weight (RFC 8584 §3.2, {@code hrw}, code 1). */
    HRW(1, "hrw"),
    /** Highest preference (RFC 9785 §4.1, {@code preference value N}, code 2). */
    PREFERENCE(2, "preference"),
    /**
     * Lowest preference (RFC 9785 §4.1, code 3; Junos has no statement for it, evpnkit reads {@code
     * lowest-preference value N}).
     */
    LOWEST_PREFERENCE(3, "lowest-preference");

    private final int code;
    private final String keyword;

    Algorithm(int code, String keyword) {
      this.code = code;
      this.keyword = keyword;
    }

    /** Whether the election ranks PEs by their preference (RFC 9785). */
    public boolean usesPreference() {
      return this == PREFERENCE || this == LOWEST_PREFERENCE;
    }

    /** Returns the DF Alg code of the DF Election extended community. */
    public int code() {
      return code;
    }

    /**
     * Returns the Junos keyword ({@code mod}, {@code hrw}, {@code preference}, {@code
     * lowest-preference}).
     */
    public String keyword() {
      return keyword;
    }
  }

  /** Checks the preference range, and that only a preference election is non-revertive. */
  public DfElection {
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("DF preference " + preference + " is not 0-65535");
    }
    if (nonRevertive && !algorithm.usesPreference()) {
      throw new IllegalArgumentException(
          "non-revertive is an option of the preference algorithms (RFC 9785 §4.2), "
              + "not of "
              + algorithm.keyword());
    }
  }

  /** A revertive election, not AC-influenced. */
  public DfElection(Algorithm algorithm, int preference) {
    this(algorithm, preference, false, false);
  }

  /** This election, non-revertive (RFC 9785 §4.2). */
  public DfElection withNonRevertive() {
    return new DfElection(algorithm, preference, true, acInfluenced);
  }

  /** This election, AC-influenced (RFC 8584 §4). */
  public DfElection withAcInfluence() {
    return new DfElection(algorithm, preference, nonRevertive, true);
  }

  /** The lowest-preference election (RFC 9785 §4.1) with the given preference. */
  public static DfElection lowestPreference(int value) {
    return new DfElection(Algorithm.LOWEST_PREFERENCE, value);
  }

  /** The preference-based election with the given preference. */
  public static DfElection preference(int value) {
    return new DfElection(Algorithm.PREFERENCE, value);
  }

  /** The highest random weight election. */
  public static DfElection hrw() {
    return new DfElection(Algorithm.HRW, DEFAULT_PREFERENCE);
  }
}
