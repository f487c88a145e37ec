package io.evpnkit.evpn;

import io.netty.buffer.ByteBuf;
import java.util.Arrays;

/**
 * A route of a type this library does not decode into fields: kept as its type code and value bytes
 * and re-encoded byte for byte. Text form: {@code <type>:hex:<value in hex>}.
 *
 * @since 0.1
 */
public final class OpaqueRoute implements EvpnRoute {
  private final RouteType type;
  private final byte[] value;

  /**
   * Creates the route.
   *
   * @param type the route type
   * @param value the value bytes (copied), at most 255
   */
  public OpaqueRoute(RouteType type, byte[] value) {
    if (value.length > 255) {
      throw new IllegalArgumentException("NLRI value of " + value.length + " bytes exceeds 255");
    }
    this.type = type;
    this.value = value.clone();
  }

  /** Returns a copy of the value bytes. */
  public byte[] value() {
    return value.clone();
  }

  @Override
  public RouteType routeType() {
    return type;
  }

  @Override
  public int valueLength() {
    return value.length;
  }

  @Override
  public void writeValue(ByteBuf buf, int index) {
    buf.setBytes(index, value);
  }

  @Override
  public StringBuilder appendJunos(StringBuilder sb) {
    sb.append(type.code()).append(":hex:");
    for (byte b : value) {
      MacAddress.appendHexOctet(sb, b);
    }
    return sb;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OpaqueRoute other
        && other.type == type
        && Arrays.equals(other.value, value);
  }

  @Override
  public int hashCode() {
    return type.code() * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return appendJunos(new StringBuilder()).toString();
  }
}
