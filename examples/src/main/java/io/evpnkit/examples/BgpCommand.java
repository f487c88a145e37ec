package io.evpnkit.examples;

import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.SessionDown;
import io.evpnkit.speaker.SessionListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evpnkit bgp}: a BGP speaker for L2VPN/EVPN without a configuration file, like {@code gobgp
 * monitor} with injection: sessions to the peers given, the routes of a file announced on each,
 * every received route and session event printed.
 */
@Command(
    name = "bgp",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Holds L2VPN/EVPN BGP sessions with the peers given (connecting to them, or waiting for them with "
          + "--listen or --passive), announces the routes of --announce on each session once it is established, "
          + "then End-of-RIB, and prints every session event (established, end-of-rib, notification, closed) and "
          + "every route received, one line each (--json: one JSON object per line).",
      "Announce file: one route per line in Junos form followed by attribute words: next-hop ADDR (default: "
          + "the router id), label N (the VNI with VXLAN), label2 N, esi ESI, community C (repeatable: "
          + "target:65000:100, encapsulation:vxlan, mac-mobility:3, router-mac:MAC, 65000:1, large:1:2:3), "
          + "local-preference N, med N, origin igp|egp|incomplete, and for type 3 pmsi none (by default a type 3 "
          + "route carries ingress replication to its originator, the label as VNI). # starts a comment.",
      "Example: evpnkit bgp --as 65001 --router-id 192.0.2.1 --local-address 127.0.0.2 --peer 127.0.0.1:10179 "
          + "--peer-as 65000 --announce routes.txt --json --timeout 30s"
    },
    footer = {
      "",
      "Exit status: 0 at --timeout or, with --exit-after-eor, once every peer sent End-of-RIB; 1 when a session "
          + "failed (a NOTIFICATION, an established session lost, a peer never up by the timeout) or a file "
          + "cannot be read; 2 usage error (including a bad line of the announce file, shown with its line and "
          + "column). SIGINT and SIGTERM stop the sessions with a Cease NOTIFICATION (exit 0)."
    })
