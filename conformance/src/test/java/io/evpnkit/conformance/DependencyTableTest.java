package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of runtime dependencies is what the build's CycloneDX SBOMs say each published
 * module brings (they are written at package time, before this module's tests run).
 */
class DependencyTableTest {
  static final Path ROOT =
      java.util.Objects.requireNonNull(Path.of(System.getProperty("user.dir")).getParent());
  static final Map<String, String> DIRECTORIES =
      Map.of(
          "evpnkit-annotations", "annotations",
          "vxlan-codec", "vxlan-codec",
          "evpn-codec", "evpn-codec",
          "policy", "policy",
          "rib", "rib",
          "speaker", "speaker",
          "ovsdb", "ovsdb",
          "linux", "linux",
          "testkit", "testkit");

  /** The README table: published module -> its runtime dependencies. */
  static Map<String, java.util.Set<String>> readmeTable() throws IOException {
    Map<String, java.util.Set<String>> table = new TreeMap<>();
    Pattern row = Pattern.compile("^\\| `([a-z-]+)` \\| ([^|]+) \\|$");
    boolean inSection = false;
    for (String line : Files.readAllLines(ROOT.resolve("README.md"), StandardCharsets.UTF_8)) {
      if (line.startsWith("### Dependencies")) {
        inSection = true;
      } else if (inSection && line.startsWith("#")) {
        break;
      } else if (inSection) {
        Matcher m = row.matcher(line);
        if (m.matches()) {
          TreeSet<String> deps = new TreeSet<>();
          for (String d : java.util.List.of(m.group(2).split(",", -1))) {
            String name = d.replace("(optional)", "").strip();
            if (!name.equals("none")) {
              deps.add(name);
            }
          }
          table.put(m.group(1), deps);
        }
      }
    }
    return table;
  }

  /** The component names of a module's SBOM. */
  static java.util.Set<String> sbom(String artifact) throws IOException {
    Path target = ROOT.resolve(DIRECTORIES.get(artifact)).resolve("target");
    List<Path> files = new ArrayList<>();
    try (var s = Files.list(target)) {
      s.filter(p -> p.getFileName().toString().endsWith("-cyclonedx.json")).forEach(files::add);
    }
    assertTrue(!files.isEmpty(), () -> "no SBOM in " + target + " (mvn package writes it)");
    Path newest = files.get(0); // the build's own: an earlier version's may lie beside it
    for (Path p : files) {
      if (Files.getLastModifiedTime(p).compareTo(Files.getLastModifiedTime(newest)) > 0) {
        newest = p;
      }
    }
    Map<String, Object> sbom = MiniJson.object(Files.readString(newest, StandardCharsets.UTF_8));
    java.util.Set<String> names = new TreeSet<>();
    if (sbom.get("components") instanceof List<?> components) { // absent without dependencies
      for (Object c : components) {
        names.add(String.valueOf(((Map<?, ?>) c).get("name")));
      }
    }
    names.remove(artifact);
    return names;
  }

  @Test
  void theReadmeListsWhatEachPublishedModuleBringsAtRunTime() throws IOException {
    Map<String, java.util.Set<String>> table = readmeTable();
    assertEquals(
        new TreeSet<>(DIRECTORIES.keySet()), new TreeSet<>(table.keySet()), "modules in the table");
    for (String module : DIRECTORIES.keySet()) {
      assertEquals(table.get(module), sbom(module), module + ": README vs CycloneDX SBOM");
    }
    assertTrue(String.valueOf(table.get("evpn-codec")).contains("netty-buffer"));
  }
}
