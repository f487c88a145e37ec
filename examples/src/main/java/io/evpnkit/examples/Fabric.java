package io.evpnkit.examples;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.MacEntry;
import io.evpnkit.rib.Peer;
import io.evpnkit.rib.RibListener;
import io.evpnkit.rib.RouteSink;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An in-process EVPN-VXLAN fabric: leaves, each a full evpnkit stack (Junos-style configuration,
 * {@link EvpnRib}, {@link InMemoryForwardingTable}), and a route reflector between them. Every
 * route a leaf originates is encoded into real BGP UPDATE messages with evpn-codec's {@link
 * UpdateEncoder}; the reflector decodes them with {@link UpdateDecoder} and passes the same bytes
 * to every other leaf, which decodes them again into its RIB. Time is simulated (one clock for
 * all).
 */
final class Fabric implements AutoCloseable {
  static final long AS = 65000;
  static final IpAddress REFLECTOR = IpAddress.parse("10.0.0.100");

  /** A segment: its ESI and the leaves attached (each through its own ae port). */
  /**
   * An Ethernet segment: its ESI, its leaves, its mode and its DF election algorithm ({@code mod},
   * {@code hrw}, or {@code preference}, where the leaves listed first are preferred).
   */
  record Segment(String name, String esi, List<String> leaves, boolean singleActive, String df) {}

  /** A host: name, MAC, IP, VNI, and where it is now. */
  static final class Host {
    final String name;
    final MacAddress mac;
    final @Nullable IpAddress ip;
    final int vni;
    String leaf = "";
    String port = "";

    Host(String name, MacAddress mac, @Nullable IpAddress ip, int vni) {
      this.name = name;
      this.mac = mac;
      this.ip = ip;
      this.vni = vni;
    }
  }

  /** One leaf: its stack, and the routes it currently announces (to replay after a restore). */
  final class Leaf implements RouteSink {
    final String name;
    final IpAddress vtep;
    final InMemoryForwardingTable table = new InMemoryForwardingTable();
    final Map<String, EvpnRoute> routes = new LinkedHashMap<>();
    final Map<String, PathAttributes> attributes = new LinkedHashMap<>();
    @Nullable EvpnRib rib;
    boolean up = true;

    Leaf(String name, IpAddress vtep) {
      this.name = name;
      this.vtep = vtep;
    }

    EvpnRib rib() {
      EvpnRib r = rib;
      if (r == null) {
        throw new IllegalStateException("leaf " + name + " is not built");
      }
      return r;
    }

    @Override
    public void announce(EvpnRoute route, PathAttributes a) {
      routes.put(route.toString(), route);
      attributes.put(route.toString(), a);
      if (up) {
        reflect(this, route, a, true);
      }
    }

    @Override
    public void withdraw(EvpnRoute route) {
      routes.remove(route.toString());
      attributes.remove(route.toString());
      if (up) {
        reflect(this, route, null, false);
      }
    }
  }

  final Map<String, Leaf> leaves = new LinkedHashMap<>();
  final Map<String, Segment> segments = new LinkedHashMap<>();
  final Map<String, Host> hosts = new LinkedHashMap<>();
  final AtomicLong clock = new AtomicLong();
  final List<String> events = new ArrayList<>();
  private final UpdateEncoder encoder = new UpdateEncoder(SessionOptions.IBGP);
  private final Peer reflector = new Peer(REFLECTOR, 0x0A00_0064L, false);
  private long messages;
  private long octets;
  private final Consumer<String> trace;

  Fabric(Consumer<String> trace) {
    this.trace = trace;
  }

  void addLeaf(String name, IpAddress vtep) {
    if (leaves.containsKey(name)) {
      throw new IllegalArgumentException("leaf " + name + " already exists");
    }
    leaves.put(name, new Leaf(name, vtep));
  }

  void addSegment(String name, String esi, List<String> members, boolean singleActive, String df) {
    for (String l : members) {
      leaf(l);
    }
    segments.put(name, new Segment(name, esi, List.copyOf(members), singleActive, df));
  }

