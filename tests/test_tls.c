/*
 * test_tls.c - TLS dissection (src/core/dissect/tls.c) on hand-built
 * records, through captures (tcpcap.h) so the load pass builds the
 * connection state the display uses, and directly through dis_tls for the
 * hostile cases (every truncation, lying lengths) on heap copies of exactly
 * the bytes given, so the sanitizer build catches any read past them.
 *
 * Messages follow RFC 8446 / RFC 5246 byte for byte; certificates and
 * distinguished names are made at test time with OpenSSL's own encoders
 * (EC P-256 key generated for the run), so the expected subjects are known
 * independently of the dissector.
 */
#include "tcpcap.h"

#include "core/dissect/tls.h"
#include "core/reasm.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

static char *tmpdir;

/*
 * A certificate finding of the chain model (x509.c: an expert item
 * carrying a cert.finding code), not a dissection problem: the test
 * certificates are deliberately minimal (no basicConstraints, made "now"
 * but sent in 1970 captures) and their checks are test_x509.c's business.
 */
static bool
is_cert_finding(const struct tw_node *x)
{
	for (const struct tw_node *k = x->child; k; k = k->next)
		if (k->f && strcmp(k->f->abbrev, "cert.finding") == 0)
			return true;
	return false;
}

/* Truncated or malformed nodes, or expert warnings and errors other than certificate findings. */
static bool
dissect_problem(const struct tw_tree *t)
{
	for (struct tw_node *x = t->root; x; x = node_next_preorder(x, t->root))
		if ((x->flags & (TW_NF_TRUNC | TW_NF_MALFORMED)) ||
		    ((x->flags & TW_NF_EXPERT) && x->sev >= TW_SEV_WARN && !is_cert_finding(x)))
			return true;
	return false;
}

static EVP_PKEY *
test_key(void)
{
	static EVP_PKEY *key;
	if (!key)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(key);
	return key;
}

static int
group_setup(void **state)
{
	(void)state;
	tmpdir = tu_mkdtemp();
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	if (getenv("TW_KEEP_TMP")) {
		fprintf(stderr, "captures kept in %s\n", tmpdir);
		free(tmpdir);
	} else {
		tu_rmtree(tmpdir);
	}
	tmpdir = NULL;
	EVP_PKEY_free(test_key());
	return 0;
}

static struct tw_capture *
load(const struct tc_cap *k, const char *name)
{
	char path[700];
	tu_path(path, sizeof path, tmpdir, name);
	tc_write(k, path);
	return tc_load_path(path);
}

static void
check_all_frames(struct tw_capture *cap)
{
	struct tc_view v;
	tc_view_init(&v, cap);
	for (uint32_t i = 1; i <= capture_count(cap); i++) {
		tc_show(&v, i);
		tc_check_ranges(&v);
	}
	struct tw_dctx c;
	memset(&c, 0, sizeof c);
	for (uint32_t i = 0; i < capture_count(cap); i++)
		capture_dissect(cap, i, &c, NULL);
	tc_view_free(&v);
}

/* The TLS connection of the conversation frame `frame` (1-based) belongs to. */
static const struct tls_conn *
conn_of(struct tw_capture *cap, uint32_t frame)
{
	uint32_t conv = capture_frame(cap, frame - 1)->conv;
	assert_int_not_equal(conv, CONV_NONE);
	const struct tls_conn *tc = tls_conn_get(capture_convs(cap), conv);
	assert_non_null(tc);
	return tc;
}

/* tls_conn_describe of that connection (static buffer). */
static const char *
describe(struct tw_capture *cap, uint32_t frame)
{
	static char buf[1024];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	uint32_t conv = capture_frame(cap, frame - 1)->conv;
	tls_conn_describe(&sb, conn_of(cap, frame), &capture_convs(cap)->v[conv]);
	return buf;
}

/* ---- message builders --------------------------------------------------- */

static void
ext(struct tu_bytes *b, uint16_t type, const struct tu_bytes *data)
{
	tu_put16(b, type, true);
	tu_put16(b, (uint16_t)(data ? data->n : 0), true);
	if (data)
		tu_put(b, data->p, data->n);
}

static void
u16s(struct tu_bytes *b, const uint16_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tu_put16(b, v[i], true);
}

struct hello_opts {
	const char *sni;
	bool tls13;       /* supported_versions 1.3 first, key_share x25519 */
	bool full;        /* every extension of the feature test, with GREASE */
};

/* ClientHello message body (RFC 8446 4.1.2). */
static void
client_hello_body(struct tu_bytes *b, const struct hello_opts *o)
{
	tu_put16(b, 0x0303, true);
	for (int i = 0; i < 32; i++)
		tu_put8(b, (uint8_t)(0xa0 + i));
	tu_put8(b, 32); /* legacy_session_id */
	for (int i = 0; i < 32; i++)
		tu_put8(b, (uint8_t)i);
	static const uint16_t suites[] = { 0x0a0a, 0x1301, 0x1302, 0xc02f };
	tu_put16(b, sizeof suites, true);
	u16s(b, suites, ARRAY_SIZE(suites));
	tu_put8(b, 1);
	tu_put8(b, 0);
	struct tu_bytes e = { 0 }, d = { 0 };
	if (o->full)
		ext(&e, 0x4a4a, NULL); /* GREASE, empty */
	if (o->sni) {
		size_t n = strlen(o->sni);
		tu_put16(&d, (uint16_t)(3 + n), true);
		tu_put8(&d, 0);
		tu_put16(&d, (uint16_t)n, true);
		tu_put(&d, o->sni, n);
		ext(&e, 0, &d);
		d.n = 0;
	}
	if (o->full) {
		ext(&e, 23, NULL);     /* extended_master_secret */
		tu_put8(&d, 0);
		ext(&e, 0xff01, &d);   /* renegotiation_info, empty */
		d.n = 0;
		static const uint16_t groups[] = { 0x1a1a, 0x001d, 0x0017 };
		tu_put16(&d, sizeof groups, true);
		u16s(&d, groups, ARRAY_SIZE(groups));
		ext(&e, 10, &d);       /* supported_groups */
		d.n = 0;
		ext(&e, 35, NULL);     /* session_ticket, empty */
		static const char alpn[] = "\x02h2\x08http/1.1";
		tu_put16(&d, sizeof alpn - 1, true);
		tu_put(&d, alpn, sizeof alpn - 1);
		ext(&e, 16, &d);       /* ALPN */
		d.n = 0;
		ext(&e, 22, NULL);     /* encrypt_then_mac */
		static const uint16_t sigs[] = { 0x0403, 0x0804, 0x0401 };
		tu_put16(&d, sizeof sigs, true);
		u16s(&d, sigs, ARRAY_SIZE(sigs));
		ext(&e, 13, &d);       /* signature_algorithms */
		d.n = 0;
	}
	if (o->tls13 || o->full) {
		/* key_share: a GREASE entry of one byte, then x25519. */
		struct tu_bytes ks = { 0 };
		if (o->full) {
			tu_put16(&ks, 0x3a3a, true);
			tu_put16(&ks, 1, true);
			tu_put8(&ks, 0);
		}
		tu_put16(&ks, 0x001d, true);
		tu_put16(&ks, 32, true);
		for (int i = 0; i < 32; i++)
			tu_put8(&ks, (uint8_t)(0x55 ^ i));
		tu_put16(&d, (uint16_t)ks.n, true);
		tu_put(&d, ks.p, ks.n);
		tu_bytes_free(&ks);
		ext(&e, 51, &d);
		d.n = 0;
		tu_put8(&d, 1);
		tu_put8(&d, 1);
		ext(&e, 45, &d);       /* psk_key_exchange_modes: psk_dhe_ke */
		d.n = 0;
		static const uint16_t vers[] = { 0x2a2a, 0x0304, 0x0303 };
		tu_put8(&d, sizeof vers);
		u16s(&d, vers, ARRAY_SIZE(vers));
		ext(&e, 43, &d);       /* supported_versions */
		d.n = 0;
	}
	if (o->full) {
		tu_put16(&d, 0x4001, true);
		ext(&e, 28, &d);       /* record_size_limit */
		d.n = 0;
		tu_put8(&d, 0);
		ext(&e, 0x5a5a, &d);   /* GREASE with one byte */
		d.n = 0;
	}
	tu_put16(b, (uint16_t)e.n, true);
	tu_put(b, e.p, e.n);
	tu_bytes_free(&e);
	tu_bytes_free(&d);
}

