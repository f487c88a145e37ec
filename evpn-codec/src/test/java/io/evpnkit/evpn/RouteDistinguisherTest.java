package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RouteDistinguisherTest {
  @ParameterizedTest
  @CsvSource({
    "65000:100, 0, 0000fde800000064",
    "0:0, 0, 0000000000000000",
    "65535:4294967295, 0, 0000ffffffffffff",
    "1.2.3.11:1, 1, 00010102030b0001",
    "1.2.3.12:0, 1, 00010102030c0000",
    "255.255.255.255:65535, 1, 0001ffffffffffff",
    "4200000000:7, 2, 0002fa56ea000007",
    "65536:1, 2, 0002000100000001",
    "65000L:7, 2, 00020000fde80007",
    "rd-type-3:0011223344ff, 3, 00030011223344ff",
  })
  void parsesFormatsAndEncodes(String text, int type, String hex) {
    RouteDistinguisher rd = RouteDistinguisher.parse(text);
    assertEquals(type, rd.type());
    assertEquals(Long.parseUnsignedLong(hex, 16), rd.value());
    assertEquals(text, rd.toString());
    assertEquals(rd, RouteDistinguisher.parse(rd.toString()));
    ByteBuf b = Unpooled.buffer(16).writerIndex(16);
    rd.write(b, 5);
    assertEquals(rd, RouteDistinguisher.read(b, 5));
    b.release();
  }

  @Test
  void fieldsOfEachType() {
    RouteDistinguisher t0 = RouteDistinguisher.parse("65000:100");
    assertEquals(65000, t0.administrator());
    assertEquals(100, t0.assignedNumber());
    RouteDistinguisher t1 = RouteDistinguisher.parse("1.2.3.11:1");
    assertEquals(0x0102030BL, t1.administrator());
    RouteDistinguisher t2 = RouteDistinguisher.parse("4200000000:7");
    assertEquals(4_200_000_000L, t2.administrator());
    assertEquals(7, t2.assignedNumber());
    assertThrows(
        IllegalStateException.class,
        () -> RouteDistinguisher.parse("rd-type-9:000000000000").administrator());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":",
        "65000",
        "65000:",
        ":1",
        "abc:1",
        "1.2.3:1",
        "1.2.3.4.5:1",
        "1.2.3.256:1",
        "4294967296:1",
        "65536:65536",
        "1.2.3.4:65536",
        "65000:4294967296",
        "rd-type-3:00",
        "-1:1",
        "65000L:65536"
      })
  void rejectsWhatIsNotAnRd(String text) {
    MalformedException e =
        assertThrows(MalformedException.class, () -> RouteDistinguisher.parse(text));
    assertTrue(e.offset() >= 0 && e.offset() <= text.length(), e.getMessage());
  }

  @Test
  void ordersUnsignedAndComparesByValue() {
    RouteDistinguisher small = RouteDistinguisher.parse("1:1");
    RouteDistinguisher large = RouteDistinguisher.of(0xFFFF_0000_0000_0000L);
    assertTrue(small.compareTo(large) < 0);
    new EqualsTester()
        .addEqualityGroup(
            RouteDistinguisher.parse("65000:100"), RouteDistinguisher.ofAs2(65000, 100))
        .addEqualityGroup(
            RouteDistinguisher.parse("65000L:100"), RouteDistinguisher.ofAs4(65000, 100))
        .addEqualityGroup(RouteDistinguisher.parse("1.2.3.11:1"))
        .testEquals();
  }

  @Test
  void readRejectsShortInput() {
    ByteBuf b = Unpooled.buffer(7).writerIndex(7);
    assertEquals(
        0, assertThrows(MalformedException.class, () -> RouteDistinguisher.read(b, 0)).offset());
    b.release();
  }
}
