package io.evpnkit.testkit;

import io.evpnkit.vxlan.Addresses;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Rebuilds the byte streams of the TCP connections in a capture, each direction in sequence order, so that a
 * protocol carried over TCP (BGP on port 179) can be decoded from messages split across segments. Reads
 * Ethernet (with up to two VLAN tags), raw IP and Linux cooked captures, IPv4 (without fragments) and IPv6
 * (hop-by-hop, routing and destination options headers skipped). Per direction: a SYN fixes the initial
 * sequence number (a capture that starts mid-connection starts at the first segment with data);
 * retransmitted and overlapping bytes are delivered once; segments that arrive ahead of a hole wait, up to a
 * bound, for the hole to fill; past the bound the hole is skipped and counted in {@link #gaps()}. Not
 * thread-safe. Intended for captures (tools and tests), so it copies what it keeps.
 *
 * @since 0.1
 */
public final class TcpReassembler {
  /** Receives stream bytes. */
  @FunctionalInterface
  public interface Listener {
    /**
     * Called with the next in-order bytes of one direction of a connection.
     *
     * @param flow the direction
     * @param data the bytes, valid during this call (a read-only view the listener does not release)
     * @param frame the frame number of the packet that completed these bytes
     */
    void onData(Flow flow, ByteBuf data, int frame);
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
    long next; // next expected sequence number, 0..2^32-1
    final TreeMap<Long, byte[]> pending = new TreeMap<>(); // keyed by offset ahead of next
    int pendingBytes;
  }

  private final int maxPendingBytes;
  private final Map<Flow, Direction> directions = new HashMap<>();
  private long gaps;

  /**
   * Creates a reassembler.
   *
   * @param maxPendingBytes how many out-of-order bytes one direction may hold while waiting for a hole
   */
  public TcpReassembler(int maxPendingBytes) {
    this.maxPendingBytes = maxPendingBytes;
  }

  /** Returns how many holes were given up on (bytes never captured). */
  public long gaps() {
    return gaps;
  }

  /**
   * Feeds one captured packet.
   *
   * @return the direction it belongs to if it was a TCP segment (with or without data), else {@code null}
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
      for (int tags = 0; (etherType == 0x8100 || etherType == 0x88A8) && tags < 2 && at + 6 <= end; tags++) {
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
      if (ihl < 20 || total < ihl || b.getUnsignedByte(at + 9) != 6 || (b.getUnsignedShort(at + 6) & 0x3FFF) != 0) {
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
      d.started = true;
      d.next = (seq + 1) & 0xFFFF_FFFFL;
      d.pending.clear();
      d.pendingBytes = 0;
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
    long ahead = (int) (seq - d.next); // signed distance in sequence space, -2^31 .. 2^31-1, kept in a long
    if (ahead > 0) {
      if (d.pendingBytes + length <= maxPendingBytes) {
        byte[] copy = new byte[length];
        b.getBytes(from, copy);
        d.pending.merge(ahead, copy, (x, y) -> x.length >= y.length ? x : y);
        d.pendingBytes += length;
        return flow;
      }
      gaps++; // give up on the hole: restart at this segment
      d.pending.clear();
      d.pendingBytes = 0;
      ahead = 0;
      d.next = seq;
    }
    if (-ahead < length) { // else all of it was delivered before (or lies 2^31 behind): a retransmission
      int skip = (int) -ahead;
      deliver(flow, d, b.slice(from + skip, length - skip).asReadOnly(), packet.index(), listener);
    }
    return flow;
  }

  private void deliver(Flow flow, Direction d, ByteBuf data, int frame, Listener listener) {
    int n = data.readableBytes();
    listener.onData(flow, data, frame);
    d.next = (d.next + n) & 0xFFFF_FFFFL;
    // Everything waiting moves n bytes closer; deliver what is now in order.
    TreeMap<Long, byte[]> moved = new TreeMap<>();
    for (Map.Entry<Long, byte[]> e : d.pending.entrySet()) {
      moved.put(e.getKey() - n, e.getValue());
    }
    d.pending.clear();
    d.pendingBytes = 0;
    Map.Entry<Long, byte[]> first = moved.pollFirstEntry();
    while (first != null && first.getKey() <= 0) {
      byte[] bytes = first.getValue();
      int skip = (int) -first.getKey();
      if (skip < bytes.length) {
        int m = bytes.length - skip;
        listener.onData(flow, Unpooled.wrappedBuffer(bytes, skip, m).asReadOnly(), frame);
        d.next = (d.next + m) & 0xFFFF_FFFFL;
        TreeMap<Long, byte[]> shifted = new TreeMap<>();
        for (Map.Entry<Long, byte[]> e : moved.entrySet()) {
          shifted.put(e.getKey() - m, e.getValue());
        }
        moved = shifted;
      }
      first = moved.pollFirstEntry();
    }
    if (first != null) {
      moved.put(first.getKey(), first.getValue());
    }
    for (Map.Entry<Long, byte[]> e : moved.entrySet()) {
      d.pending.put(e.getKey(), e.getValue());
      d.pendingBytes += e.getValue().length;
    }
  }
}
