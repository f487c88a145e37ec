/**
 * OVSDB (RFC 7047) for evpnkit: {@link io.evpnkit.ovsdb.OvsdbClient}, the {@code hardware_vtep}
 * schema's tables ({@link io.evpnkit.ovsdb.VtepReplica}), a forwarding driver that programs a TOR
 * ({@link io.evpnkit.ovsdb.OvsdbDriver}).
 */
module io.evpnkit.ovsdb {
  requires transitive io.evpnkit.evpn;
  requires transitive io.evpnkit.policy;
  requires transitive io.evpnkit.rib;
  requires transitive io.netty.transport;
  requires transitive io.netty.common;
  requires transitive io.netty.buffer;
  requires transitive com.fasterxml.jackson.databind;
  requires io.netty.codec;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.ovsdb;
}
