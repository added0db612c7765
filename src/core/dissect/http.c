/*
 * http.c - HTTP/1.x messages (RFC 9110, RFC 9112).
 *
 *   request-line  = method SP request-target SP HTTP-version CRLF
 *   status-line   = HTTP-version SP status-code SP [ reason-phrase ] CRLF
 *   *( field-line CRLF ) CRLF [ message-body ]
 *
 * stream.c hands over one complete message at a time (cut by the framer in
 * reasm.c). The load pass (http_first_pass) pairs requests and responses
 * per connection, first in first out as pipelining requires, so a message
 * can show the frame of its partner, the response time and the request
 * URI like Wireshark (http.response_in, http.request_in, http.time, ...).
 *
 * Bodies: chunked transfer coding is undone into a buffer of its own (a
 * data source "De-chunked entity body (N bytes)"); content codings (gzip,
 * deflate, br) are not decoded. CRLs, OCSP messages and certificates are
 * decoded with OpenSSL (pkix.c). Everything taken from the message is
 * escaped before display, and every loop is bounded by the message length.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/http.h"
#include "core/dissect/pkix.h"
#include "core/dissect/tls.h"
#include "core/field.h"
#include "core/reasm.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HTTP_NONE UINT32_MAX
#define MAX_HEADER_LINES 4096  /* header lines given a node each */
#define MAX_CHUNK_NODES 10000  /* chunks given a node each */
#define MAX_LIST_ITEMS 1000    /* query parameters, cookie pairs, text lines */
#define MAX_URI_KEEP 4096      /* bytes of a request URI kept for its response */

enum {
	F_HTTP,
	F_REQUEST,
	F_RESPONSE,
	F_METHOD,
	F_URI,
	F_URI_PATH,
	F_URI_QUERY,
	F_URI_QPARAM,
	F_REQ_VERSION,
	F_RESP_VERSION,
	F_CODE,
	F_CODE_DESC,
	F_PHRASE,
	F_REQ_LINE,
	F_RESP_LINE,
	F_FULL_URI,
	F_RESP_FOR_URI,
	F_REQ_NUMBER,
	F_RESP_NUMBER,
	F_REQUEST_IN,
	F_RESPONSE_IN,
	F_PREV_REQ_IN,
	F_PREV_RESP_IN,
	F_NEXT_REQ_IN,
	F_NEXT_RESP_IN,
	F_TIME,
	F_HOST,
	F_USER_AGENT,
	F_CONTENT_TYPE,
	F_CL_HEADER,
	F_CL,
	F_CONTENT_ENCODING,
	F_TE,
	F_CONNECTION,
	F_SERVER,
	F_LOCATION,
	F_CACHE_CONTROL,
	F_ACCEPT,
	F_ACCEPT_ENCODING,
	F_ACCEPT_LANGUAGE,
	F_REFERER,
	F_COOKIE,
	F_COOKIE_PAIR,
	F_SET_COOKIE,
	F_AUTHORIZATION,
	F_AUTHBASIC,
	F_WWW_AUTH,
	F_PROXY_AUTHENTICATE,
	F_PROXY_AUTHORIZATION,
	F_DATE,
	F_LAST_MODIFIED,
	F_UPGRADE,
	F_XFF,
	F_CHUNK_SIZE,
	F_CHUNK_DATA,
	F_CHUNK_BOUNDARY,
	F_TRAILER,
	F_FILE_DATA,
	F_MEDIA,
	F_MEDIA_TYPE,
	F_TEXT_LINES,
	F_PKIX_CERT,
	F_COUNT
};

static const struct tw_valstr true_false[] = { { 0, "False" }, { 1, "True" }, { 0, NULL } };

