package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * The outer headers toward one remote VTEP: immutable, thread-safe, built once and used for every
 * packet sent to that VTEP by a {@link VxlanEncapsulator}.
 *
 * <p>Layout written in front of the inner frame (RFC 7348 §5):
 *
 * <pre>
 * outer Ethernet (14, or 18 with an 802.1Q tag) | IPv4 (20) or IPv6 (40) | UDP (8) | VXLAN (8) | inner frame
 * </pre>
 *
 * Everything that does not change per packet is rendered once into a template; per packet the
 * encapsulator only patches lengths, the source port, DSCP/ECN, the VNI and checksums.
 *
 * <p>Defaults: TTL/hop limit 64, DSCP 0, {@link EcnMode#NORMAL}, DF set (RFC 7348 §4.3: VTEPs must
 * not fragment), destination port 4789 (4790 for GPE), source ports 49152..65535 (RFC 7348 §5), an
 * IPv6 UDP checksum computed unless {@link Builder#ipv6ZeroChecksum(boolean)} allows zero (RFC 6935
 * §5, RFC 6936), IPv6 flow label from the inner flow hash (RFC 6438).
 *
 * @since 0.1
 */
public final class VxlanTunnel {
  /** DSCP value meaning "copy the inner packet's DSCP" (see {@link Builder#inheritDscp()}). */
  public static final int INHERIT_DSCP = -1;

  static final int ETHERNET_LENGTH = 14;

  /** The longest header a tunnel writes: Ethernet with a tag, IPv6, UDP, VXLAN. */
  static final int MAX_HEADER_LENGTH = 18 + 40 + 8 + 8;

  static final int IPV4_LENGTH = 20;
  static final int IPV6_LENGTH = 40;
  static final int UDP_LENGTH = 8;
  static final int IP_PROTO_UDP = 17;

  private final byte[] template;
  private final int ipOffset;
  private final int udpOffset;
  private final int vxlanOffset;
  private final boolean ipv6;
  private final long ipv4TemplateSum;
  private final long ipv6PseudoSum;
  private final int dscp;
  private final EcnMode ecnMode;
  private final boolean dontFragment;
  private final boolean ipv6ZeroChecksum;
  private final boolean ipv6FlowLabel;
  private final int sourcePortMin;
  private final int sourcePortMax;
  private final int payloadProtocol;
  private final int destinationPort;
  private final String description;

