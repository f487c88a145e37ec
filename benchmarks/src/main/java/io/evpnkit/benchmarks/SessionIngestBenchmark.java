package io.evpnkit.benchmarks;

import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.FrrBgpd;
import io.evpnkit.speaker.Gobgpd;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.RibSessions;
import io.evpnkit.speaker.RouteReflector;
import io.evpnkit.speaker.SessionState;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
 * Ingest over a live BGP session: GoBGP's corpus of 1M type-2 routes (19,643 UPDATEs, 44.7 MB), or
 * its first UPDATEs up to {@link #routes}, sent as fast as TCP takes it by a peer written by hand
 * into a receiver that keeps every path and picks the best of each route: evpnkit's {@link
 * RouteReflector} on a {@link BgpSpeaker}, a real gobgpd (its global RIB), or FRR's bgpd (its BGP
 * table, without zebra). The time runs from the first UPDATE written to the moment the receiver
 * holds all the routes sent, as it reports them itself (evpnkit's count on its event loop, {@code
 * gobgp global rib summary -j}, FRR's {@code show bgp l2vpn evpn summary json}; polled every 20
 * ms). Each iteration starts a fresh receiver; the sender is the corpus's first AS, 4200000100, an
 * external peer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class SessionIngestBenchmark {
  private static final String RECEIVER = "127.0.0.150";
  private static final String SENDER = "127.0.0.151";

  /**
   * {@code evpnkit}: {@link RouteReflector} (every path kept, best path chosen, as the other two
   * keep them); {@code evpnkit-rib}: {@link RibSessions} with the {@code EvpnRib} of a leaf that
   * imports every VNI of the corpus (FRR's automatic route targets), MACs installed in an in-memory
   * forwarding table; {@code gobgpd}; {@code frr}.
   */
  @Param({"evpnkit", "evpnkit-rib", "gobgpd", "frr"})
  public String receiver;

  /**
   * How many of the corpus's routes are sent: its first UPDATEs up to this many NLRI (gobgpd 3.10
   * takes type-2 routes ever more slowly as its table grows; run it with 10000).
   */
  @Param({"10000", "1000000"})
  public int routes;

  private byte[] corpus;
  private AutoCloseable running;
  private InetSocketAddress target;
  private Counter counter;

  /** How many routes the receiver holds. */
  private interface Counter {
    long routes() throws Exception;
  }

  /** Whether the session is up at the receiver. */
  private interface Up {
    boolean established() throws Exception;
  }

  private Up up;
  private Socket socket;
  private long pid;
  private long heapBefore;

  @Setup(Level.Trial)
  public void read() throws IOException {
    ByteBuf b = Corpus.read("type2-1m");
    try {
      // the first UPDATEs that hold at least the number of routes asked for
      UpdateDecoder d = new UpdateDecoder(SessionOptions.EBGP);
      int[] messages = Corpus.messages(b);
      int end = 0;
      long[] held = new long[1];
      for (int i = 0; i < messages.length && held[0] < routes; i += 2) {
        d.decode(b.slice(messages[i], messages[i + 1] - messages[i]));
        d.forEachRoute((withdraw, pathId, nlri) -> held[0]++);
        end = messages[i + 1];
      }
      expected = held[0];
      corpus = new byte[end];
      b.getBytes(0, corpus);
    } finally {
      b.release();
    }
  }

  private long expected;

  @Setup(Level.Iteration)
  public void start() throws Exception {
    switch (receiver) {
      case "evpnkit" -> {
        RouteReflector rr =
            new RouteReflector(IpAddress.parse(RECEIVER), IpAddress.parse(RECEIVER));
        BgpSpeaker speaker =
            BgpSpeaker.builder(65000, IpAddress.parse(RECEIVER))
                .listener(rr)
                .listen(new InetSocketAddress(RECEIVER, 0))
                .build();
        speaker.addPeer(
            PeerConfig.builder(new InetSocketAddress(SENDER, 179), CorpusSender.AS)
                .passive(true)
                .build());
        running = speaker;
        target = speaker.listenAddresses().get(0);
        counter = () -> speaker.eventLoop().submit(rr::routes).get();
        up = () -> speaker.peers().get(0).state() == SessionState.ESTABLISHED;
        pid = -1;
      }
      case "evpnkit-rib" -> {
        BenchLeaves.Evpnkit l =
            BenchLeaves.evpnkit(
                CorpusSender.leaf(RECEIVER),
                IpAddress.parse("192.0.2.150"),
                new InMemoryForwardingTable(),
                RECEIVER,
                SENDER);
        running = l.speaker();
        target = l.address();
        counter =
            () ->
                l.speaker()
                    .eventLoop()
                    .submit(() -> l.sessions().rib().paths(peerOf(l.peer())))
                    .get();
        up = l.established()::call;
        pid = -1;
      }
      case "gobgpd" -> {
        Gobgpd g = new Gobgpd(RECEIVER, 65000, SENDER, CorpusSender.AS, true);
        running = g;
        target = new InetSocketAddress(RECEIVER, g.port);
        up = () -> g.neighborState(SENDER) == Gobgpd.ESTABLISHED;
        pid = g.pid();
        counter = () -> g.json("global", "rib", "summary", "-a", "evpn").path("num_path").asLong();
      }
      case "frr" -> {
        FrrBgpd f =
            new FrrBgpd(
                RECEIVER,
                """
                router bgp 65000
                 bgp router-id %1$s
                 no bgp default ipv4-unicast
                 no bgp ebgp-requires-policy
                 neighbor %2$s remote-as %3$d
                 neighbor %2$s passive
                 address-family l2vpn evpn
                  neighbor %2$s activate
                 exit-address-family
                """
                    .formatted(RECEIVER, SENDER, CorpusSender.AS));
        running = f;
        target = new InetSocketAddress(RECEIVER, f.port);
        up = () -> f.neighborState(SENDER).equals("Established");
        pid = f.pid();
        counter =
            () ->
                f.json("show bgp l2vpn evpn summary json")
                    .path("peers")
                    .path(SENDER)
                    .path("pfxRcd")
                    .asLong();
      }
      default -> throw new IllegalArgumentException(receiver);
    }
    connect();
  }

  /** Opens the session (not timed): OPEN, KEEPALIVE, and waits until the receiver is up. */
  private void connect() throws Exception {
    System.gc();
    heapBefore = usedHeap();
    socket = CorpusSender.open(SENDER, target, up::established);
  }

  @TearDown(Level.Iteration)
  public void stop() throws Exception {
    // what the receiver holds at the end: the daemon's resident set, or our heap's growth
    String memory;
    if (pid > 0) {
      memory = "VmRSS " + rssKib(pid) / 1024 + " MiB";
    } else {
      System.gc();
      memory = "heap +" + (usedHeap() - heapBefore) / (1024 * 1024) + " MiB after GC";
    }
    System.out.print("[" + receiver + " " + routes + " routes: " + memory + "] ");
    socket.close();
    running.close();
  }

  private static long usedHeap() {
    java.lang.management.MemoryUsage u =
        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    return u.getUsed();
  }

  private static long rssKib(long pid) throws IOException {
    for (String line :
        java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private static io.evpnkit.rib.Peer peerOf(PeerSession peer) {
    BgpOpen remote = java.util.Objects.requireNonNull(peer.remoteOpen());
    return new io.evpnkit.rib.Peer(
        IpAddress.parse(SENDER), Integer.toUnsignedLong(remote.bgpIdentifier()), true);
  }

  /** Streams the UPDATEs and waits until the receiver holds every route they carry. */
  @Benchmark
  public long ingest() throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(corpus);
    out.flush();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    long n;
    while ((n = counter.routes()) < expected) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(receiver + " holds " + n + " routes after 5 minutes");
      }
      Thread.sleep(20);
    }
    return n;
  }
}
