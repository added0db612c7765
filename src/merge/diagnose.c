/* diagnose.c - findings and per-connection root-cause summaries (see diagnose.h). */
#include "merge/diagnose.h"

#include "core/catalog.h"
#include "core/dissect/dissect.h"
#include "core/dissect/tls.h"
#include "core/field.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ------------------------------------------------------------ */

void
analysis_row_ref(struct tw_sb *sb, const struct tw_timeline *tl, uint32_t r)
{
	if (r >= tl->n) {
		sb_adds(sb, "?");
		return;
	}
	const struct tw_row *row = &tl->rows[r];
	if (tl->nsrc > 1)
		sb_addf(sb, "%c:", tl->src[row->src].letter);
	sb_addu(sb, (uint64_t)row->idx + 1);
}

static const char *
hs_name(uint8_t type)
{
	const char *n = val_to_str(type, tls_handshake_vals);
	return n ? n : "handshake message";
}

static void
add_version(struct tw_sb *sb, uint16_t v)
{
	switch (v) {
	case 0x0300: sb_adds(sb, "SSL 3.0"); break;
	case 0x0301: sb_adds(sb, "TLS 1.0"); break;
	case 0x0302: sb_adds(sb, "TLS 1.1"); break;
	case 0x0303: sb_adds(sb, "TLS 1.2"); break;
	case 0x0304: sb_adds(sb, "TLS 1.3"); break;
	case 0x0002: sb_adds(sb, "SSL 2.0"); break;
	default: sb_addf(sb, "TLS (0x%04x)", v); break;
	}
}

static void
add_endpoint(struct tw_sb *sb, const struct tw_conv *cv, int side)
{
	bool v6 = cv->addr[side].type == AT_IPV6;
	if (v6)
		sb_addc(sb, '[');
	addr_format(sb, &cv->addr[side]);
	if (v6)
		sb_addc(sb, ']');
	sb_addf(sb, ":%u", cv->port[side]);
}

static void
add_dur(struct tw_sb *sb, tw_time d)
{
	if (d < 0)
		d = -d;
	if (d < 10 * 1000000)
		sb_addf(sb, "%.2f ms", (double)d / 1e6);
	else if (d < TW_NS_PER_SEC)
		sb_addf(sb, "%.1f ms", (double)d / 1e6);
	else
		sb_addf(sb, "%.3f s", (double)d / 1e9);
}

static void
add_alert(struct tw_sb *sb, unsigned desc)
{
	const char *rfc = tls_alert_rfc_name((uint8_t)desc);
	sb_addf(sb, "%s (%u)", rfc ? rfc : "unknown", desc);
}

static tw_time
frame_time(const struct tw_timeline *tl, uint16_t src, uint32_t frame1)
{
	const struct tw_source_ref *s = &tl->src[src];
	if (!frame1 || frame1 > capture_count(s->cap))
		return 0;
	return capture_frame(s->cap, frame1 - 1)->ts + s->offset;
}

static struct tw_finding *
add_finding(struct tw_analysis *a, enum tw_sev sev, const char *cat, uint16_t src, uint32_t conv)
{
	a->f = xreallocarray(a->f, a->nf + 1, sizeof *a->f);
	struct tw_finding *f = &a->f[a->nf++];
	memset(f, 0, sizeof *f);
	f->sev = (uint8_t)sev;
	f->category = cat;
	f->src = src;
	f->conv = conv;
	return f;
}

static void
finding_row(struct tw_finding *f, uint32_t r)
{
	if (r != UINT32_MAX && f->nrows < FINDING_MAX_ROWS)
		f->rows[f->nrows++] = r;
}

static uint32_t
frame_row(const struct tw_analysis *a, uint16_t src, uint32_t frame1)
{
	return frame1 ? links_row_of(&a->links, src, frame1 - 1) : UINT32_MAX;
}

/* ---- TLS and TCP findings ---------------------------------------------- */

