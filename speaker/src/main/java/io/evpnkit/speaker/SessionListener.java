package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.UpdateDecoder;

/**
 * What a {@link BgpSpeaker}'s sessions report. Every method is called on the speaker's event loop,
 * one call at a time, so an implementation that feeds an {@code EvpnRib} from here is its single
 * writer; it must not block. A method that throws is reported by the speaker's own log and does not
 * take the session down.
 *
 * @since 0.2
 */
@Beta
public interface SessionListener {
  /** The session moved from one state to another. */
  default void stateChanged(PeerSession session, SessionState from, SessionState to) {}

  /** The session is established: {@link PeerSession#receiveOptions()} and the OPENs are known. */
  default void established(PeerSession session) {}

  /**
   * An UPDATE arrived and was decoded with the session's negotiated options. Its {@link
   * UpdateDecoder#outcome()} is OK, attribute discard or treat-as-withdraw (RFC 7606); one that
   * called for a session reset never gets here (the speaker sends the decoder's NOTIFICATION and
   * closes). The decoder is a view valid during this call only: {@code rib.update(peer, decoder)}
   * takes what it needs.
   */
  void update(PeerSession session, UpdateDecoder decoder);

  /** The peer's End-of-RIB for L2VPN/EVPN (RFC 4724 §2) arrived. */
  default void endOfRib(PeerSession session) {}

  /**
   * The connection can take more again ({@link PeerSession#isWritable}): what waited for it (a slow
   * peer's changes, held in an Adj-RIB-Out rather than in memory as bytes) may be written.
   */
  default void writable(PeerSession session) {}

  /**
   * The peer asked for our routes again (ROUTE-REFRESH, RFC 2918). With enhanced route refresh (RFC
   * 7313) the answer is framed by BoRR and EoRR ({@link RibSessions} does so).
   */
  default void routeRefresh(PeerSession session) {}

  /**
   * Enhanced route refresh (RFC 7313 §4.2): the peer's BoRR ({@code begins}: its routes are to be
   * marked stale) or its EoRR ({@code !begins}: the routes still stale go; also when the EoRR is
   * later than the stale routes time).
   */
  default void enhancedRefresh(PeerSession session, boolean begins) {}

  /**
   * The session went down (when {@code wasEstablished}), or an attempt to bring it up failed: the
   * routes learned from it are to be withdrawn. With graceful restart, {@link #restarting} comes
   * instead when the peer is expected back.
   */
  default void down(PeerSession session, SessionDown why, boolean wasEstablished) {}

  /**
   * Graceful restart (RFC 4724 §4.2): the established session went down and the peer advertised
   * graceful restart for L2VPN/EVPN, so its routes are kept, marked stale, while it restarts. Then
   * either its new session comes up ({@link #established}) and its End-of-RIB ({@link #endOfRib})
   * removes the stale routes it did not announce again, or {@link #staleRoutesEnd} says they go
   * now.
   */
  default void restarting(PeerSession session, SessionDown why) {}

  /**
   * The stale routes of a restarting peer are to be removed now: it did not come back within its
   * restart time (the session is down), its new session does not preserve L2VPN/EVPN forwarding
   * state (RFC 4724 §4.2), or its End-of-RIB did not come within the stale routes time (the session
   * is up; the routes it announced again stay).
   */
  default void staleRoutesEnd(PeerSession session, String reason) {}

  /**
   * The peer's routes crossed its {@link PeerConfig#prefixLimit}: its warning threshold, or its
   * maximum ({@code torndown}: the session is being closed with a Cease, RFC 4486 §4). Called once
   * per crossing.
   */
  default void prefixLimitReached(PeerSession session, long routes, boolean torndown) {}
}
