package io.evpnkit.evpn;

import static io.evpnkit.evpn.UpdateOutcome.SESSION_RESET;
import static io.evpnkit.evpn.UpdateOutcome.TREAT_AS_WITHDRAW;

import io.netty.buffer.ByteBuf;
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
 * <p>Inside, one class per responsibility, all reused from one message to the next: {@code
 * UpdateFrame} (the header and field framing, and the index of every attribute), {@code
 * AttributeRules} (the walk and the checks, reading the {@link AttributeType} table), {@code
 * NlriScan} (IPv4 prefix fields, the EVPN NLRI scan and visit), {@code UpdateErrors} (the errors,
 * the outcome and the NOTIFICATION), {@code AttributeMemo} (the attribute set shared by consecutive
 * UPDATEs) and {@code AttributeConversion} (to {@link PathAttributes}).
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

  private final SessionOptions options;
  private final UpdateFrame frame = new UpdateFrame();
  private final UpdateErrors errors = new UpdateErrors(frame);
  private final NlriScan nlri;
  private final AttributeRules rules;
  private final AttributeMemo memo = new AttributeMemo();

  /** Creates a decoder for a session with these options. */
  public UpdateDecoder(SessionOptions options) {
    this.options = options;
    this.nlri = new NlriScan(frame, errors, options.addPath());
    this.rules = new AttributeRules(options, frame, errors, nlri);
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
    frame.reset(message);
    errors.reset();
    if (!frame.frame(errors, options.maxMessageLength())
        || !nlri.checkPrefixes(frame.withdrawnFrom, frame.withdrawnTo, "Withdrawn Routes")
        || !nlri.checkPrefixes(frame.attributesTo, frame.end, "NLRI")) {
      return errors.outcome;
    }
    rules.walk();
    if (errors.outcome != SESSION_RESET) {
      rules.requireMandatory();
    }
    return errors.outcome;
  }

  /** Returns the outcome of the last {@link #decode}. */
  public UpdateOutcome outcome() {
    return errors.outcome;
  }

  /** Returns the errors of the last {@link #decode} in the order found (empty when well formed). */
  public List<UpdateError> errors() {
    return errors.list.isEmpty()
        ? List.of()
        : Collections.unmodifiableList(new ArrayList<>(errors.list));
  }

  /** Returns the number of errors found by the last {@link #decode}, without allocating. */
  public int errorCount() {
    return errors.list.size();
  }

  /** Returns error {@code i} of the last {@link #decode}. */
  public UpdateError error(int i) {
    return errors.list.get(i);
  }

  /**
   * Returns the NOTIFICATION to send when the outcome is {@link UpdateOutcome#SESSION_RESET}: the
   * code and subcode of the error that called for it and, as RFC 4271 §6.3 asks, the offending
   * attribute as data (the bad length or type for header errors, §6.1).
   *
   * @throws IllegalStateException if the outcome is not a session reset
   */
  public BgpNotification notification() {
    return errors.notification();
  }

  /**
   * Visits the routes of the last decoded UPDATE: the withdrawals of MP_UNREACH_NLRI, then the
   * announcements of MP_REACH_NLRI (as withdrawals when the outcome is treat-as-withdraw). NLRI
   * skipped as malformed are not visited; nothing is visited after a session reset. Allocates
   * nothing.
   */
  public void forEachRoute(RouteHandler handler) {
    UpdateOutcome outcome = errors.outcome;
    if (outcome == SESSION_RESET) {
      return;
    }
    if (frame.unreachFrom >= 0) {
      nlri.visit(frame.unreachFrom, frame.unreachTo, true, handler);
    }
    if (frame.reachFrom >= 0) {
      nlri.visit(frame.reachFrom, frame.reachTo, outcome == TREAT_AS_WITHDRAW, handler);
    }
  }

  /** Returns the number of well-formed NLRI in MP_REACH_NLRI of L2VPN/EVPN. */
  public int announcedCount() {
    return frame.announced;
  }

  /** Returns the number of well-formed NLRI in MP_UNREACH_NLRI of L2VPN/EVPN. */
  public int withdrawnCount() {
    return frame.withdrawn;
  }

  /**
   * Returns whether MP_REACH_NLRI or MP_UNREACH_NLRI of another AFI/SAFI was present (and not
   * read).
   */
  public boolean hasOtherFamilies() {
    return frame.otherFamilies;
  }

  /**
   * Returns whether the classic IPv4 Withdrawn Routes or NLRI fields are non-empty (not EVPN; not
   * read).
   */
  public boolean hasIpv4Prefixes() {
    return frame.hasIpv4Prefixes();
  }

  /**
   * Returns whether the UPDATE is the End-of-RIB marker of L2VPN/EVPN (RFC 4724 §2): an empty
   * MP_UNREACH_NLRI of that family and nothing else.
   */
  public boolean isEndOfRib() {
    return errors.outcome == UpdateOutcome.OK
        && frame.unreachFrom >= 0
        && frame.unreachFrom == frame.unreachTo
        && frame.reachFrom < 0
        && !frame.hasIpv4Prefixes()
        && frame.attributeTypes() == 1;
  }

  /** Returns whether attribute {@code type} is present, well formed and not discarded. */
  public boolean isPresent(int type) {
    return frame.usable(type);
  }

  /**
   * Returns the absolute buffer index of the value of attribute {@code type}, or -1 if not {@link
   * #isPresent}.
   */
  public int attributeValueIndex(int type) {
    return isPresent(type) ? frame.valueAt[type] : -1;
  }

  /** Returns the value length of attribute {@code type}, or -1 if not {@link #isPresent}. */
  public int attributeValueLength(int type) {
    return isPresent(type) ? frame.valueLength[type] : -1;
  }

  /** Returns the flags octet of attribute {@code type}, or -1 if not {@link #isPresent}. */
  public int attributeFlags(int type) {
    return isPresent(type) ? frame.buf.getUnsignedByte(frame.headerAt[type]) : -1;
  }

  /** Returns ORIGIN (0..2), or -1 if absent or malformed. */
  public int origin() {
    return frame.origin();
  }

  /** Returns MULTI_EXIT_DISC, or -1 if absent or malformed. */
  public long med() {
    return frame.med();
  }

  /** Returns LOCAL_PREF, or -1 if absent, malformed or discarded. */
  public long localPref() {
    return frame.localPref();
  }

  /** Returns the number of extended communities (0 if absent or malformed). */
  public int extendedCommunityCount() {
    return frame.extendedCommunityCount();
  }

  /** Returns the eight octets of extended community {@code i}, without allocating. */
  public long extendedCommunityValue(int i) {
    if (i < 0 || i >= extendedCommunityCount()) {
      throw new IndexOutOfBoundsException(
          "extended community " + i + " of " + extendedCommunityCount());
    }
    return frame.buf.getLong(frame.valueAt[PathAttributes.EXTENDED_COMMUNITIES] + i * 8);
  }

  /**
   * Returns the length of the MP_REACH_NLRI next hop (4, 16 or 32), or 0 without EVPN
   * MP_REACH_NLRI.
   */
  public int nextHopLength() {
    return frame.nextHopLength;
  }

  /**
   * Returns the MP_REACH_NLRI next hop (the global address when 32 bytes carry a link-local one
   * too), or null.
   */
  public @Nullable IpAddress nextHop() {
    return frame.nextHop();
  }

  /**
   * Returns the second address of a 32-octet MP_REACH_NLRI next hop, the link-local one of RFC 2545
   * §3 (kept as sent, whatever it holds), or null for a next hop of 4 or 16 octets.
   */
  public @Nullable IpAddress linkLocalNextHop() {
    return frame.linkLocalNextHop();
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
    UpdateOutcome outcome = errors.outcome;
    if (outcome == SESSION_RESET) {
      throw new IllegalStateException(
          "the UPDATE called for a session reset; it has no attributes to keep");
    }
    PathAttributes same = memo.find(frame, outcome == UpdateOutcome.OK);
    if (same != null) {
      return same;
    }
    PathAttributes value = AttributeConversion.convert(frame, options);
    memo.remember(frame, value, outcome == UpdateOutcome.OK);
    return value;
  }
}
