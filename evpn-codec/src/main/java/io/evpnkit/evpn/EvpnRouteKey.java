package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * What identifies an EVPN route for RIB purposes: its route type and the NLRI fields that are part
 * of the "prefix" for BGP route key processing, without the ones the RFCs leave out. Two
 * announcements with equal keys replace each other (from the same peer and path identifier); the
 * fields left out are attributes of the route.
 *
 * <ul>
 *   <li>1 Ethernet A-D: RD, ESI, Ethernet Tag; not the label (RFC 7432 §7.1).
 *   <li>2 MAC/IP: RD, Ethernet Tag, MAC length, MAC, IP length, IP; not the ESI or the labels (RFC
 *       7432 §7.2).
 *   <li>3 Inclusive Multicast: every field (RFC 7432 §7.3).
 *   <li>4 Ethernet Segment: ESI, IP length, originator; not the RD (RFC 7432 §7.4).
 *   <li>5 IP Prefix: RD, Ethernet Tag, prefix length, prefix; not the ESI, gateway or label (RFC
 *       9136 §3.1).
 *   <li>6, 7: every field but the flags; 8: every field but the maximum response time and the flags
 *       (RFC 9251 §9).
 *   <li>9, 10, 11 and route types evpn-codec does not know: every field.
 * </ul>
 *
 * Immutable; equal by type and key octets; ordered by type, then octets. {@link #toString()} is the
 * route's Junos form.
 *
 * @since 0.1
 */
public final class EvpnRouteKey implements Comparable<EvpnRouteKey> {
  private final int type;
  private final byte[] key;
  private final int hash;
  private final EvpnRoute route; // for toString(), formatted on demand
  private @Nullable String text;

  private EvpnRouteKey(int type, byte[] key, EvpnRoute route) {
    this.type = type;
    this.key = key;
    this.hash = hash(type, key);
    this.route = route;
  }

  /**
   * FNV-1a over the type and the key octets, folded to 32 bits. (Arrays.hashCode's base 31 makes
   * keys that differ in a few trailing octets, such as consecutive MACs, collide by the thousand:
   * 31 times one octet's change can equal another octet's.)
   */
  private static int hash(int type, byte[] key) {
    long h = 0xCBF2_9CE4_8422_2325L ^ type;
    for (byte b : key) {
      h ^= b & 0xFF;
      h *= 0x0000_0100_0000_01B3L;
    }
    return (int) (h ^ (h >>> 32));
  }

  /** Returns the key of a route. */
  public static EvpnRouteKey of(EvpnRoute route) {
    if (route instanceof MacIpAdvertisementRoute m) {
      return ofMacIp(m);
    }
    return ofEncoded(route);
  }

  /**
   * The key of a MAC/IP route, the type a RIB sees most, written straight from its fields (the
   * octets {@link #ofEncoded} takes from the encoded value: RD, Ethernet tag, MAC length, MAC, IP
   * length, IP): one array, no encoding of the ESI and labels it leaves out.
   */
  private static EvpnRouteKey ofMacIp(MacIpAdvertisementRoute m) {
    IpAddress ip = m.ip();
    int ipBytes = ip == null ? 0 : ip.byteLength();
    byte[] key = new byte[20 + ipBytes];
    putLong(key, 0, m.rd().value());
    putInt(key, 8, (int) m.ethernetTag().value());
    key[12] = 48;
    long mac = m.mac().value();
    for (int i = 0; i < 6; i++) {
      key[13 + i] = (byte) (mac >>> (40 - 8 * i));
    }
    if (ip != null) {
      key[19] = (byte) ip.bitLength();
      if (ip.isIpv6()) {
        putLong(key, 20, ip.high());
        putLong(key, 28, ip.low());
      } else {
        putInt(key, 20, ip.ipv4());
      }
    }
    return new EvpnRouteKey(2, key, m);
  }

  private static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  /** The key taken from the route's encoded value (every type; the reference of the fast paths). */
  static EvpnRouteKey ofEncoded(EvpnRoute route) {
    byte[] v = new byte[route.valueLength()];
    ByteBuf b = Unpooled.wrappedBuffer(v);
    route.writeValue(b, 0);
    int type = route.routeType().code();
    byte[] key =
        switch (type) {
          case 1 -> Arrays.copyOf(v, 22);
          case 2 -> concat(v, 0, 8, 18, 30 + ipBytes(v[29]));
          case 4 -> Arrays.copyOfRange(v, 8, v.length);
          case 5 -> concat(v, 0, 8, 18, 23 + (v.length == 34 ? 4 : 16));
          case 6, 7 -> Arrays.copyOf(v, v.length - 1);
          case 8 -> Arrays.copyOf(v, v.length - 2);
          default -> v;
        };
    return new EvpnRouteKey(type, key, route);
  }

  /**
   * Returns whether two routes have equal keys ({@code of(a).equals(of(b))}), comparing the key
   * fields of route types 1-5 in place, without building either key: what a RIB's route table does
   * for every route it receives.
   */
  public static boolean sameKey(EvpnRoute a, EvpnRoute b) {
    if (a instanceof MacIpAdvertisementRoute x) {
      return b instanceof MacIpAdvertisementRoute y
          && x.mac().equals(y.mac())
          && x.rd().equals(y.rd())
          && x.ethernetTag().equals(y.ethernetTag())
          && java.util.Objects.equals(x.ip(), y.ip());
    }
    if (a instanceof EthernetAutoDiscoveryRoute x) {
      return b instanceof EthernetAutoDiscoveryRoute y
          && x.esi().equals(y.esi())
          && x.rd().equals(y.rd())
          && x.ethernetTag().equals(y.ethernetTag());
    }
    if (a instanceof InclusiveMulticastRoute x) {
      return x.equals(b); // every field is part of the key
    }
    if (a instanceof EthernetSegmentRoute x) {
      return b instanceof EthernetSegmentRoute y
          && x.esi().equals(y.esi())
          && x.originator().equals(y.originator());
    }
    if (a instanceof IpPrefixRoute x) {
      return b instanceof IpPrefixRoute y
          && x.prefixLength() == y.prefixLength()
          && x.prefix().equals(y.prefix())
          && x.rd().equals(y.rd())
          && x.ethernetTag().equals(y.ethernetTag());
    }
    return of(a).equals(of(b));
  }

  /**
   * Returns a hash of a route's key, equal for routes whose keys are equal ({@link #sameKey});
   * computed from the key fields of route types 1-5 without building the key (other types hash
   * their {@link #of key}). Not the same value as {@link #hashCode()}.
   */
  public static int hashOf(EvpnRoute route) {
    long h;
    if (route instanceof MacIpAdvertisementRoute x) {
      h = mix(mix(mix(2, x.rd().value()), x.ethernetTag().value()), x.mac().value());
      IpAddress ip = x.ip();
      h = ip == null ? h : mix(h, ip.hashCode());
    } else if (route instanceof EthernetAutoDiscoveryRoute x) {
      h = mix(mix(mix(1, x.rd().value()), x.ethernetTag().value()), x.esi().hashCode());
    } else if (route instanceof InclusiveMulticastRoute x) {
      h = mix(mix(mix(3, x.rd().value()), x.ethernetTag().value()), x.originator().hashCode());
    } else if (route instanceof EthernetSegmentRoute x) {
      h = mix(mix(4, x.esi().hashCode()), x.originator().hashCode());
    } else if (route instanceof IpPrefixRoute x) {
      h =
          mix(
              mix(mix(mix(5, x.rd().value()), x.ethernetTag().value()), x.prefix().hashCode()),
              x.prefixLength());
    } else {
      return of(route).hashCode();
    }
    return (int) (h ^ (h >>> 32));
  }

  /**
   * One step of a multiplicative mix (the golden-ratio constant), then a fold of the high bits
   * down.
   */
  private static long mix(long h, long v) {
    long x = (h ^ v) * 0x9E37_79B9_7F4A_7C15L;
    return x ^ (x >>> 29);
  }

  /** Returns the key of a wrapped, well-formed NLRI (decodes it). */
  public static EvpnRouteKey of(EvpnNlri nlri) {
    return of(EvpnRoutes.decode(nlri));
  }

  private static int ipBytes(byte bits) {
    return (bits & 0xFF) / 8;
  }

  /** Octets [0, a) and [b, c) of {@code v}. */
  private static byte[] concat(byte[] v, int from, int a, int b, int c) {
    byte[] out = new byte[(a - from) + (c - b)];
    System.arraycopy(v, from, out, 0, a - from);
    System.arraycopy(v, b, out, a - from, c - b);
    return out;
  }

  /** Returns the route the key was taken from (one of the routes with this key). */
  public EvpnRoute route() {
    return route;
  }

  /** Returns the route type code. */
  public int routeTypeCode() {
    return type;
  }

  /** Returns a copy of the key octets. */
  public byte[] octets() {
    return key.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EvpnRouteKey k
        && k.hash == hash
        && k.type == type
        && Arrays.equals(k.key, key);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public int compareTo(EvpnRouteKey o) {
    int c = Integer.compare(type, o.type);
    return c != 0 ? c : Arrays.compareUnsigned(key, o.key);
  }

  /** Returns the Junos form of the route the key was taken from. */
  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = route.toString();
      text = t;
    }
    return t;
  }
}
