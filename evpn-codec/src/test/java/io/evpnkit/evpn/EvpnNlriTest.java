package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every EVPN NLRI of 400 UPDATEs made by GoBGP (types 1-5, IPv4 and IPv6, all RD types, several ESI
 * types; see golden/README) is read by {@link EvpnNlri} and compared field by field with
 * Wireshark's BGP dissector. Then the malformations RFC 7432 §7 and RFC 7606 name are checked.
 */
class EvpnNlriTest {
  private static final Pattern FIELD = Pattern.compile("\"(\\w+)\": (?:\"([^\"]*)\"|(\\d+))");

  private static List<Map<String, String>> oracle() throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    for (String line : new String(tsharkOracle(), StandardCharsets.UTF_8).lines().toList()) {
      Map<String, String> m = new HashMap<>();
      Matcher x = FIELD.matcher(line);
      while (x.find()) {
        m.put(x.group(1), x.group(2) != null ? x.group(2) : x.group(3));
      }
      out.add(m);
    }
    return out;
  }

  private static byte[] tsharkOracle() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            EvpnNlriTest.class.getResourceAsStream("/golden/gobgp-mixed-400.tshark.ndjson"))) {
      return in.readAllBytes();
    }
  }

  private static String hexBytes(long value, int bytes) {
    StringBuilder sb = new StringBuilder();
    for (int i = bytes - 1; i >= 0; i--) {
      MacAddress.appendHexOctet(sb, (int) (value >>> (8 * i)));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  @Test
  void everyNlriOfGobgpsCorpusAgreesWithWireshark() throws IOException {
    List<Map<String, String>> want = oracle();
    ByteBuf b = GobgpSample.buffer();
    EvpnNlri n = new EvpnNlri();
    int[] index = {0};
    int[] perType = new int[6];
    GobgpSample.forEachNlriField(
        b,
        (attribute, from, to) -> {
          for (int at = from; at < to; at += n.totalLength()) {
            assertTrue(n.tryWrap(b, at, to), () -> n.error() + " at " + n.errorOffset());
            Map<String, String> w = want.get(index[0]++);
            String ctx = "NLRI #" + index[0] + " " + w;
            int type = n.routeTypeCode();
            perType[type]++;
            assertEquals(w.get("rt"), Integer.toString(type), ctx);
            assertEquals(w.get("len"), Integer.toString(n.valueLength()), ctx);
            assertEquals(w.get("rd"), hexBytes(n.routeDistinguisherValue(), 8), ctx);
            if (type != 3) {
              assertEquals(w.get("esi"), n.esi().toString(), ctx);
            }
            if (type != 4) {
              assertEquals(w.get("etag"), Long.toString(n.ethernetTag()), ctx);
            }
            if (type == 2) {
              assertEquals(w.get("mac"), MacAddress.of(n.mac()).toString(), ctx);
            }
            if (type >= 2 && type <= 4) {
              assertEquals(w.get("iplen"), Integer.toString(n.ipLength()), ctx);
              if (n.ipLength() > 0) {
                assertEquals(w.get("ip"), n.ip().toString(), ctx);
              }
            }
            if (type == 5) {
              assertEquals(w.get("prefixLen"), Integer.toString(n.prefixLength()), ctx);
              assertEquals(w.get("ip"), n.prefix().toString(), ctx);
              assertEquals(w.get("gateway"), n.gateway().toString(), ctx);
            }
            if (type == 1 || type == 2) {
              // Wireshark reads these label fields as MPLS (20 high bits); RFC 8365 §5.1.3 makes
              // the raw 24 bits the VNI
              assertEquals(w.get("mplsLabel1"), Integer.toString(n.label1() >>> 4), ctx);
            }
            if (type == 5) {
              assertEquals(
                  w.get("rawLabel"),
                  Integer.toString(n.label1()),
                  ctx); // Wireshark prints this one raw
            }
            if (n.hasLabel2()) {
              assertEquals(w.get("mplsLabel2"), Integer.toString(n.label2() >>> 4), ctx);
            }
          }
        });
    assertEquals(want.size(), index[0], "every NLRI Wireshark saw");
    for (int t = 1; t <= 5; t++) {
      assertTrue(perType[t] > 0, "route type " + t + " present");
    }
    b.release();
  }

  private static ByteBuf hex(String h) {
    byte[] b = new byte[h.length() / 2];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) Integer.parseInt(h.substring(2 * i, 2 * i + 2), 16);
    }
    return Unpooled.wrappedBuffer(b);
  }

  // type 2, MAC only, one label: RD 65000:100, zero ESI, tag 100, MAC 00:00:0a:0b:0c:0d, label
  // 10100
  private static final String TYPE2 =
      "0221"
          + "0000fde800000064"
          + "00000000000000000000"
          + "00000064"
          + "30"
          + "00000a0b0c0d"
          + "00"
          + "002774";

  @Test
  void readsAHandBuiltMacRoute() {
    ByteBuf b = hex("ff" + TYPE2);
    EvpnNlri n = new EvpnNlri().wrap(b, 1, b.writerIndex());
    assertEquals(RouteType.MAC_IP_ADVERTISEMENT, n.routeType());
    assertEquals("65000:100", n.routeDistinguisher().toString());
    assertTrue(n.esi().isZero());
    assertEquals(100, n.ethernetTag());
    assertEquals("00:00:0a:0b:0c:0d", MacAddress.of(n.mac()).toString());
    assertEquals(0, n.ipLength());
    assertEquals(10100, n.label1());
    assertFalse(n.hasLabel2());
    assertEquals(35, n.totalLength());
    assertThrows(IllegalStateException.class, n::ip);
    b.release();
  }

  @Test
  void everyTruncationIsReportedWithoutAnException() {
    ByteBuf b = hex(TYPE2);
    EvpnNlri n = new EvpnNlri();
    for (int limit = 0; limit < b.writerIndex(); limit++) {
      assertFalse(n.tryWrap(b, 0, limit));
      NlriError e = Objects.requireNonNull(n.error());
      assertTrue(e.isUnparseable(), e::toString);
      assertTrue(n.errorOffset() >= 0 && n.errorOffset() <= limit);
    }
    assertTrue(n.tryWrap(b, 0, b.writerIndex()));
    b.release();
  }

  @Test
  void malformationsOfRfc7432Section7() {
    assertError(NlriError.BAD_MAC_LENGTH, 24, TYPE2.replace("0000006430", "000000642f"));
    assertError(
        NlriError.BAD_IP_LENGTH,
        31,
        "0225" + TYPE2.substring(4, 62) + "21" + "0a000001" + "002774");
    assertError(NlriError.BAD_LENGTH, 1, "0218" + "00".repeat(24));
    assertError(NlriError.BAD_LENGTH, 1, "0223" + TYPE2.substring(4) + "0000");
    assertError(
        NlriError.BAD_IP_LENGTH, 14, "0311" + "0000fde800000064" + "00000000" + "00" + "0a000001");
    assertError(NlriError.BAD_PREFIX_LENGTH, 24, "0522" + "00".repeat(22) + "21" + "00".repeat(11));
    ByteBuf unknown = hex("2a03aabbcc");
    EvpnNlri n = new EvpnNlri().wrap(unknown, 0, 5);
    assertFalse(n.routeType().isKnown());
    assertEquals(3, n.valueLength());
    unknown.release();
  }

  private static void assertError(NlriError error, int offset, String hex) {
    ByteBuf b = hex(hex);
    EvpnNlri n = new EvpnNlri();
    assertFalse(n.tryWrap(b, 0, b.writerIndex()), hex);
    assertEquals(error, n.error());
    assertEquals(offset, n.errorOffset());
    assertFalse(error.isUnparseable(), "the NLRI length is trusted: only this route is lost");
    MalformedException e =
        assertThrows(MalformedException.class, () -> n.wrap(b, 0, b.writerIndex()));
    assertEquals(offset, e.offset());
    b.release();
  }

  @Test
  void offsetsAndLimitsAtTheEndsOfTheIntRangeAreTruncationNotAnOverflow() {
    io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.wrappedBuffer(new byte[] {3, 17, 0, 0});
    EvpnNlri n = new EvpnNlri();
    assertFalse(n.tryWrap(b, Integer.MAX_VALUE, 4));
    assertEquals(NlriError.TRUNCATED_HEADER, n.error());
    assertFalse(n.tryWrap(b, Integer.MAX_VALUE - 1, Integer.MAX_VALUE));
    assertFalse(n.tryWrap(b, 0, Integer.MIN_VALUE));
    assertFalse(n.tryWrap(b, Integer.MIN_VALUE, 4));
    assertFalse(n.tryWrap(b, 0, 4), "a type 3 NLRI of 17 octets in 4");
    assertEquals(NlriError.LENGTH_EXCEEDS_CONTAINER, n.error());
    b.release();
  }
}
