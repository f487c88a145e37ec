package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.testkit.PcapWriter;
import io.evpnkit.testkit.TcpFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Wireshark's reading of what we send: a message put into a pcap on TCP port 179, read by tshark.
 */
final class Tshark {
  private Tshark() {}

  /** Returns "code,subcode" of a NOTIFICATION as Wireshark's BGP dissector reads it. */
  static String notification(Path dir, BgpNotification n) throws Exception {
    ByteBuf b = Unpooled.buffer();
    try {
      n.write(b);
      byte[] bytes = new byte[b.readableBytes()];
      b.readBytes(bytes);
      return notification(dir, bytes);
    } finally {
      b.release();
    }
  }

  /**
   * Returns "code,subcode" of a whole NOTIFICATION message as Wireshark's BGP dissector reads it
   * (the subcode from the field of the code's own table); skips the test without tshark unless
   * {@code EVPNKIT_REQUIRE_TSHARK=1}.
   */
  static String notification(Path dir, byte[] message) throws Exception {
    Path tshark = Path.of("/usr/bin/tshark");
    if (!Files.isExecutable(tshark)) {
      if ("1".equals(System.getenv("EVPNKIT_REQUIRE_TSHARK"))) {
        throw new AssertionError("tshark is not installed");
      }
      assumeTrue(false, "tshark is not installed");
    }
    Path pcap = Files.createTempFile(dir, "notification", ".pcap");
    try (PcapWriter w = PcapWriter.create(pcap)) {
      w.write(0, TcpFrames.toBgp(40000, 1, TcpFrames.PSH_ACK, message));
    }
    List<String> cmd =
        new ArrayList<>(
            List.of(
                tshark.toString(),
                "-r",
                pcap.toString(),
                "-d",
                "tcp.port==179,bgp",
                "-T",
                "fields",
                "-E",
                "separator=,",
                "-e",
                "bgp.notify.major_error"));
    for (String minor :
        new String[] {"open", "update", "expired", "state", "cease", "capability"}) {
      cmd.add("-e");
      cmd.add("bgp.notify.minor_error_" + minor);
    }
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    List<String> fields = new ArrayList<>();
    for (String f : out.split(",", -1)) {
      if (!f.isEmpty()) {
        fields.add(f);
      }
    }
    return String.join(",", fields);
  }
}