static void
client_hello_record(struct tu_bytes *out, const struct hello_opts *o)
{
	struct tu_bytes b = { 0 };
	client_hello_body(&b, o);
	tc_hs_record(out, 1, b.p, b.n);
	tu_bytes_free(&b);
}

/* RFC 8446 4.1.3: SHA-256("HelloRetryRequest"). */
static const uint8_t HRR_RANDOM[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ServerHello body: version 0x0303, random, echo of a 32-byte session id, suite. */
enum sh_kind { SH_TLS12, SH_TLS13, SH_HRR };

static void
server_hello_body(struct tu_bytes *b, enum sh_kind kind, uint16_t suite)
{
	tu_put16(b, 0x0303, true);
	if (kind == SH_HRR)
		tu_put(b, HRR_RANDOM, 32);
	else
		for (int i = 0; i < 32; i++)
			tu_put8(b, (uint8_t)(0x30 + i));
	tu_put8(b, 32);
	for (int i = 0; i < 32; i++)
		tu_put8(b, (uint8_t)i);
	tu_put16(b, suite, true);
	tu_put8(b, 0);
	struct tu_bytes e = { 0 }, d = { 0 };
	if (kind == SH_TLS12) {
		tu_put8(&d, 0);
		ext(&e, 0xff01, &d);
		d.n = 0;
		ext(&e, 23, NULL);
	} else {
		tu_put16(&d, 0x0304, true);
		ext(&e, 43, &d);
		d.n = 0;
		if (kind == SH_HRR) {
			tu_put16(&d, 0x0017, true); /* selected_group */
		} else {
			tu_put16(&d, 0x001d, true);
			tu_put16(&d, 32, true);
			for (int i = 0; i < 32; i++)
				tu_put8(&d, (uint8_t)(0x77 ^ i));
		}
		ext(&e, 51, &d);
		d.n = 0;
	}
	tu_put16(b, (uint16_t)e.n, true);
	tu_put(b, e.p, e.n);
	tu_bytes_free(&e);
	tu_bytes_free(&d);
}

static void
server_hello_record(struct tu_bytes *out, enum sh_kind kind, uint16_t suite)
{
	struct tu_bytes b = { 0 };
	server_hello_body(&b, kind, suite);
	tc_hs_record(out, 2, b.p, b.n);
	tu_bytes_free(&b);
}

static X509_NAME *
make_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"tracewb tests", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	return n;
}

/* DER of a certificate for cn, issued by issuer, signed with the test key. */
static uint8_t *
make_cert_der(const char *cn, const char *issuer, long serial, size_t *len)
{
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME *s = make_name(cn), *i = make_name(issuer);
	X509_set_subject_name(x, s);
	X509_set_issuer_name(x, i);
	X509_gmtime_adj(X509_getm_notBefore(x), 0);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 365);
	X509_set_pubkey(x, test_key());
	assert_true(X509_sign(x, test_key(), EVP_sha256()) > 0);
	uint8_t *der = NULL;
	int n = i2d_X509(x, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	X509_NAME_free(s);
	X509_NAME_free(i);
	X509_free(x);
	return der;
}

static uint8_t *
make_name_der(const char *cn, size_t *len)
{
	X509_NAME *n = make_name(cn);
	uint8_t *der = NULL;
	int k = i2d_X509_NAME(n, &der);
	assert_true(k > 0);
	*len = (size_t)k;
	X509_NAME_free(n);
	return der;
}

/* Certificate message body (TLS 1.2): list of the two certificates. */
struct certs {
	uint8_t *der[2];
	size_t len[2];
};

static void
make_certs(struct certs *c)
{
	c->der[0] = make_cert_der("leaf.example.test", "Test Issuing CA", 0x1001, &c->len[0]);
	c->der[1] = make_cert_der("Test Issuing CA", "Test Issuing CA", 1, &c->len[1]);
}

static void
free_certs(struct certs *c)
{
	OPENSSL_free(c->der[0]);
	OPENSSL_free(c->der[1]);
}

static void
certificate_body(struct tu_bytes *b, const struct certs *c)
{
	tc_put24(b, (uint32_t)(c->len[0] + c->len[1] + 6));
	for (int i = 0; i < 2; i++) {
		tc_put24(b, (uint32_t)c->len[i]);
		tu_put(b, c->der[i], c->len[i]);
	}
}

/* CertificateRequest (TLS 1.2, RFC 5246 7.4.4) naming two CAs. */
static void
cert_request_body(struct tu_bytes *b)
{
	tu_put8(b, 2);
	tu_put8(b, 1);  /* rsa_sign */
	tu_put8(b, 64); /* ecdsa_sign */
	static const uint16_t sigs[] = { 0x0403, 0x0804 };
	tu_put16(b, sizeof sigs, true);
	u16s(b, sigs, ARRAY_SIZE(sigs));
	size_t l1, l2;
	uint8_t *n1 = make_name_der("Test Root CA", &l1);
	uint8_t *n2 = make_name_der("Other CA", &l2);
	tu_put16(b, (uint16_t)(l1 + l2 + 4), true);
	tu_put16(b, (uint16_t)l1, true);
	tu_put(b, n1, l1);
	tu_put16(b, (uint16_t)l2, true);
	tu_put(b, n2, l2);
	OPENSSL_free(n1);
	OPENSSL_free(n2);
}

static void
alert_record(struct tu_bytes *out, uint8_t level, uint8_t desc)
{
	uint8_t a[2] = { level, desc };
	tc_tls_record(out, 21, a, 2);
}

static void
opaque_record(struct tu_bytes *out, uint8_t type, size_t n, uint8_t seed)
{
	uint8_t *p = malloc(n);
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 7 + seed);
	tc_tls_record(out, type, p, n);
	free(p);
}

/* ---- ClientHello: every extension ---------------------------------------- */

