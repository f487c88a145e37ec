package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Locale;

/**
 * A BGP extended community (RFC 4360 §2): eight octets, a type octet (with the IANA authority and
 * transitive bits), a sub-type octet for most types, and a value. Immutable; kept as the eight
 * octets, so unknown kinds survive and re-encode byte for byte. Accessors decode the kinds EVPN
 * uses.
 *
 * <p>Text forms (the ones Junos and GoBGP use, with {@link #parse} as inverse):
 *
 * <pre>
 * target:65000:100          route target, 2-octet AS (type 0x00/0x02, RFC 4360 §4)
 * target:1.2.3.4:100        route target, IPv4 (0x01/0x02, RFC 4360 §4)
 * target:4200000000:7       route target, 4-octet AS (0x02/0x02, RFC 5668 §3); "65000L:7" when the AS fits 16 bits
 * encapsulation:vxlan       BGP encapsulation (0x03/0x0c, RFC 9012 §4.1), tunnel types by name or number
 * mac-mobility:5            MAC Mobility (0x06/0x00, RFC 7432 §7.7); mac-mobility:5:sticky with the sticky flag
 * esi-label:100             ESI Label (0x06/0x01, RFC 7432 §7.5); esi-label:100:single-active
 * es-import:00:11:22:33:44:55  ES-Import Route Target (0x06/0x02, RFC 7432 §7.6)
 * router-mac:00:11:22:33:44:55 EVPN Router's MAC (0x06/0x03, RFC 9135 §8.1)
 * default-gateway           Default Gateway (0x03/0x0d, RFC 7432 §10.1)
 * l2-attributes:0x0002:9000 EVPN Layer 2 Attributes (0x06/0x04, RFC 8214 §3.1): control flags, L2 MTU
 * e-tree:100                E-Tree (0x06/0x05, RFC 8317 §5.1): leaf label; e-tree:100:leaf with the L flag
 * df-election:hrw:0x0000    DF Election (0x06/0x06, RFC 8584 §1.3.1): algorithm (modulo, hrw, preference or a
 *                           number), capability bitmap, and :0x&lt;6 hex digits&gt; when the last octets are not zero
 * multicast-flags:0x0001    Multicast Flags (0x06/0x09, RFC 9251 §9.5); 0x0001 IGMP proxy, 0x0002 MLD proxy
 * evi-rt:65000:100          EVI-RT types 0, 1, 2 (0x06/0x0a, 0x0b, 0x0c, RFC 9251 §9.6), value as for target
 * raw:0x0123456789abcdef    anything else
 * </pre>
 *
 * @since 0.1
 */
public final class ExtendedCommunity implements Comparable<ExtendedCommunity> {
  /** Length on the wire. */
  public static final int LENGTH = 8;

  private static final String[] TUNNEL_NAMES = new String[20];
  private static final String[] DF_NAMES = {"modulo", "hrw", "preference", "lowest-preference"};

  static {
    TUNNEL_NAMES[1] = "l2tpv3";
    TUNNEL_NAMES[2] = "gre";
    TUNNEL_NAMES[7] = "ip-in-ip";
    TUNNEL_NAMES[8] = "vxlan";
    TUNNEL_NAMES[9] = "nvgre";
    TUNNEL_NAMES[10] = "mpls";
    TUNNEL_NAMES[11] = "mpls-in-gre";
    TUNNEL_NAMES[12] = "vxlan-gpe";
    TUNNEL_NAMES[13] = "mpls-in-udp";
    TUNNEL_NAMES[19] = "geneve";
  }

  /**
   * Kind (type and sub-type, the top 16 bits) of the BGP Encapsulation community (RFC 9012 §4.1).
   */
  public static final int ENCAPSULATION = 0x030C;

  /** Kind of the Default Gateway community (RFC 7432 §10.1). */
  public static final int DEFAULT_GATEWAY = 0x030D;

  /** Kind of the MAC Mobility community (RFC 7432 §7.7). */
  public static final int MAC_MOBILITY = 0x0600;

  /** Kind of the ESI Label community (RFC 7432 §7.5). */
  public static final int ESI_LABEL = 0x0601;

  /** Kind of the ES-Import Route Target (RFC 7432 §7.6). */
  public static final int ES_IMPORT = 0x0602;

  /** Kind of the EVPN Router's MAC community (RFC 9135 §8.1). */
  public static final int ROUTER_MAC = 0x0603;

  /** Kind of the EVPN Layer 2 Attributes community (RFC 8214 §3.1). */
  public static final int LAYER2_ATTRIBUTES = 0x0604;

