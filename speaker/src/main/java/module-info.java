/**
 * BGP sessions for L2VPN/EVPN on Netty transport: {@link io.evpnkit.speaker.BgpSpeaker}, {@link
 * io.evpnkit.speaker.RibSessions} and {@link io.evpnkit.speaker.RouteReflector}.
 */
module io.evpnkit.speaker {
  requires transitive io.evpnkit.evpn;
  requires transitive io.evpnkit.policy;
  requires transitive io.evpnkit.rib;
  requires transitive io.netty.transport;
  requires transitive io.netty.common;
  requires transitive io.netty.buffer;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.unix.common;
  requires static transitive org.jspecify;
  requires static transitive io.evpnkit.annotations;

  exports io.evpnkit.speaker;
}
