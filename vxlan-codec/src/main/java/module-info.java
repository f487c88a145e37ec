/**
 * Zero-copy VXLAN codec: the VXLAN header (RFC 7348, GBP, VXLAN-GPE), in-place encapsulation into a
 * frame's headroom and decapsulation with typed drop reasons, and flyweight views of inner frames.
 *
 * @since 0.1
 */
module io.evpnkit.vxlan {
  requires transitive io.netty.buffer;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.vxlan;
}
