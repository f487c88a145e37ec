package io.evpnkit.benchmarks;

import io.evpnkit.policy.JunosConfig;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.VtepConfig;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * A large VTEP configuration: {@code vlans} VLANs each with a VNI and ingress replication, a trunk
 * carrying all of them, {@code extended-vni-list} naming every VNI, switch-options with vrf-import
 * and auto targets, and the seed's import policy; read from curly-brace text, validated into the
 * model, and its import chain compiled.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ConfigScaleBenchmark {
  @Param({"4000"})
  int vlans;

  private String text;

  /** Builds the configuration text. */
  static String config(int vlans) {
    StringBuilder sb = new StringBuilder(vlans * 120);
    sb.append(
        "routing-options { autonomous-system 65001; }\ninterfaces {\n    ae0 {\n        esi {\n");
    sb.append("            00:01:02:03:04:05:06:07:08:09;\n            all-active;\n        }\n");
    sb.append(
        "        unit 0 {\n            family ethernet-switching {\n                interface-mode trunk;\n");
    sb.append("                vlan {\n                    members [");
    for (int i = 1; i <= vlans; i++) {
      sb.append(" v").append(i);
    }
    sb.append(" ];\n                }\n            }\n        }\n    }\n}\n");
    sb.append(
        "switch-options {\n    vtep-source-interface lo0.0;\n    route-distinguisher 10.255.0.11:1;\n");
    sb.append(
        "    vrf-import imp;\n    vrf-target {\n        target:65001:1;\n        auto;\n    }\n}\nvlans {\n");
    for (int i = 1; i <= vlans; i++) {
      sb.append("    v")
          .append(i)
          .append(" {\n        vlan-id ")
          .append(1 + (i - 1) % 4094)
          .append(";\n        vxlan {\n            vni ")
          .append(10000 + i)
          .append(";\n            ingress-node-replication;\n        }\n    }\n");
    }
    sb.append(
        "}\nprotocols {\n    evpn {\n        encapsulation vxlan;\n        extended-vni-list [");
    for (int i = 1; i <= vlans; i++) {
      sb.append(' ').append(10000 + i);
    }
    sb.append(" ];\n    }\n}\npolicy-options {\n    policy-statement imp {\n        term 1 {\n");
    sb.append("            from community comglobal;\n            then accept;\n        }\n");
    sb.append("        term 100 {\n            then reject;\n        }\n    }\n");
    sb.append("    community comglobal members target:65001:1;\n}\n");
    return sb.toString();
  }

  @Setup
  public void setup() {
    text = config(Math.min(vlans, 4094));
  }

  /** Text to validated model to compiled import chain. */
  @Benchmark
  public PolicyChain parseValidateCompile() {
    VtepConfig c = VtepConfig.from(JunosConfig.parse(text));
    return PolicyChain.compile(c.policyOptions(), c.defaultSwitch().vrfImport(), false);
  }
}
