package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the real peers are, and free loopback ports for them. */
public final class RealPeers {
  private RealPeers() {}

  /**
   * Skips the test when the program is not installed, unless {@code EVPNKIT_REQUIRE_PEERS=1} (as CI
   * sets it), where a missing peer fails the test instead.
   */
  public static Path require(String program) {
    for (String dir : new String[] {"/usr/bin", "/usr/sbin", "/usr/lib/frr", "/usr/local/bin"}) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    if ("1".equals(System.getenv("EVPNKIT_REQUIRE_PEERS"))) {
      throw new AssertionError(program + " is not installed (.ci/run installs the real peers)");
    }
    assumeTrue(false, program + " is not installed");
    throw new AssertionError("unreachable");
  }

  /** A TCP port free on {@code address} at the moment of asking. */
  public static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
      return s.getLocalPort();
    }
  }

  /** Polls every 50 ms until {@code poll} says yes; fails after 20 seconds with {@code what}. */
  public static void await(String what, java.util.concurrent.Callable<Boolean> poll)
      throws Exception {
    await(what, 20, poll);
  }

  /**
   * Polls every 50 ms until {@code poll} says yes; fails after {@code seconds} with {@code what}.
   */
  public static void await(String what, int seconds, java.util.concurrent.Callable<Boolean> poll)
      throws Exception {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(seconds);
    while (!poll.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  /** Stops a peer's process (SIGTERM, then SIGKILL after 10 s) and removes its directory. */
  public static void stop(Process process, Path dir) throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** A peer's log file, or why there is none (for failure messages). */
  public static String log(Path file) {
    try {
      return Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }
}
