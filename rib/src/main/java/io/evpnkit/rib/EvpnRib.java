package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
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
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.policy.DfElection;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.RouteTable.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The EVPN RIB of one VTEP: received routes (per peer, with ADD-PATH path identifiers) go through
 * the Loc-RIB's decision process, into the instances whose {@code vrf-import} accepts them
 * (route-target index for instances without a policy), and become forwarding state sent to a {@link
 * ForwardingDriver} in safe, coalesced batches; locally learned MACs become routes for a {@link
 * RouteSink}.
 *
 * <ul>
 *   <li>MAC mobility (RFC 7432 §15): the highest sequence number wins, equal numbers from different
 *       PEs go to the lowest VTEP address, a MAC learned locally while a remote route has sequence
 *       N is advertised with N+1 and the remote PE's newer route takes it away again; sticky MACs
 *       never move and a conflicting advertisement is reported; routes without the community count
 *       as 0. Duplicate detection: {@code moves} moves within {@code window} (default 5 in 180 s)
 *       freeze a MAC, raise an event and stop its advertisement until {@link #clearDuplicate} or
 *       the recovery time. Time comes from the injected clock.
 *   <li>Multihoming (RFC 7432 §8, RFC 8365 §8): MACs behind a remote Ethernet segment point to the
 *       next-hop group of the segment in their bridge domain, whose members are the VTEPs with both
 *       a per-EVI and a per-ES A-D route (aliasing); withdrawing a per-ES route is one group update
 *       for every MAC behind it (mass withdraw). Local segments elect a designated forwarder per
 *       VLAN once the election timer has run, with the algorithm every PE of the segment advertises
 *       in its ES route: modulo (RFC 7432 §8.5, the default), Highest Random Weight (RFC 8584 §3.2)
 *       or highest preference (RFC 9785); modulo when they disagree.
 *   <li>Flood lists per VNI from inclusive multicast routes with ingress replication (PMSI Tunnel,
 *       RFC 6514 §5); ARP/ND suppression entries from MAC/IP routes (RFC 9161); IP prefix routes
 *       (RFC 9136) and symmetric IRB host routes (RFC 9135, the second label as L3 VNI) in IP-VRFs.
 * </ul>
 *
 * <p>Single writer: one thread calls every method (the integrator's event loop); nothing is locked.
 * Not thread-safe.
 *
 * @since 0.1
 */
@Beta
public final class EvpnRib implements LocalLearning, AutoCloseable {
  private final RibOptions options;
  private final java.util.concurrent.atomic.AtomicReference<@Nullable Thread> owner =
      new java.util.concurrent.atomic.AtomicReference<>();
  private final IpAddress localVtep;
  private final long routerId; // -1: none (an IPv6 VTEP without a configured router id)
  private final java.util.EnumMap<IgnoredRoute, long[]> ignoredCounts =
      new java.util.EnumMap<>(IgnoredRoute.class);
  private final RibListener
      listener; // the integrator's, guarded: an exception of theirs does not cut an update short
  private final GuardedCallbacks guarded;
  private final LongSupplier nanos;
  private final DriverLink link;
  private final FibState fib = new FibState(this::macState);
  private final java.util.function.Supplier<List<ForwardingOp>> fullState =
      fib::fullState; // made once, not per flush
  private final EvpnNlri scratch = new EvpnNlri();

  // the parts, in the order a received route meets them
  private final Instances instances; // route-target import into MAC-VRFs and IP-VRFs
  private final RouteTable routes =
      new RouteTable(); // Adj-RIBs-In and Loc-RIB: the decision process
  private final Map<Integer, BridgeDomain> domains =
      new HashMap<>(); // per VNI: MACs, ARP/ND, flood lists

  /** The bridge domain found last and its VNI: an UPDATE's routes are mostly of one VNI. */
  private int cachedVni;

  private @Nullable BridgeDomain cachedDomain;

  /**
   * Returns the bridge domain of a VNI, or null (without boxing the VNI when it is the last one).
   */
  private @Nullable BridgeDomain findDomain(int vni) {
    BridgeDomain d = cachedDomain;
    if (d != null && cachedVni == vni) {
      return d;
    }
    d = domains.get(vni);
    if (d != null) {
      cachedVni = vni;
      cachedDomain = d;
    }
    return d;
  }

  private SegmentGroups segmentGroups; // remote segments: aliasing, backup, mass withdraw
  private final LocalSegments localSegments; // local segments: DF election, split horizon
  private IpVrfRoutes ipVrfs; // IP-VRF host and prefix routes
  private final LocalOrigination origination; // what this VTEP advertises
  private final RemoteMac.Cache remoteMacs = new RemoteMac.Cache();
  // weak both ways: an attribute set no path holds any more leaves the table with the garbage
  // collector
  private final Map<PathAttributes, java.lang.ref.WeakReference<PathAttributes>> interned =
      new java.util.WeakHashMap<>();
  // the MACs duplicate detection froze, in freezing order: recovery and nextTick() look at them,
  // not at every MAC
  private final Map<FrozenMac, MacState> frozenMacs = new java.util.LinkedHashMap<>();

  private record FrozenMac(int vni, long mac) {}

  private EvpnRib(RibOptions o) {
    this.options = o;
    this.localVtep = o.localVtep();
    this.routerId = o.effectiveRouterId();
    GuardedCallbacks guarded = new GuardedCallbacks(o.listener(), o.sink());
    this.guarded = guarded;
    this.listener = guarded;
    this.nanos = o.clock();
    this.link =
        new DriverLink(o.driver(), o.driverRetries(), o.driverTimeout(), guarded, o.driverThread());
    this.instances = new Instances(o.config(), o.effectiveAutonomousSystem());
    for (int vni : instances.vnis()) {
      domains.put(vni, new BridgeDomain(vni));
      cachedDomain = null;
    }
    this.localSegments =
        new LocalSegments(
            o.config(),
            instances,
            localVtep,
            guarded,
            o.electionTimer(),
            nanos.getAsLong(),
            this::readvertiseSegment,
            this::attached);
    this.segmentGroups = new SegmentGroups(fib, localVtep, localSegments, this::repoint);
    this.ipVrfs = new IpVrfRoutes(fib, localVtep);
    this.origination =
        new LocalOrigination(
            instances,
            localSegments,
            guarded,
            localVtep,
            routerId,
            options.routerMac(),
            options.config());
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
    private RibListener listener = new RibListener() {};
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
    private @Nullable MacAddress routerMac;

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
     * Sets this speaker's BGP router id (default: the local VTEP when it is IPv4): a received route
     * whose ORIGINATOR_ID is this id came back to its originator through a reflector (RFC 4456 §8)
     * and is ignored.
     *
     * @throws IllegalArgumentException for an IPv6 address
     */
    public Builder routerId(IpAddress value) {
      if (value.isIpv6()) {
        throw new IllegalArgumentException(
            "a BGP router id is a 4-octet number (RFC 6286), not " + value);
      }
      this.routerId = value.ipv4() & 0xFFFF_FFFFL;
      return this;
    }

    /**
     * Whether the RIB checks that it is used from one thread (default true): the first call binds
     * it to its thread, and a call from another thread throws {@link IllegalStateException} instead
     * of corrupting the tables. An integrator that moves the RIB between threads and serializes the
     * calls itself turns it off.
     */
    public Builder threadConfined(boolean value) {
      this.threadConfined = value;
      return this;
    }

    /**
     * Sets a limit on the paths held of each peer, like FRR's {@code maximum-prefix}: at the limit
     * the RIB warns ({@link RibListener#routeLimitReached}, which a BGP speaker may answer by
     * closing the session with a Cease, RFC 4486 §4) and, with {@link RouteLimit.Action#REFUSE},
     * stores no new route of that peer; routes already accepted are never lost, and replacing one
     * is always allowed. For sizing: the RIB and the reference forwarding table hold about 190
     * bytes of heap per MAC route (benchmarks/RESULTS.md, {@code RibMemory}).
     */
    public Builder routeLimit(RouteLimit value) {
      this.routeLimit = value;
      return this;
    }

    /**
     * Sets this VTEP's router MAC (the MAC of its IRB interfaces, the inner destination MAC of
     * routed traffic to it): with it, the MAC/IP routes of a bridge domain whose IRB belongs to an
     * IP-VRF with an L3 VNI are symmetric IRB routes (RFC 9135 §5.1): label 2 the L3 VNI, the
     * Router's MAC extended community (RFC 9135 §8.1) and the IP-VRF's route targets beside the
     * MAC-VRF's. Without it they carry label 1 alone (asymmetric IRB).
     */
    public Builder routerMac(MacAddress value) {
      this.routerMac = value;
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

    /**
     * Sets the clock, in nanoseconds (default {@link System#nanoTime()}); tests inject their own.
     */
    public Builder clock(LongSupplier value) {
      this.nanos = value;
      return this;
    }

    /**
     * Sets duplicate MAC detection: {@code moves} moves within {@code window} freeze a MAC; it
     * recovers after {@code recovery} (null: only by {@link EvpnRib#clearDuplicate}).
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
     * Sets duplicate IP detection (RFC 9161): an IP address whose ARP/ND answer changes MAC {@code
     * moves} times within {@code window} (default 5 in 180 s) loses its suppression entry, so that
     * ARP and ND for it are flooded and the conflict shows, until {@link EvpnRib#clearDuplicateIp}
     * or {@code recovery} (null: only by clearing).
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

    /**
     * Sets the driver's retries before a full resync (default 2) and the time-out of one call
     * (default 5 s).
     */
    public Builder driverRetries(int retries, Duration timeout) {
      this.driverRetries = retries;
      this.driverTimeout = timeout;
      return this;
    }

    /**
     * Calls the driver on a thread of its own, so that a hung driver costs the time-out and not the
     * RIB (default: on the RIB's thread, where a late call is reported but cannot be cut short; the
     * hand-off costs tens of microseconds per batch).
     */
    public Builder driverThread(boolean value) {
      this.driverThread = value;
      return this;
    }

    /** Builds the RIB, originates its local routes and downloads the initial state. */
    public EvpnRib build() {
      EvpnRib rib = new EvpnRib(options());
      rib.origination.originateAll();
      rib.anycastGateways();
      rib.flushBatch(); // not flush(): building does not bind the RIB to this thread
      // last: a driver that learns on the RIB's thread may call it from now on
      driver.attach(rib);
      return rib;
    }

    RibOptions options() {
      return new RibOptions(
          config,
          localVtep,
          driver,
          autonomousSystem,
          routerId,
          listener,
          sink,
          nanos,
          dupMoves,
          dupWindow.toNanos(),
          dupRecovery == null ? -1 : dupRecovery.toNanos(),
          dupIpMoves,
          dupIpWindow.toNanos(),
          dupIpRecovery == null ? -1 : dupIpRecovery.toNanos(),
          dfTimer.toNanos(),
          driverRetries,
          driverTimeout,
          driverThread,
          threadConfined,
          routeLimit,
          routerMac);
    }
  }

  // ----------------------------------------------------------------------------------------------
  // received routes

  /**
   * Applies a decoded UPDATE from {@code peer}: every announcement and withdrawal
   * (treat-as-withdraw already turned into withdrawals by the decoder). A session-reset outcome
   * applies nothing.
   */
  public void update(Peer peer, UpdateDecoder decoder) {
    checkThread();
    try {
      if (decoder.outcome() == UpdateOutcome.SESSION_RESET) {
        return;
      }
      if (decoder.isEndOfRib()) {
        endOfRib(peer);
        return;
      }
      PathAttributes attributes = intern(decoder.attributes());
      updateHandler.peer = peer;
      updateHandler.attributes = attributes;
      try {
        decoder.forEachRoute(updateHandler);
      } finally {
        updateHandler.peer = null;
        updateHandler.attributes = null;
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * What {@link #update} does with each route of an UPDATE (one reused instance: an UPDATE
   * allocates no handler).
   */
  private final class UpdateHandler implements UpdateDecoder.RouteHandler {
    @Nullable Peer peer;
    @Nullable PathAttributes attributes;

    @Override
    public void route(boolean withdraw, long pathId, EvpnNlri nlri) {
      Peer p = java.util.Objects.requireNonNull(peer);
      EvpnRoute route = EvpnRoutes.decode(nlri);
      if (withdraw) {
        withdrawPath(p, pathId, route);
      } else {
        announcePath(p, pathId, route, java.util.Objects.requireNonNull(attributes), nlri);
      }
    }
  }

  private final UpdateHandler updateHandler = new UpdateHandler();

  /** Applies one announcement from {@code peer} (path identifier 0 without ADD-PATH). */
  public void announce(Peer peer, long pathId, EvpnRoute route, PathAttributes attributes) {
    checkThread();
    try {
      announcePath(peer, pathId, route, intern(attributes), nlriOf(route));
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /** A route value in wire form, for the import and export policies (which read NLRI). */
  private EvpnNlri nlriOf(EvpnRoute route) {
    return LocalOrigination.nlriOf(route, scratch);
  }

  /**
   * One instance per distinct attribute set held (attribute sets repeat across thousands of
   * routes).
   */
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
   * Graceful restart (RFC 4724 §4.2): the session with {@code peer} went down and the peer is
   * restarting; its paths stay in use, marked stale, until it announces them again or sends
   * End-of-RIB ({@link #endOfRib}), which removes those it did not.
   */
  public void peerRestarting(Peer peer) {
    checkThread();
    routes.markStale(peer);
  }

  /**
   * The peer sent End-of-RIB (or its restart timer ran out): its paths still stale are withdrawn.
   */
  public void endOfRib(Peer peer) {
    checkThread();
    try {
      for (Path p : routes.stalePaths(peer)) {
        withdrawPath(peer, p.pathId(), p.route);
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /** Returns the number of stale paths (graceful restart in progress). */
  public int stalePaths() {
    checkThread();
    return routes.staleCount();
  }

  /**
   * A copy of what the RIB holds from its peers and from local learning: enough to rebuild it
   * ({@link #restore}), after a restart of the integrator's process or in tests. Immutable.
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
  public record SnapshotMac(
      int vni, MacAddress mac, String port, @Nullable IpAddress ip, boolean sticky) {}

  /** Returns a snapshot of the RIB's inputs. */
  public Snapshot snapshot() {
    checkThread();
    List<SnapshotPath> paths = new ArrayList<>();
    for (Path p : routes.allPaths()) {
      paths.add(new SnapshotPath(p.peer, p.pathId(), p.route, p.attributes));
    }
    List<SnapshotMac> local = new ArrayList<>();
    domains.forEach(
        (vni, domain) ->
            domain.macs.forEach(
                st -> {
                  LocalMac l = st.local();
                  if (l != null) {
                    if (l.ips.isEmpty()) {
                      local.add(
                          new SnapshotMac(vni, MacAddress.of(st.mac), l.port, null, l.sticky));
                    }
                    for (IpAddress ip :
                        l.ips) { // one entry per address: restoring learns them one after the other
                      local.add(new SnapshotMac(vni, MacAddress.of(st.mac), l.port, ip, l.sticky));
                    }
                  }
                }));
    return new Snapshot(paths, local);
  }

  /**
   * Applies a snapshot's paths and local MACs to this RIB (normally a new one), then flushes once.
   */
  public void restore(Snapshot snapshot) {
    checkThread();
    try {
      for (SnapshotPath p : snapshot.paths()) {
        announcePath(p.peer(), p.pathId(), p.route(), intern(p.attributes()), nlriOf(p.route()));
      }
      for (SnapshotMac m : snapshot.localMacs()) {
        learn(m.vni(), m.mac(), m.port(), m.ip(), m.sticky());
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /** Applies one withdrawal from {@code peer}. */
  public void withdraw(Peer peer, long pathId, EvpnRoute route) {
    checkThread();
    try {
      withdrawPath(peer, pathId, route);
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /** Removes every path of {@code peer} (session down). */
  public void peerDown(Peer peer) {
    checkThread();
    try {
      for (Path p : routes.allPaths()) {
        if (p.peer.equals(peer)) {
          withdrawPath(peer, p.pathId(), p.route);
        }
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  private void announcePath(
      Peer peer, long pathId, EvpnRoute route, PathAttributes attributes, EvpnNlri nlri) {
    IgnoredRoute unusable = unusable(route, attributes);
    if (unusable != null) {
      ignore(peer, route, unusable);
      withdrawPath(
          peer, pathId, route); // the peer's earlier path, if any, is replaced by nothing usable
      return;
    }
    int hash = EvpnRouteKey.hashOf(route);
    Path p = Path.of(peer, pathId, route, attributes, instances.importing(attributes, nlri));
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
    if (routes.pathOf(slot, peer, pathId) == null && !admit(peer, route)) {
      return;
    }
    routes.put(slot, p); // replaces the path of the same peer and path id, or appends
    reselect(slot, old);
  }

  /**
   * The single-writer rule, enforced (as Netty's event loops assert {@code inEventLoop()}): the
   * first call binds the RIB to its thread; a call from another thread fails loudly instead of
   * corrupting a table (two threads in one open addressing table can also loop forever).
   */
  private void checkThread() {
    if (!options.threadConfined()) {
      return;
    }
    Thread t = Thread.currentThread();
    Thread o = owner.get();
    if (o == t || (o == null && owner.compareAndSet(null, t))) {
      return;
    }
    Thread bound = owner.get();
    throw new IllegalStateException(
        "EvpnRib is single-writer: called on thread \""
            + t.getName()
            + "\" but it belongs to \""
            + (bound == null ? "?" : bound.getName())
            + "\" (hand events to that thread, or build it with threadConfined(false) and serialize the calls)");
  }

  /** The number of paths held of a peer (one slot per peer; the last peer's is kept at hand). */
  private long[] counter(Peer peer) {
    @SuppressWarnings(
        "ReferenceEquality") // identity first: the usual case is the same instance, run after run
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
   * Counts a new path of {@code peer}, or refuses it at the peer's route limit ({@link
   * Builder#routeLimit}): with {@link RouteLimit.Action#REFUSE} the route is not stored (what was
   * accepted stays), with {@link RouteLimit.Action#WARN} it is; either way the listener hears of
   * the limit once per crossing.
   */
  private boolean admit(Peer peer, EvpnRoute route) {
    long[] n = counter(peer);
    RouteLimit limit = options.routeLimit();
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
   * Returns how many exceptions the listener and the route sink threw: each was caught (and logged
   * on this class's {@link System.Logger}), so that an update runs to its end whatever they do.
   */
  public long callbackFaults() {
    checkThread();
    return guarded.faults();
  }

  /**
   * Returns the number of paths held of {@code peer} (its Adj-RIB-In), the figure a route limit
   * counts.
   */
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
      if (m.mac().isMulticast()
          || m.mac().value() == 0) { // broadcast is multicast too (the I/G bit)
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

  /**
   * Returns how many received routes were set aside for {@code reason} since this RIB was built.
   */
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
    Path x = routes.pathOf(slot, peer, pathId);
    if (x == null) {
      return;
    }
    counter(peer)[0]--;
    if (routes.remove(slot, x)) { // the key's last path
      contribute(x, false);
      return;
    }
    reselect(slot, old);
  }

  /**
   * Runs the decision process over the (non-empty) chain at {@code slot}, moves the winner to the
   * front, and changes what the best path contributes if the winner is not {@code old}, the best
   * path before the change.
   */
  private void reselect(int slot, Path old) {
    Path winner = routes.selectBest(slot);
    if (old == winner) {
      return;
    }
    if (winner.isOf(old.peer, old.pathId())) {
      // an implicit replace: the peer re-advertised the route (RFC 4271 §9), say with a new MAC
      // mobility sequence;
      // it is one change of each MAC, not a withdrawal that hands the MAC to another PE and an
      // announcement that
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

  /**
   * A MAC whose resolution waits for the end of an implicit replace (reused: a replace allocates
   * nothing).
   */
  private static final class Deferred {
    int vni;
    @Nullable MacAddress mac;
    @Nullable MacState state;
  }

  private boolean replacing;
  private Deferred[] deferred = {new Deferred(), new Deferred()};
  private int deferredCount;

  // ------------------------------------------------------------------------------------------
  // route contributions

  /** The Router's MAC extended community (RFC 9135 §8.1), or {@code null}. */
  private static @Nullable MacAddress routerMac(PathAttributes a) {
    long v = a.findExtendedCommunity(ExtendedCommunity.ROUTER_MAC);
    return v == 0 ? null : ExtendedCommunity.macOf(v);
  }

  /**
   * Adds what a best path contributes to the parts it concerns, or takes it away: MAC routes to
   * their bridge domain (and their IP to the IP-VRF), inclusive multicast routes to the flood list,
   * A-D routes to the segment groups, ES routes to the local segment's election, IP prefix routes
   * to the IP-VRF.
   */
  private void contribute(Path p, boolean add) {
    IpAddress hop = p.attributes.nextHop();
    if (hop == null) {
      return;
    }
    EvpnRoute r = p.route;
    if (r instanceof MacIpAdvertisementRoute m) {
      int vni = m.label1().vni();
      IpAddress ip = m.ip();
      EvpnRouteKey key =
          null; // built only for an IP-VRF (MAC routes are the million; those do not need it)
      for (Instance inst : p.importedInto) {
        if (inst.bridges(vni)) {
          macRoute(vni, m, p.attributes, hop, add);
        }
        if (inst.isIpVrf()
            && ip != null
            // an anycast gateway's address is local on every leaf: no host route to another one
            && p.attributes.findExtendedCommunity(ExtendedCommunity.DEFAULT_GATEWAY) == 0) {
          key = key != null ? key : p.key();
          LabelField l3 = m.label2(); // symmetric IRB host route (RFC 9135 §5)
          ipVrfs.macIpRoute(
              inst, key, ip, hop, l3 == null ? -1 : l3.vni(), routerMac(p.attributes), add);
        }
      }
    } else if (r instanceof InclusiveMulticastRoute) {
      PmsiTunnel t = p.attributes.pmsiTunnel();
      if (t == null || t.tunnelType() != PmsiTunnel.INGRESS_REPLICATION) {
        return;
      }
      int vni = t.label().vni();
      IpAddress endpoint = t.endpoint();
      BridgeDomain domain = findDomain(vni);
      if (domain == null || endpoint.equals(localVtep)) {
        return;
      }
      for (Instance inst : p.importedInto) {
        if (inst.vlansByVni.containsKey(vni)) {
          domain.countFlood(endpoint, add);
          floodChanged(domain);
          break;
        }
      }
    } else if (r instanceof EthernetAutoDiscoveryRoute ad) {
      if (p.importedInto.isEmpty() || hop.equals(localVtep)) {
        return;
      }
      if (ad.isPerEthernetSegment()) {
        long esiLabel = p.attributes.findExtendedCommunity(ExtendedCommunity.ESI_LABEL);
        segmentGroups.perEsRoute(
            ad.esi(), hop, esiLabel != 0 && ExtendedCommunity.isSingleActive(esiLabel), add);
      } else {
        segmentGroups.perEviRoute(bridgeDomainOf(ad, p.importedInto), ad.esi(), hop, add);
      }
      localSegments.attachmentChanged(
          ad.esi()); // the AC-influenced election's candidates (RFC 8584 §4.1)
    } else if (r instanceof EthernetSegmentRoute es) {
      // RFC 8584 §2.2: the DF Election community, or a mark that the route carried more than one
      // (§2.2.3: then every
      // PE falls back to the default)
      localSegments.esRoute(
          es.esi(),
          es.originator(),
          !add
              ? 0
              : p.attributes.countExtendedCommunities(ExtendedCommunity.DF_ELECTION) > 1
                  ? DfElections.Candidate.SEVERAL
                  : p.attributes.findExtendedCommunity(ExtendedCommunity.DF_ELECTION),
          add);
    } else if (r instanceof IpPrefixRoute ip) {
      EvpnRouteKey key = p.key();
      for (Instance inst : p.importedInto) {
        if (inst.isIpVrf() && !origination.isConnected(inst, ip.prefix(), ip.prefixLength())) {
          ipVrfs.prefixRoute(inst, key, ip, hop, routerMac(p.attributes), add);
        }
      }
    }
  }

  /**
   * The bridge domain a per-EVI A-D route is for: its Ethernet tag where one applies (VLAN-aware
   * bundle, where the tag is the VNI of the bridge domain, RFC 8365 §5.1.2; with an MPLS-style
   * label shared by the EVI, the tag is all that tells the bridge domains apart), else the VNI in
   * its label (VLAN-based service: tag 0, RFC 8365 §5.1.3); failing both, the one bridge domain of
   * the VLAN-based instance its route targets import it into (RFC 7432 §6.1: there the EVI is the
   * bridge domain). A route reflector need not carry the label over: FRR 8.4 reflects per-EVI
   * routes with label 0.
   */
  private int bridgeDomainOf(EthernetAutoDiscoveryRoute ad, List<Instance> importedInto) {
    long tag = ad.ethernetTag().value();
    if (tag != 0 && tag <= 0xFF_FFFF && domains.containsKey((int) tag)) {
      return (int) tag;
    }
    int vni = ad.label().vni();
    if (domains.containsKey(vni)) {
      return vni;
    }
    for (Instance inst : importedInto) {
      if (inst.config.type().isSwitching() && inst.vlansByVni.size() == 1) {
        return inst.vlansByVni.keySet().iterator().next();
      }
    }
    return vni;
  }

  private void floodChanged(BridgeDomain domain) {
    List<IpAddress> list = domain.floodList();
    if (list.isEmpty()) {
      fib.remove(new ForwardingOp.RemoveFlood(domain.vni));
    } else {
      fib.set(new ForwardingOp.SetFlood(domain.vni, list));
    }
  }

  /**
   * Whether a remote PE serves bridge domain {@code vni} on segment {@code esi} (its per-ES and
   * per-EVI routes).
   */
  private boolean attached(int vni, EthernetSegmentIdentifier esi, IpAddress pe) {
    return segmentGroups.hasPerEsRoute(esi, pe) && segmentGroups.hasPerEviRoute(vni, esi, pe);
  }

  // ------------------------------------------------------------------------------------------------ recovery

  private @Nullable Throwable
      recovered; // the throwable the RIB last recovered from (an outer call rethrows it too)
  private boolean rebuilding;

  /**
   * Puts the RIB back in a whole state after {@code cause} escaped an event half-way (an {@link
   * OutOfMemoryError}, an error from a callback, a bug): what the RIB derives (bridge domains,
   * segment groups, IP-VRF routes, the elections' inputs, the forwarding state) is rebuilt from its
   * inputs (every peer's paths, the local MACs and their move histories), and the driver gets the
   * whole state again. An event is then either applied whole (its input was recorded before the
   * fault) or not at all. The caller's call still throws {@code cause}; the listener hears of it
   * first ({@link RibListener#internalFault}).
   */
  private void recover(Throwable cause) {
    if (cause == recovered) {
      return; // a nested call recovered already
    }
    recovered = cause;
    record Local(
        int vni, long mac, @Nullable LocalMac local, MacMobility.@Nullable MoveHistory history) {}
    List<Local> locals = new ArrayList<>();
    domains.forEach(
        (vni, domain) ->
            domain.macs.forEach(
                st -> {
                  if (st.local() != null || st.history() != null) {
                    locals.add(new Local(vni, st.mac, st.local(), st.history()));
                  }
                }));
    List<Path> best = new ArrayList<>(routes.size());
    routes.forEach(best::add);
    Map<Integer, Map<IpAddress, MacMobility.MoveHistory>> ipHistories = new HashMap<>();
    domains.forEach((vni, domain) -> ipHistories.put(vni, new HashMap<>(domain.ipMoves)));
    // forget what was derived
    fib.clear();
    for (int vni : instances.vnis()) {
      BridgeDomain fresh = new BridgeDomain(vni);
      fresh.ipMoves.putAll(ipHistories.getOrDefault(vni, Map.of()));
      domains.put(vni, fresh);
      cachedDomain = null;
    }
    segmentGroups = new SegmentGroups(fib, localVtep, localSegments, this::repoint);
    ipVrfs = new IpVrfRoutes(fib, localVtep);
    localSegments.forgetPeers();
    frozenMacs.clear();
    replacing = false;
    for (int i = 0; i < deferredCount; i++) {
      deferred[i].mac = null;
      deferred[i].state = null;
    }
    deferredCount = 0;
    // and derive it again, without reporting what was reported already
    rebuilding = true;
    try {
      for (Local l : locals) {
        MacState st = domain(l.vni()).macs.getOrAdd(l.mac());
        st.local(l.local());
        st.history(l.history());
        if (st.frozen()) {
          frozenMacs.put(new FrozenMac(l.vni(), l.mac()), st);
        }
        LocalMac local = l.local();
        if (local != null && !local.suppressed) {
          for (IpAddress ip : local.ips) {
            domain(l.vni()).bindLocally(ip, MacAddress.of(l.mac()));
          }
        }
      }
      for (Path p : best) {
        contribute(p, true);
      }
      for (Local l : locals) {
        MacState st = domain(l.vni()).macs.get(l.mac());
        if (st != null) {
          resolve(
              l.vni(),
              MacAddress.of(l.mac()),
              st); // also drops a history whose MAC has no route left
        }
        LocalMac local = l.local();
        if (local != null) {
          for (IpAddress ip : local.ips) {
            neighborChanged(l.vni(), ip);
          }
        }
      }
      localSegments.electAgain();
    } finally {
      rebuilding = false;
    }
    link.resyncNext();
    flushBatch();
    listener.internalFault(cause);
  }

  /** Announces a local segment's routes again (what its ES route says changed). */
  private void readvertiseSegment(LocalSegments.LocalSegment seg) {
    origination.segment(seg, true);
  }

  /** Points the MACs of a segment in a bridge domain at its group, or back at their VTEPs. */
  private void repoint(SegmentGroups.SegmentKey k) {
    BridgeDomain domain = findDomain(k.vni());
    if (domain != null) {
      reprogram(domain, k.esi());
    }
  }

  /**
   * Programs again every MAC of {@code domain} whose winning route, remote or local, is behind
   * segment {@code esi}.
   */
  private void reprogram(BridgeDomain domain, EthernetSegmentIdentifier esi) {
    domain.macs.forEach(
        st -> {
          RemoteMac r = st.bestRemote();
          LocalMac local = st.local();
          if ((st.isRemote() && r != null && r.esi().equals(esi))
              || (st.isLocal() && local != null && local.esi.equals(esi))) {
            programMac(domain, MacAddress.of(st.mac), st);
          }
        });
  }

  // --------------------------------------------------------------------------------------------------- MAC state

  /**
   * The bridge domain of {@code vni}: one exists for every VNI of the configuration, and no other
   * is asked for.
   */
  private BridgeDomain domain(int vni) {
    return java.util.Objects.requireNonNull(findDomain(vni), "bridge domain");
  }

  private @Nullable MacState state(int vni, MacAddress mac) {
    BridgeDomain domain = findDomain(vni);
    return domain == null ? null : domain.macs.get(mac.value());
  }

  private void macRoute(
      int vni, MacIpAdvertisementRoute m, PathAttributes a, IpAddress hop, boolean add) {
    BridgeDomain domain = domain(vni);
    MacState st = domain.macs.getOrAdd(m.mac().value());
    if (add) {
      long mm =
          a.findExtendedCommunity(
              ExtendedCommunity.MAC_MOBILITY); // RFC 7432 §7.7; absent: sequence 0
      long seq = mm == 0 ? 0 : ExtendedCommunity.macMobilitySequence(mm);
      boolean sticky = mm != 0 && ExtendedCommunity.isSticky(mm);
      st.putRemote(
          m,
          remoteMacs.of(
              hop,
              seq,
              sticky,
              m.esi(),
              a.findExtendedCommunity(ExtendedCommunity.DEFAULT_GATEWAY) != 0));
    } else {
      st.removeRemote(m);
    }
    if (!m.esi().isZero()) {
      segmentGroups.macRoute(vni, m.esi(), add);
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
      domain.bindRemote(m, add);
      if (!defer) {
        neighborChanged(vni, ip);
      }
    }
    if (!defer) {
      resolve(vni, m.mac(), st);
    }
  }

  /**
   * Programs the ARP/ND suppression entry of {@code ip} (RFC 9161) with the MAC that now answers
   * for it ({@link BridgeDomain#answerFor}), and watches for an IP that keeps changing MAC
   * (duplicate IP detection).
   */
  private void neighborChanged(int vni, IpAddress ip) {
    BridgeDomain domain = domain(vni);
    MacAddress chosen = domain.answerFor(ip);
    if (chosen == null) {
      fib.remove(new ForwardingOp.RemoveNeighbor(vni, ip));
      return;
    }
    MacMobility.MoveHistory h = domain.ipMoves.get(ip);
    if (h != null && h.frozen) {
      return; // a duplicate IP: no answer until it is cleared
    }
    ForwardingOp.SetNeighbor want = new ForwardingOp.SetNeighbor(vni, ip, chosen);
    ForwardingOp before = fib.wanted(want);
    if (before instanceof ForwardingOp.SetNeighbor b
        && !b.mac().equals(chosen)) { // the IP moved to another MAC
      int moves = options.duplicateIpMoves();
      if (h == null) {
        h = new MacMobility.MoveHistory(moves);
        domain.ipMoves.put(ip, h);
      }
      if (h.record(nanos.getAsLong(), moves, options.duplicateIpWindow())) {
        fib.remove(new ForwardingOp.RemoveNeighbor(vni, ip));
        listener.duplicateIp(vni, ip, moves);
        return;
      }
    }
    fib.set(want);
  }

  /**
   * Ends the duplicate state of an IP address (RFC 9161): its suppression entry comes back with its
   * binding.
   */
  public void clearDuplicateIp(int vni, IpAddress ip) {
    checkThread();
    try {
      BridgeDomain domain = findDomain(vni);
      MacMobility.MoveHistory h = domain == null ? null : domain.ipMoves.get(ip);
      if (h != null && h.frozen) {
        unfreezeIp(vni, ip);
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  private void unfreezeIp(int vni, IpAddress ip) {
    domain(vni).ipMoves.remove(ip);
    listener.duplicateIpCleared(vni, ip);
    neighborChanged(vni, ip);
  }

  /**
   * Picks the winner of a MAC, programs it, advertises or withdraws the local route, and watches
   * for moves.
   */
  private void resolve(int vni, MacAddress mac, MacState st) {
    RemoteMac remote = st.bestRemote();
    LocalMac local = st.local();
    // learned here and advertised by a PE on the same multihomed segment: one host behind one
    // segment, not a move
    // (RFC 7432 §15); this PE keeps its route whatever the other's sequence, and forwards on its
    // own link
    boolean sameSegment =
        local != null && remote != null && !local.esi.isZero() && local.esi.equals(remote.esi());
    boolean localWins;
    if (local == null) {
      localWins = false;
    } else if (remote == null || sameSegment) {
      localWins = true;
    } else if (local.sticky && (!remote.sticky() || remote.gateway())) {
      localWins = true;
      if (!remote.gateway()
          && !rebuilding) { // the anycast gateway's MAC is the same on every leaf (RFC 9135 §4.1)
        listener.stickyConflict(vni, mac, "local " + local.port, "remote " + remote.vtep());
      }
    } else if (remote.sticky() && !local.sticky) {
      localWins = false;
      if (!local.suppressed && !rebuilding) {
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
      local.suppressed =
          false; // the sticky route went: the binding learned meanwhile becomes active
      for (IpAddress ip : local.ips) {
        bindLocally(vni, ip, mac);
      }
    }
    Object at = (localWins && local != null) ? local.port : remote != null ? remote.vtep() : null;
    long sequence =
        (localWins && local != null) ? local.sequence : remote != null ? remote.sequence() : 0;
    Object before = st.at;
    st.at = at;
    if (at == null) {
      domain(vni).macs.remove(mac.value());
      if (st.programmed != null) {
        st.programmed = null;
        fib.send(new ForwardingOp.RemoveMac(vni, mac));
      }
      return;
    }
    boolean gateway = (local != null && local.isGateway()) || (remote != null && remote.gateway());
    // a gateway's MAC is everywhere at once; a rebuild (recover) reports nothing again
    if (before != null && !before.equals(at) && !gateway && !sameSegment && !rebuilding) {
      listener.macMoved(
          vni,
          mac,
          String.valueOf(MacState.location(before)),
          String.valueOf(MacState.location(at)),
          sequence);
      // RFC 7432 §15.1 counts the moves this PE detects through local learning: a local learn that
      // takes over from a
      // remote route, or a remote route that takes over from a local MAC. A MAC going from one
      // remote PE to another
      // (a third PE's view) or between two local ports is reported, not counted.
      if ((before instanceof String) != (at instanceof String)) {
        recordMove(vni, mac, st);
      }
    }
    programMac(vni, mac, st);
    if (localWins && local != null && !st.frozen() && local.advertised.isEmpty()) {
      origination.advertise(vni, mac, local, null);
    }
  }

  private void programMac(BridgeDomain domain, MacAddress mac, MacState st) {
    programMac(domain.vni, mac, st);
  }

  /** Tells the forwarding table where a MAC is now, if that changed. */
  private void programMac(int vni, MacAddress mac, MacState st) {
    LocalMac local = st.local();
    Destination d;
    if (local != null && st.isLocal()) {
      LocalSegments.LocalSegment seg = local.esi.isZero() ? null : localSegments.get(local.esi);
      Long repair = seg != null && !seg.up ? segmentGroups.localRepairGroup(vni, local.esi) : null;
      // local repair (RFC 7432 §8.2): while this PE's link to the segment is down, frames for the
      // segment's MACs go
      // to the segment's other PEs rather than into a dead port, until the MACs age out or the link
      // returns
      d = repair != null ? new Destination.Group(repair) : new Destination.LocalPort(local.port);
    } else {
      RemoteMac r = st.bestRemote();
      if (r == null) {
        return;
      }
      d = segmentGroups.destination(vni, r);
      if (d == null) { // nothing reaches it now: unknown unicast floods (RFC 7432 §8.2, §14.1.1)
        if (st.programmed != null) {
          st.programmed = null;
          fib.send(new ForwardingOp.RemoveMac(vni, mac));
        }
        return;
      }
    }
    if (!d.equals(
        st.programmed)) { // MAC entries are kept here, not in FibState: one large map less
      st.programmed = d;
      fib.send(new ForwardingOp.SetMac(vni, mac, d));
    }
  }

  private void recordMove(int vni, MacAddress mac, MacState st) {
    long now = nanos.getAsLong();
    int moves = options.duplicateMoves();
    MacMobility.MoveHistory h = st.history();
    if (h == null) {
      h = new MacMobility.MoveHistory(moves);
      st.history(h);
    }
    if (h.record(now, moves, options.duplicateWindow())) {
      frozenMacs.put(new FrozenMac(vni, mac.value()), st);
      LocalMac local = st.local();
      if (local != null) {
        origination.withdraw(local);
      }
      listener.duplicateMac(vni, mac, moves);
    }
  }

  /** Unfreezes a MAC that duplicate detection froze, and advertises it again if it is local. */
  public void clearDuplicate(int vni, MacAddress mac) {
    checkThread();
    try {
      MacState st = state(vni, mac);
      if (st != null && st.frozen()) {
        unfreeze(vni, mac, st);
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  private void unfreeze(int vni, MacAddress mac, MacState st) {
    st.history(null);
    frozenMacs.remove(new FrozenMac(vni, mac.value()));
    listener.duplicateCleared(vni, mac);
    LocalMac local = st.local();
    if (local != null && local.advertised.isEmpty() && st.isLocal()) {
      origination.advertise(vni, mac, local, null);
    }
  }

  // --------------------------------------------------------------------------------------------
  // local learning

  /**
   * A MAC was learned on a local port (reported by the driver or the data plane), with its IP
   * address if known (ARP/ND snooping). Its route is advertised with a sequence number above any
   * remote route's (RFC 7432 §15.1).
   */
  @Override
  public void macLearned(int vni, MacAddress mac, String port, @Nullable IpAddress ip) {
    checkThread();
    try {
      learn(vni, mac, port, ip, false);
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * The anycast gateway of the configuration: each bridge domain's IRB unit ({@code l3-interface})
   * with a {@code virtual-gateway-address}, the same MAC ({@link
   * InterfaceConfig.Unit#virtualGatewayMac}) and address on every leaf, bound to the IRB as a
   * static MAC (it never moves: exempt from MAC mobility and duplicate detection, RFC 7432 §15) and
   * advertised with the default gateway community (§10.1), the IRB's MAC/IP route.
   */
  private void anycastGateways() {
    for (Instance inst : instances.all()) {
      if (!inst.config.type().isSwitching()) {
        continue;
      }
      for (Vlan v : inst.vlansByVni.values()) {
        String irb = v.l3Interface();
        InterfaceConfig.Unit u = irb == null ? null : options.config().unit(irb).orElse(null);
        if (irb == null || u == null) {
          continue;
        }
        for (InterfaceConfig.Address a : u.addresses()) {
          for (IpAddress vga : a.virtualGatewayAddresses()) {
            learn(v.vni(), u.virtualGatewayMac(vga), irb, vga, true);
          }
        }
      }
    }
    owner.set(null); // learning flushed; building binds the RIB to no thread
  }

  /** A static (sticky) MAC on a local port: never moves away, advertised with the sticky flag. */
  public void staticMac(int vni, MacAddress mac, String port) {
    checkThread();
    try {
      learn(vni, mac, port, null, true);
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  private void learn(int vni, MacAddress mac, String port, @Nullable IpAddress ip, boolean sticky) {
    BridgeDomain domain = findDomain(vni);
    if (domain == null) {
      throw new IllegalArgumentException("no VLAN of this VTEP has VNI " + vni);
    }
    MacState st = domain.macs.getOrAdd(mac.value());
    LocalMac old = st.local();
    if (old != null && old.port.equals(port) && old.sticky == sticky) {
      if (ip == null || old.ips.contains(ip)) {
        return; // a refresh
      }
      // another address of the same host (IPv4 beside IPv6, a link-local one): one more MAC/IP
      // route, the others stay
      old.ips.add(ip);
      if (!old.suppressed) {
        bindLocally(vni, ip, mac);
        if (!old.advertised.isEmpty()) {
          origination.advertise(vni, mac, old, ip);
        }
      }
      flush();
      return;
    }
    RemoteMac remote = st.bestRemote();
    long seq;
    if (old != null && st.isLocal()) {
      seq = old.sequence; // moving between local ports is not a mobility event
    } else if (sticky && port.startsWith("irb.")) {
      seq = 0; // the anycast gateway's MAC is not subject to mobility (RFC 9135 §4.1)
    } else if (remote != null
        && !remote.esi().isZero()
        && remote.esi().equals(localSegments.esiOf(port))) {
      seq =
          remote.sequence(); // a PE on the same segment advertises it: the same sequence (RFC 7432
      // §15)
    } else {
      seq =
          remote == null
              ? 0
              : ExtendedCommunity.nextSequence(remote.sequence()); // wraps to 0 (RFC 7432 §15)
    }
    if (old != null) {
      origination.withdraw(old);
    }
    // the host keeps its addresses when it moves between ports or becomes static
    List<IpAddress> ips = new ArrayList<>(old == null ? List.of() : old.ips);
    if (ip != null && !ips.contains(ip)) {
      ips.add(ip);
    }
    st.local(new LocalMac(port, seq, sticky, ips, localSegments.esiOf(port)));
    for (IpAddress a : ips) {
      bindLocally(vni, a, mac);
    }
    resolve(vni, mac, st);
    flush();
  }

  /**
   * One address of a local host is gone (its ARP/ND entry aged out): its MAC/IP route is withdrawn
   * and the ARP/ND answer for it chosen again; the MAC and its other addresses stay.
   */
  @Override
  public void neighborAged(int vni, MacAddress mac, IpAddress ip) {
    checkThread();
    try {
      MacState st = state(vni, mac);
      LocalMac local = st == null ? null : st.local();
      if (local == null || !local.ips.remove(ip)) {
        return;
      }
      origination.withdraw(local, ip);
      forgetLocalBinding(vni, ip, mac);
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * A local MAC aged out (or its port went down): the route is withdrawn and remote routes take
   * over.
   */
  @Override
  public void macAged(int vni, MacAddress mac) {
    checkThread();
    try {
      MacState st = state(vni, mac);
      if (st == null || st.local() == null) {
        return;
      }
      dropLocal(vni, mac, st, st.local());
      resolve(vni, mac, st);
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * Withdraws a local binding a sticky remote route overrides, and its ARP/ND answers, but keeps it
   * (§15.2).
   */
  private void suppress(int vni, MacAddress mac, LocalMac local) {
    if (local.suppressed) {
      return;
    }
    local.suppressed = true;
    origination.withdraw(local);
    for (IpAddress ip : local.ips) {
      forgetLocalBinding(vni, ip, mac);
    }
  }

  /** Stops advertising a local MAC and forgets it, and the local bindings of its IP addresses. */
  private void dropLocal(int vni, MacAddress mac, MacState st, LocalMac local) {
    origination.withdraw(local);
    st.local(null);
    for (IpAddress ip : local.ips) {
      forgetLocalBinding(vni, ip, mac);
    }
  }

  /**
   * Records that {@code ip} is seen locally at {@code mac}; the ARP/ND answer for it is chosen
   * again.
   */
  private void bindLocally(int vni, IpAddress ip, MacAddress mac) {
    domain(vni).bindLocally(ip, mac);
    neighborChanged(vni, ip);
  }

  /**
   * Forgets that {@code ip} was seen locally at {@code mac}; the ARP/ND answer for it is chosen
   * again.
   */
  private void forgetLocalBinding(int vni, IpAddress ip, MacAddress mac) {
    if (domain(vni).forgetLocalBinding(ip, mac)) {
      neighborChanged(vni, ip);
    }
  }

  /**
   * A local port went down. On an Ethernet segment, the segment's routes are withdrawn, so that
   * remote VTEPs move every MAC behind it to the segment's other PEs at once (mass withdraw, RFC
   * 7432 §8.2); on another port, its MACs age out.
   */
  @Override
  public void portDown(String port) {
    checkThread();
    try {
      LocalSegments.LocalSegment seg = localSegments.ofPort(port);
      if (seg != null) {
        // mass withdraw first: remote VTEPs move every MAC of the segment off this VTEP with one
        // group update; the
        // MACs themselves stay advertised until they age (macAged), as the other PEs of the segment
        // still reach them
        if (seg.up) {
          origination.segment(seg, false);
          reprogramSegment(seg.esi);
          localSegments.attachmentChanged(seg.esi);
        }
      } else {
        List<long[]> aged =
            new ArrayList<>(); // (VNI, MAC) of the port's MACs; macAged changes the tables
        domains.forEach(
            (vni, domain) ->
                domain.macs.forEach(
                    st -> {
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
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * Re-programs the MACs behind a local segment, remote routes' and local ones' (its link went down
   * or came up).
   */
  private void reprogramSegment(EthernetSegmentIdentifier esi) {
    domains.values().forEach(domain -> reprogram(domain, esi));
  }

  /**
   * A route of IP-VRF {@code vrf} to advertise as an IP prefix route (RFC 9136): a static route, or
   * one the integrator's routing table holds (the VRF's IRB subnets are advertised without asking).
   * With a {@code gateway}, the gateway IP model (§4.2, the route follows the gateway's MAC/IP
   * route); without, the interface-less model to this VTEP and its router MAC (§4.4.1, which needs
   * {@link Builder#routerMac}). The VRF's export policy applies; announcing a prefix again replaces
   * it.
   *
   * @return whether the route was announced (false: no such IP-VRF with an L3 VNI, no router MAC
   *     for an interface-less route, or the export policy refused it)
   */
  public boolean prefixAdded(String vrf, IpPrefix prefix, @Nullable IpAddress gateway) {
    checkThread();
    try {
      Instance inst = ipVrf(vrf);
      boolean done =
          inst != null
              && origination.prefix(inst, prefix.address(), prefix.length(), gateway, true);
      flush();
      return done;
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /** Withdraws the IP prefix route of {@code prefix} in IP-VRF {@code vrf}, if announced. */
  public boolean prefixRemoved(String vrf, IpPrefix prefix) {
    checkThread();
    try {
      Instance inst = ipVrf(vrf);
      boolean done =
          inst != null && origination.prefix(inst, prefix.address(), prefix.length(), null, false);
      flush();
      return done;
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  private @Nullable Instance ipVrf(String name) {
    for (Instance inst : instances.all()) {
      if (inst.isIpVrf() && inst.name().equals(name)) {
        return inst;
      }
    }
    return null;
  }

  /**
   * A local port came back: if it is on an Ethernet segment, the segment's routes are announced
   * again.
   */
  @Override
  public void portUp(String port) {
    checkThread();
    try {
      LocalSegments.LocalSegment seg = localSegments.ofPort(port);
      if (seg != null && !seg.up) {
        origination.segment(seg, true);
        reprogramSegment(seg.esi);
        localSegments.attachmentChanged(seg.esi);
      }
      flush();
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  // ------------------------------------------------------------------------------------------------ DF election

  /** Runs timers: DF elections whose timer has run, and the recovery of frozen MACs. */
  public void tick() {
    checkThread();
    try {
      long now = nanos.getAsLong();
      localSegments.tick(now);
      long dupIpRecovery = options.duplicateIpRecovery();
      if (dupIpRecovery >= 0) {
        List<Map.Entry<Integer, IpAddress>> recovered = new ArrayList<>();
        domains.forEach(
            (vni, domain) ->
                domain.ipMoves.forEach(
                    (ip, h) -> {
                      if (h.frozen && now - h.frozenAt >= dupIpRecovery) {
                        recovered.add(Map.entry(vni, ip));
                      }
                    }));
        recovered.forEach(e -> unfreezeIp(e.getKey(), e.getValue()));
      }
      long dupRecovery = options.duplicateRecovery();
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
    } catch (Throwable t) {
      recover(t);
      throw t;
    }
  }

  /**
   * Returns when {@link #tick()} next has something to do, in the nanoseconds of the clock the RIB
   * was built with ({@link Builder#clock}): the earliest of the DF election timers of local
   * segments not yet elected and the recovery times of frozen MACs and IPs; empty when no timer
   * runs. An integrator schedules one tick for then (and again after each change), rather than
   * ticking on a fixed period.
   */
  public java.util.OptionalLong nextTick() {
    checkThread();
    long next = localSegments.nextTimer();
    long dupRecovery = options.duplicateRecovery();
    long dupIpRecovery = options.duplicateIpRecovery();
    if (dupRecovery >= 0) {
      for (MacState st : frozenMacs.values()) {
        MacMobility.MoveHistory h = st.history();
        if (h != null && h.frozen) {
          next = Math.min(next, h.frozenAt + dupRecovery);
        }
      }
    }
    if (dupIpRecovery >= 0) {
      for (BridgeDomain domain : domains.values()) {
        for (MacMobility.MoveHistory h : domain.ipMoves.values()) {
          if (h.frozen) {
            next = Math.min(next, h.frozenAt + dupIpRecovery);
          }
        }
      }
    }
    return next == Long.MAX_VALUE
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(next);
  }

  /**
   * Returns the local ports BUM traffic of bridge domain {@code vni} goes out of, by the
   * split-horizon and DF rules of EVPN over VXLAN with local bias (RFC 8365 §8.3.1): traffic from a
   * local port goes to every local port of the VLAN (the caller leaves out the one it came in on),
   * Ethernet segment links included whatever the DF; traffic from remote VTEP {@code fromVtep}
   * skips the segments that VTEP is attached to (it has delivered there itself), and reaches a
   * segment's link only if this VTEP is the segment's DF for the VLAN; single-homed ports always.
   *
   * @param fromVtep the VTEP the traffic came from, or {@code null} for traffic from a local port
   */
  public List<String> floodPorts(int vni, @Nullable IpAddress fromVtep) {
    checkThread();
    Instance inst = instances.ofVni(vni);
    Vlan vlan = inst == null ? null : inst.vlansByVni.get(vni);
    if (vlan == null) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (InterfaceConfig ic : options.config().interfaces().values()) {
      for (InterfaceConfig.Unit u : ic.units().values()) {
        if (!u.vlanMembers().contains(vlan.name())
            && !u.vlanMembers().contains(Integer.toString(vlan.vlanId()))) {
          continue;
        }
        String port = ic.name() + "." + u.number();
        EthernetSegmentIdentifier esi = ic.esi();
        LocalSegments.LocalSegment seg =
            esi == null || esi.isZero() ? null : localSegments.get(esi);
        if (seg != null && fromVtep != null) {
          if (!seg.up || segmentGroups.hasPerEsRoute(seg.esi, fromVtep)) {
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
   * Returns the DF election algorithm a local segment uses: the one every PE of the segment
   * advertised, else modulo (RFC 8584 §2.2.3); {@code null} if the segment is not local or before
   * the election.
   */
  public DfElection.@Nullable Algorithm designatedForwarderAlgorithm(
      EthernetSegmentIdentifier esi) {
    checkThread();
    LocalSegments.LocalSegment seg = localSegments.get(esi);
    return seg == null || !seg.elected ? null : seg.agreed;
  }

  /** Returns the DF of a local segment for a VLAN, or {@code null} before the election. */
  public @Nullable IpAddress designatedForwarder(EthernetSegmentIdentifier esi, int vlanId) {
    checkThread();
    LocalSegments.LocalSegment seg = localSegments.get(esi);
    return seg == null ? null : seg.df.get(vlanId);
  }

  // -------------------------------------------------------------------------------------------------- queries

  /** Returns what the RIB knows of a MAC, or {@code null}. */
  public @Nullable MacEntry mac(int vni, MacAddress mac) {
    checkThread();
    MacState st = state(vni, mac);
    String location = st == null ? null : MacState.location(st.at);
    if (st == null || location == null) {
      return null;
    }
    return entry(vni, mac, st, location);
  }

  private MacEntry entry(int vni, MacAddress mac, MacState st, String location) {
    boolean local = st.isLocal();
    LocalMac l = st.local();
    RemoteMac r = st.bestRemote();
    long seq = (local && l != null) ? l.sequence : r != null ? r.sequence() : 0;
    boolean sticky = (local && l != null) ? l.sticky : (r != null && r.sticky());
    List<MacEntry.RemoteRoute> remotes = new ArrayList<>();
    Map<EvpnRouteKey, RemoteMac> more = st.more();
    if (more != null) {
      for (RemoteMac x : more.values()) {
        remotes.add(
            new MacEntry.RemoteRoute(x.vtep(), x.sequence(), x.sticky(), x.esi(), x.gateway()));
      }
    } else if (st.one != null) {
      RemoteMac x = st.one;
      remotes.add(
          new MacEntry.RemoteRoute(x.vtep(), x.sequence(), x.sticky(), x.esi(), x.gateway()));
    }
    MacMobility.MoveHistory h = st.history();
    return new MacEntry(
        vni,
        mac,
        location,
        seq,
        sticky,
        local,
        st.frozen(),
        l == null
            ? null
            : new MacEntry.LocalBinding(l.port, l.sequence, l.sticky, l.ips, l.suppressed),
        remotes,
        h == null ? 0 : h.count);
  }

  /**
   * Returns what the RIB knows of every MAC of bridge domain {@code vni} (see {@link #mac}), in no
   * particular order: a copy, for show commands and integrators' audits (it allocates per MAC).
   */
  public List<MacEntry> macs(int vni) {
    checkThread();
    BridgeDomain domain = findDomain(vni);
    List<MacEntry> out = new ArrayList<>();
    if (domain != null) {
      domain.macs.forEach(
          st -> {
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
    routes.bestByKey().values().forEach(p -> out.add(p.route));
    return out;
  }

  /** Returns the number of paths in the Adj-RIBs-In. */
  public int pathCount() {
    checkThread();
    return routes.pathCount();
  }

  /**
   * Returns whether the driver holds the RIB's state (false after failures until a resync
   * succeeds).
   */
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
    domains.forEach(
        (vni, domain) ->
            domain.macs.forEach(
                st -> {
                  Destination d = st.programmed;
                  if (d != null) {
                    out.add(new ForwardingOp.SetMac(vni, MacAddress.of(st.mac), d));
                  }
                }));
    return out;
  }

  /**
   * Returns the forwarding state the RIB wants, as set operations in a safe order (what a resync
   * sends).
   */
  public List<ForwardingOp> forwardingState() {
    checkThread();
    return fib.fullState();
  }

  /**
   * Returns the Loc-RIB in the style of Junos {@code show route table <instance>.evpn.0}: each best
   * route in Junos text form with its origin and next hop.
   */
  public String showRouteTable() {
    checkThread();
    StringBuilder sb = new StringBuilder();
    sb.append("evpn.0: ")
        .append(routes.size())
        .append(" destinations, ")
        .append(routes.pathCount())
        .append(" routes (")
        .append(routes.size())
        .append(" active)\n");
    sb.append("+ = Active Route, - = Last Active, * = Both\n\n");
    for (Path p : routes.bestByKey().values()) {
      sb.append(p.route).append('\n');
      sb.append("                   *[BGP/170] from ").append(p.peer.address());
      IpAddress hop = p.attributes.nextHop();
      sb.append("\n                      to ")
          .append(hop == null ? "-" : hop)
          .append(" via vtep\n");
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
      link.send(fib.drain(), fullState);
    } else if (!link.inStep()) {
      link.send(List.of(), fullState);
    }
  }

  @Override
  public void close() {
    link.close();
  }

  @Override
  public String toString() {
    int[] programmed = {0};
    domains
        .values()
        .forEach(d -> d.macs.forEach(st -> programmed[0] += st.programmed != null ? 1 : 0));
    return "EvpnRib["
        + localVtep
        + ", "
        + routes.size()
        + " routes, "
        + fib.size(programmed[0])
        + " forwarding entries]";
  }
}
