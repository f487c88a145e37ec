package io.evpnkit.policy;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.ExtendedCommunity;
import org.jspecify.annotations.Nullable;

/**
 * Route targets derived from a VNI ({@code vrf-target auto}), RFC 8365 §5.1.2.1: a two-octet-AS
 * route target whose Global Administrator is the AS and whose Local Administrator is {@code A(1
 * bit) = 0} (auto-derived), {@code Type(3 bits) = 1} (VXLAN), {@code D-ID(4 bits)} (the domain, 0
 * by default) and the 24-bit VNI. For example AS 65000 and VNI 100 give {@code
 * target:65000:268435556} (0x10000064), which is what Junos shows.
 *
 * <p>The RFC defines the derivation for two-octet AS numbers only: with a four-octet AS the targets
 * must be configured, so a configuration with {@code vrf-target auto} and a four-octet AS is
 * refused, and this method throws rather than truncating the AS.
 *
 * @since 0.1
 */
@Beta
public final class RouteTargets {
  /** The Type field's value for VXLAN, in place (bits 28-30 of the Local Administrator). */
  public static final long TYPE_VXLAN = 1L << 28;

  private RouteTargets() {}

  /**
   * The Type field of an auto-derived route target (RFC 8365 §5.1.2.1): what the 24-bit identifier
   * after it is.
   */
  public enum Type {
    /** 0: a VLAN id (IEEE 802.1Q VID). */
    VID(0, "vid"),
    /** 1: a VXLAN network identifier (the default). */
    VXLAN(1, "vxlan"),
    /** 2: an NVGRE virtual subnet identifier. */
    NVGRE(2, "nvgre"),
    /** 3: an IEEE 802.1ah I-SID. */
    I_SID(3, "i-sid"),
    /** 4: an EVI. */
    EVI(4, "evi"),
    /** 5: a dual VID (QinQ). */
    DUAL_VID(5, "dual-vid");

    private final int code;
    private final String keyword;

    Type(int code, String keyword) {
      this.code = code;
      this.keyword = keyword;
    }

    /** The 3-bit value of the field. */
    public int code() {
      return code;
    }

    /** The keyword of {@code vrf-target auto-derivation type}. */
    public String keyword() {
      return keyword;
    }

    /** The type of a keyword, or {@code null}. */
    public static @Nullable Type ofKeyword(String keyword) {
      for (Type t : values()) {
        if (t.keyword.equals(keyword)) {
          return t;
        }
      }
      return null;
    }
  }

  /**
   * How {@code vrf-target auto} derives a VNI's route target ({@code vrf-target auto-derivation},
   * evpnkit statements): RFC 8365 §5.1.2.1 with a Type and a D-ID ({@code auto-derivation type
   * nvgre}, {@code auto-derivation domain-id 3}; VXLAN and 0 by default, which is what Junos
   * derives), or FRR's form ({@code auto-derivation frr}).
   *
   * @param frr FRR's default ({@code bgpd}'s auto RT without {@code autort rfc8365-compatible}):
   *     the low 16 bits of the AS and the bare VNI, {@code target:65000:100}; for peering with FRR
   *     leaves that keep their default
   * @param type the Type field (RFC 8365 only)
   * @param domainId the 4-bit D-ID (RFC 8365 only)
   */
  public record Derivation(boolean frr, Type type, int domainId) {
    /**
     * RFC 8365 §5.1.2.1, as Junos: AS:(A = 0, Type 1 = VXLAN, D-ID 0, VNI); {@code
     * target:65000:268435556}.
     */
    public static final Derivation RFC8365 = new Derivation(false, Type.VXLAN, 0);

    /** FRR's default: {@code target:65000:100} for VNI 100. */
    public static final Derivation FRR = new Derivation(true, Type.VXLAN, 0);

    /** Checks the D-ID, and that FRR's form has neither Type nor D-ID. */
    public Derivation {
      if (domainId < 0 || domainId > 15) {
        throw new IllegalArgumentException("D-ID " + domainId + " is not 4 bits");
      }
      if (frr && (type != Type.VXLAN || domainId != 0)) {
        throw new IllegalArgumentException("FRR's auto targets have no Type or D-ID field");
      }
    }

    /** RFC 8365's derivation with another Type field. */
    public Derivation withType(Type value) {
      return new Derivation(false, value, domainId);
    }

    /** RFC 8365's derivation with another D-ID. */
    public Derivation withDomainId(int value) {
      return new Derivation(false, type, value);
    }

    /** The name {@code config --json} shows: {@code rfc8365} or {@code frr}. */
    public String name() {
      return frr ? "frr" : "rfc8365";
    }
  }

  /**
   * Returns the auto-derived route target of {@code vni} in {@code as} by {@code derivation}.
   *
   * @throws IllegalArgumentException as {@link #auto(long, int, int)} for RFC 8365; for FRR's if
   *     the VNI is not 24 bits or the AS not 32 bits
   */
  public static ExtendedCommunity auto(long as, int vni, Derivation derivation) {
    if (!derivation.frr()) {
      return auto(as, vni, derivation.domainId(), derivation.type());
    }
    if (vni < 0 || vni > 0xFF_FFFF || as < 0 || as > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "VNI " + vni + " (24 bits) or AS " + as + " (32 bits) out of range");
    }
    return ExtendedCommunity.routeTarget(
        (int) (as & 0xFFFF), vni); // FRR takes the AS's low 16 bits
  }

  /** Returns the auto-derived route target of {@code vni} in {@code as} (domain 0). */
  public static ExtendedCommunity auto(long as, int vni) {
    return auto(as, vni, 0);
  }

  /**
   * Returns the auto-derived route target of {@code vni} in {@code as} and domain {@code domainId}.
   *
   * @throws IllegalArgumentException if the VNI is not 24 bits, the domain not 4 bits, or the AS
   *     not a two-octet AS (RFC 8365 §5.1.2.1)
   */
  public static ExtendedCommunity auto(long as, int vni, int domainId) {
    return auto(as, vni, domainId, Type.VXLAN);
  }

  /**
   * Returns the auto-derived route target of identifier {@code id} of type {@code type} in {@code
   * as} and domain {@code domainId} (RFC 8365 §5.1.2.1).
   *
   * @throws IllegalArgumentException if the identifier is not 24 bits, the domain not 4 bits, or
   *     the AS not a two-octet AS
   */
  public static ExtendedCommunity auto(long as, int vni, int domainId, Type type) {
    if (vni < 0 || vni > 0xFF_FFFF) {
      throw new IllegalArgumentException("VNI " + vni + " is not 24 bits");
    }
    if (domainId < 0 || domainId > 15) {
      throw new IllegalArgumentException("D-ID " + domainId + " is not 4 bits");
    }
    if (as < 0 || as > 0xFFFF) {
      throw new IllegalArgumentException(
          "AS "
              + as
              + ": RFC 8365 §5.1.2.1 derives route targets from a two-octet AS;"
              + " with a four-octet AS the targets are configured");
    }
    return ExtendedCommunity.routeTarget(
        (int) as, (long) type.code() << 28 | (long) domainId << 24 | vni);
  }

  /**
   * Returns whether {@code rt} is an auto-derived VXLAN route target (two-octet AS, A = 0, Type =
   * 1).
   */
  public static boolean isAuto(ExtendedCommunity rt) {
    long v = rt.value();
    return (v >>> 48) == 0x0002 && ((v >>> 28) & 0xF) == 1;
  }

  /** Returns the VNI of an auto-derived route target. */
  public static int vni(ExtendedCommunity rt) {
    return (int) (rt.value() & 0xFF_FFFF);
  }
}
