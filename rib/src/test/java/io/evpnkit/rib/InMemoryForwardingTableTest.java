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
  static final ForwardingOp.SetGroup G = new ForwardingOp.SetGroup(7, EthernetSegmentIdentifier.MAX, 100,
      List.of(new ForwardingOp.Member(IpAddress.parse("10.0.0.2"), 1)));

  @Test
  void aMacBeforeItsGroupIsRefusedAndTheBatchLeavesNoTrace() {
    InMemoryForwardingTable t = new InMemoryForwardingTable();
    List<ForwardingOp> unsafe = List.of(new ForwardingOp.SetFlood(100, List.of(IpAddress.parse("10.0.0.2"))),
        new ForwardingOp.SetMac(100, M, new Destination.Group(7)), G);
    assertThrows(IllegalStateException.class, () -> t.apply(unsafe));
    assertEquals(List.of(), t.flood(100), "rolled back");
    t.apply(FibState.order(unsafe));
    assertEquals(List.of(IpAddress.parse("10.0.0.2")), t.vteps(100, M));
  }

  @Test
  void aGroupInUseCannotGoAndRemovingTheMacFirstIsFine() {
    InMemoryForwardingTable t = new InMemoryForwardingTable();
    t.apply(List.of(G, new ForwardingOp.SetMac(100, M, new Destination.Group(7))));
    assertThrows(IllegalStateException.class, () -> t.apply(List.of(new ForwardingOp.RemoveGroup(7))));
    assertEquals(new Destination.Group(7), t.mac(100, M));
    t.apply(FibState.order(List.of(new ForwardingOp.RemoveGroup(7), new ForwardingOp.RemoveMac(100, M))));
    assertNull(t.mac(100, M));
    assertEquals(0, t.groups().size());
  }
}
