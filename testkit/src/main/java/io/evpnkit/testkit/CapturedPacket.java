package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * One packet read from a capture file. Immutable (the data array is not exposed without a copy).
 *
 * @since 0.1
 */
@Beta
public final class CapturedPacket {
  private final int index;
  private final long timestampNanos;
  private final int linkType;
  private final int originalLength;
  private final byte[] data;

  /**
   * Creates a packet.
   *
   * @param index 1-based position in the file, as Wireshark numbers frames
   * @param timestampNanos nanoseconds since the Unix epoch
   * @param linkType the LINKTYPE_ value of its interface ({@link LinkType})
   * @param originalLength length on the wire, possibly more than was captured
   * @param data the captured bytes (copied)
   */
  public CapturedPacket(
      int index, long timestampNanos, int linkType, int originalLength, byte[] data) {
    this.index = index;
    this.timestampNanos = timestampNanos;
    this.linkType = linkType;
    this.originalLength = originalLength;
    this.data = data.clone();
  }

  /** Returns the 1-based frame number in the file. */
  public int index() {
    return index;
  }

  /** Returns the timestamp in nanoseconds since the Unix epoch. */
  public long timestampNanos() {
    return timestampNanos;
  }

  /** Returns the link type of the packet's interface. */
  public int linkType() {
    return linkType;
  }

  /** Returns the packet's length on the wire. */
  public int originalLength() {
    return originalLength;
  }

  /** Returns the number of bytes captured. */
  public int capturedLength() {
    return data.length;
  }

  /** Returns a copy of the captured bytes. */
  public byte[] data() {
    return data.clone();
  }

  /**
   * Returns the captured bytes wrapped, without copy, in an unpooled heap buffer (release not
   * needed).
   */
  public ByteBuf buffer() {
    return Unpooled.wrappedBuffer(data).asReadOnly();
  }

  @Override
  public String toString() {
    return "CapturedPacket[#"
        + index
        + ", "
        + data.length
        + "/"
        + originalLength
        + " bytes, linktype "
        + linkType
        + "]";
  }
}
