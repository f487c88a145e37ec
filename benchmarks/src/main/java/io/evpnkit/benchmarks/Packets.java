package io.evpnkit.benchmarks;

import io.evpnkit.vxlan.EthernetFrame;
import io.evpnkit.vxlan.InternetChecksum;
import io.evpnkit.vxlan.VxlanTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * Inputs shared by the benchmarks: inner frames of a given size in pooled direct buffers with
 * headroom.
 */
final class Packets {
  private Packets() {}

  static VxlanTunnel tunnel(String underlay) {
    VxlanTunnel.Builder b =
        VxlanTunnel.builder().sourceMac("02:00:00:00:0a:01").destinationMac("02:00:00:00:0b:01");
    return switch (underlay) {
      case "ipv4" -> b.source("192.0.2.1").destination("192.0.2.2").build();
      case "ipv6" -> b.source("2001:db8::1").destination("2001:db8::2").build();
      case "ipv6-zero-checksum" ->
          b.source("2001:db8::1").destination("2001:db8::2").ipv6ZeroChecksum(true).build();
      default -> throw new IllegalArgumentException(underlay);
    };
  }

  /**
   * An Ethernet/IPv4/UDP inner frame of {@code size} bytes, after {@code headroom} bytes of
   * headroom.
   */
  static ByteBuf innerFrame(int size, int headroom) {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(headroom + size);
    b.writerIndex(headroom).readerIndex(headroom);
    b.writeShort(0x0250).writeInt(0x5600_0002).writeShort(0x0250).writeInt(0x5600_0001);
    b.writeShort(EthernetFrame.ETHERTYPE_IPV4);
    int ip = b.writerIndex();
    b.writeByte(0x45)
        .writeByte(0)
        .writeShort(size - 14)
        .writeShort(1)
        .writeShort(0x4000)
        .writeByte(64)
        .writeByte(17)
        .writeShort(0)
        .writeInt(0x0A00_0001)
        .writeInt(0x0A00_0002);
    b.setShort(ip + 10, InternetChecksum.compute(b, ip, 20));
    b.writeShort(40000).writeShort(53).writeShort(size - 34).writeShort(0);
    while (b.writerIndex() < headroom + size) {
      b.writeByte(b.writerIndex());
    }
    return b;
  }
}
