package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code policy-options} of a configuration, validated: community definitions, prefix lists,
 * MAC lists, named route distinguisher lists and policy statements. Immutable. {@link
 * PolicyChain#compile} turns policies into matchers.
 *
 * <p>Statements read: {@code community NAME members M}, {@code community NAME invert-match}, {@code
 * prefix-list NAME PREFIX}, {@code mac-list NAME MAC}, {@code route-distinguisher NAME members RD},
 * {@code policy-statement NAME [term T] from|then ...} (see {@link Condition.Kind} and {@link
 * Action.Kind}).
 *
 * @param communities community definitions by name
 * @param prefixLists prefix lists by name
 * @param macLists MAC lists by name
 * @param routeDistinguishers named RD lists by name
 * @param policies policy statements by name, in configuration order
 * @since 0.1
 */
@Beta
public record PolicyOptions(
    Map<String, CommunityDefinition> communities,
    Map<String, List<IpPrefix>> prefixLists,
    Map<String, List<MacAddress>> macLists,
    Map<String, List<RouteDistinguisher>> routeDistinguishers,
    Map<String, PolicyStatement> policies) {

  /** No definitions. */
  public static final PolicyOptions EMPTY =
      new PolicyOptions(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());

  /** Copies the maps (keeping their order). */
  public PolicyOptions {
    communities = copy(communities);
    prefixLists = copy(prefixLists);
    macLists = copy(macLists);
    routeDistinguishers = copy(routeDistinguishers);
    policies = copy(policies);
  }

  private static <V> Map<String, V> copy(Map<String, V> m) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(m));
  }

  /**
   * Reads and validates the {@code policy-options} of a configuration.
   *
   * @throws InvalidConfigException listing every problem
   */
  public static PolicyOptions from(JunosConfig config) {
    List<ConfigException> problems = new ArrayList<>();
    List<JunosSchema.Match> matches =
        JunosSchema.walk(config.select("policy-options"), problems, null);
    PolicyOptions p = read(matches, problems);
    InvalidConfigException.throwIfAny(problems);
    return p;
  }

  /** Maps the schema's matches of {@code policy-options} statements to the options. */
  static PolicyOptions read(List<JunosSchema.Match> matches, List<ConfigException> problems) {
    Map<String, List<String>> members = new LinkedHashMap<>();
    Map<String, Boolean> invert = new LinkedHashMap<>();
    Map<String, List<IpPrefix>> prefixLists = new LinkedHashMap<>();
    Map<String, List<MacAddress>> macLists = new LinkedHashMap<>();
    Map<String, List<RouteDistinguisher>> rds = new LinkedHashMap<>();
    Map<String, Map<String, List<Condition>>> from = new LinkedHashMap<>();
    Map<String, Map<String, List<Action>>> then = new LinkedHashMap<>();
    List<JunosSchema.Match> policyStatements = new ArrayList<>();
    for (JunosSchema.Match m : matches) {
      JunosConfig.Statement s = m.statement();
      switch (m.field()) {
        case COMMUNITY, COMMUNITY_MEMBER, COMMUNITY_INVERT_MATCH -> {
          String name = String.valueOf(m.key(JunosSchema.COMMUNITY_NAME));
          List<String> list = members.computeIfAbsent(name, k -> new ArrayList<>());
          invert.putIfAbsent(name, false);
          if (m.field() == JunosSchema.Field.COMMUNITY_MEMBER) {
            try {
              CommunityMember.compile(m.value());
              list.add(m.value());
            } catch (IllegalArgumentException e) {
              problems.add(at(s, String.valueOf(e.getMessage())));
            }
          } else if (m.field() == JunosSchema.Field.COMMUNITY_INVERT_MATCH) {
            invert.put(name, true);
          }
        }
        case PREFIX_LIST, PREFIX_LIST_ENTRY -> {
          String name = String.valueOf(m.key(JunosSchema.PREFIX_LIST_NAME));
          List<IpPrefix> list = prefixLists.computeIfAbsent(name, k -> new ArrayList<>());
          if (m.field() == JunosSchema.Field.PREFIX_LIST_ENTRY) {
            try {
              list.add(IpPrefix.parse(m.value()));
            } catch (MalformedException | IllegalArgumentException e) {
              problems.add(at(s, "prefix-list " + name + ": " + m.value() + " is not a prefix"));
            }
          }
        }
        case MAC_LIST, MAC_LIST_ENTRY -> {
          String name = String.valueOf(m.key(JunosSchema.MAC_LIST_NAME));
          List<MacAddress> list = macLists.computeIfAbsent(name, k -> new ArrayList<>());
          if (m.field() == JunosSchema.Field.MAC_LIST_ENTRY) {
            try {
              list.add(MacAddress.parse(m.value()));
            } catch (MalformedException e) {
              problems.add(at(s, "mac-list " + name + ": " + m.value() + " is not a MAC address"));
            }
          }
        }
        case RD_LIST, RD_LIST_MEMBER -> {
          String name = String.valueOf(m.key(JunosSchema.RD_LIST_NAME));
          List<RouteDistinguisher> list = rds.computeIfAbsent(name, k -> new ArrayList<>());
          if (m.field() == JunosSchema.Field.RD_LIST_MEMBER) {
            try {
              list.add(RouteDistinguisher.parse(m.value()));
            } catch (MalformedException e) {
              problems.add(at(s, "route-distinguisher " + name + ": " + e.reason()));
            }
          }
        }
        case POLICY, TERM, FROM, THEN -> {
          policyStatements.add(m);
          String name = String.valueOf(m.key(JunosSchema.POLICY_NAME));
          from.computeIfAbsent(name, k -> new LinkedHashMap<>());
          then.computeIfAbsent(name, k -> new LinkedHashMap<>());
        }
        default -> {} // not a policy-options statement
      }
    }
    Map<String, CommunityDefinition> communities = new LinkedHashMap<>();
    members.forEach(
        (n, m) -> communities.put(n, new CommunityDefinition(n, m, invert.getOrDefault(n, false))));
    PolicyOptions defs = new PolicyOptions(communities, prefixLists, macLists, rds, Map.of());
    for (JunosSchema.Match m : policyStatements) {
      JunosConfig.Statement s = m.statement();
      String name = String.valueOf(m.key(JunosSchema.POLICY_NAME));
      String t = m.key(JunosSchema.TERM_NAME);
      String term = t == null ? "" : t;
      List<Condition> conditions =
          from.computeIfAbsent(name, k -> new LinkedHashMap<>())
              .computeIfAbsent(term, k -> new ArrayList<>());
      List<Action> actions =
          then.computeIfAbsent(name, k -> new LinkedHashMap<>())
              .computeIfAbsent(term, k -> new ArrayList<>());
      if (m.field() == JunosSchema.Field.FROM) {
        Condition c = defs.condition(m.values(), s, problems);
        if (c != null) {
          conditions.add(c);
        }
      } else if (m.field() == JunosSchema.Field.THEN) {
        Action a = defs.action(m.values(), s, problems);
        if (a != null) {
          actions.add(a);
        }
      }
    }
    Map<String, PolicyStatement> policies = new LinkedHashMap<>();
    from.forEach(
        (name, terms) -> {
          Map<String, List<Action>> actions = then.getOrDefault(name, Map.of());
          List<Term> list = new ArrayList<>();
          terms.forEach(
              (t, conditions) -> {
                if (!t.isEmpty()) {
                  list.add(new Term(t, conditions, actions.getOrDefault(t, List.of())));
                }
              });
          List<Condition> last = terms.get("");
          if (last != null) {
            list.add(new Term("", last, actions.getOrDefault("", List.of())));
          }
          policies.put(name, new PolicyStatement(name, list));
        });
    return new PolicyOptions(communities, prefixLists, macLists, rds, policies);
  }

  private Condition.@org.jspecify.annotations.Nullable Kind kindOf(String keyword) {
    for (Condition.Kind k : Condition.Kind.values()) {
      if (k.keyword().equals(keyword)) {
        return k;
      }
    }
    return null;
  }

  private @org.jspecify.annotations.Nullable Condition condition(
      List<String> w, JunosConfig.Statement s, List<ConfigException> problems) {
    if (w.isEmpty()) {
      problems.add(at(s, "from needs a condition"));
      return null;
    }
    Condition.Kind kind = kindOf(w.get(0));
    if (kind == null) {
      problems.add(
          at(
              s,
              "unknown condition \""
                  + w.get(0)
                  + "\": expected "
                  + String.join(
                      ", ",
                      java.util.Arrays.stream(Condition.Kind.values())
                          .map(Condition.Kind::keyword)
                          .toList())));
      return null;
    }
    List<String> args = w.subList(1, w.size());
    String problem = checkCondition(kind, args);
    if (problem != null) {
      problems.add(at(s, "from " + String.join(" ", w) + ": " + problem));
      return null;
    }
    return new Condition(kind, args);
  }

  private static boolean number(String text, long max) {
    if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return false;
    }
    return Long.parseLong(text) <= max;
  }

  private @org.jspecify.annotations.Nullable String checkCondition(
      Condition.Kind kind, List<String> a) {
    int n = a.size();
    if (n == 0) {
      return "expected a value";
    }
    String v = a.get(0);
    try {
      return switch (kind) {
        case FAMILY, PROTOCOL -> n == 1 ? null : "expected one value";
        case COMMUNITY ->
            n != 1
                ? "expected one community name"
                : communities.containsKey(v) ? null : "no such community";
        case NLRI_ROUTE_TYPE ->
            n == 1 && number(v, 255) && !v.equals("0") ? null : "expected a route type 1..255";
        case EVPN_ESI -> {
          EthernetSegmentIdentifier.parse(v);
          yield n == 1 ? null : "expected one ESI";
        }
        case EVPN_TAG ->
            n == 1 && number(v, 0xFFFF_FFFFL) ? null : "expected an Ethernet tag 0..4294967295";
        case EVPN_MAC_ROUTE ->
            n == 1 && List.of("mac-only", "mac-ipv4", "mac-ipv6").contains(v)
                ? null
                : "expected mac-only, mac-ipv4 or mac-ipv6";
        case MAC_FILTER_LIST -> n == 1 && macLists.containsKey(v) ? null : "no such mac-list";
        case ROUTE_DISTINGUISHER -> {
          if (n != 1) {
            yield "expected one route distinguisher";
          }
          if (!routeDistinguishers.containsKey(v)) {
            RouteDistinguisher.parse(v);
          }
          yield null;
        }
        case PREFIX_LIST -> n == 1 && prefixLists.containsKey(v) ? null : "no such prefix-list";
        case PREFIX_LIST_FILTER ->
            !prefixLists.containsKey(v)
                ? "no such prefix-list"
                : n == 2 && List.of("exact", "orlonger", "longer").contains(a.get(1))
                    ? null
                    : "expected NAME exact|orlonger|longer";
        case ROUTE_FILTER -> checkRouteFilter(a);
        case NEXT_HOP -> {
          IpAddress.parse(v);
          yield n == 1 ? null : "expected one address";
        }
        case LOCAL_PREFERENCE, METRIC ->
            n == 1 && number(v, 0xFFFF_FFFFL) ? null : "expected a number 0..4294967295";
        case ORIGIN ->
            n == 1 && List.of("igp", "egp", "incomplete").contains(v)
                ? null
                : "expected igp, egp or incomplete";
      };
    } catch (MalformedException e) {
      return e.reason();
    }
  }

  /** Checks {@code PREFIX exact|orlonger|longer|upto /N|prefix-length-range /A-/B}. */
  static @org.jspecify.annotations.Nullable String checkRouteFilter(List<String> a) {
    IpPrefix p;
    try {
      p = IpPrefix.parse(a.get(0));
    } catch (MalformedException | IllegalArgumentException e) {
      return a.get(0) + " is not a prefix";
    }
    int max = p.ipv6() ? 128 : 32;
    if (a.size() == 2 && List.of("exact", "orlonger", "longer").contains(a.get(1))) {
      return null;
    }
    if (a.size() == 3 && a.get(1).equals("upto")) {
      int upto = slashLength(a.get(2), max);
      return upto >= p.length() ? null : "upto needs /N with " + p.length() + " <= N <= " + max;
    }
    if (a.size() == 3 && a.get(1).equals("prefix-length-range")) {
      int[] r = range(a.get(2), max);
      return r != null && r[0] >= p.length() && r[0] <= r[1]
          ? null
          : "prefix-length-range needs /A-/B with " + p.length() + " <= A <= B <= " + max;
    }
    return "expected PREFIX exact|orlonger|longer|upto /N|prefix-length-range /A-/B";
  }

  static int slashLength(String text, int max) {
    if (text.length() < 2 || text.charAt(0) != '/' || !number(text.substring(1), max)) {
      return -1;
    }
    return Integer.parseInt(text.substring(1));
  }

  static int @org.jspecify.annotations.Nullable [] range(String text, int max) {
    int dash = text.indexOf('-');
    if (dash < 0) {
      return null;
    }
    int a = slashLength(text.substring(0, dash), max);
    int b = slashLength(text.substring(dash + 1), max);
    return a < 0 || b < 0 ? null : new int[] {a, b};
  }

  private @org.jspecify.annotations.Nullable Action action(
      List<String> w, JunosConfig.Statement s, List<ConfigException> problems) {
    String text = String.join(" ", w);
    Action.Kind flow =
        switch (text) {
          case "accept" -> Action.Kind.ACCEPT;
          case "reject" -> Action.Kind.REJECT;
          case "next term" -> Action.Kind.NEXT_TERM;
          case "next policy" -> Action.Kind.NEXT_POLICY;
          default -> null;
        };
    if (flow != null) {
      return new Action(flow, List.of());
    }
    if (w.size() == 3 && w.get(0).equals("community")) {
      Action.Kind kind =
          switch (w.get(1)) {
            case "add" -> Action.Kind.COMMUNITY_ADD;
            case "delete" -> Action.Kind.COMMUNITY_DELETE;
            case "set" -> Action.Kind.COMMUNITY_SET;
            default -> null;
          };
      CommunityDefinition d = communities.get(w.get(2));
      if (kind == null) {
        problems.add(at(s, "then community: expected add, delete or set"));
      } else if (d == null) {
        problems.add(at(s, "then " + text + ": no such community"));
      } else if (kind != Action.Kind.COMMUNITY_DELETE
          && !d.members().stream().allMatch(m -> CommunityMember.compile(m).isLiteral())) {
        problems.add(
            at(s, "then " + text + ": a community with regular expressions can only be deleted"));
      } else {
        return new Action(kind, List.of(w.get(2)));
      }
      return null;
    }
    if (!w.isEmpty() && (w.get(0).equals("local-preference") || w.get(0).equals("metric"))) {
      Action.Kind kind =
          w.get(0).equals("metric") ? Action.Kind.METRIC : Action.Kind.LOCAL_PREFERENCE;
      List<String> args = w.subList(1, w.size());
      boolean ok =
          (args.size() == 1 && number(args.get(0), 0xFFFF_FFFFL))
              || (args.size() == 2
                  && (args.get(0).equals("add") || args.get(0).equals("subtract"))
                  && number(args.get(1), 0xFFFF_FFFFL));
      if (ok) {
        return new Action(kind, args);
      }
      problems.add(at(s, "then " + text + ": expected N, add N or subtract N (0..4294967295)"));
      return null;
    }
    if (w.size() == 2
        && w.get(0).equals("origin")
        && List.of("igp", "egp", "incomplete").contains(w.get(1))) {
      return new Action(Action.Kind.ORIGIN, List.of(w.get(1)));
    }
    problems.add(
        at(
            s,
            "unknown action "
                + MalformedException.quote(text)
                + ": expected "
                + String.join(
                    ", ",
                    java.util.Arrays.stream(Action.Kind.values())
                        .map(Action.Kind::keyword)
                        .toList())));
    return null;
  }

  private static ConfigException at(JunosConfig.Statement s, String reason) {
    return new ConfigException(reason, s.line(), s.column());
  }

  /**
   * Returns these options as configuration statements ({@code policy-options ...}), in canonical
   * order.
   */
  public List<List<String>> toStatements() {
    List<List<String>> out = new ArrayList<>();
    prefixLists.forEach(
        (n, l) -> {
          if (l.isEmpty()) {
            out.add(List.of("policy-options", "prefix-list", n));
          }
          l.forEach(p -> out.add(List.of("policy-options", "prefix-list", n, p.toString())));
        });
    macLists.forEach(
        (n, l) -> {
          if (l.isEmpty()) {
            out.add(List.of("policy-options", "mac-list", n));
          }
          l.forEach(m -> out.add(List.of("policy-options", "mac-list", n, m.toString())));
        });
    policies.forEach(
        (n, p) -> {
          if (p.terms().isEmpty()) {
            out.add(List.of("policy-options", "policy-statement", n));
          }
          for (Term t : p.terms()) {
            List<String> base = new ArrayList<>(List.of("policy-options", "policy-statement", n));
            if (!t.name().isEmpty()) {
              base.add("term");
              base.add(t.name());
            }
            if (t.from().isEmpty() && t.then().isEmpty()) {
              out.add(base);
            }
            for (Condition c : t.from()) {
              List<String> s = new ArrayList<>(base);
              s.add("from");
              s.add(c.kind().keyword());
              s.addAll(c.words());
              out.add(s);
            }
            for (Action a : t.then()) {
              List<String> s = new ArrayList<>(base);
              s.add("then");
              s.addAll(List.of(a.kind().keyword().split(" ")));
              s.addAll(a.words());
              out.add(s);
            }
          }
        });
    communities.forEach(
        (n, c) -> {
          if (c.invertMatch()) {
            out.add(List.of("policy-options", "community", n, "invert-match"));
          }
          if (c.members().isEmpty() && !c.invertMatch()) {
            out.add(List.of("policy-options", "community", n));
          }
          c.members()
              .forEach(m -> out.add(List.of("policy-options", "community", n, "members", m)));
        });
    routeDistinguishers.forEach(
        (n, l) -> {
          if (l.isEmpty()) {
            out.add(List.of("policy-options", "route-distinguisher", n));
          }
          l.forEach(
              rd ->
                  out.add(
                      List.of(
                          "policy-options", "route-distinguisher", n, "members", rd.toString())));
        });
    return out;
  }
}
