package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.DfElection;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The designated forwarder election algorithms of an Ethernet segment, per VLAN: modulo (RFC 7432
 * §8.5), Highest Random Weight (RFC 8584 §3.2) and highest preference (RFC 9785 §4), and the rule
 * choosing among them (RFC 8584 §2.2.3: every PE must advertise the same algorithm, otherwise all
 * use modulo).
 */
final class DfElections {
  private DfElections() {}

  /**
   * A candidate PE: its address and the DF Election extended community of its ES route (0 if it had
   * none, {@link #SEVERAL} if it had more than one).
   */
  record Candidate(IpAddress pe, long dfCommunity) {
    /**
     * The mark of an ES route with more than one DF Election community (not a community: its kind
     * is 0xFFFF).
     */
    static final long SEVERAL = -1L;

    /** Whether the route carried exactly one DF Election community. */
    private boolean hasOne() {
      return dfCommunity != 0 && dfCommunity != SEVERAL;
    }

    /** The DF Alg code advertised (0, modulo, without the community). */
    int algorithm() {
      return hasOne() ? ExtendedCommunity.dfAlgorithm(dfCommunity) : 0;
    }

    /** The capability bitmap advertised (0 without the community). */
    int capabilities() {
      return hasOne() ? ExtendedCommunity.dfCapabilities(dfCommunity) : 0;
    }

    /** The DF preference (RFC 9785 §3: the last two octets of the community). */
    int preference() {
      return hasOne() ? ExtendedCommunity.dfPreference(dfCommunity) : 0;
    }

    /** The Don't-Preempt bit (RFC 9785 §3, capability bit 0). */
    boolean dontPreempt() {
      return hasOne() && ExtendedCommunity.dfDontPreempt(dfCommunity);
    }
  }

  /**
   * The algorithm every candidate advertised, or modulo (the default) when they differ in algorithm
   * or capability bitmap, or one advertised more than one DF Election community (RFC 8584 §2.2.3).
   * The Don't-Preempt bit is left out of the comparison: it is a PE's state, not a capability all
   * must share (RFC 9785 §4.2 has a recovering PE advertise it clear while the DF advertises it
   * set).
   */
  static DfElection.Algorithm agreed(List<Candidate> candidates) {
    int mask = ~ExtendedCommunity.DF_DONT_PREEMPT;
    int code = candidates.isEmpty() ? 0 : candidates.get(0).algorithm();
    int bitmap = candidates.isEmpty() ? 0 : candidates.get(0).capabilities() & mask;
    for (Candidate c : candidates) {
      if (c.dfCommunity() == Candidate.SEVERAL
          || c.algorithm() != code
          || (c.capabilities() & mask) != bitmap) {
        return DfElection.Algorithm.MODULO;
      }
    }
    for (DfElection.Algorithm a : DfElection.Algorithm.values()) {
      if (a.code() == code) {
        return a;
      }
    }
    return DfElection.Algorithm.MODULO; // an algorithm this VTEP does not know
  }

  /**
   * Whether every candidate advertised capability {@code bit} (RFC 8584 §2.2.3: a capability is
   * used only when all PEs of the segment advertise it) in one DF Election community.
   */
  static boolean agreedCapabilities(List<Candidate> candidates, int bit) {
    for (Candidate c : candidates) {
      if (c.dfCommunity() == Candidate.SEVERAL || (c.capabilities() & bit) == 0) {
        return false;
      }
    }
    return !candidates.isEmpty();
  }

  /**
   * Elects the DF of Ethernet tag {@code tag} among {@code candidates} (sorted by address,
   * non-empty).
   *
   * <ul>
   *   <li>Modulo: the (tag mod N)-th PE in address order.
   *   <li>HRW: the PE with the highest {@link #weight}; equal weights to the lowest address.
   *   <li>Preference (RFC 9785 §4.1): the highest preference (the lowest with Lowest-Preference);
   *       of equal preferences, a PE with the Don't-Preempt bit first, then the lowest address.
   * </ul>
   */
  static IpAddress elect(
      DfElection.Algorithm algorithm,
      long tag,
      EthernetSegmentIdentifier esi,
      List<Candidate> candidates) {
    return rank(algorithm, tag, esi, candidates).get(0);
  }

