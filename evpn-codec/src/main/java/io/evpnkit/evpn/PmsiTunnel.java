package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The P-Multicast Service Interface Tunnel attribute (BGP attribute 22, RFC 6514 §5):
 * <pre>
 * | flags (1) | tunnel type (1) | MPLS label (3) | tunnel identifier (variable) |
 * </pre>
 * EVPN inclusive multicast routes carry it to say how to flood to their originator (RFC 7432 §11); with
 * VXLAN the tunnel type is ingress replication (6), the label field holds the VNI (RFC 8365 §5.1.3) and
 * the tunnel identifier is the endpoint's IP address. Immutable; unknown tunnel types keep their bytes.
 *
 * @since 0.1
 */
public final class PmsiTunnel {
  /** Tunnel type: no tunnel information present. */
  public static final int NO_TUNNEL_INFORMATION = 0;
  /** Tunnel type: ingress replication (RFC 6514 §5). */
  public static final int INGRESS_REPLICATION = 6;
  /** Flag: leaf information required. */
  public static final int FLAG_LEAF_INFORMATION_REQUIRED = 0x01;

  private final int flags;
  private final int tunnelType;
  private final LabelField label;
  private final byte[] tunnelIdentifier;

  private PmsiTunnel(int flags, int tunnelType, LabelField label, byte[] tunnelIdentifier) {
    this.flags = flags;
    this.tunnelType = tunnelType;
    this.label = label;
    this.tunnelIdentifier = tunnelIdentifier;
  }

  /** An ingress-replication tunnel to {@code endpoint} with the label field {@code label} (the VNI with VXLAN). */
  public static PmsiTunnel ingressReplication(LabelField label, IpAddress endpoint) {
    byte[] id = new byte[endpoint.byteLength()];
    ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(id);
    b.writerIndex(0);
    endpoint.write(b, 0);
    return new PmsiTunnel(0, INGRESS_REPLICATION, label, id);
  }

  /**
   * Reads the attribute value {@code [index, index + length)}.
   *
   * @throws MalformedException if shorter than 5 octets, or an ingress-replication identifier is not 4 or 16 octets
   */
  public static PmsiTunnel read(ByteBuf buf, int index, int length) {
    if (length < 5 || index < 0 || index > buf.writerIndex() - length) {
      throw new MalformedException("PMSI Tunnel attribute of " + length + " bytes: needs at least 5", index);
    }
    int type = buf.getUnsignedByte(index + 1);
    int idLength = length - 5;
    if (type == INGRESS_REPLICATION && idLength != 4 && idLength != 16) {
      throw new MalformedException("ingress replication endpoint of " + idLength + " bytes: must be 4 or 16", index + 5);
    }
    byte[] id = new byte[idLength];
    buf.getBytes(index + 5, id);
    return new PmsiTunnel(buf.getUnsignedByte(index), type, LabelField.of(buf.getUnsignedMedium(index + 2)), id);
  }

  /** Returns the attribute value length. */
  public int length() {
    return 5 + tunnelIdentifier.length;
  }

  /** Writes the attribute value at absolute index {@code index}. */
  public void write(ByteBuf buf, int index) {
    buf.setByte(index, flags);
    buf.setByte(index + 1, tunnelType);
    label.write(buf, index + 2);
    buf.setBytes(index + 5, tunnelIdentifier);
  }

  /** Returns the flags octet. */
  public int flags() {
    return flags;
  }

  /** Returns the tunnel type. */
  public int tunnelType() {
    return tunnelType;
  }

  /** Returns the label field (raw; the VNI with VXLAN). */
  public LabelField label() {
    return label;
  }

  /** Returns a copy of the tunnel identifier. */
  public byte[] tunnelIdentifier() {
    return tunnelIdentifier.clone();
  }

  /**
   * Returns the ingress replication endpoint.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress endpoint() {
    if (tunnelType != INGRESS_REPLICATION) {
      throw new IllegalStateException("tunnel type " + tunnelType + " has no endpoint address");
    }
    return IpAddress.read(io.netty.buffer.Unpooled.wrappedBuffer(tunnelIdentifier), 0, tunnelIdentifier.length * 8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PmsiTunnel other && other.flags == flags && other.tunnelType == tunnelType
        && other.label.equals(label) && Arrays.equals(other.tunnelIdentifier, tunnelIdentifier);
  }

  @Override
  public int hashCode() {
    return (flags * 31 + tunnelType) * 31 + label.hashCode() * 17 + Arrays.hashCode(tunnelIdentifier);
  }

  /** Returns {@code pmsi:ingress-replication:label <raw>:<endpoint>}, or the type number and identifier in hex. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("pmsi:");
    if (tunnelType == INGRESS_REPLICATION) {
      return endpoint().appendTo(sb.append("ingress-replication:label ").append(label).append(':')).toString();
    }
    sb.append("type ").append(tunnelType).append(":label ").append(label).append(':');
    for (byte b : tunnelIdentifier) {
      MacAddress.appendHexOctet(sb, b);
    }
    return sb.toString();
  }
}
