package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 5, IP Prefix (RFC 9136 §3.1). The prefix and the gateway are of the same family; a
 * zero gateway with a label is the interface-less model (§4.4.1). Junos form: {@code
 * 5:<RD>::<tag>::<prefix>::<length>/248} (IPv4) or {@code /440} (IPv6).
 *
 * @param rd the route distinguisher
 * @param esi the Ethernet segment
 * @param ethernetTag the Ethernet tag
 * @param prefix the prefix address (host bits as received)
 * @param prefixLength the prefix length in bits
 * @param gateway the gateway IP address (zero when unused)
 * @param label the label field (raw 24 bits; the L3 VNI with VXLAN)
 * @since 0.1
 */
public record IpPrefixRoute(
    RouteDistinguisher rd,
    EthernetSegmentIdentifier esi,
    EthernetTag ethernetTag,
    IpAddress prefix,
    int prefixLength,
    IpAddress gateway,
    LabelField label)
    implements EvpnRoute {

  /**
   * Checks the prefix length and that prefix and gateway share a family.
   *
   * @throws IllegalArgumentException if they do not
   */
  public IpPrefixRoute {
    if (prefixLength < 0 || prefixLength > prefix.bitLength()) {
      throw new IllegalArgumentException(
          "prefix length " + prefixLength + " out of range 0.." + prefix.bitLength());
    }
    if (prefix.isIpv6() != gateway.isIpv6()) {
      throw new IllegalArgumentException(
          "prefix " + prefix + " and gateway " + gateway + " differ in family");
    }
  }

  @Override
  public RouteType routeType() {
    return RouteType.IP_PREFIX;
  }

  @Override
  public int valueLength() {
    return prefix.isIpv6() ? 58 : 34;
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    esi.write(buf, index + NlriLayout.IpPrefix.ESI);
    ethernetTag.write(buf, index + NlriLayout.IpPrefix.ETHERNET_TAG);
    buf.setByte(index + NlriLayout.IpPrefix.PREFIX_LENGTH, prefixLength);
    prefix.write(buf, index + NlriLayout.IpPrefix.PREFIX);
    gateway.write(buf, index + NlriLayout.IpPrefix.gateway(prefix.byteLength()));
    label.write(buf, index + NlriLayout.IpPrefix.label(prefix.byteLength()));
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("5:")).append("::");
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    prefix.appendTo(sb).append("::").append(prefixLength);
    return sb.append(prefix.isIpv6() ? "/440" : "/248");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
