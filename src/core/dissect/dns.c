/*
 * dns.c - Domain Name System (RFC 1035), with AAAA (RFC 3596), SRV
 * (RFC 2782), the EDNS OPT pseudo-record (RFC 6891), multicast DNS
 * (RFC 6762) and LLMNR (RFC 4795), which share the message format.
 *
 *  +--------+--------+--------+--------+--------+--------+
 *  |   ID   | flags  |QDCOUNT |ANCOUNT |NSCOUNT |ARCOUNT |   12-byte header
 *  +--------+--------+--------+--------+--------+--------+
 *  | questions (name, type, class) | answer, authority, additional RRs
 *  |   (name, type, class, TTL, RDLENGTH, RDATA)
 *
 * Field names, tree layout and the Info column follow Wireshark 4.0.
 *
 * Names: labels may hold any byte. A name's value (what -T fields prints
 * and filters compare) is its labels joined by dots, as Wireshark stores
 * it; the display text escapes every label through the project sanitizer
 * and shows a dot inside a label as "\.". Compression pointers must point
 * strictly before the run of labels they continue (RFC 1035 4.1.4 "a prior
 * occurrence"), which rules out loops; a name is also limited to 255
 * octets and 128 pointer jumps. A broken name gets an error and a
 * "[Malformed DNS name: ...]" note; when its own bytes are intact the
 * dissection goes on after it.
 *
 * Queries and responses are matched per conversation and transaction ID
 * in the load pass, as Wireshark does (a query repeated within 5 seconds
 * before an answer is a retransmission, a second answer too); the result
 * is kept per frame in a table hung off the source's conversation table,
 * so any frame dissected later shows dns.response_in / dns.response_to /
 * dns.time.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DNS_PLAIN, DNS_MDNS, DNS_LLMNR };

#define DNS_HDRLEN 12
#define DNS_MAXNAME 255          /* octets on the wire, RFC 1035 3.1 */
#define DNS_MAXJUMPS 128
#define DNS_RETRANS_NS (5 * TW_NS_PER_SEC) /* Wireshark's dns.retransmission_timer */

#define F_RESPONSE 0x8000
#define F_OPCODE 0x7800
#define F_AUTHENTIC 0x0020

enum {
	F_DNS,
	F_MDNS,
	F_LLMNR,
	F_LENGTH,
	F_ID,
	F_FLAGS,
	F_FL_RESPONSE,
	F_FL_OPCODE,
	F_FL_AUTHORITATIVE,
	F_FL_CONFLICT_Q,
	F_FL_CONFLICT_R,
	F_FL_TRUNCATED,
	F_FL_RECDESIRED,
	F_FL_TENTATIVE,
	F_FL_RECAVAIL,
	F_FL_Z,
	F_FL_AUTHENTICATED,
	F_FL_AD,
	F_FL_CHECKDISABLE,
	F_FL_RCODE,
	F_COUNT_QUERIES,
	F_COUNT_ZONES,
	F_COUNT_ANSWERS,
	F_COUNT_PREREQ,
	F_COUNT_AUTH,
	F_COUNT_UPDATES,
	F_COUNT_ADD,
	F_QRY_NAME,
	F_QRY_NAME_LEN,
	F_COUNT_LABELS,
	F_QRY_TYPE,
	F_QRY_CLASS,
	F_QRY_CLASS_MDNS,
	F_QRY_QU,
	F_RESP_NAME,
	F_RESP_TYPE,
	F_RESP_CLASS,
	F_RESP_CLASS_MDNS,
	F_RESP_CACHE_FLUSH,
	F_RESP_TTL,
	F_RESP_LEN,
	F_A,
	F_AAAA,
	F_CNAME,
	F_NS,
	F_PTR,
	F_MX_PREF,
	F_MX_EXCH,
	F_TXT_LEN,
	F_TXT,
	F_SOA_MNAME,
	F_SOA_RNAME,
	F_SOA_SERIAL,
	F_SOA_REFRESH,
	F_SOA_RETRY,
	F_SOA_EXPIRE,
	F_SOA_MINIMUM,
	F_SRV_SERVICE,
	F_SRV_PROTO,
	F_SRV_NAME,
	F_SRV_PRIORITY,
	F_SRV_WEIGHT,
	F_SRV_PORT,
	F_SRV_TARGET,
	F_UDP_PAYLOAD_SIZE,
	F_EXT_RCODE,
	F_EDNS0_VERSION,
	F_Z,
	F_Z_DO,
	F_Z_RESERVED,
	F_OPT,
	F_OPT_CODE,
	F_OPT_LEN,
	F_OPT_DATA,
	F_OPT_COOKIE_CLIENT,
	F_OPT_COOKIE_SERVER,
	F_DATA,
	F_RESPONSE_IN,
	F_RESPONSE_TO,
	F_TIME,
	F_RETRANSMIT_REQ_IN,
	F_RETRANSMIT_RESP_IN,
	F_RETRANSMISSION,
	F_UNSOLICITED,
	F_EXTRANEOUS_DATA,
	F_EXTRANEOUS_LEN,
	F_COUNT
};

static const struct tw_valstr opcode_vals[] = {
	{ 0, "Standard query" },
	{ 1, "Inverse query" },
	{ 2, "Server status request" },
	{ 4, "Zone change notification" },
	{ 5, "Dynamic update" },
	{ 6, "DNS Stateful operations (DSO)" },
	{ 0, NULL },
};

static const struct tw_valstr rcode_vals[] = {
	{ 0, "No error" },
	{ 1, "Format error" },
	{ 2, "Server failure" },
	{ 3, "No such name" },
	{ 4, "Not implemented" },
	{ 5, "Refused" },
	{ 6, "Name exists" },
	{ 7, "RRset exists" },
	{ 8, "RRset does not exist" },
	{ 9, "Not authoritative" },
	{ 10, "Name out of zone" },
	{ 11, "DSO-Type not implemented" },
	{ 16, "Bad OPT Version or TSIG Signature Failure" },
	{ 17, "Key not recognized" },
	{ 18, "Signature out of time window" },
	{ 19, "Bad TKEY Mode" },
	{ 20, "Duplicate key name" },
	{ 21, "Algorithm not supported" },
	{ 22, "Bad Truncation" },
	{ 23, "Bad/missing Server Cookie" },
	{ 0, NULL },
};

/* The registered mnemonics (IANA "DNS RCODEs"), for the expert text. */
static const struct tw_valstr rcode_mnemonics[] = {
	{ 1, "FORMERR" },  { 2, "SERVFAIL" }, { 3, "NXDOMAIN" },  { 4, "NOTIMP" },
	{ 5, "REFUSED" },  { 6, "YXDOMAIN" }, { 7, "YXRRSET" },   { 8, "NXRRSET" },
	{ 9, "NOTAUTH" },  { 10, "NOTZONE" }, { 11, "DSOTYPENI" }, { 0, NULL },
};

/* The Type field ("A (Host Address)"). */
static const struct tw_valstr type_desc_vals[] = {
	{ 0, "Unused" },
	{ 1, "A (Host Address)" },
	{ 2, "NS (authoritative Name Server)" },
	{ 3, "MD (Mail Destination)" },
	{ 4, "MF (Mail Forwarder)" },
	{ 5, "CNAME (Canonical NAME for an alias)" },
	{ 6, "SOA (Start Of a zone of Authority)" },
	{ 7, "MB (MailBox domain name)" },
	{ 8, "MG (Mail Group member)" },
	{ 9, "MR (Mail Rename domain)" },
	{ 10, "NULL RR" },
	{ 11, "WKS (Well Known Service)" },
	{ 12, "PTR (domain name PoinTeR)" },
	{ 13, "HINFO (host information)" },
	{ 14, "MINFO (Mailbox or mail list information)" },
	{ 15, "MX (Mail eXchange)" },
	{ 16, "TXT (Text strings)" },
	{ 17, "RP (Responsible Person)" },
	{ 18, "AFSDB (AFS Data Base location)" },
	{ 19, "X25 (XX.25 PSDN address)" },
	{ 20, "ISDN (ISDN address)" },
	{ 21, "RT (Route Through)" },
	{ 22, "NSAP (NSAP address)" },
	{ 23, "NSAP-PTR (NSAP domain name pointer)" },
	{ 24, "SIG (security signature)" },
	{ 25, "KEY (security key)" },
	{ 26, "PX (X.400 mail mapping information)" },
	{ 27, "GPOS (Geographical Position)" },
	{ 28, "AAAA (IPv6 Address)" },
	{ 29, "LOC (Location Information)" },
	{ 30, "NXT (Next Domain)" },
	{ 31, "EID (Endpoint Identifier)" },
	{ 32, "NIMLOC (Nimrod Locator)" },
	{ 33, "SRV (Server Selection)" },
	{ 34, "ATMA (ATM Address)" },
	{ 35, "NAPTR (Naming Authority Pointer)" },
	{ 36, "KX (Key Exchanger)" },
	{ 37, "CERT" },
	{ 38, "A6 (OBSOLETE - use AAAA)" },
	{ 39, "DNAME" },
	{ 40, "SINK" },
	{ 41, "OPT" },
	{ 42, "APL" },
	{ 43, "DS (Delegation Signer)" },
	{ 44, "SSHFP (SSH Key Fingerprint)" },
	{ 45, "IPSECKEY" },
	{ 46, "RRSIG (Resource Record Signature)" },
	{ 47, "NSEC (Next Secure)" },
	{ 48, "DNSKEY (DNS Public Key)" },
	{ 49, "DHCID" },
	{ 50, "NSEC3" },
	{ 51, "NSEC3PARAM" },
	{ 52, "TLSA" },
	{ 55, "HIP (Host Identity Protocol)" },
	{ 57, "RKEY" },
	{ 58, "TALINK (Trust Anchor LINK)" },
	{ 59, "CDS (Child DS)" },
	{ 60, "CDNSKEY (DNSKEY(s) the Child wants reflected in DS)" },
	{ 61, "OPENPGPKEY (OpenPGP Key)" },
	{ 62, "CSYNC (Child-to-Parent Synchronization)" },
	{ 63, "ZONEMD" },
	{ 64, "SVCB (General Purpose Service Endpoints)" },
	{ 65, "HTTPS (HTTPS Specific Service Endpoints)" },
	{ 99, "SPF" },
	{ 100, "UINFO" },
	{ 101, "UID" },
	{ 102, "GID" },
	{ 103, "UNSPEC" },
	{ 104, "NID (NodeID)" },
	{ 105, "L32 (Locator32)" },
	{ 106, "L64 (Locator64)" },
	{ 107, "LP (Locator FQDN)" },
	{ 108, "EUI48" },
	{ 109, "EUI64" },
	{ 249, "TKEY (Transaction Key)" },
	{ 250, "TSIG (Transaction Signature)" },
	{ 251, "IXFR (incremental transfer)" },
	{ 252, "AXFR (transfer of an entire zone)" },
	{ 253, "MAILB (mailbox-related RRs)" },
	{ 254, "MAILA (mail agent RRs)" },
	{ 255, "* (A request for all records the server/cache has available)" },
	{ 256, "URI" },
	{ 257, "CAA (Certification Authority Restriction)" },
	{ 32768, "TA (DNSSEC Trust Authorities)" },
	{ 32769, "DLV (DNSSEC Lookaside Validation)" },
	{ 65281, "WINS" },
	{ 65282, "WINS-R" },
	{ 65422, "XPF" },
	{ 0, NULL },
};

