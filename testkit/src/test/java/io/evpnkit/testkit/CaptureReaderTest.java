package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CaptureReaderTest {
  private static final byte[] A = {1, 2, 3, 4, 5};
  private static final byte[] B = new byte[1500];

  @ParameterizedTest
  @CsvSource({
    "BIG_ENDIAN, false",
    "BIG_ENDIAN, true",
    "LITTLE_ENDIAN, false",
    "LITTLE_ENDIAN, true"
  })
  void pcapWrittenInEitherOrderAndPrecisionReadsBack(String orderName, boolean nanos)
      throws IOException {
    ByteOrder order =
        orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    long t1 = 1_700_000_000_123_456_789L;
    try (PcapWriter w = new PcapWriter(bytes, LinkType.ETHERNET, order, nanos, 65535)) {
      w.write(t1, A);
      w.write(t1 + 1_000, B);
    }
    byte[] file = bytes.toByteArray();
    int magic = ByteBuffer.wrap(file).order(order).getInt();
    assertEquals(nanos ? 0xA1B23C4D : 0xA1B2C3D4, magic);
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(file))) {
      assertEquals(order, r.byteOrder());
      assertEquals(
          nanos ? CaptureReader.Format.PCAP_NANOS : CaptureReader.Format.PCAP_MICROS, r.format());
      CapturedPacket p = java.util.Objects.requireNonNull(r.next());
      assertEquals(1, p.index());
      assertArrayEquals(A, p.data());
      assertEquals(nanos ? t1 : t1 / 1000 * 1000, p.timestampNanos());
      assertEquals(LinkType.ETHERNET, p.linkType());
      CapturedPacket q = java.util.Objects.requireNonNull(r.next());
      assertEquals(2, q.index());
      assertEquals(1500, q.capturedLength());
      assertNull(r.next());
    }
  }

  /**
   * A little pcapng file: SHB, IDB with if_tsresol 9 (nanoseconds), one EPB, one SPB, a custom
   * block.
   */
  private static byte[] pcapng(ByteOrder order) {
    ByteBuffer b = ByteBuffer.allocate(256).order(order);
    b.putInt(0x0A0D0D0A)
        .putInt(28)
        .putInt(0x1A2B3C4D)
        .putShort((short) 1)
        .putShort((short) 0)
        .putLong(-1)
        .putInt(28);
    b.putInt(1)
        .putInt(32)
        .putShort((short) 1)
        .putShort((short) 0)
        .putInt(0)
        .putShort((short) 9)
        .putShort((short) 1)
        .put((byte) 9)
        .put(new byte[3])
        .putInt(0)
        .putInt(32);
    b.putInt(0xBAD).putInt(16).putInt(0).putInt(16);
    long ts = 1_700_000_000_000_000_007L;
    b.putInt(6)
        .putInt(40)
        .putInt(0)
        .putInt((int) (ts >>> 32))
        .putInt((int) ts)
        .putInt(5)
        .putInt(60)
        .put(A)
        .put(new byte[3])
        .putInt(40);
    b.putInt(3).putInt(24).putInt(5).put(A).put(new byte[3]).putInt(24);
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }

  @ParameterizedTest
  @CsvSource({"BIG_ENDIAN", "LITTLE_ENDIAN"})
  void readsPcapngBlocks(String orderName) throws IOException {
    ByteOrder order =
        orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(pcapng(order)))) {
      assertEquals(CaptureReader.Format.PCAPNG, r.format());
      CapturedPacket p = java.util.Objects.requireNonNull(r.next());
      assertArrayEquals(A, p.data());
      assertEquals(60, p.originalLength());
      assertEquals(1_700_000_000_000_000_007L, p.timestampNanos());
      CapturedPacket s = java.util.Objects.requireNonNull(r.next());
      assertArrayEquals(A, s.data());
      assertEquals(2, s.index());
      assertNull(r.next());
      assertEquals(order, r.byteOrder());
    }
  }

  @Test
  void everyTruncationOfAFileIsAClearErrorOrAShorterRead() throws IOException {
    for (byte[] file : new byte[][] {pcapng(ByteOrder.LITTLE_ENDIAN), pcap()}) {
      for (int n = 0; n < file.length; n++) {
        byte[] cut = java.util.Arrays.copyOf(file, n);
        try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(cut))) {
          while (r.next() != null) {
            // read all that is whole
          }
        } catch (CaptureFormatException e) {
          assertTrue(e.offset() >= 0 && e.offset() <= n, e.getMessage());
        }
      }
    }
  }

  private static byte[] pcap() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PcapWriter w =
        new PcapWriter(bytes, LinkType.ETHERNET, ByteOrder.LITTLE_ENDIAN, false, 65535)) {
      w.write(0, A);
      w.write(0, A);
    }
    return bytes.toByteArray();
  }

  @Test
  void lyingLengthsAreErrorsNotAllocations() throws IOException {
    byte[] file = pcap();
    ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 8, 0x7FFF_FFFF);
    CaptureFormatException e =
        assertThrows(
            CaptureFormatException.class,
            () -> {
              try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(file))) {
                r.next();
              }
            });
    assertEquals(32, e.offset());
    byte[] ng = pcapng(ByteOrder.BIG_ENDIAN);
    ByteBuffer.wrap(ng).putInt(28 + 32 + 16 + 4, 1 << 30);
    assertThrows(
        CaptureFormatException.class,
        () -> {
          try (CaptureReader r = CaptureReader.open(new ByteArrayInputStream(ng))) {
            r.next();
          }
        });
    assertThrows(
        CaptureFormatException.class,
        () -> CaptureReader.open(new ByteArrayInputStream(new byte[] {1, 2, 3, 4})));
  }
}
