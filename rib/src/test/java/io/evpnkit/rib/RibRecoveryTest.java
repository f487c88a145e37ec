package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every event is whole or not at all: an {@link OutOfMemoryError} thrown in the middle of an event
 * (here by the integrator's listener or route sink, whose errors pass the RIB's guard, at each of
 * their calls in turn) leaves the RIB and its driver in the state a run without the fault reaches,
 * once the script has gone on.
 */
class RibRecoveryTest extends RibFixture {
  static final MacAddress M2 = MacAddress.parse("00:00:0a:0b:0c:0e");
  static final MacAddress M3 = MacAddress.parse("00:00:0a:0b:0c:0f");

  /** Counts the callbacks of both the listener and the sink, and throws at the chosen one. */
  static final class Faulty implements RibListener, RouteSink {
    final int failAt; // 0: never
    boolean armed; // from the first event on (the RIB's build is no event)
    int calls;
    int faults;
    final List<Throwable> recovered = new ArrayList<>();

    Faulty(int failAt) {
      this.failAt = failAt;
    }

    void call() {
      if (armed && ++calls == failAt) {
        throw new OutOfMemoryError("injected at callback " + failAt);
      }
    }

    @Override
    public void announce(EvpnRoute route, PathAttributes attributes) {
      call();
    }

    @Override
    public void withdraw(EvpnRoute route) {
      call();
    }

    @Override
    public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
      call();
    }

