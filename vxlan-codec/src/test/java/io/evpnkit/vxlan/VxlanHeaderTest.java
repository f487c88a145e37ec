package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VxlanHeaderTest {
  private static byte[] hex(String s) {
    byte[] b = new byte[s.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
    }
    return b;
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void readsRfc7348HeaderAtAnyOffset(Buffers kind) {
    ByteBuf buf = kind.wrap(hex("0800000000abcd00"), Buffers.OFFSET);
    try {
      VxlanHeader h = new VxlanHeader().wrap(buf, Buffers.OFFSET);
      assertEquals(0x08, h.flags());
      assertTrue(h.hasValidVni());
      assertEquals(0xABCD, h.vni());
      assertEquals(0, h.reservedBitsSet(HeaderFormat.VXLAN));
      assertEquals(Buffers.OFFSET, buf.readerIndex(), "reader index untouched");
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void setVniKeepsReservedBits(Buffers kind) {
    ByteBuf buf = kind.wrap(hex("01aabbcc000000ee"), Buffers.OFFSET);
    try {
      VxlanHeader h = new VxlanHeader().wrap(buf, Buffers.OFFSET);
      h.setVni(0xFFFFFF);
      assertEquals(0x09, h.flags(), "I flag set, reserved bit 0x01 kept");
      assertEquals(0xFFFFFF, h.vni());
      assertEquals(0x09aabbccffffffeeL, h.asLong());
      assertEquals(0x01aabbcc000000eeL, h.reservedBitsSet(HeaderFormat.VXLAN));
    } finally {
      buf.release();
    }
  }

  @Test
  void reservedBitsDependOnFormat() {
    ByteBuf buf = Buffers.HEAP.wrap(hex("8848123400006400"), 0);
    try {
      VxlanHeader h = new VxlanHeader().wrap(buf, 0);
      assertEquals(0x8048123400000000L, h.reservedBitsSet(HeaderFormat.VXLAN));
      assertEquals(0, h.reservedBitsSet(HeaderFormat.GBP));
      assertTrue(h.hasGroupPolicy());
      assertTrue(h.dontLearn());
      assertTrue(h.policyApplied());
      assertEquals(0x1234, h.groupPolicyId());
      assertEquals(100, h.vni());
    } finally {
      buf.release();
    }
  }

  @Test
  void readsGpeFields() {
    ByteBuf buf = Buffers.HEAP.wrap(hex("2f00000200000700"), 0);
    try {
      VxlanHeader h = new VxlanHeader().wrap(buf, 0);
      assertEquals(2, h.gpeVersion());
      assertTrue(h.hasNextProtocol());
      assertTrue(h.isBum());
      assertTrue(h.isOam());
      assertEquals(VxlanHeader.GPE_NEXT_IPV6, h.payloadProtocol());
      assertEquals(0, h.reservedBitsSet(HeaderFormat.GPE));
      h.setFlags(0x08);
      assertEquals(VxlanHeader.GPE_NEXT_ETHERNET, h.payloadProtocol(), "P clear means Ethernet");
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void writersProduceWhatReadersRead(Buffers kind) {
    ByteBuf buf = kind.allocate(Buffers.OFFSET + 24);
    try {
      buf.writerIndex(Buffers.OFFSET + 24);
      VxlanHeader.writeVxlan(buf, Buffers.OFFSET, 42);
      VxlanHeader.writeGbp(buf, Buffers.OFFSET + 8, 7, 0xBEEF, true, false);
      VxlanHeader.writeGpe(buf, Buffers.OFFSET + 16, 9, VxlanHeader.GPE_NEXT_IPV4, true, false);
      VxlanHeader h = new VxlanHeader();
      assertEquals(0x080000000000_2a00L, h.wrap(buf, Buffers.OFFSET).asLong());
      assertEquals(0x8840beef00000700L, h.wrap(buf, Buffers.OFFSET + 8).asLong());
      assertEquals(0x0e00000100000900L, h.wrap(buf, Buffers.OFFSET + 16).asLong());
    } finally {
      buf.release();
    }
  }

  @Test
  void wrapRejectsShortInputWithOffset() {
    ByteBuf buf = Buffers.HEAP.wrap(hex("08000000000001"), 0);
    try {
      VxlanFormatException e =
          assertThrows(VxlanFormatException.class, () -> new VxlanHeader().wrap(buf, 0));
      assertEquals(0, e.offset());
      assertTrue(String.valueOf(e.getMessage()).contains("7 present"), e.getMessage());
      assertThrows(VxlanFormatException.class, () -> new VxlanHeader().wrap(buf, -1));
    } finally {
      buf.release();
    }
  }

  @Test
  void rejectsOutOfRangeValues() {
    ByteBuf buf = Buffers.HEAP.allocate(8).writerIndex(8);
    try {
      assertThrows(IllegalArgumentException.class, () -> VxlanHeader.writeVxlan(buf, 0, 1 << 24));
      assertThrows(IllegalArgumentException.class, () -> VxlanHeader.writeVxlan(buf, 0, -1));
      VxlanHeader h = new VxlanHeader().wrap(buf, 0);
      assertThrows(IllegalArgumentException.class, () -> h.setGroupPolicyId(0x10000));
      assertThrows(IllegalArgumentException.class, () -> h.setNextProtocol(256));
      assertFalse(h.hasValidVni());
    } finally {
      buf.release();
    }
  }
}
