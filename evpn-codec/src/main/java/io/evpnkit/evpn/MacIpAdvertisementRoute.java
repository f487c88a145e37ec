package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Route type 2, MAC/IP Advertisement (RFC 7432 §7.2): MAC only, or MAC and an IPv4 or IPv6 address;
 * one label (L2 VNI) or two (with the L3 VNI of symmetric IRB, RFC 9135). The ESI and the labels
 * are not part of the route key (§7.2). Junos form: {@code 2:<RD>::<tag>::<MAC>[::<IP>]/304}.
 *
 * @param rd the route distinguisher
 * @param esi the Ethernet segment
 * @param ethernetTag the Ethernet tag
 * @param mac the MAC address
 * @param ip the IP address, or {@code null} for a MAC-only route
 * @param label1 the first label field (raw 24 bits)
 * @param label2 the second label field, or {@code null}
 * @since 0.1
 */
public record MacIpAdvertisementRoute(
    RouteDistinguisher rd,
    EthernetSegmentIdentifier esi,
    EthernetTag ethernetTag,
    MacAddress mac,
    @Nullable IpAddress ip,
    LabelField label1,
    @Nullable LabelField label2)
    implements EvpnRoute {

  /** Returns the IP address, if any. */
  public Optional<IpAddress> ipAddress() {
    return Optional.ofNullable(ip);
  }

  /** Returns the second label, if any. */
  public Optional<LabelField> secondLabel() {
    return Optional.ofNullable(label2);
  }

  @Override
  public RouteType routeType() {
    return RouteType.MAC_IP_ADVERTISEMENT;
  }

  @Override
  public int valueLength() {
    return 33 + (ip == null ? 0 : ip.byteLength()) + (label2 == null ? 0 : 3);
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    esi.write(buf, index + NlriLayout.MacIp.ESI);
    ethernetTag.write(buf, index + NlriLayout.MacIp.ETHERNET_TAG);
    buf.setByte(index + NlriLayout.MacIp.MAC_LENGTH, 48);
    mac.write(buf, index + NlriLayout.MacIp.MAC);
    int at = index + NlriLayout.MacIp.IP_LENGTH;
    if (ip == null) {
      buf.setByte(at++, 0);
    } else {
      buf.setByte(at++, ip.bitLength());
      ip.write(buf, at);
      at += ip.byteLength();
    }
    label1.write(buf, at);
    if (label2 != null) {
      label2.write(buf, at + 3);
    }
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("2:")).append("::");
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    mac.appendTo(sb);
    if (ip != null) {
      ip.appendTo(sb.append("::"));
    }
    return sb.append("/304");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
