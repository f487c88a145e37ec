package io.evpnkit.policy;

import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The EVPN-VXLAN VTEP part of a Junos configuration, validated (issue 6, first part): {@code vlans} with their VLAN
 * ids and VNIs, {@code switch-options} (VTEP source interface, route distinguisher, vrf-import, vrf-target with
 * {@code auto}) and {@code protocols evpn} (encapsulation, extended-vni-list). Immutable; built by {@link #from}, which
 * reports every problem with its line and column and returns nothing partial.
 *
 * @param vlans the VLANs by name, in configuration order
 * @param vtepSourceInterface the VTEP source interface, or {@code null}
 * @param routeDistinguisher the switch's route distinguisher, or {@code null}
 * @param vrfImport the import policies, in order
 * @param vrfTargets the explicit vrf-target communities
 * @param vrfTargetAuto whether {@code vrf-target auto} is set (targets derived from the VNI, RFC 8365 §5.1.2.1)
 * @param encapsulation the EVPN encapsulation ({@code vxlan}), or {@code null}
 * @param extendedVnis the extended VNIs; empty with {@code extendedVniAll}
 * @param extendedVniAll whether {@code extended-vni-list all} is set
 * @since 0.1
 */
public record VtepConfig(Map<String, Vlan> vlans, @Nullable String vtepSourceInterface,
    @Nullable RouteDistinguisher routeDistinguisher, List<String> vrfImport, List<ExtendedCommunity> vrfTargets,
    boolean vrfTargetAuto, @Nullable String encapsulation, List<Integer> extendedVnis, boolean extendedVniAll) {

  /**
   * One VLAN.
   *
   * @param name its name
   * @param vlanId the VLAN id, 1..4094
   * @param vni the VXLAN VNI, 1..16777215, or -1 without one
   * @param ingressNodeReplication whether {@code vxlan ingress-node-replication} is set
   */
  public record Vlan(String name, int vlanId, int vni, boolean ingressNodeReplication) {}

  /** Copies the collections. */
  public VtepConfig {
    vlans = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(vlans));
    vrfImport = List.copyOf(vrfImport);
    vrfTargets = List.copyOf(vrfTargets);
    extendedVnis = List.copyOf(extendedVnis);
  }

  /** Every problem found in a configuration, each with its line and column. */
  public static final class InvalidConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient List<ConfigException> problems;

    InvalidConfigException(List<ConfigException> problems) {
      super(problems.size() + " problem(s); first: " + problems.get(0).getMessage());
      this.problems = List.copyOf(problems);
    }

    /** Returns the problems in the order of the text. */
    public List<ConfigException> problems() {
      return problems;
    }
  }

  /**
   * Reads and validates the VTEP part of {@code config}.
   *
   * @throws InvalidConfigException listing every problem (bad or duplicate VLAN ids and VNIs, a malformed RD or
   *     target, an undefined vrf-import policy, an extended VNI no VLAN has)
   */
  public static VtepConfig from(JunosConfig config) {
    List<ConfigException> problems = new ArrayList<>();
    Map<String, int[]> vlanFields = new LinkedHashMap<>(); // name -> {vlan id, vni, ingress replication}
    Map<Integer, String> byVlanId = new HashMap<>();
    Map<Integer, String> byVni = new HashMap<>();
    for (JunosConfig.Statement s : config.select("vlans")) {
      List<String> w = s.words();
      if (w.size() < 3) {
        continue;
      }
      int[] f = vlanFields.computeIfAbsent(w.get(1), k -> new int[] {-1, -1, 0});
      String name = w.get(1);
      if (w.size() == 4 && w.get(2).equals("vlan-id")) {
        f[0] = number(w.get(3), 1, 4094, "vlan-id", s, problems);
        String other = byVlanId.putIfAbsent(f[0], name);
        if (other != null && f[0] > 0) {
          problems.add(at(s, "vlan-id " + f[0] + " is also VLAN " + other + "'s"));
        }
      } else if (w.size() == 5 && w.get(2).equals("vxlan") && w.get(3).equals("vni")) {
        f[1] = number(w.get(4), 1, 0xFF_FFFF, "vni", s, problems);
        String other = byVni.putIfAbsent(f[1], name);
        if (other != null && f[1] > 0) {
          problems.add(at(s, "vni " + f[1] + " is also VLAN " + other + "'s"));
        }
      } else if (w.size() == 4 && w.get(2).equals("vxlan") && w.get(3).equals("ingress-node-replication")) {
        f[2] = 1;
      }
    }
    Map<String, Vlan> vlans = new LinkedHashMap<>();
    vlanFields.forEach((name, f) -> vlans.put(name, new Vlan(name, f[0], f[1], f[2] == 1)));
    String source = null;
    RouteDistinguisher rd = null;
    List<String> imports = new ArrayList<>();
    List<ExtendedCommunity> targets = new ArrayList<>();
    boolean auto = false;
    for (JunosConfig.Statement s : config.select("switch-options")) {
      List<String> w = s.words();
      if (w.size() == 3 && w.get(1).equals("vtep-source-interface")) {
        source = w.get(2);
      } else if (w.size() == 3 && w.get(1).equals("route-distinguisher")) {
        try {
          rd = RouteDistinguisher.parse(w.get(2));
        } catch (MalformedException e) {
          problems.add(at(s, "route-distinguisher: " + e.reason()));
        }
      } else if (w.size() == 3 && w.get(1).equals("vrf-import")) {
        imports.add(w.get(2));
        if (config.select("policy-options", "policy-statement", w.get(2)).isEmpty()) {
          problems.add(at(s, "vrf-import " + w.get(2) + ": no such policy-statement"));
        }
      } else if (w.size() == 3 && w.get(1).equals("vrf-target")) {
        if (w.get(2).equals("auto")) {
          auto = true;
        } else {
          try {
            targets.add(ExtendedCommunity.parse(w.get(2)));
          } catch (MalformedException e) {
            problems.add(at(s, "vrf-target: " + e.reason()));
          }
        }
      }
    }
    String encapsulation = null;
    List<Integer> vnis = new ArrayList<>();
    boolean all = false;
    for (JunosConfig.Statement s : config.select("protocols", "evpn")) {
      List<String> w = s.words();
      if (w.size() == 4 && w.get(2).equals("encapsulation")) {
        encapsulation = w.get(3);
        if (!encapsulation.equals("vxlan") && !encapsulation.equals("mpls")) {
          problems.add(at(s, "encapsulation " + encapsulation + ": expected vxlan or mpls"));
        }
      } else if (w.size() == 4 && w.get(2).equals("extended-vni-list")) {
        if (w.get(3).equals("all")) {
          all = true;
        } else {
          int vni = number(w.get(3), 1, 0xFF_FFFF, "extended-vni-list", s, problems);
          vnis.add(vni);
          if (vni > 0 && !byVni.containsKey(vni)) {
            problems.add(at(s, "extended-vni-list " + vni + ": no VLAN has this VNI"));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      problems.sort(java.util.Comparator.comparingInt(ConfigException::line).thenComparingInt(ConfigException::column));
      throw new InvalidConfigException(problems);
    }
    return new VtepConfig(vlans, source, rd, imports, targets, auto, encapsulation, vnis, all);
  }

  private static int number(String text, int min, int max, String what, JunosConfig.Statement s,
      List<ConfigException> problems) {
    try {
      long v = Long.parseLong(text);
      if (v >= min && v <= max) {
        return (int) v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(at(s, what + " " + text + ": expected a number in " + min + ".." + max));
    return -1;
  }

  private static ConfigException at(JunosConfig.Statement s, String reason) {
    return new ConfigException(reason, s.line(), s.column());
  }
}
