package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over an IPv6 Neighbor Solicitation or Neighbor Advertisement (RFC 4861 §4.3, §4.4),
 * starting at the IPv6 header (the ICMPv6 message must follow the fixed header directly, as RFC
 * 4861 messages do).
 *
 * <pre>
 * IPv6 (40) | type 135/136 | code | checksum | flags/reserved (4) | target address (16) | options ...
 * option:    | type | length (units of 8 octets) | value ...
 * </pre>
 *
 * The link-layer address option is the source link-layer address (type 1) in a solicitation and the
 * target link-layer address (type 2) in an advertisement. Used by ND suppression (RFC 9161). Not
 * thread-safe; re-wrap to reuse.
 *
 * @since 0.1
 */
public final class NeighborDiscoveryMessage {
  /** ICMPv6 type of a Neighbor Solicitation. */
  public static final int NEIGHBOR_SOLICITATION = 135;

  /** ICMPv6 type of a Neighbor Advertisement. */
  public static final int NEIGHBOR_ADVERTISEMENT = 136;

  /** IPv6 next header value of ICMPv6. */
  public static final int ICMPV6 = 58;

  /** Length of the IPv6 fixed header. */
  public static final int IPV6_HEADER_LENGTH = 40;

  /** Length of the NS/NA body before options: type, code, checksum, flags, target. */
  public static final int MESSAGE_LENGTH = 24;

  private static final int OPTION_SOURCE_LINK_LAYER = 1;
  private static final int OPTION_TARGET_LINK_LAYER = 2;
  private static final int FLAG_ROUTER = 0x80;
  private static final int FLAG_SOLICITED = 0x40;
  private static final int FLAG_OVERRIDE = 0x20;

  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int ip;
  private int icmp;
  private int icmpLength;
  private int linkLayerOption = -1;

  /** Creates an unwrapped view. */
  public NeighborDiscoveryMessage() {}

  /**
   * Points this view at an IPv6 packet carrying an NS or NA; {@code length} bytes are available.
   *
   * @return this view
   * @throws VxlanFormatException if it is not IPv6 with ICMPv6 type 135 or 136, if a length is
   *     wrong, or if an option has length zero (RFC 4861 §4.6: such a packet must be discarded)
   */
  public NeighborDiscoveryMessage wrap(ByteBuf buf, int offset, int length) {
    if (offset < 0
        || length < IPV6_HEADER_LENGTH + MESSAGE_LENGTH
        || offset > buf.writerIndex() - length) {
      throw new VxlanFormatException(
          "neighbor discovery message needs "
              + (IPV6_HEADER_LENGTH + MESSAGE_LENGTH)
              + " bytes, got "
              + length,
          offset);
    }
    if ((buf.getUnsignedByte(offset) >>> 4) != 6) {
      throw new VxlanFormatException(
          "IP version " + (buf.getUnsignedByte(offset) >>> 4) + ": must be 6", offset);
    }
    if (buf.getUnsignedByte(offset + 6) != ICMPV6) {
      throw new VxlanFormatException(
          "next header " + buf.getUnsignedByte(offset + 6) + ": must be 58 (ICMPv6)", offset + 6);
    }
    int payload = buf.getUnsignedShort(offset + 4);
    if (payload < MESSAGE_LENGTH || payload > length - IPV6_HEADER_LENGTH) {
      throw new VxlanFormatException(
          "IPv6 payload length "
              + payload
              + ": must be "
              + MESSAGE_LENGTH
              + ".."
              + (length - IPV6_HEADER_LENGTH),
          offset + 4);
    }
    int icmpAt = offset + IPV6_HEADER_LENGTH;
    int type = buf.getUnsignedByte(icmpAt);
    if (type != NEIGHBOR_SOLICITATION && type != NEIGHBOR_ADVERTISEMENT) {
      throw new VxlanFormatException("ICMPv6 type " + type + ": must be 135 or 136", icmpAt);
    }
    int wanted =
        type == NEIGHBOR_SOLICITATION ? OPTION_SOURCE_LINK_LAYER : OPTION_TARGET_LINK_LAYER;
    int found = -1;
    int at = icmpAt + MESSAGE_LENGTH;
    int end = icmpAt + payload;
    while (at < end) {
      if (at + 2 > end) {
        throw new VxlanFormatException("ND option header cut short", at);
      }
      int units = buf.getUnsignedByte(at + 1);
      if (units == 0) {
        throw new VxlanFormatException("ND option length 0: must be at least 1", at + 1);
      }
      if (at + units * 8 > end) {
        throw new VxlanFormatException(
            "ND option length " + units * 8 + " runs past the message end " + end, at + 1);
      }
      if (buf.getUnsignedByte(at) == wanted && units == 1 && found < 0) {
        found = at + 2;
      }
      at += units * 8;
    }
    this.buf = buf;
    this.ip = offset;
    this.icmp = icmpAt;
    this.icmpLength = payload;
    this.linkLayerOption = found;
    return this;
  }

