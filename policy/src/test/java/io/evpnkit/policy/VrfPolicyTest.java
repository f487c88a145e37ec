package io.evpnkit.policy;

import static io.evpnkit.policy.PolicyChainTest.attrs;
import static io.evpnkit.policy.PolicyChainTest.nlri;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.ExtendedCommunity;
import java.util.List;
import org.junit.jupiter.api.Test;

class VrfPolicyTest {
  static final String ROUTE = "2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304";

  @Test
  void autoTargetsFollowRfc8365() {
    // AS 65000, VNI 100: A = 0, Type = 1 (VXLAN), D-ID = 0, service id 100: 0x10000064
    assertEquals("target:65000:268435556", RouteTargets.auto(65000, 100).toString());
    assertEquals(
        ExtendedCommunity.routeTarget(65000, 0x1000_0000L | (3L << 24) | 0xFF_FFFF),
        RouteTargets.auto(65000, 0xFF_FFFF, 3));
    assertTrue(RouteTargets.isAuto(RouteTargets.auto(1, 5)));
    assertEquals(5, RouteTargets.vni(RouteTargets.auto(1, 5)));
    assertFalse(RouteTargets.isAuto(ExtendedCommunity.parse("target:1111:11")));
    assertThrows(IllegalArgumentException.class, () -> RouteTargets.auto(1, 1 << 24));
  }

