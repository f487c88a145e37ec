package io.evpnkit.conformance;

import io.evpnkit.evpn.Communities;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The standard, large and extended communities of one UPDATE, gathered from Wireshark's BGP fields
 * (in document order) into the text evpnkit gives them, for the tests that compare evpnkit's
 * decoding with Wireshark's.
 */
@SuppressWarnings("NullAway")
final class WiresharkCommunities {
  final List<String> communities = new ArrayList<>();
  final List<String> largeCommunities = new ArrayList<>();
  final List<String> extCommunities = new ArrayList<>();
  private @Nullable String communityAs;
  private @Nullable String largeGa;
  private @Nullable String largeL1;
  private @Nullable Map<String, String> ext;

  /**
   * Takes field {@code k} = {@code v} if it belongs to a community; returns whether it did.
   * Extended community fields are taken only while {@code inExtendedCommunities} (Wireshark reuses
   * their names inside other attributes).
   */
  boolean accept(String k, String v, boolean inExtendedCommunities) {
    switch (k) {
      case "bgp.update.path_attribute.community_as" -> communityAs = v;
      case "bgp.update.path_attribute.community_value" -> communities.add(communityAs + ":" + v);
      case "bgp.update.path_attribute.community_wellknown" ->
          communities.add(Communities.format((int) Long.parseLong(v.substring(2), 16)));
      case "bgp.large_communities.ga" -> largeGa = v;
      case "bgp.large_communities.ldp1" -> largeL1 = v;
      case "bgp.large_communities.ldp2" -> largeCommunities.add(largeGa + ":" + largeL1 + ":" + v);
      case "bgp.ext_community" -> {
        ext = new TreeMap<>();
        extCommunities.add("");
      }
      default -> {
        Map<String, String> e = ext;
        if (!k.startsWith("bgp.ext_com") || e == null || !inExtendedCommunities) {
          return false;
        }
        e.put(k, v);
        extCommunities.set(extCommunities.size() - 1, extText(e));
      }
    }
    return true;
  }

  /**
   * The text evpnkit gives an extended community, from Wireshark's fields of it (recomputed as
   * fields arrive).
   */
  static String extText(Map<String, String> f) {
    String type = f.get("bgp.ext_com.type");
    if ("0x00".equals(type) && "0x02".equals(f.get("bgp.ext_com.stype_tr_as2"))) {
      return "target:" + f.get("bgp.ext_com.value_as2") + ":" + f.get("bgp.ext_com.value_an4");
    }
    if ("0x03".equals(type) && "0x0c".equals(f.get("bgp.ext_com.stype_tr_opaque"))) {
      return "encapsulation:"
          + ("8".equals(f.get("bgp.ext_com.tunnel_type"))
              ? "vxlan"
              : f.get("bgp.ext_com.tunnel_type"));
    }
    if ("0x03".equals(type) && "0x0d".equals(f.get("bgp.ext_com.stype_tr_opaque"))) {
      return "default-gateway";
    }
    if ("0x06".equals(type)) {
      String sub = f.get("bgp.ext_com.stype_tr_evpn");
      if ("0x00".equals(sub)) {
        // MAC mobility (RFC 7432 §7.7): the sequence, and the sticky flag, bit 0 of the flags octet
        // (which comes first)
        boolean sticky =
            (Integer.decode(f.getOrDefault("bgp.ext_com_evpn.mmac.flags", "0")) & 1) != 0;
        return "mac-mobility:" + f.get("bgp.ext_com_evpn.mmac.seq") + (sticky ? ":sticky" : "");
      }
      if ("0x03".equals(sub)) {
        return "router-mac:" + f.get("bgp.ext_com_evpn.esi.router_mac");
      }
      if ("0x02".equals(sub)) {
        return "es-import:" + f.get("bgp.ext_com_evpn.esi.rt");
      }
      if ("0x01".equals(sub)) {
        // Wireshark 4.0 shows the flag but not the label; GoBGP's CLI and our sets send label 0
        // here
        return "esi-label:0"
            + ("1".equals(f.get("bgp.ext_com_l2.esi_label_flag")) ? ":single-active" : "");
      }
    }
    return "unmapped " + f;
  }
}
