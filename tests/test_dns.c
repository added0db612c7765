/*
 * test_dns.c - the DNS dissector (src/core/dissect/dns.c).
 *
 * Part 1: hand-built messages (RFC 1035 wire format written byte by byte
 * here, names compressed by hand): decoded values, tree labels, the Info
 * column as tshark 4.0 prints it, UDP/TCP/mDNS/LLMNR dispatch and the
 * query/response matching of the load pass.
 * Part 2: hostile input: every truncation of every message (as a snaplen
 * cut and as a message that ends early), lying counts and lengths, and
 * broken names (loops, forward pointers, pointers past the end, reserved
 * label types, names over 255 octets, endless pointer chains). Each case is
 * dissected from a heap copy of exactly the bytes given, so the sanitizer
 * build catches any read past them; every node's byte range must lie
 * within those bytes.
 */
#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/field.h"

/* ---- building messages -------------------------------------------------- */

struct msg {
	uint8_t p[2048];
	size_t n;
};

static void m_u8(struct msg *m, uint8_t v) { m->p[m->n++] = v; }
static void m_u16(struct msg *m, uint16_t v) { tu_be16(m->p + m->n, v); m->n += 2; }
static void m_u32(struct msg *m, uint32_t v) { tu_be32(m->p + m->n, v); m->n += 4; }
static void m_raw(struct msg *m, const void *p, size_t n) { memcpy(m->p + m->n, p, n); m->n += n; }

static void
m_hdr(struct msg *m, uint16_t id, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns, uint16_t ar)
{
	m->n = 0;
	m_u16(m, id);
	m_u16(m, flags);
	m_u16(m, qd);
	m_u16(m, an);
	m_u16(m, ns);
	m_u16(m, ar);
}

/* Labels of a dotted name; terminated by a root label unless ptr >= 0 (then a pointer). */
static size_t
m_name_ptr(struct msg *m, const char *dotted, int ptr)
{
	size_t at = m->n;
	const char *s = dotted;
	while (*s) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		m_u8(m, (uint8_t)l);
		m_raw(m, s, l);
		s += l;
		if (*s == '.')
			s++;
	}
	if (ptr >= 0)
		m_u16(m, (uint16_t)(0xc000 | ptr));
	else
		m_u8(m, 0);
	return at;
}

static size_t m_name(struct msg *m, const char *dotted) { return m_name_ptr(m, dotted, -1); }
static size_t m_ptr(struct msg *m, uint16_t off) { size_t at = m->n; m_u16(m, (uint16_t)(0xc000 | off)); return at; }

/* Type, class, TTL and a RDLENGTH to be patched by rr_end. */
static size_t
rr_begin(struct msg *m, uint16_t type, uint16_t cls, uint32_t ttl)
{
	m_u16(m, type);
	m_u16(m, cls);
	m_u32(m, ttl);
	size_t at = m->n;
	m_u16(m, 0);
	return at;
}

static void rr_end(struct msg *m, size_t at) { tu_be16(m->p + at, (uint16_t)(m->n - at - 2)); }

static void
rr_a(struct msg *m, uint32_t ttl, uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	size_t r = rr_begin(m, 1, 1, ttl);
	m_u8(m, a);
	m_u8(m, b);
	m_u8(m, c);
	m_u8(m, d);
	rr_end(m, r);
}

/* The query of the brief: A crl.pki.example.test. */
static void
msg_query(struct msg *m)
{
	m_hdr(m, 0x771f, 0x0100, 1, 0, 0, 0);
	m_name(m, "crl.pki.example.test");
	m_u16(m, 1);
	m_u16(m, 1);
}

/* Its answer: a CNAME chain with compressed names. */
static void
msg_cname(struct msg *m)
{
	m_hdr(m, 0x771f, 0x8180, 1, 2, 0, 0);
	m_name(m, "crl.pki.example.test"); /* at 12; "test" at 28 */
	m_u16(m, 1);
	m_u16(m, 1);
	m_ptr(m, 12);
	size_t r = rr_begin(m, 5, 1, 3600);
	size_t cname = m_name_ptr(m, "crl.pki.cdn", 28); /* crl.pki.cdn.test */
	rr_end(m, r);
	m_ptr(m, (uint16_t)cname);
	rr_a(m, 60, 10, 77, 0, 2);
}

