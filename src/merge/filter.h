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
 * expert finding of that severity, or worse for "warning").
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
/* Does the row whose detail tree is t match? */
bool filter_match(const struct tw_filter *f, const struct tw_tree *t);
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