static const struct tw_field fields[F_COUNT] = {
	[F_HTTP] = { "http", "Hypertext Transfer Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_REQUEST] = { "http.request", "Request", FT_BOOL, 0, 0, true_false },
	[F_RESPONSE] = { "http.response", "Response", FT_BOOL, 0, 0, true_false },
	[F_METHOD] = { "http.request.method", "Request Method", FT_STRING, BASE_NONE, 0, NULL },
	[F_URI] = { "http.request.uri", "Request URI", FT_STRING, BASE_NONE, 0, NULL },
	[F_URI_PATH] = { "http.request.uri.path", "Request URI Path", FT_STRING, BASE_NONE, 0, NULL },
	[F_URI_QUERY] = { "http.request.uri.query", "Request URI Query", FT_STRING, BASE_NONE, 0, NULL },
	[F_URI_QPARAM] = { "http.request.uri.query.parameter", "Request URI Query Parameter", FT_STRING, BASE_NONE, 0, NULL },
	[F_REQ_VERSION] = { "http.request.version", "Request Version", FT_STRING, BASE_NONE, 0, NULL },
	[F_RESP_VERSION] = { "http.response.version", "Response Version", FT_STRING, BASE_NONE, 0, NULL },
	[F_CODE] = { "http.response.code", "Status Code", FT_U16, BASE_DEC, 0, NULL },
	[F_CODE_DESC] = { "http.response.code.desc", "Status Code Description", FT_STRING, BASE_NONE, 0, NULL },
	[F_PHRASE] = { "http.response.phrase", "Response Phrase", FT_STRING, BASE_NONE, 0, NULL },
	[F_REQ_LINE] = { "http.request.line", "Request line", FT_STRING, BASE_NONE, 0, NULL },
	[F_RESP_LINE] = { "http.response.line", "Response line", FT_STRING, BASE_NONE, 0, NULL },
	[F_FULL_URI] = { "http.request.full_uri", "Full request URI", FT_STRING, BASE_NONE, 0, NULL },
	[F_RESP_FOR_URI] = { "http.response_for.uri", "Request URI", FT_STRING, BASE_NONE, 0, NULL },
	[F_REQ_NUMBER] = { "http.request_number", "Request number", FT_U32, BASE_DEC, 0, NULL },
	[F_RESP_NUMBER] = { "http.response_number", "Response number", FT_U32, BASE_DEC, 0, NULL },
	[F_REQUEST_IN] = { "http.request_in", "Request in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_RESPONSE_IN] = { "http.response_in", "Response in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_PREV_REQ_IN] = { "http.prev_request_in", "Prev request in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_PREV_RESP_IN] = { "http.prev_response_in", "Prev response in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_NEXT_REQ_IN] = { "http.next_request_in", "Next request in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_NEXT_RESP_IN] = { "http.next_response_in", "Next response in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_TIME] = { "http.time", "Time since request", FT_RELTIME, BASE_NONE, 0, NULL },
	[F_HOST] = { "http.host", "Host", FT_STRING, BASE_NONE, 0, NULL },
	[F_USER_AGENT] = { "http.user_agent", "User-Agent", FT_STRING, BASE_NONE, 0, NULL },
	[F_CONTENT_TYPE] = { "http.content_type", "Content-Type", FT_STRING, BASE_NONE, 0, NULL },
	[F_CL_HEADER] = { "http.content_length_header", "Content-Length", FT_STRING, BASE_NONE, 0, NULL },
	[F_CL] = { "http.content_length", "Content length", FT_U64, BASE_DEC, 0, NULL },
	[F_CONTENT_ENCODING] = { "http.content_encoding", "Content-Encoding", FT_STRING, BASE_NONE, 0, NULL },
	[F_TE] = { "http.transfer_encoding", "Transfer-Encoding", FT_STRING, BASE_NONE, 0, NULL },
	[F_CONNECTION] = { "http.connection", "Connection", FT_STRING, BASE_NONE, 0, NULL },
	[F_SERVER] = { "http.server", "Server", FT_STRING, BASE_NONE, 0, NULL },
	[F_LOCATION] = { "http.location", "Location", FT_STRING, BASE_NONE, 0, NULL },
	[F_CACHE_CONTROL] = { "http.cache_control", "Cache-Control", FT_STRING, BASE_NONE, 0, NULL },
	[F_ACCEPT] = { "http.accept", "Accept", FT_STRING, BASE_NONE, 0, NULL },
	[F_ACCEPT_ENCODING] = { "http.accept_encoding", "Accept Encoding", FT_STRING, BASE_NONE, 0, NULL },
	[F_ACCEPT_LANGUAGE] = { "http.accept_language", "Accept-Language", FT_STRING, BASE_NONE, 0, NULL },
	[F_REFERER] = { "http.referer", "Referer", FT_STRING, BASE_NONE, 0, NULL },
	[F_COOKIE] = { "http.cookie", "Cookie", FT_STRING, BASE_NONE, 0, NULL },
	[F_COOKIE_PAIR] = { "http.cookie_pair", "Cookie pair", FT_STRING, BASE_NONE, 0, NULL },
	[F_SET_COOKIE] = { "http.set_cookie", "Set-Cookie", FT_STRING, BASE_NONE, 0, NULL },
	[F_AUTHORIZATION] = { "http.authorization", "Authorization", FT_STRING, BASE_NONE, 0, NULL },
	[F_AUTHBASIC] = { "http.authbasic", "Credentials", FT_STRING, BASE_NONE, 0, NULL },
	[F_WWW_AUTH] = { "http.www_authenticate", "WWW-Authenticate", FT_STRING, BASE_NONE, 0, NULL },
	[F_PROXY_AUTHENTICATE] = { "http.proxy_authenticate", "Proxy-Authenticate", FT_STRING, BASE_NONE, 0, NULL },
	[F_PROXY_AUTHORIZATION] = { "http.proxy_authorization", "Proxy-Authorization", FT_STRING, BASE_NONE, 0, NULL },
	[F_DATE] = { "http.date", "Date", FT_STRING, BASE_NONE, 0, NULL },
	[F_LAST_MODIFIED] = { "http.last_modified", "Last-Modified", FT_STRING, BASE_NONE, 0, NULL },
	[F_UPGRADE] = { "http.upgrade", "Upgrade", FT_STRING, BASE_NONE, 0, NULL },
	[F_XFF] = { "http.x_forwarded_for", "X-Forwarded-For", FT_STRING, BASE_NONE, 0, NULL },
	[F_CHUNK_SIZE] = { "http.chunk_size", "Chunk size", FT_U32, BASE_DEC, 0, NULL },
	[F_CHUNK_DATA] = { "http.chunk_data", "Chunk data", FT_BYTES, BASE_NONE, 0, NULL },
	[F_CHUNK_BOUNDARY] = { "http.chunk_boundary", "Chunk boundary", FT_BYTES, BASE_NONE, 0, NULL },
	[F_TRAILER] = { "http.chunked_trailer_part", "trailer-part", FT_STRING, BASE_NONE, 0, NULL },
	[F_FILE_DATA] = { "http.file_data", "File Data", FT_STRING, BASE_NONE, 0, NULL },
	[F_MEDIA] = { "media", "Media Type", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_MEDIA_TYPE] = { "media.type", "Media type", FT_BYTES, BASE_NONE, 0, NULL },
	[F_TEXT_LINES] = { "data-text-lines", "Line-based text data", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_PKIX_CERT] = { "pkix-cert", "PKIX CERT File Format", FT_PROTOCOL, BASE_NONE, 0, NULL },
};
const struct tw_field_table http_field_table = { fields, F_COUNT };

/* Status code descriptions (Wireshark's vals_status_code). */
static const struct tw_valstr status_vals[] = {
	{ 100, "Continue" },
	{ 101, "Switching Protocols" },
	{ 102, "Processing" },
	{ 103, "Early Hints" },
	{ 200, "OK" },
	{ 201, "Created" },
	{ 202, "Accepted" },
	{ 203, "Non-authoritative Information" },
	{ 204, "No Content" },
	{ 205, "Reset Content" },
	{ 206, "Partial Content" },
	{ 207, "Multi-Status" },
	{ 208, "Already Reported" },
	{ 226, "IM Used" },
	{ 300, "Multiple Choices" },
	{ 301, "Moved Permanently" },
	{ 302, "Found" },
	{ 303, "See Other" },
	{ 304, "Not Modified" },
	{ 305, "Use Proxy" },
	{ 307, "Temporary Redirect" },
	{ 308, "Permanent Redirect" },
	{ 400, "Bad Request" },
	{ 401, "Unauthorized" },
	{ 402, "Payment Required" },
	{ 403, "Forbidden" },
	{ 404, "Not Found" },
	{ 405, "Method Not Allowed" },
	{ 406, "Not Acceptable" },
	{ 407, "Proxy Authentication Required" },
	{ 408, "Request Time-out" },
	{ 409, "Conflict" },
	{ 410, "Gone" },
	{ 411, "Length Required" },
	{ 412, "Precondition Failed" },
	{ 413, "Request Entity Too Large" },
	{ 414, "Request-URI Too Long" },
	{ 415, "Unsupported Media Type" },
	{ 416, "Requested Range Not Satisfiable" },
	{ 417, "Expectation Failed" },
	{ 418, "I'm a teapot" },
	{ 421, "Misdirected Request" },
	{ 422, "Unprocessable Entity" },
	{ 423, "Locked" },
	{ 424, "Failed Dependency" },
	{ 425, "Too Early" },
	{ 426, "Upgrade Required" },
	{ 428, "Precondition Required" },
	{ 429, "Too Many Requests" },
	{ 431, "Request Header Fields Too Large" },
	{ 451, "Unavailable For Legal Reasons" },
	{ 500, "Internal Server Error" },
	{ 501, "Not Implemented" },
	{ 502, "Bad Gateway" },
	{ 503, "Service Unavailable" },
	{ 504, "Gateway Time-out" },
	{ 505, "HTTP Version not supported" },
	{ 506, "Variant Also Negotiates" },
	{ 507, "Insufficient Storage" },
	{ 508, "Loop Detected" },
	{ 510, "Not Extended" },
	{ 511, "Network Authentication Required" },
	{ 0, NULL },
};

static const char *
status_desc(unsigned code)
{
	const char *s = val_to_str(code, status_vals);
	if (s)
		return s;
	switch (code / 100) {
	case 1: return "Informational - Others";
	case 2: return "Success - Others";
	case 3: return "Redirection - Others";
	case 4: return "Client Error - Others";
	case 5: return "Server Error - Others";
	default: return "Unknown";
	}
}

/* ---- load-pass state: request/response pairs per connection ---------- */

struct http_msg {
	uint32_t frame; /* 0-based frame where the message is shown */
	uint32_t conv;
	uint32_t foff;  /* message in one segment: its offset in the frame */
	uint32_t pdu;   /* stored multi-segment PDU, or PIECE_SKIP */
	uint32_t pair;
	uint8_t dir;
	uint8_t response;
};

struct http_pair {
	uint32_t req_frame, res_frame; /* 1-based, 0 if none */
	uint32_t number;               /* 1-based within the connection */
	uint32_t prev, next;           /* pairs of the same connection */
	tw_time req_ts;
	uint32_t uri_off, uri_len;     /* (full) request URI in the pool */
	uint8_t head;                  /* the request was HEAD: no response body */
	uint16_t status;               /* the response's status code, 0 if none */
	uint32_t body;                 /* kept response body (struct http_body), HTTP_NONE if none */
};

/* A response body kept for the chain model: CRL, OCSP response, certificate (http.h). */
struct http_body {
	uint32_t pair;
	char ctype[48];
	uint8_t *p;      /* shared by equal bodies (the same CRL fetched again): freed by its owner */
	size_t len;
	uint64_t hash;
	bool owner;
};
#define HTTP_BODY_MAX (16u << 20)     /* one body */
#define HTTP_BODIES_MAX (64u << 20)   /* all of a source's */

struct http_cstate {
	uint32_t first, last; /* pairs */
	uint32_t pending;     /* oldest pair still waiting for its response */
	uint32_t npairs;
};

struct http_state {
	struct http_msg *msg;
	size_t nmsg, capmsg;
	uint32_t *idx; /* messages sorted by frame, built when first needed */
	size_t nidx;
	struct http_pair *pair;
	size_t npair, cappair;
	struct http_cstate *conv;
	size_t nconv;
	char *pool;
	size_t npool, cappool;
	struct http_body *body;
	size_t nbody, capbody, body_bytes;
	uint32_t *bodyset;     /* open addressing over body hashes: index + 1, 0 free */
	size_t nbodyset;
	/* request URLs, normalized (x509_url_norm) and sorted, built by the first lookup after pairs change */
	char *upool;
	size_t nupool, capupool;
	struct http_ukey *ukey;
	size_t nukey, ukey_npair;
};

struct http_ukey {
	uint32_t off, len; /* in upool */
	uint32_t pair;
};

void
http_state_free(void *p)
{
	struct http_state *st = p;
	if (!st)
		return;
	free(st->msg);
	free(st->idx);
	free(st->pair);
	free(st->conv);
	free(st->pool);
	for (size_t i = 0; i < st->nbody; i++)
		if (st->body[i].owner)
			free(st->body[i].p);
	free(st->body);
	free(st->bodyset);
	free(st->upool);
	free(st->ukey);
	free(st);
}

/* ---- lines and tokens ------------------------------------------------- */

struct line {
	const uint8_t *p; /* the line's bytes (without terminator) */
	size_t at;        /* offset in the view */
	size_t len;       /* without terminator */
	size_t term;      /* 0 none (message ends), 1 LF, 2 CRLF */
};

/* The next line at b's position (consumed); false at the end. */
static bool
next_line(struct tw_buf *b, struct line *ln)
{
	size_t left = buf_left(b);
	if (!left || !buf_ok(b))
		return false;
	ln->at = b->off;
	long i = buf_find(b, '\n');
	size_t n = i < 0 ? left : (size_t)i + 1;
	ln->p = buf_ptr(b, n);
	if (!ln->p)
		return false;
	if (i < 0) {
		ln->len = n;
		ln->term = 0;
	} else {
		ln->len = (size_t)i;
		ln->term = 1;
		if (ln->len && ln->p[ln->len - 1] == '\r') {
			ln->len--;
			ln->term = 2;
		}
	}
	return true;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool
ieq(const uint8_t *p, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (n != k)
		return false;
	for (size_t i = 0; i < k; i++)
		if (lower(p[i]) != s[i])
			return false;
	return true;
}

static bool
is_tchar(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static bool
is_ws(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* Trim blanks around p[*s..*e). */
static void
trim(const uint8_t *p, size_t *s, size_t *e)
{
	while (*s < *e && is_ws(p[*s]))
		(*s)++;
	while (*e > *s && is_ws(p[*e - 1]))
		(*e)--;
}

/* The start line: request or status line. Offsets are relative to the line. */
struct start {
	bool response;
	size_t a_at, a_len; /* method, or version of a response */
	size_t b_at, b_len; /* request target, or status code */
	size_t c_at, c_len; /* version of a request, or reason phrase */
	unsigned code;
};

static bool
method_known(const uint8_t *p, size_t n)
{
	static const char *const m[] = { "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "CONNECT", "TRACE", "PATCH" };
	for (size_t i = 0; i < ARRAY_SIZE(m); i++)
		if (n == strlen(m[i]) && memcmp(p, m[i], n) == 0)
			return true;
	return false;
}

/*
 * A start line; `cut` says the message ends inside it (capture cut short):
 * then a request line of a known method is accepted with what is there
 * ("GET /images/x.gif HTT"), as Wireshark does.
 */
static bool
parse_start(const uint8_t *p, size_t n, bool cut, struct start *s)
{
	memset(s, 0, sizeof *s);
	if (n >= 5 && memcmp(p, "HTTP/", 5) == 0) {
		size_t i = 5;
		while (i < n && p[i] != ' ')
			i++;
		if (i >= n || i > 16)
			return false;
		s->response = true;
		s->a_len = i;
		size_t c = i + 1;
		if (n - c < 3 || p[c] < '0' || p[c] > '9' || p[c + 1] < '0' || p[c + 1] > '9' || p[c + 2] < '0' ||
		    p[c + 2] > '9' || (n - c > 3 && p[c + 3] != ' '))
			return false;
		s->b_at = c;
		s->b_len = 3;
		s->code = (unsigned)((p[c] - '0') * 100 + (p[c + 1] - '0') * 10 + (p[c + 2] - '0'));
		s->c_at = n - c > 3 ? c + 4 : n;
		s->c_len = n - s->c_at;
		return true;
	}
	size_t i = 0;
	while (i < n && i <= 32 && is_tchar(p[i]))
		i++;
	if (i == 0 || i > 32 || i >= n || p[i] != ' ')
		return false;
	s->a_len = i;
	size_t u = i + 1;
	size_t e = u;
	while (e < n && p[e] != ' ')
		e++;
	if (cut && method_known(p, i) && e > u) {
		s->b_at = u;
		s->b_len = e - u;
		s->c_at = e < n ? e + 1 : n;
		s->c_len = n - s->c_at;
		size_t k = s->c_len < 5 ? s->c_len : 5;
		return memcmp(p + s->c_at, "HTTP/", k) == 0;
	}
	if (e == u || e >= n)
		return false;
	s->b_at = u;
	s->b_len = e - u;
	s->c_at = e + 1;
	s->c_len = n - s->c_at;
	return s->c_len >= 5 && memcmp(p + s->c_at, "HTTP/", 5) == 0;
}

/* ---- the load pass ---------------------------------------------------- */

static struct http_state *
state_get(struct tw_convs *cs)
{
	if (!cs->http)
		cs->http = xcalloc(1, sizeof(struct http_state));
	return cs->http;
}

static struct http_cstate *
cstate_get(struct http_state *st, uint32_t conv)
{
	if (conv >= st->nconv) {
		size_t n = st->nconv ? st->nconv : 64;
		while (n <= conv)
			n *= 2;
		st->conv = xreallocarray(st->conv, n, sizeof *st->conv);
		for (size_t i = st->nconv; i < n; i++)
			st->conv[i] = (struct http_cstate){ HTTP_NONE, HTTP_NONE, HTTP_NONE, 0 };
		st->nconv = n;
	}
	return &st->conv[conv];
}

static uint32_t
pair_new(struct http_state *st, struct http_cstate *cst)
{
	if (st->npair == st->cappair) {
		st->cappair = st->cappair ? st->cappair * 2 : 64;
		st->pair = xreallocarray(st->pair, st->cappair, sizeof *st->pair);
	}
	uint32_t id = (uint32_t)st->npair++;
	struct http_pair *p = &st->pair[id];
	memset(p, 0, sizeof *p);
	p->number = ++cst->npairs;
	p->prev = cst->last;
	p->next = HTTP_NONE;
	p->body = HTTP_NONE;
	if (cst->last != HTTP_NONE)
		st->pair[cst->last].next = id;
	else
		cst->first = id;
	cst->last = id;
	return id;
}

static void
pool_add(struct http_state *st, struct http_pair *p, const char *a, size_t an, const uint8_t *b, size_t bn)
{
	size_t n = an + bn;
	if (st->npool + n > st->cappool) {
		st->cappool = (st->npool + n) * 2 + 1024;
		st->pool = xrealloc(st->pool, st->cappool);
	}
	p->uri_off = (uint32_t)st->npool;
	memcpy(st->pool + st->npool, a, an);
	if (bn)
		memcpy(st->pool + st->npool + an, b, bn);
	st->npool += n;
	p->uri_len = (uint32_t)n;
}

/* The value of the Host header in the header block after the start line. */
static bool
find_host(struct tw_buf *b, size_t *at, size_t *len)
{
	struct line ln;
	for (int i = 0; i < MAX_HEADER_LINES && next_line(b, &ln) && ln.len; i++) {
		if (ln.len < 5 || !ieq(ln.p, 5, "host:"))
			continue;
		size_t s = 5, e = ln.len;
		trim(ln.p, &s, &e);
		*at = ln.at + s;
		*len = e - s;
		return true;
	}
	return false;
}

/*
 * The frame that holds a single-segment message (where stream.c shows it).
 * v->frame is the frame whose arrival completed the message: usually the
 * same, but a message completed by the connection's close (or by a
 * later out-of-order segment) lies in an earlier frame.
 */
static uint32_t
holding_frame(struct tw_dctx *c, const struct tw_pdu_view *v)
{
	if (v->pdu != PIECE_SKIP || !c->cap)
		return v->frame;
	uintptr_t want = (uintptr_t)v->p;
	uint32_t f = v->frame;
	for (uint32_t k = 0; k < 100000; k++, f--) {
		const struct tw_frame *fr = capture_frame(c->cap, f);
		const uint8_t *p = fr ? capture_bytes(c->cap, fr) : NULL;
		if (p && (uintptr_t)p + v->foff == want)
			return f;
		if (f == 0)
			break;
	}
	return v->frame;
}

static void keep_body(struct tw_dctx *c, struct http_state *st, uint32_t pid, struct tw_buf *b);

void
http_first_pass(struct tw_dctx *c, const struct tw_pdu_view *v)
{
	if (!c->convs || !v->p || !v->len)
		return;
	struct tw_buf b = buf_init(v->p, v->len, v->len, 0);
	struct line ln;
	struct start s;
	if (!next_line(&b, &ln) || !parse_start(ln.p, ln.len, ln.term == 0, &s))
		return;
	struct http_state *st = state_get(c->convs);
	struct http_cstate *cst = cstate_get(st, v->conv);
	uint32_t frame = holding_frame(c, v);
	tw_time ts = c->pi.ts;
	if (c->cap) {
		const struct tw_frame *f = capture_frame(c->cap, frame);
		if (f)
			ts = f->ts;
	}
	uint32_t pid;
	if (!s.response) {
		pid = pair_new(st, cst);
		struct http_pair *p = &st->pair[pid];
		p->req_frame = frame + 1;
		p->req_ts = ts;
		p->head = s.a_len == 4 && memcmp(ln.p, "HEAD", 4) == 0;
		const uint8_t *uri = ln.p + s.b_at;
		size_t ulen = s.b_len > MAX_URI_KEEP ? MAX_URI_KEEP : s.b_len;
		size_t hat = 0, hlen = 0;
		struct tw_buf hb = b;
		if (uri[0] == '/' && find_host(&hb, &hat, &hlen) && hlen && hlen <= 1024) {
			char pre[1100];
			memcpy(pre, "http://", 7);
			memcpy(pre + 7, v->p + hat, hlen);
			pool_add(st, p, pre, 7 + hlen, uri, ulen);
		} else {
			pool_add(st, p, "", 0, uri, ulen);
		}
		if (cst->pending == HTTP_NONE)
			cst->pending = pid;
	} else {
		bool interim = s.code >= 100 && s.code < 200 && s.code != 101;
		pid = cst->pending;
		if (pid == HTTP_NONE) {
			/* A response without a request in the capture. */
			pid = pair_new(st, cst);
			if (!interim)
				st->pair[pid].res_frame = frame + 1;
		} else if (!interim) {
			st->pair[pid].res_frame = frame + 1;
			cst->pending = st->pair[pid].next;
		}
		if (!interim) {
			st->pair[pid].status = (uint16_t)s.code;
			struct tw_buf hb = b;
			keep_body(c, st, pid, &hb);
		}
	}
	if (st->nmsg == st->capmsg) {
		st->capmsg = st->capmsg ? st->capmsg * 2 : 256;
		st->msg = xreallocarray(st->msg, st->capmsg, sizeof *st->msg);
	}
	st->msg[st->nmsg++] = (struct http_msg){ frame, v->conv, v->pdu == PIECE_SKIP ? v->foff : UINT32_MAX,
		                                  v->pdu, pid, v->dir, s.response };
}

static int
cmp_msg(const void *a, const void *b, void *ctx)
{
	const struct http_state *st = ctx;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t fx = st->msg[x].frame, fy = st->msg[y].frame;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x < y ? -1 : x > y;
}

static void
msg_index(struct http_state *st)
{
	st->idx = xreallocarray(st->idx, st->nmsg ? st->nmsg : 1, sizeof *st->idx);
	for (size_t i = 0; i < st->nmsg; i++)
		st->idx[i] = (uint32_t)i;
	qsort_r(st->idx, st->nmsg, sizeof *st->idx, cmp_msg, st);
	st->nidx = st->nmsg;
}

/* The load-pass record of the message being shown, or NULL. */
static const struct http_msg *
msg_lookup(struct tw_dctx *c, const struct tw_buf *b, uint32_t conv, int dir)
{
	struct http_state *st = c->convs ? c->convs->http : NULL;
	if (!st || !st->nmsg || c->pi.num == 0)
		return NULL;
	if (st->nidx != st->nmsg)
		msg_index(st);
	uint32_t frame = c->pi.num - 1;
	size_t lo = 0, hi = st->nidx;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (st->msg[st->idx[mid]].frame < frame)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool stored = c->cur_pdu != PIECE_SKIP;
	size_t foff = buf_pos_abs(b);
	for (size_t i = lo; i < st->nidx && st->msg[st->idx[i]].frame == frame; i++) {
		const struct http_msg *m = &st->msg[st->idx[i]];
		if (m->conv != conv || m->dir != dir)
			continue;
		if (stored ? m->pdu == c->cur_pdu : (m->pdu == PIECE_SKIP && m->foff == foff))
			return m;
	}
	return NULL;
}

/* ---- display helpers -------------------------------------------------- */

/* Label: prefix, escaped bytes (at most 400), suffix. */
static void
label_esc(struct tw_tree *t, struct tw_node *n, const char *prefix, const void *p, size_t len, const char *suffix)
{
	if (!t || !n || !t->labels)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	sb_adds(&sb, prefix);
	size_t show = len > 400 ? 400 : len;
	sb_add_escaped(&sb, p, show);
	if (show < len)
		sb_addf(&sb, "\xe2\x80\xa6 [%zu bytes]", len);
	sb_adds(&sb, suffix);
	n->label = arena_strndup(t->arena, sb.s, sb.len);
	sb_free(&sb);
}

/* A line node labelled with the line and its terminator ("Host: x\r\n"). */
static void
label_line(struct tw_tree *t, struct tw_node *n, const struct line *ln)
{
	label_esc(t, n, "", ln->p, ln->len, ln->term == 2 ? "\\r\\n" : ln->term == 1 ? "\\n" : "");
}

/* String node over bytes [at, at+len) of view b, value = those bytes. */
static struct tw_node *
str_node(struct tw_tree *t, struct tw_node *parent, int f, const struct tw_buf *b, size_t at, size_t len)
{
	struct tw_node *n = tree_add(t, parent, &fields[f], b, at, len);
	node_set_bytes(n, b->p + at, len);
	return n;
}

static void
info_escaped(struct tw_dctx *c, const uint8_t *p, size_t n)
{
	col_add_info_escaped(c, p, n > 512 ? 512 : n);
}

/* Header names tracewb gives a field (others are http.request.line only). */
enum hkind {
	H_OTHER,
	H_HOST,
	H_CONTENT_TYPE,
	H_CONTENT_LENGTH,
	H_CONTENT_ENCODING,
	H_TRANSFER_ENCODING,
	H_COOKIE,
	H_AUTHORIZATION,
	H_PLAIN,
};

static const struct {
	const char *name;
	int field;
	uint8_t kind;
} headers[] = {
	{ "host", F_HOST, H_HOST },
	{ "user-agent", F_USER_AGENT, H_PLAIN },
	{ "content-type", F_CONTENT_TYPE, H_CONTENT_TYPE },
	{ "content-length", F_CL_HEADER, H_CONTENT_LENGTH },
	{ "content-encoding", F_CONTENT_ENCODING, H_CONTENT_ENCODING },
	{ "transfer-encoding", F_TE, H_TRANSFER_ENCODING },
	{ "connection", F_CONNECTION, H_PLAIN },
	{ "server", F_SERVER, H_PLAIN },
	{ "location", F_LOCATION, H_PLAIN },
	{ "cache-control", F_CACHE_CONTROL, H_PLAIN },
	{ "accept", F_ACCEPT, H_PLAIN },
	{ "accept-encoding", F_ACCEPT_ENCODING, H_PLAIN },
	{ "accept-language", F_ACCEPT_LANGUAGE, H_PLAIN },
	{ "referer", F_REFERER, H_PLAIN },
	{ "cookie", F_COOKIE, H_COOKIE },
	{ "set-cookie", F_SET_COOKIE, H_PLAIN },
	{ "authorization", F_AUTHORIZATION, H_AUTHORIZATION },
	{ "www-authenticate", F_WWW_AUTH, H_PLAIN },
	{ "proxy-authenticate", F_PROXY_AUTHENTICATE, H_PLAIN },
	{ "proxy-authorization", F_PROXY_AUTHORIZATION, H_PLAIN },
	{ "date", F_DATE, H_PLAIN },
	{ "last-modified", F_LAST_MODIFIED, H_PLAIN },
	{ "upgrade", F_UPGRADE, H_PLAIN },
	{ "x-forwarded-for", F_XFF, H_PLAIN },
};

/* What the headers say about the body. */
struct hinfo {
	bool have_cl;       /* a valid Content-Length */
	bool cl_conflict;   /* differing Content-Length values */
	uint64_t cl;
	bool chunked;       /* Transfer-Encoding ends in chunked */
	bool te;            /* any Transfer-Encoding */
	size_t host_at, host_len;
	bool have_host;
	char ctype[128];    /* media type, lower case, no parameters ("" if none) */
	char cenc[64];      /* content coding ("" if none or identity) */
	bool lf_only;       /* a line ended in LF alone */
};

static int
base64_val(uint8_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decode base64 (stops at '=' or an invalid character); returns the length. */
static size_t
base64_decode(const uint8_t *p, size_t n, uint8_t *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t k = 0;
	for (size_t i = 0; i < n && k < cap; i++) {
		int v = base64_val(p[i]);
		if (v < 0)
			break;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (uint8_t)(acc >> bits);
		}
	}
	return k;
}

/* Split [s, e) of b's bytes on sep into child nodes of field f. */
static void
split_nodes(struct tw_tree *t, struct tw_node *parent, int f, const struct tw_buf *b, size_t s, size_t e,
            uint8_t sep)
{
	const uint8_t *p = b->p;
	int count = 0;
	while (s < e && count < MAX_LIST_ITEMS) {
		size_t x = s;
		while (x < e && p[x] != sep)
			x++;
		size_t a = s, z = x;
		trim(p, &a, &z);
		if (z > a) {
			str_node(t, parent, f, b, a, z - a);
			count++;
		}
		s = x + 1;
	}
}

/* One header line: its field node (if known) and the hidden request/response line. */
static void
header_line(struct tw_dctx *c, struct tw_node *http, const struct tw_buf *b, const struct line *ln, bool response,
            struct hinfo *h)
{
	struct tw_tree *t = c->tree;
	const uint8_t *p = ln->p;
	size_t colon = 0;
	bool have_colon = false;
	for (size_t i = 0; i < ln->len; i++)
		if (p[i] == ':') {
			colon = i;
			have_colon = true;
			break;
		}
	bool has_nul = memchr(p, 0, ln->len) != NULL;
	size_t full = ln->len + ln->term;
	int hf = -1, kind = H_OTHER;
	size_t vs = 0, ve = 0;
	if (have_colon) {
		for (size_t i = 0; i < ARRAY_SIZE(headers); i++)
			if (ieq(p, colon, headers[i].name)) {
				hf = headers[i].field;
				kind = headers[i].kind;
				break;
			}
		vs = colon + 1;
		ve = ln->len;
		trim(p, &vs, &ve);
	}
	struct tw_node *n = NULL;
	if (hf >= 0) {
		n = tree_add(t, http, &fields[hf], b, ln->at, full);
		node_set_bytes(n, p + vs, ve - vs);
	} else {
		n = tree_add(t, http, NULL, b, ln->at, full);
	}
	label_line(t, n, ln);
	struct tw_node *raw = tree_add(t, http, &fields[response ? F_RESP_LINE : F_REQ_LINE], b, ln->at, full);
	node_set_bytes(raw, p, full);
	node_set_flags(raw, TW_NF_HIDDEN);
	label_line(t, raw, ln);

	if (!have_colon) {
		tree_expert(t, n, TW_SEV_WARN, "Header line without a colon: not a field");
		return;
	}
	bool bad_name = colon == 0;
	for (size_t i = 0; i < colon; i++)
		if (!is_tchar(p[i]))
			bad_name = true;
	if (bad_name)
		tree_expert(t, n, TW_SEV_WARN, "Illegal characters found in header name");
	if (has_nul)
		tree_expert(t, n, TW_SEV_WARN, "Header contains NUL bytes");

	const uint8_t *val = p + vs;
	size_t vlen = ve - vs;
	switch (kind) {
	case H_HOST:
		h->have_host = true;
		h->host_at = ln->at + vs;
		h->host_len = vlen;
		break;
	case H_CONTENT_TYPE: {
		size_t k = 0;
		while (k < vlen && val[k] != ';' && k < sizeof h->ctype - 1) {
			h->ctype[k] = (char)lower(val[k]);
			k++;
		}
		while (k && is_ws((uint8_t)h->ctype[k - 1]))
			k--;
		h->ctype[k] = '\0';
		break;
	}
	case H_CONTENT_ENCODING: {
		size_t k = 0;
		for (; k < vlen && k < sizeof h->cenc - 1; k++)
			h->cenc[k] = (char)lower(val[k]);
		h->cenc[k] = '\0';
		if (strcmp(h->cenc, "identity") == 0)
			h->cenc[0] = '\0';
		break;
	}
	case H_CONTENT_LENGTH: {
		uint64_t v = 0;
		bool ok = vlen > 0;
		for (size_t k = 0; k < vlen && ok; k++) {
			if (val[k] < '0' || val[k] > '9' || v > (UINT64_MAX - 9) / 10)
				ok = false;
			else
				v = v * 10 + (uint64_t)(val[k] - '0');
		}
		if (!ok) {
			tree_expert(t, n, TW_SEV_ERROR, "Invalid Content-Length: not a decimal number of bytes%s",
			            vlen && val[0] == '-' ? " (negative)" : "");
			break;
		}
		struct tw_node *cl = tree_add(t, n, &fields[F_CL], b, ln->at, full);
		node_set_u(cl, v);
		node_set_flags(cl, TW_NF_GENERATED);
		if (h->have_cl && h->cl != v) {
			h->cl_conflict = true;
			tree_expert(t, n, TW_SEV_ERROR,
			            "Content-Length given twice with different values (%llu and %llu): the message "
			            "length is ambiguous (request smuggling?)",
			            (unsigned long long)h->cl, (unsigned long long)v);
		} else if (h->have_cl) {
			tree_expert(t, n, TW_SEV_NOTE, "Content-Length repeated");
		}
		h->have_cl = true;
		h->cl = v;
		break;
	}
	case H_TRANSFER_ENCODING: {
		h->te = true;
		/* The last coding decides: "gzip, chunked". */
		size_t e = vlen, s = vlen;
		while (s && val[s - 1] != ',')
			s--;
		trim(val, &s, &e);
		h->chunked = ieq(val + s, e - s, "chunked");
		bool known = true;
		size_t a = 0;
		while (a < vlen) {
			size_t z = a;
			while (z < vlen && val[z] != ',')
				z++;
			size_t x = a, y = z;
			trim(val, &x, &y);
			if (!ieq(val + x, y - x, "chunked") && !ieq(val + x, y - x, "gzip") &&
			    !ieq(val + x, y - x, "deflate") && !ieq(val + x, y - x, "compress") &&
			    !ieq(val + x, y - x, "identity"))
				known = false;
			a = z + 1;
		}
		if (!known)
			tree_expert(t, n, TW_SEV_WARN, "Unknown transfer coding name in Transfer-Encoding header");
		break;
	}
	case H_COOKIE:
		split_nodes(t, n, F_COOKIE_PAIR, b, ln->at + vs, ln->at + ve, ';');
		break;
	case H_AUTHORIZATION:
		if (vlen > 6 && ieq(val, 6, "basic ")) {
			size_t s = 6;
			while (s < vlen && is_ws(val[s]))
				s++;
			uint8_t dec[768];
			size_t k = base64_decode(val + s, vlen - s, dec, sizeof dec);
			struct tw_node *cr = tree_add(t, n, &fields[F_AUTHBASIC], b, ln->at + vs + s, vlen - s);
			node_set_bytes_copy(t, cr, dec, k);
		}
		break;
	default:
		break;
	}
}

/* Request URI children: path, query and its parameters. */
static void
uri_nodes(struct tw_tree *t, struct tw_node *un, const struct tw_buf *b, size_t at, size_t len)
{
	const uint8_t *p = b->p + at;
	size_t q = 0;
	while (q < len && p[q] != '?')
		q++;
	if (q >= len)
		return;
	str_node(t, un, F_URI_PATH, b, at, q);
	struct tw_node *qn = str_node(t, un, F_URI_QUERY, b, at + q + 1, len - q - 1);
	split_nodes(t, qn, F_URI_QPARAM, b, at + q + 1, at + len, '&');
}

/* "HTTP chunked response": undo the transfer coding into out; returns the body length. */
static size_t
dechunk(struct tw_dctx *c, struct tw_node *http, struct tw_buf *b, bool response, uint8_t *out, bool *ok)
{
	struct tw_tree *t = c->tree;
	size_t start = b->off;
	struct tw_node *top = tree_add(t, http, NULL, b, start, buf_left(b));
	if (top)
		top->label = response ? "HTTP chunked response" : "HTTP chunked request";
	size_t total = 0;
	unsigned nchunks = 0;
	*ok = false;
	struct line ln;
	while (next_line(b, &ln)) {
		size_t i = 0;
		uint64_t size = 0;
		while (i < ln.len && is_ws(ln.p[i]))
			i++;
		size_t digits = 0;
		bool overflow = false;
		for (; i < ln.len; i++, digits++) {
			int v = ln.p[i] >= '0' && ln.p[i] <= '9' ? ln.p[i] - '0' :
			        lower(ln.p[i]) >= 'a' && lower(ln.p[i]) <= 'f' ? lower(ln.p[i]) - 'a' + 10 : -1;
			if (v < 0)
				break;
			if (size > (UINT64_MAX >> 4))
				overflow = true;
			size = size * 16 + (uint64_t)v;
		}
		while (i < ln.len && is_ws(ln.p[i]))
			i++;
		bool ext_ok = i == ln.len || ln.p[i] == ';';
		if (!digits || overflow || !ext_ok || ln.term == 0) {
			struct tw_node *x = tree_add(t, top, NULL, b, ln.at, ln.len + ln.term);
			label_esc(t, x, "Invalid chunk size line: ", ln.p, ln.len, "");
			tree_expert(t, x, TW_SEV_ERROR, "Invalid chunk size%s: the rest of the body is not de-chunked",
			            overflow ? " (too large)" : "");
			b->off = ln.at;
			return total;
		}
		if (size == 0) {
			struct tw_node *e = tree_add(t, top, NULL, b, ln.at, ln.len + ln.term);
			if (e)
				e->label = "End of chunked encoding";
			struct tw_node *cs = tree_add(t, e, &fields[F_CHUNK_SIZE], b, ln.at, ln.len + ln.term);
			node_set_u(cs, 0);
			node_label(t, cs, "Chunk size: 0 octets");
			/* Trailer fields until an empty line. */
			for (unsigned k = 0; next_line(b, &ln); k++) {
				if (ln.len == 0) {
					struct tw_node *crlf = tree_add(t, top, NULL, b, ln.at, ln.term);
					label_line(t, crlf, &ln);
					*ok = ln.term != 0;
					return total;
				}
				if (k < MAX_LIST_ITEMS) {
					struct tw_node *tr = str_node(t, top, F_TRAILER, b, ln.at, ln.len + ln.term);
					label_esc(t, tr, "trailer-part: ", ln.p, ln.len, ln.term == 2 ? "\\r\\n" : "");
				}
			}
			tree_expert(t, top, TW_SEV_WARN, "The chunked body ends without the final empty line");
			return total;
		}
		size_t left = buf_left(b);
		if (size > left) {
			struct tw_node *x = tree_add(t, top, NULL, b, ln.at, ln.len + ln.term + left);
			node_label(t, x, "Data chunk (%llu octets, %zu present)", (unsigned long long)size, left);
			tree_expert(t, x, TW_SEV_WARN, "Chunk size %llu exceeds the %zu bytes left in the message",
			            (unsigned long long)size, left);
			const uint8_t *d = buf_ptr(b, left);
			if (d && left)
				memcpy(out + total, d, left);
			total += left;
			return total;
		}
		size_t dat = b->off;
		const uint8_t *d = buf_ptr(b, (size_t)size);
		memcpy(out + total, d, (size_t)size);
		total += (size_t)size;
		/* The CRLF after the data. */
		size_t bl = 0;
		if (buf_peek_u8(b, 0) == '\r' && buf_peek_u8(b, 1) == '\n')
			bl = 2;
		else if (buf_peek_u8(b, 0) == '\n')
			bl = 1;
		struct tw_node *ch = NULL;
		if (nchunks < MAX_CHUNK_NODES) {
			ch = tree_add(t, top, NULL, b, ln.at, dat + (size_t)size + bl - ln.at);
			node_label(t, ch, "Data chunk (%llu octets)", (unsigned long long)size);
			struct tw_node *cs = tree_add(t, ch, &fields[F_CHUNK_SIZE], b, ln.at, ln.len + ln.term);
			node_set_u(cs, size);
			node_label(t, cs, "Chunk size: %llu octets", (unsigned long long)size);
			struct tw_node *cd = tree_add(t, ch, &fields[F_CHUNK_DATA], b, dat, (size_t)size);
			node_set_bytes(cd, d, (size_t)size);
			if (bl) {
				struct tw_node *cb = tree_add(t, ch, &fields[F_CHUNK_BOUNDARY], b, b->off, bl);
				node_set_bytes(cb, b->p + b->off, bl);
			}
		} else if (nchunks == MAX_CHUNK_NODES) {
			tree_expert(t, top, TW_SEV_NOTE, "[More than %d chunks: later chunks are de-chunked but not listed]",
			            MAX_CHUNK_NODES);
		}
		nchunks++;
		if (!bl) {
			tree_expert(t, ch ? ch : top, TW_SEV_ERROR, "Chunk data is not followed by CRLF");
			return total;
		}
		buf_skip(b, bl);
	}
	tree_expert(t, top, TW_SEV_WARN, "The chunked body ends before its last chunk");
	return total;
}

/*
 * Load pass: keep the body of a CRL, OCSP or certificate response (b is at
 * the header block), so the chain model can read it (http_url_lookup).
 */
static void
keep_body(struct tw_dctx *c, struct http_state *st, uint32_t pid, struct tw_buf *b)
{
	struct hinfo h;
	memset(&h, 0, sizeof h);
	struct line ln;
	bool ended = false;
	for (int i = 0; i < MAX_HEADER_LINES && next_line(b, &ln); i++) {
		if (ln.len == 0) {
			ended = ln.term != 0;
			break;
		}
		if (ln.term == 0)
			break;
		if (!is_ws(ln.p[0]))
			header_line(c, NULL, b, &ln, true, &h);
	}
	if (!ended || h.cenc[0] || st->body_bytes >= HTTP_BODIES_MAX)
		return;
	if (strcmp(h.ctype, "application/pkix-crl") != 0 && strcmp(h.ctype, "application/ocsp-response") != 0 &&
	    strcmp(h.ctype, "application/pkix-cert") != 0 && strcmp(h.ctype, "application/x-x509-ca-cert") != 0)
		return;
	size_t avail = buf_left(b);
	if (!avail || avail > HTTP_BODY_MAX)
		return;
	uint8_t *out = xmalloc(avail);
	size_t n = avail;
	if (h.chunked) {
		bool ok;
		n = dechunk(c, NULL, b, true, out, &ok);
	} else {
		if (h.have_cl && !h.cl_conflict && h.cl < avail)
			n = (size_t)h.cl;
		memcpy(out, b->p + b->off, n);
	}
	if (!n) {
		free(out);
		return;
	}
	if (st->nbody == st->capbody) {
		st->capbody = st->capbody ? st->capbody * 2 : 8;
		st->body = xreallocarray(st->body, st->capbody, sizeof *st->body);
	}
	/* A body kept before with the same bytes is shared (clients fetch the same CRL again and again). */
	uint64_t hash = UINT64_C(14695981039346656037);
	for (size_t i = 0; i < n; i++)
		hash = (hash ^ out[i]) * UINT64_C(1099511628211);
	if (st->nbody * 2 >= st->nbodyset) {
		free(st->bodyset);
		st->nbodyset = st->nbodyset ? st->nbodyset * 2 : 64;
		st->bodyset = xcalloc(st->nbodyset, sizeof *st->bodyset);
		for (size_t i = 0; i < st->nbody; i++) {
			if (!st->body[i].owner)
				continue;
			size_t j = st->body[i].hash & (st->nbodyset - 1);
			while (st->bodyset[j])
				j = (j + 1) & (st->nbodyset - 1);
			st->bodyset[j] = (uint32_t)i + 1;
		}
	}
	struct http_body *k = &st->body[st->nbody];
	k->pair = pid;
	memcpy(k->ctype, h.ctype, sizeof k->ctype - 1); /* one of the four types above */
	k->ctype[sizeof k->ctype - 1] = '\0';
	k->len = n;
	k->hash = hash;
	k->p = out;
	k->owner = true;
	size_t j = hash & (st->nbodyset - 1);
	for (; st->bodyset[j]; j = (j + 1) & (st->nbodyset - 1)) {
		const struct http_body *o = &st->body[st->bodyset[j] - 1];
		if (o->hash == hash && o->len == n && memcmp(o->p, out, n) == 0) {
			free(out);
			k->p = o->p;
			k->owner = false;
			break;
		}
	}
	if (k->owner) {
		st->bodyset[j] = (uint32_t)st->nbody + 1;
		st->body_bytes += n;
	}
	st->pair[pid].body = (uint32_t)st->nbody++;
}

static int
cmp_ukey(const void *a, const void *b, void *ctx)
{
	const struct http_state *st = ctx;
	const struct http_ukey *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(st->upool + x->off, st->upool + y->off, n);
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static void
url_index(struct http_state *st)
{
	st->nupool = 0;
	st->nukey = 0;
	st->ukey = xreallocarray(st->ukey, st->npair ? st->npair : 1, sizeof *st->ukey);
	char u[4096 + 1100];
	for (size_t i = 0; i < st->npair; i++) {
		const struct http_pair *p = &st->pair[i];
		if (!p->req_frame || !p->uri_len)
			continue;
		size_t ul = x509_url_norm(st->pool + p->uri_off, p->uri_len, u, sizeof u);
		if (!ul)
			continue;
		if (st->nupool + ul > st->capupool) {
			st->capupool = (st->nupool + ul) * 2 + 4096;
			st->upool = xrealloc(st->upool, st->capupool);
		}
		memcpy(st->upool + st->nupool, u, ul);
		st->ukey[st->nukey++] = (struct http_ukey){ (uint32_t)st->nupool, (uint32_t)ul, (uint32_t)i };
		st->nupool += ul;
	}
	if (st->nukey)
		qsort_r(st->ukey, st->nukey, sizeof *st->ukey, cmp_ukey, st);
	st->ukey_npair = st->npair;
}

void
http_state_freeze(void *convs)
{
	struct tw_convs *cs = convs;
	struct http_state *st = cs ? cs->http : NULL;
	if (st && st->nidx != st->nmsg)
		msg_index(st);
}

/* The URL index is built on first use, under a lock (threads may ask at once). */
static pthread_mutex_t url_index_lock = PTHREAD_MUTEX_INITIALIZER;

size_t
http_url_lookup(void *convs, const char *url, size_t len, bool prefix, struct tw_http_hit *out, size_t max)
{
	struct tw_convs *cs = convs;
	struct http_state *st = cs ? cs->http : NULL;
	if (!st || !max)
		return 0;
	char q[4096];
	size_t ql = x509_url_norm(url, len, q, sizeof q);
	if (!ql)
		return 0;
	pthread_mutex_lock(&url_index_lock);
	if (st->ukey_npair != st->npair || !st->ukey)
		url_index(st);
	pthread_mutex_unlock(&url_index_lock);
	/* The first key >= q; then every key equal to q (or starting with it). */
	size_t lo = 0, hi = st->nukey;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct http_ukey *k = &st->ukey[mid];
		size_t n = k->len < ql ? k->len : ql;
		int c = memcmp(st->upool + k->off, q, n);
		if (c < 0 || (c == 0 && k->len < ql))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	for (size_t i = lo; i < st->nukey && n < max; i++) {
		const struct http_ukey *k = &st->ukey[i];
		if (k->len < ql || memcmp(st->upool + k->off, q, ql) != 0)
			break;
		if (!prefix && k->len != ql)
			break;
		const struct http_pair *p = &st->pair[k->pair];
		struct tw_http_hit *h = &out[n++];
		memset(h, 0, sizeof *h);
		h->where = "";
		h->req_frame = p->req_frame;
		h->res_frame = p->res_frame;
		h->status = p->res_frame ? p->status : 0;
		h->status_text = p->res_frame ? status_desc(p->status) : "";
		h->ctype = "";
		if (p->body != HTTP_NONE && p->body < st->nbody) {
			const struct http_body *kb = &st->body[p->body];
			h->ctype = kb->ctype;
			h->body = kb->p;
			h->body_len = kb->len;
		}
	}
	return n;
}

static bool
is_text(const char *ctype)
{
	return strncmp(ctype, "text/", 5) == 0;
}

/* "Line-based text data: text/plain (2 lines)". */
static void
text_lines(struct tw_dctx *c, struct tw_node *parent, struct tw_buf *body, const char *ctype)
{
	struct tw_tree *t = c->tree;
	col_add_proto_layer(c, "data-text-lines");
	struct tw_node *top = tree_add_here(t, parent, &fields[F_TEXT_LINES], body, buf_left(body));
	struct line ln;
	unsigned n = 0;
	while (next_line(body, &ln)) {
		if (n < MAX_LIST_ITEMS) {
			struct tw_node *x = tree_add(t, top, NULL, body, ln.at, ln.len + ln.term);
			label_line(t, x, &ln);
		}
		n++;
	}
	if (n > MAX_LIST_ITEMS)
		tree_expert(t, top, TW_SEV_NOTE, "[%u more lines not shown]", n - MAX_LIST_ITEMS);
	if (top && t->labels) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_adds(&sb, "Line-based text data: ");
		sb_add_escaped(&sb, ctype, strlen(ctype));
		sb_addf(&sb, " (%u line%s)", n, n == 1 ? "" : "s");
		top->label = arena_strndup(t->arena, sb.s, sb.len);
		sb_free(&sb);
	}
}

/*
 * The body, handed to what its Content-Type names. Sets *replaced when a
 * body dissector took over the Info column (CRL, OCSP) and *suffix to a
 * note for the end of Info.
 */
static void
body_dispatch(struct tw_dctx *c, struct tw_node *parent, struct tw_node *http, struct tw_buf *body,
              const struct hinfo *h, bool *replaced, const char **suffix)
{
	struct tw_tree *t = c->tree;
	size_t n = buf_left(body);
	struct tw_node *e = NULL;
	if (h->cenc[0]) {
		e = tree_add_here(t, http, NULL, body, n);
		if (e && t->labels) {
			struct tw_sb sb;
			sb_heap(&sb);
			sb_adds(&sb, "Content-encoded entity body (");
			sb_add_escaped(&sb, h->cenc, strlen(h->cenc));
			sb_addf(&sb, "): %zu bytes", n);
			e->label = arena_strndup(t->arena, sb.s, sb.len);
			sb_free(&sb);
		}
		tree_expert(t, e, TW_SEV_NOTE, "Content-Encoding is not decoded by tracewb: the body is shown as sent");
	}
	struct tw_node *fd = tree_add_here(t, http, &fields[F_FILE_DATA], body, n);
	node_set_bytes(fd, body->p + body->off, n);
	node_label(t, fd, "File Data: %zu bytes", n);
	const char *ct = h->ctype;
	if (h->cenc[0] || !ct[0]) {
		struct tw_buf v = *body;
		dissect_data(c, &v, e ? e : http);
		return;
	}
	if (strcmp(ct, "application/pkix-crl") == 0) {
		col_add_proto_layer(c, "x509af");
		col_set_proto(c, "PKIX-CRL", PROTO_HTTP);
		col_clear_info(c);
		col_add_info(c, "Certificate Revocation List");
		if (!x509_crl_tree(t, parent, body, body->off, n))
			*suffix = " [Malformed CRL]";
		*replaced = true;
	} else if (strcmp(ct, "application/ocsp-request") == 0 || strcmp(ct, "application/ocsp-response") == 0) {
		bool req = strcmp(ct, "application/ocsp-request") == 0;
		col_add_proto_layer(c, "ocsp");
		col_set_proto(c, "OCSP", PROTO_HTTP);
		col_clear_info(c);
		col_add_info(c, req ? "Request" : "Response");
		bool ok = req ? ocsp_request_tree(t, parent, body, body->off, n) :
		                ocsp_response_tree(t, parent, body, body->off, n);
		if (!ok)
			*suffix = req ? " [Malformed OCSP request]" : " [Malformed OCSP response]";
		*replaced = true;
	} else if (strcmp(ct, "application/pkix-cert") == 0 || strcmp(ct, "application/x-x509-ca-cert") == 0 ||
	           strcmp(ct, "application/x-x509-user-cert") == 0) {
		col_add_proto_layer(c, "pkix-cert");
		struct tw_node *pk = tree_add_here(t, parent, &fields[F_PKIX_CERT], body, n);
		if (!x509_cert_tree(t, pk, body, body->off, n))
			*suffix = " [Malformed certificate]";
	} else if (is_text(ct)) {
		struct tw_buf v = *body;
		text_lines(c, parent, &v, ct);
	} else {
		col_add_proto_layer(c, "media");
		struct tw_node *m = tree_add_here(t, parent, &fields[F_MEDIA], body, n);
		struct tw_node *mt = tree_add_here(t, m, &fields[F_MEDIA_TYPE], body, n);
		node_set_bytes(mt, body->p + body->off, n);
		if (mt && t->labels) {
			struct tw_sb sb;
			sb_heap(&sb);
			sb_adds(&sb, "Media type: ");
			sb_add_escaped(&sb, ct, strlen(ct));
			sb_addf(&sb, " (%zu bytes)", n);
			mt->label = arena_strndup(t->arena, sb.s, sb.len);
			sb_free(&sb);
		}
	}
}

/* Request/response pairing nodes (the load pass found them). */
static void
pairing_nodes(struct tw_dctx *c, struct tw_node *http, const struct http_msg *m, bool response)
{
	struct tw_tree *t = c->tree;
	const struct http_state *st = c->convs->http;
	const struct http_pair *cur = &st->pair[m->pair];
	const struct http_pair *prev = cur->prev != HTTP_NONE ? &st->pair[cur->prev] : NULL;
	const struct http_pair *next = cur->next != HTTP_NONE ? &st->pair[cur->next] : NULL;
	uint32_t total = m->conv < st->nconv ? st->conv[m->conv].npairs : cur->number;
	struct tw_node *n;
	n = tree_add_gen(t, http, &fields[response ? F_RESP_NUMBER : F_REQ_NUMBER]);
	node_set_u(n, cur->number);
	node_label(t, n, "[HTTP %s %u/%u]", response ? "response" : "request", cur->number, total);
#define FRAME_NODE(fld, val)                                                 \
	do {                                                                 \
		n = tree_add_gen(t, http, &fields[fld]);                     \
		node_set_u(n, (val));                                        \
	} while (0)
	if (!response) {
		if (prev && prev->req_frame)
			FRAME_NODE(F_PREV_REQ_IN, prev->req_frame);
		if (cur->res_frame)
			FRAME_NODE(F_RESPONSE_IN, cur->res_frame);
		if (next && next->req_frame)
			FRAME_NODE(F_NEXT_REQ_IN, next->req_frame);
		return;
	}
	if (cur->req_frame)
		node_set_i(tree_add_gen(t, http, &fields[F_TIME]), c->pi.ts - cur->req_ts);
	if (prev && prev->req_frame)
		FRAME_NODE(F_PREV_REQ_IN, prev->req_frame);
	if (prev && prev->res_frame)
		FRAME_NODE(F_PREV_RESP_IN, prev->res_frame);
	if (cur->req_frame)
		FRAME_NODE(F_REQUEST_IN, cur->req_frame);
	if (next && next->req_frame)
		FRAME_NODE(F_NEXT_REQ_IN, next->req_frame);
	if (next && next->res_frame)
		FRAME_NODE(F_NEXT_RESP_IN, next->res_frame);
#undef FRAME_NODE
	if (cur->req_frame && cur->uri_len) {
		n = tree_add_gen(t, http, &fields[F_RESP_FOR_URI]);
		node_set_bytes_copy(t, n, st->pool + cur->uri_off, cur->uri_len);
	}
}

/* The certificates of the trace that name this response's request URL (CRL, OCSP, CA issuers). */
static void
url_users(struct tw_dctx *c, struct tw_node *http, const struct http_pair *pair)
{
	const struct http_state *st = c->convs->http;
	struct x509_cert_ref refs[16];
	size_t total = 0;
	size_t n = tls_cert_url_users(c->convs, c->cap, st->pool + pair->uri_off, pair->uri_len, refs,
	                              ARRAY_SIZE(refs), &total);
	if (!n)
		return;
	const struct http_body *k = pair->body != HTTP_NONE && pair->body < st->nbody ? &st->body[pair->body] : NULL;
	bool crl = k && strcmp(k->ctype, "application/pkix-crl") == 0;
	x509_url_users_tree(c->tree, http, refs, n, total, crl ? k->p : NULL, crl ? k->len : 0);
}

/* ---- the dissector ---------------------------------------------------- */

void
dis_http(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent, uint32_t conv, int dir)
{
	struct tw_tree *t = c->tree;
	if (c->pi.in_error)
		return;
	bool first = c->pi.top != PROTO_HTTP;
	if (first) {
		col_add_proto_layer(c, "http");
		col_clear_info(c);
	}
	col_set_proto(c, "HTTP", PROTO_HTTP);
	const struct http_msg *m = msg_lookup(c, b, conv, dir);
	struct tw_node *http = proto_add(c, parent, &fields[F_HTTP], b, buf_left(b));

	struct line ln;
	struct start s;
	/* Leading empty lines (a stray CRLF after the previous message). */
	size_t lead = 0;
	for (; buf_left(b) && (buf_peek_u8(b, 0) == '\r' || buf_peek_u8(b, 0) == '\n'); lead++)
		buf_skip(b, 1);
	if (lead)
		tree_expert(t, http, TW_SEV_NOTE, "%zu byte%s of CR/LF before the message", lead, lead == 1 ? "" : "s");
	size_t line_start = b->off;
	if (!next_line(b, &ln) || !parse_start(ln.p, ln.len, ln.term == 0, &s)) {
		/* Not a message start: body bytes of a message we did not see, or garbage. */
		b->off = line_start;
		b->err = BUF_OK;
		size_t n = buf_left(b);
		if (n == 0)
			return; /* only CR/LF */
		if (c->pi.info.len && c->pi.info.s[c->pi.info.len - 1] != ' ')
			col_add_info(c, " ");
		col_add_info(c, "Continuation");
		struct tw_node *fd = tree_add_here(t, http, &fields[F_FILE_DATA], b, n);
		node_set_bytes(fd, b->p + b->off, n);
		node_label(t, fd, "File Data: %zu bytes", n);
		if (http)
			tree_expert(t, http, TW_SEV_NOTE, "Not the start of an HTTP message (continuation or not HTTP)");
		buf_skip(b, n);
		return;
	}

	/* Start line. */
	info_escaped(c, ln.p, ln.len);
	col_add_info(c, " ");
	struct tw_node *sl = tree_add(t, http, NULL, b, ln.at, ln.len + ln.term);
	label_line(t, sl, &ln);
	bool start_cut = ln.term == 0;
	if (start_cut)
		tree_expert(t, sl, TW_SEV_WARN, "[The message ends inside its start line (cut short)]");
	if (s.response) {
		str_node(t, sl, F_RESP_VERSION, b, ln.at, s.a_len);
		struct tw_node *cn = tree_add(t, sl, &fields[F_CODE], b, ln.at + s.b_at, 3);
		node_set_u(cn, s.code);
		const char *desc = status_desc(s.code);
		struct tw_node *dn = tree_add(t, sl, &fields[F_CODE_DESC], b, ln.at + s.b_at, 3);
		node_set_bytes(dn, (const uint8_t *)desc, strlen(desc));
		node_set_flags(dn, TW_NF_GENERATED);
		str_node(t, sl, F_PHRASE, b, ln.at + s.c_at, s.c_len);
		if (s.code >= 500 && s.code < 600)
			tree_expert(t, sl, TW_SEV_ERROR, "HTTP %u %s", s.code, desc);
		else if (s.code >= 400 && s.code < 500)
			tree_expert(t, sl, TW_SEV_WARN, "HTTP %u %s", s.code, desc);
	} else {
		str_node(t, sl, F_METHOD, b, ln.at, s.a_len);
		struct tw_node *un = str_node(t, sl, F_URI, b, ln.at + s.b_at, s.b_len);
		uri_nodes(t, un, b, ln.at + s.b_at, s.b_len);
		str_node(t, sl, F_REQ_VERSION, b, ln.at + s.c_at, s.c_len);
	}
	const uint8_t *uri_p = ln.p + s.b_at;
	size_t uri_len = s.response ? 0 : s.b_len;
	struct hinfo h;
	memset(&h, 0, sizeof h);
	if (ln.term == 1)
		h.lf_only = true;

	/* Header fields. */
	bool ended = false;
	unsigned nlines = 0;
	if (ln.term) {
		while (next_line(b, &ln)) {
			if (ln.term == 1)
				h.lf_only = true;
			if (ln.len == 0) {
				struct tw_node *e = tree_add(t, http, NULL, b, ln.at, ln.term);
				label_line(t, e, &ln);
				ended = ln.term != 0;
				break;
			}
			if (ln.term == 0) {
				struct tw_node *x = tree_add(t, http, NULL, b, ln.at, ln.len);
				label_esc(t, x, "", ln.p, ln.len, "");
				break;
			}
			if (nlines == MAX_HEADER_LINES) {
				tree_expert(t, http, TW_SEV_WARN, "[More than %d header lines: the rest are not listed]",
				            MAX_HEADER_LINES);
			}
			if (nlines < MAX_HEADER_LINES) {
				if (is_ws(ln.p[0])) {
					struct tw_node *x = tree_add(t, http, NULL, b, ln.at, ln.len + ln.term);
					label_line(t, x, &ln);
					tree_expert(t, x, TW_SEV_WARN, "Obsolete line folding (a header line starting with a blank)");
				} else {
					header_line(c, http, b, &ln, s.response, &h);
				}
			}
			nlines++;
		}
	}
	if (!ended && !start_cut)
		tree_expert(t, http, TW_SEV_WARN, "[The message ends inside its header block (no empty line)]");
	if (h.lf_only)
		tree_expert(t, http, TW_SEV_NOTE, "Lines end in LF without CR (RFC 9112 asks for CRLF)");
	if (h.te && h.have_cl)
		tree_expert(t, http, TW_SEV_WARN, "The Content-Length and Transfer-Encoding header must not be set together");

	/* Generated: full URI, request/response flags, pairing. */
	if (!s.response) {
		if (h.have_host && uri_len && uri_p[0] == '/' && t && http) {
			struct tw_sb sb;
			sb_heap(&sb);
			sb_adds(&sb, "http://");
			sb_addn(&sb, (const char *)b->p + h.host_at, h.host_len);
			sb_addn(&sb, (const char *)uri_p, uri_len);
			struct tw_node *fu = tree_add_gen(t, http, &fields[F_FULL_URI]);
			node_set_bytes_copy(t, fu, sb.s, sb.len);
			sb_free(&sb);
		}
	}
	struct tw_node *fl = tree_add_gen(t, http, &fields[s.response ? F_RESPONSE : F_REQUEST]);
	node_set_u(fl, 1);
	node_set_flags(fl, TW_NF_HIDDEN);
	const struct http_pair *pair = NULL;
	if (m && c->convs && c->convs->http) {
		pair = &((const struct http_state *)c->convs->http)->pair[m->pair];
		pairing_nodes(c, http, m, s.response);
	}

	/* Body. */
	bool no_body = false;
	if (s.response && ((s.code >= 100 && s.code < 200) || s.code == 204 || s.code == 304))
		no_body = true;
	if (s.response && pair && pair->head)
		no_body = true;
	size_t avail = ended ? buf_left(b) : 0;
	if (!ended)
		no_body = true;
	bool replaced = false;
	const char *suffix = NULL;
	if (no_body) {
		if (avail) {
			struct tw_node *x = tree_add_here(t, http, NULL, b, avail);
			node_label(t, x, "[%zu bytes after a message that has no body]", avail);
			tree_expert(t, x, TW_SEV_WARN, "Data after a message that cannot have a body");
		}
	} else if (h.chunked) {
		struct tw_arena *tmp = NULL;
		uint8_t *out;
		if (t) {
			out = arena_alloc(t->arena, avail ? avail : 1);
		} else {
			tmp = arena_new();
			out = arena_alloc(tmp, avail ? avail : 1);
		}
		bool ok;
		size_t dn = dechunk(c, http, b, s.response, out, &ok);
		uint16_t src = 0;
		if (t && dn) {
			char name[64];
			snprintf(name, sizeof name, "De-chunked entity body (%zu bytes)", dn);
			src = tree_add_datasrc(t, name, out, dn);
		}
		if (buf_left(b)) {
			size_t rest = buf_left(b);
			struct tw_node *x = tree_add_here(t, http, NULL, b, rest);
			node_label(t, x, "[%zu bytes not de-chunked]", rest);
			buf_skip(b, rest);
		}
		if (dn) {
			struct tw_buf body = buf_init(out, dn, dn, src);
			body_dispatch(c, parent, http, &body, &h, &replaced, &suffix);
		}
		arena_free(tmp);
	} else {
		size_t blen = avail;
		if (h.have_cl && !h.cl_conflict) {
			if (h.cl < avail) {
				blen = (size_t)h.cl;
			} else if (h.cl > avail) {
				if (avail == 0 && s.response)
					tree_expert(t, http, TW_SEV_NOTE,
					            "Content-Length is %llu but the message has no body (a response to HEAD?)",
					            (unsigned long long)h.cl);
				else
					tree_expert(t, http, TW_SEV_WARN,
					            "Content-Length is %llu but only %zu bytes of body are present",
					            (unsigned long long)h.cl, avail);
			}
		} else if (!s.response && !h.have_cl && avail) {
			/* A request without a length has no body (RFC 9112 6.3). */
			blen = 0;
		}
		if (blen) {
			struct tw_buf body = buf_sub(b, blen);
			body_dispatch(c, parent, http, &body, &h, &replaced, &suffix);
		}
		if (buf_left(b)) {
			size_t rest = buf_left(b);
			struct tw_node *x = tree_add_here(t, http, NULL, b, rest);
			node_label(t, x, "[%zu bytes after the end of the message]", rest);
			tree_expert(t, x, TW_SEV_WARN, "Data after the end of the message body");
			buf_skip(b, rest);
		}
	}
	/*
	 * Certificates naming the URL: only in labelled (shown) trees, like the
	 * chain model (tls.c chain_trees); its first use indexes every
	 * certificate of the capture, which label-less passes (-Y, the
	 * workbench's filter) must not pay for.
	 */
	if (s.response && pair && pair->req_frame && pair->uri_len && t && t->labels && http)
		url_users(c, http, pair);
	if (!replaced && h.ctype[0] && !no_body && avail) {
		col_add_info(c, " (");
		col_add_info_escaped(c, h.ctype, strlen(h.ctype));
		col_add_info(c, ")");
	}
	if (suffix)
		col_add_info(c, "%s", suffix);
}
