package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.PathAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The import and export rules of one EVPN instance, as Junos applies {@code vrf-import}, {@code
 * vrf-export} and {@code vrf-target}:
 *
 * <ul>
 *   <li>Import: with {@code vrf-import}, its chain decides (default reject); a route the chain does
 *       not accept is still imported when it carries an auto-derived target of one of the
 *       instance's VNIs ({@code vrf-target auto}, RFC 8365 §5.1.2.1), the implicit import Junos
 *       installs for auto targets. This is what makes the seed's design work: the policy imports
 *       the explicit common target of the per-ES routes, the auto targets bring each VNI's routes.
 *       Without {@code vrf-import}, a route is imported when it carries any import target (explicit
 *       or auto).
 *   <li>Export: with {@code vrf-export}, its chain decides (default reject) and its actions apply;
 *       without, every local route is exported. The targets to attach are {@link
 *       #exportTargets(int)}: a VNI's auto-derived target with {@code auto}, the explicit targets
 *       otherwise and for routes not tied to a VNI (per-ES A-D routes).
 * </ul>
 *
 * <p>Immutable and thread-safe; evaluating allocates nothing (each thread passes its own {@link
 * PolicyResult}).
 *
 * @since 0.1
 */
@Beta
public final class VrfPolicy {
  private final RoutingInstance instance;
  private final long as;
  private final @Nullable PolicyChain importChain;
  private final @Nullable PolicyChain exportChain;
  private final long[] explicitTargets;
  private final long[] autoTargets;
  private final String[] autoTexts;
  private final String[] explicitTexts;

  private VrfPolicy(RoutingInstance instance, long as, PolicyOptions options) {
    this.instance = instance;
    this.as = as;
    this.importChain =
        instance.vrfImport().isEmpty()
            ? null
            : PolicyChain.compile(options, instance.vrfImport(), false);
    this.exportChain =
        instance.vrfExport().isEmpty()
            ? null
            : PolicyChain.compile(options, instance.vrfExport(), false);
    this.explicitTargets =
        instance.vrfTargets().stream().mapToLong(ExtendedCommunity::value).toArray();
    this.explicitTexts = instance.vrfTargets().stream().map(String::valueOf).toArray(String[]::new);
    List<ExtendedCommunity> auto = new ArrayList<>();
    if (instance.vrfTargetAuto() && as >= 0) {
      for (ExtendedCommunity t : instance.importTargets(as)) {
        if (!instance.vrfTargets().contains(t)) {
          auto.add(t);
        }
      }
    }
    this.autoTargets = auto.stream().mapToLong(ExtendedCommunity::value).toArray();
    this.autoTexts = auto.stream().map(String::valueOf).toArray(String[]::new);
  }

  /**
   * Returns the rules of instance {@code name} of {@code config} ({@value
   * VtepConfig#DEFAULT_SWITCH} for the top level).
   *
   * @throws IllegalArgumentException if there is no such instance, or it uses {@code vrf-target
   *     auto} while the configuration has no {@code routing-options autonomous-system}
   */
  public static VrfPolicy of(VtepConfig config, String name) {
    VrfPolicy v = of(config, name, config.autonomousSystem());
    if (v.instance.vrfTargetAuto() && config.autonomousSystem() < 0) {
      throw new IllegalArgumentException(
          "instance "
              + name
              + " uses vrf-target auto: the targets are derived from "
              + "the AS, and routing-options autonomous-system is not set (use of(config, name, as))");
    }
    return v;
  }

  /**
   * Returns the rules of instance {@code name} with the AS given (for configurations that set it
   * elsewhere).
   */
  public static VrfPolicy of(VtepConfig config, String name, long as) {
    RoutingInstance r = config.instances().get(name);
    if (r == null) {
      throw new IllegalArgumentException("no routing instance " + name);
    }
    return new VrfPolicy(r, as, config.policyOptions());
  }

  /** Returns the instance. */
  public RoutingInstance instance() {
    return instance;
  }

  /** Returns the targets that import a route without a policy (explicit and auto-derived). */
  public Set<ExtendedCommunity> importTargets() {
    return as >= 0 ? instance.importTargets(as) : Set.copyOf(instance.vrfTargets());
  }

  /**
   * Returns the targets a local route of {@code vni} is exported with (-1: a route not tied to a
   * VNI).
   */
  public List<ExtendedCommunity> exportTargets(int vni) {
    return instance.exportTargets(as, vni);
  }

  private static int carried(long[] targets, PathAttributes a) {
    for (int i = 0, n = a.extendedCommunityCount(); i < n; i++) {
      long v = a.extendedCommunityValue(i);
      for (int k = 0; k < targets.length; k++) {
        if (targets[k] == v) {
          return k;
        }
      }
    }
    return -1;
  }

  /**
   * Decides whether a received route enters this instance. With a {@code vrf-import} chain, {@code
   * result} tells the policy and term (or {@code policy() == "vrf-target auto"} and {@code term()}
   * the target for the implicit import); without, {@code policy() == "vrf-target"} and {@code
   * term()} the target that matched.
   */
  public boolean acceptsImport(EvpnNlri nlri, PathAttributes attributes, PolicyResult result) {
    PolicyChain chain = importChain;
    if (chain != null) {
      if (chain.evaluate(Protocol.BGP, nlri, attributes, result)) {
        return true;
      }
      int k = carried(autoTargets, attributes);
      if (k >= 0) {
        result.decide(true, "vrf-target auto", autoTexts[k], attributes);
        return true;
      }
      return false;
    }
    int k = carried(explicitTargets, attributes);
    if (k >= 0) {
      result.decide(true, "vrf-target", explicitTexts[k], attributes);
      return true;
    }
    k = carried(autoTargets, attributes);
    if (k >= 0) {
      result.decide(true, "vrf-target auto", autoTexts[k], attributes);
      return true;
    }
    result.decide(false, null, null, attributes);
    return false;
  }

  /**
   * Decides whether a local route is exported, through the {@code vrf-export} chain if there is
   * one.
   */
  public boolean acceptsExport(EvpnNlri nlri, PathAttributes attributes, PolicyResult result) {
    PolicyChain chain = exportChain;
    if (chain != null) {
      return chain.evaluate(Protocol.EVPN, nlri, attributes, result);
    }
    result.decide(true, "vrf-target", null, attributes);
    return true;
  }

  @Override
  public String toString() {
    return "VrfPolicy["
        + instance.name()
        + ", import "
        + Arrays.toString(explicitTexts)
        + " + auto "
        + Arrays.toString(autoTexts)
        + "]";
  }
}
