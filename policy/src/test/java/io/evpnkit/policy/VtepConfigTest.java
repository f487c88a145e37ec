package io.evpnkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.ExtendedCommunity;
import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class VtepConfigTest {
  @Test
  void theSeedSampleGivesTheExpectedModel() throws IOException {
    VtepConfig c = VtepConfig.from(JunosConfig.parse(JunosConfigTest.resource("seed-vtep-bms.conf")));
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
    InterfaceConfig.Unit xe = requireNonNull(requireNonNull(c.interfaces().get("xe-0/0/0")).units().get(0));
    assertEquals("trunk", xe.interfaceMode());
    assertEquals(List.of("v100", "v101"), xe.vlanMembers());
    PolicyStatement imp = requireNonNull(c.policyOptions().policies().get("imp"));
    assertEquals(List.of("1", "100"), imp.terms().stream().map(Term::name).toList());
    assertEquals(List.of("target:1111:11"), requireNonNull(c.policyOptions().communities().get("comglobal")).members());
    // auto: RFC 8365 §5.1.2.1 targets of both VNIs beside the explicit one
    assertEquals(List.of("target:1111:11", "target:65000:268435556", "target:65000:268435557"),
        v.importTargets(65000).stream().map(Object::toString).toList());
    assertEquals(c, VtepConfig.parse(c.format()), c::format);
    assertEquals(c, VtepConfig.parse(c.toSetCommands()));
  }

  @Test
  void everyProblemIsReportedWithItsPlace() {
    String text = """
        vlans {
            v100 { vlan-id 100; vxlan { vni 100; } }
            v101 { vlan-id 100; vxlan { vni 16777216; } }
        }
        switch-options { route-distinguisher 1.2.3.11; vrf-import nope; vrf-target target:x:1; }
        protocols { evpn { encapsulation vxlan; extended-vni-list [ 100 300 ]; } }
        """;
    InvalidConfigException e = assertThrows(InvalidConfigException.class,
        () -> VtepConfig.from(JunosConfig.parse(text)));
    List<String> problems = e.problems().stream().map(p -> p.line() + ":" + p.column() + " " + p.reason()).toList();
    assertEquals(6, problems.size(), problems::toString);
    assertTrue(problems.get(0).startsWith("3:20 vlan-id 100 is also VLAN v100's"), problems::toString);
    assertTrue(problems.get(1).startsWith("3:37 vni 16777216: expected a number"), problems::toString);
    assertTrue(problems.get(2).contains("route-distinguisher"), problems::toString);
    assertTrue(problems.get(3).contains("vrf-import nope: no such policy-statement"), problems::toString);
    assertTrue(problems.get(4).contains("vrf-target"), problems::toString);
    assertTrue(problems.get(5).startsWith("6:65 extended-vni-list 300: no VLAN has this VNI"), problems::toString);
  }
}
