/**
 * Test toolkit for evpnkit and for users hardening their own parsers: pcap/pcapng I/O and TCP
 * reassembly, seeded generators of valid and mutated VXLAN frames, EVPN UPDATEs and route events,
 * and parser contract, differential and round-trip checks (see the package documentation).
 *
 * @since 0.1
 */
@SuppressWarnings({
  "requires-automatic",
  "requires-transitive-automatic"
}) // jazzer-api has no module name
module io.evpnkit.testkit {
  requires transitive io.evpnkit.vxlan;
  requires transitive io.evpnkit.evpn;
  requires io.netty.common;
  requires jdk.management;
  requires static transitive jazzer.api;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.testkit;
}
