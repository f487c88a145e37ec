package io.evpnkit.benchmarks;

import io.evpnkit.vxlan.VxlanEncapsulator;
import io.evpnkit.vxlan.VxlanTunnel;
import io.netty.buffer.ByteBuf;
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
 * In-place encapsulation of an inner frame: flow hash, outer header template, lengths, checksums,
 * VNI. Each invocation moves the reader index back to the inner frame first, so the same buffer is
 * reused.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EncapsulationBenchmark {
  @Param({"64", "1500", "9000"})
  int size;

  @Param({"ipv4", "ipv6", "ipv6-zero-checksum"})
  String underlay;

  private final VxlanEncapsulator encapsulator = new VxlanEncapsulator();
  private VxlanTunnel tunnel;
  private ByteBuf frame;
  private int inner;

  @Setup
  public void setup() {
    tunnel = Packets.tunnel(underlay);
    inner = tunnel.headerLength();
    frame = Packets.innerFrame(size, inner);
  }

  @TearDown
  public void tearDown() {
    frame.release();
  }

  @Benchmark
  public int encapsulate() {
    frame.readerIndex(inner);
    encapsulator.encapsulate(frame, tunnel, 100);
    return frame.readerIndex();
  }
}