static void
test_client_hello_fields(void **state)
{
	(void)state;
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	struct tu_bytes ch = { 0 };
	struct hello_opts o = { .sni = "www.example.test", .full = true };
	client_hello_record(&ch, &o);
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 4);
	struct tw_capture *cap = load(&k, "ch.pcap");
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);
	tc_show(&v, 4);
	assert_string_equal(tc_info(&v), "Client Hello");
	assert_string_equal(tc_proto(&v), "TLSv1.2"); /* no ServerHello: the record version */
	assert_string_equal(v.c.pi.protos.s, "eth:ethertype:ip:tcp:tls");
	assert_int_equal(v.t.max_sev, TW_SEV_NONE);
	assert_string_equal(tc_fval(&v, "tls.record.content_type"), "22");
	assert_string_equal(tc_fval(&v, "tls.record.version"), "0x0303");
	char want[32];
	snprintf(want, sizeof want, "%zu", ch.n - 5);
	assert_string_equal(tc_fval(&v, "tls.record.length"), want);
	assert_string_equal(tc_fval(&v, "tls.handshake.type"), "1");
	assert_string_equal(tc_fval(&v, "tls.handshake.version"), "0x0303");
	assert_string_equal(tc_fval(&v, "tls.handshake.session_id_length"), "32");
	assert_string_equal(tc_fval(&v, "tls.handshake.cipher_suites_length"), "8");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_server_name"), "www.example.test");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_server_name_type"), "0");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_server_name_len"), "16");

	/* Cipher suites with IANA names; GREASE named as such. */
	assert_int_equal(tc_count(&v, "tls.handshake.ciphersuite"), 4);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.ciphersuite", 0)),
	                    "Cipher Suite: Reserved (GREASE) (0x0a0a)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.ciphersuite", 1)),
	                    "Cipher Suite: TLS_AES_128_GCM_SHA256 (0x1301)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.ciphersuite", 2)),
	                    "Cipher Suite: TLS_AES_256_GCM_SHA384 (0x1302)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.ciphersuite", 3)),
	                    "Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.ciphersuite", 1)), "0x1301");
	tc_assert_label(&v, "Cipher Suites (4 suites)");

	/* Extensions, in order, with GREASE types. */
	tc_assert_label(&v, "Extension: Reserved (GREASE) (len=0)");
	tc_assert_label(&v, "Type: Reserved (GREASE) (19018)");
	tc_assert_label(&v, "Extension: server_name (len=21) name=www.example.test");
	tc_assert_label(&v, "Extension: extended_master_secret (len=0)");
	tc_assert_label(&v, "Extension: renegotiation_info (len=1)");
	tc_assert_label(&v, "Extension: supported_groups (len=8)");
	tc_assert_label(&v, "Extension: session_ticket (len=0)");
	tc_assert_label(&v, "Extension: application_layer_protocol_negotiation (len=14)");
	tc_assert_label(&v, "Extension: encrypt_then_mac (len=0)");
	tc_assert_label(&v, "Extension: signature_algorithms (len=8)");
	tc_assert_label(&v, "Extension: key_share (len=43)");
	tc_assert_label(&v, "Extension: psk_key_exchange_modes (len=2)");
	tc_assert_label(&v, "Extension: supported_versions (len=7)");
	tc_assert_label(&v, "Extension: record_size_limit (len=2)");
	tc_assert_label(&v, "Extension: Reserved (GREASE) (len=1)");
	assert_int_equal(tc_count(&v, "tls.handshake.extension.type"), 14);
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.extension.type", 0)), "19018");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.extension.type", 13)), "23130");

	assert_int_equal(tc_count(&v, "tls.handshake.extensions_supported_group"), 3);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.extensions_supported_group", 0)),
	                    "Supported Group: Reserved (GREASE) (0x1a1a)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.extensions_supported_group", 1)),
	                    "Supported Group: x25519 (0x001d)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.extensions_supported_group", 2)),
	                    "Supported Group: secp256r1 (0x0017)");
	assert_int_equal(tc_count(&v, "tls.handshake.sig_hash_alg"), 3);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.sig_hash_alg", 0)),
	                    "Signature Algorithm: ecdsa_secp256r1_sha256 (0x0403)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.sig_hash_alg", 1)),
	                    "Signature Algorithm: rsa_pss_rsae_sha256 (0x0804)");
	assert_string_equal(tc_fval(&v, "tls.handshake.sig_hash_alg_len"), "6");
	assert_int_equal(tc_count(&v, "tls.handshake.extensions_alpn_str"), 2);
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.extensions_alpn_str", 0)), "h2");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.extensions_alpn_str", 1)), "http/1.1");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_alpn_len"), "12");
	assert_int_equal(tc_count(&v, "tls.handshake.extensions.supported_version"), 3);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.extensions.supported_version", 0)),
	                    "Supported Version: Reserved (GREASE) (0x2a2a)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.extensions.supported_version", 1)),
	                    "Supported Version: TLS 1.3 (0x0304)");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions.supported_versions_len"), "6");
	/* key_share: the GREASE entry and x25519 with 32 bytes. */
	tc_assert_label(&v, "Key Share Entry: Group: Reserved (GREASE), Key Exchange length: 1");
	tc_assert_label(&v, "Key Share Entry: Group: x25519, Key Exchange length: 32");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_key_share_client_length"), "41");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.extensions_key_share_group", 1)), "29");
	assert_int_equal(tc_find_nth(&v, "tls.handshake.extensions_key_share_key_exchange", 1)->v.b.n, 32);
	assert_string_equal(tc_fval(&v, "tls.extension.psk_ke_mode"), "1");
	tc_assert_label(&v, "PSK Key Exchange Mode: PSK with (EC)DHE key establishment (psk_dhe_ke) (1)");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_reneg_info_len"), "0");
	assert_string_equal(tc_fval(&v, "tls.record_size_limit"), "16385");
	assert_string_equal(tc_fval(&v, "tls.handshake.comp_method"), "0");
	/* Nothing flagged on a well-formed hello. */
	for (struct tw_node *x = v.t.root; x; x = node_next_preorder(x, v.t.root))
		assert_int_equal(x->flags & (TW_NF_TRUNC | TW_NF_MALFORMED), 0);

	/* The load pass's summary. */
	const struct tls_conn *tc = conn_of(cap, 4);
	assert_int_equal(tc->sni_len, 16);
	assert_memory_equal(tc->sni, "www.example.test", 16);
	assert_int_equal(tc->ch_version, 0x0303);
	assert_int_equal(tc->ch_max_version, 0x0304); /* GREASE ignored */
	assert_int_equal(tc->ncipher_offered, 4);
	assert_int_equal(tc->ch_frame, 4);
	assert_string_equal(describe(cap, 4),
	                    "SNI www.example.test, client offered TLS 1.3, no ServerHello; "
	                    "handshake stopped after the client's Client Hello (frame 4)");
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&ch);
	tc_free(&k);
}

/* ---- a failed TLS 1.2 handshake ------------------------------------------ */

