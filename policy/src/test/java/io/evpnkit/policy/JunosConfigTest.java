package io.evpnkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JunosConfigTest {
  static String resource(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(JunosConfigTest.class.getResourceAsStream("/" + name))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static final String SEED_AS_SET =
      """
      set vlans v100 vlan-id 100
      set vlans v100 vxlan vni 100
      set vlans v100 vxlan ingress-node-replication
      set vlans v101 vlan-id 101
      set vlans v101 vxlan vni 101
      set vlans v101 vxlan ingress-node-replication
      set interfaces xe-0/0/0 unit 0 family ethernet-switching interface-mode trunk
      set interfaces xe-0/0/0 unit 0 family ethernet-switching vlan members v100
      set interfaces xe-0/0/0 unit 0 family ethernet-switching vlan members v101
      set switch-options vtep-source-interface lo0.0
      set switch-options route-distinguisher 1.2.3.11:1
      set switch-options vrf-import imp
      set switch-options vrf-target target:1111:11
      set switch-options vrf-target auto
      set protocols evpn encapsulation vxlan
      set protocols evpn extended-vni-list [ 100 101 ]
      set policy-options policy-statement imp term 1 from community comglobal
      set policy-options policy-statement imp term 1 then accept
      set policy-options policy-statement imp term 100 then reject
      set policy-options community comglobal members target:1111:11
      """;

  @Test
  void theDecksSampleReadsTheSameInBothForms() throws IOException {
    JunosConfig curly = JunosConfig.parse(resource("seed-vtep-bms.conf"));
    JunosConfig set = JunosConfig.parse(SEED_AS_SET);
    assertEquals(set, curly);
    assertEquals(21, curly.statements().size());
    assertEquals(
        List.of("vni", "100"), curly.select("vlans", "v100", "vxlan").get(0).words().subList(3, 5));
    assertEquals(2, curly.select("switch-options", "vrf-target").size());
    // where each statement was written
    JunosConfig.Statement vni = curly.select("vlans", "v101", "vxlan", "vni").get(0);
    assertEquals(14, vni.line());
    assertEquals(17, vni.column());
    // display set, and back
    assertEquals(curly, JunosConfig.parse(curly.toSetCommands()));
    assertTrue(curly.toSetCommands().startsWith("set vlans v100 vlan-id 100\n"));
  }

  @Test
  void theDecksDamagedTextFailsWhereTheDamageIs() throws IOException {
    String damaged = resource("seed-vtep-bms-damaged.txt");
    ConfigException e = assertThrows(ConfigException.class, () -> JunosConfig.parse(damaged));
    // the first damage: "ßor all" after extended-vni-list (an arrow glyph extracted as U+00DF)
    int at = damaged.indexOf('\u00DF');
    int line = 1 + (int) damaged.substring(0, at).chars().filter(c -> c == '\n').count();
    int column = at - damaged.lastIndexOf('\n', at - 1);
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(e.reason().contains("U+00DF"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a {                 | 1 | 4 | expected '}' to close",
        "a b }               | 1 | 5 | expected ';' or '{'",
        "}                   | 1 | 1 | '}' without a '{'",
        "a [ b { ] ;         | 1 | 7 | expected a value or ']'",
        "a [ b ] c           | 1 | 9 | expected ';' after ']'",
        "a \"b               | 1 | 3 | unterminated quoted string",
        "a /* b              | 1 | 3 | unterminated comment",
        "set a b\\nc d       | 2 | 1 | expected \"set\"",
        "set a { b           | 1 | 7 | unexpected \"{\"",
      })
  void errorsSayWhereAndWhatWasExpected(String text, int line, int column, String reason) {
    ConfigException e =
        assertThrows(ConfigException.class, () -> JunosConfig.parse(text.replace("\\n", "\n")));
    assertEquals(line, e.line(), e.getMessage());
    assertEquals(column, e.column(), e.getMessage());
    assertTrue(e.reason().startsWith(reason), e.getMessage());
  }

  @Test
  void quotedWordsCommentsAndEmptyBlocks() {
    JunosConfig c =
        JunosConfig.parse(
            """
        # a comment
        system { host-name "leaf 1"; /* inline */ }
        protocols { evpn { } }
        description "say \\"hi\\"";
        """);
    assertEquals(
        List.of(
            List.of("system", "host-name", "leaf 1"),
            List.of("protocols", "evpn"),
            List.of("description", "say \"hi\"")),
        c.statements().stream().map(JunosConfig.Statement::words).toList());
    assertEquals(c, JunosConfig.parse(c.toSetCommands()));
    assertEquals("set system host-name \"leaf 1\"", c.statements().get(0).toSetCommand());
    // a Jazzer find: a quoted word starting with /* must stay quoted in the set form
    JunosConfig comment = JunosConfig.parse("a \"/*b\";");
    assertEquals(comment, JunosConfig.parse(comment.toSetCommands()));
    // another: a quoted word with a line break in it, then more words of the same set command
    JunosConfig broken = JunosConfig.parse("a \"b\nc\" d;");
    assertEquals(broken, JunosConfig.parse(broken.toSetCommands()));
  }

  @org.junit.jupiter.api.Test
  void hostileDepthAndLengthAreRefusedWithTheirPlaceNotAStackOverflow() {
    String nested = "a {\n".repeat(3000) + "b;\n" + "}\n".repeat(3000);
    ConfigException deep =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class, () -> JunosConfig.parse(nested));
    // the 257th level: its statement (the path of words) is one word too long
    org.junit.jupiter.api.Assertions.assertEquals(
        JunosConfig.MAX_DEPTH + 1, deep.line(), deep::getMessage);
    org.junit.jupiter.api.Assertions.assertTrue(
        String.valueOf(deep.getMessage()).contains("more than 256 words"), deep::getMessage);
    String longSet = "set " + "w ".repeat(8000) + "x";
    ConfigException wide =
        org.junit.jupiter.api.Assertions.assertThrows(
            ConfigException.class, () -> JunosConfig.parse(longSet));
    org.junit.jupiter.api.Assertions.assertTrue(
        String.valueOf(wide.getMessage()).contains("more than 256 words"), wide::getMessage);
    // the deepest accepted hierarchy reads and renders back
    int levels = JunosConfig.MAX_DEPTH - 1; // and a last word: a statement of MAX_WORDS words
    String ok = "a {\n".repeat(levels) + "b;\n" + "}\n".repeat(levels);
    JunosConfig c = JunosConfig.parse(ok);
    org.junit.jupiter.api.Assertions.assertEquals(
        c.statements(), JunosConfig.parse(c.format()).statements());
  }
}
