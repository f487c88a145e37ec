package io.evpnkit.linux;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingDriver;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.LocalLearning;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ForwardingDriver} for the Linux kernel's VXLAN data plane, spoken over rtnetlink (no
 * {@code ip} or {@code bridge} processes), the model FRR's zebra programs: per VNI a bridge and a
 * VXLAN device with learning off, attached to it, with ARP/ND suppression on its port ({@code
 * neigh_suppress}); remote MACs as FDB entries of the VXLAN device ({@code self}, {@code
 * extern_learn}: the kernel neither ages nor relearns them) to their VTEP; a flood list as
 * all-zero-MAC entries appended per remote VTEP (RFC 8365 §9 ingress replication); a MAC aliased
 * over an Ethernet segment points at an FDB nexthop group of the segment's VTEPs, so that a mass
 * withdraw is one group replace in the kernel whatever the number of MACs (RFC 7432 §8.2); remote
 * MAC/IP bindings as neighbour entries of the bridge, which {@code neigh_suppress} answers from.
 *
 * <p>Each operation of a batch is one netlink request, in the batch's order (groups before the MACs
 * that use them, MACs removed before their groups); a failed request is reported with the operation
 * and the kernel's errno ({@link BatchException}) and the others still go. {@link #replaceAll}
 * reads the kernel's tables back (FDB, neighbours) and repairs the difference. Devices this driver
 * created are removed by {@link #close}, unless told to leave the data plane in place ({@link
 * Builder#keepOnClose}: forwarding goes on across a restart, RFC 4724).
 *
 * <p>With {@link Builder#learning}, MACs the bridges learn on their local ports and the IP
 * addresses the kernel resolves for them go to the RIB (on the executor given), aged ones too; the
 * entries this driver installed are not echoed back.
 *
 * <p>Threading: calls are serialized; learning runs on a thread of its own.
 *
 * @since 0.2
 */
@Beta
public final class LinuxDriver implements ForwardingDriver, AutoCloseable {
  /** A VNI's devices. */
  record Domain(
      int vni, String bridge, int bridgeIndex, String vxlan, int vxlanIndex, boolean created) {}

  /**
   * Operations of a batch the kernel refused (the rest of the batch was applied).
   *
   * @since 0.2
   */
  public static final class BatchException extends NetlinkException {
    private static final long serialVersionUID = 1L;
    private final transient List<Failure> failures;

    BatchException(List<Failure> failures) {
      super(
          failures.size()
              + " of the batch's operations failed, first "
              + failures.get(0).operation()
              + ": "
              + failures.get(0).error().getMessage(),
          failures.get(0).error().errno());
      this.failures = List.copyOf(failures);
    }

    /** Each refused operation with the kernel's error. */
    public List<Failure> failures() {
      return failures;
    }
  }

  /**
   * One refused operation.
   *
   * @param operation the forwarding operation
   * @param error the kernel's answer
   */
  public record Failure(ForwardingOp operation, NetlinkException error) {}

  private final NetlinkSocket nl;
  private final @Nullable String netns;
  private final IpAddress localVtep;
  private final int udpPort;
  private final IntFunction<String> bridgeName;
  private final IntFunction<String> vxlanName;
  private boolean keepOnClose;
  private final @Nullable Executor learningThread;
  private final java.util.function.Function<String, String> portName;

  private final Map<Integer, Domain> domains = new LinkedHashMap<>();
  private final Map<Integer, Set<IpAddress>> floods = new HashMap<>();
  private final Map<IpAddress, Integer> vtepNexthops = new HashMap<>();
  private final Map<Long, Integer> groupNexthops = new HashMap<>();
  private int nextNexthop = 0x00E0_0001;
  private long requests;
  // after a restart that kept the data plane: resyncs add and correct, but remove nothing until
  // the RIB has its routes again (graceful restart, RFC 4724 §4.2: forwarding state is kept)
  private boolean keepStale;
  // a daemon stopping for a restart: the RIB's last changes (its sessions going down) must not
  // reach the kernel, which keeps forwarding with what it has
  private boolean frozen;
  private @Nullable KernelLearning learning;
  // the local ports attached to bridges: link index -> name (learning follows their link state)
  private final Map<Integer, String> attachedPorts = new HashMap<>();
  // the MACs whose kernel entry points at a nexthop group: the kernel ignores a replace of such
  // an entry by one to a VTEP (it has no remote to replace), so that one is removed and added
  private final Set<ForwardingOp.MacKey> grouped = new HashSet<>();

  // IP-VRFs (symmetric IRB): a VRF device per IP-VRF, its L3 VNI's bridge enslaved to it
  // index -1: no VRF device (a kernel without CONFIG_NET_VRF): the table and a rule instead
  private record Vrf(String name, int index, int table, int vni, boolean created) {}

  private final Map<String, Vrf> vrfs = new HashMap<>();
  // remote routers per (VRF, VTEP): how many routes use them, and their router MAC
  private final Map<String, int[]> routerUses = new HashMap<>();
  private final Map<String, MacAddress> routerMacs = new HashMap<>();
  private final Map<ForwardingOp.RouteKey, ForwardingOp.SetRoute> installedRoutes = new HashMap<>();

  // the router MAC of each IP-VRF made ready (ensureVrf), and the anycast gateways' MAC VLAN
  // devices: link index -> VNI (the hosts' ARP/ND entries for the gateway are made on them)
  private final Map<String, MacAddress> routerMacOf = new HashMap<>();
  private final Map<Integer, Integer> gateways = new HashMap<>();

  // the bridge domains routed in an IP-VRF (routeDomain), by VNI: what unrouteDomain takes away
  private record Routed(String vrf, InterfaceConfig.Unit irb) {}

  private final Map<Integer, Routed> routed = new HashMap<>();

  // VRF-lite rules this driver added
  private record Rule(int family, String iif, int table) {}

  private final Set<Rule> rules = new java.util.LinkedHashSet<>();

  private LinuxDriver(Builder b) throws NetlinkException {
    this.netns = b.netns;
    this.localVtep = b.localVtep;
    this.udpPort = b.udpPort;
    this.bridgeName = b.bridgeName;
    this.vxlanName = b.vxlanName;
    this.keepOnClose = b.keepOnClose;
    this.learningThread = b.learningThread;
    this.portName = b.portName;
    this.nl = NetlinkSocket.open(b.netns, 0);
  }

  /** Starts building a driver whose VXLAN devices send from {@code localVtep}. */
  public static Builder builder(IpAddress localVtep) {
    return new Builder(localVtep);
  }

  /** Options of a {@link LinuxDriver}. */
  public static final class Builder {
    private final IpAddress localVtep;
    private @Nullable String netns;
    private int udpPort = 4789;
    private IntFunction<String> bridgeName = vni -> "br" + vni;
    private IntFunction<String> vxlanName = vni -> "vx" + vni;
    private boolean keepOnClose;
    private @Nullable Executor learningThread;
    private java.util.function.Function<String, String> portName = link -> link + ".0";

    private Builder(IpAddress localVtep) {
      this.localVtep = localVtep;
    }

    /** Drives the kernel of network namespace {@code name} ({@code ip netns add NAME}). */
    public Builder netns(String name) {
      netns = name;
      return this;
    }

    /** The VXLAN UDP port: 4789 unless set (RFC 7348 §5). */
    public Builder udpPort(int value) {
      udpPort = value;
      return this;
    }

    /** The names of a VNI's bridge and VXLAN device: {@code brVNI} and {@code vxVNI} unless set. */
    public Builder names(IntFunction<String> bridge, IntFunction<String> vxlan) {
      bridgeName = bridge;
      vxlanName = vxlan;
      return this;
    }

    /** Leaves what the driver created in place at {@link #close} (graceful restart). */
    public Builder keepOnClose(boolean value) {
      keepOnClose = value;
      return this;
    }

    /**
     * Reports the kernel's local learning to the RIB given in {@link ForwardingDriver#attach}, on
     * {@code ribThread} (its one writer).
     */
    public Builder learning(Executor ribThread) {
      learningThread = ribThread;
      return this;
    }

    /**
     * How learning names a Linux port to the RIB (the configuration's interface unit): {@code
     * LINK.0} unless set (for a configuration that names Junos interfaces mapped to Linux links).
     */
    public Builder portName(java.util.function.Function<String, String> value) {
      portName = value;
      return this;
    }

    /**
     * Opens the netlink socket.
     *
     * @throws NetlinkException when it cannot be opened (no such namespace, not permitted)
     */
    public LinuxDriver build() throws NetlinkException {
      return new LinuxDriver(this);
    }
  }

  /**
   * Whether the data plane of an earlier run was found in place: every VNI's devices asked for so
   * far existed already (a restart after {@link Builder#keepOnClose}).
   */
  public synchronized boolean dataPlanePreserved() {
    return !domains.isEmpty() && domains.values().stream().noneMatch(Domain::created);
  }

  /**
   * While on, {@link #replaceAll} leaves entries it does not want in place (a restarting speaker's
   * kernel keeps forwarding with what it had until the routes are back, RFC 4724 §4.2); turning it
   * off and resyncing removes them.
   */
  public synchronized void keepStaleEntries(boolean value) {
    keepStale = value;
  }

  /**
   * From now on leaves the kernel as it is: batches and resyncs are accepted and dropped. For a
   * daemon stopping to restart (its sessions end and the RIB would withdraw their routes; the
   * kernel should keep forwarding with them until the daemon is back, RFC 4724 §4.2).
   */
  public synchronized void freeze() {
    frozen = true;
  }

  /** The netlink requests made so far (each one kernel operation). */
  public synchronized long kernelRequests() {
    return requests;
  }

  // ------------------------------------------------------------------------------ devices

  /**
   * The bridge and VXLAN device of {@code vni}, created (and brought up) when missing; an existing
   * device of the same name is used as it is.
   */
  public synchronized String ensureDomain(int vni) throws NetlinkException {
    return domain(vni).bridge();
  }

  /**
   * Removes the bridge and VXLAN device of {@code vni} (a VLAN taken out of the configuration), and
   * with them their entries; what is not there is fine.
   */
  public synchronized void removeDomain(int vni) {
    unrouteDomain(vni);
    Domain d = domains.remove(vni);
    if (d != null) {
      floods.remove(vni);
      gateways.values().removeIf(g -> g == vni); // the bridge's MAC VLAN devices go with it
      deleteLink(d.vxlanIndex(), d.vxlan());
      deleteLink(d.bridgeIndex(), d.bridge());
    }
  }

  /**
   * Whether {@link #close} leaves the devices, nexthops and entries in place, whatever the builder
   * said: a daemon that rereads its configuration keeps its data plane across.
   */
  public synchronized void keepOnClose(boolean keep) {
    keepOnClose = keep;
  }

  /** Attaches the local port {@code port} (an existing link) to the bridge of {@code vni}. */
  public synchronized void attachPort(int vni, String port) throws NetlinkException {
    Domain d = domain(vni);
    int index = linkIndex(port);
    if (index < 0) {
      throw new NetlinkException("attach " + port + " to " + d.bridge(), 19);
    }
    request(
        link(Nl.RTM_NEWLINK, 0, index).attrU32(Nl.IFLA_MASTER, d.bridgeIndex()),
        "attach " + port + " to " + d.bridge());
    up(index, port);
    attachedPorts.put(index, port);
  }

  private Domain domain(int vni) throws NetlinkException {
    Domain d = domains.get(vni);
    if (d != null) {
      return d;
    }
    String br = bridgeName.apply(vni);
    String vx = vxlanName.apply(vni);
    boolean created = false;
    int brIndex = linkIndex(br);
    if (brIndex < 0) {
      Nl.Writer w = link(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0);
      w.attrString(Nl.IFLA_IFNAME, br);
      int info = w.nest(Nl.IFLA_LINKINFO);
      w.attrString(Nl.IFLA_INFO_KIND, "bridge");
      w.end(info);
      request(w, "create bridge " + br);
      brIndex = linkIndex(br);
      created = true;
    }
    int vxIndex = linkIndex(vx);
    if (vxIndex < 0) {
      Nl.Writer w = link(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0);
      w.attrString(Nl.IFLA_IFNAME, vx);
      int info = w.nest(Nl.IFLA_LINKINFO);
      w.attrString(Nl.IFLA_INFO_KIND, "vxlan");
      int data = w.nest(Nl.IFLA_INFO_DATA);
      w.attrU32(Nl.IFLA_VXLAN_ID, vni);
      if (localVtep.isIpv6()) {
        w.attr(Nl.IFLA_VXLAN_LOCAL6, bytes(localVtep));
      } else {
        w.attr(Nl.IFLA_VXLAN_LOCAL, bytes(localVtep));
      }
      w.attrBe16(Nl.IFLA_VXLAN_PORT, udpPort);
      w.attrU8(Nl.IFLA_VXLAN_LEARNING, 0);
      w.end(data);
      w.end(info);
      w.attrU32(Nl.IFLA_MASTER, brIndex);
      request(w, "create VXLAN device " + vx + " (VNI " + vni + ")");
      vxIndex = linkIndex(vx);
      created = true;
    }
    // the bridge port: no learning (remote MACs come from EVPN), ARP/ND answered by the bridge
    Nl.Writer port = new Nl.Writer(Nl.RTM_SETLINK, 0);
    port.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(vxIndex).u32(0).u32(0);
    int info = port.nest(Nl.IFLA_PROTINFO);
    port.attrU8(Nl.IFLA_BRPORT_LEARNING, 0);
    port.attrU8(Nl.IFLA_BRPORT_NEIGH_SUPPRESS, 1);
    port.end(info);
    request(port, "set neigh_suppress on, learning off on " + vx);
    up(brIndex, br);
    up(vxIndex, vx);
    d = new Domain(vni, br, brIndex, vx, vxIndex, created);
    domains.put(vni, d);
    return d;
  }

  private void up(int index, String name) throws NetlinkException {
    Nl.Writer w = new Nl.Writer(Nl.RTM_NEWLINK, 0);
    w.u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(Nl.IFF_UP).u32(Nl.IFF_UP);
    request(w, "set " + name + " up");
  }

  private static Nl.Writer link(int type, int flags, int index) {
    Nl.Writer w = new Nl.Writer(type, flags);
    w.u8(Nl.AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0);
    return w;
  }

  /** The index of link {@code name}, or -1. */
  int linkIndex(String name) throws NetlinkException {
    Nl.Writer w = link(Nl.RTM_GETLINK, 0, 0);
    w.attrString(Nl.IFLA_IFNAME, name);
    try {
      for (Nl.Message m : nl.request(w, "look up link " + name)) {
        if (m.type() == Nl.RTM_NEWLINK) {
          return m.view().getInt(m.payload() + 4);
        }
      }
      return -1;
    } catch (NetlinkException e) {
      if (e.errno() == 19) { // ENODEV
        return -1;
      }
      throw e;
    }
  }

  private void request(Nl.Writer w, String what) throws NetlinkException {
    requests++;
    nl.request(w, what);
  }

  static byte[] bytes(IpAddress ip) {
    if (!ip.isIpv6()) {
      return ByteBuffer.allocate(4).putInt(ip.ipv4()).array();
    }
    return ByteBuffer.allocate(16).putLong(ip.high()).putLong(ip.low()).array();
  }

  static byte[] bytes(MacAddress mac) {
    long v = mac.value();
    byte[] b = new byte[6];
    for (int i = 5; i >= 0; i--) {
      b[i] = (byte) v;
      v >>>= 8;
    }
    return b;
  }

  // ------------------------------------------------------------------------------ operations

  /**
   * Applies a batch: runs of MAC and ARP/ND operations (one netlink message each) go to the kernel
   * together and their acknowledgements are read after (the kernel handles a socket's messages in
   * order); groups, flood lists and new devices go one request at a time, between those runs.
   */
  @Override
  public synchronized void apply(List<ForwardingOp> batch) throws NetlinkException {
    if (frozen) {
      return;
    }
    List<Failure> failures = applyInOrder(batch);
    if (!failures.isEmpty()) {
      throw new BatchException(failures);
    }
  }

  /** Applies {@code ops} in order as {@link #apply} does and returns the refused ones. */
  private List<Failure> applyInOrder(List<ForwardingOp> batch) throws NetlinkException {
    List<Failure> failures = new ArrayList<>();
    List<Nl.Writer> run = new ArrayList<>();
    List<ForwardingOp> runOps = new ArrayList<>();
    List<String> runWhat = new ArrayList<>();
    for (ForwardingOp op : batch) {
      String[] what = new String[1];
      Nl.Writer m;
      try {
        m = message(op, what);
      } catch (NetlinkException e) {
        failures.add(new Failure(op, e));
        continue;
      }
      if (m != null) {
        run.add(m);
        runOps.add(op);
        runWhat.add(what[0]);
        Nl.Writer bridge = bridgeEntry(op);
        if (bridge != null) {
          run.add(bridge);
          runOps.add(op);
          runWhat.add(what[0] + BRIDGE_ENTRY);
        }
        continue;
      }
      flush(run, runOps, runWhat, failures);
      try {
        applyOne(op);
      } catch (NetlinkException e) {
        failures.add(new Failure(op, e));
      }
    }
    flush(run, runOps, runWhat, failures);
    return failures;
  }

  private void flush(
      List<Nl.Writer> run, List<ForwardingOp> ops, List<String> what, List<Failure> failures)
      throws NetlinkException {
    if (run.isEmpty()) {
      return;
    }
    requests += run.size();
    int[] errors = nl.requestAll(run);
    for (int i = 0; i < errors.length; i++) {
      ForwardingOp op = ops.get(i);
      boolean gone =
          op instanceof ForwardingOp.RemoveMac || op instanceof ForwardingOp.RemoveNeighbor;
      if (errors[i] == 95
          && op instanceof ForwardingOp.SetMac m
          && m.destination() instanceof Destination.Group
          && !what.get(i).endsWith(BRIDGE_ENTRY)) {
        // EOPNOTSUPP: the kernel does not turn an entry to a VTEP into one to a nexthop group in
        // place ("Cannot replace an existing non nexthop fdb with a nexthop"): removed, then added
        try {
          toGroup(m);
        } catch (NetlinkException e) {
          failures.add(new Failure(op, e));
        }
      } else if (errors[i] != 0 && !(gone && errors[i] == 2)) { // ENOENT on a removal: gone
        failures.add(new Failure(op, new NetlinkException(what.get(i), errors[i])));
      }
    }
    run.clear();
    ops.clear();
    what.clear();
  }

  private static final String BRIDGE_ENTRY = " (the bridge's entry)";

  /** A MAC's entry to a VTEP replaced by one to a nexthop group: removed, then added. */
  private void toGroup(ForwardingOp.SetMac m) throws NetlinkException {
    Domain d = domain(m.vni());
    String[] what = new String[1];
    Nl.Writer add = java.util.Objects.requireNonNull(message(m, what));
    Nl.Writer remove = fdbMessage(Nl.RTM_DELNEIGH, d, m.mac(), null, 0, 0);
    try {
      request(remove, "remove " + m.mac() + " from " + d.vxlan() + " (to point it at a group)");
    } catch (NetlinkException e) {
      if (e.errno() != 2) {
        throw e;
      }
    }
    request(add, what[0]);
  }

  /**
   * The one netlink message of a MAC or ARP/ND operation (its description in {@code what[0]}), or
   * {@code null} for an operation that takes more (or none).
   */
  private Nl.@Nullable Writer message(ForwardingOp op, String[] what) throws NetlinkException {
    if (op instanceof ForwardingOp.SetMac m) {
      ForwardingOp.MacKey key = new ForwardingOp.MacKey(m.vni(), m.mac());
      if (m.destination() instanceof Destination.Group) {
        grouped.add(key);
      } else if (grouped.remove(key)) {
        return null; // at a group until now: removed and added by applyOne
      }
      if (m.destination() instanceof Destination.RemoteVtep v) {
        Domain d = domain(m.vni());
        what[0] = "add " + m.mac() + " dev " + d.vxlan() + " dst " + v.vtep();
        return fdbMessage(
            Nl.RTM_NEWNEIGH, d, m.mac(), v.vtep(), 0, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE);
      }
      if (m.destination() instanceof Destination.Group g
          && groupNexthops.containsKey(g.groupId())) {
        Domain d = domain(m.vni());
        int id = groupNexthops.get(g.groupId());
        what[0] = "add " + m.mac() + " dev " + d.vxlan() + " nhid " + id;
        return fdbMessage(
            Nl.RTM_NEWNEIGH, d, m.mac(), null, id, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE);
      }
      return null;
    }
    if (op instanceof ForwardingOp.RemoveMac m) {
      grouped.remove(new ForwardingOp.MacKey(m.vni(), m.mac()));
      Domain d = domains.get(m.vni());
      if (d == null) {
        return null;
      }
      what[0] = "remove " + m.mac() + " from " + d.vxlan();
      return fdbMessage(Nl.RTM_DELNEIGH, d, m.mac(), null, 0, 0);
    }
    if (op instanceof ForwardingOp.SetNeighbor n) {
      Domain d = domain(n.vni());
      what[0] = "add neighbour " + n.ip() + " lladdr " + n.mac() + " dev " + d.bridge();
      return neighborMessage(Nl.RTM_NEWNEIGH, d, n.ip(), n.mac());
    }
    if (op instanceof ForwardingOp.RemoveNeighbor n) {
      Domain d = domains.get(n.vni());
      if (d == null) {
        return null;
      }
      what[0] = "delete neighbour " + n.ip() + " dev " + d.bridge();
      return neighborMessage(Nl.RTM_DELNEIGH, d, n.ip(), null);
    }
    return null;
  }

  private void applyOne(ForwardingOp op) throws NetlinkException {
    if (op instanceof ForwardingOp.SetGroup g) {
      setGroup(g);
    } else if (op instanceof ForwardingOp.RemoveGroup g) {
      Integer id = groupNexthops.remove(g.groupId());
      if (id != null) {
        deleteNexthop(id, "remove nexthop group " + id);
      }
    } else if (op instanceof ForwardingOp.SetMac m) {
      setMac(m);
    } else if (op instanceof ForwardingOp.RemoveMac m) {
      Domain d = domains.get(m.vni());
      if (d != null) {
        fdb(Nl.RTM_DELNEIGH, d, m.mac(), null, 0, 0, "remove " + m.mac() + " from " + d.vxlan());
      }
    } else if (op instanceof ForwardingOp.SetFlood f) {
      setFlood(f.vni(), new TreeSet<>(f.vteps()));
    } else if (op instanceof ForwardingOp.RemoveFlood f) {
      if (domains.containsKey(f.vni())) {
        setFlood(f.vni(), Set.of());
      }
    } else if (op instanceof ForwardingOp.SetNeighbor n) {
      Domain d = domain(n.vni());
      neighbor(Nl.RTM_NEWNEIGH, d, n.ip(), n.mac());
    } else if (op instanceof ForwardingOp.RemoveNeighbor n) {
      Domain d = domains.get(n.vni());
      if (d != null) {
        neighbor(Nl.RTM_DELNEIGH, d, n.ip(), null);
      }
    } else if (op instanceof ForwardingOp.SetRoute r) {
      setRoute(r);
    } else if (op instanceof ForwardingOp.RemoveRoute r) {
      removeRoute(r.vrf(), r.prefix());
    }
  }

  // ------------------------------------------------------------------------------ IP-VRFs

  /**
   * Makes IP-VRF {@code name} ready to route (symmetric IRB, RFC 9135): the bridge and VXLAN device
   * of its L3 VNI {@code l3vni}, the bridge's MAC the leaf's router MAC {@code routerMac} (what the
   * other leaves send routed packets to, §8.1), and a VRF device of the instance's name with its
   * own table and the L3 VNI's bridge in it; on a kernel without the VRF driver (no CONFIG_NET_VRF)
   * the table alone and rules that look up in it what comes in on the bridge ("VRF-lite"). Calling
   * it again is harmless.
   *
   * @return the VRF's routing table
   */
  public synchronized int ensureVrf(String name, int l3vni, MacAddress routerMac)
      throws NetlinkException {
    Vrf v = vrf(name, l3vni);
    Domain d = domain(l3vni);
    routerMacOf.put(name, routerMac);
    request(
        link(Nl.RTM_NEWLINK, 0, d.bridgeIndex()).attr(Nl.IFLA_ADDRESS, bytes(routerMac)),
        "set " + d.bridge() + " address " + routerMac + " (router MAC)");
    return v.table();
  }

  /**
   * Routes bridge domain {@code vni} in IP-VRF {@code vrf} (after {@link #ensureVrf}) through IRB
   * unit {@code irb}: the bridge becomes the IRB interface with the unit's own addresses and the
   * leaf's router MAC, and the anycast gateway (RFC 9135 §4.1: the same addresses and MAC on every
   * leaf) a MAC VLAN device on it, as FRR's users make the "VRR" interface: {@code gwVNI} at the
   * unit's IPv4 virtual gateway MAC ({@link InterfaceConfig.Unit#virtualGatewayMac}) with the IPv4
   * virtual gateway addresses, {@code gvVNI} at the IPv6 one with the IPv6 ones (without duplicate
   * address detection: every leaf holds them). Each device answers ARP only for its own addresses
   * (arp_ignore 1), so that hosts learn the gateway at the virtual MAC and the leaf's own requests
   * go out from its own address and MAC, whose replies come back to this leaf and not to the leaf
   * beside the host. All of them in the VRF: its device, or with VRF-lite rules to its table for
   * what comes in on them and the subnets' connected routes in that table.
   */
  public synchronized void routeDomain(int vni, String vrf, InterfaceConfig.Unit irb)
      throws NetlinkException {
    Vrf v = vrfs.get(vrf);
    MacAddress rmac = routerMacOf.get(vrf);
    if (v == null || rmac == null) {
      throw new NetlinkException("route VNI " + vni + " in " + vrf + ": no such VRF made", 22);
    }
    Domain d = domain(vni);
    request(
        link(Nl.RTM_NEWLINK, 0, d.bridgeIndex())
            .attr(Nl.IFLA_ADDRESS, bytes(rmac))
            .attr(Nl.IFLA_AF_SPEC, arpOwnAddressesOnly()),
        "set " + d.bridge() + " address " + rmac + ", arp_ignore 1, arp_announce 2");
    inVrf(v, d.bridgeIndex(), d.bridge());
    for (InterfaceConfig.Address a : irb.addresses()) {
      address(d.bridgeIndex(), d.bridge(), a.address(), a.prefixLength());
      for (IpAddress vga : a.virtualGatewayAddresses()) {
        String name = gatewayDevice(vga.isIpv6(), vni);
        int gw = macvlan(name, d, irb.virtualGatewayMac(vga));
        gateways.put(gw, vni);
        inVrf(v, gw, name);
        address(gw, name, vga, a.prefixLength());
        up(gw, name);
      }
      if (v.index() < 0) {
        // VRF-lite: the subnet's connected route, in the VRF's table too
        IpPrefix subnet = IpPrefix.of(a.address(), a.prefixLength());
        request(
            route(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, v, subnet, Nl.RT_SCOPE_LINK)
                .attrU32(Nl.RTA_OIF, d.bridgeIndex()),
            "add route " + subnet + " dev " + d.bridge() + " table " + v.table());
      }
    }
    up(d.bridgeIndex(), d.bridge());
    routed.put(vni, new Routed(vrf, irb));
  }

  /**
   * Stops routing bridge domain {@code vni} (its IRB unit taken out of its IP-VRF, or changed, on a
   * reload): the anycast gateway's devices go, the unit's addresses and the VRF-lite rules and
   * connected routes leave the bridge, which leaves the VRF device and stays a plain bridge of its
   * VLAN. What is not there is fine.
   */
  public synchronized void unrouteDomain(int vni) {
    Routed r = routed.remove(vni);
    Domain d = domains.get(vni);
    if (r == null || d == null) {
      return;
    }
    for (var it = gateways.entrySet().iterator(); it.hasNext(); ) {
      var g = it.next();
      if (g.getValue() == vni) {
        deleteLink(g.getKey(), "anycast gateway device of VNI " + vni);
        it.remove();
      }
    }
    Set<String> devices = Set.of(d.bridge(), gatewayDevice(false, vni), gatewayDevice(true, vni));
    dropRules(rule -> devices.contains(rule.iif()));
    Vrf v = vrfs.get(r.vrf());
    for (InterfaceConfig.Address a : r.irb().addresses()) {
      IpAddress ip = a.address();
      quietly(
          () ->
              request(
                  addressMessage(Nl.RTM_DELADDR, 0, d.bridgeIndex(), ip, a.prefixLength()),
                  "remove address " + a + " from " + d.bridge()));
      if (v != null && v.index() < 0) {
        IpPrefix subnet = IpPrefix.of(ip, a.prefixLength());
        quietly(
            () ->
                request(
                    route(Nl.RTM_DELROUTE, 0, v, subnet, Nl.RT_SCOPE_LINK),
                    "remove route " + subnet + " table " + v.table()));
      }
    }
    if (v != null && v.index() >= 0) {
      quietly(
          () ->
              request(
                  link(Nl.RTM_NEWLINK, 0, d.bridgeIndex()).attrU32(Nl.IFLA_MASTER, 0),
                  "take " + d.bridge() + " out of VRF " + v.name()));
    }
  }

  /**
   * Takes IP-VRF {@code name} away (its instance taken out of the configuration, or given another
   * L3 VNI, on a reload): the bridge domains routed in it stop routing ({@link #unrouteDomain}),
   * its routes and their remote routers' neighbour and FDB entries go, then its VRF device (if this
   * driver made it) or VRF-lite's rules, and the L3 VNI's bridge and VXLAN device. What is not
   * there is fine.
   */
  public synchronized void removeVrf(String name) {
    Vrf v = vrfs.get(name);
    if (v == null) {
      return;
    }
    routed.entrySet().stream()
        .filter(e -> e.getValue().vrf().equals(name))
        .map(Map.Entry::getKey)
        .toList()
        .forEach(this::unrouteDomain);
    for (ForwardingOp.RouteKey k : List.copyOf(installedRoutes.keySet())) {
      if (k.vrf().equals(name)) {
        quietly(() -> removeRoute(name, k.prefix()));
      }
    }
    dropRules(rule -> rule.table() == v.table());
    if (v.created()) {
      deleteLink(v.index(), name);
    }
    vrfs.remove(name);
    routerMacOf.remove(name);
    removeDomain(v.vni());
  }

  /** Removes the VRF-lite rules {@code which} selects. */
  private void dropRules(Predicate<Rule> which) {
    for (var it = rules.iterator(); it.hasNext(); ) {
      Rule r = it.next();
      if (which.test(r)) {
        deleteRule(r);
        it.remove();
      }
    }
  }

  private void deleteRule(Rule r) {
    quietly(
        () ->
            request(
                rule(Nl.RTM_DELRULE, 0, r.family(), r.iif(), r.table()),
                "remove rule iif " + r.iif() + " table " + r.table()));
  }

  /** Puts link {@code index} in VRF {@code v}: enslaved to its device, or VRF-lite's rules. */
  private void inVrf(Vrf v, int index, String name) throws NetlinkException {
    if (v.index() >= 0) {
      request(
          link(Nl.RTM_NEWLINK, 0, index).attrU32(Nl.IFLA_MASTER, v.index()),
          "enslave " + name + " to VRF " + v.name());
    } else {
      addRules(name, v.table());
    }
  }

  /**
   * The MAC VLAN device {@code name} on the bridge of {@code d} (private mode: it talks to the
   * bridge's hosts, not to other MAC VLANs) at {@code mac}, answering ARP only for its own
   * addresses; made when missing. Returns its index.
   */
  private int macvlan(String name, Domain d, MacAddress mac) throws NetlinkException {
    int index = linkIndex(name);
    if (index < 0) {
      Nl.Writer w = link(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0);
      w.attrString(Nl.IFLA_IFNAME, name);
      w.attrU32(Nl.IFLA_LINK, d.bridgeIndex());
      w.attr(Nl.IFLA_ADDRESS, bytes(mac));
      int info = w.nest(Nl.IFLA_LINKINFO);
      w.attrString(Nl.IFLA_INFO_KIND, "macvlan");
      int data = w.nest(Nl.IFLA_INFO_DATA);
      w.attrU32(Nl.IFLA_MACVLAN_MODE, Nl.MACVLAN_MODE_PRIVATE);
      w.end(data);
      w.end(info);
      request(w, "create " + name + " on " + d.bridge() + " at " + mac + " (anycast gateway)");
      index = linkIndex(name);
    }
    request(
        link(Nl.RTM_NEWLINK, 0, index).attr(Nl.IFLA_AF_SPEC, arpOwnAddressesOnly()),
        "set arp_ignore 1 on " + name);
    return index;
  }

  /**
   * IFLA_AF_SPEC's IPv4 device configuration: ARP answered only for the receiving device's own
   * addresses (arp_ignore 1) and asked from the best address of the outgoing device (arp_announce
   * 2).
   */
  private static byte[] arpOwnAddressesOnly() {
    Nl.Writer w = new Nl.Writer(0, 0);
    int inet = w.nest(Nl.AF_INET);
    int conf = w.nest(Nl.IFLA_INET_CONF);
    w.attrU32(Nl.IPV4_DEVCONF_ARP_ANNOUNCE, 2);
    w.attrU32(Nl.IPV4_DEVCONF_ARP_IGNORE, 1);
    w.end(conf);
    w.end(inet);
    byte[] message = w.finish(0);
    return java.util.Arrays.copyOfRange(message, 16, message.length); // after nlmsghdr
  }

  private void address(int index, String name, IpAddress ip, int length) throws NetlinkException {
    Nl.Writer w =
        addressMessage(Nl.RTM_NEWADDR, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, index, ip, length);
    w.attr(Nl.IFA_ADDRESS, bytes(ip));
    request(w, "add address " + ip + "/" + length + " dev " + name);
  }

  /**
   * An address message (ifaddrmsg and IFA_LOCAL) for {@code ip/length} on link {@code index}; IPv6
   * addresses are added without duplicate address detection (the anycast gateway's is on every
   * leaf).
   */
  private static Nl.Writer addressMessage(
      int type, int flags, int index, IpAddress ip, int length) {
    Nl.Writer w = new Nl.Writer(type, flags);
    w.u8(ip.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET)
        .u8(length)
        .u8(ip.isIpv6() && type == Nl.RTM_NEWADDR ? Nl.IFA_F_NODAD : 0)
        .u8(0)
        .u32(index);
    w.attr(Nl.IFA_LOCAL, bytes(ip));
    return w;
  }

  /** The anycast gateway's MAC VLAN device of bridge domain {@code vni}: gwVNI, gvVNI for IPv6. */
  private static String gatewayDevice(boolean v6, int vni) {
    return (v6 ? "gv" : "gw") + vni;
  }

  /**
   * The table of the VRF of L3 VNI {@code vni}: the VNI itself, above the kernel's own (253-255).
   */
  private static int table(int vni) {
    return vni > 255 ? vni : 0x10000 + vni;
  }

  /** VRF-lite: IPv4 and IPv6 rules that look up in {@code table} what comes in on {@code iif}. */
  private void addRules(String iif, int table) throws NetlinkException {
    for (int family : new int[] {Nl.AF_INET, Nl.AF_INET6}) {
      try {
        request(
            rule(Nl.RTM_NEWRULE, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, family, iif, table),
            "add rule iif " + iif + " table " + table);
      } catch (NetlinkException e) {
        if (e.errno() != 17) { // EEXIST: from before a restart
          throw e;
        }
      }
      rules.add(new Rule(family, iif, table));
    }
  }

  private static Nl.Writer rule(int type, int flags, int family, String iif, int table) {
    Nl.Writer w = new Nl.Writer(type, flags);
    w.u8(family).u8(0).u8(0).u8(0);
    w.u8(0).u8(0).u8(0).u8(Nl.FR_ACT_TO_TBL).u32(0);
    w.attrString(Nl.FRA_IIFNAME, iif);
    w.attrU32(Nl.FRA_TABLE, table);
    return w;
  }

  /**
   * The VRF device of IP-VRF {@code name} (named as the instance, its own routing table), with the
   * bridge and VXLAN device of its L3 VNI enslaved to it; made when missing.
   */
  private Vrf vrf(String name, int vni) throws NetlinkException {
    Vrf v = vrfs.get(name);
    if (v != null && v.vni() == vni) {
      return v;
    }
    int index = linkIndex(name);
    int table;
    Domain d = domain(vni); // the L3 VNI: routed traffic between leaves
    boolean created = false;
    if (index < 0) {
      table = table(vni);
      Nl.Writer w = link(Nl.RTM_NEWLINK, Nl.NLM_F_CREATE | Nl.NLM_F_EXCL, 0);
      w.attrString(Nl.IFLA_IFNAME, name);
      int info = w.nest(Nl.IFLA_LINKINFO);
      w.attrString(Nl.IFLA_INFO_KIND, "vrf");
      int data = w.nest(Nl.IFLA_INFO_DATA);
      w.attrU32(Nl.IFLA_VRF_TABLE, table);
      w.end(data);
      w.end(info);
      try {
        request(w, "create VRF " + name + " (table " + table + ")");
        index = linkIndex(name);
        created = true;
      } catch (NetlinkException e) {
        if (e.errno() != 95) { // EOPNOTSUPP: this kernel has no VRF driver
          throw e;
        }
        // VRF-lite: the table alone, what comes in on the L3 VNI's bridge looked up in it
        addRules(d.bridge(), table);
        v = new Vrf(name, -1, table, vni, false);
        vrfs.put(name, v);
        return v;
      }
    } else {
      table = vrfTable(index, name);
    }
    up(index, name);
    request(
        link(Nl.RTM_NEWLINK, 0, d.bridgeIndex()).attrU32(Nl.IFLA_MASTER, index),
        "enslave " + d.bridge() + " to VRF " + name);
    v = new Vrf(name, index, table, vni, created);
    vrfs.put(name, v);
    return v;
  }

  /**
   * The routing table of IP-VRF {@code name} (its VRF device's, or VRF-lite's on a kernel without
   * one), or -1 before its first route.
   */
  synchronized int vrfTable(String name) {
    Vrf v = vrfs.get(name);
    return v == null ? -1 : v.table();
  }

  /** The routing table of an existing VRF device (its IFLA_VRF_TABLE). */
  private int vrfTable(int index, String name) throws NetlinkException {
    for (Nl.Message m : nl.request(link(Nl.RTM_GETLINK, 0, index), "look up VRF " + name)) {
      byte[] info = m.attrs(16).get(Nl.IFLA_LINKINFO);
      byte[] data = info == null ? null : nested(info).get(Nl.IFLA_INFO_DATA);
      byte[] table = data == null ? null : nested(data).get(Nl.IFLA_VRF_TABLE);
      if (table != null && table.length == 4) {
        return ByteBuffer.wrap(table).order(java.nio.ByteOrder.nativeOrder()).getInt();
      }
    }
    throw new NetlinkException("link " + name + " is not a VRF", 22);
  }

  /** The attributes nested in {@code value}, by type. */
  private static Map<Integer, byte[]> nested(byte[] value) {
    Map<Integer, byte[]> out = new HashMap<>();
    ByteBuffer b = ByteBuffer.wrap(value).order(java.nio.ByteOrder.nativeOrder());
    while (b.remaining() >= 4) {
      int at = b.position();
      int len = b.getShort() & 0xFFFF;
      int type = b.getShort() & 0x3FFF;
      if (len < 4 || at + len > value.length) {
        break;
      }
      out.putIfAbsent(type, java.util.Arrays.copyOfRange(value, at + 4, at + len));
      b.position(Math.min(value.length, at + ((len + 3) & ~3)));
    }
    return out;
  }

  /**
   * A route of an IP-VRF to a remote leaf, as FRR's zebra programs symmetric IRB: the remote
   * router's address a neighbour on the L3 VNI's bridge at its router MAC, that MAC an FDB entry to
   * its VTEP on the L3 VNI's VXLAN device, and the route in the VRF's table via the VTEP, onlink on
   * that bridge.
   */
  private void setRoute(ForwardingOp.SetRoute r) throws NetlinkException {
    MacAddress rmac = r.routerMac();
    if (rmac == null) {
      throw new NetlinkException(
          "route " + r.prefix() + " in " + r.vrf() + ": no router MAC (RFC 9135 §8.1)", 22);
    }
    Vrf v = vrf(r.vrf(), r.vni());
    Domain d = domain(r.vni());
    ForwardingOp.RouteKey key = new ForwardingOp.RouteKey(r.vrf(), r.prefix());
    ForwardingOp.SetRoute before = installedRoutes.get(key);
    String router = r.vrf() + " " + r.nextHop();
    if (before == null || !before.nextHop().equals(r.nextHop())) {
      routerUses.computeIfAbsent(router, k -> new int[1])[0]++;
    }
    if (!rmac.equals(routerMacs.put(router, rmac))) {
      neighbor(Nl.RTM_NEWNEIGH, d, r.nextHop(), rmac);
      fdb(
          Nl.RTM_NEWNEIGH,
          d,
          rmac,
          r.nextHop(),
          0,
          Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
          "add router MAC " + rmac + " dev " + d.vxlan() + " dst " + r.nextHop());
    }
    request(
        route(Nl.RTM_NEWROUTE, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE, v, r.prefix())
            .attr(Nl.RTA_GATEWAY, bytes(r.nextHop()))
            .attrU32(Nl.RTA_OIF, d.bridgeIndex()),
        "add route " + r.prefix() + " vrf " + r.vrf() + " via " + r.nextHop());
    installedRoutes.put(key, r);
    if (before != null && !before.nextHop().equals(r.nextHop())) {
      releaseRouter(before.vrf(), before.nextHop(), d);
    }
  }

  private void removeRoute(String vrf, IpPrefix prefix) throws NetlinkException {
    ForwardingOp.SetRoute before = installedRoutes.remove(new ForwardingOp.RouteKey(vrf, prefix));
    Vrf v = vrfs.get(vrf);
    if (before == null || v == null) {
      return;
    }
    try {
      request(route(Nl.RTM_DELROUTE, 0, v, prefix), "remove route " + prefix + " vrf " + vrf);
    } catch (NetlinkException e) {
      if (e.errno() != 3 && e.errno() != 2) { // ESRCH, ENOENT: gone already
        throw e;
      }
    }
    releaseRouter(vrf, before.nextHop(), domain(v.vni()));
  }

  /** One route less uses a remote router: the last one takes its neighbour and FDB entry. */
  private void releaseRouter(String vrf, IpAddress vtep, Domain d) throws NetlinkException {
    String router = vrf + " " + vtep;
    int[] uses = routerUses.get(router);
    if (uses == null || --uses[0] > 0) {
      return;
    }
    routerUses.remove(router);
    MacAddress rmac = routerMacs.remove(router);
    neighbor(Nl.RTM_DELNEIGH, d, vtep, null);
    if (rmac != null) {
      fdb(Nl.RTM_DELNEIGH, d, rmac, null, 0, 0, "remove router MAC " + rmac + " from " + d.vxlan());
    }
  }

  /** A route message of a VRF's table for {@code prefix} (unicast, universe scope, onlink). */
  private static Nl.Writer route(int type, int flags, Vrf v, IpPrefix prefix) {
    return route(type, flags, v, prefix, Nl.RT_SCOPE_UNIVERSE);
  }

  /** A route message of a VRF's table: onlink in universe scope, a connected one in link scope. */
  private static Nl.Writer route(int type, int flags, Vrf v, IpPrefix prefix, int scope) {
    Nl.Writer w = new Nl.Writer(type, flags);
    w.u8(prefix.ipv6() ? Nl.AF_INET6 : Nl.AF_INET)
        .u8(prefix.length())
        .u8(0)
        .u8(0)
        .u8(0) // the table is RTA_TABLE's (VRF tables are above 255)
        .u8(Nl.RTPROT_EVPNKIT)
        .u8(scope)
        .u8(Nl.RTN_UNICAST)
        .u32(scope == Nl.RT_SCOPE_UNIVERSE ? Nl.RTNH_F_ONLINK : 0);
    byte[] dst;
    if (prefix.ipv6()) {
      dst = ByteBuffer.allocate(16).putLong(prefix.high()).putLong(prefix.low()).array();
    } else {
      dst = ByteBuffer.allocate(4).putInt((int) (prefix.high() >>> 32)).array();
    }
    w.attr(Nl.RTA_DST, dst);
    w.attrU32(Nl.RTA_TABLE, v.table());
    return w;
  }

  private void setMac(ForwardingOp.SetMac m) throws NetlinkException {
    Domain d = domain(m.vni());
    if (m.destination() instanceof Destination.RemoteVtep v) {
      // from a nexthop group to a VTEP (the only way here from apply): a replace would be ignored
      try {
        request(
            fdbMessage(Nl.RTM_DELNEIGH, d, m.mac(), null, 0, 0),
            "remove " + m.mac() + " from " + d.vxlan() + " (to point it at a VTEP)");
      } catch (NetlinkException e) {
        if (e.errno() != 2) {
          throw e;
        }
      }
      fdb(
          Nl.RTM_NEWNEIGH,
          d,
          m.mac(),
          v.vtep(),
          0,
          Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
          "add " + m.mac() + " dev " + d.vxlan() + " dst " + v.vtep());
    } else if (m.destination() instanceof Destination.Group g) {
      Integer id = groupNexthops.get(g.groupId());
      if (id == null) {
        throw new NetlinkException(
            "add " + m.mac() + " via group " + g.groupId() + " (no such group)", 2);
      }
      fdb(
          Nl.RTM_NEWNEIGH,
          d,
          m.mac(),
          null,
          id,
          Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE,
          "add " + m.mac() + " dev " + d.vxlan() + " nhid " + id);
    } else {
      // a local port: the bridge learned it itself; a remote entry for it goes
      try {
        fdb(Nl.RTM_DELNEIGH, d, m.mac(), null, 0, 0, "remove " + m.mac() + " from " + d.vxlan());
      } catch (NetlinkException e) {
        if (e.errno() != 2) {
          throw e;
        }
      }
    }
  }

  /** An FDB entry of a VNI's VXLAN device ({@code self}): to a VTEP, or to nexthop {@code nhid}. */
  private void fdb(
      int type, Domain d, MacAddress mac, @Nullable IpAddress dst, int nhid, int flags, String what)
      throws NetlinkException {
    Nl.Writer w = fdbMessage(type, d, mac, dst, nhid, flags);
    try {
      request(w, what);
    } catch (NetlinkException e) {
      if (!(type == Nl.RTM_DELNEIGH && e.errno() == 2)) { // ENOENT: already gone
        throw e;
      }
    }
    try {
      request(masterMessage(type, d, mac), what + " (the bridge's entry)");
    } catch (NetlinkException e) {
      if (!(type == Nl.RTM_DELNEIGH && e.errno() == 2)) {
        throw e;
      }
    }
  }

  /**
   * The bridge's own entry of a remote MAC ({@code master extern_learn} on the VXLAN port), beside
   * the VXLAN device's ({@code self}, to the VTEP): the bridge forwards to the tunnel without
   * flooding, and answers ARP/ND for the MAC's addresses from it ({@code neigh_suppress} needs the
   * bridge entry of the MAC it answers with). {@code null} for other operations.
   */
  private Nl.@Nullable Writer bridgeEntry(ForwardingOp op) {
    if (op instanceof ForwardingOp.SetMac m
        && !(m.destination() instanceof Destination.LocalPort)) {
      Domain d = domains.get(m.vni());
      return d == null ? null : masterMessage(Nl.RTM_NEWNEIGH, d, m.mac());
    }
    if (op instanceof ForwardingOp.RemoveMac m) {
      Domain d = domains.get(m.vni());
      return d == null ? null : masterMessage(Nl.RTM_DELNEIGH, d, m.mac());
    }
    return null;
  }

  private static Nl.Writer masterMessage(int type, Domain d, MacAddress mac) {
    Nl.Writer w =
        new Nl.Writer(type, type == Nl.RTM_NEWNEIGH ? Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE : 0);
    w.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(d.vxlanIndex());
    w.u16(Nl.NUD_REACHABLE)
        .u8(Nl.NTF_MASTER | (type == Nl.RTM_NEWNEIGH ? Nl.NTF_EXT_LEARNED : 0))
        .u8(0);
    w.attr(Nl.NDA_LLADDR, bytes(mac));
    return w;
  }

  private static Nl.Writer fdbMessage(
      int type, Domain d, MacAddress mac, @Nullable IpAddress dst, int nhid, int flags) {
    Nl.Writer w = new Nl.Writer(type, flags);
    w.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(d.vxlanIndex());
    w.u16(Nl.NUD_REACHABLE)
        .u8(Nl.NTF_SELF | (type == Nl.RTM_NEWNEIGH ? Nl.NTF_EXT_LEARNED : 0))
        .u8(0);
    w.attr(Nl.NDA_LLADDR, bytes(mac));
    if (dst != null) {
      w.attr(Nl.NDA_DST, bytes(dst));
    }
    if (nhid != 0) {
      w.attrU32(Nl.NDA_NH_ID, nhid);
    }
    return w;
  }

  /** Sets a VNI's flood list: all-zero-MAC entries appended or deleted per VTEP. */
  private void setFlood(int vni, Set<IpAddress> wanted) throws NetlinkException {
    Domain d = domain(vni);
    Set<IpAddress> have = floods.computeIfAbsent(vni, k -> new TreeSet<>());
    for (IpAddress gone : new ArrayList<>(have)) {
      if (!wanted.contains(gone)) {
        floodEntry(Nl.RTM_DELNEIGH, d, gone);
        have.remove(gone);
      }
    }
    for (IpAddress vtep : wanted) {
      if (!have.contains(vtep)) {
        floodEntry(Nl.RTM_NEWNEIGH, d, vtep);
        have.add(vtep);
      }
    }
  }

  private void floodEntry(int type, Domain d, IpAddress vtep) throws NetlinkException {
    Nl.Writer w =
        new Nl.Writer(type, type == Nl.RTM_NEWNEIGH ? Nl.NLM_F_CREATE | Nl.NLM_F_APPEND : 0);
    w.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(d.vxlanIndex());
    w.u16(Nl.NUD_NOARP | Nl.NUD_PERMANENT).u8(Nl.NTF_SELF).u8(0);
    w.attr(Nl.NDA_LLADDR, new byte[6]);
    w.attr(Nl.NDA_DST, bytes(vtep));
    String what =
        (type == Nl.RTM_NEWNEIGH ? "append" : "delete")
            + " flood entry 00:00:00:00:00:00 dev "
            + d.vxlan()
            + " dst "
            + vtep;
    try {
      request(w, what);
    } catch (NetlinkException e) {
      boolean harmless =
          (type == Nl.RTM_DELNEIGH && e.errno() == 2)
              || (type == Nl.RTM_NEWNEIGH && e.errno() == 17);
      if (!harmless) {
        throw e;
      }
    }
  }

  private static Nl.Writer neighborMessage(
      int type, Domain d, IpAddress ip, @Nullable MacAddress mac) {
    Nl.Writer w =
        new Nl.Writer(type, type == Nl.RTM_NEWNEIGH ? Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE : 0);
    w.u8(ip.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET).u8(0).u16(0).u32(d.bridgeIndex());
    w.u16(Nl.NUD_NOARP).u8(Nl.NTF_EXT_LEARNED).u8(0);
    w.attr(Nl.NDA_DST, bytes(ip));
    if (mac != null) {
      w.attr(Nl.NDA_LLADDR, bytes(mac));
    }
    return w;
  }

  private void neighbor(int type, Domain d, IpAddress ip, @Nullable MacAddress mac)
      throws NetlinkException {
    Nl.Writer w = neighborMessage(type, d, ip, mac);
    String what =
        (mac == null ? "delete neighbour " + ip : "add neighbour " + ip + " lladdr " + mac)
            + " dev "
            + d.bridge();
    try {
      request(w, what);
    } catch (NetlinkException e) {
      if (!(type == Nl.RTM_DELNEIGH && e.errno() == 2)) {
        throw e;
      }
    }
  }

  /** Creates or replaces a segment's FDB nexthop group, and each member's FDB nexthop. */
  private void setGroup(ForwardingOp.SetGroup g) throws NetlinkException {
    List<ForwardingOp.Member> members = new ArrayList<>();
    for (ForwardingOp.Member m : g.members()) {
      if (m.weight() > 0) {
        members.add(m);
      }
    }
    if (members.isEmpty() && !g.members().isEmpty()) {
      members.add(g.members().get(0)); // only backups: the first carries the traffic
    }
    ByteBuffer entries =
        ByteBuffer.allocate(8 * members.size()).order(java.nio.ByteOrder.nativeOrder());
    for (ForwardingOp.Member m : members) {
      if (m.vtep().isIpv6() != localVtep.isIpv6()) {
        continue;
      }
      entries.putInt(vtepNexthop(m.vtep()));
      entries
          .put((byte) Math.max(0, Math.min(255, m.weight()) - 1))
          .put((byte) 0)
          .putShort((short) 0);
    }
    Integer known = groupNexthops.get(g.groupId());
    boolean fresh = known == null;
    int id = known == null ? nextNexthop++ : known;
    if (entries.position() == 0) {
      // no member: the group cannot be empty in the kernel; its MACs will be removed by the RIB
      if (!fresh) {
        deleteNexthop(id, "remove empty nexthop group " + id);
        groupNexthops.remove(g.groupId());
      }
      return;
    }
    Nl.Writer w = new Nl.Writer(Nl.RTM_NEWNEXTHOP, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE);
    w.u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
    w.attrU32(Nl.NHA_ID, id);
    w.attr(Nl.NHA_GROUP, java.util.Arrays.copyOf(entries.array(), entries.position()));
    w.attrFlag(Nl.NHA_FDB);
    request(w, (fresh ? "add" : "replace") + " FDB nexthop group " + id + " of " + g.esi());
    groupNexthops.put(g.groupId(), id);
  }

  private int vtepNexthop(IpAddress vtep) throws NetlinkException {
    Integer id = vtepNexthops.get(vtep);
    if (id != null) {
      return id;
    }
    int fresh = nextNexthop++;
    Nl.Writer w = new Nl.Writer(Nl.RTM_NEWNEXTHOP, Nl.NLM_F_CREATE | Nl.NLM_F_REPLACE);
    w.u8(vtep.isIpv6() ? Nl.AF_INET6 : Nl.AF_INET).u8(0).u8(0).u8(0).u32(0);
    w.attrU32(Nl.NHA_ID, fresh);
    w.attr(Nl.NHA_GATEWAY, bytes(vtep));
    w.attrFlag(Nl.NHA_FDB);
    request(w, "add FDB nexthop " + fresh + " via " + vtep);
    vtepNexthops.put(vtep, fresh);
    return fresh;
  }

  private void deleteNexthop(int id, String what) throws NetlinkException {
    Nl.Writer w = new Nl.Writer(Nl.RTM_DELNEXTHOP, 0);
    w.u8(Nl.AF_UNSPEC).u8(0).u8(0).u8(0).u32(0);
    w.attrU32(Nl.NHA_ID, id);
    try {
      request(w, what);
    } catch (NetlinkException e) {
      if (e.errno() != 2) {
        throw e;
      }
    }
  }

  // ------------------------------------------------------------------------------ resync

  /** An FDB entry of one of our VXLAN devices, as the kernel holds it. */
  record FdbEntry(int vni, MacAddress mac, @Nullable IpAddress dst, int nhid) {}

  /** The FDB entries of our VXLAN devices ({@code self}), read from the kernel. */
  List<FdbEntry> kernelFdb() throws NetlinkException {
    Map<Integer, Integer> vniOfVxlan = new HashMap<>();
    domains.values().forEach(d -> vniOfVxlan.put(d.vxlanIndex(), d.vni()));
    Nl.Writer w = new Nl.Writer(Nl.RTM_GETNEIGH, Nl.NLM_F_DUMP);
    w.u8(Nl.AF_BRIDGE).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0);
    List<FdbEntry> out = new ArrayList<>();
    for (Nl.Message m : nl.dump(w, "read the FDB")) {
      ByteBuffer v = m.view();
      int index = v.getInt(m.payload() + 4);
      int flags = v.get(m.payload() + 10) & 0xFF;
      Integer vni = vniOfVxlan.get(index);
      if (vni == null || (flags & Nl.NTF_SELF) == 0) {
        continue;
      }
      Map<Integer, byte[]> a = m.attrs(12);
      byte[] ll = a.get(Nl.NDA_LLADDR);
      if (ll == null || ll.length != 6) {
        continue;
      }
      long mac = 0;
      for (byte b : ll) {
        mac = (mac << 8) | (b & 0xFF);
      }
      byte[] dst = a.get(Nl.NDA_DST);
      byte[] nh = a.get(Nl.NDA_NH_ID);
      out.add(
          new FdbEntry(
              vni, MacAddress.of(mac), dst == null ? null : ip(dst), nh == null ? 0 : Nl.u32(nh)));
    }
    return out;
  }

  /** The kernel's neighbour table of {@code family} ({@code AF_BRIDGE}: the FDB). */
  synchronized List<Nl.Message> dumpNeighbours(int family) throws NetlinkException {
    Nl.Writer w = new Nl.Writer(Nl.RTM_GETNEIGH, Nl.NLM_F_DUMP);
    w.u8(family).u8(0).u16(0).u32(0).u16(0).u8(0).u8(0);
    return nl.dump(w, "read the neighbour table");
  }

  static IpAddress ip(byte[] b) {
    ByteBuffer v = ByteBuffer.wrap(b);
    return b.length == 4
        ? IpAddress.ofIpv4(v.getInt())
        : IpAddress.ofIpv6(v.getLong(), v.getLong());
  }

  @Override
  public synchronized void replaceAll(List<ForwardingOp> state) throws NetlinkException {
    if (frozen) {
      return;
    }
    List<ForwardingOp> groupsFirst = new ArrayList<>();
    Map<String, ForwardingOp.SetMac> wantedMacs = new HashMap<>();
    Map<Integer, Set<IpAddress>> wantedFloods = new HashMap<>();
    List<ForwardingOp> neighbors = new ArrayList<>();
    for (ForwardingOp op : state) {
      if (op instanceof ForwardingOp.SetGroup) {
        groupsFirst.add(op);
      } else if (op instanceof ForwardingOp.SetMac m) {
        wantedMacs.put(m.vni() + " " + m.mac(), m);
        domain(m.vni());
      } else if (op instanceof ForwardingOp.SetFlood f) {
        wantedFloods.put(f.vni(), new TreeSet<>(f.vteps()));
        domain(f.vni());
      } else if (op instanceof ForwardingOp.SetNeighbor || op instanceof ForwardingOp.SetRoute) {
        neighbors.add(op); // ARP/ND entries and IP-VRF routes: written again, replace is idempotent
      }
    }
    // what the kernel has: keep what is right, remove what is not wanted; then one ordered batch
    // (groups, removals, MACs, flood lists, ARP/ND entries) through the same path as apply()
    List<ForwardingOp> ops = new ArrayList<>(groupsFirst);
    Map<Integer, Set<IpAddress>> kernelFloods = new HashMap<>();
    Set<String> right = new HashSet<>();
    for (FdbEntry e : kernelFdb()) {
      Domain d = domains.get(e.vni());
      if (d == null) {
        continue;
      }
      if (e.mac().value() == 0) {
        if (e.dst() != null) {
          kernelFloods.computeIfAbsent(e.vni(), k -> new TreeSet<>()).add(e.dst());
        }
        continue;
      }
      if (e.nhid() != 0) {
        grouped.add(new ForwardingOp.MacKey(e.vni(), e.mac()));
      }
      String key = e.vni() + " " + e.mac();
      ForwardingOp.SetMac want = wantedMacs.get(key);
      if (want != null && matches(want, e)) {
        right.add(key);
        continue;
      }
      if (want == null && keepStale) {
        continue; // kept until the restart is over
      }
      // not wanted, or wanted otherwise: removed first (a replace keeps an entry's flags, and an
      // entry someone else wrote lacks extern_learn), then written again below
      ops.add(new ForwardingOp.RemoveMac(e.vni(), e.mac()));
    }
    for (Map.Entry<String, ForwardingOp.SetMac> e : wantedMacs.entrySet()) {
      if (!right.contains(e.getKey())) {
        ops.add(e.getValue());
      }
    }
    for (Integer vni : domains.keySet()) {
      Set<IpAddress> have = kernelFloods.getOrDefault(vni, new TreeSet<>());
      floods.put(vni, have);
      Set<IpAddress> want = new TreeSet<>(wantedFloods.getOrDefault(vni, Set.of()));
      if (keepStale) {
        want.addAll(have);
      }
      ops.add(new ForwardingOp.SetFlood(vni, List.copyOf(want)));
    }
    ops.addAll(neighbors); // replace is idempotent
    List<Failure> failures = applyInOrder(ops);
    if (!failures.isEmpty()) {
      throw new BatchException(failures);
    }
  }

  private boolean matches(ForwardingOp.SetMac want, FdbEntry have) {
    if (want.destination() instanceof Destination.RemoteVtep v) {
      return have.nhid() == 0 && java.util.Objects.equals(v.vtep(), have.dst());
    }
    if (want.destination() instanceof Destination.Group g) {
      Integer id = groupNexthops.get(g.groupId());
      return id != null && id == have.nhid();
    }
    return false;
  }

  // ------------------------------------------------------------------------------ learning

  @Override
  public void attach(LocalLearning rib) {
    Executor thread = learningThread;
    if (thread == null) {
      return;
    }
    try {
      KernelLearning l =
          new KernelLearning(
              this, NetlinkSocket.open(netns, Nl.RTMGRP_NEIGH | Nl.RTMGRP_LINK), rib, thread);
      learning = l;
      l.start();
    } catch (NetlinkException e) {
      throw new IllegalStateException("cannot follow the kernel's learning: " + e.getMessage(), e);
    }
  }

  /** Whether link {@code index} is a local port attached to a bridge (for learning). */
  synchronized boolean isAttachedPort(int index) {
    return attachedPorts.containsKey(index);
  }

  /** The kernel's links (for learning: the state of the attached ports). */
  synchronized List<Nl.Message> dumpLinks() throws NetlinkException {
    return nl.dump(link(Nl.RTM_GETLINK, Nl.NLM_F_DUMP, 0), "read the links");
  }

  /** The VNI of bridge {@code index} or of its anycast gateway device, or -1 (for learning). */
  synchronized int vniOfBridge(int index) {
    Integer gateway = gateways.get(index);
    if (gateway != null) {
      return gateway;
    }
    for (Domain d : domains.values()) {
      if (d.bridgeIndex() == index) {
        return d.vni();
      }
    }
    return -1;
  }

  /** Whether {@code index} is one of our VXLAN devices. */
  synchronized boolean isVxlan(int index) {
    for (Domain d : domains.values()) {
      if (d.vxlanIndex() == index) {
        return true;
      }
    }
    return false;
  }

  /** The RIB's name of the port of link {@code index}. */
  String portOf(int index) {
    return portName.apply(linkName(index));
  }

  /** The name of link {@code index}, or {@code ifINDEX}. */
  synchronized String linkName(int index) {
    try {
      Nl.Writer w = link(Nl.RTM_GETLINK, 0, index);
      for (Nl.Message m : nl.request(w, "look up link " + index)) {
        byte[] name = m.attrs(16).get(Nl.IFLA_IFNAME);
        if (name != null) {
          return Nl.string(name);
        }
      }
    } catch (NetlinkException e) {
      // fall through
    }
    return "if" + index;
  }

  // ------------------------------------------------------------------------------ close

  /**
   * Stops learning and removes the devices and nexthops this driver created, unless it keeps them
   * ({@link Builder#keepOnClose}).
   */
  @Override
  public synchronized void close() {
    KernelLearning l = learning;
    if (l != null) {
      l.close();
    }
    if (!keepOnClose) {
      for (Domain d : domains.values()) {
        if (d.created()) {
          deleteLink(d.vxlanIndex(), d.vxlan());
          deleteLink(d.bridgeIndex(), d.bridge());
        }
      }
      for (int id : groupNexthops.values()) {
        quietly(() -> deleteNexthop(id, "remove nexthop group " + id));
      }
      for (Vrf v : vrfs.values()) {
        if (v.created()) {
          deleteLink(v.index(), v.name());
        }
      }
      rules.forEach(this::deleteRule);
      for (int id : vtepNexthops.values()) {
        quietly(() -> deleteNexthop(id, "remove nexthop " + id));
      }
    }
    nl.close();
  }

  private interface Request {
    void run() throws NetlinkException;
  }

  private static void quietly(Request r) {
    try {
      r.run();
    } catch (NetlinkException e) {
      // closing: what is already gone is fine
    }
  }

  private void deleteLink(int index, String name) {
    quietly(() -> request(link(Nl.RTM_DELLINK, 0, index), "delete " + name));
  }
}
