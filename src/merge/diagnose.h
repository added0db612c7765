/*
 * diagnose.h - findings gathered across the timeline, and one root-cause
 * summary per failed TLS connection that combines the evidence (the
 * connection's end, certificate findings, linked Schannel events).
 *
 * struct tw_analysis bundles links (correlate.h) and findings so batch
 * modes (--check, --export) and the UI share one result. Everything is
 * pure: texts are built with input strings escaped; printing lives in
 * diagnose_report_* and never touches a terminal.
 */
#ifndef TW_DIAGNOSE_H
#define TW_DIAGNOSE_H

#include "merge/correlate.h"

#include <stdio.h>

#define FINDING_MAX_ROWS 4

struct tw_finding {
	uint8_t sev;          /* enum tw_sev */
	const char *category; /* static: "tls", "tcp", "event", "certificate", ... */
	uint32_t rows[FINDING_MAX_ROWS]; /* timeline rows it concerns (first is the main one) */
	uint8_t nrows;
	uint16_t src;         /* capture source of the connection, or UINT16_MAX */
	uint32_t conv;        /* conversation, CONV_NONE if none */
	char *text;           /* one sentence (heap) */
};

struct tw_summary {
	uint16_t src;         /* capture source */
	uint32_t conv;
	uint32_t rows[8];     /* evidence rows */
	uint8_t nrows;
	char *text;           /* one paragraph (heap) */
};

struct tw_analysis {
	const struct tw_timeline *tl;
	struct tw_links links;
	struct tw_finding *f;
	size_t nf;
	struct tw_summary *sum;
	size_t nsum;
};

/* Correlate and diagnose the built timeline (o may be NULL for defaults). */
struct tw_analysis *analyze(const struct tw_timeline *tl, const struct analyze_opts *o);
void analysis_free(struct tw_analysis *a);

/* The i-th finding concerning row r, or NULL. */
const struct tw_finding *analysis_findings_of_row(const struct tw_analysis *a, uint32_t r, size_t i);
/* Findings of severity error. */
size_t analysis_errors(const struct tw_analysis *a);

/*
 * Hook for the certificate checks: add a finding about the certificate(s)
 * carried by frame row `row` of connection (src, conv); text is plain text
 * (escape input strings first). Call after analyze() and before
 * analysis_summarize(); summaries quote certificate findings of their
 * connection.
 */
void diagnose_add_cert_finding(struct tw_analysis *a, uint32_t row, uint16_t src, uint32_t conv,
                               enum tw_sev sev, const char *text);
/* (Re)build the per-connection summaries (analyze() calls it once). */
void analysis_summarize(struct tw_analysis *a);

/*
 * Keep only what concerns the rows with keep[row] != 0 (--check -Y): a
 * finding when one of its rows is kept or its connection has a kept frame;
 * a failed-connection summary when its connection has a kept frame or one
 * of its evidence rows is kept; a link when its event or frame is kept or
 * its connection has a kept frame. Call after analysis_summarize(); the
 * analysis is not summarized again.
 */
void analysis_restrict(struct tw_analysis *a, const uint8_t *keep);

/* "A:35" (source letter, frame or event number); letter omitted with one source. */
void analysis_row_ref(struct tw_sb *sb, const struct tw_timeline *tl, uint32_t r);

/* --check output: text, or one JSON document. */
void diagnose_report_text(FILE *out, const struct tw_analysis *a);
void diagnose_report_json(FILE *out, const struct tw_analysis *a);

#endif
