/*
 * x509.c - the certificate chain model and its checks (see x509.h).
 *
 * Finding codes (struct tw_cert_finding.code):
 *
 *   unreadable           error    the DER is not an X.509 certificate
 *   weak-digest          error    signed with MD2, MD4 or MD5 (note on a self-signed root)
 *                        warning  signed with SHA-1 (note on a self-signed root)
 *   cannot-verify        warning  OpenSSL cannot compute the digest (MD2, MD4): not a bad signature
 *   bad-signature        error    does not verify with the issuer's key (note on a root's self-signature)
 *   weak-key             error    RSA/DSA key under 1024 bits; warning under 2048
 *   unknown-key          note     a public key type OpenSSL cannot read
 *   expired              error    not after < capture time
 *   not-yet-valid        error    not before > capture time
 *   name-mismatch        error    the SNI matches no DNS SAN (no CN without SAN), RFC 6125 wildcards
 *   bad-name             warning  the SNI is not a host name X509_check_host accepts
 *   cn-fallback          note     the name matched the CN because there is no subjectAltName
 *   no-sni               note     no server_name in the ClientHello: the names were not checked
 *   out-of-order         warning  a certificate's issuer is sent, but not right after it
 *   duplicate            warning  the same certificate twice
 *   unrelated            warning  a certificate that is not on the path from the first one
 *   aki-mismatch         warning  the authority key identifier is not the issuer's subject key identifier
 *   missing-intermediate error    the path ends in a certificate that is not a CA and not self-signed
 *   self-signed          warning  a single self-signed certificate
 *   root-sent            note     the path ends in a self-signed root that was sent along
 *   not-ca               error    an issuer without basicConstraints CA:TRUE
 *   no-cert-sign         error    an issuer whose keyUsage lacks keyCertSign
 *   leaf-is-ca           warning  the end-entity certificate has CA:TRUE
 *   eku                  error    extendedKeyUsage without serverAuth (server) / clientAuth (client)
 *   key-usage            warning  keyUsage of the end entity allows neither digitalSignature nor keyEncipherment
 *   critical-ext         error    a critical extension OpenSSL does not handle
 *   ca-not-accepted      error    the client's chain is from none of the CertificateRequest's CAs
 *   empty                warning  no certificate in the message
 *   untrusted            error    OpenSSL's verification against --ca-file/--ca-dir fails
 *   revoked              error    a CRL of the trace lists the serial / OCSP says revoked
 *   crl-stale            warning  the CRL's nextUpdate is before the capture time
 *   crl-fetch-failed     warning  the CRL request got no 200 answer (or none at all)
 *   crl-bad-signature    warning  the CRL does not verify with the issuer's key
 *   crl-unreadable       warning  the answer is not a CRL
 *   ocsp-unknown         warning  the OCSP responder does not know the certificate
 *   ocsp-stale           warning  the OCSP answer's nextUpdate is before the capture time
 */
#include "core/x509.h"

#include "core/dissect/pkix.h"
#include "core/field.h"
#include "core/str.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ocsp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <sys/stat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- fields ------------------------------------------------------------- */

enum {
	F_FACTS,
	F_SIGALG,
	F_SIGALG_OID,
	F_SIG_DIGEST,
	F_SIG_CHECK,
	F_KEY_TYPE,
	F_KEY_BITS,
	F_KEY_CURVE,
	F_VALIDITY,
	F_VALID_NOW,
	F_SELF_SIGNED,
	F_SHA1,
	F_SHA256,
	F_REVOCATION,
	F_FETCH_FRAME,
	F_FINDING,
	F_CHAIN,
	F_CHAIN_ERRORS,
	F_VERIFY,
	F_URL_USER,
	F_EXTENSIONS,
	F_EXTENSION,
	F_EXT_ID,
	F_CRITICAL,
	F_CA,
	F_PATHLEN,
	F_KU,
	F_KU_DS,
	F_KU_CC,
	F_KU_KE,
	F_KU_DE,
	F_KU_KA,
	F_KU_CS,
	F_KU_CRL,
	F_KU_EO,
	F_KU_DO,
	F_KPID,
	F_SAN_DNS_OTHER,
	F_RFC822,
	F_IPADDR,
	F_URI,
	F_SKI,
	F_AKI,
	F_POLICY,
	F_ACCESS_METHOD,
	F_SUBJECT_DN,
	F_ISSUER_DN,
	F_EXPIRED,
	F_COUNT
};

static const struct tw_valstr true_false[] = { { 0, "False" }, { 1, "True" }, { 0, NULL } };

/*
 * Wireshark's names where Wireshark has the field (x509af, x509ce,
 * pkix1implicit; OIDs are strings here, tracewb has no OID type); the
 * facts Wireshark does not compute are tracewb's own cert.* fields.
 * pkix.c registers the x509af names of the certificate's structure
 * (version, serialNumber, issuer, ...) and x509ce.dNSName: they are not
 * repeated here.
 */
static const struct tw_field fields[F_COUNT] = {
	[F_FACTS] = { "cert.facts", "Certificate facts", FT_NONE, BASE_NONE, 0, NULL },
	[F_SIGALG] = { "cert.sigalg", "Signature Algorithm", FT_STRING, BASE_NONE, 0, NULL },
	[F_SIGALG_OID] = { "cert.sigalg_oid", "Signature Algorithm OID", FT_STRING, BASE_NONE, 0, NULL },
	[F_SIG_DIGEST] = { "cert.sig_digest", "Signature Digest", FT_STRING, BASE_NONE, 0, NULL },
	[F_SIG_CHECK] = { "cert.sig_check", "Signature Check", FT_STRING, BASE_NONE, 0, NULL },
	[F_KEY_TYPE] = { "cert.key_type", "Public Key Type", FT_STRING, BASE_NONE, 0, NULL },
	[F_KEY_BITS] = { "cert.key_bits", "Public Key Size (bits)", FT_U32, BASE_DEC, 0, NULL },
	[F_KEY_CURVE] = { "cert.key_curve", "Curve", FT_STRING, BASE_NONE, 0, NULL },
	[F_VALIDITY] = { "cert.validity", "Validity", FT_STRING, BASE_NONE, 0, NULL },
	[F_VALID_NOW] = { "cert.valid", "Valid at the capture time", FT_BOOL, BASE_NONE, 0, true_false },
	[F_SELF_SIGNED] = { "cert.self_signed", "Self-signed", FT_BOOL, BASE_NONE, 0, true_false },
	[F_SHA1] = { "cert.sha1", "SHA-1 Fingerprint", FT_BYTES, BASE_NONE, 0, NULL },
	[F_SHA256] = { "cert.sha256", "SHA-256 Fingerprint", FT_BYTES, BASE_NONE, 0, NULL },
	[F_REVOCATION] = { "cert.revocation", "Revocation data in the trace", FT_STRING, BASE_NONE, 0, NULL },
	[F_FETCH_FRAME] = { "cert.fetch_frame", "Fetched in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_FINDING] = { "cert.finding", "Certificate finding", FT_STRING, BASE_NONE, 0, NULL },
	[F_CHAIN] = { "cert.chain", "Certificate chain", FT_STRING, BASE_NONE, 0, NULL },
	[F_CHAIN_ERRORS] = { "cert.chain.errors", "Errors in the chain", FT_U32, BASE_DEC, 0, NULL },
	[F_VERIFY] = { "cert.verify", "OpenSSL verification", FT_STRING, BASE_NONE, 0, NULL },
	[F_URL_USER] = { "cert.url_of", "URL named by the certificate in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_EXTENSIONS] = { "x509af.extensions", "extensions", FT_U32, BASE_DEC, 0, NULL },
	[F_EXTENSION] = { "x509af.Extension_element", "Extension", FT_NONE, BASE_NONE, 0, NULL },
	[F_EXT_ID] = { "x509af.extension.id", "Extension Id", FT_STRING, BASE_NONE, 0, NULL },
	[F_CRITICAL] = { "x509af.critical", "critical", FT_BOOL, BASE_NONE, 0, true_false },
	[F_CA] = { "x509ce.cA", "cA", FT_BOOL, BASE_NONE, 0, true_false },
	[F_PATHLEN] = { "x509ce.pathLenConstraint", "pathLenConstraint", FT_U64, BASE_DEC, 0, NULL },
	[F_KU] = { "x509ce.KeyUsage", "KeyUsage", FT_BYTES, BASE_NONE, 0, NULL },
	[F_KU_DS] = { "x509ce.KeyUsage.digitalSignature", "digitalSignature", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_CC] = { "x509ce.KeyUsage.contentCommitment", "contentCommitment", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_KE] = { "x509ce.KeyUsage.keyEncipherment", "keyEncipherment", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_DE] = { "x509ce.KeyUsage.dataEncipherment", "dataEncipherment", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_KA] = { "x509ce.KeyUsage.keyAgreement", "keyAgreement", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_CS] = { "x509ce.KeyUsage.keyCertSign", "keyCertSign", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_CRL] = { "x509ce.KeyUsage.cRLSign", "cRLSign", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_EO] = { "x509ce.KeyUsage.encipherOnly", "encipherOnly", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KU_DO] = { "x509ce.KeyUsage.decipherOnly", "decipherOnly", FT_BOOL, BASE_NONE, 0, true_false },
	[F_KPID] = { "x509ce.KeyPurposeId", "KeyPurposeId", FT_STRING, BASE_NONE, 0, NULL },
	[F_SAN_DNS_OTHER] = { "cert.san", "Subject Alternative Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_RFC822] = { "x509ce.rfc822Name", "rfc822Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_IPADDR] = { "x509ce.iPAddress", "iPAddress", FT_BYTES, BASE_NONE, 0, NULL },
	[F_URI] = { "x509ce.uniformResourceIdentifier", "uniformResourceIdentifier", FT_STRING, BASE_NONE, 0, NULL },
	[F_SKI] = { "x509ce.SubjectKeyIdentifier", "SubjectKeyIdentifier", FT_BYTES, BASE_NONE, 0, NULL },
	[F_AKI] = { "x509ce.keyIdentifier", "keyIdentifier", FT_BYTES, BASE_NONE, 0, NULL },
	[F_POLICY] = { "x509ce.policyIdentifier", "policyIdentifier", FT_STRING, BASE_NONE, 0, NULL },
	[F_ACCESS_METHOD] = { "pkix1implicit.accessMethod", "accessMethod", FT_STRING, BASE_NONE, 0, NULL },
	[F_SUBJECT_DN] = { "cert.subject", "Subject", FT_STRING, BASE_NONE, 0, NULL },
	[F_ISSUER_DN] = { "cert.issuer", "Issuer", FT_STRING, BASE_NONE, 0, NULL },
	[F_EXPIRED] = { "cert.expired", "Expired at the capture time", FT_BOOL, BASE_NONE, 0, true_false },
};
const struct tw_field_table x509_field_table = { fields, F_COUNT };

/* ---- small helpers ---------------------------------------------------------- */

const char *
x509_url_kind_name(int kind)
{
	switch (kind) {
	case TW_URL_CDP: return "CRL";
	case TW_URL_OCSP: return "OCSP";
	case TW_URL_CA_ISSUERS: return "CA issuers";
	default: return "URL";
	}
}

static char *
sb_take(struct tw_sb *sb)
{
	char *s = xstrndup(sb->s, sb->len);
	sb_free(sb);
	return s;
}

static char *
esc_dup(const void *p, size_t n)
{
	return tw_escape_dup(p, n);
}

static void
strv_add(struct tw_strv *v, char *s)
{
	v->v = xreallocarray(v->v, v->n + 1, sizeof *v->v);
	v->v[v->n++] = s;
}

static void
strv_free(struct tw_strv *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i]);
	free(v->v);
	v->v = NULL;
	v->n = 0;
}

