package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.SessionOptions;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates valid BGP UPDATEs of L2VPN/EVPN, reproducibly from seeds: NLRI of every route type (1-5
 * of RFC 7432 and RFC 9136, 6-8 of RFC 9251, 9-11 of RFC 9572, and unknown types kept opaque) with
 * realistic fields and their edge values (zero and MAX ESI, every ESI type, Ethernet tag 0 and MAX,
 * label 0 and 0xFFFFFF, MAC-only and IPv6 MAC/IP routes, IPv4 and IPv6 prefixes, any-source
 * multicast), withdrawals in MP_UNREACH_NLRI, announcements in MP_REACH_NLRI with IPv4, IPv6 or
 * IPv6+link-local next hops, ORIGIN, AS_PATH (2- or 4-octet), MED, LOCAL_PREF (internal peers),
 * communities, extended communities, PMSI Tunnel, large communities, one- and two-octet attribute
 * lengths, and ADD-PATH path identifiers; each message fits 4096 octets.
 *
 * <p>The bytes are assembled here, independently of evpn-codec's encoders, so that the codec is
 * tested against something it did not write. Sizes grow over a run ({@link #next()}): early cases
 * hold one or two NLRI. Each case has a seed and a size; {@link #replay(String)} rebuilds it. Not
 * thread-safe; one generator per thread.
 *
 * @since 0.1
 */
@Beta
public final class EvpnUpdateGenerator {
  /** Largest size parameter; a message holds up to about size NLRI. */
  public static final int MAX_SIZE = 64;

  private final SplittableRandom seeds;
  private int count;

  /** Creates a generator whose cases all derive from {@code runSeed}. */
  public EvpnUpdateGenerator(long runSeed) {
    this.seeds = new SplittableRandom(runSeed);
  }

  /** Returns the next case; the size grows with the number of cases drawn. */
  public GeneratedUpdate next() {
    int size = Math.min(MAX_SIZE, 1 + count++ / 4);
    return generate(seeds.nextLong(), size);
  }

  /** Returns the next {@code n} cases as a stream. */
  public Stream<GeneratedUpdate> stream(int n) {
    List<GeneratedUpdate> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(next());
    }
    return list.stream();
  }

  /**
   * Rebuilds the case printed as {@code id} ({@link GeneratedUpdate#id()}).
   *
   * @throws IllegalArgumentException if the id is not {@code <hex seed>/<size>}
   */
  public static GeneratedUpdate replay(String id) {
    CaseId c = CaseId.parse(id);
    return generate(c.seed(), c.size());
  }

  /** Builds the case of {@code seed} at {@code size} (1..{@value #MAX_SIZE}). */
  public static GeneratedUpdate generate(long seed, int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " out of range 1.." + MAX_SIZE);
    }
    SplittableRandom r = new SplittableRandom(seed);
    boolean fourOctet = r.nextInt(8) != 0;
    boolean addPath = r.nextInt(4) == 0;
    boolean internal = r.nextBoolean();
    SessionOptions options = new SessionOptions(fourOctet, addPath, false, internal);
    StringBuilder what = new StringBuilder();
    int budget = 3600; // octets of NLRI, so that the attributes fit too
    List<byte[]> withdrawn = new ArrayList<>();
    List<byte[]> announced = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    int nWithdrawn = r.nextInt(4) == 0 ? 1 + r.nextInt(1 + size / 2) : 0;
    int nAnnounced = nWithdrawn > 0 && r.nextBoolean() ? 0 : 1 + r.nextInt(size);
    for (int i = 0; i < nWithdrawn + nAnnounced; i++) {
      byte[] nlri = nlri(r);
      if (nlri.length + (addPath ? 4 : 0) > budget) {
        break;
      }
      budget -= nlri.length + (addPath ? 4 : 0);
      (i < nWithdrawn ? withdrawn : announced).add(nlri);
      ids.add(addPath ? r.nextInt(4) == 0 ? 0xFFFF_FFFFL : r.nextInt(16) : 0L);
    }
    what.append(announced.size())
        .append(" announced ")
        .append(types(announced))
        .append(", ")
        .append(withdrawn.size())
        .append(" withdrawn ")
        .append(types(withdrawn))
        .append(addPath ? ", ADD-PATH" : "")
        .append(fourOctet ? "" : ", 2-octet AS")
        .append(internal ? ", iBGP" : ", eBGP");

    ByteArrayOutputStream attrs = new ByteArrayOutputStream();
    List<Integer> starts = new ArrayList<>();
    long[] pathIds = addPath ? ids.stream().mapToLong(Long::longValue).toArray() : new long[0];
    if (!withdrawn.isEmpty()) {
      ByteArrayOutputStream v = new ByteArrayOutputStream();
      put16(v, 25);
      v.write(70);
      nlriField(v, withdrawn, pathIds, 0);
      starts.add(attrs.size());
      attribute(attrs, r, 0x80, 15, v.toByteArray());
    }
    byte[] nextHop = new byte[0];
    long[] ext = new long[0];
    if (!announced.isEmpty()) {
      nextHop =
          switch (r.nextInt(4)) {
            case 0 -> bytes(r, 16);
            case 1 -> bytes(r, 32);
            default -> bytes(r, 4);
          };
      ByteArrayOutputStream v = new ByteArrayOutputStream();
      put16(v, 25);
      v.write(70);
      v.write(nextHop.length);
      v.writeBytes(nextHop);
      v.write(0);
      nlriField(v, announced, pathIds, withdrawn.size());
      starts.add(attrs.size());
      attribute(attrs, r, 0x80, 14, v.toByteArray());
      starts.add(attrs.size());
      attribute(attrs, r, 0x40, 1, new byte[] {(byte) r.nextInt(3)});
      ByteArrayOutputStream path = new ByteArrayOutputStream();
      int hops = r.nextInt(4);
      if (hops > 0) {
        path.write(2);
        path.write(hops);
        for (int i = 0; i < hops; i++) {
          long as =
              fourOctet
                  ? (r.nextBoolean() ? 4_200_000_000L + r.nextInt(1000) : 64_512 + r.nextInt(1000))
                  : 64_512 + r.nextInt(1000);
          if (fourOctet) {
            put32(path, as);
          } else {
            put16(path, (int) as);
          }
        }
      }
      starts.add(attrs.size());
      attribute(attrs, r, 0x40, 2, path.toByteArray());
      if (r.nextInt(3) == 0) {
        starts.add(attrs.size());
        attribute(attrs, r, 0x80, 4, be32(r.nextInt(1000)));
      }
      if (internal) {
        starts.add(attrs.size());
        attribute(attrs, r, 0x40, 5, be32(100 + r.nextInt(200)));
      }
      if (r.nextInt(4) == 0) {
        starts.add(attrs.size());
        attribute(
            attrs, r, 0xC0, 8, concat(be32(0xFDE8_0000L | r.nextInt(1000)), be32(0xFFFF_FF01L)));
      }
      ext = new long[1 + r.nextInt(4)];
      ext[0] =
          0x0002_0000_0000_0000L
              | ((long) (64_512 + r.nextInt(1000)) << 32)
              | r.nextInt(10_000); // target
      for (int i = 1; i < ext.length; i++) {
        ext[i] =
            switch (r.nextInt(12)) {
              case 0 -> 0x030C_0000_0000_0008L; // encapsulation: VXLAN
              case 1 ->
                  0x0600_0000_0000_0000L
                      | (r.nextBoolean() ? 1L << 40 : 0)
                      | r.nextInt(100); // MAC mobility
              case 2 -> 0x0603_0000_0000_0000L | (r.nextLong() & 0xFEFF_FFFF_FFFFL); // router's MAC
              case 3 ->
                  0x0601_0000_0000_0000L
                      | (r.nextBoolean() ? 1L << 40 : 0)
                      | r.nextInt(1 << 24); // ESI label
              case 4 -> 0x0602_0000_0000_0000L | (r.nextLong() & 0xFFFF_FFFF_FFFFL); // ES-Import
              case 5 -> 0x030D_0000_0000_0000L; // default gateway
              case 6 ->
                  0x0604_0000_0000_0000L
                      | ((long) r.nextInt(8) << 32)
                      | ((long) (1500 + r.nextInt(8000)) << 16);
              case 7 ->
                  0x0606_0000_0000_0000L
                      | ((long) r.nextInt(3) << 40)
                      | ((long) r.nextInt(2) << 39); // DF election
              case 8 ->
                  0x0202_0000_0000_0000L
                      | ((4_200_000_000L + r.nextInt(1000)) << 16)
                      | r.nextInt(1000); // RT AS4
              case 9 -> r.nextLong(); // anything: kept raw
              default ->
                  0x0002_0000_0000_0000L
                      | ((long) (64_512 + r.nextInt(1000)) << 32)
                      | r.nextInt(10_000);
            };
      }
      ByteArrayOutputStream e = new ByteArrayOutputStream();
      for (long c : ext) {
        put64(e, c);
      }
      starts.add(attrs.size());
      attribute(attrs, r, 0xC0, 16, e.toByteArray());
      if (announced.stream().anyMatch(n -> (n[0] & 0xFF) == 3)) {
        ByteArrayOutputStream pmsi = new ByteArrayOutputStream();
        pmsi.write(0);
        pmsi.write(6); // ingress replication
        put24(pmsi, r.nextInt(1 << 24));
        pmsi.writeBytes(bytes(r, r.nextInt(4) == 0 ? 16 : 4));
        starts.add(attrs.size());
        attribute(attrs, r, 0xC0, 22, pmsi.toByteArray());
      }
      if (r.nextInt(5) == 0) {
        starts.add(attrs.size());
        attribute(
            attrs,
            r,
            0xC0,
            32,
            concat(be32(65_001), concat(be32(r.nextInt(100)), be32(r.nextInt(100)))));
      }
    }
    byte[] a = attrs.toByteArray();
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    for (int i = 0; i < 16; i++) {
      m.write(0xFF);
    }
    put16(m, 19 + 2 + 2 + a.length);
    m.write(2);
    put16(m, 0);
    put16(m, a.length);
    m.writeBytes(a);
    int[] at = starts.stream().mapToInt(s -> s + 23).toArray();
    return new GeneratedUpdate(
        seed,
        size,
        what.toString(),
        m.toByteArray(),
        options,
        announced,
        withdrawn,
        pathIds,
        ext,
        nextHop,
        at);
  }

  private static String types(List<byte[]> nlri) {
    StringBuilder sb = new StringBuilder("[");
    for (byte[] n : nlri) {
      sb.append(sb.length() > 1 ? "," : "").append(n[0] & 0xFF);
    }
    return sb.append(']').toString();
  }

  private static void nlriField(
      ByteArrayOutputStream v, List<byte[]> nlri, long[] pathIds, int firstId) {
    for (int i = 0; i < nlri.size(); i++) {
      if (pathIds.length > 0) {
        put32(v, pathIds[firstId + i]);
      }
      v.writeBytes(nlri.get(i));
    }
  }

  /** Writes an attribute with the Extended Length bit when needed, and sometimes when not. */
  private static void attribute(
      ByteArrayOutputStream out, SplittableRandom r, int flags, int type, byte[] value) {
    boolean extended = value.length > 255 || r.nextInt(5) == 0;
    out.write(flags | (extended ? 0x10 : 0));
    out.write(type);
    if (extended) {
      put16(out, value.length);
    } else {
      out.write(value.length);
    }
    out.writeBytes(value);
  }

  /** One NLRI of a route type drawn with realistic weights: type, length, value. */
  static byte[] nlri(SplittableRandom r) {
    int type = 1 + pick(r, 10, 35, 14, 8, 15, 3, 2, 2, 2, 3, 3, 3);
    if (type == 12) {
      return wrap(12 + r.nextInt(244), bytes(r, r.nextInt(24))); // a type nobody knows here: opaque
    }
    ByteArrayOutputStream v = new ByteArrayOutputStream();
    v.writeBytes(rd(r));
    switch (type) {
      case 1 -> {
        v.writeBytes(esi(r));
        v.writeBytes(tag(r));
        put24(v, label(r));
      }
      case 2 -> {
        v.writeBytes(esi(r));
        v.writeBytes(tag(r));
        v.write(48);
        v.writeBytes(mac(r));
        ip(v, r, pick(r, 30, 50, 20));
        put24(v, label(r));
        if (r.nextInt(3) == 0) {
          put24(v, label(r));
        }
      }
      case 3 -> {
        v.writeBytes(tag(r));
        ip(v, r, 1 + r.nextInt(2));
      }
      case 4 -> {
        v.writeBytes(esi(r));
        ip(v, r, 1 + r.nextInt(2));
      }
      case 5 -> {
        boolean six = r.nextInt(3) == 0;
        v.writeBytes(esi(r));
        v.writeBytes(tag(r));
        int bits = six ? 128 : 32;
        int length = r.nextInt(4) == 0 ? bits : r.nextInt(bits + 1);
        v.write(length);
        v.writeBytes(prefix(r, bits / 8, length));
        v.writeBytes(r.nextBoolean() ? new byte[bits / 8] : bytes(r, bits / 8));
        put24(v, label(r));
      }
      case 6, 7, 8, 10 -> {
        if (type == 7 || type == 8) {
          v.writeBytes(esi(r));
        }
        v.writeBytes(tag(r));
        ip(v, r, pick(r, 30, 50, 20)); // source: any, IPv4, IPv6
        ip(v, r, 1 + r.nextInt(2)); // group
        ip(v, r, 1 + r.nextInt(2)); // originator
        if (type == 8) {
          put32(v, r.nextInt(1000));
          v.write(r.nextInt(256));
        }
        if (type != 10) {
          v.write(r.nextInt(256));
        }
      }
      case 9 -> {
        v.writeBytes(tag(r));
        v.writeBytes(bytes(r, 8));
      }
      default -> { // 11: the key is an IMET route; no RD of its own
        ByteArrayOutputStream key = new ByteArrayOutputStream();
        key.writeBytes(rd(r));
        key.writeBytes(tag(r));
        ip(key, r, 1 + r.nextInt(2));
        ByteArrayOutputStream leaf = new ByteArrayOutputStream();
        leaf.writeBytes(wrap(3, key.toByteArray()));
        ip(leaf, r, 1 + r.nextInt(2));
        return wrap(11, leaf.toByteArray());
      }
    }
    return wrap(type, v.toByteArray());
  }

  private static byte[] wrap(int type, byte[] value) {
    byte[] out = new byte[2 + value.length];
    out[0] = (byte) type;
    out[1] = (byte) value.length;
    System.arraycopy(value, 0, out, 2, value.length);
    return out;
  }

  private static byte[] rd(SplittableRandom r) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int type = r.nextInt(3);
    put16(b, type);
    switch (type) {
      case 0 -> {
        put16(b, 64_512 + r.nextInt(1000));
        put32(b, r.nextInt(10_000));
      }
      case 1 -> {
        b.writeBytes(new byte[] {10, (byte) r.nextInt(256), 0, (byte) (1 + r.nextInt(254))});
        put16(b, r.nextInt(1000));
      }
      default -> {
        put32(b, 4_200_000_000L + r.nextInt(1000));
        put16(b, r.nextInt(1000));
      }
    }
    return b.toByteArray();
  }

  private static byte[] esi(SplittableRandom r) {
    return switch (pick(r, 40, 5, 55)) {
      case 0 -> new byte[10];
      case 1 -> new byte[] {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
      default -> {
        byte[] e = bytes(r, 10);
        e[0] = (byte) r.nextInt(6); // types 0..5
        yield e;
      }
    };
  }

  private static byte[] tag(SplittableRandom r) {
    return switch (pick(r, 40, 10, 30, 20)) {
      case 0 -> new byte[4];
      case 1 -> new byte[] {-1, -1, -1, -1};
      case 2 -> be32(r.nextInt(4096));
      default -> be32(r.nextInt(1 << 24));
    };
  }

  private static int label(SplittableRandom r) {
    return switch (pick(r, 10, 10, 80)) {
      case 0 -> 0;
      case 1 -> 0xFF_FFFF;
      default -> r.nextInt(1 << 24);
    };
  }

  private static byte[] mac(SplittableRandom r) {
    byte[] m = bytes(r, 6);
    m[0] &= (byte) 0xFE; // unicast
    return m;
  }

  /** Writes a length octet in bits and the address: 0 none, 1 IPv4, 2 IPv6. */
  private static void ip(ByteArrayOutputStream v, SplittableRandom r, int kind) {
    int octets = kind == 0 ? 0 : kind == 1 ? 4 : 16;
    v.write(octets * 8);
    v.writeBytes(bytes(r, octets));
  }

  private static byte[] prefix(SplittableRandom r, int octets, int length) {
    byte[] p = bytes(r, octets);
    for (int bit = length; bit < octets * 8; bit++) {
      p[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return p;
  }

  private static byte[] bytes(SplittableRandom r, int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) r.nextInt(256);
    }
    return b;
  }

  private static byte[] be32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static void put16(ByteArrayOutputStream out, int v) {
    out.write(v >>> 8);
    out.write(v);
  }

  private static void put24(ByteArrayOutputStream out, int v) {
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
  }

  private static void put32(ByteArrayOutputStream out, long v) {
    out.writeBytes(be32(v));
  }

  private static void put64(ByteArrayOutputStream out, long v) {
    put32(out, v >>> 32);
    put32(out, v & 0xFFFF_FFFFL);
  }

  static int pick(SplittableRandom r, int... weights) {
    int total = 0;
    for (int w : weights) {
      total += w;
    }
    int x = r.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
