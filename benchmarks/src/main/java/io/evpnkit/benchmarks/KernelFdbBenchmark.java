package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.LinuxDriver;
import io.evpnkit.linux.Netns;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Remote MACs into the Linux kernel: a sender written by hand streams {@link #macs} type-2 routes
 * of GoBGP's {@code type2-1m} corpus (the single-homed ones: UPDATEs whose routes carry no ESI)
 * over one BGP session to a leaf whose data plane is the kernel of a namespace of its own, with the
 * corpus's 40 VNIs as bridges and VXLAN devices: evpnkit ({@link LinuxDriver} under the RIB and the
 * speaker) or FRR (zebra in the namespace, bgpd beside the benchmark, {@code advertise-all-vni}).
 * Single shot: from the first UPDATE written until the namespace's FDB holds every MAC (counted
 * with {@code bridge fdb show} every 250 ms: entries with a remote VTEP, the flood entries left
 * out). Needs root, iproute2 and FRR.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelFdbBenchmark {
  private static final String RECEIVER = "127.0.0.160";
  private static final String SENDER = "127.0.0.161";
  private static final int VNIS = 40;

  @Param({"evpnkit", "frr"})
  public String target;

  @Param({"100000"})
  public int macs;

  private byte[] updates;
  private long expected;
  private Netns ns;
  private AutoCloseable running;
  private AutoCloseable leaf;
  private InetSocketAddress to;
  private Socket socket = new Socket();
  private Up up;
  private String sender = SENDER;

  private interface Up {
    boolean established() throws Exception;
  }

  @Setup(Level.Trial)
  public void read() throws IOException {
    ByteBuf b = Corpus.read("type2-1m");
    try {
      UpdateDecoder d = new UpdateDecoder(SessionOptions.EBGP);
      int[] messages = Corpus.messages(b);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      long[] held = new long[1];
      boolean[] multihomed = new boolean[1];
      for (int i = 0; i < messages.length && held[0] < macs; i += 2) {
        int length = messages[i + 1] - messages[i];
        d.decode(b.slice(messages[i], length));
        long[] n = new long[1];
        multihomed[0] = false;
        d.forEachRoute(
            (withdraw, pathId, nlri) -> {
              n[0]++;
              if (EvpnRoutes.decode(nlri) instanceof MacIpAdvertisementRoute m
                  && !m.esi().isZero()) {
                multihomed[0] = true;
              }
            });
        if (!multihomed[0]) {
          byte[] m = new byte[length];
          b.getBytes(messages[i], m);
          out.write(m);
          held[0] += n[0];
        }
      }
      updates = out.toByteArray();
      expected = held[0];
    } finally {
      b.release();
    }
  }

  @Setup(Level.Iteration)
  public void start() throws Exception {
    ns = Netns.create("fdb");
    switch (target) {
      case "evpnkit" -> {
        sender = SENDER;
        LinuxDriver driver =
            LinuxDriver.builder(IpAddress.parse("192.0.2.160")).netns(ns.name()).build();
        for (int k = 0; k < VNIS; k++) {
          driver.ensureDomain(10000 + k);
        }
        BenchLeaves.Evpnkit l =
            BenchLeaves.evpnkit(
                CorpusSender.leaf(RECEIVER),
                IpAddress.parse("192.0.2.160"),
                driver,
                RECEIVER,
                SENDER);
        running = l.speaker();
        leaf = driver;
        to = l.address();
        up = l.established()::call;
      }
      case "frr" -> {
        sender = "198.51.100.1";
        List<Integer> vnis = new java.util.ArrayList<>();
        for (int k = 0; k < VNIS; k++) {
          vnis.add(10000 + k);
        }
        FrrLeaf f =
            BenchLeaves.frr(
                ns,
                "evkfdb" + (ProcessHandle.current().pid() % 100000),
                sender,
                "198.51.100.2",
                "192.0.2.161",
                vnis);
        running = () -> {};
        leaf = f;
        to = new InetSocketAddress("198.51.100.2", 179);
        up = BenchLeaves.established(f, sender)::call;
      }
      default -> throw new IllegalArgumentException(target);
    }
    try {
      connect();
    } catch (IOException | RuntimeException e) {
      if (leaf instanceof FrrLeaf f) {
        throw new IOException(e.getMessage() + "\n" + f.logs(), e);
      }
      throw e;
    }
  }

  private void connect() throws Exception {
    socket = CorpusSender.open(sender, to, up::established);
  }

  /** The remote MAC entries of the namespace's VXLAN devices. */
  private long fdbCount() throws Exception {
    String out = ns.exec("bridge", "fdb", "show");
    long n = 0;
    int at = 0;
    while ((at = out.indexOf(" dst ", at)) >= 0) {
      int line = out.lastIndexOf('\n', at) + 1;
      if (!out.startsWith("00:00:00:00:00:00", line)) {
        n++;
      }
      at += 5;
    }
    return n;
  }

  @Benchmark
  public long program() throws Exception {
    OutputStream out = socket.getOutputStream();
    try {
      out.write(updates);
      out.flush();
    } catch (IOException e) {
      if (leaf instanceof FrrLeaf f) {
        throw new IOException(e.getMessage() + "\n" + f.logs(), e);
      }
      throw e;
    }
    long deadline =
        System.nanoTime() + TimeUnit.SECONDS.toNanos(Long.getLong("evpnkit.fdb.deadline", 300));
    long n;
    while ((n = fdbCount()) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            target + ": " + n + " of " + expected + " MACs after the deadline");
      }
      Thread.sleep(250);
    }
    return n;
  }

  @TearDown(Level.Iteration)
  public void stop() throws Exception {
    System.out.print("[" + target + ": " + fdbCount() + " of " + expected + " MACs in the FDB] ");
    socket.close();
    running.close();
    leaf.close();
    ns.close();
  }
}
