/**
 * The EVPN RIB: the forwarding-table SPI ({@link io.evpnkit.rib.ForwardingDriver}, {@link
 * io.evpnkit.rib.ForwardingOp}), the reference driver {@link
 * io.evpnkit.rib.InMemoryForwardingTable}, and {@link io.evpnkit.rib.EvpnRib}, which turns received
 * and locally learned EVPN routes into forwarding state: route-target import through each
 * instance's {@code vrf-import}, MAC mobility (RFC 7432 §15), aliasing and mass withdraw over
 * next-hop groups (RFC 7432 §8), flood lists from inclusive multicast routes, ARP/ND suppression
 * entries (RFC 9161) and IP prefix routes (RFC 9136).
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.rib;

import org.jspecify.annotations.NullMarked;
