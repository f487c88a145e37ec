package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A path attribute kept as its bytes: one evpn-codec does not interpret (RFC 4271 §5: unrecognized optional
 * transitive attributes are passed on with the Partial bit set; unrecognized optional non-transitive ones are
 * dropped by whoever re-advertises). Immutable.
 *
 * @since 0.1
 */
public final class RawAttribute {
  private final int flags;
  private final int type;
  private final byte[] value;

  /**
   * Creates the attribute.
   *
   * @param flags the flags octet (the Extended Length bit is recomputed on writing)
   * @param type the type code, 0..255
   * @param value the value (copied), at most 65535 octets
   */
  public RawAttribute(int flags, int type, byte[] value) {
    if ((flags & ~0xFF) != 0 || (type & ~0xFF) != 0 || value.length > 0xFFFF) {
      throw new IllegalArgumentException("flags and type are one octet each, the value at most 65535 octets");
    }
    this.flags = flags & ~PathAttributes.FLAG_EXTENDED_LENGTH;
    this.type = type;
    this.value = value.clone();
  }

  /** Returns the flags (without the Extended Length bit). */
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

  /** Returns whether the Optional and Transitive bits are both set. */
  public boolean isOptionalTransitive() {
    return (flags & (PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE))
        == (PathAttributes.FLAG_OPTIONAL | PathAttributes.FLAG_TRANSITIVE);
  }

  /** Appends the whole attribute (header and value) at the writer index, with the flags as kept. */
  public void write(ByteBuf out) {
    PathAttributes.writeHeader(out, flags, type, value.length);
    out.writeBytes(value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawAttribute r && r.flags == flags && r.type == type && Arrays.equals(r.value, value);
  }

  @Override
  public int hashCode() {
    return (flags * 256 + type) * 31 + Arrays.hashCode(value);
  }

  /** Returns {@code attr <type> flags 0x<flags> <hex>}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("attr ").append(type).append(" flags 0x");
    MacAddress.appendHexOctet(sb, flags);
    sb.append(' ');
    for (byte b : value) {
      MacAddress.appendHexOctet(sb, b);
    }
    return sb.toString();
  }
}
