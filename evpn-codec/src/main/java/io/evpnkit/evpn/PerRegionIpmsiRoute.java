package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 9, Per-Region I-PMSI A-D (RFC 9572 §3.1): RD 8 | Ethernet Tag 4 | Region ID 8 (an
 * extended community, here its eight octets). Text (evpnkit's): {@code 9:<RD>::<tag>::<region ID as
 * 16 hex digits>}. The constructor keeps any eight octets, as received; {@link #of} takes the
 * Region ID as the extended community it is and checks its form.
 *
 * @param rd the route distinguisher
 * @param ethernetTag the Ethernet tag
 * @param regionId the Region ID's eight octets
 * @since 0.1
 */
public record PerRegionIpmsiRoute(RouteDistinguisher rd, EthernetTag ethernetTag, long regionId)
    implements EvpnRoute {

  /**
   * Returns the route of a region named by an extended community (RFC 9572 §3.1: an AS, for example
   * a Two-Octet or Four-Octet AS Specific community, or an IPv4 address, an IPv4 Address Specific
   * community, such as an IGP area).
   *
   * @throws IllegalArgumentException if {@code regionId} is not an AS Specific or IPv4 Address
   *     Specific community (types 0x00, 0x01, 0x02, transitive or not)
   */
  public static PerRegionIpmsiRoute of(
      RouteDistinguisher rd, EthernetTag ethernetTag, ExtendedCommunity regionId) {
    int type = regionId.type() & ~0x40;
    if (type > 0x02) {
      throw new IllegalArgumentException(
          "Region ID "
              + regionId
              + " (type 0x"
              + Integer.toHexString(regionId.type())
              + "): must be an AS Specific or IPv4 Address Specific extended community (RFC 9572 §3.1)");
    }
    return new PerRegionIpmsiRoute(rd, ethernetTag, regionId.value());
  }

  /** Returns the Region ID as the extended community it is encoded as. */
  public ExtendedCommunity regionIdCommunity() {
    return ExtendedCommunity.of(regionId);
  }

  @Override
  public RouteType routeType() {
    return RouteType.PER_REGION_I_PMSI_AD;
  }

  @Override
  public int valueLength() {
    return 20;
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    rd.write(buf, index);
    ethernetTag.write(buf, index + NlriLayout.TagMulticast.ETHERNET_TAG);
    buf.setLong(index + NlriLayout.TagMulticast.REGION_ID, regionId);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("9:")).append("::");
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    for (int shift = 56; shift >= 0; shift -= 8) {
      MacAddress.appendHexOctet(sb, (int) (regionId >>> shift));
    }
    return sb;
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