final class BgpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--as", required = true, paramLabel = "AS", description = "our AS number")
  long as;

  @Option(
      names = "--router-id",
      required = true,
      paramLabel = "ADDR",
      description = "our BGP identifier, an IPv4 address")
  String routerId;

  @Option(
      names = "--peer",
      required = true,
      paramLabel = "ADDR[:PORT]",
      description = "a peer (repeatable; port 179 unless given; IPv6 as [ADDR]:PORT)")
  List<String> peers = new ArrayList<>();

  @Option(
      names = "--peer-as",
      required = true,
      paramLabel = "AS",
      description = "the peers' AS (our own for iBGP)")
  long peerAs;

  @Option(
      names = "--local-address",
      paramLabel = "ADDR",
      description = "the address to connect from (and the one the peers expect)")
  @Nullable String localAddress;

  @Option(
      names = "--listen",
      paramLabel = "ADDR[:PORT]",
      description = "also accept the peers' connections here (repeatable; port 179 unless given)")
  List<String> listen = new ArrayList<>();

  @Option(names = "--passive", description = "only wait for the peers to connect (needs --listen)")
  boolean passive;

  @Option(
      names = "--announce",
      paramLabel = "FILE",
      description = "routes to announce to every peer, one per line (see above)")
  @Nullable Path announce;

  @Option(
      names = "--hold-time",
      paramLabel = "SECONDS",
      description = "the hold time offered: 0 or 3..65535 (default ${DEFAULT-VALUE})")
  int holdTime = 90;

  @Option(
      names = "--connect-retry",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "time between connection attempts (default 5s)")
  Duration connectRetry = Duration.ofSeconds(5);

  @Option(names = "--add-path", description = "offer ADD-PATH (RFC 7911) send and receive")
  boolean addPath;

  @Option(
      names = "--graceful-restart",
      paramLabel = "SECONDS",
      description =
          "advertise graceful restart (RFC 4724) with this restart time, 0..4095: peers that have it "
              + "send End-of-RIB, and a peer's restart keeps its routes (events restarting, "
              + "stale-routes-end)")
  int restartTime = -1;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "stop after this long (30s, 2m, 500ms; default: run until interrupted)")
  @Nullable Duration timeout;

  @Option(names = "--exit-after-eor", description = "stop once every peer has sent its End-of-RIB")
  boolean exitAfterEor;

  @Option(names = "--json", description = "print one JSON object per event and per route")
  boolean json;

  @Option(
      names = "--shutdown-message",
      paramLabel = "TEXT",
      description =
          "the message our Cease NOTIFICATION carries when we stop (RFC 9003; default: none)")
  @Nullable String shutdownMessage;

  @Option(names = "--verbose", description = "also log the speaker's session changes on stderr")
  boolean verbose;

  /** The speaker's logger, held so that the level set here stays set. */
  private static final java.util.logging.Logger SPEAKER_LOG =
      java.util.logging.Logger.getLogger(BgpSpeaker.class.getName());

  /** Parses {@code 30s}, {@code 2m}, {@code 1h}, {@code 500ms} or a number of seconds. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("(\\d{1,9})(ms|s|m|h)?").matcher(value);
      if (!m.matches()) {
        throw new picocli.CommandLine.TypeConversionException(
            "'" + value + "' is not a duration (30s, 2m, 1h, 500ms)");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofSeconds(n);
      };
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    IpAddress id;
    List<InetSocketAddress> remotes = new ArrayList<>();
    List<InetSocketAddress> listens = new ArrayList<>();
    @Nullable InetAddress local;
    try {
      id = IpAddress.parse(routerId);
      for (String p : peers) {
        remotes.add(endpoint(p, 179));
      }
      for (String l : listen) {
        listens.add(endpoint(l, 179));
      }
      local = localAddress == null ? null : endpoint(localAddress, 0).getAddress();
      if (passive && listens.isEmpty()) {
        throw new IllegalArgumentException(
            "--passive needs --listen: where would the peers connect?");
      }
      // checks AS, router id, hold time and retry before anything starts
      BgpSpeaker.builder(as, id);
      for (InetSocketAddress r : remotes) {
        peerConfig(r, local);
      }
    } catch (MalformedException | IllegalArgumentException e) {
      err.println("evpnkit bgp: " + e.getMessage());
      return 2;
    }
    Map<PathAttributes, List<EvpnRoute>> routes = new LinkedHashMap<>();
    int routeCount = 0;
    if (announce != null) {
      Path file = announce;
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (NoSuchFileException e) {
        err.println("evpnkit bgp: " + file + ": no such file");
        return 1;
      } catch (IOException e) {
        err.println("evpnkit bgp: " + file + ": " + e.getMessage());
        return 1;
      }
      try {
        for (AnnounceFile.Entry e : AnnounceFile.read(lines, id)) {
          routes.computeIfAbsent(e.attributes(), k -> new ArrayList<>()).add(e.route());
          routeCount++;
        }
      } catch (AnnounceFile.Malformed e) {
        err.println(
            "evpnkit bgp: " + file + ":" + e.line() + ":" + e.column() + ": " + e.getMessage());
        return 2;
      }
    }
    // what the speaker logs at INFO (session changes) the events already say
    SPEAKER_LOG.setLevel(verbose ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
    Monitor monitor = new Monitor(out, json, exitAfterEor, routes, routeCount, remotes.size());
    BgpSpeaker.Builder builder = BgpSpeaker.builder(as, id).listener(monitor);
    listens.forEach(builder::listen);
    BgpSpeaker speaker;
    try {
      speaker = builder.build();
    } catch (java.io.UncheckedIOException e) {
      IOException cause = e.getCause();
      err.println("evpnkit bgp: " + (cause == null ? e.getMessage() : cause.getMessage()));
      return 1;
    }
    Thread hook = new Thread(() -> monitor.stop(speaker, shutdownMessage), "evpnkit-bgp-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      for (InetSocketAddress r : remotes) {
        speaker.addPeer(peerConfig(r, local));
      }
      if (timeout != null) {
        monitor.done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        monitor.done.await();
      }
    } finally {
      monitor.stop(speaker, shutdownMessage);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is already shutting down: the hook runs stop() too
      }
    }
    out.flush();
    return monitor.failed() ? 1 : 0;
  }

  private PeerConfig peerConfig(InetSocketAddress remote, @Nullable InetAddress local) {
    PeerConfig.Builder b =
        PeerConfig.builder(remote, peerAs)
            .holdTime(holdTime)
            .connectRetry(connectRetry)
            .passive(passive)
            .addPath(addPath)
            .gracefulRestart(restartTime);
    if (local != null) {
      b.local(new InetSocketAddress(local, 0));
    }
    return b.build();
  }

  /**
   * Reads {@code ADDR}, {@code ADDR:PORT}, {@code [IPV6]:PORT} or a bare IPv6 address: literals
   * only, no name lookups.
   */
  static InetSocketAddress endpoint(String text, int defaultPort) {
    String host = text;
    int port = defaultPort;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("'" + text + "': missing ]");
      }
      host = text.substring(1, close);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) {
          throw new IllegalArgumentException("'" + text + "': expected [ADDR]:PORT");
        }
        port = port(text, rest.substring(1));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = port(text, text.substring(text.indexOf(':') + 1));
    }
    IpAddress.parse(host); // an address literal, never a name to look up
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
    }
  }

  private static int port(String text, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p >= 0 && p <= 0xFFFF) {
        return p;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException("'" + text + "': port " + port + " is not 0..65535");
  }

  /** Prints what the sessions report and decides when the command is done. */
  private static final class Monitor implements SessionListener {
    private final PrintWriter out;
    private final boolean json;
    private final Map<PathAttributes, List<EvpnRoute>> routes;
    private final int routeCount;
    private final int peerCount;
    private final Set<PeerSession> endOfRib = ConcurrentHashMap.newKeySet();
    private final Set<PeerSession> established = ConcurrentHashMap.newKeySet();
    private final Map<PeerSession, String> lastClosed = new ConcurrentHashMap<>();
    final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean failed;
    private volatile boolean stopping;
    private boolean stopped;
    private final boolean exitAfterEor;

    Monitor(
        PrintWriter out,
        boolean json,
        boolean exitAfterEor,
        Map<PathAttributes, List<EvpnRoute>> routes,
        int routeCount,
        int peerCount) {
      this.out = out;
      this.json = json;
      this.exitAfterEor = exitAfterEor;
      this.routes = routes;
      this.routeCount = routeCount;
      this.peerCount = peerCount;
    }

    boolean failed() {
      return failed || established.size() < peerCount;
    }

    synchronized void stop(BgpSpeaker speaker, @Nullable String message) {
      if (!stopped) {
        stopped = true;
        stopping = true;
        for (PeerSession p : speaker.peers()) {
          p.stop(message);
        }
        speaker.close();
        out.flush();
      }
    }

    private static String peer(PeerSession s) {
      return s.config().remote().getAddress().getHostAddress();
    }

    private void event(PeerSession s, String event, JsonWriter w, String text) {
      if (json) {
        out.println(w.end());
      } else {
        out.println(peer(s) + " " + event + (text.isEmpty() ? "" : " " + text));
      }
    }

    private JsonWriter begin(PeerSession s, String event) {
      return new JsonWriter().begin().field("event", event).field("peer", peer(s));
    }

    @Override
    public void established(PeerSession s) {
      established.add(s);
      lastClosed.remove(s);
      BgpOpen remote = java.util.Objects.requireNonNull(s.remoteOpen());
      String bgpId = IpAddress.ofIpv4(remote.bgpIdentifier()).toString();
      event(
          s,
          "established",
          begin(s, "established")
              .field("peerAs", remote.as())
              .field("bgpId", bgpId)
              .field("holdTime", s.holdTime())
              .field("addPath", s.receiveOptions().addPath())
              .field("extendedMessages", s.receiveOptions().extendedMessages()),
          "AS " + remote.as() + " id " + bgpId + " hold " + s.holdTime());
      routes.forEach(s::announce);
      s.sendEndOfRib();
      event(
          s,
          "announced",
          begin(s, "announced").field("routes", routeCount),
          routeCount + " routes, End-of-RIB");
    }

    @Override
    public void update(PeerSession s, UpdateDecoder decoder) {
      boolean vxlan = false;
      for (var c : decoder.attributes().extendedCommunities()) {
        vxlan |= c.toString().equals("encapsulation:vxlan");
      }
      boolean hasVxlan = vxlan;
      decoder.forEachRoute(
          (withdraw, pathId, nlri) -> {
            EvpnRoute r = EvpnRoutes.decode(nlri);
            if (json) {
              JsonWriter w =
                  begin(s, "route")
                      .field("action", withdraw ? "withdraw" : "announce")
                      .field("routeType", nlri.routeTypeCode());
              if (s.receiveOptions().addPath()) {
                w.field("pathId", pathId);
              }
              BgpDecoder.routeFields(w, r, nlri, hasVxlan);
              if (!withdraw) {
                BgpDecoder.attributes(w, decoder);
              }
              out.println(w.end());
            } else {
              out.println(
                  peer(s)
                      + (withdraw ? " - " : " + ")
                      + r
                      + (withdraw ? "" : " " + decoder.attributes()));
            }
          });
    }

    @Override
    public void restarting(PeerSession s, SessionDown why) {
      event(
          s,
          "restarting",
          begin(s, "restarting").field("reason", why.reason()),
          "restarting (graceful restart: routes kept stale): " + why.reason());
    }

    @Override
    public void staleRoutesEnd(PeerSession s, String reason) {
      event(
          s,
          "stale-routes-end",
          begin(s, "stale-routes-end").field("reason", reason),
          "stale routes end: " + reason);
    }

    @Override
    public void endOfRib(PeerSession s) {
      event(s, "end-of-rib", begin(s, "end-of-rib"), "");
      endOfRib.add(s);
      if (exitAfterEor && endOfRib.size() >= peerCount) {
        done.countDown();
      }
    }

    @Override
    public void down(PeerSession s, SessionDown why, boolean wasEstablished) {
      BgpNotification n = why.notification();
      if (n != null) {
        String message = n.shutdownMessage();
        JsonWriter w =
            begin(s, "notification")
                .field("direction", why.sentByUs() ? "sent" : "received")
                .field("code", n.code())
                .field("subcode", n.subcode());
        if (message != null) {
          w.field("shutdownMessage", message);
        }
        w.field("text", n.toString());
        event(
            s,
            "notification",
            w,
            (why.sentByUs() ? "sent " : "received ")
                + n
                + (message == null ? "" : " \"" + message + "\""));
      }
      if (!wasEstablished && n == null && why.reason().equals(lastClosed.put(s, why.reason()))) {
        return; // every retry failing the same way: said once
      }
      event(
          s,
          "closed",
          begin(s, "closed").field("reason", why.reason()).field("wasEstablished", wasEstablished),
          why.reason());
      endOfRib.remove(s);
      if (!stopping && (n != null || wasEstablished)) {
        failed = true;
      }
    }
  }
}