/*
 * Short type names for record labels and the Info column. The same codes as
 * above; 253/254 are swapped as in Wireshark 4.0 so the Info column matches.
 */
static const struct tw_valstr type_short_vals[] = {
	{ 0, "Unused" },   { 1, "A" },        { 2, "NS" },        { 3, "MD" },         { 4, "MF" },
	{ 5, "CNAME" },    { 6, "SOA" },      { 7, "MB" },        { 8, "MG" },         { 9, "MR" },
	{ 10, "NULL" },    { 11, "WKS" },     { 12, "PTR" },      { 13, "HINFO" },     { 14, "MINFO" },
	{ 15, "MX" },      { 16, "TXT" },     { 17, "RP" },       { 18, "AFSDB" },     { 19, "X25" },
	{ 20, "ISDN" },    { 21, "RT" },      { 22, "NSAP" },     { 23, "NSAP-PTR" },  { 24, "SIG" },
	{ 25, "KEY" },     { 26, "PX" },      { 27, "GPOS" },     { 28, "AAAA" },      { 29, "LOC" },
	{ 30, "NXT" },     { 31, "EID" },     { 32, "NIMLOC" },   { 33, "SRV" },       { 34, "ATMA" },
	{ 35, "NAPTR" },   { 36, "KX" },      { 37, "CERT" },     { 38, "A6" },        { 39, "DNAME" },
	{ 40, "SINK" },    { 41, "OPT" },     { 42, "APL" },      { 43, "DS" },        { 44, "SSHFP" },
	{ 45, "IPSECKEY" }, { 46, "RRSIG" },  { 47, "NSEC" },     { 48, "DNSKEY" },    { 49, "DHCID" },
	{ 50, "NSEC3" },   { 51, "NSEC3PARAM" }, { 52, "TLSA" },  { 55, "HIP" },       { 57, "RKEY" },
	{ 58, "TALINK" },  { 59, "CDS" },     { 60, "CDNSKEY" },  { 61, "OPENPGPKEY" }, { 62, "CSYNC" },
	{ 63, "ZONEMD" },  { 64, "SVCB" },    { 65, "HTTPS" },    { 99, "SPF" },       { 100, "UINFO" },
	{ 101, "UID" },    { 102, "GID" },    { 103, "UNSPEC" },  { 104, "NID" },      { 105, "L32" },
	{ 106, "L64" },    { 107, "LP" },     { 108, "EUI48" },   { 109, "EUI64" },    { 249, "TKEY" },
	{ 250, "TSIG" },   { 251, "IXFR" },   { 252, "AXFR" },    { 253, "MAILA" },    { 254, "MAILB" },
	{ 255, "ANY" },    { 256, "URI" },    { 257, "CAA" },     { 32768, "TA" },     { 32769, "DLV" },
	{ 65281, "WINS" }, { 65282, "WINS-R" }, { 65422, "XPF" }, { 0, NULL },
};

static const struct tw_valstr class_vals[] = {
	{ 1, "IN" }, { 2, "CS" }, { 3, "CH" }, { 4, "HS" }, { 254, "NONE" }, { 255, "ANY" }, { 0, NULL },
};

static const struct tw_valstr optcode_vals[] = {
	{ 0, "Reserved" },
	{ 1, "LLQ - Long-lived query" },
	{ 2, "UL - Update lease" },
	{ 3, "NSID - Name Server Identifier" },
	{ 4, "Owner (reserved)" },
	{ 5, "DAU - DNSSEC Algorithm Understood (RFC6975)" },
	{ 6, "DHU - DS Hash Understood (RFC6975)" },
	{ 7, "N3U - NSEC3 Hash Understood (RFC6975)" },
	{ 8, "CSUBNET - Client subnet" },
	{ 9, "EDNS EXPIRE (RFC7314)" },
	{ 10, "COOKIE" },
	{ 11, "EDNS TCP Keepalive" },
	{ 12, "PADDING" },
	{ 13, "CHAIN" },
	{ 15, "Extended DNS Error" },
	{ 20730, "Experimental - CSUBNET - Client subnet" },
	{ 0, NULL },
};

#define TFS(name, f, t) static const struct tw_valstr name[] = { { 0, f }, { 1, t }, { 0, NULL } }
TFS(tfs_response, "Message is a query", "Message is a response");
TFS(tfs_authoritative, "Server is not an authority for domain", "Server is an authority for domain");
TFS(tfs_conflict_q, "None", "The sender received multiple responses");
TFS(tfs_conflict_r, "The name is considered unique", "The name is not considered unique");
TFS(tfs_truncated, "Message is not truncated", "Message is truncated");
TFS(tfs_recdesired, "Don't do query recursively", "Do query recursively");
TFS(tfs_tentative, "Not tentative", "Tentative");
TFS(tfs_recavail, "Server can't do recursive queries", "Server can do recursive queries");
TFS(tfs_z, "reserved (0)", "reserved - incorrect!");
TFS(tfs_authenticated, "Answer/authority portion was not authenticated by the server",
    "Answer/authority portion was authenticated by the server");
TFS(tfs_set, "Not set", "Set");
TFS(tfs_checkdisable, "Unacceptable", "Acceptable");
TFS(tfs_true, "False", "True");
TFS(tfs_do, "Cannot handle DNSSEC security RRs", "Accepts DNSSEC security RRs");

