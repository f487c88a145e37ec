package io.evpnkit.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.policy.JunosSchema.Field;
import io.evpnkit.policy.JunosSchema.Match;
import io.evpnkit.policy.JunosSchema.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The one schema of the Junos hierarchies: every field of the model is reached by some statement,
 * whatever the model renders walks back to a match, unknown keywords list what the schema expects
 * at their place, and the statements it keeps are named by where they leave it.
 */
class JunosSchemaTest {
  private static String everyStatement() throws IOException {
    try (InputStream in =
        Objects.requireNonNull(
            JunosSchemaTest.class.getResourceAsStream("/every-statement.conf"))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static Result walk(String set) {
    JunosConfig c = JunosConfig.parse(set);
    assertEquals(1, c.statements().size(), set);
    return JunosSchema.walk(c.statements().get(0));
  }

  @Test
  void aConfigurationWithEveryStatementReachesEveryFieldOfTheSchema() throws IOException {
    JunosConfig config = JunosConfig.parse(everyStatement());
    List<ConfigException> problems = new ArrayList<>();
    List<Match> matches = JunosSchema.walk(config.statements(), problems, null);
    assertEquals(List.of(), problems);
    Set<Field> reached = EnumSet.noneOf(Field.class);
    // a routing instance's name alone is not a valid instance, so it is walked on its own
    reached.add(Objects.requireNonNull(walk("set routing-instances R9").match()).field());
    reached.add(Objects.requireNonNull(walk("set protocols bgp group g9").match()).field());
    matches.forEach(m -> reached.add(m.field()));
    Set<Field> missing = EnumSet.allOf(Field.class);
    missing.removeAll(reached);
    assertEquals(Set.of(), missing, "fields no statement of every-statement.conf sets");
  }

  @Test
  void everyStatementTheModelRendersWalksBackToAMatch() throws IOException {
    VtepConfig model = VtepConfig.parse(everyStatement());
    for (JunosConfig.Statement s : model.toJunosConfig().statements()) {
      Result r = JunosSchema.walk(s);
      assertNull(r.problem(), () -> s + ": " + r.problem());
      if (VtepConfig.interprets(s.words())) {
        assertTrue(
            r.match() != null || s.words().size() <= 3, () -> s + " sets nothing in the model");
      } else {
        assertTrue(
            model.uninterpreted().stream().anyMatch(u -> u.path().equals(s.words())), s::toString);
      }
    }
    assertEquals(model, VtepConfig.parse(model.format()));
    assertEquals(model, VtepConfig.parse(model.toSetCommands()));
  }

  @Test
  void aMatchNamesTheListsOnItsPathAndNeverAWordPosition() {
    Match m = walk("set routing-instances T5 vlans v1 vxlan vni 100").match();
    assertNotNull(m);
    assertEquals(Field.VNI, m.field());
    assertEquals("T5", m.key(JunosSchema.INSTANCE_NAME));
    assertEquals("v1", m.key(JunosSchema.VLAN_NAME));
    assertEquals(100, m.intValue());
    // the same leaf in the default switch has no instance
    Match d = walk("set vlans v1 vxlan vni 100").match();
    assertNotNull(d);
    assertEquals(Field.VNI, d.field());
    assertNull(d.key(JunosSchema.INSTANCE_NAME));
    Match address =
        walk("set interfaces irb unit 100 family inet6 address 2001:db8::1/64 virtual-gateway-address 2001:db8::ff")
            .match();
    assertNotNull(address);
    assertEquals(Field.VIRTUAL_GATEWAY_ADDRESS, address.field());
    assertEquals("2001:db8::1/64", address.key(JunosSchema.INET6_ADDRESS));
    assertEquals("100", address.key(JunosSchema.UNIT));
    Match condition =
        walk("set policy-options policy-statement p term t from route-filter 10.0.0.0/8 upto /24")
            .match();
    assertNotNull(condition);
    assertEquals(Field.FROM, condition.field());
    assertEquals(List.of("route-filter", "10.0.0.0/8", "upto", "/24"), condition.values());
    assertEquals("t", condition.key(JunosSchema.TERM_NAME));
  }

  @Test
  void anUnknownKeywordListsTheKeywordsTheSchemaExpectsThere() {
    assertEquals(
        "unsupported statement \"vxaln\": expected vlan-id, l3-interface, vxlan or description",
        Objects.requireNonNull(walk("set vlans v1 vxaln vni 1").problem()).reason());
    assertEquals(
        "unsupported statement \"auto-derivaton\": expected auto, auto-derivation or a route target",
        Objects.requireNonNull(walk("set switch-options vrf-target auto-derivaton frr").problem())
            .reason());
    assertTrue(
        Objects.requireNonNull(walk("set policy-options policy-statement p then sing").problem())
            .reason()
            .startsWith("unknown action \"sing\": expected accept, reject, next, community"));
    assertTrue(
        Objects.requireNonNull(
                walk("set policy-options policy-statement p from colour red").problem())
            .reason()
            .startsWith("unknown condition \"colour\": expected family, protocol, community"));
    assertEquals(
        "vlan-id 5000: expected a number in 1..4094",
        Objects.requireNonNull(walk("set vlans v1 vlan-id 5000").problem()).reason());
    assertEquals(
        "vlan-id takes one value, not \"1 2\"",
        Objects.requireNonNull(walk("set vlans v1 vlan-id 1 2").problem()).reason());
    assertEquals(
        "unit needs a number in 0..1073741823",
        Objects.requireNonNull(walk("set interfaces ae0 unit").problem()).reason());
    assertEquals(
        "ingress-node-replication takes no value, not \"yes\"",
        Objects.requireNonNull(walk("set vlans v1 vxlan ingress-node-replication yes").problem())
            .reason());
  }

  @Test
  void whatTheModelDoesNotInterpretIsNamedWhereItLeavesTheSchema() {
    List<ConfigException> problems = new ArrayList<>();
    List<UninterpretedStatement> kept = new ArrayList<>();
    JunosSchema.walk(
        JunosConfig.parse(
                """
                set protocols bgp group fabric export leaf-out
                set routing-instances T5 protocols ospf area 0
                set interfaces ae0 unit 0 description "uplink to spine"
                set vlans v1 description hosts
                set system host-name leaf1
                """)
            .statements(),
        problems,
        kept);
    assertEquals(List.of(), problems);
    assertEquals(
        List.of(
            "protocols bgp group fabric export leaf-out",
            "routing-instances T5 protocols ospf area 0",
            "interfaces ae0 unit 0 description",
            "vlans v1 description",
            "system host-name leaf1"),
        kept.stream().map(UninterpretedStatement::hierarchy).toList());
  }

  @Test
  void theInterpretedHierarchiesComeFromTheSchema() {
    assertEquals(
        List.of(
            List.of("routing-options", "autonomous-system"),
            List.of("routing-options", "router-id"),
            List.of("interfaces"),
            List.of("switch-options"),
            List.of("vlans"),
            List.of("protocols", "evpn"),
            List.of("protocols", "bgp"),
            List.of("policy-options"),
            List.of("routing-instances", "*")),
        VtepConfig.INTERPRETED);
    assertTrue(VtepConfig.interprets(List.of("routing-instances", "T5", "vlans", "v1")));
    assertFalse(VtepConfig.interprets(List.of("routing-instances", "T5", "protocols", "bgp")));
    assertFalse(VtepConfig.interprets(List.of("interfaces", "ae0", "mtu", "9000")));
  }

  @Test
  void theLayoutOfEachHierarchyComesFromTheSchema() {
    String text =
        """
        set interfaces ae0 esi 00:11:22:33:44:55:66:77:88:99
        set interfaces ae0 esi all-active
        set interfaces ae0 unit 0 family ethernet-switching vlan members v1
        set interfaces ae0 unit 0 family ethernet-switching vlan members v2
        set switch-options vrf-target target:65000:1
        set vlans v1 vxlan vni 1
        set policy-options community c members target:1:1
        set policy-options community c members target:1:2
        set policy-options policy-statement p term t from community c
        set policy-options policy-statement p term t then community add c
        set policy-options policy-statement p term t then accept
        set protocols bgp group fabric neighbor 10.0.0.2
        """;
    assertEquals(
        """
        interfaces {
            ae0 {
                esi {
                    00:11:22:33:44:55:66:77:88:99;
                    all-active;
                }
                unit 0 {
                    family ethernet-switching {
                        vlan {
                            members [ v1 v2 ];
                        }
                    }
                }
            }
        }
        switch-options {
            vrf-target target:65000:1;
        }
        vlans {
            v1 {
                vxlan {
                    vni 1;
                }
            }
        }
        policy-options {
            community c members [ target:1:1 target:1:2 ];
            policy-statement p {
                term t {
                    from community c;
                    then {
                        community add c;
                        accept;
                    }
                }
            }
        }
        protocols {
            bgp {
                group fabric {
                    neighbor 10.0.0.2;
                }
            }
        }
        """,
        JunosConfig.parse(text).format());
  }
}
