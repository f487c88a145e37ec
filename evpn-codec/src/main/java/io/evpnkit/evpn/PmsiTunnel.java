package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The P-Multicast Service Interface Tunnel attribute (BGP attribute 22, RFC 6514 §5):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |E| | | T |B|U|L|  Tunnel Type  |   MPLS Label (3 octets) ...
 * |     |   |M| | |               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  Tunnel Identifier (variable) ...
 * </pre>
 *
 * EVPN inclusive multicast routes carry it to say how BUM traffic reaches their originator (RFC
 * 7432 §11); with VXLAN the label field holds the VNI (RFC 8365 §5.1.3). The flags: L, Leaf
 * Information Required (RFC 6514 §5), which solicits Leaf A-D routes (RFC 9572 §3); E, Extension
 * (RFC 7902); T, BM and U, the assisted-replication role and the pruned-flood-list flags of RFC
 * 9574.
 *
 * <p>Tunnel types and their identifiers, checked when built and when read:
 *
 * <pre>
 *  0 no tunnel information present   empty (RFC 6514 §5)
 *  1 RSVP-TE P2MP LSP                P2MP ID (4), reserved (2), Tunnel ID (2), Extended Tunnel ID (4 or 16),
 *                                    as the RSVP-TE P2MP SESSION object carries them (RFC 4875 §19.1)
 *  2 mLDP P2MP LSP                   the P2MP FEC element (RFC 6388 §2.2): type 6, address family (2),
 *                                    address length (1), root node address, opaque length (2), opaque value
 *  3 PIM-SSM tree                    sender address, P-multicast group (4 + 4 or 16 + 16)
 *  4 PIM-SM tree                     sender address, P-multicast group
 *  5 BIDIR-PIM tree                  sender address, P-multicast group
 *  6 ingress replication             the unicast tunnel endpoint (4 or 16)
 * 10 assisted replication            the AR-IP address of an AR-REPLICATOR (4 or 16; RFC 9574)
 * </pre>
 *
 * Other types (mLDP MP2MP of RFC 7441, transport tunnels, BIER, ...) keep their identifier as bytes
 * and re-encode byte for byte. Immutable.
 *
 * @since 0.1
 */
public final class PmsiTunnel {
  /** Tunnel type: no tunnel information present (RFC 6514 §5). */
  public static final int NO_TUNNEL_INFORMATION = 0;

  /** Tunnel type: RSVP-TE P2MP LSP (RFC 6514 §5). */
  public static final int RSVP_TE_P2MP = 1;

  /** Tunnel type: mLDP P2MP LSP (RFC 6514 §5). */
  public static final int MLDP_P2MP = 2;

  /** Tunnel type: PIM-SSM tree (RFC 6514 §5). */
  public static final int PIM_SSM = 3;

  /** Tunnel type: PIM-SM tree (RFC 6514 §5). */
  public static final int PIM_SM = 4;

  /** Tunnel type: BIDIR-PIM tree (RFC 6514 §5). */
  public static final int BIDIR_PIM = 5;

  /** Tunnel type: ingress replication (RFC 6514 §5). */
  public static final int INGRESS_REPLICATION = 6;

  /** Tunnel type: mLDP MP2MP LSP (RFC 7441); its identifier is kept as bytes. */
  public static final int MLDP_MP2MP = 7;

  /** Tunnel type: assisted replication (RFC 9574). */
  public static final int ASSISTED_REPLICATION = 10;

  /**
   * Flag L: leaf information required (RFC 6514 §5), the solicitation of Leaf A-D routes (RFC 9572
   * §3).
   */
  public static final int FLAG_LEAF_INFORMATION_REQUIRED = 0x01;

  /**
   * Flag U: the sender asks AR-REPLICATORs not to send it unknown unicast (RFC 9574, pruned flood
   * lists).
   */
  public static final int FLAG_UNKNOWN_UNICAST_PRUNED = 0x02;

