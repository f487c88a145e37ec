package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Route type 10, S-PMSI A-D (RFC 9572 §3.2): RD 8 | Ethernet Tag 4 | source length 1 | source |
 * group length 1 | group | originator length 1 | originator. Text (evpnkit's): {@code
 * 10:<RD>::<tag>::(<S>,<G>)::<originator>}, {@code *} for any source or group.
 *
 * @param rd the route distinguisher
 * @param ethernetTag the Ethernet tag
 * @param source the multicast source, or {@code null} for any
 * @param group the multicast group, or {@code null} for any
 * @param originator the originating router's address
 * @since 0.1
 */
public record SelectivePmsiRoute(
    RouteDistinguisher rd,
    EthernetTag ethernetTag,
    @Nullable IpAddress source,
    @Nullable IpAddress group,
    IpAddress originator)
    implements EvpnRoute {
  @Override
  public RouteType routeType() {
    return RouteType.S_PMSI_AD;
  }

  @Override
  public int valueLength() {
    return 12
        + MulticastRoute.addressLength(source)
        + MulticastRoute.addressLength(group)
        + 1
        + originator.byteLength();
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    ethernetTag.write(buf, index + NlriLayout.TagMulticast.ETHERNET_TAG);
    int at =
        MulticastRoute.writeAddress(buf, index + NlriLayout.TagMulticast.SOURCE_LENGTH, source);
    at = MulticastRoute.writeAddress(buf, at, group);
    MulticastRoute.writeAddress(buf, at, originator);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("10:")).append("::");
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    return originator.appendTo(MulticastRoute.appendSourceGroup(sb, source, group).append("::"));
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
