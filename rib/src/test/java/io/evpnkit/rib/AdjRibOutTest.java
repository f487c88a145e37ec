package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdjRibOutTest {
  /** Decodes every message of {@code buf}: "+route" for announcements, "-route" for withdrawals. */
  static List<String> decode(ByteBuf buf) {
    List<String> out = new ArrayList<>();
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    int at = buf.readerIndex();
    while (at < buf.writerIndex()) {
      int length = buf.getUnsignedShort(at + 16);
      assertEquals(UpdateOutcome.OK, d.decode(buf.slice(at, length)), () -> d.errors().toString());
      d.forEachRoute(
          (withdraw, pathId, nlri) -> out.add((withdraw ? "-" : "+") + EvpnRoutes.decode(nlri)));
      at += length;
    }
    return out;
  }

  @Test
  void writesOnlyWhatChangedGroupedByAttributes() {
    AdjRibOut out = new AdjRibOut(SessionOptions.IBGP);
    PathAttributes a = RibFixture.attrs(RibFixture.LOCAL, RibFixture.RT100);
    PathAttributes b = RibFixture.attrs(RibFixture.LOCAL, RibFixture.RT100, RibFixture.seq(1));
    for (int i = 0; i < 3; i++) {
      out.announce(RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0000L + i)), a);
    }
    out.announce(RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0009L)), b);
    ByteBuf buf = Unpooled.buffer();
    assertEquals(2, out.write(buf), "one UPDATE per attribute set");
    assertEquals(4, decode(buf).size());
    buf.clear();
    out.announce(
        RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0000L)), a); // unchanged
    assertFalse(out.hasChanges());
    out.withdraw(RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0001L)));
    out.withdraw(RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0077L))); // never sent
    assertEquals(1, out.write(buf));
    assertEquals(List.of("-2:10.0.0.1:1::0::02:00:00:00:00:01/304"), decode(buf));
    assertEquals(3, out.size());
    buf.clear();
    assertEquals(3, out.writeAll(buf), "two attribute sets and End-of-RIB");
    List<String> all = decode(buf);
    assertEquals(3, all.size());
    assertTrue(all.stream().allMatch(s -> s.startsWith("+")));
    buf.release();
  }

  private static io.evpnkit.evpn.EvpnRoute host(int i) {
    return RibFixture.mac(RibFixture.LOCAL, MacAddress.of(0x0200_0000_0000L + i));
  }

  @Test
  void batchesCopiesAndStartingOverGiveEachPeerWhatItLacks() {
    PathAttributes a = RibFixture.attrs(RibFixture.LOCAL, RibFixture.RT100);
    AdjRibOut group = new AdjRibOut(SessionOptions.IBGP);
    for (int i = 0; i < 5; i++) {
      group.announce(host(i), a);
    }
    ByteBuf buf = Unpooled.buffer();
    try {
      group.write(buf, 2); // a batch: the two oldest changes
      assertEquals(2, decode(buf).size());
      assertEquals(3, group.pendingChanges());
      assertEquals(2, group.size());

      // a slow peer goes on from a copy: it has what the group sent, and waits for the rest
      AdjRibOut slow = group.copy();
      group.write(buf.clear());
      assertEquals(3, decode(buf).size());
      group.withdraw(host(0));
      slow.withdraw(host(0));
      buf.clear();
      slow.write(buf);
      List<String> caughtUp = decode(buf);
      assertEquals(4, caughtUp.size(), caughtUp::toString);
      assertTrue(caughtUp.contains("-2:10.0.0.1:1::0::02:00:00:00:00:00/304"), caughtUp::toString);

      // a new peer starts over: every route the group has, nothing it withdrew
      AdjRibOut fresh = group.startingOver();
      assertEquals(0, fresh.size());
      fresh.write(buf.clear());
      assertEquals(4, decode(buf).size());
      assertTrue(decode(buf).stream().allMatch(r -> r.startsWith("+")));

      // a route refresh: everything again, and a withdrawal meanwhile still reaches the peer
      group.write(buf.clear());
      group.resendAll();
      assertEquals(4, group.pendingChanges());
      group.withdraw(host(1));
      group.write(buf.clear());
      List<String> refreshed = decode(buf);
      assertTrue(
          refreshed.contains("-2:10.0.0.1:1::0::02:00:00:00:00:01/304"), refreshed::toString);
      assertEquals(3, group.size());
    } finally {
      buf.release();
    }
  }

  @Test
  void theRibsLocalRoutesReachThePeerAsUpdates() {
    AdjRibOut out = new AdjRibOut(SessionOptions.IBGP);
    EvpnRib rib =
        EvpnRib.builder(
                io.evpnkit.policy.VtepConfig.parse(RibFixture.CONFIG),
                RibFixture.LOCAL,
                new InMemoryForwardingTable())
            .routeSink(out)
            .build();
    rib.macLearned(100, RibFixture.M, "xe-0/0/0.0", null);
    ByteBuf buf = Unpooled.buffer();
    out.write(buf);
    List<String> routes = decode(buf);
    assertTrue(routes.contains("+2:10.0.0.1:1::100::00:00:0a:0b:0c:0d/304"), routes::toString);
    assertTrue(routes.contains("+3:10.0.0.1:1::100::10.0.0.1/304"), routes::toString);
    buf.release();
  }
}
