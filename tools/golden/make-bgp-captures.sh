#!/bin/bash
# Captures real BGP EVPN sessions between GoBGP 3.10 (gobgpd) and FRR 8.4 (bgpd) on loopback addresses and
# writes the oracles the conformance tests check evpnkit against:
#   bgp-evpn-gobgp-frr.pcap           the capture (tcpdump on lo, TCP port 179)
#   bgp-evpn-gobgp-frr.pcap.tshark.ndjson  Wireshark's fields of every BGP message (tools/golden/bgp-oracle.py)
#   bgp-evpn-gobgp-rib.json           gobgp -j global rib -a evpn on each GoBGP speaker, after convergence
# Speakers (all on lo; nothing leaves the machine):
#   A gobgpd AS 65001 id 10.255.0.1 on 127.0.0.1, originates every route its CLI can make
#   B gobgpd AS 65002 id 10.255.0.2 on 127.0.0.2, eBGP to A and C
#   C FRR bgpd (no zebra) AS 65001 id 10.255.0.3 on 127.0.0.3, iBGP to A (A offers ADD-PATH), eBGP to B
# Needs root (port 179) and: apt-get install gobgpd frr tcpdump tshark
set -euo pipefail
OUT=${1:-$(cd "$(dirname "$0")/../.." && pwd)/conformance/src/test/resources/golden}
W=$(mktemp -d /tmp/bgp-golden.XXXXXX)
chmod 755 "$W"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; sleep 1; }
trap cleanup EXIT

