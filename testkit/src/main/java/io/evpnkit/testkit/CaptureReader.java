package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads capture files: libpcap (both byte orders, microsecond magic {@code a1b2c3d4} and nanosecond
 * magic {@code a1b23c4d}) and pcapng (Section Header, Interface Description with {@code
 * if_tsresol}, Enhanced Packet and Simple Packet blocks; other blocks are skipped; several sections
 * and byte orders in one file). The format is detected from the first four bytes.
 *
 * <p>Lengths in the file are untrusted: a record or block larger than {@link #MAX_RECORD_LENGTH} is
 * an error, never an allocation. Errors are {@link CaptureFormatException}s with the file offset.
 * Not thread-safe.
 *
 * @since 0.1
 */
@Beta
public final class CaptureReader implements Closeable {
  /**
   * The largest record or block accepted, in bytes (tcpdump's largest snapshot length, 256 KiB).
   */
  public static final int MAX_RECORD_LENGTH = 262_144;

  /** Capture file formats. */
  public enum Format {
    /** libpcap with microsecond timestamps. */
    PCAP_MICROS,
    /** libpcap with nanosecond timestamps. */
    PCAP_NANOS,
    /** pcapng. */
    PCAPNG
  }

  static final int PCAP_MAGIC_MICROS = 0xA1B2_C3D4;
  static final int PCAP_MAGIC_NANOS = 0xA1B2_3C4D;
  private static final int PCAPNG_SHB = 0x0A0D_0D0A;
  private static final int PCAPNG_BYTE_ORDER_MAGIC = 0x1A2B_3C4D;
  private static final int PCAPNG_IDB = 1;
  private static final int PCAPNG_SPB = 3;
  private static final int PCAPNG_EPB = 6;

  private final InputStream in;
  private final Format format;
  private ByteOrder order;
  private long position;
  private int index;
  private int pcapLinkType;
  private final List<long[]> interfaces = new ArrayList<>(); // {linkType, snaplen, unitsPerSecond}

  private CaptureReader(InputStream in) throws IOException {
    this.in = in.markSupported() ? in : new BufferedInputStream(in, 65_536);
    byte[] magic = new byte[4];
    if (!readFully(magic, true)) {
      throw new CaptureFormatException("empty file: no capture header", 0);
    }
    int big = ByteBuffer.wrap(magic).order(ByteOrder.BIG_ENDIAN).getInt();
    int little = ByteBuffer.wrap(magic).order(ByteOrder.LITTLE_ENDIAN).getInt();
    if (big == PCAPNG_SHB) {
      this.format = Format.PCAPNG;
      this.order = ByteOrder.BIG_ENDIAN;
      readSectionHeader(0);
    } else if (big == PCAP_MAGIC_MICROS || big == PCAP_MAGIC_NANOS) {
      this.format = big == PCAP_MAGIC_NANOS ? Format.PCAP_NANOS : Format.PCAP_MICROS;
      this.order = ByteOrder.BIG_ENDIAN;
      readPcapHeader();
    } else if (little == PCAP_MAGIC_MICROS || little == PCAP_MAGIC_NANOS) {
      this.format = little == PCAP_MAGIC_NANOS ? Format.PCAP_NANOS : Format.PCAP_MICROS;
      this.order = ByteOrder.LITTLE_ENDIAN;
      readPcapHeader();
    } else {
      throw new CaptureFormatException(
          String.format(
              "magic %08x is neither pcap (a1b2c3d4, a1b23c4d) nor pcapng (0a0d0d0a)", big),
          0);
    }
  }

  /** Opens a capture file. */
  public static CaptureReader open(Path file) throws IOException {
    InputStream s = Files.newInputStream(file);
    try {
      return new CaptureReader(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  /** Reads a capture from a stream (closed by {@link #close()}). */
  public static CaptureReader open(InputStream in) throws IOException {
    return new CaptureReader(in);
  }

  /** Reads every packet of a capture file. */
  public static List<CapturedPacket> readAll(Path file) throws IOException {
    try (CaptureReader r = open(file)) {
      List<CapturedPacket> all = new ArrayList<>();
      for (CapturedPacket p = r.next(); p != null; p = r.next()) {
        all.add(p);
      }
      return all;
    }
  }

  /** Returns the file format. */
  public Format format() {
    return format;
  }

  /** Returns the byte order of the file (of the current section for pcapng). */
  public ByteOrder byteOrder() {
    return order;
  }

  /**
   * Returns the next packet, or {@code null} at the end of the file.
   *
   * @throws CaptureFormatException if the file is malformed or ends inside a record
   */
  public @Nullable CapturedPacket next() throws IOException {
    return format == Format.PCAPNG ? nextBlockPacket() : nextPcapRecord();
  }

  private void readPcapHeader() throws IOException {
    ByteBuffer h = read(20, "pcap global header");
    int major = h.getShort() & 0xFFFF;
    if (major != 2) {
      throw new CaptureFormatException("pcap major version " + major + ": must be 2", 4);
    }
    h.getShort();
    h.getInt();
    h.getInt();
    h.getInt(); // snaplen: records are bounded by MAX_RECORD_LENGTH instead
    pcapLinkType = h.getInt() & 0xFFFF; // upper bits carry FCS information
  }

  private @Nullable CapturedPacket nextPcapRecord() throws IOException {
    long at = position;
    byte[] header = new byte[16];
    if (!readFully(header, true)) {
      return null;
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(order);
    long seconds = h.getInt() & 0xFFFF_FFFFL;
    long fraction = h.getInt() & 0xFFFF_FFFFL;
    int captured = h.getInt();
    int original = h.getInt();
    if (captured < 0 || captured > MAX_RECORD_LENGTH) {
      throw new CaptureFormatException(
          "record length "
              + Integer.toUnsignedString(captured)
              + ": must be 0.."
              + MAX_RECORD_LENGTH,
          at + 8);
    }
    long nanos =
        seconds * 1_000_000_000L + (format == Format.PCAP_NANOS ? fraction : fraction * 1000);
    byte[] data = new byte[captured];
    if (!readFully(data, false)) {
      throw new CaptureFormatException("file ends inside a record", position);
    }
    return new CapturedPacket(++index, nanos, pcapLinkType, original, data);
  }

  private void readSectionHeader(long at) throws IOException {
    byte[] lengthAndMagic = new byte[8];
    if (!readFully(lengthAndMagic, false)) {
      throw new CaptureFormatException("file ends inside a section header block", position);
    }
    int bomBig = ByteBuffer.wrap(lengthAndMagic, 4, 4).order(ByteOrder.BIG_ENDIAN).getInt();
    if (bomBig == PCAPNG_BYTE_ORDER_MAGIC) {
      order = ByteOrder.BIG_ENDIAN;
    } else if (Integer.reverseBytes(bomBig) == PCAPNG_BYTE_ORDER_MAGIC) {
      order = ByteOrder.LITTLE_ENDIAN;
    } else {
      throw new CaptureFormatException(
          String.format("byte-order magic %08x: must be 1a2b3c4d", bomBig), at + 8);
    }
    int total = ByteBuffer.wrap(lengthAndMagic, 0, 4).order(order).getInt();
    checkBlockLength(total, 28, at);
    read(total - 12 - 4, "section header block"); // versions, section length, options
    checkTrailer(total);
    interfaces.clear();
  }

  private void checkBlockLength(int total, int minimum, long at) throws CaptureFormatException {
    if (total < minimum || total > MAX_RECORD_LENGTH || (total & 3) != 0) {
      throw new CaptureFormatException(
          "block length "
              + Integer.toUnsignedString(total)
              + ": must be a multiple of 4 in "
              + minimum
              + ".."
              + MAX_RECORD_LENGTH,
          at + 4);
    }
  }

  private void checkTrailer(int total) throws IOException {
    int trailer = read(4, "block trailer").getInt();
    if (trailer != total) {
      throw new CaptureFormatException(
          "block trailer length " + trailer + " differs from its header length " + total,
          position - 4);
    }
  }

  private @Nullable CapturedPacket nextBlockPacket() throws IOException {
    while (true) {
      long at = position;
      byte[] head = new byte[4];
      if (!readFully(head, true)) {
        return null;
      }
      int type = ByteBuffer.wrap(head).order(order).getInt();
      if (type == PCAPNG_SHB) {
        readSectionHeader(at);
        continue;
      }
      int total = read(4, "block header").getInt();
      checkBlockLength(total, 12, at);
      ByteBuffer body = read(total - 12, "block body");
      checkTrailer(total);
      if (type == PCAPNG_IDB) {
        readInterface(body, at);
      } else if (type == PCAPNG_EPB) {
        return enhancedPacket(body, at);
      } else if (type == PCAPNG_SPB) {
        return simplePacket(body, at);
      } // name resolution, statistics, custom blocks: not needed
    }
  }

  private void readInterface(ByteBuffer body, long at) throws CaptureFormatException {
    if (body.remaining() < 8) {
      throw new CaptureFormatException("interface description block too short", at);
    }
    int linkType = body.getShort() & 0xFFFF;
    body.getShort();
    long snaplen = body.getInt() & 0xFFFF_FFFFL;
    long units = 1_000_000;
    while (body.remaining() >= 4) {
      int code = body.getShort() & 0xFFFF;
      int length = body.getShort() & 0xFFFF;
      if (code == 0) {
        break;
      }
      int padded = (length + 3) & ~3;
      if (padded > body.remaining()) {
        throw new CaptureFormatException(
            "interface option " + code + " of length " + length + " runs past its block",
            at + 8 + body.position());
      }
      if (code == 9 && length == 1) {
        int resolution = body.get(body.position()) & 0xFF;
        int exponent = resolution & 0x7F;
        if ((resolution & 0x80) != 0) {
          units = exponent >= 63 ? Long.MAX_VALUE : 1L << exponent;
        } else {
          units = exponent > 18 ? Long.MAX_VALUE : pow10(exponent);
        }
      }
      body.position(body.position() + padded);
    }
    interfaces.add(new long[] {linkType, snaplen, units});
  }

  private static long pow10(int exponent) {
    long v = 1;
    for (int i = 0; i < exponent; i++) {
      v *= 10;
    }
    return v;
  }

  private CapturedPacket enhancedPacket(ByteBuffer body, long at) throws CaptureFormatException {
    if (body.remaining() < 20) {
      throw new CaptureFormatException("enhanced packet block too short", at);
    }
    int iface = body.getInt();
    long ts = ((body.getInt() & 0xFFFF_FFFFL) << 32) | (body.getInt() & 0xFFFF_FFFFL);
    int captured = body.getInt();
    int original = body.getInt();
    if (iface < 0 || iface >= interfaces.size()) {
      throw new CaptureFormatException(
          "packet names interface "
              + Integer.toUnsignedString(iface)
              + " but the section describes "
              + interfaces.size(),
          at + 8);
    }
    if (captured < 0 || captured > body.remaining()) {
      throw new CaptureFormatException(
          "captured length "
              + Integer.toUnsignedString(captured)
              + " runs past its block ("
              + body.remaining()
              + " bytes left)",
          at + 20);
    }
    long[] i = interfaces.get(iface);
    byte[] data = new byte[captured];
    body.get(data);
    return new CapturedPacket(++index, toNanos(ts, i[2]), (int) i[0], original, data);
  }

  private CapturedPacket simplePacket(ByteBuffer body, long at) throws CaptureFormatException {
    if (body.remaining() < 4 || interfaces.isEmpty()) {
      throw new CaptureFormatException("simple packet block without interface or too short", at);
    }
    int original = body.getInt();
    long[] i = interfaces.get(0);
    long limit = i[1] == 0 ? Long.MAX_VALUE : i[1];
    int captured = (int) Math.min(Math.min(original & 0xFFFF_FFFFL, limit), body.remaining());
    byte[] data = new byte[captured];
    body.get(data);
    return new CapturedPacket(++index, 0, (int) i[0], original, data);
  }

  static long toNanos(long ticks, long unitsPerSecond) {
    long seconds = Long.divideUnsigned(ticks, unitsPerSecond);
    long fraction = Long.remainderUnsigned(ticks, unitsPerSecond);
    long nanos =
        unitsPerSecond <= 1_000_000_000L
            ? fraction * (1_000_000_000L / unitsPerSecond)
            : (long) ((double) fraction * 1e9 / unitsPerSecond);
    return seconds * 1_000_000_000L + nanos;
  }

  private ByteBuffer read(int length, String what) throws IOException {
    byte[] b = new byte[length];
    if (!readFully(b, false)) {
      throw new CaptureFormatException("file ends inside the " + what, position);
    }
    return ByteBuffer.wrap(b).order(order);
  }

  /**
   * Reads b fully. Returns false when the file ends before the first byte and {@code endOk}, or
   * when it ends anywhere and not {@code endOk}; a file ending after some bytes of an {@code endOk}
   * read is an error.
   */
  private boolean readFully(byte[] b, boolean endOk) throws IOException {
    int done = 0;
    while (done < b.length) {
      int n = in.read(b, done, b.length - done);
      if (n < 0) {
        position += done;
        if (endOk && done > 0) {
          throw new CaptureFormatException("file ends inside a record or block header", position);
        }
        return false;
      }
      done += n;
    }
    position += done;
    return true;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
