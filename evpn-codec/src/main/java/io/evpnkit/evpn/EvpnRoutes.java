package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

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
    return parseJunos(text, false);
  }

  /**
   * Parses the Junos display form. In lenient mode an ESI of 18 hex digits is also accepted and
   * read with a leading {@code 00} type octet: the form the original design deck prints (its text
   * lost an octet).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EvpnRoute parseJunos(String text, boolean lenient) {
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
        key = parseJunos(text.substring(from + 1, close), lenient);
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

  private interface Parser<T> {
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

  /** Returns FRR's text for a route of type 1 to 5 (without its RD). */
  public static String formatFrr(EvpnRoute route) {
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
   * types 2 and 5 the ESI is zero, as in {@link #parseJunos}; FRR's extra type 1 fields are
   * accepted and ignored.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static EvpnRoute parseFrr(String text, RouteDistinguisher rd) {
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

    <T> T parse(int i, Parser<T> parser) {
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

  /**
   * The start of an error message about Junos route text: the text quoted (one line, cut when
   * long).
   */
  private static String junos(String text) {
    return "EVPN route " + MalformedException.quote(text);
  }

  /** The start of an error message about FRR route text. */
  private static String frr(String text) {
    return "FRR route " + MalformedException.quote(text);
  }
}
