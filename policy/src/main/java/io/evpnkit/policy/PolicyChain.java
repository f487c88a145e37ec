package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.PathAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A chain of policy statements compiled into matchers ({@code vrf-import [ a b ]}, {@code import [
 * a b ]}), evaluated the way Junos does: the policies in order, in each its terms in order; a term
 * matches when all its condition kinds match (conditions of one kind: any of them); a matching
 * term's modifying actions accumulate, then {@code accept} or {@code reject} ends the chain, {@code
 * next policy} skips to the next policy and {@code next term} (or no flow action) goes on; when no
 * term decides, the chain's default action does.
 *
 * <p>Evaluation reads the flyweight {@link EvpnNlri} and the {@link PathAttributes} and allocates
 * nothing (community expressions remember their verdict per community value; see {@link
 * CommunityDefinition}). As in Junos, a later term sees the local preference, metric and origin an
 * earlier term set; communities are the exception: conditions see the route's communities as
 * received (evpnkit records community changes in the {@link PolicyResult} and applies them at the
 * end, which keeps evaluation free of allocation). Immutable and thread-safe; each thread evaluates
 * with its own {@link PolicyResult}.
 *
 * @since 0.1
 */
@Beta
public final class PolicyChain {
  private final CompiledPolicy[] policies;
  private final boolean defaultAccept;
  private final List<String> names;
  private final int needs;

  private PolicyChain(CompiledPolicy[] policies, boolean defaultAccept, List<String> names) {
    this.policies = policies;
    int n = 0;
    for (CompiledPolicy p : policies) {
      for (CompiledTerm t : p.terms) {
        n |= t.matcher.needs;
      }
    }
    this.needs = n;
    this.defaultAccept = defaultAccept;
    this.names = names;
  }

  /**
   * Compiles the named policies of {@code options}.
   *
   * @param options the definitions (from a validated configuration)
   * @param names the policy names, in evaluation order
   * @param defaultAccept the action when no term accepts or rejects ({@code vrf-import}: reject;
   *     BGP import: accept)
   * @throws IllegalArgumentException if a name is not a policy of {@code options}
   */
  public static PolicyChain compile(
      PolicyOptions options, List<String> names, boolean defaultAccept) {
    CompiledPolicy[] compiled = new CompiledPolicy[names.size()];
    Map<String, CommunityOp> ops = new LinkedHashMap<>();
    TermMatcher.CommunityAtoms atoms = new TermMatcher.CommunityAtoms();
    for (int i = 0; i < compiled.length; i++) {
      PolicyStatement p = options.policies().get(names.get(i));
      if (p == null) {
        throw new IllegalArgumentException("no policy-statement " + names.get(i));
      }
      CompiledTerm[] terms = new CompiledTerm[p.terms().size()];
      for (int t = 0; t < terms.length; t++) {
        terms[t] = compileTerm(p.terms().get(t), options, ops, atoms);
      }
      compiled[i] = new CompiledPolicy(p.name(), terms);
    }
    return new PolicyChain(compiled, defaultAccept, List.copyOf(names));
  }

  private static CompiledTerm compileTerm(
      Term t, PolicyOptions o, Map<String, CommunityOp> ops, TermMatcher.CommunityAtoms atoms) {
    TermMatcher matcher = TermMatcher.compile(t.from(), o, atoms);
    int flow = FLOW_NONE;
    List<Object> modifiers = new ArrayList<>();
    for (Action a : t.then()) {
      switch (a.kind()) {
        case ACCEPT -> flow = FLOW_ACCEPT;
        case REJECT -> flow = FLOW_REJECT;
        case NEXT_TERM -> flow = FLOW_NONE;
        case NEXT_POLICY -> flow = FLOW_NEXT_POLICY;
        case COMMUNITY_ADD, COMMUNITY_DELETE, COMMUNITY_SET -> {
          String name = a.words().get(0);
          modifiers.add(
              ops.computeIfAbsent(
                  a.kind() + " " + name,
                  k ->
                      new CommunityOp(
                          a.kind(),
                          TermMatcher.need(o.communities().get(name), "community " + name))));
        }
        case LOCAL_PREFERENCE, METRIC -> {
          List<String> w = a.words();
          int op = w.size() == 1 ? 0 : w.get(0).equals("add") ? 1 : 2;
          modifiers.add(
              new long[] {
                a.kind() == Action.Kind.METRIC ? 1 : 0, op, Long.parseLong(w.get(w.size() - 1))
              });
        }
        case ORIGIN -> {
          String v = a.words().get(0);
          modifiers.add(new long[] {2, v.equals("igp") ? 0 : v.equals("egp") ? 1 : 2, 0});
        }
        default -> throw new IllegalStateException("unknown action " + a);
      }
    }
    return new CompiledTerm(t.name(), matcher, flow, modifiers.toArray());
  }

