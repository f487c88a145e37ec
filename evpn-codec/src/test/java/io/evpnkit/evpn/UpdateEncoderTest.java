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
      routes.add(
          new MacIpAdvertisementRoute(
              RouteDistinguisher.parse("10.0.0.1:100"),
              EthernetSegmentIdentifier.ZERO,
              EthernetTag.ZERO,
              MacAddress.of(0x0200_0000_0000L + i),
              i % 2 == 0 ? null : IpAddress.ofIpv4(0x0a01_0000 + i),
              LabelField.ofVni(10100),
              null));
    }
    return routes;
  }

  static PathAttributes attributes() {
    return PathAttributes.builder()
        .origin(PathAttributes.ORIGIN_IGP)
        .asPath(AsPath.sequence(65001, 4200000000L))
        .nextHop(IpAddress.parse("10.0.0.1"))
        .localPref(100)
        .med(7)
        .addExtendedCommunity(ExtendedCommunity.routeTarget(65000, 100))
        .addExtendedCommunity(ExtendedCommunity.encapsulation(8))
        .build();
  }

  /**
   * Frames {@code stream} and decodes every message; returns the routes and checks each message's
   * size.
   */
  static List<String> decodeAll(ByteBuf stream, SessionOptions options, int[] messages) {
    List<String> out = new ArrayList<>();
    UpdateDecoder d = new UpdateDecoder(options);
    try (BgpMessageFramer f =
        new BgpMessageFramer(options.extendedMessages(), UnpooledByteBufAllocator.DEFAULT)) {
      assertEquals(
          null,
          f.feed(
              stream,
              (m, type, offset) -> {
                assertTrue(m.readableBytes() <= options.maxMessageLength());
                assertEquals(UpdateOutcome.OK, d.decode(m), () -> d.errors().toString());
                messages[0]++;
                d.forEachRoute(
                    (w, id, n) ->
                        out.add(
                            (w ? "-" : "+")
                                + EvpnRoutes.decode(n)
                                + (options.addPath() ? "#" + id : "")));
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
    // 1000 routes of 35 or 39 bytes, about 4,000 bytes of attributes and NLRI per message: 10
    // messages
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
    assertEquals(
        List.of(
            "+" + routes.get(0) + "#1",
            "+" + routes.get(1) + "#2",
            "+" + routes.get(2) + "#4294967295",
            "-" + routes.get(0) + "#9"),
        got);
    assertThrows(
        IllegalArgumentException.class, () -> e.announce(attributes(), routes, new long[2], out));
    out.release();
  }

  @Test
  void endOfRib() {
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).writeEndOfRib(out);
    assertEquals(
        "ffffffffffffffffffffffffffffffff001e02 0000 0007 900f0003 001946".replace(" ", ""),
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
    PathAttributes a =
        PathAttributes.builder()
            .origin(2)
            .asPath(AsPath.parse("65001 {65002 65003} (64512) [64513]"))
            .nextHop(IpAddress.parse("fd00::1"))
            .med(0)
            .localPref(0xFFFF_FFFFL)
            .atomicAggregate(true)
            .aggregator(65001, 0x0a000001)
            .addCommunity(Communities.NO_EXPORT)
            .addCommunity(Communities.parse("65000:1"))
            .originatorId(0x0a000002L)
            .addClusterId(0x0a000003)
            .addClusterId(0x0a000004)
            .addExtendedCommunity(ExtendedCommunity.macMobility(5, true))
            .pmsiTunnel(
                PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("fd00::1")))
            .addLargeCommunity(LargeCommunity.parse("4200000000:1:2"))
            .addOther(new RawAttribute(0xC0, 99, new byte[300]))
            .build();
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(a, macRoutes(2), out);
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    assertEquals(UpdateOutcome.OK, d.decode(out), () -> d.errors().toString());
    PathAttributes back = d.attributes();
    // RFC 4271 §5: an attribute this speaker originates goes out with Partial clear; the receiver
    // keeps it as received
    assertEquals(0xC0, back.others().get(0).flags());
    assertTrue(back.others().get(0).isReceived());
    PathAttributes expected =
        PathAttributes.builder()
            .origin(2)
            .asPath(a.asPath())
            .nextHop(a.nextHop())
            .med(0)
            .localPref(0xFFFF_FFFFL)
            .atomicAggregate(true)
            .aggregator(65001, 0x0a000001)
            .addCommunity(Communities.NO_EXPORT)
            .addCommunity(Communities.parse("65000:1"))
            .originatorId(0x0a000002L)
            .addClusterId(0x0a000003)
            .addClusterId(0x0a000004)
            .addExtendedCommunity(ExtendedCommunity.macMobility(5, true))
            .pmsiTunnel(a.pmsiTunnel())
            .addLargeCommunity(LargeCommunity.parse("4200000000:1:2"))
            .addOther(RawAttribute.received(0xC0, 99, new byte[300]))
            .build();
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
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new UpdateEncoder(SessionOptions.IBGP)
                .announce(PathAttributes.builder().build(), macRoutes(1), Unpooled.buffer()));
  }

  @Test
  void asPathText() {
    AsPath p = AsPath.parse("65001 65002 {65010 65011} (64512) [64513 64514]");
    assertEquals("65001 65002 {65010 65011} (64512) [64513 64514]", p.toString());
    assertEquals(3, p.pathLength());
    assertEquals(65001, p.firstAs());
    assertEquals(
        "65000 65001 65002 {65010 65011} (64512) [64513 64514]", p.prepend(65000).toString());
    assertEquals("4294967295", AsPath.parse("4294967295").toString());
    assertEquals(AsPath.EMPTY, AsPath.parse(""));
    for (String bad :
        new String[] {
          "4294967296", "{}", "{1 2", "1 x", "(1]", "202\u000000"
        }) { // NUL: a Jazzer find
      assertThrows(MalformedException.class, () -> AsPath.parse(bad), bad);
    }
    // RFC 6793 §4.2.3: keep the leading AS numbers AS4_PATH lacks
    assertEquals(
        "65001 4200000000 4200000001",
        AsPath.merge(AsPath.parse("65001 23456 23456"), AsPath.parse("4200000000 4200000001"))
            .toString());
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

  @Test
  void rfc2545_3_aThirtyTwoOctetNextHopCarriesTheGlobalAndTheLinkLocalAddress() {
    PathAttributes a =
        attributes().toBuilder()
            .nextHop(IpAddress.parse("2001:db8::1"), IpAddress.parse("fe80::1"))
            .build();
    assertEquals(32, a.nextHopLength());
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(a, macRoutes(1), out);
    // header 19, withdrawn length 2, attributes length 2, MP_REACH header 4, AFI 2, SAFI 1: the
    // next hop length
    assertEquals(32, out.getUnsignedByte(30));
    assertEquals(
        "20010db8000000000000000000000001fe800000000000000000000000000001",
        ByteBufUtil.hexDump(out, 31, 32));
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    assertEquals(UpdateOutcome.OK, d.decode(out), () -> d.errors().toString());
    assertEquals(32, d.nextHopLength());
    assertEquals(IpAddress.parse("2001:db8::1"), d.nextHop());
    assertEquals(IpAddress.parse("fe80::1"), d.linkLocalNextHop());
    assertEquals(a, d.attributes());
    assertTrue(a.toString().contains("next-hop 2001:db8::1 link-local fe80::1"), a::toString);
    // re-encoded from what was decoded: the same bytes
    ByteBuf again = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(d.attributes(), macRoutes(1), again);
    assertEquals(ByteBufUtil.hexDump(out), ByteBufUtil.hexDump(again));
    // a single address afterwards replaces both
    assertEquals(4, a.toBuilder().nextHop(IpAddress.parse("10.0.0.1")).build().nextHopLength());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PathAttributes.builder()
                .nextHop(IpAddress.parse("2001:db8::1"), IpAddress.parse("2001:db8::2")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PathAttributes.builder()
                .nextHop(IpAddress.parse("10.0.0.1"), IpAddress.parse("fe80::1")));
    out.release();
    again.release();
  }

  /**
   * Returns the type codes of the attributes of the UPDATE at the start of {@code m}, in wire
   * order, with flags.
   */
  static List<String> attributeOrder(ByteBuf m) {
    List<String> types = new ArrayList<>();
    int at = 19 + 2 + m.getUnsignedShort(19) + 2;
    int end = at + m.getUnsignedShort(at - 2);
    while (at < end) {
      int flags = m.getUnsignedByte(at);
      int type = m.getUnsignedByte(at + 1);
      boolean extended = (flags & PathAttributes.FLAG_EXTENDED_LENGTH) != 0;
      int length = extended ? m.getUnsignedShort(at + 2) : m.getUnsignedByte(at + 2);
      types.add(type + "/" + Integer.toHexString(flags & ~PathAttributes.FLAG_EXTENDED_LENGTH));
      at += (extended ? 4 : 3) + length;
    }
    return types;
  }

  @Test
  void rfc4271_5_anOriginatedAttributeLeavesPartialClearAndEveryAttributeGoesInTypeOrder() {
    // Tunnel Encapsulation (23) and an IPv6 Address-Specific Extended Community (25) originated
    // here, and an
    // unknown attribute 11 received from a peer, added out of order
    PathAttributes a =
        attributes().toBuilder()
            .pmsiTunnel(
                PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("10.0.0.1")))
            .addLargeCommunity(LargeCommunity.parse("65000:1:2"))
            .addOther(new RawAttribute(0xC0, 25, new byte[20]))
            .addOther(new RawAttribute(0xC0, 23, new byte[8]))
            .addOther(RawAttribute.received(0xC0, 11, new byte[4]))
            .addOther(
                RawAttribute.received(
                    0x80, 12, new byte[4])) // optional non-transitive: not passed on
            .build();
    assertEquals(List.of(11, 12, 23, 25), a.others().stream().map(RawAttribute::type).toList());
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(a, macRoutes(1), out);
    assertEquals(
        List.of(
            "14/80", "1/40", "2/40", "4/80", "5/40", "11/e0", "16/c0", "22/c0", "23/c0", "25/c0",
            "32/c0"),
        attributeOrder(out));
    ByteBuf attributesOnly = Unpooled.buffer();
    a.write(attributesOnly, SessionOptions.IBGP);
    assertEquals(a.encodedLength(SessionOptions.IBGP), attributesOnly.readableBytes());
    // a speaker cannot keep as bytes what it models or writes itself, nor one attribute twice
    for (int modelled : new int[] {1, 3, 8, 14, 15, 16, 22, 32}) {
      assertThrows(
          IllegalArgumentException.class,
          () -> PathAttributes.builder().addOther(new RawAttribute(0xC0, modelled, new byte[4])),
          "type " + modelled);
    }
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PathAttributes.builder()
                .addOther(new RawAttribute(0xC0, 23, new byte[4]))
                .addOther(new RawAttribute(0xC0, 23, new byte[4]))
                .build());
    // well-known attributes are recognised by every speaker: none is kept as bytes
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new RawAttribute(0x40, 23, new byte[4]));
    assertTrue(String.valueOf(e.getMessage()).contains("optional"), e::getMessage);
    out.release();
    attributesOnly.release();
  }

  @Test
  void rfc4271_5_1_5_internalOnlyAttributesLeftOutOfExternalUpdatesAreCounted() {
    UpdateEncoder ebgp = new UpdateEncoder(SessionOptions.EBGP);
    ByteBuf out = Unpooled.buffer();
    PathAttributes withLocalPref = attributes();
    assertTrue(withLocalPref.hasInternalOnlyAttributes());
    int messages = ebgp.announce(withLocalPref, macRoutes(300), out);
    assertTrue(messages > 1);
    assertEquals(messages, ebgp.internalOnlyAttributesDropped());
    assertTrue(
        attributeOrder(out).stream().noneMatch(t -> t.startsWith("5/")),
        "no LOCAL_PREF to an external peer");
    PathAttributes without = withLocalPref.toBuilder().localPref(-1).build();
    assertTrue(!without.hasInternalOnlyAttributes());
    ebgp.announce(without, macRoutes(1), out);
    assertEquals(messages, ebgp.internalOnlyAttributesDropped());
    UpdateEncoder ibgp = new UpdateEncoder(SessionOptions.IBGP);
    ibgp.announce(withLocalPref, macRoutes(1), out);
    assertEquals(0, ibgp.internalOnlyAttributesDropped());
    assertTrue(PathAttributes.builder().originatorId(1).build().hasInternalOnlyAttributes());
    assertTrue(PathAttributes.builder().addClusterId(1).build().hasInternalOnlyAttributes());
    out.release();
  }
}