static void
tls_findings(struct tw_analysis *a, uint16_t s)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_convs *cs = capture_convs(tl->src[s].cap);
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t i = 0;; i++) {
		const struct tls_conn *tc = tls_conn_nth(cs, i);
		if (!tc)
			break;
		if (tc->conv >= cs->n)
			continue;
		const struct tw_conv *cv = &cs->v[tc->conv];
		sb_reset(&sb);
		bool complete = tls_handshake_complete(tc);
		/* the same connection in another capture (its frames are duplicates): reported once */
		uint32_t kf = tc->have_alert ? tc->alert_frame : TW_MAX(tc->last_hs_frame[0], tc->last_hs_frame[1]);
		uint32_t kr = frame_row(a, s, kf);
		if (kr != UINT32_MAX && links_dup_of(&a->links, kr) != UINT32_MAX)
			continue;
		if (tc->have_alert && !tc->alert_encrypted && tc->alert_desc != 0) {
			int who = tc->alert_dir;
			bool fatal = tc->alert_level == 2;
			sb_addf(&sb, "The %s (", who ? "server" : "client");
			add_endpoint(&sb, cv, who);
			sb_addf(&sb, ") sent %s alert ", fatal ? "fatal" : "warning");
			add_alert(&sb, tc->alert_desc);
			sb_addf(&sb, " to the %s (", who ? "client" : "server");
			add_endpoint(&sb, cv, !who);
			sb_adds(&sb, ")");
			if (tc->last_hs_frame[!who]) {
				tw_time d = frame_time(tl, s, tc->alert_frame) - frame_time(tl, s, tc->last_hs_frame[!who]);
				sb_adds(&sb, " ");
				add_dur(&sb, d);
				sb_addf(&sb, " after the %s's %s", who ? "client" : "server", hs_name(tc->last_hs_type[!who]));
			}
			sb_adds(&sb, ".");
			struct tw_finding *f = add_finding(a, fatal ? TW_SEV_ERROR : TW_SEV_WARN, "tls", s, tc->conv);
			finding_row(f, frame_row(a, s, tc->alert_frame));
			f->text = xstrdup(sb.s);
		} else if (!complete && !tc->have_alert && (cv->rst_frame || cv->fin_frame[0] || cv->fin_frame[1])) {
			int last = tc->last_hs_frame[1] > tc->last_hs_frame[0] ? 1 : 0;
			uint32_t endf;
			int by;
			const char *how;
			if (cv->rst_frame) {
				endf = cv->rst_frame;
				by = cv->rst_dir;
				how = "reset (RST)";
			} else {
				by = !cv->fin_frame[0] ? 1 : !cv->fin_frame[1] ? 0 : cv->fin_frame[1] < cv->fin_frame[0];
				endf = cv->fin_frame[by];
				how = "closed (FIN)";
			}
			sb_adds(&sb, "TLS handshake ");
			if (tc->sni_len) {
				sb_adds(&sb, "to ");
				sb_add_escaped(&sb, tc->sni, tc->sni_len);
				sb_adds(&sb, " ");
			}
			sb_adds(&sb, "(");
			add_endpoint(&sb, cv, 1);
			sb_addf(&sb, ") abandoned without an alert: the %s %s the connection", by ? "server" : "client", how);
			if (tc->last_hs_frame[last])
				sb_addf(&sb, " after the %s's %s", last ? "server" : "client", hs_name(tc->last_hs_type[last]));
			sb_adds(&sb, ".");
			struct tw_finding *f = add_finding(a, TW_SEV_ERROR, "tls", s, tc->conv);
			finding_row(f, frame_row(a, s, endf));
			finding_row(f, frame_row(a, s, tc->last_hs_frame[last]));
			f->text = xstrdup(sb.s);
		} else if (!complete && tc->have_alert && tc->alert_encrypted && !tc->appdata[0] && !tc->appdata[1]) {
			sb_addf(&sb, "The %s (", tc->alert_dir ? "server" : "client");
			add_endpoint(&sb, cv, tc->alert_dir);
			sb_adds(&sb, ") sent an encrypted alert before the handshake completed.");
			struct tw_finding *f = add_finding(a, TW_SEV_WARN, "tls", s, tc->conv);
			finding_row(f, frame_row(a, s, tc->alert_frame));
			f->text = xstrdup(sb.s);
		}
	}
	sb_free(&sb);
}

static void
tcp_findings(struct tw_analysis *a, uint16_t s)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_capture *cap = tl->src[s].cap;
	struct tw_convs *cs = capture_convs(cap);
	uint32_t *retr = xcalloc(cs->n ? cs->n : 1, sizeof *retr);
	uint32_t *zw = xcalloc(cs->n ? cs->n : 1, sizeof *zw);
	uint32_t *retr_first = xcalloc(cs->n ? cs->n : 1, sizeof *retr_first);
	uint32_t *zw_first = xcalloc(cs->n ? cs->n : 1, sizeof *zw_first);
	uint32_t nfr = capture_count(cap);
	for (uint32_t i = 0; i < nfr; i++) {
		const struct tw_frame *f = capture_frame(cap, i);
		if (f->conv == CONV_NONE || f->conv >= cs->n)
			continue;
		if (f->flags & FRAME_TCP_RETRANS) {
			if (!retr[f->conv]++)
				retr_first[f->conv] = i + 1;
		}
		if (f->flags & FRAME_TCP_ZEROWIN) {
			if (!zw[f->conv]++)
				zw_first[f->conv] = i + 1;
		}
	}
	struct tw_sb sb;
	sb_heap(&sb);
	for (uint32_t c = 0; c < cs->n; c++) {
		const struct tw_conv *cv = &cs->v[c];
		if (cv->proto != 6)
			continue;
		if (cv->rst_frame && links_dup_of(&a->links, frame_row(a, s, cv->rst_frame)) == UINT32_MAX) {
			sb_reset(&sb);
			sb_addf(&sb, "TCP connection %u ", cv->stream);
			add_endpoint(&sb, cv, 0);
			sb_adds(&sb, " -> ");
			add_endpoint(&sb, cv, 1);
			sb_addf(&sb, " was reset by the %s.", cv->rst_dir ? "server" : "client");
			struct tw_finding *f = add_finding(a, TW_SEV_WARN, "tcp", s, c);
			finding_row(f, frame_row(a, s, cv->rst_frame));
			f->text = xstrdup(sb.s);
		}
		if ((cv->state & CONV_SYN) && !(cv->state & CONV_SYNACK) && !(cv->state & CONV_DATA)) {
			sb_reset(&sb);
			sb_adds(&sb, "SYN from ");
			add_endpoint(&sb, cv, 0);
			sb_adds(&sb, " to ");
			add_endpoint(&sb, cv, 1);
			sb_addf(&sb, " was not answered (%llu SYN frame%s).", (unsigned long long)cv->frames[0],
			        cv->frames[0] == 1 ? "" : "s");
			struct tw_finding *f = add_finding(a, TW_SEV_WARN, "tcp", s, c);
			finding_row(f, frame_row(a, s, cv->first_frame));
			f->text = xstrdup(sb.s);
		}
		if (retr[c] >= 3) {
			sb_reset(&sb);
			sb_addf(&sb, "%u retransmissions on TCP connection %u ", retr[c], cv->stream);
			add_endpoint(&sb, cv, 0);
			sb_adds(&sb, " -> ");
			add_endpoint(&sb, cv, 1);
			sb_adds(&sb, ".");
			struct tw_finding *f = add_finding(a, TW_SEV_WARN, "tcp", s, c);
			finding_row(f, frame_row(a, s, retr_first[c]));
			f->text = xstrdup(sb.s);
		}
		if (zw[c]) {
			sb_reset(&sb);
			sb_addf(&sb, "Zero window advertised %u time%s on TCP connection %u.", zw[c], zw[c] == 1 ? "" : "s",
			        cv->stream);
			struct tw_finding *f = add_finding(a, TW_SEV_WARN, "tcp", s, c);
			finding_row(f, frame_row(a, s, zw_first[c]));
			f->text = xstrdup(sb.s);
		}
	}
	sb_free(&sb);
	free(retr);
	free(zw);
	free(retr_first);
	free(zw_first);
}

