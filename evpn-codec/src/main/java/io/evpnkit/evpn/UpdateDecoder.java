package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.ATTRIBUTE_FLAGS_ERROR;
import static io.evpnkit.evpn.BgpNotification.ATTRIBUTE_LENGTH_ERROR;
import static io.evpnkit.evpn.BgpNotification.INVALID_NETWORK_FIELD;
import static io.evpnkit.evpn.BgpNotification.INVALID_ORIGIN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.MALFORMED_AS_PATH;
import static io.evpnkit.evpn.BgpNotification.MALFORMED_ATTRIBUTE_LIST;
import static io.evpnkit.evpn.BgpNotification.MESSAGE_HEADER_ERROR;
import static io.evpnkit.evpn.BgpNotification.MISSING_WELL_KNOWN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.OPTIONAL_ATTRIBUTE_ERROR;
import static io.evpnkit.evpn.BgpNotification.UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE;
import static io.evpnkit.evpn.BgpNotification.UPDATE_MESSAGE_ERROR;
import static io.evpnkit.evpn.PathAttributes.FLAG_EXTENDED_LENGTH;
import static io.evpnkit.evpn.PathAttributes.FLAG_OPTIONAL;
import static io.evpnkit.evpn.PathAttributes.FLAG_TRANSITIVE;
import static io.evpnkit.evpn.UpdateOutcome.ATTRIBUTE_DISCARD;
import static io.evpnkit.evpn.UpdateOutcome.OK;
import static io.evpnkit.evpn.UpdateOutcome.SESSION_RESET;
import static io.evpnkit.evpn.UpdateOutcome.TREAT_AS_WITHDRAW;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Decodes BGP UPDATE messages of L2VPN/EVPN (RFC 4271 §4.3, RFC 4760 §3-4, RFC 7432 §7) with the
 * error handling of RFC 7606: every error is classified as attribute discard, treat-as-withdraw or
 * session reset, with the NOTIFICATION subcode, the offset and a reason, and the UPDATE's outcome
 * is the most severe of them (§3).
 *
 * <p>One decoder per session and thread (with assertions enabled, {@code -ea}, a call from a thread
 * other than the first one's throws {@link IllegalStateException}: shared, it would return wrong
 * results without a word): {@link #decode} validates a whole message in one pass and leaves this
 * object as a flyweight view of it until the next call. Nothing is copied or allocated for a
 * well-formed UPDATE; NLRI are then visited with {@link #forEachRoute} through one reused {@link
 * EvpnNlri}, and attributes read through the accessors here, or turned into an immutable {@link
 * PathAttributes} with {@link #attributes()}. The message buffer stays the caller's: it is not
 * retained or released, and must stay unchanged while the view is used.
 *
 * <p>The rules applied (RFC 7606 section in brackets):
 *
 * <ul>
 *   <li>Withdrawn Routes Length or Total Path Attribute Length running past the message: session
 *       reset, Malformed Attribute List (RFC 4271 §6.3). IPv4 prefixes in the Withdrawn Routes or
 *       NLRI fields that are syntactically incorrect: session reset, Invalid Network Field (§5.3).
 *   <li>An attribute whose header or length runs past the attribute field: treat-as-withdraw, the
 *       rest of the field is not parsed (§4); if MP_REACH_NLRI/MP_UNREACH_NLRI had not been located
 *       by then, the routes to withdraw cannot be known and the outcome is session reset (§5.1 is
 *       why those attributes come first).
 *   <li>Optional or Transitive flag bits in conflict with the attribute type: treat-as-withdraw (§3
 *       c).
 *   <li>MP_REACH_NLRI or MP_UNREACH_NLRI twice: session reset, Malformed Attribute List (§3 g); any
 *       other attribute twice: all but the first are discarded (§3 g).
 *   <li>Well-known mandatory attribute missing from an UPDATE that announces routes:
 *       treat-as-withdraw (§3 d); NEXT_HOP is only required with IPv4 NLRI in the NLRI field (RFC
 *       4760 §3), and otherwise a malformed one is discarded.
 *   <li>Unrecognized well-known attribute (Optional bit clear): session reset (RFC 4271 §6.3).
 *   <li>Per attribute (§7): ORIGIN length ≠ 1 or value &gt; 2, AS_PATH malformed segments (§7.2),
 *       MED and LOCAL_PREF length ≠ 4, COMMUNITIES / CLUSTER_LIST not a non-zero multiple of 4,
 *       ORIGINATOR_ID length ≠ 4, EXTENDED_COMMUNITIES not a non-zero multiple of 8 (§7.14),
 *       LARGE_COMMUNITY not a non-zero multiple of 12 (RFC 8092 §6), a PMSI Tunnel shorter than 5
 *       octets or whose tunnel identifier does not fit its tunnel type (see {@link PmsiTunnel}):
 *       treat-as-withdraw. ATOMIC_AGGREGATE length ≠ 0, AGGREGATOR length ≠ 6 or 8 (by AS size),
 *       malformed AS4_PATH / AS4_AGGREGATOR (RFC 6793 §6), and LOCAL_PREF, ORIGINATOR_ID,
 *       CLUSTER_LIST from an external peer (§7.5, §7.9, §7.10): attribute discard. AS4_PATH and
 *       AS4_AGGREGATOR on a 4-octet-AS session are discarded (RFC 6793 §4.1).
 *   <li>MP_REACH_NLRI / MP_UNREACH_NLRI shorter than their fixed fields, a next-hop length other
 *       than 4, 16 or 32, or an EVPN NLRI (or ADD-PATH path identifier) running past the attribute:
 *       session reset, Optional Attribute Error, where AFI/SAFI disable is the allowed alternative
 *       (§7.11, §5.3). Other AFI/SAFIs are not read (see {@link #hasOtherFamilies()}).
 *   <li>An EVPN NLRI whose own length can be trusted but whose layout is wrong for its route type
 *       (RFC 7432 §7: MAC length other than 48, IP length other than 0/32/128, lengths that fit no
 *       layout): treat-as-withdraw (§5.4, §2), and that NLRI is skipped. NLRI of route types
 *       evpn-codec does not know are delivered opaque; RFC 7606 §5.4 says a receiver SHOULD ignore
 *       them.
 * </ul>
 *
 * @since 0.1
 */
public final class UpdateDecoder {
  /** Receives the routes of a decoded UPDATE. */
  @FunctionalInterface
  public interface RouteHandler {
    /**
     * Called once per route.
     *
     * @param withdraw whether the route is withdrawn (from MP_UNREACH_NLRI, or announced by an
     *     UPDATE whose outcome is treat-as-withdraw)
     * @param pathId the ADD-PATH path identifier (unsigned 32 bits), 0 without ADD-PATH
     * @param nlri the NLRI, a view valid during this call only
     */
    void route(boolean withdraw, long pathId, EvpnNlri nlri);
  }

  private static final int MIN_LENGTH = 23;
  // Expected Optional and Transitive bits of the attributes this decoder knows, by type; -1 for
  // unknown types.
  // the Optional and Transitive flags of each modelled attribute (RFC 7606 §3 c), from
  // AttributeType; -1 unmodelled
  private static final int[] EXPECTED_FLAGS = new int[256];

  static {
    java.util.Arrays.fill(EXPECTED_FLAGS, -1);
    for (AttributeType t : AttributeType.values()) {
      EXPECTED_FLAGS[t.code()] = t.flags();
    }
  }

  private static final long[] KNOWN = new long[4];

  static {
    for (int t = 0; t < 256; t++) {
      if (EXPECTED_FLAGS[t] >= 0) {
        KNOWN[t >>> 6] |= 1L << t;
      }
    }
  }

  private final SessionOptions options;
  private final EvpnNlri view = new EvpnNlri();
  private final long[] present = new long[4];
  private final long[] discarded = new long[4];
  private final int[] valueAt = new int[256];
  private final int[] valueLength = new int[256];
  private final int[] headerAt = new int[256];
  private final List<UpdateError> errors = new ArrayList<>();

  private ByteBuf buf = Unpooled.EMPTY_BUFFER;
  private int base;
  private int end;
  private UpdateOutcome outcome = OK;
  private int withdrawnFrom;
  private int withdrawnTo;
  private int attributesFrom;
  private int attributesTo;
  private int reachFrom;
  private int reachTo;
  private int unreachFrom;
  private int unreachTo;
  private int nextHopAt;
  private int nextHopLength;
  private int announced;
  private int withdrawn;
  private boolean otherFamilies;
  private int resetDataFrom;
  private int resetDataTo;
  private int resetIndex;

  /** Creates a decoder for a session with these options. */
  public UpdateDecoder(SessionOptions options) {
    this.options = options;
  }

  /** Returns the session options. */
  public SessionOptions options() {
    return options;
  }

  private @Nullable Thread owner; // the thread of the first call (checked with assertions on only)

  /** The one-thread rule, checked under {@code assert} (free without {@code -ea}). */
  private boolean oneThread() {
    Thread t = Thread.currentThread();
    Thread o = owner;
    if (o == null) {
      owner = t;
    } else if (o != t) {
      throw new IllegalStateException(
          "UpdateDecoder is one per thread: first used on \""
              + o.getName()
              + "\", now on \""
              + t.getName()
              + "\"");
    }
    return true;
  }

  /**
   * Decodes one whole UPDATE, header included, from the readable bytes of {@code message} (as
   * {@link BgpMessageFramer} delivers it). Never throws for any content; indexes of {@code message}
   * are not moved.
   *
   * @return the RFC 7606 outcome; {@link #errors()} lists every error found
   */
  public UpdateOutcome decode(ByteBuf message) {
    assert oneThread();
    reset(message);
    int length = end - base;
    if (length < MIN_LENGTH) {
      return fatal(
          MESSAGE_HEADER_ERROR, 2, -1, base, "UPDATE of " + length + " bytes: needs at least 23");
    }
    if (buf.getLong(base) != -1L || buf.getLong(base + 8) != -1L) {
      return fatal(MESSAGE_HEADER_ERROR, 1, -1, base, "marker is not all ones");
    }
    int declared = buf.getUnsignedShort(base + 16);
    if (declared != length || length > options.maxMessageLength()) {
      return fatal(
          MESSAGE_HEADER_ERROR,
          2,
          -1,
          base + 16,
          "length field "
              + declared
              + " but "
              + length
              + " bytes given (at most "
              + options.maxMessageLength()
              + ")");
    }
    if (buf.getUnsignedByte(base + 18) != 2) {
      return fatal(
          MESSAGE_HEADER_ERROR,
          3,
          -1,
          base + 18,
          "message type " + buf.getUnsignedByte(base + 18) + " is not UPDATE (2)");
    }
    int p = base + 19;
    int withdrawnLength = buf.getUnsignedShort(p);
    if (p + 2 + withdrawnLength + 2 > end) {
      return fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          p,
          "Withdrawn Routes Length " + withdrawnLength + " runs past the message");
    }
    withdrawnFrom = p + 2;
    withdrawnTo = withdrawnFrom + withdrawnLength;
    int attributeLength = buf.getUnsignedShort(withdrawnTo);
    if (withdrawnTo + 2 + attributeLength > end) {
      return fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          withdrawnTo,
          "Total Path Attribute Length " + attributeLength + " runs past the message");
    }
    attributesFrom = withdrawnTo + 2;
    attributesTo = attributesFrom + attributeLength;
    if (!checkPrefixes(withdrawnFrom, withdrawnTo, "Withdrawn Routes")
        || !checkPrefixes(attributesTo, end, "NLRI")) {
      return outcome;
    }
    walkAttributes();
    if (outcome == SESSION_RESET) {
      return outcome;
    }
    boolean announces = attributesTo < end || announced > 0 || (reachFrom >= 0 && hasBadReach());
    if (announces) {
      requireWellKnown(PathAttributes.ORIGIN, "ORIGIN");
      requireWellKnown(PathAttributes.AS_PATH, "AS_PATH");
      if (attributesTo < end) {
        requireWellKnown(PathAttributes.NEXT_HOP, "NEXT_HOP");
      }
    }
    return outcome;
  }

  private void reset(ByteBuf message) {
    buf = message;
    base = message.readerIndex();
    end = base + message.readableBytes();
    outcome = OK;
    errors.clear();
    java.util.Arrays.fill(present, 0L);
    java.util.Arrays.fill(discarded, 0L);
    withdrawnFrom = withdrawnTo = attributesFrom = attributesTo = base;
    reachFrom = unreachFrom = -1;
    reachTo = unreachTo = -1;
    nextHopAt = -1;
    nextHopLength = 0;
    announced = withdrawn = 0;
    otherFamilies = false;
    resetDataFrom = resetDataTo = 0;
    resetIndex = -1;
  }

  private boolean hasBadReach() {
    for (UpdateError e : errors) {
      if (e.attributeType() == PathAttributes.MP_REACH_NLRI) {
        return true;
      }
    }
    return false;
  }

  private void requireWellKnown(int type, String name) {
    if ((present[0] & 1L << type) == 0) {
      error(
          TREAT_AS_WITHDRAW,
          MISSING_WELL_KNOWN_ATTRIBUTE,
          type,
          attributesFrom - 2,
          "well-known mandatory attribute " + name + " is missing");
    }
  }

  private boolean checkPrefixes(int from, int to, String field) {
    for (int at = from; at < to; ) {
      int bits = buf.getUnsignedByte(at);
      if (bits > 32) {
        fatal(
            UPDATE_MESSAGE_ERROR,
            INVALID_NETWORK_FIELD,
            -1,
            at,
            field + ": IPv4 prefix length " + bits + " > 32");
        return false;
      }
      int next = at + 1 + (bits + 7) / 8;
      if (next > to) {
        fatal(
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

  private void walkAttributes() {
    int at = attributesFrom;
    while (at < attributesTo) {
      int remaining = attributesTo - at;
      int flags = buf.getUnsignedByte(at);
      boolean extended = (flags & FLAG_EXTENDED_LENGTH) != 0;
      if (remaining < (extended ? 4 : 3)) {
        overrun(at, "attribute header of " + remaining + " bytes is cut short");
        return;
      }
      int type = buf.getUnsignedByte(at + 1);
      int length = extended ? buf.getUnsignedShort(at + 2) : buf.getUnsignedByte(at + 2);
      int value = at + (extended ? 4 : 3);
      if (value + length > attributesTo) {
        overrun(at, "attribute " + type + " of " + length + " bytes runs past the path attributes");
        return;
      }
      int next = value + length;
      if (isPresent(type)) {
        if (type == PathAttributes.MP_REACH_NLRI || type == PathAttributes.MP_UNREACH_NLRI) {
          fatal(
              UPDATE_MESSAGE_ERROR,
              MALFORMED_ATTRIBUTE_LIST,
              type,
              at,
              "MP_REACH_NLRI/MP_UNREACH_NLRI appears twice");
          return;
        }
        errors.add(
            new UpdateError(
                ATTRIBUTE_DISCARD,
                UPDATE_MESSAGE_ERROR,
                MALFORMED_ATTRIBUTE_LIST,
                type,
                at - base,
                "attribute " + type + " appears again; only the first is kept"));
        if (outcome == OK) {
          outcome = ATTRIBUTE_DISCARD;
        }
        at = next;
        continue;
      }
      present[type >>> 6] |= 1L << type;
      headerAt[type] = at;
      valueAt[type] = value;
      valueLength[type] = length;
      int expected = EXPECTED_FLAGS[type];
      if (expected < 0) {
        if ((flags & FLAG_OPTIONAL) == 0) {
          fatalAttribute(
              UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE,
              type,
              at,
              next,
              "unrecognized well-known attribute " + type);
          return;
        }
      } else {
        if ((flags & (FLAG_OPTIONAL | FLAG_TRANSITIVE)) != expected) {
          error(
              TREAT_AS_WITHDRAW,
              ATTRIBUTE_FLAGS_ERROR,
              type,
              at,
              "flags 0x"
                  + Integer.toHexString(flags)
                  + " conflict with attribute "
                  + type
                  + " (Optional/Transitive must be 0x"
                  + Integer.toHexString(expected)
                  + ")");
        }
        checkAttribute(type, at, value, length);
        if (outcome == SESSION_RESET) {
          return;
        }
      }
      at = next;
    }
  }

  private void overrun(int at, String reason) {
    if (reachFrom < 0 && unreachFrom < 0 && !otherFamilies && attributesTo == end) {
      fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          at,
          reason
              + ", before MP_REACH_NLRI/MP_UNREACH_NLRI could be located: the routes cannot be withdrawn");
    } else {
      error(TREAT_AS_WITHDRAW, ATTRIBUTE_LENGTH_ERROR, -1, at, reason);
    }
  }

  private void checkAttribute(int type, int at, int v, int length) {
    AttributeType t = AttributeType.of(type);
    if (t == null) {
      return;
    }
    // who may send it, then its length, as the attribute table says
    if (t.isInternalOnly() && !options.internalPeer()) {
      error(ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, at, t + " from an external peer");
      return;
    }
    if (t.isTwoOctetAsOnly() && options.fourOctetAs()) {
      error(ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, at, t + " on a 4-octet AS session");
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
        if (buf.getUnsignedByte(v) > 2) {
          error(
              TREAT_AS_WITHDRAW,
              INVALID_ORIGIN_ATTRIBUTE,
              type,
              v,
              "ORIGIN value " + buf.getUnsignedByte(v) + " is not 0..2");
        }
      }
      case PathAttributes.AS_PATH -> {
        int bad = AsPath.check(buf, v, length, options.fourOctetAs() ? 4 : 2);
        if (bad >= 0) {
          error(TREAT_AS_WITHDRAW, MALFORMED_AS_PATH, type, bad, "malformed AS_PATH segment");
        }
      }
      case PathAttributes.NEXT_HOP -> {
        if (length != t.length()) {
          boolean needed = attributesTo < end;
          error(
              needed ? TREAT_AS_WITHDRAW : ATTRIBUTE_DISCARD,
              ATTRIBUTE_LENGTH_ERROR,
              type,
              at,
              "NEXT_HOP of " + length + " bytes: must be 4");
        }
      }
      case PathAttributes.MP_REACH_NLRI -> checkMpReach(at, v, length);
      case PathAttributes.MP_UNREACH_NLRI -> checkMpUnreach(at, v, length);
      case PathAttributes.AS4_PATH -> {
        int bad = AsPath.check(buf, v, length, 4);
        if (bad >= 0) {
          error(
              ATTRIBUTE_DISCARD, OPTIONAL_ATTRIBUTE_ERROR, type, bad, "malformed AS4_PATH segment");
        }
      }
      case PathAttributes.PMSI_TUNNEL -> {
        String problem = PmsiTunnel.problem(buf, v, length);
        if (problem != null) {
          error(TREAT_AS_WITHDRAW, OPTIONAL_ATTRIBUTE_ERROR, type, at, problem);
        }
      }
      default -> {}
    }
  }

  /** Checks a fixed length; returns whether it holds. */
  private boolean fixedLength(
      int type, int at, int length, int expected, UpdateOutcome action, String name) {
    if (length != expected) {
      error(
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
      error(
          TREAT_AS_WITHDRAW,
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          name + " of " + length + " bytes: must be a non-zero multiple of " + unit);
      return false;
    }
    return true;
  }

  private void checkMpReach(int at, int v, int length) {
    int type = PathAttributes.MP_REACH_NLRI;
    int next = v + length;
    if (length < 5) {
      fatalAttribute(
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          next,
          "MP_REACH_NLRI of " + length + " bytes: needs at least 5");
      return;
    }
    int nh = buf.getUnsignedByte(v + 3);
    if (5 + nh > length) {
      fatalAttribute(
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          v + 3,
          next,
          "MP_REACH_NLRI next hop of " + nh + " bytes runs past the attribute");
      return;
    }
    if (!isEvpn(v)) {
      otherFamilies = true;
      return;
    }
    if (nh != 4 && nh != 16 && nh != 32) {
      fatalAttribute(
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          v + 3,
          next,
          "MP_REACH_NLRI next hop of " + nh + " bytes: must be 4, 16 or 32");
      return;
    }
    nextHopAt = v + 4;
    nextHopLength = nh;
    reachFrom = v + 5 + nh;
    reachTo = next;
    announced = scanNlri(reachFrom, reachTo, type);
  }

  private void checkMpUnreach(int at, int v, int length) {
    int type = PathAttributes.MP_UNREACH_NLRI;
    if (length < 3) {
      fatalAttribute(
          ATTRIBUTE_LENGTH_ERROR,
          type,
          at,
          v + length,
          "MP_UNREACH_NLRI of " + length + " bytes: needs at least 3");
      return;
    }
    if (!isEvpn(v)) {
      otherFamilies = true;
      return;
    }
    unreachFrom = v + 3;
    unreachTo = v + length;
    withdrawn = scanNlri(unreachFrom, unreachTo, type);
  }

  private boolean isEvpn(int v) {
    return buf.getUnsignedShort(v) == BgpMessages.AFI_L2VPN
        && buf.getUnsignedByte(v + 2) == BgpMessages.SAFI_EVPN;
  }

  /** Checks an NLRI field; returns the number of well-formed NLRI. */
  private int scanNlri(int from, int to, int type) {
    int count = 0;
    int at = from;
    boolean addPath = options.addPath();
    while (at < to) {
      if (addPath) {
        if (to - at < 4 + EvpnNlri.HEADER_LENGTH) {
          fatalAttribute(
              OPTIONAL_ATTRIBUTE_ERROR,
              type,
              at,
              attributeEnd(type),
              to - at < 4
                  ? "ADD-PATH path identifier cut short"
                  : "ADD-PATH path identifier without a whole NLRI header after it");
          return count;
        }
        at += 4;
      }
      if (view.tryWrap(buf, at, to)) {
        count++;
        at += view.totalLength();
        continue;
      }
      NlriError e = java.util.Objects.requireNonNull(view.error());
      if (e.isUnparseable()) {
        fatalAttribute(
            OPTIONAL_ATTRIBUTE_ERROR,
            type,
            view.errorOffset(),
            attributeEnd(type),
            "EVPN NLRI: " + e.description());
        return count;
      }
      error(
          TREAT_AS_WITHDRAW,
          OPTIONAL_ATTRIBUTE_ERROR,
          type,
          view.errorOffset(),
          "EVPN NLRI of route type "
              + buf.getUnsignedByte(at)
              + ": "
              + e.description()
              + "; skipped");
      at += EvpnNlri.HEADER_LENGTH + buf.getUnsignedByte(at + 1);
    }
    return count;
  }

  private int attributeEnd(int type) {
    return valueAt[type] + valueLength[type];
  }

  private void error(UpdateOutcome action, int subcode, int type, int at, String reason) {
    errors.add(new UpdateError(action, UPDATE_MESSAGE_ERROR, subcode, type, at - base, reason));
    if (action.compareTo(outcome) > 0) {
      outcome = action;
    }
    if (type >= 0) {
      // discarded, or malformed (which leads to treat-as-withdraw): either way never used
      discarded[type >>> 6] |= 1L << type;
    }
  }

  private UpdateOutcome fatal(int code, int subcode, int type, int at, String reason) {
    errors.add(new UpdateError(SESSION_RESET, code, subcode, type, at - base, reason));
    outcome = SESSION_RESET;
    resetIndex = errors.size() - 1;
    return outcome;
  }

  private void fatalAttribute(int subcode, int type, int at, int attributeEnd, String reason) {
    fatal(UPDATE_MESSAGE_ERROR, subcode, type, at, reason);
    resetDataFrom = headerAt[type];
    resetDataTo = attributeEnd;
  }

  /** Returns the outcome of the last {@link #decode}. */
  public UpdateOutcome outcome() {
    return outcome;
  }

  /** Returns the errors of the last {@link #decode} in the order found (empty when well formed). */
  public List<UpdateError> errors() {
    return errors.isEmpty() ? List.of() : Collections.unmodifiableList(new ArrayList<>(errors));
  }

  /** Returns the number of errors found by the last {@link #decode}, without allocating. */
  public int errorCount() {
    return errors.size();
  }

  /** Returns error {@code i} of the last {@link #decode}. */
  public UpdateError error(int i) {
    return errors.get(i);
  }

  /**
   * Returns the NOTIFICATION to send when the outcome is {@link UpdateOutcome#SESSION_RESET}: the
   * code and subcode of the error that called for it and, as RFC 4271 §6.3 asks, the offending
   * attribute as data (the bad length or type for header errors, §6.1).
   *
   * @throws IllegalStateException if the outcome is not a session reset
   */
  public BgpNotification notification() {
    if (outcome != SESSION_RESET || resetIndex < 0) {
      throw new IllegalStateException("outcome is " + outcome + ", not SESSION_RESET");
    }
    UpdateError e = errors.get(resetIndex);
    byte[] data;
    if (resetDataTo > resetDataFrom) {
      data = new byte[resetDataTo - resetDataFrom];
      buf.getBytes(resetDataFrom, data);
    } else if (e.code() == MESSAGE_HEADER_ERROR && e.subcode() == 2 && end - base >= 18) {
      data = new byte[] {buf.getByte(base + 16), buf.getByte(base + 17)};
    } else if (e.code() == MESSAGE_HEADER_ERROR && e.subcode() == 3) {
      data = new byte[] {buf.getByte(base + 18)};
    } else {
      data = new byte[0];
    }
    return new BgpNotification(e.code(), e.subcode(), data);
  }

  /**
   * Visits the routes of the last decoded UPDATE: the withdrawals of MP_UNREACH_NLRI, then the
   * announcements of MP_REACH_NLRI (as withdrawals when the outcome is treat-as-withdraw). NLRI
   * skipped as malformed are not visited; nothing is visited after a session reset. Allocates
   * nothing.
   */
  public void forEachRoute(RouteHandler handler) {
    if (outcome == SESSION_RESET) {
      return;
    }
    if (unreachFrom >= 0) {
      visit(unreachFrom, unreachTo, true, handler);
    }
    if (reachFrom >= 0) {
      visit(reachFrom, reachTo, outcome == TREAT_AS_WITHDRAW, handler);
    }
  }

  private void visit(int from, int to, boolean withdraw, RouteHandler handler) {
    boolean addPath = options.addPath();
    for (int at = from; at < to; ) {
      long pathId = 0;
      if (addPath) {
        pathId = buf.getUnsignedInt(at);
        at += 4;
      }
      if (view.tryWrap(buf, at, to)) {
        handler.route(withdraw, pathId, view);
      }
      at += EvpnNlri.HEADER_LENGTH + buf.getUnsignedByte(at + 1);
    }
  }

  /** Returns the number of well-formed NLRI in MP_REACH_NLRI of L2VPN/EVPN. */
  public int announcedCount() {
    return announced;
  }

  /** Returns the number of well-formed NLRI in MP_UNREACH_NLRI of L2VPN/EVPN. */
  public int withdrawnCount() {
    return withdrawn;
  }

  /**
   * Returns whether MP_REACH_NLRI or MP_UNREACH_NLRI of another AFI/SAFI was present (and not
   * read).
   */
  public boolean hasOtherFamilies() {
    return otherFamilies;
  }

  /**
   * Returns whether the classic IPv4 Withdrawn Routes or NLRI fields are non-empty (not EVPN; not
   * read).
   */
  public boolean hasIpv4Prefixes() {
    return withdrawnTo > withdrawnFrom || end > attributesTo;
  }

  /**
   * Returns whether the UPDATE is the End-of-RIB marker of L2VPN/EVPN (RFC 4724 §2): an empty
   * MP_UNREACH_NLRI of that family and nothing else.
   */
  public boolean isEndOfRib() {
    return outcome == OK
        && unreachFrom >= 0
        && unreachFrom == unreachTo
        && reachFrom < 0
        && !hasIpv4Prefixes()
        && Long.bitCount(present[0])
                + Long.bitCount(present[1])
                + Long.bitCount(present[2])
                + Long.bitCount(present[3])
            == 1;
  }

  /** Returns whether attribute {@code type} is present, well formed and not discarded. */
  public boolean isPresent(int type) {
    return (present[type >>> 6] & 1L << type) != 0 && (discarded[type >>> 6] & 1L << type) == 0;
  }

  /**
   * Returns the absolute buffer index of the value of attribute {@code type}, or -1 if not {@link
   * #isPresent}.
   */
  public int attributeValueIndex(int type) {
    return isPresent(type) ? valueAt[type] : -1;
  }

  /** Returns the value length of attribute {@code type}, or -1 if not {@link #isPresent}. */
  public int attributeValueLength(int type) {
    return isPresent(type) ? valueLength[type] : -1;
  }

  /** Returns the flags octet of attribute {@code type}, or -1 if not {@link #isPresent}. */
  public int attributeFlags(int type) {
    return isPresent(type) ? buf.getUnsignedByte(headerAt[type]) : -1;
  }

  private boolean usable(int type) {
    return isPresent(type);
  }

  /** Returns ORIGIN (0..2), or -1 if absent or malformed. */
  public int origin() {
    return usable(PathAttributes.ORIGIN) ? buf.getUnsignedByte(valueAt[PathAttributes.ORIGIN]) : -1;
  }

  /** Returns MULTI_EXIT_DISC, or -1 if absent or malformed. */
  public long med() {
    return usable(PathAttributes.MULTI_EXIT_DISC)
        ? buf.getUnsignedInt(valueAt[PathAttributes.MULTI_EXIT_DISC])
        : -1;
  }

  /** Returns LOCAL_PREF, or -1 if absent, malformed or discarded. */
  public long localPref() {
    return usable(PathAttributes.LOCAL_PREF)
        ? buf.getUnsignedInt(valueAt[PathAttributes.LOCAL_PREF])
        : -1;
  }

  /** Returns the number of extended communities (0 if absent or malformed). */
  public int extendedCommunityCount() {
    return usable(PathAttributes.EXTENDED_COMMUNITIES)
        ? valueLength[PathAttributes.EXTENDED_COMMUNITIES] / 8
        : 0;
  }

  /** Returns the eight octets of extended community {@code i}, without allocating. */
  public long extendedCommunityValue(int i) {
    if (i < 0 || i >= extendedCommunityCount()) {
      throw new IndexOutOfBoundsException(
          "extended community " + i + " of " + extendedCommunityCount());
    }
    return buf.getLong(valueAt[PathAttributes.EXTENDED_COMMUNITIES] + i * 8);
  }

  /**
   * Returns the length of the MP_REACH_NLRI next hop (4, 16 or 32), or 0 without EVPN
   * MP_REACH_NLRI.
   */
  public int nextHopLength() {
    return nextHopLength;
  }

  /**
   * Returns the MP_REACH_NLRI next hop (the global address when 32 bytes carry a link-local one
   * too), or null.
   */
  public @Nullable IpAddress nextHop() {
    if (nextHopLength == 0) {
      return null;
    }
    return IpAddress.read(buf, nextHopAt, nextHopLength == 4 ? 32 : 128);
  }

  /**
   * Returns the second address of a 32-octet MP_REACH_NLRI next hop, the link-local one of RFC 2545
   * §3 (kept as sent, whatever it holds), or null for a next hop of 4 or 16 octets.
   */
  public @Nullable IpAddress linkLocalNextHop() {
    return nextHopLength == 32 ? IpAddress.read(buf, nextHopAt + 16, 128) : null;
  }

  /**
   * Returns the attributes as an immutable value, without the discarded and malformed ones; on
   * 2-octet AS sessions AS_PATH is merged with AS4_PATH and AGGREGATOR with AS4_AGGREGATOR (RFC
   * 6793 §4.2.3). When the attributes (all but MP_REACH_NLRI's NLRI) are byte for byte those of the
   * previous UPDATE that asked, the same instance is returned: a sender packs a batch of routes
   * with one attribute set into consecutive UPDATEs, and a RIB then holds one copy.
   *
   * @throws IllegalStateException after a session reset
   */
  public PathAttributes attributes() {
    if (outcome == SESSION_RESET) {
      throw new IllegalStateException(
          "the UPDATE called for a session reset; it has no attributes to keep");
    }
    // The key: the attributes before MP_REACH_NLRI, its AFI, SAFI and next hop (not its header,
    // whose length
    // changes with the NLRI count), the attributes after it, and whether IPv4 NLRI follow.
    boolean mp =
        isPresent(PathAttributes.MP_REACH_NLRI)
            && reachFrom >= 0; // EVPN MP_REACH_NLRI (another family is kept whole)
    keyFrom[0] = attributesFrom;
    keyTo[0] = mp ? headerAt[PathAttributes.MP_REACH_NLRI] : attributesTo;
    keyFrom[1] = mp ? valueAt[PathAttributes.MP_REACH_NLRI] : attributesTo;
    keyTo[1] = mp ? reachFrom : attributesTo;
    keyFrom[2] = mp ? attributeEnd(PathAttributes.MP_REACH_NLRI) : attributesTo;
    keyTo[2] = attributesTo;
    PathAttributes last = lastAttributes;
    if (last != null && outcome == OK && sameAsLast()) {
      return last;
    }
    PathAttributes value = buildAttributes();
    remember(value);
    return value;
  }

  private final int[] keyFrom = new int[3];
  private final int[] keyTo = new int[3];
  private @Nullable PathAttributes lastAttributes;
  private byte[] lastKey = new byte[0];
  private int lastKeyLength;

  private int keyLength() {
    return (keyTo[0] - keyFrom[0]) + (keyTo[1] - keyFrom[1]) + (keyTo[2] - keyFrom[2]) + 1;
  }

  private boolean sameAsLast() {
    if (keyLength() != lastKeyLength) {
      return false;
    }
    int k = 0;
    for (int r = 0; r < 3; r++) {
      for (int i = keyFrom[r]; i < keyTo[r]; i++, k++) {
        if (buf.getByte(i) != lastKey[k]) {
          return false;
        }
      }
    }
    return lastKey[k] == (attributesTo < end ? 1 : 0);
  }

  private void remember(PathAttributes value) {
    if (outcome != OK) {
      lastAttributes = null;
      lastKeyLength = 0;
      return;
    }
    int n = keyLength();
    if (lastKey.length < n) {
      lastKey = new byte[Math.max(n, 2 * lastKey.length)];
    }
    int k = 0;
    for (int r = 0; r < 3; r++) {
      buf.getBytes(keyFrom[r], lastKey, k, keyTo[r] - keyFrom[r]);
      k += keyTo[r] - keyFrom[r];
    }
    lastKey[k] = (byte) (attributesTo < end ? 1 : 0);
    lastKeyLength = n;
    lastAttributes = value;
  }

  private PathAttributes buildAttributes() {
    PathAttributes.Builder b = PathAttributes.builder();
    int asSize = options.fourOctetAs() ? 4 : 2;
    if (origin() >= 0) {
      b.origin(origin());
    }
    if (usable(PathAttributes.AS_PATH)) {
      AsPath path =
          AsPath.read(
              buf, valueAt[PathAttributes.AS_PATH], valueLength[PathAttributes.AS_PATH], asSize);
      if (asSize == 2 && usable(PathAttributes.AS4_PATH)) {
        path =
            AsPath.merge(
                path,
                AsPath.read(
                    buf,
                    valueAt[PathAttributes.AS4_PATH],
                    valueLength[PathAttributes.AS4_PATH],
                    4));
      }
      b.asPath(path);
    }
    b.nextHopAsReceived(nextHop(), linkLocalNextHop());
    b.med(med());
    b.localPref(localPref());
    b.atomicAggregate(usable(PathAttributes.ATOMIC_AGGREGATE));
    if (usable(PathAttributes.AGGREGATOR)) {
      int v = valueAt[PathAttributes.AGGREGATOR];
      long as = asSize == 4 ? buf.getUnsignedInt(v) : buf.getUnsignedShort(v);
      int address = buf.getInt(v + asSize);
      if (as == AsPath.AS_TRANS && usable(PathAttributes.AS4_AGGREGATOR)) {
        int v4 = valueAt[PathAttributes.AS4_AGGREGATOR];
        as = buf.getUnsignedInt(v4);
        address = buf.getInt(v4 + 4);
      }
      b.aggregator(as, address);
    }
    if (usable(PathAttributes.COMMUNITIES)) {
      for (int i = 0, v = valueAt[PathAttributes.COMMUNITIES];
          i < valueLength[PathAttributes.COMMUNITIES] / 4;
          i++) {
        b.addCommunity(buf.getInt(v + i * 4));
      }
    }
    if (usable(PathAttributes.ORIGINATOR_ID)) {
      b.originatorId(buf.getUnsignedInt(valueAt[PathAttributes.ORIGINATOR_ID]));
    }
    if (usable(PathAttributes.CLUSTER_LIST)) {
      for (int i = 0, v = valueAt[PathAttributes.CLUSTER_LIST];
          i < valueLength[PathAttributes.CLUSTER_LIST] / 4;
          i++) {
        b.addClusterId(buf.getInt(v + i * 4));
      }
    }
    int extended = extendedCommunityCount();
    for (int i = 0, v = valueAt[PathAttributes.EXTENDED_COMMUNITIES]; i < extended; i++) {
      b.addExtendedCommunity(buf.getLong(v + i * 8));
    }
    if (usable(PathAttributes.PMSI_TUNNEL)) {
      b.pmsiTunnel(
          PmsiTunnel.read(
              buf, valueAt[PathAttributes.PMSI_TUNNEL], valueLength[PathAttributes.PMSI_TUNNEL]));
    }
    if (usable(PathAttributes.LARGE_COMMUNITY)) {
      int v = valueAt[PathAttributes.LARGE_COMMUNITY];
      for (int i = 0;
          i < valueLength[PathAttributes.LARGE_COMMUNITY] / LargeCommunity.LENGTH;
          i++) {
        b.addLargeCommunity(LargeCommunity.read(buf, v + i * LargeCommunity.LENGTH));
      }
    }
    for (int type = 0; type < 256; type++) {
      if ((present[type >>> 6] & ~KNOWN[type >>> 6]) == 0) {
        type |= 63; // no unknown attribute in this block of 64
        continue;
      }
      if (EXPECTED_FLAGS[type] < 0 && usable(type)) {
        byte[] value = new byte[valueLength[type]];
        buf.getBytes(valueAt[type], value);
        b.addOther(RawAttribute.received(buf.getUnsignedByte(headerAt[type]), type, value));
      }
    }
    return b.build();
  }
}
