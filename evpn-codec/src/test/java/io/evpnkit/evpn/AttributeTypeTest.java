package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The attribute table: each row as its RFC defines it, and the encoder's headers written from it.
 */
class AttributeTypeTest {
  @Test
  void everyRowHasTheFlagsOfItsRfc() {
    int wellKnown = PathAttributes.FLAG_TRANSITIVE;
    int optional = PathAttributes.FLAG_OPTIONAL;
    int optionalTransitive = optional | wellKnown;
    assertEquals(wellKnown, AttributeType.ORIGIN.flags()); // RFC 4271 §5.1.1
    assertEquals(wellKnown, AttributeType.LOCAL_PREF.flags()); // §5.1.5
    assertEquals(optional, AttributeType.MULTI_EXIT_DISC.flags()); // §5.1.4
    assertEquals(optional, AttributeType.ORIGINATOR_ID.flags()); // RFC 4456 §8
    assertEquals(optional, AttributeType.MP_REACH_NLRI.flags()); // RFC 4760 §3
    assertEquals(optionalTransitive, AttributeType.EXTENDED_COMMUNITIES.flags()); // RFC 4360 §2
    assertEquals(optionalTransitive, AttributeType.PMSI_TUNNEL.flags()); // RFC 6514 §5
    assertEquals(optionalTransitive, AttributeType.LARGE_COMMUNITY.flags()); // RFC 8092 §3
    for (AttributeType t : AttributeType.values()) {
      assertSame(t, AttributeType.of(t.code()));
      assertEquals(t.isOptional(), (t.flags() & optional) != 0);
    }
    assertNull(AttributeType.of(99));
    assertNull(AttributeType.of(-1));
    assertNull(AttributeType.of(256));
  }

  @Test
  void theEncoderWritesEachHeaderWithTheTablesFlagsAndItsLengthIsTheWalksCount() {
    PathAttributes a =
        PathAttributes.builder()
            .asPath(AsPath.sequence(65001, 4_200_000_000L))
            .nextHop(IpAddress.parse("10.0.0.1"))
            .med(5)
            .localPref(200)
            .atomicAggregate(true)
            .aggregator(4_200_000_001L, 0x0A000001)
            .addCommunity(0xFFFF0001)
            .addExtendedCommunity(ExtendedCommunity.encapsulation(8))
            .originatorId(0x0A000002L)
            .addClusterId(0x0A000003)
            .pmsiTunnel(
                PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("10.0.0.1")))
            .addLargeCommunity(new LargeCommunity(65001, 1, 2))
            .addOther(
                new RawAttribute(
                    PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE,
                    99,
                    new byte[] {1, 2, 3}))
            .build();
    for (SessionOptions options :
        List.of(
            SessionOptions.IBGP,
            SessionOptions.EBGP,
            new SessionOptions(false, false, false, true))) {
      ByteBuf out = Unpooled.buffer();
      try {
        a.write(out, options);
        assertEquals(out.readableBytes(), a.encodedLength(options), options.toString());
        int at = 0;
        while (at < out.writerIndex()) {
          int flags = out.getUnsignedByte(at);
          int type = out.getUnsignedByte(at + 1);
          boolean extended = (flags & PathAttributes.FLAG_EXTENDED_LENGTH) != 0;
          int length = extended ? out.getUnsignedShort(at + 2) : out.getUnsignedByte(at + 2);
          AttributeType t = AttributeType.of(type);
          if (t != null) {
            assertEquals(t.flags(), flags & 0xE0, t + " on " + options);
          }
          at += (extended ? 4 : 3) + length;
        }
        assertEquals(out.writerIndex(), at);
      } finally {
        out.release();
      }
    }
  }

  /**
   * An UPDATE with one attribute of the given type, flags from the table and {@code length} zero
   * octets.
   */
  static ByteBuf update(AttributeType t, int length) {
    ByteBuf b = Unpooled.buffer();
    b.writeBytes(new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
    b.writeShort(0).writeByte(2); // length, UPDATE
    b.writeShort(0); // no withdrawn routes
    b.writeShort(3 + length);
    b.writeByte(t.flags()).writeByte(t.code()).writeByte(length).writeZero(length);
    b.setShort(16, b.readableBytes());
    return b;
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.EnumSource(
      value = AttributeType.class,
      names = {
        "ORIGIN",
        "MULTI_EXIT_DISC",
        "LOCAL_PREF",
        "ATOMIC_AGGREGATE",
        "AGGREGATOR",
        "COMMUNITIES",
        "ORIGINATOR_ID",
        "CLUSTER_LIST",
        "EXTENDED_COMMUNITIES",
        "LARGE_COMMUNITY"
      })
  void rfc7606_7_aLengthThatBreaksTheTablesRuleGetsTheTablesOutcome(AttributeType t) {
    int wrong = t.lengthRule() == AttributeType.Length.AS_AND_ADDRESS ? 7 : t.length() + 1;
    ByteBuf b = update(t, wrong);
    try {
      UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP); // internal, 4-octet AS
      d.decode(b);
      assertEquals(
          List.of(t.lengthOutcome()),
          d.errors().stream()
              .filter(e -> e.attributeType() == t.code())
              .map(UpdateError::outcome)
              .toList(),
          d.errors()::toString);
    } finally {
      b.release();
    }
  }
}
