package io.evpnkit.ovsdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evpnkit.evpn.MacAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A replica of the tables of the {@code hardware_vtep} database (Open vSwitch's {@code
 * vtep.ovsschema}) that a TOR and its network virtualization controller share, kept by a {@code
 * monitor} (RFC 7047 §4.1.5): physical switches and ports with their VLAN bindings, logical
 * switches (a VNI each, in {@code tunnel_key}), physical locators (a remote VTEP each) and locator
 * sets, and the four MAC tables: {@code Ucast_Macs_Local} and {@code Mcast_Macs_Local} the TOR
 * writes, {@code Ucast_Macs_Remote} and {@code Mcast_Macs_Remote} the controller (here, {@link
 * OvsdbDriver}) writes. The rows are kept as the server sends them; the typed views read them.
 *
 * <p>Rows of {@code Physical_Locator} and {@code Physical_Locator_Set} are not roots: the server
 * deletes them when nothing refers to them any more. The replica counts the references so that it
 * forgets such a row at the same moment, whether the change came in a monitor update or was noted
 * by the driver after its own transaction.
 *
 * <p>Not thread-safe: used on the OVSDB connection's event loop.
 *
 * @since 0.2
 */
public final class VtepReplica {
  /** The database's name. */
  public static final String DATABASE = "hardware_vtep";

  static final String PHYSICAL_SWITCH = "Physical_Switch";
  static final String PHYSICAL_PORT = "Physical_Port";
  static final String LOGICAL_SWITCH = "Logical_Switch";
  static final String LOCATOR = "Physical_Locator";
  static final String LOCATOR_SET = "Physical_Locator_Set";
  static final String UCAST_LOCAL = "Ucast_Macs_Local";
  static final String UCAST_REMOTE = "Ucast_Macs_Remote";
  static final String MCAST_LOCAL = "Mcast_Macs_Local";
  static final String MCAST_REMOTE = "Mcast_Macs_Remote";

  /** The encapsulation of every locator this schema knows. */
  public static final String VXLAN_OVER_IPV4 = "vxlan_over_ipv4";

  /** The MAC of the flood entry of a logical switch: unknown unicast, and BUM traffic. */
  public static final String UNKNOWN_DST = "unknown-dst";

  // the tables and columns monitored (and checked against the server's schema)
  private static final Map<String, List<String>> COLUMNS = new LinkedHashMap<>();

  static {
    COLUMNS.put(PHYSICAL_SWITCH, List.of("name", "tunnel_ips", "ports"));
    COLUMNS.put(PHYSICAL_PORT, List.of("name", "vlan_bindings"));
    COLUMNS.put(LOGICAL_SWITCH, List.of("name", "tunnel_key"));
    COLUMNS.put(LOCATOR, List.of("encapsulation_type", "dst_ip"));
    COLUMNS.put(LOCATOR_SET, List.of("locators"));
    COLUMNS.put(UCAST_LOCAL, List.of("MAC", "logical_switch", "locator", "ipaddr"));
    COLUMNS.put(UCAST_REMOTE, List.of("MAC", "logical_switch", "locator", "ipaddr"));
    COLUMNS.put(MCAST_LOCAL, List.of("MAC", "logical_switch", "locator_set", "ipaddr"));
    COLUMNS.put(MCAST_REMOTE, List.of("MAC", "logical_switch", "locator_set", "ipaddr"));
  }

  /** A change of a row the replica holds; called after the replica changed. */
  public interface Listener {
    /**
     * A row was inserted, changed or deleted.
     *
     * @param table its table
     * @param uuid its UUID
     * @param old the row before, or {@code null} when inserted
     * @param now the row after, or {@code null} when deleted
     */
    void rowChanged(String table, String uuid, @Nullable JsonNode old, @Nullable JsonNode now);
  }

  private final Map<String, Map<String, JsonNode>> rows = new HashMap<>();
  // every monitored table's columns, and of those the ones that refer to locators or locator sets
  private final Map<String, List<String>> columns = new LinkedHashMap<>();
  private final Map<String, List<String>> referring = new HashMap<>();
  // references to the rows of tables that are not roots, by UUID
  private final Map<String, Integer> references = new HashMap<>();
  // rows whose last reference went in the change being applied
  private final java.util.Set<String> unreferenced = new java.util.LinkedHashSet<>();
  private final DatabaseSchema schema;
  // indexes of the questions asked per MAC: a remote row by logical switch and MAC, a locator by
  // its VTEP, a logical switch by VNI
  private final Map<String, String> ucastRemoteByKey = new HashMap<>();
  private final Map<String, String> mcastRemoteByKey = new HashMap<>();
  private final Map<String, String> locatorByIp = new HashMap<>();
  private final Map<Long, String> switchByVni = new HashMap<>();
  private Listener listener = (table, uuid, old, now) -> {};

