/*
 * reasm.c - TCP stream reassembly (see reasm.h).
 *
 * Per connection direction the load pass keeps: the next expected sequence
 * number, the pending pieces of a PDU not yet complete, and out-of-order
 * segments waiting for a hole to fill. Pending pieces point straight into
 * the mapped capture; they are only gathered into a buffer to hand a
 * complete multi-segment PDU to its protocol's load-pass hook.
 */
#include "core/reasm.h"

#include "core/capture.h"
#include "core/dissect/dissect.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_OOO 256              /* held out-of-order segments per direction */
#define MAX_HTTP_HEADER (64 * 1024)

struct pend {
	const uint8_t *p;
	uint32_t frame, foff, len;
};

struct ooo {
	uint32_t seq;
	const uint8_t *p;
	uint32_t frame, foff, len;
	uint32_t wire;  /* payload length on the wire (> len when the snaplen cut it) */
};

struct dirstate {
	uint32_t conv;
	uint8_t dir;
	uint8_t app;
	bool have_next;
	bool gap_pending;      /* a gap was declared; next PDU gets PDU_GAP_BEFORE */
	bool resync;           /* framer must look for a PDU start */
	uint32_t next;         /* next expected sequence number */
	struct pend *pend;
	uint32_t npend, cappend;
	uint64_t pend_bytes;
	uint32_t pend_skip;    /* bytes of the first pending piece already consumed */
	/* pend_peek resumes here: piece peek_i starts at pending offset peek_pos
	 * (a framer reading forward costs O(1) a byte, not O(pieces)). */
	uint32_t peek_i;
	uint64_t peek_pos;
	/* The framer's answer for the PDU at the front, once it knew the length
	 * (0: not known): no re-framing until that many bytes are pending. */
	uint64_t want;
	uint32_t want_heads;   /* head_pending when it answered */
	/* HTTP framing progress on the front PDU, so 1-byte segments do not make
	 * it quadratic: bytes searched for the header end without finding it,
	 * and the offset of the next chunk-size line of a chunked body (0: not
	 * in a chunked body yet) with the chunks before it. */
	uint64_t hscan;
	uint64_t cpos;
	uint32_t cchunks;
	struct ooo *ooo;
	uint32_t nooo, capooo;
	uint32_t head_pending; /* HTTP: HEAD requests awaiting a response */
	uint32_t last_frame;   /* last frame that carried bytes of this direction */
	struct dirstate *hnext; /* hash chain */
};

/* An IP datagram being defragmented (load pass only). */
struct fraggroup {
	uint8_t key[40];
	size_t keylen;
	uint32_t hash;
	struct { uint32_t frame, foff, len, off; } *frags;
	uint32_t nfrags, capfrags;
	int64_t total;             /* known once the last fragment arrived, else -1 */
	/* Bytes [0, 64 KiB) covered so far, one bit each (8 KiB, from the
	 * second fragment on): a copy adds nothing and is dropped, and
	 * completeness is a count, not a sort of every fragment each time. */
	uint64_t *cover;
	struct fraggroup *next;
};
#define COVER_WORDS ((MAX_DATAGRAM + 1) / 64)

#define MAX_FRAGGROUPS 4096
#define MAX_DATAGRAM 65535

struct tw_reasm {
	size_t limit;
	struct fraggroup *frag;    /* open datagrams */
	size_t nfrag;
	struct tw_piece *pieces;
	size_t npieces, cappieces;
	struct tw_pdu *pdus;
	size_t npdus, cappdus;
	/* per-frame index, built by reasm_finish: piece indices sorted by (level, frame, foff) */
	uint32_t *by_frame;
	size_t nby_frame;
	/* PDU ids sorted by (level, done_frame) */
	uint32_t *by_done;
	/* load-pass state */
	struct dirstate **bucket;
	size_t nbucket;
	size_t ndirstate;
	uint8_t *gather;
	size_t gather_cap;
	bool finished;
};

/* The per-stream limit reasm_new(0) uses (--reassembly-limit). */
static size_t default_limit = REASM_DEFAULT_LIMIT;

void
reasm_set_default_limit(size_t bytes)
{
	default_limit = bytes ? bytes : REASM_DEFAULT_LIMIT;
}

size_t
reasm_default_limit(void)
{
	return default_limit;
}

struct tw_reasm *
reasm_new(size_t limit)
{
	struct tw_reasm *r = xcalloc(1, sizeof *r);
	r->limit = limit ? limit : default_limit;
	r->nbucket = 1024;
	r->bucket = xcalloc(r->nbucket, sizeof *r->bucket);
	return r;
}

static void
free_fraggroups(struct tw_reasm *r)
{
	struct fraggroup *g = r->frag;
	while (g) {
		struct fraggroup *n = g->next;
		free(g->frags);
		free(g->cover);
		free(g);
		g = n;
	}
	r->frag = NULL;
	r->nfrag = 0;
}

static void
free_dirstates(struct tw_reasm *r)
{
	free_fraggroups(r);
	if (!r->bucket)
		return;
	for (size_t i = 0; i < r->nbucket; i++) {
		struct dirstate *d = r->bucket[i];
		while (d) {
			struct dirstate *n = d->hnext;
			free(d->pend);
			free(d->ooo);
			free(d);
			d = n;
		}
	}
	free(r->bucket);
	r->bucket = NULL;
	free(r->gather);
	r->gather = NULL;
}

void
reasm_free(struct tw_reasm *r)
{
	if (!r)
		return;
	free_dirstates(r);
	free(r->pieces);
	free(r->pdus);
	free(r->by_frame);
	free(r->by_done);
	free(r);
}

static size_t
dirstate_slot(uint32_t conv, int dir, size_t nbucket)
{
	return (((size_t)conv * 2 + (size_t)dir) * 2654435761u) & (nbucket - 1);
}

/* Double the buckets when chains get long (nbucket is a power of two). */
static void
dirstate_grow(struct tw_reasm *r)
{
	size_t nb = r->nbucket * 2;
	struct dirstate **b = xcalloc(nb, sizeof *b);
	for (size_t i = 0; i < r->nbucket; i++) {
		struct dirstate *d = r->bucket[i];
		while (d) {
			struct dirstate *n = d->hnext;
			size_t h = dirstate_slot(d->conv, d->dir, nb);
			d->hnext = b[h];
			b[h] = d;
			d = n;
		}
	}
	free(r->bucket);
	r->bucket = b;
	r->nbucket = nb;
}

