/* convtable.c - conversation tables (see convtable.h). */
#include "merge/convtable.h"

#include "core/conv.h"
#include "core/dissect/tls.h"
#include "core/field.h"
#include "core/str.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *
conv_tcp_state(const struct tw_conv *cv)
{
	bool syn = cv->state & CONV_SYN, synack = cv->state & CONV_SYNACK;
	if (syn && synack)
		return cv->state & CONV_DATA ? "established, data" : "established";
	if (syn)
		return "SYN only, no answer";
	if (synack)
		return "SYN+ACK seen (SYN not captured)";
	return cv->state & CONV_DATA ? "mid-stream (no handshake captured)" : "no handshake captured";
}

void
conv_tcp_end(struct tw_sb *sb, const struct tw_conv *cv)
{
	if (cv->rst_frame) {
		sb_addf(sb, "RST by %s (frame %u)", cv->rst_dir ? "server" : "client", cv->rst_frame);
		return;
	}
	if (cv->fin_frame[0] || cv->fin_frame[1]) {
		int first = !cv->fin_frame[0] ? 1 : !cv->fin_frame[1] ? 0 : cv->fin_frame[1] < cv->fin_frame[0];
		sb_addf(sb, "FIN by %s (frame %u)", first ? "server" : "client", cv->fin_frame[first]);
		if (cv->fin_frame[!first])
			sb_addf(sb, ", then %s (frame %u)", first ? "client" : "server", cv->fin_frame[!first]);
		return;
	}
	sb_adds(sb, "open at capture end");
}

static const char *
app_name(uint8_t app)
{
	switch (app) {
	case APP_TLS: return "TLS";
	case APP_HTTP: return "HTTP";
	case APP_DNS: return "DNS";
	default: return "";
	}
}

static void
endpoint(struct tw_sb *sb, const struct tw_addr *a, uint16_t port)
{
	if (a->type == AT_IPV6) {
		sb_addc(sb, '[');
		addr_format(sb, a);
		sb_addc(sb, ']');
	} else {
		addr_format(sb, a);
	}
	sb_addf(sb, ":%u", port);
}

/* A conversation's counters over the kept frames only. */
struct kept {
	uint64_t frames[2], bytes[2];
	tw_time first_ts, last_ts;
};

static struct kept *
kept_counts(const struct tw_timeline *tl, size_t s, const uint8_t *keep)
{
	struct tw_capture *cap = tl->src[s].cap;
	struct tw_convs *cs = capture_convs(cap);
	struct kept *kc = xcalloc(cs->n ? cs->n : 1, sizeof *kc);
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	for (size_t k = 0; k < tl->n; k++) {
		const struct tw_row *r = &tl->rows[k];
		if (!keep[k] || r->src != s)
			continue;
		const struct tw_frame *f = capture_frame(cap, r->idx);
		if (f->conv == CONV_NONE || f->conv >= cs->n)
			continue;
		capture_dissect(cap, r->idx, &dc, NULL);
		int d = conv_dir(&cs->v[f->conv], &dc.pi.net_src, dc.pi.srcport) ? 1 : 0;
		struct kept *c = &kc[f->conv];
		if (!c->frames[0] && !c->frames[1])
			c->first_ts = f->ts;
		c->last_ts = f->ts;
		c->frames[d]++;
		c->bytes[d] += f->len;
	}
	return kc;
}

static void
table(FILE *out, const struct tw_timeline *tl, size_t s, uint8_t proto, const uint8_t *keep)
{
	struct tw_capture *cap = tl->src[s].cap;
	struct tw_convs *cs = capture_convs(cap);
	tw_time t0 = capture_count(cap) ? capture_frame(cap, 0)->ts : 0;
	struct kept *kc = keep ? kept_counts(tl, s, keep) : NULL;
	size_t count = 0;
	for (uint32_t i = 0; i < cs->n; i++)
		if (cs->v[i].proto == proto &&
		    (kc ? kc[i].frames[0] + kc[i].frames[1] : cs->v[i].frames[0] + cs->v[i].frames[1]))
			count++;
	char *name = tw_escape_dup(capture_name(cap), strlen(capture_name(cap)));
	fprintf(out, "%s conversations in %s: %zu\n", proto == 6 ? "TCP" : "UDP", name, count);
	free(name);
	if (!count) {
		fputc('\n', out);
		free(kc);
		return;
	}
	fprintf(out, "%-6s %-45s %-45s %9s %11s %9s %11s %12s %10s  %s\n", "Stream", "A (client)", "B (server)",
	        "A->B frm", "A->B bytes", "B->A frm", "B->A bytes", "Start", "Duration", "State");
	struct tw_sb sb;
	sb_heap(&sb);
	for (uint32_t i = 0; i < cs->n; i++) {
		struct tw_conv kcv;
		const struct tw_conv *cv = &cs->v[i];
		if (kc) {
			kcv = *cv;
			memcpy(kcv.frames, kc[i].frames, sizeof kcv.frames);
			memcpy(kcv.bytes, kc[i].bytes, sizeof kcv.bytes);
			kcv.first_ts = kc[i].first_ts;
			kcv.last_ts = kc[i].last_ts;
			cv = &kcv;
		}
		if (cv->proto != proto || !(cv->frames[0] + cv->frames[1]))
			continue;
		char a[64], b[64];
		struct tw_sb sa, sbb;
		sb_fixed(&sa, a, sizeof a);
		sb_fixed(&sbb, b, sizeof b);
		endpoint(&sa, &cv->addr[0], cv->port[0]);
		endpoint(&sbb, &cv->addr[1], cv->port[1]);
		sb_reset(&sb);
		fmt_rel_time(&sb, cv->first_ts - t0, 6);
		char start[32];
		snprintf(start, sizeof start, "%s", sb.s);
		sb_reset(&sb);
		fmt_rel_time(&sb, cv->last_ts - cv->first_ts, 6);
		char dur[32];
		snprintf(dur, sizeof dur, "%s", sb.s);
		sb_reset(&sb);
		if (proto == 6) {
			sb_adds(&sb, conv_tcp_state(cv));
			sb_adds(&sb, "; ");
			conv_tcp_end(&sb, cv);
			if (cv->app != APP_NONE && cv->app != APP_UNKNOWN)
				sb_addf(&sb, "; %s", app_name(cv->app));
		}
		fprintf(out, "%-6u %-45s %-45s %9" PRIu64 " %11" PRIu64 " %9" PRIu64 " %11" PRIu64 " %12s %10s  %s\n",
		        cv->stream, a, b, cv->frames[0], cv->bytes[0], cv->frames[1], cv->bytes[1], start, dur, sb.s);
		const struct tls_conn *tc = proto == 6 ? tls_conn_get(cs, i) : NULL;
		if (tc) {
			sb_reset(&sb);
			tls_conn_describe(&sb, tc, cv);
			fprintf(out, "%6s TLS: %s\n", "", sb.s);
		}
	}
	sb_free(&sb);
	free(kc);
	fputc('\n', out);
}

void
print_conversations(FILE *out, const struct tw_timeline *tl, const uint8_t *keep)
{
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (!tl->src[s].cap)
			continue;
		table(out, tl, s, 6, keep);
		table(out, tl, s, 17, keep);
	}
}
