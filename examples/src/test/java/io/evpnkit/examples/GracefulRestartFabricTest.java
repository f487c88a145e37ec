package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.linux.Netns;
import io.evpnkit.speaker.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Restarting one of two evpnkit leaves (RFC 4724), each its own process in its namespace: with
 * {@code --keep-data-plane} the restarting leaf leaves its kernel's devices and entries in place
 * and drops its session without a Cease; the other leaf, a graceful restart helper, keeps the
 * restarting leaf's routes (and so its kernel entries) as stale; the restarted leaf finds its data
 * plane, says so in its OPEN, and removes nothing until End-of-RIB. A host behind each keeps
 * pinging the other across the restart.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class GracefulRestartFabricTest {
  static String config(String vtep, String neighbor, boolean passive) {
    return KernelFabric.leafConfig(
        vtep,
        "group fabric { type internal; local-address %s; %s graceful-restart; family evpn { signaling; } neighbor %s; }"
            .formatted(vtep, passive ? "passive;" : "", neighbor));
  }

  static Process start(Netns ns, Path conf, Path control, Path log, String... more)
      throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--config", conf.toString(), "--control", control.toString(), "--json"));
    args.addAll(List.of(more));
    return KernelFabric.vtep(ns, log, args.toArray(String[]::new));
  }

  @Test
  void rfc4724_aRestartingLeafKeepsForwardingAndItsPeerKeepsItsRoutes() throws Exception {
    try (Netns a = Netns.create("gra");
        Netns b = Netns.create("grb");
        Netns ha = Netns.create("gha");
        Netns hb = Netns.create("ghb")) {
      KernelFabric.link(a, "192.0.2.1", b, "192.0.2.2");
      KernelFabric.host(a, "p1", ha, "10.0.0.1");
      KernelFabric.host(b, "p1", hb, "10.0.0.2");
      String macA = ha.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
      Path confA = Files.createTempFile("a", ".conf");
      Files.writeString(confA, config("192.0.2.1", "192.0.2.2", false));
      Path confB = Files.createTempFile("b", ".conf");
      Files.writeString(confB, config("192.0.2.2", "192.0.2.1", true));
      Path dir = Files.createTempDirectory("vtep");
      Path logA = dir.resolve("a.log");
      Path logB = dir.resolve("b.log");
      Files.createFile(logA);
      Files.createFile(logB);
      Process leafB = start(b, confB, dir.resolve("b.sock"), logB, "--listen", "192.0.2.2:179");
      Process leafA = start(a, confA, dir.resolve("a.sock"), logA, "--keep-data-plane");
      Process again = null;
      try {
        RealPeers.await(
            "the hosts to reach each other",
            40,
            () -> KernelFabric.reaches(ha, "10.0.0.2") && KernelFabric.reaches(hb, "10.0.0.1"));
        RealPeers.await(
            "leaf B's kernel to hold A's host",
            () ->
                b.exec("bridge", "fdb", "show", "dev", "vx100").contains(macA + " dst 192.0.2.1"));
        // hb pings ha all through A's restart: 8 s, every 100 ms
        KernelFabric.Pings pings = KernelFabric.Pings.start(hb, "10.0.0.1", 80, "0.1");
        pings.awaitReplies(5);
        leafA.destroy(); // SIGTERM with --keep-data-plane
        assertTrue(leafA.waitFor(20, TimeUnit.SECONDS));
        assertTrue(a.exec("ip", "link", "show").contains("vx100"), "A's data plane stays");
        Thread.sleep(500);
        assertTrue(
            b.exec("bridge", "fdb", "show", "dev", "vx100").contains(macA + " dst 192.0.2.1"),
            "B keeps A's routes as stale, and so its kernel entry: " + Files.readString(logB));
        again = start(a, confA, dir.resolve("a.sock"), logA, "--keep-data-plane");
        RealPeers.await(
            "A's restart to complete (End-of-RIB from B)",
            60,
            () -> Files.readString(logA).contains("restart-complete"));
        String out = pings.output();
        int loss = KernelFabric.loss(out);
        System.out.println(
            "graceful restart: " + loss + "% packet loss while leaf A restarted\n" + out);
        assertTrue(loss <= 5, out);
        assertTrue(Files.readString(logA).contains("\"restarted\": true"), Files.readString(logA));
        // nothing lost
        assertTrue(
            b.exec("bridge", "fdb", "show", "dev", "vx100").contains(macA + " dst 192.0.2.1"));
        ha.exec("ping", "-c", "1", "-W", "1", "10.0.0.2");
      } finally {
        for (Process p : new Process[] {leafA, again, leafB}) {
          if (p != null) {
            p.destroy();
            p.waitFor(20, TimeUnit.SECONDS);
          }
        }
        System.out.println("leaf A printed:\n" + Files.readString(logA));
        Files.delete(confA);
        Files.delete(confB);
      }
    }
  }
}
