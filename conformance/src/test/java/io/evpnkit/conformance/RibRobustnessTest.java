package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.GeneratedUpdate;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The RIB under testkit's generated UPDATEs: every route type, edge values, ADD-PATH, withdrawals,
 * all imported (the instance's policy accepts everything) into a switch whose VNIs are the ones the
 * generator uses most; applying each UPDATE from one of three peers never throws, every batch is
 * one the reference table accepts (it refuses unsafe orders), and after the peers go down nothing
 * is left but the local state. Case names are the generator's replayable ids.
 */
class RibRobustnessTest {
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      switch-options { route-distinguisher 10.0.0.1:1; vrf-import all; vrf-target target:65000:1; }
      vlans {
          v0 { vlan-id 10; vxlan { vni 1; } }
          v1 { vlan-id 11; vxlan { vni 100; } }
          v2 { vlan-id 12; vxlan { vni 16777215; } }
      }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      policy-options { policy-statement all { then accept; } }
      """;

  @TestFactory
  Stream<DynamicTest> generatedUpdatesNeverBreakTheRib() {
    long seed = Seeds.runSeed();
    List<DynamicTest> tests = new ArrayList<>();
    int batches = Seeds.cases(20);
    EvpnUpdateGenerator generator = new EvpnUpdateGenerator(seed);
    for (int b = 0; b < batches; b++) {
      List<GeneratedUpdate> updates = generator.stream(50).toList();
      String name =
          "updates " + updates.get(0).id() + " .. " + updates.get(updates.size() - 1).id();
      tests.add(DynamicTest.dynamicTest(name, () -> run(updates)));
    }
    return tests.stream();
  }

  static long installed;

  @org.junit.jupiter.api.AfterAll
  static void theRoutesReallyReachedTheTable() {
    assertTrue(installed > 0, "the generated routes installed forwarding entries: " + installed);
    System.out.println(
        "RibRobustnessTest: " + installed + " forwarding entries installed over all cases");
  }

  static void run(List<GeneratedUpdate> updates) {
    InMemoryForwardingTable table = new InMemoryForwardingTable();
    Peer[] peers = {
      new Peer(IpAddress.parse("10.0.0.100"), 100, false),
      new Peer(IpAddress.parse("10.0.0.101"), 101, true),
      new Peer(IpAddress.parse("10.0.0.102"), 102, false)
    };
    try (EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(CONFIG), IpAddress.parse("10.0.0.1"), table).build()) {
      long before = table.operations();
      for (int i = 0; i < updates.size(); i++) {
        GeneratedUpdate u = updates.get(i);
        ByteBuf buf = u.toByteBuf();
        try {
          UpdateDecoder d = new UpdateDecoder(u.options());
          assertEquals(UpdateOutcome.OK, d.decode(buf), u::id);
          rib.update(peers[i % peers.length], d);
        } catch (RuntimeException | AssertionError e) {
          throw new AssertionError("case " + u.id() + ": " + e, e);
        } finally {
          buf.release();
        }
      }
      assertTrue(rib.driverInStep(), "every batch was safe for the reference table");
      installed +=
          table.macs().size()
              + table.floods().size()
              + table.groups().size()
              + table.routes().size();
      assertTrue(table.operations() >= before);
      for (Peer p : peers) {
        rib.peerDown(p);
      }
      assertEquals(0, rib.pathCount());
      assertTrue(
          table.macs().isEmpty(), () -> "MACs left after every peer went down: " + table.macs());
      assertTrue(table.floods().isEmpty(), () -> "flood lists left: " + table.floods());
      assertTrue(table.groups().isEmpty(), () -> "groups left: " + table.groups());
      assertTrue(table.neighbors().isEmpty(), () -> "neighbors left: " + table.neighbors());
    }
  }
}
