package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VxlanDecapsulatorTest {
  private static final VxlanTunnel V4 = VxlanEncapsulatorTest.v4().build();
  private static final VxlanTunnel V6 = VxlanEncapsulatorTest.v6().build();

  /**
   * Encapsulates a 100-byte inner frame, applies {@code edit} to the packet, returns it (caller
   * releases).
   */
  private static ByteBuf packet(Buffers kind, VxlanTunnel tunnel, Consumer<ByteBuf> edit) {
    ByteBuf buf =
        Frames.withHeadroom(
            kind, Frames.ipv4Udp(100, 0, 7), tunnel.headerLength() + Buffers.OFFSET);
    new VxlanEncapsulator().encapsulate(buf, tunnel, 77);
    edit.accept(buf);
    return buf;
  }

  private static void assertDrop(
      DropReason reason, int offset, VxlanTunnel tunnel, Consumer<ByteBuf> edit) {
    assertDrop(DecapsulatorConfig.defaults(), reason, offset, tunnel, edit);
  }

  private static void assertDrop(
      DecapsulatorConfig config,
      DropReason reason,
      int offset,
      VxlanTunnel tunnel,
      Consumer<ByteBuf> edit) {
    for (Buffers kind : Buffers.values()) {
      ByteBuf buf = packet(kind, tunnel, edit);
      try {
        VxlanDecapsulator d = new VxlanDecapsulator(config);
        Decapsulation r = d.decapsulate(buf);
        assertEquals(reason, r.dropReason(), () -> kind + " " + r);
        assertEquals(offset, r.errorOffset(), () -> kind + " offset");
        assertEquals(1, d.dropped(reason));
        assertEquals(0, d.accepted());
        assertThrows(IllegalStateException.class, r::retainedInnerFrame);
      } finally {
        buf.release();
      }
    }
  }

  private static int ip(ByteBuf b) {
    return b.readerIndex() + 14;
  }

  private static void fixIpv4Checksum(ByteBuf b) {
    b.setShort(ip(b) + 10, 0);
    b.setShort(ip(b) + 10, InternetChecksum.compute(b, ip(b), 20));
  }

  @Test
  void dropsWhatIsNotIp() {
    assertDrop(DropReason.NOT_IP, 12, V4, b -> b.setShort(b.readerIndex() + 12, 0x0806));
  }

  @Test
  void dropsThreeStackedTags() {
    for (Buffers kind : Buffers.values()) {
      ByteBuf b =
          kind.wrap(
              new byte[] {
                0,
                0,
                0,
                0,
                0,
                1,
                0,
                0,
                0,
                0,
                0,
                2,
                (byte) 0x88,
                (byte) 0xa8,
                0,
                1,
                (byte) 0x81,
                0,
                0,
                2,
                (byte) 0x81,
                0,
                0,
                3,
                8,
                0
              },
              Buffers.OFFSET);
      try {
        Decapsulation r = new VxlanDecapsulator().decapsulate(b);
        assertEquals(DropReason.TOO_MANY_VLAN_TAGS, r.dropReason());
        assertEquals(20, r.errorOffset());
        assertEquals(2, r.outerVlanCount());
      } finally {
        b.release();
      }
    }
  }

  @Test
  void dropsWrongIpVersionAndHeaderLength() {
    assertDrop(DropReason.BAD_IP_VERSION, 14, V4, b -> b.setByte(ip(b), 0x65));
    assertDrop(DropReason.BAD_IPV4_HEADER_LENGTH, 14, V4, b -> b.setByte(ip(b), 0x44));
    assertDrop(DropReason.BAD_IP_VERSION, 14, V6, b -> b.setByte(ip(b), 0x45));
  }

  @Test
  void dropsLyingIpLengths() {
    assertDrop(
        DropReason.BAD_IP_LENGTH,
        16,
        V4,
        b -> {
          b.setShort(ip(b) + 2, b.readableBytes() - 14 + 1);
          fixIpv4Checksum(b);
        });
    assertDrop(DropReason.BAD_IP_LENGTH, 18, V6, b -> b.setShort(ip(b) + 4, 65535));
  }

  @Test
  void dropsBadIpv4ChecksumUnlessNotVerified() {
    assertDrop(
        DropReason.BAD_IPV4_CHECKSUM,
        24,
        V4,
        b -> b.setShort(ip(b) + 10, b.getUnsignedShort(ip(b) + 10) ^ 1));
    ByteBuf b = packet(Buffers.HEAP, V4, p -> p.setShort(ip(p) + 10, 0x1234));
    try {
      assertTrue(
          new VxlanDecapsulator(DecapsulatorConfig.builder().verifyIpv4Checksum(false).build())
              .decapsulate(b)
              .isOk());
    } finally {
      b.release();
    }
  }

  @Test
  void dropsFragments() {
    assertDrop(
        DropReason.FRAGMENT,
        20,
        V4,
        b -> {
          b.setShort(ip(b) + 6, 0x2000);
          fixIpv4Checksum(b);
        });
    assertDrop(
        DropReason.FRAGMENT,
        20,
        V4,
        b -> {
          b.setShort(ip(b) + 6, 0x0001);
          fixIpv4Checksum(b);
        });
  }

  @Test
  void dropsOtherProtocolsAndPorts() {
    assertDrop(
        DropReason.NOT_UDP,
        23,
        V4,
        b -> {
          b.setByte(ip(b) + 9, 6);
          fixIpv4Checksum(b);
        });
    assertDrop(DropReason.NOT_UDP, 20, V6, b -> b.setByte(ip(b) + 6, 6));
    assertDrop(DropReason.NOT_VXLAN_PORT, 36, V4, b -> b.setShort(ip(b) + 22, 4788));
  }

  @Test
  void dropsLyingUdpLengthAndBadChecksum() {
    assertDrop(DropReason.BAD_UDP_LENGTH, 38, V4, b -> b.setShort(ip(b) + 24, 7));
    assertDrop(DropReason.BAD_UDP_LENGTH, 58, V6, b -> b.setShort(ip(b) + 44, 1000));
    DecapsulatorConfig verify = DecapsulatorConfig.builder().verifyUdpChecksum(true).build();
    assertDrop(
        verify,
        DropReason.BAD_UDP_CHECKSUM,
        60,
        V6,
        b -> b.setByte(b.writerIndex() - 1, b.getByte(b.writerIndex() - 1) ^ 0x10));
  }

  @Test
  void strictValidationDropsAndLenientWarns() {
    Consumer<ByteBuf> clearI = b -> b.setByte(ip(b) + 28, 0);
    Consumer<ByteBuf> reserved = b -> b.setByte(ip(b) + 28 + 7, 0x5A);
    assertDrop(DropReason.I_FLAG_CLEAR, 42, V4, clearI);
    assertDrop(DropReason.RESERVED_BITS_SET, 49, V4, reserved);
    VxlanDecapsulator lenient =
        new VxlanDecapsulator(DecapsulatorConfig.builder().validation(Validation.LENIENT).build());
    for (Consumer<ByteBuf> edit : java.util.List.of(clearI, reserved)) {
      ByteBuf b = packet(Buffers.COMPOSITE, V4, edit);
      try {
        Decapsulation r = lenient.decapsulate(b);
        assertTrue(r.isOk());
        assertTrue(r.hasWarnings());
        assertEquals(edit == clearI, r.hasWarning(DropReason.I_FLAG_CLEAR));
        assertEquals(edit == reserved, r.hasWarning(DropReason.RESERVED_BITS_SET));
        assertEquals(77, r.vni());
      } finally {
        b.release();
      }
    }
    assertEquals(2, lenient.accepted());
  }

  @Test
  void gbpBitsAreReservedUnlessGbpIsConfigured() {
    VxlanTunnel gbp = VxlanEncapsulatorTest.v4().groupPolicy(10, false, false).build();
    assertDrop(DropReason.RESERVED_BITS_SET, 42, gbp, b -> {});
  }

  @Test
  void gpeVersionMustBeZero() {
    VxlanTunnel gpe = VxlanEncapsulatorTest.v4().gpe(VxlanHeader.GPE_NEXT_ETHERNET).build();
    assertDrop(DropReason.UNSUPPORTED_GPE_VERSION, 42, gpe, b -> b.setByte(ip(b) + 28, 0x1C));
  }

  @Test
  void dropsInnerFramesShorterThanAnEthernetHeader() {
    for (Buffers kind : Buffers.values()) {
      ByteBuf b = Frames.withHeadroom(kind, new byte[13], V4.headerLength());
      try {
        new VxlanEncapsulator().encapsulate(b, V4, 1);
        Decapsulation r = new VxlanDecapsulator().decapsulate(b);
        assertEquals(DropReason.TRUNCATED_INNER_FRAME, r.dropReason());
        assertEquals(50, r.errorOffset());
      } finally {
        b.release();
      }
    }
  }

  @Test
  void dropsInnerFramesWhoseVlanTagIsCutShort() {
    // found by Jazzer (conformance
    // VxlanFuzzTestInputs/decapsulate/regression-inner-vlan-tag-cut-short)
    byte[] inner = new byte[16];
    inner[12] = (byte) 0x81;
    for (Buffers kind : Buffers.values()) {
      ByteBuf b = Frames.withHeadroom(kind, inner, V4.headerLength());
      try {
        new VxlanEncapsulator().encapsulate(b, V4, 1);
        Decapsulation r = new VxlanDecapsulator().decapsulate(b);
        assertEquals(DropReason.TRUNCATED_INNER_FRAME, r.dropReason());
        assertEquals(62, r.errorOffset());
      } finally {
        b.release();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void everyTruncationIsATypedDrop(Buffers kind) {
    for (VxlanTunnel t : new VxlanTunnel[] {V4, V6}) {
      ByteBuf full = packet(Buffers.HEAP, t, b -> {});
      try {
        for (int n = 0; n < full.readableBytes(); n++) {
          byte[] prefix = new byte[n];
          full.getBytes(full.readerIndex(), prefix);
          ByteBuf b = kind.wrap(prefix, Buffers.OFFSET);
          try {
            Decapsulation r = new VxlanDecapsulator().decapsulate(b);
            assertFalse(r.isOk(), "prefix of " + n + " accepted");
            assertTrue(r.errorOffset() >= 0 && r.errorOffset() <= n, r::toString);
          } finally {
            b.release();
          }
        }
      } finally {
        full.release();
      }
    }
  }

  @Test
  void ecnCeOnNotEctIsDroppedAndOnEctMarksTheInnerPacket() {
    // outer CE over inner Not-ECT: RFC 6040 §4.2 drop
    assertDrop(
        DropReason.ECN_CE_ON_NOT_ECT,
        15,
        V4,
        b -> {
          b.setByte(ip(b) + 1, 3);
          fixIpv4Checksum(b);
        });
    // outer CE over inner ECT(0): the inner becomes CE and its checksum stays right
    ByteBuf b =
        Frames.withHeadroom(Buffers.COMPOSITE, Frames.ipv4Udp(100, 2, 7), V4.headerLength());
    try {
      new VxlanEncapsulator().encapsulate(b, V4, 1);
      b.setByte(ip(b) + 1, 3);
      fixIpv4Checksum(b);
      Decapsulation r = new VxlanDecapsulator().decapsulate(b);
      assertTrue(r.isOk(), r::toString);
      int innerIp = r.innerOffset() + 14;
      assertEquals(3, b.getUnsignedByte(innerIp + 1) & 3);
      assertEquals(0, InternetChecksum.compute(b, innerIp, 20));
    } finally {
      b.release();
    }
  }

  @Test
  void rfc6040_4_2_anEcnChangeInAReadOnlyBufferIsATypedDropNotAnException() {
    ByteBuf b = Frames.withHeadroom(Buffers.HEAP, Frames.ipv4Udp(100, 2, 7), V4.headerLength());
    try {
      new VxlanEncapsulator().encapsulate(b, V4, 1);
      b.setByte(ip(b) + 1, 3); // outer CE over inner ECT(0): the inner header must become CE
      fixIpv4Checksum(b);
      ByteBuf readOnly = b.asReadOnly();
      int before = b.getUnsignedByte(b.readerIndex() + 50 + 14 + 1);
      VxlanDecapsulator decap = new VxlanDecapsulator();
      Decapsulation r = decap.decapsulate(readOnly);
      assertFalse(r.isOk());
      assertEquals(DropReason.ECN_ON_READ_ONLY_BUFFER, r.dropReason());
      assertEquals(50 + 14 + 1, r.errorOffset(), "the inner header's ECN field");
      assertEquals(before, b.getUnsignedByte(b.readerIndex() + 50 + 14 + 1), "nothing written");
      assertEquals(1, decap.dropped(DropReason.ECN_ON_READ_ONLY_BUFFER));
      // without ECN application the same buffer is accepted
      Decapsulation plain =
          new VxlanDecapsulator(DecapsulatorConfig.builder().applyEcn(false).build())
              .decapsulate(readOnly);
      assertTrue(plain.isOk(), plain::toString);
    } finally {
      b.release();
    }
  }

  @Test
  void aSecondThreadIsRefusedWithAssertionsOn() throws Exception {
    VxlanDecapsulator decap = new VxlanDecapsulator();
    ByteBuf b = packet(Buffers.HEAP, V4, p -> {});
    try {
      assertTrue(decap.decapsulate(b).isOk());
      java.util.concurrent.atomic.AtomicReference<Throwable> seen =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread other =
          new Thread(
              () -> {
                try {
                  decap.decapsulate(b);
                } catch (Throwable t) {
                  seen.set(t);
                }
              });
      other.start();
      other.join();
      assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
      assertTrue(decap.decapsulate(b).isOk(), "its own thread goes on");
    } finally {
      b.release();
    }
  }

  @Test
  void skipsIpv4Options() {
    // IPv4 with 8 bytes of options: rebuild the outer header by hand
    ByteBuf b = packet(Buffers.HEAP, V4, p -> {});
    ByteBuf withOptions = Buffers.DIRECT.allocate(b.readableBytes() + 8);
    try {
      withOptions.writeBytes(b, b.readerIndex(), 34);
      withOptions.writeLong(0x0101010101010100L);
      withOptions.writeBytes(b, b.readerIndex() + 34, b.readableBytes() - 34);
      withOptions.setByte(14, 0x47);
      withOptions.setShort(16, withOptions.getUnsignedShort(16) + 8);
      withOptions.setShort(24, 0);
      withOptions.setShort(24, InternetChecksum.compute(withOptions, 14, 28));
      Decapsulation r = new VxlanDecapsulator().decapsulate(withOptions);
      assertTrue(r.isOk(), r::toString);
      assertEquals(77, r.vni());
      assertEquals(50 + 8, r.innerOffset());
    } finally {
      b.release();
      withOptions.release();
    }
  }

  @Test
  void retainedInnerFrameOutlivesThePacketReference() {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(256);
    buf.writerIndex(V6.headerLength());
    buf.readerIndex(V6.headerLength());
    buf.writeBytes(Frames.ipv4Udp(100, 0, 1));
    new VxlanEncapsulator().encapsulate(buf, V6, 9);
    Decapsulation r = new VxlanDecapsulator().decapsulate(buf);
    ByteBuf inner = r.retainedInnerFrame();
    assertEquals(2, buf.refCnt());
    buf.release();
    assertEquals(100, inner.readableBytes());
    assertEquals(Frames.HOST_B, EthernetFrame.readMac(inner, inner.readerIndex()));
    assertTrue(inner.release());
    assertEquals(0, buf.refCnt());
  }

  @Test
  void payloadAndIpEntryPoints() {
    ByteBuf b = packet(Buffers.HEAP, V6, p -> {});
    try {
      VxlanDecapsulator d = new VxlanDecapsulator();
      ByteBuf ipOnly = b.slice(b.readerIndex() + 14, b.readableBytes() - 14);
      Decapsulation r = d.decapsulateIp(ipOnly);
      assertTrue(r.isOk(), r::toString);
      assertFalse(r.hasOuterEthernet());
      assertEquals(77, r.vni());
      ByteBuf payload = b.slice(b.readerIndex() + 62, b.readableBytes() - 62);
      r = d.decapsulatePayload(payload, 4789);
      assertTrue(r.isOk());
      assertNull(r.dropReason());
      assertEquals(100, r.innerLength());
      assertEquals(DropReason.NOT_VXLAN_PORT, d.decapsulatePayload(payload, 80).dropReason());
      assertEquals(2, d.accepted());
      assertEquals(1, d.dropped());
    } finally {
      b.release();
    }
  }
}
