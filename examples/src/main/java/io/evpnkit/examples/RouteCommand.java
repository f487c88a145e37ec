package io.evpnkit.examples;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evpnkit route}: an EVPN route given as text, shown in every form. */
@Command(
    name = "route",
    mixinStandardHelpOptions = true,
    description =
        "Shows an EVPN route given in Junos form (2:1.2.3.12:1::100::00:00:0a:0b:0c:0d::10.0.0.5/304) or "
            + "FRR form ([2]:[100]:[48]:[00:00:0a:0b:0c:0d]:[32]:[10.0.0.5], with --rd): both text forms, its fields, "
            + "and its NLRI bytes in hex (labels 0 and, for types 2 and 5, the zero ESI: text has none).",
    footer = {
      "",
      "Exit status: 0 shown, 1 the text is not a route (the message says where), 2 usage error."
    })
final class RouteCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TEXT", description = "the route, in Junos or FRR form")
  String text;

  @Option(
      names = "--rd",
      paramLabel = "RD",
      description = "route distinguisher of an FRR-form route, e.g. 1.2.3.12:1")
  @Nullable String rd;

  @Option(names = "--lenient", description = "accept 18-digit ESIs as the design deck prints them")
  boolean lenient;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    EvpnRoute route;
    try {
      route = RouteText.read("evpnkit route", text, rd, lenient, err);
    } catch (RouteText.Refused e) {
      return e.status();
    }
    Map<String, String> fields = fields(route);
    StringBuilder hex = new StringBuilder();
    for (byte b : EvpnRoutes.toBytes(route)) {
      hex.append(String.format("%02x", b));
    }
    int code = route.routeType().code();
    String frr = code >= 1 && code <= 5 ? EvpnRoutes.formatFrr(route) : "";
    if (json) {
      JsonWriter w = new JsonWriter().begin();
      w.field("routeType", route.routeType().code());
      w.field("junos", route.toString());
      w.field("frr", frr);
      fields.forEach(w::field);
      w.field("hex", hex.toString());
      out.println(w.end());
    } else {
      out.println(
          "route type  " + route.routeType().code() + " (" + route.routeType().displayName() + ")");
      out.println("junos       " + route);
      out.println("frr         " + frr);
      fields.forEach((k, v) -> out.printf("%-11s %s%n", k, v));
      out.println("hex         " + hex);
    }
    out.flush();
    return 0;
  }

  private static Map<String, String> fields(EvpnRoute route) {
    Map<String, String> f = new LinkedHashMap<>();
    RouteFields.of(route).forEach((k, v) -> f.put(k, String.valueOf(v)));
    return f;
  }
}
