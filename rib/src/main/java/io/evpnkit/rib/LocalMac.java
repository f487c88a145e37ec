package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.IpAddress;
import java.util.ArrayList;
import java.util.List;

/** A MAC learned on a local port (or configured static), with what this VTEP advertises for it. */
final class LocalMac {
  final String port;
  final long sequence;
  final boolean sticky;
  // the host's addresses seen by ARP/ND snooping (IPv4, IPv6, link-local): one MAC/IP route each
  final List<IpAddress> ips;
  final EthernetSegmentIdentifier esi;
  final List<EvpnRoute> advertised = new ArrayList<>();
  // a sticky remote route holds the MAC (RFC 7432 §15.2): this binding is kept, neither used nor
  // advertised, and
  // becomes active when that route goes
  boolean suppressed;

  LocalMac(
      String port,
      long sequence,
      boolean sticky,
      List<IpAddress> ips,
      EthernetSegmentIdentifier esi) {
    this.port = port;
    this.sequence = sequence;
    this.sticky = sticky;
    this.ips = new ArrayList<>(ips);
    this.esi = esi;
  }

  /** The MAC of an IRB interface configured static: the anycast gateway's (RFC 9135 §4.1). */
  boolean isGateway() {
    return sticky && port.startsWith("irb.");
  }
}
