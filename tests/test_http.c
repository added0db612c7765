/*
 * test_http.c - HTTP/1.x dissection (src/core/dissect/http.c) and the
 * X.509 / CRL / OCSP bodies it hands to pkix.c.
 *
 * Messages are built by hand from RFC 9112; CRLs, certificates and OCSP
 * messages are built at test time with OpenSSL's own encoders and signed
 * with a key generated for the run, so the expected values (issuer, times,
 * serials, status) are known independently of the dissector.
 */
#include "testutil.h"

#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/dissect/pkix.h"
#include "core/field.h"
#include "core/reasm.h"

#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <time.h>

/* ---- running the dissector ------------------------------------------- */

struct run {
	struct tw_tree t;
	struct tw_dctx c;
	struct tw_node *top;
};

static void
run_msg(struct run *r, const void *msg, size_t caplen, size_t wirelen, bool tree)
{
	tree_init(&r->t, true);
	memset(&r->c, 0, sizeof r->c);
	pinfo_reset(&r->c.pi, false);
	r->c.tree = tree ? &r->t : NULL;
	r->c.cur_pdu = UINT32_MAX;
	r->c.pi.num = 1;
	r->c.pi.top = PROTO_TCP;
	if (tree)
		tree_add_datasrc(&r->t, "Frame", msg, caplen);
	struct tw_buf b = buf_init(msg, caplen, wirelen, 0);
	dis_http(&r->c, &b, tree ? tree_root(&r->t) : NULL, 0, 0);
	r->top = tree ? r->t.root : NULL;
}

static void
run_str(struct run *r, const char *s)
{
	run_msg(r, s, strlen(s), strlen(s), true);
}

static void
run_free(struct run *r)
{
	tree_free(&r->t);
}

static struct tw_node *
find(struct run *r, const char *abbrev)
{
	return node_find_abbrev(r->top, abbrev);
}

/* The n-th (0-based) node of a field in document order. */
static struct tw_node *
find_nth(struct run *r, const char *abbrev, int n)
{
	for (struct tw_node *x = r->top; x; x = node_next_preorder(x, r->top))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0 && n-- == 0)
			return x;
	return NULL;
}

static int
count(struct run *r, const char *abbrev)
{
	int k = 0;
	for (struct tw_node *x = r->top; x; x = node_next_preorder(x, r->top))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0)
			k++;
	return k;
}

/* A node's value as -T fields prints it. */
static const char *
val(struct tw_node *n)
{
	static char buf[4096];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	assert_non_null(n);
	field_format_fields(&sb, n);
	return buf;
}

static const char *
fval(struct run *r, const char *abbrev)
{
	struct tw_node *n = find(r, abbrev);
	if (!n)
		fail_msg("no %s in the tree", abbrev);
	return val(n);
}

/* Every label of the tree, one per line. */
static char *
all_labels(struct run *r)
{
	struct tw_sb sb;
	sb_heap(&sb);
	for (struct tw_node *x = r->top->child; x; x = node_next_preorder(x, r->top)) {
		field_format_label(&sb, x);
		sb_addc(&sb, '\n');
	}
	return sb.s;
}

/* An expert finding whose label contains text, with severity sev. */
static bool
has_expert(struct run *r, enum tw_sev sev, const char *text)
{
	for (struct tw_node *x = r->top; x; x = node_next_preorder(x, r->top))
		if ((x->flags & TW_NF_EXPERT) && x->sev == sev && x->label && strstr(x->label, text))
			return true;
	return false;
}

static const char *
info(struct run *r)
{
	return r->c.pi.info.s;
}

/* ---- basic messages --------------------------------------------------- */

static void
test_get_with_headers(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "GET /pki/root.crl?a=1&b=2 HTTP/1.1\r\n"
	            "Host: crl.example.test\r\n"
	            "User-Agent: Microsoft-CryptoAPI/10.0\r\n"
	            "Accept: */*\r\n"
	            "Connection: Keep-Alive\r\n"
	            "Cache-Control: max-age = 900\r\n"
	            "Cookie: a=1; b=2\r\n"
	            "Authorization: Basic dXNlcjpwYXNz\r\n"
	            "X-Custom: yes\r\n"
	            "\r\n");
	assert_string_equal(r.c.pi.proto, "HTTP");
	assert_int_equal(r.c.pi.top, PROTO_HTTP);
	assert_string_equal(info(&r), "GET /pki/root.crl?a=1&b=2 HTTP/1.1 ");
	assert_string_equal(r.c.pi.protos.s, "http");
	assert_string_equal(fval(&r, "http.request.method"), "GET");
	assert_string_equal(fval(&r, "http.request.uri"), "/pki/root.crl?a=1&b=2");
	assert_string_equal(fval(&r, "http.request.uri.path"), "/pki/root.crl");
	assert_string_equal(fval(&r, "http.request.uri.query"), "a=1&b=2");
	assert_int_equal(count(&r, "http.request.uri.query.parameter"), 2);
	assert_string_equal(fval(&r, "http.request.version"), "HTTP/1.1");
	assert_string_equal(fval(&r, "http.host"), "crl.example.test");
	assert_string_equal(fval(&r, "http.user_agent"), "Microsoft-CryptoAPI/10.0");
	assert_string_equal(fval(&r, "http.accept"), "*/*");
	assert_string_equal(fval(&r, "http.connection"), "Keep-Alive");
	assert_string_equal(fval(&r, "http.cache_control"), "max-age = 900");
	assert_string_equal(fval(&r, "http.cookie"), "a=1; b=2");
	assert_string_equal(val(find_nth(&r, "http.cookie_pair", 1)), "b=2");
	assert_string_equal(fval(&r, "http.authbasic"), "user:pass");
	assert_string_equal(fval(&r, "http.request.full_uri"), "http://crl.example.test/pki/root.crl?a=1&b=2");
	assert_string_equal(fval(&r, "http.request"), "1");
	/* Every header line, known or not, is also an http.request.line (hidden). */
	assert_int_equal(count(&r, "http.request.line"), 8);
	struct tw_node *rl = find_nth(&r, "http.request.line", 7);
	assert_string_equal(val(rl), "X-Custom: yes\\r\\n");
	assert_true(rl->flags & TW_NF_HIDDEN);
	/* Byte ranges: the Host header covers its line including CRLF. */
	struct tw_node *h = find(&r, "http.host");
	assert_int_equal(h->off, strlen("GET /pki/root.crl?a=1&b=2 HTTP/1.1\r\n"));
	assert_int_equal(h->len, strlen("Host: crl.example.test\r\n"));
	char *labels = all_labels(&r);
	assert_non_null(strstr(labels, "Host: crl.example.test\\r\\n\n"));
	assert_non_null(strstr(labels, "X-Custom: yes\\r\\n\n"));
	assert_non_null(strstr(labels, "Full request URI: http://crl.example.test/pki/root.crl?a=1&b=2\n"));
	free(labels);
	assert_null(find(&r, "http.response_in")); /* no conversation: no pairing */
	assert_int_equal(r.t.max_sev, TW_SEV_NONE);
	run_free(&r);
}

