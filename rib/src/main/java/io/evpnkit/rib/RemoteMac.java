package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;

/**
 * What a remote MAC route says of its MAC: the advertising VTEP, the MAC Mobility sequence and
 * sticky flag (RFC 7432 §7.7; 0 and not sticky without the community), the Ethernet segment, and
 * whether it carries the Default Gateway community (RFC 7432 §10.1). Values repeat across MACs and
 * are shared ({@link Cache}).
 */
record RemoteMac(
    IpAddress vtep, long sequence, boolean sticky, EthernetSegmentIdentifier esi, boolean gateway) {

  /**
   * Remote MAC values repeat (the same VTEP, sequence and segment for most MACs): a small
   * direct-mapped cache hands out one instance per value instead of one per MAC.
   */
  static final class Cache {
    private final RemoteMac[] slots = new RemoteMac[1024];

    RemoteMac of(
        IpAddress vtep,
        long sequence,
        boolean sticky,
        EthernetSegmentIdentifier esi,
        boolean gateway) {
      int h = vtep.hashCode();
      h = h * 31 + Long.hashCode(sequence);
      h = h * 31 + esi.hashCode();
      h = h * 4 + (sticky ? 2 : 0) + (gateway ? 1 : 0);
      int i = ((h * 0x9E37_79B9) >>> 22) & (slots.length - 1);
      RemoteMac known = slots[i];
      if (known != null
          && known.sequence == sequence
          && known.sticky == sticky
          && known.gateway == gateway
          && known.vtep.equals(vtep)
          && known.esi.equals(esi)) {
        return known; // no object for the usual route
      }
      RemoteMac r = new RemoteMac(vtep, sequence, sticky, esi, gateway);
      slots[i] = r;
      return r;
    }
  }
}
