package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.testkit.Differential;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.GeneratedUpdate;
import io.evpnkit.testkit.ParserContract;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FragileParserExampleTest {
  @Test
  void testkitFindsBothBugsOfTheFragileParser() {
    ParserContract.Report r =
        ParserContract.of(FragileParserExample::countMacRoutes)
            .check(ParserContract.evpnUpdates(0xE7A9, 50));
    assertTrue(
        r.violations().stream()
            .anyMatch(
                v ->
                    v.kind() == ParserContract.Kind.UNDECLARED_EXCEPTION
                        && v.detail().contains("IndexOutOfBoundsException")),
        r.violations()::toString);
    SessionOptions addPath = SessionOptions.IBGP.withAddPath(true);
    Optional<Differential.Disagreement> d =
        Differential.compare(
            b -> FragileParserExample.countMacRoutes(Unpooled.wrappedBuffer(b)),
            b -> FragileParserExample.evpnkitCount(b, addPath),
            Integer::equals,
            new EvpnUpdateGenerator(0xE7A9)
                .stream(400)
                    .filter(u -> u.options().addPath() && u.options().fourOctetAs())
                    .map(u -> new ParserContract.Input(u.id(), u.bytes())));
    assertTrue(d.isPresent());
    // the case id rebuilds the input alone
    GeneratedUpdate again = EvpnUpdateGenerator.replay(d.get().input());
    assertEquals(d.get().hex(), again.hex());
    // and on well-formed UPDATEs without ADD-PATH the two agree
    assertTrue(
        Differential.compare(
                b -> FragileParserExample.countMacRoutes(Unpooled.wrappedBuffer(b)),
                b -> FragileParserExample.evpnkitCount(b, SessionOptions.IBGP),
                Integer::equals,
                new EvpnUpdateGenerator(1)
                    .stream(300)
                        .filter(u -> !u.options().addPath() && u.options().fourOctetAs())
                        .map(u -> new ParserContract.Input(u.id(), u.bytes())))
            .isEmpty());
  }
}
