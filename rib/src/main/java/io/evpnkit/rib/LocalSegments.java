package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.DfElection;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Ethernet segments this VTEP is on (interfaces with an {@code esi}): their VLANs, the ES
 * routes of the other PEs of each segment, and the designated forwarder per Ethernet tag, elected
 * once the election timer has run (RFC 7432 §8.5) with the algorithm every PE of the segment
 * advertises (RFC 8584 §2.2, RFC 9785; modulo when they disagree, {@link DfElections}).
 */
final class LocalSegments {
  /** A local Ethernet segment: its VLANs, the ES routes seen, and the DF per VLAN. */
  static final class LocalSegment {
    final EthernetSegmentIdentifier esi;
    final List<Integer> vlanIds;
    // the Ethernet tag each VLAN's DF is elected for (see electionTag), and the VNI of each VLAN (0
    // without one)
    final Map<Integer, Long> tags = new HashMap<>();
    final Map<Integer, Integer> vnis = new HashMap<>();
    final long upAt;
    final DfElection election;
    final @Nullable String mode; // esi single-active / all-active, as configured
    // the other PEs whose ES routes are held, with the DF Election community of each (0 without
    // one); the key of
    // an ES route is the segment and its originator, so each PE has at most one
    final Map<IpAddress, Long> peers = new HashMap<>();
    final Map<Integer, IpAddress> df = new TreeMap<>();
    DfElection.Algorithm agreed = DfElection.Algorithm.MODULO;
    boolean acInfluenced; // every PE advertised the AC-DF capability
    boolean elected;
    boolean up;
    final String port;
    // RFC 9785 §4.2 (non-revertive): the preference advertised (the configured one, or the former
    // DF's once this PE
    // took over), whether the Don't-Preempt bit is advertised, and the preference of the DF last
    // elected
    int inUsePreference;
    boolean dontPreempt;
    int lastDfPreference = -1;

    LocalSegment(
        EthernetSegmentIdentifier esi,
        List<Integer> vlanIds,
        long upAt,
        DfElection election,
        @Nullable String mode,
        String port) {
      this.esi = esi;
      this.vlanIds = vlanIds;
      this.upAt = upAt;
      this.election = election;
      this.mode = mode;
      this.port = port;
      this.inUsePreference = election.preference();
    }

    /**
     * The DF Election extended community this PE advertises (none for modulo, the default): the
     * algorithm, the Don't-Preempt bit and the preference in use for the preference algorithms (RFC
     * 8584 §2.2, RFC 9785 §3).
     */
    long dfCommunity() {
      DfElection.Algorithm a = election.algorithm();
      int capabilities =
          (dontPreempt ? ExtendedCommunity.DF_DONT_PREEMPT : 0)
              | (election.acInfluenced() ? ExtendedCommunity.DF_AC_INFLUENCED : 0);
      return a == DfElection.Algorithm.MODULO && capabilities == 0
          ? 0
          : ExtendedCommunity.dfElection(
                  a.code(), capabilities, a.usesPreference() ? inUsePreference : 0)
              .value();
    }

    boolean singleActive() {
      return "single-active".equals(mode);
    }
  }

  private final VtepConfig config;
  private final IpAddress localVtep;
  private final RibListener listener;
  private final long dfTimer;
  private final Map<EthernetSegmentIdentifier, LocalSegment> segments = new LinkedHashMap<>();
  private final Consumer<LocalSegment> readvertise;
  private final Attachment attachment;

  /**
   * Whether a remote PE's attachment circuit to a segment serves a bridge domain (RFC 8584 §4.1).
   */
  interface Attachment {
    /**
     * Whether {@code pe}'s per-ES A-D route of {@code esi}, and its per-EVI A-D route for {@code
     * vni}, are held.
     */
    boolean attached(int vni, EthernetSegmentIdentifier esi, IpAddress pe);
  }

