package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes libpcap files (version 2.4) in either byte order with microsecond or nanosecond
 * timestamps, so that tcpdump, Wireshark and {@link CaptureReader} can read them. Not thread-safe.
 *
 * @since 0.1
 */
@Beta
public final class PcapWriter implements Closeable {
  private final OutputStream out;
  private final ByteOrder order;
  private final boolean nanos;
  private final int snaplen;
  private final ByteBuffer header = ByteBuffer.allocate(16);

  /**
   * Starts a capture on {@code out} by writing the global header.
   *
   * @param out where to write (closed by {@link #close()})
   * @param linkType the LINKTYPE_ of every packet ({@link LinkType#ETHERNET} for VXLAN frames)
   * @param order byte order of the file's header fields
   * @param nanos nanosecond timestamps (magic a1b23c4d) instead of microseconds (a1b2c3d4)
   * @param snaplen largest number of bytes kept per packet
   */
  public PcapWriter(OutputStream out, int linkType, ByteOrder order, boolean nanos, int snaplen)
      throws IOException {
    if (snaplen < 1) {
      throw new IllegalArgumentException("snaplen " + snaplen + " must be positive");
    }
    this.out = out instanceof BufferedOutputStream ? out : new BufferedOutputStream(out, 65_536);
    this.order = order;
    this.nanos = nanos;
    this.snaplen = snaplen;
    header.order(order);
    ByteBuffer global = ByteBuffer.allocate(24).order(order);
    global.putInt(nanos ? CaptureReader.PCAP_MAGIC_NANOS : CaptureReader.PCAP_MAGIC_MICROS);
    global
        .putShort((short) 2)
        .putShort((short) 4)
        .putInt(0)
        .putInt(0)
        .putInt(snaplen)
        .putInt(linkType);
    this.out.write(global.array());
  }

  /** Creates an Ethernet capture file in little-endian byte order with microsecond timestamps. */
  public static PcapWriter create(Path file) throws IOException {
    return new PcapWriter(
        Files.newOutputStream(file), LinkType.ETHERNET, ByteOrder.LITTLE_ENDIAN, false, 262_144);
  }

  /** Writes a packet with a timestamp in nanoseconds since the Unix epoch. */
  public void write(long timestampNanos, byte[] data) throws IOException {
    write(timestampNanos, data, 0, data.length);
  }

  /** Writes the readable bytes of {@code packet} (indexes unchanged, not released). */
  public void write(long timestampNanos, ByteBuf packet) throws IOException {
    byte[] data = new byte[packet.readableBytes()];
    packet.getBytes(packet.readerIndex(), data);
    write(timestampNanos, data);
  }

  private void write(long timestampNanos, byte[] data, int offset, int length) throws IOException {
    int captured = Math.min(length, snaplen);
    long seconds = Math.floorDiv(timestampNanos, 1_000_000_000L);
    long fraction = Math.floorMod(timestampNanos, 1_000_000_000L);
    header.clear();
    header
        .putInt((int) seconds)
        .putInt((int) (nanos ? fraction : fraction / 1000))
        .putInt(captured)
        .putInt(length);
    out.write(header.array());
    out.write(data, offset, captured);
  }

  /** Returns the byte order of the file. */
  public ByteOrder byteOrder() {
    return order;
  }

  /** Flushes buffered packets to the stream. */
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
