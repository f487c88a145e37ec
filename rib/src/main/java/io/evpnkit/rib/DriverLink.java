package io.evpnkit.rib;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Sends batches to a driver with bounded retries and a time-out; after the retries, or whenever the
 * driver is known to be out of step, it downloads the full state instead.
 *
 * <p>Two ways to call: directly on the RIB's thread (the default: no hand-off, a few microseconds
 * per batch less; a call that returns after the time-out is reported as a fault, its batch having
 * been applied), or isolated on a daemon thread of its own, so that a hung driver costs the
 * time-out and not the RIB (a thread that timed out is abandoned and a new one started; the
 * hand-off costs tens of microseconds per batch).
 */
final class DriverLink implements AutoCloseable {
  private final ForwardingDriver driver;
  private final int retries;
  private final Duration timeout;
  private final RibListener listener;
  private final boolean isolated;
  private @Nullable ExecutorService executor;
  private boolean outOfStep = true; // the first download is a full one
  private long failures;
  private long resyncs;

  DriverLink(
      ForwardingDriver driver,
      int retries,
      Duration timeout,
      RibListener listener,
      boolean isolated) {
    this.driver = driver;
    this.retries = retries;
    this.timeout = timeout;
    this.listener = listener;
    this.isolated = isolated;
    this.executor = isolated ? newExecutor() : null;
  }

  private static ExecutorService newExecutor() {
    return Executors.newSingleThreadExecutor(
        r -> {
          Thread t = new Thread(r, "evpnkit-driver");
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Returns whether the driver holds what the RIB wants (false until a resync succeeds after a
   * failure).
   */
  boolean inStep() {
    return !outOfStep;
  }

  /** Makes the next {@link #send} a full resync (the RIB rebuilt its state). */
  void resyncNext() {
    outOfStep = true;
  }

  long failures() {
    return failures;
  }

  long resyncs() {
    return resyncs;
  }

  /** Sends a batch (or, when out of step, the full state {@code full} gives). */
  void send(List<ForwardingOp> batch, Supplier<List<ForwardingOp>> full) {
    if (!outOfStep) {
      Throwable last = null;
      for (int attempt = 0; attempt <= retries; attempt++) {
        last = call(() -> driver.apply(batch));
        if (last == null) {
          return;
        }
        failures++;
      }
      outOfStep = true;
      resync(full, last);
      return;
    }
    resync(full, null);
  }

  private void resync(Supplier<List<ForwardingOp>> full, @Nullable Throwable cause) {
    List<ForwardingOp> state = full.get();
    Throwable failure = call(() -> driver.replaceAll(state));
    resyncs++;
    if (failure == null) {
      outOfStep = false;
      if (cause != null) {
        listener.driverFault(cause, true);
      }
    } else {
      failures++;
      listener.driverFault(failure, false);
    }
  }

  private interface Call {
    void run() throws Exception;
  }

  /** Runs a driver call with the time-out; returns its failure, or null. */
  private @Nullable Throwable call(Call c) {
    ExecutorService e = executor;
    if (!isolated || e == null) {
      long start = System.nanoTime();
      try {
        c.run();
      } catch (Exception | LinkageError | AssertionError ex) {
        return ex;
      }
      long took = System.nanoTime() - start;
      if (took > timeout.toNanos()) {
        listener.driverFault(
            new TimeoutException("driver call took " + took / 1_000_000 + " ms (applied)"), true);
      }
      return null;
    }
    Future<?> f =
        e.submit(
            () -> {
              c.run();
              return null;
            });
    try {
      f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return null;
    } catch (ExecutionException ex) {
      return ex.getCause() == null ? ex : ex.getCause();
    } catch (TimeoutException ex) {
      f.cancel(true);
      e.shutdownNow();
      executor = newExecutor(); // the stuck thread is abandoned
      return ex;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      return ex;
    }
  }

  @Override
  public void close() {
    ExecutorService e = executor;
    if (e != null) {
      e.shutdownNow();
    }
  }
}
