package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A BGP NOTIFICATION message (RFC 4271 §4.5): error code, subcode and data. Immutable.
 *
 * <pre>
 * | header (19, type 3) | error code (1) | error subcode (1) | data (variable) |
 * </pre>
 *
 * @since 0.1
 */
public final class BgpNotification {
  /** Message Header Error (RFC 4271 §6.1). */
  public static final int MESSAGE_HEADER_ERROR = 1;

  /** OPEN Message Error (RFC 4271 §6.2). */
  public static final int OPEN_MESSAGE_ERROR = 2;

  /** UPDATE Message Error (RFC 4271 §6.3, RFC 7606). */
  public static final int UPDATE_MESSAGE_ERROR = 3;

  /** Hold Timer Expired (RFC 4271 §6.5). */
  public static final int HOLD_TIMER_EXPIRED = 4;

  /** Finite State Machine Error (RFC 4271 §6.6). */
  public static final int FSM_ERROR = 5;

  /** Cease (RFC 4271 §6.7, RFC 4486). */
  public static final int CEASE = 6;

  /** Cease subcode Administrative Shutdown (RFC 4486 §4): the data may carry a message. */
  public static final int CEASE_ADMINISTRATIVE_SHUTDOWN = 2;

  /** Cease subcode Administrative Reset (RFC 4486 §4): the data may carry a message. */
  public static final int CEASE_ADMINISTRATIVE_RESET = 4;

  /** Message type code of NOTIFICATION. */
  public static final int TYPE = 3;

  /** UPDATE Message Error subcode: Malformed Attribute List (RFC 4271 §6.3). */
  public static final int MALFORMED_ATTRIBUTE_LIST = 1;

  /** UPDATE Message Error subcode: Unrecognized Well-known Attribute. */
  public static final int UNRECOGNIZED_WELL_KNOWN_ATTRIBUTE = 2;

  /** UPDATE Message Error subcode: Missing Well-known Attribute. */
  public static final int MISSING_WELL_KNOWN_ATTRIBUTE = 3;

  /** UPDATE Message Error subcode: Attribute Flags Error. */
  public static final int ATTRIBUTE_FLAGS_ERROR = 4;

  /** UPDATE Message Error subcode: Attribute Length Error. */
  public static final int ATTRIBUTE_LENGTH_ERROR = 5;

  /** UPDATE Message Error subcode: Invalid ORIGIN Attribute. */
  public static final int INVALID_ORIGIN_ATTRIBUTE = 6;

  /** UPDATE Message Error subcode: Invalid NEXT_HOP Attribute. */
  public static final int INVALID_NEXT_HOP_ATTRIBUTE = 8;

  /** UPDATE Message Error subcode: Optional Attribute Error. */
  public static final int OPTIONAL_ATTRIBUTE_ERROR = 9;

  /** UPDATE Message Error subcode: Invalid Network Field. */
  public static final int INVALID_NETWORK_FIELD = 10;

  /** UPDATE Message Error subcode: Malformed AS_PATH. */
  public static final int MALFORMED_AS_PATH = 11;

  /** OPEN Message Error subcode: Unsupported Version Number (RFC 4271 §6.2). */
  public static final int UNSUPPORTED_VERSION_NUMBER = 1;

  /** OPEN Message Error subcode: Bad Peer AS. */
  public static final int BAD_PEER_AS = 2;

  /** OPEN Message Error subcode: Bad BGP Identifier. */
  public static final int BAD_BGP_IDENTIFIER = 3;

  /** OPEN Message Error subcode: Unsupported Optional Parameter. */
  public static final int UNSUPPORTED_OPTIONAL_PARAMETER = 4;

  /** OPEN Message Error subcode: Unacceptable Hold Time. */
  public static final int UNACCEPTABLE_HOLD_TIME = 6;

  /** OPEN Message Error subcode: Unsupported Capability (RFC 5492 §5). */
  public static final int UNSUPPORTED_CAPABILITY = 7;

  private static final String[] NAMES = {
    "",
    "Message Header Error",
    "OPEN Message Error",
    "UPDATE Message Error",
    "Hold Timer Expired",
    "Finite State Machine Error",
    "Cease",
    "ROUTE-REFRESH Message Error"
  };

  private final int code;
  private final int subcode;
  private final byte[] data;

