package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The TOR agent of a multivendor TOR: it holds the {@code hardware_vtep} database of a TOR (through
 * {@code ovsdb-server}), writes the TOR's logical switches (a VLAN with a VNI of the configuration
 * each, {@code tunnel_key} = VNI) and port bindings (an interface's VLAN members), carries the MACs
 * the TOR learns ({@code Ucast_Macs_Local}) into the RIB as local MACs, which advertises them as
 * MAC/IP routes, and programs what the RIB learns from EVPN back into the TOR through its {@link
 * #driver()}. The RIB's local VTEP address should be the TOR's tunnel IP ({@code Physical_Switch}
 * {@code tunnel_ips}): the routes it advertises send traffic to the TOR.
 *
 * <p>When the connection drops or {@code ovsdb-server} restarts, the agent connects again with
 * exponential backoff and jitter (0.5 s doubling to 30 s), and from the fresh monitor's contents
 * resynchronizes both ways: MACs learned or gone while it was away are reported to the RIB as
 * learned or aged (what the RIB was told is remembered, so nothing is reported twice), its logical
 * switches and bindings are written again where missing, and the remote tables are replaced with
 * what the RIB wants ({@link OvsdbDriver#replaceAll}).
 *
 * <p>Threading: the agent runs on its own event loop thread (the OVSDB connection's); it calls the
 * RIB only on the executor given to {@link #start} (the RIB's one writer, e.g. the speaker's event
 * loop), and the RIB calls the driver from there.
 *
 * @since 0.2
 */
@Beta
public final class TorAgent implements AutoCloseable {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What the agent tells as it works; called on the agent's thread. The defaults ignore it. */
  public interface Listener {
    /** Connected to {@code ovsdb-server} and in step with it both ways. */
    default void synced(OvsdbAddress address) {}

    /** The connection went, for {@code cause}; the agent connects again after {@code retryIn}. */
    default void disconnected(OvsdbAddress address, String cause, Duration retryIn) {}

    /** A MAC the TOR learned was reported to the RIB ({@code ip} may be {@code null}). */
    default void learned(int vni, MacAddress mac, @Nullable IpAddress ip) {}

    /** A MAC the TOR forgot was reported aged. */
    default void aged(int vni, MacAddress mac) {}

    /** Something in the configuration or the database the agent could not use. */
    default void warning(String message) {}
  }

  private final OvsdbAddress address;
  private final VtepConfig config;
  private final Listener listener;
  private final Duration timeout;
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventExecutor loop = group.next();
  private final OvsdbDriver driver;

  // on the loop
  private @Nullable OvsdbClient client;
  private @Nullable VtepReplica replica;
  private @Nullable EvpnRib rib;
  private @Nullable Executor ribThread;
  private final Map<String, @Nullable IpAddress> told = new LinkedHashMap<>(); // "vni mac" -> ip
  private boolean loading;
  private boolean closed;
  private long backoffMillis = 500;
  private long connections;
  private final CompletableFuture<Void> firstSync = new CompletableFuture<>();

  private TorAgent(Builder b) {
    this.address = b.address;
    this.config = b.config;
    this.listener = b.listener;
    this.timeout = b.timeout;
    this.driver = new OvsdbDriver(b.timeout);
  }

  /** Starts building an agent for the TOR whose database is at {@code address}. */
  public static Builder builder(OvsdbAddress address, VtepConfig config) {
    return new Builder(address, config);
  }

  /** Options of a {@link TorAgent}. */
  public static final class Builder {
    private final OvsdbAddress address;
    private final VtepConfig config;
    private Listener listener = new Listener() {};
    private Duration timeout = Duration.ofSeconds(10);

    private Builder(OvsdbAddress address, VtepConfig config) {
      this.address = address;
      this.config = config;
    }

    /** What the agent tells as it works. */
    public Builder listener(Listener value) {
      listener = value;
      return this;
    }

    /** How long a transaction may take before the driver reports it failed: 10 s unless set. */
    public Builder timeout(Duration value) {
      timeout = value;
      return this;
    }

    /** Builds the agent (not connected until {@link TorAgent#start}). */
    public TorAgent build() {
      return new TorAgent(this);
    }
  }

  /**
   * The forwarding driver to build the RIB with ({@code EvpnRib.builder(config, vtep, driver)}).
   * Its calls wait for the TOR's answer; a RIB that shares its thread with BGP sessions should call
   * it on a thread of its own with a time-out well below the hold time ({@code
   * .driverThread(true).driverRetries(1, Duration.ofSeconds(2))}): a TOR that stops answering then
   * costs that much per batch until the connection's inactivity probe (5 s, then 5 s more) closes
   * it, after which calls fail at once and the agent resynchronizes when it is back.
   */
  public OvsdbDriver driver() {
    return driver;
  }

  /** The database's address. */
  public OvsdbAddress address() {
    return address;
  }

  /**
   * Connects, and keeps connecting: learned MACs go to {@code rib} on {@code ribThread}.
   *
   * @return completes when the agent is first in step with the TOR both ways
   */
  public CompletableFuture<Void> start(EvpnRib rib, Executor ribThread) {
    loop.execute(
        () -> {
          this.rib = rib;
          this.ribThread = ribThread;
          connect();
        });
    return firstSync;
  }

  /** The connections made so far (1 after the first, more after reconnections). */
  public long connections() {
    return connections;
  }

  private void connect() {
    if (closed) {
      return;
    }
    var unused =
        OvsdbClient.builder(address)
            .eventLoopGroup(group)
            .listener(
                new OvsdbClient.Listener() {
                  @Override
                  public void update(JsonNode monitorId, JsonNode tableUpdates) {
                    VtepReplica r = replica;
                    if (r != null) {
                      r.apply(tableUpdates);
                    }
                  }
                })
            .connect()
            .thenCompose(this::sync)
            .whenCompleteAsync(
                (c, e) -> {
                  if (e != null) {
                    retry(e);
                  }
                },
                loop);
  }

  /** After connecting: schema, monitor, configuration, learning, forwarding. */
  private CompletableFuture<OvsdbClient> sync(OvsdbClient c) {
    client = c;
    connections++;
    var unused =
        c.closeFuture()
            .whenCompleteAsync(
                (cause, e) -> {
                  if (client == c) {
                    client = null;
                    replica = null;
                    driver.disconnected();
                    if (!closed) {
                      retry(cause == null ? new java.io.IOException("closed") : cause);
                    }
                  }
                },
                loop);
    return c.getSchema(VtepReplica.DATABASE)
        .thenCompose(
            schema -> {
              VtepReplica r = new VtepReplica(schema);
              replica = r;
              r.listener(this::rowChanged);
              loading = true;
              return c.monitor(VtepReplica.DATABASE, NODES.textNode("evpnkit"), r.monitorRequests())
                  .thenApply(
                      initial -> {
                        r.apply(initial);
                        loading = false;
                        learnAll(r);
                        return r;
                      });
            })
        .thenCompose(r -> configure(c, r).thenApply(x -> r))
        .thenCompose(
            r -> {
              driver.connected(c, r, loop);
              CompletableFuture<Void> resynced = new CompletableFuture<>();
              Executor thread = Objects.requireNonNull(ribThread);
              EvpnRib target = Objects.requireNonNull(rib);
              thread.execute(
                  () -> {
                    try {
                      driver.replaceAll(target.forwardingState());
                      resynced.complete(null);
                    } catch (Exception e) {
                      resynced.completeExceptionally(e);
                    }
                  });
              return resynced;
            })
        .thenApplyAsync(
            x -> {
              backoffMillis = 500;
              listener.synced(address);
              firstSync.complete(null);
              return c;
            },
            loop);
  }

  private void retry(Throwable cause) {
    OvsdbClient c = client;
    if (c != null) {
      client = null;
      c.close(); // a sync that failed half-way: start over on a new connection
    }
    driver.disconnected();
    if (closed) {
      return;
    }
    long delay = backoffMillis + ThreadLocalRandom.current().nextLong(backoffMillis / 4 + 1);
    backoffMillis = Math.min(backoffMillis * 2, 30_000);
    Throwable root = cause;
    while (root instanceof java.util.concurrent.CompletionException && root.getCause() != null) {
      root = root.getCause();
    }
    listener.disconnected(address, String.valueOf(root.getMessage()), Duration.ofMillis(delay));
    var unused = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  // ------------------------------------------------------------------- configuration -> TOR

  /**
   * Writes the logical switches of the configuration's VLANs and the VLAN bindings of its
   * interfaces where the database lacks them (one transaction; nothing when all is there).
   */
  private CompletableFuture<Void> configure(OvsdbClient c, VtepReplica r) {
    List<ObjectNode> ops = new ArrayList<>();
    Map<String, JsonNode> lsRef = new HashMap<>(); // VLAN name -> reference to its logical switch
    Map<String, Vlan> vlans = new LinkedHashMap<>();
    config.instances().values().stream()
        .filter(i -> i.type().isSwitching())
        .forEach(i -> i.vlans().values().forEach(v -> vlans.putIfAbsent(v.name(), v)));
    for (Vlan v : vlans.values()) {
      if (v.vni() <= 0) {
        continue;
      }
      var known = r.logicalSwitchOfVni(v.vni());
      if (known.isPresent()) {
        lsRef.put(v.name(), Operations.uuid(known.get().uuid()));
        continue;
      }
      boolean nameTaken = r.logicalSwitches().stream().anyMatch(s -> s.name().equals(v.name()));
      if (nameTaken) {
        listener.warning(
            "logical switch "
                + v.name()
                + " exists with another tunnel_key than VNI "
                + v.vni()
                + ": left as it is");
        continue;
      }
      ObjectNode row = NODES.objectNode();
      row.put("name", v.name());
      row.put("tunnel_key", v.vni());
      row.put("description", "VLAN " + v.vlanId() + ", written by evpnkit");
      String name = "ls" + ops.size();
      ops.add(Operations.insert(VtepReplica.LOGICAL_SWITCH, row, name));
      lsRef.put(v.name(), Operations.namedUuid(name));
    }
    Map<String, VtepReplica.PhysicalPort> ports = new HashMap<>();
    r.physicalPorts().forEach(p -> ports.put(p.name(), p));
    for (InterfaceConfig ifc : config.interfaces().values()) {
      for (InterfaceConfig.Unit unit : ifc.units().values()) {
        for (String member : unit.vlanMembers()) {
          Vlan v = vlan(vlans, member);
          JsonNode ls = v == null ? null : lsRef.get(v.name());
          if (v == null || ls == null) {
            continue;
          }
          VtepReplica.PhysicalPort port = ports.get(ifc.name());
          if (port == null) {
            listener.warning(
                "interface " + ifc.name() + " is not a port of the TOR (Physical_Port): not bound");
            continue;
          }
          String lsUuid = Operations.uuidOf(ls);
          if (lsUuid != null && lsUuid.equals(port.vlanBindings().get(v.vlanId()))) {
            continue;
          }
          Map<JsonNode, JsonNode> pair = new LinkedHashMap<>();
          pair.put(NODES.numberNode(v.vlanId()), ls);
          ops.add(
              Operations.mutate(
                  VtepReplica.PHYSICAL_PORT,
                  Operations.where(Operations.uuidIs(port.uuid())),
                  NODES
                      .arrayNode()
                      .add(
                          Operations.mutation(
                              "vlan_bindings",
                              "delete",
                              Operations.set(List.of(NODES.numberNode(v.vlanId())))))
                      .add(Operations.mutation("vlan_bindings", "insert", Operations.map(pair)))));
        }
      }
    }
    if (ops.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return c.transact(VtepReplica.DATABASE, ops)
        .thenCompose(x -> c.echo()) // the monitor's update of our own rows comes before the echo
        .thenApply(x -> null);
  }

  private static @Nullable Vlan vlan(Map<String, Vlan> vlans, String member) {
    Vlan v = vlans.get(member);
    if (v != null) {
      return v;
    }
    for (Vlan candidate : vlans.values()) {
      if (Integer.toString(candidate.vlanId()).equals(member)) {
        return candidate;
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------- TOR -> the RIB

  private void rowChanged(
      String table, String uuid, @Nullable JsonNode old, @Nullable JsonNode now) {
    if (loading || !VtepReplica.UCAST_LOCAL.equals(table)) {
      return;
    }
    VtepReplica r = Objects.requireNonNull(replica);
    if (old != null) {
      Local gone = local(r, uuid, old);
      Local still = now == null ? null : local(r, uuid, now);
      if (gone != null && (still == null || !still.key().equals(gone.key()))) {
        if (told.containsKey(gone.key()) && !stillLocal(r, gone, uuid)) {
          told.remove(gone.key());
          report(gone, false);
        }
      }
    }
    if (now != null) {
      Local l = local(r, uuid, now);
      if (l != null && (!told.containsKey(l.key()) || !Objects.equals(told.get(l.key()), l.ip()))) {
        told.put(l.key(), l.ip());
        report(l, true);
      }
    }
  }

  private boolean stillLocal(VtepReplica r, Local l, String except) {
    for (Map.Entry<String, JsonNode> e : r.rows(VtepReplica.UCAST_LOCAL).entrySet()) {
      Local other = e.getKey().equals(except) ? null : local(r, e.getKey(), e.getValue());
      if (other != null && other.key().equals(l.key())) {
        return true;
      }
    }
    return false;
  }

  /** After a fresh monitor: report what changed while the agent was away, nothing twice. */
  private void learnAll(VtepReplica r) {
    Map<String, Local> now = new LinkedHashMap<>();
    r.rows(VtepReplica.UCAST_LOCAL)
        .forEach(
            (uuid, row) -> {
              Local l = local(r, uuid, row);
              if (l != null) {
                now.put(l.key(), l);
              }
            });
    for (String key : new ArrayList<>(told.keySet())) {
      if (!now.containsKey(key)) {
        int space = key.indexOf(' ');
        told.remove(key);
        report(
            new Local(
                Integer.parseInt(key.substring(0, space)),
                MacAddress.parse(key.substring(space + 1)),
                null),
            false);
      }
    }
    for (Local l : now.values()) {
      if (!told.containsKey(l.key()) || !Objects.equals(told.get(l.key()), l.ip())) {
        told.put(l.key(), l.ip());
        report(l, true);
      }
    }
  }

  private record Local(int vni, MacAddress mac, @Nullable IpAddress ip) {
    String key() {
      return vni + " " + mac;
    }
  }

  private @Nullable Local local(VtepReplica r, String uuid, JsonNode row) {
    VtepReplica.UcastMac m = VtepReplica.ucast(VtepReplica.UCAST_LOCAL, uuid, row);
    if (m == null) {
      return null;
    }
    var ls = r.logicalSwitch(m.logicalSwitch());
    if (ls.isEmpty() || ls.get().tunnelKey() < 0) {
      return null; // a logical switch without a VNI carries nothing into EVPN
    }
    IpAddress ip = null;
    if (!m.ipaddr().isEmpty()) {
      try {
        ip = IpAddress.parse(m.ipaddr());
      } catch (io.evpnkit.evpn.MalformedException e) {
        listener.warning(
            "Ucast_Macs_Local " + m.mac() + " has ipaddr '" + m.ipaddr() + "', not an IP address");
      }
    }
    return new Local((int) ls.get().tunnelKey(), m.mac(), ip);
  }

  private void report(Local l, boolean learned) {
    EvpnRib target = Objects.requireNonNull(rib);
    Executor thread = Objects.requireNonNull(ribThread);
    String port = "tor:" + switchName();
    if (learned) {
      listener.learned(l.vni(), l.mac(), l.ip());
      thread.execute(() -> target.macLearned(l.vni(), l.mac(), port, l.ip()));
    } else {
      listener.aged(l.vni(), l.mac());
      thread.execute(() -> target.macAged(l.vni(), l.mac()));
    }
  }

  private String switchName() {
    VtepReplica r = replica;
    if (r != null) {
      for (JsonNode row : r.rows(VtepReplica.PHYSICAL_SWITCH).values()) {
        return row.path("name").asText("tor");
      }
    }
    return "tor";
  }

  /** Runs {@code work} on the agent's thread and waits for it (for tests and the command line). */
  <T> T onLoop(java.util.concurrent.Callable<T> work) throws Exception {
    return loop.submit(work).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * A copy of the replica's view of the database, taken on the agent's thread (empty when away).
   */
  public List<VtepReplica.UcastMac> remoteMacs() throws Exception {
    return onLoop(
        () -> replica == null ? List.of() : Objects.requireNonNull(replica).ucastRemote());
  }

  /** Stops: closes the connection and the agent's thread; the TOR's rows stay as they are. */
  @Override
  public void close() {
    try {
      loop.submit(
              () -> {
                closed = true;
                OvsdbClient c = client;
                client = null;
                if (c != null) {
                  c.close();
                }
              })
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // closing anyway
    }
    driver.disconnected();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
