package io.evpnkit.rib;

import io.evpnkit.evpn.EthernetSegmentIdentifier;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The integrator's listener and route sink as the RIB calls them: in the middle of an update, so an
 * exception of theirs must not leave the RIB half-updated. Each call's {@link RuntimeException} is
 * caught, counted and logged on the {@link System.Logger} of {@link EvpnRib} at WARNING (as Netty
 * logs a listener's exception rather than letting it unwind the event loop); errors ({@link Error})
 * still propagate.
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

  private void guard(String where, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      faults.incrementAndGet();
      LOG.log(
          System.Logger.Level.WARNING,
          "the integrator's " + where + " threw; the RIB carried on",
          e);
    }
  }

  @Override
  public void announce(EvpnRoute route, PathAttributes attributes) {
    guard("RouteSink.announce", () -> sink.announce(route, attributes));
  }

  @Override
  public void withdraw(EvpnRoute route) {
    guard("RouteSink.withdraw", () -> sink.withdraw(route));
  }

  @Override
  public void macMoved(int vni, MacAddress mac, String from, String to, long sequence) {
    guard("RibListener.macMoved", () -> listener.macMoved(vni, mac, from, to, sequence));
  }

  @Override
  public void duplicateMac(int vni, MacAddress mac, int moves) {
    guard("RibListener.duplicateMac", () -> listener.duplicateMac(vni, mac, moves));
  }

  @Override
  public void duplicateCleared(int vni, MacAddress mac) {
    guard("RibListener.duplicateCleared", () -> listener.duplicateCleared(vni, mac));
  }

  @Override
  public void duplicateIp(int vni, IpAddress ip, int moves) {
    guard("RibListener.duplicateIp", () -> listener.duplicateIp(vni, ip, moves));
  }

  @Override
  public void duplicateIpCleared(int vni, IpAddress ip) {
    guard("RibListener.duplicateIpCleared", () -> listener.duplicateIpCleared(vni, ip));
  }

  @Override
  public void stickyConflict(int vni, MacAddress mac, String stickyAt, String contender) {
    guard(
        "RibListener.stickyConflict", () -> listener.stickyConflict(vni, mac, stickyAt, contender));
  }

  @Override
  public void designatedForwarder(
      EthernetSegmentIdentifier esi, int vlanId, IpAddress df, boolean local) {
    guard(
        "RibListener.designatedForwarder",
        () -> listener.designatedForwarder(esi, vlanId, df, local));
  }

  @Override
  public void driverFault(Throwable failure, boolean resynchronized) {
    guard("RibListener.driverFault", () -> listener.driverFault(failure, resynchronized));
  }

  @Override
  public void routeIgnored(Peer peer, EvpnRoute route, IgnoredRoute reason) {
    guard("RibListener.routeIgnored", () -> listener.routeIgnored(peer, route, reason));
  }

  @Override
  public void routeLimitReached(Peer peer, RouteLimit limit, long paths) {
    guard("RibListener.routeLimitReached", () -> listener.routeLimitReached(peer, limit, paths));
  }

  @Override
  public void internalFault(Throwable cause) {
    guard("RibListener.internalFault", () -> listener.internalFault(cause));
  }
}
