package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The inverse laws of a codec or a text form: {@code back(there(x))} equals {@code x} for every
 * value (decode of encode, parse of format), and the same over bytes for every valid input ({@code
 * encode(decode(b)) = b}). The first counterexample is returned with what it became.
 *
 * <pre>{@code
 * RoundTrip.law(routes.stream(), EvpnRoutes::toBytes, EvpnRoutes::fromBytes).ifPresent(f -> fail(f.toString()));
 * RoundTrip.law(validUpdates, bytes -> decode(bytes), value -> encode(value))      // over byte[]: compared by content
 * }</pre>
 *
 * @since 0.1
 */
@Beta
public final class RoundTrip {
  private RoundTrip() {}

  /**
   * A value that did not come back.
   *
   * @param value the value (hex for byte arrays)
   * @param there what the first function made of it
   * @param back what came back
   */
  public record Failure(String value, String there, String back) {
    @Override
    public String toString() {
      return "round trip broken for " + value + "\n  became:   " + there + "\n  came back: " + back;
    }
  }

  /**
   * Checks {@code back(there(x)).equals(x)} (byte arrays by content) for every value; exceptions
   * count as failures.
   *
   * @return the first failure, or empty
   */
  public static <T, U> Optional<Failure> law(
      Stream<T> values, Function<T, U> there, Function<U, T> back) {
    for (T x : (Iterable<T>) values::iterator) {
      String thereText = "";
      try {
        U u = there.apply(x);
        thereText = text(u);
        T y = back.apply(u);
        if (!equal(x, y)) {
          return Optional.of(new Failure(text(x), thereText, text(y)));
        }
      } catch (RuntimeException e) {
        return Optional.of(new Failure(text(x), thereText, e.toString()));
      }
    }
    return Optional.empty();
  }

  private static boolean equal(Object a, Object b) {
    return (a instanceof byte[] x && b instanceof byte[] y)
        ? java.util.Arrays.equals(x, y)
        : a.equals(b);
  }

  private static String text(Object o) {
    return o instanceof byte[] b ? Hex.encode(b) : String.valueOf(o);
  }
}