  /**
   * @param readvertise announces a segment's ES route again, when what it says changed (the
   *     non-revertive DF's preference in use and Don't-Preempt bit)
   * @param attachment what the AC-influenced election asks of the remote PEs' A-D routes
   */
  LocalSegments(
      VtepConfig config,
      Instances instances,
      IpAddress localVtep,
      RibListener listener,
      long dfTimer,
      long now,
      Consumer<LocalSegment> readvertise,
      Attachment attachment) {
    this.readvertise = readvertise;
    this.attachment = attachment;
    this.config = config;
    this.localVtep = localVtep;
    this.listener = listener;
    this.dfTimer = dfTimer;
    for (InterfaceConfig ic : config.interfaces().values()) {
      EthernetSegmentIdentifier esi = ic.esi();
      if (esi == null || esi.isZero()) {
        continue;
      }
      List<Integer> vlanIds = new ArrayList<>();
      for (InterfaceConfig.Unit u : ic.units().values()) {
        for (String m : u.vlanMembers()) {
          Integer id = instances.vlanId(m);
          if (id != null) {
            vlanIds.add(id);
          }
        }
      }
      String port =
          ic.units().isEmpty()
              ? ic.name()
              : ic.name() + "." + ic.units().keySet().iterator().next();
      LocalSegment seg = new LocalSegment(esi, vlanIds, now, ic.dfElection(), ic.esiMode(), port);
      for (int vlan : vlanIds) {
        seg.tags.put(vlan, electionTag(instances, vlan, vlanIds));
        Map.@Nullable Entry<Instance, Vlan> v = instances.vlan(vlan);
        seg.vnis.put(vlan, v == null ? 0 : v.getValue().vni());
      }
      segments.put(esi, seg);
    }
  }

  /**
   * The Ethernet tag the DF of VLAN {@code vlanId} is elected for (RFC 7432 §8.5, RFC 8584 §1.1).
   * VLAN-aware bundle (what this RIB originates: the tag is the VNI, RFC 8365 §5.1.2) and
   * VLAN-based service: per Ethernet tag, the VNI of the VLAN with VXLAN (up to 2^24-1) or the VLAN
   * id without one. VLAN bundle ({@code service-type vlan-bundle}): one election for the bundle,
   * with the lowest VLAN id of the segment.
   */
  static long electionTag(Instances instances, int vlanId, List<Integer> segmentVlans) {
    Map.@Nullable Entry<Instance, Vlan> found = instances.vlan(vlanId);
    if (found == null) {
      return vlanId;
    }
    if ("vlan-bundle".equals(found.getKey().config.serviceType())) {
      int lowest = vlanId;
      for (int other : segmentVlans) {
        lowest = Math.min(lowest, other);
      }
      return lowest;
    }
    Vlan v = found.getValue();
    return v.vni() > 0 ? v.vni() : vlanId;
  }

  Collection<LocalSegment> all() {
    return segments.values();
  }

  boolean isEmpty() {
    return segments.isEmpty();
  }

  @Nullable LocalSegment get(EthernetSegmentIdentifier esi) {
    return segments.get(esi);
  }

  /** The segment of a local port ({@code ae0.0} or {@code ae0}), or {@code null}. */
  @Nullable LocalSegment ofPort(String port) {
    return segments.get(esiOf(port));
  }

  /** The ESI configured on a local port's interface, or the zero ESI (single-homed). */
  EthernetSegmentIdentifier esiOf(String port) {
    int dot = port.lastIndexOf('.');
    InterfaceConfig ic = config.interfaces().get(dot < 0 ? port : port.substring(0, dot));
    EthernetSegmentIdentifier esi = ic == null ? null : ic.esi();
    return esi != null ? esi : EthernetSegmentIdentifier.ZERO;
  }

  /**
   * The link of local segment {@code esi} while it is up, or {@code null}: a remote MAC behind it
   * goes there.
   */
  @Nullable String liveLink(EthernetSegmentIdentifier esi) {
    LocalSegment seg = segments.get(esi);
    return seg != null && seg.up ? seg.port : null;
  }

  /**
   * Another PE's ES route for a local segment came or went, with its DF Election community ({@code
   * community}; 0 without one, {@link DfElections.Candidate#SEVERAL} for more than one): an elected
   * segment is elected again.
   */
  void esRoute(EthernetSegmentIdentifier esi, IpAddress originator, long community, boolean add) {
    LocalSegment seg = segments.get(esi);
    if (seg == null || originator.equals(localVtep)) {
      return;
    }
    if (add) {
      seg.peers.put(originator, community);
    } else {
      seg.peers.remove(originator);
    }
    if (seg.elected) {
      elect(seg);
    }
  }

  /**
   * The A-D routes of segment {@code esi}, or this PE's link to it, changed: with the AC-influenced
   * election in effect, the candidates may have changed and the segment is elected again.
   */
  void attachmentChanged(EthernetSegmentIdentifier esi) {
    LocalSegment seg = segments.get(esi);
    if (seg != null && seg.elected && seg.acInfluenced) {
      elect(seg);
    }
  }

  /**
   * Forgets the other PEs' ES routes (they are contributed again when the RIB rebuilds its state).
   */
  void forgetPeers() {
    for (LocalSegment seg : segments.values()) {
      seg.peers.clear();
    }
  }

  /** Runs again every election that has run (the RIB rebuilt its state). */
  void electAgain() {
    for (LocalSegment seg : segments.values()) {
      if (seg.elected) {
        elect(seg);
      }
    }
  }

