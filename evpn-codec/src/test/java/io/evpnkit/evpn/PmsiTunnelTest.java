package io.evpnkit.evpn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;
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
  void everyPmsiOfGobgpsCorpusIsIngressReplicationToTheOriginator() throws IOException {
    byte[] corpus;
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/golden/gobgp-mixed-400.bgp"))) {
      corpus = in.readAllBytes();
    }
    ByteBuf b = Unpooled.wrappedBuffer(corpus);
    int seen = 0;
    for (int off = 0; off < corpus.length; off += b.getUnsignedShort(off + 16)) {
      int attrs = off + 21 + b.getUnsignedShort(off + 19);
      int end = attrs + 2 + b.getUnsignedShort(attrs);
      IpAddress originator = null;
      PmsiTunnel pmsi = null;
      for (int a = attrs + 2; a < end;) {
        boolean ext = (b.getUnsignedByte(a) & 0x10) != 0;
        int len = ext ? b.getUnsignedShort(a + 2) : b.getUnsignedByte(a + 2);
        int v = a + (ext ? 4 : 3);
        int type = b.getUnsignedByte(a + 1);
        if (type == 22) {
          pmsi = PmsiTunnel.read(b, v, len);
        } else if (type == 14 && b.getUnsignedByte(v + 5 + b.getUnsignedByte(v + 3)) == 3) {
          EvpnNlri n = new EvpnNlri().wrap(b, v + 5 + b.getUnsignedByte(v + 3), v + len);
          originator = n.ip();
        }
        a = v + len;
      }
      if (pmsi != null) {
        assertEquals(PmsiTunnel.INGRESS_REPLICATION, pmsi.tunnelType());
        assertEquals(originator, pmsi.endpoint(), "RFC 7432 §11.2: the endpoint is the originator");
        assertTrue(pmsi.label().vni() >= 10000, pmsi::toString);
        seen++;
      }
    }
    assertEquals(160, seen, "the corpus README: 160 type-3 routes per VTEP, one per UPDATE, with PMSI");
    b.release();
  }
}
