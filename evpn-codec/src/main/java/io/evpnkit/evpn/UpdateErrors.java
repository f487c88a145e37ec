package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.MALFORMED_ATTRIBUTE_LIST;
import static io.evpnkit.evpn.BgpNotification.MESSAGE_HEADER_ERROR;
import static io.evpnkit.evpn.BgpNotification.UPDATE_MESSAGE_ERROR;
import static io.evpnkit.evpn.UpdateOutcome.ATTRIBUTE_DISCARD;
import static io.evpnkit.evpn.UpdateOutcome.OK;
import static io.evpnkit.evpn.UpdateOutcome.SESSION_RESET;

import java.util.ArrayList;
import java.util.List;

/**
 * The errors found in one UPDATE, in the order found, and its outcome: the most severe of them (RFC
 * 7606 §3). For a session reset it keeps which error called for it and what data its NOTIFICATION
 * carries (RFC 4271 §6.1, §6.3). Offsets in the errors are relative to the start of the message.
 * Reused from one message to the next; a well-formed UPDATE allocates nothing here.
 */
final class UpdateErrors {
  private final UpdateFrame frame;
  final List<UpdateError> list = new ArrayList<>();
  UpdateOutcome outcome = OK;
  private int resetIndex = -1;
  private int resetDataFrom;
  private int resetDataTo;

  UpdateErrors(UpdateFrame frame) {
    this.frame = frame;
  }

  void reset() {
    list.clear();
    outcome = OK;
    resetIndex = -1;
    resetDataFrom = resetDataTo = 0;
  }

  /**
   * An error of an UPDATE that does not reset the session; an attribute it names is marked
   * discarded (malformed, which leads to treat-as-withdraw, or dropped: either way never used).
   */
  void error(UpdateOutcome action, int subcode, int type, int at, String reason) {
    list.add(new UpdateError(action, UPDATE_MESSAGE_ERROR, subcode, type, at - frame.base, reason));
    if (action.compareTo(outcome) > 0) {
      outcome = action;
    }
    if (type >= 0) {
      frame.discard(type);
    }
  }

  /** A repeated attribute: all but the first copy are discarded (RFC 7606 §3 g). */
  void repeated(int type, int at) {
    list.add(
        new UpdateError(
            ATTRIBUTE_DISCARD,
            UPDATE_MESSAGE_ERROR,
            MALFORMED_ATTRIBUTE_LIST,
            type,
            at - frame.base,
            "attribute " + type + " appears again; only the first is kept"));
    if (outcome == OK) {
      outcome = ATTRIBUTE_DISCARD;
    }
  }

  /** An error that resets the session; its NOTIFICATION carries the header field (§6.1). */
  UpdateOutcome fatal(int code, int subcode, int type, int at, String reason) {
    list.add(new UpdateError(SESSION_RESET, code, subcode, type, at - frame.base, reason));
    outcome = SESSION_RESET;
    resetIndex = list.size() - 1;
    return outcome;
  }

  /**
   * An attribute error that resets the session; its NOTIFICATION carries the attribute, header to
   * {@code attributeEnd} (RFC 4271 §6.3).
   */
  void fatalAttribute(int subcode, int type, int at, int attributeEnd, String reason) {
    fatal(UPDATE_MESSAGE_ERROR, subcode, type, at, reason);
    resetDataFrom = frame.headerAt[type];
    resetDataTo = attributeEnd;
  }

  /** Whether an error names attribute {@code type}. */
  boolean names(int type) {
    for (UpdateError e : list) {
      if (e.attributeType() == type) {
        return true;
      }
    }
    return false;
  }

  /** The NOTIFICATION of a session reset. */
  BgpNotification notification() {
    if (outcome != SESSION_RESET || resetIndex < 0) {
      throw new IllegalStateException("outcome is " + outcome + ", not SESSION_RESET");
    }
    UpdateError e = list.get(resetIndex);
    byte[] data;
    int base = frame.base;
    if (resetDataTo > resetDataFrom) {
      data = new byte[resetDataTo - resetDataFrom];
      frame.buf.getBytes(resetDataFrom, data);
    } else if (e.code() == MESSAGE_HEADER_ERROR && e.subcode() == 2 && frame.end - base >= 18) {
      data = new byte[] {frame.buf.getByte(base + 16), frame.buf.getByte(base + 17)};
    } else if (e.code() == MESSAGE_HEADER_ERROR && e.subcode() == 3) {
      data = new byte[] {frame.buf.getByte(base + 18)};
    } else {
      data = new byte[0];
    }
    return new BgpNotification(e.code(), e.subcode(), data);
  }
}
