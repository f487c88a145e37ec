package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import java.time.Duration;
import java.util.Objects;

/**
 * The most routes a peer may have in our RIB, as FRR's {@code neighbor X maximum-prefix N
 * [THRESHOLD] [warning-only|restart MINUTES]} and Junos's {@code prefix-limit} set it: past the
 * threshold a warning; past the maximum either a warning only, or the session closed with a Cease
 * NOTIFICATION "Maximum Number of Prefixes Reached" (RFC 4486 §4: its data the AFI, SAFI and the
 * maximum) and started again after {@code restart} (zero: it stays down until started by hand).
 *
 * @param maximum the most routes, at least 1
 * @param warningPercent the share of the maximum that brings the first warning, 1..100 (FRR: 75)
 * @param warningOnly whether going past the maximum only warns
 * @param restart how long the session stays down after going past the maximum (zero: until {@link
 *     PeerSession#start})
 * @since 0.2
 */
@Beta
public record PrefixLimit(long maximum, int warningPercent, boolean warningOnly, Duration restart) {
  /** Checks the values. */
  public PrefixLimit {
    Objects.requireNonNull(restart, "restart");
    if (maximum < 1 || maximum > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("maximum " + maximum + " is not 1..4294967295");
    }
    if (warningPercent < 1 || warningPercent > 100) {
      throw new IllegalArgumentException("warning threshold " + warningPercent + "% is not 1..100");
    }
    if (restart.isNegative()) {
      throw new IllegalArgumentException("restart " + restart + " is negative");
    }
  }

  /**
   * Tears the session down past {@code maximum}, warns at 75%, starts again after {@code restart}.
   */
  public static PrefixLimit tearDown(long maximum, Duration restart) {
    return new PrefixLimit(maximum, 75, false, restart);
  }

  /** Only warns, at 75% and past {@code maximum}. */
  public static PrefixLimit warnOnly(long maximum) {
    return new PrefixLimit(maximum, 75, true, Duration.ZERO);
  }

  /** Returns the route count of the first warning. */
  public long warningThreshold() {
    return Math.max(1, maximum * warningPercent / 100);
  }
}
