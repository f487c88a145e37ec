package io.evpnkit.speaker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.evpnkit.evpn.BgpMessages;
import io.evpnkit.evpn.BgpNotification;
import io.evpnkit.evpn.BgpOpen;
import io.evpnkit.evpn.IpAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A TCP connection from a peer's address to a speaker, speaking BGP written by hand. */
final class RawPeer implements AutoCloseable {
  final Socket socket = new Socket();
  final DataInputStream in;
  final OutputStream out;
  private final String from;

  RawPeer(String from, InetSocketAddress to) throws IOException {
    this(from, to, 0);
  }

  /** A connection whose receive buffer is {@code receiveBuffer} octets (0: the system's). */
  RawPeer(String from, InetSocketAddress to, int receiveBuffer) throws IOException {
    this.from = from;
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer); // before connecting: the window it offers
    }
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(to, 5000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void send(byte[] message) throws IOException {
    out.write(message);
    out.flush();
  }

  /** Reads one whole message. */
  byte[] read() throws IOException {
    return read(in);
  }

  /** Reads one whole message from a stream. */
  static byte[] read(DataInputStream in) throws IOException {
    byte[] header = new byte[19];
    in.readFully(header);
    int length = (header[16] & 0xFF) << 8 | (header[17] & 0xFF);
    byte[] message = java.util.Arrays.copyOf(header, length);
    in.readFully(message, 19, length - 19);
    return message;
  }

  /**
   * Opens the session with a plain L2VPN/EVPN OPEN: OPEN both ways, and the speaker's KEEPALIVE
   * read (ours is the caller's to send).
   */
  void open(long as, int holdTime) throws IOException {
    open(BgpOpen.evpn(as, holdTime, IpAddress.parse(from).ipv4()));
  }

  /** Sends {@code open}, reads the speaker's OPEN and KEEPALIVE; returns the speaker's OPEN. */
  BgpOpen open(BgpOpen open) throws IOException {
    send(bytes(open::write));
    byte[] theirs = read();
    assertEquals(BgpOpen.TYPE, theirs[18], "the speaker's OPEN");
    assertEquals(BgpMessages.KEEPALIVE, read()[18], "the speaker's KEEPALIVE");
    ByteBuf b = Unpooled.wrappedBuffer(theirs);
    try {
      return BgpOpen.read(b);
    } finally {
      b.release();
    }
  }

  boolean closedByPeer() throws IOException {
    try {
      InputStream s = socket.getInputStream();
      while (true) {
        if (s.read() < 0) {
          return true;
        }
      }
    } catch (EOFException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  static byte[] bytes(java.util.function.Consumer<ByteBuf> writer) {
    ByteBuf b = Unpooled.buffer();
    try {
      writer.accept(b);
      byte[] out = new byte[b.readableBytes()];
      b.readBytes(out);
      return out;
    } finally {
      b.release();
    }
  }

  static BgpNotification notification(byte[] message) {
    assertEquals(BgpNotification.TYPE, message[18], "a NOTIFICATION");
    ByteBuf b = Unpooled.wrappedBuffer(message);
    try {
      return BgpNotification.read(b);
    } finally {
      b.release();
    }
  }
}
