#!/usr/bin/env bash
# Captures VXLAN made by the Linux kernel's own vxlan driver between two network namespaces that this
# script creates (evk-a, evk-b), joined by a veth pair. Traffic never leaves the namespaces.
#   usage: sudo tools/golden/make-kernel-captures.sh OUTDIR
# Produces:
#   kernel-ipv4.pcap     VNI 100 over IPv4 underlay: ARP, ICMP echo, an inner 802.1Q frame (VLAN 10,
#                        written raw onto the vxlan device), TCP SYN to a closed port (RST back); tcpdump, microseconds
#   kernel-ipv6.pcapng   VNI 200 over IPv6 underlay: ARP, ICMP echo, IPv6 ND and ICMPv6 echo inside; dumpcap pcapng
#   kernel-ipv6-zero-checksum.pcapng
#                        VNI 100 over IPv6 with udp6zerocsumtx/udp6zerocsumrx (RFC 6935: no UDP checksum), the
#                        devices' own IPv6 DAD and MLD traffic inside, between fresh namespaces; dumpcap pcapng
#   kernel-gbp.pcap      VNI 300 with the GBP extension (ip link ... gbp), group policy id from ping -m (SO_MARK);
#                        UDP port 4789, tcpdump nanosecond precision
set -euo pipefail
out=${1:?usage: $0 OUTDIR}
mkdir -p "$out"
A=evk-a B=evk-b
cleanup() { ip netns del $A 2>/dev/null || true; ip netns del $B 2>/dev/null || true; }
trap cleanup EXIT
cleanup
ip netns add $A; ip netns add $B
ip link add va netns $A type veth peer name vb netns $B
ia() { ip netns exec $A "$@"; }
ib() { ip netns exec $B "$@"; }
for ns in $A $B; do ip netns exec $ns ip link set lo up; done
ia ip link set va address 02:00:00:00:0a:01 up
ib ip link set vb address 02:00:00:00:0b:01 up
ia ip addr add 192.0.2.1/24 dev va
ib ip addr add 192.0.2.2/24 dev vb
ia ip -6 addr add 2001:db8::1/64 dev va nodad
ib ip -6 addr add 2001:db8::2/64 dev vb nodad
# underlay neighbours resolved statically so the capture holds only overlay traffic
ia ip neigh add 192.0.2.2 lladdr 02:00:00:00:0b:01 dev va
ib ip neigh add 192.0.2.1 lladdr 02:00:00:00:0a:01 dev vb
ia ip -6 neigh add 2001:db8::2 lladdr 02:00:00:00:0b:01 dev va
ib ip -6 neigh add 2001:db8::1 lladdr 02:00:00:00:0a:01 dev vb

mk() { # ns name vni local remote innermac innerip extra...
  local ns=$1 name=$2 vni=$3 local=$4 remote=$5 mac=$6 ip=$7; shift 7
  ip netns exec $ns ip link add $name type vxlan id $vni local $local remote $remote dstport 4789 "$@"
  ip netns exec $ns ip link set $name address $mac up
  ip netns exec $ns ip addr add $ip dev $name
}
mk $A vx4 100 192.0.2.1 192.0.2.2 52:54:00:00:01:01 10.1.0.1/24 dev va
mk $B vx4 100 192.0.2.2 192.0.2.1 52:54:00:00:01:02 10.1.0.2/24 dev vb
# inner 802.1Q: this kernel has neither 8021q nor bridge VLAN filtering, so a tagged frame (VLAN 10,
# ICMP echo 10.10.0.1 > 10.10.0.2) is written with an AF_PACKET socket onto vx4; the kernel's vxlan
# driver encapsulates it like any other frame.
send_tagged() {
  ia /usr/bin/python3 - <<'PYEOF'
import socket, struct
def csum(b):
    if len(b) % 2: b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b)); s = (s >> 16) + (s & 0xffff); s += s >> 16
    return ~s & 0xffff
icmp = struct.pack('!BBHHH', 8, 0, 0, 0x77, 1) + b'evpnkit-vlan10'
icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(icmp), 1, 0x4000, 64, 1, 0,
                 socket.inet_aton('10.10.0.1'), socket.inet_aton('10.10.0.2'))
ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
eth = bytes.fromhex('525400000102' '525400000101') + struct.pack('!HHH', 0x8100, (3 << 13) | 10, 0x0800)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW); s.bind(('vx4', 0)); s.send(eth + ip + icmp)
PYEOF
}
mk $A vx6 200 2001:db8::1 2001:db8::2 52:54:00:00:02:01 10.2.0.1/24 dev va
mk $B vx6 200 2001:db8::2 2001:db8::1 52:54:00:00:02:02 10.2.0.2/24 dev vb
ia ip -6 addr add fd00:200::1/64 dev vx6 nodad
ib ip -6 addr add fd00:200::2/64 dev vx6 nodad

cap() { # file tool-args...
  local file=$1; shift
  ia "$@" -w "$file" >/dev/null 2>&1 & echo $! > /tmp/evk-cap.pid
  sleep 1.5
}
stopcap() { sleep 1; kill "$(cat /tmp/evk-cap.pid)"; wait "$(cat /tmp/evk-cap.pid)" 2>/dev/null || true; }

cap "$out/kernel-ipv4.pcap" tcpdump -i va -U -s 0 'udp port 4789 and ip'
ia ping -c 2 -i 0.2 10.1.0.2 >/dev/null
send_tagged
ia bash -c 'exec 3<>/dev/tcp/10.1.0.2/9' 2>/dev/null || true
stopcap

cap "$out/kernel-ipv6.pcapng" dumpcap -q -i va -f 'udp port 4789 and ip6'
ia ping -c 2 -i 0.2 10.2.0.2 >/dev/null
ia ping -6 -c 2 -i 0.2 fd00:200::2 >/dev/null
stopcap

# Zero UDP checksums over IPv6 (Linux udp6zerocsumtx, accepted by udp6zerocsumrx): a device of its own, VNI 100; the
# capture holds what the kernel sends when the devices come up (IPv6 DAD neighbour solicitations, MLD reports).
for ns in $A $B; do ip netns exec $ns ip link del vx6; done
cap "$out/kernel-ipv6-zero-checksum.pcapng" dumpcap -q -i va -f 'udp port 4789 and ip6'
mk $A vz6 100 2001:db8::1 2001:db8::2 52:54:00:00:04:01 10.4.0.1/24 dev va udp6zerocsumtx udp6zerocsumrx
mk $B vz6 100 2001:db8::2 2001:db8::1 52:54:00:00:04:02 10.4.0.2/24 dev vb udp6zerocsumtx udp6zerocsumrx
sleep 3
stopcap
for ns in $A $B; do ip netns exec $ns ip link del vz6; done

# GBP needs every vxlan device on the port to agree, so the plain ones go first.
for ns in $A $B; do ip netns exec $ns ip link del vx4; done
mk $A vxg 300 192.0.2.1 192.0.2.2 52:54:00:00:03:01 10.3.0.1/24 dev va gbp
mk $B vxg 300 192.0.2.2 192.0.2.1 52:54:00:00:03:02 10.3.0.2/24 dev vb gbp
cap "$out/kernel-gbp.pcap" tcpdump -i va -U -s 0 --time-stamp-precision=nano 'udp port 4789'
ia ping -c 2 -i 0.2 -m 4660 10.3.0.2 >/dev/null
ia ping -c 1 -m 100 10.3.0.2 >/dev/null
stopcap
ls -l "$out"
