/*
 * test_filter.c - display filters (src/merge/filter.h): parsing and
 * precedence, every operator over a hand-built detail tree, and errors
 * with their positions (the caret) and field-name suggestions.
 *
 * Semantics checked against tshark 4.0.17 (see filter.h): "and" binds
 * tighter than "or"; "!=" means every occurrence differs (and the field
 * occurs); "matches" ignores case, "contains" does not; integers take
 * decimal, 0x hex and 0 octal; value names work where the field has them.
 */
#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/field.h"
#include "core/tree.h"
#include "merge/diagnose.h"
#include "merge/filter.h"

#include <arpa/inet.h>

static struct tw_tree T;

static const struct tw_field f_data_target = { "event.data.TargetName", "TargetName", FT_STRING, BASE_NONE, 0, NULL };

static struct tw_node *
add(struct tw_node *parent, const char *abbrev)
{
	const struct tw_field *f = field_lookup(abbrev);
	assert_non_null(f);
	return tree_add_gen(&T, parent, f);
}

static void
addu(struct tw_node *parent, const char *abbrev, uint64_t v)
{
	node_set_u(add(parent, abbrev), v);
}

static void
adds(struct tw_node *parent, const char *abbrev, const char *s)
{
	node_set_bytes(add(parent, abbrev), (const uint8_t *)s, strlen(s));
}

static uint32_t
ip4(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return ntohl(a.s_addr);
}

static uint8_t v6[16];
static const uint8_t mac[6] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55 };

/*
 * One row: frame.len 590, IPv4 10.0.0.1 -> 192.168.1.5, IPv6 2001:db8::1,
 * TCP 443 -> 51000 with SYN set, RST clear, TLS SNI shop.Example.test,
 * alert 42, and an event data field TargetName = "srv\"01".
 */
static int
setup(void **state)
{
	(void)state;
	tree_init(&T, false);
	struct tw_node *fr = add(T.root, "frame");
	addu(fr, "frame.len", 590);
	node_set_i(add(fr, "frame.time_relative"), 1500000000); /* 1.5 s */
	struct tw_node *eth = add(T.root, "eth");
	node_set_bytes(add(eth, "eth.addr"), mac, 6);
	struct tw_node *ip = add(T.root, "ip");
	addu(ip, "ip.src", ip4("10.0.0.1"));
	addu(ip, "ip.addr", ip4("10.0.0.1"));
	addu(ip, "ip.dst", ip4("192.168.1.5"));
	addu(ip, "ip.addr", ip4("192.168.1.5"));
	struct tw_node *ip6 = add(T.root, "ipv6");
	inet_pton(AF_INET6, "2001:db8::1", v6);
	node_set_bytes(add(ip6, "ipv6.addr"), v6, 16);
	struct tw_node *tcp = add(T.root, "tcp");
	addu(tcp, "tcp.srcport", 443);
	addu(tcp, "tcp.port", 443);
	addu(tcp, "tcp.dstport", 51000);
	addu(tcp, "tcp.port", 51000);
	addu(tcp, "tcp.flags.syn", 0x0002);
	addu(tcp, "tcp.flags.reset", 0x0002); /* masked: reset bit clear */
	struct tw_node *tls = add(T.root, "tls");
	adds(tls, "tls.handshake.extensions_server_name", "shop.Example.test");
	addu(tls, "tls.alert_message.desc", 42);
	struct tw_node *d = tree_add_gen(&T, T.root, &f_data_target);
	node_set_bytes(d, (const uint8_t *)"srv\"01", 6);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tree_free(&T);
	return 0;
}

static bool
m(const char *expr)
{
	struct filter_error e;
	struct tw_filter *f = filter_compile(expr, &e);
	if (!f)
		fail_msg("'%s' did not compile: %s at %zu", expr, e.msg, e.pos);
	bool r = filter_match(f, &T);
	filter_free(f);
	return r;
}

#define YES(x) assert_true(m(x))
#define NO(x) assert_false(m(x))

/* Compile must fail at pos (len) with msg containing want. */
static void
bad(const char *expr, size_t pos, size_t len, const char *want)
{
	struct filter_error e;
	struct tw_filter *f = filter_compile(expr, &e);
	if (f) {
		filter_free(f);
		fail_msg("'%s' compiled", expr);
	}
	if (!strstr(e.msg, want) || e.pos != pos || e.len != len)
		fail_msg("'%s': got '%s' at %zu+%zu, want '%s' at %zu+%zu", expr, e.msg, e.pos, e.len, want, pos,
		         len);
}

