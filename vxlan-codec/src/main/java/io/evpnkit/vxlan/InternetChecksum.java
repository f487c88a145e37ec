package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/**
 * The Internet checksum of RFC 1071 (used by IPv4 headers, RFC 791, and UDP, RFC 768 and RFC 8200
 * §8.1), computed over {@link ByteBuf} regions without allocation and eight bytes at a time.
 *
 * <p>Partial sums are {@code long} one's complement accumulators that may be added together with
 * {@link #add(long, long)} and are folded to 16 bits by {@link #finish(long)}. Each region summed
 * must start at an even distance from the start of the checksummed data; only the last may have odd
 * length.
 *
 * @since 0.1
 */
public final class InternetChecksum {
  private InternetChecksum() {}

  /**
   * Adds the bytes {@code [offset, offset + length)} of {@code buf} (absolute indexes, indexes not
   * moved) to the partial sum {@code sum}.
   */
  public static long sum(ByteBuf buf, int offset, int length, long sum) {
    int i = offset;
    int end = offset + length;
    long acc = sum;
    while (i <= end - 8) {
      acc = add(acc, buf.getLong(i));
      i += 8;
    }
    if (i <= end - 4) {
      acc = add(acc, buf.getUnsignedInt(i));
      i += 4;
    }
    if (i <= end - 2) {
      acc = add(acc, buf.getUnsignedShort(i));
      i += 2;
    }
    if (i < end) {
      acc = add(acc, (long) buf.getUnsignedByte(i) << 8);
    }
    return acc;
  }

  /** Adds {@code bytes[offset, offset + length)} to the partial sum {@code sum}. */
  public static long sum(byte[] bytes, int offset, int length, long sum) {
    long acc = sum;
    int i = offset;
    int end = offset + length;
    long words = 0; // at most 2^15 words of 16 bits: no overflow within one region of an array
    for (; i + 1 < end; i += 2) {
      words += ((bytes[i] & 0xFF) << 8) | (bytes[i + 1] & 0xFF);
    }
    if (i < end) {
      words += (bytes[i] & 0xFF) << 8;
    }
    return add(acc, words);
  }

  /** One's complement addition of two 64-bit partial sums (end-around carry). */
  public static long add(long sum, long value) {
    long s = sum + value;
    return Long.compareUnsigned(s, value) < 0 ? s + 1 : s;
  }

  /** Folds a partial sum to 16 bits without complementing it. */
  public static int fold(long sum) {
    long s = (sum >>> 32) + (sum & 0xFFFF_FFFFL);
    s = (s >>> 32) + (s & 0xFFFF_FFFFL);
    s = (s >>> 16) + (s & 0xFFFF);
    s = (s >>> 16) + (s & 0xFFFF);
    s = (s >>> 16) + (s & 0xFFFF);
    return (int) s;
  }

  /** Folds and complements a partial sum: the value to put in a checksum field, 0..0xFFFF. */
  public static int finish(long sum) {
    return ~fold(sum) & 0xFFFF;
  }

  /**
   * Returns the checksum of a region in one call, for example an IPv4 header with its checksum
   * field zeroed; a region that includes a correct checksum field yields 0.
   */
  public static int compute(ByteBuf buf, int offset, int length) {
    return finish(sum(buf, offset, length, 0));
  }
}
