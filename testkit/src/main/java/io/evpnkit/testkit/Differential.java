package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Two decoders over the same inputs must agree: yours against evpnkit, a new version against the
 * old one, or a decoder against an oracle (Wireshark's reading of golden captures, GoBGP's RIB). An
 * exception is a result like any other (its class name), so "both reject" agrees and "one rejects"
 * does not. The first disagreement is returned with the input and both results.
 *
 * <pre>{@code
 * Optional<Differential.Disagreement> d = Differential.compare(
 *     bytes -> mine.parse(bytes), bytes -> evpnkitRoutes(bytes),
 *     (a, b) -> a.routes().equals(b), ParserContract.evpnUpdates(seed, 500));
 * assertTrue(d.isEmpty(), () -> d.get().toString());
 * }</pre>
 *
 * @since 0.1
 */
@Beta
public final class Differential {
  private Differential() {}

  /**
   * The first input the decoders did not agree on.
   *
   * @param input the input's description
   * @param hex the input in hex
   * @param first what the first decoder gave (or its exception)
   * @param second what the second gave
   */
  public record Disagreement(String input, String hex, String first, String second) {
    @Override
    public String toString() {
      return "decoders disagree on "
          + input
          + "\n  first:  "
          + first
          + "\n  second: "
          + second
          + "\n  input:  "
          + hex;
    }
  }

  /**
   * Runs both decoders over every input and compares their results with {@code same} (called only
   * when both returned).
   *
   * @return the first disagreement, or empty
   */
  public static <A, B> Optional<Disagreement> compare(
      Function<byte[], A> first,
      Function<byte[], B> second,
      BiPredicate<? super A, ? super B> same,
      Stream<ParserContract.Input> inputs) {
    for (ParserContract.Input in : (Iterable<ParserContract.Input>) inputs::iterator) {
      Object a;
      Object b;
      boolean aThrew = false;
      boolean bThrew = false;
      try {
        a = first.apply(in.bytes());
      } catch (RuntimeException e) {
        a = e.getClass().getName() + ": " + e.getMessage();
        aThrew = true;
      }
      try {
        b = second.apply(in.bytes());
      } catch (RuntimeException e) {
        b = e.getClass().getName() + ": " + e.getMessage();
        bThrew = true;
      }
      @SuppressWarnings("unchecked")
      boolean agree = (aThrew || bThrew) ? aThrew == bThrew : same.test((A) a, (B) b);
      if (!agree) {
        return Optional.of(
            new Disagreement(
                in.description(),
                Hex.encode(in.bytes()),
                Objects.toString(a),
                Objects.toString(b)));
      }
    }
    return Optional.empty();
  }
}
