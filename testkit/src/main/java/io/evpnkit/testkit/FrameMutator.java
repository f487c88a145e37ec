package io.evpnkit.testkit;

import io.evpnkit.annotations.Beta;
import io.evpnkit.vxlan.DropReason;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns valid VXLAN packets into the malformations that break real parsers: truncation at every
 * length, flipped bits, and length fields that lie (IPv4 IHL and total length, IPv6 payload length,
 * UDP length), each reproducible from the origin's case id and the mutation seed. Length lies keep
 * the IPv4 header checksum right, so the lie is the only fault and the expected drop reason is
 * exact.
 *
 * @since 0.1
 */
@Beta
public final class FrameMutator {
  private FrameMutator() {}

  /** Returns every strict prefix of the packet, lengths 0 to length-1; each must be dropped. */
  public static List<MutatedFrame> truncations(GeneratedFrame frame) {
    byte[] bytes = frame.bytes();
    List<MutatedFrame> out = new ArrayList<>(bytes.length);
    for (int n = 0; n < bytes.length; n++) {
      out.add(
          new MutatedFrame(
              frame,
              "truncated to " + n + " bytes",
              Arrays.copyOf(bytes, n),
              MutatedFrame.Expectation.DROP,
              null));
    }
    return out;
  }

  /** Flips 1 to 4 random bits; the outcome is open, but a decapsulator must not fail. */
  public static MutatedFrame flipBits(GeneratedFrame frame, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    byte[] bytes = frame.bytes();
    StringBuilder what = new StringBuilder(String.format("bit flips (seed %016x) at", seed));
    int flips = 1 + r.nextInt(4);
    for (int i = 0; i < flips && bytes.length > 0; i++) {
      int bit = r.nextInt(bytes.length * 8);
      bytes[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
      what.append(' ').append(bit >>> 3).append('.').append(bit & 7);
    }
    return new MutatedFrame(frame, what.toString(), bytes, MutatedFrame.Expectation.NO_CRASH, null);
  }

  /**
   * Returns every lying-length mutation the frame's layers allow, with their exact drop reasons.
   */
  public static List<MutatedFrame> lyingLengths(GeneratedFrame frame, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<MutatedFrame> out = new ArrayList<>();
    int ip = frame.ipOffset();
    int udp = frame.udpOffset();
    int present = frame.length();
    if (frame.ipVersion() == 4) {
      int ihl = (frame.bytes()[ip] & 0xF) * 4;
      int tooLong = present - ip + 1 + r.nextInt(65535 - (present - ip));
      out.add(
          ipv4(
              frame,
              "IPv4 total length " + tooLong + " > " + (present - ip) + " present",
              b -> b.putShort(ip + 2, (short) tooLong),
              DropReason.BAD_IP_LENGTH));
      int tooShort = r.nextInt(ihl);
      out.add(
          ipv4(
              frame,
              "IPv4 total length " + tooShort + " < header length " + ihl,
              b -> b.putShort(ip + 2, (short) tooShort),
              DropReason.BAD_IP_LENGTH));
      int badIhl = r.nextInt(5);
      out.add(
          ipv4(
              frame,
              "IPv4 IHL " + badIhl + " < 5",
              b -> b.put(ip, (byte) (0x40 | badIhl)),
              DropReason.BAD_IPV4_HEADER_LENGTH));
    } else {
      int tooLong = present - ip - 40 + 1 + r.nextInt(65535 - (present - ip - 40));
      out.add(
          mutate(
              frame,
              "IPv6 payload length " + tooLong + " > " + (present - ip - 40) + " present",
              b -> b.putShort(ip + 4, (short) tooLong),
              DropReason.BAD_IP_LENGTH));
    }
    int udpTooLong = present - udp + 1 + r.nextInt(65535 - (present - udp));
    out.add(
        ipv4(
            frame,
            "UDP length " + udpTooLong + " > " + (present - udp) + " present",
            b -> b.putShort(udp + 4, (short) udpTooLong),
            DropReason.BAD_UDP_LENGTH));
    int udpTooShort = r.nextInt(8);
    out.add(
        ipv4(
            frame,
            "UDP length " + udpTooShort + " < 8",
            b -> b.putShort(udp + 4, (short) udpTooShort),
            DropReason.BAD_UDP_LENGTH));
    return out;
  }

  private interface Edit {
    void apply(ByteBuffer b);
  }

  private static MutatedFrame mutate(
      GeneratedFrame frame, String what, Edit edit, DropReason reason) {
    ByteBuffer b = ByteBuffer.wrap(frame.bytes());
    edit.apply(b);
    return new MutatedFrame(frame, what, b.array(), MutatedFrame.Expectation.DROP, reason);
  }

  /**
   * Applies the edit and, over IPv4, recomputes the header checksum so that the edit is the only
   * fault.
   */
  private static MutatedFrame ipv4(
      GeneratedFrame frame, String what, Edit edit, DropReason reason) {
    ByteBuffer b = ByteBuffer.wrap(frame.bytes());
    edit.apply(b);
    if (frame.ipVersion() == 4) {
      int ip = frame.ipOffset();
      int ihl = (b.get(ip) & 0xF) * 4;
      if (ihl >= 20) {
        b.putShort(ip + 10, (short) 0);
        b.putShort(ip + 10, (short) VxlanFrameGenerator.checksum(b, ip, ihl, 0));
      }
    }
    return new MutatedFrame(frame, what, b.array(), MutatedFrame.Expectation.DROP, reason);
  }
}
