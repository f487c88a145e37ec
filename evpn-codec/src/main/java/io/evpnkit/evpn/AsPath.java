package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * The AS_PATH attribute (BGP attribute 2, RFC 4271 §4.3 and §5.1.2; 4-octet AS numbers and
 * AS4_PATH, RFC 6793; confederation segments, RFC 5065 §3): a sequence of segments, each a type and
 * one or more AS numbers. Immutable.
 *
 * <pre>
 * segment: | type (1: AS_SET, 2: AS_SEQUENCE, 3: AS_CONFED_SEQUENCE, 4: AS_CONFED_SET) | count (1) | AS (2 or 4) * count |
 * </pre>
 *
 * Text form (as FRR and Junos print it): sequences as space-separated numbers, sets in braces,
 * confederation sequences in parentheses and confederation sets in brackets: {@code 65001 65002
 * {65010 65011} (64512)}.
 *
 * @since 0.1
 */
public final class AsPath {
  /** Segment type AS_SET. */
  public static final int AS_SET = 1;

  /** Segment type AS_SEQUENCE. */
  public static final int AS_SEQUENCE = 2;

  /** Segment type AS_CONFED_SEQUENCE (RFC 5065). */
  public static final int AS_CONFED_SEQUENCE = 3;

  /** Segment type AS_CONFED_SET (RFC 5065). */
  public static final int AS_CONFED_SET = 4;

  /** AS_TRANS (RFC 6793 §9): stands for a 4-octet AS number in 2-octet fields. */
  public static final int AS_TRANS = 23456;

  /** The empty path (routes originated inside the AS). */
  public static final AsPath EMPTY = new AsPath(new byte[0], new int[0], new int[0]);

  private static final char[] OPEN = {0, '{', 0, '(', '['};
  private static final char[] CLOSE = {0, '}', 0, ')', ']'};

  private final byte[] types;
  private final int[] ends; // exclusive end of each segment in asns
  private final int[] asns; // unsigned 32-bit

  private AsPath(byte[] types, int[] ends, int[] asns) {
    this.types = types;
    this.ends = ends;
    this.asns = asns;
  }

  /** Returns a path of one AS_SEQUENCE, or {@link #EMPTY} for no numbers. */
  public static AsPath sequence(long... asns) {
    if (asns.length == 0) {
      return EMPTY;
    }
    return EMPTY.append(AS_SEQUENCE, asns);
  }

  /**
   * Returns this path with a segment of {@code type} and {@code asns} appended (a new path).
   *
   * @throws IllegalArgumentException for an unknown type, no numbers, more than 255, or a number
   *     outside 0..2^32-1
   */
  public AsPath append(int type, long... numbers) {
    if (type < AS_SET || type > AS_CONFED_SET) {
      throw new IllegalArgumentException("segment type " + type + " is not 1..4");
    }
    if (numbers.length == 0 || numbers.length > 255) {
      throw new IllegalArgumentException(
          "a segment holds 1..255 AS numbers, not " + numbers.length);
    }
    byte[] t = Arrays.copyOf(types, types.length + 1);
    int[] e = Arrays.copyOf(ends, ends.length + 1);
    int[] a = Arrays.copyOf(asns, asns.length + numbers.length);
    for (int i = 0; i < numbers.length; i++) {
      if (numbers[i] < 0 || numbers[i] > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("AS number " + numbers[i] + " is not 0..4294967295");
      }
      a[asns.length + i] = (int) numbers[i];
    }
    t[types.length] = (byte) type;
    e[ends.length] = a.length;
    return new AsPath(t, e, a);
  }

  /**
   * Returns this path with {@code as} prepended (RFC 4271 §5.1.2: to the first AS_SEQUENCE if it
   * has room, else as a new leading AS_SEQUENCE).
   */
  public AsPath prepend(long as) {
    if (as < 0 || as > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("AS number " + as + " is not 0..4294967295");
    }
    int[] a = new int[asns.length + 1];
    a[0] = (int) as;
    System.arraycopy(asns, 0, a, 1, asns.length);
    if (types.length > 0 && types[0] == AS_SEQUENCE && ends[0] < 255) {
      int[] e = ends.clone();
      for (int i = 0; i < e.length; i++) {
        e[i]++;
      }
      return new AsPath(types, e, a);
    }
    byte[] t = new byte[types.length + 1];
    t[0] = AS_SEQUENCE;
    System.arraycopy(types, 0, t, 1, types.length);
    int[] e = new int[ends.length + 1];
    e[0] = 1;
    for (int i = 0; i < ends.length; i++) {
      e[i + 1] = ends[i] + 1;
    }
    return new AsPath(t, e, a);
  }

