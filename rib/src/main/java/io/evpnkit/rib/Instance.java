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

  Instance(RoutingInstance config, VrfPolicy policy) {
    this.config = config;
    this.policy = policy;
    for (Vlan v : config.vlans().values()) {
      if (v.vni() > 0) {
        vlansByVni.put(v.vni(), v);
      }
    }
  }

  /**
   * Whether MAC routes of bridge domain {@code vni} enter this instance (a MAC-VRF that has it).
   */
  boolean bridges(int vni) {
    return config.type().isSwitching() && vlansByVni.containsKey(vni);
  }

  boolean isIpVrf() {
    return config.type() == RoutingInstance.Type.VRF;
  }

  String name() {
    return config.name();
  }
}