/* "2025-01-01 00:00:00 UTC" */
static void
fmt_time(struct tw_sb *sb, tw_time t)
{
	fmt_abs_time(sb, t, true, true, 0);
	sb_adds(sb, " UTC");
}

/* "387 days", "5 hours", "12 minutes", "3 seconds". */
static void
fmt_span(struct tw_sb *sb, tw_time d)
{
	int64_t s = d / TW_NS_PER_SEC;
	if (s < 0)
		s = -s;
	if (s >= 2 * 86400)
		sb_addf(sb, "%lld days", (long long)(s / 86400));
	else if (s >= 2 * 3600)
		sb_addf(sb, "%lld hours", (long long)(s / 3600));
	else if (s >= 120)
		sb_addf(sb, "%lld minutes", (long long)(s / 60));
	else
		sb_addf(sb, "%lld second%s", (long long)s, s == 1 ? "" : "s");
}

/* An X509_NAME in RFC 2253 form (UTF-8 kept), escaped, heap. */
static char *
name_text(const X509_NAME *nm)
{
	if (!nm)
		return xstrdup("");
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio)
		return xstrdup("");
	X509_NAME_print_ex(bio, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	char *s = esc_dup(data, n > 0 ? (size_t)n : 0);
	BIO_free(bio);
	return s;
}

char *
x509_name_text(const uint8_t *der, size_t len)
{
	const unsigned char *q = der;
	X509_NAME *nm = len ? d2i_X509_NAME(NULL, &q, (long)len) : NULL;
	if (!nm) {
		ERR_clear_error();
		return NULL;
	}
	char *s = name_text(nm);
	X509_NAME_free(nm);
	return s;
}

/* The subject's (last) CN, escaped, or NULL. */
static char *
cn_text(const X509_NAME *nm)
{
	int i = -1, last = -1;
	while ((i = X509_NAME_get_index_by_NID(nm, NID_commonName, i)) >= 0)
		last = i;
	if (last < 0)
		return NULL;
	const ASN1_STRING *d = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(nm, last));
	unsigned char *u = NULL;
	int n = ASN1_STRING_to_UTF8(&u, d);
	if (n < 0) {
		ERR_clear_error();
		return NULL;
	}
	char *s = esc_dup(u, (size_t)n);
	OPENSSL_free(u);
	return s;
}

static bool
time_ns(const ASN1_TIME *tm, tw_time *ns)
{
	struct tm x;
	memset(&x, 0, sizeof x);
	if (!tm || !ASN1_TIME_to_tm(tm, &x)) {
		ERR_clear_error();
		return false;
	}
	time_t s = timegm(&x);
	if ((int64_t)s > INT64_MAX / TW_NS_PER_SEC || (int64_t)s < INT64_MIN / TW_NS_PER_SEC)
		return false;
	*ns = (int64_t)s * TW_NS_PER_SEC;
	return true;
}

/* Bytes as "AB:CD:EF" (openssl's fingerprint and key identifier style). */
static void
colon_hex(struct tw_sb *sb, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_addc(sb, ':');
		sb_addc(sb, hx[p[i] >> 4]);
		sb_addc(sb, hx[p[i] & 15]);
	}
}

static char *
octets_text(const ASN1_OCTET_STRING *o)
{
	if (!o)
		return NULL;
	struct tw_sb sb;
	sb_heap(&sb);
	int n = ASN1_STRING_length(o);
	colon_hex(&sb, ASN1_STRING_get0_data(o), n > 0 ? (size_t)n : 0);
	return sb_take(&sb);
}

/* "1.2.3 (name)" or "1.2.3". */
static char *
oid_text(const ASN1_OBJECT *obj, bool short_name_first)
{
	char oid[128];
	oid[0] = '\0';
	if (obj)
		OBJ_obj2txt(oid, sizeof oid, obj, 1);
	int nid = obj ? OBJ_obj2nid(obj) : NID_undef;
	const char *nm = nid == NID_undef ? NULL : short_name_first ? OBJ_nid2sn(nid) : OBJ_nid2ln(nid);
	if (nm && short_name_first)
		return xasprintf("%s (%s)", nm, oid);
	if (nm)
		return xasprintf("%s (%s)", oid, nm);
	return xstrdup(oid);
}

/* ---- the trust anchors ---------------------------------------------------- */

static X509_STORE *trust_store;
static char *trust_desc;

bool
x509_trust_load(const char *ca_file, const char *ca_dir, char *err, size_t errlen)
{
	x509_trust_free();
	if (!ca_file && !ca_dir) {
		snprintf(err, errlen, "no trust anchors given");
		return false;
	}
	X509_STORE *st = X509_STORE_new();
	if (!st) {
		snprintf(err, errlen, "out of memory");
		return false;
	}
	if (ca_file && X509_STORE_load_file(st, ca_file) != 1) {
		unsigned long e = ERR_peek_last_error();
		char *safe = esc_dup(ca_file, strlen(ca_file));
		snprintf(err, errlen, "%s: no certificate could be loaded (%s)", safe,
		         e ? ERR_reason_error_string(e) ? ERR_reason_error_string(e) : "OpenSSL error" : "unreadable");
		free(safe);
		ERR_clear_error();
		X509_STORE_free(st);
		return false;
	}
	struct stat sd;
	if (ca_dir && (stat(ca_dir, &sd) != 0 || !S_ISDIR(sd.st_mode) || X509_STORE_load_path(st, ca_dir) != 1)) {
		char *safe = esc_dup(ca_dir, strlen(ca_dir));
		snprintf(err, errlen, "%s: not a directory of hashed certificates (c_rehash / openssl rehash)", safe);
		free(safe);
		ERR_clear_error();
		X509_STORE_free(st);
		return false;
	}
	ERR_clear_error();
	trust_store = st;
	struct tw_sb sb;
	sb_heap(&sb);
	if (ca_file) {
		sb_adds(&sb, "--ca-file ");
		sb_add_escaped(&sb, ca_file, strlen(ca_file));
	}
	if (ca_dir) {
		sb_adds(&sb, ca_file ? " and --ca-dir " : "--ca-dir ");
		sb_add_escaped(&sb, ca_dir, strlen(ca_dir));
	}
	trust_desc = sb_take(&sb);
	return true;
}

void
x509_trust_free(void)
{
	X509_STORE_free(trust_store);
	trust_store = NULL;
	free(trust_desc);
	trust_desc = NULL;
}

const char *
x509_trust_name(void)
{
	return trust_store ? trust_desc : NULL;
}

/* ---- URLs --------------------------------------------------------------------- */

size_t
x509_url_norm(const char *url, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	size_t i = 0;
	/* scheme */
	const char *colon = memchr(url, ':', len);
	size_t slen = colon ? (size_t)(colon - url) : 0;
	bool scheme = colon && slen > 0 && slen < 16 && slen + 2 < len && url[slen + 1] == '/' && url[slen + 2] == '/';
	char sch[16] = "";
	if (scheme) {
		for (; i < slen; i++) {
			char ch = url[i];
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			sch[i] = ch;
			if (o + 1 >= cap)
				return 0;
			out[o++] = ch;
		}
		sch[slen] = '\0';
		for (int k = 0; k < 3; k++) {
			if (o + 1 >= cap)
				return 0;
			out[o++] = url[i++];
		}
		/* host[:port] */
		size_t hs = i;
		while (i < len && url[i] != '/' && url[i] != '?' && url[i] != '#')
			i++;
		size_t he = i;
		/* drop the default port */
		size_t pe = he;
		for (size_t k = he; k > hs; k--) {
			if (url[k - 1] == ':') {
				const char *port = url + k;
				size_t pl = he - k;
				if ((strcmp(sch, "http") == 0 && pl == 2 && memcmp(port, "80", 2) == 0) ||
				    (strcmp(sch, "https") == 0 && pl == 3 && memcmp(port, "443", 3) == 0) || pl == 0)
					pe = k - 1;
				break;
			}
			if (url[k - 1] < '0' || url[k - 1] > '9')
				break;
		}
		for (size_t k = hs; k < pe; k++) {
			char ch = url[k];
			if (ch >= 'A' && ch <= 'Z')
				ch = (char)(ch - 'A' + 'a');
			if (o + 1 >= cap)
				return 0;
			out[o++] = ch;
		}
		if (i >= len) {
			if (o + 1 >= cap)
				return 0;
			out[o++] = '/';
		}
	}
	for (; i < len; i++) {
		if (o + 1 >= cap)
			return 0;
		out[o++] = url[i];
	}
	out[o] = '\0';
	return o;
}

/* ---- decoding one certificate --------------------------------------------- */

static void
add_url(struct tw_cert *c, int kind, const ASN1_IA5STRING *s)
{
	int n = ASN1_STRING_length(s);
	if (n < 0 || c->nurls >= 64)
		return;
	c->urls = xreallocarray(c->urls, c->nurls + 1, sizeof *c->urls);
	struct tw_cert_url *u = &c->urls[c->nurls++];
	u->kind = (uint8_t)kind;
	u->len = (size_t)n;
	u->url = xmalloc((size_t)n + 1); /* the bytes as they are: a NUL inside is kept (len says how many) */
	memcpy(u->url, ASN1_STRING_get0_data(s), (size_t)n);
	u->url[n] = '\0';
	u->shown = esc_dup(ASN1_STRING_get0_data(s), (size_t)n);
}

/* A GENERAL_NAME as "DNS:x", "IP:1.2.3.4", ... (escaped, heap). */
static char *
general_name_text(const GENERAL_NAME *gn)
{
	struct tw_sb sb;
	sb_heap(&sb);
	const ASN1_STRING *s = NULL;
	switch (gn->type) {
	case GEN_DNS: sb_adds(&sb, "DNS:"); s = gn->d.dNSName; break;
	case GEN_EMAIL: sb_adds(&sb, "email:"); s = gn->d.rfc822Name; break;
	case GEN_URI: sb_adds(&sb, "URI:"); s = gn->d.uniformResourceIdentifier; break;
	case GEN_IPADD: {
		int n = ASN1_STRING_length(gn->d.iPAddress);
		const unsigned char *p = ASN1_STRING_get0_data(gn->d.iPAddress);
		char ip[64];
		sb_adds(&sb, "IP:");
		if (n == 4 && inet_ntop(AF_INET, p, ip, sizeof ip))
			sb_adds(&sb, ip);
		else if (n == 16 && inet_ntop(AF_INET6, p, ip, sizeof ip))
			sb_adds(&sb, ip);
		else
			sb_add_hex(&sb, p, n > 0 ? (size_t)n : 0, ':');
		break;
	}
	case GEN_DIRNAME: {
		char *d = name_text(gn->d.directoryName);
		sb_adds(&sb, "DirName:");
		sb_adds(&sb, d);
		free(d);
		break;
	}
	case GEN_RID: {
		char *o = oid_text(gn->d.registeredID, false);
		sb_adds(&sb, "RID:");
		sb_adds(&sb, o);
		free(o);
		break;
	}
	case GEN_OTHERNAME: {
		char *o = oid_text(gn->d.otherName->type_id, false);
		sb_adds(&sb, "othername:");
		sb_adds(&sb, o);
		free(o);
		break;
	}
	default:
		sb_addf(&sb, "name of type %d", gn->type);
		break;
	}
	if (s) {
		int n = ASN1_STRING_length(s);
		sb_add_escaped(&sb, ASN1_STRING_get0_data(s), n > 0 ? (size_t)n : 0);
	}
	return sb_take(&sb);
}

