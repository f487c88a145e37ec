package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;

/**
 * Configuration text that cannot be read: what is wrong or was expected, and where (1-based line
 * and column).
 *
 * @since 0.1
 */
@Beta
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String reason;

  /**
   * Creates the exception.
   *
   * @param reason what is wrong or expected
   * @param line the 1-based line
   * @param column the 1-based column (in characters)
   */
  public ConfigException(String reason, int line, int column) {
    super("line " + line + ", column " + column + ": " + reason);
    this.line = line;
    this.column = column;
    this.reason = reason;
  }

  /** Returns the 1-based line. */
  public int line() {
    return line;
  }

  /** Returns the 1-based column. */
  public int column() {
    return column;
  }

  /** Returns what is wrong, without the position. */
  public String reason() {
    return reason;
  }
}
