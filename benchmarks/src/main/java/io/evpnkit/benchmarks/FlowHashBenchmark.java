package io.evpnkit.benchmarks;

import io.evpnkit.vxlan.FlowKey;
import io.netty.buffer.ByteBuf;
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

/** The entropy hash of RFC 7348 §5: read the inner 5-tuple and hash it. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FlowHashBenchmark {
  private final FlowKey key = new FlowKey();
  private ByteBuf frame;

  @Setup
  public void setup() {
    frame = Packets.innerFrame(1500, 0);
  }

  @TearDown
  public void tearDown() {
    frame.release();
  }

  @Benchmark
  public int entropyHash() {
    return key.wrap(frame, 0, 1500).hash();
  }
}