static const struct {
	uint32_t bit;
	const char *name;
	int field;
} ku_bits[] = {
	{ KU_DIGITAL_SIGNATURE, "digitalSignature", F_KU_DS }, { KU_NON_REPUDIATION, "contentCommitment", F_KU_CC },
	{ KU_KEY_ENCIPHERMENT, "keyEncipherment", F_KU_KE },   { KU_DATA_ENCIPHERMENT, "dataEncipherment", F_KU_DE },
	{ KU_KEY_AGREEMENT, "keyAgreement", F_KU_KA },         { KU_KEY_CERT_SIGN, "keyCertSign", F_KU_CS },
	{ KU_CRL_SIGN, "cRLSign", F_KU_CRL },                  { KU_ENCIPHER_ONLY, "encipherOnly", F_KU_EO },
	{ KU_DECIPHER_ONLY, "decipherOnly", F_KU_DO },
};

static void
decode_extensions(struct tw_cert *c)
{
	X509 *x = c->x;
	int crit = 0;
	BASIC_CONSTRAINTS *bc = X509_get_ext_d2i(x, NID_basic_constraints, &crit, NULL);
	c->pathlen = -1;
	if (bc) {
		c->has_bc = true;
		c->is_ca = bc->ca != 0;
		if (bc->pathlen) {
			long v = ASN1_INTEGER_get(bc->pathlen);
			c->pathlen = v < 0 ? -1 : v;
		}
		BASIC_CONSTRAINTS_free(bc);
	}
	c->key_usage = X509_get_key_usage(x);
	if (c->key_usage != UINT32_MAX) {
		struct tw_sb sb;
		sb_heap(&sb);
		for (size_t i = 0; i < ARRAY_SIZE(ku_bits); i++)
			if (c->key_usage & ku_bits[i].bit)
				sb_addf(&sb, "%s%s", sb.len ? ", " : "", ku_bits[i].name);
		if (!sb.len)
			sb_adds(&sb, "(none)");
		c->key_usage_text = sb_take(&sb);
	}
	c->xku = X509_get_extended_key_usage(x);
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, &crit, NULL);
	if (eku) {
		for (int i = 0; i < sk_ASN1_OBJECT_num(eku) && i < 64; i++)
			strv_add(&c->eku, oid_text(sk_ASN1_OBJECT_value(eku, i), true));
		EXTENDED_KEY_USAGE_free(eku);
	}
	GENERAL_NAMES *san = X509_get_ext_d2i(x, NID_subject_alt_name, &crit, NULL);
	if (san) {
		for (int i = 0; i < sk_GENERAL_NAME_num(san) && i < 1000; i++) {
			const GENERAL_NAME *gn = sk_GENERAL_NAME_value(san, i);
			if (gn->type == GEN_DNS)
				c->ndns++;
			strv_add(&c->san, general_name_text(gn));
		}
		GENERAL_NAMES_free(san);
	}
	CRL_DIST_POINTS *cdp = X509_get_ext_d2i(x, NID_crl_distribution_points, &crit, NULL);
	if (cdp) {
		for (int i = 0; i < sk_DIST_POINT_num(cdp); i++) {
			const DIST_POINT *dp = sk_DIST_POINT_value(cdp, i);
			if (!dp->distpoint || dp->distpoint->type != 0)
				continue;
			const GENERAL_NAMES *fn = dp->distpoint->name.fullname;
			for (int k = 0; k < sk_GENERAL_NAME_num(fn); k++) {
				const GENERAL_NAME *gn = sk_GENERAL_NAME_value(fn, k);
				if (gn->type == GEN_URI)
					add_url(c, TW_URL_CDP, gn->d.uniformResourceIdentifier);
			}
		}
		CRL_DIST_POINTS_free(cdp);
	}
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, &crit, NULL);
	if (aia) {
		for (int pass = 0; pass < 2; pass++)
			for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
				const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
				int m = OBJ_obj2nid(ad->method);
				if (ad->location->type != GEN_URI)
					continue;
				if (pass == 0 && m == NID_ad_OCSP)
					add_url(c, TW_URL_OCSP, ad->location->d.uniformResourceIdentifier);
				else if (pass == 1 && m == NID_ad_ca_issuers)
					add_url(c, TW_URL_CA_ISSUERS, ad->location->d.uniformResourceIdentifier);
			}
		AUTHORITY_INFO_ACCESS_free(aia);
	}
	c->ski = octets_text(X509_get0_subject_key_id(x));
	c->aki = octets_text(X509_get0_authority_key_id(x));
	CERTIFICATEPOLICIES *pol = X509_get_ext_d2i(x, NID_certificate_policies, &crit, NULL);
	if (pol) {
		for (int i = 0; i < sk_POLICYINFO_num(pol) && i < 64; i++)
			strv_add(&c->policies, oid_text(sk_POLICYINFO_value(pol, i)->policyid, false));
		CERTIFICATEPOLICIES_free(pol);
	}
	ERR_clear_error();
	int next = X509_get_ext_count(x);
	c->next = next > 0 ? (size_t)next : 0;
	for (int i = 0; i < next; i++) {
		const X509_EXTENSION *e = X509_get_ext(x, i);
		const ASN1_OBJECT *obj = X509_EXTENSION_get_object((X509_EXTENSION *)e);
		switch (OBJ_obj2nid(obj)) {
		case NID_basic_constraints:
		case NID_key_usage:
		case NID_ext_key_usage:
		case NID_subject_alt_name:
		case NID_crl_distribution_points:
		case NID_info_access:
		case NID_subject_key_identifier:
		case NID_authority_key_identifier:
		case NID_certificate_policies:
			break;
		default: {
			char *o = oid_text(obj, false);
			if (X509_EXTENSION_get_critical(e)) {
				char *oc = xasprintf("%s, critical", o);
				free(o);
				o = oc;
			}
			strv_add(&c->unknown_ext, o);
			break;
		}
		}
	}
}

static void
decode_key(struct tw_cert *c)
{
	EVP_PKEY *pk = X509_get0_pubkey(c->x);
	if (pk) {
		c->key_known = true;
		const char *tn = EVP_PKEY_get0_type_name(pk);
		int id = EVP_PKEY_get_base_id(pk);
		if (!tn)
			tn = OBJ_nid2sn(id);
		c->key_type = xstrdup(tn ? tn : "unknown");
		c->key_bits = EVP_PKEY_get_bits(pk);
		if (c->key_bits < 0)
			c->key_bits = 0;
		char g[80];
		size_t gl = 0;
		if (EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME, g, sizeof g, &gl) && gl) {
			const char *nist = EC_curve_nid2nist(OBJ_sn2nid(g));
			c->key_curve = nist ? xasprintf("%s (%s)", g, nist) : xstrdup(g);
		}
	} else {
		ASN1_OBJECT *alg = NULL;
		X509_PUBKEY *pub = X509_get_X509_PUBKEY(c->x);
		if (pub)
			X509_PUBKEY_get0_param(&alg, NULL, NULL, NULL, pub);
		c->key_type = oid_text(alg, true);
	}
	ERR_clear_error();
}

static void
decode_sig(struct tw_cert *c)
{
	const X509_ALGOR *alg = NULL;
	X509_get0_signature(NULL, &alg, c->x);
	const ASN1_OBJECT *obj = NULL;
	if (alg)
		X509_ALGOR_get0(&obj, NULL, NULL, alg);
	char oid[128] = "";
	if (obj)
		OBJ_obj2txt(oid, sizeof oid, obj, 1);
	c->sig_oid = xstrdup(oid);
	int snid = X509_get_signature_nid(c->x);
	const char *ln = snid != NID_undef ? OBJ_nid2ln(snid) : NULL;
	c->sig_name = xstrdup(ln ? ln : oid);
	int dnid = NID_undef, pknid = NID_undef;
	if (snid == NID_undef || !OBJ_find_sigid_algs(snid, &dnid, &pknid))
		dnid = NID_undef;
	if (dnid == NID_undef) {
		/* RSASSA-PSS and friends carry the digest in the parameters. */
		int md = NID_undef;
		if (X509_get_signature_info(c->x, &md, NULL, NULL, NULL) && md != NID_undef)
			dnid = md;
	}
	c->digest_supported = true;
	if (dnid != NID_undef) {
		const char *sn = OBJ_nid2sn(dnid);
		struct tw_sb sb;
		sb_heap(&sb);
		for (const char *p = sn ? sn : "?"; *p; p++)
			sb_addc(&sb, *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p);
		c->sig_digest = sb_take(&sb);
		EVP_MD *md = sn ? EVP_MD_fetch(NULL, sn, NULL) : NULL;
		c->digest_supported = md != NULL;
		EVP_MD_free(md);
	}
	ERR_clear_error();
}

static int
digest_nid(const struct tw_cert *c)
{
	if (!c->sig_digest)
		return NID_undef;
	return OBJ_sn2nid(strcmp(c->sig_digest, "md2") == 0 ? "MD2" :
	                  strcmp(c->sig_digest, "md4") == 0 ? "MD4" :
	                  strcmp(c->sig_digest, "md5") == 0 ? "MD5" :
	                  strcmp(c->sig_digest, "sha1") == 0 ? "SHA1" : "");
}

static void
decode_cert(struct tw_cert *c, const uint8_t *der, size_t len)
{
	c->der_len = len;
	c->issued_by = -1;
	c->pathlen = -1;
	c->key_usage = c->xku = UINT32_MAX;
	ERR_clear_error();
	const unsigned char *q = der;
	X509 *x = len ? d2i_X509(NULL, &q, (long)len) : NULL;
	if (!x) {
		unsigned long e = ERR_peek_error();
		const char *why = e ? ERR_reason_error_string(e) : NULL;
		c->error = xstrdup(why ? why : "not a DER certificate");
		ERR_clear_error();
		return;
	}
	c->x = x;
	c->subject = name_text(X509_get_subject_name(x));
	c->issuer = name_text(X509_get_issuer_name(x));
	c->name = cn_text(X509_get_subject_name(x));
	if (!c->name)
		c->name = xstrdup(c->subject[0] ? c->subject : "(empty subject)");
	BIGNUM *bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x), NULL);
	char *hex = bn ? BN_bn2hex(bn) : NULL;
	if (hex) {
		struct tw_sb sb;
		sb_heap(&sb);
		const char *h = hex;
		if (*h == '-') {
			sb_addc(&sb, '-');
			h++;
		}
		sb_adds(&sb, "0x");
		for (; *h; h++)
			sb_addc(&sb, *h >= 'A' && *h <= 'F' ? (char)(*h - 'A' + 'a') : *h);
		c->serial = sb_take(&sb);
	} else {
		c->serial = xstrdup("?");
	}
	OPENSSL_free(hex);
	BN_free(bn);
	c->version = (int)X509_get_version(x) + 1;
	c->have_validity = time_ns(X509_get0_notBefore(x), &c->not_before) &&
	                   time_ns(X509_get0_notAfter(x), &c->not_after);
	decode_sig(c);
	decode_key(c);
	decode_extensions(c);
	unsigned int n = 0;
	X509_digest(x, EVP_sha1(), c->sha1_raw, &n);
	struct tw_sb sb;
	sb_fixed(&sb, c->sha1, sizeof c->sha1);
	colon_hex(&sb, c->sha1_raw, sizeof c->sha1_raw);
	X509_digest(x, EVP_sha256(), c->sha256_raw, &n);
	sb_fixed(&sb, c->sha256, sizeof c->sha256);
	colon_hex(&sb, c->sha256_raw, sizeof c->sha256_raw);
	ERR_clear_error();
}

