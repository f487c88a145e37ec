package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.DfElection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The DF election algorithms against values computed independently. */
class DfElectionsTest {
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  /**
   * RFC 8584 §3.2's Wrand, computed independently with Python's {@code zlib.crc32} and
   * arbitrary-precision integers: {@code d = crc32(tag.to_bytes(4, 'big') + esi) & 0x7fffffff; si =
   * int(ip_address(pe)); (1103515245 * (((1103515245 * si + 12345) % 2**31) ^ d) + 12345) % 2**31}.
   */
  @ParameterizedTest
  @CsvSource({
    "1, 192.0.2.1, 1484398700",
    "1, 192.0.2.2, 2130470555",
    "1, 198.51.100.7, 152548930",
    "1, 2001:db8::1, 2104092268",
    "1, 2001:db8::ffff:1, 578610796",
    "100, 192.0.2.1, 177710138",
    "100, 192.0.2.2, 1991112905",
    "100, 198.51.100.7, 1251385700",
    "100, 2001:db8::1, 1485600314",
    "100, 2001:db8::ffff:1, 1410430522",
    "4094, 192.0.2.1, 260399277",
    "4094, 192.0.2.2, 152583254",
    "4094, 198.51.100.7, 296456407",
    "4094, 2001:db8::1, 1433046701",
    "4094, 2001:db8::ffff:1, 1991741101",
    "16777215, 192.0.2.1, 225330615",
    "16777215, 192.0.2.2, 765680256",
    "16777215, 198.51.100.7, 1866836109",
    "16777215, 2001:db8::1, 516082615",
    "16777215, 2001:db8::ffff:1, 706857911"
  })
  void highestRandomWeightMatchesAnIndependentComputation(long tag, String pe, long expected) {
    assertEquals(expected, DfElections.weight(tag, ESI, IpAddress.parse(pe)));
  }

  static DfElections.Candidate hrw(String pe) {
    return new DfElections.Candidate(
        IpAddress.parse(pe), ExtendedCommunity.dfElection(1, 0, 0).value());
  }

  static DfElections.Candidate pref(String pe, int preference) {
    return new DfElections.Candidate(
        IpAddress.parse(pe), ExtendedCommunity.dfElection(2, 0, preference).value());
  }

  @Test
  void highestRandomWeightElectsTheHeaviest() {
    List<DfElections.Candidate> pes =
        List.of(hrw("192.0.2.1"), hrw("192.0.2.2"), hrw("198.51.100.7"));
    assertEquals(DfElection.Algorithm.HRW, DfElections.agreed(pes));
    assertEquals(
        IpAddress.parse("192.0.2.2"), DfElections.elect(DfElection.Algorithm.HRW, 1, ESI, pes));
    assertEquals(
        IpAddress.parse("192.0.2.2"), DfElections.elect(DfElection.Algorithm.HRW, 100, ESI, pes));
    assertEquals(
        IpAddress.parse("198.51.100.7"),
        DfElections.elect(DfElection.Algorithm.HRW, 4094, ESI, pes));
    assertEquals(
        IpAddress.parse("198.51.100.7"),
        DfElections.elect(DfElection.Algorithm.HRW, 16777215, ESI, pes));
  }

  @Test
  void aPeWithoutTheCommunityOrWithAnotherAlgorithmMeansModulo() {
    List<DfElections.Candidate> pes =
        List.of(hrw("192.0.2.1"), new DfElections.Candidate(IpAddress.parse("192.0.2.2"), 0));
    assertEquals(DfElection.Algorithm.MODULO, DfElections.agreed(pes));
    assertEquals(
        DfElection.Algorithm.MODULO,
        DfElections.agreed(List.of(hrw("192.0.2.1"), pref("192.0.2.2", 5))));
    assertEquals(
        DfElection.Algorithm.MODULO,
        DfElections.agreed(
            List.of(
                new DfElections.Candidate(
                    IpAddress.parse("192.0.2.1"), ExtendedCommunity.dfElection(9, 0, 0).value()),
                new DfElections.Candidate(
                    IpAddress.parse("192.0.2.2"), ExtendedCommunity.dfElection(9, 0, 0).value()))),
        "an algorithm this VTEP does not know");
    assertEquals(
        IpAddress.parse("192.0.2.2"),
        DfElections.elect(DfElection.Algorithm.MODULO, 101, ESI, pes));
  }

  @Test
  void preferenceElectsTheHighestThenTheLowestAddress() {
    List<DfElections.Candidate> pes =
        List.of(pref("192.0.2.1", 100), pref("192.0.2.2", 300), pref("192.0.2.3", 300));
    assertEquals(DfElection.Algorithm.PREFERENCE, DfElections.agreed(pes));
    for (int tag : new int[] {100, 101, 102}) {
      assertEquals(
          IpAddress.parse("192.0.2.2"),
          DfElections.elect(DfElection.Algorithm.PREFERENCE, tag, ESI, pes));
    }
  }
}