/* A response with every decoded type. */
static void
msg_types(struct msg *m)
{
	m_hdr(m, 0x1234, 0x8580, 1, 8, 1, 2);
	m_name(m, "ex.test"); /* at 12 */
	m_u16(m, 255);
	m_u16(m, 1);
	size_t r;
	/* AAAA */
	m_ptr(m, 12);
	r = rr_begin(m, 28, 1, 60);
	m_raw(m, (const uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, 16);
	rr_end(m, r);
	/* MX 10 mail.ex.test */
	m_ptr(m, 12);
	r = rr_begin(m, 15, 1, 60);
	m_u16(m, 10);
	m_name_ptr(m, "mail", 12);
	rr_end(m, r);
	/* TXT "hello" "" "w\x01" */
	m_ptr(m, 12);
	r = rr_begin(m, 16, 1, 60);
	m_raw(m, "\x05hello\x00\x02w\x01", 10);
	rr_end(m, r);
	/* SRV 1 2 5060 sip.ex.test, owner _sip._udp.ex.test */
	m_name_ptr(m, "_sip._udp", 12);
	r = rr_begin(m, 33, 1, 60);
	m_u16(m, 1);
	m_u16(m, 2);
	m_u16(m, 5060);
	m_name_ptr(m, "sip", 12);
	rr_end(m, r);
	/* NS */
	m_ptr(m, 12);
	r = rr_begin(m, 2, 1, 86400);
	m_name_ptr(m, "ns1", 12);
	rr_end(m, r);
	/* PTR */
	m_ptr(m, 12);
	r = rr_begin(m, 12, 1, 60);
	m_name_ptr(m, "host", 12);
	rr_end(m, r);
	/* unknown type 65000 */
	m_ptr(m, 12);
	r = rr_begin(m, 65000, 1, 60);
	m_raw(m, "\x01\x02\x03", 3);
	rr_end(m, r);
	/* CNAME to the root */
	m_ptr(m, 12);
	r = rr_begin(m, 5, 1, 0);
	m_u8(m, 0);
	rr_end(m, r);
	/* authority: SOA */
	m_ptr(m, 12);
	r = rr_begin(m, 6, 1, 3600);
	m_name_ptr(m, "ns1", 12);
	m_name_ptr(m, "hostmaster", 12);
	m_u32(m, 2024010101);
	m_u32(m, 7200);
	m_u32(m, 3600);
	m_u32(m, 1209600);
	m_u32(m, 300);
	rr_end(m, r);
	/* additional: OPT (4096, DO, cookie option), then an A with the TTL's top bit set */
	m_u8(m, 0);
	r = rr_begin(m, 41, 4096, 0x00008000);
	m_u16(m, 10);
	m_u16(m, 8);
	m_raw(m, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
	rr_end(m, r);
	m_ptr(m, 12);
	rr_a(m, 0x80000001u, 10, 0, 0, 1);
}

static void
msg_nxdomain(struct msg *m)
{
	m_hdr(m, 0xabcd, 0x8183, 1, 0, 1, 0);
	m_name(m, "nope.example.test"); /* "example.test" at 17 */
	m_u16(m, 1);
	m_u16(m, 1);
	m_ptr(m, 17);
	size_t r = rr_begin(m, 6, 1, 60);
	m_name_ptr(m, "ns", 17);
	m_name_ptr(m, "h", 17);
	for (int i = 1; i <= 5; i++)
		m_u32(m, (uint32_t)i);
	rr_end(m, r);
}

/* ---- running the dissector ---------------------------------------------- */

static struct tw_tree T;  /* labels on */
static struct tw_tree TL; /* labels off */
static struct tw_dctx C;

#define TS0 INT64_C(1700000000000000000)

static void
ctx_start(struct tw_tree *t, bool first_pass)
{
	memset(&C, 0, sizeof C);
	C.tree = t;
	C.first_pass = first_pass;
	if (t)
		tree_reset(t);
	pinfo_reset(&C.pi, first_pass);
	C.pi.num = 1;
	C.pi.ts = TS0;
	C.pi.first_ts = TS0;
	C.pi.prev_ts = TS0;
	C.pi.linktype = LINKTYPE_ETHERNET;
}

/* Every node's range within [0, n) of data source 0; generated nodes have none. */
static void
assert_ranges(const struct tw_tree *t, size_t n)
{
	for (const struct tw_node *x = node_next_preorder(t->root, t->root); x; x = node_next_preorder(x, t->root)) {
		if (x->src != 0)
			continue;
		if ((size_t)x->off + x->len > n)
			fail_msg("node %s [%u+%u] outside %zu bytes", x->f ? x->f->abbrev : x->label ? x->label : "?",
			         x->off, x->len, n);
	}
}

/* The bytes of the last dns_run: nodes point into them until the next run. */
static uint8_t *COPY;

/* Dissect caplen bytes of a message of reported length rep, from a heap copy. */
static void
dns_run(struct tw_tree *t, const uint8_t *p, size_t caplen, size_t rep)
{
	free(COPY);
	COPY = malloc(caplen ? caplen : 1);
	assert_non_null(COPY);
	if (caplen)
		memcpy(COPY, p, caplen);
	ctx_start(t, false);
	struct tw_buf b = buf_init(COPY, caplen, rep, 0);
	dis_dns(&C, &b, tree_root(t));
	if (t)
		assert_ranges(t, caplen);
}

static struct tw_node *
nth_node(const struct tw_tree *t, const char *abbrev, int k)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if (n->f && strcmp(n->f->abbrev, abbrev) == 0 && k-- == 0)
			return n;
	return NULL;
}

static int
count_nodes(const struct tw_tree *t, const char *abbrev)
{
	int k = 0;
	while (nth_node(t, abbrev, k))
		k++;
	return k;
}

static char fbuf[2048];

/* -T fields text of the k-th node named abbrev. */
static const char *
fx_nth(const struct tw_tree *t, const char *abbrev, int k)
{
	struct tw_node *n = nth_node(t, abbrev, k);
	if (!n)
		fail_msg("no node %s (#%d)", abbrev, k);
	struct tw_sb sb;
	sb_fixed(&sb, fbuf, sizeof fbuf);
	field_format_fields(&sb, n);
	return fbuf;
}

static const char *fx(const struct tw_tree *t, const char *abbrev) { return fx_nth(t, abbrev, 0); }

/* The display label ("Name: value" or the custom label) of a node. */
static const char *
lbl(const struct tw_node *n)
{
	struct tw_sb sb;
	sb_fixed(&sb, fbuf, sizeof fbuf);
	field_format_label(&sb, n);
	return fbuf;
}

static struct tw_node *
find_label(const struct tw_tree *t, const char *text)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if (n->label && strcmp(n->label, text) == 0)
			return n;
	return NULL;
}

static struct tw_node *
find_expert(const struct tw_tree *t, const char *needle)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if ((n->flags & TW_NF_EXPERT) && n->label && strstr(n->label, needle))
			return n;
	return NULL;
}

static bool
tree_has_flag(const struct tw_tree *t, unsigned flag)
{
	for (struct tw_node *n = node_next_preorder(t->root, t->root); n; n = node_next_preorder(n, t->root))
		if (n->flags & flag)
			return true;
	return false;
}

static void
assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* ---- Part 1: values --------------------------------------------------------- */

static void
test_query(void **state)
{
	(void)state;
	struct msg m;
	msg_query(&m);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query 0x771f A crl.pki.example.test");
	assert_string_equal(C.pi.proto, "DNS");
	assert_int_equal(C.pi.top, PROTO_DNS);
	assert_string_equal(C.pi.protos.s, "dns");
	assert_string_equal(fx(&T, "dns.id"), "0x771f");
	assert_string_equal(fx(&T, "dns.flags"), "0x0100");
	assert_string_equal(fx(&T, "dns.flags.response"), "0");
	assert_string_equal(fx(&T, "dns.flags.opcode"), "0");
	assert_string_equal(fx(&T, "dns.flags.recdesired"), "1");
	assert_null(nth_node(&T, "dns.flags.rcode", 0)); /* queries have no reply code */
	assert_null(nth_node(&T, "dns.flags.authoritative", 0));
	assert_string_equal(fx(&T, "dns.count.queries"), "1");
	assert_string_equal(fx(&T, "dns.count.answers"), "0");
	assert_string_equal(fx(&T, "dns.qry.name"), "crl.pki.example.test");
	assert_string_equal(fx(&T, "dns.qry.name.len"), "20");
	assert_string_equal(fx(&T, "dns.count.labels"), "4");
	assert_string_equal(fx(&T, "dns.qry.type"), "1");
	assert_string_equal(fx(&T, "dns.qry.class"), "0x0001");
	assert_string_equal(lbl(nth_node(&T, "dns", 0)), "Domain Name System (query)");
	assert_string_equal(lbl(nth_node(&T, "dns.flags", 0)), "Flags: 0x0100 Standard query");
	assert_string_equal(lbl(nth_node(&T, "dns.qry.type", 0)), "Type: A (Host Address) (1)");
	assert_string_equal(lbl(nth_node(&T, "dns.qry.class", 0)), "Class: IN (0x0001)");
	assert_string_equal(lbl(nth_node(&T, "dns.flags.opcode", 0)), ".000 0... .... .... = Opcode: Standard query (0)");
	struct tw_node *qs = find_label(&T, "Queries");
	assert_non_null(qs);
	assert_int_equal(qs->off, 12);
	assert_int_equal(qs->len, m.n - 12);
	struct tw_node *q = find_label(&T, "crl.pki.example.test: type A, class IN");
	assert_non_null(q);
	assert_ptr_equal(q->parent, qs);
	struct tw_node *name = nth_node(&T, "dns.qry.name", 0);
	assert_int_equal(name->off, 12);
	assert_int_equal(name->len, 22);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
	/* Labels off and summary-only give the same values and Info. */
	dns_run(&TL, m.p, m.n, m.n);
	assert_string_equal(fx(&TL, "dns.qry.name"), "crl.pki.example.test");
	dns_run(NULL, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query 0x771f A crl.pki.example.test");
}

static void
test_cname_chain(void **state)
{
	(void)state;
	struct msg m;
	msg_cname(&m);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s,
	                    "Standard query response 0x771f A crl.pki.example.test CNAME crl.pki.cdn.test A 10.77.0.2");
	assert_string_equal(fx(&T, "dns.flags"), "0x8180");
	assert_string_equal(lbl(nth_node(&T, "dns.flags", 0)), "Flags: 0x8180 Standard query response, No error");
	assert_string_equal(fx(&T, "dns.flags.rcode"), "0");
	assert_string_equal(fx(&T, "dns.flags.recavail"), "1");
	assert_string_equal(fx_nth(&T, "dns.resp.name", 0), "crl.pki.example.test");
	assert_string_equal(fx_nth(&T, "dns.resp.name", 1), "crl.pki.cdn.test");
	assert_string_equal(fx(&T, "dns.cname"), "crl.pki.cdn.test");
	assert_string_equal(fx(&T, "dns.a"), "10.77.0.2");
	assert_string_equal(fx_nth(&T, "dns.resp.ttl", 0), "3600");
	assert_string_equal(fx_nth(&T, "dns.resp.type", 1), "1");
	assert_string_equal(lbl(nth_node(&T, "dns.resp.ttl", 0)), "Time to live: 3600 (1 hour)");
	assert_string_equal(lbl(nth_node(&T, "dns.resp.ttl", 1)), "Time to live: 60 (1 minute)");
	assert_non_null(find_label(&T, "Answers"));
	assert_non_null(find_label(&T, "crl.pki.example.test: type CNAME, class IN, cname crl.pki.cdn.test"));
	struct tw_node *a = find_label(&T, "crl.pki.cdn.test: type A, class IN, addr 10.77.0.2");
	assert_non_null(a);
	/* The record covers its 2-byte compressed owner name through its data. */
	assert_int_equal(a->off + a->len, m.n);
	assert_int_equal(a->len, 2 + 10 + 4);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
}

