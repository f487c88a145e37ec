package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * RFC 7606 error handling, one rule per test, on UPDATEs built byte by byte; and the GoBGP sample.
 */
class UpdateDecoderTest {
  static final String ORIGIN_IGP = "40010100";
  static final String AS_PATH_65000 = "4002060201 0000fde8";
  static final String IMET =
      "0311 00010aff00010001 00000064 20 0aff0001"; // 3:10.255.0.1:1::100::10.255.0.1
  static final String MP_REACH_IMET = "800e 1c 0019 46 04 0a000001 00" + IMET;
  static final String EXT_RT = "c01008 0002fde800000064"; // target:65000:100

  /**
   * Builds an UPDATE: classic withdrawn routes, attributes, classic NLRI, each in hex (spaces
   * ignored).
   */
  static ByteBuf classic(String withdrawn, String nlri, String... attributes) {
    byte[] w = hex(withdrawn);
    byte[] a = hex(String.join("", attributes));
    byte[] n = hex(nlri);
    ByteBuf b = Unpooled.buffer();
    BgpMessages.writeHeader(b, 19 + 4 + w.length + a.length + n.length, 2);
    b.writeShort(w.length).writeBytes(w).writeShort(a.length).writeBytes(a).writeBytes(n);
    return b;
  }

  static ByteBuf update(String... attributes) {
    return classic("", "", attributes);
  }

  static byte[] hex(String s) {
    return ByteBufUtil.decodeHexDump(s.replace(" ", ""));
  }

  static UpdateDecoder decoder() {
    return new UpdateDecoder(SessionOptions.IBGP);
  }

  static List<String> routes(UpdateDecoder d) {
    List<String> out = new ArrayList<>();
    d.forEachRoute(
        (withdraw, pathId, n) ->
            out.add(
                (withdraw ? "-" : "+") + EvpnRoutes.decode(n) + (pathId != 0 ? "#" + pathId : "")));
    return out;
  }

  static UpdateError only(UpdateDecoder d) {
    assertEquals(1, d.errorCount(), () -> d.errors().toString());
    return d.error(0);
  }

