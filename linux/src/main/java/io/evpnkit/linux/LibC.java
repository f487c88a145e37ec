package io.evpnkit.linux;

import com.sun.jna.Library;
import com.sun.jna.Native;

/** The libc calls a netlink socket needs (JNA), with the errno of a failed call. */
interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int socket(int domain, int type, int protocol);

  int bind(int fd, byte[] address, int length);

  long send(int fd, byte[] buffer, long length, int flags);

  long recv(int fd, com.sun.jna.Pointer buffer, long length, int flags);

  int setsockopt(int fd, int level, int name, int[] value, int length);

  int close(int fd);

  int open(String path, int flags);

  int setns(int fd, int nstype);

  String strerror(int errno);

  /** The errno of the last failed call on this thread. */
  static int errno() {
    return Native.getLastError();
  }
}