static void
test_types(void **state)
{
	(void)state;
	struct msg m;
	msg_types(&m);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s,
	                    "Standard query response 0x1234 ANY ex.test AAAA 2001:db8::1 MX 10 mail.ex.test TXT "
	                    "SRV 1 2 5060 sip.ex.test NS ns1.ex.test PTR host.ex.test Unknown (65000) CNAME <Root> "
	                    "SOA ns1.ex.test OPT A 10.0.0.1");
	assert_string_equal(fx(&T, "dns.aaaa"), "2001:db8::1");
	assert_string_equal(fx(&T, "dns.mx.preference"), "10");
	assert_string_equal(fx(&T, "dns.mx.mail_exchange"), "mail.ex.test");
	assert_int_equal(count_nodes(&T, "dns.txt"), 3);
	assert_string_equal(fx_nth(&T, "dns.txt", 0), "hello");
	assert_string_equal(fx_nth(&T, "dns.txt", 1), "");
	assert_string_equal(fx_nth(&T, "dns.txt", 2), "w\\x01");
	assert_string_equal(fx_nth(&T, "dns.txt.length", 2), "2");
	assert_string_equal(fx(&T, "dns.srv.service"), "_sip");
	assert_string_equal(fx(&T, "dns.srv.proto"), "_udp");
	assert_string_equal(fx(&T, "dns.srv.name"), "ex.test");
	assert_string_equal(fx(&T, "dns.srv.priority"), "1");
	assert_string_equal(fx(&T, "dns.srv.weight"), "2");
	assert_string_equal(fx(&T, "dns.srv.port"), "5060");
	assert_string_equal(fx(&T, "dns.srv.target"), "sip.ex.test");
	assert_non_null(find_label(&T, "_sip._udp.ex.test: type SRV, class IN, priority 1, weight 2, port 5060, target sip.ex.test"));
	assert_string_equal(fx(&T, "dns.ns"), "ns1.ex.test");
	assert_string_equal(fx(&T, "dns.ptr.domain_name"), "host.ex.test");
	assert_non_null(find_label(&T, "ex.test: type PTR, class IN, host.ex.test"));
	assert_string_equal(fx(&T, "dns.data"), "010203");
	assert_string_equal(lbl(nth_node(&T, "dns.resp.type", 6)), "Type: Unknown (65000)");
	assert_string_equal(fx(&T, "dns.cname"), "<Root>");
	assert_string_equal(fx(&T, "dns.soa.mname"), "ns1.ex.test");
	assert_string_equal(fx(&T, "dns.soa.rname"), "hostmaster.ex.test");
	assert_string_equal(fx(&T, "dns.soa.serial_number"), "2024010101");
	assert_string_equal(lbl(nth_node(&T, "dns.soa.expire_limit", 0)), "Expire limit: 1209600 (14 days)");
	assert_non_null(find_label(&T, "Authoritative nameservers"));
	assert_non_null(find_label(&T, "Additional records"));
	assert_non_null(find_label(&T, "<Root>: type OPT"));
	assert_string_equal(fx(&T, "dns.rr.udp_payload_size"), "4096");
	assert_string_equal(fx(&T, "dns.resp.z.do"), "1");
	assert_string_equal(fx(&T, "dns.resp.edns0_version"), "0");
	assert_string_equal(fx(&T, "dns.opt.code"), "10");
	assert_string_equal(fx(&T, "dns.opt.data"), "0102030405060708");
	assert_string_equal(lbl(nth_node(&T, "dns.opt", 0)), "Option: COOKIE");
	/* OPT has no class or TTL: 10 TTLs for 11 records. */
	assert_int_equal(count_nodes(&T, "dns.resp.ttl"), 10);
	assert_string_equal(lbl(nth_node(&T, "dns.resp.ttl", 9)),
	                    "Time to live: 2147483649 (24855 days, 3 hours, 14 minutes, 9 seconds)");
	struct tw_node *e = find_expert(&T, "uppermost bit of the TTL");
	assert_non_null(e);
	assert_int_equal(e->sev, TW_SEV_WARN);
	assert_string_equal(fx(&T, "dns.flags.authoritative"), "1");
	/* Summary-only gives the same Info. */
	dns_run(NULL, m.p, m.n, m.n);
	assert_contains(C.pi.info.s, "SOA ns1.ex.test OPT A 10.0.0.1");
}

