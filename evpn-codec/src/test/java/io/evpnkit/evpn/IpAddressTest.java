package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.testing.EqualsTester;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddressTest {
  @ParameterizedTest
  @CsvSource({
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "::, ::",
    "::1, ::1",
    "1::, 1::",
    "::ffff:1.2.3.4, ::ffff:102:304",
    "FD00:0:0:0:0:0:0:A, fd00::a",
    "10.0.0.5, 10.0.0.5",
  })
  void parsesAndFormatsCanonically(String text, String canonical) {
    IpAddress a = IpAddress.parse(text);
    assertEquals(canonical, a.toString());
    assertEquals(a, IpAddress.parse(canonical));
  }

  @Test
  void agreesWithTheJdkOnRandomAddresses() throws Exception {
    SplittableRandom r = new SplittableRandom(5952);
    for (int i = 0; i < 2000; i++) {
      byte[] b = new byte[16];
      for (int k = 0; k < 16; k++) {
        b[k] = (byte) (r.nextInt(4) == 0 ? r.nextInt(256) : 0);
      }
      IpAddress a = IpAddress.parse(InetAddress.getByAddress(b).getHostAddress());
      ByteBuf buf = Unpooled.wrappedBuffer(b);
      assertEquals(a, IpAddress.read(buf, 0, 128));
      assertEquals(a, IpAddress.parse(a.toString()));
      assertEquals(InetAddress.getByAddress(b), InetAddress.getByName(a.toString()));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1.2.3",
        "1.2.3.4.5",
        "256.0.0.1",
        ":::",
        "1::2::3",
        "1:2:3:4:5:6:7:8:9",
        "12345::",
        "1:2:3:4:5:6:7",
        "g::1",
        "1:",
        "::1.2.3"
      })
  void rejectsMalformedText(String text) {
    assertThrows(MalformedException.class, () -> IpAddress.parse(text));
  }

  @Test
  void wireAndOrder() {
    ByteBuf b = Unpooled.buffer(20).writerIndex(20);
    IpAddress v6 = IpAddress.parse("2001:db8::7");
    v6.write(b, 2);
    assertEquals(v6, IpAddress.read(b, 2, 128));
    assertThrows(MalformedException.class, () -> IpAddress.read(b, 0, 48));
    assertThrows(MalformedException.class, () -> IpAddress.read(b, 8, 128));
    b.release();
    assertTrue(IpAddress.parse("255.255.255.255").compareTo(IpAddress.parse("::")) < 0);
    new EqualsTester()
        .addEqualityGroup(IpAddress.parse("10.0.0.1"), IpAddress.ofIpv4(0x0A000001))
        .addEqualityGroup(IpAddress.parse("::a00:1"))
        .testEquals();
  }
}
