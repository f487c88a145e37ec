package io.evpnkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.ovsdb.OvsdbServer;
import io.evpnkit.speaker.Gobgpd;
import io.evpnkit.speaker.RealPeers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code evpnkit tor-agent} run as a user runs it: a TOR's {@code ovsdb-server} played by {@code
 * vtep-ctl}, a gobgpd as the fabric, the sessions from the configuration file.
 */
class TorAgentCommandTest {
  private static final String GOBGP = "127.0.0.241";
  private static final String US = "127.0.0.242";

  static Path config() throws Exception {
    Path file = Files.createTempFile("tor", ".conf");
    Files.writeString(
        file,
        """
        routing-options { router-id 192.0.2.50; autonomous-system 65001; }
        interfaces {
            lo0 { unit 0 { family inet { address 192.0.2.50/32; } } }
            p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
        }
        switch-options { vtep-source-interface lo0.0; route-distinguisher 192.0.2.50:1; vrf-target target:65000:100; }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols {
            evpn { encapsulation vxlan; extended-vni-list 100; }
            bgp { group fabric { type external; local-address %s; peer-as 65000; family evpn { signaling; } neighbor %s; } }
        }
        """
            .formatted(US, GOBGP));
    return file;
  }

  @Test
  void theAgentAdvertisesWhatTheTorLearnsAndPrintsItsEventsAsJson() throws Exception {
    try (OvsdbServer server = OvsdbServer.start();
        Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true)) {
      server.vtepCtl("add-ps", "tor1");
      server.vtepCtl("add-port", "tor1", "p1");
      Path conf = config();
      CompletableFuture<BgpCommandTest.Run> run =
          CompletableFuture.supplyAsync(
              () ->
                  BgpCommandTest.run(
                      "tor-agent",
                      "--ovsdb",
                      server.unix().toString(),
                      "--config",
                      conf.toString(),
                      "--bgp-port",
                      Integer.toString(gobgpd.port),
                      "--timeout",
                      "8s",
                      "--json"));
      RealPeers.await(
          "the agent's logical switch", () -> server.vtepCtl("list-ls").contains("v100"));
      server.vtepCtl("add-ucast-local", "v100", "00:00:5e:00:53:b1", "192.0.2.50");
      RealPeers.await(
          "gobgpd to hold the TOR's MAC",
          () -> gobgpd.cli("global", "rib", "-a", "evpn").contains("00:00:5e:00:53:b1"));
      BgpCommandTest.Run r = run.get(30, TimeUnit.SECONDS);
      assertEquals(0, r.status(), r.err());
      assertEquals("synced", r.event("synced").path("event").asText());
      assertEquals("00:00:5e:00:53:b1", r.event("learned").path("mac").asText());
      assertEquals(100, r.event("learned").path("vni").asInt());
      assertTrue(r.event("established").path("peer").asText().contains(GOBGP));
      Files.delete(conf);
    }
  }

  @Test
  void usageErrorsExitTwoAndAMissingFileOne() throws Exception {
    BgpCommandTest.Run bad = BgpCommandTest.run("tor-agent", "--ovsdb", "ssl:x:1", "--config", "x");
    assertEquals(2, bad.status());
    assertTrue(bad.err().contains("unix:FILE or tcp:HOST:PORT"), bad.err());
    BgpCommandTest.Run missing =
        BgpCommandTest.run(
            "tor-agent", "--ovsdb", "unix:/nonexistent", "--config", "/nonexistent.conf");
    assertEquals(1, missing.status(), missing.err());
    Path broken = Files.createTempFile("tor", ".conf");
    Files.writeString(broken, "vlans { v100 { vlan-id 5000; } }\n");
    BgpCommandTest.Run invalid =
        BgpCommandTest.run(
            "tor-agent", "--ovsdb", "unix:/nonexistent", "--config", broken.toString());
    assertEquals(2, invalid.status());
    assertTrue(invalid.err().startsWith(broken + ":1:"), invalid.err());
    Files.delete(broken);
  }
}
