/*
 * test_x509.c - the certificate chain model and its checks (src/core/x509.c),
 * its detail tree, and the chains tls.c finds in captures.
 *
 * Fixtures: tests/data/certs/, made by make-certs.sh with the openssl
 * command line (see its header for the PKI). Expected facts are not typed
 * in here: every certificate's NAME.txt is `openssl x509 -text` plus its
 * SHA-1 and SHA-256 fingerprints, written by the same script, and
 * test_fields_match_openssl compares the model with it field by field.
 * Where a value is written here, the comment gives the openssl command
 * that shows it.
 *
 * The MD2-signed intermediate cannot be checked by OpenSSL 3 (no MD2):
 * test_md2_signature_is_valid implements MD2 from RFC 1319 (checked
 * against the RFC's test suite) and proves that the signature is the
 * PKCS#1 v1.5 signature of MD2(TBSCertificate) by the root's key.
 *
 * Checks run at a fixed "capture time", 2026-06-01 12:00:00 UTC (the time
 * of the fixture captures), never at today's date.
 */
#include "testutil.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/http.h"
#include "core/dissect/tls.h"
#include "core/field.h"
#include "core/tree.h"
#include "core/x509.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <time.h>

#define DIR "tests/data/certs/"
/* 2026-06-01 12:00:00 UTC: `date -u -d 2026-06-01T12:00:00Z +%s` = 1780315200 */
#define T_CAPTURE (INT64_C(1780315200) * TW_NS_PER_SEC)

/* ---- loading fixtures ---------------------------------------------------- */

struct ders {
	uint8_t *p[X509_MAX_CHAIN];
	size_t len[X509_MAX_CHAIN];
	size_t n;
};

/* Append the certificates of a PEM file (DER via OpenSSL's encoder). */
static void
ders_add_pem(struct ders *d, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, DIR "%s.pem", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run the tests from the repository root)", path);
	X509 *x;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		assert_true(d->n < X509_MAX_CHAIN);
		unsigned char *der = NULL;
		int n = i2d_X509(x, &der);
		assert_true(n > 0);
		d->p[d->n] = der;
		d->len[d->n++] = (size_t)n;
		X509_free(x);
	}
	ERR_clear_error();
	fclose(f);
}

static void
ders_free(struct ders *d)
{
	for (size_t i = 0; i < d->n; i++)
		OPENSSL_free(d->p[i]);
	memset(d, 0, sizeof *d);
}

/* Chain of the PEM files named (certificates in order), checked as a server chain for sni. */
static struct tw_chain *
chain_of(const char *sni, const char *const *names, size_t nn, struct tw_chain_ctx *ctx_in)
{
	struct ders d = { 0 };
	for (size_t i = 0; i < nn; i++)
		ders_add_pem(&d, names[i]);
	struct tw_chain_ctx ctx;
	if (ctx_in) {
		ctx = *ctx_in;
	} else {
		memset(&ctx, 0, sizeof ctx);
		ctx.when = T_CAPTURE;
		ctx.server = true;
	}
	if (sni) {
		ctx.sni = (const uint8_t *)sni;
		ctx.sni_len = strlen(sni);
	}
	struct tw_chain *ch = x509_chain_new((const uint8_t *const *)d.p, d.len, d.n, &ctx);
	ders_free(&d);
	return ch;
}

#define CHAIN(sni, ...)                                                                      \
	chain_of((sni), (const char *const[]){ __VA_ARGS__ },                                \
	         sizeof((const char *const[]){ __VA_ARGS__ }) / sizeof(const char *), NULL)

static size_t
count_code(const struct tw_chain *ch, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < ch->nf; i++)
		n += strcmp(ch->f[i].code, code) == 0;
	return n;
}

static const struct tw_cert_finding *
find_code(const struct tw_chain *ch, const char *code, int cert)
{
	for (size_t i = 0; i < ch->nf; i++)
		if (strcmp(ch->f[i].code, code) == 0 && ch->f[i].cert == cert)
			return &ch->f[i];
	return NULL;
}

static void
print_findings(const struct tw_chain *ch)
{
	for (size_t i = 0; i < ch->nf; i++)
		print_message("  finding %s cert %d sev %u: %s\n", ch->f[i].code, ch->f[i].cert, ch->f[i].sev,
		              ch->f[i].text);
}

/* Exactly this finding (code, certificate index, severity) is present. */
static const struct tw_cert_finding *
expect(const struct tw_chain *ch, const char *code, int cert, enum tw_sev sev)
{
	const struct tw_cert_finding *f = find_code(ch, code, cert);
	if (!f) {
		print_findings(ch);
		fail_msg("no finding %s on certificate %d", code, cert + 1);
	}
	if (f->sev != sev) {
		print_findings(ch);
		fail_msg("finding %s has severity %u, not %u", code, f->sev, sev);
	}
	assert_non_null(f->text);
	assert_true(strlen(f->text) > 20);
	return f;
}

static void
expect_only(const struct tw_chain *ch, size_t nf)
{
	if (ch->nf != nf) {
		print_findings(ch);
		fail_msg("%zu findings, expected %zu", ch->nf, nf);
	}
}

/* ---- comparing with `openssl x509 -text` ------------------------------------ */

struct txt {
	char *s;
};

static void
txt_load(struct txt *t, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, DIR "%s.txt", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t cap = 1 << 16;
	t->s = calloc(1, cap);
	size_t n = fread(t->s, 1, cap - 1, f);
	t->s[n] = '\0';
	fclose(f);
}

/* The rest of the first line containing key (after it, trimmed), into out; false if absent. */
static bool
txt_after(const struct txt *t, const char *key, char *out, size_t cap)
{
	const char *p = strstr(t->s, key);
	if (!p)
		return false;
	p += strlen(key);
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	while (n && p[n - 1] == ' ')
		n--;
	snprintf(out, cap, "%.*s", (int)n, p);
	return true;
}

/* The (trimmed) line following the line containing key. */
static bool
txt_next_line(const struct txt *t, const char *key, char *out, size_t cap)
{
	const char *p = strstr(t->s, key);
	if (!p || !(p = strchr(p, '\n')))
		return false;
	p++;
	while (*p == ' ')
		p++;
	size_t n = strcspn(p, "\n");
	while (n && p[n - 1] == ' ')
		n--;
	snprintf(out, cap, "%.*s", (int)n, p);
	return true;
}

/* "Jan  1 00:00:00 2025 GMT" as ns. */
static tw_time
openssl_time(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *e = strptime(s, "%b %d %H:%M:%S %Y GMT", &tm);
	assert_non_null(e);
	return (tw_time)timegm(&tm) * TW_NS_PER_SEC;
}

/* openssl's one-line name "C = US, O = tracewb tests, CN = X" as RFC 2253 "CN=X,O=tracewb tests,C=US". */
static void
oneline_to_rfc2253(const char *in, char *out, size_t cap)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", in);
	char *parts[16];
	size_t n = 0;
	for (char *p = strtok(tmp, ","); p && n < 16; p = strtok(NULL, ","))
		parts[n++] = p[0] == ' ' ? p + 1 : p;
	out[0] = '\0';
	for (size_t i = n; i-- > 0;) {
		char *eq = strstr(parts[i], " = ");
		assert_non_null(eq);
		*eq = '\0';
		size_t l = strlen(out);
		snprintf(out + l, cap - l, "%s%s=%s", l ? "," : "", parts[i], eq + 3);
	}
}

static const struct {
	const char *openssl, *ours;
} ku_names[] = {
	{ "Digital Signature", "digitalSignature" }, { "Non Repudiation", "contentCommitment" },
	{ "Key Encipherment", "keyEncipherment" },   { "Data Encipherment", "dataEncipherment" },
	{ "Key Agreement", "keyAgreement" },         { "Certificate Sign", "keyCertSign" },
	{ "CRL Sign", "cRLSign" },                   { "Encipher Only", "encipherOnly" },
	{ "Decipher Only", "decipherOnly" },
};

