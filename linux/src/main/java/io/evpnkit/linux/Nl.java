package io.evpnkit.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * Netlink and rtnetlink constants (linux/netlink.h, linux/rtnetlink.h, linux/if_link.h,
 * linux/neighbour.h, linux/nexthop.h) and the writer and reader of their messages: a 16-byte {@code
 * nlmsghdr}, a family header, then attributes ({@code rtattr}: length, type, value, padded to 4
 * bytes), all in host byte order except where the kernel says network order.
 */
final class Nl {
  private Nl() {}

  static final int AF_UNSPEC = 0;
  static final int AF_INET = 2;
  static final int AF_BRIDGE = 7;
  static final int AF_INET6 = 10;
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  static final int SOCK_CLOEXEC = 0x80000;
  static final int NETLINK_ROUTE = 0;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SOL_NETLINK = 270;
  static final int NETLINK_EXT_ACK = 11;

  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_MULTI = 0x2;
  static final int NLM_F_ACK = 0x4;
  static final int NLM_F_DUMP = 0x300;
  static final int NLM_F_REPLACE = 0x100;
  static final int NLM_F_EXCL = 0x200;
  static final int NLM_F_CREATE = 0x400;
  static final int NLM_F_APPEND = 0x800;

  static final int NLMSG_ERROR = 2;
  static final int NLMSG_DONE = 3;

  static final int RTM_NEWLINK = 16;
  static final int RTM_DELLINK = 17;
  static final int RTM_GETLINK = 18;
  static final int RTM_SETLINK = 19;
  static final int RTM_NEWNEIGH = 28;
  static final int RTM_DELNEIGH = 29;
  static final int RTM_GETNEIGH = 30;
  static final int RTM_NEWROUTE = 24;
  static final int RTM_DELROUTE = 25;
  static final int RTA_DST = 1;
  static final int RTA_OIF = 4;
  static final int RTA_GATEWAY = 5;
  static final int RTA_TABLE = 15;
  static final int RTNH_F_ONLINK = 4;
  static final int RTN_UNICAST = 1;
  static final int RT_SCOPE_UNIVERSE = 0;
  static final int RT_SCOPE_LINK = 253;
  static final int RTM_NEWADDR = 20;
  static final int RTM_DELADDR = 21;
  static final int IFA_ADDRESS = 1;
  static final int IFA_LOCAL = 2;
  static final int IFA_F_NODAD = 0x02;
  static final int IFLA_LINK = 5;
  static final int IFLA_AF_SPEC = 26;
  static final int IFLA_INET_CONF = 1;
  static final int IPV4_DEVCONF_ARP_ANNOUNCE = 18;
  static final int IPV4_DEVCONF_ARP_IGNORE = 19;
  static final int IFLA_MACVLAN_MODE = 1;
  static final int MACVLAN_MODE_PRIVATE = 1;
  // the protocol of the routes this driver writes (iproute2's rt_protos: "static" is 4; a number of
  // its own keeps them apart from an operator's)
  static final int RTPROT_EVPNKIT = 196;
  static final int IFLA_VRF_TABLE = 1;
  static final int RTM_NEWRULE = 32;
  static final int RTM_DELRULE = 33;
  static final int FRA_IIFNAME = 3;
  static final int FRA_PRIORITY = 6;
  static final int FRA_TABLE = 15;
  static final int FR_ACT_TO_TBL = 1;
  static final int RTM_NEWNEXTHOP = 104;
  static final int RTM_DELNEXTHOP = 105;
  static final int RTM_GETNEXTHOP = 106;

  static final int RTMGRP_LINK = 0x1;
  static final int RTMGRP_NEIGH = 0x4;

  static final int IFF_UP = 0x1;
  static final int IFF_LOWER_UP = 0x10000;
  static final int IFLA_ADDRESS = 1;
  static final int IFLA_IFNAME = 3;
  static final int IFLA_MASTER = 10;
  static final int IFLA_PROTINFO = 12;
  static final int IFLA_LINKINFO = 18;
  static final int IFLA_INFO_KIND = 1;
  static final int IFLA_INFO_DATA = 2;
  static final int IFLA_VXLAN_ID = 1;
  static final int IFLA_VXLAN_LOCAL = 4;
  static final int IFLA_VXLAN_LEARNING = 7;
  static final int IFLA_VXLAN_PORT = 15;
  static final int IFLA_VXLAN_LOCAL6 = 17;
  static final int IFLA_BRPORT_LEARNING = 8;
  static final int IFLA_BRPORT_NEIGH_SUPPRESS = 32;
  static final int NLA_F_NESTED = 0x8000;

  static final int NDA_DST = 1;
  static final int NDA_LLADDR = 2;
  static final int NDA_MASTER = 9;
  static final int NDA_NH_ID = 13;
  static final int NUD_REACHABLE = 0x02;
  static final int NUD_STALE = 0x04;
  static final int NUD_DELAY = 0x08;
  static final int NUD_PROBE = 0x10;
  static final int NUD_FAILED = 0x20;
  static final int NUD_NOARP = 0x40;
  static final int NUD_PERMANENT = 0x80;
  static final int NTF_SELF = 0x02;
  static final int NTF_MASTER = 0x04;
  static final int NTF_EXT_LEARNED = 0x10;

