package io.evpnkit.evpn;

/**
 * Thrown by programmer-facing parsing of a single value (text, or bytes handed over one at a time)
 * when the input is not what was asked for. It says what is wrong, the allowed range, and where:
 * the offset is a byte index for wire input and a character index for text. Decoding of BGP
 * messages does not throw it: it reports RFC 7606 outcomes instead.
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

  /** The most characters of an input an error message quotes. */
  public static final int QUOTED = 80;

  /**
   * Quotes an input for an error message, so that the message stays one readable line whatever the
   * input: in double quotes, control characters and other invisible ones escaped ({@code \n},
   * {@code \t}, {@code \u0000}), and cut after {@value #QUOTED} characters with the length of the
   * whole.
   */
  public static String quote(CharSequence text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), QUOTED) + 16).append('"');
    int n = Math.min(text.length(), QUOTED);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        default -> {
          if (c < 0x20
              || c == 0x7F
              || Character.isISOControl(c)
              || Character.getType(c) == Character.FORMAT) {
            sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
    if (text.length() > QUOTED) {
      sb.append(" (cut: ").append(text.length()).append(" characters)");
    }
    return sb.toString();
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
