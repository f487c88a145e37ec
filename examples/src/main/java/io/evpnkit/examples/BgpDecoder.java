package io.evpnkit.examples;

import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.BgpProtocolException;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.Communities;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.LargeCommunity;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.PmsiTunnel;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateError;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.testkit.TcpReassembler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decodes the BGP sessions (TCP port 179) of a capture into the records printed by {@code evpnkit
 * decode}: the TCP byte stream of each direction is rebuilt in order ({@link TcpReassembler}),
 * framed into messages ({@link BgpMessageFramer}) and each message decoded, UPDATEs with the
 * options the two OPENs of the connection negotiated (4-octet AS, ADD-PATH, extended messages). One
 * JSON object or one line of text per message. Shared by the command and by the conformance tests
 * that compare it with Wireshark and GoBGP.
 */
public final class BgpDecoder implements AutoCloseable {
  /** The BGP port. */
  public static final int PORT = 179;

  private static final String[] NAMES = {
    "", "OPEN", "UPDATE", "NOTIFICATION", "KEEPALIVE", "ROUTE-REFRESH"
  };

  private final boolean json;
  private final Consumer<String> out;
  private final TcpReassembler tcp = new TcpReassembler(1 << 20);
  // as many as the reassembler keeps, the least recently active forgotten first (its framer's
  // buffer released)
  private final Map<TcpReassembler.Flow, Direction> directions =
      new java.util.LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TcpReassembler.Flow, Direction> eldest) {
          if (size() <= TcpReassembler.DEFAULT_MAX_FLOWS) {
            return false;
          }
          eldest.getValue().framer.close();
          return true;
        }
      };
  private long messages;

  private static final class Direction {
    final BgpMessageFramer framer = new BgpMessageFramer(true, UnpooledByteBufAllocator.DEFAULT);
    @Nullable BgpOpen open;
    boolean broken;
    boolean resync; // after a hole: the next message starts at the next BGP marker
  }

  private long
      lostBytes; // BGP bytes never captured (holes) or skipped to find the next message after one
  private long holes;

  /**
   * Creates a decoder.
   *
   * @param json whether to print JSON (else text)
   * @param out receives one line per BGP message
   */
  public BgpDecoder(boolean json, Consumer<String> out) {
    this.json = json;
    this.out = out;
  }

  /**
   * Receives each UPDATE decoded, with the sender's address; the decoder's views are valid during
   * the call.
   */
  @FunctionalInterface
  public interface UpdateListener {
    /**
     * Called once per UPDATE.
     *
     * @param sender the sender's IP address (as the capture shows it)
     * @param receiver the receiver's IP address
     * @param decoder the decoded message (outcome, attributes, routes)
     */
    void update(String sender, String receiver, UpdateDecoder decoder);
  }

  private @Nullable UpdateListener listener;

  /** Sets the listener told of every UPDATE (for tests and tools built on the decoder). */
  public BgpDecoder onUpdate(UpdateListener l) {
    this.listener = l;
    return this;
  }

  /** Returns the number of BGP messages printed. */
  public long messages() {
    return messages;
  }

  /** Returns the number of TCP holes skipped in BGP streams (bytes missing from the capture). */
  public long gaps() {
    return holes;
  }

  /**
   * Returns how many bytes of BGP streams were lost: missing from the capture (holes given up on,
   * what forgotten directions held) or skipped after a hole to find the next message.
   */
  public long lostBytes() {
    return lostBytes;
  }

  /**
   * Returns how many TCP directions the reassembler forgot to stay within its bound (their waiting
   * bytes lost).
   */
  public long evictedFlows() {
    return tcp.evictedFlows();
  }

  /**
   * The capture ended: the holes still open are given up on, and the messages waiting behind them
   * decoded.
   */
  public void finish() {
    tcp.finish(stream);
  }

  /**
   * Feeds one captured packet.
   *
   * @return whether it was a TCP segment to or from port 179
   */
  public boolean accept(CapturedPacket packet) {
    TcpReassembler.Flow segment = tcp.accept(packet, stream);
    return segment != null && isBgp(segment);
  }

  private static boolean isBgp(TcpReassembler.Flow flow) {
    return flow.sourcePort() == PORT || flow.destinationPort() == PORT;
  }

  /** What the reassembler tells of the streams of port 179. */
  private final TcpReassembler.Listener stream =
      new TcpReassembler.Listener() {
        @Override
        public void onData(TcpReassembler.Flow flow, ByteBuf data, int frame) {
          if (!isBgp(flow)) {
            return;
          }
          Direction d = directions.computeIfAbsent(flow, f -> new Direction());
          if (d.broken) {
            return;
          }
          ByteBuf from = data;
          if (d.resync) {
            int marker = nextMessage(data);
            if (marker < 0) {
              lostBytes += data.readableBytes();
              return;
            }
            lostBytes += marker - data.readerIndex();
            from = data.slice(marker, data.writerIndex() - marker);
            d.resync = false;
          }
          BgpMessageFramer.HeaderError e =
              d.framer.feed(from, (message, type, offset) -> print(flow, d, message, type, frame));
          if (e != null) {
            d.broken = true;
            messages++;
            out.accept(
                json
                    ? new JsonWriter()
                        .begin()
                        .field("frame", frame)
                        .field("type", "bgp")
                        .field("src", flow.source())
                        .field("dst", flow.destination())
                        .field("message", "")
                        .key("error")
                        .begin()
                        .field("outcome", "SESSION_RESET")
                        .field("reason", e.reason())
                        .field("offset", e.streamOffset())
                        .end()
                        .end()
                        .toString()
                    : String.format(
                        "%5d %s BGP stream error at byte %d: %s",
                        frame, flow, e.streamOffset(), e.reason()));
          }
        }

        @Override
        public void onNewStream(TcpReassembler.Flow flow, int frame) {
          Direction old = directions.remove(flow); // a new connection: its own framer and OPEN
          if (old != null) {
            old.framer.close();
          }
        }

        @Override
        public void onGap(TcpReassembler.Flow flow, long missing, int frame) {
          if (!isBgp(flow)) {
            return;
          }
          holes++;
          lostBytes += missing;
          Direction old = directions.get(flow);
          Direction fresh =
              new Direction(); // the same connection: its OPEN stays, the framer starts again
          fresh.resync = true;
          if (old != null) {
            fresh.open = old.open;
            old.framer.close();
          }
          directions.put(flow, fresh);
          out.accept(
              json
                  ? new JsonWriter()
                      .begin()
                      .field("frame", frame)
                      .field("type", "tcp-gap")
                      .field("src", flow.source())
                      .field("srcPort", flow.sourcePort())
                      .field("dst", flow.destination())
                      .field("dstPort", flow.destinationPort())
                      .field("missing", missing)
                      .end()
                      .toString()
                  : String.format(
                      "%5d %s TCP hole: %d bytes never captured; BGP resumes at the next message",
                      frame, flow, missing));
        }
      };

  /**
   * The index of the next BGP message header in {@code data} (RFC 4271 §4.1: the all-ones marker, a
   * length of 19 to 65535 and a type of 1 to 5, as far as the data shows them), or -1.
   */
  static int nextMessage(ByteBuf data) {
    int end = data.writerIndex();
    outer:
    for (int i = data.readerIndex(); i + 16 <= end; i++) {
      for (int k = 0; k < 16; k++) {
        if (data.getByte(i + k) != (byte) 0xFF) {
          continue outer;
        }
      }
      if (i + 18 <= end && data.getUnsignedShort(i + 16) < 19) {
        continue;
      }
      if (i + 19 <= end && (data.getUnsignedByte(i + 18) < 1 || data.getUnsignedByte(i + 18) > 5)) {
        continue;
      }
      return i;
    }
    return -1;
  }

  private void print(TcpReassembler.Flow flow, Direction d, ByteBuf message, int type, int frame) {
    messages++;
    String name = type < NAMES.length ? NAMES[type] : "TYPE-" + type;
    JsonWriter w =
        new JsonWriter()
            .begin()
            .field("frame", frame)
            .field("type", "bgp")
            .field("src", flow.source())
            .field("dst", flow.destination())
            .field("message", name)
            .field("length", message.readableBytes());
    StringBuilder text = new StringBuilder(String.format("%5d %s BGP %s", frame, flow, name));
    @Nullable String error = null;
    int limit = lengthLimit(flow);
    if (message.readableBytes() > limit) {
      // RFC 8654 §4: longer than 4096 octets without the capability negotiated is a Bad Message
      // Length
      error =
          "a message of "
              + message.readableBytes()
              + " octets, above the "
              + limit
              + " the OPENs negotiated "
              + "(RFC 8654 §4: Message Header Error, Bad Message Length)";
      w.key("error")
          .begin()
          .field("outcome", "SESSION_RESET")
          .field("reason", error)
          .field("offset", 16)
          .end();
      text.append(" error: ").append(error);
      out.accept(json ? w.end().toString() : text.toString());
      return;
    }
    switch (type) {
      case BgpOpen.TYPE -> {
        try {
          BgpOpen open = BgpOpen.read(message);
          d.open = open;
          open(open, w, text);
        } catch (BgpProtocolException e) {
          error = String.valueOf(e.getMessage());
          w.key("error")
              .begin()
              .field("outcome", "SESSION_RESET")
              .field("reason", error)
              .field("offset", e.offset())
              .end();
        }
      }
      case 2 -> update(flow, message, w, text);
      case BgpNotification.TYPE -> {
        BgpNotification n = BgpNotification.read(message);
        w.field("code", n.code())
            .field("subcode", n.subcode())
            .field("data", ByteBufUtil.hexDump(n.data()));
        text.append(' ').append(n);
      }
      default -> {}
    }
    if (type != 2 && error == null) {
      w.nullField("error");
    } else if (error != null) {
      text.append(" error: ").append(error);
    }
    out.accept(json ? w.end().toString() : text.toString());
  }

  private static void open(BgpOpen open, JsonWriter w, StringBuilder text) {
    w.field("as", open.as())
        .field("holdTime", open.holdTime())
        .field("bgpId", IpAddress.ofIpv4(open.bgpIdentifier()).toString());
    List<String> caps = new ArrayList<>();
    for (Capability c : open.capabilities()) {
      caps.add(capabilityText(c));
    }
    w.stringArray("capabilities", caps);
    text.append(" as ")
        .append(open.as())
        .append(" hold ")
        .append(open.holdTime())
        .append(' ')
        .append(caps);
  }

  private static String capabilityText(Capability c) {
    if (c instanceof Capability.Multiprotocol m) {
      return "multiprotocol:" + m.afi() + "/" + m.safi();
    } else if (c instanceof Capability.RouteRefresh) {
      return "route-refresh";
    } else if (c instanceof Capability.ExtendedMessage) {
      return "extended-message";
    } else if (c instanceof Capability.FourOctetAs f) {
      return "4-octet-as:" + f.as();
    } else if (c instanceof Capability.AddPath a) {
      StringBuilder sb = new StringBuilder("add-path:");
      for (Capability.AddPathFamily f : a.families()) {
        sb.append(sb.length() > 9 ? "," : "")
            .append(f.afi())
            .append('/')
            .append(f.safi())
            .append('/')
            .append(f.sendReceive());
      }
      return sb.toString();
    } else if (c instanceof Capability.GracefulRestart g) {
      return "graceful-restart:" + g.restartTime();
    }
    String name = CAPABILITY_NAMES.get(c.code());
    StringBuilder sb = new StringBuilder(name != null ? name : "capability-" + c.code());
    if (c instanceof Capability.Unknown u && u.length() > 0) {
      sb.append(':').append(io.netty.buffer.ByteBufUtil.hexDump(u.value()));
    }
    return sb.toString();
  }

  /**
   * The names of BGP capabilities this decoder does not model (IANA's Capability Codes registry).
   */
  private static final Map<Integer, String> CAPABILITY_NAMES =
      Map.ofEntries(
          Map.entry(3, "outbound-route-filtering"), // RFC 5291
          Map.entry(5, "extended-next-hop"), // RFC 8950
          Map.entry(7, "bgpsec"), // RFC 8205
          Map.entry(8, "multiple-labels"), // RFC 8277
          Map.entry(9, "bgp-role"), // RFC 9234
          Map.entry(67, "dynamic-capability"),
          Map.entry(70, "enhanced-route-refresh"), // RFC 7313
          Map.entry(71, "long-lived-graceful-restart"), // RFC 9494
          Map.entry(73, "fqdn"), // draft-walton-bgp-hostname-capability
          Map.entry(74, "software-version"), // draft-abraitis-bgp-version-capability
          Map.entry(128, "route-refresh-cisco")); // the pre-standard code

  /**
   * The longest message the connection's OPENs allow: 65535 octets when both advertised the
   * Extended Message capability (RFC 8654 §3), else 4096; 65535 while either OPEN is unknown (a
   * capture that starts mid-session).
   */
  private int lengthLimit(TcpReassembler.Flow flow) {
    SessionOptions negotiated = negotiated(flow);
    return negotiated == null || negotiated.extendedMessages()
        ? BgpMessageFramer.MAX_EXTENDED_LENGTH
        : BgpMessageFramer.MAX_LENGTH;
  }

  /**
   * What the two OPENs of the connection negotiated, as the receiver of {@code flow} uses it, or
   * {@code null}.
   */
  private @Nullable SessionOptions negotiated(TcpReassembler.Flow flow) {
    Direction sender = directions.get(flow);
    Direction receiver =
        directions.get(
            new TcpReassembler.Flow(
                flow.destination(), flow.destinationPort(), flow.source(), flow.sourcePort()));
    BgpOpen sent = sender == null ? null : sender.open;
    BgpOpen received = receiver == null ? null : receiver.open;
    return sent != null && received != null ? BgpOpen.receiving(received, sent) : null;
  }

  private void update(TcpReassembler.Flow flow, ByteBuf message, JsonWriter w, StringBuilder text) {
    SessionOptions negotiated = negotiated(flow);
    SessionOptions options =
        negotiated != null ? negotiated : new SessionOptions(true, false, true, true);
    UpdateDecoder decoder = new UpdateDecoder(options);
    UpdateOutcome outcome = decoder.decode(message);
    UpdateListener l = listener;
    if (l != null) {
      l.update(flow.source(), flow.destination(), decoder);
    }
    if (outcome != UpdateOutcome.SESSION_RESET) {
      List<String> ext = attributes(w, decoder);
      boolean vxlan = ext.contains("encapsulation:vxlan");
      w.beginArray("routes");
      decoder.forEachRoute(
          (withdraw, pathId, nlri) -> {
            route(w, withdraw, pathId, options.addPath(), nlri, vxlan);
            text.append(withdraw ? " -" : " +");
            EvpnRoutes.decode(nlri).appendJunos(text);
          });
      w.endArray();
    }
    if (outcome == UpdateOutcome.OK) {
      w.nullField("error");
      if (decoder.isEndOfRib()) {
        text.append(" End-of-RIB");
      }
    } else {
      UpdateError first = decoder.error(0);
      for (int i = 0; i < decoder.errorCount(); i++) {
        if (decoder.error(i).outcome() == outcome) {
          first = decoder.error(i);
          break;
        }
      }
      w.key("error")
          .begin()
          .field("outcome", outcome.name())
          .field("reason", first.reason())
          .field("offset", first.offset())
          .field("subcode", first.subcode())
          .end();
      text.append(" [").append(outcome).append(": ").append(first).append(']');
    }
  }

  /**
   * Writes the attributes of a decoded UPDATE as {@code decode --json} shows them (next hop,
   * origin, AS path, MED, LOCAL_PREF, reflection, communities, PMSI tunnel); returns the extended
   * communities as text.
   */
  static List<String> attributes(JsonWriter w, UpdateDecoder decoder) {
    PathAttributes a = decoder.attributes();
    IpAddress nextHop = a.nextHop();
    if (nextHop != null) {
      w.field("nextHop", nextHop.toString());
      IpAddress linkLocal = a.linkLocalNextHop();
      if (linkLocal != null) {
        w.field("linkLocalNextHop", linkLocal.toString());
      }
    }
    if (decoder.isPresent(PathAttributes.ORIGIN)) {
      w.field("origin", PathAttributes.originName(a.origin()));
    }
    if (decoder.isPresent(PathAttributes.AS_PATH)) {
      w.field("asPath", a.asPath().toString());
    }
    if (a.med() >= 0) {
      w.field("med", a.med());
    }
    if (a.localPref() >= 0) {
      w.field("localPref", a.localPref());
    }
    if (a.originatorId() >= 0) {
      w.field("originatorId", IpAddress.ofIpv4((int) a.originatorId()).toString());
    }
    if (a.clusterListLength() > 0) {
      List<String> clusters = new ArrayList<>();
      for (int i = 0; i < a.clusterListLength(); i++) {
        clusters.add(IpAddress.ofIpv4(a.clusterId(i)).toString());
      }
      w.stringArray("clusterList", clusters);
    }
    List<String> communities = new ArrayList<>();
    for (int i = 0; i < a.communityCount(); i++) {
      communities.add(Communities.format(a.community(i)));
    }
    if (!communities.isEmpty()) {
      w.stringArray("communities", communities);
    }
    if (!a.largeCommunities().isEmpty()) {
      w.stringArray(
          "largeCommunities", a.largeCommunities().stream().map(LargeCommunity::toString).toList());
    }
    List<String> ext = a.extendedCommunities().stream().map(ExtendedCommunity::toString).toList();
    if (!ext.isEmpty()) {
      w.stringArray("extCommunities", ext);
    }
    PmsiTunnel pmsi = a.pmsiTunnel();
    if (pmsi != null) {
      pmsi(w, pmsi);
    }
    return ext;
  }

  /**
   * Writes the PMSI Tunnel attribute: flags, type (number and name), label field, and the
   * identifier's fields.
   */
  private static void pmsi(JsonWriter w, PmsiTunnel pmsi) {
    w.key("pmsi")
        .begin()
        .field("flags", pmsi.flags())
        .field("tunnelType", pmsi.tunnelType())
        .field("tunnelTypeName", PmsiTunnel.typeName(pmsi.tunnelType()))
        .field("label", pmsi.label().raw());
    if (pmsi.leafInformationRequired()) {
      w.field("leafInformationRequired", true);
    }
    switch (pmsi.tunnelType()) {
      case PmsiTunnel.INGRESS_REPLICATION, PmsiTunnel.ASSISTED_REPLICATION ->
          w.field("endpoint", pmsi.endpoint().toString());
      case PmsiTunnel.PIM_SSM, PmsiTunnel.PIM_SM, PmsiTunnel.BIDIR_PIM ->
          w.field("sender", pmsi.sender().toString()).field("group", pmsi.group().toString());
      case PmsiTunnel.RSVP_TE_P2MP ->
          w.field("p2mpId", pmsi.p2mpId())
              .field("tunnelId", pmsi.tunnelId())
              .field("extendedTunnelId", pmsi.extendedTunnelId().toString());
      case PmsiTunnel.MLDP_P2MP ->
          w.field("rootNode", pmsi.rootNode().toString())
              .field("opaqueValue", ByteBufUtil.hexDump(pmsi.opaqueValue()));
      case PmsiTunnel.NO_TUNNEL_INFORMATION -> {}
      default -> w.field("tunnelIdentifier", ByteBufUtil.hexDump(pmsi.tunnelIdentifier()));
    }
    w.end();
  }

  private static void route(
      JsonWriter w, boolean withdraw, long pathId, boolean addPath, EvpnNlri nlri, boolean vxlan) {
    w.element()
        .field("action", withdraw ? "withdraw" : "announce")
        .field("routeType", nlri.routeTypeCode());
    if (addPath) {
      w.field("pathId", pathId);
    }
    routeFields(w, EvpnRoutes.decode(nlri), nlri, vxlan);
    w.end();
  }

  /**
   * Writes a route's fields as {@code decode --json} shows them: the fields of its type, its label
   * fields (and the VNI of the first when the UPDATE says VXLAN), its Junos text and NLRI hex.
   */
  static void routeFields(JsonWriter w, EvpnRoute r, EvpnNlri nlri, boolean vxlan) {
    RouteFields.of(r).forEach(w::field);
    List<Long> labelList = RouteFields.labels(r);
    long[] labels = labelList.stream().mapToLong(Long::longValue).toArray();
    int n = labels.length;
    if (n > 0) {
      w.longArray("labels", labels, n);
      if (vxlan) {
        w.field("vni", labels[0]);
      }
    }
    w.field("junos", r.toString());
    w.field("hex", ByteBufUtil.hexDump(nlri.buffer(), nlri.offset(), nlri.totalLength()));
  }

  @Override
  public void close() {
    for (Direction d : directions.values()) {
      d.framer.close();
    }
  }
}
