package io.evpnkit.policy;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/** A compiled {@code from} condition: reads the flyweight route and the attributes, allocates nothing. */
interface RouteMatcher {
  boolean test(EvpnNlri n, PathAttributes a, Protocol p);

  /** Route types whose NLRI carries an ESI right after the RD (RFC 7432 §7, RFC 9136 §3.1, RFC 9251 §9). */
  static boolean hasEsi(int type) {
    return type == 1 || type == 2 || type == 4 || type == 5 || type == 7 || type == 8;
  }

  /** Route types with an Ethernet tag ({@link EvpnNlri#ethernetTag()}). */
  static boolean hasTag(int type) {
    return type >= 1 && type <= 10 && type != 4;
  }

  /** Returns a definition a validated condition names. */
  static <T> T need(@org.jspecify.annotations.Nullable T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException("undefined " + what);
    }
    return value;
  }

  /** Compiles one condition against the definitions it names. */
  static RouteMatcher compile(Condition c, PolicyOptions o) {
    List<String> w = c.words();
    String v = w.get(0);
    switch (c.kind()) {
      case FAMILY -> {
        boolean evpn = v.equals("evpn");
        return (n, a, p) -> evpn;
      }
      case PROTOCOL -> {
        Protocol want = v.equals("bgp") ? Protocol.BGP : v.equals("evpn") ? Protocol.EVPN : null;
        return (n, a, p) -> p == want;
      }
      case COMMUNITY -> {
        CommunityDefinition d = need(o.communities().get(v), "community " + v);
        CommunityMember[] members = d.members().stream().map(CommunityMember::compile).toArray(CommunityMember[]::new);
        boolean invert = d.invertMatch();
        return (n, a, p) -> {
          for (CommunityMember m : members) {
            if (!m.presentIn(a)) {
              return invert;
            }
          }
          return !invert;
        };
      }
      case NLRI_ROUTE_TYPE -> {
        int type = Integer.parseInt(v);
        return (n, a, p) -> n.routeTypeCode() == type;
      }
      case EVPN_ESI -> {
        io.evpnkit.evpn.EthernetSegmentIdentifier esi = io.evpnkit.evpn.EthernetSegmentIdentifier.parse(v);
        long high = esi.high();
        int low = esi.low();
        return (n, a, p) -> {
          if (!hasEsi(n.routeTypeCode())) {
            return false;
          }
          int at = n.valueOffset() + 8;
          ByteBuf b = n.buffer();
          return b.getLong(at) == high && b.getUnsignedShort(at + 8) == low;
        };
      }
      case EVPN_TAG -> {
        long tag = Long.parseLong(v);
        return (n, a, p) -> hasTag(n.routeTypeCode()) && n.ethernetTag() == tag;
      }
      case EVPN_MAC_ROUTE -> {
        int bits = v.equals("mac-only") ? 0 : v.equals("mac-ipv4") ? 32 : 128;
        return (n, a, p) -> n.routeTypeCode() == 2 && n.ipLength() == bits;
      }
      case MAC_FILTER_LIST -> {
        long[] macs = need(o.macLists().get(v), "mac-list " + v).stream().mapToLong(io.evpnkit.evpn.MacAddress::value).sorted().toArray();
        return (n, a, p) -> n.routeTypeCode() == 2 && Arrays.binarySearch(macs, n.mac()) >= 0;
      }
      case ROUTE_DISTINGUISHER -> {
        List<io.evpnkit.evpn.RouteDistinguisher> named = o.routeDistinguishers().get(v);
        long[] rds = (named != null ? named : List.of(io.evpnkit.evpn.RouteDistinguisher.parse(v))).stream()
            .mapToLong(io.evpnkit.evpn.RouteDistinguisher::value).sorted().toArray();
        return (n, a, p) -> n.routeTypeCode() >= 1 && n.routeTypeCode() <= 11
            && Arrays.binarySearch(rds, n.routeDistinguisherValue()) >= 0;
      }
      case PREFIX_LIST -> {
        return new PrefixMatcher(need(o.prefixLists().get(v), "prefix-list " + v), PrefixMatcher.EXACT, 0, 0);
      }
      case PREFIX_LIST_FILTER -> {
        return new PrefixMatcher(need(o.prefixLists().get(v), "prefix-list " + v), PrefixMatcher.type(w.get(1)), 0,
            0);
      }
      case ROUTE_FILTER -> {
        IpPrefix prefix = IpPrefix.parse(v);
        int max = prefix.ipv6() ? 128 : 32;
        return switch (w.get(1)) {
          case "upto" -> new PrefixMatcher(List.of(prefix), PrefixMatcher.RANGE, prefix.length(),
              PolicyOptions.slashLength(w.get(2), max));
          case "prefix-length-range" -> {
            int[] r = PolicyOptions.range(w.get(2), max);
            yield new PrefixMatcher(List.of(prefix), PrefixMatcher.RANGE, r == null ? 0 : r[0], r == null ? 0 : r[1]);
          }
          default -> new PrefixMatcher(List.of(prefix), PrefixMatcher.type(w.get(1)), 0, 0);
        };
      }
      case NEXT_HOP -> {
        IpAddress hop = IpAddress.parse(v);
        return (n, a, p) -> {
          IpAddress h = a.nextHop();
          return h != null && hop.equals(h);
        };
      }
      case LOCAL_PREFERENCE -> {
        long value = Long.parseLong(v);
        return (n, a, p) -> a.localPref() == value;
      }
      case METRIC -> {
        long value = Long.parseLong(v);
        return (n, a, p) -> a.med() == value;
      }
      case ORIGIN -> {
        int origin = v.equals("igp") ? 0 : v.equals("egp") ? 1 : 2;
        return (n, a, p) -> a.origin() == origin;
      }
      default -> throw new IllegalStateException("unknown condition " + c);
    }
  }

  /** Matches the host address of a type 2 route or the prefix of a type 5 route against a list of prefixes. */
  final class PrefixMatcher implements RouteMatcher {
    static final int EXACT = 0;
    static final int OR_LONGER = 1;
    static final int LONGER = 2;
    static final int RANGE = 3;

    private final boolean[] ipv6;
    private final long[] high;
    private final long[] low;
    private final int[] length;
    private final int type;
    private final int min;
    private final int max;

    PrefixMatcher(List<IpPrefix> prefixes, int type, int min, int max) {
      int k = prefixes.size();
      ipv6 = new boolean[k];
      high = new long[k];
      low = new long[k];
      length = new int[k];
      for (int i = 0; i < k; i++) {
        IpPrefix p = prefixes.get(i);
        ipv6[i] = p.ipv6();
        high[i] = p.high();
        low[i] = p.low();
        length[i] = p.length();
      }
      this.type = type;
      this.min = min;
      this.max = max;
    }

    static int type(String word) {
      return switch (word) {
        case "orlonger" -> OR_LONGER;
        case "longer" -> LONGER;
        default -> EXACT;
      };
    }

    @Override
    public boolean test(EvpnNlri n, PathAttributes a, Protocol p) {
      int routeType = n.routeTypeCode();
      int bits = n.ipLength();
      int at;
      int len;
      if (routeType == 2 && bits != 0) {
        at = n.valueOffset() + 30;
        len = bits;
      } else if (routeType == 5) {
        at = n.valueOffset() + 23;
        len = n.prefixLength();
      } else {
        return false;
      }
      ByteBuf b = n.buffer();
      boolean v6 = bits == 128;
      long h = v6 ? b.getLong(at) : b.getUnsignedInt(at) << 32;
      long l = v6 ? b.getLong(at + 8) : 0;
      for (int i = 0; i < high.length; i++) {
        if (ipv6[i] != v6) {
          continue;
        }
        int pl = length[i];
        if ((h & IpPrefix.mask(pl)) != high[i] || (l & IpPrefix.mask(pl - 64)) != low[i]) {
          continue;
        }
        boolean ok = switch (type) {
          case EXACT -> len == pl;
          case OR_LONGER -> len >= pl;
          case LONGER -> len > pl;
          default -> len >= min && len <= max;
        };
        if (ok) {
          return true;
        }
      }
      return false;
    }
  }
}
