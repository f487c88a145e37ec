package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One interface of {@code interfaces}: its Ethernet segment (multihoming, RFC 7432 §5), LAG
 * membership and LACP, and its units.
 *
 * @param name the interface name ({@code xe-0/0/0}, {@code ae0}, {@code irb}, {@code lo0})
 * @param esi the Ethernet segment identifier, or {@code null}
 * @param esiMode {@code all-active} or {@code single-active} (with an ESI), or {@code null}
 * @param dfElection how the segment's PEs elect the designated forwarder ({@code esi
 *     df-election-type}; modulo when not configured)
 * @param lagParent the aggregated interface this one is a member of ({@code ether-options 802.3ad
 *     ae0}), or null
 * @param lacpMode {@code active} or {@code passive}, or {@code null}
 * @param lacpSystemId the LACP system id (the same on every PE of an all-active segment), or {@code
 *     null}
 * @param units the logical units by number, in configuration order
 * @since 0.1
 */
@Beta
public record InterfaceConfig(
    String name,
    @Nullable EthernetSegmentIdentifier esi,
    @Nullable String esiMode,
    DfElection dfElection,
    @Nullable String lagParent,
    @Nullable String lacpMode,
    @Nullable MacAddress lacpSystemId,
    Map<Integer, Unit> units) {

  /** Copies the units. */
  public InterfaceConfig {
    units = Collections.unmodifiableMap(new LinkedHashMap<>(units));
  }

  /**
   * One logical unit.
   *
   * @param number the unit number
   * @param interfaceMode {@code trunk} or {@code access} ({@code family ethernet-switching}), or
   *     {@code null}
   * @param vlanMembers the VLAN names (or ids) of {@code vlan members}
   * @param addresses the IPv4 and IPv6 addresses ({@code family inet|inet6 address})
   * @param virtualGatewayV4Mac the MAC of the IPv4 anycast gateway ({@code virtual-gateway-v4-mac})
   *     or {@code null} for {@link #DEFAULT_VIRTUAL_GATEWAY_V4_MAC}
   * @param virtualGatewayV6Mac the MAC of the IPv6 anycast gateway ({@code virtual-gateway-v6-mac})
   *     or {@code null} for {@link #DEFAULT_VIRTUAL_GATEWAY_V6_MAC}
   */
  public record Unit(
      int number,
      @Nullable String interfaceMode,
      List<String> vlanMembers,
      List<Address> addresses,
      @Nullable MacAddress virtualGatewayV4Mac,
      @Nullable MacAddress virtualGatewayV6Mac) {

    /**
     * The anycast gateway's IPv4 MAC where none is configured: Junos's default, the IANA MAC of
     * VRRP's virtual router 1 (RFC 5798 §7.3), which RFC 9135 §4.1's anycast gateway may take.
     */
    public static final MacAddress DEFAULT_VIRTUAL_GATEWAY_V4_MAC =
        MacAddress.parse("00:00:5e:00:01:01");

    /** The anycast gateway's IPv6 MAC where none is configured: VRRP's IPv6 virtual router 1. */
    public static final MacAddress DEFAULT_VIRTUAL_GATEWAY_V6_MAC =
        MacAddress.parse("00:00:5e:00:02:01");

    /** Copies the lists. */
    public Unit {
      vlanMembers = List.copyOf(vlanMembers);
      addresses = List.copyOf(addresses);
    }

    /** A unit whose anycast gateways (if any) are at the default MACs. */
    public Unit(
        int number,
        @Nullable String interfaceMode,
        List<String> vlanMembers,
        List<Address> addresses) {
      this(number, interfaceMode, vlanMembers, addresses, null, null);
    }

    /**
     * Returns the MAC every leaf answers at for the anycast gateway addresses of {@code gateway}'s
     * family: the configured {@code virtual-gateway-v4-mac} or {@code -v6-mac}, or the default.
     */
    public MacAddress virtualGatewayMac(IpAddress gateway) {
      MacAddress configured = gateway.isIpv6() ? virtualGatewayV6Mac : virtualGatewayV4Mac;
      if (configured != null) {
        return configured;
      }
      return gateway.isIpv6() ? DEFAULT_VIRTUAL_GATEWAY_V6_MAC : DEFAULT_VIRTUAL_GATEWAY_V4_MAC;
    }

    /** Returns whether the unit is a Layer 2 port ({@code family ethernet-switching}). */
    public boolean isSwitching() {
      return interfaceMode != null || !vlanMembers.isEmpty();
    }
  }

  /**
   * An interface address with its prefix length and, on IRB units, the anycast gateway addresses
   * ({@code virtual-gateway-address}).
   *
   * @param address the interface's own address
   * @param prefixLength the length of its subnet
   * @param virtualGatewayAddresses the virtual gateway addresses shared by every leaf of the VLAN
   */
  public record Address(
      IpAddress address, int prefixLength, List<IpAddress> virtualGatewayAddresses) {
    /** Copies the list. */
    public Address {
      virtualGatewayAddresses = List.copyOf(virtualGatewayAddresses);
    }

    /** Returns {@code address/length}. */
    @Override
    public String toString() {
      return address + "/" + prefixLength;
    }
  }

  /** Returns whether this interface is on an Ethernet segment (a non-zero ESI). */
  public boolean isMultihomed() {
    return esi != null && !esi.isZero();
  }
}
