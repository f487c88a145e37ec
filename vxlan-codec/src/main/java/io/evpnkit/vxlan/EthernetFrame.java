package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over an Ethernet II frame (IEEE 802.3 with EtherType) with up to two VLAN tags: 802.1Q
 * (TPID 0x8100), 802.1ad service tags (0x88A8) and the pre-standard 0x9100.
 *
 * <pre>
 * | destination (6) | source (6) | [TPID (2) TCI (2)]{0,2} | EtherType (2) | payload ...
 * TCI: | PCP (3) | DEI (1) | VLAN ID (12) |
 * </pre>
 *
 * The frame check sequence is not part of the view (captures and sockets do not carry it). Getters
 * read with absolute indexes; the buffer is not retained. Not thread-safe; re-wrap to reuse.
 *
 * @since 0.1
 */
public final class EthernetFrame {
  /** Length of the untagged header: two addresses and the EtherType. */
  public static final int HEADER_LENGTH = 14;

  /** Length of one VLAN tag. */
  public static final int TAG_LENGTH = 4;

  /** Most VLAN tags this view parses (outer S-tag and inner C-tag). */
  public static final int MAX_TAGS = 2;

  /** EtherType IPv4. */
  public static final int ETHERTYPE_IPV4 = 0x0800;

  /** EtherType ARP. */
  public static final int ETHERTYPE_ARP = 0x0806;

  /** EtherType IPv6. */
  public static final int ETHERTYPE_IPV6 = 0x86DD;

  /** TPID of an IEEE 802.1Q customer tag. */
  public static final int TPID_8021Q = 0x8100;

  /** TPID of an IEEE 802.1ad service tag. */
  public static final int TPID_8021AD = 0x88A8;

  /** Pre-standard QinQ TPID. */
  public static final int TPID_QINQ_LEGACY = 0x9100;

  private static final int SOURCE_OFFSET = 6;
  private static final int TYPE_OFFSET = 12;

  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int offset;
  private int length;
  private int tagCount;
  private int etherTypeOffset;

  /** Creates an unwrapped view. */
  public EthernetFrame() {}

  /** Returns whether {@code type} is a VLAN tag protocol identifier this view recognises. */
  public static boolean isTagProtocol(int type) {
    return type == TPID_8021Q || type == TPID_8021AD || type == TPID_QINQ_LEGACY;
  }

  /**
   * Points this view at the frame {@code [offset, offset + length)} of {@code buf}.
   *
   * @return this view
   * @throws VxlanFormatException if the header or a VLAN tag is cut short
   */
  public EthernetFrame wrap(ByteBuf buf, int offset, int length) {
    int problem = parse(buf, offset, length);
    if (problem >= 0) {
      throw new VxlanFormatException(
          "Ethernet frame of " + length + " bytes is cut short in its header or VLAN tags",
          problem);
    }
    return this;
  }

  /**
   * Like {@link #wrap} but returns {@code false} instead of throwing when the frame is cut short.
   */
  public boolean tryWrap(ByteBuf buf, int offset, int length) {
    return parse(buf, offset, length) < 0;
  }

  private int parse(ByteBuf buf, int offset, int length) {
    if (offset < 0 || length < HEADER_LENGTH || offset > buf.writerIndex() - length) {
      return Math.max(0, offset);
    }
    int typeAt = offset + TYPE_OFFSET;
    int tags = 0;
    while (tags < MAX_TAGS && isTagProtocol(buf.getUnsignedShort(typeAt))) {
      if (typeAt + TAG_LENGTH + 2 > offset + length) {
        return typeAt;
      }
      typeAt += TAG_LENGTH;
      tags++;
    }
    this.buf = buf;
    this.offset = offset;
    this.length = length;
    this.tagCount = tags;
    this.etherTypeOffset = typeAt;
    return -1;
  }

  /** Returns the absolute index of the first byte of the frame. */
  public int offset() {
    return offset;
  }

  /** Returns the frame length in bytes. */
  public int length() {
    return length;
  }

  /** Returns the destination MAC address (48 bits). */
  public long destination() {
    return readMac(buf, offset);
  }

  /** Returns the source MAC address (48 bits). */
  public long source() {
    return readMac(buf, offset + SOURCE_OFFSET);
  }

  /** Returns whether the destination is the broadcast address. */
  public boolean isBroadcast() {
    return destination() == 0xFFFF_FFFF_FFFFL;
  }

  /** Returns whether the destination is a group (multicast or broadcast) address. */
  public boolean isMulticast() {
    return (buf.getUnsignedByte(offset) & 1) != 0;
  }

  /** Returns the number of VLAN tags, 0..{@value #MAX_TAGS}. */
  public int tagCount() {
    return tagCount;
  }

  /** Returns the TPID of tag {@code i} (0 is the outermost). */
  public int tagProtocol(int i) {
    return buf.getUnsignedShort(tagOffset(i));
  }

  /** Returns the 16-bit TCI of tag {@code i} (0 is the outermost). */
  public int tagControl(int i) {
    return buf.getUnsignedShort(tagOffset(i) + 2);
  }

  /** Returns the 12-bit VLAN ID of tag {@code i} (0 is the outermost). */
  public int vlanId(int i) {
    return tagControl(i) & 0x0FFF;
  }

  /** Returns the 3-bit priority code point of tag {@code i}. */
  public int priority(int i) {
    return tagControl(i) >>> 13;
  }

  private int tagOffset(int i) {
    if (i < 0 || i >= tagCount) {
      throw new IndexOutOfBoundsException("tag " + i + " of " + tagCount);
    }
    return offset + TYPE_OFFSET + i * TAG_LENGTH;
  }

  /**
   * Returns the EtherType after the tags (a TPID if more than {@value #MAX_TAGS} tags are stacked).
   */
  public int etherType() {
    return buf.getUnsignedShort(etherTypeOffset);
  }

  /** Returns the absolute index of the payload (after the EtherType). */
  public int payloadOffset() {
    return etherTypeOffset + 2;
  }

  /** Returns the payload length in bytes (including any padding to the minimum frame size). */
  public int payloadLength() {
    return offset + length - payloadOffset();
  }

  /** Reads a 48-bit MAC address at an absolute index. */
  public static long readMac(ByteBuf buf, int index) {
    return ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2);
  }

  /** Writes a 48-bit MAC address at an absolute index. */
  public static void writeMac(ByteBuf buf, int index, long mac) {
    buf.setShort(index, (int) (mac >>> 32));
    buf.setInt(index + 2, (int) mac);
  }

  @Override
  public String toString() {
    if (buf.capacity() == 0) {
      return "EthernetFrame[unwrapped]";
    }
    StringBuilder sb = new StringBuilder("EthernetFrame[");
    Addresses.appendMac(sb, source()).append(" > ");
    Addresses.appendMac(sb, destination());
    for (int i = 0; i < tagCount; i++) {
      sb.append(", vlan ").append(vlanId(i));
    }
    return sb.append(String.format(", type 0x%04x, %d bytes]", etherType(), length)).toString();
  }
}
