package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateOutcome;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.GeneratedUpdate;
import io.evpnkit.testkit.MutatedUpdate;
import io.evpnkit.testkit.UpdateMutator;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * testkit's mutated UPDATEs (lengths that lie, flags, truncations, bit flips, splices) sent on a
 * live session: the speaker answers each the way RFC 7606 says — a session reset is a NOTIFICATION
 * of UPDATE Message Error, anything else leaves the session up (a probe that follows, a message of
 * an unknown type, gets its own Message Header Error) — and never drops a connection without a
 * NOTIFICATION nor lets an exception reach its listener.
 */
class HostileUpdatesTest {
  private static final String SPEAKER = "127.0.0.210";
  private static final String PEER = "127.0.0.211";
  private static final long AS = 65210;
  private static final long RUN_SEED = 0x5eed_2026_1203L;
  private static final int CASES = 100;

  /** A message of type 9: no such type, a Message Header Error (RFC 4271 §6.1: 1/3). */
  private static final byte[] PROBE = RawPeer.bytes(b -> BgpMessages.writeHeader(b, 19, 9));

  @Test
  void everyMutatedUpdateGetsRfc7606sAnswerAndNoConnectionEndsSilently() throws Exception {
    AtomicInteger listenerFaults = new AtomicInteger();
    SessionListener listener =
        new SessionListener() {
          @Override
          public void update(PeerSession session, UpdateDecoder decoder) {
            try {
              decoder.forEachRoute((withdraw, pathId, nlri) -> nlri.routeTypeCode());
              if (decoder.outcome() != UpdateOutcome.SESSION_RESET) {
                decoder.attributes();
              }
            } catch (RuntimeException e) {
              listenerFaults.incrementAndGet();
              throw e;
            }
          }
        };
    List<MutatedUpdate> cases = new ArrayList<>();
    EvpnUpdateGenerator generator = new EvpnUpdateGenerator(RUN_SEED);
    GeneratedUpdate previous = null;
    for (int i = 0; i < 2000 && cases.size() < CASES; i++) {
      GeneratedUpdate u = generator.next();
      if (!u.options().equals(SessionOptions.IBGP)) {
        continue; // the session below is iBGP, 4-octet AS, without ADD-PATH
      }
      if (previous != null) {
        cases.addAll(UpdateMutator.mutations(u, previous, u.seed(), 3));
      }
      previous = u;
    }
    assertTrue(cases.size() >= CASES, "cases: " + cases.size());
    try (BgpSpeaker speaker =
        BgpSpeaker.builder(AS, IpAddress.parse(SPEAKER))
            .listen(new InetSocketAddress(SPEAKER, 0))
            .listener(listener)
            .build()) {
      speaker.addPeer(
          PeerConfig.builder(new InetSocketAddress(PEER, 179), AS)
              .passive(true)
              .holdTime(0)
              .connectRetry(Duration.ofMillis(100)) // the restart after each reset, capped here
              .build());
      int resets = 0;
      int absorbing = 0;
      for (MutatedUpdate m : cases.subList(0, CASES)) {
        byte[] b = m.bytes();
        if (b.length >= 19 && ((b[16] & 0xFF) << 8 | (b[17] & 0xFF)) > b.length) {
          // a header that claims more octets than follow: the probe becomes part of the message
          // and the speaker waits for the rest, as a TCP stream must (the hold timer ends it)
          absorbing++;
          continue;
        }
        BgpNotification n = answer(speaker, m);
        String what = m + ": " + n;
        if (m.expected() == UpdateOutcome.SESSION_RESET) {
          assertEquals(BgpNotification.UPDATE_MESSAGE_ERROR, n.code(), what);
        } else if (m.expected() != null) {
          assertEquals(1, n.code(), "the session survived: the probe's error: " + what);
          assertEquals(3, n.subcode(), what);
        } else {
          assertTrue(
              n.code() == BgpNotification.UPDATE_MESSAGE_ERROR
                  || (n.code() == 1 && n.subcode() == 3)
                  || n.code() == 1,
              what);
        }
        resets += n.code() == BgpNotification.UPDATE_MESSAGE_ERROR ? 1 : 0;
      }
      assertTrue(
          resets > 0 && resets < CASES - absorbing,
          "both answers seen: " + resets + " resets, " + absorbing + " absorbing");
      assertEquals(0, listenerFaults.get(), "decoded views were safe to read");
    }
  }

  /**
   * Brings a session up, sends the mutated UPDATE and the probe, returns the first NOTIFICATION.
   */
  private static BgpNotification answer(BgpSpeaker speaker, MutatedUpdate m) throws Exception {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (RawPeer raw = new RawPeer(PEER, speaker.listenAddresses().get(0))) {
        byte[] first;
        try {
          raw.open(BgpOpen.evpn(AS, 0, IpAddress.parse(PEER).ipv4()));
        } catch (EOFException | java.net.SocketException e) {
          // the speaker is still in its idle hold after the last reset: try again
          if (System.nanoTime() > deadline) {
            throw new AssertionError("no session for " + m, e);
          }
          Thread.sleep(50);
          continue;
        }
        raw.send(RawPeer.bytes(BgpMessages::writeKeepalive));
        raw.send(m.bytes());
        raw.send(PROBE);
        do {
          try {
            first = raw.read();
          } catch (EOFException e) {
            throw new AssertionError("closed without a NOTIFICATION after " + m, e);
          } catch (java.net.SocketTimeoutException e) {
            throw new AssertionError("no answer to " + m + " " + m.bytes().length, e);
          }
        } while (first[18] != BgpNotification.TYPE);
        return RawPeer.notification(first);
      }
    }
  }
}
