package io.evpnkit.benchmarks.bgpcep;

import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoutes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.opendaylight.protocol.bgp.evpn.impl.nlri.EvpnNlriParser;
import org.opendaylight.protocol.bgp.parser.BGPParsingException;
import org.opendaylight.yang.gen.v1.urn.opendaylight.params.xml.ns.yang.bgp.evpn.rev200120.EvpnSubsequentAddressFamily;
import org.opendaylight.yang.gen.v1.urn.opendaylight.params.xml.ns.yang.bgp.evpn.rev200120.L2vpnAddressFamily;
import org.opendaylight.yang.gen.v1.urn.opendaylight.params.xml.ns.yang.bgp.evpn.rev200120.update.attributes.mp.reach.nlri.advertized.routes.destination.type.DestinationEvpnCase;
import org.opendaylight.yang.gen.v1.urn.opendaylight.params.xml.ns.yang.bgp.multiprotocol.rev180329.attributes.reach.MpReachNlriBuilder;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * The same EVPN NLRI of route types 1 to 4 decoded by evpnkit and by OpenDaylight bgpcep 0.22.10's
 * {@code EvpnNlriParser} (which fills YANG binding objects from a ByteBuf), in one JMH run. Setup takes every type
 * 1-4 NLRI of a GoBGP corpus file ({@code -Devpnkit.corpus=DIR}) and lays them out as MP_REACH_NLRI fields of at
 * most 4,000 octets, as UPDATEs carry them; one operation decodes every field. Divide by the NLRI count printed in
 * setup for ns per NLRI. (bgpcep has no parser for type 5, hence types 1 to 4.)
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class BgpcepEvpnBenchmark {
  @Param({"mixed-100k"})
  String file;

  private ByteBuf data;
  private int[] fields; // start, end pairs
  private int nlri;

  @Setup
  public void setup() throws IOException {
    Path path = Path.of(System.getProperty("evpnkit.corpus", "../shared/corpus"), file + ".bgp.gz");
    byte[] bytes;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(path), 1 << 16)) {
      bytes = in.readAllBytes();
    }
    ByteBuf src = Unpooled.wrappedBuffer(bytes);
    ByteBuf out = Unpooled.buffer(bytes.length);
    java.util.List<Integer> bounds = new java.util.ArrayList<>();
    int fieldStart = 0;
    EvpnNlri n = new EvpnNlri();
    for (int off = 0; off < bytes.length; off += src.getUnsignedShort(off + 16)) {
      int attrs = off + 21 + src.getUnsignedShort(off + 19);
      int end = attrs + 2 + src.getUnsignedShort(attrs);
      for (int a = attrs + 2; a < end;) {
        boolean ext = (src.getUnsignedByte(a) & 0x10) != 0;
        int len = ext ? src.getUnsignedShort(a + 2) : src.getUnsignedByte(a + 2);
        int v = a + (ext ? 4 : 3);
        if (src.getUnsignedByte(a + 1) == 14) {
          for (int at = v + 5 + src.getUnsignedByte(v + 3); at < v + len; at += n.totalLength()) {
            n.wrap(src, at, v + len);
            if (n.routeTypeCode() <= 4) {
              if (out.writerIndex() - fieldStart + n.totalLength() > 4000) {
                bounds.add(fieldStart);
                bounds.add(out.writerIndex());
                fieldStart = out.writerIndex();
              }
              out.writeBytes(src, at, n.totalLength());
              nlri++;
            }
          }
        }
        a = v + len;
      }
    }
    bounds.add(fieldStart);
    bounds.add(out.writerIndex());
    data = out;
    fields = bounds.stream().mapToInt(Integer::intValue).toArray();
    System.out.printf("%n%s: %d NLRI of types 1-4 in %d fields%n", file, nlri, fields.length / 2);
    // bgpcep must see every one of them
    int parsed = 0;
    EvpnNlriParser parser = new EvpnNlriParser();
    for (int f = 0; f < fields.length; f += 2) {
      MpReachNlriBuilder builder = new MpReachNlriBuilder().setAfi(L2vpnAddressFamily.VALUE)
          .setSafi(EvpnSubsequentAddressFamily.VALUE);
      try {
        parser.parseNlri(data.slice(fields[f], fields[f + 1] - fields[f]), builder, null);
      } catch (BGPParsingException e) {
        throw new IllegalStateException(e);
      }
      DestinationEvpnCase c = (DestinationEvpnCase) builder.build().getAdvertizedRoutes().getDestinationType();
      parsed += c.getDestinationEvpn().getEvpnDestination().size();
    }
    if (parsed != nlri) {
      throw new IllegalStateException("bgpcep parsed " + parsed + " of " + nlri + " NLRI");
    }
    System.out.printf("bgpcep parses all %d%n", parsed);
  }

  /** evpnkit: validate every NLRI and decode it to an immutable value. */
  @Benchmark
  public void evpnkitValues(Blackhole bh) {
    EvpnNlri n = new EvpnNlri();
    for (int f = 0; f < fields.length; f += 2) {
      int end = fields[f + 1];
      for (int at = fields[f]; at < end; at += n.totalLength()) {
        n.tryWrap(data, at, end);
        bh.consume(EvpnRoutes.decode(n));
      }
    }
  }

  /** evpnkit: validate every NLRI and read its fields in place (no allocation). */
  @Benchmark
  public long evpnkitFlyweight() {
    EvpnNlri n = new EvpnNlri();
    long acc = 0;
    for (int f = 0; f < fields.length; f += 2) {
      int end = fields[f + 1];
      for (int at = fields[f]; at < end; at += n.totalLength()) {
        if (!n.tryWrap(data, at, end)) {
          return -1;
        }
        acc += n.routeDistinguisherValue() + n.ethernetTag();
      }
    }
    return acc;
  }

  /** bgpcep: {@code EvpnNlriParser.parseNlri} of every field into an MP_REACH_NLRI builder, then build it. */
  @Benchmark
  public void bgpcep(Blackhole bh) throws BGPParsingException {
    EvpnNlriParser parser = new EvpnNlriParser();
    for (int f = 0; f < fields.length; f += 2) {
      MpReachNlriBuilder builder = new MpReachNlriBuilder().setAfi(L2vpnAddressFamily.VALUE)
          .setSafi(EvpnSubsequentAddressFamily.VALUE);
      parser.parseNlri(data.slice(fields[f], fields[f + 1] - fields[f]), builder, null);
      bh.consume(builder.build());
    }
  }
}
