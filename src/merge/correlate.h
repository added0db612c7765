/*
 * correlate.h - links between rows of the timeline: a Schannel event and
 * the TLS handshake it most likely describes.
 *
 * Pure over the timeline and the core models (no output, no terminal), so
 * batch modes and the UI share the same results. Rows are indices into
 * tl->rows. A link goes from an event row (a) to a frame row (b, the
 * handshake's deciding frame: its alert, else its last handshake message,
 * else its ClientHello) of one connection (src_b, conv).
 *
 * Score (see correlate.c): time distance inside the window, the event's
 * alert code against the connection's alert, the alert's direction against
 * the logging host's side (TargetName present: the host is the client),
 * the event's target name against the SNI, and the failure kind against
 * how the connection ended. Ambiguity is kept: a link records how many
 * handshakes scored as candidates.
 */
#ifndef TW_CORRELATE_H
#define TW_CORRELATE_H

#include "merge/timeline.h"

enum tw_link_kind {
	LINK_HANDSHAKE = 1, /* Schannel event <-> TLS connection */
	LINK_PROCESS = 2,   /* Security 5156/5158 or Sysmon 3 <-> TCP/UDP connection (same 5-tuple) */
	LINK_CONTENT = 3,   /* CAPI2 by content: 53's URL <-> HTTP request and DNS query, fileRef <->
	                       certificate (SHA-1), 30's serverName <-> SNI */
};

struct tw_link {
	uint32_t a;          /* event row */
	uint32_t b;          /* frame row of the connection's deciding frame */
	uint16_t src_b;      /* capture source of the connection */
	uint8_t kind;        /* enum tw_link_kind */
	uint8_t confidence;  /* 0..100 */
	uint32_t conv;       /* conversation index in src_b */
	uint16_t candidates; /* handshakes that scored as candidates (>= 1) */
	char reason[200];    /* one line, plain text (input strings escaped) */
	/* LINK_PROCESS: the owning process (raw event strings: escape before output) */
	const char *image;   /* Application / Image as logged, or NULL */
	size_t image_len;
	uint32_t pid;
	bool have_pid;
};

struct analyze_opts {
	tw_time window;      /* candidate window around the handshake, ns (default 2 s) */
	int min_score;       /* below this a handshake is no candidate (default 40) */
	/*
	 * Connection events (5156/5158/Sysmon 3) match a connection with the
	 * same 5-tuple when their time is within proc_window of its span,
	 * after removing whole quarter hours (a zone-less time or a wrong
	 * --tz) up to 14 hours.
	 */
	tw_time proc_window; /* default 5 s */
	/*
	 * A frame is a duplicate of an earlier row's frame from another capture
	 * when the IP datagrams are equal (TTL / hop limit and the IPv4 header
	 * checksum aside, which routers change) and the offset-corrected times
	 * are within dup_window. 0 turns it off.
	 */
	tw_time dup_window;  /* default 100 ms */
};

void analyze_opts_init(struct analyze_opts *o);

struct tw_links {
	struct tw_link *v;
	size_t n;
	/* row -> source index lookups */
	uint32_t **rowof;    /* rowof[src][idx]: row of (src, idx), UINT32_MAX if none */
	size_t nsrc;
	uint32_t *dup_of;    /* per row: the earlier row it duplicates, UINT32_MAX; NULL with one capture */
	size_t ndup;
	size_t nrows;
};

/* Find every link of the timeline (tl must be built). */
void correlate(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o);
void links_free(struct tw_links *ls);

/* The row of (source, index), or UINT32_MAX. */
uint32_t links_row_of(const struct tw_links *ls, size_t src, uint32_t idx);
/* The i-th link touching row r (as a, as b, or a frame of the linked connection); NULL past the end. */
const struct tw_link *links_of_row(const struct tw_links *ls, const struct tw_timeline *tl, uint32_t r, size_t i);
/* The handshake link whose event row is r, or NULL (all links of a row: links_of_row). */
const struct tw_link *links_of_event(const struct tw_links *ls, uint32_t r);

/*
 * Processes that owned connection conv of capture source src (LINK_PROCESS
 * links, one per distinct host+image+pid): the i-th, or NULL.
 */
const struct tw_link *links_process(const struct tw_links *ls, uint16_t src, uint32_t conv, size_t i);
/* Base name of a Windows or POSIX path (within p..p+n); sets *len. */
const char *image_base(const char *p, size_t n, size_t *len);
/*
 * The generated "Process" subtree (process.name, process.pid, process.host,
 * process.image) for timeline row r when its connection has LINK_PROCESS
 * links; nothing otherwise. For print.c's row hook (ctx is the links).
 */
void links_process_tree(void *ctx, struct tw_tree *t, const struct tw_timeline *tl, size_t r);

/* The earlier row (another capture's) that row r duplicates, or UINT32_MAX. */
uint32_t links_dup_of(const struct tw_links *ls, uint32_t r);
/* For print.c's Info hook: "[dup of B:12] " when row r duplicates another capture's frame. */
void links_info_prefix(void *ctx, struct tw_sb *sb, const struct tw_timeline *tl, size_t r);

/* Schannel / CAPI2 helpers shared with diagnose.c. */
bool ev_is_schannel(const struct tw_events *ev, const struct tw_event *e);
bool ev_is_capi2(const struct tw_events *ev, const struct tw_event *e);
/* The event's TLS alert code (AlertDesc, or read from the message), or -1. */
int ev_alert_code(const struct tw_events *ev, const struct tw_event *e);
/* The target name (TargetName, or Name for 36884) or NULL; *len set. */
const char *ev_target_name(const struct tw_events *ev, const struct tw_event *e, size_t *len);

/* Two conversations (from different captures) with the same 5-tuple, either direction. */
struct tw_conv;
bool convs_same_connection(const struct tw_conv *a, const struct tw_conv *b);

/* Offsets: "+1.25s", "-2h", "+300ms", "1.5" (seconds); false if malformed. */
bool parse_offset(const char *s, tw_time *out);

#endif
