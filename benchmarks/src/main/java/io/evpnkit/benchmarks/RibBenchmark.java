package io.evpnkit.benchmarks;

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
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.policy.RouteTargets;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingDriver;
import io.evpnkit.rib.ForwardingOp;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * The RIB at a fabric's scale: inserting type 2 routes from decoded UPDATEs into the Loc-RIB and
 * the reference forwarding table; a MAC move from UPDATE decoded to forwarding operation emitted;
 * mass withdraw of a segment with many MACs behind it.
 */
public class RibBenchmark {
  static final String CONFIG =
      """
      routing-options { autonomous-system 65000; }
      switch-options { route-distinguisher 10.0.0.1:1; vrf-target { target:65000:1; auto; } }
      vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      """;
  static final IpAddress LOCAL = IpAddress.parse("10.0.0.1");
  static final Peer RR = new Peer(IpAddress.parse("10.0.0.100"), 100, false);
  static final EthernetSegmentIdentifier ESI =
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99");

  static PathAttributes attrs(IpAddress pe, long seq) {
    PathAttributes.Builder b =
        PathAttributes.builder()
            .nextHop(pe)
            .localPref(100)
            .addExtendedCommunity(RouteTargets.auto(65000, 100))
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8))
            .addExtendedCommunity(ExtendedCommunity.macMobility(seq, false));
    return b.build();
  }

  static MacIpAdvertisementRoute mac(IpAddress pe, long i, EthernetSegmentIdentifier esi) {
    return new MacIpAdvertisementRoute(
        RouteDistinguisher.parse(pe + ":1"),
        esi,
        EthernetTag.of(100),
        MacAddress.of(0x0200_0000_0000L + i),
        null,
        LabelField.ofVni(100),
        null);
  }

  /**
   * UPDATE messages announcing {@code count} MAC routes, spread over four PEs, packed as many per
   * message as fit.
   */
  static List<ByteBuf> updates(int count, EthernetSegmentIdentifier esi) {
    UpdateEncoder encoder = new UpdateEncoder(SessionOptions.IBGP);
    List<ByteBuf> out = new ArrayList<>();
    for (int pe = 0; pe < 4; pe++) {
      IpAddress vtep = IpAddress.ofIpv4(0x0A00_0002 + pe);
      List<EvpnRoute> routes = new ArrayList<>();
      for (int i = pe; i < count; i += 4) {
        routes.add(mac(vtep, i, esi));
      }
      ByteBuf all = Unpooled.buffer(routes.size() * 48 + 4096);
      encoder.announce(attrs(vtep, 0), routes, all);
      while (all.isReadable()) {
        int length = all.getUnsignedShort(all.readerIndex() + 16);
        out.add(all.readRetainedSlice(length));
      }
      all.release();
    }
    return out;
  }

  /** Counts operations, keeps nothing (the reference table is measured separately). */
  static final class Counting implements ForwardingDriver {
    final InMemoryForwardingTable table = new InMemoryForwardingTable();
    List<ForwardingOp> last = List.of();

    @Override
    public void apply(List<ForwardingOp> batch) {
      table.apply(batch);
      last = batch;
    }

    @Override
    public void replaceAll(List<ForwardingOp> state) {
      table.replaceAll(state);
    }
  }

  /**
   * Insertion of {@code routes} type 2 routes (decoding included), into an empty RIB and reference
   * table.
   */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 2)
  @Measurement(iterations = 5)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xmx8g", "-Xms8g"})
  public static class Insert {
    @Param({"1000000"})
    int routes;

    List<ByteBuf> messages;
    EvpnRib rib;

    @Setup(Level.Trial)
    public void encode() {
      messages = updates(routes, EthernetSegmentIdentifier.ZERO);
    }

    @Setup(Level.Invocation)
    public void fresh() {
      rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, new InMemoryForwardingTable()).build();
    }

    @TearDown(Level.Invocation)
    public void close() {
      rib.close();
    }

    @TearDown(Level.Trial)
    public void release() {
      messages.forEach(ByteBuf::release);
    }

    @Benchmark
    public EvpnRib insert() {
      UpdateDecoder decoder = new UpdateDecoder(SessionOptions.IBGP);
      for (ByteBuf m : messages) {
        decoder.decode(m);
        rib.update(RR, decoder);
      }
      return rib;
    }
  }

  /**
   * One MAC move: an UPDATE with a higher MAC mobility sequence number from the other PE, decoded
   * and applied; the forwarding operation is emitted before the call returns. 10,000 MACs in the
   * RIB.
   */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(
      value = 1,
      jvmArgsAppend = {
        "-Xms2g",
        "-Xmx2g",
        "-XX:+AlwaysPreTouch"
      }) // no page faults inside GC pauses
  public static class Move {
    EvpnRib rib;
    Counting driver;
    final UpdateDecoder decoder = new UpdateDecoder(SessionOptions.IBGP);
    final ByteBuf[] templates = new ByteBuf[2];
    final int[] seqOffset = new int[2];
    long seq;
    int mac;

    @Setup(Level.Trial)
    public void setup() {
      driver = new Counting();
      rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver).build();
      UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
      for (ByteBuf m : updates(10_000, EthernetSegmentIdentifier.ZERO)) {
        d.decode(m);
        rib.update(RR, d);
        m.release();
      }
      UpdateEncoder encoder = new UpdateEncoder(SessionOptions.IBGP);
      for (int i = 0; i < 2; i++) {
        // one route per message; the route's RD and MAC are patched per invocation
        templates[i] = Unpooled.buffer(256);
        encoder.announce(
            attrs(IpAddress.ofIpv4(0x0A00_0010 + i), 0x7777_7777L),
            List.of(mac(IpAddress.ofIpv4(0x0A00_0010 + i), 0, EthernetSegmentIdentifier.ZERO)),
            templates[i]);
        seqOffset[i] =
            find(templates[i], new byte[] {0x06, 0x00, 0x00, 0x00, 0x77, 0x77, 0x77, 0x77}) + 4;
      }
    }

    static int find(ByteBuf b, byte[] pattern) {
      outer:
      for (int i = 0; i + pattern.length <= b.writerIndex(); i++) {
        for (int k = 0; k < pattern.length; k++) {
          if (b.getByte(i + k) != pattern[k]) {
            continue outer;
          }
        }
        return i;
      }
      throw new IllegalStateException("pattern not found");
    }

    @Benchmark
    public int move() {
      int pe = (int) (seq & 1);
      ByteBuf m = templates[pe];
      m.setInt(seqOffset[pe], (int) ++seq);
      decoder.decode(m);
      rib.update(RR, decoder);
      return driver.last.size();
    }

    @TearDown(Level.Trial)
    public void check() {
      rib.close();
      for (ByteBuf t : templates) {
        t.release();
      }
    }
  }

  /**
   * Mass withdraw: 100,000 MACs behind a segment of two PEs; one PE withdraws its per-ES A-D route.
   */
  @State(Scope.Benchmark)
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 3)
  @Measurement(iterations = 10)
  @Fork(
      value = 1,
      jvmArgsAppend = {"-Xmx4g"})
  public static class MassWithdraw {
    @Param({"100000"})
    int macs;

    EvpnRib rib;
    Counting driver;
    ByteBuf withdraw;

    @Setup(Level.Invocation)
    public void setup() {
      driver = new Counting();
      rib = EvpnRib.builder(VtepConfig.parse(CONFIG), LOCAL, driver).build();
      for (int pe = 0; pe < 2; pe++) {
        IpAddress v = IpAddress.ofIpv4(0x0A00_0002 + pe);
        rib.announce(
            RR,
            0,
            new EthernetAutoDiscoveryRoute(
                RouteDistinguisher.parse(v + ":0"), ESI, EthernetTag.MAX, LabelField.ZERO),
            attrs(v, 0).toBuilder()
                .addExtendedCommunity(ExtendedCommunity.parse("target:65000:1"))
                .build());
        rib.announce(
            RR,
            0,
            new EthernetAutoDiscoveryRoute(
                RouteDistinguisher.parse(v + ":1"),
                ESI,
                EthernetTag.of(100),
                LabelField.ofVni(100)),
            attrs(v, 0));
      }
      UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
      for (ByteBuf m : updates(macs, ESI)) {
        d.decode(m);
        rib.update(RR, d);
        m.release();
      }
      withdraw = Unpooled.buffer(128);
      new UpdateEncoder(SessionOptions.IBGP)
          .withdraw(
              List.of(
                  new EthernetAutoDiscoveryRoute(
                      RouteDistinguisher.parse("10.0.0.2:0"),
                      ESI,
                      EthernetTag.MAX,
                      LabelField.ZERO)),
              withdraw);
    }

    @Benchmark
    public int withdraw() {
      UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
      d.decode(withdraw);
      rib.update(RR, d);
      return driver.last.size();
    }

    @TearDown(Level.Invocation)
    public void check() {
      if (driver.last.size() != 1 || !(driver.last.get(0) instanceof ForwardingOp.SetGroup)) {
        throw new IllegalStateException("mass withdraw took " + driver.last.size() + " operations");
      }
      rib.close();
      withdraw.release();
    }
  }
}
