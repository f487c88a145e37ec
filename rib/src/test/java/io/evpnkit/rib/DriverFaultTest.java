package io.evpnkit.rib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.EthernetTag;
import io.evpnkit.evpn.InclusiveMulticastRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LabelField;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.RouteDistinguisher;
import io.evpnkit.policy.VtepConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Driver fault injection: a driver that applies part of a batch and throws, or hangs past the
 * time-out, at random points; after the faults stop, one flush leaves the driver holding exactly
 * what the RIB wants.
 */
class DriverFaultTest {
  /** Applies a random prefix of each batch, then fails; sometimes hangs. */
  static final class Flaky implements ForwardingDriver {
    final InMemoryForwardingTable table = new InMemoryForwardingTable();
    final Random random;
    volatile boolean faulty = true;
    int faults;

    Flaky(long seed) {
      random = new Random(seed);
    }

    @Override
    public void apply(List<ForwardingOp> batch) throws Exception {
      if (faulty && random.nextInt(3) == 0) {
        faults++;
        table.apply(batch.subList(0, random.nextInt(batch.size() + 1)));
        if (random.nextInt(4) == 0) {
          // hang past the time-out: the RIB cancels the call, which interrupts this wait (bounded
          // in case it did not)
          new java.util.concurrent.CountDownLatch(1)
              .await(10, java.util.concurrent.TimeUnit.SECONDS);
        }
        throw new java.io.IOException("injected fault");
      }
      table.apply(batch);
    }

    @Override
    public void replaceAll(List<ForwardingOp> state) throws Exception {
      if (faulty && random.nextInt(4) == 0) {
        faults++;
        throw new java.io.IOException("injected resync fault");
      }
      table.replaceAll(state);
    }
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 0x5eedL})
  void afterTheFaultsStopTheDriverHoldsWhatTheRibWants(long seed) {
    Flaky driver = new Flaky(seed);
    List<Throwable> reported = new ArrayList<>();
    RibListener listener =
        new RibListener() {
          @Override
          public void driverFault(Throwable failure, boolean resynchronized) {
            reported.add(failure);
          }
        };
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(RibFixture.CONFIG), RibFixture.LOCAL, driver)
            .listener(listener)
            .driverRetries(2, Duration.ofMillis(50))
            .driverThread(true)
            .build();
    Random events = new Random(seed * 31);
    IpAddress[] pes = {RibFixture.B, RibFixture.C, IpAddress.parse("10.0.0.4")};
    for (int i = 0; i < 300; i++) {
      IpAddress pe = pes[events.nextInt(pes.length)];
      PathAttributes a = RibFixture.attrs(pe, RibFixture.RT100, RibFixture.seq(events.nextInt(4)));
      switch (events.nextInt(6)) {
        case 0, 1 ->
            rib.announce(
                RibFixture.RR,
                0,
                RibFixture.mac(
                    pe,
                    MacAddress.of(0x0200_0000_0000L + events.nextInt(40)),
                    RibFixture.ESI,
                    IpAddress.ofIpv4(0x0A01_0000 + events.nextInt(40))),
                a);
        case 2 ->
            rib.withdraw(
                RibFixture.RR,
                0,
                RibFixture.mac(
                    pe,
                    MacAddress.of(0x0200_0000_0000L + events.nextInt(40)),
                    RibFixture.ESI,
                    IpAddress.ofIpv4(0x0A01_0000 + events.nextInt(40))));
        case 3 -> RibFixture.segment(rib, pe, events.nextBoolean());
        case 4 -> {
          InclusiveMulticastRoute imet =
              new InclusiveMulticastRoute(
                  RouteDistinguisher.parse(pe + ":1"), EthernetTag.ZERO, pe);
          if (events.nextBoolean()) {
            rib.announce(
                RibFixture.RR,
                0,
                imet,
                a.toBuilder()
                    .pmsiTunnel(PmsiTunnel.ingressReplication(LabelField.ofVni(100), pe))
                    .build());
          } else {
            rib.withdraw(RibFixture.RR, 0, imet);
          }
        }
        default -> {
          MacAddress m = MacAddress.of(0x0200_0000_0000L + events.nextInt(40));
          if (events.nextBoolean()) {
            rib.macLearned(100, m, "xe-0/0/0.0", null);
          } else {
            rib.macAged(100, m);
          }
        }
      }
    }
    assertTrue(driver.faults > 0, "the run injected faults");
    assertFalse(reported.isEmpty(), "and the RIB reported them");
    driver.faulty = false;
    rib.flush();
    assertTrue(rib.driverInStep());
    InMemoryForwardingTable wanted = new InMemoryForwardingTable();
    wanted.replaceAll(rib.forwardingState());
    assertEquals(wanted.macs(), driver.table.macs());
    assertEquals(wanted.groups(), driver.table.groups());
    assertEquals(wanted.floods(), driver.table.floods());
    assertEquals(wanted.neighbors(), driver.table.neighbors());
    rib.close();
  }
}
