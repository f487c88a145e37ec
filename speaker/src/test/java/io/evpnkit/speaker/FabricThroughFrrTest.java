package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.MacEntry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The deck's story on real sessions: two evpnkit leaves, each an {@link EvpnRib} joined to a {@link
 * BgpSpeaker} by {@link RibSessions}, with FRR's bgpd as their route reflector. A host's MAC
 * learned on leaf 1's access port is advertised by leaf 1's RIB, reflected by FRR, and installed by
 * leaf 2's RIB as a remote MAC behind leaf 1's VTEP, with leaf 1 in leaf 2's flood list (type 3);
 * when it ages out on leaf 1, it is gone from leaf 2 too. No MAC is flooded and learned in the data
 * plane: BGP carries it.
 */
class FabricThroughFrrTest {
  private static final String RR = "127.0.0.40";
  private static final MacAddress HOST = MacAddress.parse("00:00:5e:00:53:aa");
  private static final IpAddress HOST_IP = IpAddress.parse("10.1.0.10");

  /** A leaf's configuration: one VLAN with VNI 100 and an access port for the host. */
  private static String config(String vtep, String routerId) {
    return """
        routing-options { router-id %2$s; autonomous-system 65000; }
        interfaces {
            xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
        }
        switch-options {
            vtep-source-interface lo0.0;
            route-distinguisher %1$s:1;
            vrf-target target:65000:100;
        }
        vlans { v100 { vlan-id 100; vxlan { vni 100; ingress-node-replication; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list 100; } }
        """
        .formatted(vtep, routerId);
  }

  /** One leaf: its RIB, forwarding table and speaker. */
  private static final class Leaf implements AutoCloseable {
    final InMemoryForwardingTable fib = new InMemoryForwardingTable();
    final RibSessions sessions;
    final BgpSpeaker speaker;
    final PeerSession toRr;

    Leaf(String address, String vtep, FrrBgpd frr) {
      IpAddress id = IpAddress.parse(address);
      sessions =
          new RibSessions(
              sink ->
                  EvpnRib.builder(
                          VtepConfig.parse(config(vtep, address)), IpAddress.parse(vtep), fib)
                      .routeSink(sink)
                      .routerId(id)
                      .threadConfined(false)
                      .build());
      speaker = BgpSpeaker.builder(65000, id).listener(sessions).build();
      toRr =
          speaker.addPeer(
              PeerConfig.builder(new InetSocketAddress(RR, frr.port), 65000)
                  .local(new InetSocketAddress(address, 0))
                  .holdTime(9)
                  .connectRetry(Duration.ofSeconds(1))
                  .build());
    }

    /** Runs on the speaker's event loop, the RIB's one writer. */
    <T> T onLoop(Callable<T> call) throws Exception {
      return speaker.eventLoop().submit(call).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
      speaker.close();
    }
  }

  private static <T> T await(String what, Callable<T> poll) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      T value = poll.call();
      if (value != null && !Boolean.FALSE.equals(value)) {
        return value;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void aMacLearnedOnOneLeafIsInstalledOnTheOtherThroughFrr() throws Exception {
    String leaf1 = "127.0.0.41";
    String leaf2 = "127.0.0.42";
    String config = FrrBgpd.routeReflector(RR, leaf1, leaf2);
    try (FrrBgpd frr = new FrrBgpd(RR, config);
        Leaf one = new Leaf(leaf1, "192.0.2.41", frr);
        Leaf two = new Leaf(leaf2, "192.0.2.42", frr)) {
      await("leaf 1 established", () -> one.toRr.state() == SessionState.ESTABLISHED);
      await("leaf 2 established", () -> two.toRr.state() == SessionState.ESTABLISHED);
      await("both leaves fed", () -> one.onLoop(() -> one.sessions.establishedPeers() == 1));
      await(
          "both leaves established", () -> two.onLoop(() -> two.sessions.establishedPeers() == 1));

      // the flood list first: each leaf's type 3 route puts it in the other's list for VNI 100
      await(
          "leaf 1's VTEP in leaf 2's flood list",
          () -> two.onLoop(() -> two.fib.flood(100).contains(IpAddress.parse("192.0.2.41"))));
      assertTrue(one.onLoop(() -> one.fib.flood(100).contains(IpAddress.parse("192.0.2.42"))));

      one.onLoop(
          () -> {
            one.sessions.rib().macLearned(100, HOST, "xe-0/0/1.0", HOST_IP);
            return null;
          });
      MacEntry remote =
          await(
              "leaf 2 to install the host's MAC",
              () -> two.onLoop(() -> two.sessions.rib().mac(100, HOST)));
      assertFalse(remote.local());
      assertTrue(remote.location().contains("192.0.2.41"), remote::toString);
      assertEquals(
          java.util.List.of(IpAddress.parse("192.0.2.41")),
          two.onLoop(() -> two.fib.vteps(100, HOST)),
          "leaf 2's forwarding table sends the host's frames to leaf 1's VTEP");
      MacEntry local = one.onLoop(() -> one.sessions.rib().mac(100, HOST));
      assertNotNull(local);
      assertTrue(local.local());

      // FRR saw it, from leaf 1
      assertTrue(
          frr.json("show bgp l2vpn evpn json").toString().contains(HOST.toString()),
          "FRR's table holds the host's route");

      // leaf 1 hears its own route back from the reflector and ignores it (RFC 4456 §8)
      MacEntry stillLocal = one.onLoop(() -> one.sessions.rib().mac(100, HOST));
      assertNotNull(stillLocal);
      assertTrue(stillLocal.local());
      assertEquals(0, stillLocal.remoteRoutes().size(), stillLocal::toString);

      // the host goes quiet on leaf 1: aged there, withdrawn, gone on leaf 2
      one.onLoop(
          () -> {
            one.sessions.rib().macAged(100, HOST);
            return null;
          });
      await(
          "leaf 2 to remove the host's MAC",
          () -> two.onLoop(() -> two.sessions.rib().mac(100, HOST) == null));
      assertNull(two.onLoop(() -> two.sessions.rib().mac(100, HOST)));
      assertNull(two.onLoop(() -> two.fib.mac(100, HOST)), "and from its forwarding table");
    }
  }
}
