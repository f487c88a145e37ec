package io.evpnkit.vxlan;

/**
 * Why {@link VxlanDecapsulator} did not deliver a packet. Each reason has a counter ({@link
 * VxlanDecapsulator#dropped(DropReason)}); the offset of the offending field is in {@link
 * Decapsulation#errorOffset()}. In {@link Validation#LENIENT} mode, {@link #I_FLAG_CLEAR} and
 * {@link #RESERVED_BITS_SET} are warnings instead ({@link Decapsulation#hasWarning(DropReason)}).
 *
 * @since 0.1
 */
public enum DropReason {
  /** Fewer than 14 bytes of outer Ethernet header, or a VLAN tag cut short. */
  TRUNCATED_ETHERNET("outer Ethernet header cut short"),
  /** More than two stacked outer VLAN tags. */
  TOO_MANY_VLAN_TAGS("more than two outer VLAN tags"),
  /** The outer EtherType is neither IPv4 nor IPv6. */
  NOT_IP("outer EtherType is not IPv4 or IPv6"),
  /** The outer IP header is cut short. */
  TRUNCATED_IP_HEADER("outer IP header cut short"),
  /** The IP version nibble disagrees with the EtherType. */
  BAD_IP_VERSION("IP version does not match the EtherType"),
  /** IPv4 IHL below 5. */
  BAD_IPV4_HEADER_LENGTH("IPv4 header length below 20 bytes"),
  /** The IP length field claims more bytes than the packet holds, or fewer than its own header. */
  BAD_IP_LENGTH("IP length field disagrees with the bytes present"),
  /** The IPv4 header checksum is wrong (RFC 791, RFC 1071). */
  BAD_IPV4_CHECKSUM("IPv4 header checksum is wrong"),
  /** An IPv4 or IPv6 fragment: VTEPs may discard them (RFC 7348 §4.3). */
  FRAGMENT("outer IP packet is a fragment"),
  /** An IPv6 extension header is cut short or there are too many. */
  BAD_IPV6_EXTENSION_HEADER("IPv6 extension header cut short or too many"),
  /** The outer packet is not UDP. */
  NOT_UDP("outer packet is not UDP"),
  /** The UDP header is cut short. */
  TRUNCATED_UDP("UDP header cut short"),
  /** The UDP length field is below 8 or beyond the IP payload. */
  BAD_UDP_LENGTH("UDP length field disagrees with the IP payload"),
  /** The UDP checksum is wrong. */
  BAD_UDP_CHECKSUM("UDP checksum is wrong"),
  /** A zero UDP checksum over IPv6 that the configuration does not allow (RFC 6936). */
  ZERO_UDP_CHECKSUM("zero UDP checksum over IPv6 not allowed"),
  /** The UDP destination port is not one of the configured VXLAN ports. */
  NOT_VXLAN_PORT("UDP destination port is not a VXLAN port"),
  /** Fewer than 8 bytes of VXLAN header. */
  TRUNCATED_VXLAN("VXLAN header cut short"),
  /** The I flag is clear: the VNI is not valid (RFC 7348 §5). */
  I_FLAG_CLEAR("VXLAN I flag clear"),
  /** Reserved bits of the header are set (strict validation). */
  RESERVED_BITS_SET("VXLAN reserved bits set"),
  /** A VXLAN-GPE version other than 0. */
  UNSUPPORTED_GPE_VERSION("VXLAN-GPE version not supported"),
  /**
   * The inner Ethernet frame is shorter than its 14-byte header, or an inner VLAN tag is cut short.
   */
  TRUNCATED_INNER_FRAME("inner frame cut short"),
  /** Outer ECN CE over an inner Not-ECT packet: RFC 6040 §4.2 says drop. */
  ECN_CE_ON_NOT_ECT("outer ECN CE on an inner Not-ECT packet"),
  /**
   * RFC 6040 §4.2 asks to change the inner header's ECN field, but the buffer is read-only: the
   * decapsulator writes in place and copies nothing, so it drops the packet (pass a writable
   * buffer, or turn ECN application off).
   */
  ECN_ON_READ_ONLY_BUFFER("inner ECN must change but the buffer is read-only");

  private final String description;

  DropReason(String description) {
    this.description = description;
  }

  /** Returns a short English description. */
  public String description() {
    return description;
  }
}
