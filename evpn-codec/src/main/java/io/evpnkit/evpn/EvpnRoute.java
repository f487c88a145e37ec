package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * An EVPN route as kept in a RIB: an immutable value decoded from an {@link EvpnNlri} or parsed
 * from text. Implemented by one record per route type of RFC 7432 §7, RFC 9136 §3, RFC 9572 §3, one
 * for the three multicast types of RFC 9251 §9, and {@link OpaqueRoute} for the others, which
 * re-encodes byte for byte.
 *
 * <p>Text: the {@code toString()} of each implementation is the Junos display form ({@code show
 * route table <instance>.evpn.0}), which {@link EvpnRoutes#parseJunos(String)} parses back.
 *
 * @since 0.1
 */
public sealed interface EvpnRoute
    permits EthernetAutoDiscoveryRoute,
        MacIpAdvertisementRoute,
        InclusiveMulticastRoute,
        EthernetSegmentRoute,
        IpPrefixRoute,
        MulticastRoute,
        PerRegionIpmsiRoute,
        SelectivePmsiRoute,
        LeafAdRoute,
        OpaqueRoute {

  /** Returns the route type. */
  RouteType routeType();

  /** Returns the length of the route-type-specific value on the wire. */
  int valueLength();

  /** Writes the value (without type and length octets) at absolute index {@code index}. */
  void writeValue(ByteBuf buf, int index);

  /** Appends the Junos display form. */
  StringBuilder appendJunos(StringBuilder sb);

  /**
   * Returns the route key: the fields that identify this route in a RIB (see {@link EvpnRouteKey}).
   */
  default EvpnRouteKey key() {
    return EvpnRouteKey.of(this);
  }

  /**
   * Appends this route as an NLRI (type, length, value) at the writer index of {@code out}, which
   * grows as needed; the caller owns {@code out}.
   */
  default void encode(ByteBuf out) {
    int length = valueLength();
    out.ensureWritable(EvpnNlri.HEADER_LENGTH + length);
    int at = out.writerIndex();
    out.setByte(at, routeType().code());
    out.setByte(at + 1, length);
    writeValue(out, at + EvpnNlri.HEADER_LENGTH);
    out.writerIndex(at + EvpnNlri.HEADER_LENGTH + length);
  }
}
