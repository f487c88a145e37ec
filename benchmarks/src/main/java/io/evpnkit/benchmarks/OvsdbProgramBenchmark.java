package io.evpnkit.benchmarks;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.ovsdb.OvsdbServer;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingOp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Programming a TOR: {@link #macs} remote MACs (spread over 100 remote VTEPs, as a fabric's leaves)
 * written by {@link io.evpnkit.ovsdb.OvsdbDriver} into a real {@code ovsdb-server} with the {@code
 * hardware_vtep} schema, in batches of {@link #batch} operations: 1 (a route at a time), 100 (about
 * what one UPDATE brings) or all at once (a resync). Single shot: the time until the server has
 * committed the last transaction; a fresh server per iteration. Needs {@code ovsdb-server} ({@code
 * apt-get install openvswitch-vtep}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OvsdbProgramBenchmark {
  @Param({"10000"})
  public int macs;

  @Param({"1", "100", "10000"})
  public int batch;

  private OvsdbServer server;
  private OvsdbServer.Connected tor;
  private List<List<ForwardingOp>> batches;

  @Setup(Level.Iteration)
  public void start() throws Exception {
    server = OvsdbServer.start();
    server.vtepCtl("add-ps", "tor1");
    server.vtepCtl("add-ls", "v100", "--", "set", "Logical_Switch", "v100", "tunnel_key=100");
    tor = server.connectDriver();
    batches = new ArrayList<>();
    List<ForwardingOp> current = new ArrayList<>();
    for (int i = 0; i < macs; i++) {
      IpAddress vtep = IpAddress.parse("192.0.2." + (1 + i % 100));
      current.add(
          new ForwardingOp.SetMac(
              100, MacAddress.of(0x0000_5E00_0000L + i), new Destination.RemoteVtep(vtep)));
      if (current.size() == batch) {
        batches.add(current);
        current = new ArrayList<>();
      }
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
  }

  @Benchmark
  public long program() throws Exception {
    for (List<ForwardingOp> b : batches) {
      tor.driver().apply(b);
    }
    return tor.driver().transactions();
  }

  @TearDown(Level.Iteration)
  public void stop() throws Exception {
    String rows = server.vtepCtl("--columns=MAC", "list", "Ucast_Macs_Remote");
    long count = rows.lines().filter(l -> l.startsWith("MAC")).count();
    System.out.printf(
        " [%d MACs in Ucast_Macs_Remote, %d transactions, %d operations] ",
        count, tor.driver().transactions(), tor.driver().operations());
    if (count != macs) {
      throw new IllegalStateException(count + " rows, not " + macs);
    }
    tor.close();
    server.close();
  }
}
