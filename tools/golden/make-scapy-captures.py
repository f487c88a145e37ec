#!/usr/bin/python3
"""Writes VXLAN-GPE, GBP and edge-case VXLAN packets with scapy (Debian python3-scapy 2.5.0).

usage: /usr/bin/python3 tools/golden/make-scapy-captures.py OUTDIR

scapy-gpe-gbp.pcap   GPE (UDP 4790) with next protocol Ethernet, IPv4, IPv6, the B and O flags; GBP with
                     D and A flags and several group policy ids; IPv6 underlay GPE
scapy-edge.pcap      QinQ outer tags, IPv4 options, an IPv6 hop-by-hop header, port 8472, a fragment, a bad
                     IPv4 checksum, I flag clear, reserved bits set, a truncated VXLAN header, a non-VXLAN
                     UDP packet; written with nanosecond timestamps
Nothing is sent anywhere: packets are built in memory and written to files.
"""
import sys
from scapy.all import Ether, Dot1Q, Dot1AD, IP, IPv6, IPv6ExtHdrHopByHop, UDP, ICMP, ARP, Raw, wrpcap
from scapy.layers.vxlan import VXLAN
from scapy.layers.inet6 import ICMPv6EchoRequest

out = sys.argv[1]
O_MAC = dict(src='02:00:00:00:0a:01', dst='02:00:00:00:0b:01')
I_ETH = Ether(src='00:1c:73:00:00:01', dst='00:1c:73:00:00:02')
inner_ip = IP(src='10.20.0.1', dst='10.20.0.2') / ICMP(id=7, seq=1) / Raw(b'evpnkit')
inner_v6 = IPv6(src='fd00::1', dst='fd00::2') / ICMPv6EchoRequest(id=7, seq=1)
inner_arp = Ether(src='00:1c:73:00:00:01', dst='ff:ff:ff:ff:ff:ff') / ARP(
    hwsrc='00:1c:73:00:00:01', psrc='10.20.0.1', pdst='10.20.0.2')


def v4(sport, dport, payload, **ip):
    ip.setdefault('flags', 'DF')
    return Ether(**O_MAC) / IP(src='192.0.2.1', dst='192.0.2.2', **ip) / UDP(sport=sport, dport=dport) / payload


def hdr(b):
    return Raw(bytes.fromhex(b))


gpe = [
    # flags: I|P = 0x0c; next protocol 3 Ethernet
    v4(49200, 4790, hdr('0c000003' '00006400') / I_ETH / inner_ip),
    v4(49201, 4790, hdr('0c000001' '00006500') / inner_ip),          # next protocol IPv4
    v4(49202, 4790, hdr('0c000002' '00006600') / inner_v6),          # next protocol IPv6
    v4(49203, 4790, hdr('0e000003' '00006700') / inner_arp),         # B flag (BUM)
    v4(49204, 4790, hdr('0d000003' '00006800') / I_ETH / inner_ip),  # O flag (OAM)
    Ether(**O_MAC) / IPv6(src='2001:db8::1', dst='2001:db8::2') / UDP(sport=50000, dport=4790)
    / hdr('0c000003' '00abcd00') / I_ETH / inner_ip,
    # GBP on 4789: G|I = 0x88; D = 0x40, A = 0x08 in the second octet
    v4(49300, 4789, hdr('88001234' '00012c00') / I_ETH / inner_ip),
    v4(49301, 4789, hdr('8840abcd' '00012c00') / I_ETH / inner_ip),
    v4(49302, 4789, hdr('88080064' '00012c00') / inner_arp),
    v4(49303, 4789, hdr('8848ffff' '00012c00') / I_ETH / inner_ip),
]
wrpcap(out + '/scapy-gpe-gbp.pcap', gpe)

ok = hdr('08000000' '0003e800')
edge = [
    Ether(**O_MAC, type=0x88a8) / Dot1AD(vlan=100, type=0x8100) / Dot1Q(vlan=200)
    / IP(src='192.0.2.1', dst='192.0.2.2') / UDP(sport=49400, dport=4789) / ok / I_ETH / inner_ip,
    v4(49401, 4789, ok / I_ETH / inner_ip, options=b'\x01\x01\x01\x00'),
    Ether(**O_MAC) / IPv6(src='2001:db8::1', dst='2001:db8::2') / IPv6ExtHdrHopByHop()
    / UDP(sport=49402, dport=4789) / ok / I_ETH / inner_ip,
    v4(49403, 8472, ok / I_ETH / inner_ip),
    v4(49404, 4789, ok / I_ETH / inner_ip, flags='MF', id=99),
    v4(49405, 4789, ok / I_ETH / inner_ip, chksum=0x1234),
    v4(49406, 4789, hdr('00000000' '0003e800') / I_ETH / inner_ip),  # I flag clear
    v4(49407, 4789, hdr('08000001' '0003e8ff') / I_ETH / inner_ip),  # reserved bits set
    v4(49408, 4789, hdr('080000')),                                  # VXLAN header cut short
    v4(49409, 53, Raw(b'\x00' * 12)),                                # not VXLAN
    Ether(**O_MAC) / IP(src='192.0.2.1', dst='192.0.2.2') / UDP(sport=49410, dport=4789)
    / ok / I_ETH / inner_ip,  # DF clear, TOS 0
]
for p in edge:
    p.time = 1700000000.123456789
wrpcap(out + '/scapy-edge.pcap', edge, nano=True)
