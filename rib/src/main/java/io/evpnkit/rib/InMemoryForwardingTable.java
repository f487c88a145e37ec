package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The reference driver: holds what the RIB downloads, in memory, and checks that every batch keeps
 * it consistent the way hardware needs (a MAC never points to a group that does not exist, a group
 * is never removed while a MAC uses it); a violation throws {@link IllegalStateException} and
 * leaves the table unchanged. Queries and a {@code show} rendering serve tests and examples. Not
 * thread-safe: the RIB calls it from one thread.
 *
 * @since 0.1
 */
@Beta
public final class InMemoryForwardingTable implements ForwardingDriver {
  private final Map<Long, ForwardingOp.SetGroup> groups = new HashMap<>();
  // MAC entries per bridge domain: the MAC's 48 bits and a 16-bit index of its destination in one
  // long per entry
  private final Map<Integer, PackedMacTable> macs = new HashMap<>();

  /** The MAC table of the last VNI found and the VNI: a batch's MACs are mostly of one VNI. */
  private int cachedVni;

  private @Nullable PackedMacTable cachedTable;

  /** Returns the MAC table of a VNI, or null (without boxing the VNI when it is the last one). */
  private @Nullable PackedMacTable macTable(int vni) {
    PackedMacTable t = cachedTable;
    if (t != null && cachedVni == vni) {
      return t;
    }
    t = macs.get(vni);
    if (t != null) {
      cachedVni = vni;
      cachedTable = t;
    }
    return t;
  }

  private int macCount;
  private Destinations destinations = new Destinations(); // replaced whole by a resync
  private final Undo undo = new Undo();
  private final Map<Integer, List<IpAddress>> floods = new HashMap<>();
  // the ARP/ND suppression entries: the SetNeighbor operations themselves, held by their key (an
  // entry per remote host, no key or map entry objects)
  private FibState.OpTable neighbors = new FibState.OpTable();
  private final Map<ForwardingOp.RouteKey, ForwardingOp.SetRoute> routes = new HashMap<>();
  private final Map<Long, Integer> groupUsers = new HashMap<>();
  private long operations;
  private long batches;
  private long resyncs;

  /** Creates an empty table. */
  public InMemoryForwardingTable() {}

  /**
   * The destinations MAC entries use, by a 16-bit index (1-65,534), counted by the entries that use
   * them so that an index is reused once no entry uses it; beyond 65,534 destinations at once,
   * entries keep theirs in a map ({@link #OVERFLOW}).
   */
  private static final class Destinations {
    static final int OVERFLOW = 0xFFFF;
    final List<@Nullable Destination> byIndex = new ArrayList<>();
    final Map<Destination, Integer> indexes = new HashMap<>();
    int[] users = new int[16];
    final java.util.ArrayDeque<Integer> free = new java.util.ArrayDeque<>();

    Destinations() {
      byIndex.add(null); // index 0 is "no entry"
    }

    /** The index of {@code d}, counting one more user; OVERFLOW when every index is taken. */
    int acquire(Destination d) {
      Integer known = indexes.get(d);
      int i;
      if (known != null) {
        i = known;
      } else if (!free.isEmpty()) {
        i = free.pop();
        byIndex.set(i, d);
        indexes.put(d, i);
      } else if (byIndex.size() < OVERFLOW) {
        i = byIndex.size();
        byIndex.add(d);
        indexes.put(d, i);
        if (i >= users.length) {
          users = java.util.Arrays.copyOf(users, users.length * 2);
        }
      } else {
        return OVERFLOW;
      }
      users[i]++;
      return i;
    }

    /** One user fewer for index {@code i} (not OVERFLOW, not 0). */
    void release(int i) {
      if (--users[i] == 0) {
        Destination d = byIndex.get(i);
        if (d != null) {
          indexes.remove(d);
        }
        byIndex.set(i, null);
        free.push(i);
      }
    }

    Destination get(int i) {
      return java.util.Objects.requireNonNull(byIndex.get(i));
    }
  }

  /**
   * The undo log of a batch: MAC entries in primitive arrays (no object per operation), other
   * entries as actions.
   */
  private static final class Undo {
    int size;
    int[] vnis = new int[64];
    long[] macs = new long[64];
    // a MAC's old destination (or null); a neighbor operation to apply again (macs[i] == 1: remove
    // its key instead); or a Runnable for other entries
    @Nullable Object[] olds = new Object[64];
    boolean[] isMac = new boolean[64];

    void clear() {
      java.util.Arrays.fill(olds, 0, size, null);
      size = 0;
    }

