package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.SessionOptions;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * One BGP UPDATE of L2VPN/EVPN built by {@link EvpnUpdateGenerator}, with what it holds, so that a
 * decoder's reading can be checked against the builder's intent: the session options it was built
 * for, the NLRI it announces and withdraws (each as its whole wire form: type, length, value),
 * their ADD-PATH path identifiers, and the attributes. Immutable.
 *
 * @since 0.1
 */
@Beta
public final class GeneratedUpdate {
  private final long seed;
  private final int size;
  private final String description;
  private final byte[] bytes;
  private final SessionOptions options;
  private final List<byte[]> announced;
  private final List<byte[]> withdrawn;
  private final long[] pathIds;
  private final long[] extendedCommunities;
  private final byte[] nextHop;
  private final int[] attributeStarts;

  GeneratedUpdate(
      long seed,
      int size,
      String description,
      byte[] bytes,
      SessionOptions options,
      List<byte[]> announced,
      List<byte[]> withdrawn,
      long[] pathIds,
      long[] extendedCommunities,
      byte[] nextHop,
      int[] attributeStarts) {
    this.seed = seed;
    this.size = size;
    this.description = description;
    this.bytes = bytes;
    this.options = options;
    this.announced = copy(announced);
    this.withdrawn = copy(withdrawn);
    this.pathIds = pathIds.clone();
    this.extendedCommunities = extendedCommunities.clone();
    this.nextHop = nextHop.clone();
    this.attributeStarts = attributeStarts.clone();
  }

  private static List<byte[]> copy(List<byte[]> list) {
    List<byte[]> out = new ArrayList<>(list.size());
    for (byte[] b : list) {
      out.add(b.clone());
    }
    return List.copyOf(out);
  }

  /**
   * Returns the case id: the seed in hex, a slash, the size; {@link EvpnUpdateGenerator#replay}
   * rebuilds it.
   */
  public String id() {
    return Long.toHexString(seed) + "/" + size;
  }

  /** Returns the seed. */
  public long seed() {
    return seed;
  }

  /** Returns the size parameter. */
  public int size() {
    return size;
  }

  /** Returns what was built, in words. */
  public String description() {
    return description;
  }

  /** Returns a copy of the whole message, header included. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** Returns the message length. */
  public int length() {
    return bytes.length;
  }

  /** Returns the message in a new unpooled heap buffer (the caller releases it). */
  public ByteBuf toByteBuf() {
    return Unpooled.copiedBuffer(bytes);
  }

  /** Returns the session options the message was built for (4-octet AS, ADD-PATH, peer kind). */
  public SessionOptions options() {
    return options;
  }

  /** Returns copies of the announced NLRI (type, length, value), in wire order. */
  public List<byte[]> announced() {
    return copy(announced);
  }

  /** Returns copies of the withdrawn NLRI, in wire order. */
  public List<byte[]> withdrawn() {
    return copy(withdrawn);
  }

  /**
   * Returns the ADD-PATH path identifiers: withdrawn ones first, then announced ones (empty without
   * ADD-PATH).
   */
  public long[] pathIds() {
    return pathIds.clone();
  }

  /** Returns the extended communities (eight octets each), in wire order. */
  public long[] extendedCommunities() {
    return extendedCommunities.clone();
  }

  /** Returns the MP_REACH_NLRI next hop (empty when nothing is announced). */
  public byte[] nextHop() {
    return nextHop.clone();
  }

  /** Returns the offsets of the path attributes' first octets, in wire order (for mutators). */
  int[] attributeStarts() {
    return attributeStarts.clone();
  }

  /** Returns the message in hex. */
  public String hex() {
    return Hex.encode(bytes);
  }

  @Override
  public String toString() {
    return id() + " " + description + " (" + bytes.length + " bytes)";
  }
}
