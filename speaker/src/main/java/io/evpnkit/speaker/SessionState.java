package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;

/**
 * The states of a BGP session (RFC 4271 §8.2.2).
 *
 * @since 0.2
 */
@Beta
public enum SessionState {
  /**
   * Not started, stopped, or waiting (with a growing, jittered delay) to start again after an
   * error.
   */
  IDLE,
  /** Connecting to the peer (an active peer's TCP connection is being set up). */
  CONNECT,
  /** Waiting for the peer to connect (a passive peer, or an active one between attempts). */
  ACTIVE,
  /** Our OPEN is sent; waiting for the peer's. */
  OPEN_SENT,
  /** OPENs exchanged; waiting for the peer's KEEPALIVE. */
  OPEN_CONFIRM,
  /** The session is up: UPDATEs flow. */
  ESTABLISHED
}