  private VxlanTunnel(Builder b) {
    if (b.source == null || b.destination == null) {
      throw new IllegalStateException("a tunnel needs a source and a destination IP address");
    }
    if (b.source.length != b.destination.length) {
      throw new IllegalStateException("source and destination must both be IPv4 or both be IPv6");
    }
    this.ipv6 = b.source.length == 16;
    this.dscp = b.dscp;
    this.ecnMode = b.ecnMode;
    this.dontFragment = b.dontFragment;
    this.ipv6ZeroChecksum = b.ipv6ZeroChecksum;
    this.ipv6FlowLabel = b.ipv6FlowLabel;
    this.sourcePortMin = b.sourcePortMin;
    this.sourcePortMax = b.sourcePortMax;
    this.destinationPort = b.destinationPort;
    int ethLength = ETHERNET_LENGTH + (b.vlanId >= 0 ? EthernetFrame.TAG_LENGTH : 0);
    this.ipOffset = ethLength;
    this.udpOffset = ipOffset + (ipv6 ? IPV6_LENGTH : IPV4_LENGTH);
    this.vxlanOffset = udpOffset + UDP_LENGTH;
    int length = vxlanOffset + VxlanHeader.LENGTH;
    ByteBuf t = Unpooled.buffer(length, length);
    t.writerIndex(length);
    EthernetFrame.writeMac(t, 0, b.destinationMac);
    EthernetFrame.writeMac(t, 6, b.sourceMac);
    int typeAt = 12;
    if (b.vlanId >= 0) {
      t.setShort(12, EthernetFrame.TPID_8021Q);
      t.setShort(14, (b.vlanPriority << 13) | b.vlanId);
      typeAt = 16;
    }
    t.setShort(typeAt, ipv6 ? EthernetFrame.ETHERTYPE_IPV6 : EthernetFrame.ETHERTYPE_IPV4);
    if (ipv6) {
      t.setInt(ipOffset, 6 << 28);
      t.setByte(ipOffset + 6, IP_PROTO_UDP);
      t.setByte(ipOffset + 7, b.ttl);
      t.setBytes(ipOffset + 8, b.source);
      t.setBytes(ipOffset + 24, b.destination);
      long pseudo = InternetChecksum.sum(t, ipOffset + 8, 32, 0);
      this.ipv6PseudoSum = InternetChecksum.add(pseudo, IP_PROTO_UDP);
      this.ipv4TemplateSum = 0;
    } else {
      t.setByte(ipOffset, 0x45);
      t.setShort(ipOffset + 6, b.dontFragment ? 0x4000 : 0);
      t.setByte(ipOffset + 8, b.ttl);
      t.setByte(ipOffset + 9, IP_PROTO_UDP);
      t.setBytes(ipOffset + 12, b.source);
      t.setBytes(ipOffset + 16, b.destination);
      this.ipv4TemplateSum = InternetChecksum.sum(t, ipOffset, IPV4_LENGTH, 0);
      this.ipv6PseudoSum = 0;
    }
    t.setShort(udpOffset + 2, b.destinationPort);
    this.payloadProtocol =
        switch (b.format) {
          case GBP -> {
            VxlanHeader.writeGbp(t, vxlanOffset, 0, b.groupPolicyId, b.dontLearn, b.policyApplied);
            yield VxlanHeader.GPE_NEXT_ETHERNET;
          }
          case GPE -> {
            VxlanHeader.writeGpe(t, vxlanOffset, 0, b.nextProtocol, false, false);
            yield b.nextProtocol;
          }
          case VXLAN -> {
            VxlanHeader.writeVxlan(t, vxlanOffset, 0);
            yield VxlanHeader.GPE_NEXT_ETHERNET;
          }
        };
    this.template = new byte[length];
    t.getBytes(0, template);
    StringBuilder d = new StringBuilder("VxlanTunnel[");
    appendIp(d, b.source).append(" -> ");
    appendIp(d, b.destination)
        .append(", ")
        .append(b.format)
        .append(", port ")
        .append(b.destinationPort);
    if (b.vlanId >= 0) {
      d.append(", vlan ").append(b.vlanId);
    }
    this.description = d.append(']').toString();
  }

  private static StringBuilder appendIp(StringBuilder sb, byte[] ip) {
    return ip.length == 4
        ? Addresses.appendIpv4(sb, Addresses.ipv4(ip))
        : Addresses.appendIpv6(sb, Addresses.ipv6High(ip), Addresses.ipv6Low(ip));
  }

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the number of bytes written in front of the inner frame: the headroom a frame needs.
   */
  public int headerLength() {
    return template.length;
  }

  /** Returns whether the underlay is IPv6. */
  public boolean isIpv6() {
    return ipv6;
  }

  /** Returns the offset of the outer IP header from the start of the outer frame. */
  public int ipOffset() {
    return ipOffset;
  }

  /** Returns the offset of the VXLAN header from the start of the outer frame. */
  public int vxlanOffset() {
    return vxlanOffset;
  }

  byte[] template() {
    return template;
  }

  int udpOffset() {
    return udpOffset;
  }

  long ipv4TemplateSum() {
    return ipv4TemplateSum;
  }

  long ipv6PseudoSum() {
    return ipv6PseudoSum;
  }

  int dscp() {
    return dscp;
  }

  EcnMode ecnMode() {
    return ecnMode;
  }

  boolean dontFragment() {
    return dontFragment;
  }

  boolean ipv6ZeroChecksum() {
    return ipv6ZeroChecksum;
  }

