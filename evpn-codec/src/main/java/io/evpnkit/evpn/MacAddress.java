package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * A 48-bit IEEE MAC address. Text: six lower-case hex octets separated by colons ({@code
 * 00:00:0a:0b:0c:0d}); {@link #parse} also accepts {@code -} separators and upper case. Immutable;
 * ordered as the unsigned 48-bit number.
 *
 * @since 0.1
 */
public final class MacAddress implements Comparable<MacAddress> {
  /** Length on the wire. */
  public static final int LENGTH = 6;

  /** The broadcast address. */
  public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long value;

  private MacAddress(long value) {
    this.value = value;
  }

  /**
   * Returns the MAC address of the low 48 bits of {@code value}.
   *
   * @throws IllegalArgumentException if higher bits are set
   */
  public static MacAddress of(long value) {
    if ((value & ~0xFFFF_FFFF_FFFFL) != 0) {
      throw new IllegalArgumentException(String.format("MAC address %x exceeds 48 bits", value));
    }
    return new MacAddress(value);
  }

  /**
   * Reads six octets at absolute index {@code index} (indexes not moved).
   *
   * @throws MalformedException if fewer than 6 bytes are readable there
   */
  public static MacAddress read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("MAC address needs 6 bytes", index);
    }
    return new MacAddress(
        ((long) buf.getUnsignedShort(index) << 32) | buf.getUnsignedInt(index + 2));
  }

  /** Writes the six octets at absolute index {@code index} (indexes not moved). */
  public void write(ByteBuf buf, int index) {
    buf.setShort(index, (int) (value >>> 32));
    buf.setInt(index + 2, (int) value);
  }

  /** Returns the address as a 48-bit number. */
  public long value() {
    return value;
  }

  /** Returns whether the group bit is set (multicast or broadcast). */
  public boolean isMulticast() {
    return (value & 0x0100_0000_0000L) != 0;
  }

  /**
   * Parses six hex octets separated by {@code :} or {@code -}.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static MacAddress parse(String text) {
    long v = 0;
    int at = 0;
    for (int i = 0; i < LENGTH; i++) {
      int end = at;
      while (end < text.length() && text.charAt(end) != ':' && text.charAt(end) != '-') {
        end++;
      }
      if (end - at < 1
          || end - at > 2
          || (i < LENGTH - 1 && end == text.length())
          || (i == LENGTH - 1 && end != text.length())) {
        throw new MalformedException(
            "MAC address " + MalformedException.quote(text) + ": six hex octets separated by ':'",
            at);
      }
      v = (v << 8) | RouteDistinguisher.parseHex(text, at, end);
      at = end + 1;
    }
    return new MacAddress(v);
  }

  static void appendHexOctet(StringBuilder sb, int b) {
    sb.append(HEX[(b >>> 4) & 0xF]).append(HEX[b & 0xF]);
  }

  /** Appends the text form. */
  public StringBuilder appendTo(StringBuilder sb) {
    for (int shift = 40; shift >= 0; shift -= 8) {
      appendHexOctet(sb, (int) (value >>> shift));
      if (shift > 0) {
        sb.append(':');
      }
    }
    return sb;
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder(17)).toString();
  }

  @Override
  public int compareTo(MacAddress o) {
    return Long.compare(value, o.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacAddress other && other.value == value;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(value);
  }
}