  @Test
  void aWellFormedAnnouncement() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.OK, d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, EXT_RT)));
    assertEquals(List.of("+3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    assertEquals(1, d.announcedCount());
    assertEquals("10.0.0.1", String.valueOf(d.nextHop()));
    PathAttributes a = d.attributes();
    assertEquals("origin igp as-path [65000] next-hop 10.0.0.1 target:65000:100", a.toString());
    assertEquals(0, d.errors().size());
  }

  @Test
  void lengthsRunningPastTheMessageResetTheSession() {
    UpdateDecoder d = decoder();
    ByteBuf b = update(MP_REACH_IMET, ORIGIN_IGP);
    b.setShort(19, 0x1000);
    assertEquals(UpdateOutcome.SESSION_RESET, d.decode(b));
    assertEquals(
        new UpdateError(
            UpdateOutcome.SESSION_RESET,
            3,
            1,
            -1,
            19,
            "Withdrawn Routes Length 4096 runs past the message"),
        only(d));
    b.setShort(19, 0).setShort(21, 200);
    assertEquals(UpdateOutcome.SESSION_RESET, d.decode(b));
    assertEquals(21, only(d).offset());
    assertEquals("NOTIFICATION 3/1 (UPDATE Message Error)", d.notification().toString());
    assertEquals(List.of(), routes(d));
  }

  @Test
  void headerProblemsAreMessageHeaderErrors() {
    UpdateDecoder d = decoder();
    assertEquals(UpdateOutcome.SESSION_RESET, d.decode(Unpooled.wrappedBuffer(new byte[22])));
    assertEquals(1, only(d).code());
    ByteBuf b = update(ORIGIN_IGP);
    b.setShort(16, 99);
    d.decode(b);
    assertEquals("NOTIFICATION 1/2 (Message Header Error) data 0063", d.notification().toString());
    b.setShort(16, b.readableBytes()).setByte(18, 4);
    d.decode(b);
    assertEquals("NOTIFICATION 1/3 (Message Header Error) data 04", d.notification().toString());
    b.setByte(18, 2).setByte(0, 0);
    d.decode(b);
    assertEquals("NOTIFICATION 1/1 (Message Header Error)", d.notification().toString());
  }

  @Test
  void anAttributeOverrunAfterMpReachIsTreatAsWithdraw() {
    UpdateDecoder d = decoder();
    // AS_PATH says 9 bytes, 7 remain: RFC 7606 §4 first case.
    ByteBuf b = update(MP_REACH_IMET, ORIGIN_IGP, "400209 020100 00fde8");
    assertEquals(UpdateOutcome.TREAT_AS_WITHDRAW, d.decode(b));
    assertEquals(5, d.error(0).subcode());
    assertEquals(23 + 31 + 4, d.error(0).offset());
    assertEquals(
        "well-known mandatory attribute AS_PATH is missing",
        d.error(1).reason()); // not parsed, so missing
    assertEquals(List.of("-3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    // Two bytes remain where a header needs three: §4 second case.
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, "4002")));
    assertTrue(only(d).reason().contains("cut short"), only(d).reason());
  }

  @Test
  void anAttributeOverrunBeforeMpReachResetsTheSession() {
    UpdateDecoder d = decoder();
    assertEquals(UpdateOutcome.SESSION_RESET, d.decode(update(ORIGIN_IGP, "400209 020100 00fde8")));
    assertTrue(only(d).reason().contains("cannot be withdrawn"));
  }

  @Test
  void originErrors() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, "40010103", AS_PATH_65000)));
    assertEquals(
        new UpdateError(
            UpdateOutcome.TREAT_AS_WITHDRAW, 3, 6, 1, 23 + 31 + 3, "ORIGIN value 3 is not 0..2"),
        only(d));
    assertEquals(-1, d.origin());
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, "4001020000", AS_PATH_65000)));
    assertEquals(5, only(d).subcode());
  }

  @Test
  void asPathErrors() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, "400202 0200")));
    assertEquals(11, only(d).subcode());
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, "400206 0501 0000fde8")));
    assertEquals(11, only(d).subcode());
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, "400207 0201 0000fde8 02")));
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, "400206 0202 0000fde8")));
    // The same bytes are fine on a 2-octet session: two 2-octet AS numbers.
    UpdateDecoder two = new UpdateDecoder(SessionOptions.IBGP.withFourOctetAs(false));
    assertEquals(
        UpdateOutcome.OK, two.decode(update(MP_REACH_IMET, ORIGIN_IGP, "400206 0202 0000fde8")));
    assertEquals("0 65000", two.attributes().asPath().toString());
  }

  @Test
  void duplicatesAreDiscardedExceptMpReachWhichResets() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.ATTRIBUTE_DISCARD,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, "40010102")),
        () -> d.errors().toString());
    assertEquals(0, d.origin());
    assertEquals(List.of("+3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    assertEquals(
        UpdateOutcome.SESSION_RESET,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, MP_REACH_IMET)));
    BgpNotification n = d.notification();
    assertEquals(1, n.subcode());
    assertEquals(0, n.data().length); // RFC 4271 §6.3 gives Malformed Attribute List no data
  }

  @Test
  void missingWellKnownAttributesWithdrawTheAnnouncedRoutes() {
    UpdateDecoder d = decoder();
    assertEquals(UpdateOutcome.TREAT_AS_WITHDRAW, d.decode(update(MP_REACH_IMET, AS_PATH_65000)));
    assertEquals(
        new UpdateError(
            UpdateOutcome.TREAT_AS_WITHDRAW,
            3,
            3,
            1,
            21,
            "well-known mandatory attribute ORIGIN is missing"),
        only(d));
    assertEquals(List.of("-3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    // A withdrawal alone needs no attributes (RFC 4760 §4).
    assertEquals(UpdateOutcome.OK, d.decode(update("800f 16 0019 46" + IMET)));
    assertEquals(List.of("-3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    // Classic NLRI need NEXT_HOP; EVPN ones do not.
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(classic("", "180a0000", ORIGIN_IGP, AS_PATH_65000)));
    assertEquals(3, only(d).subcode());
    assertTrue(d.hasIpv4Prefixes());
  }

  @Test
  void flagConflictsAreTreatAsWithdraw() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, "c0010100", AS_PATH_65000)));
    assertEquals(4, only(d).subcode());
    assertEquals(-1, d.origin()); // a malformed attribute is never used
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, "401008 0002fde800000064")));
  }

  @Test
  void unknownAttributes() {
    UpdateDecoder d = decoder();
    assertEquals(
        UpdateOutcome.SESSION_RESET,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, "406302abcd")));
    assertEquals(2, only(d).subcode());
    assertEquals(
        "NOTIFICATION 3/2 (UPDATE Message Error) data 406302abcd", d.notification().toString());
    assertEquals(
        UpdateOutcome.OK,
        d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, "c06302abcd", "806402ef01")));
    PathAttributes a = d.attributes();
    assertEquals(
        "[attr 99 flags 0xc0 received abcd, attr 100 flags 0x80 received ef01]",
        a.others().toString());
    ByteBuf out = Unpooled.buffer();
    a.write(out, SessionOptions.IBGP);
    String written = ByteBufUtil.hexDump(out);
    // RFC 4271 §5: passed on with the Partial bit when transitive; a non-transitive one is not
    // passed on
    assertTrue(written.endsWith("e06302abcd"), written);
    assertEquals(a.encodedLength(SessionOptions.IBGP), out.readableBytes());
    out.release();
  }

  @Test
  void peerKindAndLengthRulesOfEachAttribute() {
    UpdateDecoder ebgp = new UpdateDecoder(SessionOptions.EBGP);
    UpdateDecoder ibgp = decoder();
    String[][] cases = {
      // attribute, outcome on iBGP, outcome on eBGP
      {"400504 00000064", "OK", "ATTRIBUTE_DISCARD"},
      {"400503 000064", "TREAT_AS_WITHDRAW", "ATTRIBUTE_DISCARD"},
      {"800404 00000005", "OK", "OK"},
      {"800402 0005", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"400600", "OK", "OK"},
      {"40060100", "ATTRIBUTE_DISCARD", "ATTRIBUTE_DISCARD"},
      {"c00708 0000fde8 0a000001", "OK", "OK"},
      {"c00706 fde8 0a000001", "ATTRIBUTE_DISCARD", "ATTRIBUTE_DISCARD"},
      {"c00804 fde80064", "OK", "OK"},
      {"c00806 fde80064 0000", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"c00800", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"800904 0a000002", "OK", "ATTRIBUTE_DISCARD"},
      {"800905 0a00000200", "TREAT_AS_WITHDRAW", "ATTRIBUTE_DISCARD"},
      {"800a08 0a000002 0a000003", "OK", "ATTRIBUTE_DISCARD"},
      {"800a03 0a0000", "TREAT_AS_WITHDRAW", "ATTRIBUTE_DISCARD"},
      {"c0100c 0002fde800000064 00000000", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"c0100c 0002fde800000064 00000000", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"c0110a 0202 0000fde8 0000fde9", "ATTRIBUTE_DISCARD", "ATTRIBUTE_DISCARD"},
      {"c01208 0000fde8 0a000001", "ATTRIBUTE_DISCARD", "ATTRIBUTE_DISCARD"},
      {"c01609 00 06 000064 0a000001", "OK", "OK"},
      {"c01608 00 06 000064 0a0000", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"c0160400060000", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"c0200c 0000fde8 00000001 00000002", "OK", "OK"},
      {"c0200d 0000fde8 00000001 00000002 00", "TREAT_AS_WITHDRAW", "TREAT_AS_WITHDRAW"},
      {"400304 0a000001", "OK", "OK"},
      {"400305 0a00000100", "ATTRIBUTE_DISCARD", "ATTRIBUTE_DISCARD"},
    };
    for (String[] c : cases) {
      assertEquals(
          c[1],
          ibgp.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, c[0])).name(),
          "iBGP " + c[0]);
      assertEquals(
          c[2],
          ebgp.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, c[0])).name(),
          "eBGP " + c[0]);
      if (!c[1].equals("OK")) {
        assertFalse(ibgp.errors().isEmpty());
      }
    }
  }

  @Test
  void mpReachErrors() {
    UpdateDecoder d = decoder();
    // next hop of 5 bytes
    assertEquals(
        UpdateOutcome.SESSION_RESET,
        d.decode(update("800e 1d 0019 46 05 0a00000100 00" + IMET, ORIGIN_IGP, AS_PATH_65000)));
    assertEquals(
        new UpdateError(
            UpdateOutcome.SESSION_RESET,
            3,
            9,
            14,
            23 + 6,
            "MP_REACH_NLRI next hop of 5 bytes: must be 4, 16 or 32"),
        only(d));
    // next hop running past the attribute
    assertEquals(
        UpdateOutcome.SESSION_RESET,
        d.decode(update("800e 05 0019 46 10 00", ORIGIN_IGP, AS_PATH_65000)));
    // NLRI longer than the attribute
    assertEquals(
        UpdateOutcome.SESSION_RESET,
        d.decode(
            update(
                "800e 1b 0019 46 04 0a000001 00" + IMET.substring(0, IMET.length() - 2),
                ORIGIN_IGP,
                AS_PATH_65000)));
    assertEquals(
        new UpdateError(
            UpdateOutcome.SESSION_RESET,
            3,
            9,
            14,
            23 + 13,
            "EVPN NLRI: NLRI longer than its container"),
        only(d));
    // a MAC length of 47 in a type 2 with a trustworthy length: that NLRI is skipped, the rest
    // withdrawn
    String badMac = "0221 00010aff00010001 00000000000000000000 00000064 2f 020000000001 00 000064";
    assertEquals(
        UpdateOutcome.TREAT_AS_WITHDRAW,
        d.decode(
            update("800e 3f 0019 46 04 0a000001 00" + badMac + IMET, ORIGIN_IGP, AS_PATH_65000)));
    assertEquals(List.of("-3:10.255.0.1:1::100::10.255.0.1/304"), routes(d));
    assertTrue(only(d).reason().contains("MAC address length must be 48"), only(d).reason());
    // another AFI/SAFI is left alone
    assertEquals(
        UpdateOutcome.OK,
        d.decode(update("800e 0d 0001 01 04 0a000001 00 180a0000", ORIGIN_IGP, AS_PATH_65000)));
    assertTrue(d.hasOtherFamilies());
    assertEquals(List.of(), routes(d));
    assertEquals(
        "origin igp as-path [65000]",
        d.attributes().toString()); // a Jazzer finding: the other family's
    // MP_REACH_NLRI has no EVPN NLRI field, and the attribute cache once took its absence for a
    // negative length
  }

  @Test
  void consecutiveUpdatesWithTheSameAttributesShareOneValue() {
    UpdateDecoder d = decoder();
    d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000, EXT_RT));
    PathAttributes first = d.attributes();
    // two NLRI now: the MP_REACH_NLRI header differs, the attributes do not
    String two = "800e 2f 0019 46 04 0a000001 00" + IMET + IMET.replace("0aff0001", "0aff0002");
    d.decode(update(two, ORIGIN_IGP, AS_PATH_65000, EXT_RT));
    assertSame(first, d.attributes());
    d.decode(update(two, ORIGIN_IGP, AS_PATH_65000, "c01008 0002fde800000065"));
    PathAttributes other = d.attributes();
    assertNotSame(first, other);
    assertEquals("origin igp as-path [65000] next-hop 10.0.0.1 target:65000:101", other.toString());
    // another next hop is another value
    d.decode(
        update(
            two.replace("0a000001", "0a000009"),
            ORIGIN_IGP,
            AS_PATH_65000,
            "c01008 0002fde800000065"));
    assertEquals("10.0.0.9", String.valueOf(d.attributes().nextHop()));
  }

  @Test
  void notificationIsOnlyForSessionResets() {
    UpdateDecoder d = decoder();
    d.decode(update(MP_REACH_IMET, ORIGIN_IGP, AS_PATH_65000));
    assertThrows(IllegalStateException.class, d::notification);
    d.decode(update(MP_REACH_IMET, MP_REACH_IMET));
    assertThrows(IllegalStateException.class, d::attributes);
  }

  @Test
  void everyMessageOfTheGobgpSampleIsWellFormedAndReencodesToTheSameContent() {
    // GoBGP writes attributes in type order, MP_REACH_NLRI among them; RFC 7606 §5.1 wants
    // MP_REACH_NLRI first,
    // as UpdateEncoder writes it. So the content is compared for GoBGP's bytes, and the bytes for
    // ours.
    ByteBuf sample = GobgpSample.buffer();
    UpdateDecoder d = new UpdateDecoder(SessionOptions.EBGP);
    UpdateDecoder d2 = new UpdateDecoder(SessionOptions.EBGP);
    UpdateEncoder e = new UpdateEncoder(SessionOptions.EBGP);
    int[] counts = new int[2];
    try (BgpMessageFramer f = new BgpMessageFramer(false, UnpooledByteBufAllocator.DEFAULT)) {
      assertEquals(
          null,
          f.feed(
              sample,
              (m, type, offset) -> {
                assertEquals(
                    UpdateOutcome.OK, d.decode(m), () -> "at " + offset + ": " + d.errors());
                List<EvpnRoute> announced = new ArrayList<>();
                d.forEachRoute((w, id, n) -> announced.add(EvpnRoutes.decode(n)));
                counts[0] += d.announcedCount();
                counts[1] += d.withdrawnCount();
                ByteBuf again = Unpooled.buffer();
                assertEquals(1, e.announce(d.attributes(), announced, again));
                assertEquals(UpdateOutcome.OK, d2.decode(again));
                assertEquals(routes(d), routes(d2));
                assertEquals(d.attributes(), d2.attributes());
                ByteBuf third = Unpooled.buffer();
                e.announce(d2.attributes(), announced, third);
                assertEquals(
                    ByteBufUtil.hexDump(again),
                    ByteBufUtil.hexDump(third)); // encode(decode(b)) = b
                again.release();
                third.release();
              }));
    }
    assertEquals(2016, counts[0]);
    assertEquals(0, counts[1]);
  }
}
