/*
 * x509.h - the certificate chain model: the certificates of one TLS
 * Certificate message (or any list of DER certificates), decoded with
 * OpenSSL, and the checks that explain TLS failures.
 *
 * A chain is built without a tree (x509_chain_new): the UI's certificate
 * pane, `--certs` and `-T json` read the model directly; the detail tree
 * gets it through x509_cert_subtree / x509_chain_subtree.
 *
 * Everything is decoded by OpenSSL (libcrypto); nothing here parses ASN.1
 * by hand. Every string that came from a certificate (names, URLs, SNI)
 * is escaped with sb_add_escaped before it is stored in the model, so the
 * model's strings can be shown as they are.
 *
 * Checks (each a finding with a severity, the certificate it concerns and
 * one sentence, struct tw_cert_finding; codes in x509.c's header comment):
 * signature digest, key size, validity at the capture time (the time of
 * the frame that carried the Certificate message, never today's clock),
 * host name (SNI against SAN, CN without SAN; RFC 6125 wildcards), chain
 * order and linkage (names, key identifiers, duplicates, strays), every
 * signature verified with the issuer's key (X509_verify; a digest OpenSSL
 * cannot compute, such as MD2, is "cannot verify", not a bad signature),
 * missing intermediate, root sent, CA flags, extended key usage, the
 * client's issuer against the CertificateRequest's CA names, optional
 * full OpenSSL verification against trust anchors (x509_trust_load), and
 * revocation data found in the same trace (CRL / OCSP / CA issuers URLs
 * fetched over HTTP: a lookup the caller provides).
 */
#ifndef TW_X509_H
#define TW_X509_H

#include "core/buf.h"
#include "core/tree.h"
#include "core/tw.h"

struct x509_st;

/* Most certificates taken from one message; more are counted, not decoded. */
#define X509_MAX_CHAIN 32

enum tw_url_kind { TW_URL_CDP = 0, TW_URL_OCSP, TW_URL_CA_ISSUERS };

/* "CRL", "OCSP", "CA issuers". */
const char *x509_url_kind_name(int kind);

/* A list of display strings (escaped), owned by the model. */
struct tw_strv {
	char **v;
	size_t n;
};

/* A URL from the CRL distribution points or authority information access. */
struct tw_cert_url {
	uint8_t kind;   /* enum tw_url_kind */
	char *url;      /* the bytes as in the certificate (NUL-terminated; may hold anything) */
	size_t len;
	char *shown;    /* escaped for display */
};

/*
 * One HTTP exchange of the trace that asked for a URL of a certificate,
 * as the caller's lookup reports it (pointers valid during x509_chain_new).
 */
struct tw_http_hit {
	uint16_t source;         /* the caller's source number */
	const char *where;       /* prefix for frame numbers: "" for the chain's own file, "B:" ... */
	uint32_t req_frame;      /* 1-based */
	uint32_t res_frame;      /* 1-based, 0: no response in the trace */
	uint16_t status;         /* HTTP status code, 0 without response */
	const char *status_text; /* "OK", "Not Found" */
	const char *ctype;       /* media type, lower case, "" if unknown */
	const uint8_t *body;     /* the response body if it was kept (CRL, OCSP, certificate), else NULL */
	size_t body_len;
};

/*
 * The caller's HTTP lookup: exchanges whose request URL equals url (or,
 * with prefix, starts with it: OCSP GET requests append the request).
 * Fills at most max hits and returns how many it filled.
 */
typedef size_t (*tw_http_lookup_fn)(void *arg, const char *url, size_t len, bool prefix, struct tw_http_hit *out,
                                    size_t max);

/* What the trace says about one of a certificate's URLs. */
struct tw_cert_fetch {
	size_t url;              /* index into the certificate's urls */
	uint16_t source;
	uint32_t req_frame, res_frame;
	uint16_t status;
	bool crl;                /* a CRL was read from the body */
	bool crl_issuer_ok;      /* issued by the certificate's issuer */
	bool have_next;
	tw_time this_update, next_update;
	long nrevoked;
	bool revoked;            /* lists the certificate's serial (CRL) or says revoked (OCSP) */
	int reason;              /* CRLReason / OCSP revocationReason, -1 none */
	tw_time revoked_at;
	int ocsp;                /* -1 not an OCSP answer; else V_OCSP_CERTSTATUS_* (0 good, 1 revoked, 2 unknown) */
	char *text;              /* "CRL fetched in frame 14 (200 OK, 1 revoked, next update 2026-06-25 00:00:00 UTC)" */
};

