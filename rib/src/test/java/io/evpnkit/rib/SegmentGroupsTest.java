package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.VtepConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The segment groups alone, fed A-D routes and asked where a MAC behind the segment goes: aliasing
 * (RFC 7432 §8.4), backup (§8.4, §14.1.1) and mass withdraw (§8.2), with the groups they leave in
 * the forwarding state.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class SegmentGroupsTest {
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final IpAddress B = IpAddress.parse("10.0.0.2");
  static final IpAddress C = IpAddress.parse("10.0.0.3");
  static final IpAddress D = IpAddress.parse("10.0.0.4");
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");
  static final int VNI = 100;

  final FibState fib = new FibState(List::of);
  final List<SegmentGroups.SegmentKey> repointed = new ArrayList<>();
  final SegmentGroups groups;

  SegmentGroupsTest() {
    VtepConfig config = VtepConfig.parse("vlans { v100 { vlan-id 100; vxlan { vni 100; } } }");
    Instances instances = new Instances(config, 65000);
    LocalSegments local =
        new LocalSegments(
            config,
            instances,
            LOCAL,
            new RibListener() {},
            0,
            0,
            seg -> {},
            (vni, esi, pe) -> true);
    groups = new SegmentGroups(fib, LOCAL, local, repointed::add);
  }

  static RemoteMac mac(IpAddress pe) {
    return new RemoteMac(pe, 0, false, ESI, false);
  }

  List<ForwardingOp.SetGroup> groupsHeld() {
    List<ForwardingOp.SetGroup> out = new ArrayList<>();
    for (ForwardingOp op : fib.fullState()) {
      if (op instanceof ForwardingOp.SetGroup g) {
        out.add(g);
      }
    }
    return out;
  }

  void attach(IpAddress pe, boolean single) {
    groups.perEsRoute(ESI, pe, single, true);
    groups.perEviRoute(VNI, ESI, pe, true);
  }

  @Test
  void rfc7432_8_4_aliasingGroupsThePesWithBothAPerEsAndAPerEviRoute() {
    attach(B, false);
    groups.perEviRoute(VNI, ESI, C, true); // no per-ES route: not a member
    assertEquals(List.of(B), groups.members(new SegmentGroups.SegmentKey(VNI, ESI)));
    groups.perEsRoute(ESI, C, false, true);
    List<ForwardingOp.SetGroup> held = groupsHeld();
    assertEquals(1, held.size());
    assertEquals(
        List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 1)),
        held.get(0).members());
    assertEquals(new Destination.Group(held.get(0).groupId()), groups.destination(VNI, mac(B)));
  }

  @Test
  void rfc7432_8_4_theAdvertisingPeIsAlwaysAmongThePaths() {
    attach(B, false);
    attach(C, false);
    groups.perEsRoute(
        ESI, D, false, true); // D attached, but sent no per-EVI route: no alias of the segment
    Destination d = groups.destination(VNI, mac(D));
    assertTrue(d instanceof Destination.Group);
    ForwardingOp.SetGroup own = null;
    for (ForwardingOp.SetGroup g : groupsHeld()) {
      if (d.equals(new Destination.Group(g.groupId()))) {
        own = g;
      }
    }
    assertEquals(
        List.of(
            new ForwardingOp.Member(B, 1),
            new ForwardingOp.Member(C, 1),
            new ForwardingOp.Member(D, 1)),
        own == null ? null : own.members());
  }

  @Test
  void rfc7432_8_2_massWithdrawDetachesThePeEvenWithoutPerEviRoutes() {
    groups.perEsRoute(ESI, B, false, true);
    groups.perEsRoute(ESI, C, false, true);
    groups.macRoute(VNI, ESI, true);
    assertEquals(new Destination.RemoteVtep(B), groups.destination(VNI, mac(B)));
    repointed.clear();
    groups.perEsRoute(ESI, B, false, false);
    assertFalse(groups.attached(ESI, B));
    assertNull(groups.destination(VNI, mac(B)), "no group to fall back on: unknown unicast floods");
    assertEquals(
        List.of(new SegmentGroups.SegmentKey(VNI, ESI)),
        repointed,
        "the segment's MACs are pointed again");
  }

  @Test
  void rfc7432_8_2_massWithdrawIsOneGroupUpdate() {
    attach(B, false);
    attach(C, false);
    long id = groupsHeld().get(0).groupId();
    fib.drain();
    groups.perEsRoute(ESI, B, false, false);
    List<ForwardingOp> batch = fib.drain();
    assertEquals(
        List.of(new ForwardingOp.SetGroup(id, ESI, VNI, List.of(new ForwardingOp.Member(C, 1)))),
        batch);
    assertEquals(
        new Destination.Group(id),
        groups.destination(VNI, mac(B)),
        "B's MACs go to C through the group");
  }

  @Test
  void rfc7432_14_1_1_singleActiveHasThePrimaryAtWeightOneAndItsBackupAtZero() {
    attach(B, true);
    attach(C, true);
    Destination d = groups.destination(VNI, mac(B));
    ForwardingOp.SetGroup g = groupsHeld().get(0);
    assertEquals(new Destination.Group(g.groupId()), d);
    assertEquals(
        List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 0)), g.members());
    groups.perEsRoute(ESI, B, true, false); // the primary's link failed: its one backup takes over
    assertEquals(List.of(new ForwardingOp.Member(C, 1)), groupsHeld().get(0).members());
  }

  @Test
  void rfc7432_14_1_1_withSeveralBackupsTheMacsFloodUntilTheNewPrimaryAdvertises() {
    attach(B, true);
    attach(C, true);
    attach(D, true);
    assertTrue(groups.destination(VNI, mac(B)) instanceof Destination.Group);
    groups.perEsRoute(ESI, B, true, false);
    assertNull(groups.destination(VNI, mac(B)));
    assertTrue(groups.isSingleActive(ESI));
  }

  @Test
  void weightsPutThePrimaryFirstWhenItIsNoMember() {
    assertEquals(
        List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 0)),
        SegmentGroups.weighted(List.of(C), B));
    assertEquals(
        List.of(new ForwardingOp.Member(B, 1), new ForwardingOp.Member(C, 1)),
        SegmentGroups.weighted(List.of(B, C), null));
  }
}
