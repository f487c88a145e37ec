package io.evpnkit.vxlan;

import java.util.Arrays;

/**
 * What a {@link VxlanDecapsulator} accepts. Immutable and thread-safe.
 *
 * <p>Defaults: VXLAN on UDP port 4789 and VXLAN-GPE on 4790, GBP interpretation off, {@link
 * Validation#STRICT}, IPv4 header checksum verified, non-zero UDP checksums not verified (RFC 7348
 * §5 lets receivers skip them; integrators whose NIC verified them need not pay twice), zero UDP
 * checksum over IPv6 refused (RFC 6936 §5), RFC 6040 ECN decapsulation applied.
 *
 * @since 0.1
 */
public final class DecapsulatorConfig {
  private static final DecapsulatorConfig DEFAULTS = builder().build();

  private final int[] vxlanPorts;
  private final int[] gpePorts;
  private final boolean groupBasedPolicy;
  private final Validation validation;
  private final boolean verifyIpv4Checksum;
  private final boolean verifyUdpChecksum;
  private final boolean acceptIpv6ZeroChecksum;
  private final boolean applyEcn;

  private DecapsulatorConfig(Builder b) {
    this.vxlanPorts = b.vxlanPorts.clone();
    this.gpePorts = b.gpePorts.clone();
    this.groupBasedPolicy = b.groupBasedPolicy;
    this.validation = b.validation;
    this.verifyIpv4Checksum = b.verifyIpv4Checksum;
    this.verifyUdpChecksum = b.verifyUdpChecksum;
    this.acceptIpv6ZeroChecksum = b.acceptIpv6ZeroChecksum;
    this.applyEcn = b.applyEcn;
  }

  /** Returns the default configuration. */
  public static DecapsulatorConfig defaults() {
    return DEFAULTS;
  }

  /** Returns a builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the header format for UDP destination port {@code port}, or {@code null} if not a VXLAN
   * port.
   */
  @org.jspecify.annotations.Nullable
  HeaderFormat formatForPort(int port) {
    for (int p : vxlanPorts) {
      if (p == port) {
        return groupBasedPolicy ? HeaderFormat.GBP : HeaderFormat.VXLAN;
      }
    }
    for (int p : gpePorts) {
      if (p == port) {
        return HeaderFormat.GPE;
      }
    }
    return null;
  }

  /** Returns the UDP ports carrying VXLAN (or GBP). */
  public int[] vxlanPorts() {
    return vxlanPorts.clone();
  }

  /** Returns the UDP ports carrying VXLAN-GPE. */
  public int[] gpePorts() {
    return gpePorts.clone();
  }

  /** Returns whether headers on the VXLAN ports are read as GBP. */
  public boolean groupBasedPolicy() {
    return groupBasedPolicy;
  }

  /** Returns the header validation mode. */
  public Validation validation() {
    return validation;
  }

  /** Returns whether the IPv4 header checksum is verified. */
  public boolean verifyIpv4Checksum() {
    return verifyIpv4Checksum;
  }

  /** Returns whether non-zero UDP checksums are verified. */
  public boolean verifyUdpChecksum() {
    return verifyUdpChecksum;
  }

  /**
   * Returns whether a zero UDP checksum over IPv6 is accepted (default: not, as RFC 8200 §8.1
   * requires a checksum unless a tunnel's ends agree otherwise, RFC 6935/6936; Linux's default
   * {@code noudp6zerocsumrx} is the same).
   */
  public boolean acceptIpv6ZeroChecksum() {
    return acceptIpv6ZeroChecksum;
  }

  /** Returns whether RFC 6040 §4.2 ECN decapsulation is applied to the inner packet. */
  public boolean applyEcn() {
    return applyEcn;
  }

  @Override
  public String toString() {
    return "DecapsulatorConfig[vxlanPorts="
        + Arrays.toString(vxlanPorts)
        + ", gpePorts="
        + Arrays.toString(gpePorts)
        + ", gbp="
        + groupBasedPolicy
        + ", "
        + validation
        + "]";
  }

  /**
   * Builds a {@link DecapsulatorConfig}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private int[] vxlanPorts = {VxlanHeader.UDP_PORT};
    private int[] gpePorts = {VxlanHeader.GPE_UDP_PORT};
    private boolean groupBasedPolicy;
    private Validation validation = Validation.STRICT;
    private boolean verifyIpv4Checksum = true;
    private boolean verifyUdpChecksum;
    private boolean acceptIpv6ZeroChecksum;
    private boolean applyEcn = true;

    private Builder() {}

    /** Sets the UDP ports carrying VXLAN or GBP (default 4789; Linux's legacy port is 8472). */
    public Builder vxlanPorts(int... ports) {
      this.vxlanPorts = checkPorts(ports);
      return this;
    }

    /** Sets the UDP ports carrying VXLAN-GPE (default 4790; none to disable). */
    public Builder gpePorts(int... ports) {
      this.gpePorts = checkPorts(ports);
      return this;
    }

    private static int[] checkPorts(int[] ports) {
      for (int p : ports) {
        if (p < 1 || p > 65535) {
          throw new IllegalArgumentException("port " + p + " out of range 1..65535");
        }
      }
      return ports.clone();
    }

    /** Reads headers on the VXLAN ports as Group Based Policy headers. */
    public Builder groupBasedPolicy(boolean gbp) {
      this.groupBasedPolicy = gbp;
      return this;
    }

    /** Sets the header validation mode. */
    public Builder validation(Validation validation) {
      this.validation = validation;
      return this;
    }

    /** Sets whether the IPv4 header checksum is verified. */
    public Builder verifyIpv4Checksum(boolean verify) {
      this.verifyIpv4Checksum = verify;
      return this;
    }

    /** Sets whether non-zero UDP checksums are verified. */
    public Builder verifyUdpChecksum(boolean verify) {
      this.verifyUdpChecksum = verify;
      return this;
    }

    /**
     * Sets whether a zero UDP checksum over IPv6 is accepted (RFC 6935/6936; default false): turn
     * it on for VTEPs that send without one, as Linux does with {@code udp6zerocsumtx}.
     */
    public Builder acceptIpv6ZeroChecksum(boolean accept) {
      this.acceptIpv6ZeroChecksum = accept;
      return this;
    }

    /** Sets whether RFC 6040 §4.2 ECN decapsulation rewrites the inner packet (and may drop). */
    public Builder applyEcn(boolean apply) {
      this.applyEcn = apply;
      return this;
    }

    /** Builds the configuration. */
    public DecapsulatorConfig build() {
      return new DecapsulatorConfig(this);
    }
  }
}