static void
test_response_content_length(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "HTTP/1.1 200 OK\r\n"
	            "Server: SimpleHTTP/0.6\r\n"
	            "Content-Type: text/plain; charset=utf-8\r\n"
	            "Content-Length: 12\r\n"
	            "\r\n"
	            "hello\nworld\n");
	assert_string_equal(info(&r), "HTTP/1.1 200 OK  (text/plain)");
	assert_string_equal(fval(&r, "http.response.version"), "HTTP/1.1");
	assert_string_equal(fval(&r, "http.response.code"), "200");
	assert_string_equal(fval(&r, "http.response.code.desc"), "OK");
	assert_string_equal(fval(&r, "http.response.phrase"), "OK");
	assert_string_equal(fval(&r, "http.server"), "SimpleHTTP/0.6");
	assert_string_equal(fval(&r, "http.content_type"), "text/plain; charset=utf-8");
	assert_string_equal(fval(&r, "http.content_length_header"), "12");
	assert_string_equal(fval(&r, "http.content_length"), "12");
	struct tw_node *fd = find(&r, "http.file_data");
	assert_int_equal(fd->v.b.n, 12);
	assert_memory_equal(fd->v.b.p, "hello\nworld\n", 12);
	assert_int_equal(count(&r, "http.response.line"), 3);
	assert_non_null(find(&r, "data-text-lines"));
	assert_string_equal(r.c.pi.protos.s, "http:data-text-lines");
	char *labels = all_labels(&r);
	assert_non_null(strstr(labels, "Line-based text data: text/plain (2 lines)"));
	assert_non_null(strstr(labels, "File Data: 12 bytes"));
	free(labels);
	run_free(&r);

	/* Summary only: the same columns, no tree. */
	const char *m = "HTTP/1.0 200 OK\r\nContent-Type: Application/JSON\r\nContent-Length: 2\r\n\r\n{}";
	run_msg(&r, m, strlen(m), strlen(m), false);
	assert_string_equal(info(&r), "HTTP/1.0 200 OK  (application/json)");
	assert_string_equal(r.c.pi.proto, "HTTP");
	run_free(&r);
}

static void
test_chunked(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "HTTP/1.1 200 OK\r\n"
	            "Transfer-Encoding: chunked\r\n"
	            "Content-Type: text/plain\r\n"
	            "\r\n"
	            "5\r\nhello\r\n"
	            "6;ext=1\r\n world\r\n"
	            "0\r\n"
	            "X-Trailer: 1\r\n"
	            "\r\n");
	assert_string_equal(fval(&r, "http.transfer_encoding"), "chunked");
	assert_int_equal(count(&r, "http.chunk_size"), 3);
	assert_string_equal(val(find_nth(&r, "http.chunk_size", 1)), "6");
	assert_string_equal(val(find_nth(&r, "http.chunk_data", 1)), "20776f726c64");
	assert_string_equal(fval(&r, "http.chunked_trailer_part"), "X-Trailer: 1\\r\\n");
	/* The de-chunked body is a data source of its own. */
	assert_int_equal(r.t.nsrc, 2);
	assert_string_equal(r.t.src[1].name, "De-chunked entity body (11 bytes)");
	assert_int_equal(r.t.src[1].len, 11);
	assert_memory_equal(r.t.src[1].p, "hello world", 11);
	struct tw_node *fd = find(&r, "http.file_data");
	assert_int_equal(fd->src, 1);
	assert_int_equal(fd->off, 0);
	assert_int_equal(fd->len, 11);
	assert_memory_equal(fd->v.b.p, "hello world", 11);
	assert_string_equal(info(&r), "HTTP/1.1 200 OK  (text/plain)");
	assert_int_equal(r.t.max_sev, TW_SEV_NONE);
	run_free(&r);
}

