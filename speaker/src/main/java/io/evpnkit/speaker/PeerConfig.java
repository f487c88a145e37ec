package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.BgpGroup;
import io.evpnkit.policy.VtepConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One BGP peer of a {@link BgpSpeaker}: where it is, its AS, and the session's timers. Immutable;
 * made with {@link #builder}.
 *
 * @param remote the peer's address and port (179 unless told otherwise)
 * @param local the address (and port, 0 for any) to connect from, or null for the system's choice
 * @param peerAs the AS the peer must announce in its OPEN (RFC 4271 §6.2: else Bad Peer AS)
 * @param localAs our AS towards this peer (the speaker's unless overridden: Junos's {@code
 *     local-as})
 * @param holdTime the hold time we offer, 0 or at least 3 seconds (the session uses the smaller of
 *     the two offers; 0 means no keepalives, RFC 4271 §4.2)
 * @param connectRetry the ConnectRetryTimer (RFC 4271 §8.1.3), jittered to 75-100% (§10)
 * @param passive whether we only wait for the peer to connect (no outgoing connection)
 * @param addPath whether to offer ADD-PATH (RFC 7911) for L2VPN/EVPN, both directions
 * @param restartTime graceful restart (RFC 4724): the restart time we advertise in seconds,
 *     0..4095, or -1 for none (no Graceful Restart capability: the peer's restarts are not waited
 *     for either, its routes go when the session does)
 * @param staleRoutesTime how long a restarting peer's routes are kept, stale, after its new session
 *     is up and before its End-of-RIB (FRR's {@code stalepath-time}; RFC 4724 §4.2 leaves it to
 *     configuration)
 * @param authenticationKey the TCP MD5 signature key (RFC 2385; Junos's {@code authentication-key},
 *     FRR's {@code password}), or null for none; needs the native epoll transport
 * @param ttlSecurityHops GTSM (RFC 5082; FRR's {@code ttl-security hops}): 0 for off, else the
 *     number of hops to the peer: we send with TTL 255 and accept only segments whose TTL is at
 *     least 256 minus this; needs the native epoll transport
 * @param routeReflectorClient whether the peer is a client of ours as route reflector (RFC 4456;
 *     {@link RouteReflector}; Junos: a neighbor of a group with {@code cluster})
 * @param prefixLimit the most routes the peer may have in the RIB ({@link RibSessions} counts them
 *     and applies it), or null for no limit
 * @since 0.2
 */
@Beta
public record PeerConfig(
    InetSocketAddress remote,
    @Nullable InetSocketAddress local,
    long peerAs,
    long localAs,
    int holdTime,
    Duration connectRetry,
    boolean passive,
    boolean addPath,
    int restartTime,
    Duration staleRoutesTime,
    @Nullable String authenticationKey,
    int ttlSecurityHops,
    boolean routeReflectorClient,
    @Nullable PrefixLimit prefixLimit) {

  /** Checks the values. */
  public PeerConfig {
    Objects.requireNonNull(remote, "remote");
    if (peerAs <= 0 || peerAs > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("peer AS " + peerAs + " is not 1..4294967295");
    }
    if (localAs < 0 || localAs > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("local AS " + localAs + " is not 0..4294967295");
    }
    if (holdTime < 0 || holdTime > 0xFFFF || holdTime == 1 || holdTime == 2) {
      throw new IllegalArgumentException("hold time " + holdTime + " is not 0 or 3..65535");
    }
    if (connectRetry.isNegative() || connectRetry.isZero()) {
      throw new IllegalArgumentException("connect retry " + connectRetry + " must be positive");
    }
    if (restartTime < -1 || restartTime > 4095) {
      throw new IllegalArgumentException(
          "restart time " + restartTime + " is not 0..4095 (RFC 4724 §3), or -1 for none");
    }
    if (staleRoutesTime.isNegative() || staleRoutesTime.isZero()) {
      throw new IllegalArgumentException(
          "stale routes time " + staleRoutesTime + " must be positive");
    }
    if (authenticationKey != null
        && (authenticationKey.isEmpty()
            || authenticationKey.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 80)) {
      // TCP_MD5SIG_MAXKEYLEN of Linux
      throw new IllegalArgumentException("an authentication key has 1..80 octets");
    }
    if (ttlSecurityHops < 0 || ttlSecurityHops > 254) {
      throw new IllegalArgumentException(
          "ttl-security hops " + ttlSecurityHops + " is not 1..254 (0: off)");
    }
  }

  /**
   * The peers of a configuration's {@code protocols bgp} groups that carry EVPN ({@code family evpn
   * signaling}; groups without it, such as an underlay's {@code family inet} group, are left to
   * others), one per {@code neighbor}: {@code type internal} peers in our AS, {@code peer-as},
   * {@code local-address}, {@code local-as}, {@code hold-time}, {@code passive}, {@code
   * authentication-key} (TCP MD5), {@code graceful-restart} (restart time 120 s, Junos's default),
   * and {@code cluster}: the group's neighbors are route reflector clients (serve them with a
   * {@link RouteReflector} of that cluster id). {@code multipath} needs nothing here: the RIB's
   * aliasing (RFC 7432 §8.4) is multipath.
   *
   * @param port the peers' port (179 in a network; tests use their own)
   */
  public static List<PeerConfig> fromConfiguration(VtepConfig config, int port) {
    List<PeerConfig> peers = new ArrayList<>();
    for (BgpGroup g : config.bgpGroups()) {
      if (!g.evpn()) {
        continue;
      }
      for (BgpGroup.Neighbor n : g.neighbors()) {
        long peerAs = g.peerAs(n, g.localAs() > 0 ? g.localAs() : config.autonomousSystem());
        Builder b =
            builder(new InetSocketAddress(inetAddress(n.address()), port), peerAs)
                .passive(g.passive())
                .routeReflectorClient(g.cluster() != null);
        IpAddress local = g.localAddress();
        if (local != null) {
          b.local(new InetSocketAddress(inetAddress(local), 0));
        }
        if (g.localAs() > 0) {
          b.localAs(g.localAs());
        }
        if (g.holdTime() >= 0) {
          b.holdTime(g.holdTime());
        }
        if (g.gracefulRestart()) {
          b.gracefulRestart(120);
        }
        String key = g.authenticationKey();
        if (key != null) {
          b.authenticationKey(key);
        }
        peers.add(b.build());
      }
    }
    return peers;
  }

  private static java.net.InetAddress inetAddress(IpAddress a) {
    try {
      return java.net.InetAddress.getByName(a.toString()); // a literal: no name lookup
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(a + ": " + e.getMessage(), e);
    }
  }

  /** Returns whether graceful restart (RFC 4724) is on for this peer. */
  public boolean gracefulRestart() {
    return restartTime >= 0;
  }

  /** A peer at {@code remote} in {@code peerAs}, with the defaults of the builder. */
  public static Builder builder(InetSocketAddress remote, long peerAs) {
    return new Builder(remote, peerAs);
  }

  /**
   * Builds a {@link PeerConfig}. Defaults: hold time 90 s, connect retry 30 s, active, no ADD-PATH,
   * no graceful restart (stale routes time 360 s once it is on).
   */
  public static final class Builder {
    private final InetSocketAddress remote;
    private final long peerAs;
    private @Nullable InetSocketAddress local;
    private long localAs;
    private int holdTime = 90;
    private Duration connectRetry = Duration.ofSeconds(30);
    private boolean passive;
    private boolean addPath;
    private int restartTime = -1;
    private Duration staleRoutesTime = Duration.ofMinutes(6);
    private @Nullable String authenticationKey;
    private int ttlSecurityHops;
    private @Nullable PrefixLimit prefixLimit;
    private boolean routeReflectorClient;

    private Builder(InetSocketAddress remote, long peerAs) {
      this.remote = remote;
      this.peerAs = peerAs;
    }

    /** The address to connect from (and the one the peer is expected to connect to). */
    public Builder local(InetSocketAddress value) {
      local = value;
      return this;
    }

    /** Our AS towards this peer, instead of the speaker's. */
    public Builder localAs(long value) {
      localAs = value;
      return this;
    }

    /** The hold time we offer in seconds: 0, or 3..65535. */
    public Builder holdTime(int seconds) {
      holdTime = seconds;
      return this;
    }

    /** The connect retry time. */
    public Builder connectRetry(Duration value) {
      connectRetry = value;
      return this;
    }

    /** Only wait for the peer to connect. */
    public Builder passive(boolean value) {
      passive = value;
      return this;
    }

    /** Offer ADD-PATH for L2VPN/EVPN, send and receive. */
    public Builder addPath(boolean value) {
      addPath = value;
      return this;
    }

    /**
     * Turns graceful restart on (RFC 4724): our OPEN carries the capability with this restart time
     * (0..4095 s) and L2VPN/EVPN, and when a session with a peer that advertised it for L2VPN/EVPN
     * goes down, its routes are kept (stale) while it restarts.
     */
    public Builder gracefulRestart(int restartTimeSeconds) {
      restartTime = restartTimeSeconds;
      return this;
    }

    /** How long a restarted peer's stale routes wait for its End-of-RIB. */
    public Builder staleRoutesTime(Duration value) {
      staleRoutesTime = value;
      return this;
    }

    /** Signs every TCP segment with this MD5 key (RFC 2385). */
    public Builder authenticationKey(String key) {
      authenticationKey = key;
      return this;
    }

    /** GTSM (RFC 5082): the peer is this many hops away, 1 when directly connected. */
    public Builder ttlSecurity(int hops) {
      ttlSecurityHops = hops;
      return this;
    }

    /** Makes the peer a client of ours as route reflector (RFC 4456). */
    public Builder routeReflectorClient(boolean value) {
      routeReflectorClient = value;
      return this;
    }

    /** Limits the routes the peer may have in the RIB (FRR's {@code maximum-prefix}). */
    public Builder prefixLimit(PrefixLimit value) {
      prefixLimit = value;
      return this;
    }

    /** Returns the configuration. */
    public PeerConfig build() {
      return new PeerConfig(
          remote,
          local,
          peerAs,
          localAs,
          holdTime,
          connectRetry,
          passive,
          addPath,
          restartTime,
          staleRoutesTime,
          authenticationKey,
          ttlSecurityHops,
          routeReflectorClient,
          prefixLimit);
    }
  }
}
