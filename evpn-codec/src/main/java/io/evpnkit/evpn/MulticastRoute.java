package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * Route types 6, 7 and 8 of RFC 9251 (IGMP/MLD proxy): Selective Multicast Ethernet Tag (§9.1),
 * Multicast Membership Report Synch (§9.2) and Multicast Leave Synch (§9.3). They share the (S, G)
 * and originator fields; types 7 and 8 carry the Ethernet segment they synchronize, type 8 a
 * sequence number and maximum response time.
 *
 * <p>Text (evpnkit's, in the style of the Junos forms; Junos has no display form for these types
 * here): {@code 6:<RD>::<tag>::(<S>,<G>)::<flags>::<originator>}, {@code
 * 7:<RD>::<ESI>::<tag>::(<S>,<G>)::<flags>::<originator>}, {@code
 * 8:<RD>::<ESI>::<tag>::(<S>,<G>)::<flags>::<sequence>::<max response time>::<originator>}; {@code
 * *} stands for any source or group.
 *
 * @param routeType 6, 7 or 8
 * @param rd the route distinguisher
 * @param esi the Ethernet segment (types 7 and 8; {@link EthernetSegmentIdentifier#ZERO} for type
 *     6, not encoded)
 * @param ethernetTag the Ethernet tag
 * @param source the multicast source, or {@code null} for any
 * @param group the multicast group, or {@code null} for any
 * @param originator the originating router's address
 * @param flags the flags octet
 * @param leaveSequence type 8: the Leave Group Synchronization number (0 otherwise)
 * @param maxResponseTime type 8: the Maximum Response Time (0 otherwise)
 * @since 0.1
 */
public record MulticastRoute(
    RouteType routeType,
    RouteDistinguisher rd,
    EthernetSegmentIdentifier esi,
    EthernetTag ethernetTag,
    @Nullable IpAddress source,
    @Nullable IpAddress group,
    IpAddress originator,
    int flags,
    long leaveSequence,
    int maxResponseTime)
    implements EvpnRoute {

  /** Checks the type and ranges. */
  public MulticastRoute {
    int t = routeType.code();
    if (t < 6 || t > 8) {
      throw new IllegalArgumentException("route type " + t + " is not 6, 7 or 8");
    }
    if ((flags & ~0xFF) != 0
        || (maxResponseTime & ~0xFF) != 0
        || leaveSequence < 0
        || leaveSequence > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "flags and max response time are one octet, the sequence 32 bits");
    }
    if (t != 8 && (leaveSequence != 0 || maxResponseTime != 0)) {
      throw new IllegalArgumentException("only type 8 has a sequence and a maximum response time");
    }
    if (t == 6 && !esi.equals(EthernetSegmentIdentifier.ZERO)) {
      throw new IllegalArgumentException("type 6 has no ESI");
    }
  }

  static int addressLength(@Nullable IpAddress a) {
    return 1 + (a == null ? 0 : a.byteLength());
  }

  @Override
  public int valueLength() {
    int t = routeType.code();
    return (t == 6 ? 12 : 22)
        + addressLength(source)
        + addressLength(group)
        + 1
        + originator.byteLength()
        + (t == 8 ? 6 : 1);
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    int t = routeType.code();
    rd.write(buf, index);
    int at;
    if (t == 6) {
      ethernetTag.write(buf, index + NlriLayout.TagMulticast.ETHERNET_TAG);
      at = index + NlriLayout.TagMulticast.SOURCE_LENGTH;
    } else {
      esi.write(buf, index + NlriLayout.SegmentMulticast.ESI);
      ethernetTag.write(buf, index + NlriLayout.SegmentMulticast.ETHERNET_TAG);
      at = index + NlriLayout.SegmentMulticast.SOURCE_LENGTH;
    }
    at = writeAddress(buf, at, source);
    at = writeAddress(buf, at, group);
    at = writeAddress(buf, at, originator);
    if (t == 8) {
      buf.setInt(at, (int) leaveSequence);
      buf.setByte(at + 4, maxResponseTime);
      at += 5;
    }
    buf.setByte(at, flags);
  }

  static int writeAddress(ByteBuf buf, int at, @Nullable IpAddress a) {
    if (a == null) {
      buf.setByte(at, 0);
      return at + 1;
    }
    buf.setByte(at, a.bitLength());
    a.write(buf, at + 1);
    return at + 1 + a.byteLength();
  }

  static StringBuilder appendSourceGroup(
      StringBuilder sb, @Nullable IpAddress source, @Nullable IpAddress group) {
    sb.append('(');
    if (source == null) {
      sb.append('*');
    } else {
      source.appendTo(sb);
    }
    sb.append(',');
    if (group == null) {
      sb.append('*');
    } else {
      group.appendTo(sb);
    }
    return sb.append(')');
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    int t = routeType.code();
    rd.appendTo(sb.append(t).append(':')).append("::");
    if (t != 6) {
      esi.appendCompact(sb).append("::");
    }
    JunosRouteText.appendTag(sb, ethernetTag).append("::");
    appendSourceGroup(sb, source, group).append("::").append(flags).append("::");
    if (t == 8) {
      sb.append(leaveSequence).append("::").append(maxResponseTime).append("::");
    }
    return originator.appendTo(sb);
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder(80)).toString();
  }
}
