/*
 * pkix.c - X.509 certificates, CRLs and OCSP messages as detail trees
 * (see pkix.h). OpenSSL parses the DER; this file only walks the decoded
 * objects and finds where each element's encoding lies in the input so the
 * tree can highlight its bytes.
 *
 * Field names are Wireshark's (x509af, x509ce, ocsp). Where Wireshark's
 * field is an ASN.1 CHOICE index (x509af.issuer "rdnSequence (0)",
 * x509af.thisUpdate "utcTime (0)"), tracewb stores what a reader wants
 * instead: the distinguished name in RFC 2253 form, the time as FT_ABSTIME
 * (with Wireshark's x509af.utcTime text as a child).
 */
#include "core/dissect/pkix.h"

#include "core/field.h"
#include "core/str.h"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ocsp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

enum {
	F_SIGNED_CERT_LIST,
	F_VERSION,
	F_SIGNATURE,
	F_ALG_ID,
	F_ALGORITHM,
	F_ISSUER,
	F_SUBJECT,
	F_THIS_UPDATE,
	F_NEXT_UPDATE,
	F_UTCTIME,
	F_GENTIME,
	F_REVOKED,
	F_REVOKED_ITEM,
	F_USER_CERT,
	F_REVOCATION_DATE,
	F_CRL_REASON,
	F_CRL_NUMBER,
	F_ALG_IDENTIFIER,
	F_ENCRYPTED,
	F_CERTIFICATE,
	F_SIGNED_CERT,
	F_SERIAL,
	F_VALIDITY,
	F_NOT_BEFORE,
	F_NOT_AFTER,
	F_SPKI,
	F_SUBJECT_PUBKEY,
	F_DNSNAME,
	F_OCSP,
	F_O_TBS_REQUEST,
	F_O_REQUEST_LIST,
	F_O_REQUEST,
	F_O_REQ_CERT,
	F_O_HASH_ALG,
	F_O_NAME_HASH,
	F_O_KEY_HASH,
	F_O_SERIAL,
	F_O_RESP_STATUS,
	F_O_RESP_BYTES,
	F_O_RESP_TYPE,
	F_O_BASIC,
	F_O_TBS_RESP,
	F_O_RESPONDER,
	F_O_BY_NAME,
	F_O_BY_KEY,
	F_O_PRODUCED_AT,
	F_O_RESPONSES,
	F_O_SINGLE,
	F_O_CERT_ID,
	F_O_CERT_STATUS,
	F_O_REVOKED,
	F_O_REVOCATION_TIME,
	F_O_REVOCATION_REASON,
	F_O_THIS_UPDATE,
	F_O_NEXT_UPDATE,
	F_O_SIG_ALG,
	F_O_SIGNATURE,
	F_O_CERTS,
	F_O_CERTIFICATE,
	F_ATTR_ID,
	F_PRINTABLE,
	F_UTF8,
	F_COUNTRY,
	F_IA5,
	F_TELETEX,
	F_BMP,
	F_UNIVERSAL,
	F_COUNT
};

static const struct tw_valstr version_vals[] = { { 0, "v1" }, { 1, "v2" }, { 2, "v3" }, { 0, NULL } };

static const struct tw_valstr crl_reason_vals[] = {
	{ 0, "unspecified" },
	{ 1, "keyCompromise" },
	{ 2, "cACompromise" },
	{ 3, "affiliationChanged" },
	{ 4, "superseded" },
	{ 5, "cessationOfOperation" },
	{ 6, "certificateHold" },
	{ 8, "removeFromCRL" },
	{ 9, "privilegeWithdrawn" },
	{ 10, "aaCompromise" },
	{ 0, NULL },
};

static const struct tw_valstr resp_status_vals[] = {
	{ 0, "successful" },
	{ 1, "malformedRequest" },
	{ 2, "internalError" },
	{ 3, "tryLater" },
	{ 5, "sigRequired" },
	{ 6, "unauthorized" },
	{ 0, NULL },
};

static const struct tw_valstr responder_vals[] = { { 1, "byName" }, { 2, "byKey" }, { 0, NULL } };
static const struct tw_valstr cert_status_vals[] = { { 0, "good" }, { 1, "revoked" }, { 2, "unknown" }, { 0, NULL } };

