/**
 * A BGP speaker for L2VPN/EVPN on Netty transport: {@link io.evpnkit.speaker.BgpSpeaker} holds
 * sessions with its peers (the RFC 4271 state machine, capability negotiation, keepalives and hold
 * timers, connection collisions) and hands what they receive, decoded, to a {@link
 * io.evpnkit.speaker.SessionListener} on one event loop thread.
 */
@NullMarked
package io.evpnkit.speaker;

import org.jspecify.annotations.NullMarked;
