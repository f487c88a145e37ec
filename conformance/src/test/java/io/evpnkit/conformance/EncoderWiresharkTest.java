package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.AsPath;
import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.EthernetAutoDiscoveryRoute;
import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EthernetSegmentRoute;
import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.IpPrefixRoute;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.LeafAdRoute;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.MacIpAdvertisementRoute;
import io.evpnkit.evpn.MulticastRoute;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PerRegionIpmsiRoute;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RawAttribute;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.evpn.RouteType;
import io.evpnkit.evpn.SelectivePmsiRoute;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.examples.BgpDecoder;
import io.evpnkit.testkit.CaptureReader;
import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.testkit.PcapWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * What {@link UpdateEncoder} writes, read by an independent implementation: routes of every type
 * (1-11) with attribute sets that use every attribute evpnkit models (PMSI tunnels of every
 * modelled type and flags, 32-octet next hops, ORIGINATOR_ID and CLUSTER_LIST, every EVPN extended
 * community, large communities, an originated unmodelled attribute) are encoded for five kinds of
 * session (iBGP, eBGP, a 2-octet AS session with AS4_PATH, ADD-PATH, extended messages), put in TCP
 * segments of a capture with both OPENs, and decoded by Wireshark's dissector ({@code tshark -T
 * pdml}, run by the test) and by {@code evpnkit decode --json}; every field tshark can read must
 * agree. tshark is installed by {@code .ci/run}; without it the test is skipped, unless {@code
 * EVPNKIT_REQUIRE_TSHARK=1} says it must run.
 *
 * <p>Where tshark 4.0 itself reads our (RFC-correct) bytes wrongly, the test says so and checks
 * what tshark does instead: it reads the ESI type 3 discriminator as 2 octets, an IPv6 ingress
 * replication endpoint as IPv4, skips the Leave Group Synchronization number and Maximum Response
 * Time of type 8 (RFC 9251 §9.3), does not know route types 9-11 (RFC 9572), guesses ADD-PATH from
 * the first octet of the NLRI rather than from the OPENs, and refuses messages longer than 4096
 * octets although both OPENs negotiated extended messages (RFC 8654).
 */
@SuppressWarnings("NullAway")
class EncoderWiresharkTest {
  private static final boolean REQUIRED = "1".equals(System.getenv("EVPNKIT_REQUIRE_TSHARK"));
  private static final long SEED = 0x5EEDL;

  @TempDir static Path dir;

  /** A kind of session: the two OPENs and the options our encoder uses for the sender's UPDATEs. */
  record Session(String name, BgpOpen sender, BgpOpen receiver) {
    SessionOptions options() {
      return BgpOpen.sending(sender, receiver);
    }
  }

  static List<Session> sessions() {
    Capability.AddPath addPath =
        new Capability.AddPath(
            List.of(
                new Capability.AddPathFamily(
                    BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN, Capability.AddPathFamily.BOTH)));
    List<Capability> two =
        List.of(Capability.Multiprotocol.L2VPN_EVPN, new Capability.RouteRefresh());
    return List.of(
        new Session(
            "ibgp",
            BgpOpen.evpn(4200000001L, 90, 0x0a000001),
            BgpOpen.evpn(4200000001L, 90, 0x0a000002)),
        new Session(
            "ebgp", BgpOpen.evpn(65001, 90, 0x0a000003), BgpOpen.evpn(65002, 90, 0x0a000004)),
        new Session(
            "two-octet-as",
            new BgpOpen(65010, 90, 0x0a000005, two),
            new BgpOpen(65010, 90, 0x0a000006, two)),
        new Session(
            "add-path",
            withCapability(BgpOpen.evpn(65020, 90, 0x0a000007), addPath),
            withCapability(BgpOpen.evpn(65020, 90, 0x0a000008), addPath)),
        new Session(
            "extended-messages",
            withCapability(BgpOpen.evpn(65030, 90, 0x0a000009), new Capability.ExtendedMessage()),
            withCapability(BgpOpen.evpn(65030, 90, 0x0a00000a), new Capability.ExtendedMessage())));
  }

  private static BgpOpen withCapability(BgpOpen open, Capability c) {
    List<Capability> caps = new ArrayList<>(open.capabilities());
    caps.add(c);
    return new BgpOpen(open.as(), open.holdTime(), open.bgpIdentifier(), caps);
  }

