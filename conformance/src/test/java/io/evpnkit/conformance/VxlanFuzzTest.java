package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.testkit.BufferShape;
import io.evpnkit.testkit.CaptureFormatException;
import io.evpnkit.testkit.CaptureReader;
import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.vxlan.ArpPacket;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.EthernetFrame;
import io.evpnkit.vxlan.FlowKey;
import io.evpnkit.vxlan.HeaderFormat;
import io.evpnkit.vxlan.NeighborDiscoveryMessage;
import io.evpnkit.vxlan.Validation;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.evpnkit.vxlan.VxlanFormatException;
import io.evpnkit.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/**
 * Jazzer fuzz targets for every VXLAN-side decoder. In a normal build they replay the committed
 * corpus in {@code src/test/resources/io/evpnkit/conformance/VxlanFuzzTestInputs/<target>/}
 * (regression mode); with {@code JAZZER_FUZZ=1} (or {@code -Pfuzz}) the one target selected with
 * {@code -Dtest=} fuzzes for ten minutes. The property for every target: any byte string decodes or
 * yields a typed error, and nothing points outside the input.
 */
class VxlanFuzzTest {
  private static final DecapsulatorConfig[] CONFIGS = {
    DecapsulatorConfig.defaults(),
    DecapsulatorConfig.builder()
        .groupBasedPolicy(true)
        .validation(Validation.LENIENT)
        .verifyUdpChecksum(true)
        .acceptIpv6ZeroChecksum(true)
        .vxlanPorts(4789, 8472)
        .build(),
  };

  @FuzzTest(maxDuration = "10m")
  void decapsulate(byte[] data) {
    for (DecapsulatorConfig config : CONFIGS) {
      for (BufferShape shape : new BufferShape[] {BufferShape.HEAP, BufferShape.COMPOSITE}) {
        ByteBuf buf = shape.wrap(data);
        try {
          VxlanDecapsulator d = new VxlanDecapsulator(config);
          check(d.decapsulate(buf), buf);
          check(d.decapsulateIp(buf), buf);
          check(d.decapsulatePayload(buf, 4789), buf);
          assertEquals(3, d.accepted() + d.dropped());
          assertEquals(BufferShape.OFFSET, buf.readerIndex());
        } finally {
          buf.release();
        }
      }
    }
  }

  private static void check(Decapsulation r, ByteBuf buf) {
    int length = buf.writerIndex() - buf.readerIndex();
    if (r.isOk()) {
      assertTrue(
          r.innerOffset() >= buf.readerIndex()
              && r.innerOffset() + r.innerLength() <= buf.writerIndex(),
          r::toString);
      ByteBuf inner = r.retainedInnerFrame();
      assertEquals(r.innerLength(), inner.readableBytes());
      inner.release();
      if (r.innerProtocol() == VxlanHeader.GPE_NEXT_ETHERNET) {
        assertTrue(new EthernetFrame().tryWrap(buf, r.innerOffset(), r.innerLength()));
      }
    } else {
      assertTrue(r.errorOffset() >= 0 && r.errorOffset() <= length, r::toString);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void headerView(byte[] data) {
    ByteBuf buf = BufferShape.COMPOSITE.wrap(data);
    try {
      VxlanHeader h = new VxlanHeader();
      for (int offset = BufferShape.OFFSET; offset < buf.writerIndex(); offset++) {
        try {
          h.wrap(buf, offset);
        } catch (VxlanFormatException e) {
          assertTrue(offset + VxlanHeader.LENGTH > buf.writerIndex());
          assertEquals(offset, e.offset());
          continue;
        }
        long raw = h.asLong();
        for (HeaderFormat f : HeaderFormat.values()) {
          assertEquals(0, h.reservedBitsSet(f) & ~raw);
        }
        assertEquals((int) (raw >>> 8) & 0xFFFFFF, h.vni());
        assertEquals((int) (raw >>> 32) & 0xFFFF, h.groupPolicyId());
      }
    } finally {
      buf.release();
    }
  }

  @FuzzTest(maxDuration = "10m")
  void innerViews(byte[] data) {
    ByteBuf buf = BufferShape.HEAP.wrap(data);
    try {
      int start = BufferShape.OFFSET;
      EthernetFrame eth = new EthernetFrame();
      new FlowKey().wrap(buf, start, data.length).hash();
      new FlowKey().wrapIp(buf, start, data.length).hash();
      if (eth.tryWrap(buf, start, data.length)) {
        assertTrue(eth.payloadOffset() <= start + data.length);
        try {
          assertNotNull(
              new ArpPacket().wrap(buf, eth.payloadOffset(), eth.payloadLength()).toString());
        } catch (VxlanFormatException expected) {
          assertTrue(expected.offset() >= eth.payloadOffset());
        }
        try {
          NeighborDiscoveryMessage nd =
              new NeighborDiscoveryMessage().wrap(buf, eth.payloadOffset(), eth.payloadLength());
          nd.isChecksumValid();
          assertNotNull(nd.toString());
        } catch (VxlanFormatException expected) {
          assertTrue(
              expected.offset() >= eth.payloadOffset() && expected.offset() <= start + data.length);
        }
      }
    } finally {
      buf.release();
    }
  }

  @FuzzTest(maxDuration = "10m")
  void captureReader(byte[] data) throws IOException {
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(data))) {
      int n = 0;
      for (CapturedPacket p = r.next(); p != null; p = r.next()) {
        assertTrue(p.capturedLength() <= data.length);
        assertEquals(++n, p.index());
      }
    } catch (CaptureFormatException e) {
      assertTrue(e.offset() >= 0 && e.offset() <= data.length, e.getMessage());
    }
  }
}