cat > "$W/a.toml" <<'TOML'
[global.config]
  as = 65001
  router-id = "10.255.0.1"
  port = 179
  local-address-list = ["127.0.0.1"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.2"
    peer-as = 65002
  [neighbors.transport.config]
    local-address = "127.0.0.1"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.3"
    peer-as = 65001
  [neighbors.transport.config]
    local-address = "127.0.0.1"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
    [neighbors.afi-safis.add-paths.config]
      receive = true
      send-max = 4
TOML
cat > "$W/b.toml" <<'TOML'
[global.config]
  as = 65002
  router-id = "10.255.0.2"
  port = 179
  local-address-list = ["127.0.0.2"]
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.1"
    peer-as = 65001
  [neighbors.transport.config]
    local-address = "127.0.0.2"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
[[neighbors]]
  [neighbors.config]
    neighbor-address = "127.0.0.3"
    peer-as = 65001
  [neighbors.transport.config]
    local-address = "127.0.0.2"
  [[neighbors.afi-safis]]
    [neighbors.afi-safis.config]
      afi-safi-name = "l2vpn-evpn"
TOML
cat > "$W/c.conf" <<'CONF'
frr defaults datacenter
hostname c
router bgp 65001
 bgp router-id 10.255.0.3
 no bgp ebgp-requires-policy
 no bgp default ipv4-unicast
 neighbor 127.0.0.1 remote-as 65001
 neighbor 127.0.0.1 update-source 127.0.0.3
 neighbor 127.0.0.2 remote-as 65002
 neighbor 127.0.0.2 update-source 127.0.0.3
 address-family l2vpn evpn
  neighbor 127.0.0.1 activate
  neighbor 127.0.0.2 activate
 exit-address-family
CONF

PCAP="$W/bgp.pcap"
tcpdump -i lo -w "$PCAP" -U 'tcp port 179' >"$W/tcpdump.log" 2>&1 &
PIDS+=($!)
sleep 1
gobgpd -f "$W/a.toml" --api-hosts 127.0.0.1:50061 --pprof-disable -p >"$W/a.log" 2>&1 &
PIDS+=($!)
gobgpd -f "$W/b.toml" --api-hosts 127.0.0.1:50062 --pprof-disable -p >"$W/b.log" 2>&1 &
PIDS+=($!)
mkdir -p "$W/frr"
chown frr:frr "$W/frr" "$W/c.conf" 2>/dev/null || true
/usr/lib/frr/bgpd -Z -l 127.0.0.3 -f "$W/c.conf" -i "$W/frr/bgpd.pid" --vty_socket "$W/frr" -A 127.0.0.1 -P 0 \
  >"$W/c.log" 2>&1 &
PIDS+=($!)

A() { echo "+ gobgp $*" >&2; gobgp -p 50061 "$@"; }
for i in $(seq 1 60); do
  n=$(A neighbor 2>/dev/null | grep -c Establ || true)
  [ "$n" -ge 2 ] && break
  sleep 1
done
A neighbor

RD=10.255.0.1:100
# Type 1: per-EVI A-D, and per-ES A-D with the ESI label community (RFC 7432 §8.2, §8.4)
A global rib -a evpn add a-d esi LACP 00:aa:bb:cc:dd:01 100 etag 100 label 10100 rd $RD rt 65001:100 encap vxlan
A global rib -a evpn add a-d esi ARBITRARY 00:11:22:33:44:55:66:77:88 etag 4294967295 label 0 rd 10.255.0.1:0 rt 65001:100 esi-label 0
# Type 2: MAC only, MAC+IPv4 with router MAC and two labels, MAC+IPv6, default gateway ("default-gateway" sits in the
# esi argument list because the CLI reads it from anywhere but lets every keyword swallow what follows)
A global rib -a evpn add macadv 00:00:0a:0b:0c:0d 0.0.0.0 esi single-homed etag 0 label 10100 rd $RD rt 65001:100 encap vxlan
A global rib -a evpn add macadv 00:00:0a:0b:0c:0e 10.0.0.5 esi single-homed etag 0 label 10100,50000 rd $RD rt 65001:100 rt 65001:5000 encap vxlan router-mac 02:00:0a:ff:00:01
A global rib -a evpn add macadv 00:00:0a:0b:0c:0f 2001:db8::5 esi MAC 00:aa:bb:cc:dd:02 7 etag 0 label 10100 rd $RD rt 65001:100 encap vxlan
A global rib -a evpn add macadv 00:00:5e:00:01:01 10.0.0.1 esi single-homed default-gateway etag 0 label 10100 rd $RD rt 65001:100 encap vxlan
# Type 3 with ingress replication to the originator, IPv4 and IPv6
A global rib -a evpn add multicast 10.255.0.1 etag 0 rd $RD rt 65001:100 encap vxlan pmsi ingress-repl 10100 10.255.0.1
# Type 4 with its ES-Import route target
A global rib -a evpn add esi 10.255.0.1 esi LACP 00:aa:bb:cc:dd:01 100 rd 10.255.0.1:0 rt 65001:100
# Type 5: IPv4 with gateway, IPv6 interface-less with router MAC
A global rib -a evpn add prefix 10.1.0.0/24 gw 10.0.0.1 esi single-homed etag 0 label 5000 rd 10.255.0.1:5000 rt 65001:5000 encap vxlan
A global rib -a evpn add prefix 2001:db8:1::/64 gw :: esi single-homed etag 0 label 5000 rd 10.255.0.1:5000 rt 65001:5000 encap vxlan router-mac 02:00:0a:ff:00:01 nexthop 2001:db8::1
# (Type 9: the CLI has "i-pmsi", but gobgpd 3.10's API refuses it: "failed to unmarshal nlri".)
# Attributes: MED, local preference, communities, large communities, AS path
A global rib -a evpn add macadv 00:00:0a:0b:0c:10 10.0.0.6 esi single-homed etag 0 label 10100 rd $RD rt 65001:100 encap vxlan med 50 local-pref 200 community 65001:1,no-export large-community 65001:1:2 aspath 64999,65000
sleep 5
# Withdrawals: one MAC moves away, one prefix is withdrawn
A global rib -a evpn del macadv 00:00:0a:0b:0c:0d 0.0.0.0 esi single-homed etag 0 label 10100 rd $RD
A global rib -a evpn del prefix 10.1.0.0/24 gw 10.0.0.1 esi single-homed etag 0 label 5000 rd 10.255.0.1:5000
sleep 5
# Last, an IMET route with an IPv6 ingress-replication endpoint: a PMSI Tunnel of 21 octets, valid by RFC 6514 §5.
# FRR 8.4 answers it with NOTIFICATION 3/5 (Attribute Length Error) and resets the session: it only takes IPv4
# endpoints. It comes last so that the reset is the final event of the capture.
A global rib -a evpn add multicast 2001:db8::1 etag 0 rd 10.255.0.1:101 rt 65001:101 encap vxlan pmsi ingress-repl 10101 2001:db8::1 nexthop 2001:db8::1
sleep 3
A -j global rib -a evpn > "$W/rib-a.json"
gobgp -p 50062 -j global rib -a evpn > "$W/rib-b.json"
A neighbor
gobgp -p 50062 neighbor
cleanup
PIDS=()
sleep 1
cp "$PCAP" "$OUT/bgp-evpn-gobgp-frr.pcap"
python3 -c 'import json,sys; print(json.dumps({"A": json.load(open(sys.argv[1])), "B": json.load(open(sys.argv[2]))}, indent=1, sort_keys=True))' \
  "$W/rib-a.json" "$W/rib-b.json" > "$OUT/bgp-evpn-gobgp-rib.json"
"$(dirname "$0")/bgp-oracle.py" "$OUT/bgp-evpn-gobgp-frr.pcap" > "$OUT/bgp-evpn-gobgp-frr.pcap.tshark.ndjson"
echo "wrote $OUT/bgp-evpn-gobgp-frr.pcap{,.tshark.ndjson} and bgp-evpn-gobgp-rib.json (work dir $W)"
