package io.evpnkit.vxlan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.testing.EqualsTester;
import org.junit.jupiter.api.Test;

class VxlanTunnelTest {
  @Test
  void equalityCoversEveryOption() {
    new EqualsTester()
        .addEqualityGroup(VxlanEncapsulatorTest.v4().build(), VxlanEncapsulatorTest.v4().build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().vlan(7, 0).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().ttl(9).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().inheritDscp().build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().ecnMode(EcnMode.COMPATIBILITY).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().sourcePortRange(1024, 2047).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().destinationPort(8472).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v6().build())
        .addEqualityGroup(VxlanEncapsulatorTest.v6().ipv6ZeroChecksum(true).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v6().ipv6FlowLabel(false).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().groupPolicy(5, false, false).build())
        .addEqualityGroup(VxlanEncapsulatorTest.v4().gpe(VxlanHeader.GPE_NEXT_IPV4).build())
        .testEquals();
  }

  @Test
  void headerLengthsFollowTheLayers() {
    assertEquals(50, VxlanEncapsulatorTest.v4().build().headerLength());
    assertEquals(54, VxlanEncapsulatorTest.v4().vlan(1, 0).build().headerLength());
    assertEquals(70, VxlanEncapsulatorTest.v6().build().headerLength());
    assertEquals(74, VxlanEncapsulatorTest.v6().vlan(1, 0).build().headerLength());
    assertEquals(
        "VxlanTunnel[2001:db8::1 -> 2001:db8::2, VXLAN, port 4789]",
        VxlanEncapsulatorTest.v6().build().toString());
  }

  @Test
  void rejectsInconsistentOrOutOfRangeSettings() {
    assertThrows(
        IllegalStateException.class,
        () -> VxlanTunnel.builder().source("192.0.2.1").destination("::1").build());
    assertThrows(
        IllegalStateException.class, () -> VxlanTunnel.builder().source("192.0.2.1").build());
    assertThrows(IllegalArgumentException.class, () -> VxlanTunnel.builder().ttl(0));
    assertThrows(IllegalArgumentException.class, () -> VxlanTunnel.builder().dscp(64));
    assertThrows(IllegalArgumentException.class, () -> VxlanTunnel.builder().vlan(4096, 0));
    assertThrows(
        IllegalArgumentException.class, () -> VxlanTunnel.builder().sourcePortRange(2000, 1000));
    assertThrows(
        IllegalArgumentException.class, () -> VxlanTunnel.builder().source("not-an-address"));
  }
}
