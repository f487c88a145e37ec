package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the RIB knows of one MAC in one bridge domain: where it wins now, with which MAC mobility
 * sequence number, whether duplicate detection froze it, and every binding behind that: the local
 * one (with its addresses, and whether a sticky remote route suppresses it) and each remote route.
 * Immutable; a copy taken when asked.
 *
 * @param vni the bridge domain
 * @param mac the MAC
 * @param location the winning location: {@code local <port>} or {@code remote <vtep>}
 * @param sequence the winning MAC mobility sequence number (0 without the community)
 * @param sticky whether the winner is sticky (static)
 * @param local whether the winner is local
 * @param frozen whether duplicate detection froze the MAC
 * @param localBinding the local binding, or {@code null}: learned here, possibly suppressed
 * @param remoteRoutes every remote MAC route of the MAC (MAC-only and MAC/IP, of every PE),
 *     unordered
 * @param recentMoves the moves counted by duplicate detection since the MAC was last cleared (RFC
 *     7432 §15.1)
 * @since 0.1
 */
@Beta
public record MacEntry(
    int vni,
    MacAddress mac,
    String location,
    long sequence,
    boolean sticky,
    boolean local,
    boolean frozen,
    @Nullable LocalBinding localBinding,
    List<RemoteRoute> remoteRoutes,
    int recentMoves) {

  /** Copies the list. */
  public MacEntry {
    remoteRoutes = List.copyOf(remoteRoutes);
  }

  /** Returns how many remote routes the MAC has (all PEs, MAC-only and MAC/IP). */
  public int remotePaths() {
    return remoteRoutes.size();
  }

  /**
   * The MAC as learned on a local port.
   *
   * @param port the port
   * @param sequence the MAC mobility sequence it is (or would be) advertised with
   * @param sticky whether it is static
   * @param addresses the host's addresses seen by ARP/ND snooping, each advertised in a MAC/IP
   *     route
   * @param suppressed whether a sticky remote route holds the MAC, so this binding is neither used
   *     nor advertised (RFC 7432 §15.2)
   */
  public record LocalBinding(
      String port, long sequence, boolean sticky, List<IpAddress> addresses, boolean suppressed) {
    /** Copies the list. */
    public LocalBinding {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * One remote MAC route of the MAC.
   *
   * @param vtep the PE (its route's next hop)
   * @param sequence its MAC mobility sequence number
   * @param sticky whether it is static
   * @param esi its Ethernet segment ({@link EthernetSegmentIdentifier#ZERO} for a single-homed
   *     host)
   * @param defaultGateway whether it carries the Default Gateway community (an anycast gateway's
   *     MAC)
   */
  public record RemoteRoute(
      IpAddress vtep,
      long sequence,
      boolean sticky,
      EthernetSegmentIdentifier esi,
      boolean defaultGateway) {}
}