static const struct tw_field fields[F_COUNT] = {
	[F_DNS] = { "dns", "Domain Name System", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_MDNS] = { "mdns", "Multicast Domain Name System", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_LLMNR] = { "llmnr", "Link-local Multicast Name Resolution", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_LENGTH] = { "dns.length", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_ID] = { "dns.id", "Transaction ID", FT_U16, BASE_HEX, 0, NULL },
	[F_FLAGS] = { "dns.flags", "Flags", FT_U16, BASE_HEX, 0, NULL },
	[F_FL_RESPONSE] = { "dns.flags.response", "Response", FT_BOOL, 16, 0x8000, tfs_response },
	[F_FL_OPCODE] = { "dns.flags.opcode", "Opcode", FT_U16, BASE_DEC, 0x7800, opcode_vals },
	[F_FL_AUTHORITATIVE] = { "dns.flags.authoritative", "Authoritative", FT_BOOL, 16, 0x0400, tfs_authoritative },
	[F_FL_CONFLICT_Q] = { "dns.flags.conflict", "Conflict", FT_BOOL, 16, 0x0400, tfs_conflict_q },
	[F_FL_CONFLICT_R] = { "dns.flags.conflict", "Conflict", FT_BOOL, 16, 0x0400, tfs_conflict_r },
	[F_FL_TRUNCATED] = { "dns.flags.truncated", "Truncated", FT_BOOL, 16, 0x0200, tfs_truncated },
	[F_FL_RECDESIRED] = { "dns.flags.recdesired", "Recursion desired", FT_BOOL, 16, 0x0100, tfs_recdesired },
	[F_FL_TENTATIVE] = { "dns.flags.tentative", "Tentative", FT_BOOL, 16, 0x0100, tfs_tentative },
	[F_FL_RECAVAIL] = { "dns.flags.recavail", "Recursion available", FT_BOOL, 16, 0x0080, tfs_recavail },
	[F_FL_Z] = { "dns.flags.z", "Z", FT_BOOL, 16, 0x0040, tfs_z },
	[F_FL_AUTHENTICATED] = { "dns.flags.authenticated", "Answer authenticated", FT_BOOL, 16, 0x0020, tfs_authenticated },
	[F_FL_AD] = { "dns.flags.authenticated", "AD bit", FT_BOOL, 16, 0x0020, tfs_set },
	[F_FL_CHECKDISABLE] = { "dns.flags.checkdisable", "Non-authenticated data", FT_BOOL, 16, 0x0010, tfs_checkdisable },
	[F_FL_RCODE] = { "dns.flags.rcode", "Reply code", FT_U16, BASE_DEC, 0x000f, rcode_vals },
	[F_COUNT_QUERIES] = { "dns.count.queries", "Questions", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_ZONES] = { "dns.count.zones", "Zones", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_ANSWERS] = { "dns.count.answers", "Answer RRs", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_PREREQ] = { "dns.count.prerequisites", "Prerequisites", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_AUTH] = { "dns.count.auth_rr", "Authority RRs", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_UPDATES] = { "dns.count.updates", "Updates", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_ADD] = { "dns.count.add_rr", "Additional RRs", FT_U16, BASE_DEC, 0, NULL },
	[F_QRY_NAME] = { "dns.qry.name", "Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_QRY_NAME_LEN] = { "dns.qry.name.len", "Name Length", FT_U16, BASE_DEC, 0, NULL },
	[F_COUNT_LABELS] = { "dns.count.labels", "Label Count", FT_U16, BASE_DEC, 0, NULL },
	[F_QRY_TYPE] = { "dns.qry.type", "Type", FT_U16, BASE_DEC, 0, type_desc_vals },
	[F_QRY_CLASS] = { "dns.qry.class", "Class", FT_U16, BASE_HEX, 0, class_vals },
	[F_QRY_CLASS_MDNS] = { "dns.qry.class", "Class", FT_U16, BASE_HEX, 0x7fff, class_vals },
	[F_QRY_QU] = { "dns.qry.qu", "\"QU\" question", FT_BOOL, 16, 0x8000, tfs_true },
	[F_RESP_NAME] = { "dns.resp.name", "Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_RESP_TYPE] = { "dns.resp.type", "Type", FT_U16, BASE_DEC, 0, type_desc_vals },
	[F_RESP_CLASS] = { "dns.resp.class", "Class", FT_U16, BASE_HEX, 0, class_vals },
	[F_RESP_CLASS_MDNS] = { "dns.resp.class", "Class", FT_U16, BASE_HEX, 0x7fff, class_vals },
	[F_RESP_CACHE_FLUSH] = { "dns.resp.cache_flush", "Cache flush", FT_BOOL, 16, 0x8000, tfs_true },
	[F_RESP_TTL] = { "dns.resp.ttl", "Time to live", FT_U32, BASE_DEC, 0, NULL },
	[F_RESP_LEN] = { "dns.resp.len", "Data length", FT_U16, BASE_DEC, 0, NULL },
	[F_A] = { "dns.a", "Address", FT_IPV4, BASE_NONE, 0, NULL },
	[F_AAAA] = { "dns.aaaa", "AAAA Address", FT_IPV6, BASE_NONE, 0, NULL },
	[F_CNAME] = { "dns.cname", "CNAME", FT_STRING, BASE_NONE, 0, NULL },
	[F_NS] = { "dns.ns", "Name Server", FT_STRING, BASE_NONE, 0, NULL },
	[F_PTR] = { "dns.ptr.domain_name", "Domain Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_MX_PREF] = { "dns.mx.preference", "Preference", FT_U16, BASE_DEC, 0, NULL },
	[F_MX_EXCH] = { "dns.mx.mail_exchange", "Mail Exchange", FT_STRING, BASE_NONE, 0, NULL },
	[F_TXT_LEN] = { "dns.txt.length", "TXT Length", FT_U8, BASE_DEC, 0, NULL },
	[F_TXT] = { "dns.txt", "TXT", FT_STRING, BASE_NONE, 0, NULL },
	[F_SOA_MNAME] = { "dns.soa.mname", "Primary name server", FT_STRING, BASE_NONE, 0, NULL },
	[F_SOA_RNAME] = { "dns.soa.rname", "Responsible authority's mailbox", FT_STRING, BASE_NONE, 0, NULL },
	[F_SOA_SERIAL] = { "dns.soa.serial_number", "Serial Number", FT_U32, BASE_DEC, 0, NULL },
	[F_SOA_REFRESH] = { "dns.soa.refresh_interval", "Refresh Interval", FT_U32, BASE_DEC, 0, NULL },
	[F_SOA_RETRY] = { "dns.soa.retry_interval", "Retry Interval", FT_U32, BASE_DEC, 0, NULL },
	[F_SOA_EXPIRE] = { "dns.soa.expire_limit", "Expire limit", FT_U32, BASE_DEC, 0, NULL },
	[F_SOA_MINIMUM] = { "dns.soa.minimum_ttl", "Minimum TTL", FT_U32, BASE_DEC, 0, NULL },
	[F_SRV_SERVICE] = { "dns.srv.service", "Service", FT_STRING, BASE_NONE, 0, NULL },
	[F_SRV_PROTO] = { "dns.srv.proto", "Protocol", FT_STRING, BASE_NONE, 0, NULL },
	[F_SRV_NAME] = { "dns.srv.name", "Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_SRV_PRIORITY] = { "dns.srv.priority", "Priority", FT_U16, BASE_DEC, 0, NULL },
	[F_SRV_WEIGHT] = { "dns.srv.weight", "Weight", FT_U16, BASE_DEC, 0, NULL },
	[F_SRV_PORT] = { "dns.srv.port", "Port", FT_U16, BASE_DEC, 0, NULL },
	[F_SRV_TARGET] = { "dns.srv.target", "Target", FT_STRING, BASE_NONE, 0, NULL },
	[F_UDP_PAYLOAD_SIZE] = { "dns.rr.udp_payload_size", "UDP payload size", FT_U16, BASE_DEC, 0, NULL },
	[F_EXT_RCODE] = { "dns.resp.ext_rcode", "Higher bits in extended RCODE", FT_U8, BASE_HEX, 0, NULL },
	[F_EDNS0_VERSION] = { "dns.resp.edns0_version", "EDNS0 version", FT_U8, BASE_DEC, 0, NULL },
	[F_Z] = { "dns.resp.z", "Z", FT_U16, BASE_HEX, 0, NULL },
	[F_Z_DO] = { "dns.resp.z.do", "DO bit", FT_BOOL, 16, 0x8000, tfs_do },
	[F_Z_RESERVED] = { "dns.resp.z.reserved", "Reserved", FT_U16, BASE_HEX, 0x7fff, NULL },
	[F_OPT] = { "dns.opt", "Option", FT_NONE, BASE_NONE, 0, NULL },
	[F_OPT_CODE] = { "dns.opt.code", "Option Code", FT_U16, BASE_DEC, 0, optcode_vals },
	[F_OPT_LEN] = { "dns.opt.len", "Option Length", FT_U16, BASE_DEC, 0, NULL },
	[F_OPT_DATA] = { "dns.opt.data", "Option Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_OPT_COOKIE_CLIENT] = { "dns.opt.cookie.client", "Client Cookie", FT_BYTES, BASE_NONE, 0, NULL },
	[F_OPT_COOKIE_SERVER] = { "dns.opt.cookie.server", "Server Cookie", FT_BYTES, BASE_NONE, 0, NULL },
	[F_DATA] = { "dns.data", "Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_RESPONSE_IN] = { "dns.response_in", "Response In", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_RESPONSE_TO] = { "dns.response_to", "Request In", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_TIME] = { "dns.time", "Time", FT_RELTIME, BASE_NONE, 0, NULL },
	[F_RETRANSMIT_REQ_IN] = { "dns.retransmit_request_in", "Retransmitted request. Original request in", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_RETRANSMIT_RESP_IN] = { "dns.retransmit_response_in", "Retransmitted response. Original response in", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_RETRANSMISSION] = { "dns.retransmission", "Retransmission", FT_BOOL, 0, 0, tfs_true },
	[F_UNSOLICITED] = { "dns.unsolicited", "Unsolicited", FT_BOOL, 0, 0, tfs_true },
	[F_EXTRANEOUS_DATA] = { "dns.extraneous.data", "Extraneous Data Bytes", FT_BYTES, BASE_NONE, 0, NULL },
	[F_EXTRANEOUS_LEN] = { "dns.extraneous.length", "Extraneous Data Length", FT_I64, BASE_DEC, 0, NULL },
};
const struct tw_field_table dns_field_table = { fields, F_COUNT };

/* ---- query/response matching (built in the load pass) ------------------- */

enum { K_REQ, K_REQ_RETRANS, K_RESP, K_RESP_RETRANS, K_UNSOLICITED };

struct dns_trans {
	uint32_t conv;
	uint32_t req, rep;      /* frame numbers; rep 0 until answered */
	tw_time req_ts;
	uint32_t next;          /* older transaction in the same hash bucket */
	uint16_t id;
};

struct dns_rec {                /* one DNS message seen in the load pass */
	uint32_t frame;
	uint32_t trans;         /* UINT32_MAX: none (unsolicited) */
	uint16_t id;
	uint8_t kind;
};

struct dns_table {
	struct dns_trans *tr;
	uint32_t ntr, captr;
	uint32_t *bucket;       /* newest transaction of each chain */
	uint32_t nbucket;
	struct dns_rec *rec;    /* in frame order */
	size_t nrec, caprec;
};

#define DNS_NONE UINT32_MAX

void
dns_table_free(struct dns_table *t)
{
	if (!t)
		return;
	free(t->tr);
	free(t->bucket);
	free(t->rec);
	free(t);
}

static uint32_t
trans_hash(uint32_t conv, uint16_t id)
{
	uint32_t h = conv * 2654435761u ^ ((uint32_t)id * 40503u);
	return h ^ (h >> 15);
}

static struct dns_table *
table_get(struct tw_convs *cs)
{
	if (!cs->dns) {
		struct dns_table *t = xcalloc(1, sizeof *t);
		t->nbucket = 256;
		t->bucket = xmalloc(t->nbucket * sizeof *t->bucket);
		memset(t->bucket, 0xff, t->nbucket * sizeof *t->bucket);
		cs->dns = t;
	}
	return cs->dns;
}

/* The newest transaction of (conv, id), or DNS_NONE. */
static uint32_t
trans_latest(const struct dns_table *t, uint32_t conv, uint16_t id)
{
	for (uint32_t i = t->bucket[trans_hash(conv, id) & (t->nbucket - 1)]; i != DNS_NONE; i = t->tr[i].next)
		if (t->tr[i].conv == conv && t->tr[i].id == id)
			return i;
	return DNS_NONE;
}

static uint32_t
trans_add(struct dns_table *t, uint32_t conv, uint16_t id, uint32_t frame, tw_time ts)
{
	if (t->ntr == t->captr) {
		t->captr = t->captr ? t->captr * 2 : 64;
		t->tr = xreallocarray(t->tr, t->captr, sizeof *t->tr);
	}
	if (t->ntr >= t->nbucket * 2) {
		/* Grow; re-insert oldest first so the newest stays in front. */
		uint32_t nb = t->nbucket * 2;
		uint32_t *b = xmalloc(nb * sizeof *b);
		memset(b, 0xff, nb * sizeof *b);
		for (uint32_t i = 0; i < t->ntr; i++) {
			uint32_t h = trans_hash(t->tr[i].conv, t->tr[i].id) & (nb - 1);
			t->tr[i].next = b[h];
			b[h] = i;
		}
		free(t->bucket);
		t->bucket = b;
		t->nbucket = nb;
	}
	uint32_t i = t->ntr++;
	struct dns_trans *x = &t->tr[i];
	x->conv = conv;
	x->id = id;
	x->req = frame;
	x->rep = 0;
	x->req_ts = ts;
	uint32_t h = trans_hash(conv, id) & (t->nbucket - 1);
	x->next = t->bucket[h];
	t->bucket[h] = i;
	return i;
}

static void
rec_add(struct dns_table *t, uint32_t frame, uint16_t id, uint32_t trans, uint8_t kind)
{
	if (t->nrec == t->caprec) {
		t->caprec = t->caprec ? t->caprec * 2 : 64;
		t->rec = xreallocarray(t->rec, t->caprec, sizeof *t->rec);
	}
	t->rec[t->nrec++] = (struct dns_rec){ frame, trans, id, kind };
}

static const struct dns_rec *
rec_find(const struct dns_table *t, uint32_t frame, uint16_t id)
{
	size_t lo = 0, hi = t->nrec;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->rec[mid].frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nrec && t->rec[lo].frame == frame; lo++)
		if (t->rec[lo].id == id)
			return &t->rec[lo];
	return NULL;
}

/* Load pass: Wireshark 4.0's rules (packet-dns.c, dissect_dns_common). */
static void
track_first_pass(struct tw_dctx *c, uint32_t conv, uint16_t id, bool response)
{
	struct dns_table *t = table_get(c->convs);
	uint32_t num = c->pi.num;
	if (t->nrec && t->rec[t->nrec - 1].frame > num)
		return; /* frames out of order: the table is built once, in order */
	uint32_t i = trans_latest(t, conv, id);
	if (!response) {
		if (i == DNS_NONE || t->tr[i].rep != 0 || c->pi.ts - t->tr[i].req_ts >= DNS_RETRANS_NS) {
			i = trans_add(t, conv, id, num, c->pi.ts);
			rec_add(t, num, id, i, K_REQ);
		} else {
			rec_add(t, num, id, i, K_REQ_RETRANS);
		}
	} else if (i == DNS_NONE) {
		rec_add(t, num, id, DNS_NONE, K_UNSOLICITED);
	} else if (t->tr[i].rep == 0) {
		t->tr[i].rep = num;
		rec_add(t, num, id, i, K_RESP);
	} else {
		rec_add(t, num, id, i, K_RESP_RETRANS);
	}
}

/* ---- names ---------------------------------------------------------------- */

enum name_err {
	NAME_OK,
	NAME_TRUNC,       /* runs into bytes the capture does not have */
	NAME_PAST_END,    /* a label or pointer runs past the end of the message */
	NAME_LOOP,        /* a pointer at or after the labels it continues */
	NAME_FORWARD,     /* a pointer to a later offset */
	NAME_LABEL_TYPE,  /* label type 0x40 or 0x80 (reserved / obsolete) */
	NAME_TOO_LONG,    /* more than 255 octets or too many jumps */
};

struct dns_name {
	uint8_t raw[DNS_MAXNAME + 1]; /* value: labels joined by '.' */
	size_t rawlen;
	char disp[DNS_MAXNAME * 6 + 16]; /* escaped display text */
	size_t displen;
	size_t wirelen;       /* bytes of the name at its own position */
	bool extent_known;    /* wirelen is valid (the in-place part is intact) */
	uint8_t err;          /* enum name_err */
	size_t err_at, err_to;
	uint8_t err_byte;
	bool err_ptr;         /* NAME_PAST_END: a pointer, not a label */
};

static const char *
name_placeholder(uint8_t err, bool ptr)
{
	if (err == NAME_PAST_END && ptr)
		return "<Name contains a pointer past the end of the message>";
	switch (err) {
	case NAME_LOOP: return "<Name contains a pointer that loops>";
	case NAME_TOO_LONG: return "<Name too long>";
	case NAME_FORWARD: return "<Name contains a forward pointer>";
	case NAME_PAST_END: return "<Name runs past the end of the message>";
	case NAME_LABEL_TYPE: return "<Name contains a reserved label type>";
	default: return "<Name truncated>";
	}
}

/* The "[Malformed DNS name: ...]" explanation of a broken name. */
static void
name_explain(struct tw_tree *t, struct tw_node *n, const struct dns_name *nm)
{
	if (!t || !n)
		return;
	switch (nm->err) {
	case NAME_TRUNC:
		n->flags |= TW_NF_TRUNC;
		tree_expert(t, n, TW_SEV_WARN, "[Packet size limited during capture: DNS name]");
		return;
	case NAME_PAST_END:
		if (nm->err_ptr)
			tree_expert(t, n, TW_SEV_ERROR,
			            "[Malformed DNS name: compression pointer at offset %zu points past the end of the message (offset %zu)]",
			            nm->err_at, nm->err_to);
		else
			tree_expert(t, n, TW_SEV_ERROR,
			            "[Malformed DNS name: label at offset %zu runs past the end of the message]", nm->err_at);
		break;
	case NAME_LOOP:
		tree_expert(t, n, TW_SEV_ERROR,
		            "[Malformed DNS name: compression pointer at offset %zu to offset %zu loops]",
		            nm->err_at, nm->err_to);
		break;
	case NAME_FORWARD:
		tree_expert(t, n, TW_SEV_ERROR,
		            "[Malformed DNS name: compression pointer at offset %zu points forward to offset %zu]",
		            nm->err_at, nm->err_to);
		break;
	case NAME_LABEL_TYPE:
		tree_expert(t, n, TW_SEV_ERROR,
		            "[Malformed DNS name: reserved label type 0x%02x at offset %zu]", nm->err_byte, nm->err_at);
		break;
	case NAME_TOO_LONG:
		tree_expert(t, n, TW_SEV_ERROR, "[Malformed DNS name: longer than %d octets or %d compression jumps]",
		            DNS_MAXNAME, DNS_MAXJUMPS);
		break;
	default:
		return;
	}
	n->flags |= TW_NF_MALFORMED;
}

/* Append label bytes to the display text: sanitized, a dot as "\.". */
static void
disp_label(struct tw_sb *sb, const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		const uint8_t *dot = memchr(p + i, '.', n - i);
		size_t j = dot ? (size_t)(dot - p) : n;
		sb_add_escaped(sb, p + i, j - i);
		if (dot) {
			sb_addn(sb, "\\.", 2);
			j++;
		}
		i = j;
	}
}

/* Position a copy of the message cursor at message offset `at`. */
static struct tw_buf
msg_at(const struct tw_buf *msg, size_t at)
{
	struct tw_buf cur = *msg;
	cur.off = 0;
	cur.err = BUF_OK;
	buf_skip(&cur, at);
	return cur;
}

/*
 * Read the name at message offset `at`. msg is the whole message (offset 0
 * = the ID field), so compression pointers can be followed.
 */
static void
read_name(const struct tw_buf *msg, size_t at, struct dns_name *nm)
{
	struct tw_sb disp;
	sb_fixed(&disp, nm->disp, sizeof nm->disp);
	nm->rawlen = 0;
	nm->wirelen = 0;
	nm->extent_known = false;
	nm->err = NAME_OK;
	nm->err_at = nm->err_to = 0;
	nm->err_byte = 0;
	nm->err_ptr = false;

	struct tw_buf cur = msg_at(msg, at);
	size_t seg_start = at; /* where the labels being read began */
	size_t wire = 1;       /* octets of the expanded name, with the root label */
	unsigned jumps = 0;
	bool jumped = false;
	uint8_t err = NAME_OK;
	while (err == NAME_OK) {
		size_t here = cur.off;
		uint8_t len = buf_u8(&cur);
		if (!buf_ok(&cur)) {
			err = cur.err == BUF_TRUNC ? NAME_TRUNC : NAME_PAST_END;
			nm->err_at = here;
			break;
		}
		if (len == 0) {
			if (!jumped) {
				nm->wirelen = cur.off - at;
				nm->extent_known = true;
			}
			break;
		}
		switch (len & 0xc0) {
		case 0x00: {
			const uint8_t *p = buf_ptr(&cur, len);
			if (!p) {
				err = cur.err == BUF_TRUNC ? NAME_TRUNC : NAME_PAST_END;
				nm->err_at = here;
				break;
			}
			wire += (size_t)len + 1;
			if (wire > DNS_MAXNAME) {
				err = NAME_TOO_LONG;
				break;
			}
			if (nm->rawlen)
				nm->raw[nm->rawlen++] = '.';
			memcpy(nm->raw + nm->rawlen, p, len);
			nm->rawlen += len;
			if (disp.len)
				sb_addc(&disp, '.');
			disp_label(&disp, p, len);
			break;
		}
		case 0xc0: {
			uint8_t lo = buf_u8(&cur);
			if (!buf_ok(&cur)) {
				err = cur.err == BUF_TRUNC ? NAME_TRUNC : NAME_PAST_END;
				nm->err_at = here;
				break;
			}
			size_t target = ((size_t)(len & 0x3f) << 8) | lo;
			if (!jumped) {
				nm->wirelen = cur.off - at;
				nm->extent_known = true;
				jumped = true;
			}
			nm->err_at = here;
			nm->err_to = target;
			if (target >= msg->reported) {
				err = NAME_PAST_END;
				nm->err_ptr = true;
				break;
			}
			if (target >= seg_start) {
				err = target <= here ? NAME_LOOP : NAME_FORWARD;
				break;
			}
			if (++jumps > DNS_MAXJUMPS) {
				err = NAME_TOO_LONG;
				break;
			}
			seg_start = target;
			cur = msg_at(msg, target); /* target < here: always inside the message */
			break;
		}
		default:
			err = NAME_LABEL_TYPE;
			nm->err_at = here;
			nm->err_byte = len;
			break;
		}
	}
	if (err == NAME_TOO_LONG && !nm->extent_known) {
		/* Find where the name ends at its own position (no pointers followed). */
		struct tw_buf scan = msg_at(msg, at);
		for (;;) {
			uint8_t len = buf_u8(&scan);
			if (!buf_ok(&scan) || (len & 0xc0) == 0x40 || (len & 0xc0) == 0x80)
				break;
			if ((len & 0xc0) == 0xc0) {
				buf_u8(&scan);
				if (buf_ok(&scan)) {
					nm->wirelen = scan.off - at;
					nm->extent_known = true;
				}
				break;
			}
			if (len == 0) {
				nm->wirelen = scan.off - at;
				nm->extent_known = true;
				break;
			}
			if (!buf_skip(&scan, len))
				break;
		}
	}
	nm->err = err;
	if (err != NAME_OK && err != NAME_TRUNC) {
		const char *ph = name_placeholder(err, nm->err_ptr);
		nm->rawlen = strlen(ph);
		memcpy(nm->raw, ph, nm->rawlen);
		sb_reset(&disp);
		sb_adds(&disp, ph);
	} else if (err == NAME_OK && nm->rawlen == 0) {
		nm->rawlen = 6;
		memcpy(nm->raw, "<Root>", 6);
		sb_adds(&disp, "<Root>");
	}
	nm->displen = disp.len;
}

/* Add a name-valued field: value = the raw name, label = the escaped text. */
static struct tw_node *
add_name(struct tw_tree *t, struct tw_node *parent, int f, const struct tw_buf *m, size_t at,
         const struct dns_name *nm)
{
	if (!t || !parent)
		return NULL;
	size_t len = nm->extent_known ? nm->wirelen : (m->len > at ? m->len - at : 0);
	struct tw_node *n;
	if (nm->err == NAME_TRUNC) {
		/* No value: the name is not all there. */
		n = tree_add_text(t, parent, m, at, len, "%s: %s", fields[f].name, nm->disp);
	} else {
		n = tree_add(t, parent, &fields[f], m, at, len);
		node_set_bytes_copy(t, n, nm->raw, nm->rawlen);
		node_label(t, n, "%s: %s", fields[f].name, nm->disp);
	}
	name_explain(t, n, nm);
	return n;
}

/* Mark the message cursor failed with err (sticky, as a failed read does). */
static void
msg_fail(struct tw_buf *m, uint8_t err)
{
	if (m->err == BUF_OK)
		m->err = err;
	m->off = m->len;
}

/* Read a name at the cursor (message view m) and step over its own bytes. */
static bool
take_name(struct tw_buf *m, struct dns_name *nm)
{
	read_name(m, m->off, nm);
	if (!nm->extent_known) {
		msg_fail(m, nm->err == NAME_TRUNC ? BUF_TRUNC : BUF_MALFORMED);
		return false;
	}
	return buf_skip(m, nm->wirelen);
}

/* ---- formatting helpers --------------------------------------------------- */

/* Wireshark's unsigned_time_secs_to_str: "1 hour", "2 days, 3 minutes". */
static void
secs_str(struct tw_sb *sb, uint32_t s)
{
	static const char *const unit[] = { "day", "hour", "minute", "second" };
	uint32_t v[4] = { s / 86400, s / 3600 % 24, s / 60 % 60, s % 60 };
	if (s == 0) {
		sb_adds(sb, "0 seconds");
		return;
	}
	bool first = true;
	for (int i = 0; i < 4; i++) {
		if (!v[i])
			continue;
		sb_addf(sb, "%s%u %s%s", first ? "" : ", ", v[i], unit[i], v[i] == 1 ? "" : "s");
		first = false;
	}
}

/* A ".000 0... .... .... = " bit picture of a 16-bit field. */
static void
bits16(struct tw_sb *sb, uint16_t mask, uint16_t v)
{
	for (int i = 0; i < 16; i++) {
		int bit = 15 - i;
		if (i && i % 4 == 0)
			sb_addc(sb, ' ');
		sb_addc(sb, (mask >> bit) & 1 ? ((v >> bit) & 1 ? '1' : '0') : '.');
	}
	sb_adds(sb, " = ");
}

static const char *
type_short(uint16_t type, char *buf, size_t cap)
{
	const char *s = val_to_str(type, type_short_vals);
	if (s)
		return s;
	snprintf(buf, cap, "Unknown (%u)", type);
	return buf;
}

/* "Type: A (Host Address) (1)", or "Type: Unknown (65000)". */
static void
add_type(struct tw_tree *t, struct tw_node *parent, int f, const struct tw_buf *m, size_t at, uint16_t type)
{
	struct tw_node *n = tree_add_bits(t, parent, &fields[f], m, at, 2, type);
	if (n && !val_to_str(type, type_desc_vals))
		node_label(t, n, "Type: Unknown (%u)", type);
}

/* Class (plain) or Class + QU / cache-flush bit (mDNS). */
static void
add_class(struct tw_tree *t, struct tw_node *parent, bool mdns, int fplain, int fmdns, int fbit,
          const struct tw_buf *m, size_t at, uint16_t cls)
{
	if (!parent)
		return;
	if (!mdns) {
		struct tw_node *n = tree_add_bits(t, parent, &fields[fplain], m, at, 2, cls);
		if (!val_to_str(cls, class_vals))
			node_label(t, n, "Class: Unknown (0x%04x)", cls);
		return;
	}
	struct tw_node *n = tree_add_bits(t, parent, &fields[fmdns], m, at, 2, cls);
	if (!val_to_str(cls & 0x7fff, class_vals) && t->labels) {
		struct tw_sb sb;
		sb_heap(&sb);
		bits16(&sb, 0x7fff, cls);
		sb_addf(&sb, "Class: Unknown (0x%04x)", cls & 0x7fff);
		node_label(t, n, "%s", sb.s);
		sb_free(&sb);
	}
	tree_add_bits(t, parent, &fields[fbit], m, at, 2, cls);
}

static const char *
class_short(uint16_t cls)
{
	const char *s = val_to_str(cls, class_vals);
	return s ? s : "Unknown";
}

/* ---- questions and resource records --------------------------------------- */

struct dns_msg {
	struct tw_dctx *c;
	struct tw_tree *t;
	int flavor;
	bool info;            /* build the Info column */
	bool update;          /* opcode 5: zone/prerequisite/update sections */
	bool bad_rdata;       /* a record's data was malformed (the message goes on) */
};

static void
info_adds(struct dns_msg *d, const char *s)
{
	if (d->info)
		sb_adds(&d->c->pi.info, s);
}

static void TW_PRINTF(2, 3)
info_addf(struct dns_msg *d, const char *fmt, ...)
{
	if (!d->info)
		return;
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&d->c->pi.info, fmt, ap);
	va_end(ap);
}

static bool
dns_question(struct dns_msg *d, struct tw_buf *m, struct tw_node *sec)
{
	struct tw_tree *t = d->t;
	size_t at = m->off;
	struct dns_name nm;
	if (!take_name(m, &nm)) {
		struct tw_node *q = tree_add(t, sec, NULL, m, at, m->len > at ? m->len - at : 0);
		if (q)
			q->label = "Query";
		node_label(t, q, "%s", nm.disp);
		add_name(t, q, F_QRY_NAME, m, at, &nm);
		return false;
	}
	size_t tat = m->off;
	uint16_t type = buf_be16(m);
	uint16_t cls = buf_be16(m);
	bool mdns = d->flavor == DNS_MDNS;
	char tb[24];
	const char *ts = type_short(type, tb, sizeof tb);
	struct tw_node *q = tree_add(t, sec, NULL, m, at, m->off - at);
	if (q) {
		q->label = "Query";
		if (buf_ok(m))
			node_label(t, q, "%s: type %s, class %s%s", nm.disp, ts, class_short(mdns ? cls & 0x7fff : cls),
			           !mdns ? "" : cls & 0x8000 ? ", \"QU\" question" : ", \"QM\" question");
	}
	add_name(t, q, F_QRY_NAME, m, at, &nm);
	if (q && nm.err != NAME_TRUNC) {
		/* As Wireshark 4.0 counts: dots + 1, and a one-octet name as 0 / 0. */
		unsigned dots = 0;
		for (size_t i = 0; i < nm.rawlen; i++)
			dots += nm.raw[i] == '.';
		bool one = nm.rawlen == 1;
		node_set_u(tree_add_gen(t, q, &fields[F_QRY_NAME_LEN]), one ? 0 : nm.rawlen);
		node_set_u(tree_add_gen(t, q, &fields[F_COUNT_LABELS]), one ? 0 : dots + 1u);
	}
	if (!buf_ok(m)) {
		node_note_buf(t, q, m, "DNS query");
		return false;
	}
	add_type(t, q, F_QRY_TYPE, m, tat, type);
	add_class(t, q, mdns, F_QRY_CLASS, F_QRY_CLASS_MDNS, F_QRY_QU, m, tat + 2, cls);
	info_addf(d, " %s %s", ts, nm.disp);
	if (mdns)
		info_addf(d, ", \"%s\" question", cls & 0x8000 ? "QU" : "QM");
	return true;
}

/* A name inside RDATA: must end within the record data. */
static bool
rdata_name(struct tw_buf *m, size_t rd_base, struct tw_buf *rd, struct dns_name *nm)
{
	read_name(m, rd_base + rd->off, nm);
	if (!nm->extent_known) {
		msg_fail(rd, nm->err == NAME_TRUNC ? BUF_TRUNC : BUF_MALFORMED);
		return false;
	}
	return buf_skip(rd, nm->wirelen);
}

/* The RDATA of one record; appends to the record label (lb) and Info. */
static void
dns_rdata(struct dns_msg *d, struct tw_buf *m, size_t rd_base, struct tw_buf *rd, uint16_t rdlen,
          struct tw_node *rr, uint16_t type, struct tw_sb *lb)
{
	struct tw_tree *t = d->t;
	struct dns_name nm;
	size_t at = rd->off;
	switch (type) {
	case 1: /* A */
		if (rdlen == 4) {
			uint32_t a = buf_be32(rd);
			if (!buf_ok(rd))
				break;
			struct tw_node *n = tree_add(t, rr, &fields[F_A], rd, at, 4);
			node_set_u(n, a);
			char s[16];
			snprintf(s, sizeof s, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
			sb_addf(lb, ", addr %s", s);
			info_addf(d, " %s", s);
			return;
		}
		break;
	case 28: { /* AAAA */
		if (rdlen != 16)
			break;
		const uint8_t *p = buf_ptr(rd, 16);
		if (!p)
			break;
		struct tw_node *n = tree_add(t, rr, &fields[F_AAAA], rd, at, 16);
		node_set_bytes(n, p, 16);
		struct tw_sb s;
		char sbuf[64];
		sb_fixed(&s, sbuf, sizeof sbuf);
		fmt_ipv6(&s, p);
		sb_addf(lb, ", addr %s", sbuf);
		info_addf(d, " %s", sbuf);
		return;
	}
	case 2:  /* NS */
	case 5:  /* CNAME */
	case 12: /* PTR */
		if (!rdata_name(m, rd_base, rd, &nm)) {
			add_name(t, rr, type == 2 ? F_NS : type == 5 ? F_CNAME : F_PTR, m, rd_base + at, &nm);
			break;
		}
		add_name(t, rr, type == 2 ? F_NS : type == 5 ? F_CNAME : F_PTR, m, rd_base + at, &nm);
		sb_addf(lb, "%s%s", type == 2 ? ", ns " : type == 5 ? ", cname " : ", ", nm.disp);
		info_addf(d, " %s", nm.disp);
		return;
	case 15: { /* MX */
		uint16_t pref = tree_read_be16(t, rr, &fields[F_MX_PREF], rd);
		if (!buf_ok(rd))
			break;
		size_t nat = rd->off;
		bool ok = rdata_name(m, rd_base, rd, &nm);
		add_name(t, rr, F_MX_EXCH, m, rd_base + nat, &nm);
		if (!ok)
			break;
		sb_addf(lb, ", preference %u, mx %s", pref, nm.disp);
		info_addf(d, " %u %s", pref, nm.disp);
		return;
	}
	case 16: /* TXT */
		while (buf_ok(rd) && buf_reported_left(rd)) {
			size_t sat = rd->off;
			uint8_t n = buf_u8(rd);
			const uint8_t *p = buf_ptr(rd, n);
			if (!buf_ok(rd)) {
				struct tw_node *x = tree_add(t, rr, &fields[F_TXT_LEN], rd, sat, 1);
				node_set_u(x, n);
				break;
			}
			node_set_u(tree_add(t, rr, &fields[F_TXT_LEN], rd, sat, 1), n);
			node_set_bytes(tree_add(t, rr, &fields[F_TXT], rd, sat + 1, n), p, n);
		}
		if (!buf_ok(rd))
			break;
		return;
	case 6: { /* SOA */
		size_t nat = rd->off;
		bool ok = rdata_name(m, rd_base, rd, &nm);
		add_name(t, rr, F_SOA_MNAME, m, rd_base + nat, &nm);
		if (!ok)
			break;
		sb_addf(lb, ", mname %s", nm.disp);
		info_addf(d, " %s", nm.disp);
		struct dns_name rn;
		nat = rd->off;
		ok = rdata_name(m, rd_base, rd, &rn);
		add_name(t, rr, F_SOA_RNAME, m, rd_base + nat, &rn);
		if (!ok)
			break;
		tree_read_be32(t, rr, &fields[F_SOA_SERIAL], rd);
		static const int iv[] = { F_SOA_REFRESH, F_SOA_RETRY, F_SOA_EXPIRE, F_SOA_MINIMUM };
		for (size_t i = 0; i < ARRAY_SIZE(iv); i++) {
			size_t vat = rd->off;
			uint32_t v = buf_be32(rd);
			if (!buf_ok(rd))
				break;
			struct tw_node *n = tree_add_bits(t, rr, &fields[iv[i]], rd, vat, 4, v);
			if (n && t->labels) {
				struct tw_sb sb;
				sb_heap(&sb);
				secs_str(&sb, v);
				node_label(t, n, "%s: %u (%s)", fields[iv[i]].name, v, sb.s);
				sb_free(&sb);
			}
		}
		if (!buf_ok(rd))
			break;
		return;
	}
	case 33: { /* SRV */
		uint16_t prio = tree_read_be16(t, rr, &fields[F_SRV_PRIORITY], rd);
		uint16_t weight = tree_read_be16(t, rr, &fields[F_SRV_WEIGHT], rd);
		uint16_t port = tree_read_be16(t, rr, &fields[F_SRV_PORT], rd);
		if (!buf_ok(rd))
			break;
		size_t nat = rd->off;
		bool ok = rdata_name(m, rd_base, rd, &nm);
		add_name(t, rr, F_SRV_TARGET, m, rd_base + nat, &nm);
		if (!ok)
			break;
		sb_addf(lb, ", priority %u, weight %u, port %u, target %s", prio, weight, port, nm.disp);
		info_addf(d, " %u %u %u %s", prio, weight, port, nm.disp);
		return;
	}
	case 41: /* OPT: options */
		while (buf_ok(rd) && buf_reported_left(rd)) {
			size_t oat = rd->off;
			uint16_t code = buf_be16(rd);
			uint16_t olen = buf_be16(rd);
			const uint8_t *p = buf_ok(rd) ? buf_ptr(rd, olen) : NULL;
			struct tw_node *o = tree_add(t, rr, &fields[F_OPT], rd, oat, (size_t)olen + 4);
			char ub[24];
			node_label(t, o, "Option: %s", val_to_str_unk(code, optcode_vals, ub, sizeof ub));
			tree_add_bits(t, o, &fields[F_OPT_CODE], rd, oat, 2, code);
			tree_add_bits(t, o, &fields[F_OPT_LEN], rd, oat + 2, 2, olen);
			if (!buf_ok(rd)) {
				node_note_buf(t, o, rd, "EDNS option");
				break;
			}
			if (olen)
				node_set_bytes(tree_add(t, o, &fields[F_OPT_DATA], rd, oat + 4, olen), p, olen);
			if (code == 10 && olen >= 8) { /* COOKIE (RFC 7873): client, then server */
				node_set_bytes(tree_add(t, o, &fields[F_OPT_COOKIE_CLIENT], rd, oat + 4, 8), p, 8);
				struct tw_node *sv = tree_add(t, o, &fields[F_OPT_COOKIE_SERVER], rd, oat + 12, olen - 8u);
				if (olen > 8)
					node_set_bytes(sv, p + 8, olen - 8u);
				else
					node_label(t, sv, "Server Cookie: <MISSING>");
			}
		}
		if (!buf_ok(rd))
			break;
		return;
	default:
		break;
	}
	if (!buf_ok(rd)) {
		node_note_buf(t, rr, rd, "DNS record data");
		return;
	}
	/* Unparsed (type not decoded, or a length that does not fit the type). */
	size_t n = buf_left(rd);
	if (n) {
		const uint8_t *p = buf_ptr(rd, n);
		node_set_bytes(tree_add(t, rr, &fields[F_DATA], rd, at, n), p, n);
	}
	if (buf_reported_left(rd) && !buf_skip(rd, buf_reported_left(rd)))
		node_note_buf(t, rr, rd, "DNS record data");
	if ((type == 1 || type == 28) && rdlen != (type == 1 ? 4u : 16u))
		tree_expert(t, rr, TW_SEV_ERROR, "[Malformed DNS record: %s data length %u, expected %u]",
		            type == 1 ? "A" : "AAAA", rdlen, type == 1 ? 4u : 16u);
}

static bool
dns_rr(struct dns_msg *d, struct tw_buf *m, struct tw_node *sec)
{
	struct tw_tree *t = d->t;
	size_t at = m->off;
	struct dns_name nm;
	bool named = take_name(m, &nm);
	size_t tat = m->off;
	uint16_t type = buf_be16(m);
	uint16_t cls = buf_be16(m);
	uint32_t ttl = buf_be32(m);
	uint16_t rdlen = buf_be16(m);
	struct tw_node *rr = tree_add(t, sec, NULL, m, at, 0);
	if (rr)
		rr->label = "Record";
	if (!buf_ok(m)) {
		/* The name or the fixed part is cut short. */
		node_end_here(rr, m);
		if (named && rr && t->labels)
			node_label(t, rr, "%s", nm.disp);
		add_name(t, rr, F_RESP_NAME, m, at, &nm);
		node_note_buf(t, rr, m, "DNS record");
		return false;
	}
	size_t rd_base = m->off;
	struct tw_buf rd = buf_sub(m, rdlen);
	bool mdns = d->flavor == DNS_MDNS;
	char tb[24];
	const char *ts = type_short(type, tb, sizeof tb);
	struct tw_sb lb;
	char lbuf[sizeof nm.disp * 2 + 256];
	sb_fixed(&lb, lbuf, sizeof lbuf);
	sb_addf(&lb, "%s: type %s", nm.disp, ts);
	if (type != 41)
		sb_addf(&lb, ", class %s%s", class_short(mdns ? cls & 0x7fff : cls),
		        mdns && (cls & 0x8000) ? ", cache flush" : "");

	if (type == 33 && nm.err == NAME_OK && rr) {
		/* SRV owner names are shown split: _service._proto.name */
		static const int sf[] = { F_SRV_SERVICE, F_SRV_PROTO, F_SRV_NAME };
		const uint8_t *p = nm.raw, *e = nm.raw + nm.rawlen;
		const char *dp = nm.disp, *de = nm.disp + nm.displen;
		for (size_t i = 0; i < 3; i++) {
			const uint8_t *dot = i < 2 ? memchr(p, '.', (size_t)(e - p)) : NULL;
			const uint8_t *q = dot ? dot : e;
			/* The display text splits at the same label, skipping escapes. */
			const char *dq = dp;
			while (i < 2 && dq < de && *dq != '.')
				dq += *dq == '\\' && dq + 1 < de ? 2 : 1;
			if (i == 2)
				dq = de;
			struct tw_node *n = tree_add(t, rr, &fields[sf[i]], m, at, nm.wirelen);
			node_set_bytes_copy(t, n, p, (size_t)(q - p));
			node_label(t, n, "%s: %.*s", fields[sf[i]].name, (int)(dq - dp), dp);
			if (!dot)
				break;
			p = dot + 1;
			dp = dq < de ? dq + 1 : de;
		}
	} else {
		add_name(t, rr, F_RESP_NAME, m, at, &nm);
	}
	add_type(t, rr, F_RESP_TYPE, m, tat, type);
	if (type == 41) {
		tree_add_bits(t, rr, &fields[F_UDP_PAYLOAD_SIZE], m, tat + 2, 2, cls);
		tree_add_bits(t, rr, &fields[F_EXT_RCODE], m, tat + 4, 1, ttl >> 24);
		tree_add_bits(t, rr, &fields[F_EDNS0_VERSION], m, tat + 5, 1, (ttl >> 16) & 0xff);
		struct tw_node *z = tree_add_bits(t, rr, &fields[F_Z], m, tat + 6, 2, ttl & 0xffff);
		tree_add_bits(t, z, &fields[F_Z_DO], m, tat + 6, 2, ttl & 0xffff);
		tree_add_bits(t, z, &fields[F_Z_RESERVED], m, tat + 6, 2, ttl & 0xffff);
	} else {
		add_class(t, rr, mdns, F_RESP_CLASS, F_RESP_CLASS_MDNS, F_RESP_CACHE_FLUSH, m, tat + 2, cls);
		struct tw_node *n = tree_add_bits(t, rr, &fields[F_RESP_TTL], m, tat + 4, 4, ttl);
		if (n && t->labels) {
			struct tw_sb sb;
			sb_heap(&sb);
			secs_str(&sb, ttl);
			node_label(t, n, "Time to live: %u (%s)", ttl, sb.s);
			sb_free(&sb);
		}
		if (ttl & 0x80000000u)
			tree_expert(t, n, TW_SEV_WARN, "The uppermost bit of the TTL is set (RFC 2181, section 8)");
	}
	tree_add_bits(t, rr, &fields[F_RESP_LEN], m, tat + 8, 2, rdlen);

	info_addf(d, " %s", ts);
	if (mdns && type != 41 && (cls & 0x8000))
		info_adds(d, ", cache flush");
	dns_rdata(d, m, rd_base, &rd, rdlen, rr, type, &lb);
	node_end_here(rr, m);
	if (rr && t->labels)
		rr->label = arena_strndup(t->arena, lbuf, lb.len);
	if (m->err == BUF_MALFORMED) {
		tree_expert(t, rr, TW_SEV_ERROR,
		            "[Malformed DNS record: data length %u runs past the end of the message]", rdlen);
		return false;
	}
	if (!buf_ok(m)) {
		node_note_buf(t, rr, m, "DNS record");
		return false;
	}
	/* RDLENGTH delimits the record: after bad data the next record is still found. */
	if (rd.err == BUF_MALFORMED)
		d->bad_rdata = true;
	return true;
}

/* ---- the message ---------------------------------------------------------- */

static const struct tw_field *
proto_field(int flavor)
{
	return &fields[flavor == DNS_MDNS ? F_MDNS : flavor == DNS_LLMNR ? F_LLMNR : F_DNS];
}

static void
show_matching(struct dns_msg *d, struct tw_node *dns, struct tw_node *idn, uint16_t id)
{
	struct tw_dctx *c = d->c;
	struct tw_tree *t = d->t;
	if (!dns || !c->convs || !c->convs->dns || c->pi.in_error)
		return;
	const struct dns_table *tb = c->convs->dns;
	const struct dns_rec *r = rec_find(tb, c->pi.num, id);
	if (!r)
		return;
	const struct dns_trans *x = r->trans != DNS_NONE ? &tb->tr[r->trans] : NULL;
	switch (r->kind) {
	case K_REQ:
		if (x && x->rep)
			node_set_u(tree_add_gen(t, dns, &fields[F_RESPONSE_IN]), x->rep);
		else if (d->flavor == DNS_PLAIN)
			tree_expert(t, dns, TW_SEV_NOTE, "No response seen to this DNS query");
		break;
	case K_REQ_RETRANS:
		tree_expert(t, idn, TW_SEV_WARN, "DNS query retransmission. Original request in frame %u", x->req);
		node_set_u(tree_add_gen(t, dns, &fields[F_RETRANSMIT_REQ_IN]), x->req);
		node_set_u(tree_add_gen(t, dns, &fields[F_RETRANSMISSION]), 1);
		break;
	case K_RESP:
		node_set_u(tree_add_gen(t, dns, &fields[F_RESPONSE_TO]), x->req);
		node_set_i(tree_add_gen(t, dns, &fields[F_TIME]), c->pi.ts - x->req_ts);
		break;
	case K_RESP_RETRANS:
		tree_expert(t, idn, TW_SEV_WARN, "DNS response retransmission. Original response in frame %u", x->rep);
		node_set_u(tree_add_gen(t, dns, &fields[F_RETRANSMIT_RESP_IN]), x->rep);
		node_set_u(tree_add_gen(t, dns, &fields[F_RETRANSMISSION]), 1);
		break;
	case K_UNSOLICITED:
		node_set_u(tree_add_gen(t, dns, &fields[F_UNSOLICITED]), 1);
		break;
	default:
		break;
	}
}

/*
 * One DNS message in m (offset 0 = the ID); dns is the protocol node
 * (already covering the message, and the TCP length prefix if any).
 */
static void
dns_message(struct tw_dctx *c, struct tw_buf *m, struct tw_node *dns, int flavor)
{
	struct tw_tree *t = c->tree;
	struct tw_pinfo *pi = &c->pi;
	struct dns_msg d = { c, t, flavor, !pi->in_error && !c->first_pass, false, false };

	if (!pi->in_error) {
		static const char *const pnames[] = { "DNS", "MDNS", "LLMNR" };
		static const uint8_t pids[] = { PROTO_DNS, PROTO_MDNS, PROTO_LLMNR };
		col_set_proto(c, pnames[flavor], pids[flavor]);
		col_clear_info(c);
	}
	uint16_t id = buf_be16(m);
	uint16_t flags = buf_be16(m);
	bool have_flags = buf_ok(m);
	if (!have_flags) {
		/* Not even an ID and flags. */
		if (dns) {
			node_label(t, dns, "%s", proto_field(flavor)->name);
			if (!pi->in_error)
				node_note_buf(t, dns, m, "DNS header");
		}
		if (d.info)
			sb_adds(&pi->info, m->err == BUF_TRUNC ? "[Packet size limited during capture]" : "[Malformed Packet]");
		return;
	}
	bool response = flags & F_RESPONSE;
	unsigned opcode = (flags & F_OPCODE) >> 11;
	unsigned rcode = flags & 0xf;
	d.update = opcode == 5;

	/* Matching: record in the load pass; nothing else is needed then. */
	uint32_t conv = c->frame ? c->frame->conv : CONV_NONE;
	if (c->first_pass) {
		if (!pi->in_error && c->convs && conv != CONV_NONE)
			track_first_pass(c, conv, id, response);
		return;
	}

	if (d.info) {
		const char *op = val_to_str(opcode, opcode_vals);
		if (op)
			sb_adds(&pi->info, op);
		else
			sb_addf(&pi->info, "Unknown operation (%u)", opcode);
		sb_addf(&pi->info, "%s 0x%04x", response ? " response" : "", id);
		if (response && rcode) {
			const char *rc = val_to_str(rcode, rcode_vals);
			if (rc)
				sb_addf(&pi->info, " %s", rc);
			else
				sb_addf(&pi->info, " Unknown error (%u)", rcode);
		}
	}
	node_label(t, dns, "%s (%s)", proto_field(flavor)->name, response ? "response" : "query");

	struct tw_node *idn = tree_add_bits(t, dns, &fields[F_ID], m, 0, 2, id);
	struct tw_node *fl = tree_add_bits(t, dns, &fields[F_FLAGS], m, 2, 2, flags);
	if (fl && t->labels) {
		const char *op = val_to_str(opcode, opcode_vals);
		const char *rc = val_to_str(rcode, rcode_vals);
		if (response)
			node_label(t, fl, "Flags: 0x%04x %s response, %s", flags, op ? op : "Unknown operation",
			           rc ? rc : "Unknown error");
		else
			node_label(t, fl, "Flags: 0x%04x %s", flags, op ? op : "Unknown operation");
	}
	if (fl) {
		tree_add_bits(t, fl, &fields[F_FL_RESPONSE], m, 2, 2, flags);
		struct tw_node *n = tree_add_bits(t, fl, &fields[F_FL_OPCODE], m, 2, 2, flags);
		if (!val_to_str(opcode, opcode_vals) && t->labels) {
			struct tw_sb sb;
			sb_heap(&sb);
			bits16(&sb, F_OPCODE, flags);
			sb_addf(&sb, "Opcode: Unknown (%u)", opcode);
			node_label(t, n, "%s", sb.s);
			sb_free(&sb);
		}
		if (flavor == DNS_LLMNR) {
			tree_add_bits(t, fl, &fields[response ? F_FL_CONFLICT_R : F_FL_CONFLICT_Q], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_TRUNCATED], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_TENTATIVE], m, 2, 2, flags);
		} else {
			if (response)
				tree_add_bits(t, fl, &fields[F_FL_AUTHORITATIVE], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_TRUNCATED], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_RECDESIRED], m, 2, 2, flags);
			if (response)
				tree_add_bits(t, fl, &fields[F_FL_RECAVAIL], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_Z], m, 2, 2, flags);
			if (response)
				tree_add_bits(t, fl, &fields[F_FL_AUTHENTICATED], m, 2, 2, flags);
			else if (flags & F_AUTHENTIC)
				tree_add_bits(t, fl, &fields[F_FL_AD], m, 2, 2, flags);
			tree_add_bits(t, fl, &fields[F_FL_CHECKDISABLE], m, 2, 2, flags);
		}
		if (response) {
			n = tree_add_bits(t, fl, &fields[F_FL_RCODE], m, 2, 2, flags);
			if (!val_to_str(rcode, rcode_vals) && t->labels) {
				struct tw_sb sb;
				sb_heap(&sb);
				bits16(&sb, 0x000f, flags);
				sb_addf(&sb, "Reply code: Unknown (%u)", rcode);
				node_label(t, n, "%s", sb.s);
				sb_free(&sb);
			}
			if (rcode && !pi->in_error) {
				const char *rc = val_to_str(rcode, rcode_vals);
				const char *mn = val_to_str(rcode, rcode_mnemonics);
				tree_expert(t, n, TW_SEV_WARN, "DNS error response: %s%s%s%s", rc ? rc : "Unknown error",
				            mn ? " (" : "", mn ? mn : "", mn ? ")" : "");
			}
		}
	}

	static const int cf[2][4] = {
		{ F_COUNT_QUERIES, F_COUNT_ANSWERS, F_COUNT_AUTH, F_COUNT_ADD },
		{ F_COUNT_ZONES, F_COUNT_PREREQ, F_COUNT_UPDATES, F_COUNT_ADD },
	};
	uint16_t count[4] = { 0, 0, 0, 0 };
	for (int i = 0; i < 4 && buf_need(m, 2); i++)
		count[i] = tree_read_be16(t, dns, &fields[cf[d.update][i]], m);

	static const char *const secname[2][4] = {
		{ "Queries", "Answers", "Authoritative nameservers", "Additional records" },
		{ "Zone", "Prerequisites", "Updates", "Additional records" },
	};
	for (int s = 0; s < 4 && buf_ok(m); s++) {
		if (!count[s])
			continue;
		size_t sat = m->off;
		struct tw_node *sec = tree_add(t, dns, NULL, m, sat, 0);
		if (sec)
			sec->label = secname[d.update][s];
		for (unsigned i = 0; i < count[s]; i++) {
			bool ok = s == 0 ? dns_question(&d, m, sec) : dns_rr(&d, m, sec);
			if (!ok)
				break;
		}
		node_end_here(sec, m);
	}

	if (!pi->in_error && buf_ok(m))
		show_matching(&d, dns, idn, id);

	if (!buf_ok(m)) {
		if (!pi->in_error)
			node_note_buf(t, dns, m, flavor == DNS_MDNS ? "MDNS" : flavor == DNS_LLMNR ? "LLMNR" : "DNS");
		if (d.info)
			sb_adds(&pi->info, m->err == BUF_TRUNC ? "[Packet size limited during capture]" : "[Malformed Packet]");
		return;
	}
	if (d.bad_rdata && d.info)
		sb_adds(&pi->info, "[Malformed Packet]");
	size_t extra = buf_reported_left(m);
	if (extra && !pi->in_error) {
		size_t xat = m->off;
		struct tw_node *x = tree_add(t, dns, NULL, m, xat, extra);
		node_label(t, x, "Extraneous Data (%zu bytes)", extra);
		if (x && !t->labels)
			x->label = "Extraneous Data";
		size_t have = buf_left(m);
		const uint8_t *xp = buf_ptr(m, have);
		struct tw_node *xd = tree_add(t, x, &fields[F_EXTRANEOUS_DATA], m, xat, have);
		node_set_bytes(xd, xp, have);
		node_set_i(tree_add_gen(t, x, &fields[F_EXTRANEOUS_LEN]), (int64_t)extra);
		tree_expert(t, x, TW_SEV_NOTE, "Extraneous data after the DNS message (%zu bytes)", extra);
	}
}