static void
test_failed_handshake(void **state)
{
	(void)state;
	struct certs cs;
	make_certs(&cs);
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	struct tu_bytes ch = { 0 }, sh = { 0 }, cert = { 0 }, crq = { 0 }, al = { 0 }, b = { 0 };
	struct hello_opts o = { .sni = "www.example.test" };
	client_hello_record(&ch, &o);
	server_hello_record(&sh, SH_TLS12, 0xc02f);
	certificate_body(&b, &cs);
	tc_hs_record(&cert, 11, b.p, b.n);
	size_t certs_len = b.n;
	b.n = 0;
	cert_request_body(&b);
	tc_hs_record(&crq, 13, b.p, b.n);
	tc_hs_record(&crq, 14, NULL, 0); /* Server Hello Done in a record of its own, same segment */
	alert_record(&al, 2, 42);
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 4);
	assert_int_equal(tc_send(&k, 1, sh.p, sh.n), 5);
	assert_int_equal(tc_send(&k, 1, cert.p, cert.n), 6);
	assert_int_equal(tc_send(&k, 1, crq.p, crq.n), 7);
	assert_int_equal(tc_send(&k, 0, al.p, al.n), 8);
	assert_int_equal(tc_fin(&k, 0), 9);
	assert_int_equal(tc_fin(&k, 1), 10);
	struct tw_capture *cap = load(&k, "failed.pcap");
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);

	/* ServerHello, TLS 1.2. */
	tc_show(&v, 5);
	assert_string_equal(tc_info(&v), "Server Hello");
	assert_string_equal(tc_proto(&v), "TLSv1.2");
	assert_string_equal(tc_fval(&v, "tls.handshake.version"), "0x0303");
	assert_string_equal(tc_fval(&v, "tls.handshake.ciphersuite"), "0xc02f");
	tc_assert_label(&v, "Cipher Suite: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 (0xc02f)");
	assert_null(tc_find(&v, "tls.handshake.extensions.supported_version"));

	/* Certificate: two real certificates, subjects in RFC 2253 form. */
	tc_show(&v, 6);
	assert_string_equal(tc_info(&v), "Certificate");
	assert_int_equal(tc_count(&v, "tls.handshake.certificate"), 2);
	char want[256];
	snprintf(want, sizeof want, "Certificate 1 (%zu bytes): CN=leaf.example.test,O=tracewb tests,C=US", cs.len[0]);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.certificate", 0)), want);
	snprintf(want, sizeof want, "Certificate 2 (%zu bytes): CN=Test Issuing CA,O=tracewb tests,C=US", cs.len[1]);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.certificate", 1)), want);
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.certificate.subject", 0)),
	                    "CN=leaf.example.test,O=tracewb tests,C=US");
	struct tw_node *c0 = tc_find_nth(&v, "tls.handshake.certificate", 0);
	assert_int_equal(c0->v.b.n, cs.len[0]);
	assert_memory_equal(c0->v.b.p, cs.der[0], cs.len[0]);
	assert_int_equal(c0->off, TC_HDR + 5 + 4 + 3 + 3);
	snprintf(want, sizeof want, "%zu", certs_len - 3);
	assert_string_equal(tc_fval(&v, "tls.handshake.certificates_length"), want);
	snprintf(want, sizeof want, "Certificates (%zu bytes, 2 certificates)", certs_len - 3);
	tc_assert_label(&v, want);
	assert_false(dissect_problem(&v.t));

	/* CertificateRequest: the acceptable CAs as RFC 2253 names. */
	tc_show(&v, 7);
	assert_string_equal(tc_info(&v), "Certificate Request, Server Hello Done");
	assert_int_equal(tc_count(&v, "tls.handshake.dname"), 2);
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.dname", 0)), "CN=Test Root CA,O=tracewb tests,C=US");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.dname", 1)), "CN=Other CA,O=tracewb tests,C=US");
	tc_assert_label(&v, "Distinguished Names (");
	tc_assert_label(&v, "bytes, 2 names)");
	assert_int_equal(tc_count(&v, "tls.handshake.cert_type"), 2);
	assert_int_equal(tc_count(&v, "tls.handshake.sig_hash_alg"), 2);

	/* The alert. */
	tc_show(&v, 8);
	assert_string_equal(tc_info(&v), "Alert (Level: Fatal, Description: Bad Certificate)");
	assert_string_equal(tc_fval(&v, "tls.alert_message.level"), "2");
	assert_string_equal(tc_fval(&v, "tls.alert_message.desc"), "42");
	tc_assert_label(&v, "TLSv1.2 Record Layer: Alert (Level: Fatal, Description: Bad Certificate)");
	assert_true(tc_has_expert(&v, TW_SEV_ERROR, "bad_certificate (42)"));
	assert_true(tc_has_expert(&v, TW_SEV_ERROR, "Fatal alert bad_certificate (42) sent by the client"));
	assert_int_equal(v.t.max_sev, TW_SEV_ERROR);
	/* The connection summary is in the tree of the first TLS record of a frame. */
	tc_assert_label(&v, "[TLS connection: SNI www.example.test");

	const struct tls_conn *tc = conn_of(cap, 8);
	assert_int_equal(tc->version, 0x0303);
	assert_true(tc->have_cipher);
	assert_int_equal(tc->cipher, 0xc02f);
	assert_int_equal(tc->cert_frame[1], 6);
	assert_int_equal(tc->certreq_frame, 7);
	assert_true(tc->have_alert);
	assert_false(tc->alert_encrypted);
	assert_int_equal(tc->alert_level, 2);
	assert_int_equal(tc->alert_desc, 42);
	assert_int_equal(tc->alert_dir, 0);
	assert_false(tls_handshake_complete(tc));
	const char *d = describe(cap, 8);
	tc_assert_contains(d, "SNI www.example.test");
	tc_assert_contains(d, "TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
	tc_assert_contains(d, "handshake stopped after the server's Server Hello Done (frame 7)");
	tc_assert_contains(d, "client fatal alert bad_certificate (42) (frame 8");
	assert_string_equal(d, "SNI www.example.test, TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; "
	                       "handshake stopped after the server's Server Hello Done (frame 7); "
	                       "client fatal alert bad_certificate (42) (frame 8, 0.000100 s after the server's "
	                       "Server Hello Done); closed (FIN) first by the client (frame 9)");
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&ch);
	tu_bytes_free(&sh);
	tu_bytes_free(&cert);
	tu_bytes_free(&crq);
	tu_bytes_free(&al);
	tu_bytes_free(&b);
	tc_free(&k);
	free_certs(&cs);
}

/* ---- a complete TLS 1.2 handshake ---------------------------------------- */

