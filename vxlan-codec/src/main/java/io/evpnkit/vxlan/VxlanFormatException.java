package io.evpnkit.vxlan;

/**
 * Thrown by programmer-facing single-object parsing (such as {@link VxlanHeader#wrap}) when bytes
 * do not hold what was asked for. Packet paths do not throw it: {@link VxlanDecapsulator} reports a
 * {@link DropReason} instead.
 *
 * @since 0.1
 */
public final class VxlanFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int offset;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and what was allowed
   * @param offset absolute index in the buffer where the problem was found
   */
  public VxlanFormatException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Returns the absolute index in the buffer where the problem was found. */
  public int offset() {
    return offset;
  }
}