static const struct tw_field fields[F_COUNT] = {
	[F_SIGNED_CERT_LIST] = { "x509af.signedCertificateList_element", "signedCertificateList", FT_NONE, BASE_NONE, 0, NULL },
	[F_VERSION] = { "x509af.version", "version", FT_U32, BASE_DEC, 0, version_vals },
	[F_SIGNATURE] = { "x509af.signature_element", "signature", FT_NONE, BASE_NONE, 0, NULL },
	[F_ALG_ID] = { "x509af.algorithm.id", "Algorithm Id", FT_STRING, BASE_NONE, 0, NULL },
	[F_ALGORITHM] = { "x509af.algorithm_element", "algorithm", FT_NONE, BASE_NONE, 0, NULL },
	[F_ISSUER] = { "x509af.issuer", "issuer", FT_STRING, BASE_NONE, 0, NULL },
	[F_SUBJECT] = { "x509af.subject", "subject", FT_STRING, BASE_NONE, 0, NULL },
	[F_THIS_UPDATE] = { "x509af.thisUpdate", "thisUpdate", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_NEXT_UPDATE] = { "x509af.nextUpdate", "nextUpdate", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_UTCTIME] = { "x509af.utcTime", "utcTime", FT_STRING, BASE_NONE, 0, NULL },
	[F_GENTIME] = { "x509af.generalizedTime", "generalizedTime", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_REVOKED] = { "x509af.revokedCertificates", "revokedCertificates", FT_U32, BASE_DEC, 0, NULL },
	[F_REVOKED_ITEM] = { "x509af.revokedCertificates_item_element", "revokedCertificates item", FT_NONE, BASE_NONE, 0, NULL },
	[F_USER_CERT] = { "x509af.userCertificate", "userCertificate", FT_BYTES, BASE_NONE, 0, NULL },
	[F_REVOCATION_DATE] = { "x509af.revocationDate", "revocationDate", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_CRL_REASON] = { "x509ce.CRLReason", "CRLReason", FT_U32, BASE_DEC, 0, crl_reason_vals },
	[F_CRL_NUMBER] = { "x509ce.CRLNumber", "CRLNumber", FT_U64, BASE_DEC, 0, NULL },
	[F_ALG_IDENTIFIER] = { "x509af.algorithmIdentifier_element", "algorithmIdentifier", FT_NONE, BASE_NONE, 0, NULL },
	[F_ENCRYPTED] = { "x509af.encrypted", "encrypted", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CERTIFICATE] = { "x509af.Certificate_element", "Certificate", FT_NONE, BASE_NONE, 0, NULL },
	[F_SIGNED_CERT] = { "x509af.signedCertificate_element", "signedCertificate", FT_NONE, BASE_NONE, 0, NULL },
	[F_SERIAL] = { "x509af.serialNumber", "serialNumber", FT_BYTES, BASE_NONE, 0, NULL },
	[F_VALIDITY] = { "x509af.validity_element", "validity", FT_NONE, BASE_NONE, 0, NULL },
	[F_NOT_BEFORE] = { "x509af.notBefore", "notBefore", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_NOT_AFTER] = { "x509af.notAfter", "notAfter", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_SPKI] = { "x509af.subjectPublicKeyInfo_element", "subjectPublicKeyInfo", FT_NONE, BASE_NONE, 0, NULL },
	[F_SUBJECT_PUBKEY] = { "x509af.subjectPublicKey", "subjectPublicKey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_DNSNAME] = { "x509ce.dNSName", "dNSName", FT_STRING, BASE_NONE, 0, NULL },
	/* the attributes of a name, hidden under it (for filters and -e, as Wireshark names them) */
	[F_ATTR_ID] = { "x509if.oid", "Object Id", FT_STRING, BASE_NONE, 0, NULL },
	[F_PRINTABLE] = { "x509sat.printableString", "printableString", FT_STRING, BASE_NONE, 0, NULL },
	[F_UTF8] = { "x509sat.uTF8String", "uTF8String", FT_STRING, BASE_NONE, 0, NULL },
	[F_COUNTRY] = { "x509sat.CountryName", "CountryName", FT_STRING, BASE_NONE, 0, NULL },
	[F_IA5] = { "x509sat.IA5String", "IA5String", FT_STRING, BASE_NONE, 0, NULL },
	[F_TELETEX] = { "x509sat.teletexString", "teletexString", FT_STRING, BASE_NONE, 0, NULL },
	[F_BMP] = { "x509sat.bmpString", "bmpString", FT_STRING, BASE_NONE, 0, NULL },
	[F_UNIVERSAL] = { "x509sat.universalString", "universalString", FT_STRING, BASE_NONE, 0, NULL },
	[F_OCSP] = { "ocsp", "Online Certificate Status Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_O_TBS_REQUEST] = { "ocsp.tbsRequest_element", "tbsRequest", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_REQUEST_LIST] = { "ocsp.requestList", "requestList", FT_U32, BASE_DEC, 0, NULL },
	[F_O_REQUEST] = { "ocsp.Request_element", "Request", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_REQ_CERT] = { "ocsp.reqCert_element", "reqCert", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_HASH_ALG] = { "ocsp.hashAlgorithm_element", "hashAlgorithm", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_NAME_HASH] = { "ocsp.issuerNameHash", "issuerNameHash", FT_BYTES, BASE_NONE, 0, NULL },
	[F_O_KEY_HASH] = { "ocsp.issuerKeyHash", "issuerKeyHash", FT_BYTES, BASE_NONE, 0, NULL },
	[F_O_SERIAL] = { "ocsp.serialNumber", "serialNumber", FT_BYTES, BASE_NONE, 0, NULL },
	[F_O_RESP_STATUS] = { "ocsp.responseStatus", "responseStatus", FT_U32, BASE_DEC, 0, resp_status_vals },
	[F_O_RESP_BYTES] = { "ocsp.responseBytes_element", "responseBytes", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_RESP_TYPE] = { "ocsp.responseType.id", "ResponseType Id", FT_STRING, BASE_NONE, 0, NULL },
	[F_O_BASIC] = { "ocsp.BasicOCSPResponse_element", "BasicOCSPResponse", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_TBS_RESP] = { "ocsp.tbsResponseData_element", "tbsResponseData", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_RESPONDER] = { "ocsp.responderID", "responderID", FT_U32, BASE_DEC, 0, responder_vals },
	[F_O_BY_NAME] = { "ocsp.byName", "byName", FT_STRING, BASE_NONE, 0, NULL },
	[F_O_BY_KEY] = { "ocsp.byKey", "byKey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_O_PRODUCED_AT] = { "ocsp.producedAt", "producedAt", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_O_RESPONSES] = { "ocsp.responses", "responses", FT_U32, BASE_DEC, 0, NULL },
	[F_O_SINGLE] = { "ocsp.SingleResponse_element", "SingleResponse", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_CERT_ID] = { "ocsp.certID_element", "certID", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_CERT_STATUS] = { "ocsp.certStatus", "certStatus", FT_U32, BASE_DEC, 0, cert_status_vals },
	[F_O_REVOKED] = { "ocsp.revoked_element", "revoked", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_REVOCATION_TIME] = { "ocsp.revocationTime", "revocationTime", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_O_REVOCATION_REASON] = { "ocsp.revocationReason", "revocationReason", FT_U32, BASE_DEC, 0, crl_reason_vals },
	[F_O_THIS_UPDATE] = { "ocsp.thisUpdate", "thisUpdate", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_O_NEXT_UPDATE] = { "ocsp.nextUpdate", "nextUpdate", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_O_SIG_ALG] = { "ocsp.signatureAlgorithm_element", "signatureAlgorithm", FT_NONE, BASE_NONE, 0, NULL },
	[F_O_SIGNATURE] = { "ocsp.signature", "signature", FT_BYTES, BASE_NONE, 0, NULL },
	[F_O_CERTS] = { "ocsp.certs", "certs", FT_U32, BASE_DEC, 0, NULL },
	[F_O_CERTIFICATE] = { "ocsp.Certificate_element", "Certificate", FT_NONE, BASE_NONE, 0, NULL },
};
const struct tw_field_table pkix_field_table = { fields, F_COUNT };

/* ---- the DER region and finding elements in it ------------------------ */

struct der {
	struct tw_tree *t;  /* NULL: parse only */
	struct tw_buf r;    /* the DER bytes (keeps the data source and offset) */
	size_t len;         /* bytes present */
};

/* Where an element's encoding lies in the region (off, len), hdr = tag+length bytes. */
struct rng {
	size_t off, len, hdr;
	bool ok;
};

static void
der_init(struct der *d, struct tw_tree *t, const struct tw_buf *b, size_t at, size_t len)
{
	struct tw_buf v = *b;
	d->t = t;
	if (at > v.len) {
		at = v.len;
		len = 0;
	}
	v.off = at;
	if (len > v.len - at)
		len = v.len - at; /* only what is present */
	v.err = BUF_OK;
	d->r = buf_sub(&v, len);
	d->len = buf_left(&d->r);
}

/* The first occurrence of enc[0..n) at or after `from`. */
static struct rng
der_find(const struct der *d, size_t from, const unsigned char *enc, int n)
{
	struct rng r = { 0, 0, 0, false };
	if (!enc || n <= 0 || from > d->len)
		return r;
	struct tw_buf v = d->r;
	v.off = from;
	long i = buf_find_mem(&v, enc, (size_t)n);
	if (i < 0)
		return r;
	r.off = from + (size_t)i;
	r.len = (size_t)n;
	r.ok = true;
	/* Header length of our own encoding, read by OpenSSL. */
	const unsigned char *q = enc;
	long cl;
	int tag, cls;
	int rc = ASN1_get_object(&q, &cl, &tag, &cls, n);
	if (!(rc & 0x80) && q > enc && (size_t)(q - enc) <= r.len)
		r.hdr = (size_t)(q - enc);
	return r;
}

/* Encode obj with an i2d function and find it (the encoding is freed). */
#define I2D_FIND(d, from, fn, obj, out)                                         \
	do {                                                                    \
		unsigned char *e_ = NULL;                                       \
		int n_ = (obj) ? fn((obj), &e_) : -1;                           \
		(out) = der_find((d), (from), e_, n_);                          \
		OPENSSL_free(e_);                                               \
	} while (0)

/* Node for field f over r (its content only if `content`); parent's range if r is unknown. */
static struct tw_node *
dnode(const struct der *d, struct tw_node *parent, const struct tw_field *f, const struct rng *r, bool content)
{
	if (!d->t || !parent)
		return NULL;
	if (r && r->ok) {
		size_t o = r->off, l = r->len;
		if (content && r->hdr <= l) {
			o += r->hdr;
			l -= r->hdr;
		}
		return tree_add(d->t, parent, f, &d->r, o, l);
	}
	struct tw_node *n = tree_add(d->t, parent, f, &d->r, 0, 0);
	if (n && n->src == parent->src) {
		n->off = parent->off;
		n->len = parent->len;
	}
	return n;
}

static size_t
rng_end(const struct rng *r, size_t dflt)
{
	return r->ok ? r->off + r->len : dflt;
}

/* Label "prefix<escaped s>suffix", at most 300 characters of s. */
static void
label_esc(struct tw_tree *t, struct tw_node *n, const char *prefix, const void *s, size_t len, const char *suffix)
{
	if (!t || !n || !t->labels)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_adds(&sb, prefix);
	size_t show = len > 300 ? 300 : len;
	sb_add_escaped(&sb, s, show);
	if (show < len)
		sb_adds(&sb, "\xe2\x80\xa6");
	sb_adds(&sb, suffix);
	n->label = arena_strndup(t->arena, sb.s, sb.len);
	sb_free(&sb);
}

/* "name: 0x1001" for a serial number or hash. */
static void
label_hex(struct tw_tree *t, struct tw_node *n, const char *name, bool ox, const uint8_t *p, size_t len)
{
	if (!t || !n || !t->labels)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_addf(&sb, "%s: %s", name, ox ? "0x" : "");
	sb_add_hex(&sb, p, len > 64 ? 64 : len, 0);
	if (len > 64)
		sb_adds(&sb, "\xe2\x80\xa6");
	n->label = arena_strndup(t->arena, sb.s, sb.len);
	sb_free(&sb);
}

/* The reason of the first OpenSSL error ("asn1 encoding routines: wrong tag"), then clear. */
static void
ossl_reason(char *buf, size_t cap)
{
	unsigned long e = ERR_peek_error();
	const char *lib = e ? ERR_lib_error_string(e) : NULL;
	const char *why = e ? ERR_reason_error_string(e) : NULL;
	if (why && lib)
		snprintf(buf, cap, "%s: %s", lib, why);
	else if (why)
		snprintf(buf, cap, "%s", why);
	else if (e)
		snprintf(buf, cap, "OpenSSL error 0x%lx", e);
	else
		snprintf(buf, cap, "not a valid DER encoding");
	ERR_clear_error();
}

static void
malformed(const struct der *d, struct tw_node *top, const char *what)
{
	char why[256];
	ossl_reason(why, sizeof why);
	if (!d->t || !top)
		return;
	top->flags |= TW_NF_MALFORMED;
	tree_expert(d->t, top, TW_SEV_ERROR, "[Malformed %s: %s]", what, why);
}

/* Bytes left after the DER object that ended at `used`. */
static void
trailing(const struct der *d, struct tw_node *top, size_t used, const char *what)
{
	if (used < d->len && d->t && top)
		tree_expert(d->t, top, TW_SEV_WARN, "%zu byte%s after the end of the %s", d->len - used,
		            d->len - used == 1 ? "" : "s", what);
}

/* ---- values ----------------------------------------------------------- */

static void
oid_text(const ASN1_OBJECT *obj, char *oid, size_t ocap, const char **name)
{
	oid[0] = '\0';
	if (obj)
		OBJ_obj2txt(oid, (int)ocap, obj, 1);
	int nid = obj ? OBJ_obj2nid(obj) : NID_undef;
	const char *ln = nid != NID_undef ? OBJ_nid2ln(nid) : NULL;
	*name = ln ? ln : oid;
}

/* Algorithm Id node (x509af.algorithm.id) for obj, searched from `from`. */
static void
oid_node(const struct der *d, struct tw_node *parent, const ASN1_OBJECT *obj, size_t from)
{
	char oid[128];
	const char *name;
	oid_text(obj, oid, sizeof oid, &name);
	struct rng r;
	I2D_FIND(d, from, i2d_ASN1_OBJECT, obj, r);
	struct tw_node *n = dnode(d, parent, &fields[F_ALG_ID], &r, true);
	node_set_bytes_copy(d->t, n, oid, strlen(oid));
	node_label(d->t, n, "Algorithm Id: %s (%s)", oid, name);
}

/* An AlgorithmIdentifier element ("signature (sha256WithRSAEncryption)"); returns where it ends. */
static size_t
alg_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const X509_ALGOR *alg,
         size_t from)
{
	const ASN1_OBJECT *obj = NULL;
	if (alg)
		X509_ALGOR_get0(&obj, NULL, NULL, alg);
	char oid[128];
	const char *name;
	oid_text(obj, oid, sizeof oid, &name);
	struct rng r;
	I2D_FIND(d, from, i2d_X509_ALGOR, alg, r);
	struct tw_node *e = dnode(d, parent, f, &r, false);
	node_label(d->t, e, "%s (%s)", f->name, name);
	oid_node(d, e, obj, r.ok ? r.off : from);
	return rng_end(&r, from);
}

/* The name in RFC 2253 form (UTF-8 kept; escaped later for display). */
static size_t
name_text(const X509_NAME *nm, char *out, size_t cap)
{
	out[0] = '\0';
	BIO *bio = BIO_new(BIO_s_mem());
	if (!bio || !nm) {
		BIO_free(bio);
		return 0;
	}
	X509_NAME_print_ex(bio, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *data = NULL;
	long n = BIO_get_mem_data(bio, &data);
	size_t k = n > 0 ? (size_t)n : 0;
	if (k >= cap)
		k = cap - 1;
	if (k)
		memcpy(out, data, k);
	out[k] = '\0';
	BIO_free(bio);
	return k;
}

/* Each attribute of the name: its type (x509if.oid) and value (x509sat.*), as hidden nodes. */
static void
name_attrs_t(struct tw_tree *t, struct tw_node *n, const X509_NAME *nm)
{
	int cnt = X509_NAME_entry_count(nm);
	for (int i = 0; i < cnt && i < 64; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(nm, i);
		const ASN1_OBJECT *o = e ? X509_NAME_ENTRY_get_object(e) : NULL;
		const ASN1_STRING *v = e ? X509_NAME_ENTRY_get_data(e) : NULL;
		if (!o || !v)
			continue;
		char oid[128];
		int ol = OBJ_obj2txt(oid, sizeof oid, o, 1);
		if (ol > 0 && (size_t)ol < sizeof oid) {
			struct tw_node *x = tree_add_gen(t, n, &fields[F_ATTR_ID]);
			node_set_bytes_copy(t, x, oid, (size_t)ol);
			node_set_flags(x, TW_NF_HIDDEN);
		}
		int f;
		if (OBJ_obj2nid(o) == NID_countryName)
			f = F_COUNTRY;
		else
			switch (ASN1_STRING_type(v)) {
			case V_ASN1_PRINTABLESTRING: f = F_PRINTABLE; break;
			case V_ASN1_UTF8STRING: f = F_UTF8; break;
			case V_ASN1_IA5STRING: f = F_IA5; break;
			case V_ASN1_T61STRING: f = F_TELETEX; break;
			case V_ASN1_BMPSTRING: f = F_BMP; break;
			case V_ASN1_UNIVERSALSTRING: f = F_UNIVERSAL; break;
			default: continue;
			}
		unsigned char *u8 = NULL;
		int ul = ASN1_STRING_to_UTF8(&u8, v);
		if (ul >= 0) {
			struct tw_node *x = tree_add_gen(t, n, &fields[f]);
			node_set_bytes_copy(t, x, (const char *)u8, (size_t)ul);
			node_set_flags(x, TW_NF_HIDDEN);
		} else {
			ERR_clear_error();
		}
		OPENSSL_free(u8);
	}
}

static void
name_attrs(const struct der *d, struct tw_node *n, const X509_NAME *nm)
{
	name_attrs_t(d->t, n, nm);
}

void
x509_name_attrs_tree(struct tw_tree *t, struct tw_node *n, const uint8_t *der, size_t len)
{
	if (!t || !n || !der || len > LONG_MAX)
		return;
	const unsigned char *q = der;
	X509_NAME *nm = d2i_X509_NAME(NULL, &q, (long)len);
	if (!nm) {
		ERR_clear_error();
		return;
	}
	name_attrs_t(t, n, nm);
	X509_NAME_free(nm);
}

static size_t
name_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const X509_NAME *nm,
          size_t from)
{
	struct rng r;
	I2D_FIND(d, from, i2d_X509_NAME, nm, r);
	struct tw_node *n = dnode(d, parent, f, &r, false);
	if (n) {
		char text[2048];
		size_t k = name_text(nm, text, sizeof text);
		node_set_bytes_copy(d->t, n, text, k);
		name_attrs(d, n, nm);
	}
	return rng_end(&r, from);
}

/* ASN1 time as ns since the epoch; false if OpenSSL cannot read it or it is out of range. */
static bool
time_ns(const ASN1_TIME *tm, int64_t *ns, struct tm *out)
{
	struct tm x;
	memset(&x, 0, sizeof x);
	if (!tm || !ASN1_TIME_to_tm(tm, &x)) {
		ERR_clear_error();
		return false;
	}
	*out = x;
	time_t s = timegm(&x);
	if ((int64_t)s > INT64_MAX / TW_NS_PER_SEC || (int64_t)s < INT64_MIN / TW_NS_PER_SEC)
		return false;
	*ns = (int64_t)s * TW_NS_PER_SEC;
	return true;
}

/* A time node (FT_ABSTIME) with Wireshark's utcTime / generalizedTime child. */
static size_t
time_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const ASN1_TIME *tm,
          size_t from, bool choice_child)
{
	struct rng r;
	I2D_FIND(d, from, i2d_ASN1_TIME, tm, r);
	struct tw_node *n = dnode(d, parent, f, &r, !choice_child);
	int64_t ns;
	struct tm x;
	if (time_ns(tm, &ns, &x)) {
		node_set_i(n, ns);
		if (choice_child && n) {
			if (ASN1_STRING_type(tm) == V_ASN1_UTCTIME) {
				char s[64];
				int k = snprintf(s, sizeof s, "%04d-%02d-%02d %02d:%02d:%02d (UTC)", x.tm_year + 1900,
				                 x.tm_mon + 1, x.tm_mday, x.tm_hour, x.tm_min, x.tm_sec);
				struct tw_node *u = dnode(d, n, &fields[F_UTCTIME], &r, true);
				node_set_bytes_copy(d->t, u, s, (size_t)k);
			} else {
				node_set_i(dnode(d, n, &fields[F_GENTIME], &r, true), ns);
			}
		}
	} else if (n) {
		node_label(d->t, n, "%s: (invalid or out-of-range time)", f->name);
		tree_expert(d->t, n, TW_SEV_WARN, "%s cannot be read as a time", f->name);
	}
	return rng_end(&r, from);
}

/* An INTEGER's content bytes (serial numbers): "serialNumber: 0x1001". */
static size_t
serial_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const ASN1_INTEGER *ai,
            size_t from)
{
	struct rng r;
	I2D_FIND(d, from, i2d_ASN1_INTEGER, ai, r);
	struct tw_node *n = dnode(d, parent, f, &r, true);
	if (n && r.ok) {
		const uint8_t *p = d->r.p + r.off + r.hdr;
		node_set_bytes(n, p, r.len - r.hdr);
		label_hex(d->t, n, f->name, true, p, r.len - r.hdr);
	} else if (n && ai) {
		int len = ASN1_STRING_length(ai);
		const uint8_t *p = ASN1_STRING_get0_data(ai);
		node_set_bytes_copy(d->t, n, p, len > 0 ? (size_t)len : 0);
		label_hex(d->t, n, f->name, true, p, len > 0 ? (size_t)len : 0);
	}
	return rng_end(&r, from);
}

