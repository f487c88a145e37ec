package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.INVALID_NETWORK_FIELD;
import static io.evpnkit.evpn.BgpNotification.OPTIONAL_ATTRIBUTE_ERROR;
import static io.evpnkit.evpn.BgpNotification.UPDATE_MESSAGE_ERROR;
import static io.evpnkit.evpn.UpdateOutcome.TREAT_AS_WITHDRAW;

/**
 * The NLRI fields of an UPDATE: the IPv4 prefixes of the Withdrawn Routes and NLRI fields checked
 * (RFC 7606 §5.3), the EVPN NLRI of MP_REACH_NLRI / MP_UNREACH_NLRI scanned once when the attribute
 * is checked (with ADD-PATH path identifiers, RFC 7911 §3) and visited afterwards through one
 * reused {@link EvpnNlri}. An NLRI whose own length cannot be trusted is a session reset; one whose
 * layout is wrong for its route type is skipped with treat-as-withdraw (RFC 7606 §5.4).
 */
final class NlriScan {
  private final UpdateFrame frame;
  private final UpdateErrors errors;
  private final boolean addPath;
  private final EvpnNlri view = new EvpnNlri();

  NlriScan(UpdateFrame frame, UpdateErrors errors, boolean addPath) {
    this.frame = frame;
    this.errors = errors;
    this.addPath = addPath;
  }

  /** Checks the IPv4 prefixes of a field; returns whether they are well formed. */
  boolean checkPrefixes(int from, int to, String field) {
    for (int at = from; at < to; ) {
      int bits = frame.buf.getUnsignedByte(at);
      if (bits > 32) {
        errors.fatal(
            UPDATE_MESSAGE_ERROR,
            INVALID_NETWORK_FIELD,
            -1,
            at,
            field + ": IPv4 prefix length " + bits + " > 32");
        return false;
      }
      int next = at + 1 + (bits + 7) / 8;
      if (next > to) {
        errors.fatal(
            UPDATE_MESSAGE_ERROR,
            INVALID_NETWORK_FIELD,
            -1,
            at,
            field + ": IPv4 prefix runs past the field");
        return false;
      }
      at = next;
    }
    return true;
  }

  /**
   * Checks the EVPN NLRI of attribute {@code type} between {@code from} and {@code to}; returns the
   * number of well-formed ones.
   */
  int scan(int from, int to, int type) {
    int count = 0;
    int at = from;
    while (at < to) {
      if (addPath) {
        if (to - at < 4 + EvpnNlri.HEADER_LENGTH) {
          errors.fatalAttribute(
              OPTIONAL_ATTRIBUTE_ERROR,
              type,
              at,
              frame.attributeEnd(type),
              to - at < 4
                  ? "ADD-PATH path identifier cut short"
                  : "ADD-PATH path identifier without a whole NLRI header after it");
          return count;
        }
        at += 4;
      }
      if (view.tryWrap(frame.buf, at, to)) {
        count++;
        at += view.totalLength();
        continue;
      }
      NlriError e = java.util.Objects.requireNonNull(view.error());
      if (e.isUnparseable()) {
        errors.fatalAttribute(
            OPTIONAL_ATTRIBUTE_ERROR,
            type,
            view.errorOffset(),
            frame.attributeEnd(type),
            "EVPN NLRI: " + e.description());
        return count;
      }
      errors.error(
          TREAT_AS_WITHDRAW,
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          view.errorOffset(),
          "EVPN NLRI of route type "
              + frame.buf.getUnsignedByte(at)
              + ": "
              + e.description()
              + "; skipped");
      at += EvpnNlri.HEADER_LENGTH + frame.buf.getUnsignedByte(at + 1);
    }
    return count;
  }

  /** Visits the well-formed NLRI of a field already {@link #scan scanned}. */
  void visit(int from, int to, boolean withdraw, UpdateDecoder.RouteHandler handler) {
    for (int at = from; at < to; ) {
      long pathId = 0;
      if (addPath) {
        pathId = frame.buf.getUnsignedInt(at);
        at += 4;
      }
      if (view.tryWrap(frame.buf, at, to)) {
        handler.route(withdraw, pathId, view);
      }
      at += EvpnNlri.HEADER_LENGTH + frame.buf.getUnsignedByte(at + 1);
    }
  }
}