static void
test_head(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "HEAD /v4/iuident.cab?0307011208 HTTP/1.1\r\nHost: windowsupdate.microsoft.com\r\n\r\n");
	assert_string_equal(fval(&r, "http.request.method"), "HEAD");
	assert_string_equal(info(&r), "HEAD /v4/iuident.cab?0307011208 HTTP/1.1 ");
	run_free(&r);
	/* A response to HEAD carries Content-Length but no body. */
	run_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");
	assert_null(find(&r, "http.file_data"));
	assert_true(has_expert(&r, TW_SEV_NOTE, "no body"));
	assert_string_equal(info(&r), "HTTP/1.1 200 OK ");
	run_free(&r);
	/* 204 and 304 never have a body. */
	run_str(&r, "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n");
	assert_null(find(&r, "http.file_data"));
	assert_int_equal(r.t.max_sev, TW_SEV_NONE);
	run_free(&r);
}

static void
test_status_experts(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_WARN, "HTTP 404 Not Found"));
	assert_int_equal(r.t.max_sev, TW_SEV_WARN);
	run_free(&r);
	run_str(&r, "HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_ERROR, "HTTP 503 Service Unavailable"));
	assert_string_equal(fval(&r, "http.response.code.desc"), "Service Unavailable");
	assert_string_equal(fval(&r, "http.response.phrase"), "Busy");
	assert_int_equal(r.t.max_sev, TW_SEV_ERROR);
	run_free(&r);
	run_str(&r, "HTTP/1.1 599 Weird\r\n\r\n");
	assert_string_equal(fval(&r, "http.response.code.desc"), "Server Error - Others");
	run_free(&r);
	run_str(&r, "HTTP/1.1 429 \r\nContent-Length: 0\r\n\r\n");
	assert_string_equal(fval(&r, "http.response.code.desc"), "Too Many Requests");
	assert_string_equal(fval(&r, "http.response.phrase"), "");
	run_free(&r);
}

/* ---- OpenSSL-built bodies --------------------------------------------- */

static EVP_PKEY *
test_key(void)
{
	static EVP_PKEY *key;
	if (!key)
		key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(key);
	return key;
}

static X509_NAME *
test_name(const char *cn)
{
	X509_NAME *n = X509_NAME_new();
	X509_NAME_add_entry_by_txt(n, "C", MBSTRING_ASC, (const unsigned char *)"US", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "O", MBSTRING_ASC, (const unsigned char *)"tracewb tests", -1, -1, 0);
	X509_NAME_add_entry_by_txt(n, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	return n;
}

#define T_THIS ((time_t)1795464798)  /* 2026-11-23 20:13:18 UTC */
#define T_NEXT ((time_t)1796069598)  /* 2026-11-30 20:13:18 UTC */
#define T_FAR ((time_t)4102444800)   /* 2100-01-01: GeneralizedTime */

static uint8_t *
make_crl(size_t *len)
{
	X509_CRL *crl = X509_CRL_new();
	X509_CRL_set_version(crl, 1);
	X509_NAME *iss = test_name("Test Issuing CA");
	X509_CRL_set_issuer_name(crl, iss);
	ASN1_TIME *t1 = ASN1_TIME_set(NULL, T_THIS);
	ASN1_TIME *t2 = ASN1_TIME_set(NULL, T_NEXT);
	X509_CRL_set1_lastUpdate(crl, t1);
	X509_CRL_set1_nextUpdate(crl, t2);
	for (int i = 0; i < 2; i++) {
		X509_REVOKED *rv = X509_REVOKED_new();
		ASN1_INTEGER *serial = ASN1_INTEGER_new();
		ASN1_INTEGER_set(serial, i == 0 ? 0x1003 : 0x2a);
		X509_REVOKED_set_serialNumber(rv, serial);
		ASN1_TIME *rt = ASN1_TIME_set(NULL, i == 0 ? T_THIS : T_FAR);
		X509_REVOKED_set_revocationDate(rv, rt);
		ASN1_ENUMERATED *reason = ASN1_ENUMERATED_new();
		ASN1_ENUMERATED_set(reason, i == 0 ? 1 : 4);
		X509_REVOKED_add1_ext_i2d(rv, NID_crl_reason, reason, 0, 0);
		X509_CRL_add0_revoked(crl, rv);
		ASN1_INTEGER_free(serial);
		ASN1_TIME_free(rt);
		ASN1_ENUMERATED_free(reason);
	}
	ASN1_INTEGER *num = ASN1_INTEGER_new();
	ASN1_INTEGER_set(num, 10);
	X509_CRL_add1_ext_i2d(crl, NID_crl_number, num, 0, 0);
	assert_true(X509_CRL_sign(crl, test_key(), EVP_sha256()) > 0);
	uint8_t *der = NULL;
	int n = i2d_X509_CRL(crl, &der);
	assert_true(n > 0);
	*len = (size_t)n;
	ASN1_INTEGER_free(num);
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	X509_NAME_free(iss);
	X509_CRL_free(crl);
	return der;
}

static X509 *
make_cert(const char *cn, long serial)
{
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
	X509_NAME *n = test_name(cn);
	X509_NAME *iss = test_name("Test Issuing CA");
	X509_set_subject_name(x, n);
	X509_set_issuer_name(x, iss);
	ASN1_TIME *t1 = ASN1_TIME_set(NULL, T_THIS);
	ASN1_TIME *t2 = ASN1_TIME_set(NULL, T_FAR);
	X509_set1_notBefore(x, t1);
	X509_set1_notAfter(x, t2);
	X509_set_pubkey(x, test_key());
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, NULL, NID_subject_alt_name, "DNS:www.example.test");
	X509_add_ext(x, ext, -1);
	X509_EXTENSION_free(ext);
	assert_true(X509_sign(x, test_key(), EVP_sha256()) > 0);
	ASN1_TIME_free(t1);
	ASN1_TIME_free(t2);
	X509_NAME_free(n);
	X509_NAME_free(iss);
	return x;
}