/* Raw bytes found verbatim in the DER (hashes, keys, signatures). */
static size_t
bytes_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const uint8_t *p, int len,
           size_t from, bool ox)
{
	struct rng r = der_find(d, from, p, len);
	struct tw_node *n = dnode(d, parent, f, &r, false);
	if (n) {
		size_t k = len > 0 ? (size_t)len : 0;
		if (r.ok)
			node_set_bytes(n, d->r.p + r.off, k);
		else
			node_set_bytes_copy(d->t, n, p, k);
		label_hex(d->t, n, f->name, ox, p, k);
	}
	return rng_end(&r, from);
}

static size_t
bitstring_node(const struct der *d, struct tw_node *parent, const struct tw_field *f, const ASN1_BIT_STRING *bs,
               size_t from)
{
	if (!bs)
		return from;
	return bytes_node(d, parent, f, ASN1_STRING_get0_data(bs), ASN1_STRING_length(bs), from, false);
}

static void
count_node(const struct der *d, struct tw_node *n, uint32_t count)
{
	node_set_u(n, count);
	node_label(d->t, n, "%s: %u item%s", n ? n->f->name : "", count, count == 1 ? "" : "s");
}

/* ---- certificate ------------------------------------------------------ */

static size_t
cert_tree(const struct der *d, struct tw_node *parent, const struct tw_field *top_f, X509 *x, size_t from)
{
	struct rng r;
	I2D_FIND(d, from, i2d_X509, x, r);
	struct tw_node *top = dnode(d, parent, top_f, &r, false);
	size_t pos = r.ok ? r.off : from;
	char subj[2048];
	size_t sl = name_text(X509_get_subject_name(x), subj, sizeof subj);
	label_esc(d->t, top, "Certificate (", subj, sl, ")");
	if (!d->t)
		return rng_end(&r, from);

	struct tw_node *tbs = dnode(d, top, &fields[F_SIGNED_CERT], &r, false);
	long ver = X509_get_version(x);
	struct tw_node *n = dnode(d, tbs, &fields[F_VERSION], NULL, false);
	node_set_u(n, ver >= 0 && ver <= 0xffff ? (uint64_t)ver : 0);
	pos = serial_node(d, tbs, &fields[F_SERIAL], X509_get0_serialNumber(x), pos);
	pos = alg_node(d, tbs, &fields[F_SIGNATURE], X509_get0_tbs_sigalg(x), pos);
	pos = name_node(d, tbs, &fields[F_ISSUER], X509_get_issuer_name(x), pos);
	struct tw_node *val = dnode(d, tbs, &fields[F_VALIDITY], NULL, false);
	size_t vstart = pos;
	pos = time_node(d, val, &fields[F_NOT_BEFORE], X509_get0_notBefore(x), pos, true);
	pos = time_node(d, val, &fields[F_NOT_AFTER], X509_get0_notAfter(x), pos, true);
	if (val && pos > vstart && val->src == d->r.src) {
		val->off = (uint32_t)(d->r.abs + vstart);
		val->len = (uint32_t)(pos - vstart);
	}
	pos = name_node(d, tbs, &fields[F_SUBJECT], X509_get_subject_name(x), pos);

	X509_PUBKEY *pub = X509_get_X509_PUBKEY(x);
	ASN1_OBJECT *kalg = NULL;
	const unsigned char *pk = NULL;
	int pklen = 0;
	X509_ALGOR *pa = NULL;
	if (pub && X509_PUBKEY_get0_param(&kalg, &pk, &pklen, &pa, pub)) {
		struct rng rk;
		I2D_FIND(d, pos, i2d_X509_PUBKEY, pub, rk);
		struct tw_node *spki = dnode(d, tbs, &fields[F_SPKI], &rk, false);
		size_t kpos = alg_node(d, spki, &fields[F_ALGORITHM], pa, rk.ok ? rk.off : pos);
		bytes_node(d, spki, &fields[F_SUBJECT_PUBKEY], pk, pklen, kpos, false);
		pos = rng_end(&rk, pos);
	}
	ERR_clear_error();

	GENERAL_NAMES *sans = X509_get_ext_d2i(x, NID_subject_alt_name, NULL, NULL);
	if (sans) {
		int k = sk_GENERAL_NAME_num(sans);
		for (int i = 0; i < k && i < PKIX_MAX_ITEMS; i++) {
			const GENERAL_NAME *gn = sk_GENERAL_NAME_value(sans, i);
			if (gn->type != GEN_DNS)
				continue;
			const ASN1_IA5STRING *s = gn->d.dNSName;
			struct rng rs;
			I2D_FIND(d, pos, i2d_ASN1_IA5STRING, s, rs);
			struct tw_node *dn = dnode(d, tbs, &fields[F_DNSNAME], &rs, true);
			int len = ASN1_STRING_length(s);
			node_set_bytes_copy(d->t, dn, ASN1_STRING_get0_data(s), len > 0 ? (size_t)len : 0);
		}
		GENERAL_NAMES_free(sans);
	}
	ERR_clear_error();

	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *salg = NULL;
	X509_get0_signature(&sig, &salg, x);
	/* The outer algorithm repeats the inner one: search after the TBS part. */
	size_t spos = alg_node(d, top, &fields[F_ALG_IDENTIFIER], salg, pos);
	bitstring_node(d, top, &fields[F_ENCRYPTED], sig, spos);
	return rng_end(&r, from);
}

