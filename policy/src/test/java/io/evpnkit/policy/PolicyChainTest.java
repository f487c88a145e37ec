package io.evpnkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.PathAttributes;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyChainTest {
  static final String MAC_IP = "2:10.255.0.1:100::0::00:00:0a:0b:0c:0e::10.0.0.5/304";
  static final String MAC_ONLY = "2:10.255.0.1:100::0::00:00:0a:0b:0c:0d/304";
  static final String IMET = "3:10.255.0.1:100::0::10.255.0.1/304";
  static final String PREFIX = "5:10.255.0.1:5000::0::10.1.0.0::24/248";

  static EvpnNlri nlri(String junos) {
    byte[] bytes = EvpnRoutes.toBytes(EvpnRoutes.parseJunos(junos));
    return new EvpnNlri().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
  }

  static PathAttributes attrs(String... communities) {
    PathAttributes.Builder b = PathAttributes.builder().nextHop(IpAddress.parse("10.255.0.1"));
    for (String c : communities) {
      if (c.startsWith("large:")) {
        b.addLargeCommunity(LargeCommunity.parse(c.substring(6)));
      } else if (Character.isDigit(c.charAt(0)) || c.startsWith("no-")) {
        b.addCommunity(Communities.parse(c));
      } else {
        b.addExtendedCommunity(ExtendedCommunity.parse(c));
      }
    }
    return b.build();
  }

  static PolicyChain chain(String policyOptions, String... names) {
    return PolicyChain.compile(
        PolicyOptions.from(JunosConfig.parse(policyOptions)), List.of(names), false);
  }

  static String decide(PolicyChain chain, String route, PathAttributes a) {
    PolicyResult r = new PolicyResult();
    chain.evaluate(Protocol.BGP, nlri(route), a, r);
    return r.toString();
  }

  @Test
  void theDecksImportPolicyAcceptsTheGlobalTargetAndRejectsTheRest() throws Exception {
    VtepConfig c = VtepConfig.parse(JunosConfigTest.resource("seed-vtep-bms.conf"));
    PolicyChain imp = PolicyChain.compile(c.policyOptions(), c.defaultSwitch().vrfImport(), false);
    assertEquals(
        "accept (policy imp term 1)",
        decide(imp, MAC_IP, attrs("target:1111:11", "encapsulation:vxlan")));
    assertEquals("reject (policy imp term 100)", decide(imp, MAC_IP, attrs("target:1111:12")));
    assertEquals("reject (policy imp term 100)", decide(imp, IMET, attrs()));
  }

  @Test
  void membersOfOneCommunityAreAllNeededAndCommunitiesOfATermAreAlternatives() {
    PolicyChain p =
        chain(
            """
        policy-options {
            community both members [ target:65001:100 encapsulation:vxlan ];
            community other members 65001:7;
            policy-statement p {
                term t { from community [ both other ]; then accept; }
            }
        }
        """,
            "p");
    assertEquals(
        "accept (policy p term t)",
        decide(p, MAC_IP, attrs("target:65001:100", "encapsulation:vxlan")));
    assertEquals("reject (default action)", decide(p, MAC_IP, attrs("target:65001:100")));
    assertEquals("accept (policy p term t)", decide(p, MAC_IP, attrs("65001:7")));
  }

  @Test
  void invertMatchExpressionsWildcardsAndTheNumericForm() {
    PolicyChain p =
        chain(
            """
        set policy-options community not-blue invert-match
        set policy-options community not-blue members target:65001:100
        set policy-options community any-65001 members "target:65001:*"
        set policy-options community std members "^6500[0-9]:1..$"
        set policy-options community numeric members 2:65001:5000
        set policy-options community big members large:65001:1:2
        set policy-options policy-statement p term a from community numeric
        set policy-options policy-statement p term a then accept
        set policy-options policy-statement p term b from community big
        set policy-options policy-statement p term b then accept
        set policy-options policy-statement p term c from community std
        set policy-options policy-statement p term c then accept
        set policy-options policy-statement p term d from community not-blue
        set policy-options policy-statement p term d then reject
        set policy-options policy-statement p term e from community any-65001
        set policy-options policy-statement p term e then accept
        """,
            "p");
    assertEquals("accept (policy p term a)", decide(p, MAC_IP, attrs("target:65001:5000")));
    assertEquals("accept (policy p term b)", decide(p, MAC_IP, attrs("large:65001:1:2")));
    assertEquals("accept (policy p term c)", decide(p, MAC_IP, attrs("65003:123")));
    assertEquals("reject (policy p term d)", decide(p, MAC_IP, attrs("65003:99")));
    assertEquals("accept (policy p term e)", decide(p, MAC_IP, attrs("target:65001:100")));
    // the expression's verdicts are remembered per value: asking again gives the same answer
    assertEquals("accept (policy p term e)", decide(p, MAC_IP, attrs("target:65001:100")));
  }

  @Test
  void evpnConditions() {
    PolicyChain p =
        chain(
            """
        policy-options {
            prefix-list servers { 10.0.0.0/29; }
            prefix-list nets { 10.1.0.0/16; }
            mac-list gw { 00:00:5e:00:01:01; 00:00:0a:0b:0c:0d; }
            route-distinguisher rd100 members [ 10.255.0.1:100 ];
            policy-statement p {
                term host { from { prefix-list-filter servers orlonger; evpn-mac-route mac-ipv4; } then accept; }
                term mac { from { mac-filter-list gw; nlri-route-type 2; } then { local-preference 300; accept; } }
                term imet { from { nlri-route-type 3; route-distinguisher rd100; evpn-tag 0; } then accept; }
                term t5 { from { route-filter 10.1.0.0/16 longer; next-hop 10.255.0.1; } then accept; }
                term t5-exact { from prefix-list-filter nets orlonger; then reject; }
            }
        }
        """,
            "p");
    assertEquals("accept (policy p term host)", decide(p, MAC_IP, attrs()));
    assertEquals("accept (policy p term mac)", decide(p, MAC_ONLY, attrs()));
    assertEquals("accept (policy p term imet)", decide(p, IMET, attrs()));
    assertEquals("accept (policy p term t5)", decide(p, PREFIX, attrs()));
    assertEquals(
        "reject (policy p term t5-exact)",
        decide(p, "5:10.255.0.1:5000::0::10.1.0.0::16/248", attrs()));
    assertEquals(
        "reject (default action)", decide(p, "3:10.255.0.1:101::0::10.255.0.1/304", attrs()));
  }

  @Test
  void routeFilterMatchTypes() {
    String[] types = {"exact", "orlonger", "longer", "upto /26", "prefix-length-range /25-/26"};
    boolean[][] expected = { // for /24, /25, /27 under 10.1.0.0/24
      {true, false, false},
      {true, true, true},
      {false, true, true},
      {true, true, false},
      {false, true, false}
    };
    for (int t = 0; t < types.length; t++) {
      PolicyChain p =
          chain(
              "set policy-options policy-statement p from route-filter 10.1.0.0/24 "
                  + types[t]
                  + "\nset policy-options policy-statement p then accept",
              "p");
      String[] lengths = {"10.1.0.0::24", "10.1.0.128::25", "10.1.0.32::27"};
      for (int l = 0; l < lengths.length; l++) {
        PolicyResult r = new PolicyResult();
        boolean accepted =
            p.evaluate(Protocol.BGP, nlri("5:1.1.1.1:1::0::" + lengths[l] + "/248"), attrs(), r);
        assertEquals(expected[t][l], accepted, types[t] + " " + lengths[l]);
      }
    }
  }

  @Test
  void actionsAccumulateInOrderAndFlowControlFollowsJunos() {
    PolicyChain p =
        chain(
            """
        policy-options {
            community blue members target:65001:100;
            community red members target:65001:200;
            community all-targets members "target:*:*";
            community tag members 65001:1;
            policy-statement first {
                term mark { then { community add red; local-preference add 50; metric 7; } }
                term skip { from community blue; then next policy; }
                term end { then reject; }
            }
            policy-statement second {
                term clean { then { community delete all-targets; community add tag; origin incomplete; accept; } }
            }
        }
        """,
            "first",
            "second");
    PolicyResult r = new PolicyResult();
    PathAttributes in = attrs("target:65001:100").toBuilder().localPref(100).build();
    assertTrue(p.evaluate(Protocol.BGP, nlri(MAC_IP), in, r));
    assertEquals("second", r.policy());
    assertEquals("clean", r.term());
    PathAttributes out = r.apply(in);
    assertEquals(150, out.localPref());
    assertEquals(7, out.med());
    assertEquals(2, out.origin());
    assertEquals(0, out.extendedCommunityCount()); // red added, then every target deleted
    assertEquals(List.of(Communities.parse("65001:1")), List.of(out.community(0)));
    assertFalse(p.evaluate(Protocol.BGP, nlri(MAC_IP), attrs("target:65001:300"), r));
    assertEquals("end", r.term());
  }

  @Test
  void communitySetReplacesEveryKindAndNothingChangedKeepsTheInstance() {
    PolicyChain p =
        chain(
            """
        policy-options {
            community only members [ target:1:1 65000:1 ];
            policy-statement p { term a { then { community set only; accept; } } }
            policy-statement q { term a { then accept; } }
        }
        """,
            "p");
    PolicyResult r = new PolicyResult();
    PathAttributes in = attrs("target:9:9", "65001:2", "large:1:2:3");
    p.evaluate(Protocol.BGP, nlri(MAC_IP), in, r);
    PathAttributes out = r.apply(in);
    assertEquals(List.of(ExtendedCommunity.parse("target:1:1")), out.extendedCommunities());
    assertEquals(1, out.communityCount());
    assertEquals(List.of(), out.largeCommunities());
    PolicyChain q =
        PolicyChain.compile(
            PolicyOptions.from(
                JunosConfig.parse(
                    """
        policy-options { policy-statement q { term a { then accept; } } }
        """)),
            List.of("q"),
            false);
    q.evaluate(Protocol.BGP, nlri(MAC_IP), in, r);
    assertSame(in, r.apply(in));
  }

  @Test
  void localPreferenceArithmeticIsClamped() {
    PolicyChain p =
        chain(
            "set policy-options policy-statement p then local-preference subtract 500\n"
                + "set policy-options policy-statement p then accept",
            "p");
    PolicyResult r = new PolicyResult();
    p.evaluate(Protocol.BGP, nlri(MAC_IP), attrs().toBuilder().localPref(100).build(), r);
    assertEquals(0, r.localPref());
    assertEquals("", r.term());
  }

  @Test
  void protocolFamilyAndTheDefaultAction() {
    PolicyOptions o =
        PolicyOptions.from(
            JunosConfig.parse(
                """
        policy-options {
            policy-statement local { term l { from { protocol evpn; family evpn; } then accept; } }
        }
        """));
    PolicyResult r = new PolicyResult();
    assertTrue(
        PolicyChain.compile(o, List.of("local"), false)
            .evaluate(Protocol.EVPN, nlri(IMET), attrs(), r));
    assertFalse(
        PolicyChain.compile(o, List.of("local"), false)
            .evaluate(Protocol.BGP, nlri(IMET), attrs(), r));
    assertNull(r.policy());
    assertTrue(
        PolicyChain.compile(o, List.of("local"), true)
            .evaluate(Protocol.BGP, nlri(IMET), attrs(), r));
    assertThrows(
        IllegalArgumentException.class, () -> PolicyChain.compile(o, List.of("nope"), true));
  }

  @Test
  void badPoliciesAreReportedWithTheirPlace() {
    String text =
        """
        policy-options {
            community re members "target:1:.*";
            community bad members "target:(";
            policy-statement p {
                term a { from community missing; then accept; }
                term b { from route-filter 10.0.0.0/33 exact; then accept; }
                term c { from route-filter 10.0.0.0/8 upto /4; then accept; }
                term d { then community add re; }
                term e { then local-preference lots; }
                term f { from evpn-esi 00:11; then sing; }
            }
        }
        """;
    InvalidConfigException e =
        assertThrows(
            InvalidConfigException.class, () -> PolicyOptions.from(JunosConfig.parse(text)));
    List<String> problems = e.problems().stream().map(x -> x.line() + ":" + x.reason()).toList();
    assertEquals(8, problems.size(), problems::toString);
    assertTrue(
        problems.get(0).startsWith("3:community member target:( is neither"), problems::toString);
    assertTrue(
        problems.get(1).startsWith("5:from community missing: no such community"),
        problems::toString);
    assertTrue(
        problems
            .get(2)
            .startsWith("6:from route-filter 10.0.0.0/33 exact: 10.0.0.0/33 is not a prefix"),
        problems::toString);
    assertTrue(
        problems.get(3).startsWith("7:from route-filter 10.0.0.0/8 upto /4: upto needs"),
        problems::toString);
    assertTrue(
        problems.get(4).contains("regular expressions can only be deleted"), problems::toString);
    assertTrue(problems.get(5).startsWith("9:then local-preference lots"), problems::toString);
    assertTrue(problems.get(6).startsWith("10:from evpn-esi 00:11:"), problems::toString);
    assertTrue(problems.get(7).startsWith("10:unknown action \"sing\""), problems::toString);
  }

  @Test
  void laterTermsSeeThePreferenceAnEarlierTermSet() {
    PolicyChain p =
        chain(
            """
        policy-options {
            policy-statement p {
                term raise { then local-preference 300; }
                term high { from local-preference 300; then { metric 5; accept; } }
            }
        }
        """,
            "p");
    PolicyResult r = new PolicyResult();
    assertTrue(
        p.evaluate(Protocol.BGP, nlri(MAC_IP), attrs().toBuilder().localPref(100).build(), r));
    assertEquals("high", r.term());
    assertEquals(5, r.med());
  }
}
