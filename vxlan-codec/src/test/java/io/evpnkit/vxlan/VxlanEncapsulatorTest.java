package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class VxlanEncapsulatorTest {
  static VxlanTunnel.Builder v4() {
    return VxlanTunnel.builder()
        .sourceMac("02:00:00:00:0a:01")
        .destinationMac("02:00:00:00:0b:01")
        .source("192.0.2.1")
        .destination("192.0.2.2");
  }

  static VxlanTunnel.Builder v6() {
    return VxlanTunnel.builder()
        .sourceMac("02:00:00:00:0a:01")
        .destinationMac("02:00:00:00:0b:01")
        .source("2001:db8::1")
        .destination("2001:db8::2");
  }

  static Stream<Arguments> shapes() {
    List<Arguments> all = new ArrayList<>();
    for (Buffers kind : Buffers.values()) {
      all.add(Arguments.of(kind, "IPv4", v4().build()));
      all.add(Arguments.of(kind, "IPv4 VLAN 7", v4().vlan(7, 5).build()));
      all.add(Arguments.of(kind, "IPv6", v6().build()));
      all.add(Arguments.of(kind, "IPv6 VLAN 4095", v6().vlan(4095, 0).build()));
      all.add(Arguments.of(kind, "GBP", v4().groupPolicy(0xBEEF, true, false).build()));
      all.add(Arguments.of(kind, "GPE", v6().gpe(VxlanHeader.GPE_NEXT_ETHERNET).build()));
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("shapes")
  void encapsulatedFramesDecapsulateToTheSameInnerFrame(
      Buffers kind, String name, VxlanTunnel tunnel) {
    VxlanEncapsulator encap = new VxlanEncapsulator();
    VxlanDecapsulator decap =
        new VxlanDecapsulator(
            DecapsulatorConfig.builder()
                .groupBasedPolicy(name.equals("GBP"))
                .verifyUdpChecksum(true)
                .build());
    for (int length : new int[] {60, 64, 1500, 9000}) {
      byte[] inner = Frames.ipv4Udp(length, 0, 1000 + length);
      ByteBuf buf = Frames.withHeadroom(kind, inner, tunnel.headerLength() + Buffers.OFFSET);
      try {
        assertTrue(encap.encapsulate(buf, tunnel, 0xABCDE));
        assertEquals(Buffers.OFFSET, buf.readerIndex());
        assertEquals(tunnel.headerLength() + length, buf.readableBytes());
        Decapsulation d = decap.decapsulate(buf);
        assertTrue(d.isOk(), () -> d + " " + ByteBufUtil.hexDump(buf));
        assertEquals(0xABCDE, d.vni());
        assertEquals(tunnel.isIpv6() ? 6 : 4, d.ipVersion());
        assertEquals(64, d.hopLimit());
        assertEquals(length, d.innerLength());
        assertEquals(Buffers.OFFSET + tunnel.headerLength(), d.innerOffset());
        byte[] out = new byte[length];
        buf.getBytes(d.innerOffset(), out);
        assertEquals(ByteBufUtil.hexDump(inner), ByteBufUtil.hexDump(out));
        assertTrue(
            d.sourcePort() >= 49152 && d.sourcePort() <= 65535, "source port " + d.sourcePort());
        assertEquals(tunnel.toString().contains("GPE") ? 4790 : 4789, d.destinationPort());
        assertEquals(
            tunnel.isIpv6() ? "2001:db8::1" : "192.0.2.1",
            d.appendSource(new StringBuilder()).toString());
        assertEquals(0x0200_0000_0a01L, d.outerSourceMac());
        if (name.equals("GBP")) {
          assertEquals(0xBEEF, d.header().groupPolicyId());
          assertTrue(d.header().dontLearn());
        }
        if (name.contains("VLAN")) {
          assertEquals(1, d.outerVlanCount());
          assertEquals(name.endsWith("4095") ? 4095 : 7, d.outerVlanId(0));
        }
      } finally {
        buf.release();
      }
    }
    assertEquals(4, encap.packets());
  }

  @Test
  void ipv4UdpChecksumIsZeroAndHeaderChecksumIsValid() {
    ByteBuf buf = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(100, 0, 1), 64);
    try {
      VxlanTunnel t = v4().build();
      new VxlanEncapsulator().encapsulate(buf, t, 1);
      int ip = buf.readerIndex() + 14;
      assertEquals(0, InternetChecksum.compute(buf, ip, 20));
      assertEquals(
          0, buf.getUnsignedShort(ip + 20 + 6), "RFC 7348 §5: UDP checksum SHOULD be zero");
      assertEquals(0x4000, buf.getUnsignedShort(ip + 6), "DF set");
      assertEquals(0, buf.getUnsignedShort(ip + 4), "ID 0 for atomic datagrams (RFC 6864)");
    } finally {
      buf.release();
    }
  }

  @Test
  void withoutDontFragmentIdentificationsDiffer() {
    VxlanTunnel t = v4().dontFragment(false).build();
    VxlanEncapsulator e = new VxlanEncapsulator();
    int[] ids = new int[2];
    for (int i = 0; i < 2; i++) {
      ByteBuf buf = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(100, 0, 1), 64);
      try {
        e.encapsulate(buf, t, 1);
        ids[i] = buf.getUnsignedShort(buf.readerIndex() + 14 + 4);
        assertEquals(0, InternetChecksum.compute(buf, buf.readerIndex() + 14, 20));
      } finally {
        buf.release();
      }
    }
    assertNotEquals(ids[0], ids[1]);
  }

  @Test
  void sourcePortFollowsTheInnerFlow() {
    VxlanTunnel t = v4().build();
    VxlanEncapsulator e = new VxlanEncapsulator();
    VxlanDecapsulator d = new VxlanDecapsulator();
    java.util.Set<Integer> ports = new java.util.HashSet<>();
    for (int flow = 0; flow < 64; flow++) {
      int first = -1;
      for (int repeat = 0; repeat < 2; repeat++) {
        ByteBuf buf = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(80, 0, 2000 + flow), 64);
        try {
          e.encapsulate(buf, t, 5);
          int port = d.decapsulate(buf).sourcePort();
          if (first < 0) {
            first = port;
          }
          assertEquals(first, port, "same flow, same port");
        } finally {
          buf.release();
        }
      }
      ports.add(first);
    }
    assertTrue(ports.size() > 48, "64 flows spread over " + ports.size() + " ports");
  }

  @Test
  void dscpInheritedAndEcnCopiedInNormalMode() {
    VxlanTunnel inherit = v4().inheritDscp().build();
    VxlanTunnel compat = v6().dscp(10).ecnMode(EcnMode.COMPATIBILITY).build();
    int tos = (46 << 2) | 2; // EF, ECT(0)
    ByteBuf a = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(80, tos, 9), 80);
    ByteBuf b = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(80, tos, 9), 80);
    try {
      VxlanEncapsulator e = new VxlanEncapsulator();
      VxlanDecapsulator d = new VxlanDecapsulator();
      e.encapsulate(a, inherit, 1);
      assertEquals(tos, d.decapsulate(a).trafficClass());
      e.encapsulate(b, compat, 1);
      assertEquals(10 << 2, d.decapsulate(b).trafficClass());
    } finally {
      a.release();
      b.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void missingHeadroomLeavesTheFrameUntouchedAndTheCopyFallbackWorks(Buffers kind) {
    VxlanTunnel t = v6().build();
    byte[] inner = Frames.ipv4Udp(120, 0, 1);
    ByteBuf buf = Frames.withHeadroom(kind, inner, t.headerLength() - 1);
    ByteBuf out = Unpooled.directBuffer(16);
    try {
      VxlanEncapsulator e = new VxlanEncapsulator();
      String before = ByteBufUtil.hexDump(buf, 0, buf.writerIndex());
      assertFalse(e.encapsulate(buf, t, 3));
      assertEquals(before, ByteBufUtil.hexDump(buf, 0, buf.writerIndex()));
      assertEquals(1, e.headroomFailures());
      out.writeByte(0xEE);
      e.encapsulateTo(buf, t, 3, out);
      out.readerIndex(1);
      Decapsulation d =
          new VxlanDecapsulator(DecapsulatorConfig.builder().verifyUdpChecksum(true).build())
              .decapsulate(out);
      assertTrue(d.isOk(), d::toString);
      assertEquals(3, d.vni());
      assertEquals(120, d.innerLength());
      assertEquals(t.headerLength() - 1, buf.readerIndex(), "source frame indexes unchanged");
    } finally {
      buf.release();
      out.release();
    }
  }

  @Test
  void ipv6ZeroChecksumNeedsTheReceiversConsent() {
    VxlanTunnel t = v6().ipv6ZeroChecksum(true).build();
    ByteBuf buf = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(80, 0, 1), 80);
    try {
      new VxlanEncapsulator().encapsulate(buf, t, 1);
      assertEquals(
          DropReason.ZERO_UDP_CHECKSUM, new VxlanDecapsulator().decapsulate(buf).dropReason());
      assertTrue(
          new VxlanDecapsulator(DecapsulatorConfig.builder().acceptIpv6ZeroChecksum(true).build())
              .decapsulate(buf)
              .isOk());
    } finally {
      buf.release();
    }
  }
}