static void
test_nxdomain(void **state)
{
	(void)state;
	struct msg m;
	msg_nxdomain(&m);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query response 0xabcd No such name A nope.example.test SOA ns.example.test");
	assert_string_equal(fx(&T, "dns.flags.rcode"), "3");
	assert_string_equal(lbl(nth_node(&T, "dns.flags.rcode", 0)), ".... .... .... 0011 = Reply code: No such name (3)");
	assert_string_equal(lbl(nth_node(&T, "dns.flags", 0)), "Flags: 0x8183 Standard query response, No such name");
	struct tw_node *e = find_expert(&T, "NXDOMAIN");
	assert_non_null(e);
	assert_int_equal(e->sev, TW_SEV_WARN);
	assert_int_equal(T.max_sev, TW_SEV_WARN);
	assert_string_equal(fx(&T, "dns.soa.rname"), "h.example.test");
	/* Other error codes, and codes without a name. */
	static const struct {
		uint16_t rc;
		const char *info, *mnem;
	} rcs[] = {
		{ 2, "Server failure", "SERVFAIL" }, { 5, "Refused", "REFUSED" }, { 12, "Unknown error (12)", "Unknown error" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(rcs); i++) {
		m_hdr(&m, 0x0002, (uint16_t)(0x8180 | rcs[i].rc), 0, 0, 0, 0);
		dns_run(&T, m.p, m.n, m.n);
		assert_contains(C.pi.info.s, rcs[i].info);
		assert_non_null(find_expert(&T, rcs[i].mnem));
	}
	assert_string_equal(lbl(nth_node(&T, "dns.flags.rcode", 0)), ".... .... .... 1100 = Reply code: Unknown (12)");
}

static void
test_header_variants(void **state)
{
	(void)state;
	struct msg m;
	/* Unknown opcode (14) with the AD bit in a query. */
	m_hdr(&m, 0x7265, 0x7370, 0, 0, 0, 0);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Unknown operation (14) 0x7265");
	assert_string_equal(lbl(nth_node(&T, "dns.flags", 0)), "Flags: 0x7370 Unknown operation");
	assert_string_equal(lbl(nth_node(&T, "dns.flags.opcode", 0)), ".111 0... .... .... = Opcode: Unknown (14)");
	assert_string_equal(lbl(nth_node(&T, "dns.flags.authenticated", 0)), ".... .... ..1. .... = AD bit: Set");
	/* Dynamic update: zone / prerequisite / update sections. */
	m_hdr(&m, 0x0009, 0x2800, 1, 0, 1, 0);
	m_name(&m, "zone.test");
	m_u16(&m, 6);
	m_u16(&m, 1);
	m_name(&m, "new.zone.test");
	rr_a(&m, 60, 10, 0, 0, 5);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Dynamic update 0x0009 SOA zone.test A 10.0.0.5");
	assert_string_equal(fx(&T, "dns.count.zones"), "1");
	assert_string_equal(fx(&T, "dns.count.updates"), "1");
	assert_non_null(find_label(&T, "Zone"));
	assert_non_null(find_label(&T, "Updates"));
	/* Extraneous bytes after the message. */
	msg_query(&m);
	m_raw(&m, "xyz", 3);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(fx(&T, "dns.extraneous.data"), "78797a");
	assert_non_null(find_expert(&T, "Extraneous data"));
	/* A one-octet name: Wireshark 4.0 counts it as 0 octets / 0 labels. */
	m_hdr(&m, 1, 0x0100, 1, 0, 0, 0);
	m_name(&m, "x");
	m_u16(&m, 1);
	m_u16(&m, 1);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(fx(&T, "dns.qry.name.len"), "0");
	assert_string_equal(fx(&T, "dns.count.labels"), "0");
}

/* Labels hold any byte: escaped for display, the value keeps the bytes. */
static void
test_name_escaping(void **state)
{
	(void)state;
	struct msg m;
	m_hdr(&m, 1, 0x0100, 1, 0, 0, 0);
	m_raw(&m, "\x03" "a.b" "\x03" "c\x01" "d" "\x03" "g\\h" "\x01\xff" "\x04test" "\x00", 20);
	m_u16(&m, 1);
	m_u16(&m, 1);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query 0x0001 A a\\.b.c\\x01d.g\\\\h.\\xff.test");
	assert_string_equal(lbl(nth_node(&T, "dns.qry.name", 0)), "Name: a\\.b.c\\x01d.g\\\\h.\\xff.test");
	/* -T fields: the dotted bytes through the sanitizer (as tshark 4.0: no "\."). */
	assert_string_equal(fx(&T, "dns.qry.name"), "a.b.c\\x01d.g\\\\h.\\xff.test");
	struct tw_node *n = nth_node(&T, "dns.qry.name", 0);
	assert_int_equal(n->v.b.n, 18);
	assert_memory_equal(n->v.b.p, "a.b.c\x01" "d.g\\h.\xff.test", 18);
	/* Root name. */
	m_hdr(&m, 2, 0x0100, 1, 0, 0, 0);
	m_u8(&m, 0);
	m_u16(&m, 2);
	m_u16(&m, 1);
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query 0x0002 NS <Root>");
	assert_string_equal(fx(&T, "dns.qry.name"), "<Root>");
}

/* ---- whole frames: UDP dispatch, mDNS, LLMNR, heuristic, ICMP errors ------- */

static const uint8_t IP_A[4] = { 10, 0, 0, 1 };
static const uint8_t IP_B[4] = { 10, 0, 0, 53 };

/* Ethernet + IPv4 + UDP around a payload; returns the frame length. */
static size_t
frame_udp(uint8_t *p, const uint8_t *src, const uint8_t *dst, uint16_t sp, uint16_t dp, const void *pl, size_t n)
{
	memset(p, 0, 14);
	tu_be16(p + 12, 0x0800);
	uint8_t *ip = p + 14;
	ip[0] = 0x45;
	ip[1] = 0;
	tu_be16(ip + 2, (uint16_t)(28 + n));
	tu_be16(ip + 4, 1);
	tu_be16(ip + 6, 0);
	ip[8] = 64;
	ip[9] = 17;
	tu_be16(ip + 10, 0);
	memcpy(ip + 12, src, 4);
	memcpy(ip + 16, dst, 4);
	tu_be16(ip + 10, tu_cksum(0, ip, 20));
	uint8_t *u = ip + 20;
	tu_be16(u, sp);
	tu_be16(u + 2, dp);
	tu_be16(u + 4, (uint16_t)(8 + n));
	tu_be16(u + 6, 0);
	memcpy(u + 8, pl, n);
	return 14 + 28 + n;
}

static uint8_t FRM[4096];

static void
dis_frame_bytes(struct tw_tree *t, const uint8_t *p, size_t n)
{
	ctx_start(t, false);
	C.pi.caplen = C.pi.len = (uint32_t)n;
	dissect_frame(&C, p, (uint32_t)n, (uint32_t)n);
	if (t)
		assert_ranges(t, n);
}

static void
test_udp_dispatch(void **state)
{
	(void)state;
	struct msg m;
	msg_query(&m);
	/* Port 53 on either side. */
	size_t n = frame_udp(FRM, IP_A, IP_B, 40000, 53, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "DNS");
	assert_string_equal(C.pi.protos.s, "eth:ethertype:ip:udp:dns");
	assert_string_equal(C.pi.info.s, "Standard query 0x771f A crl.pki.example.test");
	n = frame_udp(FRM, IP_B, IP_A, 53, 40000, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "DNS");
	/* mDNS: QM question; the class's top bit is the QU bit. */
	m_hdr(&m, 0, 0, 1, 0, 0, 0);
	m_name(&m, "_ipp._tcp.local");
	m_u16(&m, 12);
	m_u16(&m, 0x8001);
	n = frame_udp(FRM, IP_A, (const uint8_t[4]){ 224, 0, 0, 251 }, 5353, 5353, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "MDNS");
	assert_string_equal(C.pi.protos.s, "eth:ethertype:ip:udp:mdns");
	assert_string_equal(C.pi.info.s, "Standard query 0x0000 PTR _ipp._tcp.local, \"QU\" question");
	assert_string_equal(fx(&T, "dns.qry.class"), "0x0001");
	assert_string_equal(fx(&T, "dns.qry.qu"), "1");
	assert_string_equal(lbl(nth_node(&T, "mdns", 0)), "Multicast Domain Name System (query)");
	/* mDNS answer with cache flush. */
	m_hdr(&m, 0, 0x8400, 0, 1, 0, 0);
	m_name(&m, "host.local");
	rr_a(&m, 120, 10, 0, 0, 9);
	tu_be16(m.p + m.n - 12, 0x8001); /* class with the cache-flush bit */
	n = frame_udp(FRM, IP_A, (const uint8_t[4]){ 224, 0, 0, 251 }, 5353, 5353, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.info.s, "Standard query response 0x0000 A, cache flush 10.0.0.9");
	assert_string_equal(fx(&T, "dns.resp.cache_flush"), "1");
	assert_non_null(find_label(&T, "host.local: type A, class IN, cache flush, addr 10.0.0.9"));
	/* LLMNR: conflict and tentative flags instead of AA/RD. */
	m_hdr(&m, 0x15df, 0x8000, 1, 0, 0, 0);
	m_name(&m, "wpad");
	m_u16(&m, 1);
	m_u16(&m, 1);
	n = frame_udp(FRM, IP_B, IP_A, 5355, 50000, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "LLMNR");
	assert_string_equal(C.pi.protos.s, "eth:ethertype:ip:udp:llmnr");
	assert_string_equal(fx(&T, "dns.flags.conflict"), "0");
	assert_string_equal(fx(&T, "dns.flags.tentative"), "0");
	assert_null(nth_node(&T, "dns.flags.recdesired", 0));
	assert_string_equal(lbl(nth_node(&T, "dns.flags.conflict", 0)),
	                    ".... .0.. .... .... = Conflict: The name is considered unique");
}

static void
test_heuristic(void **state)
{
	(void)state;
	struct msg m;
	msg_query(&m);
	/* DNS between ports 1024 and up is found by the heuristic... */
	size_t n = frame_udp(FRM, IP_A, IP_B, 40000, 5300, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "DNS");
	/* ...not below 1024 (NetBIOS name service on 137 looks like DNS)... */
	n = frame_udp(FRM, IP_A, IP_B, 137, 137, m.p, m.n);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "UDP");
	assert_non_null(nth_node(&T, "data", 0));
	/* ...and not for payloads that fail its checks. */
	static const struct {
		uint16_t flags, qd, an, ns, ar;
	} bad[] = {
		{ 0x0800, 1, 0, 0, 0 },  /* opcode 1 */
		{ 0x0100, 2, 0, 0, 0 },  /* query with 2 questions */
		{ 0x0100, 1, 1, 0, 0 },  /* query with an answer */
		{ 0x8180, 2, 0, 0, 0 },  /* response with 2 questions */
		{ 0x8180, 1, 101, 0, 0 }, /* too many answers */
		{ 0x8180, 1, 1, 11, 0 }, /* too many authority RRs */
		{ 0x8180, 1, 1, 0, 11 }, /* too many additional RRs */
		{ 0x8180, 0, 0, 0, 1 },  /* no question, no answer */
		{ 0x8180, 1, 9, 0, 0 },  /* counts need more bytes than there are */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		msg_query(&m);
		tu_be16(m.p + 2, bad[i].flags);
		tu_be16(m.p + 4, bad[i].qd);
		tu_be16(m.p + 6, bad[i].an);
		tu_be16(m.p + 8, bad[i].ns);
		tu_be16(m.p + 10, bad[i].ar);
		n = frame_udp(FRM, IP_A, IP_B, 40000, 5300, m.p, m.n);
		dis_frame_bytes(&T, FRM, n);
		if (strcmp(C.pi.proto, "UDP") != 0)
			fail_msg("case %zu taken for DNS", i);
	}
	/* A bare header is not enough. */
	n = frame_udp(FRM, IP_A, IP_B, 40000, 5300, m.p, 12);
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "UDP");
}