    private void push(int vni, long mac, @Nullable Object old, boolean mac48) {
      if (size == vnis.length) {
        int n = size * 2;
        vnis = java.util.Arrays.copyOf(vnis, n);
        macs = java.util.Arrays.copyOf(macs, n);
        olds = java.util.Arrays.copyOf(olds, n);
        isMac = java.util.Arrays.copyOf(isMac, n);
      }
      vnis[size] = vni;
      macs[size] = mac;
      olds[size] = old;
      isMac[size] = mac48;
      size++;
    }

    void mac(int vni, long mac, @Nullable Destination old) {
      push(vni, mac, old, true);
    }

    void other(Runnable action) {
      push(0, 0, action, false);
    }

    /** Undoing puts {@code op} back, or ({@code removeKey}) removes the entry of its key. */
    void neighbor(ForwardingOp op, boolean removeKey) {
      push(0, removeKey ? 1 : 0, op, false);
    }
  }

  @Override
  public void apply(List<ForwardingOp> batch) {
    undo.clear();
    try {
      for (ForwardingOp op : batch) {
        applyOne(op, undo);
      }
    } catch (RuntimeException e) {
      for (int i = undo.size - 1; i >= 0; i--) { // the table is left as it was before the batch
        Object old = undo.olds[i];
        if (undo.isMac[i]) {
          macPut(undo.vnis[i], undo.macs[i], (Destination) old, null);
        } else if (old instanceof ForwardingOp op) {
          neighborPut(op, undo.macs[i] == 1, null);
        } else {
          ((Runnable) java.util.Objects.requireNonNull(old)).run();
        }
      }
      undo.clear();
      throw e;
    }
    undo.clear();
    operations += batch.size();
    batches++;
  }

  @Override
  public void replaceAll(List<ForwardingOp> state) {
    InMemoryForwardingTable fresh = new InMemoryForwardingTable();
    for (ForwardingOp op : state) {
      fresh.applyOne(op, null);
    }
    groups.clear();
    groups.putAll(fresh.groups);
    macs.clear();
    macs.putAll(fresh.macs);
    cachedTable = null;
    macCount = fresh.macCount;
    destinations = fresh.destinations; // the fresh table's indexes go with its MAC entries
    overflow.clear();
    overflow.putAll(fresh.overflow);
    floods.clear();
    floods.putAll(fresh.floods);
    neighbors = fresh.neighbors;
    routes.clear();
    routes.putAll(fresh.routes);
    groupUsers.clear();
    groupUsers.putAll(fresh.groupUsers);
    operations += state.size();
    resyncs++;
  }

  private static <K, V> void put(Map<K, V> map, K key, @Nullable V value, @Nullable Undo undo) {
    V old = value == null ? map.remove(key) : map.put(key, value);
    if (undo != null) {
      undo.other(
          () -> {
            if (old == null) {
              map.remove(key);
            } else {
              map.put(key, old);
            }
          });
    }
  }

  // MAC entries whose destination has no 16-bit index (more than 65,534 distinct destinations at
  // once)
  private final Map<ForwardingOp.MacKey, Destination> overflow = new HashMap<>();

  private @Nullable Destination destination(int vni, long mac, int index) {
    return index == 0
        ? null
        : index == Destinations.OVERFLOW
            ? overflow.get(new ForwardingOp.MacKey(vni, MacAddress.of(mac)))
            : destinations.get(index);
  }

  private @Nullable Destination macGet(int vni, long mac) {
    PackedMacTable t = macTable(vni);
    return t == null ? null : destination(vni, mac, t.get(mac));
  }

  /**
   * Sets (or with {@code null} removes) a MAC entry, logging how to undo it if {@code undo} is
   * given; returns the destination it had.
   */
  private @Nullable Destination macPut(
      int vni, long mac, @Nullable Destination d, @Nullable Undo undo) {
    PackedMacTable t = macTable(vni);
    if (t == null) {
      if (d == null) {
        return null;
      }
      t = new PackedMacTable();
      macs.put(vni, t);
      cachedTable = null;
    }
    int index = d == null ? 0 : destinations.acquire(d);
    int oldIndex = index == 0 ? t.remove(mac) : t.put(mac, index);
    Destination old = destination(vni, mac, oldIndex);
    if (oldIndex == Destinations.OVERFLOW) {
      overflow.remove(new ForwardingOp.MacKey(vni, MacAddress.of(mac)));
    } else if (oldIndex != 0) {
      destinations.release(oldIndex);
    }
    if (index == Destinations.OVERFLOW) {
      overflow.put(
          new ForwardingOp.MacKey(vni, MacAddress.of(mac)), java.util.Objects.requireNonNull(d));
    }
    macCount += (index != 0 ? 1 : 0) - (oldIndex != 0 ? 1 : 0);
    if (t.size() == 0) {
      macs.remove(vni);
      cachedTable = null;
    }
    if (undo != null) {
      undo.mac(vni, mac, old);
    }
    return old;
  }

