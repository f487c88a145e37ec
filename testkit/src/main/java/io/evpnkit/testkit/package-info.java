/**
 * Public test toolkit for evpnkit and for users hardening their own parsers:
 *
 * <ul>
 *   <li>capture files: {@link io.evpnkit.testkit.CaptureReader} (libpcap in both byte orders,
 *       microsecond or nanosecond timestamps, and pcapng), {@link io.evpnkit.testkit.PcapWriter},
 *       TCP stream reassembly ({@link io.evpnkit.testkit.TcpReassembler}) and TCP frames to feed it
 *       ({@link io.evpnkit.testkit.TcpFrames});
 *   <li>seeded, reproducible generators of valid VXLAN frames ({@link
 *       io.evpnkit.testkit.VxlanFrameGenerator}) and their malformations ({@link
 *       io.evpnkit.testkit.FrameMutator}), of EVPN UPDATEs ({@link
 *       io.evpnkit.testkit.EvpnUpdateGenerator}) and their mutations with the RFC 7606 outcome each
 *       must reach ({@link io.evpnkit.testkit.UpdateMutator}), of OPENs, and of a fabric's route
 *       events ({@link io.evpnkit.testkit.RouteEventGenerator});
 *   <li>checks: the contract a parser owes its caller ({@link io.evpnkit.testkit.ParserContract}),
 *       differential comparison ({@link io.evpnkit.testkit.Differential}), inverse laws ({@link
 *       io.evpnkit.testkit.RoundTrip}), and Jazzer inputs that start deep in the grammar ({@link
 *       io.evpnkit.testkit.FuzzInputs}).
 * </ul>
 *
 * <p>Every generated case carries the seed that recreates it; failures print it, and one call
 * replays it. Nothing here depends on a test framework.
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.testkit;

import org.jspecify.annotations.NullMarked;
