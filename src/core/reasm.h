/*
 * reasm.h - TCP stream reassembly into application PDUs.
 *
 * During the load pass every TCP segment with payload is fed, per
 * connection and direction, in sequence order: retransmitted bytes are
 * trimmed, out-of-order segments are held until the hole fills, and a hole
 * that never fills is declared a gap (marked, and reassembly resumes after
 * it: it never stalls or swallows later data). A framer per application
 * protocol (TLS record, DNS over TCP, HTTP message) cuts the byte stream
 * into PDUs.
 *
 * Only what a later dissection cannot rediscover from one frame is kept: a
 * PDU whose bytes span several segments is stored as a list of pieces
 * (frame, offset in the frame, length) that point into the mapped capture,
 * so nothing is copied until a frame is shown; frame ranges that must be
 * skipped (retransmitted bytes, data before a resync point) are stored as
 * pieces too. Everything else in a frame's payload is a run of whole PDUs
 * that the dissector frames again on display.
 *
 * The same piece lists serve a second level: TLS handshake messages that
 * span records.
 */
#ifndef TW_REASM_H
#define TW_REASM_H

#include "core/tw.h"

struct tw_capture;

enum tw_app {
	APP_UNKNOWN = 0, /* not decided yet */
	APP_NONE,        /* no reassembly: payload shown as data */
	APP_TLS,
	APP_HTTP,
	APP_DNS,
	APP_TLS_HS,      /* second level: TLS handshake messages */
};

/* Bytes [foff, foff+len) of frame `frame` (0-based index in its capture). */
struct tw_piece {
	uint32_t frame;
	uint32_t foff;
	uint32_t len;
	uint32_t pdu;   /* owning PDU, or PIECE_SKIP */
};
#define PIECE_SKIP UINT32_MAX

enum tw_pdu_flag {
	PDU_INCOMPLETE = 1,  /* never completed (capture ended, or a gap) */
	PDU_GAP_BEFORE = 2,  /* bytes were missing before this PDU */
	PDU_LIMIT = 4,       /* reassembly limit reached: truncated */
	PDU_FRAMED = 8,      /* one segment, but stored: its length needed load-pass state (HEAD) */
};

struct tw_pdu {
	uint32_t first_piece; /* index into the piece array */
	uint32_t npieces;
	uint32_t len;         /* total bytes */
	uint32_t done_frame;  /* frame where it completed (or the last piece's frame) */
	uint32_t conv;
	uint8_t dir;
	uint8_t app;          /* enum tw_app */
	uint8_t flags;        /* enum tw_pdu_flag */
	uint8_t level;        /* 0 TCP payload, 1 TLS handshake */
};

struct tw_reasm;

/*
 * limit_per_stream: the most bytes one direction of a connection may hold
 * pending for one PDU; past it the PDU is cut short (PDU_LIMIT, shown as
 * "reassembly limit reached") and framing resumes after it. 0: the
 * default, REASM_DEFAULT_LIMIT unless reasm_set_default_limit changed it.
 */
#define REASM_DEFAULT_LIMIT ((size_t)16 * 1024 * 1024)
#define REASM_MAX_LIMIT ((size_t)1024 * 1024 * 1024)
struct tw_reasm *reasm_new(size_t limit_per_stream);
/* Process-wide default for reasm_new(0) (tracewb --reassembly-limit); 0 resets it. */
void reasm_set_default_limit(size_t bytes);
size_t reasm_default_limit(void);
void reasm_free(struct tw_reasm *r);

/* Load pass. Feed one TCP segment's payload (bytes are in the mapped capture). */
struct tw_dctx;
/* start_seq: the sequence number of the direction's first data byte (ISN + 1
 * when the SYN was seen), so a late first segment is not taken for a resend. */
/* len: bytes captured; wire: the segment's payload length on the wire (>= len). */
void reasm_segment(struct tw_reasm *r, struct tw_dctx *c, uint32_t conv, int dir, uint8_t app,
                   uint32_t start_seq, uint32_t seq, const uint8_t *payload, uint32_t foff, uint32_t len,
                   uint32_t wire, bool fin, bool rst);
/* End of capture: close incomplete PDUs, build the per-frame index. */
void reasm_finish(struct tw_reasm *r, struct tw_dctx *c);

/* A second-level PDU built from pieces of the first level (TLS handshake). */
uint32_t reasm_add_pdu(struct tw_reasm *r, const struct tw_piece *pieces, size_t n, uint32_t done_frame,
                       uint32_t conv, int dir, uint8_t app, uint8_t level, uint8_t flags);

/*
 * IP fragments (level 2). key identifies the datagram (addresses, id,
 * protocol; key_hash is kept in the PDU's conv field to find it again).
 * Returns the datagram's PDU id when this fragment completes it, else
 * PIECE_SKIP. Fragments are trimmed where they overlap; at most 64 KiB.
 */
uint32_t reasm_ip_fragment(struct tw_reasm *r, uint32_t frame, const uint8_t *key, size_t keylen,
                           uint32_t key_hash, uint32_t off, bool more, uint32_t foff, uint32_t len);
#define REASM_LEVEL_IP 2

/* Display. */
const struct tw_pdu *reasm_pdu(const struct tw_reasm *r, uint32_t id);
const struct tw_piece *reasm_piece(const struct tw_reasm *r, uint32_t i);
/* Pieces of frame `frame` at `level`, sorted by offset: returns the count and
 * points *idx at their indices (for reasm_piece). */
size_t reasm_frame_pieces(const struct tw_reasm *r, uint32_t frame, uint8_t level, const uint32_t **idx);
/* PDUs of `level` completing in `frame`; returns count and fills ids (up to max). */
size_t reasm_frame_done(const struct tw_reasm *r, uint32_t frame, uint8_t level, uint32_t *ids, size_t max);
/* Copy a PDU's bytes (from the mapped capture) into dst (len bytes). */
bool reasm_copy(const struct tw_reasm *r, struct tw_capture *cap, uint32_t pdu, uint8_t *dst);

/*
 * Length of the PDU starting at p (n bytes available) for app: > 0 the
 * PDU's length (may exceed n), 0 cannot tell yet, -1 not a PDU start.
 */
int64_t reasm_pdu_len(uint8_t app, const uint8_t *p, size_t n);

/* A complete PDU as the load pass sees it (bytes valid during the call). */
struct tw_pdu_view {
	const uint8_t *p;
	uint32_t len;
	uint32_t conv;
	uint8_t dir;
	uint8_t app;
	uint8_t flags;     /* enum tw_pdu_flag */
	uint32_t frame;    /* frame index where it completed */
	uint32_t foff;     /* single-segment PDU: offset in that frame */
	uint32_t pdu;      /* stored multi-segment PDU id, or PIECE_SKIP */
};

/* Numbers for the bench and the conversation table. */
size_t reasm_npdus(const struct tw_reasm *r);
size_t reasm_memory(const struct tw_reasm *r);

#endif