  /**
   * Flag BM: the sender asks AR-REPLICATORs not to send it broadcast and multicast (RFC 9574,
   * pruned flood lists).
   */
  public static final int FLAG_BROADCAST_MULTICAST_PRUNED = 0x04;

  /** Flag E: extension (RFC 7902): the attribute carries extensions after the tunnel identifier. */
  public static final int FLAG_EXTENSION = 0x80;

  /**
   * Assisted-replication role in the T bits (RFC 9574): a regular network virtualization edge
   * (RNVE).
   */
  public static final int ROLE_RNVE = 0;

  /** Assisted-replication role in the T bits: AR-REPLICATOR. */
  public static final int ROLE_AR_REPLICATOR = 1;

  /** Assisted-replication role in the T bits: AR-LEAF. */
  public static final int ROLE_AR_LEAF = 2;

  private static final int ROLE_SHIFT = 3;
  private static final int ROLE_MASK = 0x18;

  /**
   * Flags octet, tunnel type octet, MPLS label field (3 octets): the fixed part before the
   * identifier.
   */
  static final int FIXED_LENGTH = 5;

  private static final int MLDP_P2MP_FEC_TYPE = 6;

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

  /**
   * Returns a tunnel of any type from its parts: the identifier is checked against the layout of
   * the known types.
   *
   * @param flags the flags octet, 0..255
   * @param tunnelType the tunnel type, 0..255
   * @param label the MPLS label field (the VNI with VXLAN)
   * @param tunnelIdentifier the identifier (copied)
   * @throws IllegalArgumentException if a value is out of range or the identifier does not fit its
   *     type
   */
  public static PmsiTunnel of(
      int flags, int tunnelType, LabelField label, byte[] tunnelIdentifier) {
    if ((flags & ~0xFF) != 0 || (tunnelType & ~0xFF) != 0) {
      throw new IllegalArgumentException(
          "flags " + flags + " and tunnel type " + tunnelType + " are one octet each");
    }
    if (tunnelIdentifier.length > 0xFFFF - FIXED_LENGTH) {
      throw new IllegalArgumentException(
          "tunnel identifier of "
              + tunnelIdentifier.length
              + " octets: the attribute holds at most "
              + (0xFFFF - FIXED_LENGTH));
    }
    byte[] id = tunnelIdentifier.clone();
    String problem = problem(Unpooled.wrappedBuffer(id), 0, tunnelType, id.length);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return new PmsiTunnel(flags, tunnelType, label, id);
  }

  /**
   * Returns an ingress-replication tunnel to {@code endpoint}, label field {@code label} (the VNI
   * with VXLAN).
   */
  public static PmsiTunnel ingressReplication(LabelField label, IpAddress endpoint) {
    return new PmsiTunnel(0, INGRESS_REPLICATION, label, bytes(endpoint));
  }

  /**
   * Returns the tunnel an AR-REPLICATOR advertises in its replicator-AR route (RFC 9574): type
   * assisted replication, T = AR-REPLICATOR, identifier its AR-IP address.
   */
  public static PmsiTunnel assistedReplication(LabelField label, IpAddress arIp) {
    return new PmsiTunnel(
        ROLE_AR_REPLICATOR << ROLE_SHIFT, ASSISTED_REPLICATION, label, bytes(arIp));
  }

  /**
   * Returns a tunnel without tunnel information (RFC 6514 §5), as sent with the L flag to solicit
   * Leaf A-D routes without announcing a tunnel (RFC 9572 §3.1).
   */
  public static PmsiTunnel noTunnelInformation(LabelField label) {
    return new PmsiTunnel(0, NO_TUNNEL_INFORMATION, label, new byte[0]);
  }