/* A DNS query quoted in an ICMP port unreachable: dissected, columns untouched. */
static void
test_icmp_quoted(void **state)
{
	(void)state;
	struct msg m;
	msg_query(&m);
	uint8_t inner[512];
	size_t in = frame_udp(inner, IP_A, IP_B, 40000, 53, m.p, m.n) - 14;
	uint8_t icmp[600];
	icmp[0] = 3;
	icmp[1] = 3;
	memset(icmp + 2, 0, 6);
	memcpy(icmp + 8, inner + 14, in);
	tu_be16(icmp + 2, tu_cksum(0, icmp, 8 + in));
	/* Wrap in IPv4 proto 1 by hand. */
	memset(FRM, 0, 14);
	tu_be16(FRM + 12, 0x0800);
	uint8_t *ip = FRM + 14;
	ip[0] = 0x45;
	tu_be16(ip + 2, (uint16_t)(20 + 8 + in));
	ip[8] = 64;
	ip[9] = 1;
	memcpy(ip + 12, IP_B, 4);
	memcpy(ip + 16, IP_A, 4);
	tu_be16(ip + 10, tu_cksum(0, ip, 20));
	memcpy(ip + 20, icmp, 8 + in);
	size_t n = 14 + 20 + 8 + in;
	dis_frame_bytes(&T, FRM, n);
	assert_string_equal(C.pi.proto, "ICMP");
	assert_string_equal(C.pi.info.s, "Destination unreachable (Port unreachable)");
	assert_string_equal(fx(&T, "dns.qry.name"), "crl.pki.example.test");
	assert_contains(C.pi.protos.s, ":udp:dns");
	/* Only part of the DNS message quoted: no crash, no malformed verdict. */
	for (size_t cut = 0; cut < m.n; cut++) {
		size_t q = 20 + 8 + cut;
		tu_be16(ip + 2, (uint16_t)(20 + 8 + q));
		tu_be16(ip + 10, 0);
		tu_be16(ip + 10, tu_cksum(0, ip, 20));
		dis_frame_bytes(&T, FRM, 14 + 20 + 8 + q);
		assert_string_equal(C.pi.proto, "ICMP");
	}
}

/* DNS over TCP: one message after its 2-byte length. */
static void
test_tcp_message(void **state)
{
	(void)state;
	struct msg m;
	msg_cname(&m);
	uint8_t buf[600];
	tu_be16(buf, (uint16_t)m.n);
	memcpy(buf + 2, m.p, m.n);
	ctx_start(&T, false);
	struct tw_buf b = buf_init(buf, m.n + 2, m.n + 2, 0);
	dis_dns_tcp(&C, &b, tree_root(&T));
	assert_ranges(&T, m.n + 2);
	char want[16];
	snprintf(want, sizeof want, "%zu", m.n);
	assert_string_equal(fx(&T, "dns.length"), want);
	assert_string_equal(fx(&T, "dns.cname"), "crl.pki.cdn.test");
	assert_string_equal(C.pi.info.s,
	                    "Standard query response 0x771f A crl.pki.example.test CNAME crl.pki.cdn.test A 10.77.0.2");
	struct tw_node *d = nth_node(&T, "dns", 0);
	assert_int_equal(d->off, 0);
	assert_int_equal(d->len, m.n + 2);
	assert_int_equal(nth_node(&T, "dns.id", 0)->off, 2);
	assert_int_equal(T.max_sev, TW_SEV_NONE);
	/* Every cut of the TCP form, and a length that lies. */
	for (size_t cut = 0; cut <= m.n + 2; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		ctx_start(&T, false);
		b = buf_init(copy, cut, cut, 0);
		dis_dns_tcp(&C, &b, tree_root(&T));
		assert_ranges(&T, cut);
		if (cut < m.n + 2)
			assert_true(tree_has_flag(&T, TW_NF_MALFORMED | TW_NF_TRUNC));
		free(copy);
	}
	tu_be16(buf, 0xffff);
	ctx_start(&T, false);
	b = buf_init(buf, m.n + 2, m.n + 2, 0);
	dis_dns_tcp(&C, &b, tree_root(&T));
	assert_ranges(&T, m.n + 2);
	assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
}

/* ---- matching: load pass, then any frame on its own ----------------------- */

