package io.evpnkit.testkit;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * Structure-aware inputs for coverage-guided fuzzers (Jazzer {@code @FuzzTest}, libFuzzer-style
 * {@code byte[]} targets): the fuzzer's bytes choose a generated UPDATE or VXLAN frame and one of
 * its mutations, so the fuzzer starts from messages that are deep in a parser's grammar instead of
 * from random bytes, and the remaining bytes are spliced in so that it can still go anywhere.
 * Deterministic: the same fuzzer bytes give the same input.
 *
 * <pre>{@code
 * @FuzzTest
 * void myUpdateParser(FuzzedDataProvider data) {
 *   ByteBuf buf = Unpooled.wrappedBuffer(FuzzInputs.evpnUpdate(data));
 *   try { MyBgp.parseUpdate(buf); } catch (MyBgpException expected) { }
 * }
 * }</pre>
 *
 * The Jazzer API is an optional dependency of testkit: add {@code
 * com.code-intelligence:jazzer-junit} to use the {@link FuzzedDataProvider} overloads.
 *
 * @since 0.1
 */
@Beta
public final class FuzzInputs {
  private FuzzInputs() {}

  /**
   * An EVPN UPDATE chosen by {@code data}: generated, mutated, or with the fuzzer's own bytes
   * spliced in.
   */
  public static byte[] evpnUpdate(FuzzedDataProvider data) {
    long seed = data.consumeLong();
    int size = data.consumeInt(1, EvpnUpdateGenerator.MAX_SIZE);
    int choice = data.consumeInt(0, 63);
    return evpnUpdate(seed, size, choice, data.consumeRemainingAsBytes());
  }

  /** The same from plain bytes: the first 13 choose the case, the rest are the fuzzer's own. */
  public static byte[] evpnUpdate(byte[] data) {
    long seed = 0;
    for (int i = 0; i < Math.min(8, data.length); i++) {
      seed = seed << 8 | (data[i] & 0xFF);
    }
    int size = data.length > 8 ? 1 + (data[8] & 0xFF) % EvpnUpdateGenerator.MAX_SIZE : 1;
    int choice = data.length > 9 ? (data[9] & 0x3F) : 0;
    byte[] rest =
        data.length > 13 ? java.util.Arrays.copyOfRange(data, 13, data.length) : new byte[0];
    return evpnUpdate(seed, size, choice, rest);
  }

  private static byte[] evpnUpdate(long seed, int size, int choice, byte[] rest) {
    GeneratedUpdate u = EvpnUpdateGenerator.generate(seed, size);
    if (choice < 16) {
      return u.bytes();
    }
    if (choice < 48) {
      List<MutatedUpdate> m =
          UpdateMutator.mutations(u, EvpnUpdateGenerator.generate(~seed, size), seed, 2);
      return m.get(choice % m.size()).bytes();
    }
    // the generated header and the first attributes, then the fuzzer's bytes, lengths made
    // consistent
    byte[] b = u.bytes();
    int keep = Math.min(b.length, 23 + (choice - 48) * 8);
    byte[] out = java.util.Arrays.copyOf(b, Math.min(4096, keep + rest.length));
    System.arraycopy(rest, 0, out, keep, out.length - keep);
    out[16] = (byte) (out.length >>> 8);
    out[17] = (byte) out.length;
    return out;
  }

  /** A VXLAN packet chosen by {@code data}: generated or broken in a known way. */
  public static byte[] vxlanFrame(FuzzedDataProvider data) {
    GeneratedFrame f =
        VxlanFrameGenerator.generate(
            data.consumeLong(), data.consumeInt(1, VxlanFrameGenerator.MAX_SIZE));
    return switch (data.consumeInt(0, 3)) {
      case 0 -> f.bytes();
      case 1 -> FrameMutator.flipBits(f, data.consumeLong()).bytes();
      case 2 -> {
        List<MutatedFrame> cuts = FrameMutator.truncations(f);
        yield cuts.get(data.consumeInt(0, cuts.size() - 1)).bytes();
      }
      default -> {
        List<MutatedFrame> lies = FrameMutator.lyingLengths(f, data.consumeLong());
        yield lies.isEmpty() ? f.bytes() : lies.get(data.consumeInt(0, lies.size() - 1)).bytes();
      }
    };
  }
}
