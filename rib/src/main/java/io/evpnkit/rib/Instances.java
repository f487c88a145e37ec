package io.evpnkit.rib;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VrfPolicy;
import io.evpnkit.policy.VtepConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The routing instances of a VTEP and which of them a received route enters: by route target (RFC
 * 4364 §4.3.1, the {@code vrf-target} of RFC 7432 §7.10 and RFC 8365 §5.1.2.1), through an index
 * looked up once per extended community without boxing it; or through the {@code vrf-import} policy
 * of the instances that have one.
 */
final class Instances {
  private final List<Instance> all = new ArrayList<>();
  private final TargetIndex byTarget =
      new TargetIndex(); // route target value -> the instances importing it
  private final List<Instance> withImportPolicy = new ArrayList<>();
  private final Map<Integer, Instance> byVni = new HashMap<>();
  private final PolicyResult policyResult = new PolicyResult();
  private final List<Instance> scratch = new ArrayList<>();
  // a handful of distinct lists serve every route: one instance of each
  private final Map<List<Instance>, List<Instance>> lists = new HashMap<>();

  /** The instances the RIB serves: VRFs, and instances with VLANs, targets or an import policy. */
  Instances(VtepConfig config, long as) {
    for (RoutingInstance r : config.instances().values()) {
      boolean used =
          r.type() == RoutingInstance.Type.VRF
              || !r.vlans().isEmpty()
              || !r.vrfTargets().isEmpty()
              || r.vrfTargetAuto()
              || !r.vrfImport().isEmpty();
      if (!used) {
        continue;
      }
      Instance i = new Instance(r, VrfPolicy.of(config, r.name(), Math.max(as, 0)));
      all.add(i);
      if (!r.vrfImport().isEmpty()) {
        withImportPolicy.add(i);
      } else {
        for (ExtendedCommunity t : i.policy.importTargets()) {
          byTarget.getOrAdd(t.value()).add(i);
        }
      }
      i.vlansByVni.keySet().forEach(vni -> byVni.putIfAbsent(vni, i));
    }
  }

  List<Instance> all() {
    return all;
  }

  /** The instance of bridge domain {@code vni}, or {@code null}. */
  @Nullable Instance ofVni(int vni) {
    return byVni.get(vni);
  }

  /** The VNIs of every bridge domain. */
  Set<Integer> vnis() {
    return byVni.keySet();
  }

  /** The VLAN id of a {@code vlan-members} entry (a VLAN's name or a number), or {@code null}. */
  @Nullable Integer vlanId(String member) {
    for (Instance i : all) {
      Vlan v = i.config.vlans().get(member);
      if (v != null) {
        return v.vlanId();
      }
    }
    try {
      return Integer.valueOf(member);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The instance and VLAN with VLAN id {@code vlanId}, or {@code null}. */
  Map.@Nullable Entry<Instance, Vlan> vlan(int vlanId) {
    for (Instance i : all) {
      for (Vlan v : i.config.vlans().values()) {
        if (v.vlanId() == vlanId) {
          return Map.entry(i, v);
        }
      }
    }
    return null;
  }

  /**
   * The instances a route enters: the route-target index, and the instances with an import policy.
   * The list is shared (one per distinct set) and immutable.
   */
  List<Instance> importing(PathAttributes attributes, EvpnNlri nlri) {
    List<Instance> out = scratch;
    out.clear();
    for (int i = 0, n = attributes.extendedCommunityCount(); i < n; i++) {
      List<Instance> l = byTarget.get(attributes.extendedCommunityValue(i));
      if (l != null) {
        for (Instance inst : l) {
          if (!out.contains(inst)) {
            out.add(inst);
          }
        }
      }
    }
    for (Instance inst : withImportPolicy) {
      if (inst.policy.acceptsImport(nlri, attributes, policyResult)) {
        out.add(inst);
      }
    }
    List<Instance> known = lists.get(out);
    if (known == null) {
      known = List.copyOf(out);
      lists.put(known, known);
    }
    return known;
  }

  /**
   * The instances importing each route target, looked up for every extended community without
   * boxing it.
   */
  private static final class TargetIndex extends ObjectTable<Targeted> {
    @Nullable List<Instance> get(long target) {
      int i = findLong(target, Targeted::target);
      return i < 0 ? null : java.util.Objects.requireNonNull(at(i)).instances();
    }

    List<Instance> getOrAdd(long target) {
      List<Instance> l = get(target);
      if (l == null) {
        l = new ArrayList<>();
        add(new Targeted(target, l), hashLong(target));
      }
      return l;
    }
  }

  private record Targeted(long target, List<Instance> instances) {}
}
