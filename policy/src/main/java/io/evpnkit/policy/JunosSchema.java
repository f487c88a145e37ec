package io.evpnkit.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The Junos hierarchies evpnkit interprets, written once: containers, lists keyed by a name, leaves
 * with a typed value, flags, and the word sequences of policy conditions and actions. Every reader
 * of the model ({@link VtepConfig}, {@link PolicyOptions}) walks a statement through this schema
 * and receives a {@link Match}: the {@link Field} it sets, the names of the lists it passed (an
 * interface, a unit, a VLAN, a routing instance, ...) and its values. Nothing reads words by their
 * position. The same walk finds what the model does not interpret (statements under an open
 * hierarchy such as {@code protocols bgp}, or kept ones such as an interface's {@code
 * description}), reports an unknown keyword with the keywords expected at its place, and checks
 * typed values (numbers in range, keywords from a set). The curly-brace rendering of {@link
 * JunosConfig#format()} takes each node's {@link Layout} from here too.
 *
 * <p>The reading of text itself ({@code set} commands and the curly-brace form, comments, quoting,
 * line and column of every word) is {@link JunosConfig}'s: both forms give the same statements,
 * which this schema then interprets.
 */
final class JunosSchema {
  private JunosSchema() {}

  /** How a {@link Match} names the lists on a statement's path ({@link Match#key}). */
  static final String INTERFACE_NAME = "an interface name";

  static final String UNIT = "unit";
  static final String INET_ADDRESS = "an inet address";
  static final String INET6_ADDRESS = "an inet6 address";
  static final String VLAN_NAME = "a VLAN name";
  static final String INSTANCE_NAME = "a routing instance name";
  static final String COMMUNITY_NAME = "a community name";
  static final String PREFIX_LIST_NAME = "a prefix-list name";
  static final String MAC_LIST_NAME = "a mac-list name";
  static final String RD_LIST_NAME = "a route-distinguisher list name";
  static final String POLICY_NAME = "a policy name";
  static final String TERM_NAME = "a term name";
  static final String BGP_GROUP_NAME = "a BGP group name";
  static final String BGP_NEIGHBOR = "a neighbor address";

  /** What a statement sets in the model. */
  enum Field {
    AUTONOMOUS_SYSTEM,
    ROUTER_ID,
    INTERFACE,
    ESI,
    ESI_MODE,
    AC_INFLUENCED_DF,
    DF_ALGORITHM,
    DF_PREFERENCE,
    DF_PREFERENCE_NON_REVERTIVE,
    DF_LOWEST_PREFERENCE,
    DF_LOWEST_PREFERENCE_NON_REVERTIVE,
    LAG_PARENT,
    LACP_MODE,
    LACP_SYSTEM_ID,
    UNIT,
    INTERFACE_MODE,
    VLAN_MEMBER,
    ADDRESS,
    VIRTUAL_GATEWAY_ADDRESS,
    VIRTUAL_GATEWAY_V4_MAC,
    VIRTUAL_GATEWAY_V6_MAC,
    INSTANCE,
    INSTANCE_TYPE,
    VTEP_SOURCE_INTERFACE,
    SERVICE_TYPE,
    ROUTE_DISTINGUISHER,
    VRF_IMPORT,
    VRF_EXPORT,
    VRF_TARGET,
    VRF_TARGET_AUTO,
    AUTO_DERIVATION_TYPE,
    AUTO_DERIVATION_DOMAIN_ID,
    AUTO_DERIVATION_METHOD,
    INSTANCE_INTERFACE,
    VLAN,
    VLAN_ID,
    L3_INTERFACE,
    VNI,
    INGRESS_NODE_REPLICATION,
    ENCAPSULATION,
    EXTENDED_VNI,
    MULTICAST_MODE,
    DEFAULT_GATEWAY,
    IP_PREFIX_ADVERTISE,
    IP_PREFIX_ENCAPSULATION,
    IP_PREFIX_VNI,
    COMMUNITY,
    COMMUNITY_MEMBER,
    COMMUNITY_INVERT_MATCH,
    PREFIX_LIST,
    PREFIX_LIST_ENTRY,
    MAC_LIST,
    MAC_LIST_ENTRY,
    RD_LIST,
    RD_LIST_MEMBER,
    POLICY,
    TERM,
    FROM,
    THEN,
    BGP_GROUP,
    BGP_TYPE,
    BGP_LOCAL_ADDRESS,
    BGP_LOCAL_AS,
    BGP_PEER_AS,
    BGP_FAMILY_EVPN,
    BGP_CLUSTER,
    BGP_AUTHENTICATION_KEY,
    BGP_HOLD_TIME,
    BGP_GRACEFUL_RESTART,
    BGP_MULTIPATH,
    BGP_PASSIVE,
    BGP_NEIGHBOR,
    BGP_NEIGHBOR_PEER_AS
  }

  /** How {@link JunosConfig#format()} shows a node, as Junos's {@code show configuration} does. */
  enum Layout {
    /** Always {@code keyword { ... }}, even with one statement inside. */
    BLOCK,
    /** A chain of single words on one line; several values as {@code [ a b ]}. */
    COMPACT,
    /** Several values as a block of lines, not a bracketed list ({@code esi}, {@code then}). */
    LINES,
    /** {@code keyword name { ... }}, one block per name ({@code unit 0}, {@code term t}). */
    NAMED,
    /** {@code keyword value ...;}, one line per value ({@code interface}, {@code community}). */
    REPEAT
  }

  private enum Kind {
    CONTAINER,
    /** A keyword and a name: {@code unit 0}. */
    LIST,
    /** A name alone, under a container: {@code vlans v100}. */
    NAMES,
    /** A keyword and one value. */
    LEAF,
    /** A keyword alone. */
    FLAG,
    /** A value alone, under a container: {@code esi 00:11:...}. */
    VALUE,
    /** A keyword and the words after it, checked by the reader: policy conditions and actions. */
    WORDS,
    /** A statement kept but not interpreted, with anything under it. */
    KEPT
  }

  /** A typed value: a check that says what is wrong with a word, or null. */
  record Value(String expected, Predicate<String> valid) {
    static final Value ANY = new Value("a value", w -> true);

    static Value number(long min, long max) {
      return new Value(
          "a number in " + min + ".." + max,
          w -> {
            if (w.isEmpty() || w.length() > 10 || !w.chars().allMatch(c -> c >= '0' && c <= '9')) {
              return false;
            }
            long v = Long.parseLong(w);
            return v >= min && v <= max;
          });
    }

    static Value oneOf(String... words) {
      List<String> list = List.of(words);
      return new Value(orList(list), list::contains);
    }
  }

  /** One node of the schema. Immutable once the schema is built. */
  static final class Node {
    final Kind kind;
    final String keyword; // "" for NAMES and VALUE
    final @Nullable Field field;
    final Value value; // the key of a LIST or NAMES, the value of a LEAF or VALUE
    final String what; // how messages name the value
    final Layout layout;
    final boolean open; // unknown keywords under it are uninterpreted, not errors
    final String noun; // "statement", "condition", "action"
    final Map<String, Node> children = new LinkedHashMap<>();
    @Nullable Node positional; // a NAMES or VALUE child

    private Node(
        Kind kind,
        String keyword,
        @Nullable Field field,
        Value value,
        String what,
        Layout layout,
        boolean open,
        String noun) {
      this.kind = kind;
      this.keyword = keyword;
      this.field = field;
      this.value = value;
      this.what = what;
      this.layout = layout;
      this.open = open;
      this.noun = noun;
    }

    private Node add(Node... nodes) {
      for (Node n : nodes) {
        if (n.kind == Kind.NAMES || n.kind == Kind.VALUE) {
          positional = n;
        } else {
          children.put(n.keyword, n);
        }
      }
      return this;
    }

    /** The node a word leads to under this one (a keyword, or else a name or value), or null. */
    @Nullable Node child(String word) {
      Node n = children.get(word);
      return n != null ? n : positional;
    }

    /** Whether this node is a list keyed by the word after its keyword ({@code unit 0}). */
    boolean isList() {
      return kind == Kind.LIST;
    }

    /** Whether this node is a list's name alone ({@code vlans v100}). */
    boolean isName() {
      return kind == Kind.NAMES;
    }

    /** Whether a word under this node is a list's name ({@code vlans v100}). */
    boolean namesChildren() {
      return positional != null && positional.kind == Kind.NAMES;
    }

    private String expected() {
      List<String> words = new ArrayList<>();
      children.values().stream()
          .filter(c -> c.kind != Kind.KEPT)
          .forEach(c -> words.add(c.keyword));
      children.values().stream()
          .filter(c -> c.kind == Kind.KEPT)
          .forEach(c -> words.add(c.keyword));
      if (positional != null) {
        words.add(positional.what);
      }
      return orList(words);
    }

    @Override
    public String toString() {
      return keyword.isEmpty() ? what : keyword;
    }
  }

  private static Node container(String keyword, Layout layout, Node... children) {
    return new Node(Kind.CONTAINER, keyword, null, Value.ANY, keyword, layout, false, "statement")
        .add(children);
  }

  private static Node open(String keyword, Node... children) {
    return new Node(
            Kind.CONTAINER, keyword, null, Value.ANY, keyword, Layout.BLOCK, true, "statement")
        .add(children);
  }

  private static Node list(
      String keyword, Field field, Value key, Layout layout, String what, Node... children) {
    return new Node(Kind.LIST, keyword, field, key, what, layout, false, "statement").add(children);
  }

  private static Node names(Field field, String what, Node... children) {
    return new Node(Kind.NAMES, "", field, Value.ANY, what, Layout.BLOCK, false, "statement")
        .add(children);
  }

  private static Node leaf(String keyword, Field field, Value value) {
    return leaf(keyword, field, value, keyword, Layout.COMPACT);
  }

  private static Node leaf(String keyword, Field field, Value value, String what, Layout layout) {
    return new Node(Kind.LEAF, keyword, field, value, what, layout, false, "statement");
  }

  private static Node flag(String keyword, Field field) {
    return new Node(Kind.FLAG, keyword, field, Value.ANY, keyword, Layout.COMPACT, false, "");
  }

  private static Node value(Field field, String what) {
    return new Node(Kind.VALUE, "", field, Value.ANY, what, Layout.COMPACT, false, "");
  }

  private static Node words(String keyword, Field field, Layout layout) {
    return new Node(Kind.WORDS, keyword, field, Value.ANY, keyword, layout, false, "");
  }

  private static Node kept(String keyword) {
    return new Node(Kind.KEPT, keyword, null, Value.ANY, keyword, Layout.COMPACT, false, "");
  }

  /** A copy that is open: keywords it does not know under it are kept, not refused. */
  private static Node opened(Node n) {
    Node copy = new Node(n.kind, n.keyword, n.field, n.value, n.what, n.layout, true, n.noun);
    copy.children.putAll(n.children);
    copy.positional = n.positional;
    return copy;
  }

  private static final Value AS_NUMBER = Value.number(1, 0xFFFF_FFFEL);

  /**
   * {@code protocols bgp}: groups and their neighbors, as far as an EVPN speaker uses them; other
   * statements of a group or a neighbor ({@code export}, {@code bfd-liveness-detection}, ...) are
   * kept as uninterpreted, and a family other than {@code evpn signaling} too.
   */
  private static Node bgp() {
    Node neighbor =
        opened(
            list(
                "neighbor",
                Field.BGP_NEIGHBOR,
                Value.ANY,
                Layout.NAMED,
                BGP_NEIGHBOR,
                leaf("peer-as", Field.BGP_NEIGHBOR_PEER_AS, AS_NUMBER),
                kept("description")));
    Node family =
        opened(
            container(
                "family",
                Layout.NAMED,
                container("evpn", Layout.BLOCK, flag("signaling", Field.BGP_FAMILY_EVPN))));
    Node group =
        opened(
            list(
                "group",
                Field.BGP_GROUP,
                Value.ANY,
                Layout.NAMED,
                BGP_GROUP_NAME,
                leaf("type", Field.BGP_TYPE, Value.oneOf("internal", "external")),
                leaf("local-address", Field.BGP_LOCAL_ADDRESS, Value.ANY),
                leaf("local-as", Field.BGP_LOCAL_AS, AS_NUMBER),
                leaf("peer-as", Field.BGP_PEER_AS, AS_NUMBER),
                family,
                leaf("cluster", Field.BGP_CLUSTER, Value.ANY),
                leaf("authentication-key", Field.BGP_AUTHENTICATION_KEY, Value.ANY),
                leaf(
                    "hold-time",
                    Field.BGP_HOLD_TIME,
                    new Value(
                        "0 or a number in 3..65535 (RFC 4271 §4.2)",
                        w ->
                            Value.number(0, 65535).valid().test(w)
                                && !w.equals("1")
                                && !w.equals("2"))),
                flag("graceful-restart", Field.BGP_GRACEFUL_RESTART),
                flag("multipath", Field.BGP_MULTIPATH),
                flag("passive", Field.BGP_PASSIVE),
                neighbor,
                kept("description")));
    return opened(container("bgp", Layout.BLOCK, group));
  }

  private static Node withNoun(Node n, String noun) {
    Node copy = new Node(n.kind, n.keyword, n.field, n.value, n.what, n.layout, n.open, noun);
    copy.children.putAll(n.children);
    copy.positional = n.positional;
    return copy;
  }

  private static Node preference(String keyword, Field value, Field nonRevertive) {
    return container(
        keyword,
        Layout.COMPACT,
        leaf("value", value, Value.number(0, 65535), "DF preference", Layout.COMPACT),
        flag("non-revertive", nonRevertive));
  }

  /** What {@code switch-options} and a routing instance share. */
  private static Node[] instanceFields() {
    return new Node[] {
      leaf("vtep-source-interface", Field.VTEP_SOURCE_INTERFACE, Value.ANY),
      leaf(
          "service-type",
          Field.SERVICE_TYPE,
          Value.oneOf("vlan-based", "vlan-aware", "vlan-bundle")),
      leaf("route-distinguisher", Field.ROUTE_DISTINGUISHER, Value.ANY),
      leaf("vrf-import", Field.VRF_IMPORT, Value.ANY),
      leaf("vrf-export", Field.VRF_EXPORT, Value.ANY),
      container(
          "vrf-target",
          Layout.LINES,
          value(Field.VRF_TARGET, "a route target"),
          flag("auto", Field.VRF_TARGET_AUTO),
          container(
              "auto-derivation",
              Layout.COMPACT,
              leaf(
                  "type",
                  Field.AUTO_DERIVATION_TYPE,
                  new Value(
                      "vid, vxlan, nvgre, i-sid, evi or dual-vid (RFC 8365 §5.1.2.1)",
                      w -> RouteTargets.Type.ofKeyword(w) != null),
                  "vrf-target auto-derivation type",
                  Layout.COMPACT),
              leaf(
                  "domain-id",
                  Field.AUTO_DERIVATION_DOMAIN_ID,
                  Value.number(0, 15),
                  "D-ID",
                  Layout.COMPACT),
              flag("rfc8365", Field.AUTO_DERIVATION_METHOD),
              flag("frr", Field.AUTO_DERIVATION_METHOD)))
    };
  }

  private static final Value VNI = Value.number(1, 0xFF_FFFF);

  private static Node vlans() {
    return container(
        "vlans",
        Layout.BLOCK,
        names(
            Field.VLAN,
            VLAN_NAME,
            leaf("vlan-id", Field.VLAN_ID, Value.number(1, 4094)),
            leaf("l3-interface", Field.L3_INTERFACE, Value.ANY),
            container(
                "vxlan",
                Layout.BLOCK,
                leaf("vni", Field.VNI, VNI),
                flag("ingress-node-replication", Field.INGRESS_NODE_REPLICATION)),
            kept("description")));
  }

  private static Node evpn() {
    return container(
        "evpn",
        Layout.BLOCK,
        leaf("encapsulation", Field.ENCAPSULATION, Value.oneOf("vxlan", "mpls")),
        leaf(
            "extended-vni-list",
            Field.EXTENDED_VNI,
            new Value("all or a number in 1..16777215", w -> w.equals("all") || VNI.valid.test(w))),
        leaf("multicast-mode", Field.MULTICAST_MODE, Value.oneOf("ingress-replication")),
        leaf(
            "default-gateway",
            Field.DEFAULT_GATEWAY,
            Value.oneOf("advertise", "no-gateway-community", "do-not-advertise")),
        container(
            "ip-prefix-routes",
            Layout.BLOCK,
            leaf(
                "advertise",
                Field.IP_PREFIX_ADVERTISE,
                Value.oneOf("direct-nexthop", "gateway-address"),
                "ip-prefix-routes advertise",
                Layout.COMPACT),
            leaf(
                "encapsulation",
                Field.IP_PREFIX_ENCAPSULATION,
                Value.oneOf("vxlan"),
                "ip-prefix-routes encapsulation",
                Layout.COMPACT),
            leaf("vni", Field.IP_PREFIX_VNI, VNI, "ip-prefix-routes vni", Layout.COMPACT)));
  }

  private static Node address(String what) {
    return list(
        "address",
        Field.ADDRESS,
        Value.ANY,
        Layout.NAMED,
        what,
        leaf("virtual-gateway-address", Field.VIRTUAL_GATEWAY_ADDRESS, Value.ANY));
  }

  private static Node interfaces() {
    return container(
        "interfaces",
        Layout.BLOCK,
        names(
            Field.INTERFACE,
            INTERFACE_NAME,
            container(
                "esi",
                Layout.LINES,
                value(Field.ESI, "an ESI"),
                flag("all-active", Field.ESI_MODE),
                flag("single-active", Field.ESI_MODE),
                flag("ac-influenced-df", Field.AC_INFLUENCED_DF),
                container(
                    "df-election-type",
                    Layout.COMPACT,
                    flag("mod", Field.DF_ALGORITHM),
                    flag("hrw", Field.DF_ALGORITHM),
                    preference(
                        "preference", Field.DF_PREFERENCE, Field.DF_PREFERENCE_NON_REVERTIVE),
                    preference(
                        "lowest-preference",
                        Field.DF_LOWEST_PREFERENCE,
                        Field.DF_LOWEST_PREFERENCE_NON_REVERTIVE))),
            container("ether-options", Layout.BLOCK, leaf("802.3ad", Field.LAG_PARENT, Value.ANY)),
            container(
                "aggregated-ether-options",
                Layout.BLOCK,
                container(
                    "lacp",
                    Layout.BLOCK,
                    flag("active", Field.LACP_MODE),
                    flag("passive", Field.LACP_MODE),
                    leaf(
                        "system-id",
                        Field.LACP_SYSTEM_ID,
                        Value.ANY,
                        "lacp system-id",
                        Layout.COMPACT))),
            list(
                "unit",
                Field.UNIT,
                Value.number(0, 1_073_741_823),
                Layout.NAMED,
                "unit",
                container(
                    "family",
                    Layout.NAMED,
                    container(
                        "ethernet-switching",
                        Layout.BLOCK,
                        leaf(
                            "interface-mode", Field.INTERFACE_MODE, Value.oneOf("trunk", "access")),
                        container(
                            "vlan", Layout.BLOCK, leaf("members", Field.VLAN_MEMBER, Value.ANY))),
                    container("inet", Layout.BLOCK, address(INET_ADDRESS)),
                    container("inet6", Layout.BLOCK, address(INET6_ADDRESS))),
                leaf("virtual-gateway-v4-mac", Field.VIRTUAL_GATEWAY_V4_MAC, Value.ANY),
                leaf("virtual-gateway-v6-mac", Field.VIRTUAL_GATEWAY_V6_MAC, Value.ANY),
                kept("description")),
            kept("description"),
            kept("mtu")));
  }

  private static Node policyOptions() {
    Node from = container("from", Layout.COMPACT);
    for (Condition.Kind k : Condition.Kind.values()) {
      from.add(
          words(
              k.keyword(),
              Field.FROM,
              k == Condition.Kind.ROUTE_FILTER
                      || k == Condition.Kind.COMMUNITY
                      || k == Condition.Kind.ROUTE_DISTINGUISHER
                  ? Layout.REPEAT
                  : Layout.COMPACT));
    }
    Node then = container("then", Layout.LINES);
    for (Action.Kind k : Action.Kind.values()) {
      int space = k.keyword().indexOf(' ');
      String first = space < 0 ? k.keyword() : k.keyword().substring(0, space);
      if (!then.children.containsKey(first)) {
        then.add(words(first, Field.THEN, Layout.COMPACT));
      }
    }
    from = withNoun(from, "condition");
    then = withNoun(then, "action");
    return container(
        "policy-options",
        Layout.BLOCK,
        list(
            "community",
            Field.COMMUNITY,
            Value.ANY,
            Layout.REPEAT,
            COMMUNITY_NAME,
            leaf("members", Field.COMMUNITY_MEMBER, Value.ANY),
            flag("invert-match", Field.COMMUNITY_INVERT_MATCH)),
        list("prefix-list", Field.PREFIX_LIST, Value.ANY, Layout.NAMED, PREFIX_LIST_NAME)
            .add(value(Field.PREFIX_LIST_ENTRY, "a prefix")),
        list("mac-list", Field.MAC_LIST, Value.ANY, Layout.NAMED, MAC_LIST_NAME)
            .add(value(Field.MAC_LIST_ENTRY, "a MAC address")),
        list(
            "route-distinguisher",
            Field.RD_LIST,
            Value.ANY,
            Layout.REPEAT,
            RD_LIST_NAME,
            leaf("members", Field.RD_LIST_MEMBER, Value.ANY)),
        list(
            "policy-statement",
            Field.POLICY,
            Value.ANY,
            Layout.NAMED,
            POLICY_NAME,
            list("term", Field.TERM, Value.ANY, Layout.NAMED, TERM_NAME, from, then),
            from,
            then));
  }

  /**
   * The root: {@code routing-options}, {@code protocols} and a routing instance's {@code protocols}
   * are open (other statements under them are not interpreted); the rest is closed.
   */
  static final Node ROOT = root();

  private static Node root() {
    List<Node> instance = new ArrayList<>();
    instance.add(leaf("instance-type", Field.INSTANCE_TYPE, Value.ANY)); // checked by the reader
    instance.addAll(Arrays.asList(instanceFields()));
    instance.add(
        leaf("interface", Field.INSTANCE_INTERFACE, Value.ANY, "interface", Layout.REPEAT));
    instance.add(vlans());
    instance.add(open("protocols", evpn()));
    Node root = open("");
    root.add(
        open(
            "routing-options",
            leaf("autonomous-system", Field.AUTONOMOUS_SYSTEM, Value.number(1, 0xFFFF_FFFEL)),
            leaf("router-id", Field.ROUTER_ID, Value.ANY)),
        interfaces(),
        container("switch-options", Layout.BLOCK, instanceFields()),
        vlans(),
        open("protocols", evpn(), bgp()),
        policyOptions(),
        container(
            "routing-instances",
            Layout.BLOCK,
            names(Field.INSTANCE, INSTANCE_NAME, instance.toArray(Node[]::new))));
    return root;
  }

  /**
   * A statement the schema interprets: the field it sets, the names of the lists on its path (by
   * the list's {@link Node#what}: INTERFACE_NAME, "unit", VLAN_NAME, ...), and its values (one for
   * a leaf or a value, the keyword and the words after it for a condition or an action, the keyword
   * for a flag, none for a list's name alone).
   */
  record Match(Field field, JunosConfig.Statement statement, Keys keys, List<String> values) {
    /** The name of the list named {@code what} on the statement's path, or null. */
    @Nullable String key(String what) {
      return keys.get(what);
    }

    /** The single value. */
    String value() {
      return values.get(values.size() - 1);
    }

    int intValue() {
      return Integer.parseInt(value());
    }
  }

  /** The names of the lists on a statement's path, as pairs of what and name (a few at most). */
  static final class Keys {
    private static final Keys NONE = new Keys(new String[0], 0);
    private final String[] pairs;
    private final int size;

    private Keys(String[] pairs, int size) {
      this.pairs = pairs;
      this.size = size;
    }

    private Keys with(String what, String name) {
      String[] p = size + 2 <= pairs.length ? pairs : java.util.Arrays.copyOf(pairs, size + 8);
      p[size] = what;
      p[size + 1] = name;
      return new Keys(p, size + 2);
    }

    @Nullable String get(String what) {
      for (int i = 0; i < size; i += 2) {
        if (pairs[i].equals(what)) {
          return pairs[i + 1];
        }
      }
      return null;
    }

    private Keys copy() {
      return size == 0 ? NONE : new Keys(java.util.Arrays.copyOf(pairs, size), size);
    }
  }

  /** The outcome of one statement's walk. */
  record Result(
      @Nullable Match match, @Nullable ConfigException problem, boolean interpreted, int named) {}

  private static final Result CONTAINER_ONLY = new Result(null, null, true, 0);

  /** Walks one statement from the root. */
  static Result walk(JunosConfig.Statement s) {
    List<String> w = s.words();
    Node n = ROOT;
    Keys keys = Keys.NONE;
    int i = 0;
    while (i < w.size()) {
      String word = w.get(i);
      Node c = n.child(word);
      if (c == null) {
        if (n.open) { // an unmodelled hierarchy: named by its keyword and the two words after it
          return new Result(presence(n, s, keys), null, false, Math.max(4, i + 3));
        }
        String noun = n.noun.equals("statement") ? "unsupported statement" : "unknown " + n.noun;
        return problem(s, noun + " " + quote(word) + ": expected " + n.expected());
      }
      switch (c.kind) {
        case KEPT -> {
          return new Result(presence(n, s, keys), null, false, i + 1);
        }
        case CONTAINER -> {
          i++;
          n = c;
        }
        case NAMES -> {
          keys = keys.with(c.what, word);
          i++;
          n = c;
        }
        case LIST -> {
          if (i + 1 == w.size()) {
            return problem(
                s, word + " needs " + (c.value.equals(Value.ANY) ? c.what : c.value.expected));
          }
          String key = w.get(i + 1);
          if (!c.value.valid.test(key)) {
            return problem(s, c.what + " " + key + ": expected " + c.value.expected);
          }
          keys = keys.with(c.what, key);
          i += 2;
          n = c;
        }
        case LEAF -> {
          if (i + 1 == w.size()) {
            return problem(s, word + " needs " + c.value.expected);
          }
          if (i + 2 != w.size()) {
            return problem(
                s,
                word
                    + " takes one value, not "
                    + quote(String.join(" ", w.subList(i + 1, w.size()))));
          }
          String v = w.get(i + 1);
          if (!c.value.valid.test(v)) {
            return problem(s, c.what + " " + v + ": expected " + c.value.expected);
          }
          return matched(c, s, keys, List.of(v));
        }
        case FLAG -> {
          if (i + 1 != w.size()) {
            return problem(
                s,
                word
                    + " takes no value, not "
                    + quote(String.join(" ", w.subList(i + 1, w.size()))));
          }
          return matched(c, s, keys, List.of(word));
        }
        case VALUE -> {
          if (i + 1 != w.size()) {
            return problem(
                s, "unsupported statement " + quote(word) + ": expected " + n.expected());
          }
          return matched(c, s, keys, List.of(word));
        }
        case WORDS -> {
          return matched(c, s, keys, w.subList(i, w.size()));
        }
      }
    }
    // a statement that ends at a container or a list's name: it declares the list entry
    Field f = n.field;
    return f == null || n.kind == Kind.CONTAINER ? CONTAINER_ONLY : matched(n, s, keys, List.of());
  }

  /**
   * The list entry a statement names even when the rest of it is not interpreted ({@code interfaces
   * ae0 description ...} still declares ae0), or null.
   */
  private static @Nullable Match presence(Node n, JunosConfig.Statement s, Keys keys) {
    Field f = n.field;
    return f != null && (n.kind == Kind.LIST || n.kind == Kind.NAMES)
        ? new Match(f, s, keys.copy(), List.of())
        : null;
  }

  private static Result matched(Node n, JunosConfig.Statement s, Keys keys, List<String> values) {
    Field f = n.field;
    if (f == null) {
      return CONTAINER_ONLY;
    }
    return new Result(new Match(f, s, keys.copy(), List.copyOf(values)), null, true, 0);
  }

  private static Result problem(JunosConfig.Statement s, String reason) {
    return new Result(null, new ConfigException(reason, s.line(), s.column()), true, 0);
  }

  /**
   * Walks every statement: the matches in statement order, problems added to {@code problems}, and
   * what is not interpreted to {@code uninterpreted} (when given).
   */
  static List<Match> walk(
      List<JunosConfig.Statement> statements,
      List<ConfigException> problems,
      @Nullable List<UninterpretedStatement> uninterpreted) {
    List<Match> out = new ArrayList<>(statements.size());
    for (JunosConfig.Statement s : statements) {
      Result r = walk(s);
      Match m = r.match();
      if (m != null) {
        out.add(m);
      }
      ConfigException problem = r.problem();
      if (problem != null) {
        problems.add(problem);
      } else if (!r.interpreted() && uninterpreted != null) {
        uninterpreted.add(new UninterpretedStatement(s.words(), s.line(), s.column(), r.named()));
      }
    }
    return out;
  }

  /** Whether the schema interprets a statement with these words. */
  static boolean interprets(List<String> words) {
    return walk(new JunosConfig.Statement(words, 0, 0)).interpreted();
  }

  /**
   * The hierarchies interpreted, as paths from the root: each closed node right under an open one,
   * {@code *} for a list's name under which something is open again.
   */
  static List<List<String>> interpretedPaths() {
    List<List<String>> out = new ArrayList<>();
    paths(ROOT, new ArrayList<>(), out);
    return List.copyOf(out);
  }

  private static void paths(Node open, List<String> path, List<List<String>> out) {
    for (Node c : open.children.values()) {
      List<String> p = new ArrayList<>(path);
      p.add(c.keyword);
      if (c.open && path.isEmpty()) { // routing-options, protocols: what is under them, one by one
        paths(c, p, out);
      } else if (c.kind == Kind.KEPT) {
        // kept, not interpreted
      } else if (c.namesChildren() && hasOpen(c)) {
        p.add("*");
        out.add(List.copyOf(p));
      } else {
        out.add(List.copyOf(p));
      }
    }
  }

  private static boolean hasOpen(Node n) {
    for (Node c : n.children.values()) {
      if (c.open || hasOpen(c)) {
        return true;
      }
    }
    Node p = n.positional;
    return p != null && hasOpen(p);
  }

  /** The layout of a node, or for a word outside the schema, Junos's usual one for that word. */
  static Layout layout(@Nullable Node node, String keyword) {
    if (node != null && !node.keyword.isEmpty()) {
      return node.layout;
    }
    return switch (keyword) {
      case "protocols",
          "routing-options",
          "system",
          "chassis",
          "forwarding-options",
          "bgp",
          "ospf",
          "ospf3",
          "isis",
          "lldp",
          "rstp",
          "services",
          "static" ->
          Layout.BLOCK;
      case "group", "neighbor", "unit", "family", "term", "policy-statement" -> Layout.NAMED;
      case "interface", "address", "route" -> Layout.REPEAT;
      default -> Layout.COMPACT;
    };
  }

  static String orList(List<String> words) {
    if (words.size() <= 1) {
      return String.join("", words);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " or "
        + words.get(words.size() - 1);
  }

  private static String quote(String word) {
    return '"' + word + '"';
  }
}
