package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpReassemblerTest {
  static int frame;

  /** An Ethernet/IPv4/TCP frame from 127.0.0.1:40000 to 127.0.0.2:179. */
  static CapturedPacket segment(long seq, int flags, String data) {
    byte[] payload = data.getBytes(StandardCharsets.US_ASCII);
    ByteBuf b = Unpooled.buffer();
    b.writeZero(12).writeShort(0x0800);
    b.writeByte(0x45).writeByte(0).writeShort(40 + payload.length).writeInt(0).writeByte(64).writeByte(6).writeShort(0);
    b.writeInt(0x7f000001).writeInt(0x7f000002);
    b.writeShort(40000).writeShort(179).writeInt((int) seq).writeInt(0).writeByte(0x50).writeByte(flags).writeShort(0)
        .writeInt(0);
    b.writeBytes(payload);
    byte[] bytes = new byte[b.readableBytes()];
    b.readBytes(bytes);
    return new CapturedPacket(++frame, 0, LinkType.ETHERNET, bytes.length, bytes);
  }

  @Test
  void outOfOrderRetransmittedAndWrappingSegmentsComeOutOnceAndInOrder() {
    TcpReassembler r = new TcpReassembler(1 << 16);
    StringBuilder stream = new StringBuilder();
    List<Integer> frames = new ArrayList<>();
    TcpReassembler.Listener l = (flow, data, f) -> {
      assertEquals("127.0.0.1:40000 > 127.0.0.2:179", flow.toString());
      stream.append(data.toString(StandardCharsets.US_ASCII));
      frames.add(f);
    };
    long isn = 0xFFFF_FFFDL; // sequence numbers wrap after two bytes
    frame = 0;
    assertNotNull(r.accept(segment(isn, 0x02, ""), l));           // 1 SYN
    assertNotNull(r.accept(segment(isn + 1, 0x18, "hello"), l));  // 2
    assertNotNull(r.accept(segment((isn + 8) & 0xFFFF_FFFFL, 0x18, "world"), l)); // 3, ahead of a hole
    assertNotNull(r.accept(segment(isn + 1, 0x18, "hello"), l));  // 4, retransmission
    assertNotNull(r.accept(segment((isn + 4) & 0xFFFF_FFFFL, 0x18, "lo, "), l)); // 5, overlaps and fills the hole
    assertEquals("hello, world", stream.toString());
    assertEquals(List.of(2, 5, 5), frames);
    assertEquals(0, r.gaps());
    assertNull(r.accept(new CapturedPacket(9, 0, LinkType.ETHERNET, 3, new byte[3]), l));
  }

  @Test
  void aHoleBeyondTheBoundIsSkipped() {
    TcpReassembler r = new TcpReassembler(4);
    StringBuilder stream = new StringBuilder();
    TcpReassembler.Listener l = (flow, data, f) -> stream.append(data.toString(StandardCharsets.US_ASCII));
    r.accept(segment(100, 0x18, "ab"), l);
    r.accept(segment(110, 0x18, "cdefgh"), l);
    assertEquals("abcdefgh", stream.toString());
    assertEquals(1, r.gaps());
  }

  @Test
  void aSegmentTwoToThe31BehindIsAnOldRetransmission() {
    // a Jazzer finding: the signed distance -2^31 overflowed when negated
    TcpReassembler r = new TcpReassembler(1 << 16);
    StringBuilder stream = new StringBuilder();
    TcpReassembler.Listener l = (flow, data, f) -> stream.append(data.toString(StandardCharsets.US_ASCII));
    r.accept(segment(0x8000_0000L, 0x18, "new"), l);
    r.accept(segment(0, 0x18, "old"), l);
    assertEquals("new", stream.toString());
  }
}