static struct dirstate *
dirstate_get(struct tw_reasm *r, uint32_t conv, int dir)
{
	size_t h = dirstate_slot(conv, dir, r->nbucket);
	for (struct dirstate *d = r->bucket[h]; d; d = d->hnext)
		if (d->conv == conv && d->dir == dir)
			return d;
	if (++r->ndirstate > r->nbucket / 2) { /* short chains: each step is a cache miss */
		dirstate_grow(r);
		h = dirstate_slot(conv, dir, r->nbucket);
	}
	struct dirstate *d = xcalloc(1, sizeof *d);
	d->conv = conv;
	d->dir = (uint8_t)dir;
	d->hnext = r->bucket[h];
	r->bucket[h] = d;
	return d;
}

/* ---- the stored tables ------------------------------------------------ */

static uint32_t
add_piece(struct tw_reasm *r, uint32_t frame, uint32_t foff, uint32_t len, uint32_t pdu)
{
	if (r->npieces == r->cappieces) {
		r->cappieces = r->cappieces ? r->cappieces * 2 : 1024;
		r->pieces = xreallocarray(r->pieces, r->cappieces, sizeof *r->pieces);
	}
	r->pieces[r->npieces] = (struct tw_piece){ frame, foff, len, pdu };
	return (uint32_t)r->npieces++;
}

static uint32_t
new_pdu(struct tw_reasm *r)
{
	if (r->npdus == r->cappdus) {
		r->cappdus = r->cappdus ? r->cappdus * 2 : 256;
		r->pdus = xreallocarray(r->pdus, r->cappdus, sizeof *r->pdus);
	}
	memset(&r->pdus[r->npdus], 0, sizeof r->pdus[0]);
	return (uint32_t)r->npdus++;
}

uint32_t
reasm_add_pdu(struct tw_reasm *r, const struct tw_piece *pieces, size_t n, uint32_t done_frame,
              uint32_t conv, int dir, uint8_t app, uint8_t level, uint8_t flags)
{
	uint32_t id = new_pdu(r);
	struct tw_pdu *p = &r->pdus[id];
	p->first_piece = (uint32_t)r->npieces;
	p->npieces = (uint32_t)n;
	p->done_frame = done_frame;
	p->conv = conv;
	p->dir = (uint8_t)dir;
	p->app = app;
	p->level = level;
	p->flags = flags;
	uint64_t len = 0;
	for (size_t i = 0; i < n; i++) {
		add_piece(r, pieces[i].frame, pieces[i].foff, pieces[i].len, id);
		len += pieces[i].len;
	}
	r->pdus[id].len = len > UINT32_MAX ? UINT32_MAX : (uint32_t)len;
	return id;
}

static void
skip_piece(struct tw_reasm *r, uint32_t frame, uint32_t foff, uint32_t len)
{
	if (len)
		add_piece(r, frame, foff, len, PIECE_SKIP);
}

/* ---- pending bytes ---------------------------------------------------- */

static void
pend_push(struct dirstate *d, const uint8_t *p, uint32_t frame, uint32_t foff, uint32_t len)
{
	if (!len)
		return;
	if (d->npend == d->cappend) {
		d->cappend = d->cappend ? d->cappend * 2 : 8;
		d->pend = xreallocarray(d->pend, d->cappend, sizeof *d->pend);
	}
	d->pend[d->npend++] = (struct pend){ p, frame, foff, len };
	d->pend_bytes += len;
}

/* Copy n pending bytes from offset off into dst; false if not available. */
static bool
pend_peek(struct dirstate *d, uint64_t off, void *dst, size_t n)
{
	if (off > d->pend_bytes || n > d->pend_bytes - off)
		return false;
	uint8_t *o = dst;
	uint64_t pos = 0;
	uint32_t i = 0;
	bool first_done = false;
	if (d->peek_i < d->npend && off >= d->peek_pos / 2) {
		/* Near the last read: step from there (back a few pieces if need be). */
		i = d->peek_i;
		pos = d->peek_pos;
		while (off < pos && i > 0) {
			i--;
			pos -= d->pend[i].len - (i == 0 ? d->pend_skip : 0);
		}
	}
	uint32_t start_i = i;
	for (; i < d->npend && n; i++) {
		uint32_t skip = i == 0 ? d->pend_skip : 0;
		uint32_t plen = d->pend[i].len - skip;
		if (off >= pos + plen) {
			pos += plen;
			continue;
		}
		if (!first_done) {
			/* Remember the piece where this read starts (not where it ends: a
			 * framer reads a header, then the bytes right after its start),
			 * going forward, or when it took a long walk: a peek near the
			 * start (a framer's first bytes) is cheap and leaves it. */
			first_done = true;
			if (i >= d->peek_i || d->peek_i >= d->npend || i - start_i > 64) {
				d->peek_i = i;
				d->peek_pos = pos;
			}
		}
		uint32_t from = (uint32_t)(off - pos);
		uint32_t k = plen - from;
		if (k > n)
			k = (uint32_t)n;
		memcpy(o, d->pend[i].p + skip + from, k);
		o += k;
		n -= k;
		off += k;
		pos += plen;
	}
	return n == 0;
}

static int
pend_byte(struct dirstate *d, uint64_t off)
{
	uint8_t b;
	return pend_peek(d, off, &b, 1) ? b : -1;
}

/*
 * Take the first n pending bytes as one PDU (or skip them when app is
 * APP_NONE-like skipping). Multi-piece PDUs are stored; single-piece ones
 * are rediscovered on display. Returns the PDU id or PIECE_SKIP.
 */
