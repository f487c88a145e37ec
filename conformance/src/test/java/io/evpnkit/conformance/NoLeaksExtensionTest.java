package io.evpnkit.conformance;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.testkit.LeakRecorder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves that the leak check can fail: a buffer dropped without release is reported. */
class NoLeaksExtensionTest {
  @Test
  void anUnreleasedBufferIsReported() {
    assertTrue(LeakRecorder.isInstalled());
    leak();
    List<String> leaks = List.of();
    for (int i = 0; i < 20 && leaks.isEmpty(); i++) {
      leaks = LeakRecorder.collect();
    }
    assertFalse(leaks.isEmpty(), "the leaked buffer was not reported");
  }

  private static void leak() {
    ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(32);
    b.writeLong(1);
    // dropped on purpose
  }
}