/* ---- DNS and HTTP findings (frames re-dissected: only DNS and HTTP ones) ---- */

static bool
node_u(const struct tw_node *top, const char *abbrev, uint64_t *v)
{
	const struct tw_node *n = node_find_abbrev(top, abbrev);
	if (!n)
		return false;
	*v = field_value(n);
	return true;
}

static void
node_str(struct tw_sb *sb, const struct tw_node *top, const char *abbrev)
{
	const struct tw_node *n = node_find_abbrev(top, abbrev);
	if (n && n->f && n->f->type == FT_STRING && n->v.b.p)
		sb_add_escaped(sb, n->v.b.p, n->v.b.n);
	else
		sb_adds(sb, "?");
}

static void
net_findings(struct tw_analysis *a, uint16_t s)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_capture *cap = tl->src[s].cap;
	uint32_t n = capture_count(cap);
	struct tw_tree t;
	tree_init(&t, false);
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	struct tw_sb sb;
	sb_heap(&sb);
	for (uint32_t i = 0; i < n; i++) {
		const struct tw_frame *f = capture_frame(cap, i);
		struct tw_convs *cs = capture_convs(cap);
		uint8_t app = f->conv != CONV_NONE && f->conv < cs->n ? cs->v[f->conv].app : APP_UNKNOWN;
		bool dns = f->proto == PROTO_DNS || app == APP_DNS, http = f->proto == PROTO_HTTP || app == APP_HTTP;
		if (!dns && !http)
			continue;
		capture_dissect(cap, i, &dc, &t);
		uint32_t row = links_row_of(&a->links, s, i);
		if (row != UINT32_MAX && links_dup_of(&a->links, row) != UINT32_MAX)
			continue;
		uint64_t resp, rcode, code, x;
		sb_reset(&sb);
		if (dns && node_u(t.root, "dns.flags.response", &resp)) {
			if (resp && node_u(t.root, "dns.flags.rcode", &rcode) && (rcode == 2 || rcode == 3 || rcode == 5)) {
				static const char *const rc[] = { [2] = "SERVFAIL", [3] = "NXDOMAIN", [5] = "REFUSED" };
				sb_addf(&sb, "DNS %s for ", rc[rcode]);
				node_str(&sb, t.root, "dns.qry.name");
				if (node_u(t.root, "dns.response_to", &x))
					sb_addf(&sb, " (query in frame %llu)", (unsigned long long)x);
				sb_adds(&sb, ".");
				struct tw_finding *fd = add_finding(a, rcode == 3 ? TW_SEV_WARN : TW_SEV_ERROR, "dns", s, f->conv);
				finding_row(fd, row);
				fd->text = xstrdup(sb.s);
			} else if (!resp && !node_find_abbrev(t.root, "dns.response_in") &&
			           !node_find_abbrev(t.root, "dns.retransmission")) {
				sb_adds(&sb, "DNS query for ");
				node_str(&sb, t.root, "dns.qry.name");
				sb_adds(&sb, " got no response in the capture.");
				struct tw_finding *fd = add_finding(a, TW_SEV_WARN, "dns", s, f->conv);
				finding_row(fd, row);
				fd->text = xstrdup(sb.s);
			}
		} else if (http && node_u(t.root, "http.response.code", &code) && code >= 400 &&
		           code <= 599) {
			sb_addf(&sb, "HTTP %llu", (unsigned long long)code);
			if (node_find_abbrev(t.root, "http.response_for.uri")) {
				sb_adds(&sb, " for ");
				node_str(&sb, t.root, "http.response_for.uri");
			}
			if (node_u(t.root, "http.request_in", &x))
				sb_addf(&sb, " (request in frame %llu)", (unsigned long long)x);
			sb_adds(&sb, ".");
			struct tw_finding *fd = add_finding(a, code >= 500 ? TW_SEV_ERROR : TW_SEV_WARN, "http", s, f->conv);
			finding_row(fd, row);
			fd->text = xstrdup(sb.s);
		}
	}
	sb_free(&sb);
	tree_free(&t);
}

/* ---- event findings ------------------------------------------------------ */

static void
event_label(struct tw_sb *sb, const struct tw_events *ev, const struct tw_event *e)
{
	sb_adds(sb, ev_is_schannel(ev, e) ? "Schannel" : ev_is_capi2(ev, e) ? "CAPI2" : "Event");
	sb_addf(sb, " %u", e->id);
	if (e->flags & EVF_HAS_RECORD)
		sb_addf(sb, " (record %llu", (unsigned long long)e->record_id);
	else
		sb_adds(sb, " (");
	size_t clen;
	const char *comp = events_str(ev, e->computer, &clen);
	if (comp && clen) {
		sb_adds(sb, (e->flags & EVF_HAS_RECORD) ? " on " : "on ");
		sb_add_escaped(sb, comp, clen);
	}
	sb_adds(sb, ")");
}

