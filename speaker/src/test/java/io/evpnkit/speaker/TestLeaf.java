package io.evpnkit.speaker;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An evpnkit leaf for the live tests: an {@link EvpnRib} with VNI 100 (target:65000:100) and an
 * in-memory forwarding table, joined by {@link RibSessions} to a speaker with one peer; what the
 * sessions report is also kept as text in {@link #events}.
 */
final class TestLeaf implements AutoCloseable {
  private static final String CONFIG =
      """
      routing-options { router-id %1$s; autonomous-system 65000; }
      interfaces {
          xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:1; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
      """;

  final InMemoryForwardingTable fib = new InMemoryForwardingTable();
  final RibSessions sessions;
  final BgpSpeaker speaker;
  final PeerSession peer;
  final List<String> events = new CopyOnWriteArrayList<>();

  /** How many UPDATEs we had sent when the peer's first End-of-RIB came, or -1 before. */
  final java.util.concurrent.atomic.AtomicLong sentAtEndOfRib =
      new java.util.concurrent.atomic.AtomicLong(-1);

  /** The ends of established sessions, in order. */
  final List<SessionDown> downs = new CopyOnWriteArrayList<>();

  /**
   * A leaf at {@code address} (its router id; AS 65001) with a peer at {@code remote} in {@code
   * peerAs}, hold time 9 s and connect retry 1 s, and whatever {@code more} adds.
   */
  TestLeaf(
      String address,
      InetSocketAddress remote,
      long peerAs,
      UnaryOperator<PeerConfig.Builder> more) {
    this(address, 65001, "192.0.2.1", remote, peerAs, more);
  }

  /** A leaf in AS {@code as} whose VTEP (the next hop of its routes) is {@code vtep}. */
  TestLeaf(
      String address,
      long as,
      String vtep,
      InetSocketAddress remote,
      long peerAs,
      UnaryOperator<PeerConfig.Builder> more) {
    this(address, as, vtep, remote, peerAs, more, b -> b, null);
  }

  /** A leaf whose speaker {@code speakerMore} sets up further (graceful restart's bits). */
  TestLeaf(
      String address,
      long as,
      String vtep,
      InetSocketAddress remote,
      long peerAs,
      UnaryOperator<PeerConfig.Builder> more,
      UnaryOperator<BgpSpeaker.Builder> speakerMore,
      @org.jspecify.annotations.Nullable Duration deferral) {
    IpAddress id = IpAddress.parse(address);
    sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(
                        VtepConfig.parse(CONFIG.formatted(address)), IpAddress.parse(vtep), fib)
                    .routeSink(sink)
                    .routerId(id)
                    .threadConfined(false)
                    .build());
    if (deferral != null) {
      sessions.deferUntilEndOfRib(deferral);
    }
    speaker = speakerMore.apply(BgpSpeaker.builder(as, id).listener(new Recording())).build();
    peer =
        speaker.addPeer(
            more.apply(
                    PeerConfig.builder(remote, peerAs)
                        .local(new InetSocketAddress(address, 0))
                        .holdTime(9)
                        .connectRetry(Duration.ofSeconds(1)))
                .build());
  }

  /** Passes everything to the RIB's sessions, and writes it down. */
  private final class Recording implements SessionListener {
    @Override
    public void established(PeerSession session) {
      events.add("established");
      sessions.established(session);
    }

    @Override
    public void update(PeerSession session, UpdateDecoder decoder) {
      sessions.update(session, decoder);
    }

    @Override
    public void endOfRib(PeerSession session) {
      sentAtEndOfRib.compareAndSet(-1, session.updatesSent());
      events.add("end-of-rib");
      sessions.endOfRib(session);
    }

    @Override
    public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
      if (wasEstablished) {
        downs.add(why);
        events.add("down: " + why);
      }
      sessions.down(session, why, wasEstablished);
    }

    @Override
    public void restarting(PeerSession session, SessionDown why) {
      events.add("restarting");
      sessions.restarting(session, why);
    }

    @Override
    public void staleRoutesEnd(PeerSession session, String reason) {
      events.add("stale routes end");
      sessions.staleRoutesEnd(session, reason);
    }

    @Override
    public void routeRefresh(PeerSession session) {
      events.add("refresh asked");
      sessions.routeRefresh(session);
    }

    @Override
    public void enhancedRefresh(PeerSession session, boolean begins) {
      events.add(begins ? "refresh begins" : "refresh ends");
      sessions.enhancedRefresh(session, begins);
    }

    @Override
    public void prefixLimitReached(PeerSession session, long routes, boolean torndown) {
      events.add("prefix limit: " + routes + (torndown ? " torn down" : " warning"));
    }
  }

  <T> T onLoop(Callable<T> call) throws Exception {
    return speaker.eventLoop().submit(call).get(10, TimeUnit.SECONDS);
  }

  List<IpAddress> vteps(MacAddress mac) throws Exception {
    return onLoop(() -> fib.vteps(100, mac));
  }

  int stale() throws Exception {
    return onLoop(() -> sessions.rib().stalePaths());
  }

  /** Learns a MAC on the leaf's access port (VNI 100), as its bridge would. */
  void learn(MacAddress mac) throws Exception {
    onLoop(
        () -> {
          sessions.rib().macLearned(100, mac, "xe-0/0/1.0", null);
          return null;
        });
  }

  long macs() throws Exception {
    return onLoop(() -> (long) fib.macCount());
  }

  @Override
  public void close() {
    speaker.close();
  }
}
