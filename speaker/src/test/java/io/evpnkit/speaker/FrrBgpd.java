package io.evpnkit.speaker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real FRR bgpd without zebra ({@code -Z -n}) on a loopback address and port of its own, its vty
 * socket in a directory of its own, read through {@code vtysh --vty_socket ... -c '... json'}.
 * Stopped and its directory removed by {@link #close}.
 */
public final class FrrBgpd implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  public final String address;
  public final int port;
  private final Path dir;
  private final Process process;
  private final Path vtysh;

  /**
   * Starts bgpd with the {@code router bgp} configuration given.
   *
   * @param routerBgp the configuration from {@code router bgp ...} on
   */
  public FrrBgpd(String address, String routerBgp) throws IOException, InterruptedException {
    Path bgpd = RealPeers.require("bgpd");
    this.vtysh = RealPeers.require("vtysh");
    this.address = address;
    this.port = RealPeers.freePort(address);
    this.dir = Files.createTempDirectory("frr");
    Path conf = dir.resolve("bgpd.conf");
    Files.writeString(
        conf,
        "frr defaults datacenter\nhostname evpnkit-test\n" + routerBgp,
        StandardCharsets.UTF_8);
    this.process =
        new ProcessBuilder(
                bgpd.toString(),
                "-Z",
                "-S",
                "-n",
                "-p",
                Integer.toString(port),
                "-l",
                address,
                "-f",
                conf.toString(),
                "--vty_socket",
                dir.toString(),
                "-i",
                dir.resolve("bgpd.pid").toString(),
                "-P",
                "0",
                "--log",
                "file:" + dir.resolve("bgpd.log"))
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("bgpd.out").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        json("show bgp summary json");
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !process.isAlive()) {
          throw new IOException("bgpd did not start: " + log(), e);
        }
        Thread.sleep(100);
      }
    }
  }

  /**
   * The {@code router bgp} of an iBGP route reflector in AS 65000 whose L2VPN/EVPN clients connect
   * to it (passive, hold time 9 s).
   */
  public static String routeReflector(String address, String... clients) {
    StringBuilder sb =
        new StringBuilder("router bgp 65000\n bgp router-id ")
            .append(address)
            .append("\n no bgp default ipv4-unicast\n");
    for (String c : clients) {
      sb.append(" neighbor ").append(c).append(" remote-as 65000\n");
      sb.append(" neighbor ").append(c).append(" passive\n");
      sb.append(" neighbor ").append(c).append(" timers 3 9\n");
    }
    sb.append(" address-family l2vpn evpn\n");
    for (String c : clients) {
      sb.append("  neighbor ").append(c).append(" activate\n");
      sb.append("  neighbor ").append(c).append(" route-reflector-client\n");
    }
    return sb.append(" exit-address-family\n").toString();
  }

  /** Returns bgpd's process id (for its resident memory in /proc). */
  public long pid() {
    return process.pid();
  }

  /** Runs one vtysh command against this bgpd; returns what it prints. */
  public String command(String command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(vtysh.toString(), "--vty_socket", dir.toString(), "-c", command)
            .redirectErrorStream(true)
            .start();
    byte[] out = p.getInputStream().readAllBytes();
    String text = new String(out, StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("vtysh -c '" + command + "': " + text.trim());
    }
    return text;
  }

  /** Runs one vtysh command against this bgpd and parses its JSON. */
  public JsonNode json(String command) throws IOException, InterruptedException {
    String text = command(command);
    if (!text.startsWith("{")) {
      throw new IOException("vtysh -c '" + command + "': " + text.trim());
    }
    return JSON.readTree(text);
  }

  /** The BGP state of a neighbor as FRR reports it ("Established", "Active", ...). */
  public String neighborState(String neighbor) throws IOException, InterruptedException {
    return json("show bgp neighbors " + neighbor + " json")
        .path(neighbor)
        .path("bgpState")
        .asText();
  }

  public String log() {
    return RealPeers.log(dir.resolve("bgpd.log"));
  }

  @Override
  public void close() throws IOException {
    RealPeers.stop(process, dir);
  }
}
