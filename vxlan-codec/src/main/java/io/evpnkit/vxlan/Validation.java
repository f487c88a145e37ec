package io.evpnkit.vxlan;

/**
 * How strictly {@link VxlanDecapsulator} checks the VXLAN header.
 *
 * @since 0.1
 */
public enum Validation {
  /** The I flag must be set and every reserved bit zero, else the packet is dropped. */
  STRICT,
  /**
   * RFC 7348 §5 receive rules: reserved bits are ignored and a clear I flag is tolerated; both are
   * reported as warnings on the {@link Decapsulation}, and the packet is delivered.
   */
  LENIENT
}
