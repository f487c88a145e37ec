package io.evpnkit.evpn;

/**
 * Where each field of an EVPN route's value lies (the octets after route type and length), one
 * class per route type in the manner of SBE's generated codecs: every offset derived from the one
 * before it, as the RFC's diagram lists them, and read by both the {@link EvpnNlri} flyweight and
 * each route's {@code writeValue}. Fields after a variable-length address are methods of that
 * address's length in octets.
 */
final class NlriLayout {
  private NlriLayout() {}

  static final int RD = 0;
  private static final int AFTER_RD = RD + RouteDistinguisher.LENGTH;

  /** Type 1, Ethernet Auto-Discovery (RFC 7432 §7.1): RD, ESI, Ethernet tag, MPLS label. */
  static final class AutoDiscovery {
    static final int ESI = AFTER_RD;
    static final int ETHERNET_TAG = ESI + EthernetSegmentIdentifier.LENGTH;
    static final int LABEL = ETHERNET_TAG + EthernetTag.LENGTH;
    static final int LENGTH = LABEL + LabelField.LENGTH;

    private AutoDiscovery() {}
  }

  /**
   * Type 2, MAC/IP Advertisement (RFC 7432 §7.2): RD, ESI, Ethernet tag, MAC length (48), MAC, IP
   * length, IP (0, 4 or 16 octets), label 1, label 2 (optional).
   */
  static final class MacIp {
    static final int ESI = AFTER_RD;
    static final int ETHERNET_TAG = ESI + EthernetSegmentIdentifier.LENGTH;
    static final int MAC_LENGTH = ETHERNET_TAG + EthernetTag.LENGTH;
    static final int MAC = MAC_LENGTH + 1;
    static final int IP_LENGTH = MAC + MacAddress.LENGTH;
    static final int IP = IP_LENGTH + 1;

    /** The shortest value: no IP, one label. */
    static final int MIN_LENGTH = IP + LabelField.LENGTH;

    static int label1(int ipOctets) {
      return IP + ipOctets;
    }

    static int label2(int ipOctets) {
      return label1(ipOctets) + LabelField.LENGTH;
    }

    private MacIp() {}
  }

  /**
   * Type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3): RD, Ethernet tag, IP length,
   * originator.
   */
  static final class InclusiveMulticast {
    static final int ETHERNET_TAG = AFTER_RD;
    static final int IP_LENGTH = ETHERNET_TAG + EthernetTag.LENGTH;
    static final int IP = IP_LENGTH + 1;

    private InclusiveMulticast() {}
  }

  /** Type 4, Ethernet Segment (RFC 7432 §7.4): RD, ESI, IP length, originator. */
  static final class EthernetSegment {
    static final int ESI = AFTER_RD;
    static final int IP_LENGTH = ESI + EthernetSegmentIdentifier.LENGTH;
    static final int IP = IP_LENGTH + 1;

    private EthernetSegment() {}
  }

  /**
   * Type 5, IP Prefix (RFC 9136 §3.1): RD, ESI, Ethernet tag, prefix length, prefix, gateway IP
   * (both 4 or 16 octets), label.
   */
  static final class IpPrefix {
    static final int ESI = AFTER_RD;
    static final int ETHERNET_TAG = ESI + EthernetSegmentIdentifier.LENGTH;
    static final int PREFIX_LENGTH = ETHERNET_TAG + EthernetTag.LENGTH;
    static final int PREFIX = PREFIX_LENGTH + 1;

    static int gateway(int ipOctets) {
      return PREFIX + ipOctets;
    }

    static int label(int ipOctets) {
      return gateway(ipOctets) + ipOctets;
    }

    static int length(int ipOctets) {
      return label(ipOctets) + LabelField.LENGTH;
    }

    private IpPrefix() {}
  }

  /**
   * Types 6, 9 and 10 (RFC 9251 §9.1, RFC 9572 §3): RD and Ethernet tag, then the multicast source
   * and group (types 6, 10) or the region ID (type 9, 8 octets).
   */
  static final class TagMulticast {
    static final int ETHERNET_TAG = AFTER_RD;
    static final int SOURCE_LENGTH = ETHERNET_TAG + EthernetTag.LENGTH;
    static final int REGION_ID = SOURCE_LENGTH;
    static final int PER_REGION_LENGTH = REGION_ID + 8;

    private TagMulticast() {}
  }

  /**
   * Types 7 and 8 (RFC 9251 §9.2, §9.3): RD, ESI, Ethernet tag, then the multicast source and
   * group.
   */
  static final class SegmentMulticast {
    static final int ESI = AFTER_RD;
    static final int ETHERNET_TAG = ESI + EthernetSegmentIdentifier.LENGTH;
    static final int SOURCE_LENGTH = ETHERNET_TAG + EthernetTag.LENGTH;

    private SegmentMulticast() {}
  }
}
