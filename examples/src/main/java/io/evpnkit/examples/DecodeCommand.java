package io.evpnkit.examples;

import io.evpnkit.testkit.CaptureFormatException;
import io.evpnkit.testkit.CaptureReader;
import io.evpnkit.testkit.CapturedPacket;
import io.evpnkit.testkit.TcpReassembler;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.DropReason;
import io.evpnkit.vxlan.Validation;
import io.evpnkit.vxlan.VxlanHeader;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code evpnkit decode}: decodes every VXLAN packet of a pcap or pcapng file. */
@Command(
    name = "decode",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes every VXLAN packet (UDP 4789, VXLAN-GPE 4790) and every BGP message (TCP 179, both directions, the "
          + "TCP stream of each connection rebuilt in order) of a pcap or pcapng capture. Packets dropped by "
          + "validation are shown with the reason and the byte offset of the offending field; BGP UPDATEs with their "
          + "RFC 7606 outcome (treat-as-withdraw, attribute-discard, session-reset); holes in a BGP stream (bytes "
          + "the capture missed) where they are.",
      "Link types: Ethernet, raw IP, Linux cooked (SLL, SLL2)."
    },
    footer = {
      "",
      "Exit status: 0 decoded, 1 unreadable or malformed capture, BGP bytes lost (TCP holes in the "
          + "capture, connections forgotten past the reassembler's bound) or standard output not writable, 2 usage "
          + "error.",
      "Example: evpnkit decode --json capture.pcapng | jq .vni"
    })
final class DecodeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "FILE",
      description = "capture file (.pcap or .pcapng), or - for standard input")
  String file;

  @Option(names = "--json", description = "print one JSON object per packet (NDJSON)")
  boolean json;

  @Option(names = "--all", description = "also print packets that are not VXLAN")
  boolean all;

  @Option(
      names = "--vxlan-port",
      paramLabel = "N",
      description = "also treat UDP port N as VXLAN (repeatable), e.g. 8472 (Linux's legacy port)")
  List<Integer> extraPorts = new ArrayList<>();

  @Option(
      names = "--no-gbp",
      description = "read headers as plain RFC 7348 VXLAN, not Group Based Policy")
  boolean noGbp;

  @Option(
      names = "--lenient",
      description = "accept a clear I flag and set reserved bits (reported as warnings)")
  boolean lenient;

  @Option(names = "--verify-udp-checksum", description = "verify non-zero UDP checksums")
  boolean verifyUdp;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    for (int p : extraPorts) {
      if (p < 1 || p > 65535) {
        err.println("evpnkit decode: --vxlan-port " + p + ": must be 1..65535");
        return 2;
      }
    }

    int[] ports = new int[1 + extraPorts.size()];
    ports[0] = VxlanHeader.UDP_PORT;
    for (int i = 0; i < extraPorts.size(); i++) {
      ports[i + 1] = extraPorts.get(i);
    }
    PacketDecoder decoder =
        new PacketDecoder(
            DecapsulatorConfig.builder()
                .vxlanPorts(ports)
                .groupBasedPolicy(!noGbp)
                .validation(lenient ? Validation.LENIENT : Validation.STRICT)
                .verifyUdpChecksum(verifyUdp)
                .acceptIpv6ZeroChecksum(
                    true) // a dissector shows what the tunnel carried, and notes the zero checksum
                .applyEcn(false)
                .build());
    int unsupported = 0;
    long bgpLost = 0;
    long bgpHoles = 0;
    long evicted = 0;
    CaptureReader opened;
    try {
      opened = CaptureReader.open(Inputs.open(file));
    } catch (CaptureFormatException e) {
      err.println("evpnkit decode: " + file + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("evpnkit decode: " + file + ": " + Inputs.why(e));
      return 1;
    }
    try (CaptureReader reader = opened;
        BgpDecoder bgp = new BgpDecoder(json, out::println)) {
      long read = 0;
      for (CapturedPacket packet = reader.next(); packet != null; packet = reader.next()) {
        if ((++read & 255) == 0 && out.checkError()) {
          break; // standard output is gone (a full disk, or the reader of a pipe left): stop
          // reading
        }
        if (bgp.accept(packet)) {
          continue;
        }
        Optional<Decapsulation> result = decoder.decapsulate(packet);
        if (result.isEmpty()) {
          unsupported++;
          continue;
        }
        Decapsulation d = result.get();
        if (!all && !decoder.isVxlan(d)) {
          continue;
        }
        out.println(json ? decoder.json(packet, d) : decoder.text(packet, d));
      }
      bgp.finish();
      bgpLost = bgp.lostBytes();
      bgpHoles = bgp.gaps();
      evicted = bgp.evictedFlows();
    } catch (CaptureFormatException e) {
      out.flush();
      err.println("evpnkit decode: " + file + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      out.flush();
      err.println("evpnkit decode: " + file + ": " + Inputs.why(e));
      return 1;
    }
    out.flush();
    if (unsupported > 0) {
      err.println("evpnkit decode: skipped " + unsupported + " packets of unsupported link types");
    }
    if (!json) {
      long drops = decoder.decapsulator().dropped();
      StringBuilder summary =
          new StringBuilder(
              "# accepted " + decoder.decapsulator().accepted() + ", dropped " + drops);
      for (DropReason r : DropReason.values()) {
        long n = decoder.decapsulator().dropped(r);
        if (n > 0) {
          summary.append(", ").append(r).append(' ').append(n);
        }
      }
      err.println(summary);
      err.flush();
    }
    if (evicted > 0) {
      err.println(
          "evpnkit decode: warning: "
              + evicted
              + " TCP directions forgotten to stay within "
              + TcpReassembler.DEFAULT_MAX_FLOWS
              + " (what they held is counted as lost)");
    }
    if (bgpLost > 0) {
      err.println(
          "evpnkit decode: BGP bytes lost: "
              + bgpLost
              + " ("
              + bgpHoles
              + " TCP holes in the capture and "
              + "the bytes skipped after them to the next message)");
      return 1;
    }
    return 0;
  }
}
