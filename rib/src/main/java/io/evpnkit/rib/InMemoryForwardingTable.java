package io.evpnkit.rib;

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
 * The reference driver: holds what the RIB downloads, in memory, and checks that every batch keeps it consistent the
 * way hardware needs (a MAC never points to a group that does not exist, a group is never removed while a MAC uses
 * it); a violation throws {@link IllegalStateException} and leaves the table unchanged. Queries and a {@code show}
 * rendering serve tests and examples. Not thread-safe: the RIB calls it from one thread.
 *
 * @since 0.1
 */
public final class InMemoryForwardingTable implements ForwardingDriver {
  private final Map<Long, ForwardingOp.SetGroup> groups = new HashMap<>();
  private final Map<ForwardingOp.MacKey, Destination> macs = new HashMap<>();
  private final Map<Integer, List<IpAddress>> floods = new HashMap<>();
  private final Map<ForwardingOp.NeighborKey, MacAddress> neighbors = new HashMap<>();
  private final Map<ForwardingOp.RouteKey, ForwardingOp.SetRoute> routes = new HashMap<>();
  private long operations;
  private long batches;
  private long resyncs;

  /** Creates an empty table. */
  public InMemoryForwardingTable() {}

  @Override
  public void apply(List<ForwardingOp> batch) {
    InMemoryForwardingTable copy = copy();
    for (ForwardingOp op : batch) {
      copy.applyOne(op);
    }
    adopt(copy);
    operations += batch.size();
    batches++;
  }

  @Override
  public void replaceAll(List<ForwardingOp> state) {
    InMemoryForwardingTable fresh = new InMemoryForwardingTable();
    for (ForwardingOp op : state) {
      fresh.applyOne(op);
    }
    adopt(fresh);
    operations += state.size();
    resyncs++;
  }

  private InMemoryForwardingTable copy() {
    InMemoryForwardingTable c = new InMemoryForwardingTable();
    c.groups.putAll(groups);
    c.macs.putAll(macs);
    c.floods.putAll(floods);
    c.neighbors.putAll(neighbors);
    c.routes.putAll(routes);
    return c;
  }

  private void adopt(InMemoryForwardingTable t) {
    groups.clear();
    groups.putAll(t.groups);
    macs.clear();
    macs.putAll(t.macs);
    floods.clear();
    floods.putAll(t.floods);
    neighbors.clear();
    neighbors.putAll(t.neighbors);
    routes.clear();
    routes.putAll(t.routes);
  }

  private void applyOne(ForwardingOp op) {
    if (op instanceof ForwardingOp.SetGroup g) {
      groups.put(g.groupId(), g);
    } else if (op instanceof ForwardingOp.RemoveGroup g) {
      for (Map.Entry<ForwardingOp.MacKey, Destination> e : macs.entrySet()) {
        if (e.getValue() instanceof Destination.Group d && d.groupId() == g.groupId()) {
          throw new IllegalStateException("group " + g.groupId() + " removed while " + e.getKey() + " uses it");
        }
      }
      groups.remove(g.groupId());
    } else if (op instanceof ForwardingOp.SetMac m) {
      if (m.destination() instanceof Destination.Group d && !groups.containsKey(d.groupId())) {
        throw new IllegalStateException("MAC " + m.mac() + " points to group " + d.groupId() + " before it exists");
      }
      macs.put(new ForwardingOp.MacKey(m.vni(), m.mac()), m.destination());
    } else if (op instanceof ForwardingOp.RemoveMac m) {
      macs.remove(new ForwardingOp.MacKey(m.vni(), m.mac()));
    } else if (op instanceof ForwardingOp.SetFlood f) {
      floods.put(f.vni(), f.vteps());
    } else if (op instanceof ForwardingOp.RemoveFlood f) {
      floods.remove(f.vni());
    } else if (op instanceof ForwardingOp.SetNeighbor n) {
      neighbors.put(new ForwardingOp.NeighborKey(n.vni(), n.ip()), n.mac());
    } else if (op instanceof ForwardingOp.RemoveNeighbor n) {
      neighbors.remove(new ForwardingOp.NeighborKey(n.vni(), n.ip()));
    } else if (op instanceof ForwardingOp.SetRoute r) {
      routes.put(new ForwardingOp.RouteKey(r.vrf(), r.prefix()), r);
    } else if (op instanceof ForwardingOp.RemoveRoute r) {
      routes.remove(new ForwardingOp.RouteKey(r.vrf(), r.prefix()));
    }
  }

  /** Returns where frames to {@code mac} in bridge domain {@code vni} go, or {@code null}. */
  public @Nullable Destination mac(int vni, MacAddress mac) {
    return macs.get(new ForwardingOp.MacKey(vni, mac));
  }

  /**
   * Returns the VTEPs frames to {@code mac} may go to (a group resolved to its members; empty for a local port or
   * an unknown MAC).
   */
  public List<IpAddress> vteps(int vni, MacAddress mac) {
    Destination d = mac(vni, mac);
    if (d instanceof Destination.RemoteVtep v) {
      return List.of(v.vtep());
    }
    if (d instanceof Destination.Group g) {
      ForwardingOp.SetGroup group = groups.get(g.groupId());
      return group == null ? List.of() : group.members().stream().map(ForwardingOp.Member::vtep).toList();
    }
    return List.of();
  }

  /** Returns the MAC entries, by bridge domain and MAC. */
  public Map<ForwardingOp.MacKey, Destination> macs() {
    return Collections.unmodifiableMap(new HashMap<>(macs));
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
    return neighbors.get(new ForwardingOp.NeighborKey(vni, ip));
  }

  /** Returns the neighbor entries. */
  public Map<ForwardingOp.NeighborKey, MacAddress> neighbors() {
    return Collections.unmodifiableMap(new HashMap<>(neighbors));
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
   * Returns the table in the style of Junos {@code show ethernet-switching table}: one line per MAC with its bridge
   * domain, flags ({@code L} local, {@code R} remote, {@code A} aliased over an Ethernet segment's group) and where
   * it goes.
   */
  public String show() {
    StringBuilder sb = new StringBuilder();
    sb.append("MAC flags (L - locally learned, R - remote, A - aliased over an Ethernet segment)\n\n");
    sb.append("Ethernet switching table : ").append(macs.size()).append(" entries\n");
    sb.append(String.format("   %-10s %-19s %-6s %-24s %s%n", "VNI", "MAC address", "Flags", "Logical interface",
        "Active source"));
    List<Map.Entry<ForwardingOp.MacKey, Destination>> entries = new ArrayList<>(macs.entrySet());
    entries.sort((a, b) -> a.getKey().vni() != b.getKey().vni() ? Integer.compare(a.getKey().vni(), b.getKey().vni())
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
        source = String.join(" ", vteps(e.getKey().vni(), e.getKey().mac()).stream().map(String::valueOf).toList());
      }
      sb.append(String.format("   %-10d %-19s %-6s %-24s %s%n", e.getKey().vni(), e.getKey().mac(), flags, logical,
          source));
    }
    return sb.toString();
  }
}
