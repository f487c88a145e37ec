package io.evpnkit.evpn;

import org.jspecify.annotations.Nullable;

/**
 * The Junos display text of EVPN routes ({@code show route table <instance>.evpn.0}), read and
 * written: {@link EvpnRoutes#parseJunos} reads it here, each route record's {@code toString} writes
 * it (with {@link #appendTag} for the Ethernet tag). The forms are listed on {@link EvpnRoutes}.
 */
final class JunosRouteText {
  private JunosRouteText() {}

  /**
   * Parses the Junos display form. In lenient mode an ESI of 18 hex digits is also accepted and
   * read with a leading {@code 00} type octet: the form the original design deck prints (its text
   * lost an octet).
   *
   * @throws MalformedException with the character index of the problem
   */
  static EvpnRoute parse(String text, boolean lenient) {
    Cursor c = new Cursor(text);
    int typeEnd = text.indexOf(':');
    if (typeEnd <= 0) {
      throw new MalformedException(junos(text) + ": must start with <type>:", 0);
    }
    int type = (int) RouteDistinguisher.parseNumber(text, 0, typeEnd, 255, "route type");
    if (text.startsWith("hex:", typeEnd + 1)) {
      return opaque(text, type, typeEnd + 5);
    }
    if (type >= 6 && type <= 11) {
      return parseMulticast(text, type, typeEnd + 1, lenient);
    }
    int slash = text.lastIndexOf('/');
    if (slash < 0) {
      throw new MalformedException(junos(text) + ": missing /<length>", text.length());
    }
    c.at = typeEnd + 1;
    int length =
        (int)
            RouteDistinguisher.parseNumber(text, slash + 1, text.length(), 65535, "prefix length");
    c.end = slash;
    RouteDistinguisher rd = parseAt(c.next(), c, RouteDistinguisher::parse);
    return switch (type) {
      case 1 -> {
        EthernetSegmentIdentifier esi = esi(c.next(), c, lenient);
        EthernetTag tag = tag(c.rest(), c);
        checkLength(text, length, slash, 192, 304);
        yield new EthernetAutoDiscoveryRoute(rd, esi, tag, LabelField.ZERO);
      }
      case 2 -> {
        EthernetTag tag = tag(c.next(), c);
        int macEnd = Math.min(c.at + 17, c.end);
        c.pieceStart = c.at;
        MacAddress mac = parseAt(text.substring(c.at, macEnd), c, MacAddress::parse);
        c.at = macEnd;
        IpAddress ip = null;
        if (c.at < c.end) {
          if (!text.startsWith("::", c.at)) {
            throw new MalformedException(
                junos(text) + ": expected '::' before the IP address", c.at);
          }
          c.at += 2;
          ip = parseAt(c.rest(), c, IpAddress::parse);
        }
        checkLength(text, length, slash, 304, 304);
        yield new MacIpAdvertisementRoute(
            rd, EthernetSegmentIdentifier.ZERO, tag, mac, ip, LabelField.ZERO, null);
      }
      case 3 -> {
        EthernetTag tag = tag(c.next(), c);
        IpAddress originator = parseAt(c.rest(), c, IpAddress::parse);
        checkLength(text, length, slash, 304, 304);
        yield new InclusiveMulticastRoute(rd, tag, originator);
      }
      case 4 -> {
        EthernetSegmentIdentifier esi = esi(c.next(), c, lenient);
        IpAddress originator = parseAt(c.rest(), c, IpAddress::parse);
        checkLength(text, length, slash, 304, 304);
        yield new EthernetSegmentRoute(rd, esi, originator);
      }
      case 5 -> {
        EthernetTag tag = tag(c.next(), c);
        int last = text.lastIndexOf("::", c.end);
        if (last < c.at) {
          throw new MalformedException(junos(text) + ": expected <prefix>::<length>", c.at);
        }
        c.pieceStart = c.at;
        IpAddress prefix = parseAt(text.substring(c.at, last), c, IpAddress::parse);
        int plen =
            (int)
                RouteDistinguisher.parseNumber(
                    text, last + 2, c.end, prefix.bitLength(), "prefix length");
        checkLength(text, length, slash, prefix.isIpv6() ? 440 : 248, prefix.isIpv6() ? 440 : 248);
        IpAddress zero = prefix.isIpv6() ? IpAddress.ofIpv6(0, 0) : IpAddress.ofIpv4(0);
        yield new IpPrefixRoute(
            rd, EthernetSegmentIdentifier.ZERO, tag, prefix, plen, zero, LabelField.ZERO);
      }
      default ->
          throw new MalformedException(
              "EVPN route type " + type + " has no Junos form here; use <type>:hex:<value>", 0);
    };
  }

