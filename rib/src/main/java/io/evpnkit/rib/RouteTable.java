package io.evpnkit.rib;

import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRouteKey;
import io.evpnkit.evpn.PathAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The Adj-RIBs-In and the Loc-RIB in one open-addressing table without key objects: a slot per
 * route key holds the first path of the key's chain (every peer's path, ADD-PATH ids included),
 * probed by {@link EvpnRouteKey#hashOf} and compared with {@link EvpnRouteKey#sameKey}; the first
 * path of a chain is the best one ({@link #selectBest}, the decision process of {@link #compare}).
 * Paths of restarting peers (graceful restart) are kept aside, by identity.
 */
final class RouteTable extends ObjectTable<RouteTable.Path> {
  // rare, so kept aside rather than a flag in every path
  private final Set<Path> stale = Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  /**
   * One path: a route from a peer, with what it was imported into; the paths of one route key form
   * a chain whose first path is the best. 32 bytes: a path id other than 0 (ADD-PATH) makes it an
   * {@link AddPath}; graceful-restart staleness is kept aside.
   */
  static class Path {
    final Peer peer;
    final EvpnRoute route;
    final PathAttributes attributes;
    final List<Instance> importedInto;
    @Nullable Path next; // the next path of the same route key

    Path(Peer peer, EvpnRoute route, PathAttributes attributes, List<Instance> importedInto) {
      this.peer = peer;
      this.route = route;
      this.attributes = attributes;
      this.importedInto = importedInto;
    }

    static Path of(
        Peer peer,
        long pathId,
        EvpnRoute route,
        PathAttributes attributes,
        List<Instance> importedInto) {
      return pathId == 0
          ? new Path(peer, route, attributes, importedInto)
          : new AddPath(peer, pathId, route, attributes, importedInto);
    }

    long pathId() {
      return 0;
    }

    boolean isOf(Peer p, long id) {
      return pathId() == id && peer.equals(p);
    }

    /** The route key, built on demand (the maps of IP bindings and IP routes are keyed by it). */
    EvpnRouteKey key() {
      return EvpnRouteKey.of(route);
    }
  }

  /** A path with a path identifier (RFC 7911 §3: 32 bits). */
  private static final class AddPath extends Path {
    private final int pathId;

    AddPath(
        Peer peer,
        long pathId,
        EvpnRoute route,
        PathAttributes attributes,
        List<Instance> importedInto) {
      super(peer, route, attributes, importedInto);
      this.pathId = (int) pathId;
    }

    @Override
    long pathId() {
      return pathId & 0xFFFF_FFFFL;
    }
  }

  /** The slot of the chain of {@code route}'s key, or -1. */
  int find(EvpnRoute route, int hash) {
    int probe = probe(hash);
    for (int i = start(hash); ; i = next(i)) {
      int stored = stored(i);
      if (stored == 0) {
        return -1;
      }
      if (stored == probe && EvpnRouteKey.sameKey(head(i).route, route)) {
        return i;
      }
    }
  }

  /** The first (best) path of the chain at an occupied slot. */
  Path head(int slot) {
    return java.util.Objects.requireNonNull(at(slot));
  }

  /** Every path of every chain (the visitor must not change the table). */
  void forEachPath(Consumer<Path> c) {
    forEach(
        head -> {
          for (Path p = head; p != null; p = p.next) {
            c.accept(p);
          }
        });
  }

  /**
   * Every path of every route key, in no particular order (a copy: the caller may change the
   * table).
   */
  List<Path> allPaths() {
    List<Path> out = new ArrayList<>();
    forEachPath(out::add);
    return out;
  }

  /** The number of paths (the Adj-RIBs-In). */
  int pathCount() {
    int[] n = {0};
    forEachPath(p -> n[0]++);
    return n[0];
  }

  /** The best path of every route key, in route-key order. */
  Map<EvpnRouteKey, Path> bestByKey() {
    Map<EvpnRouteKey, Path> sorted = new TreeMap<>();
    forEach(p -> sorted.put(p.key(), p));
    return sorted;
  }

  /**
   * The path of {@code peer} with path identifier {@code pathId} in the chain at {@code slot}, or
   * {@code null}.
   */
  @Nullable Path pathOf(int slot, Peer peer, long pathId) {
    for (Path x = head(slot); x != null; x = x.next) {
      if (x.isOf(peer, pathId)) {
        return x;
      }
    }
    return null;
  }

  /**
   * Puts {@code p} into the chain at {@code slot}: in the place of the path of the same peer and
   * path identifier (an implicit replace, RFC 4271 §9), or at the end. The caller then runs {@link
   * #selectBest}.
   */
  void put(int slot, Path p) {
    Path prev = null;
    Path x = head(slot);
    while (x != null && !x.isOf(p.peer, p.pathId())) {
      prev = x;
      x = x.next;
    }
    if (x != null) {
      p.next = x.next;
      forgetStale(x);
    }
    if (prev == null) {
      set(slot, p);
    } else {
      prev.next = p;
    }
  }

  /**
   * Takes path {@code x} out of the chain at {@code slot}; returns true if it was the key's last
   * path (the slot is then free), else the caller runs {@link #selectBest}.
   */
  boolean remove(int slot, Path x) {
    forgetStale(x);
    Path prev = null;
    for (Path p = head(slot); p != null && p != x; p = p.next) {
      prev = p;
    }
    if (prev != null) {
      prev.next = x.next;
    } else if (x.next != null) {
      set(slot, x.next);
    } else {
      removeAt(slot);
      return true;
    }
    return false;
  }

  /** Marks every path of {@code peer} stale (RFC 4724 §4.2: it is restarting). */
  void markStale(Peer peer) {
    forEachPath(
        p -> {
          if (p.peer.equals(peer)) {
            stale.add(p);
          }
        });
  }

  /** The stale paths of {@code peer} (a copy). */
  List<Path> stalePaths(Peer peer) {
    List<Path> out = new ArrayList<>();
    for (Path p : stale) {
      if (p.peer.equals(peer)) {
        out.add(p);
      }
    }
    return out;
  }

  int staleCount() {
    return stale.size();
  }

  /** A path left the table or was replaced: it is stale no more. */
  void forgetStale(Path p) {
    if (!stale.isEmpty()) {
      stale.remove(p);
    }
  }

  /**
   * Runs the decision process over the (non-empty) chain at {@code slot}, moves the winner to the
   * front and returns it.
   */
  Path selectBest(int slot) {
    Path head = head(slot);
    Path winner = head;
    Path winnerPrev = null;
    for (Path prev = head, p = head.next; p != null; prev = p, p = p.next) {
      if (compare(p, winner) < 0) {
        winner = p;
        winnerPrev = prev;
      }
    }
    if (winnerPrev != null) {
      winnerPrev.next = winner.next;
      winner.next = head;
      set(slot, winner);
    }
    return winner;
  }

  /**
   * RFC 4271 §9.1.2.2 as it applies to EVPN routes, with RFC 4456's ORIGINATOR_ID and CLUSTER_LIST:
   * the higher LOCAL_PREF (100 when absent), the shorter AS_PATH, the lower ORIGIN, the lower MED
   * between routes from the same neighbouring AS (0 when absent), eBGP over iBGP, the lower
   * originator (ORIGINATOR_ID, else the peer's router id), the shorter CLUSTER_LIST, the lower peer
   * address, the lower path identifier.
   */
  static int compare(Path a, Path b) {
    long lpA = a.attributes.localPref() < 0 ? 100 : a.attributes.localPref();
    long lpB = b.attributes.localPref() < 0 ? 100 : b.attributes.localPref();
    if (lpA != lpB) {
      return lpA > lpB ? -1 : 1;
    }
    int c = Integer.compare(a.attributes.asPath().pathLength(), b.attributes.asPath().pathLength());
    if (c != 0) {
      return c;
    }
    c = Integer.compare(a.attributes.origin(), b.attributes.origin());
    if (c != 0) {
      return c;
    }
    long medA = Math.max(a.attributes.med(), 0);
    long medB = Math.max(b.attributes.med(), 0);
    if (medA != medB && a.attributes.asPath().firstAs() == b.attributes.asPath().firstAs()) {
      return medA < medB ? -1 : 1;
    }
    if (a.peer.external() != b.peer.external()) {
      return a.peer.external() ? -1 : 1;
    }
    long idA = a.attributes.originatorId() >= 0 ? a.attributes.originatorId() : a.peer.routerId();
    long idB = b.attributes.originatorId() >= 0 ? b.attributes.originatorId() : b.peer.routerId();
    if (idA != idB) {
      return idA < idB ? -1 : 1;
    }
    c = Integer.compare(a.attributes.clusterListLength(), b.attributes.clusterListLength());
    if (c != 0) {
      return c;
    }
    c = a.peer.address().compareTo(b.peer.address());
    return c != 0 ? c : Long.compare(a.pathId(), b.pathId());
  }
}
