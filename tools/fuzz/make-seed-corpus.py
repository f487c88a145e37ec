#!/usr/bin/python3
"""Builds the committed Jazzer seed corpus of conformance/VxlanFuzzTest from the golden captures.

usage: /usr/bin/python3 tools/fuzz/make-seed-corpus.py   (from the repository root)
decapsulate/  every golden frame (outer Ethernet on), and the UDP payload of each
headerView/   every VXLAN header (8 bytes) with the 4 bytes before it
innerViews/   every inner frame
captureReader/ the golden capture files themselves, and their first 200 bytes
Inputs found while fuzzing (crash-*, renamed regression-*) live beside these and are never regenerated.
"""
import hashlib, os, shutil
from scapy.all import rdpcap, raw, UDP

root = 'conformance/src/test/resources'
golden = root + '/golden'
out = root + '/io/evpnkit/conformance/VxlanFuzzTestInputs'


def put(target, data):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + hashlib.sha1(data).hexdigest()[:16]), 'wb') as f:
        f.write(data)


for name in sorted(os.listdir(golden)):
    if not (name.endswith('.pcap') or name.endswith('.pcapng')):
        continue
    path = os.path.join(golden, name)
    data = open(path, 'rb').read()
    put('captureReader', data)
    put('captureReader', data[:200])
    for p in rdpcap(path):
        b = raw(p)
        put('decapsulate', b)
        if UDP in p:
            payload = raw(p[UDP].payload)
            put('decapsulate', payload)
            if len(payload) >= 8:
                put('headerView', raw(p[UDP])[4:16])
                put('innerViews', payload[8:])
