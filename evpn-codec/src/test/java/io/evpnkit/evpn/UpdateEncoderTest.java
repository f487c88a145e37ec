package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateEncoderTest {
  static List<EvpnRoute> macRoutes(int n) {
    List<EvpnRoute> routes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      routes.add(new MacIpAdvertisementRoute(RouteDistinguisher.parse("10.0.0.1:100"), EthernetSegmentIdentifier.ZERO,
          EthernetTag.ZERO, MacAddress.of(0x0200_0000_0000L + i), i % 2 == 0 ? null : IpAddress.ofIpv4(0x0a01_0000 + i),
          LabelField.ofVni(10100), null));
    }
    return routes;
  }

  static PathAttributes attributes() {
    return PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(AsPath.sequence(65001, 4200000000L))
        .nextHop(IpAddress.parse("10.0.0.1")).localPref(100).med(7)
        .addExtendedCommunity(ExtendedCommunity.routeTarget(65000, 100))
        .addExtendedCommunity(ExtendedCommunity.encapsulation(8)).build();
  }

  /** Frames {@code stream} and decodes every message; returns the routes and checks each message's size. */
  static List<String> decodeAll(ByteBuf stream, SessionOptions options, int[] messages) {
    List<String> out = new ArrayList<>();
    UpdateDecoder d = new UpdateDecoder(options);
    try (BgpMessageFramer f = new BgpMessageFramer(options.extendedMessages(), UnpooledByteBufAllocator.DEFAULT)) {
      assertEquals(null, f.feed(stream, (m, type, offset) -> {
        assertTrue(m.readableBytes() <= options.maxMessageLength());
        assertEquals(UpdateOutcome.OK, d.decode(m), () -> d.errors().toString());
        messages[0]++;
        d.forEachRoute((w, id, n) -> out.add((w ? "-" : "+") + EvpnRoutes.decode(n) + (options.addPath() ? "#" + id : "")));
      }));
    }
    return out;
  }

  @Test
  void packsAsManyRoutesAsFitFourKilobytes() {
    List<EvpnRoute> routes = macRoutes(1000);
    ByteBuf out = Unpooled.buffer();
    int written = new UpdateEncoder(SessionOptions.IBGP).announce(attributes(), routes, out);
    int[] messages = new int[1];
    List<String> got = decodeAll(out, SessionOptions.IBGP, messages);
    assertEquals(written, messages[0]);
    assertEquals(routes.stream().map(r -> "+" + r).toList(), got);
    // 1000 routes of 35 or 39 bytes, about 4,000 bytes of attributes and NLRI per message: 10 messages
    assertEquals(10, written);
    out.release();
  }

  @Test
  void extendedMessagesHoldUpTo65535Bytes() {
    SessionOptions big = SessionOptions.IBGP.withExtendedMessages(true);
    List<EvpnRoute> routes = macRoutes(5000);
    ByteBuf out = Unpooled.buffer();
    int written = new UpdateEncoder(big).withdraw(routes, out);
    int[] messages = new int[1];
    assertEquals(routes.stream().map(r -> "-" + r).toList(), decodeAll(out, big, messages));
    assertEquals(3, written);
    out.release();
  }

  @Test
  void addPathIdentifiersRoundTrip() {
    SessionOptions addPath = SessionOptions.IBGP.withAddPath(true);
    List<EvpnRoute> routes = macRoutes(3);
    ByteBuf out = Unpooled.buffer();
    UpdateEncoder e = new UpdateEncoder(addPath);
    e.announce(attributes(), routes, new long[] {1, 2, 0xFFFF_FFFFL}, out);
    e.withdraw(routes.subList(0, 1), new long[] {9}, out);
    List<String> got = decodeAll(out, addPath, new int[1]);
    assertEquals(List.of("+" + routes.get(0) + "#1", "+" + routes.get(1) + "#2", "+" + routes.get(2) + "#4294967295",
        "-" + routes.get(0) + "#9"), got);
    assertThrows(IllegalArgumentException.class, () -> e.announce(attributes(), routes, new long[2], out));
    out.release();
  }

  @Test
  void endOfRib() {
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).writeEndOfRib(out);
    assertEquals("ffffffffffffffffffffffffffffffff001e02 0000 0007 900f0003 001946".replace(" ", ""),
        ByteBufUtil.hexDump(out));
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    assertEquals(UpdateOutcome.OK, d.decode(out));
    assertTrue(d.isEndOfRib());
    out.release();
  }

  @Test
  void twoOctetSessionsCarryAs4PathAndGetTheRealPathBack() {
    SessionOptions two = SessionOptions.IBGP.withFourOctetAs(false);
    PathAttributes a = attributes().toBuilder().aggregator(4200000001L, 0x0a000009).build();
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(two).announce(a, macRoutes(1), out);
    String hex = ByteBufUtil.hexDump(out);
    assertTrue(hex.contains("400206 0202 fde9 5ba0".replace(" ", "")), hex); // AS_TRANS in AS_PATH
    assertTrue(hex.contains("c0110a 0202 0000fde9 fa56ea00".replace(" ", "")), hex); // AS4_PATH
    UpdateDecoder d = new UpdateDecoder(two);
    assertEquals(UpdateOutcome.OK, d.decode(out));
    assertEquals(a, d.attributes());
    out.release();
  }

  @Test
  void everyAttributeRoundTripsOnIbgpAndTheInternalOnesStayInternal() {
    PathAttributes a = PathAttributes.builder().origin(2).asPath(AsPath.parse("65001 {65002 65003} (64512) [64513]"))
        .nextHop(IpAddress.parse("fd00::1")).med(0).localPref(0xFFFF_FFFFL).atomicAggregate(true)
        .aggregator(65001, 0x0a000001).addCommunity(Communities.NO_EXPORT).addCommunity(Communities.parse("65000:1"))
        .originatorId(0x0a000002L).addClusterId(0x0a000003).addClusterId(0x0a000004)
        .addExtendedCommunity(ExtendedCommunity.macMobility(5, true))
        .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("fd00::1")))
        .addLargeCommunity(LargeCommunity.parse("4200000000:1:2")).addOther(new RawAttribute(0xC0, 99, new byte[300]))
        .build();
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(a, macRoutes(2), out);
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    assertEquals(UpdateOutcome.OK, d.decode(out), () -> d.errors().toString());
    PathAttributes back = d.attributes();
    // the kept optional transitive attribute comes back with the Partial bit
    assertEquals(a.toBuilder().build().others().get(0).flags() | PathAttributes.FLAG_PARTIAL, back.others().get(0).flags());
    PathAttributes expected = PathAttributes.builder().origin(2).asPath(a.asPath()).nextHop(a.nextHop()).med(0)
        .localPref(0xFFFF_FFFFL).atomicAggregate(true).aggregator(65001, 0x0a000001)
        .addCommunity(Communities.NO_EXPORT).addCommunity(Communities.parse("65000:1")).originatorId(0x0a000002L)
        .addClusterId(0x0a000003).addClusterId(0x0a000004).addExtendedCommunity(ExtendedCommunity.macMobility(5, true))
        .pmsiTunnel(a.pmsiTunnel()).addLargeCommunity(LargeCommunity.parse("4200000000:1:2"))
        .addOther(new RawAttribute(0xE0, 99, new byte[300])).build();
    assertEquals(expected, back);
    assertEquals(a.encodedLength(SessionOptions.IBGP), back.encodedLength(SessionOptions.IBGP));
    // toward an external peer LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are not written
    ByteBuf ext = Unpooled.buffer();
    a.write(ext, SessionOptions.EBGP);
    assertEquals(a.encodedLength(SessionOptions.EBGP), ext.readableBytes());
    assertEquals(a.encodedLength(SessionOptions.IBGP) - 7 - 7 - 11, ext.readableBytes());
    out.release();
    ext.release();
  }

  @Test
  void announcingNeedsANextHop() {
    assertThrows(IllegalArgumentException.class, () -> new UpdateEncoder(SessionOptions.IBGP)
        .announce(PathAttributes.builder().build(), macRoutes(1), Unpooled.buffer()));
  }

  @Test
  void asPathText() {
    AsPath p = AsPath.parse("65001 65002 {65010 65011} (64512) [64513 64514]");
    assertEquals("65001 65002 {65010 65011} (64512) [64513 64514]", p.toString());
    assertEquals(3, p.pathLength());
    assertEquals(65001, p.firstAs());
    assertEquals("65000 65001 65002 {65010 65011} (64512) [64513 64514]", p.prepend(65000).toString());
    assertEquals("4294967295", AsPath.parse("4294967295").toString());
    assertEquals(AsPath.EMPTY, AsPath.parse(""));
    for (String bad : new String[] {"4294967296", "{}", "{1 2", "1 x", "(1]", "202\u000000"}) { // NUL: a Jazzer find
      assertThrows(MalformedException.class, () -> AsPath.parse(bad), bad);
    }
    // RFC 6793 §4.2.3: keep the leading AS numbers AS4_PATH lacks
    assertEquals("65001 4200000000 4200000001", AsPath.merge(AsPath.parse("65001 23456 23456"),
        AsPath.parse("4200000000 4200000001")).toString());
    assertEquals("65001", AsPath.merge(AsPath.parse("65001"), AsPath.parse("1 2")).toString());
  }

  @Test
  void communityText() {
    assertEquals("65000:100", Communities.format(Communities.parse("65000:100")));
    assertEquals("no-export", Communities.format(Communities.parse("no-export")));
    assertEquals(0xFFFF029A, Communities.parse("blackhole"));
    assertThrows(MalformedException.class, () -> Communities.parse("65536:1"));
    assertEquals("1:2:3", LargeCommunity.parse("1:2:3").toString());
    assertThrows(MalformedException.class, () -> LargeCommunity.parse("1:2"));
  }
}
