package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.ATTRIBUTE_FLAGS_ERROR;
import static io.evpnkit.evpn.BgpNotification.ATTRIBUTE_LENGTH_ERROR;
import static io.evpnkit.evpn.BgpNotification.INVALID_ORIGIN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.MALFORMED_AS_PATH;
import static io.evpnkit.evpn.BgpNotification.MALFORMED_ATTRIBUTE_LIST;
import static io.evpnkit.evpn.BgpNotification.MISSING_WELL_KNOWN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.OPTIONAL_ATTRIBUTE_ERROR;
import static io.evpnkit.evpn.BgpNotification.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.UPDATE_MESSAGE_ERROR;
import static io.evpnkit.evpn.PathAttributes.FLAG_EXTENDED_LENGTH;
import static io.evpnkit.evpn.PathAttributes.FLAG_OPTIONAL;
import static io.evpnkit.evpn.PathAttributes.FLAG_TRANSITIVE;
import static io.evpnkit.evpn.UpdateOutcome.ATTRIBUTE_DISCARD;
import static io.evpnkit.evpn.UpdateOutcome.SESSION_RESET;
import static io.evpnkit.evpn.UpdateOutcome.TREAT_AS_WITHDRAW;

/**
 * The path attribute rules of RFC 7606 applied to one UPDATE (the list is {@link UpdateDecoder}'s
 * class documentation): the walk over the attribute field indexes each attribute in the {@link
 * UpdateFrame}, checks its header, flags and length against the {@link AttributeType} table and its
 * value or structure by its own code where the table cannot say (ORIGIN's value, AS_PATH and
 * AS4_PATH segments, NEXT_HOP, MP_REACH_NLRI / MP_UNREACH_NLRI, PMSI Tunnel), and then checks the
 * well-known mandatory attributes of an UPDATE that announces routes.
 */
final class AttributeRules {
  private final SessionOptions options;
  private final UpdateFrame frame;
  private final UpdateErrors errors;
  private final NlriScan nlri;

  AttributeRules(SessionOptions options, UpdateFrame frame, UpdateErrors errors, NlriScan nlri) {
    this.options = options;
    this.frame = frame;
    this.errors = errors;
    this.nlri = nlri;
  }

  /** Walks the attribute field; stops at a session reset or an attribute running past it (§4). */
  void walk() {
    int at = frame.attributesFrom;
    int to = frame.attributesTo;
    while (at < to) {
      int remaining = to - at;
      int flags = frame.buf.getUnsignedByte(at);
      boolean extended = (flags & FLAG_EXTENDED_LENGTH) != 0;
      if (remaining < (extended ? 4 : 3)) {
        overrun(at, "attribute header of " + remaining + " bytes is cut short");
        return;
      }
      int type = frame.buf.getUnsignedByte(at + 1);
      int length =
          extended ? frame.buf.getUnsignedShort(at + 2) : frame.buf.getUnsignedByte(at + 2);
      int value = at + (extended ? 4 : 3);
      if (value + length > to) {
        overrun(at, "attribute " + type + " of " + length + " bytes runs past the path attributes");
        return;
      }
      int next = value + length;
      if (frame.usable(type)) {
        if (type == PathAttributes.MP_REACH_NLRI || type == PathAttributes.MP_UNREACH_NLRI) {
          errors.fatal(
              UPDATE_MESSAGE_ERROR,
              MALFORMED_ATTRIBUTE_LIST,
              type,
              at,
              "MP_REACH_NLRI/MP_UNREACH_NLRI appears twice");
          return;
        }
        errors.repeated(type, at);
        at = next;
        continue;
      }
      frame.index(type, at, value, length);
      AttributeType t = AttributeType.of(type);
      if (t == null) {
        if ((flags & FLAG_OPTIONAL) == 0) {
          errors.fatalAttribute(
              UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
              type,
              at,
              next,
              "unrecognized well-known attribute " + type);
          return;
        }
      } else {
        if ((flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) != t.flags()) {
          errors.error(
              TREAT_AS_WITHDRAW,
              ATTRIBUTE_FLAGS_ERROR,
              type,
              at,
              "flags 0x"
                  + Integer.toHexString(flags)
                  + " conflict with attribute "
                  + type
                  + " (Optional/Transitive must be 0x"
                  + Integer.toHexString(t.flags())
                  + ")");
        }
        check(t, at, value, length);
        if (errors.outcome == SESSION_RESET) {
          return;
        }
      }
      at = next;
    }
  }

