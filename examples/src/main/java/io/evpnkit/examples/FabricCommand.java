package io.evpnkit.examples;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.rib.ForwardingOp;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code evpnkit fabric}: an in-process EVPN-VXLAN fabric driven by a scenario. */
@Command(
    name = "fabric",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an in-process EVPN-VXLAN fabric: leaves, each a full evpnkit stack (Junos-style configuration -> RIB "
          + "-> reference forwarding table), and a route reflector, exchanging real BGP UPDATEs encoded and decoded "
          + "by evpn-codec. Without --scenario it plays the design deck's story: VM mobility with MAC mobility "
          + "sequence numbers, a bare-metal server on an all-active segment with aliasing, a link failure "
          + "converging by mass withdraw, and the anycast gateway on every leaf.",
      "",
      "Scenario format, one statement per line (# starts a comment):",
      "  leaf NAME VTEP-ADDRESS                 declare a leaf (before the first event)",
      "  segment NAME ESI LEAF... [single-active] [df mod|hrw|preference]",
      "                                         an Ethernet segment over LEAFs (one ae port each), all-active",
      "                                         unless said; DF election by modulo unless said (preference: the",
      "                                         leaves listed first are preferred)",
      "  host NAME MAC [IP] vni N at LEAF       attach a host to LEAF's xe-0/0/1.0 (learned there)",
      "  host NAME MAC [IP] vni N at SEGMENT via LEAF   attach a host behind a segment, learned by LEAF",
      "  move NAME LEAF                         the host moves to LEAF (VM mobility)",
      "  static NAME                            pin the host's MAC where it is (sticky)",
      "  fail SEGMENT LEAF | restore SEGMENT LEAF     LEAF's link to the segment fails / comes back",
      "  fail-leaf LEAF | restore-leaf LEAF     a leaf fails / comes back",
      "  tick DURATION                          advance the clock (3s, 200ms, 2m) and run timers",
      "  show LEAF|all [macs|routes|hosts|df|vrf]   print forwarding tables, routes, where hosts are, the DF,"
          + " or the IP-VRFs' route tables",
      "                                         of each VLAN of the leaf's segments",
      "  expect LEAF NAME local|remote L...|aliased L...|unknown   check a forwarding entry (exit 1 if wrong)",
      "  expect LEAF df SEGMENT VLAN DF-LEAF    check the DF the leaf elected for a VLAN of the segment"
    },
    footer = {
      "",
      "Exit status: 0 the scenario ran (and every expect held), 1 an expect failed, 2 the scenario is "
          + "invalid (FILE:LINE: what) or usage error."
    })
