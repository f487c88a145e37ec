/**
 * Junos-style configuration and routing policy for EVPN-VXLAN VTEPs (every public type {@link
 * io.evpnkit.annotations.Beta}: the configuration model grows with the speaker and the drivers):
 * {@link io.evpnkit.policy.JunosConfig} reads the curly-brace hierarchy and {@code set} commands
 * into one form; {@link io.evpnkit.policy.VtepConfig} is the validated model (interfaces,
 * instances, policy options); {@link io.evpnkit.policy.PolicyChain} evaluates compiled policies on
 * evpn-codec's route flyweights without allocating; {@link io.evpnkit.policy.VrfPolicy} applies
 * vrf-import, vrf-export and vrf-target (with RFC 8365 §5.1.2.1 auto targets, {@link
 * io.evpnkit.policy.RouteTargets}).
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.policy;

import org.jspecify.annotations.NullMarked;
