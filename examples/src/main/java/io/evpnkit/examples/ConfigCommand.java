package io.evpnkit.examples;

import io.evpnkit.policy.ConfigException;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.InvalidConfigException;
import io.evpnkit.policy.PolicyOptions;
import io.evpnkit.policy.PolicyStatement;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.Term;
import io.evpnkit.policy.UninterpretedStatement;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code evpnkit config}: reads a Junos-style VTEP configuration, validates it and shows the model.
 */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Reads a Junos-style EVPN-VXLAN configuration (curly braces or set commands; - for standard "
            + "input), validates it and prints the model as 'show configuration' does, as set commands, or as JSON.",
    footer = {
      "",
      "Statements outside the hierarchies the model interprets (protocols bgp, system, ...) are kept and "
          + "printed back, and each is reported once on standard error as FILE:LINE:COLUMN: warning: not "
          + "interpreted: PATH (in --json, as a warnings array); --strict makes them errors.",
      "",
      "Exit status: 0 valid, 1 the file cannot be read, 2 invalid configuration (every problem is "
          + "printed as FILE:LINE:COLUMN: what, like a compiler), uninterpreted statements with --strict, or "
          + "usage error."
    })
final class ConfigCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the configuration file, or - for standard input")
  String file;

  @Option(names = "--json", description = "print the model as JSON")
  boolean json;

  @Option(names = "--set", description = "print set commands (show configuration | display set)")
  boolean set;

  @Option(
      names = "--strict",
      description = "refuse statements the model does not interpret (exit 2) instead of warning")
  boolean strict;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Loaded loaded = load(file, err);
    VtepConfig config = loaded.config();
    if (config == null) {
      return loaded.status();
    }
    List<UninterpretedStatement> ignored = warnings(file, config, strict, err);
    if (strict && !ignored.isEmpty()) {
      return 2;
    }
    if (json) {
      Map<String, Object> m = toMap(config);
      List<Object> warnings = new ArrayList<>();
      for (UninterpretedStatement u : ignored) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("line", u.line());
        w.put("column", u.column());
        w.put("path", u.hierarchy());
        w.put("message", "not interpreted: " + u.hierarchy());
        warnings.add(w);
      }
      m.put("warnings", warnings);
      out.print(Json.render(m) + "\n");
    } else {
      out.print(set ? config.toSetCommands() : config.format());
    }
    out.flush();
    return 0;
  }

  /**
   * Reports what the model does not interpret, once per {@link UninterpretedStatement#hierarchy()}
   * (a whole {@code protocols bgp group fabric} block is one warning), as FILE:LINE:COLUMN: warning
   * (or error, when {@code strict}); returns the statements reported, one per such path.
   */
  static List<UninterpretedStatement> warnings(
      String file, VtepConfig config, boolean strict, PrintWriter err) {
    Map<String, UninterpretedStatement> first = new LinkedHashMap<>();
    List<UninterpretedStatement> byPlace = new ArrayList<>(config.uninterpreted());
    byPlace.sort(
        java.util.Comparator.comparingInt(UninterpretedStatement::line)
            .thenComparingInt(UninterpretedStatement::column));
    for (UninterpretedStatement u : byPlace) {
      first.putIfAbsent(u.hierarchy(), u);
    }
    for (UninterpretedStatement u : first.values()) {
      err.println(
          file
              + ":"
              + u.line()
              + ":"
              + u.column()
              + ": "
              + (strict ? "error" : "warning")
              + ": not interpreted: "
              + u.hierarchy());
    }
    err.flush();
    return new ArrayList<>(first.values());
  }

  /** A configuration read, or the exit status of the failure (its problems printed). */
  record Loaded(@Nullable VtepConfig config, int status) {}

  /** Reads and validates a configuration, printing problems as FILE:LINE:COLUMN: what. */
  static Loaded load(String file, PrintWriter err) {
    String text = Inputs.readText("evpnkit", file, err);
    if (text == null) {
      return new Loaded(null, 1);
    }
    try {
      return new Loaded(VtepConfig.parse(text), 0);
    } catch (ConfigException e) {
      err.println(file + ":" + e.line() + ":" + e.column() + ": " + e.reason());
    } catch (InvalidConfigException e) {
      for (ConfigException p : e.problems()) {
        err.println(file + ":" + p.line() + ":" + p.column() + ": " + p.reason());
      }
    }
    err.flush();
    return new Loaded(null, 2);
  }

  static Map<String, Object> toMap(VtepConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("autonomousSystem", c.autonomousSystem() < 0 ? null : c.autonomousSystem());
    m.put("routerId", c.routerIdAddress().map(String::valueOf).orElse(null));
    List<Object> interfaces = new ArrayList<>();
    for (InterfaceConfig i : c.interfaces().values()) {
      Map<String, Object> im = new LinkedHashMap<>();
      im.put("name", i.name());
      im.put("esi", text(i.esi()));
      im.put("esiMode", i.esiMode());
      if (i.esi() != null) {
        im.put("dfElection", i.dfElection().algorithm().keyword());
        im.put("dfPreference", i.dfElection().preference());
      }
      im.put("lagParent", i.lagParent());
      im.put("lacpMode", i.lacpMode());
      im.put("lacpSystemId", text(i.lacpSystemId()));
      List<Object> units = new ArrayList<>();
      for (InterfaceConfig.Unit u : i.units().values()) {
        Map<String, Object> um = new LinkedHashMap<>();
        um.put("unit", u.number());
        um.put("interfaceMode", u.interfaceMode());
        um.put("vlanMembers", u.vlanMembers());
        List<Object> addresses = new ArrayList<>();
        for (InterfaceConfig.Address a : u.addresses()) {
          Map<String, Object> am = new LinkedHashMap<>();
          am.put("address", a.toString());
          am.put(
              "virtualGatewayAddresses",
              a.virtualGatewayAddresses().stream().map(String::valueOf).toList());
          addresses.add(am);
        }
        um.put("addresses", addresses);
        um.put("virtualGatewayV4Mac", text(u.virtualGatewayV4Mac()));
        um.put("virtualGatewayV6Mac", text(u.virtualGatewayV6Mac()));
        units.add(um);
      }
      im.put("units", units);
      interfaces.add(im);
    }
    m.put("interfaces", interfaces);
    List<Object> instances = new ArrayList<>();
    for (RoutingInstance r : c.instances().values()) {
      Map<String, Object> rm = new LinkedHashMap<>();
      rm.put("name", r.name());
      rm.put("type", r.type().keyword());
      rm.put("routeDistinguisher", text(r.routeDistinguisher()));
      rm.put("vtepSourceInterface", r.vtepSourceInterface());
      rm.put("serviceType", r.serviceType());
      rm.put("vrfImport", r.vrfImport());
      rm.put("vrfExport", r.vrfExport());
      rm.put("vrfTargets", r.vrfTargets().stream().map(String::valueOf).toList());
      rm.put("vrfTargetAuto", r.vrfTargetAuto());
      rm.put("autoDerivation", r.autoDerivation().name());
      if (!r.autoDerivation().frr()) {
        rm.put("autoType", r.autoDerivation().type().keyword());
        rm.put("autoDomainId", r.autoDerivation().domainId());
      }
      if (c.autonomousSystem() >= 0) {
        rm.put(
            "importTargets",
            r.importTargets(c.autonomousSystem()).stream().map(String::valueOf).toList());
      }
      rm.put("interfaces", r.interfaces());
      List<Object> vlans = new ArrayList<>();
      for (Vlan v : r.vlans().values()) {
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("name", v.name());
        vm.put("vlanId", v.vlanId() < 0 ? null : v.vlanId());
        vm.put("vni", v.vni() < 0 ? null : v.vni());
        vm.put("ingressNodeReplication", v.ingressNodeReplication());
        vm.put("l3Interface", v.l3Interface());
        vlans.add(vm);
      }
      rm.put("vlans", vlans);
      RoutingInstance.EvpnOptions e = r.evpn();
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("encapsulation", e.encapsulation());
      em.put("extendedVniList", r.extendedVniList());
      em.put("extendedVniAll", e.extendedVniAll());
      em.put("multicastMode", e.multicastMode());
      em.put("defaultGateway", e.defaultGateway());
      em.put("ipPrefixRoutesVni", e.ipPrefixRoutesVni() < 0 ? null : e.ipPrefixRoutesVni());
      em.put("ipPrefixRoutesAdvertise", e.ipPrefixRoutesAdvertise());
      rm.put("evpn", em);
      instances.add(rm);
    }
    m.put("instances", instances);
    PolicyOptions p = c.policyOptions();
    Map<String, Object> pm = new LinkedHashMap<>();
    Map<String, Object> communities = new LinkedHashMap<>();
    p.communities()
        .forEach(
            (n, d) ->
                communities.put(n, Map.of("members", d.members(), "invertMatch", d.invertMatch())));
    pm.put("communities", communities);
    Map<String, Object> prefixLists = new LinkedHashMap<>();
    p.prefixLists().forEach((n, l) -> prefixLists.put(n, l.stream().map(String::valueOf).toList()));
    pm.put("prefixLists", prefixLists);
    Map<String, Object> macLists = new LinkedHashMap<>();
    p.macLists().forEach((n, l) -> macLists.put(n, l.stream().map(String::valueOf).toList()));
    pm.put("macLists", macLists);
    Map<String, Object> policies = new LinkedHashMap<>();
    for (PolicyStatement s : p.policies().values()) {
      List<Object> terms = new ArrayList<>();
      for (Term t : s.terms()) {
        Map<String, Object> tm = new LinkedHashMap<>();
        tm.put("term", t.name());
        tm.put("from", t.from().stream().map(String::valueOf).toList());
        tm.put("then", t.then().stream().map(String::valueOf).toList());
        terms.add(tm);
      }
      policies.put(s.name(), terms);
    }
    pm.put("policies", policies);
    m.put("policyOptions", pm);
    return m;
  }

  /** {@code value}'s text form, or {@code null} (a JSON null) for none. */
  private static @Nullable String text(@Nullable Object value) {
    return value == null ? null : value.toString();
  }
}