bool
x509_cert_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len)
{
	struct der d;
	der_init(&d, t, b, at, len);
	ERR_clear_error();
	const unsigned char *q = d.r.p;
	X509 *x = d.len ? d2i_X509(NULL, &q, (long)d.len) : NULL;
	if (!x) {
		struct tw_node *top = tree_add(t, parent, &fields[F_CERTIFICATE], &d.r, 0, d.len);
		malformed(&d, top, "certificate");
		return false;
	}
	size_t used = (size_t)(q - d.r.p);
	cert_tree(&d, parent, &fields[F_CERTIFICATE], x, 0);
	trailing(&d, parent ? parent->last : NULL, used, "certificate");
	X509_free(x);
	ERR_clear_error();
	return true;
}

/* ---- CRL -------------------------------------------------------------- */

bool
x509_crl_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len)
{
	struct der d;
	der_init(&d, t, b, at, len);
	struct tw_node *top = tree_add_text(t, parent, &d.r, 0, d.len, "Certificate Revocation List");
	ERR_clear_error();
	const unsigned char *q = d.r.p;
	X509_CRL *crl = d.len ? d2i_X509_CRL(NULL, &q, (long)d.len) : NULL;
	if (!crl) {
		malformed(&d, top, "CRL");
		return false;
	}
	trailing(&d, top, (size_t)(q - d.r.p), "CRL");
	if (!t || !top) {
		X509_CRL_free(crl);
		ERR_clear_error();
		return true;
	}
	struct tw_node *tbs = tree_add(t, top, &fields[F_SIGNED_CERT_LIST], &d.r, 0, d.len);
	long ver = X509_CRL_get_version(crl);
	struct tw_node *n = dnode(&d, tbs, &fields[F_VERSION], NULL, false);
	node_set_u(n, ver >= 0 && ver <= 0xffff ? (uint64_t)ver : 0);
	if (ver < 0 || ver > 0xffff) {
		/* version absent: v1 */
		node_set_u(n, 0);
	}

	const ASN1_BIT_STRING *sig = NULL;
	const X509_ALGOR *salg = NULL;
	X509_CRL_get0_signature(crl, &sig, &salg);
	size_t pos = alg_node(&d, tbs, &fields[F_SIGNATURE], salg, 0);
	pos = name_node(&d, tbs, &fields[F_ISSUER], X509_CRL_get_issuer(crl), pos);
	pos = time_node(&d, tbs, &fields[F_THIS_UPDATE], X509_CRL_get0_lastUpdate(crl), pos, true);
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);
	if (next)
		pos = time_node(&d, tbs, &fields[F_NEXT_UPDATE], next, pos, true);

	STACK_OF(X509_REVOKED) *revs = X509_CRL_get_REVOKED(crl);
	int nrev = revs ? sk_X509_REVOKED_num(revs) : 0;
	if (nrev > 0) {
		struct tw_node *rl = dnode(&d, tbs, &fields[F_REVOKED], NULL, false);
		count_node(&d, rl, (uint32_t)nrev);
		size_t rstart = pos;
		for (int i = 0; i < nrev; i++) {
			if (i == PKIX_MAX_ITEMS) {
				tree_expert(t, rl, TW_SEV_NOTE, "[%d more revoked certificates not shown]", nrev - i);
				break;
			}
			X509_REVOKED *rv = sk_X509_REVOKED_value(revs, i);
			struct rng re;
			I2D_FIND(&d, pos, i2d_X509_REVOKED, rv, re);
			struct tw_node *item = dnode(&d, rl, &fields[F_REVOKED_ITEM], &re, false);
			size_t ipos = re.ok ? re.off : pos;
			const ASN1_INTEGER *serial = X509_REVOKED_get0_serialNumber(rv);
			ipos = serial_node(&d, item, &fields[F_USER_CERT], serial, ipos);
			ipos = time_node(&d, item, &fields[F_REVOCATION_DATE], X509_REVOKED_get0_revocationDate(rv), ipos,
			                 true);
			int crit = 0;
			ASN1_ENUMERATED *reason = X509_REVOKED_get_ext_d2i(rv, NID_crl_reason, &crit, NULL);
			if (reason) {
				long rc = ASN1_ENUMERATED_get(reason);
				struct tw_node *rn = dnode(&d, item, &fields[F_CRL_REASON], &re, false);
				node_set_u(rn, rc >= 0 && rc <= 0xffff ? (uint64_t)rc : 0xffff);
				ASN1_ENUMERATED_free(reason);
			}
			ERR_clear_error();
			if (item && t->labels) {
				struct tw_sb sb;
				sb_heap(&sb);
				sb_adds(&sb, "revokedCertificates item: 0x");
				int sl = ASN1_STRING_length(serial);
				sb_add_hex(&sb, ASN1_STRING_get0_data(serial), sl > 0 ? (size_t)(sl > 64 ? 64 : sl) : 0, 0);
				item->label = arena_strndup(t->arena, sb.s, sb.len);
				sb_free(&sb);
			}
			pos = rng_end(&re, pos);
		}
		if (rl && pos > rstart && rl->src == d.r.src) {
			rl->off = (uint32_t)(d.r.abs + rstart);
			rl->len = (uint32_t)(pos - rstart);
		}
	} else {
		count_node(&d, tree_add_gen(t, tbs, &fields[F_REVOKED]), 0);
	}

	ASN1_INTEGER *num = X509_CRL_get_ext_d2i(crl, NID_crl_number, NULL, NULL);
	if (num) {
		uint64_t v = 0;
		struct rng rn;
		I2D_FIND(&d, pos, i2d_ASN1_INTEGER, num, rn);
		struct tw_node *cn = dnode(&d, tbs, &fields[F_CRL_NUMBER], &rn, true);
		if (ASN1_INTEGER_get_uint64(&v, num))
			node_set_u(cn, v);
		else
			node_label(t, cn, "CRLNumber: (too large)");
		ASN1_INTEGER_free(num);
	}
	ERR_clear_error();
	if (tbs && pos > 0 && tbs->src == d.r.src)
		tbs->len = (uint32_t)TW_MIN(pos, d.len);

	size_t spos = alg_node(&d, top, &fields[F_ALG_IDENTIFIER], salg, pos);
	bitstring_node(&d, top, &fields[F_ENCRYPTED], sig, spos);
	X509_CRL_free(crl);
	ERR_clear_error();
	return true;
}

