package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;

/**
 * A BGP peer routes come from: its address, BGP identifier and whether the session is external.
 * Used for the decision process's last tie-breaks (RFC 4271 §9.1.2.2) and as the Adj-RIB-In's key.
 *
 * @param address the peer's address
 * @param routerId its BGP identifier (unsigned 32 bits)
 * @param external whether the session is eBGP
 * @since 0.1
 */
@Beta
public record Peer(IpAddress address, long routerId, boolean external) {}
