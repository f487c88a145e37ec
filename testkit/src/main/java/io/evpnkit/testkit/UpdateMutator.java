package io.evpnkit.testkit;

import static io.evpnkit.evpn.UpdateOutcome.ATTRIBUTE_DISCARD;
import static io.evpnkit.evpn.UpdateOutcome.OK;
import static io.evpnkit.evpn.UpdateOutcome.SESSION_RESET;
import static io.evpnkit.evpn.UpdateOutcome.TREAT_AS_WITHDRAW;

import io.evpnkit.annotations.Beta;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Breaks valid UPDATEs the ways that break real parsers, each with the RFC 7606 outcome it must
 * produce: lengths that lie at every level (message, withdrawn routes, total path attributes, one
 * attribute, one NLRI), truncation at every length, duplicated, missing, reordered and unknown
 * attributes, wrong flags and values, an impossible MAC length; and, with no fixed outcome, random
 * bit flips and two messages spliced together. Every length that encloses the change is kept
 * consistent unless the lie is the point, so each mutation tests the rule it names.
 *
 * @since 0.1
 */
@Beta
public final class UpdateMutator {
  private UpdateMutator() {}

  /**
   * One attribute of a message: where its header starts, where its value starts, where it ends; its
   * type.
   */
  private record Attribute(int start, int value, int end, int type) {}

  private static List<Attribute> attributes(byte[] m) {
    int at = 23 + u16(m, 19);
    int end = at + u16(m, at - 2);
    List<Attribute> out = new ArrayList<>();
    while (at < end) {
      boolean extended = (m[at] & 0x10) != 0;
      int length = extended ? u16(m, at + 2) : m[at + 2] & 0xFF;
      int value = at + (extended ? 4 : 3);
      out.add(new Attribute(at, value, value + length, m[at + 1] & 0xFF));
      at = value + length;
    }
    return out;
  }

  private static int u16(byte[] m, int at) {
    return ((m[at] & 0xFF) << 8) | (m[at + 1] & 0xFF);
  }

  private static @Nullable Attribute find(List<Attribute> list, int type) {
    for (Attribute a : list) {
      if (a.type == type) {
        return a;
      }
    }
    return null;
  }

  /**
   * Rebuilds a message from its withdrawn routes field (empty here) and the given attribute bytes.
   */
  private static byte[] message(byte[] attributes) {
    byte[] m = new byte[23 + attributes.length];
    Arrays.fill(m, 0, 16, (byte) 0xFF);
    put16(m, 16, m.length);
    m[18] = 2;
    put16(m, 21, attributes.length);
    System.arraycopy(attributes, 0, m, 23, attributes.length);
    return m;
  }

  private static void put16(byte[] m, int at, int v) {
    m[at] = (byte) (v >>> 8);
    m[at + 1] = (byte) v;
  }

