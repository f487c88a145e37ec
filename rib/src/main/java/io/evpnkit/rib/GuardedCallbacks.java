package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The integrator's listener and route sink as the RIB calls them: in the middle of an update, so an exception of
 * theirs must not leave the RIB half-updated. Each call's {@link RuntimeException} is caught, counted and logged on
 * the {@link System.Logger} of {@link EvpnRib} at WARNING (as Netty logs a listener's exception rather than letting
 * it unwind the event loop); errors ({@link Error}) still propagate.
 */
final class GuardedCallbacks implements RibListener, RouteSink {
  private static final System.Logger LOG = System.getLogger(EvpnRib.class.getName());

  private final RibListener listener;
  private final RouteSink sink;
  private final AtomicLong faults = new AtomicLong();

  GuardedCallbacks(RibListener listener, RouteSink sink) {
    this.listener = listener;
    this.sink = sink;
  }

  /** The exceptions the listener and the sink threw, caught. */
  long faults() {
    return faults.get();
  }

  private void fault(String where, RuntimeException e) {
    faults.incrementAndGet();
    LOG.log(System.Logger.Level.WARNING, "the integrator's " + where + " threw; the RIB carried on", e);
  }

  @Override
  public void announce(EvpnRoute route, PathAttributes attributes) {
    try {
      sink.announce(route, attributes);
    } catch (RuntimeException e) {
      fault("RouteSink.announce", e);
    }
  }

  @Override
  public void withdraw(EvpnRoute route) {
    try {
      sink.withdraw(route);
    } catch (RuntimeException e) {
      fault("RouteSink.withdraw", e);
    }
  }

  @Override
  public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
    try {
      listener.macMoved(vni, mac, from, to, sequence);
    } catch (RuntimeException e) {
      fault("RibListener.macMoved", e);
    }
  }

  @Override
  public void duplicateMac(int vni, MacAddress mac, int moves) {
    try {
      listener.duplicateMac(vni, mac, moves);
    } catch (RuntimeException e) {
      fault("RibListener.duplicateMac", e);
    }
  }

  @Override
  public void duplicateCleared(int vni, MacAddress mac) {
    try {
      listener.duplicateCleared(vni, mac);
    } catch (RuntimeException e) {
      fault("RibListener.duplicateCleared", e);
    }
  }

  @Override
  public void duplicateIp(int vni, IpAddress ip, int moves) {
    try {
      listener.duplicateIp(vni, ip, moves);
    } catch (RuntimeException e) {
      fault("RibListener.duplicateIp", e);
    }
  }

  @Override
  public void duplicateIpCleared(int vni, IpAddress ip) {
    try {
      listener.duplicateIpCleared(vni, ip);
    } catch (RuntimeException e) {
      fault("RibListener.duplicateIpCleared", e);
    }
  }

  @Override
  public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
    try {
      listener.stickyConflict(vni, mac, stickyAt, contender);
    } catch (RuntimeException e) {
      fault("RibListener.stickyConflict", e);
    }
  }

  @Override
  public void designatedForwarder(EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
    try {
      listener.designatedForwarder(esi, vlanId, df, local);
    } catch (RuntimeException e) {
      fault("RibListener.designatedForwarder", e);
    }
  }

  @Override
  public void driverFault(Throwable failure, boolean resynchronized) {
    try {
      listener.driverFault(failure, resynchronized);
    } catch (RuntimeException e) {
      fault("RibListener.driverFault", e);
    }
  }

  @Override
  public void routeIgnored(Peer peer, EvpnRoute route, IgnoredRoute reason) {
    try {
      listener.routeIgnored(peer, route, reason);
    } catch (RuntimeException e) {
      fault("RibListener.routeIgnored", e);
    }
  }

  @Override
  public void routeLimitReached(Peer peer, RouteLimit limit, long paths) {
    try {
      listener.routeLimitReached(peer, limit, paths);
    } catch (RuntimeException e) {
      fault("RibListener.routeLimitReached", e);
    }
  }
}
