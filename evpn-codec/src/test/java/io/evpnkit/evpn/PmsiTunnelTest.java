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
    PmsiTunnel t = PmsiTunnel.ingressReplication(LabelField.ofVni(10100), IpAddress.parse("10.255.0.1"));
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
      GobgpSample.forEachAttribute(message, (type, v, len) -> {
        if (type == 22) {
          pmsi[0] = PmsiTunnel.read(message, v, len);
        }
      });
      GobgpSample.forEachNlriField(message, (attribute, from, to) -> {
        if (attribute == 14 && message.getUnsignedByte(from) == 3) {
          originator[0] = new EvpnNlri().wrap(message, from, to).ip();
        }
      });
      if (pmsi[0] != null) {
        assertEquals(PmsiTunnel.INGRESS_REPLICATION, pmsi[0].tunnelType());
        assertEquals(originator[0], pmsi[0].endpoint(), "RFC 7432 §11.2: the endpoint is the originator");
        assertTrue(pmsi[0].label().vni() >= 10000, pmsi[0]::toString);
        seen++;
      }
    }
    assertEquals(160, seen, "the corpus README: 160 type-3 routes per VTEP, one per UPDATE, with PMSI");
    b.release();
  }
}