static uint32_t
pend_take(struct tw_reasm *r, struct dirstate *d, uint64_t n, bool skip, uint8_t flags,
          uint32_t done_frame, const uint8_t **bytes, uint32_t *single_foff, uint32_t *single_frame)
{
	struct tw_piece tmp[64];
	struct tw_piece *pcs = tmp;
	size_t npcs = 0, cap = ARRAY_SIZE(tmp);
	uint64_t left = n;
	const uint8_t *first_p = NULL;
	uint32_t used = 0; /* whole pieces taken: dropped with one memmove at the end */
	d->peek_i = 0;
	d->peek_pos = 0;
	d->want = 0;
	d->hscan = d->cpos = 0;
	d->cchunks = 0;
	while (left && used < d->npend) {
		struct pend *pe = &d->pend[used];
		uint32_t avail = pe->len - d->pend_skip;
		uint32_t k = avail < left ? avail : (uint32_t)left;
		if (npcs == cap) {
			cap *= 2;
			if (pcs == tmp) {
				pcs = xmalloc(cap * sizeof *pcs);
				memcpy(pcs, tmp, sizeof tmp);
			} else {
				pcs = xreallocarray(pcs, cap, sizeof *pcs);
			}
		}
		if (!npcs)
			first_p = pe->p + d->pend_skip;
		pcs[npcs++] = (struct tw_piece){ pe->frame, pe->foff + d->pend_skip, k, 0 };
		left -= k;
		d->pend_bytes -= k;
		if (k == avail) {
			used++;
			d->pend_skip = 0;
		} else {
			d->pend_skip += k;
		}
	}
	if (used) {
		memmove(d->pend, d->pend + used, (d->npend - used) * sizeof *d->pend);
		d->npend -= used;
	}
	uint32_t id = PIECE_SKIP;
	*bytes = NULL;
	if (skip) {
		for (size_t i = 0; i < npcs; i++)
			skip_piece(r, pcs[i].frame, pcs[i].foff, pcs[i].len);
	} else if (npcs == 1 && !(flags & (PDU_INCOMPLETE | PDU_FRAMED))) {
		*bytes = first_p;
		*single_foff = pcs[0].foff;
		*single_frame = pcs[0].frame;
	} else if (npcs) {
		id = reasm_add_pdu(r, pcs, npcs, done_frame, d->conv, d->dir, d->app, 0, flags);
	}
	if (pcs != tmp)
		free(pcs);
	return id;
}

/* ---- framers ---------------------------------------------------------- */

/*
 * A framer reads through a byte source: the scattered pending pieces of a
 * direction during the load pass, or one contiguous range of a frame on
 * display, so both cut PDUs the same way.
 */
struct bytesrc {
	struct dirstate *d;       /* pending data, or NULL */
	const uint8_t *p;         /* contiguous data */
	uint64_t n;               /* bytes available */
	uint32_t *head_pending;   /* HTTP: HEAD requests awaiting a response, or NULL */
	bool closing;             /* the direction is closed: what is there is all */
};

static bool
src_peek(const struct bytesrc *s, uint64_t off, void *dst, size_t n)
{
	if (s->d)
		return pend_peek(s->d, off, dst, n);
	if (off > s->n || n > s->n - off)
		return false;
	memcpy(dst, s->p + off, n);
	return true;
}

static int
src_byte(const struct bytesrc *s, uint64_t off)
{
	uint8_t b;
	return src_peek(s, off, &b, 1) ? b : -1;
}

typedef int64_t (*framer_fn)(const struct bytesrc *s);

static bool
tls_header_ok(const uint8_t h[5])
{
	struct tw_buf b = buf_init(h, 5, 5, 0);
	uint8_t type = buf_u8(&b), major = buf_u8(&b), minor = buf_u8(&b);
	uint16_t len = buf_be16(&b);
	return type >= 20 && type <= 24 && major == 3 && minor <= 4 && len <= 16384 + 2048;
}

/* TLS record (RFC 8446 5.1): type(1) version(2) length(2); or an SSL 2.0 ClientHello. */
static int64_t
frame_tls(const struct bytesrc *s)
{
	uint8_t h[5];
	if (!src_peek(s, 0, h, 3))
		return 0; /* cannot tell yet */
	/* SSL 2.0-compatible ClientHello: 2-byte header with the high bit set, type 1. */
	struct tw_buf b = buf_init(h, 3, 3, 0);
	uint16_t v2len = buf_be16(&b);
	if ((v2len & 0x8000) && buf_u8(&b) == 1) {
		int64_t len = (int64_t)(v2len & 0x7fff) + 2;
		if (len > 2 + 8)
			return len;
	}
	if (!src_peek(s, 0, h, 5))
		return 0;
	if (!tls_header_ok(h))
		return -1;
	b = buf_init(h, 5, 5, 0);
	buf_skip(&b, 3);
	return 5 + (int64_t)buf_be16(&b);
}

/* DNS over TCP (RFC 1035 4.2.2): a 2-byte length, then the message. */
static int64_t
frame_dns(const struct bytesrc *s)
{
	uint8_t h[2];
	if (!src_peek(s, 0, h, 2))
		return 0;
	struct tw_buf b = buf_init(h, 2, 2, 0);
	int64_t len = buf_be16(&b);
	if (len < 12)
		return -1;
	return 2 + len;
}

/* Case-insensitive header name match at the start of a line. */
static bool
hdr_is(const char *line, size_t n, const char *name)
{
	size_t k = strlen(name);
	if (n <= k || line[k] != ':')
		return false;
	for (size_t i = 0; i < k; i++) {
		char a = line[i], b = name[i];
		if (a >= 'A' && a <= 'Z')
			a = (char)(a - 'A' + 'a');
		if (a != b)
			return false;
	}
	return true;
}

static bool
starts_http(const uint8_t *p, size_t n)
{
	static const char *const starts[] = { "GET ", "POST ", "HEAD ", "PUT ", "DELETE ", "OPTIONS ",
		                              "CONNECT ", "TRACE ", "PATCH ", "HTTP/1." };
	for (size_t i = 0; i < ARRAY_SIZE(starts); i++) {
		size_t k = strlen(starts[i]);
		if (n >= k && memcmp(p, starts[i], k) == 0)
			return true;
	}
	return false;
}

/* Does the view continue with the literal lit (case-sensitive)? */
static bool
buf_starts(const struct tw_buf *b, const char *lit)
{
	size_t k = strlen(lit);
	return buf_has(b, k) && memcmp(b->p + b->off, lit, k) == 0;
}

static int
hexval(uint8_t h)
{
	return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
}

/*
 * A chunked body starting at pos (RFC 9112 7.1): returns the message end,
 * 0 need more, -1 bad. In the load pass the offset of the next chunk-size
 * line is kept (dirstate.cpos), so a body arriving in small segments is
 * walked once, not once a segment.
 */