static void
test_complete_handshake(void **state)
{
	(void)state;
	struct certs cs;
	make_certs(&cs);
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	struct tu_bytes ch = { 0 }, fl = { 0 }, b = { 0 }, cl = { 0 }, sv = { 0 }, x = { 0 };
	struct hello_opts o = { .sni = "good.example.test" };
	client_hello_record(&ch, &o);
	/* Server flight: four records in one segment. */
	server_hello_record(&fl, SH_TLS12, 0xc02f);
	certificate_body(&b, &cs);
	tc_hs_record(&fl, 11, b.p, b.n);
	b.n = 0;
	tu_put8(&b, 3);                /* named_curve */
	tu_put16(&b, 0x001d, true);    /* x25519 */
	tu_put8(&b, 32);
	for (int i = 0; i < 32; i++)
		tu_put8(&b, (uint8_t)i);
	tu_put16(&b, 0x0403, true);
	tu_put16(&b, 8, true);
	tu_zero(&b, 8);
	tc_hs_record(&fl, 12, b.p, b.n);
	tc_hs_record(&fl, 14, NULL, 0);
	/* Client: ClientKeyExchange, ChangeCipherSpec, Finished (encrypted). */
	b.n = 0;
	tu_put8(&b, 32);
	for (int i = 0; i < 32; i++)
		tu_put8(&b, (uint8_t)(i + 1));
	tc_hs_record(&cl, 16, b.p, b.n);
	tc_tls_record(&cl, 20, "\x01", 1);
	opaque_record(&cl, 22, 40, 3);
	/* Server: ChangeCipherSpec, Finished. */
	tc_tls_record(&sv, 20, "\x01", 1);
	opaque_record(&sv, 22, 40, 5);
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 4);
	assert_int_equal(tc_send(&k, 1, fl.p, fl.n), 5);
	assert_int_equal(tc_send(&k, 0, cl.p, cl.n), 6);
	assert_int_equal(tc_send(&k, 1, sv.p, sv.n), 7);
	opaque_record(&x, 23, 100, 9);
	assert_int_equal(tc_send(&k, 0, x.p, x.n), 8);
	x.n = 0;
	opaque_record(&x, 23, 300, 11);
	assert_int_equal(tc_send(&k, 1, x.p, x.n), 9);
	x.n = 0;
	opaque_record(&x, 21, 26, 13); /* close_notify, encrypted */
	assert_int_equal(tc_send(&k, 0, x.p, x.n), 10);
	struct tw_capture *cap = load(&k, "complete.pcap");
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);
	tc_show(&v, 5);
	assert_string_equal(tc_info(&v), "Server Hello, Certificate, Server Key Exchange, Server Hello Done");
	assert_int_equal(tc_count(&v, "tls.record"), 4);
	assert_int_equal(tc_count(&v, "tls"), 4);
	assert_string_equal(tc_fval(&v, "tls.handshake.server_named_curve"), "0x001d");
	assert_string_equal(tc_fval(&v, "tls.handshake.server_point_len"), "32");
	tc_show(&v, 6);
	assert_string_equal(tc_info(&v), "Client Key Exchange, Change Cipher Spec, Encrypted Handshake Message");
	assert_string_equal(tc_fval(&v, "tls.handshake.client_point_len"), "32");
	assert_non_null(tc_find(&v, "tls.change_cipher_spec"));
	tc_show(&v, 7);
	assert_string_equal(tc_info(&v), "Change Cipher Spec, Encrypted Handshake Message");
	tc_show(&v, 8);
	assert_string_equal(tc_info(&v), "Application Data");
	assert_int_equal(tc_find(&v, "tls.app_data")->v.b.n, 100);
	tc_show(&v, 10);
	assert_string_equal(tc_info(&v), "Encrypted Alert");
	tc_assert_label(&v, "TLSv1.2 Record Layer: Encrypted Alert");
	assert_null(tc_find(&v, "tls.alert_message.level"));

	const struct tls_conn *tc = conn_of(cap, 5);
	assert_int_equal(tc->ccs_frame[0], 6);
	assert_int_equal(tc->ccs_frame[1], 7);
	assert_true(tc->encrypted[0] && tc->encrypted[1]);
	assert_int_equal(tc->appdata[0], 1);
	assert_int_equal(tc->appdata[1], 1);
	assert_true(tc->alert_encrypted);
	assert_true(tls_handshake_complete(tc));
	const char *d = describe(cap, 5);
	tc_assert_contains(d, "SNI good.example.test, TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256; handshake complete");
	tc_assert_contains(d, "encrypted alert from the client (frame 10)");
	assert_null(strstr(d, "stopped"));
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&ch);
	tu_bytes_free(&fl);
	tu_bytes_free(&b);
	tu_bytes_free(&cl);
	tu_bytes_free(&sv);
	tu_bytes_free(&x);
	tc_free(&k);
	free_certs(&cs);
}

/* ---- TLS 1.3 with a HelloRetryRequest ------------------------------------- */

static void
test_tls13_hrr(void **state)
{
	(void)state;
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	struct tu_bytes ch = { 0 }, hrr = { 0 }, sh = { 0 };
	struct hello_opts o = { .sni = "v13.example.test", .tls13 = true };
	client_hello_record(&ch, &o);
	server_hello_record(&hrr, SH_HRR, 0x1301);
	server_hello_record(&sh, SH_TLS13, 0x1301);
	tc_tls_record(&sh, 20, "\x01", 1); /* middlebox compatibility */
	opaque_record(&sh, 23, 200, 1);    /* EncryptedExtensions... */
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 4);
	assert_int_equal(tc_send(&k, 1, hrr.p, hrr.n), 5);
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 6); /* a second ClientHello (the same bytes) */
	assert_int_equal(tc_send(&k, 1, sh.p, sh.n), 7);
	struct tu_bytes x = { 0 };
	opaque_record(&x, 23, 80, 2);
	assert_int_equal(tc_send(&k, 0, x.p, x.n), 8);
	struct tw_capture *cap = load(&k, "tls13.pcap");
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);
	tc_show(&v, 5);
	assert_string_equal(tc_info(&v), "Hello Retry Request");
	tc_assert_label(&v, "Handshake Protocol: Hello Retry Request");
	tc_assert_label(&v, "(HelloRetryRequest magic)");
	assert_string_equal(tc_fval(&v, "tls.handshake.type"), "2");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions.supported_version"), "0x0304");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_key_share_selected_group"), "23");
	tc_show(&v, 7);
	assert_string_equal(tc_info(&v), "Server Hello, Change Cipher Spec, Application Data");
	assert_string_equal(tc_proto(&v), "TLSv1.3");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions.supported_version"), "0x0304");
	assert_string_equal(tc_fval(&v, "tls.handshake.ciphersuite"), "0x1301");
	assert_string_equal(tc_fval(&v, "tls.handshake.extensions_key_share_group"), "29");
	tc_assert_label(&v, "Handshake Protocol: Server Hello");
	assert_non_null(tc_find(&v, "tls.record.opaque_type"));
	const struct tls_conn *tc = conn_of(cap, 7);
	assert_true(tc->hrr);
	assert_int_equal(tc->version, 0x0304);
	assert_int_equal(tc->sh_version, 0x0303);
	assert_int_equal(tc->cipher, 0x1301);
	assert_int_equal(tc->ch_max_version, 0x0304);
	const char *d = describe(cap, 7);
	tc_assert_contains(d, "SNI v13.example.test, TLS 1.3 TLS_AES_128_GCM_SHA256");
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&ch);
	tu_bytes_free(&hrr);
	tu_bytes_free(&sh);
	tu_bytes_free(&x);
	tc_free(&k);
}

/* ---- SSL 2.0-compatible ClientHello -------------------------------------- */

static void
test_sslv2_hello(void **state)
{
	(void)state;
	struct tu_bytes m = { 0 };
	tu_put8(&m, 1);              /* msg_type: CLIENT-HELLO */
	tu_put16(&m, 0x0301, true);  /* TLS 1.0 */
	tu_put16(&m, 9, true);       /* cipher spec length: 3 specs */
	tu_put16(&m, 0, true);       /* session id length */
	tu_put16(&m, 16, true);      /* challenge length */
	static const uint8_t specs[9] = { 0x01, 0x00, 0x80, 0x00, 0x00, 0x2f, 0x00, 0xc0, 0x2f };
	tu_put(&m, specs, sizeof specs);
	for (int i = 0; i < 16; i++)
		tu_put8(&m, (uint8_t)(0xc0 + i));
	struct tu_bytes rec = { 0 };
	tu_put16(&rec, (uint16_t)(0x8000 | m.n), true);
	tu_put(&rec, m.p, m.n);
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	assert_int_equal(tc_send(&k, 0, rec.p, rec.n), 4);
	struct tw_capture *cap = load(&k, "sslv2.pcap");
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);
	tc_show(&v, 4);
	assert_string_equal(tc_proto(&v), "SSLv2");
	assert_string_equal(tc_info(&v), "Client Hello");
	tc_assert_label(&v, "SSLv2 Record Layer: Client Hello");
	assert_string_equal(tc_fval(&v, "tls.handshake.version"), "0x0301");
	assert_int_equal(tc_count(&v, "tls.handshake.cipherspec"), 3);
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.cipherspec", 0)),
	                    "Cipher Spec: SSL2_RC4_128_WITH_MD5 (0x010080)");
	assert_string_equal(tc_label(tc_find_nth(&v, "tls.handshake.cipherspec", 1)),
	                    "Cipher Spec: TLS_RSA_WITH_AES_128_CBC_SHA (0x00002f)");
	assert_string_equal(tc_fval(&v, "tls.handshake.challenge_length"), "16");
	assert_int_equal(v.t.max_sev, TW_SEV_NONE);
	const struct tls_conn *tc = conn_of(cap, 4);
	assert_true(tc->sslv2_hello);
	assert_int_equal(tc->ch_version, 0x0301);
	assert_int_equal(tc->ch_frame, 4);
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&m);
	tu_bytes_free(&rec);
	tc_free(&k);
}