  /**
   * Checks an AS_PATH or AS4_PATH value {@code [index, index + length)} as RFC 7606 §7.2 defines
   * malformed: an unknown segment type, a segment count of zero, a segment running past the
   * attribute, or a lone trailing octet.
   *
   * @param asSize 2 or 4 octets per AS number
   * @return -1 if well formed, else the absolute index of the offending octet
   */
  public static int check(ByteBuf buf, int index, int length, int asSize) {
    int end = index + length;
    int at = index;
    while (at < end) {
      if (end - at < 2) {
        return at;
      }
      int type = buf.getUnsignedByte(at);
      int count = buf.getUnsignedByte(at + 1);
      if (type < AS_SET || type > AS_CONFED_SET) {
        return at;
      }
      if (count == 0 || at + 2 + count * asSize > end) {
        return at + 1;
      }
      at += 2 + count * asSize;
    }
    return -1;
  }

  /**
   * Reads an AS_PATH or AS4_PATH value.
   *
   * @param asSize 2 or 4 octets per AS number
   * @throws MalformedException if it is malformed as {@link #check} defines
   */
  public static AsPath read(ByteBuf buf, int index, int length, int asSize) {
    if (asSize != 2 && asSize != 4) {
      throw new IllegalArgumentException("AS numbers are 2 or 4 octets, not " + asSize);
    }
    if (index < 0 || length < 0 || index > buf.writerIndex() - length) {
      throw new MalformedException(
          "AS_PATH of " + length + " bytes runs past the buffer", Math.max(index, 0));
    }
    int bad = check(buf, index, length, asSize);
    if (bad >= 0) {
      throw new MalformedException("malformed AS_PATH segment", bad);
    }
    int segments = 0;
    int numbers = 0;
    for (int at = index; at < index + length; at += 2 + buf.getUnsignedByte(at + 1) * asSize) {
      segments++;
      numbers += buf.getUnsignedByte(at + 1);
    }
    byte[] t = new byte[segments];
    int[] e = new int[segments];
    int[] a = new int[numbers];
    int n = 0;
    int s = 0;
    for (int at = index; at < index + length; s++) {
      t[s] = buf.getByte(at);
      int count = buf.getUnsignedByte(at + 1);
      at += 2;
      for (int i = 0; i < count; i++, at += asSize) {
        a[n++] = asSize == 4 ? buf.getInt(at) : buf.getUnsignedShort(at);
      }
      e[s] = n;
    }
    return segments == 0 ? EMPTY : new AsPath(t, e, a);
  }

  /**
   * Reconstructs the path of a 2-octet AS session from AS_PATH and AS4_PATH (RFC 6793 §4.2.3): if
   * AS_PATH holds fewer AS numbers than AS4_PATH, AS4_PATH is ignored; otherwise the leading AS
   * numbers of AS_PATH that AS4_PATH lacks are kept and AS4_PATH follows them. Confederation
   * segments of AS4_PATH are dropped (§6); an AS_SET counts as one number.
   */
  public static AsPath merge(AsPath asPath, AsPath as4Path) {
    AsPath as4 = EMPTY;
    for (int s = 0; s < as4Path.types.length; s++) {
      if (as4Path.types[s] == AS_SEQUENCE || as4Path.types[s] == AS_SET) {
        as4 = as4.append(as4Path.types[s], as4Path.segmentNumbers(s));
      }
    }
    int keep = asPath.countForMerge() - as4.countForMerge();
    if (keep < 0) {
      return asPath;
    }
    AsPath merged = EMPTY;
    for (int s = 0; s < asPath.types.length && keep > 0; s++) {
      int type = asPath.types[s];
      long[] numbers = asPath.segmentNumbers(s);
      if (type == AS_SEQUENCE) {
        int n = Math.min(keep, numbers.length);
        merged = merged.append(type, Arrays.copyOf(numbers, n));
        keep -= n;
      } else if (type == AS_SET) {
        merged = merged.append(type, numbers);
        keep--;
      } else {
        merged = merged.append(type, numbers);
      }
    }
    for (int s = 0; s < as4.types.length; s++) {
      merged = merged.append(as4.types[s], as4.segmentNumbers(s));
    }
    return merged;
  }

  private int countForMerge() {
    int n = 0;
    for (int s = 0; s < types.length; s++) {
      n += types[s] == AS_SEQUENCE ? segmentSize(s) : types[s] == AS_SET ? 1 : 0;
    }
    return n;
  }

  private long[] segmentNumbers(int s) {
    int from = s == 0 ? 0 : ends[s - 1];
    long[] numbers = new long[ends[s] - from];
    for (int i = 0; i < numbers.length; i++) {
      numbers[i] = Integer.toUnsignedLong(asns[from + i]);
    }
    return numbers;
  }

  /** Returns the encoded length with {@code asSize}-octet AS numbers. */
  public int encodedLength(int asSize) {
    return types.length * 2 + asns.length * asSize;
  }

  /**
   * Writes the value at the writer index of {@code out}; with 2-octet AS numbers, numbers above
   * 65535 are written as {@link #AS_TRANS} (RFC 6793 §4.2.2).
   */
  public void write(ByteBuf out, int asSize) {
    out.ensureWritable(encodedLength(asSize));
    int from = 0;
    for (int s = 0; s < types.length; s++) {
      out.writeByte(types[s]).writeByte(ends[s] - from);
      for (int i = from; i < ends[s]; i++) {
        if (asSize == 4) {
          out.writeInt(asns[i]);
        } else {
          out.writeShort(Integer.compareUnsigned(asns[i], 0xFFFF) > 0 ? AS_TRANS : asns[i]);
        }
      }
      from = ends[s];
    }
  }

