/*
 * tls.h - TLS/SSL dissection (RFC 8446, RFC 5246, RFC 4346, RFC 2246,
 * RFC 6101 and its SSL 2.0-compatible ClientHello) and the per-connection
 * handshake summary the load pass builds.
 */
#ifndef TW_TLS_H
#define TW_TLS_H

#include "core/dissect/dissect.h"
#include "core/reasm.h"
#include "core/x509.h"

/* IANA names (tls_values.c, generated). */
extern const struct tw_valstr tls_ciphersuite_vals[];
extern const struct tw_valstr tls_extension_vals[];
extern const struct tw_valstr tls_group_vals[];
extern const struct tw_valstr tls_sigscheme_vals[];
extern const struct tw_valstr tls_alert_vals[];
extern const struct tw_valstr tls_handshake_vals[];
extern const struct tw_valstr tls_content_vals[];
extern const struct tw_valstr tls_version_vals[];
extern const struct tw_valstr tls_ecpf_vals[];
extern const struct tw_valstr tls_certtype_vals[];

/* Short protocol-column name for a version: "TLSv1.2", "SSLv3". */
const char *tls_version_short(uint16_t v);
/* RFC 8446 names of alert descriptions ("bad_certificate"). */
const char *tls_alert_rfc_name(uint8_t desc);

enum tls_end {
	TLS_END_NONE = 0, /* still open when the capture ends */
	TLS_END_ALERT,
	TLS_END_FIN,
	TLS_END_RST,
};

/*
 * Where a handshake message lies (header included), found again without
 * dissecting: pdu == PIECE_SKIP: bytes [off, off+len) of frame `frame`
 * (0-based); else bytes [off, off+len) of the stored PDU `pdu` (a TCP
 * PDU holding the record, or a handshake message reassembled from
 * several records). len 0: none.
 */
struct tls_msg_loc {
	uint32_t pdu;
	uint32_t frame;
	uint32_t off;
	uint32_t len;
};

/* What the load pass learned about one TLS connection. */
struct tls_conn {
	uint32_t conv;
	char sni[256];            /* raw server_name bytes (escape before showing) */
	uint16_t sni_len;
	uint16_t ch_version;      /* ClientHello legacy_version */
	uint16_t ch_max_version;  /* highest supported_versions entry (or ch_version) */
	uint16_t sh_version;      /* ServerHello legacy_version */
	uint16_t version;         /* negotiated (supported_versions for TLS 1.3) */
	uint16_t cipher;          /* negotiated cipher suite */
	bool have_cipher;
	bool hrr;                 /* a HelloRetryRequest was sent */
	bool sslv2_hello;
	bool encrypted[2];        /* handshake now encrypted in this direction */
	uint32_t ccs_frame[2];    /* record key of each side's ChangeCipherSpec (frame 1-based) */
	uint32_t ccs_foff[2];
	uint32_t msgs[2];         /* bit per handshake type < 32 sent in each direction */
	uint32_t ch_frame, sh_frame; /* frame numbers (1-based), 0 if none */
	uint32_t cert_frame[2];   /* frame where each side's Certificate completed */
	uint32_t last_hs_frame[2];
	tw_time last_hs_ts;
	uint8_t last_hs_type[2];
	/* first fatal (or only) alert */
	bool have_alert;
	bool alert_encrypted;
	uint8_t alert_level, alert_desc;
	uint8_t alert_dir;
	uint32_t alert_frame;
	tw_time alert_ts;
	/* client certificate request: frame of the CertificateRequest */
	uint32_t certreq_frame;
	/* each side's (last) Certificate message and the CertificateRequest, for the chain model */
	struct tls_msg_loc cert_msg[2];
	struct tls_msg_loc certreq_msg;
	uint32_t ncipher_offered;
	uint32_t appdata[2];      /* application data records per side */
};

struct tw_conv;
/* Did the handshake get through (both sides encrypting, or data flowing)? */
bool tls_handshake_complete(const struct tls_conn *tc);
/*
 * A one-line account of a connection: SNI, versions, suite, how far the
 * handshake got and how it ended (alert, FIN, RST, with sender and timing).
 */
void tls_conn_describe(struct tw_sb *sb, const struct tls_conn *tc, const struct tw_conv *cv);
/* Add the summary as a generated subtree under parent. */
void tls_conn_tree(struct tw_tree *t, struct tw_node *parent, const struct tls_conn *tc, const struct tw_conv *cv);

struct tls_table;
void tls_table_free(struct tls_table *t);
/* The TLS connection for a conversation, or NULL. */
const struct tls_conn *tls_conn_get(const struct tw_convs *cs, uint32_t conv);
/* Iterate: i-th TLS connection of a source, or NULL. */
const struct tls_conn *tls_conn_nth(const struct tw_convs *cs, size_t i);

/* ---- certificate chains (x509.h) ---- */

struct tw_capture;

/* A copy of the message's bytes (len bytes, free()), or NULL if they cannot be read. */
uint8_t *tls_msg_copy(struct tw_convs *cs, struct tw_capture *cap, const struct tls_msg_loc *l);
/* The DER certificates of a Certificate message (header included), pointers into msg; returns the count. */
size_t tls_cert_list(const uint8_t *msg, size_t len, bool tls13, const uint8_t **der, size_t *dlen, size_t max);
/* The acceptable CA names (DER) of a CertificateRequest message (header included). */
size_t tls_certreq_names(const uint8_t *msg, size_t len, bool tls12, const uint8_t **der, size_t *dlen, size_t max);
/* Which side (0 client, 1 server) sent the ServerHello; 1 when unknown. */
int tls_server_dir(const struct tls_conn *tc);
/* TLS 1.3 (or a draft) was negotiated: certificates are encrypted. */
bool tls_conn_is_13(const struct tls_conn *tc);
/*
 * The chain model of side dir's Certificate message, checked at time
 * `when` (the frame that carried it), against the connection's SNI and,
 * for a client chain, the CertificateRequest's CA names; revocation data
 * through lookup (NULL: none). NULL when there is no Certificate message.
 */
struct tw_chain *tls_conn_chain(struct tw_convs *cs, struct tw_capture *cap, const struct tls_conn *tc, int dir,
                                tw_time when, tw_http_lookup_fn lookup, void *lookup_arg);
/*
 * Certificates of this source that name url (CRL distribution point, OCSP
 * or CA issuers; OCSP URLs match as prefixes): fills at most max, returns
 * that count and sets *total to all matches. Builds an index of every
 * certificate's URLs the first time it is asked.
 */
size_t tls_cert_url_users(struct tw_convs *cs, struct tw_capture *cap, const char *url, size_t len,
                          struct x509_cert_ref *out, size_t max, size_t *total);
/*
 * After the load pass: sort what display would sort on first use (the
 * record layouts), so that dissecting afterwards only reads the table and
 * threads can share it (the URL index above is built under a lock).
 */
void tls_table_freeze(struct tw_convs *cs);

void dis_tls(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, uint32_t conv, int dir);
void tls_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v);

#endif