  private static final int FLOW_NONE = 0;
  private static final int FLOW_ACCEPT = 1;
  private static final int FLOW_REJECT = 2;
  private static final int FLOW_NEXT_POLICY = 3;

  private static final class CompiledPolicy {
    final String name;
    final CompiledTerm[] terms;

    CompiledPolicy(String name, CompiledTerm[] terms) {
      this.name = name;
      this.terms = terms;
    }
  }

  private static final class CompiledTerm {
    final String name;
    final TermMatcher matcher;
    final int flow;
    final Object[] modifiers;

    CompiledTerm(String name, TermMatcher matcher, int flow, Object[] modifiers) {
      this.name = name;
      this.matcher = matcher;
      this.flow = flow;
      this.modifiers = modifiers;
    }
  }

  /** A community action with its compiled members. */
  static final class CommunityOp {
    private final Action.Kind kind;
    private final CommunityMember[] members;

    CommunityOp(Action.Kind kind, CommunityDefinition d) {
      this.kind = kind;
      this.members =
          d.members().stream().map(CommunityMember::compile).toArray(CommunityMember[]::new);
    }

    void applyTo(List<Integer> standard, List<Long> extended, List<LargeCommunity> large) {
      if (kind == Action.Kind.COMMUNITY_DELETE) {
        for (CommunityMember m : members) {
          standard.removeIf(c -> m.matchesStandard(c));
          extended.removeIf(c -> m.matchesExtended(c));
          large.removeIf(m::matchesLarge);
        }
        return;
      }
      if (kind == Action.Kind.COMMUNITY_SET) {
        standard.clear();
        extended.clear();
        large.clear();
      }
      for (CommunityMember m : members) {
        switch (m.kind) {
          case CommunityMember.STANDARD -> add(standard, (int) m.value);
          case CommunityMember.EXTENDED -> add(extended, m.value);
          default -> {
            LargeCommunity l = m.large;
            if (l != null) {
              add(large, l);
            }
          }
        }
      }
    }

    private static <T> void add(List<T> list, T value) {
      if (!list.contains(value)) {
        list.add(value);
      }
    }
  }

  /** Returns the policy names, in evaluation order. */
  public List<String> names() {
    return names;
  }

  /**
   * Evaluates the chain on one route.
   *
   * @param protocol where the route comes from ({@code from protocol})
   * @param nlri the route (a wrapped, validated flyweight)
   * @param attributes its path attributes
   * @param result receives the decision and the changes; reset first
   * @return whether the route is accepted
   */
  public boolean evaluate(
      Protocol protocol, EvpnNlri nlri, PathAttributes attributes, PolicyResult result) {
    result.reset(attributes);
    RouteFields fields = result.fields;
    fields.read(nlri, needs);
    fields.localPref = attributes.localPref();
    fields.med = attributes.med();
    fields.origin = attributes.origin();
    for (CompiledPolicy policy : policies) {
      terms:
      for (CompiledTerm term : policy.terms) {
        if (!term.matcher.matches(fields, attributes, protocol)) {
          continue;
        }
        for (Object mod : term.modifiers) {
          if (mod instanceof CommunityOp op) {
            result.community(op);
          } else {
            long[] m = (long[]) mod;
            if (m[0] == 0) {
              result.localPref((int) m[1], m[2]);
              fields.localPref = result.localPref();
            } else if (m[0] == 1) {
              result.med((int) m[1], m[2]);
              fields.med = result.med();
            } else {
              result.origin((int) m[1]);
              fields.origin = (int) m[1];
            }
          }
        }
        switch (term.flow) {
          case FLOW_ACCEPT -> {
            result.decide(true, policy.name, term.name);
            return true;
          }
          case FLOW_REJECT -> {
            result.decide(false, policy.name, term.name);
            return false;
          }
          case FLOW_NEXT_POLICY -> {
            break terms;
          }
          default -> {
            // next term
          }
        }
      }
    }
    result.decide(defaultAccept, null, null);
    return defaultAccept;
  }

  @Override
  public String toString() {
    return "PolicyChain" + names + (defaultAccept ? " default accept" : " default reject");
  }
}