struct tw_cert {
	struct x509_st *x;       /* NULL when the DER is not a certificate */
	char *error;             /* why it could not be read (OpenSSL's reason), else NULL */
	size_t der_len;
	char *subject, *issuer;  /* RFC 2253 */
	char *name;              /* subject CN, else the subject: for sentences */
	char *serial;            /* "0x1001" */
	int version;             /* 1, 2, 3 */
	bool have_validity;
	tw_time not_before, not_after;
	char *sig_name;          /* "md2WithRSAEncryption" (the OID when OpenSSL has no name) */
	char *sig_oid;           /* "1.2.840.113549.1.1.2" */
	char *sig_digest;        /* "md2", "sha256"; NULL when the algorithm has none (Ed25519) */
	bool digest_supported;   /* OpenSSL can compute the digest (MD2 and MD4: no) */
	char *key_type;          /* "RSA", "EC", "ED25519", ...; the algorithm OID when unknown */
	bool key_known;          /* OpenSSL could read the public key */
	int key_bits;            /* 0 if unknown */
	char *key_curve;         /* "prime256v1 (P-256)" for EC keys, else NULL */
	bool has_bc, is_ca;      /* basicConstraints present; CA:TRUE */
	long pathlen;            /* -1 if none */
	uint32_t key_usage;      /* OpenSSL KU_* bits; UINT32_MAX without the extension */
	char *key_usage_text;    /* "digitalSignature, keyEncipherment", NULL without the extension */
	uint32_t xku;            /* OpenSSL XKU_* bits; UINT32_MAX without the extension */
	struct tw_strv eku;      /* "serverAuth (1.3.6.1.5.5.7.3.1)" */
	struct tw_strv san;      /* "DNS:good.tw.test", "IP:10.0.0.1", "email:...", "URI:..." */
	size_t ndns;             /* DNS names among them */
	struct tw_cert_url *urls; /* CRL distribution points, then OCSP, then CA issuers */
	size_t nurls;
	char *ski, *aki;         /* "49:8D:CF:..." as openssl prints them, or NULL */
	struct tw_strv policies; /* "2.23.140.1.2.1" or "OID (name)" */
	struct tw_strv unknown_ext; /* extensions not decoded above: "OID (name)", ", critical" */
	size_t next;             /* extensions in all */
	char sha1[60];           /* "55:07:36:..." as `openssl x509 -fingerprint -sha1` */
	char sha256[96];
	uint8_t sha1_raw[20], sha256_raw[32];
	bool self_issued;        /* subject equals issuer (and the key identifiers agree) */
	int issued_by;           /* index of its issuer in the chain; itself when self-issued; -1 not sent */
	int sig_check;           /* TW_SIG_* */
	bool in_path;            /* on the path from the first certificate */
	bool duplicate;          /* the same certificate came earlier */
	struct tw_cert_fetch *fetch;
	size_t nfetch;
	int errors, warnings, notes;
};

enum tw_sig_check {
	TW_SIG_UNCHECKED = 0, /* the issuer was not sent */
	TW_SIG_OK,            /* verified with the issuer's key */
	TW_SIG_BAD,           /* does not verify */
	TW_SIG_UNSUPPORTED,   /* OpenSSL cannot compute the digest (MD2) */
	TW_SIG_NO_KEY,        /* the issuer's public key cannot be read */
};

struct tw_cert_finding {
	uint8_t sev;             /* enum tw_sev */
	int cert;                /* index (wire order, 0 = the first), -1: the chain as a whole */
	const char *code;        /* static short id: "weak-digest", "expired", ... */
	char *text;              /* one sentence (escaped) */
};

struct tw_chain {
	struct tw_cert *c;       /* wire order */
	size_t n;
	size_t nsent;            /* certificates in the message (> n when more than X509_MAX_CHAIN) */
	bool server;             /* the server's chain (else the client's) */
	tw_time when;            /* the time validity was checked at */
	uint32_t frame;          /* the frame that carried it (1-based), 0 unknown */
	char *sni;               /* the ClientHello's server name (escaped), NULL if none */
	bool have_certreq;       /* client chains: the server sent a CertificateRequest */
	uint32_t certreq_frame;
	struct tw_strv ca_names; /* its acceptable CA names (RFC 2253) */
	char *path_text;         /* how the path ends, when worth saying ("... was not sent: normally a root") */
	bool trust_checked;      /* OpenSSL verification against x509_trust_load's anchors ran */
	bool trusted;
	char *trust_text;        /* OpenSSL's verdict, one sentence */
	struct tw_cert_finding *f;
	size_t nf;
	int errors, warnings, notes;
};

