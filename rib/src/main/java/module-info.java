/** The EVPN RIB and the forwarding-table SPI. */
module io.evpnkit.rib {
  requires transitive io.evpnkit.evpn;
  requires transitive io.evpnkit.policy;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.rib;
}