  /** The text forms of types 6 to 11 (see their records), which have no length suffix. */
  private static EvpnRoute parseMulticast(String text, int type, int from, boolean lenient) {
    if (type == 11) {
      int close = text.lastIndexOf("]::");
      if (!text.startsWith("[", from) || close < from) {
        throw new MalformedException(junos(text) + ": expected 11:[<route>]::<originator>", from);
      }
      EvpnRoute key;
      try {
        key = parse(text.substring(from + 1, close), lenient);
      } catch (MalformedException e) {
        throw new MalformedException(
            junos(text) + ": route key: " + e.reason(), from + 1 + e.offset());
      }
      Cursor c = new Cursor(text);
      c.at = close + 3;
      c.end = text.length();
      IpAddress originator = parseAt(c.rest(), c, IpAddress::parse);
      try {
        return new LeafAdRoute(key, originator);
      } catch (IllegalArgumentException e) {
        throw new MalformedException(junos(text) + ": " + e.getMessage(), from);
      }
    }
    Cursor c = new Cursor(text);
    c.at = from;
    c.end = text.length();
    RouteDistinguisher rd = parseAt(c.next(), c, RouteDistinguisher::parse);
    EthernetSegmentIdentifier esi =
        type == 7 || type == 8 ? esi(c.next(), c, lenient) : EthernetSegmentIdentifier.ZERO;
    if (type == 9) {
      EthernetTag tag = tag(c.next(), c);
      String hex = c.rest();
      if (hex.length() != 16) {
        throw new MalformedException(
            junos(text) + ": region ID must be 16 hex digits", c.pieceStart);
      }
      long region =
          (RouteDistinguisher.parseHex(text, c.pieceStart, c.pieceStart + 8) << 32)
              | RouteDistinguisher.parseHex(text, c.pieceStart + 8, c.pieceStart + 16);
      return new PerRegionIpmsiRoute(rd, tag, region);
    }
    EthernetTag tag = tag(c.next(), c);
    int close = text.indexOf(")::", c.at);
    if (close < 0) {
      throw new MalformedException(junos(text) + ": expected (<source>,<group>)::", c.at);
    }
    c.pieceStart = c.at;
    String sg = text.substring(c.at, close + 1);
    c.at = close + 3;
    int comma = sg.indexOf(',');
    if (!sg.startsWith("(") || !sg.endsWith(")") || comma < 0) {
      throw new MalformedException(junos(text) + ": expected (<source>,<group>)", c.pieceStart);
    }
    int base = c.pieceStart;
    IpAddress source = anyOrAddress(text, sg.substring(1, comma), base + 1);
    IpAddress group =
        anyOrAddress(text, sg.substring(comma + 1, sg.length() - 1), base + comma + 1);
    if (type == 10) {
      return new SelectivePmsiRoute(rd, tag, source, group, parseAt(c.rest(), c, IpAddress::parse));
    }
    String flagsText = c.next();
    int flags =
        (int)
            RouteDistinguisher.parseNumber(
                text, c.pieceStart, c.pieceStart + flagsText.length(), 255, "flags");
    long sequence = 0;
    int maxResponse = 0;
    if (type == 8) {
      String seq = c.next();
      sequence =
          RouteDistinguisher.parseNumber(
              text, c.pieceStart, c.pieceStart + seq.length(), 0xFFFF_FFFFL, "sequence number");
      String mrt = c.next();
      maxResponse =
          (int)
              RouteDistinguisher.parseNumber(
                  text, c.pieceStart, c.pieceStart + mrt.length(), 255, "maximum response time");
    }
    IpAddress originator = parseAt(c.rest(), c, IpAddress::parse);
    return new MulticastRoute(
        RouteType.valueOf(type),
        rd,
        esi,
        tag,
        source,
        group,
        originator,
        flags,
        sequence,
        maxResponse);
  }

