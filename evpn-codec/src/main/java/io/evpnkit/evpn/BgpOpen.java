package io.evpnkit.evpn;

import static io.evpnkit.evpn.BgpNotification.BAD_BGP_IDENTIFIER;
import static io.evpnkit.evpn.BgpNotification.BAD_PEER_AS;
import static io.evpnkit.evpn.BgpNotification.OPEN_MESSAGE_ERROR;
import static io.evpnkit.evpn.BgpNotification.UNACCEPTABLE_HOLD_TIME;
import static io.evpnkit.evpn.BgpNotification.UNSUPPORTED_OPTIONAL_PARAMETER;
import static io.evpnkit.evpn.BgpNotification.UNSUPPORTED_VERSION_NUMBER;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A BGP OPEN message (RFC 4271 §4.2) with its capabilities (RFC 5492), immutable:
 *
 * <pre>
 * | header (19, type 1) | version (1) = 4 | My AS (2) | Hold Time (2) | BGP Identifier (4) |
 * | Opt Parm Len (1) | optional parameters: type (1) = 2 capabilities | length (1) | capability TLVs |
 * </pre>
 *
 * With more than 255 octets of parameters, the extended form of RFC 9072 is written and read (Opt
 * Parm Len 255, parameter type 255, a two-octet length, two-octet parameter lengths). A 4-octet AS
 * travels in its capability with AS_TRANS in My AS (RFC 6793 §4.1); {@link #as()} gives the real
 * one.
 *
 * @since 0.1
 */
public final class BgpOpen {
  /** Message type code of OPEN. */
  public static final int TYPE = 1;

  private static final int CAPABILITIES = 2;
  private static final int MIN_LENGTH = 29;

  private final long as;
  private final int holdTime;
  private final int bgpIdentifier;
  private final List<Capability> capabilities;

  /**
   * Creates an OPEN.
   *
   * @param as the speaker's AS, 1..2^32-1 (a 4-octet AS capability is expected among the
   *     capabilities when it exceeds 65535)
   * @param holdTime 0 or 3..65535 seconds
   * @param bgpIdentifier the BGP identifier, non-zero (RFC 6286)
   * @param capabilities the capabilities, in the order to send
   */
  public BgpOpen(
      long as, int holdTime, int bgpIdentifier, List<? extends Capability> capabilities) {
    if (as <= 0 || as > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("AS " + as + " is not 1..4294967295");
    }
    if (holdTime < 0 || holdTime > 0xFFFF || holdTime == 1 || holdTime == 2) {
      throw new IllegalArgumentException("hold time " + holdTime + " is not 0 or 3..65535");
    }
    if (bgpIdentifier == 0) {
      throw new IllegalArgumentException("BGP identifier must not be 0");
    }
    this.as = as;
    this.holdTime = holdTime;
    this.bgpIdentifier = bgpIdentifier;
    this.capabilities = List.copyOf(capabilities);
  }

  /**
   * An OPEN an EVPN speaker typically sends: multiprotocol L2VPN/EVPN, route refresh, 4-octet AS
   * with {@code as}.
   */
  public static BgpOpen evpn(long as, int holdTime, int bgpIdentifier) {
    return new BgpOpen(
        as,
        holdTime,
        bgpIdentifier,
        List.of(
            Capability.Multiprotocol.L2VPN_EVPN,
            new Capability.RouteRefresh(),
            new Capability.FourOctetAs(as)));
  }

  /** Returns the speaker's AS: from the 4-octet AS capability if present, else My AS. */
  public long as() {
    return as;
  }

  /** Returns the hold time in seconds. */
  public int holdTime() {
    return holdTime;
  }

  /** Returns the BGP identifier. */
  public int bgpIdentifier() {
    return bgpIdentifier;
  }

  /** Returns the capabilities in wire order. */
  public List<Capability> capabilities() {
    return capabilities;
  }

  /** Returns whether a capability of {@code code} is present. */
  public boolean has(int code) {
    for (Capability c : capabilities) {
      if (c.code() == code) {
        return true;
      }
    }
    return false;
  }

  /** Returns whether the multiprotocol capability for an AFI/SAFI is present. */
  public boolean supports(int afi, int safi) {
    return capabilities.contains(new Capability.Multiprotocol(afi, safi));
  }

  /**
   * Returns the ADD-PATH send/receive value for an AFI/SAFI (1 receive, 2 send, 3 both), 0 if none.
   */
  public int addPathMode(int afi, int safi) {
    for (Capability c : capabilities) {
      if (c instanceof Capability.AddPath a) {
        return a.mode(afi, safi);
      }
    }
    return 0;
  }

  /**
   * Returns the options for reading what the peer sends on a session opened with these two
   * messages: 4-octet AS and extended messages when both announced them, ADD-PATH for L2VPN/EVPN
   * when we can receive and the peer can send (RFC 7911 §4), internal when the ASes are equal.
   */
  public static SessionOptions receiving(BgpOpen local, BgpOpen remote) {
    return negotiate(
        local, remote, Capability.AddPathFamily.RECEIVE, Capability.AddPathFamily.SEND);
  }

  /**
   * Returns the options for writing to the peer: like {@link #receiving} with ADD-PATH the other
   * way round.
   */
  public static SessionOptions sending(BgpOpen local, BgpOpen remote) {
    return negotiate(
        local, remote, Capability.AddPathFamily.SEND, Capability.AddPathFamily.RECEIVE);
  }

  private static SessionOptions negotiate(
      BgpOpen local, BgpOpen remote, int localBit, int remoteBit) {
    int afi = BgpMessages.AFI_L2VPN;
    int safi = BgpMessages.SAFI_EVPN;
    boolean addPath =
        (local.addPathMode(afi, safi) & localBit) != 0
            && (remote.addPathMode(afi, safi) & remoteBit) != 0;
    return new SessionOptions(
        local.has(Capability.FOUR_OCTET_AS) && remote.has(Capability.FOUR_OCTET_AS),
        addPath,
        local.has(Capability.EXTENDED_MESSAGE) && remote.has(Capability.EXTENDED_MESSAGE),
        local.as == remote.as);
  }

  /** Appends the whole message, header included, at the writer index of {@code out}. */
  public void write(ByteBuf out) {
    int parameters = 0;
    for (Capability c : capabilities) {
      parameters += 2 + c.length();
    }
    boolean extended = parameters + 2 > 255;
    int optionalLength = capabilities.isEmpty() ? 0 : (extended ? 6 + parameters : 2 + parameters);
    int length = MIN_LENGTH + optionalLength;
    BgpMessages.writeHeader(out, length, TYPE);
    out.ensureWritable(length - 19);
    out.writeByte(4)
        .writeShort(as > 0xFFFF ? AsPath.AS_TRANS : (int) as)
        .writeShort(holdTime)
        .writeInt(bgpIdentifier);
    if (capabilities.isEmpty()) {
      out.writeByte(0);
      return;
    }
    if (extended) {
      // RFC 9072 §2: Non-Ext OP Len 255, Non-Ext OP Type 255, Extended Opt. Parm. Length, then
      // two-octet lengths.
      out.writeByte(255).writeByte(255).writeShort(3 + parameters);
      out.writeByte(CAPABILITIES).writeShort(parameters);
    } else {
      out.writeByte(2 + parameters).writeByte(CAPABILITIES).writeByte(parameters);
    }
    for (Capability c : capabilities) {
      out.writeByte(c.code()).writeByte(c.length());
      c.writeValue(out);
    }
  }

  /**
   * Reads a whole OPEN message (as {@link BgpMessageFramer} delivers it) from the readable bytes,
   * with the checks of RFC 4271 §6.2: version 4, a non-zero AS (RFC 7607), hold time 0 or at least
   * 3, a non-zero BGP identifier, optional parameters of type 2 only, lengths that add up.
   *
   * @throws BgpProtocolException with the NOTIFICATION to send
   */
  public static BgpOpen read(ByteBuf message) {
    int base = message.readerIndex();
    int end = base + message.readableBytes();
    if (end - base < MIN_LENGTH
        || message.getUnsignedByte(base + 18) != TYPE
        || message.getUnsignedShort(base + 16) != end - base) {
      throw error(
          BgpNotification.MESSAGE_HEADER_ERROR,
          2,
          16,
          "not an OPEN of at least 29 bytes with a matching length",
          new byte[0]);
    }
    int version = message.getUnsignedByte(base + 19);
    if (version != 4) {
      throw error(
          OPEN_MESSAGE_ERROR,
          UNSUPPORTED_VERSION_NUMBER,
          19,
          "BGP version " + version + " is not 4",
          new byte[] {0, 4});
    }
    long as = message.getUnsignedShort(base + 20);
    int holdTime = message.getUnsignedShort(base + 22);
    if (holdTime == 1 || holdTime == 2) {
      throw error(
          OPEN_MESSAGE_ERROR,
          UNACCEPTABLE_HOLD_TIME,
          22,
          "hold time " + holdTime + " is not 0 or 3..65535",
          new byte[0]);
    }
    int identifier = message.getInt(base + 24);
    if (identifier == 0) {
      throw error(
          OPEN_MESSAGE_ERROR, BAD_BGP_IDENTIFIER, 24, "BGP identifier 0.0.0.0", new byte[0]);
    }
    int at = base + 28;
    int parameterLength = message.getUnsignedByte(at);
    boolean extended =
        parameterLength == 255 && at + 1 < end && message.getUnsignedByte(at + 1) == 255;
    int parameters;
    if (extended) {
      if (at + 4 > end) {
        throw error(
            OPEN_MESSAGE_ERROR,
            0,
            28,
            "extended optional parameters length cut short",
            new byte[0]);
      }
      parameterLength = message.getUnsignedShort(at + 2);
      parameters = at + 4;
    } else {
      parameters = at + 1;
    }
    if (parameters + parameterLength != end) {
      throw error(
          OPEN_MESSAGE_ERROR,
          0,
          28,
          "optional parameters length "
              + parameterLength
              + " does not match the "
              + (end - parameters)
              + " bytes that follow",
          new byte[0]);
    }
    List<Capability> capabilities = new ArrayList<>();
    int header = extended ? 3 : 2;
    for (int p = parameters; p < end; ) {
      if (end - p < header) {
        throw error(
            OPEN_MESSAGE_ERROR, 0, p - base, "optional parameter header cut short", new byte[0]);
      }
      int type = message.getUnsignedByte(p);
      int length = extended ? message.getUnsignedShort(p + 1) : message.getUnsignedByte(p + 1);
      int value = p + header;
      if (value + length > end) {
        throw error(
            OPEN_MESSAGE_ERROR,
            0,
            p + 1 - base,
            "optional parameter of " + length + " bytes runs past the message",
            new byte[0]);
      }
      if (type != CAPABILITIES) {
        throw error(
            OPEN_MESSAGE_ERROR,
            UNSUPPORTED_OPTIONAL_PARAMETER,
            p - base,
            "optional parameter type " + type + " is not 2 (capabilities)",
            new byte[0]);
      }
      readCapabilities(message, base, value, value + length, capabilities);
      p = value + length;
    }
    for (Capability c : capabilities) {
      if (c instanceof Capability.FourOctetAs f) {
        as = f.as();
      }
    }
    if (as == 0) {
      throw error(OPEN_MESSAGE_ERROR, BAD_PEER_AS, 20, "AS 0 (RFC 7607)", new byte[0]);
    }
    return new BgpOpen(as, holdTime, identifier, capabilities);
  }

  private static void readCapabilities(
      ByteBuf m, int base, int from, int to, List<Capability> out) {
    for (int c = from; c < to; ) {
      if (to - c < 2) {
        throw error(OPEN_MESSAGE_ERROR, 0, c - base, "capability header cut short", new byte[0]);
      }
      int code = m.getUnsignedByte(c);
      int length = m.getUnsignedByte(c + 1);
      int v = c + 2;
      if (v + length > to) {
        throw error(
            OPEN_MESSAGE_ERROR,
            0,
            c + 1 - base,
            "capability " + code + " of " + length + " bytes runs past its parameter",
            new byte[0]);
      }
      @Nullable Capability parsed =
          switch (code) {
            case Capability.MULTIPROTOCOL ->
                length == 4
                    ? new Capability.Multiprotocol(m.getUnsignedShort(v), m.getUnsignedByte(v + 3))
                    : null;
            case Capability.ROUTE_REFRESH -> length == 0 ? new Capability.RouteRefresh() : null;
            case Capability.ENHANCED_ROUTE_REFRESH ->
                length == 0 ? new Capability.EnhancedRouteRefresh() : null;
            case Capability.EXTENDED_MESSAGE ->
                length == 0 ? new Capability.ExtendedMessage() : null;
            case Capability.FOUR_OCTET_AS ->
                length == 4 ? new Capability.FourOctetAs(m.getUnsignedInt(v)) : null;
            case Capability.ADD_PATH -> length % 4 == 0 ? addPath(m, v, length) : null;
            case Capability.GRACEFUL_RESTART ->
                length >= 2 && length % 4 == 2 ? gracefulRestart(m, v, length) : null;
            default -> {
              byte[] value = new byte[length];
              m.getBytes(v, value);
              yield new Capability.Unknown(code, value);
            }
          };
      if (parsed == null) {
        throw error(
            OPEN_MESSAGE_ERROR,
            0,
            c + 1 - base,
            "capability " + code + " of " + length + " bytes: wrong length for its kind",
            new byte[0]);
      }
      if (parsed instanceof Capability.FourOctetAs f && f.as() == 0) {
        throw error(
            OPEN_MESSAGE_ERROR,
            BAD_PEER_AS,
            v - base,
            "AS 0 in the 4-octet AS capability (RFC 7607)",
            new byte[0]);
      }
      out.add(parsed);
      c = v + length;
    }
  }

  private static Capability addPath(ByteBuf m, int v, int length) {
    List<Capability.AddPathFamily> families = new ArrayList<>();
    for (int i = v; i < v + length; i += 4) {
      families.add(
          new Capability.AddPathFamily(
              m.getUnsignedShort(i), m.getUnsignedByte(i + 2), m.getUnsignedByte(i + 3)));
    }
    return new Capability.AddPath(families);
  }

  private static Capability gracefulRestart(ByteBuf m, int v, int length) {
    int head = m.getUnsignedShort(v);
    List<Capability.GracefulRestartFamily> families = new ArrayList<>();
    for (int i = v + 2; i < v + length; i += 4) {
      families.add(
          new Capability.GracefulRestartFamily(
              m.getUnsignedShort(i),
              m.getUnsignedByte(i + 2),
              (m.getUnsignedByte(i + 3) & 0x80) != 0));
    }
    return new Capability.GracefulRestart(head >>> 12, head & 0xFFF, families);
  }

  private static BgpProtocolException error(
      int code, int subcode, int offset, String reason, byte[] data) {
    return new BgpProtocolException(new BgpNotification(code, subcode, data), offset, reason);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BgpOpen b
        && b.as == as
        && b.holdTime == holdTime
        && b.bgpIdentifier == bgpIdentifier
        && b.capabilities.equals(capabilities);
  }

  @Override
  public int hashCode() {
    return ((Long.hashCode(as) * 31 + holdTime) * 31 + bgpIdentifier) * 31
        + capabilities.hashCode();
  }

  @Override
  public String toString() {
    return "OPEN as "
        + as
        + " hold "
        + holdTime
        + " id "
        + IpAddress.ofIpv4(bgpIdentifier)
        + " "
        + capabilities;
  }
}
