package io.evpnkit.benchmarks;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.netty.buffer.ByteBuf;
import java.lang.management.ManagementFactory;
import java.util.List;

/**
 * Heap per MAC route (the figure an integrator sizes a VTEP's heap by): the heap in use after full
 * collections, before and after inserting N type 2 routes from decoded UPDATEs into a RIB and the
 * reference forwarding table (which holds its own copy of the MAC table). {@code java -cp
 * benchmarks/target/benchmarks.jar io.evpnkit.benchmarks.RibMemory [N]}
 */
public final class RibMemory {
  private RibMemory() {}

  static long used() {
    for (int i = 0; i < 4; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Runs the measurement. */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    List<ByteBuf> messages = RibBenchmark.updates(n, EthernetSegmentIdentifier.ZERO);
    InMemoryForwardingTable table = new InMemoryForwardingTable();
    long before = used();
    EvpnRib rib =
        EvpnRib.builder(VtepConfig.parse(RibBenchmark.CONFIG), RibBenchmark.LOCAL, table).build();
    UpdateDecoder decoder = new UpdateDecoder(SessionOptions.IBGP);
    long start = System.nanoTime();
    for (ByteBuf m : messages) {
      decoder.decode(m);
      rib.update(RibBenchmark.RR, decoder);
    }
    long took = System.nanoTime() - start;
    long after = used();
    System.out.printf(
        "%d routes: %.0f bytes of heap per MAC route (RIB and reference table), inserted in %d ms "
            + "(one cold run; JMH's RibBenchmark.Insert measures speed)%n",
        n, (after - before) / (double) n, took / 1_000_000);
    System.out.println(rib + ", " + table.macCount() + " MAC entries in the table");
    messages.forEach(ByteBuf::release);
  }
}
