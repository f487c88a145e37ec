package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3): a VTEP's membership of a
 * broadcast domain, whose PMSI Tunnel attribute says how to flood to it (ingress replication for
 * VXLAN, RFC 8365 §9). Junos form: {@code 3:<RD>::<tag>::<originator IP>/304}.
 *
 * @param rd the route distinguisher
 * @param ethernetTag the Ethernet tag
 * @param originator the originating router's IP address
 * @since 0.1
 */
public record InclusiveMulticastRoute(
    RouteDistinguisher rd, EthernetTag ethernetTag, IpAddress originator) implements EvpnRoute {

  @Override
  public RouteType routeType() {
    return RouteType.INCLUSIVE_MULTICAST_ETHERNET_TAG;
  }

  @Override
  public int valueLength() {
    return 13 + originator.byteLength();
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    ethernetTag.write(buf, index + NlriLayout.InclusiveMulticast.ETHERNET_TAG);
    buf.setByte(index + NlriLayout.InclusiveMulticast.IP_LENGTH, originator.bitLength());
    originator.write(buf, index + NlriLayout.InclusiveMulticast.IP);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("3:")).append("::");
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    return originator.appendTo(sb).append("/304");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(48)).toString();
  }
}