static void
compare_with_openssl(const char *name)
{
	const char *names[] = { name };
	struct tw_chain *ch = chain_of(NULL, names, 1, NULL);
	assert_int_equal(ch->n, 1);
	const struct tw_cert *c = &ch->c[0];
	assert_non_null(c->x);
	struct txt t;
	txt_load(&t, name);
	char v[1024], w[1024];

	/* Version: 3 (0x2) */
	assert_true(txt_after(&t, "Version:", v, sizeof v));
	assert_int_equal(atoi(v), c->version);
	/* Serial Number: 4097 (0x1001) */
	assert_true(txt_after(&t, "Serial Number:", v, sizeof v));
	char *ox = strstr(v, "(0x");
	assert_non_null(ox);
	assert_int_equal(strtoull(ox + 1, NULL, 16), strtoull(c->serial, NULL, 16));
	/* Signature Algorithm: md2WithRSAEncryption */
	assert_true(txt_after(&t, "Signature Algorithm:", v, sizeof v));
	assert_string_equal(v, c->sig_name);
	/* Issuer / Subject, openssl's one-line form turned into RFC 2253 */
	assert_true(txt_after(&t, "Issuer:", v, sizeof v));
	oneline_to_rfc2253(v, w, sizeof w);
	assert_string_equal(w, c->issuer);
	assert_true(txt_after(&t, "Subject:", v, sizeof v));
	oneline_to_rfc2253(v, w, sizeof w);
	assert_string_equal(w, c->subject);
	/* Validity */
	assert_true(c->have_validity);
	assert_true(txt_after(&t, "Not Before:", v, sizeof v));
	assert_true(openssl_time(v) == c->not_before);
	assert_true(txt_after(&t, "Not After :", v, sizeof v));
	assert_true(openssl_time(v) == c->not_after);
	/* Public-Key: (2048 bit) */
	assert_true(txt_after(&t, "Public-Key: (", v, sizeof v));
	assert_int_equal(atoi(v), c->key_bits);
	if (txt_after(&t, "NIST CURVE:", v, sizeof v)) {
		assert_non_null(c->key_curve);
		assert_non_null(strstr(c->key_curve, v));
		assert_string_equal(c->key_type, "EC");
	} else {
		assert_string_equal(c->key_type, "RSA");
	}
	/* CA:TRUE / CA:FALSE, pathlen */
	if (txt_after(&t, "CA:", v, sizeof v)) {
		assert_true(c->has_bc);
		assert_int_equal(c->is_ca, strncmp(v, "TRUE", 4) == 0);
	} else {
		assert_false(c->has_bc);
	}
	/* Key identifiers */
	if (txt_next_line(&t, "X509v3 Subject Key Identifier:", v, sizeof v))
		assert_string_equal(v, c->ski);
	else
		assert_null(c->ski);
	if (txt_next_line(&t, "X509v3 Authority Key Identifier:", v, sizeof v))
		assert_string_equal(v, c->aki);
	else
		assert_null(c->aki);
	/* Key usage: "Digital Signature, Key Encipherment" */
	if (txt_next_line(&t, "X509v3 Key Usage:", v, sizeof v)) {
		w[0] = '\0';
		for (char *p = strtok(v, ","); p; p = strtok(NULL, ",")) {
			while (*p == ' ')
				p++;
			const char *ours = NULL;
			for (size_t k = 0; k < ARRAY_SIZE(ku_names); k++)
				if (strcmp(p, ku_names[k].openssl) == 0)
					ours = ku_names[k].ours;
			assert_non_null(ours);
			size_t l = strlen(w);
			snprintf(w + l, sizeof w - l, "%s%s", l ? ", " : "", ours);
		}
		assert_string_equal(w, c->key_usage_text);
	} else {
		assert_null(c->key_usage_text);
	}
	/* Extended key usage: OpenSSL's long names of our OIDs */
	if (txt_next_line(&t, "X509v3 Extended Key Usage:", v, sizeof v)) {
		w[0] = '\0';
		for (size_t k = 0; k < c->eku.n; k++) {
			const char *lp = strrchr(c->eku.v[k], '(');
			char oid[64];
			snprintf(oid, sizeof oid, "%s", lp + 1);
			oid[strlen(oid) - 1] = '\0';
			size_t l = strlen(w);
			snprintf(w + l, sizeof w - l, "%s%s", l ? ", " : "", OBJ_nid2ln(OBJ_txt2nid(oid)));
		}
		assert_string_equal(w, v);
	} else {
		assert_int_equal(c->eku.n, 0);
	}
	/* Subject alternative names: "DNS:a, DNS:b" / "email:..." */
	if (txt_next_line(&t, "X509v3 Subject Alternative Name:", v, sizeof v)) {
		w[0] = '\0';
		for (size_t k = 0; k < c->san.n; k++) {
			size_t l = strlen(w);
			snprintf(w + l, sizeof w - l, "%s%s", l ? ", " : "", c->san.v[k]);
		}
		assert_string_equal(w, v);
	} else {
		assert_int_equal(c->san.n, 0);
	}
	/* URLs: "URI:..." (CRL), "OCSP - URI:...", "CA Issuers - URI:..." */
	size_t ncdp = 0, nocsp = 0, ncai = 0;
	for (size_t k = 0; k < c->nurls; k++) {
		const char *key = c->urls[k].kind == TW_URL_CDP ? "  URI:" :
		                  c->urls[k].kind == TW_URL_OCSP ? "OCSP - URI:" : "CA Issuers - URI:";
		assert_true(txt_after(&t, key, v, sizeof v));
		assert_string_equal(v, c->urls[k].shown);
		ncdp += c->urls[k].kind == TW_URL_CDP;
		nocsp += c->urls[k].kind == TW_URL_OCSP;
		ncai += c->urls[k].kind == TW_URL_CA_ISSUERS;
	}
	assert_int_equal(ncdp, strstr(t.s, "CRL Distribution Points") ? 1 : 0);
	assert_int_equal(nocsp, strstr(t.s, "OCSP - URI:") ? 1 : 0);
	assert_int_equal(ncai, strstr(t.s, "CA Issuers - URI:") ? 1 : 0);
	/* Policies: "Policy: 2.23.140.1.2.1" */
	if (txt_after(&t, "Policy:", v, sizeof v)) {
		assert_int_equal(c->policies.n, 1);
		assert_string_equal(c->policies.v[0], v);
	} else {
		assert_int_equal(c->policies.n, 0);
	}
	/* Fingerprints */
	assert_true(txt_after(&t, "sha1 Fingerprint=", v, sizeof v));
	assert_string_equal(v, c->sha1);
	assert_true(txt_after(&t, "sha256 Fingerprint=", v, sizeof v));
	assert_string_equal(v, c->sha256);
	free(t.s);
	x509_chain_free(ch);
}

static void
test_fields_match_openssl(void **state)
{
	(void)state;
	static const char *const all[] = {
		"root", "corp-ca", "contractor", "inter", "sub", "inter-rekey", "sha1-ca", "md5-ca", "md2-ca",
		"noca", "good", "sha1-leaf", "md5-leaf", "md2-leaf", "expired", "notyet", "other", "wild", "cnonly",
		"deep", "weak-key", "tiny-key", "leafca", "ec", "noca-leaf", "revoked", "alice",
	};
	for (size_t i = 0; i < ARRAY_SIZE(all); i++)
		compare_with_openssl(all[i]);
}

/* Values written out, with the openssl command that shows them. */
static void
test_model_values(void **state)
{
	(void)state;
	struct tw_chain *ch = CHAIN("good.tw.test", "good", "inter");
	const struct tw_cert *c = &ch->c[0];
	/* openssl x509 -in good.pem -noout -subject -issuer -serial -nameopt RFC2253 */
	assert_string_equal(c->subject, "CN=good.tw.test");
	assert_string_equal(c->issuer, "CN=TW Test Issuing CA,O=tracewb tests,C=US");
	assert_string_equal(c->name, "good.tw.test");
	assert_string_equal(c->serial, "0x1001");
	/* openssl x509 -in good.pem -noout -text: sha256WithRSAEncryption = 1.2.840.113549.1.1.11 */
	assert_string_equal(c->sig_oid, "1.2.840.113549.1.1.11");
	assert_string_equal(c->sig_digest, "sha256");
	assert_true(c->digest_supported);
	assert_int_equal(c->sig_check, TW_SIG_OK);
	assert_int_equal(c->issued_by, 1);
	assert_true(c->in_path);
	assert_false(c->self_issued);
	/* EKU serverAuth, clientAuth; SAN; CDP; AIA OCSP then CA issuers */
	assert_int_equal(c->eku.n, 2);
	assert_string_equal(c->eku.v[0], "serverAuth (1.3.6.1.5.5.7.3.1)");
	assert_string_equal(c->eku.v[1], "clientAuth (1.3.6.1.5.5.7.3.2)");
	assert_true(c->xku & XKU_SSL_SERVER);
	assert_int_equal(c->ndns, 2);
	assert_int_equal(c->nurls, 3);
	assert_int_equal(c->urls[0].kind, TW_URL_CDP);
	assert_string_equal(c->urls[0].url, "http://crl.tw.test/inter.crl");
	assert_int_equal(c->urls[1].kind, TW_URL_OCSP);
	assert_string_equal(c->urls[1].url, "http://ocsp.tw.test/");
	assert_int_equal(c->urls[2].kind, TW_URL_CA_ISSUERS);
	assert_string_equal(c->urls[2].url, "http://pki.tw.test/inter.cer");
	/* The private extension (make-certs.sh: 1.3.6.1.4.1.55555.1) is listed by OID. */
	assert_int_equal(c->unknown_ext.n, 1);
	assert_string_equal(c->unknown_ext.v[0], "1.3.6.1.4.1.55555.1");
	assert_int_equal(c->next, 10);
	/* The intermediate: CA, issuer not sent (the path ends at a CA: no finding, a remark). */
	assert_true(ch->c[1].is_ca);
	assert_int_equal(ch->c[1].pathlen, -1);
	assert_int_equal(ch->c[1].issued_by, -1);
	assert_int_equal(ch->c[1].sig_check, TW_SIG_UNCHECKED);
	assert_non_null(ch->path_text);
	assert_non_null(strstr(ch->path_text, "CN=TW Test Root CA"));
	expect_only(ch, 0); /* the healthy chain: nothing to report */
	assert_int_equal(ch->errors + ch->warnings + ch->notes, 0);
	assert_string_equal(ch->sni, "good.tw.test");
	x509_chain_free(ch);

	/* EC key: openssl x509 -in ec.pem -noout -text: ASN1 OID prime256v1, NIST CURVE P-256 */
	ch = CHAIN("ec.tw.test", "ec", "inter");
	assert_string_equal(ch->c[0].key_type, "EC");
	assert_int_equal(ch->c[0].key_bits, 256);
	assert_string_equal(ch->c[0].key_curve, "prime256v1 (P-256)");
	expect_only(ch, 0);
	x509_chain_free(ch);
}

