package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingDriver;
import io.evpnkit.rib.ForwardingOp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ForwardingDriver} that programs a TOR through its {@code hardware_vtep} database, as a
 * network virtualization controller does: a remote MAC becomes a {@code Ucast_Macs_Remote} row
 * pointing at the {@code Physical_Locator} of its VTEP ({@code vxlan_over_ipv4}; one locator row
 * per VTEP, shared by its MACs), with the IP address of its ARP/ND entry in {@code ipaddr}; a flood
 * list becomes the {@code unknown-dst} row of {@code Mcast_Macs_Remote} with a {@code
 * Physical_Locator_Set} of the VTEPs. Each batch is one transaction (RFC 7047 §4.1.3: all of it or
 * nothing), in the batch's order, so the SPI's ordering holds in the database; {@link #replaceAll}
 * reads the tables back (the replica a monitor keeps) and writes the difference in one transaction.
 *
 * <p>What {@code hardware_vtep} cannot say is left out and counted ({@link #skipped()}): IP routes
 * (its logical routers are not programmed), VTEPs with IPv6 addresses (locators are IPv4 only), and
 * MAC entries of local ports (the TOR's own {@code Ucast_Macs_Local}). A MAC aliased over an
 * Ethernet segment points at one VTEP of its group (a row has one locator): the first with weight,
 * in address order; when the group changes the driver points the MACs at the new first VTEP.
 *
 * <p>Threading: the RIB calls {@link #apply} and {@link #replaceAll} from its thread and they wait
 * for the server's answer (up to the time-out); the work on the replica runs on the OVSDB
 * connection's event loop, which therefore must not be the RIB's.
 *
 * @since 0.2
 */
@Beta
public final class OvsdbDriver implements ForwardingDriver {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The connection the driver writes through. */
  private record Connection(
      OvsdbClient client, VtepReplica replica, io.netty.util.concurrent.EventExecutor loop) {}

  private volatile @Nullable Connection connection;
  private final Duration timeout;
  // the connection of the batch being built (set on the loop for the batch's duration)
  private @Nullable VtepReplica replica;

  private VtepReplica replica() {
    return java.util.Objects.requireNonNull(replica, "no batch being built");
  }

  // on the loop: what earlier batches said that later ones build on
  private final Map<Long, ForwardingOp.SetGroup> groups = new HashMap<>();
  private final Map<Long, Set<ForwardingOp.MacKey>> groupMacs = new HashMap<>();
  private final Map<ForwardingOp.MacKey, Long> macGroup = new HashMap<>();
  private final Map<ForwardingOp.NeighborKey, MacAddress> neighbors = new HashMap<>();
  private final Map<ForwardingOp.MacKey, IpAddress> macIps = new HashMap<>();

  private final java.util.concurrent.atomic.AtomicLong transactions =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong operations =
      new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong skipped =
      new java.util.concurrent.atomic.AtomicLong();

  /**
   * A driver writing through {@code client} to the database {@code replica} mirrors; each call
   * waits up to {@code timeout} for the server.
   *
   * @param loop the event loop of {@code client}'s connection (its notifications' thread)
   */
  public OvsdbDriver(
      OvsdbClient client,
      VtepReplica replica,
      io.netty.util.concurrent.EventExecutor loop,
      Duration timeout) {
    this(timeout);
    connected(client, replica, loop);
  }

  /**
   * A driver without a connection yet ({@link TorAgent} connects it, and again after each
   * reconnection); until then every call fails with an {@link java.io.IOException}.
   */
  OvsdbDriver(Duration timeout) {
    this.timeout = timeout;
  }

  /** Writes through {@code client} from now on, to the database {@code replica} mirrors. */
  void connected(
      OvsdbClient client, VtepReplica replica, io.netty.util.concurrent.EventExecutor loop) {
    connection = new Connection(client, replica, loop);
  }

  /** The connection is gone: calls fail until {@link #connected} (the RIB resyncs after). */
  void disconnected() {
    connection = null;
  }

  /** The transactions committed. */
  public long transactions() {
    return transactions.get();
  }

  /** The database operations those transactions carried. */
  public long operations() {
    return operations.get();
  }

  /** The forwarding operations {@code hardware_vtep} cannot express, left out. */
  public long skipped() {
    return skipped.get();
  }

  @Override
  public void apply(List<ForwardingOp> batch) throws Exception {
    run(c -> batch(c, batch, false));
  }

  @Override
  public void replaceAll(List<ForwardingOp> state) throws Exception {
    run(c -> batch(c, state, true));
  }

  private void run(java.util.function.Function<Connection, CompletableFuture<Void>> work)
      throws Exception {
    Connection c = connection;
    if (c == null) {
      throw new java.io.IOException("the OVSDB driver is not connected");
    }
    io.netty.util.concurrent.EventExecutor loop = c.loop();
    OvsdbClient client = c.client();
    if (loop.inEventLoop()) {
      throw new IllegalStateException(
          "the OVSDB driver was called on its connection's event loop, where it cannot wait");
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            var unused =
                work.apply(c)
                    .whenComplete(
                        (v, e) -> {
                          if (e != null) {
                            done.completeExceptionally(e);
                          } else {
                            done.complete(null);
                          }
                        });
          } catch (RuntimeException e) {
            done.completeExceptionally(e);
          }
        });
    try {
      done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof java.util.concurrent.CompletionException
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof Exception x) {
        throw x;
      }
      throw e;
    } catch (TimeoutException e) {
      throw new TimeoutException(
          "OVSDB at " + client.address() + " did not answer within " + timeout.toMillis() + " ms");
    }
  }

  // ------------------------------------------------------------------------------ on the loop

  /** One transaction being built, and what it does to the replica once committed. */
  private final class Txn {
    final List<ObjectNode> inserts = new ArrayList<>(); // locators and locator sets, first
    final List<ObjectNode> ops = new ArrayList<>();
    // the rows the transaction leaves, by table and UUID (or named UUID), for the replica
    final List<Object[]> effects = new ArrayList<>(); // {table, uuid-or-name, row-or-null, isNamed}
    final Map<String, JsonNode> locatorRefs = new HashMap<>();
    int names;

    String name(String prefix) {
      return prefix + names++;
    }

    /** A reference to the locator of {@code vtep}, inserting one if the server has none. */
    JsonNode locator(IpAddress vtep) {
      String ip = vtep.toString();
      JsonNode ref = locatorRefs.get(ip);
      if (ref != null) {
        return ref;
      }
      var known = replica().locatorOf(ip);
      if (known.isPresent()) {
        ref = Operations.uuid(known.get().uuid());
      } else {
        String name = name("locator");
        ObjectNode row = NODES.objectNode();
        row.put("encapsulation_type", VtepReplica.VXLAN_OVER_IPV4);
        row.put("dst_ip", ip);
        inserts.add(Operations.insert(VtepReplica.LOCATOR, row, name));
        effects.add(new Object[] {VtepReplica.LOCATOR, name, row, true});
        ref = Operations.namedUuid(name);
      }
      locatorRefs.put(ip, ref);
      return ref;
    }

    void insert(String table, ObjectNode row, List<ObjectNode> into) {
      String name = name("row");
      into.add(Operations.insert(table, row, name));
      effects.add(new Object[] {table, name, row, true});
    }

    void update(String table, String uuid, JsonNode before, ObjectNode changes) {
      ops.add(Operations.update(table, Operations.where(Operations.uuidIs(uuid)), changes));
      ObjectNode after = before.deepCopy();
      after.setAll(changes);
      effects.add(new Object[] {table, uuid, after, false});
    }

    void delete(String table, String uuid) {
      ops.add(Operations.delete(table, Operations.where(Operations.uuidIs(uuid))));
      effects.add(new Object[] {table, uuid, null, false});
    }
  }

  private CompletableFuture<Void> batch(Connection c, List<ForwardingOp> batch, boolean full) {
    replica = c.replica();
    Txn txn = new Txn();
    VtepReplica r = replica();
    if (full) {
      groups.clear();
      groupMacs.clear();
      macGroup.clear();
      neighbors.clear();
      macIps.clear();
      for (ForwardingOp op : batch) { // groups and ARP/ND entries first: MAC rows use them
        if (op instanceof ForwardingOp.SetGroup g) {
          groups.put(g.groupId(), g);
        } else if (op instanceof ForwardingOp.SetNeighbor n) {
          neighbors.put(new ForwardingOp.NeighborKey(n.vni(), n.ip()), n.mac());
          macIps.put(new ForwardingOp.MacKey(n.vni(), n.mac()), n.ip());
        }
      }
    }
    // the wanted MAC rows: "ls mac" -> {ls, mac, vtep, vni}
    Map<String, Object[]> macWrites = new LinkedHashMap<>();
    Set<String> macDeletes = new HashSet<>();
    Map<String, Object[]> floodWrites = new LinkedHashMap<>(); // "ls unknown-dst" -> {ls, vteps}
    Set<String> floodDeletes = new HashSet<>();
    long skippedHere = 0;
    for (ForwardingOp op : batch) {
      if (op instanceof ForwardingOp.SetGroup g) {
        groups.put(g.groupId(), g);
        for (ForwardingOp.MacKey k : groupMacs.getOrDefault(g.groupId(), Set.of())) {
          String ls = r.logicalSwitchUuid(k.vni());
          IpAddress vtep = primary(g);
          if (ls != null && vtep != null) {
            macWrites.put(ls + " " + k.mac(), new Object[] {ls, k.mac(), vtep, k.vni()});
          }
        }
      } else if (op instanceof ForwardingOp.RemoveGroup g) {
        groups.remove(g.groupId());
      } else if (op instanceof ForwardingOp.SetMac m) {
        ForwardingOp.MacKey key = new ForwardingOp.MacKey(m.vni(), m.mac());
        String ls = logicalSwitch(r, m.vni());
        forgetGroup(key);
        IpAddress vtep = null;
        if (m.destination() instanceof Destination.RemoteVtep remote) {
          vtep = remote.vtep();
        } else if (m.destination() instanceof Destination.Group g) {
          groupMacs.computeIfAbsent(g.groupId(), k -> new HashSet<>()).add(key);
          macGroup.put(key, g.groupId());
          ForwardingOp.SetGroup group = groups.get(g.groupId());
          vtep = group == null ? null : primary(group);
        }
        String rowKey = ls + " " + m.mac();
        if (vtep == null || vtep.isIpv6()) {
          skippedHere++; // a local port (the TOR's own row), an empty group, or an IPv6 VTEP
          macWrites.remove(rowKey);
          macDeletes.add(rowKey);
        } else {
          macDeletes.remove(rowKey);
          macWrites.put(rowKey, new Object[] {ls, m.mac(), vtep, m.vni()});
        }
      } else if (op instanceof ForwardingOp.RemoveMac m) {
        ForwardingOp.MacKey key = new ForwardingOp.MacKey(m.vni(), m.mac());
        forgetGroup(key);
        String ls = r.logicalSwitchUuid(m.vni());
        if (ls != null) {
          macWrites.remove(ls + " " + m.mac());
          macDeletes.add(ls + " " + m.mac());
        }
      } else if (op instanceof ForwardingOp.SetFlood f) {
        String ls = logicalSwitch(r, f.vni());
        List<IpAddress> v4 = f.vteps().stream().filter(v -> !v.isIpv6()).toList();
        skippedHere += f.vteps().size() - v4.size();
        String rowKey = ls + " " + VtepReplica.UNKNOWN_DST;
        if (v4.isEmpty()) {
          floodDeletes.add(rowKey);
        } else {
          floodDeletes.remove(rowKey);
          floodWrites.put(rowKey, new Object[] {ls, v4});
        }
      } else if (op instanceof ForwardingOp.RemoveFlood f) {
        String ls = r.logicalSwitchUuid(f.vni());
        if (ls != null) {
          floodWrites.remove(ls + " " + VtepReplica.UNKNOWN_DST);
          floodDeletes.add(ls + " " + VtepReplica.UNKNOWN_DST);
        }
      } else if (op instanceof ForwardingOp.SetNeighbor n) {
        ForwardingOp.NeighborKey nk = new ForwardingOp.NeighborKey(n.vni(), n.ip());
        MacAddress before = neighbors.put(nk, n.mac());
        if (before != null && !before.equals(n.mac())) {
          macIps.remove(new ForwardingOp.MacKey(n.vni(), before), n.ip());
          touch(macWrites, r, n.vni(), before);
        }
        macIps.put(new ForwardingOp.MacKey(n.vni(), n.mac()), n.ip());
        touch(macWrites, r, n.vni(), n.mac());
      } else if (op instanceof ForwardingOp.RemoveNeighbor n) {
        MacAddress before = neighbors.remove(new ForwardingOp.NeighborKey(n.vni(), n.ip()));
        if (before != null) {
          macIps.remove(new ForwardingOp.MacKey(n.vni(), before), n.ip());
          touch(macWrites, r, n.vni(), before);
        }
      } else {
        skippedHere++; // IP routes: hardware_vtep's logical routers are not programmed
      }
    }
    if (full) { // everything else in the remote tables goes
      for (JsonNode row : r.rows(VtepReplica.UCAST_REMOTE).values()) {
        String key =
            VtepReplica.key(Operations.uuidOf(row.get("logical_switch")), row.path("MAC").asText());
        if (!macWrites.containsKey(key)) {
          macDeletes.add(key);
        }
      }
      for (JsonNode row : r.rows(VtepReplica.MCAST_REMOTE).values()) {
        String key =
            VtepReplica.key(Operations.uuidOf(row.get("logical_switch")), row.path("MAC").asText());
        if (!floodWrites.containsKey(key)) {
          floodDeletes.add(key);
        }
      }
    }
    // deletions first (the SPI's order: entries removed, then entries set)
    for (String key : macDeletes) {
      String uuid = ucastUuid(r, key);
      if (uuid != null) {
        txn.delete(VtepReplica.UCAST_REMOTE, uuid);
      }
    }
    for (String key : floodDeletes) {
      String uuid = mcastUuid(r, key);
      if (uuid != null) {
        txn.delete(VtepReplica.MCAST_REMOTE, uuid);
      }
    }
    for (Map.Entry<String, Object[]> e : macWrites.entrySet()) {
      String ls = (String) e.getValue()[0];
      MacAddress mac = (MacAddress) e.getValue()[1];
      IpAddress vtep = (IpAddress) e.getValue()[2];
      int vni = (Integer) e.getValue()[3];
      IpAddress ip = macIps.get(new ForwardingOp.MacKey(vni, mac));
      String ipaddr = ip == null ? "" : ip.toString();
      String uuid = ucastUuid(r, e.getKey());
      JsonNode row = uuid == null ? null : r.rows(VtepReplica.UCAST_REMOTE).get(uuid);
      JsonNode locator = txn.locator(vtep);
      if (row != null && uuid != null) {
        String locatorNow = Operations.uuidOf(row.get("locator"));
        if (locator.equals(Operations.uuid(String.valueOf(locatorNow)))
            && row.path("ipaddr").asText("").equals(ipaddr)) {
          continue; // as it is
        }
        ObjectNode changes = NODES.objectNode();
        changes.set("locator", locator);
        changes.put("ipaddr", ipaddr);
        txn.update(VtepReplica.UCAST_REMOTE, uuid, row, changes);
      } else {
        ObjectNode fresh = NODES.objectNode();
        fresh.put("MAC", mac.toString());
        fresh.set("logical_switch", Operations.uuid(ls));
        fresh.set("locator", locator);
        fresh.put("ipaddr", ipaddr);
        txn.insert(VtepReplica.UCAST_REMOTE, fresh, txn.ops);
      }
    }
    for (Map.Entry<String, Object[]> e : floodWrites.entrySet()) {
      String ls = (String) e.getValue()[0];
      @SuppressWarnings("unchecked")
      List<IpAddress> vteps = (List<IpAddress>) e.getValue()[1];
      List<JsonNode> locators = new ArrayList<>();
      for (IpAddress v : vteps) {
        locators.add(txn.locator(v));
      }
      String uuid = mcastUuid(r, e.getKey());
      JsonNode row = uuid == null ? null : r.rows(VtepReplica.MCAST_REMOTE).get(uuid);
      if (row != null
          && sameLocators(
              replica().locatorSet(String.valueOf(Operations.uuidOf(row.get("locator_set")))),
              locators)) {
        continue;
      }
      ObjectNode set = NODES.objectNode();
      set.set("locators", Operations.set(locators));
      String setName = txn.name("set");
      txn.inserts.add(Operations.insert(VtepReplica.LOCATOR_SET, set, setName));
      txn.effects.add(new Object[] {VtepReplica.LOCATOR_SET, setName, set, true});
      if (row != null && uuid != null) {
        ObjectNode changes = NODES.objectNode();
        changes.set("locator_set", Operations.namedUuid(setName));
        txn.update(VtepReplica.MCAST_REMOTE, uuid, row, changes);
      } else {
        ObjectNode fresh = NODES.objectNode();
        fresh.put("MAC", VtepReplica.UNKNOWN_DST);
        fresh.set("logical_switch", Operations.uuid(ls));
        fresh.set("locator_set", Operations.namedUuid(setName));
        fresh.put("ipaddr", "");
        txn.insert(VtepReplica.MCAST_REMOTE, fresh, txn.ops);
      }
    }
    skipped.addAndGet(skippedHere);
    List<ObjectNode> all = new ArrayList<>(txn.inserts);
    all.addAll(txn.ops);
    if (all.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return c.client()
        .transact(VtepReplica.DATABASE, all)
        .thenAccept(
            results -> {
              transactions.incrementAndGet();
              operations.addAndGet(all.size());
              commit(c.replica(), txn, all, results);
            });
  }

  /**
   * Writes what a committed transaction did into the replica (its monitor update may come later).
   */
  private static void commit(
      VtepReplica replica, Txn txn, List<ObjectNode> all, List<JsonNode> results) {
    Map<String, String> named = new HashMap<>();
    for (int i = 0; i < all.size(); i++) {
      ObjectNode op = all.get(i);
      if (op.has("uuid-name")) {
        String uuid = Operations.uuidOf(results.get(i).get("uuid"));
        if (uuid != null) {
          named.put(op.get("uuid-name").asText(), uuid);
        }
      }
    }
    for (Object[] effect : txn.effects) {
      String table = (String) effect[0];
      String id = (String) effect[1];
      JsonNode row = (JsonNode) effect[2];
      boolean isNamed = (Boolean) effect[3];
      String uuid = isNamed ? named.get(id) : id;
      if (uuid != null) {
        replica.put(table, uuid, row == null ? null : resolve(row, named));
      }
    }
    replica.prune();
  }

  private static JsonNode resolve(JsonNode node, Map<String, String> named) {
    if (node.isArray()
        && node.size() == 2
        && "named-uuid".equals(node.get(0).asText())
        && named.containsKey(node.get(1).asText())) {
      return Operations.uuid(named.get(node.get(1).asText()));
    }
    if (node.isContainerNode()) {
      JsonNode copy = node.deepCopy();
      if (copy.isObject()) {
        ObjectNode o = (ObjectNode) copy;
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String f : names) {
          o.set(f, resolve(o.get(f), named));
        }
      } else {
        ArrayNode a = (ArrayNode) copy;
        for (int i = 0; i < a.size(); i++) {
          a.set(i, resolve(a.get(i), named));
        }
      }
      return copy;
    }
    return node;
  }

  private static boolean sameLocators(List<String> have, List<JsonNode> want) {
    Set<String> w = new HashSet<>();
    for (JsonNode ref : want) {
      String uuid = Operations.uuidOf(ref);
      if (uuid == null) {
        return false; // a locator inserted now: a new set
      }
      w.add(uuid);
    }
    return w.equals(new HashSet<>(have));
  }

  private void touch(Map<String, Object[]> macWrites, VtepReplica r, int vni, MacAddress mac) {
    String ls = r.logicalSwitchUuid(vni);
    if (ls == null || macWrites.containsKey(ls + " " + mac)) {
      return; // written anyway with its address
    }
    String uuid = ucastUuid(r, ls + " " + mac);
    JsonNode row = uuid == null ? null : r.rows(VtepReplica.UCAST_REMOTE).get(uuid);
    if (row == null) {
      return; // no row yet: its SetMac writes the address
    }
    String locator = Operations.uuidOf(row.get("locator"));
    var l = locator == null ? java.util.Optional.<VtepReplica.Locator>empty() : r.locator(locator);
    if (l.isPresent()) {
      macWrites.put(ls + " " + mac, new Object[] {ls, mac, IpAddress.parse(l.get().dstIp()), vni});
    }
  }

  private static @Nullable String ucastUuid(VtepReplica r, String key) {
    int space = key.indexOf(' ');
    return r.ucastRemote(key.substring(0, space), key.substring(space + 1));
  }

  private static @Nullable String mcastUuid(VtepReplica r, String key) {
    int space = key.indexOf(' ');
    return r.mcastRemote(key.substring(0, space), key.substring(space + 1));
  }

  private void forgetGroup(ForwardingOp.MacKey key) {
    Long g = macGroup.remove(key);
    if (g != null) {
      Set<ForwardingOp.MacKey> macs = groupMacs.get(g);
      if (macs != null) {
        macs.remove(key);
        if (macs.isEmpty()) {
          groupMacs.remove(g);
        }
      }
    }
  }

  private static @Nullable IpAddress primary(ForwardingOp.SetGroup group) {
    IpAddress first = null;
    for (ForwardingOp.Member m : group.members()) {
      if (m.weight() > 0) {
        return m.vtep();
      }
      if (first == null) {
        first = m.vtep();
      }
    }
    return first;
  }

  private static String logicalSwitch(VtepReplica r, int vni) {
    String ls = r.logicalSwitchUuid(vni);
    if (ls == null) {
      throw new IllegalStateException(
          "the TOR's database has no Logical_Switch with tunnel_key " + vni);
    }
    return ls;
  }
}
