package io.evpnkit.speaker;

import io.evpnkit.annotations.Beta;
import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.Capability;
import io.evpnkit.evpn.IpAddress;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.IntegerUnixChannelOption;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * A BGP speaker for L2VPN/EVPN: sessions with its configured peers over TCP, on Netty transport
 * (native epoll where the platform has it, NIO otherwise), each running the RFC 4271 state machine,
 * negotiating capabilities (multiprotocol L2VPN/EVPN, 4-octet AS, route refresh, extended messages,
 * ADD-PATH when configured) and decoding what arrives with the negotiated options.
 *
 * <p>Threading: one event loop thread runs every session, every timer and every {@link
 * SessionListener} call, so the listener is the single writer of whatever it feeds (an {@code
 * EvpnRib}). Public methods may be called from any thread: those that act run on the event loop.
 * {@link #close} stops every session (Cease, Administrative Shutdown), closes the listening sockets
 * and, when the speaker made it, shuts its event loop down.
 *
 * <p>Peers connecting to a listening address are matched to a configured peer by their IP address;
 * others are closed at once. When both sides connect at the same time, the connection initiated by
 * the speaker with the higher BGP identifier is kept (RFC 4271 §6.8) and the other is closed with a
 * Cease NOTIFICATION (Connection Collision Resolution, RFC 4486).
 *
 * @since 0.2
 */
@Beta
public final class BgpSpeaker implements AutoCloseable {
  private final long as;
  private final int routerId;
  private final SessionListener listener;
  private final EventLoopGroup group;
  private final boolean ownGroup;
  private final EventLoop loop;
  private final boolean epoll;
  private final RandomGenerator random;
  private final boolean restarted;
  private final boolean forwardingPreserved;
  private final io.netty.channel.WriteBufferWaterMark waterMark;
  private final List<Channel> servers = new CopyOnWriteArrayList<>();
  private final Map<InetAddress, Session> byAddress = new ConcurrentHashMap<>();
  private final List<Session> sessions = new CopyOnWriteArrayList<>();

  private BgpSpeaker(Builder b) {
    this.as = b.as;
    this.routerId = b.routerId;
    this.listener = b.listener;
    this.random = b.random;
    this.restarted = b.restarted;
    this.forwardingPreserved = b.forwardingPreserved;
    this.waterMark = b.waterMark;
    EventLoopGroup given = b.group;
    boolean useEpoll = Epoll.isAvailable() && !b.forceNio;
    if (given == null) {
      IoHandlerFactory io = useEpoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
      this.group = new MultiThreadIoEventLoopGroup(1, io);
      this.ownGroup = true;
    } else {
      this.group = given;
      this.ownGroup = false;
    }
    this.epoll = useEpoll;
    this.loop = group.next();
  }

  /**
   * Starts building a speaker.
   *
   * @param as our AS, 1..4294967295
   * @param routerId our BGP identifier, a non-zero IPv4 address (RFC 6286)
   */
  public static Builder builder(long as, IpAddress routerId) {
    return new Builder(as, routerId);
  }

  /**
   * Starts building the speaker of a configuration: {@code routing-options autonomous-system} and
   * {@code router-id}; its peers come from {@link PeerConfig#fromConfiguration}.
   *
   * @throws IllegalArgumentException if the configuration lacks either
   */
  public static Builder builder(io.evpnkit.policy.VtepConfig config) {
    if (config.autonomousSystem() <= 0) {
      throw new IllegalArgumentException("a BGP speaker needs routing-options autonomous-system");
    }
    IpAddress id =
        config
            .routerIdAddress()
            .orElseThrow(
                () ->
                    new IllegalArgumentException("a BGP speaker needs routing-options router-id"));
    return new Builder(config.autonomousSystem(), id);
  }

  /** Builds a {@link BgpSpeaker}. */
  public static final class Builder {
    private final long as;
    private final int routerId;
    private SessionListener listener = (s, d) -> {};
    private @Nullable EventLoopGroup group;
    private boolean forceNio;
    private RandomGenerator random = RandomGenerator.getDefault();
    private final List<InetSocketAddress> listen = new ArrayList<>();
    private boolean restarted;
    private boolean forwardingPreserved;
    private io.netty.channel.WriteBufferWaterMark waterMark =
        new io.netty.channel.WriteBufferWaterMark(256 * 1024, 1024 * 1024);

    private Builder(long as, IpAddress routerId) {
      if (as <= 0 || as > 0xFFFF_FFFFL) {
        throw new IllegalArgumentException("AS " + as + " is not 1..4294967295");
      }
      if (routerId.isIpv6() || routerId.ipv4() == 0) {
        throw new IllegalArgumentException(
            "router id " + routerId + ": expected a non-zero IPv4 address (RFC 6286)");
      }
      this.as = as;
      this.routerId = routerId.ipv4();
    }

    /** Where session events and UPDATEs go. */
    public Builder listener(SessionListener value) {
      listener = value;
      return this;
    }

    /**
     * An event loop group to run on (one loop of it is used) instead of one the speaker makes and
     * owns; its transport must match the platform's (epoll on Linux when available, else NIO).
     */
    public Builder eventLoopGroup(EventLoopGroup value) {
      group = value;
      return this;
    }

    /** Uses NIO even where epoll is available. */
    public Builder nio(boolean value) {
      forceNio = value;
      return this;
    }

    /** Where the jitter of the timers comes from (seed it in tests). */
    public Builder random(RandomGenerator value) {
      random = value;
      return this;
    }

    /**
     * Graceful restart (RFC 4724 §3) of this speaker, for the peers that have it on: {@code
     * restarted} sets the Restart State bit in the first OPEN to each peer (this process is a
     * restart: the peers need not wait for our End-of-RIB); {@code forwardingPreserved} sets the
     * Forwarding State bit of L2VPN/EVPN (the data plane kept forwarding across the restart, as a
     * kernel VXLAN data plane does, so the peers keep our routes while we come back).
     */
    public Builder gracefulRestart(boolean restarted, boolean forwardingPreserved) {
      this.restarted = restarted;
      this.forwardingPreserved = forwardingPreserved;
      return this;
    }

    /**
     * The write buffer of every connection: past {@code highBytes} queued and not yet taken by the
     * kernel a session is not writable ({@link PeerSession#isWritable}) until below {@code
     * lowBytes} again. Defaults: 256 KiB and 1 MiB.
     */
    public Builder writeBufferWaterMark(int lowBytes, int highBytes) {
      waterMark = new io.netty.channel.WriteBufferWaterMark(lowBytes, highBytes);
      return this;
    }

    /** Listens for peers on this address and port (port 0: any free port). */
    public Builder listen(InetSocketAddress address) {
      listen.add(address);
      return this;
    }

    /**
     * Builds the speaker and binds its listening addresses.
     *
     * @throws java.io.UncheckedIOException if an address cannot be bound
     */
    public BgpSpeaker build() {
      BgpSpeaker s = new BgpSpeaker(this);
      try {
        for (InetSocketAddress a : listen) {
          s.bind(a);
        }
      } catch (RuntimeException e) {
        s.close();
        throw e;
      }
      return s;
    }
  }

  private void bind(InetSocketAddress address) {
    Class<? extends ServerChannel> type =
        epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(loop)
            .channel(type)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    accepted(ch);
                  }
                });
    try {
      Channel server = b.bind(address).sync().channel();
      servers.add(server);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding " + address, e);
    } catch (RuntimeException e) {
      throw new java.io.UncheckedIOException(
          new java.io.IOException("cannot listen on " + address + ": " + e.getMessage(), e));
    }
  }

  /** Returns the addresses the speaker listens on, with the ports bound. */
  public List<InetSocketAddress> listenAddresses() {
    List<InetSocketAddress> out = new ArrayList<>();
    for (Channel c : servers) {
      out.add((InetSocketAddress) c.localAddress());
    }
    return out;
  }

  /** Returns our AS. */
  public long as() {
    return as;
  }

  /** Returns our BGP identifier as an IPv4 address. */
  public IpAddress routerId() {
    return IpAddress.ofIpv4(routerId);
  }

  /** Returns whether the native epoll transport is in use (else NIO). */
  public boolean isEpoll() {
    return epoll;
  }

  /** Returns the event loop that runs every session and listener call. */
  public EventLoop eventLoop() {
    return loop;
  }

  /** Returns the peers, in the order added. */
  public List<PeerSession> peers() {
    return List.copyOf(sessions);
  }

  /**
   * Adds a peer and starts its session (connecting, or waiting for it when passive).
   *
   * @throws IllegalArgumentException if a peer with this address exists
   */
  public PeerSession addPeer(PeerConfig config) {
    if (!epoll && (config.authenticationKey() != null || config.ttlSecurityHops() > 0)) {
      throw new IllegalStateException(
          "TCP MD5 signatures and GTSM need the native epoll transport (Linux), not NIO");
    }
    long localAs = config.localAs() == 0 ? as : config.localAs();
    Session s = new Session(this, config, open(config, localAs, restarted), random);
    if (byAddress.putIfAbsent(config.remote().getAddress(), s) != null) {
      throw new IllegalArgumentException("a peer at " + config.remote().getAddress() + " exists");
    }
    sessions.add(s);
    updateMd5Keys();
    // started before this returns: a connection the peer opens from now on finds it waiting
    if (loop.inEventLoop()) {
      s.start();
    } else {
      loop.submit(s::start).syncUninterruptibly();
    }
    return s;
  }

  /** Stops a peer's session (with the shutdown message, if any) and forgets the peer. */
  public void removePeer(PeerSession peer, @Nullable String shutdownMessage) {
    if (!(peer instanceof Session s) || !sessions.remove(s)) {
      throw new IllegalArgumentException("not a peer of this speaker: " + peer);
    }
    byAddress.remove(s.config().remote().getAddress(), s);
    s.stop(shutdownMessage);
    updateMd5Keys();
  }

  /** The flags of our Graceful Restart capability: N always (RFC 8538), R after a restart. */
  static final int GR_RESTART_STATE = 0x8;

  static final int GR_NOTIFICATION = 0x4;

  BgpOpen open(PeerConfig config, long localAs, boolean restartState) {
    List<Capability> capabilities = new ArrayList<>();
    capabilities.add(Capability.Multiprotocol.L2VPN_EVPN);
    capabilities.add(new Capability.RouteRefresh());
    capabilities.add(new Capability.EnhancedRouteRefresh());
    capabilities.add(new Capability.ExtendedMessage());
    capabilities.add(new Capability.FourOctetAs(localAs));
    if (config.addPath()) {
      capabilities.add(
          new Capability.AddPath(
              List.of(
                  new Capability.AddPathFamily(
                      BgpMessages.AFI_L2VPN,
                      BgpMessages.SAFI_EVPN,
                      Capability.AddPathFamily.BOTH))));
    }
    if (config.gracefulRestart()) {
      capabilities.add(
          new Capability.GracefulRestart(
              GR_NOTIFICATION | (restartState ? GR_RESTART_STATE : 0),
              config.restartTime(),
              List.of(
                  new Capability.GracefulRestartFamily(
                      BgpMessages.AFI_L2VPN, BgpMessages.SAFI_EVPN, forwardingPreserved))));
    }
    return new BgpOpen(localAs, config.holdTime(), routerId, capabilities);
  }

  SessionListener listener() {
    return listener;
  }

  Class<? extends io.netty.channel.Channel> socketChannelType() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /**
   * The listening sockets' MD5 keys (RFC 2385): the kernel checks the signature of the peer's SYN,
   * so the key must be on the listening socket before the peer connects.
   */
  private void updateMd5Keys() {
    if (!epoll) {
      return;
    }
    Map<InetAddress, byte[]> keys = new java.util.HashMap<>();
    for (Session s : sessions) {
      String key = s.config().authenticationKey();
      if (key != null) {
        keys.put(s.config().remote().getAddress(), key.getBytes(StandardCharsets.UTF_8));
      }
    }
    for (Channel c : servers) {
      if (keys.isEmpty() && !md5OnListeners) {
        continue;
      }
      ((EpollServerSocketChannel) c).config().setTcpMd5Sig(keys);
    }
    md5OnListeners = !keys.isEmpty();
  }

  private volatile boolean md5OnListeners;

  /**
   * IP_TTL and IP_MINTTL (IPv4), IPV6_UNICAST_HOPS and IPV6_MINHOPCOUNT (IPv6), as Linux numbers.
   */
  private static final IntegerUnixChannelOption IP_TTL =
      new IntegerUnixChannelOption("IP_TTL", 0, 2);

  private static final IntegerUnixChannelOption IP_MINTTL =
      new IntegerUnixChannelOption("IP_MINTTL", 0, 21);

  private static final IntegerUnixChannelOption IPV6_UNICAST_HOPS =
      new IntegerUnixChannelOption("IPV6_UNICAST_HOPS", 41, 16);

  private static final IntegerUnixChannelOption IPV6_MINHOPCOUNT =
      new IntegerUnixChannelOption("IPV6_MINHOPCOUNT", 41, 73);

  /** Sets an outgoing connection's write buffer, MD5 key and GTSM options. */
  void secure(io.netty.bootstrap.Bootstrap b, PeerConfig config) {
    b.option(ChannelOption.WRITE_BUFFER_WATER_MARK, waterMark);
    String key = config.authenticationKey();
    if (key != null) {
      b.option(
          EpollChannelOption.TCP_MD5SIG,
          Map.of(config.remote().getAddress(), key.getBytes(StandardCharsets.UTF_8)));
    }
    int hops = config.ttlSecurityHops();
    if (hops > 0) {
      boolean v6 = config.remote().getAddress() instanceof java.net.Inet6Address;
      b.option(v6 ? IPV6_UNICAST_HOPS : IP_TTL, 255);
      b.option(v6 ? IPV6_MINHOPCOUNT : IP_MINTTL, 256 - hops);
    }
  }

  /** Sets an accepted connection's GTSM options (RFC 5082 §3). */
  private static void secure(SocketChannel ch, PeerConfig config) {
    int hops = config.ttlSecurityHops();
    if (hops > 0) {
      boolean v6 = config.remote().getAddress() instanceof java.net.Inet6Address;
      ch.config().setOption(v6 ? IPV6_UNICAST_HOPS : IP_TTL, 255);
      ch.config().setOption(v6 ? IPV6_MINHOPCOUNT : IP_MINTTL, 256 - hops);
    }
  }

  /** A connection accepted on a listening address: matched to its peer by IP address, or closed. */
  private void accepted(SocketChannel ch) {
    InetSocketAddress remote = ch.remoteAddress();
    Session s = remote == null ? null : byAddress.get(remote.getAddress());
    if (s == null) {
      var unused = ch.close();
      return;
    }
    secure(ch, s.config());
    Connection c = new Connection(s, false);
    ch.pipeline().addLast(c);
  }

  /**
   * Closes like {@link #close}, but every connection without a NOTIFICATION, as a process that
   * restarts does: peers with graceful restart (RFC 4724 §4.2) keep our routes, stale, and go on
   * forwarding to us until the restarted speaker ({@link Builder#gracefulRestart}{@code (true,
   * true)}) sends them again and its End-of-RIB.
   */
  public void closeForRestart() {
    // the connections go on the loop before close() may stop a session with a Cease
    Runnable abandon =
        () -> {
          for (Session s : sessions) {
            s.abandon();
          }
        };
    io.netty.channel.EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      abandon.run();
    } else {
      loop.submit(abandon).syncUninterruptibly();
    }
    close();
  }

  @Override
  public void close() {
    for (Session s : sessions) {
      s.stop("shutting down");
    }
    try {
      // let the stop NOTIFICATIONs go out before the loop goes away
      loop.submit(() -> {}).get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      // closing anyway
    }
    for (Channel c : servers) {
      c.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
    if (ownGroup) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }

  @Override
  public String toString() {
    return "BgpSpeaker[AS " + as + ", " + SessionFsm.identifier(routerId) + "]";
  }
}