/* "HTTP/1.1 200 OK" with Content-Type and the body; returns a malloc'd message. */
static uint8_t *
wrap(const char *start, const char *ctype, const uint8_t *body, size_t blen, size_t *len)
{
	char head[512];
	int h = snprintf(head, sizeof head, "%s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n\r\n", start, ctype, blen);
	uint8_t *m = malloc((size_t)h + blen + 1);
	memcpy(m, head, (size_t)h);
	if (blen)
		memcpy(m + h, body, blen);
	*len = (size_t)h + blen;
	return m;
}

static void
test_crl(void **state)
{
	(void)state;
	size_t dlen, mlen;
	uint8_t *der = make_crl(&dlen);
	uint8_t *m = wrap("HTTP/1.1 200 OK", "application/pkix-crl", der, dlen, &mlen);
	size_t body = mlen - dlen;
	struct run r;
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(r.c.pi.proto, "PKIX-CRL");
	assert_string_equal(info(&r), "Certificate Revocation List");
	assert_string_equal(r.c.pi.protos.s, "http:x509af");
	assert_string_equal(fval(&r, "x509af.version"), "1");
	assert_string_equal(fval(&r, "x509af.issuer"), "CN=Test Issuing CA,O=tracewb tests,C=US");
	assert_int_equal(find(&r, "x509af.thisUpdate")->v.i, (int64_t)T_THIS * TW_NS_PER_SEC);
	assert_int_equal(find(&r, "x509af.nextUpdate")->v.i, (int64_t)T_NEXT * TW_NS_PER_SEC);
	assert_string_equal(fval(&r, "x509af.utcTime"), "2026-11-23 20:13:18 (UTC)");
	assert_string_equal(fval(&r, "x509af.revokedCertificates"), "2");
	assert_int_equal(count(&r, "x509af.revokedCertificates_item_element"), 2);
	struct tw_node *s0 = find_nth(&r, "x509af.userCertificate", 0);
	assert_string_equal(val(s0), "1003");
	/* The serial node points at the INTEGER's content bytes in the frame. */
	assert_int_equal(s0->len, 2);
	assert_true(s0->off >= body && s0->off + 2 <= mlen);
	assert_memory_equal(m + s0->off, "\x10\x03", 2);
	assert_string_equal(val(find_nth(&r, "x509af.userCertificate", 1)), "2a");
	assert_string_equal(val(find_nth(&r, "x509ce.CRLReason", 0)), "1");
	assert_string_equal(val(find_nth(&r, "x509ce.CRLReason", 1)), "4");
	/* A date after 2049 is a GeneralizedTime. */
	struct tw_node *rd = find_nth(&r, "x509af.revocationDate", 1);
	assert_int_equal(rd->v.i, (int64_t)T_FAR * TW_NS_PER_SEC);
	assert_non_null(node_find_abbrev(rd, "x509af.generalizedTime"));
	assert_string_equal(fval(&r, "x509ce.CRLNumber"), "10");
	assert_string_equal(fval(&r, "x509af.algorithm.id"), "1.2.840.10045.4.3.2");
	char *labels = all_labels(&r);
	assert_non_null(strstr(labels, "signature (ecdsa-with-SHA256)"));
	assert_non_null(strstr(labels, "Algorithm Id: 1.2.840.10045.4.3.2 (ecdsa-with-SHA256)"));
	assert_non_null(strstr(labels, "revokedCertificates: 2 items"));
	assert_non_null(strstr(labels, "CRLReason: keyCompromise (1)"));
	assert_non_null(strstr(labels, "thisUpdate: Nov 23, 2026 20:13:18.000000000 UTC"));
	free(labels);
	assert_int_equal(r.t.max_sev, TW_SEV_NONE);
	run_free(&r);

	/* Summary only: the same columns. */
	run_msg(&r, m, mlen, mlen, false);
	assert_string_equal(r.c.pi.proto, "PKIX-CRL");
	assert_string_equal(info(&r), "Certificate Revocation List");
	run_free(&r);

	/* Corrupt DER: an error finding with OpenSSL's reason, no crash. */
	m[body + 1] ^= 0x7f;
	run_msg(&r, m, mlen, mlen, true);
	assert_true(has_expert(&r, TW_SEV_ERROR, "[Malformed CRL: "));
	assert_string_equal(info(&r), "Certificate Revocation List [Malformed CRL]");
	run_free(&r);

	/* The decoder alone, on the DER (for the certificate checks to come). */
	struct tw_tree t;
	tree_init(&t, true);
	struct tw_buf b = buf_init(der, dlen, dlen, 0);
	assert_true(x509_crl_tree(&t, t.root, &b, 0, dlen));
	assert_non_null(node_find_abbrev(t.root, "x509af.userCertificate"));
	assert_true(x509_crl_tree(NULL, NULL, &b, 0, dlen));
	assert_false(x509_crl_tree(NULL, NULL, &b, 0, dlen - 1));
	tree_free(&t);
	free(m);
	OPENSSL_free(der);
}