  /** Routes of every type, drawn from a fixed seed so that every run encodes the same ones. */
  static List<EvpnRoute> routes(Random r, int first, int n) {
    List<EvpnRoute> routes = new ArrayList<>();
    EthernetSegmentIdentifier[] esis = {
      EthernetSegmentIdentifier.parse("00:11:22:33:44:55:66:77:88:99"),
      EthernetSegmentIdentifier.ofLacp(MacAddress.parse("00:aa:bb:cc:dd:01"), 100),
      EthernetSegmentIdentifier.ofBridge(MacAddress.parse("00:aa:bb:cc:dd:02"), 32768),
      EthernetSegmentIdentifier.ofMac(MacAddress.parse("00:aa:bb:cc:dd:03"), 7),
      EthernetSegmentIdentifier.ofRouterId(0x0a000001, 9),
      EthernetSegmentIdentifier.ofAs(65001, 11)
    };
    for (int i = first; i < first + n; i++) {
      RouteDistinguisher rd =
          switch (i % 3) {
            case 0 -> RouteDistinguisher.parse("10.0." + (i % 250) + ".1:" + (i % 1000));
            case 1 -> RouteDistinguisher.parse("65001:" + i);
            default -> RouteDistinguisher.parse("4200000000:" + (i % 65536));
          };
      EthernetSegmentIdentifier esi = esis[r.nextInt(esis.length)];
      IpAddress v4 = IpAddress.ofIpv4(0x0a000000 | r.nextInt(1 << 24));
      IpAddress v6 = IpAddress.ofIpv6(0x20010db800000000L | r.nextInt(65536), r.nextLong());
      IpAddress ip = r.nextBoolean() ? v4 : v6;
      int vni = 1 + r.nextInt(0xFFFFFE);
      EthernetTag tag = EthernetTag.of(r.nextInt(3) == 0 ? 0 : vni);
      IpAddress group4 = IpAddress.ofIpv4(0xe8000000 | r.nextInt(1 << 24));
      IpAddress group6 = IpAddress.ofIpv6(0xff0e000000000000L, 1 + r.nextInt(1000));
      switch (i % 11) {
        case 0 ->
            routes.add(
                r.nextBoolean()
                    ? EthernetAutoDiscoveryRoute.perEthernetSegment(rd, esi)
                    : EthernetAutoDiscoveryRoute.perEvi(rd, esi, tag, LabelField.ofVni(vni)));
        case 1 ->
            routes.add(
                new MacIpAdvertisementRoute(
                    rd,
                    r.nextBoolean() ? EthernetSegmentIdentifier.ZERO : esi,
                    tag,
                    MacAddress.of(0x0200_0000_0000L | (r.nextInt() & 0xFFFF_FFFFL)),
                    r.nextInt(3) == 0 ? null : ip,
                    LabelField.ofVni(vni),
                    r.nextBoolean() ? LabelField.ofVni(1 + r.nextInt(0xFFFFFE)) : null));
        case 2 -> routes.add(new InclusiveMulticastRoute(rd, tag, ip));
        case 3 -> routes.add(EthernetSegmentRoute.of(rd, esi, ip));
        case 4 -> {
          int length = ip.isIpv6() ? 48 + r.nextInt(81) : 8 + r.nextInt(25);
          IpAddress prefix =
              ip.isIpv6()
                  ? IpAddress.ofIpv6(
                      ip.high() & -1L << Math.max(0, 64 - length),
                      length <= 64 ? 0 : ip.low() & -1L << (128 - length))
                  : IpAddress.ofIpv4(ip.ipv4() & -1 << (32 - length));
          IpAddress gateway =
              r.nextBoolean()
                  ? (ip.isIpv6() ? IpAddress.parse("::") : IpAddress.parse("0.0.0.0"))
                  : (ip.isIpv6() ? IpAddress.parse("2001:db8::1") : IpAddress.parse("10.0.0.1"));
          routes.add(
              new IpPrefixRoute(
                  rd,
                  r.nextInt(4) == 0 ? esi : EthernetSegmentIdentifier.ZERO,
                  tag,
                  prefix,
                  length,
                  gateway,
                  LabelField.ofVni(vni)));
        }
        case 5, 6, 7 -> {
          int type = 6 + i % 11 - 5;
          boolean six = ip.isIpv6();
          routes.add(
              new MulticastRoute(
                  RouteType.valueOf(type),
                  rd,
                  type == 6 ? EthernetSegmentIdentifier.ZERO : esi,
                  tag,
                  r.nextBoolean() ? null : (six ? v6 : v4),
                  six ? group6 : group4,
                  ip,
                  r.nextInt(16),
                  type == 8 ? r.nextInt(1 << 20) : 0,
                  type == 8 ? r.nextInt(256) : 0));
        }
        case 8 ->
            routes.add(
                PerRegionIpmsiRoute.of(
                    rd,
                    tag,
                    r.nextBoolean()
                        ? ExtendedCommunity.routeTarget(65000 + r.nextInt(500), r.nextInt(100))
                        : ExtendedCommunity.routeTargetIpv4(0x0a000000 | r.nextInt(256), 0)));
        case 9 ->
            routes.add(new SelectivePmsiRoute(rd, tag, r.nextBoolean() ? null : v4, group4, ip));
        default ->
            routes.add(
                new LeafAdRoute(
                    r.nextBoolean()
                        ? new InclusiveMulticastRoute(rd, tag, v4)
                        : new SelectivePmsiRoute(rd, tag, v4, group4, v4),
                    ip));
      }
    }
    // Wireshark 4.0 stops reading an MP_REACH_NLRI at the first route type it does not know (9-11):
    // those go last
    routes.sort(java.util.Comparator.comparingInt(route -> route.routeType().code()));
    return routes;
  }

