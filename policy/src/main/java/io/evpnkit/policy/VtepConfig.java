package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The EVPN-VXLAN part of a VTEP's Junos configuration, validated and immutable: {@code
 * routing-options autonomous-system}, {@code interfaces} (Ethernet segments, LAGs, switching units,
 * IRB addresses with {@code virtual-gateway-address}), the default switch ({@code vlans}, {@code
 * switch-options}, {@code protocols evpn}), {@code routing-instances} (mac-vrf, virtual-switch,
 * evpn, vrf with {@code ip-prefix-routes}) and {@code policy-options}. Other hierarchies ({@code
 * system}, {@code protocols bgp}, ...) are not part of the model: their statements are kept as
 * {@link #uninterpreted()}, rendered back, and left to the caller to report or refuse; unknown
 * statements inside the modelled hierarchies ({@link #INTERPRETED}) are errors, so that nothing is
 * silently lost.
 *
 * <p>{@link #from} reports every problem with its line and column (VLAN ids and VNIs out of range
 * or used twice, malformed RDs, targets, ESIs and addresses, undefined policies, communities,
 * prefix and MAC lists, VLANs and interfaces, conflicting options) and returns nothing partial.
 * {@link #format()} renders the model in the curly-brace hierarchy ({@code show configuration}); it
 * parses back to an equal model.
 *
 * @param autonomousSystem the AS of {@code routing-options autonomous-system}, or -1
 * @param interfaces the interfaces by name, in configuration order
 * @param instances the EVPN instances by name: {@value #DEFAULT_SWITCH} first, then the routing
 *     instances
 * @param policyOptions the policy options
 * @param routerId the BGP router id of {@code routing-options router-id} (an IPv4 address as an
 *     unsigned 32-bit number, RFC 6286), or -1: route distinguishers of type 1 are made from it
 *     (RFC 7432 §7.9), which a VTEP with an IPv6 address needs
 * @param uninterpreted the statements outside the hierarchies the model interprets ({@link
 *     #INTERPRETED}), in path order without repeats: kept and rendered back, for the caller to
 *     report or refuse
 * @since 0.1
 */
@Beta
public record VtepConfig(
    long autonomousSystem,
    Map<String, InterfaceConfig> interfaces,
    Map<String, RoutingInstance> instances,
    PolicyOptions policyOptions,
    long routerId,
    List<UninterpretedStatement> uninterpreted) {

  /**
   * The hierarchies the model interprets: a statement under one of these paths is read (and an
   * unknown keyword inside it is an error); any other statement is kept as an {@link
   * UninterpretedStatement}. {@code *} stands for a routing instance's name; under a routing
   * instance, {@code protocols} other than {@code evpn} is not interpreted.
   */
  public static final List<List<String>> INTERPRETED =
      List.of(
          List.of("routing-options", "autonomous-system"),
          List.of("routing-options", "router-id"),
          List.of("interfaces"),
          List.of("switch-options"),
          List.of("vlans"),
          List.of("protocols", "evpn"),
          List.of("policy-options"),
          List.of("routing-instances", "*"));

  /** Whether the model interprets a statement with these words ({@link #INTERPRETED}). */
  public static boolean interprets(List<String> words) {
    if (words.size() >= 3
        && words.get(0).equals("routing-instances")
        && words.get(2).equals("protocols")) {
      return words.size() >= 4 && words.get(3).equals("evpn");
    }
    for (List<String> prefix : INTERPRETED) {
      if (words.size() >= prefix.size()) {
        boolean match = true;
        for (int k = 0; k < prefix.size() && match; k++) {
          match = prefix.get(k).equals("*") || prefix.get(k).equals(words.get(k));
        }
        if (match) {
          return true;
        }
      }
    }
    return false;
  }

  /** What a routing instance (or {@code switch-options}) takes, as error messages list it. */
  private static final String INSTANCE_KEYWORDS =
      "instance-type, vtep-source-interface, service-type, route-distinguisher, vrf-target, vrf-import,"
          + " vrf-export, interface, vlans or protocols evpn";

  /** The model without uninterpreted statements. */
  public VtepConfig(
      long autonomousSystem,
      Map<String, InterfaceConfig> interfaces,
      Map<String, RoutingInstance> instances,
      PolicyOptions policyOptions,
      long routerId) {
    this(autonomousSystem, interfaces, instances, policyOptions, routerId, List.of());
  }

  /** Returns the router id as an address, if one is configured. */
  public java.util.Optional<IpAddress> routerIdAddress() {
    return routerId < 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(IpAddress.ofIpv4((int) routerId));
  }

  /** The name of the top-level switching instance. */
  public static final String DEFAULT_SWITCH = "default-switch";

  /** Copies the maps; keeps the uninterpreted statements in path order, once each. */
  public VtepConfig {
    uninterpreted = List.copyOf(new java.util.TreeSet<>(uninterpreted));
    interfaces = Collections.unmodifiableMap(new LinkedHashMap<>(interfaces));
    instances = Collections.unmodifiableMap(new LinkedHashMap<>(instances));
    if (!instances.containsKey(DEFAULT_SWITCH)) {
      throw new IllegalArgumentException("instances must hold " + DEFAULT_SWITCH);
    }
  }

  /**
   * Returns the top-level switching instance ({@code vlans}, {@code switch-options}, {@code
   * protocols evpn}).
   */
  public RoutingInstance defaultSwitch() {
    RoutingInstance d = instances.get(DEFAULT_SWITCH);
    if (d == null) {
      throw new IllegalStateException("no " + DEFAULT_SWITCH);
    }
    return d;
  }

  /**
   * Reads configuration text (curly braces or set commands) and validates it; see {@link
   * #from(JunosConfig)}.
   */
  public static VtepConfig parse(String text) {
    return from(JunosConfig.parse(text));
  }

  /**
   * Reads and validates the VTEP part of {@code config}.
   *
   * @throws InvalidConfigException listing every problem with its line and column
   */
  public static VtepConfig from(JunosConfig config) {
    return new Reader(config).read();
  }

  /** Returns the model as configuration statements, in canonical order. */
  public JunosConfig toJunosConfig() {
    List<List<String>> out = new ArrayList<>();
    if (routerId >= 0) {
      out.add(List.of("routing-options", "router-id", IpAddress.ofIpv4((int) routerId).toString()));
    }
    if (autonomousSystem >= 0) {
      out.add(List.of("routing-options", "autonomous-system", Long.toString(autonomousSystem)));
    }
    interfaces.values().forEach(i -> interfaceStatements(i, out));
    RoutingInstance d = defaultSwitch();
    instanceFields(d, List.of("switch-options"), out);
    vlanStatements(d, List.of("vlans"), out);
    evpnStatements(d, List.of("protocols", "evpn"), out);
    out.addAll(policyOptions.toStatements());
    for (RoutingInstance r : instances.values()) {
      if (r.type() == RoutingInstance.Type.DEFAULT_SWITCH) {
        continue;
      }
      List<String> base = List.of("routing-instances", r.name());
      out.add(cat(base, "instance-type", r.type().keyword()));
      instanceFields(r, base, out);
      r.interfaces().forEach(i -> out.add(cat(base, "interface", i)));
      vlanStatements(r, cat(base, "vlans"), out);
      evpnStatements(r, cat(base, "protocols", "evpn"), out);
    }
    uninterpreted.forEach(u -> out.add(u.path()));
    return JunosConfig.of(out);
  }

  /** Returns the model in the curly-brace hierarchy ({@code show configuration}). */
  public String format() {
    return toJunosConfig().format();
  }

  /** Returns the model as {@code set} commands ({@code show configuration | display set}). */
  public String toSetCommands() {
    return toJunosConfig().toSetCommands();
  }

  private static List<String> cat(List<String> base, String... more) {
    List<String> l = new ArrayList<>(base);
    l.addAll(List.of(more));
    return l;
  }

  private static void interfaceStatements(InterfaceConfig i, List<List<String>> out) {
    List<String> base = List.of("interfaces", i.name());
    int before = out.size();
    if (i.esi() != null) {
      out.add(cat(base, "esi", String.valueOf(i.esi())));
    }
    if (i.esiMode() != null) {
      out.add(cat(base, "esi", String.valueOf(i.esiMode())));
    }
    DfElection df = i.dfElection();
    if (df.algorithm().usesPreference()) {
      out.add(
          cat(
              base,
              "esi",
              "df-election-type",
              df.algorithm().keyword(),
              "value",
              Integer.toString(df.preference())));
      if (df.nonRevertive()) {
        out.add(cat(base, "esi", "df-election-type", df.algorithm().keyword(), "non-revertive"));
      }
    } else if (df.algorithm() != DfElection.Algorithm.MODULO) {
      out.add(cat(base, "esi", "df-election-type", df.algorithm().keyword()));
    }
    if (df.acInfluenced()) {
      out.add(cat(base, "esi", "ac-influenced-df"));
    }
    if (i.lagParent() != null) {
      out.add(cat(base, "ether-options", "802.3ad", String.valueOf(i.lagParent())));
    }
    if (i.lacpMode() != null) {
      out.add(cat(base, "aggregated-ether-options", "lacp", String.valueOf(i.lacpMode())));
    }
    if (i.lacpSystemId() != null) {
      out.add(
          cat(
              base,
              "aggregated-ether-options",
              "lacp",
              "system-id",
              String.valueOf(i.lacpSystemId())));
    }
    for (InterfaceConfig.Unit u : i.units().values()) {
      List<String> ub = cat(base, "unit", Integer.toString(u.number()));
      int unitStart = out.size();
      if (u.interfaceMode() != null) {
        out.add(
            cat(
                ub,
                "family",
                "ethernet-switching",
                "interface-mode",
                String.valueOf(u.interfaceMode())));
      }
      u.vlanMembers()
          .forEach(m -> out.add(cat(ub, "family", "ethernet-switching", "vlan", "members", m)));
      for (InterfaceConfig.Address a : u.addresses()) {
        List<String> ab =
            cat(ub, "family", a.address().isIpv6() ? "inet6" : "inet", "address", a.toString());
        if (a.virtualGatewayAddresses().isEmpty()) {
          out.add(ab);
        }
        a.virtualGatewayAddresses()
            .forEach(v -> out.add(cat(ab, "virtual-gateway-address", v.toString())));
      }
      if (out.size() == unitStart) {
        out.add(ub);
      }
    }
    if (out.size() == before) {
      out.add(base);
    }
  }

  private static void instanceFields(RoutingInstance r, List<String> base, List<List<String>> out) {
    if (r.vtepSourceInterface() != null) {
      out.add(cat(base, "vtep-source-interface", String.valueOf(r.vtepSourceInterface())));
    }
    if (r.serviceType() != null) {
      out.add(cat(base, "service-type", String.valueOf(r.serviceType())));
    }
    if (r.routeDistinguisher() != null) {
      out.add(cat(base, "route-distinguisher", String.valueOf(r.routeDistinguisher())));
    }
    r.vrfImport().forEach(p -> out.add(cat(base, "vrf-import", p)));
    r.vrfExport().forEach(p -> out.add(cat(base, "vrf-export", p)));
    r.vrfTargets().forEach(t -> out.add(cat(base, "vrf-target", t.toString())));
    if (r.vrfTargetAuto()) {
      out.add(cat(base, "vrf-target", "auto"));
    }
    RouteTargets.Derivation derivation = r.autoDerivation();
    if (derivation.type() != RouteTargets.Type.VXLAN) {
      out.add(cat(base, "vrf-target", "auto-derivation", "type", derivation.type().keyword()));
    }
    if (derivation.domainId() != 0) {
      out.add(
          cat(
              base,
              "vrf-target",
              "auto-derivation",
              "domain-id",
              Integer.toString(derivation.domainId())));
    }
    if (derivation.frr()) {
      out.add(cat(base, "vrf-target", "auto-derivation", "frr"));
    }
  }

  private static void vlanStatements(RoutingInstance r, List<String> base, List<List<String>> out) {
    for (Vlan v : r.vlans().values()) {
      List<String> vb = cat(base, v.name());
      int before = out.size();
      if (v.vlanId() > 0) {
        out.add(cat(vb, "vlan-id", Integer.toString(v.vlanId())));
      }
      if (v.l3Interface() != null) {
        out.add(cat(vb, "l3-interface", String.valueOf(v.l3Interface())));
      }
      if (v.vni() > 0) {
        out.add(cat(vb, "vxlan", "vni", Integer.toString(v.vni())));
      }
      if (v.ingressNodeReplication()) {
        out.add(cat(vb, "vxlan", "ingress-node-replication"));
      }
      if (out.size() == before) {
        out.add(vb);
      }
    }
  }

  private static void evpnStatements(RoutingInstance r, List<String> base, List<List<String>> out) {
    RoutingInstance.EvpnOptions e = r.evpn();
    if (e.encapsulation() != null) {
      out.add(cat(base, "encapsulation", String.valueOf(e.encapsulation())));
    }
    if (e.defaultGateway() != null) {
      out.add(cat(base, "default-gateway", String.valueOf(e.defaultGateway())));
    }
    if (e.multicastMode() != null) {
      out.add(cat(base, "multicast-mode", String.valueOf(e.multicastMode())));
    }
    if (e.extendedVniAll()) {
      out.add(cat(base, "extended-vni-list", "all"));
    }
    e.extendedVnis().forEach(v -> out.add(cat(base, "extended-vni-list", Integer.toString(v))));
    if (e.ipPrefixRoutesAdvertise() != null) {
      out.add(
          cat(base, "ip-prefix-routes", "advertise", String.valueOf(e.ipPrefixRoutesAdvertise())));
    }
    if (e.ipPrefixRoutesVni() > 0) {
      out.add(cat(base, "ip-prefix-routes", "encapsulation", "vxlan"));
      out.add(cat(base, "ip-prefix-routes", "vni", Integer.toString(e.ipPrefixRoutesVni())));
    }
  }

  /** One pass over the statements, collecting problems. */
  private static final class Reader {
    private final JunosConfig config;
    private final List<ConfigException> problems = new ArrayList<>();
    private final Map<Integer, String> vniOwners = new HashMap<>();

    Reader(JunosConfig config) {
      this.config = config;
    }

    private void problem(JunosConfig.Statement s, String reason) {
      problems.add(new ConfigException(reason, s.line(), s.column()));
    }

    private int number(String text, int min, long max, String what, JunosConfig.Statement s) {
      if (!text.isEmpty()
          && text.length() <= 10
          && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        long v = Long.parseLong(text);
        if (v >= min && v <= max) {
          return (int) v;
        }
      }
      problem(s, what + " " + text + ": expected a number in " + min + ".." + max);
      return -1;
    }

    private long readAs = -1; // the AS, once read: vrf-target auto needs a two-octet one

    VtepConfig read() {
      long as = -1;
      for (JunosConfig.Statement s : config.select("routing-options", "autonomous-system")) {
        List<String> w = s.words();
        if (w.size() >= 3) {
          as = number(w.get(2), 1, 0xFFFF_FFFFL, "autonomous-system", s) & 0xFFFF_FFFFL;
          if (as == 0xFFFF_FFFFL) {
            as = -1;
          }
        }
      }
      long routerId = -1;
      for (JunosConfig.Statement s : config.select("routing-options", "router-id")) {
        List<String> w = s.words();
        if (w.size() != 3) {
          problem(s, "router-id takes one IPv4 address");
          continue;
        }
        try {
          IpAddress id = IpAddress.parse(w.get(2));
          if (id.isIpv6() || id.ipv4() == 0) {
            problem(
                s,
                "router-id "
                    + w.get(2)
                    + ": expected a non-zero IPv4 address (a 4-octet BGP identifier, "
                    + "RFC 6286)");
          } else {
            routerId = id.ipv4() & 0xFFFF_FFFFL;
          }
        } catch (MalformedException e) {
          problem(s, "router-id " + w.get(2) + ": expected an IPv4 address");
        }
      }
      readAs = as;
      PolicyOptions policies = PolicyOptions.read(config, problems);
      Map<String, InterfaceConfig> interfaces = readInterfaces();
      Map<String, RoutingInstance> instances = new LinkedHashMap<>();
      Map<String, JunosConfig.Statement> firstMention = new HashMap<>();
      instances.put(
          DEFAULT_SWITCH,
          readInstance(
              DEFAULT_SWITCH,
              RoutingInstance.Type.DEFAULT_SWITCH,
              config.select("switch-options"),
              1,
              config.select("vlans"),
              1,
              config.select("protocols", "evpn"),
              2,
              policies,
              interfaces,
              firstMention));
      Map<String, List<JunosConfig.Statement>> byInstance = new LinkedHashMap<>();
      for (JunosConfig.Statement s : config.select("routing-instances")) {
        if (s.words().size() < 3) {
          problem(s, "routing instance needs statements");
          continue;
        }
        byInstance.computeIfAbsent(s.words().get(1), k -> new ArrayList<>()).add(s);
      }
      byInstance.forEach(
          (name, list) -> {
            List<JunosConfig.Statement> fields = new ArrayList<>();
            List<JunosConfig.Statement> vlans = new ArrayList<>();
            List<JunosConfig.Statement> evpn = new ArrayList<>();
            RoutingInstance.Type type = null;
            for (JunosConfig.Statement s : list) {
              List<String> w = s.words();
              if (w.get(2).equals("vlans")) {
                vlans.add(s);
              } else if (w.get(2).equals("protocols") && w.size() > 3 && w.get(3).equals("evpn")) {
                evpn.add(s);
              } else if (w.get(2).equals("instance-type") && w.size() == 4) {
                type =
                    switch (w.get(3)) {
                      case "mac-vrf" -> RoutingInstance.Type.MAC_VRF;
                      case "virtual-switch" -> RoutingInstance.Type.VIRTUAL_SWITCH;
                      case "evpn" -> RoutingInstance.Type.EVPN;
                      case "vrf" -> RoutingInstance.Type.VRF;
                      default -> {
                        problem(
                            s,
                            "instance-type "
                                + w.get(3)
                                + ": expected mac-vrf, virtual-switch, evpn or vrf");
                        yield null;
                      }
                    };
              } else if (!w.get(2)
                  .equals("protocols")) { // other protocols (bgp, ospf): kept as uninterpreted
                fields.add(s);
              }
            }
            if (type == null) {
              if (list.stream().noneMatch(s -> s.words().get(2).equals("instance-type"))) {
                problem(list.get(0), "routing instance " + name + " needs an instance-type");
              }
              return;
            }
            RoutingInstance r =
                readInstance(
                    name, type, fields, 2, vlans, 3, evpn, 4, policies, interfaces, firstMention);
            if (r.routeDistinguisher() == null) {
              problem(list.get(0), "routing instance " + name + " needs a route-distinguisher");
            }
            if (r.vrfTargets().isEmpty()
                && !r.vrfTargetAuto()
                && (r.vrfImport().isEmpty() || r.vrfExport().isEmpty())) {
              problem(
                  list.get(0),
                  "routing instance " + name + " needs vrf-target, or vrf-import and vrf-export");
            }
            instances.put(name, r);
          });
      checkMembers(interfaces, instances);
      InvalidConfigException.throwIfAny(problems);
      List<UninterpretedStatement> uninterpreted = new ArrayList<>();
      for (JunosConfig.Statement s : config.statements()) {
        if (!interprets(s.words())) {
          uninterpreted.add(new UninterpretedStatement(s.words(), s.line(), s.column()));
        }
      }
      return new VtepConfig(as, interfaces, instances, policies, routerId, uninterpreted);
    }

    private void checkMembers(
        Map<String, InterfaceConfig> interfaces, Map<String, RoutingInstance> instances) {
      java.util.Set<String> vlanNames = new java.util.HashSet<>();
      instances.values().forEach(r -> vlanNames.addAll(r.vlans().keySet()));
      for (JunosConfig.Statement s : config.select("interfaces")) {
        List<String> w = s.words();
        if (w.size() == 9 && w.get(6).equals("vlan") && w.get(7).equals("members")) {
          String m = w.get(8);
          boolean id =
              !m.isEmpty()
                  && m.chars().allMatch(c -> c >= '0' && c <= '9')
                  && m.length() <= 4
                  && Integer.parseInt(m) >= 1
                  && Integer.parseInt(m) <= 4094;
          if (!id && !vlanNames.contains(m)) {
            problem(s, "vlan members " + m + ": no such VLAN");
          }
          InterfaceConfig i = interfaces.get(w.get(1));
          String un = w.get(3);
          boolean digits =
              !un.isEmpty() && un.length() <= 9 && un.chars().allMatch(c -> c >= '0' && c <= '9');
          InterfaceConfig.Unit u =
              i == null || !digits ? null : i.units().get(Integer.parseInt(un));
          if (u != null
              && "access".equals(u.interfaceMode())
              && u.vlanMembers().size() > 1
              && !u.vlanMembers().get(0).equals(m)) {
            problem(
                s,
                "interface " + w.get(1) + "." + w.get(3) + ": an access port belongs to one VLAN");
          }
        }
      }
    }

    private Map<String, InterfaceConfig> readInterfaces() {
      Map<String, InterfaceBuilder> builders = new LinkedHashMap<>();
      Map<EthernetSegmentIdentifier, String> esiOwners = new HashMap<>();
      for (JunosConfig.Statement s : config.select("interfaces")) {
        List<String> w = s.words();
        if (w.size() < 2) {
          continue;
        }
        InterfaceBuilder b = builders.computeIfAbsent(w.get(1), InterfaceBuilder::new);
        if (b.first == null) {
          b.first = s;
        }
        int n = w.size();
        if (n == 2) {
          continue;
        }
        String k = w.get(2);
        if (k.equals("esi") && n == 4) {
          String v = w.get(3);
          if (v.equals("all-active") || v.equals("single-active")) {
            b.esiMode = v;
          } else if (v.equals("ac-influenced-df")) {
            b.acInfluenced = true;
          } else {
            try {
              EthernetSegmentIdentifier esi = EthernetSegmentIdentifier.parse(v);
              b.esi = esi;
              String other = esiOwners.putIfAbsent(esi, w.get(1));
              if (other != null && !other.equals(w.get(1)) && !esi.isZero()) {
                problem(s, "esi " + v + " is also interface " + other + "'s");
              }
            } catch (MalformedException e) {
              problem(s, "esi " + v + ": " + e.reason());
            }
          }
        } else if (k.equals("esi") && n >= 5 && w.get(3).equals("df-election-type")) {
          String type = w.get(4);
          if (n == 5 && type.equals("mod")) {
            b.dfElection = DfElection.MODULO;
          } else if (n == 5 && type.equals("hrw")) {
            b.dfElection = DfElection.hrw();
          } else if (n == 7
              && (type.equals("preference") || type.equals("lowest-preference"))
              && w.get(5).equals("value")) {
            int pref = number(w.get(6), 0, 65535, "DF preference", s);
            if (pref >= 0) {
              DfElection.Algorithm a =
                  type.equals("preference")
                      ? DfElection.Algorithm.PREFERENCE
                      : DfElection.Algorithm.LOWEST_PREFERENCE;
              b.dfElection =
                  new DfElection(
                      a, pref, b.dfElection.nonRevertive() && b.dfElection.algorithm() == a, false);
            }
          } else if (n == 6
              && (type.equals("preference") || type.equals("lowest-preference"))
              && w.get(5).equals("non-revertive")) {
            DfElection.Algorithm a =
                type.equals("preference")
                    ? DfElection.Algorithm.PREFERENCE
                    : DfElection.Algorithm.LOWEST_PREFERENCE;
            b.dfElection =
                new DfElection(
                    a,
                    b.dfElection.algorithm() == a
                        ? b.dfElection.preference()
                        : DfElection.DEFAULT_PREFERENCE,
                    true,
                    false);
          } else {
            problem(
                s,
                "expected df-election-type mod, hrw, preference value 0-65535, preference non-revertive, "
                    + "or lowest-preference with the same options");
          }
        } else if (k.equals("ether-options") && n == 5 && w.get(3).equals("802.3ad")) {
          b.lagParent = w.get(4);
        } else if (k.equals("aggregated-ether-options") && n >= 5 && w.get(3).equals("lacp")) {
          if (n == 5 && (w.get(4).equals("active") || w.get(4).equals("passive"))) {
            b.lacpMode = w.get(4);
          } else if (n == 6 && w.get(4).equals("system-id")) {
            try {
              b.lacpSystemId = MacAddress.parse(w.get(5));
            } catch (MalformedException e) {
              problem(s, "lacp system-id " + w.get(5) + ": " + e.reason());
            }
          } else {
            problem(s, "expected lacp active, passive or system-id MAC");
          }
        } else if (k.equals("unit") && n >= 4) {
          int unit = number(w.get(3), 0, 1_073_741_823, "unit", s);
          if (unit < 0) {
            continue;
          }
          UnitBuilder u = b.units.computeIfAbsent(unit, UnitBuilder::new);
          readUnit(u, w, s);
        } else if (!k.equals("description")
            && !k.equals("mtu")) { // descriptive ones are not modelled
          problem(
              s,
              "unsupported interface statement \""
                  + String.join(" ", w.subList(2, n))
                  + "\": expected esi, ether-options 802.3ad, aggregated-ether-options lacp, unit,"
                  + " description or mtu");
        }
      }
      Map<String, InterfaceConfig> out = new LinkedHashMap<>();
      builders.forEach(
          (name, b) -> {
            if (b.esiMode != null && b.esi == null && b.first != null) {
              problem(
                  b.first, "interface " + name + ": esi " + b.esiMode + " without an ESI value");
            }
            Map<Integer, InterfaceConfig.Unit> units = new LinkedHashMap<>();
            b.units.forEach(
                (n, u) ->
                    units.put(
                        n,
                        new InterfaceConfig.Unit(
                            n,
                            u.mode,
                            u.members,
                            u.addresses.entrySet().stream()
                                .map(
                                    e ->
                                        new InterfaceConfig.Address(
                                            e.getKey().address(),
                                            e.getKey().prefixLength(),
                                            e.getValue()))
                                .toList())));
            DfElection df = b.acInfluenced ? b.dfElection.withAcInfluence() : b.dfElection;
            out.put(
                name,
                new InterfaceConfig(
                    name, b.esi, b.esiMode, df, b.lagParent, b.lacpMode, b.lacpSystemId, units));
          });
      return out;
    }

    private void readUnit(UnitBuilder u, List<String> w, JunosConfig.Statement s) {
      int n = w.size();
      if (n == 4 || w.get(4).equals("description")) {
        return;
      }
      if (n >= 7 && w.get(4).equals("family") && w.get(5).equals("ethernet-switching")) {
        if (n == 8 && w.get(6).equals("interface-mode")) {
          if (!w.get(7).equals("trunk") && !w.get(7).equals("access")) {
            problem(s, "interface-mode " + w.get(7) + ": expected trunk or access");
          }
          u.mode = w.get(7);
          return;
        }
        if (n == 9 && w.get(6).equals("vlan") && w.get(7).equals("members")) {
          u.members.add(w.get(8));
          return;
        }
      }
      if (n >= 8
          && w.get(4).equals("family")
          && (w.get(5).equals("inet") || w.get(5).equals("inet6"))
          && w.get(6).equals("address")) {
        String text = w.get(7);
        int slash = text.indexOf('/');
        try {
          IpAddress a = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
          int max = a.isIpv6() ? 128 : 32;
          int len = slash < 0 ? max : number(text.substring(slash + 1), 0, max, "prefix length", s);
          if (a.isIpv6() != w.get(5).equals("inet6")) {
            problem(s, "address " + text + " is not a family " + w.get(5) + " address");
            return;
          }
          List<IpAddress> vgas =
              u.addresses.computeIfAbsent(
                  new AddressKey(a, Math.max(len, 0)), k -> new ArrayList<>());
          if (n == 10 && w.get(8).equals("virtual-gateway-address")) {
            IpAddress v = IpAddress.parse(w.get(9));
            if (v.isIpv6() != a.isIpv6()) {
              problem(s, "virtual-gateway-address " + w.get(9) + " is not of the address's family");
            } else {
              vgas.add(v);
            }
          } else if (n != 8) {
            problem(
                s, "unsupported address statement \"" + String.join(" ", w.subList(8, n)) + "\"");
          }
        } catch (MalformedException e) {
          problem(s, "address " + text + ": " + e.reason());
        }
        return;
      }
      problem(
          s,
          "unsupported unit statement \""
              + String.join(" ", w.subList(4, n))
              + "\": expected family ethernet-switching (interface-mode, vlan members), family inet or"
              + " inet6 address (virtual-gateway-address), esi, or description");
    }

    private record AddressKey(IpAddress address, int prefixLength) {}

    private static final class InterfaceBuilder {
      final String name;
      JunosConfig.@Nullable Statement first;
      @Nullable EthernetSegmentIdentifier esi;
      @Nullable String esiMode;
      DfElection dfElection = DfElection.MODULO;
      boolean acInfluenced;
      @Nullable String lagParent;
      @Nullable String lacpMode;
      @Nullable MacAddress lacpSystemId;
      final Map<Integer, UnitBuilder> units = new LinkedHashMap<>();

      InterfaceBuilder(String name) {
        this.name = name;
      }

      @Override
      public String toString() {
        return name;
      }
    }

    private static final class UnitBuilder {
      final int number;
      @Nullable String mode;
      final List<String> members = new ArrayList<>();
      final Map<AddressKey, List<IpAddress>> addresses = new LinkedHashMap<>();

      UnitBuilder(int number) {
        this.number = number;
      }

      @Override
      public String toString() {
        return "unit " + number;
      }
    }

    private RoutingInstance readInstance(
        String name,
        RoutingInstance.Type type,
        List<JunosConfig.Statement> fields,
        int fo,
        List<JunosConfig.Statement> vlanStatements,
        int vo,
        List<JunosConfig.Statement> evpnStatements,
        int eo,
        PolicyOptions policies,
        Map<String, InterfaceConfig> interfaces,
        Map<String, JunosConfig.Statement> firstMention) {
      String source = null;
      String serviceType = null;
      RouteDistinguisher rd = null;
      List<String> imports = new ArrayList<>();
      List<String> exports = new ArrayList<>();
      List<ExtendedCommunity> targets = new ArrayList<>();
      JunosConfig.Statement autoAt = null; // the vrf-target auto statement, if any
      RouteTargets.Derivation derivation = RouteTargets.Derivation.RFC8365;
      JunosConfig.Statement frrAt = null; // vrf-target auto-derivation frr, if given
      List<String> units = new ArrayList<>();
      for (JunosConfig.Statement s : fields) {
        List<String> w = s.words();
        if (w.size() == fo + 3
            && w.get(fo).equals("vrf-target")
            && w.get(fo + 1).equals("auto-derivation")) {
          switch (w.get(fo + 2)) {
            case "rfc8365" -> frrAt = null;
            case "frr" -> frrAt = s;
            default ->
                problem(
                    s, "vrf-target auto-derivation " + w.get(fo + 2) + ": expected rfc8365 or frr");
          }
          continue;
        }
        if (w.size() == fo + 4
            && w.get(fo).equals("vrf-target")
            && w.get(fo + 1).equals("auto-derivation")
            && w.get(fo + 2).equals("type")) {
          RouteTargets.Type t = RouteTargets.Type.ofKeyword(w.get(fo + 3));
          if (t == null) {
            problem(
                s,
                "vrf-target auto-derivation type "
                    + w.get(fo + 3)
                    + ": expected vid, vxlan, nvgre, i-sid, evi or dual-vid (RFC 8365 §5.1.2.1)");
          } else {
            derivation = derivation.withType(t);
          }
          continue;
        }
        if (w.size() == fo + 4
            && w.get(fo).equals("vrf-target")
            && w.get(fo + 1).equals("auto-derivation")
            && w.get(fo + 2).equals("domain-id")) {
          int id = number(w.get(fo + 3), 0, 15, "D-ID", s);
          if (id >= 0) {
            derivation = derivation.withDomainId(id);
          }
          continue;
        }
        if (w.size() != fo + 2) {
          problem(
              s,
              "unsupported statement \""
                  + String.join(" ", w.subList(Math.min(fo, w.size()), w.size()))
                  + "\": expected "
                  + INSTANCE_KEYWORDS);
          continue;
        }
        String v = w.get(fo + 1);
        switch (w.get(fo)) {
          case "vtep-source-interface" -> source = v;
          case "service-type" -> {
            if (!List.of("vlan-based", "vlan-aware", "vlan-bundle").contains(v)) {
              problem(s, "service-type " + v + ": expected vlan-based, vlan-aware or vlan-bundle");
            }
            serviceType = v;
          }
          case "route-distinguisher" -> {
            try {
              rd = RouteDistinguisher.parse(v);
            } catch (MalformedException e) {
              problem(s, "route-distinguisher: " + e.reason());
            }
          }
          case "vrf-import", "vrf-export" -> {
            (w.get(fo).equals("vrf-import") ? imports : exports).add(v);
            if (!policies.policies().containsKey(v)) {
              problem(s, w.get(fo) + " " + v + ": no such policy-statement");
            }
          }
          case "vrf-target" -> {
            if (v.equals("auto")) {
              autoAt = s;
            } else {
              try {
                ExtendedCommunity t = ExtendedCommunity.parse(v);
                if ((t.value() >>> 48 & 0xFF) != 0x02) {
                  problem(s, "vrf-target " + v + ": not a route target");
                }
                targets.add(t);
              } catch (MalformedException e) {
                problem(s, "vrf-target: " + e.reason());
              }
            }
          }
          case "interface" -> {
            if (type == RoutingInstance.Type.DEFAULT_SWITCH) {
              problem(s, "unsupported statement \"interface\"");
              continue;
            }
            units.add(v);
            checkUnit(v, s, interfaces);
            JunosConfig.Statement other = firstMention.putIfAbsent("interface " + v, s);
            if (other != null) {
              problem(
                  s,
                  "interface "
                      + v
                      + " is already in another routing instance (line "
                      + other.line()
                      + ")");
            }
          }
          default ->
              problem(
                  s, "unsupported statement \"" + w.get(fo) + "\": expected " + INSTANCE_KEYWORDS);
        }
      }
      Map<String, Vlan> vlans = readVlans(name, vlanStatements, vo, interfaces);
      RoutingInstance.EvpnOptions evpn = readEvpn(name, evpnStatements, eo, vlans, type);
      if (frrAt != null) {
        if (!derivation.equals(RouteTargets.Derivation.RFC8365)) {
          problem(
              frrAt,
              "vrf-target auto-derivation frr has no type or domain-id (those are RFC 8365's fields)");
        } else {
          derivation = RouteTargets.Derivation.FRR;
        }
      }
      if (autoAt != null && !derivation.frr() && readAs > 0xFFFF) {
        problem(
            autoAt,
            "vrf-target auto with the four-octet AS "
                + readAs
                + ": RFC 8365 §5.1.2.1 derives route "
                + "targets from a two-octet AS; configure the targets (vrf-target target:...) instead");
      }
      return new RoutingInstance(
          name,
          type,
          rd,
          source,
          serviceType,
          imports,
          exports,
          targets,
          autoAt != null,
          derivation,
          vlans,
          units,
          evpn);
    }

    private void checkUnit(
        String unit, JunosConfig.Statement s, Map<String, InterfaceConfig> interfaces) {
      int dot = unit.lastIndexOf('.');
      InterfaceConfig i = interfaces.get(dot < 0 ? unit : unit.substring(0, dot));
      boolean ok = false;
      if (i != null && dot > 0) {
        String n = unit.substring(dot + 1);
        ok =
            !n.isEmpty()
                && n.length() <= 9
                && n.chars().allMatch(c -> c >= '0' && c <= '9')
                && i.units().containsKey(Integer.parseInt(n));
      }
      if (!ok) {
        problem(s, "interface " + unit + ": no such interface unit");
      }
    }

    private Map<String, Vlan> readVlans(
        String instance,
        List<JunosConfig.Statement> statements,
        int o,
        Map<String, InterfaceConfig> interfaces) {
      Map<String, int[]> fields = new LinkedHashMap<>(); // vlan id, vni, ingress replication
      Map<String, String> l3 = new HashMap<>();
      Map<Integer, String> byVlanId = new HashMap<>();
      for (JunosConfig.Statement s : statements) {
        List<String> w = s.words();
        if (w.size() <= o) {
          continue;
        }
        String name = w.get(o);
        int[] f = fields.computeIfAbsent(name, k -> new int[] {-1, -1, 0});
        List<String> rest = w.subList(o + 1, w.size());
        if (rest.isEmpty() || rest.get(0).equals("description")) {
          continue;
        }
        if (rest.size() == 2 && rest.get(0).equals("vlan-id")) {
          f[0] = number(rest.get(1), 1, 4094, "vlan-id", s);
          String other = f[0] > 0 ? byVlanId.putIfAbsent(f[0], name) : null;
          if (other != null && !other.equals(name)) {
            problem(s, "vlan-id " + f[0] + " is also VLAN " + other + "'s");
          }
        } else if (rest.size() == 3 && rest.get(0).equals("vxlan") && rest.get(1).equals("vni")) {
          f[1] = number(rest.get(2), 1, 0xFF_FFFF, "vni", s);
          claimVni(f[1], instance + " VLAN " + name, s);
        } else if (rest.size() == 2
            && rest.get(0).equals("vxlan")
            && rest.get(1).equals("ingress-node-replication")) {
          f[2] = 1;
        } else if (rest.size() == 2 && rest.get(0).equals("l3-interface")) {
          l3.put(name, rest.get(1));
          checkUnit(rest.get(1), s, interfaces);
        } else {
          problem(
              s,
              "unsupported VLAN statement \""
                  + String.join(" ", rest)
                  + "\": expected vlan-id, vxlan vni, vxlan ingress-node-replication, l3-interface or"
                  + " description");
        }
      }
      Map<String, Vlan> vlans = new LinkedHashMap<>();
      fields.forEach(
          (name, f) -> vlans.put(name, new Vlan(name, f[0], f[1], f[2] == 1, l3.get(name))));
      return vlans;
    }

    private void claimVni(int vni, String owner, JunosConfig.Statement s) {
      if (vni <= 0) {
        return;
      }
      String other = vniOwners.putIfAbsent(vni, owner);
      if (other != null && !other.equals(owner)) {
        problem(s, "vni " + vni + " is also " + other + "'s");
      }
    }

    private RoutingInstance.EvpnOptions readEvpn(
        String instance,
        List<JunosConfig.Statement> statements,
        int o,
        Map<String, Vlan> vlans,
        RoutingInstance.Type type) {
      String encapsulation = null;
      String multicast = null;
      String gateway = null;
      String advertise = null;
      int prefixVni = -1;
      List<Integer> vnis = new ArrayList<>();
      JunosConfig.Statement all = null;
      JunosConfig.Statement explicit = null;
      java.util.Set<Integer> vlanVnis = new java.util.HashSet<>();
      vlans.values().forEach(v -> vlanVnis.add(v.vni()));
      for (JunosConfig.Statement s : statements) {
        List<String> w = s.words();
        if (w.size() <= o) {
          continue;
        }
        List<String> rest = w.subList(o, w.size());
        String k = rest.get(0);
        String v = rest.size() > 1 ? rest.get(rest.size() - 1) : "";
        if (rest.size() == 2 && k.equals("encapsulation")) {
          if (!v.equals("vxlan") && !v.equals("mpls")) {
            problem(s, "encapsulation " + v + ": expected vxlan or mpls");
          }
          encapsulation = v;
        } else if (rest.size() == 2 && k.equals("extended-vni-list")) {
          if (v.equals("all")) {
            all = s;
          } else {
            explicit = s;
            int vni = number(v, 1, 0xFF_FFFF, "extended-vni-list", s);
            if (vni > 0) {
              vnis.add(vni);
              if (!vlanVnis.contains(vni)) {
                problem(s, "extended-vni-list " + vni + ": no VLAN has this VNI");
              }
            }
          }
        } else if (rest.size() == 2 && k.equals("multicast-mode")) {
          if (!v.equals("ingress-replication")) {
            problem(s, "multicast-mode " + v + ": expected ingress-replication");
          }
          multicast = v;
        } else if (rest.size() == 2 && k.equals("default-gateway")) {
          if (!List.of("advertise", "no-gateway-community", "do-not-advertise").contains(v)) {
            problem(
                s,
                "default-gateway "
                    + v
                    + ": expected advertise, no-gateway-community or do-not-advertise");
          }
          gateway = v;
        } else if (rest.size() == 3 && k.equals("ip-prefix-routes")) {
          switch (rest.get(1)) {
            case "vni" -> {
              prefixVni = number(v, 1, 0xFF_FFFF, "ip-prefix-routes vni", s);
              claimVni(prefixVni, instance + " ip-prefix-routes", s);
            }
            case "advertise" -> {
              if (!v.equals("direct-nexthop") && !v.equals("gateway-address")) {
                problem(
                    s,
                    "ip-prefix-routes advertise "
                        + v
                        + ": expected direct-nexthop or gateway-address");
              }
              advertise = v;
            }
            case "encapsulation" -> {
              if (!v.equals("vxlan")) {
                problem(s, "ip-prefix-routes encapsulation " + v + ": evpnkit models vxlan");
              }
            }
            default ->
                problem(
                    s,
                    "unsupported ip-prefix-routes statement \""
                        + rest.get(1)
                        + "\": expected advertise, encapsulation or vni");
          }
        } else {
          problem(
              s,
              "unsupported evpn statement \""
                  + String.join(" ", rest)
                  + "\": expected encapsulation, extended-vni-list, multicast-mode, default-gateway or"
                  + " ip-prefix-routes");
        }
      }
      if (all != null && explicit != null) {
        problem(explicit, "extended-vni-list: all and a list of VNIs conflict");
      }
      if (advertise != null && prefixVni < 0 && !statements.isEmpty()) {
        problem(statements.get(statements.size() - 1), "ip-prefix-routes needs a vni");
      }
      if (prefixVni > 0 && type != RoutingInstance.Type.VRF && !statements.isEmpty()) {
        problem(statements.get(0), "ip-prefix-routes belongs in a routing instance of type vrf");
      }
      if ("mpls".equals(encapsulation)
          && vlanVnis.stream().anyMatch(x -> x > 0)
          && !statements.isEmpty()) {
        problem(statements.get(0), "encapsulation mpls conflicts with VLANs that have VXLAN VNIs");
      }
      return new RoutingInstance.EvpnOptions(
          encapsulation, vnis, all != null, multicast, gateway, prefixVni, advertise);
    }
  }
}
