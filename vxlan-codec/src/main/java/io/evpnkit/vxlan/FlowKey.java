package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * The flow of an inner Ethernet frame, read without allocation: MAC addresses and EtherType, and
 * when the frame carries IPv4 or IPv6 the addresses, protocol, ports (TCP, UDP, SCTP, unfragmented
 * only) and traffic class. Its {@link #hash()} is the entropy RFC 7348 §5 asks for in the outer UDP
 * source port, so that ECMP in the underlay keeps a flow on one path and spreads different flows.
 *
 * <p>{@link #wrap} never fails: a frame too short or malformed for a layer keeps the fields of the
 * layers before it. The MAC getters (and the hash of a non-IP frame) read the frame again, so they
 * are valid while it is. Not thread-safe; one instance per thread, re-wrapped per frame.
 *
 * @since 0.1
 */
public final class FlowKey {
  private static final int PROTO_TCP = 6;
  private static final int PROTO_UDP = 17;
  private static final int PROTO_SCTP = 132;
  private static final int MAX_IPV6_EXTENSIONS = 4;

  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int frameOffset = -1;
  private int etherType;
  private int ipVersion;
  private int trafficClass = -1;
  private int protocol;
  private long sourceHigh;
  private long sourceLow;
  private long destinationHigh;
  private long destinationLow;
  private int sourcePort;
  private int destinationPort;
  private int ipOffset = -1;

  /** Creates an unwrapped view. */
  public FlowKey() {}

  /**
   * Reads the flow of the Ethernet frame {@code [offset, offset + length)}; indexes are not moved.
   *
   * @return this key
   */
  public FlowKey wrap(ByteBuf buf, int offset, int length) {
    clear();
    if (offset < 0 || length < EthernetFrame.HEADER_LENGTH || offset > buf.writerIndex() - length) {
      return this;
    }
    int end = offset + length;
    this.buf = buf;
    this.frameOffset = offset;
    int typeAt = offset + 12;
    int type = buf.getUnsignedShort(typeAt);
    for (int tags = 0;
        tags < EthernetFrame.MAX_TAGS && EthernetFrame.isTagProtocol(type) && typeAt + 6 <= end;
        tags++) {
      typeAt += EthernetFrame.TAG_LENGTH;
      type = buf.getUnsignedShort(typeAt);
    }
    etherType = type;
    int l3 = typeAt + 2;
    if (type == EthernetFrame.ETHERTYPE_IPV4) {
      readIpv4(buf, l3, end);
    } else if (type == EthernetFrame.ETHERTYPE_IPV6) {
      readIpv6(buf, l3, end);
    }
    return this;
  }

  private void clear() {
    frameOffset = -1;
    etherType = 0;
    ipVersion = 0;
    trafficClass = -1;
    protocol = 0;
    sourceHigh = 0;
    sourceLow = 0;
    destinationHigh = 0;
    destinationLow = 0;
    sourcePort = 0;
    destinationPort = 0;
    ipOffset = -1;
  }

  /**
   * Reads the flow of a bare IPv4 or IPv6 packet {@code [offset, offset + length)} (a VXLAN-GPE
   * payload without Ethernet); the MAC fields and EtherType are zero.
   *
   * @return this key
   */
  public FlowKey wrapIp(ByteBuf buf, int offset, int length) {
    clear();
    if (offset < 0 || length < 1 || offset > buf.writerIndex() - length) {
      return this;
    }
    int version = buf.getUnsignedByte(offset) >>> 4;
    if (version == 4) {
      readIpv4(buf, offset, offset + length);
    } else if (version == 6) {
      readIpv6(buf, offset, offset + length);
    }
    return this;
  }

  private void readIpv4(ByteBuf buf, int at, int end) {
    if (at + 20 > end) {
      return;
    }
    int w0 = buf.getInt(at);
    if ((w0 >>> 28) != 4) {
      return;
    }
    int ihl = ((w0 >>> 24) & 0xF) * 4;
    long w12 = buf.getLong(at + 4);
    int w1 = (int) (w12 >>> 32);
    int w2 = (int) w12;
    long addresses = buf.getLong(at + 12);
    ipVersion = 4;
    ipOffset = at;
    trafficClass = (w0 >>> 16) & 0xFF;
    protocol = (w2 >>> 16) & 0xFF;
    sourceLow = addresses >>> 32;
    destinationLow = addresses & 0xFFFF_FFFFL;
    boolean fragment = (w1 & 0x3FFF) != 0;
    if (!fragment && ihl >= 20) {
      readPorts(buf, at + ihl, end);
    }
  }

  private void readIpv6(ByteBuf buf, int at, int end) {
    if (at + 40 > end || (buf.getUnsignedByte(at) >>> 4) != 6) {
      return;
    }
    ipVersion = 6;
    ipOffset = at;
    trafficClass = (buf.getUnsignedShort(at) >>> 4) & 0xFF;
    sourceHigh = buf.getLong(at + 8);
    sourceLow = buf.getLong(at + 16);
    destinationHigh = buf.getLong(at + 24);
    destinationLow = buf.getLong(at + 32);
    int next = buf.getUnsignedByte(at + 6);
    int p = at + 40;
    for (int i = 0; i < MAX_IPV6_EXTENSIONS && (next == 0 || next == 43 || next == 60); i++) {
      if (p + 8 > end) {
        protocol = next;
        return;
      }
      int len = (buf.getUnsignedByte(p + 1) + 1) * 8;
      next = buf.getUnsignedByte(p);
      p += len;
    }
    protocol = next;
    readPorts(buf, p, end);
  }

  private void readPorts(ByteBuf buf, int at, int end) {
    if ((protocol == PROTO_TCP || protocol == PROTO_UDP || protocol == PROTO_SCTP)
        && at + 4 <= end) {
      int ports = buf.getInt(at);
      sourcePort = ports >>> 16;
      destinationPort = ports & 0xFFFF;
    }
  }

  /** Returns the inner source MAC address (read from the frame; 0 without an Ethernet header). */
  public long sourceMac() {
    return frameOffset < 0 ? 0 : EthernetFrame.readMac(buf, frameOffset + 6);
  }

  /**
   * Returns the inner destination MAC address (read from the frame; 0 without an Ethernet header).
   */
  public long destinationMac() {
    return frameOffset < 0 ? 0 : EthernetFrame.readMac(buf, frameOffset);
  }

  /** Returns the EtherType after up to two VLAN tags, or 0 for a frame shorter than 14 bytes. */
  public int etherType() {
    return etherType;
  }

  /** Returns 4 or 6 when the frame carries a readable IP header, else 0. */
  public int ipVersion() {
    return ipVersion;
  }

  /** Returns the absolute index of the inner IP header, or -1 when {@link #ipVersion()} is 0. */
  public int ipOffset() {
    return ipOffset;
  }

  /** Returns the IPv4 TOS or IPv6 Traffic Class octet (DSCP and ECN), or -1 when not IP. */
  public int trafficClass() {
    return trafficClass;
  }

  /** Returns the IP protocol (IPv4) or last next header (IPv6), or 0. */
  public int protocol() {
    return protocol;
  }

  /** Returns the IPv4 source address, or 0 when not IPv4. */
  public int sourceIpv4() {
    return ipVersion == 4 ? (int) sourceLow : 0;
  }

  /** Returns the IPv4 destination address, or 0 when not IPv4. */
  public int destinationIpv4() {
    return ipVersion == 4 ? (int) destinationLow : 0;
  }

  /** Returns the high 64 bits of the IPv6 source address, or 0. */
  public long sourceIpv6High() {
    return sourceHigh;
  }

  /** Returns the low 64 bits of the IPv6 source address (the IPv4 address when IPv4), or 0. */
  public long sourceIpv6Low() {
    return sourceLow;
  }

  /** Returns the high 64 bits of the IPv6 destination address, or 0. */
  public long destinationIpv6High() {
    return destinationHigh;
  }

  /** Returns the low 64 bits of the IPv6 destination address (the IPv4 address when IPv4), or 0. */
  public long destinationIpv6Low() {
    return destinationLow;
  }

  /** Returns the transport source port, or 0. */
  public int sourcePort() {
    return sourcePort;
  }

  /** Returns the transport destination port, or 0. */
  public int destinationPort() {
    return destinationPort;
  }

  /**
   * Returns a 32-bit hash of the flow: of addresses, protocol and ports when the frame is IP, else
   * of the MAC addresses and EtherType. Stable across runs and JVMs.
   */
  public int hash() {
    long h = 0x243F_6A88_85A3_08D3L;
    long transport = ((long) protocol << 32) | ((long) sourcePort << 16) | destinationPort;
    if (ipVersion == 4) {
      h = mix(h, (sourceLow << 32) | destinationLow);
      h = mix(h, transport);
    } else if (ipVersion == 6) {
      h = mix(h, sourceHigh);
      h = mix(h, sourceLow);
      h = mix(h, destinationHigh);
      h = mix(h, destinationLow);
      h = mix(h, transport);
    } else if (frameOffset >= 0) {
      h = mix(h, buf.getLong(frameOffset));
      h = mix(h, ((long) buf.getInt(frameOffset + 8) << 16) | etherType);
    }
    h ^= h >>> 33;
    h *= 0xFF51_AFD7_ED55_8CCDL;
    h ^= h >>> 33;
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long h, long v) {
    long x = (h ^ v) * 0x9E37_79B9_7F4A_7C15L;
    return x ^ (x >>> 29);
  }

  /**
   * Maps a hash uniformly onto the port range {@code [min, max]} (RFC 7348 §5 recommends
   * 49152..65535).
   */
  public static int sourcePort(int hash, int min, int max) {
    return min + (int) (((hash & 0xFFFF_FFFFL) * (max - min + 1)) >>> 32);
  }
}
