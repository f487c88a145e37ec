#!/usr/bin/python3
"""Copies the first 400 UPDATEs of GoBGP's mixed EVPN corpus (../shared/corpus/mixed-100k.bgp.gz, made by
GoBGP 3.10.0's serializers, see that corpus's README) and writes Wireshark's reading of every EVPN NLRI
in them, for evpn-codec's tests.

usage: /usr/bin/python3 tools/golden/make-gobgp-evpn-sample.py CORPUS.gz OUTDIR
Writes OUTDIR/gobgp-mixed-400.bgp (raw BGP messages back to back, 110,305 bytes) and
OUTDIR/gobgp-mixed-400.tshark.ndjson: one object per NLRI in wire order with the fields of tshark 4.0.17's
BGP dissector (text2pcap -T 50179,179, then tshark -T json --no-duplicate-keys -d tcp.port==179,bgp).
Wireshark decodes the label fields of types 1 and 2 as MPLS (label = raw >> 4) and prints the type 5 label
raw; the RFC 8365 VNI is the raw value.
"""
import gzip, json, os, struct, subprocess, sys, tempfile

corpus, out = sys.argv[1], sys.argv[2]
data = gzip.open(corpus).read()
off, msgs = 0, []
while off < len(data) and len(msgs) < 400:
    l = struct.unpack('>H', data[off + 16:off + 18])[0]
    msgs.append(data[off:off + l])
    off += l
open(os.path.join(out, 'gobgp-mixed-400.bgp'), 'wb').write(b''.join(msgs))
tmp = tempfile.mkdtemp()
with open(os.path.join(tmp, 'in.txt'), 'w') as f:
    for b in msgs:
        for i in range(0, len(b), 16):
            f.write('%06x %s\n' % (i, ' '.join('%02x' % x for x in b[i:i + 16])))
subprocess.run(['text2pcap', '-q', '-T', '50179,179', os.path.join(tmp, 'in.txt'), os.path.join(tmp, 'm.pcap')], check=True)
js = json.loads(subprocess.run(['tshark', '-n', '-r', os.path.join(tmp, 'm.pcap'), '-o', 'tcp.analyze_sequence_numbers:FALSE',
                                '-d', 'tcp.port==179,bgp', '-T', 'json', '--no-duplicate-keys'],
                               check=True, capture_output=True, text=True).stdout)
F = {'bgp.evpn.nlri.rt': 'rt', 'bgp.evpn.nlri.len': 'len', 'bgp.evpn.nlri.rd': 'rd', 'bgp.evpn.nlri.esi': 'esi',
     'bgp.evpn.nlri.etag': 'etag', 'bgp.evpn.nlri.mac_addr': 'mac', 'bgp.evpn.nlri.iplen': 'iplen',
     'bgp.evpn.nlri.ip.addr': 'ip', 'bgp.evpn.nlri.ipv6.addr': 'ip', 'bgp.evpn.nlri.prefix_len': 'prefixLen',
     'bgp.evpn.nlri.ipv4.gtw_addr': 'gateway', 'bgp.evpn.nlri.ipv6.gtw_addr': 'gateway',
     'bgp.evpn.nlri.mpls_ls1': 'mplsLabel1', 'bgp.evpn.nlri.mpls_ls2': 'mplsLabel2',
     'bgp.update.path_attribute.mpls_label_value': 'rawLabel'}
with open(os.path.join(out, 'gobgp-mixed-400.tshark.ndjson'), 'w') as f:
    def walk(o, frame):
        if isinstance(o, dict):
            if 'bgp.evpn.nlri.rt' in o:
                rec = {'frame': frame}
                def flat(d):
                    for k, v in d.items():
                        if isinstance(v, dict):
                            flat(v)
                        elif k in F:
                            rec[F[k]] = v
                flat(o)
                f.write(json.dumps(rec, sort_keys=True) + '\n')
                return
            for v in o.values():
                walk(v, frame)
        elif isinstance(o, list):
            for v in o:
                walk(v, frame)
    for p in js:
        walk(p['_source']['layers'].get('bgp'), int(p['_source']['layers']['frame']['frame.number']))
