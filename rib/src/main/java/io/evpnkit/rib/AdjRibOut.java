package io.evpnkit.rib;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateEncoder;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Adj-RIB-Out toward one peer (RFC 4271 §3.2): a {@link RouteSink} that remembers what was last
 * sent, keeps only the changes since, and writes them as UPDATE messages with evpn-codec's {@link
 * UpdateEncoder}: announcements grouped by identical attributes (as many NLRI per message as fit),
 * then withdrawals. Give one per peer to the RIB (through a sink that fans out), or share one among
 * peers with the same session options. Single-threaded, like the RIB.
 *
 * @since 0.1
 */
@Beta
public final class AdjRibOut implements RouteSink {
  private final SessionOptions options;
  private final UpdateEncoder encoder;
  private final Map<EvpnRouteKey, Sent> sent;
  private final Map<EvpnRouteKey, Sent> pending;

  private record Sent(EvpnRoute route, PathAttributes attributes, boolean withdrawn) {}

  /**
   * Creates the Adj-RIB-Out of a session with these options (4-octet AS, ADD-PATH, extended
   * messages, iBGP).
   */
  public AdjRibOut(SessionOptions options) {
    this.options = options;
    this.encoder = new UpdateEncoder(options);
    this.sent = new LinkedHashMap<>();
    this.pending = new LinkedHashMap<>();
  }

  private AdjRibOut(AdjRibOut from) {
    this.options = from.options;
    this.encoder = new UpdateEncoder(from.options);
    this.sent = new LinkedHashMap<>(from.sent);
    this.pending = new LinkedHashMap<>(from.pending);
  }

  /**
   * Returns an independent copy: what was sent and what waits. A peer that cannot keep up with the
   * others of its update group goes on from a copy of the group's Adj-RIB-Out.
   */
  public AdjRibOut copy() {
    return new AdjRibOut(this);
  }

  /**
   * Returns an Adj-RIB-Out with the same options that has sent nothing and has this one's routes
   * (sent and waiting announcements) to send: the start of a peer that joins after the others.
   */
  public AdjRibOut startingOver() {
    AdjRibOut fresh = new AdjRibOut(options);
    sent.forEach((k, s) -> fresh.pending.put(k, s));
    pending.forEach(
        (k, s) -> {
          if (s.withdrawn()) {
            fresh.pending.remove(k);
          } else {
            fresh.pending.put(k, s);
          }
        });
    return fresh;
  }

  /**
   * Puts every route the peer has (and every announcement waiting) back to be written again, as a
   * route refresh asks (RFC 2918), keeping what was sent: a withdrawal meanwhile still reaches the
   * peer.
   */
  public void resendAll() {
    Map<EvpnRouteKey, Sent> again = new LinkedHashMap<>(sent);
    pending.forEach(again::put);
    pending.clear();
    pending.putAll(again);
  }

  /** Returns how many route changes wait to be written. */
  public int pendingChanges() {
    return pending.size();
  }

  @Override
  public void announce(EvpnRoute route, PathAttributes attributes) {
    EvpnRouteKey key = EvpnRouteKey.of(route);
    Sent s = sent.get(key);
    if (s != null && s.route().equals(route) && s.attributes().equals(attributes)) {
      pending.remove(key); // back to what the peer has
      return;
    }
    pending.put(key, new Sent(route, attributes, false));
  }

  @Override
  public void withdraw(EvpnRoute route) {
    EvpnRouteKey key = EvpnRouteKey.of(route);
    if (!sent.containsKey(key)) {
      pending.remove(key); // never sent: nothing to withdraw
      return;
    }
    pending.put(key, new Sent(route, PathAttributes.builder().build(), true));
  }

  /** Returns whether changes wait to be written. */
  public boolean hasChanges() {
    return !pending.isEmpty();
  }

  /** Returns the routes the peer has been sent and not withdrawn. */
  public int size() {
    return sent.size();
  }

  /**
   * Writes the changes since the last call as UPDATE messages into {@code out} (the caller owns and
   * releases it) and forgets them.
   *
   * @return the number of messages written
   */
  public int write(ByteBuf out) {
    return write(out, Integer.MAX_VALUE);
  }

  /**
   * Writes at most {@code maxChanges} of the changes, the oldest first, as {@link #write(ByteBuf)}
   * does; the others wait for the next call. A sender with flow control writes a bounded batch
   * whenever its connection can take more.
   *
   * @return the number of messages written
   */
  public int write(ByteBuf out, int maxChanges) {
    Map<PathAttributes, List<EvpnRoute>> byAttributes = new LinkedHashMap<>();
    List<EvpnRoute> withdrawn = new ArrayList<>();
    var it = pending.entrySet().iterator();
    for (int n = 0; n < maxChanges && it.hasNext(); n++) {
      Map.Entry<EvpnRouteKey, Sent> e = it.next();
      EvpnRouteKey key = e.getKey();
      Sent s = e.getValue();
      if (s.withdrawn()) {
        withdrawn.add(s.route());
        sent.remove(key);
      } else {
        byAttributes.computeIfAbsent(s.attributes(), a -> new ArrayList<>()).add(s.route());
        sent.put(key, s);
      }
      it.remove();
    }
    int messages = 0;
    for (Map.Entry<PathAttributes, List<EvpnRoute>> e : byAttributes.entrySet()) {
      messages += encoder.announce(e.getKey(), e.getValue(), out);
    }
    if (!withdrawn.isEmpty()) {
      messages += encoder.withdraw(withdrawn, out);
    }
    return messages;
  }

  /** Writes everything the peer should have (a route refresh, RFC 2918), followed by End-of-RIB. */
  public int writeAll(ByteBuf out) {
    Map<PathAttributes, List<EvpnRoute>> byAttributes = new LinkedHashMap<>();
    for (Sent s : sent.values()) {
      byAttributes.computeIfAbsent(s.attributes(), a -> new ArrayList<>()).add(s.route());
    }
    int messages = 0;
    for (Map.Entry<PathAttributes, List<EvpnRoute>> e : byAttributes.entrySet()) {
      messages += encoder.announce(e.getKey(), e.getValue(), out);
    }
    encoder.writeEndOfRib(out);
    return messages + 1;
  }

  @Override
  public String toString() {
    return "AdjRibOut[" + sent.size() + " sent, " + pending.size() + " pending]";
  }
}
