/*
 * tls.c - Transport Layer Security (RFC 8446, RFC 5246, RFC 4346,
 * RFC 2246), SSL 3.0 (RFC 6101) and the SSL 2.0-compatible ClientHello.
 *
 * Record (RFC 8446 5.1):
 *   +------+---------+--------+---------------------+
 *   | type | version | length | fragment (length)   |
 *   |  1   |    2    |   2    |                     |
 *   +------+---------+--------+---------------------+
 * Handshake message (RFC 8446 4):  type(1) length(3) body(length)
 *
 * TCP reassembly hands this file one whole record at a time. Handshake
 * messages may span records: the load pass follows each direction's
 * handshake byte stream and stores messages that span records as level-1
 * PDUs (reasm.h), with a per-record layout saying which leading bytes
 * finish an earlier message and which trailing bytes start a later one.
 * The load pass also summarizes every connection (struct tls_conn).
 */
#include "core/dissect/tls.h"
#include "core/dissect/pkix.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/http.h"
#include "core/field.h"

#include <openssl/x509.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- fields ----------------------------------------------------------- */

enum {
	F_TLS,
	F_RECORD,
	F_CONTENT_TYPE,
	F_OPAQUE_TYPE,
	F_RECORD_VERSION,
	F_RECORD_LENGTH,
	F_HANDSHAKE,
	F_HS_TYPE,
	F_HS_LENGTH,
	F_HS_VERSION,
	F_RANDOM,
	F_RANDOM_TIME,
	F_RANDOM_BYTES,
	F_SESSION_ID_LEN,
	F_SESSION_ID,
	F_CIPHER_SUITES_LEN,
	F_CIPHER_SUITES,
	F_CIPHER_SUITE,
	F_COMP_LEN,
	F_COMP_METHODS,
	F_COMP_METHOD,
	F_EXTS_LEN,
	F_EXT_TYPE,
	F_EXT_LEN,
	F_EXT_DATA,
	F_SNI_LIST_LEN,
	F_SNI_TYPE,
	F_SNI_LEN,
	F_SNI,
	F_GROUPS_LEN,
	F_GROUPS,
	F_GROUP,
	F_ECPF_LEN,
	F_ECPF,
	F_SIGALGS_LEN,
	F_SIGALGS,
	F_SIGALG,
	F_ALPN_LEN,
	F_ALPN_STR_LEN,
	F_ALPN_STR,
	F_SV_LEN,
	F_SV,
	F_KS_CLIENT_LEN,
	F_KS_GROUP,
	F_KS_KE_LEN,
	F_KS_KE,
	F_KS_SELECTED,
	F_PSK_KE_MODES_LEN,
	F_PSK_KE_MODE,
	F_STATUS_TYPE,
	F_RENEG_LEN,
	F_RENEG,
	F_RECORD_SIZE_LIMIT,
	F_TICKET_DATA,
	F_PADDING,
	F_COOKIE_LEN,
	F_COOKIE,
	F_CERTS_LEN,
	F_CERTS,
	F_CERT_LEN,
	F_CERT,
	F_CERT_SUBJECT,
	F_CERT_TYPES_COUNT,
	F_CERT_TYPE,
	F_DNAMES_LEN,
	F_DNAME_LEN,
	F_DNAME,
	F_CURVE_TYPE,
	F_NAMED_CURVE,
	F_POINT_LEN,
	F_POINT,
	F_CLIENT_POINT_LEN,
	F_CLIENT_POINT,
	F_SIG_LEN,
	F_SIG,
	F_P_LEN,
	F_P,
	F_G_LEN,
	F_G,
	F_YS_LEN,
	F_YS,
	F_YC_LEN,
	F_YC,
	F_EPMS_LEN,
	F_EPMS,
	F_VERIFY_DATA,
	F_TICKET_LIFETIME,
	F_TICKET_LEN,
	F_TICKET,
	F_ALERT,
	F_ALERT_LEVEL,
	F_ALERT_DESC,
	F_CCS,
	F_APP_DATA,
	F_HS_FRAGMENTS,
	F_HS_FRAGMENT,
	F_HS_REASSEMBLED_IN,
	F_SSL2_CIPHER_SPEC_LEN,
	F_SSL2_CIPHER_SPEC,
	F_SSL2_CHALLENGE_LEN,
	F_SSL2_CHALLENGE,
	F_COUNT
};

static const struct tw_valstr level_vals[] = { { 1, "Warning" }, { 2, "Fatal" }, { 0, NULL } };
static const struct tw_valstr sni_type_vals[] = { { 0, "host_name" }, { 0, NULL } };
static const struct tw_valstr comp_vals[] = { { 0, "null" }, { 1, "DEFLATE" }, { 64, "LZS" }, { 0, NULL } };
static const struct tw_valstr curve_type_vals[] = {
	{ 1, "explicit_prime" }, { 2, "explicit_char2" }, { 3, "named_curve" }, { 0, NULL },
};
static const struct tw_valstr psk_mode_vals[] = { { 0, "PSK-only key establishment (psk_ke)" },
	                                           { 1, "PSK with (EC)DHE key establishment (psk_dhe_ke)" },
	                                           { 0, NULL } };
