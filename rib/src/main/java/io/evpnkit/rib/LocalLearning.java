package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import org.jspecify.annotations.Nullable;

/**
 * The other direction of the forwarding-table SPI: what a driver reports from the data plane. The
 * RIB gives itself to the driver through {@link ForwardingDriver#attach}; calls must come on the
 * RIB's thread (a driver that learns on its own threads hands the events to the integrator's event
 * loop).
 *
 * @since 0.1
 */
@Beta
public interface LocalLearning {
  /**
   * A MAC was learned on a local port, with its IP address if ARP/ND snooping saw one.
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param port the port (interface unit, e.g. {@code xe-0/0/1.0})
   * @param ip the IP address, or {@code null}
   */
  void macLearned(int vni, MacAddress mac, String port, @Nullable IpAddress ip);

  /**
   * A locally learned MAC aged out.
   *
   * @param vni the bridge domain
   * @param mac the MAC
   */
  void macAged(int vni, MacAddress mac);

  /**
   * One IP address of a locally learned MAC is gone (its ARP/ND entry aged out); the MAC and its
   * other addresses stay. A host has several (IPv4, IPv6, link-local), each reported by {@link
   * #macLearned} and each advertised in a MAC/IP route of its own. The default ignores it.
   *
   * @param vni the bridge domain
   * @param mac the MAC
   * @param ip the address gone
   */
  default void neighborAged(int vni, MacAddress mac, IpAddress ip) {}

  /**
   * A local port went down (its MACs age out; on an Ethernet segment, the segment's routes are
   * withdrawn).
   */
  void portDown(String port);

  /** A local port came up. */
  void portUp(String port);
}