  /**
   * A replica for a server with {@code schema}.
   *
   * @throws IllegalStateException if the schema lacks a table or column the replica reads, or has
   *     it with another type, saying which
   */
  public VtepReplica(DatabaseSchema schema) {
    this.schema = schema;
    schema.require(LOGICAL_SWITCH, "tunnel_key", "integer", null);
    schema.require(LOGICAL_SWITCH, "name", "string", null);
    schema.require(LOCATOR, "dst_ip", "string", null);
    schema.require(LOCATOR, "encapsulation_type", "string", null);
    schema.require(LOCATOR_SET, "locators", "uuid", LOCATOR);
    for (String t : List.of(UCAST_LOCAL, UCAST_REMOTE)) {
      schema.require(t, "MAC", "string", null);
      schema.require(t, "logical_switch", "uuid", LOGICAL_SWITCH);
      schema.require(t, "locator", "uuid", LOCATOR);
      schema.require(t, "ipaddr", "string", null);
    }
    for (String t : List.of(MCAST_LOCAL, MCAST_REMOTE)) {
      schema.require(t, "MAC", "string", null);
      schema.require(t, "logical_switch", "uuid", LOGICAL_SWITCH);
      schema.require(t, "locator_set", "uuid", LOCATOR_SET);
    }
    schema.require(PHYSICAL_PORT, "name", "string", null);
    schema.require(PHYSICAL_SWITCH, "tunnel_ips", "string", null);
    schema.require(PHYSICAL_SWITCH, "ports", "uuid", PHYSICAL_PORT);
    columns.putAll(COLUMNS);
    if (schema.table(LOCATOR).columns().containsKey("tunnel_key")) { // part of its index (1.7)
      columns.put(LOCATOR, List.of("encapsulation_type", "dst_ip", "tunnel_key"));
    }
    // any other table that refers to locators (Tunnel, Arp_Sources_*) keeps them alive too
    schema
        .tables()
        .values()
        .forEach(
            t ->
                t.columns()
                    .values()
                    .forEach(
                        c -> {
                          boolean refers =
                              LOCATOR.equals(c.refTable())
                                  || LOCATOR_SET.equals(c.refTable())
                                  || LOCATOR.equals(c.valueRefTable())
                                  || LOCATOR_SET.equals(c.valueRefTable());
                          if (refers) {
                            referring
                                .computeIfAbsent(t.name(), k -> new ArrayList<>())
                                .add(c.name());
                            if (!columns.containsKey(t.name())) {
                              columns.put(t.name(), new ArrayList<>());
                            }
                            if (!columns.get(t.name()).contains(c.name())) {
                              List<String> list = new ArrayList<>(columns.get(t.name()));
                              list.add(c.name());
                              columns.put(t.name(), list);
                            }
                          }
                        }));
    columns.keySet().forEach(t -> rows.put(t, new LinkedHashMap<>()));
  }

  /** The server's schema. */
  public DatabaseSchema schema() {
    return schema;
  }

  /** Sets what row changes go to (one listener; the default ignores them). */
  public void listener(Listener value) {
    listener = value;
  }

  /** The {@code <monitor-requests>} of the tables and columns the replica holds. */
  public ObjectNode monitorRequests() {
    ObjectNode requests = JsonNodeFactory.instance.objectNode();
    columns.forEach(
        (table, columns) -> {
          ObjectNode r = requests.putObject(table);
          columns.forEach(r.putArray("columns")::add);
        });
    return requests;
  }

  /** Forgets every row (before the initial contents of a new monitor); no listener calls. */
  public void clear() {
    rows.values().forEach(Map::clear);
    references.clear();
    unreferenced.clear();
    ucastRemoteByKey.clear();
    mcastRemoteByKey.clear();
    locatorByIp.clear();
    switchByVni.clear();
  }

  /**
   * Applies a {@code <table-updates>} object (§4.1.6): the initial contents a {@code monitor} gives
   * and every {@code update} notification after.
   */
  public void apply(JsonNode tableUpdates) {
    tableUpdates
        .properties()
        .forEach(
            t -> {
              if (!rows.containsKey(t.getKey())) {
                return;
              }
              t.getValue()
                  .properties()
                  .forEach(
                      r -> {
                        JsonNode now = r.getValue().get("new");
                        put(t.getKey(), r.getKey(), now == null || now.isNull() ? null : now);
                      });
            });
    prune();
  }

