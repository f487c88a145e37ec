/**
 * EVPN wire formats for BGP AFI 25 / SAFI 70 (RFC 7432, RFC 8365, RFC 9136 and their successors).
 *
 * <p>This first part holds the values every route is made of, each immutable with {@code of},
 * {@code parse} and a {@code toString} that {@code parse} inverts, unsigned ordering, and absolute-index
 * {@code read}/{@code write} on {@link io.netty.buffer.ByteBuf}s:
 * {@link io.evpnkit.evpn.RouteDistinguisher} (RFC 4364 §4.2),
 * {@link io.evpnkit.evpn.EthernetSegmentIdentifier} (RFC 7432 §5),
 * {@link io.evpnkit.evpn.MacAddress}, {@link io.evpnkit.evpn.EthernetTag} and
 * {@link io.evpnkit.evpn.LabelField} (RFC 7432 §7, RFC 8365 §5.1.3).
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.evpn;

import org.jspecify.annotations.NullMarked;
