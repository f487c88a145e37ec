package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import java.io.IOException;

/**
 * A capture file is malformed: says what and at which byte offset of the file.
 *
 * @since 0.1
 */
@Beta
public final class CaptureFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long offset;

  /**
   * Creates the exception.
   *
   * @param message what is wrong
   * @param offset byte offset in the file
   */
  public CaptureFormatException(String message, long offset) {
    super(message + " (at file offset " + offset + ")");
    this.offset = offset;
  }

  /** Returns the byte offset in the file where the problem was found. */
  public long offset() {
    return offset;
  }
}
