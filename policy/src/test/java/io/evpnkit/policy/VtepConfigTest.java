package io.evpnkit.policy;

import static java.util.Objects.requireNonNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VtepConfigTest {
  /** An IRB or port name ({@code irb.100}) stands for its interface's unit; others for nothing. */
  @Test
  void aUnitNameIsItsInterfaceAndUnitNumber() {
    VtepConfig c =
        VtepConfig.parse(
            """
            interfaces {
                irb { unit 100 { family inet { address 10.1.0.2/24 { virtual-gateway-address 10.1.0.1; } } } }
                xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; } } }
            }
            """);
    InterfaceConfig.Unit irb = c.unit("irb.100").orElseThrow();
    assertEquals(100, irb.number());
    assertEquals("10.1.0.2/24", irb.addresses().get(0).toString());
    assertEquals(0, c.unit("xe-0/0/1.0").orElseThrow().number());
    for (String none : List.of("irb.101", "irb", "irb.x", "ge-0/0/9.0", ".0", "irb.")) {
      assertFalse(c.unit(none).isPresent(), none);
    }
  }

  /**
   * An IRB's anycast gateway MACs ({@code virtual-gateway-v4-mac}, {@code virtual-gateway-v6-mac}):
   * read, written back, Junos's defaults when not given; a multicast or malformed MAC is refused
   * with its line, as no host can send to it.
   */
  @Test
  void virtualGatewayMacsAreReadWrittenBackAndDefaultToJunoss() {
    VtepConfig c =
        VtepConfig.parse(
            """
            interfaces {
                irb {
                    unit 100 {
                        family inet { address 10.1.0.2/24 { virtual-gateway-address 10.1.0.1; } }
                        family inet6 { address 2001:db8:1::2/64 { virtual-gateway-address 2001:db8:1::1; } }
                        virtual-gateway-v4-mac 00:00:5e:00:01:0a;
                    }
                    unit 101 { family inet6 { address 2001:db8:2::2/64 { virtual-gateway-address 2001:db8:2::1; } } virtual-gateway-v6-mac 02:00:00:00:66:01; }
                }
            }
            """);
    InterfaceConfig.Unit irb100 = c.unit("irb.100").orElseThrow();
    InterfaceConfig.Unit irb101 = c.unit("irb.101").orElseThrow();
    assertEquals(MacAddress.parse("00:00:5e:00:01:0a"), irb100.virtualGatewayV4Mac());
    assertEquals(
        MacAddress.parse("00:00:5e:00:01:0a"),
        irb100.virtualGatewayMac(IpAddress.parse("10.1.0.1")));
    assertEquals(
        InterfaceConfig.Unit.DEFAULT_VIRTUAL_GATEWAY_V6_MAC,
        irb100.virtualGatewayMac(IpAddress.parse("2001:db8:1::1")));
    assertEquals(
        MacAddress.parse("02:00:00:00:66:01"),
        irb101.virtualGatewayMac(IpAddress.parse("2001:db8:2::1")));
    assertEquals(
        InterfaceConfig.Unit.DEFAULT_VIRTUAL_GATEWAY_V4_MAC,
        irb101.virtualGatewayMac(IpAddress.parse("10.1.1.1")));
    assertWrittenBack(c);
    assertTrue(
        c.toSetCommands()
            .contains("set interfaces irb unit 100 virtual-gateway-v4-mac 00:00:5e:00:01:0a"),
        c::toSetCommands);

    List<String> problems =
        problems(
            """
                    interfaces { irb { unit 1 { virtual-gateway-v4-mac 01:00:5e:00:00:01; } } }
                    interfaces { irb { unit 2 { virtual-gateway-v6-mac 00:00:5e:00:02; } } }
                    """);
    assertEquals(
        List.of(
            "1:virtual-gateway-v4-mac 01:00:5e:00:00:01 is not a unicast MAC",
            "2:virtual-gateway-v6-mac 00:00:5e:00:02: "),
        problems.stream().map(p -> p.replaceAll("(: ).*", "$1")).toList());
  }

  /** A prefix's address is its network: the host bits of what was parsed are cleared. */
  @Test
  void aPrefixsAddressIsItsNetwork() {
    assertEquals("10.1.0.0", IpPrefix.parse("10.1.0.77/24").address().toString());
    assertEquals("2001:db8:1::", IpPrefix.parse("2001:db8:1::11/64").address().toString());
    assertEquals("0.0.0.0", IpPrefix.parse("10.1.0.77/0").address().toString());
    assertEquals("10.1.0.77", IpPrefix.parse("10.1.0.77").address().toString());
  }

  @Test
  void theDecksSampleGivesTheExpectedModel() throws IOException {
    VtepConfig c =
        VtepConfig.from(JunosConfig.parse(JunosConfigTest.resource("seed-vtep-bms.conf")));
    RoutingInstance v = c.defaultSwitch();
    assertEquals(List.of("v100", "v101"), List.copyOf(v.vlans().keySet()));
    assertEquals(new Vlan("v101", 101, 101, true, null), v.vlans().get("v101"));
    assertEquals("lo0.0", v.vtepSourceInterface());
    assertEquals("1.2.3.11:1", String.valueOf(v.routeDistinguisher()));
    assertEquals(List.of("imp"), v.vrfImport());
    assertEquals(List.of(ExtendedCommunity.parse("target:1111:11")), v.vrfTargets());
    assertTrue(v.vrfTargetAuto());
    assertEquals("vxlan", v.evpn().encapsulation());
    assertEquals(List.of(100, 101), v.evpn().extendedVnis());
    InterfaceConfig.Unit xe =
        requireNonNull(requireNonNull(c.interfaces().get("xe-0/0/0")).units().get(0));
    assertEquals("trunk", xe.interfaceMode());
    assertEquals(List.of("v100", "v101"), xe.vlanMembers());
    PolicyStatement imp = requireNonNull(c.policyOptions().policies().get("imp"));
    assertEquals(List.of("1", "100"), imp.terms().stream().map(Term::name).toList());
    assertEquals(
        List.of("target:1111:11"),
        requireNonNull(c.policyOptions().communities().get("comglobal")).members());
    // auto: RFC 8365 §5.1.2.1 targets of both VNIs beside the explicit one
    assertEquals(
        List.of("target:1111:11", "target:65000:268435556", "target:65000:268435557"),
        v.importTargets(65000).stream().map(Object::toString).toList());
    assertWrittenBack(c);
  }

  @Test
  void everyProblemIsReportedWithItsPlace() {
    String text =
        """
        vlans {
            v100 { vlan-id 100; vxlan { vni 100; } }
            v101 { vlan-id 100; vxlan { vni 16777216; } }
        }
        switch-options { route-distinguisher 1.2.3.11; vrf-import nope; vrf-target target:x:1; }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 300 ]; } }
        """;
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> VtepConfig.from(JunosConfig.parse(text)));
    List<String> problems =
        e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.reason()).toList();
    assertEquals(6, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith("3:20 vlan-id 100 is also VLAN v100's"), problems::toString);
    assertTrue(
        problems.get(1).startsWith("3:37 vni 16777216: expected a number"), problems::toString);
    assertTrue(problems.get(2).contains("route-distinguisher"), problems::toString);
    assertTrue(
        problems.get(3).contains("vrf-import nope: no such policy-statement"), problems::toString);
    assertTrue(problems.get(4).contains("vrf-target"), problems::toString);
    assertTrue(
        problems.get(5).startsWith("6:65 extended-vni-list 300: no VLAN has this VNI"),
        problems::toString);
  }

  @Test
  void rfc7432_6_1_aVlanBasedInstanceHasOneVlan() {
    String text =
        """
        routing-instances {
            EVI { instance-type mac-vrf; service-type vlan-based; route-distinguisher 1.1.1.1:1;
                  vrf-target target:1:1; protocols { evpn { encapsulation vxlan; } }
                  vlans { v1 { vlan-id 1; vxlan { vni 100; } } v2 { vlan-id 2; vxlan { vni 200; } } } }
        }
        """;
    List<String> problems = problems(text);
    assertEquals(
        List.of("2:service-type vlan-based: an instance of one VLAN (this one has 2)"), problems);
    RoutingInstance one =
        java.util.Objects.requireNonNull(
            VtepConfig.parse(text.replace(" v2 { vlan-id 2; vxlan { vni 200; } }", ""))
                .instances()
                .get("EVI"));
    assertEquals("vlan-based", one.serviceType());
  }

  @Test
  void interfacesAndRoutingInstancesAreValidatedToo() {
    String text =
        """
        interfaces {
            ae0 { esi { 00:01:01:01:01:01:01:01:01:01; all-active; } unit 0; }
            ae1 { esi { 00:01:01:01:01:01:01:01:01:01; } unit 0; }
            ae2 { esi all-active; }
            xe-0/0/1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members [ v1 v2 ]; } } } }
            xe-0/0/2 { unit 0 { family ethernet-switching { vlan { members v9; } } } }
            irb { unit 1 { family inet { address 10.0.0.1/24 { virtual-gateway-address 2001:db8::1; } } } }
        }
        vlans {
            v1 { vlan-id 1; l3-interface irb.2; vxlan { vni 100; } }
            v2 { vlan-id 2; vxlan { vni 200; } }
        }
        protocols { evpn { extended-vni-list all; extended-vni-list 100; } }
        routing-instances {
            R1 { route-distinguisher 1.1.1.1:1; }
            R2 { instance-type mac-vrf; interface ae0.0; vlans { v3 { vlan-id 3; vxlan { vni 100; } } } }
            R3 { instance-type vrf; interface ae0.0; route-distinguisher 1.1.1.1:3; vrf-target target:1:3;
                 protocols { evpn { ip-prefix-routes { vni 200; } } } }
        }
        """;
    List<String> problems = problems(text);
    List<String> expected =
        List.of(
            "3:esi 00:01:01:01:01:01:01:01:01:01 is also interface ae0's",
            "4:interface ae2: esi all-active without an ESI value",
            "5:interface xe-0/0/1.0: an access port belongs to one VLAN",
            "6:vlan members v9: no such VLAN",
            "7:virtual-gateway-address 2001:db8::1 is not of the address's family",
            "10:interface irb.2: no such interface unit",
            "13:extended-vni-list: all and a list of VNIs conflict",
            "15:routing instance R1 needs an instance-type",
            "16:routing instance R2 needs a route-distinguisher",
            "16:routing instance R2 needs vrf-target, or vrf-import and vrf-export",
            "16:vni 100 is also default-switch VLAN v1's",
            "17:interface ae0.0 is already in another routing instance (line 16)",
            "18:vni 200 is also default-switch VLAN v2's");
    assertEquals(String.join("\n", expected), String.join("\n", problems));
  }

  @Test
  @SuppressWarnings("NullAway") // map lookups of names the text defines
  void designatedForwarderElectionTypesAreReadAndWrittenBack() {
    String text =
        """
        interfaces {
            ae0 { esi { 00:01:01:01:01:01:01:01:01:01; all-active; df-election-type hrw; } }
            ae1 { esi { 00:02:02:02:02:02:02:02:02:02; all-active; df-election-type { preference { value 250; } } } }
            ae2 { esi { 00:03:03:03:03:03:03:03:03:03; all-active; } }
            ae3 { esi { 00:04:04:04:04:04:04:04:04:04; all-active;
                        df-election-type { preference { value 300; non-revertive; } } } }
            ae4 { esi { 00:05:05:05:05:05:05:05:05:05; all-active; df-election-type { lowest-preference { value 9; } }
                        ac-influenced-df; } }
        }
        """;
    VtepConfig c = VtepConfig.parse(text);
    assertEquals(
        DfElection.preference(300).withNonRevertive(), c.interfaces().get("ae3").dfElection());
    assertEquals(
        DfElection.lowestPreference(9).withAcInfluence(), c.interfaces().get("ae4").dfElection());
    assertTrue(
        c.toSetCommands()
            .contains("set interfaces ae3 esi df-election-type preference non-revertive"),
        c::toSetCommands);
    assertEquals(DfElection.hrw(), c.interfaces().get("ae0").dfElection());
    assertEquals(DfElection.preference(250), c.interfaces().get("ae1").dfElection());
    assertEquals(
        DfElection.MODULO, c.interfaces().get("ae2").dfElection(), "modulo when not configured");
    assertWrittenBack(c);
    assertTrue(
        c.toSetCommands().contains("set interfaces ae1 esi df-election-type preference value 250"),
        c::toSetCommands);
    List<String> problems =
        problems(
            """
        interfaces { ae0 { esi { 00:01:01:01:01:01:01:01:01:01; df-election-type { preference { value 70000; } } } }
                     ae1 { esi { 00:02:02:02:02:02:02:02:02:02; df-election-type random; } } }
        """);
    assertEquals(
        List.of(
            "1:DF preference 70000: expected a number in 0..65535",
            "2:unsupported statement \"random\": expected mod, hrw, preference or lowest-preference"),
        problems);
  }

  @Test
  void statementsOutsideTheModelAreKeptRenderedBackAndPlaced() {
    String text =
        """
        routing-options { router-id 10.0.0.1; autonomous-system 65000; static { route 0.0.0.0/0 next-hop 10.0.0.254; } }
        protocols {
            bgp { group fabric { type internal; export leaf-out; neighbor 10.0.0.100 { bfd-liveness-detection { minimum-interval 300; } } } }
            ospf { area 0.0.0.0 { interface lo0.0 passive; } }
            evpn { encapsulation vxlan; extended-vni-list [ 100 ]; }
        }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        switch-options { route-distinguisher 10.0.0.1:1; vrf-target target:65000:1; }
        foo { bar baz; }
        """;
    VtepConfig c = VtepConfig.parse(text);
    assertEquals(
        List.of(
            "foo bar baz (line 9, column 11)",
            "protocols bgp group fabric export leaf-out (line 3, column 48)",
            "protocols bgp group fabric neighbor 10.0.0.100 bfd-liveness-detection minimum-interval"
                + " 300 (line 3, column 122)",
            "protocols ospf area 0.0.0.0 interface lo0.0 passive (line 4, column 43)",
            "routing-options static route 0.0.0.0/0 next-hop 10.0.0.254 (line 1, column 98)"),
        c.uninterpreted().stream().map(String::valueOf).toList());
    // rendered back where they were, and read back equal (equality is by path)
    String curly = c.format();
    assertTrue(curly.contains("    bgp {\n        group fabric {\n"), curly);
    assertTrue(
        c.toSetCommands().contains("set protocols bgp group fabric export leaf-out"),
        c::toSetCommands);
    // the group itself is modelled
    assertEquals(1, c.bgpGroups().size());
    assertEquals(BgpGroup.Type.INTERNAL, c.bgpGroups().get(0).type());
    assertEquals(
        List.of(new BgpGroup.Neighbor(io.evpnkit.evpn.IpAddress.parse("10.0.0.100"), -1)),
        c.bgpGroups().get(0).neighbors());
    assertEquals(c, VtepConfig.parse(curly));
    assertEquals(c, VtepConfig.parse(c.toSetCommands()));
    // what the model interprets stays interpreted
    assertTrue(
        VtepConfig.interprets(List.of("routing-instances", "T5", "protocols", "evpn", "vni")));
    assertFalse(
        VtepConfig.interprets(List.of("routing-instances", "T5", "protocols", "bgp", "group")));
    assertFalse(VtepConfig.interprets(List.of("routing-options", "static")));
  }

  @Test
  void anUnknownKeywordInsideAnInterpretedHierarchyIsAnErrorListingTheExpectedOnes() {
    List<String> problems =
        problems(
            """
                    switch-options { route-distinguisher 10.0.0.1:1; vrf-targte target:65000:1; }
                    vlans { v100 { vlan-id 100; vxlan { vni 100; } mtu 9000; } }
                    protocols { evpn { encapsulation vxlan; extended-vni-lst 100; } }
                    """);
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.startsWith("1:unsupported statement \"vrf-targte\": expected")
                        && p.contains("vrf-target")),
        problems::toString);
    assertTrue(
        problems.stream()
            .anyMatch(
                p ->
                    p.equals(
                        "2:unsupported statement \"mtu\": expected vlan-id, l3-interface, vxlan or"
                            + " description")),
        problems::toString);
    assertTrue(
        problems.stream()
            .anyMatch(
                p -> p.startsWith("3:") && p.contains("expected encapsulation, extended-vni-list")),
        problems::toString);
  }

  /** The configuration reads back equal from its curly-brace text and from its set commands. */
  private static void assertWrittenBack(VtepConfig c) {
    assertEquals(c, VtepConfig.parse(c.format()), c::format);
    assertEquals(c, VtepConfig.parse(c.toSetCommands()), c::toSetCommands);
  }

  /** The problems {@code text} is refused with, as {@code line:reason}. */
  private static List<String> problems(String text) {
    InvalidConfigException e =
        assertThrows(InvalidConfigException.class, () -> VtepConfig.parse(text));
    return e.problems().stream().map(p -> p.line() + ":" + p.reason()).toList();
  }
}
