#!/usr/bin/python3
"""Turns Wireshark's reading of the BGP messages in a capture into the oracle the conformance tests compare
evpnkit's BGP decoding against.

usage: bgp-oracle.py CAPTURE > CAPTURE.tshark.ndjson
Runs: tshark -r CAPTURE -T pdml -d tcp.port==179,bgp (tshark 4.0.17, Debian bookworm; TCP reassembly on, its
default) and writes one JSON object per BGP message: the frame that completed it, its position among the
messages of that frame, source and destination address, and every field Wireshark's BGP dissector showed, in
document order, as [name, show] pairs (flag bit trees and the marker left out).
"""
import json, subprocess, sys
import xml.etree.ElementTree as ET

cap = sys.argv[1]
pdml = subprocess.run(['tshark', '-r', cap, '-T', 'pdml', '-d', 'tcp.port==179,bgp'],
                      check=True, capture_output=True, text=True).stdout


def fields(elem, out):
    for f in elem:
        name = f.get('name', '')
        if name.startswith('bgp.') and 'flags' not in name and name != 'bgp.marker' and f.get('show') is not None:
            out.append([name, f.get('show')])
        if 'flags' not in name:
            fields(f, out)


for packet in ET.fromstring(pdml).iter('packet'):
    protos = {p.get('name'): p for p in packet.findall('proto')}
    frame = int(protos['frame'].find("field[@name='frame.number']").get('show'))
    ip = protos.get('ip') if protos.get('ip') is not None else protos.get('ipv6')
    prefix = 'ip' if ip is not None and ip.get('name') == 'ip' else 'ipv6'
    src = ip.find(f"field[@name='{prefix}.src']").get('show') if ip is not None else None
    dst = ip.find(f"field[@name='{prefix}.dst']").get('show') if ip is not None else None
    index = 0
    for proto in packet.findall('proto'):
        if proto.get('name') != 'bgp':
            continue
        out = []
        fields(proto, out)
        if not any(name == 'bgp.type' for name, _ in out):
            continue
        print(json.dumps({'frame': frame, 'index': index, 'src': src, 'dst': dst, 'fields': out}))
        index += 1
