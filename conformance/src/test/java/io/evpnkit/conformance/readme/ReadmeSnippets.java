package io.evpnkit.conformance.readme;

import io.evpnkit.speaker.BgpSpeaker;
import io.evpnkit.speaker.PeerConfig;
import io.evpnkit.speaker.PeerSession;
import io.evpnkit.speaker.RibSessions;
import io.evpnkit.ovsdb.OvsdbAddress;
import io.evpnkit.linux.LinuxDriver;
import io.evpnkit.ovsdb.TorAgent;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.evpnkit.evpn.AsPath;
import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.EvpnNlri;
import io.evpnkit.evpn.EvpnRoute;
import io.evpnkit.evpn.EvpnRoutes;
import io.evpnkit.evpn.ExtendedCommunity;
import io.evpnkit.evpn.IpAddress;
import io.evpnkit.evpn.MacAddress;
import io.evpnkit.evpn.PathAttributes;
import io.evpnkit.evpn.SessionOptions;
import io.evpnkit.evpn.UpdateDecoder;
import io.evpnkit.evpn.UpdateEncoder;
import io.evpnkit.policy.PolicyChain;
import io.evpnkit.policy.PolicyResult;
import io.evpnkit.policy.Protocol;
import io.evpnkit.policy.RoutingInstance;
import io.evpnkit.policy.VrfPolicy;
import io.evpnkit.policy.VtepConfig;
import io.evpnkit.rib.AdjRibOut;
import io.evpnkit.rib.EvpnRib;
import io.evpnkit.rib.ForwardingDriver;
import io.evpnkit.rib.InMemoryForwardingTable;
import io.evpnkit.rib.Peer;
import io.evpnkit.rib.RibListener;
import io.evpnkit.rib.RouteSink;
import io.evpnkit.testkit.Differential;
import io.evpnkit.testkit.EvpnUpdateGenerator;
import io.evpnkit.testkit.FuzzInputs;
import io.evpnkit.testkit.GeneratedUpdate;
import io.evpnkit.testkit.MutatedUpdate;
import io.evpnkit.testkit.ParserContract;
import io.evpnkit.testkit.RoundTrip;
import io.evpnkit.testkit.UpdateMutator;
import io.evpnkit.vxlan.Decapsulation;
import io.evpnkit.vxlan.DecapsulatorConfig;
import io.evpnkit.vxlan.DropReason;
import io.evpnkit.vxlan.EthernetFrame;
import io.evpnkit.vxlan.VxlanDecapsulator;
import io.evpnkit.vxlan.VxlanEncapsulator;
import io.evpnkit.vxlan.VxlanTunnel;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's code blocks, each between {@code README begin} and {@code README end} comments, compiled with the
 * tests: {@code ReadmeSnippetsTest} checks that the README shows exactly these lines, so that an API change that
 * breaks an example breaks the build. The methods' parameters are what each example takes from its surroundings;
 * they are compiled, not run.
 */
@SuppressWarnings({"unused", "NullAway", "DoNotCallSuggester"})
abstract class ReadmeSnippets {
  abstract void log(DropReason reason, int offset);

  abstract void send(io.evpnkit.evpn.BgpNotification notification);

  abstract void close();