static int64_t
chunked_end(const struct bytesrc *s, uint64_t pos)
{
	struct dirstate *d = s->d;
	uint32_t chunks = 0;
	if (d && d->cpos > pos) {
		pos = d->cpos;
		chunks = d->cchunks;
	}
	for (; chunks < 100000; chunks++) {
		if (d) {
			d->cpos = pos;
			d->cchunks = chunks;
		}
		uint8_t line[64];
		size_t ln = 0;
		int c;
		while ((c = src_byte(s, pos + ln)) >= 0 && c != '\n' && ln < sizeof line - 1)
			line[ln++] = (uint8_t)c;
		if (c < 0)
			return 0;
		if (c != '\n')
			return -1;
		struct tw_buf lb = buf_init(line, ln, ln, 0);
		uint64_t size = 0;
		bool digit = false;
		int v;
		while (buf_left(&lb) && (v = hexval(buf_peek_u8(&lb, 0))) >= 0) {
			buf_skip(&lb, 1);
			if (size > (UINT64_C(1) << 40))
				return -1;
			size = size * 16 + (uint64_t)v;
			digit = true;
		}
		if (!digit)
			return -1;
		pos += ln + 1;
		if (size == 0) {
			/* Trailer lines until an empty one. */
			for (int tg = 0; tg < 1000; tg++) {
				size_t tl = 0;
				while ((c = src_byte(s, pos + tl)) >= 0 && c != '\n' && tl < 8192)
					tl++;
				if (c < 0)
					return 0;
				bool empty = tl == 0 || (tl == 1 && src_byte(s, pos) == '\r');
				pos += tl + 1;
				if (empty)
					return (int64_t)pos;
			}
			return -1;
		}
		pos += size + 2;
		if (pos > s->n) {
			if (d) {
				d->cpos = pos;
				d->cchunks = chunks + 1;
			}
			return 0;
		}
	}
	return -1;
}

/*
 * HTTP/1.x message (RFC 9112 section 6): headers end at an empty line; the
 * body is Content-Length bytes, chunked, absent (responses to HEAD, 1xx,
 * 204, 304; requests without a length) or runs to the connection close.
 * In the load pass the search for the empty line resumes where the last
 * call stopped (dirstate.hscan) and a chunked body resumes at its next
 * chunk (dirstate.cpos): the work per byte stays constant however small
 * the segments.
 */
static int64_t
frame_http(const struct bytesrc *s)
{
	struct dirstate *d = s->d;
	if (d && d->cpos)
		return chunked_end(s, d->cpos); /* the header was read: its chunks go on */
	uint8_t start[8];
	size_t have = s->n < 8 ? (size_t)s->n : 8;
	if (!src_peek(s, 0, start, have))
		return 0;
	if (have < 8 && !s->closing)
		return starts_http(start, have) || have < 4 ? 0 : -1;
	if (!starts_http(start, have))
		return -1;
	uint64_t lim = s->n < MAX_HTTP_HEADER ? s->n : MAX_HTTP_HEADER;
	/* The CR LF CR LF that ends the header block: a 4-byte window slides on. */
	uint64_t i = d && d->hscan > 3 ? d->hscan : 3, hend = 0;
	uint32_t w = 0;
	for (uint64_t k = i - 3; k < i; k++)
		w = w << 8 | (uint8_t)src_byte(s, k);
	for (; i < lim; i++) {
		int c = src_byte(s, i);
		if (c < 0)
			break;
		w = w << 8 | (uint8_t)c;
		if (w == 0x0d0a0d0a) {
			hend = i + 1;
			break;
		}
	}
	if (!hend) {
		if (d)
			d->hscan = lim > 3 ? lim : 3;
		if (lim == MAX_HTTP_HEADER)
			return -1; /* an absurd header block: stop framing */
		return s->closing ? (int64_t)s->n : 0;
	}
	uint8_t *hdr = xmalloc((size_t)hend);
	src_peek(s, 0, hdr, (size_t)hend);
	struct tw_buf b = buf_init(hdr, (size_t)hend, (size_t)hend, 0);
	bool response = buf_starts(&b, "HTTP/1.");
	bool is_head = buf_starts(&b, "HEAD ");
	int status = 0;
	if (response && hend > 12) {
		struct tw_buf sb = b;
		buf_skip(&sb, 9);
		uint8_t d1 = buf_u8(&sb), d2 = buf_u8(&sb), d3 = buf_u8(&sb);
		if (buf_ok(&sb) && d1 >= '0' && d1 <= '9' && d2 >= '0' && d2 <= '9' && d3 >= '0' && d3 <= '9')
			status = (d1 - '0') * 100 + (d2 - '0') * 10 + (d3 - '0');
	}
	int64_t clen = -1;
	bool chunked = false;
	while (buf_left(&b)) {
		size_t n = 0;
		for (uint8_t ch; n < buf_left(&b) && (ch = buf_peek_u8(&b, n)) != '\r' && ch != '\n';)
			n++;
		const char *line = (const char *)buf_ptr(&b, n);
		if (line && hdr_is(line, n, "content-length")) {
			struct tw_buf lb = buf_init((const uint8_t *)line, n, n, 0);
			buf_skip(&lb, 15);
			int64_t x = 0;
			bool digit = false;
			while (buf_left(&lb)) {
				uint8_t ch = buf_u8(&lb);
				if (ch >= '0' && ch <= '9') {
					if (x > (INT64_C(1) << 50))
						break;
					x = x * 10 + (ch - '0');
					digit = true;
				} else if (digit) {
					break;
				}
			}
			if (digit)
				clen = x;
		} else if (line && hdr_is(line, n, "transfer-encoding")) {
			struct tw_buf lb = buf_init((const uint8_t *)line, n, n, 0);
			for (buf_skip(&lb, 18); buf_has(&lb, 7); buf_skip(&lb, 1))
				if (strncasecmp((const char *)lb.p + lb.off, "chunked", 7) == 0)
					chunked = true;
		}
		while (buf_left(&b) && (buf_peek_u8(&b, 0) == '\r' || buf_peek_u8(&b, 0) == '\n'))
			buf_skip(&b, 1);
	}
	free(hdr);
	if (!response) {
		if (is_head && s->head_pending)
			(*s->head_pending)++;
		if (chunked)
			return chunked_end(s, hend);
		return (int64_t)hend + (clen > 0 ? clen : 0);
	}
	if ((status >= 100 && status < 200) || status == 204 || status == 304)
		return (int64_t)hend;
	if (s->head_pending && *s->head_pending) {
		(*s->head_pending)--;
		return (int64_t)hend;
	}
	if (chunked)
		return chunked_end(s, hend);
	if (clen >= 0)
		return (int64_t)hend + clen;
	return s->closing ? (int64_t)s->n : 0; /* delimited by the close */
}