static void
cert_free(struct tw_cert *c)
{
	X509_free(c->x);
	free(c->error);
	free(c->subject);
	free(c->issuer);
	free(c->name);
	free(c->serial);
	free(c->sig_name);
	free(c->sig_oid);
	free(c->sig_digest);
	free(c->key_type);
	free(c->key_curve);
	free(c->key_usage_text);
	strv_free(&c->eku);
	strv_free(&c->san);
	for (size_t i = 0; i < c->nurls; i++) {
		free(c->urls[i].url);
		free(c->urls[i].shown);
	}
	free(c->urls);
	free(c->ski);
	free(c->aki);
	strv_free(&c->policies);
	strv_free(&c->unknown_ext);
	for (size_t i = 0; i < c->nfetch; i++)
		free(c->fetch[i].text);
	free(c->fetch);
}

/* ---- findings --------------------------------------------------------------- */

static void finding(struct tw_chain *ch, enum tw_sev sev, int cert, const char *code, const char *fmt, ...)
	TW_PRINTF(5, 6);

static void
finding(struct tw_chain *ch, enum tw_sev sev, int cert, const char *code, const char *fmt, ...)
{
	ch->f = xreallocarray(ch->f, ch->nf + 1, sizeof *ch->f);
	struct tw_cert_finding *f = &ch->f[ch->nf++];
	f->sev = (uint8_t)sev;
	f->cert = cert;
	f->code = code;
	struct tw_sb sb;
	sb_heap(&sb);
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	f->text = sb_take(&sb);
	int *counts[2][3] = { { &ch->notes, &ch->warnings, &ch->errors }, { NULL, NULL, NULL } };
	if (cert >= 0 && (size_t)cert < ch->n) {
		counts[1][0] = &ch->c[cert].notes;
		counts[1][1] = &ch->c[cert].warnings;
		counts[1][2] = &ch->c[cert].errors;
	}
	int k = sev == TW_SEV_ERROR ? 2 : sev == TW_SEV_WARN ? 1 : 0;
	(*counts[0][k])++;
	if (counts[1][k])
		(*counts[1][k])++;
}

/* "certificate 2 (TW MD2 Issuing CA)" into a caller buffer. */
static const char *
who(const struct tw_chain *ch, int i, char *buf, size_t cap)
{
	const struct tw_cert *c = &ch->c[i];
	if (c->name)
		snprintf(buf, cap, "%s %d (%s)", ch->server ? "certificate" : "client certificate", i + 1, c->name);
	else
		snprintf(buf, cap, "%s %d", ch->server ? "certificate" : "client certificate", i + 1);
	return buf;
}

/* The same with a capital letter, to start a sentence. */
static const char *
Who(const struct tw_chain *ch, int i, char *buf, size_t cap)
{
	who(ch, i, buf, cap);
	if (buf[0] >= 'a' && buf[0] <= 'z')
		buf[0] = (char)(buf[0] - 'a' + 'A');
	return buf;
}

/* ---- checks ------------------------------------------------------------------ */

static bool
same_name(const X509_NAME *a, const X509_NAME *b)
{
	return a && b && X509_NAME_cmp(a, b) == 0;
}

static bool
keyid_eq(const ASN1_OCTET_STRING *a, const ASN1_OCTET_STRING *b)
{
	return a && b && ASN1_OCTET_STRING_cmp(a, b) == 0;
}

/* The issuer of certificate i among the others: by name, preferring key identifier agreement, then i+1. */
static int
find_issuer(const struct tw_chain *ch, int i)
{
	X509 *x = ch->c[i].x;
	const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(x);
	int best = -1, best_score = -1;
	for (int j = 0; j < (int)ch->n; j++) {
		if (j == i || !ch->c[j].x || ch->c[j].duplicate)
			continue;
		if (!same_name(X509_get_issuer_name(x), X509_get_subject_name(ch->c[j].x)))
			continue;
		const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ch->c[j].x);
		int score = 1;
		if (aki && ski)
			score += keyid_eq(aki, ski) ? 4 : 0;
		if (j == i + 1)
			score += 2;
		if (score > best_score) {
			best = j;
			best_score = score;
		}
	}
	return best;
}

static void
check_signature(struct tw_chain *ch, int i)
{
	struct tw_cert *c = &ch->c[i];
	int j = c->issued_by;
	char w[256], wi[256];
	if (j < 0)
		return;
	bool self = j == i;
	if (!c->digest_supported) {
		c->sig_check = TW_SIG_UNSUPPORTED;
		char up[16];
		snprintf(up, sizeof up, "%s", c->sig_digest ? c->sig_digest : "?");
		for (char *q = up; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 'a' + 'A');
		finding(ch, self ? TW_SEV_NOTE : TW_SEV_WARN, i, "cannot-verify",
		        "The signature of %s was not checked (cannot verify: %s unsupported, OpenSSL 3 has no %s); this is "
		        "not a bad signature", who(ch, i, w, sizeof w), c->sig_digest ? c->sig_digest : "digest", up);
		return;
	}
	EVP_PKEY *pk = X509_get0_pubkey(ch->c[j].x);
	if (!pk) {
		c->sig_check = TW_SIG_NO_KEY;
		ERR_clear_error();
		return;
	}
	ERR_clear_error();
	int r = X509_verify(c->x, pk);
	ERR_clear_error();
	if (r == 1) {
		c->sig_check = TW_SIG_OK;
		return;
	}
	c->sig_check = TW_SIG_BAD;
	if (self)
		finding(ch, TW_SEV_NOTE, i, "bad-signature",
		        "The self-signature of %s does not verify (a root's own signature is not relied upon, but the "
		        "certificate was altered)", who(ch, i, w, sizeof w));
	else
		finding(ch, TW_SEV_ERROR, i, "bad-signature",
		        "The signature of %s does not verify with the public key of %s: it was altered or issued by another key",
		        who(ch, i, w, sizeof w), who(ch, j, wi, sizeof wi));
}

/* Text "a, b, c" of the DNS names (or the CN when there are none). */
static void
names_list(struct tw_sb *sb, const struct tw_cert *c)
{
	size_t shown = 0;
	for (size_t k = 0; k < c->san.n; k++) {
		if (strncmp(c->san.v[k], "DNS:", 4) != 0)
			continue;
		if (shown == 8) {
			sb_addf(sb, " and %zu more", c->ndns - shown);
			return;
		}
		sb_addf(sb, "%s%s", shown ? ", " : "", c->san.v[k] + 4);
		shown++;
	}
	if (!shown) {
		char *cn = cn_text(X509_get_subject_name(c->x));
		sb_adds(sb, cn ? cn : "no name at all");
		free(cn);
	}
}

static void
check_host(struct tw_chain *ch, const struct tw_chain_ctx *ctx)
{
	struct tw_cert *c = &ch->c[0];
	char w[256];
	if (!ctx->sni || !ctx->sni_len) {
		finding(ch, TW_SEV_NOTE, 0, "no-sni",
		        "The ClientHello carried no server name (SNI), so %s's names were not checked against one",
		        who(ch, 0, w, sizeof w));
		return;
	}
	ERR_clear_error();
	int r = X509_check_host(c->x, (const char *)ctx->sni, ctx->sni_len, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL);
	ERR_clear_error();
	if (r == 1) {
		if (!c->ndns)
			finding(ch, TW_SEV_NOTE, 0, "cn-fallback",
			        "%s matches %s only through its subject CN: it has no subjectAltName, which current "
			        "browsers require", Who(ch, 0, w, sizeof w), ch->sni);
		return;
	}
	if (r < 0) {
		finding(ch, TW_SEV_WARN, 0, "bad-name", "The server name %s from the ClientHello is not a valid host name",
		        ch->sni);
		return;
	}
	struct tw_sb sb;
	sb_heap(&sb);
	names_list(&sb, c);
	bool wild = false;
	for (size_t k = 0; k < c->san.n; k++)
		wild |= strncmp(c->san.v[k], "DNS:", 4) == 0 && strchr(c->san.v[k], '*') != NULL;
	finding(ch, TW_SEV_ERROR, 0, "name-mismatch", "The client asked for %s (SNI) but %s is for %s%s", ch->sni,
	        who(ch, 0, w, sizeof w), sb.s,
	        wild ? " (a wildcard stands for exactly one whole label: *.a.b matches x.a.b, not x.y.a.b nor a.b; "
	               "w*.a.b matches nothing)" : "");
	sb_free(&sb);
}

static void
check_times(struct tw_chain *ch, int i)
{
	struct tw_cert *c = &ch->c[i];
	char w[256];
	if (!c->have_validity || !ch->when)
		return;
	struct tw_sb a, b, d;
	sb_heap(&a);
	sb_heap(&b);
	sb_heap(&d);
	fmt_time(&b, ch->when);
	if (ch->when > c->not_after) {
		fmt_time(&a, c->not_after);
		fmt_span(&d, ch->when - c->not_after);
		finding(ch, TW_SEV_ERROR, i, "expired", "%s expired on %s, %s before the capture (%s)",
		        Who(ch, i, w, sizeof w), a.s, d.s, b.s);
	} else if (ch->when < c->not_before) {
		fmt_time(&a, c->not_before);
		fmt_span(&d, c->not_before - ch->when);
		finding(ch, TW_SEV_ERROR, i, "not-yet-valid", "%s is not valid before %s, %s after the capture (%s)",
		        Who(ch, i, w, sizeof w), a.s, d.s, b.s);
	}
	sb_free(&a);
	sb_free(&b);
	sb_free(&d);
}

static void
check_digest_and_key(struct tw_chain *ch, int i)
{
	struct tw_cert *c = &ch->c[i];
	char w[256];
	int dn = digest_nid(c);
	if (dn == NID_md2 || dn == NID_md4 || dn == NID_md5 || dn == NID_sha1) {
		bool sha1 = dn == NID_sha1;
		char up[16];
		snprintf(up, sizeof up, "%s", dn == NID_md2 ? "MD2" : dn == NID_md4 ? "MD4" : dn == NID_md5 ? "MD5" : "SHA-1");
		if (c->self_issued)
			finding(ch, TW_SEV_NOTE, i, "weak-digest",
			        "%s signs itself with %s (%s); a root's own signature is not relied upon, so this alone is "
			        "harmless", Who(ch, i, w, sizeof w), up, c->sig_name);
		else if (sha1)
			finding(ch, TW_SEV_WARN, i, "weak-digest",
			        "%s is signed with SHA-1 (%s), which current clients no longer accept",
			        Who(ch, i, w, sizeof w), c->sig_name);
		else
			finding(ch, TW_SEV_ERROR, i, "weak-digest",
			        "%s is signed with %s (%s), a broken digest that clients refuse",
			        Who(ch, i, w, sizeof w), up, c->sig_name);
	}
	if (!c->key_known) {
		finding(ch, TW_SEV_NOTE, i, "unknown-key", "%s has a public key of a type OpenSSL cannot read: %s",
		        Who(ch, i, w, sizeof w), c->key_type);
		return;
	}
	bool rsa_like = strcmp(c->key_type, "RSA") == 0 || strcmp(c->key_type, "RSA-PSS") == 0 ||
	                strcmp(c->key_type, "DSA") == 0;
	if (rsa_like && c->key_bits > 0 && c->key_bits < 1024)
		finding(ch, TW_SEV_ERROR, i, "weak-key", "%s has a %d-bit %s key, which can be factored: clients refuse it",
		        Who(ch, i, w, sizeof w), c->key_bits, c->key_type);
	else if (rsa_like && c->key_bits > 0 && c->key_bits < 2048)
		finding(ch, TW_SEV_WARN, i, "weak-key",
		        "%s has a %d-bit %s key; 2048 bits is the minimum current clients accept",
		        Who(ch, i, w, sizeof w), c->key_bits, c->key_type);
	if (X509_get_extension_flags(c->x) & EXFLAG_CRITICAL)
		finding(ch, TW_SEV_ERROR, i, "critical-ext",
		        "%s has a critical extension OpenSSL does not handle, so clients must reject it",
		        Who(ch, i, w, sizeof w));
}

