package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.PathAttributes;

/**
 * Receives the routes the RIB originates (local MACs, inclusive multicast per VNI, Ethernet segment
 * and A-D routes) after the instance's {@code vrf-export}; the integrator encodes them with
 * evpn-codec's {@code UpdateEncoder} toward its peers.
 *
 * @since 0.1
 */
@Beta
public interface RouteSink {
  /** Announces (or replaces) a local route. */
  void announce(EvpnRoute route, PathAttributes attributes);

  /** Withdraws a local route. */
  void withdraw(EvpnRoute route);

  /** A sink that drops everything. */
  RouteSink NONE =
      new RouteSink() {
        @Override
        public void announce(EvpnRoute route, PathAttributes attributes) {}

        @Override
        public void withdraw(EvpnRoute route) {}
      };
}
