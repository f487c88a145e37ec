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
    frrBridge(ns, 100, vtep, port);
  }

  /**
   * The same for VNI {@code vni}: bridge brVNI, VXLAN device vxlanVNI, {@code port} (none for an L3
   * VNI: "-") in the bridge.
   */
  static void frrBridge(Netns ns, int vni, String vtep, String port) throws Exception {
    String br = "br" + vni;
    String vx = "vxlan" + vni;
    ns.exec("ip", "link", "add", br, "type", "bridge");
    ns.exec(
        "ip",
        "link",
        "add",
        vx,
        "type",
        "vxlan",
        "id",
        String.valueOf(vni),
        "local",
        vtep,
        "dstport",
        "4789",
        "nolearning");
    ns.exec("ip", "link", "set", vx, "master", br);
    ns.exec("bridge", "link", "set", "dev", vx, "learning", "off", "neigh_suppress", "on");
    List<String> devices = new ArrayList<>(List.of(br, vx));
    if (!port.equals("-")) {
      ns.exec("ip", "link", "set", port, "master", br);
      devices.add(port);
    }
    for (String dev : devices) {
      ns.exec("ip", "link", "set", dev, "up");
    }
  }

  /** The underlay segment: a bridge br0 in a namespace of its own, up. */
  static void underlay(Netns underlay) throws Exception {
    underlay.exec("ip", "link", "add", "br0", "type", "bridge");
    underlay.exec("ip", "link", "set", "br0", "up");
  }

  /**
   * Plugs {@code node} into the underlay bridge: a veth {@code up0} in the node, {@code ul-NAME} in
   * the underlay, {@code address}/24 on the node's end; both up.
   */
  static void plug(Netns underlay, Netns node, String name, String address) throws Exception {
    node.exec(
        "ip",
        "link",
        "add",
        "up0",
        "type",
        "veth",
        "peer",
        "name",
        "ul-" + name,
        "netns",
        underlay.name());
    underlay.exec("ip", "link", "set", "ul-" + name, "master", "br0");
    underlay.exec("ip", "link", "set", "ul-" + name, "up");
    node.exec("ip", "addr", "add", address + "/24", "dev", "up0");
    node.exec("ip", "link", "set", "up0", "up");
  }

  /**
   * A host behind {@code leaf}: a veth {@code port} in the leaf, {@code eth0} with {@code
   * address}/24 in {@code host}, the host's end up (the leaf's port is the VTEP's to bring up).
   */
  static void host(Netns leaf, String port, Netns host, String address) throws Exception {
    leaf.exec(
        "ip", "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", host.name());
    host.exec("ip", "addr", "add", address + "/24", "dev", "eth0");
    host.exec("ip", "link", "set", "eth0", "up");
  }

  /** Two leaves' underlay, one veth: u1 in {@code a} at {@code addressA}/24, u2 in {@code b}. */
  static void link(Netns a, String addressA, Netns b, String addressB) throws Exception {
    a.exec("ip", "link", "add", "u1", "type", "veth", "peer", "name", "u2", "netns", b.name());
    a.exec("ip", "addr", "add", addressA + "/24", "dev", "u1");
    a.exec("ip", "link", "set", "u1", "up");
    b.exec("ip", "addr", "add", addressB + "/24", "dev", "u2");
    b.exec("ip", "link", "set", "u2", "up");
  }

  /**
   * A ping running in the background: {@code count} echo requests from {@code from} to {@code
   * address}, {@code interval} seconds apart, each waited for up to a second. Its output goes to a
   * file, so a test can wait for the first replies before it breaks something.
   */
  static final class Pings {
    private final Process process;
    private final Path out;

    private Pings(Process process, Path out) {
      this.process = process;
      this.out = out;
    }

    static Pings start(Netns from, String address, int count, String interval) throws Exception {
      Path out = java.nio.file.Files.createTempFile("ping", ".txt");
      Process p =
          new ProcessBuilder(
                  "ip",
                  "netns",
                  "exec",
                  from.name(),
                  "ping",
                  "-n",
                  "-c",
                  String.valueOf(count),
                  "-i",
                  interval,
                  "-W",
                  "1",
                  address)
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
      return new Pings(p, out);
    }

    /** Waits until {@code n} echo replies have come back. */
    void awaitReplies(int n) throws Exception {
      io.evpnkit.speaker.RealPeers.await(
          n + " ping replies",
          () ->
              java.nio.file.Files.readString(out)
                      .lines()
                      .filter(l -> l.contains(" bytes from "))
                      .count()
                  >= n);
    }

    /** Everything ping printed, once it has ended. */
    String output() throws Exception {
      if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroy();
        throw new AssertionError("ping did not end: " + java.nio.file.Files.readString(out));
      }
      String text = java.nio.file.Files.readString(out);
      java.nio.file.Files.deleteIfExists(out);
      return text;
    }
  }

  /** How many replies ping's summary counts. */
  static int received(String pingOutput) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+) received").matcher(pingOutput);
    return m.find() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** Ping's summary line. */
  static String summary(String pingOutput) {
    return pingOutput.lines().filter(l -> l.contains("received")).findFirst().orElse(pingOutput);
  }

  /** Stops the daemons, deletes the files and the namespaces a fabric test made. */
  static void cleanUp(List<Process> daemons, List<Path> files, List<Netns> namespaces)
      throws Exception {
    for (Process p : daemons) {
      p.destroy();
      p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }
    for (Path f : files) {
      java.nio.file.Files.deleteIfExists(f);
    }
    for (Netns n : namespaces) {
      n.close();
    }
  }

  /**
   * The configuration of a leaf with one host port p1 in VLAN 100 (VNI 100), VTEP and router ID
   * {@code vtep}, and the BGP group {@code bgpGroup} (a whole {@code group NAME { ... }}).
   */
  static String leafConfig(String vtep, String bgpGroup) {
    return """
        routing-options { router-id %1$s; autonomous-system 65000; }
        interfaces {
            lo0 { unit 0 { family inet { address %1$s/32; } } }
            p1 { unit 0 { family ethernet-switching { interface-mode access; vlan { members v100; } } } }
        }
        switch-options { vtep-source-interface lo0.0; route-distinguisher %1$s:100; vrf-target target:65000:100; }
        vlans { v100 { vlan-id 100; vxlan { vni 100; } } }
        protocols {
            evpn { encapsulation vxlan; extended-vni-list 100; }
            bgp { %2$s }
        }
        """
        .formatted(vtep, bgpGroup);
  }

  /** The loss ping reports in its summary, in percent. */
  static int loss(String pingOutput) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("(\\d+)% packet loss").matcher(pingOutput);
    if (!m.find()) {
      throw new AssertionError("no ping summary in: " + pingOutput);
    }
    return Integer.parseInt(m.group(1));
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
