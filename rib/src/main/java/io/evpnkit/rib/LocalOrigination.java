package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.InterfaceConfig;
import io.evpnkit.policy.IpPrefix;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.Vlan;
import io.evpnkit.policy.VtepConfig;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The routes this VTEP originates, through each instance's export policy to the {@link RouteSink}:
 * the inclusive multicast route of every extended VNI with ingress replication (RFC 8365 §9, PMSI
 * Tunnel of RFC 6514 §5), the routes of every local Ethernet segment (ES route, per-ES and per-EVI
 * A-D routes, RFC 7432 §7.1, §7.4, §8), and the MAC and MAC/IP routes of local MACs (RFC 7432 §7.2,
 * with MAC Mobility §7.7 and Default Gateway §10.1 communities). Every route carries the VXLAN
 * encapsulation community (RFC 8365 §5.1.3) and the instance's export targets.
 */
final class LocalOrigination {
  private static final int VXLAN = 8; // BGP tunnel encapsulation type (RFC 8365 §5.1.3)

  private final Instances instances;
  private final LocalSegments segments;
  private final RouteSink sink;
  private final IpAddress localVtep;
  private final long routerId; // -1: none (an IPv6 VTEP without a configured router id)
  private final PolicyResult policyResult = new PolicyResult();
  private final EvpnNlri scratch = new EvpnNlri();

  private final @Nullable MacAddress routerMac;
  private final VtepConfig config;
  // the IP prefix routes announced (RFC 9136), by "VRF prefix"
  private final Map<String, EvpnRoute> prefixRoutes = new HashMap<>();
  // each IP-VRF's own subnets (its IRB units'), "VRF network/length": connected, not learned
  private final java.util.Set<String> connected = new java.util.HashSet<>();

  LocalOrigination(
      Instances instances,
      LocalSegments segments,
      RouteSink sink,
      IpAddress localVtep,
      long routerId,
      @Nullable MacAddress routerMac,
      VtepConfig config) {
    this.routerMac = routerMac;
    this.config = config;
    this.instances = instances;
    this.segments = segments;
    this.sink = sink;
    this.localVtep = localVtep;
    this.routerId = routerId;
    if (routerId < 0) {
      boolean needed = !segments.isEmpty();
      for (Instance i : instances.all()) {
        needed |= i.config.routeDistinguisher() == null;
      }
      if (needed) { // refused here rather than at the first route: never one RD 0:0 for every IPv6
        // PE
        throw new IllegalArgumentException(noRouterId());
      }
    }
  }

  /**
   * A route value in wire form, for the import and export policies (which read NLRI); valid until
   * the next call.
   */
  static EvpnNlri nlriOf(EvpnRoute route, EvpnNlri scratch) {
    byte[] bytes = EvpnRoutes.toBytes(route);
    return scratch.wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }

  /**
   * The Ethernet tag of an instance's routes for {@code vni}: 0 in a VLAN-based service ({@code
   * service-type vlan-based}, one VLAN per EVI, RFC 7432 §6.1, as FRR's leaves originate), the VNI
   * in a VLAN-aware bundle (RFC 8365 §5.1.2; Junos's default switch). A receiver maps either to the
   * bridge domain: the tag when it is one of its VNIs, else the route's label.
   */
  static EthernetTag ethernetTag(Instance inst, int vni) {
    return "vlan-based".equals(inst.config.serviceType()) ? EthernetTag.of(0) : EthernetTag.of(vni);
  }

