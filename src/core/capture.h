/*
 * capture.h - capture files (pcap, pcapng) as sources of frames.
 *
 * libpcap reads the file once to build a compact index: one fixed-size
 * struct tw_frame per frame (40 bytes) with the frame's file offset. The
 * file is memory-mapped and a frame's bytes are read back on demand from
 * the mapping, so nothing per frame lives on the heap.
 *
 * Loading is incremental (capture_load_some) so a UI can show the first
 * screen while a large file is still being indexed.
 */
#ifndef TW_CAPTURE_H
#define TW_CAPTURE_H

#include "core/conv.h"
#include "core/tw.h"

#include <stdio.h>

struct tw_frame {
	tw_time ts;         /* ns UTC */
	uint64_t off;       /* file offset of the first captured byte */
	uint32_t caplen;    /* bytes captured */
	uint32_t len;       /* bytes on the wire */
	uint32_t conv;      /* conversation index, CONV_NONE if none */
	uint32_t flags;     /* analysis flags (TCP, expert), see below */
	uint16_t iface;     /* pcapng interface id */
	uint8_t proto;      /* enum tw_proto of the top layer seen at load */
	uint8_t sev;        /* highest expert severity seen at load */
	uint32_t hs_types;  /* FRAME_IDX_HS: bit t for each TLS handshake message of type t in the frame */
};
/* The index costs this much per frame, whatever the capture (the design's budget is 48 bytes). */
_Static_assert(sizeof(struct tw_frame) == 40, "struct tw_frame grew: keep the per-frame index compact");

enum tw_frame_flag {
	FRAME_BYTES_MISSING = 1u << 0, /* bytes could not be located in the file */
	/* TCP analysis, set in the load pass (Wireshark's tcp.analysis.*). */
	FRAME_TCP_RETRANS = 1u << 1,   /* carries bytes already seen (also set for fast/spurious) */
	FRAME_TCP_LOST = 1u << 2,      /* previous segment not captured */
	FRAME_TCP_OOO = 1u << 3,       /* out-of-order: fills a hole */
	FRAME_TCP_DUPACK = 1u << 4,
	FRAME_TCP_ZEROWIN = 1u << 5,
	FRAME_TCP_KEEPALIVE = 1u << 6,
	FRAME_TCP_WINUPDATE = 1u << 7,
	FRAME_TCP_FASTRETRANS = 1u << 8,   /* after duplicate ACKs (with FRAME_TCP_RETRANS) */
	FRAME_TCP_SPURIOUS = 1u << 9,      /* bytes already acknowledged (with FRAME_TCP_RETRANS) */
	FRAME_TCP_ACK_UNSEEN = 1u << 10,   /* acknowledges bytes never captured */
	FRAME_TCP_KEEPALIVE_ACK = 1u << 11,
	FRAME_TCP_ZWP = 1u << 12,          /* zero window probe */
	FRAME_TCP_ZWP_ACK = 1u << 13,
	FRAME_TCP_WINFULL = 1u << 14,
	FRAME_TCP_REUSED = 1u << 15,       /* a SYN reusing the ports of an earlier connection */
	FRAME_TCP_ANALYSIS = 0xfffeu,      /* every TCP analysis flag */
	/*
	 * Bits 16-22, set by the load pass for the display filter's index path (filter.h)
	 * (bits 8-15 are left to the TCP analysis):
	 * SIMPLE: one IPv4/IPv6 header carrying TCP or UDP of conversation conv
	 * (no tunnel, no ICMP error, not a fragment), so the conversation's
	 * addresses and ports are the frame's; DIR_B: sent by the conversation's
	 * side 1; HS: hs_types lists the frame's TLS handshake messages (a TLS
	 * record completed in it, every message type below 32); TLS_UNSURE: the
	 * load pass could not read a TLS record of the frame completely.
	 */
	FRAME_IDX_SIMPLE = 1u << 16,
	FRAME_IDX_DIR_B = 1u << 17,
	FRAME_IDX_HS = 1u << 18,
	FRAME_IDX_TLS_UNSURE = 1u << 19,
	/* APP_*: a TLS / HTTP / DNS-over-TCP PDU completed in the frame (the load pass's reassembly) */
	FRAME_IDX_APP_TLS = 1u << 20,
	FRAME_IDX_APP_HTTP = 1u << 21,
	FRAME_IDX_APP_DNS = 1u << 22,
};

struct tw_capture;

/* Open and start indexing; on failure returns NULL with a one-line message in err. */
struct tw_capture *capture_open(const char *path, uint16_t source_id, char *err, size_t errlen);
/* Index up to max frames; returns true when the whole file is indexed. */
bool capture_load_some(struct tw_capture *cap, size_t max);
/* Index everything. */
void capture_load_all(struct tw_capture *cap);
/*
 * The same with libpcap reading (and each record located in the file) in
 * a thread of its own while this one dissects: the same result. Falls back
 * to capture_load_all when no thread can be started.
 */
void capture_load_all_threaded(struct tw_capture *cap);
void capture_close(struct tw_capture *cap);

const char *capture_path(const struct tw_capture *cap);
/* Short display name (the file's base name). */
const char *capture_name(const struct tw_capture *cap);
uint16_t capture_source_id(const struct tw_capture *cap);
int capture_linktype(const struct tw_capture *cap);
/* "pcap" / "pcapng", timestamp precision in digits (6 or 9). */
const char *capture_format(const struct tw_capture *cap);
int capture_ts_digits(const struct tw_capture *cap);
uint64_t capture_file_size(const struct tw_capture *cap);
bool capture_done(const struct tw_capture *cap);

uint32_t capture_count(const struct tw_capture *cap);
struct tw_frame *capture_frame(struct tw_capture *cap, uint32_t i);
/* The captured bytes of frame i (valid while the capture is open), or NULL. */
const uint8_t *capture_bytes(const struct tw_capture *cap, const struct tw_frame *f);
struct tw_convs *capture_convs(struct tw_capture *cap);
/*
 * Hint for sequential passes: the bytes of frames before i are not needed
 * soon, so their pages may leave this process's resident set (they are
 * read back from the page cache if asked for again).
 */
void capture_release_before(struct tw_capture *cap, uint32_t i);

/* Set when reading stopped on an error before any frame: the file is unusable. */
const char *capture_fatal(const struct tw_capture *cap);

/* Warnings gathered while loading (truncation, bad blocks); NULL past the end. */
const char *capture_warning(const struct tw_capture *cap, size_t i);

/*
 * Dissect frame i (0-based) into c: fills c->pi and, if tree is given,
 * the tree. The tree is reset first.
 */
void capture_dissect(struct tw_capture *cap, uint32_t i, struct tw_dctx *c, struct tw_tree *tree);

/*
 * Dissecting from several threads at once. After the capture is fully
 * loaded, capture_freeze sorts what dissection would otherwise sort on
 * first use, so that afterwards dissection only reads the capture's state
 * (the certificate and request URL indexes, costly and rarely needed, are
 * built on first use under a lock). Then each thread calls
 * capture_dissect_scratch with its own context, tree and scratch arena
 * (capture_dissect uses one arena owned by the capture).
 */
void capture_freeze(struct tw_capture *cap);
void capture_dissect_scratch(struct tw_capture *cap, uint32_t i, struct tw_dctx *c, struct tw_tree *tree,
                             struct tw_arena *scratch);

#endif
