package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.testkit.BufferShape;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Jazzer targets for evpn-codec's decoders and text parsers (corpus in {@code EvpnFuzzTestInputs/}).
 * Properties: a field of NLRI either walks cleanly or stops with a typed error inside the input; every
 * accepted NLRI decodes to a value that re-encodes to the same bytes and whose text parses back; text
 * parsers throw only {@link MalformedException}, with an offset inside the text.
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
          assertTrue(n.errorOffset() >= at && n.errorOffset() <= end, () -> n.error() + " at " + n.errorOffset());
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
          assertEquals(frr, EvpnRoutes.formatFrr(EvpnRoutes.parseFrr(frr,
              RouteDistinguisher.of(n.routeDistinguisherValue()))));
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
    try (BgpMessageFramer f = new BgpMessageFramer((data.length & 1) == 0, PooledByteBufAllocator.DEFAULT)) {
      BgpMessageFramer.HeaderError error = null;
      for (int[] part : new int[][] {{0, split}, {split, data.length}}) {
        ByteBuf segment = BufferShape.COMPOSITE.wrap(Arrays.copyOfRange(data, part[0], part[1]));
        try {
          error = f.feed(segment, (m, type, offset) -> {
            assertEquals(framed[0], offset);
            assertEquals(m.getUnsignedShort(m.readerIndex() + 16), m.readableBytes());
            framed[0] += m.readableBytes();
          });
        } finally {
          segment.release();
        }
        if (error != null) {
          assertTrue(error.streamOffset() >= f.consumed() && error.streamOffset() < data.length, error::toString);
          break;
        }
      }
      assertEquals(framed[0], f.consumed());
      if (error == null) {
        assertEquals(data.length, f.consumed() + f.pending());
      }
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
    for (String part : Arrays.asList(text.split("/", 2))) {
      try {
        RouteDistinguisher.parse(part);
      } catch (MalformedException e) {
        assertTrue(e.offset() >= 0 && e.offset() <= part.length(), e.getMessage());
      }
    }
  }
}
