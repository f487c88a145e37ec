package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * One large community (BGP attribute 32, RFC 8092 §3): global administrator, local data part 1 and
 * 2, each four octets (unsigned). Text form {@code global:local1:local2} (RFC 8195 §2).
 *
 * @param global the global administrator (an AS number), 0..2^32-1
 * @param local1 local data part 1, 0..2^32-1
 * @param local2 local data part 2, 0..2^32-1
 * @since 0.1
 */
public record LargeCommunity(long global, long local1, long local2)
    implements Comparable<LargeCommunity> {
  /** Encoded length. */
  public static final int LENGTH = 12;

  /** Checks the ranges. */
  public LargeCommunity {
    if ((global | local1 | local2) >>> 32 != 0) {
      throw new IllegalArgumentException("large community parts are 0..4294967295");
    }
  }

  /** Reads twelve octets at absolute index {@code index}. */
  public static LargeCommunity read(ByteBuf buf, int index) {
    if (index < 0 || index > buf.writerIndex() - LENGTH) {
      throw new MalformedException("large community needs 12 bytes", Math.max(index, 0));
    }
    return new LargeCommunity(
        buf.getUnsignedInt(index), buf.getUnsignedInt(index + 4), buf.getUnsignedInt(index + 8));
  }

  /** Appends the twelve octets at the writer index. */
  public void write(ByteBuf out) {
    out.ensureWritable(LENGTH);
    out.writeInt((int) global).writeInt((int) local1).writeInt((int) local2);
  }

  /**
   * Parses {@code global:local1:local2}.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static LargeCommunity parse(String text) {
    int a = text.indexOf(':');
    int b = a < 0 ? -1 : text.indexOf(':', a + 1);
    if (b < 0) {
      throw new MalformedException("large community must be global:local1:local2", Math.max(a, 0));
    }
    long max = 0xFFFF_FFFFL;
    return new LargeCommunity(
        RouteDistinguisher.parseNumber(text, 0, a, max, "global administrator"),
        RouteDistinguisher.parseNumber(text, a + 1, b, max, "local data part 1"),
        RouteDistinguisher.parseNumber(text, b + 1, text.length(), max, "local data part 2"));
  }

  @Override
  public int compareTo(LargeCommunity o) {
    int c = Long.compare(global, o.global);
    c = c != 0 ? c : Long.compare(local1, o.local1);
    return c != 0 ? c : Long.compare(local2, o.local2);
  }

  @Override
  public String toString() {
    return global + ":" + local1 + ":" + local2;
  }
}
