package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Turns Netty's leak reports into something a test can assert on. Netty's {@link
 * ResourceLeakDetector} only logs a buffer that was garbage-collected without being released; once
 * {@link #install()}ed, this class records every such report so that {@link #collect()} can return
 * them and a test can fail.
 *
 * <p>Install it before the first buffer is allocated in the JVM (Netty creates its detectors when
 * the buffer classes initialise), with leak detection at {@code PARANOID} ({@code
 * -Dio.netty.leakDetection.level=paranoid}, which this class also sets if nothing was set).
 * Detection is as good as the garbage collector: {@link #collect()} asks for a collection and
 * allocates a few buffers so that Netty looks at its queue, but a leak may be reported a little
 * later than it happened. Thread-safe.
 *
 * @since 0.1
 */
@Beta
public final class LeakRecorder {
  private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();
  private static volatile boolean installed;

  private LeakRecorder() {}

  /** Installs the recording detector factory (idempotent). */
  public static synchronized void install() {
    if (installed) {
      return;
    }
    if (System.getProperty("io.netty.leakDetection.level") == null) {
      ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(
        new ResourceLeakDetectorFactory() {
          @Override
          @SuppressWarnings("deprecation")
          public <T> ResourceLeakDetector<T> newResourceLeakDetector(
              Class<T> resource, int samplingInterval, long maxActive) {
            return new Recording<>(resource, samplingInterval);
          }
        });
    installed = true;
  }

  /** Returns whether {@link #install()} ran. */
  public static boolean isInstalled() {
    return installed;
  }

  /**
   * Encourages pending reports (a garbage collection, then allocations that make Netty poll its
   * queue) and returns and clears the leaks recorded so far, each with the access records Netty
   * kept.
   */
  public static List<String> collect() {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      for (ByteBufAllocator a :
          new ByteBufAllocator[] {
            PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT
          }) {
        for (int i = 0; i < 64; i++) {
          ByteBuf b = a.directBuffer(16);
          b.release();
          ByteBuf h = a.heapBuffer(16);
          h.release();
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String s = LEAKS.poll(); s != null; s = LEAKS.poll()) {
      out.add(s);
    }
    return out;
  }

  private static final class Recording<T> extends ResourceLeakDetector<T> {
    @SuppressWarnings("deprecation")
    Recording(Class<T> resource, int samplingInterval) {
      super(resource, samplingInterval, Long.MAX_VALUE);
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
      LEAKS.add(resourceType + " leaked:" + records);
      super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
      LEAKS.add(resourceType + " leaked (no records)");
      super.reportUntracedLeak(resourceType);
    }
  }
}