static framer_fn
framer_for(uint8_t app)
{
	switch (app) {
	case APP_TLS: return frame_tls;
	case APP_DNS: return frame_dns;
	case APP_HTTP: return frame_http;
	default: return NULL;
	}
}

/* Offset of the next plausible PDU start in pending data, or -1. */
static int64_t
resync_scan(struct dirstate *d)
{
	if (d->app == APP_TLS) {
		for (uint64_t i = 1; i + 5 <= d->pend_bytes; i++) {
			uint8_t h[5];
			if (pend_peek(d, i, h, 5) && tls_header_ok(h))
				return (int64_t)i;
		}
		return -1;
	}
	if (d->app == APP_DNS) {
		/* RFC 1035 4.2.2 length, then a header with 1..16 questions and a sane opcode. */
		for (uint64_t i = 1; i + 8 <= d->pend_bytes; i++) {
			uint8_t h[8];
			if (!pend_peek(d, i, h, 8))
				break;
			struct tw_buf b = buf_init(h, 8, 8, 0);
			unsigned len = buf_be16(&b);
			buf_skip(&b, 2); /* ID */
			unsigned opcode = (buf_u8(&b) >> 3) & 15;
			buf_skip(&b, 1);
			unsigned qd = buf_be16(&b);
			if (len >= 12 && opcode <= 6 && qd >= 1 && qd <= 16)
				return (int64_t)i;
		}
		return -1;
	}
	if (d->app == APP_HTTP) {
		/* A request or status line right after a line end. */
		for (uint64_t i = 1; i + 8 <= d->pend_bytes; i++) {
			if (pend_byte(d, i - 1) != '\n')
				continue;
			uint8_t h[8];
			if (pend_peek(d, i, h, 8) && starts_http(h, 8))
				return (int64_t)i;
		}
		return -1;
	}
	return -1;
}

/* Hand a PDU (complete, or cut short) to its protocol's load-pass hook. */
static void
deliver(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, uint32_t id, const uint8_t *single,
        uint32_t sfoff, uint32_t n, uint8_t flags, uint32_t frame)
{
	struct tw_pdu_view v = { 0 };
	v.conv = d->conv;
	v.dir = d->dir;
	v.app = d->app;
	v.frame = frame;
	v.pdu = id;
	v.flags = flags;
	if (single) {
		v.p = single;
		v.len = n;
		v.foff = sfoff;
	} else if (id != PIECE_SKIP && r->pdus[id].npieces == 1 && c->cap) {
		/* One piece (stored for its length): hand over the frame's own bytes. */
		const struct tw_piece *pc = &r->pieces[r->pdus[id].first_piece];
		const uint8_t *fb = capture_bytes(c->cap, capture_frame(c->cap, pc->frame));
		if (!fb)
			return;
		v.p = fb + pc->foff;
		v.len = pc->len;
		v.foff = pc->foff;
		v.frame = pc->frame;
	} else if (id != PIECE_SKIP) {
		const struct tw_pdu *p = &r->pdus[id];
		if (p->len > r->gather_cap) {
			r->gather_cap = p->len;
			r->gather = xrealloc(r->gather, r->gather_cap);
		}
		uint32_t pos = 0;
		for (uint32_t i = 0; i < p->npieces; i++) {
			const struct tw_piece *pc = &r->pieces[p->first_piece + i];
			const uint8_t *fb = c->cap ? capture_bytes(c->cap, capture_frame(c->cap, pc->frame)) : NULL;
			if (fb)
				memcpy(r->gather + pos, fb + pc->foff, pc->len);
			else
				memset(r->gather + pos, 0, pc->len);
			pos += pc->len;
		}
		v.p = r->gather;
		v.len = p->len;
	} else {
		return;
	}
	app_pdu_first_pass(c, &v);
}

/* Cut as many complete PDUs as the pending data holds. */
/* A PDU still incomplete that outgrew the per-stream limit: cut it short there, resync after it. */
static void
cut_at_limit(struct tw_reasm *r, struct dirstate *d, uint32_t frame)
{
	if (d->pend_bytes <= r->limit)
		return;
	const uint8_t *bytes;
	uint32_t sf, sfr;
	pend_take(r, d, d->pend_bytes, false, PDU_INCOMPLETE | PDU_LIMIT, frame, &bytes, &sf, &sfr);
	d->resync = true;
}

static void
drain(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, uint32_t frame, bool closing)
{
	framer_fn fr = framer_for(d->app);
	if (!fr) {
		/* No framing: nothing is kept. */
		d->npend = 0;
		d->pend_bytes = 0;
		d->pend_skip = 0;
		d->peek_i = 0;
		d->peek_pos = 0;
		d->want = 0;
		d->hscan = d->cpos = 0;
		d->cchunks = 0;
		return;
	}
	for (int guard = 0; guard < 1000000 && d->pend_bytes; guard++) {
		if (d->want > d->pend_bytes && !closing && d->want_heads == d->head_pending) {
			/* The PDU's length is known and it is not all there: wait (or cut at the limit). */
			cut_at_limit(r, d, frame);
			return;
		}
		struct bytesrc bs = { d, NULL, d->pend_bytes, &d->head_pending, closing };
		uint32_t heads = d->head_pending;
		/* After a gap the data may start mid-PDU; a valid PDU start right there is taken. */
		int64_t n = fr(&bs);
		/* A response to HEAD: display cannot know it has no body, so keep its length. */
		bool framed_by_state = d->head_pending < heads;
		if (n > 0)
			d->resync = false;
		if (n == 0 && closing && d->app == APP_HTTP)
			n = (int64_t)d->pend_bytes;
		if (n < 0) {
			/* Not at a PDU start: skip to the next plausible one. */
			int64_t at = resync_scan(d);
			const uint8_t *bytes;
			uint32_t sf, sfr;
			if (at < 0) {
				/* Keep a few bytes: a header may straddle the next segment. */
				uint64_t keep = d->app == APP_TLS ? 4 : 7;
				if (d->pend_bytes <= keep && !closing)
					return;
				pend_take(r, d, closing ? d->pend_bytes : d->pend_bytes - keep, true, 0, frame, &bytes, &sf, &sfr);
				d->resync = !closing;
				if (closing)
					return;
				continue;
			}
			pend_take(r, d, (uint64_t)at, true, 0, frame, &bytes, &sf, &sfr);
			d->resync = false;
			d->gap_pending = true;
			continue;
		}
		if (n == 0 || (uint64_t)n > d->pend_bytes) {
			if (n > 0) {
				d->want = (uint64_t)n;
				d->want_heads = d->head_pending;
			}
			/* Incomplete: wait, unless it outgrew the limit. */
			cut_at_limit(r, d, frame);
			return;
		}
		uint8_t flags = (d->gap_pending ? PDU_GAP_BEFORE : 0) | (framed_by_state ? PDU_FRAMED : 0);
		d->gap_pending = false;
		const uint8_t *single = NULL;
		uint32_t sfoff = 0, sframe = frame;
		uint32_t id = pend_take(r, d, (uint64_t)n, false, flags, frame, &single, &sfoff, &sframe);
		/* A single-segment PDU belongs to the frame that holds it (shown there). */
		deliver(r, d, c, id, single, sfoff, (uint32_t)n, flags, single ? sframe : frame);
	}
}