  /**
   * Returns a PIM tree ({@link #PIM_SSM}, {@link #PIM_SM} or {@link #BIDIR_PIM}) of {@code sender}
   * and the P-multicast {@code group} (RFC 6514 §5).
   *
   * @throws IllegalArgumentException if the type is not a PIM tree, the addresses are of different
   *     families or the group is not a multicast address
   */
  public static PmsiTunnel pimTree(
      int tunnelType, LabelField label, IpAddress sender, IpAddress group) {
    if (tunnelType != PIM_SSM && tunnelType != PIM_SM && tunnelType != BIDIR_PIM) {
      throw new IllegalArgumentException(
          "tunnel type " + tunnelType + " is not a PIM tree (3, 4 or 5)");
    }
    if (sender.isIpv6() != group.isIpv6()) {
      throw new IllegalArgumentException(
          "sender " + sender + " and group " + group + " are of different families");
    }
    if (!isMulticast(group)) {
      throw new IllegalArgumentException(
          "P-multicast group " + group + " is not a multicast address");
    }
    byte[] id = new byte[2 * sender.byteLength()];
    ByteBuf b = Unpooled.wrappedBuffer(id);
    sender.write(b, 0);
    group.write(b, sender.byteLength());
    return new PmsiTunnel(0, tunnelType, label, id);
  }

  /**
   * Returns an RSVP-TE P2MP LSP (RFC 6514 §5) named as its SESSION object names it (RFC 4875
   * §19.1).
   *
   * @param p2mpId the P2MP ID, 0..2^32-1
   * @param tunnelId the Tunnel ID, 0..65535
   * @param extendedTunnelId the Extended Tunnel ID, an IPv4 or IPv6 address of the head end
   */
  public static PmsiTunnel rsvpTeP2mp(
      LabelField label, long p2mpId, int tunnelId, IpAddress extendedTunnelId) {
    if (p2mpId < 0 || p2mpId > 0xFFFF_FFFFL || tunnelId < 0 || tunnelId > 0xFFFF) {
      throw new IllegalArgumentException(
          "P2MP ID "
              + p2mpId
              + " (0..4294967295) or tunnel ID "
              + tunnelId
              + " (0..65535) out of range");
    }
    byte[] id = new byte[8 + extendedTunnelId.byteLength()];
    ByteBuf b = Unpooled.wrappedBuffer(id);
    b.setInt(0, (int) p2mpId);
    b.setShort(6, tunnelId);
    extendedTunnelId.write(b, 8);
    return new PmsiTunnel(0, RSVP_TE_P2MP, label, id);
  }

  /**
   * Returns an mLDP P2MP LSP (RFC 6514 §5) named by its P2MP FEC element (RFC 6388 §2.2).
   *
   * @param rootNode the root node address
   * @param opaqueValue the opaque value (its LDP MP opaque value elements, copied), at most 65535
   *     octets
   */
  public static PmsiTunnel mldpP2mp(LabelField label, IpAddress rootNode, byte[] opaqueValue) {
    int length = 4 + rootNode.byteLength() + 2 + opaqueValue.length;
    if (opaqueValue.length > 0xFFFF || length > 0xFFFF - FIXED_LENGTH) {
      throw new IllegalArgumentException(
          "opaque value of " + opaqueValue.length + " octets does not fit the attribute");
    }
    byte[] id = new byte[length];
    ByteBuf b = Unpooled.wrappedBuffer(id);
    b.setByte(0, MLDP_P2MP_FEC_TYPE);
    b.setShort(1, rootNode.isIpv6() ? 2 : 1);
    b.setByte(3, rootNode.byteLength());
    rootNode.write(b, 4);
    b.setShort(4 + rootNode.byteLength(), opaqueValue.length);
    b.setBytes(6 + rootNode.byteLength(), opaqueValue);
    return new PmsiTunnel(0, MLDP_P2MP, label, id);
  }

