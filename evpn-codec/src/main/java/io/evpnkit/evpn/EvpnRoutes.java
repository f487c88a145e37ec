package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * Conversions between the three forms of an EVPN route: wire ({@link EvpnNlri}), value ({@link
 * EvpnRoute}) and the Junos display text of {@code show route table <instance>.evpn.0}:
 *
 * <pre>
 * 1:1.2.3.12:0::050000ff780000000100::FFFF:FFFF/192          Ethernet A-D (older Junos print /304)
 * 2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304                   MAC/IP, MAC only
 * 2:1.2.3.12:1::100::00:00:0a:0b:0c:0d::10.0.0.5/304         MAC/IP with an IP address
 * 3:1.2.3.11:1::100::1.2.3.11/304                            Inclusive Multicast
 * 4:1.2.3.11:0::050000ff780000000100::1.2.3.11/304           Ethernet Segment
 * 5:10.255.0.1:1000::0::10.1.0.0::24/248                     IP Prefix (/440 for IPv6)
 * </pre>
 *
 * The Ethernet tag is decimal, MAX-ET is written {@code FFFF:FFFF} (either is accepted). Text
 * carries neither labels nor, for type 2, the ESI: parsed routes have label 0 and the zero ESI.
 *
 * <p>FRR's form ({@code show bgp l2vpn evpn}, FRR's {@code prefix2str}) leaves the RD out (FRR
 * prints it on its own line), so {@link #formatFrr} writes and {@link #parseFrr} takes it
 * separately:
 *
 * <pre>
 * [1]:[4294967295]:[05:00:00:ff:78:00:00:00:01:00]     (FRR adds an originator and fragment id of its own)
 * [2]:[0]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5]     ([2]:[0]:[48]:[00:00:0a:0b:0c:0d] without IP)
 * [3]:[100]:[32]:[1.2.3.11]
 * [4]:[05:00:00:ff:78:00:00:00:01:00]:[32]:[1.2.3.11]
 * [5]:[0]:[24]:[10.1.0.0]
 * </pre>
 *
 * @since 0.1
 */
public final class EvpnRoutes {
  private EvpnRoutes() {}

  /** Returns the value of a wrapped, well-formed NLRI (allocates the value and its parts). */
  public static EvpnRoute decode(EvpnNlri n) {
    int type = n.routeTypeCode();
    // types 1 to 10 start with an RD; an opaque value may be shorter than one
    RouteDistinguisher rd =
        type >= 1 && type <= 10 && n.error() == null
            ? RouteDistinguisher.of(n.routeDistinguisherValue())
            : null;
    if (type == 11 && n.error() == null) {
      EvpnNlri key = new EvpnNlri();
      int at = n.routeKeyOffset();
      EvpnRoute keyRoute =
          key.tryWrap(n.buffer(), at, at + n.routeKeyLength())
              ? decode(key)
              : opaqueOf(n.buffer(), at, n.routeKeyLength());
      return new LeafAdRoute(keyRoute, n.originator());
    }
    EvpnRoute known =
        rd == null
            ? null
            : switch (type) {
              case 1 ->
                  new EthernetAutoDiscoveryRoute(
                      rd, n.esi(), EthernetTag.of(n.ethernetTag()), LabelField.of(n.label1()));
              case 2 ->
                  new MacIpAdvertisementRoute(
                      rd,
                      n.esi(),
                      EthernetTag.of(n.ethernetTag()),
                      MacAddress.of(n.mac()),
                      n.ipLength() == 0 ? null : n.ip(),
                      LabelField.of(n.label1()),
                      n.hasLabel2() ? LabelField.of(n.label2()) : null);
              case 3 -> new InclusiveMulticastRoute(rd, EthernetTag.of(n.ethernetTag()), n.ip());
              case 4 -> new EthernetSegmentRoute(rd, n.esi(), n.ip());
              case 5 ->
                  new IpPrefixRoute(
                      rd,
                      n.esi(),
                      EthernetTag.of(n.ethernetTag()),
                      n.prefix(),
                      n.prefixLength(),
                      n.gateway(),
                      LabelField.of(n.label1()));
              case 6, 7, 8 ->
                  new MulticastRoute(
                      n.routeType(),
                      rd,
                      type == 6 ? EthernetSegmentIdentifier.ZERO : n.esi(),
                      EthernetTag.of(n.ethernetTag()),
                      n.multicastSource(),
                      n.multicastGroup(),
                      n.originator(),
                      n.multicastFlags(),
                      type == 8 ? n.leaveGroupSequence() : 0,
                      type == 8 ? n.maxResponseTime() : 0);
              case 9 -> new PerRegionIpmsiRoute(rd, EthernetTag.of(n.ethernetTag()), n.regionId());
              case 10 ->
                  new SelectivePmsiRoute(
                      rd,
                      EthernetTag.of(n.ethernetTag()),
                      n.multicastSource(),
                      n.multicastGroup(),
                      n.originator());
              default -> null;
            };
    if (known != null) {
      return known;
    }
    byte[] value = new byte[n.valueLength()];
    // the NLRI was validated against its buffer by tryWrap
    n.buffer().getBytes(n.valueOffset(), value);
    return new OpaqueRoute(n.routeType(), value);
  }

  /** An opaque route from the whole NLRI (type, length, value) at {@code at}. */
  private static EvpnRoute opaqueOf(ByteBuf buf, int at, int total) {
    byte[] value = new byte[total - EvpnNlri.HEADER_LENGTH];
    buf.getBytes(at + EvpnNlri.HEADER_LENGTH, value);
    return new OpaqueRoute(RouteType.valueOf(buf.getUnsignedByte(at)), value);
  }

  /**
   * Parses the Junos display form (strict).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EvpnRoute parseJunos(String text) {
    return JunosRouteText.parse(text, false);
  }

  /**
   * Parses the Junos display form. In lenient mode an ESI of 18 hex digits is also accepted and
   * read with a leading {@code 00} type octet: the form the original design deck prints (its text
   * lost an octet).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EvpnRoute parseJunos(String text, boolean lenient) {
    return JunosRouteText.parse(text, lenient);
  }

  /** Returns FRR's text for a route of type 1 to 5 (without its RD). */
  public static String formatFrr(EvpnRoute route) {
    return FrrRouteText.format(route);
  }

  /**
   * Parses FRR's text of a route of type 1 to 5, whose RD FRR prints apart. Labels are 0, and for
   * types 2 and 5 the ESI is zero, as in {@link #parseJunos}; FRR's extra type 1 fields are
   * accepted and ignored.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EvpnRoute parseFrr(String text, RouteDistinguisher rd) {
    return FrrRouteText.parse(text, rd);
  }

  /** Returns the NLRI bytes of a route (type, length, value) in a new array. */
  public static byte[] toBytes(EvpnRoute route) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer(EvpnNlri.HEADER_LENGTH + route.valueLength());
    try {
      route.encode(b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  /** Returns the value of the NLRI in {@code bytes}, or throws. */
  public static EvpnRoute fromBytes(byte[] bytes) {
    ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(bytes);
    EvpnNlri n = new EvpnNlri().wrap(b, 0, bytes.length);
    if (n.totalLength() != bytes.length) {
      throw new MalformedException(
          bytes.length - n.totalLength() + " bytes after the NLRI", n.totalLength());
    }
    return decode(n);
  }
}
