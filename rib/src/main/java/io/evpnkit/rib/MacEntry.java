package io.evpnkit.rib;

import io.evpnkit.evpn.MacAddress;

/**
 * What the RIB knows of one MAC in one bridge domain: where it wins now, with which MAC mobility sequence number,
 * and whether duplicate detection froze it.
 *
 * @param vni the bridge domain
 * @param mac the MAC
 * @param location the winning location: {@code local <port>} or {@code remote <vtep>}
 * @param sequence the winning MAC mobility sequence number (0 without the community)
 * @param sticky whether the winner is sticky (static)
 * @param local whether the winner is local
 * @param frozen whether duplicate detection froze the MAC
 * @param remotePaths the remote routes known for the MAC (all PEs, MAC-only and MAC/IP)
 * @since 0.1
 */
public record MacEntry(int vni, MacAddress mac, String location, long sequence, boolean sticky, boolean local,
    boolean frozen, int remotePaths) {}
