package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.PathAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PolicyChain} decided for one route, and the changes its terms made: a mutable
 * holder the caller creates once and passes to every {@link PolicyChain#evaluate} (which resets
 * it), so that evaluating allocates nothing. Not thread-safe: one per thread. {@link #apply} makes
 * the changed attributes (that allocates, and only when something changed).
 *
 * @since 0.1
 */
@Beta
public final class PolicyResult {
  private boolean accepted;
  private @Nullable String policy;
  private @Nullable String term;
  private long localPref = -1;
  private boolean localPrefSet;
  private long med = -1;
  private boolean medSet;
  private int origin = -1;
  private PolicyChain.CommunityOp[] ops = new PolicyChain.CommunityOp[4];
  private int opCount;
  final RouteFields fields = new RouteFields();

  /** Creates an empty result. */
  public PolicyResult() {}

  void reset(PathAttributes a) {
    accepted = false;
    policy = null;
    term = null;
    localPref = a.localPref();
    localPrefSet = false;
    med = a.med();
    medSet = false;
    origin = -1;
    opCount = 0;
  }

  /** Records a decision made outside a chain (by route target), after {@link #reset}. */
  void decide(
      boolean accept, @Nullable String policyName, @Nullable String termName, PathAttributes a) {
    reset(a);
    decide(accept, policyName, termName);
  }

  void decide(boolean accept, @Nullable String policyName, @Nullable String termName) {
    accepted = accept;
    policy = policyName;
    term = termName;
  }

  void localPref(int op, long value) {
    localPref = arithmetic(localPref, op, value);
    localPrefSet = true;
  }

  void med(int op, long value) {
    med = arithmetic(med, op, value);
    medSet = true;
  }

  void origin(int value) {
    origin = value;
  }

  /** op 0 set, 1 add, 2 subtract; clamped to 0..2^32-1 like Junos. An absent value counts as 0. */
  private static long arithmetic(long current, int op, long value) {
    long base = Math.max(current, 0);
    long r = op == 0 ? value : op == 1 ? base + value : base - value;
    return Math.max(0, Math.min(r, 0xFFFF_FFFFL));
  }

  void community(PolicyChain.CommunityOp op) {
    if (opCount == ops.length) {
      ops =
          Arrays.copyOf(ops, opCount * 2); // grows once per holder, never per route in steady state
    }
    ops[opCount++] = op;
  }

  /** Returns whether the route was accepted (by a term or by the chain's default action). */
  public boolean accepted() {
    return accepted;
  }

  /** Returns the policy whose term decided, or {@code null} when the chain's default action did. */
  public @Nullable String policy() {
    return policy;
  }

  /**
   * Returns the term that decided ({@code ""} for an unnamed final term), or {@code null} for the
   * default.
   */
  public @Nullable String term() {
    return term;
  }

  /** Returns whether the terms that matched changed anything. */
  public boolean changed() {
    return localPrefSet || medSet || origin >= 0 || opCount > 0;
  }

  /** Returns the LOCAL_PREF after the changes (-1 if absent and unchanged). */
  public long localPref() {
    return localPref;
  }

  /** Returns the MULTI_EXIT_DISC after the changes (-1 if absent and unchanged). */
  public long med() {
    return med;
  }

  /**
   * Returns {@code attributes} with the changes applied (the same instance when nothing changed).
   * Community actions are applied in the order the terms ran them.
   */
  public PathAttributes apply(PathAttributes attributes) {
    if (!changed()) {
      return attributes;
    }
    PathAttributes.Builder b = attributes.toBuilder();
    if (localPrefSet) {
      b.localPref(localPref);
    }
    if (medSet) {
      b.med(med);
    }
    if (origin >= 0) {
      b.origin(origin);
    }
    if (opCount > 0) {
      List<Integer> standard = new ArrayList<>();
      for (int i = 0; i < attributes.communityCount(); i++) {
        standard.add(attributes.community(i));
      }
      List<Long> extended = new ArrayList<>();
      for (int i = 0; i < attributes.extendedCommunityCount(); i++) {
        extended.add(attributes.extendedCommunityValue(i));
      }
      List<LargeCommunity> large = new ArrayList<>(attributes.largeCommunities());
      for (int i = 0; i < opCount; i++) {
        ops[i].applyTo(standard, extended, large);
      }
      b.clearCommunities().clearExtendedCommunities().clearLargeCommunities();
      standard.forEach(b::addCommunity);
      extended.forEach(b::addExtendedCommunity);
      large.forEach(b::addLargeCommunity);
    }
    return b.build();
  }

  @Override
  public String toString() {
    String who =
        policy == null
            ? "default action"
            : "policy " + policy + (term == null || term.isEmpty() ? "" : " term " + term);
    return (accepted ? "accept" : "reject") + " (" + who + ")";
  }
}