/* ---- OCSP ------------------------------------------------------------- */

/* hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber of a CertID. */
static void
certid_nodes(const struct der *d, struct tw_node *parent, OCSP_CERTID *cid, size_t pos)
{
	ASN1_OCTET_STRING *nh = NULL, *kh = NULL;
	ASN1_OBJECT *md = NULL;
	ASN1_INTEGER *serial = NULL;
	if (!cid || !OCSP_id_get0_info(&nh, &md, &kh, &serial, cid))
		return;
	char oid[128];
	const char *name;
	oid_text(md, oid, sizeof oid, &name);
	struct rng ro;
	I2D_FIND(d, pos, i2d_ASN1_OBJECT, md, ro);
	struct tw_node *ha = dnode(d, parent, &fields[F_O_HASH_ALG], &ro, false);
	node_label(d->t, ha, "hashAlgorithm (%s)", name);
	oid_node(d, ha, md, pos);
	pos = rng_end(&ro, pos);
	pos = bytes_node(d, parent, &fields[F_O_NAME_HASH], ASN1_STRING_get0_data(nh), ASN1_STRING_length(nh), pos,
	                 false);
	pos = bytes_node(d, parent, &fields[F_O_KEY_HASH], ASN1_STRING_get0_data(kh), ASN1_STRING_length(kh), pos,
	                 false);
	serial_node(d, parent, &fields[F_O_SERIAL], serial, pos);
}

