package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * Every problem found in a configuration, each with its line and column, in the order of the text.
 * Nothing partial is returned from invalid configuration: the reading method throws this instead.
 *
 * @since 0.1
 */
@Beta
public final class InvalidConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<ConfigException> problems;

  InvalidConfigException(List<ConfigException> problems) {
    super(problems.size() + " problem(s); first: " + problems.get(0).getMessage());
    this.problems = List.copyOf(problems);
  }

  /** Returns the problems in the order of the text. */
  public List<ConfigException> problems() {
    return problems;
  }

  static void throwIfAny(List<ConfigException> problems) {
    if (!problems.isEmpty()) {
      List<ConfigException> sorted = new java.util.ArrayList<>(problems);
      sorted.sort(
          java.util.Comparator.comparingInt(ConfigException::line)
              .thenComparingInt(ConfigException::column));
      throw new InvalidConfigException(sorted);
    }
  }
}
