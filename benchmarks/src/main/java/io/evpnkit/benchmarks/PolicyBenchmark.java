package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.JunosConfig;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.Protocol;
import io.evpnkit.policy.VtepConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Routing policy: a compiled 10-term policy evaluated on a type-2 MAC/IP route read through the
 * {@link EvpnNlri} flyweight with real attributes (four extended communities); the route matches
 * only the last term, so every term runs. {@code hit} is where term 10 accepts; {@code miss} falls
 * through to the default action.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyBenchmark {
  /** The 10-term policy: conditions of every common kind, the first nine missing the route. */
  static final String POLICY =
      """
      policy-options {
          community red members target:65001:200;
          community any-blue members "target:65001:1.*";
          community site members [ target:65001:100 encapsulation:vxlan ];
          community std members 65001:9;
          mac-list blocked { 00:00:0a:ff:ff:01; 00:00:0a:ff:ff:02; }
          prefix-list mgmt { 192.168.0.0/16; }
          policy-statement none { }
          policy-statement ten {
              term t1 { from community red; then reject; }
              term t2 { from nlri-route-type 5; then accept; }
              term t3 { from mac-filter-list blocked; then reject; }
              term t4 { from { evpn-mac-route mac-ipv6; community site; } then accept; }
              term t5 { from prefix-list-filter mgmt orlonger; then reject; }
              term t6 { from { evpn-tag 4094; } then accept; }
              term t7 { from route-distinguisher 10.255.0.9:100; then accept; }
              term t8 { from community std; then { local-preference 50; accept; } }
              term t9 { from evpn-esi 00:11:11:11:11:11:11:11:11:11; then reject; }
              term t10 { from { community [ site any-blue ]; route-filter 10.0.0.0/8 upto /32; } then accept; }
          }
      }
      """;

  @Param({"hit", "miss"})
  String outcome;

  private final EvpnNlri nlri = new EvpnNlri();
  private final PolicyResult result = new PolicyResult();
  private PolicyChain chain;
  private PolicyChain empty;
  private PathAttributes attributes;
  private ByteBuf buf;

  @Setup
  public void setup() {
    var options = VtepConfig.from(JunosConfig.parse(POLICY)).policyOptions();
    chain = PolicyChain.compile(options, List.of("ten"), false);
    empty = PolicyChain.compile(options, List.of("none"), false);
    byte[] route =
        EvpnRoutes.toBytes(
            EvpnRoutes.parseJunos("2:10.255.0.1:100::0::00:00:0a:0b:0c:0e::10.0.0.5/304"));
    buf = PooledByteBufAllocator.DEFAULT.directBuffer(64);
    buf.writeBytes(route);
    nlri.wrap(buf, 0, route.length);
    PathAttributes.Builder b =
        PathAttributes.builder()
            .nextHop(IpAddress.parse("10.255.0.1"))
            .localPref(100)
            .addExtendedCommunity(
                ExtendedCommunity.parse(
                    outcome.equals("hit") ? "target:65001:100" : "target:65002:1"))
            .addExtendedCommunity(ExtendedCommunity.parse("encapsulation:vxlan"))
            .addExtendedCommunity(ExtendedCommunity.parse("router-mac:02:00:0a:ff:00:01"))
            .addExtendedCommunity(ExtendedCommunity.parse("mac-mobility:3"));
    attributes = b.build();
  }

  @TearDown
  public void tearDown() {
    buf.release();
  }

  /** The fixed cost: a policy without terms (reading the route's fields, resetting the result). */
  @Benchmark
  public boolean evaluateNoTerms() {
    return empty.evaluate(Protocol.BGP, nlri, attributes, result);
  }

  /** Evaluate the whole chain on one route (flyweight and attributes already decoded). */
  @Benchmark
  public boolean evaluateTenTerms() {
    return chain.evaluate(Protocol.BGP, nlri, attributes, result);
  }
}