static const struct tw_valstr status_type_vals[] = { { 1, "OCSP" }, { 2, "OCSP Multi" }, { 0, NULL } };
static const struct tw_valstr ssl2_cipher_vals[] = {
	{ 0x010080, "SSL2_RC4_128_WITH_MD5" },           { 0x020080, "SSL2_RC4_128_EXPORT40_WITH_MD5" },
	{ 0x030080, "SSL2_RC2_128_CBC_WITH_MD5" },       { 0x040080, "SSL2_RC2_128_CBC_EXPORT40_WITH_MD5" },
	{ 0x050080, "SSL2_IDEA_128_CBC_WITH_MD5" },      { 0x060040, "SSL2_DES_64_CBC_WITH_MD5" },
	{ 0x0700c0, "SSL2_DES_192_EDE3_CBC_WITH_MD5" },  { 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_TLS] = { "tls", "Transport Layer Security", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_RECORD] = { "tls.record", "Record Layer", FT_NONE, BASE_NONE, 0, NULL },
	[F_CONTENT_TYPE] = { "tls.record.content_type", "Content Type", FT_U8, BASE_DEC, 0, tls_content_vals },
	[F_OPAQUE_TYPE] = { "tls.record.opaque_type", "Opaque Type", FT_U8, BASE_DEC, 0, tls_content_vals },
	[F_RECORD_VERSION] = { "tls.record.version", "Version", FT_U16, BASE_HEX, 0, tls_version_vals },
	[F_RECORD_LENGTH] = { "tls.record.length", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_HANDSHAKE] = { "tls.handshake", "Handshake Protocol", FT_NONE, BASE_NONE, 0, NULL },
	[F_HS_TYPE] = { "tls.handshake.type", "Handshake Type", FT_U8, BASE_DEC, 0, tls_handshake_vals },
	[F_HS_LENGTH] = { "tls.handshake.length", "Length", FT_U24, BASE_DEC, 0, NULL },
	[F_HS_VERSION] = { "tls.handshake.version", "Version", FT_U16, BASE_HEX, 0, tls_version_vals },
	[F_RANDOM] = { "tls.handshake.random", "Random", FT_BYTES, BASE_NONE, 0, NULL },
	[F_RANDOM_TIME] = { "tls.handshake.random_time", "GMT Unix Time", FT_ABSTIME, BASE_NONE, 0, NULL },
	[F_RANDOM_BYTES] = { "tls.handshake.random_bytes", "Random Bytes", FT_BYTES, BASE_NONE, 0, NULL },
	[F_SESSION_ID_LEN] = { "tls.handshake.session_id_length", "Session ID Length", FT_U8, BASE_DEC, 0, NULL },
	[F_SESSION_ID] = { "tls.handshake.session_id", "Session ID", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CIPHER_SUITES_LEN] = { "tls.handshake.cipher_suites_length", "Cipher Suites Length", FT_U16, BASE_DEC, 0, NULL },
	[F_CIPHER_SUITES] = { "tls.handshake.ciphersuites", "Cipher Suites", FT_NONE, BASE_NONE, 0, NULL },
	[F_CIPHER_SUITE] = { "tls.handshake.ciphersuite", "Cipher Suite", FT_U16, BASE_HEX, 0, tls_ciphersuite_vals },
	[F_COMP_LEN] = { "tls.handshake.comp_methods_length", "Compression Methods Length", FT_U8, BASE_DEC, 0, NULL },
	[F_COMP_METHODS] = { "tls.handshake.comp_methods", "Compression Methods", FT_NONE, BASE_NONE, 0, NULL },
	[F_COMP_METHOD] = { "tls.handshake.comp_method", "Compression Method", FT_U8, BASE_DEC, 0, comp_vals },
	[F_EXTS_LEN] = { "tls.handshake.extensions_length", "Extensions Length", FT_U16, BASE_DEC, 0, NULL },
	[F_EXT_TYPE] = { "tls.handshake.extension.type", "Type", FT_U16, BASE_DEC, 0, tls_extension_vals },
	[F_EXT_LEN] = { "tls.handshake.extension.len", "Length", FT_U16, BASE_DEC, 0, NULL },
	[F_EXT_DATA] = { "tls.handshake.extension.data", "Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_SNI_LIST_LEN] = { "tls.handshake.extensions_server_name_list_len", "Server Name list length", FT_U16, BASE_DEC, 0, NULL },
	[F_SNI_TYPE] = { "tls.handshake.extensions_server_name_type", "Server Name Type", FT_U8, BASE_DEC, 0, sni_type_vals },
	[F_SNI_LEN] = { "tls.handshake.extensions_server_name_len", "Server Name length", FT_U16, BASE_DEC, 0, NULL },
	[F_SNI] = { "tls.handshake.extensions_server_name", "Server Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_GROUPS_LEN] = { "tls.handshake.extensions_supported_groups_length", "Supported Groups List Length", FT_U16, BASE_DEC, 0, NULL },
	[F_GROUPS] = { "tls.handshake.extensions_supported_groups", "Supported Groups List", FT_NONE, BASE_NONE, 0, NULL },
	[F_GROUP] = { "tls.handshake.extensions_supported_group", "Supported Group", FT_U16, BASE_HEX, 0, tls_group_vals },
	[F_ECPF_LEN] = { "tls.handshake.extensions_ec_point_formats_length", "EC point formats Length", FT_U8, BASE_DEC, 0, NULL },
	[F_ECPF] = { "tls.handshake.extensions_ec_point_format", "EC point format", FT_U8, BASE_DEC, 0, tls_ecpf_vals },
	[F_SIGALGS_LEN] = { "tls.handshake.sig_hash_alg_len", "Signature Hash Algorithms Length", FT_U16, BASE_DEC, 0, NULL },
	[F_SIGALGS] = { "tls.handshake.sig_hash_algs", "Signature Algorithms", FT_NONE, BASE_NONE, 0, NULL },
	[F_SIGALG] = { "tls.handshake.sig_hash_alg", "Signature Algorithm", FT_U16, BASE_HEX, 0, tls_sigscheme_vals },
	[F_ALPN_LEN] = { "tls.handshake.extensions_alpn_len", "ALPN Extension Length", FT_U16, BASE_DEC, 0, NULL },
	[F_ALPN_STR_LEN] = { "tls.handshake.extensions_alpn_str_len", "ALPN string length", FT_U8, BASE_DEC, 0, NULL },
	[F_ALPN_STR] = { "tls.handshake.extensions_alpn_str", "ALPN Next Protocol", FT_STRING, BASE_NONE, 0, NULL },
	[F_SV_LEN] = { "tls.handshake.extensions.supported_versions_len", "Supported Versions length", FT_U8, BASE_DEC, 0, NULL },
	[F_SV] = { "tls.handshake.extensions.supported_version", "Supported Version", FT_U16, BASE_HEX, 0, tls_version_vals },
	[F_KS_CLIENT_LEN] = { "tls.handshake.extensions_key_share_client_length", "Client Key Share Length", FT_U16, BASE_DEC, 0, NULL },
	[F_KS_GROUP] = { "tls.handshake.extensions_key_share_group", "Group", FT_U16, BASE_DEC, 0, tls_group_vals },
	[F_KS_KE_LEN] = { "tls.handshake.extensions_key_share_key_exchange_length", "Key Exchange Length", FT_U16, BASE_DEC, 0, NULL },
	[F_KS_KE] = { "tls.handshake.extensions_key_share_key_exchange", "Key Exchange", FT_BYTES, BASE_NONE, 0, NULL },
	[F_KS_SELECTED] = { "tls.handshake.extensions_key_share_selected_group", "Selected Group", FT_U16, BASE_DEC, 0, tls_group_vals },
	[F_PSK_KE_MODES_LEN] = { "tls.extension.psk_ke_modes_length", "PSK Key Exchange Modes Length", FT_U8, BASE_DEC, 0, NULL },
	[F_PSK_KE_MODE] = { "tls.extension.psk_ke_mode", "PSK Key Exchange Mode", FT_U8, BASE_DEC, 0, psk_mode_vals },
	[F_STATUS_TYPE] = { "tls.handshake.extensions_status_request_type", "Certificate Status Type", FT_U8, BASE_DEC, 0, status_type_vals },
	[F_RENEG_LEN] = { "tls.handshake.extensions_reneg_info_len", "Renegotiation info extension length", FT_U8, BASE_DEC, 0, NULL },
	[F_RENEG] = { "tls.handshake.extensions_reneg_info", "Renegotiation info", FT_BYTES, BASE_NONE, 0, NULL },
	[F_RECORD_SIZE_LIMIT] = { "tls.record_size_limit", "Record Size Limit", FT_U16, BASE_DEC, 0, NULL },
	[F_TICKET_DATA] = { "tls.handshake.extensions.session_ticket", "Session Ticket", FT_BYTES, BASE_NONE, 0, NULL },
	[F_PADDING] = { "tls.handshake.extensions_padding_data", "Padding Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_COOKIE_LEN] = { "tls.handshake.extensions.cookie_len", "Cookie length", FT_U16, BASE_DEC, 0, NULL },
	[F_COOKIE] = { "tls.handshake.extensions.cookie", "Cookie", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CERTS_LEN] = { "tls.handshake.certificates_length", "Certificates Length", FT_U24, BASE_DEC, 0, NULL },
	[F_CERTS] = { "tls.handshake.certificates", "Certificates", FT_NONE, BASE_NONE, 0, NULL },
	[F_CERT_LEN] = { "tls.handshake.certificate_length", "Certificate Length", FT_U24, BASE_DEC, 0, NULL },
	[F_CERT] = { "tls.handshake.certificate", "Certificate", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CERT_SUBJECT] = { "tls.handshake.certificate.subject", "Subject", FT_STRING, BASE_NONE, 0, NULL },
	[F_CERT_TYPES_COUNT] = { "tls.handshake.cert_types_count", "Certificate types count", FT_U8, BASE_DEC, 0, NULL },
	[F_CERT_TYPE] = { "tls.handshake.cert_type", "Certificate type", FT_U8, BASE_DEC, 0, tls_certtype_vals },
	[F_DNAMES_LEN] = { "tls.handshake.dnames_len", "Distinguished Names Length", FT_U16, BASE_DEC, 0, NULL },
	[F_DNAME_LEN] = { "tls.handshake.dname_len", "Distinguished Name Length", FT_U16, BASE_DEC, 0, NULL },
	[F_DNAME] = { "tls.handshake.dname", "Distinguished Name", FT_STRING, BASE_NONE, 0, NULL },
	[F_CURVE_TYPE] = { "tls.handshake.server_curve_type", "Curve Type", FT_U8, BASE_HEX, 0, curve_type_vals },
	[F_NAMED_CURVE] = { "tls.handshake.server_named_curve", "Named Curve", FT_U16, BASE_HEX, 0, tls_group_vals },
	[F_POINT_LEN] = { "tls.handshake.server_point_len", "Pubkey Length", FT_U8, BASE_DEC, 0, NULL },
	[F_POINT] = { "tls.handshake.server_point", "Pubkey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CLIENT_POINT_LEN] = { "tls.handshake.client_point_len", "Pubkey Length", FT_U8, BASE_DEC, 0, NULL },
	[F_CLIENT_POINT] = { "tls.handshake.client_point", "Pubkey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_SIG_LEN] = { "tls.handshake.sig_len", "Signature Length", FT_U16, BASE_DEC, 0, NULL },
	[F_SIG] = { "tls.handshake.sig", "Signature", FT_BYTES, BASE_NONE, 0, NULL },
	[F_P_LEN] = { "tls.handshake.p_len", "p Length", FT_U16, BASE_DEC, 0, NULL },
	[F_P] = { "tls.handshake.p", "p", FT_BYTES, BASE_NONE, 0, NULL },
	[F_G_LEN] = { "tls.handshake.g_len", "g Length", FT_U16, BASE_DEC, 0, NULL },
	[F_G] = { "tls.handshake.g", "g", FT_BYTES, BASE_NONE, 0, NULL },
	[F_YS_LEN] = { "tls.handshake.ys_len", "Pubkey Length", FT_U16, BASE_DEC, 0, NULL },
	[F_YS] = { "tls.handshake.ys", "Pubkey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_YC_LEN] = { "tls.handshake.yc_len", "Pubkey Length", FT_U16, BASE_DEC, 0, NULL },
	[F_YC] = { "tls.handshake.yc", "Pubkey", FT_BYTES, BASE_NONE, 0, NULL },
	[F_EPMS_LEN] = { "tls.handshake.epms_len", "Encrypted PreMaster length", FT_U16, BASE_DEC, 0, NULL },
	[F_EPMS] = { "tls.handshake.epms", "Encrypted PreMaster", FT_BYTES, BASE_NONE, 0, NULL },
	[F_VERIFY_DATA] = { "tls.handshake.verify_data", "Verify Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_TICKET_LIFETIME] = { "tls.handshake.session_ticket_lifetime_hint", "Session Ticket Lifetime Hint", FT_U32, BASE_DEC, 0, NULL },
	[F_TICKET_LEN] = { "tls.handshake.session_ticket_length", "Session Ticket Length", FT_U16, BASE_DEC, 0, NULL },
	[F_TICKET] = { "tls.handshake.session_ticket", "Session Ticket", FT_BYTES, BASE_NONE, 0, NULL },
	[F_ALERT] = { "tls.alert_message", "Alert Message", FT_NONE, BASE_NONE, 0, NULL },
	[F_ALERT_LEVEL] = { "tls.alert_message.level", "Level", FT_U8, BASE_DEC, 0, level_vals },
	[F_ALERT_DESC] = { "tls.alert_message.desc", "Description", FT_U8, BASE_DEC, 0, tls_alert_vals },
	[F_CCS] = { "tls.change_cipher_spec", "Change Cipher Spec Message", FT_NONE, BASE_NONE, 0, NULL },
	[F_APP_DATA] = { "tls.app_data", "Encrypted Application Data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_HS_FRAGMENTS] = { "tls.handshake.fragments", "Reassembled Handshake Fragments", FT_NONE, BASE_NONE, 0, NULL },
	[F_HS_FRAGMENT] = { "tls.handshake.fragment", "Handshake Fragment", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_HS_REASSEMBLED_IN] = { "tls.handshake.reassembled_in", "Reassembled Handshake Message in frame", FT_FRAMENUM, BASE_DEC, 0, NULL },
	[F_SSL2_CIPHER_SPEC_LEN] = { "tls.handshake.cipher_spec_len", "Cipher Spec Length", FT_U16, BASE_DEC, 0, NULL },
	[F_SSL2_CIPHER_SPEC] = { "tls.handshake.cipherspec", "Cipher Spec", FT_U24, BASE_HEX, 0, ssl2_cipher_vals },
	[F_SSL2_CHALLENGE_LEN] = { "tls.handshake.challenge_length", "Challenge Length", FT_U16, BASE_DEC, 0, NULL },
	[F_SSL2_CHALLENGE] = { "tls.handshake.challenge", "Challenge", FT_BYTES, BASE_NONE, 0, NULL },
};
const struct tw_field_table tls_field_table = { fields, F_COUNT };

/* ---- names ------------------------------------------------------------ */

const char *
tls_version_short(uint16_t v)
{
	switch (v) {
	case 0x0002: return "SSLv2";
	case 0x0300: return "SSLv3";
	case 0x0301: return "TLSv1";
	case 0x0302: return "TLSv1.1";
	case 0x0303: return "TLSv1.2";
	case 0x0304: return "TLSv1.3";
	default:
		if ((v & 0xff00) == 0x7f00)
			return "TLSv1.3"; /* drafts */
		return "TLS";
	}
}

const char *
tls_alert_rfc_name(uint8_t d)
{
	static const struct tw_valstr names[] = {
		{ 0, "close_notify" },         { 10, "unexpected_message" },  { 20, "bad_record_mac" },
		{ 21, "decryption_failed" },   { 22, "record_overflow" },     { 30, "decompression_failure" },
		{ 40, "handshake_failure" },   { 41, "no_certificate" },      { 42, "bad_certificate" },
		{ 43, "unsupported_certificate" }, { 44, "certificate_revoked" }, { 45, "certificate_expired" },
		{ 46, "certificate_unknown" }, { 47, "illegal_parameter" },   { 48, "unknown_ca" },
		{ 49, "access_denied" },       { 50, "decode_error" },        { 51, "decrypt_error" },
		{ 60, "export_restriction" },  { 70, "protocol_version" },    { 71, "insufficient_security" },
		{ 80, "internal_error" },      { 86, "inappropriate_fallback" }, { 90, "user_canceled" },
		{ 100, "no_renegotiation" },   { 109, "missing_extension" },  { 110, "unsupported_extension" },
		{ 111, "certificate_unobtainable" }, { 112, "unrecognized_name" },
		{ 113, "bad_certificate_status_response" }, { 114, "bad_certificate_hash_value" },
		{ 115, "unknown_psk_identity" }, { 116, "certificate_required" },
		{ 120, "no_application_protocol" }, { 0, NULL },
	};
	return val_to_str(d, names);
}

static bool
is_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

/* TLS 1.3 drafts before -22 (0x7f01..0x7f15) had no legacy session id or compression. */
static bool
early_draft(uint16_t v)
{
	return (v & 0xff00) == 0x7f00 && (v & 0xff) < 22;
}

/* RFC 8446 4.1.3: the HelloRetryRequest's special Random. */
static const uint8_t hrr_random[32] = {
	0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
	0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
};

/* ---- per-source state ------------------------------------------------- */

/* Where the bytes of one record sit relative to spanning handshake messages. */
struct rec_layout {
	uint32_t frame, foff;   /* key: the record's first byte */
	uint32_t head_len;      /* leading payload bytes that belong to an earlier message */
	uint32_t head_pdu;      /* its level-1 PDU (PIECE_SKIP while unknown) */
	bool head_done;         /* the message completes in this record */
	uint32_t tail_len;      /* trailing bytes that start a later message */
	uint32_t tail_pdu;
};

struct hs_stream {
	struct tw_piece *pend;  /* pieces of the message being reassembled */
	uint32_t npend, cappend;
	uint64_t bytes;
	uint32_t *waiting;      /* layouts to patch with the PDU id */
	uint32_t nwaiting, capwaiting;
};

struct tls_table {
	struct tls_conn *conns;
	size_t n, cap;
	uint32_t *by_conv;      /* conv index -> conns index + 1 (0: none) */
	size_t nby_conv;
	struct rec_layout *layouts;
	size_t nlayouts, caplayouts;
	bool sorted;
	struct hs_stream *hs;   /* [conns index * 2 + dir] */
	/* certificates' CRL/OCSP/CA issuers URLs, built on first use (tls_cert_url_users) */
	struct url_ent *urls;
	size_t nurls, capurls;
	char *upool;
	size_t nupool, capupool;
	bool urls_built;
	uint32_t cert_gen;      /* Certificate messages recorded so far (the index is rebuilt when it changes) */
	uint32_t urls_gen;
};

void
tls_table_free(struct tls_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n * 2 && t->hs; i++) {
		free(t->hs[i].pend);
		free(t->hs[i].waiting);
	}
	free(t->hs);
	free(t->conns);
	free(t->by_conv);
	free(t->layouts);
	free(t->urls);
	free(t->upool);
	free(t);
}

static struct tls_conn *
conn_for(struct tw_convs *cs, uint32_t conv, bool create)
{
	if (!cs)
		return NULL;
	struct tls_table *t = cs->tls;
	if (!t) {
		if (!create)
			return NULL;
		t = cs->tls = xcalloc(1, sizeof *t);
	}
	if (conv < t->nby_conv && t->by_conv[conv])
		return &t->conns[t->by_conv[conv] - 1];
	if (!create)
		return NULL;
	if (conv >= t->nby_conv) {
		size_t nn = t->nby_conv ? t->nby_conv : 64;
		while (nn <= conv)
			nn *= 2;
		t->by_conv = xreallocarray(t->by_conv, nn, sizeof *t->by_conv);
		memset(t->by_conv + t->nby_conv, 0, (nn - t->nby_conv) * sizeof *t->by_conv);
		t->nby_conv = nn;
	}
	if (t->n == t->cap) {
		size_t oc = t->cap;
		t->cap = t->cap ? t->cap * 2 : 16;
		t->conns = xreallocarray(t->conns, t->cap, sizeof *t->conns);
		t->hs = xreallocarray(t->hs, t->cap * 2, sizeof *t->hs);
		memset(t->hs + oc * 2, 0, (t->cap - oc) * 2 * sizeof *t->hs);
	}
	struct tls_conn *tc = &t->conns[t->n];
	memset(tc, 0, sizeof *tc);
	tc->conv = conv;
	t->by_conv[conv] = (uint32_t)++t->n;
	return tc;
}

const struct tls_conn *
tls_conn_get(const struct tw_convs *cs, uint32_t conv)
{
	return conn_for((struct tw_convs *)cs, conv, false);
}

const struct tls_conn *
tls_conn_nth(const struct tw_convs *cs, size_t i)
{
	const struct tls_table *t = cs ? cs->tls : NULL;
	return t && i < t->n ? &t->conns[i] : NULL;
}

static uint32_t
add_layout(struct tls_table *t, uint32_t frame, uint32_t foff)
{
	if (t->nlayouts && t->layouts[t->nlayouts - 1].frame == frame && t->layouts[t->nlayouts - 1].foff == foff)
		return (uint32_t)t->nlayouts - 1;
	if (t->nlayouts == t->caplayouts) {
		t->caplayouts = t->caplayouts ? t->caplayouts * 2 : 32;
		t->layouts = xreallocarray(t->layouts, t->caplayouts, sizeof *t->layouts);
	}
	struct rec_layout *l = &t->layouts[t->nlayouts];
	memset(l, 0, sizeof *l);
	l->frame = frame;
	l->foff = foff;
	l->head_pdu = l->tail_pdu = PIECE_SKIP;
	t->sorted = false;
	return (uint32_t)t->nlayouts++;
}

static int
cmp_layout(const void *a, const void *b)
{
	const struct rec_layout *x = a, *y = b;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	return x->foff < y->foff ? -1 : x->foff > y->foff;
}

static const struct rec_layout *
find_layout(struct tls_table *t, uint32_t frame, uint32_t foff)
{
	if (!t || !t->nlayouts)
		return NULL;
	if (!t->sorted) {
		qsort(t->layouts, t->nlayouts, sizeof *t->layouts, cmp_layout);
		t->sorted = true;
	}
	struct rec_layout key = { .frame = frame, .foff = foff };
	return bsearch(&key, t->layouts, t->nlayouts, sizeof key, cmp_layout);
}

/* ---- load pass -------------------------------------------------------- */

/*
 * Map [off, off+len) of a record to frame pieces: the record is either
 * single-segment (bytes at v->foff of frame v->frame) or a stored PDU.
 */
static size_t
map_range(const struct tw_reasm *r, const struct tw_pdu_view *v, uint32_t off, uint32_t len,
          struct tw_piece *out, size_t max)
{
	if (v->pdu == PIECE_SKIP) {
		if (!max)
			return 0;
		out[0] = (struct tw_piece){ v->frame, v->foff + off, len, 0 };
		return 1;
	}
	const struct tw_pdu *p = reasm_pdu(r, v->pdu);
	size_t n = 0;
	uint32_t pos = 0;
	for (uint32_t i = 0; p && i < p->npieces && len && n < max; i++) {
		const struct tw_piece *pc = reasm_piece(r, p->first_piece + i);
		if (off >= pos + pc->len) {
			pos += pc->len;
			continue;
		}
		uint32_t from = off - pos;
		uint32_t k = pc->len - from < len ? pc->len - from : len;
		out[n++] = (struct tw_piece){ pc->frame, pc->foff + from, k, 0 };
		off += k;
		len -= k;
		pos += pc->len;
	}
	return n;
}

static void
hs_push(struct hs_stream *h, const struct tw_piece *pcs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (h->npend == h->cappend) {
			h->cappend = h->cappend ? h->cappend * 2 : 8;
			h->pend = xreallocarray(h->pend, h->cappend, sizeof *h->pend);
		}
		h->pend[h->npend++] = pcs[i];
		h->bytes += pcs[i].len;
	}
}

static void
hs_wait(struct hs_stream *h, uint32_t layout)
{
	if (h->nwaiting == h->capwaiting) {
		h->capwaiting = h->capwaiting ? h->capwaiting * 2 : 4;
		h->waiting = xreallocarray(h->waiting, h->capwaiting, sizeof *h->waiting);
	}
	h->waiting[h->nwaiting++] = layout;
}

/* Read n bytes at offset off of the pending handshake pieces. */
static bool
hs_peek(struct tw_capture *cap, const struct hs_stream *h, uint64_t off, uint8_t *dst, size_t n)
{
	uint64_t pos = 0;
	for (uint32_t i = 0; i < h->npend && n; i++) {
		const struct tw_piece *pc = &h->pend[i];
		if (off >= pos + pc->len) {
			pos += pc->len;
			continue;
		}
		const struct tw_frame *f = capture_frame(cap, pc->frame);
		const uint8_t *fb = f ? capture_bytes(cap, f) : NULL;
		if (!fb)
			return false;
		uint32_t from = (uint32_t)(off - pos);
		uint32_t k = pc->len - from < n ? pc->len - from : (uint32_t)n;
		memcpy(dst, fb + pc->foff + from, k);
		dst += k;
		n -= k;
		off += k;
		pos += pc->len;
	}
	return n == 0;
}

/* Summarize one whole handshake message (type, body) into the connection. */
static void
hs_summary(struct tw_dctx *c, struct tls_conn *tc, int dir, uint8_t type, const uint8_t *body, size_t len,
           uint32_t frame, const struct tls_msg_loc *loc)
{
	if (type < 32)
		tc->msgs[dir] |= 1u << type;
	if (c->frame) {
		/* the filter's index: where the load pass saw it is where the tree shows it */
		if (type < 32)
			c->frame->hs_types |= 1u << type;
		else
			c->frame->flags |= FRAME_IDX_TLS_UNSURE;
	}
	tc->last_hs_frame[dir] = frame + 1;
	tc->last_hs_type[dir] = type;
	tc->last_hs_ts = c->pi.ts;
	struct tw_buf b = buf_init(body, len, len, 0);
	switch (type) {
	case 1: { /* ClientHello */
		tc->ch_frame = frame + 1;
		tc->ch_version = buf_be16(&b);
		tc->ch_max_version = tc->ch_version;
		buf_skip(&b, 32);
		buf_skip(&b, buf_u8(&b));
		uint16_t cslen = buf_be16(&b);
		tc->ncipher_offered = cslen / 2;
		buf_skip(&b, cslen);
		buf_skip(&b, buf_u8(&b));
		struct tw_buf ex = buf_sub(&b, buf_be16(&b));
		while (buf_left(&ex) >= 4) {
			uint16_t et = buf_be16(&ex);
			struct tw_buf ed = buf_sub(&ex, buf_be16(&ex));
			if (et == 0) { /* server_name */
				buf_skip(&ed, 2);
				if (buf_u8(&ed) == 0) {
					uint16_t nl = buf_be16(&ed);
					const uint8_t *nm = buf_ptr(&ed, nl);
					if (nm && nl < sizeof tc->sni) {
						memcpy(tc->sni, nm, nl);
						tc->sni_len = nl;
					}
				}
			} else if (et == 43) { /* supported_versions */
				struct tw_buf vl = buf_sub(&ed, buf_u8(&ed));
				while (buf_left(&vl) >= 2) {
					uint16_t v = buf_be16(&vl);
					if (!is_grease(v) && v > tc->ch_max_version && v <= 0x0304)
						tc->ch_max_version = v;
				}
			}
		}
		break;
	}
	case 2: { /* ServerHello (or HelloRetryRequest) */
		tc->sh_frame = frame + 1;
		tc->sh_version = buf_be16(&b);
		tc->version = tc->sh_version;
		bool draft = early_draft(tc->sh_version);
		const uint8_t *rnd = buf_ptr(&b, 32);
		bool hrr = !draft && rnd && memcmp(rnd, hrr_random, 32) == 0;
		if (hrr)
			tc->hrr = true;
		if (!draft)
			buf_skip(&b, buf_u8(&b));
		tc->cipher = buf_be16(&b);
		tc->have_cipher = buf_ok(&b);
		if (!draft)
			buf_skip(&b, 1);
		if (buf_left(&b) >= 2) {
			struct tw_buf ex = buf_sub(&b, buf_be16(&b));
			while (buf_left(&ex) >= 4) {
				uint16_t et = buf_be16(&ex);
				struct tw_buf ed = buf_sub(&ex, buf_be16(&ex));
				if (et == 43 && buf_left(&ed) >= 2)
					tc->version = buf_be16(&ed);
			}
		}
		if (!hrr && (tc->version == 0x0304 || (tc->version & 0xff00) == 0x7f00)) {
			/* TLS 1.3: everything after the ServerHello is encrypted. */
			tc->encrypted[0] = tc->encrypted[1] = true;
		}
		break;
	}
	case 11:
		tc->cert_frame[dir] = frame + 1;
		if (loc)
			tc->cert_msg[dir] = *loc;
		if (c->convs && c->convs->tls)
			c->convs->tls->cert_gen++;
		break;
	case 13:
		tc->certreq_frame = frame + 1;
		if (loc)
			tc->certreq_msg = *loc;
		break;
	default:
		break;
	}
}

/*
 * The location of bytes [off, off+len) of a record view: in the stored
 * PDU, or in the frame that holds a single-segment record (the frame whose
 * bytes the view points into; usually v->frame).
 */
static void
msg_loc(struct tw_dctx *c, const struct tw_pdu_view *v, uint32_t off, uint32_t len, struct tls_msg_loc *l)
{
	l->len = len;
	if (v->pdu != PIECE_SKIP) {
		l->pdu = v->pdu;
		l->frame = v->frame;
		l->off = off;
		return;
	}
	l->pdu = PIECE_SKIP;
	l->frame = v->frame;
	l->off = v->foff + off;
	uint32_t f = v->frame;
	for (uint32_t k = 0; c->cap && k < 64; k++, f--) {
		const struct tw_frame *fr = capture_frame(c->cap, f);
		const uint8_t *fb = fr ? capture_bytes(c->cap, fr) : NULL;
		if (fb && (uintptr_t)fb + v->foff == (uintptr_t)v->p) {
			l->frame = f;
			return;
		}
		if (f == 0)
			break;
	}
}

/*
 * Follow the handshake byte stream of one direction through a record's
 * payload (plen bytes at poff of the record view). Every byte of the
 * record and of the pending message header is read through a cursor.
 */
static void
hs_stream_record(struct tw_dctx *c, struct tls_table *t, struct tls_conn *tc, int dir,
                 const struct tw_pdu_view *v, uint32_t poff, uint32_t plen, uint32_t rec_frame,
                 uint32_t rec_foff)
{
	struct tw_reasm *r = c->convs->reasm;
	struct hs_stream *h = &t->hs[(size_t)(tc - t->conns) * 2 + (size_t)dir];
	if (poff > v->len || plen > v->len - poff)
		return; /* the caller clips plen to the record: cannot happen */
	struct tw_buf rb = buf_init(v->p + poff, plen, plen, 0);
	uint32_t layout = UINT32_MAX;
	if (h->bytes) {
		/* Continue a message that started in an earlier record: its 4-byte
		 * header from the pending pieces, completed from this record if split. */
		uint8_t hdr[4] = { 0 };
		size_t have = h->bytes < 4 ? (size_t)h->bytes : 4;
		hs_peek(c->cap, h, 0, hdr, have);
		if (have < 4) {
			struct tw_buf peek = rb;
			size_t more = 4 - have < buf_left(&peek) ? 4 - have : buf_left(&peek);
			buf_copy(&peek, hdr + have, more);
		}
		struct tw_buf hb = buf_init(hdr, 4, 4, 0);
		buf_skip(&hb, 1);
		uint64_t mlen = buf_be24(&hb);
		uint64_t need = 4 + mlen > h->bytes ? 4 + mlen - h->bytes : 0;
		uint32_t k = need < plen ? (uint32_t)need : plen;
		struct tw_piece pcs[16];
		size_t n = map_range(r, v, poff, k, pcs, ARRAY_SIZE(pcs));
		hs_push(h, pcs, n);
		layout = add_layout(t, rec_frame, rec_foff);
		t->layouts[layout].head_len = k;
		buf_skip(&rb, k);
		if (k == need) {
			uint32_t id = reasm_add_pdu(r, h->pend, h->npend, v->frame, v->conv, dir, APP_TLS_HS, 1, 0);
			t->layouts[layout].head_pdu = id;
			t->layouts[layout].head_done = true;
			for (uint32_t i = 0; i < h->nwaiting; i++) {
				struct rec_layout *l = &t->layouts[h->waiting[i]];
				if (l->tail_pdu == PIECE_SKIP && l->tail_len)
					l->tail_pdu = id;
				else if (l->head_pdu == PIECE_SKIP)
					l->head_pdu = id;
			}
			h->nwaiting = 0;
			/* Summarize it from a gathered copy. */
			const struct tw_pdu *pd = reasm_pdu(r, id);
			uint8_t *buf = xmalloc(pd->len ? pd->len : 1);
			reasm_copy(r, c->cap, id, buf);
			struct tls_msg_loc loc = { id, v->frame, 0, pd->len };
			struct tw_buf mb = buf_init(buf, pd->len, pd->len, 0);
			uint8_t type = buf_u8(&mb);
			buf_skip(&mb, 3);
			if (buf_ok(&mb))
				hs_summary(c, tc, dir, type, buf + mb.off, buf_left(&mb), v->frame, &loc);
			free(buf);
			h->npend = 0;
			h->bytes = 0;
		} else {
			hs_wait(h, layout);
			return;
		}
	}
	/* Whole messages inside this record. */
	while (buf_left(&rb) >= 4) {
		struct tw_buf m = rb;
		uint32_t at = (uint32_t)m.off;
		uint8_t type = buf_u8(&m);
		uint32_t mlen = buf_be24(&m);
		const uint8_t *body = buf_ptr(&m, mlen);
		if (!body)
			break; /* continues in a later record */
		struct tls_msg_loc loc = { PIECE_SKIP, 0, 0, 0 };
		if (type == 11 || type == 13) /* where the chain model finds it again */
			msg_loc(c, v, poff + at, 4 + mlen, &loc);
		hs_summary(c, tc, dir, type, body, mlen, v->frame, &loc);
		rb = m;
	}
	if (buf_left(&rb)) {
		/* A message starts here and continues in a later record. */
		uint32_t at = (uint32_t)rb.off;
		struct tw_piece pcs[16];
		size_t n = map_range(r, v, poff + at, plen - at, pcs, ARRAY_SIZE(pcs));
		hs_push(h, pcs, n);
		if (layout == UINT32_MAX)
			layout = add_layout(t, rec_frame, rec_foff);
		t->layouts[layout].tail_len = plen - at;
		hs_wait(h, layout);
	}
}

void
tls_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v)
{
	if (!c->convs || v->len < 1 || (v->flags & PDU_INCOMPLETE)) {
		if (c->frame)
			c->frame->flags |= FRAME_IDX_TLS_UNSURE;
		return; /* a record cut short says nothing reliable about the handshake */
	}
	struct tls_conn *tc = conn_for(c->convs, v->conv, true);
	struct tls_table *t = c->convs->tls;
	int dir = v->dir;
	/* The record's identity for display: its first byte. */
	uint32_t rec_frame = v->frame, rec_foff = v->foff;
	if (v->pdu != PIECE_SKIP) {
		const struct tw_pdu *pd = reasm_pdu(c->convs->reasm, v->pdu);
		const struct tw_piece *pc = pd ? reasm_piece(c->convs->reasm, pd->first_piece) : NULL;
		if (pc) {
			rec_frame = pc->frame;
			rec_foff = pc->foff;
		}
	}
	struct tw_buf b = buf_init(v->p, v->len, v->len, 0);
	uint8_t b0 = buf_peek_u8(&b, 0);
	if ((b0 & 0x80) && buf_peek_u8(&b, 2) == 1 && buf_has(&b, 5)) {
		/* SSL 2.0-compatible ClientHello: 2-byte length, type 1, version. */
		buf_skip(&b, 3);
		tc->sslv2_hello = true;
		tc->ch_frame = v->frame + 1;
		tc->ch_version = buf_be16(&b);
		tc->ch_max_version = tc->ch_version;
		tc->msgs[dir] |= 1u << 1;
		if (c->frame)
			c->frame->hs_types |= 1u << 1;
		tc->last_hs_frame[dir] = v->frame + 1;
		tc->last_hs_type[dir] = 1;
		return;
	}
	uint8_t type = buf_u8(&b);
	buf_skip(&b, 2);
	uint16_t rlen = buf_be16(&b);
	if (!buf_ok(&b))
		return;
	/* The fragment as present (a record cut short is clipped, not read past). */
	uint32_t plen = rlen < buf_left(&b) ? rlen : (uint32_t)buf_left(&b);
	switch (type) {
	case 20: /* ChangeCipherSpec: what follows is encrypted (TLS <= 1.2) */
		if (tc->version != 0x0304 && !tc->ccs_frame[dir]) {
			tc->encrypted[dir] = true;
			tc->ccs_frame[dir] = rec_frame + 1;
			tc->ccs_foff[dir] = rec_foff;
		}
		break;
	case 21: /* Alert */
		if (!tc->have_alert || (!tc->alert_encrypted && tc->alert_level != 2)) {
			/* As on display: a plain alert is exactly 2 bytes, sent before encryption. */
			bool enc = tc->encrypted[dir] || rlen != 2;
			uint8_t level = buf_u8(&b), desc = buf_u8(&b);
			if (!enc && !buf_ok(&b))
				break; /* cut short: says nothing reliable */
			if (!tc->have_alert || !enc) {
				tc->have_alert = true;
				tc->alert_encrypted = enc;
				tc->alert_level = enc ? 0 : level;
				tc->alert_desc = enc ? 0 : desc;
				tc->alert_dir = (uint8_t)dir;
				tc->alert_frame = v->frame + 1;
				tc->alert_ts = c->pi.ts;
			}
		}
		break;
	case 22:
		if (!tc->encrypted[dir])
			hs_stream_record(c, t, tc, dir, v, 5, plen, rec_frame, rec_foff);
		break;
	case 23:
		tc->appdata[dir]++;
		break;
	default:
		break;
	}
}

/* ---- connection summary ---------------------------------------------- */

bool
tls_handshake_complete(const struct tls_conn *tc)
{
	if (!tc)
		return false;
	if (tc->have_alert && tc->alert_level == 2 && !tc->alert_encrypted)
		return false;
	if (tc->version == 0x0304 || (tc->version & 0xff00) == 0x7f00)
		return tc->appdata[0] && tc->appdata[1];
	return tc->ccs_frame[0] && tc->ccs_frame[1];
}

static const char *
hs_name(uint8_t type)
{
	const char *n = val_to_str(type, tls_handshake_vals);
	return n ? n : "handshake message";
}

static void
describe_version(struct tw_sb *sb, uint16_t v)
{
	const char *n = val_to_str(v, tls_version_vals);
	if (n)
		sb_adds(sb, n);
	else
		sb_addf(sb, "0x%04x", v);
}

void
tls_conn_describe(struct tw_sb *sb, const struct tls_conn *tc, const struct tw_conv *cv)
{
	if (tc->sni_len) {
		sb_adds(sb, "SNI ");
		sb_add_escaped(sb, tc->sni, tc->sni_len);
		sb_adds(sb, ", ");
	} else {
		sb_adds(sb, "no SNI, ");
	}
	if (tc->version) {
		describe_version(sb, tc->version);
		if (tc->have_cipher) {
			const char *cn = val_to_str(tc->cipher, tls_ciphersuite_vals);
			sb_adds(sb, " ");
			if (cn)
				sb_adds(sb, cn);
			else
				sb_addf(sb, "0x%04x", tc->cipher);
		}
	} else if (tc->ch_frame) {
		sb_adds(sb, "client offered ");
		describe_version(sb, tc->ch_max_version);
		sb_adds(sb, ", no ServerHello");
	}
	if (tls_handshake_complete(tc)) {
		sb_adds(sb, "; handshake complete");
	} else {
		/* Where it stopped: the later of the two sides' last messages. */
		int last = tc->last_hs_frame[1] > tc->last_hs_frame[0] ? 1 : 0;
		if (tc->last_hs_frame[last])
			sb_addf(sb, "; handshake stopped after the %s's %s (frame %u)", last ? "server" : "client",
			        hs_name(tc->last_hs_type[last]), tc->last_hs_frame[last]);
	}
	if (tc->have_alert) {
		const char *who = tc->alert_dir ? "server" : "client";
		if (tc->alert_encrypted) {
			sb_addf(sb, "; encrypted alert from the %s (frame %u)", who, tc->alert_frame);
		} else {
			const char *rfc = tls_alert_rfc_name(tc->alert_desc);
			sb_addf(sb, "; %s %s alert %s (%u) (frame %u", who, tc->alert_level == 2 ? "fatal" : "warning",
			        rfc ? rfc : "unknown", tc->alert_desc, tc->alert_frame);
			if (tc->last_hs_frame[!tc->alert_dir] && tc->alert_ts >= tc->last_hs_ts) {
				sb_adds(sb, ", ");
				fmt_rel_time(sb, tc->alert_ts - tc->last_hs_ts, 6);
				sb_addf(sb, " s after the %s's %s", tc->alert_dir ? "client" : "server",
				        hs_name(tc->last_hs_type[!tc->alert_dir]));
			}
			sb_addc(sb, ')');
		}
	}
	if (cv) {
		if (cv->rst_frame) {
			sb_addf(sb, "; reset by the %s (frame %u)", cv->rst_dir ? "server" : "client", cv->rst_frame);
		} else if (cv->fin_frame[0] || cv->fin_frame[1]) {
			int first = !cv->fin_frame[0] ? 1 : !cv->fin_frame[1] ? 0 : cv->fin_frame[1] < cv->fin_frame[0];
			sb_addf(sb, "; closed (FIN) first by the %s (frame %u)", first ? "server" : "client", cv->fin_frame[first]);
		}
	}
}

void
tls_conn_tree(struct tw_tree *t, struct tw_node *parent, const struct tls_conn *tc, const struct tw_conv *cv)
{
	if (!t || !parent || !tc)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_adds(&sb, "[TLS connection: ");
	tls_conn_describe(&sb, tc, cv);
	sb_addc(&sb, ']');
	struct tw_node *n = tree_add_gen(t, parent, NULL);
	n->label = arena_strndup(t->arena, sb.s, sb.len);
	for (int side = 0; side < 2; side++) {
		sb_reset(&sb);
		sb_addf(&sb, "[%s sent:", side ? "Server" : "Client");
		bool any = false;
		for (unsigned ty = 0; ty < 32; ty++)
			if (tc->msgs[side] & (1u << ty)) {
				sb_addf(&sb, "%s %s", any ? "," : "", hs_name((uint8_t)ty));
				any = true;
			}
		if (tc->ccs_frame[side])
			sb_addf(&sb, "%s Change Cipher Spec (frame %u)", any ? "," : "", tc->ccs_frame[side]);
		if (!any && !tc->ccs_frame[side])
			sb_adds(&sb, " no handshake message");
		if (tc->appdata[side])
			sb_addf(&sb, "; %u application data record%s", tc->appdata[side], tc->appdata[side] == 1 ? "" : "s");
		sb_addc(&sb, ']');
		tree_add_text(t, n, NULL, 0, 0, "%s", sb.s);
	}
	if (tc->ch_frame) {
		sb_reset(&sb);
		sb_adds(&sb, "[Client offered: ");
		describe_version(&sb, tc->ch_max_version);
		sb_addf(&sb, " (legacy version 0x%04x), %u cipher suites; Client Hello in frame %u]", tc->ch_version,
		        tc->ncipher_offered, tc->ch_frame);
		tree_add_text(t, n, NULL, 0, 0, "%s", sb.s);
	}
	if (tc->hrr)
		tree_add_text(t, n, NULL, 0, 0, "[The server sent a HelloRetryRequest]");
	sb_free(&sb);
}

/* ---- display ---------------------------------------------------------- */

/* Info: the frame's TLS messages, comma-separated, as Wireshark lists them. */
static void
info_msg(struct tw_dctx *c, const char *fmt, ...) TW_PRINTF(2, 3);

static void
info_msg(struct tw_dctx *c, const char *fmt, ...)
{
	if (c->pi.in_error)
		return;
	if (c->pi.top != PROTO_TLS) {
		col_clear_info(c);
		c->pi.top = PROTO_TLS;
	} else if (c->pi.info.len) {
		col_add_info(c, ", ");
	}
	if (fmt[0] == '%' && fmt[1] == 's' && !fmt[2]) {
		/* The common case, a message name: no formatting. */
		va_list ap;
		va_start(ap, fmt);
		sb_adds(&c->pi.info, va_arg(ap, const char *));
		va_end(ap);
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	sb_vaddf(&c->pi.info, fmt, ap);
	va_end(ap);
}

static void
add_bytes(struct tw_tree *t, struct tw_node *parent, int f, struct tw_buf *b, size_t n)
{
	size_t at = b->off;
	const uint8_t *p = buf_ptr(b, n);
	struct tw_node *x = tree_add(t, parent, &fields[f], b, at, n);
	if (p)
		node_set_bytes(x, p, n);
	else
		node_note_buf(t, x, b, fields[f].name);
}

/* An RFC 2253 distinguished name from DER, through OpenSSL; escaped. */
static char *
dn_string(struct tw_arena *a, const uint8_t *der, size_t len)
{
	const unsigned char *q = der;
	X509_NAME *nm = d2i_X509_NAME(NULL, &q, (long)len);
	if (!nm)
		return NULL;
	BIO *bio = BIO_new(BIO_s_mem());
	X509_NAME_print_ex(bio, nm, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB);
	char *data;
	long n = BIO_get_mem_data(bio, &data);
	struct tw_sb sb;
	sb_heap(&sb);
	sb_add_escaped(&sb, data, n > 0 ? (size_t)n : 0);
	char *s = arena_strndup(a, sb.s, sb.len);
	sb_free(&sb);
	BIO_free(bio);
	X509_NAME_free(nm);
	return s;
}

static char *
cert_subject(struct tw_arena *a, const uint8_t *der, size_t len)
{
	const unsigned char *q = der;
	X509 *x = d2i_X509(NULL, &q, (long)len);
	if (!x)
		return NULL;
	unsigned char *enc = NULL;
	int n = i2d_X509_NAME(X509_get_subject_name(x), &enc);
	char *s = n > 0 ? dn_string(a, enc, (size_t)n) : NULL;
	OPENSSL_free(enc);
	X509_free(x);
	return s;
}

/* A u16-length-prefixed list of u16 values (cipher suites, groups, sigalgs). */
static void
u16_list(struct tw_dctx *c, struct tw_node *parent, struct tw_buf *b, int flen, int flist, int fitem,
         const char *what, bool len_u8)
{
	struct tw_tree *t = c->tree;
	uint32_t n = len_u8 ? tree_read_u8(t, parent, &fields[flen], b) : tree_read_be16(t, parent, &fields[flen], b);
	struct tw_node *l = flist >= 0 ? tree_add_here(t, parent, &fields[flist], b, n) : parent;
	if (flist >= 0)
		node_label(t, l, "%s (%u %s)", fields[flist].name, n / 2, what);
	struct tw_buf lb = buf_sub(b, n);
	while (buf_left(&lb) >= 2) {
		size_t at = lb.off;
		uint16_t v = buf_be16(&lb);
		struct tw_node *x = tree_add_bits(t, l, &fields[fitem], &lb, at, 2, v);
		if (is_grease(v))
			node_label(t, x, "%s: Reserved (GREASE) (0x%04x)", fields[fitem].name, v);
	}
	if (!buf_ok(&lb))
		node_note_buf(t, l, &lb, what);
	else if (buf_left(&lb))
		tree_expert(t, l ? l : parent, TW_SEV_ERROR, "[Malformed: the %s list length %u is odd]", what, n);
	else if (!buf_ok(b))
		node_note_buf(t, l, b, what);
}

static void
extension_body(struct tw_dctx *c, struct tw_node *ext, struct tw_buf *d, uint16_t type, uint8_t msg)
{
	struct tw_tree *t = c->tree;
	switch (type) {
	case 0: /* server_name (RFC 6066 3) */
		if (!buf_left(d))
			return; /* empty in a ServerHello */
		{
			uint16_t ll = tree_read_be16(t, ext, &fields[F_SNI_LIST_LEN], d);
			struct tw_buf l = buf_sub(d, ll);
			while (buf_left(&l) >= 3) {
				tree_read_u8(t, ext, &fields[F_SNI_TYPE], &l);
				uint16_t nl = tree_read_be16(t, ext, &fields[F_SNI_LEN], &l);
				size_t at = l.off;
				const uint8_t *nm = buf_ptr(&l, nl);
				struct tw_node *x = tree_add(t, ext, &fields[F_SNI], &l, at, nl);
				if (nm) {
					node_set_bytes(x, nm, nl);
					if (ext && t->labels) {
						char *esc = tw_escape_dup(nm, nl);
						node_append(t, ext, " name=%s", esc);
						free(esc);
					}
				} else {
					node_note_buf(t, x, &l, "server name");
				}
			}
		}
		break;
	case 10: /* supported_groups (RFC 8446 4.2.7) */
		u16_list(c, ext, d, F_GROUPS_LEN, F_GROUPS, F_GROUP, "groups", false);
		break;
	case 11: { /* ec_point_formats (RFC 8422 5.1.2) */
		uint8_t n = tree_read_u8(t, ext, &fields[F_ECPF_LEN], d);
		struct tw_buf l = buf_sub(d, n);
		while (buf_left(&l))
			tree_read_u8(t, ext, &fields[F_ECPF], &l);
		break;
	}
	case 13: /* signature_algorithms (RFC 8446 4.2.3) */
	case 50: /* signature_algorithms_cert */
		u16_list(c, ext, d, F_SIGALGS_LEN, F_SIGALGS, F_SIGALG, "algorithms", false);
		break;
	case 16: { /* ALPN (RFC 7301) */
		uint16_t ll = tree_read_be16(t, ext, &fields[F_ALPN_LEN], d);
		struct tw_buf l = buf_sub(d, ll);
		while (buf_left(&l)) {
			uint8_t sl = tree_read_u8(t, ext, &fields[F_ALPN_STR_LEN], &l);
			size_t at = l.off;
			const uint8_t *s = buf_ptr(&l, sl);
			struct tw_node *x = tree_add(t, ext, &fields[F_ALPN_STR], &l, at, sl);
			if (s)
				node_set_bytes(x, s, sl);
			else
				node_note_buf(t, x, &l, "ALPN protocol");
		}
		break;
	}
	case 43: /* supported_versions (RFC 8446 4.2.1) */
		if (msg == 1)
			u16_list(c, ext, d, F_SV_LEN, -1, F_SV, "versions", true);
		else
			tree_read_be16(t, ext, &fields[F_SV], d);
		break;
	case 51: /* key_share (RFC 8446 4.2.8) */
		if (msg == 1) {
			uint16_t ll = tree_read_be16(t, ext, &fields[F_KS_CLIENT_LEN], d);
			struct tw_buf l = buf_sub(d, ll);
			while (buf_left(&l) >= 4) {
				size_t at = l.off;
				uint16_t g = buf_peek_be16(&l, 0);
				uint16_t kl = buf_peek_be16(&l, 2);
				struct tw_node *e = tree_add(t, ext, NULL, &l, at, 4 + (size_t)kl);
				char u[32];
				node_label(t, e, "Key Share Entry: Group: %s, Key Exchange length: %u",
				           is_grease(g) ? "Reserved (GREASE)" : val_to_str_unk(g, tls_group_vals, u, sizeof u), kl);
				if (e && !e->label)
					e->label = "Key Share Entry";
				tree_read_be16(t, e, &fields[F_KS_GROUP], &l);
				tree_read_be16(t, e, &fields[F_KS_KE_LEN], &l);
				add_bytes(t, e, F_KS_KE, &l, kl);
			}
		} else if (buf_left(d) == 2) {
			tree_read_be16(t, ext, &fields[F_KS_SELECTED], d); /* HelloRetryRequest */
		} else {
			tree_read_be16(t, ext, &fields[F_KS_GROUP], d);
			uint16_t kl = tree_read_be16(t, ext, &fields[F_KS_KE_LEN], d);
			add_bytes(t, ext, F_KS_KE, d, kl);
		}
		break;
	case 45: { /* psk_key_exchange_modes (RFC 8446 4.2.9) */
		uint8_t n = tree_read_u8(t, ext, &fields[F_PSK_KE_MODES_LEN], d);
		struct tw_buf l = buf_sub(d, n);
		while (buf_left(&l))
			tree_read_u8(t, ext, &fields[F_PSK_KE_MODE], &l);
		break;
	}
	case 5: /* status_request (RFC 6066 8) */
		if (buf_left(d))
			tree_read_u8(t, ext, &fields[F_STATUS_TYPE], d);
		break;
	case 65281: { /* renegotiation_info (RFC 5746) */
		uint8_t n = tree_read_u8(t, ext, &fields[F_RENEG_LEN], d);
		if (n)
			add_bytes(t, ext, F_RENEG, d, n);
		break;
	}
	case 28: /* record_size_limit (RFC 8449) */
		tree_read_be16(t, ext, &fields[F_RECORD_SIZE_LIMIT], d);
		break;
	case 35: /* session_ticket (RFC 5077) */
		if (buf_left(d))
			add_bytes(t, ext, F_TICKET_DATA, d, buf_left(d));
		break;
	case 21: /* padding (RFC 7685) */
		add_bytes(t, ext, F_PADDING, d, buf_left(d));
		break;
	case 44: { /* cookie (RFC 8446 4.2.2) */
		uint16_t n = tree_read_be16(t, ext, &fields[F_COOKIE_LEN], d);
		add_bytes(t, ext, F_COOKIE, d, n);
		break;
	}
	case 22: /* encrypt_then_mac (RFC 7366) */
	case 23: /* extended_master_secret (RFC 7627) */
	case 42: /* early_data */
		break;
	default:
		if (buf_left(d))
			add_bytes(t, ext, F_EXT_DATA, d, buf_left(d));
		break;
	}
	if (buf_left(d) && buf_ok(d))
		tree_expert(t, ext, TW_SEV_WARN, "%zu byte%s of extension data not dissected", buf_left(d),
		            buf_left(d) == 1 ? "" : "s");
	if (!buf_ok(d))
		node_note_buf(t, ext, d, "extension");
}

static void
extensions(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b, uint8_t msg)
{
	struct tw_tree *t = c->tree;
	if (!buf_left(b))
		return; /* extensions are optional before TLS 1.3 */
	uint16_t total = tree_read_be16(t, hs, &fields[F_EXTS_LEN], b);
	struct tw_buf eb = buf_sub(b, total);
	if (!buf_ok(b))
		node_note_buf(t, hs, b, "extensions");
	while (buf_left(&eb) >= 4) {
		size_t at = eb.off;
		uint16_t type = buf_peek_be16(&eb, 0);
		uint16_t len = buf_peek_be16(&eb, 2);
		struct tw_node *ext = tree_add(t, hs, NULL, &eb, at, 4 + (size_t)len);
		char u[32];
		const char *name = is_grease(type) ? "Reserved (GREASE)" : val_to_str_unk(type, tls_extension_vals, u, sizeof u);
		node_label(t, ext, "Extension: %s (len=%u)", name, len);
		if (ext && !ext->label)
			ext->label = "Extension";
		tree_read_be16(t, ext, &fields[F_EXT_TYPE], &eb);
		if (is_grease(type) && ext)
			node_label(t, ext->last, "Type: Reserved (GREASE) (%u)", type);
		tree_read_be16(t, ext, &fields[F_EXT_LEN], &eb);
		struct tw_buf d = buf_sub(&eb, len);
		extension_body(c, ext, &d, type, msg);
	}
	if (buf_left(&eb))
		tree_expert(t, hs, TW_SEV_WARN, "%zu trailing byte%s in the extensions", buf_left(&eb),
		            buf_left(&eb) == 1 ? "" : "s");
}

static void
random_field(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b, bool hrr_check, bool *hrr)
{
	struct tw_tree *t = c->tree;
	size_t at = b->off;
	const uint8_t *r = buf_ptr(b, 32);
	struct tw_node *rn = tree_add(t, hs, &fields[F_RANDOM], b, at, 32);
	if (!r) {
		node_note_buf(t, rn, b, "random");
		return;
	}
	node_set_bytes(rn, r, 32);
	if (hrr_check && memcmp(r, hrr_random, 32) == 0) {
		*hrr = true;
		node_append(t, rn, " (HelloRetryRequest magic)");
	}
	uint32_t gmt = ((uint32_t)r[0] << 24) | ((uint32_t)r[1] << 16) | ((uint32_t)r[2] << 8) | r[3];
	struct tw_node *x = tree_add(t, rn, &fields[F_RANDOM_TIME], b, at, 4);
	node_set_i(x, (int64_t)gmt * TW_NS_PER_SEC);
	x = tree_add(t, rn, &fields[F_RANDOM_BYTES], b, at + 4, 28);
	node_set_bytes(x, r + 4, 28);
}

static void
session_id(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b)
{
	uint8_t n = tree_read_u8(c->tree, hs, &fields[F_SESSION_ID_LEN], b);
	if (n)
		add_bytes(c->tree, hs, F_SESSION_ID, b, n);
}

static void
client_hello(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b)
{
	struct tw_tree *t = c->tree;
	tree_read_be16(t, hs, &fields[F_HS_VERSION], b);
	bool hrr = false;
	random_field(c, hs, b, false, &hrr);
	session_id(c, hs, b);
	u16_list(c, hs, b, F_CIPHER_SUITES_LEN, F_CIPHER_SUITES, F_CIPHER_SUITE, "suites", false);
	uint8_t ncomp = tree_read_u8(t, hs, &fields[F_COMP_LEN], b);
	struct tw_node *cm = tree_add_here(t, hs, &fields[F_COMP_METHODS], b, ncomp);
	node_label(t, cm, "Compression Methods (%u method%s)", ncomp, ncomp == 1 ? "" : "s");
	struct tw_buf cb = buf_sub(b, ncomp);
	while (buf_left(&cb))
		tree_read_u8(t, cm, &fields[F_COMP_METHOD], &cb);
	extensions(c, hs, b, 1);
}

static void
server_hello(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b, bool *hrr)
{
	struct tw_tree *t = c->tree;
	uint16_t v = tree_read_be16(t, hs, &fields[F_HS_VERSION], b);
	random_field(c, hs, b, !early_draft(v), hrr);
	if (!early_draft(v))
		session_id(c, hs, b);
	tree_read_be16(t, hs, &fields[F_CIPHER_SUITE], b);
	if (!early_draft(v))
		tree_read_u8(t, hs, &fields[F_COMP_METHOD], b);
	extensions(c, hs, b, 2);
}

static void chain_trees(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *list, struct tw_buf *lb,
                        const uint8_t *const *der, const size_t *dlen, const size_t *dat, struct tw_node *const *dn,
                        size_t n);

static void
certificates(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *hs, struct tw_buf *b, bool tls13)
{
	struct tw_tree *t = c->tree;
	/* What the chain model needs (x509.c): each certificate's bytes and node. */
	const uint8_t *ders[X509_MAX_CHAIN];
	size_t dlen[X509_MAX_CHAIN], dat[X509_MAX_CHAIN];
	struct tw_node *dnodes[X509_MAX_CHAIN];
	size_t nd = 0;
	if (tls13) {
		uint8_t ctx = buf_u8(b);
		buf_skip(b, ctx);
	}
	uint32_t total = tree_read_be24(t, hs, &fields[F_CERTS_LEN], b);
	struct tw_node *list = tree_add_here(t, hs, &fields[F_CERTS], b, total);
	struct tw_buf lb = buf_sub(b, total);
	unsigned count = 0;
	while (buf_left(&lb) >= 3) {
		uint32_t len = tree_read_be24(t, list, &fields[F_CERT_LEN], &lb);
		size_t at = lb.off;
		const uint8_t *der = buf_ptr(&lb, len);
		struct tw_node *cn = tree_add(t, list, &fields[F_CERT], &lb, at, len);
		count++;
		if (!der) {
			node_note_buf(t, cn, &lb, "certificate");
			break;
		}
		node_set_bytes(cn, der, len);
		if (cn && nd < X509_MAX_CHAIN) {
			ders[nd] = der;
			dlen[nd] = len;
			dat[nd] = at;
			dnodes[nd++] = cn;
		}
		if (cn && t->labels) {
			char *subj = cert_subject(t->arena, der, len);
			if (subj) {
				node_label(t, cn, "Certificate %u (%u bytes): %s", count, len, subj);
				struct tw_node *s = tree_add_gen(t, cn, &fields[F_CERT_SUBJECT]);
				node_set_bytes(s, (const uint8_t *)subj, strlen(subj));
			} else {
				node_label(t, cn, "Certificate %u (%u bytes): [not a valid X.509 certificate]", count, len);
				tree_expert(t, cn, TW_SEV_ERROR, "Certificate %u cannot be parsed as X.509 DER", count);
			}
		}
		if (tls13) {
			uint16_t el = buf_be16(&lb);
			buf_skip(&lb, el);
		}
	}
	node_label(t, list, "Certificates (%u bytes, %u certificate%s)", total, count, count == 1 ? "" : "s");
	if (!buf_ok(&lb))
		node_note_buf(t, list, &lb, "certificate list");
	else if (list)
		chain_trees(c, tc, list, &lb, ders, dlen, dat, dnodes, nd);
}

static void
cert_request(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b, bool tls12)
{
	struct tw_tree *t = c->tree;
	uint8_t n = tree_read_u8(t, hs, &fields[F_CERT_TYPES_COUNT], b);
	struct tw_buf tb = buf_sub(b, n);
	while (buf_left(&tb))
		tree_read_u8(t, hs, &fields[F_CERT_TYPE], &tb);
	if (tls12)
		u16_list(c, hs, b, F_SIGALGS_LEN, F_SIGALGS, F_SIGALG, "algorithms", false);
	uint16_t dl = tree_read_be16(t, hs, &fields[F_DNAMES_LEN], b);
	struct tw_node *dn = tree_add_here(t, hs, NULL, b, dl);
	struct tw_buf db = buf_sub(b, dl);
	unsigned count = 0;
	while (buf_left(&db) >= 2) {
		uint16_t l = tree_read_be16(t, dn, &fields[F_DNAME_LEN], &db);
		size_t at = db.off;
		const uint8_t *der = buf_ptr(&db, l);
		struct tw_node *x = tree_add(t, dn, &fields[F_DNAME], &db, at, l);
		count++;
		if (!der) {
			node_note_buf(t, x, &db, "distinguished name");
			break;
		}
		char *s = t ? dn_string(t->arena, der, l) : NULL;
		if (s) {
			node_set_bytes(x, (const uint8_t *)s, strlen(s));
			x509_name_attrs_tree(t, x, der, l);
		} else if (x) {
			node_label(t, x, "Distinguished Name: [not valid DER]");
			tree_expert(t, x, TW_SEV_WARN, "Acceptable CA name %u is not a valid DER Name", count);
		}
	}
	if (dn) {
		dn->label = arena_printf(t->arena, "Distinguished Names (%u byte%s, %u name%s)", dl, dl == 1 ? "" : "s",
		                         count, count == 1 ? "" : "s");
		if (!count)
			tree_add_text(t, dn, NULL, 0, 0, "[The server accepts certificates from any CA it trusts]");
	}
}

/* ---- certificate chains (x509.h) ------------------------------------- */

uint8_t *
tls_msg_copy(struct tw_convs *cs, struct tw_capture *cap, const struct tls_msg_loc *l)
{
	if (!l || !l->len || !cap)
		return NULL;
	if (l->pdu == PIECE_SKIP) {
		const struct tw_frame *f = capture_frame(cap, l->frame);
		const uint8_t *p = f ? capture_bytes(cap, f) : NULL;
		if (!p || l->off > f->caplen || l->len > f->caplen - l->off)
			return NULL;
		uint8_t *out = xmalloc(l->len);
		memcpy(out, p + l->off, l->len);
		return out;
	}
	const struct tw_pdu *pd = cs && cs->reasm ? reasm_pdu(cs->reasm, l->pdu) : NULL;
	if (!pd || l->off > pd->len || l->len > pd->len - l->off)
		return NULL;
	uint8_t *all = xmalloc(pd->len ? pd->len : 1);
	if (!reasm_copy(cs->reasm, cap, l->pdu, all)) {
		free(all);
		return NULL;
	}
	if (l->off)
		memmove(all, all + l->off, l->len);
	return all;
}

size_t
tls_cert_list(const uint8_t *msg, size_t len, bool tls13, const uint8_t **der, size_t *dlen, size_t max)
{
	struct tw_buf b = buf_init(msg, len, len, 0);
	if (buf_u8(&b) != 11)
		return 0;
	struct tw_buf body = buf_sub(&b, buf_be24(&b));
	if (tls13)
		buf_skip(&body, buf_u8(&body));
	struct tw_buf lb = buf_sub(&body, buf_be24(&body));
	size_t n = 0;
	while (buf_left(&lb) >= 3) {
		uint32_t l = buf_be24(&lb);
		const uint8_t *p = buf_ptr(&lb, l);
		if (!p)
			break;
		if (n < max) {
			der[n] = p;
			dlen[n] = l;
		}
		n++;
		if (tls13)
			buf_skip(&lb, buf_be16(&lb));
	}
	return n;
}

size_t
tls_certreq_names(const uint8_t *msg, size_t len, bool tls12, const uint8_t **der, size_t *dlen, size_t max)
{
	struct tw_buf b = buf_init(msg, len, len, 0);
	if (buf_u8(&b) != 13)
		return 0;
	struct tw_buf body = buf_sub(&b, buf_be24(&b));
	buf_skip(&body, buf_u8(&body));
	if (tls12)
		buf_skip(&body, buf_be16(&body));
	struct tw_buf db = buf_sub(&body, buf_be16(&body));
	size_t n = 0;
	while (buf_left(&db) >= 2 && n < max) {
		uint16_t l = buf_be16(&db);
		const uint8_t *p = buf_ptr(&db, l);
		if (!p)
			break;
		der[n] = p;
		dlen[n++] = l;
	}
	return n;
}

int
tls_server_dir(const struct tls_conn *tc)
{
	return tc && (tc->msgs[0] & (1u << 2)) && !(tc->msgs[1] & (1u << 2)) ? 0 : 1;
}

bool
tls_conn_is_13(const struct tls_conn *tc)
{
	return tc && (tc->version == 0x0304 || (tc->version & 0xff00) == 0x7f00);
}

/* The checking context of a chain: SNI, and for a client chain the server's acceptable CA names. */
struct chain_in {
	uint8_t *certreq;
	const uint8_t *ca[64];
	size_t calen[64];
};

static void
chain_ctx_init(struct tw_chain_ctx *x, struct chain_in *in, struct tw_convs *cs, struct tw_capture *cap,
               const struct tls_conn *tc, bool server, tw_time when, uint32_t frame)
{
	memset(x, 0, sizeof *x);
	in->certreq = NULL;
	x->when = when;
	x->frame = frame;
	x->server = server;
	if (tc && tc->sni_len) {
		x->sni = (const uint8_t *)tc->sni;
		x->sni_len = tc->sni_len;
	}
	if (!server && tc && tc->certreq_frame) {
		x->have_certreq = true;
		x->certreq_frame = tc->certreq_frame;
		in->certreq = tls_msg_copy(cs, cap, &tc->certreq_msg);
		bool tls12 = (tc->version ? tc->version : 0x0303) >= 0x0303;
		if (in->certreq)
			x->nca = tls_certreq_names(in->certreq, tc->certreq_msg.len, tls12, in->ca, in->calen, 64);
		x->ca_der = in->ca;
		x->ca_len = in->calen;
	}
}

struct tw_chain *
tls_conn_chain(struct tw_convs *cs, struct tw_capture *cap, const struct tls_conn *tc, int dir, tw_time when,
               tw_http_lookup_fn lookup, void *lookup_arg)
{
	if (!tc || dir < 0 || dir > 1 || !tc->cert_msg[dir].len)
		return NULL;
	uint8_t *msg = tls_msg_copy(cs, cap, &tc->cert_msg[dir]);
	if (!msg)
		return NULL;
	const uint8_t *der[X509_MAX_CHAIN];
	size_t dlen[X509_MAX_CHAIN];
	size_t n = tls_cert_list(msg, tc->cert_msg[dir].len, tls_conn_is_13(tc), der, dlen, X509_MAX_CHAIN);
	struct tw_chain_ctx x;
	struct chain_in in;
	chain_ctx_init(&x, &in, cs, cap, tc, dir == tls_server_dir(tc), when, tc->cert_frame[dir]);
	x.lookup = lookup;
	x.lookup_arg = lookup_arg;
	struct tw_chain *ch = x509_chain_new(der, dlen, n, &x);
	free(in.certreq);
	free(msg);
	return ch;
}

/* Under a displayed Certificate message: the chain model's findings and facts. */
static void
chain_trees(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *list, struct tw_buf *lb,
            const uint8_t *const *der, const size_t *dlen, const size_t *dat, struct tw_node *const *dn, size_t n)
{
	struct tw_tree *t = c->tree;
	/*
	 * The chain model (parsing, checks, signature verification) is for trees
	 * that are shown; -T fields and -Y build label-less trees and skip it,
	 * which keeps them fast on captures with thousands of handshakes.
	 */
	if (!t || !t->labels)
		return;
	bool server = true;
	if (tc && c->convs && tc->conv < c->convs->n) {
		int sender = conv_dir(&c->convs->v[tc->conv], &c->pi.net_src, c->pi.srcport);
		server = sender == tls_server_dir(tc);
	}
	struct tw_chain_ctx x;
	struct chain_in in;
	chain_ctx_init(&x, &in, c->convs, c->cap, tc, server, c->pi.ts, c->pi.num);
	if (c->convs && c->convs->http) {
		x.lookup = http_url_lookup;
		x.lookup_arg = c->convs;
	}
	struct tw_chain *ch = x509_chain_new(der, dlen, n, &x);
	for (size_t i = 0; i < n; i++)
		x509_cert_subtree(t, dn[i], lb, dat[i], dlen[i], ch, i);
	x509_chain_subtree(t, list, ch);
	x509_chain_free(ch);
	free(in.certreq);
}

/* One certificate URL of the source (tls_cert_url_users). */
struct url_ent {
	struct x509_cert_ref ref;
	uint32_t url_off, url_len;  /* normalized, in upool */
};

/*
 * Certificates already read for the index: the same certificate comes
 * back in every connection to its server, and parsing one costs OpenSSL
 * far more than everything else here. Keyed by a hash of the DER, checked
 * byte for byte; entries [first, first + count) of t->urls are its URLs.
 */
struct seen_cert {
	uint64_t hash;
	uint8_t *der;  /* a copy */
	size_t len;
	size_t first, count;
};

struct seen_set {
	struct seen_cert *v;
	size_t n, cap; /* cap: a power of two */
};

static uint64_t
der_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211u;
	return h;
}

/* The slot of (hash, der): an entry with these bytes, or the empty slot for them. */
static struct seen_cert *
seen_slot(struct seen_set *s, uint64_t h, const uint8_t *der, size_t len)
{
	for (size_t i = (size_t)h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		struct seen_cert *e = &s->v[i];
		if (!e->der || (e->hash == h && e->len == len && memcmp(e->der, der, len) == 0))
			return e;
	}
}

static void
seen_grow(struct seen_set *s)
{
	struct seen_set g = { xcalloc(s->cap ? s->cap * 2 : 64, sizeof *g.v), s->n, s->cap ? s->cap * 2 : 64 };
	for (size_t i = 0; i < s->cap; i++)
		if (s->v[i].der)
			*seen_slot(&g, s->v[i].hash, s->v[i].der, s->v[i].len) = s->v[i];
	free(s->v);
	*s = g;
}

static void
seen_free(struct seen_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->v[i].der);
	free(s->v);
}

static struct url_ent *
url_ent_new(struct tls_table *t)
{
	if (t->nurls == t->capurls) {
		t->capurls = t->capurls ? t->capurls * 2 : 64;
		t->urls = xreallocarray(t->urls, t->capurls, sizeof *t->urls);
	}
	struct url_ent *e = &t->urls[t->nurls++];
	memset(e, 0, sizeof *e);
	return e;
}

static void
url_index_build(struct tls_table *t, struct tw_convs *cs, struct tw_capture *cap)
{
	t->urls_built = true;
	t->urls_gen = t->cert_gen;
	t->nurls = 0;
	t->nupool = 0;
	struct seen_set seen = { 0 };
	seen_grow(&seen);
	for (size_t i = 0; i < t->n; i++) {
		const struct tls_conn *tc = &t->conns[i];
		for (int dir = 0; dir < 2; dir++) {
			if (!tc->cert_msg[dir].len)
				continue;
			uint8_t *msg = tls_msg_copy(cs, cap, &tc->cert_msg[dir]);
			if (!msg)
				continue;
			const uint8_t *der[X509_MAX_CHAIN];
			size_t dlen[X509_MAX_CHAIN];
			size_t n = tls_cert_list(msg, tc->cert_msg[dir].len, tls_conn_is_13(tc), der, dlen, X509_MAX_CHAIN);
			for (size_t k = 0; k < n && k < X509_MAX_CHAIN; k++) {
				uint64_t h = der_hash(der[k], dlen[k]);
				struct seen_cert *sc = seen_slot(&seen, h, der[k], dlen[k]);
				if (sc->der) {
					/* Read before: its URLs again, for this connection. */
					for (size_t j = sc->first; j < sc->first + sc->count; j++) {
						struct url_ent *e = url_ent_new(t);
						*e = t->urls[j];
						e->ref.frame = tc->cert_frame[dir];
						e->ref.conv = tc->conv;
						e->ref.server = dir == tls_server_dir(tc);
						e->ref.index = (uint8_t)(k + 1);
					}
					continue;
				}
				sc->hash = h;
				sc->der = xmalloc(dlen[k] ? dlen[k] : 1);
				memcpy(sc->der, der[k], dlen[k]);
				sc->len = dlen[k];
				sc->first = t->nurls;
				struct x509_brief br;
				if (x509_brief(der[k], dlen[k], &br)) {
					for (size_t u = 0; u < br.nurls; u++) {
						char norm[2048];
						size_t nl = x509_url_norm(br.url[u], br.url_len[u], norm, sizeof norm);
						if (!nl)
							continue;
						if (t->nupool + nl > t->capupool) {
							t->capupool = (t->nupool + nl) * 2 + 4096;
							t->upool = xrealloc(t->upool, t->capupool);
						}
						memcpy(t->upool + t->nupool, norm, nl);
						struct url_ent *e = url_ent_new(t);
						e->url_off = (uint32_t)t->nupool;
						e->url_len = (uint32_t)nl;
						t->nupool += nl;
						e->ref.frame = tc->cert_frame[dir];
						e->ref.conv = tc->conv;
						e->ref.server = dir == tls_server_dir(tc);
						e->ref.index = (uint8_t)(k + 1);
						e->ref.kind = br.kind[u];
						memcpy(e->ref.subject, br.subject, sizeof e->ref.subject);
						memcpy(e->ref.serial, br.serial, sizeof e->ref.serial);
						e->ref.serial_len = br.serial_len;
					}
					x509_brief_free(&br);
				}
				sc->count = t->nurls - sc->first;
				if (++seen.n * 2 > seen.cap)
					seen_grow(&seen);
			}
			free(msg);
		}
	}
	seen_free(&seen);
}

static int
cmp_url_ent(const void *a, const void *b, void *ctx)
{
	const struct tls_table *t = ctx;
	const struct url_ent *x = a, *y = b;
	size_t n = x->url_len < y->url_len ? x->url_len : y->url_len;
	int c = memcmp(t->upool + x->url_off, t->upool + y->url_off, n);
	if (c)
		return c;
	if (x->url_len != y->url_len)
		return x->url_len < y->url_len ? -1 : 1;
	if (x->ref.frame != y->ref.frame)
		return x->ref.frame < y->ref.frame ? -1 : 1;
	return x->ref.index < y->ref.index ? -1 : x->ref.index > y->ref.index;
}

/* Add the entries whose URL is exactly q[0..ql) (only OCSP ones if ocsp_only). */
static size_t
url_hits(const struct tls_table *t, const char *q, size_t ql, bool ocsp_only, struct x509_cert_ref *out,
         size_t n, size_t max, size_t *total)
{
	size_t lo = 0, hi = t->nurls;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct url_ent *e = &t->urls[mid];
		size_t k = e->url_len < ql ? e->url_len : ql;
		int c = memcmp(t->upool + e->url_off, q, k);
		if (c < 0 || (c == 0 && e->url_len < ql))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!ocsp_only) {
		/*
		 * Every entry of the range counts: find its end by bisection too
		 * (a CRL URL of a busy server has an entry per connection).
		 */
		size_t end = lo, top = t->nurls;
		while (end < top) {
			size_t mid = end + (top - end) / 2;
			const struct url_ent *e = &t->urls[mid];
			if (e->url_len == ql && memcmp(t->upool + e->url_off, q, ql) == 0)
				end = mid + 1;
			else
				top = mid;
		}
		for (size_t i = lo; i < end && n < max; i++)
			out[n++] = t->urls[i].ref;
		*total += end - lo;
		return n;
	}
	for (size_t i = lo; i < t->nurls; i++) {
		const struct url_ent *e = &t->urls[i];
		if (e->url_len != ql || memcmp(t->upool + e->url_off, q, ql) != 0)
			break;
		if (e->ref.kind != TW_URL_OCSP)
			continue;
		if (n < max)
			out[n++] = e->ref;
		(*total)++;
	}
	return n;
}

static void
url_index(struct tls_table *t, struct tw_convs *cs, struct tw_capture *cap)
{
	url_index_build(t, cs, cap);
	if (t->nurls)
		qsort_r(t->urls, t->nurls, sizeof *t->urls, cmp_url_ent, t);
}

void
tls_table_freeze(struct tw_convs *cs)
{
	struct tls_table *t = cs ? cs->tls : NULL;
	if (t)
		find_layout(t, 0, 0); /* sorts the layouts */
}

/*
 * The URL index is built on first use: parsing every certificate of a
 * large capture takes seconds, and most runs never ask. Threads that
 * dissect at once may ask together: the check and the build are under one
 * lock; once built (loading is over) the index is only read.
 */
static pthread_mutex_t url_index_lock = PTHREAD_MUTEX_INITIALIZER;

size_t
tls_cert_url_users(struct tw_convs *cs, struct tw_capture *cap, const char *url, size_t len,
                   struct x509_cert_ref *out, size_t max, size_t *total)
{
	*total = 0;
	struct tls_table *t = cs ? cs->tls : NULL;
	if (!t || !cap)
		return 0;
	pthread_mutex_lock(&url_index_lock);
	if (!t->urls_built || t->urls_gen != t->cert_gen) /* first use, or loaded further since */
		url_index(t, cs, cap);
	pthread_mutex_unlock(&url_index_lock);
	if (!t->nurls)
		return 0;
	char q[4096];
	size_t ql = x509_url_norm(url, len, q, sizeof q);
	if (!ql)
		return 0;
	size_t n = url_hits(t, q, ql, false, out, 0, max, total);
	/* OCSP GET requests append the request to the responder's URL: try every prefix ending in '/'. */
	for (size_t k = ql - 1; k > 0; k--)
		if (q[k - 1] == '/')
			n = url_hits(t, q, k, true, out, n, max, total);
	return n;
}

/* Key exchange family from the negotiated suite's name. */
enum kex { KEX_UNKNOWN, KEX_RSA, KEX_DHE, KEX_ECDHE, KEX_PSK };

static enum kex
kex_of(const struct tls_conn *tc)
{
	if (!tc || !tc->have_cipher)
		return KEX_UNKNOWN;
	const char *n = val_to_str(tc->cipher, tls_ciphersuite_vals);
	if (!n)
		return KEX_UNKNOWN;
	if (strstr(n, "_ECDHE_") || strstr(n, "_ECDH_anon_"))
		return KEX_ECDHE;
	if (strstr(n, "_DHE_") || strstr(n, "_DH_anon_") || strstr(n, "_EDH_"))
		return KEX_DHE;
	if (strncmp(n, "TLS_PSK_", 8) == 0)
		return KEX_PSK;
	if (strncmp(n, "TLS_RSA_", 8) == 0 || strncmp(n, "SSL_RSA_", 8) == 0)
		return KEX_RSA;
	return KEX_UNKNOWN;
}

static void
signature(struct tw_dctx *c, struct tw_node *hs, struct tw_buf *b, uint16_t version)
{
	struct tw_tree *t = c->tree;
	if (!buf_left(b))
		return;
	if (version >= 0x0303)
		tree_read_be16(t, hs, &fields[F_SIGALG], b);
	uint16_t sl = tree_read_be16(t, hs, &fields[F_SIG_LEN], b);
	add_bytes(t, hs, F_SIG, b, sl);
}

static void
server_kex(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *hs, struct tw_buf *b, uint16_t version)
{
	struct tw_tree *t = c->tree;
	enum kex k = kex_of(tc);
	if (k == KEX_UNKNOWN && buf_peek_u8(b, 0) == 3)
		k = KEX_ECDHE; /* named_curve is the usual first byte */
	switch (k) {
	case KEX_ECDHE: {
		struct tw_node *p = tree_add_here(t, hs, NULL, b, buf_left(b));
		node_label(t, p, "EC Diffie-Hellman Server Params");
		if (p && !p->label)
			p->label = "EC Diffie-Hellman Server Params";
		uint8_t ct = tree_read_u8(t, p, &fields[F_CURVE_TYPE], b);
		if (ct == 3)
			tree_read_be16(t, p, &fields[F_NAMED_CURVE], b);
		uint8_t pl = tree_read_u8(t, p, &fields[F_POINT_LEN], b);
		add_bytes(t, p, F_POINT, b, pl);
		signature(c, p, b, version);
		break;
	}
	case KEX_DHE: {
		struct tw_node *p = tree_add_here(t, hs, NULL, b, buf_left(b));
		node_label(t, p, "Diffie-Hellman Server Params");
		if (p && !p->label)
			p->label = "Diffie-Hellman Server Params";
		uint16_t l = tree_read_be16(t, p, &fields[F_P_LEN], b);
		add_bytes(t, p, F_P, b, l);
		l = tree_read_be16(t, p, &fields[F_G_LEN], b);
		add_bytes(t, p, F_G, b, l);
		l = tree_read_be16(t, p, &fields[F_YS_LEN], b);
		add_bytes(t, p, F_YS, b, l);
		signature(c, p, b, version);
		break;
	}
	default:
		add_bytes(t, hs, F_EXT_DATA, b, buf_left(b));
		break;
	}
}

static void
client_kex(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *hs, struct tw_buf *b, uint16_t version)
{
	struct tw_tree *t = c->tree;
	switch (kex_of(tc)) {
	case KEX_ECDHE: {
		uint8_t l = tree_read_u8(t, hs, &fields[F_CLIENT_POINT_LEN], b);
		add_bytes(t, hs, F_CLIENT_POINT, b, l);
		break;
	}
	case KEX_DHE: {
		uint16_t l = tree_read_be16(t, hs, &fields[F_YC_LEN], b);
		add_bytes(t, hs, F_YC, b, l);
		break;
	}
	case KEX_RSA:
		if (version == 0x0300) {
			add_bytes(t, hs, F_EPMS, b, buf_left(b));
		} else {
			uint16_t l = tree_read_be16(t, hs, &fields[F_EPMS_LEN], b);
			add_bytes(t, hs, F_EPMS, b, l);
		}
		break;
	default:
		add_bytes(t, hs, F_EXT_DATA, b, buf_left(b));
		break;
	}
}

/* One handshake message (header included) in view m. */
static void
handshake_msg(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *rec, struct tw_buf *m,
              uint16_t rec_version)
{
	struct tw_tree *t = c->tree;
	uint8_t type = buf_peek_u8(m, 0);
	uint32_t len = (uint32_t)buf_peek_u8(m, 1) << 16 | (uint32_t)buf_peek_u8(m, 2) << 8 | buf_peek_u8(m, 3);
	char u[32];
	const char *name = val_to_str_unk(type, tls_handshake_vals, u, sizeof u);
	uint16_t version = tc && tc->version ? tc->version : rec_version;
	bool hrr = false;
	struct tw_node *hs = tree_add_here(t, rec, &fields[F_HANDSHAKE], m, 4 + (size_t)len);
	tree_read_u8(t, hs, &fields[F_HS_TYPE], m);
	tree_read_be24(t, hs, &fields[F_HS_LENGTH], m);
	struct tw_buf body = buf_sub(m, len);
	switch (type) {
	case 1: client_hello(c, hs, &body); break;
	case 2: server_hello(c, hs, &body, &hrr); break;
	case 4:
		if (version >= 0x0304 || body.len < 6) {
			add_bytes(t, hs, F_TICKET, &body, buf_left(&body));
		} else {
			tree_read_be32(t, hs, &fields[F_TICKET_LIFETIME], &body);
			uint16_t l = tree_read_be16(t, hs, &fields[F_TICKET_LEN], &body);
			add_bytes(t, hs, F_TICKET, &body, l);
		}
		break;
	case 8: extensions(c, hs, &body, 8); break;
	case 11: certificates(c, tc, hs, &body, version == 0x0304); break;
	case 12: server_kex(c, tc, hs, &body, version); break;
	case 13: cert_request(c, hs, &body, version >= 0x0303); break;
	case 15: signature(c, hs, &body, version); break;
	case 16: client_kex(c, tc, hs, &body, version); break;
	case 20: add_bytes(t, hs, F_VERIFY_DATA, &body, buf_left(&body)); break;
	case 0:  /* HelloRequest */
	case 14: /* ServerHelloDone */
		break;
	default:
		if (buf_left(&body))
			add_bytes(t, hs, F_EXT_DATA, &body, buf_left(&body));
		break;
	}
	const char *shown = hrr ? "Hello Retry Request" : name;
	node_label(t, hs, "Handshake Protocol: %s", shown);
	info_msg(c, "%s", shown);
	if (!buf_ok(&body) || (buf_left(&body) && type != 12 && type != 16 && type != 20)) {
		if (!buf_ok(&body))
			node_note_buf(t, hs, &body, name);
		else
			tree_expert(t, hs, TW_SEV_WARN, "%zu byte%s left over at the end of %s", buf_left(&body),
			            buf_left(&body) == 1 ? "" : "s", name);
	}
}

/* A handshake message reassembled from several records (level-1 PDU). */
static void
reassembled_msg(struct tw_dctx *c, const struct tls_conn *tc, struct tw_node *rec, uint32_t pdu,
                uint16_t version)
{
	if (!reasm_pdu(c->convs->reasm, pdu))
		return;
	static const struct pdu_fields parts = { &fields[F_HS_FRAGMENTS], &fields[F_HS_FRAGMENT], NULL, NULL,
		                                 "Handshake Fragments" };
	struct tw_arena *tmp;
	struct tw_buf mb = pdu_buffer(c, pdu, "Reassembled Handshake", &tmp);
	pdu_parts_node(c, rec, pdu, &mb, &parts);
	handshake_msg(c, tc, rec, &mb, version);
	arena_free(tmp);
}

static void
fragment_note(struct tw_dctx *c, struct tw_node *rec, struct tw_buf *pb, size_t at, size_t len, uint32_t pdu)
{
	struct tw_tree *t = c->tree;
	const struct tw_pdu *p = c->convs && pdu != PIECE_SKIP ? reasm_pdu(c->convs->reasm, pdu) : NULL;
	struct tw_node *x = tree_add(t, rec, &fields[F_HANDSHAKE], pb, at, len);
	if (p) {
		node_label(t, x, "[Handshake message fragment (%zu bytes), reassembled in frame %u]", len, p->done_frame + 1);
		node_set_u(tree_add_gen(t, x, &fields[F_HS_REASSEMBLED_IN]), p->done_frame + 1);
	} else {
		node_label(t, x, "[Handshake message fragment (%zu bytes), never completed]", len);
	}
	if (x && !x->label)
		x->label = "[Handshake message fragment]";
	if (c->pi.top != PROTO_TLS) {
		/* A record holding only a fragment still names the frame TLS. */
		col_clear_info(c);
		c->pi.top = PROTO_TLS;
	}
}

/* The record's identity in the load pass: its first byte. */
static void
record_key(struct tw_dctx *c, const struct tw_buf *b, uint32_t *frame, uint32_t *foff)
{
	*frame = c->pi.num - 1;
	*foff = (uint32_t)buf_pos_abs(b);
	if (c->cur_pdu != PIECE_SKIP && c->convs) {
		const struct tw_pdu *p = reasm_pdu(c->convs->reasm, c->cur_pdu);
		const struct tw_piece *pc = p ? reasm_piece(c->convs->reasm, p->first_piece) : NULL;
		if (pc) {
			*frame = pc->frame;
			*foff = pc->foff;
		}
	}
}

/* Was the record at (frame, foff) sent after its sender started encrypting? */
static bool
record_encrypted(const struct tls_conn *tc, int dir, uint32_t frame, uint32_t foff)
{
	if (!tc)
		return false;
	/* TLS 1.3: everything after the ServerHello. */
	if ((tc->version == 0x0304 || (tc->version & 0xff00) == 0x7f00) && !tc->hrr && tc->sh_frame &&
	    frame + 1 > tc->sh_frame)
		return true;
	/* TLS <= 1.2 (and renegotiations): after the sender's ChangeCipherSpec. */
	uint32_t cf = tc->ccs_frame[dir];
	return cf && (frame + 1 > cf || (frame + 1 == cf && foff > tc->ccs_foff[dir]));
}

static void
sslv2_hello(struct tw_dctx *c, struct tw_node *tls, struct tw_buf *b)
{
	struct tw_tree *t = c->tree;
	uint16_t hlen = buf_be16(b) & 0x7fff;
	struct tw_node *rec = tree_add(t, tls, &fields[F_RECORD], b, b->off - 2, 2 + (size_t)hlen);
	node_label(t, rec, "SSLv2 Record Layer: Client Hello");
	node_set_u(tree_add_gen(t, rec, &fields[F_RECORD_VERSION]), 0x0002);
	struct tw_buf m = buf_sub(b, hlen);
	tree_read_u8(t, rec, &fields[F_HS_TYPE], &m);
	tree_read_be16(t, rec, &fields[F_HS_VERSION], &m);
	uint16_t csl = tree_read_be16(t, rec, &fields[F_SSL2_CIPHER_SPEC_LEN], &m);
	uint16_t sil = tree_read_be16(t, rec, &fields[F_SESSION_ID_LEN], &m);
	uint16_t chl = tree_read_be16(t, rec, &fields[F_SSL2_CHALLENGE_LEN], &m);
	struct tw_node *cs = tree_add_here(t, rec, &fields[F_CIPHER_SUITES], &m, csl);
	node_label(t, cs, "Cipher Specs (%u specs)", csl / 3);
	struct tw_buf cb = buf_sub(&m, csl);
	while (buf_left(&cb) >= 3) {
		size_t at = cb.off;
		uint32_t v = buf_be24(&cb);
		struct tw_node *x = tree_add_bits(t, cs, &fields[F_SSL2_CIPHER_SPEC], &cb, at, 3, v);
		if (!(v >> 16)) {
			/* A TLS suite in SSLv2 form: 0x00 then the 2-byte suite. */
			char u[32];
			node_label(t, x, "Cipher Spec: %s (0x%06x)",
			           val_to_str_unk(v & 0xffff, tls_ciphersuite_vals, u, sizeof u), v);
		}
	}
	if (sil)
		add_bytes(t, rec, F_SESSION_ID, &m, sil);
	add_bytes(t, rec, F_SSL2_CHALLENGE, &m, chl);
	if (!buf_ok(&m))
		node_note_buf(t, rec, &m, "SSLv2 ClientHello");
	info_msg(c, "Client Hello");
	c->pi.proto = "SSLv2";
}

void
dis_tls(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, uint32_t conv, int dir)
{
	struct tw_tree *t = c->tree;
	const struct tls_conn *tc = conn_for(c->convs, conv, false);
	if (!c->pi.protos.len || c->pi.protos.len < 4 ||
	    strcmp(c->pi.protos.s + c->pi.protos.len - 4, ":tls") != 0)
		col_add_proto_layer(c, "tls");
	struct tw_node *tls = proto_add(c, parent, &fields[F_TLS], b, buf_left(b));
	if (tls && tc && c->pi.top != PROTO_TLS && c->convs && conv < c->convs->n)
		tls_conn_tree(t, tls, tc, &c->convs->v[conv]);
	uint8_t b0 = buf_peek_u8(b, 0);
	if ((b0 & 0x80) && buf_peek_u8(b, 2) == 1) {
		sslv2_hello(c, tls, b);
		return;
	}
	size_t at = b->off;
	uint8_t type = buf_u8(b);
	uint16_t rver = buf_be16(b);
	uint16_t rlen = buf_be16(b);
	if (!buf_ok(b)) {
		node_note_buf(t, tls, b, "TLS record header");
		info_msg(c, "[Malformed TLS record]");
		return;
	}
	uint16_t shown_ver = tc && tc->version ? tc->version : rver;
	if (c->pi.top != PROTO_TLS)
		c->pi.proto = tls_version_short(shown_ver); /* the first record names the column */
	char u[32];
	const char *ctname = val_to_str_unk(type, tls_content_vals, u, sizeof u);
	struct tw_node *rec = tree_add(t, tls, &fields[F_RECORD], b, at, 5 + (size_t)rlen);
	bool tls13 = tc && (tc->version == 0x0304 || (tc->version & 0xff00) == 0x7f00);
	/* TLS 1.3 protected records carry an opaque outer type (RFC 8446 5.2). */
	tree_add_bits(t, rec, &fields[tls13 && type == 23 ? F_OPAQUE_TYPE : F_CONTENT_TYPE], b, at, 1, type);
	tree_add_bits(t, rec, &fields[F_RECORD_VERSION], b, at + 1, 2, rver);
	tree_add_bits(t, rec, &fields[F_RECORD_LENGTH], b, at + 3, 2, rlen);
	struct tw_buf pb = buf_sub(b, rlen);
	/* A record shorter than its length field: cut by a gap or by the snapshot length. */
	bool record_cut = pb.len < rlen;
	if (record_cut && c->cur_pdu != PIECE_SKIP && c->convs &&
	    (reasm_pdu(c->convs->reasm, c->cur_pdu)->flags & PDU_INCOMPLETE)) {
		b->err = BUF_OK;
		bool limit = reasm_pdu(c->convs->reasm, c->cur_pdu)->flags & PDU_LIMIT;
		tree_expert(t, rec, TW_SEV_WARN, "[Record cut short: %zu of %u bytes were reassembled (%s)]",
		            (size_t)pb.len, rlen,
		            limit ? "the reassembly limit was reached" : "bytes missing from the capture");
		pb.reported = rlen; /* missing, not malformed */
	} else if (!buf_ok(b)) {
		node_note_buf(t, rec, b, "TLS record");
	}
	uint32_t rframe, rfoff;
	record_key(c, b, &rframe, &rfoff);
	/* The key is the record's first byte, not the position after the header. */
	if (c->cur_pdu == PIECE_SKIP)
		rfoff = (uint32_t)(b->abs + at);
	bool enc = record_encrypted(tc, dir, rframe, rfoff);
	const char *vname = tls_version_short(shown_ver);

	/* From here, Info entries are TLS messages. */
	switch (type) {
	case 20: {
		node_label(t, rec, "%s Record Layer: Change Cipher Spec Protocol: Change Cipher Spec", vname);
		tree_add_here(t, rec, &fields[F_CCS], &pb, buf_left(&pb));
		info_msg(c, "%s", "Change Cipher Spec");
		break;
	}
	case 21: {
		/* Encrypted once the sender has sent ChangeCipherSpec: a plain alert is 2 bytes. */
		if (rlen != 2 || enc) {
			node_label(t, rec, "%s Record Layer: Encrypted Alert", vname);
			/* As Wireshark: the alert exists (tls.alert_message), its content is unknown. */
			struct tw_node *al = tree_add_here(t, rec, &fields[F_ALERT], &pb, buf_left(&pb));
			node_label(t, al, "Alert Message: Encrypted Alert");
			info_msg(c, "%s", "Encrypted Alert");
			break;
		}
		struct tw_node *al = tree_add_here(t, rec, &fields[F_ALERT], &pb, 2);
		uint8_t level = tree_read_u8(t, al, &fields[F_ALERT_LEVEL], &pb);
		uint8_t desc = tree_read_u8(t, al, &fields[F_ALERT_DESC], &pb);
		char u1[32], u2[32];
		const char *ln = val_to_str_unk(level, level_vals, u1, sizeof u1);
		const char *dn = val_to_str_unk(desc, tls_alert_vals, u2, sizeof u2);
		node_label(t, rec, "%s Record Layer: Alert (Level: %s, Description: %s)", vname, ln, dn);
		node_label(t, al, "Alert Message");
		info_msg(c, "Alert (Level: %s, Description: %s)", ln, dn);
		const char *rfc = tls_alert_rfc_name(desc);
		const char *who = dir == 0 ? "client" : "server";
		if (level == 2)
			tree_expert(t, rec, TW_SEV_ERROR, "Fatal alert %s (%u) sent by the %s", rfc ? rfc : dn, desc, who);
		else if (desc != 0)
			tree_expert(t, rec, TW_SEV_WARN, "Warning alert %s (%u) sent by the %s", rfc ? rfc : dn, desc, who);
		else
			tree_expert(t, rec, TW_SEV_NOTE, "close_notify from the %s", who);
		break;
	}
	case 22: {
		bool encrypted_hs = enc;
		if (encrypted_hs) {
			node_label(t, rec, "%s Record Layer: Handshake Protocol: Encrypted Handshake Message", vname);
			/* As Wireshark: a Handshake Protocol node (tls.handshake) without a type. */
			struct tw_node *hs = tree_add_here(t, rec, &fields[F_HANDSHAKE], &pb, buf_left(&pb));
			node_label(t, hs, "Handshake Protocol: Encrypted Handshake Message");
			info_msg(c, "%s", "Encrypted Handshake Message");
			break;
		}
		const struct rec_layout *l = c->convs ? find_layout(c->convs->tls, rframe, rfoff) : NULL;
		size_t pos = pb.off;
		size_t end = pb.off + buf_left(&pb);
		if (l && l->head_len) {
			size_t hl = l->head_len < end - pos ? l->head_len : end - pos;
			if (l->head_done) {
				/* As Wireshark: the last fragment is a node of its own, then the whole message. */
				struct tw_node *x = tree_add(t, rec, &fields[F_HANDSHAKE], &pb, pos, hl);
				node_label(t, x, "[Last fragment of a handshake message (%zu bytes)]", hl);
				reassembled_msg(c, tc, rec, l->head_pdu, rver);
			}
			else
				fragment_note(c, rec, &pb, pos, hl, l->head_pdu);
			pos += hl;
		}
		size_t tail = l ? l->tail_len : 0;
		int nmsgs = 0;
		while (pos + tail < end && end - pos - tail >= 4) {
			struct tw_buf v = pb;
			v.off = pos;
			uint32_t mlen = (uint32_t)buf_peek_u8(&v, 1) << 16 | (uint32_t)buf_peek_u8(&v, 2) << 8 | buf_peek_u8(&v, 3);
			if ((size_t)mlen + 4 > end - pos - tail && record_cut) {
				/* The record was cut short (a gap or the snapshot length): show what is there. */
				struct tw_buf m = buf_rest(&v);
				handshake_msg(c, tc, rec, &m, rver);
				pos = end;
				nmsgs++;
				break;
			}
			if ((size_t)mlen + 4 > end - pos - tail) {
				/* A message longer than the record and not reassembled: encrypted or cut. */
				if (!l) {
					node_label(t, rec, "%s Record Layer: Handshake Protocol: Encrypted Handshake Message", vname);
					add_bytes(t, rec, F_APP_DATA, &v, end - pos);
					info_msg(c, "%s", "Encrypted Handshake Message");
					pos = end;
					nmsgs = -1;
				}
				break;
			}
			struct tw_buf m = buf_sub(&v, 4 + (size_t)mlen);
			handshake_msg(c, tc, rec, &m, rver);
			nmsgs++;
			pos += 4 + (size_t)mlen;
		}
		if (tail && pos < end) {
			fragment_note(c, rec, &pb, end - tail, tail, l->tail_pdu);
			pos = end;
		}
		if (nmsgs >= 0 && rec && t->labels && !rec->label) {
			/* "TLSv1.2 Record Layer: Handshake Protocol: Multiple Handshake Messages" */
			int kids = 0;
			const char *one = NULL;
			for (struct tw_node *k = rec->child; k; k = k->next)
				if (k->f == &fields[F_HANDSHAKE]) {
					kids++;
					one = k->label;
				}
			if (kids == 1 && one)
				node_label(t, rec, "%s Record Layer: %s", vname, one);
			else
				node_label(t, rec, "%s Record Layer: Handshake Protocol: %s", vname,
				           kids ? "Multiple Handshake Messages" : "Handshake Message Fragment");
		}
		break;
	}
	case 23:
		node_label(t, rec, "%s Record Layer: Application Data Protocol: %s", vname,
		           tc && tc->version == 0x0304 ? "Hypertext Transfer Protocol or encrypted handshake" : "Application Data");
		add_bytes(t, rec, F_APP_DATA, &pb, buf_left(&pb));
		info_msg(c, "%s", "Application Data");
		break;
	case 24:
		node_label(t, rec, "%s Record Layer: Heartbeat", vname);
		add_bytes(t, rec, F_APP_DATA, &pb, buf_left(&pb));
		info_msg(c, "Heartbeat");
		break;
	default:
		node_label(t, rec, "%s Record Layer: %s", vname, ctname);
		add_bytes(t, rec, F_APP_DATA, &pb, buf_left(&pb));
		info_msg(c, "%s", ctname);
		break;
	}
}