static void
test_certificate(void **state)
{
	(void)state;
	X509 *x = make_cert("www.example.test", 0x1001);
	uint8_t *der = NULL;
	int dlen = i2d_X509(x, &der);
	size_t mlen;
	uint8_t *m = wrap("HTTP/1.1 200 OK", "application/pkix-cert", der, (size_t)dlen, &mlen);
	struct run r;
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(r.c.pi.proto, "HTTP");
	assert_string_equal(info(&r), "HTTP/1.1 200 OK  (application/pkix-cert)");
	assert_non_null(find(&r, "pkix-cert"));
	assert_string_equal(fval(&r, "x509af.version"), "2");
	assert_string_equal(fval(&r, "x509af.serialNumber"), "1001");
	assert_string_equal(fval(&r, "x509af.subject"), "CN=www.example.test,O=tracewb tests,C=US");
	assert_string_equal(fval(&r, "x509af.issuer"), "CN=Test Issuing CA,O=tracewb tests,C=US");
	assert_int_equal(find(&r, "x509af.notBefore")->v.i, (int64_t)T_THIS * TW_NS_PER_SEC);
	assert_int_equal(find(&r, "x509af.notAfter")->v.i, (int64_t)T_FAR * TW_NS_PER_SEC);
	assert_string_equal(fval(&r, "x509ce.dNSName"), "www.example.test");
	assert_string_equal(val(find_nth(&r, "x509af.algorithm.id", 1)), "1.2.840.10045.2.1"); /* id-ecPublicKey */
	char *labels = all_labels(&r);
	assert_non_null(strstr(labels, "Certificate (CN=www.example.test,O=tracewb tests,C=US)"));
	free(labels);
	run_free(&r);
	/* Same bytes as application/x-x509-ca-cert. */
	free(m);
	m = wrap("HTTP/1.1 200 OK", "application/x-x509-ca-cert", der, (size_t)dlen, &mlen);
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(fval(&r, "x509af.serialNumber"), "1001");
	run_free(&r);
	free(m);
	OPENSSL_free(der);
	X509_free(x);
}

static void
test_ocsp(void **state)
{
	(void)state;
	X509 *ca = make_cert("Test Issuing CA", 1);
	X509 *leaf = make_cert("www.example.test", 0x1001);
	OCSP_CERTID *cid = OCSP_cert_to_id(EVP_sha1(), leaf, ca);
	assert_non_null(cid);

	/* Request. */
	OCSP_REQUEST *req = OCSP_REQUEST_new();
	OCSP_request_add0_id(req, OCSP_CERTID_dup(cid));
	uint8_t *rder = NULL;
	int rlen = i2d_OCSP_REQUEST(req, &rder);
	size_t mlen;
	uint8_t *m = wrap("POST / HTTP/1.1\r\nHost: ocsp.example.test", "application/ocsp-request", rder, (size_t)rlen,
	                  &mlen);
	struct run r;
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(r.c.pi.proto, "OCSP");
	assert_string_equal(info(&r), "Request");
	assert_string_equal(r.c.pi.protos.s, "http:ocsp");
	assert_string_equal(fval(&r, "ocsp.requestList"), "1");
	assert_string_equal(fval(&r, "ocsp.serialNumber"), "1001");
	assert_string_equal(fval(&r, "x509af.algorithm.id"), "1.3.14.3.2.26");
	assert_int_equal(find(&r, "ocsp.issuerNameHash")->v.b.n, 20);
	run_free(&r);
	free(m);

	/* Response: revoked (keyCompromise), signed by the CA, CA certificate included. */
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	ASN1_TIME *rev = ASN1_TIME_set(NULL, T_THIS);
	ASN1_TIME *thisupd = ASN1_TIME_set(NULL, T_THIS);
	ASN1_TIME *nextupd = ASN1_TIME_set(NULL, T_NEXT);
	assert_non_null(OCSP_basic_add1_status(bs, cid, V_OCSP_CERTSTATUS_REVOKED, OCSP_REVOKED_STATUS_KEYCOMPROMISE,
	                                       rev, thisupd, nextupd));
	assert_true(OCSP_basic_sign(bs, ca, test_key(), EVP_sha256(), NULL, 0) > 0);
	OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	uint8_t *pder = NULL;
	int plen = i2d_OCSP_RESPONSE(resp, &pder);
	m = wrap("HTTP/1.1 200 OK", "application/ocsp-response", pder, (size_t)plen, &mlen);
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(r.c.pi.proto, "OCSP");
	assert_string_equal(info(&r), "Response");
	assert_string_equal(fval(&r, "ocsp.responseStatus"), "0");
	assert_string_equal(fval(&r, "ocsp.responseType.id"), "1.3.6.1.5.5.7.48.1.1");
	assert_string_equal(fval(&r, "ocsp.responderID"), "1");
	assert_string_equal(fval(&r, "ocsp.byName"), "CN=Test Issuing CA,O=tracewb tests,C=US");
	assert_non_null(find(&r, "ocsp.producedAt"));
	assert_string_equal(fval(&r, "ocsp.responses"), "1");
	assert_string_equal(fval(&r, "ocsp.certStatus"), "1");
	assert_string_equal(fval(&r, "ocsp.revocationReason"), "1");
	assert_int_equal(find(&r, "ocsp.revocationTime")->v.i, (int64_t)T_THIS * TW_NS_PER_SEC);
	assert_int_equal(find(&r, "ocsp.thisUpdate")->v.i, (int64_t)T_THIS * TW_NS_PER_SEC);
	assert_int_equal(find(&r, "ocsp.nextUpdate")->v.i, (int64_t)T_NEXT * TW_NS_PER_SEC);
	assert_string_equal(fval(&r, "ocsp.serialNumber"), "1001");
	assert_string_equal(fval(&r, "ocsp.certs"), "1");
	assert_string_equal(fval(&r, "x509af.subject"), "CN=Test Issuing CA,O=tracewb tests,C=US");
	assert_true(has_expert(&r, TW_SEV_WARN, "Certificate 0x1001 is revoked (keyCompromise)"));
	run_free(&r);
	free(m);

	/* A non-successful status has no responseBytes. */
	OCSP_RESPONSE *later = OCSP_response_create(OCSP_RESPONSE_STATUS_TRYLATER, NULL);
	uint8_t *lder = NULL;
	int llen = i2d_OCSP_RESPONSE(later, &lder);
	m = wrap("HTTP/1.1 200 OK", "application/ocsp-response", lder, (size_t)llen, &mlen);
	run_msg(&r, m, mlen, mlen, true);
	assert_string_equal(fval(&r, "ocsp.responseStatus"), "3");
	assert_true(has_expert(&r, TW_SEV_WARN, "tryLater"));
	run_free(&r);
	free(m);
	/* Garbage. */
	m = wrap("HTTP/1.1 200 OK", "application/ocsp-response", (const uint8_t *)"\x30\x03\x0a\x01", 4, &mlen);
	run_msg(&r, m, mlen, mlen, true);
	assert_true(has_expert(&r, TW_SEV_ERROR, "[Malformed OCSP response: "));
	assert_string_equal(info(&r), "Response [Malformed OCSP response]");
	run_free(&r);
	free(m);

	OPENSSL_free(lder);
	OCSP_RESPONSE_free(later);
	OPENSSL_free(pder);
	OPENSSL_free(rder);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_REQUEST_free(req);
	ASN1_TIME_free(rev);
	ASN1_TIME_free(thisupd);
	ASN1_TIME_free(nextupd);
	OCSP_CERTID_free(cid);
	X509_free(ca);
	X509_free(leaf);
}

