package io.evpnkit.rib;

import java.util.ArrayList;
import java.util.List;

/**
 * The forwarding state the RIB wants, and the operations not yet sent: setting an entry to what it
 * already is sends nothing, and several changes of one entry before a flush send only the last.
 * {@link #drain()} orders a batch safely for hardware; {@link #fullState()} is what a resync
 * downloads.
 */
final class FibState {
  // the set operations wanted, one per key, held by their own key (no key or entry objects: a
  // leaf wants an ARP/ND entry per remote host); order comes from order()
  private final OpTable wanted = new OpTable();
  // the operations not yet sent, in the order they came, a key possibly more than once: drain()
  // keeps the last of each key (no map entry per operation on the way to the driver)
  private final ArrayList<ForwardingOp> pending = new ArrayList<>();
  // drain()'s scratch table of the last operation of each key; empty between drains
  private final OpTable last = new OpTable();
  private final java.util.function.Supplier<List<ForwardingOp>> external;

  /**
   * Creates the state; {@code external} gives the entries whose wanted state the caller keeps
   * itself (MAC entries, held by the RIB's per-MAC state) for {@link #fullState()}.
   */
  FibState(java.util.function.Supplier<List<ForwardingOp>> external) {
    this.external = external;
  }

  /**
   * Queues an operation whose wanted state the caller keeps (it has checked that it changes
   * something).
   */
  void send(ForwardingOp op) {
    pending.add(op);
  }

  /** Wants {@code op} (a set operation) in the table. */
  void set(ForwardingOp op) {
    int hash = keyHash(op);
    int i = wanted.find(op, hash);
    if (i >= 0) {
      if (op.equals(wanted.at(i))) {
        return;
      }
      wanted.set(i, op);
    } else {
      wanted.add(op, hash);
    }
    pending.add(op);
  }

  /** Wants the entry of {@code remove}'s key gone. */
  void remove(ForwardingOp remove) {
    int i = wanted.find(remove, keyHash(remove));
    if (i < 0) {
      return;
    }
    wanted.removeAt(i);
    pending.add(remove);
  }

  /** The operation wanted for the key {@code op} writes (a set operation), or {@code null}. */
  @org.jspecify.annotations.Nullable
  ForwardingOp wanted(ForwardingOp op) {
    int i = wanted.find(op, keyHash(op));
    return i < 0 ? null : wanted.at(i);
  }

