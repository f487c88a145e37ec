package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
  @ParameterizedTest
  @CsvSource({
    // RFC 5952 §4 examples and edge cases
    "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
    "2001:0db8:0000:0000:0001:0000:0000:0001, 2001:db8::1:0:0:1",
    "2001:0000:0000:0001:0000:0000:0000:0001, 2001:0:0:1::1",
    "2001:0db8:0000:0001:0001:0001:0001:0001, 2001:db8:0:1:1:1:1:1",
    "0000:0000:0000:0000:0000:0000:0000:0000, ::",
    "0000:0000:0000:0000:0000:0000:0000:0001, ::1",
    "0001:0000:0000:0000:0000:0000:0000:0000, 1::",
    "fe80:0000:0000:0000:5054:00ff:fe00:0301, fe80::5054:ff:fe00:301",
    "2001:0DB8:AAAA:BBBB:CCCC:DDDD:EEEE:FFFF, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
  })
  void formatsIpv6AsRfc5952(String full, String canonical) {
    byte[] b = Addresses.parseIp(full);
    assertEquals(canonical, Addresses.ipv6ToString(Addresses.ipv6High(b), Addresses.ipv6Low(b)));
    assertArrayEquals(b, Addresses.parseIp(canonical));
  }

  @ParameterizedTest
  @CsvSource({"00:1c:73:0a:0b:0c", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00"})
  void macRoundTrips(String mac) {
    assertEquals(mac, Addresses.macToString(Addresses.parseMac(mac)));
    assertEquals(
        mac,
        Addresses.macToString(
            Addresses.parseMac(mac.toUpperCase(java.util.Locale.ROOT).replace(':', '-'))));
  }

  @ParameterizedTest
  @CsvSource({"0.0.0.0", "192.0.2.1", "255.255.255.255"})
  void ipv4RoundTrips(String ip) {
    assertEquals(ip, Addresses.ipv4ToString(Addresses.ipv4(Addresses.parseIp(ip))));
  }

  @ParameterizedTest
  @CsvSource({"not-an-ip", "1.2.3", "example.com", "1:2:3:4:5:6:7:8:9", "00:1c:73"})
  void rejectsWhatIsNotALiteral(String text) {
    assertThrows(IllegalArgumentException.class, () -> Addresses.parseIp(text));
    assertThrows(IllegalArgumentException.class, () -> Addresses.parseMac(text));
  }

  @org.junit.jupiter.api.Test
  void macDigitsAreAsciiHexOnlyAndErrorsCutLongInputs() {
    // U+0660 is ARABIC-INDIC DIGIT ZERO: Integer.parseInt takes it, a MAC address does not
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Addresses.parseMac("00:00:0a:0b:0c:\u0660d"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Addresses.parseMac("z".repeat(100_000)));
    org.junit.jupiter.api.Assertions.assertTrue(
        String.valueOf(e.getMessage()).length() < 100, e::getMessage);
  }
}
