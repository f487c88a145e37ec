package io.evpnkit.examples;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.linux.LinuxDriver;
import io.evpnkit.linux.NetlinkException;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.MacEntry;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.RibSessions;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code evpnkit vtep}: a leaf on the Linux kernel's VXLAN data plane: the configuration's VLANs
 * become bridges and VXLAN devices, its interfaces ports of them, its BGP groups sessions, with the
 * RIB between; {@code evpnkit vtep show} asks a running one over its control socket.
 */
@Command(
    name = "vtep",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    subcommands = {VtepCommand.Show.class},
    description = {
      "Runs a VTEP on the Linux kernel: each VLAN with a VNI of the configuration becomes a bridge (brVNI) with "
          + "a VXLAN device (vxVNI, learning off, ARP/ND suppression), each interface with VLAN members a port of "
          + "those bridges, the protocols bgp groups (family evpn signaling) BGP sessions; remote MACs, flood "
          + "lists, aliasing groups and ARP/ND entries go into the kernel over rtnetlink, and what the kernel "
          + "learns on local ports is advertised.",
      "Interface names are the host's Linux links, or Junos names mapped with --interface xe-0/0/1=veth-h1. The "
          + "VTEP address is --vtep, else the address of the vtep-source-interface, else the router id.",
      "A vrf routing instance with protocols evpn ip-prefix-routes vni N routes between its IRB units' subnets "
          + "(symmetric IRB, RFC 9135): a VRF device (or, without the kernel's VRF driver, table N and rules), "
          + "brN/vxN at the router MAC, each IRB's bridge with its addresses and the anycast gateway on gwVNI/gvVNI; "
          + "enable IP forwarding (sysctl net.ipv4.ip_forward=1) as for any router.",
      "Example: evpnkit vtep --config leaf1.conf --netns leaf1;  evpnkit vtep show macs --json"
    },
    footer = {
      "",
      "SIGHUP rereads the configuration: the kernel keeps forwarding (the devices of the VLANs still configured "
          + "stay, those of VLANs and IP-VRFs taken out go, entries are corrected, not flushed) and the BGP "
          + "sessions restart "
          + "gracefully (RFC 4724); a configuration with errors is reported (event reload-refused) and the "
          + "running one stays.",
      "Exit status: 0 at --timeout or on SIGINT/SIGTERM (devices removed unless --keep-data-plane); 1 when a file "
          + "cannot be read or the kernel refuses the devices; 2 usage error (including the configuration's "
          + "problems, shown as FILE:LINE:COLUMN)."
    })
