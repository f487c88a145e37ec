package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.examples.BgpDecoder;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.Protocol;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.testkit.CapturedPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The realistic leaf and spine configurations of {@code configs/}: each reads into a valid model
 * that renders back equal, and each of its policies decides every route of the live GoBGP/FRR
 * capture as the table below says. The routes are those GoBGP speaker A (AS 65001) announced to FRR
 * over iBGP, decoded from the capture's bytes with evpn-codec, with their real attributes (route
 * targets, encapsulation, router MAC, default gateway, ESI label, MED, local preference,
 * communities and large communities).
 */
class PolicyScenarioTest {
  /** A route of the capture: its NLRI bytes and its attributes. */
  record CapturedRoute(String text, List<Byte> nlri, PathAttributes attributes) {
    EvpnNlri view() {
      byte[] bytes = new byte[nlri.size()];
      for (int i = 0; i < bytes.length; i++) {
        bytes[i] = nlri.get(i);
      }
      return new EvpnNlri().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }
  }

  static List<CapturedRoute> routes() {
    Map<String, CapturedRoute> routes = new LinkedHashMap<>();
    try (BgpDecoder d =
        new BgpDecoder(true, line -> {})
            .onUpdate(
                (sender, receiver, u) -> {
                  if (!sender.equals("127.0.0.1")
                      || !receiver.equals("127.0.0.3")
                      || u.outcome() != UpdateOutcome.OK) {
                    return;
                  }
                  PathAttributes a = u.attributes();
                  u.forEachRoute(
                      (withdraw, pathId, n) -> {
                        if (!withdraw) {
                          ByteBuf b = n.buffer();
                          byte[] bytes = ByteBufUtil.getBytes(b, n.offset(), n.totalLength());
                          String text = EvpnRoutes.decode(n).toString();
                          List<Byte> list = new ArrayList<>(bytes.length);
                          for (byte x : bytes) {
                            list.add(x);
                          }
                          routes.putIfAbsent(text, new CapturedRoute(text, list, a));
                        }
                      });
                })) {
      for (CapturedPacket p : GoldenCaptureTest.packets(BgpGoldenTest.CAPTURE)) {
        d.accept(p);
      }
    }
    return new ArrayList<>(routes.values());
  }

  static VtepConfig config(String name) throws IOException {
    try (InputStream in =
        Objects.requireNonNull(PolicyScenarioTest.class.getResourceAsStream("/configs/" + name))) {
      return VtepConfig.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  static final String[] CONFIGS = {
    "leaf1-multihomed-esi.conf",
    "leaf2-irb-anycast.conf",
    "leaf3-type5-vrf.conf",
    "leaf4-mac-vrf.conf",
    "spine-rr.conf"
  };

  @TestFactory
  Stream<DynamicTest> everyConfigurationIsValidAndRendersBackEqual() {
    return Stream.of(CONFIGS)
        .map(
            name ->
                DynamicTest.dynamicTest(
                    name,
                    () -> {
                      VtepConfig c = config(name);
                      assertEquals(c, VtepConfig.parse(c.format()), c::format);
                      assertEquals(c, VtepConfig.parse(c.toSetCommands()), c::toSetCommands);
                    }));
  }

  @Test
  void theCaptureHoldsTheRoutesTheScenariosNeed() {
    List<String> texts = routes().stream().map(CapturedRoute::text).toList();
    assertTrue(texts.size() >= 10, texts::toString);
  }

  /** Evaluates a chain over every captured route: one line per route, "route -> decision". */
  static List<String> decisions(PolicyChain chain, Protocol protocol) {
    List<String> out = new ArrayList<>();
    PolicyResult r = new PolicyResult();
    for (CapturedRoute route : routes()) {
      chain.evaluate(protocol, route.view(), route.attributes(), r);
      String changes = "";
      if (r.changed()) {
        PathAttributes after = r.apply(route.attributes());
        changes =
            " lp="
                + after.localPref()
                + " med="
                + after.med()
                + " communities="
                + io.evpnkit.evpn.Communities.texts(after);
      }
      out.add(route.text() + " -> " + r + changes);
    }
    return out;
  }

  static PolicyChain importChain(VtepConfig c, String instance) {
    RoutingInstance r = Objects.requireNonNull(c.instances().get(instance));
    return PolicyChain.compile(c.policyOptions(), r.vrfImport(), false);
  }

  /**
   * Evaluates a chain (the named policies, or an instance's vrf-import) and returns one line per
   * route.
   */
  static List<String> scenario(String config, String instance, boolean export) throws IOException {
    VtepConfig c = config(config);
    RoutingInstance r = c.instances().get(instance);
    List<String> names =
        r != null ? (export ? r.vrfExport() : r.vrfImport()) : List.of(instance.split(",", -1));
    // vrf-import and vrf-export reject what no term accepts; a BGP import chain (the spine's)
    // accepts
    PolicyChain chain = PolicyChain.compile(c.policyOptions(), names, r == null);
    return decisions(chain, export ? Protocol.EVPN : Protocol.BGP);
  }

  /**
   * Every scenario of {@code configs/scenarios.txt} (a section per configuration, instance or
   * chain, and direction; a line per captured route with the decision, the deciding policy and
   * term, and the changed attributes; each line checked by hand against the configuration when
   * written): the policies decide the same today.
   */
  @TestFactory
  Stream<DynamicTest> everyPolicyDecidesEveryCapturedRouteAsExpected() throws IOException {
    String table;
    try (InputStream in =
        Objects.requireNonNull(getClass().getResourceAsStream("/configs/scenarios.txt"))) {
      table = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    List<DynamicTest> tests = new ArrayList<>();
    String[] sections = table.split("(?m)^== ", -1);
    for (String section : sections) {
      if (section.isBlank()) {
        continue;
      }
      List<String> lines = section.lines().toList();
      String[] run = lines.get(0).split(" ", -1);
      List<String> expected = lines.subList(1, lines.size());
      tests.add(
          DynamicTest.dynamicTest(
              lines.get(0),
              () -> assertEquals(expected, scenario(run[0], run[1], run[2].equals("export")))));
    }
    assertEquals(8, tests.size());
    return tests.stream();
  }
}
