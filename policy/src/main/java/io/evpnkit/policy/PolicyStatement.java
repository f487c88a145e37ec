package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * A {@code policy-statement}: a name and ordered terms.
 *
 * @param name the policy's name
 * @param terms the terms in evaluation order (an unnamed final term last)
 * @since 0.1
 */
@Beta
public record PolicyStatement(String name, List<Term> terms) {
  /** Copies the terms. */
  public PolicyStatement {
    terms = List.copyOf(terms);
  }
}