final class FabricCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      paramLabel = "FILE",
      description = "the scenario (default: the built-in story)")
  @Nullable Path scenario;

  @Option(
      names = "--json",
      description = "print each show, expectation and event as one JSON object per line")
  boolean json;

  @Option(names = "--trace", description = "print every route each leaf announces or withdraws")
  boolean trace;

  /** The design deck's story. */
  static final String STORY =
      """
      # The design deck's story: three leaves and a route reflector.
      leaf leaf1 10.0.0.11
      leaf leaf2 10.0.0.12
      leaf leaf3 10.0.0.13
      # a bare-metal server dual-homed all-active to leaf1 and leaf2
      segment bms-es 00:11:22:33:44:55:66:77:88:99 leaf1 leaf2
      host vm1 00:00:5e:00:53:01 10.1.0.11 vni 100 at leaf1
      host bms1 00:00:5e:00:53:02 10.1.0.12 vni 100 at bms-es via leaf1
      tick 3s
      show all hosts
      # after the election timer, leaf1 and leaf2 agree on the segment's designated forwarder of each VLAN
      expect leaf2 df bms-es 100 leaf1
      expect leaf1 df bms-es 101 leaf2
      expect leaf3 vm1 remote leaf1
      # leaf3 load-balances to bms1 over both leaves of the segment (aliasing); leaf2 uses its own link
      expect leaf3 bms1 aliased leaf1 leaf2
      expect leaf2 bms1 local
      # VM mobility: vm1 moves to leaf2 and is advertised with sequence 1; leaf1 withdraws
      move vm1 leaf2
      expect leaf1 vm1 remote leaf2
      expect leaf3 vm1 remote leaf2
      # and on to leaf3: sequence 2
      move vm1 leaf3
      expect leaf2 vm1 remote leaf3
      show leaf1 macs
      # leaf1's link to the segment fails: one group update moves every MAC behind it (mass withdraw)
      fail bms-es leaf1
      expect leaf3 bms1 aliased leaf2
      show leaf3 macs
      restore bms-es leaf1
      expect leaf3 bms1 aliased leaf1 leaf2
      # the anycast gateway: every leaf answers for 10.1.0.1 with the same virtual MAC, locally
      expect leaf1 gw local
      expect leaf3 gw local
      show leaf3 routes
      # symmetric IRB (RFC 9135): vm1, now at leaf3, is a host route in the IP-VRF T5 of the other
      # leaves, to leaf3 and its router MAC; bms1 to the leaf that learned it
      expect leaf1 route T5 10.1.0.11/32 leaf3
      expect leaf3 route T5 10.1.0.12/32 leaf1
      show leaf1 vrf
      """;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String name = scenario == null ? "story" : String.valueOf(scenario);
    String text =
        scenario == null ? STORY : Inputs.readText("evpnkit fabric", String.valueOf(scenario), err);
    if (text == null) {
      return 1; // cannot be read: an I/O failure, as for every command
    }
    Runner runner = new Runner(out, json, trace);
    try {
      int status = runner.run(text, name);
      out.flush();
      return status;
    } catch (ScenarioException e) {
      out.flush();
      err.println(name + ":" + e.line + ": " + e.getMessage());
      return 2;
    } finally {
      runner.fabric.close();
    }
  }

  /** A problem with a scenario line. */
  static final class ScenarioException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int line;

    ScenarioException(int line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** Runs scenario text on a fabric. */
  static final class Runner {
    final Fabric fabric;
    final PrintWriter out;
    final boolean json;
    boolean started;
    int failures;
    int eventsShown;

    Runner(PrintWriter out, boolean json, boolean trace) {
      this.out = out;
      this.json = json;
      this.fabric = new Fabric(trace && !json ? out::println : s -> {});
    }

    int run(String text, String name) {
      String[] lines = text.split("\n", -1);
      for (int i = 0; i < lines.length; i++) {
        String line = lines[i];
        int hash = line.indexOf('#');
        String stmt = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (stmt.isEmpty()) {
          continue;
        }
        try {
          step(List.of(stmt.split("\\s+", -1)), stmt);
        } catch (ScenarioException e) {
          throw new ScenarioException(i + 1, String.valueOf(e.getMessage()));
        } catch (IllegalArgumentException | IllegalStateException | MalformedException e) {
          throw new ScenarioException(i + 1, String.valueOf(e.getMessage()));
        }
        flushEvents();
      }
      if (!json) {
        out.printf(
            "%n%d BGP UPDATE messages (%d octets) exchanged through the route reflector%s%n",
            fabric.messages(),
            fabric.octets(),
            failures == 0 ? "" : "; " + failures + " expectation(s) failed");
      }
      return failures == 0 ? 0 : 1;
    }

    private void flushEvents() {
      List<String> ev = fabric.events;
      for (; eventsShown < ev.size(); eventsShown++) {
        if (json) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("event", ev.get(eventsShown));
          out.println(Json.line(m));
        } else {
          out.println("  event: " + ev.get(eventsShown));
        }
      }
    }

    private void ensureStarted() {
      if (!started) {
        if (fabric.leaves.isEmpty()) {
          throw new ScenarioException(0, "declare leaves first (leaf NAME VTEP-ADDRESS)");
        }
        fabric.start();
        started = true;
        fabric.hosts.put(
            "gw",
            new Fabric.Host(
                "gw",
                InterfaceConfig.Unit.DEFAULT_VIRTUAL_GATEWAY_V4_MAC,
                IpAddress.parse("10.1.0.1"),
                100));
      }
    }

    private static void need(List<String> w, int min, int max, String usage) {
      if (w.size() < min || w.size() > max) {
        throw new IllegalArgumentException("usage: " + usage);
      }
    }

    private Fabric.Host host(String name) {
      Fabric.Host h = fabric.hosts.get(name);
      if (h == null) {
        throw new IllegalArgumentException("no host " + name);
      }
      return h;
    }

    private void step(List<String> w, String stmt) {
      if (!json) {
        out.println("== " + stmt);
      }
      switch (w.get(0)) {
        case "leaf" -> {
          need(w, 3, 3, "leaf NAME VTEP-ADDRESS");
          if (started) {
            throw new IllegalArgumentException("leaves are declared before the first event");
          }
          fabric.addLeaf(w.get(1), IpAddress.parse(w.get(2)));
        }
        case "segment" -> {
          need(w, 4, 64, "segment NAME ESI LEAF... [single-active] [df mod|hrw|preference]");
          if (started) {
            throw new IllegalArgumentException("segments are declared before the first event");
          }
          io.evpnkit.evpn.EthernetSegmentIdentifier.parse(w.get(2));
          List<String> members = new ArrayList<>(w.subList(3, w.size()));
          boolean single = members.remove("single-active");
          String df = "mod";
          int dfAt = members.indexOf("df");
          if (dfAt >= 0) {
            if (dfAt + 1 >= members.size()
                || !List.of("mod", "hrw", "preference").contains(members.get(dfAt + 1))) {
              throw new IllegalArgumentException("df what: mod, hrw or preference");
            }
            df = members.get(dfAt + 1);
            members.subList(dfAt, dfAt + 2).clear();
          }
          if (members.isEmpty()) {
            throw new IllegalArgumentException("a segment needs leaves");
          }
          fabric.addSegment(w.get(1), w.get(2), members, single, df);
        }
        case "host" -> host(w);
        case "move" -> {
          need(w, 3, 3, "move HOST LEAF");
          ensureStarted();
          Fabric.Host h = host(w.get(1));
          Fabric.Leaf to = fabric.leaf(w.get(2));
          h.leaf = to.name;
          h.port = "xe-0/0/1.0";
          to.rib().macLearned(h.vni, h.mac, h.port, h.ip);
        }
        case "static" -> {
          need(w, 2, 2, "static HOST");
          ensureStarted();
          Fabric.Host h = host(w.get(1));
          fabric.leaf(h.leaf).rib().staticMac(h.vni, h.mac, h.port);
        }
        case "fail", "restore" -> {
          need(w, 3, 3, w.get(0) + " SEGMENT LEAF");
          ensureStarted();
          Fabric.Segment s = segment(w.get(1));
          String port = fabric.segmentPort(s, w.get(2));
          if (w.get(0).equals("fail")) {
            fabric.leaf(w.get(2)).rib().portDown(port);
          } else {
            fabric.leaf(w.get(2)).rib().portUp(port);
          }
        }
        case "fail-leaf" -> {
          need(w, 2, 2, "fail-leaf LEAF");
          ensureStarted();
          fabric.failLeaf(w.get(1));
        }
        case "restore-leaf" -> {
          need(w, 2, 2, "restore-leaf LEAF");
          ensureStarted();
          fabric.restoreLeaf(w.get(1));
        }
        case "tick" -> {
          need(w, 2, 2, "tick DURATION (3s, 200ms, 2m)");
          ensureStarted();
          fabric.clock.addAndGet(duration(w.get(1)).toNanos());
          fabric.leaves.values().forEach(l -> l.rib().tick());
        }
        case "show" -> {
          need(w, 2, 3, "show LEAF|all [macs|routes|hosts|df|vrf]");
          ensureStarted();
          String what = w.size() == 3 ? w.get(2) : "macs";
          if (!List.of("macs", "routes", "hosts", "df", "vrf").contains(what)) {
            throw new IllegalArgumentException("show what: macs, routes, hosts, df or vrf");
          }
          List<Fabric.Leaf> which =
              w.get(1).equals("all")
                  ? List.copyOf(fabric.leaves.values())
                  : List.of(fabric.leaf(w.get(1)));
          for (Fabric.Leaf l : which) {
            show(l, what, stmt);
          }
        }
        case "expect" -> {
          need(w, 4, 64, "expect LEAF HOST local|remote LEAF...|aliased LEAF...|unknown");
          ensureStarted();
          Fabric.Leaf l = fabric.leaf(w.get(1));
          String subject;
          String got;
          String want;
          if (w.get(2).equals("route")) {
            need(w, 6, 6, "expect LEAF route VRF PREFIX LEAF|local|none");
            subject = w.get(4) + " in " + w.get(3);
            ForwardingOp.SetRoute r =
                l.table.route(w.get(3), io.evpnkit.policy.IpPrefix.parse(w.get(4)));
            got = r == null ? "none" : fabric.leafName(r.nextHop());
            want = w.get(5);
          } else if (w.get(2).equals("df")) {
            need(w, 6, 6, "expect LEAF df SEGMENT VLAN DF-LEAF");
            Fabric.Segment s = segment(w.get(3));
            subject = "the DF of " + s.name() + " VLAN " + w.get(4);
            got = dfOf(l, s, Integer.parseInt(w.get(4)));
            want = w.get(5);
          } else {
            Fabric.Host h = host(w.get(2));
            subject = h.name;
            got = fabric.whereIs(l, h);
            want = String.join(" ", w.subList(3, w.size()));
          }
          boolean ok = want.equals("local") ? got.startsWith("local") : got.equals(want);
          if (!ok) {
            failures++;
          }
          if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("expect", stmt);
            m.put("ok", ok);
            m.put("got", got);
            out.println(Json.line(m));
          } else {
            out.println((ok ? "  ok: " : "  FAILED: ") + subject + " at " + l.name + " is " + got);
          }
        }
        default ->
            throw new IllegalArgumentException(
                "unknown statement \"" + w.get(0) + "\" (see --help)");
      }
    }

    private Fabric.Segment segment(String name) {
      Fabric.Segment s = fabric.segments.get(name);
      if (s == null) {
        throw new IllegalArgumentException("no segment " + name);
      }
      return s;
    }

    /**
     * The DF a leaf elected for a VLAN of a segment, as a leaf name, or "none" (before the
     * election).
     */
    private String dfOf(Fabric.Leaf l, Fabric.Segment s, int vlan) {
      IpAddress df =
          l.rib()
              .designatedForwarder(io.evpnkit.evpn.EthernetSegmentIdentifier.parse(s.esi()), vlan);
      return df == null ? "none" : fabric.leafName(df);
    }

    /**
     * The leaf's segments, each VLAN with its DF and the algorithm the segment's leaves agreed on.
     */
    private List<Map<String, Object>> dfRows(Fabric.Leaf l) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Fabric.Segment s : fabric.segments.values()) {
        if (!s.leaves().contains(l.name)) {
          continue;
        }
        io.evpnkit.policy.DfElection.Algorithm a =
            l.rib()
                .designatedForwarderAlgorithm(
                    io.evpnkit.evpn.EthernetSegmentIdentifier.parse(s.esi()));
        for (int vlan : List.of(100, 101)) {
          Map<String, Object> r = new LinkedHashMap<>();
          r.put("segment", s.name());
          r.put("algorithm", a == null ? "none" : a.keyword());
          r.put("vlan", vlan);
          r.put("df", dfOf(l, s, vlan));
          rows.add(r);
        }
      }
      return rows;
    }

    private void host(List<String> w) {
      // host NAME MAC [IP] vni N at LEAF | at SEGMENT via LEAF
      int at = w.indexOf("at");
      int vniAt = w.indexOf("vni");
      if (at < 0
          || vniAt < 0
          || vniAt + 1 >= w.size()
          || at + 1 >= w.size()
          || (vniAt != 3 && vniAt != 4)) {
        throw new IllegalArgumentException(
            "usage: host NAME MAC [IP] vni N at LEAF | at SEGMENT via LEAF");
      }
      ensureStarted();
      String name = w.get(1);
      if (fabric.hosts.containsKey(name)) {
        throw new IllegalArgumentException("host " + name + " already exists");
      }
      MacAddress mac = MacAddress.parse(w.get(2));
      IpAddress ip = vniAt == 4 ? IpAddress.parse(w.get(3)) : null;
      int vni = Integer.parseInt(w.get(vniAt + 1));
      Fabric.Host h = new Fabric.Host(name, mac, ip, vni);
      String where = w.get(at + 1);
      Fabric.Segment s = fabric.segments.get(where);
      if (s != null) {
        int via = w.indexOf("via");
        if (via < 0 || via + 1 >= w.size()) {
          throw new IllegalArgumentException("a host behind a segment needs: via LEAF");
        }
        h.leaf = fabric.leaf(w.get(via + 1)).name;
        h.port = fabric.segmentPort(s, h.leaf);
      } else {
        h.leaf = fabric.leaf(where).name;
        h.port = "xe-0/0/1.0";
      }
      fabric.hosts.put(name, h);
      fabric.leaf(h.leaf).rib().macLearned(vni, mac, h.port, ip);
    }

    /** The longest tick: time only moves forward, and a year is more than any timer of the RIB. */
    static final Duration LONGEST_TICK = Duration.ofDays(366);

    /**
     * Reads a tick's duration: a non-negative number with ms, s, m or h, at most {@link
     * #LONGEST_TICK} (the clock never turns back, and never overflows).
     */
    static Duration duration(String text) {
      Duration d;
      try {
        if (text.endsWith("ms")) {
          d = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        } else {
          long n = Long.parseLong(text.substring(0, text.length() - 1));
          d =
              switch (text.charAt(text.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default ->
                    throw new IllegalArgumentException("duration " + text + ": use ms, s, m or h");
              };
        }
      } catch (NumberFormatException | StringIndexOutOfBoundsException | ArithmeticException e) {
        throw new IllegalArgumentException(
            "duration " + text + ": use a number with ms, s, m or h (3s, 200ms, 2m)");
      }
      if (d.isNegative()) {
        throw new IllegalArgumentException("duration " + text + ": time only moves forward");
      }
      if (d.compareTo(LONGEST_TICK) > 0) {
        throw new IllegalArgumentException(
            "duration " + text + ": at most " + LONGEST_TICK.toDays() + " days a tick");
      }
      return d;
    }

    /** The IP-VRF routes a leaf's forwarding table holds, in VRF and prefix order. */
    private List<Map<String, Object>> vrfRows(Fabric.Leaf l) {
      java.util.TreeMap<String, Map<String, Object>> rows = new java.util.TreeMap<>();
      l.table
          .routes()
          .values()
          .forEach(
              r -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("vrf", r.vrf());
                m.put("prefix", r.prefix().toString());
                m.put("nextHop", r.nextHop().toString());
                m.put("leaf", fabric.leafName(r.nextHop()));
                m.put("vni", r.vni());
                m.put("routerMac", String.valueOf(r.routerMac()));
                rows.put(r.vrf() + " " + r.prefix(), m);
              });
      return new ArrayList<>(rows.values());
    }

    private void show(Fabric.Leaf l, String what, String stmt) {
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("show", stmt);
        m.put("leaf", l.name);
        m.put("vtep", l.vtep.toString());
        switch (what) {
          case "routes" -> m.put("routes", fabric.routeRows(l));
          case "hosts" -> m.put("hosts", hostRows(l));
          case "df" -> m.put("df", dfRows(l));
          case "vrf" -> m.put("vrf", vrfRows(l));
          default -> m.put("macs", fabric.macRows(l));
        }
        out.println(Json.line(m));
        return;
      }
      out.println("-- " + l.name + " (" + l.vtep + ")");
      switch (what) {
        case "routes" ->
            out.print("show route table default-switch.evpn.0\n" + l.rib().showRouteTable());
        case "vrf" -> {
          // as Junos's show route table VRF.inet.0: each IP-VRF's routes over EVPN
          java.util.Map<String, List<Map<String, Object>>> byVrf = new java.util.TreeMap<>();
          for (Map<String, Object> r : vrfRows(l)) {
            byVrf.computeIfAbsent(String.valueOf(r.get("vrf")), k -> new ArrayList<>()).add(r);
          }
          byVrf.forEach(
              (vrf, rows) -> {
                out.println("show route table " + vrf + ".inet.0");
                out.println(vrf + ".inet.0: " + rows.size() + " destinations");
                for (Map<String, Object> r : rows) {
                  out.printf(
                      "%-18s *[EVPN/170] to %s (%s) via vtep, VNI %s, router MAC %s%n",
                      r.get("prefix"),
                      r.get("nextHop"),
                      r.get("leaf"),
                      r.get("vni"),
                      r.get("routerMac"));
                }
              });
        }
        case "hosts" ->
            hostRows(l)
                .forEach(
                    r ->
                        out.printf(
                            "  %-8s %-18s %s%n", r.get("host"), r.get("mac"), r.get("where")));
        case "df" ->
            dfRows(l)
                .forEach(
                    r ->
                        out.printf(
                            "  %-10s %-10s VLAN %-5s DF %s%n",
                            r.get("segment"), r.get("algorithm"), r.get("vlan"), r.get("df")));
        default -> {
          out.print("show ethernet-switching table\n" + l.table.show());
          // as Junos's show ethernet-switching flood: per bridge domain, the remote VTEPs of
          // ingress replication
          out.println("\nshow ethernet-switching flood");
          out.printf("   %-10s %s%n", "VNI", "Ingress replication to");
          new java.util.TreeMap<>(l.table.floods())
              .forEach(
                  (vni, vteps) ->
                      out.printf(
                          "   %-10d %s%n",
                          vni,
                          String.join(
                              " ",
                              vteps.stream()
                                  .map(v -> fabric.leafName(v) + " (" + v + ")")
                                  .toList())));
        }
      }
    }

    private List<Map<String, Object>> hostRows(Fabric.Leaf l) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Fabric.Host h : fabric.hosts.values()) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("host", h.name);
        r.put("mac", h.mac.toString());
        r.put("where", fabric.whereIs(l, h));
        rows.add(r);
      }
      return rows;
    }
  }
}
