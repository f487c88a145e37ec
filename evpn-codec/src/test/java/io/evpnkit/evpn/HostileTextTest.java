package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Text from users or tools: digits of other scripts are no hex digits, and errors quote inputs on
 * one short line.
 */
class HostileTextTest {
  static final String ARABIC_INDIC_ZERO = "\u0660";

  @Test
  void digitsOfOtherScriptsAreNotHexDigits() {
    String route = "2:1.2.3.12:1::100::00:00:0a:0b:0c:" + ARABIC_INDIC_ZERO + "d/304";
    MalformedException e =
        assertThrows(MalformedException.class, () -> EvpnRoutes.parseJunos(route));
    assertTrue(e.reason().contains("hex digits only"), e::getMessage);
    assertThrows(
        MalformedException.class,
        () -> MacAddress.parse("00:00:0a:0b:0c:" + ARABIC_INDIC_ZERO + "d"));
    assertThrows(
        MalformedException.class,
        () -> EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:9" + ARABIC_INDIC_ZERO));
    assertEquals(
        MacAddress.parse("00:00:0a:0b:0c:0d"),
        MacAddress.parse("00:00:0A:0B:0C:0D"),
        "ASCII, any case");
  }

  @Test
  void errorsQuoteControlCharactersEscapedAndCutLongInputs() {
    String hostile = "2:\u0000\n\u001b[31m" + "x".repeat(1_000_000);
    MalformedException e =
        assertThrows(MalformedException.class, () -> EvpnRoutes.parseJunos(hostile));
    String m = String.valueOf(e.getMessage());
    assertTrue(m.length() < 300, () -> m.length() + " characters: " + m.substring(0, 300));
    assertFalse(
        m.chars().anyMatch(c -> c < 0x20), "no control character reaches the message: " + m);
    assertTrue(m.contains("\\u0000\\n\\u001b[31m"), m);
    assertTrue(m.contains("(cut: 1000009 characters)"), m);
    assertEquals("\"a \\\"b\\\" \\\\ c\"", MalformedException.quote("a \"b\" \\ c"));
  }
}
