package io.evpnkit.evpn;

/**
 * FRR's text of EVPN routes of types 1 to 5 ({@code show bgp l2vpn evpn}, FRR's {@code
 * prefix2str}), written and read without the RD, which FRR prints on its own line: {@link
 * EvpnRoutes#formatFrr} and {@link EvpnRoutes#parseFrr}. The forms are listed on {@link
 * EvpnRoutes}.
 */
final class FrrRouteText {
  private FrrRouteText() {}

  /** Returns FRR's text for a route of type 1 to 5 (without its RD). */
  static String format(EvpnRoute route) {
    StringBuilder sb =
        new StringBuilder(64).append('[').append(route.routeType().code()).append("]:[");
    if (route instanceof EthernetAutoDiscoveryRoute r) {
      r.esi().appendTo(sb.append(r.ethernetTag().value()).append("]:["));
    } else if (route instanceof MacIpAdvertisementRoute r) {
      r.mac().appendTo(sb.append(r.ethernetTag().value()).append("]:[48]:["));
      IpAddress ip = r.ip();
      if (ip != null) {
        ip.appendTo(sb.append("]:[").append(ip.bitLength()).append("]:["));
      }
    } else if (route instanceof InclusiveMulticastRoute r) {
      r.originator()
          .appendTo(
              sb.append(r.ethernetTag().value())
                  .append("]:[")
                  .append(r.originator().bitLength())
                  .append("]:["));
    } else if (route instanceof EthernetSegmentRoute r) {
      r.originator()
          .appendTo(
              r.esi().appendTo(sb).append("]:[").append(r.originator().bitLength()).append("]:["));
    } else if (route instanceof IpPrefixRoute r) {
      r.prefix()
          .appendTo(
              sb.append(r.ethernetTag().value())
                  .append("]:[")
                  .append(r.prefixLength())
                  .append("]:["));
    } else {
      throw new IllegalArgumentException(
          "FRR has no text form for route type " + route.routeType());
    }
    return sb.append(']').toString();
  }

  /**
   * Parses FRR's text of a route of type 1 to 5, whose RD FRR prints apart. Labels are 0, and for
   * types 2 and 5 the ESI is zero, as in {@link EvpnRoutes#parseJunos}; FRR's extra type 1 fields
   * are accepted and ignored.
   *
   * @throws MalformedException with the character index of the problem
   */
  static EvpnRoute parse(String text, RouteDistinguisher rd) {
    java.util.List<String> f = new java.util.ArrayList<>();
    java.util.List<Integer> at = new java.util.ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      if (text.charAt(i) != '[') {
        throw new MalformedException(frr(text) + ": expected '['", i);
      }
      int close = text.indexOf(']', i);
      if (close < 0) {
        throw new MalformedException(frr(text) + ": missing ']'", text.length());
      }
      f.add(text.substring(i + 1, close));
      at.add(i + 1);
      i = close + 1;
      if (i < text.length()) {
        if (text.charAt(i) != ':') {
          throw new MalformedException(frr(text) + ": expected ':' between fields", i);
        }
        i++;
      }
    }
    if (f.isEmpty()) {
      throw new MalformedException(frr(text) + ": no fields", 0);
    }
    Frr p = new Frr(text, f, at);
    int type = (int) p.number(0, 255);
    return switch (type) {
      case 1 -> {
        p.count(3, 6);
        yield new EthernetAutoDiscoveryRoute(
            rd, p.esi(2), EthernetTag.of(p.number(1, 0xFFFF_FFFFL)), LabelField.ZERO);
      }
      case 2 -> {
        p.count(4, 6);
        if (p.number(2, 255) != 48) {
          throw new MalformedException(frr(text) + ": MAC length must be 48", at.get(2));
        }
        MacAddress mac = p.parse(3, MacAddress::parse);
        IpAddress ip = f.size() == 6 ? p.ip(5, p.number(4, 128)) : null;
        if (f.size() == 5) {
          throw new MalformedException(frr(text) + ": IP length without an IP address", at.get(4));
        }
        yield new MacIpAdvertisementRoute(
            rd,
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.of(p.number(1, 0xFFFF_FFFFL)),
            mac,
            ip,
            LabelField.ZERO,
            null);
      }
      case 3 -> {
        p.count(4, 4);
        yield new InclusiveMulticastRoute(
            rd, EthernetTag.of(p.number(1, 0xFFFF_FFFFL)), p.ip(3, p.number(2, 128)));
      }
      case 4 -> {
        p.count(4, 4);
        yield new EthernetSegmentRoute(rd, p.esi(1), p.ip(3, p.number(2, 128)));
      }
      case 5 -> {
        p.count(4, 4);
        IpAddress prefix = p.parse(3, IpAddress::parse);
        int plen = (int) p.number(2, prefix.bitLength());
        IpAddress zero = prefix.isIpv6() ? IpAddress.ofIpv6(0, 0) : IpAddress.ofIpv4(0);
        yield new IpPrefixRoute(
            rd,
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.of(p.number(1, 0xFFFF_FFFFL)),
            prefix,
            plen,
            zero,
            LabelField.ZERO);
      }
      default ->
          throw new MalformedException(frr(text) + ": route type " + type + " not supported", 1);
    };
  }

  /** The bracketed fields of an FRR route string, with their positions for error offsets. */
  private record Frr(String text, java.util.List<String> fields, java.util.List<Integer> at) {
    void count(int min, int max) {
      if (fields.size() < min || fields.size() > max) {
        throw new MalformedException(
            frr(text)
                + ": "
                + fields.size()
                + " fields, expected "
                + min
                + (min == max ? "" : ".." + max),
            text.length());
      }
    }

    long number(int i, long max) {
      String s = fields.get(i);
      return RouteDistinguisher.parseNumber(
          text, at.get(i), at.get(i) + s.length(), max, "field " + (i + 1));
    }

    <T> T parse(int i, JunosRouteText.Parser<T> parser) {
      try {
        return parser.parse(fields.get(i));
      } catch (MalformedException e) {
        throw new MalformedException(frr(text) + ": " + e.reason(), at.get(i) + e.offset());
      }
    }

    EthernetSegmentIdentifier esi(int i) {
      return parse(i, EthernetSegmentIdentifier::parse);
    }

    IpAddress ip(int i, long bits) {
      IpAddress ip = parse(i, IpAddress::parse);
      if (ip.bitLength() != bits) {
        throw new MalformedException(
            frr(text) + ": IP length " + bits + " but " + ip + " has " + ip.bitLength() + " bits",
            at.get(i - 1));
      }
      return ip;
    }
  }

  /** The start of an error message about FRR route text. */
  private static String frr(String text) {
    return "FRR route " + MalformedException.quote(text);
  }
}
