package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one {@link VxlanDecapsulator} call: either a drop reason with the offset of the
 * offending field, or the VXLAN header, the outer addresses and ports, and the position of the
 * inner frame. The decapsulator reuses one instance: its contents are valid until its next call,
 * and it reads the packet buffer, so the buffer must stay alive while it is read.
 *
 * <p><b>Ownership of the inner frame.</b> {@link #innerOffset()} and {@link #innerLength()} locate
 * the inner frame inside the caller's buffer (zero copy, zero allocation: wrap an {@link
 * EthernetFrame} there). {@link #retainedInnerFrame()} returns a retained slice instead, which the
 * caller must release; it keeps the packet's memory alive independently of the packet buffer's own
 * reference.
 *
 * <p>Offsets reported by {@link #errorOffset()} count from the start of the packet as passed in
 * (its reader index), so that they match a capture's byte positions.
 *
 * @since 0.1
 */
@SuppressWarnings(
    "EnumOrdinal") // drop reasons index counters and warning bits: no EnumMap per packet
public final class Decapsulation {
  final VxlanHeader header = new VxlanHeader();
  ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  int packetOffset;
  @Nullable DropReason dropReason;
  int errorOffset;
  int warnings;
  boolean hasEthernet;
  int vlanCount;
  int vlan0;
  int vlan1;
  int ipVersion;
  int ipOffset;
  int hopLimit;
  int trafficClass;
  int sourcePort;
  int destinationPort;
  int udpChecksum = -1;
  HeaderFormat format = HeaderFormat.VXLAN;
  int innerOffset;
  int innerLength;
  boolean headerReached;

  Decapsulation() {}

  @SuppressWarnings("ReferenceEquality") // identity, not content: is it the same buffer?
  void reset(ByteBuf packet, int offset) {
    if (buf != packet) {
      buf = packet; // skips the GC write barrier when the same buffer comes again
    }
    packetOffset = offset;
    dropReason = null;
    errorOffset = -1;
    warnings = 0;
    hasEthernet = false;
    vlanCount = 0;
    vlan0 = 0;
    vlan1 = 0;
    ipVersion = 0;
    ipOffset = -1;
    hopLimit = 0;
    trafficClass = 0;
    sourcePort = 0;
    udpChecksum = -1;
    destinationPort = 0;
    format = HeaderFormat.VXLAN;
    innerOffset = -1;
    innerLength = 0;
    headerReached = false;
  }

  /** Returns whether the packet was accepted and its inner frame may be delivered. */
  public boolean isOk() {
    return dropReason == null;
  }

  /** Returns why the packet was dropped, or {@code null} if it was accepted. */
  public @Nullable DropReason dropReason() {
    return dropReason;
  }

  /**
   * Returns the offset from the packet start of the field that caused the drop, or -1 if accepted.
   */
  public int errorOffset() {
    return errorOffset;
  }

  /**
   * Returns whether lenient validation noted {@code reason} (I flag clear or reserved bits set).
   */
  public boolean hasWarning(DropReason reason) {
    return (warnings & (1 << reason.ordinal())) != 0;
  }

  /** Returns whether any warning was noted. */
  public boolean hasWarnings() {
    return warnings != 0;
  }

  /**
   * Returns the VXLAN header (wrapped at its place in the packet); valid only when it was reached.
   */
  public VxlanHeader header() {
    if (!headerReached) {
      throw new IllegalStateException(
          "the packet was dropped before its VXLAN header: " + dropReason);
    }
    return header;
  }

  /** Returns how the header was interpreted (by port and configuration). */
  public HeaderFormat format() {
    return format;
  }

  /** Returns whether the VXLAN header was reached (so {@link #header()} may be read). */
  public boolean hasHeader() {
    return headerReached;
  }

  /** Returns the VNI, or -1 if the VXLAN header was not reached. */
  public int vni() {
    return headerReached ? header.vni() : -1;
  }

  /** Returns whether the packet started with an outer Ethernet header. */
  public boolean hasOuterEthernet() {
    return hasEthernet;
  }

  /**
   * Returns the outer destination MAC (0 without outer Ethernet); read from the packet on each
   * call.
   */
  public long outerDestinationMac() {
    return hasEthernet ? EthernetFrame.readMac(buf, packetOffset) : 0;
  }

  /** Returns the outer source MAC (0 without outer Ethernet); read from the packet on each call. */
  public long outerSourceMac() {
    return hasEthernet ? EthernetFrame.readMac(buf, packetOffset + 6) : 0;
  }

  /** Returns the number of outer VLAN tags, 0..2. */
  public int outerVlanCount() {
    return vlanCount;
  }

  /** Returns the VLAN ID of outer tag {@code i} (0 is the outermost). */
  public int outerVlanId(int i) {
    if (i < 0 || i >= vlanCount) {
      throw new IndexOutOfBoundsException("VLAN tag " + i + " of " + vlanCount);
    }
    return i == 0 ? vlan0 : vlan1;
  }

  /** Returns 4 or 6, or 0 if the IP header was not reached. */
  public int ipVersion() {
    return ipVersion;
  }

  /** Returns the outer TTL or hop limit. */
  public int hopLimit() {
    return hopLimit;
  }

  /** Returns the outer TOS / Traffic Class octet (DSCP and ECN). */
  public int trafficClass() {
    return trafficClass;
  }

  // Outer addresses are read from the packet on demand: most packets never need them.

  /** Returns the outer IPv4 source address, or 0 when {@link #ipVersion()} is not 4. */
  public int sourceIpv4() {
    return ipVersion == 4 ? buf.getInt(ipOffset + 12) : 0;
  }

  /** Returns the outer IPv4 destination address, or 0 when {@link #ipVersion()} is not 4. */
  public int destinationIpv4() {
    return ipVersion == 4 ? buf.getInt(ipOffset + 16) : 0;
  }

  /** Returns the high 64 bits of the outer IPv6 source address, or 0 when not IPv6. */
  public long sourceIpv6High() {
    return ipVersion == 6 ? buf.getLong(ipOffset + 8) : 0;
  }

  /** Returns the low 64 bits of the outer IPv6 source address, or 0 when not IPv6. */
  public long sourceIpv6Low() {
    return ipVersion == 6 ? buf.getLong(ipOffset + 16) : 0;
  }

  /** Returns the high 64 bits of the outer IPv6 destination address, or 0 when not IPv6. */
  public long destinationIpv6High() {
    return ipVersion == 6 ? buf.getLong(ipOffset + 24) : 0;
  }

  /** Returns the low 64 bits of the outer IPv6 destination address, or 0 when not IPv6. */
  public long destinationIpv6Low() {
    return ipVersion == 6 ? buf.getLong(ipOffset + 32) : 0;
  }

  /** Appends the outer source IP as text (IPv6 in RFC 5952 form). */
  public StringBuilder appendSource(StringBuilder sb) {
    return ipVersion == 4
        ? Addresses.appendIpv4(sb, sourceIpv4())
        : Addresses.appendIpv6(sb, sourceIpv6High(), sourceIpv6Low());
  }

  /** Appends the outer destination IP as text (IPv6 in RFC 5952 form). */
  public StringBuilder appendDestination(StringBuilder sb) {
    return ipVersion == 4
        ? Addresses.appendIpv4(sb, destinationIpv4())
        : Addresses.appendIpv6(sb, destinationIpv6High(), destinationIpv6Low());
  }

  /**
   * Returns whether the UDP destination port is one the decapsulator treats as VXLAN: the packet
   * was VXLAN (or meant to be), even if it was dropped. For IPv4 packets dropped for a bad header
   * checksum or as a first fragment, the ports are read for this diagnosis although the packet was
   * not accepted.
   */
  public boolean isVxlanPort(DecapsulatorConfig config) {
    return headerReached || config.formatForPort(destinationPort) != null;
  }

  /** Returns the UDP source port (the sender's entropy). */
  public int sourcePort() {
    return sourcePort;
  }

  /** Returns the UDP destination port. */
  public int destinationPort() {
    return destinationPort;
  }

  /**
   * Returns the UDP checksum field, or -1 before the UDP header was read. 0 is no checksum: allowed
   * over IPv4, and over IPv6 for tunnels that agree to it (RFC 6935, RFC 6936; {@link
   * DecapsulatorConfig#acceptIpv6ZeroChecksum()}, as Linux's {@code udp6zerocsumrx}).
   */
  public int udpChecksum() {
    return udpChecksum;
  }

  /**
   * Returns the absolute index of the inner frame in the packet buffer, or -1 if dropped before it.
   */
  public int innerOffset() {
    return innerOffset;
  }

  /** Returns the length of the inner frame. */
  public int innerLength() {
    return innerLength;
  }

  /**
   * Returns the protocol of the inner payload: {@link VxlanHeader#GPE_NEXT_ETHERNET} except for GPE
   * packets whose next protocol says otherwise.
   */
  public int innerProtocol() {
    return format == HeaderFormat.GPE ? header.payloadProtocol() : VxlanHeader.GPE_NEXT_ETHERNET;
  }

  /**
   * Returns the inner frame as a retained slice sharing the packet's memory. The caller owns the
   * slice and must release it; the packet buffer's own reference count is the caller's as before.
   *
   * @throws IllegalStateException if the packet was dropped
   */
  public ByteBuf retainedInnerFrame() {
    if (dropReason != null) {
      throw new IllegalStateException("packet was dropped: " + dropReason);
    }
    return buf.retainedSlice(innerOffset, innerLength);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Decapsulation[");
    if (dropReason != null) {
      return sb.append("drop ")
          .append(dropReason)
          .append(" at ")
          .append(errorOffset)
          .append(']')
          .toString();
    }
    appendSource(sb).append(':').append(sourcePort).append(" > ");
    appendDestination(sb).append(':').append(destinationPort);
    return sb.append(", vni ")
        .append(vni())
        .append(", inner ")
        .append(innerLength)
        .append(" bytes]")
        .toString();
  }
}
