package io.evpnkit.benchmarks;

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

/**
 * The floor under every codec benchmark: one absolute {@code getLong} on a pooled direct buffer,
 * with Netty's accessibility and bounds checks as configured ({@code
 * io.netty.buffer.checkAccessible}, {@code io.netty.buffer.checkBounds}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ByteBufAccessBenchmark {
  private ByteBuf buf;

  @Setup
  public void setup() {
    buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buf.writerIndex(64);
  }

  @TearDown
  public void tearDown() {
    buf.release();
  }

  @Benchmark
  public long getLong() {
    return buf.getLong(42);
  }
}
