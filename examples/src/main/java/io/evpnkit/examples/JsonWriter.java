package io.evpnkit.examples;

/**
 * A small streaming JSON writer for the tools' NDJSON output (no dependency needed for flat
 * records).
 */
final class JsonWriter {
  private final StringBuilder sb = new StringBuilder(256);
  private boolean first = true;

  JsonWriter begin() {
    sb.append('{');
    first = true;
    return this;
  }

  JsonWriter end() {
    sb.append('}');
    first = false;
    return this;
  }

  JsonWriter key(String key) {
    if (!first) {
      sb.append(',');
    }
    first = true;
    string(key);
    sb.append(':');
    return this;
  }

  JsonWriter field(String key, String value) {
    key(key).string(value);
    first = false;
    return this;
  }

  JsonWriter field(String key, long value) {
    key(key);
    sb.append(value);
    first = false;
    return this;
  }

  /** Writes a {@code Long} as a number and anything else as its text. */
  JsonWriter field(String key, Object value) {
    return value instanceof Long l ? field(key, l.longValue()) : field(key, String.valueOf(value));
  }

  JsonWriter field(String key, boolean value) {
    key(key);
    sb.append(value);
    first = false;
    return this;
  }

  /**
   * Starts an array of objects or values under {@code key}; elements follow with {@link
   * #element()}.
   */
  JsonWriter beginArray(String key) {
    key(key);
    sb.append('[');
    first = true;
    return this;
  }

  /** Starts an object inside an array. */
  JsonWriter element() {
    if (!first) {
      sb.append(',');
    }
    sb.append('{');
    first = true;
    return this;
  }

  JsonWriter endArray() {
    sb.append(']');
    first = false;
    return this;
  }

  JsonWriter longArray(String key, long[] values, int count) {
    key(key);
    sb.append('[');
    for (int i = 0; i < count; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(values[i]);
    }
    sb.append(']');
    first = false;
    return this;
  }

  JsonWriter nullField(String key) {
    key(key);
    sb.append("null");
    first = false;
    return this;
  }

  JsonWriter array(String key, int[] values, int count) {
    long[] wide = new long[count];
    for (int i = 0; i < count; i++) {
      wide[i] = values[i];
    }
    return longArray(key, wide, count);
  }

  JsonWriter stringArray(String key, java.util.List<String> values) {
    key(key);
    sb.append('[');
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      string(values.get(i));
    }
    sb.append(']');
    first = false;
    return this;
  }

  private void string(String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
