package io.evpnkit.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ParserContractTest {
  @Test
  void evpnkitsDecoderKeepsTheContract() {
    ParserContract.Report r =
        ParserContract.of(buf -> new UpdateDecoder(SessionOptions.IBGP).decode(buf))
            .maxMillis(2000)
            .maxAllocation(64, 64 * 1024)
            .check(ParserContract.evpnUpdates(1, 40));
    r.assertClean();
    assertTrue(r.inputs() > 400, "inputs " + r.inputs());
  }

  @Test
  void eachKindOfViolationIsCaught() {
    // reads a length octet and trusts it
    ParserContract.Report r =
        ParserContract.of(buf -> buf.getByte(buf.readerIndex() + 19 + buf.getUnsignedShort(19)))
            .check(ParserContract.evpnUpdates(2, 10));
    assertEquals(ParserContract.Kind.UNDECLARED_EXCEPTION, r.violations().get(0).kind());
    assertTrue(
        r.violations().get(0).detail().contains("IndexOutOfBoundsException"),
        r.violations()::toString);
    AssertionError e = assertThrows(AssertionError.class, r::assertClean);
    assertTrue(String.valueOf(e.getMessage()).contains("input: ffffffff"), e::getMessage);
    // declared exceptions are fine
    ParserContract.of(
            buf -> {
              throw new IllegalArgumentException("bad");
            })
        .declared(IllegalArgumentException.class)
        .check(ParserContract.evpnUpdates(2, 2))
        .assertClean();
    // keeps a reference
    assertEquals(
        ParserContract.Kind.REFERENCE_COUNT,
        ParserContract.of(ByteBuf::retain)
            .check(ParserContract.evpnUpdates(3, 1))
            .violations()
            .get(0)
            .kind());
    // allocates in proportion to nothing sensible
    assertEquals(
        ParserContract.Kind.TOO_MUCH_ALLOCATION,
        ParserContract.of(buf -> new byte[1 << 22])
            .maxAllocation(16, 1024)
            .check(ParserContract.evpnUpdates(4, 1))
            .violations()
            .get(0)
            .kind());
    // hangs: waits on a latch nobody opens (the check's time-out interrupts it); the test itself
    // waits 100 ms
    java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
    ParserContract.Report slow =
        ParserContract.of(
                buf -> {
                  try {
                    never.await();
                  } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                  }
                  return null;
                })
            .maxMillis(100)
            .check(ParserContract.evpnUpdates(5, 3));
    assertEquals(ParserContract.Kind.TOO_SLOW, slow.violations().get(0).kind());
    assertEquals(1, slow.inputs());
  }

  @Test
  void generatedOpensReadAsBuilt() {
    for (long seed = 0; seed < 300; seed++) {
      OpenGenerator.Open o = OpenGenerator.generate(seed);
      io.evpnkit.evpn.BgpOpen open =
          io.evpnkit.evpn.BgpOpen.read(io.netty.buffer.Unpooled.wrappedBuffer(o.bytes()));
      assertEquals(o.as(), open.as(), o::toString);
      assertEquals(
          o.capabilityCodes(),
          open.capabilities().stream().map(c -> c.code()).toList(),
          o::toString);
    }
    ParserContract.of(buf -> io.evpnkit.evpn.BgpOpen.read(buf))
        .declared(io.evpnkit.evpn.BgpProtocolException.class)
        .maxAllocation(256, 64 * 1024)
        .check(ParserContract.bgpOpens(9, 100))
        .assertClean();
  }

  @Test
  void vxlanInputsExist() {
    assertTrue(ParserContract.vxlanFrames(6, 5).count() > 10);
  }

  static List<String> routes(byte[] bytes) {
    List<String> out = new ArrayList<>();
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    d.decode(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    d.forEachRoute((w, id, n) -> out.add(EvpnRoutes.decode(n).toString()));
    return out;
  }

  @Test
  void differentialShowsTheFirstDisagreement() {
    assertTrue(
        Differential.compare(
                ParserContractTest::routes,
                ParserContractTest::routes,
                List::equals,
                ParserContract.evpnUpdates(7, 20))
            .isEmpty());
    Optional<Differential.Disagreement> d =
        Differential.compare(
            ParserContractTest::routes,
            b -> b.length > 100 ? List.<String>of() : routes(b),
            List::equals,
            ParserContract.evpnUpdates(7, 20));
    assertTrue(d.isPresent());
    assertTrue(d.get().toString().contains("decoders disagree on"), d.get()::toString);
  }

  @Test
  void roundTripLaws() {
    List<EvpnRoute> values = new ArrayList<>();
    new EvpnUpdateGenerator(8)
        .stream(50).forEach(u -> u.announced().forEach(n -> values.add(EvpnRoutes.fromBytes(n))));
    assertTrue(
        RoundTrip.law(values.stream(), EvpnRoutes::toBytes, EvpnRoutes::fromBytes).isEmpty());
    assertTrue(
        RoundTrip.law(
                values.stream().map(EvpnRoutes::toBytes),
                EvpnRoutes::fromBytes,
                EvpnRoutes::toBytes)
            .isEmpty());
    Optional<RoundTrip.Failure> f =
        RoundTrip.law(
            values.stream(),
            r -> r.toString(),
            t -> EvpnRoutes.fromBytes(EvpnRoutes.toBytes(EvpnRoutes.parseJunos(t))));
    // the Junos text leaves the labels and (for type 2) the ESI out: not an inverse, and the law
    // says where
    assertTrue(f.isPresent());
  }
}