struct cap_frame {
	uint8_t p[600];
	size_t n;
	tw_time ts;
};

static struct cap_frame CF[16];
static struct tw_frame IDX[16];
static struct tw_convs CS;

/* Load pass over frames 1..n, as capture.c indexes a file. */
static void
load_pass(size_t n)
{
	for (size_t i = 0; i < n; i++) {
		memset(&IDX[i], 0, sizeof IDX[i]);
		IDX[i].conv = CONV_NONE;
		ctx_start(NULL, true);
		C.convs = &CS;
		C.frame = &IDX[i];
		C.pi.num = (uint32_t)i + 1;
		C.pi.ts = CF[i].ts;
		C.pi.caplen = C.pi.len = (uint32_t)CF[i].n;
		dissect_frame(&C, CF[i].p, (uint32_t)CF[i].n, (uint32_t)CF[i].n);
	}
}

/* Display pass of one frame (1-based). */
static void
show(size_t num)
{
	ctx_start(&T, false);
	C.convs = &CS;
	C.frame = &IDX[num - 1];
	C.pi.num = (uint32_t)num;
	C.pi.ts = CF[num - 1].ts;
	C.pi.caplen = C.pi.len = (uint32_t)CF[num - 1].n;
	dissect_frame(&C, CF[num - 1].p, (uint32_t)CF[num - 1].n, (uint32_t)CF[num - 1].n);
	assert_ranges(&T, CF[num - 1].n);
}

static void
add_frame(size_t i, bool response, uint16_t id, uint16_t port, tw_time ts)
{
	struct msg m;
	m_hdr(&m, id, response ? 0x8180 : 0x0100, 1, 0, 0, 0);
	m_name(&m, "a.test");
	m_u16(&m, 1);
	m_u16(&m, 1);
	if (response)
		CF[i].n = frame_udp(CF[i].p, IP_B, IP_A, 53, port, m.p, m.n);
	else
		CF[i].n = frame_udp(CF[i].p, IP_A, IP_B, port, 53, m.p, m.n);
	CF[i].ts = ts;
}

#define SEC INT64_C(1000000000)

static void
test_matching(void **state)
{
	(void)state;
	convs_init(&CS);
	add_frame(0, false, 1, 40000, TS0);                  /* 1 query */
	add_frame(1, true, 1, 40000, TS0 + SEC / 1000);      /* 2 its response (1 ms) */
	add_frame(2, true, 1, 40000, TS0 + SEC / 500);       /* 3 the response again */
	add_frame(3, false, 2, 40000, TS0 + SEC);            /* 4 query */
	add_frame(4, false, 2, 40000, TS0 + 2 * SEC);        /* 5 retransmitted (< 5 s) */
	add_frame(5, true, 2, 40000, TS0 + 3 * SEC);         /* 6 response: to frame 4 */
	add_frame(6, true, 7, 40000, TS0 + 4 * SEC);         /* 7 unsolicited */
	add_frame(7, false, 8, 40000, TS0 + 5 * SEC);        /* 8 never answered */
	add_frame(8, false, 9, 40000, TS0 + 6 * SEC);        /* 9 query ... */
	add_frame(9, false, 9, 40000, TS0 + 12 * SEC);       /* 10 ... asked again after 6 s: new */
	add_frame(10, true, 9, 40000, TS0 + 13 * SEC);       /* 11 answers frame 10 */
	add_frame(11, true, 1, 40001, TS0 + 14 * SEC);       /* 12 same id, other conversation */
	load_pass(12);

	show(1);
	assert_string_equal(fx(&T, "dns.response_in"), "2");
	assert_null(find_expert(&T, "No response"));
	show(2);
	assert_string_equal(fx(&T, "dns.response_to"), "1");
	assert_string_equal(fx(&T, "dns.time"), "0.001000000");
	assert_string_equal(lbl(nth_node(&T, "dns.time", 0)), "Time: 0.001000000 seconds");
	show(3);
	assert_null(nth_node(&T, "dns.response_to", 0));
	assert_string_equal(fx(&T, "dns.retransmit_response_in"), "2");
	assert_string_equal(fx(&T, "dns.retransmission"), "1");
	assert_non_null(find_expert(&T, "DNS response retransmission. Original response in frame 2"));
	show(4);
	assert_string_equal(fx(&T, "dns.response_in"), "6");
	show(5);
	assert_null(nth_node(&T, "dns.response_in", 0));
	assert_string_equal(fx(&T, "dns.retransmit_request_in"), "4");
	assert_non_null(find_expert(&T, "DNS query retransmission. Original request in frame 4"));
	show(6);
	assert_string_equal(fx(&T, "dns.response_to"), "4");
	assert_string_equal(fx(&T, "dns.time"), "2.000000000");
	show(7);
	assert_string_equal(fx(&T, "dns.unsolicited"), "1");
	show(8);
	assert_null(nth_node(&T, "dns.response_in", 0));
	struct tw_node *e = find_expert(&T, "No response seen");
	assert_non_null(e);
	assert_int_equal(e->sev, TW_SEV_NOTE);
	show(9);
	assert_null(nth_node(&T, "dns.response_in", 0));
	show(10);
	assert_string_equal(fx(&T, "dns.response_in"), "11");
	show(11);
	assert_string_equal(fx(&T, "dns.response_to"), "10");
	show(12);
	assert_string_equal(fx(&T, "dns.unsolicited"), "1");
	/* Frames shown again, in any order, give the same answers. */
	show(6);
	assert_string_equal(fx(&T, "dns.response_to"), "4");
	show(1);
	assert_string_equal(fx(&T, "dns.response_in"), "2");
	convs_free(&CS); /* frees the DNS table (the leak check would catch it) */
}

/* Many transactions: the table grows and keeps every pair. */
static void
test_matching_many(void **state)
{
	(void)state;
	convs_init(&CS);
	enum { N = 3000 };
	struct msg m;
	uint8_t p[600];
	static struct tw_frame idx[2 * N];
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < 2 * N; i++) {
			size_t k = i / 2;
			bool resp = i & 1;
			m_hdr(&m, (uint16_t)(k * 7), resp ? 0x8180 : 0x0100, 1, 0, 0, 0);
			m_name(&m, "b.test");
			m_u16(&m, 1);
			m_u16(&m, 1);
			uint16_t port = (uint16_t)(20000 + k % 97);
			size_t n = resp ? frame_udp(p, IP_B, IP_A, 53, port, m.p, m.n)
			                : frame_udp(p, IP_A, IP_B, port, 53, m.p, m.n);
			if (pass == 0) {
				memset(&idx[i], 0, sizeof idx[i]);
				idx[i].conv = CONV_NONE;
			}
			ctx_start(pass ? &TL : NULL, pass == 0);
			C.convs = &CS;
			C.frame = &idx[i];
			C.pi.num = (uint32_t)i + 1;
			C.pi.ts = TS0 + (tw_time)i * SEC * 6;
			dissect_frame(&C, p, (uint32_t)n, (uint32_t)n);
			if (pass) {
				char want[16];
				snprintf(want, sizeof want, "%zu", resp ? i : i + 2);
				assert_string_equal(fx(&TL, resp ? "dns.response_to" : "dns.response_in"), want);
			}
		}
	}
	convs_free(&CS);
}

