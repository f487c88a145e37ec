package io.evpnkit.policy;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The {@code from} conditions of one term, compiled into primitive slots: a route-type bit mask
 * (several {@code nlri-route-type}s OR into it), protocol and MAC-route masks, sorted sets of tags,
 * MACs and RDs, and, for the conditions that need more, two final helper classes (prefix filters,
 * community filters). Matching is one straight-line method over the route's pre-read {@link
 * RouteFields}: no virtual dispatch, no allocation, and a term that cannot match the route type
 * costs one mask test. Kinds combine with AND, values of one kind with OR.
 */
final class TermMatcher {
  /** The route types that can match (0 when nothing can): the first, inlined test of every term. */
  private long typeMask = -1L;

  /** The {@link RouteFields} parts the conditions read. */
  int needs;

  private int protocolMask = -1;
  private int macRouteMask = -1;
  private long @Nullable [] tags;
  private long @Nullable [] esiHigh;
  private int @Nullable [] esiLow;
  private long @Nullable [] macs;
  private long @Nullable [] rds;
  private long @Nullable [] localPrefs;
  private long @Nullable [] meds;
  private int originMask = -1;
  private IpAddress @Nullable [] nextHops;
  private PrefixFilter @Nullable [] prefixFilters;
  private @Nullable CommunityFilter communities;

  /**
   * Route types whose NLRI carries an ESI right after the RD (RFC 7432 §7, RFC 9136 §3.1, RFC 9251
   * §9).
   */
  static boolean hasEsi(int type) {
    return type == 1 || type == 2 || type == 4 || type == 5 || type == 7 || type == 8;
  }

  /** Route types with an Ethernet tag ({@link io.evpnkit.evpn.EvpnNlri#ethernetTag()}). */
  static boolean hasTag(int type) {
    return type >= 1 && type <= 10 && type != 4;
  }