  /** Returns the ICMPv6 type: {@link #NEIGHBOR_SOLICITATION} or {@link #NEIGHBOR_ADVERTISEMENT}. */
  public int type() {
    return buf.getUnsignedByte(icmp);
  }

  /** Returns whether this is a Neighbor Solicitation. */
  public boolean isSolicitation() {
    return type() == NEIGHBOR_SOLICITATION;
  }

  /** Returns the IPv6 hop limit; RFC 4861 §7.1 requires 255. */
  public int hopLimit() {
    return buf.getUnsignedByte(ip + 7);
  }

  /** Returns the high 64 bits of the IPv6 source address. */
  public long sourceHigh() {
    return buf.getLong(ip + 8);
  }

  /** Returns the low 64 bits of the IPv6 source address. */
  public long sourceLow() {
    return buf.getLong(ip + 16);
  }

  /** Returns the high 64 bits of the IPv6 destination address. */
  public long destinationHigh() {
    return buf.getLong(ip + 24);
  }

  /** Returns the low 64 bits of the IPv6 destination address. */
  public long destinationLow() {
    return buf.getLong(ip + 32);
  }

  /** Returns the high 64 bits of the target address. */
  public long targetHigh() {
    return buf.getLong(icmp + 8);
  }

  /** Returns the low 64 bits of the target address. */
  public long targetLow() {
    return buf.getLong(icmp + 16);
  }

  /** NA: returns the Router flag. */
  public boolean isRouter() {
    return !isSolicitation() && (buf.getUnsignedByte(icmp + 4) & FLAG_ROUTER) != 0;
  }

  /** NA: returns the Solicited flag. */
  public boolean isSolicited() {
    return !isSolicitation() && (buf.getUnsignedByte(icmp + 4) & FLAG_SOLICITED) != 0;
  }

  /** NA: returns the Override flag. */
  public boolean isOverride() {
    return !isSolicitation() && (buf.getUnsignedByte(icmp + 4) & FLAG_OVERRIDE) != 0;
  }

  /** Returns whether the source (NS) or target (NA) link-layer address option is present. */
  public boolean hasLinkLayerAddress() {
    return linkLayerOption >= 0;
  }

  /**
   * Returns the Ethernet address of the link-layer address option.
   *
   * @throws IllegalStateException if {@link #hasLinkLayerAddress()} is false
   */
  public long linkLayerAddress() {
    if (linkLayerOption < 0) {
      throw new IllegalStateException("no link-layer address option");
    }
    return EthernetFrame.readMac(buf, linkLayerOption);
  }

  /**
   * Returns whether the ICMPv6 checksum (RFC 4443 §2.3, over the RFC 8200 §8.1 pseudo-header) is
   * right.
   */
  public boolean isChecksumValid() {
    long sum = InternetChecksum.sum(buf, ip + 8, 32, 0);
    sum = InternetChecksum.add(sum, icmpLength);
    sum = InternetChecksum.add(sum, ICMPV6);
    sum = InternetChecksum.sum(buf, icmp, icmpLength, sum);
    return InternetChecksum.fold(sum) == 0xFFFF;
  }

  @Override
  public String toString() {
    if (buf.capacity() == 0) {
      return "NeighborDiscoveryMessage[unwrapped]";
    }
    StringBuilder sb = new StringBuilder(isSolicitation() ? "NS who-has " : "NA ");
    Addresses.appendIpv6(sb, targetHigh(), targetLow());
    if (hasLinkLayerAddress()) {
      sb.append(isSolicitation() ? " from " : " is-at ");
      Addresses.appendMac(sb, linkLayerAddress());
    }
    return sb.toString();
  }
}
