package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A {@code protocols bgp group}: the sessions a VTEP holds for EVPN, as Junos configures them.
 *
 * <pre>
 * protocols {
 *     bgp {
 *         group fabric {
 *             type internal;
 *             local-address 10.0.0.11;
 *             family evpn signaling;
 *             hold-time 9;
 *             neighbor 10.0.0.100;
 *         }
 *     }
 * }
 * </pre>
 *
 * @param name the group's name
 * @param type {@code internal} (iBGP, the peer AS is our own) or {@code external}
 * @param localAddress the address sessions are opened from ({@code local-address}), or null
 * @param localAs our AS towards the group ({@code local-as}), or -1 for {@code routing-options
 *     autonomous-system}
 * @param peerAs the peers' AS ({@code peer-as}; a neighbor may set its own), or -1
 * @param evpn whether {@code family evpn signaling} is configured (the only family evpnkit speaks)
 * @param cluster the route reflector cluster id ({@code cluster}, RFC 4456): the group's peers are
 *     this reflector's clients; or null
 * @param authenticationKey the TCP MD5 key ({@code authentication-key}, RFC 2385), or null
 * @param holdTime the hold time offered ({@code hold-time}, 0 or 3..65535 s), or -1 for the default
 * @param gracefulRestart whether {@code graceful-restart} is configured (RFC 4724)
 * @param multipath whether {@code multipath} is configured
 * @param passive whether the sessions only wait for the peers ({@code passive})
 * @param neighbors the neighbors, in configuration order
 * @since 0.2
 */
@Beta
public record BgpGroup(
    String name,
    Type type,
    @Nullable IpAddress localAddress,
    long localAs,
    long peerAs,
    boolean evpn,
    @Nullable IpAddress cluster,
    @Nullable String authenticationKey,
    int holdTime,
    boolean gracefulRestart,
    boolean multipath,
    boolean passive,
    List<Neighbor> neighbors) {

  /** The group's type. */
  public enum Type {
    /** iBGP: the peers are in our AS. */
    INTERNAL,
    /** eBGP. */
    EXTERNAL;

    /** Returns the Junos keyword. */
    public String keyword() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A {@code neighbor}.
   *
   * @param address the peer's address
   * @param peerAs the peer's AS when set on the neighbor ({@code peer-as}), or -1
   */
  public record Neighbor(IpAddress address, long peerAs) {
    /** Checks the address. */
    public Neighbor {
      Objects.requireNonNull(address, "address");
    }
  }

  /** Copies the neighbors. */
  public BgpGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    neighbors = List.copyOf(neighbors);
  }

  /**
   * Returns the AS a neighbor must announce: its own {@code peer-as}, else the group's, else (for
   * an internal group) ours.
   */
  public long peerAs(Neighbor neighbor, long ourAs) {
    if (neighbor.peerAs() > 0) {
      return neighbor.peerAs();
    }
    if (peerAs > 0) {
      return peerAs;
    }
    return type == Type.INTERNAL ? ourAs : -1;
  }
}
