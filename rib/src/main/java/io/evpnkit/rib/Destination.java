package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;

/**
 * Where a MAC entry sends frames: a local port, one remote VTEP, or a next-hop group (the VTEPs of
 * an Ethernet segment, for aliasing; RFC 7432 §8.4). MACs behind a segment point to its group, so a
 * segment failure is one group update rather than one operation per MAC.
 *
 * @since 0.1
 */
@Beta
public sealed interface Destination {
  /**
   * A local port (an interface unit such as {@code ae0.0} or {@code xe-0/0/1.0}).
   *
   * @param port the port name
   */
  record LocalPort(String port) implements Destination {
    @Override
    public String toString() {
      return port;
    }
  }

  /**
   * One remote VTEP.
   *
   * @param vtep the VTEP's address (the route's next hop)
   */
  record RemoteVtep(IpAddress vtep) implements Destination {
    @Override
    public String toString() {
      return "vtep " + vtep;
    }
  }

  /**
   * A next-hop group.
   *
   * @param groupId the group's identifier, as given by a {@link ForwardingOp.SetGroup}
   */
  record Group(long groupId) implements Destination {
    @Override
    public String toString() {
      return "group " + groupId;
    }
  }
}
