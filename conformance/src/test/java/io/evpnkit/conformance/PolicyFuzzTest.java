package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.policy.ConfigException;
import io.evpnkit.policy.InvalidConfigException;
import io.evpnkit.policy.JunosConfig;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.VtepConfig;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer targets for the policy module's text readers (corpus in {@code PolicyFuzzTestInputs/}).
 */
class PolicyFuzzTest {
  /**
   * Configuration text: it reads, and its {@code set} and curly forms read back to the same
   * statements; or it fails with a {@link ConfigException} whose line and column lie inside the
   * text. What reads is then validated as a VTEP model: either every problem has a place inside the
   * text, or the model renders and reads back equal and all its policies compile.
   */
  @FuzzTest(maxDuration = "10m")
  void configText(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    try {
      JunosConfig c = JunosConfig.parse(text);
      assertEquals(c, JunosConfig.parse(c.toSetCommands()));
      assertEquals(c, JunosConfig.parse(c.format()), c::format);
      try {
        VtepConfig v = VtepConfig.from(c);
        assertEquals(v, VtepConfig.parse(v.format()), v::format);
        PolicyChain.compile(
            v.policyOptions(), java.util.List.copyOf(v.policyOptions().policies().keySet()), false);
      } catch (InvalidConfigException e) {
        long lines = 1 + text.chars().filter(ch -> ch == '\n').count();
        for (ConfigException p : e.problems()) {
          assertTrue(p.line() >= 1 && p.line() <= lines && p.column() >= 1, p.getMessage());
        }
      }
    } catch (ConfigException e) {
      long lines = 1 + text.chars().filter(ch -> ch == '\n').count();
      assertTrue(e.line() >= 1 && e.line() <= lines && e.column() >= 1, e.getMessage());
    }
  }
}