  /**
   * Reads the attribute value {@code [index, index + length)}.
   *
   * @throws MalformedException if shorter than 5 octets, or the tunnel identifier does not fit its
   *     type's layout
   */
  public static PmsiTunnel read(ByteBuf buf, int index, int length) {
    if (length < FIXED_LENGTH || index < 0 || index > buf.writerIndex() - length) {
      throw new MalformedException(
          "PMSI Tunnel attribute of " + length + " bytes: needs at least 5", index);
    }
    String problem = problem(buf, index, length);
    if (problem != null) {
      throw new MalformedException(problem, index + FIXED_LENGTH);
    }
    byte[] id = new byte[length - FIXED_LENGTH];
    buf.getBytes(index + FIXED_LENGTH, id);
    return new PmsiTunnel(
        buf.getUnsignedByte(index),
        buf.getUnsignedByte(index + 1),
        LabelField.of(buf.getUnsignedMedium(index + 2)),
        id);
  }

  /**
   * Returns what is wrong with the attribute value {@code [v, v + length)} whose bytes are present,
   * or {@code null}: the one check the decoder and {@link #read} share.
   */
  static @Nullable String problem(ByteBuf buf, int v, int length) {
    if (length < FIXED_LENGTH) {
      return "PMSI_TUNNEL of " + length + " bytes: needs at least 5";
    }
    return problem(buf, v + FIXED_LENGTH, buf.getUnsignedByte(v + 1), length - FIXED_LENGTH);
  }

  private static @Nullable String problem(ByteBuf buf, int id, int type, int n) {
    switch (type) {
      case NO_TUNNEL_INFORMATION -> {
        return n == 0
            ? null
            : "no tunnel information with a tunnel identifier of " + n + " bytes: must be empty";
      }
      case INGRESS_REPLICATION, ASSISTED_REPLICATION -> {
        return n == 4 || n == 16
            ? null
            : (type == INGRESS_REPLICATION
                    ? "ingress replication endpoint"
                    : "assisted replication AR-IP")
                + " of "
                + n
                + " bytes: must be 4 or 16";
      }
      case PIM_SSM, PIM_SM, BIDIR_PIM -> {
        return n == 8 || n == 32
            ? null
            : "PIM tree identifier of " + n + " bytes: must be 8 or 32 (sender, group)";
      }
      case RSVP_TE_P2MP -> {
        return n == 12 || n == 24
            ? null
            : "RSVP-TE P2MP session of " + n + " bytes: must be 12 or 24";
      }
      case MLDP_P2MP -> {
        if (n < 4) {
          return "mLDP P2MP FEC element of " + n + " bytes: needs at least 4";
        }
        int fecType = buf.getUnsignedByte(id);
        int family = buf.getUnsignedShort(id + 1);
        int addressLength = buf.getUnsignedByte(id + 3);
        if (fecType != MLDP_P2MP_FEC_TYPE) {
          return "mLDP FEC element type " + fecType + ": must be 6 (P2MP)";
        }
        if (!(family == 1 && addressLength == 4) && !(family == 2 && addressLength == 16)) {
          return "mLDP root of address family "
              + family
              + " and length "
              + addressLength
              + ": must be 1 with 4 or 2 with 16";
        }
        if (n < 6 + addressLength
            || buf.getUnsignedShort(id + 4 + addressLength) != n - 6 - addressLength) {
          return "mLDP P2MP FEC element of " + n + " bytes: its opaque length does not end it";
        }
        return null;
      }
      default -> {
        return null;
      }
    }
  }

  /** Returns the attribute value length. */
  public int length() {
    return FIXED_LENGTH + tunnelIdentifier.length;
  }

  /** Writes the attribute value at absolute index {@code index}. */
  public void write(ByteBuf buf, int index) {
    buf.setByte(index, flags);
    buf.setByte(index + 1, tunnelType);
    label.write(buf, index + 2);
    buf.setBytes(index + FIXED_LENGTH, tunnelIdentifier);
  }

  /** Returns the flags octet. */
  public int flags() {
    return flags;
  }

  /**
   * Returns this tunnel with the flags octet {@code value} (0..255).
   *
   * @throws IllegalArgumentException if out of range
   */
  public PmsiTunnel withFlags(int value) {
    if ((value & ~0xFF) != 0) {
      throw new IllegalArgumentException("flags " + value + " are one octet");
    }
    return new PmsiTunnel(value, tunnelType, label, tunnelIdentifier);
  }

