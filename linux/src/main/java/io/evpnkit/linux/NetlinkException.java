package io.evpnkit.linux;

/**
 * The kernel refused a netlink request, or the socket failed: the operation, and the errno with its
 * name as {@code strerror} gives it (e.g. {@code 17 File exists}, {@code 19 No such device}).
 *
 * @since 0.2
 */
public class NetlinkException extends java.io.IOException {
  private static final long serialVersionUID = 1L;

  private final int errno;

  /**
   * Creates the exception.
   *
   * @param operation what was asked, e.g. {@code add FDB entry 00:00:5e:00:53:01 dev vx100}
   * @param errno the positive errno
   */
  public NetlinkException(String operation, int errno) {
    super(operation + ": " + describe(errno));
    this.errno = errno;
  }

  /** The positive errno. */
  public int errno() {
    return errno;
  }

  static String describe(int errno) {
    try {
      return errno + " " + LibC.INSTANCE.strerror(errno);
    } catch (UnsatisfiedLinkError e) {
      return "errno " + errno;
    }
  }
}
