package io.evpnkit.examples;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Renders nested maps, lists, strings, numbers, booleans and nulls as JSON (for the tools'
 * structured output).
 */
final class Json {
  private Json() {}

  static String render(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0, true);
    return sb.toString();
  }

  /**
   * Renders on one line (for NDJSON), with a space after each colon and comma, as {@code gobgp -j}
   * does.
   */
  static String line(@Nullable Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0, false);
    return sb.toString();
  }

  private static void write(StringBuilder sb, @Nullable Object v, int depth, boolean pretty) {
    String nl = pretty ? "\n" + "  ".repeat(depth + 1) : "";
    String end = pretty ? "\n" + "  ".repeat(depth) : "";
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        sb.append(first ? "" : pretty ? "," : ", ").append(nl);
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), depth + 1, pretty);
      }
      sb.append(end).append('}');
    } else if (v instanceof List<?> l) {
      boolean flat = l.stream().noneMatch(x -> x instanceof Map || x instanceof List);
      if (l.isEmpty()) {
        sb.append("[]");
        return;
      }
      sb.append('[');
      for (int i = 0; i < l.size(); i++) {
        sb.append(i == 0 ? "" : (flat || !pretty) ? ", " : ",").append(flat ? "" : nl);
        write(sb, l.get(i), depth + 1, pretty);
      }
      sb.append(flat ? "" : end).append(']');
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else {
      string(sb, v.toString());
    }
  }

  static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
