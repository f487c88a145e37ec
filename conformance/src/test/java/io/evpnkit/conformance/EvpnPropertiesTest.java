package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.evpn.UpdateError;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.testkit.BufferShape;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.GeneratedUpdate;
import io.evpnkit.testkit.Hex;
import io.evpnkit.testkit.MutatedUpdate;
import io.evpnkit.testkit.UpdateMutator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of evpn-codec's UPDATE decoding over testkit's generated UPDATEs (every route type,
 * both AS sizes, ADD-PATH, both peer kinds) in every buffer shape, and over their mutations, whose
 * RFC 7606 outcome the mutator knows. Every failure names the case id ({@code
 * EvpnUpdateGenerator.replay(id)} rebuilds it) and the bytes in hex.
 */
class EvpnPropertiesTest {
  static final BufferShape[] SHAPES = BufferShape.values();

  @TestFactory
  Stream<DynamicTest> generatedUpdatesDecodeToWhatWasBuilt() {
    long seed = Seeds.runSeed();
    return new EvpnUpdateGenerator(seed)
        .stream(Seeds.cases(800))
            .map(
                u ->
                    DynamicTest.dynamicTest(
                        u.id(),
                        () -> {
                          BufferShape shape =
                              SHAPES[(int) Long.remainderUnsigned(u.seed(), SHAPES.length)];
                          ByteBuf b = shape.wrap(u.bytes());
                          try {
                            b.readerIndex(BufferShape.OFFSET);
                            UpdateDecoder d = new UpdateDecoder(u.options());
                            String context = u + " in " + shape + "\n" + u.hex();
                            assertEquals(
                                UpdateOutcome.OK, d.decode(b), () -> context + "\n" + d.errors());
                            List<String> withdrawn = new ArrayList<>();
                            List<String> announced = new ArrayList<>();
                            List<Long> ids = new ArrayList<>();
                            List<EvpnRoute> routes = new ArrayList<>();
                            d.forEachRoute(
                                (w, id, n) -> {
                                  (w ? withdrawn : announced)
                                      .add(
                                          ByteBufUtil.hexDump(
                                              n.buffer(), n.offset(), n.totalLength()));
                                  ids.add(id);
                                  if (!w) {
                                    routes.add(EvpnRoutes.decode(n));
                                  }
                                });
                            assertEquals(
                                u.withdrawn().stream().map(Hex::encode).toList(),
                                withdrawn,
                                context);
                            assertEquals(
                                u.announced().stream().map(Hex::encode).toList(),
                                announced,
                                context);
                            if (u.options().addPath()) {
                              assertEquals(
                                  java.util.Arrays.stream(u.pathIds()).boxed().toList(),
                                  ids,
                                  context);
                            }
                            if (!u.announced().isEmpty()) {
                              PathAttributes a = d.attributes();
                              long[] ext = new long[a.extendedCommunityCount()];
                              for (int i = 0; i < ext.length; i++) {
                                ext[i] = a.extendedCommunityValue(i);
                              }
                              assertArrayEquals(u.extendedCommunities(), ext, context);
                              byte[] nh = u.nextHop();
                              assertEquals(
                                  Hex.encode(java.util.Arrays.copyOf(nh, Math.min(nh.length, 16))),
                                  String.valueOf(a.nextHop()).isEmpty() ? "" : hexOf(a),
                                  context);
                              // decode(encode(x)) = x: what was kept writes back into UPDATEs that
                              // decode to the same routes
                              ByteBuf again = PooledByteBufAllocator.DEFAULT.buffer();
                              try {
                                new UpdateEncoder(u.options().withAddPath(false))
                                    .announce(a, routes, again);
                                UpdateDecoder d2 =
                                    new UpdateDecoder(u.options().withAddPath(false));
                                List<String> back = new ArrayList<>();
                                try (BgpMessageFramer f =
                                    new BgpMessageFramer(false, PooledByteBufAllocator.DEFAULT)) {
                                  assertNull(
                                      f.feed(
                                          again,
                                          (m, type, offset) -> {
                                            assertEquals(
                                                UpdateOutcome.OK,
                                                d2.decode(m),
                                                () -> context + "\n" + d2.errors());
                                            d2.forEachRoute(
                                                (w, id, n) ->
                                                    back.add(
                                                        ByteBufUtil.hexDump(
                                                            n.buffer(),
                                                            n.offset(),
                                                            n.totalLength())));
                                            assertEquals(
                                                a.toBuilder().clearOthers().build(),
                                                d2.attributes().toBuilder().clearOthers().build());
                                          }));
                                }
                                assertEquals(announced, back, context);
                              } finally {
                                again.release();
                              }
                            }
                          } finally {
                            b.release();
                          }
                        }));
  }

  private static String hexOf(PathAttributes a) {
    io.evpnkit.evpn.IpAddress ip = java.util.Objects.requireNonNull(a.nextHop());
    ByteBuf b = io.netty.buffer.Unpooled.buffer(16);
    ip.write(b, 0);
    return ByteBufUtil.hexDump(b, 0, ip.byteLength());
  }

  @TestFactory
  Stream<DynamicTest> everyMutationGetsItsRfc7606Outcome() {
    long seed = Seeds.runSeed();
    EvpnUpdateGenerator g = new EvpnUpdateGenerator(seed ^ 0x7606);
    return Stream.generate(() -> new GeneratedUpdate[] {g.next(), g.next()})
        .limit(Seeds.cases(300))
        .map(
            pair ->
                DynamicTest.dynamicTest(
                    pair[0].id(),
                    () -> {
                      List<MutatedUpdate> cases =
                          UpdateMutator.mutations(pair[0], pair[1], pair[0].seed(), 8);
                      for (MutatedUpdate c : cases) {
                        check(c);
                      }
                    }));
  }

  @TestFactory
  Stream<DynamicTest> everyTruncationResetsTheSession() {
    long seed = Seeds.runSeed();
    return new EvpnUpdateGenerator(seed ^ 0x7)
        .stream(Seeds.cases(60))
            .map(
                u ->
                    DynamicTest.dynamicTest(
                        u.id(),
                        () -> UpdateMutator.truncations(u).forEach(EvpnPropertiesTest::check)));
  }

  static void check(MutatedUpdate c) {
    ByteBuf b = c.toByteBuf();
    try {
      UpdateDecoder d = new UpdateDecoder(c.origin().options());
      UpdateOutcome outcome = d.decode(b);
      if (c.expected() != null) {
        assertEquals(c.expected(), outcome, () -> c + "\n" + d.errors());
      }
      for (UpdateError e : d.errors()) {
        assertTrue(
            e.offset() >= 0 && e.offset() < Math.max(1, b.readableBytes()), () -> c + ": " + e);
      }
      if (outcome != UpdateOutcome.SESSION_RESET) {
        d.forEachRoute((w, id, n) -> EvpnRoutes.decode(n));
        d.attributes();
      } else {
        d.notification();
      }
    } finally {
      b.release();
    }
  }
}
