package io.evpnkit.examples;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.ovsdb.OvsdbAddress;
import io.evpnkit.ovsdb.TorAgent;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.RibSessions;
import io.evpnkit.speaker.SessionDown;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evpnkit tor-agent}: the agent of a multivendor TOR (the deck's OVSDB flow): the TOR's
 * {@code hardware_vtep} database on one side, BGP EVPN sessions from the configuration on the
 * other.
 */
@Command(
    name = "tor-agent",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs the agent of a TOR that speaks OVSDB (RFC 7047) with the hardware_vtep schema: writes a logical "
          + "switch per VLAN with a VNI of the configuration and binds the configured interfaces' VLANs on the "
          + "TOR's ports, advertises the MACs the TOR learns (Ucast_Macs_Local) as EVPN MAC/IP routes over the BGP "
          + "sessions of the configuration's protocols bgp groups (family evpn signaling), and programs the MACs "
          + "and flood lists EVPN brings into the TOR (Ucast_Macs_Remote, Mcast_Macs_Remote). When ovsdb-server "
          + "goes away the agent connects again and resynchronizes both ways.",
      "The VTEP address (the next hop of the routes, the TOR's tunnel IP) is --vtep, else the address of the "
          + "configuration's vtep-source-interface, else the router id.",
      "Example: evpnkit tor-agent --ovsdb unix:/var/run/openvswitch/db.sock --config tor.conf --json"
    },
    footer = {
      "",
      "Exit status: 0 at --timeout or on SIGINT/SIGTERM; 1 when a file cannot be read or the agent never got "
          + "in step with the TOR by the timeout; 2 usage error (including the configuration's problems, shown "
          + "as FILE:LINE:COLUMN)."
    })
