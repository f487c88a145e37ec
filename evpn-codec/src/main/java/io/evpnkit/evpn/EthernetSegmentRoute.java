package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 4, Ethernet Segment (RFC 7432 §7.4): a PE's attachment to a multihomed segment, used
 * for designated forwarder election. Junos form: {@code 4:<RD>::<ESI, 20 hex digits>::<originator
 * IP>/304}.
 *
 * <p>The constructor takes whatever the wire can carry, so that a received route is kept as sent;
 * {@link #of} checks that the ESI names a segment, for routes this speaker originates.
 *
 * @param rd the route distinguisher
 * @param esi the Ethernet segment
 * @param originator the originating router's IP address
 * @since 0.1
 */
public record EthernetSegmentRoute(
    RouteDistinguisher rd, EthernetSegmentIdentifier esi, IpAddress originator)
    implements EvpnRoute {

  /**
   * Returns the Ethernet Segment route of a PE on a segment (RFC 7432 §7.4).
   *
   * @throws IllegalArgumentException if {@code esi} is zero or MAX-ESI (RFC 7432 §5)
   */
  public static EthernetSegmentRoute of(
      RouteDistinguisher rd, EthernetSegmentIdentifier esi, IpAddress originator) {
    return new EthernetSegmentRoute(rd, esi.checkSegment("an Ethernet Segment route"), originator);
  }

  @Override
  public RouteType routeType() {
    return RouteType.ETHERNET_SEGMENT;
  }

  @Override
  public int valueLength() {
    return 19 + originator.byteLength();
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    esi.write(buf, index + NlriLayout.EthernetSegment.ESI);
    buf.setByte(index + NlriLayout.EthernetSegment.IP_LENGTH, originator.bitLength());
    originator.write(buf, index + NlriLayout.EthernetSegment.IP);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("4:")).append("::");
    esi.appendCompact(sb).append("::");
    return originator.appendTo(sb).append("/304");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
