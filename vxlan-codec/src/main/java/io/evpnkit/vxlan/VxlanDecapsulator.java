package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Validates and decapsulates VXLAN packets without copying or allocating: outer Ethernet with up to
 * two VLAN tags, IPv4 (with options) or IPv6 (skipping extension headers), UDP, and the VXLAN
 * header (RFC 7348 §5; GBP and GPE per {@link DecapsulatorConfig}). Every reason not to deliver is
 * a {@link DropReason} with an offset and a counter, never an exception.
 *
 * <p>Three entry points follow what an integrator receives: a whole Ethernet frame ({@link
 * #decapsulate}), an IP packet from a raw socket or a cooked capture ({@link #decapsulateIp}), or a
 * UDP payload from a datagram socket ({@link #decapsulatePayload}). None moves the buffer's
 * indexes, retains or releases it. The only write is the RFC 6040 §4.2 ECN update of the inner IP
 * header when {@link DecapsulatorConfig#applyEcn()} is on and the outer header carries CE (or
 * ECT(1) over ECT(0)).
 *
 * <p>Not thread-safe: one decapsulator per thread (with assertions enabled, {@code -ea}, a call
 * from a thread other than the first one's throws {@link IllegalStateException}). It returns the
 * same {@link Decapsulation} each call.
 *
 * @since 0.1
 */
@SuppressWarnings(
    "EnumOrdinal") // drop reasons index counters and warning bits: no EnumMap per packet
public final class VxlanDecapsulator {
  private static final int IP_PROTO_UDP = 17;
  private static final int MAX_IPV6_EXTENSION_HEADERS = 8;
  private static final int ECN_CE = 3;
  private static final int ECN_ECT1 = 1;
  private static final int ECN_ECT0 = 2;

  private final DecapsulatorConfig config;
  private final Decapsulation result = new Decapsulation();
  private final FlowKey inner = new FlowKey();
  private final ByteWindow w = new ByteWindow();
  private final long[] drops = new long[DropReason.values().length];
  private long accepted;

  /** Creates a decapsulator with {@link DecapsulatorConfig#defaults()}. */
  public VxlanDecapsulator() {
    this(DecapsulatorConfig.defaults());
  }

  /** Creates a decapsulator with the given configuration. */
  public VxlanDecapsulator(DecapsulatorConfig config) {
    this.config = config;
  }

  /** Returns the configuration. */
  public DecapsulatorConfig config() {
    return config;
  }

  private @Nullable Thread owner; // the thread of the first call (checked with assertions on only)

  /** The one-thread rule, checked under {@code assert} (free without {@code -ea}). */
  private boolean oneThread() {
    Thread t = Thread.currentThread();
    Thread o = owner;
    if (o == null) {
      owner = t;
    } else if (o != t) {
      throw new IllegalStateException(
          "VxlanDecapsulator is one per thread: first used on \""
              + o.getName()
              + "\", now on \""
              + t.getName()
              + "\"");
    }
    return true;
  }

  /**
   * Decapsulates the Ethernet frame held in the readable bytes of {@code packet}.
   *
   * @return the reused result, valid until the next call
   */
  public Decapsulation decapsulate(ByteBuf packet) {
    assert oneThread();
    int start = packet.readerIndex();
    int end = packet.writerIndex();
    Decapsulation r = result;
    r.reset(packet, start);
    w.load(packet, start, end);
    if (end - start < EthernetFrame.HEADER_LENGTH) {
      return drop(DropReason.TRUNCATED_ETHERNET, end);
    }
    r.hasEthernet = true;
    int typeAt = start + 12;
    int type = w.getUnsignedShort(typeAt);
    while (EthernetFrame.isTagProtocol(type)) {
      if (r.vlanCount == EthernetFrame.MAX_TAGS) {
        return drop(DropReason.TOO_MANY_VLAN_TAGS, typeAt);
      }
      if (typeAt + EthernetFrame.TAG_LENGTH + 2 > end) {
        return drop(DropReason.TRUNCATED_ETHERNET, typeAt);
      }
      int vid = w.getUnsignedShort(typeAt + 2) & 0x0FFF;
      if (r.vlanCount == 0) {
        r.vlan0 = vid;
      } else {
        r.vlan1 = vid;
      }
      r.vlanCount++;
      typeAt += EthernetFrame.TAG_LENGTH;
      type = w.getUnsignedShort(typeAt);
    }
    if (type == EthernetFrame.ETHERTYPE_IPV4) {
      return ipv4(packet, typeAt + 2, end);
    }
    if (type == EthernetFrame.ETHERTYPE_IPV6) {
      return ipv6(packet, typeAt + 2, end);
    }
    return drop(DropReason.NOT_IP, typeAt);
  }

  /**
   * Decapsulates the IPv4 or IPv6 packet held in the readable bytes of {@code packet} (no outer
   * Ethernet).
   *
   * @return the reused result, valid until the next call
   */
  public Decapsulation decapsulateIp(ByteBuf packet) {
    int start = packet.readerIndex();
    int end = packet.writerIndex();
    result.reset(packet, start);
    w.load(packet, start, end);
    if (end - start < 1) {
      return drop(DropReason.TRUNCATED_IP_HEADER, start);
    }
    int version = w.getUnsignedByte(start) >>> 4;
    if (version == 4) {
      return ipv4(packet, start, end);
    }
    if (version == 6) {
      return ipv6(packet, start, end);
    }
    return drop(DropReason.BAD_IP_VERSION, start);
  }

  /**
   * Decapsulates a UDP payload (VXLAN header and inner frame) received on UDP port {@code port}, as
   * a datagram socket delivers it; the port selects the header format as configured.
   *
   * @return the reused result, valid until the next call
   */
  public Decapsulation decapsulatePayload(ByteBuf payload, int port) {
    int start = payload.readerIndex();
    result.reset(payload, start);
    w.load(payload, start, payload.writerIndex());
    result.destinationPort = port;
    HeaderFormat format = config.formatForPort(port);
    if (format == null) {
      return drop(DropReason.NOT_VXLAN_PORT, start);
    }
    return vxlan(payload, start, payload.writerIndex(), format);
  }

  private Decapsulation ipv4(ByteBuf p, int ip, int end) {
    Decapsulation r = result;
    if (ip + 20 > end) {
      return drop(DropReason.TRUNCATED_IP_HEADER, Math.min(ip, end));
    }
    // the fixed header as five words: each field is then taken from them, and so is the checksum
    int w0 = w.getInt(ip); // version, IHL, TOS, total length
    if ((w0 >>> 28) != 4) {
      return drop(DropReason.BAD_IP_VERSION, ip);
    }
    int ihl = ((w0 >>> 24) & 0xF) * 4;
    if (ihl < 20) {
      return drop(DropReason.BAD_IPV4_HEADER_LENGTH, ip);
    }
    if (ip + ihl > end) {
      return drop(DropReason.TRUNCATED_IP_HEADER, ip);
    }
    int total = w0 & 0xFFFF;
    if (total < ihl || ip + total > end) {
      return drop(DropReason.BAD_IP_LENGTH, ip + 2);
    }
    long w12 =
        w.getLong(ip + 4); // identification, flags, fragment offset | TTL, protocol, checksum
    int w1 = (int) (w12 >>> 32);
    int w2 = (int) w12;
    long addresses = w.getLong(ip + 12);
    r.ipVersion = 4;
    r.ipOffset = ip;
    r.trafficClass = (w0 >>> 16) & 0xFF;
    r.hopLimit = w2 >>> 24;
    boolean udp = ((w2 >>> 16) & 0xFF) == IP_PROTO_UDP;
    int fragment = w1 & 0x3FFF;
    if (config.verifyIpv4Checksum()) {
      long sum =
          (w0 & 0xFFFF_FFFFL)
              + (w1 & 0xFFFF_FFFFL)
              + (w2 & 0xFFFF_FFFFL)
              + (addresses >>> 32)
              + (addresses & 0xFFFF_FFFFL);
      if (ihl > 20) {
        sum = InternetChecksum.sum(p, ip + 20, ihl - 20, sum);
      }
      if (InternetChecksum.fold(sum) != 0xFFFF) {
        peekPorts(udp && (fragment & 0x1FFF) == 0, ip + ihl, ip + total);
        return drop(DropReason.BAD_IPV4_CHECKSUM, ip + 10);
      }
    }
    if (fragment != 0) {
      peekPorts(udp && (fragment & 0x1FFF) == 0, ip + ihl, ip + total);
      return drop(DropReason.FRAGMENT, ip + 6);
    }
    if (!udp) {
      return drop(DropReason.NOT_UDP, ip + 9);
    }
    return udp(p, ip + ihl, ip + total);
  }

  private Decapsulation ipv6(ByteBuf p, int ip, int end) {
    Decapsulation r = result;
    if (ip + 40 > end) {
      return drop(DropReason.TRUNCATED_IP_HEADER, Math.min(ip, end));
    }
    int word = w.getInt(ip);
    if ((word >>> 28) != 6) {
      return drop(DropReason.BAD_IP_VERSION, ip);
    }
    int payload = w.getUnsignedShort(ip + 4);
    int packetEnd = ip + 40 + payload;
    if (packetEnd > end) {
      return drop(DropReason.BAD_IP_LENGTH, ip + 4);
    }
    r.ipVersion = 6;
    r.ipOffset = ip;
    r.trafficClass = (word >>> 20) & 0xFF;
    r.hopLimit = w.getUnsignedByte(ip + 7);
    int nextAt = ip + 6;
    int next = w.getUnsignedByte(nextAt);
    int at = ip + 40;
    for (int n = 0; next != IP_PROTO_UDP; n++) {
      if (next != 0 && next != 43 && next != 60 && next != 44 && next != 51) {
        return drop(DropReason.NOT_UDP, nextAt);
      }
      if (n == MAX_IPV6_EXTENSION_HEADERS || at + 8 > packetEnd) {
        return drop(DropReason.BAD_IPV6_EXTENSION_HEADER, Math.min(at, packetEnd));
      }
      int length;
      if (next == 44) {
        int fragment = w.getUnsignedShort(at + 2);
        if ((fragment & 0xFFF9) != 0) {
          return drop(DropReason.FRAGMENT, at + 2);
        }
        length = 8; // an atomic fragment (RFC 6946) is processed as a whole packet
      } else if (next == 51) {
        length = (w.getUnsignedByte(at + 1) + 2) * 4;
      } else {
        length = (w.getUnsignedByte(at + 1) + 1) * 8;
      }
      if (at + length > packetEnd) {
        return drop(DropReason.BAD_IPV6_EXTENSION_HEADER, at + 1);
      }
      nextAt = at;
      next = w.getUnsignedByte(at);
      at += length;
    }
    return udp(p, at, packetEnd);
  }

  /**
   * Records the UDP ports of a packet dropped at the IP layer, for diagnostics (they may be
   * garbage).
   */
  private void peekPorts(boolean udp, int at, int end) {
    if (udp && at + 4 <= end) {
      result.sourcePort = w.getUnsignedShort(at);
      result.destinationPort = w.getUnsignedShort(at + 2);
    }
  }

  private Decapsulation udp(ByteBuf p, int udp, int ipEnd) {
    Decapsulation r = result;
    if (udp + 8 > ipEnd) {
      return drop(DropReason.TRUNCATED_UDP, Math.min(udp, ipEnd));
    }
    long header = w.getLong(udp);
    r.sourcePort = (int) (header >>> 48);
    r.destinationPort = (int) (header >>> 32) & 0xFFFF;
    int length = (int) (header >>> 16) & 0xFFFF;
    if (length < 8 || udp + length > ipEnd) {
      return drop(DropReason.BAD_UDP_LENGTH, udp + 4);
    }
    HeaderFormat format = config.formatForPort(r.destinationPort);
    if (format == null) {
      return drop(DropReason.NOT_VXLAN_PORT, udp + 2);
    }
    int checksum = (int) header & 0xFFFF;
    r.udpChecksum = checksum;
    if (checksum == 0) {
      if (r.ipVersion == 6 && !config.acceptIpv6ZeroChecksum()) {
        return drop(DropReason.ZERO_UDP_CHECKSUM, udp + 6);
      }
    } else if (config.verifyUdpChecksum() && !udpChecksumValid(p, udp, length)) {
      return drop(DropReason.BAD_UDP_CHECKSUM, udp + 6);
    }
    return vxlan(p, udp + 8, udp + length, format);
  }

  private boolean udpChecksumValid(ByteBuf p, int udp, int length) {
    Decapsulation r = result;
    long sum;
    if (r.ipVersion == 4) {
      sum = InternetChecksum.sum(p, r.ipOffset + 12, 8, 0);
    } else {
      sum = InternetChecksum.sum(p, r.ipOffset + 8, 32, 0);
    }
    sum = InternetChecksum.add(sum, IP_PROTO_UDP + length);
    sum = InternetChecksum.sum(p, udp, length, sum);
    return InternetChecksum.fold(sum) == 0xFFFF;
  }

  private Decapsulation vxlan(ByteBuf p, int at, int end, HeaderFormat format) {
    Decapsulation r = result;
    if (at + VxlanHeader.LENGTH > end) {
      return drop(DropReason.TRUNCATED_VXLAN, Math.min(at, end));
    }
    long raw = w.getLong(at);
    VxlanHeader h = r.header;
    h.wrapRead(p, at, raw);
    r.headerReached = true;
    r.format = format;
    boolean strict = config.validation() == Validation.STRICT;
    if ((raw & ((long) VxlanHeader.FLAG_I << 56)) == 0) {
      if (strict) {
        return drop(DropReason.I_FLAG_CLEAR, at);
      }
      r.warnings |= 1 << DropReason.I_FLAG_CLEAR.ordinal();
    }
    if (format == HeaderFormat.GPE && h.gpeVersion() != 0) {
      return drop(DropReason.UNSUPPORTED_GPE_VERSION, at);
    }
    long reserved = VxlanHeader.reservedBitsSet(raw, format);
    if (reserved != 0) {
      if (strict) {
        return drop(DropReason.RESERVED_BITS_SET, at + (Long.numberOfLeadingZeros(reserved) >>> 3));
      }
      r.warnings |= 1 << DropReason.RESERVED_BITS_SET.ordinal();
    }
    int innerAt = at + VxlanHeader.LENGTH;
    int innerLength = end - innerAt;
    int protocol = r.innerProtocol();
    if (protocol == VxlanHeader.GPE_NEXT_ETHERNET) {
      if (innerLength < EthernetFrame.HEADER_LENGTH) {
        return drop(DropReason.TRUNCATED_INNER_FRAME, innerAt);
      }
      // an inner VLAN tag must be whole, so that an accepted frame always wraps as an EthernetFrame
      int typeAt = innerAt + 12;
      for (int tags = 0;
          tags < EthernetFrame.MAX_TAGS && EthernetFrame.isTagProtocol(w.getUnsignedShort(typeAt));
          tags++) {
        if (typeAt + EthernetFrame.TAG_LENGTH + 2 > end) {
          return drop(DropReason.TRUNCATED_INNER_FRAME, typeAt);
        }
        typeAt += EthernetFrame.TAG_LENGTH;
      }
    }
    r.innerOffset = innerAt;
    r.innerLength = innerLength;
    int outerEcn = r.trafficClass & 3;
    if (config.applyEcn() && (outerEcn == ECN_CE || outerEcn == ECN_ECT1)) {
      DropReason ecn = applyEcn(p, outerEcn);
      if (ecn != null) {
        r.innerOffset = -1;
        return drop(
            ecn, ecn == DropReason.ECN_CE_ON_NOT_ECT ? r.ipOffset + 1 : inner.ipOffset() + 1);
      }
    }
    accepted++;
    return r;
  }

  /**
   * RFC 6040 §4.2; returns why the packet must be dropped, or {@code null}: CE over Not-ECT, or an
   * inner header that must change in a read-only buffer (this class copies nothing: a caller that
   * wants ECN applied passes a writable buffer, or turns {@link DecapsulatorConfig#applyEcn()}
   * off).
   */
  private @Nullable DropReason applyEcn(ByteBuf p, int outerEcn) {
    Decapsulation r = result;
    if (r.innerProtocol() == VxlanHeader.GPE_NEXT_ETHERNET) {
      inner.wrap(p, r.innerOffset, r.innerLength);
    } else {
      inner.wrapIp(p, r.innerOffset, r.innerLength);
    }
    int tc = inner.trafficClass();
    if (tc < 0) {
      return null; // not IP: nothing to propagate into
    }
    int innerEcn = tc & 3;
    int newEcn;
    if (outerEcn == ECN_CE) {
      if (innerEcn == 0) {
        return DropReason.ECN_CE_ON_NOT_ECT;
      }
      newEcn = ECN_CE;
    } else if (innerEcn == ECN_ECT0) {
      newEcn = ECN_ECT1;
    } else {
      return null;
    }
    if (newEcn == innerEcn) {
      return null;
    }
    if (p.isReadOnly()) {
      return DropReason.ECN_ON_READ_ONLY_BUFFER;
    }
    int ip = inner.ipOffset();
    int newTc = (tc & ~3) | newEcn;
    if (inner.ipVersion() == 4) {
      int oldWord = p.getUnsignedShort(ip);
      int newWord = (oldWord & 0xFF00) | newTc;
      p.setByte(ip + 1, newTc);
      // RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m')
      int hc = p.getUnsignedShort(ip + 10);
      long sum = (long) (~hc & 0xFFFF) + (~oldWord & 0xFFFF) + newWord;
      p.setShort(ip + 10, InternetChecksum.finish(sum));
    } else {
      int word = p.getInt(ip);
      p.setInt(ip, (word & 0xF00F_FFFF) | (newTc << 20));
    }
    return null;
  }

  private Decapsulation drop(DropReason reason, int absoluteOffset) {
    Decapsulation r = result;
    r.dropReason = reason;
    r.errorOffset = absoluteOffset - r.packetOffset;
    drops[reason.ordinal()]++;
    return r;
  }

  /** Returns how many packets were accepted. */
  public long accepted() {
    return accepted;
  }

  /** Returns how many packets were dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return drops[reason.ordinal()];
  }

  /** Returns how many packets were dropped for any reason. */
  public long dropped() {
    long total = 0;
    for (long d : drops) {
      total += d;
    }
    return total;
  }
}
