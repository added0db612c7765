#!/usr/bin/env python3
"""make-events.py SAMPLES_DIR - write the Windows event-log exports that go with the captures.

There is no Windows machine here, so the events are generated - but every time stamp comes
from the capture (read with tshark), every alert code is the one on the wire, every
certificate fileRef is the SHA-1 of the certificate in the capture (pki/), and every CAPI2
HTTP header is the one in the capture.  The record layouts, field names, levels and message
texts follow ../../shared/reference/schannel.md and eventjson.md (Windows 10 22H2 /
Server 2022 / Server 2012 R2 wordings, see the per-scenario notes below).

Output dialects (eventjson.md):
  *.ps51.json        Windows PowerShell 5.1  Get-WinEvent | ConvertTo-Json [-Depth 3] > file
                     (UTF-16LE + BOM, CRLF, "key":  value, \\/Date(ms)\\/ UTC, newest first)
  *.ps7.json         PowerShell 7            Get-WinEvent | ConvertTo-Json -Depth 4
                     (UTF-8, ISO time with the host's offset, newest first)
  *.evtx.jsonl       evtx_dump -o jsonl      (one object per line, UTC, channel by channel)
  *.evtx.json        evtx_dump -o json       ("Record N" line + pretty object)
  *.winlogbeat.ndjson  Winlogbeat 8 / 7 file output (ECS)

Everything is deterministic for a given set of captures (seeded by scenario name).
"""
import base64
import datetime as dt
import hashlib
import json
import os
import random
import subprocess
import sys
import uuid

D = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# ------------------------------------------------------------------ capture access

