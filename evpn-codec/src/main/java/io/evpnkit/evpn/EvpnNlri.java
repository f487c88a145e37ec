package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Flyweight over one EVPN NLRI on the wire (RFC 7432 §7): route type (1 octet), length (1 octet),
 * route-type-specific value. {@link #tryWrap} checks the length against the bytes present and the layout
 * of the route type once; the getters then read with absolute indexes and no checks of their own, and
 * allocate nothing (value objects come from the methods that say so). Unknown route types are kept
 * opaque: only {@link #routeType()}, {@link #valueOffset()} and {@link #valueLength()} apply.
 *
 * <p>Layouts (lengths in octets; the IP length fields count bits):
 * <pre>
 * 1 Ethernet A-D (§7.1):     RD 8 | ESI 10 | Ethernet Tag 4 | MPLS Label 3                       = 25
 * 2 MAC/IP (§7.2):           RD 8 | ESI 10 | Ethernet Tag 4 | MAC len 1 (48) | MAC 6 |
 *                            IP len 1 (0/32/128) | IP 0/4/16 | Label1 3 | [Label2 3]          = 33..52
 * 3 Inclusive Multicast (§7.3): RD 8 | Ethernet Tag 4 | IP len 1 (32/128) | Originator IP 4/16  = 17, 29
 * 4 Ethernet Segment (§7.4): RD 8 | ESI 10 | IP len 1 (32/128) | Originator IP 4/16              = 23, 35
 * 5 IP Prefix (RFC 9136 §3.1): RD 8 | ESI 10 | Ethernet Tag 4 | prefix len 1 | prefix 4/16 |
 *                            gateway 4/16 | Label 3                                              = 34, 58
 * </pre>
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
    if (offset < 0 || limit > buf.writerIndex() || offset + HEADER_LENGTH > limit) {
      return fail(NlriError.TRUNCATED_HEADER, Math.max(offset, 0));
    }
    type = buf.getUnsignedByte(offset);
    length = buf.getUnsignedByte(offset + 1);
    if (offset + HEADER_LENGTH + length > limit) {
      return fail(NlriError.LENGTH_EXCEEDS_CONTAINER, offset + 1);
    }
    int v = offset + HEADER_LENGTH;
    return switch (type) {
      case 1 -> length == 25 || fail(NlriError.BAD_LENGTH, offset + 1);
      case 2 -> checkMacIp(buf, v);
      case 3, 4 -> checkOriginator(buf, v, type == 3 ? 12 : 18);
      case 5 -> checkIpPrefix(buf, v);
      default -> true; // opaque: any length
    };
  }

  private boolean checkMacIp(ByteBuf buf, int v) {
    if (length < 33) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    if (buf.getUnsignedByte(v + 22) != 48) {
      return fail(NlriError.BAD_MAC_LENGTH, v + 22);
    }
    ipBits = buf.getUnsignedByte(v + 29);
    if (ipBits != 0 && ipBits != 32 && ipBits != 128) {
      return fail(NlriError.BAD_IP_LENGTH, v + 29);
    }
    int fixed = 30 + ipBits / 8;
    return length == fixed + 3 || length == fixed + 6 || fail(NlriError.BAD_LENGTH, offset + 1);
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
    if (length != 34 && length != 58) {
      return fail(NlriError.BAD_LENGTH, offset + 1);
    }
    ipBits = length == 34 ? 32 : 128;
    return buf.getUnsignedByte(v + 22) <= ipBits || fail(NlriError.BAD_PREFIX_LENGTH, v + 22);
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

  /** Returns the whole NLRI length, header included: where the next NLRI starts, relative to this one. */
  public int totalLength() {
    return HEADER_LENGTH + length;
  }

  /** Returns the RD's eight octets (all known types start with it). */
  public long routeDistinguisherValue() {
    return buf.getLong(valueOffset());
  }

  /** Returns the RD (allocates). */
  public RouteDistinguisher routeDistinguisher() {
    return RouteDistinguisher.of(routeDistinguisherValue());
  }

  /** Types 1, 2, 4, 5: the ESI (allocates unless zero). */
  public EthernetSegmentIdentifier esi() {
    int at = valueOffset() + 8;
    return EthernetSegmentIdentifier.of(buf.getLong(at), buf.getUnsignedShort(at + 8));
  }

  /** Types 1, 2, 3, 5: the Ethernet Tag ID as an unsigned number. */
  public long ethernetTag() {
    return buf.getUnsignedInt(valueOffset() + (type == 3 ? 8 : 18));
  }

  /** Type 2: the MAC address as a 48-bit number. */
  public long mac() {
    int at = valueOffset() + 23;
    return ((long) buf.getUnsignedShort(at) << 32) | buf.getUnsignedInt(at + 2);
  }

  /** Type 2: the IP address length in bits (0, 32, 128); types 3, 4: the originator's; type 5: the family. */
  public int ipLength() {
    return ipBits;
  }

  /** Type 2: the IP address, types 3, 4: the originating router's address (allocates). */
  public IpAddress ip() {
    int at = valueOffset() + (type == 2 ? 30 : type == 3 ? 13 : 19);
    if (ipBits == 0) {
      throw new IllegalStateException("this MAC/IP route carries no IP address");
    }
    return IpAddress.read(buf, at, ipBits);
  }

  /** Type 1: the label; type 2: label 1; type 5: the label (raw 24 bits). */
  public int label1() {
    int v = valueOffset();
    return switch (type) {
      case 1 -> buf.getUnsignedMedium(v + 22);
      case 2 -> buf.getUnsignedMedium(v + 30 + ipBits / 8);
      case 5 -> buf.getUnsignedMedium(v + length - 3);
      default -> throw new IllegalStateException("route type " + type + " has no label");
    };
  }

  /** Type 2: whether a second label is present. */
  public boolean hasLabel2() {
    return type == 2 && length == 30 + ipBits / 8 + 6;
  }

  /** Type 2: label 2 (raw 24 bits). */
  public int label2() {
    if (!hasLabel2()) {
      throw new IllegalStateException("no second label");
    }
    return buf.getUnsignedMedium(valueOffset() + 33 + ipBits / 8);
  }

  /** Type 5: the prefix length in bits. */
  public int prefixLength() {
    return buf.getUnsignedByte(valueOffset() + 22);
  }

  /** Type 5: the prefix address (allocates). */
  public IpAddress prefix() {
    return IpAddress.read(buf, valueOffset() + 23, ipBits);
  }

  /** Type 5: the gateway IP address (allocates). */
  public IpAddress gateway() {
    return IpAddress.read(buf, valueOffset() + 23 + ipBits / 8, ipBits);
  }
}
