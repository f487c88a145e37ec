package io.evpnkit.rib;

import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VrfPolicy;
import java.util.HashMap;
import java.util.Map;

/**
 * A routing instance the RIB serves: its configuration, its import/export rules, and its VLANs by
 * VNI.
 */
final class Instance {
  final RoutingInstance config;
  final VrfPolicy policy;
  final Map<Integer, Vlan> vlansByVni = new HashMap<>();
  // the same VNIs in order, for the per-route question "does this instance have VNI n" unboxed
  private final int[] vnis;

  Instance(RoutingInstance config, VrfPolicy policy) {
    this.config = config;
    this.policy = policy;
    for (Vlan v : config.vlans().values()) {
      if (v.vni() > 0) {
        vlansByVni.put(v.vni(), v);
      }
    }
    vnis = vlansByVni.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  /**
   * Whether MAC routes of bridge domain {@code vni} enter this instance (a MAC-VRF that has it).
   */
  boolean bridges(int vni) {
    return config.type().isSwitching() && java.util.Arrays.binarySearch(vnis, vni) >= 0;
  }

  boolean isIpVrf() {
    return config.type() == RoutingInstance.Type.VRF;
  }

  String name() {
    return config.name();
  }
}