static void
test_presence(void **state)
{
	(void)state;
	YES("tcp");
	YES("tls");
	NO("dns");
	NO("event");
	YES("tcp.flags.syn");     /* present even when 0 */
	YES("tcp.flags.reset");
	YES("event.data.TargetName");
	YES("event.data");
	NO("event.data.Other");
}

static void
test_precedence(void **state)
{
	(void)state;
	YES("tcp or dns and udp");        /* tcp or (dns and udp) */
	NO("(tcp or dns) and udp");
	YES("dns and udp or tcp");
	YES("not dns and tcp");           /* (not dns) and tcp */
	NO("not (dns or tcp)");
	YES("!dns && tcp || udp");
	NO("! ! dns");
	YES("((tcp))");
	YES("tcp and tls and ip and not dns");
}

static void
test_integers(void **state)
{
	(void)state;
	YES("tcp.port == 443");
	YES("tcp.port eq 51000");
	YES("tcp.port == 0x1bb");
	YES("tcp.port == 0673");          /* octal, as Wireshark */
	NO("tcp.port == 80");
	YES("tcp.port != 80");
	NO("tcp.port != 443");            /* one occurrence equals */
	YES("tcp.port ~= 443");           /* any_ne: 51000 differs */
	YES("tcp.srcport < 444");
	NO("tcp.srcport < 443");
	YES("tcp.srcport <= 443");
	YES("tcp.srcport > 442 && tcp.srcport >= 443");
	NO("tcp.srcport gt 443");
	YES("tcp.port in {80, 443}");
	YES("tcp.port in {80 443}");
	NO("tcp.port in {80, 8080}");
	YES("tcp.port in {50000..52000}");
	NO("tcp.srcport in {1..442, 444..1000}");
	YES("frame.len >= 500 and frame.len lt 600");
	YES("tcp.flags.syn == 1");
	YES("tcp.flags.syn == true");
	YES("tcp.flags.reset == 0");
	NO("udp.port == 53");             /* absent: false */
	NO("udp.port != 53");             /* absent: != is false too */
}

static void
test_value_names(void **state)
{
	(void)state;
	YES("tls.alert_message.desc == 42");
	YES("tls.alert_message.desc == \"Bad Certificate\"");
	YES("tls.alert_message.desc == bad_certificate");
	NO("tls.alert_message.desc == \"Unknown CA\"");
}

static void
test_addresses(void **state)
{
	(void)state;
	YES("ip.src == 10.0.0.1");
	YES("ip.addr == 192.168.1.5");
	YES("ip.addr == 10.0.0.0/8");
	YES("ip.dst == 192.168.0.0/16");
	NO("ip.dst == 192.168.2.0/24");
	YES("ip.addr != 172.16.0.0/12");
	NO("ip.addr != 10.0.0.0/8");
	YES("ip.addr in {1.2.3.4, 10.0.0.1}");
	YES("ip.src < 10.0.0.2");
	YES("ipv6.addr == 2001:db8::1");
	YES("ipv6.addr == 2001:db8::/32");
	NO("ipv6.addr == fe80::/10");
	YES("eth.addr == 00:11:22:33:44:55");
	YES("eth.addr == 00-11-22-33-44-55");
	NO("eth.addr == ff:ff:ff:ff:ff:ff");
}

static void
test_strings(void **state)
{
	(void)state;
	YES("tls.handshake.extensions_server_name == \"shop.Example.test\"");
	NO("tls.handshake.extensions_server_name == \"shop.example.test\"");
	YES("tls.handshake.extensions_server_name contains \"Example\"");
	NO("tls.handshake.extensions_server_name contains \"example\"");   /* case-sensitive */
	YES("tls.handshake.extensions_server_name matches \"^SHOP\\\\.example\"");  /* insensitive */
	YES("tls.handshake.extensions_server_name ~ \"test$\"");
	NO("tls.handshake.extensions_server_name matches \"^example\"");
	YES("tls.handshake.extensions_server_name > \"a\"");
	YES("event.data.TargetName == \"srv\\\"01\"");
	YES("event.data.TargetName == \"srv\\x2201\"");
	YES("event.data.TargetName == \"srv\\04201\"");
	YES("event.data.TargetName contains \"v\\\"0\"");
	YES("frame.time_relative > 1.4 and frame.time_relative < 1.6");
}