/*
 * Feed in-order bytes that sit in frame `pframe`; `now` is the frame being
 * loaded, where any PDU they complete is shown (a held segment may be
 * older than the frame that filled the hole before it).
 */
static void
feed(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, const uint8_t *p, uint32_t pframe,
     uint32_t foff, uint32_t len, uint32_t now)
{
	if (framer_for(d->app))
		pend_push(d, p, pframe, foff, len);
	d->next += len;
	drain(r, d, c, now, false);
}

/* Declare the hole before the first held segment a gap. */
static void
declare_gap(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, uint32_t frame)
{
	if (d->pend_bytes) {
		const uint8_t *bytes;
		uint32_t sf, sfr;
		uint32_t id = pend_take(r, d, d->pend_bytes, false, PDU_INCOMPLETE, frame, &bytes, &sf, &sfr);
		deliver(r, d, c, id, NULL, 0, 0, PDU_INCOMPLETE, frame);
	}
	d->gap_pending = true;
	d->resync = true;
}

/* Bytes after the captured part of a segment were lost to the snaplen: a gap. */
static void
cut_by_snaplen(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, uint32_t seg_seq, uint32_t wire,
               uint32_t frame)
{
	declare_gap(r, d, c, frame);
	d->next = seg_seq + wire;
}

static int
ooo_cmp(const void *a, const void *b)
{
	const struct ooo *x = a, *y = b;
	int32_t dlt = (int32_t)(x->seq - y->seq);
	return dlt < 0 ? -1 : dlt > 0;
}

/* Deliver held segments that are now in order. */
static void
drain_ooo(struct tw_reasm *r, struct dirstate *d, struct tw_dctx *c, uint32_t frame)
{
	bool progress = true;
	while (progress && d->nooo) {
		progress = false;
		for (uint32_t i = 0; i < d->nooo; i++) {
			struct ooo *o = &d->ooo[i];
			int32_t rel = (int32_t)(o->seq - d->next);
			if (rel > 0)
				continue;
			uint32_t old = 0u - (uint32_t)rel; /* rel < 0; no signed negation (INT32_MIN) */
			struct ooo s = *o;
			memmove(o, o + 1, (d->nooo - i - 1) * sizeof *o);
			d->nooo--;
			if (old < s.len) {
				skip_piece(r, s.frame, s.foff, old);
				feed(r, d, c, s.p + old, s.frame, s.foff + old, s.len - old, frame);
				if (s.wire > s.len)
					cut_by_snaplen(r, d, c, s.seq, s.wire, frame);
			} else {
				skip_piece(r, s.frame, s.foff, s.len);
			}
			progress = true;
			break;
		}
	}
}

void
reasm_segment(struct tw_reasm *r, struct tw_dctx *c, uint32_t conv, int dir, uint8_t app,
              uint32_t start_seq, uint32_t seq, const uint8_t *payload, uint32_t foff, uint32_t len,
              uint32_t wire, bool fin, bool rst)
{
	if (r->finished)
		return;
	struct dirstate *d = dirstate_get(r, conv, dir);
	uint32_t frame = c->pi.num - 1;
	if (len)
		d->last_frame = frame;
	if (d->app == APP_UNKNOWN)
		d->app = app;
	/* The HEAD queue lives with the client direction's requests; the response side reads it. */
	if (d->app == APP_HTTP && dir == 1) {
		struct dirstate *req = dirstate_get(r, conv, 0);
		d->head_pending += req->head_pending;
		req->head_pending = 0;
	}
	if (len) {
		if (!d->have_next) {
			d->have_next = true;
			/* Never start after data we have: a first byte may arrive late. */
			d->next = (int32_t)(seq - start_seq) >= 0 ? start_seq : seq;
		}
		int32_t rel = (int32_t)(seq - d->next);
		if (rel == 0) {
			feed(r, d, c, payload, frame, foff, len, frame);
			if (wire > len)
				cut_by_snaplen(r, d, c, seq, wire, frame);
			drain_ooo(r, d, c, frame);
		} else if (rel < 0) {
			uint32_t old = 0u - (uint32_t)rel; /* rel < 0; no signed negation (INT32_MIN) */
			if (old >= len) {
				/* All seen before: a retransmission. */
				skip_piece(r, frame, foff, len);
			} else {
				skip_piece(r, frame, foff, old);
				feed(r, d, c, payload + old, frame, foff + old, len - old, frame);
				drain_ooo(r, d, c, frame);
			}
		} else {
			/* Ahead of what we expect: hold it until the hole fills. */
			if (d->nooo == d->capooo) {
				d->capooo = d->capooo ? d->capooo * 2 : 8;
				d->ooo = xreallocarray(d->ooo, d->capooo, sizeof *d->ooo);
			}
			d->ooo[d->nooo++] = (struct ooo){ seq, payload, frame, foff, len, wire };
			if (d->nooo > MAX_OOO) {
				/* The hole is not going to fill: it is a gap. */
				qsort(d->ooo, d->nooo, sizeof *d->ooo, ooo_cmp);
				declare_gap(r, d, c, frame);
				d->next = d->ooo[0].seq;
				drain_ooo(r, d, c, frame);
			}
		}
	}
	if (fin || rst) {
		if (d->nooo) {
			qsort(d->ooo, d->nooo, sizeof *d->ooo, ooo_cmp);
			while (d->nooo) {
				declare_gap(r, d, c, frame);
				d->next = d->ooo[0].seq;
				drain_ooo(r, d, c, frame);
			}
		}
		drain(r, d, c, frame, true);
	}
}

