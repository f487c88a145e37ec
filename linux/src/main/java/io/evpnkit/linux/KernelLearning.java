package io.evpnkit.linux;

import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.rib.LocalLearning;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Follows the kernel's neighbour notifications ({@code RTNLGRP_NEIGH}) and reports local learning
 * to the RIB: a MAC the bridge of a VNI learned on a local port ({@code AF_BRIDGE}, {@code master},
 * not on the VXLAN device, not {@code extern_learn}, not the ports' own permanent addresses) is
 * learned, its deletion aged; an IPv4/IPv6 neighbour the kernel resolved on the bridge (ARP/ND
 * snooping of the host's own traffic to the gateway) gives the MAC's IP address, its failure or
 * deletion ages the address. Entries the driver installed carry {@code extern_learn} and are not
 * echoed.
 *
 * <p>It follows the links too ({@code RTNLGRP_LINK}): an attached port whose carrier goes (or that
 * is set down) is {@link LocalLearning#portDown down}, and up again when both come back. The kernel
 * flushes a port's MACs when it goes down; those deletions are not reported as ageing at once but
 * held for the bridge's default ageing time ({@value #HELD_AGEING_SECONDS} s) unless the MAC is
 * learned again: on an Ethernet segment the MACs stay advertised while the segment's other PEs
 * reach them (RFC 7432 §8.2: the per-ES route's withdrawal moves them all at once, one update, not
 * one withdrawal per MAC); on another port the RIB ages them itself when the port goes down.
 *
 * <p>Runs on a thread of its own; the RIB is called on its executor.
 */
final class KernelLearning implements AutoCloseable {
  private final LinuxDriver driver;
  private final NetlinkSocket socket;
  private final LocalLearning rib;
  private final Executor ribThread;
  private final Thread thread;
  private volatile boolean closed;
  // learned here: "vni mac" -> port; IPs seen for MACs not (yet) learned on a port
  private final Map<String, String> ports = new HashMap<>();
  private final Map<String, IpAddress> pendingIps = new HashMap<>();
  // the MAC of each address reported: "vni ip" -> MAC (a deletion may come without its lladdr)
  private final Map<String, MacAddress> macOfIp = new HashMap<>();
  // attached ports whose link is down (index)
  private final Set<Integer> down = new HashSet<>();
  // MACs the kernel flushed from a port that went down: "vni mac" -> when they age
  private final Map<String, Long> held = new HashMap<>();

  /** How long a MAC flushed from a port that went down is kept: the bridge's default ageing. */
  static final int HELD_AGEING_SECONDS = 300;

  KernelLearning(LinuxDriver driver, NetlinkSocket socket, LocalLearning rib, Executor ribThread) {
    this.driver = driver;
    this.socket = socket;
    this.rib = rib;
    this.ribThread = ribThread;
    this.thread = new Thread(this::run, "evpnkit-kernel-learning");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    // what the kernel learned before: subscribed first, then dumped, so that nothing falls between
    try {
      for (int family : new int[] {Nl.AF_BRIDGE, Nl.AF_INET, Nl.AF_INET6}) {
        for (Nl.Message m : driver.dumpNeighbours(family)) {
          if (m.type() == Nl.RTM_NEWNEIGH) {
            neighbour(m, true);
          }
        }
      }
      for (Nl.Message m : driver.dumpLinks()) {
        link(m);
      }
    } catch (NetlinkException e) {
      System.getLogger(KernelLearning.class.getName())
          .log(System.Logger.Level.WARNING, "kernel learning: " + e.getMessage());
    }
    while (!closed) {
      try {
        for (Nl.Message m : socket.receive()) {
          if (m.type() == Nl.RTM_NEWNEIGH || m.type() == Nl.RTM_DELNEIGH) {
            neighbour(m, m.type() == Nl.RTM_NEWNEIGH);
          } else if (m.type() == Nl.RTM_NEWLINK || m.type() == Nl.RTM_DELLINK) {
            link(m);
          }
        }
        expireHeld(System.nanoTime());
      } catch (NetlinkException e) {
        if (closed) {
          return;
        }
        System.getLogger(KernelLearning.class.getName())
            .log(System.Logger.Level.WARNING, "kernel learning: " + e.getMessage());
      }
    }
  }

  /**
   * A link's state: an attached port is up while it is administratively up and has its carrier
   * ({@code IFF_UP} and {@code IFF_LOWER_UP}); the bridge's message about its port and the link's
   * own both come, the first change is reported once.
   */
  private void link(Nl.Message m) {
    ByteBuffer v = m.view();
    int index = v.getInt(m.payload() + 4);
    if (!driver.isAttachedPort(index)) {
      return;
    }
    int flags = v.getInt(m.payload() + 8);
    boolean up =
        m.type() == Nl.RTM_NEWLINK && (flags & Nl.IFF_UP) != 0 && (flags & Nl.IFF_LOWER_UP) != 0;
    if (up ? down.remove(index) : down.add(index)) {
      String port = driver.portOf(index);
      if (up) {
        ribThread.execute(() -> rib.portUp(port));
      } else {
        ribThread.execute(() -> rib.portDown(port));
      }
    }
  }

  /** MACs held since their port went down and not learned again age now. */
  private void expireHeld(long now) {
    if (held.isEmpty()) {
      return;
    }
    for (var it = held.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      if (now - e.getValue() >= 0) {
        it.remove();
        String[] key = e.getKey().split(" ", 2);
        int vni = Integer.parseInt(key[0]);
        MacAddress mac = MacAddress.parse(key[1]);
        ribThread.execute(() -> rib.macAged(vni, mac));
      }
    }
  }

  private void neighbour(Nl.Message m, boolean added) {
    ByteBuffer v = m.view();
    int family = v.get(m.payload()) & 0xFF;
    int index = v.getInt(m.payload() + 4);
    int state = v.getShort(m.payload() + 8) & 0xFFFF;
    int flags = v.get(m.payload() + 10) & 0xFF;
    if ((flags & Nl.NTF_EXT_LEARNED) != 0) {
      return; // ours
    }
    Map<Integer, byte[]> a = m.attrs(12);
    byte[] ll = a.get(Nl.NDA_LLADDR);
    MacAddress mac = ll == null || ll.length != 6 ? null : mac(ll);
    if (family == Nl.AF_BRIDGE) {
      byte[] master = a.get(Nl.NDA_MASTER);
      if (mac == null || master == null || (state & Nl.NUD_PERMANENT) != 0) {
        return;
      }
      int vni = driver.vniOfBridge(Nl.u32(master));
      if (vni < 0 || driver.isVxlan(index) || (mac.value() & 0x0100_0000_0000L) != 0) {
        return; // not our bridge, a remote MAC the bridge saw come out of the tunnel, or multicast
      }
      String key = vni + " " + mac;
      if (added) {
        held.remove(key);
        String port = driver.portOf(index);
        if (!port.equals(ports.put(key, port))) {
          IpAddress ip = pendingIps.remove(key);
          ribThread.execute(() -> rib.macLearned(vni, mac, port, ip));
        }
      } else if (ports.remove(key) != null) {
        if (down.contains(index)) {
          // flushed because its port went down: kept while the segment's other PEs reach it
          held.put(key, System.nanoTime() + TimeUnit.SECONDS.toNanos(HELD_AGEING_SECONDS));
        } else {
          ribThread.execute(() -> rib.macAged(vni, mac));
        }
      }
    } else if (family == Nl.AF_INET || family == Nl.AF_INET6) {
      int vni = driver.vniOfBridge(index);
      byte[] dst = a.get(Nl.NDA_DST);
      if (vni < 0 || dst == null) {
        return;
      }
      IpAddress ip = LinuxDriver.ip(dst);
      boolean resolved =
          added
              && mac != null
              && (state & (Nl.NUD_REACHABLE | Nl.NUD_STALE | Nl.NUD_DELAY | Nl.NUD_PROBE)) != 0;
      String ipKey = vni + " " + ip;
      if (resolved && mac != null) {
        MacAddress resolvedMac = mac;
        String key = vni + " " + mac;
        if (resolvedMac.equals(macOfIp.put(ipKey, resolvedMac)) && ports.containsKey(key)) {
          return; // known already (a state change of the same entry)
        }
        String port = ports.get(key);
        if (port == null) {
          pendingIps.put(key, ip);
        } else {
          ribThread.execute(() -> rib.macLearned(vni, resolvedMac, port, ip));
        }
      } else if (!added || (state & Nl.NUD_FAILED) != 0) {
        MacAddress gone = macOfIp.remove(ipKey);
        if (gone != null) {
          ribThread.execute(() -> rib.neighborAged(vni, gone, ip));
        }
      }
    }
  }

  private static MacAddress mac(byte[] ll) {
    long v = 0;
    for (byte b : ll) {
      v = (v << 8) | (b & 0xFF);
    }
    return MacAddress.of(v);
  }

  /** Learned MACs, for tests and show commands. */
  @Nullable String port(int vni, MacAddress mac) {
    return ports.get(vni + " " + mac);
  }

  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    socket.close();
  }
}
