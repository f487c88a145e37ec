package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.JunosSchema.Field;
import io.evpnkit.policy.JunosSchema.Match;
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
 * @param bgpGroups the {@code protocols bgp} groups, in configuration order (since 0.2)
 * @since 0.1
 */
@Beta
public record VtepConfig(
    long autonomousSystem,
    Map<String, InterfaceConfig> interfaces,
    Map<String, RoutingInstance> instances,
    PolicyOptions policyOptions,
    long routerId,
    List<UninterpretedStatement> uninterpreted,
    List<BgpGroup> bgpGroups) {

  /**
   * The hierarchies the model interprets: a statement under one of these paths is read (and an
   * unknown keyword inside it is an error); any other statement is kept as an {@link
   * UninterpretedStatement}. {@code *} stands for a routing instance's name; under a routing
   * instance, {@code protocols} other than {@code evpn} is not interpreted.
   */
  public static final List<List<String>> INTERPRETED = JunosSchema.interpretedPaths();

  /**
   * Whether the model interprets a statement with these words ({@link #INTERPRETED}; an interface's
   * or a VLAN's {@code description} and an interface's {@code mtu} are kept, not interpreted).
   */
  public static boolean interprets(List<String> words) {
    return JunosSchema.interprets(words);
  }

  /** The model without uninterpreted statements. */
  public VtepConfig(
      long autonomousSystem,
      Map<String, InterfaceConfig> interfaces,
      Map<String, RoutingInstance> instances,
      PolicyOptions policyOptions,
      long routerId) {
    this(autonomousSystem, interfaces, instances, policyOptions, routerId, List.of(), List.of());
  }

  /** The model without BGP groups. */
  public VtepConfig(
      long autonomousSystem,
      Map<String, InterfaceConfig> interfaces,
      Map<String, RoutingInstance> instances,
      PolicyOptions policyOptions,
      long routerId,
      List<UninterpretedStatement> uninterpreted) {
    this(
        autonomousSystem, interfaces, instances, policyOptions, routerId, uninterpreted, List.of());
  }

  /** Returns the router id as an address, if one is configured. */
  public java.util.Optional<IpAddress> routerIdAddress() {
    return routerId < 0
        ? java.util.Optional.empty()
        : java.util.Optional.of(IpAddress.ofIpv4((int) routerId));
  }

  /**
   * Returns the logical unit a name such as {@code irb.100} or {@code xe-0/0/1.0} (interface, dot,
   * unit number) stands for, if it is configured.
   */
  public java.util.Optional<InterfaceConfig.Unit> unit(String name) {
    int dot = name.lastIndexOf('.');
    InterfaceConfig ifd = dot < 0 ? null : interfaces.get(name.substring(0, dot));
    if (ifd == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.ofNullable(
          ifd.units().get(Integer.parseInt(name.substring(dot + 1))));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** The name of the top-level switching instance. */
  public static final String DEFAULT_SWITCH = "default-switch";

  /** Copies the maps; keeps the uninterpreted statements in path order, once each. */
  public VtepConfig {
    uninterpreted = List.copyOf(new java.util.TreeSet<>(uninterpreted));
    bgpGroups = List.copyOf(bgpGroups);
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
    bgpGroups.forEach(g -> bgpStatements(g, out));
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
      if (u.virtualGatewayV4Mac() != null) {
        out.add(cat(ub, "virtual-gateway-v4-mac", String.valueOf(u.virtualGatewayV4Mac())));
      }
      if (u.virtualGatewayV6Mac() != null) {
        out.add(cat(ub, "virtual-gateway-v6-mac", String.valueOf(u.virtualGatewayV6Mac())));
      }
      if (out.size() == unitStart) {
        out.add(ub);
      }
    }
    if (out.size() == before) {
      out.add(base);
    }
  }

  private static void bgpStatements(BgpGroup g, List<List<String>> out) {
    List<String> base = List.of("protocols", "bgp", "group", g.name());
    int before = out.size();
    out.add(cat(base, "type", g.type().keyword()));
    if (g.localAddress() != null) {
      out.add(cat(base, "local-address", String.valueOf(g.localAddress())));
    }
    if (g.localAs() > 0) {
      out.add(cat(base, "local-as", Long.toString(g.localAs())));
    }
    if (g.peerAs() > 0) {
      out.add(cat(base, "peer-as", Long.toString(g.peerAs())));
    }
    if (g.evpn()) {
      out.add(cat(base, "family", "evpn", "signaling"));
    }
    if (g.cluster() != null) {
      out.add(cat(base, "cluster", String.valueOf(g.cluster())));
    }
    if (g.authenticationKey() != null) {
      out.add(cat(base, "authentication-key", String.valueOf(g.authenticationKey())));
    }
    if (g.holdTime() >= 0) {
      out.add(cat(base, "hold-time", Integer.toString(g.holdTime())));
    }
    if (g.gracefulRestart()) {
      out.add(cat(base, "graceful-restart"));
    }
    if (g.multipath()) {
      out.add(cat(base, "multipath"));
    }
    if (g.passive()) {
      out.add(cat(base, "passive"));
    }
    for (BgpGroup.Neighbor n : g.neighbors()) {
      List<String> nb = cat(base, "neighbor", n.address().toString());
      out.add(n.peerAs() > 0 ? cat(nb, "peer-as", Long.toString(n.peerAs())) : nb);
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

  /**
   * Maps the statements to the model: each one walked through {@link JunosSchema} (which reports
   * unknown keywords and malformed values), then what it sets applied by its {@link
   * JunosSchema.Field}, then the checks across statements. Problems are collected, never thrown one
   * by one.
   */
  private static final class Reader {
    private static final java.util.Set<Field> INSTANCE_FIELDS =
        java.util.EnumSet.range(Field.INSTANCE, Field.IP_PREFIX_VNI);

    private final JunosConfig config;
    private final List<ConfigException> problems = new ArrayList<>();
    private final Map<Integer, String> vniOwners = new HashMap<>();
    private long readAs = -1; // the AS: vrf-target auto needs a two-octet one

    Reader(JunosConfig config) {
      this.config = config;
    }

    private void problem(JunosConfig.Statement s, String reason) {
      problems.add(new ConfigException(reason, s.line(), s.column()));
    }

    private void problem(Match m, String reason) {
      problem(m.statement(), reason);
    }

    VtepConfig read() {
      List<UninterpretedStatement> uninterpreted = new ArrayList<>();
      List<Match> matches = JunosSchema.walk(config.statements(), problems, uninterpreted);
      long routerId = -1;
      for (Match m : matches) {
        if (m.field() == Field.AUTONOMOUS_SYSTEM) {
          readAs = Long.parseLong(m.value());
        } else if (m.field() == Field.ROUTER_ID) {
          routerId = routerId(m);
        }
      }
      PolicyOptions policies = PolicyOptions.read(matches, problems);
      Map<String, InterfaceConfig> interfaces = readInterfaces(matches);
      Map<String, InstanceBuilder> builders = new LinkedHashMap<>();
      builders.put(DEFAULT_SWITCH, new InstanceBuilder(DEFAULT_SWITCH));
      Map<String, JunosConfig.Statement> firstMention = new HashMap<>();
      for (Match m : matches) {
        if (INSTANCE_FIELDS.contains(m.field())) {
          String name = m.key(JunosSchema.INSTANCE_NAME);
          InstanceBuilder b =
              builders.computeIfAbsent(name == null ? DEFAULT_SWITCH : name, InstanceBuilder::new);
          if (b.first == null) {
            b.first = m.statement();
          }
          apply(b, m, policies, interfaces, firstMention);
        }
      }
      Map<String, RoutingInstance> instances = new LinkedHashMap<>();
      for (InstanceBuilder b : builders.values()) {
        RoutingInstance r = build(b);
        if (r != null) {
          instances.put(b.name, r);
        }
      }
      checkMembers(matches, interfaces, instances);
      List<BgpGroup> groups = readBgp(matches);
      InvalidConfigException.throwIfAny(problems);
      return new VtepConfig(
          readAs, interfaces, instances, policies, routerId, uninterpreted, groups);
    }

    /** What a {@code protocols bgp group} is given, until it is built. */
    private static final class GroupBuilder {
      final String name;
      final JunosConfig.Statement first;
      @Nullable String type;
      @Nullable IpAddress localAddress;
      long localAs = -1;
      long peerAs = -1;
      boolean evpn;
      @Nullable IpAddress cluster;
      @Nullable String key;
      int holdTime = -1;
      boolean gracefulRestart;
      boolean multipath;
      boolean passive;
      final Map<IpAddress, long[]> neighbors = new LinkedHashMap<>();

      GroupBuilder(String name, JunosConfig.Statement first) {
        this.name = name;
        this.first = first;
      }
    }

    private @Nullable IpAddress address(Match m, String text, String what) {
      try {
        return IpAddress.parse(text);
      } catch (MalformedException e) {
        problem(m, what + " " + text + ": " + e.reason());
        return null;
      }
    }

    private List<BgpGroup> readBgp(List<Match> matches) {
      Map<String, GroupBuilder> groups = new LinkedHashMap<>();
      Map<IpAddress, String> neighborGroups = new HashMap<>();
      for (Match m : matches) {
        String name = m.key(JunosSchema.BGP_GROUP_NAME);
        if (name == null) {
          continue;
        }
        GroupBuilder g = groups.computeIfAbsent(name, k -> new GroupBuilder(k, m.statement()));
        String v = m.values().isEmpty() ? "" : m.value();
        switch (m.field()) {
          case BGP_TYPE -> g.type = v;
          case BGP_LOCAL_ADDRESS -> g.localAddress = address(m, v, "local-address");
          case BGP_LOCAL_AS -> g.localAs = Long.parseLong(v);
          case BGP_PEER_AS -> g.peerAs = Long.parseLong(v);
          case BGP_FAMILY_EVPN -> g.evpn = true;
          case BGP_CLUSTER -> {
            IpAddress c = address(m, v, "cluster");
            if (c != null && c.isIpv6()) {
              problem(
                  m,
                  "cluster " + v + ": expected an IPv4 address (a 4-octet cluster id, RFC 4456)");
            } else {
              g.cluster = c;
            }
          }
          case BGP_AUTHENTICATION_KEY -> g.key = v;
          case BGP_HOLD_TIME -> g.holdTime = m.intValue();
          case BGP_GRACEFUL_RESTART -> g.gracefulRestart = true;
          case BGP_MULTIPATH -> g.multipath = true;
          case BGP_PASSIVE -> g.passive = true;
          case BGP_NEIGHBOR, BGP_NEIGHBOR_PEER_AS -> {
            String text = String.valueOf(m.key(JunosSchema.BGP_NEIGHBOR));
            IpAddress a = address(m, text, "neighbor");
            if (a == null) {
              continue;
            }
            long[] peerAs = g.neighbors.computeIfAbsent(a, k -> new long[] {-1});
            if (m.field() == Field.BGP_NEIGHBOR_PEER_AS) {
              peerAs[0] = Long.parseLong(v);
            }
            String other = neighborGroups.putIfAbsent(a, name);
            if (other != null && !other.equals(name)) {
              problem(m, "neighbor " + text + " is also in group " + other);
            }
          }
          default -> {}
        }
      }
      List<BgpGroup> out = new ArrayList<>();
      for (GroupBuilder g : groups.values()) {
        String type = g.type;
        if (type == null) {
          problem(g.first, "group " + g.name + " needs a type (internal or external)");
          continue;
        }
        BgpGroup.Type t = type.equals("internal") ? BgpGroup.Type.INTERNAL : BgpGroup.Type.EXTERNAL;
        List<BgpGroup.Neighbor> neighbors = new ArrayList<>();
        g.neighbors.forEach((a, as) -> neighbors.add(new BgpGroup.Neighbor(a, as[0])));
        BgpGroup group =
            new BgpGroup(
                g.name,
                t,
                g.localAddress,
                g.localAs,
                g.peerAs,
                g.evpn,
                g.cluster,
                g.key,
                g.holdTime,
                g.gracefulRestart,
                g.multipath,
                g.passive,
                neighbors);
        long ours = g.localAs > 0 ? g.localAs : readAs;
        for (BgpGroup.Neighbor n : neighbors) {
          long peerAs = group.peerAs(n, ours);
          if (t == BgpGroup.Type.EXTERNAL && peerAs < 0) {
            problem(g.first, "group " + g.name + " neighbor " + n.address() + " needs a peer-as");
          } else if (t == BgpGroup.Type.INTERNAL && ours > 0 && peerAs != ours) {
            problem(
                g.first,
                "group "
                    + g.name
                    + " is internal: neighbor "
                    + n.address()
                    + " with peer-as "
                    + peerAs
                    + " is not in our AS "
                    + ours);
          } else if (t == BgpGroup.Type.EXTERNAL && ours > 0 && peerAs == ours) {
            problem(
                g.first,
                "group "
                    + g.name
                    + " is external: neighbor "
                    + n.address()
                    + " is in our AS "
                    + ours);
          }
        }
        if (!neighbors.isEmpty() && ours < 0) {
          problem(
              g.first,
              "group " + g.name + " needs our AS: routing-options autonomous-system or local-as");
        }
        out.add(group);
      }
      return out;
    }

    private long routerId(Match m) {
      try {
        IpAddress id = IpAddress.parse(m.value());
        if (!id.isIpv6() && id.ipv4() != 0) {
          return id.ipv4() & 0xFFFF_FFFFL;
        }
        problem(
            m,
            "router-id "
                + m.value()
                + ": expected a non-zero IPv4 address (a 4-octet BGP identifier, RFC 6286)");
      } catch (MalformedException e) {
        problem(m, "router-id " + m.value() + ": expected an IPv4 address");
      }
      return -1;
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
      @Nullable MacAddress v4Mac;
      @Nullable MacAddress v6Mac;

      UnitBuilder(int number) {
        this.number = number;
      }

      @Override
      public String toString() {
        return "unit " + number;
      }
    }

    private Map<String, InterfaceConfig> readInterfaces(List<Match> matches) {
      Map<String, InterfaceBuilder> builders = new LinkedHashMap<>();
      Map<EthernetSegmentIdentifier, String> esiOwners = new HashMap<>();
      for (Match m : matches) {
        String name = m.key(JunosSchema.INTERFACE_NAME);
        if (name == null) {
          continue;
        }
        InterfaceBuilder b = builders.computeIfAbsent(name, InterfaceBuilder::new);
        if (b.first == null) {
          b.first = m.statement();
        }
        String unit = m.key(JunosSchema.UNIT);
        UnitBuilder u =
            unit == null ? null : b.units.computeIfAbsent(Integer.parseInt(unit), UnitBuilder::new);
        switch (m.field()) {
          case ESI -> {
            try {
              EthernetSegmentIdentifier esi = EthernetSegmentIdentifier.parse(m.value());
              b.esi = esi;
              String other = esiOwners.putIfAbsent(esi, name);
              if (other != null && !other.equals(name) && !esi.isZero()) {
                problem(m, "esi " + m.value() + " is also interface " + other + "'s");
              }
            } catch (MalformedException e) {
              problem(m, "esi " + m.value() + ": " + e.reason());
            }
          }
          case ESI_MODE -> b.esiMode = m.value();
          case AC_INFLUENCED_DF -> b.acInfluenced = true;
          case DF_ALGORITHM ->
              b.dfElection = m.value().equals("hrw") ? DfElection.hrw() : DfElection.MODULO;
          case DF_PREFERENCE, DF_LOWEST_PREFERENCE -> {
            DfElection.Algorithm a =
                m.field() == Field.DF_PREFERENCE
                    ? DfElection.Algorithm.PREFERENCE
                    : DfElection.Algorithm.LOWEST_PREFERENCE;
            b.dfElection =
                new DfElection(
                    a,
                    m.intValue(),
                    b.dfElection.nonRevertive() && b.dfElection.algorithm() == a,
                    false);
          }
          case DF_PREFERENCE_NON_REVERTIVE, DF_LOWEST_PREFERENCE_NON_REVERTIVE -> {
            DfElection.Algorithm a =
                m.field() == Field.DF_PREFERENCE_NON_REVERTIVE
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
          }
          case LAG_PARENT -> b.lagParent = m.value();
          case LACP_MODE -> b.lacpMode = m.value();
          case LACP_SYSTEM_ID -> {
            try {
              b.lacpSystemId = MacAddress.parse(m.value());
            } catch (MalformedException e) {
              problem(m, "lacp system-id " + m.value() + ": " + e.reason());
            }
          }
          case INTERFACE_MODE -> java.util.Objects.requireNonNull(u).mode = m.value();
          case VLAN_MEMBER -> java.util.Objects.requireNonNull(u).members.add(m.value());
          case ADDRESS, VIRTUAL_GATEWAY_ADDRESS -> address(java.util.Objects.requireNonNull(u), m);
          case VIRTUAL_GATEWAY_V4_MAC, VIRTUAL_GATEWAY_V6_MAC -> {
            MacAddress mac = gatewayMac(m);
            if (mac != null && m.field() == Field.VIRTUAL_GATEWAY_V4_MAC) {
              java.util.Objects.requireNonNull(u).v4Mac = mac;
            } else if (mac != null) {
              java.util.Objects.requireNonNull(u).v6Mac = mac;
            }
          }
          default -> {}
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
                                .toList(),
                            u.v4Mac,
                            u.v6Mac)));
            DfElection df = b.acInfluenced ? b.dfElection.withAcInfluence() : b.dfElection;
            out.put(
                name,
                new InterfaceConfig(
                    name, b.esi, b.esiMode, df, b.lagParent, b.lacpMode, b.lacpSystemId, units));
          });
      return out;
    }

    /**
     * {@code virtual-gateway-v4-mac M} or {@code -v6-mac M}: a unicast MAC, as every host of the
     * subnet is to send to it; or {@code null} after a problem.
     */
    private @Nullable MacAddress gatewayMac(Match m) {
      String what = m.field() == Field.VIRTUAL_GATEWAY_V4_MAC ? "v4" : "v6";
      try {
        MacAddress mac = MacAddress.parse(m.value());
        if (mac.isMulticast() || mac.value() == 0) {
          problem(m, "virtual-gateway-" + what + "-mac " + m.value() + " is not a unicast MAC");
          return null;
        }
        return mac;
      } catch (MalformedException e) {
        problem(m, "virtual-gateway-" + what + "-mac " + m.value() + ": " + e.reason());
        return null;
      }
    }

    /** {@code family inet|inet6 address A/N [virtual-gateway-address V]}. */
    private void address(UnitBuilder u, Match m) {
      String inet = m.key(JunosSchema.INET_ADDRESS);
      boolean v6 = inet == null;
      String text = String.valueOf(v6 ? m.key(JunosSchema.INET6_ADDRESS) : inet);
      int slash = text.indexOf('/');
      try {
        IpAddress a = IpAddress.parse(slash < 0 ? text : text.substring(0, slash));
        int max = a.isIpv6() ? 128 : 32;
        String length = slash < 0 ? Integer.toString(max) : text.substring(slash + 1);
        if (!JunosSchema.Value.number(0, max).valid().test(length)) {
          problem(m, "prefix length " + length + ": expected a number in 0.." + max);
          return;
        }
        if (a.isIpv6() != v6) {
          problem(
              m, "address " + text + " is not a family " + (v6 ? "inet6" : "inet") + " address");
          return;
        }
        List<IpAddress> vgas =
            u.addresses.computeIfAbsent(
                new AddressKey(a, Integer.parseInt(length)), k -> new ArrayList<>());
        if (m.field() == Field.VIRTUAL_GATEWAY_ADDRESS) {
          IpAddress v = IpAddress.parse(m.value());
          if (v.isIpv6() != a.isIpv6()) {
            problem(m, "virtual-gateway-address " + m.value() + " is not of the address's family");
          } else {
            vgas.add(v);
          }
        }
      } catch (MalformedException e) {
        problem(m, "address " + text + ": " + e.reason());
      }
    }

    /** What a routing instance (or the default switch) is given, until it is built. */
    private static final class InstanceBuilder {
      final String name;
      JunosConfig.@Nullable Statement first;
      RoutingInstance.@Nullable Type type;
      boolean typeGiven;
      @Nullable String source;
      @Nullable String serviceType;
      JunosConfig.@Nullable Statement serviceTypeAt;
      @Nullable RouteDistinguisher rd;
      final List<String> imports = new ArrayList<>();
      final List<String> exports = new ArrayList<>();
      final List<ExtendedCommunity> targets = new ArrayList<>();
      JunosConfig.@Nullable Statement autoAt; // vrf-target auto
      RouteTargets.Derivation derivation = RouteTargets.Derivation.RFC8365;
      JunosConfig.@Nullable Statement frrAt; // vrf-target auto-derivation frr
      final List<String> units = new ArrayList<>();
      final Map<String, VlanBuilder> vlans = new LinkedHashMap<>();
      final Map<Integer, String> byVlanId = new HashMap<>();
      // protocols evpn
      @Nullable String encapsulation;
      @Nullable String multicast;
      @Nullable String gateway;
      @Nullable String advertise;
      int prefixVni = -1;
      JunosConfig.@Nullable Statement prefixVniAt;
      final List<Match> extendedVnis = new ArrayList<>();
      JunosConfig.@Nullable Statement allAt;
      JunosConfig.@Nullable Statement explicitAt;
      JunosConfig.@Nullable Statement firstEvpn;
      JunosConfig.@Nullable Statement lastEvpn;

      InstanceBuilder(String name) {
        this.name = name;
        this.type = name.equals(DEFAULT_SWITCH) ? RoutingInstance.Type.DEFAULT_SWITCH : null;
      }
    }

    private static final class VlanBuilder {
      final String name;
      int vlanId = -1;
      int vni = -1;
      JunosConfig.@Nullable Statement vniAt;
      boolean ingressReplication;
      @Nullable String l3Interface;

      VlanBuilder(String name) {
        this.name = name;
      }
    }

    private void apply(
        InstanceBuilder b,
        Match m,
        PolicyOptions policies,
        Map<String, InterfaceConfig> interfaces,
        Map<String, JunosConfig.Statement> firstMention) {
      String vlanName = m.key(JunosSchema.VLAN_NAME);
      VlanBuilder vlan =
          vlanName == null ? null : b.vlans.computeIfAbsent(vlanName, VlanBuilder::new);
      if (m.field().compareTo(Field.ENCAPSULATION) >= 0) {
        if (b.firstEvpn == null) {
          b.firstEvpn = m.statement();
        }
        b.lastEvpn = m.statement();
      }
      String v = m.values().isEmpty() ? "" : m.value();
      switch (m.field()) {
        case INSTANCE_TYPE -> {
          b.typeGiven = true;
          b.type =
              switch (v) {
                case "mac-vrf" -> RoutingInstance.Type.MAC_VRF;
                case "virtual-switch" -> RoutingInstance.Type.VIRTUAL_SWITCH;
                case "evpn" -> RoutingInstance.Type.EVPN;
                case "vrf" -> RoutingInstance.Type.VRF;
                default -> {
                  problem(
                      m, "instance-type " + v + ": expected mac-vrf, virtual-switch, evpn or vrf");
                  yield null;
                }
              };
        }
        case VTEP_SOURCE_INTERFACE -> b.source = v;
        case SERVICE_TYPE -> {
          b.serviceType = v;
          b.serviceTypeAt = m.statement();
        }
        case ROUTE_DISTINGUISHER -> {
          try {
            b.rd = RouteDistinguisher.parse(v);
          } catch (MalformedException e) {
            problem(m, "route-distinguisher: " + e.reason());
          }
        }
        case VRF_IMPORT, VRF_EXPORT -> {
          boolean imports = m.field() == Field.VRF_IMPORT;
          (imports ? b.imports : b.exports).add(v);
          if (!policies.policies().containsKey(v)) {
            problem(
                m, (imports ? "vrf-import " : "vrf-export ") + v + ": no such policy-statement");
          }
        }
        case VRF_TARGET -> {
          try {
            ExtendedCommunity t = ExtendedCommunity.parse(v);
            if (!t.isRouteTarget()) {
              problem(m, "vrf-target " + v + ": not a route target");
            }
            b.targets.add(t);
          } catch (MalformedException e) {
            problem(m, "vrf-target: " + e.reason());
          }
        }
        case VRF_TARGET_AUTO -> b.autoAt = m.statement();
        case AUTO_DERIVATION_TYPE ->
            b.derivation =
                b.derivation.withType(
                    java.util.Objects.requireNonNull(RouteTargets.Type.ofKeyword(v)));
        case AUTO_DERIVATION_DOMAIN_ID -> b.derivation = b.derivation.withDomainId(m.intValue());
        case AUTO_DERIVATION_METHOD -> b.frrAt = v.equals("frr") ? m.statement() : null;
        case INSTANCE_INTERFACE -> {
          b.units.add(v);
          checkUnit(v, m.statement(), interfaces);
          JunosConfig.Statement other = firstMention.putIfAbsent("interface " + v, m.statement());
          if (other != null) {
            problem(
                m,
                "interface "
                    + v
                    + " is already in another routing instance (line "
                    + other.line()
                    + ")");
          }
        }
        case VLAN_ID -> {
          VlanBuilder l = java.util.Objects.requireNonNull(vlan);
          l.vlanId = m.intValue();
          String other = b.byVlanId.putIfAbsent(l.vlanId, l.name);
          if (other != null && !other.equals(l.name)) {
            problem(m, "vlan-id " + l.vlanId + " is also VLAN " + other + "'s");
          }
        }
        case VNI -> {
          VlanBuilder l = java.util.Objects.requireNonNull(vlan);
          l.vni = m.intValue();
          l.vniAt = m.statement();
        }
        case INGRESS_NODE_REPLICATION ->
            java.util.Objects.requireNonNull(vlan).ingressReplication = true;
        case L3_INTERFACE -> {
          java.util.Objects.requireNonNull(vlan).l3Interface = v;
          checkUnit(v, m.statement(), interfaces);
        }
        case ENCAPSULATION -> b.encapsulation = v;
        case EXTENDED_VNI -> {
          if (v.equals("all")) {
            b.allAt = m.statement();
          } else {
            b.explicitAt = m.statement();
            b.extendedVnis.add(m);
          }
        }
        case MULTICAST_MODE -> b.multicast = v;
        case DEFAULT_GATEWAY -> b.gateway = v;
        case IP_PREFIX_ADVERTISE -> b.advertise = v;
        case IP_PREFIX_VNI -> {
          b.prefixVni = m.intValue();
          b.prefixVniAt = m.statement();
        }
        default -> {} // a name alone (an instance, a VLAN), or ip-prefix-routes encapsulation vxlan
      }
    }

    private RoutingInstance.@Nullable Type instanceType(InstanceBuilder b) {
      if (b.type == null && !b.typeGiven && b.first != null) {
        problem(b.first, "routing instance " + b.name + " needs an instance-type");
      }
      return b.type;
    }

    private @Nullable RoutingInstance build(InstanceBuilder b) {
      RoutingInstance.Type type = instanceType(b);
      if (type == null) {
        return null;
      }
      Map<String, Vlan> vlans = new LinkedHashMap<>();
      java.util.Set<Integer> vlanVnis = new java.util.HashSet<>();
      for (VlanBuilder l : b.vlans.values()) {
        JunosConfig.Statement at = l.vniAt;
        if (at != null) {
          claimVni(l.vni, b.name + " VLAN " + l.name, at);
        }
        vlanVnis.add(l.vni);
        vlans.put(l.name, new Vlan(l.name, l.vlanId, l.vni, l.ingressReplication, l.l3Interface));
      }
      JunosConfig.Statement prefixAt = b.prefixVniAt;
      if (prefixAt != null) {
        claimVni(b.prefixVni, b.name + " ip-prefix-routes", prefixAt);
      }
      List<Integer> vnis = new ArrayList<>();
      for (Match m : b.extendedVnis) {
        vnis.add(m.intValue());
        if (!vlanVnis.contains(m.intValue())) {
          problem(m, "extended-vni-list " + m.value() + ": no VLAN has this VNI");
        }
      }
      JunosConfig.Statement serviceTypeAt = b.serviceTypeAt;
      if ("vlan-based".equals(b.serviceType) && vlans.size() > 1 && serviceTypeAt != null) {
        // RFC 7432 §6.1: one broadcast domain per EVI, its routes with Ethernet tag 0
        problem(
            serviceTypeAt,
            "service-type vlan-based: an instance of one VLAN (this one has " + vlans.size() + ")");
      }
      JunosConfig.Statement explicit = b.explicitAt;
      if (b.allAt != null && explicit != null) {
        problem(explicit, "extended-vni-list: all and a list of VNIs conflict");
      }
      JunosConfig.Statement firstEvpn = b.firstEvpn;
      JunosConfig.Statement lastEvpn = b.lastEvpn;
      if (b.advertise != null && b.prefixVni < 0 && lastEvpn != null) {
        problem(lastEvpn, "ip-prefix-routes needs a vni");
      }
      if (b.prefixVni > 0 && type != RoutingInstance.Type.VRF && firstEvpn != null) {
        problem(firstEvpn, "ip-prefix-routes belongs in a routing instance of type vrf");
      }
      if ("mpls".equals(b.encapsulation)
          && vlanVnis.stream().anyMatch(x -> x > 0)
          && firstEvpn != null) {
        problem(firstEvpn, "encapsulation mpls conflicts with VLANs that have VXLAN VNIs");
      }
      RouteTargets.Derivation derivation = b.derivation;
      JunosConfig.Statement frrAt = b.frrAt;
      if (frrAt != null) {
        if (!derivation.equals(RouteTargets.Derivation.RFC8365)) {
          problem(
              frrAt,
              "vrf-target auto-derivation frr has no type or domain-id (those are RFC 8365's fields)");
        } else {
          derivation = RouteTargets.Derivation.FRR;
        }
      }
      JunosConfig.Statement autoAt = b.autoAt;
      if (autoAt != null && !derivation.frr() && readAs > 0xFFFF) {
        problem(
            autoAt,
            "vrf-target auto with the four-octet AS "
                + readAs
                + ": RFC 8365 §5.1.2.1 derives route "
                + "targets from a two-octet AS; configure the targets (vrf-target target:...) instead");
      }
      RoutingInstance r =
          new RoutingInstance(
              b.name,
              type,
              b.rd,
              b.source,
              b.serviceType,
              b.imports,
              b.exports,
              b.targets,
              autoAt != null,
              derivation,
              vlans,
              b.units,
              new RoutingInstance.EvpnOptions(
                  b.encapsulation,
                  vnis,
                  b.allAt != null,
                  b.multicast,
                  b.gateway,
                  b.prefixVni,
                  b.advertise));
      JunosConfig.Statement first = b.first;
      if (type != RoutingInstance.Type.DEFAULT_SWITCH && first != null) {
        if (r.routeDistinguisher() == null) {
          problem(first, "routing instance " + b.name + " needs a route-distinguisher");
        }
        if (r.vrfTargets().isEmpty()
            && !r.vrfTargetAuto()
            && (r.vrfImport().isEmpty() || r.vrfExport().isEmpty())) {
          problem(
              first,
              "routing instance " + b.name + " needs vrf-target, or vrf-import and vrf-export");
        }
      }
      return r;
    }

    private void checkUnit(
        String unit, JunosConfig.Statement s, Map<String, InterfaceConfig> interfaces) {
      int dot = unit.lastIndexOf('.');
      InterfaceConfig i = interfaces.get(dot < 0 ? unit : unit.substring(0, dot));
      boolean ok = false;
      if (i != null && dot > 0) {
        String n = unit.substring(dot + 1);
        ok =
            JunosSchema.Value.number(0, 999_999_999).valid().test(n)
                && i.units().containsKey(Integer.parseInt(n));
      }
      if (!ok) {
        problem(s, "interface " + unit + ": no such interface unit");
      }
    }

    private void claimVni(int vni, String owner, JunosConfig.Statement s) {
      String other = vniOwners.putIfAbsent(vni, owner);
      if (other != null && !other.equals(owner)) {
        problem(s, "vni " + vni + " is also " + other + "'s");
      }
    }

    /** VLAN members name a VLAN of some instance (or are VLAN ids); an access port has one. */
    private void checkMembers(
        List<Match> matches,
        Map<String, InterfaceConfig> interfaces,
        Map<String, RoutingInstance> instances) {
      java.util.Set<String> vlanNames = new java.util.HashSet<>();
      instances.values().forEach(r -> vlanNames.addAll(r.vlans().keySet()));
      for (Match m : matches) {
        if (m.field() != Field.VLAN_MEMBER) {
          continue;
        }
        String member = m.value();
        if (!JunosSchema.Value.number(1, 4094).valid().test(member)
            && !vlanNames.contains(member)) {
          problem(m, "vlan members " + member + ": no such VLAN");
        }
        String name = String.valueOf(m.key(JunosSchema.INTERFACE_NAME));
        String unit = String.valueOf(m.key(JunosSchema.UNIT));
        InterfaceConfig i = interfaces.get(name);
        InterfaceConfig.Unit u = i == null ? null : i.units().get(Integer.parseInt(unit));
        if (u != null
            && "access".equals(u.interfaceMode())
            && u.vlanMembers().size() > 1
            && !u.vlanMembers().get(0).equals(member)) {
          problem(m, "interface " + name + "." + unit + ": an access port belongs to one VLAN");
        }
      }
    }
  }
}
