package io.evpnkit.evpn;

/**
 * One error found in an UPDATE: the RFC 7606 outcome it calls for, the UPDATE Message Error subcode
 * that names it (RFC 4271 §6.3; the NOTIFICATION's subcode when the outcome is a session reset),
 * the attribute it is in, where it is and why.
 *
 * @param outcome what this error alone calls for
 * @param code the NOTIFICATION error code: {@link BgpNotification#UPDATE_MESSAGE_ERROR}, or {@link
 *     BgpNotification#MESSAGE_HEADER_ERROR} when the bytes handed over are not an UPDATE of the
 *     length its header says
 * @param subcode the error subcode ({@link BgpNotification#MALFORMED_ATTRIBUTE_LIST} ...)
 * @param attributeType the type code of the attribute holding the error, or -1 (message fields,
 *     NLRI field)
 * @param offset the offset of the offending octet from the first octet of the message (header
 *     included)
 * @param reason what is wrong, in English
 * @since 0.1
 */
public record UpdateError(
    UpdateOutcome outcome, int code, int subcode, int attributeType, int offset, String reason) {
  /**
   * Returns e.g. {@code treat-as-withdraw at 45: ORIGIN value 7 is not 0..2 (code 3/6, attribute
   * 1)}.
   */
  @Override
  public String toString() {
    return outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')
        + " at "
        + offset
        + ": "
        + reason
        + " (code "
        + code
        + "/"
        + subcode
        + (attributeType >= 0 ? ", attribute " + attributeType : "")
        + ")";
  }
}
