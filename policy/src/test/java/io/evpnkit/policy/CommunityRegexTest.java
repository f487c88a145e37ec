package io.evpnkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CommunityRegexTest {
  static boolean matches(String regex, String text) {
    return Pattern.compile(CommunityRegex.translate(regex)).matcher(text).matches();
  }

  @Test
  void posixExtendedExpressionsAsJunosWritesThem() {
    assertTrue(matches("^6500[0-9]:1..$", "65003:123"));
    assertFalse(matches("^6500[0-9]:1..$", "65003:23"));
    assertTrue(matches("target:65001:(100|200)", "target:65001:200"));
    assertTrue(matches("65001:[^:]*", "65001:7"));
    assertTrue(matches("6500{2}1:.*", "650001:7"));
    assertTrue(matches("large:65001:1:[0-9]+", "large:65001:1:2"));
    assertTrue(matches("a\\.b", "a.b"));
    assertFalse(matches("a\\.b", "axb"));
  }

  @Test
  void badOrDangerousExpressionsAreRefusedWithThePlace() {
    assertEquals(
        "'(' not closed at index 7 of \"target:(\"",
        assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("target:("))
            .getMessage());
    assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("*1"));
    assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("[9-0]"));
    assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("1{3,2}"));
    assertThrows(
        IllegalArgumentException.class,
        () -> CommunityRegex.translate("(1*)*"),
        "nested repetition");
    assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("a**"));
    assertThrows(IllegalArgumentException.class, () -> CommunityRegex.translate("\\d"));
  }

  @Test
  void whateverItAcceptsCompiles() {
    String alphabet = "01289:ab.*+?{},|()[]^$\\-_ x";
    Random r = new Random(0x5eed);
    int accepted = 0;
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int n = 1 + r.nextInt(12); n > 0; n--) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      String source;
      try {
        source = CommunityRegex.translate(sb.toString());
      } catch (IllegalArgumentException e) {
        continue;
      }
      Pattern.compile(source); // throws if the translation let something invalid through
      accepted++;
    }
    assertTrue(accepted > 10_000, "the generator reaches valid expressions: " + accepted);
  }
}