/* Is x's issuer among the loaded trust anchors? */
static bool
issuer_trusted(X509 *x)
{
	if (!trust_store)
		return false;
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509 *issuer = NULL;
	bool found = ctx && X509_STORE_CTX_init(ctx, trust_store, x, NULL) &&
	             X509_STORE_CTX_get1_issuer(&issuer, ctx, x) == 1;
	X509_free(issuer);
	X509_STORE_CTX_free(ctx);
	ERR_clear_error();
	return found;
}

/* Linkage: issuers, order, duplicates, strays, the end of the path. */
static void
check_links(struct tw_chain *ch)
{
	char w[256], wi[256];
	int n = (int)ch->n;
	for (int i = 0; i < n; i++) {
		struct tw_cert *c = &ch->c[i];
		if (!c->x)
			continue;
		for (int j = 0; j < i; j++)
			if (ch->c[j].x && !ch->c[j].duplicate && memcmp(ch->c[j].sha256_raw, c->sha256_raw, 32) == 0) {
				c->duplicate = true;
				finding(ch, TW_SEV_WARN, i, "duplicate", "%s is the same certificate as %s, sent twice",
				        Who(ch, i, w, sizeof w), who(ch, j, wi, sizeof wi));
				break;
			}
	}
	for (int i = 0; i < n; i++) {
		struct tw_cert *c = &ch->c[i];
		if (!c->x || c->duplicate)
			continue;
		const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(c->x);
		const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(c->x);
		c->self_issued = same_name(X509_get_subject_name(c->x), X509_get_issuer_name(c->x)) &&
		                 (!aki || !ski || keyid_eq(aki, ski));
		c->issued_by = c->self_issued ? i : find_issuer(ch, i);
	}
	if (!n || !ch->c[0].x)
		return;
	/* The path from the first certificate. */
	int path[X509_MAX_CHAIN];
	int np = 0;
	for (int k = 0; k >= 0 && np < n;) {
		bool seen = false;
		for (int q = 0; q < np; q++)
			seen |= path[q] == k;
		if (seen)
			break;
		path[np++] = k;
		ch->c[k].in_path = true;
		int nx = ch->c[k].issued_by;
		k = nx == k ? -1 : nx;
	}
	for (int q = 0; q + 1 < np; q++) {
		int k = path[q], j = path[q + 1];
		if (j != k + 1)
			finding(ch, TW_SEV_WARN, k, "out-of-order",
			        "%s is issued by %s, which should come right after it: the chain is out of order",
			        Who(ch, k, w, sizeof w), who(ch, j, wi, sizeof wi));
		const ASN1_OCTET_STRING *aki = X509_get0_authority_key_id(ch->c[k].x);
		const ASN1_OCTET_STRING *ski = X509_get0_subject_key_id(ch->c[j].x);
		if (aki && ski && !keyid_eq(aki, ski)) {
			struct tw_sb sb;
			sb_heap(&sb);
			sb_adds(&sb, ch->c[k].aki);
			finding(ch, TW_SEV_WARN, k, "aki-mismatch",
			        "%s names its issuer's key %s, but %s (the certificate with its issuer's name) has key "
			        "identifier %s: another key of that CA issued it", Who(ch, k, w, sizeof w), sb.s,
			        who(ch, j, wi, sizeof wi), ch->c[j].ski);
			sb_free(&sb);
		}
		/* The issuer must be a CA allowed to sign certificates. */
		struct tw_cert *is = &ch->c[j];
		if (!(is->has_bc && is->is_ca))
			finding(ch, TW_SEV_ERROR, j, "not-ca",
			        "%s issued %s but is not a CA certificate (basicConstraints CA:TRUE is missing%s)",
			        Who(ch, j, w, sizeof w), who(ch, k, wi, sizeof wi),
			        is->version < 3 ? ": it is a version 1 certificate" : "");
		else if (is->key_usage != UINT32_MAX && !(is->key_usage & KU_KEY_CERT_SIGN))
			finding(ch, TW_SEV_ERROR, j, "no-cert-sign",
			        "%s issued %s but its keyUsage does not allow signing certificates (keyCertSign missing)",
			        Who(ch, j, w, sizeof w), who(ch, k, wi, sizeof wi));
	}
	for (int i = 0; i < n; i++)
		if (ch->c[i].x && !ch->c[i].in_path && !ch->c[i].duplicate)
			finding(ch, TW_SEV_WARN, i, "unrelated",
			        "%s does not belong to the chain: it is not on the path from %s to its root",
			        Who(ch, i, w, sizeof w), who(ch, 0, wi, sizeof wi));
	/* How the path ends. */
	int top = path[np - 1];
	struct tw_cert *t = &ch->c[top];
	if (t->self_issued) {
		if (np == 1)
			finding(ch, TW_SEV_WARN, top, "self-signed",
			        "%s is self-signed: only clients that trust this very certificate accept it",
			        Who(ch, top, w, sizeof w));
		else
			finding(ch, TW_SEV_NOTE, top, "root-sent",
			        "%s is a self-signed root sent along with the chain; the %s trusts its own copy or none, so "
			        "sending it only adds bytes", Who(ch, top, w, sizeof w), ch->server ? "client" : "server");
	} else if (t->issued_by < 0) {
		/* Only the end entity was sent and its issuer is not a trust anchor: an intermediate is missing
		 * (a chain that ends in an intermediate normally just leaves out the root). */
		if (np == 1 && !(t->has_bc && t->is_ca) && !issuer_trusted(t->x)) {
			finding(ch, TW_SEV_ERROR, top, "missing-intermediate",
			        "%s is issued by '%s', which the %s did not send: the intermediate certificate is missing",
			        Who(ch, top, w, sizeof w), t->issuer, ch->server ? "server" : "client");
		} else {
			ch->path_text = xasprintf("The chain ends at %s; its issuer '%s' was not sent (normally a root the "
			                          "peer already trusts)", who(ch, top, w, sizeof w), t->issuer);
		}
	}
}

static void
check_leaf(struct tw_chain *ch)
{
	struct tw_cert *c = &ch->c[0];
	char w[256];
	if (c->has_bc && c->is_ca && !c->self_issued)
		finding(ch, TW_SEV_WARN, 0, "leaf-is-ca",
		        "%s is a CA certificate (basicConstraints CA:TRUE) used as the %s's own certificate",
		        Who(ch, 0, w, sizeof w), ch->server ? "server" : "client");
	uint32_t need = ch->server ? XKU_SSL_SERVER : XKU_SSL_CLIENT;
	if (c->xku != UINT32_MAX && !(c->xku & need) && !(c->xku & XKU_ANYEKU)) {
		struct tw_sb sb;
		sb_heap(&sb);
		for (size_t k = 0; k < c->eku.n; k++) {
			const char *e = c->eku.v[k];
			const char *sp = strchr(e, ' ');
			sb_addf(&sb, "%s%.*s", k ? ", " : "", sp ? (int)(sp - e) : (int)strlen(e), e);
		}
		finding(ch, TW_SEV_ERROR, 0, "eku",
		        "%s may not be used by a TLS %s: its extended key usage lists only %s (%s is missing)",
		        Who(ch, 0, w, sizeof w), ch->server ? "server" : "client", sb.len ? sb.s : "nothing",
		        ch->server ? "serverAuth" : "clientAuth");
		sb_free(&sb);
	}
	if (c->key_usage != UINT32_MAX && !(c->key_usage & (KU_DIGITAL_SIGNATURE | KU_KEY_ENCIPHERMENT | KU_KEY_AGREEMENT)))
		finding(ch, TW_SEV_WARN, 0, "key-usage",
		        "The keyUsage of %s (%s) allows neither digitalSignature nor keyEncipherment: it cannot be used for TLS",
		        who(ch, 0, w, sizeof w), c->key_usage_text);
}

static void
check_client_cas(struct tw_chain *ch, const struct tw_chain_ctx *ctx)
{
	if (!ctx->have_certreq || !ctx->nca || !ch->n || !ch->c[0].x)
		return;
	bool ok = false;
	for (size_t k = 0; k < ctx->nca && !ok; k++) {
		const unsigned char *q = ctx->ca_der[k];
		X509_NAME *nm = ctx->ca_len[k] ? d2i_X509_NAME(NULL, &q, (long)ctx->ca_len[k]) : NULL;
		if (!nm)
			continue;
		for (size_t i = 0; i < ch->n && !ok; i++) {
			if (!ch->c[i].x || !ch->c[i].in_path)
				continue;
			ok = same_name(nm, X509_get_issuer_name(ch->c[i].x)) || same_name(nm, X509_get_subject_name(ch->c[i].x));
		}
		X509_NAME_free(nm);
	}
	ERR_clear_error();
	if (ok)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t k = 0; k < ch->ca_names.n; k++) {
		if (k == 8) {
			sb_addf(&sb, " and %zu more", ch->ca_names.n - k);
			break;
		}
		sb_addf(&sb, "%s'%s'", k ? (k + 1 == ch->ca_names.n ? " and " : ", ") : "", ch->ca_names.v[k]);
	}
	char w[256];
	finding(ch, TW_SEV_ERROR, 0, "ca-not-accepted",
	        "%s is issued by '%s', but the server accepts only certificates from %s (CertificateRequest%s%u)",
	        Who(ch, 0, w, sizeof w), ch->c[0].issuer, sb.s, ctx->certreq_frame ? " in frame " : "",
	        ctx->certreq_frame);
	sb_free(&sb);
}

