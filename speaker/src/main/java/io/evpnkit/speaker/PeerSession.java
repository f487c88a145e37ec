package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One peer of a {@link BgpSpeaker} and its session. The state and the negotiated options are read
 * from any thread (the values of the moment); {@link #announce}, {@link #withdraw}, {@link
 * #sendEndOfRib} and {@link #stop} may be called from any thread and run on the speaker's event
 * loop, in the order called.
 *
 * @since 0.2
 */
@Beta
public interface PeerSession {
  /** Returns the peer's configuration. */
  PeerConfig config();

  /** Returns the session's state. */
  SessionState state();

  /** Returns the OPEN we send this peer. */
  BgpOpen localOpen();

  /** Returns the peer's OPEN of the current (or last) session, or null before one arrived. */
  @Nullable BgpOpen remoteOpen();

  /** Returns the options UPDATEs from the peer are read with (valid once established). */
  SessionOptions receiveOptions();

  /** Returns the options UPDATEs to the peer are written with (valid once established). */
  SessionOptions sendOptions();

  /** Returns the negotiated hold time in seconds (0: no keepalives). */
  int holdTime();

  /** Returns how many UPDATE messages arrived on this peer's sessions. */
  long updatesReceived();

  /** Returns how many UPDATE messages were sent on this peer's sessions. */
  long updatesSent();

  /**
   * Announces routes with one attribute set, in as few UPDATEs as the message size allows; nothing
   * is sent unless the session is established (the caller announces again on {@link
   * SessionListener#established}).
   */
  void announce(PathAttributes attributes, List<? extends EvpnRoute> routes);

  /**
   * Returns whether the session is established and its connection takes more without going past its
   * write buffer's high water mark ({@link BgpSpeaker.Builder#writeBufferWaterMark}). A sender that
   * respects it waits for {@link SessionListener#writable} before writing more, so that a peer that
   * reads slowly costs a bounded amount of memory and does not hold up the others.
   */
  boolean isWritable();

  /** Withdraws routes (MP_UNREACH_NLRI); nothing is sent unless the session is established. */
  void withdraw(List<? extends EvpnRoute> routes);

  /**
   * Asks the peer for its L2VPN/EVPN routes again (ROUTE-REFRESH, RFC 2918), as after a change of
   * import policy. With enhanced route refresh (RFC 7313) the peer frames them with BoRR and EoRR,
   * and those it does not send again go at EoRR ({@link SessionListener#enhancedRefresh}).
   *
   * @return false when the session is not established or the peer did not advertise route refresh
   */
  boolean requestRefresh();

  /** Sends the End-of-RIB marker of L2VPN/EVPN (RFC 4724 §2). */
  void sendEndOfRib();

  /**
   * Stops the session (ManualStop): a Cease NOTIFICATION with the operator's RFC 9003 shutdown
   * message when given, and no automatic restart until {@link #start}.
   */
  void stop(@Nullable String shutdownMessage);

  /**
   * Tells the session how many of the peer's routes are held (its Adj-RIB-In, after the last
   * UPDATE): the session applies its {@link PeerConfig#prefixLimit} to the figure. {@link
   * RibSessions} calls it with the RIB's count; a listener with a table of its own calls it with
   * its own.
   */
  void routesHeld(long routes);

  /** Starts the session again after {@link #stop}. */
  void start();
}
