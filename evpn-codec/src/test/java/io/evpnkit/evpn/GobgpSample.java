package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The 400 GoBGP UPDATEs of {@code golden/gobgp-mixed-400.bgp} and one walk over their path
 * attributes, shared by the tests that check evpn-codec against them. The walk trusts the sample
 * (it is well formed).
 */
final class GobgpSample {
  /** Receives one path attribute. */
  interface AttributeVisitor {
    void visit(int type, int valueOffset, int length);
  }

  /** Receives the NLRI field of one MP_REACH_NLRI (14) or MP_UNREACH_NLRI (15). */
  interface NlriFieldVisitor {
    void visit(int attributeType, int from, int to);
  }

  private GobgpSample() {}

  static byte[] bytes() {
    try (InputStream in =
        Objects.requireNonNull(
            GobgpSample.class.getResourceAsStream("/golden/gobgp-mixed-400.bgp"))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns the sample in an unpooled heap buffer (releasing it is harmless). */
  static ByteBuf buffer() {
    return Unpooled.wrappedBuffer(bytes());
  }

  /** Visits every path attribute of every UPDATE in {@code b}, in wire order. */
  static void forEachAttribute(ByteBuf b, AttributeVisitor visitor) {
    for (int off = 0; off < b.writerIndex(); off += b.getUnsignedShort(off + 16)) {
      int attrs = off + 21 + b.getUnsignedShort(off + 19);
      int end = attrs + 2 + b.getUnsignedShort(attrs);
      for (int a = attrs + 2; a < end; ) {
        boolean extended = (b.getUnsignedByte(a) & 0x10) != 0;
        int length = extended ? b.getUnsignedShort(a + 2) : b.getUnsignedByte(a + 2);
        int value = a + (extended ? 4 : 3);
        visitor.visit(b.getUnsignedByte(a + 1), value, length);
        a = value + length;
      }
    }
  }

  /**
   * Visits the NLRI field (after AFI, SAFI and, for 14, the next hop) of every MP_REACH/MP_UNREACH.
   */
  static void forEachNlriField(ByteBuf b, NlriFieldVisitor visitor) {
    forEachAttribute(
        b,
        (type, v, length) -> {
          if (type == 14) {
            visitor.visit(type, v + 4 + b.getUnsignedByte(v + 3) + 1, v + length);
          } else if (type == 15) {
            visitor.visit(type, v + 3, v + length);
          }
        });
  }
}