static int
cmp_piece_idx(const void *a, const void *b, void *ctx)
{
	const struct tw_reasm *r = ctx;
	const struct tw_piece *x = &r->pieces[*(const uint32_t *)a];
	const struct tw_piece *y = &r->pieces[*(const uint32_t *)b];
	uint8_t lx = x->pdu == PIECE_SKIP ? 0 : r->pdus[x->pdu].level;
	uint8_t ly = y->pdu == PIECE_SKIP ? 0 : r->pdus[y->pdu].level;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	if (x->frame != y->frame)
		return x->frame < y->frame ? -1 : 1;
	if (x->foff != y->foff)
		return x->foff < y->foff ? -1 : 1;
	return 0;
}

static int
cmp_done_idx(const void *a, const void *b, void *ctx)
{
	const struct tw_reasm *r = ctx;
	const struct tw_pdu *x = &r->pdus[*(const uint32_t *)a];
	const struct tw_pdu *y = &r->pdus[*(const uint32_t *)b];
	if (x->level != y->level)
		return x->level < y->level ? -1 : 1;
	if (x->done_frame != y->done_frame)
		return x->done_frame < y->done_frame ? -1 : 1;
	uint32_t ia = *(const uint32_t *)a, ib = *(const uint32_t *)b;
	return ia < ib ? -1 : ia > ib;
}

void
reasm_finish(struct tw_reasm *r, struct tw_dctx *c)
{
	if (r->finished)
		return;
	/* Whatever is still pending or held never completed. */
	for (size_t i = 0; i < r->nbucket; i++) {
		for (struct dirstate *d = r->bucket[i]; d; d = d->hnext) {
			uint32_t last = d->last_frame;
			if (d->nooo) {
				qsort(d->ooo, d->nooo, sizeof *d->ooo, ooo_cmp);
				while (d->nooo) {
					declare_gap(r, d, c, last);
					d->next = d->ooo[0].seq;
					drain_ooo(r, d, c, last);
				}
			}
			if (d->pend_bytes) {
				/* A close-delimited HTTP body ends with the capture. */
				if (d->app == APP_HTTP)
					drain(r, d, c, last, true);
				if (d->pend_bytes) {
					const uint8_t *bytes;
					uint32_t sf, sfr;
					pend_take(r, d, d->pend_bytes, false, PDU_INCOMPLETE, last, &bytes, &sf, &sfr);
				}
			}
		}
	}
	free_dirstates(r);
	r->nby_frame = r->npieces;
	r->by_frame = xcalloc(r->npieces ? r->npieces : 1, sizeof *r->by_frame);
	for (size_t i = 0; i < r->npieces; i++)
		r->by_frame[i] = (uint32_t)i;
	qsort_r(r->by_frame, r->npieces, sizeof *r->by_frame, cmp_piece_idx, r);
	r->by_done = xcalloc(r->npdus ? r->npdus : 1, sizeof *r->by_done);
	for (size_t i = 0; i < r->npdus; i++)
		r->by_done[i] = (uint32_t)i;
	qsort_r(r->by_done, r->npdus, sizeof *r->by_done, cmp_done_idx, r);
	r->finished = true;
}

const struct tw_pdu *
reasm_pdu(const struct tw_reasm *r, uint32_t id)
{
	return id < r->npdus ? &r->pdus[id] : NULL;
}

const struct tw_piece *
reasm_piece(const struct tw_reasm *r, uint32_t i)
{
	return i < r->npieces ? &r->pieces[i] : NULL;
}

static uint8_t
piece_level(const struct tw_reasm *r, const struct tw_piece *p)
{
	return p->pdu == PIECE_SKIP ? 0 : r->pdus[p->pdu].level;
}

size_t
reasm_frame_pieces(const struct tw_reasm *r, uint32_t frame, uint8_t level, const uint32_t **idx)
{
	*idx = NULL;
	if (!r->finished || !r->nby_frame)
		return 0;
	/* Lower bound of (level, frame). */
	size_t lo = 0, hi = r->nby_frame;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tw_piece *p = &r->pieces[r->by_frame[mid]];
		uint8_t pl = piece_level(r, p);
		if (pl < level || (pl == level && p->frame < frame))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	while (lo + n < r->nby_frame) {
		const struct tw_piece *p = &r->pieces[r->by_frame[lo + n]];
		if (p->frame != frame || piece_level(r, p) != level)
			break;
		n++;
	}
	if (n)
		*idx = &r->by_frame[lo];
	return n;
}

size_t
reasm_frame_done(const struct tw_reasm *r, uint32_t frame, uint8_t level, uint32_t *ids, size_t max)
{
	if (!r->finished)
		return 0;
	size_t lo = 0, hi = r->npdus;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tw_pdu *p = &r->pdus[r->by_done[mid]];
		if (p->level < level || (p->level == level && p->done_frame < frame))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t n = 0;
	while (lo + n < r->npdus) {
		const struct tw_pdu *p = &r->pdus[r->by_done[lo + n]];
		if (p->done_frame != frame || p->level != level)
			break;
		if (n < max)
			ids[n] = r->by_done[lo + n];
		n++;
	}
	return n < max ? n : max;
}

bool
reasm_copy(const struct tw_reasm *r, struct tw_capture *cap, uint32_t pdu, uint8_t *dst)
{
	const struct tw_pdu *p = reasm_pdu(r, pdu);
	if (!p)
		return false;
	bool ok = true;
	for (uint32_t i = 0; i < p->npieces; i++) {
		const struct tw_piece *pc = &r->pieces[p->first_piece + i];
		const struct tw_frame *f = capture_frame(cap, pc->frame);
		const uint8_t *fb = f ? capture_bytes(cap, f) : NULL;
		if (!fb || pc->foff > f->caplen || pc->len > f->caplen - pc->foff) {
			memset(dst, 0, pc->len);
			ok = false;
		} else {
			memcpy(dst, fb + pc->foff, pc->len);
		}
		dst += pc->len;
	}
	return ok;
}

