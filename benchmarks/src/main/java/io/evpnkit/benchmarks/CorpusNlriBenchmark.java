package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
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
 * The NLRI loop of GoBGP's peer benchmark ({@code ../shared/peers/gobgp}, mode {@code nlri}), done
 * by evpnkit over the same corpus files: the NLRI regions of every MP_REACH_NLRI / MP_UNREACH_NLRI
 * are found untimed in setup, then one operation validates and reads every NLRI of the file. Divide
 * the time per operation by the file's NLRI count (printed in setup) for ns per NLRI.
 *
 * <p>The corpus is read from {@code -Devpnkit.corpus=DIR} (default {@code ../shared/corpus}), gzip
 * as shipped. This measures NLRI decoding only; {@code CorpusUpdateBenchmark} decodes whole
 * UPDATEs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class CorpusNlriBenchmark {
  @Param({"mixed-100k", "type2-1m", "withdraw-1m"})
  String file;

  private ByteBuf data;
  private int[] regions; // start, end pairs
  private int nlri;

  @Setup
  public void setup() throws IOException {
    data = Corpus.read(file);
    regions = Corpus.nlriFields(data);
    int count = regions.length;
    nlri = scan(new EvpnNlri());
    System.out.printf(
        "%n%s: %d bytes, %d NLRI regions, %d NLRI%n", file, data.writerIndex(), count / 2, nlri);
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

  /**
   * Validate every NLRI and decode it to an immutable route value, as GoBGP decodes to its objects.
   */
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