  /** Returns a definition a validated condition names. */
  static <T> T need(@Nullable T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("undefined " + what);
    }
    return value;
  }

  private static int bit(Protocol p) {
    return p == Protocol.BGP ? 1 : 2;
  }

  private static long typeBit(int type) {
    return 1L << Math.min(type, 63);
  }

  private static long[] add(long @Nullable [] set, long value) {
    long[] out = set == null ? new long[] {value} : Arrays.copyOf(set, set.length + 1);
    out[out.length - 1] = value;
    Arrays.sort(out);
    return out;
  }

  /** Compiles a term's conditions against the definitions they name. */
  static TermMatcher compile(List<Condition> conditions, PolicyOptions o, CommunityAtoms atoms) {
    TermMatcher m = new TermMatcher();
    long types = 0;
    int protocols = 0;
    int macRoutes = 0;
    int origins = 0;
    List<IpAddress> hops = new ArrayList<>();
    List<PrefixFilter.Entry> lists = new ArrayList<>();
    List<PrefixFilter.Entry> listFilters = new ArrayList<>();
    List<PrefixFilter.Entry> routeFilters = new ArrayList<>();
    List<CommunityDefinition> definitions = new ArrayList<>();
    boolean never = false; // a condition no EVPN route can meet
    for (Condition c : conditions) {
      List<String> w = c.words();
      String v = w.get(0);
      switch (c.kind()) {
        case FAMILY -> never |= !v.equals("evpn");
        case PROTOCOL ->
            protocols |=
                v.equals("bgp") ? bit(Protocol.BGP) : v.equals("evpn") ? bit(Protocol.EVPN) : 0;
        case COMMUNITY -> definitions.add(need(o.communities().get(v), "community " + v));
        case NLRI_ROUTE_TYPE -> types |= typeBit(Integer.parseInt(v));
        case EVPN_ESI -> {
          EthernetSegmentIdentifier esi = EthernetSegmentIdentifier.parse(v);
          int k = m.esiHigh == null ? 0 : m.esiHigh.length;
          m.esiHigh = m.esiHigh == null ? new long[1] : Arrays.copyOf(m.esiHigh, k + 1);
          m.esiLow = m.esiLow == null ? new int[1] : Arrays.copyOf(m.esiLow, k + 1);
          m.esiHigh[k] = esi.high();
          m.esiLow[k] = esi.low();
        }
        case EVPN_TAG -> m.tags = add(m.tags, Long.parseLong(v));
        case EVPN_MAC_ROUTE -> macRoutes |= v.equals("mac-only") ? 1 : v.equals("mac-ipv4") ? 2 : 4;
        case MAC_FILTER_LIST -> {
          for (MacAddress mac : need(o.macLists().get(v), "mac-list " + v)) {
            m.macs = add(m.macs, mac.value());
          }
          if (m.macs == null) {
            m.macs = new long[0]; // an empty list matches nothing
          }
        }
        case ROUTE_DISTINGUISHER -> {
          List<RouteDistinguisher> named = o.routeDistinguishers().get(v);
          for (RouteDistinguisher rd :
              named != null ? named : List.of(RouteDistinguisher.parse(v))) {
            m.rds = add(m.rds, rd.value());
          }
        }
        case PREFIX_LIST ->
            need(o.prefixLists().get(v), "prefix-list " + v)
                .forEach(p -> lists.add(new PrefixFilter.Entry(p, PrefixFilter.EXACT, 0, 0)));
        case PREFIX_LIST_FILTER ->
            need(o.prefixLists().get(v), "prefix-list " + v)
                .forEach(
                    p ->
                        listFilters.add(
                            new PrefixFilter.Entry(p, PrefixFilter.type(w.get(1)), 0, 0)));
        case ROUTE_FILTER -> routeFilters.add(PrefixFilter.Entry.routeFilter(w));
        case NEXT_HOP -> hops.add(IpAddress.parse(v));
        case LOCAL_PREFERENCE -> m.localPrefs = add(m.localPrefs, Long.parseLong(v));
        case METRIC -> m.meds = add(m.meds, Long.parseLong(v));
        case ORIGIN -> origins |= 1 << (v.equals("igp") ? 0 : v.equals("egp") ? 1 : 2);
        default -> throw new IllegalStateException("unknown condition " + c);
      }
    }
    long implied = -1L; // conditions that only some route types can meet narrow the mask
    for (Condition c : conditions) {
      switch (c.kind()) {
        case EVPN_MAC_ROUTE, MAC_FILTER_LIST -> implied &= typeBit(2);
        case PREFIX_LIST, PREFIX_LIST_FILTER, ROUTE_FILTER -> implied &= typeBit(2) | typeBit(5);
        case EVPN_ESI ->
            implied &= typeBit(1) | typeBit(2) | typeBit(4) | typeBit(5) | typeBit(7) | typeBit(8);
        case EVPN_TAG -> implied &= ~(typeBit(0) | typeBit(4) | -typeBit(11));
        case ROUTE_DISTINGUISHER -> implied &= typeBit(12) - 2;
        default -> {}
      }
      m.needs |=
          switch (c.kind()) {
            case EVPN_ESI -> RouteFields.ESI;
            case EVPN_TAG -> RouteFields.TAG;
            case ROUTE_DISTINGUISHER -> RouteFields.RD;
            case EVPN_MAC_ROUTE, MAC_FILTER_LIST -> RouteFields.MAC;
            case PREFIX_LIST, PREFIX_LIST_FILTER, ROUTE_FILTER -> RouteFields.ADDRESS;
            default -> 0;
          };
    }
    m.typeMask = (types == 0 ? -1L : types) & implied;
    m.protocolMask = protocols == 0 ? -1 : protocols;
    m.macRouteMask = macRoutes == 0 ? -1 : macRoutes;
    m.originMask = origins == 0 ? -1 : origins;
    never |=
        conditions.stream().anyMatch(c -> c.kind() == Condition.Kind.PROTOCOL) && protocols == 0;
    m.nextHops = hops.isEmpty() ? null : hops.toArray(IpAddress[]::new);
    List<PrefixFilter> filters = new ArrayList<>();
    boolean anyPrefixCondition = false;
    for (List<PrefixFilter.Entry> e : List.of(lists, listFilters, routeFilters)) {
      if (!e.isEmpty()) {
        filters.add(new PrefixFilter(e));
      }
    }
    for (Condition c : conditions) {
      Condition.Kind k = c.kind();
      anyPrefixCondition |=
          k == Condition.Kind.PREFIX_LIST
              || k == Condition.Kind.PREFIX_LIST_FILTER
              || k == Condition.Kind.ROUTE_FILTER;
    }
    never |= anyPrefixCondition && filters.isEmpty(); // only empty prefix lists: nothing matches
    if (never) {
      m.typeMask = 0;
    }
    m.prefixFilters = filters.isEmpty() ? null : filters.toArray(PrefixFilter[]::new);
    m.communities = definitions.isEmpty() ? null : new CommunityFilter(definitions, atoms);
    m.listChecks();
    return m;
  }

  private static boolean contains(long[] sorted, long value) {
    if (sorted.length <= 4) {
      for (long x : sorted) {
        if (x == value) {
          return true;
        }
      }
      return false;
    }
    return Arrays.binarySearch(sorted, value) >= 0;
  }

  /** Small enough to be inlined into the evaluation loop: most terms that miss stop here. */
  boolean matches(RouteFields r, PathAttributes a, Protocol p) {
    if ((typeMask & typeBit(r.type)) == 0 || (protocolMask & bit(p)) == 0) {
      return false;
    }
    return checks.length == 0 || matchesRest(r, a);
  }

  private static final int C_MAC_ROUTE = 0;
  private static final int C_TAGS = 1;
  private static final int C_ESI = 2;
  private static final int C_MACS = 3;
  private static final int C_RDS = 4;
  private static final int C_LOCAL_PREF = 5;
  private static final int C_MED = 6;
  private static final int C_ORIGIN = 7;
  private static final int C_NEXT_HOP = 8;
  private static final int C_PREFIX = 9;
  private static final int C_COMMUNITY = 10;

  /**
   * The checks this term has, cheapest first: one switch per check rather than a test of every
   * slot.
   */
  private int[] checks = new int[0];

  private void listChecks() {
    int[] all = new int[11];
    int n = 0;
    if (macRouteMask != -1) {
      all[n++] = C_MAC_ROUTE;
    }
    if (tags != null) {
      all[n++] = C_TAGS;
    }
    if (esiHigh != null) {
      all[n++] = C_ESI;
    }
    if (macs != null) {
      all[n++] = C_MACS;
    }
    if (rds != null) {
      all[n++] = C_RDS;
    }
    if (localPrefs != null) {
      all[n++] = C_LOCAL_PREF;
    }
    if (meds != null) {
      all[n++] = C_MED;
    }
    if (originMask != -1) {
      all[n++] = C_ORIGIN;
    }
    if (nextHops != null) {
      all[n++] = C_NEXT_HOP;
    }
    if (prefixFilters != null) {
      all[n++] = C_PREFIX;
    }
    if (communities != null) {
      all[n++] = C_COMMUNITY;
    }
    checks = Arrays.copyOf(all, n);
  }

  private boolean matchesRest(RouteFields r, PathAttributes a) {
    for (int check : checks) {
      if (!check(check, r, a)) {
        return false;
      }
    }
    return true;
  }

  private boolean check(int check, RouteFields r, PathAttributes a) {
    int t = r.type;
    return switch (check) {
      case C_MAC_ROUTE ->
          t == 2 && (macRouteMask & (r.ipBits == 0 ? 1 : r.ipBits == 32 ? 2 : 4)) != 0;
      case C_TAGS -> tags != null && r.tag >= 0 && contains(tags, r.tag);
      case C_ESI -> esi(r);
      case C_MACS -> macs != null && t == 2 && contains(macs, r.mac);
      case C_RDS -> rds != null && t >= 1 && t <= 11 && contains(rds, r.rd);
      case C_LOCAL_PREF -> localPrefs != null && contains(localPrefs, r.localPref);
      case C_MED -> meds != null && contains(meds, r.med);
      case C_ORIGIN -> ((originMask >> r.origin) & 1) != 0;
      case C_NEXT_HOP -> nextHop(a);
      case C_PREFIX -> prefix(r);
      default -> communities == null || communities.test(a, r);
    };
  }

  private boolean esi(RouteFields r) {
    long[] high = esiHigh;
    int[] low = esiLow;
    if (high == null || low == null || !r.hasEsi) {
      return false;
    }
    for (int i = 0; i < high.length; i++) {
      if (high[i] == r.esiHigh && low[i] == r.esiLow) {
        return true;
      }
    }
    return false;
  }

  private boolean nextHop(PathAttributes a) {
    IpAddress[] hops = nextHops;
    IpAddress h = a.nextHop();
    if (hops == null || h == null) {
      return false;
    }
    for (IpAddress x : hops) {
      if (x.equals(h)) {
        return true;
      }
    }
    return false;
  }

  private boolean prefix(RouteFields r) {
    PrefixFilter[] filters = prefixFilters;
    if (filters == null || r.ipLength < 0) {
      return false;
    }
    for (PrefixFilter f : filters) {
      if (!f.test(r.ipBits == 128, r.ipHigh, r.ipLow, r.ipLength)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The literal standard and extended community members of a chain's conditions, up to 64, each
   * given a bit: a route's communities are looked up once per evaluation into a bit mask ({@link
   * RouteFields#communityMask}), and every definition made of such members is then one mask test,
   * however many terms ask.
   */
  static final class CommunityAtoms {
    private long[] extended = new long[0];
    private long[] extendedBits = new long[0];
    private int[] standard = new int[0];
    private long[] standardBits = new long[0];
    private int count;

    /** Returns the bit of a literal member, giving it one if there is room; 0 when it has none. */
    long bit(CommunityMember m) {
      if (m.kind == CommunityMember.EXTENDED) {
        for (int i = 0; i < extended.length; i++) {
          if (extended[i] == m.value) {
            return extendedBits[i];
          }
        }
      } else if (m.kind == CommunityMember.STANDARD) {
        for (int i = 0; i < standard.length; i++) {
          if (standard[i] == (int) m.value) {
            return standardBits[i];
          }
        }
      } else {
        return 0;
      }
      if (count == 64) {
        return 0;
      }
      long bit = 1L << count++;
      if (m.kind == CommunityMember.EXTENDED) {
        extended = Arrays.copyOf(extended, extended.length + 1);
        extendedBits = Arrays.copyOf(extendedBits, extendedBits.length + 1);
        extended[extended.length - 1] = m.value;
        extendedBits[extendedBits.length - 1] = bit;
      } else {
        standard = Arrays.copyOf(standard, standard.length + 1);
        standardBits = Arrays.copyOf(standardBits, standardBits.length + 1);
        standard[standard.length - 1] = (int) m.value;
        standardBits[standardBits.length - 1] = bit;
      }
      return bit;
    }

    /** Returns the bits of the atoms the attributes carry. */
    long mask(PathAttributes a) {
      long mask = 0;
      long[] ext = extended;
      if (ext.length > 0) {
        for (int i = 0, n = a.extendedCommunityCount(); i < n; i++) {
          long v = a.extendedCommunityValue(i);
          for (int k = 0; k < ext.length; k++) {
            if (ext[k] == v) {
              mask |= extendedBits[k];
            }
          }
        }
      }
      int[] std = standard;
      if (std.length > 0) {
        for (int i = 0, n = a.communityCount(); i < n; i++) {
          int v = a.community(i);
          for (int k = 0; k < std.length; k++) {
            if (std[k] == v) {
              mask |= standardBits[k];
            }
          }
        }
      }
      return mask;
    }
  }

  /**
   * {@code from community [ a b ]}: any definition matches (each: all its members present, or with
   * invert-match, not).
   */
  static final class CommunityFilter {
    private final long[] required;
    private final CommunityMember[][] others;
    private final boolean[] invert;
    private final CommunityAtoms atoms;

    CommunityFilter(List<CommunityDefinition> defs, CommunityAtoms atoms) {
      this.atoms = atoms;
      required = new long[defs.size()];
      others = new CommunityMember[defs.size()][];
      invert = new boolean[defs.size()];
      for (int i = 0; i < required.length; i++) {
        List<CommunityMember> rest = new ArrayList<>();
        for (String text : defs.get(i).members()) {
          CommunityMember m = CommunityMember.compile(text);
          long bit = atoms.bit(m);
          if (bit == 0) {
            rest.add(m);
          }
          required[i] |= bit;
        }
        others[i] = rest.toArray(CommunityMember[]::new);
        invert[i] = defs.get(i).invertMatch();
      }
    }

    boolean test(PathAttributes a, RouteFields r) {
      long mask = r.communityMask(atoms, a);
      for (int i = 0; i < required.length; i++) {
        boolean all = (mask & required[i]) == required[i];
        for (int k = 0; all && k < others[i].length; k++) {
          all = others[i][k].presentIn(a);
        }
        if (all != invert[i]) {
          return true;
        }
      }
      return false;
    }
  }

  /**
   * Prefix conditions of one kind: any entry matches the route's address (type 2) or prefix (type
   * 5).
   */
  static final class PrefixFilter {
    static final int EXACT = 0;
    static final int OR_LONGER = 1;
    static final int LONGER = 2;
    static final int RANGE = 3;

    /**
     * One prefix with its match type and, for {@code upto} and {@code prefix-length-range}, its
     * lengths.
     */
    record Entry(IpPrefix prefix, int type, int min, int max) {
      static Entry routeFilter(List<String> w) {
        IpPrefix prefix = IpPrefix.parse(w.get(0));
        int max = prefix.ipv6() ? 128 : 32;
        return switch (w.get(1)) {
          case "upto" ->
              new Entry(prefix, RANGE, prefix.length(), PolicyOptions.slashLength(w.get(2), max));
          case "prefix-length-range" -> {
            int[] r = PolicyOptions.range(w.get(2), max);
            yield new Entry(prefix, RANGE, r == null ? 0 : r[0], r == null ? 0 : r[1]);
          }
          default -> new Entry(prefix, PrefixFilter.type(w.get(1)), 0, 0);
        };
      }
    }

    private final boolean[] ipv6;
    private final long[] high;
    private final long[] low;
    private final int[] length;
    private final int[] type;
    private final int[] min;
    private final int[] max;

    PrefixFilter(List<Entry> entries) {
      int k = entries.size();
      ipv6 = new boolean[k];
      high = new long[k];
      low = new long[k];
      length = new int[k];
      type = new int[k];
      min = new int[k];
      max = new int[k];
      for (int i = 0; i < k; i++) {
        Entry e = entries.get(i);
        ipv6[i] = e.prefix().ipv6();
        high[i] = e.prefix().high();
        low[i] = e.prefix().low();
        length[i] = e.prefix().length();
        type[i] = e.type();
        min[i] = e.min();
        max[i] = e.max();
      }
    }

    static int type(String word) {
      return switch (word) {
        case "orlonger" -> OR_LONGER;
        case "longer" -> LONGER;
        default -> EXACT;
      };
    }

    boolean test(boolean v6, long h, long l, int len) {
      for (int i = 0; i < high.length; i++) {
        int pl = length[i];
        if (ipv6[i] != v6
            || (h & IpPrefix.mask(pl)) != high[i]
            || (l & IpPrefix.mask(pl - 64)) != low[i]) {
          continue;
        }
        boolean ok =
            switch (type[i]) {
              case EXACT -> len == pl;
              case OR_LONGER -> len >= pl;
              case LONGER -> len > pl;
              default -> len >= min[i] && len <= max[i];
            };
        if (ok) {
          return true;
        }
      }
      return false;
    }
  }
}
