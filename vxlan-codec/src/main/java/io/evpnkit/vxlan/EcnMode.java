package io.evpnkit.vxlan;

/**
 * How an encapsulator sets the ECN field of the outer IP header, RFC 6040 §4.1.
 *
 * @since 0.1
 */
public enum EcnMode {
  /**
   * Normal mode: the inner ECN field is copied to the outer header (Not-ECT when the inner is not
   * IP).
   */
  NORMAL,
  /**
   * Compatibility mode: the outer ECN field is always Not-ECT (for decapsulators that predate RFC
   * 6040).
   */
  COMPATIBILITY
}
