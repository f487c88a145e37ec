/**
 * The EVPN RIB (every public type {@link io.evpnkit.annotations.Beta}: it grows with the BGP
 * speaker and the drivers): {@link io.evpnkit.rib.EvpnRib} turns received and locally learned EVPN
 * routes into forwarding state — route-target import and {@code vrf-import}, the decision process
 * (RFC 4271 §9.1.2.2, RFC 4456), MAC mobility and duplicate detection (RFC 7432 §15), aliasing,
 * backup and mass withdraw over next-hop groups (RFC 7432 §8, §14), DF election (RFC 7432 §8.5, RFC
 * 8584, RFC 9785) with split horizon, flood lists (RFC 8365 §9), ARP/ND suppression (RFC 9161),
 * IP-VRF routes (RFC 9135, RFC 9136), graceful restart and snapshots; the forwarding-table SPI
 * ({@link io.evpnkit.rib.ForwardingDriver}, {@link io.evpnkit.rib.ForwardingOp}, {@link
 * io.evpnkit.rib.LocalLearning}) with the reference driver {@link
 * io.evpnkit.rib.InMemoryForwardingTable}; {@link io.evpnkit.rib.AdjRibOut} for what goes to a
 * peer. One thread owns a RIB; an error in the middle of an event leaves it whole ({@link
 * io.evpnkit.rib.RibListener#internalFault}).
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.rib;

import org.jspecify.annotations.NullMarked;
