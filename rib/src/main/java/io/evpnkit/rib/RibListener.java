package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;

/**
 * Events of the RIB an integrator may want (every method has an empty default). Called on the RIB's
 * thread, after the change is in the RIB's state. An exception thrown here does not unwind the
 * RIB's update: it is caught, counted ({@link EvpnRib#callbackFaults()}) and logged, and the update
 * goes on.
 *
 * @since 0.1
 */
@Beta
public interface RibListener {
  /**
   * A MAC moved: its winning location changed (RFC 7432 §15).
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param from the previous location ({@code local port} or the remote VTEP), never null
   * @param to the new location
   * @param sequence the winning MAC mobility sequence number
   */
  default void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {}

  /**
   * A MAC moved too often and is frozen: not advertised until cleared or recovered (RFC 7432
   * §15.1).
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param moves the moves seen within the window
   */
  default void duplicateMac(int vni, MacAddress mac, int moves) {}

  /**
   * A frozen MAC recovered (by {@link EvpnRib#clearDuplicate} or the recovery timer).
   *
   * @param vni the bridge domain
   * @param mac the MAC
   */
  default void duplicateCleared(int vni, MacAddress mac) {}

  /**
   * An IP address's ARP/ND answer changed MAC too often: its suppression entry is withdrawn (ARP
   * and ND for it are flooded) until cleared or recovered (RFC 9161).
   *
   * @param vni the bridge domain
   * @param ip the IP address
   * @param moves the moves seen within the window
   */
  default void duplicateIp(int vni, IpAddress ip, int moves) {}

  /**
   * A duplicate IP address recovered (by {@link EvpnRib#clearDuplicateIp} or the recovery timer).
   *
   * @param vni the bridge domain
   * @param ip the IP address
   */
  default void duplicateIpCleared(int vni, IpAddress ip) {}

  /**
   * A sticky (static) MAC was advertised from elsewhere, or a local MAC conflicts with a remote
   * sticky one; the sticky location stays (RFC 7432 §15.2).
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param stickyAt where the sticky MAC is
   * @param contender where the conflicting advertisement or learning came from
   */
  default void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {}

  /**
   * The designated forwarder of a local Ethernet segment for a VLAN was elected (RFC 7432 §8.5).
   *
   * @param esi the segment
   * @param vlanId the VLAN
   * @param df the DF's address
   * @param local whether the DF is this VTEP
   */
  default void designatedForwarder(
      EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {}

  /**
   * The driver failed a batch after its retries and was resynchronized, or failed the resync too.
   *
   * @param failure the last failure
   * @param resynchronized whether the full resync succeeded
   */
  default void driverFault(Throwable failure, boolean resynchronized) {}

  /**
   * A received route was set aside instead of used (counted in {@link EvpnRib#ignored}), for the
   * reason given.
   *
   * @param peer the peer that sent it
   * @param route the route
   * @param reason why
   */
  default void routeIgnored(Peer peer, io.evpnkit.evpn.EvpnRoute route, IgnoredRoute reason) {}

  /**
   * A peer reached its route limit (reported once per crossing: again after it falls below 90 % of
   * the limit). A BGP speaker may close the session with a Cease NOTIFICATION, subcode 1, Maximum
   * Number of Prefixes Reached (RFC 4486 §4).
   *
   * @param peer the peer
   * @param limit the limit
   * @param paths the paths held of the peer
   */
  default void routeLimitReached(Peer peer, RouteLimit limit, long paths) {}

  /**
   * An event failed inside the RIB ({@code cause}: an {@link OutOfMemoryError}, an error thrown by
   * a callback, a bug): the RIB rebuilt what it derives from its inputs and resent the whole
   * forwarding state to the driver, so the event is applied whole or not at all; the call that
   * failed then throws {@code cause}.
   */
  default void internalFault(Throwable cause) {}
}
