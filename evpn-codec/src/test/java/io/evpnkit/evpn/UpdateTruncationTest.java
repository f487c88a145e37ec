package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every truncation of every UPDATE of the GoBGP sample, in two forms, with the outcome RFC 7606
 * gives it:
 *
 * <ul>
 *   <li>the message cut at every length with only its header length fixed: the path attributes (or
 *       the withdrawn routes) then run past the message, a session reset with Malformed Attribute
 *       List (or a header error when fewer than 23 octets are left);
 *   <li>the MP_REACH_NLRI cut at every octet of its NLRI field, every enclosing length fixed
 *       (attribute, Total Path Attribute Length, message) and the attributes after it kept: OK with
 *       the leading routes when the cut falls between two NLRI, else the NLRI field cannot be
 *       parsed: session reset (or AFI/SAFI disable), attribute 14.
 * </ul>
 *
 * Never an unchecked exception.
 */
class UpdateTruncationTest {
  static List<byte[]> messages() {
    byte[] all = GobgpSample.bytes();
    List<byte[]> out = new ArrayList<>();
    for (int off = 0; off < all.length; ) {
      int length = ((all[off + 16] & 0xFF) << 8) | (all[off + 17] & 0xFF);
      out.add(java.util.Arrays.copyOfRange(all, off, off + length));
      off += length;
    }
    return out;
  }

  static List<String> routes(UpdateDecoder d) {
    List<String> out = new ArrayList<>();
    d.forEachRoute((w, id, n) -> out.add(EvpnRoutes.decode(n).toString()));
    return out;
  }

  @Test
  void cutMessagesResetTheSession() {
    UpdateDecoder d = new UpdateDecoder(SessionOptions.EBGP);
    int cases = 0;
    for (byte[] m : messages()) {
      for (int length = 0; length < m.length; length++) {
        ByteBuf b = Unpooled.wrappedBuffer(m, 0, length);
        if (length >= 18) {
          b = Unpooled.copiedBuffer(b);
          b.setShort(16, length);
        }
        assertEquals(UpdateOutcome.SESSION_RESET, d.decode(b), "cut at " + length);
        UpdateError e = d.error(0);
        assertTrue(length < 23 ? e.code() == 1 : e.code() == 3 && e.subcode() == 1, e::toString);
        assertTrue(e.offset() >= 0 && e.offset() <= Math.max(0, length - 1), e::toString);
        cases++;
      }
    }
    assertTrue(cases > 50_000, "cases " + cases);
  }

  @Test
  void cutNlriFieldsKeepTheWholeRoutesOrResetTheSession() {
    UpdateDecoder d = new UpdateDecoder(SessionOptions.EBGP);
    int ok = 0;
    int reset = 0;
    for (byte[] m : messages()) {
      ByteBuf whole = Unpooled.wrappedBuffer(m);
      assertEquals(UpdateOutcome.OK, d.decode(whole));
      List<String> all = routes(d);
      boolean extended =
          (d.attributeFlags(PathAttributes.MP_REACH_NLRI) & PathAttributes.FLAG_EXTENDED_LENGTH)
              != 0;
      int lengthAt = d.attributeValueIndex(PathAttributes.MP_REACH_NLRI) - (extended ? 2 : 1);
      int fieldStart = d.attributeValueIndex(PathAttributes.MP_REACH_NLRI) + 5 + d.nextHopLength();
      int mpEnd =
          d.attributeValueIndex(PathAttributes.MP_REACH_NLRI)
              + d.attributeValueLength(PathAttributes.MP_REACH_NLRI);
      List<Integer> boundaries = new ArrayList<>();
      EvpnNlri n = new EvpnNlri();
      for (int at = fieldStart; at < mpEnd; at += n.totalLength()) {
        boundaries.add(at);
        n.wrap(whole, at, mpEnd);
      }
      for (int cut = fieldStart + 1; cut < mpEnd; cut++) {
        int removed = mpEnd - cut;
        ByteBuf b = Unpooled.buffer(m.length - removed);
        b.writeBytes(m, 0, cut).writeBytes(m, mpEnd, m.length - mpEnd);
        b.setShort(16, b.readableBytes());
        b.setShort(21, b.getUnsignedShort(21) - removed);
        if (extended) {
          b.setShort(lengthAt, b.getUnsignedShort(lengthAt) - removed);
        } else {
          b.setByte(lengthAt, b.getUnsignedByte(lengthAt) - removed);
        }
        UpdateOutcome outcome = d.decode(b);
        int index = boundaries.indexOf(cut);
        if (index >= 0) {
          assertEquals(UpdateOutcome.OK, outcome, () -> d.errors().toString());
          assertEquals(all.subList(0, index), routes(d));
          ok++;
        } else {
          assertEquals(UpdateOutcome.SESSION_RESET, outcome);
          int at = cut;
          assertEquals(
              PathAttributes.MP_REACH_NLRI,
              d.error(0).attributeType(),
              () -> "cut " + at + ": " + d.errors());
          assertEquals(BgpNotification.OPTIONAL_ATTRIBUTE_ERROR, d.notification().subcode());
          reset++;
        }
      }
    }
    assertTrue(ok > 1_000 && reset > 10_000, ok + " ok, " + reset + " reset");
  }
}
