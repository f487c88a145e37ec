package io.evpnkit.evpn;

/**
 * What was negotiated on a BGP session and what kind of peer it is: the facts that change how
 * UPDATEs are read and written. Immutable.
 *
 * @param fourOctetAs whether both sides announced the 4-octet AS capability (RFC 6793): AS_PATH and
 *     AGGREGATOR carry 4-octet AS numbers; otherwise 2-octet with AS4_PATH/AS4_AGGREGATOR beside
 *     them
 * @param addPath whether ADD-PATH (RFC 7911) was negotiated for L2VPN/EVPN in the direction being
 *     read or written: every EVPN NLRI is then preceded by a 4-octet path identifier
 * @param extendedMessages whether the Extended Message capability (RFC 8654) was negotiated:
 *     messages up to 65535 octets instead of 4096
 * @param internalPeer whether the peer is internal (iBGP): LOCAL_PREF, ORIGINATOR_ID and
 *     CLUSTER_LIST are only accepted from internal peers (RFC 7606 §7.5, §7.9, §7.10)
 * @since 0.1
 */
public record SessionOptions(
    boolean fourOctetAs, boolean addPath, boolean extendedMessages, boolean internalPeer) {
  /** A modern iBGP EVPN session: 4-octet AS, no ADD-PATH, no extended messages. */
  public static final SessionOptions IBGP = new SessionOptions(true, false, false, true);

  /** A modern eBGP EVPN session: 4-octet AS, no ADD-PATH, no extended messages. */
  public static final SessionOptions EBGP = new SessionOptions(true, false, false, false);

  /** Returns the largest message length: 4096, or 65535 with extended messages. */
  public int maxMessageLength() {
    return extendedMessages ? BgpMessageFramer.MAX_EXTENDED_LENGTH : BgpMessageFramer.MAX_LENGTH;
  }

  /** Returns a copy with ADD-PATH set as given. */
  public SessionOptions withAddPath(boolean value) {
    return new SessionOptions(fourOctetAs, value, extendedMessages, internalPeer);
  }

  /** Returns a copy with extended messages set as given. */
  public SessionOptions withExtendedMessages(boolean value) {
    return new SessionOptions(fourOctetAs, addPath, value, internalPeer);
  }

  /** Returns a copy with 4-octet AS numbers set as given. */
  public SessionOptions withFourOctetAs(boolean value) {
    return new SessionOptions(value, addPath, extendedMessages, internalPeer);
  }
}
