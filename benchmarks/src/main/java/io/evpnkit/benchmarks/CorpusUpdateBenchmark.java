package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
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
 * Whole-UPDATE decoding of GoBGP's corpora ({@code ../shared/corpus}), the counterpart of GoBGP's
 * {@code ParseBGPMessage} in {@code ../shared/peers/gobgp}: one operation decodes every UPDATE of
 * the file with {@link UpdateDecoder} (header checks, the RFC 7606 walk of every attribute,
 * MP_REACH/MP_UNREACH framing, the layout check of every NLRI) and visits every route. Only the
 * message boundaries are found in setup (a {@code BgpMessageFramer} does that on a live stream).
 * Divide the time per operation by the NLRI count printed in setup for ns per NLRI.
 *
 * <p>The corpus is read from {@code -Devpnkit.corpus=DIR} (default {@code ../shared/corpus}), gzip
 * as shipped.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
public class CorpusUpdateBenchmark {
  @Param({"mixed-100k", "type2-1m", "withdraw-1m"})
  String file;

  private ByteBuf data;
  private int[] messages; // start, end pairs
  private final UpdateDecoder decoder = new UpdateDecoder(SessionOptions.EBGP);
  private final Summing summing = new Summing();

  /** Reads what GoBGP's decoder would hand its caller, as primitives. */
  static final class Summing implements UpdateDecoder.RouteHandler {
    long acc;

    @Override
    public void route(boolean withdraw, long pathId, EvpnNlri n) {
      acc += n.routeDistinguisherValue() + n.routeTypeCode() + (withdraw ? 1 : 0);
      if (n.routeTypeCode() == 2) {
        acc += n.mac() + n.label1();
      }
    }
  }

  /** Decodes every route to an immutable value. */
  static final class Values implements UpdateDecoder.RouteHandler {
    final Blackhole bh;

    Values(Blackhole bh) {
      this.bh = bh;
    }

    @Override
    public void route(boolean withdraw, long pathId, EvpnNlri n) {
      bh.consume(EvpnRoutes.decode(n));
    }
  }

  @Setup
  public void setup() throws IOException {
    data = Corpus.read(file);
    messages = Corpus.messages(data);
    int nlri = 0;
    for (int i = 0; i < messages.length; i += 2) {
      data.setIndex(messages[i], messages[i + 1]);
      if (decoder.decode(data) != UpdateOutcome.OK) {
        throw new IllegalStateException("UPDATE at " + messages[i] + ": " + decoder.errors());
      }
      nlri += decoder.announcedCount() + decoder.withdrawnCount();
    }
    int count = messages.length / 2;
    System.out.printf("%n%s: %d bytes, %d UPDATEs, %d NLRI%n", file, data.capacity(), count, nlri);
  }

  /**
   * Decode every UPDATE (RFC 7606 checks) and read every route's key fields and the extended
   * communities.
   */
  @Benchmark
  public long flyweight() {
    Summing s = summing;
    s.acc = 0;
    UpdateDecoder d = decoder;
    int[] m = messages;
    for (int i = 0; i < m.length; i += 2) {
      data.setIndex(m[i], m[i + 1]);
      if (d.decode(data) != UpdateOutcome.OK) {
        return -1;
      }
      d.forEachRoute(s);
      for (int c = 0, n = d.extendedCommunityCount(); c < n; c++) {
        s.acc += d.extendedCommunityValue(c);
      }
    }
    return s.acc;
  }

  /**
   * Decode every UPDATE to what a RIB keeps, as GoBGP's {@code ParseBGPMessage} builds its objects:
   * the immutable attributes of the message and an immutable value per route.
   */
  @Benchmark
  public void toValues(Blackhole bh) {
    Values v = new Values(bh);
    UpdateDecoder d = decoder;
    int[] m = messages;
    for (int i = 0; i < m.length; i += 2) {
      data.setIndex(m[i], m[i + 1]);
      d.decode(data);
      if (d.announcedCount() > 0) {
        bh.consume(d.attributes());
      }
      d.forEachRoute(v);
    }
  }
}
