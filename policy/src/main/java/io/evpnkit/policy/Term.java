package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * One term of a policy statement: its {@code from} conditions and {@code then} actions.
 *
 * @param name the term's name; empty for the unnamed final term ({@code policy-statement P { then
 *     reject; }})
 * @param from the conditions, in configuration order (none: every route matches)
 * @param then the actions, in configuration order
 * @since 0.1
 */
@Beta
public record Term(String name, List<Condition> from, List<Action> then) {
  /** Copies the lists. */
  public Term {
    from = List.copyOf(from);
    then = List.copyOf(then);
  }
}
