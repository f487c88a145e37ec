package io.evpnkit.benchmarks;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.SessionListener;
import io.evpnkit.speaker.SessionState;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The idle cost of N established sessions (the figure a route reflector or a leaf with many peers
 * is sized by): one speaker (the one measured) with N passive peers on 127.0.1.1 to 127.0.1.N, and
 * N one-peer speakers on one shared event loop connecting to it. Prints the heap in use after full
 * collections before and after the sessions come up (both ends are in this JVM: the figure is for
 * one end, half the growth), and the process's CPU time over an idle minute with keepalives every 3
 * s (hold time 9 s), both ends. {@code java -cp benchmarks/target/benchmarks.jar
 * io.evpnkit.benchmarks.IdleSessions [N] [SECONDS]}
 */
public final class IdleSessions {
  private IdleSessions() {}

  private static final SessionListener QUIET =
      new SessionListener() {
        @Override
        public void update(PeerSession session, UpdateDecoder decoder) {}
      };

  /** Runs the measurement. */
  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
    String hub = "127.0.0.170";
    long before = RibMemory.used();
    BgpSpeaker measured =
        BgpSpeaker.builder(65000, IpAddress.parse(hub))
            .listener(QUIET)
            .listen(new InetSocketAddress(hub, 0))
            .build();
    InetSocketAddress at = measured.listenAddresses().get(0);
    EventLoopGroup shared =
        new MultiThreadIoEventLoopGroup(
            1, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    List<BgpSpeaker> others = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String address = "127.0.1." + i;
      measured.addPeer(
          PeerConfig.builder(new InetSocketAddress(address, 179), 65000)
              .passive(true)
              .holdTime(9)
              .build());
      BgpSpeaker other =
          BgpSpeaker.builder(65000, IpAddress.parse(address))
              .listener(QUIET)
              .eventLoopGroup(shared)
              .build();
      other.addPeer(
          PeerConfig.builder(at, 65000)
              .local(new InetSocketAddress(address, 0))
              .holdTime(9)
              .connectRetry(Duration.ofSeconds(1))
              .build());
      others.add(other);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (measured.peers().stream().anyMatch(p -> p.state() != SessionState.ESTABLISHED)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not all " + n + " sessions came up");
      }
      Thread.sleep(50);
    }
    long after = RibMemory.used();
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
    long cpu = os.getProcessCpuTime() - cpu0;
    long wall = System.nanoTime() - t0;
    boolean allUp = measured.peers().stream().allMatch(p -> p.state() == SessionState.ESTABLISHED);
    System.out.printf(
        "%d sessions (%s): heap per session end %.1f KiB; CPU over %d s idle, both ends: %.3f %% of"
            + " one core (%.1f ms); all still established: %b%n",
        n,
        measured.isEpoll() ? "epoll" : "NIO",
        (after - before) / 2.0 / n / 1024,
        seconds,
        100.0 * cpu / wall,
        cpu / 1e6,
        allUp);
    for (BgpSpeaker o : others) {
      o.close();
    }
    measured.close();
    shared.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
