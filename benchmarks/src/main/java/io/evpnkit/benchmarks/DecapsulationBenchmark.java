package io.evpnkit.benchmarks;

import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.VxlanDecapsulator;
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
 * Decapsulation with the default configuration: outer Ethernet, IPv4 header checksum verified (or
 * IPv6), UDP, strict VXLAN validation; the result locates the inner frame without copying it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DecapsulationBenchmark {
  @Param({"64", "1500", "9000"})
  int size;

  @Param({"ipv4", "ipv6"})
  String underlay;

  private final VxlanDecapsulator decapsulator =
      new VxlanDecapsulator(DecapsulatorConfig.defaults());
  private final VxlanDecapsulator verifying =
      new VxlanDecapsulator(DecapsulatorConfig.builder().verifyUdpChecksum(true).build());
  private ByteBuf packet;

  @Setup
  public void setup() {
    VxlanTunnel tunnel = Packets.tunnel(underlay);
    packet = Packets.innerFrame(size, tunnel.headerLength());
    new VxlanEncapsulator().encapsulate(packet, tunnel, 100);
  }

  @TearDown
  public void tearDown() {
    packet.release();
  }

  @Benchmark
  public int decapsulate() {
    Decapsulation d = decapsulator.decapsulate(packet);
    return d.vni() + d.innerLength();
  }

  /** The same with the UDP checksum verified over the whole datagram (IPv6 carries one). */
  @Benchmark
  public int decapsulateVerifyingUdpChecksum() {
    Decapsulation d = verifying.decapsulate(packet);
    return d.vni() + d.innerLength();
  }
}