  void vxlan(ByteBufAllocator alloc, ByteBuf innerEthernetFrame, ByteBuf out, ByteBuf packet,
      EthernetFrame ethernetView) {
    // README begin
    // Once per remote VTEP: the outer headers, rendered into a template (immutable, thread-safe).
    VxlanTunnel toLeaf2 = VxlanTunnel.builder()
        .sourceMac("02:00:00:00:0a:01").destinationMac("02:00:00:00:0b:01")   // underlay next hop
        .source("192.0.2.1").destination("192.0.2.2")                         // or IPv6 literals
        .build();                                                             // .vlan(), .inheritDscp(), .groupPolicy(), .gpe() ...

    // One per thread: encapsulate in place. The inner frame sits at the reader index with
    // toLeaf2.headerLength() bytes of headroom before it (50 for IPv4, 70 for IPv6).
    VxlanEncapsulator encap = new VxlanEncapsulator();
    ByteBuf frame = alloc.directBuffer(toLeaf2.headerLength() + 1514);
    frame.writerIndex(toLeaf2.headerLength()).readerIndex(toLeaf2.headerLength());
    frame.writeBytes(innerEthernetFrame);
    if (!encap.encapsulate(frame, toLeaf2, 10100)) {     // false: not enough headroom, buffer untouched
      encap.encapsulateTo(frame, toLeaf2, 10100, out);   // the explicit, documented copy
    }
    // frame's readable bytes are now the whole VXLAN packet: outer Ethernet, IPv4, UDP, VXLAN, inner.

    // One per thread: decapsulate. Nothing is thrown, copied or allocated; drops are typed and counted.
    VxlanDecapsulator decap = new VxlanDecapsulator(DecapsulatorConfig.builder().vxlanPorts(4789, 8472).build());
    Decapsulation d = decap.decapsulate(packet);           // packet: the caller's, indexes untouched
    if (d.isOk()) {
      int vni = d.vni();
      EthernetFrame inner = ethernetView.wrap(packet, d.innerOffset(), d.innerLength());  // zero copy
      ByteBuf kept = d.retainedInnerFrame();               // or a retained slice: the caller releases it
    } else {
      log(d.dropReason(), d.errorOffset());                // e.g. BAD_IPV4_CHECKSUM at 24
    }
    long badChecksums = decap.dropped(DropReason.BAD_IPV4_CHECKSUM);
    // README end
  }

  void bgp(BgpOpen ourOpen, ByteBuf peersOpenMessage, ByteBufAllocator alloc, ByteBuf segment, EvpnRib rib,
      Peer peer, System.Logger log, ByteBuf buf) {
    // README begin
    // Per session, from the two OPENs (or SessionOptions.IBGP / EBGP):
    SessionOptions in = BgpOpen.receiving(ourOpen, BgpOpen.read(peersOpenMessage));
    UpdateDecoder decoder = new UpdateDecoder(in);                  // one per session and thread; reusable
    BgpMessageFramer framer = new BgpMessageFramer(in.extendedMessages(), alloc);   // owns its cumulation: close() it

    framer.feed(segment, (message, type, streamOffset) -> {          // segment: any TCP read, released by the caller
      if (type != 2) return;
      switch (decoder.decode(message)) {                             // validates everything once, allocates nothing
        case SESSION_RESET -> { send(decoder.notification()); close(); }
        default -> {                                                 // OK, ATTRIBUTE_DISCARD, TREAT_AS_WITHDRAW
          PathAttributes attrs = decoder.attributes();               // immutable; one instance for a run of equal ones
          decoder.forEachRoute((withdraw, pathId, nlri) -> {         // treat-as-withdraw turns announcements to withdrawals
            EvpnRoute route = EvpnRoutes.decode(nlri);               // or read nlri.mac(), nlri.ethernetTag() in place
            if (withdraw) {
              rib.withdraw(peer, pathId, route);                     // or all of it at once: rib.update(peer, decoder)
            } else {
              rib.announce(peer, pathId, route, attrs);
            }
          });
          decoder.errors().forEach(e -> log.log(System.Logger.Level.WARNING, e));   // outcome, subcode, offset, reason
        }
      }
    });

    // Writing: as many NLRI per UPDATE as fit 4096 (or 65535) octets, MP_REACH_NLRI first (RFC 7606 §5.1).
    PathAttributes attrs = PathAttributes.builder().asPath(AsPath.sequence(65001)).nextHop(IpAddress.parse("10.0.0.1"))
        .addExtendedCommunity(ExtendedCommunity.parse("target:65001:100"))
        .addExtendedCommunity(ExtendedCommunity.encapsulation(8)).build();
    new UpdateEncoder(SessionOptions.EBGP).announce(attrs, List.of(EvpnRoutes.parseJunos("2:10.0.0.1:100::0::00:00:0a:0b:0c:0d/304")), buf);
    // README end
  }