/* ---- MD2 (RFC 1319) and the MD2-signed intermediate ---------------------------- */

/* RFC 1319 3.2: "a random permutation of 0..255 constructed from the digits of pi". */
static const uint8_t PI_SUBST[256] = {
	41,  46,  67,  201, 162, 216, 124, 1,   61,  54,  84,  161, 236, 240, 6,   19,  98,  167, 5,   243, 192, 199,
	115, 140, 152, 147, 43,  217, 188, 76,  130, 202, 30,  155, 87,  60,  253, 212, 224, 22,  103, 66,  111, 24,
	138, 23,  229, 18,  190, 78,  196, 214, 218, 158, 222, 73,  160, 251, 245, 142, 187, 47,  238, 122, 169, 104,
	121, 145, 21,  178, 7,   63,  148, 194, 16,  137, 11,  34,  95,  33,  128, 127, 93,  154, 90,  144, 50,  39,
	53,  62,  204, 231, 191, 247, 151, 3,   255, 25,  48,  179, 72,  165, 181, 209, 215, 94,  146, 42,  172, 86,
	170, 198, 79,  184, 56,  210, 150, 164, 125, 182, 118, 252, 107, 226, 156, 116, 4,   241, 69,  157, 112, 89,
	100, 113, 135, 32,  134, 91,  207, 101, 230, 45,  168, 2,   27,  96,  37,  173, 174, 176, 185, 246, 28,  70,
	97,  105, 52,  64,  126, 15,  85,  71,  163, 35,  221, 81,  175, 58,  195, 92,  249, 206, 186, 197, 234, 38,
	44,  83,  13,  110, 133, 40,  132, 9,   211, 223, 205, 244, 65,  129, 77,  82,  106, 220, 55,  200, 108, 193,
	171, 250, 36,  225, 123, 8,   12,  189, 177, 74,  120, 136, 149, 139, 227, 99,  232, 109, 233, 203, 213, 254,
	59,  0,   29,  57,  242, 239, 183, 14,  102, 88,  208, 228, 166, 119, 114, 248, 235, 117, 75,  10,  49,  68,
	80,  180, 143, 237, 31,  26,  219, 153, 141, 51,  159, 17,  131, 20,
};

/* MD2 of p[0..n) (RFC 1319 3.1-3.5). */
static void
md2(const uint8_t *p, size_t n, uint8_t out[16])
{
	uint8_t x[48] = { 0 }, cks[16] = { 0 }, blk[16];
	uint8_t last = 0;
	size_t pad = 16 - n % 16;
	size_t total = n + pad;
	/* 3.1 padding, 3.2 checksum, 3.3-3.4 the state, block by block; then the checksum as a last block. */
	for (size_t off = 0; off <= total; off += 16) {
		if (off == total) {
			memcpy(blk, cks, 16);
		} else {
			for (size_t j = 0; j < 16; j++)
				blk[j] = off + j < n ? p[off + j] : (uint8_t)pad;
			for (size_t j = 0; j < 16; j++) {
				cks[j] ^= PI_SUBST[blk[j] ^ last];
				last = cks[j];
			}
		}
		for (size_t j = 0; j < 16; j++) {
			x[16 + j] = blk[j];
			x[32 + j] = (uint8_t)(x[16 + j] ^ x[j]);
		}
		uint8_t t = 0;
		for (int r = 0; r < 18; r++) {
			for (int k = 0; k < 48; k++) {
				x[k] ^= PI_SUBST[t];
				t = x[k];
			}
			t = (uint8_t)(t + r);
		}
	}
	memcpy(out, x, 16);
}

static void
hex(char *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* RFC 1319 appendix A.5. */
static void
test_md2_rfc1319_vectors(void **state)
{
	(void)state;
	static const struct {
		const char *msg, *digest;
	} v[] = {
		{ "", "8350e5a3e24c153df2275c9f80692773" },
		{ "a", "32ec01ec4a6dac72c0ab96fb34c0b5d1" },
		{ "abc", "da853b0d3f88d99b30283a69e6ded6bb" },
		{ "message digest", "ab4f496bfb2a530b219ff33031fe06b0" },
		{ "abcdefghijklmnopqrstuvwxyz", "4e8ddff3650292ab5a4108c3aa47940b" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "da33def2a42df13975352846c30338cd" },
		{ "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
		  "d5976f79d83d3a0dc9806c3c66f3efd8" },
	};
	uint8_t seen[256] = { 0 };
	for (int i = 0; i < 256; i++)
		seen[PI_SUBST[i]]++;
	for (int i = 0; i < 256; i++)
		assert_int_equal(seen[i], 1); /* a permutation */
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		uint8_t d[16];
		char h[33];
		md2((const uint8_t *)v[i].msg, strlen(v[i].msg), d);
		hex(h, d, 16);
		assert_string_equal(h, v[i].digest);
	}
}

static X509 *
load_x509(const char *name)
{
	char path[256];
	snprintf(path, sizeof path, DIR "%s.pem", name);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(x);
	return x;
}

/*
 * md2-ca.pem's signature is the PKCS#1 v1.5 signature (RFC 8017 8.2) of
 * MD2(TBSCertificate) with the root's key: RSA-recover it with the root's
 * public key and compare with DigestInfo(md2, MD2(TBS)) computed here.
 */
static void
test_md2_signature_is_valid(void **state)
{
	(void)state;
	X509 *md2ca = load_x509("md2-ca"), *root = load_x509("root");
	/* The TBSCertificate's DER exactly as received (unmodified: the cached encoding). */
	unsigned char *tbs = NULL;
	int tl = i2d_re_X509_tbs(md2ca, &tbs);
	assert_true(tl > 0);
	uint8_t dig[16];
	md2(tbs, (size_t)tl, dig);
	/* DigestInfo ::= SEQUENCE { SEQUENCE { OID md2 (1.2.840.113549.2.2), NULL }, OCTET STRING digest } */
	uint8_t want[34] = { 0x30, 0x20, 0x30, 0x0c, 0x06, 0x08, 0x2a, 0x86, 0x48, 0x86, 0xf7,
		             0x0d, 0x02, 0x02, 0x05, 0x00, 0x04, 0x10 };
	memcpy(want + 18, dig, 16);
	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *alg = NULL;
	X509_get0_signature(&sig, &alg, md2ca);
	assert_int_equal(X509_get_signature_nid(md2ca), NID_md2WithRSAEncryption);
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(X509_get0_pubkey(root), NULL);
	assert_non_null(pc);
	assert_int_equal(EVP_PKEY_verify_recover_init(pc), 1);
	assert_int_equal(EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING), 1);
	uint8_t rec[512];
	size_t rl = sizeof rec;
	assert_int_equal(EVP_PKEY_verify_recover(pc, rec, &rl, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig)), 1);
	assert_int_equal(rl, sizeof want);
	assert_memory_equal(rec, want, sizeof want);
	/* A changed TBS would not give this digest: the proof is not vacuous. */
	tbs[tl - 1] ^= 1;
	uint8_t other[16];
	md2(tbs, (size_t)tl, other);
	assert_memory_not_equal(other, dig, 16);
	EVP_PKEY_CTX_free(pc);
	OPENSSL_free(tbs);
	/* OpenSSL itself cannot verify it: no MD2. */
	ERR_clear_error();
	assert_true(X509_verify(md2ca, X509_get0_pubkey(root)) <= 0);
	ERR_clear_error();
	X509_free(md2ca);
	X509_free(root);

	/* The model: weak digest (error) and "cannot verify: md2 unsupported", never a bad signature. */
	struct tw_chain *ch = CHAIN("md2.tw.test", "md2-leaf", "md2-ca", "root");
	assert_string_equal(ch->c[1].sig_name, "md2WithRSAEncryption");
	assert_string_equal(ch->c[1].sig_oid, "1.2.840.113549.1.1.2");
	assert_string_equal(ch->c[1].sig_digest, "md2");
	assert_false(ch->c[1].digest_supported);
	assert_int_equal(ch->c[1].sig_check, TW_SIG_UNSUPPORTED);
	assert_int_equal(ch->c[0].sig_check, TW_SIG_OK); /* the leaf (SHA-256) verifies with md2-ca's key */
	expect(ch, "weak-digest", 1, TW_SEV_ERROR);
	const struct tw_cert_finding *f = expect(ch, "cannot-verify", 1, TW_SEV_WARN);
	assert_non_null(strstr(f->text, "cannot verify: md2 unsupported"));
	expect(ch, "root-sent", 2, TW_SEV_NOTE);
	assert_int_equal(count_code(ch, "bad-signature"), 0);
	expect_only(ch, 3);
	x509_chain_free(ch);
}

