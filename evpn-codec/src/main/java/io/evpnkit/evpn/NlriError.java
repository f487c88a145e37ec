package io.evpnkit.evpn;

/**
 * Why one EVPN NLRI is malformed. RFC 7606 §5.3 and §7.11 make every one of these
 * "treat-as-withdraw" when the length of the NLRI itself can be trusted, and "session reset" (or
 * AFI/SAFI disable) when the NLRI runs past its container, because then the rest of the field
 * cannot be parsed.
 *
 * @since 0.1
 */
public enum NlriError {
  /** Fewer than the two octets of route type and length. */
  TRUNCATED_HEADER("NLRI header cut short", true),
  /** The length octet runs past the end of the NLRI field. */
  LENGTH_EXCEEDS_CONTAINER("NLRI longer than its container", true),
  /** The length does not match any layout of the route type (RFC 7432 §7). */
  BAD_LENGTH("length does not match the route type", false),
  /** MAC address length other than 48 (RFC 7432 §7.2). */
  BAD_MAC_LENGTH("MAC address length must be 48", false),
  /** IP address length other than 0, 32 or 128 (RFC 7432 §7.2), or 32/128 where required. */
  BAD_IP_LENGTH("IP address length must be 0, 32 or 128", false),
  /** IP prefix length beyond the address length (RFC 9136 §3.1). */
  BAD_PREFIX_LENGTH("IP prefix length beyond the address", false);

  private final String description;
  private final boolean unparseable;

  NlriError(String description, boolean unparseable) {
    this.description = description;
    this.unparseable = unparseable;
  }

  /** Returns a short English description. */
  public String description() {
    return description;
  }

  /**
   * Returns whether the NLRI field cannot be parsed past this point (so the NLRI that follow are
   * lost too); otherwise only this NLRI is bad and its length may be trusted to skip it.
   */
  public boolean isUnparseable() {
    return unparseable;
  }
}