  void config(Path path, UpdateDecoder decoder, EvpnNlri received, PathAttributes attributes) throws Exception {
    // README begin
    VtepConfig config = VtepConfig.parse(Files.readString(path));   // curly braces or set commands
    // InvalidConfigException.problems(): every problem, each with line, column and what was expected
    RoutingInstance sw = config.defaultSwitch();                    // vlans, switch-options, protocols evpn
    sw.vlans().get("v100").vni();                                   // 100
    String text = config.format();                                  // show configuration; parses back equal

    // vrf-import / vrf-export as Junos applies them, with vrf-target auto (RFC 8365 §5.1.2.1)
    VrfPolicy vrf = VrfPolicy.of(config, VtepConfig.DEFAULT_SWITCH, 65000);
    PolicyResult result = new PolicyResult();                       // one per thread, reused: evaluation allocates nothing
    decoder.forEachRoute((withdraw, pathId, nlri) -> {
      if (!withdraw && vrf.acceptsImport(nlri, decoder.attributes(), result)) {
        PathAttributes kept = result.apply(decoder.attributes());   // the terms' community/preference changes
      }
    });

    // Any policy chain, with the default action of its place
    PolicyChain chain = PolicyChain.compile(config.policyOptions(), List.of("sanity", "preference"), true);
    chain.evaluate(Protocol.BGP, received, attributes, result);     // result: accept/reject, policy, term
    // README end
  }

  void rib(RouteSink sink, RibListener events, Peer peer, UpdateDecoder decoder, MacAddress mac, IpAddress ip,
      IpAddress fromVtep, ByteBuf buf) throws Exception {
    // README begin
    VtepConfig config = VtepConfig.parse(Files.readString(Path.of("leaf1.conf")));
    ForwardingDriver driver = new InMemoryForwardingTable();         // or your kernel FDB / OVSDB / ASIC driver
    EvpnRib rib = EvpnRib.builder(config, IpAddress.parse("10.0.0.11"), driver)
        .routeSink(sink)                                             // local routes after vrf-export: encode and send
        .listener(events)                                            // MAC moves, duplicates, sticky conflicts, DF
        .build();                                                    // originates IMET/ES/A-D routes, downloads state

    rib.update(peer, decoder);                                       // each decoded UPDATE (single writer thread)
    rib.macLearned(100, mac, "xe-0/0/1.0", ip);                      // local learning: advertised with seq N+1
    rib.portDown("ae0.0");                                           // segment link down: mass withdraw
    rib.floodPorts(100, fromVtep);                                   // BUM egress: local bias split horizon + DF
    rib.tick();                                                      // timers: DF election, duplicate recovery
    rib.peerRestarting(peer); /* ... */ rib.endOfRib(peer);          // graceful restart: stale paths until End-of-RIB
    EvpnRib.Snapshot s = rib.snapshot();                             // export; another RIB can restore(s)

    AdjRibOut toPeer = new AdjRibOut(SessionOptions.IBGP);           // a RouteSink per peer: what was sent, and the
    toPeer.write(buf);                                               // changes since, as UPDATEs grouped by attributes
    // README end
  }

  void speaker(VtepConfig config, IpAddress vtep, IpAddress routerId, MacAddress mac, IpAddress ip) {
    // README begin
    RibSessions sessions = new RibSessions(sink ->                  // the RIB, joined to the sessions by this
        EvpnRib.builder(config, vtep, new InMemoryForwardingTable()).routeSink(sink).routerId(routerId).build());
    BgpSpeaker speaker = BgpSpeaker.builder(65000, routerId)        // one event loop: native epoll, else NIO
        .listener(sessions)                                         // UPDATEs into the RIB, its routes to the peers
        .listen(new InetSocketAddress("10.0.0.11", 179))
        .build();
    PeerSession rr = speaker.addPeer(PeerConfig.builder(new InetSocketAddress("10.0.0.100", 179), 65000)
        .holdTime(9).build());                                      // connects; retries with backoff and jitter
    speaker.eventLoop().execute(() ->                               // the event loop is the RIB's one writer
        sessions.rib().macLearned(100, mac, "xe-0/0/1.0", ip));     // advertised to every peer; withdrawn when aged
    rr.stop("maintenance window");                                  // Cease with an RFC 9003 shutdown message
    speaker.close();
    // README end
  }

