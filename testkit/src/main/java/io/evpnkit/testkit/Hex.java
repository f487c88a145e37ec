package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;

/**
 * Hex text for test output and corpus files.
 *
 * @since 0.1
 */
@Beta
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Hex() {}

  /** Returns {@code bytes} as lower-case hex without separators. */
  public static String encode(byte[] bytes) {
    char[] c = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      c[2 * i] = DIGITS[(bytes[i] >> 4) & 0xF];
      c[2 * i + 1] = DIGITS[bytes[i] & 0xF];
    }
    return new String(c);
  }

  /**
   * Decodes hex text; whitespace is ignored.
   *
   * @throws IllegalArgumentException on a non-hex character or an odd number of digits
   */
  public static byte[] decode(String text) {
    String t = text.replaceAll("\\s+", "");
    if ((t.length() & 1) != 0) {
      throw new IllegalArgumentException("odd number of hex digits: " + t.length());
    }
    byte[] b = new byte[t.length() / 2];
    for (int i = 0; i < b.length; i++) {
      int hi = Character.digit(t.charAt(2 * i), 16);
      int lo = Character.digit(t.charAt(2 * i + 1), 16);
      if (hi < 0 || lo < 0) {
        throw new IllegalArgumentException(
            "not a hex digit at position " + (hi < 0 ? 2 * i : 2 * i + 1));
      }
      b[i] = (byte) ((hi << 4) | lo);
    }
    return b;
  }
}