static void
test_errors(void **state)
{
	(void)state;
	bad("", 0, 1, "empty filter");
	bad("tls.handshake.typo == 1", 0, 18, "did you mean tls.handshake.type?");
	bad("tcp.flags.synn", 0, 14, "did you mean tcp.flags.syn?");
	bad("tcp.port == 443 and ip.adr == 1.2.3.4", 20, 6, "did you mean ip.addr?");
	bad("tcp.port ==", 11, 1, "expected a value after '=='");
	bad("tcp.port == https", 12, 5, "'https' is not a valid value for tcp.port");
	bad("(tcp or udp", 0, 1, "unmatched '('");
	bad("tcp or udp)", 10, 1, "unmatched ')'");
	bad("tcp udp", 4, 3, "missing 'and' or 'or'");
	bad("tcp and", 7, 1, "expected a field");
	bad("== 3", 0, 2, "needs a field on its left");
	bad("ip.addr == 10.0.0.0/33", 11, 11, "not a valid value for ip.addr");
	bad("tcp.port contains \"x\"", 9, 8, "'contains' needs a string");
	bad("tcp == 1", 4, 2, "can only be tested for presence");
	bad("http.host matches \"(\"", 18, 3, "bad regular expression");
	bad("http.host == \"abc", 13, 4, "unterminated string");
	bad("tcp.port in {80, 443", 12, 1, "unmatched '{'");
	bad("tcp.port in {}", 12, 2, "empty set");
	bad("tcp.port # 3", 9, 1, "unexpected character '#'");
	bad("10.0.0.1 == ip.src", 0, 8, "is a value, not a field");
	bad("tcp.port == 99999", 12, 5, "'99999' is too big for tcp.port, maximum 65535");
	bad("tcp.port in {1..65536}", 16, 5, "too big for tcp.port");
	bad("correlated == 1", 11, 2, "'correlated' can only be tested for presence");
	bad("finding > 3 and x", 16, 1, "unknown field 'x'");
	bad("finding contains", 16, 1, "expected a value after 'contains'");
	bad("process.pid == rubeus", 15, 6, "'rubeus' is not a valid value for process.pid");
	bad("process.pid contains \"4\"", 12, 8, "'contains' needs a string");
	bad("findings", 0, 8, "did you mean finding?");
	bad("corelated", 0, 9, "did you mean correlated?");
	bad("cert.sigalgo", 0, 12, "did you mean cert.sigalg?");
	bad("http.host == \"a\\q\"", 15, 2, "unknown escape '\\q' in string");
	/* The byte after the backslash may be a control: never put in the message raw
	 * (tests/data/regress/filter-ctl-in-escape-error.txt, found by fuzzing). */
	bad("http.host == \"a\\\x1b[2J\"", 15, 2, "unknown escape '\\' followed by byte 0x1b in string");
	/* A token quoted in a message: controls as \xNN, backslashes kept
	 * (tests/data/regress/filter-c1-in-unexpected-token.txt, found by fuzzing). */
	bad("tcp \"a\x1b[2J\xc2\x9b\"", 4, 9, "unexpected '\"a\\x1b[2J\\xc2\\x9b\"': missing 'and' or 'or'?");
}

static void
test_caret(void **state)
{
	(void)state;
	struct filter_error e;
	const char *expr = "tcp.port == 443 && ip.adr == 1.2.3.4";
	assert_null(filter_compile(expr, &e));
	struct tw_sb sb;
	sb_heap(&sb);
	filter_error_format(&sb, expr, &e, "  ");
	assert_string_equal(sb.s, "  unknown field 'ip.adr'; did you mean ip.addr?\n"
	                          "  tcp.port == 443 && ip.adr == 1.2.3.4\n"
	                          "                     ^~~~~~\n");
	sb_free(&sb);
	/* The echoed expression shows controls, C1 (U+0091), RLO and invalid UTF-8
	 * as one '?' each, keeping the caret aligned
	 * (tests/data/regress/filter-c1-in-echoed-expression.txt, found by fuzzing). */
	const char *bad_expr = "http.host == \"\xc2\x91\xe2\x80\xae\xff\x1b\xc3\xa9\" && ip.adr";
	assert_null(filter_compile(bad_expr, &e));
	sb_heap(&sb);
	filter_error_format(&sb, bad_expr, &e, "");
	const char *line2 = strchr(sb.s, '\n') + 1;
	assert_string_equal(line2, "http.host == \"????\xc3\xa9\" && ip.adr\n"
	                           "                        ^~~~~~\n");
	sb_free(&sb);
}

