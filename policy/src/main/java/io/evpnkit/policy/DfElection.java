package io.evpnkit.policy;

/**
 * How the PEs of an Ethernet segment elect the designated forwarder of each VLAN
 * ({@code interfaces NAME esi df-election-type ...}), advertised in the DF Election extended community of the
 * segment's route (RFC 8584 §2.2). Every PE of the segment must advertise the same algorithm, otherwise they all
 * fall back to the modulo algorithm (RFC 8584 §2.2.3).
 *
 * @param algorithm the algorithm
 * @param preference this PE's preference (0-65535, RFC 9785 §3; higher wins), used by {@link Algorithm#PREFERENCE}
 * @since 0.1
 */
public record DfElection(Algorithm algorithm, int preference) {
  /** The preference a PE has when none is configured (RFC 9785 §3). */
  public static final int DEFAULT_PREFERENCE = 32767;

  /** The default: the modulo algorithm (RFC 7432 §8.5). */
  public static final DfElection MODULO = new DfElection(Algorithm.MODULO, DEFAULT_PREFERENCE);

  /** The election algorithms, with their DF Alg codes (RFC 8584 §3, RFC 9785 §3). */
  public enum Algorithm {
    /** The default, modulo of the Ethernet tag by the number of PEs in address order ({@code mod}, code 0). */
    MODULO(0, "mod"),
    /** Highest Random Weight (RFC 8584 §3.2, {@code hrw}, code 1). */
    HRW(1, "hrw"),
    /** Highest preference (RFC 9785, {@code preference value N}, code 2). */
    PREFERENCE(2, "preference");

    private final int code;
    private final String keyword;

    Algorithm(int code, String keyword) {
      this.code = code;
      this.keyword = keyword;
    }

    /** Returns the DF Alg code of the DF Election extended community. */
    public int code() {
      return code;
    }

    /** Returns the Junos keyword ({@code mod}, {@code hrw}, {@code preference}). */
    public String keyword() {
      return keyword;
    }
  }

  /** Checks the preference range. */
  public DfElection {
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("DF preference " + preference + " is not 0-65535");
    }
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
