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

  /** The peer asked for our routes again (ROUTE-REFRESH, RFC 2918). */
  default void routeRefresh(PeerSession session) {}

  /**
   * The session went down (when {@code wasEstablished}), or an attempt to bring it up failed: the
   * routes learned from it are to be withdrawn (or kept as stale, with graceful restart).
   */
  default void down(PeerSession session, SessionDown why, boolean wasEstablished) {}
}
