package io.evpnkit.policy;

import io.evpnkit.evpn.MalformedException;

/**
 * Reads a community member written as a POSIX extended regular expression (what Junos accepts in
 * {@code community NAME members}) and writes the equivalent {@link java.util.regex.Pattern} source,
 * checking the syntax itself so that the pattern compiler is only ever given valid input.
 * Supported: literal characters, {@code .}, bracket expressions ({@code [0-9]}, {@code [^:]}),
 * groups with {@code |}, the quantifiers {@code *}, {@code +}, {@code ?}, {@code {n}}, {@code
 * {n,}}, {@code {n,m}} (n, m ≤ 99), anchors {@code ^} and {@code $}, and {@code \} before a
 * punctuation character. A quantifier on a group that already holds one ({@code (1*)*}) is refused:
 * nested repetition is what makes backtracking exponential.
 */
final class CommunityRegex {
  private final String text;
  private int at;
  private final StringBuilder out = new StringBuilder();

  private CommunityRegex(String text) {
    this.text = text;
  }

  /**
   * Returns the Java pattern source of {@code text}.
   *
   * @throws IllegalArgumentException saying what is wrong and at which character
   */
  static String translate(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty regular expression");
    }
    if (text.length() > 256) {
      throw new IllegalArgumentException("regular expression longer than 256 characters");
    }
    CommunityRegex r = new CommunityRegex(text);
    r.alternation(0);
    if (r.at != text.length()) {
      throw r.error("unexpected ')'");
    }
    return r.out.toString();
  }

  private IllegalArgumentException error(String what) {
    return new IllegalArgumentException(
        what + " at index " + at + " of " + MalformedException.quote(text));
  }

  /** Reads branches separated by '|' until ')' or the end; returns whether any piece repeats. */
  private boolean alternation(int depth) {
    boolean repeats = branch(depth);
    while (at < text.length() && text.charAt(at) == '|') {
      out.append('|');
      at++;
      repeats |= branch(depth);
    }
    return repeats;
  }

  private boolean branch(int depth) {
    boolean repeats = false;
    while (at < text.length()) {
      char c = text.charAt(at);
      if (c == '|' || c == ')') {
        return repeats;
      }
      repeats |= piece(depth);
    }
    return repeats;
  }

  /** An atom and its quantifier; returns whether it repeats. */
  private boolean piece(int depth) {
    char c = text.charAt(at);
    boolean inner = false;
    boolean quantifiable = true;
    switch (c) {
      case '(' -> {
        if (depth >= 16) {
          throw error("groups nested more than 16 deep");
        }
        int open = at;
        out.append("(?:");
        at++;
        inner = alternation(depth + 1);
        if (at >= text.length() || text.charAt(at) != ')') {
          at = open;
          throw error("'(' not closed");
        }
        out.append(')');
        at++;
      }
      case '[' -> bracket();
      case '.' -> {
        out.append('.');
        at++;
      }
      case '^', '$' -> {
        out.append(c);
        at++;
        quantifiable = false;
      }
      case '*', '+', '?', '{' -> throw error("'" + c + "' repeats nothing");
      case '\\' -> {
        if (at + 1 >= text.length() || Character.isLetterOrDigit(text.charAt(at + 1))) {
          throw error("'\\' must escape a punctuation character");
        }
        literal(text.charAt(at + 1));
        at += 2;
      }
      default -> {
        if (c < 0x20 || c > 0x7E) {
          throw error(String.format("character U+%04X", (int) c));
        }
        literal(c);
        at++;
      }
    }
    if (at >= text.length()) {
      return inner;
    }
    char q = text.charAt(at);
    if (q != '*' && q != '+' && q != '?' && q != '{') {
      return inner;
    }
    if (!quantifiable) {
      throw error("'" + q + "' after an anchor");
    }
    if (inner) {
      throw error("a repeated group that repeats inside (nested repetition) is not supported");
    }
    if (q == '{') {
      int close = text.indexOf('}', at);
      String body = close < 0 ? "" : text.substring(at + 1, close);
      if (!body.matches("[0-9]{1,2}(,[0-9]{0,2})?")) {
        throw error("expected {n}, {n,} or {n,m} with numbers up to 99");
      }
      int comma = body.indexOf(',');
      if (comma > 0
          && comma < body.length() - 1
          && Integer.parseInt(body.substring(0, comma))
              > Integer.parseInt(body.substring(comma + 1))) {
        throw error("{n,m} with n > m");
      }
      out.append('{').append(body).append('}');
      at = close + 1;
    } else {
      out.append(q);
      at++;
    }
    if (at < text.length() && "*+?{".indexOf(text.charAt(at)) >= 0) {
      throw error("two quantifiers in a row");
    }
    return true;
  }

  private void literal(char c) {
    if (Character.isLetterOrDigit(c) || c == ':' || c == '-' || c == '_' || c == ',' || c == ' ') {
      out.append(c);
    } else {
      out.append('\\').append(c);
    }
  }

  /** A character inside brackets: letters and digits as they are, anything else escaped. */
  private void member(char c) {
    if (Character.isLetterOrDigit(c)) {
      out.append(c);
    } else {
      out.append('\\').append(c);
    }
  }

  /** A bracket expression: [abc], [^a-z], with ']' first taken literally. */
  private void bracket() {
    int start = at;
    at++;
    out.append('[');
    if (at < text.length() && text.charAt(at) == '^') {
      out.append('^');
      at++;
    }
    boolean first = true;
    int members = 0;
    while (true) {
      if (at >= text.length()) {
        at = start;
        throw error("'[' not closed");
      }
      char c = text.charAt(at);
      if (c == ']' && !first) {
        break;
      }
      first = false;
      if (c < 0x20 || c > 0x7E) {
        throw error(String.format("character U+%04X", (int) c));
      }
      if (at + 2 < text.length() && text.charAt(at + 1) == '-' && text.charAt(at + 2) != ']') {
        char hi = text.charAt(at + 2);
        if (hi < c) {
          throw error("range " + c + "-" + hi + " is reversed");
        }
        member(c);
        out.append('-');
        member(hi);
        at += 3;
      } else {
        member(c);
        at++;
      }
      members++;
    }
    if (members == 0) {
      throw error("empty bracket expression");
    }
    out.append(']');
    at++;
  }
}
