/**
 * EVPN wire formats for BGP AFI 25 / SAFI 70 (RFC 7432, RFC 8365, RFC 9136 and their successors).
 *
 * <ul>
 *   <li>Values, each immutable with {@code parse} and a {@code toString} that {@code parse}
 *       inverts, unsigned ordering, and absolute-index {@code read}/{@code write} on {@link
 *       io.netty.buffer.ByteBuf}s: {@link io.evpnkit.evpn.RouteDistinguisher} (RFC 4364 §4.2),
 *       {@link io.evpnkit.evpn.EthernetSegmentIdentifier} (RFC 7432 §5), {@link
 *       io.evpnkit.evpn.MacAddress}, {@link io.evpnkit.evpn.EthernetTag}, {@link
 *       io.evpnkit.evpn.LabelField} (RFC 8365 §5.1.3), {@link io.evpnkit.evpn.IpAddress}, {@link
 *       io.evpnkit.evpn.ExtendedCommunity} (RFC 4360, 5668, 7432, 9012, 9135), {@link
 *       io.evpnkit.evpn.PmsiTunnel} (RFC 6514 §5).
 *   <li>{@link io.evpnkit.evpn.EvpnNlri}: the zero-allocation flyweight over one NLRI, validated
 *       once (RFC 7432 §7, RFC 9136 §3.1), with {@link io.evpnkit.evpn.NlriError} for what RFC 7606
 *       makes treat-as-withdraw or unparseable.
 *   <li>{@link io.evpnkit.evpn.EvpnRoute}: route values per type, and {@link
 *       io.evpnkit.evpn.EvpnRoutes} for wire, Junos and FRR forms.
 * </ul>
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.evpn;

import org.jspecify.annotations.NullMarked;
