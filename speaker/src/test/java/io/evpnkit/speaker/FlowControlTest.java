package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Update groups and flow control on live connections: two internal peers with the same options
 * share one update group, one reads everything at once and one stops reading. The reader gets every
 * route without waiting for the other; the stalled peer leaves the group, its changes wait in an
 * Adj-RIB-Out of its own while no more than the write buffer's high water mark and one batch of
 * bytes are queued for it; when it reads again it gets every route and rejoins the group.
 */
class FlowControlTest {
  private static final String US = "127.0.0.110";
  private static final String FAST = "127.0.0.111";
  private static final String SLOW = "127.0.0.112";
  private static final int ROUTES = 150_000;
  private static final int HIGH_WATER = 128 * 1024;

  private static final String CONFIG =
      """
      routing-options { router-id 127.0.0.110; autonomous-system 65000; }
      interfaces {
          xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher 192.0.2.110:1; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
      """;

  /** A peer's reading side: counts the MAC/IP routes in the UPDATEs it reads. */
  private static final class Reader implements Runnable {
    final RawPeer raw;
    final SessionOptions options;
    final AtomicLong routes = new AtomicLong();
    final AtomicBoolean reading;

    Reader(RawPeer raw, SessionOptions options, boolean reading) {
      this.raw = raw;
      this.options = options;
      this.reading = new AtomicBoolean(reading);
    }

    @Override
    public void run() {
      UpdateDecoder decoder = new UpdateDecoder(options);
      try {
        while (true) {
          while (!reading.get()) {
            Thread.sleep(20);
          }
          byte[] m = raw.read();
          if (m[18] == 2) {
            ByteBuf b = Unpooled.wrappedBuffer(m);
            try {
              decoder.decode(b);
              decoder.forEachRoute(
                  (withdraw, pathId, nlri) -> {
                    if (nlri.routeTypeCode() == 2) { // the MACs (not the VNI's type 3)
                      routes.incrementAndGet();
                    }
                  });
            } finally {
              b.release();
            }
          }
        }
      } catch (Exception e) {
        // the connection closed at the end of the test
      }
    }
  }

  @Test
  void aPeerThatStopsReadingHoldsUpNoOneAndCostsABoundedAmountOfMemory() throws Exception {
    RibSessions sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(
                        VtepConfig.parse(CONFIG),
                        IpAddress.parse("192.0.2.110"),
                        new InMemoryForwardingTable())
                    .routeSink(sink)
                    .routerId(IpAddress.parse(US))
                    .threadConfined(false)
                    .build());
    try (BgpSpeaker speaker =
        BgpSpeaker.builder(65000, IpAddress.parse(US))
            .listener(sessions)
            .listen(new InetSocketAddress(US, 0))
            .writeBufferWaterMark(HIGH_WATER / 2, HIGH_WATER)
            .build()) {
      InetSocketAddress to = speaker.listenAddresses().get(0);
      PeerSession fast = passivePeer(speaker, FAST);
      PeerSession slow = passivePeer(speaker, SLOW);
      try (RawPeer fastRaw = new RawPeer(FAST, to);
          RawPeer slowRaw = new RawPeer(SLOW, to, 4096)) {
        Reader fastReader = open(fastRaw, 65000, true);
        Reader slowReader = open(slowRaw, 65000, false);
        await("both up", () -> sessions.establishedPeers() == 2);
        await("one update group", () -> onLoop(speaker, sessions::updateGroups) == 1);

        onLoop(
            speaker,
            () -> {
              for (int i = 0; i < ROUTES; i++) {
                sessions
                    .rib()
                    .macLearned(100, MacAddress.of(0x02_00_00_00_00_00L + i), "xe-0/0/1.0", null);
              }
              return null;
            });
        // the reader gets everything while the other is stalled
        await("the reading peer to get every route", () -> fastReader.routes.get() >= ROUTES);
        assertEquals(ROUTES + 0L, fastReader.routes.get());
        assertTrue(onLoop(speaker, () -> sessions.onItsOwn(slow)), "the slow peer left the group");
        long queued = onLoop(speaker, () -> ((Session) slow).pendingOutboundBytes());
        assertTrue(
            queued <= HIGH_WATER + 256 * 1024,
            "bytes queued for the stalled peer: "
                + queued
                + " (high water mark "
                + HIGH_WATER
                + ")");
        assertTrue(slowReader.routes.get() < ROUTES, "the stalled peer has not read them");

        // keep both sessions alive, then let the slow one read
        fastRaw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
        slowRaw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
        slowReader.reading.set(true);
        await("the slow peer to get every route", () -> slowReader.routes.get() >= ROUTES);
        assertEquals(ROUTES + 0L, slowReader.routes.get());
        await("it rejoins its group", () -> !onLoop(speaker, () -> sessions.onItsOwn(slow)));
        assertEquals(1, onLoop(speaker, sessions::updateGroups));
        assertEquals(SessionState.ESTABLISHED, fast.state());
        assertEquals(SessionState.ESTABLISHED, slow.state());
      }
    }
  }

  private static PeerSession passivePeer(BgpSpeaker speaker, String address) {
    return speaker.addPeer(
        PeerConfig.builder(new InetSocketAddress(address, 179), 65000)
            .passive(true)
            .holdTime(30)
            .connectRetry(Duration.ofSeconds(1))
            .build());
  }

  /** Brings the raw peer's session up and starts its reader. */
  private static Reader open(RawPeer raw, long as, boolean reading) throws Exception {
    BgpOpen ours =
        BgpOpen.evpn(as, 30, IpAddress.parse(raw.socket.getLocalAddress().getHostAddress()).ipv4());
    BgpOpen theirs = raw.open(ours);
    raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
    Reader r = new Reader(raw, BgpOpen.receiving(ours, theirs), reading);
    Thread t = new Thread(r, "reader " + raw.socket.getLocalAddress());
    t.setDaemon(true);
    t.start();
    return r;
  }

  private static <T> T onLoop(BgpSpeaker speaker, Callable<T> call) throws Exception {
    return speaker.eventLoop().submit(call).get(30, TimeUnit.SECONDS);
  }

  private static void await(String what, Callable<Boolean> poll) throws Exception {
    RealPeers.await(what, poll);
  }
}