  /** Attribute sets that between them carry every attribute and PMSI tunnel type evpnkit models. */
  static List<PathAttributes> attributeSets() {
    LabelField vni = LabelField.ofVni(10100);
    PathAttributes base =
        PathAttributes.builder()
            .asPath(AsPath.sequence(65001, 4200000000L))
            .nextHop(IpAddress.parse("10.0.0.1"))
            .localPref(100)
            .addExtendedCommunity(ExtendedCommunity.parse("target:65001:100"))
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8))
            .build();
    return List.of(
        base.toBuilder()
            .pmsiTunnel(PmsiTunnel.ingressReplication(vni, IpAddress.parse("10.0.0.1")))
            .build(),
        base.toBuilder()
            .origin(PathAttributes.ORIGIN_INCOMPLETE)
            .med(7)
            .nextHop(IpAddress.parse("2001:db8::1"), IpAddress.parse("fe80::1"))
            .addExtendedCommunity(ExtendedCommunity.macMobility(5, true))
            .addExtendedCommunity(
                ExtendedCommunity.routerMac(MacAddress.parse("02:00:0a:00:00:01")))
            .pmsiTunnel(
                PmsiTunnel.ingressReplication(vni, IpAddress.parse("2001:db8::1"))
                    .withLeafInformationRequired(true))
            .build(),
        base.toBuilder()
            .addCommunity(Communities.parse("65001:7"))
            .addCommunity(Communities.NO_EXPORT)
            .addLargeCommunity(LargeCommunity.parse("4200000000:1:2"))
            .originatorId(0x0a0000feL)
            .addClusterId(0x0a0000fd)
            .addClusterId(0x0a0000fc)
            .addExtendedCommunity(ExtendedCommunity.esiLabel(0, true))
            .pmsiTunnel(
                PmsiTunnel.pimTree(
                    PmsiTunnel.PIM_SSM,
                    vni,
                    IpAddress.parse("10.0.0.1"),
                    IpAddress.parse("232.1.1.1")))
            .build(),
        base.toBuilder()
            .nextHop(IpAddress.parse("2001:db8::2"))
            .atomicAggregate(true)
            .aggregator(65001, 0x0a000001)
            .addExtendedCommunity(ExtendedCommunity.esImport(MacAddress.parse("00:aa:bb:cc:dd:01")))
            .pmsiTunnel(
                PmsiTunnel.pimTree(
                    PmsiTunnel.PIM_SM,
                    vni,
                    IpAddress.parse("10.0.0.2"),
                    IpAddress.parse("239.1.1.1")))
            .build(),
        base.toBuilder()
            .addExtendedCommunity(ExtendedCommunity.defaultGateway())
            .pmsiTunnel(
                PmsiTunnel.pimTree(
                    PmsiTunnel.BIDIR_PIM,
                    vni,
                    IpAddress.parse("10.0.0.3"),
                    IpAddress.parse("239.2.2.2")))
            .build(),
        base.toBuilder()
            .pmsiTunnel(
                PmsiTunnel.rsvpTeP2mp(
                    LabelField.ofMplsLabel(16), 0x0a000001L, 7, IpAddress.parse("10.0.0.1")))
            .build(),
        base.toBuilder()
            .pmsiTunnel(
                PmsiTunnel.mldpP2mp(
                    LabelField.ofMplsLabel(17),
                    IpAddress.parse("10.0.0.1"),
                    new byte[] {1, 0, 4, 0, 0, 0, 42}))
            .build(),
        base.toBuilder()
            .pmsiTunnel(PmsiTunnel.assistedReplication(vni, IpAddress.parse("10.0.0.9")))
            .addOther(
                new RawAttribute(
                    PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE,
                    23,
                    new byte[] {0, 8, 0, 4, 0, 0, 0, 0}))
            .build());
  }

  /**
   * What was handed to the encoder for one batch, and the bytes it wrote (announcements, then two
   * withdrawals).
   */
  record Intended(
      Session session,
      PathAttributes attributes,
      List<EvpnRoute> routes,
      List<Long> pathIds,
      String hex) {}

  private static final List<Intended> intended = new ArrayList<>();
  private static long externalDropped;
  private static final List<String> ours = new ArrayList<>();
  private static List<Map<String, Object>> oursParsed = List.of();
  private static final List<WiresharkMessage> theirs = new ArrayList<>();
  private static int routeCount;

  @BeforeAll
  static void encodeAndDecodeBoth() throws Exception {
    boolean present = tsharkPresent();
    if (!present && REQUIRED) {
      throw new AssertionError(
          "EVPNKIT_REQUIRE_TSHARK=1 but tshark is not on the PATH (apt-get install tshark)");
    }
    Assumptions.assumeTrue(
        present, "tshark is not installed: the encoder's check against Wireshark is skipped");
    Path capture = dir.resolve("encoder.pcap");
    Random r = new Random(SEED);
    List<PathAttributes> sets = attributeSets();
    try (PcapWriter pcap = PcapWriter.create(capture)) {
      int port = 40000;
      for (Session s : sessions()) {
        Connection c = new Connection(pcap, 0x7f000001 + port % 200, port++);
        ByteBuf open = Unpooled.buffer();
        s.sender().write(open);
        c.send(true, open);
        s.receiver().write(open.clear());
        c.send(false, open);
        BgpMessages.writeKeepalive(open.clear());
        c.send(true, open);
        c.send(false, open);
        open.release();
        UpdateEncoder encoder = new UpdateEncoder(s.options());
        for (int k = 0; k < sets.size(); k++) {
          PathAttributes a = sets.get(k);
          // one message of the extended-messages session is larger than 4096 octets (RFC 8654)
          int perSet = s.name().equals("extended-messages") && k == sets.size() - 1 ? 150 : 8;
          PathAttributes attributes = a;
          List<EvpnRoute> batch = routes(r, routeCount, perSet);
          routeCount += batch.size();
          long[] pathIds = new long[batch.size()];
          for (int i = 0; i < pathIds.length; i++) {
            pathIds[i] = 1L + r.nextInt(1000);
          }
          ByteBuf out = Unpooled.buffer();
          encoder.announce(attributes, batch, pathIds, out);
          encoder.withdraw(batch.subList(0, 2), new long[] {pathIds[0], pathIds[1]}, out);
          intended.add(
              new Intended(
                  s,
                  attributes,
                  batch,
                  Arrays.stream(pathIds).boxed().toList(),
                  ByteBufUtil.hexDump(out)));
          c.send(true, out);
          out.release();
        }
        if (!s.options().internalPeer()) {
          externalDropped = encoder.internalOnlyAttributesDropped();
        }
      }
    }
    if (System.getProperty("evpnkit.keepCapture") != null) {
      Files.copy(
          capture,
          Path.of(System.getProperty("evpnkit.keepCapture")),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    try (BgpDecoder d = new BgpDecoder(true, ours::add)) {
      for (CapturedPacket p : CaptureReader.readAll(capture)) {
        d.accept(p);
      }
      assertEquals(0, d.gaps());
    }
    oursParsed = ours.stream().map(MiniJson::object).toList();
    theirs.addAll(WiresharkMessage.read(capture));
    if (System.getProperty("evpnkit.dump")
        != null) { // for whoever extends the comparison: both readings side by side
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < theirs.size(); i++) {
        sb.append(dump(theirs.get(i))).append('\n');
      }
      sb.append(String.join("\n", ours));
      Files.writeString(
          Path.of(System.getProperty("evpnkit.dump")), sb.toString(), StandardCharsets.UTF_8);
    }
  }

  private static boolean tsharkPresent() {
    try {
      Process p = new ProcessBuilder("tshark", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /**
   * The other half of the comparison with Wireshark (which reads the bytes, as evpnkit's decoder
   * does): what the decoder reads is exactly what was handed to the encoder, so that an agreement
   * of the two readers means the bytes say what was meant.
   */
  @Test
  void whatIsDecodedIsWhatWasEncoded() {
    for (Intended in : intended) {
      SessionOptions options = BgpOpen.receiving(in.session().receiver(), in.session().sender());
      UpdateDecoder d = new UpdateDecoder(options);
      List<EvpnRoute> announced = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      List<EvpnRoute> withdrawn = new ArrayList<>();
      ByteBuf stream = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(in.hex()));
      try (BgpMessageFramer framer =
          new BgpMessageFramer(options.extendedMessages(), UnpooledByteBufAllocator.DEFAULT)) {
        assertNull(
            framer.feed(
                stream,
                (message, type, offset) -> {
                  assertEquals(UpdateOutcome.OK, d.decode(message), () -> d.errors().toString());
                  if (d.announcedCount() > 0) {
                    PathAttributes a = d.attributes();
                    // LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST go to internal peers only (RFC
                    // 4271 §5.1.5, RFC 4456 §8)
                    PathAttributes sent =
                        options.internalPeer()
                            ? in.attributes()
                            : in.attributes().toBuilder()
                                .localPref(-1)
                                .originatorId(-1)
                                .clearClusterList()
                                .build();
                    assertEquals(
                        sent.toBuilder().clearOthers().build(),
                        a.toBuilder().clearOthers().build());
                    assertEquals(
                        in.attributes().others().stream()
                            .map(r -> r.type() + "/" + r.flags() + "/" + Arrays.toString(r.value()))
                            .toList(),
                        a.others().stream()
                            .map(r -> r.type() + "/" + r.flags() + "/" + Arrays.toString(r.value()))
                            .toList(),
                        "an originated attribute arrives with its flags");
                  }
                  d.forEachRoute(
                      (withdraw, pathId, nlri) -> {
                        (withdraw ? withdrawn : announced).add(EvpnRoutes.decode(nlri));
                        if (!withdraw && options.addPath()) {
                          ids.add(pathId);
                        }
                      });
                }));
      }
      assertEquals(in.routes(), announced, in.session().name());
      assertEquals(in.routes().subList(0, 2), withdrawn, in.session().name());
      if (options.addPath()) {
        assertEquals(in.pathIds(), ids);
      }
    }
  }

  @Test
  void theEncoderCountsTheUpdatesToAnExternalPeerThatLeftInternalAttributesOut() {
    // every attribute set has LOCAL_PREF: each of the external session's announcing UPDATEs left it
    // out
    assertEquals(attributeSets().size(), externalDropped);
  }

  @Test
  void wiresharkSeesEveryMessageWeWroteUpTo4096Octets() {
    assertTrue(routeCount >= 300, "routes encoded: " + routeCount);
    long small = oursParsed.stream().filter(m -> (Long) m.get("length") <= 4096).count();
    assertEquals(
        small, theirs.size(), "messages: ours " + small + ", Wireshark's " + theirs.size());
  }

  /**
   * A TCP connection in the capture: 127.0.0.x:port to 127.0.0.254:179, in segments of at most 1448
   * octets.
   */
  static final class Connection {
    private final PcapWriter pcap;
    private final int client;
    private final int port;
    private long clientSeq = 1000;
    private long serverSeq = 5000;
    private long time = 1_700_000_000_000_000_000L;

    Connection(PcapWriter pcap, int client, int port) {
      this.pcap = pcap;
      this.client = client;
      this.port = port;
    }

    void send(boolean fromClient, ByteBuf data) throws IOException {
      for (int at = data.readerIndex(); at < data.writerIndex(); ) {
        int n = Math.min(1448, data.writerIndex() - at);
        byte[] payload = new byte[n];
        data.getBytes(at, payload);
        at += n;
        long seq = fromClient ? clientSeq : serverSeq;
        pcap.write(
            time += 1000,
            frame(
                fromClient ? client : 0x7f0000fe,
                fromClient ? 0x7f0000fe : client,
                fromClient ? port : 179,
                fromClient ? 179 : port,
                seq,
                fromClient ? serverSeq : clientSeq,
                payload));
        if (fromClient) {
          clientSeq += n;
        } else {
          serverSeq += n;
        }
      }
    }

    private static byte[] frame(
        int src, int dst, int sport, int dport, long seq, long ack, byte[] payload) {
      ByteBuf f = Unpooled.buffer(54 + payload.length);
      f.writeBytes(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).writeShort(0x0800);
      int ip = f.writerIndex();
      f.writeByte(0x45)
          .writeByte(0)
          .writeShort(40 + payload.length)
          .writeShort(0)
          .writeShort(0x4000)
          .writeByte(64)
          .writeByte(6)
          .writeShort(0)
          .writeInt(src)
          .writeInt(dst);
      int sum = 0;
      for (int i = ip; i < ip + 20; i += 2) {
        sum += f.getUnsignedShort(i);
      }
      sum = (sum & 0xFFFF) + (sum >>> 16);
      f.setShort(ip + 10, ~((sum & 0xFFFF) + (sum >>> 16)));
      f.writeShort(sport)
          .writeShort(dport)
          .writeInt((int) seq)
          .writeInt((int) ack)
          .writeByte(0x50)
          .writeByte(0x18)
          .writeShort(65535)
          .writeShort(0)
          .writeShort(0);
      f.writeBytes(payload);
      byte[] bytes = new byte[f.readableBytes()];
      f.readBytes(bytes);
      f.release();
      return bytes;
    }
  }

  /**
   * One BGP message as Wireshark's dissector showed it: its fields in document order, as (name,
   * show) pairs.
   */
  record WiresharkMessage(int frame, List<String[]> fields, boolean malformed) {
    static List<WiresharkMessage> read(Path capture) throws Exception {
      Process p =
          new ProcessBuilder(
                  "tshark", "-r", capture.toString(), "-T", "pdml", "-d", "tcp.port==179,bgp")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] pdml = p.getInputStream().readAllBytes();
      assertTrue(p.waitFor(300, TimeUnit.SECONDS), "tshark did not finish");
      assertEquals(0, p.exitValue(), "tshark exit status");
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element root =
          factory.newDocumentBuilder().parse(new ByteArrayInputStream(pdml)).getDocumentElement();
      List<WiresharkMessage> out = new ArrayList<>();
      for (Node packet = root.getFirstChild(); packet != null; packet = packet.getNextSibling()) {
        if (!(packet instanceof Element pe) || !pe.getTagName().equals("packet")) {
          continue;
        }
        int frame = -1;
        boolean malformed = false;
        for (Node proto = pe.getFirstChild(); proto != null; proto = proto.getNextSibling()) {
          if (!(proto instanceof Element e)) {
            continue;
          }
          switch (e.getAttribute("name")) {
            case "frame" -> frame = Integer.parseInt(field(e, "frame.number"));
            case "_ws.malformed" -> malformed = true;
            case "bgp" -> {
              List<String[]> fields = new ArrayList<>();
              collect(e, fields);
              if (fields.stream().anyMatch(f -> f[0].equals("bgp.type"))) {
                out.add(new WiresharkMessage(frame, fields, false));
              }
            }
            default -> {}
          }
        }
        if (malformed && !out.isEmpty() && out.get(out.size() - 1).frame() == frame) {
          WiresharkMessage last = out.remove(out.size() - 1);
          out.add(new WiresharkMessage(last.frame(), last.fields(), true));
        }
      }
      return out;
    }

    private static String field(Element proto, String name) {
      for (Node n = proto.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && name.equals(e.getAttribute("name"))) {
          return e.getAttribute("show");
        }
      }
      throw new AssertionError("no " + name);
    }

    private static void collect(Element parent, List<String[]> out) {
      for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (!(n instanceof Element e)) {
          continue;
        }
        String name = e.getAttribute("name");
        boolean flagsValue =
            name.equals("bgp.update.path_attribute.flags")
                || name.equals("bgp.update.path_attribute.pmsi.tunnel.flags")
                || name.equals("bgp.ext_com_evpn.mmac.flags");
        if (name.startsWith("bgp.")
            && (!name.contains("flags") || flagsValue)
            && !name.equals("bgp.marker")
            && e.hasAttribute("show")) {
          out.add(new String[] {name, e.getAttribute("show")});
        }
        if (!name.contains("flags")) {
          collect(e, out);
        }
      }
    }

    Map<String, String> first() {
      Map<String, String> m = new HashMap<>();
      for (String[] f : fields) {
        m.putIfAbsent(f[0], f[1]);
      }
      return m;
    }
  }

  static String dump(WiresharkMessage m) {
    StringBuilder sb =
        new StringBuilder("frame " + m.frame() + (m.malformed() ? " malformed" : "") + "\n");
    for (String[] f : m.fields()) {
      sb.append("  ").append(f[0]).append(" = ").append(f[1]).append('\n');
    }
    return sb.toString();
  }

  @TestFactory
  Stream<DynamicTest> everyMessageAgreesWithWireshark() {
    Map<String, WiresharkMessage> byPosition = new HashMap<>();
    int index = 0;
    int previous = -1;
    for (WiresharkMessage m : theirs) {
      index = m.frame() == previous ? index + 1 : 0;
      previous = m.frame();
      byPosition.put(m.frame() + "/" + index, m);
    }
    List<DynamicTest> tests = new ArrayList<>();
    index = 0;
    previous = -1;
    int refused = 0;
    for (Map<String, Object> m : oursParsed) {
      int frame = (int) (long) (Long) m.get("frame");
      if ((Long) m.get("length") > 4096) {
        refused++;
        String where =
            "frame " + frame + " " + m.get("message") + " of " + m.get("length") + " octets";
        tests.add(
            DynamicTest.dynamicTest(
                where + ": over 4096 octets, which Wireshark 4.0 refuses",
                () -> {
                  assertSame(MiniJson.NULL, m.get("error"), where);
                  // RFC 8654: both OPENs carry the Extended Message capability, but Wireshark 4.0
                  // does not read it and
                  // skips a message whose length field exceeds 4096: it shows none
                  assertTrue(
                      theirs.stream()
                          .noneMatch(t -> Integer.parseInt(t.first().get("bgp.length")) > 4096),
                      where);
                }));
        continue;
      }
      index = frame == previous ? index + 1 : 0;
      previous = frame;
      WiresharkMessage w = byPosition.get(frame + "/" + index);
      String where = "frame " + frame + "/" + index + " " + m.get("message");
      tests.add(
          DynamicTest.dynamicTest(
              where,
              () -> {
                assertNotNull(w, "Wireshark shows no message at " + where);
                compare(m, w, where);
              }));
    }
    int bigOnes = refused;
    tests.add(
        DynamicTest.dynamicTest(
            "the extended-messages session wrote a message over 4096 octets",
            () -> assertTrue(bigOnes > 0)));
    return tests.stream();
  }

  @SuppressWarnings("unchecked")
  static void compare(Map<String, Object> ours, WiresharkMessage wire, String where) {
    Map<String, String> w = wire.first();
    assertFalse(wire.malformed(), where + ": Wireshark found it malformed\n" + dump(wire));
    assertEquals(String.valueOf(ours.get("length")), w.get("bgp.length"), where);
    if (!"UPDATE".equals(ours.get("message"))) {
      return;
    }
    assertSame(MiniJson.NULL, ours.get("error"), where);
    Update u = Update.of(wire.fields());
    // attributes in ascending type order after MP_REACH_NLRI/MP_UNREACH_NLRI (RFC 4271 §5, RFC 7606
    // §5.1)
    List<Integer> order = u.attributeTypes.subList(1, u.attributeTypes.size());
    assertEquals(order.stream().sorted().toList(), order, where + " attribute order");
    assertTrue(u.attributeTypes.get(0) == 14 || u.attributeTypes.get(0) == 15, where);
    if (ours.containsKey("nextHop")) {
      assertEquals(
          ours.get("nextHop"),
          w.containsKey("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4")
              ? w.get("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv4")
              : w.get("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6"),
          where);
      assertEquals(
          ours.get("linkLocalNextHop"),
          w.get("bgp.update.path_attribute.mp_reach_nlri.next_hop.ipv6.link_local"),
          where);
    }
    if (ours.containsKey("origin")) {
      assertEquals(
          String.valueOf(List.of("igp", "egp", "incomplete").indexOf(ours.get("origin"))),
          w.get("bgp.update.path_attribute.origin"),
          where);
    }
    if (ours.containsKey("asPath")) {
      // on a 2-octet AS session AS_PATH holds AS_TRANS (23456) where AS4_PATH has the 4-octet AS
      // (RFC 6793 §4.2.2)
      List<String> path = u.as4Path.isEmpty() ? u.asPath : u.as4Path;
      assertEquals(ours.get("asPath"), String.join(" ", path), where);
      if (!u.as4Path.isEmpty()) {
        assertTrue(u.asPath.contains("23456"), where);
      }
    }
    assertEquals(str(ours.get("localPref")), w.get("bgp.update.path_attribute.local_pref"), where);
    assertEquals(str(ours.get("med")), w.get("bgp.update.path_attribute.multi_exit_disc"), where);
    assertEquals(ours.get("originatorId"), w.get("bgp.update.path_attribute.originator_id"), where);
    assertEquals(ours.getOrDefault("clusterList", List.of()), u.clusterList, where);
    assertEquals(ours.getOrDefault("communities", List.of()), u.communities.communities, where);
    assertEquals(
        ours.getOrDefault("largeCommunities", List.of()), u.communities.largeCommunities, where);
    assertEquals(
        ours.getOrDefault("extCommunities", List.of()), u.communities.extCommunities, where);
    if (u.attributeTypes.contains(23)) {
      // the Tunnel Encapsulation attribute evpnkit does not model but originates: Partial clear
      // (RFC 4271 §5)
      assertEquals("0xc0", u.flags.get(23), where);
      assertEquals(
          "8", w.get("bgp.update.encaps_tunnel_tlv_type"), where + " tunnel type VXLAN (RFC 9012)");
    }
    Map<String, Object> pmsi = (Map<String, Object>) ours.get("pmsi");
    if (pmsi != null) {
      comparePmsi(pmsi, w, where);
    }
    List<Object> routes = (List<Object>) ours.get("routes");
    int stop = routes.size();
    for (int i = 0; i < routes.size(); i++) {
      if ((Long) ((Map<String, Object>) routes.get(i)).get("routeType") >= 8) {
        stop = i;
        break;
      }
    }
    // Wireshark 4.0 reads type 8 without its last six octets (RFC 9251 §9.3) and then reads those
    // as a route of
    // their own; it does not know types 9-11 (RFC 9572) and skips them by their length, but with
    // ADD-PATH it then
    // loses its place. The routes up to the first of types 8-11 agree field by field, that one by
    // what Wireshark
    // reads of it; what follows it in the attribute cannot be compared (routes are sorted by type
    // to keep it last).
    if (stop == routes.size()) {
      assertEquals(routes.size(), u.routes.size(), where + " routes");
    } else {
      assertTrue(u.routes.size() >= stop + 1, where + " routes");
    }
    for (int i = 0; i <= stop && i < routes.size(); i++) {
      Map<String, Object> r = (Map<String, Object>) routes.get(i);
      if ((Long) r.get("routeType") > 8) {
        // with ADD-PATH Wireshark guesses per NLRI whether a path identifier comes first, and
        // before a route type it
        // does not know it sometimes guesses wrong and reads the identifier as a route of type 0
        String seen = u.routes.get(i).get("bgp.evpn.nlri.rt");
        assertTrue(
            seen.equals(String.valueOf(r.get("routeType")))
                || (r.containsKey("pathId") && seen.equals("0")),
            where + ": Wireshark read route type " + seen + " for " + r.get("routeType"));
        continue;
      }
      route(r, u.routes.get(i), where + " route " + i + " " + r.get("junos"));
    }
  }

  private static @org.jspecify.annotations.Nullable String str(
      @org.jspecify.annotations.Nullable Object o) {
    return o == null ? null : String.valueOf(o);
  }

  /**
   * Wireshark's fields of each PMSI tunnel of {@link #attributeSets()}, written from the values
   * given there (not read back through evpnkit): a layout error that the encoder and evpnkit's
   * reader share shows here.
   */
  static final Map<String, String> PMSI_AS_GIVEN =
      Map.ofEntries(
          Map.entry("pimssm.root_node", "10.0.0.1"),
          Map.entry("pimssm.pmulticast_group", "232.1.1.1"),
          Map.entry("pimsm.sender_address", "10.0.0.2"),
          Map.entry("pimsm.pmulticast_group", "239.1.1.1"),
          Map.entry("bidir_pim_tree.sender", "10.0.0.3"),
          Map.entry("bidir_pim_tree.pmulticast_group", "239.2.2.2"),
          Map.entry("rsvp.id", "10.0.0.1"),
          Map.entry("rsvp.tunnel_id", "7"),
          Map.entry("rsvp.ext_tunnel_idv4", "10.0.0.1"),
          Map.entry("mldp.fec.root_nodev4", "10.0.0.1"),
          Map.entry("mldp.fec.opaque_length", "7"),
          Map.entry("mldp.fec.opaque_value_type", "1"),
          Map.entry("mldp.fec.opaque_value_unique_id_rn", "42"));

  static void comparePmsi(Map<String, Object> pmsi, Map<String, String> w, String where) {
    for (Map.Entry<String, String> e : PMSI_AS_GIVEN.entrySet()) {
      String field = "bgp.update.path_attribute.pmsi." + e.getKey();
      if (w.containsKey(field)) {
        assertEquals(e.getValue(), w.get(field), where + " " + field);
      }
    }
    assertEquals(
        String.valueOf(pmsi.get("tunnelType")),
        w.get("bgp.update.path_attribute.pmsi.tunnel.type"),
        where);
    assertEquals(
        Integer.parseInt(String.valueOf(pmsi.get("flags"))),
        Integer.decode(w.get("bgp.update.path_attribute.pmsi.tunnel.flags")),
        where + " PMSI flags");
    String p = "bgp.update.path_attribute.pmsi.";
    switch ((int) (long) (Long) pmsi.get("tunnelType")) {
      case PmsiTunnel.INGRESS_REPLICATION -> {
        String endpoint = (String) pmsi.get("endpoint");
        if (endpoint.contains(":")) {
          // Wireshark 4.0 reads only IPv4 endpoints and shows an IPv6 one's first four octets as
          // IPv4; RFC 6514 §5
          // sizes the identifier by the attribute length, so 16 octets are IPv6
          IpAddress a = IpAddress.parse(endpoint);
          long h = a.high();
          assertEquals(
              (h >>> 56)
                  + "."
                  + (h >>> 48 & 0xFF)
                  + "."
                  + (h >>> 40 & 0xFF)
                  + "."
                  + (h >>> 32 & 0xFF),
              w.get(p + "ingress_rep_ip"),
              where);
        } else {
          assertEquals(endpoint, w.get(p + "ingress_rep_ip"), where);
        }
      }
      case PmsiTunnel.PIM_SSM -> {
        assertEquals(pmsi.get("sender"), w.get(p + "pimssm.root_node"), where);
        assertEquals(pmsi.get("group"), w.get(p + "pimssm.pmulticast_group"), where);
      }
      case PmsiTunnel.PIM_SM -> {
        assertEquals(pmsi.get("sender"), w.get(p + "pimsm.sender_address"), where);
        assertEquals(pmsi.get("group"), w.get(p + "pimsm.pmulticast_group"), where);
      }
      case PmsiTunnel.BIDIR_PIM -> {
        assertEquals(pmsi.get("sender"), w.get(p + "bidir_pim_tree.sender"), where);
        assertEquals(pmsi.get("group"), w.get(p + "bidir_pim_tree.pmulticast_group"), where);
      }
      case PmsiTunnel.RSVP_TE_P2MP -> {
        // Wireshark shows the P2MP ID as an IPv4 address, as RFC 4875 §19.1 describes it
        assertEquals(
            IpAddress.ofIpv4((int) (long) (Long) pmsi.get("p2mpId")).toString(),
            w.get(p + "rsvp.id"),
            where);
        assertEquals(String.valueOf(pmsi.get("tunnelId")), w.get(p + "rsvp.tunnel_id"), where);
        assertEquals(pmsi.get("extendedTunnelId"), w.get(p + "rsvp.ext_tunnel_idv4"), where);
      }
      case PmsiTunnel.MLDP_P2MP -> {
        assertEquals("6", w.get(p + "mldp.fec.type"), where);
        assertEquals(pmsi.get("rootNode"), w.get(p + "mldp.fec.root_nodev4"), where);
        assertEquals(
            String.valueOf(((String) pmsi.get("opaqueValue")).length() / 2),
            w.get(p + "mldp.fec.opaque_length"),
            where);
        assertEquals(
            String.valueOf(Long.parseLong(((String) pmsi.get("opaqueValue")).substring(6), 16)),
            w.get(p + "mldp.fec.opaque_value_unique_id_rn"),
            where);
      }
      default ->
          assertTrue(
              w.containsKey("bgp.attr.pmsi.tunnel_type"),
              where
                  + ": Wireshark 4.0 flags tunnel type "
                  + pmsi.get("tunnelType")
                  + " (RFC 9574) as unknown");
    }
  }

  static void route(Map<String, Object> r, Map<String, String> w, String where) {
    String type = String.valueOf(r.get("routeType"));
    assertEquals(type, w.get("bgp.evpn.nlri.rt"), where);
    if (w.containsKey("bgp.nlri_path_id")) {
      assertEquals(w.get("bgp.nlri_path_id"), String.valueOf(r.get("pathId")), where);
    }
    String hex = (String) r.get("hex");
    String rd = w.get("bgp.evpn.nlri.rd").replace(":", "");
    assertEquals(rd, hex.substring(4, 20), where + " RD");
    if (r.containsKey("esi") && !type.equals("6")) {
      assertEquals(r.get("esi"), w.get("bgp.evpn.nlri.esi"), where);
      if (((String) r.get("esi")).startsWith("03:")) {
        // RFC 7432 §5: type 3 is a system MAC and a 3-octet discriminator; Wireshark 4.0 shows 2
        // octets and the
        // third as "remaining"
        String esi = ((String) r.get("esi")).replace(":", "");
        assertEquals(
            esi.substring(14, 18),
            w.get("bgp.evpn.nlri.esi.system_mac_discr").replace(":", ""),
            where);
        assertEquals(esi.substring(18), w.get("bgp.evpn.nlri.esi.remaining"), where);
      }
    }
    if (r.containsKey("ethernetTag")) {
      assertEquals(String.valueOf(r.get("ethernetTag")), w.get("bgp.evpn.nlri.etag"), where);
    }
    String ip =
        w.containsKey("bgp.evpn.nlri.ip.addr")
            ? w.get("bgp.evpn.nlri.ip.addr")
            : w.get("bgp.evpn.nlri.ipv6.addr");
    String originator =
        w.containsKey("bgp.evpn.nlri.or_addr_ipv4")
            ? w.get("bgp.evpn.nlri.or_addr_ipv4")
            : w.get("bgp.evpn.nlri.or_addr_ipv6");
    @SuppressWarnings("unchecked")
    List<Object> labels = (List<Object>) r.get("labels");
    switch (type) {
      case "1", "2" -> {
        if (type.equals("2")) {
          assertEquals(r.get("mac"), w.get("bgp.evpn.nlri.mac_addr"), where);
          assertEquals(r.get("ip"), "0".equals(w.get("bgp.evpn.nlri.iplen")) ? null : ip, where);
        }
        if (w.containsKey("bgp.evpn.nlri.vni")) {
          assertEquals(String.valueOf(labels.get(0)), w.get("bgp.evpn.nlri.vni"), where);
        } else {
          // MP_REACH_NLRI comes first (RFC 7606 §5.1), before Wireshark has seen the VXLAN
          // encapsulation
          // community, so it reads 20-bit MPLS labels: the raw field shifted right by 4
          assertEquals(
              String.valueOf((Long) labels.get(0) >> 4), w.get("bgp.evpn.nlri.mpls_ls1"), where);
          assertEquals(
              labels.size() > 1 ? String.valueOf((Long) labels.get(1) >> 4) : null,
              w.get("bgp.evpn.nlri.mpls_ls2"),
              where);
        }
      }
      case "3", "4" -> assertEquals(r.get("originator"), ip, where);
      case "5" -> {
        assertEquals(r.get("prefix"), ip + "/" + w.get("bgp.evpn.nlri.prefix_len"), where);
        assertEquals(
            r.get("gateway"),
            w.containsKey("bgp.evpn.nlri.ipv4.gtw_addr")
                ? w.get("bgp.evpn.nlri.ipv4.gtw_addr")
                : w.get("bgp.evpn.nlri.ipv6.gtw_addr"),
            where);
        // the whole 24-bit field: as a VNI once Wireshark has seen the VXLAN encapsulation, else as
        // a label value
        assertEquals(
            String.valueOf(labels.get(0)),
            w.containsKey("bgp.evpn.nlri.vni")
                ? w.get("bgp.evpn.nlri.vni")
                : w.get("bgp.update.path_attribute.mpls_label_value"),
            where);
      }
      case "6", "7", "8" -> {
        String source =
            w.containsKey("bgp.mcast_vpn_nlri_source_addr_ipv4")
                ? w.get("bgp.mcast_vpn_nlri_source_addr_ipv4")
                : w.get("bgp.mcast_vpn_nlri_source_addr_ipv6");
        assertEquals(r.get("source"), source == null ? "*" : source, where);
        String group =
            w.containsKey("bgp.mcast_vpn_nlri_group_addr_ipv4")
                ? w.get("bgp.mcast_vpn_nlri_group_addr_ipv4")
                : w.get("bgp.mcast_vpn_nlri_group_addr_ipv6");
        assertEquals(r.get("group"), group, where);
        assertEquals(r.get("originator"), originator, where);
        // Wireshark 4.0 skips the flags octet and, of type 8, the Leave Group Synchronization
        // number and the
        // Maximum Response Time (RFC 9251 §9.3): no field of theirs to compare
      }
      default -> throw new AssertionError(where + ": route type " + type);
    }
  }

  /** An UPDATE's fields as Wireshark showed them, gathered per attribute and per route. */
  static final class Update {
    final List<Integer> attributeTypes = new ArrayList<>();
    final Map<Integer, String> flags = new HashMap<>();
    final List<String> asPath = new ArrayList<>();
    final List<String> as4Path = new ArrayList<>();
    final List<String> clusterList = new ArrayList<>();
    final WiresharkCommunities communities = new WiresharkCommunities();
    final List<Map<String, String>> routes = new ArrayList<>();

    static Update of(List<String[]> fields) {
      Update u = new Update();
      int attribute = -1;
      String pendingFlags = null;
      String pathId = null;
      Map<String, String> route = null;
      for (String[] f : fields) {
        String k = f[0];
        String v = f[1];
        switch (k) {
          case "bgp.update.path_attribute.flags" -> pendingFlags = v;
          case "bgp.update.path_attribute.type_code" -> {
            attribute = Integer.parseInt(v);
            u.attributeTypes.add(attribute);
            u.flags.put(attribute, pendingFlags);
            route = null;
          }
          case "bgp.update.path_attribute.as_path_segment.as4",
              "bgp.update.path_attribute.as_path_segment.as2" ->
              (attribute == 17 ? u.as4Path : u.asPath).add(v);
          case "bgp.path_attribute.cluster_id" -> u.clusterList.add(v);
          case "bgp.nlri_path_id" -> pathId = v;
          case "bgp.evpn.nlri.rt" -> {
            route = new HashMap<>();
            if (pathId != null) {
              route.put("bgp.nlri_path_id", pathId);
              pathId = null;
            }
            route.put(k, v);
            u.routes.add(route);
          }
          default -> {
            if (u.communities.accept(k, v, attribute == 16)) {
              continue;
            }
            if (route != null
                && (k.startsWith("bgp.evpn.nlri.")
                    || k.startsWith("bgp.mcast_vpn_nlri")
                    || k.startsWith("bgp.update.path_attribute.mpls"))) {
              route.putIfAbsent(k, v);
            }
          }
        }
      }
      return u;
    }
  }
}
