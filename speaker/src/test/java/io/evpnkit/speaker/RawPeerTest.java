package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import java.io.DataInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer written byte by byte against the speaker's listening socket: what the speaker does with a
 * malformed UPDATE, an UPDATE before the session is up, a peer that goes silent, and an address it
 * does not know, each checked on the wire (the NOTIFICATION read back, and decoded by Wireshark's
 * dissector from a capture of it).
 */
class RawPeerTest {
  private static final String SPEAKER = "127.0.0.30";
  private static final String PEER = "127.0.0.31";
  private static final long PEER_AS = 65031;

  private BgpSpeaker speaker;
  private final CountDownLatch established = new CountDownLatch(1);

  @BeforeEach
  void start() {
    speaker =
        BgpSpeaker.builder(65030, IpAddress.parse(SPEAKER))
            .listen(new InetSocketAddress(SPEAKER, 0))
            .listener(
                new SessionListener() {
                  @Override
                  public void update(PeerSession session, UpdateDecoder decoder) {}

                  @Override
                  public void established(PeerSession session) {
                    established.countDown();
                  }
                })
            .build();
    speaker.addPeer(
        PeerConfig.builder(new InetSocketAddress(PEER, 179), PEER_AS)
            .passive(true)
            .holdTime(3)
            .connectRetry(Duration.ofSeconds(1))
            .build());
  }

  @AfterEach
  void stop() {
    speaker.close();
  }

  /** An UPDATE whose attributes are the given bytes. */
  private static byte[] update(byte[] attributes) {
    return RawPeer.bytes(
        b -> {
          BgpMessages.writeHeader(b, 23 + attributes.length, 2);
          b.writeShort(0);
          b.writeShort(attributes.length);
          b.writeBytes(attributes);
        });
  }

  @Test
  void rfc7606_3_g_mpUnreachTwiceResetsTheSessionWithMalformedAttributeList(@TempDir Path dir)
      throws Exception {
    try (RawPeer raw = new RawPeer(PEER, speaker.listenAddresses().get(0))) {
      raw.open(PEER_AS, 9);
      raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
      assertTrue(established.await(10, TimeUnit.SECONDS));
      byte[] mpUnreach = {(byte) 0x80, 15, 3, 0, 25, 70};
      byte[] twice = new byte[12];
      System.arraycopy(mpUnreach, 0, twice, 0, 6);
      System.arraycopy(mpUnreach, 0, twice, 6, 6);
      raw.send(update(twice));
      byte[] message = raw.read();
      while (message[18] == BgpMessages.KEEPALIVE) {
        message = raw.read();
      }
      BgpNotification n = RawPeer.notification(message);
      assertEquals(BgpNotification.UPDATE_MESSAGE_ERROR, n.code());
      assertEquals(BgpNotification.MALFORMED_ATTRIBUTE_LIST, n.subcode());
      assertTrue(raw.closedByPeer(), "the speaker closes after its NOTIFICATION");
      assertEquals(
          "3,1",
          Tshark.notification(dir, message),
          "Wireshark reads the same error from the bytes we sent");
    }
  }

