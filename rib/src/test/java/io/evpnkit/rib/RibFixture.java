package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.RouteTargets;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the RIB's tests share: the design deck's VTEP configuration with a multihomed LAG, a
 * recording driver, route sink and listener, a clock, and builders of the routes and attributes
 * peers send.
 */
abstract class RibFixture {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final IpAddress C = IpAddress.parse("10.0.0.3");
  static final Peer RR = new Peer(IpAddress.parse("10.0.0.100"), 0x0A000064L, false);
  static final MacAddress M = MacAddress.parse("00:00:0a:0b:0c:0d");
  static final long AS = 65000;
  static final ExtendedCommunity RT100 = RouteTargets.auto(AS, 100);
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  /** The design deck's VTEP for BMS, with a routing-options AS and a multihomed LAG added. */
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      interfaces {
          xe-0/0/0 { unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } } }
          ae0 {
              esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; }
              unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ v100 v101 ]; } } }
          }
      }
      switch-options {
          vtep-source-interface lo0.0;
          route-distinguisher 10.0.0.1:1;
          vrf-import imp;
          vrf-target { target:1111:11; auto; }
      }
      vlans {
          v100 { vlan-id 100; vxlan { vni 100; ingress-node-replication; } }
          v101 { vlan-id 101; vxlan { vni 101; ingress-node-replication; } }
      }
      protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 101 ]; } }
      policy-options {
          policy-statement imp {
              term 1 { from community comglobal; then accept; }
              term 100 { then reject; }
          }
          community comglobal members target:1111:11;
      }
      """;

  /** A driver that records each batch and keeps the state. */
  static class Recording implements ForwardingDriver {
    final InMemoryForwardingTable table = new InMemoryForwardingTable();
    final List<List<ForwardingOp>> batches = new ArrayList<>();

    @Override
    public void apply(List<ForwardingOp> batch) {
      table.apply(batch);
      batches.add(batch);
    }

    @Override
    public void replaceAll(List<ForwardingOp> state) {
      table.replaceAll(state);
    }

    List<ForwardingOp> last() {
      return batches.get(batches.size() - 1);
    }
  }

  /** A sink that keeps the announced routes. */
  static final class Sink implements RouteSink {
    final List<String> log = new ArrayList<>();
    final java.util.Map<String, PathAttributes> announced = new java.util.LinkedHashMap<>();

    @Override
    public void announce(EvpnRoute route, PathAttributes attributes) {
      log.add("announce " + route);
      announced.put(route.toString(), attributes);
    }

    @Override
    public void withdraw(EvpnRoute route) {
      log.add("withdraw " + route);
      announced.remove(route.toString());
    }
  }

  /** A listener that logs events. */
  static final class Events implements RibListener {
    final List<String> log = new ArrayList<>();

    @Override
    public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
      log.add("moved " + mac + " " + from + " -> " + to + " seq " + sequence);
    }

    @Override
    public void duplicateMac(int vni, MacAddress mac, int moves) {
      log.add("duplicate " + mac);
    }

    @Override
    public void duplicateCleared(int vni, MacAddress mac) {
      log.add("cleared " + mac);
    }

    @Override
    public void duplicateIp(int vni, IpAddress ip, int moves) {
      log.add("duplicate ip " + ip + " after " + moves + " moves");
    }

    @Override
    public void duplicateIpCleared(int vni, IpAddress ip) {
      log.add("cleared ip " + ip);
    }

    @Override
    public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
      log.add("sticky " + mac + " at " + stickyAt + " vs " + contender);
    }

    @Override
    public void designatedForwarder(
        EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
      log.add("df " + vlanId + " " + df);
    }
  }

  final Recording driver = new Recording();
  final Sink sink = new Sink();
  final Events events = new Events();
  final AtomicLong clock = new AtomicLong();

  EvpnRib rib() {
    return EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver)
        .routeSink(sink)
        .listener(events)
        .clock(clock::get)
        .build();
  }

  static PathAttributes attrs(IpAddress nextHop, ExtendedCommunity... communities) {
    PathAttributes.Builder b =
        PathAttributes.builder()
            .nextHop(nextHop)
            .localPref(100)
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8));
    for (ExtendedCommunity c : communities) {
      b.addExtendedCommunity(c);
    }
    return b.build();
  }

  static MacIpAdvertisementRoute mac(
      IpAddress pe, MacAddress mac, EthernetSegmentIdentifier esi, IpAddress ip) {
    return new MacIpAdvertisementRoute(
        RouteDistinguisher.parse(pe + ":1"),
        esi,
        EthernetTag.ZERO,
        mac,
        ip,
        LabelField.ofVni(100),
        null);
  }

  static MacIpAdvertisementRoute mac(IpAddress pe, MacAddress mac) {
    return new MacIpAdvertisementRoute(
        RouteDistinguisher.parse(pe + ":1"),
        EthernetSegmentIdentifier.ZERO,
        EthernetTag.ZERO,
        mac,
        null,
        LabelField.ofVni(100),
        null);
  }

  static ExtendedCommunity seq(long n) {
    return ExtendedCommunity.macMobility(n, false);
  }

  /** The per-ES A-D route of PE {@code pe} for segment {@code esi}. */
  static EthernetAutoDiscoveryRoute perEs(IpAddress pe, EthernetSegmentIdentifier esi) {
    return new EthernetAutoDiscoveryRoute(
        RouteDistinguisher.parse(pe + ":0"), esi, EthernetTag.MAX, LabelField.ZERO);
  }

  /**
   * Announces PE {@code pe}'s per-ES A-D route (all-active or single-active) and per-EVI A-D route
   * in VNI 100.
   */
  static void segmentRoutes(
      EvpnRib rib, IpAddress pe, EthernetSegmentIdentifier esi, boolean singleActive) {
    rib.announce(
        RR,
        0,
        perEs(pe, esi),
        attrs(
            pe,
            ExtendedCommunity.parse("target:1111:11"),
            ExtendedCommunity.esiLabel(0, singleActive)));
    rib.announce(
        RR,
        0,
        new EthernetAutoDiscoveryRoute(
            RouteDistinguisher.parse(pe + ":1"), esi, EthernetTag.ZERO, LabelField.ofVni(100)),
        attrs(pe, RT100));
  }

  /**
   * Per-ES and per-EVI A-D routes of PE {@code pe} for ESI in VNI 100 (all-active), or the per-ES
   * one withdrawn.
   */
  static void segment(EvpnRib rib, IpAddress pe, boolean add) {
    if (add) {
      segmentRoutes(rib, pe, ESI, false);
    } else {
      rib.withdraw(RR, 0, perEs(pe, ESI));
    }
  }

  /** A PE on segment 00:aa:... with VLANs 100-107, electing its DF with {@code dfElection}. */
  EvpnRib segmentRib(String dfElection) {
    StringBuilder vlans = new StringBuilder();
    StringBuilder members = new StringBuilder();
    for (int v = 100; v <= 107; v++) {
      vlans
          .append("v")
          .append(v)
          .append(" { vlan-id ")
          .append(v)
          .append("; vxlan { vni ")
          .append(v)
          .append("; } } ");
      members.append("v").append(v).append(' ');
    }
    String config =
        """
        routing-options { autonomous-system 65000; }
        interfaces { ae0 { esi { 00:aa:aa:aa:aa:aa:aa:aa:aa:aa; all-active; %s }
            unit 0 { family ethernet-switching { interface-mode trunk; vlan { members [ %s]; } } } } }
        switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65000:1; auto; } }
        vlans { %s}
        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
        """
            .formatted(dfElection, members, vlans);
    return EvpnRib.builder(VtepConfig.parse(config), LOCAL, driver)
        .routeSink(sink)
        .listener(events)
        .clock(clock::get)
        .build();
  }

  static final EthernetSegmentIdentifier SEGMENT =
      EthernetSegmentIdentifier.parse("00:aa:aa:aa:aa:aa:aa:aa:aa:aa");
  static final EthernetSegmentRoute SEGMENT_B =
      new EthernetSegmentRoute(RouteDistinguisher.parse("10.0.0.2:0"), SEGMENT, B);

  List<IpAddress> electedAfterTheTimer(EvpnRib rib) {
    clock.addAndGet(Duration.ofSeconds(3).toNanos());
    rib.tick();
    List<IpAddress> out = new ArrayList<>();
    for (int v = 100; v <= 107; v++) {
      out.add(rib.designatedForwarder(SEGMENT, v));
    }
    return out;
  }
}
