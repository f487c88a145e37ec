package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import org.jspecify.annotations.Nullable;

/**
 * One VLAN of a switching instance ({@code vlans NAME { vlan-id N; vxlan { vni V;
 * ingress-node-replication; } l3-interface irb.N; }}).
 *
 * @param name its name
 * @param vlanId the VLAN id, 1..4094, or -1 without one ({@code vlan-id none} is not modelled)
 * @param vni the VXLAN VNI, 1..16777215, or -1 without one
 * @param ingressNodeReplication whether {@code vxlan ingress-node-replication} is set
 * @param l3Interface the IRB interface unit ({@code irb.100}), or {@code null}
 * @since 0.1
 */
@Beta
public record Vlan(
    String name,
    int vlanId,
    int vni,
    boolean ingressNodeReplication,
    @Nullable String l3Interface) {}