/* ---- hostile input ---------------------------------------------------- */

/* Every prefix of msg, as a complete short message and as a capture cut short. */
static void
every_prefix(const uint8_t *msg, size_t len)
{
	for (size_t n = 0; n <= len; n++) {
		struct run r;
		run_msg(&r, msg, n, n, true);
		run_free(&r);
		run_msg(&r, msg, n, len, true);
		run_free(&r);
		run_msg(&r, msg, n, n, false);
		run_free(&r);
	}
}

static void
test_truncation_everywhere(void **state)
{
	(void)state;
	const char *chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n"
	                      "Set-Cookie: a=b\r\n\r\n5\r\nhello\r\n6;x\r\n world\r\n0\r\nT: 1\r\n\r\n";
	every_prefix((const uint8_t *)chunked, strlen(chunked));
	const char *get = "GET /a?b=c&d HTTP/1.1\r\nHost: x\r\nCookie: a=1; b\r\nAuthorization: Basic QUJD\r\n"
	                  "Content-Length: 3\r\n\r\nabc";
	every_prefix((const uint8_t *)get, strlen(get));
	size_t dlen, mlen;
	uint8_t *der = make_crl(&dlen);
	uint8_t *m = wrap("HTTP/1.1 200 OK", "application/pkix-crl", der, dlen, &mlen);
	every_prefix(m, mlen);
	free(m);
	OPENSSL_free(der);
}

static void
test_hostile_headers(void **state)
{
	(void)state;
	struct run r;
	/* LF-only line ends. */
	run_str(&r, "GET / HTTP/1.1\nHost: a\n\n");
	assert_string_equal(fval(&r, "http.host"), "a");
	assert_true(has_expert(&r, TW_SEV_NOTE, "LF without CR"));
	run_free(&r);
	/* No empty line at all: the message ends inside the headers. */
	run_str(&r, "GET / HTTP/1.1\r\nHost: a");
	assert_true(has_expert(&r, TW_SEV_WARN, "ends inside its header block"));
	run_free(&r);
	/* A header without a colon; a bad header name. */
	run_str(&r, "GET / HTTP/1.1\r\nthis is not a header\r\nBad Name: x\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_WARN, "without a colon"));
	assert_true(has_expert(&r, TW_SEV_WARN, "Illegal characters found in header name"));
	assert_int_equal(count(&r, "http.request.line"), 2);
	run_free(&r);
	/* NUL bytes inside a header. */
	static const char nul[] = "GET / HTTP/1.1\r\nUser-Agent: a\0b\r\n\r\n";
	run_msg(&r, nul, sizeof nul - 1, sizeof nul - 1, true);
	assert_true(has_expert(&r, TW_SEV_WARN, "NUL"));
	assert_string_equal(fval(&r, "http.user_agent"), "a\\x00b");
	run_free(&r);
	/* Content-Length: overflow, negative, duplicates. */
	run_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\nabc");
	assert_true(has_expert(&r, TW_SEV_ERROR, "Invalid Content-Length"));
	assert_null(find(&r, "http.content_length"));
	run_free(&r);
	run_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_ERROR, "negative"));
	run_free(&r);
	run_str(&r, "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde");
	assert_true(has_expert(&r, TW_SEV_ERROR, "different values"));
	run_free(&r);
	run_str(&r, "POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc");
	assert_true(has_expert(&r, TW_SEV_NOTE, "repeated"));
	assert_int_equal(find(&r, "http.file_data")->v.b.n, 3);
	run_free(&r);
	/* Both Transfer-Encoding and Content-Length. */
	run_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_WARN, "must not be set together"));
	run_free(&r);
	/* Body shorter than Content-Length. */
	run_str(&r, "HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\nabc");
	assert_true(has_expert(&r, TW_SEV_WARN, "only 3 bytes"));
	run_free(&r);
	/* Not a message start at all. */
	run_str(&r, "\x16\x03\x01 random bytes\r\n\r\n");
	assert_string_equal(info(&r), "Continuation");
	run_free(&r);
}

