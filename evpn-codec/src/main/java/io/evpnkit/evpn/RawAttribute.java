package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A path attribute kept as its bytes: one evpn-codec does not model, either originated by this
 * speaker (for example a Tunnel Encapsulation attribute, 23, or an IPv6 Address-Specific Extended
 * Community attribute, 25, carrying RFC 9251 EVI-RT targets) or received from a peer and kept to be
 * passed on. RFC 4271 §5 decides how each is written ({@link PathAttributes#write}): an originated
 * one with its flags as given (Partial clear unless the caller set it); a received optional
 * transitive one passed on with the Partial bit set, since this speaker does not recognise it; a
 * received optional non-transitive one not at all. Every attribute kept as bytes is optional: a
 * speaker recognises every well-known attribute. Immutable.
 *
 * @since 0.1
 */
public final class RawAttribute {
  private final int flags;
  private final int type;
  private final byte[] value;
  private final boolean received;

  /**
   * Creates an attribute this speaker originates, written with these flags.
   *
   * @param flags the flags octet: Optional set; Transitive as the attribute's definition says;
   *     Partial normally clear (RFC 4271 §5: it is set by a speaker passing on an attribute it does
   *     not recognise); the Extended Length bit is recomputed on writing
   * @param type the type code, 0..255
   * @param value the value (copied), at most 65535 octets
   * @throws IllegalArgumentException if a value is out of range or the Optional bit is clear
   */
  public RawAttribute(int flags, int type, byte[] value) {
    this(flags, type, value, false);
  }

  private RawAttribute(int flags, int type, byte[] value, boolean received) {
    if ((flags & ~0xFF) != 0 || (type & ~0xFF) != 0 || value.length > 0xFFFF) {
      throw new IllegalArgumentException(
          "flags "
              + flags
              + " and type "
              + type
              + " are one octet each, the value of "
              + value.length
              + " octets at most 65535");
    }
    if ((flags & PathAttributes.FLAG_OPTIONAL) == 0) {
      throw new IllegalArgumentException(
          "attribute "
              + type
              + " with flags 0x"
              + Integer.toHexString(flags)
              + ": an attribute kept as bytes is optional (every speaker recognises the well-known ones, RFC 4271 §5)");
    }
    this.flags = flags & ~PathAttributes.FLAG_EXTENDED_LENGTH;
    this.type = type;
    this.value = value.clone();
    this.received = received;
  }

  /**
   * Returns an attribute received from a peer, with the flags it had there, to be passed on as RFC
   * 4271 §5 says (with the Partial bit if transitive, not at all if not). {@link
   * UpdateDecoder#attributes()} keeps unknown attributes this way.
   *
   * @throws IllegalArgumentException if a value is out of range or the Optional bit is clear
   */
  public static RawAttribute received(int flags, int type, byte[] value) {
    return new RawAttribute(flags, type, value, true);
  }

  /** Returns the flags (without the Extended Length bit), as given or as received. */
  public int flags() {
    return flags;
  }

  /** Returns the type code. */
  public int type() {
    return type;
  }

  /** Returns a copy of the value. */
  public byte[] value() {
    return value.clone();
  }

  /** Returns the value's length in octets. */
  public int length() {
    return value.length;
  }

  /** Returns whether this attribute was received from a peer (else this speaker originates it). */
  public boolean isReceived() {
    return received;
  }

  /** Returns whether the Optional and Transitive bits are both set. */
  public boolean isOptionalTransitive() {
    return (flags & (PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE))
        == (PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE);
  }

  /**
   * Returns whether an UPDATE of this speaker carries it: originated, or received and transitive.
   */
  public boolean isPassedOn() {
    return !received || isOptionalTransitive();
  }

  /**
   * Returns the flags an UPDATE of this speaker writes: received transitive attributes gain the
   * Partial bit.
   */
  public int flagsOnWire() {
    return received ? flags | PathAttributes.FLAG_PARTIAL : flags;
  }

  /** Appends the whole attribute (header and value) at the writer index, with the flags as kept. */
  public void write(ByteBuf out) {
    write(out, flags);
  }

  /**
   * Appends the attribute as an UPDATE of this speaker carries it (see the class comment), or
   * nothing.
   */
  void writeTo(ByteBuf out) {
    if (isPassedOn()) {
      write(out, flagsOnWire());
    }
  }

  private void write(ByteBuf out, int withFlags) {
    PathAttributes.writeHeader(out, withFlags, type, value.length);
    out.writeBytes(value);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RawAttribute r
        && r.flags == flags
        && r.type == type
        && r.received == received
        && Arrays.equals(r.value, value);
  }

  @Override
  public int hashCode() {
    return ((flags * 256 + type) * 31 + Arrays.hashCode(value)) * 2 + (received ? 1 : 0);
  }

  /**
   * Returns {@code attr <type> flags 0x<flags> <hex>}, with {@code received} after the flags for a
   * received one.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("attr ").append(type).append(" flags 0x");
    MacAddress.appendHexOctet(sb, flags);
    sb.append(received ? " received " : " ");
    for (byte b : value) {
      MacAddress.appendHexOctet(sb, b);
    }
    return sb.toString();
  }
}
