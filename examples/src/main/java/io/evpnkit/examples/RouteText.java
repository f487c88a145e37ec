package io.evpnkit.examples;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.RouteDistinguisher;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;

/**
 * Reads a route given on the command line, the one way every command does: the Junos form, or the
 * FRR form with the RD given apart ({@code --rd}), which FRR prints above its routes rather than in
 * them.
 */
final class RouteText {
  private RouteText() {}

  /**
   * A route that cannot be read: a usage problem (exit 2) or malformed text (exit 1); the message
   * is printed.
   */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1;
    private final int status;

    Refused(int status) {
      super(null, null, false, false);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /**
   * Reads {@code text}; on failure prints {@code command: reason} and, for malformed text, the text
   * with a caret at the offset, and throws {@link Refused} with the exit status.
   */
  static EvpnRoute read(
      String command, String text, @Nullable String rd, boolean lenient, PrintWriter err)
      throws Refused {
    try {
      if (text.startsWith("[")) {
        if (rd == null) {
          err.println(command + ": an FRR-form route needs --rd (FRR prints the RD apart)");
          throw new Refused(2);
        }
        return EvpnRoutes.parseFrr(text, RouteDistinguisher.parse(rd));
      }
      return EvpnRoutes.parseJunos(text, lenient);
    } catch (MalformedException e) {
      err.println(command + ": " + e.getMessage());
      err.println("  " + text);
      err.println("  " + " ".repeat(Math.max(0, Math.min(e.offset(), text.length()))) + "^");
      throw new Refused(1);
    }
  }
}
