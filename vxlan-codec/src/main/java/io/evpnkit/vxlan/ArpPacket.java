package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol type
 * 0x0800, address lengths 6 and 4.
 *
 * <pre>
 * | htype (2) | ptype (2) | hlen (1) | plen (1) | oper (2) |
 * | sender MAC (6) | sender IP (4) | target MAC (6) | target IP (4) |
 * </pre>
 *
 * Used by ARP suppression (RFC 9161) and by the demo's hosts. Not thread-safe; re-wrap to reuse.
 *
 * @since 0.1
 */
public final class ArpPacket {
  /** Length of an Ethernet/IPv4 ARP packet. */
  public static final int LENGTH = 28;

  /** Operation code: request. */
  public static final int REQUEST = 1;

  /** Operation code: reply. */
  public static final int REPLY = 2;

  private static final int OPERATION_OFFSET = 6;
  private static final int SENDER_MAC_OFFSET = 8;
  private static final int SENDER_IP_OFFSET = SENDER_MAC_OFFSET + 6;
  private static final int TARGET_MAC_OFFSET = SENDER_IP_OFFSET + 4;
  private static final int TARGET_IP_OFFSET = TARGET_MAC_OFFSET + 6;
  private static final long ETHERNET_IPV4_PREAMBLE = 0x0001_0800_0604L;

  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int offset;

  /** Creates an unwrapped view. */
  public ArpPacket() {}

  /**
   * Points this view at an ARP packet of {@code length} bytes (padding after 28 bytes is allowed).
   *
   * @return this view
   * @throws VxlanFormatException if it is shorter than 28 bytes or not Ethernet/IPv4 ARP
   */
  public ArpPacket wrap(ByteBuf buf, int offset, int length) {
    if (offset < 0 || length < LENGTH || offset > buf.writerIndex() - LENGTH) {
      throw new VxlanFormatException(
          "ARP packet needs " + LENGTH + " bytes, got " + length, offset);
    }
    long preamble = ((long) buf.getUnsignedShort(offset) << 32) | buf.getUnsignedInt(offset + 2);
    if (preamble != ETHERNET_IPV4_PREAMBLE) {
      throw new VxlanFormatException(
          String.format("ARP header %012x: must be 000108000604 (Ethernet, IPv4, 6, 4)", preamble),
          offset);
    }
    this.buf = buf;
    this.offset = offset;
    return this;
  }

  /** Returns the operation code (1 request, 2 reply). */
  public int operation() {
    return buf.getUnsignedShort(offset + OPERATION_OFFSET);
  }

  /** Returns the sender hardware address. */
  public long senderMac() {
    return EthernetFrame.readMac(buf, offset + SENDER_MAC_OFFSET);
  }

  /** Returns the sender protocol address. */
  public int senderIp() {
    return buf.getInt(offset + SENDER_IP_OFFSET);
  }

  /** Returns the target hardware address. */
  public long targetMac() {
    return EthernetFrame.readMac(buf, offset + TARGET_MAC_OFFSET);
  }

  /** Returns the target protocol address. */
  public int targetIp() {
    return buf.getInt(offset + TARGET_IP_OFFSET);
  }

  /** Returns whether this is a gratuitous ARP (sender and target protocol addresses equal). */
  public boolean isGratuitous() {
    return senderIp() == targetIp();
  }

  /**
   * Writes an Ethernet/IPv4 ARP packet of {@link #LENGTH} bytes at {@code offset} without moving
   * indexes.
   */
  public static void write(
      ByteBuf buf,
      int offset,
      int operation,
      long senderMac,
      int senderIp,
      long targetMac,
      int targetIp) {
    buf.setShort(offset, 1);
    buf.setShort(offset + 2, EthernetFrame.ETHERTYPE_IPV4);
    buf.setByte(offset + 4, 6);
    buf.setByte(offset + 5, 4);
    buf.setShort(offset + OPERATION_OFFSET, operation);
    EthernetFrame.writeMac(buf, offset + SENDER_MAC_OFFSET, senderMac);
    buf.setInt(offset + SENDER_IP_OFFSET, senderIp);
    EthernetFrame.writeMac(buf, offset + TARGET_MAC_OFFSET, targetMac);
    buf.setInt(offset + TARGET_IP_OFFSET, targetIp);
  }

  @Override
  public String toString() {
    if (buf.capacity() == 0) {
      return "ArpPacket[unwrapped]";
    }
    StringBuilder sb = new StringBuilder(operation() == REQUEST ? "ARP who-has " : "ARP ");
    if (operation() == REQUEST) {
      Addresses.appendIpv4(sb, targetIp()).append(" tell ");
      Addresses.appendIpv4(sb, senderIp());
    } else {
      sb.append("op ").append(operation()).append(' ');
      Addresses.appendIpv4(sb, senderIp()).append(" is-at ");
      Addresses.appendMac(sb, senderMac());
    }
    return sb.toString();
  }
}
