package io.evpnkit.examples;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.LeafAdRoute;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.MulticastRoute;
import io.evpnkit.evpn.PerRegionIpmsiRoute;
import io.evpnkit.evpn.SelectivePmsiRoute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The fields of a route as the tools print them: numbers as {@code Long}, the rest as text, in a
 * fixed order.
 */
final class RouteFields {
  private RouteFields() {}

  /** Returns the route's fields (not its labels; see {@link #labels}). */
  static Map<String, Object> of(EvpnRoute route) {
    Map<String, Object> f = new LinkedHashMap<>();
    if (route instanceof EthernetAutoDiscoveryRoute r) {
      f.put("rd", r.rd().toString());
      f.put("esi", r.esi().toString());
      f.put("ethernetTag", r.ethernetTag().value());
    } else if (route instanceof MacIpAdvertisementRoute r) {
      f.put("rd", r.rd().toString());
      f.put("esi", r.esi().toString());
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("mac", r.mac().toString());
      put(f, "ip", r.ip());
    } else if (route instanceof InclusiveMulticastRoute r) {
      f.put("rd", r.rd().toString());
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("originator", r.originator().toString());
    } else if (route instanceof EthernetSegmentRoute r) {
      f.put("rd", r.rd().toString());
      f.put("esi", r.esi().toString());
      f.put("originator", r.originator().toString());
    } else if (route instanceof IpPrefixRoute r) {
      f.put("rd", r.rd().toString());
      f.put("esi", r.esi().toString());
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("prefix", r.prefix() + "/" + r.prefixLength());
      f.put("gateway", r.gateway().toString());
    } else if (route instanceof MulticastRoute r) {
      f.put("rd", r.rd().toString());
      if (r.routeType().code() != 6) {
        f.put("esi", r.esi().toString());
      }
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("source", r.source() == null ? "*" : String.valueOf(r.source()));
      f.put("group", r.group() == null ? "*" : String.valueOf(r.group()));
      f.put("originator", r.originator().toString());
      f.put("flags", (long) r.flags());
      if (r.routeType().code() == 8) {
        f.put("leaveSequence", r.leaveSequence());
        f.put("maxResponseTime", (long) r.maxResponseTime());
      }
    } else if (route instanceof PerRegionIpmsiRoute r) {
      f.put("rd", r.rd().toString());
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("regionId", String.format("0x%016x", r.regionId()));
    } else if (route instanceof SelectivePmsiRoute r) {
      f.put("rd", r.rd().toString());
      f.put("ethernetTag", r.ethernetTag().value());
      f.put("source", r.source() == null ? "*" : String.valueOf(r.source()));
      f.put("group", r.group() == null ? "*" : String.valueOf(r.group()));
      f.put("originator", r.originator().toString());
    } else if (route instanceof LeafAdRoute r) {
      f.put("routeKey", r.routeKey().toString());
      f.put("originator", r.originator().toString());
    }
    return f;
  }

  private static void put(Map<String, Object> f, String key, @Nullable IpAddress ip) {
    if (ip != null) {
      f.put(key, ip.toString());
    }
  }

  /**
   * Returns the raw 24-bit label fields of a route that has them (types 1, 2, 5), in wire order.
   */
  static List<Long> labels(EvpnRoute route) {
    List<Long> labels = new ArrayList<>(2);
    if (route instanceof EthernetAutoDiscoveryRoute r) {
      labels.add((long) r.label().raw());
    } else if (route instanceof MacIpAdvertisementRoute r) {
      labels.add((long) r.label1().raw());
      LabelField second = r.label2();
      if (second != null) {
        labels.add((long) second.raw());
      }
    } else if (route instanceof IpPrefixRoute r) {
      labels.add((long) r.label().raw());
    }
    return labels;
  }
}
