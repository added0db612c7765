#!/usr/bin/env python3
"""make-corpus.py - seed corpora for the fuzz harnesses, from the test data.

    tests/fuzz/make-corpus.py        (re)writes tests/fuzz/corpus/<target>/

Each layer's seeds are cut out of real frames of classic pcap files with a
small Ethernet/IPv4/IPv6/TCP/UDP walker; small captures and event exports
are copied whole (cut to 4 KiB); certificates are the test PEMs in DER
with the selector byte fuzz_pkix.c expects; display filters are a sample of
the oracle's expressions (tests/oracle/filters.txt) in groups; themes are
themes/*.theme; the keymap and config seeds are the built-in bindings
(src/ui/keymap.c) and a config using every setting. A handful of files
per target.
"""
import base64, glob, hashlib, os, re, struct, sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
OUT = os.path.join(ROOT, "tests", "fuzz", "corpus")
LIMIT = 6
seeds = {}

def add(target, data):
    lst = seeds.setdefault(target, [])
    if len(lst) < LIMIT and data not in lst and len(data) <= 4096:
        lst.append(data)

def pcap_frames(path):
    d = open(path, "rb").read()
    if len(d) < 24:
        return None, []
    magic = d[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        e = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        e = ">"
    else:
        return None, []
    lt = struct.unpack(e + "I", d[20:24])[0] & 0xffff
    off, out = 24, []
    while off + 16 <= len(d):
        incl = struct.unpack(e + "I", d[off + 8:off + 12])[0]
        out.append(d[off + 16:off + 16 + incl])
        off += 16 + incl
    return lt, out

LT_IDX = {0: 0, 1: 1, 101: 2, 108: 3, 113: 4, 228: 5, 229: 6, 276: 7}

def l4(proto, p):
    if proto == 6 and len(p) >= 20:
        add("tcp", p)
        hl = (p[12] >> 4) * 4
        sp, dp = struct.unpack(">HH", p[:4])
        pl = p[hl:]
        if pl:
            if 53 in (sp, dp): add("dns_tcp", pl)
            elif 80 in (sp, dp) or 8080 in (sp, dp): add("http", pl)
            elif pl[0] in (0x14, 0x15, 0x16, 0x17): add("tls", pl)
    elif proto == 17 and len(p) >= 8:
        add("udp", p)
        sp, dp = struct.unpack(">HH", p[:4])
        if {53, 5353, 5355} & {sp, dp}: add("dns", p[8:])
    elif proto == 1: add("icmp", p)
    elif proto == 58: add("icmpv6", p)

def ip(p):
    if not p: return
    if p[0] >> 4 == 4 and len(p) >= 20:
        add("ipv4", p)
        l4(p[9], p[(p[0] & 15) * 4:])
    elif p[0] >> 4 == 6 and len(p) >= 40:
        add("ipv6", p)
        l4(p[6], p[40:])

for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/captures/*.pcap")) +
                   glob.glob(os.path.join(ROOT, "samples/*.pcap"))):
    lt, frames = pcap_frames(path)
    if lt is None: continue
    for f in frames:
        if lt in LT_IDX: add("frame", bytes([LT_IDX[lt]]) + f)
        if lt == 1 and len(f) >= 14:
            add("eth", f)
            et = struct.unpack(">H", f[12:14])[0]
            if et == 0x0806: add("arp", f[14:])
            elif et in (0x0800, 0x86dd): ip(f[14:])
        elif lt in (101, 228, 229): ip(f)
    if os.path.getsize(path) <= 4096: add("capture", open(path, "rb").read())
for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/captures/*.pcapng"))):
    if os.path.getsize(path) <= 4096: add("capture", open(path, "rb").read())
for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/events/*.json*")) +
                   glob.glob(os.path.join(ROOT, "tests/data/events/*.ndjson"))):
    seeds.setdefault("events", [])
    if len(seeds["events"]) < 10:
        seeds["events"].append(open(path, "rb").read()[:4096])
for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/certs/*.pem"))):
    for m in re.finditer(rb"-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END", open(path, "rb").read(), re.S):
        der = base64.b64decode(b"".join(m.group(2).split()))
        kind = m.group(1)
        sel = 0 if b"CRL" in kind else 3 if b"OCSP" in kind else 1
        add("pkix", bytes([sel]) + der)
for path in sorted(glob.glob(os.path.join(ROOT, "tests/data/certs/*.der")) +
                   glob.glob(os.path.join(ROOT, "tests/data/certs/*.crl")) +
                   glob.glob(os.path.join(ROOT, "tests/data/certs/*.ocsp*"))):
    d = open(path, "rb").read()
    sel = 0 if path.endswith(".crl") else 3 if "ocsp" in path else 1
    seeds["pkix"].append(bytes([sel]) + d)

# Display filters: the oracle's expressions, a few per seed, plus errors.
exprs = [l.split("\t")[1].rstrip("\n") for l in open(os.path.join(ROOT, "tests/oracle/filters.txt"))
         if "\t" in l and not l.startswith("#")]
for i in range(0, len(exprs), 8):
    group = exprs[i:i + 8]
    seeds.setdefault("filter", []).append(group[0].encode())
    seeds["filter"].append(" || ".join("(%s)" % e for e in group).encode())
seeds["filter"] += [b'frame.len in {60 100..200} && !(ip.src == 10.0.0.0/8)',
                    b'http.request.uri matches "^/a[0-9]+$" or dns.qry.name contains "ex\\x41"',
                    b'event.data.TargetName == "srv" and warning', b'ip.addr == 10.0.0.1 &&& tcp']
for path in sorted(glob.glob(os.path.join(ROOT, "themes/*.theme"))):
    seeds.setdefault("theme", []).append(open(path, "rb").read())
km = open(os.path.join(ROOT, "src/ui/keymap.c")).read()
block = km[km.index("keymap_defaults[] ="):]
block = block[:block.index(";")]
defaults = "".join(bytes(m, "ascii").decode("unicode_escape") for m in re.findall(r'"((?:[^"\\]|\\.)*)"', block))
seeds["keymap"] = [defaults.encode(), b"bind list Q quit\nunbind generic q\nbind tree C-x toggle\nbind side F12 help\n",
                   "bind generic \u00e9 quit\nbind list PgDn page-down\n".encode()]
seeds["config"] = [b"# tracewb config\nset theme light\nset time-format relative\nset split 40\nset layout wide\n"
                   b"bind generic Q quit\nunbind list j\ncolor status white blue bold\nmono cursor reverse underline\n",
                   b"set time-format delta\ncolor row-error brightred default\ncolor hex-offset 244 default dim\n"
                   b"set correlation-window 2s\nset columns no,time\n"]

for t, lst in sorted(seeds.items()):
    d = os.path.join(OUT, t)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d): os.unlink(os.path.join(d, f))
    for data in lst:
        open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), "wb").write(data)
    print("%-8s %2d files %6d bytes" % (t, len(lst), sum(map(len, lst))))
