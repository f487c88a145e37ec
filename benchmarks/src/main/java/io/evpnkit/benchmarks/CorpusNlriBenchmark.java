package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The NLRI loop of GoBGP's peer benchmark ({@code ../shared/peers/gobgp}, mode {@code nlri}), done by
 * evpnkit over the same corpus files: the NLRI regions of every MP_REACH_NLRI / MP_UNREACH_NLRI are found
 * untimed in setup, then one operation validates and reads every NLRI of the file. Divide the time per
 * operation by the file's NLRI count (printed in setup) for ns per NLRI.
 *
 * <p>The corpus is read from {@code -Devpnkit.corpus=DIR} (default {@code ../shared/corpus}), gzip as
 * shipped. This measures NLRI decoding only; the whole-UPDATE decoder (RFC 7606) is not written yet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CorpusNlriBenchmark {
  @Param({"mixed-100k", "type2-1m", "withdraw-1m"})
  String file;

  private ByteBuf data;
  private int[] regions; // start, end pairs
  private int nlri;

  @Setup
  public void setup() throws IOException {
    Path path = Path.of(System.getProperty("evpnkit.corpus", "../shared/corpus"), file + ".bgp.gz");
    byte[] bytes;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
      bytes = in.readAllBytes();
    }
    data = Unpooled.wrappedBuffer(bytes);
    int[] found = new int[2 * 40_000];
    int count = 0;
    for (int off = 0; off < bytes.length; off += data.getUnsignedShort(off + 16)) {
      int attrs = off + 21 + data.getUnsignedShort(off + 19);
      int end = attrs + 2 + data.getUnsignedShort(attrs);
      for (int a = attrs + 2; a < end;) {
        boolean ext = (data.getUnsignedByte(a) & 0x10) != 0;
        int len = ext ? data.getUnsignedShort(a + 2) : data.getUnsignedByte(a + 2);
        int v = a + (ext ? 4 : 3);
        int type = data.getUnsignedByte(a + 1);
        if (type == 14 || type == 15) {
          found[count++] = type == 14 ? v + 5 + data.getUnsignedByte(v + 3) : v + 3;
          found[count++] = v + len;
        }
        a = v + len;
      }
    }
    regions = java.util.Arrays.copyOf(found, count);
    nlri = scan(new EvpnNlri());
    System.out.printf("%n%s: %d bytes, %d NLRI regions, %d NLRI%n", file, bytes.length, count / 2, nlri);
  }

  private int scan(EvpnNlri n) {
    int total = 0;
    for (int r = 0; r < regions.length; r += 2) {
      int end = regions[r + 1];
      for (int at = regions[r]; at < end; at += n.totalLength()) {
        if (!n.tryWrap(data, at, end)) {
          throw new IllegalStateException("malformed NLRI at " + at + ": " + n.error());
        }
        total++;
      }
    }
    return total;
  }

  /** Validate every NLRI and read its key fields as primitives (no allocation). */
  @Benchmark
  public long flyweight() {
    EvpnNlri n = new EvpnNlri();
    long acc = 0;
    for (int r = 0; r < regions.length; r += 2) {
      int end = regions[r + 1];
      for (int at = regions[r]; at < end; at += n.totalLength()) {
        if (!n.tryWrap(data, at, end)) {
          return -1;
        }
        acc += n.routeDistinguisherValue() + n.routeTypeCode();
        if (n.routeTypeCode() == 2) {
          acc += n.mac();
        }
      }
    }
    return acc;
  }

  /** Validate every NLRI and decode it to an immutable route value, as GoBGP decodes to its objects. */
  @Benchmark
  public void toValues(Blackhole bh) {
    EvpnNlri n = new EvpnNlri();
    for (int r = 0; r < regions.length; r += 2) {
      int end = regions[r + 1];
      for (int at = regions[r]; at < end; at += n.totalLength()) {
        n.tryWrap(data, at, end);
        bh.consume(EvpnRoutes.decode(n));
      }
    }
  }
}
