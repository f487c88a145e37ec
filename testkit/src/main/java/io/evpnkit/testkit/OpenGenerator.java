package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates valid BGP OPEN messages (RFC 4271 §4.2) with the capabilities an EVPN speaker meets
 * (RFC 5492): multiprotocol (L2VPN/EVPN among others), route refresh, extended message, 4-octet AS
 * (with AS_TRANS in My AS when the AS needs it), ADD-PATH, graceful restart, and unknown codes; one
 * capability per parameter or several in one, and the RFC 9072 extended parameter form. Assembled
 * here, independently of evpn-codec; each case carries its seed.
 *
 * @since 0.1
 */
@Beta
public final class OpenGenerator {
  private OpenGenerator() {}

  /**
   * One OPEN.
   *
   * @param seed what it was made from
   * @param as the speaker's AS (the 4-octet capability's when present)
   * @param capabilityCodes the capability codes in wire order
   * @param bytes the whole message
   */
  @SuppressWarnings(
      "ArrayRecordComponent") // the array is copied in and out; equals and hashCode use its content
  public record Open(long seed, long as, List<Integer> capabilityCodes, byte[] bytes) {
    /** Copies. */
    public Open {
      capabilityCodes = List.copyOf(capabilityCodes);
      bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
      return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Open x && x.seed == seed && java.util.Arrays.equals(x.bytes, bytes);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(seed) * 31 + java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return Long.toHexString(seed)
          + " OPEN as "
          + as
          + " capabilities "
          + capabilityCodes
          + " "
          + Hex.encode(bytes);
    }
  }

  /** Builds the OPEN of {@code seed}. */
  public static Open generate(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    boolean fourOctet = r.nextInt(5) != 0;
    long as =
        fourOctet && r.nextBoolean() ? 4_200_000_000L + r.nextInt(1000) : 64_512 + r.nextInt(1000);
    List<byte[]> caps = new ArrayList<>();
    List<Integer> codes = new ArrayList<>();
    int n = r.nextInt(8);
    caps.add(cap(1, new byte[] {0, 25, 0, 70}));
    codes.add(1);
    if (fourOctet) {
      caps.add(cap(65, be32(as)));
      codes.add(65);
    }
    for (int i = 0; i < n; i++) {
      int kind = r.nextInt(7);
      byte[] c =
          switch (kind) {
            case 0 ->
                cap(1, new byte[] {0, (byte) (1 + r.nextInt(2)), 0, (byte) (1 + r.nextInt(128))});
            case 1 -> cap(2, new byte[0]);
            case 2 -> cap(6, new byte[0]);
            case 3 -> cap(69, new byte[] {0, 25, 70, (byte) (1 + r.nextInt(3))});
            case 4 ->
                cap(
                    64,
                    new byte[] {(byte) (r.nextBoolean() ? 0x80 : 0), 120, 0, 25, 70, (byte) 0x80});
            case 5 -> {
              byte[] v = new byte[r.nextInt(40)];
              for (int j = 0; j < v.length; j++) {
                v[j] = (byte) r.nextInt(256);
              }
              yield cap(128 + r.nextInt(100), v);
            }
            default -> cap(70, new byte[0]);
          };
      caps.add(c);
      codes.add(c[0] & 0xFF);
    }
    boolean onePerParameter = r.nextBoolean();
    boolean extended = r.nextInt(6) == 0;
    ByteArrayOutputStream params = new ByteArrayOutputStream();
    if (onePerParameter) {
      for (byte[] c : caps) {
        parameter(params, c, extended);
      }
    } else {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      caps.forEach(all::writeBytes);
      parameter(params, all.toByteArray(), extended);
    }
    byte[] p = params.toByteArray();
    if (!extended && p.length > 255) {
      return generate(seed + 1);
    }
    ByteArrayOutputStream m = new ByteArrayOutputStream();
    for (int i = 0; i < 16; i++) {
      m.write(0xFF);
    }
    int length = 29 + (extended ? 3 : 0) + p.length;
    m.write(length >>> 8);
    m.write(length);
    m.write(1);
    m.write(4);
    int myAs = as > 0xFFFF ? 23456 : (int) as;
    m.write(myAs >>> 8);
    m.write(myAs);
    int hold = r.nextInt(4) == 0 ? 0 : 3 + r.nextInt(240);
    m.write(hold >>> 8);
    m.write(hold);
    m.writeBytes(
        new byte[] {10, (byte) r.nextInt(256), (byte) r.nextInt(256), (byte) (1 + r.nextInt(254))});
    if (extended) {
      m.write(255);
      m.write(255);
      m.write(p.length >>> 8);
      m.write(p.length);
    } else {
      m.write(p.length);
    }
    m.writeBytes(p);
    return new Open(seed, as, codes, m.toByteArray());
  }

  private static void parameter(ByteArrayOutputStream out, byte[] value, boolean extended) {
    out.write(2);
    if (extended) {
      out.write(value.length >>> 8);
    }
    out.write(value.length);
    out.writeBytes(value);
  }

  private static byte[] cap(int code, byte[] value) {
    byte[] c = new byte[2 + value.length];
    c[0] = (byte) code;
    c[1] = (byte) value.length;
    System.arraycopy(value, 0, c, 2, value.length);
    return c;
  }

  private static byte[] be32(long v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }
}
