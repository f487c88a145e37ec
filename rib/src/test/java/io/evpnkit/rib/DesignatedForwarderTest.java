package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.DfElection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The public DF election function (RFC 7432 §8.5, RFC 8584, RFC 9785), apart from the RIB. */
class DesignatedForwarderTest {
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");
  static final IpAddress A = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final IpAddress C = IpAddress.parse("10.0.0.3");

  static List<DesignatedForwarder.Candidate> candidates(long community) {
    // given in no particular order
    return List.of(
        new DesignatedForwarder.Candidate(C, community),
        new DesignatedForwarder.Candidate(A, community),
        new DesignatedForwarder.Candidate(B, community));
  }

  @Test
  void rfc7432_8_5_moduloPicksTheTagModNthPeInAddressOrder() {
    DesignatedForwarder.Result r = DesignatedForwarder.elect(candidates(0), 100, ESI);
    assertEquals(DfElection.Algorithm.MODULO, r.algorithm());
    assertEquals(B, r.designatedForwarder(), "100 mod 3 = 1");
    assertEquals(List.of(B, C, A), r.ranking());
    assertEquals(Optional.of(C), r.backup());
    assertEquals(
        List.of(A, B, C),
        DesignatedForwarder.elect(candidates(0), 5001, ESI).ranking(),
        "5001 mod 3 = 0");
  }

  @Test
  void rfc8584_3_2_hrwRanksByWeightAndTheSecondIsTheBackup() {
    long hrw = ExtendedCommunity.dfElection(1, 0, 0).value();
    for (long tag : new long[] {0, 1, 100, 5001, 0xFF_FFFF, 0xFFFF_FFFFL}) {
      DesignatedForwarder.Result r = DesignatedForwarder.elect(candidates(hrw), tag, ESI);
      assertEquals(DfElection.Algorithm.HRW, r.algorithm());
      for (int i = 1; i < r.ranking().size(); i++) {
        assertTrue(
            DfElections.weight(tag, ESI, r.ranking().get(i - 1))
                >= DfElections.weight(tag, ESI, r.ranking().get(i)),
            "tag " + tag + ": " + r.ranking());
      }
      // the highest weight, computed apart from the ranking
      IpAddress best = A;
      for (IpAddress pe : List.of(B, C)) {
        if (DfElections.weight(tag, ESI, pe) > DfElections.weight(tag, ESI, best)) {
          best = pe;
        }
      }
      assertEquals(best, r.designatedForwarder());
    }
  }

  @Test
  void rfc9785_theHighestPreferenceWinsAndTiesGoToTheLowerAddress() {
    List<DesignatedForwarder.Candidate> c =
        List.of(
            new DesignatedForwarder.Candidate(A, ExtendedCommunity.dfElection(2, 0, 100).value()),
            new DesignatedForwarder.Candidate(B, ExtendedCommunity.dfElection(2, 0, 300).value()),
            new DesignatedForwarder.Candidate(C, ExtendedCommunity.dfElection(2, 0, 300).value()));
    DesignatedForwarder.Result r = DesignatedForwarder.elect(c, 7, ESI);
    assertEquals(DfElection.Algorithm.PREFERENCE, r.algorithm());
    assertEquals(List.of(B, C, A), r.ranking());
  }

  @Test
  void rfc8584_2_2_3_disagreementMeansTheDefault() {
    List<DesignatedForwarder.Candidate> c =
        List.of(
            new DesignatedForwarder.Candidate(A, ExtendedCommunity.dfElection(1, 0, 0).value()),
            new DesignatedForwarder.Candidate(B, 0));
    assertEquals(DfElection.Algorithm.MODULO, DesignatedForwarder.agreedAlgorithm(c));
    assertEquals(DfElection.Algorithm.MODULO, DesignatedForwarder.elect(c, 3, ESI).algorithm());
  }

  @Test
  void badInputIsRefusedWithTheValue() {
    assertThrows(
        IllegalArgumentException.class, () -> DesignatedForwarder.elect(List.of(), 1, ESI));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DesignatedForwarder.elect(
                List.of(
                    new DesignatedForwarder.Candidate(A, 0),
                    new DesignatedForwarder.Candidate(A, 0)),
                1,
                ESI));
    assertThrows(
        IllegalArgumentException.class, () -> DesignatedForwarder.elect(candidates(0), -1, ESI));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new DesignatedForwarder.Candidate(
                    A, ExtendedCommunity.parse("target:65000:1").value()));
    assertTrue(String.valueOf(e.getMessage()).contains("target:65000:1"), e::getMessage);
  }
}
