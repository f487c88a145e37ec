package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.RouteDistinguisher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An EVPN instance of a VTEP: the default switch (top-level {@code vlans}, {@code switch-options}
 * and {@code protocols evpn}) or a {@code routing-instances} entry of type {@code mac-vrf}, {@code
 * virtual-switch}, {@code evpn} or {@code vrf} (an IP-VRF with {@code protocols evpn
 * ip-prefix-routes}, RFC 9136).
 *
 * @param name the instance name ({@value VtepConfig#DEFAULT_SWITCH} for the top level)
 * @param type the instance type
 * @param routeDistinguisher the RD, or {@code null}
 * @param vtepSourceInterface the VTEP source interface ({@code lo0.0}), or {@code null}
 * @param serviceType {@code vlan-based}, {@code vlan-aware} or {@code vlan-bundle}, or {@code null}
 * @param vrfImport the import policies, in order
 * @param vrfExport the export policies, in order
 * @param vrfTargets the explicit {@code vrf-target} communities
 * @param vrfTargetAuto whether {@code vrf-target auto} is set
 * @param autoDerivation how {@code vrf-target auto} derives targets ({@code vrf-target
 *     auto-derivation frr} for FRR's form; RFC 8365's by default)
 * @param vlans the VLANs by name, in configuration order
 * @param interfaces the interface units of the instance ({@code interface ae0.0}, {@code interface
 *     irb.100})
 * @param evpn the {@code protocols evpn} options
 * @since 0.1
 */
@Beta
public record RoutingInstance(
    String name,
    Type type,
    @Nullable RouteDistinguisher routeDistinguisher,
    @Nullable String vtepSourceInterface,
    @Nullable String serviceType,
    List<String> vrfImport,
    List<String> vrfExport,
    List<ExtendedCommunity> vrfTargets,
    boolean vrfTargetAuto,
    RouteTargets.Derivation autoDerivation,
    Map<String, Vlan> vlans,
    List<String> interfaces,
    EvpnOptions evpn) {

  /** Copies the collections. */
  public RoutingInstance {
    vrfImport = List.copyOf(vrfImport);
    vrfExport = List.copyOf(vrfExport);
    vrfTargets = List.copyOf(vrfTargets);
    vlans = Collections.unmodifiableMap(new LinkedHashMap<>(vlans));
    interfaces = List.copyOf(interfaces);
  }

  /** Instance types. */
  public enum Type {
    /** The top-level switching instance ({@code default-switch}). */
    DEFAULT_SWITCH("default-switch"),
    /** {@code instance-type mac-vrf}. */
    MAC_VRF("mac-vrf"),
    /** {@code instance-type virtual-switch}. */
    VIRTUAL_SWITCH("virtual-switch"),
    /** {@code instance-type evpn}. */
    EVPN("evpn"),
    /** {@code instance-type vrf}: an IP-VRF. */
    VRF("vrf");

    private final String keyword;

    Type(String keyword) {
      this.keyword = keyword;
    }

    /** Returns the Junos keyword. */
    public String keyword() {
      return keyword;
    }

    /** Returns whether instances of this type bridge (hold MAC-VRFs). */
    public boolean isSwitching() {
      return this != VRF;
    }
  }

  /**
   * The {@code protocols evpn} options of an instance.
   *
   * @param encapsulation {@code vxlan} or {@code mpls}, or {@code null}
   * @param extendedVnis the VNIs of {@code extended-vni-list}; empty with {@code extendedVniAll}
   * @param extendedVniAll whether {@code extended-vni-list all} is set
   * @param multicastMode {@code ingress-replication} or {@code null}
   * @param defaultGateway {@code advertise}, {@code no-gateway-community} or {@code
   *     do-not-advertise}, or null
   * @param ipPrefixRoutesVni the L3 VNI of {@code ip-prefix-routes vni} (type 5 routes), or -1
   * @param ipPrefixRoutesAdvertise {@code direct-nexthop} or {@code gateway-address}, or {@code
   *     null}
   */
  public record EvpnOptions(
      @Nullable String encapsulation,
      List<Integer> extendedVnis,
      boolean extendedVniAll,
      @Nullable String multicastMode,
      @Nullable String defaultGateway,
      int ipPrefixRoutesVni,
      @Nullable String ipPrefixRoutesAdvertise) {
    /** No options. */
    public static final EvpnOptions NONE =
        new EvpnOptions(null, List.of(), false, null, null, -1, null);

    /** Copies the list. */
    public EvpnOptions {
      extendedVnis = List.copyOf(extendedVnis);
    }
  }

  /**
   * Returns the VNIs this instance extends over EVPN: the extended-vni-list, or every VLAN's VNI
   * with {@code all}.
   */
  public List<Integer> extendedVniList() {
    if (!evpn.extendedVniAll()) {
      return evpn.extendedVnis();
    }
    List<Integer> out = new ArrayList<>();
    for (Vlan v : vlans.values()) {
      if (v.vni() > 0) {
        out.add(v.vni());
      }
    }
    return out;
  }

  /**
   * Returns the route targets routes of {@code vni} are exported with: with {@code vrf-target auto}
   * the VNI's auto-derived target (RFC 8365 §5.1.2.1), else the explicit {@code vrf-target}s. A VNI
   * of -1 asks for the targets of routes not tied to one VNI (per-ES Ethernet A-D routes, RFC 7432
   * §8.2): the explicit targets, which is what Junos does with the explicit target configured
   * beside {@code auto}.
   *
   * @param as the local AS ({@code routing-options autonomous-system})
   */
  public List<ExtendedCommunity> exportTargets(long as, int vni) {
    if (vrfTargetAuto && vni > 0) {
      return List.of(RouteTargets.auto(as, vni, autoDerivation));
    }
    return vrfTargets;
  }

  /**
   * Returns the route targets this instance imports without a policy: the explicit targets and,
   * with {@code vrf-target auto}, the auto-derived target of every extended VNI (and of the IP
   * prefix routes' VNI).
   *
   * @param as the local AS
   */
  public Set<ExtendedCommunity> importTargets(long as) {
    Set<ExtendedCommunity> out = new LinkedHashSet<>(vrfTargets);
    if (vrfTargetAuto) {
      for (int vni : extendedVniList()) {
        out.add(RouteTargets.auto(as, vni, autoDerivation));
      }
      if (evpn.ipPrefixRoutesVni() > 0) {
        out.add(RouteTargets.auto(as, evpn.ipPrefixRoutesVni(), autoDerivation));
      }
    }
    return Collections.unmodifiableSet(out);
  }
}
