package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.testkit.BufferShape;
import io.evpnkit.testkit.FrameMutator;
import io.evpnkit.testkit.GeneratedFrame;
import io.evpnkit.testkit.MutatedFrame;
import io.evpnkit.testkit.VxlanFrameGenerator;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.HeaderFormat;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.evpnkit.vxlan.VxlanEncapsulator;
import io.evpnkit.vxlan.VxlanTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties of the VXLAN codec over generated frames (testkit), each over every {@link
 * BufferShape}: valid frames are accepted with the fields they were built with; encapsulating their
 * inner frame again and decapsulating gives it back byte for byte; every truncation and every lying
 * length is dropped with a typed reason; bit flips never make the decapsulator throw or point
 * outside the packet.
 */
class VxlanPropertiesTest {
  private static final DecapsulatorConfig PLAIN =
      DecapsulatorConfig.builder().verifyUdpChecksum(true).build();
  private static final DecapsulatorConfig GBP =
      DecapsulatorConfig.builder().verifyUdpChecksum(true).groupBasedPolicy(true).build();

  static DecapsulatorConfig configFor(GeneratedFrame f) {
    return f.format() == HeaderFormat.GBP ? GBP : PLAIN;
  }

  @TestFactory
  Stream<DynamicTest> validFramesDecapsulateToWhatWasBuilt() {
    long seed = Seeds.runSeed();
    return new VxlanFrameGenerator(seed)
        .stream(Seeds.cases(1500))
            .map(
                f ->
                    DynamicTest.dynamicTest(
                        f.id(),
                        () -> {
                          for (BufferShape shape : BufferShape.values()) {
                            ByteBuf buf = shape.wrap(f.bytes());
                            try {
                              Decapsulation d =
                                  new VxlanDecapsulator(configFor(f)).decapsulate(buf);
                              String ctx = shape + " " + d + " " + f;
                              assertTrue(d.isOk(), ctx);
                              assertEquals(f.vni(), d.vni(), ctx);
                              assertEquals(f.format(), d.format(), ctx);
                              assertEquals(f.ipVersion(), d.ipVersion(), ctx);
                              assertEquals(f.destinationPort(), d.destinationPort(), ctx);
                              assertEquals(f.outerVlans().length, d.outerVlanCount(), ctx);
                              assertEquals(
                                  BufferShape.OFFSET + f.innerOffset(), d.innerOffset(), ctx);
                              assertEquals(f.innerLength(), d.innerLength(), ctx);
                              assertEquals(f.innerProtocol(), d.innerProtocol(), ctx);
                              if (f.groupPolicyId() >= 0) {
                                assertEquals(f.groupPolicyId(), d.header().groupPolicyId(), ctx);
                              }
                              assertEquals(
                                  BufferShape.OFFSET, buf.readerIndex(), "indexes untouched");
                            } finally {
                              buf.release();
                            }
                          }
                        }));
  }

  @TestFactory
  Stream<DynamicTest> reEncapsulatingTheInnerFrameIsLossless() {
    long seed = Seeds.runSeed() ^ 1;
    VxlanEncapsulator encap = new VxlanEncapsulator();
    return new VxlanFrameGenerator(seed)
        .stream(Seeds.cases(500))
            .map(
                f ->
                    DynamicTest.dynamicTest(
                        f.id(),
                        () -> {
                          byte[] bytes = f.bytes();
                          byte[] inner =
                              java.util.Arrays.copyOfRange(
                                  bytes, f.innerOffset(), f.innerOffset() + f.innerLength());
                          VxlanTunnel.Builder b =
                              VxlanTunnel.builder()
                                  .source(f.ipVersion() == 4 ? "192.0.2.1" : "2001:db8::1")
                                  .destination(f.ipVersion() == 4 ? "192.0.2.2" : "2001:db8::2");
                          if (f.format() == HeaderFormat.GPE) {
                            b.gpe(f.innerProtocol());
                          } else if (f.format() == HeaderFormat.GBP) {
                            b.groupPolicy(f.groupPolicyId(), false, true);
                          }
                          VxlanTunnel tunnel = b.build();
                          for (BufferShape shape : BufferShape.values()) {
                            ByteBuf buf = shape.wrap(inner, tunnel.headerLength() + 3);
                            try {
                              assertTrue(encap.encapsulate(buf, tunnel, f.vni()));
                              Decapsulation d =
                                  new VxlanDecapsulator(configFor(f)).decapsulate(buf);
                              assertTrue(d.isOk(), () -> d + " " + f);
                              assertEquals(f.vni(), d.vni());
                              byte[] back = new byte[d.innerLength()];
                              buf.getBytes(d.innerOffset(), back);
                              assertArrayEquals(inner, back, f::toString);
                            } finally {
                              buf.release();
                            }
                          }
                        }));
  }

  @TestFactory
  Stream<DynamicTest> everyTruncationAndLyingLengthIsATypedDrop() {
    long seed = Seeds.runSeed() ^ 2;
    return new VxlanFrameGenerator(seed)
        .stream(Seeds.cases(300))
            .map(
                f ->
                    DynamicTest.dynamicTest(
                        f.id(),
                        () -> {
                          VxlanDecapsulator decap = new VxlanDecapsulator(configFor(f));
                          java.util.List<MutatedFrame> cases =
                              new java.util.ArrayList<>(FrameMutator.truncations(f));
                          cases.addAll(FrameMutator.lyingLengths(f, f.seed()));
                          for (MutatedFrame m : cases) {
                            for (BufferShape shape :
                                new BufferShape[] {BufferShape.HEAP, BufferShape.COMPOSITE}) {
                              ByteBuf buf = shape.wrap(m.bytes());
                              try {
                                Decapsulation d = decap.decapsulate(buf);
                                assertFalse(d.isOk(), m::toString);
                                m.expectedReason()
                                    .ifPresent(r -> assertEquals(r, d.dropReason(), m::toString));
                                assertTrue(
                                    d.errorOffset() >= 0 && d.errorOffset() <= m.bytes().length,
                                    () -> d + " " + m);
                              } finally {
                                buf.release();
                              }
                            }
                          }
                        }));
  }

  @TestFactory
  Stream<DynamicTest> bitFlipsNeverBreakTheDecapsulator() {
    long seed = Seeds.runSeed() ^ 3;
    return new VxlanFrameGenerator(seed)
        .stream(Seeds.cases(300))
            .map(
                f ->
                    DynamicTest.dynamicTest(
                        f.id(),
                        () -> {
                          VxlanDecapsulator decap = new VxlanDecapsulator(configFor(f));
                          for (int i = 0; i < 20; i++) {
                            MutatedFrame m = FrameMutator.flipBits(f, f.seed() + i);
                            ByteBuf buf =
                                PooledByteBufAllocator.DEFAULT.directBuffer(m.bytes().length);
                            buf.writeBytes(m.bytes());
                            try {
                              Decapsulation d = decap.decapsulate(buf);
                              if (d.isOk()) {
                                assertTrue(
                                    d.innerOffset() + d.innerLength() <= buf.writerIndex(),
                                    m::toString);
                              } else {
                                assertTrue(
                                    d.errorOffset() >= 0 && d.errorOffset() <= buf.writerIndex(),
                                    m::toString);
                              }
                            } finally {
                              assertTrue(buf.release());
                            }
                          }
                        }));
  }
}
