package io.evpnkit.examples;

import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.MalformedException;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.Protocol;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.VtepConfig;
import io.netty.buffer.Unpooled;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evpnkit policy}: evaluates a policy of a configuration on one route. */
@Command(
    name = "policy",
    mixinStandardHelpOptions = true,
    description = {
      "Evaluates a policy (or a chain: imp,other; or an instance's vrf-import/vrf-export with --instance) of a "
          + "configuration on a route given in Junos or FRR text form, with the attributes the options give, and "
          + "prints the decision, the policy and term that made it, and the attributes the terms changed.",
      "Example: evpnkit policy leaf.conf imp 2:1.2.3.12:1::100::00:00:0a:0b:0c:0d/304 --community target:1111:11"
    },
    footer = {
      "",
      "Exit status: 0 evaluated (accept or reject), 1 the file cannot be read or the route text is not a "
          + "route, 2 invalid configuration, no such policy, or usage error."
    })
final class PolicyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "the configuration file, or - for standard input")
  String file;

  @Parameters(
      index = "1",
      paramLabel = "POLICY",
      description =
          "policy name, a chain of names separated by commas, or an instance name with --instance")
  String policy;

  @Parameters(index = "2", paramLabel = "ROUTE", description = "the route, in Junos or FRR form")
  String route;

  @Option(
      names = "--community",
      paramLabel = "C",
      description =
          "a community of the route: 65000:1, no-export, target:1111:11, encapsulation:vxlan, "
              + "large:65000:1:2 (repeatable)")
  List<String> communities = new ArrayList<>();

  @Option(
      names = "--next-hop",
      paramLabel = "ADDRESS",
      description = "the route's next hop (default 0.0.0.0)")
  String nextHop = "0.0.0.0";

  @Option(names = "--local-preference", paramLabel = "N", description = "the route's LOCAL_PREF")
  long localPref = -1;

  @Option(names = "--med", paramLabel = "N", description = "the route's MULTI_EXIT_DISC")
  long med = -1;

  @Option(
      names = "--rd",
      paramLabel = "RD",
      description = "route distinguisher of an FRR-form route")
  @Nullable String rd;

  @Option(
      names = "--protocol",
      paramLabel = "bgp|evpn",
      description =
          "where the route comes from: bgp (received, default) or evpn (local, for export policies)")
  String protocol = "bgp";

  @Option(
      names = "--instance",
      description =
          "POLICY names a routing instance (default-switch for the top "
              + "level): evaluate its vrf-import chain, or vrf-export with --export")
  boolean instance;

  @Option(names = "--export", description = "with --instance: the vrf-export chain")
  boolean export;

  @Option(
      names = "--default",
      paramLabel = "accept|reject",
      description =
          "the action when no term decides (default: reject, as for vrf-import and vrf-export)")
  String defaultAction = "reject";

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!protocol.equals("bgp") && !protocol.equals("evpn")) {
      err.println("evpnkit policy: --protocol must be bgp or evpn");
      return 2;
    }
    if (!defaultAction.equals("accept") && !defaultAction.equals("reject")) {
      err.println("evpnkit policy: --default must be accept or reject");
      return 2;
    }
    ConfigCommand.Loaded loaded = ConfigCommand.load(file, err);
    VtepConfig config = loaded.config();
    if (config == null) {
      return loaded.status();
    }
    ConfigCommand.warnings(file, config, false, err); // what the model does not interpret, reported
    List<String> names;
    if (instance) {
      RoutingInstance r = config.instances().get(policy);
      if (r == null) {
        err.println(
            "evpnkit policy: no routing instance "
                + policy
                + " (instances: "
                + String.join(", ", config.instances().keySet())
                + ")");
        return 2;
      }
      names = export ? r.vrfExport() : r.vrfImport();
      if (names.isEmpty()) {
        err.println(
            "evpnkit policy: instance "
                + policy
                + " has no "
                + (export ? "vrf-export" : "vrf-import"));
        return 2;
      }
    } else {
      names = List.of(policy.split(",", -1));
    }
    for (String n : names) {
      if (!config.policyOptions().policies().containsKey(n)) {
        err.println(
            "evpnkit policy: no policy-statement "
                + n
                + " (policies: "
                + String.join(", ", config.policyOptions().policies().keySet())
                + ")");
        return 2;
      }
    }
    EvpnRoute r;
    try {
      r = RouteText.read("evpnkit policy", route, rd, false, err);
    } catch (RouteText.Refused e) {
      return e.status();
    }
    PathAttributes attributes;
    try {
      PathAttributes.Builder b =
          PathAttributes.builder().nextHop(IpAddress.parse(nextHop)).localPref(localPref).med(med);
      for (String c : communities) {
        addCommunity(b, c);
      }
      attributes = b.build();
    } catch (MalformedException | IllegalArgumentException e) {
      err.println("evpnkit policy: " + e.getMessage());
      return 1;
    }
    byte[] bytes = EvpnRoutes.toBytes(r);
    EvpnNlri nlri = new EvpnNlri().wrap(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    PolicyChain chain =
        PolicyChain.compile(config.policyOptions(), names, defaultAction.equals("accept"));
    PolicyResult result = new PolicyResult();
    chain.evaluate(protocol.equals("bgp") ? Protocol.BGP : Protocol.EVPN, nlri, attributes, result);
    PathAttributes after = result.apply(attributes);
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("route", r.toString());
      m.put("chain", names);
      m.put("decision", result.accepted() ? "accept" : "reject");
      m.put("policy", result.policy());
      m.put("term", result.term());
      m.put("changed", result.changed());
      m.put("localPref", after.localPref() < 0 ? null : after.localPref());
      m.put("med", after.med() < 0 ? null : after.med());
      m.put("origin", PathAttributes.originName(after.origin()));
      m.put("communities", Communities.texts(after));
      out.println(Json.render(m));
    } else {
      out.println(result);
      if (result.changed()) {
        out.println("local-preference " + (after.localPref() < 0 ? "none" : after.localPref()));
        out.println("metric " + (after.med() < 0 ? "none" : after.med()));
        out.println("origin " + PathAttributes.originName(after.origin()));
        out.println("communities " + String.join(" ", Communities.texts(after)));
      }
    }
    out.flush();
    return 0;
  }

  static void addCommunity(PathAttributes.Builder b, String c) {
    if (c.startsWith("large:")) {
      b.addLargeCommunity(LargeCommunity.parse(c.substring(6)));
      return;
    }
    try {
      b.addCommunity(Communities.parse(c));
    } catch (MalformedException e) {
      b.addExtendedCommunity(ExtendedCommunity.parse(c)); // its error says what the text lacks
    }
  }
}