  /**
   * Originates the inclusive multicast route of every extended VNI, and the routes of every local
   * segment.
   */
  void originateAll() {
    for (Instance inst : instances.all()) {
      if (!inst.config.type().isSwitching()) {
        continue;
      }
      for (int vni : inst.config.extendedVniList()) {
        InclusiveMulticastRoute imet =
            new InclusiveMulticastRoute(rdOf(inst), ethernetTag(inst, vni), localVtep);
        PathAttributes attrs =
            baseAttributes(inst, vni)
                .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(vni), localVtep))
                .build();
        export(inst, imet, attrs);
      }
    }
    for (LocalSegments.LocalSegment seg : segments.all()) {
      segment(seg, true);
    }
    // each IP-VRF's subnets: those of its IRB units (their direct routes)
    for (Instance vrf : instances.all()) {
      if (!vrf.isIpVrf() || vrf.config.evpn().ipPrefixRoutesVni() <= 0) {
        continue;
      }
      boolean gatewayModel = "gateway-address".equals(vrf.config.evpn().ipPrefixRoutesAdvertise());
      for (String unit : vrf.config.interfaces()) {
        InterfaceConfig.Unit u = config.unit(unit).orElse(null);
        if (u == null) {
          continue;
        }
        for (InterfaceConfig.Address a : u.addresses()) {
          connected.add(vrf.name() + " " + IpPrefix.of(a.address(), a.prefixLength()));
          prefix(vrf, a.address(), a.prefixLength(), gatewayModel ? a.address() : null, true);
        }
      }
    }
  }

  /**
   * Announces (or withdraws) the IP prefix route (RFC 9136) of {@code address/length} in IP-VRF
   * {@code vrf}, with the VRF's L3 VNI and export targets: with a {@code gateway}, the gateway IP
   * model (§4.2: the route recurses to the gateway's MAC/IP route); without, the interface-less
   * model (§4.4.1: to this VTEP and its router MAC, which it needs). Returns whether a route was
   * announced or withdrawn.
   */
  boolean prefix(
      Instance vrf, IpAddress address, int length, @Nullable IpAddress gateway, boolean add) {
    IpPrefix p = IpPrefix.of(address, length);
    IpAddress network = p.address();
    String key = vrf.name() + " " + p;
    EvpnRoute old = prefixRoutes.remove(key);
    if (old != null) {
      sink.withdraw(old);
    }
    int l3 = vrf.config.evpn().ipPrefixRoutesVni();
    MacAddress rmac = routerMac;
    if (!add || l3 <= 0 || (gateway == null && rmac == null)) {
      return old != null;
    }
    IpAddress none = network.isIpv6() ? IpAddress.ofIpv6(0, 0) : IpAddress.ofIpv4(0);
    IpPrefixRoute route =
        new IpPrefixRoute(
            rdOf(vrf),
            EthernetSegmentIdentifier.ZERO,
            EthernetTag.ZERO,
            network,
            length,
            gateway != null ? gateway : none,
            LabelField.ofVni(l3));
    PathAttributes.Builder b = baseAttributes(vrf, -1);
    if (gateway == null && rmac != null) {
      b.addExtendedCommunity(ExtendedCommunity.routerMac(rmac));
    }
    if (export(vrf, route, b.build())) {
      prefixRoutes.put(key, route);
      return true;
    }
    return old != null;
  }

  /**
   * Whether {@code prefix/length} is one of IP-VRF {@code vrf}'s own subnets (an IRB's): connected
   * here, so another leaf's route for it is not installed (a direct route is preferred).
   */
  boolean isConnected(Instance vrf, IpAddress prefix, int length) {
    return !connected.isEmpty()
        && connected.contains(vrf.name() + " " + IpPrefix.of(prefix, length));
  }

  /**
   * Announces (or withdraws) a local segment's routes: the Ethernet segment route with its
   * ES-Import target (the six octets after the ESI's type, RFC 7432 §7.6) and DF Election community
   * (RFC 8584 §2.2), the per-ES A-D route with the ESI Label community, and a per-EVI A-D route per
   * VNI (RFC 7432 §8.2, §8.4).
   */
  void segment(LocalSegments.LocalSegment seg, boolean up) {
    RouteDistinguisher perPe = autoRd(0);
    EthernetSegmentRoute es = EthernetSegmentRoute.of(perPe, seg.esi, localVtep);
    List<EvpnRoute> originated = new ArrayList<>();
    List<PathAttributes> attributes = new ArrayList<>();
    byte[] value = seg.esi.toByteArray();
    long importRt = 0;
    for (int i = 1; i <= 6; i++) {
      importRt = importRt << 8 | (value[i] & 0xFF);
    }
    originated.add(es);
    PathAttributes.Builder esAttributes =
        PathAttributes.builder()
            .nextHop(localVtep)
            .addExtendedCommunity(ExtendedCommunity.esImport(MacAddress.of(importRt)));
    long df = seg.dfCommunity();
    if (df != 0) { // RFC 8584 §2.2: the algorithm (and RFC 9785's preference) in the ES route
      esAttributes.addExtendedCommunity(ExtendedCommunity.of(df));
    }
    attributes.add(esAttributes.build());
    for (Instance inst : instances.all()) {
      if (!inst.config.type().isSwitching()) {
        continue;
      }
      originated.add(EthernetAutoDiscoveryRoute.perEthernetSegment(perPe, seg.esi));
      attributes.add(
          baseAttributes(inst, -1)
              .addExtendedCommunity(ExtendedCommunity.esiLabel(0, seg.singleActive()))
              .build());
      for (int vni : inst.config.extendedVniList()) {
        originated.add(
            EthernetAutoDiscoveryRoute.perEvi(
                rdOf(inst), seg.esi, ethernetTag(inst, vni), LabelField.ofVni(vni)));
        attributes.add(baseAttributes(inst, vni).build());
      }
    }
    for (int i = 0; i < originated.size(); i++) {
      if (up) {
        sink.announce(originated.get(i), attributes.get(i));
      } else {
        sink.withdraw(originated.get(i));
      }
    }
    seg.up = up;
  }

  /**
   * Advertises a local MAC's routes: the MAC route and one MAC/IP route per address, or only that
   * of {@code only}; what the export policy lets out is recorded in {@code local.advertised}.
   */
  void advertise(int vni, MacAddress mac, LocalMac local, @Nullable IpAddress only) {
    Instance inst = instances.ofVni(vni);
    if (inst == null) {
      return;
    }
    RouteDistinguisher rd = rdOf(inst);
    List<EvpnRoute> originated = new ArrayList<>();
    if (only == null) {
      originated.add(
          new MacIpAdvertisementRoute(
              rd, local.esi, ethernetTag(inst, vni), mac, null, LabelField.ofVni(vni), null));
    }
    // symmetric IRB (RFC 9135 §5.1): the bridge domain's IRB in an IP-VRF with an L3 VNI, and a
    // router MAC: the MAC/IP routes carry label 2 = the L3 VNI, the Router's MAC and the IP-VRF's
    // targets; the MAC-only route stays a MAC-VRF route
    Instance ipVrf = routerMac == null ? null : ipVrfOf(inst, vni);
    LabelField label2 =
        ipVrf == null ? null : LabelField.ofVni(ipVrf.config.evpn().ipPrefixRoutesVni());
    int macOnly = originated.size();
    for (IpAddress ip : local.ips) {
      if (only == null || only.equals(ip)) {
        originated.add(
            new MacIpAdvertisementRoute(
                rd, local.esi, ethernetTag(inst, vni), mac, ip, LabelField.ofVni(vni), label2));
      }
    }
    PathAttributes.Builder b = baseAttributes(inst, vni);
    if (local.sequence > 0 || local.sticky) {
      b.addExtendedCommunity(ExtendedCommunity.macMobility(local.sequence, local.sticky));
    }
    if (local.port.startsWith("irb.")) {
      b.addExtendedCommunity(ExtendedCommunity.defaultGateway()); // an IRB's MAC (RFC 7432 §10.1)
    }
    PathAttributes attrs = b.build();
    PathAttributes routed = attrs;
    MacAddress rmac = routerMac;
    if (ipVrf != null && rmac != null) {
      PathAttributes.Builder r = attrs.toBuilder();
      for (ExtendedCommunity t : ipVrf.policy.exportTargets(-1)) {
        r.addExtendedCommunity(t);
      }
      routed = r.addExtendedCommunity(ExtendedCommunity.routerMac(rmac)).build();
    }
    for (int i = 0; i < originated.size(); i++) {
      EvpnRoute r = originated.get(i);
      if (export(inst, r, i < macOnly ? attrs : routed)) {
        local.advertised.add(r);
      }
    }
  }

  /**
   * The IP-VRF that routes for bridge domain {@code vni} of {@code inst}: the {@code vrf} instance
   * holding the VLAN's {@code l3-interface} (its IRB unit) and an L3 VNI ({@code protocols evpn
   * ip-prefix-routes vni}); or {@code null}.
   */
  private @Nullable Instance ipVrfOf(Instance inst, int vni) {
    Vlan vlan = inst.vlansByVni.get(vni);
    String irb = vlan == null ? null : vlan.l3Interface();
    if (irb == null) {
      return null;
    }
    for (Instance other : instances.all()) {
      if (other.isIpVrf()
          && other.config.interfaces().contains(irb)
          && other.config.evpn().ipPrefixRoutesVni() > 0) {
        return other;
      }
    }
    return null;
  }

  /** Withdraws every route advertised for a local MAC. */
  void withdraw(LocalMac local) {
    for (EvpnRoute r : local.advertised) {
      sink.withdraw(r);
    }
    local.advertised.clear();
  }

  /** Withdraws the MAC/IP route of one address of a local MAC. */
  void withdraw(LocalMac local, IpAddress ip) {
    for (java.util.Iterator<EvpnRoute> it = local.advertised.iterator(); it.hasNext(); ) {
      EvpnRoute r = it.next();
      if (r instanceof MacIpAdvertisementRoute m && java.util.Objects.equals(ip, m.ip())) {
        sink.withdraw(r);
        it.remove();
      }
    }
  }

  private boolean export(Instance inst, EvpnRoute r, PathAttributes attrs) {
    if (!inst.policy.acceptsExport(nlriOf(r, scratch), attrs, policyResult)) {
      return false;
    }
    sink.announce(r, policyResult.apply(attrs));
    return true;
  }

  private RouteDistinguisher rdOf(Instance inst) {
    RouteDistinguisher rd = inst.config.routeDistinguisher();
    return rd != null ? rd : autoRd(1);
  }

  /**
   * A route distinguisher of type 1 made from the router id (RFC 7432 §7.9: the PE's IP address and
   * a number), for the per-PE routes (ES and per-ES A-D routes, number 0) and instances without a
   * configured one (number 1).
   *
   * @throws IllegalStateException without an IPv4 router id (an IPv6 VTEP needs {@code
   *     routing-options router-id})
   */
  private RouteDistinguisher autoRd(int number) {
    if (routerId < 0) {
      throw new IllegalStateException(noRouterId());
    }
    return RouteDistinguisher.parse(IpAddress.ofIpv4((int) routerId) + ":" + number);
  }

  private String noRouterId() {
    return "VTEP "
        + localVtep
        + " is IPv6: its route distinguishers (type 1, RFC 7432 §7.9) need an IPv4 router "
        + "id; set routing-options router-id (or EvpnRib.Builder.routerId)";
  }

  private PathAttributes.Builder baseAttributes(Instance inst, int vni) {
    PathAttributes.Builder b = PathAttributes.builder().nextHop(localVtep);
    for (ExtendedCommunity t : inst.policy.exportTargets(vni)) {
      b.addExtendedCommunity(t);
    }
    b.addExtendedCommunity(ExtendedCommunity.encapsulation(VXLAN));
    return b;
  }
}
