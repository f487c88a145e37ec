/**
 * Test toolkit for evpnkit and for users hardening their own parsers: pcap/pcapng I/O and seeded
 * generators of valid and mutated VXLAN frames.
 *
 * @since 0.1
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"}) // jazzer-api has no module name
module io.evpnkit.testkit {
  requires transitive io.evpnkit.vxlan;
  requires transitive io.evpnkit.evpn;
  requires io.netty.common;
  requires jdk.management;
  requires static transitive jazzer.api;
  requires static transitive org.jspecify;

  exports io.evpnkit.testkit;
}
