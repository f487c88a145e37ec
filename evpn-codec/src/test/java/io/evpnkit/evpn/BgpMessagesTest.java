package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BgpMessagesTest {
  @Test
  void smallMessagesFrameAndReadBack() {
    ByteBuf stream = Unpooled.buffer();
    BgpMessages.writeKeepalive(stream);
    BgpMessages.writeRouteRefresh(stream, BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN);
    BgpNotification cease = new BgpNotification(BgpNotification.CEASE, 2, new byte[] {1, 2});
    cease.write(stream);
    assertEquals("ffffffffffffffffffffffffffffffff001304", ByteBufUtil.hexDump(stream, 0, 19));
    assertEquals(
        "ffffffffffffffffffffffffffffffff00170500190046", ByteBufUtil.hexDump(stream, 19, 23));
    List<Object> got = new ArrayList<>();
    try (BgpMessageFramer f = new BgpMessageFramer(false, UnpooledByteBufAllocator.DEFAULT)) {
      assertNull(
          f.feed(
              stream,
              (m, type, offset) -> {
                switch (type) {
                  case 4 -> got.add("keepalive@" + offset);
                  case 5 -> got.add(Integer.toHexString(BgpMessages.readRouteRefresh(m)));
                  case 3 -> got.add(BgpNotification.read(m));
                  default -> got.add("type " + type);
                }
              }));
    }
    assertEquals(List.of("keepalive@0", "1946", cease), got);
    assertEquals("NOTIFICATION 6/2 (Cease) data 0102", cease.toString());
    stream.release();
  }

  @Test
  void rfc9003_theShutdownCommunicationIsReadOnlyWhenWellFormed() {
    BgpNotification ok =
        BgpNotification.administrative(
            BgpNotification.CEASE_ADMINISTRATIVE_RESET, "upgrading to 8.4 \u2013 back soon");
    assertEquals("upgrading to 8.4 \u2013 back soon", ok.shutdownMessage());
    ByteBuf wire = written(ok);
    try {
      assertEquals(ok, BgpNotification.read(wire), "what is written reads back");
    } finally {
      wire.release();
    }
    // a length past the data, text that is not UTF-8, an empty message, another code: none
    assertNull(new BgpNotification(6, 2, new byte[] {5, 'a', 'b'}).shutdownMessage());
    assertNull(new BgpNotification(6, 2, new byte[] {2, (byte) 0xC3, 0x28}).shutdownMessage());
    assertNull(new BgpNotification(6, 2, new byte[] {0}).shutdownMessage());
    assertNull(new BgpNotification(6, 3, new byte[] {1, 'a'}).shutdownMessage());
    assertNull(new BgpNotification(3, 2, new byte[] {1, 'a'}).shutdownMessage());
    // trailing octets past the message are not part of it
    assertEquals("ab", new BgpNotification(6, 2, new byte[] {2, 'a', 'b', 'c'}).shutdownMessage());
    assertThrows(IllegalArgumentException.class, () -> BgpNotification.administrative(5, "x"));
  }

  private static ByteBuf written(BgpNotification n) {
    ByteBuf b = Unpooled.buffer();
    n.write(b);
    return b;
  }

  @Test
  void aHeaderErrorBecomesTheNotificationToSend() {
    ByteBuf bad = Unpooled.buffer();
    BgpMessages.writeHeader(bad, 19, 9);
    try (BgpMessageFramer f = new BgpMessageFramer(false, UnpooledByteBufAllocator.DEFAULT)) {
      BgpMessageFramer.HeaderError e = f.feed(bad, (m, t, o) -> {});
      assertNotNull(e);
      BgpNotification n = BgpNotification.of(e, new byte[] {9});
      assertEquals("NOTIFICATION 1/3 (Message Header Error) data 09", n.toString());
    }
    bad.release();
    assertThrows(
        MalformedException.class, () -> BgpNotification.read(Unpooled.wrappedBuffer(new byte[20])));
    assertThrows(IllegalArgumentException.class, () -> new BgpNotification(256, 0, new byte[0]));
  }
}
