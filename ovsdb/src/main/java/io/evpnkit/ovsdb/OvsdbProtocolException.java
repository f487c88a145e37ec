package io.evpnkit.ovsdb;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * A message from an OVSDB server that breaks the protocol: not JSON, not a JSON-RPC object, longer
 * than the client accepts, or a reply to no request. The connection is closed when one arrives.
 *
 * @since 0.2
 */
public final class OvsdbProtocolException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long message;
  private final long offset;

  /**
   * Creates the exception.
   *
   * @param text what is wrong
   * @param message the index of the message on the connection (0 for the first)
   * @param offset the byte offset of the fault within the message, or -1 when not known
   * @param cause the parser's error, or {@code null}
   */
  public OvsdbProtocolException(String text, long message, long offset, @Nullable Throwable cause) {
    super(text + (offset >= 0 ? " (at byte " + offset + " of the message)" : ""), cause);
    this.message = message;
    this.offset = offset;
  }

  /** The index of the offending message on the connection. */
  public long messageIndex() {
    return message;
  }

  /** The byte offset of the fault within the message, or -1. */
  public long offset() {
    return offset;
  }
}
