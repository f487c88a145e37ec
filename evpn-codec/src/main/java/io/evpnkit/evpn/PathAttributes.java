package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The path attributes of EVPN routes as a RIB keeps them: an immutable value, equal by content (so
 * a RIB can intern it), built with {@link #builder()} or by {@link UpdateDecoder#attributes()}, and
 * written by {@link UpdateEncoder}. The attributes, with their type codes and flags:
 *
 * <pre>
 *  1 ORIGIN               well-known        RFC 4271 §5.1.1
 *  2 AS_PATH              well-known        RFC 4271 §5.1.2, RFC 6793 (4-octet), RFC 5065 (confederations)
 *  4 MULTI_EXIT_DISC      optional          RFC 4271 §5.1.4
 *  5 LOCAL_PREF           well-known        RFC 4271 §5.1.5 (internal peers only)
 *  6 ATOMIC_AGGREGATE     well-known        RFC 4271 §5.1.6
 *  7 AGGREGATOR           optional trans.   RFC 4271 §5.1.7 (AS4_AGGREGATOR 18 on 2-octet sessions)
 *  8 COMMUNITIES          optional trans.   RFC 1997
 *  9 ORIGINATOR_ID        optional          RFC 4456 §8
 * 10 CLUSTER_LIST         optional          RFC 4456 §8
 * 14 MP_REACH_NLRI        optional          RFC 4760 §3 (its next hop is {@link #nextHop()})
 * 16 EXTENDED_COMMUNITIES optional trans.   RFC 4360
 * 17 AS4_PATH             optional trans.   RFC 6793 (2-octet sessions)
 * 22 PMSI_TUNNEL          optional trans.   RFC 6514 §5
 * 32 LARGE_COMMUNITY      optional trans.   RFC 8092
 * </pre>
 *
 * Any other attribute is kept as a {@link RawAttribute} in {@link #others()}, in ascending type
 * order, and written among the modelled ones in that order. The classic NEXT_HOP (3) is not kept:
 * EVPN routes take their next hop from MP_REACH_NLRI and RFC 4760 §3 has the NEXT_HOP ignored. The
 * next hop is one address, or an IPv6 global address with a link-local one (32 octets, RFC 2545
 * §3), as speakers peering over IPv6 link-local addresses send it.
 *
 * <p>To external peers ({@link SessionOptions#internalPeer()} false), LOCAL_PREF (RFC 4271 §5.1.5),
 * ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 §8) are not written: {@link
 * #hasInternalOnlyAttributes()} tells whether a value has any, and {@link
 * UpdateEncoder#internalOnlyAttributesDropped()} counts the UPDATEs that left them out.
 *
 * @since 0.1
 */
public final class PathAttributes {
  /** Flag bit: Optional. */
  public static final int FLAG_OPTIONAL = 0x80;

  /** Flag bit: Transitive. */
  public static final int FLAG_TRANSITIVE = 0x40;

  /** Flag bit: Partial. */
  public static final int FLAG_PARTIAL = 0x20;

  /** Flag bit: Extended Length (two length octets). */
  public static final int FLAG_EXTENDED_LENGTH = 0x10;

  /** Type code of ORIGIN. */
  public static final int ORIGIN = 1;

  /** Type code of AS_PATH. */
  public static final int AS_PATH = 2;

  /** Type code of NEXT_HOP. */
  public static final int NEXT_HOP = 3;

  /** Type code of MULTI_EXIT_DISC. */
  public static final int MULTI_EXIT_DISC = 4;

  /** Type code of LOCAL_PREF. */
  public static final int LOCAL_PREF = 5;

  /** Type code of ATOMIC_AGGREGATE. */
  public static final int ATOMIC_AGGREGATE = 6;

  /** Type code of AGGREGATOR. */
  public static final int AGGREGATOR = 7;

  /** Type code of COMMUNITIES. */
  public static final int COMMUNITIES = 8;

  /** Type code of ORIGINATOR_ID. */
  public static final int ORIGINATOR_ID = 9;

  /** Type code of CLUSTER_LIST. */
  public static final int CLUSTER_LIST = 10;

  /** Type code of MP_REACH_NLRI. */
  public static final int MP_REACH_NLRI = 14;

  /** Type code of MP_UNREACH_NLRI. */
  public static final int MP_UNREACH_NLRI = 15;

  /** Type code of EXTENDED_COMMUNITIES. */
  public static final int EXTENDED_COMMUNITIES = 16;

  /** Type code of AS4_PATH. */
  public static final int AS4_PATH = 17;

  /** Type code of AS4_AGGREGATOR. */
  public static final int AS4_AGGREGATOR = 18;

  /** Type code of PMSI_TUNNEL. */
  public static final int PMSI_TUNNEL = 22;

  /** Type code of LARGE_COMMUNITY. */
  public static final int LARGE_COMMUNITY = 32;

  /** ORIGIN value IGP. */
  public static final int ORIGIN_IGP = 0;

  /** ORIGIN value EGP. */
  public static final int ORIGIN_EGP = 1;

  /** ORIGIN value INCOMPLETE. */
  public static final int ORIGIN_INCOMPLETE = 2;

  private static final String[] ORIGIN_NAMES = {"igp", "egp", "incomplete"};
  private static final int[] NO_INTS = new int[0];
  private static final long[] NO_LONGS = new long[0];

  private final int origin;
  private final AsPath asPath;
  private final @Nullable IpAddress nextHop;
  private final @Nullable IpAddress linkLocalNextHop;
  private final long med;
  private final long localPref;
  private final boolean atomicAggregate;
  private final long aggregatorAs;
  private final int aggregatorAddress;
  private final int[] communities;
  private final long[] extendedCommunities;
  private final List<LargeCommunity> largeCommunities;
  private final @Nullable PmsiTunnel pmsiTunnel;
  private final long originatorId;
  private final int[] clusterList;
  private final List<RawAttribute> others;
  private final int hash;

  private PathAttributes(Builder b) {
    this.origin = b.origin;
    this.asPath = b.asPath;
    this.nextHop = b.nextHop;
    this.linkLocalNextHop = b.linkLocalNextHop;
    this.med = b.med;
    this.localPref = b.localPref;
    this.atomicAggregate = b.atomicAggregate;
    this.aggregatorAs = b.aggregatorAs;
    this.aggregatorAddress = b.aggregatorAddress;
    this.communities =
        b.communityCount == 0 ? NO_INTS : Arrays.copyOf(b.communities, b.communityCount);
    this.extendedCommunities =
        b.extendedCommunityCount == 0
            ? NO_LONGS
            : Arrays.copyOf(b.extendedCommunities, b.extendedCommunityCount);
    this.largeCommunities = List.copyOf(b.largeCommunities);
    this.pmsiTunnel = b.pmsiTunnel;
    this.originatorId = b.originatorId;
    this.clusterList = b.clusterCount == 0 ? NO_INTS : Arrays.copyOf(b.clusterList, b.clusterCount);
    this.others = sortedOthers(b.others);
    int h = origin * 31 + asPath.hashCode();
    h = h * 31 + Objects.hashCode(nextHop) * 7 + Objects.hashCode(linkLocalNextHop);
    h = h * 31 + Long.hashCode(med * 31 + localPref);
    h = h * 31 + (atomicAggregate ? 1 : 0) + Long.hashCode(aggregatorAs) * 7 + aggregatorAddress;
    h = h * 31 + Arrays.hashCode(communities);
    h = h * 31 + Arrays.hashCode(extendedCommunities);
    h = h * 31 + largeCommunities.hashCode();
    h = h * 31 + Objects.hashCode(pmsiTunnel);
    h = h * 31 + Long.hashCode(originatorId) + Arrays.hashCode(clusterList);
    this.hash = h * 31 + others.hashCode();
  }

  /** Returns an empty builder (ORIGIN IGP, empty AS_PATH, nothing else). */
  public static Builder builder() {
    return new Builder();
  }

  /** Returns a builder holding these attributes. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.origin = origin;
    b.asPath = asPath;
    b.nextHop = nextHop;
    b.linkLocalNextHop = linkLocalNextHop;
    b.med = med;
    b.localPref = localPref;
    b.atomicAggregate = atomicAggregate;
    b.aggregatorAs = aggregatorAs;
    b.aggregatorAddress = aggregatorAddress;
    b.communities = communities.clone();
    b.communityCount = communities.length;
    b.extendedCommunities = extendedCommunities.clone();
    b.extendedCommunityCount = extendedCommunities.length;
    b.largeCommunities.addAll(largeCommunities);
    b.pmsiTunnel = pmsiTunnel;
    b.originatorId = originatorId;
    b.clusterList = clusterList.clone();
    b.clusterCount = clusterList.length;
    b.others.addAll(others);
    return b;
  }

  /** Returns ORIGIN: {@link #ORIGIN_IGP}, {@link #ORIGIN_EGP} or {@link #ORIGIN_INCOMPLETE}. */
  public int origin() {
    return origin;
  }

  /**
   * Returns the AS_PATH (with 4-octet AS numbers; on 2-octet sessions merged with AS4_PATH per RFC
   * 6793 §4.2.3).
   */
  public AsPath asPath() {
    return asPath;
  }

  /**
   * Returns the next hop of MP_REACH_NLRI (the VTEP address with VXLAN; of a 32-octet next hop, the
   * global address), or {@code null}.
   */
  public @Nullable IpAddress nextHop() {
    return nextHop;
  }

  /** Returns the link-local address of a 32-octet IPv6 next hop (RFC 2545 §3), or {@code null}. */
  public @Nullable IpAddress linkLocalNextHop() {
    return linkLocalNextHop;
  }

  /**
   * Returns the length of the MP_REACH_NLRI next hop field: 0 without a next hop, else 4, 16 or 32.
   */
  public int nextHopLength() {
    return nextHop == null ? 0 : nextHop.byteLength() + (linkLocalNextHop == null ? 0 : 16);
  }

  /**
   * Writes the next hop field (of {@link #nextHopLength()} octets) at absolute index {@code index}.
   */
  void writeNextHop(ByteBuf buf, int index) {
    if (nextHop != null) {
      nextHop.write(buf, index);
      if (linkLocalNextHop != null) {
        linkLocalNextHop.write(buf, index + 16);
      }
    }
  }

  /**
   * Returns whether LOCAL_PREF, ORIGINATOR_ID or CLUSTER_LIST is present: attributes written to
   * internal peers only (RFC 4271 §5.1.5, RFC 4456 §8), which an encoder for an external session
   * leaves out.
   */
  public boolean hasInternalOnlyAttributes() {
    return localPref >= 0 || originatorId >= 0 || clusterList.length > 0;
  }

  /** Returns MULTI_EXIT_DISC (unsigned 32 bits), or -1 if absent. */
  public long med() {
    return med;
  }

  /** Returns LOCAL_PREF (unsigned 32 bits), or -1 if absent. */
  public long localPref() {
    return localPref;
  }

  /** Returns whether ATOMIC_AGGREGATE is present. */
  public boolean atomicAggregate() {
    return atomicAggregate;
  }

  /** Returns the AGGREGATOR's AS, or -1 if absent. */
  public long aggregatorAs() {
    return aggregatorAs;
  }

  /** Returns the AGGREGATOR's IPv4 address (meaningful when {@link #aggregatorAs()} is not -1). */
  public int aggregatorAddress() {
    return aggregatorAddress;
  }

  /** Returns the number of standard communities. */
  public int communityCount() {
    return communities.length;
  }

  /** Returns standard community {@code i} (see {@link Communities}). */
  public int community(int i) {
    return communities[i];
  }

  /** Returns whether standard community {@code c} is present. */
  public boolean hasCommunity(int c) {
    for (int x : communities) {
      if (x == c) {
        return true;
      }
    }
    return false;
  }

  /** Returns the number of extended communities. */
  public int extendedCommunityCount() {
    return extendedCommunities.length;
  }

  /** Returns the eight octets of extended community {@code i}, without allocating. */
  public long extendedCommunityValue(int i) {
    return extendedCommunities[i];
  }

  /**
   * Returns the first extended community of kind {@code kind} (type and sub-type, {@link
   * ExtendedCommunity#kind()}), as its eight octets, or 0 if there is none; allocates nothing. (A
   * community of a kind other than 0x0000 is never all zero, so 0 is unambiguous for every kind but
   * that one.)
   */
  public long findExtendedCommunity(int kind) {
    for (long v : extendedCommunities) {
      if (ExtendedCommunity.kindOf(v) == kind) {
        return v;
      }
    }
    return 0;
  }

  /** Returns the number of extended communities of kind {@code kind}. */
  public int countExtendedCommunities(int kind) {
    int n = 0;
    for (long v : extendedCommunities) {
      if (ExtendedCommunity.kindOf(v) == kind) {
        n++;
      }
    }
    return n;
  }

  /** Returns the extended communities in wire order. */
  public List<ExtendedCommunity> extendedCommunities() {
    List<ExtendedCommunity> list = new ArrayList<>(extendedCommunities.length);
    for (long v : extendedCommunities) {
      list.add(ExtendedCommunity.of(v));
    }
    return Collections.unmodifiableList(list);
  }

  /** Returns the large communities in wire order. */
  public List<LargeCommunity> largeCommunities() {
    return largeCommunities;
  }

  /** Returns the PMSI Tunnel attribute, or {@code null}. */
  public @Nullable PmsiTunnel pmsiTunnel() {
    return pmsiTunnel;
  }

  /** Returns ORIGINATOR_ID (unsigned IPv4 address), or -1 if absent. */
  public long originatorId() {
    return originatorId;
  }

  /** Returns the number of CLUSTER_LIST entries. */
  public int clusterListLength() {
    return clusterList.length;
  }

  /** Returns CLUSTER_LIST entry {@code i} (an IPv4 address). */
  public int clusterId(int i) {
    return clusterList[i];
  }

  /** Returns the attributes kept as bytes (in ascending type order when decoded). */
  public List<RawAttribute> others() {
    return others;
  }

  /**
   * Returns the text of an ORIGIN value as Junos and FRR print it ({@code igp}, {@code egp}, {@code
   * incomplete}).
   */
  public static String originName(int origin) {
    return origin >= 0 && origin < 3 ? ORIGIN_NAMES[origin] : "origin-" + origin;
  }

  /**
   * Appends an attribute header: flags (Extended Length set when {@code length > 255}), type and
   * length.
   */
  static void writeHeader(ByteBuf out, int flags, int type, int length) {
    out.ensureWritable(4 + length);
    if (length > 255) {
      out.writeByte(flags | FLAG_EXTENDED_LENGTH).writeByte(type).writeShort(length);
    } else {
      out.writeByte(flags & ~FLAG_EXTENDED_LENGTH).writeByte(type).writeByte(length);
    }
  }

  /**
   * Returns the length {@link #write} writes for {@code options}: the same walk over the
   * attributes, counting their headers' lengths instead of writing them (nothing allocated).
   */
  public int encodedLength(SessionOptions options) {
    return emit(null, options);
  }

  /**
   * Returns whether {@code type} is an attribute this class holds in a field, or one the encoder
   * writes.
   */
  static boolean isModelled(int type) {
    return AttributeType.of(type) != null;
  }

  private static int headerLength(int valueLength) {
    return valueLength > 255 ? 4 : 3;
  }

  /**
   * Appends every attribute except MP_REACH_NLRI/MP_UNREACH_NLRI, in ascending type order (RFC 4271
   * §5), at the writer index of {@code out}. LOCAL_PREF, ORIGINATOR_ID and CLUSTER_LIST go to
   * internal peers only (RFC 4271 §5.1.5, RFC 4456 §8: to an external peer they are left out
   * without a word; see {@link #hasInternalOnlyAttributes()}); on 2-octet sessions AS numbers above
   * 65535 become AS_TRANS and AS4_PATH/AS4_AGGREGATOR are added (RFC 6793 §4.2.2). Attributes kept
   * as bytes are written as {@link RawAttribute} says: originated ones with their flags, received
   * optional transitive ones passed on with the Partial bit, received optional non-transitive ones
   * not at all (RFC 4271 §5).
   */
  public void write(ByteBuf out, SessionOptions options) {
    emit(out, options);
  }

  /**
   * Writes every attribute to {@code out}, or with {@code out} null only counts: one walk serves
   * {@link #write} and {@link #encodedLength}, so the two cannot disagree. Returns the length.
   */
  private int emit(@Nullable ByteBuf out, SessionOptions options) {
    int asSize = options.fourOctetAs() ? 4 : 2;
    boolean ibgp = options.internalPeer();
    // the attributes kept as bytes go in type order among the modelled ones: (length << 32) | next
    // index
    long kept = emitOthers(out, 0, ORIGIN);
    int n = (int) (kept >>> 32);
    n += header(out, AttributeType.ORIGIN, 1);
    if (out != null) {
      out.writeByte(origin);
    }
    n += header(out, AttributeType.AS_PATH, asPath.encodedLength(asSize));
    if (out != null) {
      asPath.write(out, asSize);
    }
    kept = emitOthers(out, (int) kept, MULTI_EXIT_DISC);
    n += (int) (kept >>> 32);
    if (med >= 0) {
      n += header(out, AttributeType.MULTI_EXIT_DISC, 4);
      if (out != null) {
        out.writeInt((int) med);
      }
    }
    if (localPref >= 0 && ibgp) {
      n += header(out, AttributeType.LOCAL_PREF, 4);
      if (out != null) {
        out.writeInt((int) localPref);
      }
    }
    if (atomicAggregate) {
      n += header(out, AttributeType.ATOMIC_AGGREGATE, 0);
    }
    boolean as4Aggregator = aggregatorAs > 0xFFFF && !options.fourOctetAs();
    if (aggregatorAs >= 0) {
      n += header(out, AttributeType.AGGREGATOR, asSize + 4);
      if (out != null) {
        if (asSize == 4) {
          out.writeInt((int) aggregatorAs);
        } else {
          out.writeShort(as4Aggregator ? AsPath.AS_TRANS : (int) aggregatorAs);
        }
        out.writeInt(aggregatorAddress);
      }
    }
    if (communities.length > 0) {
      n += header(out, AttributeType.COMMUNITIES, communities.length * 4);
      if (out != null) {
        for (int c : communities) {
          out.writeInt(c);
        }
      }
    }
    if (originatorId >= 0 && ibgp) {
      n += header(out, AttributeType.ORIGINATOR_ID, 4);
      if (out != null) {
        out.writeInt((int) originatorId);
      }
    }
    if (clusterList.length > 0 && ibgp) {
      n += header(out, AttributeType.CLUSTER_LIST, clusterList.length * 4);
      if (out != null) {
        for (int c : clusterList) {
          out.writeInt(c);
        }
      }
    }
    kept = emitOthers(out, (int) kept, EXTENDED_COMMUNITIES);
    n += (int) (kept >>> 32);
    if (extendedCommunities.length > 0) {
      n += header(out, AttributeType.EXTENDED_COMMUNITIES, extendedCommunities.length * 8);
      if (out != null) {
        for (long c : extendedCommunities) {
          out.writeLong(c);
        }
      }
    }
    if (!options.fourOctetAs() && asPath.needsFourOctets()) {
      n += header(out, AttributeType.AS4_PATH, asPath.encodedLength(4));
      if (out != null) {
        asPath.write(out, 4);
      }
    }
    if (as4Aggregator) {
      n += header(out, AttributeType.AS4_AGGREGATOR, 8);
      if (out != null) {
        out.writeInt((int) aggregatorAs).writeInt(aggregatorAddress);
      }
    }
    kept = emitOthers(out, (int) kept, PMSI_TUNNEL);
    n += (int) (kept >>> 32);
    PmsiTunnel pmsi = pmsiTunnel;
    if (pmsi != null) {
      n += header(out, AttributeType.PMSI_TUNNEL, pmsi.length());
      if (out != null) {
        pmsi.write(out, out.writerIndex());
        out.writerIndex(out.writerIndex() + pmsi.length());
      }
    }
    kept = emitOthers(out, (int) kept, LARGE_COMMUNITY);
    n += (int) (kept >>> 32);
    if (!largeCommunities.isEmpty()) {
      n +=
          header(
              out, AttributeType.LARGE_COMMUNITY, largeCommunities.size() * LargeCommunity.LENGTH);
      if (out != null) {
        for (LargeCommunity c : largeCommunities) {
          c.write(out);
        }
      }
    }
    kept = emitOthers(out, (int) kept, 256);
    n += (int) (kept >>> 32);
    return n;
  }

  /**
   * Writes (when {@code out} is not null) a header with the table's flags; returns header and value
   * length.
   */
  private static int header(@Nullable ByteBuf out, AttributeType type, int valueLength) {
    if (out != null) {
      writeHeader(out, type.flags(), type.code(), valueLength);
    }
    return headerLength(valueLength) + valueLength;
  }

  /**
   * Writes (or counts) the attributes kept as bytes, from index {@code from}, whose type is below
   * {@code type}; returns their length in the high 32 bits and the index after them in the low 32
   * (no holder object per write).
   */
  private long emitOthers(@Nullable ByteBuf out, int from, int type) {
    long n = 0;
    int i = from;
    for (; i < others.size() && others.get(i).type() < type; i++) {
      RawAttribute r = others.get(i);
      if (r.isPassedOn()) {
        n += headerLength(r.length()) + r.length();
        if (out != null) {
          r.writeTo(out);
        }
      }
    }
    return n << 32 | i;
  }

  private static List<RawAttribute> sortedOthers(List<RawAttribute> list) {
    RawAttribute[] sorted = list.toArray(new RawAttribute[0]);
    Arrays.sort(sorted, (a, b) -> Integer.compare(a.type(), b.type()));
    for (int i = 1; i < sorted.length; i++) {
      if (sorted[i].type() == sorted[i - 1].type()) {
        throw new IllegalArgumentException(
            "attribute "
                + sorted[i].type()
                + " kept twice: an UPDATE carries each"
                + " attribute once (RFC 7606 §3 g)");
      }
    }
    return List.of(sorted);
  }

  @Override
  public boolean equals(Object o) {
    return o == this
        || (o instanceof PathAttributes p
            && p.hash == hash
            && p.origin == origin
            && p.asPath.equals(asPath)
            && Objects.equals(p.nextHop, nextHop)
            && Objects.equals(p.linkLocalNextHop, linkLocalNextHop)
            && p.med == med
            && p.localPref == localPref
            && p.atomicAggregate == atomicAggregate
            && p.aggregatorAs == aggregatorAs
            && p.aggregatorAddress == aggregatorAddress
            && Arrays.equals(p.communities, communities)
            && Arrays.equals(p.extendedCommunities, extendedCommunities)
            && p.largeCommunities.equals(largeCommunities)
            && Objects.equals(p.pmsiTunnel, pmsiTunnel)
            && p.originatorId == originatorId
            && Arrays.equals(p.clusterList, clusterList)
            && p.others.equals(others));
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /**
   * Returns a one-line summary in the style of {@code gobgp global rib}: origin, AS path, next hop,
   * communities.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("origin ").append(originName(origin));
    sb.append(" as-path [");
    asPath.appendTo(sb).append(']');
    if (nextHop != null) {
      nextHop.appendTo(sb.append(" next-hop "));
      if (linkLocalNextHop != null) {
        linkLocalNextHop.appendTo(sb.append(" link-local "));
      }
    }
    if (med >= 0) {
      sb.append(" med ").append(med);
    }
    if (localPref >= 0) {
      sb.append(" local-pref ").append(localPref);
    }
    for (int c : communities) {
      sb.append(" community ").append(Communities.format(c));
    }
    for (long c : extendedCommunities) {
      ExtendedCommunity.of(c).appendTo(sb.append(' '));
    }
    for (LargeCommunity c : largeCommunities) {
      sb.append(" large-community ").append(c);
    }
    if (pmsiTunnel != null) {
      sb.append(' ').append(pmsiTunnel);
    }
    if (originatorId >= 0) {
      sb.append(" originator-id ").append(IpAddress.ofIpv4((int) originatorId));
    }
    for (RawAttribute r : others) {
      sb.append(' ').append(r);
    }
    return sb.toString();
  }

  /** Collects attributes; not thread-safe. */
  public static final class Builder {
    private int origin = ORIGIN_IGP;
    private AsPath asPath = AsPath.EMPTY;
    private @Nullable IpAddress nextHop;
    private @Nullable IpAddress linkLocalNextHop;
    private long med = -1;
    private long localPref = -1;
    private boolean atomicAggregate;
    private long aggregatorAs = -1;
    private int aggregatorAddress;
    private int[] communities = NO_INTS;
    private int communityCount;
    private long[] extendedCommunities = NO_LONGS;
    private int extendedCommunityCount;
    private final List<LargeCommunity> largeCommunities = new ArrayList<>(0);
    private @Nullable PmsiTunnel pmsiTunnel;
    private long originatorId = -1;
    private int[] clusterList = NO_INTS;
    private int clusterCount;
    private final List<RawAttribute> others = new ArrayList<>(0);

    private Builder() {}

    /** Sets ORIGIN (0..2). */
    public Builder origin(int value) {
      if (value < 0 || value > 2) {
        throw new IllegalArgumentException(
            "ORIGIN " + value + " is not 0 (IGP), 1 (EGP) or 2 (INCOMPLETE)");
      }
      this.origin = value;
      return this;
    }

    /** Sets AS_PATH. */
    public Builder asPath(AsPath value) {
      this.asPath = value;
      return this;
    }

    /** Sets the MP_REACH_NLRI next hop, one address (4 or 16 octets); clears a link-local one. */
    public Builder nextHop(@Nullable IpAddress value) {
      this.nextHop = value;
      this.linkLocalNextHop = null;
      return this;
    }

    /**
     * Sets a 32-octet MP_REACH_NLRI next hop: an IPv6 global address and a link-local one (RFC 2545
     * §3).
     *
     * @throws IllegalArgumentException if either is IPv4, or {@code linkLocal} is not in fe80::/10
     */
    public Builder nextHop(IpAddress global, IpAddress linkLocal) {
      if (!global.isIpv6() || !linkLocal.isIpv6()) {
        throw new IllegalArgumentException(
            "a 32-octet next hop is two IPv6 addresses, not " + global + " and " + linkLocal);
      }
      if ((linkLocal.high() >>> 54) != (0xFE80L >>> 6)) {
        throw new IllegalArgumentException(
            linkLocal + " is not a link-local address (fe80::/10, RFC 2545 §3)");
      }
      this.nextHop = global;
      this.linkLocalNextHop = linkLocal;
      return this;
    }

    /**
     * Sets the next hop as a decoder read it: the second half of 32 octets is kept whatever it
     * holds.
     */
    Builder nextHopAsReceived(@Nullable IpAddress global, @Nullable IpAddress second) {
      this.nextHop = global;
      this.linkLocalNextHop = second;
      return this;
    }

    /** Sets MULTI_EXIT_DISC (0..2^32-1), or -1 to remove it. */
    public Builder med(long value) {
      this.med = checkUnsigned32(value, "MED");
      return this;
    }

    /** Sets LOCAL_PREF (0..2^32-1), or -1 to remove it. */
    public Builder localPref(long value) {
      this.localPref = checkUnsigned32(value, "LOCAL_PREF");
      return this;
    }

    /** Sets ATOMIC_AGGREGATE. */
    public Builder atomicAggregate(boolean value) {
      this.atomicAggregate = value;
      return this;
    }

    /** Sets AGGREGATOR (AS 0..2^32-1 and an IPv4 address), or AS -1 to remove it. */
    public Builder aggregator(long as, int address) {
      this.aggregatorAs = checkUnsigned32(as, "AGGREGATOR AS");
      this.aggregatorAddress = address;
      return this;
    }

    /** Appends a standard community. */
    public Builder addCommunity(int value) {
      if (communityCount == communities.length) {
        communities = Arrays.copyOf(communities, Math.max(4, communityCount * 2));
      }
      communities[communityCount++] = value;
      return this;
    }

    /** Removes every standard community. */
    public Builder clearCommunities() {
      communityCount = 0;
      return this;
    }

    /** Appends an extended community (eight octets). */
    public Builder addExtendedCommunity(long value) {
      if (extendedCommunityCount == extendedCommunities.length) {
        extendedCommunities =
            Arrays.copyOf(extendedCommunities, Math.max(4, extendedCommunityCount * 2));
      }
      extendedCommunities[extendedCommunityCount++] = value;
      return this;
    }

    /** Appends an extended community. */
    public Builder addExtendedCommunity(ExtendedCommunity value) {
      return addExtendedCommunity(value.value());
    }

    /** Removes every extended community. */
    public Builder clearExtendedCommunities() {
      extendedCommunityCount = 0;
      return this;
    }

    /** Appends a large community. */
    public Builder addLargeCommunity(LargeCommunity value) {
      largeCommunities.add(value);
      return this;
    }

    /** Removes every large community. */
    public Builder clearLargeCommunities() {
      largeCommunities.clear();
      return this;
    }

    /** Sets the PMSI Tunnel attribute, or {@code null} to remove it. */
    public Builder pmsiTunnel(@Nullable PmsiTunnel value) {
      this.pmsiTunnel = value;
      return this;
    }

    /** Sets ORIGINATOR_ID (an IPv4 address as unsigned 32 bits), or -1 to remove it. */
    public Builder originatorId(long value) {
      this.originatorId = checkUnsigned32(value, "ORIGINATOR_ID");
      return this;
    }

    /** Appends a CLUSTER_LIST entry. */
    public Builder addClusterId(int value) {
      if (clusterCount == clusterList.length) {
        clusterList = Arrays.copyOf(clusterList, Math.max(2, clusterCount * 2));
      }
      clusterList[clusterCount++] = value;
      return this;
    }

    /** Removes every CLUSTER_LIST entry. */
    public Builder clearClusterList() {
      clusterCount = 0;
      return this;
    }

    /**
     * Appends an attribute kept as bytes (written in its place in type order).
     *
     * @throws IllegalArgumentException if its type is one this class models (use its setter),
     *     NEXT_HOP, MP_REACH_NLRI or MP_UNREACH_NLRI (the encoder writes them)
     */
    public Builder addOther(RawAttribute value) {
      if (isModelled(value.type())) {
        throw new IllegalArgumentException(
            "attribute "
                + value.type()
                + " is modelled: set it with its own setter,"
                + " not as bytes");
      }
      others.add(value);
      return this;
    }

    /** Removes every attribute kept as bytes. */
    public Builder clearOthers() {
      others.clear();
      return this;
    }

    /** Returns the immutable attributes. */
    public PathAttributes build() {
      return new PathAttributes(this);
    }

    private static long checkUnsigned32(long value, String what) {
      if (value < -1 || value > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException(
            what + " " + value + " is not 0..4294967295 (or -1 for none)");
      }
      return value;
    }
  }
}
