package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.evpnkit.speaker.RealPeers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code ovsdb-server} with Open vSwitch's {@code hardware_vtep} schema ({@code
 * /usr/share/openvswitch/vtep.ovsschema}, package {@code openvswitch-vtep}), in a temporary folder:
 * a database made by {@code ovsdb-tool create}, a unix socket, optionally a TCP port on loopback;
 * and {@code vtep-ctl}, the independent client that plays the TOR and checks what we wrote.
 */
public final class OvsdbServer implements AutoCloseable {
  static final Path SCHEMA = Path.of("/usr/share/openvswitch/vtep.ovsschema");

  private final Path dir;
  private final Path db;
  private final Path socket;
  private final String tcp; // "" or 127.0.0.1:PORT
  private Process process;

  private OvsdbServer(Path dir, String tcp) throws Exception {
    this.dir = dir;
    this.db = dir.resolve("vtep.db");
    this.socket = dir.resolve("db.sock");
    this.tcp = tcp;
    run(
        List.of(
            RealPeers.require("ovsdb-tool").toString(),
            "create",
            db.toString(),
            SCHEMA.toString()));
    this.process = launch();
  }

  /** Starts a server on a unix socket. */
  public static OvsdbServer start() throws Exception {
    RealPeers.require("ovsdb-server");
    RealPeers.require("vtep-ctl");
    return new OvsdbServer(Files.createTempDirectory("evpnkit-ovsdb"), "");
  }

  /**
   * Starts a server on a unix socket and a TCP port of 127.0.0.1, the port given as a TOR's
   * controller is ({@code vtep-ctl set-manager}): a {@code Manager} row of the {@code Global}
   * table, its {@code inactivity_probe} {@value #INACTIVITY_PROBE_MS} ms, so that the server probes
   * an idle TCP client after that time and drops it when no reply comes in as long again.
   */
  public static OvsdbServer startWithTcp() throws Exception {
    RealPeers.require("ovsdb-server");
    RealPeers.require("vtep-ctl");
    int port = RealPeers.freePort("127.0.0.1");
    OvsdbServer server =
        new OvsdbServer(Files.createTempDirectory("evpnkit-ovsdb"), "127.0.0.1:" + port);
    server.vtepCtl(
        "--id=@m",
        "create",
        "Manager",
        "target=\"ptcp:" + port + ":127.0.0.1\"",
        "inactivity_probe=" + INACTIVITY_PROBE_MS,
        "--",
        "set",
        "Global",
        ".",
        "managers=@m");
    RealPeers.await(
        "ovsdb-server to listen on " + server.tcp,
        () -> {
          try {
            new Socket(InetAddress.getLoopbackAddress(), port).close();
            return true;
          } catch (IOException e) {
            return false;
          }
        });
    return server;
  }

  /** The inactivity probe of {@link #startWithTcp}'s port, in milliseconds (OVS's least). */
  public static final int INACTIVITY_PROBE_MS = 1000;

  private Process launch() throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(RealPeers.require("ovsdb-server").toString());
    cmd.add(db.toString());
    cmd.add("--remote=punix:" + socket);
    if (!tcp.isEmpty()) {
      cmd.add("--remote=db:hardware_vtep,Global,managers"); // the Manager row startWithTcp adds
    }
    cmd.add("--unixctl=" + dir.resolve("ovsdb-server.ctl"));
    cmd.add("--log-file=" + dir.resolve("ovsdb-server.log"));
    cmd.add("--pidfile=" + dir.resolve("ovsdb-server.pid"));
    Files.deleteIfExists(socket);
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("stdout.log").toFile()))
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (true) {
      try {
        vtepCtl("list-ps");
        return p;
      } catch (IOException e) {
        if (System.nanoTime() > deadline || !p.isAlive()) {
          throw new IOException("ovsdb-server did not start: " + log(), e);
        }
        Thread.sleep(50);
      }
    }
  }

  /** The unix socket's address. */
  public OvsdbAddress unix() {
    return OvsdbAddress.parse("unix:" + socket);
  }

  /** The TCP address ({@link #startWithTcp} only). */
  public OvsdbAddress tcp() {
    return OvsdbAddress.parse("tcp:" + tcp);
  }

  /**
   * A client with a replica its monitor keeps and a driver writing through it, as the agent has
   * them.
   *
   * @param client the client
   * @param replica the replica
   * @param driver the driver
   */
  public record Connected(OvsdbClient client, VtepReplica replica, OvsdbDriver driver)
      implements AutoCloseable {
    @Override
    public void close() {
      client.close();
    }
  }

  public Connected connectDriver() throws Exception {
    VtepReplica[] holder = new VtepReplica[1];
    OvsdbClient client =
        OvsdbClient.builder(unix())
            .listener(
                new OvsdbClient.Listener() {
                  @Override
                  public void update(JsonNode monitorId, JsonNode tableUpdates) {
                    holder[0].apply(tableUpdates);
                  }
                })
            .connect()
            .get(10, TimeUnit.SECONDS);
    DatabaseSchema schema = client.getSchema(VtepReplica.DATABASE).get(10, TimeUnit.SECONDS);
    VtepReplica replica = new VtepReplica(schema);
    client
        .eventLoop()
        .submit(
            () -> {
              holder[0] = replica;
              return null;
            })
        .get();
    JsonNode initial =
        client
            .monitor(
                VtepReplica.DATABASE,
                JsonNodeFactory.instance.textNode("test"),
                replica.monitorRequests())
            .get(10, TimeUnit.SECONDS);
    client.eventLoop().submit(() -> replica.apply(initial)).get();
    OvsdbDriver driver =
        new OvsdbDriver(client, replica, client.eventLoop(), Duration.ofSeconds(10));
    return new Connected(client, replica, driver);
  }

  /** Runs {@code vtep-ctl} against this server and returns its output. */
  public String vtepCtl(String... args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(RealPeers.require("vtep-ctl").toString());
    cmd.add("--db=unix:" + socket);
    cmd.add("--timeout=10");
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Kills the server (SIGKILL): no goodbye to its clients. The database file stays. */
  public void kill() throws Exception {
    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
  }

  /** Starts the server again on the same database file and addresses. */
  public void startAgain() throws Exception {
    process = launch();
  }

  /** The server's log, for failure messages. */
  public String log() {
    return RealPeers.log(dir.resolve("ovsdb-server.log"));
  }

  private static String run(List<String> cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + ": " + new String(out, StandardCharsets.UTF_8).trim());
    }
    return new String(out, StandardCharsets.UTF_8);
  }

  @Override
  public void close() throws IOException {
    RealPeers.stop(process, dir);
  }
}