  @Test
  void rfc8365_5_1_2_1_autoTargetsNeedATwoOctetAs() {
    // the RFC derives targets from a two-octet AS; with a four-octet one they are configured, never
    // truncated
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> RouteTargets.auto(4_200_000_000L, 7));
    assertTrue(String.valueOf(e.getMessage()).contains("two-octet"), e::getMessage);
    InvalidConfigException c =
        assertThrows(
            InvalidConfigException.class,
            () ->
                VtepConfig.parse(
                    """
        routing-options { autonomous-system 4200000000; }
        switch-options { vtep-source-interface lo0.0; route-distinguisher 10.0.0.1:1; vrf-target auto; }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 ]; } }
        """));
    assertTrue(
        c.problems().toString().contains("vrf-target auto with the four-octet AS 4200000000"),
        () -> c.problems().toString());
    assertTrue(c.problems().get(0).line() == 2, () -> c.problems().toString());
    // with the targets configured the same AS is fine
    VtepConfig.parse(
        """
        routing-options { autonomous-system 4200000000; }
        switch-options { vtep-source-interface lo0.0; route-distinguisher 10.0.0.1:1; vrf-target target:4200000000:100; }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 ]; } }
        """);
  }

  @Test
  void theDecksLeafImportsItsPolicysTargetAndTheAutoTargetsOfItsVnis() throws Exception {
    VtepConfig c = VtepConfig.parse(JunosConfigTest.resource("seed-vtep-bms.conf"));
    assertThrows(IllegalArgumentException.class, () -> VrfPolicy.of(c, VtepConfig.DEFAULT_SWITCH));
    VrfPolicy v = VrfPolicy.of(c, VtepConfig.DEFAULT_SWITCH, 65000);
    PolicyResult r = new PolicyResult();
    assertTrue(v.acceptsImport(nlri(ROUTE), attrs("target:1111:11"), r));
    assertEquals("accept (policy imp term 1)", r.toString());
    assertTrue(
        v.acceptsImport(nlri(ROUTE), attrs("target:65000:268435557", "encapsulation:vxlan"), r));
    assertEquals("vrf-target auto", r.policy());
    assertEquals("target:65000:268435557", r.term());
    assertFalse(
        v.acceptsImport(nlri(ROUTE), attrs("target:65000:268435656"), r)); // VNI 200: not ours
    assertEquals("100", r.term());
    // export: VNI routes carry their auto target, per-ES routes the explicit one
    assertEquals(List.of(RouteTargets.auto(65000, 101)), v.exportTargets(101));
    assertEquals(List.of(ExtendedCommunity.parse("target:1111:11")), v.exportTargets(-1));
    assertTrue(v.acceptsExport(nlri(ROUTE), attrs(), r));
  }

  @Test
  void withoutAPolicyAnyImportTargetImports() {
    VtepConfig c =
        VtepConfig.parse(
            """
        routing-options { autonomous-system 65001; }
        switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65001:1; auto; } }
        vlans { v10 { vlan-id 10; vxlan { vni 5010; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
        """);
    VrfPolicy v = VrfPolicy.of(c, VtepConfig.DEFAULT_SWITCH);
    PolicyResult r = new PolicyResult();
    assertTrue(v.acceptsImport(nlri(ROUTE), attrs("target:65001:1"), r));
    assertEquals("vrf-target", r.policy());
    assertTrue(v.acceptsImport(nlri(ROUTE), attrs(RouteTargets.auto(65001, 5010).toString()), r));
    assertEquals("vrf-target auto", r.policy());
    assertFalse(v.acceptsImport(nlri(ROUTE), attrs("target:65001:2"), r));
    assertEquals(
        List.of(ExtendedCommunity.parse("target:65001:1"), RouteTargets.auto(65001, 5010)),
        List.copyOf(v.importTargets()));
  }

  @Test
  void frrsAutoDerivationIsANamedOptionForPeeringWithFrrLeaves() {
    String config =
        """
        routing-options { autonomous-system 65000; }
        switch-options {
            vtep-source-interface lo0.0; route-distinguisher 10.0.0.1:1;
            vrf-target { auto; auto-derivation frr; }
        }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 ]; } }
        """;
    VtepConfig c = VtepConfig.parse(config);
    RoutingInstance sw = c.defaultSwitch();
    assertEquals(RouteTargets.Derivation.FRR, sw.autoDerivation());
    // FRR's form: AS:VNI, which an FRR leaf with `advertise-all-vni` and its defaults puts on its
    // routes
    assertEquals(
        java.util.Set.of(ExtendedCommunity.parse("target:65000:100")), sw.importTargets(65000));
    assertEquals(
        List.of(ExtendedCommunity.parse("target:65000:100")), sw.exportTargets(65000, 100));
    // it renders back and parses equal, in both forms
    assertEquals(c, VtepConfig.parse(c.format()));
    assertEquals(c, VtepConfig.parse(c.toSetCommands()));
    // the default stays RFC 8365's, and an unknown form is a problem at its place
    assertEquals(
        RouteTargets.Derivation.RFC8365,
        VtepConfig.parse(config.replace("auto-derivation frr;", ""))
            .defaultSwitch()
            .autoDerivation());
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () -> VtepConfig.parse(config.replace("auto-derivation frr", "auto-derivation cisco")));
    assertTrue(
        e.problems()
            .toString()
            .contains("unsupported statement \"cisco\": expected type, domain-id, rfc8365 or frr"),
        () -> e.problems().toString());
    // FRR's derivation takes a four-octet AS's low 16 bits, as FRR does
    assertEquals(
        ExtendedCommunity.routeTarget((int) (4_200_000_000L & 0xFFFF), 100),
        RouteTargets.auto(4_200_000_000L, 100, RouteTargets.Derivation.FRR));
  }

  @Test
  void rfc8365_5_1_2_1_theTypeFieldAndDomainOfAutoTargetsAreConfigurable() {
    String config =
        """
        routing-options { autonomous-system 65000; }
        switch-options {
            vtep-source-interface lo0.0; route-distinguisher 10.0.0.1:1;
            vrf-target { auto; auto-derivation { type nvgre; domain-id 3; } }
        }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 ]; } }
        """;
    VtepConfig c = VtepConfig.parse(config);
    RoutingInstance sw = c.defaultSwitch();
    assertEquals(
        RouteTargets.Derivation.RFC8365.withType(RouteTargets.Type.NVGRE).withDomainId(3),
        sw.autoDerivation());
    // A = 0, Type = 2 (NVGRE), D-ID = 3, VSID 100: 0x23000064
    assertEquals(
        List.of(ExtendedCommunity.parse("target:65000:587202660")), sw.exportTargets(65000, 100));
    assertEquals(0x2300_0064L, 587202660L);
    assertEquals(c, VtepConfig.parse(c.format()));
    assertEquals(c, VtepConfig.parse(c.toSetCommands()));
    assertTrue(
        c.toSetCommands().contains("set switch-options vrf-target auto-derivation type nvgre"),
        c::toSetCommands);
    // the default is VXLAN in domain 0, which Junos derives: 0x10000064
    assertEquals(ExtendedCommunity.parse("target:65000:268435556"), RouteTargets.auto(65000, 100));
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class,
            () ->
                VtepConfig.parse(
                    config
                        .replace("type nvgre", "type mpls")
                        .replace("domain-id 3", "domain-id 16")));
    assertEquals(2, e.problems().size(), () -> e.problems().toString());
    InvalidConfigException frr =
        assertThrows(
            InvalidConfigException.class,
            () -> VtepConfig.parse(config.replace("domain-id 3;", "domain-id 3; frr;")));
    assertTrue(
        frr.problems().toString().contains("frr has no type or domain-id"),
        () -> frr.problems().toString());
  }
}
