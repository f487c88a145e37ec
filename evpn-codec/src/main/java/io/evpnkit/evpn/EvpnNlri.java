package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Flyweight over one EVPN NLRI on the wire (RFC 7432 §7): route type (1 octet), length (1 octet),
 * route-type-specific value. {@link #tryWrap} checks the length against the bytes present and the
 * layout of the route type once; the getters then read with absolute indexes and no checks of their
 * own, and allocate nothing (value objects come from the methods that say so). Unknown route types
 * are kept opaque: only {@link #routeType()}, {@link #valueOffset()} and {@link #valueLength()}
 * apply.
 *
 * <p>Layouts (lengths in octets; the IP length fields count bits):
 *
 * <pre>
 * 1 Ethernet A-D (§7.1):     RD 8 | ESI 10 | Ethernet Tag 4 | MPLS Label 3                       = 25
 * 2 MAC/IP (§7.2):           RD 8 | ESI 10 | Ethernet Tag 4 | MAC len 1 (48) | MAC 6 |
 *                            IP len 1 (0/32/128) | IP 0/4/16 | Label1 3 | [Label2 3]          = 33..52
 * 3 Inclusive Multicast (§7.3): RD 8 | Ethernet Tag 4 | IP len 1 (32/128) | Originator IP 4/16  = 17, 29
 * 4 Ethernet Segment (§7.4): RD 8 | ESI 10 | IP len 1 (32/128) | Originator IP 4/16              = 23, 35
 * 5 IP Prefix (RFC 9136 §3.1): RD 8 | ESI 10 | Ethernet Tag 4 | prefix len 1 | prefix 4/16 |
 *                            gateway 4/16 | Label 3                                              = 34, 58
 * 6 SMET (RFC 9251 §9.1):    RD 8 | Ethernet Tag 4 | (S, G, originator) | Flags 1
 * 7 Multicast Membership Report Synch (RFC 9251 §9.2): RD 8 | ESI 10 | Ethernet Tag 4 | (S, G, originator) | Flags 1
 * 8 Multicast Leave Synch (RFC 9251 §9.3): RD 8 | ESI 10 | Ethernet Tag 4 | (S, G, originator) |
 *                            Leave Group Synchronization # 4 | Maximum Response Time 1 | Flags 1
 *   where (S, G, originator) = source len 1 (0/32/128) | source 0/4/16 | group len 1 (0/32/128) | group 0/4/16 |
 *                            originator len 1 (32/128) | originator 4/16
 * 9 Per-Region I-PMSI A-D (RFC 9572 §3.1): RD 8 | Ethernet Tag 4 | Region ID 8                        = 20
 * 10 S-PMSI A-D (RFC 9572 §3.2): RD 8 | Ethernet Tag 4 | (S, G, originator)
 * 11 Leaf A-D (RFC 9572 §3.3): Route Key (the triggering route's NLRI: type 1 | length 1 | value) |
 *                            originator len 1 (32/128) | originator 4/16
 * </pre>
 *
 * Not thread-safe; re-wrap to reuse (that is how an NLRI field is iterated).
 *
 * @since 0.1
 */
public final class EvpnNlri {
  /** Length of the route type and length octets. */
  public static final int HEADER_LENGTH = 2;

  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int offset;
  private int type;
  private int length;
  private int ipBits; // type 2: 0/32/128; types 3, 4: 32/128; type 5: 32/128 (address family)
  private int sourceBits; // types 6, 7, 8, 10
  private int groupBits;
  private int originatorAt; // types 6, 7, 8, 10, 11: absolute index of the originator length octet
  private @Nullable NlriError error;
  private int errorOffset = -1;

  /** Creates an unwrapped view. */
  public EvpnNlri() {}

  /**
   * Points this view at the NLRI at absolute index {@code offset}, which must end by {@code limit}.
   *
   * @return whether it is well formed; if not, {@link #error()} and {@link #errorOffset()} say why
   */
  public boolean tryWrap(ByteBuf buf, int offset, int limit) {
    this.buf = buf;
    this.offset = offset;
    this.error = null;
    this.errorOffset = -1;
    // subtractions, not additions: an offset near Integer.MAX_VALUE must not wrap around past the
    // checks
    if (offset < 0 || limit < 0 || limit > buf.writerIndex() || offset > limit - HEADER_LENGTH) {
      return fail(NlriError.TRUNCATED_HEADER, Math.max(offset, 0));
    }
    type = buf.getUnsignedByte(offset);
    length = buf.getUnsignedByte(offset + 1);
    if (length > limit - offset - HEADER_LENGTH) {
      return fail(NlriError.LENGTH_EXCEEDS_CONTAINER, offset + 1);
    }
    int v = offset + HEADER_LENGTH;
    return switch (type) {
      case 1 -> length == NlriLayout.AutoDiscovery.LENGTH || fail(NlriError.BAD_LENGTH, offset + 1);
      case 2 -> checkMacIp(buf, v);
      case 3, 4 ->
          checkOriginator(
              buf,
              v,
              type == 3
                  ? NlriLayout.InclusiveMulticast.IP_LENGTH
                  : NlriLayout.EthernetSegment.IP_LENGTH);
      case 5 -> checkIpPrefix(buf, v);
      case 6, 10 ->
          checkMulticast(buf, v, NlriLayout.TagMulticast.SOURCE_LENGTH, type == 6 ? 1 : 0);
      case 7 -> checkMulticast(buf, v, NlriLayout.SegmentMulticast.SOURCE_LENGTH, 1);
      case 8 -> checkMulticast(buf, v, NlriLayout.SegmentMulticast.SOURCE_LENGTH, 6);
      case 9 ->
          length == NlriLayout.TagMulticast.PER_REGION_LENGTH
              || fail(NlriError.BAD_LENGTH, offset + 1);
      case 11 -> checkLeaf(buf, v);
      default -> true; // opaque: any length
    };
  }

  private boolean checkMacIp(ByteBuf buf, int v) {
    if (length < NlriLayout.MacIp.MIN_LENGTH) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    if (buf.getUnsignedByte(v + NlriLayout.MacIp.MAC_LENGTH) != 48) {
      return fail(NlriError.BAD_MAC_LENGTH, v + NlriLayout.MacIp.MAC_LENGTH);
    }
    ipBits = buf.getUnsignedByte(v + NlriLayout.MacIp.IP_LENGTH);
    if (ipBits != 0 && ipBits != 32 && ipBits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, v + NlriLayout.MacIp.IP_LENGTH);
    }
    int oneLabel = NlriLayout.MacIp.label2(ipBits / 8);
    return length == oneLabel
        || length == oneLabel + LabelField.LENGTH
        || fail(NlriError.BAD_LENGTH, offset + 1);
  }

  private boolean checkOriginator(ByteBuf buf, int v, int at) {
    if (length < at + 1) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    ipBits = buf.getUnsignedByte(v + at);
    if (ipBits != 32 && ipBits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, v + at);
    }
    return length == at + 1 + ipBits / 8 || fail(NlriError.BAD_LENGTH, offset + 1);
  }

  private boolean checkIpPrefix(ByteBuf buf, int v) {
    if (length != NlriLayout.IpPrefix.length(4) && length != NlriLayout.IpPrefix.length(16)) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    ipBits = length == NlriLayout.IpPrefix.length(4) ? 32 : 128;
    return buf.getUnsignedByte(v + NlriLayout.IpPrefix.PREFIX_LENGTH) <= ipBits
        || fail(NlriError.BAD_PREFIX_LENGTH, v + NlriLayout.IpPrefix.PREFIX_LENGTH);
  }

  /**
   * Checks (S, G, originator) at {@code v + at}, followed by {@code trailer} octets ending the
   * value.
   */
  private boolean checkMulticast(ByteBuf buf, int v, int at, int trailer) {
    int end = v + length;
    int p = v + at;
    if (p >= end) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    sourceBits = buf.getUnsignedByte(p);
    if (sourceBits != 0 && sourceBits != 32 && sourceBits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, p);
    }
    p += 1 + sourceBits / 8;
    if (p >= end) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    groupBits = buf.getUnsignedByte(p);
    if (groupBits != 0 && groupBits != 32 && groupBits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, p);
    }
    p += 1 + groupBits / 8;
    return checkOriginatorAt(buf, p, end - trailer);
  }

  private boolean checkOriginatorAt(ByteBuf buf, int p, int end) {
    if (p >= end) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    int bits = buf.getUnsignedByte(p);
    if (bits != 32 && bits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, p);
    }
    originatorAt = p;
    return p + 1 + bits / 8 == end || fail(NlriError.BAD_LENGTH, offset + 1);
  }

  private boolean checkLeaf(ByteBuf buf, int v) {
    if (length < 2 + 1 + 4 || v + 2 + buf.getUnsignedByte(v + 1) >= v + length) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    return checkOriginatorAt(buf, v + 2 + buf.getUnsignedByte(v + 1), v + length);
  }

  private boolean fail(NlriError e, int at) {
    this.error = e;
    this.errorOffset = at;
    return false;
  }

  /**
   * Like {@link #tryWrap} but throws.
   *
   * @return this view
   * @throws MalformedException if the NLRI is malformed
   */
  public EvpnNlri wrap(ByteBuf buf, int offset, int limit) {
    if (!tryWrap(buf, offset, limit)) {
      NlriError e = java.util.Objects.requireNonNull(error);
      throw new MalformedException("EVPN NLRI: " + e.description(), errorOffset);
    }
    return this;
  }

  /** Returns why the last {@link #tryWrap} failed, or {@code null}. */
  public @Nullable NlriError error() {
    return error;
  }

  /** Returns the absolute index of the offending octet of the last failure, or -1. */
  public int errorOffset() {
    return errorOffset;
  }

  /** Returns the wrapped buffer. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Returns the absolute index of the route type octet. */
  public int offset() {
    return offset;
  }

  /** Returns the route type code. */
  public int routeTypeCode() {
    return type;
  }

  /** Returns the route type (no allocation). */
  public RouteType routeType() {
    return RouteType.valueOf(type);
  }

  /** Returns the length of the route-type-specific value. */
  public int valueLength() {
    return length;
  }

  /** Returns the absolute index of the value. */
  public int valueOffset() {
    return offset + HEADER_LENGTH;
  }

  /**
   * Returns the whole NLRI length, header included: where the next NLRI starts, relative to this
   * one.
   */
  public int totalLength() {
    return HEADER_LENGTH + length;
  }

  /**
   * Returns the RD's eight octets: types 1 to 10 start with it; for type 11 it is the RD of the
   * route key (0 if the key is shorter than an RD).
   */
  public long routeDistinguisherValue() {
    if (type == 11) {
      return buf.getUnsignedByte(valueOffset() + 1) >= 8 ? buf.getLong(valueOffset() + 2) : 0;
    }
    return buf.getLong(valueOffset());
  }

  /** Returns the RD (allocates). */
  public RouteDistinguisher routeDistinguisher() {
    return RouteDistinguisher.of(routeDistinguisherValue());
  }

  /** Types 1, 2, 4, 5, 7, 8: the ESI (allocates unless zero). */
  public EthernetSegmentIdentifier esi() {
    int at = valueOffset() + NlriLayout.MacIp.ESI; // the same place in every type that has one
    return EthernetSegmentIdentifier.of(buf.getLong(at), buf.getUnsignedShort(at + 8));
  }

  /** Types 1, 2, 3, 5 to 10: the Ethernet Tag ID as an unsigned number. */
  public long ethernetTag() {
    boolean afterRd = type == 3 || type == 6 || type == 9 || type == 10;
    return buf.getUnsignedInt(
        valueOffset()
            + (afterRd
                ? NlriLayout.InclusiveMulticast.ETHERNET_TAG
                : NlriLayout.MacIp.ETHERNET_TAG));
  }

  /** Types 6, 7, 8, 10: the multicast source length in bits (0 for any source, 32, 128). */
  public int multicastSourceLength() {
    return sourceBits;
  }

  /** Types 6, 7, 8, 10: the multicast source, or {@code null} for any source (allocates). */
  public @Nullable IpAddress multicastSource() {
    return sourceBits == 0 ? null : IpAddress.read(buf, multicastStart() + 1, sourceBits);
  }

  /** Types 6, 7, 8, 10: the multicast group, or {@code null} for any group (allocates). */
  public @Nullable IpAddress multicastGroup() {
    return groupBits == 0
        ? null
        : IpAddress.read(buf, multicastStart() + 2 + sourceBits / 8, groupBits);
  }

  private int multicastStart() {
    return valueOffset()
        + (type == 7 || type == 8
            ? NlriLayout.SegmentMulticast.SOURCE_LENGTH
            : NlriLayout.TagMulticast.SOURCE_LENGTH);
  }

  /**
   * Types 6, 7, 8, 10, 11: the originating router's address (allocates); types 3, 4: see {@link
   * #ip()}.
   */
  public IpAddress originator() {
    if (type == 3 || type == 4) {
      return ip();
    }
    if (type < 6 || type > 11 || type == 9) {
      throw new IllegalStateException("route type " + type + " has no originator address");
    }
    return IpAddress.read(buf, originatorAt + 1, buf.getUnsignedByte(originatorAt));
  }

  /** Types 6, 7, 8: the flags octet (RFC 9251 §9: IGMP versions, exclude group). */
  public int multicastFlags() {
    return buf.getUnsignedByte(valueOffset() + length - 1);
  }

  /** Type 8: the Leave Group Synchronization sequence number. */
  public long leaveGroupSequence() {
    return buf.getUnsignedInt(valueOffset() + length - 6);
  }

  /** Type 8: the Maximum Response Time. */
  public int maxResponseTime() {
    return buf.getUnsignedByte(valueOffset() + length - 2);
  }

  /** Type 9: the Region ID (an extended community's eight octets). */
  public long regionId() {
    return buf.getLong(valueOffset() + 12);
  }

  /** Type 11: the absolute index of the route key (an NLRI: type, length, value). */
  public int routeKeyOffset() {
    return valueOffset();
  }

  /** Type 11: the route key's length, its type and length octets included. */
  public int routeKeyLength() {
    return 2 + buf.getUnsignedByte(valueOffset() + 1);
  }

  /** Type 2: the MAC address as a 48-bit number. */
  public long mac() {
    int at = valueOffset() + NlriLayout.MacIp.MAC;
    return ((long) buf.getUnsignedShort(at) << 32) | buf.getUnsignedInt(at + 2);
  }

  /**
   * Type 2: the IP address length in bits (0, 32, 128); types 3, 4: the originator's; type 5: the
   * family.
   */
  public int ipLength() {
    return ipBits;
  }

  /** Type 2: the IP address, types 3, 4: the originating router's address (allocates). */
  public IpAddress ip() {
    int at =
        valueOffset()
            + (type == 2
                ? NlriLayout.MacIp.IP
                : type == 3 ? NlriLayout.InclusiveMulticast.IP : NlriLayout.EthernetSegment.IP);
    if (ipBits == 0) {
      throw new IllegalStateException("this MAC/IP route carries no IP address");
    }
    return IpAddress.read(buf, at, ipBits);
  }

  /** Type 1: the label; type 2: label 1; type 5: the label (raw 24 bits). */
  public int label1() {
    int v = valueOffset();
    return switch (type) {
      case 1 -> buf.getUnsignedMedium(v + NlriLayout.AutoDiscovery.LABEL);
      case 2 -> buf.getUnsignedMedium(v + NlriLayout.MacIp.label1(ipBits / 8));
      case 5 -> buf.getUnsignedMedium(v + NlriLayout.IpPrefix.label(ipBits / 8));
      default -> throw new IllegalStateException("route type " + type + " has no label");
    };
  }

  /** Type 2: whether a second label is present. */
  public boolean hasLabel2() {
    return type == 2 && length == NlriLayout.MacIp.label2(ipBits / 8) + LabelField.LENGTH;
  }

  /** Type 2: label 2 (raw 24 bits). */
  public int label2() {
    if (!hasLabel2()) {
      throw new IllegalStateException("no second label");
    }
    return buf.getUnsignedMedium(valueOffset() + NlriLayout.MacIp.label2(ipBits / 8));
  }

  /** Type 5: the prefix length in bits. */
  public int prefixLength() {
    return buf.getUnsignedByte(valueOffset() + NlriLayout.IpPrefix.PREFIX_LENGTH);
  }

  /** Type 5: the prefix address (allocates). */
  public IpAddress prefix() {
    return IpAddress.read(buf, valueOffset() + NlriLayout.IpPrefix.PREFIX, ipBits);
  }

  /** Type 5: the gateway IP address (allocates). */
  public IpAddress gateway() {
    return IpAddress.read(buf, valueOffset() + NlriLayout.IpPrefix.gateway(ipBits / 8), ipBits);
  }
}
