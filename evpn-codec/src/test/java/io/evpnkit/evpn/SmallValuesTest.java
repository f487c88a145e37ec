package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** MacAddress, EthernetTag and LabelField. */
class SmallValuesTest {
  @Test
  void macAddress() {
    MacAddress m = MacAddress.parse("00:00:0A:0b:0c:0d");
    assertEquals("00:00:0a:0b:0c:0d", m.toString());
    assertEquals(m, MacAddress.parse("00-00-0a-0b-0c-0d"));
    assertFalse(m.isMulticast());
    assertTrue(MacAddress.BROADCAST.isMulticast());
    ByteBuf b = Unpooled.buffer(9).writerIndex(9);
    m.write(b, 3);
    assertEquals(m, MacAddress.read(b, 3));
    assertThrows(MalformedException.class, () -> MacAddress.read(b, 4));
    b.release();
    assertThrows(IllegalArgumentException.class, () -> MacAddress.of(1L << 48));
    new EqualsTester()
        .addEqualityGroup(m, MacAddress.of(0x0A0B0C0DL))
        .addEqualityGroup(MacAddress.BROADCAST)
        .testEquals();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "00:00:0a:0b:0c",
        "00:00:0a:0b:0c:0d:0e",
        "000:00:0a:0b:0c:0d",
        "00:00:0a:0b:0c:0g",
        "00:00:0a:0b:0c:"
      })
  void macAddressRejects(String text) {
    assertThrows(MalformedException.class, () -> MacAddress.parse(text));
  }

  @Test
  void ethernetTag() {
    assertSame(EthernetTag.MAX, EthernetTag.parse("4294967295"));
    assertSame(EthernetTag.ZERO, EthernetTag.of(0));
    assertEquals("100", EthernetTag.of(100).toString());
    assertTrue(EthernetTag.MAX.compareTo(EthernetTag.of(1)) > 0, "unsigned order");
    assertThrows(MalformedException.class, () -> EthernetTag.parse("4294967296"));
    assertThrows(IllegalArgumentException.class, () -> EthernetTag.of(-1));
    ByteBuf b = Unpooled.buffer(4).writerIndex(4);
    EthernetTag.MAX.write(b, 0);
    assertEquals(EthernetTag.MAX, EthernetTag.read(b, 0));
    b.release();
  }

  @Test
  void labelFieldReadsAsVniOrMplsLabel() {
    LabelField vni = LabelField.ofVni(10100);
    assertEquals(10100, vni.vni());
    assertEquals(10100, vni.raw());
    LabelField mpls = LabelField.ofMplsLabel(299776);
    assertEquals(299776, mpls.mplsLabel());
    assertTrue(mpls.bottomOfStack());
    assertEquals((299776 << 4) | 1, mpls.raw());
    assertEquals(mpls, LabelField.parse(mpls.toString()));
    assertThrows(IllegalArgumentException.class, () -> LabelField.of(1 << 24));
    assertThrows(IllegalArgumentException.class, () -> LabelField.ofMplsLabel(1 << 20));
    ByteBuf b = Unpooled.buffer(5).writerIndex(5);
    vni.write(b, 2);
    assertEquals(vni, LabelField.read(b, 2));
    assertThrows(MalformedException.class, () -> LabelField.read(b, 3));
    b.release();
  }
}
