/**
 * Junos-style configuration and routing policy for EVPN-VXLAN VTEPs.
 *
 * @since 0.1
 */
module io.evpnkit.policy {
  requires transitive io.evpnkit.evpn;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.policy;
}
