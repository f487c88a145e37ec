/**
 * Public test toolkit: capture file I/O ({@link io.evpnkit.testkit.CaptureReader} for libpcap in both byte
 * orders with microsecond or nanosecond timestamps and for pcapng; {@link io.evpnkit.testkit.PcapWriter}),
 * and seeded, reproducible generators of valid VXLAN frames ({@link io.evpnkit.testkit.VxlanFrameGenerator})
 * and of their malformations ({@link io.evpnkit.testkit.FrameMutator}).
 *
 * <p>Every generated case carries the seed that recreates it; failures print it, and one call replays it.
 * Nothing here depends on a test framework.
 *
 * @since 0.1
 */
@NullMarked
package io.evpnkit.testkit;

import org.jspecify.annotations.NullMarked;
