/*
 * filter.h - Wireshark-style display filters over timeline rows.
 *
 * An expression ("ip.addr == 10.77.0.2 && tcp.flags.reset == 1") is parsed
 * once into a tree of tests; fields are resolved when it is compiled
 * (every descriptor sharing the abbreviation; "event.data.NAME" by name)
 * and values are converted to the field's type then (numbers in decimal,
 * hex or octal, value names, IPv4/IPv6 with CIDR, Ethernet addresses,
 * strings with C escapes, regexes compiled once). A row matches when its
 * detail tree satisfies the expression.
 *
 * Semantics follow Wireshark 4.0 (checked against tshark 4.0.17):
 *  - "a == v", "<", ">", ..., "contains", "matches", "in {...}": some
 *    occurrence of a satisfies the test;
 *  - "a != v": a occurs and no occurrence equals v (all differ);
 *    "a ~= v" (any_ne): some occurrence differs;
 *  - "matches" is a case-insensitive POSIX extended regex (PCRE in
 *    Wireshark; the common subset behaves the same); "contains" is
 *    case-sensitive;
 *  - "and" binds tighter than "or"; "not"/"!" tighter than both;
 *  - a bare field or protocol name tests for presence.
 *
 * tracewb's own names: "error" and "warning" (the row's tree has an
 * expert finding of that severity, or worse for "warning"), and, from the
 * row context (struct filter_ctx: the timeline's correlation and
 * diagnosis, not the detail tree):
 *  - "correlated": an event linked to a TLS handshake (correlate.h
 *    LINK_HANDSHAKE), or a frame of a connection linked to such an event;
 *  - "finding" (string): the text of each diagnosis finding whose rows
 *    include this row ("finding contains \"MD2\""); "finding.category"
 *    its category ("tls", "tcp", "certificate", "event", ...);
 *  - "process", "process.name", "process.pid", "process.image",
 *    "process.host": the process that owned the row's connection
 *    (Security 5156/5158, Sysmon 3 links), on the frames of the connection
 *    and on the linking event itself.
 * Without a context (or with a context lacking links or findings) those
 * tests are false. cert.* and x509* fields come from the certificate
 * chain model, built only in labelled trees: filter_wants_labels().
 */
#ifndef TW_FILTER_H
#define TW_FILTER_H

#include "core/str.h"
#include "core/tree.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct filter_error {
	size_t pos, len;  /* byte offset and length of the offending token */
	char msg[200];
};

struct tw_filter;

/* Compile expr; NULL on error with *err filled. */
struct tw_filter *filter_compile(const char *expr, struct filter_error *err);
void filter_free(struct tw_filter *f);
/* Does the row whose detail tree is t match? (No row context.) */
bool filter_match(const struct tw_filter *f, const struct tw_tree *t);

/*
 * Row context: what the filter may know about a row beyond its detail tree.
 * links and an may be NULL (an->links is used when links is NULL). The
 * context indexes them once; it must not outlive them or tl.
 */
struct tw_timeline;
struct tw_links;
struct tw_analysis;
struct filter_ctx;
struct filter_ctx *filter_ctx_new(const struct tw_timeline *tl, const struct tw_links *links,
                                  const struct tw_analysis *an);
void filter_ctx_free(struct filter_ctx *cx);
/* Does timeline row `row`, whose detail tree is t, match? cx may be NULL. */
bool filter_match_row(const struct tw_filter *f, const struct filter_ctx *cx, size_t row, const struct tw_tree *t);

/* What evaluating f needs beyond a label-less detail tree. */
enum {
	FILTER_NEEDS_LINKS = 1,    /* correlated, process.* */
	FILTER_NEEDS_FINDINGS = 2, /* finding, finding.category */
};
unsigned filter_needs(const struct tw_filter *f);
/* Does f test cert.* / x509* fields (only in labelled trees, tree.h)? */
bool filter_wants_labels(const struct tw_filter *f);
/*
 * Fast path for frames: decide from the summary dissection alone (no
 * detail tree) when every test of the filter is on a summary field
 * (frame.number, frame.len, frame.cap_len, ip/ipv6 src/dst/addr, tcp/udp
 * src/dst/port, protocol presence by name). Returns 1 (match), 0 (no
 * match) or -1: build the tree and use filter_match (other fields, or a
 * frame with tunnels or ICMP errors where the summary holds only the
 * innermost addresses). scratch is a tree the caller owns (reset here).
 */
struct tw_pinfo;
bool filter_summary_ok(const struct tw_filter *f);
int filter_match_summary(const struct tw_filter *f, const struct tw_pinfo *pi, struct tw_tree *scratch);

/*
 * Index path for frames: decide from what the load pass recorded
 * (capture.h FRAME_IDX_*, the frame's conversation), with no dissection at
 * all: frame.number/len/cap_len, ip/ipv6 addresses, tcp/udp ports,
 * tls.handshake.type and the presence of eth..tls/dns/http layers (a test
 * on any field of an absent layer is false). Returns 1, 0, or -1 when the
 * index cannot tell (then use filter_match_summary / the tree).
 */
struct tw_conv;
struct filter_frame_facts {
	uint32_t num, len, caplen;
	uint32_t flags;             /* the frame's FRAME_* flags */
	uint32_t hs_types;          /* valid with FRAME_IDX_HS */
	uint8_t top;                /* the load pass's top protocol (enum tw_proto) */
	bool clean;                 /* its conversation had no lost, out-of-order or retransmitted segment */
	const struct tw_conv *cv;   /* the frame's conversation when FRAME_IDX_SIMPLE, else NULL */
};
bool filter_index_ok(const struct tw_filter *f);
int filter_match_index(const struct tw_filter *f, const struct filter_frame_facts *ff);

/* The expression it was compiled from. */
const char *filter_text(const struct tw_filter *f);

/*
 * The error as three lines: the message, the expression (escaped) and a
 * caret line ("    ^~~~") under the offending token, each ending "\n",
 * every line prefixed with `indent`.
 */
void filter_error_format(struct tw_sb *sb, const char *expr, const struct filter_error *err,
                         const char *indent);

/* Up to n field names nearest to name (edit distance); returns how many. */
size_t filter_suggest(const char *name, const char **out, size_t n);

#endif