  /** Runs the elections whose timer has run at {@code now}. */
  void tick(long now) {
    for (LocalSegment seg : segments.values()) {
      if (!seg.elected && now - seg.upAt >= dfTimer) {
        seg.elected = true;
        elect(seg);
      }
    }
  }

  /** The earliest election timer not yet run, or {@link Long#MAX_VALUE}. */
  long nextTimer() {
    long next = Long.MAX_VALUE;
    for (LocalSegment seg : segments.values()) {
      if (!seg.elected) {
        next = Math.min(next, seg.upAt + dfTimer);
      }
    }
    return next;
  }

  /**
   * Elects the DF of every VLAN of a local segment among this PE and the PEs whose ES routes
   * arrived, with the algorithm all of them advertise (modulo when they differ; see {@link
   * DfElections}).
   */
  private void elect(LocalSegment seg) {
    List<DfElections.Candidate> pes = new ArrayList<>();
    seg.peers.forEach((pe, community) -> pes.add(new DfElections.Candidate(pe, community)));
    pes.add(new DfElections.Candidate(localVtep, seg.dfCommunity()));
    pes.sort((a, b) -> a.pe().compareTo(b.pe()));
    seg.agreed = DfElections.agreed(pes);
    seg.acInfluenced = DfElections.agreedCapabilities(pes, ExtendedCommunity.DF_AC_INFLUENCED);
    IpAddress any = null;
    for (int vlan : seg.vlanIds) {
      List<DfElections.Candidate> candidates = seg.acInfluenced ? attached(seg, vlan, pes) : pes;
      if (candidates.isEmpty()) {
        seg.df.remove(vlan); // no PE's attachment circuit serves the VLAN: no DF
        continue;
      }
      IpAddress df =
          DfElections.rank(
                  seg.agreed, seg.tags.getOrDefault(vlan, (long) vlan), seg.esi, candidates)
              .get(0);
      any = df;
      IpAddress old = seg.df.put(vlan, df);
      if (!df.equals(old)) {
        listener.designatedForwarder(seg.esi, vlan, df, df.equals(localVtep));
      }
    }
    if (any != null && seg.agreed.usesPreference()) {
      nonRevertive(seg, any, pes);
    }
  }

  /**
   * The candidates of an AC-influenced election for a VLAN (RFC 8584 §4.1): this PE while its link
   * to the segment is up, the other PEs while their per-ES and per-EVI A-D routes for the VLAN's
   * bridge domain are held.
   */
  private List<DfElections.Candidate> attached(
      LocalSegment seg, int vlan, List<DfElections.Candidate> pes) {
    int vni = seg.vnis.getOrDefault(vlan, 0);
    List<DfElections.Candidate> out = new ArrayList<>(pes.size());
    for (DfElections.Candidate c : pes) {
      boolean local = c.pe().equals(localVtep);
      if (local ? seg.up : attachment.attached(vni, seg.esi, c.pe())) {
        out.add(c);
      }
    }
    return out;
  }

  /**
   * RFC 9785 §4.2, as evpnkit reads it: with the preference algorithms the DF is the same PE for
   * every Ethernet tag. A non-revertive PE that is DF advertises the Don't-Preempt bit and, when it
   * took over from another PE, that PE's preference as its own in use; a former DF coming back with
   * its preference then ties, and the Don't-Preempt bit keeps the role here. A PE that is not DF
   * advertises its configured preference without the bit.
   */
  private void nonRevertive(LocalSegment seg, IpAddress df, List<DfElections.Candidate> pes) {
    int dfPreference = -1;
    for (DfElections.Candidate c : pes) {
      if (c.pe().equals(df)) {
        dfPreference = c.pe().equals(localVtep) ? seg.inUsePreference : c.preference();
      }
    }
    int formerDf = seg.lastDfPreference;
    seg.lastDfPreference = dfPreference;
    if (!seg.election.nonRevertive()) {
      return;
    }
    int preference = seg.election.preference();
    boolean dontPreempt = false;
    if (df.equals(localVtep)) {
      dontPreempt = true;
      preference = seg.inUsePreference;
      if (formerDf >= 0) {
        boolean highest = seg.agreed == DfElection.Algorithm.PREFERENCE;
        preference = highest ? Math.max(preference, formerDf) : Math.min(preference, formerDf);
      }
    }
    if (preference != seg.inUsePreference || dontPreempt != seg.dontPreempt) {
      seg.inUsePreference = preference;
      seg.dontPreempt = dontPreempt;
      seg.lastDfPreference = df.equals(localVtep) ? preference : dfPreference;
      if (seg.up) {
        readvertise.accept(seg);
      }
    }
  }
}
