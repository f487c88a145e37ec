package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * The buffer shapes a codec must work over: heap, direct, pooled direct, and a composite of three
 * components whose boundaries fall inside protocol headers; {@link #wrap} places the bytes at a
 * non-zero offset so that nothing may assume index 0. Every buffer returned must be released by the
 * caller.
 *
 * @since 0.1
 */
@Beta
public enum BufferShape {
  /** Unpooled heap buffer. */
  HEAP,
  /** Unpooled direct buffer. */
  DIRECT,
  /** Pooled direct buffer (the shape of a Netty channel's reads). */
  POOLED_DIRECT,
  /** Composite of heap and direct components split at 23 and 60 bytes. */
  COMPOSITE;

  /** The offset at which {@link #wrap} places data. */
  public static final int OFFSET = 13;

  /** Allocates a buffer of exactly {@code capacity} bytes of this shape, writer index 0. */
  public ByteBuf allocate(int capacity) {
    return switch (this) {
      case HEAP -> Unpooled.buffer(capacity, capacity);
      case DIRECT -> Unpooled.directBuffer(capacity, capacity);
      case POOLED_DIRECT -> PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
      case COMPOSITE -> composite(capacity);
    };
  }

  private static ByteBuf composite(int capacity) {
    CompositeByteBuf c = Unpooled.compositeBuffer();
    int a = Math.min(capacity, 23);
    int b = Math.min(capacity - a, 37);
    int rest = capacity - a - b;
    c.addComponent(false, Unpooled.buffer(a, a).writerIndex(a));
    c.addComponent(false, Unpooled.directBuffer(b, b).writerIndex(b));
    c.addComponent(false, Unpooled.buffer(rest, rest).writerIndex(rest));
    c.writerIndex(0);
    return c;
  }

  /**
   * Returns a buffer of this shape holding {@code bytes} from index {@code offset}, reader index
   * there.
   */
  public ByteBuf wrap(byte[] bytes, int offset) {
    ByteBuf buf = allocate(offset + bytes.length);
    buf.writerIndex(offset);
    buf.writeBytes(bytes);
    buf.readerIndex(offset);
    return buf;
  }

  /** Returns a buffer of this shape holding {@code bytes} at {@link #OFFSET}. */
  public ByteBuf wrap(byte[] bytes) {
    return wrap(bytes, OFFSET);
  }
}
