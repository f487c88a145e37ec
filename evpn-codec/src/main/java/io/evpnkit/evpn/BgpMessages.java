package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;

/**
 * The small BGP messages and the common header (RFC 4271 §4.1, §4.4; RFC 2918 §3 for
 * ROUTE-REFRESH). Writers append whole messages at the writer index of a caller's buffer, which
 * grows as needed.
 *
 * @since 0.1
 */
public final class BgpMessages {
  /** Message type code of KEEPALIVE. */
  public static final int KEEPALIVE = 4;

  /** Message type code of ROUTE-REFRESH. */
  public static final int ROUTE_REFRESH = 5;

  /** AFI of L2VPN (EVPN). */
  public static final int AFI_L2VPN = 25;

  /** SAFI of EVPN (RFC 7432 §14). */
  public static final int SAFI_EVPN = 70;

  private BgpMessages() {}

  /** Appends a header: the all-ones marker, {@code length}, {@code type}. */
  public static void writeHeader(ByteBuf out, int length, int type) {
    if (length < BgpMessageFramer.HEADER_LENGTH || length > BgpMessageFramer.MAX_EXTENDED_LENGTH) {
      throw new IllegalArgumentException("message length " + length + " out of range 19..65535");
    }
    out.ensureWritable(BgpMessageFramer.HEADER_LENGTH);
    out.writeLong(-1L).writeLong(-1L).writeShort(length).writeByte(type);
  }

  /** Appends a KEEPALIVE (a header alone, 19 bytes). */
  public static void writeKeepalive(ByteBuf out) {
    writeHeader(out, BgpMessageFramer.HEADER_LENGTH, KEEPALIVE);
  }

  /** Appends a ROUTE-REFRESH for an AFI/SAFI (RFC 2918 §3; subtype 0, a normal request). */
  public static void writeRouteRefresh(ByteBuf out, int afi, int safi) {
    writeRouteRefresh(out, afi, REFRESH_REQUEST, safi);
  }

  /** ROUTE-REFRESH message subtype: a request (RFC 2918; RFC 7313 §3.2). */
  public static final int REFRESH_REQUEST = 0;

  /** ROUTE-REFRESH message subtype: Beginning of Route Refresh, BoRR (RFC 7313 §3.2). */
  public static final int REFRESH_BEGIN = 1;

  /** ROUTE-REFRESH message subtype: End of Route Refresh, EoRR (RFC 7313 §3.2). */
  public static final int REFRESH_END = 2;

  /**
   * Appends a ROUTE-REFRESH message with a message subtype (RFC 7313 §3.2: the octet RFC 2918
   * reserved): {@link #REFRESH_REQUEST}, {@link #REFRESH_BEGIN} or {@link #REFRESH_END}.
   */
  public static void writeRouteRefresh(ByteBuf out, int afi, int subtype, int safi) {
    writeHeader(out, 23, ROUTE_REFRESH);
    out.writeShort(afi).writeByte(subtype).writeByte(safi);
  }

  /**
   * Returns the message subtype of a whole ROUTE-REFRESH message (RFC 7313 §3.2).
   *
   * @throws MalformedException if it is not a ROUTE-REFRESH of 23 bytes
   */
  public static int routeRefreshSubtype(ByteBuf message) {
    readRouteRefresh(message);
    return message.getUnsignedByte(message.readerIndex() + 21);
  }

  /**
   * Returns the AFI (bits 8 to 23) and SAFI (low 8 bits) of a whole ROUTE-REFRESH message.
   *
   * @throws MalformedException if it is not a ROUTE-REFRESH of 23 bytes
   */
  public static int readRouteRefresh(ByteBuf message) {
    int at = message.readerIndex();
    if (message.readableBytes() != 23 || message.getUnsignedByte(at + 18) != ROUTE_REFRESH) {
      throw new MalformedException("not a 23-byte ROUTE-REFRESH message", at);
    }
    return (message.getUnsignedShort(at + 19) << 8) | message.getUnsignedByte(at + 22);
  }
}