  /**
   * Ranks {@code candidates} (sorted by address, non-empty) for Ethernet tag {@code tag}: the DF
   * first, then the backup DF, and so on. HRW: by weight, highest first (RFC 8584 §3.2 names the
   * second the backup DF); equal weights to the lower address. Preference: highest first (lowest
   * first with Lowest-Preference), equal preferences to the PE with the Don't-Preempt bit, then to
   * the lower address (RFC 9785 §4.1). Modulo: the (tag mod N)-th PE, then the following ones in
   * address order, wrapping (RFC 7432 §8.5 defines the DF only; the rotation is evpnkit's choice of
   * backup).
   */
  static List<IpAddress> rank(
      DfElection.Algorithm algorithm,
      long tag,
      EthernetSegmentIdentifier esi,
      List<Candidate> candidates) {
    int n = candidates.size();
    List<Candidate> order = new java.util.ArrayList<>(candidates);
    switch (algorithm) {
      case HRW -> {
        long digest = digest(tag, esi);
        order.sort(
            (a, b) -> {
              int c = Long.compare(weight(digest, b.pe()), weight(digest, a.pe()));
              return c != 0 ? c : a.pe().compareTo(b.pe());
            });
      }
      case PREFERENCE, LOWEST_PREFERENCE ->
          order.sort(
              (a, b) -> {
                int c =
                    algorithm == DfElection.Algorithm.PREFERENCE
                        ? Integer.compare(b.preference(), a.preference())
                        : Integer.compare(a.preference(), b.preference());
                if (c == 0) {
                  c = Boolean.compare(b.dontPreempt(), a.dontPreempt());
                }
                return c != 0 ? c : a.pe().compareTo(b.pe());
              });
      default -> {
        int first = (int) (tag % n);
        order.clear();
        for (int i = 0; i < n; i++) {
          order.add(candidates.get((first + i) % n));
        }
      }
    }
    List<IpAddress> out = new java.util.ArrayList<>(n);
    for (Candidate c : order) {
      out.add(c.pe());
    }
    return out;
  }

  /**
   * D(v, Es) of RFC 8584 §3.2: the CRC-32 (IEEE 802.3 polynomial) of the four-octet Ethernet tag
   * followed by the ten-octet ESI, reduced to 31 bits.
   */
  static long digest(long tag, EthernetSegmentIdentifier esi) {
    CRC32 crc = new CRC32();
    crc.update((int) (tag >>> 24));
    crc.update((int) (tag >>> 16));
    crc.update((int) (tag >>> 8));
    crc.update((int) tag);
    crc.update(esi.toByteArray());
    return crc.getValue() & 0x7FFF_FFFFL;
  }

  /**
   * Wrand(v, Es, Si) of RFC 8584 §3.2: (1103515245 × ((1103515245 × Si + 12345) XOR D(v, Es)) +
   * 12345) mod 2^31, Si the PE's address as an unsigned integer. Arithmetic modulo 2^31 only sees
   * the low 31 bits of its operands, so for an IPv6 address the low 31 bits of the 128-bit integer
   * are exact.
   */
  static long weight(long digest, IpAddress pe) {
    long si = (pe.isIpv6() ? pe.low() : pe.ipv4() & 0xFFFF_FFFFL) & 0x7FFF_FFFFL;
    long inner = (1103515245L * si + 12345) & 0x7FFF_FFFFL;
    return (1103515245L * (inner ^ digest) + 12345) & 0x7FFF_FFFFL;
  }

  /** Convenience for tests: the weight of {@code pe} for tag and segment. */
  static long weight(long tag, EthernetSegmentIdentifier esi, IpAddress pe) {
    return weight(digest(tag, esi), pe);
  }
}
