package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of ROUTE-REFRESH (RFC 2918, RFC 7313) against a peer written by hand: BoRR and EoRR
 * reach the listener in order, a late EoRR is replaced by the stale routes time, another family and
 * an unknown subtype are ignored, and a message of the wrong length is a ROUTE-REFRESH Message
 * Error once enhanced route refresh is negotiated.
 */
class RouteRefreshRulesTest {
  private static final String SPEAKER = "127.0.0.125";
  private static final String PEER = "127.0.0.126";
  private static final long AS = 65125;

  private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
  private @Nullable BgpSpeaker speaker;

  private RawPeer session(Duration staleRoutesTime) throws Exception {
    BgpSpeaker s =
        BgpSpeaker.builder(AS, IpAddress.parse(SPEAKER))
            .listen(new InetSocketAddress(SPEAKER, 0))
            .listener(
                new SessionListener() {
                  @Override
                  public void update(PeerSession session, UpdateDecoder decoder) {}

                  @Override
                  public void routeRefresh(PeerSession session) {
                    events.add("asked");
                  }

                  @Override
                  public void enhancedRefresh(PeerSession session, boolean begins) {
                    events.add(begins ? "begins" : "ends");
                  }

                  @Override
                  public void down(PeerSession session, SessionDown why, boolean wasEstablished) {
                    events.add("down");
                  }
                })
            .build();
    speaker = s;
    s.addPeer(
        PeerConfig.builder(new InetSocketAddress(PEER, 179), AS)
            .passive(true)
            .holdTime(9)
            .staleRoutesTime(staleRoutesTime)
            .build());
    RawPeer raw = new RawPeer(PEER, s.listenAddresses().get(0));
    raw.open(
        new BgpOpen(
            AS,
            9,
            IpAddress.parse(PEER).ipv4(),
            List.of(
                Capability.Multiprotocol.L2VPN_EVPN,
                new Capability.RouteRefresh(),
                new Capability.EnhancedRouteRefresh(),
                new Capability.FourOctetAs(AS))));
    raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
    return raw;
  }

  @AfterEach
  void stop() {
    BgpSpeaker s = speaker;
    if (s != null) {
      s.close();
    }
  }

  private static byte[] refresh(int afi, int subtype, int safi) {
    return RawPeer.bytes(b -> BgpMessages.writeRouteRefresh(b, afi, subtype, safi));
  }

  private void expect(String event) throws InterruptedException {
    assertEquals(event, events.poll(10, TimeUnit.SECONDS), () -> "then: " + events);
  }

  @Test
  void rfc7313_4_borrAndEorrFrameThePeersRefreshAndOthersAreIgnored() throws Exception {
    try (RawPeer raw = session(Duration.ofMinutes(1))) {
      raw.send(refresh(1, BgpMessages.REFRESH_REQUEST, 1)); // IPv4 unicast: not negotiated
      raw.send(refresh(25, 3, 70)); // an unknown subtype
      raw.send(refresh(25, BgpMessages.REFRESH_BEGIN, 70));
      expect("begins");
      raw.send(refresh(25, BgpMessages.REFRESH_END, 70));
      expect("ends");
      raw.send(refresh(25, BgpMessages.REFRESH_REQUEST, 70));
      expect("asked");
      assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "nothing else: " + events);
    }
  }

  @Test
  void rfc7313_4_2_aLateEorrIsReplacedByTheStaleRoutesTime() throws Exception {
    try (RawPeer raw = session(Duration.ofMillis(300))) {
      raw.send(refresh(25, BgpMessages.REFRESH_BEGIN, 70));
      expect("begins");
      expect("ends");
      raw.send(refresh(25, BgpMessages.REFRESH_END, 70)); // too late: no second end
      assertEquals(null, events.poll(300, TimeUnit.MILLISECONDS), "nothing else: " + events);
    }
  }

  @Test
  void rfc7313_5_aRouteRefreshOfTheWrongLengthIsAMessageError() throws Exception {
    try (RawPeer raw = session(Duration.ofMinutes(1))) {
      byte[] longer =
          RawPeer.bytes(
              b -> {
                BgpMessages.writeHeader(b, 25, BgpMessages.ROUTE_REFRESH);
                b.writeShort(25).writeByte(0).writeByte(70).writeShort(0);
              });
      raw.send(longer);
      BgpNotification n = RawPeer.notification(raw.read());
      assertEquals(7, n.code(), "ROUTE-REFRESH Message Error");
      assertEquals(1, n.subcode(), "Invalid Message Length");
      assertEquals(25, n.data().length, "the message as data");
      expect("down");
    }
  }
}