bool
ocsp_request_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len)
{
	struct der d;
	der_init(&d, t, b, at, len);
	struct tw_node *top = tree_add(t, parent, &fields[F_OCSP], &d.r, 0, d.len);
	ERR_clear_error();
	const unsigned char *q = d.r.p;
	OCSP_REQUEST *req = d.len ? d2i_OCSP_REQUEST(NULL, &q, (long)d.len) : NULL;
	if (!req) {
		malformed(&d, top, "OCSP request");
		return false;
	}
	trailing(&d, top, (size_t)(q - d.r.p), "OCSP request");
	if (top) {
		struct tw_node *tbs = dnode(&d, top, &fields[F_O_TBS_REQUEST], NULL, false);
		int k = OCSP_request_onereq_count(req);
		struct tw_node *list = dnode(&d, tbs, &fields[F_O_REQUEST_LIST], NULL, false);
		count_node(&d, list, k > 0 ? (uint32_t)k : 0);
		size_t pos = 0;
		for (int i = 0; i < k && i < PKIX_MAX_ITEMS; i++) {
			OCSP_ONEREQ *one = OCSP_request_onereq_get0(req, i);
			OCSP_CERTID *cid = OCSP_onereq_get0_id(one);
			struct rng r1, rc;
			I2D_FIND(&d, pos, i2d_OCSP_ONEREQ, one, r1);
			struct tw_node *rq = dnode(&d, list, &fields[F_O_REQUEST], &r1, false);
			I2D_FIND(&d, r1.ok ? r1.off : pos, i2d_OCSP_CERTID, cid, rc);
			struct tw_node *rcn = dnode(&d, rq, &fields[F_O_REQ_CERT], &rc, false);
			certid_nodes(&d, rcn, cid, rc.ok ? rc.off : pos);
			pos = rng_end(&r1, pos);
		}
		if (k > PKIX_MAX_ITEMS)
			tree_expert(t, list, TW_SEV_NOTE, "[%d more requests not shown]", k - PKIX_MAX_ITEMS);
		if (OCSP_request_is_signed(req))
			tree_add_text(t, top, NULL, 0, 0, "optionalSignature present (not verified)");
	}
	OCSP_REQUEST_free(req);
	ERR_clear_error();
	return true;
}