  /**
   * Returns whether some AS number does not fit two octets (then a 2-octet session needs AS4_PATH).
   */
  public boolean needsFourOctets() {
    for (int a : asns) {
      if (Integer.compareUnsigned(a, 0xFFFF) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Returns the number of segments. */
  public int segmentCount() {
    return types.length;
  }

  /** Returns the type of segment {@code i}. */
  public int segmentType(int i) {
    return types[i];
  }

  /** Returns the number of AS numbers in segment {@code i}. */
  public int segmentSize(int i) {
    return ends[i] - (i == 0 ? 0 : ends[i - 1]);
  }

  /** Returns AS number {@code j} of segment {@code i}. */
  public long asn(int i, int j) {
    return Integer.toUnsignedLong(asns[(i == 0 ? 0 : ends[i - 1]) + j]);
  }

  /**
   * Returns the length used by the decision process (RFC 4271 §9.1.2.2 a): each AS of a sequence
   * counts one, each set counts one, confederation segments count nothing (RFC 5065 §5.3).
   */
  public int pathLength() {
    int length = 0;
    for (int s = 0; s < types.length; s++) {
      length +=
          switch (types[s]) {
            case AS_SEQUENCE -> segmentSize(s);
            case AS_SET -> 1;
            default -> 0;
          };
    }
    return length;
  }

  /** Returns the first AS of the leading AS_SEQUENCE (the neighbor AS), or -1. */
  public long firstAs() {
    return types.length > 0 && types[0] == AS_SEQUENCE ? Integer.toUnsignedLong(asns[0]) : -1;
  }

  /** Returns whether {@code as} appears anywhere in the path (loop detection, RFC 4271 §9.1.2). */
  public boolean contains(long as) {
    for (int a : asns) {
      if (Integer.toUnsignedLong(a) == as) {
        return true;
      }
    }
    return false;
  }

  /**
   * Parses the text form.
   *
   * @throws MalformedException with the character index of the problem
   */
  public static AsPath parse(String text) {
    AsPath path = EMPTY;
    int i = 0;
    int n = text.length();
    long[] buffer = new long[255];
    while (i < n) {
      char c = text.charAt(i);
      if (c == ' ') {
        i++;
        continue;
      }
      int type =
          switch (c) {
            case '{' -> AS_SET;
            case '(' -> AS_CONFED_SEQUENCE;
            case '[' -> AS_CONFED_SET;
            default -> AS_SEQUENCE;
          };
      char close = type == AS_SEQUENCE ? 0 : CLOSE[type];
      if (type != AS_SEQUENCE) {
        i++;
      }
      int count = 0;
      while (i < n) {
        c = text.charAt(i);
        if (c == ' ') {
          i++;
          continue;
        }
        if (type != AS_SEQUENCE && c == close) {
          i++;
          break;
        }
        if (c < '0' || c > '9') {
          if (type == AS_SEQUENCE) {
            break;
          }
          throw new MalformedException("expected an AS number or '" + close + "'", i);
        }
        int start = i;
        while (i < n && text.charAt(i) >= '0' && text.charAt(i) <= '9') {
          i++;
        }
        if (i - start > 10 || Long.parseLong(text, start, i, 10) > 0xFFFF_FFFFL) {
          throw new MalformedException("AS number out of range 0..4294967295", start);
        }
        if (count == 255) {
          throw new MalformedException("more than 255 AS numbers in one segment", start);
        }
        buffer[count++] = Long.parseLong(text, start, i, 10);
        if (type != AS_SEQUENCE && i >= n) {
          throw new MalformedException("expected '" + close + "'", i);
        }
      }
      if (count == 0) {
        throw new MalformedException(
            type == AS_SEQUENCE ? "expected an AS number" : "empty segment", i);
      }
      path = path.append(type, Arrays.copyOf(buffer, count));
    }
    return path;
  }

  /** Appends the text form. */
  public StringBuilder appendTo(StringBuilder sb) {
    int from = 0;
    for (int s = 0; s < types.length; s++) {
      if (s > 0) {
        sb.append(' ');
      }
      int type = types[s];
      if (type != AS_SEQUENCE) {
        sb.append(OPEN[type]);
      }
      for (int i = from; i < ends[s]; i++) {
        if (i > from) {
          sb.append(' ');
        }
        sb.append(Integer.toUnsignedLong(asns[i]));
      }
      if (type != AS_SEQUENCE) {
        sb.append(CLOSE[type]);
      }
      from = ends[s];
    }
    return sb;
  }

  @Override
  public String toString() {
    return appendTo(new StringBuilder()).toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AsPath p
        && Arrays.equals(p.types, types)
        && Arrays.equals(p.ends, ends)
        && Arrays.equals(p.asns, asns);
  }

  @Override
  public int hashCode() {
    return (Arrays.hashCode(types) * 31 + Arrays.hashCode(ends)) * 31 + Arrays.hashCode(asns);
  }
}