  private void use(@Nullable Destination d, int delta, @Nullable Undo undo) {
    if (d instanceof Destination.Group g) {
      groupUsers.merge(g.groupId(), delta, Integer::sum);
      if (undo != null) {
        undo.other(() -> groupUsers.merge(g.groupId(), -delta, Integer::sum));
      }
    }
  }

  private void applyOne(ForwardingOp op, @Nullable Undo undo) {
    if (op instanceof ForwardingOp.SetGroup g) {
      put(groups, g.groupId(), g, undo);
    } else if (op instanceof ForwardingOp.RemoveGroup g) {
      if (groupUsers.getOrDefault(g.groupId(), 0) > 0) {
        throw new IllegalStateException(
            "group "
                + g.groupId()
                + " removed while "
                + groupUsers.get(g.groupId())
                + " MAC(s) use it");
      }
      put(groups, g.groupId(), null, undo);
    } else if (op instanceof ForwardingOp.SetMac m) {
      if (m.destination() instanceof Destination.Group d && !groups.containsKey(d.groupId())) {
        throw new IllegalStateException(
            "MAC " + m.mac() + " points to group " + d.groupId() + " before it exists");
      }
      use(m.destination(), 1, undo);
      use(macPut(m.vni(), m.mac().value(), m.destination(), undo), -1, undo);
    } else if (op instanceof ForwardingOp.RemoveMac m) {
      use(macPut(m.vni(), m.mac().value(), null, undo), -1, undo);
    } else if (op instanceof ForwardingOp.SetFlood f) {
      put(floods, f.vni(), f.vteps(), undo);
    } else if (op instanceof ForwardingOp.RemoveFlood f) {
      put(floods, f.vni(), null, undo);
    } else if (op instanceof ForwardingOp.SetNeighbor n) {
      neighborPut(n, false, undo);
    } else if (op instanceof ForwardingOp.RemoveNeighbor n) {
      neighborPut(n, true, undo);
    } else if (op instanceof ForwardingOp.SetRoute r) {
      put(routes, new ForwardingOp.RouteKey(r.vrf(), r.prefix()), r, undo);
    } else if (op instanceof ForwardingOp.RemoveRoute r) {
      put(routes, new ForwardingOp.RouteKey(r.vrf(), r.prefix()), null, undo);
    }
  }

  /** Sets the neighbor entry of {@code op} or ({@code remove}) removes the entry of its key. */
  private void neighborPut(ForwardingOp op, boolean remove, @Nullable Undo undo) {
    int hash = FibState.keyHash(op);
    int i = neighbors.find(op, hash);
    ForwardingOp old = i < 0 ? null : neighbors.at(i);
    if (remove) {
      if (i >= 0) {
        neighbors.removeAt(i);
      }
    } else if (i >= 0) {
      neighbors.set(i, op);
    } else {
      neighbors.add(op, hash);
    }
    if (undo != null) {
      if (old != null) {
        undo.neighbor(old, false);
      } else {
        undo.neighbor(op, true);
      }
    }
  }

  /** Returns where frames to {@code mac} in bridge domain {@code vni} go, or {@code null}. */
  public @Nullable Destination mac(int vni, MacAddress mac) {
    return macGet(vni, mac.value());
  }

  /**
   * Returns the VTEPs frames to {@code mac} may go to (a group resolved to its members; empty for a
   * local port or an unknown MAC).
   */
  public List<IpAddress> vteps(int vni, MacAddress mac) {
    Destination d = mac(vni, mac);
    if (d instanceof Destination.RemoteVtep v) {
      return List.of(v.vtep());
    }
    if (d instanceof Destination.Group g) {
      ForwardingOp.SetGroup group = groups.get(g.groupId());
      return group == null
          ? List.of()
          : group.members().stream()
              .filter(m -> m.weight() > 0)
              .map(ForwardingOp.Member::vtep)
              .toList();
    }
    return List.of();
  }

  /** Returns the MAC entries, by bridge domain and MAC. */
  public Map<ForwardingOp.MacKey, Destination> macs() {
    Map<ForwardingOp.MacKey, Destination> out = new HashMap<>();
    macs.forEach(
        (vni, t) ->
            t.forEach(
                (mac, index) ->
                    out.put(
                        new ForwardingOp.MacKey(vni, MacAddress.of(mac)),
                        java.util.Objects.requireNonNull(destination(vni, mac, index)))));
    return Collections.unmodifiableMap(out);
  }

