package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;

/** Hand-built inner frames for codec tests. */
final class Frames {
  static final long HOST_A = 0x0250_5600_0001L;
  static final long HOST_B = 0x0250_5600_0002L;

  private Frames() {}

  /** An Ethernet/IPv4/UDP frame of {@code length} bytes (at least 42) with the given TOS. */
  static byte[] ipv4Udp(int length, int tos, int sourcePort) {
    ByteBuf b = io.netty.buffer.Unpooled.buffer(length);
    try {
      b.writeShort((int) (HOST_B >>> 32)).writeInt((int) HOST_B);
      b.writeShort((int) (HOST_A >>> 32)).writeInt((int) HOST_A);
      b.writeShort(EthernetFrame.ETHERTYPE_IPV4);
      int ip = b.writerIndex();
      b.writeByte(0x45).writeByte(tos).writeShort(length - 14).writeShort(1).writeShort(0x4000);
      b.writeByte(64).writeByte(17).writeShort(0).writeInt(0x0A00_0001).writeInt(0x0A00_0002);
      b.setShort(ip + 10, InternetChecksum.compute(b, ip, 20));
      b.writeShort(sourcePort).writeShort(53).writeShort(length - 34).writeShort(0);
      while (b.writerIndex() < length) {
        b.writeByte(b.writerIndex());
      }
      byte[] out = new byte[length];
      b.getBytes(0, out);
      return out;
    } finally {
      b.release();
    }
  }

  /** Places {@code frame} in a buffer of {@code kind} with {@code headroom} bytes before it. */
  static ByteBuf withHeadroom(Buffers kind, byte[] frame, int headroom) {
    return kind.wrap(frame, headroom);
  }
}
