package io.evpnkit.examples;

import java.lang.reflect.Proxy;

/**
 * SIGHUP for a daemon (rereads its configuration, as Unix daemons do). The JDK's signal API is
 * {@code sun.misc.Signal} in {@code jdk.unsupported}, reached here reflectively so that the build
 * does not depend on an internal name; where it is missing, or the JVM keeps the signal for itself
 * ({@code -Xrs}), SIGHUP keeps its default (the process ends) and {@link #onHangup} says so.
 */
final class Reload {
  private Reload() {}

  /**
   * Runs {@code action} on each SIGHUP, on the JVM's signal thread; returns whether the handler is
   * in place.
   */
  static boolean onHangup(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handler = Class.forName("sun.misc.SignalHandler");
      Object hup = signal.getConstructor(String.class).newInstance("HUP");
      Object h =
          Proxy.newProxyInstance(
              handler.getClassLoader(),
              new Class<?>[] {handler},
              (proxy, method, args) -> {
                if (method.getName().equals("handle")) {
                  action.run();
                  return null;
                }
                if (method.getName().equals("toString")) {
                  return "SIGHUP: reload";
                }
                if (method.getName().equals("hashCode")) {
                  return System.identityHashCode(proxy);
                }
                if (method.getName().equals("equals")) {
                  return proxy == args[0];
                }
                return null;
              });
      signal.getMethod("handle", signal, handler).invoke(null, hup, h);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
