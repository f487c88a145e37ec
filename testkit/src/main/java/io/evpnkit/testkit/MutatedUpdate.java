package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.UpdateOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;

/**
 * A valid UPDATE from {@link EvpnUpdateGenerator} broken in one known way by {@link UpdateMutator},
 * with the outcome RFC 7606 gives it where the RFC defines one. Immutable.
 *
 * @since 0.1
 */
@Beta
public final class MutatedUpdate {
  private final GeneratedUpdate origin;
  private final String mutation;
  private final byte[] bytes;
  private final @Nullable UpdateOutcome expected;

  MutatedUpdate(
      GeneratedUpdate origin, String mutation, byte[] bytes, @Nullable UpdateOutcome expected) {
    this.origin = origin;
    this.mutation = mutation;
    this.bytes = bytes;
    this.expected = expected;
  }

  /** Returns the valid message this was made from. */
  public GeneratedUpdate origin() {
    return origin;
  }

  /** Returns what was done, e.g. {@code "ORIGIN value 3"}. */
  public String mutation() {
    return mutation;
  }

  /** Returns a copy of the message. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the message in a new unpooled heap buffer (the caller releases it). */
  public ByteBuf toByteBuf() {
    return Unpooled.copiedBuffer(bytes);
  }

  /**
   * Returns the RFC 7606 outcome a receiver must reach, or {@code null} where none is fixed (random
   * bit flips, spliced messages): then only robustness can be asked for.
   */
  public @Nullable UpdateOutcome expected() {
    return expected;
  }

  /** Returns the case in one line: origin id, mutation, expectation, hex. */
  @Override
  public String toString() {
    return origin.id()
        + " "
        + mutation
        + " -> "
        + (expected == null ? "any outcome" : expected)
        + " "
        + Hex.encode(bytes);
  }
}