static void
event_what(struct tw_sb *sb, const struct tw_events *ev, const struct tw_event *e)
{
	size_t plen;
	const char *p = events_str(ev, e->provider, &plen);
	const struct cat_event *ce = p ? catalog_event(p, plen, e->id) : NULL;
	if (ce && ce->title)
		sb_adds(sb, ce->title);
	else
		sb_adds(sb, "an error was logged");
	int ac = ev_alert_code(ev, e);
	if (ac >= 0) {
		sb_adds(sb, ", alert ");
		add_alert(sb, (unsigned)ac);
	}
	/* CAPI2: the first failing result (an HRESULT named by the catalog) */
	const struct tw_ev_kv *kv = events_kv(ev, e);
	for (uint16_t i = 0; ev_is_capi2(ev, e) && i < e->nkv; i++) {
		size_t nl, vl;
		const char *nm = events_str(ev, kv[i].name, &nl);
		const char *val = events_str(ev, kv[i].value, &vl);
		if (!nm || !val || !((nl >= 12 && strncmp(nm + nl - 12, "Result@value", 12) == 0) ||
		                     (nl >= 6 && strncmp(nm + nl - 6, "@error", 6) == 0)))
			continue;
		/* CAPI2 writes these as hex without 0x ("80092010") */
		uint64_t code = 0;
		size_t j = vl > 2 && val[0] == '0' && (val[1] == 'x' || val[1] == 'X') ? 2 : 0;
		bool ok = vl > j && vl - j <= 8;
		for (; ok && j < vl; j++) {
			char ch = val[j];
			int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10 :
			        ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
			ok = d >= 0;
			code = code * 16 + (uint64_t)(d >= 0 ? d : 0);
		}
		if (!ok || code == 0)
			continue;
		const struct cat_code *cc = catalog_hresult((uint32_t)code);
		if (cc) {
			sb_addf(sb, ", result %s (0x%08X)", cc->name, (unsigned)code);
		} else {
			sb_addf(sb, ", result 0x%08X", (unsigned)code);
			/* the export's own wording, in the field without "@value" */
			char nm2[128];
			size_t l2, tlen;
			const char *txt;
			if (nl > 6 && nl - 6 < sizeof nm2 && strncmp(nm + nl - 6, "@value", 6) == 0) {
				memcpy(nm2, nm, nl - 6);
				nm2[nl - 6] = 0;
				l2 = nl - 6;
				(void)l2;
				if ((txt = events_data(ev, e, nm2, &tlen)) && tlen) {
					sb_adds(sb, " (");
					sb_add_escaped(sb, txt, tlen);
					sb_adds(sb, ")");
				}
			}
		}
		break;
	}
	size_t tl;
	const char *tn = ev_target_name(ev, e, &tl);
	if (tn) {
		sb_adds(sb, ", target ");
		sb_add_escaped(sb, tn, tl);
	}
}

/* Is t within some capture's first..last frame time (widened by 2 s)? */
static bool
in_capture_span(const struct tw_timeline *tl, tw_time t)
{
	for (size_t s = 0; s < tl->nsrc; s++) {
		const struct tw_source_ref *sr = &tl->src[s];
		uint32_t n = sr->kind == ROW_FRAME ? capture_count(sr->cap) : 0;
		if (!n)
			continue;
		tw_time lo = capture_frame(sr->cap, 0)->ts, hi = lo;
		for (uint32_t i = 0; i < n; i++) {
			tw_time ft = capture_frame(sr->cap, i)->ts;
			lo = TW_MIN(lo, ft);
			hi = TW_MAX(hi, ft);
		}
		if (t >= lo + sr->offset - 2 * TW_NS_PER_SEC && t <= hi + sr->offset + 2 * TW_NS_PER_SEC)
			return true;
	}
	return false;
}

static void
event_findings(struct tw_analysis *a)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_sb sb;
	sb_heap(&sb);
	for (uint32_t r = 0; r < tl->n; r++) {
		const struct tw_row *row = &tl->rows[r];
		if (row->kind != ROW_EVENT)
			continue;
		const struct tw_events *ev = tl->src[row->src].ev;
		const struct tw_event *e = events_get(ev, row->idx);
		if (!ev_is_schannel(ev, e) && !ev_is_capi2(ev, e))
			continue;
		enum tw_sev sev;
		if (e->level == EV_LEVEL_ERROR || e->level == EV_LEVEL_CRITICAL)
			sev = TW_SEV_ERROR;
		else if (e->level == EV_LEVEL_WARNING)
			sev = TW_SEV_WARN;
		else
			continue;
		sb_reset(&sb);
		event_label(&sb, ev, e);
		sb_adds(&sb, ": ");
		event_what(&sb, ev, e);
		const struct tw_link *l = links_of_event(&a->links, r);
		if (!l) /* CAPI2: linked by content */
			for (size_t k = 0; k < a->links.n && !l; k++)
				if (a->links.v[k].a == r && a->links.v[k].kind == LINK_CONTENT)
					l = &a->links.v[k];
		bool outside = !l && !in_capture_span(tl, timeline_row_time(tl, row));
		if (outside)
			sev = TW_SEV_NOTE;
		if (l) {
			sb_adds(&sb, "; linked to frame ");
			analysis_row_ref(&sb, tl, l->b);
			sb_addf(&sb, " (confidence %u: %s)", l->confidence, l->reason);
		} else if (outside) {
			sb_adds(&sb, "; outside the captures' time span");
		} else {
			sb_adds(&sb, "; no matching handshake in the captures");
		}
		sb_adds(&sb, ".");
		struct tw_finding *f = add_finding(a, sev, "event", l ? l->src_b : UINT16_MAX, l ? l->conv : CONV_NONE);
		finding_row(f, r);
		if (l)
			finding_row(f, l->b);
		f->text = xstrdup(sb.s);
	}
	sb_free(&sb);
}

