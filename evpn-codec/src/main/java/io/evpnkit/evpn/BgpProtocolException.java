package io.evpnkit.evpn;

/**
 * Thrown when a received BGP message breaks the protocol in a way that ends the session: it carries
 * the NOTIFICATION to send (RFC 4271 §6) and the offset of the offending octet from the start of
 * the message. (UPDATEs do not throw it: {@link UpdateDecoder} reports RFC 7606 outcomes instead.)
 *
 * @since 0.1
 */
public final class BgpProtocolException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient BgpNotification notification;
  private final int offset;

  /**
   * Creates the exception.
   *
   * @param notification the NOTIFICATION to send
   * @param offset the offset of the offending octet from the first octet of the message
   * @param reason what is wrong
   */
  public BgpProtocolException(BgpNotification notification, int offset, String reason) {
    super(reason + " (at offset " + offset + "; " + notification + ")");
    this.notification = notification;
    this.offset = offset;
  }

  /** Returns the NOTIFICATION to send. */
  public BgpNotification notification() {
    return notification;
  }

  /** Returns the offset of the offending octet from the first octet of the message. */
  public int offset() {
    return offset;
  }
}
