package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import org.junit.jupiter.api.Test;

/** The rules of {@link MacMobility}, sentence by sentence (RFC 7432 §15, §15.1). */
class MacMobilityRulesTest {
  static final IpAddress LOW = IpAddress.parse("10.0.0.2");
  static final IpAddress HIGH = IpAddress.parse("10.0.0.3");
  static final long SECOND = 1_000_000_000L;

  @Test
  void rfc7432_15_1_theHigherSequenceWins() {
    assertTrue(MacMobility.better(5, HIGH, 4, LOW));
    assertFalse(MacMobility.better(4, LOW, 5, HIGH));
  }

  @Test
  void rfc7432_15_1_equalSequencesGoToTheLowerAddress() {
    assertTrue(MacMobility.better(7, LOW, 7, HIGH));
    assertFalse(MacMobility.better(7, HIGH, 7, LOW));
    assertFalse(MacMobility.better(7, LOW, 7, LOW), "not better than itself");
  }

  @Test
  void rfc7432_15_sequencesWrapAndZeroFollowsTheLargest() {
    assertTrue(MacMobility.better(0, HIGH, 4294967295L, LOW));
    assertFalse(MacMobility.better(4294967295L, LOW, 0, HIGH));
    // 2^31 apart: not ordered by RFC 1982, so the address decides
    assertTrue(MacMobility.better(0x8000_0000L, LOW, 0, HIGH));
    assertTrue(MacMobility.better(0, LOW, 0x8000_0000L, HIGH));
  }

  @Test
  void rfc7432_15_1_nMovesWithinMSecondsFreeze() {
    MacMobility.MoveHistory h = new MacMobility.MoveHistory(3);
    assertFalse(h.record(0, 3, 60 * SECOND));
    assertFalse(h.record(10 * SECOND, 3, 60 * SECOND));
    assertTrue(h.record(20 * SECOND, 3, 60 * SECOND), "three moves in 20 s");
    assertTrue(h.frozen);
    assertEquals(20 * SECOND, h.frozenAt);
  }

  @Test
  void rfc7432_15_1_movesSpanningExactlyMSecondsDoNotFreeze() {
    MacMobility.MoveHistory h = new MacMobility.MoveHistory(3);
    h.record(0, 3, 60 * SECOND);
    h.record(30 * SECOND, 3, 60 * SECOND);
    assertFalse(h.record(60 * SECOND, 3, 60 * SECOND), "the window has expired at 60 s");
    assertTrue(h.record(61 * SECOND, 3, 60 * SECOND), "30, 60 and 61 s: within the window");
  }

  @Test
  void rfc7432_15_1_slowMovesNeverFreezeAndOnlyTheLastNCount() {
    MacMobility.MoveHistory h = new MacMobility.MoveHistory(3);
    for (int i = 0; i < 100; i++) {
      assertFalse(h.record(i * 30L * SECOND, 3, 60 * SECOND), "move " + i);
    }
    assertFalse(h.frozen);
  }

  @Test
  void aFrozenHistoryStaysFrozenAndReportsOnce() {
    MacMobility.MoveHistory h = new MacMobility.MoveHistory(2);
    h.record(0, 2, 60 * SECOND);
    assertTrue(h.record(SECOND, 2, 60 * SECOND));
    assertFalse(h.record(2 * SECOND, 2, 60 * SECOND), "already frozen: not reported again");
    assertTrue(h.frozen);
    assertEquals(SECOND, h.frozenAt);
  }
}
