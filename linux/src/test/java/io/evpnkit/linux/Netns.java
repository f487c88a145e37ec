package io.evpnkit.linux;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test creates ({@code ip netns add}) and deletes, with the kernel's own
 * tools run inside it ({@code ip netns exec}) as the oracle: {@code ip -j}, {@code bridge -j}.
 * Needs root (CI runs as root); without it the test is skipped, unless {@code
 * EVPNKIT_REQUIRE_PEERS=1}, where it fails.
 */
public final class Netns implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger COUNT = new AtomicInteger();

  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  /** Creates a namespace named {@code evk-TAG-PID-N} with its loopback up. */
  public static Netns create(String tag) throws Exception {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!root) {
      if ("1".equals(System.getenv("EVPNKIT_REQUIRE_PEERS"))) {
        throw new AssertionError("network namespaces need root");
      }
      assumeTrue(false, "network namespaces need root");
    }
    String name =
        "evk-" + tag + "-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
    run(List.of("ip", "netns", "add", name));
    Netns ns = new Netns(name);
    ns.exec("ip", "link", "set", "lo", "up");
    return ns;
  }

  /** The namespace's name. */
  public String name() {
    return name;
  }

  /** Runs a command inside the namespace and returns its output. */
  public String exec(String... cmd) throws Exception {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(cmd));
    return run(all);
  }

  /** Runs a command that prints JSON ({@code ip -j ...}) inside the namespace. */
  public JsonNode json(String... cmd) throws Exception {
    String out = exec(cmd).strip();
    return JSON.readTree(out.isEmpty() ? "[]" : out);
  }

  /** Runs a command in this process's namespace and returns its output. */
  public static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).trim());
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /** Deletes the namespace (and with it every device in it). */
  @Override
  public void close() throws IOException {
    try {
      run(List.of("ip", "netns", "del", name));
    } catch (IOException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException("ip netns del " + name, e);
    }
  }
}
