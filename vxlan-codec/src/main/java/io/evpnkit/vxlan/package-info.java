/**
 * VXLAN data plane over Netty {@link io.netty.buffer.ByteBuf}s, with no copy and no allocation per
 * packet.
 *
 * <ul>
 *   <li>{@link io.evpnkit.vxlan.VxlanHeader}: the 8-byte header of RFC 7348 §5, with the Group
 *       Based Policy extension (draft-smith-vxlan-group-policy) and VXLAN-GPE
 *       (draft-ietf-nvo3-vxlan-gpe).
 *   <li>{@link io.evpnkit.vxlan.VxlanEncapsulator} with an immutable {@link
 *       io.evpnkit.vxlan.VxlanTunnel}: outer Ethernet (optional 802.1Q), IPv4 or IPv6, UDP and
 *       VXLAN written into the headroom of the inner frame (RFC 7348 §5, ECN per RFC 6040, IPv6
 *       zero UDP checksum per RFC 6935/6936).
 *   <li>{@link io.evpnkit.vxlan.VxlanDecapsulator}: validation of every outer layer with a typed
 *       {@link io.evpnkit.vxlan.DropReason} and counters instead of exceptions.
 *   <li>Inner frame views: {@link io.evpnkit.vxlan.EthernetFrame}, {@link
 *       io.evpnkit.vxlan.ArpPacket}, {@link io.evpnkit.vxlan.NeighborDiscoveryMessage}, and the
 *       5-tuple and entropy hash {@link io.evpnkit.vxlan.FlowKey}.
 * </ul>
 *
 * <p>Flyweights read with absolute indexes and never move a caller's reader or writer index unless
 * a method says so. Unless stated otherwise, objects of this package are not thread-safe; immutable
 * values ({@link io.evpnkit.vxlan.VxlanTunnel}, {@link io.evpnkit.vxlan.DecapsulatorConfig}) are.
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.vxlan;

import org.jspecify.annotations.NullMarked;