/* How to check a chain. */
struct tw_chain_ctx {
	tw_time when;                /* capture time of the Certificate message */
	uint32_t frame;              /* its frame (1-based) for texts, 0 unknown */
	bool server;                 /* a server's chain */
	const uint8_t *sni;          /* the ClientHello's server_name, NULL/0 if none */
	size_t sni_len;
	bool have_certreq;           /* client chains: a CertificateRequest was seen */
	uint32_t certreq_frame;
	const uint8_t *const *ca_der; /* its acceptable CA names (DER Name) */
	const size_t *ca_len;
	size_t nca;
	tw_http_lookup_fn lookup;    /* revocation data in the trace, or NULL */
	void *lookup_arg;
};

/* Decode and check the DER certificates der[0..n) (wire order). */
struct tw_chain *x509_chain_new(const uint8_t *const *der, const size_t *len, size_t n, const struct tw_chain_ctx *ctx);
void x509_chain_free(struct tw_chain *ch);

/*
 * Detail tree. x509_cert_subtree adds, under the node of certificate i
 * (the tls.handshake.certificate node whose bytes are b[at, at+len)): the
 * certificate's findings as expert items, the decoded certificate
 * (pkix.c, Wireshark's x509af names with byte ranges), and the facts
 * (cert.*, x509ce.*: algorithm name and OID, key, validity at the capture
 * time, extensions, fingerprints, revocation data seen in the trace).
 * x509_chain_subtree adds the chain's verdict and its chain-wide findings
 * under the certificate list node.
 */
void x509_cert_subtree(struct tw_tree *t, struct tw_node *cn, const struct tw_buf *b, size_t at, size_t len,
                       const struct tw_chain *ch, size_t i);
void x509_chain_subtree(struct tw_tree *t, struct tw_node *list, const struct tw_chain *ch);

/*
 * Trust anchors for the full OpenSSL verification (--ca-file, --ca-dir):
 * loaded once (file I/O; never from a dissector), used by every chain
 * built afterwards. false with a message in err when nothing could be
 * loaded.
 */
bool x509_trust_load(const char *ca_file, const char *ca_dir, char *err, size_t errlen);
void x509_trust_free(void);
/* "--ca-file roots.pem", or NULL when no anchors are loaded. */
const char *x509_trust_name(void);

/* An RFC 2253 name from DER (escaped, heap), or NULL. */
char *x509_name_text(const uint8_t *der, size_t len);

/*
 * A URL normalized for comparison (scheme and host in lower case, the
 * default port dropped) into out (NUL-terminated); returns its length,
 * 0 when it does not fit.
 */
size_t x509_url_norm(const char *url, size_t len, char *out, size_t cap);

/* Short facts of one DER certificate, for indexes (tls.c's URL index). */
struct x509_brief {
	char subject[160];       /* the subject's CN or RFC 2253 name (escaped, cut) */
	uint8_t serial[32];      /* the serial's DER (INTEGER), serial_len 0 if longer */
	uint8_t serial_len;
	size_t nurls;
	char *url[16];           /* raw, heap */
	size_t url_len[16];
	uint8_t kind[16];        /* enum tw_url_kind */
};
bool x509_brief(const uint8_t *der, size_t len, struct x509_brief *b);
void x509_brief_free(struct x509_brief *b);

/* A certificate of the trace that names a URL (found by tls_cert_url_users). */
struct x509_cert_ref {
	uint32_t frame;          /* frame of its Certificate message (1-based) */
	uint32_t conv;
	uint8_t server;          /* 1: a server's chain */
	uint8_t index;           /* 1-based position in the message */
	uint8_t kind;            /* enum tw_url_kind of the matching URL */
	char subject[160];
	uint8_t serial[32];      /* DER INTEGER (see struct x509_brief) */
	uint8_t serial_len;
};

/*
 * Under an HTTP response node: which certificates of the trace name the
 * request's URL (n shown of total), and, for a CRL body (crl, crl_len),
 * which of them it lists as revoked (an expert error each).
 */
void x509_url_users_tree(struct tw_tree *t, struct tw_node *parent, const struct x509_cert_ref *r, size_t n,
                         size_t total, const uint8_t *crl, size_t crl_len);

#endif
