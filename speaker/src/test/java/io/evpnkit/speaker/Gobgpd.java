package io.evpnkit.speaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real gobgpd on a loopback address and ports of its own, configured with one L2VPN/EVPN
 * neighbor, driven and read through its own CLI ({@code gobgp ... -j}). Stopped and its directory
 * removed by {@link #close}.
 */
public final class Gobgpd implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public final String address;
  public final int port;
  public final int apiPort;
  private final Path dir;
  private final Path gobgpd;
  private final Path conf;
  private Process process;
  private final Path gobgp;

  public Gobgpd(String address, long as, String neighbor, long neighborAs, boolean passive)
      throws IOException, InterruptedException {
    this(address, as, neighbor, neighborAs, passive, -1);
  }

  /**
   * A gobgpd with one neighbor; {@code restartTime} at least 0 turns graceful restart (RFC 4724) on
   * for it with that restart time, for L2VPN/EVPN.
   */
  public Gobgpd(
      String address, long as, String neighbor, long neighborAs, boolean passive, int restartTime)
      throws IOException, InterruptedException {
    this(address, as, neighbor, neighborAs, passive, restartTime, null);
  }

  /** A gobgpd whose session with the neighbor is signed with TCP MD5 ({@code auth-password}). */
  public Gobgpd(
      String address,
      long as,
      String neighbor,
      long neighborAs,
      boolean passive,
      int restartTime,
      @org.jspecify.annotations.Nullable String authPassword)
      throws IOException, InterruptedException {
    this.gobgpd = RealPeers.require("gobgpd");
    this.gobgp = RealPeers.require("gobgp");
    this.address = address;
    this.port = RealPeers.freePort(address);
    this.apiPort = RealPeers.freePort(address);
    this.dir = Files.createTempDirectory("gobgpd");
    String config =
        """
        [global.config]
          as = %d
          router-id = "%s"
          port = %d
          local-address-list = ["%s"]

        [[neighbors]]
          [neighbors.config]
            neighbor-address = "%s"
            peer-as = %d
            auth-password = "%s"
          [neighbors.transport.config]
            passive-mode = %s
            local-address = "%s"
          [neighbors.timers.config]
            connect-retry = 1
            hold-time = 9
            keepalive-interval = 3
            idle-hold-time-after-reset = 1
          [[neighbors.afi-safis]]
            [neighbors.afi-safis.config]
              afi-safi-name = "l2vpn-evpn"
        """
            .formatted(
                as,
                address,
                port,
                address,
                neighbor,
                neighborAs,
                authPassword == null ? "" : authPassword,
                passive,
                address);
    if (restartTime >= 0) {
      config +=
          """
            [neighbors.afi-safis.mp-graceful-restart.config]
              enabled = true
          [neighbors.graceful-restart.config]
            enabled = true
            restart-time = %d
          """
              .formatted(restartTime);
    }
    this.conf = dir.resolve("gobgpd.toml");
    Files.writeString(conf, config, StandardCharsets.UTF_8);
    this.process = start(false);
  }

  private Process start(boolean restarted) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                gobgpd.toString(),
                "-f",
                conf.toString(),
                "--api-hosts",
                address + ":" + apiPort,
                "-p",
                "--pprof-disable"));
    if (restarted) {
      cmd.add("-r"); // the Restart State bit: this gobgpd is a graceful restart
    }
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("gobgpd.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        cli("global");
        return p;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new IOException("gobgpd did not start: " + log(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /** Returns the daemon's process id (for its resident memory in /proc). */
  public long pid() {
    return process.pid();
  }

  /** Kills gobgpd at once (SIGKILL): its sessions' sockets close without a NOTIFICATION. */
  public void crash() throws InterruptedException {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Starts gobgpd again after {@link #crash}, with the Restart State bit when {@code restarted}.
   */
  public void startAgain(boolean restarted) throws IOException, InterruptedException {
    process = start(restarted);
  }

  /** Runs {@code gobgp} against this daemon; returns its standard output. */
  public String cli(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(gobgp.toString(), "-u", address, "-p", "" + apiPort));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).trim());
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  /**
   * Adds a MAC/IP route to gobgp's global RIB, single-homed, Ethernet tag 0, VXLAN encapsulation
   * ({@code gobgp global rib -a evpn add macadv ...}).
   */
  public void addMacIp(String mac, String ip, int vni, String rd, String rt, String nextHop)
      throws IOException, InterruptedException {
    cli(
        "global", "rib", "-a", "evpn", "add", "macadv", mac, ip, "esi", "0", "etag", "0", "label",
        "" + vni, "rd", rd, "rt", rt, "encap", "vxlan", "nexthop", nextHop);
  }

  /**
   * Withdraws a MAC/IP route {@link #addMacIp} added ({@code gobgp global rib -a evpn del macadv
   * ...}).
   */
  public void delMacIp(String mac, String ip, int vni, String rd)
      throws IOException, InterruptedException {
    cli(
        "global", "rib", "-a", "evpn", "del", "macadv", mac, ip, "esi", "0", "etag", "0", "label",
        "" + vni, "rd", rd);
  }

  /** Runs {@code gobgp ... -j} and parses what it prints. */
  public JsonNode json(String... args) throws IOException, InterruptedException {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("-j");
    return JSON.readTree(cli(a.toArray(String[]::new)));
  }

  /** The neighbor's session state as gobgp reports it (its API's numbers: 6 is established). */
  public int neighborState(String neighbor) throws IOException, InterruptedException {
    return json("neighbor", neighbor).path("state").path("session_state").asInt();
  }

  public static final int ESTABLISHED = 6;

  public String log() {
    return RealPeers.log(dir.resolve("gobgpd.log"));
  }

  @Override
  public void close() throws IOException {
    RealPeers.stop(process, dir);
  }
}
