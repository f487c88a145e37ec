package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 1, Ethernet Auto-Discovery (RFC 7432 §7.1): per-ES when the Ethernet tag is MAX-ET (and
 * the label 0), per-EVI otherwise. Junos form: {@code 1:<RD>::<ESI, 20 hex digits>::<tag>/192}, with
 * MAX-ET written {@code FFFF:FFFF}.
 *
 * @param rd the route distinguisher
 * @param esi the Ethernet segment
 * @param ethernetTag the Ethernet tag
 * @param label the label field (raw 24 bits)
 * @since 0.1
 */
public record EthernetAutoDiscoveryRoute(RouteDistinguisher rd, EthernetSegmentIdentifier esi,
    EthernetTag ethernetTag, LabelField label) implements EvpnRoute {

  /** Returns whether this is a per-ES route (tag MAX-ET). */
  public boolean isPerEthernetSegment() {
    return ethernetTag.equals(EthernetTag.MAX);
  }

  @Override
  public RouteType routeType() {
    return RouteType.ETHERNET_AUTO_DISCOVERY;
  }

  @Override
  public int valueLength() {
    return 25;
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    esi.write(buf, index + 8);
    ethernetTag.write(buf, index + 18);
    label.write(buf, index + 22);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("1:")).append("::");
    esi.appendCompact(sb).append("::");
    return EvpnRoutes.appendTag(sb, ethernetTag).append("/192");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
