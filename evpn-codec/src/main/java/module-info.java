/**
 * EVPN codec: values (route distinguishers, ESIs, MACs, Ethernet tags, label fields), and in later
 * steps the NLRI of every EVPN route type, attributes and BGP messages.
 *
 * @since 0.1
 */
module io.evpnkit.evpn {
  requires transitive io.netty.buffer;
  requires com.google.common;
  requires static transitive org.jspecify;

  exports io.evpnkit.evpn;
}
