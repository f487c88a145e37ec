package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.UpdateDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The transport's protections against real peers: TCP MD5 signatures (RFC 2385) with a gobgpd that
 * signs its segments (a matching key brings the session up, a wrong or missing one never does: the
 * kernel drops the segments), and GTSM (RFC 5082) with FRR's {@code ttl-security hops 1} (both
 * sides send TTL 255 and accept nothing less; against a peer that sends the usual 64 the session
 * never comes up).
 */
class TransportSecurityTest {
  private static final String GOBGP = "127.0.0.81";
  private static final String FRR = "127.0.0.83";
  private static final String US = "127.0.0.82";

  private static final SessionListener QUIET =
      new SessionListener() {
        @Override
        public void update(PeerSession session, UpdateDecoder decoder) {}
      };

  private static BgpSpeaker speaker() {
    return BgpSpeaker.builder(65001, IpAddress.parse(US)).listener(QUIET).build();
  }

  private static PeerConfig.Builder peer(String address, int port, long as) {
    return PeerConfig.builder(new InetSocketAddress(address, port), as)
        .local(new InetSocketAddress(US, 0))
        .holdTime(9)
        .connectRetry(Duration.ofSeconds(1));
  }

  private static PeerSession md5Session(BgpSpeaker speaker, Gobgpd gobgpd, @Nullable String key) {
    PeerConfig.Builder b = peer(GOBGP, gobgpd.port, 65000);
    if (key != null) {
      b.authenticationKey(key);
    }
    return speaker.addPeer(b.build());
  }

  @Test
  void rfc2385_aMatchingKeyBringsTheSessionUpAndAWrongOrMissingOneNever() throws Exception {
    try (BgpSpeaker speaker = speaker()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(speaker.isEpoll(), "TCP MD5 needs epoll");
    }
    try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, -1, "fabric-s3cret");
        BgpSpeaker speaker = speaker()) {
      PeerSession p = md5Session(speaker, gobgpd, "fabric-s3cret");
      RealPeers.await("the signed session up", () -> p.state() == SessionState.ESTABLISHED);
      RealPeers.await("gobgp to show it", () -> gobgpd.neighborState(US) == Gobgpd.ESTABLISHED);
    }
    for (String key : new String[] {"not-the-key", null}) {
      try (Gobgpd gobgpd = new Gobgpd(GOBGP, 65000, US, 65001, true, -1, "fabric-s3cret");
          BgpSpeaker speaker = speaker()) {
        PeerSession p = md5Session(speaker, gobgpd, key);
        Thread.sleep(3000); // three connect retries
        assertNotEquals(SessionState.ESTABLISHED, p.state(), "key " + key);
        assertNotEquals(Gobgpd.ESTABLISHED, gobgpd.neighborState(US), "key " + key);
      }
    }
  }

  private static String frrConfig(boolean ttlSecurity) {
    return """
        router bgp 65000
         bgp router-id %1$s
         no bgp default ipv4-unicast
         neighbor %2$s remote-as 65001
         neighbor %2$s passive
         neighbor %2$s timers 3 9
        %3$s address-family l2vpn evpn
          neighbor %2$s activate
         exit-address-family
        """
        .formatted(FRR, US, ttlSecurity ? " neighbor " + US + " ttl-security hops 1\n" : "");
  }

  @Test
  void rfc5082_withTtlSecurityOnBothSidesTheSessionComesUpAndAPeerSendingTtl64NeverGetsIn()
      throws Exception {
    try (BgpSpeaker speaker = speaker()) {
      org.junit.jupiter.api.Assumptions.assumeTrue(speaker.isEpoll(), "GTSM needs epoll");
    }
    try (FrrBgpd frr = new FrrBgpd(FRR, frrConfig(true));
        BgpSpeaker speaker = speaker()) {
      PeerSession p = speaker.addPeer(peer(FRR, frr.port, 65000).ttlSecurity(1).build());
      RealPeers.await("the session up under GTSM", () -> p.state() == SessionState.ESTABLISHED);
      RealPeers.await("FRR to show it", () -> frr.neighborState(US).equals("Established"));
    }
    try (FrrBgpd frr = new FrrBgpd(FRR, frrConfig(false));
        BgpSpeaker speaker = speaker()) {
      PeerSession p = speaker.addPeer(peer(FRR, frr.port, 65000).ttlSecurity(1).build());
      Thread.sleep(3000);
      assertNotEquals(
          SessionState.ESTABLISHED, p.state(), "FRR's segments (TTL 64) are dropped by ours");
      assertNotEquals("Established", frr.neighborState(US));
    }
  }

  @Test
  void md5AndGtsmAreRefusedOnNioRatherThanSilentlyLeftOut() {
    try (BgpSpeaker nio =
        BgpSpeaker.builder(65001, IpAddress.parse(US)).listener(QUIET).nio(true).build()) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> nio.addPeer(peer(GOBGP, 179, 65000).authenticationKey("k").build()));
      assertTrue(String.valueOf(e.getMessage()).contains("epoll"), e.getMessage());
      assertThrows(
          IllegalStateException.class,
          () -> nio.addPeer(peer(GOBGP, 179, 65000).ttlSecurity(1).build()));
      assertEquals(0, nio.peers().size());
    }
  }
}
