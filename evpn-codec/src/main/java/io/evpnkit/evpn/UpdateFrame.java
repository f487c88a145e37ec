package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.MALFORMED_ATTRIBUTE_LIST;
import static io.evpnkit.evpn.BgpNotification.MESSAGE_HEADER_ERROR;
import static io.evpnkit.evpn.BgpNotification.UPDATE_MESSAGE_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * Where the parts of one UPDATE are, as absolute indexes of its buffer: the framing checks of RFC
 * 4271 §4.3 and §6.1 locate the Withdrawn Routes, Path Attributes and NLRI fields; the attribute
 * walk ({@link AttributeRules}) then indexes each attribute (header, value, length), the EVPN
 * MP_REACH_NLRI / MP_UNREACH_NLRI fields and the next hop, and marks what it discards. Reused from
 * one message to the next: nothing is allocated. Read by the decoder's accessors and by {@link
 * AttributeConversion}.
 */
final class UpdateFrame {
  /** The shortest UPDATE: the 19-octet header and the two 2-octet length fields. */
  static final int MIN_LENGTH = 23;

  ByteBuf buf = Unpooled.EMPTY_BUFFER;
  int base;
  int end;
  int withdrawnFrom;
  int withdrawnTo;
  int attributesFrom;
  int attributesTo;
  int reachFrom;
  int reachTo;
  int unreachFrom;
  int unreachTo;
  int nextHopAt;
  int nextHopLength;
  int announced;
  int withdrawn;
  boolean otherFamilies;

  // attributes by type code: present (first copy seen), discarded (malformed or dropped)
  final long[] present = new long[4];
  final long[] discarded = new long[4];
  final int[] headerAt = new int[256];
  final int[] valueAt = new int[256];
  final int[] valueLength = new int[256];

  /** Starts over with the readable bytes of {@code message}. */
  void reset(ByteBuf message) {
    buf = message;
    base = message.readerIndex();
    end = base + message.readableBytes();
    java.util.Arrays.fill(present, 0L);
    java.util.Arrays.fill(discarded, 0L);
    withdrawnFrom = withdrawnTo = attributesFrom = attributesTo = base;
    reachFrom = unreachFrom = -1;
    reachTo = unreachTo = -1;
    nextHopAt = -1;
    nextHopLength = 0;
    announced = withdrawn = 0;
    otherFamilies = false;
  }

  /**
   * Checks the header and locates the three fields (RFC 4271 §4.3); a problem is a session reset
   * (§6.1 for the header, Malformed Attribute List for a length running past the message).
   *
   * @return whether the fields were located
   */
  boolean frame(UpdateErrors errors, int maxMessageLength) {
    int length = end - base;
    if (length < MIN_LENGTH) {
      errors.fatal(
          MESSAGE_HEADER_ERROR, 2, -1, base, "UPDATE of " + length + " bytes: needs at least 23");
      return false;
    }
    if (buf.getLong(base) != -1L || buf.getLong(base + 8) != -1L) {
      errors.fatal(MESSAGE_HEADER_ERROR, 1, -1, base, "marker is not all ones");
      return false;
    }
    int declared = buf.getUnsignedShort(base + 16);
    if (declared != length || length > maxMessageLength) {
      errors.fatal(
          MESSAGE_HEADER_ERROR,
          2,
          -1,
          base + 16,
          "length field "
              + declared
              + " but "
              + length
              + " bytes given (at most "
              + maxMessageLength
              + ")");
      return false;
    }
    if (buf.getUnsignedByte(base + 18) != 2) {
      errors.fatal(
          MESSAGE_HEADER_ERROR,
          3,
          -1,
          base + 18,
          "message type " + buf.getUnsignedByte(base + 18) + " is not UPDATE (2)");
      return false;
    }
    int p = base + 19;
    int withdrawnLength = buf.getUnsignedShort(p);
    if (p + 2 + withdrawnLength + 2 > end) {
      errors.fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          p,
          "Withdrawn Routes Length " + withdrawnLength + " runs past the message");
      return false;
    }
    withdrawnFrom = p + 2;
    withdrawnTo = withdrawnFrom + withdrawnLength;
    int attributeLength = buf.getUnsignedShort(withdrawnTo);
    if (withdrawnTo + 2 + attributeLength > end) {
      errors.fatal(
          UPDATE_MESSAGE_ERROR,
          MALFORMED_ATTRIBUTE_LIST,
          -1,
          withdrawnTo,
          "Total Path Attribute Length " + attributeLength + " runs past the message");
      return false;
    }
    attributesFrom = withdrawnTo + 2;
    attributesTo = attributesFrom + attributeLength;
    return true;
  }

  /** Whether the IPv4 NLRI field (after the path attributes) is non-empty. */
  boolean hasIpv4Nlri() {
    return attributesTo < end;
  }

  /** Whether the classic IPv4 Withdrawn Routes or NLRI fields are non-empty. */
  boolean hasIpv4Prefixes() {
    return withdrawnTo > withdrawnFrom || end > attributesTo;
  }

  /** Whether a first copy of attribute {@code type} was seen, discarded or not. */
  boolean seen(int type) {
    return (present[type >>> 6] & 1L << type) != 0;
  }

  /** Indexes the first copy of attribute {@code type}. */
  void index(int type, int header, int value, int length) {
    present[type >>> 6] |= 1L << type;
    headerAt[type] = header;
    valueAt[type] = value;
    valueLength[type] = length;
  }

  /** Marks attribute {@code type} discarded, or malformed: either way never used. */
  void discard(int type) {
    discarded[type >>> 6] |= 1L << type;
  }

  /** Whether attribute {@code type} is present, well formed and not discarded. */
  boolean usable(int type) {
    return (present[type >>> 6] & 1L << type) != 0 && (discarded[type >>> 6] & 1L << type) == 0;
  }

  /** The index just past the value of attribute {@code type}. */
  int attributeEnd(int type) {
    return valueAt[type] + valueLength[type];
  }

  /** The number of distinct attribute types present. */
  int attributeTypes() {
    return Long.bitCount(present[0])
        + Long.bitCount(present[1])
        + Long.bitCount(present[2])
        + Long.bitCount(present[3]);
  }

  int origin() {
    return usable(PathAttributes.ORIGIN) ? buf.getUnsignedByte(valueAt[PathAttributes.ORIGIN]) : -1;
  }

  long med() {
    return usable(PathAttributes.MULTI_EXIT_DISC)
        ? buf.getUnsignedInt(valueAt[PathAttributes.MULTI_EXIT_DISC])
        : -1;
  }

  long localPref() {
    return usable(PathAttributes.LOCAL_PREF)
        ? buf.getUnsignedInt(valueAt[PathAttributes.LOCAL_PREF])
        : -1;
  }

  int extendedCommunityCount() {
    return usable(PathAttributes.EXTENDED_COMMUNITIES)
        ? valueLength[PathAttributes.EXTENDED_COMMUNITIES] / 8
        : 0;
  }

  @Nullable IpAddress nextHop() {
    if (nextHopLength == 0) {
      return null;
    }
    return IpAddress.read(buf, nextHopAt, nextHopLength == 4 ? 32 : 128);
  }

  @Nullable IpAddress linkLocalNextHop() {
    return nextHopLength == 32 ? IpAddress.read(buf, nextHopAt + 16, 128) : null;
  }
}
