package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.speaker.RibSessions;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What {@code evpnkit vtep show} answers, from a RIB of the daemon's making. */
class VtepShowTest {
  static final String CONFIG =
      """
      routing-options { router-id 192.0.2.1; autonomous-system 65000; }
      interfaces {
          ae0 {
              esi { 00:11:22:33:44:55:66:77:88:99; all-active; }
              unit 0 { family ethernet-switching { interface-mode trunk; vlan { members v100; } } }
          }
      }
      switch-options { vtep-source-interface lo0.0; route-distinguisher 192.0.2.1:1; vrf-target target:65000:100; }
      vlans { v100 { vlan-id 100; vxlan { vni 10100; } } }
      protocols { evpn { encapsulation vxlan; extended-vni-list all; } }
      """;

  @Test
  void rfc7432_8_5_showDfGivesEachLocalSegmentsDesignatedForwarderPerVlan() throws Exception {
    VtepConfig config = VtepConfig.parse(CONFIG);
    RibSessions sessions =
        new RibSessions(
            sink ->
                EvpnRib.builder(config, IpAddress.parse("192.0.2.1"), new InMemoryForwardingTable())
                    .routeSink(sink)
                    .threadConfined(false)
                    .electionTimer(Duration.ZERO)
                    .build());
    io.netty.channel.DefaultEventLoop loop = new io.netty.channel.DefaultEventLoop();
    try {
      VtepCommand.ControlServer server =
          new VtepCommand.ControlServer(Path.of("unused.sock"), loop, sessions, config);
      sessions.rib().portUp("ae0.0");
      sessions
          .rib()
          .tick(); // the election timer (0 here) runs out: alone on the segment, we are DF
      JsonNode rows = new ObjectMapper().readTree(server.answer("df json"));
      assertEquals(1, rows.size(), rows.toString());
      JsonNode row = rows.get(0);
      assertEquals("ae0", row.get("interface").asText());
      assertEquals("00:11:22:33:44:55:66:77:88:99", row.get("esi").asText());
      assertEquals(100, row.get("vlan").asInt());
      assertEquals(10100, row.get("vni").asInt());
      assertEquals("192.0.2.1", row.get("df").asText(), rows.toString());
      String text = server.answer("df");
      assertTrue(text.contains("VLAN 100") && text.contains("DF 192.0.2.1"), text);
      assertTrue(server.answer("nonsense").startsWith("error: unknown request"));
    } finally {
      loop.shutdownGracefully().syncUninterruptibly();
    }
  }
}
