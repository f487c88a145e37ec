package io.evpnkit.evpn;

/**
 * What a receiver must do with an UPDATE (RFC 7606 §2), in increasing severity; an UPDATE with
 * several errors gets the most severe one (§3).
 *
 * @since 0.1
 */
public enum UpdateOutcome {
  /** Well formed: apply every announcement and withdrawal. */
  OK,
  /**
   * Attribute discard (§2): the malformed attributes are dropped and the UPDATE is otherwise
   * applied; for attributes that cannot affect route selection or installation.
   */
  ATTRIBUTE_DISCARD,
  /**
   * Treat-as-withdraw (§2): every route the UPDATE announces is withdrawn instead (its withdrawals
   * stay withdrawals). {@link UpdateDecoder#forEachRoute} reports them so.
   */
  TREAT_AS_WITHDRAW,
  /**
   * Session reset (§2, RFC 4271 §6): send the NOTIFICATION ({@link UpdateDecoder#notification()})
   * and close the session. Where the error lies inside MP_REACH_NLRI/MP_UNREACH_NLRI of L2VPN/EVPN,
   * RFC 7606 §3 (j) and RFC 4760 §7 allow "AFI/SAFI disable" instead; {@link
   * UpdateError#attributeType()} tells which.
   */
  SESSION_RESET
}
