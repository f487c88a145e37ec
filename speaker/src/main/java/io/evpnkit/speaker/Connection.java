package io.evpnkit.speaker;

import io.evpnkit.evpn.BgpMessageFramer;
import io.evpnkit.evpn.BgpNotification;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection of a session: frames what arrives into BGP messages and hands them to the
 * session; writes whole messages. Received buffers are released here once framed (the framer keeps
 * a copy of an incomplete message).
 */
final class Connection extends ChannelInboundHandlerAdapter implements BgpMessageFramer.Listener {
  private final Session session;
  private final boolean outgoing;
  private @Nullable ChannelHandlerContext ctx;
  private @Nullable BgpMessageFramer framer;
  private boolean closing;

  Connection(Session session, boolean outgoing) {
    this.session = session;
    this.outgoing = outgoing;
  }

  /** Whether we initiated this connection. */
  boolean outgoing() {
    return outgoing;
  }

  Channel channel() {
    ChannelHandlerContext c = ctx;
    if (c == null) {
      throw new IllegalStateException("not attached to a channel");
    }
    return c.channel();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext context) {
    ctx = context;
    framer = new BgpMessageFramer(false, context.alloc());
    if (context.channel().isActive()) {
      active();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    active();
    context.fireChannelActive();
  }

  private boolean activated;

  private void active() {
    if (activated) {
      return;
    }
    activated = true;
    if (outgoing) {
      session.connected(this);
    } else {
      session.incoming(this);
    }
  }

  void allowExtendedMessages() {
    BgpMessageFramer f = framer;
    if (f != null) {
      f.allowExtendedMessages();
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object msg) {
    if (!(msg instanceof ByteBuf buf)) {
      io.netty.util.ReferenceCountUtil.release(msg);
      return;
    }
    try {
      BgpMessageFramer f = framer;
      if (f == null || closing) {
        return;
      }
      BgpMessageFramer.HeaderError e = f.feed(buf, this);
      if (e != null) {
        session.headerError(this, BgpNotification.of(e, new byte[0]), e.reason());
      }
    } finally {
      buf.release();
    }
  }

  @Override
  public void onMessage(ByteBuf message, int type, long streamOffset) {
    if (!closing) {
      session.message(this, message, type);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (!closing && context.channel().isWritable()) {
      session.writable(this);
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    closing = true;
    session.closed(this);
    context.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext context) {
    BgpMessageFramer f = framer;
    framer = null;
    if (f != null) {
      f.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    // an I/O error (connection reset): the channel closes and channelInactive tells the session
    var unused = context.close();
  }

  /** Writes one message made by {@code writer} and flushes it. */
  void send(Consumer<ByteBuf> writer) {
    ChannelHandlerContext c = ctx;
    if (c == null || closing) {
      return;
    }
    ByteBuf out = c.alloc().buffer();
    try {
      writer.accept(out);
      var unused = c.writeAndFlush(out.retain());
    } finally {
      out.release();
    }
  }

  /** Closes after what was written is flushed. */
  void close() {
    closing = true;
    ChannelHandlerContext c = ctx;
    if (c != null) {
      c.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
    }
  }
}
