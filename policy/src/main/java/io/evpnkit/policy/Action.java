package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import java.util.List;

/**
 * One {@code then} action of a policy term, as written: its kind and its words.
 *
 * @param kind what is done
 * @param words the words after the keyword(s), validated (e.g. {@code ["add", "100"]} for {@code
 *     local-preference})
 * @since 0.1
 */
@Beta
public record Action(Kind kind, List<String> words) {
  /** Copies the words. */
  public Action {
    words = List.copyOf(words);
  }

  /** The actions, with their Junos keywords. */
  public enum Kind {
    /** {@code accept}: ends the evaluation of the chain; the route is accepted. */
    ACCEPT("accept"),
    /** {@code reject}: ends the evaluation of the chain; the route is rejected. */
    REJECT("reject"),
    /**
     * {@code next term}: goes on with the next term (also what a term without accept or reject
     * does).
     */
    NEXT_TERM("next term"),
    /** {@code next policy}: goes on with the next policy of the chain. */
    NEXT_POLICY("next policy"),
    /** {@code community add NAME}. */
    COMMUNITY_ADD("community add"),
    /** {@code community delete NAME}: removes every community a member of NAME matches. */
    COMMUNITY_DELETE("community delete"),
    /**
     * {@code community set NAME}: replaces all communities (standard, extended, large) with NAME's
     * members.
     */
    COMMUNITY_SET("community set"),
    /**
     * {@code local-preference N}, {@code local-preference add N}, {@code local-preference subtract
     * N}.
     */
    LOCAL_PREFERENCE("local-preference"),
    /** {@code metric N}, {@code metric add N}, {@code metric subtract N}. */
    METRIC("metric"),
    /** {@code origin igp|egp|incomplete}. */
    ORIGIN("origin");

    private final String keyword;

    Kind(String keyword) {
      this.keyword = keyword;
    }

    /** Returns the Junos keyword(s). */
    public String keyword() {
      return keyword;
    }

    /** Returns whether this action ends or redirects the evaluation. */
    public boolean isFlowControl() {
      return this == ACCEPT || this == REJECT || this == NEXT_TERM || this == NEXT_POLICY;
    }
  }

  @Override
  public String toString() {
    return words.isEmpty() ? kind.keyword : kind.keyword + " " + String.join(" ", words);
  }
}
