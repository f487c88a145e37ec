package io.evpnkit.vxlan;

/**
 * How the eight bytes of a {@link VxlanHeader} are interpreted. The wire gives no marker: the UDP
 * port selects GPE (4790), and a receiver's configuration selects GBP, as Linux does with {@code ip
 * link add ... type vxlan gbp}.
 *
 * @since 0.1
 */
public enum HeaderFormat {
  /** RFC 7348 §5: only the I flag and the VNI have meaning. */
  VXLAN,
  /** draft-smith-vxlan-group-policy: G, D, A flags and the Group Policy ID as well. */
  GBP,
  /** draft-ietf-nvo3-vxlan-gpe: version, P, B, O flags and the Next Protocol as well. */
  GPE
}
