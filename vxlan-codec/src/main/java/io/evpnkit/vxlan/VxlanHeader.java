package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over the 8-byte VXLAN header, read and written with absolute indexes.
 *
 * <p>RFC 7348 §5 (VXLAN):
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |R|R|R|R|I|R|R|R|            Reserved                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Group Based Policy, draft-smith-vxlan-group-policy §2.1 (G: policy applied, D: don't learn, A:
 * policy applied):
 *
 * <pre>
 * |G|R|R|R|I|R|R|R|R|D|R|R|A|R|R|R|        Group Policy ID        |
 * |          VXLAN Network Identifier (VNI)       |   Reserved    |
 * </pre>
 *
 * VXLAN-GPE, draft-ietf-nvo3-vxlan-gpe §3 (UDP port 4790; P: next protocol present, B: BUM traffic,
 * O: OAM):
 *
 * <pre>
 * |R|R|Ver|I|P|B|O|       Reserved                |Next Protocol  |
 * |                VXLAN Network Identifier (VNI) |   Reserved    |
 * </pre>
 *
 * <p>The same eight bytes are read in all three forms; which one applies is decided by the
 * receiver's configuration and the UDP port (see {@link HeaderFormat}). {@link #wrap} checks the
 * length once and reads the eight bytes in one access; getters then decode that snapshot, so
 * reading a field costs no buffer access (re-wrap after changing the bytes by other means). Setters
 * write through to the buffer and change only the bits they name, so reserved bits survive a
 * re-encode. A wrapped view is valid while the buffer is; it neither retains nor releases it. Not
 * thread-safe; reuse one instance per thread by re-wrapping.
 *
 * @since 0.1
 */
public final class VxlanHeader {
  /** Header length in bytes. */
  public static final int LENGTH = 8;

  /** IANA UDP destination port for VXLAN (RFC 7348 §5). */
  public static final int UDP_PORT = 4789;

  /** IANA UDP destination port for VXLAN-GPE (draft-ietf-nvo3-vxlan-gpe §3.3). */
  public static final int GPE_UDP_PORT = 4790;

  /** The port the Linux kernel used before IANA assigned 4789. */
  public static final int LINUX_LEGACY_UDP_PORT = 8472;

  /** Largest VNI (24 bits). */
  public static final int MAX_VNI = 0xFF_FFFF;

  static final int FLAGS_OFFSET = 0;
  static final int GBP_FLAGS_OFFSET = FLAGS_OFFSET + 1;
  static final int GROUP_POLICY_ID_OFFSET = GBP_FLAGS_OFFSET + 1;
  static final int GPE_NEXT_PROTOCOL_OFFSET = FLAGS_OFFSET + 3;
  static final int VNI_OFFSET = 4;
  static final int RESERVED2_OFFSET = VNI_OFFSET + 3;

  /** The I flag (valid VNI), first octet. */
  public static final int FLAG_I = 0x08;

  /** GBP: G flag, first octet: the Group Policy ID is carried. */
  public static final int GBP_FLAG_G = 0x80;

  /** GBP: D flag, second octet: don't learn the source address. */
  public static final int GBP_FLAG_D = 0x40;

  /** GBP: A flag, second octet: the group policy has already been applied. */
  public static final int GBP_FLAG_A = 0x08;

  /** GPE: version field mask, first octet. */
  public static final int GPE_VERSION_MASK = 0x30;

  /** GPE: P flag, first octet: the Next Protocol field is present. */
  public static final int GPE_FLAG_P = 0x04;

  /** GPE: B flag, first octet: ingress-replicated BUM traffic. */
  public static final int GPE_FLAG_B = 0x02;

  /** GPE: O flag, first octet: OAM packet. */
  public static final int GPE_FLAG_O = 0x01;

  /** GPE next protocol: IPv4. */
  public static final int GPE_NEXT_IPV4 = 0x01;

  /** GPE next protocol: IPv6. */
  public static final int GPE_NEXT_IPV6 = 0x02;

  /** GPE next protocol: Ethernet. */
  public static final int GPE_NEXT_ETHERNET = 0x03;

  /** GPE next protocol: Network Service Header (RFC 8300). */
  public static final int GPE_NEXT_NSH = 0x04;

  // Reserved bits of the whole header read as one big-endian long, per format.
  private static final long RESERVED_VXLAN = 0xF7FF_FFFF_0000_00FFL;
  private static final long RESERVED_GBP = 0x77B7_0000_0000_00FFL;
  private static final long RESERVED_GPE = 0xC0FF_FF00_0000_00FFL;

  private ByteBuf buf;
  private int offset;
  private long raw;

