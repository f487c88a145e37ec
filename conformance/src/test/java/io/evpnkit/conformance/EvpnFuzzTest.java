package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.evpn.AsPath;
import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.BgpProtocolException;
import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RawAttribute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.evpn.UpdateError;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Jazzer targets for evpn-codec's decoders and text parsers (corpus in {@code
 * EvpnFuzzTestInputs/}). Properties: a field of NLRI either walks cleanly or stops with a typed
 * error inside the input; every accepted NLRI decodes to a value that re-encodes to the same bytes
 * and whose text parses back; text parsers throw only {@link MalformedException}, with an offset
 * inside the text.
 */
class EvpnFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void nlriField(byte[] data) {
    ByteBuf buf = BufferShape.COMPOSITE.wrap(data);
    try {
      EvpnNlri n = new EvpnNlri();
      int end = buf.writerIndex();
      for (int at = BufferShape.OFFSET; at < end; at += n.totalLength()) {
        if (!n.tryWrap(buf, at, end)) {
          assertTrue(
              n.errorOffset() >= at && n.errorOffset() <= end,
              () -> n.error() + " at " + n.errorOffset());
          break;
        }
        EvpnRoute route = EvpnRoutes.decode(n);
        byte[] wire = new byte[n.totalLength()];
        buf.getBytes(at, wire);
        assertArrayEquals(wire, EvpnRoutes.toBytes(route), route::toString);
        String junos = route.toString();
        assertEquals(junos, EvpnRoutes.parseJunos(junos).toString());
        if (route.routeType().code() >= 1 && route.routeType().code() <= 5) {
          String frr = EvpnRoutes.formatFrr(route);
          assertEquals(
              frr,
              EvpnRoutes.formatFrr(
                  EvpnRoutes.parseFrr(frr, RouteDistinguisher.of(n.routeDistinguisherValue()))));
        }
      }
    } finally {
      buf.release();
    }
  }

  @FuzzTest(maxDuration = "10m")
  void messageFramer(byte[] data) {
    int split = data.length == 0 ? 0 : (data[0] & 0xFF) % (data.length + 1);
    long[] framed = {0};
    try (BgpMessageFramer f =
        new BgpMessageFramer((data.length & 1) == 0, PooledByteBufAllocator.DEFAULT)) {
      BgpMessageFramer.HeaderError error = null;
      for (int[] part : new int[][] {{0, split}, {split, data.length}}) {
        ByteBuf segment = BufferShape.COMPOSITE.wrap(Arrays.copyOfRange(data, part[0], part[1]));
        try {
          error =
              f.feed(
                  segment,
                  (m, type, offset) -> {
                    assertEquals(framed[0], offset);
                    assertEquals(m.getUnsignedShort(m.readerIndex() + 16), m.readableBytes());
                    framed[0] += m.readableBytes();
                  });
        } finally {
          segment.release();
        }
        if (error != null) {
          assertTrue(
              error.streamOffset() >= f.consumed() && error.streamOffset() < data.length,
              error::toString);
          break;
        }
      }
      assertEquals(framed[0], f.consumed());
      if (error == null) {
        assertEquals(data.length, f.consumed() + f.pending());
      }
    }
  }

  /** Wraps {@code body} (at most 4096 - 19 bytes of it) into a BGP message of {@code type}. */
  static ByteBuf message(int type, byte[] body, int from) {
    int n =
        Math.min(body.length - from, BgpMessageFramer.MAX_LENGTH - BgpMessageFramer.HEADER_LENGTH);
    ByteBuf b = PooledByteBufAllocator.DEFAULT.buffer(BgpMessageFramer.HEADER_LENGTH + n);
    BgpMessages.writeHeader(b, BgpMessageFramer.HEADER_LENGTH + n, type);
    b.writeBytes(body, from, n);
    return b;
  }

  /**
   * An UPDATE body; the first octet picks the session options (bit 0: 4-octet AS, 1: ADD-PATH, 2:
   * internal peer). Properties: decoding never throws; every error lies inside the message; the
   * routes and attributes of anything not reset can be read, and re-encoding them (with extended
   * messages, so everything fits) decodes cleanly to the same routes and attributes
   * (decode(encode(x)) = x).
   */
  @FuzzTest(maxDuration = "10m")
  void updateMessage(byte[] data) {
    if (data.length == 0) {
      return;
    }
    int bits = data[0];
    SessionOptions options =
        new SessionOptions((bits & 1) != 0, (bits & 2) != 0, false, (bits & 4) != 0);
    ByteBuf m = message(2, data, 1);
    ByteBuf again = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      UpdateDecoder d = new UpdateDecoder(options);
      UpdateOutcome outcome = d.decode(m);
      for (UpdateError e : d.errors()) {
        assertTrue(e.offset() >= 0 && e.offset() < m.readableBytes(), e::toString);
      }
      if (outcome == UpdateOutcome.SESSION_RESET) {
        int code = d.notification().code();
        assertTrue(code == 1 || code == 3, () -> "NOTIFICATION code " + code);
        return;
      }
      List<EvpnRoute> announced = new ArrayList<>();
      List<EvpnRoute> withdrawn = new ArrayList<>();
      List<String> before = new ArrayList<>();
      d.forEachRoute(
          (w, id, n) -> {
            EvpnRoute r = EvpnRoutes.decode(n);
            (w ? withdrawn : announced).add(r);
            before.add((w ? "-" : "+") + r);
          });
      PathAttributes attributes = d.attributes();
      if (attributes.nextHop() == null || outcome != UpdateOutcome.OK) {
        return;
      }
      SessionOptions big = options.withExtendedMessages(true).withAddPath(false);
      UpdateEncoder e = new UpdateEncoder(big);
      e.withdraw(withdrawn, again);
      e.announce(attributes, announced, again);
      UpdateDecoder d2 = new UpdateDecoder(big);
      List<String> after = new ArrayList<>();
      try (BgpMessageFramer f = new BgpMessageFramer(true, PooledByteBufAllocator.DEFAULT)) {
        assertNull(
            f.feed(
                again,
                (msg, type, offset) -> {
                  assertEquals(UpdateOutcome.OK, d2.decode(msg), () -> d2.errors().toString());
                  d2.forEachRoute((w, id, n) -> after.add((w ? "-" : "+") + EvpnRoutes.decode(n)));
                  if (d2.announcedCount() > 0) {
                    PathAttributes back = d2.attributes();
                    assertEquals(
                        attributes.toBuilder().clearOthers().build(),
                        back.toBuilder().clearOthers().build());
                    // RFC 4271 §5: unknown optional transitive attributes are passed on with the
                    // Partial bit, unknown
                    // non-transitive ones are not passed on
                    assertEquals(
                        attributes.others().stream()
                            .filter(RawAttribute::isPassedOn)
                            .map(
                                r ->
                                    r.type()
                                        + "/"
                                        + r.flagsOnWire()
                                        + "/"
                                        + java.util.Arrays.toString(r.value()))
                            .toList(),
                        back.others().stream()
                            .map(
                                r ->
                                    r.type()
                                        + "/"
                                        + r.flags()
                                        + "/"
                                        + java.util.Arrays.toString(r.value()))
                            .toList());
                  }
                }));
      }
      assertEquals(before, after);
    } finally {
      m.release();
      again.release();
    }
  }

  /**
   * Structure-aware: testkit's {@code FuzzInputs} turns the fuzzer's choices into generated,
   * mutated or spliced UPDATEs (for every session kind). Decoding never throws and every error lies
   * inside the message.
   */
  @FuzzTest(maxDuration = "10m")
  void structuredUpdate(com.code_intelligence.jazzer.api.FuzzedDataProvider data) {
    int bits = data.consumeInt(0, 7);
    SessionOptions options =
        new SessionOptions((bits & 1) != 0, (bits & 2) != 0, false, (bits & 4) != 0);
    byte[] bytes = io.evpnkit.testkit.FuzzInputs.evpnUpdate(data);
    ByteBuf m = BufferShape.COMPOSITE.wrap(bytes);
    try {
      m.readerIndex(BufferShape.OFFSET);
      UpdateDecoder d = new UpdateDecoder(options);
      UpdateOutcome outcome = d.decode(m);
      for (UpdateError e : d.errors()) {
        assertTrue(e.offset() >= 0 && e.offset() < Math.max(1, m.readableBytes()), e::toString);
      }
      if (outcome != UpdateOutcome.SESSION_RESET) {
        d.forEachRoute((w, id, n) -> EvpnRoutes.decode(n).key());
        d.attributes();
      } else {
        d.notification();
      }
    } finally {
      m.release();
    }
  }

  /**
   * A capture file through {@code evpnkit decode}'s BGP path: pcap reading, TCP stream reassembly,
   * framing and every message's decoding; every line it prints is JSON, and nothing but a capture
   * format error is thrown.
   */
  @FuzzTest(maxDuration = "10m")
  void bgpCapture(byte[] data) throws java.io.IOException {
    List<String> lines = new ArrayList<>();
    try (io.evpnkit.testkit.CaptureReader r =
            io.evpnkit.testkit.CaptureReader.open(new java.io.ByteArrayInputStream(data));
        io.evpnkit.examples.BgpDecoder d = new io.evpnkit.examples.BgpDecoder(true, lines::add)) {
      for (io.evpnkit.testkit.CapturedPacket p = r.next(); p != null; p = r.next()) {
        d.accept(p);
      }
    } catch (io.evpnkit.testkit.CaptureFormatException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= data.length, e.getMessage());
    }
    for (String line : lines) {
      assertEquals("bgp", MiniJson.object(line).get("type"), line);
    }
  }

  /**
   * An OPEN body: it reads, or fails with the NOTIFICATION to send and an offset inside; what reads
   * writes back the same.
   */
  @FuzzTest(maxDuration = "10m")
  void openMessage(byte[] data) {
    ByteBuf m = message(BgpOpen.TYPE, data, 0);
    ByteBuf again = PooledByteBufAllocator.DEFAULT.buffer();
    try {
      BgpOpen open = BgpOpen.read(m);
      open.write(again);
      assertEquals(open, BgpOpen.read(again));
    } catch (BgpProtocolException e) {
      assertTrue(e.offset() >= 0 && e.offset() < m.readableBytes(), e::getMessage);
      assertTrue(e.notification().code() == 1 || e.notification().code() == 2, e::getMessage);
    } finally {
      m.release();
      again.release();
    }
  }

  @FuzzTest(maxDuration = "10m")
  void textForms(byte[] data) {
    String text = new String(data, StandardCharsets.ISO_8859_1);
    for (boolean lenient : new boolean[] {false, true}) {
      try {
        EvpnRoute r = EvpnRoutes.parseJunos(text, lenient);
        assertEquals(r.toString(), EvpnRoutes.parseJunos(r.toString()).toString());
      } catch (MalformedException e) {
        assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
      }
    }
    try {
      EvpnRoutes.parseFrr(text, RouteDistinguisher.of(1));
    } catch (MalformedException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
    }
    try {
      AsPath p = AsPath.parse(text);
      assertEquals(p, AsPath.parse(p.toString()));
    } catch (MalformedException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
    }
    try {
      ExtendedCommunity c = ExtendedCommunity.parse(text);
      assertEquals(c, ExtendedCommunity.parse(c.toString()));
    } catch (MalformedException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
    }
    try {
      int c = Communities.parse(text);
      assertEquals(c, Communities.parse(Communities.format(c)));
    } catch (MalformedException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
    }
    try {
      LargeCommunity c = LargeCommunity.parse(text);
      assertEquals(c, LargeCommunity.parse(c.toString()));
    } catch (MalformedException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
    }
    for (String part : Arrays.asList(text.split("/", 2))) {
      try {
        RouteDistinguisher.parse(part);
      } catch (MalformedException e) {
        assertTrue(e.offset() >= 0 && e.offset() <= part.length(), e.getMessage());
      }
    }
  }
}
