package io.evpnkit.evpn;

/**
 * Thrown by programmer-facing parsing of a single value (text, or bytes handed over one at a time) when
 * the input is not what was asked for. It says what is wrong, the allowed range, and where: the offset is
 * a byte index for wire input and a character index for text. Decoding of BGP messages does not throw it:
 * it reports RFC 7606 outcomes instead.
 *
 * @since 0.1
 */
public final class MalformedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what is allowed
   * @param offset where, as a byte or character index
   */
  public MalformedException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
    this.reason = message;
  }

  /** Returns what is wrong, without the offset. */
  public String reason() {
    return reason;
  }

  /** Returns the byte or character index where the problem was found. */
  public int offset() {
    return offset;
  }
}