  /**
   * Wireshark's reading of a NOTIFICATION: the bytes put in a capture as a segment from a BGP
   * speaker, then {@code tshark -T fields} of the error code and UPDATE subcode.
   */
  @Test
  void rfc6608_anUpdateBeforeTheKeepaliveIsAnFsmErrorInOpenConfirm() throws Exception {
    try (RawPeer raw = new RawPeer(PEER, speaker.listenAddresses().get(0))) {
      raw.open(PEER_AS, 9);
      raw.send(update(new byte[0]));
      BgpNotification n = RawPeer.notification(raw.read());
      assertEquals(BgpNotification.FSM_ERROR, n.code());
      assertEquals(2, n.subcode(), "unexpected message in OpenConfirm");
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void rfc4271_6_5_aPeerThatGoesSilentIsToldTheHoldTimerExpired() throws Exception {
    try (RawPeer raw = new RawPeer(PEER, speaker.listenAddresses().get(0))) {
      raw.open(PEER_AS, 3); // the smaller hold time: 3 s
      raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
      assertTrue(established.await(10, TimeUnit.SECONDS));
      long start = System.nanoTime();
      byte[] message = raw.read();
      int keepalives = 0;
      while (message[18] == BgpMessages.KEEPALIVE) {
        keepalives++;
        message = raw.read(); // we send nothing more
      }
      long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      BgpNotification n = RawPeer.notification(message);
      assertEquals(BgpNotification.HOLD_TIMER_EXPIRED, n.code());
      assertTrue(waited >= 2_500 && waited < 8_000, () -> "after " + waited + " ms");
      assertTrue(keepalives >= 1, "keepalives every second or so until then");
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void aConnectionFromAnAddressWithNoPeerIsClosedAtOnce() throws Exception {
    try (RawPeer raw = new RawPeer("127.0.0.32", speaker.listenAddresses().get(0))) {
      assertTrue(raw.closedByPeer());
    }
  }

  @Test
  void rfc4271_6_2_theWrongAsIsBadPeerAs() throws Exception {
    try (RawPeer raw = new RawPeer(PEER, speaker.listenAddresses().get(0))) {
      raw.send(RawPeer.bytes(b -> BgpOpen.evpn(65099, 9, IpAddress.parse(PEER).ipv4()).write(b)));
      assertEquals(BgpOpen.TYPE, raw.read()[18]);
      BgpNotification n = RawPeer.notification(raw.read());
      assertEquals(BgpNotification.OPEN_MESSAGE_ERROR, n.code());
      assertEquals(BgpNotification.BAD_PEER_AS, n.subcode());
      assertArrayEquals(new byte[] {(byte) (65099 >>> 8), (byte) 65099}, n.data());
    }
  }

  /**
   * RFC 4271 §6.8: the speaker has connected to the peer and sent its OPEN, and the peer connects
   * too; when the second connection's OPEN arrives, the connection initiated by the higher BGP
   * identifier stays and the other is closed with Cease, Connection Collision Resolution.
   */
  @org.junit.jupiter.params.ParameterizedTest(name = "peer identifier {0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"127.0.0.99", "10.0.0.1"})
  void rfc4271_6_8_aCollisionKeepsTheConnectionOfTheHigherIdentifier(String peerId)
      throws Exception {
    boolean peerWins = peerId.equals("127.0.0.99"); // the speaker is 127.0.0.33
    String peer = "127.0.0.34";
    try (java.net.ServerSocket listener = new java.net.ServerSocket()) {
      listener.bind(new InetSocketAddress(peer, 0));
      CountDownLatch up = new CountDownLatch(1);
      try (BgpSpeaker active =
          BgpSpeaker.builder(65033, IpAddress.parse("127.0.0.33"))
              .listen(new InetSocketAddress("127.0.0.33", 0))
              .listener(
                  new SessionListener() {
                    @Override
                    public void update(PeerSession session, UpdateDecoder decoder) {}

                    @Override
                    public void established(PeerSession session) {
                      up.countDown();
                    }
                  })
              .build()) {
        active.addPeer(
            PeerConfig.builder(new InetSocketAddress(peer, listener.getLocalPort()), PEER_AS)
                .local(new InetSocketAddress("127.0.0.33", 0))
                .holdTime(9)
                .connectRetry(Duration.ofSeconds(30))
                .build());
        listener.setSoTimeout(10_000);
        try (Socket first = listener.accept();
            Socket second = new Socket()) {
          first.setSoTimeout(10_000);
          DataInputStream firstIn = new DataInputStream(first.getInputStream());
          assertEquals(BgpOpen.TYPE, RawPeer.read(firstIn)[18], "the speaker's OPEN");
          // the peer connects too, and sends its OPEN on its own connection
          second.bind(new InetSocketAddress(peer, 0));
          second.connect(active.listenAddresses().get(0), 5000);
          second.setSoTimeout(10_000);
          DataInputStream secondIn = new DataInputStream(second.getInputStream());
          byte[] open =
              RawPeer.bytes(b -> BgpOpen.evpn(PEER_AS, 9, IpAddress.parse(peerId).ipv4()).write(b));
          second.getOutputStream().write(open);
          assertEquals(BgpOpen.TYPE, RawPeer.read(secondIn)[18], "the speaker's OPEN on ours");
          Socket loser = peerWins ? first : second;
          Socket winner = peerWins ? second : first;
          DataInputStream loserIn = peerWins ? firstIn : secondIn;
          DataInputStream winnerIn = peerWins ? secondIn : firstIn;
          BgpNotification n = RawPeer.notification(RawPeer.read(loserIn));
          assertEquals(BgpNotification.CEASE, n.code());
          assertEquals(SessionFsm.CEASE_CONNECTION_COLLISION, n.subcode());
          assertEquals(-1, loser.getInputStream().read(), "the loser is closed");
          if (!peerWins) {
            winner.getOutputStream().write(open); // the OPEN answering the speaker's
          }
          assertEquals(BgpMessages.KEEPALIVE, RawPeer.read(winnerIn)[18]);
          winner.getOutputStream().write(RawPeer.bytes(BgpMessages::writeKeepalive));
          assertTrue(up.await(10, TimeUnit.SECONDS), "established on the winner");
        }
      }
    }
  }
}
