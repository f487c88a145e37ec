package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Frames BGP messages (RFC 4271 §4.1) out of a TCP byte stream delivered in segments of any size:
 *
 * <pre>
 * | marker: 16 x 0xFF | length (2): 19..4096, or ..65535 with RFC 8654 | type (1): 1..5 | body |
 * </pre>
 *
 * Whole messages found in a segment are handed to the {@link Listener} as slices of that segment
 * (no copy); only a message split across segments is copied, into a cumulation buffer whose size is
 * bounded by the maximum message length (never by an untrusted length field). A header error ends
 * the stream with the NOTIFICATION the RFC prescribes: Message Header Error (1) with Connection Not
 * Synchronized (1) for a bad marker, Bad Message Length (2), or Bad Message Type (3) (RFC 4271
 * §6.1), and the stream offset.
 *
 * <p>Ownership: {@link #feed} neither retains nor releases the segment; a message slice is valid
 * during the listener call only (retain it to keep it). {@link #close()} releases the cumulation.
 * Not thread-safe.
 *
 * @since 0.1
 */
public final class BgpMessageFramer implements AutoCloseable {
  /** Length of the header: marker, length, type. */
  public static final int HEADER_LENGTH = 19;

  /** Largest message without the Extended Message capability (RFC 4271 §4). */
  public static final int MAX_LENGTH = 4096;

  /** Largest message with the Extended Message capability (RFC 8654). */
  public static final int MAX_EXTENDED_LENGTH = 65535;

  /** Receives framed messages. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called for every complete message, in stream order.
     *
     * @param message the whole message, header included, as the readable bytes of a slice valid
     *     during this call
     * @param type the message type (1 OPEN, 2 UPDATE, 3 NOTIFICATION, 4 KEEPALIVE, 5 ROUTE-REFRESH)
     * @param streamOffset the offset of the message's first byte in the stream
     */
    void onMessage(ByteBuf message, int type, long streamOffset);
  }

  /** A header error: the NOTIFICATION to send and where in the stream the error is. */
  public record HeaderError(int errorCode, int errorSubcode, long streamOffset, String reason) {}

  private final ByteBufAllocator allocator;
  private int maxLength;
  private ByteBuf cumulation;
  private long consumed;
  private @Nullable HeaderError error;

  /**
   * Creates a framer.
   *
   * @param extendedMessages whether the Extended Message capability (RFC 8654) was negotiated
   * @param allocator where the cumulation buffer comes from
   */
  public BgpMessageFramer(boolean extendedMessages, ByteBufAllocator allocator) {
    this.allocator = allocator;
    this.maxLength = extendedMessages ? MAX_EXTENDED_LENGTH : MAX_LENGTH;
    this.cumulation = allocator.heapBuffer(256, maxLength);
  }

  /**
   * Raises the length limit to RFC 8654's 65,535 octets, once a session has negotiated the Extended
   * Message capability: its OPEN messages were framed with the limit of 4,096 (RFC 8654 §4),
   * everything after may be longer. May be called from the listener; the messages that follow in
   * the same segment are framed with the new limit.
   */
  public void allowExtendedMessages() {
    maxLength = MAX_EXTENDED_LENGTH;
  }

  /**
   * The cumulation buffer, grown first when the limit was raised (never while a listener has it).
   */
  private ByteBuf cumulation() {
    if (cumulation.maxCapacity() < maxLength) {
      ByteBuf bigger = allocator.heapBuffer(Math.max(256, cumulation.readableBytes()), maxLength);
      bigger.writeBytes(cumulation);
      cumulation.release();
      cumulation = bigger;
    }
    return cumulation;
  }

  /**
   * Feeds the readable bytes of a segment (indexes not moved) and calls the listener for each
   * message it completes.
   *
   * @return {@code null}, or the header error that ended the stream (then and afterwards)
   */
  public @Nullable HeaderError feed(ByteBuf segment, Listener listener) {
    if (error != null) {
      return error;
    }
    int at = segment.readerIndex();
    int end = segment.writerIndex();
    if (cumulation.isReadable()) {
      // complete the message begun in an earlier segment
      int need = cumulation.readableBytes() < HEADER_LENGTH ? HEADER_LENGTH : -1;
      if (need > 0) {
        int take = Math.min(need - cumulation.readableBytes(), end - at);
        cumulation().writeBytes(segment, at, take);
        at += take;
        if (cumulation.readableBytes() < HEADER_LENGTH) {
          return null;
        }
        if (check(cumulation, cumulation.readerIndex()) != null) {
          return error;
        }
      }
      int length = cumulation.getUnsignedShort(cumulation.readerIndex() + 16);
      int take = Math.min(length - cumulation.readableBytes(), end - at);
      cumulation().writeBytes(segment, at, take);
      at += take;
      if (cumulation.readableBytes() < length) {
        return null;
      }
      listener.onMessage(
          cumulation, cumulation.getUnsignedByte(cumulation.readerIndex() + 18), consumed);
      consumed += length;
      cumulation.clear();
    }
    while (end - at >= HEADER_LENGTH) {
      if (check(segment, at) != null) {
        return error;
      }
      int length = segment.getUnsignedShort(at + 16);
      if (end - at < length) {
        break;
      }
      listener.onMessage(segment.slice(at, length), segment.getUnsignedByte(at + 18), consumed);
      consumed += length;
      at += length;
    }
    if (at < end) {
      cumulation().writeBytes(segment, at, end - at);
    }
    return null;
  }

  /** Checks a whole header at {@code index}; sets and returns the error, or {@code null}. */
  private @Nullable HeaderError check(ByteBuf buf, int index) {
    long streamOffset = consumed;
    if (buf.getLong(index) != -1L || buf.getLong(index + 8) != -1L) {
      return fail(1, 1, streamOffset, "marker is not all ones");
    }
    int length = buf.getUnsignedShort(index + 16);
    int type = buf.getUnsignedByte(index + 18);
    if (length < HEADER_LENGTH || length > maxLength) {
      return fail(
          1, 2, streamOffset + 16, "message length " + length + ": must be 19.." + maxLength);
    }
    int minimum =
        switch (type) {
          case 1 -> 29; // OPEN
          case 2 -> 23; // UPDATE
          case 3 -> 21; // NOTIFICATION
          case 4 -> 19; // KEEPALIVE
          case 5 -> 23; // ROUTE-REFRESH
          default -> -1;
        };
    if (minimum < 0) {
      return fail(1, 3, streamOffset + 18, "message type " + type + ": must be 1..5");
    }
    if (length < minimum || (type == 4 && length != 19)) {
      return fail(
          1, 2, streamOffset + 16, "message length " + length + " too short for type " + type);
    }
    return null;
  }

  private HeaderError fail(int code, int subcode, long offset, String reason) {
    HeaderError e = new HeaderError(code, subcode, offset, reason);
    error = e;
    return e;
  }

  /** Returns how many bytes of the stream have been framed into messages. */
  public long consumed() {
    return consumed;
  }

  /** Returns the bytes held of an incomplete message. */
  public int pending() {
    return cumulation.readableBytes();
  }

  @Override
  public void close() {
    if (cumulation.refCnt() > 0) {
      cumulation.release();
    }
  }
}