void
diagnose_add_cert_finding(struct tw_analysis *a, uint32_t row, uint16_t src, uint32_t conv, enum tw_sev sev,
                          const char *text)
{
	struct tw_finding *f = add_finding(a, sev, "certificate", src, conv);
	finding_row(f, row);
	f->text = xstrdup(text);
}

/* ---- summaries ------------------------------------------------------------ */

static bool
conn_failed(const struct tls_conn *tc, const struct tw_conv *cv)
{
	if (tls_handshake_complete(tc))
		return false;
	if (tc->have_alert && tc->alert_level == 2 && !tc->alert_encrypted)
		return true;
	return cv->rst_frame || cv->fin_frame[0] || cv->fin_frame[1] || (tc->have_alert && tc->alert_encrypted);
}

static void
summarize_conn(struct tw_analysis *a, uint16_t s, const struct tls_conn *tc, const struct tw_conv *cv)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_summary sm;
	memset(&sm, 0, sizeof sm);
	sm.src = s;
	sm.conv = tc->conv;
	struct tw_sb sb;
	sb_heap(&sb);
	if (tc->version)
		add_version(&sb, tc->version);
	else
		sb_adds(&sb, "TLS");
	sb_adds(&sb, " handshake ");
	if (tc->sni_len) {
		sb_adds(&sb, "to ");
		sb_add_escaped(&sb, tc->sni, tc->sni_len);
		sb_adds(&sb, " ");
	}
	sb_adds(&sb, "(");
	add_endpoint(&sb, cv, 1);
	sb_addf(&sb, ", tcp.stream %u", cv->stream);
	if (tl->nsrc > 1)
		sb_addf(&sb, " in %c", tl->src[s].letter);
	sb_adds(&sb, ") failed: ");
	if (tc->have_alert && !tc->alert_encrypted) {
		int who = tc->alert_dir;
		sb_addf(&sb, "the %s sent %s alert ", who ? "server" : "client", tc->alert_level == 2 ? "fatal" : "warning");
		add_alert(&sb, tc->alert_desc);
		uint32_t ar = frame_row(a, s, tc->alert_frame);
		if (tc->last_hs_frame[!who]) {
			tw_time d = frame_time(tl, s, tc->alert_frame) - frame_time(tl, s, tc->last_hs_frame[!who]);
			sb_adds(&sb, " ");
			add_dur(&sb, d);
			sb_addf(&sb, " after the %s's %s", who ? "client" : "server", hs_name(tc->last_hs_type[!who]));
		}
		sb_adds(&sb, " (frame ");
		analysis_row_ref(&sb, tl, ar);
		sb_adds(&sb, ")");
		if (sm.nrows < 8 && ar != UINT32_MAX)
			sm.rows[sm.nrows++] = ar;
		if (tc->alert_desc == 70 && tc->ch_max_version) {
			sb_adds(&sb, "; the client offered at most ");
			add_version(&sb, tc->ch_max_version);
		}
		if (cv->rst_frame)
			sb_addf(&sb, ", then the %s reset the connection", cv->rst_dir ? "server" : "client");
	} else if (tc->have_alert) {
		sb_addf(&sb, "the %s sent an encrypted alert (frame ", tc->alert_dir ? "server" : "client");
		analysis_row_ref(&sb, tl, frame_row(a, s, tc->alert_frame));
		sb_adds(&sb, ")");
	} else {
		int last = tc->last_hs_frame[1] > tc->last_hs_frame[0] ? 1 : 0;
		uint32_t endf;
		if (cv->rst_frame) {
			endf = cv->rst_frame;
			sb_addf(&sb, "the %s reset the connection without an alert", cv->rst_dir ? "server" : "client");
		} else {
			int by = !cv->fin_frame[0] ? 1 : !cv->fin_frame[1] ? 0 : cv->fin_frame[1] < cv->fin_frame[0];
			endf = cv->fin_frame[by];
			sb_addf(&sb, "the %s closed the connection (FIN) without an alert", by ? "server" : "client");
		}
		if (tc->last_hs_frame[last])
			sb_addf(&sb, " after the %s's %s", last ? "server" : "client", hs_name(tc->last_hs_type[last]));
		sb_adds(&sb, " (frame ");
		uint32_t er = frame_row(a, s, endf);
		analysis_row_ref(&sb, tl, er);
		sb_adds(&sb, ")");
		if (sm.nrows < 8 && er != UINT32_MAX)
			sm.rows[sm.nrows++] = er;
	}
	/* certificate findings of this connection: its errors, else its warnings */
	bool cert_err = false;
	for (size_t i = 0; i < a->nf; i++)
		cert_err |= !strcmp(a->f[i].category, "certificate") && a->f[i].src == s && a->f[i].conv == tc->conv &&
		            a->f[i].sev == TW_SEV_ERROR;
	for (size_t i = 0; i < a->nf; i++) {
		const struct tw_finding *f = &a->f[i];
		if (strcmp(f->category, "certificate") || f->src != s || f->conv != tc->conv ||
		    (cert_err && f->sev != TW_SEV_ERROR))
			continue;
		sb_adds(&sb, "; ");
		size_t n = strlen(f->text);
		/* a sentence continued: "Certificate 2 ..." -> "certificate 2 ..." */
		if (n > 1 && f->text[0] >= 'A' && f->text[0] <= 'Z' && f->text[1] >= 'a' && f->text[1] <= 'z') {
			sb_addc(&sb, (char)(f->text[0] - 'A' + 'a'));
			sb_addn(&sb, f->text + 1, f->text[n - 1] == '.' ? n - 2 : n - 1);
		} else {
			sb_addn(&sb, f->text, n && f->text[n - 1] == '.' ? n - 1 : n);
		}
		if (f->nrows && sm.nrows < 8)
			sm.rows[sm.nrows++] = f->rows[0];
	}
	/* corroborating events */
	size_t nev = 0;
	for (size_t i = 0; i < a->links.n; i++) {
		const struct tw_link *l = &a->links.v[i];
		if (l->kind != LINK_HANDSHAKE || l->src_b != s || l->conv != tc->conv)
			continue;
		const struct tw_row *er = &tl->rows[l->a];
		const struct tw_events *ev = tl->src[er->src].ev;
		const struct tw_event *e = events_get(ev, er->idx);
		if (e->id == 36880)
			continue;
		sb_adds(&sb, nev ? "; and " : "; ");
		event_label(&sb, ev, e);
		sb_adds(&sb, ", logged ");
		tw_time d = timeline_row_time(tl, er) - timeline_row_time(tl, &tl->rows[l->b]);
		add_dur(&sb, d);
		sb_addf(&sb, " %s frame ", d < 0 ? "before" : "after");
		analysis_row_ref(&sb, tl, l->b);
		sb_adds(&sb, " as event ");
		analysis_row_ref(&sb, tl, l->a);
		sb_adds(&sb, " (");
		event_what(&sb, ev, e);
		sb_addf(&sb, "; confidence %u", l->confidence);
		if (l->candidates > 1)
			sb_addf(&sb, ", %u candidate handshakes", l->candidates);
		sb_adds(&sb, ")");
		nev++;
		if (sm.nrows < 8)
			sm.rows[sm.nrows++] = l->a;
	}
	if (nev)
		sb_adds(&sb, nev == 1 ? " corroborates" : " corroborate");
	else
		sb_adds(&sb, "; no Schannel event was linked to it");
	/* CAPI2 errors linked by content (URL, certificate, server name) to this connection */
	size_t ncapi = 0;
	uint32_t last = UINT32_MAX;
	struct tw_sb ids, refs;
	sb_heap(&ids);
	sb_heap(&refs);
	for (size_t i = 0; i < a->links.n; i++) {
		const struct tw_link *l = &a->links.v[i];
		if (l->kind != LINK_CONTENT || l->src_b != s || l->conv != tc->conv || l->a == last)
			continue;
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++)
			seen = a->links.v[j].kind == LINK_CONTENT && a->links.v[j].a == l->a && a->links.v[j].src_b == s &&
			       a->links.v[j].conv == tc->conv;
		const struct tw_row *er = &tl->rows[l->a];
		const struct tw_event *e = events_get(tl->src[er->src].ev, er->idx);
		if (seen || (e->level != EV_LEVEL_ERROR && e->level != EV_LEVEL_CRITICAL))
			continue;
		last = l->a;
		sb_addf(&ids, "%s%u", ncapi ? ", " : "", e->id);
		if (ncapi)
			sb_adds(&refs, ", ");
		analysis_row_ref(&refs, tl, l->a);
		if (sm.nrows < 8)
			sm.rows[sm.nrows++] = l->a;
		ncapi++;
	}
	if (ncapi)
		sb_addf(&sb, "; CAPI2 error event%s %s (%s) concern%s its certificates or server name", ncapi == 1 ? "" : "s",
		        ids.s, refs.s, ncapi == 1 ? "s" : "");
	sb_free(&ids);
	sb_free(&refs);
	sb_adds(&sb, ".");
	sm.text = sb.s;
	a->sum = xreallocarray(a->sum, a->nsum + 1, sizeof *a->sum);
	a->sum[a->nsum++] = sm;
}