  /**
   * The well-known mandatory attributes of an UPDATE that announces routes (§3 d): ORIGIN and
   * AS_PATH, and NEXT_HOP when IPv4 NLRI follow (RFC 4760 §3).
   */
  void requireMandatory() {
    boolean announces =
        frame.hasIpv4Nlri()
            || frame.announced > 0
            || (frame.reachFrom >= 0 && errors.names(PathAttributes.MP_REACH_NLRI));
    if (announces) {
      requireWellKnown(PathAttributes.ORIGIN, "ORIGIN");
      requireWellKnown(PathAttributes.AS_PATH, "AS_PATH");
      if (frame.hasIpv4Nlri()) {
        requireWellKnown(PathAttributes.NEXT_HOP, "NEXT_HOP");
      }
    }
  }

  private void requireWellKnown(int type, String name) {
    if (!frame.seen(type)) {
      errors.error(
          TREAT_AS_WITHDRAW,
          MISSING_WELL_KNOWN_ATTRIBUTE,
          type,
          frame.attributesFrom - 2,
          "well-known mandatory attribute " + name + " is missing");
    }
  }

  private void overrun(int at, String reason) {
    if (frame.reachFrom < 0
        && frame.unreachFrom < 0
        && !frame.otherFamilies
        && frame.attributesTo == frame.end) {
      errors.fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          at,
          reason
              + ", before MP_REACH_NLRI/MP_UNREACH_NLRI could be located: the routes cannot be withdrawn");
    } else {
      errors.error(TREAT_AS_WITHDRAW, ATTRIBUTE_LENGTH_ERROR, -1, at, reason);
    }
  }

  private void check(AttributeType t, int at, int v, int length) {
    int type = t.code();
    // who may send it, then its length, as the attribute table says
    if (t.isInternalOnly() && !options.internalPeer()) {
      errors.error(
          ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, at, t + " from an external peer");
      return;
    }
    if (t.isTwoOctetAsOnly() && options.fourOctetAs()) {
      errors.error(
          ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, at, t + " on a 4-octet AS session");
      return;
    }
    boolean lengthOk =
        switch (t.lengthRule()) {
          case FIXED -> fixedLength(type, at, length, t.length(), t.lengthOutcome(), t.name());
          case MULTIPLE -> multipleOf(type, at, length, t.length(), t.name());
          case AS_AND_ADDRESS ->
              fixedLength(
                  type, at, length, options.fourOctetAs() ? 8 : 6, t.lengthOutcome(), t.name());
          case OWN -> true;
        };
    if (!lengthOk) {
      return;
    }
    // what the table cannot say: values and structures
    switch (type) {
      case PathAttributes.ORIGIN -> {
        if (frame.buf.getUnsignedByte(v) > 2) {
          errors.error(
              TREAT_AS_WITHDRAW,
              INVALID_ORIGIN_ATTRIBUTE,
              type,
              v,
              "ORIGIN value " + frame.buf.getUnsignedByte(v) + " is not 0..2");
        }
      }
      case PathAttributes.AS_PATH -> {
        int bad = AsPath.check(frame.buf, v, length, options.fourOctetAs() ? 4 : 2);
        if (bad >= 0) {
          errors.error(
              TREAT_AS_WITHDRAW, MALFORMED_AS_PATH, type, bad, "malformed AS_PATH segment");
        }
      }
      case PathAttributes.NEXT_HOP -> {
        if (length != t.length()) {
          errors.error(
              frame.hasIpv4Nlri() ? TREAT_AS_WITHDRAW : ATTRIBUTE_DISCARD,
              ATTRIBUTE_LENGTH_ERROR,
              type,
              at,
              "NEXT_HOP of " + length + " bytes: must be 4");
        }
      }
      case PathAttributes.MP_REACH_NLRI -> checkMpReach(at, v, length);
      case PathAttributes.MP_UNREACH_NLRI -> checkMpUnreach(at, v, length);
      case PathAttributes.AS4_PATH -> {
        int bad = AsPath.check(frame.buf, v, length, 4);
        if (bad >= 0) {
          errors.error(
              ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, bad, "malformed AS4_PATH segment");
        }
      }
      case PathAttributes.PMSI_TUNNEL -> {
        String problem = PmsiTunnel.problem(frame.buf, v, length);
        if (problem != null) {
          errors.error(TREAT_AS_WITHDRAW, OPTIONAL_ATTRIBUTE_ERROR, type, at, problem);
        }
      }
      default -> {}
    }
  }

  /** Checks a fixed length; returns whether it holds. */
  private boolean fixedLength(
      int type, int at, int length, int expected, UpdateOutcome action, String name) {
    if (length != expected) {
      errors.error(
          action,
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          name + " of " + length + " bytes: must be " + expected);
      return false;
    }
    return true;
  }

  /** Checks a non-zero multiple; returns whether it holds. */
  private boolean multipleOf(int type, int at, int length, int unit, String name) {
    if (length == 0 || length % unit != 0) {
      errors.error(
          TREAT_AS_WITHDRAW,
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          name + " of " + length + " bytes: must be a non-zero multiple of " + unit);
      return false;
    }
    return true;
  }

  /** MP_REACH_NLRI (RFC 4760 §3, RFC 7606 §7.11): fixed fields, next hop, EVPN NLRI. */
  private void checkMpReach(int at, int v, int length) {
    int type = PathAttributes.MP_REACH_NLRI;
    int next = v + length;
    if (length < 5) {
      errors.fatalAttribute(
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          next,
          "MP_REACH_NLRI of " + length + " bytes: needs at least 5");
      return;
    }
    int nh = frame.buf.getUnsignedByte(v + 3);
    if (5 + nh > length) {
      errors.fatalAttribute(
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          v + 3,
          next,
          "MP_REACH_NLRI next hop of " + nh + " bytes runs past the attribute");
      return;
    }
    if (!isEvpn(v)) {
      frame.otherFamilies = true;
      return;
    }
    if (nh != 4 && nh != 16 && nh != 32) {
      errors.fatalAttribute(
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          v + 3,
          next,
          "MP_REACH_NLRI next hop of " + nh + " bytes: must be 4, 16 or 32");
      return;
    }
    frame.nextHopAt = v + 4;
    frame.nextHopLength = nh;
    frame.reachFrom = v + 5 + nh;
    frame.reachTo = next;
    frame.announced = nlri.scan(frame.reachFrom, frame.reachTo, type);
  }

  /** MP_UNREACH_NLRI (RFC 4760 §4, RFC 7606 §7.12): fixed fields, EVPN NLRI. */
  private void checkMpUnreach(int at, int v, int length) {
    int type = PathAttributes.MP_UNREACH_NLRI;
    if (length < 3) {
      errors.fatalAttribute(
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          v + length,
          "MP_UNREACH_NLRI of " + length + " bytes: needs at least 3");
      return;
    }
    if (!isEvpn(v)) {
      frame.otherFamilies = true;
      return;
    }
    frame.unreachFrom = v + 3;
    frame.unreachTo = v + length;
    frame.withdrawn = nlri.scan(frame.unreachFrom, frame.unreachTo, type);
  }

  private boolean isEvpn(int v) {
    return frame.buf.getUnsignedShort(v) == BgpMessages.AFI_L2VPN
        && frame.buf.getUnsignedByte(v + 2) == BgpMessages.SAFI_EVPN;
  }
}
