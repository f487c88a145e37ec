package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 11, Leaf A-D (RFC 9572 §3.3): the route key (the NLRI of the route that asked for it:
 * an IMET, per-region I-PMSI A-D or S-PMSI A-D route, type and length octets included) and the
 * originating router's address. Text (evpnkit's): {@code 11:[<the key route's
 * text>]::<originator>}.
 *
 * @param routeKey the triggering route
 * @param originator the originating router's address
 * @since 0.1
 */
public record LeafAdRoute(EvpnRoute routeKey, IpAddress originator) implements EvpnRoute {
  /** Checks that the key fits. */
  public LeafAdRoute {
    if (routeKey.valueLength() + 2 + 1 + originator.byteLength() > 255) {
      throw new IllegalArgumentException(
          "route key of " + routeKey.valueLength() + " octets is too long");
    }
  }

  @Override
  public RouteType routeType() {
    return RouteType.LEAF_AD;
  }

  @Override
  public int valueLength() {
    return 2 + routeKey.valueLength() + 1 + originator.byteLength();
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    buf.setByte(index, routeKey.routeType().code());
    buf.setByte(index + 1, routeKey.valueLength());
    routeKey.writeValue(buf, index + 2);
    MulticastRoute.writeAddress(buf, index + 2 + routeKey.valueLength(), originator);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    routeKey.appendJunos(sb.append("11:[")).append("]::");
    return originator.appendTo(sb);
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(96)).toString();
  }
}
