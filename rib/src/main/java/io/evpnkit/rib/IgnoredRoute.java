package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;

/**
 * Why the RIB set a received route aside instead of using it: each is counted ({@link
 * EvpnRib#ignored}) and reported ({@link RibListener#routeIgnored}), so that nothing is dropped
 * without a word.
 *
 * @since 0.1
 */
@Beta
public enum IgnoredRoute {
  /**
   * The route came back to its originator: its ORIGINATOR_ID is this RIB's router id (RFC 4456 §8:
   * a route reflector may reflect a route to the client that sent it). Not stored.
   */
  OWN_ROUTE,
  /** A MAC/IP route whose next hop is this VTEP: one of ours, come back another way. Not stored. */
  OWN_NEXT_HOP,
  /**
   * A MAC/IP route for a broadcast, multicast or all-zero MAC: RFC 7432 §7.2 advertises unicast
   * MACs, and on Linux the all-zero MAC is the flood entry, so programming it would redirect BUM
   * traffic. Not stored.
   */
  NOT_UNICAST_MAC,
  /** The route has no next hop (no MP_REACH_NLRI next hop): stored, but forwards nowhere. */
  NO_NEXT_HOP,
  /** The peer's route limit was reached ({@link RouteLimit.Action#REFUSE}): not stored. */
  ROUTE_LIMIT,
  /**
   * No instance imports the route (no route target of ours, and no import policy accepts it):
   * stored, unused.
   */
  NOT_IMPORTED
}