final class VtepCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "the Junos-style configuration")
  @Nullable String configFile;

  @Option(
      names = "--netns",
      paramLabel = "NAME",
      description = "drive the kernel of this network namespace (ip netns add NAME)")
  @Nullable String netns;

  @Option(
      names = "--interface",
      paramLabel = "JUNOS=LINUX",
      description = "a configuration interface name and the Linux link it stands for (repeatable)")
  List<String> interfaceMap = new ArrayList<>();

  @Option(names = "--vtep", paramLabel = "ADDR", description = "the VTEP address")
  @Nullable String vtep;

  @Option(
      names = "--bgp-port",
      paramLabel = "PORT",
      description = "the BGP port of the configured neighbors (default ${DEFAULT-VALUE})")
  int bgpPort = 179;

  @Option(
      names = "--listen",
      paramLabel = "ADDR:PORT",
      description = "accept BGP connections here (repeatable)")
  List<String> listen = new ArrayList<>();

  @Option(
      names = "--control",
      paramLabel = "PATH",
      description = "the control socket (default /run/evpnkit/vtep[-NETNS].sock)")
  @Nullable Path control;

  @Option(
      names = "--keep-data-plane",
      description = "leave the devices and entries in place on exit (a restart keeps forwarding)")
  boolean keepDataPlane;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = BgpCommand.DurationConverter.class,
      description = "stop after this long (default: run until interrupted)")
  @Nullable Duration timeout;

  @Option(names = "--json", description = "print session events as JSON lines")
  boolean json;

  @Option(
      names = "--router-mac",
      paramLabel = "MAC",
      description =
          "the router MAC of symmetric IRB (RFC 9135), the L3 VNIs' bridges' address (default: 02:00 and"
              + " the last 32 bits of the VTEP address)")
  @Nullable String routerMac;

  /**
   * A leaf's router MAC when none is given: locally administered, 02:00 and the last 32 bits of its
   * VTEP address, so that it stays the same across restarts.
   */
  static MacAddress defaultRouterMac(IpAddress vtep) {
    long low = vtep.isIpv6() ? vtep.low() : vtep.ipv4();
    return MacAddress.of(0x0200_0000_0000L | (low & 0xFFFF_FFFFL));
  }

  static Path defaultControl(@Nullable String netns) {
    return Path.of("/run/evpnkit", netns == null ? "vtep.sock" : "vtep-" + netns + ".sock");
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (configFile == null) {
      err.println(
          "evpnkit vtep: --config FILE is required to run a VTEP (or: evpnkit vtep show ...)");
      return 2;
    }
    String file = configFile;
    Map<String, String> linux = new LinkedHashMap<>();
    for (String m : interfaceMap) {
      int eq = m.indexOf('=');
      if (eq <= 0 || eq == m.length() - 1) {
        err.println("evpnkit vtep: --interface takes JUNOS=LINUX, not '" + m + "'");
        return 2;
      }
      linux.put(m.substring(0, eq), m.substring(eq + 1));
    }
    ConfigCommand.Loaded loaded = ConfigCommand.load(file, err);
    if (loaded.config() == null) {
      return loaded.status();
    }
    VtepConfig config = loaded.config();
    ConfigCommand.warnings(file, config, false, err);
    Leaf leaf;
    try {
      leaf = leaf(config);
    } catch (RuntimeException e) {
      err.println("evpnkit vtep: " + e.getMessage());
      return 2;
    }
    TorAgentCommand.Events events = new TorAgentCommand.Events(out, json);
    // why a run ends: "stop" (SIGTERM, SIGINT, --timeout), or the configuration SIGHUP read
    BlockingQueue<Object> reasons = new LinkedBlockingQueue<>();
    CountDownLatch stopped = new CountDownLatch(1);
    // SIGTERM: the JVM halts when its hooks end, so the hook waits for the clean stop below
    Thread hook =
        new Thread(
            () -> {
              reasons.add(STOP);
              try {
                stopped.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "evpnkit-vtep-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    // SIGHUP: the configuration read again; a broken one is reported and the running one stays
    boolean hangup =
        Reload.onHangup(
            () -> {
              StringWriter problems = new StringWriter();
              PrintWriter w = new PrintWriter(problems);
              ConfigCommand.Loaded again = ConfigCommand.load(file, w);
              w.flush();
              VtepConfig next = again.config();
              Leaf nextLeaf = null;
              if (next != null) {
                try {
                  nextLeaf = leaf(next);
                } catch (RuntimeException e) {
                  problems.append(e.getMessage());
                }
              }
              if (nextLeaf == null) {
                events.print(
                    "reload-refused",
                    Map.of("config", file, "problems", problems.toString().strip()));
              } else {
                reasons.add(nextLeaf);
              }
            });
    if (!hangup) {
      err.println("evpnkit vtep: SIGHUP cannot be caught in this JVM; a reload takes a restart");
    }
    long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
    try {
      boolean reloaded = false;
      while (true) {
        Object why = run(leaf, linux, reloaded, reasons, deadline, events, err);
        if (why instanceof Integer status) {
          return status;
        }
        if (!(why instanceof Leaf next)) {
          return 0;
        }
        leaf = next;
        reloaded = true;
      }
    } finally {
      out.flush();
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
  }

  private static final String STOP = "stop";

  /** A configuration and what the daemon takes from it, checked before anything starts. */
  record Leaf(
      VtepConfig config,
      IpAddress vtep,
      MacAddress routerMac,
      List<PeerConfig> peers,
      List<java.net.InetSocketAddress> listens) {}

  private Leaf leaf(VtepConfig config) {
    IpAddress vtepAddress =
        vtep != null ? IpAddress.parse(vtep) : TorAgentCommand.vtepAddress(config);
    List<PeerConfig> peers = PeerConfig.fromConfiguration(config, bgpPort);
    BgpSpeaker.builder(config);
    List<java.net.InetSocketAddress> listens = new ArrayList<>();
    for (String l : listen) {
      listens.add(BgpCommand.endpoint(l, 179));
    }
    MacAddress rmac;
    try {
      rmac = routerMac != null ? MacAddress.parse(routerMac) : defaultRouterMac(vtepAddress);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--router-mac " + routerMac + ": " + e.getMessage(), e);
    }
    return new Leaf(config, vtepAddress, rmac, peers, listens);
  }

  /**
   * Runs the leaf until a reason to end comes: returns {@link #STOP}, an exit status, or the {@link
   * Leaf} of a configuration read again. A reload keeps the kernel's data plane (the devices of the
   * VLANs still configured, their entries; those of VLANs taken out are removed) and restarts the
   * BGP sessions gracefully (RFC 4724: the peers keep forwarding with our routes, ours are
   * corrected when theirs are back), as a restart with --keep-data-plane does.
   */
  private Object run(
      Leaf leaf,
      Map<String, String> linux,
      boolean reloaded,
      BlockingQueue<Object> reasons,
      long deadline,
      TorAgentCommand.Events events,
      PrintWriter err)
      throws Exception {
    VtepConfig config = leaf.config();
    IpAddress vtepAddress = leaf.vtep();
    Map<String, String> junos = new LinkedHashMap<>();
    linux.forEach((j, l) -> junos.put(l, j));
    boolean epoll = Epoll.isAvailable();
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    EventLoop loop = group.next();
    LinuxDriver.Builder db =
        LinuxDriver.builder(vtepAddress)
            .learning(loop)
            .keepOnClose(keepDataPlane)
            .portName(link -> junos.getOrDefault(link, link) + ".0");
    if (netns != null) {
      db.netns(netns);
    }
    LinuxDriver driver;
    try {
      driver = db.build();
      for (Vlan v : vlans(config).values()) {
        driver.ensureDomain(v.vni());
      }
      for (InterfaceConfig ifc : config.interfaces().values()) {
        for (InterfaceConfig.Unit unit : ifc.units().values()) {
          for (String member : unit.vlanMembers()) {
            Vlan v = vlan(config, member);
            if (v != null && v.vni() > 0) {
              driver.attachPort(v.vni(), linux.getOrDefault(ifc.name(), ifc.name()));
            }
          }
        }
      }
      routeBetweenSubnets(config, leaf.routerMac(), driver);
    } catch (NetlinkException e) {
      err.println("evpnkit vtep: " + e.getMessage());
      var unused = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      return 1;
    }
    // a restart after --keep-data-plane, or a reload: the kernel forwards with what it has until
    // the routes are back (RFC 4724: restarting speaker, forwarding state preserved)
    boolean restarted = reloaded || (keepDataPlane && driver.dataPlanePreserved());
    if (restarted) {
      driver.keepStaleEntries(true);
    }
    LinuxDriver data = driver;
    RibSessions sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(config, vtepAddress, data)
                    .routeSink(sink)
                    .listener(
                        new io.evpnkit.rib.RibListener() {
                          @Override
                          public void driverFault(Throwable failure, boolean resynchronized) {
                            events.print(
                                "warning",
                                Map.of(
                                    "message",
                                    "the kernel refused: "
                                        + failure.getMessage()
                                        + (resynchronized ? " (resynchronized)" : "")));
                          }
                        })
                    .routerMac(leaf.routerMac())
                    .routerId(config.routerIdAddress().orElse(vtepAddress))
                    .autonomousSystem(config.autonomousSystem())
                    .build());
    if (restarted) {
      sessions.deferUntilEndOfRib(Duration.ofSeconds(60));
    }
    BgpSpeaker.Builder sb =
        BgpSpeaker.builder(config)
            .eventLoopGroup(group)
            .nio(!epoll)
            .gracefulRestart(restarted, restarted)
            .listener(new TorAgentCommand.BgpEvents(sessions, events));
    leaf.listens().forEach(sb::listen);
    BgpSpeaker speaker = sb.build();
    Path socket = control != null ? control : defaultControl(netns);
    ControlServer server = new ControlServer(socket, loop, sessions, config);
    Object why = STOP;
    try {
      server.start();
      leaf.peers().forEach(speaker::addPeer);
      events.print(
          reloaded ? "reloaded" : "started",
          Map.of(
              "vtep", vtepAddress.toString(),
              "control", socket.toString(),
              "restarted", restarted));
      if (restarted) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        io.netty.util.concurrent.ScheduledFuture<?>[] check =
            new io.netty.util.concurrent.ScheduledFuture<?>[1];
        check[0] =
            loop.scheduleAtFixedRate(
                () -> {
                  if (sessions.deferring() && System.nanoTime() < until) {
                    return;
                  }
                  check[0].cancel(false);
                  driver.keepStaleEntries(false); // End-of-RIB from every peer: stale entries go
                  try {
                    driver.replaceAll(sessions.rib().forwardingState());
                    events.print("restart-complete", Map.of());
                  } catch (NetlinkException e) {
                    events.print("warning", Map.of("message", e.getMessage()));
                  }
                },
                500,
                500,
                TimeUnit.MILLISECONDS);
      }
      long left = deadline - System.nanoTime();
      Object reason =
          deadline == Long.MAX_VALUE
              ? reasons.take()
              : reasons.poll(Math.max(0, left), TimeUnit.NANOSECONDS);
      why = reason == null ? STOP : reason;
    } finally {
      server.close();
      if (why instanceof Leaf next) {
        // routing taken out goes, the VLANs taken out go; the rest stays as it is for the next run
        unrouteTheRemoved(config, next.config(), driver);
        Set<Integer> kept = new HashSet<>();
        vlans(next.config()).values().forEach(v -> kept.add(v.vni()));
        for (Vlan v : vlans(config).values()) {
          if (!kept.contains(v.vni())) {
            driver.removeDomain(v.vni());
          }
        }
        driver.keepOnClose(true);
      }
      if (keepDataPlane || why instanceof Leaf) {
        driver.freeze(); // the sessions' end must not reach the kernel, which keeps forwarding
        speaker.closeForRestart(); // no Cease: the peers keep our routes and forward (RFC 4724)
      } else {
        speaker.close();
      }
      loop.submit(() -> sessions.rib().close()).get(10, TimeUnit.SECONDS);
      driver.close();
      var unused = group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
    return why;
  }

  /**
   * Symmetric IRB in the kernel (RFC 9135): each IP-VRF with an L3 VNI ({@code routing-instances X
   * instance-type vrf; protocols evpn ip-prefix-routes vni N}) made ready to route at the router
   * MAC, and each of its IRB units ({@code interface irb.100}, the {@code l3-interface} of a VLAN)
   * the bridge of that VLAN's VNI, with its addresses, and its {@code virtual-gateway-address}es
   * the anycast gateway's at its virtual gateway MACs ({@code virtual-gateway-v4-mac}, {@code
   * virtual-gateway-v6-mac}, by default Junos's).
   */
  static void routeBetweenSubnets(VtepConfig config, MacAddress routerMac, LinuxDriver driver)
      throws NetlinkException {
    for (Map.Entry<String, Integer> vrf : ipVrfs(config).entrySet()) {
      driver.ensureVrf(vrf.getKey(), vrf.getValue(), routerMac);
    }
    for (Map.Entry<Integer, RoutedDomain> d : routedDomains(config).entrySet()) {
      driver.routeDomain(d.getKey(), d.getValue().vrf(), d.getValue().irb());
    }
  }

  /**
   * What a reload takes away from the kernel's routing before the next configuration's run makes it
   * again: the bridge domains routed otherwise (another IP-VRF, another IRB unit) or no longer, and
   * the IP-VRFs gone or given another L3 VNI.
   */
  static void unrouteTheRemoved(VtepConfig before, VtepConfig after, LinuxDriver driver) {
    changedOrGone(routedDomains(before), routedDomains(after)).forEach(driver::unrouteDomain);
    changedOrGone(ipVrfs(before), ipVrfs(after)).forEach(driver::removeVrf);
  }

  /** The keys of {@code before} that {@code after} lacks or maps to something else. */
  private static <K, V> List<K> changedOrGone(Map<K, V> before, Map<K, V> after) {
    return before.entrySet().stream()
        .filter(e -> !e.getValue().equals(after.get(e.getKey())))
        .map(Map.Entry::getKey)
        .toList();
  }

  /** The IP-VRFs that route between subnets, by name: their L3 VNIs. */
  static Map<String, Integer> ipVrfs(VtepConfig config) {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (RoutingInstance vrf : config.instances().values()) {
      int l3vni = vrf.evpn().ipPrefixRoutesVni();
      if (vrf.type() == RoutingInstance.Type.VRF && l3vni > 0) {
        out.put(vrf.name(), l3vni);
      }
    }
    return out;
  }

  /** A bridge domain routed in an IP-VRF through an IRB unit. */
  record RoutedDomain(String vrf, InterfaceConfig.Unit irb) {}

  /**
   * The bridge domains routed between subnets, by VNI: each IRB unit of an IP-VRF ({@code interface
   * irb.100}) that is the {@code l3-interface} of a VLAN.
   */
  static Map<Integer, RoutedDomain> routedDomains(VtepConfig config) {
    Map<String, Vlan> byIrb = new LinkedHashMap<>();
    vlans(config).values().stream()
        .filter(v -> v.l3Interface() != null && v.vni() > 0)
        .forEach(v -> byIrb.put(v.l3Interface(), v));
    Map<Integer, RoutedDomain> out = new LinkedHashMap<>();
    Set<String> ipVrfs = ipVrfs(config).keySet();
    for (RoutingInstance vrf : config.instances().values()) {
      if (!ipVrfs.contains(vrf.name())) {
        continue;
      }
      for (String irb : vrf.interfaces()) {
        Vlan v = byIrb.get(irb);
        InterfaceConfig.Unit unit = config.unit(irb).orElse(null);
        if (v != null && unit != null) {
          out.put(v.vni(), new RoutedDomain(vrf.name(), unit));
        }
      }
    }
    return out;
  }

  static Map<String, Vlan> vlans(VtepConfig config) {
    Map<String, Vlan> vlans = new LinkedHashMap<>();
    config.instances().values().stream()
        .filter(i -> i.type().isSwitching())
        .forEach(
            i ->
                i.vlans().values().stream()
                    .filter(v -> v.vni() > 0)
                    .forEach(v -> vlans.putIfAbsent(v.name(), v)));
    return vlans;
  }

  static @Nullable Vlan vlan(VtepConfig config, String member) {
    for (Vlan v : vlans(config).values()) {
      if (v.name().equals(member) || Integer.toString(v.vlanId()).equals(member)) {
        return v;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------------- the control socket

  /** Answers {@code show} requests: one line in ({@code macs json}), the answer out, closed. */
  static final class ControlServer implements AutoCloseable {
    private final Path path;
    private final EventLoop loop;
    private final RibSessions sessions;
    private final VtepConfig config;
    private @Nullable ServerSocketChannel channel;

    ControlServer(Path path, EventLoop loop, RibSessions sessions, VtepConfig config) {
      this.path = path;
      this.loop = loop;
      this.sessions = sessions;
      this.config = config;
    }

    void start() throws IOException {
      Files.createDirectories(path.toAbsolutePath().getParent());
      Files.deleteIfExists(path);
      ServerSocketChannel c = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      c.bind(UnixDomainSocketAddress.of(path));
      channel = c;
      Thread t = new Thread(this::serve, "evpnkit-vtep-control");
      t.setDaemon(true);
      t.start();
    }

    private void serve() {
      ServerSocketChannel c = java.util.Objects.requireNonNull(channel);
      while (c.isOpen()) {
        try (SocketChannel client = c.accept()) {
          BufferedReader in =
              new BufferedReader(
                  new InputStreamReader(Channels.newInputStream(client), StandardCharsets.UTF_8));
          String request = in.readLine();
          String answer;
          try {
            answer =
                loop.submit(() -> answer(request == null ? "" : request)).get(10, TimeUnit.SECONDS);
          } catch (Exception e) {
            answer = "error: " + e.getMessage() + "\n";
          }
          var o = Channels.newOutputStream(client);
          o.write(answer.getBytes(StandardCharsets.UTF_8));
          o.flush();
        } catch (IOException e) {
          if (!c.isOpen()) {
            return;
          }
        }
      }
    }

    /** The answer to {@code WHAT [json]}; runs on the RIB's loop. */
    String answer(String request) {
      String[] words = request.trim().split(" ", -1);
      boolean asJson = words.length > 1 && words[1].equals("json");
      EvpnRib rib = sessions.rib();
      switch (words[0]) {
        case "macs" -> {
          List<MacEntry> all = new ArrayList<>();
          for (Vlan v : vlans(config).values()) {
            all.addAll(rib.macs(v.vni()));
          }
          if (asJson) {
            List<Object> rows = new ArrayList<>();
            for (MacEntry e : all) {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("vni", e.vni());
              m.put("mac", e.mac().toString());
              m.put("location", e.location());
              m.put("sequence", e.sequence());
              m.put("local", e.local());
              m.put("sticky", e.sticky());
              m.put("frozen", e.frozen());
              m.put("remotePaths", e.remotePaths());
              rows.add(m);
            }
            return Json.line(rows) + "\n";
          }
          StringBuilder sb = new StringBuilder();
          sb.append(
              "MAC flags (L - locally learned, R - remote, S - static, F - frozen duplicate)\n\n");
          sb.append("Ethernet switching table : ").append(all.size()).append(" entries\n");
          sb.append(
              String.format(
                  "   %-10s %-19s %-6s %-24s %s%n",
                  "VNI", "MAC address", "Flags", "Location", "Seq"));
          for (MacEntry e : all) {
            String flags =
                (e.local() ? "L" : "R") + (e.sticky() ? "S" : "") + (e.frozen() ? "F" : "");
            sb.append(
                String.format(
                    "   %-10d %-19s %-6s %-24s %d%n",
                    e.vni(), e.mac(), flags, e.location(), e.sequence()));
          }
          return sb.toString();
        }
        case "routes" -> {
          if (asJson) {
            List<Object> rows = new ArrayList<>();
            rib.bestRoutes().forEach(r -> rows.add(r.toString()));
            return Json.line(rows) + "\n";
          }
          return rib.showRouteTable();
        }
        case "forwarding" -> {
          // what the RIB holds the kernel to: groups, MACs, flood lists, ARP/ND entries
          List<String> ops = rib.forwardingState().stream().map(String::valueOf).toList();
          if (asJson) {
            return Json.line(ops) + "\n";
          }
          return ops.isEmpty() ? "" : String.join("\n", ops) + "\n";
        }
        case "flood" -> {
          Map<String, Object> floods = new TreeMap<>();
          for (ForwardingOp op : rib.forwardingState()) {
            if (op instanceof ForwardingOp.SetFlood f) {
              floods.put(
                  Integer.toString(f.vni()), f.vteps().stream().map(String::valueOf).toList());
            }
          }
          if (asJson) {
            return Json.line(floods) + "\n";
          }
          StringBuilder sb = new StringBuilder();
          floods.forEach(
              (vni, vteps) ->
                  sb.append("VNI ").append(vni).append(": ").append(vteps).append('\n'));
          return sb.toString();
        }
        case "df" -> {
          // each local Ethernet segment's designated forwarder per VLAN (RFC 7432 §8.5)
          List<Object> rows = new ArrayList<>();
          StringBuilder sb = new StringBuilder();
          for (InterfaceConfig ifc : config.interfaces().values()) {
            if (ifc.esi() == null) {
              continue;
            }
            var esi = java.util.Objects.requireNonNull(ifc.esi());
            var algorithm = rib.designatedForwarderAlgorithm(esi);
            for (InterfaceConfig.Unit unit : ifc.units().values()) {
              for (String member : unit.vlanMembers()) {
                Vlan v = vlan(config, member);
                if (v == null) {
                  continue;
                }
                IpAddress df = rib.designatedForwarder(esi, v.vlanId());
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("interface", ifc.name());
                m.put("esi", esi.toString());
                m.put("vlan", v.vlanId());
                m.put("vni", v.vni());
                m.put("algorithm", algorithm == null ? null : algorithm.keyword());
                m.put("df", df == null ? null : df.toString());
                rows.add(m);
                sb.append(
                    String.format(
                        "%-12s ESI %s VLAN %-5d VNI %-9d DF %s%n",
                        ifc.name(),
                        esi,
                        v.vlanId(),
                        v.vni(),
                        df == null ? "(election pending)" : df));
              }
            }
          }
          return asJson ? Json.line(rows) + "\n" : sb.toString();
        }
        default -> {
          return "error: unknown request '" + request + "' (macs, routes, flood, df)\n";
        }
      }
    }

    @Override
    public void close() throws IOException {
      ServerSocketChannel c = channel;
      if (c != null) {
        c.close();
      }
      Files.deleteIfExists(path);
    }
  }

  /** {@code evpnkit vtep show macs|routes|flood [--json]}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Asks a running evpnkit vtep over its control socket, like vtysh.",
      footer = {"", "Exit status: 0; 1 when no VTEP answers at the control socket; 2 usage error."})
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "WHAT", description = "macs, routes, flood, df or forwarding")
    String what;

    @Option(names = "--json", description = "JSON output")
    boolean json;

    @Option(names = "--netns", paramLabel = "NAME", description = "the VTEP of this namespace")
    @Nullable String netns;

    @Option(names = "--control", paramLabel = "PATH", description = "the control socket")
    @Nullable Path control;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!List.of("macs", "routes", "flood", "df", "forwarding").contains(what)) {
        err.println("evpnkit vtep show: macs, routes, flood, df or forwarding, not '" + what + "'");
        return 2;
      }
      Path socket = control != null ? control : defaultControl(netns);
      try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        var o = Channels.newOutputStream(c);
        o.write((what + (json ? " json" : "") + "\n").getBytes(StandardCharsets.UTF_8));
        o.flush();
        String answer =
            new String(Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
        out.print(answer);
        out.flush();
        return answer.startsWith("error:") ? 1 : 0;
      } catch (IOException e) {
        err.println("evpnkit vtep show: no VTEP answers at " + socket + ": " + e.getMessage());
        return 1;
      }
    }
  }
}
