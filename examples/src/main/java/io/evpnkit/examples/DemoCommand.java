package io.evpnkit.examples;

import io.evpnkit.testkit.PcapWriter;
import io.evpnkit.vxlan.Addresses;
import io.evpnkit.vxlan.ArpPacket;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.EthernetFrame;
import io.evpnkit.vxlan.InternetChecksum;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.evpnkit.vxlan.VxlanEncapsulator;
import io.evpnkit.vxlan.VxlanTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code evpnkit demo}: two software VTEPs in one process exchange real VXLAN over UDP sockets on
 * 127.0.0.1 and 127.0.0.2, with a simulated host behind each doing ARP and a ping.
 *
 * <p>Each VTEP encapsulates in place with {@link VxlanEncapsulator} (outer Ethernet, IPv4, UDP,
 * VXLAN written into the frame's headroom) and sends the VXLAN part through its socket; the
 * receiving VTEP decapsulates with {@link VxlanDecapsulator#decapsulatePayload}. Until the EVPN
 * issues land, MAC locations are learned from the data plane and BUM frames go to a static flood
 * list (ingress replication); later the control plane will feed both.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Two software VTEPs in one process exchanging real VXLAN over UDP on 127.0.0.1 and 127.0.0.2. "
            + "Host A (10.100.0.1) behind VTEP 1 resolves host B (10.100.0.2) behind VTEP 2 with ARP and pings it; "
            + "every frame is shown decoded.",
    footer = {
      "",
      "Exit status: 0 the ping was answered, 1 it was not (or sockets failed), 2 usage error."
    })
final class DemoCommand implements Callable<Integer> {
  static final int VNI = 100;

  @Spec CommandSpec spec;

  @Option(
      names = "--pings",
      paramLabel = "N",
      defaultValue = "2",
      description = "echo requests to send (default ${DEFAULT-VALUE})")
  int pings;

  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "4789",
      description = "UDP port both VTEPs listen on (default ${DEFAULT-VALUE}; 0 picks free ports)")
  int port;

  @Option(
      names = "--pcap",
      paramLabel = "FILE",
      description = "also write every encapsulated frame to FILE (pcap)")
  @Nullable Path pcap;

  @SuppressWarnings("NullAway.Init") // set first thing in call()
  private PrintWriter out;

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    if (pings < 1 || pings > 1000) {
      spec.commandLine().getErr().println("evpnkit demo: --pings " + pings + ": must be 1..1000");
      return 2;
    }
    if (port < 0 || port > 65535) {
      spec.commandLine().getErr().println("evpnkit demo: --port " + port + ": must be 0..65535");
      return 2;
    }
    PcapWriter opened = null;
    if (pcap != null) {
      try {
        opened = PcapWriter.create(pcap);
      } catch (IOException e) {
        spec.commandLine()
            .getErr()
            .println(
                "evpnkit demo: cannot write "
                    + pcap
                    + ": "
                    + (e instanceof java.nio.file.NoSuchFileException
                        ? "no such directory"
                        : String.valueOf(e.getMessage())));
        return 1;
      }
    }
    try (PcapWriter writer = opened;
        Vtep one = new Vtep("vtep-1", "127.0.0.1", port, 0x0200_0000_0001L, writer);
        Vtep two = new Vtep("vtep-2", "127.0.0.2", port, 0x0200_0000_0002L, writer)) {
      one.peer = two;
      two.peer = one;
      Host a = new Host("host-a", 0x5254_0000_000AL, 0x0A64_0001, one);
      Host b = new Host("host-b", 0x5254_0000_000BL, 0x0A64_0002, two);
      one.host = a;
      two.host = b;
      out.printf(
          "VNI %d: %s at %s:%d, %s at %s:%d%n",
          VNI, one.name, one.ip, one.port(), two.name, two.ip, two.port());
      int answered = 0;
      for (int seq = 1; seq <= pings; seq++) {
        if (a.ping(b.ip, seq)) {
          answered++;
        }
      }
      out.printf(
          "%d of %d echo requests answered; vtep-1 accepted %d, dropped %d; vtep-2 accepted %d, dropped %d%n",
          answered,
          pings,
          one.decap.accepted(),
          one.decap.dropped(),
          two.decap.accepted(),
          two.decap.dropped());
      if (pcap != null) {
        out.println(
            "wrote " + pcap + " (try: java -jar examples/target/evpnkit.jar decode " + pcap + ")");
      }
      out.flush();
      return answered == pings ? 0 : 1;
    } catch (SocketException e) {
      spec.commandLine()
          .getErr()
          .println(
              "evpnkit demo: cannot open UDP sockets on 127.0.0.1/127.0.0.2 port "
                  + port
                  + ": "
                  + e.getMessage()
                  + " (try --port 0)");
      return 1;
    }
  }

  /** A host: answers ARP and ICMP echo, sends through its VTEP. */
  private final class Host {
    final String name;
    final long mac;
    final int ip;
    final Vtep vtep;
    final Map<Integer, Long> arpCache = new HashMap<>();
    boolean gotReply;

    Host(String name, long mac, int ip, Vtep vtep) {
      this.name = name;
      this.mac = mac;
      this.ip = ip;
      this.vtep = vtep;
    }

    boolean ping(int target, int seq) throws IOException {
      Long dst = arpCache.get(target);
      if (dst == null) {
        send(arp(ArpPacket.REQUEST, 0xFFFF_FFFF_FFFFL, 0, target));
        dst = arpCache.get(target);
        if (dst == null) {
          out.println(name + ": no ARP reply for " + Addresses.ipv4ToString(target));
          return false;
        }
      }
      gotReply = false;
      send(icmpEcho(8, dst, target, seq));
      return gotReply;
    }

    ByteBuf arp(int op, long dstMac, long targetMac, int targetIp) {
      ByteBuf f = vtep.frame();
      f.writerIndex(f.readerIndex() + 14 + ArpPacket.LENGTH);
      int at = f.readerIndex();
      EthernetFrame.writeMac(f, at, dstMac);
      EthernetFrame.writeMac(f, at + 6, mac);
      f.setShort(at + 12, EthernetFrame.ETHERTYPE_ARP);
      ArpPacket.write(f, at + 14, op, mac, ip, targetMac, targetIp);
      return f;
    }

    ByteBuf icmpEcho(int type, long dstMac, int dstIp, int seq) {
      ByteBuf f = vtep.frame();
      int at = f.readerIndex();
      byte[] data = "evpnkit demo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      int ipLength = 20 + 8 + data.length;
      f.writerIndex(at + 14 + ipLength);
      EthernetFrame.writeMac(f, at, dstMac);
      EthernetFrame.writeMac(f, at + 6, mac);
      f.setShort(at + 12, EthernetFrame.ETHERTYPE_IPV4);
      int iph = at + 14;
      f.setByte(iph, 0x45)
          .setByte(iph + 1, 0)
          .setShort(iph + 2, ipLength)
          .setShort(iph + 4, seq)
          .setShort(iph + 6, 0x4000)
          .setByte(iph + 8, 64)
          .setByte(iph + 9, 1)
          .setShort(iph + 10, 0)
          .setInt(iph + 12, ip)
          .setInt(iph + 16, dstIp);
      f.setShort(iph + 10, InternetChecksum.compute(f, iph, 20));
      int icmp = iph + 20;
      f.setByte(icmp, type)
          .setByte(icmp + 1, 0)
          .setShort(icmp + 2, 0)
          .setShort(icmp + 4, 0xE7E7)
          .setShort(icmp + 6, seq)
          .setBytes(icmp + 8, data);
      f.setShort(icmp + 2, InternetChecksum.compute(f, icmp, 8 + data.length));
      return f;
    }

    void send(ByteBuf frame) throws IOException {
      out.println(
          "  " + name + " sends    " + describe(frame, frame.readerIndex(), frame.readableBytes()));
      vtep.fromHost(frame);
    }

    /** A frame delivered by the VTEP; the buffer stays the VTEP's. */
    void receive(ByteBuf buf, int offset, int length) throws IOException {
      out.println("  " + name + " receives " + describe(buf, offset, length));
      EthernetFrame eth = new EthernetFrame().wrap(buf, offset, length);
      if (eth.etherType() == EthernetFrame.ETHERTYPE_ARP) {
        ArpPacket arp = new ArpPacket().wrap(buf, eth.payloadOffset(), eth.payloadLength());
        arpCache.put(arp.senderIp(), arp.senderMac());
        if (arp.operation() == ArpPacket.REQUEST && arp.targetIp() == ip) {
          send(arp(ArpPacket.REPLY, arp.senderMac(), arp.senderMac(), arp.senderIp()));
        }
      } else if (eth.etherType() == EthernetFrame.ETHERTYPE_IPV4
          && buf.getUnsignedByte(eth.payloadOffset() + 9) == 1) {
        int iph = eth.payloadOffset();
        int icmp = iph + (buf.getUnsignedByte(iph) & 0xF) * 4;
        int type = buf.getUnsignedByte(icmp);
        if (type == 8) {
          send(icmpEcho(0, eth.source(), buf.getInt(iph + 12), buf.getUnsignedShort(icmp + 6)));
        } else if (type == 0) {
          gotReply = true;
        }
      }
    }
  }

  static String hostPort(InetSocketAddress a) {
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  static String describe(ByteBuf buf, int offset, int length) {
    EthernetFrame eth = new EthernetFrame().wrap(buf, offset, length);
    StringBuilder sb = new StringBuilder();
    Addresses.appendMac(sb, eth.source()).append(" > ");
    Addresses.appendMac(sb, eth.destination()).append(' ');
    if (eth.etherType() == EthernetFrame.ETHERTYPE_ARP) {
      sb.append(new ArpPacket().wrap(buf, eth.payloadOffset(), eth.payloadLength()));
    } else if (eth.etherType() == EthernetFrame.ETHERTYPE_IPV4) {
      int iph = eth.payloadOffset();
      int icmp = iph + (buf.getUnsignedByte(iph) & 0xF) * 4;
      Addresses.appendIpv4(sb, buf.getInt(iph + 12)).append(" > ");
      Addresses.appendIpv4(sb, buf.getInt(iph + 16));
      int type = buf.getUnsignedByte(icmp);
      sb.append(
              type == 8
                  ? " ICMP echo request"
                  : type == 0 ? " ICMP echo reply" : " ICMP type " + type)
          .append(" seq ")
          .append(buf.getUnsignedShort(icmp + 6));
    } else {
      sb.append(String.format("type 0x%04x", eth.etherType()));
    }
    return sb.append(", ").append(length).append(" bytes").toString();
  }

  /**
   * A software VTEP: one UDP socket, a MAC table learned from the data plane, a one-entry flood
   * list.
   */
  private final class Vtep implements AutoCloseable {
    final String name;
    final String ip;
    final DatagramSocket socket;
    final VxlanTunnel toPeer;
    final VxlanEncapsulator encap = new VxlanEncapsulator();
    final VxlanDecapsulator decap;
    final Map<Long, InetSocketAddress> macTable = new HashMap<>();
    final @Nullable PcapWriter pcap;
    @Nullable Vtep peer;
    @Nullable Host host;
    private final byte[] receiveBuffer = new byte[9216];

    Vtep(String name, String ip, int port, long mac, @Nullable PcapWriter pcap) throws IOException {
      this.name = name;
      this.ip = ip;
      this.pcap = pcap;
      this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(ip), port));
      socket.setSoTimeout(2000);
      String other = ip.equals("127.0.0.1") ? "127.0.0.2" : "127.0.0.1";
      this.toPeer =
          VxlanTunnel.builder()
              .source(ip)
              .destination(other)
              .sourceMac(mac)
              .destinationMac(mac ^ 3)
              .build();
      this.decap =
          new VxlanDecapsulator(
              io.evpnkit.vxlan.DecapsulatorConfig.builder()
                  .vxlanPorts(socket.getLocalPort() == 0 ? 4789 : socket.getLocalPort())
                  .build());
    }

    int port() {
      return socket.getLocalPort();
    }

    /**
     * A pooled buffer with headroom for the outer headers; the inner frame is written at its reader
     * index.
     */
    ByteBuf frame() {
      ByteBuf f = PooledByteBufAllocator.DEFAULT.directBuffer(toPeer.headerLength() + 1514);
      f.writerIndex(toPeer.headerLength());
      f.readerIndex(toPeer.headerLength());
      return f;
    }

    /** A frame from the local host: known unicast goes to its VTEP, everything else is flooded. */
    void fromHost(ByteBuf frame) throws IOException {
      try {
        long dst = EthernetFrame.readMac(frame, frame.readerIndex());
        InetSocketAddress remote = macTable.get(dst);
        String why = remote == null ? "flood (ingress replication)" : "known unicast";
        Vtep p = java.util.Objects.requireNonNull(peer);
        InetSocketAddress target = remote != null ? remote : new InetSocketAddress(p.ip, p.port());
        if (!encap.encapsulate(frame, toPeer, VNI)) {
          throw new IllegalStateException("no headroom");
        }
        if (pcap != null) {
          pcap.write(System.currentTimeMillis() * 1_000_000L, frame);
        }
        int vxlan = frame.readerIndex() + toPeer.vxlanOffset();
        int sourcePort = frame.getUnsignedShort(frame.readerIndex() + toPeer.ipOffset() + 20);
        out.printf(
            "    %s encap   vni %d, %s -> %s, %d bytes of outer headers written in headroom, entropy port %d%n",
            name, VNI, why, hostPort(target), toPeer.headerLength(), sourcePort);
        byte[] payload = new byte[frame.writerIndex() - vxlan];
        frame.getBytes(vxlan, payload);
        socket.send(new DatagramPacket(payload, payload.length, target));
      } finally {
        frame.release();
      }
      java.util.Objects.requireNonNull(peer).receiveOne();
    }

    void receiveOne() throws IOException {
      DatagramPacket dp = new DatagramPacket(receiveBuffer, receiveBuffer.length);
      try {
        socket.receive(dp);
      } catch (SocketTimeoutException e) {
        out.println("    " + name + " nothing received within 2 s");
        return;
      }
      ByteBuf buf = Unpooled.wrappedBuffer(receiveBuffer, 0, dp.getLength());
      Decapsulation d = decap.decapsulatePayload(buf, socket.getLocalPort());
      if (!d.isOk()) {
        out.println("    " + name + " drop    " + d.dropReason() + " at offset " + d.errorOffset());
        return;
      }
      InetSocketAddress from = (InetSocketAddress) dp.getSocketAddress();
      long source = EthernetFrame.readMac(buf, d.innerOffset() + 6);
      boolean learned = !from.equals(macTable.put(source, from));
      out.printf(
          "    %s decap   vni %d flags 0x%02x from %s%s%n",
          name,
          d.vni(),
          d.header().flags(),
          hostPort(from),
          learned
              ? ", learned "
                  + Addresses.macToString(source)
                  + " behind "
                  + from.getAddress().getHostAddress()
              : "");
      java.util.Objects.requireNonNull(host).receive(buf, d.innerOffset(), d.innerLength());
    }

    @Override
    public void close() {
      socket.close();
    }
  }
}