  boolean ipv6FlowLabel() {
    return ipv6FlowLabel;
  }

  int destinationPort() {
    return destinationPort;
  }

  int sourcePortMin() {
    return sourcePortMin;
  }

  int sourcePortMax() {
    return sourcePortMax;
  }

  /**
   * Returns the payload protocol: {@link VxlanHeader#GPE_NEXT_ETHERNET} unless a GPE tunnel says
   * else.
   */
  public int payloadProtocol() {
    return payloadProtocol;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof VxlanTunnel t)) {
      return false;
    }
    return Arrays.equals(template, t.template)
        && dscp == t.dscp
        && ecnMode == t.ecnMode
        && ipv6ZeroChecksum == t.ipv6ZeroChecksum
        && ipv6FlowLabel == t.ipv6FlowLabel
        && sourcePortMin == t.sourcePortMin
        && sourcePortMax == t.sourcePortMax;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(template) * 31 + dscp;
  }

  @Override
  public String toString() {
    return description;
  }

  /**
   * Builds a {@link VxlanTunnel}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private long sourceMac;
    private long destinationMac;
    private int vlanId = -1;
    private int vlanPriority;
    private byte @org.jspecify.annotations.Nullable [] source;
    private byte @org.jspecify.annotations.Nullable [] destination;
    private int ttl = 64;
    private int dscp;
    private EcnMode ecnMode = EcnMode.NORMAL;
    private boolean dontFragment = true;
    private int destinationPort = -1;
    private int sourcePortMin = 49152;
    private int sourcePortMax = 65535;
    private boolean ipv6ZeroChecksum;
    private boolean ipv6FlowLabel = true;
    private HeaderFormat format = HeaderFormat.VXLAN;
    private int groupPolicyId;
    private boolean dontLearn;
    private boolean policyApplied;
    private int nextProtocol = VxlanHeader.GPE_NEXT_ETHERNET;

    private Builder() {}

    /** Sets the outer source MAC (this VTEP's interface). */
    public Builder sourceMac(long mac) {
      this.sourceMac = mac & 0xFFFF_FFFF_FFFFL;
      return this;
    }

    /** Sets the outer source MAC from text. */
    public Builder sourceMac(String mac) {
      return sourceMac(Addresses.parseMac(mac));
    }

    /** Sets the outer destination MAC (the underlay next hop). */
    public Builder destinationMac(long mac) {
      this.destinationMac = mac & 0xFFFF_FFFF_FFFFL;
      return this;
    }

    /** Sets the outer destination MAC from text. */
    public Builder destinationMac(String mac) {
      return destinationMac(Addresses.parseMac(mac));
    }

    /** Adds an 802.1Q tag to the outer Ethernet header. */
    public Builder vlan(int vlanId, int priority) {
      if (vlanId < 0 || vlanId > 4095) {
        throw new IllegalArgumentException("VLAN ID " + vlanId + " out of range 0..4095");
      }
      if (priority < 0 || priority > 7) {
        throw new IllegalArgumentException("priority " + priority + " out of range 0..7");
      }
      this.vlanId = vlanId;
      this.vlanPriority = priority;
      return this;
    }

    /** Sets the outer source IP (the local VTEP address), IPv4 or IPv6 literal. */
    public Builder source(String ip) {
      this.source = Addresses.parseIp(ip);
      return this;
    }

    /** Sets the outer destination IP (the remote VTEP address), IPv4 or IPv6 literal. */
    public Builder destination(String ip) {
      this.destination = Addresses.parseIp(ip);
      return this;
    }

    /** Sets the outer source IP from 4 or 16 network-order bytes (copied). */
    public Builder source(byte[] ip) {
      this.source = checkIp(ip);
      return this;
    }

    /** Sets the outer destination IP from 4 or 16 network-order bytes (copied). */
    public Builder destination(byte[] ip) {
      this.destination = checkIp(ip);
      return this;
    }

    private static byte[] checkIp(byte[] ip) {
      if (ip.length != 4 && ip.length != 16) {
        throw new IllegalArgumentException("IP address needs 4 or 16 bytes, got " + ip.length);
      }
      return ip.clone();
    }

    /** Sets the IPv4 TTL or IPv6 hop limit, 1..255. */
    public Builder ttl(int ttl) {
      if (ttl < 1 || ttl > 255) {
        throw new IllegalArgumentException("TTL " + ttl + " out of range 1..255");
      }
      this.ttl = ttl;
      return this;
    }

    /** Sets a fixed outer DSCP, 0..63. */
    public Builder dscp(int dscp) {
      if (dscp < 0 || dscp > 63) {
        throw new IllegalArgumentException("DSCP " + dscp + " out of range 0..63");
      }
      this.dscp = dscp;
      return this;
    }

    /** Copies the inner IP packet's DSCP to the outer header (0 when the inner is not IP). */
    public Builder inheritDscp() {
      this.dscp = INHERIT_DSCP;
      return this;
    }

    /** Sets the ECN mode, RFC 6040 §4.1. */
    public Builder ecnMode(EcnMode mode) {
      this.ecnMode = mode;
      return this;
    }

    /** Sets or clears the IPv4 Don't Fragment bit (ignored for IPv6). */
    public Builder dontFragment(boolean dontFragment) {
      this.dontFragment = dontFragment;
      return this;
    }

    /** Sets the UDP destination port (default 4789, or 4790 for GPE). */
    public Builder destinationPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " out of range 1..65535");
      }
      this.destinationPort = port;
      return this;
    }

    /** Sets the range of UDP source ports that the flow hash is mapped onto. */
    public Builder sourcePortRange(int min, int max) {
      if (min < 1 || max > 65535 || min > max) {
        throw new IllegalArgumentException(
            "source port range " + min + ".." + max + " is not within 1..65535");
      }
      this.sourcePortMin = min;
      this.sourcePortMax = max;
      return this;
    }

    /**
     * Allows a zero UDP checksum over IPv6 (RFC 6935 §5; the receiver must be configured for it).
     */
    public Builder ipv6ZeroChecksum(boolean zero) {
      this.ipv6ZeroChecksum = zero;
      return this;
    }

    /** Sets whether the IPv6 flow label carries the inner flow hash (RFC 6438); default true. */
    public Builder ipv6FlowLabel(boolean flowLabel) {
      this.ipv6FlowLabel = flowLabel;
      return this;
    }

    /** Uses the Group Based Policy header with this Group Policy ID and D/A flags. */
    public Builder groupPolicy(int groupPolicyId, boolean dontLearn, boolean policyApplied) {
      if (groupPolicyId < 0 || groupPolicyId > 0xFFFF) {
        throw new IllegalArgumentException(
            "Group Policy ID " + groupPolicyId + " out of range 0..65535");
      }
      this.format = HeaderFormat.GBP;
      this.groupPolicyId = groupPolicyId;
      this.dontLearn = dontLearn;
      this.policyApplied = policyApplied;
      return this;
    }

    /** Uses the VXLAN-GPE header with this next protocol (port 4790 unless set otherwise). */
    public Builder gpe(int nextProtocol) {
      if (nextProtocol < 0 || nextProtocol > 255) {
        throw new IllegalArgumentException(
            "Next Protocol " + nextProtocol + " out of range 0..255");
      }
      this.format = HeaderFormat.GPE;
      this.nextProtocol = nextProtocol;
      return this;
    }

    /**
     * Builds the tunnel.
     *
     * @throws IllegalStateException if the addresses are missing or of different families
     */
    public VxlanTunnel build() {
      if (destinationPort < 0) {
        destinationPort =
            format == HeaderFormat.GPE ? VxlanHeader.GPE_UDP_PORT : VxlanHeader.UDP_PORT;
      }
      return new VxlanTunnel(this);
    }
  }
}
