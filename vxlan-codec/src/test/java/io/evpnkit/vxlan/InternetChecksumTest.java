package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InternetChecksumTest {
  @Test
  void matchesRfc1071Example() {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (folded)
    ByteBuf buf =
        Buffers.HEAP.wrap(
            new byte[] {
              0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7
            },
            0);
    try {
      assertEquals(0xddf2, InternetChecksum.fold(InternetChecksum.sum(buf, 0, 8, 0)));
      assertEquals(0x220d, InternetChecksum.compute(buf, 0, 8));
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void agreesWithWordByWordSumForEveryLength(Buffers kind) {
    SplittableRandom r = new SplittableRandom(7);
    for (int length = 0; length < 80; length++) {
      byte[] data = new byte[length];
      for (int i = 0; i < length; i++) {
        data[i] = (byte) r.nextInt(256);
      }
      ByteBuf buf = kind.wrap(data, Buffers.OFFSET);
      try {
        assertEquals(
            reference(data),
            InternetChecksum.compute(buf, Buffers.OFFSET, length),
            "length " + length);
      } finally {
        buf.release();
      }
    }
  }

  private static int reference(byte[] d) {
    long s = 0;
    for (int i = 0; i < d.length; i += 2) {
      s += ((d[i] & 0xFF) << 8) | (i + 1 < d.length ? d[i + 1] & 0xFF : 0);
    }
    while ((s >> 16) != 0) {
      s = (s & 0xFFFF) + (s >> 16);
    }
    return (int) (~s & 0xFFFF);
  }
}