  Leaf leaf(String name) {
    Leaf l = leaves.get(name);
    if (l == null) {
      throw new IllegalArgumentException(
          "no leaf " + name + " (leaves: " + String.join(", ", leaves.keySet()) + ")");
    }
    return l;
  }

  /**
   * The Junos-style configuration of a leaf: the design deck's VTEP with IRB anycast gateways and
   * its segments' LAGs.
   */
  String config(Leaf leaf) {
    StringBuilder ae = new StringBuilder();
    int n = 0;
    for (Segment s : segments.values()) {
      if (s.leaves().contains(leaf.name)) {
        String df =
            switch (s.df()) {
              case "hrw" -> " df-election-type hrw;";
              case "preference" ->
                  " df-election-type preference value "
                      + 100 * (s.leaves().size() - s.leaves().indexOf(leaf.name))
                      + ";";
              default -> "";
            };
        ae.append("    ae")
            .append(n++)
            .append(" {\n        esi { ")
            .append(s.esi())
            .append(s.singleActive() ? "; single-active;" : "; all-active;")
            .append(df)
            .append(
                " }\n        unit 0 { family ethernet-switching { interface-mode trunk; "
                    + "vlan { members [ v100 v101 ]; } } }\n    }\n");
      }
    }
    // a leaf's number: the last octet of an IPv4 VTEP, else its place among the leaves (11, 12,
    // ...); an IPv6 VTEP
    // gets router id 10.255.0.N, from which its route distinguishers are made (RFC 7432 §7.9: type
    // 1 needs IPv4)
    int host =
        leaf.vtep.isIpv6()
            ? 11 + new ArrayList<>(leaves.keySet()).indexOf(leaf.name)
            : leaf.vtep.ipv4() & 0xFF;
    String routerId = leaf.vtep.isIpv6() ? "10.255.0." + host : leaf.vtep.toString();
    return """
        routing-options { router-id %s; autonomous-system %d; }
        interfaces {
            xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } } }
        %s    irb {
                unit 100 { family inet { address 10.1.0.%d/24 { virtual-gateway-address 10.1.0.1; } } }
                unit 101 { family inet { address 10.1.1.%d/24 { virtual-gateway-address 10.1.1.1; } } }
            }
        }
        switch-options {
            vtep-source-interface lo0.0;
            route-distinguisher %s:1;
            vrf-import imp;
            vrf-target { target:%d:1; auto; }
        }
        vlans {
            v100 { vlan-id 100; l3-interface irb.100; vxlan { vni 100; ingress-node-replication; } }
            v101 { vlan-id 101; l3-interface irb.101; vxlan { vni 101; ingress-node-replication; } }
        }
        protocols { evpn { encapsulation vxlan; default-gateway advertise; extended-vni-list [ 100 101 ]; } }
        routing-instances {
            T5 {
                instance-type vrf;
                interface irb.100;
                interface irb.101;
                route-distinguisher %s:5000;
                vrf-target target:%d:5000;
                protocols { evpn { ip-prefix-routes { advertise direct-nexthop; encapsulation vxlan; vni 5000; } } }
            }
        }
        policy-options {
            policy-statement imp {
                term 1 { from community comglobal; then accept; }
                term 100 { then reject; }
            }
            community comglobal members target:%d:1;
        }
        """
        .formatted(routerId, AS, ae, host, host, routerId, AS, routerId, AS, AS);
  }

  /**
   * A leaf's router MAC (symmetric IRB, RFC 9135), locally administered: 02:00 and the last 32 bits
   * of its VTEP address.
   */
  static MacAddress routerMac(Leaf l) {
    return VtepCommand.defaultRouterMac(l.vtep);
  }

  /** The port a segment uses on a leaf. */
  String segmentPort(Segment s, String leaf) {
    int n = 0;
    for (Segment x : segments.values()) {
      if (x.leaves().contains(leaf)) {
        if (x.name().equals(s.name())) {
          return "ae" + n + ".0";
        }
        n++;
      }
    }
    throw new IllegalArgumentException("leaf " + leaf + " is not on segment " + s.name());
  }

