package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import java.util.List;

/**
 * A BGP capability advertised in OPEN (RFC 5492): code, length, value. The ones an EVPN speaker
 * negotiates are typed; any other is kept as {@link Unknown} and re-encoded byte for byte.
 *
 * @since 0.1
 */
public sealed interface Capability {
  /** Code of Multiprotocol Extensions (RFC 4760 §8). */
  int MULTIPROTOCOL = 1;

  /** Code of Route Refresh (RFC 2918). */
  int ROUTE_REFRESH = 2;

  /** Code of Extended Message (RFC 8654). */
  int EXTENDED_MESSAGE = 6;

  /** Code of Graceful Restart (RFC 4724). */
  int GRACEFUL_RESTART = 64;

  /** Code of 4-octet AS number (RFC 6793). */
  int FOUR_OCTET_AS = 65;

  /** Code of ADD-PATH (RFC 7911). */
  int ADD_PATH = 69;

  /** Capability code of Enhanced Route Refresh (RFC 7313 §3). */
  int ENHANCED_ROUTE_REFRESH = 70;

  /** Returns the capability code. */
  int code();

  /** Returns the value length. */
  int length();

  /** Appends the value (without code and length). */
  void writeValue(ByteBuf out);

  /**
   * Multiprotocol Extensions: one AFI/SAFI the speaker supports (RFC 4760 §8).
   *
   * @param afi the address family
   * @param safi the subsequent address family
   */
  record Multiprotocol(int afi, int safi) implements Capability {
    /** L2VPN/EVPN (AFI 25, SAFI 70). */
    public static final Multiprotocol L2VPN_EVPN =
        new Multiprotocol(BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN);

    /** Checks the ranges. */
    public Multiprotocol {
      if ((afi & ~0xFFFF) != 0 || (safi & ~0xFF) != 0) {
        throw new IllegalArgumentException("AFI " + afi + " / SAFI " + safi + " out of range");
      }
    }

    @Override
    public int code() {
      return MULTIPROTOCOL;
    }

    @Override
    public int length() {
      return 4;
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeShort(afi).writeByte(0).writeByte(safi);
    }
  }

  /** Route Refresh (RFC 2918), no value. */
  record RouteRefresh() implements Capability {
    @Override
    public int code() {
      return ROUTE_REFRESH;
    }

    @Override
    public int length() {
      return 0;
    }

    @Override
    public void writeValue(ByteBuf out) {}
  }

  /** Enhanced Route Refresh (RFC 7313 §3), no value: refreshes are framed by BoRR and EoRR. */
  record EnhancedRouteRefresh() implements Capability {
    @Override
    public int code() {
      return ENHANCED_ROUTE_REFRESH;
    }

    @Override
    public int length() {
      return 0;
    }

    @Override
    public void writeValue(ByteBuf out) {}
  }

  /** Extended Message (RFC 8654), no value. */
  record ExtendedMessage() implements Capability {
    @Override
    public int code() {
      return EXTENDED_MESSAGE;
    }

    @Override
    public int length() {
      return 0;
    }

    @Override
    public void writeValue(ByteBuf out) {}
  }

  /**
   * 4-octet AS number support, with the speaker's AS (RFC 6793 §3).
   *
   * @param as the AS number, 1..2^32-1
   */
  record FourOctetAs(long as) implements Capability {
    /** Checks the range. */
    public FourOctetAs {
      if (as < 0 || as > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("AS " + as + " is not 0..4294967295");
      }
    }

    @Override
    public int code() {
      return FOUR_OCTET_AS;
    }

    @Override
    public int length() {
      return 4;
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeInt((int) as);
    }
  }

  /**
   * One AFI/SAFI of ADD-PATH (RFC 7911 §4).
   *
   * @param afi the address family
   * @param safi the subsequent address family
   * @param sendReceive 1 receive, 2 send, 3 both
   */
  record AddPathFamily(int afi, int safi, int sendReceive) {
    /** Receive. */
    public static final int RECEIVE = 1;

    /** Send. */
    public static final int SEND = 2;

    /** Send and receive. */
    public static final int BOTH = 3;
  }

  /**
   * ADD-PATH (RFC 7911 §4): per AFI/SAFI, whether the speaker can send and/or receive several
   * paths.
   *
   * @param families the AFI/SAFIs
   */
  record AddPath(List<AddPathFamily> families) implements Capability {
    /** Copies the list. */
    public AddPath {
      families = List.copyOf(families);
    }

    /** Returns the send/receive value for an AFI/SAFI, 0 if absent. */
    public int mode(int afi, int safi) {
      for (AddPathFamily f : families) {
        if (f.afi() == afi && f.safi() == safi) {
          return f.sendReceive();
        }
      }
      return 0;
    }

    @Override
    public int code() {
      return ADD_PATH;
    }

    @Override
    public int length() {
      return families.size() * 4;
    }

    @Override
    public void writeValue(ByteBuf out) {
      for (AddPathFamily f : families) {
        out.writeShort(f.afi()).writeByte(f.safi()).writeByte(f.sendReceive());
      }
    }
  }

  /**
   * One AFI/SAFI of Graceful Restart (RFC 4724 §3).
   *
   * @param afi the address family
   * @param safi the subsequent address family
   * @param forwardingPreserved the F bit: forwarding state was preserved across the restart
   */
  record GracefulRestartFamily(int afi, int safi, boolean forwardingPreserved) {}

  /**
   * Graceful Restart (RFC 4724 §3; the N bit of RFC 8538).
   *
   * @param flags the four restart flags (0x8 Restart State, 0x4 Notification)
   * @param restartTime seconds, 0..4095
   * @param families the AFI/SAFIs whose state is preserved
   */
  record GracefulRestart(int flags, int restartTime, List<GracefulRestartFamily> families)
      implements Capability {
    /** Checks the ranges and copies the list. */
    public GracefulRestart {
      if ((flags & ~0xF) != 0 || (restartTime & ~0xFFF) != 0) {
        throw new IllegalArgumentException("flags are 4 bits and the restart time 0..4095");
      }
      families = List.copyOf(families);
    }

    @Override
    public int code() {
      return GRACEFUL_RESTART;
    }

    @Override
    public int length() {
      return 2 + families.size() * 4;
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeShort(flags << 12 | restartTime);
      for (GracefulRestartFamily f : families) {
        out.writeShort(f.afi()).writeByte(f.safi()).writeByte(f.forwardingPreserved() ? 0x80 : 0);
      }
    }
  }

  /** A capability kept as its bytes. */
  final class Unknown implements Capability {
    private final int code;
    private final byte[] value;

    /**
     * Creates it.
     *
     * @param code the code, 0..255
     * @param value the value (copied), at most 255 octets
     */
    public Unknown(int code, byte[] value) {
      if ((code & ~0xFF) != 0 || value.length > 255) {
        throw new IllegalArgumentException("code is one octet and the value at most 255 octets");
      }
      this.code = code;
      this.value = value.clone();
    }

    @Override
    public int code() {
      return code;
    }

    @Override
    public int length() {
      return value.length;
    }

    /** Returns a copy of the value. */
    public byte[] value() {
      return value.clone();
    }

    @Override
    public void writeValue(ByteBuf out) {
      out.writeBytes(value);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Unknown u && u.code == code && Arrays.equals(u.value, value);
    }

    @Override
    public int hashCode() {
      return code * 31 + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder("Unknown[code=").append(code).append(", value=");
      for (byte b : value) {
        MacAddress.appendHexOctet(sb, b);
      }
      return sb.append(']').toString();
    }
  }
}
