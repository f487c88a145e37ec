package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.vxlan.Addresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the byte streams of the TCP connections in a capture, each direction in sequence order,
 * so that a protocol carried over TCP (BGP on port 179) can be decoded from messages split across
 * segments. Reads Ethernet (with up to two VLAN tags), raw IP and Linux cooked captures, IPv4
 * (without fragments) and IPv6 (hop-by-hop, routing and destination options headers skipped).
 *
 * <p>Per direction: a SYN fixes the initial sequence number and starts a new stream ({@link
 * Listener#onNewStream}: a SYN with another initial sequence number is a new connection on the same
 * ports; a retransmitted SYN with the same one changes nothing); a capture that starts
 * mid-connection starts at the first segment with data. Retransmitted and overlapping bytes are
 * delivered once, duplicates of a waiting segment are kept once. Segments ahead of a hole wait for
 * it, keyed by their 64-bit offset in the stream, so that each segment costs O(log n) however they
 * are reordered; when the bytes waiting in a direction would pass {@code maxPendingBytes}, the
 * first hole is given up on ({@link Listener#onGap}, counted in {@link #gaps()} and {@link
 * #gapBytes()}) and what follows it is delivered. At the end of a capture, {@link #finish} gives up
 * on the holes still open and delivers what waits behind them.
 *
 * <p>The directions kept are bounded ({@code maxFlows}): past the bound the least recently active
 * one is forgotten, counted in {@link #evictedFlows()} (with the bytes it was holding in {@link
 * #gapBytes()}). Not thread-safe. Intended for captures (tools and tests), so it copies what it
 * keeps.
 *
 * @since 0.1
 */
@Beta
public final class TcpReassembler {
  /** Receives stream bytes and what happens to the streams. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called with the next in-order bytes of one direction of a connection.
     *
     * @param flow the direction
     * @param data the bytes, valid during this call (a read-only view the listener does not
     *     release)
     * @param frame the frame number of the packet that completed these bytes
     */
    void onData(Flow flow, ByteBuf data, int frame);

    /**
     * A SYN began a new stream in this direction (a new connection, or the first one seen):
     * whatever a consumer kept of an earlier stream (half a message) belongs to a connection that
     * is over.
     *
     * @param flow the direction
     * @param frame the frame of the SYN
     */
    default void onNewStream(Flow flow, int frame) {}

    /**
     * Bytes of this direction were never captured: the stream goes on after a hole of {@code
     * missing} bytes (a consumer framing messages must find the next message boundary).
     *
     * @param flow the direction
     * @param missing how many bytes are missing
     * @param frame the frame at which the hole was given up on
     */
    default void onGap(Flow flow, long missing, int frame) {}
  }

  /**
   * One direction of a TCP connection.
   *
   * @param source source address (RFC 5952 text for IPv6)
   * @param sourcePort source port
   * @param destination destination address
   * @param destinationPort destination port
   */
  public record Flow(String source, int sourcePort, String destination, int destinationPort) {
    @Override
    public String toString() {
      return endpoint(source, sourcePort) + " > " + endpoint(destination, destinationPort);
    }

    private static String endpoint(String address, int port) {
      return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
  }

  private static final class Direction {
    boolean started;
    long isn = -1; // the initial sequence number of the SYN seen, or -1
    long next; // next expected sequence number, 0..2^32-1
    long position; // the stream offset of next (64 bits: never wraps)
    final TreeMap<Long, byte[]> pending = new TreeMap<>(); // waiting segments by stream offset
    long pendingBytes;
  }

  /** The default bound on the directions kept. */
  public static final int DEFAULT_MAX_FLOWS = 65_536;

  private final int maxPendingBytes;
  private final int maxFlows;
  private final Map<Flow, Direction> directions;
  private long gaps;
  private long gapBytes;
  private long evicted;

  /**
   * Creates a reassembler keeping at most {@link #DEFAULT_MAX_FLOWS} directions.
   *
   * @param maxPendingBytes how many out-of-order bytes one direction may hold while waiting for a
   *     hole
   */
  public TcpReassembler(int maxPendingBytes) {
    this(maxPendingBytes, DEFAULT_MAX_FLOWS);
  }

  /**
   * Creates a reassembler.
   *
   * @param maxPendingBytes how many out-of-order bytes one direction may hold while waiting for a
   *     hole
   * @param maxFlows how many directions it keeps; past that the least recently active is forgotten
   */
  public TcpReassembler(int maxPendingBytes, int maxFlows) {
    if (maxPendingBytes < 0 || maxFlows < 1) {
      throw new IllegalArgumentException(
          "maxPendingBytes " + maxPendingBytes + " and maxFlows " + maxFlows);
    }
    this.maxPendingBytes = maxPendingBytes;
    this.maxFlows = maxFlows;
    this.directions =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Flow, Direction> eldest) {
            if (size() <= TcpReassembler.this.maxFlows) {
              return false;
            }
            evicted++;
            gapBytes += eldest.getValue().pendingBytes;
            return true;
          }
        };
  }

  /**
   * Returns how many holes were given up on (bytes never captured, or more reordering than the
   * bound).
   */
  public long gaps() {
    return gaps;
  }

  /**
   * Returns how many bytes were lost: the holes given up on, and what evicted directions were
   * holding.
   */
  public long gapBytes() {
    return gapBytes;
  }

  /** Returns how many directions were forgotten to keep within {@code maxFlows}. */
  public long evictedFlows() {
    return evicted;
  }

  /** Returns how many directions are kept. */
  public int flows() {
    return directions.size();
  }

  /**
   * Feeds one captured packet.
   *
   * @return the direction it belongs to if it was a TCP segment (with or without data), else {@code
   *     null}
   */
  public @Nullable Flow accept(CapturedPacket packet, Listener listener) {
    ByteBuf b = packet.buffer();
    int end = b.writerIndex();
    int at = LinkType.networkOffset(packet.linkType());
    int etherType;
    if (at < 0) {
      if (packet.linkType() != LinkType.ETHERNET || end < 14) {
        return null;
      }
      at = 12;
      etherType = b.getUnsignedShort(at);
      for (int tags = 0;
          (etherType == 0x8100 || etherType == 0x88A8) && tags < 2 && at + 6 <= end;
          tags++) {
        at += 4;
        etherType = b.getUnsignedShort(at);
      }
      at += 2;
    } else {
      if (at >= end) {
        return null;
      }
      etherType = (b.getUnsignedByte(at) >>> 4) == 6 ? 0x86DD : 0x0800;
    }
    String source;
    String destination;
    int ipEnd;
    if (etherType == 0x0800) {
      if (at + 20 > end || (b.getUnsignedByte(at) >>> 4) != 4) {
        return null;
      }
      int ihl = (b.getUnsignedByte(at) & 0xF) * 4;
      int total = b.getUnsignedShort(at + 2);
      if (ihl < 20
          || total < ihl
          || b.getUnsignedByte(at + 9) != 6
          || (b.getUnsignedShort(at + 6) & 0x3FFF) != 0) {
        return null;
      }
      source = Addresses.ipv4ToString(b.getInt(at + 12));
      destination = Addresses.ipv4ToString(b.getInt(at + 16));
      ipEnd = Math.min(end, at + total);
      at += ihl;
    } else if (etherType == 0x86DD) {
      if (at + 40 > end) {
        return null;
      }
      source = Addresses.ipv6ToString(b.getLong(at + 8), b.getLong(at + 16));
      destination = Addresses.ipv6ToString(b.getLong(at + 24), b.getLong(at + 32));
      ipEnd = Math.min(end, at + 40 + b.getUnsignedShort(at + 4));
      int next = b.getUnsignedByte(at + 6);
      at += 40;
      while ((next == 0 || next == 43 || next == 60) && at + 8 <= ipEnd) {
        next = b.getUnsignedByte(at);
        at += 8 + b.getUnsignedByte(at + 1) * 8;
      }
      if (next != 6) {
        return null;
      }
    } else {
      return null;
    }
    if (at + 20 > ipEnd) {
      return null;
    }
    int dataOffset = (b.getUnsignedByte(at + 12) >>> 4) * 4;
    if (dataOffset < 20 || at + dataOffset > ipEnd) {
      return null;
    }
    int flags = b.getUnsignedByte(at + 13);
    Flow flow = new Flow(source, b.getUnsignedShort(at), destination, b.getUnsignedShort(at + 2));
    long seq = b.getUnsignedInt(at + 4);
    Direction d = directions.computeIfAbsent(flow, f -> new Direction());
    boolean syn = (flags & 0x02) != 0;
    if (syn) {
      if (d.started && d.isn == seq) {
        return flow; // a retransmitted SYN of the same connection
      }
      if (!d.pending
          .isEmpty()) { // what the old connection left waiting behind a hole is lost with it
        gaps++;
        gapBytes += d.pendingBytes;
      }
      d.started = true;
      d.isn = seq;
      d.next = (seq + 1) & 0xFFFF_FFFFL;
      d.position = 0;
      d.pending.clear();
      d.pendingBytes = 0;
      listener.onNewStream(flow, packet.index());
      return flow;
    }
    int from = at + dataOffset;
    int length = ipEnd - from;
    if (length <= 0) {
      return flow;
    }
    if (!d.started) {
      d.started = true;
      d.next = seq;
    }
    int frame = packet.index();
    long offset =
        d.position + (int) (seq - d.next); // signed distance in sequence space, -2^31 .. 2^31-1
    if (offset > d.position) {
      byte[] waiting = d.pending.get(offset);
      if (waiting != null && waiting.length >= length) {
        return flow; // a copy of a segment already waiting
      }
      long kept = d.pendingBytes - (waiting == null ? 0 : waiting.length);
      while (kept + length > maxPendingBytes && offset > d.position) {
        // too much waits: give up on the first hole, deliver what follows it, and look again
        Map.Entry<Long, byte[]> first = d.pending.firstEntry();
        long hole =
            (first == null || first.getKey() > offset ? offset : first.getKey()) - d.position;
        gap(flow, d, hole, frame, listener);
        drain(flow, d, frame, listener);
        waiting = d.pending.get(offset);
        kept = d.pendingBytes - (waiting == null ? 0 : waiting.length);
      }
      if (offset > d.position) {
        byte[] copy = new byte[length];
        b.getBytes(from, copy);
        d.pending.put(offset, copy);
        d.pendingBytes = kept + length;
        return flow;
      }
    }
    long behind = d.position - offset;
    if (behind
        < length) { // else all of it was delivered before (or lies 2^31 behind): a retransmission
      int skip = (int) behind;
      listener.onData(flow, b.slice(from + skip, length - skip).asReadOnly(), frame);
      advance(d, length - skip);
      drain(flow, d, frame, listener);
    }
    return flow;
  }

  /**
   * The capture ended: in every direction, the holes still open are given up on and what waits
   * behind them is delivered.
   */
  public void finish(Listener listener) {
    for (Map.Entry<Flow, Direction> e : new ArrayList<>(directions.entrySet())) {
      Direction d = e.getValue();
      Map.Entry<Long, byte[]> first = d.pending.firstEntry();
      while (first != null) {
        gap(e.getKey(), d, first.getKey() - d.position, -1, listener);
        drain(e.getKey(), d, -1, listener);
        first = d.pending.firstEntry();
      }
    }
  }

  private void gap(Flow flow, Direction d, long missing, int frame, Listener listener) {
    gaps++;
    gapBytes += missing;
    advance(d, missing);
    listener.onGap(flow, missing, frame);
  }

  private static void advance(Direction d, long n) {
    d.position += n;
    d.next = (d.next + n) & 0xFFFF_FFFFL;
  }

  /** Delivers the waiting segments that are now in order. */
  private static void drain(Flow flow, Direction d, int frame, Listener listener) {
    for (Map.Entry<Long, byte[]> e = d.pending.firstEntry();
        e != null && e.getKey() <= d.position;
        e = d.pending.firstEntry()) {
      d.pending.pollFirstEntry();
      byte[] bytes = e.getValue();
      d.pendingBytes -= bytes.length;
      long skip = d.position - e.getKey();
      if (skip < bytes.length) {
        int m = bytes.length - (int) skip;
        listener.onData(flow, Unpooled.wrappedBuffer(bytes, (int) skip, m).asReadOnly(), frame);
        advance(d, m);
      }
    }
  }
}