  /**
   * Sets row {@code uuid} of {@code table} to {@code now} (all monitored columns), or deletes it
   * ({@code null}); what a monitor update says, or what the driver's own committed transaction did.
   */
  void put(String table, String uuid, @Nullable JsonNode now) {
    Map<String, JsonNode> t = rows.get(table);
    if (t == null) {
      return;
    }
    JsonNode old = now == null ? t.remove(uuid) : t.put(uuid, now);
    if (old == null && now == null) {
      return;
    }
    if (old != null && old.equals(now)) {
      return;
    }
    count(table, old, -1);
    count(table, now, +1);
    if (old != null) {
      index(table, uuid, old, false);
    }
    if (now != null) {
      index(table, uuid, now, true);
    }
    listener.rowChanged(table, uuid, old, now);
  }

  /**
   * Forgets the rows of non-root tables that nothing refers to any more: the server collected them
   * when the transaction that dropped their last reference committed (RFC 7047 §3.2 {@code
   * isRoot}). Called after a whole update or transaction, not per row: a row may lose a reference
   * and gain another in one transaction.
   */
  void prune() {
    while (!unreferenced.isEmpty()) {
      List<String> candidates = new ArrayList<>(unreferenced);
      unreferenced.clear();
      for (String gone : candidates) {
        if (references.getOrDefault(gone, 0) <= 0) {
          references.remove(gone);
          for (String t2 : List.of(LOCATOR_SET, LOCATOR)) {
            if (held(t2).containsKey(gone)) {
              put(t2, gone, null);
            }
          }
        }
      }
    }
  }

  private void index(String table, String uuid, JsonNode row, boolean add) {
    Map<String, String> byKey =
        switch (table) {
          case UCAST_REMOTE -> ucastRemoteByKey;
          case MCAST_REMOTE -> mcastRemoteByKey;
          default -> null;
        };
    if (byKey != null) {
      String key = key(Operations.uuidOf(row.get("logical_switch")), row.path("MAC").asText());
      if (add) {
        byKey.put(key, uuid);
      } else {
        byKey.remove(key, uuid);
      }
    } else if (LOCATOR.equals(table)) {
      if (row.path("encapsulation_type").asText().equals(VXLAN_OVER_IPV4)
          && Operations.elements(row.get("tunnel_key")).isEmpty()) {
        String ip = row.path("dst_ip").asText();
        if (add) {
          locatorByIp.put(ip, uuid);
        } else {
          locatorByIp.remove(ip, uuid);
        }
      }
    } else if (LOGICAL_SWITCH.equals(table)) {
      List<JsonNode> key = Operations.elements(row.get("tunnel_key"));
      if (!key.isEmpty()) {
        if (add) {
          switchByVni.putIfAbsent(key.get(0).asLong(), uuid);
        } else {
          switchByVni.remove(key.get(0).asLong(), uuid);
        }
      }
    }
  }

  /** The key of a MAC row: its logical switch's UUID and its MAC, spelled as {@link MacAddress}. */
  static String key(@Nullable String logicalSwitch, String mac) {
    return logicalSwitch + " " + macText(mac);
  }

  /** A MAC as evpnkit writes it (the schema allows any spelling; vtep-ctl keeps the user's). */
  static String macText(String mac) {
    try {
      return MacAddress.parse(mac).toString();
    } catch (io.evpnkit.evpn.MalformedException e) {
      return mac; // unknown-dst
    }
  }

  /** The UUID of the {@code Ucast_Macs_Remote} row of {@code mac} in a logical switch, or null. */
  @Nullable String ucastRemote(String logicalSwitch, String mac) {
    return ucastRemoteByKey.get(key(logicalSwitch, mac));
  }

  /** The UUID of the {@code Mcast_Macs_Remote} row of {@code mac} in a logical switch, or null. */
  @Nullable String mcastRemote(String logicalSwitch, String mac) {
    return mcastRemoteByKey.get(key(logicalSwitch, mac));
  }

  /** The UUID of the logical switch of {@code vni}, or null. */
  @Nullable String logicalSwitchUuid(long vni) {
    return switchByVni.get(vni);
  }

