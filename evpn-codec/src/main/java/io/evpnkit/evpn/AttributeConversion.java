package io.evpnkit.evpn;

/**
 * Turns the usable attributes of a decoded UPDATE into an immutable {@link PathAttributes}: the
 * modelled ones typed, the others kept as {@link RawAttribute#received} values; on 2-octet AS
 * sessions AS_PATH is merged with AS4_PATH and AGGREGATOR with AS4_AGGREGATOR (RFC 6793 §4.2.3).
 * Discarded and malformed attributes are left out.
 */
final class AttributeConversion {
  private AttributeConversion() {}

  static PathAttributes convert(UpdateFrame f, SessionOptions options) {
    PathAttributes.Builder b = PathAttributes.builder();
    int asSize = options.fourOctetAs() ? 4 : 2;
    if (f.origin() >= 0) {
      b.origin(f.origin());
    }
    if (f.usable(PathAttributes.AS_PATH)) {
      AsPath path =
          AsPath.read(
              f.buf,
              f.valueAt[PathAttributes.AS_PATH],
              f.valueLength[PathAttributes.AS_PATH],
              asSize);
      if (asSize == 2 && f.usable(PathAttributes.AS4_PATH)) {
        path =
            AsPath.merge(
                path,
                AsPath.read(
                    f.buf,
                    f.valueAt[PathAttributes.AS4_PATH],
                    f.valueLength[PathAttributes.AS4_PATH],
                    4));
      }
      b.asPath(path);
    }
    b.nextHopAsReceived(f.nextHop(), f.linkLocalNextHop());
    b.med(f.med());
    b.localPref(f.localPref());
    b.atomicAggregate(f.usable(PathAttributes.ATOMIC_AGGREGATE));
    if (f.usable(PathAttributes.AGGREGATOR)) {
      int v = f.valueAt[PathAttributes.AGGREGATOR];
      long as = asSize == 4 ? f.buf.getUnsignedInt(v) : f.buf.getUnsignedShort(v);
      int address = f.buf.getInt(v + asSize);
      if (as == AsPath.AS_TRANS && f.usable(PathAttributes.AS4_AGGREGATOR)) {
        int v4 = f.valueAt[PathAttributes.AS4_AGGREGATOR];
        as = f.buf.getUnsignedInt(v4);
        address = f.buf.getInt(v4 + 4);
      }
      b.aggregator(as, address);
    }
    if (f.usable(PathAttributes.COMMUNITIES)) {
      for (int i = 0, v = f.valueAt[PathAttributes.COMMUNITIES];
          i < f.valueLength[PathAttributes.COMMUNITIES] / 4;
          i++) {
        b.addCommunity(f.buf.getInt(v + i * 4));
      }
    }
    if (f.usable(PathAttributes.ORIGINATOR_ID)) {
      b.originatorId(f.buf.getUnsignedInt(f.valueAt[PathAttributes.ORIGINATOR_ID]));
    }
    if (f.usable(PathAttributes.CLUSTER_LIST)) {
      for (int i = 0, v = f.valueAt[PathAttributes.CLUSTER_LIST];
          i < f.valueLength[PathAttributes.CLUSTER_LIST] / 4;
          i++) {
        b.addClusterId(f.buf.getInt(v + i * 4));
      }
    }
    int extended = f.extendedCommunityCount();
    for (int i = 0, v = f.valueAt[PathAttributes.EXTENDED_COMMUNITIES]; i < extended; i++) {
      b.addExtendedCommunity(f.buf.getLong(v + i * 8));
    }
    if (f.usable(PathAttributes.PMSI_TUNNEL)) {
      b.pmsiTunnel(
          PmsiTunnel.read(
              f.buf,
              f.valueAt[PathAttributes.PMSI_TUNNEL],
              f.valueLength[PathAttributes.PMSI_TUNNEL]));
    }
    if (f.usable(PathAttributes.LARGE_COMMUNITY)) {
      int v = f.valueAt[PathAttributes.LARGE_COMMUNITY];
      for (int i = 0;
          i < f.valueLength[PathAttributes.LARGE_COMMUNITY] / LargeCommunity.LENGTH;
          i++) {
        b.addLargeCommunity(LargeCommunity.read(f.buf, v + i * LargeCommunity.LENGTH));
      }
    }
    for (int type = 0; type < 256; type++) {
      if ((f.present[type >>> 6] & ~AttributeType.MODELLED[type >>> 6]) == 0) {
        type |= 63; // no unmodelled attribute in this block of 64
        continue;
      }
      if (AttributeType.of(type) == null && f.usable(type)) {
        byte[] value = new byte[f.valueLength[type]];
        f.buf.getBytes(f.valueAt[type], value);
        b.addOther(RawAttribute.received(f.buf.getUnsignedByte(f.headerAt[type]), type, value));
      }
    }
    return b.build();
  }
}
