package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.vxlan.DropReason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A malformed variant of a {@link GeneratedFrame}, made by {@link FrameMutator}, with the outcome
 * the RFCs require where they define one. Immutable.
 *
 * @since 0.1
 */
@Beta
public final class MutatedFrame {
  /** What a correct decapsulator must do with the mutated bytes. */
  public enum Expectation {
    /** It must drop the packet (the reason, when known, is {@link #expectedReason()}). */
    DROP,
    /**
     * Anything but an exception, a hang or a leak: the mutation may or may not have made it
     * invalid.
     */
    NO_CRASH
  }

  private final GeneratedFrame origin;
  private final String mutation;
  private final byte[] bytes;
  private final Expectation expectation;
  private final @Nullable DropReason reason;

  MutatedFrame(
      GeneratedFrame origin,
      String mutation,
      byte[] bytes,
      Expectation expectation,
      @Nullable DropReason reason) {
    this.origin = origin;
    this.mutation = mutation;
    this.bytes = bytes;
    this.expectation = expectation;
    this.reason = reason;
  }

  /** Returns the valid case this was made from. */
  public GeneratedFrame origin() {
    return origin;
  }

  /** Returns what was changed, e.g. {@code "truncated to 41 bytes"}. */
  public String mutation() {
    return mutation;
  }

  /** Returns a copy of the mutated bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the mutated bytes in a new unpooled heap buffer. */
  public ByteBuf toByteBuf() {
    return Unpooled.wrappedBuffer(bytes.clone());
  }

  /** Returns what a decapsulator must do. */
  public Expectation expectation() {
    return expectation;
  }

  /** Returns the drop reason the RFCs require, when the mutation determines one. */
  public Optional<DropReason> expectedReason() {
    return Optional.ofNullable(reason);
  }

  @Override
  public String toString() {
    return "MutatedFrame["
        + mutation
        + " of case "
        + origin.id()
        + " ("
        + origin.description()
        + "), expect "
        + expectation
        + (reason == null ? "" : " " + reason)
        + "; "
        + bytes.length
        + " bytes: "
        + Hex.encode(bytes)
        + "]";
  }
}
