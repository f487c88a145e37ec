package io.evpnkit.ovsdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evpnkit.speaker.RealPeers;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The RFC 7047 client against a real {@code ovsdb-server} with the {@code hardware_vtep} schema;
 * {@code vtep-ctl} is the other client that writes and reads.
 */
@SuppressWarnings("NullAway") // a null where a value is expected fails the test as it should
class OvsdbClientTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String DB = VtepReplica.DATABASE;

  static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(10, TimeUnit.SECONDS);
  }

  static ObjectNode logicalSwitch(String name, long key) {
    ObjectNode row = NODES.objectNode();
    row.put("name", name);
    row.put("tunnel_key", key);
    return row;
  }

  @Test
  void rfc7047_4_1_1_and_4_1_2_theServerListsItsDatabasesAndGivesTheHardwareVtepSchema()
      throws Exception {
    try (OvsdbServer server = OvsdbServer.start();
        OvsdbClient client = get(OvsdbClient.builder(server.unix()).connect())) {
      assertTrue(get(client.listDbs()).contains(DB));
      DatabaseSchema schema = get(client.getSchema(DB));
      JsonNode file = OvsdbClient.JSON.readTree(OvsdbServer.SCHEMA.toFile());
      assertEquals(file.get("version").asText(), schema.version());
      assertEquals(file.get("tables").size(), schema.tables().size());
      assertTrue(schema.table("Logical_Switch").isRoot());
      assertFalse(schema.table("Physical_Locator").isRoot(), "locators are garbage collected");
      DatabaseSchema.Column locator = schema.table("Ucast_Macs_Remote").column("locator");
      assertEquals("uuid", locator.keyType());
      assertEquals("Physical_Locator", locator.refTable());
      DatabaseSchema.Column bindings = schema.table("Physical_Port").column("vlan_bindings");
      assertTrue(bindings.isMap());
      assertEquals("Logical_Switch", bindings.valueRefTable());
      assertEquals(Integer.MAX_VALUE, bindings.max());
      IllegalStateException missing =
          assertThrows(
              IllegalStateException.class, () -> schema.table("Logical_Switch").column("vni"));
      assertEquals("table Logical_Switch has no column vni", missing.getMessage());
      OvsdbException unknown =
          unwrap(assertThrows(ExecutionException.class, () -> get(client.getSchema("nope"))));
      assertEquals("unknown database", unknown.error());
    }
  }

  static OvsdbException unwrap(ExecutionException e) {
    return assertInstanceOf(OvsdbException.class, e.getCause());
  }

  @Test
  void rfc7047_4_1_3_aTransactionInsertsWithNamedUuidsAndFailsWhole() throws Exception {
    try (OvsdbServer server = OvsdbServer.start();
        OvsdbClient client = get(OvsdbClient.builder(server.unix()).connect())) {
      ObjectNode locator = NODES.objectNode();
      locator.put("encapsulation_type", "vxlan_over_ipv4");
      locator.put("dst_ip", "192.0.2.7");
      ObjectNode mac = NODES.objectNode();
      mac.put("MAC", "00:00:5e:00:53:01");
      mac.set("logical_switch", Operations.namedUuid("ls"));
      mac.set("locator", Operations.namedUuid("loc"));
      List<JsonNode> results =
          get(
              client.transact(
                  DB,
                  List.of(
                      Operations.insert("Logical_Switch", logicalSwitch("ls100", 100), "ls"),
                      Operations.insert("Physical_Locator", locator, "loc"),
                      Operations.insert("Ucast_Macs_Remote", mac, null),
                      Operations.comment("evpnkit test"))));
      assertEquals(4, results.size());
      assertTrue(Operations.uuidOf(results.get(0).get("uuid")) != null);
      assertEquals("ls100", server.vtepCtl("list-ls").trim());
      String remote = server.vtepCtl("list-remote-macs", "ls100");
      assertTrue(remote.contains("00:00:5e:00:53:01 -> vxlan_over_ipv4/192.0.2.7"), remote);

      // a second switch with a name taken: the index says no, and the first insert goes too
      OvsdbException clash =
          unwrap(
              assertThrows(
                  ExecutionException.class,
                  () ->
                      get(
                          client.transact(
                              DB,
                              List.of(
                                  Operations.insert(
                                      "Logical_Switch", logicalSwitch("ls200", 200), null),
                                  Operations.insert(
                                      "Logical_Switch", logicalSwitch("ls100", 101), null))))));
      assertEquals("constraint violation", clash.error());
      assertEquals("ls100", server.vtepCtl("list-ls").trim(), "nothing half-applied");

      // a MAC bound to a logical switch that does not exist
      ObjectNode orphan = mac.deepCopy();
      orphan.set("logical_switch", Operations.uuid("8f2c3b4e-0000-4000-8000-000000000001"));
      orphan.set("locator", Operations.uuid(Operations.uuidOf(results.get(1).get("uuid"))));
      OvsdbException dangling =
          unwrap(
              assertThrows(
                  ExecutionException.class,
                  () ->
                      get(
                          client.transact(
                              DB, List.of(Operations.insert("Ucast_Macs_Remote", orphan, null))))));
      assertEquals("referential integrity violation", dangling.error());
      assertTrue(
          dangling.details() != null && dangling.details().contains("Logical_Switch"),
          dangling.getMessage());

      List<JsonNode> selected =
          get(
              client.transact(
                  DB,
                  List.of(
                      Operations.select(
                          "Logical_Switch",
                          Operations.where(Operations.eq("name", "ls100")),
                          "tunnel_key"))));
      assertEquals(100, selected.get(0).get("rows").get(0).get("tunnel_key").asLong());
    }
  }

  @Test
  void rfc7047_5_2_6_aWaitHoldsTheTransactionToWhatTheRowsMustBe() throws Exception {
    try (OvsdbServer server = OvsdbServer.start();
        OvsdbClient client = get(OvsdbClient.builder(server.unix()).connect())) {
      server.vtepCtl("add-ls", "v100", "--", "set", "Logical_Switch", "v100", "tunnel_key=100");
      ObjectNode expected = NODES.objectNode();
      expected.put("tunnel_key", 100);
      ObjectNode description = NODES.objectNode();
      description.put("description", "checked");
      // the switch still has the VNI we read: the update goes through
      get(
          client.transact(
              DB,
              List.of(
                  Operations.wait(
                      "Logical_Switch",
                      Operations.where(Operations.eq("name", "v100")),
                      List.of("tunnel_key"),
                      true,
                      NODES.arrayNode().add(expected),
                      0),
                  Operations.update(
                      "Logical_Switch",
                      Operations.where(Operations.eq("name", "v100")),
                      description))));
      assertEquals(
          "checked", server.vtepCtl("get", "Logical_Switch", "v100", "description").trim());
      // someone changed it: the wait fails at once (timeout 0) and the update is not made
      server.vtepCtl("set", "Logical_Switch", "v100", "tunnel_key=200");
      ObjectNode other = NODES.objectNode();
      other.put("description", "not written");
      OvsdbException e =
          unwrap(
              assertThrows(
                  ExecutionException.class,
                  () ->
                      get(
                          client.transact(
                              DB,
                              List.of(
                                  Operations.wait(
                                      "Logical_Switch",
                                      Operations.where(Operations.eq("name", "v100")),
                                      List.of("tunnel_key"),
                                      true,
                                      NODES.arrayNode().add(expected),
                                      0),
                                  Operations.update(
                                      "Logical_Switch",
                                      Operations.where(Operations.eq("name", "v100")),
                                      other))))));
      assertEquals("timed out", e.error());
      assertEquals(0, e.operation());
      assertEquals(
          "checked", server.vtepCtl("get", "Logical_Switch", "v100", "description").trim());
    }
  }

  @Test
  void rfc7047_4_1_5_aMonitorGivesTheContentsThenEveryChangeAnotherClientMakes() throws Exception {
    CopyOnWriteArrayList<JsonNode> updates = new CopyOnWriteArrayList<>();
    CopyOnWriteArrayList<JsonNode> updates2 = new CopyOnWriteArrayList<>();
    try (OvsdbServer server = OvsdbServer.start()) {
      server.vtepCtl("add-ls", "before");
      try (OvsdbClient client =
          get(
              OvsdbClient.builder(server.unix())
                  .listener(
                      new OvsdbClient.Listener() {
                        @Override
                        public void update(JsonNode monitorId, JsonNode tableUpdates) {
                          updates.add(tableUpdates);
                        }

                        @Override
                        public void update2(JsonNode monitorId, JsonNode tableUpdates) {
                          updates2.add(tableUpdates);
                        }
                      })
                  .connect())) {
        ObjectNode requests = NODES.objectNode();
        requests.putObject("Logical_Switch").putArray("columns").add("name");
        JsonNode initial = get(client.monitor(DB, NODES.textNode("ls"), requests));
        assertEquals(
            "before",
            initial.get("Logical_Switch").elements().next().get("new").get("name").asText());

        ObjectNode conditional = NODES.objectNode();
        ObjectNode ls = conditional.putObject("Logical_Switch");
        ls.putArray("columns").add("name");
        ls.putArray("where").add(Operations.eq("name", "wanted"));
        JsonNode initial2 = get(client.monitorCond(DB, NODES.textNode("cond"), conditional));
        assertTrue(
            initial2.path("Logical_Switch").isMissingNode()
                || initial2.get("Logical_Switch").isEmpty());

        server.vtepCtl("add-ls", "unwanted");
        server.vtepCtl("add-ls", "wanted");
        RealPeers.await(
            "two updates and one update2", () -> updates.size() >= 2 && !updates2.isEmpty());
        assertTrue(
            updates.toString().contains("unwanted") && updates.toString().contains("\"wanted\""));
        assertEquals(1, updates2.size(), updates2.toString());
        assertTrue(updates2.get(0).toString().contains("\"insert\""), updates2.toString());
        assertFalse(updates2.toString().contains("unwanted"), "the condition leaves it out");

        get(client.monitorCancel(NODES.textNode("ls")));
        server.vtepCtl("del-ls", "unwanted");
        get(client.echo()); // the server answers after any update it would have sent
        assertEquals(2, updates.size(), "no updates after monitor_cancel");
      }
    }
  }

  @Test
  void rfc7047_4_1_8_aLockGoesToOneClientAndPassesOnWhenUnlocked() throws Exception {
    CompletableFuture<String> locked = new CompletableFuture<>();
    try (OvsdbServer server = OvsdbServer.start();
        OvsdbClient first = get(OvsdbClient.builder(server.unix()).connect());
        OvsdbClient second =
            get(
                OvsdbClient.builder(server.unix())
                    .listener(
                        new OvsdbClient.Listener() {
                          @Override
                          public void locked(String lockId) {
                            locked.complete(lockId);
                          }
                        })
                    .connect())) {
      assertThrows(IllegalArgumentException.class, () -> first.lock("tor-agent"));
      assertTrue(get(first.lock("tor_agent")));
      assertFalse(get(second.lock("tor_agent")), "the second agent waits");
      get(first.unlock("tor_agent"));
      assertEquals("tor_agent", get(locked));
    }
  }

  @Test
  void rfc7047_4_1_11_theClientAnswersTheServersEchoesAndKeepsAnIdleTcpConnection()
      throws Exception {
    try (OvsdbServer server = OvsdbServer.startWithTcp();
        OvsdbClient client =
            get(OvsdbClient.builder(server.tcp()).probeInterval(Duration.ZERO).connect())) {
      // ovsdb-server probes an idle TCP client after the Manager's inactivity_probe and drops it
      // when no reply comes in as long again: three probes' time, the first one's drop long past
      Thread.sleep(3 * OvsdbServer.INACTIVITY_PROBE_MS + 500);
      assertTrue(client.isOpen(), server.log());
      assertEquals("[\"evpnkit\"]", get(client.echo()).toString());
    }
  }

  /** A server written by hand that sends {@code reply} bytes to whatever it is asked. */
  static Throwable closeCauseAfter(byte[] reply, int maxMessageBytes) throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t =
          new Thread(
              () -> {
                try (Socket s = listener.accept()) {
                  OutputStream out = s.getOutputStream();
                  out.write(reply);
                  out.flush();
                  s.getInputStream().read(new byte[4096]);
                  Thread.sleep(2000);
                } catch (Exception e) {
                  // the client closed
                }
              });
      t.start();
      try (OvsdbClient client =
          get(
              OvsdbClient.builder(OvsdbAddress.parse("tcp:127.0.0.1:" + listener.getLocalPort()))
                  .maxMessageBytes(maxMessageBytes)
                  .connect())) {
        CompletableFuture<JsonNode> pending = client.echo();
        Throwable cause = get(client.closeFuture());
        ExecutionException failed = assertThrows(ExecutionException.class, () -> get(pending));
        assertInstanceOf(java.io.IOException.class, failed.getCause());
        t.join(5000);
        return java.util.Objects.requireNonNull(cause);
      }
    }
  }

  @Test
  void badInputFromAServerClosesTheConnectionWithWhatAndWhere() throws Exception {
    Throwable notJson =
        closeCauseAfter(
            "{\"id\":1,\"result\":[1,,2],\"error\":null}".getBytes(StandardCharsets.UTF_8), 1024);
    OvsdbProtocolException e1 = assertInstanceOf(OvsdbProtocolException.class, notJson);
    assertEquals(0, e1.messageIndex());
    assertEquals(20, e1.offset(), e1.getMessage()); // the second comma

    byte[] huge = new byte[4096];
    java.util.Arrays.fill(huge, (byte) ' ');
    huge[0] = '[';
    OvsdbProtocolException e2 =
        assertInstanceOf(OvsdbProtocolException.class, closeCauseAfter(huge, 1024));
    assertTrue(e2.getMessage().contains("1024"), e2.getMessage());

    OvsdbProtocolException e3 =
        assertInstanceOf(
            OvsdbProtocolException.class,
            closeCauseAfter(
                "{\"result\":1,\"error\":null,\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                1024));
    assertTrue(e3.getMessage().contains("without a request id"), e3.getMessage());
  }

  @Test
  void addressesAreUnixOrTcpAsOvsdbWritesThem() {
    assertTrue(OvsdbAddress.parse("unix:/var/run/openvswitch/db.sock").isUnix());
    OvsdbAddress v6 = OvsdbAddress.parse("tcp:[::1]:6640");
    java.net.InetSocketAddress v6Socket = (java.net.InetSocketAddress) v6.socketAddress();
    assertEquals(6640, v6Socket.getPort());
    assertTrue(
        v6Socket.getAddress().isLoopbackAddress()
            && v6Socket.getAddress() instanceof java.net.Inet6Address);
    IllegalArgumentException bad =
        assertThrows(IllegalArgumentException.class, () -> OvsdbAddress.parse("ssl:1.2.3.4:6640"));
    assertEquals(
        "an OVSDB address is unix:FILE or tcp:HOST:PORT, not 'ssl:1.2.3.4:6640'", bad.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OvsdbAddress.parse("tcp:host:99999"));
  }
}