static void
single_nodes(const struct der *d, struct tw_node *list, OCSP_SINGLERESP *sr, size_t *pos)
{
	struct rng r;
	I2D_FIND(d, *pos, i2d_OCSP_SINGLERESP, sr, r);
	struct tw_node *sn = dnode(d, list, &fields[F_O_SINGLE], &r, false);
	size_t p = r.ok ? r.off : *pos;
	OCSP_CERTID *cid = (OCSP_CERTID *)OCSP_SINGLERESP_get0_id(sr);
	struct rng rc;
	I2D_FIND(d, p, i2d_OCSP_CERTID, cid, rc);
	struct tw_node *cn = dnode(d, sn, &fields[F_O_CERT_ID], &rc, false);
	certid_nodes(d, cn, cid, rc.ok ? rc.off : p);
	p = rng_end(&rc, p);

	int reason = -1;
	ASN1_GENERALIZEDTIME *rev = NULL, *thisupd = NULL, *nextupd = NULL;
	int st = OCSP_single_get0_status(sr, &reason, &rev, &thisupd, &nextupd);
	struct tw_node *stn = dnode(d, sn, &fields[F_O_CERT_STATUS], NULL, false);
	node_set_u(stn, st >= 0 ? (uint64_t)st : 2);
	if (st == V_OCSP_CERTSTATUS_REVOKED) {
		struct tw_node *rv = dnode(d, stn, &fields[F_O_REVOKED], NULL, false);
		p = time_node(d, rv, &fields[F_O_REVOCATION_TIME], rev, p, false);
		if (reason >= 0) {
			struct tw_node *rn = dnode(d, rv, &fields[F_O_REVOCATION_REASON], NULL, false);
			node_set_u(rn, (uint64_t)reason);
		}
		ASN1_INTEGER *serial = NULL;
		OCSP_id_get0_info(NULL, NULL, NULL, &serial, cid);
		if (d->t && sn) {
			struct tw_sb sb;
			sb_heap(&sb);
			int sl = serial ? ASN1_STRING_length(serial) : 0;
			sb_adds(&sb, "Certificate 0x");
			if (sl > 0)
				sb_add_hex(&sb, ASN1_STRING_get0_data(serial), (size_t)(sl > 64 ? 64 : sl), 0);
			sb_adds(&sb, " is revoked");
			char unk[32];
			if (reason >= 0)
				sb_addf(&sb, " (%s)", val_to_str_unk((uint32_t)reason, crl_reason_vals, unk, sizeof unk));
			tree_expert(d->t, stn, TW_SEV_WARN, "%s", sb.s);
			sb_free(&sb);
		}
	} else if (st == V_OCSP_CERTSTATUS_UNKNOWN) {
		tree_expert(d->t, stn, TW_SEV_WARN, "The responder does not know this certificate (certStatus unknown)");
	}
	if (thisupd)
		p = time_node(d, sn, &fields[F_O_THIS_UPDATE], thisupd, p, false);
	if (nextupd)
		p = time_node(d, sn, &fields[F_O_NEXT_UPDATE], nextupd, p, false);
	*pos = rng_end(&r, p);
}

