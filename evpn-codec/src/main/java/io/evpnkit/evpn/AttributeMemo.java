package io.evpnkit.evpn;

import org.jspecify.annotations.Nullable;

/**
 * The last attribute set a decoder turned into {@link PathAttributes}, and its bytes: a sender
 * packs a batch of routes with one attribute set into consecutive UPDATEs, so when the next
 * UPDATE's attributes are byte for byte the same, the same instance serves and a RIB holds one
 * copy. The key is the attribute field without MP_REACH_NLRI's header and NLRI (whose length
 * changes with the NLRI count): the attributes before it, its AFI, SAFI and next hop, the
 * attributes after it, and whether IPv4 NLRI follow. Only well-formed UPDATEs are remembered.
 * Comparing allocates nothing; the key buffer grows to the largest attribute set seen.
 */
final class AttributeMemo {
  private final int[] keyFrom = new int[3];
  private final int[] keyTo = new int[3];
  private @Nullable PathAttributes last;
  private byte[] lastKey = new byte[0];
  private int lastKeyLength;

  /**
   * Computes {@code frame}'s key; returns the remembered attributes if it is the same bytes and
   * {@code wellFormed}, else null.
   */
  @Nullable PathAttributes find(UpdateFrame frame, boolean wellFormed) {
    boolean mp = frame.usable(PathAttributes.MP_REACH_NLRI) && frame.reachFrom >= 0; // EVPN's
    keyFrom[0] = frame.attributesFrom;
    keyTo[0] = mp ? frame.headerAt[PathAttributes.MP_REACH_NLRI] : frame.attributesTo;
    keyFrom[1] = mp ? frame.valueAt[PathAttributes.MP_REACH_NLRI] : frame.attributesTo;
    keyTo[1] = mp ? frame.reachFrom : frame.attributesTo;
    keyFrom[2] = mp ? frame.attributeEnd(PathAttributes.MP_REACH_NLRI) : frame.attributesTo;
    keyTo[2] = frame.attributesTo;
    PathAttributes remembered = last;
    return remembered != null && wellFormed && sameAsLast(frame) ? remembered : null;
  }

  private int keyLength() {
    return (keyTo[0] - keyFrom[0]) + (keyTo[1] - keyFrom[1]) + (keyTo[2] - keyFrom[2]) + 1;
  }

  private boolean sameAsLast(UpdateFrame frame) {
    if (keyLength() != lastKeyLength) {
      return false;
    }
    int k = 0;
    for (int r = 0; r < 3; r++) {
      for (int i = keyFrom[r]; i < keyTo[r]; i++, k++) {
        if (frame.buf.getByte(i) != lastKey[k]) {
          return false;
        }
      }
    }
    return lastKey[k] == (frame.hasIpv4Nlri() ? 1 : 0);
  }

  /**
   * Remembers {@code value} as the attributes of the key {@link #find} computed last; forgets when
   * the UPDATE was not well formed.
   */
  void remember(UpdateFrame frame, PathAttributes value, boolean wellFormed) {
    if (!wellFormed) {
      last = null;
      lastKeyLength = 0;
      return;
    }
    int n = keyLength();
    if (lastKey.length < n) {
      lastKey = new byte[Math.max(n, 2 * lastKey.length)];
    }
    int k = 0;
    for (int r = 0; r < 3; r++) {
      frame.buf.getBytes(keyFrom[r], lastKey, k, keyTo[r] - keyFrom[r]);
      k += keyTo[r] - keyFrom[r];
    }
    lastKey[k] = (byte) (frame.hasIpv4Nlri() ? 1 : 0);
    lastKeyLength = n;
    last = value;
  }
}
