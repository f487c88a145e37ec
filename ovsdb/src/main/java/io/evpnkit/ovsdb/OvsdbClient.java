package io.evpnkit.ovsdb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.evpnkit.annotations.Beta;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.json.JsonObjectDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An OVSDB client (RFC 7047): JSON-RPC 1.0 over one TCP or unix-socket connection, with the methods
 * of §4.1 ({@code list_dbs}, {@code get_schema}, {@code transact}, {@code monitor}, {@code
 * monitor_cancel}, {@code lock}, {@code steal}, {@code unlock}, {@code echo}) and Open vSwitch's
 * {@code monitor_cond} extension. The server's notifications ({@code update}, {@code update2},
 * {@code locked}, {@code stolen}) go to the {@link Listener}; its {@code echo} requests are
 * answered; when nothing has been read for the probe interval the client sends an {@code echo}
 * itself and closes the connection when a second interval passes in silence (what {@code
 * ovsdb-server} does with its inactivity probe).
 *
 * <p>Threading: requests may be sent from any thread; their futures complete, and the listener is
 * called, on the connection's event loop thread (which must not be blocked waiting for a reply).
 * Errors the server returns complete the future with an {@link OvsdbException}; a closed connection
 * fails every pending request with an {@link IOException}. Messages are framed by {@link
 * JsonObjectDecoder}: a message longer than {@link Builder#maxMessageBytes} (64 MiB unless set) or
 * not JSON closes the connection with an {@link OvsdbProtocolException} that says which message and
 * where; nothing is allocated from a length the server states.
 *
 * @since 0.2
 */
@Beta
public final class OvsdbClient implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * What the server tells without being asked. Every method is called on the connection's event
   * loop thread; the defaults ignore the call.
   */
  public interface Listener {
    /**
     * An {@code update} notification of a {@code monitor} (RFC 7047 §4.1.6).
     *
     * @param monitorId the monitor's id, as given to {@link #monitor}
     * @param tableUpdates the {@code <table-updates>} object
     */
    default void update(JsonNode monitorId, JsonNode tableUpdates) {}

    /**
     * An {@code update2} notification of a {@code monitor_cond} (Open vSwitch's extension).
     *
     * @param monitorId the monitor's id
     * @param tableUpdates the {@code <table-updates2>} object
     */
    default void update2(JsonNode monitorId, JsonNode tableUpdates) {}

    /** The lock {@code lockId} was granted after a {@code lock} request waited (§4.1.9). */
    default void locked(String lockId) {}

    /** The lock {@code lockId} was stolen by another client (§4.1.10). */
    default void stolen(String lockId) {}

    /**
     * The connection closed.
     *
     * @param cause why, or {@code null} when {@link #close} closed it
     */
    default void closed(@Nullable Throwable cause) {}
  }

  private record Pending(String method, CompletableFuture<JsonNode> result) {}

  private final Channel channel;
  private final OvsdbAddress address;
  private final @Nullable EventLoopGroup ownGroup;
  private final Listener listener;
  private final Map<Long, Pending> pending = new HashMap<>(); // on the event loop
  private long nextId = 1;
  private long lastRead = System.nanoTime();
  private long messages;
  private @Nullable Throwable closeCause;
  private volatile boolean closedByUs;
  private @Nullable ScheduledFuture<?> probe;
  private final CompletableFuture<@Nullable Throwable> closeFuture = new CompletableFuture<>();

  private OvsdbClient(
      Channel channel, OvsdbAddress address, @Nullable EventLoopGroup own, Listener listener) {
    this.channel = channel;
    this.address = address;
    this.ownGroup = own;
    this.listener = listener;
  }

  /** Starts building a client of the server at {@code address}. */
  public static Builder builder(OvsdbAddress address) {
    return new Builder(address);
  }

  /** Options of a connection; {@link #connect()} opens it. */
  public static final class Builder {
    private final OvsdbAddress address;
    private Listener listener = new Listener() {};
    private @Nullable EventLoopGroup group;
    private Duration probeInterval = Duration.ofSeconds(5);
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxMessageBytes = 64 << 20;

    private Builder(OvsdbAddress address) {
      this.address = address;
    }

    /** What the server's notifications go to. */
    public Builder listener(Listener value) {
      listener = value;
      return this;
    }

    /**
     * A NIO event loop group of the caller's (made with {@link NioIoHandler}); without one the
     * client runs its own single thread and stops it when it closes.
     */
    public Builder eventLoopGroup(EventLoopGroup value) {
      group = value;
      return this;
    }

    /** The inactivity probe: 5 s unless set; {@link Duration#ZERO} turns it off. */
    public Builder probeInterval(Duration value) {
      if (value.isNegative()) {
        throw new IllegalArgumentException("a negative probe interval: " + value);
      }
      probeInterval = value;
      return this;
    }

    /** How long connecting may take: 10 s unless set. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = value;
      return this;
    }

    /** The longest message accepted from the server: 64 MiB unless set. */
    public Builder maxMessageBytes(int value) {
      if (value < 1024) {
        throw new IllegalArgumentException("a maximum message size below 1 KiB: " + value);
      }
      maxMessageBytes = value;
      return this;
    }

    /**
     * Connects; the future fails with the connection's {@link IOException} when the server cannot
     * be reached.
     */
    public CompletableFuture<OvsdbClient> connect() {
      EventLoopGroup own =
          group == null ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : null;
      EventLoopGroup g = own != null ? own : Objects.requireNonNull(group);
      CompletableFuture<OvsdbClient> done = new CompletableFuture<>();
      OvsdbClient[] holder = new OvsdbClient[1];
      Bootstrap b =
          new Bootstrap()
              .group(g)
              .channel(address.isUnix() ? NioDomainSocketChannel.class : NioSocketChannel.class)
              .option(
                  ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      OvsdbClient client = new OvsdbClient(ch, address, own, listener);
                      holder[0] = client;
                      ch.pipeline()
                          .addLast(new JsonObjectDecoder(maxMessageBytes))
                          .addLast(client.new Reader());
                    }
                  });
      b.connect(address.socketAddress())
          .addListener(
              f -> {
                if (f.isSuccess()) {
                  OvsdbClient client = holder[0];
                  client.startProbe(probeInterval);
                  done.complete(client);
                } else {
                  if (own != null) {
                    var unused = own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
                  }
                  done.completeExceptionally(
                      new IOException("cannot connect to OVSDB at " + address, f.cause()));
                }
              });
      return done;
    }
  }

  /** The server's address. */
  public OvsdbAddress address() {
    return address;
  }

  /** The event loop of the connection: the thread of its futures and listener calls. */
  public io.netty.channel.EventLoop eventLoop() {
    return channel.eventLoop();
  }

  /** Whether the connection is open. */
  public boolean isOpen() {
    return channel.isActive();
  }

  /**
   * Completes when the connection closed, with its cause, or {@code null} when {@link #close}
   * closed it.
   */
  public CompletableFuture<@Nullable Throwable> closeFuture() {
    return closeFuture;
  }

  // ------------------------------------------------------------------------------ RFC 7047 §4.1

  /** {@code list_dbs} (§4.1.1): the databases the server has. */
  public CompletableFuture<List<String>> listDbs() {
    return call("list_dbs", NODES.arrayNode())
        .thenApply(
            r -> {
              List<String> names = new ArrayList<>();
              r.forEach(n -> names.add(n.asText()));
              return List.copyOf(names);
            });
  }

  /** {@code get_schema} (§4.1.2): the schema of database {@code db}. */
  public CompletableFuture<DatabaseSchema> getSchema(String db) {
    return call("get_schema", NODES.arrayNode().add(db)).thenApply(DatabaseSchema::parse);
  }

  /**
   * {@code transact} (§4.1.3): the operations of {@link Operations}, applied atomically. The future
   * gives one result per operation, or fails with the {@link OvsdbException} of the first operation
   * that failed (or of the commit), in which case nothing was changed.
   */
  public CompletableFuture<List<JsonNode>> transact(
      String db, List<? extends JsonNode> operations) {
    ArrayNode params = NODES.arrayNode().add(db);
    operations.forEach(params::add);
    int count = operations.size();
    return call("transact", params)
        .thenApply(
            r -> {
              List<JsonNode> results = new ArrayList<>(count);
              for (int i = 0; i < r.size(); i++) {
                JsonNode one = r.get(i);
                if (one != null && one.hasNonNull("error")) {
                  throw new java.util.concurrent.CompletionException(
                      new OvsdbException(
                          "transact",
                          one.get("error").asText(),
                          one.hasNonNull("details") ? one.get("details").asText() : null,
                          i < count ? i : -1));
                }
                if (i < count) {
                  results.add(one == null ? NODES.nullNode() : one);
                }
              }
              if (results.size() < count) {
                throw new java.util.concurrent.CompletionException(
                    new OvsdbException(
                        "transact",
                        "short reply",
                        r.size() + " results for " + count + " operations",
                        -1));
              }
              return List.copyOf(results);
            });
  }

  /**
   * {@code monitor} (§4.1.5): the current contents of the tables and columns {@code requests} names
   * (a {@code <monitor-requests>} object), then {@link Listener#update} for every change.
   */
  public CompletableFuture<JsonNode> monitor(String db, JsonNode monitorId, ObjectNode requests) {
    return call("monitor", NODES.arrayNode().add(db).add(monitorId).add(requests));
  }

  /**
   * {@code monitor_cond} (Open vSwitch's extension of §4.1.5): like {@link #monitor} with a {@code
   * where} condition per table in {@code requests}; changes come as {@link Listener#update2}.
   */
  public CompletableFuture<JsonNode> monitorCond(
      String db, JsonNode monitorId, ObjectNode requests) {
    return call("monitor_cond", NODES.arrayNode().add(db).add(monitorId).add(requests));
  }

  /** {@code monitor_cancel} (§4.1.7). */
  public CompletableFuture<JsonNode> monitorCancel(JsonNode monitorId) {
    return call("monitor_cancel", NODES.arrayNode().add(monitorId));
  }

  /**
   * {@code lock} (§4.1.8): the future gives whether the lock was granted at once; otherwise {@link
   * Listener#locked} tells when it is.
   */
  public CompletableFuture<Boolean> lock(String lockId) {
    checkId(lockId);
    return call("lock", NODES.arrayNode().add(lockId)).thenApply(r -> r.path("locked").asBoolean());
  }

  /** {@code steal} (§4.1.8): takes the lock from its owner, who is told {@code stolen}. */
  public CompletableFuture<Boolean> steal(String lockId) {
    checkId(lockId);
    return call("steal", NODES.arrayNode().add(lockId))
        .thenApply(r -> r.path("locked").asBoolean());
  }

  /** {@code unlock} (§4.1.8). */
  public CompletableFuture<JsonNode> unlock(String lockId) {
    return call("unlock", NODES.arrayNode().add(lockId));
  }

  /**
   * A lock's name is an {@code <id>} of RFC 7047 §3.1: a letter or underscore, then those and
   * digits.
   */
  private static void checkId(String id) {
    if (!id.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "a lock id is letters, digits and underscores, not starting with a digit (RFC 7047 §3.1): '"
              + id
              + "'");
    }
  }

  /** {@code echo} (§4.1.11): a round trip to the server. */
  public CompletableFuture<JsonNode> echo() {
    return call("echo", NODES.arrayNode().add("evpnkit"));
  }

  /**
   * Sends request {@code method} with {@code params} (a JSON array) and gives its {@code result};
   * an {@code error} from the server fails the future with an {@link OvsdbException}.
   */
  public CompletableFuture<JsonNode> call(String method, ArrayNode params) {
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    if (channel.eventLoop().inEventLoop()) {
      send(method, params, result);
    } else {
      channel.eventLoop().execute(() -> send(method, params, result));
    }
    return result;
  }

  private void send(String method, ArrayNode params, CompletableFuture<JsonNode> result) {
    if (!channel.isActive()) {
      result.completeExceptionally(closedError());
      return;
    }
    long id = nextId++;
    pending.put(id, new Pending(method, result));
    ObjectNode request = NODES.objectNode();
    request.put("method", method);
    request.set("params", params);
    request.put("id", id);
    write(request);
  }

  private void write(JsonNode message) {
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree that cannot be written", e);
    }
    channel
        .writeAndFlush(Unpooled.wrappedBuffer(bytes))
        .addListener(
            f -> {
              if (!f.isSuccess() && channel.isActive()) {
                closeWith(f.cause());
              }
            });
  }

  private IOException closedError() {
    Throwable cause = closeCause;
    return new IOException(
        "the connection to OVSDB at "
            + address
            + " is closed"
            + (cause == null ? "" : ": " + cause.getMessage()),
        cause);
  }

  /** Closes the connection (and the client's own event loop, if it has one). */
  @Override
  public void close() {
    closedByUs = true;
    boolean onLoop =
        channel.eventLoop().inEventLoop(); // a listener's thread cannot wait for itself
    var closing = channel.close();
    if (!onLoop) {
      closing.syncUninterruptibly();
    }
    if (ownGroup != null) {
      var stopping = ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      if (!onLoop) {
        stopping.syncUninterruptibly();
      }
    }
  }

  private void startProbe(Duration interval) {
    if (interval.isZero()) {
      return;
    }
    long nanos = interval.toNanos();
    probe =
        channel
            .eventLoop()
            .scheduleAtFixedRate(
                () -> {
                  long silent = System.nanoTime() - lastRead;
                  if (silent >= 2 * nanos) {
                    closeWith(
                        new IOException(
                            "OVSDB at "
                                + address
                                + " did not answer an echo for "
                                + interval.toMillis()
                                + " ms"));
                  } else if (silent >= nanos) {
                    var unused = echo(); // a reply is a read, which is all the probe needs
                  }
                },
                nanos / 2,
                nanos / 2,
                TimeUnit.NANOSECONDS);
  }

  private void closeWith(Throwable cause) {
    if (closeCause == null) {
      closeCause = cause;
    }
    var unused = channel.close();
  }

  /** Reads the server's messages, one JSON object each. */
  private final class Reader extends SimpleChannelInboundHandler<ByteBuf> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      lastRead = System.nanoTime();
      long index = messages++;
      JsonNode message;
      try {
        message = JSON.readTree((java.io.InputStream) new ByteBufInputStream(frame));
      } catch (JsonProcessingException e) {
        closeWith(
            new OvsdbProtocolException(
                "message " + index + " from " + address + " is not JSON",
                index,
                e.getLocation() == null ? -1 : e.getLocation().getByteOffset(),
                e));
        return;
      } catch (IOException e) {
        closeWith(e);
        return;
      }
      if (message == null || !message.isObject()) {
        closeWith(
            new OvsdbProtocolException(
                "message " + index + " from " + address + " is not a JSON-RPC object",
                index,
                0,
                null));
        return;
      }
      dispatch(message, index);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (cause instanceof io.netty.handler.codec.TooLongFrameException
          || cause instanceof io.netty.handler.codec.CorruptedFrameException) {
        closeWith(
            new OvsdbProtocolException(
                "message " + messages + " from " + address + ": " + cause.getMessage(),
                messages,
                -1,
                cause));
      } else {
        closeWith(cause);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      ScheduledFuture<?> p = probe;
      if (p != null) {
        p.cancel(false);
      }
      if (closeCause == null && !closedByUs) {
        closeCause = new IOException("OVSDB at " + address + " closed the connection");
      }
      IOException error = closedError();
      List<Pending> failed = new ArrayList<>(pending.values());
      pending.clear();
      failed.forEach(p1 -> p1.result().completeExceptionally(error));
      Throwable cause = closedByUs ? null : closeCause;
      closeFuture.complete(cause);
      listener.closed(cause);
    }
  }

  private void dispatch(JsonNode message, long index) {
    JsonNode method = message.get("method");
    if (method != null && method.isTextual()) {
      JsonNode params = message.path("params");
      JsonNode id = message.get("id");
      switch (method.asText()) {
        case "echo" -> reply(id, params, null);
        case "update" -> listener.update(params.path(0), params.path(1));
        case "update2" -> listener.update2(params.path(0), params.path(1));
        case "locked" -> listener.locked(params.path(0).asText());
        case "stolen" -> listener.stolen(params.path(0).asText());
        default -> {
          if (id != null && !id.isNull()) {
            reply(id, null, "unknown method");
          }
        }
      }
      return;
    }
    JsonNode id = message.get("id");
    if (id == null || !id.canConvertToLong()) {
      closeWith(
          new OvsdbProtocolException(
              "message " + index + " from " + address + " is a reply without a request id",
              index,
              0,
              null));
      return;
    }
    Pending p = pending.remove(id.asLong());
    if (p == null) {
      return; // the reply to a request whose connection state we no longer track (echo races)
    }
    JsonNode error = message.get("error");
    if (error != null && !error.isNull()) {
      String text =
          error.isTextual() ? error.asText() : error.path("error").asText(error.toString());
      String details = error.hasNonNull("details") ? error.get("details").asText() : null;
      p.result().completeExceptionally(new OvsdbException(p.method(), text, details, -1));
    } else {
      JsonNode result = message.get("result");
      p.result().complete(result == null ? NODES.nullNode() : result);
    }
  }

  private void reply(@Nullable JsonNode id, @Nullable JsonNode result, @Nullable String error) {
    ObjectNode r = NODES.objectNode();
    r.set("result", result == null ? NODES.nullNode() : result);
    if (error == null) {
      r.putNull("error");
    } else {
      r.put("error", error);
    }
    r.set("id", id == null ? NODES.nullNode() : id);
    write(r);
  }
}
