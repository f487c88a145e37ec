package io.evpnkit.linux;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.speaker.RealPeers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An FRR leaf in a namespace: zebra and bgpd ({@code advertise-all-vni}, the traditional bridge per
 * VNI that zebra reads from the kernel), their vty sockets and logs in a folder of their own, read
 * through {@code vtysh --vty_socket ... json}. The bridge and VXLAN devices are the caller's (made
 * with {@code ip}, as an FRR user does). Stopped by {@link #close}.
 */
public final class FrrLeaf implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  /** Starts zebra, then bgpd with {@code frrConf} ({@code router bgp ...}), in {@code ns}. */
  public FrrLeaf(Netns ns, String frrConf) throws Exception {
    this(ns, "", frrConf);
  }

  /**
   * Starts zebra with {@code zebraConf} (an L3 VNI's {@code vni N}, ...), then bgpd with {@code
   * frrConf}, in {@code ns}.
   */
  public FrrLeaf(Netns ns, String zebraConf, String frrConf) throws Exception {
    Path zebra = RealPeers.require("zebra");
    Path bgpd = RealPeers.require("bgpd");
    RealPeers.require("vtysh");
    this.dir = Files.createTempDirectory("frr-" + ns.name());
    Files.writeString(dir.resolve("zebra.conf"), zebraConf, StandardCharsets.UTF_8);
    Files.writeString(
        dir.resolve("bgpd.conf"), "frr defaults datacenter\n" + frrConf, StandardCharsets.UTF_8);
    // zebra has no --skip_runas: it runs as FRR's user, whose group may write the folder
    Netns.run(List.of("chown", "-R", "frr:frr", dir.toString()));
    Netns.run(List.of("chmod", "770", dir.toString()));
    for (String[] d : new String[][] {{zebra.toString(), "zebra"}, {bgpd.toString(), "bgpd"}}) {
      ns.exec(
          d[0],
          "-d",
          "-u",
          "frr",
          "-g",
          "frr",
          "-P",
          "0",
          "-f",
          dir.resolve(d[1] + ".conf").toString(),
          "--vty_socket",
          dir.toString(),
          "-z",
          dir.resolve("zserv.api").toString(),
          "-i",
          dir.resolve(d[1] + ".pid").toString(),
          "--log",
          "file:" + dir.resolve(d[1] + ".log"));
      RealPeers.await(d[1] + " to start", () -> Files.exists(dir.resolve(d[1] + ".pid")));
    }
  }

  /** Runs {@code vtysh -c COMMAND} (a {@code ... json} show) and parses what it prints. */
  public JsonNode json(String command) throws Exception {
    String out = Netns.run(List.of("vtysh", "--vty_socket", dir.toString(), "-c", command));
    return JSON.readTree(out.isBlank() ? "{}" : out);
  }

  /** The daemons' logs, for failure messages. */
  public String logs() {
    return RealPeers.log(dir.resolve("zebra.log")) + RealPeers.log(dir.resolve("bgpd.log"));
  }

  @Override
  public void close() throws IOException {
    for (String d : new String[] {"bgpd", "zebra"}) {
      Path pid = dir.resolve(d + ".pid");
      try {
        long p = Long.parseLong(Files.readString(pid).trim());
        ProcessHandle.of(p)
            .ifPresent(
                h -> {
                  h.destroy();
                  try {
                    h.onExit().get(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    h.destroyForcibly();
                  }
                });
      } catch (IOException | NumberFormatException e) {
        // never started
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
