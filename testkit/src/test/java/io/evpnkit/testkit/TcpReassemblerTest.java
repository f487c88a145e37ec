package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpReassemblerTest {
  static int frame;

  /** An Ethernet/IPv4/TCP frame from 127.0.0.1:40000 to 127.0.0.2:179. */
  static CapturedPacket segment(long seq, int flags, String data) {
    return segment(40000, seq, flags, data);
  }

  @Test
  void outOfOrderRetransmittedAndWrappingSegmentsComeOutOnceAndInOrder() {
    TcpReassembler r = new TcpReassembler(1 << 16);
    StringBuilder stream = new StringBuilder();
    List<Integer> frames = new ArrayList<>();
    TcpReassembler.Listener l =
        (flow, data, f) -> {
          assertEquals("127.0.0.1:40000 > 127.0.0.2:179", flow.toString());
          stream.append(data.toString(StandardCharsets.US_ASCII));
          frames.add(f);
        };
    long isn = 0xFFFF_FFFDL; // sequence numbers wrap after two bytes
    frame = 0;
    assertNotNull(r.accept(segment(isn, 0x02, ""), l)); // 1 SYN
    assertNotNull(r.accept(segment(isn + 1, 0x18, "hello"), l)); // 2
    assertNotNull(
        r.accept(segment((isn + 8) & 0xFFFF_FFFFL, 0x18, "world"), l)); // 3, ahead of a hole
    assertNotNull(r.accept(segment(isn + 1, 0x18, "hello"), l)); // 4, retransmission
    assertNotNull(
        r.accept(
            segment((isn + 4) & 0xFFFF_FFFFL, 0x18, "lo, "), l)); // 5, overlaps and fills the hole
    assertEquals("hello, world", stream.toString());
    assertEquals(List.of(2, 5, 5), frames);
    assertEquals(0, r.gaps());
    assertNull(r.accept(new CapturedPacket(9, 0, LinkType.ETHERNET, 3, new byte[3]), l));
  }

  @Test
  void aHoleBeyondTheBoundIsSkipped() {
    TcpReassembler r = new TcpReassembler(4);
    StringBuilder stream = new StringBuilder();
    TcpReassembler.Listener l =
        (flow, data, f) -> stream.append(data.toString(StandardCharsets.US_ASCII));
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
    TcpReassembler.Listener l =
        (flow, data, f) -> stream.append(data.toString(StandardCharsets.US_ASCII));
    r.accept(segment(0x8000_0000L, 0x18, "new"), l);
    r.accept(segment(0, 0x18, "old"), l);
    assertEquals("new", stream.toString());
  }

  /** A frame of another connection (source port {@code port}). */
  static CapturedPacket segment(int port, long seq, int flags, String data) {
    byte[] bytes = TcpFrames.toBgp(port, seq, flags, data.getBytes(StandardCharsets.US_ASCII));
    return new CapturedPacket(++frame, 0, LinkType.ETHERNET, bytes.length, bytes);
  }

  /** Records the stream and its events, one string each. */
  static final class Events implements TcpReassembler.Listener {
    final StringBuilder stream = new StringBuilder();
    final List<String> events = new ArrayList<>();

    @Override
    public void onData(TcpReassembler.Flow flow, ByteBuf data, int frame) {
      stream.append(data.toString(StandardCharsets.US_ASCII));
    }

    @Override
    public void onNewStream(TcpReassembler.Flow flow, int frame) {
      events.add("new stream at " + frame);
      stream.append('|');
    }

    @Override
    public void onGap(TcpReassembler.Flow flow, long missing, int frame) {
      events.add("gap of " + missing + " at " + frame);
      stream.append('_');
    }
  }

  @Test
  @org.junit.jupiter.api.Timeout(60) // a hang guard: the quadratic version took minutes here
  void a100000SegmentsInReverseOrderComeOutInOrder() {
    int n = 100_000;
    TcpReassembler r = new TcpReassembler(1 << 24);
    long[] sum = {0};
    long[] bytes = {0};
    TcpReassembler.Listener l =
        (flow, data, f) -> {
          for (int i = data.readerIndex(); i < data.writerIndex(); i++) {
            sum[0] = sum[0] * 31 + data.getByte(i);
          }
          bytes[0] += data.readableBytes();
        };
    r.accept(segment(0, 0x02, ""), l);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < n; i++) {
      expected.append((char) ('a' + i % 26));
    }
    for (int i = n - 1; i >= 0; i--) {
      r.accept(segment(1 + i, 0x18, expected.substring(i, i + 1)), l);
    }
    long want = 0;
    for (int i = 0; i < n; i++) {
      want = want * 31 + expected.charAt(i);
    }
    assertEquals(n, bytes[0]);
    assertEquals(want, sum[0]);
    assertEquals(0, r.gaps());
  }

  @Test
  void copiesOfAWaitingSegmentCountOnceAgainstTheBound() {
    TcpReassembler r = new TcpReassembler(10);
    Events e = new Events();
    r.accept(segment(99, 0x02, ""), e);
    r.accept(segment(105, 0x18, "fghij"), e); // waits for 100..104
    r.accept(
        segment(105, 0x18, "fghij"), e); // retransmitted while waiting: still 5 bytes held, not 10
    r.accept(segment(110, 0x18, "k"), e); // fits: 6 bytes held
    r.accept(segment(100, 0x18, "abcde"), e);
    assertEquals("|abcdefghijk", e.stream.toString());
    assertEquals(0, r.gaps());
  }

  @Test
  void aSynWithAnotherInitialSequenceNumberStartsANewStreamAndARetransmittedSynDoesNot() {
    TcpReassembler r = new TcpReassembler(1 << 16);
    Events e = new Events();
    frame = 0;
    r.accept(segment(1000, 0x02, ""), e); // 1
    r.accept(segment(1001, 0x18, "half"), e); // 2
    r.accept(segment(1000, 0x02, ""), e); // 3: the same SYN again, late
    r.accept(segment(1005, 0x18, "-done"), e); // 4
    r.accept(segment(5000, 0x02, ""), e); // 5: a new connection on the same ports
    r.accept(segment(5001, 0x18, "new"), e); // 6
    assertEquals("|half-done|new", e.stream.toString());
    assertEquals(List.of("new stream at 1", "new stream at 5"), e.events);
  }

  @Test
  void aHoleNeverFilledIsReportedAtTheEndAndWhatWaitsBehindItDelivered() {
    TcpReassembler r = new TcpReassembler(1 << 16);
    Events e = new Events();
    r.accept(segment(0, 0x02, ""), e);
    r.accept(segment(1, 0x18, "abc"), e);
    r.accept(segment(7, 0x18, "ghi"), e); // 4..6 never captured
    r.accept(segment(12, 0x18, "lm"), e); // 10..11 neither
    assertEquals("|abc", e.stream.toString());
    r.finish(e);
    assertEquals("|abc_ghi_lm", e.stream.toString());
    assertEquals(
        List.of("new stream at " + (frame - 3), "gap of 3 at -1", "gap of 2 at -1"), e.events);
    assertEquals(2, r.gaps());
    assertEquals(5, r.gapBytes());
  }

  @Test
  void theDirectionsKeptAreBoundedAndTheLeastRecentlyActiveForgotten() {
    TcpReassembler r = new TcpReassembler(1 << 16, 3);
    Events e = new Events();
    for (int port = 40001; port <= 40005; port++) {
      r.accept(segment(port, 1, 0x18, "x"), e);
      r.accept(segment(port, 5, 0x18, "waiting"), e); // 2..4 missing: 7 bytes held per direction
    }
    assertEquals(3, r.flows());
    assertEquals(2, r.evictedFlows());
    assertEquals(14, r.gapBytes(), "what the two forgotten directions held is counted as lost");
  }
}
