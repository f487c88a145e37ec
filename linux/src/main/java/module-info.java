/**
 * The Linux kernel as an EVPN VTEP: {@link io.evpnkit.linux.LinuxDriver}, a forwarding driver over
 * rtnetlink.
 */
module io.evpnkit.linux {
  requires transitive io.evpnkit.evpn;
  requires transitive io.evpnkit.policy;
  requires transitive io.evpnkit.rib;
  requires com.sun.jna;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.linux;
}
