package io.evpnkit.examples;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The routes {@code evpnkit bgp --announce FILE} sends: one route per line, in the Junos form,
 * followed by attribute words.
 *
 * <pre>
 * # MAC/IP of a host in VNI 100, behind VTEP 192.0.2.1
 * 2:192.0.2.1:100::100::00:00:0a:0b:0c:0d::10.0.0.5/304 next-hop 192.0.2.1 label 100 community target:65000:100 community encapsulation:vxlan
 * 3:192.0.2.1:100::100::192.0.2.1/248 next-hop 192.0.2.1 label 100 community target:65000:100
 * </pre>
 *
 * <p>Words: {@code next-hop ADDR} (default: the router id), {@code label N} (the MPLS label 1
 * field, raw 24 bits: the VNI with VXLAN, RFC 8365 §5.1.3), {@code label2 N} (type 2 only), {@code
 * esi ESI} (types 2 and 5: types 1 and 4 carry theirs in the text), {@code community C}
 * (repeatable: standard {@code 65000:1}, {@code no-export}, extended {@code target:65000:100},
 * {@code encapsulation:vxlan}, {@code mac-mobility:3}, {@code router-mac:…}, large {@code
 * large:65000:1:2}), {@code local-preference N}, {@code med N}, {@code origin igp|egp|incomplete},
 * and for type 3 {@code pmsi none} (by default a type 3 route carries a PMSI Tunnel attribute, RFC
 * 6514 §5, of ingress replication to its originator with the label as VNI, RFC 8365 §5.1.3). {@code
 * #} starts a comment; blank lines are skipped.
 */
final class AnnounceFile {
  private AnnounceFile() {}

  /** One route and the attributes it is announced with. */
  record Entry(EvpnRoute route, PathAttributes attributes) {}

  /** A line that is not a route with attribute words: its line and column (1-based). */
  static final class Malformed extends Exception {
    private static final long serialVersionUID = 1;
    private final int line;
    private final int column;

    Malformed(String message, int line, int column) {
      super(message);
      this.line = line;
      this.column = column;
    }

    int line() {
      return line;
    }

    int column() {
      return column;
    }
  }

  /** Reads every line; the first bad one is thrown. */
  static List<Entry> read(List<String> lines, IpAddress defaultNextHop) throws Malformed {
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Entry e = line(lines.get(i), i + 1, defaultNextHop);
      if (e != null) {
        entries.add(e);
      }
    }
    return entries;
  }

  /** A word of a line and where it starts (0-based). */
  private record Word(String text, int at) {}

  private static List<Word> words(String line) {
    List<Word> words = new ArrayList<>();
    int i = 0;
    int n = line.length();
    while (i < n) {
      char c = line.charAt(i);
      if (c == '#') {
        break;
      }
      if (Character.isWhitespace(c)) {
        i++;
        continue;
      }
      int start = i;
      while (i < n && !Character.isWhitespace(line.charAt(i)) && line.charAt(i) != '#') {
        i++;
      }
      words.add(new Word(line.substring(start, i), start));
    }
    return words;
  }

  /** Reads one line: its entry, or null for a blank or comment line. */
  static @Nullable Entry line(String line, int number, IpAddress defaultNextHop) throws Malformed {
    List<Word> words = words(line);
    if (words.isEmpty()) {
      return null;
    }
    Word first = words.get(0);
    EvpnRoute route;
    try {
      route = EvpnRoutes.parseJunos(first.text());
    } catch (MalformedException e) {
      throw new Malformed(
          String.valueOf(e.getMessage()), number, first.at() + 1 + Math.max(0, e.offset()));
    }
    PathAttributes.Builder b = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP);
    IpAddress nextHop = defaultNextHop;
    LabelField label = null;
    LabelField label2 = null;
    EthernetSegmentIdentifier esi = null;
    boolean pmsi = true;
    for (int i = 1; i < words.size(); i += 2) {
      Word key = words.get(i);
      if (i + 1 == words.size()) {
        throw new Malformed(
            key.text() + " needs a value", number, key.at() + 1 + key.text().length());
      }
      Word value = words.get(i + 1);
      try {
        switch (key.text()) {
          case "next-hop" -> nextHop = IpAddress.parse(value.text());
          case "label" -> {
            int type = route.routeType().code();
            if (type != 1 && type != 2 && type != 3 && type != 5) {
              throw new IllegalArgumentException(
                  "a type " + type + " route has no label (types 1, 2, 3 and 5 do)");
            }
            label = LabelField.of((int) number(value, 0xFF_FFFF));
          }
          case "label2" -> {
            if (!(route instanceof MacIpAdvertisementRoute)) {
              throw new IllegalArgumentException("label2 is for type 2 routes only");
            }
            label2 = LabelField.of((int) number(value, 0xFF_FFFF));
          }
          case "esi" -> {
            if (!(route instanceof MacIpAdvertisementRoute) && !(route instanceof IpPrefixRoute)) {
              throw new IllegalArgumentException(
                  "esi is for type 2 and 5 routes: a type "
                      + route.routeType().code()
                      + " route has its ESI in the text");
            }
            esi = EthernetSegmentIdentifier.parse(value.text());
          }
          case "community" -> PolicyCommand.addCommunity(b, value.text());
          case "local-preference" -> b.localPref(number(value, 0xFFFF_FFFFL));
          case "med" -> b.med(number(value, 0xFFFF_FFFFL));
          case "origin" -> b.origin(origin(value.text()));
          case "pmsi" -> {
            if (!(route instanceof InclusiveMulticastRoute) || !value.text().equals("none")) {
              throw new IllegalArgumentException("pmsi none is the only pmsi word, for type 3");
            }
            pmsi = false;
          }
          default ->
              throw new Malformed(
                  "unknown word \""
                      + key.text()
                      + "\": expected next-hop, label, label2, esi, community, local-preference,"
                      + " med, origin or pmsi",
                  number,
                  key.at() + 1);
        }
      } catch (MalformedException | IllegalArgumentException e) {
        throw new Malformed(key.text() + ": " + e.getMessage(), number, value.at() + 1);
      }
    }
    b.nextHop(nextHop);
    route = withFields(route, label, label2, esi);
    if (route instanceof InclusiveMulticastRoute r && pmsi) {
      LabelField vni = label != null ? label : LabelField.ofVni((int) r.ethernetTag().value());
      b.pmsiTunnel(PmsiTunnel.ingressReplication(vni, r.originator()));
    }
    return new Entry(route, b.build());
  }

  private static long number(Word w, long max) {
    long v;
    try {
      v = Long.parseLong(w.text());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("\"" + w.text() + "\" is not a number", e);
    }
    if (v < 0 || v > max) {
      throw new IllegalArgumentException(v + " is not 0.." + max);
    }
    return v;
  }

  private static int origin(String text) {
    return switch (text) {
      case "igp" -> PathAttributes.ORIGIN_IGP;
      case "egp" -> PathAttributes.ORIGIN_EGP;
      case "incomplete" -> PathAttributes.ORIGIN_INCOMPLETE;
      default ->
          throw new IllegalArgumentException("\"" + text + "\": expected igp, egp or incomplete");
    };
  }

  /** The route with the label and ESI fields the words gave (the text carries neither). */
  private static EvpnRoute withFields(
      EvpnRoute route,
      @Nullable LabelField label,
      @Nullable LabelField label2,
      @Nullable EthernetSegmentIdentifier esi) {
    if (route instanceof MacIpAdvertisementRoute r) {
      return new MacIpAdvertisementRoute(
          r.rd(),
          esi != null ? esi : r.esi(),
          r.ethernetTag(),
          r.mac(),
          r.ip(),
          label != null ? label : r.label1(),
          label2 != null ? label2 : r.label2());
    } else if (route instanceof IpPrefixRoute r) {
      return new IpPrefixRoute(
          r.rd(),
          esi != null ? esi : r.esi(),
          r.ethernetTag(),
          r.prefix(),
          r.prefixLength(),
          r.gateway(),
          label != null ? label : r.label());
    } else if (route instanceof EthernetAutoDiscoveryRoute r && label != null) {
      return new EthernetAutoDiscoveryRoute(r.rd(), r.esi(), r.ethernetTag(), label);
    }
    return route;
  }
}