static void
test_bad_chunks(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffffffff\r\nabc\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nabc\r\n",
		"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\nabcde\r\n",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct run r;
		run_str(&r, bad[i]);
		assert_true(has_expert(&r, TW_SEV_ERROR, "Invalid chunk size"));
		run_free(&r);
	}
	struct run r;
	run_str(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n100\r\nabc");
	assert_true(has_expert(&r, TW_SEV_WARN, "exceeds"));
	assert_int_equal(r.t.src[1].len, 3);
	run_free(&r);
	run_str(&r, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n");
	assert_true(has_expert(&r, TW_SEV_ERROR, "not followed by CRLF"));
	run_free(&r);
	/* Many tiny chunks: bounded work, later chunks not listed. */
	struct tu_bytes b = { 0 };
	const char *h = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
	tu_put(&b, h, strlen(h));
	for (int i = 0; i < 20000; i++)
		tu_put(&b, "1\r\nx\r\n", 6);
	tu_put(&b, "0\r\n\r\n", 5);
	run_msg(&r, b.p, b.n, b.n, true);
	assert_true(has_expert(&r, TW_SEV_NOTE, "not listed"));
	assert_int_equal(find(&r, "http.file_data")->v.b.n, 20000);
	run_free(&r);
	tu_bytes_free(&b);
}

static void
test_huge_header_line(void **state)
{
	(void)state;
	size_t n = 1024 * 1024;
	char *m = malloc(n + 64);
	int h = sprintf(m, "GET / HTTP/1.1\r\nX-Big: ");
	memset(m + h, 'A', n);
	memcpy(m + h + n, "\r\n\r\n", 4);
	size_t len = (size_t)h + n + 4;
	clock_t t0 = clock();
	struct run r;
	run_msg(&r, m, len, len, true);
	struct tw_node *line = find(&r, "http.request.line");
	assert_int_equal(line->v.b.n, strlen("X-Big: ") + n + 2);
	char *labels = all_labels(&r);
	assert_true(strlen(labels) < 8192); /* labels are cut, values are not */
	free(labels);
	run_free(&r);
	/* A million header lines would be a million nodes: capped. */
	struct tu_bytes b = { 0 };
	tu_put(&b, "GET / HTTP/1.1\r\n", 16);
	for (int i = 0; i < 100000; i++)
		tu_put(&b, "A: b\r\n", 6);
	tu_put(&b, "\r\n", 2);
	run_msg(&r, b.p, b.n, b.n, true);
	assert_true(has_expert(&r, TW_SEV_WARN, "header lines"));
	assert_true(count(&r, "http.request.line") <= 4096);
	run_free(&r);
	tu_bytes_free(&b);
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 20.0);
	free(m);
}

static void
test_escaping(void **state)
{
	(void)state;
	struct run r;
	run_str(&r, "GET /\x1b[31mred HTTP/1.1\r\nX-Evil: \x1b[31mred\xe2\x80\xae\r\nHost: h\x1b]0;t\x07\r\n\r\n");
	char *labels = all_labels(&r);
	assert_non_null(strstr(labels, "X-Evil: \\x1b[31mred\\u202e\\r\\n"));
	assert_null(strchr(labels, 0x1b));
	assert_null(strchr(labels, 0x07));
	free(labels);
	assert_string_equal(val(find_nth(&r, "http.request.line", 0)), "X-Evil: \\x1b[31mred\\u202e\\r\\n");
	assert_null(strchr(info(&r), 0x1b));
	assert_non_null(strstr(info(&r), "GET /\\x1b[31mred HTTP/1.1"));
	assert_string_equal(fval(&r, "http.request.full_uri"), "http://h\\x1b]0;t\\x07/\\x1b[31mred");
	run_free(&r);
}

/* ---- pairing (load pass, then display) -------------------------------- */

struct pmsg {
	uint32_t frame;
	int dir;
	const char *text;
};

