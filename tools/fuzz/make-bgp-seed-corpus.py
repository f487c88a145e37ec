#!/usr/bin/python3
"""Builds the committed Jazzer seed corpus of the BGP message targets of conformance/EvpnFuzzTest.

usage: /usr/bin/python3 tools/fuzz/make-bgp-seed-corpus.py   (from the repository root)
updateMessage/  the body (after the 19-byte header) of every UPDATE of the GoBGP sample and of the gobgpd/FRR
                capture, with a first octet choosing the session options (see EvpnFuzzTest.updateMessage)
openMessage/    the body of every OPEN of the capture
Inputs found while fuzzing (fuzz-*, crash regressions) live beside these and are never regenerated.
"""
import hashlib, os
from scapy.all import rdpcap, raw, TCP

root = 'conformance/src/test/resources'
out = root + '/io/evpnkit/conformance/EvpnFuzzTestInputs'


def put(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + hashlib.sha1(data).hexdigest()[:16]), 'wb') as f:
        f.write(data)


def messages(stream):
    at = 0
    while at + 19 <= len(stream):
        length = int.from_bytes(stream[at + 16:at + 18], 'big')
        if length < 19:
            return
        yield stream[at:at + length]
        at += length


sample = open('evpn-codec/src/test/resources/golden/gobgp-mixed-400.bgp', 'rb').read()
for i, m in enumerate(messages(sample)):
    if i % 8 == 0:  # 50 of the 400: they differ little
        put('updateMessage', bytes([0x01]) + m[19:])  # option bits: 4-octet AS, eBGP
for p in rdpcap('conformance/src/test/resources/golden/bgp-evpn-gobgp-frr.pcap'):
    if TCP in p and 179 in (p[TCP].sport, p[TCP].dport):
        for m in messages(raw(p[TCP].payload)):
            if m[18] == 2:
                put('updateMessage', bytes([0x01]) + m[19:])
                put('updateMessage', bytes([0x07]) + m[19:])  # 4-octet AS, ADD-PATH, iBGP
            elif m[18] == 1:
                put('openMessage', m[19:])
