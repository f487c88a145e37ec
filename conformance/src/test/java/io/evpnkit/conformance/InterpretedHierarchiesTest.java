package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.policy.VtepConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration section names every hierarchy the model interprets, as VtepConfig has
 * them.
 */
class InterpretedHierarchiesTest {
  @Test
  void theReadmeListsEveryInterpretedHierarchy() throws IOException {
    Path root =
        java.util.Objects.requireNonNull(Path.of(System.getProperty("user.dir")).getParent());
    String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("The model interprets these hierarchies");
    assertTrue(section >= 0, "the README's configuration section says what the model interprets");
    String text = readme.substring(section, readme.indexOf("\n\n", section)).replace("\n", " ");
    for (List<String> path : VtepConfig.INTERPRETED) {
      String shown = "`" + String.join(" ", path).replace("*", "NAME") + "`";
      assertTrue(text.contains(shown), () -> shown + " is not in: " + text);
    }
  }
}