/* ---- the checks, one fixture each ------------------------------------------------ */

static void
test_weak_digests_and_keys(void **state)
{
	(void)state;
	struct tw_chain *ch = CHAIN("sha1.tw.test", "sha1-leaf", "sha1-ca");
	expect(ch, "weak-digest", 1, TW_SEV_WARN);
	assert_non_null(strstr(find_code(ch, "weak-digest", 1)->text, "SHA-1"));
	assert_int_equal(ch->c[1].sig_check, TW_SIG_UNCHECKED);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("md5.tw.test", "md5-leaf", "md5-ca");
	expect(ch, "weak-digest", 1, TW_SEV_ERROR);
	assert_non_null(strstr(find_code(ch, "weak-digest", 1)->text, "MD5"));
	expect_only(ch, 1);
	x509_chain_free(ch);

	/* A SHA-1/MD5 signature on a certificate that is checked: it verifies (OpenSSL has MD5). */
	ch = CHAIN(NULL, "md5-ca", "root");
	assert_int_equal(ch->c[0].sig_check, TW_SIG_OK);
	x509_chain_free(ch);

	ch = CHAIN("weak-key.tw.test", "weak-key", "inter");
	expect(ch, "weak-key", 0, TW_SEV_WARN);
	assert_int_equal(ch->c[0].key_bits, 1024);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("tiny-key.tw.test", "tiny-key", "inter");
	expect(ch, "weak-key", 0, TW_SEV_ERROR);
	assert_int_equal(ch->c[0].key_bits, 512);
	expect_only(ch, 1);
	x509_chain_free(ch);

	/* A key type OpenSSL cannot read: the rsaEncryption OID of good's key changed to 1.2.840.113549.1.1.99. */
	struct ders d = { 0 };
	ders_add_pem(&d, "good");
	ders_add_pem(&d, "inter");
	static const uint8_t rsa_oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
	uint8_t *hit = memmem(d.p[0], d.len[0], rsa_oid, sizeof rsa_oid);
	assert_non_null(hit);
	hit[sizeof rsa_oid - 1] = 99;
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true,
		                    .sni = (const uint8_t *)"good.tw.test", .sni_len = 12 };
	ch = x509_chain_new((const uint8_t *const *)d.p, d.len, d.n, &ctx);
	assert_false(ch->c[0].key_known);
	assert_non_null(strstr(ch->c[0].key_type, "1.2.840.113549.1.1.99"));
	expect(ch, "unknown-key", 0, TW_SEV_NOTE);
	expect(ch, "bad-signature", 0, TW_SEV_ERROR); /* the TBS changed */
	expect_only(ch, 2);
	x509_chain_free(ch);
	ders_free(&d);
}

static void
test_validity_at_capture_time(void **state)
{
	(void)state;
	/* openssl x509 -in expired.pem -noout -enddate: notAfter=Jan  1 00:00:00 2025 GMT */
	struct tw_chain *ch = CHAIN("expired.tw.test", "expired", "inter");
	const struct tw_cert_finding *f = expect(ch, "expired", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "2025-01-01 00:00:00 UTC"));
	assert_non_null(strstr(f->text, "516 days before the capture (2026-06-01 12:00:00 UTC)"));
	expect_only(ch, 1);
	x509_chain_free(ch);

	/* The same chain in a capture of 2024-06-01: the leaf was valid then, its issuer not yet. */
	const char *names[] = { "expired", "inter" };
	struct tw_chain_ctx ctx = { .when = INT64_C(1717243200) * TW_NS_PER_SEC, .server = true };
	ch = chain_of("expired.tw.test", names, 2, &ctx);
	f = expect(ch, "not-yet-valid", 1, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "213 days after the capture (2024-06-01 12:00:00 UTC)"));
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("notyet.tw.test", "notyet", "inter");
	f = expect(ch, "not-yet-valid", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "2030-01-01 00:00:00 UTC"));
	expect_only(ch, 1);
	x509_chain_free(ch);
}

static void
test_host_names(void **state)
{
	(void)state;
	static const struct {
		const char *sni;
		bool ok;
	} wild[] = {
		{ "a.wild.tw.test", true },    { "A.WILD.TW.TEST", true },  { "a.b.wild.tw.test", false },
		{ "wild.tw.test", false },     { "www.part.tw.test", false }, { "part.tw.test", false },
		{ "x.wild.tw.test.evil", false },
	};
	for (size_t i = 0; i < ARRAY_SIZE(wild); i++) {
		struct tw_chain *ch = CHAIN(wild[i].sni, "wild", "inter");
		if (wild[i].ok) {
			expect_only(ch, 0);
		} else {
			const struct tw_cert_finding *f = expect(ch, "name-mismatch", 0, TW_SEV_ERROR);
			assert_non_null(strstr(f->text, wild[i].sni));
			assert_non_null(strstr(f->text, "*.wild.tw.test, w*.part.tw.test"));
			expect_only(ch, 1);
		}
		x509_chain_free(ch);
	}
	struct tw_chain *ch = CHAIN("wrongname.tw.test", "other", "inter");
	const struct tw_cert_finding *f = expect(ch, "name-mismatch", 0, TW_SEV_ERROR);
	assert_string_equal(f->text, "The client asked for wrongname.tw.test (SNI) but certificate 1 (other.tw.test) is "
	                             "for other.tw.test, www.other.tw.test");
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("www.good.tw.test", "good", "inter");
	expect_only(ch, 0);
	x509_chain_free(ch);

	/* No subjectAltName: the CN is used (RFC 6125 6.4.4), with a note. */
	ch = CHAIN("cnonly.tw.test", "cnonly", "inter");
	expect(ch, "cn-fallback", 0, TW_SEV_NOTE);
	expect_only(ch, 1);
	x509_chain_free(ch);
	ch = CHAIN("other.tw.test", "cnonly", "inter");
	f = expect(ch, "name-mismatch", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "is for cnonly.tw.test"));
	x509_chain_free(ch);

	/* With a SAN the CN is never used (good's CN is good.tw.test, and so is a SAN; other.tw.test's too). */
	ch = CHAIN(NULL, "good", "inter");
	expect(ch, "no-sni", 0, TW_SEV_NOTE);
	expect_only(ch, 1);
	x509_chain_free(ch);

	/* An SNI with a NUL byte is not a host name. */
	const char *names[] = { "good", "inter" };
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true, .sni = (const uint8_t *)"good.tw.test\0x",
		                    .sni_len = 14 };
	ch = chain_of(NULL, names, 2, &ctx);
	assert_true(find_code(ch, "name-mismatch", 0) || find_code(ch, "bad-name", 0));
	assert_non_null(strstr(ch->sni, "\\x00")); /* escaped for display */
	x509_chain_free(ch);
}

/* Names from the certificate and the SNI are escaped in the model (str.h). */
static void
test_hostile_names(void **state)
{
	(void)state;
	const char *names[] = { "hostile", "inter" };
	struct tw_chain *ch = chain_of("evil\x1b[2J\xe2\x80\xae.tw.test", names, 2, NULL);
	/* openssl x509 -in hostile.pem -noout -subject: CN = evil\1B[2J\E2\80\AE.tw.test */
	assert_string_equal(ch->c[0].name, "evil\\x1b[2J\\u202e.tw.test");
	assert_null(strchr(ch->c[0].subject, '\x1b'));
	assert_string_equal(ch->sni, "evil\\x1b[2J\\u202e.tw.test");
	const struct tw_cert_finding *f = expect(ch, "name-mismatch", 0, TW_SEV_ERROR);
	assert_null(strchr(f->text, '\x1b'));
	assert_null(strstr(f->text, "\xe2\x80\xae"));
	assert_true(tw_is_display_safe(f->text, strlen(f->text)) || strstr(f->text, "\\u202e"));
	x509_chain_free(ch);
}

