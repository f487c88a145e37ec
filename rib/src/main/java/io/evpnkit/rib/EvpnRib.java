package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.policy.DfElection;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VrfPolicy;
import io.evpnkit.policy.VtepConfig;
import io.netty.buffer.Unpooled;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The EVPN RIB of one VTEP: received routes (per peer, with ADD-PATH path identifiers) go through the Loc-RIB's
 * decision process, into the instances whose {@code vrf-import} accepts them (route-target index for instances
 * without a policy), and become forwarding state sent to a {@link ForwardingDriver} in safe, coalesced batches;
 * locally learned MACs become routes for a {@link RouteSink}.
 *
 * <ul>
 *   <li>MAC mobility (RFC 7432 §15): the highest sequence number wins, equal numbers from different PEs go to the
 *       lowest VTEP address, a MAC learned locally while a remote route has sequence N is advertised with N+1 and the
 *       remote PE's newer route takes it away again; sticky MACs never move and a conflicting advertisement is
 *       reported; routes without the community count as 0. Duplicate detection: {@code moves} moves within
 *       {@code window} (default 5 in 180 s) freeze a MAC, raise an event and stop its advertisement until
 *       {@link #clearDuplicate} or the recovery time. Time comes from the injected clock.
 *   <li>Multihoming (RFC 7432 §8, RFC 8365 §8): MACs behind a remote Ethernet segment point to the next-hop group of
 *       the segment in their bridge domain, whose members are the VTEPs with both a per-EVI and a per-ES A-D route
 *       (aliasing); withdrawing a per-ES route is one group update for every MAC behind it (mass withdraw). Local
 *       segments elect a designated forwarder per VLAN once the election timer has run, with the algorithm every PE
 *       of the segment advertises in its ES route: modulo (RFC 7432 §8.5, the default), Highest Random Weight
 *       (RFC 8584 §3.2) or highest preference (RFC 9785); modulo when they disagree.
 *   <li>Flood lists per VNI from inclusive multicast routes with ingress replication (PMSI Tunnel, RFC 6514 §5);
 *       ARP/ND suppression entries from MAC/IP routes (RFC 9161); IP prefix routes (RFC 9136) and symmetric IRB host
 *       routes (RFC 9135, the second label as L3 VNI) in IP-VRFs.
 * </ul>
 *
 * <p>Single writer: one thread calls every method (the integrator's event loop); nothing is locked. Not
 * thread-safe.
 *
 * @since 0.1
 */
public final class EvpnRib implements LocalLearning, AutoCloseable {
  private static final int VXLAN = 8; // BGP tunnel encapsulation type (RFC 8365 §5.1.3)

  private final VtepConfig config;
  private final java.util.concurrent.atomic.AtomicReference<@Nullable Thread> owner =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final boolean threadConfined;
  private final IpAddress localVtep;
  private final long routerId; // -1: none (an IPv6 VTEP without a configured router id)
  private final @Nullable RouteLimit routeLimit;
  private final java.util.EnumMap<IgnoredRoute, long[]> ignoredCounts = new java.util.EnumMap<>(IgnoredRoute.class);
  private final long as;
  private final RibListener listener; // the integrator's, guarded: an exception of theirs does not cut an update short
  private final RouteSink sink;
  private final GuardedCallbacks guarded;
  private final LongSupplier nanos;
  private final int dupMoves;
  private final long dupWindow;
  private final long dupRecovery;
  private final int dupIpMoves;
  private final long dupIpWindow;
  private final long dupIpRecovery;
  // IP addresses whose ARP/ND answer changed MAC (RFC 9161 duplicate IP detection), per bridge domain
  private final Map<Integer, Map<IpAddress, MacMobility.MoveHistory>> ipMoves = new HashMap<>();
  // the MACs duplicate detection froze, in freezing order: recovery and nextTick() look at them, not at every MAC
  private final Map<FrozenMac, MacState> frozenMacs = new java.util.LinkedHashMap<>();
  private final long dfTimer;
  private final DriverLink link;
  private final FibState fib = new FibState(this::macState);
  private final PolicyResult policyResult = new PolicyResult();
  private final EvpnNlri scratch = new EvpnNlri();

  private final List<Instance> instances = new ArrayList<>();
  private final TargetIndex byTarget = new TargetIndex(); // route target value -> the instances importing it
  private final List<Instance> withImportPolicy = new ArrayList<>();
  private final Map<Integer, Instance> byVni = new HashMap<>();

  // Adj-RIBs-In and Loc-RIB in one table: per route key, every peer's path and the best one (one lookup per update)
  private final RouteTable routes = new RouteTable();
  // paths of restarting peers (graceful restart), by identity: rare, so kept aside rather than a flag in every path
  private final java.util.Set<Path> stalePaths = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  // weak both ways: an attribute set no path holds any more leaves the table with the garbage collector
  private final Map<PathAttributes, java.lang.ref.WeakReference<PathAttributes>> interned =
      new java.util.WeakHashMap<>();

  // per bridge domain, keyed by the MAC's 48 bits (no entry or key objects for a million MACs)
  private final Map<Integer, MacTable> macs = new HashMap<>();
  private final Map<Integer, Map<IpAddress, Map<EvpnRouteKey, MacAddress>>> neighbors = new HashMap<>();
  private final Map<Integer, Map<IpAddress, MacAddress>> localNeighbors = new HashMap<>();
  private final Map<EthernetSegmentIdentifier, Map<IpAddress, Integer>> perEs = new HashMap<>();
  private final Map<SegmentKey, Map<IpAddress, Integer>> perEvi = new HashMap<>();
  private final Map<GroupKey, Long> groups = new HashMap<>();
  private final Map<GroupKey, List<IpAddress>> groupMembers = new HashMap<>();
  // remote MAC routes with a segment, per (VNI, segment): the segments whose MACs a per-ES change must reach even
  // without a group (no per-EVI route)
  private final Map<SegmentKey, int[]> segmentMacs = new HashMap<>();
  private @Nullable SegmentKey lastSegment; // MAC routes come in runs of one segment: one key object for the run
  // per segment, the per-ES A-D routes held whose ESI Label community (RFC 7432 §7.5) says single-active
  private final Map<EthernetSegmentIdentifier, Integer> singleActive = new HashMap<>();
  // the PEs whose single-active groups of a (VNI, segment) exist
  private final Map<SegmentKey, java.util.Set<IpAddress>> primaries = new HashMap<>();
  private long nextGroupId = 1;
  private final Map<Integer, Map<IpAddress, Integer>> floods = new HashMap<>();
  private final Map<ForwardingOp.RouteKey, Map<EvpnRouteKey, ForwardingOp.SetRoute>> ipRoutes = new HashMap<>();
  private final Map<EthernetSegmentIdentifier, LocalSegment> localSegments = new LinkedHashMap<>();

  /**
   * The Adj-RIBs-In and the Loc-RIB in one open-addressing table without key objects: a slot per route key holds the
   * first path of the key's chain (every peer's path, ADD-PATH ids included), probed by {@link EvpnRouteKey#hashOf}
   * and compared with {@link EvpnRouteKey#sameKey}; the first path of a chain is the best one.
   */
  private static final class RouteTable extends ObjectTable<Path> {

    /** The slot of the chain of {@code route}'s key, or -1. */
    int find(EvpnRoute route, int hash) {
      int probe = probe(hash);
      for (int i = start(hash); ; i = next(i)) {
        int stored = stored(i);
        if (stored == 0) {
          return -1;
        }
        if (stored == probe && EvpnRouteKey.sameKey(head(i).route, route)) {
          return i;
        }
      }
    }

    /** The first path of the chain at an occupied slot. */
    Path head(int slot) {
      return java.util.Objects.requireNonNull(at(slot));
    }

    /** Every path of every chain (the visitor must not change the table). */
    void forEachPath(java.util.function.Consumer<Path> c) {
      forEach(head -> {
        for (Path p = head; p != null; p = p.next) {
          c.accept(p);
        }
      });
    }

    /** The best path of every route key. */
    void forEachBest(java.util.function.Consumer<Path> c) {
      forEach(c);
    }
  }

  /** Every path of every route key, in no particular order. */
  private List<Path> allPaths() {
    List<Path> out = new ArrayList<>();
    routes.forEachPath(out::add);
    return out;
  }

  private record SegmentKey(int vni, EthernetSegmentIdentifier esi) {}

  /**
   * A next-hop group: of an all-active segment in a bridge domain ({@code primary} null), or of a single-active one
   * for the MACs a given PE advertises (that PE first, the segment's other PEs as its backups).
   */
  private record GroupKey(int vni, EthernetSegmentIdentifier esi, @Nullable IpAddress primary) {}

  /**
   * One path: a route from a peer, with what it was imported into; the paths of one route key form a chain whose
   * first path is the best. 32 bytes: a path id other than 0 (ADD-PATH) makes it an {@link AddPath}; graceful-restart
   * staleness is kept aside ({@code stalePaths}).
   */
  private static class Path {
    final Peer peer;
    final EvpnRoute route;
    final PathAttributes attributes;
    final List<Instance> importedInto;
    @Nullable Path next; // the next path of the same route key

    Path(Peer peer, EvpnRoute route, PathAttributes attributes, List<Instance> importedInto) {
      this.peer = peer;
      this.route = route;
      this.attributes = attributes;
      this.importedInto = importedInto;
    }

    static Path of(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes, List<Instance> importedInto) {
      return pathId == 0 ? new Path(peer, route, attributes, importedInto)
          : new AddPath(peer, pathId, route, attributes, importedInto);
    }

    long pathId() {
      return 0;
    }

    boolean isOf(Peer p, long id) {
      return pathId() == id && peer.equals(p);
    }

    /** The route key, built on demand (the maps of IP bindings and IP routes are keyed by it). */
    EvpnRouteKey key() {
      return EvpnRouteKey.of(route);
    }
  }

  /** A path with a path identifier (RFC 7911 §3: 32 bits). */
  private static final class AddPath extends Path {
    private final int pathId;

    AddPath(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes, List<Instance> importedInto) {
      super(peer, route, attributes, importedInto);
      this.pathId = (int) pathId;
    }

    @Override
    long pathId() {
      return pathId & 0xFFFF_FFFFL;
    }
  }

  /** An instance with its import/export rules and VLANs by VNI. */
  private static final class Instance {
    final RoutingInstance config;
    final VrfPolicy policy;
    final Map<Integer, Vlan> vlansByVni = new HashMap<>();

    Instance(RoutingInstance config, VrfPolicy policy) {
      this.config = config;
      this.policy = policy;
      for (Vlan v : config.vlans().values()) {
        if (v.vni() > 0) {
          vlansByVni.put(v.vni(), v);
        }
      }
    }
  }

  /** The instances importing each route target, looked up for every extended community without boxing it. */
  private static final class TargetIndex extends ObjectTable<Targeted> {
    @Nullable List<Instance> get(long target) {
      int i = findLong(target, Targeted::target);
      return i < 0 ? null : java.util.Objects.requireNonNull(at(i)).instances();
    }

    List<Instance> getOrAdd(long target) {
      List<Instance> l = get(target);
      if (l == null) {
        l = new ArrayList<>();
        add(new Targeted(target, l), hashLong(target));
      }
      return l;
    }
  }

  private record Targeted(long target, List<Instance> instances) {}

  /** The MACs of one bridge domain, keyed by the 48 bits each state carries (no key or entry objects). */
  private static final class MacTable extends ObjectTable<MacState> {
    private int find(long mac) {
      return findLong(mac, st -> st.mac);
    }

    @Nullable MacState get(long mac) {
      int i = find(mac);
      return i < 0 ? null : at(i);
    }

    MacState getOrAdd(long mac) {
      MacState st = get(mac);
      if (st == null) {
        st = new MacState(mac);
        add(st, hashLong(mac));
      }
      return st;
    }

    void remove(long mac) {
      int i = find(mac);
      if (i >= 0) {
        removeAt(i);
      }
    }

    boolean isEmpty() {
      return size() == 0;
    }
  }

  /**
   * A MAC's state in one bridge domain: 40 bytes for the usual MAC, one remote route and nothing else; what few MACs
   * have (local learning, several remote routes, moves) is in {@link Extras}.
   */
  private static final class MacState {
    final long mac;
    // the remote route of the MAC (the Loc-RIB's best path of the route key naming it), kept as its route (identity
    // by key, EvpnRouteKey.sameKey) and value; with two or more, they are in extras.more by built key
    @Nullable EvpnRoute oneRoute;
    @Nullable RemoteMac one;
    // where the MAC is: its local port (a String) or the VTEP of the winning remote route (an IpAddress); both are
    // instances held anyway, so the location costs one reference
    @Nullable Object at;
    @Nullable Destination programmed; // what the forwarding table was told
    @Nullable Extras extras;

    MacState(long mac) {
      this.mac = mac;
    }

    Extras extras() {
      Extras e = extras;
      if (e == null) {
        e = new Extras();
        extras = e;
      }
      return e;
    }

    @Nullable LocalMac local() {
      Extras e = extras;
      return e == null ? null : e.local;
    }

    void local(@Nullable LocalMac value) {
      if (value != null || extras != null) {
        extras().local = value;
      }
    }

    MacMobility.@Nullable MoveHistory history() {
      Extras e = extras;
      return e == null ? null : e.history;
    }

    void history(MacMobility.@Nullable MoveHistory value) {
      if (value != null || extras != null) {
        extras().history = value;
      }
    }

    @Nullable Map<EvpnRouteKey, RemoteMac> more() {
      Extras e = extras;
      return e == null ? null : e.more;
    }

    void putRemote(EvpnRoute route, RemoteMac r) {
      Map<EvpnRouteKey, RemoteMac> m = more();
      EvpnRoute r1 = oneRoute;
      if (m != null) {
        m.put(EvpnRouteKey.of(route), r);
      } else if (r1 == null || EvpnRouteKey.sameKey(r1, route)) {
        oneRoute = route;
        one = r;
      } else {
        m = new HashMap<>(4);
        m.put(EvpnRouteKey.of(r1), java.util.Objects.requireNonNull(one));
        m.put(EvpnRouteKey.of(route), r);
        extras().more = m;
        oneRoute = null;
        one = null;
      }
    }

    void removeRemote(EvpnRoute route) {
      Map<EvpnRouteKey, RemoteMac> m = more();
      if (m != null) {
        m.remove(EvpnRouteKey.of(route));
        if (m.size() == 1) {
          Map.Entry<EvpnRouteKey, RemoteMac> e = m.entrySet().iterator().next();
          oneRoute = e.getKey().route();
          one = e.getValue();
          extras().more = null;
        }
      } else {
        EvpnRoute r1 = oneRoute;
        if (r1 != null && EvpnRouteKey.sameKey(r1, route)) {
          oneRoute = null;
          one = null;
        }
      }
    }

    boolean isLocal() {
      return at instanceof String;
    }

    boolean isRemote() {
      return at instanceof IpAddress;
    }

    boolean frozen() {
      MacMobility.MoveHistory h = history();
      return h != null && h.frozen;
    }

    /** The location as events show it: {@code local PORT} or {@code remote VTEP}. */
    static @Nullable String location(@Nullable Object at) {
      return at == null ? null : (at instanceof String ? "local " : "remote ") + at;
    }
  }

  /** What few MACs have: a local learning, two or more remote routes, a move history. */
  private static final class Extras {
    @Nullable LocalMac local;
    @Nullable Map<EvpnRouteKey, RemoteMac> more;
    MacMobility.@Nullable MoveHistory history; // from the first move on
  }

  private record FrozenMac(int vni, long mac) {}

  private record RemoteMac(IpAddress vtep, long sequence, boolean sticky, EthernetSegmentIdentifier esi,
      boolean gateway) {}

  // remote MAC values repeat (the same VTEP, sequence and segment for most MACs): a small direct-mapped cache hands
  // out one instance per value instead of one per MAC
  private final RemoteMac[] remoteCache = new RemoteMac[1024];

  private RemoteMac remoteMac(IpAddress vtep, long sequence, boolean sticky, EthernetSegmentIdentifier esi,
      boolean gateway) {
    RemoteMac r = new RemoteMac(vtep, sequence, sticky, esi, gateway);
    int i = ((r.hashCode() * 0x9E37_79B9) >>> 22) & (remoteCache.length - 1);
    RemoteMac known = remoteCache[i];
    if (r.equals(known)) {
      return known;
    }
    remoteCache[i] = r;
    return r;
  }

  private static final class LocalMac {
    final String port;
    final long sequence;
    final boolean sticky;
    // the host's addresses seen by ARP/ND snooping (IPv4, IPv6, link-local): one MAC/IP route each
    final List<IpAddress> ips;
    final EthernetSegmentIdentifier esi;
    final List<EvpnRoute> advertised = new ArrayList<>();
    // a sticky remote route holds the MAC (RFC 7432 §15.2): this binding is kept, neither used nor advertised, and
    // becomes active when that route goes
    boolean suppressed;

    LocalMac(String port, long sequence, boolean sticky, List<IpAddress> ips, EthernetSegmentIdentifier esi) {
      this.port = port;
      this.sequence = sequence;
      this.sticky = sticky;
      this.ips = new ArrayList<>(ips);
      this.esi = esi;
    }
  }

  /** A local Ethernet segment: its VLANs, the ES routes seen, and the DF per VLAN. */
  private static final class LocalSegment {
    final EthernetSegmentIdentifier esi;
    final List<Integer> vlanIds;
    // the Ethernet tag each VLAN's DF is elected for (see electionTag)
    final Map<Integer, Long> tags = new HashMap<>();
    final long upAt;
    final DfElection election;
    // the other PEs whose ES routes are held, with the DF Election community of each (0 without one); the key of
    // an ES route is the segment and its originator, so each PE has at most one
    final Map<IpAddress, Long> peers = new HashMap<>();
    final Map<Integer, IpAddress> df = new TreeMap<>();
    DfElection.Algorithm agreed = DfElection.Algorithm.MODULO;
    boolean elected;
    boolean up;
    @Nullable String port;

    LocalSegment(EthernetSegmentIdentifier esi, List<Integer> vlanIds, long upAt, DfElection election) {
      this.esi = esi;
      this.vlanIds = vlanIds;
      this.upAt = upAt;
      this.election = election;
    }

    /** The DF Election extended community this PE advertises (none for modulo, the default). */
    long dfCommunity() {
      DfElection.Algorithm a = election.algorithm();
      return a == DfElection.Algorithm.MODULO ? 0 : ExtendedCommunity.dfElection(a.code(), 0,
          a == DfElection.Algorithm.PREFERENCE ? election.preference() : 0).value();
    }
  }

  private EvpnRib(Builder b) {
    this.config = b.config;
    this.localVtep = b.localVtep;
    this.threadConfined = b.threadConfined;
    this.routeLimit = b.routeLimit;
    long configured = b.config.routerId();
    this.routerId = b.routerId >= 0 ? b.routerId : configured >= 0 ? configured
        : b.localVtep.isIpv6() ? -1 : b.localVtep.ipv4() & 0xFFFF_FFFFL;
    this.as = b.autonomousSystem >= 0 ? b.autonomousSystem : b.config.autonomousSystem();
    GuardedCallbacks guarded = new GuardedCallbacks(b.listener, b.sink);
    this.guarded = guarded;
    this.listener = guarded;
    this.sink = guarded;
    this.nanos = b.nanos;
    this.dupMoves = b.dupMoves;
    this.dupWindow = b.dupWindow.toNanos();
    this.dupRecovery = b.dupRecovery == null ? -1 : b.dupRecovery.toNanos();
    this.dupIpMoves = b.dupIpMoves;
    this.dupIpWindow = b.dupIpWindow.toNanos();
    this.dupIpRecovery = b.dupIpRecovery == null ? -1 : b.dupIpRecovery.toNanos();
    this.dfTimer = b.dfTimer.toNanos();
    this.link = new DriverLink(b.driver, b.driverRetries, b.driverTimeout, guarded, b.driverThread);
    for (RoutingInstance r : config.instances().values()) {
      boolean used = r.type() == RoutingInstance.Type.VRF || !r.vlans().isEmpty() || !r.vrfTargets().isEmpty()
          || r.vrfTargetAuto() || !r.vrfImport().isEmpty();
      if (!used) {
        continue;
      }
      Instance i = new Instance(r, VrfPolicy.of(config, r.name(), Math.max(as, 0)));
      instances.add(i);
      if (!r.vrfImport().isEmpty()) {
        withImportPolicy.add(i);
      } else {
        for (ExtendedCommunity t : i.policy.importTargets()) {
          byTarget.getOrAdd(t.value()).add(i);
        }
      }
      i.vlansByVni.keySet().forEach(vni -> byVni.putIfAbsent(vni, i));
    }
    long now = nanos.getAsLong();
    for (InterfaceConfig ic : config.interfaces().values()) {
      EthernetSegmentIdentifier esi = ic.esi();
      if (esi == null || esi.isZero()) {
        continue;
      }
      List<Integer> vlanIds = new ArrayList<>();
      for (InterfaceConfig.Unit u : ic.units().values()) {
        for (String m : u.vlanMembers()) {
          Integer id = vlanId(m);
          if (id != null) {
            vlanIds.add(id);
          }
        }
      }
      LocalSegment seg = new LocalSegment(esi, vlanIds, now, ic.dfElection());
      for (int vlan : vlanIds) {
        seg.tags.put(vlan, electionTag(vlan, vlanIds));
      }
      seg.port = ic.units().isEmpty() ? ic.name() : ic.name() + "." + ic.units().keySet().iterator().next();
      localSegments.put(esi, seg);
    }
    if (routerId < 0) {
      boolean needed = !localSegments.isEmpty();
      for (Instance i : instances) {
        needed |= i.config.routeDistinguisher() == null;
      }
      if (needed) { // refused here rather than at the first route: never one RD 0:0 for every IPv6 PE
        throw new IllegalArgumentException(noRouterId());
      }
    }
  }

  /**
   * The Ethernet tag the DF of VLAN {@code vlanId} is elected for (RFC 7432 §8.5, RFC 8584 §1.1). VLAN-aware bundle
   * (what this RIB originates: the tag is the VNI, RFC 8365 §5.1.2) and VLAN-based service: per Ethernet tag, the VNI
   * of the VLAN with VXLAN (up to 2^24-1) or the VLAN id without one. VLAN bundle ({@code service-type vlan-bundle}):
   * one election for the bundle, with the lowest VLAN id of the segment.
   */
  private long electionTag(int vlanId, List<Integer> segmentVlans) {
    for (Instance i : instances) {
      for (Vlan v : i.config.vlans().values()) {
        if (v.vlanId() == vlanId) {
          if ("vlan-bundle".equals(i.config.serviceType())) {
            int lowest = vlanId;
            for (int other : segmentVlans) {
              lowest = Math.min(lowest, other);
            }
            return lowest;
          }
          return v.vni() > 0 ? v.vni() : vlanId;
        }
      }
    }
    return vlanId;
  }

  private @Nullable Integer vlanId(String member) {
    for (Instance i : instances) {
      Vlan v = i.config.vlans().get(member);
      if (v != null) {
        return v.vlanId();
      }
    }
    try {
      return Integer.valueOf(member);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Starts building a RIB for a validated configuration.
   *
   * @param config the VTEP's configuration (instances, VLANs, interfaces with ESIs, policies)
   * @param localVtep this VTEP's address (the next hop of its routes, its VXLAN source)
   * @param driver the forwarding table to program
   */
  public static Builder builder(VtepConfig config, IpAddress localVtep, ForwardingDriver driver) {
    return new Builder(config, localVtep, driver);
  }

  /** Options of a RIB. */
  public static final class Builder {
    private final VtepConfig config;
    private final IpAddress localVtep;
    private final ForwardingDriver driver;
    private long autonomousSystem = -1;
    private long routerId = -1;
    private RibListener listener = new RibListener() { };
    private RouteSink sink = RouteSink.NONE;
    private LongSupplier nanos = System::nanoTime;
    private int dupMoves = 5;
    private Duration dupWindow = Duration.ofMinutes(3);
    private @Nullable Duration dupRecovery;
    private int dupIpMoves = 5;
    private Duration dupIpWindow = Duration.ofMinutes(3);
    private @Nullable Duration dupIpRecovery;
    private Duration dfTimer = Duration.ofSeconds(3);
    private int driverRetries = 2;
    private Duration driverTimeout = Duration.ofSeconds(5);
    private boolean driverThread;
    private boolean threadConfined = true;
    private @Nullable RouteLimit routeLimit;

    Builder(VtepConfig config, IpAddress localVtep, ForwardingDriver driver) {
      this.config = config;
      this.localVtep = localVtep;
      this.driver = driver;
    }

    /** Sets the AS (default: the configuration's {@code routing-options autonomous-system}). */
    public Builder autonomousSystem(long value) {
      this.autonomousSystem = value;
      return this;
    }

    /**
     * Sets this speaker's BGP router id (default: the local VTEP when it is IPv4): a received route whose
     * ORIGINATOR_ID is this id came back to its originator through a reflector (RFC 4456 §8) and is ignored.
     *
     * @throws IllegalArgumentException for an IPv6 address
     */
    public Builder routerId(IpAddress value) {
      if (value.isIpv6()) {
        throw new IllegalArgumentException("a BGP router id is a 4-octet number (RFC 6286), not " + value);
      }
      this.routerId = value.ipv4() & 0xFFFF_FFFFL;
      return this;
    }

    /**
     * Whether the RIB checks that it is used from one thread (default true): the first call binds it to its thread,
     * and a call from another thread throws {@link IllegalStateException} instead of corrupting the tables. An
     * integrator that moves the RIB between threads and serializes the calls itself turns it off.
     */
    public Builder threadConfined(boolean value) {
      this.threadConfined = value;
      return this;
    }

    /**
     * Sets a limit on the paths held of each peer, like FRR's {@code maximum-prefix}: at the limit the RIB warns
     * ({@link RibListener#routeLimitReached}, which a BGP speaker may answer by closing the session with a Cease,
     * RFC 4486 §4) and, with {@link RouteLimit.Action#REFUSE}, stores no new route of that peer; routes already
     * accepted are never lost, and replacing one is always allowed. For sizing: the RIB and the reference forwarding
     * table hold about 190 bytes of heap per MAC route (benchmarks/RESULTS.md, {@code RibMemory}).
     */
    public Builder routeLimit(RouteLimit value) {
      this.routeLimit = value;
      return this;
    }

    /** Sets the listener of the RIB's events. */
    public Builder listener(RibListener value) {
      this.listener = value;
      return this;
    }

    /** Sets where locally originated routes go. */
    public Builder routeSink(RouteSink value) {
      this.sink = value;
      return this;
    }

    /** Sets the clock, in nanoseconds (default {@link System#nanoTime()}); tests inject their own. */
    public Builder clock(LongSupplier value) {
      this.nanos = value;
      return this;
    }

    /**
     * Sets duplicate MAC detection: {@code moves} moves within {@code window} freeze a MAC; it recovers after
     * {@code recovery} (null: only by {@link EvpnRib#clearDuplicate}).
     */
    public Builder duplicateDetection(int moves, Duration window, @Nullable Duration recovery) {
      if (moves < 2) {
        throw new IllegalArgumentException("moves must be at least 2");
      }
      this.dupMoves = moves;
      this.dupWindow = window;
      this.dupRecovery = recovery;
      return this;
    }

    /**
     * Sets duplicate IP detection (RFC 9161): an IP address whose ARP/ND answer changes MAC {@code moves} times
     * within {@code window} (default 5 in 180 s) loses its suppression entry, so that ARP and ND for it are flooded
     * and the conflict shows, until {@link EvpnRib#clearDuplicateIp} or {@code recovery} (null: only by clearing).
     */
    public Builder duplicateIpDetection(int moves, Duration window, @Nullable Duration recovery) {
      if (moves < 2) {
        throw new IllegalArgumentException("moves must be at least 2");
      }
      this.dupIpMoves = moves;
      this.dupIpWindow = window;
      this.dupIpRecovery = recovery;
      return this;
    }

    /** Sets the DF election timer (RFC 7432 §8.5, default 3 s). */
    public Builder electionTimer(Duration value) {
      this.dfTimer = value;
      return this;
    }

    /** Sets the driver's retries before a full resync (default 2) and the time-out of one call (default 5 s). */
    public Builder driverRetries(int retries, Duration timeout) {
      this.driverRetries = retries;
      this.driverTimeout = timeout;
      return this;
    }

    /**
     * Calls the driver on a thread of its own, so that a hung driver costs the time-out and not the RIB (default:
     * on the RIB's thread, where a late call is reported but cannot be cut short; the hand-off costs tens of
     * microseconds per batch).
     */
    public Builder driverThread(boolean value) {
      this.driverThread = value;
      return this;
    }

    /** Builds the RIB, originates its local routes and downloads the initial state. */
    public EvpnRib build() {
      EvpnRib rib = new EvpnRib(this);
      driver.attach(rib);
      rib.originateLocal();
      rib.flushBatch(); // not flush(): building does not bind the RIB to this thread
      return rib;
    }
  }

  // ---------------------------------------------------------------------------------------------- received routes

  /**
   * Applies a decoded UPDATE from {@code peer}: every announcement and withdrawal (treat-as-withdraw already turned
   * into withdrawals by the decoder). A session-reset outcome applies nothing.
   */
  public void update(Peer peer, UpdateDecoder decoder) {
    checkThread();
    if (decoder.outcome() == UpdateOutcome.SESSION_RESET) {
      return;
    }
    if (decoder.isEndOfRib()) {
      endOfRib(peer);
      return;
    }
    PathAttributes attributes = intern(decoder.attributes());
    decoder.forEachRoute((withdraw, pathId, nlri) -> {
      EvpnRoute route = EvpnRoutes.decode(nlri);
      if (withdraw) {
        withdrawPath(peer, pathId, route);
      } else {
        announcePath(peer, pathId, route, attributes, nlri);
      }
    });
    flush();
  }

  /** Applies one announcement from {@code peer} (path identifier 0 without ADD-PATH). */
  public void announce(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes) {
    checkThread();
    announcePath(peer, pathId, route, intern(attributes), nlriOf(route));
    flush();
  }

  /** A route value in wire form, for the import and export policies (which read NLRI). */
  private EvpnNlri nlriOf(EvpnRoute route) {
    byte[] bytes = EvpnRoutes.toBytes(route);
    return scratch.wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }

  /** One instance per distinct attribute set held (attribute sets repeat across thousands of routes). */
  private PathAttributes intern(PathAttributes a) {
    java.lang.ref.WeakReference<PathAttributes> ref = interned.get(a);
    PathAttributes known = ref == null ? null : ref.get();
    if (known != null) {
      return known;
    }
    interned.put(a, new java.lang.ref.WeakReference<>(a));
    return a;
  }

  /**
   * Graceful restart (RFC 4724 §4.2): the session with {@code peer} went down and the peer is restarting; its
   * paths stay in use, marked stale, until it announces them again or sends End-of-RIB ({@link #endOfRib}), which
   * removes those it did not.
   */
  public void peerRestarting(Peer peer) {
    checkThread();
    routes.forEachPath(p -> {
      if (p.peer.equals(peer)) {
        stalePaths.add(p);
      }
    });
  }

  /** The peer sent End-of-RIB (or its restart timer ran out): its paths still stale are withdrawn. */
  public void endOfRib(Peer peer) {
    checkThread();
    for (Path p : new ArrayList<>(stalePaths)) {
      if (p.peer.equals(peer)) {
        withdrawPath(peer, p.pathId(), p.route);
      }
    }
    flush();
  }

  /** Returns the number of stale paths (graceful restart in progress). */
  public int stalePaths() {
    checkThread();
    return stalePaths.size();
  }

  /**
   * A copy of what the RIB holds from its peers and from local learning: enough to rebuild it ({@link #restore}),
   * after a restart of the integrator's process or in tests. Immutable.
   *
   * @param paths every path of every peer, in no particular order
   * @param localMacs every locally learned MAC
   */
  public record Snapshot(List<SnapshotPath> paths, List<SnapshotMac> localMacs) {
    /** Copies the lists. */
    public Snapshot {
      paths = List.copyOf(paths);
      localMacs = List.copyOf(localMacs);
    }
  }

  /**
   * One path of a snapshot.
   *
   * @param peer the peer
   * @param pathId its path identifier
   * @param route the route
   * @param attributes its attributes
   */
  public record SnapshotPath(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes) {}

  /**
   * One local MAC of a snapshot.
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param port its port
   * @param ip its IP address, or {@code null}
   * @param sticky whether it is static
   */
  public record SnapshotMac(int vni, MacAddress mac, String port, @Nullable IpAddress ip, boolean sticky) {}

  /** Returns a snapshot of the RIB's inputs. */
  public Snapshot snapshot() {
    checkThread();
    List<SnapshotPath> paths = new ArrayList<>();
    for (Path p : allPaths()) {
      paths.add(new SnapshotPath(p.peer, p.pathId(), p.route, p.attributes));
    }
    List<SnapshotMac> local = new ArrayList<>();
    macs.forEach((vni, table) -> table.forEach(st -> {
      LocalMac l = st.local();
      if (l != null) {
        if (l.ips.isEmpty()) {
          local.add(new SnapshotMac(vni, MacAddress.of(st.mac), l.port, null, l.sticky));
        }
        for (IpAddress ip : l.ips) { // one entry per address: restoring learns them one after the other
          local.add(new SnapshotMac(vni, MacAddress.of(st.mac), l.port, ip, l.sticky));
        }
      }
    }));
    return new Snapshot(paths, local);
  }

  /** Applies a snapshot's paths and local MACs to this RIB (normally a new one), then flushes once. */
  public void restore(Snapshot snapshot) {
    checkThread();
    for (SnapshotPath p : snapshot.paths()) {
      announcePath(p.peer(), p.pathId(), p.route(), intern(p.attributes()), nlriOf(p.route()));
    }
    for (SnapshotMac m : snapshot.localMacs()) {
      learn(m.vni(), m.mac(), m.port(), m.ip(), m.sticky());
    }
    flush();
  }

  /** Applies one withdrawal from {@code peer}. */
  public void withdraw(Peer peer, long pathId, EvpnRoute route) {
    checkThread();
    withdrawPath(peer, pathId, route);
    flush();
  }

  /** Removes every path of {@code peer} (session down). */
  public void peerDown(Peer peer) {
    checkThread();
    for (Path p : allPaths()) {
      if (p.peer.equals(peer)) {
        withdrawPath(peer, p.pathId(), p.route);
      }
    }
    flush();
  }

  private void announcePath(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes, EvpnNlri nlri) {
    IgnoredRoute unusable = unusable(route, attributes);
    if (unusable != null) {
      ignore(peer, route, unusable);
      withdrawPath(peer, pathId, route); // the peer's earlier path, if any, is replaced by nothing usable
      return;
    }
    int hash = EvpnRouteKey.hashOf(route);
    Path p = Path.of(peer, pathId, route, attributes, importing(attributes, nlri));
    if (attributes.nextHop() == null) {
      ignore(peer, route, IgnoredRoute.NO_NEXT_HOP);
    } else if (p.importedInto.isEmpty()) {
      ignore(peer, route, IgnoredRoute.NOT_IMPORTED);
    }
    int slot = routes.find(route, hash);
    if (slot < 0) {
      if (!admit(peer, route)) {
        return;
      }
      routes.add(p, hash);
      contribute(p, true);
      return;
    }
    Path old = routes.head(slot); // the best path
    // replace the path of the same peer and path id, or append
    Path prev = null;
    Path x = old;
    while (x != null && !x.isOf(peer, pathId)) {
      prev = x;
      x = x.next;
    }
    if (x == null && !admit(peer, route)) {
      return;
    }
    if (x != null) {
      p.next = x.next;
      forgetStale(x);
    }
    if (prev == null) {
      routes.set(slot, p);
    } else {
      prev.next = p;
    }
    reselect(slot, old);
  }

  /**
   * The single-writer rule, enforced (as Netty's event loops assert {@code inEventLoop()}): the first call binds the
   * RIB to its thread; a call from another thread fails loudly instead of corrupting a table (two threads in one open
   * addressing table can also loop forever).
   */
  private void checkThread() {
    if (!threadConfined) {
      return;
    }
    Thread t = Thread.currentThread();
    Thread o = owner.get();
    if (o == t || (o == null && owner.compareAndSet(null, t))) {
      return;
    }
    Thread bound = owner.get();
    throw new IllegalStateException("EvpnRib is single-writer: called on thread \"" + t.getName()
        + "\" but it belongs to \"" + (bound == null ? "?" : bound.getName())
        + "\" (hand events to that thread, or build it with threadConfined(false) and serialize the calls)");
  }

  /** The number of paths held of a peer (one slot per peer; the last peer's is kept at hand). */
  private long[] counter(Peer peer) {
    @SuppressWarnings("ReferenceEquality") // identity first: the usual case is the same instance, run after run
    boolean same = peer == lastCounted || peer.equals(lastCounted);
    if (!same) {
      lastCounted = peer;
      lastCounter = pathsByPeer.computeIfAbsent(peer, k -> new long[2]); // [paths, limit reported]
    }
    return lastCounter;
  }

  private final Map<Peer, long[]> pathsByPeer = new HashMap<>();
  private @Nullable Peer lastCounted;
  private long[] lastCounter = new long[2];

  /**
   * Counts a new path of {@code peer}, or refuses it at the peer's route limit ({@link Builder#routeLimit}): with
   * {@link RouteLimit.Action#REFUSE} the route is not stored (what was accepted stays), with
   * {@link RouteLimit.Action#WARN} it is; either way the listener hears of the limit once per crossing.
   */
  private boolean admit(Peer peer, EvpnRoute route) {
    long[] n = counter(peer);
    RouteLimit limit = routeLimit;
    if (limit != null && n[0] >= limit.maximum()) {
      if (n[1] == 0) {
        n[1] = 1;
        listener.routeLimitReached(peer, limit, n[0]);
      }
      if (limit.action() == RouteLimit.Action.REFUSE) {
        ignore(peer, route, IgnoredRoute.ROUTE_LIMIT);
        return false;
      }
    } else if (limit != null && n[1] != 0 && n[0] < limit.maximum() * 9 / 10) {
      n[1] = 0; // below 90 % again: the next crossing is reported
    }
    n[0]++;
    return true;
  }

  /**
   * Returns how many exceptions the listener and the route sink threw: each was caught (and logged on this class's
   * {@link System.Logger}), so that an update runs to its end whatever they do.
   */
  public long callbackFaults() {
    checkThread();
    return guarded.faults();
  }

  /** Returns the number of paths held of {@code peer} (its Adj-RIB-In), the figure a route limit counts. */
  public long paths(Peer peer) {
    checkThread();
    long[] n = pathsByPeer.get(peer);
    return n == null ? 0 : n[0];
  }

  /** Why a received route cannot be stored at all, or {@code null}. */
  private @Nullable IgnoredRoute unusable(EvpnRoute route, PathAttributes attributes) {
    if (routerId >= 0 && attributes.originatorId() == routerId) {
      return IgnoredRoute.OWN_ROUTE;
    }
    if (route instanceof MacIpAdvertisementRoute m) {
      if (m.mac().isMulticast() || m.mac().value() == 0) { // broadcast is multicast too (the I/G bit)
        return IgnoredRoute.NOT_UNICAST_MAC;
      }
      IpAddress hop = attributes.nextHop();
      if (hop != null && hop.equals(localVtep)) {
        return IgnoredRoute.OWN_NEXT_HOP;
      }
    }
    return null;
  }

  private void ignore(Peer peer, EvpnRoute route, IgnoredRoute reason) {
    ignoredCounts.computeIfAbsent(reason, r -> new long[1])[0]++;
    listener.routeIgnored(peer, route, reason);
  }

  /** Returns how many received routes were set aside for {@code reason} since this RIB was built. */
  public long ignored(IgnoredRoute reason) {
    checkThread();
    long[] n = ignoredCounts.get(reason);
    return n == null ? 0 : n[0];
  }

  private void withdrawPath(Peer peer, long pathId, EvpnRoute route) {
    int slot = routes.find(route, EvpnRouteKey.hashOf(route));
    if (slot < 0) {
      return;
    }
    Path old = routes.head(slot);
    Path prev = null;
    Path x = old;
    while (x != null && !x.isOf(peer, pathId)) {
      prev = x;
      x = x.next;
    }
    if (x == null) {
      return;
    }
    forgetStale(x);
    counter(peer)[0]--;
    if (prev != null) {
      prev.next = x.next;
    } else if (x.next != null) {
      routes.set(slot, x.next);
    } else {
      routes.removeAt(slot); // the key's last path
      contribute(x, false);
      return;
    }
    reselect(slot, old);
  }

  private void forgetStale(Path p) {
    if (!stalePaths.isEmpty()) {
      stalePaths.remove(p);
    }
  }

  /** The instances a route enters: the route-target index, and the instances with an import policy. */
  private List<Instance> importing(PathAttributes attributes, EvpnNlri nlri) {
    List<Instance> out = importScratch;
    out.clear();
    for (int i = 0, n = attributes.extendedCommunityCount(); i < n; i++) {
      List<Instance> l = byTarget.get(attributes.extendedCommunityValue(i));
      if (l != null) {
        for (Instance inst : l) {
          if (!out.contains(inst)) {
            out.add(inst);
          }
        }
      }
    }
    for (Instance inst : withImportPolicy) {
      if (inst.policy.acceptsImport(nlri, attributes, policyResult)) {
        out.add(inst);
      }
    }
    List<Instance> known = instanceLists.get(out); // a handful of distinct lists serve every route
    if (known == null) {
      known = List.copyOf(out);
      instanceLists.put(known, known);
    }
    return known;
  }

  private final List<Instance> importScratch = new ArrayList<>();

  private final Map<List<Instance>, List<Instance>> instanceLists = new HashMap<>();
  private final Map<IpAddress, Destination.RemoteVtep> vtepDestinations = new HashMap<>();

  /** RFC 4271 §9.1.2.2 as it applies here, with RFC 4456's ORIGINATOR_ID and CLUSTER_LIST. */
  private static int compare(Path a, Path b) {
    long lpA = a.attributes.localPref() < 0 ? 100 : a.attributes.localPref();
    long lpB = b.attributes.localPref() < 0 ? 100 : b.attributes.localPref();
    if (lpA != lpB) {
      return lpA > lpB ? -1 : 1;
    }
    int c = Integer.compare(a.attributes.asPath().pathLength(), b.attributes.asPath().pathLength());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.attributes.origin(), b.attributes.origin());
    if (c != 0) {
      return c;
    }
    long medA = Math.max(a.attributes.med(), 0);
    long medB = Math.max(b.attributes.med(), 0);
    if (medA != medB && a.attributes.asPath().firstAs() == b.attributes.asPath().firstAs()) {
      return medA < medB ? -1 : 1;
    }
    if (a.peer.external() != b.peer.external()) {
      return a.peer.external() ? -1 : 1;
    }
    long idA = a.attributes.originatorId() >= 0 ? a.attributes.originatorId() : a.peer.routerId();
    long idB = b.attributes.originatorId() >= 0 ? b.attributes.originatorId() : b.peer.routerId();
    if (idA != idB) {
      return idA < idB ? -1 : 1;
    }
    c = Integer.compare(a.attributes.clusterListLength(), b.attributes.clusterListLength());
    if (c != 0) {
      return c;
    }
    c = a.peer.address().compareTo(b.peer.address());
    return c != 0 ? c : Long.compare(a.pathId(), b.pathId());
  }

  /**
   * Runs the decision process over the (non-empty) chain at {@code slot}, moves the winner to the front, and
   * changes what the best path contributes if the winner is not {@code old}, the best path before the change.
   */
  private void reselect(int slot, Path old) {
    Path head = routes.head(slot);
    Path winner = head;
    Path winnerPrev = null;
    for (Path prev = head, p = head.next; p != null; prev = p, p = p.next) {
      if (compare(p, winner) < 0) {
        winner = p;
        winnerPrev = prev;
      }
    }
    if (winnerPrev != null) {
      winnerPrev.next = winner.next;
      winner.next = head;
      routes.set(slot, winner);
    }
    if (old == winner) {
      return;
    }
    if (winner.isOf(old.peer, old.pathId())) {
      // an implicit replace: the peer re-advertised the route (RFC 4271 §9), say with a new MAC mobility sequence;
      // it is one change of each MAC, not a withdrawal that hands the MAC to another PE and an announcement that
      // takes it back (which would report two moves, and freeze a MAC nobody moved)
      replacing = true;
      try {
        contribute(old, false);
      } finally {
        replacing = false;
      }
      contribute(winner, true);
      for (int i = 0; i < deferredCount; i++) {
        Deferred d = deferred[i];
        MacAddress mac = d.mac;
        MacState state = d.state;
        d.mac = null;
        d.state = null;
        if (mac != null && state != null) {
          resolve(d.vni, mac, state);
        }
      }
      deferredCount = 0;
      return;
    }
    contribute(old, false);
    contribute(winner, true);
  }

  /** A MAC whose resolution waits for the end of an implicit replace (reused: a replace allocates nothing). */
  private static final class Deferred {
    int vni;
    @Nullable MacAddress mac;
    @Nullable MacState state;
  }

  private boolean replacing;
  private Deferred[] deferred = {new Deferred(), new Deferred()};
  private int deferredCount;

  // ------------------------------------------------------------------------------------------ route contributions

  /** The Router's MAC extended community (RFC 9135 §8.1), or {@code null}. */
  private static @Nullable MacAddress routerMac(PathAttributes a) {
    long v = a.findExtendedCommunity(ExtendedCommunity.ROUTER_MAC);
    return v == 0 ? null : ExtendedCommunity.macOf(v);
  }

  private void contribute(Path p, boolean add) {
    IpAddress hop = p.attributes.nextHop();
    if (hop == null) {
      return;
    }
    EvpnRoute r = p.route;
    if (r instanceof MacIpAdvertisementRoute m) {
      int vni = m.label1().vni();
      IpAddress ip = m.ip();
      EvpnRouteKey key = null; // built only for an IP-VRF (MAC routes are the million; those do not need it)
      for (Instance inst : p.importedInto) {
        if (inst.config.type().isSwitching() && inst.vlansByVni.containsKey(vni)) {
          macRoute(vni, m, p.attributes, hop, add);
        }
        if (inst.config.type() == RoutingInstance.Type.VRF && ip != null) {
          key = key != null ? key : p.key();
          MacAddress routerMac = routerMac(p.attributes);
          LabelField l3 = m.label2();
          if (l3 != null) { // symmetric IRB host route (RFC 9135 §5)
            ipRoute(inst, key, IpPrefix.of(ip, ip.bitLength()), hop, l3.vni(), routerMac, add);
          }
          gatewayRoute(inst, key, ip, hop, routerMac, add);
        }
      }
    } else if (r instanceof InclusiveMulticastRoute) {
      PmsiTunnel t = p.attributes.pmsiTunnel();
      if (t == null || t.tunnelType() != PmsiTunnel.INGRESS_REPLICATION) {
        return;
      }
      int vni = t.label().vni();
      IpAddress endpoint = t.endpoint();
      for (Instance inst : p.importedInto) {
        if (inst.vlansByVni.containsKey(vni) && !endpoint.equals(localVtep)) {
          count(floods.computeIfAbsent(vni, k -> new HashMap<>()), endpoint, add);
          floodChanged(vni);
          break;
        }
      }
    } else if (r instanceof EthernetAutoDiscoveryRoute ad) {
      if (p.importedInto.isEmpty() || hop.equals(localVtep)) {
        return;
      }
      if (ad.isPerEthernetSegment()) {
        count(perEs.computeIfAbsent(ad.esi(), k -> new HashMap<>()), hop, add);
        long esiLabel = p.attributes.findExtendedCommunity(ExtendedCommunity.ESI_LABEL);
        if (esiLabel != 0 && ExtendedCommunity.isSingleActive(esiLabel)) { // RFC 7432 §7.5
          singleActive.merge(ad.esi(), add ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
        }
        // every (VNI, segment) with per-EVI routes, remote MACs or per-PE groups (whose MACs may be gone already)
        java.util.Set<SegmentKey> keys = new java.util.LinkedHashSet<>();
        for (Map<SegmentKey, ?> m : List.of(perEvi, segmentMacs, primaries)) {
          for (SegmentKey k : m.keySet()) {
            if (k.esi().equals(ad.esi())) {
              keys.add(k);
            }
          }
        }
        for (SegmentKey k : keys) {
          // a PE with no per-EVI route here is no member of the segment's group: its MACs do not follow the group
          // and are pointed again one by one, at the segment's group or its own group, or nowhere
          groupChanged(k, !perEvi.getOrDefault(k, Map.of()).containsKey(hop));
        }
      } else {
        SegmentKey k = new SegmentKey(ad.label().vni(), ad.esi());
        count(perEvi.computeIfAbsent(k, x -> new HashMap<>()), hop, add);
        groupChanged(k);
      }
    } else if (r instanceof EthernetSegmentRoute es) {
      LocalSegment seg = localSegments.get(es.esi());
      if (seg != null && !es.originator().equals(localVtep)) {
        if (add) {
          // RFC 8584 §2.2: the DF Election community, or a mark that the route carried more than one (§2.2.3: then
          // every PE falls back to the default)
          seg.peers.put(es.originator(), p.attributes.countExtendedCommunities(ExtendedCommunity.DF_ELECTION) > 1
              ? DfElections.Candidate.SEVERAL : p.attributes.findExtendedCommunity(ExtendedCommunity.DF_ELECTION));
        } else {
          seg.peers.remove(es.originator());
        }
        if (seg.elected) {
          elect(seg);
        }
      }
    } else if (r instanceof IpPrefixRoute ip) {
      boolean viaGateway = !isZero(ip.gateway());
      IpPrefix prefix = IpPrefix.of(ip.prefix(), ip.prefixLength());
      EvpnRouteKey key = p.key();
      for (Instance inst : p.importedInto) {
        if (inst.config.type() != RoutingInstance.Type.VRF) {
          continue;
        }
        if (!viaGateway) { // interface-less model (RFC 9136 §4.4.1): the route's own next hop and router MAC
          ipRoute(inst, key, prefix, hop, ip.label().vni(), routerMac(p.attributes), add);
          continue;
        }
        // gateway-IP model (RFC 9136 §4.2): resolved recursively through the MAC/IP route of the gateway
        GatewayKey g = new GatewayKey(inst.config.name(), ip.gateway());
        Map<EvpnRouteKey, Dependent> deps = dependents.computeIfAbsent(g, k -> new HashMap<>());
        Dependent d = new Dependent(inst, prefix, ip.label().vni());
        if (add) {
          deps.put(key, d);
          install(key, d, resolution(g));
        } else {
          install(key, d, null);
          deps.remove(key);
          if (deps.isEmpty()) {
            dependents.remove(g);
          }
        }
      }
    }
  }

  private record GatewayKey(String vrf, IpAddress gateway) {}

  private record Dependent(Instance instance, IpPrefix prefix, int vni) {}

  private record Resolution(IpAddress vtep, @Nullable MacAddress routerMac) {}

  private final Map<GatewayKey, Map<EvpnRouteKey, Resolution>> gateways = new HashMap<>();
  private final Map<GatewayKey, Map<EvpnRouteKey, Dependent>> dependents = new HashMap<>();

  private static boolean isZero(IpAddress a) {
    return a.isIpv6() ? a.high() == 0 && a.low() == 0 : a.ipv4() == 0;
  }

  /** A MAC/IP route in an IP-VRF: the way to its IP, for type 5 routes that name it as their gateway. */
  private void gatewayRoute(Instance inst, EvpnRouteKey key, IpAddress ip, IpAddress hop,
      @Nullable MacAddress routerMac, boolean add) {
    GatewayKey g = new GatewayKey(inst.config.name(), ip);
    Map<EvpnRouteKey, Resolution> m = gateways.computeIfAbsent(g, k -> new HashMap<>());
    if (add) {
      m.put(key, new Resolution(hop, routerMac));
    } else {
      m.remove(key);
      if (m.isEmpty()) {
        gateways.remove(g);
      }
    }
    Map<EvpnRouteKey, Dependent> deps = dependents.get(g);
    if (deps != null) {
      Resolution best = resolution(g);
      deps.forEach((k, d) -> install(k, d, best));
    }
  }

  /** How a gateway IP resolves: through the MAC/IP route of the lowest VTEP, or {@code null}. */
  private @Nullable Resolution resolution(GatewayKey g) {
    Resolution best = null;
    Map<EvpnRouteKey, Resolution> m = gateways.get(g);
    if (m != null) {
      for (Resolution r : m.values()) {
        if (best == null || r.vtep().compareTo(best.vtep()) < 0) {
          best = r;
        }
      }
    }
    return best;
  }

  /** Installs a gateway-IP type 5 route through its gateway's resolution, or removes it ({@code null}). */
  private void install(EvpnRouteKey key, Dependent d, @Nullable Resolution best) {
    if (best != null) {
      ipRoute(d.instance(), key, d.prefix(), best.vtep(), d.vni(), best.routerMac(), true);
    } else {
      ipRoute(d.instance(), key, d.prefix(), localVtep, d.vni(), null, false);
    }
  }

  private static void count(Map<IpAddress, Integer> counts, IpAddress a, boolean add) {
    if (add) {
      counts.merge(a, 1, Integer::sum);
    } else {
      counts.computeIfPresent(a, (k, v) -> v == 1 ? null : v - 1);
    }
  }

  private void ipRoute(Instance inst, EvpnRouteKey key, IpPrefix prefix, IpAddress hop, int vni,
      @Nullable MacAddress routerMac, boolean add) {
    ForwardingOp.RouteKey rk = new ForwardingOp.RouteKey(inst.config.name(), prefix);
    Map<EvpnRouteKey, ForwardingOp.SetRoute> byRoute = ipRoutes.computeIfAbsent(rk, k -> new HashMap<>());
    if (add) {
      byRoute.put(key, new ForwardingOp.SetRoute(inst.config.name(), prefix, hop, vni, routerMac));
    } else {
      byRoute.remove(key);
    }
    ForwardingOp.SetRoute chosen = null;
    for (ForwardingOp.SetRoute r : byRoute.values()) {
      if (chosen == null || r.nextHop().compareTo(chosen.nextHop()) < 0) {
        chosen = r;
      }
    }
    if (chosen == null) {
      ipRoutes.remove(rk);
      fib.remove(new ForwardingOp.RemoveRoute(inst.config.name(), prefix));
    } else {
      fib.set(chosen);
    }
  }

  private void floodChanged(int vni) {
    Map<IpAddress, Integer> m = floods.get(vni);
    if (m == null || m.isEmpty()) {
      floods.remove(vni);
      fib.remove(new ForwardingOp.RemoveFlood(vni));
    } else {
      fib.set(new ForwardingOp.SetFlood(vni, new ArrayList<>(new TreeSet<>(m.keySet()))));
    }
  }

  /**
   * Recomputes the groups of a (VNI, segment) from its A-D routes: its members are the PEs with both a per-EVI and
   * a per-ES route (aliasing, RFC 7432 §8.4). An all-active segment has one group, every member with the same weight.
   * A single-active one (a per-ES route says so) has a group per PE whose MACs use it, made when the first of them
   * is programmed: that PE at weight 1 while it is a member and the other members at weight 0, its backups; once it
   * is no member (its per-ES route withdrawn: its link failed), the backups at weight 1. Either way a segment's
   * failure is one group update per group, none per MAC.
   */
  private void groupChanged(SegmentKey k) {
    groupChanged(k, false);
  }

  /** As {@link #groupChanged(SegmentKey)}, pointing the segment's MACs again in any case with {@code repointMacs}. */
  private void groupChanged(SegmentKey k, boolean repointMacs) {
    List<IpAddress> members = members(k);
    boolean single = singleActive.containsKey(k.esi());
    GroupKey shared = new GroupKey(k.vni(), k.esi(), null);
    boolean hadShared = groups.containsKey(shared);
    List<IpAddress> before = groupMembers.getOrDefault(shared, List.of());
    setGroup(shared, single ? List.of() : weighted(members, null, true), true);
    // a PE that left the group but is still attached (it withdrew its per-EVI route, not its per-ES one) keeps its
    // MACs: they need a group of their own. One that is no longer attached (mass withdraw) needs nothing: its MACs
    // already point at the group, which no longer has it.
    boolean departedAttached = false;
    for (IpAddress a : before) {
      departedAttached |= !members.contains(a) && attached(k.esi(), a);
    }
    java.util.Set<IpAddress> known = primaries.get(k);
    if (known != null) {
      for (IpAddress p : new ArrayList<>(known)) {
        List<ForwardingOp.Member> m = groupOf(k, members, p, single);
        setGroup(new GroupKey(k.vni(), k.esi(), p), m, false);
        if (m.isEmpty()) {
          known.remove(p);
        }
      }
      if (known.isEmpty()) {
        primaries.remove(k);
      }
    }
    if (repointMacs || single || known != null || departedAttached
        || (!hadShared && !groups.containsKey(shared) && segmentMacs.containsKey(k))) {
      // MACs move between their PE's group, the PE itself and nowhere; a PE's first MAC makes its group. Without
      // any group, a per-ES change still reaches the MACs of the PE that sent it (mass withdraw, RFC 7432 §8.2).
      repoint(k);
    }
    if (perEvi.getOrDefault(k, Map.of()).isEmpty()) {
      perEvi.remove(k);
    }
  }

  /** The PEs with both a per-EVI and a per-ES route of a (VNI, segment), in address order. */
  private List<IpAddress> members(SegmentKey k) {
    Map<IpAddress, Integer> evi = perEvi.getOrDefault(k, Map.of());
    Map<IpAddress, Integer> es = perEs.getOrDefault(k.esi(), Map.of());
    List<IpAddress> members = new ArrayList<>();
    for (IpAddress a : new TreeSet<>(evi.keySet())) {
      if (es.containsKey(a)) {
        members.add(a);
      }
    }
    return members;
  }

  /**
   * The group for the MACs {@code primary} advertises behind a segment, made if missing; or null when there is none.
   * Single-active: the PE and its backups. All-active: the PE with the segment's aliases, when the PE is attached
   * but not among them (it sent no per-EVI route).
   */
  private @Nullable Long primaryGroup(int vni, EthernetSegmentIdentifier esi, IpAddress primary) {
    GroupKey key = new GroupKey(vni, esi, primary);
    Long id = groups.get(key);
    if (id == null) {
      SegmentKey segment = new SegmentKey(vni, esi);
      List<ForwardingOp.Member> m = groupOf(segment, members(segment), primary, singleActive.containsKey(esi));
      if (!m.isEmpty()) {
        setGroup(key, m, false);
        primaries.computeIfAbsent(segment, x -> new TreeSet<>()).add(primary);
        id = groups.get(key);
      }
    }
    return id;
  }

  /**
   * Whether {@code pe} is attached to segment {@code esi} as far as this RIB knows: it has a per-ES A-D route, or no
   * PE has one (a peer that sends none is taken at its MAC routes' word). A PE that withdrew its per-ES route is not
   * (mass withdraw, RFC 7432 §8.2).
   */
  private boolean attached(EthernetSegmentIdentifier esi, IpAddress pe) {
    Map<IpAddress, Integer> es = perEs.get(esi);
    return es == null || es.isEmpty() || es.containsKey(pe);
  }

  /**
   * The members of the group of {@code primary}'s MACs behind segment {@code k}:
   * <ul>
   *   <li>single-active (RFC 7432 §8.4, §14.1.1): while the PE is attached, it at weight 1 and the other members, its
   *       backups, at weight 0; once it is not, its one backup at weight 1, and with several backups none (the MACs
   *       flood until the new primary advertises them);
   *   <li>all-active: when the PE is attached but not among the members (aliases), the PE and the members, all at
   *       weight 1 (RFC 7432 §8.4: the PE that advertised the MAC is always among the paths); else none (the shared
   *       group serves).
   * </ul>
   */
  private List<ForwardingOp.Member> groupOf(SegmentKey k, List<IpAddress> members, IpAddress primary,
      boolean single) {
    if (primary.equals(localVtep)) {
      return weighted(members, null, true); // local repair (RFC 7432 §8.2): this PE's link is down, every backup
    }
    boolean up = attached(k.esi(), primary);
    if (single) {
      return up ? weighted(members, primary, true) : members.size() == 1 ? weighted(members, null, true) : List.of();
    }
    if (!up || members.isEmpty() || members.contains(primary)) {
      return List.of();
    }
    List<IpAddress> with = new ArrayList<>(members);
    with.add(primary);
    with.sort(null);
    return weighted(with, null, true);
  }

  /**
   * The members with their weights: all equal without a primary; else the primary (added if missing) at weight 1 and
   * the others at weight 0, its backups.
   */
  private static List<ForwardingOp.Member> weighted(List<IpAddress> members, @Nullable IpAddress primary,
      boolean primaryUp) {
    List<ForwardingOp.Member> out = new ArrayList<>(members.size() + 1);
    if (primary != null && primaryUp && !members.contains(primary)) {
      out.add(new ForwardingOp.Member(primary, 1));
    }
    for (IpAddress a : members) {
      out.add(new ForwardingOp.Member(a, primary == null || a.equals(primary) ? 1 : 0));
    }
    return out;
  }

  /**
   * Creates, updates or (with no members) removes a group; with {@code repoint}, a group made or removed points the
   * MACs of its segment at it or away.
   */
  private void setGroup(GroupKey k, List<ForwardingOp.Member> members, boolean repoint) {
    Long id = groups.get(k);
    SegmentKey segment = new SegmentKey(k.vni(), k.esi());
    if (!members.isEmpty()) {
      boolean created = id == null;
      long gid = id != null ? id : nextGroupId++;
      groups.put(k, gid);
      List<IpAddress> addresses = new ArrayList<>(members.size());
      for (ForwardingOp.Member m : members) {
        addresses.add(m.vtep());
      }
      groupMembers.put(k, addresses);
      fib.set(new ForwardingOp.SetGroup(gid, k.esi(), k.vni(), members));
      if (created && repoint) {
        repoint(segment);
      }
    } else if (id != null) {
      groups.remove(k);
      groupMembers.remove(k);
      if (repoint) {
        repoint(segment);
      }
      fib.remove(new ForwardingOp.RemoveGroup(id));
    }
  }

  /** Points the MACs of a segment in a bridge domain at its group, or back at their VTEPs. */
  private void repoint(SegmentKey k) {
    MacTable table = macs.get(k.vni());
    if (table != null) {
      reprogram(k.vni(), table, k.esi());
    }
  }

  /** Programs again every MAC of {@code table} whose winning remote route is behind segment {@code esi}. */
  private void reprogram(int vni, MacTable table, EthernetSegmentIdentifier esi) {
    table.forEach(st -> {
      RemoteMac r = bestRemote(st);
      LocalMac local = st.local();
      if ((st.isRemote() && r != null && r.esi().equals(esi))
          || (st.isLocal() && local != null && local.esi.equals(esi))) {
        programMac(vni, MacAddress.of(st.mac), st);
      }
    });
  }

  // --------------------------------------------------------------------------------------------------- MAC state

  private void macRoute(int vni, MacIpAdvertisementRoute m, PathAttributes a, IpAddress hop, boolean add) {
    MacState st = macs.computeIfAbsent(vni, k -> new MacTable()).getOrAdd(m.mac().value());
    if (add) {
      long mm = a.findExtendedCommunity(ExtendedCommunity.MAC_MOBILITY); // RFC 7432 §7.7; absent: sequence 0
      long seq = mm == 0 ? 0 : ExtendedCommunity.macMobilitySequence(mm);
      boolean sticky = mm != 0 && ExtendedCommunity.isSticky(mm);
      st.putRemote(m, remoteMac(hop, seq, sticky, m.esi(),
          a.findExtendedCommunity(ExtendedCommunity.DEFAULT_GATEWAY) != 0));
    } else {
      st.removeRemote(m);
    }
    if (!m.esi().isZero()) {
      SegmentKey k = lastSegment;
      if (k == null || k.vni() != vni || !k.esi().equals(m.esi())) {
        k = new SegmentKey(vni, m.esi());
        lastSegment = k;
      }
      int[] n = segmentMacs.computeIfAbsent(k, x -> new int[1]);
      n[0] += add ? 1 : -1;
      if (n[0] == 0) {
        segmentMacs.remove(k);
      }
    }
    boolean defer = !add && replacing;
    if (defer) {
      if (deferredCount == deferred.length) {
        deferred = java.util.Arrays.copyOf(deferred, deferredCount * 2);
        for (int i = deferredCount; i < deferred.length; i++) {
          deferred[i] = new Deferred();
        }
      }
      Deferred d = deferred[deferredCount++];
      d.vni = vni;
      d.mac = m.mac();
      d.state = st;
    }
    IpAddress ip = m.ip();
    if (ip != null) {
      Map<EvpnRouteKey, MacAddress> bindings = neighbors.computeIfAbsent(vni, k -> new HashMap<>())
          .computeIfAbsent(ip, k -> new HashMap<>());
      if (add) {
        bindings.put(EvpnRouteKey.of(m), m.mac());
      } else {
        bindings.remove(EvpnRouteKey.of(m));
      }
      if (!defer) {
        neighborChanged(vni, ip);
      }
    }
    if (!defer) {
      resolve(vni, m.mac(), st);
    }
  }

  /**
   * Picks the MAC that answers for {@code ip} (RFC 9161): a local binding first (this VTEP saw the host), else the
   * remote binding whose MAC won with the highest sequence number (an IP that moved to a new MAC, e.g. a
   * re-created VM, is advertised with the newer MAC's route), ties to the lowest MAC.
   */
  private void neighborChanged(int vni, IpAddress ip) {
    Map<IpAddress, Map<EvpnRouteKey, MacAddress>> table = neighbors.get(vni);
    Map<EvpnRouteKey, MacAddress> bindings = table == null ? null : table.get(ip);
    MacTable states = macs.get(vni);
    MacAddress chosen = localNeighbors.getOrDefault(vni, Map.of()).get(ip);
    long chosenSeq = -1;
    if (chosen == null && bindings != null) {
      for (MacAddress mac : bindings.values()) {
        MacState st = states == null ? null : states.get(mac.value());
        RemoteMac r = st == null ? null : bestRemote(st);
        long seq = r == null ? 0 : r.sequence();
        if (chosen == null || seq > chosenSeq || (seq == chosenSeq && mac.compareTo(chosen) < 0)) {
          chosen = mac;
          chosenSeq = seq;
        }
      }
    }
    if (chosen == null) {
      if (table != null && bindings != null && bindings.isEmpty()) {
        table.remove(ip);
      }
      fib.remove(new ForwardingOp.RemoveNeighbor(vni, ip));
      return;
    }
    Map<IpAddress, MacMobility.MoveHistory> histories = ipMoves.get(vni);
    MacMobility.MoveHistory h = histories == null ? null : histories.get(ip);
    if (h != null && h.frozen) {
      return; // a duplicate IP: no answer until it is cleared
    }
    ForwardingOp before = fib.wanted(new ForwardingOp.NeighborKey(vni, ip));
    if (before instanceof ForwardingOp.SetNeighbor b && !b.mac().equals(chosen)) { // the IP moved to another MAC
      if (h == null) {
        h = new MacMobility.MoveHistory(dupIpMoves);
        ipMoves.computeIfAbsent(vni, k -> new HashMap<>()).put(ip, h);
      }
      if (h.record(nanos.getAsLong(), dupIpMoves, dupIpWindow)) {
        fib.remove(new ForwardingOp.RemoveNeighbor(vni, ip));
        listener.duplicateIp(vni, ip, dupIpMoves);
        return;
      }
    }
    fib.set(new ForwardingOp.SetNeighbor(vni, ip, chosen));
  }

  /** Ends the duplicate state of an IP address (RFC 9161): its suppression entry comes back with its binding. */
  public void clearDuplicateIp(int vni, IpAddress ip) {
    checkThread();
    Map<IpAddress, MacMobility.MoveHistory> histories = ipMoves.get(vni);
    MacMobility.MoveHistory h = histories == null ? null : histories.get(ip);
    if (h != null && h.frozen) {
      unfreezeIp(vni, ip);
    }
    flush();
  }

  private void unfreezeIp(int vni, IpAddress ip) {
    Map<IpAddress, MacMobility.MoveHistory> histories = ipMoves.get(vni);
    if (histories != null) {
      histories.remove(ip);
      if (histories.isEmpty()) {
        ipMoves.remove(vni);
      }
    }
    listener.duplicateIpCleared(vni, ip);
    neighborChanged(vni, ip);
  }

  private static @Nullable RemoteMac bestRemote(MacState st) {
    Map<EvpnRouteKey, RemoteMac> more = st.more();
    if (more == null) {
      return st.one; // the usual case: one remote route, nothing to choose
    }
    RemoteMac best = null;
    for (RemoteMac r : more.values()) {
      if (best == null || MacMobility.better(r.sequence(), r.vtep(), best.sequence(), best.vtep())) {
        best = r;
      }
    }
    // a sticky route from anywhere beats a non-sticky one
    for (RemoteMac r : more.values()) {
      if (r.sticky() && (best == null || !best.sticky())) {
        best = r;
      }
    }
    return best;
  }

  /** Picks the winner of a MAC, programs it, advertises or withdraws the local route, and watches for moves. */
  private void resolve(int vni, MacAddress mac, MacState st) {
    RemoteMac remote = bestRemote(st);
    LocalMac local = st.local();
    // learned here and advertised by a PE on the same multihomed segment: one host behind one segment, not a move
    // (RFC 7432 §15); this PE keeps its route whatever the other's sequence, and forwards on its own link
    boolean sameSegment = local != null && remote != null && !local.esi.isZero() && local.esi.equals(remote.esi());
    boolean localWins;
    if (local == null) {
      localWins = false;
    } else if (remote == null || sameSegment) {
      localWins = true;
    } else if (local.sticky && (!remote.sticky() || remote.gateway())) {
      localWins = true;
      if (!remote.gateway()) { // the anycast gateway's MAC is the same on every leaf (RFC 9135 §4.1)
        listener.stickyConflict(vni, mac, "local " + local.port, "remote " + remote.vtep());
      }
    } else if (remote.sticky() && !local.sticky) {
      localWins = false;
      if (!local.suppressed) {
        listener.stickyConflict(vni, mac, "remote " + remote.vtep(), "local " + local.port);
      }
    } else {
      localWins = MacMobility.better(local.sequence, localVtep, remote.sequence(), remote.vtep());
    }
    if (local != null && !localWins) {
      if (remote != null && remote.sticky() && !local.sticky) {
        suppress(vni, mac, local); // held by a sticky route elsewhere: remembered, not used
      } else {
        dropLocal(vni, mac, st, local); // the MAC moved away: stop advertising it here
      }
    } else if (local != null && local.suppressed) {
      local.suppressed = false; // the sticky route went: the binding learned meanwhile becomes active
      for (IpAddress ip : local.ips) {
        bindLocally(vni, ip, mac);
      }
    }
    Object at = (localWins && local != null) ? local.port : remote != null ? remote.vtep() : null;
    long sequence = (localWins && local != null) ? local.sequence : remote != null ? remote.sequence() : 0;
    Object before = st.at;
    st.at = at;
    if (at == null) {
      MacTable table = macs.get(vni);
      if (table != null) {
        table.remove(mac.value());
        if (table.isEmpty()) {
          macs.remove(vni);
        }
      }
      if (st.programmed != null) {
        st.programmed = null;
        fib.send(new ForwardingOp.RemoveMac(vni, mac));
      }
      return;
    }
    boolean gateway = (local != null && local.sticky && local.port.startsWith("irb."))
        || (remote != null && remote.gateway());
    if (before != null && !before.equals(at) && !gateway && !sameSegment) { // a gateway's MAC is everywhere at once
      listener.macMoved(vni, mac, String.valueOf(MacState.location(before)), String.valueOf(MacState.location(at)),
          sequence);
      // RFC 7432 §15.1 counts the moves this PE detects through local learning: a local learn that takes over from a
      // remote route, or a remote route that takes over from a local MAC. A MAC going from one remote PE to another
      // (a third PE's view) or between two local ports is reported, not counted.
      if ((before instanceof String) != (at instanceof String)) {
        recordMove(vni, mac, st);
      }
    }
    programMac(vni, mac, st);
    if (localWins && local != null && !st.frozen() && local.advertised.isEmpty()) {
      advertiseLocal(vni, mac, local);
    }
  }

  private void programMac(int vni, MacAddress mac, MacState st) {
    LocalMac local = st.local();
    Destination d;
    if (local != null && st.isLocal()) {
      LocalSegment seg = local.esi.isZero() ? null : localSegments.get(local.esi);
      Long repair = null;
      if (seg != null && !seg.up) {
        repair = groups.get(new GroupKey(vni, local.esi, null));
        if (repair == null && singleActive.containsKey(local.esi)) {
          repair = primaryGroup(vni, local.esi, localVtep); // this PE is no member: its backups at weight 1
        }
      }
      // local repair (RFC 7432 §8.2): while this PE's link to the segment is down, frames for the segment's MACs go
      // to the segment's other PEs rather than into a dead port, until the MACs age out or the link returns
      d = repair != null ? new Destination.Group(repair) : new Destination.LocalPort(local.port);
    } else {
      RemoteMac r = bestRemote(st);
      if (r == null) {
        return;
      }
      d = remoteDestination(vni, r);
      if (d == null) { // nothing reaches it now: unknown unicast floods (RFC 7432 §8.2, §14.1.1)
        if (st.programmed != null) {
          st.programmed = null;
          fib.send(new ForwardingOp.RemoveMac(vni, mac));
        }
        return;
      }
    }
    if (!d.equals(st.programmed)) { // MAC entries are kept here, not in FibState: one large map less
      st.programmed = d;
      fib.send(new ForwardingOp.SetMac(vni, mac, d));
    }
  }

  /**
   * Where frames go for a MAC whose winning route is {@code r}, or null for nowhere:
   * <ul>
   *   <li>no segment: the advertising VTEP;
   *   <li>a segment this VTEP is on too and whose link is up: that link;
   *   <li>single-active: the group of the advertising PE and its backups ({@link #groupOf});
   *   <li>all-active, the PE attached: the segment's group (aliasing, RFC 7432 §8.4) when the PE is a member, the
   *       PE's own group with the members when it is not, the PE alone without a group;
   *   <li>all-active, the PE not attached (it withdrew its per-ES route): the segment's group without it, or nowhere
   *       (mass withdraw, RFC 7432 §8.2: the MAC no longer goes to that PE, also without per-EVI routes).
   * </ul>
   */
  private @Nullable Destination remoteDestination(int vni, RemoteMac r) {
    EthernetSegmentIdentifier esi = r.esi();
    IpAddress pe = r.vtep();
    if (esi.isZero()) {
      return vtepDestinations.computeIfAbsent(pe, Destination.RemoteVtep::new);
    }
    LocalSegment mine = localSegments.get(esi);
    if (mine != null && mine.up && mine.port != null) {
      return new Destination.LocalPort(mine.port); // behind a segment this VTEP is on too: forward on its own link
    }
    boolean up = attached(esi, pe);
    if (singleActive.containsKey(esi)) {
      Long gid = primaryGroup(vni, esi, pe);
      return gid != null ? new Destination.Group(gid)
          : up ? vtepDestinations.computeIfAbsent(pe, Destination.RemoteVtep::new) : null;
    }
    GroupKey shared = new GroupKey(vni, esi, null);
    Long gid = groups.get(shared);
    if (!up) {
      return gid != null ? new Destination.Group(gid) : null;
    }
    if (gid == null) {
      return vtepDestinations.computeIfAbsent(pe, Destination.RemoteVtep::new);
    }
    List<IpAddress> members = groupMembers.get(shared);
    if (members != null && members.contains(pe)) {
      return new Destination.Group(gid);
    }
    Long own = primaryGroup(vni, esi, pe);
    return new Destination.Group(own != null ? own : gid);
  }

  private void recordMove(int vni, MacAddress mac, MacState st) {
    long now = nanos.getAsLong();
    MacMobility.MoveHistory h = st.history();
    if (h == null) {
      h = new MacMobility.MoveHistory(dupMoves);
      st.history(h);
    }
    if (h.record(now, dupMoves, dupWindow)) {
      frozenMacs.put(new FrozenMac(vni, mac.value()), st);
      LocalMac local = st.local();
      if (local != null) {
        withdrawLocal(local);
      }
      listener.duplicateMac(vni, mac, dupMoves);
    }
  }

  /** Unfreezes a MAC that duplicate detection froze, and advertises it again if it is local. */
  public void clearDuplicate(int vni, MacAddress mac) {
    checkThread();
    MacTable table = macs.get(vni);
    MacState st = table == null ? null : table.get(mac.value());
    if (st != null && st.frozen()) {
      unfreeze(vni, mac, st);
    }
    flush();
  }

  private void unfreeze(int vni, MacAddress mac, MacState st) {
    st.history(null);
    frozenMacs.remove(new FrozenMac(vni, mac.value()));
    listener.duplicateCleared(vni, mac);
    LocalMac local = st.local();
    if (local != null && local.advertised.isEmpty() && st.isLocal()) {
      advertiseLocal(vni, mac, local);
    }
  }

  // -------------------------------------------------------------------------------------------- local learning

  /**
   * A MAC was learned on a local port (reported by the driver or the data plane), with its IP address if known
   * (ARP/ND snooping). Its route is advertised with a sequence number above any remote route's (RFC 7432 §15.1).
   */
  @Override
  public void macLearned(int vni, MacAddress mac, String port, @Nullable IpAddress ip) {
    checkThread();
    learn(vni, mac, port, ip, false);
  }

  /** A static (sticky) MAC on a local port: never moves away, advertised with the sticky flag. */
  public void staticMac(int vni, MacAddress mac, String port) {
    checkThread();
    learn(vni, mac, port, null, true);
  }

  private void learn(int vni, MacAddress mac, String port, @Nullable IpAddress ip, boolean sticky) {
    if (!byVni.containsKey(vni)) {
      throw new IllegalArgumentException("no VLAN of this VTEP has VNI " + vni);
    }
    MacState st = macs.computeIfAbsent(vni, k -> new MacTable()).getOrAdd(mac.value());
    LocalMac old = st.local();
    if (old != null && old.port.equals(port) && old.sticky == sticky) {
      if (ip == null || old.ips.contains(ip)) {
        return; // a refresh
      }
      // another address of the same host (IPv4 beside IPv6, a link-local one): one more MAC/IP route, the others stay
      old.ips.add(ip);
      if (!old.suppressed) {
        bindLocally(vni, ip, mac);
        if (!old.advertised.isEmpty()) {
          advertiseLocal(vni, mac, old, ip);
        }
      }
      flush();
      return;
    }
    RemoteMac remote = bestRemote(st);
    long seq;
    if (old != null && st.isLocal()) {
      seq = old.sequence; // moving between local ports is not a mobility event
    } else if (sticky && port.startsWith("irb.")) {
      seq = 0; // the anycast gateway's MAC is not subject to mobility (RFC 9135 §4.1)
    } else if (remote != null && !remote.esi().isZero() && remote.esi().equals(esiOf(port))) {
      seq = remote.sequence(); // a PE on the same segment advertises it: the same sequence (RFC 7432 §15)
    } else {
      seq = remote == null ? 0 : ExtendedCommunity.nextSequence(remote.sequence()); // wraps to 0 (RFC 7432 §15)
    }
    if (old != null) {
      withdrawLocal(old);
    }
    // the host keeps its addresses when it moves between ports or becomes static
    List<IpAddress> ips = new ArrayList<>(old == null ? List.of() : old.ips);
    if (ip != null && !ips.contains(ip)) {
      ips.add(ip);
    }
    st.local(new LocalMac(port, seq, sticky, ips, esiOf(port)));
    for (IpAddress a : ips) {
      bindLocally(vni, a, mac);
    }
    resolve(vni, mac, st);
    flush();
  }

  /**
   * One address of a local host is gone (its ARP/ND entry aged out): its MAC/IP route is withdrawn and the ARP/ND
   * answer for it chosen again; the MAC and its other addresses stay.
   */
  @Override
  public void neighborAged(int vni, MacAddress mac, IpAddress ip) {
    checkThread();
    MacTable table = macs.get(vni);
    MacState st = table == null ? null : table.get(mac.value());
    LocalMac local = st == null ? null : st.local();
    if (local == null || !local.ips.remove(ip)) {
      return;
    }
    for (java.util.Iterator<EvpnRoute> it = local.advertised.iterator(); it.hasNext(); ) {
      EvpnRoute r = it.next();
      if (r instanceof MacIpAdvertisementRoute m && java.util.Objects.equals(ip, m.ip())) {
        sink.withdraw(r);
        it.remove();
      }
    }
    forgetLocalBinding(vni, ip, mac);
    flush();
  }

  /** A local MAC aged out (or its port went down): the route is withdrawn and remote routes take over. */
  @Override
  public void macAged(int vni, MacAddress mac) {
    checkThread();
    MacTable table = macs.get(vni);
    MacState st = table == null ? null : table.get(mac.value());
    if (st == null || st.local() == null) {
      return;
    }
    dropLocal(vni, mac, st, st.local());
    resolve(vni, mac, st);
    flush();
  }

  /** Withdraws a local binding a sticky remote route overrides, and its ARP/ND answers, but keeps it (§15.2). */
  private void suppress(int vni, MacAddress mac, LocalMac local) {
    if (local.suppressed) {
      return;
    }
    local.suppressed = true;
    withdrawLocal(local);
    for (IpAddress ip : local.ips) {
      forgetLocalBinding(vni, ip, mac);
    }
  }

  /** Stops advertising a local MAC and forgets it, and the local bindings of its IP addresses. */
  private void dropLocal(int vni, MacAddress mac, MacState st, LocalMac local) {
    withdrawLocal(local);
    st.local(null);
    for (IpAddress ip : local.ips) {
      forgetLocalBinding(vni, ip, mac);
    }
  }

  /** Records that {@code ip} is seen locally at {@code mac}; the ARP/ND answer for it is chosen again. */
  private void bindLocally(int vni, IpAddress ip, MacAddress mac) {
    localNeighbors.computeIfAbsent(vni, k -> new HashMap<>()).put(ip, mac);
    neighborChanged(vni, ip);
  }

  /** Forgets that {@code ip} was seen locally at {@code mac}; the ARP/ND answer for it is chosen again. */
  private void forgetLocalBinding(int vni, IpAddress ip, MacAddress mac) {
    Map<IpAddress, MacAddress> bindings = localNeighbors.get(vni);
    if (bindings != null && bindings.remove(ip, mac)) {
      if (bindings.isEmpty()) {
        localNeighbors.remove(vni);
      }
      neighborChanged(vni, ip);
    }
  }

  private EthernetSegmentIdentifier esiOf(String port) {
    int dot = port.lastIndexOf('.');
    InterfaceConfig ic = config.interfaces().get(dot < 0 ? port : port.substring(0, dot));
    EthernetSegmentIdentifier esi = ic == null ? null : ic.esi();
    if (esi != null) {
      return esi;
    }
    return EthernetSegmentIdentifier.ZERO;
  }

  private void advertiseLocal(int vni, MacAddress mac, LocalMac local) {
    advertiseLocal(vni, mac, local, null);
  }

  /** Advertises a local MAC's routes: the MAC route and one MAC/IP route per address, or only that of {@code only}. */
  private void advertiseLocal(int vni, MacAddress mac, LocalMac local, @Nullable IpAddress only) {
    Instance inst = byVni.get(vni);
    if (inst == null) {
      return;
    }
    RouteDistinguisher rd = rdOf(inst);
    List<EvpnRoute> originated = new ArrayList<>();
    if (only == null) {
      originated.add(new MacIpAdvertisementRoute(rd, local.esi, EthernetTag.of(vni), mac, null, LabelField.ofVni(vni),
          null));
    }
    for (IpAddress ip : local.ips) {
      if (only == null || only.equals(ip)) {
        originated.add(new MacIpAdvertisementRoute(rd, local.esi, EthernetTag.of(vni), mac, ip, LabelField.ofVni(vni),
            null));
      }
    }
    PathAttributes.Builder b = baseAttributes(inst, vni);
    if (local.sequence > 0 || local.sticky) {
      b.addExtendedCommunity(ExtendedCommunity.macMobility(local.sequence, local.sticky));
    }
    if (local.port.startsWith("irb.")) {
      b.addExtendedCommunity(ExtendedCommunity.defaultGateway()); // an IRB's MAC (RFC 7432 §10.1)
    }
    PathAttributes attrs = b.build();
    for (EvpnRoute r : originated) {
      if (export(inst, r, attrs)) {
        local.advertised.add(r);
      }
    }
  }

  private boolean export(Instance inst, EvpnRoute r, PathAttributes attrs) {
    if (!inst.policy.acceptsExport(nlriOf(r), attrs, policyResult)) {
      return false;
    }
    sink.announce(r, policyResult.apply(attrs));
    return true;
  }

  private void withdrawLocal(LocalMac local) {
    for (EvpnRoute r : local.advertised) {
      sink.withdraw(r);
    }
    local.advertised.clear();
  }

  private RouteDistinguisher rdOf(Instance inst) {
    RouteDistinguisher rd = inst.config.routeDistinguisher();
    return rd != null ? rd : autoRd(1);
  }

  /**
   * A route distinguisher of type 1 made from the router id (RFC 7432 §7.9: the PE's IP address and a number), for
   * the per-PE routes (ES and per-ES A-D routes, number 0) and instances without a configured one (number 1).
   *
   * @throws IllegalStateException without an IPv4 router id (an IPv6 VTEP needs {@code routing-options router-id})
   */
  private RouteDistinguisher autoRd(int number) {
    if (routerId < 0) {
      throw new IllegalStateException(noRouterId());
    }
    return RouteDistinguisher.parse(IpAddress.ofIpv4((int) routerId) + ":" + number);
  }

  private String noRouterId() {
    return "VTEP " + localVtep + " is IPv6: its route distinguishers (type 1, RFC 7432 §7.9) need an IPv4 router "
        + "id; set routing-options router-id (or EvpnRib.Builder.routerId)";
  }

  private PathAttributes.Builder baseAttributes(Instance inst, int vni) {
    PathAttributes.Builder b = PathAttributes.builder().nextHop(localVtep);
    for (ExtendedCommunity t : inst.policy.exportTargets(vni)) {
      b.addExtendedCommunity(t);
    }
    b.addExtendedCommunity(ExtendedCommunity.encapsulation(VXLAN));
    return b;
  }

  /** Originates the inclusive multicast route of every extended VNI, and the routes of every local segment. */
  private void originateLocal() {
    for (Instance inst : instances) {
      if (!inst.config.type().isSwitching()) {
        continue;
      }
      for (int vni : inst.config.extendedVniList()) {
        InclusiveMulticastRoute imet = new InclusiveMulticastRoute(rdOf(inst), EthernetTag.of(vni), localVtep);
        PathAttributes attrs = baseAttributes(inst, vni)
            .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(vni), localVtep)).build();
        export(inst, imet, attrs);
      }
    }
    for (LocalSegment seg : localSegments.values()) {
      originateSegment(seg, true);
    }
  }

  /**
   * Announces (or withdraws) a local segment's routes: the Ethernet segment route with its ES-Import target (the
   * six octets after the ESI's type, RFC 7432 §7.6), the per-ES A-D route with the ESI label community, and a per-EVI
   * A-D route per VNI (RFC 7432 §8.2, §8.4).
   */
  private void originateSegment(LocalSegment seg, boolean up) {
    RouteDistinguisher perPe = autoRd(0);
    EthernetSegmentRoute es = EthernetSegmentRoute.of(perPe, seg.esi, localVtep);
    List<EvpnRoute> originated = new ArrayList<>();
    List<PathAttributes> attributes = new ArrayList<>();
    byte[] value = seg.esi.toByteArray();
    long importRt = 0;
    for (int i = 1; i <= 6; i++) {
      importRt = importRt << 8 | (value[i] & 0xFF);
    }
    originated.add(es);
    PathAttributes.Builder esAttributes = PathAttributes.builder().nextHop(localVtep)
        .addExtendedCommunity(ExtendedCommunity.esImport(MacAddress.of(importRt)));
    long df = seg.dfCommunity();
    if (df != 0) { // RFC 8584 §2.2: the algorithm (and RFC 9785's preference) in the ES route
      esAttributes.addExtendedCommunity(ExtendedCommunity.of(df));
    }
    attributes.add(esAttributes.build());
    for (Instance inst : instances) {
      if (!inst.config.type().isSwitching()) {
        continue;
      }
      originated.add(EthernetAutoDiscoveryRoute.perEthernetSegment(perPe, seg.esi));
      attributes.add(baseAttributes(inst, -1)
          .addExtendedCommunity(ExtendedCommunity.esiLabel(0, "single-active".equals(esiMode(seg.esi)))).build());
      for (int vni : inst.config.extendedVniList()) {
        originated.add(EthernetAutoDiscoveryRoute.perEvi(rdOf(inst), seg.esi, EthernetTag.of(vni),
            LabelField.ofVni(vni)));
        attributes.add(baseAttributes(inst, vni).build());
      }
    }
    for (int i = 0; i < originated.size(); i++) {
      if (up) {
        sink.announce(originated.get(i), attributes.get(i));
      } else {
        sink.withdraw(originated.get(i));
      }
    }
    seg.up = up;
  }

  /**
   * A local port went down. On an Ethernet segment, the segment's routes are withdrawn, so that remote VTEPs move
   * every MAC behind it to the segment's other PEs at once (mass withdraw, RFC 7432 §8.2); on another port, its MACs
   * age out.
   */
  @Override
  public void portDown(String port) {
    checkThread();
    LocalSegment seg = localSegments.get(esiOf(port));
    if (seg != null) {
      // mass withdraw first: remote VTEPs move every MAC of the segment off this VTEP with one group update; the
      // MACs themselves stay advertised until they age (macAged), as the other PEs of the segment still reach them
      if (seg.up) {
        originateSegment(seg, false);
        reprogramSegment(seg.esi);
      }
    } else {
      List<long[]> aged = new ArrayList<>(); // (VNI, MAC) of the port's MACs; macAged changes the tables
      macs.forEach((vni, table) -> table.forEach(st -> {
        LocalMac local = st.local();
        if (local != null && local.port.equals(port)) {
          aged.add(new long[] {vni, st.mac});
        }
      }));
      for (long[] m : aged) {
        macAged((int) m[0], MacAddress.of(m[1]));
      }
    }
    flush();
  }

  /**
   * Re-programs the MACs behind a local segment, remote routes' and local ones' (its link went down or came up).
   */
  private void reprogramSegment(EthernetSegmentIdentifier esi) {
    macs.forEach((vni, table) -> reprogram(vni, table, esi));
  }

  /** A local port came back: if it is on an Ethernet segment, the segment's routes are announced again. */
  @Override
  public void portUp(String port) {
    checkThread();
    LocalSegment seg = localSegments.get(esiOf(port));
    if (seg != null && !seg.up) {
      originateSegment(seg, true);
      reprogramSegment(seg.esi);
    }
    flush();
  }

  private @Nullable String esiMode(EthernetSegmentIdentifier esi) {
    for (InterfaceConfig ic : config.interfaces().values()) {
      EthernetSegmentIdentifier e = ic.esi();
      if (e != null && esi.equals(e)) {
        return ic.esiMode();
      }
    }
    return null;
  }

  // ------------------------------------------------------------------------------------------------ DF election

  /** Runs timers: DF elections whose timer has run, and the recovery of frozen MACs. */
  public void tick() {
    checkThread();
    long now = nanos.getAsLong();
    for (LocalSegment seg : localSegments.values()) {
      if (!seg.elected && now - seg.upAt >= dfTimer) {
        seg.elected = true;
        elect(seg);
      }
    }
    if (dupIpRecovery >= 0) {
      List<Map.Entry<Integer, IpAddress>> recovered = new ArrayList<>();
      ipMoves.forEach((vni, histories) -> histories.forEach((ip, h) -> {
        if (h.frozen && now - h.frozenAt >= dupIpRecovery) {
          recovered.add(Map.entry(vni, ip));
        }
      }));
      recovered.forEach(e -> unfreezeIp(e.getKey(), e.getValue()));
    }
    if (dupRecovery >= 0 && !frozenMacs.isEmpty()) {
      List<Map.Entry<FrozenMac, MacState>> due = new ArrayList<>();
      for (Map.Entry<FrozenMac, MacState> e : frozenMacs.entrySet()) {
        MacMobility.MoveHistory h = e.getValue().history();
        if (h == null || !h.frozen || now - h.frozenAt >= dupRecovery) {
          due.add(e);
        }
      }
      for (Map.Entry<FrozenMac, MacState> e : due) {
        if (e.getValue().frozen()) {
          unfreeze(e.getKey().vni(), MacAddress.of(e.getKey().mac()), e.getValue());
        } else {
          frozenMacs.remove(e.getKey());
        }
      }
    }
    flush();
  }

  /**
   * Returns when {@link #tick()} next has something to do, in the nanoseconds of the clock the RIB was built with
   * ({@link Builder#clock}): the earliest of the DF election timers of local segments not yet elected and the
   * recovery times of frozen MACs and IPs; empty when no timer runs. An integrator schedules one tick for then
   * (and again after each change), rather than ticking on a fixed period.
   */
  public java.util.OptionalLong nextTick() {
    checkThread();
    long next = Long.MAX_VALUE;
    for (LocalSegment seg : localSegments.values()) {
      if (!seg.elected) {
        next = Math.min(next, seg.upAt + dfTimer);
      }
    }
    if (dupRecovery >= 0) {
      for (MacState st : frozenMacs.values()) {
        MacMobility.MoveHistory h = st.history();
        if (h != null && h.frozen) {
          next = Math.min(next, h.frozenAt + dupRecovery);
        }
      }
    }
    if (dupIpRecovery >= 0) {
      for (Map<IpAddress, MacMobility.MoveHistory> histories : ipMoves.values()) {
        for (MacMobility.MoveHistory h : histories.values()) {
          if (h.frozen) {
            next = Math.min(next, h.frozenAt + dupIpRecovery);
          }
        }
      }
    }
    return next == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(next);
  }

  /**
   * Elects the DF of every VLAN of a local segment among this PE and the PEs whose ES routes arrived, with the
   * algorithm all of them advertise (modulo when they differ; see {@link DfElections}).
   */
  private void elect(LocalSegment seg) {
    List<DfElections.Candidate> pes = new ArrayList<>();
    seg.peers.forEach((pe, community) -> pes.add(new DfElections.Candidate(pe, community)));
    pes.add(new DfElections.Candidate(localVtep, seg.dfCommunity()));
    pes.sort((a, b) -> a.pe().compareTo(b.pe()));
    seg.agreed = DfElections.agreed(pes);
    for (int vlan : seg.vlanIds) {
      IpAddress df = DfElections.rank(seg.agreed, seg.tags.getOrDefault(vlan, (long) vlan), seg.esi, pes).get(0);
      IpAddress old = seg.df.put(vlan, df);
      if (!df.equals(old)) {
        listener.designatedForwarder(seg.esi, vlan, df, df.equals(localVtep));
      }
    }
  }

  /**
   * Returns the local ports BUM traffic of bridge domain {@code vni} goes out of, by the split-horizon and DF rules
   * of EVPN over VXLAN with local bias (RFC 8365 §8.3.1): traffic from a local port goes to every local port of the
   * VLAN (the caller leaves out the one it came in on), Ethernet segment links included whatever the DF; traffic
   * from remote VTEP {@code fromVtep} skips the segments that VTEP is attached to (it has delivered there itself),
   * and reaches a segment's link only if this VTEP is the segment's DF for the VLAN; single-homed ports always.
   *
   * @param fromVtep the VTEP the traffic came from, or {@code null} for traffic from a local port
   */
  public List<String> floodPorts(int vni, @Nullable IpAddress fromVtep) {
    checkThread();
    Instance inst = byVni.get(vni);
    Vlan vlan = inst == null ? null : inst.vlansByVni.get(vni);
    if (vlan == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (InterfaceConfig ic : config.interfaces().values()) {
      for (InterfaceConfig.Unit u : ic.units().values()) {
        if (!u.vlanMembers().contains(vlan.name()) && !u.vlanMembers().contains(Integer.toString(vlan.vlanId()))) {
          continue;
        }
        String port = ic.name() + "." + u.number();
        EthernetSegmentIdentifier esi = ic.esi();
        LocalSegment seg = esi == null || esi.isZero() ? null : localSegments.get(esi);
        if (seg != null && fromVtep != null) {
          if (!seg.up || perEs.getOrDefault(seg.esi, Map.of()).containsKey(fromVtep)) {
            continue; // local bias: the ingress VTEP is on this segment and has delivered to it
          }
          IpAddress df = seg.df.get(vlan.vlanId());
          if (df == null || !df.equals(localVtep)) {
            continue; // not the designated forwarder for this VLAN
          }
        }
        out.add(port);
      }
    }
    Collections.sort(out);
    return out;
  }

  /**
   * Returns the DF election algorithm a local segment uses: the one every PE of the segment advertised, else
   * modulo (RFC 8584 §2.2.3); {@code null} if the segment is not local or before the election.
   */
  public DfElection.@Nullable Algorithm designatedForwarderAlgorithm(EthernetSegmentIdentifier esi) {
    checkThread();
    LocalSegment seg = localSegments.get(esi);
    return seg == null || !seg.elected ? null : seg.agreed;
  }

  /** Returns the DF of a local segment for a VLAN, or {@code null} before the election. */
  public @Nullable IpAddress designatedForwarder(EthernetSegmentIdentifier esi, int vlanId) {
    checkThread();
    LocalSegment seg = localSegments.get(esi);
    return seg == null ? null : seg.df.get(vlanId);
  }

  // -------------------------------------------------------------------------------------------------- queries

  /** Returns what the RIB knows of a MAC, or {@code null}. */
  public @Nullable MacEntry mac(int vni, MacAddress mac) {
    checkThread();
    MacTable table = macs.get(vni);
    MacState st = table == null ? null : table.get(mac.value());
    String location = st == null ? null : MacState.location(st.at);
    if (st == null || location == null) {
      return null;
    }
    return entry(vni, mac, st, location);
  }

  private MacEntry entry(int vni, MacAddress mac, MacState st, String location) {
    boolean local = st.isLocal();
    LocalMac l = st.local();
    RemoteMac r = bestRemote(st);
    long seq = (local && l != null) ? l.sequence : r != null ? r.sequence() : 0;
    boolean sticky = (local && l != null) ? l.sticky : (r != null && r.sticky());
    List<MacEntry.RemoteRoute> remotes = new ArrayList<>();
    Map<EvpnRouteKey, RemoteMac> more = st.more();
    if (more != null) {
      for (RemoteMac x : more.values()) {
        remotes.add(new MacEntry.RemoteRoute(x.vtep(), x.sequence(), x.sticky(), x.esi(), x.gateway()));
      }
    } else if (st.one != null) {
      RemoteMac x = st.one;
      remotes.add(new MacEntry.RemoteRoute(x.vtep(), x.sequence(), x.sticky(), x.esi(), x.gateway()));
    }
    MacMobility.MoveHistory h = st.history();
    return new MacEntry(vni, mac, location, seq, sticky, local, st.frozen(),
        l == null ? null : new MacEntry.LocalBinding(l.port, l.sequence, l.sticky, l.ips, l.suppressed), remotes,
        h == null ? 0 : h.count);
  }

  /**
   * Returns what the RIB knows of every MAC of bridge domain {@code vni} (see {@link #mac}), in no particular order:
   * a copy, for show commands and integrators' audits (it allocates per MAC).
   */
  public List<MacEntry> macs(int vni) {
    checkThread();
    MacTable table = macs.get(vni);
    List<MacEntry> out = new ArrayList<>();
    if (table != null) {
      table.forEach(st -> {
        String location = MacState.location(st.at);
        if (location != null) {
          out.add(entry(vni, MacAddress.of(st.mac), st, location));
        }
      });
    }
    return out;
  }

  /** Returns the Loc-RIB's best routes, in route-key order. */
  public List<EvpnRoute> bestRoutes() {
    checkThread();
    List<EvpnRoute> out = new ArrayList<>(routes.size());
    bestByKey().values().forEach(p -> out.add(p.route));
    return out;
  }

  private Map<EvpnRouteKey, Path> bestByKey() {
    Map<EvpnRouteKey, Path> sorted = new TreeMap<>();
    routes.forEachBest(p -> sorted.put(p.key(), p));
    return sorted;
  }

  /** Returns the number of paths in the Adj-RIBs-In. */
  public int pathCount() {
    checkThread();
    int[] n = {0};
    routes.forEachPath(p -> n[0]++);
    return n[0];
  }

  /** Returns whether the driver holds the RIB's state (false after failures until a resync succeeds). */
  public boolean driverInStep() {
    return link.inStep();
  }

  /** Returns the full resyncs sent to the driver so far (the first download counts). */
  public long driverResyncs() {
    return link.resyncs();
  }

  /** The MAC entries the forwarding table should hold (for a full resync). */
  private List<ForwardingOp> macState() {
    List<ForwardingOp> out = new ArrayList<>();
    macs.forEach((vni, table) -> table.forEach(st -> {
      Destination d = st.programmed;
      if (d != null) {
        out.add(new ForwardingOp.SetMac(vni, MacAddress.of(st.mac), d));
      }
    }));
    return out;
  }

  /** Returns the forwarding state the RIB wants, as set operations in a safe order (what a resync sends). */
  public List<ForwardingOp> forwardingState() {
    checkThread();
    return fib.fullState();
  }

  /**
   * Returns the Loc-RIB in the style of Junos {@code show route table <instance>.evpn.0}: each best route in Junos
   * text form with its origin and next hop.
   */
  public String showRouteTable() {
    checkThread();
    StringBuilder sb = new StringBuilder();
    sb.append("evpn.0: ").append(routes.size()).append(" destinations, ").append(pathCount()).append(" routes (")
        .append(routes.size()).append(" active)\n");
    sb.append("+ = Active Route, - = Last Active, * = Both\n\n");
    for (Path p : bestByKey().values()) {
      sb.append(p.route).append('\n');
      sb.append("                   *[BGP/170] from ").append(p.peer.address());
      IpAddress hop = p.attributes.nextHop();
      sb.append("\n                      to ").append(hop == null ? "-" : hop).append(" via vtep\n");
    }
    return sb.toString();
  }

  /** Sends pending forwarding operations (every mutating method does this itself). */
  public void flush() {
    checkThread();
    flushBatch();
  }

  private void flushBatch() {
    if (fib.hasPending()) {
      link.send(fib.drain(), fib::fullState);
    } else if (!link.inStep()) {
      link.send(List.of(), fib::fullState);
    }
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    int[] programmed = {0};
    macs.values().forEach(t -> t.forEach(st -> programmed[0] += st.programmed != null ? 1 : 0));
    return "EvpnRib[" + localVtep + ", " + routes.size() + " routes, " + fib.size(programmed[0])
        + " forwarding entries]";
  }
}
