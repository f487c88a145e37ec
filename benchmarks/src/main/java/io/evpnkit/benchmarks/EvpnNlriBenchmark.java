package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A type-2 MAC/IP NLRI (MAC+IPv4, two labels, as in GoBGP's corpus): validated and read through the
 * {@link EvpnNlri} flyweight (RD, ESI, tag, MAC, IP, labels as primitives), or decoded to an
 * immutable {@link EvpnRoute}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EvpnNlriBenchmark {
  @Param({"mac-ipv4", "mac-only"})
  String shape;

  private final EvpnNlri nlri = new EvpnNlri();
  private ByteBuf buf;

  @Setup
  public void setup() {
    String text =
        shape.equals("mac-only")
            ? "0221"
                + "0001fa56ea090001"
                + "00000000000000000000"
                + "00000000"
                + "30"
                + "005056a1b2c3"
                + "00"
                + "002710"
            : "0228"
                + "0001fa56ea090001"
                + "00000000000000000000"
                + "00000000"
                + "30"
                + "005056a1b2c3"
                + "20"
                + "0a010203"
                + "002710"
                + "00c350";
    buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    for (int i = 0; i < text.length(); i += 2) {
      buf.writeByte(Integer.parseInt(text.substring(i, i + 2), 16));
    }
  }

  @TearDown
  public void tearDown() {
    buf.release();
  }

  /**
   * Validate and read every field as primitives: the flyweight scan a RIB does before deciding to
   * keep.
   */
  @Benchmark
  public long flyweight() {
    EvpnNlri n = nlri;
    if (!n.tryWrap(buf, 0, buf.writerIndex())) {
      return -1;
    }
    long x = n.routeDistinguisherValue() ^ n.ethernetTag() ^ n.mac() ^ n.label1();
    return n.hasLabel2() ? x ^ n.label2() : x;
  }

  /** Validate and decode to an immutable value. */
  @Benchmark
  public EvpnRoute decodeToValue() {
    nlri.tryWrap(buf, 0, buf.writerIndex());
    return EvpnRoutes.decode(nlri);
  }
}