  /**
   * Creates a notification.
   *
   * @param code error code, 0..255
   * @param subcode error subcode, 0..255
   * @param data diagnostic data (copied), at most 4096 - 21 bytes
   */
  public BgpNotification(int code, int subcode, byte[] data) {
    if ((code & ~0xFF) != 0 || (subcode & ~0xFF) != 0) {
      throw new IllegalArgumentException(
          "code " + code + " / subcode " + subcode + " must fit one octet each");
    }
    if (data.length > BgpMessageFramer.MAX_LENGTH - 21) {
      throw new IllegalArgumentException(
          "NOTIFICATION data of " + data.length + " bytes is too long");
    }
    this.code = code;
    this.subcode = subcode;
    this.data = data.clone();
  }

  /**
   * The NOTIFICATION a framer's header error calls for (RFC 4271 §6.1; data: the bad length or
   * type).
   */
  public static BgpNotification of(BgpMessageFramer.HeaderError error, byte[] data) {
    return new BgpNotification(error.errorCode(), error.errorSubcode(), data);
  }

  /**
   * Reads a whole NOTIFICATION message (as a {@link BgpMessageFramer} delivers it) from the
   * readable bytes.
   *
   * @throws MalformedException if it is not a NOTIFICATION of at least 21 bytes
   */
  public static BgpNotification read(ByteBuf message) {
    int at = message.readerIndex();
    int length = message.readableBytes();
    if (length < 21 || message.getUnsignedByte(at + 18) != TYPE) {
      throw new MalformedException("not a NOTIFICATION message of at least 21 bytes", at);
    }
    byte[] data = new byte[length - 21];
    message.getBytes(at + 21, data);
    return new BgpNotification(
        message.getUnsignedByte(at + 19), message.getUnsignedByte(at + 20), data);
  }

  /**
   * A Cease Administrative Shutdown or Reset carrying the operator's shutdown communication (RFC
   * 9003 §2: a length octet, then at most 255 octets of UTF-8; a longer message is cut at a
   * character boundary).
   *
   * @param subcode {@link #CEASE_ADMINISTRATIVE_SHUTDOWN} or {@link #CEASE_ADMINISTRATIVE_RESET}
   * @throws IllegalArgumentException for another subcode
   */
  public static BgpNotification administrative(int subcode, String message) {
    if (subcode != CEASE_ADMINISTRATIVE_SHUTDOWN && subcode != CEASE_ADMINISTRATIVE_RESET) {
      throw new IllegalArgumentException(
          "subcode " + subcode + ": a shutdown communication goes with subcode 2 or 4");
    }
    byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
    int n = Math.min(utf8.length, 255);
    while (n > 0 && n < utf8.length && (utf8[n] & 0xC0) == 0x80) {
      n--; // not inside a character
    }
    byte[] data = new byte[1 + n];
    data[0] = (byte) n;
    System.arraycopy(utf8, 0, data, 1, n);
    return new BgpNotification(CEASE, subcode, data);
  }

  /**
   * Returns the shutdown communication of a Cease Administrative Shutdown or Reset (RFC 9003 §2),
   * or null when there is none: another code, no data, a length beyond the data or text that is not
   * UTF-8 (which §3 says to treat as no message, logging it is the receiver's choice).
   */
  public @Nullable String shutdownMessage() {
    if (code != CEASE
        || (subcode != CEASE_ADMINISTRATIVE_SHUTDOWN && subcode != CEASE_ADMINISTRATIVE_RESET)
        || data.length == 0) {
      return null;
    }
    int n = data[0] & 0xFF;
    if (n == 0 || n > data.length - 1) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data, 1, n))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** Appends the whole message, header included, at the writer index of {@code out}. */
  public void write(ByteBuf out) {
    BgpMessages.writeHeader(out, 21 + data.length, TYPE);
    out.writeByte(code).writeByte(subcode).writeBytes(data);
  }

  /** Returns the error code. */
  public int code() {
    return code;
  }

  /** Returns the error subcode. */
  public int subcode() {
    return subcode;
  }

  /** Returns a copy of the data. */
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BgpNotification n
        && n.code == code
        && n.subcode == subcode
        && Arrays.equals(n.data, data);
  }

  @Override
  public int hashCode() {
    return (code * 256 + subcode) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("NOTIFICATION ").append(code).append('/').append(subcode);
    if (code < NAMES.length && code > 0) {
      sb.append(" (").append(NAMES[code]).append(')');
    }
    if (data.length > 0) {
      sb.append(" data ");
      for (byte b : data) {
        MacAddress.appendHexOctet(sb, b);
      }
    }
    return sb.toString();
  }
}
