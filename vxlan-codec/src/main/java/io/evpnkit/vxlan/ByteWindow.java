package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The first bytes of a packet copied once into a reusable array, so that parsing many small header
 * fields costs one buffer access instead of one each: Netty's accessors check accessibility and
 * bounds on every call, a plain array read with a {@link VarHandle} view is a few instructions.
 * Reads past the window fall back to the buffer. Indexes are absolute buffer indexes; callers have
 * already checked them against the packet's end. Not thread-safe.
 */
final class ByteWindow {
  static final int SIZE = 96;
  private static final VarHandle LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private final byte[] bytes = new byte[SIZE];
  private ByteBuf buf = io.netty.buffer.Unpooled.EMPTY_BUFFER;
  private int base;
  private int limit;

  /** Copies {@code [from, min(to, from + SIZE))} of {@code buf}. */
  @SuppressWarnings("ReferenceEquality") // identity, not content: is it the same buffer?
  void load(ByteBuf buf, int from, int to) {
    int n = Math.min(to - from, SIZE);
    if (this.buf != buf) {
      this.buf = buf;
    }
    if (n > 0) {
      buf.getBytes(from, bytes, 0, n);
    }
    this.base = from;
    this.limit = from + Math.max(n, 0);
  }

  long getLong(int at) {
    int i = at - base;
    return i >= 0 && at + 8 <= limit ? (long) LONG.get(bytes, i) : buf.getLong(at);
  }

  int getInt(int at) {
    int i = at - base;
    return i >= 0 && at + 4 <= limit ? (int) INT.get(bytes, i) : buf.getInt(at);
  }

  int getUnsignedShort(int at) {
    int i = at - base;
    return i >= 0 && at + 2 <= limit
        ? (short) SHORT.get(bytes, i) & 0xFFFF
        : buf.getUnsignedShort(at);
  }

  int getUnsignedByte(int at) {
    int i = at - base;
    return i >= 0 && at < limit ? bytes[i] & 0xFF : buf.getUnsignedByte(at);
  }
}