  static final int NHA_ID = 1;
  static final int NHA_GROUP = 2;
  static final int NHA_GATEWAY = 6;
  static final int NHA_FDB = 11;

  /** Writes one netlink message. */
  static final class Writer {
    private ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.nativeOrder());

    Writer(int type, int flags) {
      b.putInt(0).putShort((short) type).putShort((short) (flags | NLM_F_REQUEST));
      b.putInt(0).putInt(0);
    }

    private void room(int n) {
      if (b.remaining() < n) {
        ByteBuffer bigger =
            ByteBuffer.allocate(Math.max(b.capacity() * 2, b.position() + n))
                .order(ByteOrder.nativeOrder());
        b.flip();
        bigger.put(b);
        b = bigger;
      }
    }

    Writer u8(int v) {
      room(1);
      b.put((byte) v);
      return this;
    }

    Writer u16(int v) {
      room(2);
      b.putShort((short) v);
      return this;
    }

    Writer u32(int v) {
      room(4);
      b.putInt(v);
      return this;
    }

    Writer attr(int type, byte[] value) {
      int len = 4 + value.length;
      room(align(len));
      b.putShort((short) len).putShort((short) type).put(value);
      pad();
      return this;
    }

    Writer attrU8(int type, int v) {
      return attr(type, new byte[] {(byte) v});
    }

    Writer attrU32(int type, int v) {
      return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
    }

    /** A 16-bit value in network byte order (ports). */
    Writer attrBe16(int type, int v) {
      return attr(type, new byte[] {(byte) (v >>> 8), (byte) v});
    }

    Writer attrString(int type, String v) {
      byte[] s = v.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      return attr(type, java.util.Arrays.copyOf(s, s.length + 1));
    }

    Writer attrFlag(int type) {
      return attr(type, new byte[0]);
    }

    /** Opens a nested attribute; {@link #end} closes it. */
    int nest(int type) {
      room(4);
      int start = b.position();
      b.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
      return start;
    }

    void end(int start) {
      b.putShort(start, (short) (b.position() - start));
    }

    private void pad() {
      while ((b.position() & 3) != 0) {
        b.put((byte) 0);
      }
    }

    /** Asks the kernel to acknowledge the request (an error message with errno 0). */
    Writer ack() {
      b.putShort(6, (short) (b.getShort(6) | NLM_F_ACK));
      return this;
    }

    byte[] finish(int seq) {
      pad();
      b.putInt(0, b.position());
      b.putInt(8, seq);
      return java.util.Arrays.copyOf(b.array(), b.position());
    }
  }

  static int align(int n) {
    return (n + 3) & ~3;
  }

  /** One message read: its type, flags, and where its payload lies in the buffer. */
  @SuppressWarnings("ArrayRecordComponent") // a view into the datagram read, never compared
  record Message(int type, int flags, int seq, byte[] buf, int payload, int end) {
    ByteBuffer view() {
      return ByteBuffer.wrap(buf, 0, end).order(ByteOrder.nativeOrder());
    }

    /** The attributes after a family header of {@code headerLength} bytes, by type. */
    Map<Integer, byte[]> attrs(int headerLength) {
      return Nl.attrs(buf, payload + align(headerLength), end);
    }
  }

  /** The attributes in {@code [from, to)}, by type (nested flag removed; the first of a type). */
  static Map<Integer, byte[]> attrs(byte[] buf, int from, int to) {
    Map<Integer, byte[]> out = new HashMap<>();
    ByteBuffer v = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    int at = from;
    while (at + 4 <= to) {
      int len = v.getShort(at) & 0xFFFF;
      int type = v.getShort(at + 2) & 0x3FFF;
      if (len < 4 || at + len > to) {
        break; // a malformed attribute: the rest is not read
      }
      out.putIfAbsent(type, java.util.Arrays.copyOfRange(buf, at + 4, at + len));
      at += align(len);
    }
    return out;
  }

  /** The messages of one datagram of {@code length} bytes. */
  static java.util.List<Message> messages(byte[] buf, int length) {
    java.util.List<Message> out = new java.util.ArrayList<>();
    ByteBuffer v = ByteBuffer.wrap(buf).order(ByteOrder.nativeOrder());
    int at = 0;
    while (at + 16 <= length) {
      int len = v.getInt(at);
      if (len < 16 || at + len > length) {
        break;
      }
      out.add(
          new Message(
              v.getShort(at + 4) & 0xFFFF,
              v.getShort(at + 6) & 0xFFFF,
              v.getInt(at + 8),
              buf,
              at + 16,
              at + len));
      at += align(len);
    }
    return out;
  }

  static int u32(byte[] v) {
    return ByteBuffer.wrap(v).order(ByteOrder.nativeOrder()).getInt();
  }

  static String string(byte[] v) {
    int n = 0;
    while (n < v.length && v[n] != 0) {
      n++;
    }
    return new String(v, 0, n, java.nio.charset.StandardCharsets.US_ASCII);
  }
}
