package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.examples.BgpDecoder;
import io.evpnkit.testkit.CapturedPacket;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The BGP sessions of a real capture (gobgpd 3.10 and FRR 8.4 on loopback, see golden/README.md)
 * decoded by {@code evpnkit decode --json} ({@link BgpDecoder}: TCP reassembly, framing, OPEN and
 * UPDATE decoding) and compared message by message, field by field, with Wireshark's dissector, and
 * the routes left at the end with GoBGP's RIB. (Parsed JSON is read with plain map lookups; a
 * missing field fails the test with a NullPointerException.)
 */
@SuppressWarnings("NullAway")
class BgpGoldenTest {
  static final String CAPTURE = "bgp-evpn-gobgp-frr.pcap";

  static List<Map<String, Object>> decode() {
    List<String> lines = new ArrayList<>();
    try (BgpDecoder d = new BgpDecoder(true, lines::add)) {
      for (CapturedPacket p : GoldenCaptureTest.packets(CAPTURE)) {
        d.accept(p);
      }
      assertEquals(0, d.gaps());
    }
    return lines.stream().map(MiniJson::object).toList();
  }

  @TestFactory
  Stream<DynamicTest> everyBgpMessageAgreesWithWireshark() {
    List<Map<String, Object>> ours = decode();
    List<Map<String, Object>> oracle = GoldenCaptureTest.oracle(CAPTURE);
    Map<String, Map<String, Object>> byPosition = new HashMap<>();
    int index = 0;
    long previous = -1;
    for (Map<String, Object> m : ours) {
      long frame = (Long) m.get("frame");
      index = frame == previous ? index + 1 : 0;
      previous = frame;
      byPosition.put(frame + "/" + index, m);
    }
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(
        DynamicTest.dynamicTest(
            "as many BGP messages as Wireshark: " + oracle.size(),
            () -> assertEquals(oracle.size(), ours.size())));
    for (Map<String, Object> o : oracle) {
      String position = o.get("frame") + "/" + o.get("index");
      tests.add(
          DynamicTest.dynamicTest(
              "frame " + position,
              () -> {
                Map<String, Object> m = byPosition.get(position);
                assertNotNull(m, "no message of ours at " + position);
                compare(o, m, "frame " + position);
              }));
    }
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  static void compare(Map<String, Object> oracle, Map<String, Object> ours, String where) {
    assertEquals(oracle.get("src"), ours.get("src"), where);
    assertEquals(oracle.get("dst"), ours.get("dst"), where);
    Expected e = Expected.of((List<Object>) oracle.get("fields"));
    String[] names = {"", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"};
    assertEquals(names[e.type], ours.get("message"), where);
    switch (e.type) {
      case 1 -> {
        assertEquals(
            e.values.get("bgp.open.myas"),
            String.valueOf((Long) ours.get("as") > 65535 ? 23456 : ours.get("as")),
            where);
        assertEquals(
            e.values.get("bgp.open.holdtime"), String.valueOf(ours.get("holdTime")), where);
        assertEquals(e.values.get("bgp.open.identifier"), ours.get("bgpId"), where);
        List<Object> caps = (List<Object>) ours.get("capabilities");
        assertEquals(e.capabilities.size(), caps.size(), where + " capabilities " + caps);
      }
      case 3 -> {
        assertEquals(
            e.values.get("bgp.notify.major_error"), String.valueOf(ours.get("code")), where);
        assertEquals(
            e.values.get("bgp.notify.minor_error_update"),
            String.valueOf(ours.get("subcode")),
            where);
        assertEquals(
            e.values.get("bgp.notify.minor_data").replace(":", ""), ours.get("data"), where);
      }
      case 2 -> update(e, ours, where);
      default -> {}
    }
  }

  @SuppressWarnings("unchecked")
  static void update(Expected e, Map<String, Object> ours, String where) {
    assertSame(
        MiniJson.NULL, ours.get("error"), where + ": every UPDATE of GoBGP and FRR is well formed");
    assertEquals(e.values.getOrDefault("nextHop", null), ours.get("nextHop"), where);
    assertEquals(
        e.values.get("bgp.update.path_attribute.origin"),
        ours.containsKey("origin")
            ? String.valueOf(List.of("igp", "egp", "incomplete").indexOf(ours.get("origin")))
            : null,
        where);
    if (ours.containsKey("asPath")) {
      assertEquals(String.join(" ", e.asPath), ours.get("asPath"), where);
    }
    assertEquals(
        e.values.get("bgp.update.path_attribute.local_pref"),
        ours.containsKey("localPref") ? String.valueOf(ours.get("localPref")) : null,
        where);
    assertEquals(
        e.values.get("bgp.update.path_attribute.multi_exit_disc"),
        ours.containsKey("med") ? String.valueOf(ours.get("med")) : null,
        where);
    assertEquals(e.communities.communities, ours.getOrDefault("communities", List.of()), where);
    assertEquals(
        e.communities.largeCommunities, ours.getOrDefault("largeCommunities", List.of()), where);
    assertEquals(
        e.communities.extCommunities, ours.getOrDefault("extCommunities", List.of()), where);
    if (e.values.containsKey("bgp.update.path_attribute.pmsi.tunnel.type")) {
      Map<String, Object> pmsi = (Map<String, Object>) ours.get("pmsi");
      assertEquals(
          e.values.get("bgp.update.path_attribute.pmsi.tunnel.type"),
          String.valueOf(pmsi.get("tunnelType")),
          where);
      assertEquals(e.values.get("bgp.evpn.nlri.vni"), String.valueOf(pmsi.get("label")), where);
      String endpoint = (String) pmsi.get("endpoint");
      String wireshark = e.values.get("bgp.update.path_attribute.pmsi.ingress_rep_ip");
      if (endpoint.contains(":")) {
        // Wireshark 4.0 reads only IPv4 ingress-replication endpoints and shows the first four
        // octets of an IPv6
        // one as an IPv4 address; RFC 6514 §5 sizes the identifier by the attribute length, so 16
        // octets are IPv6.
        byte[] v6 = ByteBufUtil.decodeHexDump(ipv6Hex(endpoint));
        assertEquals(
            wireshark,
            (v6[0] & 0xFF) + "." + (v6[1] & 0xFF) + "." + (v6[2] & 0xFF) + "." + (v6[3] & 0xFF),
            where);
      } else {
        assertEquals(wireshark, endpoint, where);
      }
    }
    List<Object> routes = (List<Object>) ours.get("routes");
    assertEquals(e.routes.size(), routes.size(), where + " routes");
    for (int i = 0; i < routes.size(); i++) {
      route(e.routes.get(i), (Map<String, Object>) routes.get(i), where + " route " + i);
    }
  }

  static void route(Map<String, String> w, Map<String, Object> r, String where) {
    assertEquals(w.get("action"), r.get("action"), where);
    assertEquals(w.get("bgp.evpn.nlri.rt"), String.valueOf(r.get("routeType")), where);
    if (w.containsKey("bgp.nlri_path_id")) {
      assertEquals(w.get("bgp.nlri_path_id"), String.valueOf(r.get("pathId")), where);
    }
    String hex = (String) r.get("hex");
    String rd = w.get("bgp.evpn.nlri.rd").replace(":", "");
    assertEquals(rd, hex.substring(4, 20), where + " RD bytes");
    io.netty.buffer.ByteBuf b = Unpooled.buffer(8);
    RouteDistinguisher.parse((String) r.get("rd")).write(b, 0);
    assertEquals(rd, ByteBufUtil.hexDump(b, 0, 8), where + " RD text " + r.get("rd"));
    if (w.containsKey("bgp.evpn.nlri.esi")) {
      assertEquals(w.get("bgp.evpn.nlri.esi"), r.get("esi"), where);
    }
    if (w.containsKey("bgp.evpn.nlri.etag")) {
      assertEquals(w.get("bgp.evpn.nlri.etag"), String.valueOf(r.get("ethernetTag")), where);
    }
    String ip =
        w.containsKey("bgp.evpn.nlri.ip.addr")
            ? w.get("bgp.evpn.nlri.ip.addr")
            : w.get("bgp.evpn.nlri.ipv6.addr");
    @SuppressWarnings("unchecked")
    List<Object> labels = (List<Object>) r.get("labels");
    switch (w.get("bgp.evpn.nlri.rt")) {
      case "1", "2" -> {
        if (w.get("bgp.evpn.nlri.rt").equals("2")) {
          assertEquals(w.get("bgp.evpn.nlri.mac_addr"), r.get("mac"), where);
          assertEquals("0".equals(w.get("bgp.evpn.nlri.iplen")) ? null : ip, r.get("ip"), where);
        }
        if (w.containsKey("bgp.evpn.nlri.vni")) {
          // Wireshark reads the label field as a VNI when it has already seen the VXLAN
          // encapsulation community,
          // that is, when EXTENDED_COMMUNITIES comes before MP_REACH_NLRI on the wire
          assertEquals(w.get("bgp.evpn.nlri.vni"), String.valueOf(labels.get(0)), where);
          assertEquals(labels.get(0), r.get("vni"), where);
        } else {
          // ...and otherwise as 20-bit MPLS labels (the raw value shifted right by 4)
          assertEquals(
              w.get("bgp.evpn.nlri.mpls_ls1"), String.valueOf((Long) labels.get(0) >> 4), where);
          assertEquals(
              w.get("bgp.evpn.nlri.mpls_ls2"),
              labels.size() > 1 ? String.valueOf((Long) labels.get(1) >> 4) : null,
              where);
        }
      }
      case "3", "4" -> assertEquals(ip, r.get("originator"), where);
      case "5" -> {
        assertEquals(ip + "/" + w.get("bgp.evpn.nlri.prefix_len"), r.get("prefix"), where);
        String gw =
            w.containsKey("bgp.evpn.nlri.ipv4.gtw_addr")
                ? w.get("bgp.evpn.nlri.ipv4.gtw_addr")
                : w.get("bgp.evpn.nlri.ipv6.gtw_addr");
        assertEquals(gw, r.get("gateway"), where);
        // ...and the type 5 label as the whole 24-bit field
        assertEquals(
            w.get("bgp.update.path_attribute.mpls_label_value"),
            String.valueOf(labels.get(0)),
            where);
      }
      default -> throw new AssertionError(where + ": unexpected route type");
    }
  }

  static String ipv6Hex(String text) {
    io.evpnkit.evpn.IpAddress a = io.evpnkit.evpn.IpAddress.parse(text);
    return String.format("%016x%016x", a.high(), a.low());
  }

  /** Wireshark's fields of one message, gathered into what evpnkit prints. */
  static final class Expected {
    int type;
    final Map<String, String> values = new HashMap<>();
    final List<String> asPath = new ArrayList<>();
    final WiresharkCommunities communities = new WiresharkCommunities();
    final List<String> capabilities = new ArrayList<>();
    final List<Map<String, String>> routes = new ArrayList<>();

    @SuppressWarnings("unchecked")
    static Expected of(List<Object> fields) {
      Expected e = new Expected();
      String attribute = "";
      String pathId = null;
      Map<String, String> route = null;
      for (Object f : fields) {
        List<Object> pair = (List<Object>) f;
        String k = (String) pair.get(0);
        String v = (String) pair.get(1);
        switch (k) {
          case "bgp.type" -> e.type = Integer.parseInt(v);
          case "bgp.update.path_attribute.type_code" -> {
            attribute = v;
            route = null;
          }
          case "bgp.update.path_attribute.as_path_segment.as4",
              "bgp.update.path_attribute.as_path_segment.as2" ->
              e.asPath.add(v);
          case "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4",
              "bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6" ->
              e.values.put("nextHop", v);
          case "bgp.nlri_path_id" -> pathId = v;
          case "bgp.evpn.nlri.rt" -> {
            route = new LinkedHashMap<>();
            route.put("action", attribute.equals("15") ? "withdraw" : "announce");
            if (pathId != null) {
              route.put("bgp.nlri_path_id", pathId);
              pathId = null;
            }
            route.put(k, v);
            e.routes.add(route);
          }
          case "bgp.cap.type" -> e.capabilities.add(v);
          default -> {
            if (e.communities.accept(k, v, true)) {
              continue;
            }
            if (route != null
                && (k.startsWith("bgp.evpn.nlri.")
                    || k.startsWith("bgp.update.path_attribute.mpls"))) {
              route.putIfAbsent(k, v);
            } else {
              e.values.putIfAbsent(k, v);
            }
          }
        }
      }
      return e;
    }
  }

  @Test
  void theRoutesLeftAtTheEndAreTheOnesInGobgpsRib() throws IOException {
    // B (127.0.0.2) learned from A: replay A's UPDATEs to B and keep what was announced and not
    // withdrawn.
    Map<String, Map<String, Object>> rib = new TreeMap<>();
    for (Map<String, Object> m : decode()) {
      if ("UPDATE".equals(m.get("message"))
          && "127.0.0.1".equals(m.get("src"))
          && "127.0.0.2".equals(m.get("dst"))) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> routes = (List<Map<String, Object>>) (List<?>) m.get("routes");
        for (Map<String, Object> r : routes) {
          if ("announce".equals(r.get("action"))) {
            rib.put((String) r.get("junos"), r);
          } else {
            rib.remove(r.get("junos"));
          }
        }
      }
    }
    String gobgp =
        Files.readString(
            GoldenCaptureTest.golden("bgp-evpn-gobgp-rib.json"), StandardCharsets.UTF_8);
    @SuppressWarnings("unchecked")
    Map<String, Object> b = (Map<String, Object>) MiniJson.object(gobgp).get("B");
    assertEquals(
        b.size(),
        rib.size(),
        "routes in GoBGP's RIB of B: " + b.keySet() + "\nours: " + rib.keySet());
    // Every GoBGP prefix names the route by its key fields; each must match one of ours.
    for (String key : b.keySet()) {
      boolean found = false;
      for (Map<String, Object> r : rib.values()) {
        found |= matches(key, r);
      }
      assertTrue(found, "GoBGP's " + key + " not among " + rib.keySet());
    }
  }

  static boolean matches(String gobgpKey, Map<String, Object> r) {
    // e.g. [type:macadv][rd:10.255.0.1:100][etag:0][mac:00:00:0a:0b:0c:0e][ip:10.0.0.5]
    Map<String, String> f = new HashMap<>();
    for (String part : gobgpKey.substring(1, gobgpKey.length() - 1).split("\\]\\[", -1)) {
      int colon = part.indexOf(':');
      f.put(part.substring(0, colon), part.substring(colon + 1));
    }
    if (!f.get("rd").equals(r.get("rd"))) {
      return false;
    }
    if (f.containsKey("etag") && !f.get("etag").equals(String.valueOf(r.get("ethernetTag")))) {
      return false;
    }
    if (f.containsKey("mac") && !f.get("mac").equals(r.get("mac"))) {
      return false;
    }
    if (f.containsKey("prefix") && !f.get("prefix").equals(r.get("prefix"))) {
      return false;
    }
    if (f.containsKey("ip")
        && !f.get("ip").equals(r.containsKey("ip") ? r.get("ip") : r.get("originator"))
        && !(f.get("ip").equals("<nil>") && !r.containsKey("ip"))) {
      return false;
    }
    return true;
  }
}
