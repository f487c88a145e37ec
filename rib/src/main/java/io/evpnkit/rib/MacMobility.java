package io.evpnkit.rib;

import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;

/**
 * The rules of MAC mobility (RFC 7432 §15) that need no RIB: which of two advertisements of a MAC
 * wins, and when a MAC (or an IP address, RFC 9161) that keeps moving is a duplicate. {@link
 * EvpnRib} applies them; each sentence has a test of its own ({@code MacMobilityRulesTest}).
 */
final class MacMobility {
  private MacMobility() {}

  /**
   * Whether (seq a, vtep a) beats (seq b, vtep b): the newer sequence, then the lower VTEP address
   * (RFC 7432 §15.1). Sequences are compared with RFC 1982 serial number arithmetic, since RFC 7432
   * §15 has them wrap: 0 is newer than 4294967295. Two sequences exactly 2^31 apart are not ordered
   * and fall to the address.
   */
  static boolean better(long seqA, IpAddress vtepA, long seqB, IpAddress vtepB) {
    if (ExtendedCommunity.isNewerSequence(seqA, seqB)) {
      return true;
    }
    if (ExtendedCommunity.isNewerSequence(seqB, seqA)) {
      return false;
    }
    return vtepA.compareTo(vtepB) < 0;
  }

  /**
   * The recent moves of a MAC or an IP address (duplicate detection) and whether they froze it.
   * What counts as a move is the caller's: for MACs, the moves this PE detects through local
   * learning (RFC 7432 §15.1).
   */
  static final class MoveHistory {
    final long[] moves;
    int count;
    boolean frozen;
    long frozenAt;

    MoveHistory(int threshold) {
      this.moves = new long[Math.max(1, threshold)];
    }

    /**
     * Records a move at {@code now}; returns true if it makes {@code threshold} moves before {@code
     * window} expires (RFC 7432 §15.1: "N MAC moves ... within M seconds"): the last {@code
     * threshold} moves span less than the window, so moves exactly the window apart do not freeze.
     * Once frozen, it stays frozen (and returns false) until the caller drops the history (cleared
     * by the operator, or the recovery time).
     */
    boolean record(long now, int threshold, long window) {
      moves[count % moves.length] = now;
      count++;
      if (frozen || count < threshold) {
        return false;
      }
      long oldest = moves[count % moves.length]; // the oldest of the last `threshold` moves
      if (now - oldest < window) {
        frozen = true;
        frozenAt = now;
        return true;
      }
      return false;
    }
  }
}
