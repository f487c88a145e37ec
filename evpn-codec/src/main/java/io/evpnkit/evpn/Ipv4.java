package io.evpnkit.evpn;

/** Dotted-decimal IPv4 text, parsed and written without regular expressions or name lookups. */
final class Ipv4 {
  private Ipv4() {}

  /** Parses {@code text[from, to)} as four decimal octets. */
  static int parse(String text, int from, int to) {
    int address = 0;
    int start = from;
    for (int part = 0; part < 4; part++) {
      int end = start;
      while (end < to && text.charAt(end) != '.') {
        end++;
      }
      if (end == start || end - start > 3 || (part < 3 && end == to) || (part == 3 && end != to)) {
        throw new MalformedException(
            "IPv4 address "
                + MalformedException.quote(text.substring(from, to))
                + ": four decimal octets",
            start);
      }
      long octet = RouteDistinguisher.parseNumber(text, start, end, 255, "IPv4 octet");
      address = (address << 8) | (int) octet;
      start = end + 1;
    }
    return address;
  }

  static StringBuilder append(StringBuilder sb, int ip) {
    return sb.append(ip >>> 24)
        .append('.')
        .append((ip >>> 16) & 0xFF)
        .append('.')
        .append((ip >>> 8) & 0xFF)
        .append('.')
        .append(ip & 0xFF);
  }
}