  /** Builds every leaf's stack (after leaves and segments are declared). */
  void start() {
    for (Leaf l : leaves.values()) {
      l.up = false; // sessions come up once every leaf exists
      l.rib =
          EvpnRib.builder(VtepConfig.parse(config(l)), l.vtep, l.table)
              .routeSink(l)
              .routerMac(routerMac(l))
              .clock(clock::get)
              .listener(listener(l))
              .build();
    }
    for (Leaf l : leaves.values()) {
      l.up = true;
    }
    for (Leaf l : leaves.values()) {
      for (Map.Entry<String, EvpnRoute> e : l.routes.entrySet()) {
        send(l, e.getValue(), l.attributes.get(e.getKey()), true, null);
      }
    }
    // the anycast gateway (the same virtual MAC and address on every leaf) comes from each IRB
    // unit's virtual-gateway-address: the RIB binds and advertises it
  }

  private RibListener listener(Leaf l) {
    return new RibListener() {
      @Override
      public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
        events.add(
            l.name
                + ": MAC "
                + mac
                + " moved "
                + from
                + " -> "
                + to
                + " (sequence "
                + sequence
                + ")");
      }

      @Override
      public void duplicateMac(int vni, MacAddress mac, int moves) {
        events.add(l.name + ": MAC " + mac + " is a duplicate (" + moves + " moves), frozen");
      }

      @Override
      public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
        events.add(
            l.name
                + ": sticky MAC "
                + mac
                + " at "
                + stickyAt
                + " stays; "
                + contender
                + " ignored");
      }