  private void count(String table, @Nullable JsonNode row, int delta) {
    if (row == null) {
      return;
    }
    List<JsonNode> refs = new ArrayList<>();
    for (String column : referring.getOrDefault(table, List.of())) {
      JsonNode value = row.get(column);
      List<Map.Entry<JsonNode, JsonNode>> pairs = Operations.pairs(value);
      if (!pairs.isEmpty()) {
        pairs.forEach(e -> refs.add(e.getValue()));
      } else {
        refs.addAll(Operations.elements(value));
      }
    }
    for (JsonNode ref : refs) {
      String uuid = Operations.uuidOf(ref);
      if (uuid != null) {
        int n = references.merge(uuid, delta, Integer::sum);
        if (n <= 0) {
          unreferenced.add(uuid);
        }
      }
    }
  }

  private Map<String, JsonNode> held(String table) {
    return java.util.Objects.requireNonNull(rows.get(table), table);
  }

  /** The rows of {@code table} by UUID (a read-only view). */
  public Map<String, JsonNode> rows(String table) {
    Map<String, JsonNode> t = rows.get(table);
    if (t == null) {
      throw new IllegalArgumentException("the replica does not hold table " + table);
    }
    return java.util.Collections.unmodifiableMap(t);
  }

  // ------------------------------------------------------------------------------ typed views

  /**
   * A logical switch: a bridge domain of the TOR, its VNI in {@code tunnel_key}.
   *
   * @param uuid the row
   * @param name its name
   * @param tunnelKey the VNI, or -1 when not set
   */
  public record LogicalSwitch(String uuid, String name, long tunnelKey) {}

  /**
   * A physical locator: a VTEP, local or remote.
   *
   * @param uuid the row
   * @param encapsulation {@code vxlan_over_ipv4}
   * @param dstIp the VTEP's address
   */
  public record Locator(String uuid, String encapsulation, String dstIp) {}

  /**
   * A row of a unicast MAC table.
   *
   * @param uuid the row
   * @param mac the MAC
   * @param logicalSwitch the logical switch's UUID
   * @param locator the locator's UUID
   * @param ipaddr the IP address for ARP suppression, or empty
   */
  public record UcastMac(
      String uuid, MacAddress mac, String logicalSwitch, String locator, String ipaddr) {}

  /**
   * A row of a multicast MAC table ({@code unknown-dst}: the flood entry).
   *
   * @param uuid the row
   * @param mac a MAC, or {@code unknown-dst}
   * @param logicalSwitch the logical switch's UUID
   * @param locatorSet the locator set's UUID
   */
  public record McastMac(String uuid, String mac, String logicalSwitch, String locatorSet) {}

  /**
   * A physical port of the TOR with its VLAN bindings.
   *
   * @param uuid the row
   * @param name its name
   * @param vlanBindings logical switch UUIDs by VLAN (0-4095)
   */
  public record PhysicalPort(String uuid, String name, Map<Integer, String> vlanBindings) {}

  /** The logical switches. */
  public List<LogicalSwitch> logicalSwitches() {
    List<LogicalSwitch> out = new ArrayList<>();
    held(LOGICAL_SWITCH)
        .forEach(
            (uuid, row) -> {
              List<JsonNode> key = Operations.elements(row.get("tunnel_key"));
              out.add(
                  new LogicalSwitch(
                      uuid, row.path("name").asText(), key.isEmpty() ? -1 : key.get(0).asLong()));
            });
    return out;
  }

  /** The logical switch whose {@code tunnel_key} is {@code vni}. */
  public Optional<LogicalSwitch> logicalSwitchOfVni(long vni) {
    String uuid = switchByVni.get(vni);
    return uuid == null ? Optional.empty() : logicalSwitch(uuid);
  }

  /** The logical switch of UUID {@code uuid}. */
  public Optional<LogicalSwitch> logicalSwitch(String uuid) {
    JsonNode row = held(LOGICAL_SWITCH).get(uuid);
    if (row == null) {
      return Optional.empty();
    }
    List<JsonNode> key = Operations.elements(row.get("tunnel_key"));
    return Optional.of(
        new LogicalSwitch(
            uuid, row.path("name").asText(), key.isEmpty() ? -1 : key.get(0).asLong()));
  }

  /** The locators. */
  public List<Locator> locators() {
    List<Locator> out = new ArrayList<>();
    held(LOCATOR)
        .forEach(
            (uuid, row) ->
                out.add(
                    new Locator(
                        uuid,
                        row.path("encapsulation_type").asText(),
                        row.path("dst_ip").asText())));
    return out;
  }