  /** Returns the number of MAC entries. */
  public int macCount() {
    return macCount;
  }

  /** Returns the groups by identifier. */
  public Map<Long, ForwardingOp.SetGroup> groups() {
    return Collections.unmodifiableMap(new HashMap<>(groups));
  }

  /** Returns the flood list of a bridge domain (empty if none). */
  public List<IpAddress> flood(int vni) {
    return floods.getOrDefault(vni, List.of());
  }

  /** Returns the flood lists by VNI. */
  public Map<Integer, List<IpAddress>> floods() {
    return Collections.unmodifiableMap(new TreeMap<>(floods));
  }

  /** Returns the ARP/ND suppression answer for {@code ip}, or {@code null}. */
  public @Nullable MacAddress neighbor(int vni, IpAddress ip) {
    ForwardingOp probe = new ForwardingOp.RemoveNeighbor(vni, ip);
    int i = neighbors.find(probe, FibState.keyHash(probe));
    return i < 0
        ? null
        : ((ForwardingOp.SetNeighbor) java.util.Objects.requireNonNull(neighbors.at(i))).mac();
  }

  /** Returns the neighbor entries. */
  public Map<ForwardingOp.NeighborKey, MacAddress> neighbors() {
    Map<ForwardingOp.NeighborKey, MacAddress> out = new HashMap<>();
    neighbors.forEach(
        op -> {
          ForwardingOp.SetNeighbor n = (ForwardingOp.SetNeighbor) op;
          out.put(new ForwardingOp.NeighborKey(n.vni(), n.ip()), n.mac());
        });
    return Collections.unmodifiableMap(out);
  }

  /** Returns an IP route, or {@code null}. */
  public ForwardingOp.@Nullable SetRoute route(String vrf, IpPrefix prefix) {
    return routes.get(new ForwardingOp.RouteKey(vrf, prefix));
  }

  /** Returns the IP routes. */
  public Map<ForwardingOp.RouteKey, ForwardingOp.SetRoute> routes() {
    return Collections.unmodifiableMap(new HashMap<>(routes));
  }

  /** Returns the operations applied so far (batches and resyncs). */
  public long operations() {
    return operations;
  }

  /** Returns the batches applied. */
  public long batches() {
    return batches;
  }

  /** Returns the full resyncs received. */
  public long resyncs() {
    return resyncs;
  }

  /**
   * Returns the table in the style of Junos {@code show ethernet-switching table}: one line per MAC
   * with its bridge domain, flags ({@code L} local, {@code R} remote, {@code A} aliased over an
   * Ethernet segment's group) and where it goes.
   */
  public String show() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "MAC flags (L - locally learned, R - remote, A - aliased over an Ethernet segment)\n\n");
    sb.append("Ethernet switching table : ").append(macCount).append(" entries\n");
    sb.append(
        String.format(
            "   %-10s %-19s %-6s %-24s %s%n",
            "VNI", "MAC address", "Flags", "Logical interface", "Active source"));
    List<Map.Entry<ForwardingOp.MacKey, Destination>> entries = new ArrayList<>(macs().entrySet());
    entries.sort(
        (a, b) ->
            a.getKey().vni() != b.getKey().vni()
                ? Integer.compare(a.getKey().vni(), b.getKey().vni())
                : a.getKey().mac().compareTo(b.getKey().mac()));
    for (Map.Entry<ForwardingOp.MacKey, Destination> e : entries) {
      Destination d = e.getValue();
      String flags;
      String logical;
      String source;
      if (d instanceof Destination.LocalPort p) {
        flags = "L";
        logical = p.port();
        source = "";
      } else if (d instanceof Destination.RemoteVtep v) {
        flags = "R";
        logical = "vtep." + v.vtep();
        source = v.vtep().toString();
      } else {
        Destination.Group g = (Destination.Group) d;
        ForwardingOp.SetGroup group = groups.get(g.groupId());
        flags = "RA";
        logical = group == null ? "esi.?" : "esi." + group.esi();
        source =
            String.join(
                " ",
                vteps(e.getKey().vni(), e.getKey().mac()).stream().map(String::valueOf).toList());
      }
      sb.append(
          String.format(
              "   %-10d %-19s %-6s %-24s %s%n",
              e.getKey().vni(), e.getKey().mac(), flags, logical, source));
    }
    return sb.toString();
  }
}
