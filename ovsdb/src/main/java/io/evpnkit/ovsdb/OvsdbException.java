package io.evpnkit.ovsdb;

import org.jspecify.annotations.Nullable;

/**
 * An error an OVSDB server returned: the {@code error} string of RFC 7047 (§4.1.3's transaction
 * errors such as {@code "constraint violation"} or {@code "referential integrity violation"}, or a
 * JSON-RPC method's error such as {@code "unknown database"}), its {@code details}, and for a
 * transaction the index of the operation that failed (-1 for the commit itself or a method error).
 * A failed transaction changed nothing (RFC 7047 §4.1.3: transactions are atomic).
 *
 * @since 0.2
 */
public final class OvsdbException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String error;
  private final @Nullable String details;
  private final int operation;

  /**
   * Creates the exception.
   *
   * @param method the request's method ({@code transact}, {@code monitor}, ...)
   * @param error the server's {@code error}
   * @param details the server's {@code details}, or {@code null}
   * @param operation the failed operation's index in a transaction, or -1
   */
  public OvsdbException(String method, String error, @Nullable String details, int operation) {
    super(
        method
            + (operation >= 0 ? " operation " + operation : "")
            + ": "
            + error
            + (details == null ? "" : ": " + details));
    this.error = error;
    this.details = details;
    this.operation = operation;
  }

  /** The server's {@code error} string. */
  public String error() {
    return error;
  }

  /** The server's {@code details}, or {@code null}. */
  public @Nullable String details() {
    return details;
  }

  /** The index of the transaction's operation that failed, or -1. */
  public int operation() {
    return operation;
  }
}