static void
check_trust(struct tw_chain *ch)
{
	if (!trust_store || !ch->n || !ch->c[0].x)
		return;
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	for (size_t i = 1; i < ch->n; i++)
		if (ch->c[i].x)
			sk_X509_push(untrusted, ch->c[i].x);
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	if (!ctx || !X509_STORE_CTX_init(ctx, trust_store, ch->c[0].x, untrusted)) {
		X509_STORE_CTX_free(ctx);
		sk_X509_free(untrusted);
		ERR_clear_error();
		return;
	}
	X509_STORE_CTX_set_purpose(ctx, ch->server ? X509_PURPOSE_SSL_SERVER : X509_PURPOSE_SSL_CLIENT);
	if (ch->when)
		X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)(ch->when / TW_NS_PER_SEC));
	int r = X509_verify_cert(ctx);
	ch->trust_checked = true;
	ch->trusted = r == 1;
	if (r == 1) {
		ch->trust_text = xasprintf("OpenSSL verifies the chain at the capture time with the trust anchors of %s",
		                           trust_desc);
	} else {
		int err = X509_STORE_CTX_get_error(ctx);
		int depth = X509_STORE_CTX_get_error_depth(ctx);
		X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
		int at = -1;
		for (size_t i = 0; cur && i < ch->n; i++)
			if (ch->c[i].x && X509_cmp(ch->c[i].x, cur) == 0) {
				at = (int)i;
				break;
			}
		char w[256];
		ch->trust_text = xasprintf("OpenSSL's verification at the capture time with the trust anchors of %s fails: %s "
		                           "(depth %d)", trust_desc, X509_verify_cert_error_string(err), depth);
		if (at >= 0)
			finding(ch, TW_SEV_ERROR, at, "untrusted",
			        "OpenSSL's verification at the capture time (trust anchors from %s) fails at %s: %s",
			        trust_desc, who(ch, at, w, sizeof w), X509_verify_cert_error_string(err));
		else
			finding(ch, TW_SEV_ERROR, -1, "untrusted",
			        "OpenSSL's verification at the capture time (trust anchors from %s) fails at depth %d: %s",
			        trust_desc, depth, X509_verify_cert_error_string(err));
	}
	X509_STORE_CTX_free(ctx);
	sk_X509_free(untrusted);
	ERR_clear_error();
}

/* ---- revocation data in the trace --------------------------------------------- */

static const char *
reason_name(int r)
{
	static const char *const n[] = { "unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
		                         "superseded", "cessationOfOperation", "certificateHold", "7",
		                         "removeFromCRL", "privilegeWithdrawn", "aACompromise" };
	return r >= 0 && r < (int)ARRAY_SIZE(n) ? n[r] : "unknown reason";
}

static void
fetch_crl(struct tw_chain *ch, int i, struct tw_cert_fetch *f, const struct tw_http_hit *h, struct tw_sb *sb)
{
	struct tw_cert *c = &ch->c[i];
	char w[256];
	const unsigned char *q = h->body;
	X509_CRL *crl = h->body_len ? d2i_X509_CRL(NULL, &q, (long)h->body_len) : NULL;
	if (!crl) {
		ERR_clear_error();
		sb_adds(sb, ", not a CRL");
		finding(ch, TW_SEV_WARN, i, "crl-unreadable",
		        "The answer in frame %s%u to %s's CRL request is not a CRL OpenSSL can read", h->where,
		        h->res_frame, who(ch, i, w, sizeof w));
		return;
	}
	f->crl = true;
	f->crl_issuer_ok = same_name(X509_CRL_get_issuer(crl), X509_get_issuer_name(c->x));
	time_ns(X509_CRL_get0_lastUpdate(crl), &f->this_update);
	f->have_next = X509_CRL_get0_nextUpdate(crl) && time_ns(X509_CRL_get0_nextUpdate(crl), &f->next_update);
	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	f->nrevoked = revs ? sk_X509_REVOKED_num(revs) : 0;
	sb_addf(sb, ", %ld revoked", f->nrevoked);
	if (f->have_next) {
		sb_adds(sb, ", next update ");
		fmt_time(sb, f->next_update);
	}
	if (!f->crl_issuer_ok) {
		char *iss = name_text(X509_CRL_get_issuer(crl));
		sb_addf(sb, ", issued by '%s', not by the certificate's issuer", iss);
		free(iss);
		X509_CRL_free(crl);
		ERR_clear_error();
		return;
	}
	X509_REVOKED *rev = NULL;
	if (X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(c->x)) == 1 && rev) {
		f->revoked = true;
		f->reason = -1;
		ASN1_ENUMERATED *re = X509_REVOKED_get_ext_d2i(rev, NID_crl_reason, NULL, NULL);
		if (re) {
			f->reason = (int)ASN1_ENUMERATED_get(re);
			ASN1_ENUMERATED_free(re);
		}
		time_ns(X509_REVOKED_get0_revocationDate(rev), &f->revoked_at);
		struct tw_sb t;
		sb_heap(&t);
		fmt_time(&t, f->revoked_at);
		sb_addf(sb, "; it lists this certificate as revoked");
		finding(ch, TW_SEV_ERROR, i, "revoked",
		        "%s is revoked (%s, since %s) in the CRL fetched in frame %s%u, which lists its serial %s",
		        Who(ch, i, w, sizeof w), f->reason >= 0 ? reason_name(f->reason) : "no reason given", t.s, h->where,
		        h->res_frame, c->serial);
		sb_free(&t);
	}
	if (f->have_next && ch->when && f->next_update < ch->when) {
		struct tw_sb a, d;
		sb_heap(&a);
		sb_heap(&d);
		fmt_time(&a, f->next_update);
		fmt_span(&d, ch->when - f->next_update);
		finding(ch, TW_SEV_WARN, i, "crl-stale",
		        "The CRL for %s fetched in frame %s%u was out of date at the capture: its next update was due %s, "
		        "%s earlier", who(ch, i, w, sizeof w), h->where, h->res_frame, a.s, d.s);
		sb_free(&a);
		sb_free(&d);
	}
	if (c->issued_by >= 0 && c->issued_by != i) {
		EVP_PKEY *pk = X509_get0_pubkey(ch->c[c->issued_by].x);
		if (pk && X509_CRL_verify(crl, pk) != 1)
			finding(ch, TW_SEV_WARN, i, "crl-bad-signature",
			        "The CRL for %s fetched in frame %s%u does not verify with its issuer's key",
			        who(ch, i, w, sizeof w), h->where, h->res_frame);
	}
	X509_CRL_free(crl);
	ERR_clear_error();
}

