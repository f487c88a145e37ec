package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Route type 1, Ethernet Auto-Discovery (RFC 7432 §7.1): per-ES when the Ethernet tag is MAX-ET
 * (and the label 0), per-EVI otherwise. Junos form: {@code 1:<RD>::<ESI, 20 hex
 * digits>::<tag>/192}, with MAX-ET written {@code FFFF:FFFF}.
 *
 * <p>The constructor takes whatever the wire can carry, so that a route received from a peer is
 * kept as sent; a route this speaker originates is built with {@link #perEthernetSegment} or {@link
 * #perEvi}, which check RFC 7432's rules (a real segment; MAX-ET and label 0 for the per-ES route,
 * §8.2.1).
 *
 * @param rd the route distinguisher
 * @param esi the Ethernet segment
 * @param ethernetTag the Ethernet tag
 * @param label the label field (raw 24 bits)
 * @since 0.1
 */
public record EthernetAutoDiscoveryRoute(
    RouteDistinguisher rd, EthernetSegmentIdentifier esi, EthernetTag ethernetTag, LabelField label)
    implements EvpnRoute {

  /**
   * Returns the Ethernet A-D per ES route of a segment (RFC 7432 §8.2.1): Ethernet tag MAX-ET,
   * label 0.
   *
   * @throws IllegalArgumentException if {@code esi} is zero or MAX-ESI
   */
  public static EthernetAutoDiscoveryRoute perEthernetSegment(
      RouteDistinguisher rd, EthernetSegmentIdentifier esi) {
    return new EthernetAutoDiscoveryRoute(
        rd, esi.checkSegment("an Ethernet A-D per ES route"), EthernetTag.MAX, LabelField.ZERO);
  }

  /**
   * Returns the Ethernet A-D per EVI route of a segment (RFC 7432 §8.4.1, aliasing and backup
   * paths).
   *
   * @throws IllegalArgumentException if {@code esi} is zero or MAX-ESI, or {@code ethernetTag} is
   *     MAX-ET (the tag of per-ES routes)
   */
  public static EthernetAutoDiscoveryRoute perEvi(
      RouteDistinguisher rd,
      EthernetSegmentIdentifier esi,
      EthernetTag ethernetTag,
      LabelField label) {
    if (ethernetTag.equals(EthernetTag.MAX)) {
      throw new IllegalArgumentException(
          "an Ethernet A-D per EVI route cannot have Ethernet tag MAX-ET"
              + " (4294967295): that tag marks the per-ES route (RFC 7432 §8.2.1)");
    }
    return new EthernetAutoDiscoveryRoute(
        rd, esi.checkSegment("an Ethernet A-D per EVI route"), ethernetTag, label);
  }

  /**
   * Returns whether this route follows RFC 7432's rules for one to originate: a real segment, and
   * for the per-ES route label 0 (§8.2.1). A received route that does not is kept as sent.
   */
  public boolean isWellFormed() {
    return esi.isSegment() && (!isPerEthernetSegment() || label.raw() == 0);
  }

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
    esi.write(buf, index + NlriLayout.AutoDiscovery.ESI);
    ethernetTag.write(buf, index + NlriLayout.AutoDiscovery.ETHERNET_TAG);
    label.write(buf, index + NlriLayout.AutoDiscovery.LABEL);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    rd.appendTo(sb.append("1:")).append("::");
    esi.appendCompact(sb).append("::");
    return JunosRouteText.appendTag(sb, ethernetTag).append("/192");
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(64)).toString();
  }
}