  /** Returns whether the L flag, leaf information required, is set (RFC 6514 §5). */
  public boolean leafInformationRequired() {
    return (flags & FLAG_LEAF_INFORMATION_REQUIRED) != 0;
  }

  /**
   * Returns this tunnel with the L flag set or cleared: set, it solicits Leaf A-D routes (RFC 9572
   * §3).
   */
  public PmsiTunnel withLeafInformationRequired(boolean value) {
    return withFlags(
        value ? flags | FLAG_LEAF_INFORMATION_REQUIRED : flags & ~FLAG_LEAF_INFORMATION_REQUIRED);
  }

  /**
   * Returns the assisted-replication role of the T bits: {@link #ROLE_RNVE}, {@link
   * #ROLE_AR_REPLICATOR}, etc.
   */
  public int assistedReplicationRole() {
    return (flags & ROLE_MASK) >>> ROLE_SHIFT;
  }

  /**
   * Returns this tunnel with the T bits set to {@code role} (RFC 9574: AR-LEAFs send ingress
   * replication with T = {@link #ROLE_AR_LEAF}).
   *
   * @throws IllegalArgumentException if {@code role} is not 0..3
   */
  public PmsiTunnel withAssistedReplicationRole(int role) {
    if (role < 0 || role > 3) {
      throw new IllegalArgumentException("assisted-replication role " + role + ": must be 0..3");
    }
    return withFlags((flags & ~ROLE_MASK) | role << ROLE_SHIFT);
  }

  /** Returns the tunnel type (see the constants; any other value is kept). */
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
   * Returns the endpoint: the unicast tunnel endpoint of ingress replication, the AR-IP of assisted
   * replication.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress endpoint() {
    if (tunnelType != INGRESS_REPLICATION && tunnelType != ASSISTED_REPLICATION) {
      throw wrongType("an endpoint address");
    }
    return address(0, tunnelIdentifier.length);
  }

  /**
   * Returns the sender address of a PIM tree.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress sender() {
    checkPim();
    return address(0, tunnelIdentifier.length / 2);
  }

  /**
   * Returns the P-multicast group of a PIM tree.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress group() {
    checkPim();
    return address(tunnelIdentifier.length / 2, tunnelIdentifier.length / 2);
  }

  /**
   * Returns the P2MP ID of an RSVP-TE P2MP LSP (unsigned 32 bits).
   *
   * @throws IllegalStateException for another tunnel type
   */
  public long p2mpId() {
    checkType(RSVP_TE_P2MP, "a P2MP ID");
    return Unpooled.wrappedBuffer(tunnelIdentifier).getUnsignedInt(0);
  }

  /**
   * Returns the Tunnel ID of an RSVP-TE P2MP LSP.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public int tunnelId() {
    checkType(RSVP_TE_P2MP, "a tunnel ID");
    return Unpooled.wrappedBuffer(tunnelIdentifier).getUnsignedShort(6);
  }

  /**
   * Returns the Extended Tunnel ID of an RSVP-TE P2MP LSP.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress extendedTunnelId() {
    checkType(RSVP_TE_P2MP, "an extended tunnel ID");
    return address(8, tunnelIdentifier.length - 8);
  }

  /**
   * Returns the root node address of an mLDP P2MP LSP.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public IpAddress rootNode() {
    checkType(MLDP_P2MP, "a root node");
    return address(4, tunnelIdentifier[3] & 0xFF);
  }

  /**
   * Returns a copy of the opaque value of an mLDP P2MP LSP.
   *
   * @throws IllegalStateException for another tunnel type
   */
  public byte[] opaqueValue() {
    checkType(MLDP_P2MP, "an opaque value");
    return Arrays.copyOfRange(
        tunnelIdentifier, 6 + (tunnelIdentifier[3] & 0xFF), tunnelIdentifier.length);
  }

