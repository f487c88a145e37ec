package io.evpnkit.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.evpn.AsPath;
import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.linux.FrrLeaf;
import io.evpnkit.linux.LinuxDriver;
import io.evpnkit.linux.Netns;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.speaker.RealPeers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Mass withdraw in the Linux kernel (RFC 7432 §8.2): {@link #macs} MACs behind an all-active
 * Ethernet segment of two remote PEs (10.255.0.1 and 10.255.0.2, each with its per-ES and per-EVI
 * A-D routes, VLAN-based service, tag 0, as FRR originates them), advertised by the first; then the
 * first withdraws its per-ES route. Single shot: from that UPDATE written until the kernel reports
 * (to {@code ip monitor nexthop}, started before) the segment's group without the first PE; after
 * the measurement, not timed, the kernel is read back ({@code bridge -j fdb show}, {@code ip -j
 * nexthop show}): no MAC of the segment may resolve to the first PE, and every one to the second.
 * evpnkit ({@link LinuxDriver} under the RIB and the speaker) or FRR (zebra and bgpd in the
 * namespace). Needs root, iproute2 and FRR.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelMassWithdrawBenchmark {
  private static final String RECEIVER = "127.0.0.162";
  private static final String SENDER = "127.0.0.163";
  private static final int VNI = 10000;
  private static final IpAddress PE1 = IpAddress.parse("10.255.0.1");
  private static final IpAddress PE2 = IpAddress.parse("10.255.0.2");
  private static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:44:44:44:44:44:44:44:44:44");
  private static final ObjectMapper JSON = new ObjectMapper();

  @Param({"evpnkit", "frr"})
  public String target;

  @Param({"10000"})
  public int macs;

  private byte[] segment;
  private byte[] announce;
  private byte[] withdraw;
  private @Nullable Netns ns;
  private @Nullable AutoCloseable running;
  private @Nullable AutoCloseable leaf;
  private Socket socket = new Socket();
  private @Nullable Process monitor;
  private final java.util.concurrent.BlockingQueue<String> events =
      new java.util.concurrent.LinkedBlockingQueue<>();
  private String firstPeNexthop = "";
  private String outside = "";
  private int iteration;

  @Setup(Level.Trial)
  public void routes() {
    UpdateEncoder encoder = new UpdateEncoder(SessionOptions.EBGP);
    ByteBuf out = Unpooled.buffer();
    ExtendedCommunity rt = ExtendedCommunity.routeTarget(65000, VNI);
    for (IpAddress pe : List.of(PE1, PE2)) {
      encoder.announce(
          attributes(pe, rt, ExtendedCommunity.esiLabel(0, false)),
          List.of(
              EthernetAutoDiscoveryRoute.perEthernetSegment(
                  RouteDistinguisher.parse(pe + ":0"), ESI)),
          out);
      encoder.announce(
          attributes(pe, rt),
          List.of(
              EthernetAutoDiscoveryRoute.perEvi(
                  RouteDistinguisher.parse(pe + ":1"),
                  ESI,
                  EthernetTag.ZERO,
                  LabelField.ofVni(VNI))),
          out);
    }
    segment = bytes(out);
    List<EvpnRoute> macRoutes = new ArrayList<>();
    for (int i = 0; i < macs; i++) {
      macRoutes.add(
          new MacIpAdvertisementRoute(
              RouteDistinguisher.parse(PE1 + ":1"),
              ESI,
              EthernetTag.ZERO,
              mac(i),
              null,
              LabelField.ofVni(VNI),
              null));
    }
    encoder.announce(attributes(PE1, rt), macRoutes, out);
    announce = bytes(out);
    encoder.withdraw(
        List.of(
            EthernetAutoDiscoveryRoute.perEthernetSegment(
                RouteDistinguisher.parse(PE1 + ":0"), ESI)),
        out);
    withdraw = bytes(out);
    out.release();
  }

  private static PathAttributes attributes(IpAddress pe, ExtendedCommunity... communities) {
    PathAttributes.Builder b =
        PathAttributes.builder()
            .origin(0)
            .asPath(AsPath.sequence(CorpusSender.AS))
            .nextHop(pe)
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8));
    for (ExtendedCommunity c : communities) {
      b.addExtendedCommunity(c);
    }
    return b.build();
  }

  private static MacAddress mac(int i) {
    return MacAddress.of(0x02EE_0000_0000L | i);
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] out = new byte[b.readableBytes()];
    b.readBytes(out);
    b.clear();
    return out;
  }

  @Setup(Level.Iteration)
  public void start() throws Exception {
    try {
      startLeaf();
    } catch (Exception | Error e) {
      cleanUp(); // JMH does not tear down after a failed setup: nothing is left for the next
      throw e;
    }
  }

  private void startLeaf() throws Exception {
    ns = Netns.create("mw");
    String sender;
    InetSocketAddress to;
    java.util.concurrent.Callable<Boolean> up;
    switch (target) {
      case "evpnkit" -> {
        sender = SENDER;
        VtepConfig config =
            VtepConfig.parse(
                """
                routing-options { router-id %1$s; autonomous-system 65000; }
                routing-instances {
                    evi {
                        instance-type mac-vrf;
                        service-type vlan-based;
                        protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
                        vtep-source-interface lo0.0;
                        route-distinguisher %1$s:1;
                        vrf-target target:65000:%2$d;
                        vlans { v { vlan-id 2; vxlan { vni %2$d; } } }
                    }
                }
                """
                    .formatted(RECEIVER, VNI));
        LinuxDriver driver =
            LinuxDriver.builder(IpAddress.parse("192.0.2.162")).netns(ns.name()).build();
        driver.ensureDomain(VNI);
        BenchLeaves.Evpnkit l =
            BenchLeaves.evpnkit(config, IpAddress.parse("192.0.2.162"), driver, RECEIVER, SENDER);
        running = l.speaker();
        leaf = driver;
        to = l.address();
        up = l.established();
      }
      case "frr" -> {
        sender = "198.51.100.5";
        outside = "evkmw" + (ProcessHandle.current().pid() % 10000) + "x" + iteration++;
        FrrLeaf f =
            BenchLeaves.frr(ns, outside, sender, "198.51.100.6", "192.0.2.163", List.of(VNI));
        running = () -> {};
        leaf = f;
        to = new InetSocketAddress("198.51.100.6", 179);
        up = BenchLeaves.established(f, sender);
      }
      default -> throw new IllegalArgumentException(target);
    }
    socket = CorpusSender.open(sender, to, up);
    OutputStream out = socket.getOutputStream();
    // the segment first, its MACs once the kernel has the group of both PEs (FRR's zebra points
    // a MAC that comes before at the one VTEP, and keeps it there)
    out.write(segment);
    out.flush();
    RealPeers.await("the segment's group in the kernel", 60, this::groupOfBoth);
    out.write(announce);
    out.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    int[] at = resolution();
    while (at[1] < macs) {
      if (System.nanoTime() > deadline) {
        String why = target + ": " + at[1] + " of " + macs + " MACs reach the second PE";
        throw new IllegalStateException(why + (leaf instanceof FrrLeaf f ? "\n" + f.logs() : ""));
      }
      Thread.sleep(100);
      at = resolution();
    }
    for (JsonNode n : JSON.readTree(orEmpty(ns.exec("ip", "-j", "nexthop", "show")))) {
      if (PE1.toString().equals(n.path("gateway").asText())) {
        firstPeNexthop = n.path("id").asText();
      }
    }
    monitor =
        new ProcessBuilder("ip", "-n", ns.name(), "monitor", "nexthop")
            .redirectErrorStream(true)
            .start();
    Process m = monitor;
    Thread reader =
        new Thread(
            () -> {
              try (var in =
                  new java.io.BufferedReader(
                      new java.io.InputStreamReader(
                          m.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  events.add(line);
                }
              } catch (IOException e) {
                // the monitor stopped
              }
            },
            "monitor");
    reader.setDaemon(true);
    reader.start();
    Thread.sleep(300); // the monitor subscribed
    events.clear();
  }

  /** Whether the kernel holds an FDB nexthop group of two members. */
  private boolean groupOfBoth() throws Exception {
    for (JsonNode n :
        JSON.readTree(
            orEmpty(java.util.Objects.requireNonNull(ns).exec("ip", "-j", "nexthop", "show")))) {
      if (n.path("group").size() == 2) {
        return true;
      }
    }
    return false;
  }

  /** Whether a monitor line shows a group that no longer has the first PE's nexthop. */
  private boolean withoutFirstPe(String line) {
    if (!line.startsWith("id ") || !line.contains(" group ")) {
      return false;
    }
    String members = line.substring(line.indexOf(" group ") + 7).split(" ", 2)[0];
    return !List.of(members.split("/")).contains(firstPeNexthop);
  }

  /**
   * How the segment's MACs resolve in the kernel: {@code [to the first PE, to the second]} (a MAC
   * at a group of both counts for both; one at neither, or missing, for none).
   */
  private int[] resolution() throws Exception {
    Map<Integer, List<String>> gateways = new HashMap<>();
    Map<Integer, JsonNode> nexthops = new HashMap<>();
    for (JsonNode n :
        JSON.readTree(
            orEmpty(java.util.Objects.requireNonNull(ns).exec("ip", "-j", "nexthop", "show")))) {
      nexthops.put(n.path("id").asInt(), n);
    }
    int[] counts = new int[2];
    for (JsonNode e : JSON.readTree(orEmpty(ns.exec("bridge", "-j", "fdb", "show")))) {
      String mac = e.path("mac").asText();
      if (!mac.startsWith("02:ee:") || e.has("master")) {
        continue;
      }
      List<String> via;
      if (e.has("dst")) {
        via = List.of(e.get("dst").asText());
      } else if (e.has("nhid")) {
        via =
            gateways.computeIfAbsent(
                e.get("nhid").asInt(),
                id -> {
                  List<String> g = new ArrayList<>();
                  JsonNode n = nexthops.get(id);
                  if (n != null) {
                    for (JsonNode m : n.path("group")) {
                      JsonNode member = nexthops.get(m.path("id").asInt());
                      if (member != null) {
                        g.add(member.path("gateway").asText());
                      }
                    }
                  }
                  return g;
                });
      } else {
        continue;
      }
      if (via.contains(PE1.toString())) {
        counts[0]++;
      }
      if (via.contains(PE2.toString())) {
        counts[1]++;
      }
    }
    return counts;
  }

  private static String orEmpty(String json) {
    return json.isBlank() ? "[]" : json;
  }

  @Benchmark
  public String massWithdraw() throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write(withdraw);
    out.flush();
    while (true) {
      String line = events.poll(60, TimeUnit.SECONDS);
      if (line == null) {
        throw new IllegalStateException(target + ": no group change in 60 s");
      }
      if (withoutFirstPe(line)) {
        return line;
      }
    }
  }

  @TearDown(Level.Iteration)
  public void stop() throws Exception {
    // what the kernel forwards now, read back: nothing to the first PE, everything to the second
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int[] at = resolution();
    while (at[0] > 0 || at[1] < macs) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            target + ": " + at[0] + " MACs still at the first PE, " + at[1] + " at the second");
      }
      Thread.sleep(100);
      at = resolution();
    }
    Thread.sleep(200);
    List<String> after = new ArrayList<>();
    events.drainTo(after);
    System.out.print("[" + target + ": " + after.size() + " more nexthop events] ");
    cleanUp();
  }

  private void cleanUp() throws Exception {
    if (monitor != null) {
      monitor.destroy();
    }
    socket.close();
    if (running != null) {
      running.close();
    }
    if (leaf != null) {
      leaf.close();
    }
    if (ns != null) {
      ns.close();
    }
    if (!outside.isEmpty()) {
      try {
        Netns.run(List.of("ip", "link", "del", outside)); // the namespace goes asynchronously
      } catch (IOException e) {
        // gone with the namespace already
      }
      outside = "";
    }
    monitor = null;
    running = null;
    leaf = null;
    ns = null;
  }
}
