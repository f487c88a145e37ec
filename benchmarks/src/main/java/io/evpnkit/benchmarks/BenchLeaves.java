package io.evpnkit.benchmarks;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.Netns;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingDriver;
import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.RealPeers;
import io.evpnkit.speaker.RibSessions;
import io.evpnkit.speaker.SessionState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The receiving leaves of the ingest and kernel benchmarks, made one way: an evpnkit leaf (the RIB
 * of a configuration over a forwarding driver, under {@link RibSessions}, a speaker that waits for
 * the {@link CorpusSender}) or an FRR leaf (zebra and bgpd in a namespace, its bridges and VXLAN
 * devices made as FRR's users make them, reached over a veth).
 */
final class BenchLeaves {
  private BenchLeaves() {}

  /** An evpnkit leaf: its speaker, where it listens, and whether the sender's session is up. */
  record Evpnkit(
      BgpSpeaker speaker, RibSessions sessions, InetSocketAddress address, PeerSession peer) {
    Callable<Boolean> established() {
      return () -> peer.state() == SessionState.ESTABLISHED;
    }
  }

  /**
   * A leaf of {@code config} at VTEP {@code vtep} programming {@code driver}, listening on {@code
   * receiver} for the corpus sender at {@code sender}.
   */
  static Evpnkit evpnkit(
      VtepConfig config, IpAddress vtep, ForwardingDriver driver, String receiver, String sender) {
    RibSessions sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(config, vtep, driver)
                    .routeSink(sink)
                    .routerId(IpAddress.parse(receiver))
                    .build());
    BgpSpeaker speaker =
        BgpSpeaker.builder(65000, IpAddress.parse(receiver))
            .listener(sessions)
            .listen(new InetSocketAddress(receiver, 0))
            .build();
    PeerSession peer =
        speaker.addPeer(
            PeerConfig.builder(new InetSocketAddress(sender, 179), CorpusSender.AS)
                .passive(true)
                .build());
    return new Evpnkit(speaker, sessions, speaker.listenAddresses().get(0), peer);
  }

  /**
   * An FRR leaf in {@code ns} (AS 65000, {@code advertise-all-vni}) with a bridge brVNI and a VXLAN
   * device vxlanVNI from {@code local} per VNI; the sender reaches its bgpd over a veth {@code
   * outside} (in this namespace, address {@code sender}/30) to {@code up0} (in {@code ns}, {@code
   * frr}/30), and 10.255.0.0/16 (the routes' VTEPs) is routed back over it, as FRR's nexthop
   * tracking resolves nothing through a default route. Returns once zebra knows the VNIs.
   */
  static FrrLeaf frr(
      Netns ns, String outside, String sender, String frr, String local, List<Integer> vnis)
      throws Exception {
    StringBuilder batch = new StringBuilder();
    for (int vni : vnis) {
      batch.append("link add br").append(vni).append(" type bridge\n");
      batch.append("link add vxlan").append(vni).append(" type vxlan id ").append(vni);
      batch.append(" local ").append(local).append(" dstport 4789 nolearning\n");
      batch.append("link set vxlan").append(vni).append(" master br").append(vni).append('\n');
      batch.append("link set br").append(vni).append(" up\n");
      batch.append("link set vxlan").append(vni).append(" up\n");
    }
    Path file = Files.createTempFile("links", ".batch");
    Files.writeString(file, batch);
    ns.exec("ip", "-batch", file.toString());
    Files.delete(file);
    Netns.run(
        List.of(
            "ip", "link", "add", outside, "type", "veth", "peer", "name", "up0", "netns",
            ns.name()));
    Netns.run(List.of("ip", "addr", "add", sender + "/30", "dev", outside));
    Netns.run(List.of("ip", "link", "set", outside, "up"));
    ns.exec("ip", "addr", "add", frr + "/30", "dev", "up0");
    ns.exec("ip", "link", "set", "up0", "up");
    ns.exec("ip", "route", "add", "10.255.0.0/16", "via", sender);
    FrrLeaf f =
        new FrrLeaf(
            ns,
            """
            hostname frr-bench
            router bgp 65000
             bgp router-id %3$s
             no bgp default ipv4-unicast
             no bgp ebgp-requires-policy
             neighbor %1$s remote-as %2$d
             neighbor %1$s passive
             address-family l2vpn evpn
              neighbor %1$s activate
              advertise-all-vni
             exit-address-family
            """
                .formatted(sender, CorpusSender.AS, frr));
    RealPeers.await(
        "zebra to know the VNIs", () -> f.json("show evpn vni json").size() >= vnis.size());
    return f;
  }

  /** Whether FRR's session with the sender at {@code sender} is established. */
  static Callable<Boolean> established(FrrLeaf f, String sender) {
    return () ->
        f.json("show bgp l2vpn evpn summary json")
            .path("peers")
            .path(sender)
            .path("state")
            .asText()
            .equals("Established");
  }
}
