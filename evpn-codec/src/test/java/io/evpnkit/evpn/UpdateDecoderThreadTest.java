package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A decoder is one per thread: shared, it would return wrong results; with assertions on, the
 * second thread hears so.
 */
class UpdateDecoderThreadTest {
  @Test
  void aSecondThreadIsRefusedWithAssertionsOn() throws Exception {
    UpdateDecoder decoder = new UpdateDecoder(SessionOptions.IBGP);
    byte[] empty = new byte[23]; // an UPDATE of nothing: End-of-RIB of IPv4 unicast
    java.util.Arrays.fill(empty, 0, 16, (byte) 0xFF);
    empty[17] = 23;
    empty[18] = 2;
    assertEquals(UpdateOutcome.OK, decoder.decode(Unpooled.wrappedBuffer(empty)));
    AtomicReference<Throwable> seen = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try {
                decoder.decode(Unpooled.wrappedBuffer(empty));
              } catch (Throwable t) {
                seen.set(t);
              }
            },
            "second-thread");
    other.start();
    other.join();
    assertTrue(seen.get() instanceof IllegalStateException, String.valueOf(seen.get()));
    assertTrue(
        String.valueOf(seen.get()).contains("one per thread"), () -> String.valueOf(seen.get()));
    assertEquals(
        UpdateOutcome.OK, decoder.decode(Unpooled.wrappedBuffer(empty)), "its own thread goes on");
  }
}