static void
test_order_and_linkage(void **state)
{
	(void)state;
	/* [deep, inter, sub]: deep's issuer is sub (3rd), sub's is inter (2nd). */
	struct tw_chain *ch = CHAIN("deep.tw.test", "deep", "inter", "sub");
	expect(ch, "out-of-order", 0, TW_SEV_WARN);
	expect(ch, "out-of-order", 2, TW_SEV_WARN);
	expect_only(ch, 2);
	assert_int_equal(ch->c[0].issued_by, 2);
	assert_int_equal(ch->c[2].issued_by, 1);
	for (int i = 0; i < 2; i++)
		assert_int_equal(ch->c[i == 0 ? 0 : 2].sig_check, TW_SIG_OK);
	x509_chain_free(ch);
	ch = CHAIN("deep.tw.test", "deep", "sub", "inter");
	expect_only(ch, 0);
	x509_chain_free(ch);

	ch = CHAIN("good.tw.test", "good", "inter", "inter");
	expect(ch, "duplicate", 2, TW_SEV_WARN);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("good.tw.test", "good", "inter", "sha1-leaf");
	expect(ch, "unrelated", 2, TW_SEV_WARN);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("good.tw.test", "good", "inter", "root");
	expect(ch, "root-sent", 2, TW_SEV_NOTE);
	assert_int_equal(ch->c[2].sig_check, TW_SIG_OK);
	assert_true(ch->c[2].self_issued);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("good.tw.test", "good");
	const struct tw_cert_finding *f = expect(ch, "missing-intermediate", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "CN=TW Test Issuing CA,O=tracewb tests,C=US"));
	expect_only(ch, 1);
	x509_chain_free(ch);
	/* A chain that ends in an intermediate leaves out the root: no finding, a remark. */
	ch = CHAIN(NULL, "inter");
	assert_null(find_code(ch, "missing-intermediate", 0));
	assert_non_null(ch->path_text);
	x509_chain_free(ch);
	/* With trust anchors that hold the leaf's issuer, a lone leaf is complete. */
	char err[200];
	assert_true(x509_trust_load(DIR "inter.pem", NULL, err, sizeof err));
	ch = CHAIN("good.tw.test", "good");
	assert_null(find_code(ch, "missing-intermediate", 0));
	x509_chain_free(ch);
	x509_trust_free();

	/* A self-signed server certificate alone. */
	ch = CHAIN(NULL, "root");
	expect(ch, "self-signed", 0, TW_SEV_WARN);
	x509_chain_free(ch);

	/* inter-rekey: inter's name, another key: the AKI does not match and the signature fails. */
	ch = CHAIN("good.tw.test", "good", "inter-rekey");
	expect(ch, "aki-mismatch", 0, TW_SEV_WARN);
	expect(ch, "bad-signature", 0, TW_SEV_ERROR);
	expect_only(ch, 2);
	x509_chain_free(ch);
	/* With both sent, the one whose key identifier matches is taken as the issuer. */
	ch = CHAIN("good.tw.test", "good", "inter-rekey", "inter");
	assert_int_equal(ch->c[0].issued_by, 2);
	expect(ch, "out-of-order", 0, TW_SEV_WARN);
	expect(ch, "unrelated", 1, TW_SEV_WARN);
	x509_chain_free(ch);

	/* A signature altered in transit. */
	struct ders d = { 0 };
	ders_add_pem(&d, "good");
	ders_add_pem(&d, "inter");
	d.p[0][d.len[0] - 1] ^= 0x40;
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true,
		                    .sni = (const uint8_t *)"good.tw.test", .sni_len = 12 };
	ch = x509_chain_new((const uint8_t *const *)d.p, d.len, d.n, &ctx);
	expect(ch, "bad-signature", 0, TW_SEV_ERROR);
	assert_int_equal(ch->c[0].sig_check, TW_SIG_BAD);
	expect_only(ch, 1);
	x509_chain_free(ch);
	/* Not a certificate at all, then an empty message. */
	d.len[0] = 40;
	ch = x509_chain_new((const uint8_t *const *)d.p, d.len, d.n, &ctx);
	expect(ch, "unreadable", 0, TW_SEV_ERROR);
	assert_null(ch->c[0].x);
	assert_non_null(ch->c[0].error);
	x509_chain_free(ch);
	ch = x509_chain_new(NULL, NULL, 0, &ctx);
	expect(ch, "empty", -1, TW_SEV_WARN);
	x509_chain_free(ch);
	ders_free(&d);
}

static void
test_ca_flags_and_usage(void **state)
{
	(void)state;
	struct tw_chain *ch = CHAIN("noca-leaf.tw.test", "noca-leaf", "noca");
	expect(ch, "not-ca", 1, TW_SEV_ERROR);
	expect_only(ch, 1);
	x509_chain_free(ch);

	ch = CHAIN("leafca.tw.test", "leafca", "inter");
	expect(ch, "leaf-is-ca", 0, TW_SEV_WARN);
	expect_only(ch, 1);
	x509_chain_free(ch);

	/* alice (clientAuth only) served as a server certificate. */
	ch = CHAIN("alice", "alice", "contractor");
	const struct tw_cert_finding *f = expect(ch, "eku", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "clientAuth"));
	assert_non_null(strstr(f->text, "serverAuth is missing"));
	x509_chain_free(ch);

	/* good (serverAuth, clientAuth) as a client certificate: fine. */
	const char *names[] = { "good", "inter" };
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = false };
	ch = chain_of(NULL, names, 2, &ctx);
	expect_only(ch, 0);
	x509_chain_free(ch);
	/* sha1-leaf (serverAuth only) as a client certificate. */
	const char *n2[] = { "sha1-leaf", "sha1-ca" };
	ch = chain_of(NULL, n2, 2, &ctx);
	expect(ch, "eku", 0, TW_SEV_ERROR);
	x509_chain_free(ch);
}

/* The DER subject names of PEM certificates, as a CertificateRequest lists them. */
static size_t
subject_ders(const char *const *names, size_t n, uint8_t **der, size_t *len)
{
	for (size_t i = 0; i < n; i++) {
		X509 *x = load_x509(names[i]);
		der[i] = NULL;
		int k = i2d_X509_NAME(X509_get_subject_name(x), &der[i]);
		assert_true(k > 0);
		len[i] = (size_t)k;
		X509_free(x);
	}
	return n;
}

static void
test_client_chain_and_acceptable_cas(void **state)
{
	(void)state;
	uint8_t *ca[2];
	size_t cal[2];
	static const char *const accepted[] = { "corp-ca", "root" };
	subject_ders(accepted, 2, ca, cal);
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = false, .have_certreq = true, .certreq_frame = 7,
		                    .ca_der = (const uint8_t *const *)ca, .ca_len = cal, .nca = 2 };
	const char *names[] = { "alice", "contractor" };
	struct tw_chain *ch = chain_of(NULL, names, 2, &ctx);
	const struct tw_cert_finding *f = expect(ch, "ca-not-accepted", 0, TW_SEV_ERROR);
	assert_string_equal(f->text, "Client certificate 1 (alice) is issued by 'CN=TW Contractor CA,O=Contractor "
	                             "Services,C=US', but the server accepts only certificates from 'CN=TW Corp Client "
	                             "CA,O=tracewb tests,C=US' and 'CN=TW Test Root CA,O=tracewb tests,C=US' "
	                             "(CertificateRequest in frame 7)");
	expect(ch, "root-sent", 1, TW_SEV_NOTE);
	expect_only(ch, 2);
	assert_int_equal(ch->ca_names.n, 2);
	assert_string_equal(ch->ca_names.v[0], "CN=TW Corp Client CA,O=tracewb tests,C=US");
	x509_chain_free(ch);

	/* good is issued by inter, which root issued: the root is in the list, accepted. */
	const char *n2[] = { "good", "inter" };
	ch = chain_of(NULL, n2, 2, &ctx);
	assert_null(find_code(ch, "ca-not-accepted", 0));
	x509_chain_free(ch);
	/* An empty list: any CA the server trusts. */
	ctx.nca = 0;
	ch = chain_of(NULL, names, 2, &ctx);
	assert_null(find_code(ch, "ca-not-accepted", 0));
	x509_chain_free(ch);
	OPENSSL_free(ca[0]);
	OPENSSL_free(ca[1]);
}

static void
test_trust_anchors(void **state)
{
	(void)state;
	char err[256];
	assert_false(x509_trust_load(DIR "no-such-file.pem", NULL, err, sizeof err));
	assert_non_null(strstr(err, "no-such-file.pem"));
	assert_null(x509_trust_name());
	assert_true(x509_trust_load(DIR "root.pem", NULL, err, sizeof err));
	assert_string_equal(x509_trust_name(), "--ca-file " DIR "root.pem");

	struct tw_chain *ch = CHAIN("good.tw.test", "good", "inter");
	assert_true(ch->trust_checked);
	assert_true(ch->trusted);
	assert_non_null(strstr(ch->trust_text, "verifies"));
	expect_only(ch, 0);
	x509_chain_free(ch);

	/* Verified at the capture time: expired then. */
	ch = CHAIN("expired.tw.test", "expired", "inter");
	assert_false(ch->trusted);
	const struct tw_cert_finding *f = expect(ch, "untrusted", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "certificate has expired"));
	x509_chain_free(ch);

	/* From another root. */
	ch = CHAIN("alice", "alice", "contractor");
	assert_false(ch->trusted);
	assert_true(count_code(ch, "untrusted") == 1);
	x509_chain_free(ch);
	x509_trust_free();
	assert_null(x509_trust_name());
	ch = CHAIN("good.tw.test", "good", "inter");
	assert_false(ch->trust_checked);
	x509_chain_free(ch);
}