  /** Kind of the E-Tree community (RFC 8317 §5.1). */
  public static final int E_TREE = 0x0605;

  /** Kind of the DF Election community (RFC 8584 §1.3.1). */
  public static final int DF_ELECTION = 0x0606;

  /** DF Election capability bit 0, D: Don't Preempt (RFC 9785 §3), in {@link #dfCapabilities}. */
  public static final int DF_DONT_PREEMPT = 0x8000;

  /**
   * DF Election capability bit 1, A: AC-influenced DF election (RFC 8584 §4), in {@link
   * #dfCapabilities}.
   */
  public static final int DF_AC_INFLUENCED = 0x4000;

  /** Kind of the Multicast Flags community (RFC 9251 §9.5). */
  public static final int MULTICAST_FLAGS = 0x0609;

  private final long value;

  private ExtendedCommunity(long value) {
    this.value = value;
  }

  /** Returns the community of eight octets (big-endian). */
  public static ExtendedCommunity of(long value) {
    return new ExtendedCommunity(value);
  }

  /** Reads eight octets at absolute index {@code index}; the caller has checked they are there. */
  public static ExtendedCommunity read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("extended community needs 8 bytes", index);
    }
    return new ExtendedCommunity(buf.getLong(index));
  }

  /** Writes the eight octets at absolute index {@code index}. */
  public void write(ByteBuf buf, int index) {
    buf.setLong(index, value);
  }

  /** Returns the eight octets. */
  public long value() {
    return value;
  }

  /** Returns the type octet. */
  public int type() {
    return (int) (value >>> 56);
  }

  /** Returns the sub-type octet (meaningful for the extended types). */
  public int subType() {
    return (int) (value >>> 48) & 0xFF;
  }

  /**
   * Returns the kind: type and sub-type, the top 16 bits ({@link #MAC_MOBILITY}, {@link
   * #ROUTER_MAC}, ...).
   */
  public int kind() {
    return kindOf(value);
  }

  /**
   * Returns the kind (type and sub-type, the top 16 bits) of the community of eight octets {@code
   * value}.
   */
  public static int kindOf(long value) {
    return (int) (value >>> 48);
  }

  /**
   * Returns the sequence number of a MAC Mobility community (RFC 7432 §7.7), unsigned 32 bits.
   * Sequence numbers wrap: compare them with {@link #isNewerSequence} (RFC 1982 serial number
   * arithmetic), not with {@code >}.
   *
   * @throws IllegalArgumentException if {@code value} is not a MAC Mobility community
   */
  public static long macMobilitySequence(long value) {
    checkKind(value, MAC_MOBILITY);
    return value & 0xFFFF_FFFFL;
  }

  /**
   * Returns the sticky/static flag of a MAC Mobility community (RFC 7432 §7.7, bit 0 of its flags
   * octet).
   *
   * @throws IllegalArgumentException if {@code value} is not a MAC Mobility community
   */
  public static boolean isSticky(long value) {
    checkKind(value, MAC_MOBILITY);
    return (value & (1L << 40)) != 0;
  }

  /**
   * Returns whether MAC mobility sequence number {@code a} is newer than {@code b}: RFC 7432 §15
   * has the 32-bit sequence wrap, and RFC 1982 §3.2's serial number arithmetic orders them, so that
   * 0 follows 4294967295. Two numbers exactly 2^31 apart are not ordered; this returns false for
   * both orders then.
   *
   * @throws IllegalArgumentException if either is not 0..2^32-1
   */
  public static boolean isNewerSequence(long a, long b) {
    check("sequence number", a, 0xFFFF_FFFFL);
    check("sequence number", b, 0xFFFF_FFFFL);
    long d = (a - b) & 0xFFFF_FFFFL;
    return d != 0 && d < 0x8000_0000L;
  }

  /**
   * Returns the sequence number that follows {@code sequence}, wrapping from 4294967295 to 0 (RFC
   * 7432 §15).
   */
  public static long nextSequence(long sequence) {
    check("sequence number", sequence, 0xFFFF_FFFFL);
    return (sequence + 1) & 0xFFFF_FFFFL;
  }

  /**
   * Returns the single-active flag of an ESI Label community (RFC 7432 §7.5, bit 0 of its flags
   * octet).
   *
   * @throws IllegalArgumentException if {@code value} is not an ESI Label community
   */
  public static boolean isSingleActive(long value) {
    checkKind(value, ESI_LABEL);
    return (value & (1L << 40)) != 0;
  }

  /**
   * Returns the label of an ESI Label community (RFC 7432 §7.5; raw 24 bits).
   *
   * @throws IllegalArgumentException if {@code value} is not an ESI Label community
   */
  public static int esiLabelValue(long value) {
    checkKind(value, ESI_LABEL);
    return (int) (value & 0xFF_FFFF);
  }

  /**
   * Returns the MAC of a Router's MAC (RFC 9135 §8.1) or ES-Import (RFC 7432 §7.6) community.
   *
   * @throws IllegalArgumentException if {@code value} is neither
   */
  public static MacAddress macOf(long value) {
    if (kindOf(value) != ROUTER_MAC && kindOf(value) != ES_IMPORT) {
      throw new IllegalArgumentException(
          of(value) + " is neither a Router's MAC nor an ES-Import community");
    }
    return MacAddress.of(value & 0xFFFF_FFFF_FFFFL);
  }

  /**
   * Returns the DF algorithm of a DF Election community (RFC 8584 §1.3.1: the low 5 bits of its
   * first octet after the sub-type; 0 modulo, 1 HRW, 2 highest and 3 lowest preference of RFC
   * 9785).
   *
   * @throws IllegalArgumentException if {@code value} is not a DF Election community
   */
  public static int dfAlgorithm(long value) {
    checkKind(value, DF_ELECTION);
    return (int) (value >>> 40) & 0x1F;
  }

  /**
   * Returns the capability bitmap of a DF Election community (RFC 8584 §1.3.1: two octets; bit 1,
   * 0x4000, is AC-DF).
   *
   * @throws IllegalArgumentException if {@code value} is not a DF Election community
   */
  public static int dfCapabilities(long value) {
    checkKind(value, DF_ELECTION);
    return (int) (value >>> 24) & 0xFFFF;
  }

  /**
   * Returns the DF preference of a DF Election community (RFC 9785 §3: its last two octets).
   *
   * @throws IllegalArgumentException if {@code value} is not a DF Election community
   */
  public static int dfPreference(long value) {
    checkKind(value, DF_ELECTION);
    return (int) (value & 0xFFFF);
  }

  /**
   * Returns the Don't-Preempt bit of a DF Election community: capability bit 0 ({@link
   * #DF_DONT_PREEMPT}, RFC 9785 §3, the IANA DF Election Capabilities registry).
   *
   * @throws IllegalArgumentException if {@code value} is not a DF Election community
   */
  public static boolean dfDontPreempt(long value) {
    return (dfCapabilities(value) & DF_DONT_PREEMPT) != 0;
  }

  private static void checkKind(long value, int kind) {
    if (kindOf(value) != kind) {
      throw new IllegalArgumentException(
          of(value) + " is not a community of kind 0x" + Integer.toHexString(kind));
    }
  }

  /** Returns whether the transitive bit is clear (RFC 4360 §2: 0x40 of the type octet). */
  public boolean isNonTransitive() {
    return (type() & 0x40) != 0;
  }

  /** Returns whether this is a route target of any of the three forms. */
  public boolean isRouteTarget() {
    int t = type();
    return subType() == 0x02 && (t == 0x00 || t == 0x01 || t == 0x02);
  }

  /** A route target with a 2-octet AS (RFC 4360 §4). */
  public static ExtendedCommunity routeTarget(int as, long assigned) {
    check("2-octet AS", as, 0xFFFF);
    check("assigned number", assigned, 0xFFFF_FFFFL);
    return new ExtendedCommunity((0x0002L << 48) | ((long) as << 32) | assigned);
  }

  /** A route target with a 4-octet AS (RFC 5668 §3). */
  public static ExtendedCommunity routeTargetAs4(long as, int assigned) {
    check("4-octet AS", as, 0xFFFF_FFFFL);
    check("assigned number", assigned, 0xFFFF);
    return new ExtendedCommunity((0x0202L << 48) | (as << 16) | assigned);
  }

  /** A route target with an IPv4 administrator (RFC 4360 §4). */
  public static ExtendedCommunity routeTargetIpv4(int address, int assigned) {
    check("assigned number", assigned, 0xFFFF);
    return new ExtendedCommunity((0x0102L << 48) | ((address & 0xFFFF_FFFFL) << 16) | assigned);
  }

  /** The BGP Encapsulation extended community with a tunnel type (RFC 9012 §4.1; 8 is VXLAN). */
  public static ExtendedCommunity encapsulation(int tunnelType) {
    check("tunnel type", tunnelType, 0xFFFF);
    return new ExtendedCommunity(((long) ENCAPSULATION << 48) | tunnelType);
  }

  /** MAC Mobility (RFC 7432 §7.7). */
  public static ExtendedCommunity macMobility(long sequence, boolean sticky) {
    check("sequence number", sequence, 0xFFFF_FFFFL);
    return new ExtendedCommunity(
        ((long) MAC_MOBILITY << 48) | ((sticky ? 1L : 0) << 40) | sequence);
  }

  /** ESI Label (RFC 7432 §7.5). */
  public static ExtendedCommunity esiLabel(int label, boolean singleActive) {
    check("label", label, 0xFF_FFFF);
    return new ExtendedCommunity(
        ((long) ESI_LABEL << 48) | ((singleActive ? 1L : 0) << 40) | label);
  }

  /** ES-Import Route Target (RFC 7432 §7.6). */
  public static ExtendedCommunity esImport(MacAddress mac) {
    return new ExtendedCommunity(((long) ES_IMPORT << 48) | mac.value());
  }

  /** EVPN Router's MAC (RFC 9135 §8.1). */
  public static ExtendedCommunity routerMac(MacAddress mac) {
    return new ExtendedCommunity(((long) ROUTER_MAC << 48) | mac.value());
  }

  /**
   * EVPN Layer 2 Attributes (RFC 8214 §3.1): control flags (B 0x4, P 0x2, C 0x1 ...) and the L2
   * MTU.
   */
  public static ExtendedCommunity layer2Attributes(int controlFlags, int mtu) {
    check("control flags", controlFlags, 0xFFFF);
    check("L2 MTU", mtu, 0xFFFF);
    return new ExtendedCommunity(
        ((long) LAYER2_ATTRIBUTES << 48) | ((long) controlFlags << 32) | ((long) mtu << 16));
  }

  /** E-Tree (RFC 8317 §5.1): the leaf label, and whether the L (leaf) flag is set. */
  public static ExtendedCommunity eTree(int leafLabel, boolean leaf) {
    check("leaf label", leafLabel, 0xFF_FFFF);
    return new ExtendedCommunity(((long) E_TREE << 48) | ((leaf ? 1L : 0) << 40) | leafLabel);
  }

  /**
   * DF Election (RFC 8584 §1.3.1): the algorithm (0 modulo, 1 highest random weight, 2 preference,
   * RFC 9785), the capability bitmap, and the last three octets (reserved in RFC 8584; used by
   * later documents).
   */
  public static ExtendedCommunity dfElection(int algorithm, int bitmap, int lastOctets) {
    check("DF algorithm", algorithm, 0x1F);
    check("bitmap", bitmap, 0xFFFF);
    check("last octets", lastOctets, 0xFF_FFFF);
    return new ExtendedCommunity(
        ((long) DF_ELECTION << 48) | ((long) algorithm << 40) | ((long) bitmap << 24) | lastOctets);
  }

  /** Multicast Flags (RFC 9251 §9.5): 0x0001 IGMP proxy support, 0x0002 MLD proxy support. */
  public static ExtendedCommunity multicastFlags(int flags) {
    check("flags", flags, 0xFFFF);
    return new ExtendedCommunity(((long) MULTICAST_FLAGS << 48) | ((long) flags << 32));
  }

  /** An EVI-RT (RFC 9251 §9.6) carrying the value of route target {@code rt} (type 0, 1 or 2). */
  public static ExtendedCommunity eviRt(ExtendedCommunity rt) {
    if (!rt.isRouteTarget()) {
      throw new IllegalArgumentException(rt + " is not a route target");
    }
    long subType = 0x0AL + rt.type();
    return new ExtendedCommunity((0x06L << 56) | (subType << 48) | (rt.value & 0xFFFF_FFFF_FFFFL));
  }

  /** Default Gateway (RFC 7432 §10.1). */
  public static ExtendedCommunity defaultGateway() {
    return new ExtendedCommunity((long) DEFAULT_GATEWAY << 48);
  }

  private static void check(String what, long v, long max) {
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(what + " " + v + " out of range 0.." + max);
    }
  }

  /**
   * Appends the text form: the kind's own form when it says everything the eight octets hold, else
   * the raw form (so reserved bits set by a sender survive a text round trip).
   */
  public StringBuilder appendTo(StringBuilder sb) {
    String known = appendKnown(new StringBuilder(32)).toString();
    if (!known.startsWith("raw:")) {
      try {
        if (parse(known).value == value) {
          return sb.append(known);
        }
      } catch (MalformedException e) {
        // fall through to the raw form
      }
    }
    return sb.append(String.format(Locale.ROOT, "raw:0x%016x", value));
  }

  private StringBuilder appendKnown(StringBuilder sb) {
    return switch (kind()) {
      case 0x0002 ->
          sb.append("target:")
              .append((value >>> 32) & 0xFFFF)
              .append(':')
              .append(value & 0xFFFF_FFFFL);
      case 0x0102 ->
          Ipv4.append(sb.append("target:"), (int) (value >>> 16))
              .append(':')
              .append(value & 0xFFFF);
      case 0x0202 -> {
        long as = (value >>> 16) & 0xFFFF_FFFFL;
        yield sb.append("target:")
            .append(as)
            .append(as <= 0xFFFF ? "L" : "")
            .append(':')
            .append(value & 0xFFFF);
      }
      case ENCAPSULATION -> {
        int t = (int) (value & 0xFFFF);
        String name = t < TUNNEL_NAMES.length ? TUNNEL_NAMES[t] : null;
        yield sb.append("encapsulation:").append(name != null ? name : Integer.toString(t));
      }
      case DEFAULT_GATEWAY -> sb.append("default-gateway");
      case MAC_MOBILITY -> flag(sb.append("mac-mobility:").append(value & 0xFFFF_FFFFL), ":sticky");
      case ESI_LABEL -> flag(sb.append("esi-label:").append(value & 0xFF_FFFF), ":single-active");
      case ES_IMPORT -> MacAddress.of(value & 0xFFFF_FFFF_FFFFL).appendTo(sb.append("es-import:"));
      case ROUTER_MAC ->
          MacAddress.of(value & 0xFFFF_FFFF_FFFFL).appendTo(sb.append("router-mac:"));
      case LAYER2_ATTRIBUTES ->
          sb.append("l2-attributes:")
              .append(String.format(Locale.ROOT, "0x%04x", (value >>> 32) & 0xFFFF))
              .append(':')
              .append((value >>> 16) & 0xFFFF);
      case E_TREE -> flag(sb.append("e-tree:").append(value & 0xFF_FFFF), ":leaf");
      case DF_ELECTION -> {
        int alg = (int) ((value >>> 40) & 0x1F);
        sb.append("df-election:")
            .append(alg < DF_NAMES.length ? DF_NAMES[alg] : Integer.toString(alg))
            .append(String.format(Locale.ROOT, ":0x%04x", (value >>> 24) & 0xFFFF));
        yield (value & 0xFF_FFFF) != 0
            ? sb.append(String.format(Locale.ROOT, ":0x%06x", value & 0xFF_FFFF))
            : sb;
      }
      case MULTICAST_FLAGS ->
          sb.append(String.format(Locale.ROOT, "multicast-flags:0x%04x", (value >>> 32) & 0xFFFF));
      case 0x060A, 0x060B, 0x060C -> {
        String rt =
            of(((((long) (kind() - 0x060A) << 8) | 0x02) << 48) | (value & 0xFFFF_FFFF_FFFFL))
                .toString();
        yield sb.append("evi-rt:").append(rt, 7, rt.length());
      }
      default -> sb.append(String.format(Locale.ROOT, "raw:0x%016x", value));
    };
  }

  private StringBuilder flag(StringBuilder sb, String name) {
    return (value & (1L << 40)) != 0 ? sb.append(name) : sb;
  }

  /**
   * Parses a text form (see the class comment).
   *
   * @throws MalformedException with the character index of the problem
   */
  public static ExtendedCommunity parse(String text) {
    int colon = text.indexOf(':');
    String kind = colon < 0 ? text : text.substring(0, colon);
    String rest = colon < 0 ? "" : text.substring(colon + 1);
    int base = colon + 1;
    try {
      return switch (kind) {
        case "target" -> {
          RouteDistinguisher rd = RouteDistinguisher.parse(rest);
          yield switch (rd.type()) {
            case RouteDistinguisher.TYPE_AS2 ->
                routeTarget((int) rd.administrator(), rd.assignedNumber());
            case RouteDistinguisher.TYPE_IPV4 ->
                routeTargetIpv4((int) rd.administrator(), (int) rd.assignedNumber());
            default -> routeTargetAs4(rd.administrator(), (int) rd.assignedNumber());
          };
        }
        case "encapsulation" -> encapsulation(tunnelType(rest));
        case "default-gateway" -> {
          if (!rest.isEmpty()) {
            throw new MalformedException("default-gateway takes no value", 0);
          }
          yield defaultGateway();
        }
        case "mac-mobility" -> {
          boolean sticky = rest.endsWith(":sticky");
          String n = sticky ? rest.substring(0, rest.length() - 7) : rest;
          yield macMobility(
              RouteDistinguisher.parseNumber(n, 0, n.length(), 0xFFFF_FFFFL, "sequence number"),
              sticky);
        }
        case "esi-label" -> {
          boolean single = rest.endsWith(":single-active");
          String n = single ? rest.substring(0, rest.length() - 14) : rest;
          yield esiLabel(
              (int) RouteDistinguisher.parseNumber(n, 0, n.length(), 0xFF_FFFF, "label"), single);
        }
        case "es-import" -> esImport(MacAddress.parse(rest));
        case "l2-attributes" -> {
          int c = rest.indexOf(':');
          if (!rest.startsWith("0x") || c != 6) {
            throw new MalformedException("l2-attributes must be 0x<4 hex digits>:<mtu>", 0);
          }
          yield layer2Attributes(
              (int) RouteDistinguisher.parseHex(rest, 2, 6),
              (int) RouteDistinguisher.parseNumber(rest, 7, rest.length(), 0xFFFF, "L2 MTU"));
        }
        case "e-tree" -> {
          boolean leaf = rest.endsWith(":leaf");
          String n = leaf ? rest.substring(0, rest.length() - 5) : rest;
          yield eTree(
              (int) RouteDistinguisher.parseNumber(n, 0, n.length(), 0xFF_FFFF, "leaf label"),
              leaf);
        }
        case "df-election" -> {
          int c = rest.indexOf(':');
          if (c < 0
              || !rest.startsWith("0x", c + 1)
              || (rest.length() != c + 7 && rest.length() != c + 16)) {
            throw new MalformedException(
                "df-election must be <algorithm>:0x<4 hex digits>[:0x<6 hex digits>]", 0);
          }
          String alg = rest.substring(0, c);
          int a = java.util.Arrays.asList(DF_NAMES).indexOf(alg);
          int algorithm =
              a >= 0
                  ? a
                  : (int) RouteDistinguisher.parseNumber(alg, 0, alg.length(), 0x1F, "algorithm");
          int last = 0;
          if (rest.length() == c + 16) {
            if (!rest.startsWith(":0x", c + 7)) {
              throw new MalformedException("expected :0x<6 hex digits>", c + 7);
            }
            last = (int) RouteDistinguisher.parseHex(rest, c + 10, c + 16);
          }
          yield dfElection(algorithm, (int) RouteDistinguisher.parseHex(rest, c + 3, c + 7), last);
        }
        case "multicast-flags" -> {
          if (!rest.startsWith("0x") || rest.length() != 6) {
            throw new MalformedException("multicast-flags must be 0x<4 hex digits>", 0);
          }
          yield multicastFlags((int) RouteDistinguisher.parseHex(rest, 2, 6));
        }
        case "evi-rt" -> {
          try {
            yield eviRt(parse("target:" + rest));
          } catch (MalformedException e) {
            throw new MalformedException(e.reason(), e.offset() - 7);
          }
        }
        case "router-mac" -> routerMac(MacAddress.parse(rest));
        case "raw" -> {
          if (!rest.startsWith("0x") || rest.length() != 18) {
            throw new MalformedException("raw community must be 0x and 16 hex digits", 0);
          }
          yield of(RouteDistinguisher.parseHex(rest, 2, 18));
        }
        default ->
            throw new MalformedException("unknown extended community kind \"" + kind + "\"", -base);
      };
    } catch (MalformedException e) {
      throw new MalformedException(
          "extended community " + MalformedException.quote(text) + ": " + e.reason(),
          Math.max(0, base + e.offset()));
    } catch (IllegalArgumentException e) {
      throw new MalformedException(
          "extended community " + MalformedException.quote(text) + ": " + e.getMessage(), base);
    }
  }

  private static int tunnelType(String name) {
    for (int t = 0; t < TUNNEL_NAMES.length; t++) {
      if (name.equals(TUNNEL_NAMES[t])) {
        return t;
      }
    }
    return (int) RouteDistinguisher.parseNumber(name, 0, name.length(), 0xFFFF, "tunnel type");
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder(32)).toString();
  }

  @Override
  public int compareTo(ExtendedCommunity o) {
    return Long.compareUnsigned(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtendedCommunity other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }
}