  private static byte[] join(byte[] m, List<Attribute> list) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Attribute a : list) {
      out.write(m, a.start, a.end - a.start);
    }
    return out.toByteArray();
  }

  /** An attribute with a new value (and the length form that fits it). */
  private static byte[] rewrite(byte[] m, Attribute a, byte[] value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean extended = value.length > 255;
    out.write((m[a.start] & ~0x10) | (extended ? 0x10 : 0));
    out.write(a.type);
    if (extended) {
      out.write(value.length >>> 8);
    }
    out.write(value.length);
    out.writeBytes(value);
    return out.toByteArray();
  }

  private static byte[] replace(
      byte[] m, List<Attribute> list, Attribute which, byte @Nullable [] with) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Attribute a : list) {
      if (a.start == which.start) {
        if (with != null) {
          out.writeBytes(with);
        }
      } else {
        out.write(m, a.start, a.end - a.start);
      }
    }
    return message(out.toByteArray());
  }

  /**
   * Returns every mutation with a fixed outcome that applies to {@code u}, and {@code randomCases}
   * more without one (bit flips and splices with {@code other}), drawn from {@code seed}.
   * Truncations are sampled: see {@link #truncations} for all of them.
   */
  public static List<MutatedUpdate> mutations(
      GeneratedUpdate u, GeneratedUpdate other, long seed, int randomCases) {
    byte[] m = u.bytes();
    List<Attribute> list = attributes(m);
    List<MutatedUpdate> out = new ArrayList<>();
    SplittableRandom r = new SplittableRandom(seed);
    boolean announces = !u.announced().isEmpty();
    // lengths that lie
    byte[] b = m.clone();
    put16(b, 19, m.length - 21 + 1 + r.nextInt(100));
    out.add(new MutatedUpdate(u, "Withdrawn Routes Length past the message", b, SESSION_RESET));
    b = m.clone();
    put16(b, 21, u16(m, 21) + 1 + r.nextInt(100));
    out.add(new MutatedUpdate(u, "Total Path Attribute Length past the message", b, SESSION_RESET));
    if (u16(m, 21) > 0) {
      b = m.clone();
      put16(b, 21, u16(m, 21) - 1);
      // The last octet becomes the IPv4 NLRI field: a zero octet is a valid /0 prefix (then
      // NEXT_HOP is missing
      // and the last attribute overruns: treat-as-withdraw); anything else is an invalid prefix:
      // reset.
      out.add(
          new MutatedUpdate(
              u,
              "Total Path Attribute Length one short",
              b,
              m[m.length - 1] == 0 ? TREAT_AS_WITHDRAW : SESSION_RESET));
    }
    b = m.clone();
    put16(b, 16, m.length + 1);
    out.add(new MutatedUpdate(u, "message length one more than the bytes", b, SESSION_RESET));
    int cut = 19 + r.nextInt(m.length - 19);
    out.add(new MutatedUpdate(u, "cut at " + cut, truncate(m, cut), SESSION_RESET));
    // attributes
    Attribute first = list.get(0);
    out.add(
        new MutatedUpdate(
            u,
            "attribute " + first.type + " twice",
            message(concat(join(m, list), Arrays.copyOfRange(m, first.start, first.end))),
            SESSION_RESET));
    out.add(
        new MutatedUpdate(u, "attributes in reverse order", message(join(m, reversed(list))), OK));
    out.add(
        new MutatedUpdate(
            u,
            "unknown well-known attribute",
            message(concat(join(m, list), new byte[] {0x40, 99, 0})),
            SESSION_RESET));
    out.add(
        new MutatedUpdate(
            u,
            "unknown optional transitive attribute",
            message(concat(join(m, list), new byte[] {(byte) 0xC0, 99, 2, 1, 2})),
            OK));
    Attribute origin = find(list, 1);
    if (announces && origin != null) {
      out.add(
          new MutatedUpdate(
              u,
              "ORIGIN twice",
              message(concat(join(m, list), Arrays.copyOfRange(m, origin.start, origin.end))),
              ATTRIBUTE_DISCARD));
      b = replace(m, list, origin, new byte[] {(byte) 0xC0, 1, 1, m[origin.value]});
      out.add(new MutatedUpdate(u, "ORIGIN with the Optional bit", b, TREAT_AS_WITHDRAW));
      b = replace(m, list, origin, rewrite(m, origin, new byte[] {3}));
      out.add(new MutatedUpdate(u, "ORIGIN value 3", b, TREAT_AS_WITHDRAW));
      b = replace(m, list, origin, rewrite(m, origin, new byte[] {0, 0}));
      out.add(new MutatedUpdate(u, "ORIGIN of two octets", b, TREAT_AS_WITHDRAW));
      Attribute path = find(list, 2);
      if (path != null) {
        out.add(
            new MutatedUpdate(
                u, "AS_PATH missing", replace(m, list, path, null), TREAT_AS_WITHDRAW));
        out.add(
            new MutatedUpdate(
                u,
                "AS_PATH with an empty segment",
                replace(m, list, path, rewrite(m, path, new byte[] {2, 0})),
                TREAT_AS_WITHDRAW));
        if (path.end - path.value >= 2) {
          byte[] v = Arrays.copyOfRange(m, path.value, path.end);
          v[1] = (byte) ((v[1] & 0xFF) + 1); // one AS number more than there are
          out.add(
              new MutatedUpdate(
                  u,
                  "AS_PATH segment count past the attribute",
                  replace(m, list, path, rewrite(m, path, v)),
                  TREAT_AS_WITHDRAW));
        }
      }
      Attribute ext = find(list, 16);
      if (ext != null) {
        out.add(
            new MutatedUpdate(
                u,
                "EXTENDED_COMMUNITIES one octet short",
                replace(
                    m, list, ext, rewrite(m, ext, Arrays.copyOfRange(m, ext.value, ext.end - 1))),
                TREAT_AS_WITHDRAW));
      }
      Attribute last = list.get(list.size() - 1);
      if (last.type != 14 && last.type != 15) {
        b = m.clone();
        if ((m[last.start] & 0x10) != 0) {
          put16(b, last.start + 2, u16(m, last.start + 2) + 1);
        } else if ((m[last.start + 2] & 0xFF) < 255) {
          b[last.start + 2]++;
        } else {
          b = null;
        }
        if (b != null) {
          out.add(
              new MutatedUpdate(
                  u, "last attribute one octet longer than the attributes", b, TREAT_AS_WITHDRAW));
        }
      }
      Attribute reach = find(list, 14);
      if (reach != null) {
        nlriMutations(u, m, reach, out);
      }
    }
    for (int i = 0; i < randomCases; i++) {
      if (r.nextBoolean()) {
        b = m.clone();
        int flips = 1 + r.nextInt(4);
        for (int f = 0; f < flips; f++) {
          int at = r.nextInt(b.length);
          b[at] ^= (byte) (1 << r.nextInt(8));
        }
        out.add(new MutatedUpdate(u, flips + " bit flips", b, null));
      } else {
        byte[] o = other.bytes();
        int a = 19 + r.nextInt(m.length - 18);
        int c = 19 + r.nextInt(o.length - 18);
        byte[] s = concat(Arrays.copyOf(m, a), Arrays.copyOfRange(o, c, o.length));
        if (s.length <= 4096) {
          put16(s, 16, s.length);
          out.add(
              new MutatedUpdate(
                  u, "spliced at " + a + " with " + other.id() + " from " + c, s, null));
        }
      }
    }
    return out;
  }

  private static void nlriMutations(
      GeneratedUpdate u, byte[] m, Attribute reach, List<MutatedUpdate> out) {
    int ids = u.options().addPath() ? 4 : 0;
    int field = reach.value + 5 + (m[reach.value + 3] & 0xFF);
    if (reach.end - reach.value - 4
        <= 255) { // a next hop length one octet past the attribute fits the octet
      byte[] lie = m.clone();
      lie[reach.value + 3] = (byte) (reach.end - reach.value - 4);
      out.add(
          new MutatedUpdate(
              u, "MP_REACH_NLRI next hop length past the attribute", lie, SESSION_RESET));
    }
    int lastNlri = -1;
    int macAt = -1;
    for (int at = field; at < reach.end; at += ids + 2 + (m[at + ids + 1] & 0xFF)) {
      lastNlri = at + ids;
      if (m[at + ids] == 2 && macAt < 0) {
        macAt = at + ids + 2 + 22;
      }
    }
    if (lastNlri >= 0 && (m[lastNlri + 1] & 0xFF) < 255) {
      byte[] b = m.clone();
      b[lastNlri + 1]++;
      out.add(
          new MutatedUpdate(u, "last NLRI one octet longer than MP_REACH_NLRI", b, SESSION_RESET));
    }
    if (macAt >= 0) {
      byte[] b = m.clone();
      b[macAt] = 47;
      out.add(new MutatedUpdate(u, "MAC length 47", b, TREAT_AS_WITHDRAW));
    }
  }

  /**
   * Returns the message cut at every length from 0 to one short, the header's length made to match
   * (≥ 18).
   */
  public static Stream<MutatedUpdate> truncations(GeneratedUpdate u) {
    byte[] m = u.bytes();
    return IntStream.range(0, m.length)
        .mapToObj(n -> new MutatedUpdate(u, "cut at " + n, truncate(m, n), SESSION_RESET));
  }

  private static byte[] truncate(byte[] m, int n) {
    byte[] b = Arrays.copyOf(m, n);
    if (n >= 18) {
      put16(b, 16, n);
    }
    return b;
  }

  private static List<Attribute> reversed(List<Attribute> list) {
    List<Attribute> r = new ArrayList<>(list);
    java.util.Collections.reverse(r);
    return r;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