static void
test_suggest(void **state)
{
	(void)state;
	const char *s[3];
	assert_int_equal(filter_suggest("tls.handshake.typ", s, 3), 1);
	assert_string_equal(s[0], "tls.handshake.type");
	assert_int_equal(filter_suggest("zzzzzzzzzzzzzzzzzzzz", s, 3), 0);
}

/*
 * Row context: a hand-built timeline of 4 event rows (no sources are read
 * for event rows except process.host) with links and findings:
 *   row 0: handshake link (event a = 0) and finding "tls" "alert bad_certificate (42)";
 *   row 1: process link (a = 1): C:\Tools\Rubeus.exe pid 2476; finding "certificate" "signed with MD2";
 *   row 2: nothing; row 3: a finding on rows {2, 3}: "event" "Schannel 36888".
 */
static void
test_context(void **state)
{
	(void)state;
	struct tw_row rows[4];
	memset(rows, 0, sizeof rows);
	for (size_t i = 0; i < 4; i++) {
		rows[i].kind = ROW_EVENT;
		rows[i].idx = (uint32_t)i;
	}
	struct tw_timeline tl;
	memset(&tl, 0, sizeof tl);
	tl.rows = rows;
	tl.n = 4;
	struct tw_link lk[2];
	memset(lk, 0, sizeof lk);
	lk[0].a = 0, lk[0].b = UINT32_MAX, lk[0].kind = LINK_HANDSHAKE, lk[0].conv = UINT32_MAX;
	static const char img[] = "C:\\Tools\\Rubeus.exe";
	lk[1].a = 1, lk[1].b = UINT32_MAX, lk[1].kind = LINK_PROCESS, lk[1].conv = UINT32_MAX;
	lk[1].image = img, lk[1].image_len = sizeof img - 1, lk[1].pid = 2476, lk[1].have_pid = true;
	struct tw_finding fd[3];
	memset(fd, 0, sizeof fd);
	char t0[] = "alert bad_certificate (42)", t1[] = "signed with MD2", t2[] = "Schannel 36888";
	fd[0] = (struct tw_finding){ .sev = TW_SEV_ERROR, .category = "tls", .rows = { 0 }, .nrows = 1, .text = t0 };
	fd[1] = (struct tw_finding){ .sev = TW_SEV_ERROR, .category = "certificate", .rows = { 1 }, .nrows = 1, .text = t1 };
	fd[2] = (struct tw_finding){ .sev = TW_SEV_WARN, .category = "event", .rows = { 2, 3 }, .nrows = 2, .text = t2 };
	struct tw_analysis an;
	memset(&an, 0, sizeof an);
	an.tl = &tl;
	an.links.v = lk;
	an.links.n = 2;
	an.f = fd;
	an.nf = 3;
	struct filter_ctx *cx = filter_ctx_new(&tl, NULL, &an);
	struct tw_tree t;
	tree_init(&t, false);
	static const struct {
		const char *expr;
		const char *rows; /* '1' where the row matches */
	} cases[] = {
		{ "correlated", "1000" },
		{ "not correlated", "0111" },
		{ "finding", "1111" },
		{ "finding contains \"MD2\"", "0100" },
		{ "finding contains \"md2\"", "0000" },         /* contains is case-sensitive */
		{ "finding matches \"md2\"", "0100" },          /* matches is not */
		{ "finding == \"Schannel 36888\"", "0011" },
		{ "finding != \"Schannel 36888\"", "1100" },
		{ "finding.category in {\"tls\" \"event\"}", "1011" },
		{ "process", "0100" },
		{ "process.name == \"Rubeus.exe\"", "0100" },
		{ "process.name matches \"^rubeus\"", "0100" },
		{ "process.image contains \"Tools\"", "0100" },
		{ "process.pid == 2476", "0100" },
		{ "process.pid > 3000", "0000" },
		{ "correlated || process.pid == 2476", "1100" },
		{ "finding && !correlated && !process", "0011" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct filter_error e;
		struct tw_filter *f = filter_compile(cases[i].expr, &e);
		if (!f)
			fail_msg("'%s' did not compile: %s", cases[i].expr, e.msg);
		unsigned nd = filter_needs(f);
		assert_true(nd != 0);
		char got[5] = "";
		for (size_t r = 0; r < 4; r++)
			got[r] = filter_match_row(f, cx, r, &t) ? '1' : '0';
		if (strcmp(got, cases[i].rows) != 0)
			fail_msg("'%s': rows %s, want %s", cases[i].expr, got, cases[i].rows);
		/* Without a context the row's own facts are unknown: the tests are false. */
		for (size_t r = 0; r < 4; r++)
			if (!strchr(cases[i].expr, '!') && !strstr(cases[i].expr, "not") && !strstr(cases[i].expr, "!="))
				assert_false(filter_match_row(f, NULL, r, &t));
		filter_free(f);
	}
	tree_free(&t);
	filter_ctx_free(cx);

	/* What each name needs. */
	struct filter_error e;
	struct tw_filter *f = filter_compile("correlated", &e);
	assert_int_equal(filter_needs(f), FILTER_NEEDS_LINKS);
	assert_false(filter_wants_labels(f));
	filter_free(f);
	f = filter_compile("finding.category == \"tls\" or tcp", &e);
	assert_int_equal(filter_needs(f), FILTER_NEEDS_FINDINGS);
	filter_free(f);
	f = filter_compile("cert.sigalg contains \"md2\" || x509ce.dNSName == \"a\"", &e);
	assert_int_equal(filter_needs(f), 0);
	assert_true(filter_wants_labels(f));
	filter_free(f);
	f = filter_compile("cert.expired == 1 && cert.subject contains \"CN\" && cert.issuer", &e);
	assert_non_null(f);
	filter_free(f);
	f = filter_compile("tls.handshake.type == 11", &e);
	assert_int_equal(filter_needs(f), 0);
	assert_false(filter_wants_labels(f));
	filter_free(f);
}

/*
 * The index path (filter_match_index): decisions from the load pass's facts
 * alone. A server-to-client TLS frame of 10.0.0.1:51000 -> 10.0.0.2:443
 * carrying Certificate (11), ServerKeyExchange (12) and ServerHelloDone (14).
 */
static int
ix(const char *expr, const struct filter_frame_facts *ff)
{
	struct filter_error e;
	struct tw_filter *f = filter_compile(expr, &e);
	if (!f)
		fail_msg("'%s' did not compile: %s", expr, e.msg);
	int r = filter_match_index(f, ff);
	filter_free(f);
	return r;
}

static void
test_index(void **state)
{
	(void)state;
	struct tw_conv cv;
	memset(&cv, 0, sizeof cv);
	const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 };
	addr_set(&cv.addr[0], AT_IPV4, a);
	addr_set(&cv.addr[1], AT_IPV4, b);
	cv.port[0] = 51000;
	cv.port[1] = 443;
	cv.proto = 6;
	struct filter_frame_facts ff = { 7, 1514, 1514,
		                         FRAME_IDX_SIMPLE | FRAME_IDX_DIR_B | FRAME_IDX_APP_TLS | FRAME_IDX_HS,
		                         1u << 11 | 1u << 12 | 1u << 14, PROTO_TCP, true, &cv };
	static const struct {
		const char *expr;
		int want;
	} cases[] = {
		{ "tls.handshake.type == 11", 1 },
		{ "tls.handshake.type == 1", 0 },
		{ "tls.handshake.type in {2 14}", 1 },
		{ "tls.handshake.type != 11", 0 },  /* every occurrence must differ */
		{ "tls.handshake.type ~= 11", 1 },  /* some occurrence differs */
		{ "tls.handshake.type > 13", 1 },
		{ "tls && !dns", 1 },
		{ "not tls", 0 },
		{ "ip.src == 10.0.0.2 && ip.dst == 10.0.0.1", 1 },
		{ "ip.src == 10.0.0.1", 0 },
		{ "ip.addr == 10.0.0.0/8", 1 },
		{ "ipv6.addr == ::1", 0 },
		{ "tcp.srcport == 443 && tcp.dstport == 51000", 1 },
		{ "tcp.port in {80 8080}", 0 },
		{ "udp || udp.port == 443", 0 },
		{ "frame.number == 7 && frame.len >= 1514", 1 },
		{ "dns.qry.name == \"x\"", 0 },   /* a field of an absent layer */
		{ "http.host", 0 },
		{ "event.id == 36888", 0 },
		{ "arp or icmp", 0 },
		{ "tcp.flags.syn == 1", -1 },         /* needs the tree */
		{ "tls.record.version == 0x0303", -1 },
		{ "correlated", -1 },
		{ "ip.src == 10.0.0.1 || tcp.flags.syn == 1", -1 },
		{ "ip.src == 10.0.0.1 && tcp.flags.syn == 1", 0 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		int got = ix(cases[i].expr, &ff);
		if (got != cases[i].want)
			fail_msg("'%s': %d, want %d", cases[i].expr, got, cases[i].want);
	}
	/* A conversation with lost or retransmitted segments: application layers are not trusted. */
	ff.clean = false;
	assert_int_equal(ix("tls", &ff), -1);
	assert_int_equal(ix("tls.handshake.type == 11", &ff), -1);
	assert_int_equal(ix("tcp.port == 443", &ff), 1);
	/* Without the handshake list: TLS is there, its messages are not known. */
	ff.clean = true;
	ff.flags &= ~(uint32_t)FRAME_IDX_HS;
	assert_int_equal(ix("tls.handshake.type == 11", &ff), -1);
	assert_int_equal(ix("tls", &ff), 1);
	/* Not a plain TCP/UDP frame of its conversation (tunnel, ICMP error): only frame.* is known. */
	ff.flags = 0;
	ff.cv = NULL;
	assert_int_equal(ix("ip.addr == 10.0.0.1", &ff), -1);
	assert_int_equal(ix("tls", &ff), -1);
	assert_int_equal(ix("frame.len > 10", &ff), 1);
	assert_int_equal(ix("event", &ff), 0);
	/* Tests the index can never decide. */
	struct filter_error e;
	struct tw_filter *f = filter_compile("finding contains \"x\" || process.pid == 4", &e);
	assert_false(filter_index_ok(f));
	filter_free(f);
	f = filter_compile("tls.handshake.type == 11", &e);
	assert_true(filter_index_ok(f));
	filter_free(f);
}

/* Every prefix and some byte flips of valid filters: compile or fail cleanly (ASan/leaks in make check). */
static void
test_garbage(void **state)
{
	(void)state;
	static const char *const good[] = {
		"ip.addr == 10.0.0.0/8 && tcp.flags.reset == 1",
		"tcp.port in {80, 443..445} or not (udp and dns.qry.name contains \"a\\x41\\101\")",
		"tls.handshake.extensions_server_name matches \"^(a|b)+\\.test$\" || event.data.X == \"y\"",
		"ipv6.addr == 2001:db8::/32 and eth.addr == 00:11:22:33:44:55 && frame.time_relative >= 0.5",
		"!(tls.alert_message.desc == \"Bad Certificate\") ~= error warning != ",
	};
	unsigned seed = 1;
	char buf[256];
	for (size_t g = 0; g < ARRAY_SIZE(good); g++) {
		size_t n = strlen(good[g]);
		for (size_t cut = 0; cut <= n; cut++) {
			memcpy(buf, good[g], cut);
			buf[cut] = '\0';
			struct filter_error e;
			struct tw_filter *f = filter_compile(buf, &e);
			if (f) {
				(void)filter_match(f, &T);
				filter_free(f);
			} else {
				assert_true(e.pos <= cut);
				assert_true(e.msg[0] != '\0');
			}
		}
		for (int k = 0; k < 300; k++) {
			memcpy(buf, good[g], n + 1);
			for (int j = 0; j < 3; j++) {
				seed = seed * 1103515245u + 12345u;
				buf[(seed >> 8) % n] = (char)(" (){}\"\\!=<>~.,:/&|0aZ\x80"[(seed >> 16) % 22]);
			}
			struct filter_error e;
			struct tw_filter *f = filter_compile(buf, &e);
			if (f) {
				(void)filter_match(f, &T);
				filter_free(f);
			}
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_presence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_integers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_value_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strings, setup, teardown),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_caret),
		cmocka_unit_test(test_suggest),
		cmocka_unit_test(test_context),
		cmocka_unit_test(test_index),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