/* DNS over TCP is matched the same way when the TCP layer calls it in both passes. */
static void
test_tcp_matching(void **state)
{
	(void)state;
	convs_init(&CS);
	struct msg q, r;
	msg_query(&q);
	msg_cname(&r);
	uint8_t bq[300], br[300];
	tu_be16(bq, (uint16_t)q.n);
	memcpy(bq + 2, q.p, q.n);
	tu_be16(br, (uint16_t)r.n);
	memcpy(br + 2, r.p, r.n);
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t num = 1; num <= 2; num++) {
			if (pass == 0) {
				memset(&IDX[num - 1], 0, sizeof IDX[num - 1]);
				IDX[num - 1].conv = 3; /* what the TCP layer set: the connection */
			}
			ctx_start(pass ? &T : NULL, pass == 0);
			C.convs = &CS;
			C.frame = &IDX[num - 1];
			C.pi.num = num;
			C.pi.ts = TS0 + (tw_time)num * SEC / 100;
			const uint8_t *p = num == 1 ? bq : br;
			size_t n = (num == 1 ? q.n : r.n) + 2;
			struct tw_buf b = buf_init(p, n, n, 0);
			dis_dns_tcp(&C, &b, tree_root(pass ? &T : NULL));
			if (pass)
				assert_string_equal(fx(&T, num == 1 ? "dns.response_in" : "dns.response_to"), num == 1 ? "2" : "1");
		}
	}
	assert_string_equal(fx(&T, "dns.time"), "0.010000000");
	convs_free(&CS);
}

/* ---- Part 2: hostile input ------------------------------------------------ */

typedef void (*msg_fn)(struct msg *);

static void
msg_srv_opt(struct msg *m)
{
	msg_types(m);
}

static const msg_fn MSGS[] = { msg_query, msg_cname, msg_types, msg_nxdomain, msg_srv_opt };

/* Every snaplen cut (bytes missing from the capture) and every early end. */
static void
test_every_truncation(void **state)
{
	(void)state;
	for (size_t k = 0; k < ARRAY_SIZE(MSGS); k++) {
		struct msg m;
		MSGS[k](&m);
		for (size_t cut = 0; cut < m.n; cut++) {
			/* Captured cut bytes of a message that is m.n long. */
			dns_run(&T, m.p, cut, m.n);
			if (!tree_has_flag(&T, TW_NF_TRUNC))
				fail_msg("message %zu cut at %zu: not flagged truncated", k, cut);
			if (!strstr(C.pi.info.s, "[Packet size limited during capture]"))
				fail_msg("message %zu cut at %zu: Info \"%s\"", k, cut, C.pi.info.s);
			dns_run(&TL, m.p, cut, m.n);
			dns_run(NULL, m.p, cut, m.n);
			/* A message that says it is only cut bytes long: its counts lie. */
			dns_run(&T, m.p, cut, cut);
			if (!tree_has_flag(&T, TW_NF_MALFORMED))
				fail_msg("message %zu ending at %zu: not flagged malformed", k, cut);
			assert_int_equal(T.max_sev, TW_SEV_ERROR);
			dns_run(NULL, m.p, cut, cut);
		}
		dns_run(&T, m.p, m.n, m.n);
		assert_false(tree_has_flag(&T, TW_NF_TRUNC | TW_NF_MALFORMED));
	}
}

/* Counts and lengths that lie. */
static void
test_lying_lengths(void **state)
{
	(void)state;
	struct msg m;
	/* qdcount 65535 with one question present. */
	msg_query(&m);
	tu_be16(m.p + 4, 65535);
	dns_run(&T, m.p, m.n, m.n);
	assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
	assert_contains(C.pi.info.s, "[Malformed Packet]");
	/* Every count at 65535. */
	for (int i = 0; i < 4; i++) {
		msg_cname(&m);
		tu_be16(m.p + 4 + 2 * i, 65535);
		dns_run(&T, m.p, m.n, m.n);
		assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
	}
	/* RDLENGTH past the end of the message. */
	msg_cname(&m);
	tu_be16(m.p + m.n - 6, 200);
	dns_run(&T, m.p, m.n, m.n);
	assert_non_null(find_expert(&T, "data length 200 runs past the end"));
	/* ...and past the capture only (reported longer): truncated, not malformed. */
	dns_run(&T, m.p, m.n, m.n + 196);
	assert_true(tree_has_flag(&T, TW_NF_TRUNC));
	/* A and AAAA with the wrong length. */
	msg_cname(&m);
	tu_be16(m.p + m.n - 6, 3);
	m.n--;
	dns_run(&T, m.p, m.n, m.n);
	assert_non_null(find_expert(&T, "A data length 3, expected 4"));
	assert_string_equal(fx(&T, "dns.data"), "0a4d00");
	/* A TXT string longer than its record. */
	m_hdr(&m, 1, 0x8180, 0, 1, 0, 0);
	m_u8(&m, 0);
	size_t r = rr_begin(&m, 16, 1, 0);
	m_raw(&m, "\x09" "abc", 4);
	rr_end(&m, r);
	m_raw(&m, "trailing", 8);
	dns_run(&T, m.p, m.n, m.n);
	assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
	/* An EDNS option longer than the record. */
	m_hdr(&m, 1, 0x8180, 0, 0, 0, 1);
	m_u8(&m, 0);
	r = rr_begin(&m, 41, 512, 0);
	m_u16(&m, 3);
	m_u16(&m, 40);
	m_raw(&m, "nsid", 4);
	rr_end(&m, r);
	dns_run(&T, m.p, m.n, m.n);
	assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
	/* A name inside RDATA that runs past the RDATA. */
	msg_cname(&m);
	tu_be16(m.p + 12 + 22 + 4 + 2 + 8, 3); /* the CNAME's RDLENGTH */
	dns_run(&T, m.p, m.n, m.n);
	assert_true(tree_has_flag(&T, TW_NF_MALFORMED));
	/* Fewer than 4 bytes: no ID and flags. */
	for (size_t n = 0; n < 4; n++) {
		dns_run(&T, m.p, n, n);
		assert_string_equal(C.pi.info.s, n ? "[Malformed Packet]" : "[Malformed Packet]");
		assert_true(n == 0 || tree_has_flag(&T, TW_NF_MALFORMED) || T.max_sev == TW_SEV_ERROR);
	}
}

/* A query whose name is `name` (n bytes), followed by type and class. */
static void
bad_name_query(struct msg *m, const void *name, size_t n)
{
	m_hdr(m, 0x0bad, 0x0100, 1, 0, 0, 0);
	m_raw(m, name, n);
	m_u16(m, 1);
	m_u16(m, 1);
}

static void
expect_malformed_name(const struct msg *m, const char *needle)
{
	dns_run(&T, m->p, m->n, m->n);
	struct tw_node *e = find_expert(&T, needle);
	if (!e)
		fail_msg("no expert \"%s\" (Info \"%s\")", needle, C.pi.info.s);
	assert_int_equal(e->sev, TW_SEV_ERROR);
	assert_contains(e->label, "[Malformed DNS name: ");
	assert_true(e->parent->flags & TW_NF_MALFORMED);
	dns_run(&TL, m->p, m->n, m->n);
	dns_run(NULL, m->p, m->n, m->n);
	/* Every cut of it too. */
	for (size_t cut = 0; cut < m->n; cut++) {
		dns_run(&T, m->p, cut, m->n);
		dns_run(&T, m->p, cut, cut);
	}
}

