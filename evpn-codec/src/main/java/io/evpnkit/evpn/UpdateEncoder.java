package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Writes L2VPN/EVPN UPDATE messages (RFC 4271 §4.3, RFC 4760 §3-4), packing as many NLRI into each
 * message as fit the session's limit: 4096 octets, or 65535 with the Extended Message capability
 * (RFC 8654). Announcements go in MP_REACH_NLRI placed first, as RFC 7606 §5.1 asks, followed by
 * the other attributes in type order; withdrawals go in MP_UNREACH_NLRI alone. With ADD-PATH each
 * NLRI is preceded by its path identifier (RFC 7911 §3). Messages are appended at the writer index
 * of the caller's buffer, which grows as needed and stays the caller's. The next hop is written as
 * {@link PathAttributes#nextHopLength()} says: 4, 16, or 32 octets (IPv6 global and link-local, RFC
 * 2545 §3).
 *
 * <p>To an external peer, LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST are left out (RFC 4271 §5.1.5,
 * RFC 4456 §8): an integrator who meant the session to be internal but forgot {@link
 * SessionOptions#internalPeer()} finds them missing, so every UPDATE that left one out is counted
 * ({@link #internalOnlyAttributesDropped()}) and the first is reported on the {@link System.Logger}
 * of this class at level DEBUG. Thread-safe: the options are immutable and the counter is a {@link
 * LongAdder}.
 *
 * @since 0.1
 */
public final class UpdateEncoder {
  private static final int MP_HEADER = 4; // flags, type, two length octets (always extended)

  private static final System.Logger LOG = System.getLogger(UpdateEncoder.class.getName());

  private final SessionOptions options;
  private final LongAdder internalOnlyDropped = new LongAdder();

  /** Creates an encoder for a session with these options. */
  public UpdateEncoder(SessionOptions options) {
    this.options = options;
  }

  /**
   * Returns how many UPDATEs this encoder wrote to an external peer without the LOCAL_PREF,
   * ORIGINATOR_ID or CLUSTER_LIST their attributes held (RFC 4271 §5.1.5, RFC 4456 §8: those go to
   * internal peers only).
   */
  public long internalOnlyAttributesDropped() {
    return internalOnlyDropped.sum();
  }

  /**
   * Appends UPDATEs announcing {@code routes} with {@code attributes} (whose {@link
   * PathAttributes#nextHop()} is the MP_REACH_NLRI next hop), with path identifier 0 under
   * ADD-PATH.
   *
   * @return the number of messages written (0 for no routes)
   * @throws IllegalArgumentException if the attributes have no next hop, or they and one NLRI do
   *     not fit a message
   */
  public int announce(PathAttributes attributes, List<? extends EvpnRoute> routes, ByteBuf out) {
    return announce(attributes, routes, null, out);
  }

  /**
   * Appends UPDATEs announcing {@code routes} with {@code attributes}, route {@code i} with
   * ADD-PATH path identifier {@code pathIds[i]} (ignored without ADD-PATH).
   *
   * @return the number of messages written (0 for no routes)
   * @throws IllegalArgumentException if the attributes have no next hop, or they and one NLRI do
   *     not fit a message
   */
  public int announce(
      PathAttributes attributes,
      List<? extends EvpnRoute> routes,
      long @Nullable [] pathIds,
      ByteBuf out) {
    if (attributes.nextHop() == null) {
      throw new IllegalArgumentException(
          "announcing EVPN routes needs a next hop in the attributes");
    }
    checkPathIds(routes, pathIds);
    int nextHopLength = attributes.nextHopLength();
    boolean dropsInternalOnly = !options.internalPeer() && attributes.hasInternalOnlyAttributes();
    int attributesLength = attributes.encodedLength(options);
    int fixed =
        BgpMessageFramer.HEADER_LENGTH
            + 4
            + MP_HEADER
            + 3
            + 1
            + nextHopLength
            + 1
            + attributesLength;
    int messages = 0;
    for (int i = 0; i < routes.size(); ) {
      int start = out.writerIndex();
      BgpMessages.writeHeader(out, BgpMessageFramer.HEADER_LENGTH, 2);
      out.writeShort(0); // withdrawn routes length
      int totalAt = out.writerIndex();
      out.writeShort(0);
      out.writeByte(PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_EXTENDED_LENGTH)
          .writeByte(PathAttributes.MP_REACH_NLRI);
      int mpLengthAt = out.writerIndex();
      out.writeShort(0);
      out.writeShort(BgpMessages.AFI_L2VPN)
          .writeByte(BgpMessages.SAFI_EVPN)
          .writeByte(nextHopLength);
      out.ensureWritable(nextHopLength + 1);
      attributes.writeNextHop(out, out.writerIndex());
      out.writerIndex(out.writerIndex() + nextHopLength).writeByte(0);
      int first = i;
      i = pack(routes, pathIds, i, fixed, out);
      if (i == first) {
        out.writerIndex(start);
        throw new IllegalArgumentException(
            "attributes of "
                + attributesLength
                + " bytes and route "
                + routes.get(i)
                + " do not fit a message of "
                + options.maxMessageLength());
      }
      out.setShort(mpLengthAt, out.writerIndex() - mpLengthAt - 2);
      attributes.write(out, options);
      out.setShort(totalAt, out.writerIndex() - totalAt - 2);
      out.setShort(start + 16, out.writerIndex() - start);
      messages++;
    }
    if (dropsInternalOnly && messages > 0) {
      internalOnlyDropped.add(messages);
      if (internalOnlyDropped.sum() == messages) {
        LOG.log(
            System.Logger.Level.DEBUG,
            () ->
                "UPDATE to an external peer without LOCAL_PREF, ORIGINATOR_ID and"
                    + " CLUSTER_LIST (RFC 4271 §5.1.5, RFC 4456 §8; SessionOptions.internalPeer() is false): "
                    + attributes);
      }
    }
    return messages;
  }

  /**
   * Appends UPDATEs withdrawing {@code routes} in MP_UNREACH_NLRI (path identifier 0 under
   * ADD-PATH).
   *
   * @return the number of messages written (0 for no routes)
   */
  public int withdraw(List<? extends EvpnRoute> routes, ByteBuf out) {
    return withdraw(routes, null, out);
  }

  /**
   * Appends UPDATEs withdrawing {@code routes} in MP_UNREACH_NLRI, route {@code i} with path
   * identifier {@code pathIds[i]} under ADD-PATH.
   *
   * @return the number of messages written (0 for no routes)
   */
  public int withdraw(List<? extends EvpnRoute> routes, long @Nullable [] pathIds, ByteBuf out) {
    checkPathIds(routes, pathIds);
    int fixed = BgpMessageFramer.HEADER_LENGTH + 4 + MP_HEADER + 3;
    int messages = 0;
    for (int i = 0; i < routes.size(); ) {
      int start = writeUnreachHeader(out);
      i =
          pack(
              routes, pathIds, i, fixed,
              out); // an NLRI is at most 261 octets: at least one always fits
      finishUnreach(out, start);
      messages++;
    }
    return messages;
  }

  /**
   * Appends the End-of-RIB marker of L2VPN/EVPN (RFC 4724 §2): an UPDATE with an empty
   * MP_UNREACH_NLRI.
   */
  public void writeEndOfRib(ByteBuf out) {
    finishUnreach(out, writeUnreachHeader(out));
  }

  private static int writeUnreachHeader(ByteBuf out) {
    int start = out.writerIndex();
    BgpMessages.writeHeader(out, BgpMessageFramer.HEADER_LENGTH, 2);
    out.writeShort(0).writeShort(0);
    out.writeByte(PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_EXTENDED_LENGTH)
        .writeByte(PathAttributes.MP_UNREACH_NLRI)
        .writeShort(0);
    out.writeShort(BgpMessages.AFI_L2VPN).writeByte(BgpMessages.SAFI_EVPN);
    return start;
  }

  private static void finishUnreach(ByteBuf out, int start) {
    int end = out.writerIndex();
    out.setShort(start + 21, end - start - 23);
    out.setShort(start + 25, end - start - 27);
    out.setShort(start + 16, end - start);
  }

  /**
   * Writes routes from {@code from} on while the message (of {@code size} octets so far) has room;
   * returns the next.
   */
  private int pack(
      List<? extends EvpnRoute> routes,
      long @Nullable [] pathIds,
      int from,
      int size,
      ByteBuf out) {
    int i = from;
    for (int used = size; i < routes.size(); i++) {
      int n = nlriSize(routes.get(i));
      if (used + n > options.maxMessageLength()) {
        break;
      }
      used += n;
      writeNlri(routes.get(i), pathIds == null ? 0 : pathIds[i], out);
    }
    return i;
  }

  private int nlriSize(EvpnRoute route) {
    return EvpnNlri.HEADER_LENGTH + route.valueLength() + (options.addPath() ? 4 : 0);
  }

  private void writeNlri(EvpnRoute route, long pathId, ByteBuf out) {
    if (options.addPath()) {
      out.ensureWritable(4).writeInt((int) pathId);
    }
    route.encode(out);
  }

  private void checkPathIds(List<? extends EvpnRoute> routes, long @Nullable [] pathIds) {
    if (pathIds != null && pathIds.length != routes.size()) {
      throw new IllegalArgumentException(
          pathIds.length + " path identifiers for " + routes.size() + " routes");
    }
  }
}