/* ---- revocation data from the trace ------------------------------------------- */

struct fake_http {
	const char *url;
	bool prefix_ok;
	struct tw_http_hit hit;
	uint8_t *body;
};

static struct fake_http fake[4];
static size_t nfake;

static size_t
fake_lookup(void *arg, const char *url, size_t len, bool prefix, struct tw_http_hit *out, size_t max)
{
	(void)arg;
	size_t n = 0;
	for (size_t i = 0; i < nfake && n < max; i++) {
		size_t fl = strlen(fake[i].url);
		bool hit = (fl == len && memcmp(url, fake[i].url, len) == 0) ||
		           (prefix && fl > len && memcmp(url, fake[i].url, len) == 0);
		if (hit)
			out[n++] = fake[i].hit;
	}
	return n;
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	uint8_t *p = malloc(1 << 16);
	*len = fread(p, 1, 1 << 16, f);
	fclose(f);
	return p;
}

static void
fake_add(const char *url, uint32_t req, uint32_t res, uint16_t status, const char *file)
{
	struct fake_http *h = &fake[nfake++];
	memset(h, 0, sizeof *h);
	h->url = url;
	h->hit.where = "";
	h->hit.req_frame = req;
	h->hit.res_frame = res;
	h->hit.status = status;
	h->hit.status_text = status == 200 ? "OK" : status == 404 ? "Not Found" : "";
	h->hit.ctype = file ? "application/pkix-crl" : "";
	if (file) {
		h->body = read_file(file, &h->hit.body_len);
		h->hit.body = h->body;
	}
}

static void
fake_clear(void)
{
	for (size_t i = 0; i < nfake; i++)
		free(fake[i].body);
	nfake = 0;
}

static void
test_revocation_in_trace(void **state)
{
	(void)state;
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true, .lookup = fake_lookup };
	const char *names[] = { "revoked", "inter" };
	/* openssl crl -in inter.crl -inform DER -noout -text: Serial Number 1666, keyCompromise,
	 * Revocation Date May 20 12:00:00 2026 GMT, Next Update Jun 25 00:00:00 2026 GMT.
	 * root.crl: Next Update Apr  8 00:00:00 2026 GMT, no revoked certificates. */
	fake_add("http://crl.tw.test/inter.crl", 12, 14, 200, DIR "inter.crl");
	fake_add("http://crl.tw.test/root.crl", 22, 24, 200, DIR "root.crl");
	struct tw_chain *ch = chain_of("revoked.tw.test", names, 2, &ctx);
	const struct tw_cert_finding *f = expect(ch, "revoked", 0, TW_SEV_ERROR);
	assert_string_equal(f->text, "Certificate 1 (revoked.tw.test) is revoked (keyCompromise, since 2026-05-20 "
	                             "12:00:00 UTC) in the CRL fetched in frame 14, which lists its serial 0x1666");
	f = expect(ch, "crl-stale", 1, TW_SEV_WARN);
	assert_non_null(strstr(f->text, "2026-04-08 00:00:00 UTC, 54 days earlier"));
	expect_only(ch, 2);
	const struct tw_cert *c = &ch->c[0];
	assert_int_equal(c->nfetch, 1);
	assert_true(c->fetch[0].crl);
	assert_true(c->fetch[0].crl_issuer_ok);
	assert_true(c->fetch[0].revoked);
	assert_int_equal(c->fetch[0].reason, 1);
	assert_int_equal(c->fetch[0].nrevoked, 1);
	assert_int_equal(c->fetch[0].req_frame, 12);
	assert_int_equal(c->fetch[0].res_frame, 14);
	assert_string_equal(c->fetch[0].text, "CRL fetched in frame 14 (200 OK, 1 revoked, next update 2026-06-25 "
	                                      "00:00:00 UTC; it lists this certificate as revoked)");
	assert_string_equal(ch->c[1].fetch[0].text, "CRL fetched in frame 24 (200 OK, 0 revoked, next update "
	                                            "2026-04-08 00:00:00 UTC)");
	x509_chain_free(ch);

	/* good is in the same CRL's scope but not listed: no finding. */
	const char *n2[] = { "good", "inter" };
	ch = chain_of("good.tw.test", n2, 2, &ctx);
	assert_null(find_code(ch, "revoked", 0));
	assert_int_equal(ch->c[0].nfetch, 1);
	assert_false(ch->c[0].fetch[0].revoked);
	x509_chain_free(ch);
	fake_clear();

	/* A failed fetch, a fetch without an answer, a body that is not a CRL. */
	fake_add("http://crl.tw.test/inter.crl", 5, 6, 404, NULL);
	fake_add("http://crl.tw.test/root.crl", 8, 0, 0, NULL);
	ch = chain_of("good.tw.test", n2, 2, &ctx);
	f = expect(ch, "crl-fetch-failed", 0, TW_SEV_WARN);
	assert_non_null(strstr(f->text, "404 Not Found"));
	expect(ch, "crl-fetch-failed", 1, TW_SEV_WARN);
	x509_chain_free(ch);
	fake_clear();
	fake_add("http://crl.tw.test/inter.crl", 5, 6, 200, DIR "good.pem");
	ch = chain_of("good.tw.test", n2, 2, &ctx);
	expect(ch, "crl-unreadable", 0, TW_SEV_WARN);
	x509_chain_free(ch);
	fake_clear();
	/* A CRL of another issuer: not applied. */
	fake_add("http://crl.tw.test/inter.crl", 5, 6, 200, DIR "root.crl");
	ch = chain_of("revoked.tw.test", names, 2, &ctx);
	assert_null(find_code(ch, "revoked", 0));
	assert_false(ch->c[0].fetch[0].crl_issuer_ok);
	x509_chain_free(ch);
	fake_clear();
}

/* An OCSP answer (made here with a throw-away responder key) that says good.pem is revoked. */
static void
test_ocsp_in_trace(void **state)
{
	(void)state;
	X509 *good = load_x509("good"), *inter = load_x509("inter");
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *rc = X509_new();
	X509_set_version(rc, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(rc), 7);
	X509_set_subject_name(rc, X509_get_subject_name(inter));
	X509_set_issuer_name(rc, X509_get_subject_name(inter));
	X509_gmtime_adj(X509_getm_notBefore(rc), 0);
	X509_gmtime_adj(X509_getm_notAfter(rc), 3600);
	X509_set_pubkey(rc, key);
	assert_true(X509_sign(rc, key, EVP_sha256()) > 0);
	OCSP_BASICRESP *bs = OCSP_BASICRESP_new();
	OCSP_CERTID *id = OCSP_cert_to_id(NULL, good, inter);
	ASN1_TIME *now = ASN1_TIME_set(NULL, 1780315200 - 3600);
	ASN1_TIME *next = ASN1_TIME_set(NULL, 1780315200 + 86400);
	assert_non_null(OCSP_basic_add1_status(bs, id, V_OCSP_CERTSTATUS_REVOKED, OCSP_REVOKED_STATUS_KEYCOMPROMISE,
	                                       now, now, next));
	assert_int_equal(OCSP_basic_sign(bs, rc, key, EVP_sha256(), NULL, 0), 1);
	OCSP_RESPONSE *resp = OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs);
	unsigned char *der = NULL;
	int dl = i2d_OCSP_RESPONSE(resp, &der);
	assert_true(dl > 0);

	struct fake_http *h = &fake[nfake++];
	memset(h, 0, sizeof *h);
	h->url = "http://ocsp.tw.test/MFEwTzBNMEswSTAJBgUrDgMCGgUABBQ"; /* a GET: the request appended */
	h->hit.where = "";
	h->hit.req_frame = 30;
	h->hit.res_frame = 31;
	h->hit.status = 200;
	h->hit.status_text = "OK";
	h->hit.ctype = "application/ocsp-response";
	h->hit.body = der;
	h->hit.body_len = (size_t)dl;
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true, .lookup = fake_lookup };
	const char *names[] = { "good", "inter" };
	struct tw_chain *ch = chain_of("good.tw.test", names, 2, &ctx);
	const struct tw_cert_finding *f = expect(ch, "revoked", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "OCSP answer in frame 31"));
	assert_non_null(strstr(f->text, "keyCompromise"));
	assert_int_equal(ch->c[0].fetch[0].ocsp, V_OCSP_CERTSTATUS_REVOKED);
	x509_chain_free(ch);
	nfake = 0;

	OPENSSL_free(der);
	OCSP_RESPONSE_free(resp);
	OCSP_BASICRESP_free(bs);
	OCSP_CERTID_free(id);
	ASN1_TIME_free(now);
	ASN1_TIME_free(next);
	X509_free(rc);
	EVP_PKEY_free(key);
	X509_free(good);
	X509_free(inter);
}

