package io.evpnkit.conformance.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java} code block of the README is one of {@link ReadmeSnippets}' compiled regions,
 * line for line, in the same order: an example that no longer compiles, or a README that shows
 * other code than the compiled one, fails the build.
 */
class ReadmeSnippetsTest {
  static final Path ROOT =
      java.util.Objects.requireNonNull(Path.of(System.getProperty("user.dir")).getParent());

  /** The README's {@code java} blocks. */
  static List<String> readmeBlocks() throws IOException {
    List<String> blocks = new ArrayList<>();
    StringBuilder block = null;
    for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
      if (block == null && line.equals("```java")) {
        block = new StringBuilder();
      } else if (block != null && line.equals("```")) {
        blocks.add(block.toString());
        block = null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }

  /**
   * The regions of the snippets' source between README begin and README end, without their common
   * indent.
   */
  static List<String> compiledBlocks() throws IOException {
    Path source =
        ROOT.resolve("conformance/src/test/java/io/evpnkit/conformance/readme/ReadmeSnippets.java");
    List<String> blocks = new ArrayList<>();
    List<String> region = null;
    for (String line : Files.readAllLines(source, StandardCharsets.UTF_8)) {
      if (line.strip().equals("// README begin")) {
        region = new ArrayList<>();
      } else if (line.strip().equals("// README end") && region != null) {
        int indent = Integer.MAX_VALUE;
        for (String l : region) {
          if (!l.isBlank()) {
            indent = Math.min(indent, l.length() - l.stripLeading().length());
          }
        }
        StringBuilder b = new StringBuilder();
        for (String l : region) {
          b.append(l.isBlank() ? "" : l.substring(indent)).append('\n');
        }
        blocks.add(b.toString());
        region = null;
      } else if (region != null) {
        region.add(line);
      }
    }
    return blocks;
  }

  @Test
  void theReadmeShowsExactlyTheCompiledExamples() throws IOException {
    List<String> readme = readmeBlocks();
    List<String> compiled = compiledBlocks();
    for (int i = 0; i < Math.min(readme.size(), compiled.size()); i++) {
      assertEquals(compiled.get(i), readme.get(i), "README java block " + (i + 1));
    }
    assertEquals(compiled.size(), readme.size(), "java blocks in the README and compiled regions");
  }
}
