package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.DfElection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The designated forwarder election of an Ethernet segment as a pure function, apart from any RIB:
 * the algorithm the PEs agree on (RFC 8584 §2.2.3: the one every ES route advertises, with the same
 * capability bitmap, else the default, modulo), and the PEs ranked for one Ethernet tag, DF first
 * and backup DF second, by modulo (RFC 7432 §8.5), Highest Random Weight (RFC 8584 §3.2) or highest
 * preference (RFC 9785). {@link EvpnRib} elects with it.
 *
 * @since 0.1
 */
@Beta
public final class DesignatedForwarder {
  private DesignatedForwarder() {}

  /**
   * A PE of the segment, as its Ethernet Segment route describes it.
   *
   * @param pe the originating router's address
   * @param dfElection the eight octets of the route's DF Election extended community (RFC 8584
   *     §1.3.1), 0 without one (the PE then uses the default, modulo)
   */
  public record Candidate(IpAddress pe, long dfElection) {
    /** Checks that a community is a DF Election community. */
    public Candidate {
      if (dfElection != 0
          && ExtendedCommunity.kindOf(dfElection) != ExtendedCommunity.DF_ELECTION) {
        throw new IllegalArgumentException(
            ExtendedCommunity.of(dfElection) + " is not a DF Election community");
      }
    }
  }

  /**
   * An election's outcome for one Ethernet tag.
   *
   * @param algorithm the algorithm the PEs agreed on
   * @param ranking every candidate, DF first
   */
  public record Result(DfElection.Algorithm algorithm, List<IpAddress> ranking) {
    /** Copies the ranking. */
    public Result {
      ranking = List.copyOf(ranking);
    }

    /** Returns the designated forwarder. */
    public IpAddress designatedForwarder() {
      return ranking.get(0);
    }

    /** Returns the backup designated forwarder (RFC 8584 §3.2), if there are two PEs or more. */
    public Optional<IpAddress> backup() {
      return ranking.size() > 1 ? Optional.of(ranking.get(1)) : Optional.empty();
    }
  }

  /**
   * Returns the algorithm the candidates agree on (RFC 8584 §2.2.3): modulo unless every one
   * advertises the same.
   */
  public static DfElection.Algorithm agreedAlgorithm(List<Candidate> candidates) {
    return DfElections.agreed(internal(candidates));
  }

  /**
   * Elects the DF of Ethernet tag {@code ethernetTag} (the VNI with VXLAN, a VLAN id, 0..2^32-1) of
   * segment {@code esi} among {@code candidates} (in any order; duplicates of one address are not
   * allowed).
   *
   * @throws IllegalArgumentException if there is no candidate, one address twice, or the tag is out
   *     of range
   */
  public static Result elect(
      List<Candidate> candidates, long ethernetTag, EthernetSegmentIdentifier esi) {
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a DF election needs at least one PE");
    }
    if (ethernetTag < 0 || ethernetTag > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("Ethernet tag " + ethernetTag + " is not 0..4294967295");
    }
    List<DfElections.Candidate> sorted = internal(candidates);
    sorted.sort((a, b) -> a.pe().compareTo(b.pe()));
    for (int i = 1; i < sorted.size(); i++) {
      if (sorted.get(i).pe().equals(sorted.get(i - 1).pe())) {
        throw new IllegalArgumentException("PE " + sorted.get(i).pe() + " is a candidate twice");
      }
    }
    DfElection.Algorithm algorithm = DfElections.agreed(sorted);
    return new Result(algorithm, DfElections.rank(algorithm, ethernetTag, esi, sorted));
  }

  private static List<DfElections.Candidate> internal(List<Candidate> candidates) {
    List<DfElections.Candidate> out = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      out.add(new DfElections.Candidate(c.pe(), c.dfElection()));
    }
    return out;
  }
}