/* A CRL URL with a NUL byte inside (made with OpenSSL's encoders): kept whole, shown escaped, looked up whole. */
static void
test_url_with_nul(void **state)
{
	(void)state;
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *x = X509_new();
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), 9);
	X509_NAME *nm = X509_NAME_new();
	X509_NAME_add_entry_by_txt(nm, "CN", MBSTRING_ASC, (const unsigned char *)"nul.tw.test", -1, -1, 0);
	X509_set_subject_name(x, nm);
	X509_set_issuer_name(x, nm);
	X509_gmtime_adj(X509_getm_notBefore(x), -86400L * 3650);
	X509_gmtime_adj(X509_getm_notAfter(x), 86400L * 3650);
	X509_set_pubkey(x, key);
	static const char url[] = "http://crl.tw.test/a\0b.crl"; /* 26 bytes, one of them NUL */
	GENERAL_NAME *gn = GENERAL_NAME_new();
	ASN1_IA5STRING *ia5 = ASN1_IA5STRING_new();
	ASN1_STRING_set(ia5, url, (int)sizeof url - 1);
	GENERAL_NAME_set0_value(gn, GEN_URI, ia5);
	DIST_POINT *dp = DIST_POINT_new();
	dp->distpoint = DIST_POINT_NAME_new();
	dp->distpoint->type = 0;
	dp->distpoint->name.fullname = GENERAL_NAMES_new();
	sk_GENERAL_NAME_push(dp->distpoint->name.fullname, gn);
	CRL_DIST_POINTS *cdp = CRL_DIST_POINTS_new();
	sk_DIST_POINT_push(cdp, dp);
	assert_int_equal(X509_add1_ext_i2d(x, NID_crl_distribution_points, cdp, 0, 0), 1);
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	unsigned char *der = NULL;
	size_t len = (size_t)i2d_X509(x, &der);
	fake_add("http://crl.tw.test/a", 3, 4, 404, NULL); /* a prefix of the URL: must not match */
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true, .lookup = fake_lookup };
	const uint8_t *d[1] = { der };
	struct tw_chain *ch = x509_chain_new(d, &len, 1, &ctx);
	assert_int_equal(ch->c[0].nurls, 1);
	assert_int_equal(ch->c[0].urls[0].len, sizeof url - 1);
	assert_memory_equal(ch->c[0].urls[0].url, url, sizeof url - 1);
	assert_string_equal(ch->c[0].urls[0].shown, "http://crl.tw.test/a\\x00b.crl");
	assert_int_equal(ch->c[0].nfetch, 0);
	x509_chain_free(ch);
	struct x509_brief br;
	assert_true(x509_brief(der, len, &br));
	assert_int_equal(br.url_len[0], sizeof url - 1);
	x509_brief_free(&br);
	fake_clear();
	OPENSSL_free(der);
	CRL_DIST_POINTS_free(cdp);
	X509_NAME_free(nm);
	X509_free(x);
	EVP_PKEY_free(key);
}