def tshark(pcap, dfilter, fields):
    cmd = ["tshark", "-r", os.path.join(D, pcap), "-Y", dfilter, "-T", "fields",
           "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line.strip()]


def ns_of(epoch: str) -> int:
    sec, _, frac = epoch.partition(".")
    return int(sec) * 1_000_000_000 + int((frac + "000000000")[:9])


def frame(pcap, dfilter, n=0, extra=()):
    """(frame number, time ns, extra fields...) of the n-th frame matching dfilter."""
    rows = tshark(pcap, dfilter, ["frame.number", "frame.time_epoch", *extra])
    if len(rows) <= n:
        raise SystemExit(f"make-events: {pcap}: no frame #{n} for filter {dfilter!r}")
    r = rows[n]
    return (int(r[0]), ns_of(r[1]), *r[2:])


ANCHORS = []


def anchor(scn, what, fr):
    ANCHORS.append(f"{scn}: frame {fr[0]:>3}  {what}")
    return fr


# ------------------------------------------------------------------ certificates

def cert_der(name):
    pem = open(os.path.join(D, "pki", name + ".pem")).read()
    b64 = pem.split("-----BEGIN CERTIFICATE-----")[1].split("-----END CERTIFICATE-----")[0]
    return base64.b64decode("".join(b64.split()))


def thumb(name):
    return hashlib.sha1(cert_der(name)).hexdigest().upper()


def file_sha1(path):
    return hashlib.sha1(open(os.path.join(D, path), "rb").read()).hexdigest().upper()


# ------------------------------------------------------------------ the event model

SCHANNEL = ("Schannel", "1f678132-5938-4686-9fdc-c8ff68f15c85")
CAPI2 = ("Microsoft-Windows-CAPI2", "5bbca4a8-b209-48dc-a8c7-b23d3e5216fb")
SCM = ("Service Control Manager", "555908d1-a6d7-4695-8e1e-26931d2012f4")
SECAUDIT = ("Microsoft-Windows-Security-Auditing", "54849625-5478-4994-a5ba-3e3b0328c30d")
LEVEL_NAME = {0: "Information", 1: "Critical", 2: "Error", 3: "Warning", 4: "Information", 5: "Verbose"}
KW_SCHANNEL = 0x8000000000000000
KW_CLASSIC = 0x8080000000000000
KW_AUDIT_OK = 0x8020000000000000
KW_CAPI2 = 0x4000000000000001


class Host:
    def __init__(self, name, tzmin, lsass, services, seed, sysrec, secrec, capirec=0, domain="CORP"):
        self.name, self.tzmin, self.lsass, self.services = name, tzmin, lsass, services
        self.rng = random.Random(seed)
        self.rec = {"System": sysrec, "Security": secrec, "Microsoft-Windows-CAPI2/Operational": capirec}
        self.domain = domain

    def guid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def tid(self):
        return self.rng.randrange(400, 9000, 4)


class Ev:
    """One event.  data: list of (name, value) in manifest order; userdata: XML-ish tree."""

    def __init__(self, host, t_ns, channel, provider, eid, level, message, data=(), *,
                 version=0, task=0, opcode=0, keywords=KW_SCHANNEL, qualifiers=None, pid=None,
                 user="S-1-5-18", activity=None, userdata=None, task_name=None,
                 opcode_name="Info", kw_names=(), note=""):
        self.host, self.channel, self.provider, self.eid = host, channel, provider, eid
        self.t = (t_ns // 100) * 100                    # FILETIME: 100 ns
        self.level, self.message, self.data = level, message, list(data)
        self.version, self.task, self.opcode, self.keywords = version, task, opcode, keywords
        self.qualifiers = qualifiers
        self.pid = host.lsass if pid is None else pid
        self.tid = host.tid()
        self.user, self.activity, self.userdata = user, activity, userdata
        self.task_name, self.opcode_name, self.kw_names = task_name, opcode_name, list(kw_names)
        self.note = note
        self.record = None


def decoy(e):
    e.note = "decoy"
    return e


def assign_records(events):
    for e in sorted(events, key=lambda e: e.t):
        e.record = e.host.rec[e.channel]
        e.host.rec[e.channel] += 1


# ------------------------------------------------------------------ event templates

IANA = "http://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-6"


def ev_36888(h, t, alert, state, target, *, wording="win10", caller=None):
    if wording == "2012r2":        # Windows 8 - 2012 R2 / 10 1507 (schannel.md 2, wording 2)
        msg = ("A fatal alert was generated and sent to the remote endpoint. This may result in "
               "termination of the connection. The TLS protocol defined fatal error code is "
               f"{alert}. The Windows SChannel error state is {state}.")
        data = [("AlertDesc", alert), ("ErrorState", state)]
    else:                          # later Windows 10 / 11 / Server 2022 (wording 3)
        msg = ("A fatal alert was generated and sent to the remote endpoint. This may result in "
               f"termination of the connection. The TLS protocol defined fatal alert code is {alert}."
               f"\r\n\r\n Target name: {target}\r\n\r\n")
        data = [("AlertDesc", alert), ("ErrorState", state), ("TargetName", target)]
        if caller:
            msg += f" The SSPI client process is {caller[0]} (PID: {caller[1]}).\r\n\r\n"
            data += [("CallerProcessId", caller[1]), ("CallerProcessImageName", caller[0])]
        msg += f" The TLS alert registry can be found at {IANA}"
    return Ev(h, t, "System", SCHANNEL, 36888, 2, msg, data)


def ev_36887(h, t, alert):
    msg = ("A fatal alert was received from the remote endpoint. The TLS protocol defined fatal "
           f"alert code is {alert}.")
    return Ev(h, t, "System", SCHANNEL, 36887, 2, msg, [("AlertDesc", alert)])


def ev_36880(h, t, typ, proto, suite, strength, target, local, remote):
    handle = "0x%x" % h.rng.randrange(0x1f000000000, 0x2ffffffffff, 0x10)
    msg = (f"A TLS {typ} handshake completed successfully. The negotiated cryptographic parameters "
           f"are as follows.\r\n\r\n   Protocol version: {proto}\r\n   CipherSuite: {suite}\r\n"
           f"   Exchange strength: {strength} bits\r\n   Context handle: {handle}\r\n"
           f"   Target name: {target}\r\n   Local certificate subject name: {local}\r\n"
           f"   Remote certificate subject name: {remote}")
    data = [("Type", typ), ("Protocol", proto), ("CipherSuite", suite), ("ExchangeStrength", strength),
            ("ContextHandle", handle), ("TargetName", target), ("LocalCertSubjectName", local),
            ("RemoteCertSubjectName", remote)]
    return Ev(h, t, "System", SCHANNEL, 36880, 4, msg, data)


def ev_36882(h, t):
    msg = ("The certificate received from the remote server was issued by an untrusted certificate "
           "authority. Because of this, none of the data contained in the certificate can be "
           "validated. The TLS connection request has failed. The attached data contains the "
           "server certificate.")
    return Ev(h, t, "System", SCHANNEL, 36882, 2, msg, [])


def ev_36884(h, t, name):
    msg = ("The certificate received from the remote server does not contain the expected name. "
           "It is therefore not possible to determine whether we are connecting to the correct "
           f"server. The server name we were expecting is {name}. The TLS connection request has "
           "failed. The attached data contains the server certificate.")
    return Ev(h, t, "System", SCHANNEL, 36884, 2, msg, [("Name", name)])


def ev_36877(h, t, hresult, caller):
    msg = ("The certificate received from the remote client application has not validated "
           f"correctly. The error code is {hresult.upper().replace('0X', '0x')}. The attached data "
           "contains the client certificate."
           f" The SSPI client process is {caller[0]} (PID: {caller[1]}).")
    data = [("ErrorCode", hresult), ("CallerProcessId", caller[1]), ("CallerProcessImageName", caller[0])]
    return Ev(h, t, "System", SCHANNEL, 36877, 3, msg, data)


def ev_36874(h, t, proto):
    msg = (f"An {proto} connection request was received from a remote client application, but none "
           "of the cipher suites supported by the client application are supported by the server. "
           "The TLS connection request has failed.")
    return Ev(h, t, "System", SCHANNEL, 36874, 2, msg, [("Protocol", proto)])


SERVICES = {"wuauserv": "Windows Update", "BITS": "Background Intelligent Transfer Service",
            "WinHttpAutoProxySvc": "WinHTTP Web Proxy Auto-Discovery Service",
            "sppsvc": "Software Protection", "TrustedInstaller": "Windows Modules Installer",
            "W32Time": "Windows Time"}


def ev_7036(h, t, svc, state):
    name = SERVICES[svc]
    binary = (svc + "/4\0").encode("utf-16-le").hex().upper()
    return Ev(h, t, "System", SCM, 7036, 4, f"The {name} service entered the {state} state.",
              [("param1", name), ("param2", state), ("Binary", binary)], keywords=KW_CLASSIC,
              qualifiers=16384, pid=h.services, user=None, kw_names=["Classic"])


def ev_4624(h, t, logon_type, target_user, target_domain, target_sid, logon_id, proc, proc_name, auth="Negotiate",
            lproc="Advapi  ", ip="-", port="-"):
    computer_account = h.name.split(".")[0].upper() + "$"
    data = [("SubjectUserSid", "S-1-5-18"), ("SubjectUserName", computer_account),
            ("SubjectDomainName", h.domain), ("SubjectLogonId", "0x3e7"),
            ("TargetUserSid", target_sid), ("TargetUserName", target_user),
            ("TargetDomainName", target_domain), ("TargetLogonId", logon_id),
            ("LogonType", logon_type), ("LogonProcessName", lproc),
            ("AuthenticationPackageName", auth), ("WorkstationName", "-"),
            ("LogonGuid", "{00000000-0000-0000-0000-000000000000}"), ("TransmittedServices", "-"),
            ("LmPackageName", "-"), ("KeyLength", 0), ("ProcessId", "0x%x" % proc),
            ("ProcessName", proc_name), ("IpAddress", ip), ("IpPort", port),
            ("ImpersonationLevel", "%%1833"), ("RestrictedAdminMode", "-"),
            ("TargetOutboundUserName", "-"), ("TargetOutboundDomainName", "-"),
            ("VirtualAccount", "%%1843"), ("TargetLinkedLogonId", "0x0"), ("ElevatedToken", "%%1842")]
    msg = ("An account was successfully logged on.\r\n\r\nSubject:\r\n\tSecurity ID:\t\tS-1-5-18\r\n"
           f"\tAccount Name:\t\t{computer_account}\r\n\tAccount Domain:\t\t{h.domain}\r\n"
           "\tLogon ID:\t\t0x3E7\r\n\r\nLogon Information:\r\n"
           f"\tLogon Type:\t\t{logon_type}\r\n\tRestricted Admin Mode:\t-\r\n\tVirtual Account:\t\tNo\r\n"
           "\tElevated Token:\t\tYes\r\n\r\nImpersonation Level:\t\tImpersonation\r\n\r\nNew Logon:\r\n"
           f"\tSecurity ID:\t\t{target_sid}\r\n\tAccount Name:\t\t{target_user}\r\n"
           f"\tAccount Domain:\t\t{target_domain}\r\n\tLogon ID:\t\t{logon_id.upper().replace('0X', '0x')}\r\n"
           "\tLinked Logon ID:\t\t0x0\r\n\tNetwork Account Name:\t-\r\n\tNetwork Account Domain:\t-\r\n"
           "\tLogon GUID:\t\t{00000000-0000-0000-0000-000000000000}\r\n\r\nProcess Information:\r\n"
           f"\tProcess ID:\t\t0x{proc:x}\r\n\tProcess Name:\t\t{proc_name}\r\n\r\nNetwork Information:\r\n"
           f"\tWorkstation Name:\t-\r\n\tSource Network Address:\t{ip}\r\n\tSource Port:\t\t{port}\r\n\r\n"
           f"Detailed Authentication Information:\r\n\tLogon Process:\t\t{lproc}\r\n"
           f"\tAuthentication Package:\t{auth}\r\n\tTransited Services:\t-\r\n"
           "\tPackage Name (NTLM only):\t-\r\n\tKey Length:\t\t0\r\n\r\n"
           "This event is generated when a logon session is created. It is generated on the computer "
           "that was accessed.")
    return Ev(h, t, "Security", SECAUDIT, 4624, 0, msg, data, version=2, task=12544,
              keywords=KW_AUDIT_OK, user=None, task_name="Logon", kw_names=["Audit Success"])


# ---- CAPI2 (UserData only; message is the fixed "Details" text)

CAPI2_MSG = 'For more details for this event, please refer to the "Details" section'
CAPI2_TASKS = {11: "Build Chain", 30: "Verify Chain Policy", 41: "Verify Revocation",
               53: "Retrieve Object from Network"}


def X(name, attrs=None, *children, text=None):
    return (name, dict(attrs or {}), list(children), text)


def ev_capi2(h, t, eid, level, root, task, opcode):
    return Ev(h, t, "Microsoft-Windows-CAPI2/Operational", CAPI2, eid, level, CAPI2_MSG, [],
              task=task, opcode=opcode, keywords=KW_CAPI2, userdata=root,
              task_name=CAPI2_TASKS.get(task), opcode_name={0: "Info", 1: "Start", 2: "Stop"}[opcode])


# ------------------------------------------------------------------ time formats

def utc(t_ns):
    return dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc) + dt.timedelta(microseconds=t_ns // 1000)


def iso_z(t_ns, digits):
    base = utc(t_ns).strftime("%Y-%m-%dT%H:%M:%S")
    frac = "%09d" % (t_ns % 1_000_000_000)
    return f"{base}.{frac[:digits]}Z" if digits else base + "Z"


def iso_local(t_ns, tzmin):
    tz = dt.timezone(dt.timedelta(minutes=tzmin))
    base = utc(t_ns).astimezone(tz).strftime("%Y-%m-%dT%H:%M:%S")
    frac = ("%09d" % (t_ns % 1_000_000_000))[:7].rstrip("0")
    sign = "+" if tzmin >= 0 else "-"
    off = f"{sign}{abs(tzmin) // 60:02d}:{abs(tzmin) % 60:02d}"
    return f"{base}{'.' + frac if frac else ''}{off}"


def signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


# ------------------------------------------------------------------ PowerShell writers

def ps_record(e, depth, ps7):
    """The EventLogRecord as ConvertTo-Json sees it, as an ordered list of (key, value)."""
    if e.user:
        user = {"BinaryLength": 12, "AccountDomainSid": None, "Value": e.user}
    else:
        user = None
    if depth >= 3:
        # 7036's Binary is a byte[]: one level too deep even at -Depth 3
        props = [{"Value": "System.Byte[]" if n == "Binary" else v} for n, v in e.data]
    else:
        props = ["System.Diagnostics.Eventing.Reader.EventProperty"] * len(e.data)
    if ps7:
        created = iso_local(e.t, e.host.tzmin)
    else:
        created = RawJSON('"\\/Date(%d)\\/"' % (e.t // 1_000_000))
    return [
        ("Id", e.eid), ("Version", e.version), ("Qualifiers", e.qualifiers), ("Level", e.level),
        ("Task", e.task), ("Opcode", e.opcode), ("Keywords", signed64(e.keywords)),
        ("RecordId", e.record), ("ProviderName", e.provider[0]), ("ProviderId", e.provider[1]),
        ("LogName", e.channel), ("ProcessId", e.pid), ("ThreadId", e.tid),
        ("MachineName", e.host.name), ("UserId", user), ("TimeCreated", created),
        ("ActivityId", e.activity), ("RelatedActivityId", None), ("ContainerLog", e.channel),
        ("MatchedQueryIds", []), ("Bookmark", {}), ("LevelDisplayName", LEVEL_NAME[e.level]),
        ("OpcodeDisplayName", e.opcode_name), ("TaskDisplayName", e.task_name),
        ("KeywordsDisplayNames", e.kw_names), ("Properties", props), ("Message", e.message),
    ]


class RawJSON(str):
    pass


def ps51_scalar(v):
    if isinstance(v, RawJSON):
        return str(v)
    s = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str):     # JavaScriptSerializer escapes these (eventjson.md 1.1)
        s = s.replace("'", "\\u0027").replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return s


def ps51_dump(v, col):
    """Windows PowerShell 5.1 layout: '"key":  value', containers closed at their own column."""
    if isinstance(v, dict) or (isinstance(v, list) and v and isinstance(v[0], tuple)):
        items = list(v.items()) if isinstance(v, dict) else v
        if not items:
            return "{\n" + " " * col + "}"
        lines = []
        for k, x in items:
            prefix = " " * (col + 4) + json.dumps(k) + ":  "
            lines.append(prefix + ps51_dump(x, len(prefix)))
        return "{\n" + ",\n".join(lines) + "\n" + " " * col + "}"
    if isinstance(v, list):
        if not v:
            return "[\n" + " " * col + "]"
        lines = [" " * (col + 4) + ps51_dump(x, col + 4) for x in v]
        return "[\n" + ",\n".join(lines) + "\n" + " " * col + "]"
    return ps51_scalar(v)


def write_ps51(path, events, depth=3):
    recs = [ps_record(e, depth, False) for e in sorted(events, key=lambda e: -e.t)]  # newest first
    text = ps51_dump(recs if len(recs) > 1 else recs[0], 0)
    with open(os.path.join(D, path), "wb") as f:
        f.write(b"\xff\xfe" + (text.replace("\n", "\r\n") + "\r\n").encode("utf-16-le"))


def write_ps7(path, events):
    recs = [dict(ps_record(e, 4, True)) for e in sorted(events, key=lambda e: -e.t)]
    with open(os.path.join(D, path), "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(recs, indent=2, ensure_ascii=False) + "\n")


# ------------------------------------------------------------------ evtx_dump writers

def xml_to_evtx(node):
    name, attrs, children, text = node
    if not children:
        if attrs and text is not None:
            return {"#attributes": attrs, "#text": text}
        if attrs:
            return {"#attributes": attrs}
        return text
    out = {}
    if attrs:
        out["#attributes"] = attrs
    seen = {}
    for c in children:
        k = c[0]
        if k in seen:
            seen[k] += 1
            k = f"{k}_{seen[k]}"
        else:
            seen[k] = 0
        out[k] = xml_to_evtx(c)
    return out


def evtx_record(e):
    provider = {"#attributes": {"Name": e.provider[0], "Guid": e.provider[1].upper()}}
    if e.provider is SCM:
        provider["#attributes"]["EventSourceName"] = "Service Control Manager"
    if e.qualifiers is not None:
        eid = {"#attributes": {"Qualifiers": e.qualifiers}, "#text": e.eid}
    else:
        eid = e.eid
    system = {
        "Provider": provider, "EventID": eid, "Version": e.version, "Level": e.level,
        "Task": e.task, "Opcode": e.opcode, "Keywords": "0x%x" % e.keywords,
        "TimeCreated": {"#attributes": {"SystemTime": iso_z(e.t, 6)}},
        "EventRecordID": e.record,
        "Correlation": {"#attributes": {"ActivityID": "{%s}" % e.activity.upper()}} if e.activity else None,
        "Execution": {"#attributes": {"ProcessID": e.pid, "ThreadID": e.tid}},
        "Channel": e.channel, "Computer": e.host.name,
        "Security": {"#attributes": {"UserID": e.user}} if e.user else None,
    }
    ev = {"#attributes": {"xmlns": "http://schemas.microsoft.com/win/2004/08/events/event"}, "System": system}
    if e.userdata:
        ev["UserData"] = {e.userdata[0]: xml_to_evtx(e.userdata)}
    elif e.data:
        ev["EventData"] = {k: v for k, v in e.data}
    else:
        ev["EventData"] = None
    return {"Event": ev}


def evtx_order(events):
    """evtx_dump dumps one .evtx file at a time: group by channel, records ascending."""
    chans = []
    for e in sorted(events, key=lambda e: e.t):
        if e.channel not in chans:
            chans.append(e.channel)
    return [e for c in chans for e in sorted((x for x in events if x.channel == c), key=lambda x: x.record)]


def write_evtx_jsonl(path, events):
    with open(os.path.join(D, path), "w", encoding="utf-8") as f:
        for e in evtx_order(events):
            f.write(json.dumps(evtx_record(e), ensure_ascii=False, separators=(",", ":")) + "\n")


def write_evtx_json(path, events):
    with open(os.path.join(D, path), "w", encoding="utf-8") as f:
        for e in evtx_order(events):
            f.write(f"Record {e.record}\n")
            f.write(json.dumps(evtx_record(e), ensure_ascii=False, indent=2) + "\n")


# ------------------------------------------------------------------ Winlogbeat writer

def winlogbeat_record(e, major, read_delay_ns, agent):
    code = str(e.eid) if major >= 8 else e.eid
    ts = iso_z(e.t, 7 if major >= 8 else 3)
    ev = {"code": code, "created": iso_z(e.t + read_delay_ns, 3), "kind": "event",
          "provider": e.provider[0]}
    if e.eid == 4624:
        ev.update({"action": "logged-in", "category": ["authentication"], "type": ["start"],
                   "outcome": "success"})
    win = {"api": "wineventlog", "channel": e.channel, "computer_name": e.host.name,
           "event_id": code, "opcode": e.opcode_name,
           "process": {"pid": e.pid, "thread": {"id": e.tid}},
           "provider_guid": "{%s}" % e.provider[1], "provider_name": e.provider[0],
           "record_id": e.record, "task": e.task_name or ""}
    if e.kw_names:
        win["keywords"] = e.kw_names
    if e.activity:
        win["activity_id"] = "{%s}" % e.activity.upper()
    if e.data:
        win["event_data"] = {k: (v if isinstance(v, str) else str(v)) for k, v in e.data}
    if e.user == "S-1-5-18":
        win["user"] = {"identifier": "S-1-5-18", "domain": "NT AUTHORITY", "name": "SYSTEM",
                       "type": "Well Known Group"}
    short = e.host.name.split(".")[0]
    rec = {"@timestamp": ts,
           "agent": {"ephemeral_id": agent[0], "id": agent[1], "name": short, "type": "winlogbeat",
                     "version": "8.15.3" if major >= 8 else "7.17.24"},
           "ecs": {"version": "8.0.0" if major >= 8 else "1.12.0"},
           "event": ev,
           "host": {"name": e.host.name.lower() if major >= 8 else short},
           "log": {"level": LEVEL_NAME[e.level].lower()},
           "message": e.message.replace("\r\n", "\n"),
           "winlog": win}
    return rec


def write_winlogbeat(path, events, major, seed):
    rng = random.Random(seed)
    agent = (str(uuid.UUID(int=rng.getrandbits(128), version=4)),
             str(uuid.UUID(int=rng.getrandbits(128), version=4)))
    with open(os.path.join(D, path), "w", encoding="utf-8") as f:
        for e in sorted(events, key=lambda e: e.t):
            delay = 400_000_000 + rng.randrange(0, 900_000_000)
            f.write(json.dumps(winlogbeat_record(e, major, delay, agent), sort_keys=True,
                               ensure_ascii=False, separators=(",", ":")) + "\n")


# ------------------------------------------------------------------ helpers for scenarios

MS = 1_000_000
US = 1_000
S = 1_000_000_000


def suite_of(pcap, server_ip, n=0):
    fr = frame(pcap, f"tls.handshake.type == 2 && ip.src == {server_ip}", n, ("tls.handshake.ciphersuite",))
    return "0x%04X" % int(fr[2], 16)


def ws01(seed, sysrec, secrec, capirec=0):
    # the Windows 10 22H2 client of scenarios 1, 2, 5, 6, 7; clock zone CET (UTC+01:00)
    return Host("WS01.corp.example.test", 60, lsass=1036, services=916, seed=seed,
                sysrec=sysrec, secrec=secrec, capirec=capirec)


# ================================================================== s1

def s1():
    cap = "s1-weak-md2.pcapng"
    h = ws01("s1", 48213, 1129840)
    good_ccs = anchor("s1", "good.example.test: server ChangeCipherSpec + Finished (handshake done)",
                      frame(cap, "ip.src == 10.77.0.3 && tls.record.content_type == 20"))
    alert = anchor("s1", "shop.example.test: client fatal alert",
                   frame(cap, "tls.alert_message.level == 2 && ip.src == 10.77.0.1", 0,
                         ("tls.alert_message.desc",)))
    anchor("s1", "shop.example.test: Certificate (leaf, MD2 intermediate, root)",
           frame(cap, "tls.handshake.type == 11 && ip.src == 10.77.0.2"))
    code = int(alert[2])
    ta = alert[1]
    suite = suite_of(cap, "10.77.0.3")
    evs = [
        decoy(ev_36887(h, ta - 93 * S - 417 * MS, 40)),  # decoy: other time, other code
        decoy(ev_7036(h, ta - 2 * S - 141 * MS, "BITS", "running")),  # decoy
        ev_36880(h, good_ccs[1] + 212 * US, "client", "TLS 1.2", suite, 255,
                 "good.example.test", "", "CN=good.example.test"),                # the healthy handshake
        ev_36888(h, ta + 312 * US, code, 252, "shop.example.test"),               # THE event
        decoy(ev_4624(h, ta + 804 * MS, 5, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 916,
                "C:\\Windows\\System32\\services.exe")),  # decoy
        decoy(ev_36880(h, ta + 1 * S + 733 * MS, "client", "TLS 1.2", "0xC030", 384,
                 "mail.corp.example.test", "", "CN=mail.corp.example.test")),  # decoy
        decoy(ev_7036(h, ta + 2 * S + 95 * MS, "BITS", "stopped")),  # decoy
    ]
    for e in evs:
        e.activity = h.guid() if e.provider is SCHANNEL else None
    assign_records(evs)
    write_ps51("s1-weak-md2.ps51.json", evs, depth=3)
    write_ps7("s1-weak-md2.ps7.json", evs)
    write_evtx_jsonl("s1-weak-md2.evtx.jsonl", evs)
    write_winlogbeat("s1-weak-md2.winlogbeat.ndjson", evs, 8, "s1")
    return evs


# ================================================================== s2

def s2():
    cap = "s2-crl-revoked.pcapng"
    h = ws01("s2", 48391, 1130112, capirec=7310)
    flight = anchor("s2", "portal.example.test: Certificate, ServerKeyExchange, ServerHelloDone",
                    frame(cap, "tls.handshake.type == 11 && ip.src == 10.77.0.4"))
    dnsq = anchor("s2", "DNS query A crl.pki.example.test", frame(cap, "dns.flags.response == 0 && dns.qry.name == \"crl.pki.example.test\""))
    anchor("s2", "DNS response: CNAME crl.pki.cdn.test -> CNAME edge-07.fra.cdn.test -> A 10.77.0.5",
           frame(cap, "dns.flags.response == 1 && dns.qry.type == 1 && dns.qry.name == \"crl.pki.example.test\""))
    get1 = anchor("s2", "HTTP GET /pki/example-issuing-g2.crl", frame(cap, "http.request", 0, ("http.request.uri",)))
    rsp1 = anchor("s2", "HTTP 200, application/pkix-crl (G2 CRL, lists serial 0x1003)", frame(cap, "http.response", 0))
    get2 = anchor("s2", "HTTP GET /pki/example-root-ca.crl", frame(cap, "http.request", 1, ("http.request.uri",)))
    rsp2 = anchor("s2", "HTTP 200, application/pkix-crl (root CRL)", frame(cap, "http.response", 1))
    alert = anchor("s2", "client fatal alert", frame(cap, "tls.alert_message.level == 2", 0, ("tls.alert_message.desc",)))

    # the request and response headers exactly as on the wire
    def headers(n, field):
        out = subprocess.run(["tshark", "-r", os.path.join(D, cap), "-Y", f"frame.number == {n}",
                              "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=\x01", "-e", field],
                             check=True, capture_output=True, text=True).stdout.strip("\n")
        # tshark prints each header line with a literal "\r\n" at its end
        return [x.replace("\\r\\n", "").strip() for x in out.split("\x01") if x.strip()]

    def reqhdr(fr):
        return headers(fr[0], "http.request.line")

    def rsphdr(fr):
        first = tshark(cap, f"frame.number == {fr[0]}", ["http.response.version", "http.response.code",
                                                        "http.response.phrase"])[0]
        return [f"{first[0]} {first[1]} {first[2]}"] + headers(fr[0], "http.response.line")

    g1_line = f"GET {get1[2]} HTTP/1.1"
    g2_line = f"GET {get2[2]} HTTP/1.1"
    task = "{%s}" % h.guid().upper()
    chain_ref = "{%s}" % h.guid().upper()
    seq = [0]

    def aux():
        seq[0] += 1
        return [X("EventAuxInfo", {"ProcessName": "lsass.exe"}),
                X("CorrelationAuxInfo", {"TaskId": task, "SeqNumber": str(seq[0])})]

    leaf = ("portal", "portal.example.test")
    g2 = ("example-issuing-g2", "Example Issuing CA G2")
    root = ("example-root-ca", "Example Test Root CA")

    def C(tag, c):
        return X(tag, {"fileRef": thumb(c[0]) + ".cer", "subjectName": c[1]})

    g2crl = ("pki/example-issuing-g2.crl", "http://crl.pki.example.test/pki/example-issuing-g2.crl")
    rootcrl = ("pki/example-root-ca.crl", "http://crl.pki.example.test/pki/example-root-ca.crl")

    def crl(loc, c, issuer):
        return X("CertificateRevocationList", {"location": loc, "url": c[1], "fileRef": file_sha1(c[0]) + ".crl",
                                               "issuerName": issuer})

    def wire(get_line, reqs, rsps, c, issuer):
        return X("CryptRetrieveObjectByUrlWire", {},
                 X("URL", {"scheme": "http"}, text=c[1]),
                 X("Object", {"type": "CONTEXT_OID_CRL", "constant": "2"}),
                 X("Timeout", {}, text="PT15S"),
                 X("Flags", {"value": "4"}, ),
                 X("AdditionalInfo", {},
                   X("NetworkConnectivityStatus", {"value": "1", "NETWORK_ALIVE_LAN": "true"}),
                   X("Action", {"name": "NoProxy"}),
                   X("HTTPRequestHeadersInfo", {}, *[X("Header", {}, text=x) for x in [get_line] + reqs]),
                   X("HTTPResponseHeadersInfo", {}, *[X("Header", {}, text=x) for x in rsps]),
                   X("Action", {"name": "WriteToCache"})),
                 X("RetrievedObjects", {}, X("CertificateRevocationList", {
                     "fileRef": file_sha1(c[0]) + ".crl", "issuerName": issuer})),
                 *aux(), X("Result", {"value": "0"}))

    t0 = flight[1]
    revoked = "80092010"
    revtext = "The certificate is revoked."
    vt = iso_z(t0 + 180 * US, 7)
    evs = []
    evs.append(ev_capi2(h, t0 + 180 * US, 10, 4, X("CertGetCertificateChainStart", {},
               C("Certificate", leaf), X("ValidationTime", {}, text=vt), *aux()), 11, 1))
    evs.append(ev_capi2(h, dnsq[1] - 260 * US, 40, 4, X("CertVerifyRevocationStart", {},
               C("Certificate", leaf), C("IssuerCertificate", g2), *aux()), 41, 1))
    evs.append(ev_capi2(h, dnsq[1] - 90 * US, 52, 4, X("CryptRetrieveObjectByUrlWireStart", {},
               X("URL", {"scheme": "http"}, text=g2crl[1]), *aux()), 53, 1))
    gap = get2[1] - rsp1[1]       # the client works between the two downloads: 53, 41, 40, 52
    evs.append(ev_capi2(h, rsp1[1] + gap // 5, 53, 4,
               wire(g1_line, reqhdr(get1), rsphdr(rsp1), g2crl, "Example Issuing CA G2"), 53, 2))
    evs.append(ev_capi2(h, rsp1[1] + gap * 2 // 5, 41, 2, X("CertVerifyRevocation", {},
               C("Certificate", leaf), C("IssuerCertificate", g2),
               X("Flags", {"value": "4"}),
               X("AdditionalParameters", {"timeToUse": vt, "currentTime": vt, "urlRetrievalTimeout": "PT15S"}),
               X("RevocationStatus", {"index": "0", "error": revoked, "reason": "1", "actualFreshnessTime": "PT0S"}),
               crl("Wire", g2crl, "Example Issuing CA G2"), *aux(),
               X("Result", {"value": revoked}, text=revtext)), 41, 2))
    evs.append(ev_capi2(h, rsp1[1] + gap * 3 // 5, 40, 4, X("CertVerifyRevocationStart", {},
               C("Certificate", g2), C("IssuerCertificate", root), *aux()), 41, 1))
    evs.append(ev_capi2(h, rsp1[1] + gap * 4 // 5, 52, 4, X("CryptRetrieveObjectByUrlWireStart", {},
               X("URL", {"scheme": "http"}, text=rootcrl[1]), *aux()), 53, 1))
    evs.append(ev_capi2(h, rsp2[1] + 80 * US, 53, 4,
               wire(g2_line, reqhdr(get2), rsphdr(rsp2), rootcrl, "Example Test Root CA"), 53, 2))
    evs.append(ev_capi2(h, rsp2[1] + 130 * US, 41, 4, X("CertVerifyRevocation", {},
               C("Certificate", g2), C("IssuerCertificate", root),
               X("Flags", {"value": "4"}),
               X("AdditionalParameters", {"timeToUse": vt, "currentTime": vt, "urlRetrievalTimeout": "PT15S"}),
               X("RevocationStatus", {"index": "0", "error": "0", "reason": "0", "actualFreshnessTime": "PT0S"}),
               crl("Wire", rootcrl, "Example Test Root CA"), *aux(), X("Result", {"value": "0"})), 41, 2))

    def element(c, sig_oid, hashname, err, info, rev=None):
        kids = [C("Certificate", c),
                X("SignatureAlgorithm", {"oid": sig_oid, "hashName": hashname, "publicKeyName": "RSA"}),
                X("PublicKeyAlgorithm", {"oid": "1.2.840.113549.1.1.1", "publicKeyName": "RSA",
                                         "publicKeyLength": "2048"}),
                X("TrustStatus", {}, X("ErrorStatus", *err), X("InfoStatus", *info))]
        if rev:
            kids.append(rev)
        return X("ChainElement", {}, *kids)

    sha256 = "1.2.840.113549.1.1.11"
    chain = X("CertificateChain", {"chainRef": chain_ref},
              X("TrustStatus", {}, X("ErrorStatus", {"value": "4", "CERT_TRUST_IS_REVOKED": "true"}),
                X("InfoStatus", {"value": "0"})),
              element(leaf, sha256, "SHA256", [{"value": "4", "CERT_TRUST_IS_REVOKED": "true"}],
                      [{"value": "102", "CERT_TRUST_HAS_KEY_MATCH_ISSUER": "true",
                        "CERT_TRUST_HAS_PREFERRED_ISSUER": "true"}],
                      X("RevocationInfo", {"freshnessTime": "PT0S"},
                        X("RevocationResult", {"value": revoked}, text=revtext),
                        crl("Wire", g2crl, "Example Issuing CA G2"))),
              element(g2, sha256, "SHA256", [{"value": "0"}],
                      [{"value": "102", "CERT_TRUST_HAS_KEY_MATCH_ISSUER": "true",
                        "CERT_TRUST_HAS_PREFERRED_ISSUER": "true"}],
                      X("RevocationInfo", {"freshnessTime": "PT0S"}, X("RevocationResult", {"value": "0"}),
                        crl("Wire", rootcrl, "Example Test Root CA"))),
              element(root, sha256, "SHA256", [{"value": "0"}],
                      [{"value": "10C", "CERT_TRUST_HAS_NAME_MATCH_ISSUER": "true",
                        "CERT_TRUST_IS_SELF_SIGNED": "true", "CERT_TRUST_HAS_PREFERRED_ISSUER": "true"}]))
    t_chain = rsp2[1] + 190 * US
    evs.append(ev_capi2(h, t_chain, 11, 2, X("CertGetCertificateChain", {},
               C("Certificate", leaf), X("ValidationTime", {}, text=vt),
               X("AdditionalStore", {}, C("Certificate", g2)),
               X("ExtendedKeyUsage", {}, X("Usage", {"oid": "1.3.6.1.5.5.7.3.1", "name": "Server Authentication"})),
               X("Flags", {"value": "20000000", "CERT_CHAIN_REVOCATION_CHECK_CHAIN_EXCLUDE_ROOT": "true"}),
               X("ChainEngineInfo", {"context": "machine"}),
               X("AdditionalInfo", {}, X("NetworkConnectivityStatus", {"value": "1", "NETWORK_ALIVE_LAN": "true"})),
               chain, *aux(), X("Result", {"value": revoked}, text=revtext)), 11, 2))
    evs.append(ev_capi2(h, t_chain + 60 * US, 30, 2, X("CertVerifyCertificateChainPolicy", {},
               X("Policy", {"type": "CERT_CHAIN_POLICY_SSL", "constant": "4"}),
               C("Certificate", leaf), X("CertificateChain", {"chainRef": chain_ref}),
               X("Flags", {"value": "0"}),
               X("SSLAdditionalPolicyInfo", {"authType": "server", "serverName": "portal.example.test"}),
               X("Status", {"chainIndex": "0", "elementIndex": "0"}), *aux(),
               X("Result", {"value": revoked}, text=revtext)), 30, 0))
    ta = alert[1]
    evs.append(ev_36888(h, ta + 287 * US, int(alert[2]), 1187, "portal.example.test"))
    # decoys
    evs.append(decoy(ev_7036(h, t0 - 913 * MS, "WinHttpAutoProxySvc", "running")))
    evs.append(decoy(ev_capi2(h, t0 - 3 * S - 20 * MS, 11, 4, X("CertGetCertificateChain", {},
               X("Certificate", {"fileRef": "8F43288AD272F3103B6FB1428485EA3014C0BCFE.cer",
                                 "subjectName": "Microsoft Root Certificate Authority 2011"}),
               X("ValidationTime", {}, text=iso_z(t0 - 3 * S - 20 * MS, 7)),
               X("Flags", {"value": "0"}), X("ChainEngineInfo", {"context": "machine"}),
               X("EventAuxInfo", {"ProcessName": "MsMpEng.exe"}),
               X("CorrelationAuxInfo", {"TaskId": "{%s}" % h.guid().upper(), "SeqNumber": "1"}),
               X("Result", {"value": "0"})), 11, 2)))
    evs.append(decoy(ev_36888(h, ta + 47 * S + 118 * MS, 48, 1203, "printer.corp.example.test")))
    evs.append(decoy(ev_4624(h, ta + 1 * S + 402 * MS, 5, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 916,
                       "C:\\Windows\\System32\\services.exe")))
    for e in evs:
        e.activity = h.guid() if e.provider in (SCHANNEL, CAPI2) else None
    assign_records(evs)
    write_evtx_json("s2-crl-revoked.evtx.json", evs)
    return evs


# ================================================================== s3

def s3():
    cap = "s3-mtls-unknown-ca.pcap"
    h = Host("APP01.corp.example.test", 0, lsass=688, services=612, seed="s3", sysrec=20417,
             secrec=774301, domain="CORP")
    creq = anchor("s3", "connection 1: CertificateRequest (CA list: Example Corp Client Auth CA, Example Test Root CA)",
                  frame(cap, "tls.handshake.type == 13", 0))
    anchor("s3", "connection 1: client Certificate (alice <- Contractor Services Issuing CA), spans 2 segments",
           frame(cap, "tls.handshake.type == 11 && ip.src == 10.77.0.1", 0))
    a1 = anchor("s3", "connection 1: server fatal alert", frame(cap, "tls.alert_message.level == 2", 0, ("tls.alert_message.desc",)))
    anchor("s3", "connection 1: server FIN", frame(cap, "tcp.flags.fin == 1 && ip.src == 10.77.0.6", 0))
    anchor("s3", "connection 2: CertificateRequest (empty CA list)", frame(cap, "tls.handshake.type == 13", 1))
    a2 = anchor("s3", "connection 2: server fatal alert", frame(cap, "tls.alert_message.level == 2", 1, ("tls.alert_message.desc",)))
    anchor("s3", "connection 2: server RST", frame(cap, "tcp.flags.reset == 1"))
    http_sys = ("System", 4)
    evs = []
    for a, state in ((a1, 1322), (a2, 1322)):
        # the server (this Windows host) writes the events, then the alert leaves: the capture
        # is on the client side, a few tens of microseconds later
        evs.append(ev_36877(h, a[1] - 210 * US, "0x800b0109", http_sys))
        evs.append(ev_36888(h, a[1] - 95 * US, int(a[2]), state, "", caller=http_sys))
    evs.append(decoy(ev_36880(h, creq[1] - 12 * S - 310 * MS, "server", "TLS 1.2", "0xC030", 256, "",
                        "CN=mtls.example.test", "O=Example Corp, CN=svc-batch01")))  # decoy
    evs.append(decoy(ev_36874(h, a1[1] - 184 * S - 5 * MS, "TLS 1.0")))  # decoy
    evs.append(decoy(ev_7036(h, a1[1] + 3 * S + 77 * MS, "TrustedInstaller", "running")))  # decoy
    evs.append(decoy(ev_4624(h, a2[1] + 660 * MS, 3, "svc-batch01", "CORP",
                       "S-1-5-21-3623811015-3361044348-30300820-2113", "0x6c4f2b1", 0, "-",
                       auth="Kerberos", lproc="Kerberos", ip="10.77.0.40", port="51544")))  # decoy
    for e in evs:
        e.activity = h.guid() if e.provider is SCHANNEL else None
    assign_records(evs)
    write_winlogbeat("s3-mtls-unknown-ca.winlogbeat.ndjson", evs, 8, "s3")
    return evs


# ================================================================== s4

def s4():
    cap = "s4-tls10-vs-tls12.pcap"
    h = Host("ERP01.corp.example.test", -300, lsass=560, services=508, seed="s4", sysrec=219140,
             secrec=3310822)
    anchor("s4", "ClientHello, TLS 1.0 only (legacy client)", frame(cap, "tls.handshake.type == 1"))
    a = anchor("s4", "server fatal alert", frame(cap, "tls.alert_message.level == 2", 0, ("tls.alert_message.desc",)))
    evs = [
        ev_36888(h, a[1] - 140 * US, int(a[2]), 105, "", wording="2012r2"),       # THE event (server side)
        decoy(ev_36888(h, a[1] - 611 * S - 250 * MS, 40, 1205, "", wording="2012r2")),  # decoy: other time/code
        decoy(ev_36874(h, a[1] - 611 * S - 251 * MS, "TLS 1.0")),  # decoy, paired with it
        decoy(ev_7036(h, a[1] - 1 * S - 730 * MS, "W32Time", "running")),  # decoy
        decoy(ev_4624(h, a[1] + 2 * S + 16 * MS, 5, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 508,
                "C:\\Windows\\System32\\services.exe")),  # decoy
    ]
    for e in evs:
        e.activity = None          # Server 2012 R2 Schannel events carry no ActivityID here
    assign_records(evs)
    write_ps51("s4-tls10-vs-tls12.ps51.json", evs, depth=2)   # default depth: Properties lost
    return evs


# ================================================================== s5

def s5():
    cap = "s5-expired-wrongname.pcapng"
    h = ws01("s5", 48577, 1130388)
    anchor("s5", "expired.example.test: Certificate (leaf notAfter 2025-11-01)",
           frame(cap, "tls.handshake.type == 11", 0))
    a1 = anchor("s5", "expired.example.test: client fatal alert", frame(cap, "tls.alert_message.level == 2", 0, ("tls.alert_message.desc",)))
    anchor("s5", "wrongname.example.test: ClientHello with SNI wrongname.example.test",
           frame(cap, "tls.handshake.extensions_server_name == \"wrongname.example.test\""))
    anchor("s5", "wrongname.example.test: Certificate (other.example.test, www.other.example.test)",
           frame(cap, "tls.handshake.type == 11", 1))
    a2 = anchor("s5", "wrongname.example.test: client fatal alert", frame(cap, "tls.alert_message.level == 2", 1, ("tls.alert_message.desc",)))
    evs = [
        ev_36888(h, a1[1] - 180 * US, int(a1[2]), 1029, "expired.example.test"),  # logged just before the frame
        ev_36884(h, a2[1] - 420 * US, "wrongname.example.test"),
        ev_36888(h, a2[1] + 260 * US, int(a2[2]), 1029, "wrongname.example.test"),
        decoy(ev_36887(h, a1[1] - 31 * S - 902 * MS, 46)),  # decoy
        decoy(ev_7036(h, a1[1] + 480 * MS, "sppsvc", "running")),  # decoy
        decoy(ev_36880(h, a2[1] + 2 * S + 3 * MS, "client", "TLS 1.3", "0x1302", 255,
                 "teams.corp.example.test", "", "CN=teams.corp.example.test")),  # decoy
    ]
    for e in evs:
        e.activity = h.guid() if e.provider is SCHANNEL else None
    assign_records(evs)
    write_ps7("s5-expired-wrongname.ps7.json", evs)
    return evs


# ================================================================== s6

def s6():
    cap = "s6-tls13-hrr.pcapng"
    h = ws01("s6", 48702, 1130530)
    fin1 = anchor("s6", "tls13.example.test: client ChangeCipherSpec + Finished (encrypted)",
                  frame(cap, "ip.src == 10.77.0.1 && ip.dst == 10.77.0.10 && tls.record.content_type == 20"))
    anchor("s6", "hrr.example.test: ClientHello (key_share X25519 only)", frame(cap, "tls.handshake.type == 1", 1))
    anchor("s6", "hrr.example.test: HelloRetryRequest (selected group secp256r1)",
           frame(cap, "tls.handshake.extensions_key_share_selected_group == 23"))
    anchor("s6", "hrr.example.test: second ClientHello (key_share secp256r1)", frame(cap, "tls.handshake.type == 1", 2))
    fin2 = anchor("s6", "hrr.example.test: client Finished (encrypted)",
                  frame(cap, "ip.src == 10.77.0.1 && ip.dst == 10.77.0.11 && tls.app_data", 0))
    s1_ = "0x%04X" % int(frame(cap, "ip.src == 10.77.0.10 && tls.handshake.type == 2", 0, ("tls.handshake.ciphersuite",))[2], 16)
    s2_ = "0x%04X" % int(frame(cap, "ip.src == 10.77.0.11 && tls.handshake.type == 2 && tls.handshake.extensions_key_share_group", 0,
                               ("tls.handshake.ciphersuite",))[2], 16)
    evs = [
        ev_36880(h, fin1[1] + 140 * US, "client", "TLS 1.3", s1_, 255, "tls13.example.test", "",
                 "CN=tls13.example.test"),
        ev_36880(h, fin2[1] + 150 * US, "client", "TLS 1.3", s2_, 256, "hrr.example.test", "",
                 "CN=tls13.example.test"),
        decoy(ev_36887(h, fin1[1] - 58 * S - 3 * MS, 46)),  # decoy error
        decoy(ev_7036(h, fin1[1] - 1 * S - 207 * MS, "wuauserv", "running")),  # decoy
        decoy(ev_4624(h, fin2[1] + 922 * MS, 5, "SYSTEM", "NT AUTHORITY", "S-1-5-18", "0x3e7", 916,
                "C:\\Windows\\System32\\services.exe")),  # decoy
    ]
    for e in evs:
        e.activity = h.guid() if e.provider is SCHANNEL else None
    assign_records(evs)
    write_winlogbeat("s6-tls13-hrr.winlogbeat.ndjson", evs, 7, "s6")
    return evs


# ================================================================== s7

def s7():
    capc, caps = "s7-client.pcapng", "s7-server.pcap"
    h = ws01("s7", 48810, 1130702)
    ac = anchor("s7", "client file: client fatal alert", frame(capc, "tls.alert_message.level == 2", 0, ("tls.alert_message.desc",)))
    asv = anchor("s7", "server file: the same alert, arriving", frame(caps, "tls.alert_message.level == 2", 0))
    ANCHORS.append("s7: server file - client file, same alert: %+.6f s" % ((asv[1] - ac[1]) / S))
    evs = [
        ev_36882(h, ac[1] - 160 * US),
        ev_36888(h, ac[1] + 240 * US, int(ac[2]), 1141, "intranet.example.test"),
        decoy(ev_7036(h, ac[1] - 4 * S - 512 * MS, "BITS", "running")),  # decoy
        decoy(ev_36888(h, ac[1] + 19 * S + 84 * MS, 46, 1029, "wpad.corp.example.test")),  # decoy: other time/code
    ]
    for e in evs:
        e.activity = h.guid() if e.provider is SCHANNEL else None
    assign_records(evs)
    write_evtx_jsonl("s7-client.evtx.jsonl", evs)
    return evs


def selfcheck():
    """Parse every export back, the way a loader would, and count the events."""
    counts = {}
    for fn in sorted(os.listdir(D)):
        path = os.path.join(D, fn)
        if fn.endswith(".ps51.json"):
            raw = open(path, "rb").read()
            assert raw[:2] == b"\xff\xfe", fn + ": no UTF-16LE BOM"
            text = raw[2:].decode("utf-16-le")
            assert "\r\n" in text and "\\/Date(" in text, fn
            v = json.loads(text)
            counts[fn] = len(v) if isinstance(v, list) else 1
        elif fn.endswith(".ps7.json"):
            counts[fn] = len(json.load(open(path, encoding="utf-8")))
        elif fn.endswith((".jsonl", ".ndjson")):
            counts[fn] = sum(1 for line in open(path, encoding="utf-8") if json.loads(line))
        elif fn.endswith(".evtx.json"):
            n, buf = 0, []
            for line in open(path, encoding="utf-8"):
                if line.startswith("Record "):
                    if buf:
                        json.loads("".join(buf)); n += 1
                    buf = []
                else:
                    buf.append(line)
            json.loads("".join(buf)); n += 1
            counts[fn] = n
    for fn, n in counts.items():
        print(f"export: {fn}: {n} events", file=sys.stderr)


def main():
    all_ = {}
    for fn in (s1, s2, s3, s4, s5, s6, s7):
        all_[fn.__name__] = fn()
    print("\n".join(ANCHORS))
    for name, evs in all_.items():
        for e in sorted(evs, key=lambda e: e.t):
            d = dict(e.data)
            what = " ".join(f"{k}={d[k]!r}" for k in ("AlertDesc", "ErrorState", "TargetName", "Name",
                                                      "ErrorCode", "param1", "param2") if k in d)
            if e.userdata:
                what = e.userdata[0]
            print(f"{name}: {e.note or 'MATCH':<5}  {e.channel.split('/')[0]:<24} record {e.record:>7}  "
                  f"{e.provider[0]} {e.eid}  {iso_z(e.t, 7)}  {what}")

if __name__ == "__main__":
    main()
    selfcheck()
