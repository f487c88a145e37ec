package io.evpnkit.rib;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.VtepConfig;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Everything a RIB is built with ({@link EvpnRib.Builder} gathers it), times in nanoseconds of
 * {@code clock}; a recovery time of -1 means only by clearing.
 */
record RibOptions(
    VtepConfig config,
    IpAddress localVtep,
    ForwardingDriver driver,
    long autonomousSystem, // -1: the configuration's
    long routerId, // -1: the configuration's, else the local VTEP when it is IPv4
    RibListener listener,
    RouteSink sink,
    LongSupplier clock,
    int duplicateMoves,
    long duplicateWindow,
    long duplicateRecovery,
    int duplicateIpMoves,
    long duplicateIpWindow,
    long duplicateIpRecovery,
    long electionTimer,
    int driverRetries,
    java.time.Duration driverTimeout,
    boolean driverThread,
    boolean threadConfined,
    @Nullable RouteLimit routeLimit,
    @Nullable MacAddress routerMac) {

  /** The AS this RIB's automatic targets use: the builder's, else the configuration's. */
  long effectiveAutonomousSystem() {
    return autonomousSystem >= 0 ? autonomousSystem : config.autonomousSystem();
  }

  /** The BGP router id: the builder's, the configuration's, the local VTEP if IPv4; -1 for none. */
  long effectiveRouterId() {
    long configured = config.routerId();
    return routerId >= 0
        ? routerId
        : configured >= 0 ? configured : localVtep.isIpv6() ? -1 : localVtep.ipv4() & 0xFFFF_FFFFL;
  }
}
