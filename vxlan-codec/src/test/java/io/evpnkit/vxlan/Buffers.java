package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * The buffer shapes every codec test runs over: heap, direct, pooled direct, composite, at an
 * offset.
 */
enum Buffers {
  HEAP {
    @Override
    ByteBuf allocate(int capacity) {
      return Unpooled.buffer(capacity, capacity);
    }
  },
  DIRECT {
    @Override
    ByteBuf allocate(int capacity) {
      return Unpooled.directBuffer(capacity, capacity);
    }
  },
  POOLED_DIRECT {
    @Override
    ByteBuf allocate(int capacity) {
      return PooledByteBufAllocator.DEFAULT.directBuffer(capacity, capacity);
    }
  },
  COMPOSITE {
    @Override
    ByteBuf allocate(int capacity) {
      // three components with boundaries inside headers, so multi-byte reads straddle them
      CompositeByteBuf c = Unpooled.compositeBuffer();
      int a = Math.min(capacity, 23);
      int b = Math.min(capacity - a, 37);
      c.addComponent(false, Unpooled.buffer(a, a).writerIndex(a));
      c.addComponent(false, Unpooled.directBuffer(b, b).writerIndex(b));
      int rest = capacity - a - b;
      c.addComponent(false, Unpooled.buffer(rest, rest).writerIndex(rest));
      c.writerIndex(0);
      return c;
    }
  };

  /** The offset at which tests place data, so that nothing assumes index 0. */
  static final int OFFSET = 13;

  abstract ByteBuf allocate(int capacity);

  /** Returns a buffer holding {@code bytes} from index {@code offset} on (reader index there). */
  ByteBuf wrap(byte[] bytes, int offset) {
    ByteBuf buf = allocate(offset + bytes.length);
    buf.writerIndex(offset);
    buf.writeBytes(bytes);
    buf.readerIndex(offset);
    return buf;
  }

  static List<Buffers> all() {
    return List.of(values());
  }
}