    @Override
    public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
      call();
    }

    @Override
    public void designatedForwarder(
        EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
      call();
    }

    @Override
    public void duplicateMac(int vni, MacAddress mac, int moves) {
      call();
    }

    @Override
    public void internalFault(Throwable cause) {
      recovered.add(cause);
    }
  }

  /**
   * The deck's day on a leaf: learning, moves, multihoming, mass withdraw, a static MAC, DF
   * election, ageing.
   */
  static List<Consumer<EvpnRib>> script(AtomicLong clock) {
    List<Consumer<EvpnRib>> s = new ArrayList<>();
    s.add(rib -> rib.announce(RR, 0, mac(B, M), attrs(B, RT100)));
    s.add(
        rib ->
            rib.macLearned(100, M, "xe-0/0/0.0", IpAddress.parse("10.1.0.5"))); // moves here, seq 1
    s.add(rib -> rib.announce(RR, 0, mac(C, M), attrs(C, RT100, seq(5)))); // and away to C
    s.add(rib -> segmentRoutes(rib, B, ESI, false));
    s.add(rib -> segmentRoutes(rib, C, ESI, false));
    s.add(
        rib -> rib.announce(RR, 0, mac(B, M2, ESI, IpAddress.parse("10.1.0.6")), attrs(B, RT100)));
    s.add(rib -> rib.withdraw(RR, 0, perEs(B, ESI))); // mass withdraw
    s.add(rib -> rib.staticMac(100, M3, "xe-0/0/0.0"));
    s.add(rib -> rib.announce(RR, 0, mac(C, M3), attrs(C, RT100, seq(9)))); // a sticky conflict
    s.add(
        rib ->
            rib.announce(
                RR,
                0,
                new InclusiveMulticastRoute(
                    RouteDistinguisher.parse(C + ":1"), EthernetTag.ZERO, C),
                attrs(C, RT100).toBuilder()
                    .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), C))
                    .build()));
    s.add(
        rib ->
            rib.announce(
                RR,
                0,
                EthernetSegmentRoute.of(RouteDistinguisher.parse(B + ":0"), SEGMENT, B),
                PathAttributes.builder()
                    .nextHop(B)
                    .addExtendedCommunity(ExtendedCommunity.parse("target:1111:11"))
                    .build()));
    s.add(
        rib -> {
          clock.addAndGet(Duration.ofSeconds(3).toNanos());
          rib.tick(); // the DF elections
        });
    s.add(rib -> rib.macLearned(100, M2, "ae0.0", null)); // behind the segment this PE is on too
    s.add(rib -> rib.portDown("ae0.0"));
    s.add(rib -> rib.portUp("ae0.0"));
    s.add(rib -> rib.macAged(100, M));
    s.add(rib -> rib.withdraw(RR, 0, mac(C, M)));
    return s;
  }

  record Run(EvpnRib rib, Recording driver, Faulty callbacks, int thrown) {}

  static Run run(int failAt) {
    AtomicLong clock = new AtomicLong();
    Recording driver = new Recording();
    Faulty callbacks = new Faulty(failAt);
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
            .routeSink(callbacks)
            .listener(callbacks)
            .clock(clock::get)
            .build();
    callbacks.armed = true;
    int thrown = 0;
    for (Consumer<EvpnRib> step : script(clock)) {
      try {
        step.accept(rib);
      } catch (OutOfMemoryError e) {
        thrown++;
      }
    }
    return new Run(rib, driver, callbacks, thrown);
  }

  /** The forwarding state with next-hop groups named by what they hold, not by their numbers. */
  static java.util.SortedSet<String> normalized(List<ForwardingOp> state) {
    Map<Long, String> groups = new HashMap<>();
    for (ForwardingOp op : state) {
      if (op instanceof ForwardingOp.SetGroup g) {
        groups.put(g.groupId(), "group " + g.esi() + " " + g.vni() + " " + g.members());
      }
    }
    TreeSet<String> out = new TreeSet<>();
    for (ForwardingOp op : state) {
      if (op instanceof ForwardingOp.SetGroup g) {
        out.add(groups.get(g.groupId()));
      } else if (op instanceof ForwardingOp.SetMac m
          && m.destination() instanceof Destination.Group g) {
        out.add("mac " + m.vni() + " " + m.mac() + " -> " + groups.get(g.groupId()));
      } else {
        out.add(op.toString());
      }
    }
    return out;
  }

  @Test
  void anOutOfMemoryErrorAtAnyCallbackLeavesTheRibWholeAndTheDriverInStep() {
    Run reference = run(0);
    int callbacks = reference.callbacks().calls;
    assertTrue(callbacks >= 15, "the script calls back often: " + callbacks);
    java.util.SortedSet<String> wanted = normalized(reference.rib().forwardingState());
    for (int k = 1; k <= callbacks; k++) {
      Run faulty = run(k);
      assertEquals(1, faulty.thrown(), "the fault reached the caller, at callback " + k);
      assertEquals(1, faulty.callbacks().recovered.size(), "and the listener heard of it");
      assertEquals(
          wanted,
          normalized(faulty.rib().forwardingState()),
          "the RIB's state, fault at callback " + k);
      assertTrue(faulty.rib().driverInStep());
      InMemoryForwardingTable inDriver = faulty.driver().table;
      InMemoryForwardingTable expected = new InMemoryForwardingTable();
      expected.replaceAll(faulty.rib().forwardingState());
      assertEquals(expected.macs(), inDriver.macs(), "the driver's MACs, fault at callback " + k);
      assertEquals(expected.groups(), inDriver.groups());
      assertEquals(expected.floods(), inDriver.floods());
      assertEquals(expected.neighbors(), inDriver.neighbors());
      for (MacAddress mac : List.of(M, M2, M3)) {
        MacEntry a = reference.rib().mac(100, mac);
        MacEntry b = faulty.rib().mac(100, mac);
        assertEquals(
            a == null ? null : a.location() + " " + a.sequence() + " " + a.frozen(),
            b == null ? null : b.location() + " " + b.sequence() + " " + b.frozen(),
            mac + ", fault at " + k);
      }
    }
  }

  @Test
  void aFaultInsideAnEventThatRunsAnotherIsRecoveredOnce() {
    // a port going down ages its MACs, each by the same path as macAged: the fault in the
    // withdrawal of the first MAC's
    // route is recovered there, and the port's event rethrows it without rebuilding again
    Recording driver = new Recording();
    Faulty callbacks =
        new Faulty(3); // 1, 2: the two announcements of the learned MACs; 3: the first withdrawal
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
            .routeSink(callbacks)
            .listener(callbacks)
            .build();
    callbacks.armed = true;
    rib.macLearned(100, M, "xe-0/0/0.0", null);
    rib.macLearned(100, M2, "xe-0/0/0.0", null);
    OutOfMemoryError e =
        org.junit.jupiter.api.Assertions.assertThrows(
            OutOfMemoryError.class, () -> rib.portDown("xe-0/0/0.0"));
    assertEquals(List.of(e), callbacks.recovered);
    assertTrue(rib.driverInStep());
  }
}
