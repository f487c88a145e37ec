package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Builds Ethernet/IPv4/TCP frames (RFC 791, RFC 9293 §3.1: 20-octet headers, no options, checksums
 * 0), for tests and benchmarks of what reads captures of TCP streams (BGP on port 179): segments in
 * any order, with any flags.
 *
 * @since 0.1
 */
@Beta
public final class TcpFrames {
  /** The SYN flag. */
  public static final int SYN = 0x02;

  /** The PSH and ACK flags, as a segment with data carries them. */
  public static final int PSH_ACK = 0x18;

  private TcpFrames() {}

  /**
   * Returns a frame from {@code source}:{@code sourcePort} to {@code destination}:{@code
   * destinationPort}.
   *
   * @param source the IPv4 source address as a 32-bit number
   * @param destination the IPv4 destination address
   * @param seq the sequence number (32 bits)
   * @param flags the TCP flags ({@link #SYN}, {@link #PSH_ACK}, ...)
   * @param payload the segment's data
   */
  public static byte[] ipv4(
      int source,
      int sourcePort,
      int destination,
      int destinationPort,
      long seq,
      int flags,
      byte[] payload) {
    ByteBuf b = Unpooled.buffer(54 + payload.length);
    try {
      b.writeZero(12).writeShort(0x0800);
      b.writeByte(0x45)
          .writeByte(0)
          .writeShort(40 + payload.length)
          .writeInt(0)
          .writeByte(64)
          .writeByte(6)
          .writeShort(0);
      b.writeInt(source).writeInt(destination);
      b.writeShort(sourcePort)
          .writeShort(destinationPort)
          .writeInt((int) seq)
          .writeInt(0)
          .writeByte(0x50)
          .writeByte(flags)
          .writeShort(0)
          .writeInt(0);
      b.writeBytes(payload);
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      return bytes;
    } finally {
      b.release();
    }
  }

  /** Returns a frame from 127.0.0.1:{@code sourcePort} to 127.0.0.2:179 (a BGP speaker). */
  public static byte[] toBgp(int sourcePort, long seq, int flags, byte[] payload) {
    return ipv4(0x7f000001, sourcePort, 0x7f000002, 179, seq, flags, payload);
  }
}
