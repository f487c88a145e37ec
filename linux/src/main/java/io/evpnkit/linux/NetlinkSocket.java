package io.evpnkit.linux;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@code NETLINK_ROUTE} socket, opened in the network namespace given (a name under {@code
 * /var/run/netns}, as {@code ip netns add} makes them) or in the caller's: requests answered by an
 * acknowledgement or an error, dumps, and (with multicast groups) the kernel's notifications.
 * Requests are serialized; {@link #receive} is for a socket of its own.
 */
final class NetlinkSocket implements AutoCloseable {
  private static final int CLONE_NEWNET = 0x40000000;
  private static final int O_RDONLY_CLOEXEC = 0x80000;

  private final int fd;
  // native memory the kernel writes into (a Java array would be copied whole both ways per call)
  private final com.sun.jna.Memory buffer = new com.sun.jna.Memory(1 << 20);
  private int seq = (int) (System.nanoTime() & 0x7FFF_FFFF);
  private volatile boolean closed;

  private NetlinkSocket(int fd) {
    this.fd = fd;
  }

  /**
   * Opens a socket in namespace {@code netns} (or this process's when {@code null}), bound to the
   * multicast {@code groups} (0 for none).
   */
  static NetlinkSocket open(@Nullable String netns, int groups) throws NetlinkException {
    int[] result = new int[2];
    Runnable create =
        () -> {
          LibC c = LibC.INSTANCE;
          int self = -1;
          if (netns != null) {
            self = c.open("/proc/thread-self/ns/net", O_RDONLY_CLOEXEC);
            int target = c.open("/var/run/netns/" + netns, O_RDONLY_CLOEXEC);
            if (self < 0 || target < 0 || c.setns(target, CLONE_NEWNET) != 0) {
              result[1] = LibC.errno();
              result[0] = -1;
              if (target >= 0) {
                c.close(target);
              }
              if (self >= 0) {
                c.close(self);
              }
              return;
            }
            c.close(target);
          }
          int fd = c.socket(Nl.AF_NETLINK, Nl.SOCK_RAW | Nl.SOCK_CLOEXEC, Nl.NETLINK_ROUTE);
          result[0] = fd;
          result[1] = fd < 0 ? LibC.errno() : 0;
          if (self >= 0) {
            c.setns(self, CLONE_NEWNET); // the thread ends anyway; the socket stays where it is
            c.close(self);
          }
        };
    if (netns == null) {
      create.run();
    } else {
      Thread t = new Thread(create, "evpnkit-netns-" + netns); // setns changes this thread alone
      t.start();
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NetlinkException("open a netlink socket in namespace " + netns, 4);
      }
    }
    if (result[0] < 0) {
      throw new NetlinkException(
          "open a netlink socket" + (netns == null ? "" : " in namespace " + netns), result[1]);
    }
    int fd = result[0];
    byte[] address =
        java.nio.ByteBuffer.allocate(12)
            .order(java.nio.ByteOrder.nativeOrder())
            .putShort((short) Nl.AF_NETLINK)
            .putShort((short) 0)
            .putInt(0)
            .putInt(groups)
            .array();
    LibC.INSTANCE.setsockopt(fd, Nl.SOL_SOCKET, Nl.SO_RCVBUF, new int[] {4 << 20}, 4);
    if (LibC.INSTANCE.bind(fd, address, address.length) != 0) {
      int errno = LibC.errno();
      LibC.INSTANCE.close(fd);
      throw new NetlinkException("bind a netlink socket", errno);
    }
    return new NetlinkSocket(fd);
  }

  /**
   * Sends a request and waits for its acknowledgement; returns the messages the kernel sent before
   * it (a {@code GET} of one object answers with it).
   *
   * @throws NetlinkException with the kernel's errno, and {@code what}
   */
  synchronized List<Nl.Message> request(Nl.Writer message, String what) throws NetlinkException {
    int s = ++seq;
    send(message.ack().finish(s), what);
    List<Nl.Message> replies = new ArrayList<>();
    while (true) {
      for (Nl.Message m : receiveMessages(what)) {
        if (m.seq() != s) {
          continue; // a late answer to a request given up on
        }
        if (m.type() == Nl.NLMSG_ERROR) {
          int error = m.view().getInt(m.payload());
          if (error != 0) {
            throw new NetlinkException(what, -error);
          }
          return replies;
        }
        replies.add(m);
      }
    }
  }

  /**
   * Sends many requests at once (as many per {@code send} as fit in 64 KiB), each asking for an
   * acknowledgement, then reads the acknowledgements: the kernel handles the messages of a socket
   * in order, so this is the same as one request after the other, without a round trip each.
   *
   * @return per request, 0 or the kernel's positive errno
   */
  synchronized int[] requestAll(List<Nl.Writer> messages) throws NetlinkException {
    int n = messages.size();
    int[] errors = new int[n];
    if (n == 0) {
      return errors;
    }
    int first = seq + 1;
    java.io.ByteArrayOutputStream chunk = new java.io.ByteArrayOutputStream(1 << 16);
    int sent = 0;
    int acked = 0;
    for (int i = 0; i < n; i++) {
      byte[] m = messages.get(i).ack().finish(++seq);
      if (chunk.size() + m.length > (1 << 16)) {
        send(chunk.toByteArray(), "send a batch of requests");
        sent = i;
        chunk.reset();
        // keep the socket's receive queue short: read what has been answered so far
        acked = readAcks(errors, first, acked, sent);
      }
      chunk.write(m, 0, m.length);
    }
    send(chunk.toByteArray(), "send a batch of requests");
    readAcks(errors, first, acked, n);
    return errors;
  }

  /** Reads acknowledgements until those of requests {@code [acked, upTo)} are in. */
  private int readAcks(int[] errors, int first, int acked, int upTo) throws NetlinkException {
    int done = acked;
    while (done < upTo) {
      for (Nl.Message m : receiveMessages("read the acknowledgements of a batch")) {
        int index = m.seq() - first;
        if (m.type() == Nl.NLMSG_ERROR && index >= 0 && index < errors.length) {
          errors[index] = -m.view().getInt(m.payload());
          done++;
        }
      }
    }
    return done;
  }

  /** Sends a dump request and returns every message of the dump. */
  synchronized List<Nl.Message> dump(Nl.Writer message, String what) throws NetlinkException {
    int s = ++seq;
    send(message.finish(s), what);
    List<Nl.Message> out = new ArrayList<>();
    while (true) {
      for (Nl.Message m : receiveMessages(what)) {
        if (m.seq() != s) {
          continue;
        }
        if (m.type() == Nl.NLMSG_DONE) {
          return out;
        }
        if (m.type() == Nl.NLMSG_ERROR) {
          int error = m.view().getInt(m.payload());
          if (error != 0) {
            throw new NetlinkException(what, -error);
          }
          return out;
        }
        out.add(m);
      }
    }
  }

  /**
   * Waits up to 0.5 s for the next datagram (notifications) and returns its messages, none when the
   * time passed ({@link #close} from another thread is seen within that time).
   */
  List<Nl.Message> receive() throws NetlinkException {
    if (!timeoutSet) {
      // struct timeval { long tv_sec; long tv_usec; } on LP64: 0 s, 500,000 us
      LibC.INSTANCE.setsockopt(fd, Nl.SOL_SOCKET, SO_RCVTIMEO, new int[] {0, 0, 500_000, 0}, 16);
      timeoutSet = true;
    }
    long n = LibC.INSTANCE.recv(fd, buffer, buffer.size(), 0);
    if (n < 0) {
      int errno = LibC.errno();
      if (errno == EAGAIN || errno == EINTR) {
        return List.of();
      }
      if (errno == ENOBUFS) {
        throw new NetlinkException("receive notifications: the kernel dropped some", errno);
      }
      throw new NetlinkException("receive notifications", errno);
    }
    return Nl.messages(buffer.getByteArray(0, (int) n), (int) n);
  }

  private static final int SO_RCVTIMEO = 20;
  private static final int EINTR = 4;
  private static final int EAGAIN = 11;
  private static final int ENOBUFS = 105;
  private boolean timeoutSet;

  private void send(byte[] bytes, String what) throws NetlinkException {
    if (LibC.INSTANCE.send(fd, bytes, bytes.length, 0) < 0) {
      throw new NetlinkException(what, LibC.errno());
    }
  }

  private List<Nl.Message> receiveMessages(String what) throws NetlinkException {
    long n = LibC.INSTANCE.recv(fd, buffer, buffer.size(), 0);
    if (n < 0) {
      throw new NetlinkException(closed ? what + " (socket closed)" : what, LibC.errno());
    }
    return Nl.messages(buffer.getByteArray(0, (int) n), (int) n);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      LibC.INSTANCE.close(fd);
    }
  }
}