  private IpAddress address(int from, int bytes) {
    return IpAddress.read(Unpooled.wrappedBuffer(tunnelIdentifier), from, bytes * 8);
  }

  private void checkPim() {
    if (tunnelType != PIM_SSM && tunnelType != PIM_SM && tunnelType != BIDIR_PIM) {
      throw wrongType("a sender and group");
    }
  }

  private void checkType(int type, String what) {
    if (tunnelType != type) {
      throw wrongType(what);
    }
  }

  private IllegalStateException wrongType(String what) {
    return new IllegalStateException("tunnel type " + typeName(tunnelType) + " has no " + what);
  }

  private static byte[] bytes(IpAddress address) {
    byte[] id = new byte[address.byteLength()];
    address.write(Unpooled.wrappedBuffer(id), 0);
    return id;
  }

  private static boolean isMulticast(IpAddress a) {
    return a.isIpv6() ? (a.high() >>> 56) == 0xFF : (a.ipv4() >>> 28) == 0xE;
  }

  /**
   * Returns the name of tunnel type {@code type} as this class prints it ({@code
   * ingress-replication}, ...).
   */
  public static String typeName(int type) {
    return switch (type) {
      case NO_TUNNEL_INFORMATION -> "no-tunnel-information";
      case RSVP_TE_P2MP -> "rsvp-te-p2mp";
      case MLDP_P2MP -> "mldp-p2mp";
      case PIM_SSM -> "pim-ssm";
      case PIM_SM -> "pim-sm";
      case BIDIR_PIM -> "bidir-pim";
      case INGRESS_REPLICATION -> "ingress-replication";
      case MLDP_MP2MP -> "mldp-mp2mp";
      case ASSISTED_REPLICATION -> "assisted-replication";
      default -> "type " + type;
    };
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof PmsiTunnel other
        && other.flags == flags
        && other.tunnelType == tunnelType
        && other.label.equals(label)
        && Arrays.equals(other.tunnelIdentifier, tunnelIdentifier);
  }

  @Override
  public int hashCode() {
    return (flags * 31 + tunnelType) * 31
        + label.hashCode() * 17
        + Arrays.hashCode(tunnelIdentifier);
  }

  /**
   * Returns {@code pmsi:<type name>:label <raw>:<identifier>}, with {@code flags 0x<hex>:} after
   * {@code pmsi:} when a flag is set. The identifier: the endpoint ({@code
   * pmsi:ingress-replication:label 100:10.0.0.1}), {@code sender,group} of PIM trees, {@code
   * p2mp-id/tunnel-id/extended-tunnel-id} of RSVP-TE, {@code root,opaque-hex} of mLDP, nothing
   * without tunnel information, the bytes in hex for other types.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("pmsi:");
    if (flags != 0) {
      MacAddress.appendHexOctet(sb.append("flags 0x"), flags);
      sb.append(':');
    }
    sb.append(typeName(tunnelType)).append(":label ").append(label).append(':');
    switch (tunnelType) {
      case NO_TUNNEL_INFORMATION -> sb.setLength(sb.length() - 1);
      case INGRESS_REPLICATION, ASSISTED_REPLICATION -> endpoint().appendTo(sb);
      case PIM_SSM, PIM_SM, BIDIR_PIM -> group().appendTo(sender().appendTo(sb).append(','));
      case RSVP_TE_P2MP ->
          extendedTunnelId()
              .appendTo(sb.append(p2mpId()).append('/').append(tunnelId()).append('/'));
      case MLDP_P2MP -> appendHex(rootNode().appendTo(sb).append(','), opaqueValue());
      default -> appendHex(sb, tunnelIdentifier);
    }
    return sb.toString();
  }

  private static StringBuilder appendHex(StringBuilder sb, byte[] bytes) {
    for (byte b : bytes) {
      MacAddress.appendHexOctet(sb, b);
    }
    return sb;
  }
}