  private static @Nullable IpAddress anyOrAddress(String text, String piece, int at) {
    if (piece.equals("*")) {
      return null;
    }
    try {
      return IpAddress.parse(piece);
    } catch (MalformedException e) {
      throw new MalformedException(junos(text) + ": " + e.reason(), at + e.offset());
    }
  }

  /** The text of an {@link OpaqueRoute}: {@code <type>:hex:<value>}, no length suffix. */
  private static OpaqueRoute opaque(String text, int type, int from) {
    int digits = text.length() - from;
    if ((digits & 1) != 0 || digits / 2 > 255) {
      throw new MalformedException(junos(text) + ": value must be whole octets, at most 255", from);
    }
    byte[] value = new byte[digits / 2];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) RouteDistinguisher.parseHex(text, from + 2 * i, from + 2 * i + 2);
    }
    return new OpaqueRoute(RouteType.valueOf(type), value);
  }

  private static void checkLength(String text, int length, int slash, int a, int b) {
    if (length != a && length != b) {
      throw new MalformedException(
          junos(text) + ": length /" + length + " must be /" + a + (a == b ? "" : " or /" + b),
          slash + 1);
    }
  }

  /** Reads one field of route text. */
  interface Parser<T> {
    T parse(String s);
  }

  /** Parses a piece of the text, re-basing any error offset onto the whole text. */
  private static <T> T parseAt(String piece, Cursor c, Parser<T> parser) {
    int base = c.pieceStart;
    try {
      return parser.parse(piece);
    } catch (MalformedException e) {
      throw new MalformedException(
          "EVPN route \"" + c.text + "\": " + e.reason(), base + e.offset());
    }
  }

  private static EthernetSegmentIdentifier esi(String piece, Cursor c, boolean lenient) {
    String hex = lenient && piece.length() == 18 ? "00" + piece : piece;
    if (hex.length() != 20) {
      throw new MalformedException(
          "EVPN route \""
              + c.text
              + "\": ESI must be 20 hex digits"
              + (piece.length() == 18 ? " (18 is accepted in lenient mode only)" : ""),
          c.pieceStart);
    }
    return parseAt(hex, c, EthernetSegmentIdentifier::parse);
  }

  private static EthernetTag tag(String piece, Cursor c) {
    if (piece.equalsIgnoreCase("FFFF:FFFF")) {
      return EthernetTag.MAX;
    }
    return parseAt(piece, c, EthernetTag::parse);
  }

  static StringBuilder appendTag(StringBuilder sb, EthernetTag tag) {
    return tag.equals(EthernetTag.MAX) ? sb.append("FFFF:FFFF") : sb.append(tag.value());
  }

  /** Walks the text from one {@code ::} separator to the next. */
  private static final class Cursor {
    final String text;
    int at;
    int end;
    int pieceStart;

    Cursor(String text) {
      this.text = text;
    }

    String next() {
      int sep = text.indexOf("::", at);
      if (sep < 0 || sep >= end) {
        throw new MalformedException(junos(text) + ": expected '::'", end);
      }
      pieceStart = at;
      String piece = text.substring(at, sep);
      at = sep + 2;
      return piece;
    }

    String rest() {
      pieceStart = at;
      String piece = text.substring(at, end);
      at = end;
      return piece;
    }
  }

  /**
   * The start of an error message about Junos route text: the text quoted (one line, cut when
   * long).
   */
  private static String junos(String text) {
    return "EVPN route " + MalformedException.quote(text);
  }
}
