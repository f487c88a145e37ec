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
  private final UpdateEncoder encoder;
  private final Map<EvpnRouteKey, Sent> sent = new LinkedHashMap<>();
  private final Map<EvpnRouteKey, Sent> pending = new LinkedHashMap<>();

  private record Sent(EvpnRoute route, PathAttributes attributes, boolean withdrawn) {}

  /**
   * Creates the Adj-RIB-Out of a session with these options (4-octet AS, ADD-PATH, extended
   * messages, iBGP).
   */
  public AdjRibOut(SessionOptions options) {
    this.encoder = new UpdateEncoder(options);
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
    Map<PathAttributes, List<EvpnRoute>> byAttributes = new LinkedHashMap<>();
    List<EvpnRoute> withdrawn = new ArrayList<>();
    pending.forEach(
        (key, s) -> {
          if (s.withdrawn()) {
            withdrawn.add(s.route());
            sent.remove(key);
          } else {
            byAttributes.computeIfAbsent(s.attributes(), a -> new ArrayList<>()).add(s.route());
            sent.put(key, s);
          }
        });
    pending.clear();
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