  /** The locator of {@code vxlan_over_ipv4} to {@code dstIp}, if the server has one. */
  public Optional<Locator> locatorOf(String dstIp) {
    String uuid = locatorByIp.get(dstIp);
    return uuid == null ? Optional.empty() : Optional.of(new Locator(uuid, VXLAN_OVER_IPV4, dstIp));
  }

  /** The locator of UUID {@code uuid}. */
  public Optional<Locator> locator(String uuid) {
    JsonNode row = held(LOCATOR).get(uuid);
    return row == null
        ? Optional.empty()
        : Optional.of(
            new Locator(
                uuid, row.path("encapsulation_type").asText(), row.path("dst_ip").asText()));
  }

  /** The locators of locator set {@code uuid} (empty if unknown). */
  public List<String> locatorSet(String uuid) {
    JsonNode row = held(LOCATOR_SET).get(uuid);
    List<String> out = new ArrayList<>();
    if (row != null) {
      for (JsonNode l : Operations.elements(row.get("locators"))) {
        String u = Operations.uuidOf(l);
        if (u != null) {
          out.add(u);
        }
      }
    }
    return out;
  }

  /** The rows of {@code Ucast_Macs_Local} (what the TOR learned). */
  public List<UcastMac> ucastLocal() {
    return ucast(UCAST_LOCAL);
  }

  /** The rows of {@code Ucast_Macs_Remote} (what the controller programmed). */
  public List<UcastMac> ucastRemote() {
    return ucast(UCAST_REMOTE);
  }

  /** The rows of {@code Mcast_Macs_Local}. */
  public List<McastMac> mcastLocal() {
    return mcast(MCAST_LOCAL);
  }

  /** The rows of {@code Mcast_Macs_Remote}. */
  public List<McastMac> mcastRemote() {
    return mcast(MCAST_REMOTE);
  }

  /**
   * A unicast MAC row of {@code table} ({@link #ucastLocal}'s or {@link #ucastRemote}'s), or null.
   */
  static @Nullable UcastMac ucast(String table, String uuid, JsonNode row) {
    MacAddress mac;
    try {
      mac = MacAddress.parse(row.path("MAC").asText());
    } catch (io.evpnkit.evpn.MalformedException e) {
      return null; // not a MAC this side can use (the schema allows any string)
    }
    String ls = Operations.uuidOf(row.get("logical_switch"));
    String loc = Operations.uuidOf(row.get("locator"));
    if (ls == null || loc == null) {
      return null;
    }
    return new UcastMac(uuid, mac, ls, loc, row.path("ipaddr").asText(""));
  }

  private List<UcastMac> ucast(String table) {
    List<UcastMac> out = new ArrayList<>();
    held(table)
        .forEach(
            (uuid, row) -> {
              UcastMac m = ucast(table, uuid, row);
              if (m != null) {
                out.add(m);
              }
            });
    return out;
  }

  private List<McastMac> mcast(String table) {
    List<McastMac> out = new ArrayList<>();
    held(table)
        .forEach(
            (uuid, row) -> {
              String ls = Operations.uuidOf(row.get("logical_switch"));
              String set = Operations.uuidOf(row.get("locator_set"));
              if (ls != null && set != null) {
                out.add(new McastMac(uuid, row.path("MAC").asText(), ls, set));
              }
            });
    return out;
  }

  /** The physical ports. */
  public List<PhysicalPort> physicalPorts() {
    List<PhysicalPort> out = new ArrayList<>();
    held(PHYSICAL_PORT)
        .forEach(
            (uuid, row) -> {
              Map<Integer, String> bindings = new java.util.TreeMap<>();
              for (Map.Entry<JsonNode, JsonNode> e : Operations.pairs(row.get("vlan_bindings"))) {
                String ls = Operations.uuidOf(e.getValue());
                if (ls != null) {
                  bindings.put(e.getKey().asInt(), ls);
                }
              }
              out.add(new PhysicalPort(uuid, row.path("name").asText(), Map.copyOf(bindings)));
            });
    return out;
  }

  /** The tunnel IP addresses of the physical switches (the TOR's own VTEP addresses). */
  public List<String> tunnelIps() {
    List<String> out = new ArrayList<>();
    held(PHYSICAL_SWITCH)
        .values()
        .forEach(
            row -> Operations.elements(row.get("tunnel_ips")).forEach(n -> out.add(n.asText())));
    return out;
  }
}
