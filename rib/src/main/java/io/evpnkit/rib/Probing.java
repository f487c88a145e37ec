package io.evpnkit.rib;

/**
 * The one subtle rule of deleting from a linear-probing table, shared by the RIB's open-addressing
 * tables.
 */
final class Probing {
  private Probing() {}

  /**
   * Backward-shift deletion (Knuth's algorithm R): scanning on from a freed slot, whether the entry
   * at slot {@code i} whose home slot is {@code home} may move back into the free slot {@code
   * free}: yes unless its home lies cyclically in {@code (free, i]}.
   */
  static boolean mayMoveBack(int free, int i, int home) {
    return free <= i ? (home <= free || home > i) : (home <= free && home > i);
  }
}
