package io.evpnkit.benchmarks;

import io.evpnkit.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/** How long it takes to read and to write the 8-byte VXLAN header in a pooled direct buffer. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class VxlanHeaderBenchmark {
  private final VxlanHeader header = new VxlanHeader();
  private ByteBuf buf;
  private int vni;

  @Setup
  public void setup() {
    buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buf.writerIndex(64);
    VxlanHeader.writeVxlan(buf, 42, 0xABCDE);
  }

  @TearDown
  public void tearDown() {
    buf.release();
  }

  /** Wrap (with its length check) and read the VNI and I flag. */
  @Benchmark
  public int read() {
    VxlanHeader h = header.wrap(buf, 42);
    return h.hasValidVni() ? h.vni() : -1;
  }

  /** Write a whole RFC 7348 header. */
  @Benchmark
  public ByteBuf write() {
    vni = (vni + 1) & VxlanHeader.MAX_VNI;
    VxlanHeader.writeVxlan(buf, 42, vni);
    return buf;
  }
}
