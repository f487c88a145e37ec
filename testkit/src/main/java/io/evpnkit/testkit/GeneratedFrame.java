package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.vxlan.HeaderFormat;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * A valid VXLAN packet made by {@link VxlanFrameGenerator}, with what a correct decapsulator must
 * report for it. Immutable. {@link #toString()} prints the case id (seed and size) that {@link
 * VxlanFrameGenerator#replay(String)} turns back into the same bytes, and the bytes in hex.
 *
 * @since 0.1
 */
@Beta
public final class GeneratedFrame {
  private final long seed;
  private final int size;
  private final String description;
  private final byte[] bytes;
  private final HeaderFormat format;
  private final int vni;
  private final int destinationPort;
  private final int ipVersion;
  private final int[] outerVlans;
  private final int innerOffset;
  private final int innerLength;
  private final int innerProtocol;
  private final int groupPolicyId;
  private final int ipOffset;
  private final int udpOffset;

  GeneratedFrame(
      long seed,
      int size,
      String description,
      byte[] bytes,
      HeaderFormat format,
      int vni,
      int destinationPort,
      int ipVersion,
      int[] outerVlans,
      int ipOffset,
      int udpOffset,
      int innerOffset,
      int innerLength,
      int innerProtocol,
      int groupPolicyId) {
    this.seed = seed;
    this.size = size;
    this.description = description;
    this.bytes = bytes;
    this.format = format;
    this.vni = vni;
    this.destinationPort = destinationPort;
    this.ipVersion = ipVersion;
    this.outerVlans = outerVlans;
    this.ipOffset = ipOffset;
    this.udpOffset = udpOffset;
    this.innerOffset = innerOffset;
    this.innerLength = innerLength;
    this.innerProtocol = innerProtocol;
    this.groupPolicyId = groupPolicyId;
  }

  /**
   * Returns the case id, {@code seed/size} in hex and decimal, accepted by {@link
   * VxlanFrameGenerator#replay}.
   */
  public String id() {
    return String.format("%016x/%d", seed, size);
  }

  /** Returns the seed of this case. */
  public long seed() {
    return seed;
  }

  /** Returns the size parameter the case was generated with. */
  public int size() {
    return size;
  }

  /** Returns a one-line description of the layers chosen. */
  public String description() {
    return description;
  }

  /** Returns a copy of the packet bytes, from the outer Ethernet header on. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the packet length. */
  public int length() {
    return bytes.length;
  }

  /**
   * Returns the packet in a new unpooled heap buffer (no release needed, but releasing is
   * harmless).
   */
  public ByteBuf toByteBuf() {
    return Unpooled.wrappedBuffer(bytes.clone());
  }

  /** Returns the header format; decapsulate GBP frames with GBP interpretation enabled. */
  public HeaderFormat format() {
    return format;
  }

  /** Returns the VNI. */
  public int vni() {
    return vni;
  }

  /** Returns the UDP destination port. */
  public int destinationPort() {
    return destinationPort;
  }

  /** Returns the outer IP version, 4 or 6. */
  public int ipVersion() {
    return ipVersion;
  }

  /** Returns the outer VLAN ids, outermost first. */
  public int[] outerVlans() {
    return outerVlans.clone();
  }

  /** Returns the offset of the outer IP header. */
  public int ipOffset() {
    return ipOffset;
  }

  /** Returns the offset of the UDP header. */
  public int udpOffset() {
    return udpOffset;
  }

  /** Returns the offset of the inner frame (after the VXLAN header). */
  public int innerOffset() {
    return innerOffset;
  }

  /** Returns the length of the inner frame. */
  public int innerLength() {
    return innerLength;
  }

  /** Returns the inner payload protocol in GPE numbering (3 Ethernet, 1 IPv4, 2 IPv6). */
  public int innerProtocol() {
    return innerProtocol;
  }

  /** Returns the GBP Group Policy ID, or -1 when the header is not GBP. */
  public int groupPolicyId() {
    return groupPolicyId;
  }

  /** Returns the packet bytes as lower-case hex. */
  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GeneratedFrame g
        && Arrays.equals(bytes, g.bytes)
        && seed == g.seed
        && size == g.size;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "GeneratedFrame[case "
        + id()
        + " (replay with VxlanFrameGenerator.replay(\""
        + id()
        + "\")): "
        + description
        + "; "
        + bytes.length
        + " bytes: "
        + hex()
        + "]";
  }
}