void
analysis_summarize(struct tw_analysis *a)
{
	for (size_t i = 0; i < a->nsum; i++)
		free(a->sum[i].text);
	free(a->sum);
	a->sum = NULL;
	a->nsum = 0;
	const struct tw_timeline *tl = a->tl;
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (tl->src[s].kind != ROW_FRAME)
			continue;
		struct tw_convs *cs = capture_convs(tl->src[s].cap);
		for (size_t i = 0;; i++) {
			const struct tls_conn *tc = tls_conn_nth(cs, i);
			if (!tc)
				break;
			if (tc->conv >= cs->n || !conn_failed(tc, &cs->v[tc->conv]))
				continue;
			/* The same connection captured on the other side: note it on the first summary. */
			struct tw_summary *dup = NULL;
			for (size_t k = 0; k < a->nsum && !dup; k++) {
				struct tw_convs *ocs = capture_convs(tl->src[a->sum[k].src].cap);
				if (a->sum[k].src != s && convs_same_connection(&ocs->v[a->sum[k].conv], &cs->v[tc->conv]))
					dup = &a->sum[k];
			}
			if (dup) {
				struct tw_sb sb;
				sb_heap(&sb);
				sb_adds(&sb, dup->text);
				if (sb.len && sb.s[sb.len - 1] == '.')
					sb_truncate(&sb, sb.len - 1);
				sb_addf(&sb, "; the same connection is in %c as tcp.stream %u", tl->src[s].letter,
				        cs->v[tc->conv].stream);
				if (tc->have_alert && tc->alert_frame) {
					sb_adds(&sb, " (alert in frame ");
					analysis_row_ref(&sb, tl, frame_row(a, (uint16_t)s, tc->alert_frame));
					sb_adds(&sb, ")");
				}
				sb_adds(&sb, ".");
				free(dup->text);
				dup->text = sb.s;
				continue;
			}
			summarize_conn(a, (uint16_t)s, tc, &cs->v[tc->conv]);
		}
	}
}

