package io.evpnkit.ovsdb;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * Where an OVSDB server listens, in the notation of {@code ovsdb-server --remote} and {@code
 * vtep-ctl --db}: {@code unix:FILE} (the usual {@code db.sock}) or {@code tcp:HOST:PORT} (RFC 7047
 * §1.2 registers port 6640; an IPv6 host in brackets, {@code tcp:[::1]:6640}). Immutable.
 *
 * @param text the address as written
 * @param socketAddress the socket address it names
 * @since 0.2
 */
public record OvsdbAddress(String text, SocketAddress socketAddress) {
  /**
   * Parses {@code unix:FILE} or {@code tcp:HOST:PORT}.
   *
   * @throws IllegalArgumentException for anything else, saying what was expected
   */
  public static OvsdbAddress parse(String text) {
    if (text.startsWith("unix:") && text.length() > 5) {
      return new OvsdbAddress(text, UnixDomainSocketAddress.of(Path.of(text.substring(5))));
    }
    if (text.startsWith("tcp:")) {
      String rest = text.substring(4);
      int colon = rest.lastIndexOf(':');
      if (colon > 0 && colon < rest.length() - 1) {
        String host = rest.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
          port = Integer.parseInt(rest.substring(colon + 1));
        } catch (NumberFormatException e) {
          port = -1;
        }
        if (port > 0 && port < 65536 && !host.isEmpty()) {
          return new OvsdbAddress(text, new InetSocketAddress(host, port));
        }
      }
    }
    throw new IllegalArgumentException(
        "an OVSDB address is unix:FILE or tcp:HOST:PORT, not '" + text + "'");
  }

  /** Whether this is a unix domain socket. */
  public boolean isUnix() {
    return socketAddress instanceof UnixDomainSocketAddress;
  }

  @Override
  public String toString() {
    return text;
  }
}