static int
frag_cmp(const void *a, const void *b)
{
	const uint32_t *x = a, *y = b; /* frame, foff, len, off: order by off, then arrival */
	if (x[3] != y[3])
		return x[3] < y[3] ? -1 : 1;
	return x[0] < y[0] ? -1 : x[0] > y[0];
}

/* Mark bytes [off, off+len) covered (off + len <= 65536); returns how many were not yet. */
static uint32_t
cover_add(uint64_t *bm, uint32_t off, uint32_t len)
{
	uint32_t added = 0, end = off + len;
	for (uint32_t b = off; b < end;) {
		uint32_t w = b >> 6, bit = b & 63;
		uint32_t n = 64 - bit < end - b ? 64 - bit : end - b;
		uint64_t mask = (n == 64 ? ~UINT64_C(0) : (UINT64_C(1) << n) - 1) << bit;
		added += (uint32_t)__builtin_popcountll(mask & ~bm[w]);
		bm[w] |= mask;
		b += n;
	}
	return added;
}

/* Covered bytes in [0, upto). */
static uint32_t
cover_count(const uint64_t *bm, uint32_t upto)
{
	uint32_t n = 0, w = 0;
	for (; (w + 1) * 64 <= upto; w++)
		n += (uint32_t)__builtin_popcountll(bm[w]);
	if (upto & 63)
		n += (uint32_t)__builtin_popcountll(bm[w] & ((UINT64_C(1) << (upto & 63)) - 1));
	return n;
}

uint32_t
reasm_ip_fragment(struct tw_reasm *r, uint32_t frame, const uint8_t *key, size_t keylen, uint32_t key_hash,
                  uint32_t off, bool more, uint32_t foff, uint32_t len)
{
	if (r->finished || keylen > sizeof r->frag->key || off > MAX_DATAGRAM || len > MAX_DATAGRAM - off)
		return PIECE_SKIP;
	struct fraggroup **pp = &r->frag, *g = NULL;
	for (; *pp; pp = &(*pp)->next)
		if ((*pp)->hash == key_hash && (*pp)->keylen == keylen && memcmp((*pp)->key, key, keylen) == 0) {
			g = *pp;
			break;
		}
	if (!g) {
		if (r->nfrag >= MAX_FRAGGROUPS) {
			/* Too many open datagrams: drop the oldest (at the list's end). */
			struct fraggroup **q = &r->frag;
			while ((*q)->next)
				q = &(*q)->next;
			free((*q)->frags);
			free((*q)->cover);
			free(*q);
			*q = NULL;
			r->nfrag--;
		}
		g = xcalloc(1, sizeof *g);
		memcpy(g->key, key, keylen);
		g->keylen = keylen;
		g->hash = key_hash;
		g->total = -1;
		g->next = r->frag;
		r->frag = g;
		r->nfrag++;
		pp = &r->frag;
	}
	if (g->nfrags && !g->cover) {
		g->cover = xcalloc(COVER_WORDS, sizeof *g->cover);
		for (uint32_t i = 0; i < g->nfrags; i++)
			cover_add(g->cover, g->frags[i].off, g->frags[i].len);
	}
	bool fresh = g->cover ? cover_add(g->cover, off, len) > 0 : true;
	int64_t total = more ? g->total : (int64_t)off + len;
	if (!fresh && total == g->total)
		return PIECE_SKIP; /* a copy of bytes already held: the first one wins */
	if (fresh) {
		if (g->nfrags == g->capfrags) {
			g->capfrags = g->capfrags ? g->capfrags * 2 : 4;
			g->frags = xreallocarray(g->frags, g->capfrags, sizeof *g->frags);
		}
		g->frags[g->nfrags].frame = frame;
		g->frags[g->nfrags].foff = foff;
		g->frags[g->nfrags].len = len;
		g->frags[g->nfrags].off = off;
		g->nfrags++;
	}
	g->total = total;
	if (g->total < 0)
		return PIECE_SKIP;
	/* Complete when [0, total) is covered. */
	if (g->cover ? cover_count(g->cover, (uint32_t)g->total) < (uint32_t)g->total
	             : off != 0 || (int64_t)len < g->total)
		return PIECE_SKIP;
	qsort(g->frags, g->nfrags, sizeof *g->frags, frag_cmp);
	/* Build the pieces, trimming overlaps (first come wins) and anything past the end. */
	struct tw_piece *pcs = xcalloc(g->nfrags, sizeof *pcs);
	size_t n = 0;
	uint32_t pos = 0;
	for (uint32_t i = 0; i < g->nfrags && (int64_t)pos < g->total; i++) {
		uint32_t s = g->frags[i].off, e = s + g->frags[i].len;
		if ((int64_t)e > g->total)
			e = (uint32_t)g->total;
		if (e <= pos)
			continue;
		uint32_t skip = pos > s ? pos - s : 0;
		pcs[n++] = (struct tw_piece){ g->frags[i].frame, g->frags[i].foff + skip, e - s - skip, 0 };
		pos = e;
	}
	uint32_t id = reasm_add_pdu(r, pcs, n, frame, key_hash, 0, APP_NONE, REASM_LEVEL_IP, 0);
	free(pcs);
	/* The datagram is done: forget its group. */
	for (pp = &r->frag; *pp; pp = &(*pp)->next)
		if (*pp == g) {
			*pp = g->next;
			break;
		}
	free(g->frags);
	free(g->cover);
	free(g);
	r->nfrag--;
	return id;
}

int64_t
reasm_pdu_len(uint8_t app, const uint8_t *p, size_t n)
{
	framer_fn fr = framer_for(app);
	if (!fr)
		return -1;
	struct bytesrc bs = { NULL, p, n, NULL, true };
	return fr(&bs);
}

size_t reasm_npdus(const struct tw_reasm *r) { return r->npdus; }

size_t
reasm_memory(const struct tw_reasm *r)
{
	return r->cappieces * sizeof *r->pieces + r->cappdus * sizeof *r->pdus +
	       r->nby_frame * sizeof(uint32_t) + r->npdus * sizeof(uint32_t);
}
