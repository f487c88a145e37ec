package io.evpnkit.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.rib.Destination;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.LocalLearning;
import io.evpnkit.speaker.RealPeers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own learning, reported to the RIB: a host in a namespace of its own, on a veth into
 * the leaf's bridge, sends traffic; what the bridge and the ARP table learn comes back as local
 * MACs with their IP address, and goes when the kernel forgets it.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class KernelLearningTest {
  /** What the driver reported, one line per call. */
  static final class Recorded implements LocalLearning {
    final List<String> calls = new CopyOnWriteArrayList<>();

    @Override
    public void macLearned(int vni, MacAddress mac, String port, @Nullable IpAddress ip) {
      calls.add("learned " + vni + " " + mac + " " + port + (ip == null ? "" : " " + ip));
    }

    @Override
    public void macAged(int vni, MacAddress mac) {
      calls.add("aged " + vni + " " + mac);
    }

    @Override
    public void neighborAged(int vni, MacAddress mac, IpAddress ip) {
      calls.add("neighbor aged " + vni + " " + mac + " " + ip);
    }

    @Override
    public void portDown(String port) {
      calls.add("down " + port);
    }

    @Override
    public void portUp(String port) {
      calls.add("up " + port);
    }
  }

  @Test
  void aHostsMacAndAddressLearnedByTheKernelGoToTheRibAndAgeOut() throws Exception {
    Recorded rib = new Recorded();
    try (Netns leaf = Netns.create("leaf");
        Netns host = Netns.create("host");
        LinuxDriver driver =
            LinuxDriver.builder(IpAddress.parse("192.0.2.1"))
                .netns(leaf.name())
                .learning(Runnable::run)
                .build()) {
      driver.attach(rib);
      leaf.exec(
          "ip", "link", "add", "p1", "type", "veth", "peer", "name", "eth0", "netns", host.name());
      driver.ensureDomain(100);
      driver.attachPort(100, "p1");
      leaf.exec("ip", "addr", "add", "10.0.0.254/24", "dev", "br100"); // the anycast gateway's SVI
      host.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "eth0");
      host.exec("ip", "link", "set", "eth0", "up");
      String hostMac = host.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
      // a remote MAC the driver installs is not echoed back as local
      driver.apply(
          List.of(
              new ForwardingOp.SetMac(
                  100,
                  MacAddress.parse("00:00:5e:00:53:77"),
                  new Destination.RemoteVtep(IpAddress.parse("192.0.2.2")))));
      host.exec("ping", "-c", "1", "-W", "2", "10.0.0.254");
      RealPeers.await(
          "the host's MAC with its address",
          () -> rib.calls.contains("learned 100 " + hostMac + " p1.0 10.0.0.1"));
      rib.calls.removeIf(c -> c.startsWith("up ") || c.startsWith("down ")); // the veth's carrier
      assertEquals(
          "learned 100 " + hostMac + " p1.0", rib.calls.get(0), "the MAC first, from the bridge");
      assertFalse(rib.calls.toString().contains("00:00:5e:00:53:77"), rib.calls.toString());

      leaf.exec("ip", "neigh", "del", "10.0.0.1", "dev", "br100");
      RealPeers.await(
          "the address aged",
          () -> rib.calls.contains("neighbor aged 100 " + hostMac + " 10.0.0.1"));
      leaf.exec("bridge", "fdb", "del", hostMac, "dev", "p1", "master");
      RealPeers.await("the MAC aged", () -> rib.calls.contains("aged 100 " + hostMac));
      assertTrue(rib.calls.size() <= 5, rib.calls.toString());
    }
  }

  /**
   * A host's link fails (its end of the veth goes down, the leaf's port loses its carrier): the
   * port is reported down before the MACs the kernel flushes from it, and those are not aged at
   * once (on an Ethernet segment the segment's other PEs still reach them, RFC 7432 §8.2); the
   * carrier back, the port is up and the MAC learned again.
   */
  @Test
  void aPortThatLosesItsCarrierIsDownAndItsFlushedMacsAreHeldNotAged() throws Exception {
    Recorded rib = new Recorded();
    try (Netns leaf = Netns.create("leaf");
        Netns host = Netns.create("host");
        LinuxDriver driver =
            LinuxDriver.builder(IpAddress.parse("192.0.2.1"))
                .netns(leaf.name())
                .learning(Runnable::run)
                .build()) {
      leaf.exec(
          "ip", "link", "add", "p1", "type", "veth", "peer", "name", "eth0", "netns", host.name());
      driver.ensureDomain(100);
      driver.attachPort(100, "p1");
      host.exec("ip", "addr", "add", "10.0.0.1/24", "dev", "eth0");
      host.exec("ip", "link", "set", "eth0", "up");
      driver.attach(rib);
      String hostMac = host.json("ip", "-j", "link", "show", "eth0").get(0).get("address").asText();
      sendSomething(host);
      RealPeers.await(
          "the host's MAC", () -> rib.calls.contains("learned 100 " + hostMac + " p1.0"));
      rib.calls.clear();
      host.exec("ip", "link", "set", "eth0", "down");
      RealPeers.await("the port down", () -> rib.calls.contains("down p1.0"));
      RealPeers.await(
          "the kernel's flush",
          () -> !leaf.exec("bridge", "fdb", "show", "br", "br100").contains(hostMac));
      // a marker entry after the flush (static: a port that is down takes no dynamic one): its
      // notification comes after the flush's on the same socket, so once it is learned every
      // deletion of the flush has been read
      String marker = "02:00:00:00:00:99";
      leaf.exec("bridge", "fdb", "add", marker, "dev", "p1", "master", "static");
      RealPeers.await(
          "the marker entry", () -> rib.calls.contains("learned 100 " + marker + " p1.0"));
      assertEquals(
          List.of("down p1.0", "learned 100 " + marker + " p1.0"), rib.calls, "held, not aged");
      host.exec("ip", "link", "set", "eth0", "up");
      RealPeers.await("the port up", () -> rib.calls.contains("up p1.0"));
      sendSomething(host);
      RealPeers.await(
          "the MAC learned again", () -> rib.calls.contains("learned 100 " + hostMac + " p1.0"));
      assertFalse(rib.calls.toString().contains("aged"), rib.calls.toString());
    }
  }

  /** A frame from the host (an ARP request nobody answers): the bridge learns its MAC. */
  private static void sendSomething(Netns host) throws Exception {
    try {
      host.exec("ping", "-c", "1", "-W", "1", "10.0.0.254");
    } catch (java.io.IOException e) {
      // no answer expected
    }
  }
}
