package io.evpnkit.policy;

import io.evpnkit.evpn.ExtendedCommunity;

/**
 * Route targets derived from a VNI ({@code vrf-target auto}), RFC 8365 §5.1.2.1: a two-octet-AS route target whose
 * Global Administrator is the AS and whose Local Administrator is {@code A(1 bit) = 0} (auto-derived),
 * {@code Type(3 bits) = 1} (VXLAN), {@code D-ID(4 bits)} (the domain, 0 by default) and the 24-bit VNI. For example
 * AS 65000 and VNI 100 give {@code target:65000:268435556} (0x10000064), which is what Junos shows.
 *
 * <p>The RFC defines the derivation for two-octet AS numbers only: with a four-octet AS the targets must be
 * configured, so a configuration with {@code vrf-target auto} and a four-octet AS is refused, and this method throws
 * rather than truncating the AS.
 *
 * @since 0.1
 */
public final class RouteTargets {
  /** The Type field's value for VXLAN, in place (bits 28-30 of the Local Administrator). */
  public static final long TYPE_VXLAN = 1L << 28;

  private RouteTargets() {}

  /**
   * How {@code vrf-target auto} derives a VNI's route target ({@code vrf-target auto-derivation}, an evpnkit statement).
   */
  public enum Derivation {
    /** RFC 8365 §5.1.2.1, as Junos: AS:(Type 1 = VXLAN, D-ID, VNI); {@code target:65000:268435556} for VNI 100. */
    RFC8365,
    /**
     * FRR's default ({@code bgpd}'s auto RT without {@code autort rfc8365-compatible}): the low 16 bits of the AS and
     * the bare VNI, {@code target:65000:100}; for peering with FRR leaves that keep their default.
     */
    FRR
  }

  /**
   * Returns the auto-derived route target of {@code vni} in {@code as} by {@code derivation}.
   *
   * @throws IllegalArgumentException as {@link #auto(long, int, int)} for RFC 8365; for FRR's if the VNI is not 24 bits
   *     or the AS not 32 bits
   */
  public static ExtendedCommunity auto(long as, int vni, Derivation derivation) {
    if (derivation == Derivation.RFC8365) {
      return auto(as, vni);
    }
    if (vni < 0 || vni > 0xFF_FFFF || as < 0 || as > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("VNI " + vni + " (24 bits) or AS " + as + " (32 bits) out of range");
    }
    return ExtendedCommunity.routeTarget((int) (as & 0xFFFF), vni); // FRR takes the AS's low 16 bits
  }

  /** Returns the auto-derived route target of {@code vni} in {@code as} (domain 0). */
  public static ExtendedCommunity auto(long as, int vni) {
    return auto(as, vni, 0);
  }

  /**
   * Returns the auto-derived route target of {@code vni} in {@code as} and domain {@code domainId}.
   *
   * @throws IllegalArgumentException if the VNI is not 24 bits, the domain not 4 bits, or the AS not a two-octet AS
   *     (RFC 8365 §5.1.2.1)
   */
  public static ExtendedCommunity auto(long as, int vni, int domainId) {
    if (vni < 0 || vni > 0xFF_FFFF) {
      throw new IllegalArgumentException("VNI " + vni + " is not 24 bits");
    }
    if (domainId < 0 || domainId > 15) {
      throw new IllegalArgumentException("D-ID " + domainId + " is not 4 bits");
    }
    if (as < 0 || as > 0xFFFF) {
      throw new IllegalArgumentException("AS " + as + ": RFC 8365 §5.1.2.1 derives route targets from a two-octet AS;"
          + " with a four-octet AS the targets are configured");
    }
    return ExtendedCommunity.routeTarget((int) as, TYPE_VXLAN | (long) domainId << 24 | vni);
  }

  /** Returns whether {@code rt} is an auto-derived VXLAN route target (two-octet AS, A = 0, Type = 1). */
  public static boolean isAuto(ExtendedCommunity rt) {
    long v = rt.value();
    return (v >>> 48) == 0x0002 && ((v >>> 28) & 0xF) == 1;
  }

  /** Returns the VNI of an auto-derived route target. */
  public static int vni(ExtendedCommunity rt) {
    return (int) (rt.value() & 0xFF_FFFF);
  }
}
