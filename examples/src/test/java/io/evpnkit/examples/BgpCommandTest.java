package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.speaker.Gobgpd;
import io.evpnkit.speaker.RealPeers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code evpnkit bgp} against a real gobgpd on loopback addresses of its own: the routes of the
 * announce file are what gobgp's RIB shows, gobgp's routes and the session's events are what the
 * command prints, and its exit status says whether the sessions held.
 */
class BgpCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GOBGP = "127.0.0.61";
  private static final String US = "127.0.0.62";

  private static final String ROUTES =
      """
      # a host in VNI 100 that moved three times, and the VNI's flood list entry
      2:192.0.2.1:100::100::00:00:0a:0b:0c:0d::10.0.0.9/304 next-hop 192.0.2.1 label 100 \
      community target:65000:100 community encapsulation:vxlan community mac-mobility:3

      3:192.0.2.1:100::100::192.0.2.1/304 next-hop 192.0.2.1 label 100 community target:65000:100 # ours
      """;

  /** What one run printed and returned. */
  record Run(int status, String out, String err) {
    List<JsonNode> events() throws Exception {
      List<JsonNode> events = new ArrayList<>();
      for (String line : out.strip().lines().toList()) {
        if (!line.isBlank()) {
          events.add(JSON.readTree(line));
        }
      }
      return events;
    }

    JsonNode event(String name) throws Exception {
      for (JsonNode e : events()) {
        if (e.path("event").asText().equals(name)) {
          return e;
        }
      }
      throw new AssertionError("no " + name + " event in:\n" + out + "\nstderr:\n" + err);
    }
  }

  static Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status = Main.run(out, new PrintStream(err, true, StandardCharsets.UTF_8), args);
    return new Run(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static String[] command(Gobgpd gobgpd, Path routes, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "bgp",
                "--as",
                "65001",
                "--router-id",
                "192.0.2.1",
                "--local-address",
                US,
                "--peer",
                GOBGP + ":" + gobgpd.port,
                "--peer-as",
                "65000",
                "--announce",
                routes.toString(),
                "--hold-time",
                "9",
                "--connect-retry",
                "1s"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void theFileIsAnnouncedToGobgpAndGobgpsRoutesArePrintedAsJson(@TempDir Path dir)
      throws Exception {
    Path routes = dir.resolve("routes.txt");
    Files.writeString(routes, ROUTES);
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true)) {
      gobgpd.addMacIp("00:11:22:33:44:55", "10.0.0.5", 100, GOBGP + ":1", "65000:100", GOBGP);
      CompletableFuture<Run> running =
          CompletableFuture.supplyAsync(
              () ->
                  run(
                      command(
                          gobgpd,
                          routes,
                          "--json",
                          "--timeout",
                          "8s",
                          "--shutdown-message",
                          "done for today")));
      // ours, as gobgp's own JSON shows them while the session is up
      JsonNode mac = awaitPath(gobgpd, "mac:00:00:0a:0b:0c:0d", running);
      assertEquals("192.0.2.1", mac.path("attrs").findValue("nexthop").asText(), mac::toString);
      assertTrue(mac.toString().contains("\"labels\":[100]"), mac::toString);
      assertTrue(mac.toString().contains("\"sequence\":3"), mac::toString);
      JsonNode flood = awaitPath(gobgpd, "type:multicast][rd:192.0.2.1:100", running);
      JsonNode pmsi = flood.path("attrs").findParent("tunnel-id");
      assertTrue(pmsi != null, flood::toString);
      assertEquals(22, pmsi.path("type").asInt(), flood::toString);
      assertEquals(6, pmsi.path("tunnel-type").asInt(), "ingress replication: " + flood);
      assertEquals(100, pmsi.path("label").asInt(), "the VNI: " + flood);
      assertEquals("192.0.2.1", pmsi.path("tunnel-id").asText(), "the originator: " + flood);
      assertTrue(flood.toString().contains("192.0.2.1"), flood::toString);

      Run r = running.get(30, TimeUnit.SECONDS);
      assertEquals(0, r.status(), () -> r.out() + r.err() + gobgpd.log());
      JsonNode up = r.event("established");
      assertEquals(GOBGP, up.path("peer").asText());
      assertEquals(65000, up.path("peerAs").asLong());
      assertEquals(9, up.path("holdTime").asInt());
      assertEquals(2, r.event("announced").path("routes").asInt());
      JsonNode route = r.event("route");
      assertEquals("announce", route.path("action").asText());
      assertEquals(2, route.path("routeType").asInt());
      assertEquals("00:11:22:33:44:55", route.path("mac").asText());
      assertEquals("10.0.0.5", route.path("ip").asText());
      assertEquals(100, route.path("vni").asInt());
      assertEquals(GOBGP, route.path("nextHop").asText());
      assertEquals("65000", route.path("asPath").asText());
      assertEquals(
          "[\"target:65000:100\",\"encapsulation:vxlan\"]",
          route.path("extCommunities").toString());
      JsonNode bye = r.event("notification");
      assertEquals("sent", bye.path("direction").asText());
      assertEquals(6, bye.path("code").asInt());
      assertEquals(2, bye.path("subcode").asInt());
      assertEquals("done for today", bye.path("shutdownMessage").asText());
      assertEquals("", r.err(), "nothing on stderr in a clean run");
    }
  }

  @Test
  void aCeaseFromThePeerIsPrintedWithItsMessageAndFailsTheRun(@TempDir Path dir) throws Exception {
    Path routes = dir.resolve("routes.txt");
    Files.writeString(routes, "");
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true)) {
      CompletableFuture<Run> running =
          CompletableFuture.supplyAsync(() -> run(command(gobgpd, routes, "--timeout", "8s")));
      await(
          "gobgp to report the session established",
          () -> {
            try {
              return gobgpd.neighborState(US) == Gobgpd.ESTABLISHED;
            } catch (Exception e) {
              return false;
            }
          },
          running);
      // gobgp 3.10 puts --reason into the NOTIFICATION with its (deprecated) shutdown only
      gobgpd.cli("neighbor", "--reason", "maintenance window", US, "shutdown");
      Run r = running.get(30, TimeUnit.SECONDS);
      assertEquals(1, r.status(), () -> r.out() + r.err());
      assertTrue(
          r.out().contains(GOBGP + " notification received NOTIFICATION 6/2 (Cease)"), r::out);
      assertTrue(r.out().contains("\"maintenance window\""), r::out);
      assertEquals(
          1,
          r.out().lines().filter(l -> l.contains("closed connection closed by")).count(),
          () -> "the same failure of every retry is printed once: " + r.out());
    }
  }

  @Test
  void withGracefulRestartGobgpSendsEndOfRibAndTheRunEndsThere(@TempDir Path dir) throws Exception {
    Path routes = dir.resolve("routes.txt");
    Files.writeString(routes, ROUTES);
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, 30)) {
      gobgpd.addMacIp("00:11:22:33:44:55", "10.0.0.5", 100, GOBGP + ":1", "65000:100", GOBGP);
      long start = System.nanoTime();
      Run r =
          run(
              command(
                  gobgpd,
                  routes,
                  "--graceful-restart",
                  "120",
                  "--exit-after-eor",
                  "--timeout",
                  "20s",
                  "--json"));
      assertEquals(0, r.status(), () -> r.out() + r.err() + gobgpd.log());
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(15), "ended at End-of-RIB");
      List<String> order = new ArrayList<>();
      for (JsonNode e : r.events()) {
        order.add(e.path("event").asText());
      }
      assertTrue(
          order.indexOf("route") < order.indexOf("end-of-rib") && order.contains("route"),
          () -> "gobgp's route, then its End-of-RIB: " + order);
    }
  }

  @Test
  void aPeerThatNeverComesUpFailsTheRunAtTheTimeout(@TempDir Path dir) throws Exception {
    int port = RealPeers.freePort("127.0.0.63");
    Run r =
        run(
            "bgp",
            "--as",
            "65001",
            "--router-id",
            "192.0.2.1",
            "--peer",
            "127.0.0.63:" + port,
            "--peer-as",
            "65000",
            "--connect-retry",
            "1s",
            "--timeout",
            "1500ms",
            "--json");
    assertEquals(1, r.status(), () -> r.out() + r.err());
    assertEquals("closed", r.event("closed").path("event").asText());
    assertEquals(false, r.event("closed").path("wasEstablished").asBoolean());
  }

  @Test
  void usageErrorsSayWhatAndWhere(@TempDir Path dir) throws Exception {
    Path routes = dir.resolve("routes.txt");
    Files.writeString(
        routes,
        """
        2:192.0.2.1:100::100::00:00:0a:0b:0c:0d/304 label 100
        2:192.0.2.1:100::100::00:00:0a:0b:0c:0e/304 label2 x
        """);
    String[] base = {
      "bgp", "--as", "65001", "--router-id", "192.0.2.1", "--peer", "127.0.0.63", "--peer-as", "1"
    };
    Run bad = run(concat(base, "--announce", routes.toString()));
    assertEquals(2, bad.status(), bad::err);
    assertTrue(bad.err().contains("routes.txt:2:52: label2: \"x\" is not a number"), bad::err);
    Files.writeString(routes, "3:192.0.2.1:100::100::192.0.2.1/304 label2 5\n");
    assertTrue(
        run(concat(base, "--announce", routes.toString()))
            .err()
            .contains("routes.txt:1:44: label2: label2 is for type 2 routes only"));
    Files.writeString(routes, "4:192.0.2.1:1::0a0b0c0d0e0f10111213::192.0.2.1/304 esi 0\n");
    Run esi = run(concat(base, "--announce", routes.toString()));
    assertTrue(esi.err().contains("a type 4 route has its ESI in the text"), esi::err);
    Files.writeString(routes, "2:192.0.2.1:100::100::00:00:0a:0b:0c:0d/304 colour blue\n");
    Run word = run(concat(base, "--announce", routes.toString()));
    assertTrue(word.err().contains("routes.txt:1:45: unknown word \"colour\""), word::err);

    Run missing = run(concat(base, "--announce", dir.resolve("nope.txt").toString()));
    assertEquals(1, missing.status());
    assertTrue(missing.err().contains("nope.txt: no such file"), missing::err);
    Run port = run(concat(base, "--listen", "127.0.0.1:70000"));
    assertEquals(2, port.status());
    assertTrue(port.err().contains("port 70000 is not 0..65535"), port::err);
    Run name = run(concat(base, "--local-address", "localhost"));
    assertEquals(2, name.status(), "addresses only, no name lookups: " + name.err());
    Run passive = run(concat(base, "--passive"));
    assertEquals(2, passive.status());
    assertTrue(passive.err().contains("--passive needs --listen"), passive::err);
    Run hold = run(concat(base, "--hold-time", "2"));
    assertEquals(2, hold.status());
    assertTrue(hold.err().contains("hold time 2 is not 0 or 3..65535"), hold::err);
    Run duration = run(concat(base, "--timeout", "soon"));
    assertEquals(2, duration.status());
    assertTrue(duration.err().contains("'soon' is not a duration"), duration::err);
    Run help = run("bgp", "--help");
    assertEquals(0, help.status());
    assertTrue(help.out().contains("Exit status: 0 at --timeout"), help::out);
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  /** Waits until gobgp's global RIB holds a path whose key contains {@code key}; returns it. */
  private static JsonNode awaitPath(Gobgpd gobgpd, String key, CompletableFuture<Run> running)
      throws Exception {
    JsonNode[] found = new JsonNode[1];
    await(
        "gobgp's RIB to hold " + key,
        () -> {
          try {
            for (var e : gobgpd.json("global", "rib", "-a", "evpn").properties()) {
              if (e.getKey().contains(key)) {
                found[0] = e.getValue().path(0);
                return true;
              }
            }
          } catch (Exception e) {
            // not yet
          }
          return false;
        },
        running);
    return found[0];
  }

  private static void await(String what, BooleanSupplier done, CompletableFuture<Run> running)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
    while (!done.getAsBoolean()) {
      if (running.isDone()) {
        Run r = running.get();
        throw new AssertionError(
            "the command ended (" + r.status() + ") before " + what + ":\n" + r.out() + r.err());
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(100);
    }
  }
}