/* ---- a handshake message spanning records (level-1 reassembly) ----------- */

/*
 * The Certificate message (two real certificates) split over two records
 * in two segments: the first record carries the 4-byte header and `first`
 * body bytes... or, with first < 0, only the first -first bytes of the
 * header. The second record carries the rest and a Server Hello Done.
 */
static void
run_spanning(int first)
{
	struct certs cs;
	make_certs(&cs);
	struct tc_cap k;
	tc_init(&k, 443, 100, 200);
	tc_handshake(&k);
	struct tu_bytes ch = { 0 }, sh = { 0 }, body = { 0 }, msg = { 0 }, r1 = { 0 }, r2 = { 0 };
	struct hello_opts o = { .sni = "span.example.test" };
	client_hello_record(&ch, &o);
	server_hello_record(&sh, SH_TLS12, 0xc02f);
	certificate_body(&body, &cs);
	tc_hs_msg(&msg, 11, body.p, body.n);
	size_t cut = first >= 0 ? 4 + (size_t)first : (size_t)-first;
	tc_tls_record(&r1, 22, msg.p, cut);
	struct tu_bytes rest = { 0 };
	tu_put(&rest, msg.p + cut, msg.n - cut);
	tc_hs_msg(&rest, 14, NULL, 0);
	tc_tls_record(&r2, 22, rest.p, rest.n);
	assert_int_equal(tc_send(&k, 0, ch.p, ch.n), 4);
	assert_int_equal(tc_send(&k, 1, sh.p, sh.n), 5);
	assert_int_equal(tc_send(&k, 1, r1.p, r1.n), 6);
	assert_int_equal(tc_ackonly(&k, 0), 7);
	assert_int_equal(tc_send(&k, 1, r2.p, r2.n), 8);
	char name[32];
	snprintf(name, sizeof name, "span%d.pcap", first);
	struct tw_capture *cap = load(&k, name);
	check_all_frames(cap);
	struct tc_view v;
	tc_view_init(&v, cap);

	tc_show(&v, 6);
	char want[160];
	snprintf(want, sizeof want, "[Handshake message fragment (%zu bytes), reassembled in frame 8]", cut);
	tc_assert_label(&v, want);
	assert_string_equal(tc_fval(&v, "tls.handshake.reassembled_in"), "8");
	assert_null(tc_find(&v, "tls.handshake.type"));
	assert_string_equal(tc_proto(&v), "TLSv1.2");

	tc_show(&v, 8);
	tc_check_ranges(&v);
	assert_string_equal(tc_info(&v), "Certificate, Server Hello Done");
	struct tw_node *fr = tc_find(&v, "tls.handshake.fragments");
	assert_non_null(fr);
	snprintf(want, sizeof want, "[2 Reassembled Handshake Fragments (%zu bytes): #6(%zu), #8(%zu)]", msg.n, cut,
	         msg.n - cut);
	assert_string_equal(tc_label(fr), want);
	assert_int_equal(tc_count(&v, "tls.handshake.fragment"), 2);
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.fragment", 0)), "6");
	assert_string_equal(tc_val(tc_find_nth(&v, "tls.handshake.fragment", 1)), "8");
	/* The message is read from a data source of its own holding exactly its bytes. */
	assert_int_not_equal(fr->src, 0);
	assert_int_equal(v.t.src[fr->src].len, msg.n);
	assert_memory_equal(v.t.src[fr->src].p, msg.p, msg.n);
	assert_int_equal(tc_count(&v, "tls.handshake.certificate"), 2);
	struct tw_node *c1 = tc_find_nth(&v, "tls.handshake.certificate", 1);
	assert_int_equal(c1->src, fr->src);
	assert_int_equal(c1->off, 4 + 3 + 3 + cs.len[0] + 3);
	snprintf(want, sizeof want, "Certificate 2 (%zu bytes): CN=Test Issuing CA,O=tracewb tests,C=US", cs.len[1]);
	assert_string_equal(tc_label(c1), want);
	assert_int_equal(tc_count(&v, "tls.handshake.type"), 2);
	struct tw_node *shd = tc_find_nth(&v, "tls.handshake.type", 1);
	assert_string_equal(tc_val(shd), "14");
	assert_int_equal(shd->src, 0);
	assert_int_equal(shd->off, TC_HDR + 5 + (msg.n - cut));
	assert_false(dissect_problem(&v.t));
	const struct tls_conn *tc = conn_of(cap, 8);
	assert_int_equal(tc->cert_frame[1], 8);
	assert_int_equal(tc->last_hs_type[1], 14);
	tc_view_free(&v);
	capture_close(cap);
	tu_bytes_free(&ch);
	tu_bytes_free(&sh);
	tu_bytes_free(&body);
	tu_bytes_free(&msg);
	tu_bytes_free(&r1);
	tu_bytes_free(&r2);
	tu_bytes_free(&rest);
	tc_free(&k);
	free_certs(&cs);
}

static void
test_handshake_spanning_records(void **state)
{
	(void)state;
	run_spanning(300); /* header and 300 body bytes, then the rest */
	run_spanning(0);   /* just the header */
	run_spanning(-2);  /* half the header */
	run_spanning(-1);
}

/* ---- hostile: direct dissection ------------------------------------------ */

struct direct {
	struct tw_tree t;
	struct tw_dctx c;
	uint8_t *copy;
};

/* dis_tls on a heap copy of p[0..caplen) of a record whose wire length is wire. */
static void
direct_run(struct direct *d, const uint8_t *p, size_t caplen, size_t wire, bool tree)
{
	tree_init(&d->t, true);
	memset(&d->c, 0, sizeof d->c);
	pinfo_reset(&d->c.pi, false);
	d->c.tree = tree ? &d->t : NULL;
	d->c.cur_pdu = PIECE_SKIP;
	d->c.pi.num = 1;
	d->c.pi.top = PROTO_TCP;
	d->copy = malloc(caplen ? caplen : 1);
	if (caplen)
		memcpy(d->copy, p, caplen);
	if (tree)
		tree_add_datasrc(&d->t, "Frame", d->copy, caplen);
	struct tw_buf b = buf_init(d->copy, caplen, wire, 0);
	dis_tls(&d->c, &b, tree ? tree_root(&d->t) : NULL, 0, 0);
}

static void
direct_free(struct direct *d)
{
	tree_free(&d->t);
	free(d->copy);
}

static bool
direct_flagged(const struct direct *d)
{
	return dissect_problem(&d->t);
}

