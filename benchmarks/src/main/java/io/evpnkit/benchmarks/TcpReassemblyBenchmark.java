package io.evpnkit.benchmarks;

import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.testkit.LinkType;
import io.evpnkit.testkit.TcpFrames;
import io.evpnkit.testkit.TcpReassembler;
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
 * TCP reassembly of a capture whose segments arrive in reverse order (the worst reordering: every
 * segment waits until the first one comes), as {@code evpnkit decode} meets it in a hostile or
 * badly captured pcap: the time to rebuild the stream of {@code segments} ten-byte segments.
 * Linear-logarithmic growth in {@code segments} is the expectation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 10)
@Fork(1)
public class TcpReassemblyBenchmark {
  @Param({"20000", "100000"})
  int segments;

  private CapturedPacket[] packets;

  @Setup
  public void setup() {
    packets = new CapturedPacket[segments + 1];
    packets[0] = packet(0, 0x02, 0);
    for (int i = 0; i < segments; i++) {
      packets[segments - i] = packet(1 + 10L * i, 0x18, 10);
    }
  }

  static CapturedPacket packet(long seq, int flags, int length) {
    byte[] bytes = TcpFrames.toBgp(40000, seq, flags, new byte[length]);
    return new CapturedPacket(1, 0, LinkType.ETHERNET, bytes.length, bytes);
  }

  @Benchmark
  public long reverseOrder(Blackhole bh) {
    TcpReassembler r = new TcpReassembler(Integer.MAX_VALUE);
    long[] delivered = {0};
    TcpReassembler.Listener l = (flow, data, frame) -> delivered[0] += data.readableBytes();
    for (CapturedPacket p : packets) {
      bh.consume(r.accept(p, l));
    }
    if (delivered[0] != 10L * segments) {
      throw new IllegalStateException("delivered " + delivered[0]);
    }
    return delivered[0];
  }
}