  void torAgent(VtepConfig config, IpAddress torVtep, BgpSpeaker speaker) throws Exception {
    // README begin
    TorAgent agent = TorAgent.builder(OvsdbAddress.parse("unix:/var/run/openvswitch/db.sock"), config)
        .build();                                                   // the TOR's hardware_vtep database
    RibSessions sessions = new RibSessions(sink ->                  // the RIB programs the TOR through the agent
        EvpnRib.builder(config, torVtep, agent.driver()).routeSink(sink)
            .driverThread(true).driverRetries(1, Duration.ofSeconds(2)) // a silent TOR cannot stall BGP
            .build());
    agent.start(sessions.rib(), speaker.eventLoop())                // TOR-learned MACs go to the RIB on its loop
        .get(30, TimeUnit.SECONDS);                                 // in step both ways: switches, bindings, MACs
    // README end
  }

  void linuxVtep(VtepConfig config, io.netty.channel.EventLoop loop) throws Exception {
    // README begin
    LinuxDriver kernel = LinuxDriver.builder(IpAddress.parse("192.0.2.1"))   // the VTEP's source address
        .learning(loop)                                              // kernel learning, on the RIB's thread
        .build();                                                    // a netlink socket (root or CAP_NET_ADMIN)
    kernel.attachPort(100, "veth-h1");                               // br100 + vx100 created, the host port joined
    EvpnRib rib = EvpnRib.builder(config, IpAddress.parse("192.0.2.1"), kernel).build();
    // README end
  }

  // what the testkit examples take from the user's project
  static final class MyBgp {
    static Object parseUpdate(ByteBuf update) {
      return update;
    }
  }

  static final class MyBgpException extends RuntimeException {
    private static final long serialVersionUID = 1;
  }

  static final class MyCodec {
    static byte[] encode(EvpnRoute route) {
      return EvpnRoutes.toBytes(route);
    }

    static EvpnRoute decode(byte[] bytes) {
      throw new UnsupportedOperationException("the user's own");
    }
  }

  abstract Object mine(byte[] update);

  abstract Object evpnkitRoutes(byte[] update);

  abstract io.evpnkit.evpn.UpdateOutcome myOutcome(byte[] update);

  void testkit(long seed, List<EvpnRoute> routes, GeneratedUpdate u, GeneratedUpdate other) {
    // README begin
    // 1. The contract every parser owes its caller, over ~10 inputs per case: valid UPDATEs of every route type
    //    and their malformations (lying lengths at every level, cuts, duplicate/unknown attributes, bit flips, splices).
    ParserContract.of(buf -> MyBgp.parseUpdate(buf))          // gets a pooled direct ByteBuf it must not release
        .declared(MyBgpException.class)                       // anything else thrown is a violation
        .maxMillis(50).maxAllocation(64, 64 * 1024)          // per input: time, bytes per input byte + constant
        .check(ParserContract.evpnUpdates(seed, 500))         // or vxlanFrames(seed, n), or your own inputs
        .assertClean();                                       // lists the first violations with the input in hex

    // 2. Your decoder against evpnkit (or your new version against the old one): the first disagreement.
    Differential.compare(bytes -> mine(bytes), bytes -> evpnkitRoutes(bytes), Object::equals,
        new EvpnUpdateGenerator(seed).stream(1000).map(g -> new ParserContract.Input(g.id(), g.bytes())))
        .ifPresent(d -> fail(d.toString()));

    // 3. Inverse laws: decode(encode(x)) = x, parse(format(x)) = x, encode(decode(b)) = b.
    RoundTrip.law(routes.stream(), MyCodec::encode, MyCodec::decode).ifPresent(f -> fail(f.toString()));

    // 4. RFC 7606: every mutation knows the outcome a receiver must reach.
    for (MutatedUpdate m : UpdateMutator.mutations(u, other, seed, 8)) {
      if (m.expected() != null) assertEquals(m.expected(), myOutcome(m.bytes()), m.toString());
    }
    // README end
  }

  // README begin
  // 5. Coverage-guided fuzzing that starts deep in the grammar (Jazzer):
  @FuzzTest void myParser(FuzzedDataProvider data) { MyBgp.parseUpdate(Unpooled.wrappedBuffer(FuzzInputs.evpnUpdate(data))); }
  // README end
}
