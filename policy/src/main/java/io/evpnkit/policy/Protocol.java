package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;

/**
 * Where a route being evaluated comes from, for {@code from protocol}: received over BGP, or
 * originated by the local EVPN (what a {@code vrf-export} policy sees).
 *
 * @since 0.1
 */
@Beta
public enum Protocol {
  /** Received from a BGP peer ({@code from protocol bgp}). */
  BGP,
  /** Originated locally by EVPN ({@code from protocol evpn}). */
  EVPN
}