static void
test_url_norm(void **state)
{
	(void)state;
	char out[128];
	static const struct {
		const char *in, *out;
	} v[] = {
		{ "HTTP://CRL.Example.TEST/Path/X.crl", "http://crl.example.test/Path/X.crl" },
		{ "http://crl.example.test:80/x.crl", "http://crl.example.test/x.crl" },
		{ "http://crl.example.test:8080/x.crl", "http://crl.example.test:8080/x.crl" },
		{ "https://h.test:443", "https://h.test/" },
		{ "http://h.test", "http://h.test/" },
		{ "/relative/only", "/relative/only" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
		size_t n = x509_url_norm(v[i].in, strlen(v[i].in), out, sizeof out);
		assert_int_equal(n, strlen(v[i].out));
		assert_string_equal(out, v[i].out);
	}
	assert_int_equal(x509_url_norm("http://a.test/0123456789", 24, out, 10), 0);
}

/* ---- the detail tree -------------------------------------------------------------- */

static struct tw_node *
find_nth(const struct tw_node *top, const char *abbrev, int n)
{
	for (struct tw_node *x = (struct tw_node *)top; x; x = node_next_preorder(x, top))
		if (x->f && strcmp(x->f->abbrev, abbrev) == 0 && n-- == 0)
			return x;
	return NULL;
}

static const char *
fval(const struct tw_node *n)
{
	static char buf[512];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	field_format_fields(&sb, n);
	return buf;
}

static void
test_tree(void **state)
{
	(void)state;
	struct ders d = { 0 };
	ders_add_pem(&d, "md2-leaf");
	ders_add_pem(&d, "md2-ca");
	ders_add_pem(&d, "root");
	/* The certificates back to back, as in a message. */
	struct tu_bytes all = { 0 };
	size_t at[3];
	for (size_t i = 0; i < d.n; i++) {
		at[i] = all.n;
		tu_put(&all, d.p[i], d.len[i]);
	}
	struct tw_tree t;
	tree_init(&t, true);
	tree_add_datasrc(&t, "Frame", all.p, all.n);
	struct tw_buf b = buf_init(all.p, all.n, all.n, 0);
	struct tw_node *list = tree_add(&t, t.root, NULL, &b, 0, all.n);
	list->label = "Certificates";
	struct tw_chain_ctx ctx = { .when = T_CAPTURE, .server = true, .sni = (const uint8_t *)"md2.tw.test",
		                    .sni_len = 11 };
	struct tw_chain *ch = x509_chain_new((const uint8_t *const *)d.p, d.len, d.n, &ctx);
	struct tw_node *cn[3];
	for (size_t i = 0; i < d.n; i++) {
		cn[i] = tree_add(&t, list, NULL, &b, at[i], d.len[i]);
		cn[i]->label = "Certificate";
		x509_cert_subtree(&t, cn[i], &b, at[i], d.len[i], ch, i);
	}
	x509_chain_subtree(&t, list, ch);
	assert_int_equal(t.max_sev, TW_SEV_ERROR);
	/* Every node within the data source. */
	for (struct tw_node *x = t.root->child; x; x = node_next_preorder(x, t.root))
		assert_true(x->off + x->len <= all.n);
	/* Findings on the certificate they concern, with their code. */
	struct tw_node *e = cn[1]->child;
	assert_true(e->flags & TW_NF_EXPERT);
	assert_int_equal(e->sev, TW_SEV_ERROR);
	assert_string_equal(fval(find_nth(e, "cert.finding", 0)), "weak-digest");
	assert_true(find_nth(e, "cert.finding", 0)->flags & TW_NF_HIDDEN);
	assert_null(find_nth(cn[0], "cert.finding", 0));
	assert_string_equal(fval(find_nth(cn[2], "cert.finding", 0)), "root-sent");
	/* Facts: Wireshark's names from pkix.c, tracewb's own. */
	assert_string_equal(fval(find_nth(cn[1], "x509af.serialNumber", 0)), "0105");
	assert_string_equal(fval(find_nth(cn[1], "x509af.algorithm.id", 0)), "1.2.840.113549.1.1.2");
	assert_string_equal(fval(find_nth(cn[1], "cert.sigalg", 0)), "md2WithRSAEncryption");
	assert_string_equal(fval(find_nth(cn[1], "cert.sigalg_oid", 0)), "1.2.840.113549.1.1.2");
	assert_string_equal(fval(find_nth(cn[1], "cert.sig_check", 0)), "cannot verify: md2 unsupported");
	assert_string_equal(find_nth(cn[1], "cert.sigalg", 0)->label,
	                    "Signature Algorithm: md2WithRSAEncryption (1.2.840.113549.1.1.2)");
	assert_string_equal(fval(find_nth(cn[1], "cert.key_bits", 0)), "2048");
	assert_string_equal(fval(find_nth(cn[1], "x509ce.cA", 0)), "1");
	assert_string_equal(fval(find_nth(cn[0], "x509ce.cA", 0)), "0");
	assert_string_equal(fval(find_nth(cn[1], "x509ce.KeyUsage.keyCertSign", 0)), "1");
	assert_string_equal(fval(find_nth(cn[0], "x509ce.KeyPurposeId", 0)), "1.3.6.1.5.5.7.3.1");
	assert_string_equal(fval(find_nth(cn[1], "x509ce.uniformResourceIdentifier", 0)), "http://crl.tw.test/root.crl");
	assert_string_equal(fval(find_nth(cn[1], "pkix1implicit.accessMethod", 0)), "1.3.6.1.5.5.7.48.2");
	assert_string_equal(fval(find_nth(cn[0], "x509ce.dNSName", 0)), "md2.tw.test");
	assert_string_equal(fval(find_nth(cn[1], "cert.valid", 0)), "1");
	struct tw_node *fp = find_nth(cn[1], "cert.sha256", 0);
	assert_int_equal(fp->v.b.n, 32);
	assert_memory_equal(fp->v.b.p, ch->c[1].sha256_raw, 32);
	/* An extension node covers its DER inside the certificate. */
	struct tw_node *ext = find_nth(cn[1], "x509af.Extension_element", 0);
	assert_false(ext->flags & TW_NF_GENERATED);
	assert_true(ext->off >= at[1] && ext->off + ext->len <= at[1] + d.len[1]);
	/* The chain's verdict under the list. */
	assert_non_null(strstr(fval(find_nth(list, "cert.chain", 0)), "1 error, 1 warning, 1 note"));
	assert_string_equal(fval(find_nth(list, "cert.chain.errors", 0)), "1");
	/* Every name used is registered, with the type used here. */
	static const char *const names[] = { "cert.sigalg", "cert.key_bits", "x509ce.cA", "cert.finding",
		                             "x509af.extension.id", "cert.sha256", "cert.url_of" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		assert_non_null(field_lookup(names[i]));
	x509_chain_free(ch);
	tree_free(&t);
	tu_bytes_free(&all);
	ders_free(&d);
}

/* ---- chains found in captures (tls.c, http.c) --------------------------------------- */

static struct tw_capture *
open_cap(const char *path)
{
	char err[256];
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (!cap)
		fail_msg("%s: %s", path, err);
	capture_load_all(cap);
	return cap;
}

static struct tw_chain *
cap_chain(struct tw_capture *cap, size_t conn, bool server)
{
	struct tw_convs *cs = capture_convs(cap);
	const struct tls_conn *tc = tls_conn_nth(cs, conn);
	assert_non_null(tc);
	int dir = server ? tls_server_dir(tc) : !tls_server_dir(tc);
	const struct tw_frame *f = capture_frame(cap, tc->cert_frame[dir] - 1);
	return tls_conn_chain(cs, cap, tc, dir, f->ts, http_url_lookup, cs);
}

static void
test_chains_in_captures(void **state)
{
	(void)state;
	/* Fixture capture: the revoked leaf, its CRL fetched over HTTP in the same trace. */
	struct tw_capture *cap = open_cap(DIR "revoked.pcap");
	struct tw_chain *ch = cap_chain(cap, 0, true);
	assert_int_equal(ch->frame, 7);
	assert_true(ch->when == T_CAPTURE + 7 * 1000000);
	expect(ch, "revoked", 0, TW_SEV_ERROR);
	expect(ch, "crl-stale", 1, TW_SEV_WARN);
	expect_only(ch, 2);
	assert_int_equal(ch->c[0].fetch[0].req_frame, 12);
	assert_int_equal(ch->c[0].fetch[0].res_frame, 14);
	x509_chain_free(ch);
	/* The same in the detail tree: frame 7's certificate, and the CRL's frame 14 names the certificate. */
	struct tw_dctx c;
	memset(&c, 0, sizeof c);
	struct tw_tree t;
	tree_init(&t, true);
	capture_dissect(cap, 6, &c, &t);
	struct tw_node *cert = find_nth(t.root, "tls.handshake.certificate", 0);
	assert_non_null(cert);
	assert_string_equal(fval(find_nth(cert, "cert.finding", 0)), "revoked");
	assert_string_equal(fval(find_nth(cert, "cert.fetch_frame", 0)), "14");
	capture_dissect(cap, 13, &c, &t);
	struct tw_node *u = find_nth(t.root, "cert.url_of", 0);
	assert_non_null(u);
	assert_string_equal(fval(u), "7");
	assert_non_null(strstr(u->label, "CRL distribution point of server certificate 1 (revoked.tw.test)"));
	assert_true(u->child && (u->child->flags & TW_NF_EXPERT) && u->child->sev == TW_SEV_ERROR);
	assert_non_null(strstr(u->child->label, "This CRL revokes server certificate 1 (revoked.tw.test, serial 0x1666)"));
	capture_dissect(cap, 23, &c, &t); /* root.crl: inter's CDP, lists nothing */
	u = find_nth(t.root, "cert.url_of", 0);
	assert_non_null(strstr(u->label, "server certificate 2 (TW Test Issuing CA)"));
	assert_null(u->child);
	tree_free(&t);
	capture_close(cap);

	/* The healthy fixture: an OCSP GET (the request appended to the responder's URL) answers "good". */
	cap = open_cap(DIR "healthy.pcap");
	ch = cap_chain(cap, 0, true);
	expect_only(ch, 0);
	assert_int_equal(ch->c[0].nfetch, 1);
	assert_int_equal(ch->c[0].fetch[0].ocsp, V_OCSP_CERTSTATUS_GOOD);
	assert_string_equal(ch->c[0].fetch[0].text, "OCSP answer fetched in frame 15 (200 OK, status good)");
	x509_chain_free(ch);
	tree_init(&t, true);
	capture_dissect(cap, 14, &c, &t);
	u = find_nth(t.root, "cert.url_of", 0);
	assert_non_null(u);
	assert_non_null(strstr(u->label, "OCSP responder of server certificate 1 (good.tw.test) in frame 7"));
	tree_free(&t);
	capture_close(cap);

	/* Mutual TLS fixture: the client chain is checked against the CertificateRequest. */
	cap = open_cap(DIR "mtls.pcap");
	ch = cap_chain(cap, 0, false);
	assert_false(ch->server);
	assert_true(ch->have_certreq);
	assert_int_equal(ch->certreq_frame, 7);
	expect(ch, "ca-not-accepted", 0, TW_SEV_ERROR);
	x509_chain_free(ch);
	ch = cap_chain(cap, 0, true);
	expect_only(ch, 0);
	x509_chain_free(ch);
	capture_close(cap);

	/* The samples made with openssl s_server / s_client (samples/README.md). */
	cap = open_cap("samples/s1-weak-md2.pcapng");
	ch = cap_chain(cap, 0, true); /* good.example.test */
	expect_only(ch, 0);
	x509_chain_free(ch);
	ch = cap_chain(cap, 1, true); /* shop.example.test: the MD2 intermediate is certificate 2 */
	assert_int_equal(ch->frame, 33);
	expect(ch, "weak-digest", 1, TW_SEV_ERROR);
	expect(ch, "cannot-verify", 1, TW_SEV_WARN);
	expect(ch, "root-sent", 2, TW_SEV_NOTE);
	expect_only(ch, 3);
	x509_chain_free(ch);
	capture_close(cap);

	cap = open_cap("samples/s5-expired-wrongname.pcapng");
	ch = cap_chain(cap, 0, true);
	expect(ch, "expired", 0, TW_SEV_ERROR);
	expect_only(ch, 1);
	x509_chain_free(ch);
	ch = cap_chain(cap, 1, true);
	const struct tw_cert_finding *f = expect(ch, "name-mismatch", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "wrongname.example.test"));
	expect_only(ch, 1);
	x509_chain_free(ch);
	capture_close(cap);

	cap = open_cap("samples/s3-mtls-unknown-ca.pcap");
	ch = cap_chain(cap, 0, false);
	f = expect(ch, "ca-not-accepted", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "Contractor Services Issuing CA"));
	assert_non_null(strstr(f->text, "Example Corp Client Auth CA"));
	x509_chain_free(ch);
	ch = cap_chain(cap, 1, false); /* the second server lists no CA: nothing to compare */
	assert_null(find_code(ch, "ca-not-accepted", 0));
	x509_chain_free(ch);
	capture_close(cap);

	cap = open_cap("samples/s2-crl-revoked.pcapng");
	ch = cap_chain(cap, 0, true);
	f = expect(ch, "revoked", 0, TW_SEV_ERROR);
	assert_non_null(strstr(f->text, "frame 23"));
	assert_non_null(strstr(f->text, "0x1003"));
	x509_chain_free(ch);
	capture_close(cap);

	/* TLS 1.3: no cleartext Certificate message, no chain. */
	cap = open_cap("samples/s6-tls13-hrr.pcapng");
	const struct tls_conn *tc = tls_conn_nth(capture_convs(cap), 0);
	assert_true(tls_conn_is_13(tc));
	assert_null(tls_conn_chain(capture_convs(cap), cap, tc, 1, 0, NULL, NULL));
	capture_close(cap);
}

int
main(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields_match_openssl),
		cmocka_unit_test(test_model_values),
		cmocka_unit_test(test_md2_rfc1319_vectors),
		cmocka_unit_test(test_md2_signature_is_valid),
		cmocka_unit_test(test_weak_digests_and_keys),
		cmocka_unit_test(test_validity_at_capture_time),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_hostile_names),
		cmocka_unit_test(test_order_and_linkage),
		cmocka_unit_test(test_ca_flags_and_usage),
		cmocka_unit_test(test_client_chain_and_acceptable_cas),
		cmocka_unit_test(test_trust_anchors),
		cmocka_unit_test(test_revocation_in_trace),
		cmocka_unit_test(test_ocsp_in_trace),
		cmocka_unit_test(test_url_with_nul),
		cmocka_unit_test(test_url_norm),
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_chains_in_captures),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
