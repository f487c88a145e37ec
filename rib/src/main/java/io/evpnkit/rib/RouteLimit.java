package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;

/**
 * A limit on the paths the RIB holds of one peer (FRR's {@code maximum-prefix}, Junos's {@code
 * prefix-limit}).
 *
 * @param maximum the number of paths of a peer at which the limit applies, at least 1
 * @param action what happens to routes beyond it
 * @since 0.1
 */
@Beta
public record RouteLimit(long maximum, Action action) {
  /** What the RIB does with a peer's new route at the limit. */
  public enum Action {
    /**
     * Stores it and reports the limit: the integrator or speaker decides (log, tear the session
     * down).
     */
    WARN,
    /** Does not store it (counted as {@link IgnoredRoute#ROUTE_LIMIT}) and reports the limit. */
    REFUSE
  }

  /** Checks the maximum. */
  public RouteLimit {
    if (maximum < 1) {
      throw new IllegalArgumentException("route limit " + maximum + ": must be at least 1");
    }
  }
}
