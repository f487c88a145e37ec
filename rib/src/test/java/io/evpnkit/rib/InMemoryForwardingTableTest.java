package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryForwardingTableTest {
  static final MacAddress M = MacAddress.parse("00:00:00:00:00:01");
  static final ForwardingOp.SetGroup G =
      new ForwardingOp.SetGroup(
          7,
          EthernetSegmentIdentifier.MAX,
          100,
          List.of(new ForwardingOp.Member(IpAddress.parse("10.0.0.2"), 1)));

  @Test
  void aMacBeforeItsGroupIsRefusedAndTheBatchLeavesNoTrace() {
    InMemoryForwardingTable t = new InMemoryForwardingTable();
    List<ForwardingOp> unsafe =
        List.of(
            new ForwardingOp.SetFlood(100, List.of(IpAddress.parse("10.0.0.2"))),
            new ForwardingOp.SetMac(100, M, new Destination.Group(7)),
            G);
    assertThrows(IllegalStateException.class, () -> t.apply(unsafe));
    assertEquals(List.of(), t.flood(100), "rolled back");
    t.apply(FibState.order(unsafe));
    assertEquals(List.of(IpAddress.parse("10.0.0.2")), t.vteps(100, M));
  }

  @Test
  void aGroupInUseCannotGoAndRemovingTheMacFirstIsFine() {
    InMemoryForwardingTable t = new InMemoryForwardingTable();
    t.apply(List.of(G, new ForwardingOp.SetMac(100, M, new Destination.Group(7))));
    assertThrows(
        IllegalStateException.class, () -> t.apply(List.of(new ForwardingOp.RemoveGroup(7))));
    assertEquals(new Destination.Group(7), t.mac(100, M));
    t.apply(
        FibState.order(
            List.of(new ForwardingOp.RemoveGroup(7), new ForwardingOp.RemoveMac(100, M))));
    assertNull(t.mac(100, M));
    assertEquals(0, t.groups().size());
  }

  /**
   * MAC entries keep a 16-bit index of their destination: indexes no entry uses are reused, and
   * beyond 65,534 destinations at once entries keep theirs aside; a failed batch rolls every kind
   * back.
   */
  @Test
  void moreDestinationsThanIndexesAndRollbackOfEveryKind() {
    InMemoryForwardingTable t = new InMemoryForwardingTable();
    int n = 70_000;
    java.util.function.IntFunction<Destination> vtep =
        i -> new Destination.RemoteVtep(IpAddress.ofIpv4(0x0B00_0000 + i));
    List<ForwardingOp> set = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      set.add(new ForwardingOp.SetMac(100, MacAddress.of(i + 1L), vtep.apply(i)));
    }
    t.apply(set);
    assertEquals(n, t.macCount());
    for (int i = 0; i < n; i += 997) {
      assertEquals(vtep.apply(i), t.mac(100, MacAddress.of(i + 1L)), "entry " + i);
    }
    assertEquals(vtep.apply(n - 1), t.mac(100, MacAddress.of(n)), "beyond the indexes");
    // move every MAC to one VTEP, then back to its own: indexes freed on the way are reused
    List<ForwardingOp> one = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      one.add(new ForwardingOp.SetMac(100, MacAddress.of(i + 1L), vtep.apply(0)));
    }
    t.apply(one);
    t.apply(set);
    for (int i = 0; i < n; i += 991) {
      assertEquals(vtep.apply(i), t.mac(100, MacAddress.of(i + 1L)), "entry " + i);
    }
    // a batch that fails at its end leaves MACs, ARP/ND entries, floods and groups as they were
    IpAddress kept = IpAddress.parse("10.1.0.1");
    IpAddress moved = IpAddress.parse("fd00::1");
    t.apply(
        List.of(
            new ForwardingOp.SetNeighbor(100, kept, MacAddress.of(1)),
            new ForwardingOp.SetNeighbor(100, moved, MacAddress.of(2))));
    java.util.Map<ForwardingOp.MacKey, Destination> before = t.macs();
    java.util.Map<ForwardingOp.NeighborKey, MacAddress> neighborsBefore = t.neighbors();
    List<ForwardingOp> failing = new java.util.ArrayList<>(one.subList(0, 5000));
    failing.add(new ForwardingOp.RemoveNeighbor(100, kept));
    failing.add(new ForwardingOp.SetNeighbor(100, moved, MacAddress.of(3)));
    failing.add(new ForwardingOp.SetNeighbor(200, kept, MacAddress.of(4)));
    failing.add(new ForwardingOp.RemoveMac(100, MacAddress.of(3)));
    failing.add(new ForwardingOp.SetFlood(100, List.of(IpAddress.parse("10.0.0.9"))));
    failing.add(G);
    failing.add(new ForwardingOp.SetMac(100, MacAddress.of(n + 5L), new Destination.Group(8)));
    assertThrows(IllegalStateException.class, () -> t.apply(failing));
    assertEquals(before, t.macs());
    assertEquals(neighborsBefore, t.neighbors());
    assertEquals(MacAddress.of(2), t.neighbor(100, moved));
    assertEquals(null, t.neighbor(200, kept));
    assertEquals(List.of(), t.flood(100));
    assertEquals(0, t.groups().size());
    // and removing everything leaves nothing
    List<ForwardingOp> remove = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      remove.add(new ForwardingOp.RemoveMac(100, MacAddress.of(i + 1L)));
    }
    t.apply(remove);
    assertEquals(0, t.macCount());
    assertEquals(java.util.Map.of(), t.macs());
  }
}