  /** Forgets everything wanted and pending (the RIB derives it again and resyncs the driver). */
  void clear() {
    wanted.clearAll();
    pending.clear();
    last.clearAll();
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Returns the pending operations in a safe order, and forgets them. */
  List<ForwardingOp> drain() {
    List<ForwardingOp> out = order(lastOfEachKey());
    pending.clear();
    if (last.capacity() > 4096) {
      last.clearAll(); // a resync's huge batch does not leave a huge scratch table behind
    }
    return out;
  }

  /**
   * The pending operations with each key once, at its first place with its last state: the batch's
   * ops, in order, when no key repeats.
   */
  private List<ForwardingOp> lastOfEachKey() {
    int n = pending.size();
    if (n <= 1) {
      return pending;
    }
    for (int k = n - 1; k >= 0; k--) { // the last operation of each key
      ForwardingOp op = pending.get(k);
      int hash = keyHash(op);
      if (last.find(op, hash) < 0) {
        last.add(op, hash);
      }
    }
    if (last.size() == n) { // no key repeats (the usual batch)
      for (ForwardingOp op : pending) {
        last.removeAt(last.find(op, keyHash(op)));
      }
      return pending;
    }
    List<ForwardingOp> out = new ArrayList<>(last.size());
    for (int k = 0; k < n; k++) { // each key at its first place, with its last operation
      ForwardingOp op = pending.get(k);
      int i = last.find(op, keyHash(op));
      if (i >= 0) {
        out.add(java.util.Objects.requireNonNull(last.at(i)));
        last.removeAt(i);
      }
    }
    return out;
  }

  /** Returns everything wanted, as set operations in a safe order. */
  List<ForwardingOp> fullState() {
    List<ForwardingOp> all = new ArrayList<>(wanted.size());
    wanted.forEach(all::add);
    all.addAll(external.get());
    return order(all);
  }

  /**
   * The number of entries wanted, given the number of those the caller keeps (counted without
   * copying them).
   */
  int size(int external) {
    return wanted.size() + external;
  }

  /**
   * The hash of the key {@code op} writes, equal for operations of equal {@link ForwardingOp#key()
   * keys}; MAC and neighbor operations (one per host) hash their fields without building the key.
   */
  static int keyHash(ForwardingOp op) {
    if (op instanceof ForwardingOp.SetMac m) {
      return macHash(m.vni(), m.mac().value());
    }
    if (op instanceof ForwardingOp.RemoveMac m) {
      return macHash(m.vni(), m.mac().value());
    }
    if (op instanceof ForwardingOp.SetNeighbor n) {
      return ObjectTable.hashLong(((long) n.vni() << 32) ^ n.ip().hashCode() ^ NEIGHBOR);
    }
    if (op instanceof ForwardingOp.RemoveNeighbor n) {
      return ObjectTable.hashLong(((long) n.vni() << 32) ^ n.ip().hashCode() ^ NEIGHBOR);
    }
    return op.key().hashCode();
  }

  private static final long NEIGHBOR = 1L << 63;

  private static int macHash(int vni, long mac) {
    return ObjectTable.hashLong(mac * 31 + vni);
  }

  /** Whether {@code a} and {@code b} write the same entry (equal {@link ForwardingOp#key()}s). */
  static boolean sameKey(ForwardingOp a, ForwardingOp b) {
    if (a instanceof ForwardingOp.SetMac || a instanceof ForwardingOp.RemoveMac) {
      return (b instanceof ForwardingOp.SetMac || b instanceof ForwardingOp.RemoveMac)
          && macVni(a) == macVni(b)
          && macOf(a) == macOf(b);
    }
    if (a instanceof ForwardingOp.SetNeighbor || a instanceof ForwardingOp.RemoveNeighbor) {
      return (b instanceof ForwardingOp.SetNeighbor || b instanceof ForwardingOp.RemoveNeighbor)
          && neighborVni(a) == neighborVni(b)
          && neighborIp(a).equals(neighborIp(b));
    }
    return a.key().equals(b.key());
  }

  private static int macVni(ForwardingOp op) {
    return op instanceof ForwardingOp.SetMac m ? m.vni() : ((ForwardingOp.RemoveMac) op).vni();
  }

  private static long macOf(ForwardingOp op) {
    return (op instanceof ForwardingOp.SetMac m ? m.mac() : ((ForwardingOp.RemoveMac) op).mac())
        .value();
  }

  private static int neighborVni(ForwardingOp op) {
    return op instanceof ForwardingOp.SetNeighbor n
        ? n.vni()
        : ((ForwardingOp.RemoveNeighbor) op).vni();
  }

  private static io.evpnkit.evpn.IpAddress neighborIp(ForwardingOp op) {
    return op instanceof ForwardingOp.SetNeighbor n
        ? n.ip()
        : ((ForwardingOp.RemoveNeighbor) op).ip();
  }

  /** Operations held by the key they write ({@link #keyHash}, {@link #sameKey}). */
  static final class OpTable extends ObjectTable<ForwardingOp> {
    /** The slot of the operation writing {@code op}'s key, or -1. */
    int find(ForwardingOp op, int hash) {
      int probe = probe(hash);
      for (int i = start(hash); ; i = next(i)) {
        int stored = stored(i);
        if (stored == 0) {
          return -1;
        }
        if (stored == probe && sameKey(java.util.Objects.requireNonNull(at(i)), op)) {
          return i;
        }
      }
    }
  }

  /** Groups set first, then removals of entries, then entries set, then groups removed. */
  static List<ForwardingOp> order(java.util.Collection<ForwardingOp> ops) {
    List<ForwardingOp> out = new ArrayList<>(ops.size());
    for (ForwardingOp op : ops) {
      if (op instanceof ForwardingOp.SetGroup) {
        out.add(op);
      }
    }
    for (ForwardingOp op : ops) {
      if (op instanceof ForwardingOp.RemoveMac
          || op instanceof ForwardingOp.RemoveNeighbor
          || op instanceof ForwardingOp.RemoveRoute
          || op instanceof ForwardingOp.RemoveFlood) {
        out.add(op);
      }
    }
    for (ForwardingOp op : ops) {
      if (op instanceof ForwardingOp.SetMac
          || op instanceof ForwardingOp.SetNeighbor
          || op instanceof ForwardingOp.SetRoute
          || op instanceof ForwardingOp.SetFlood) {
        out.add(op);
      }
    }
    for (ForwardingOp op : ops) {
      if (op instanceof ForwardingOp.RemoveGroup) {
        out.add(op);
      }
    }
    return out;
  }
}