static void
fetch_ocsp(struct tw_chain *ch, int i, struct tw_cert_fetch *f, const struct tw_http_hit *h, struct tw_sb *sb)
{
	struct tw_cert *c = &ch->c[i];
	char w[256];
	const unsigned char *q = h->body;
	OCSP_RESPONSE *resp = h->body_len ? d2i_OCSP_RESPONSE(NULL, &q, (long)h->body_len) : NULL;
	OCSP_BASICRESP *bs = resp && OCSP_response_status(resp) == OCSP_RESPONSE_STATUS_SUCCESSFUL ?
	                     OCSP_response_get1_basic(resp) : NULL;
	if (!bs) {
		sb_addf(sb, resp ? ", responder status %s" : ", not an OCSP response",
		        resp ? OCSP_response_status_str(OCSP_response_status(resp)) : "");
		OCSP_RESPONSE_free(resp);
		ERR_clear_error();
		return;
	}
	for (int k = 0; k < OCSP_resp_count(bs); k++) {
		OCSP_SINGLERESP *sr = OCSP_resp_get0(bs, k);
		ASN1_INTEGER *serial = NULL;
		OCSP_id_get0_info(NULL, NULL, NULL, &serial, (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(sr));
		if (!serial || ASN1_INTEGER_cmp(serial, X509_get0_serialNumber(c->x)) != 0)
			continue;
		int reason = -1;
		ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
		int st = OCSP_single_get0_status(sr, &reason, &rev, &thisupd, &nextupd);
		f->ocsp = st;
		sb_addf(sb, ", status %s", OCSP_cert_status_str(st));
		if (st == V_OCSP_CERTSTATUS_REVOKED) {
			f->revoked = true;
			f->reason = reason;
			time_ns(rev, &f->revoked_at);
			finding(ch, TW_SEV_ERROR, i, "revoked",
			        "%s is revoked (%s) according to the OCSP answer in frame %s%u for its serial %s",
			        Who(ch, i, w, sizeof w), reason >= 0 ? reason_name(reason) : "no reason given", h->where,
			        h->res_frame, c->serial);
		} else if (st == V_OCSP_CERTSTATUS_UNKNOWN) {
			finding(ch, TW_SEV_WARN, i, "ocsp-unknown",
			        "The OCSP responder does not know %s (answer in frame %s%u)", who(ch, i, w, sizeof w),
			        h->where, h->res_frame);
		}
		tw_time nu;
		if (nextupd && time_ns(nextupd, &nu) && ch->when && nu < ch->when)
			finding(ch, TW_SEV_WARN, i, "ocsp-stale",
			        "The OCSP answer for %s in frame %s%u was out of date at the capture (nextUpdate passed)",
			        who(ch, i, w, sizeof w), h->where, h->res_frame);
		break;
	}
	OCSP_BASICRESP_free(bs);
	OCSP_RESPONSE_free(resp);
	ERR_clear_error();
}

static void
check_fetches(struct tw_chain *ch, int i, const struct tw_chain_ctx *ctx)
{
	struct tw_cert *c = &ch->c[i];
	char w[256];
	for (size_t u = 0; u < c->nurls; u++) {
		struct tw_cert_url *url = &c->urls[u];
		struct tw_http_hit hits[8];
		size_t nh = ctx->lookup(ctx->lookup_arg, url->url, url->len, url->kind == TW_URL_OCSP, hits, ARRAY_SIZE(hits));
		for (size_t k = 0; k < nh; k++) {
			const struct tw_http_hit *h = &hits[k];
			c->fetch = xreallocarray(c->fetch, c->nfetch + 1, sizeof *c->fetch);
			struct tw_cert_fetch *f = &c->fetch[c->nfetch++];
			memset(f, 0, sizeof *f);
			f->url = u;
			f->source = h->source;
			f->req_frame = h->req_frame;
			f->res_frame = h->res_frame;
			f->status = h->status;
			f->reason = -1;
			f->ocsp = -1;
			struct tw_sb sb;
			sb_heap(&sb);
			const char *what = url->kind == TW_URL_CDP ? "CRL" : url->kind == TW_URL_OCSP ? "OCSP answer" :
			                                                                                 "CA issuers certificate";
			if (!h->res_frame) {
				sb_addf(&sb, "%s requested in frame %s%u, no answer in the trace", what, h->where, h->req_frame);
				if (url->kind == TW_URL_CDP)
					finding(ch, TW_SEV_WARN, i, "crl-fetch-failed",
					        "%s's CRL (%s) was requested in frame %s%u but no answer is in the trace",
					        Who(ch, i, w, sizeof w), url->shown, h->where, h->req_frame);
			} else if (h->status != 200) {
				sb_addf(&sb, "%s requested in frame %s%u: %u %s in frame %s%u", what, h->where, h->req_frame,
				        h->status, h->status_text ? h->status_text : "", h->where, h->res_frame);
				if (url->kind == TW_URL_CDP)
					finding(ch, TW_SEV_WARN, i, "crl-fetch-failed",
					        "%s's CRL (%s) could not be fetched: the server answered %u %s in frame %s%u",
					        Who(ch, i, w, sizeof w), url->shown, h->status, h->status_text ? h->status_text : "",
					        h->where, h->res_frame);
			} else {
				sb_addf(&sb, "%s fetched in frame %s%u (%u %s", what, h->where, h->res_frame, h->status,
				        h->status_text ? h->status_text : "");
				if (h->body && url->kind == TW_URL_CDP)
					fetch_crl(ch, i, f, h, &sb);
				else if (h->body && url->kind == TW_URL_OCSP)
					fetch_ocsp(ch, i, f, h, &sb);
				else if (h->ctype && h->ctype[0])
					sb_addf(&sb, ", %s", h->ctype);
				sb_addc(&sb, ')');
			}
			f->text = sb_take(&sb);
		}
	}
}

/* ---- the chain ------------------------------------------------------------------ */

struct tw_chain *
x509_chain_new(const uint8_t *const *der, const size_t *len, size_t n, const struct tw_chain_ctx *ctx)
{
	struct tw_chain *ch = xcalloc(1, sizeof *ch);
	ch->nsent = n;
	if (n > X509_MAX_CHAIN)
		n = X509_MAX_CHAIN;
	ch->n = n;
	ch->c = xcalloc(n ? n : 1, sizeof *ch->c);
	ch->server = ctx->server;
	ch->when = ctx->when;
	ch->frame = ctx->frame;
	if (ctx->sni && ctx->sni_len)
		ch->sni = esc_dup(ctx->sni, ctx->sni_len);
	ch->have_certreq = ctx->have_certreq;
	ch->certreq_frame = ctx->certreq_frame;
	for (size_t k = 0; k < ctx->nca; k++) {
		char *s = x509_name_text(ctx->ca_der[k], ctx->ca_len[k]);
		strv_add(&ch->ca_names, s ? s : xstrdup("(not a valid DER name)"));
	}
	char w[256];
	for (size_t i = 0; i < n; i++) {
		decode_cert(&ch->c[i], der[i], len[i]);
		if (!ch->c[i].x)
			finding(ch, TW_SEV_ERROR, (int)i, "unreadable", "%s (%zu bytes) is not a certificate OpenSSL can read: %s",
			        Who(ch, (int)i, w, sizeof w), len[i], ch->c[i].error);
	}
	if (!n) {
		if (ctx->server)
			finding(ch, TW_SEV_WARN, -1, "empty", "The server's Certificate message holds no certificate");
		else
			finding(ch, TW_SEV_WARN, -1, "empty",
			        "The client sent an empty Certificate message: it has no certificate the server accepts");
		return ch;
	}
	check_links(ch);
	for (size_t i = 0; i < n; i++) {
		if (!ch->c[i].x)
			continue;
		check_digest_and_key(ch, (int)i);
		check_times(ch, (int)i);
	}
	for (size_t i = 0; i < n; i++)
		if (ch->c[i].x && ch->c[i].in_path)
			check_signature(ch, (int)i);
	if (ch->c[0].x) {
		if (ch->server)
			check_host(ch, ctx);
		check_leaf(ch);
		if (!ch->server)
			check_client_cas(ch, ctx);
	}
	check_trust(ch);
	if (ctx->lookup)
		for (size_t i = 0; i < n; i++)
			if (ch->c[i].x)
				check_fetches(ch, (int)i, ctx);
	return ch;
}

void
x509_chain_free(struct tw_chain *ch)
{
	if (!ch)
		return;
	for (size_t i = 0; i < ch->n; i++)
		cert_free(&ch->c[i]);
	free(ch->c);
	free(ch->sni);
	strv_free(&ch->ca_names);
	free(ch->path_text);
	free(ch->trust_text);
	for (size_t i = 0; i < ch->nf; i++)
		free(ch->f[i].text);
	free(ch->f);
	free(ch);
}

/* ---- brief facts and URL users ---------------------------------------------------- */

bool
x509_brief(const uint8_t *der, size_t len, struct x509_brief *b)
{
	memset(b, 0, sizeof *b);
	const unsigned char *q = der;
	X509 *x = len ? d2i_X509(NULL, &q, (long)len) : NULL;
	if (!x) {
		ERR_clear_error();
		return false;
	}
	char *nm = cn_text(X509_get_subject_name(x));
	if (!nm)
		nm = name_text(X509_get_subject_name(x));
	snprintf(b->subject, sizeof b->subject, "%s", nm);
	free(nm);
	/* The serial's DER (tag, length, content): d2i_ASN1_INTEGER gives it back exactly. */
	unsigned char *enc = NULL;
	int sl = i2d_ASN1_INTEGER(X509_get0_serialNumber(x), &enc);
	if (sl > 0 && sl <= (int)sizeof b->serial) {
		memcpy(b->serial, enc, (size_t)sl);
		b->serial_len = (uint8_t)sl;
	}
	OPENSSL_free(enc);
	struct tw_cert tmp;
	memset(&tmp, 0, sizeof tmp);
	tmp.x = x;
	CRL_DIST_POINTS *cdp = X509_get_ext_d2i(x, NID_crl_distribution_points, NULL, NULL);
	if (cdp) {
		for (int i = 0; i < sk_DIST_POINT_num(cdp); i++) {
			const DIST_POINT *dp = sk_DIST_POINT_value(cdp, i);
			if (!dp->distpoint || dp->distpoint->type != 0)
				continue;
			for (int k = 0; k < sk_GENERAL_NAME_num(dp->distpoint->name.fullname); k++) {
				const GENERAL_NAME *gn = sk_GENERAL_NAME_value(dp->distpoint->name.fullname, k);
				if (gn->type == GEN_URI)
					add_url(&tmp, TW_URL_CDP, gn->d.uniformResourceIdentifier);
			}
		}
		CRL_DIST_POINTS_free(cdp);
	}
	AUTHORITY_INFO_ACCESS *aia = X509_get_ext_d2i(x, NID_info_access, NULL, NULL);
	if (aia) {
		for (int i = 0; i < sk_ACCESS_DESCRIPTION_num(aia); i++) {
			const ACCESS_DESCRIPTION *ad = sk_ACCESS_DESCRIPTION_value(aia, i);
			int m = OBJ_obj2nid(ad->method);
			if (ad->location->type == GEN_URI && (m == NID_ad_OCSP || m == NID_ad_ca_issuers))
				add_url(&tmp, m == NID_ad_OCSP ? TW_URL_OCSP : TW_URL_CA_ISSUERS,
				        ad->location->d.uniformResourceIdentifier);
		}
		AUTHORITY_INFO_ACCESS_free(aia);
	}
	for (size_t i = 0; i < tmp.nurls; i++) {
		if (b->nurls < ARRAY_SIZE(b->url)) {
			b->url[b->nurls] = tmp.urls[i].url;
			b->url_len[b->nurls] = tmp.urls[i].len;
			b->kind[b->nurls] = tmp.urls[i].kind;
			b->nurls++;
		} else {
			free(tmp.urls[i].url);
		}
		free(tmp.urls[i].shown);
	}
	free(tmp.urls);
	X509_free(x);
	ERR_clear_error();
	return true;
}

void
x509_brief_free(struct x509_brief *b)
{
	for (size_t i = 0; i < b->nurls; i++)
		free(b->url[i]);
	b->nurls = 0;
}

void
x509_url_users_tree(struct tw_tree *t, struct tw_node *parent, const struct x509_cert_ref *r, size_t n,
                    size_t total, const uint8_t *crl_der, size_t crl_len)
{
	if (!t || !parent || !n)
		return;
	X509_CRL *crl = NULL;
	if (crl_der && crl_len) {
		const unsigned char *q = crl_der;
		crl = d2i_X509_CRL(NULL, &q, (long)crl_len);
		ERR_clear_error();
	}
	for (size_t i = 0; i < n; i++) {
		struct tw_node *x = tree_add_gen(t, parent, &fields[F_URL_USER]);
		node_set_u(x, r[i].frame);
		node_label(t, x, "[This URL is the %s of %s certificate %u (%s) in frame %u]",
		           r[i].kind == TW_URL_CDP ? "CRL distribution point" :
		           r[i].kind == TW_URL_OCSP ? "OCSP responder" : "CA issuers location",
		           r[i].server ? "server" : "client", r[i].index, r[i].subject, r[i].frame);
		if (x && !x->label)
			x->label = "[This URL is named by a certificate of the trace]";
		if (crl && r[i].kind == TW_URL_CDP && r[i].serial_len) {
			const unsigned char *q = r[i].serial;
			ASN1_INTEGER *ai = d2i_ASN1_INTEGER(NULL, &q, r[i].serial_len);
			X509_REVOKED *rev = NULL;
			if (ai && X509_CRL_get0_by_serial(crl, &rev, ai) == 1) {
				BIGNUM *bn = ASN1_INTEGER_to_BN(ai, NULL);
				char *hex = bn ? BN_bn2hex(bn) : NULL;
				tree_expert(t, x, TW_SEV_ERROR, "This CRL revokes %s certificate %u (%s, serial 0x%s) sent in frame %u",
				            r[i].server ? "server" : "client", r[i].index, r[i].subject, hex ? hex : "?",
				            r[i].frame);
				OPENSSL_free(hex);
				BN_free(bn);
			}
			ASN1_INTEGER_free(ai);
			ERR_clear_error();
		}
	}
	if (total > n)
		tree_add_text(t, parent, NULL, 0, 0, "[... and %zu more certificates name this URL]", total - n);
	X509_CRL_free(crl);
}

/* ---- detail tree ---------------------------------------------------------------- */

static struct tw_node *
str_node(struct tw_tree *t, struct tw_node *parent, int f, const char *s)
{
	struct tw_node *n = tree_add_gen(t, parent, &fields[f]);
	node_set_bytes_copy(t, n, s, strlen(s));
	/* The value is stored escaped already; show it as is. */
	if (n && t->labels)
		n->label = arena_printf(t->arena, "%s: %s", fields[f].name, s);
	return n;
}

static const char *
sig_check_text(const struct tw_chain *ch, const struct tw_cert *c, char *buf, size_t cap)
{
	char w[256];
	switch (c->sig_check) {
	case TW_SIG_OK:
		if (c->issued_by == (int)(c - ch->c))
			snprintf(buf, cap, "verified with its own key (self-signed)");
		else
			snprintf(buf, cap, "verified with the key of %s", who(ch, c->issued_by, w, sizeof w));
		break;
	case TW_SIG_BAD: snprintf(buf, cap, "does not verify"); break;
	case TW_SIG_UNSUPPORTED: snprintf(buf, cap, "cannot verify: %s unsupported", c->sig_digest ? c->sig_digest : "digest"); break;
	case TW_SIG_NO_KEY: snprintf(buf, cap, "cannot verify: the issuer's key cannot be read"); break;
	default: snprintf(buf, cap, "not checked: the issuer was not sent"); break;
	}
	return buf;
}

/* Where extension e's DER lies in the certificate's bytes, for the node's range. */
static struct tw_node *
ext_node(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len, X509_EXTENSION *e)
{
	unsigned char *enc = NULL;
	int n = i2d_X509_EXTENSION(e, &enc);
	struct tw_node *x = NULL;
	if (n > 0 && at <= b->len && len <= b->len - at) {
		struct tw_buf v = *b;
		v.err = BUF_OK;
		v.off = at;
		struct tw_buf r = buf_sub(&v, len);
		long k = buf_find_mem(&r, enc, (size_t)n);
		if (k >= 0)
			x = tree_add(t, parent, &fields[F_EXTENSION], b, at + (size_t)k, (size_t)n);
	}
	OPENSSL_free(enc);
	ERR_clear_error();
	if (!x)
		x = tree_add_gen(t, parent, &fields[F_EXTENSION]);
	return x;
}

static void
extensions_tree(struct tw_tree *t, struct tw_node *facts, const struct tw_buf *b, size_t at, size_t len,
                const struct tw_cert *c)
{
	int next = X509_get_ext_count(c->x);
	if (next <= 0)
		return;
	struct tw_node *list = tree_add_gen(t, facts, &fields[F_EXTENSIONS]);
	node_set_u(list, (uint64_t)next);
	node_label(t, list, "extensions: %d item%s", next, next == 1 ? "" : "s");
	size_t url_i = 0;
	for (int i = 0; i < next; i++) {
		X509_EXTENSION *e = X509_get_ext(c->x, i);
		const ASN1_OBJECT *obj = X509_EXTENSION_get_object(e);
		int nid = OBJ_obj2nid(obj);
		bool crit = X509_EXTENSION_get_critical(e);
		char oid[128] = "";
		OBJ_obj2txt(oid, sizeof oid, obj, 1);
		const char *sn = nid != NID_undef ? OBJ_nid2sn(nid) : NULL;
		struct tw_node *x = ext_node(t, list, b, at, len, e);
		node_label(t, x, "Extension (%s)%s", sn ? sn : oid, crit ? " critical" : "");
		struct tw_node *id = tree_add_gen(t, x, &fields[F_EXT_ID]);
		node_set_bytes_copy(t, id, oid, strlen(oid));
		node_label(t, id, "Extension Id: %s%s%s%s", oid, sn ? " (" : "", sn ? sn : "", sn ? ")" : "");
		if (crit)
			node_set_u(tree_add_gen(t, x, &fields[F_CRITICAL]), 1);
		switch (nid) {
		case NID_basic_constraints:
			node_set_u(tree_add_gen(t, x, &fields[F_CA]), c->is_ca);
			if (c->pathlen >= 0)
				node_set_u(tree_add_gen(t, x, &fields[F_PATHLEN]), (uint64_t)c->pathlen);
			break;
		case NID_key_usage: {
			if (c->key_usage == UINT32_MAX)
				break;
			uint8_t kb[2] = { (uint8_t)(c->key_usage & 0xff), (uint8_t)((c->key_usage >> 8) & 0xff) };
			struct tw_node *k = tree_add_gen(t, x, &fields[F_KU]);
			node_set_bytes_copy(t, k, kb, kb[1] ? 2 : 1);
			node_label(t, k, "KeyUsage: %s", c->key_usage_text);
			for (size_t q = 0; q < ARRAY_SIZE(ku_bits); q++)
				node_set_u(tree_add_gen(t, k, &fields[ku_bits[q].field]), (c->key_usage & ku_bits[q].bit) != 0);
			break;
		}
		case NID_ext_key_usage:
			for (size_t q = 0; q < c->eku.n; q++) {
				/* "serverAuth (1.3.6.1.5.5.7.3.1)": the value is the OID */
				const char *s = c->eku.v[q];
				const char *lp = strrchr(s, '(');
				struct tw_node *k = tree_add_gen(t, x, &fields[F_KPID]);
				if (lp) {
					size_t l = strlen(lp + 1);
					node_set_bytes_copy(t, k, lp + 1, l ? l - 1 : 0);
				} else {
					node_set_bytes_copy(t, k, s, strlen(s));
				}
				node_label(t, k, "KeyPurposeId: %s", s);
			}
			break;
		case NID_subject_alt_name:
			/* DNS names are x509ce.dNSName in the decoded certificate (pkix.c). */
			for (size_t q = 0; q < c->san.n; q++) {
				const char *s = c->san.v[q];
				if (strncmp(s, "email:", 6) == 0)
					str_node(t, x, F_RFC822, s + 6);
				else if (strncmp(s, "URI:", 4) == 0)
					str_node(t, x, F_URI, s + 4);
				else
					str_node(t, x, F_SAN_DNS_OTHER, s);
			}
			break;
		case NID_crl_distribution_points:
		case NID_info_access:
			for (; url_i < c->nurls; url_i++) {
				const struct tw_cert_url *u = &c->urls[url_i];
				if ((nid == NID_crl_distribution_points) != (u->kind == TW_URL_CDP))
					break;
				if (u->kind != TW_URL_CDP) {
					const char *m = u->kind == TW_URL_OCSP ? "1.3.6.1.5.5.7.48.1" : "1.3.6.1.5.5.7.48.2";
					struct tw_node *am = tree_add_gen(t, x, &fields[F_ACCESS_METHOD]);
					node_set_bytes_copy(t, am, m, strlen(m));
					node_label(t, am, "accessMethod: %s (%s)", m, u->kind == TW_URL_OCSP ? "id-ad-ocsp" : "id-ad-caIssuers");
					str_node(t, am, F_URI, u->shown);
				} else {
					str_node(t, x, F_URI, u->shown);
				}
			}
			break;
		case NID_subject_key_identifier: {
			const ASN1_OCTET_STRING *o = X509_get0_subject_key_id(c->x);
			if (o)
				node_set_bytes_copy(t, tree_add_gen(t, x, &fields[F_SKI]), ASN1_STRING_get0_data(o),
				                    (size_t)ASN1_STRING_length(o));
			break;
		}
		case NID_authority_key_identifier: {
			const ASN1_OCTET_STRING *o = X509_get0_authority_key_id(c->x);
			if (o)
				node_set_bytes_copy(t, tree_add_gen(t, x, &fields[F_AKI]), ASN1_STRING_get0_data(o),
				                    (size_t)ASN1_STRING_length(o));
			break;
		}
		case NID_certificate_policies:
			for (size_t q = 0; q < c->policies.n; q++) {
				const char *s = c->policies.v[q];
				const char *sp = strchr(s, ' ');
				struct tw_node *p = tree_add_gen(t, x, &fields[F_POLICY]);
				node_set_bytes_copy(t, p, s, sp ? (size_t)(sp - s) : strlen(s));
				node_label(t, p, "policyIdentifier: %s", s);
			}
			break;
		default:
			tree_add_text(t, x, NULL, 0, 0, "[Extension not decoded by tracewb]");
			break;
		}
	}
}

static void
findings_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_chain *ch, int cert)
{
	for (size_t k = 0; k < ch->nf; k++) {
		const struct tw_cert_finding *f = &ch->f[k];
		if (f->cert != cert)
			continue;
		struct tw_node *e = tree_expert(t, parent, (enum tw_sev)f->sev, "%s", f->text);
		struct tw_node *code = tree_add_gen(t, e, &fields[F_FINDING]);
		node_set_bytes_copy(t, code, f->code, strlen(f->code));
		node_set_flags(code, TW_NF_HIDDEN);
	}
}

