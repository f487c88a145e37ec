package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.vxlan.HeaderFormat;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * Generates valid VXLAN packets, reproducibly from seeds: outer Ethernet with 0-2 VLAN tags
 * (802.1Q, 802.1ad), IPv4 (with options, DF set or clear, any TOS/TTL, zero or computed UDP
 * checksum) or IPv6 (with hop-by-hop and destination-options headers, computed UDP checksum), the
 * VXLAN, GBP or GPE header with edge VNIs (0, 1, 0xFFFFFF) among random ones, and an inner payload:
 * Ethernet with 0-2 tags carrying ARP, IPv4/UDP, IPv4/TCP, IPv6 Neighbor Solicitation or
 * Advertisement, IPv6/UDP or opaque bytes, or for GPE a bare IPv4 or IPv6 packet.
 *
 * <p>The bytes are assembled here, independently of the codec (its own checksum code included), so
 * that the codec is tested against something it did not write. Sizes grow over a run ({@link
 * #next()}): early cases are small and easy to read. Each case has a seed and a size; {@link
 * #replay(String)} rebuilds it. Not thread-safe; use one generator per thread.
 *
 * @since 0.1
 */
@Beta
public final class VxlanFrameGenerator {
  /** Largest size parameter; payloads grow by up to 24 bytes per size step. */
  public static final int MAX_SIZE = 64;

  private final SplittableRandom seeds;
  private int count;

  /** Creates a generator whose cases all derive from {@code runSeed}. */
  public VxlanFrameGenerator(long runSeed) {
    this.seeds = new SplittableRandom(runSeed);
  }

  /** Returns the next case; the size grows with the number of cases drawn. */
  public GeneratedFrame next() {
    int size = Math.min(MAX_SIZE, 1 + count++ / 4);
    return generate(seeds.nextLong(), size);
  }

  /** Returns the next {@code n} cases as a stream. */
  public Stream<GeneratedFrame> stream(int n) {
    List<GeneratedFrame> list = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      list.add(next());
    }
    return list.stream();
  }

  /**
   * Rebuilds the case printed as {@code id} ({@link GeneratedFrame#id()}: hex seed, slash, size).
   *
   * @throws IllegalArgumentException if the id is not of that form
   */
  public static GeneratedFrame replay(String id) {
    CaseId c = CaseId.parse(id);
    return generate(c.seed(), c.size());
  }

  /** Builds the case of {@code seed} at {@code size} (1..{@value #MAX_SIZE}). */
  public static GeneratedFrame generate(long seed, int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("size " + size + " out of range 1.." + MAX_SIZE);
    }
    SplittableRandom r = new SplittableRandom(seed);
    StringBuilder what = new StringBuilder();
    ByteBuffer b = ByteBuffer.allocate(512 + size * 64);

    // outer Ethernet
    putMac(b, r.nextLong() & 0xFEFF_FFFF_FFFFL);
    putMac(b, r.nextLong() & 0xFEFF_FFFF_FFFFL);
    int tags = pick(r, 70, 20, 10);
    int[] vlans = new int[tags];
    for (int i = 0; i < tags; i++) {
      vlans[i] = r.nextInt(4096);
      b.putShort((short) (i == 0 && tags == 2 ? 0x88A8 : 0x8100));
      b.putShort((short) ((r.nextInt(8) << 13) | vlans[i]));
      what.append("vlan ").append(vlans[i]).append(' ');
    }
    boolean v6 = r.nextInt(100) >= 65;
    b.putShort((short) (v6 ? 0x86DD : 0x0800));

    // outer IP
    int ip = b.position();
    int udp;
    if (!v6) {
      int optionWords = r.nextInt(4) == 0 ? 1 + r.nextInt(Math.min(10, size)) : 0;
      b.put((byte) (0x40 | (5 + optionWords)));
      b.put((byte) outerTrafficClass(r));
      b.putShort((short) 0); // total length, later
      b.putShort((short) r.nextInt(65536));
      b.putShort((short) (r.nextBoolean() ? 0x4000 : 0));
      b.put((byte) (1 + r.nextInt(255)));
      b.put((byte) 17);
      b.putShort((short) 0);
      b.putInt(r.nextInt());
      b.putInt(r.nextInt());
      for (int i = 0; i < optionWords * 4; i++) {
        b.put((byte) (i == optionWords * 4 - 1 ? 0 : 1)); // NOPs then End of Option List
      }
      what.append("IPv4").append(optionWords > 0 ? "+options " : " ");
    } else {
      b.putInt((6 << 28) | (outerTrafficClass(r) << 20) | r.nextInt(1 << 20));
      b.putShort((short) 0); // payload length, later
      int extensions = size > 2 ? pick(r, 80, 15, 5) : 0;
      b.put((byte) (extensions > 0 ? 0 : 17));
      b.put((byte) (1 + r.nextInt(255)));
      putMac(b, 0x2001_0db8_0000L | r.nextInt(65536));
      b.putShort((short) r.nextInt(65536));
      b.putLong(r.nextLong());
      putMac(b, 0x2001_0db8_0000L | r.nextInt(65536));
      b.putShort((short) r.nextInt(65536));
      b.putLong(r.nextLong());
      for (int e = 0; e < extensions; e++) {
        int units = r.nextInt(3);
        b.put((byte) (e == extensions - 1 ? 17 : 60));
        b.put((byte) units);
        int pad = 6 + units * 8;
        b.put((byte) 1).put((byte) (pad - 2)); // one PadN option filling the header
        for (int i = 0; i < pad - 2; i++) {
          b.put((byte) 0);
        }
      }
      what.append("IPv6").append(extensions > 0 ? "+" + extensions + "ext " : " ");
    }

    // UDP and VXLAN
    udp = b.position();
    HeaderFormat format =
        switch (pick(r, 60, 20, 20)) {
          case 0 -> HeaderFormat.VXLAN;
          case 1 -> HeaderFormat.GBP;
          default -> HeaderFormat.GPE;
        };
    int port = format == HeaderFormat.GPE ? 4790 : 4789;
    b.putShort((short) (49152 + r.nextInt(16384)));
    b.putShort((short) port);
    b.putInt(0); // length and checksum, later
    int vni = edgeOr(r, 0xFF_FFFF, 0, 1, 0xFF_FFFF);
    int gpid = -1;
    int innerProtocol = 3;
    switch (format) {
      case GBP -> {
        gpid = edgeOr(r, 0xFFFF, 0, 0xFFFF);
        b.put((byte) 0x88);
        b.put((byte) ((r.nextBoolean() ? 0x40 : 0) | (r.nextBoolean() ? 0x08 : 0)));
        b.putShort((short) gpid);
        what.append("GBP gpid ").append(gpid);
      }
      case GPE -> {
        innerProtocol = pick(r, 0, 20, 20, 60);
        b.put((byte) (0x0C | (r.nextBoolean() ? 0x02 : 0) | (r.nextInt(8) == 0 ? 0x01 : 0)));
        b.putShort((short) 0);
        b.put((byte) innerProtocol);
        what.append("GPE next ").append(innerProtocol);
      }
      case VXLAN -> {
        b.putInt(0x0800_0000);
        what.append("VXLAN");
      }
    }
    b.putInt(vni << 8);
    what.append(" vni ").append(vni).append(" | ");

    // inner payload
    int inner = b.position();
    if (innerProtocol == 3) {
      putInnerEthernet(b, r, size, what);
    } else {
      putInnerIp(b, r, size, innerProtocol == 1 ? 4 : 6, what);
    }
    int end = b.position();

    // lengths and checksums
    int udpLength = end - udp;
    b.putShort(udp + 4, (short) udpLength);
    if (!v6) {
      int ihl = (b.get(ip) & 0xF) * 4;
      b.putShort(ip + 2, (short) (end - ip));
      b.putShort(ip + 10, (short) checksum(b, ip, ihl, 0));
      if (r.nextBoolean()) {
        long pseudo = sum(b, ip + 12, 8) + 17 + udpLength;
        int c = checksum(b, udp, udpLength, pseudo);
        b.putShort(udp + 6, (short) (c == 0 ? 0xFFFF : c));
      }
    } else {
      b.putShort(ip + 4, (short) (end - ip - 40));
      long pseudo = sum(b, ip + 8, 32) + 17 + udpLength;
      int c = checksum(b, udp, udpLength, pseudo);
      b.putShort(udp + 6, (short) (c == 0 ? 0xFFFF : c));
    }
    byte[] bytes = new byte[end];
    b.get(0, bytes);
    return new GeneratedFrame(
        seed,
        size,
        what.toString().trim(),
        bytes,
        format,
        vni,
        port,
        v6 ? 6 : 4,
        vlans,
        ip,
        udp,
        inner,
        end - inner,
        innerProtocol,
        gpid);
  }

  private static void putInnerEthernet(
      ByteBuffer b, SplittableRandom r, int size, StringBuilder what) {
    int kind = r.nextInt(7);
    long src = r.nextLong() & 0xFEFF_FFFF_FFFFL;
    long dst = kind <= 1 && r.nextBoolean() ? 0xFFFF_FFFF_FFFFL : r.nextLong() & 0xFEFF_FFFF_FFFFL;
    putMac(b, dst);
    putMac(b, src);
    int tags = pick(r, 75, 20, 5);
    for (int i = 0; i < tags; i++) {
      int vid = r.nextInt(4096);
      b.putShort((short) (i == 0 && tags == 2 ? 0x88A8 : 0x8100));
      b.putShort((short) ((r.nextInt(8) << 13) | vid));
      what.append("inner vlan ").append(vid).append(' ');
    }
    switch (kind) {
      case 0, 1 -> {
        b.putShort((short) 0x0806);
        b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4);
        b.putShort((short) (kind + 1));
        putMac(b, src);
        b.putInt(r.nextInt());
        putMac(b, kind == 0 ? 0 : dst);
        b.putInt(r.nextInt());
        what.append(kind == 0 ? "ARP request" : "ARP reply");
      }
      case 2, 3 -> {
        b.putShort((short) 0x0800);
        putInnerIp(b, r, size, 4, what);
      }
      case 4, 5 -> {
        b.putShort((short) 0x86DD);
        putInnerIp(b, r, size, 6, what);
      }
      default -> {
        b.putShort((short) 0x88B5); // IEEE local experimental EtherType
        putRandom(b, r, r.nextInt(1 + size * 24));
        what.append("opaque");
      }
    }
  }

  private static void putInnerIp(
      ByteBuffer b, SplittableRandom r, int size, int version, StringBuilder what) {
    int ip = b.position();
    int payload = r.nextInt(1 + size * 24);
    if (version == 4) {
      boolean tcp = r.nextBoolean();
      b.put((byte) 0x45).put((byte) r.nextInt(256));
      b.putShort((short) 0);
      b.putShort((short) r.nextInt(65536)).putShort((short) 0x4000);
      b.put((byte) 64).put((byte) (tcp ? 6 : 17)).putShort((short) 0);
      b.putInt(0x0A00_0000 | r.nextInt(1 << 24)).putInt(0x0A00_0000 | r.nextInt(1 << 24));
      b.putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536));
      if (tcp) {
        b.putInt(r.nextInt()).putInt(0).putShort((short) 0x5002).putShort((short) 64240).putInt(0);
      } else {
        b.putShort((short) (8 + payload)).putShort((short) 0);
      }
      putRandom(b, r, payload);
      b.putShort(ip + 2, (short) (b.position() - ip));
      b.putShort(ip + 10, (short) checksum(b, ip, 20, 0));
      what.append(tcp ? "IPv4/TCP" : "IPv4/UDP");
      return;
    }
    int kind = r.nextInt(3);
    b.putInt((6 << 28) | (r.nextInt(256) << 20));
    b.putShort((short) 0);
    b.put((byte) (kind == 2 ? 17 : 58)).put((byte) (kind == 2 ? 64 : 255));
    b.putLong(0xFD00_0000_0000_0000L).putLong(r.nextLong());
    b.putLong(kind == 0 ? 0xFF02_0000_0000_0000L : 0xFD00_0000_0000_0000L)
        .putLong(kind == 0 ? 0x1_FF00_0000L | r.nextInt(1 << 24) : r.nextLong());
    int l4 = b.position();
    if (kind == 2) {
      b.putShort((short) r.nextInt(65536)).putShort((short) r.nextInt(65536));
      b.putShort((short) (8 + payload)).putShort((short) 0);
      putRandom(b, r, payload);
      what.append("IPv6/UDP");
    } else {
      b.put((byte) (kind == 0 ? 135 : 136)).put((byte) 0).putShort((short) 0);
      b.putInt(kind == 0 ? 0 : 0x6000_0000);
      b.putLong(0xFD00_0000_0000_0000L).putLong(r.nextLong());
      if (r.nextInt(4) != 0) {
        b.put((byte) (kind == 0 ? 1 : 2)).put((byte) 1);
        putMac(b, r.nextLong() & 0xFEFF_FFFF_FFFFL);
      }
      what.append(kind == 0 ? "IPv6 NS" : "IPv6 NA");
    }
    int l4Length = b.position() - l4;
    b.putShort(ip + 4, (short) l4Length);
    if (kind != 2) {
      long pseudo = sum(b, ip + 8, 32) + 58 + l4Length;
      b.putShort(l4 + 2, (short) checksum(b, l4, l4Length, pseudo));
    }
  }

  /**
   * Any DSCP with ECN Not-ECT or ECT(0): an outer CE over an inner Not-ECT packet must be dropped
   * (RFC 6040 §4.2), so a valid frame never carries it; {@link FrameMutator} makes that case on
   * purpose.
   */
  private static int outerTrafficClass(SplittableRandom r) {
    return (r.nextInt(64) << 2) | (r.nextBoolean() ? 2 : 0);
  }

  private static int pick(SplittableRandom r, int... weights) {
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

  private static int edgeOr(SplittableRandom r, int max, int... edges) {
    return r.nextInt(4) == 0 ? edges[r.nextInt(edges.length)] : r.nextInt(max + 1);
  }

  private static void putMac(ByteBuffer b, long mac) {
    b.putShort((short) (mac >>> 32)).putInt((int) mac);
  }

  private static void putRandom(ByteBuffer b, SplittableRandom r, int n) {
    for (int i = 0; i < n; i++) {
      b.put((byte) r.nextInt(256));
    }
  }

  /** Sums 16-bit big-endian words (the last odd byte padded with zero), RFC 1071. */
  static long sum(ByteBuffer b, int from, int length) {
    long s = 0;
    for (int i = 0; i + 1 < length; i += 2) {
      s += b.getShort(from + i) & 0xFFFF;
    }
    if ((length & 1) != 0) {
      s += (b.get(from + length - 1) & 0xFF) << 8;
    }
    return s;
  }

  static int checksum(ByteBuffer b, int from, int length, long initial) {
    long s = initial + sum(b, from, length);
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) (~s & 0xFFFF);
  }
}