  /** Creates an unwrapped view; call {@link #wrap} before reading. */
  public VxlanHeader() {
    this.buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  }

  /**
   * Points this view at a header of {@code buf} starting at absolute index {@code offset}.
   *
   * @param buf the buffer, not retained
   * @param offset absolute index of the first header byte
   * @return this view
   * @throws VxlanFormatException if fewer than {@link #LENGTH} readable bytes follow {@code offset}
   */
  @SuppressWarnings("ReferenceEquality") // identity, not content: is it the same buffer?
  public VxlanHeader wrap(ByteBuf buf, int offset) {
    if (offset < 0 || offset > buf.writerIndex() - LENGTH) {
      throw tooShort(buf, offset);
    }
    if (this.buf != buf) {
      this.buf = buf; // skips the GC write barrier when the same buffer is re-wrapped
    }
    this.offset = offset;
    this.raw = buf.getLong(offset);
    return this;
  }

  // out of line, so that wrap stays small enough to inline
  private static VxlanFormatException tooShort(ByteBuf buf, int offset) {
    return new VxlanFormatException(
        "VXLAN header needs "
            + LENGTH
            + " bytes, "
            + Math.max(0, buf.writerIndex() - offset)
            + " present",
        offset);
  }

  /**
   * Wraps a header already bounds-checked and read by the caller (the decapsulator's fast path).
   */
  @SuppressWarnings("ReferenceEquality") // identity, not content: is it the same buffer?
  void wrapRead(ByteBuf buf, int offset, long raw) {
    if (this.buf != buf) {
      this.buf = buf;
    }
    this.offset = offset;
    this.raw = raw;
  }

  /** Returns the wrapped buffer. */
  public ByteBuf buffer() {
    return buf;
  }

  /** Returns the absolute index of the first header byte. */
  public int offset() {
    return offset;
  }

  /** Returns the first octet (the flags of RFC 7348), 0..255. */
  public int flags() {
    return (int) (raw >>> 56);
  }

  /** Returns whether the I flag (valid VNI) is set. */
  public boolean hasValidVni() {
    return (flags() & FLAG_I) != 0;
  }

  /** Returns the 24-bit VXLAN Network Identifier. */
  public int vni() {
    return (int) (raw >>> 8) & MAX_VNI;
  }

  /** Returns the whole header as a big-endian long (for logging and bit tests). */
  public long asLong() {
    return raw;
  }

  /**
   * Returns the bits that {@code format} reserves and that are set, as a mask over {@link
   * #asLong()}.
   */
  public long reservedBitsSet(HeaderFormat format) {
    return reservedBitsSet(raw, format);
  }

  /** Returns the reserved bits of {@code format} set in a header read as one big-endian long. */
  public static long reservedBitsSet(long header, HeaderFormat format) {
    return header & reservedMask(format);
  }

  static long reservedMask(HeaderFormat format) {
    return switch (format) {
      case GBP -> RESERVED_GBP;
      case GPE -> RESERVED_GPE;
      case VXLAN -> RESERVED_VXLAN;
    };
  }

  /** GBP: returns whether the G flag (Group Policy ID present) is set. */
  public boolean hasGroupPolicy() {
    return (flags() & GBP_FLAG_G) != 0;
  }

  /** GBP: returns whether the D flag (don't learn) is set. */
  public boolean dontLearn() {
    return ((raw >>> 48) & GBP_FLAG_D) != 0;
  }

  /** GBP: returns whether the A flag (policy applied) is set. */
  public boolean policyApplied() {
    return ((raw >>> 48) & GBP_FLAG_A) != 0;
  }

  /** GBP: returns the 16-bit Group Policy ID. */
  public int groupPolicyId() {
    return (int) (raw >>> 32) & 0xFFFF;
  }

  /** GPE: returns the 2-bit version. */
  public int gpeVersion() {
    return (flags() & GPE_VERSION_MASK) >>> 4;
  }

  /** GPE: returns whether the P flag (next protocol present) is set. */
  public boolean hasNextProtocol() {
    return (flags() & GPE_FLAG_P) != 0;
  }

  /** GPE: returns whether the B flag (BUM traffic) is set. */
  public boolean isBum() {
    return (flags() & GPE_FLAG_B) != 0;
  }

  /** GPE: returns whether the O flag (OAM) is set. */
  public boolean isOam() {
    return (flags() & GPE_FLAG_O) != 0;
  }

  /** GPE: returns the Next Protocol octet. */
  public int nextProtocol() {
    return (int) (raw >>> 32) & 0xFF;
  }