/* ---- analysis ---------------------------------------------------------------- */

struct tw_analysis *
analyze(const struct tw_timeline *tl, const struct analyze_opts *o)
{
	struct tw_analysis *a = xcalloc(1, sizeof *a);
	a->tl = tl;
	correlate(&a->links, tl, o);
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (tl->src[s].kind != ROW_FRAME)
			continue;
		tls_findings(a, (uint16_t)s);
		tcp_findings(a, (uint16_t)s);
		net_findings(a, (uint16_t)s);
	}
	event_findings(a);
	analysis_summarize(a);
	return a;
}

void
analysis_free(struct tw_analysis *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nf; i++)
		free(a->f[i].text);
	free(a->f);
	for (size_t i = 0; i < a->nsum; i++)
		free(a->sum[i].text);
	free(a->sum);
	links_free(&a->links);
	free(a);
}

/* Per capture source, a bitmap of the conversations with a kept frame. */
static uint8_t **
kept_convs(const struct tw_timeline *tl, const uint8_t *keep)
{
	uint8_t **m = xcalloc(tl->nsrc ? tl->nsrc : 1, sizeof *m);
	for (size_t s = 0; s < tl->nsrc; s++)
		if (tl->src[s].kind == ROW_FRAME)
			m[s] = xcalloc(capture_convs(tl->src[s].cap)->n / 8 + 1, 1);
	for (size_t k = 0; k < tl->n; k++) {
		const struct tw_row *r = &tl->rows[k];
		if (!keep[k] || r->kind != ROW_FRAME)
			continue;
		uint32_t conv = capture_frame(tl->src[r->src].cap, r->idx)->conv;
		if (conv != CONV_NONE && conv < capture_convs(tl->src[r->src].cap)->n)
			m[r->src][conv / 8] |= (uint8_t)(1u << (conv % 8));
	}
	return m;
}

static bool
conv_kept(const struct tw_timeline *tl, uint8_t *const *m, size_t src, uint32_t conv)
{
	return src < tl->nsrc && m[src] && conv != CONV_NONE && conv < capture_convs(tl->src[src].cap)->n &&
	       (m[src][conv / 8] & (1u << (conv % 8)));
}

void
analysis_restrict(struct tw_analysis *a, const uint8_t *keep)
{
	const struct tw_timeline *tl = a->tl;
	uint8_t **m = kept_convs(tl, keep);
	size_t n = 0;
	for (size_t i = 0; i < a->nf; i++) {
		struct tw_finding *f = &a->f[i];
		bool k = f->src != UINT16_MAX && conv_kept(tl, m, f->src, f->conv);
		for (size_t j = 0; j < f->nrows && !k; j++)
			k = f->rows[j] < tl->n && keep[f->rows[j]];
		if (k)
			a->f[n++] = *f;
		else
			free(f->text);
	}
	a->nf = n;
	n = 0;
	for (size_t i = 0; i < a->nsum; i++) {
		struct tw_summary *sm = &a->sum[i];
		bool k = conv_kept(tl, m, sm->src, sm->conv);
		for (size_t j = 0; j < sm->nrows && !k; j++)
			k = sm->rows[j] < tl->n && keep[sm->rows[j]];
		if (k)
			a->sum[n++] = *sm;
		else
			free(sm->text);
	}
	a->nsum = n;
	n = 0;
	for (size_t i = 0; i < a->links.n; i++) {
		const struct tw_link *l = &a->links.v[i];
		bool k = (l->a < tl->n && keep[l->a]) || (l->b < tl->n && keep[l->b]) || conv_kept(tl, m, l->src_b, l->conv);
		if (k)
			a->links.v[n++] = *l;
	}
	a->links.n = n;
	for (size_t s = 0; s < tl->nsrc; s++)
		free(m[s]);
	free(m);
}

const struct tw_finding *
analysis_findings_of_row(const struct tw_analysis *a, uint32_t r, size_t i)
{
	for (size_t k = 0; k < a->nf; k++)
		for (size_t j = 0; j < a->f[k].nrows; j++)
			if (a->f[k].rows[j] == r) {
				if (i-- == 0)
					return &a->f[k];
				break;
			}
	return NULL;
}

size_t
analysis_errors(const struct tw_analysis *a)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nf; i++)
		n += a->f[i].sev == TW_SEV_ERROR;
	return n;
}

/* ---- reports ------------------------------------------------------------------ */

static size_t
count_sev(const struct tw_analysis *a, enum tw_sev s)
{
	size_t n = 0;
	for (size_t i = 0; i < a->nf; i++)
		n += a->f[i].sev == s;
	return n;
}

static void
rows_text(struct tw_sb *sb, const struct tw_analysis *a, const uint32_t *rows, size_t n)
{
	for (size_t j = 0; j < n; j++) {
		if (j)
			sb_addc(sb, ',');
		analysis_row_ref(sb, a->tl, rows[j]);
	}
}