      @Override
      public void designatedForwarder(
          io.evpnkit.evpn.EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
        events.add(
            l.name
                + ": DF of "
                + esi
                + " VLAN "
                + vlanId
                + " is "
                + df
                + (local ? " (this leaf)" : ""));
      }
    };
  }

  /** A message on its way through the reflector. */
  private static final class InFlight {
    final Leaf from;
    final byte[] message;
    final @Nullable Leaf only;

    InFlight(Leaf from, byte[] message, @Nullable Leaf only) {
      this.from = from;
      this.message = message;
      this.only = only;
    }
  }

  private final java.util.ArrayDeque<InFlight> queue = new java.util.ArrayDeque<>();
  private boolean pumping;

  /**
   * Encodes a route change as UPDATE bytes and queues them for the reflector; messages are
   * delivered in order, one at a time, so that a leaf reacting to a message (withdrawing a MAC that
   * moved away) queues its own behind it.
   */
  private void reflect(Leaf from, EvpnRoute route, @Nullable PathAttributes a, boolean announce) {
    send(from, route, a, announce, null);
    trace.accept((announce ? "  announce " : "  withdraw ") + from.name + " " + route);
  }

  private void send(
      Leaf from,
      EvpnRoute route,
      @Nullable PathAttributes a,
      boolean announce,
      @Nullable Leaf only) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer(256);
    try {
      if (announce && a != null) {
        encoder.announce(a, List.of(route), buf);
      } else {
        encoder.withdraw(List.of(route), buf);
      }
      int at = buf.readerIndex();
      while (at < buf.writerIndex()) {
        int length = buf.getUnsignedShort(at + 16);
        byte[] message = new byte[length];
        buf.getBytes(at, message);
        queue.add(new InFlight(from, message, only));
        at += length;
      }
    } finally {
      buf.release();
    }
    pump();
  }

  private void pump() {
    if (pumping) {
      return;
    }
    pumping = true;
    try {
      InFlight m;
      while ((m = queue.poll()) != null) {
        messages++;
        octets += m.message.length;
        ByteBuf message = io.netty.buffer.Unpooled.wrappedBuffer(m.message);
        UpdateDecoder decoder = new UpdateDecoder(SessionOptions.IBGP);
        if (decoder.decode(message) == UpdateOutcome.SESSION_RESET) {
          throw new IllegalStateException(
              "the reflector could not decode an UPDATE: " + decoder.errors());
        }
        for (Leaf to : leaves.values()) {
          boolean wanted = m.only == null ? to != m.from : to == m.only;
          if (wanted && to.up && to.rib != null) {
            decoder.decode(message);
            to.rib().update(reflector, decoder);
          }
        }
      }
    } finally {
      pumping = false;
    }
  }

  /** A leaf fails: the reflector withdraws everything it announced. */
  void failLeaf(String name) {
    Leaf l = leaf(name);
    for (EvpnRoute r : new ArrayList<>(l.routes.values())) {
      reflect(l, r, null, false);
    }
    l.up = false;
  }

  /** A leaf comes back: its routes are announced again, and it learns everyone else's. */
  void restoreLeaf(String name) {
    Leaf l = leaf(name);
    l.up = true;
    for (Map.Entry<String, EvpnRoute> e : l.routes.entrySet()) {
      reflect(l, e.getValue(), l.attributes.get(e.getKey()), true);
    }
    for (Leaf other : leaves.values()) {
      if (other != l && other.up) {
        for (Map.Entry<String, EvpnRoute> e : other.routes.entrySet()) {
          replayTo(other, l, e.getValue(), other.attributes.get(e.getKey()));
        }
      }
    }
  }

  private void replayTo(Leaf from, Leaf to, EvpnRoute route, @Nullable PathAttributes a) {
    if (a != null) {
      send(from, route, a, true, to);
      trace.accept("  replay " + from.name + " -> " + to.name + " " + route);
    }
  }

  long messages() {
    return messages;
  }

  long octets() {
    return octets;
  }

  /**
   * Where a leaf's forwarding table sends a host: "local PORT" or the VTEPs, as names when they are
   * leaves.
   */
  String whereIs(Leaf at, Host h) {
    Destination d = at.table.mac(h.vni, h.mac);
    if (d == null) {
      return "unknown";
    }
    if (d instanceof Destination.LocalPort p) {
      return "local " + p.port();
    }
    List<String> names = new ArrayList<>();
    for (IpAddress v : at.table.vteps(h.vni, h.mac)) {
      names.add(leafName(v));
    }
    return (d instanceof Destination.Group ? "aliased " : "remote ") + String.join(" ", names);
  }

  String leafName(IpAddress vtep) {
    for (Leaf l : leaves.values()) {
      if (l.vtep.equals(vtep)) {
        return l.name;
      }
    }
    return vtep.toString();
  }

  /** The MAC table of a leaf as rows (for JSON). */
  List<Map<String, Object>> macRows(Leaf l) {
    List<Map<String, Object>> rows = new ArrayList<>();
    Map<String, Map<String, Object>> sorted = new TreeMap<>();
    for (Map.Entry<ForwardingOp.MacKey, Destination> e : l.table.macs().entrySet()) {
      Map<String, Object> row = new LinkedHashMap<>();
      ForwardingOp.MacKey k = e.getKey();
      row.put("vni", k.vni());
      row.put("mac", k.mac().toString());
      Destination d = e.getValue();
      row.put(
          "destination",
          d instanceof Destination.LocalPort
              ? "local"
              : d instanceof Destination.Group ? "group" : "vtep");
      row.put("port", d instanceof Destination.LocalPort p ? p.port() : null);
      row.put("vteps", l.table.vteps(k.vni(), k.mac()).stream().map(String::valueOf).toList());
      MacEntry m = l.rib().mac(k.vni(), k.mac());
      row.put("sequence", m == null ? 0 : m.sequence());
      row.put("sticky", m != null && m.sticky());
      row.put("frozen", m != null && m.frozen());
      sorted.put(String.format("%08d %s", k.vni(), k.mac()), row);
    }
    rows.addAll(sorted.values());
    return rows;
  }

  /** The best routes of a leaf in Junos text form (for JSON). */
  List<String> routeRows(Leaf l) {
    return l.rib().bestRoutes().stream().map(String::valueOf).toList();
  }

  @Override
  public void close() {
    for (Leaf l : leaves.values()) {
      if (l.rib != null) {
        l.rib.close();
      }
    }
  }
}