void
x509_cert_subtree(struct tw_tree *t, struct tw_node *cn, const struct tw_buf *b, size_t at, size_t len,
                  const struct tw_chain *ch, size_t i)
{
	if (!t || !cn || !ch || i >= ch->n)
		return;
	const struct tw_cert *c = &ch->c[i];
	findings_tree(t, cn, ch, (int)i);
	if (!c->x)
		return;
	x509_cert_tree(t, cn, b, at, len);
	struct tw_node *facts = tree_add(t, cn, &fields[F_FACTS], b, at, len);
	node_set_flags(facts, TW_NF_GENERATED);
	node_label(t, facts, "[Certificate %zu of %zu in the %s chain: %d error%s, %d warning%s, %d note%s]", i + 1,
	           ch->n, ch->server ? "server" : "client", c->errors, c->errors == 1 ? "" : "s", c->warnings,
	           c->warnings == 1 ? "" : "s", c->notes, c->notes == 1 ? "" : "s");
	if (c->subject)
		str_node(t, facts, F_SUBJECT_DN, c->subject);
	if (c->issuer)
		str_node(t, facts, F_ISSUER_DN, c->issuer);
	struct tw_node *n = str_node(t, facts, F_SIGALG, c->sig_name);
	node_label(t, n, "Signature Algorithm: %s (%s)", c->sig_name, c->sig_oid);
	n = str_node(t, n, F_SIGALG_OID, c->sig_oid);
	if (c->sig_digest)
		str_node(t, facts, F_SIG_DIGEST, c->sig_digest);
	char buf[300];
	str_node(t, facts, F_SIG_CHECK, sig_check_text(ch, c, buf, sizeof buf));
	n = str_node(t, facts, F_KEY_TYPE, c->key_type);
	if (c->key_bits)
		node_label(t, n, "Public Key: %s %d bits%s%s", c->key_type, c->key_bits, c->key_curve ? ", " : "",
		           c->key_curve ? c->key_curve : "");
	else
		node_label(t, n, "Public Key: %s", c->key_type);
	if (c->key_bits)
		node_set_u(tree_add_gen(t, n, &fields[F_KEY_BITS]), (uint64_t)c->key_bits);
	if (c->key_curve)
		str_node(t, n, F_KEY_CURVE, c->key_curve);
	if (c->have_validity) {
		struct tw_sb sb;
		sb_heap(&sb);
		fmt_time(&sb, c->not_before);
		sb_adds(&sb, " to ");
		fmt_time(&sb, c->not_after);
		n = str_node(t, facts, F_VALIDITY, sb.s);
		bool valid = ch->when >= c->not_before && ch->when <= c->not_after;
		struct tw_node *v = tree_add_gen(t, n, &fields[F_VALID_NOW]);
		node_set_u(v, valid);
		sb_reset(&sb);
		fmt_time(&sb, ch->when);
		node_label(t, v, "Valid at the capture time (%s): %s", sb.s, valid ? "True" : "False");
		node_set_u(tree_add_gen(t, n, &fields[F_EXPIRED]), ch->when > c->not_after);
		sb_free(&sb);
	}
	node_set_u(tree_add_gen(t, facts, &fields[F_SELF_SIGNED]), c->self_issued);
	extensions_tree(t, facts, b, at, len, c);
	n = tree_add_gen(t, facts, &fields[F_SHA1]);
	node_set_bytes_copy(t, n, c->sha1_raw, sizeof c->sha1_raw);
	node_label(t, n, "SHA-1 Fingerprint: %s", c->sha1);
	n = tree_add_gen(t, facts, &fields[F_SHA256]);
	node_set_bytes_copy(t, n, c->sha256_raw, sizeof c->sha256_raw);
	node_label(t, n, "SHA-256 Fingerprint: %s", c->sha256);
	for (size_t k = 0; k < c->nfetch; k++) {
		n = str_node(t, facts, F_REVOCATION, c->fetch[k].text);
		node_label(t, n, "[%s]", c->fetch[k].text);
		uint32_t fr = c->fetch[k].res_frame ? c->fetch[k].res_frame : c->fetch[k].req_frame;
		if (fr && !c->fetch[k].source)
			node_set_u(tree_add_gen(t, n, &fields[F_FETCH_FRAME]), fr);
	}
}

void
x509_chain_subtree(struct tw_tree *t, struct tw_node *list, const struct tw_chain *ch)
{
	if (!t || !list || !ch)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_addf(&sb, "%s chain of %zu certificate%s", ch->server ? "server" : "client", ch->n, ch->n == 1 ? "" : "s");
	if (ch->errors || ch->warnings || ch->notes)
		sb_addf(&sb, ": %d error%s, %d warning%s, %d note%s", ch->errors, ch->errors == 1 ? "" : "s", ch->warnings,
		        ch->warnings == 1 ? "" : "s", ch->notes, ch->notes == 1 ? "" : "s");
	else
		sb_adds(&sb, ": no findings");
	struct tw_node *n = str_node(t, list, F_CHAIN, sb.s);
	node_label(t, n, "[Certificate chain: %s]", sb.s);
	sb_free(&sb);
	node_set_u(tree_add_gen(t, n, &fields[F_CHAIN_ERRORS]), (uint64_t)ch->errors);
	if (ch->path_text)
		tree_add_text(t, n, NULL, 0, 0, "[%s]", ch->path_text);
	if (ch->trust_text) {
		struct tw_node *v = str_node(t, n, F_VERIFY, ch->trust_text);
		node_label(t, v, "[%s]", ch->trust_text);
	}
	findings_tree(t, list, ch, -1);
}