void
diagnose_report_text(FILE *out, const struct tw_analysis *a)
{
	const struct tw_timeline *tl = a->tl;
	size_t ne = count_sev(a, TW_SEV_ERROR), nw = count_sev(a, TW_SEV_WARN), nn = count_sev(a, TW_SEV_NOTE);
	fprintf(out, "%zu error%s, %zu warning%s, %zu note%s; %zu event%s linked to a handshake; %zu failed TLS connection%s\n",
	        ne, ne == 1 ? "" : "s", nw, nw == 1 ? "" : "s", nn, nn == 1 ? "" : "s", a->links.n,
	        a->links.n == 1 ? "" : "s", a->nsum, a->nsum == 1 ? "" : "s");
	if (tl->nsrc > 1) {
		for (size_t s = 0; s < tl->nsrc; s++) {
			const char *nm = timeline_source_name(tl, s);
			char *safe = tw_escape_dup(nm, strlen(nm));
			fprintf(out, "  %c = %s\n", tl->src[s].letter, safe);
			free(safe);
		}
	}
	struct tw_sb sb;
	sb_heap(&sb);
	static const enum tw_sev order[] = { TW_SEV_ERROR, TW_SEV_WARN, TW_SEV_NOTE };
	if (a->links.ndup)
		fprintf(out, "%zu frame%s of another capture's frames (marked [dup of ...] in the rows)\n",
		        a->links.ndup, a->links.ndup == 1 ? " is a duplicate" : "s are duplicates");
	if (a->nf)
		fputs("\nFindings\n", out);
	for (size_t k = 0; k < ARRAY_SIZE(order); k++) {
		for (size_t i = 0; i < a->nf; i++) {
			const struct tw_finding *f = &a->f[i];
			if (f->sev != order[k])
				continue;
			sb_reset(&sb);
			rows_text(&sb, a, f->rows, f->nrows);
			fprintf(out, "  %-7s %-11s %-9s %s\n", tw_sev_name(f->sev), f->category, sb.s, f->text);
		}
	}
	if (a->nsum)
		fputs("\nFailed connections\n", out);
	for (size_t i = 0; i < a->nsum; i++)
		fprintf(out, "\n  %s\n", a->sum[i].text);
	sb_free(&sb);
}

static json_t *
rows_json(const struct tw_analysis *a, const uint32_t *rows, size_t n)
{
	json_t *arr = json_array();
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t j = 0; j < n; j++) {
		sb_reset(&sb);
		analysis_row_ref(&sb, a->tl, rows[j]);
		json_array_append_new(arr, json_string(sb.s));
	}
	sb_free(&sb);
	return arr;
}

void
diagnose_report_json(FILE *out, const struct tw_analysis *a)
{
	const struct tw_timeline *tl = a->tl;
	json_t *root = json_object();
	json_t *srcs = json_array();
	for (size_t s = 0; s < tl->nsrc; s++) {
		const char *nm = timeline_source_name(tl, s);
		char *safe = tw_escape_dup(nm, strlen(nm));
		char letter[2] = { tl->src[s].letter, 0 };
		json_array_append_new(srcs, json_pack("{s:s,s:s,s:s}", "letter", letter, "name", safe, "kind",
		                                      tl->src[s].kind == ROW_EVENT ? "events" : "capture"));
		free(safe);
	}
	json_object_set_new(root, "sources", srcs);
	json_object_set_new(root, "errors", json_integer((json_int_t)count_sev(a, TW_SEV_ERROR)));
	json_object_set_new(root, "warnings", json_integer((json_int_t)count_sev(a, TW_SEV_WARN)));
	json_t *fa = json_array();
	for (size_t i = 0; i < a->nf; i++) {
		const struct tw_finding *f = &a->f[i];
		json_array_append_new(fa, json_pack("{s:s,s:s,s:o,s:s}", "severity", tw_sev_name(f->sev), "category",
		                                    f->category, "rows", rows_json(a, f->rows, f->nrows), "text", f->text));
	}
	json_object_set_new(root, "findings", fa);
	json_t *la = json_array();
	for (size_t i = 0; i < a->links.n; i++) {
		const struct tw_link *l = &a->links.v[i];
		const struct tw_row *er = &tl->rows[l->a];
		const struct tw_event *e = events_get(tl->src[er->src].ev, er->idx);
		const struct tw_conv *cv = &capture_convs(tl->src[l->src_b].cap)->v[l->conv];
		json_t *o = json_object();
		json_object_set_new(o, "event", rows_json(a, &l->a, 1));
		json_object_set_new(o, "event_id", json_integer(e->id));
		if (e->flags & EVF_HAS_RECORD)
			json_object_set_new(o, "record_id", json_integer((json_int_t)e->record_id));
		json_object_set_new(o, "kind", json_string(l->kind == LINK_PROCESS ? "process" : l->kind == LINK_CONTENT ? "content" : "handshake"));
		json_object_set_new(o, "frame", rows_json(a, &l->b, 1));
		json_object_set_new(o, cv->proto == 17 ? "udp_stream" : "tcp_stream", json_integer(cv->stream));
		if (l->kind == LINK_PROCESS) {
			if (l->image) {
				char *im = tw_escape_dup(l->image, l->image_len);
				json_object_set_new(o, "image", json_string(im));
				free(im);
			}
			if (l->have_pid)
				json_object_set_new(o, "pid", json_integer(l->pid));
		}
		json_object_set_new(o, "confidence", json_integer(l->confidence));
		json_object_set_new(o, "candidates", json_integer(l->candidates));
		json_object_set_new(o, "reason", json_string(l->reason));
		json_array_append_new(la, o);
	}
	json_object_set_new(root, "links", la);
	json_t *sa = json_array();
	for (size_t i = 0; i < a->nsum; i++) {
		const struct tw_summary *sm = &a->sum[i];
		const struct tw_conv *cv = &capture_convs(tl->src[sm->src].cap)->v[sm->conv];
		json_array_append_new(sa, json_pack("{s:i,s:o,s:s}", "tcp_stream", (json_int_t)cv->stream, "rows",
		                                    rows_json(a, sm->rows, sm->nrows), "text", sm->text));
	}
	json_object_set_new(root, "summaries", sa);
	char *s = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
	if (s) {
		fputs(s, out);
		fputc('\n', out);
		free(s);
	}
	json_decref(root);
}
