package io.evpnkit.examples;

import io.evpnkit.linux.Netns;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the kernel-fabric tests do alike: leaves, FRR's hand-made data plane, pings. */
final class KernelFabric {
  private KernelFabric() {}

  /**
   * Starts {@code evpnkit vtep ARGS} as its own process inside {@code ns} (as a user runs it under
   * {@code ip netns exec}), its output appended to {@code log}.
   */
  static Process vtep(Netns ns, Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns.name()));
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.evpnkit.examples.Main"));
    cmd.add("vtep");
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
  }

  /**
   * The data plane of an FRR leaf for VNI 100, made by hand as FRR's users make it: bridge br100,
   * VXLAN device vxlan100 from {@code vtep} (learning off, ARP/ND suppression), {@code port} in the
   * bridge; all up.
   */
  static void frrBridge(Netns ns, String vtep, String port) throws Exception {
    ns.exec("ip", "link", "add", "br100", "type", "bridge");
    ns.exec(
        "ip",
        "link",
        "add",
        "vxlan100",
        "type",
        "vxlan",
        "id",
        "100",
        "local",
        vtep,
        "dstport",
        "4789",
        "nolearning");
    ns.exec("ip", "link", "set", "vxlan100", "master", "br100");
    ns.exec("ip", "link", "set", port, "master", "br100");
    ns.exec("bridge", "link", "set", "dev", "vxlan100", "learning", "off", "neigh_suppress", "on");
    for (String dev : List.of("br100", "vxlan100", port)) {
      ns.exec("ip", "link", "set", dev, "up");
    }
  }

  /** Whether one ping from {@code from} to {@code address} is answered within a second. */
  static boolean reaches(Netns from, String address) throws Exception {
    try {
      from.exec("ping", "-c", "1", "-W", "1", address);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** What a running {@code evpnkit vtep} answers on its control socket ({@code macs}, ...). */
  static String show(Path control, String what) {
    try (java.nio.channels.SocketChannel c =
        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(control))) {
      c.write(java.nio.ByteBuffer.wrap((what + "\n").getBytes(StandardCharsets.UTF_8)));
      return new String(
          java.nio.channels.Channels.newInputStream(c).readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "(" + control + ": " + e.getMessage() + ")";
    }
  }
}
