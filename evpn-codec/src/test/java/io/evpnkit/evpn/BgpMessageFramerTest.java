package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BgpMessageFramerTest {
  /** Feeds {@code stream} in segments cut at the given sizes; returns the messages as hex. */
  private static List<String> frame(byte[] stream, SplittableRandom cuts, int maxSegment) {
    List<String> out = new ArrayList<>();
    try (BgpMessageFramer f = new BgpMessageFramer(false, PooledByteBufAllocator.DEFAULT)) {
      int at = 0;
      while (at < stream.length) {
        int n = Math.min(stream.length - at, 1 + cuts.nextInt(maxSegment));
        ByteBuf segment = PooledByteBufAllocator.DEFAULT.directBuffer(n + 7);
        segment.writerIndex(7).readerIndex(7);
        segment.writeBytes(stream, at, n);
        try {
          assertNull(
              f.feed(
                  segment,
                  (m, type, offset) -> {
                    assertEquals(2, type);
                    out.add(offset + ":" + ByteBufUtil.hexDump(m));
                  }));
          assertEquals(7, segment.readerIndex(), "segment indexes untouched");
        } finally {
          segment.release();
        }
        at += n;
      }
      assertEquals(stream.length, f.consumed());
      assertEquals(0, f.pending());
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 19, 20, 100, 1500, 9000, 200_000})
  void anySegmentationGivesTheSameMessages(int maxSegment) {
    byte[] stream = GobgpSample.bytes();
    List<String> whole = frame(stream, new SplittableRandom(1), Integer.MAX_VALUE - 1);
    assertEquals(400, whole.size());
    assertEquals(whole, frame(stream, new SplittableRandom(maxSegment), maxSegment));
  }

  private static BgpMessageFramer.HeaderError errorOf(String hex) {
    try (BgpMessageFramer f =
        new BgpMessageFramer(false, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) {
      ByteBuf b = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(hex));
      BgpMessageFramer.HeaderError e = f.feed(b, (m, t, o) -> {});
      assertNotNull(e, hex);
      assertEquals(
          e,
          f.feed(Unpooled.wrappedBuffer(new byte[19]), (m, t, o) -> {}),
          "the stream stays failed");
      return e;
    }
  }

  private static final String MARKER = "ff".repeat(16);
  private static final String KEEPALIVE = MARKER + "001304";

  @Test
  void headerErrorsAreTheNotificationsOfRfc4271Section6Point1() {
    BgpMessageFramer.HeaderError marker = errorOf(KEEPALIVE + "fe" + "ff".repeat(15) + "001304");
    assertEquals(1, marker.errorCode());
    assertEquals(1, marker.errorSubcode());
    assertEquals(19, marker.streamOffset());
    assertEquals(2, errorOf(MARKER + "001204").errorSubcode());
    assertEquals(16, errorOf(MARKER + "001204").streamOffset());
    assertEquals(2, errorOf(MARKER + "100102").errorSubcode(), "4097 without extended messages");
    assertEquals(2, errorOf(MARKER + "001404" + "00").errorSubcode(), "KEEPALIVE must be 19");
    assertEquals(2, errorOf(MARKER + "001602" + "000000").errorSubcode(), "UPDATE shorter than 23");
    BgpMessageFramer.HeaderError type = errorOf(MARKER + "001306");
    assertEquals(3, type.errorSubcode());
    assertEquals(18, type.streamOffset());
  }

  @Test
  void extendedMessagesAllowLongerMessages() {
    try (BgpMessageFramer f =
        new BgpMessageFramer(true, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT)) {
      byte[] update = new byte[5000];
      java.util.Arrays.fill(update, 0, 16, (byte) 0xFF);
      update[16] = (byte) (5000 >>> 8);
      update[17] = (byte) 5000;
      update[18] = 2;
      int[] seen = {0};
      assertNull(f.feed(Unpooled.wrappedBuffer(update), (m, t, o) -> seen[0] = m.readableBytes()));
      assertEquals(5000, seen[0]);
    }
  }
}
