package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.policy.ConfigException;
import io.evpnkit.policy.JunosConfig;
import java.nio.charset.StandardCharsets;

/** Jazzer targets for the policy module's text readers (corpus in {@code PolicyFuzzTestInputs/}). */
class PolicyFuzzTest {
  /**
   * Configuration text: it reads, and its {@code set} form reads back to the same statements; or it fails with a
   * {@link ConfigException} whose line and column lie inside the text.
   */
  @FuzzTest(maxDuration = "10m")
  void configText(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      JunosConfig c = JunosConfig.parse(text);
      assertEquals(c, JunosConfig.parse(c.toSetCommands()));
    } catch (ConfigException e) {
      long lines = 1 + text.chars().filter(ch -> ch == '\n').count();
      assertTrue(e.line() >= 1 && e.line() <= lines && e.column() >= 1, e.getMessage());
    }
  }
}
