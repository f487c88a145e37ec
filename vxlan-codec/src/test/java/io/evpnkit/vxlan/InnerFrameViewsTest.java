package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InnerFrameViewsTest {
  private static byte[] arpRequest(boolean tagged) {
    ByteBuf b = Unpooled.buffer();
    EthernetFrame.writeMac(b, 0, 0xFFFF_FFFF_FFFFL);
    EthernetFrame.writeMac(b, 6, Frames.HOST_A);
    b.writerIndex(12);
    if (tagged) {
      b.writeShort(EthernetFrame.TPID_8021AD).writeShort((5 << 13) | 100);
      b.writeShort(EthernetFrame.TPID_8021Q).writeShort(200);
    }
    b.writeShort(EthernetFrame.ETHERTYPE_ARP);
    int arp = b.writerIndex();
    b.writerIndex(arp + ArpPacket.LENGTH);
    ArpPacket.write(b, arp, ArpPacket.REQUEST, Frames.HOST_A, 0x0A00_0001, 0, 0x0A00_0002);
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    return out;
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void readsTaggedEthernetAndArp(Buffers kind) {
    byte[] frame = arpRequest(true);
    ByteBuf b = kind.wrap(frame, Buffers.OFFSET);
    try {
      EthernetFrame eth = new EthernetFrame().wrap(b, Buffers.OFFSET, frame.length);
      assertTrue(eth.isBroadcast());
      assertTrue(eth.isMulticast());
      assertEquals(Frames.HOST_A, eth.source());
      assertEquals(2, eth.tagCount());
      assertEquals(EthernetFrame.TPID_8021AD, eth.tagProtocol(0));
      assertEquals(100, eth.vlanId(0));
      assertEquals(5, eth.priority(0));
      assertEquals(200, eth.vlanId(1));
      assertEquals(EthernetFrame.ETHERTYPE_ARP, eth.etherType());
      assertEquals(ArpPacket.LENGTH, eth.payloadLength());
      ArpPacket arp = new ArpPacket().wrap(b, eth.payloadOffset(), eth.payloadLength());
      assertEquals(ArpPacket.REQUEST, arp.operation());
      assertEquals(Frames.HOST_A, arp.senderMac());
      assertEquals(0x0A00_0001, arp.senderIp());
      assertEquals(0x0A00_0002, arp.targetIp());
      assertFalse(arp.isGratuitous());
      assertEquals("ARP who-has 10.0.0.2 tell 10.0.0.1", arp.toString());
    } finally {
      b.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void rejectsCutShortFramesAndForeignArp(Buffers kind) {
    byte[] frame = arpRequest(true);
    ByteBuf b = kind.wrap(frame, 0);
    try {
      assertFalse(new EthernetFrame().tryWrap(b, 0, 17), "second tag cut short");
      assertThrows(VxlanFormatException.class, () -> new EthernetFrame().wrap(b, 0, 13));
      assertThrows(VxlanFormatException.class, () -> new ArpPacket().wrap(b, 22, 27));
      b.setByte(22 + 5, 16); // protocol address length 16
      VxlanFormatException e =
          assertThrows(VxlanFormatException.class, () -> new ArpPacket().wrap(b, 22, 28));
      assertEquals(22, e.offset());
    } finally {
      b.release();
    }
  }

  /** Builds IPv6 + NS or NA with a link-layer option and a correct ICMPv6 checksum. */
  private static ByteBuf neighborMessage(int type, boolean option) {
    ByteBuf b = Unpooled.buffer();
    int length = 24 + (option ? 8 : 0);
    b.writeInt(6 << 28).writeShort(length).writeByte(58).writeByte(255);
    b.writeLong(0xFD00_0000_0000_0000L).writeLong(1);
    b.writeLong(0xFF02_0000_0000_0000L).writeLong(0x1_FF00_0002L);
    b.writeByte(type).writeByte(0).writeShort(0).writeInt(type == 136 ? 0x6000_0000 : 0);
    b.writeLong(0xFD00_0000_0000_0000L).writeLong(2);
    if (option) {
      b.writeByte(type == 135 ? 1 : 2)
          .writeByte(1)
          .writeShort((int) (Frames.HOST_B >>> 32))
          .writeInt((int) Frames.HOST_B);
    }
    long sum = InternetChecksum.sum(b, 8, 32, 0);
    sum = InternetChecksum.add(sum, length + 58);
    sum = InternetChecksum.sum(b, 40, length, sum);
    b.setShort(42, InternetChecksum.finish(sum));
    return b;
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void readsNeighborSolicitationAndAdvertisement(Buffers kind) {
    for (int type : new int[] {135, 136}) {
      ByteBuf src = neighborMessage(type, true);
      byte[] bytes = new byte[src.readableBytes()];
      src.readBytes(bytes);
      src.release();
      ByteBuf b = kind.wrap(bytes, Buffers.OFFSET);
      try {
        NeighborDiscoveryMessage nd =
            new NeighborDiscoveryMessage().wrap(b, Buffers.OFFSET, bytes.length);
        assertEquals(type == 135, nd.isSolicitation());
        assertEquals(255, nd.hopLimit());
        assertEquals(0xFD00_0000_0000_0000L, nd.targetHigh());
        assertEquals(2, nd.targetLow());
        assertTrue(nd.hasLinkLayerAddress());
        assertEquals(Frames.HOST_B, nd.linkLayerAddress());
        assertEquals(type == 136, nd.isSolicited());
        assertEquals(type == 136, nd.isOverride());
        assertFalse(nd.isRouter());
        assertTrue(nd.isChecksumValid());
        b.setByte(Buffers.OFFSET + 50, 0x77);
        assertFalse(nd.isChecksumValid());
      } finally {
        b.release();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void rejectsZeroLengthNdOption(Buffers kind) {
    ByteBuf src = neighborMessage(135, true);
    src.setByte(40 + 24 + 1, 0);
    byte[] bytes = new byte[src.readableBytes()];
    src.readBytes(bytes);
    src.release();
    ByteBuf b = kind.wrap(bytes, 0);
    try {
      VxlanFormatException e =
          assertThrows(
              VxlanFormatException.class,
              () -> new NeighborDiscoveryMessage().wrap(b, 0, bytes.length));
      assertEquals(65, e.offset());
      NeighborDiscoveryMessage plain = new NeighborDiscoveryMessage();
      ByteBuf without = neighborMessage(136, false);
      assertFalse(plain.wrap(without, 0, without.readableBytes()).hasLinkLayerAddress());
      assertThrows(IllegalStateException.class, plain::linkLayerAddress);
      without.release();
    } finally {
      b.release();
    }
  }

  @ParameterizedTest
  @EnumSource(Buffers.class)
  void flowKeyReadsTheFiveTupleAndHashesStably(Buffers kind) {
    byte[] frame = Frames.ipv4Udp(80, 0xB8, 5353);
    ByteBuf b = kind.wrap(frame, Buffers.OFFSET);
    try {
      FlowKey k = new FlowKey().wrap(b, Buffers.OFFSET, frame.length);
      assertEquals(4, k.ipVersion());
      assertEquals(17, k.protocol());
      assertEquals(0x0A00_0001, k.sourceIpv4());
      assertEquals(0x0A00_0002, k.destinationIpv4());
      assertEquals(5353, k.sourcePort());
      assertEquals(53, k.destinationPort());
      assertEquals(0xB8, k.trafficClass());
      int hash = k.hash();
      assertEquals(hash, new FlowKey().wrap(b, Buffers.OFFSET, frame.length).hash());
      b.setShort(Buffers.OFFSET + 34, 5354);
      assertNotEquals(hash, new FlowKey().wrap(b, Buffers.OFFSET, frame.length).hash());
      FlowKey shortKey = new FlowKey().wrap(b, Buffers.OFFSET, 10);
      assertEquals(0, shortKey.ipVersion());
      assertEquals(-1, shortKey.trafficClass());
    } finally {
      b.release();
    }
  }
}
