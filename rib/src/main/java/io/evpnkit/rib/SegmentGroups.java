package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Remote Ethernet segments as next-hop groups (RFC 7432 §8, §14.1; RFC 8365 §8): which PEs are
 * attached to a segment (per-ES A-D routes), which of them serve a bridge domain (per-EVI A-D
 * routes), and the groups made of them — aliasing, backup paths and mass withdraw, each one group
 * update however many MACs are behind the segment.
 *
 * <p>A segment's group in a bridge domain has as members the PEs with both a per-EVI and a per-ES
 * route (aliasing, RFC 7432 §8.4), in address order, all at weight 1. A single-active segment (a
 * per-ES route's ESI Label community says so, §7.5) has instead a group per PE whose MACs use it:
 * that PE at weight 1 and the other members, its backups, at weight 0. A PE that withdraws its
 * per-ES route is detached: no MAC of the segment goes to it any more (mass withdraw, §8.2), also
 * when no per-EVI route of the bridge domain exists.
 *
 * <p>Groups are sent to the forwarding state; when a group appears or goes, the MACs behind its
 * segment are pointed again through {@code repoint} (the RIB programs them, this class only says
 * where: {@link #destination}).
 */
final class SegmentGroups {
  record SegmentKey(int vni, EthernetSegmentIdentifier esi) {}

  /**
   * A next-hop group: of an all-active segment in a bridge domain ({@code primary} null), or of a
   * single-active one for the MACs a given PE advertises (that PE first, the segment's other PEs as
   * its backups).
   */
  private record GroupKey(int vni, EthernetSegmentIdentifier esi, @Nullable IpAddress primary) {}

  private final FibState fib;
  private final IpAddress localVtep;
  private final LocalSegments localSegments;
  private final Consumer<SegmentKey> repoint;
  private final Map<EthernetSegmentIdentifier, Map<IpAddress, Integer>> perEs = new HashMap<>();
  private final Map<SegmentKey, Map<IpAddress, Integer>> perEvi = new HashMap<>();
  private final Map<GroupKey, Long> groups = new HashMap<>();
  private final Map<GroupKey, List<IpAddress>> groupMembers = new HashMap<>();
  // remote MAC routes with a segment, per (VNI, segment): the segments whose MACs a per-ES change
  // must reach even
  // without a group (no per-EVI route)
  private final Map<SegmentKey, int[]> segmentMacs = new HashMap<>();
  private @Nullable SegmentKey
      lastSegment; // MAC routes come in runs of one segment: one key object for the run
  // per segment, the per-ES A-D routes held whose ESI Label community (RFC 7432 §7.5) says
  // single-active
  private final Map<EthernetSegmentIdentifier, Integer> singleActive = new HashMap<>();
  // the PEs whose single-active groups of a (VNI, segment) exist
  private final Map<SegmentKey, Set<IpAddress>> primaries = new HashMap<>();
  private final Map<IpAddress, Destination.RemoteVtep> vtepDestinations = new HashMap<>();
  private long nextGroupId = 1;

  SegmentGroups(
      FibState fib,
      IpAddress localVtep,
      LocalSegments localSegments,
      Consumer<SegmentKey> repoint) {
    this.fib = fib;
    this.localVtep = localVtep;
    this.localSegments = localSegments;
    this.repoint = repoint;
  }

  /**
   * A per-ES A-D route of {@code pe} came ({@code add}) or went; {@code single}: its ESI Label says
   * single-active.
   */
  void perEsRoute(EthernetSegmentIdentifier esi, IpAddress pe, boolean single, boolean add) {
    count(perEs.computeIfAbsent(esi, k -> new HashMap<>()), pe, add);
    if (single) {
      singleActive.merge(esi, add ? 1 : -1, (a, b) -> a + b == 0 ? null : a + b);
    }
    // every (VNI, segment) with per-EVI routes, remote MACs or per-PE groups (whose MACs may be
    // gone already)
    Set<SegmentKey> keys = new LinkedHashSet<>();
    for (Map<SegmentKey, ?> m : List.of(perEvi, segmentMacs, primaries)) {
      for (SegmentKey k : m.keySet()) {
        if (k.esi().equals(esi)) {
          keys.add(k);
        }
      }
    }
    for (SegmentKey k : keys) {
      // a PE with no per-EVI route here is no member of the segment's group: its MACs do not follow
      // the group
      // and are pointed again one by one, at the segment's group or its own group, or nowhere
      groupChanged(k, !perEvi.getOrDefault(k, Map.of()).containsKey(pe));
    }
  }

  /** A per-EVI A-D route of {@code pe} for bridge domain {@code vni} came ({@code add}) or went. */
  void perEviRoute(int vni, EthernetSegmentIdentifier esi, IpAddress pe, boolean add) {
    SegmentKey k = new SegmentKey(vni, esi);
    count(perEvi.computeIfAbsent(k, x -> new HashMap<>()), pe, add);
    groupChanged(k, false);
  }

  /** A remote MAC route behind segment {@code esi} came ({@code add}) or went. */
  void macRoute(int vni, EthernetSegmentIdentifier esi, boolean add) {
    SegmentKey k = lastSegment;
    if (k == null || k.vni() != vni || !k.esi().equals(esi)) {
      k = new SegmentKey(vni, esi);
      lastSegment = k;
    }
    int[] n = segmentMacs.computeIfAbsent(k, x -> new int[1]);
    n[0] += add ? 1 : -1;
    if (n[0] == 0) {
      segmentMacs.remove(k);
    }
  }

  /**
   * Whether a per-ES A-D route of {@code pe} for segment {@code esi} is held (RFC 8365 §8.3.1's
   * local bias).
   */
  boolean hasPerEsRoute(EthernetSegmentIdentifier esi, IpAddress pe) {
    return perEs.getOrDefault(esi, Map.of()).containsKey(pe);
  }

  /**
   * Whether a per-EVI A-D route of {@code pe} for segment {@code esi} in bridge domain {@code vni}
   * is held.
   */
  boolean hasPerEviRoute(int vni, EthernetSegmentIdentifier esi, IpAddress pe) {
    Map<IpAddress, Integer> evi = perEvi.get(new SegmentKey(vni, esi));
    return evi != null && evi.containsKey(pe);
  }

  boolean isSingleActive(EthernetSegmentIdentifier esi) {
    return singleActive.containsKey(esi);
  }

  /**
   * The group that repairs a local segment whose link is down (RFC 7432 §8.2 local repair): the
   * segment's group in the bridge domain, or for a single-active segment this PE's backups; {@code
   * null} without one.
   */
  @Nullable Long localRepairGroup(int vni, EthernetSegmentIdentifier esi) {
    Long repair = groups.get(new GroupKey(vni, esi, null));
    if (repair == null && singleActive.containsKey(esi)) {
      repair = primaryGroup(vni, esi, localVtep); // this PE is no member: its backups at weight 1
    }
    return repair;
  }

  /**
   * Where frames go for a MAC whose winning route is {@code r}, or null for nowhere:
   *
   * <ul>
   *   <li>no segment: the advertising VTEP;
   *   <li>a segment this VTEP is on too and whose link is up: that link;
   *   <li>single-active: the group of the advertising PE and its backups ({@link #groupOf});
   *   <li>all-active, the PE attached: the segment's group (aliasing, RFC 7432 §8.4) when the PE is
   *       a member, the PE's own group with the members when it is not, the PE alone without a
   *       group;
   *   <li>all-active, the PE not attached (it withdrew its per-ES route): the segment's group
   *       without it, or nowhere (mass withdraw, RFC 7432 §8.2: the MAC no longer goes to that PE,
   *       also without per-EVI routes).
   * </ul>
   */
  @Nullable Destination destination(int vni, RemoteMac r) {
    EthernetSegmentIdentifier esi = r.esi();
    IpAddress pe = r.vtep();
    if (esi.isZero()) {
      return vtep(pe);
    }
    String ownLink = localSegments.liveLink(esi);
    if (ownLink != null) {
      return new Destination.LocalPort(
          ownLink); // behind a segment this VTEP is on too: forward on its own link
    }
    boolean up = attached(esi, pe);
    if (singleActive.containsKey(esi)) {
      Long gid = primaryGroup(vni, esi, pe);
      return gid != null ? new Destination.Group(gid) : up ? vtep(pe) : null;
    }
    GroupKey shared = new GroupKey(vni, esi, null);
    Long gid = groups.get(shared);
    if (!up) {
      return gid != null ? new Destination.Group(gid) : null;
    }
    if (gid == null) {
      return vtep(pe);
    }
    List<IpAddress> members = groupMembers.get(shared);
    if (members != null && members.contains(pe)) {
      return new Destination.Group(gid);
    }
    Long own = primaryGroup(vni, esi, pe);
    return new Destination.Group(own != null ? own : gid);
  }

  private Destination.RemoteVtep vtep(IpAddress pe) {
    return vtepDestinations.computeIfAbsent(pe, Destination.RemoteVtep::new);
  }

  /**
   * Recomputes the groups of a (VNI, segment) from its A-D routes (see the class description); with
   * {@code repointMacs}, the segment's MACs are pointed again in any case. Either way a segment's
   * failure is one group update per group, none per MAC.
   */
  private void groupChanged(SegmentKey k, boolean repointMacs) {
    List<IpAddress> members = members(k);
    boolean single = singleActive.containsKey(k.esi());
    GroupKey shared = new GroupKey(k.vni(), k.esi(), null);
    boolean hadShared = groups.containsKey(shared);
    List<IpAddress> before = groupMembers.getOrDefault(shared, List.of());
    setGroup(shared, single ? List.of() : weighted(members, null), true);
    // a PE that left the group but is still attached (it withdrew its per-EVI route, not its per-ES
    // one) keeps its
    // MACs: they need a group of their own. One that is no longer attached (mass withdraw) needs
    // nothing: its MACs
    // already point at the group, which no longer has it.
    boolean departedAttached = false;
    for (IpAddress a : before) {
      departedAttached |= !members.contains(a) && attached(k.esi(), a);
    }
    Set<IpAddress> known = primaries.get(k);
    if (known != null) {
      for (IpAddress p : new ArrayList<>(known)) {
        List<ForwardingOp.Member> m = groupOf(k, members, p, single);
        setGroup(new GroupKey(k.vni(), k.esi(), p), m, false);
        if (m.isEmpty()) {
          known.remove(p);
        }
      }
      if (known.isEmpty()) {
        primaries.remove(k);
      }
    }
    if (repointMacs
        || single
        || known != null
        || departedAttached
        || (!hadShared && !groups.containsKey(shared) && segmentMacs.containsKey(k))) {
      // MACs move between their PE's group, the PE itself and nowhere; a PE's first MAC makes its
      // group. Without
      // any group, a per-ES change still reaches the MACs of the PE that sent it (mass withdraw,
      // RFC 7432 §8.2).
      repoint.accept(k);
    }
    if (perEvi.getOrDefault(k, Map.of()).isEmpty()) {
      perEvi.remove(k);
    }
  }

  /** The PEs with both a per-EVI and a per-ES route of a (VNI, segment), in address order. */
  List<IpAddress> members(SegmentKey k) {
    Map<IpAddress, Integer> evi = perEvi.getOrDefault(k, Map.of());
    Map<IpAddress, Integer> es = perEs.getOrDefault(k.esi(), Map.of());
    List<IpAddress> members = new ArrayList<>();
    for (IpAddress a : new TreeSet<>(evi.keySet())) {
      if (es.containsKey(a)) {
        members.add(a);
      }
    }
    return members;
  }

  /**
   * The group for the MACs {@code primary} advertises behind a segment, made if missing; or null
   * when there is none. Single-active: the PE and its backups. All-active: the PE with the
   * segment's aliases, when the PE is attached but not among them (it sent no per-EVI route).
   */
  private @Nullable Long primaryGroup(int vni, EthernetSegmentIdentifier esi, IpAddress primary) {
    GroupKey key = new GroupKey(vni, esi, primary);
    Long id = groups.get(key);
    if (id == null) {
      SegmentKey segment = new SegmentKey(vni, esi);
      List<ForwardingOp.Member> m =
          groupOf(segment, members(segment), primary, singleActive.containsKey(esi));
      if (!m.isEmpty()) {
        setGroup(key, m, false);
        primaries.computeIfAbsent(segment, x -> new TreeSet<>()).add(primary);
        id = groups.get(key);
      }
    }
    return id;
  }

  /**
   * Whether {@code pe} is attached to segment {@code esi} as far as this RIB knows: it has a per-ES
   * A-D route, or no PE has one (a peer that sends none is taken at its MAC routes' word). A PE
   * that withdrew its per-ES route is not (mass withdraw, RFC 7432 §8.2).
   */
  boolean attached(EthernetSegmentIdentifier esi, IpAddress pe) {
    Map<IpAddress, Integer> es = perEs.get(esi);
    return es == null || es.isEmpty() || es.containsKey(pe);
  }

  /**
   * The members of the group of {@code primary}'s MACs behind segment {@code k}:
   *
   * <ul>
   *   <li>single-active (RFC 7432 §8.4, §14.1.1): while the PE is attached, it at weight 1 and the
   *       other members, its backups, at weight 0; once it is not, its one backup at weight 1, and
   *       with several backups none (the MACs flood until the new primary advertises them);
   *   <li>all-active: when the PE is attached but not among the members (aliases), the PE and the
   *       members, all at weight 1 (RFC 7432 §8.4: the PE that advertised the MAC is always among
   *       the paths); else none (the shared group serves).
   * </ul>
   */
  private List<ForwardingOp.Member> groupOf(
      SegmentKey k, List<IpAddress> members, IpAddress primary, boolean single) {
    if (primary.equals(localVtep)) {
      return weighted(
          members, null); // local repair (RFC 7432 §8.2): this PE's link is down, every backup
    }
    boolean up = attached(k.esi(), primary);
    if (single) {
      return up
          ? weighted(members, primary)
          : members.size() == 1 ? weighted(members, null) : List.of();
    }
    if (!up || members.isEmpty() || members.contains(primary)) {
      return List.of();
    }
    List<IpAddress> with = new ArrayList<>(members);
    with.add(primary);
    with.sort(null);
    return weighted(with, null);
  }

  /**
   * The members with their weights: all equal without a primary; else the primary (added if
   * missing) at weight 1 and the others at weight 0, its backups.
   */
  static List<ForwardingOp.Member> weighted(List<IpAddress> members, @Nullable IpAddress primary) {
    List<ForwardingOp.Member> out = new ArrayList<>(members.size() + 1);
    if (primary != null && !members.contains(primary)) {
      out.add(new ForwardingOp.Member(primary, 1));
    }
    for (IpAddress a : members) {
      out.add(new ForwardingOp.Member(a, primary == null || a.equals(primary) ? 1 : 0));
    }
    return out;
  }

  /**
   * Creates, updates or (with no members) removes a group; with {@code repointMacs}, a group made
   * or removed points the MACs of its segment at it or away.
   */
  private void setGroup(GroupKey k, List<ForwardingOp.Member> members, boolean repointMacs) {
    Long id = groups.get(k);
    SegmentKey segment = new SegmentKey(k.vni(), k.esi());
    if (!members.isEmpty()) {
      boolean created = id == null;
      long gid = id != null ? id : nextGroupId++;
      groups.put(k, gid);
      List<IpAddress> addresses = new ArrayList<>(members.size());
      for (ForwardingOp.Member m : members) {
        addresses.add(m.vtep());
      }
      groupMembers.put(k, addresses);
      fib.set(new ForwardingOp.SetGroup(gid, k.esi(), k.vni(), members));
      if (created && repointMacs) {
        repoint.accept(segment);
      }
    } else if (id != null) {
      groups.remove(k);
      groupMembers.remove(k);
      if (repointMacs) {
        repoint.accept(segment);
      }
      fib.remove(new ForwardingOp.RemoveGroup(id));
    }
  }

  /** Counts a route of PE {@code a} in or out. */
  static void count(Map<IpAddress, Integer> counts, IpAddress a, boolean add) {
    if (add) {
      counts.merge(a, 1, Integer::sum);
    } else {
      counts.computeIfPresent(a, (k, v) -> v == 1 ? null : v - 1);
    }
  }
}