static void
dns_udp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, int flavor)
{
	static const char *const layer[] = { "dns", "mdns", "llmnr" };
	col_add_proto_layer(c, layer[flavor]);
	struct tw_buf m = buf_rest(b);
	struct tw_node *dns = tree_add(c->tree, parent, proto_field(flavor), &m, 0, m.reported);
	dns_message(c, &m, dns, flavor);
}

void
dis_dns(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	dns_udp(c, b, parent, DNS_PLAIN);
}

void
dis_mdns(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	dns_udp(c, b, parent, DNS_MDNS);
}

void
dis_llmnr(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	dns_udp(c, b, parent, DNS_LLMNR);
}

void
dis_dns_tcp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "dns");
	size_t start = b->off;
	uint16_t len = buf_peek_be16(b, 0);
	bool have_len = buf_has(b, 2);
	struct tw_node *dns = tree_add(t, parent, &fields[F_DNS], b, start, have_len ? (size_t)len + 2 : buf_left(b));
	tree_read_be16(t, dns, &fields[F_LENGTH], b);
	if (!buf_ok(b)) {
		node_label(t, dns, "Domain Name System");
		if (!c->pi.in_error) {
			col_set_proto(c, "DNS", PROTO_DNS);
			node_note_buf(t, dns, b, "DNS length");
		}
		return;
	}
	struct tw_buf m = buf_sub(b, len);
	if (!buf_ok(b) && !c->pi.in_error && !c->first_pass)
		node_note_buf(t, dns, b, "DNS length runs past the data");
	dns_message(c, &m, dns, DNS_PLAIN);
}

/*
 * Wireshark's DNS heuristic for UDP payloads on ports no dissector claims
 * (packet-dns.c, dissect_dns_heur): a standard query with one question, or
 * a standard response with small counts, long enough for its counts.
 */
bool
dis_dns_heur(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	if (buf_reported_left(b) <= DNS_HDRLEN || !buf_has(b, DNS_HDRLEN))
		return false;
	uint16_t flags = buf_peek_be16(b, 2);
	uint16_t qd = buf_peek_be16(b, 4), an = buf_peek_be16(b, 6);
	uint16_t ns = buf_peek_be16(b, 8), ar = buf_peek_be16(b, 10);
	if (flags & F_OPCODE)
		return false;
	if (!(flags & F_RESPONSE)) {
		if (qd != 1 || an != 0 || ns != 0)
			return false;
	} else if (qd > 1 || an > 100 || ns > 10) {
		return false;
	}
	if (ar > 10 || qd + an == 0)
		return false;
	if ((size_t)qd * 6 + ((size_t)an + ns + ar) * 11 > buf_reported_left(b) - DNS_HDRLEN)
		return false;
	dis_dns(c, b, parent);
	return true;
}
