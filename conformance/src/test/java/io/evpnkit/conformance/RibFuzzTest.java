package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Jazzer target for the RIB (corpus in {@code RibFuzzTestInputs/}): a sequence of structure-aware
 * UPDATEs (testkit's {@code FuzzInputs}) from two peers, each decoded with RFC 7606 handling and
 * applied, interleaved with local learning, port events and timers; nothing throws, every batch the
 * RIB sends is one the reference table accepts, and after both peers go down no remote state is
 * left.
 */
class RibFuzzTest {
  static final VtepConfig CONFIG =
      VtepConfig.parse(
          RibRobustnessTest.CONFIG
              + """
      interfaces {
          ae0 { esi { 00:22:22:22:22:22:22:22:22:22; all-active; }
                unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v0 v1 v2 ]; } } } }
          xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v0 v1 ]; } } } }
      }
      """);

  @FuzzTest(maxDuration = "10m")
  void updates(FuzzedDataProvider data) {
    InMemoryForwardingTable table = new InMemoryForwardingTable();
    Peer[] peers = {
      new Peer(IpAddress.parse("10.0.0.100"), 100, false),
      new Peer(IpAddress.parse("10.0.0.101"), 101, true)
    };
    long[] clock = {0};
    try (EvpnRib rib =
        EvpnRib.builder(CONFIG, IpAddress.parse("10.0.0.1"), table).clock(() -> clock[0]).build()) {
      int steps = data.consumeInt(1, 12);
      for (int i = 0; i < steps && data.remainingBytes() > 0; i++) {
        switch (data.consumeInt(0, 5)) {
          case 0, 1, 2 -> {
            int bits = data.consumeInt(0, 3);
            SessionOptions options =
                new SessionOptions(true, (bits & 1) != 0, false, (bits & 2) != 0);
            ByteBuf m = Unpooled.wrappedBuffer(io.evpnkit.testkit.FuzzInputs.evpnUpdate(data));
            UpdateDecoder d = new UpdateDecoder(options);
            if (d.decode(m) != UpdateOutcome.SESSION_RESET) {
              rib.update(peers[bits & 1], d);
            }
          }
          case 3 ->
              rib.macLearned(
                  data.pickValue(new int[] {1, 100, 16_777_215}),
                  io.evpnkit.evpn.MacAddress.of(data.consumeLong(0, 0xFFFF_FFFF_FFFFL)),
                  data.pickValue(new String[] {"ae0.0", "xe-0/0/1.0"}),
                  data.consumeBoolean() ? IpAddress.ofIpv4(data.consumeInt()) : null);
          case 4 -> {
            String port = data.pickValue(new String[] {"ae0.0", "xe-0/0/1.0"});
            if (data.consumeBoolean()) {
              rib.portDown(port);
            } else {
              rib.portUp(port);
            }
          }
          default -> {
            clock[0] += data.consumeLong(0, 600_000_000_000L);
            rib.tick();
          }
        }
        assertTrue(rib.driverInStep(), "a batch the reference table refused");
      }
      for (Peer p : peers) {
        rib.peerDown(p);
      }
      assertEquals(0, rib.pathCount());
      assertTrue(
          table.groups().isEmpty() && table.floods().isEmpty(),
          () -> "remote state left after the peers left: " + table.groups() + " " + table.floods());
    }
  }
}
