/**
 * EVPN codec: values (route distinguishers, ESIs, MACs, Ethernet tags, label fields, extended
 * communities), the NLRI of every EVPN route type (RFC 7432, 9136, 9251, 9572), path attributes,
 * and BGP messages with RFC 7606 error handling, over Netty {@code ByteBuf}s. Runtime dependencies:
 * netty-buffer alone (JSpecify annotations at compile time).
 *
 * @since 0.1
 */
module io.evpnkit.evpn {
  requires transitive io.netty.buffer;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.evpn;
}
