package io.evpnkit.examples;

import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.testkit.LinkType;
import io.evpnkit.vxlan.Addresses;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.DropReason;
import io.evpnkit.vxlan.EthernetFrame;
import io.evpnkit.vxlan.HeaderFormat;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.evpnkit.vxlan.VxlanHeader;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decodes captured packets into the records printed by {@code evpnkit decode}: JSON (one object per
 * packet) or one line of text. Shared by the command and by the conformance tests that compare it
 * with Wireshark.
 */
public final class PacketDecoder {
  private final DecapsulatorConfig config;
  private final VxlanDecapsulator decapsulator;
  private final EthernetFrame inner = new EthernetFrame();

  /** Creates a decoder with the given configuration. */
  public PacketDecoder(DecapsulatorConfig config) {
    this.config = config;
    this.decapsulator = new VxlanDecapsulator(config);
  }

  /** Returns the decapsulator (for its counters). */
  public VxlanDecapsulator decapsulator() {
    return decapsulator;
  }

  /**
   * Decapsulates one captured packet according to its link type.
   *
   * @return the result, or empty for a link type that cannot carry VXLAN here
   */
  public Optional<Decapsulation> decapsulate(CapturedPacket packet) {
    ByteBuf buf = packet.buffer();
    int linkType = packet.linkType();
    if (linkType == LinkType.ETHERNET) {
      return Optional.of(decapsulator.decapsulate(buf));
    }
    int offset = LinkType.networkOffset(linkType);
    if (offset < 0 || offset > buf.readableBytes()) {
      return Optional.empty();
    }
    return Optional.of(decapsulator.decapsulateIp(buf.skipBytes(offset)));
  }

  /**
   * Returns whether a result belongs to a VXLAN packet (accepted or not) rather than to other
   * traffic.
   */
  public boolean isVxlan(Decapsulation d) {
    return d.isVxlanPort(config);
  }

  /** Returns the JSON record of a packet (one line, no trailing newline). */
  public String json(CapturedPacket packet, Decapsulation d) {
    JsonWriter w = new JsonWriter().begin();
    w.field("frame", packet.index());
    w.field("type", isVxlan(d) ? "vxlan" : "other");
    if (d.ipVersion() != 0) {
      w.key("outer").begin();
      w.field("src", d.appendSource(new StringBuilder()).toString());
      w.field("dst", d.appendDestination(new StringBuilder()).toString());
      if (d.destinationPort() != 0) {
        w.field("srcPort", d.sourcePort());
        w.field("dstPort", d.destinationPort());
      }
      if (d.udpChecksum() >= 0) {
        w.field("udpChecksum", String.format(java.util.Locale.ROOT, "0x%04x", d.udpChecksum()));
      }
      int[] vlans = new int[d.outerVlanCount()];
      for (int i = 0; i < vlans.length; i++) {
        vlans[i] = d.outerVlanId(i);
      }
      w.array("vlans", vlans, vlans.length);
      w.end();
    }
    if (d.hasHeader()) {
      VxlanHeader h = d.header();
      w.field("vni", h.vni());
      w.field("flags", String.format("0x%02x", h.flags()));
      if (d.format() == HeaderFormat.GBP && h.hasGroupPolicy()) {
        w.key("gbp")
            .begin()
            .field("groupPolicyId", h.groupPolicyId())
            .field("dontLearn", h.dontLearn() ? 1 : 0)
            .field("policyApplied", h.policyApplied() ? 1 : 0)
            .end();
      }
      if (d.format() == HeaderFormat.GPE) {
        w.key("gpe").begin().field("nextProtocol", h.payloadProtocol()).end();
      }
    }
    if (d.isOk()) {
      w.key("inner").begin();
      if (d.innerProtocol() == VxlanHeader.GPE_NEXT_ETHERNET
          && inner.tryWrap(packetBuffer(d), d.innerOffset(), d.innerLength())) {
        w.field("src", Addresses.macToString(inner.source()));
        w.field("dst", Addresses.macToString(inner.destination()));
        w.field("etherType", String.format("0x%04x", inner.etherType()));
        int[] vlans = new int[inner.tagCount()];
        for (int i = 0; i < vlans.length; i++) {
          vlans[i] = inner.vlanId(i);
        }
        w.array("vlans", vlans, vlans.length);
      } else {
        w.field("protocol", d.innerProtocol());
      }
      w.field("length", d.innerLength());
      w.end();
      List<String> warnings = new ArrayList<>();
      for (DropReason r : DropReason.values()) {
        if (d.hasWarning(r)) {
          warnings.add(r.name());
        }
      }
      if (!warnings.isEmpty()) {
        w.stringArray("warnings", warnings);
      }
      w.nullField("error");
    } else {
      DropReason reason = d.dropReason();
      w.key("error")
          .begin()
          .field("reason", String.valueOf(reason))
          .field("offset", d.errorOffset())
          .field("message", reason == null ? "" : reason.description())
          .end();
    }
    return w.end().toString();
  }

  /** Returns a one-line text summary of a packet, in the spirit of tshark's. */
  public String text(CapturedPacket packet, Decapsulation d) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%5d ", packet.index()));
    if (d.ipVersion() != 0) {
      String open = d.ipVersion() == 6 ? "[" : "";
      String close = d.ipVersion() == 6 ? "]:" : ":";
      d.appendSource(sb.append(open)).append(close).append(d.sourcePort()).append(" > ");
      d.appendDestination(sb.append(open)).append(close).append(d.destinationPort()).append(' ');
    }
    if (d.hasHeader()) {
      boolean gbp = d.format() == HeaderFormat.GBP && d.header().hasGroupPolicy();
      sb.append(gbp || d.format() == HeaderFormat.GPE ? d.format() : HeaderFormat.VXLAN)
          .append(" vni ")
          .append(d.header().vni())
          .append(String.format(" flags 0x%02x", d.header().flags()));
      if (d.format() == HeaderFormat.GBP && d.header().hasGroupPolicy()) {
        sb.append(" gpid ").append(d.header().groupPolicyId());
      }
      if (d.format() == HeaderFormat.GPE) {
        sb.append(" next ").append(d.header().payloadProtocol());
      }
    }
    if (d.ipVersion() == 6 && d.udpChecksum() == 0) {
      sb.append(" (zero UDP checksum, RFC 6935)");
    }
    if (!d.isOk()) {
      return sb.append(" DROP ")
          .append(d.dropReason())
          .append(" at offset ")
          .append(d.errorOffset())
          .toString();
    }
    if (d.innerProtocol() == VxlanHeader.GPE_NEXT_ETHERNET
        && inner.tryWrap(packetBuffer(d), d.innerOffset(), d.innerLength())) {
      sb.append(" | ").append(inner);
    } else {
      sb.append(" | inner protocol ")
          .append(d.innerProtocol())
          .append(", ")
          .append(d.innerLength())
          .append(" bytes");
    }
    return sb.toString();
  }

  private ByteBuf packetBuffer(Decapsulation d) {
    return d.header().buffer();
  }
}
