package io.evpnkit.policy;

import io.evpnkit.evpn.EvpnNlri;
import io.netty.buffer.ByteBuf;

/**
 * The fields of one route that conditions compare, read from the flyweight once per evaluation
 * (instead of once per condition) into primitives. Held by the caller's {@link PolicyResult}, so
 * reading allocates nothing.
 */
final class RouteFields {
  static final int RD = 1;
  static final int TAG = 2;
  static final int ESI = 4;
  static final int MAC = 8;
  static final int ADDRESS = 16;

  int type;

  /**
   * LOCAL_PREF, MULTI_EXIT_DISC and ORIGIN as the terms so far have set them (later terms see the
   * changes).
   */
  long localPref;

  long med;
  int origin;
  long rd;
  long tag = -1;
  boolean hasEsi;
  long esiHigh;
  int esiLow;
  long mac = -1;

  /** Type 2: 0, 32, 128; type 5: 32 or 128; else 0. */
  int ipBits;

  /** The address (type 2) or prefix (type 5) as 128 bits, IPv4 in the top 32; and its length. */
  long ipHigh;

  long ipLow;
  int ipLength;

  /** The community atoms the mask was computed for (null: not yet, this evaluation). */
  TermMatcher.@org.jspecify.annotations.Nullable CommunityAtoms maskOf;

  long mask;

  /** Returns the route's community atom mask, computing it on first use in an evaluation. */
  long communityMask(TermMatcher.CommunityAtoms atoms, io.evpnkit.evpn.PathAttributes a) {
    if (maskOf != atoms) {
      mask = atoms.mask(a);
      maskOf = atoms;
    }
    return mask;
  }

  /** Reads the parts {@code needs} names ({@link #RD}, ...); the type always. */
  void read(EvpnNlri n, int needs) {
    maskOf = null;
    int t = n.routeTypeCode();
    type = t;
    if ((needs & RD) != 0) {
      rd = t >= 1 && t <= 11 ? n.routeDistinguisherValue() : 0;
    }
    if ((needs & TAG) != 0) {
      tag = TermMatcher.hasTag(t) ? n.ethernetTag() : -1;
    }
    hasEsi = TermMatcher.hasEsi(t);
    ByteBuf b = n.buffer();
    int v = n.valueOffset();
    if (hasEsi && (needs & ESI) != 0) {
      esiHigh = b.getLong(v + 8);
      esiLow = b.getUnsignedShort(v + 16);
    }
    ipBits = 0;
    ipLength = -1;
    mac = -1;
    if ((needs & (MAC | ADDRESS)) == 0) {
      return;
    }
    if (t == 2) {
      if ((needs & MAC) != 0) {
        mac = n.mac();
      }
      int bits = n.ipLength();
      ipBits = bits;
      if (bits != 0 && (needs & ADDRESS) != 0) {
        address(b, v + 30, bits);
        ipLength = bits;
      }
    } else if (t == 5 && (needs & ADDRESS) != 0) {
      int bits = n.ipLength();
      ipBits = bits;
      address(b, v + 23, bits);
      ipLength = n.prefixLength();
    }
  }

  private void address(ByteBuf b, int at, int bits) {
    if (bits == 128) {
      ipHigh = b.getLong(at);
      ipLow = b.getLong(at + 8);
    } else {
      ipHigh = b.getUnsignedInt(at) << 32;
      ipLow = 0;
    }
  }
}