static void
test_bad_names(void **state)
{
	(void)state;
	struct msg m;
	/* Self pointer at offset 12. */
	bad_name_query(&m, "\xc0\x0c", 2);
	expect_malformed_name(&m, "compression pointer at offset 12 to offset 12 loops");
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(C.pi.info.s, "Standard query 0x0bad A <Name contains a pointer that loops>");
	assert_string_equal(fx(&T, "dns.qry.type"), "1"); /* the name's own bytes are intact: go on */
	/* A label then a pointer back to that label. */
	bad_name_query(&m, "\x01" "a\xc0\x0c", 4);
	expect_malformed_name(&m, "loops");
	/* A -> B -> A: the first pointer points forward. */
	m_hdr(&m, 0x0bad, 0x0100, 1, 0, 0, 0);
	m_ptr(&m, 16);
	m_u16(&m, 1);
	m_u16(&m, 1);
	m_raw(&m, "\x01" "a\xc0\x0c", 4);
	expect_malformed_name(&m, "points forward to offset 16");
	/* B -> A -> B: backward, then a loop. */
	m_hdr(&m, 0x0bad, 0x8180, 1, 1, 0, 0);
	m_raw(&m, "\x01" "b\xc0\x18", 4); /* 12: "b" then -> 24 */
	m_u16(&m, 1);
	m_u16(&m, 1);
	m_raw(&m, "\x01" "a\xc0\x0c", 4); /* 20: owner "a" -> 12 (fine so far) */
	/* rest of the record */
	m_u16(&m, 1);
	m_u16(&m, 1);
	m_u32(&m, 0);
	m_u16(&m, 4);
	m_raw(&m, "\x01\x02\x03\x04", 4);
	dns_run(&T, m.p, m.n, m.n);
	assert_non_null(find_expert(&T, "Malformed DNS name"));
	/* Pointer past the end. */
	bad_name_query(&m, "\x01" "a\xc0\xff", 4);
	expect_malformed_name(&m, "points past the end of the message");
	bad_name_query(&m, "\x01" "a\xff\xff", 4);
	expect_malformed_name(&m, "points past the end of the message");
	/* Reserved label types 0x40 (extended, e.g. a 64-byte "label") and 0x80. */
	uint8_t l64[70];
	l64[0] = 64;
	memset(l64 + 1, 'x', 64);
	l64[65] = 0;
	bad_name_query(&m, l64, 66);
	expect_malformed_name(&m, "reserved label type 0x40 at offset 12");
	bad_name_query(&m, "\x01" "a\x81" "b\x00", 5);
	expect_malformed_name(&m, "reserved label type 0x81 at offset 14");
	/* A name over 255 octets, in place... */
	uint8_t longname[400];
	size_t ln = 0;
	for (int i = 0; i < 5; i++) {
		longname[ln++] = 63;
		memset(longname + ln, 'a' + i, 63);
		ln += 63;
	}
	longname[ln++] = 0;
	bad_name_query(&m, longname, ln);
	expect_malformed_name(&m, "longer than 255 octets");
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(fx(&T, "dns.qry.name"), "<Name too long>");
	assert_string_equal(fx(&T, "dns.qry.type"), "1");
	/* ...and reached through pointers (each part under 255). */
	m_hdr(&m, 0x0bad, 0x8180, 1, 1, 0, 0);
	size_t first = m.n;
	for (int i = 0; i < 3; i++) {
		m_u8(&m, 63);
		memset(m.p + m.n, 'q', 63);
		m.n += 63;
	}
	m_u8(&m, 0);
	m_u16(&m, 1);
	m_u16(&m, 1);
	for (int i = 0; i < 2; i++) {
		m_u8(&m, 63);
		memset(m.p + m.n, 'r', 63);
		m.n += 63;
	}
	m_ptr(&m, (uint16_t)first);
	rr_a(&m, 1, 1, 2, 3, 4);
	dns_run(&T, m.p, m.n, m.n);
	assert_non_null(find_expert(&T, "longer than 255 octets"));
	assert_string_equal(fx(&T, "dns.a"), "1.2.3.4");
	/*
	 * An endless chain of backward pointers: more than 128 jumps. The chain
	 * sits in the opaque data of a first record (root, then 200 pointers,
	 * each to the one before); the second record's owner points to its end.
	 */
	m_hdr(&m, 0x0bad, 0x8180, 0, 2, 0, 0);
	m_u8(&m, 0);
	size_t r = rr_begin(&m, 65000, 1, 0);
	size_t chain = m.n;
	m_u8(&m, 0);
	for (int i = 0; i < 200; i++)
		m_ptr(&m, (uint16_t)(i ? chain + 1 + 2 * (size_t)(i - 1) : chain));
	rr_end(&m, r);
	m_ptr(&m, (uint16_t)(m.n - 2));
	rr_a(&m, 1, 1, 2, 3, 4);
	expect_malformed_name(&m, "128 compression jumps");
	dns_run(&T, m.p, m.n, m.n);
	assert_string_equal(fx(&T, "dns.a"), "1.2.3.4");
	/* 120 jumps are fine: the name is the root. */
	m_hdr(&m, 0x0bad, 0x8180, 0, 2, 0, 0);
	m_u8(&m, 0);
	r = rr_begin(&m, 65000, 1, 0);
	chain = m.n;
	m_u8(&m, 0);
	for (int i = 0; i < 120; i++)
		m_ptr(&m, (uint16_t)(i ? chain + 1 + 2 * (size_t)(i - 1) : chain));
	rr_end(&m, r);
	m_ptr(&m, (uint16_t)(m.n - 2));
	rr_a(&m, 1, 1, 2, 3, 4);
	dns_run(&T, m.p, m.n, m.n);
	assert_null(find_expert(&T, "Malformed"));
	assert_string_equal(fx_nth(&T, "dns.resp.name", 1), "<Root>");
}

/* Random bytes after a valid header: never a crash, ranges stay inside. */
static void
test_garbage(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	uint8_t p[300];
	for (int round = 0; round < 20000; round++) {
		size_t n = 12 + (size_t)(round % 280);
		for (size_t i = 0; i < n; i++) {
			seed = seed * 1103515245u + 12345u;
			p[i] = (uint8_t)(seed >> 16);
		}
		/* Small counts so the sections are walked. */
		for (int i = 0; i < 4; i++)
			tu_be16(p + 4 + 2 * i, (uint16_t)(p[4 + 2 * i + 1] % 4));
		/* Bias toward pointers and short labels. */
		for (size_t i = 12; i < n; i += 7)
			p[i] = (uint8_t)((p[i] & 1) ? 0xc0 | (p[i] & 1) : p[i] % 12);
		dns_run(round % 3 ? &T : &TL, p, n, n);
		dns_run(NULL, p, n, n);
	}
}

static int
setup(void **state)
{
	(void)state;
	tree_init(&T, true);
	tree_init(&TL, false);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tree_free(&T);
	tree_free(&TL);
	free(COPY);
	COPY = NULL;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_query),
		cmocka_unit_test(test_cname_chain),
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_nxdomain),
		cmocka_unit_test(test_header_variants),
		cmocka_unit_test(test_name_escaping),
		cmocka_unit_test(test_udp_dispatch),
		cmocka_unit_test(test_heuristic),
		cmocka_unit_test(test_icmp_quoted),
		cmocka_unit_test(test_tcp_message),
		cmocka_unit_test(test_matching),
		cmocka_unit_test(test_matching_many),
		cmocka_unit_test(test_tcp_matching),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
