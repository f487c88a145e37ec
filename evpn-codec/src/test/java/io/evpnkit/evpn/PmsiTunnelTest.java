package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class PmsiTunnelTest {
  @Test
  void ingressReplicationWithTheVniInTheLabelField() {
    PmsiTunnel t =
        PmsiTunnel.ingressReplication(LabelField.ofVni(10100), IpAddress.parse("10.255.0.1"));
    ByteBuf b = Unpooled.buffer(16).writerIndex(16);
    t.write(b, 3);
    assertEquals("0006002774" + "0aff0001", io.netty.buffer.ByteBufUtil.hexDump(b, 3, t.length()));
    PmsiTunnel back = PmsiTunnel.read(b, 3, t.length());
    assertEquals(t, back);
    assertEquals("pmsi:ingress-replication:label 10100:10.255.0.1", back.toString());
    assertEquals(10100, back.label().vni());
    assertThrows(MalformedException.class, () -> PmsiTunnel.read(b, 3, 4));
    assertThrows(MalformedException.class, () -> PmsiTunnel.read(b, 3, 8));
    b.release();
  }

  @Test
  void everyPmsiOfGobgpsCorpusIsIngressReplicationToTheOriginator() {
    ByteBuf b = GobgpSample.buffer();
    int seen = 0;
    // one message at a time: its PMSI must name the originator of its type-3 route
    for (int off = 0; off < b.writerIndex(); off += b.getUnsignedShort(off + 16)) {
      ByteBuf message = b.slice(off, b.getUnsignedShort(off + 16));
      IpAddress[] originator = {null};
      PmsiTunnel[] pmsi = {null};
      GobgpSample.forEachAttribute(
          message,
          (type, v, len) -> {
            if (type == 22) {
              pmsi[0] = PmsiTunnel.read(message, v, len);
            }
          });
      GobgpSample.forEachNlriField(
          message,
          (attribute, from, to) -> {
            if (attribute == 14 && message.getUnsignedByte(from) == 3) {
              originator[0] = new EvpnNlri().wrap(message, from, to).ip();
            }
          });
      if (pmsi[0] != null) {
        assertEquals(PmsiTunnel.INGRESS_REPLICATION, pmsi[0].tunnelType());
        assertEquals(
            originator[0], pmsi[0].endpoint(), "RFC 7432 §11.2: the endpoint is the originator");
        assertTrue(pmsi[0].label().vni() >= 10000, pmsi[0]::toString);
        seen++;
      }
    }
    assertEquals(
        160, seen, "the corpus README: 160 type-3 routes per VTEP, one per UPDATE, with PMSI");
    b.release();
  }

  /** Writes {@code t} at offset 3 of a buffer, checks its bytes, reads it back and returns it. */
  private static PmsiTunnel roundTrip(PmsiTunnel t, String hex) {
    ByteBuf b = Unpooled.buffer(t.length() + 3).writerIndex(t.length() + 3);
    t.write(b, 3);
    assertEquals(hex, io.netty.buffer.ByteBufUtil.hexDump(b, 3, t.length()));
    PmsiTunnel back = PmsiTunnel.read(b, 3, t.length());
    assertEquals(t, back);
    assertEquals(t.hashCode(), back.hashCode());
    b.release();
    return back;
  }

  @Test
  void rfc6514_5_pimTreesCarryTheSenderAndTheProviderGroup() {
    LabelField vni = LabelField.ofVni(100);
    PmsiTunnel ssm =
        roundTrip(
            PmsiTunnel.pimTree(
                PmsiTunnel.PIM_SSM, vni, IpAddress.parse("10.0.0.1"), IpAddress.parse("232.1.1.1")),
            "0003000064" + "0a000001" + "e8010101");
    assertEquals(IpAddress.parse("10.0.0.1"), ssm.sender());
    assertEquals(IpAddress.parse("232.1.1.1"), ssm.group());
    assertEquals("pmsi:pim-ssm:label 100:10.0.0.1,232.1.1.1", ssm.toString());
    PmsiTunnel sm =
        roundTrip(
            PmsiTunnel.pimTree(
                PmsiTunnel.PIM_SM, vni, IpAddress.parse("2001:db8::1"), IpAddress.parse("ff0e::1")),
            "0004000064" + "20010db8000000000000000000000001" + "ff0e0000000000000000000000000001");
    assertEquals(IpAddress.parse("ff0e::1"), sm.group());
    PmsiTunnel bidir =
        roundTrip(
            PmsiTunnel.pimTree(
                PmsiTunnel.BIDIR_PIM,
                vni,
                IpAddress.parse("10.0.0.9"),
                IpAddress.parse("239.0.0.1")),
            "0005000064" + "0a000009" + "ef000001");
    assertEquals("pmsi:bidir-pim:label 100:10.0.0.9,239.0.0.1", bidir.toString());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PmsiTunnel.pimTree(
                PmsiTunnel.PIM_SM, vni, IpAddress.parse("10.0.0.1"), IpAddress.parse("10.0.0.2")),
        "a unicast group");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PmsiTunnel.pimTree(
                PmsiTunnel.PIM_SM, vni, IpAddress.parse("10.0.0.1"), IpAddress.parse("ff0e::1")),
        "mixed families");
    assertThrows(
        IllegalArgumentException.class,
        () ->
            PmsiTunnel.pimTree(
                PmsiTunnel.INGRESS_REPLICATION,
                vni,
                IpAddress.parse("10.0.0.1"),
                IpAddress.parse("232.1.1.1")));
    assertThrows(IllegalStateException.class, ssm::endpoint);
  }

  @Test
  void rfc6514_5_rsvpTeP2mpIsNamedAsItsSessionObject() {
    PmsiTunnel t =
        roundTrip(
            PmsiTunnel.rsvpTeP2mp(
                LabelField.of(0x12340), 0xC0000201L, 7, IpAddress.parse("10.0.0.1")),
            "0001012340" + "c0000201" + "0000" + "0007" + "0a000001");
    assertEquals(0xC0000201L, t.p2mpId());
    assertEquals(7, t.tunnelId());
    assertEquals(IpAddress.parse("10.0.0.1"), t.extendedTunnelId());
    assertEquals("pmsi:rsvp-te-p2mp:label 74560:3221225985/7/10.0.0.1", t.toString());
    assertEquals(
        24,
        PmsiTunnel.rsvpTeP2mp(LabelField.ZERO, 1, 2, IpAddress.parse("2001:db8::1")).length() - 5);
    assertThrows(
        IllegalArgumentException.class,
        () -> PmsiTunnel.rsvpTeP2mp(LabelField.ZERO, 1, 65536, IpAddress.parse("10.0.0.1")));
  }

  @Test
  void rfc6388_2_2_mldpP2mpCarriesItsFecElement() {
    byte[] opaque = {
      1, 0, 4, 0, 0, 0, 42
    }; // a generic LSP identifier, opaque value type 1 (RFC 6388 §2.3.1)
    PmsiTunnel t =
        roundTrip(
            PmsiTunnel.mldpP2mp(LabelField.ZERO, IpAddress.parse("10.0.0.1"), opaque),
            "0002000000" + "06" + "0001" + "04" + "0a000001" + "0007" + "01000400" + "00002a");
    assertEquals(IpAddress.parse("10.0.0.1"), t.rootNode());
    assertEquals(java.util.Arrays.toString(opaque), java.util.Arrays.toString(t.opaqueValue()));
    assertEquals("pmsi:mldp-p2mp:label 0:10.0.0.1,0100040000002a", t.toString());
    PmsiTunnel v6 =
        PmsiTunnel.mldpP2mp(LabelField.ZERO, IpAddress.parse("2001:db8::1"), new byte[0]);
    assertEquals(
        IpAddress.parse("2001:db8::1"),
        roundTrip(
                v6,
                "0002000000" + "06" + "0002" + "10" + "20010db8000000000000000000000001" + "0000")
            .rootNode());
  }

  @Test
  void rfc9572_3_theLeafInformationRequiredFlagSolicitsLeafAdRoutes() {
    PmsiTunnel ir =
        PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("10.0.0.1"));
    PmsiTunnel soliciting = ir.withLeafInformationRequired(true);
    assertTrue(soliciting.leafInformationRequired());
    roundTrip(soliciting, "0106000064" + "0a000001");
    assertEquals("pmsi:flags 0x01:ingress-replication:label 100:10.0.0.1", soliciting.toString());
    assertEquals(ir, soliciting.withLeafInformationRequired(false));
    PmsiTunnel none =
        roundTrip(
            PmsiTunnel.noTunnelInformation(LabelField.ZERO).withLeafInformationRequired(true),
            "0100000000");
    assertEquals("pmsi:flags 0x01:no-tunnel-information:label 0", none.toString());
  }

  @Test
  void rfc9574_assistedReplicationNamesTheReplicatorAndTheRoleOfEachPe() {
    PmsiTunnel replicator =
        roundTrip(
            PmsiTunnel.assistedReplication(LabelField.ofVni(100), IpAddress.parse("10.0.0.9")),
            "080a000064" + "0a000009");
    assertEquals(PmsiTunnel.ROLE_AR_REPLICATOR, replicator.assistedReplicationRole());
    assertEquals(IpAddress.parse("10.0.0.9"), replicator.endpoint());
    assertEquals("pmsi:flags 0x08:assisted-replication:label 100:10.0.0.9", replicator.toString());
    PmsiTunnel leaf =
        PmsiTunnel.ingressReplication(LabelField.ofVni(100), IpAddress.parse("10.0.0.1"))
            .withAssistedReplicationRole(PmsiTunnel.ROLE_AR_LEAF)
            .withFlags(PmsiTunnel.FLAG_BROADCAST_MULTICAST_PRUNED | PmsiTunnel.ROLE_AR_LEAF << 3);
    assertEquals(PmsiTunnel.ROLE_AR_LEAF, leaf.assistedReplicationRole());
    roundTrip(leaf, "1406000064" + "0a000001");
    assertThrows(IllegalArgumentException.class, () -> leaf.withAssistedReplicationRole(4));
    assertThrows(IllegalArgumentException.class, () -> leaf.withFlags(256));
  }

  @Test
  void tunnelIdentifiersThatDoNotFitTheirTypeAreMalformedWithThePlace() {
    String[] bad = {
      "0000000000" + "0a000001", // no tunnel information with an identifier
      "0003000000" + "0a000001", // PIM tree with a sender and no group
      "0001000000" + "0000000100000001", // RSVP-TE session too short
      "0002000000" + "07000104" + "0a000001" + "0000", // mLDP FEC type 7 (MP2MP) in a P2MP tunnel
      "0002000000" + "06000204" + "0a000001" + "0000", // family IPv6 with a 4-octet root
      "0002000000"
          + "06000104"
          + "0a000001"
          + "0003"
          + "01", // opaque length runs past the attribute
      "000a000000" + "0a0000", // an AR-IP of 3 octets
    };
    for (String hex : bad) {
      ByteBuf b = Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump(hex));
      MalformedException e =
          assertThrows(
              MalformedException.class, () -> PmsiTunnel.read(b, 0, b.readableBytes()), hex);
      assertEquals(5, e.offset(), hex);
      assertThrows(
          IllegalArgumentException.class,
          () ->
              PmsiTunnel.of(
                  b.getUnsignedByte(0),
                  b.getUnsignedByte(1),
                  LabelField.ZERO,
                  io.netty.buffer.ByteBufUtil.getBytes(b, 5, b.readableBytes() - 5)),
          hex);
    }
    // a type this class does not model keeps its bytes
    ByteBuf other =
        Unpooled.wrappedBuffer(io.netty.buffer.ByteBufUtil.decodeHexDump("000b000000" + "0102"));
    PmsiTunnel kept = PmsiTunnel.read(other, 0, 7);
    assertEquals("pmsi:type 11:label 0:0102", kept.toString());
    assertEquals(kept, PmsiTunnel.of(0, 11, LabelField.ZERO, new byte[] {1, 2}));
  }

  @Test
  void aMalformedPmsiTunnelInAnUpdateIsTreatAsWithdraw() {
    PathAttributes a =
        PathAttributes.builder()
            .nextHop(IpAddress.parse("10.0.0.1"))
            .pmsiTunnel(
                PmsiTunnel.pimTree(
                    PmsiTunnel.PIM_SSM,
                    LabelField.ZERO,
                    IpAddress.parse("10.0.0.1"),
                    IpAddress.parse("232.0.0.1")))
            .build();
    ByteBuf out = Unpooled.buffer();
    new UpdateEncoder(SessionOptions.IBGP).announce(a, UpdateEncoderTest.macRoutes(1), out);
    UpdateDecoder d = new UpdateDecoder(SessionOptions.IBGP);
    assertEquals(UpdateOutcome.OK, d.decode(out));
    assertEquals(a.pmsiTunnel(), d.attributes().pmsiTunnel());
    // the group's last octet goes: the PIM identifier is then 7 octets, and the attribute length
    // says so
    int at =
        io.netty.buffer.ByteBufUtil.indexOf(
            Unpooled.wrappedBuffer(new byte[] {(byte) 0xC0, 22}), out);
    ByteBuf cut = Unpooled.buffer();
    cut.writeBytes(out, 0, at + 2)
        .writeByte(12)
        .writeBytes(out, at + 3, 12)
        .writeBytes(out, at + 16, out.readableBytes() - at - 16);
    cut.setShort(16, cut.readableBytes());
    cut.setShort(21, cut.getUnsignedShort(21) - 1);
    assertEquals(UpdateOutcome.TREAT_AS_WITHDRAW, d.decode(cut), () -> d.errors().toString());
    assertTrue(
        d.error(0).reason().contains("PIM tree identifier of 7 bytes"), () -> d.error(0).reason());
    out.release();
    cut.release();
  }
}
