package io.evpnkit.benchmarks;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.VtepConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The BGP peer the ingest benchmarks stream a corpus from, written by hand: it opens the session
 * (OPEN with 4-octet AS and L2VPN/EVPN, hold time 0, KEEPALIVE), reads and drops whatever the
 * receiver sends, and waits until the receiver says the session is up; then the benchmark writes
 * the corpus's UPDATEs as they are. Also the configuration of the leaf that imports the corpus's 40
 * VNIs.
 */
final class CorpusSender {
  /** The AS of the corpus's routes (the first AS of their AS_PATH). */
  static final long AS = 4_200_000_100L;

  private CorpusSender() {}

  /**
   * A leaf in AS 65000 with the corpus's 40 VNIs (10000-10039) and FRR's automatic route targets
   * (65000:VNI), so that it imports every route.
   */
  static VtepConfig leaf(String routerId) {
    StringBuilder vlans = new StringBuilder();
    for (int k = 0; k < 40; k++) {
      vlans.append("v").append(k).append(" { vlan-id ").append(k + 2);
      vlans.append("; vxlan { vni ").append(10000 + k).append("; } } ");
    }
    return VtepConfig.parse(
        """
        routing-options { router-id %1$s; autonomous-system 65000; }
        switch-options {
            vtep-source-interface lo0.0;
            route-distinguisher %1$s:1;
            vrf-target auto;
            vrf-target auto-derivation frr;
        }
        vlans { %2$s}
        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
        """
            .formatted(routerId, vlans));
  }

  /**
   * Connects from {@code from} to {@code target} (retrying for 30 s while nothing listens), opens
   * the session and waits until {@code established} says yes.
   */
  static Socket open(String from, InetSocketAddress target, Callable<Boolean> established)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    Socket socket;
    while (true) {
      socket = new Socket();
      socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
      try {
        socket.connect(target, 5000);
        break;
      } catch (IOException e) {
        socket.close();
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
    OutputStream out = socket.getOutputStream();
    BgpOpen open =
        new BgpOpen(
            AS,
            0, // no keepalives needed while the corpus streams
            IpAddress.parse(from).ipv4(),
            List.of(Capability.Multiprotocol.L2VPN_EVPN, new Capability.FourOctetAs(AS)));
    out.write(bytes(open::write));
    out.write(bytes(BgpMessages::writeKeepalive));
    out.flush();
    InputStream in = socket.getInputStream();
    Thread drain =
        new Thread(
            () -> {
              byte[] b = new byte[1 << 16];
              try {
                while (in.read(b) >= 0) {
                  // the receiver's OPEN and KEEPALIVEs
                }
              } catch (IOException e) {
                // closed
              }
            },
            "drain");
    drain.setDaemon(true);
    drain.start();
    while (!established.call()) {
      if (System.nanoTime() > deadline) {
        socket.close();
        throw new IllegalStateException("the session to " + target + " did not come up");
      }
      Thread.sleep(10);
    }
    return socket;
  }

  private static byte[] bytes(java.util.function.Consumer<ByteBuf> writer) {
    ByteBuf b = Unpooled.buffer();
    try {
      writer.accept(b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }
}