final class TorAgentCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--ovsdb",
      required = true,
      paramLabel = "unix:FILE|tcp:HOST:PORT",
      description = "the TOR's OVSDB server")
  String ovsdb;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "the Junos-style configuration")
  String configFile;

  @Option(
      names = "--bgp-port",
      paramLabel = "PORT",
      description = "the BGP port of the configured neighbors (default ${DEFAULT-VALUE})")
  int bgpPort = 179;

  @Option(names = "--vtep", paramLabel = "ADDR", description = "the TOR's VTEP address")
  @Nullable String vtep;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = BgpCommand.DurationConverter.class,
      description = "stop after this long (30s, 2m; default: run until interrupted)")
  @Nullable Duration timeout;

  @Option(names = "--json", description = "print one JSON object per event")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    OvsdbAddress address;
    try {
      address = OvsdbAddress.parse(ovsdb);
    } catch (IllegalArgumentException e) {
      err.println("evpnkit tor-agent: " + e.getMessage());
      return 2;
    }
    ConfigCommand.Loaded loaded = ConfigCommand.load(configFile, err);
    if (loaded.config() == null) {
      return loaded.status();
    }
    VtepConfig config = loaded.config();
    ConfigCommand.warnings(configFile, config, false, err);
    IpAddress vtepAddress;
    List<PeerConfig> peers;
    BgpSpeaker.Builder speakerBuilder;
    try {
      vtepAddress = vtep != null ? IpAddress.parse(vtep) : vtepAddress(config);
      peers = PeerConfig.fromConfiguration(config, bgpPort);
      speakerBuilder = BgpSpeaker.builder(config);
    } catch (RuntimeException e) {
      err.println("evpnkit tor-agent: " + e.getMessage());
      return 2;
    }
    Events events = new Events(out, json);
    TorAgent agent = TorAgent.builder(address, config).listener(events).build();
    RibSessions sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(config, vtepAddress, agent.driver())
                    .routeSink(sink)
                    .routerId(config.routerIdAddress().orElse(vtepAddress))
                    .autonomousSystem(config.autonomousSystem())
                    // a TOR that stops answering costs the RIB (and the sessions' keepalives on its
                    // loop) at most 2 x 2 s per batch until the agent's probe drops the connection
                    .driverThread(true)
                    .driverRetries(1, Duration.ofSeconds(2))
                    .build());
    BgpSpeaker speaker = speakerBuilder.listener(new BgpEvents(sessions, events)).build();
    CountDownLatch done = new CountDownLatch(1);
    Thread hook = new Thread(done::countDown, "evpnkit-tor-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean synced;
    try {
      peers.forEach(speaker::addPeer);
      var first = agent.start(sessions.rib(), speaker.eventLoop());
      if (timeout != null) {
        done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        done.await();
      }
      synced = first.isDone() && !first.isCompletedExceptionally();
    } finally {
      agent.close();
      speaker.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down already
      }
    }
    out.flush();
    if (!synced) {
      err.println("evpnkit tor-agent: never in step with the TOR at " + address);
      return 1;
    }
    return 0;
  }

  /**
   * The address of the configuration's vtep-source-interface ({@code lo0.0}), else the router id.
   */
  static IpAddress vtepAddress(VtepConfig config) {
    for (RoutingInstance r : config.instances().values()) {
      String source = r.vtepSourceInterface();
      if (source == null) {
        continue;
      }
      int dot = source.indexOf('.');
      String name = dot < 0 ? source : source.substring(0, dot);
      int unit = dot < 0 ? 0 : Integer.parseInt(source.substring(dot + 1));
      InterfaceConfig ifc = config.interfaces().get(name);
      InterfaceConfig.Unit u = ifc == null ? null : ifc.units().get(unit);
      if (u != null && !u.addresses().isEmpty()) {
        return u.addresses().get(0).address();
      }
    }
    return config
        .routerIdAddress()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no VTEP address: give --vtep, an address on the vtep-source-interface, or a router id"));
  }

  /** Prints the agent's events, one line each. */
  static final class Events implements TorAgent.Listener {
    private final PrintWriter out;
    private final boolean json;

    Events(PrintWriter out, boolean json) {
      this.out = out;
      this.json = json;
    }

    synchronized void print(String event, Map<String, Object> fields) {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", event);
        m.putAll(fields);
        out.println(Json.line(m));
      } else {
        StringBuilder sb = new StringBuilder(event);
        fields.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
        out.println(sb);
      }
      out.flush();
    }

    @Override
    public void synced(OvsdbAddress address) {
      print("synced", Map.of("ovsdb", address.toString()));
    }

    @Override
    public void disconnected(OvsdbAddress address, String cause, Duration retryIn) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ovsdb", address.toString());
      m.put("cause", cause);
      m.put("retryInMillis", retryIn.toMillis());
      print("disconnected", m);
    }

    @Override
    public void learned(int vni, MacAddress mac, @Nullable IpAddress ip) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("vni", vni);
      m.put("mac", mac.toString());
      if (ip != null) {
        m.put("ip", ip.toString());
      }
      print("learned", m);
    }

    @Override
    public void aged(int vni, MacAddress mac) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("vni", vni);
      m.put("mac", mac.toString());
      print("aged", m);
    }

    @Override
    public void warning(String message) {
      print("warning", Map.of("message", message));
    }
  }

  /** Passes session events to the RIB's sessions and prints them. */
  static final class BgpEvents implements io.evpnkit.speaker.SessionListener {
    private final RibSessions sessions;
    private final Events events;

    BgpEvents(RibSessions sessions, Events events) {
      this.sessions = sessions;
      this.events = events;
    }

    @Override
    public void established(PeerSession session) {
      events.print("established", Map.of("peer", String.valueOf(session.config().remote())));
      sessions.established(session);
    }

    @Override
    public void update(PeerSession session, io.evpnkit.evpn.UpdateDecoder decoder) {
      sessions.update(session, decoder);
    }

    @Override
    public void endOfRib(PeerSession session) {
      sessions.endOfRib(session);
    }

    @Override
    public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
      if (wasEstablished) {
        events.print(
            "closed",
            Map.of(
                "peer", String.valueOf(session.config().remote()), "reason", String.valueOf(why)));
      }
      sessions.down(session, why, wasEstablished);
    }

    @Override
    public void restarting(PeerSession session, SessionDown why) {
      sessions.restarting(session, why);
    }

    @Override
    public void staleRoutesEnd(PeerSession session, String reason) {
      sessions.staleRoutesEnd(session, reason);
    }

    @Override
    public void stateChanged(
        PeerSession session,
        io.evpnkit.speaker.SessionState from,
        io.evpnkit.speaker.SessionState to) {
      sessions.stateChanged(session, from, to);
    }

    @Override
    public void writable(PeerSession session) {
      sessions.writable(session);
    }

    @Override
    public void routeRefresh(PeerSession session) {
      sessions.routeRefresh(session);
    }

    @Override
    public void enhancedRefresh(PeerSession session, boolean begins) {
      sessions.enhancedRefresh(session, begins);
    }

    @Override
    public void prefixLimitReached(PeerSession session, long routes, boolean torndown) {
      sessions.prefixLimitReached(session, routes, torndown);
    }
  }
}