  /**
   * GPE: returns the protocol of the payload: the Next Protocol octet when P is set, else Ethernet
   * (draft-ietf-nvo3-vxlan-gpe §3: P clear means the payload is as RFC 7348).
   */
  public int payloadProtocol() {
    return hasNextProtocol() ? nextProtocol() : GPE_NEXT_ETHERNET;
  }

  /** Sets the first octet. */
  public VxlanHeader setFlags(int flags) {
    buf.setByte(offset + FLAGS_OFFSET, flags);
    raw = buf.getLong(offset);
    return this;
  }

  /** Sets the VNI and the I flag; the reserved octet after the VNI and all other flags are kept. */
  public VxlanHeader setVni(int vni) {
    checkVni(vni);
    buf.setMedium(offset + VNI_OFFSET, vni);
    buf.setByte(offset + FLAGS_OFFSET, flags() | FLAG_I);
    raw = buf.getLong(offset);
    return this;
  }

  /** GBP: sets the Group Policy ID and the G flag; other bits are kept. */
  public VxlanHeader setGroupPolicyId(int groupPolicyId) {
    if ((groupPolicyId & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          "Group Policy ID " + groupPolicyId + " out of range 0..65535");
    }
    buf.setShort(offset + GROUP_POLICY_ID_OFFSET, groupPolicyId);
    buf.setByte(offset + FLAGS_OFFSET, flags() | GBP_FLAG_G);
    raw = buf.getLong(offset);
    return this;
  }

  /** GPE: sets the Next Protocol octet and the P flag; other bits are kept. */
  public VxlanHeader setNextProtocol(int nextProtocol) {
    if ((nextProtocol & ~0xFF) != 0) {
      throw new IllegalArgumentException("Next Protocol " + nextProtocol + " out of range 0..255");
    }
    buf.setByte(offset + GPE_NEXT_PROTOCOL_OFFSET, nextProtocol);
    buf.setByte(offset + FLAGS_OFFSET, flags() | GPE_FLAG_P);
    raw = buf.getLong(offset);
    return this;
  }

  /**
   * Writes a plain RFC 7348 header (I flag, VNI, all reserved bits zero) at absolute index {@code
   * offset} without moving indexes.
   *
   * @throws IndexOutOfBoundsException if the buffer's capacity ends before {@code offset + 8}
   */
  public static void writeVxlan(ByteBuf buf, int offset, int vni) {
    checkVni(vni);
    buf.setLong(offset, ((long) FLAG_I << 56) | ((long) vni << 8));
  }

  /**
   * Writes a GBP header: I and G flags, the D and A flags as given, the Group Policy ID and the
   * VNI.
   *
   * @throws IndexOutOfBoundsException if the buffer's capacity ends before {@code offset + 8}
   */
  public static void writeGbp(
      ByteBuf buf,
      int offset,
      int vni,
      int groupPolicyId,
      boolean dontLearn,
      boolean policyApplied) {
    checkVni(vni);
    if ((groupPolicyId & ~0xFFFF) != 0) {
      throw new IllegalArgumentException(
          "Group Policy ID " + groupPolicyId + " out of range 0..65535");
    }
    long second = (dontLearn ? GBP_FLAG_D : 0) | (policyApplied ? GBP_FLAG_A : 0);
    buf.setLong(
        offset,
        ((long) (FLAG_I | GBP_FLAG_G) << 56)
            | (second << 48)
            | ((long) groupPolicyId << 32)
            | ((long) vni << 8));
  }

  /**
   * Writes a VXLAN-GPE header, version 0: I and P flags, the B and O flags as given, next protocol,
   * VNI.
   *
   * @throws IndexOutOfBoundsException if the buffer's capacity ends before {@code offset + 8}
   */
  public static void writeGpe(
      ByteBuf buf, int offset, int vni, int nextProtocol, boolean bum, boolean oam) {
    checkVni(vni);
    if ((nextProtocol & ~0xFF) != 0) {
      throw new IllegalArgumentException("Next Protocol " + nextProtocol + " out of range 0..255");
    }
    long flags = FLAG_I | GPE_FLAG_P | (bum ? GPE_FLAG_B : 0) | (oam ? GPE_FLAG_O : 0);
    buf.setLong(offset, (flags << 56) | ((long) nextProtocol << 32) | ((long) vni << 8));
  }

  static void checkVni(int vni) {
    if ((vni & ~MAX_VNI) != 0) {
      throw new IllegalArgumentException("VNI " + vni + " out of range 0..16777215");
    }
  }

  @Override
  public String toString() {
    if (buf.capacity() == 0) {
      return "VxlanHeader[unwrapped]";
    }
    return String.format("VxlanHeader[flags=0x%02x, vni=%d, raw=%016x]", flags(), vni(), asLong());
  }
}
