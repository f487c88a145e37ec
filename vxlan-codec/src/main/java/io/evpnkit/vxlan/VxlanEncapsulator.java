package io.evpnkit.vxlan;

import io.netty.buffer.ByteBuf;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Encapsulates inner frames in VXLAN in place: the outer headers of a {@link VxlanTunnel} are
 * written into the headroom in front of the frame (the bytes before its reader index), so nothing
 * is copied and nothing is allocated (RFC 7348 §5).
 *
 * <p>Per packet it sets: the outer DSCP (fixed or inherited) and ECN (RFC 6040 §4.1), the IPv4
 * total length, identification (0 when DF is set, RFC 6864 §4.1; a counter otherwise) and header
 * checksum, or the IPv6 payload length and flow label (RFC 6438); the UDP source port from the
 * inner flow hash ({@link FlowKey}, RFC 7348 §5), the UDP length, and the UDP checksum (zero over
 * IPv4, RFC 7348 §5; computed over IPv6 unless the tunnel allows zero, RFC 6935/6936); the VNI.
 *
 * <p><b>Headroom.</b> {@link #encapsulate} needs {@link VxlanTunnel#headerLength()} bytes before
 * the reader index (50 for IPv4, 70 for IPv6, 4 more with an outer VLAN tag). Allocate frames with
 * that headroom (write the inner frame at that index). Without it the method returns {@code false}
 * and leaves the buffer untouched; the documented fallback is {@link #encapsulateTo}, an explicit
 * copy into a buffer the caller provides. Nothing here copies silently.
 *
 * <p><b>Ownership.</b> The frame buffer stays the caller's: no retain, no release.
 *
 * <p>Not thread-safe: use one encapsulator per thread (it holds a reusable {@link FlowKey} and
 * counters).
 *
 * @since 0.1
 */
public final class VxlanEncapsulator {
  private static final VarHandle INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle SHORT =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

  private final FlowKey flow = new FlowKey();
  private final byte[] scratch = new byte[VxlanTunnel.MAX_HEADER_LENGTH];
  private int identification;
  private long packets;
  private long headroomFailures;

  /** Creates an encapsulator. */
  public VxlanEncapsulator() {}

  /**
   * Encapsulates the readable bytes of {@code frame} (the inner frame) toward {@code tunnel} with
   * {@code vni}. On success the reader index moves back to the start of the outer Ethernet header,
   * so the readable bytes are the whole VXLAN packet; the writer index is unchanged.
   *
   * @param frame the inner frame between reader and writer index, with headroom before it
   * @param tunnel the outer headers
   * @param vni the VXLAN Network Identifier, 0..16777215
   * @return {@code true} if encapsulated; {@code false} (buffer untouched) if the headroom is too
   *     small
   * @throws IllegalArgumentException if {@code vni} is out of range
   */
  public boolean encapsulate(ByteBuf frame, VxlanTunnel tunnel, int vni) {
    VxlanHeader.checkVni(vni);
    int inner = frame.readerIndex();
    int start = inner - tunnel.headerLength();
    if (start < 0) {
      headroomFailures++;
      return false;
    }
    writeHeaders(frame, start, inner, frame.readableBytes(), tunnel, vni);
    frame.readerIndex(start);
    return true;
  }

  /**
   * The fallback for frames without headroom: writes the outer headers and then a copy of the
   * readable bytes of {@code frame} to {@code out} at its writer index (advancing it). {@code
   * frame}'s indexes are not changed. Both buffers stay the caller's.
   *
   * @throws IllegalArgumentException if {@code vni} is out of range
   */
  public void encapsulateTo(ByteBuf frame, VxlanTunnel tunnel, int vni, ByteBuf out) {
    VxlanHeader.checkVni(vni);
    int length = frame.readableBytes();
    int start = out.writerIndex();
    out.ensureWritable(tunnel.headerLength() + length);
    out.setBytes(start + tunnel.headerLength(), frame, frame.readerIndex(), length);
    writeHeaders(out, start, start + tunnel.headerLength(), length, tunnel, vni);
    out.writerIndex(start + tunnel.headerLength() + length);
  }

  private void writeHeaders(
      ByteBuf buf, int start, int inner, int length, VxlanTunnel tunnel, int vni) {
    if (tunnel.payloadProtocol() == VxlanHeader.GPE_NEXT_ETHERNET) {
      flow.wrap(buf, inner, length);
    } else {
      flow.wrapIp(buf, inner, length);
    }
    int hash = flow.hash();
    // the headers are assembled in a reusable array and written with one buffer access
    byte[] h = scratch;
    int headerLength = tunnel.headerLength();
    System.arraycopy(tunnel.template(), 0, h, 0, headerLength);
    int ip = tunnel.ipOffset();
    int udp = tunnel.udpOffset();
    int udpLength = VxlanTunnel.UDP_LENGTH + VxlanHeader.LENGTH + length;
    int innerTc = flow.trafficClass();
    int dscp =
        tunnel.dscp() == VxlanTunnel.INHERIT_DSCP
            ? (innerTc < 0 ? 0 : innerTc >>> 2)
            : tunnel.dscp();
    int ecn = tunnel.ecnMode() == EcnMode.NORMAL && innerTc >= 0 ? innerTc & 3 : 0;
    int trafficClass = (dscp << 2) | ecn;
    int sourcePort = FlowKey.sourcePort(hash, tunnel.sourcePortMin(), tunnel.sourcePortMax());
    SHORT.set(h, udp, (short) sourcePort);
    SHORT.set(h, udp + 4, (short) udpLength);
    int vniAt = tunnel.vxlanOffset() + VxlanHeader.VNI_OFFSET;
    INT.set(h, vniAt, (vni << 8) | (h[vniAt + 3] & 0xFF));
    if (!tunnel.isIpv6()) {
      int totalLength = VxlanTunnel.IPV4_LENGTH + udpLength;
      int id = tunnel.dontFragment() ? 0 : (identification++ & 0xFFFF);
      long sum = InternetChecksum.add(tunnel.ipv4TemplateSum(), trafficClass + totalLength + id);
      h[ip + 1] = (byte) trafficClass;
      SHORT.set(h, ip + 2, (short) totalLength);
      SHORT.set(h, ip + 4, (short) id);
      SHORT.set(h, ip + 10, (short) InternetChecksum.finish(sum));
    } else {
      int label = tunnel.ipv6FlowLabel() ? hash & 0xF_FFFF : 0;
      INT.set(h, ip, (6 << 28) | (trafficClass << 20) | label);
      SHORT.set(h, ip + 4, (short) udpLength);
      if (!tunnel.ipv6ZeroChecksum()) {
        long sum = InternetChecksum.add(tunnel.ipv6PseudoSum(), udpLength);
        sum = InternetChecksum.sum(h, udp, VxlanTunnel.UDP_LENGTH + VxlanHeader.LENGTH, sum);
        sum = InternetChecksum.sum(buf, inner, length, sum);
        int checksum = InternetChecksum.finish(sum);
        SHORT.set(h, udp + 6, (short) (checksum == 0 ? 0xFFFF : checksum));
      }
    }
    buf.setBytes(start, h, 0, headerLength);
    packets++;
  }

  /** Returns the number of packets encapsulated. */
  public long packets() {
    return packets;
  }

  /** Returns the number of calls to {@link #encapsulate} refused for lack of headroom. */
  public long headroomFailures() {
    return headroomFailures;
  }
}
