package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * What an integrator implements to receive forwarding state from the RIB: a kernel FDB, an OVSDB
 * {@code hardware_vtep} client, an ASIC SDK, or {@link InMemoryForwardingTable}. Calls come from
 * one thread at a time, in order.
 *
 * <p>Faults: a driver may throw, or take longer than the RIB's time-out; the RIB then retries the
 * batch a bounded number of times and, if it still fails, calls {@link #replaceAll} with the whole
 * state it wants. The RIB's own state never depends on the driver's success. A call that timed out
 * is abandoned on its thread: a driver must not apply anything from it once it returns late (check
 * a generation number, or make calls cancellable on interrupt). Locally learned and aged MACs go
 * the other way, through the {@link LocalLearning} the RIB gives in {@link #attach}, on the RIB's
 * thread.
 *
 * @since 0.1
 */
@Beta
public interface ForwardingDriver {
  /**
   * Applies one ordered batch (see {@link ForwardingOp} for the order's guarantees).
   *
   * @throws Exception any failure; the RIB retries, then resynchronizes
   */
  void apply(List<ForwardingOp> batch) throws Exception;

  /**
   * Replaces everything the driver holds with {@code state} (set operations only, in a safe order):
   * the full resync after failures, and the first download.
   *
   * @throws Exception any failure; the RIB tries again at its next batch
   */
  void replaceAll(List<ForwardingOp> state) throws Exception;

  /**
   * Gives the driver the RIB to report locally learned and aged MACs and port state to (called
   * once, when the RIB is built). The default ignores it: a driver without learning (or the
   * reference table) needs nothing.
   */
  default void attach(LocalLearning rib) {}
}