static void
direct_check_ranges(const struct direct *d, const char *what, size_t n)
{
	const struct tw_tree *t = &d->t;
	for (struct tw_node *x = t->root->child; x; x = node_next_preorder(x, t->root)) {
		if (x->src >= t->nsrc)
			fail_msg("%s (%zu bytes): node \"%s\" in data source %u of %zu", what, n, tc_label(x), x->src, t->nsrc);
		size_t sl = t->src[x->src].len;
		if (x->off > sl || x->len > sl - x->off)
			fail_msg("%s (%zu bytes): node \"%s\" covers [%u, +%u) of %zu bytes", what, n, tc_label(x), x->off,
			         x->len, sl);
	}
}

/* Every cut of a record: as a snaplen cut (wire length kept) and as a record that lies about its length. */
static void
every_cut(const uint8_t *rec, size_t len, const char *what)
{
	for (size_t n = 0; n < len; n++) {
		for (int mode = 0; mode < 2; mode++) {
			struct direct d;
			direct_run(&d, rec, n, mode ? n : len, true);
			direct_check_ranges(&d, what, n);
			if (!direct_flagged(&d))
				fail_msg("%s cut to %zu of %zu bytes (%s): nothing flagged; Info \"%s\"", what, n, len,
				         mode ? "record longer than the data" : "snaplen", d.c.pi.info.s);
			bool trunc = false, malformed = false;
			for (struct tw_node *x = d.t.root; x; x = node_next_preorder(x, d.t.root)) {
				trunc |= (x->flags & TW_NF_TRUNC) != 0;
				malformed |= (x->flags & TW_NF_MALFORMED) != 0;
			}
			if (mode == 0 && !trunc)
				fail_msg("%s cut to %zu bytes by the snaplen: not flagged truncated", what, n);
			if (mode == 1 && !malformed)
				fail_msg("%s of %zu bytes claiming %zu: not flagged malformed", what, n, len);
			direct_free(&d);
			direct_run(&d, rec, n, mode ? n : len, false);
			direct_free(&d);
		}
	}
	/* Whole: clean. */
	struct direct d;
	direct_run(&d, rec, len, len, true);
	direct_check_ranges(&d, what, len);
	if (direct_flagged(&d))
		fail_msg("%s whole: flagged", what);
	direct_free(&d);
}

static void
test_every_truncation(void **state)
{
	(void)state;
	struct tu_bytes ch = { 0 };
	struct hello_opts o = { .sni = "www.example.test", .full = true };
	client_hello_record(&ch, &o);
	every_cut(ch.p, ch.n, "ClientHello record");
	struct certs cs;
	make_certs(&cs);
	struct tu_bytes b = { 0 }, rec = { 0 };
	certificate_body(&b, &cs);
	tc_hs_record(&rec, 11, b.p, b.n);
	every_cut(rec.p, rec.n, "Certificate record");
	b.n = 0;
	rec.n = 0;
	cert_request_body(&b);
	tc_hs_record(&rec, 13, b.p, b.n);
	every_cut(rec.p, rec.n, "CertificateRequest record");
	rec.n = 0;
	server_hello_record(&rec, SH_TLS13, 0x1301);
	every_cut(rec.p, rec.n, "ServerHello record");
	rec.n = 0;
	alert_record(&rec, 1, 0); /* close_notify: only a note when whole */
	every_cut(rec.p, rec.n, "Alert record");

	/* The ClientHello cut by the snaplen inside a capture: the frame's own bytes end early. */
	for (size_t n = 0; n < ch.n; n += 7) {
		struct tc_cap k;
		tc_init(&k, 443, 100, 200);
		tc_handshake(&k);
		size_t off = tc_put(&k, 0, ch.p, ch.n);
		tc_seg_cut(&k, 0, off, ch.n, n, 0);
		struct tw_capture *cap = load(&k, "cut.pcap");
		check_all_frames(cap);
		capture_close(cap);
		tc_free(&k);
	}
	tu_bytes_free(&ch);
	tu_bytes_free(&b);
	tu_bytes_free(&rec);
	free_certs(&cs);
}

/* Offset of extension `type` in a ClientHello record built by client_hello_record. */
static size_t
ext_offset(const uint8_t *rec, size_t len, uint16_t type)
{
	size_t p = 5 + 4 + 2 + 32;
	p += 1 + rec[p];
	p += 2 + tu_get16(rec + p);
	p += 1 + rec[p];
	size_t end = p + 2 + tu_get16(rec + p);
	p += 2;
	while (p + 4 <= end && p + 4 <= len) {
		if (tu_get16(rec + p) == type)
			return p;
		p += 4 + tu_get16(rec + p + 2);
	}
	fail_msg("extension %u not found", type);
	return 0;
}

/* The first node of field abbrev is itself flagged, or has an expert child of WARN or more. */
static void
expect_node_flagged(const uint8_t *rec, size_t len, const char *abbrev, const char *what)
{
	struct direct d;
	direct_run(&d, rec, len, len, true);
	struct tw_node *n = node_find_abbrev(d.t.root, abbrev);
	if (!n)
		fail_msg("%s: no %s", what, abbrev);
	bool yes = (n->flags & (TW_NF_TRUNC | TW_NF_MALFORMED)) != 0;
	for (struct tw_node *x = n->child; x; x = x->next)
		if ((x->flags & TW_NF_EXPERT) && x->sev >= TW_SEV_WARN)
			yes = true;
	if (!yes)
		fail_msg("%s: %s (\"%s\") is not flagged", what, abbrev, tc_label(n));
	direct_free(&d);
}

/* Dissect a modified record; it must be flagged and stay in bounds. */
static void
expect_flagged(const uint8_t *rec, size_t len, const char *what)
{
	struct direct d;
	direct_run(&d, rec, len, len, true);
	direct_check_ranges(&d, what, len);
	if (!direct_flagged(&d))
		fail_msg("%s: nothing flagged", what);
	direct_free(&d);
	direct_run(&d, rec, len, len, false);
	direct_free(&d);
}