static void
test_pairing(void **state)
{
	(void)state;
	/* Two pipelined requests in frame 0 (offsets 0 and n0), responses in frames 2 and 3; then HEAD. */
	const char *r1 = "GET /one HTTP/1.1\r\nHost: example.test\r\n\r\n";
	const char *r2 = "GET /two HTTP/1.1\r\nHost: example.test\r\n\r\n";
	const char *s1 = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
	const char *s2 = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	const char *r3 = "HEAD /three HTTP/1.1\r\nHost: example.test\r\n\r\n";
	const char *s3 = "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n";
	const struct pmsg msgs[] = {
		{ 0, 0, r1 }, { 0, 0, r2 }, { 2, 1, s1 }, { 3, 1, s2 }, { 5, 0, r3 }, { 6, 1, s3 },
	};
	uint32_t foff[ARRAY_SIZE(msgs)];
	struct tw_convs cs;
	convs_init(&cs);
	struct tw_dctx c;
	memset(&c, 0, sizeof c);
	pinfo_reset(&c.pi, true);
	c.convs = &cs;
	c.first_pass = true;
	for (size_t i = 0; i < ARRAY_SIZE(msgs); i++) {
		foff[i] = i == 1 ? (uint32_t)(54 + strlen(r1)) : 54;
		c.pi.ts = (int64_t)(msgs[i].frame + 1) * 1000000; /* 1 ms per frame */
		struct tw_pdu_view v = { 0 };
		v.p = (const uint8_t *)msgs[i].text;
		v.len = (uint32_t)strlen(msgs[i].text);
		v.conv = 7;
		v.dir = (uint8_t)msgs[i].dir;
		v.app = APP_HTTP;
		v.frame = msgs[i].frame;
		v.foff = foff[i];
		v.pdu = PIECE_SKIP;
		http_first_pass(&c, &v);
	}
	/* A response in another connection without its request. */
	struct tw_pdu_view lone = { 0 };
	lone.p = (const uint8_t *)s1;
	lone.len = (uint32_t)strlen(s1);
	lone.conv = 2;
	lone.dir = 1;
	lone.frame = 9;
	lone.foff = 54;
	lone.pdu = PIECE_SKIP;
	http_first_pass(&c, &lone);

	/* Display each message as stream.c would: a view at its frame offset. */
	for (size_t i = 0; i < ARRAY_SIZE(msgs); i++) {
		uint8_t frame[512];
		size_t n = strlen(msgs[i].text);
		memset(frame, 0, sizeof frame);
		memcpy(frame + foff[i], msgs[i].text, n);
		struct tw_tree t;
		tree_init(&t, true);
		struct tw_dctx d;
		memset(&d, 0, sizeof d);
		pinfo_reset(&d.pi, false);
		d.tree = &t;
		d.convs = &cs;
		d.cur_pdu = PIECE_SKIP;
		d.pi.num = msgs[i].frame + 1;
		d.pi.ts = (int64_t)(msgs[i].frame + 1) * 1000000;
		d.pi.top = PROTO_TCP;
		struct tw_buf fb = buf_init(frame, foff[i] + n, foff[i] + n, 0);
		fb.off = foff[i];
		struct tw_buf mb = buf_sub(&fb, n);
		dis_http(&d, &mb, t.root, 7, msgs[i].dir);
		struct run r = { .top = t.root };
		switch (i) {
		case 0:
			assert_string_equal(fval(&r, "http.response_in"), "3");
			assert_string_equal(fval(&r, "http.next_request_in"), "1");
			assert_null(find(&r, "http.prev_request_in"));
			assert_string_equal(fval(&r, "http.request_number"), "1");
			break;
		case 1:
			assert_string_equal(fval(&r, "http.response_in"), "4");
			assert_string_equal(fval(&r, "http.prev_request_in"), "1");
			break;
		case 2:
			assert_string_equal(fval(&r, "http.request_in"), "1");
			assert_string_equal(fval(&r, "http.time"), "0.002000000");
			assert_string_equal(fval(&r, "http.response_for.uri"), "http://example.test/one");
			assert_string_equal(fval(&r, "http.next_response_in"), "4");
			break;
		case 3:
			assert_string_equal(fval(&r, "http.request_in"), "1");
			assert_string_equal(fval(&r, "http.response_for.uri"), "http://example.test/two");
			assert_string_equal(fval(&r, "http.prev_response_in"), "3");
			assert_string_equal(fval(&r, "http.time"), "0.003000000");
			break;
		case 5:
			/* The response to HEAD: Content-Length without a body, and no complaint. */
			assert_string_equal(fval(&r, "http.request_in"), "6");
			assert_null(find(&r, "http.file_data"));
			assert_int_equal(t.max_sev, TW_SEV_NONE);
			break;
		default:
			break;
		}
		char *labels = all_labels(&r);
		if (i == 0)
			assert_non_null(strstr(labels, "[HTTP request 1/3]"));
		if (i == 3)
			assert_non_null(strstr(labels, "[HTTP response 2/3]"));
		free(labels);
		tree_free(&t);
	}
	convs_free(&cs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_with_headers),
		cmocka_unit_test(test_response_content_length),
		cmocka_unit_test(test_chunked),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_status_experts),
		cmocka_unit_test(test_crl),
		cmocka_unit_test(test_certificate),
		cmocka_unit_test(test_ocsp),
		cmocka_unit_test(test_truncation_everywhere),
		cmocka_unit_test(test_hostile_headers),
		cmocka_unit_test(test_bad_chunks),
		cmocka_unit_test(test_huge_header_line),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_pairing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	EVP_PKEY_free(test_key());
	return rc;
}
