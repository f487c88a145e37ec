#!/usr/bin/python3
"""Turns Wireshark's view of a capture into the oracle the conformance tests compare evpnkit against.

usage: tshark-oracle.py CAPTURE > CAPTURE.tshark.ndjson
Runs: tshark -r CAPTURE -T json --no-duplicate-keys -o ip.check_checksum:TRUE -d udp.port==8472,vxlan
(tshark 4.0.17, Debian bookworm) and writes one JSON object per frame with the fields of
`evpnkit decode --json`, as Wireshark's dissectors read them, plus what Wireshark flagged.
"""
import json, subprocess, sys

cap = sys.argv[1]
raw = subprocess.run(['tshark', '-r', cap, '-T', 'json', '--no-duplicate-keys',
                      '-o', 'ip.check_checksum:TRUE', '-d', 'udp.port==8472,vxlan'],
                     check=True, capture_output=True, text=True).stdout


def first(v):
    return v[0] if isinstance(v, list) else v


def aslist(v):
    return v if isinstance(v, list) else [v]


for pkt in json.loads(raw):
    l = pkt['_source']['layers']
    protos = l['frame']['frame.protocols'].split(':')
    rec = {'frame': int(l['frame']['frame.number']), 'protocols': l['frame']['frame.protocols']}
    if 'ip' in l and protos.index('ip') < (protos.index('ipv6') if 'ipv6' in protos else 99):
        ip = first(l['ip'])
        rec['outer'] = {'src': ip['ip.src'], 'dst': ip['ip.dst']}
        rec['ipChecksumBad'] = ip.get('ip.checksum.status') == '0'
        rec['ipFragment'] = ip.get('ip.flags_tree', {}).get('ip.flags.mf') == '1' or ip.get('ip.frag_offset', '0') != '0'
    elif 'ipv6' in l:
        ip = first(l['ipv6'])
        rec['outer'] = {'src': ip['ipv6.src'], 'dst': ip['ipv6.dst']}
    if 'udp' in l:
        udp = first(l['udp'])
        rec.setdefault('outer', {})
        rec['outer']['srcPort'] = int(udp['udp.srcport'])
        rec['outer']['dstPort'] = int(udp['udp.dstport'])
        if 'udp.checksum' in udp:
            rec['outer']['udpChecksum'] = udp['udp.checksum']
    # VLAN tags in protocol order: 802.1ad and 802.1Q layers before the VXLAN header are outer ones
    queues = {'vlan': [int(v['vlan.id']) for v in aslist(l.get('vlan', []))],
              'ieee8021ad': [int(v['ieee8021ad.id']) for v in aslist(l.get('ieee8021ad', []))]}
    tags = [(p, queues[p].pop(0)) for p in protos if p in queues and queues[p]]
    split = protos.index('vxlan') if 'vxlan' in protos else len(protos)
    outer_count = sum(1 for p in protos[:split] if p in queues)
    rec['outerVlans'] = [t for _, t in tags[:outer_count]]
    inner_vlans = [t for _, t in tags[outer_count:]]
    rec['malformed'] = '_ws.malformed' in l or '_ws.expert' in l and 'Malformed' in json.dumps(l['_ws.expert'])
    if 'vxlan' in l:
        vx = l['vxlan']
        flags = vx['vxlan.flags']
        octet = int(flags, 16) >> 8 if len(flags) > 4 else int(flags, 16)
        rec['flags'] = '0x%02x' % octet
        def reserved(d):
            for k, v in d.items():
                if isinstance(v, dict):
                    yield from reserved(v)
                elif 'reserved' in k:
                    yield int(v, 16) if v.startswith('0x') else int(v)
        # bits Wireshark calls reserved in the form it chose (GPE on 4790, else VXLAN/GBP)
        rec['reservedNonZero'] = any(x != 0 for x in reserved(vx))
        if 'vxlan.vni' in vx:
            rec['vni'] = int(vx['vxlan.vni'])
        if 'vxlan.gbp' in vx and octet & 0x80:
            rec['gbp'] = {'groupPolicyId': int(vx['vxlan.gbp'])}
        if 'vxlan.next_proto' in vx:
            rec['gpe'] = {'nextProtocol': int(vx['vxlan.next_proto'])}
        eths = aslist(l.get('eth', []))
        if len(eths) > 1:
            inner = eths[1]
            et = inner.get('eth.type')
            if inner_vlans:
                et = aslist(l['vlan'])[-1]['vlan.etype']  # the inner C-tag's EtherType
            rec['inner'] = {'src': inner['eth.src'], 'dst': inner['eth.dst'], 'etherType': et, 'vlans': inner_vlans}
    print(json.dumps(rec, sort_keys=True))