static void
test_lying_lengths(void **state)
{
	(void)state;
	struct tu_bytes ch = { 0 };
	struct hello_opts o = { .sni = "www.example.test", .full = true };
	client_hello_record(&ch, &o);
	uint8_t *m = malloc(ch.n);
	const size_t cs_len_at = 5 + 4 + 2 + 32 + 1 + 32; /* cipher_suites length */
	assert_int_equal(tu_get16(ch.p + cs_len_at), 8);

	/* An extension's length past the end of the extensions. */
	memcpy(m, ch.p, ch.n);
	size_t sni = ext_offset(m, ch.n, 0);
	tu_be16(m + sni + 2, 0xff00);
	expect_flagged(m, ch.n, "extension length past the end");
	/* The last extension's length one past the end. */
	memcpy(m, ch.p, ch.n);
	size_t last = ext_offset(m, ch.n, 0x5a5a);
	tu_be16(m + last + 2, 2);
	expect_flagged(m, ch.n, "last extension one byte too long");
	/* SNI list length 0xffff; name length past the list. */
	memcpy(m, ch.p, ch.n);
	tu_be16(m + sni + 4, 0xffff);
	expect_flagged(m, ch.n, "SNI list length 0xffff");
	memcpy(m, ch.p, ch.n);
	tu_be16(m + sni + 7, 0xfff0);
	expect_flagged(m, ch.n, "SNI name length past the list");
	/* Cipher suites: odd, past the end, zero. */
	memcpy(m, ch.p, ch.n);
	tu_be16(m + cs_len_at, 7);
	expect_flagged(m, ch.n, "cipher suites length odd (7)");
	memcpy(m, ch.p, ch.n);
	tu_be16(m + cs_len_at, 0xfffe);
	expect_flagged(m, ch.n, "cipher suites length past the end");
	/*
	 * (A handshake length past the record is not checked here: without
	 * connection state dis_tls takes such a record for an encrypted
	 * handshake message, which is how an encrypted Finished looks.)
	 */
	memcpy(m, ch.p, ch.n);
	tu_be16(m + cs_len_at - 33, 0xffff); /* session id length byte and the first random byte */
	expect_flagged(m, ch.n, "session id length past the end");
	/* supported_versions list length odd and past its extension; key share length past the entry. */
	memcpy(m, ch.p, ch.n);
	size_t sv = ext_offset(m, ch.n, 43);
	m[sv + 4] = 0xff;
	expect_flagged(m, ch.n, "supported_versions length past the extension");
	memcpy(m, ch.p, ch.n);
	size_t ks = ext_offset(m, ch.n, 51);
	tu_be16(m + ks + 4 + 2 + 4 + 1 + 2, 0x7fff); /* x25519 entry's key length */
	expect_flagged(m, ch.n, "key share length past the extension");
	memcpy(m, ch.p, ch.n);
	size_t al = ext_offset(m, ch.n, 16);
	m[al + 6] = 200; /* first ALPN string length */
	expect_flagged(m, ch.n, "ALPN string past the list");
	free(m);

	/* Certificate length past the list; list length past the message. */
	struct certs cs;
	make_certs(&cs);
	struct tu_bytes b = { 0 }, rec = { 0 };
	certificate_body(&b, &cs);
	tc_hs_record(&rec, 11, b.p, b.n);
	m = malloc(rec.n);
	memcpy(m, rec.p, rec.n);
	size_t c2 = 5 + 4 + 3 + 3 + cs.len[0];
	m[c2] = 0x01; /* second certificate's length + 64 KiB */
	expect_flagged(m, rec.n, "certificate length past the list");
	memcpy(m, rec.p, rec.n);
	m[5 + 4] = 0x7f;
	expect_flagged(m, rec.n, "certificates length past the message");
	memcpy(m, rec.p, rec.n);
	m[5 + 4 + 3 + 3 + 10] ^= 0xff; /* corrupt DER inside the first certificate */
	expect_flagged(m, rec.n, "a certificate that is not DER");
	free(m);

	/* CertificateRequest: a DN length past the list, the list length past the message. */
	b.n = 0;
	rec.n = 0;
	cert_request_body(&b);
	tc_hs_record(&rec, 13, b.p, b.n);
	m = malloc(rec.n);
	size_t dn = 5 + 4 + 1 + 2 + 2 + 4; /* distinguished_names length */
	memcpy(m, rec.p, rec.n);
	tu_be16(m + dn + 2, (uint16_t)(tu_get16(m + dn + 2) + 0x100));
	expect_flagged(m, rec.n, "DN length past the list");
	memcpy(m, rec.p, rec.n);
	tu_be16(m + dn, 0xfff0);
	expect_flagged(m, rec.n, "DN list length past the message");
	memcpy(m, rec.p, rec.n);
	m[dn + 4 + 1] ^= 0x40; /* the first name is not valid DER any more */
	expect_flagged(m, rec.n, "a DN that is not DER");
	free(m);

	/* Alert with a body other than 2 bytes, unknown content type, absurd record length. */
	static const uint8_t odd_alert[] = { 21, 3, 3, 0, 3, 2, 42, 0 };
	struct direct d;
	direct_run(&d, odd_alert, sizeof odd_alert, sizeof odd_alert, true);
	direct_check_ranges(&d, "3-byte alert", sizeof odd_alert);
	assert_string_equal(d.c.pi.info.s, "Encrypted Alert");
	direct_free(&d);
	static const uint8_t big[] = { 22, 3, 3, 0xff, 0xff, 1, 0, 0, 1 };
	expect_flagged(big, sizeof big, "record length 65535 with 4 bytes");
	static const uint8_t v2[] = { 0x80, 0x40, 0x01, 0x03, 0x01, 0xff, 0xff, 0x00, 0x00, 0x00, 0x10 };
	expect_flagged(v2, sizeof v2, "SSLv2 hello with a cipher spec length past the end");
	tu_bytes_free(&ch);
	tu_bytes_free(&b);
	tu_bytes_free(&rec);
	free_certs(&cs);
}

/*
 * An odd length of a list of 16-bit values is pointed out at the list
 * itself (not only through what it misaligns after it): cipher suites and
 * supported_groups.
 */
static void
test_odd_list_length(void **state)
{
	(void)state;
	struct tu_bytes ch = { 0 };
	struct hello_opts o = { .sni = "www.example.test", .full = true };
	client_hello_record(&ch, &o);
	uint8_t *m = malloc(ch.n);
	/* supported_groups: list length 5 inside an extension of 8 (the extension framing stays right). */
	memcpy(m, ch.p, ch.n);
	size_t g = ext_offset(m, ch.n, 10);
	tu_be16(m + g + 4, 5);
	expect_node_flagged(m, ch.n, "tls.handshake.extensions_supported_groups", "supported_groups length 5");
	/* cipher suites length 7. */
	memcpy(m, ch.p, ch.n);
	tu_be16(m + 5 + 4 + 2 + 32 + 1 + 32, 7);
	expect_node_flagged(m, ch.n, "tls.handshake.ciphersuites", "cipher suites length odd (7)");
	free(m);
	tu_bytes_free(&ch);
}

/*
 * An alert record whose length field is 0 (not the 2 bytes of a plain alert),
 * directly followed by another record: the connection summary must not read
 * the next record's header as the alert's level and description.
 */
static void
test_alert_too_short(void **state)
{
	(void)state;
	struct tc_cap k;
	tc_init(&k, 443, 1000, 5000);
	tc_handshake(&k);
	static const uint8_t recs[] = { 0x15, 0x03, 0x03, 0x00, 0x00,              /* alert, length 0 */
		                        0x17, 0x03, 0x03, 0x00, 0x02, 0xaa, 0xbb }; /* application data */
	uint32_t frame = (uint32_t)tc_send(&k, 0, recs, sizeof recs);
	char path[64];
	snprintf(path, sizeof path, "/tmp/tw-alert-short-%d.pcap", (int)getpid());
	tc_write(&k, path);
	struct tw_capture *cap = tc_load_path(path);
	unlink(path);
	const struct tls_conn *tc = conn_of(cap, frame);
	assert_true(tc->have_alert);
	assert_true(tc->alert_encrypted); /* not a plain 2-byte alert: its bytes are not read */
	assert_int_equal(tc->alert_level, 0);
	assert_int_equal(tc->alert_desc, 0);
	capture_close(cap);
	tc_free(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_client_hello_fields),
		cmocka_unit_test(test_failed_handshake),
		cmocka_unit_test(test_complete_handshake),
		cmocka_unit_test(test_tls13_hrr),
		cmocka_unit_test(test_sslv2_hello),
		cmocka_unit_test(test_handshake_spanning_records),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_lying_lengths),
		cmocka_unit_test(test_odd_list_length),
		cmocka_unit_test(test_alert_too_short),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
