package io.evpnkit.rib;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The forwarding state the RIB wants, and the operations not yet sent: setting an entry to what it
 * already is sends nothing, and several changes of one entry before a flush send only the last.
 * {@link #drain()} orders a batch safely for hardware; {@link #fullState()} is what a resync
 * downloads.
 */
final class FibState {
  private final Map<Object, ForwardingOp> wanted =
      new java.util.HashMap<>(); // order comes from order()
  private final Map<Object, ForwardingOp> pending = new LinkedHashMap<>();
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
    pending.put(op.key(), op);
  }

  /** Wants {@code op} (a set operation) in the table. */
  void set(ForwardingOp op) {
    Object key = op.key();
    if (Objects.equals(wanted.get(key), op)) {
      return;
    }
    wanted.put(key, op);
    pending.put(key, op);
  }

  /** Wants the entry of {@code remove}'s key gone. */
  void remove(ForwardingOp remove) {
    Object key = remove.key();
    if (wanted.remove(key) == null) {
      return;
    }
    pending.put(key, remove);
  }

  /** The operation wanted for a key (a set operation), or {@code null}. */
  @org.jspecify.annotations.Nullable
  ForwardingOp wanted(Object key) {
    return wanted.get(key);
  }

  /** Forgets everything wanted and pending (the RIB derives it again and resyncs the driver). */
  void clear() {
    wanted.clear();
    pending.clear();
  }

  boolean hasPending() {
    return !pending.isEmpty();
  }

  /** Returns the pending operations in a safe order, and forgets them. */
  List<ForwardingOp> drain() {
    List<ForwardingOp> out = order(pending.values());
    pending.clear();
    return out;
  }

  /** Returns everything wanted, as set operations in a safe order. */
  List<ForwardingOp> fullState() {
    List<ForwardingOp> all = new ArrayList<>(wanted.values());
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