bool
ocsp_response_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len)
{
	struct der d;
	der_init(&d, t, b, at, len);
	struct tw_node *top = tree_add(t, parent, &fields[F_OCSP], &d.r, 0, d.len);
	ERR_clear_error();
	const unsigned char *q = d.r.p;
	OCSP_RESPONSE *resp = d.len ? d2i_OCSP_RESPONSE(NULL, &q, (long)d.len) : NULL;
	if (!resp) {
		malformed(&d, top, "OCSP response");
		return false;
	}
	trailing(&d, top, (size_t)(q - d.r.p), "OCSP response");
	if (!top) {
		OCSP_RESPONSE_free(resp);
		return true;
	}
	int status = OCSP_response_status(resp);
	struct tw_node *sn = dnode(&d, top, &fields[F_O_RESP_STATUS], NULL, false);
	node_set_u(sn, status >= 0 ? (uint64_t)status : 0);
	if (status != OCSP_RESPONSE_STATUS_SUCCESSFUL) {
		char unk[32];
		tree_expert(t, sn, TW_SEV_WARN, "OCSP responder answered %s",
		            val_to_str_unk(status >= 0 ? (uint32_t)status : 0, resp_status_vals, unk, sizeof unk));
	}
	OCSP_BASICRESP *bs = status == OCSP_RESPONSE_STATUS_SUCCESSFUL ? OCSP_response_get1_basic(resp) : NULL;
	if (status == OCSP_RESPONSE_STATUS_SUCCESSFUL && !bs) {
		malformed(&d, top, "OCSP response");
		OCSP_RESPONSE_free(resp);
		return false;
	}
	if (bs) {
		struct tw_node *rb = dnode(&d, top, &fields[F_O_RESP_BYTES], NULL, false);
		ASN1_OBJECT *basic = OBJ_nid2obj(NID_id_pkix_OCSP_basic);
		char oid[128];
		const char *name;
		oid_text(basic, oid, sizeof oid, &name);
		struct rng rt;
		I2D_FIND(&d, 0, i2d_ASN1_OBJECT, basic, rt);
		struct tw_node *tn = dnode(&d, rb, &fields[F_O_RESP_TYPE], &rt, true);
		node_set_bytes_copy(t, tn, oid, strlen(oid));
		node_label(t, tn, "ResponseType Id: %s (id-pkix-ocsp-basic)", oid);
		size_t pos = rng_end(&rt, 0);
		struct tw_node *bn = dnode(&d, rb, &fields[F_O_BASIC], NULL, false);

		const OCSP_RESPDATA *rd = OCSP_resp_get0_respdata(bs);
		struct rng rr;
		I2D_FIND(&d, pos, i2d_OCSP_RESPDATA, rd, rr);
		struct tw_node *tbs = dnode(&d, bn, &fields[F_O_TBS_RESP], &rr, false);
		size_t p = rr.ok ? rr.off : pos;
		const ASN1_OCTET_STRING *rid_key = NULL;
		const X509_NAME *rid_name = NULL;
		if (OCSP_resp_get0_id(bs, &rid_key, &rid_name)) {
			struct tw_node *ri = dnode(&d, tbs, &fields[F_O_RESPONDER], NULL, false);
			node_set_u(ri, rid_name ? 1 : 2);
			if (rid_name)
				p = name_node(&d, ri, &fields[F_O_BY_NAME], rid_name, p);
			else if (rid_key)
				p = bytes_node(&d, ri, &fields[F_O_BY_KEY], ASN1_STRING_get0_data(rid_key),
				               ASN1_STRING_length(rid_key), p, false);
		}
		p = time_node(&d, tbs, &fields[F_O_PRODUCED_AT], OCSP_resp_get0_produced_at(bs), p, false);
		int k = OCSP_resp_count(bs);
		struct tw_node *list = dnode(&d, tbs, &fields[F_O_RESPONSES], NULL, false);
		count_node(&d, list, k > 0 ? (uint32_t)k : 0);
		for (int i = 0; i < k && i < PKIX_MAX_ITEMS; i++)
			single_nodes(&d, list, OCSP_resp_get0(bs, i), &p);
		if (k > PKIX_MAX_ITEMS)
			tree_expert(t, list, TW_SEV_NOTE, "[%d more responses not shown]", k - PKIX_MAX_ITEMS);
		pos = rng_end(&rr, p);

		pos = alg_node(&d, bn, &fields[F_O_SIG_ALG], OCSP_resp_get0_tbs_sigalg(bs), pos);
		const ASN1_OCTET_STRING *sig = OCSP_resp_get0_signature(bs);
		if (sig)
			pos = bytes_node(&d, bn, &fields[F_O_SIGNATURE], ASN1_STRING_get0_data(sig), ASN1_STRING_length(sig),
			                 pos, false);
		const STACK_OF(X509) *certs = OCSP_resp_get0_certs(bs);
		int nc = certs ? sk_X509_num(certs) : 0;
		if (nc > 0) {
			struct tw_node *cl = dnode(&d, bn, &fields[F_O_CERTS], NULL, false);
			count_node(&d, cl, (uint32_t)nc);
			for (int i = 0; i < nc && i < PKIX_MAX_ITEMS; i++)
				pos = cert_tree(&d, cl, &fields[F_O_CERTIFICATE], sk_X509_value(certs, i), pos);
		}
		OCSP_BASICRESP_free(bs);
	}
	OCSP_RESPONSE_free(resp);
	ERR_clear_error();
	return true;
}
