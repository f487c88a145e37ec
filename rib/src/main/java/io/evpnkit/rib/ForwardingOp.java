package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.IpPrefix;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One operation on a forwarding table. A driver receives them in batches whose order is always safe
 * for hardware: groups are set before the entries that use them, entries are removed before the
 * groups they used, and within a batch each key appears once (the last state wins). Bridge domains
 * are identified by VNI, IP tables by VRF name.
 *
 * @since 0.1
 */
@Beta
public sealed interface ForwardingOp {
  /**
   * Returns the key this operation writes (two operations with equal keys write the same entry).
   */
  Object key();

  /**
   * One member of a next-hop group.
   *
   * @param vtep the VTEP
   * @param weight its share of the traffic (equal weights: equal shares); 0 for a backup, which
   *     carries nothing while a member has weight (a single-active segment's other PEs, RFC 7432
   *     §8.4)
   */
  record Member(IpAddress vtep, int weight) {}

  /**
   * Creates or replaces a next-hop group.
   *
   * @param groupId the group's identifier
   * @param esi the Ethernet segment it stands for
   * @param vni the bridge domain it serves
   * @param members the VTEPs, in address order (may be empty: traffic to the segment is dropped)
   */
  record SetGroup(long groupId, EthernetSegmentIdentifier esi, int vni, List<Member> members)
      implements ForwardingOp {
    /** Copies the members. */
    public SetGroup {
      members = List.copyOf(members);
    }

    @Override
    public Object key() {
      return "group " + groupId;
    }
  }

  /**
   * Removes a next-hop group (no entry uses it any more).
   *
   * @param groupId the group's identifier
   */
  record RemoveGroup(long groupId) implements ForwardingOp {
    @Override
    public Object key() {
      return "group " + groupId;
    }
  }

  /**
   * Creates or replaces a MAC entry.
   *
   * @param vni the bridge domain
   * @param mac the MAC address
   * @param destination where frames to it go
   */
  record SetMac(int vni, MacAddress mac, Destination destination) implements ForwardingOp {
    @Override
    public Object key() {
      return new MacKey(vni, mac);
    }
  }

  /**
   * Removes a MAC entry.
   *
   * @param vni the bridge domain
   * @param mac the MAC address
   */
  record RemoveMac(int vni, MacAddress mac) implements ForwardingOp {
    @Override
    public Object key() {
      return new MacKey(vni, mac);
    }
  }

  /**
   * Creates or replaces the flood list of a bridge domain (ingress replication of BUM traffic).
   *
   * @param vni the bridge domain
   * @param vteps the remote VTEPs, in address order
   */
  record SetFlood(int vni, List<IpAddress> vteps) implements ForwardingOp {
    /** Copies the VTEPs. */
    public SetFlood {
      vteps = List.copyOf(vteps);
    }

    @Override
    public Object key() {
      return "flood " + vni;
    }
  }

  /**
   * Removes the flood list of a bridge domain.
   *
   * @param vni the bridge domain
   */
  record RemoveFlood(int vni) implements ForwardingOp {
    @Override
    public Object key() {
      return "flood " + vni;
    }
  }

  /**
   * Creates or replaces an ARP/ND suppression entry (RFC 9161): requests for {@code ip} are
   * answered with {@code mac}.
   *
   * @param vni the bridge domain
   * @param ip the IP address
   * @param mac its MAC address
   */
  record SetNeighbor(int vni, IpAddress ip, MacAddress mac) implements ForwardingOp {
    @Override
    public Object key() {
      return new NeighborKey(vni, ip);
    }
  }

  /**
   * Removes an ARP/ND suppression entry.
   *
   * @param vni the bridge domain
   * @param ip the IP address
   */
  record RemoveNeighbor(int vni, IpAddress ip) implements ForwardingOp {
    @Override
    public Object key() {
      return new NeighborKey(vni, ip);
    }
  }

  /**
   * Creates or replaces an IP route of an IP-VRF (symmetric IRB, RFC 9135; IP prefix routes, RFC
   * 9136).
   *
   * @param vrf the VRF (routing instance) name
   * @param prefix the prefix
   * @param nextHop the remote VTEP
   * @param vni the L3 VNI
   * @param routerMac the remote router's MAC (inner destination MAC), or {@code null}
   */
  record SetRoute(
      String vrf, IpPrefix prefix, IpAddress nextHop, int vni, @Nullable MacAddress routerMac)
      implements ForwardingOp {
    @Override
    public Object key() {
      return new RouteKey(vrf, prefix);
    }
  }

  /**
   * Removes an IP route.
   *
   * @param vrf the VRF name
   * @param prefix the prefix
   */
  record RemoveRoute(String vrf, IpPrefix prefix) implements ForwardingOp {
    @Override
    public Object key() {
      return new RouteKey(vrf, prefix);
    }
  }

  /**
   * The key of a MAC entry.
   *
   * @param vni the bridge domain
   * @param mac the MAC address
   */
  record MacKey(int vni, MacAddress mac) {}

  /**
   * The key of a neighbor entry.
   *
   * @param vni the bridge domain
   * @param ip the IP address
   */
  record NeighborKey(int vni, IpAddress ip) {}

  /**
   * The key of an IP route.
   *
   * @param vrf the VRF name
   * @param prefix the prefix
   */
  record RouteKey(String vrf, IpPrefix prefix) {}
}
