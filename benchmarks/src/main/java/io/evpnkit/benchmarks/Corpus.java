package io.evpnkit.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * GoBGP's EVPN UPDATE corpora ({@code ../shared/corpus/*.bgp.gz}: UPDATE messages back to back),
 * read for the benchmarks from {@code -Devpnkit.corpus=DIR} (default {@code ../shared/corpus}). The
 * walks here trust the corpus (GoBGP wrote it, and its manifest checks it); they are setup, never
 * timed.
 */
final class Corpus {
  private Corpus() {}

  /** Reads and unpacks {@code <name>.bgp.gz} into a heap buffer. */
  static ByteBuf read(String name) throws IOException {
    Path path = Path.of(System.getProperty("evpnkit.corpus", "../shared/corpus"), name + ".bgp.gz");
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
      return Unpooled.wrappedBuffer(in.readAllBytes());
    }
  }

  /** Returns start, end pairs of every message. */
  static int[] messages(ByteBuf data) {
    int[] out = new int[64];
    int n = 0;
    for (int off = 0; off < data.writerIndex(); off += data.getUnsignedShort(off + 16)) {
      if (n + 2 > out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[n++] = off;
      out[n++] = off + data.getUnsignedShort(off + 16);
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * Returns start, end pairs of the NLRI field of every MP_REACH_NLRI (14) and MP_UNREACH_NLRI
   * (15).
   */
  static int[] nlriFields(ByteBuf data) {
    int[] out = new int[64];
    int n = 0;
    for (int off = 0; off < data.writerIndex(); off += data.getUnsignedShort(off + 16)) {
      int attrs = off + 21 + data.getUnsignedShort(off + 19);
      int end = attrs + 2 + data.getUnsignedShort(attrs);
      for (int a = attrs + 2; a < end; ) {
        boolean ext = (data.getUnsignedByte(a) & 0x10) != 0;
        int len = ext ? data.getUnsignedShort(a + 2) : data.getUnsignedByte(a + 2);
        int v = a + (ext ? 4 : 3);
        int type = data.getUnsignedByte(a + 1);
        if (type == 14 || type == 15) {
          if (n + 2 > out.length) {
            out = Arrays.copyOf(out, out.length * 2);
          }
          out[n++] = type == 14 ? v + 5 + data.getUnsignedByte(v + 3) : v + 3;
          out[n++] = v + len;
        }
        a = v + len;
      }
    }
    return Arrays.copyOf(out, n);
  }
}
