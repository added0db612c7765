/* correlate.c - Schannel events <-> TLS handshakes (see correlate.h). */
#include "merge/correlate.h"

#include "core/dissect/tls.h"
#include "core/field.h"

#include <arpa/inet.h>
#include <openssl/evp.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool parse_u32(const char *v, size_t n, uint32_t max, uint32_t *out);

void
analyze_opts_init(struct analyze_opts *o)
{
	o->window = 2 * TW_NS_PER_SEC;
	o->min_score = 40;
	o->proc_window = 5 * TW_NS_PER_SEC;
	o->dup_window = 100 * 1000000;
}

static bool
provider_is(const struct tw_events *ev, const struct tw_event *e, const char *name)
{
	size_t len;
	const char *p = events_str(ev, e->provider, &len);
	if (!p)
		return false;
	size_t nl = strlen(name);
	if (len == nl && strncasecmp(p, name, nl) == 0)
		return true;
	/* "Microsoft-Windows-Schannel", "Microsoft-Windows-CAPI2" */
	return len > nl && strncasecmp(p + len - nl, name, nl) == 0 && p[len - nl - 1] == '-';
}

bool
ev_is_schannel(const struct tw_events *ev, const struct tw_event *e)
{
	return provider_is(ev, e, "Schannel");
}

bool
ev_is_capi2(const struct tw_events *ev, const struct tw_event *e)
{
	return provider_is(ev, e, "CAPI2");
}

int
ev_alert_code(const struct tw_events *ev, const struct tw_event *e)
{
	size_t len;
	const char *v = events_data(ev, e, "AlertDesc", &len);
	if (!v || len == 0 || len > 5)
		return -1;
	int n = 0;
	for (size_t i = 0; i < len; i++) {
		if (!isdigit((unsigned char)v[i]))
			return -1;
		n = n * 10 + (v[i] - '0');
	}
	return n <= 255 ? n : -1;
}

const char *
ev_target_name(const struct tw_events *ev, const struct tw_event *e, size_t *len)
{
	const char *v = events_data(ev, e, "TargetName", len);
	if (!v || !*len)
		v = e->id == 36884 ? events_data(ev, e, "Name", len) : NULL;
	if (!v || !*len)
		return NULL;
	/* Trim blanks some exports keep. */
	while (*len && (v[0] == ' ' || v[0] == '\t')) {
		v++;
		(*len)--;
	}
	while (*len && (v[*len - 1] == ' ' || v[*len - 1] == '\t'))
		(*len)--;
	return *len ? v : NULL;
}

bool
parse_offset(const char *s, tw_time *out)
{
	if (!s || !*s)
		return false;
	int sign = 1;
	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return false;
	/* integer and fraction as exact decimal, at most 9 fraction digits kept */
	int64_t ip = 0, frac = 0, fscale = 1;
	while (isdigit((unsigned char)*s)) {
		if (ip > INT64_C(100000000000))
			return false;
		ip = ip * 10 + (*s++ - '0');
	}
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return false;
		while (isdigit((unsigned char)*s)) {
			if (fscale < INT64_C(1000000000)) {
				frac = frac * 10 + (*s - '0');
				fscale *= 10;
			}
			s++;
		}
	}
	int64_t unit;
	if (!*s || strcmp(s, "s") == 0)
		unit = TW_NS_PER_SEC;
	else if (strcmp(s, "ms") == 0)
		unit = 1000000;
	else if (strcmp(s, "us") == 0)
		unit = 1000;
	else if (strcmp(s, "ns") == 0)
		unit = 1;
	else if (strcmp(s, "m") == 0 || strcmp(s, "min") == 0)
		unit = 60 * TW_NS_PER_SEC;
	else if (strcmp(s, "h") == 0)
		unit = 3600 * TW_NS_PER_SEC;
	else
		return false;
	/* at most 7 days */
	if (ip > 7 * 86400 * TW_NS_PER_SEC / unit)
		return false;
	*out = sign * (ip * unit + frac * unit / fscale);
	return true;
}

uint32_t
links_row_of(const struct tw_links *ls, size_t src, uint32_t idx)
{
	if (src >= ls->nsrc || !ls->rowof[src])
		return UINT32_MAX;
	return ls->rowof[src][idx];
}

static void
build_rowof(struct tw_links *ls, const struct tw_timeline *tl)
{
	ls->nsrc = tl->nsrc;
	ls->rowof = xcalloc(tl->nsrc ? tl->nsrc : 1, sizeof *ls->rowof);
	for (size_t s = 0; s < tl->nsrc; s++) {
		const struct tw_source_ref *r = &tl->src[s];
		uint32_t n = r->kind == ROW_EVENT ? events_count(r->ev) : capture_count(r->cap);
		ls->rowof[s] = xmalloc((n ? n : 1) * sizeof **ls->rowof);
		memset(ls->rowof[s], 0xff, (n ? n : 1) * sizeof **ls->rowof);
	}
	for (size_t i = 0; i < tl->n; i++)
		ls->rowof[tl->rows[i].src][tl->rows[i].idx] = (uint32_t)i;
}

/* The connection's deciding frame (1-based): alert, else last handshake message, else ClientHello. */
static uint32_t
key_frame(const struct tls_conn *tc)
{
	if (tc->have_alert && tc->alert_frame)
		return tc->alert_frame;
	uint32_t f = TW_MAX(tc->last_hs_frame[0], tc->last_hs_frame[1]);
	return f ? f : tc->ch_frame;
}

static void
fmt_ms(struct tw_sb *sb, tw_time d)
{
	const char *sign = d < 0 ? "-" : "+";
	if (d < 0)
		d = -d;
	if (d < 10 * 1000000)
		sb_addf(sb, "%s%.2f ms", sign, (double)d / 1e6);
	else
		sb_addf(sb, "%s%.3f s", sign, (double)d / 1e9);
}

struct cand {
	int score;
	uint16_t src;
	uint32_t conv;
	uint32_t frame; /* 1-based key frame */
	char reason[200];
};

static bool
is_failure_event(const struct tw_event *e)
{
	return e->id != 36880 && (e->level == EV_LEVEL_ERROR || e->level == EV_LEVEL_WARNING ||
	                          e->level == EV_LEVEL_CRITICAL);
}

/* Does a process link say that caller pid on the event's computer owned connection (s, conv)? */
static bool
caller_owns(const struct tw_links *ls, const struct tw_timeline *tl, const struct tw_events *ev,
            const struct tw_event *e, uint32_t pid, uint16_t s, uint32_t conv)
{
	size_t hl;
	const char *host = events_str(ev, e->computer, &hl);
	for (size_t k = 0; k < ls->n; k++) {
		const struct tw_link *l = &ls->v[k];
		if (l->kind != LINK_PROCESS || l->src_b != s || l->conv != conv || !l->have_pid || l->pid != pid)
			continue;
		const struct tw_row *pr = &tl->rows[l->a];
		const struct tw_events *pev = tl->src[pr->src].ev;
		size_t pl;
		const char *ph = events_str(pev, events_get(pev, pr->idx)->computer, &pl);
		if (!host || !ph || (pl == hl && strncasecmp(ph, host, hl) == 0))
			return true;
	}
	return false;
}

static void
score_conn(const struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o,
           const struct tw_events *ev, const struct tw_event *e, tw_time te, uint16_t s, const struct tls_conn *tc,
           struct cand *c)
{
	const struct tw_source_ref *sr = &tl->src[s];
	struct tw_capture *cap = sr->cap;
	struct tw_convs *cs = capture_convs(cap);
	const struct tw_conv *cv = tc->conv < cs->n ? &cs->v[tc->conv] : NULL;
	uint32_t kf = key_frame(tc);
	c->score = -1000;
	if (!kf || kf > capture_count(cap))
		return;
	tw_time tk = capture_frame(cap, kf - 1)->ts + sr->offset;
	tw_time d = te - tk;
	tw_time ad = d < 0 ? -d : d;
	if (ad > o->window)
		return;
	struct tw_sb sb;
	sb_fixed(&sb, c->reason, sizeof c->reason);
	int score = (int)(30 - 30 * ad / (o->window ? o->window : 1));
	if (ad < 10 * 1000000)
		score += 10;
	sb_addf(&sb, "%c:%u ", sr->letter, kf);
	fmt_ms(&sb, d);
	int ac = ev_alert_code(ev, e);
	bool host_client;
	size_t tnl = 0;
	const char *tn = ev_target_name(ev, e, &tnl);
	host_client = tn != NULL;
	if (ac >= 0) {
		if (tc->have_alert && !tc->alert_encrypted && tc->alert_desc == ac) {
			score += 40;
			sb_addf(&sb, ", alert %d on the wire", ac);
			if (e->id == 36888 || e->id == 36887) {
				/* 36888: the logging host sent it; 36887: it received it */
				int host_side = host_client ? 0 : 1;
				int sender = e->id == 36888 ? host_side : !host_side;
				if (tc->alert_dir == sender) {
					score += 10;
					sb_addf(&sb, " %s by the %s", e->id == 36888 ? "sent" : "received",
					        host_client ? "client" : "server");
				} else {
					score -= 20;
					sb_adds(&sb, " (other direction)");
				}
			}
		} else if (tc->have_alert && tc->alert_encrypted) {
			score += 5;
			sb_adds(&sb, ", encrypted alert");
		} else if (tc->have_alert) {
			score -= 40;
			sb_addf(&sb, ", alert %u on the wire, not %d", tc->alert_desc, ac);
		} else {
			score -= 30;
			sb_adds(&sb, ", no alert on the wire");
		}
	}
	if (tn && tc->sni_len) {
		if (tnl == tc->sni_len && strncasecmp(tn, tc->sni, tnl) == 0) {
			score += 30;
			sb_adds(&sb, ", target name = SNI ");
			sb_add_escaped(&sb, tc->sni, tc->sni_len);
		} else {
			score -= 60;
			sb_adds(&sb, ", target name differs from SNI");
		}
	}
	size_t pl;
	const char *pv = events_data(ev, e, "CallerProcessId", &pl);
	uint32_t caller;
	if (pv && parse_u32(pv, pl, UINT32_MAX, &caller) && caller_owns(ls, tl, ev, e, caller, s, tc->conv)) {
		score += 15;
		sb_addf(&sb, ", caller PID %u owns the connection", caller);
	}
	bool complete = tls_handshake_complete(tc);
	if (e->id == 36880) {
		score += complete ? 20 : -40;
		sb_adds(&sb, complete ? ", handshake complete" : ", handshake did not complete");
	} else if (is_failure_event(e)) {
		if (complete && !(tc->have_alert && tc->alert_level == 2)) {
			score -= 30;
			sb_adds(&sb, ", but the handshake completed");
		} else {
			score += 10;
			if (!tc->have_alert && cv && cv->rst_frame)
				sb_adds(&sb, ", handshake ended by RST");
			else if (!tc->have_alert && cv && (cv->fin_frame[0] || cv->fin_frame[1]))
				sb_adds(&sb, ", handshake abandoned with FIN");
			else
				sb_adds(&sb, ", handshake failed");
		}
	}
	c->score = score;
	c->src = s;
	c->conv = tc->conv;
	c->frame = kf;
}

static const struct tw_conv *
cand_conv(const struct tw_timeline *tl, const struct cand *c)
{
	struct tw_convs *cs = capture_convs(tl->src[c->src].cap);
	return c->conv < cs->n ? &cs->v[c->conv] : NULL;
}

static bool
conv_same_tuple(const struct tw_timeline *tl, const struct cand *x, const struct cand *y)
{
	return convs_same_connection(cand_conv(tl, x), cand_conv(tl, y));
}

bool
convs_same_connection(const struct tw_conv *a, const struct tw_conv *b)
{
	if (!a || !b || a->proto != b->proto)
		return false;
	for (int d = 0; d < 2; d++)
		if (addr_eq(&a->addr[0], &b->addr[d]) && addr_eq(&a->addr[1], &b->addr[!d]) &&
		    a->port[0] == b->port[d] && a->port[1] == b->port[!d])
			return true;
	return false;
}

static void
link_event(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o, uint32_t row)
{
	const struct tw_row *r = &tl->rows[row];
	const struct tw_events *ev = tl->src[r->src].ev;
	const struct tw_event *e = events_get(ev, r->idx);
	if (!ev_is_schannel(ev, e))
		return;
	tw_time te = timeline_row_time(tl, r);
	struct cand best = { .score = -1000 }, second = { .score = -1000 };
	unsigned ncand = 0;
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (tl->src[s].kind != ROW_FRAME)
			continue;
		struct tw_convs *cs = capture_convs(tl->src[s].cap);
		for (size_t i = 0;; i++) {
			const struct tls_conn *tc = tls_conn_nth(cs, i);
			if (!tc)
				break;
			struct cand c;
			score_conn(ls, tl, o, ev, e, te, (uint16_t)s, tc, &c);
			if (c.score < o->min_score)
				continue;
			/*
			 * The same connection seen by another capture (client and
			 * server side) is the same handshake: it counts once.
			 */
			bool same = false;
			if (best.score > -1000 && best.src != c.src && conv_same_tuple(tl, &best, &c)) {
				same = true;
				if (c.score > best.score)
					best = c;
			} else if (second.score > -1000 && second.src != c.src && conv_same_tuple(tl, &second, &c)) {
				same = true;
				if (c.score > second.score)
					second = c;
				if (second.score > best.score) {
					struct cand t = best;
					best = second;
					second = t;
				}
			}
			if (same)
				continue;
			ncand++;
			if (c.score > best.score) {
				second = best;
				best = c;
			} else if (c.score > second.score) {
				second = c;
			}
		}
	}
	if (!ncand)
		return;
	/* The same connection seen by two captures (client and server side) is one candidate handshake. */
	uint32_t b = links_row_of(ls, best.src, best.frame - 1);
	if (b == UINT32_MAX)
		return;
	ls->v = xreallocarray(ls->v, ls->n + 1, sizeof *ls->v);
	struct tw_link *l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	l->a = row;
	l->b = b;
	l->src_b = best.src;
	l->conv = best.conv;
	l->kind = LINK_HANDSHAKE;
	int conf = TW_MIN(best.score, 100);
	if (ncand > 1) {
		int margin = best.score - second.score;
		if (margin < 30)
			conf -= 30 - margin;
	}
	l->confidence = (uint8_t)TW_MAX(conf, 1);
	l->candidates = (uint16_t)TW_MIN(ncand, 65535u);
	struct tw_sb sb;
	sb_fixed(&sb, l->reason, sizeof l->reason);
	sb_adds(&sb, best.reason);
	if (ncand > 1)
		sb_addf(&sb, "; %u candidate handshakes", ncand);
}

/* ---- connection events -> process ------------------------------------------ */

const char *
image_base(const char *p, size_t n, size_t *len)
{
	size_t b = 0;
	for (size_t i = 0; i < n; i++)
		if (p[i] == '\\' || p[i] == '/')
			b = i + 1;
	*len = n - b;
	return p + b;
}

static bool
parse_addr(const char *v, size_t n, struct tw_addr *a)
{
	char buf[64];
	if (!v || n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, v, n);
	buf[n] = 0;
	uint8_t raw[16];
	if (inet_pton(AF_INET, buf, raw) == 1) {
		addr_set(a, AT_IPV4, raw);
		return true;
	}
	if (inet_pton(AF_INET6, buf, raw) == 1) {
		/* IPv4-mapped addresses as Windows sometimes logs them */
		static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
		if (memcmp(raw, mapped, 12) == 0)
			addr_set(a, AT_IPV4, raw + 12);
		else
			addr_set(a, AT_IPV6, raw);
		return true;
	}
	return false;
}

static bool
parse_u32(const char *v, size_t n, uint32_t max, uint32_t *out)
{
	if (!v || n == 0 || n > 10)
		return false;
	uint64_t x = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)v[i]))
			return false;
		x = x * 10 + (uint64_t)(v[i] - '0');
	}
	if (x > max)
		return false;
	*out = (uint32_t)x;
	return true;
}

static const char *
data2(const struct tw_events *ev, const struct tw_event *e, const char *a, const char *b, size_t *len)
{
	const char *v = events_data(ev, e, a, len);
	if ((!v || !*len) && b)
		v = events_data(ev, e, b, len);
	return v && *len ? v : NULL;
}

struct connev {
	uint8_t proto;
	struct tw_addr src, dst;
	uint16_t sport, dport;
	bool have_dst;           /* 5158 (bind) has only the local side */
	const char *image;
	size_t image_len;
	uint32_t pid;
	bool have_pid;
};

static bool
conn_event(const struct tw_events *ev, const struct tw_event *e, struct connev *c)
{
	memset(c, 0, sizeof *c);
	bool wfp = provider_is(ev, e, "Security-Auditing") && (e->id == 5156 || e->id == 5158);
	bool sysmon = provider_is(ev, e, "Sysmon") && e->id == 3;
	if (!wfp && !sysmon)
		return false;
	size_t n;
	const char *v;
	uint32_t x;
	v = events_data(ev, e, "Protocol", &n);
	if (v && n == 3 && strncasecmp(v, "tcp", 3) == 0)
		c->proto = 6;
	else if (v && n == 3 && strncasecmp(v, "udp", 3) == 0)
		c->proto = 17;
	else if (parse_u32(v, n, 255, &x) && (x == 6 || x == 17))
		c->proto = (uint8_t)x;
	else
		return false;
	v = wfp ? data2(ev, e, "SourceAddress", NULL, &n) : data2(ev, e, "SourceIp", NULL, &n);
	if (!parse_addr(v, v ? n : 0, &c->src))
		return false;
	v = events_data(ev, e, "SourcePort", &n);
	if (!parse_u32(v, v ? n : 0, 65535, &x))
		return false;
	c->sport = (uint16_t)x;
	v = wfp ? data2(ev, e, "DestAddress", NULL, &n) : data2(ev, e, "DestinationIp", NULL, &n);
	if (v && parse_addr(v, n, &c->dst)) {
		v = wfp ? data2(ev, e, "DestPort", NULL, &n) : data2(ev, e, "DestinationPort", NULL, &n);
		if (!parse_u32(v, v ? n : 0, 65535, &x))
			return false;
		c->dport = (uint16_t)x;
		c->have_dst = true;
	} else if (!(wfp && e->id == 5158)) {
		return false;
	}
	c->image = wfp ? data2(ev, e, "Application", NULL, &c->image_len) : data2(ev, e, "Image", NULL, &c->image_len);
	v = data2(ev, e, "ProcessID", "ProcessId", &n);
	if (parse_u32(v, v ? n : 0, UINT32_MAX, &c->pid))
		c->have_pid = true;
	return c->image || c->have_pid;
}

static bool
addr_unspecified(const struct tw_addr *a)
{
	static const uint8_t z[16];
	return a->type == AT_NONE || memcmp(a->a, z, a->type == AT_IPV6 ? 16 : 4) == 0;
}

/* Distance of t from the conversation's span, with whole quarter hours (up to 14 h) removed. */
static bool
proc_time_ok(tw_time t, tw_time lo, tw_time hi, tw_time win, tw_time *resid, tw_time *shift)
{
	tw_time d = t < lo ? t - lo : t > hi ? t - hi : 0;
	tw_time q = 900 * TW_NS_PER_SEC;
	tw_time k = (d >= 0 ? d + q / 2 : d - q / 2) / q; /* nearest quarter hour */
	if (k > 56 || k < -56)
		return false;
	tw_time r = d - k * q;
	if (r > win || r < -win)
		return false;
	*resid = r < 0 ? -r : r;
	*shift = k * q;
	return true;
}

static void
link_process(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o, uint32_t row)
{
	const struct tw_row *r = &tl->rows[row];
	const struct tw_events *ev = tl->src[r->src].ev;
	const struct tw_event *e = events_get(ev, r->idx);
	struct connev c;
	if (!conn_event(ev, e, &c))
		return;
	tw_time te = timeline_row_time(tl, r);
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (tl->src[s].kind != ROW_FRAME)
			continue;
		struct tw_capture *cap = tl->src[s].cap;
		struct tw_convs *cs = capture_convs(cap);
		tw_time off = tl->src[s].offset;
		uint32_t best = CONV_NONE;
		tw_time best_res = 0, best_shift = 0;
		for (uint32_t k = 0; k < cs->n; k++) {
			uint32_t ci;
			if (c.have_dst) {
				/* one hash lookup, either direction */
				if (k)
					break;
				ci = conv_find(cs, c.proto, &c.src, c.sport, &c.dst, c.dport);
				if (ci == CONV_NONE)
					break;
			} else {
				/* a bind (5158): the local port, on any local address */
				ci = k;
				const struct tw_conv *cv = &cs->v[ci];
				if (cv->proto != c.proto || c.sport < 1024)
					continue;
				bool hit = false;
				for (int side = 0; side < 2; side++)
					hit |= cv->port[side] == c.sport &&
					       (addr_unspecified(&c.src) || addr_eq(&c.src, &cv->addr[side]));
				if (!hit)
					continue;
			}
			const struct tw_conv *cv = &cs->v[ci];
			tw_time res, shift;
			if (!proc_time_ok(te, cv->first_ts + off, cv->last_ts + off, o->proc_window, &res, &shift))
				continue;
			if (best == CONV_NONE || res < best_res) {
				best = ci;
				best_res = res;
				best_shift = shift;
			}
		}
		if (best == CONV_NONE)
			continue;
		const struct tw_conv *cv = &cs->v[best];
		uint32_t b = links_row_of(ls, s, cv->first_frame ? cv->first_frame - 1 : 0);
		if (b == UINT32_MAX)
			continue;
		ls->v = xreallocarray(ls->v, ls->n + 1, sizeof *ls->v);
		struct tw_link *l = &ls->v[ls->n++];
		memset(l, 0, sizeof *l);
		l->a = row;
		l->b = b;
		l->src_b = (uint16_t)s;
		l->conv = best;
		l->kind = LINK_PROCESS;
		l->candidates = 1;
		l->image = c.image;
		l->image_len = c.image ? c.image_len : 0;
		l->pid = c.pid;
		l->have_pid = c.have_pid;
		l->confidence = (uint8_t)(c.have_dst ? (best_shift ? 80 : 95) : 60);
		struct tw_sb sb;
		sb_fixed(&sb, l->reason, sizeof l->reason);
		sb_adds(&sb, c.proto == 6 ? "TCP " : "UDP ");
		addr_format(&sb, &c.src);
		sb_addf(&sb, ":%u", c.sport);
		if (c.have_dst) {
			sb_adds(&sb, " - ");
			addr_format(&sb, &c.dst);
			sb_addf(&sb, ":%u", c.dport);
		} else {
			sb_adds(&sb, " (bind)");
		}
		sb_addf(&sb, " = %s.stream %u", c.proto == 6 ? "tcp" : "udp", cv->stream);
		if (best_shift)
			sb_addf(&sb, "; the event time is %+lld min off (zone-less time or wrong --tz?)",
			        (long long)(best_shift / (60 * TW_NS_PER_SEC)));
	}
}

const struct tw_link *
links_process(const struct tw_links *ls, uint16_t src, uint32_t conv, size_t i)
{
	for (size_t k = 0; k < ls->n; k++) {
		const struct tw_link *l = &ls->v[k];
		if (l->kind != LINK_PROCESS || l->src_b != src || l->conv != conv)
			continue;
		/* one per distinct image + pid (5156, 5158 and Sysmon 3 often all name it) */
		bool seen = false;
		for (size_t j = 0; j < k && !seen; j++) {
			const struct tw_link *m = &ls->v[j];
			if (m->kind != LINK_PROCESS || m->src_b != src || m->conv != conv)
				continue;
			size_t bl = 0, ml = 0;
			const char *bn = l->image ? image_base(l->image, l->image_len, &bl) : "";
			const char *mn = m->image ? image_base(m->image, m->image_len, &ml) : "";
			if (!l->image)
				bl = 0;
			if (!m->image)
				ml = 0;
			seen = bl == ml && strncasecmp(bn, mn, bl) == 0 &&
			       (l->pid == m->pid || !l->have_pid || !m->have_pid);
		}
		if (seen)
			continue;
		if (i-- == 0)
			return l;
	}
	return NULL;
}


void
links_process_tree(void *ctx, struct tw_tree *t, const struct tw_timeline *tl, size_t r)
{
	const struct tw_links *ls = ctx;
	if (!ls || !t || r >= tl->n || tl->rows[r].kind != ROW_FRAME)
		return;
	const struct tw_row *row = &tl->rows[r];
	uint32_t conv = capture_frame(tl->src[row->src].cap, row->idx)->conv;
	if (conv == CONV_NONE)
		return;
	/* the descriptors registered for these names (field.c), so -e and filters find them */
	static const char *const names[5] = { "process", "process.name", "process.pid", "process.host", "process.image" };
	const struct tw_field *f[5];
	for (size_t i = 0; i < 5; i++)
		if (!(f[i] = field_lookup(names[i])))
			return;
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t i = 0;; i++) {
		const struct tw_link *l = links_process(ls, row->src, conv, i);
		if (!l)
			break;
		const struct tw_row *er = &tl->rows[l->a];
		const struct tw_events *ev = tl->src[er->src].ev;
		const struct tw_event *e = events_get(ev, er->idx);
		size_t nl = 0, hl = 0;
		const char *name = l->image ? image_base(l->image, l->image_len, &nl) : NULL;
		const char *host = events_str(ev, e->computer, &hl);
		sb_reset(&sb);
		sb_adds(&sb, "[Process: ");
		if (name)
			sb_add_escaped(&sb, name, nl);
		else
			sb_adds(&sb, "?");
		if (l->have_pid)
			sb_addf(&sb, " (PID %u)", l->pid);
		if (host && hl) {
			sb_adds(&sb, " on ");
			sb_add_escaped(&sb, host, hl);
		}
		sb_addf(&sb, ", from event %u", e->id);
		if (e->flags & EVF_HAS_RECORD)
			sb_addf(&sb, " record %llu", (unsigned long long)e->record_id);
		sb_addf(&sb, " (%c:%u; %s)]", tl->src[er->src].letter, er->idx + 1, l->reason);
		struct tw_node *top = tree_add_gen(t, tree_root(t), f[0]);
		if (!top)
			break;
		top->label = arena_strndup(t->arena, sb.s, sb.len);
		if (name) {
			struct tw_node *n = tree_add_gen(t, top, f[1]);
			node_set_bytes_copy(t, n, name, nl);
		}
		if (l->have_pid)
			node_set_u(tree_add_gen(t, top, f[2]), l->pid);
		if (host && hl)
			node_set_bytes_copy(t, tree_add_gen(t, top, f[3]), host, hl);
		if (l->image)
			node_set_bytes_copy(t, tree_add_gen(t, top, f[4]), l->image, l->image_len);
	}
	sb_free(&sb);
}

/* ---- duplicate frames across captures ------------------------------------------ */

/* The IP datagram inside frame bytes p (by link type), or NULL. */
static const uint8_t *
ip_datagram(int linktype, const uint8_t *p, size_t n, size_t *len)
{
	size_t off;
	uint16_t et = 0;
	switch (linktype) {
	case 1: /* Ethernet, with 802.1Q / 802.1ad tags */
		if (n < 14)
			return NULL;
		off = 12;
		et = (uint16_t)(p[off] << 8 | p[off + 1]);
		while ((et == 0x8100 || et == 0x88a8) && off + 6 <= n) {
			off += 4;
			et = (uint16_t)(p[off] << 8 | p[off + 1]);
		}
		off += 2;
		break;
	case 113: /* Linux cooked v1 */
		if (n < 16)
			return NULL;
		et = (uint16_t)(p[14] << 8 | p[15]);
		off = 16;
		break;
	case 276: /* Linux cooked v2 */
		if (n < 20)
			return NULL;
		et = (uint16_t)(p[0] << 8 | p[1]);
		off = 20;
		break;
	case 101: case 12: case 14: case 228: case 229: /* raw IP */
		off = 0;
		et = n && (p[0] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	case 0: case 108: /* BSD loopback */
		if (n < 4)
			return NULL;
		off = 4;
		et = n > 4 && (p[4] >> 4) == 6 ? 0x86dd : 0x0800;
		break;
	default:
		return NULL;
	}
	if (off >= n || (et != 0x0800 && et != 0x86dd))
		return NULL;
	const uint8_t *ip = p + off;
	size_t rem = n - off;
	size_t tot;
	if (et == 0x0800) {
		if (rem < 20 || (ip[0] >> 4) != 4)
			return NULL;
		tot = (size_t)(ip[2] << 8 | ip[3]);
	} else {
		if (rem < 40 || (ip[0] >> 4) != 6)
			return NULL;
		tot = 40 + (size_t)(ip[4] << 8 | ip[5]);
	}
	if (tot < 20 || tot > rem)
		tot = rem; /* cut by the snap length: compare what was captured */
	*len = tot;
	return ip;
}

/* Byte i of the datagram takes part in the comparison (not TTL/hop limit, not the IPv4 checksum). */
static inline bool
dup_byte_counts(const uint8_t *ip, size_t i)
{
	if ((ip[0] >> 4) == 4)
		return i != 8 && i != 10 && i != 11;
	return i != 7;
}

static uint64_t
dup_hash(const uint8_t *ip, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t i = 0; i < n; i++) {
		if (!dup_byte_counts(ip, i))
			continue;
		h ^= ip[i];
		h *= UINT64_C(1099511628211);
	}
	return h ^ n;
}

static bool
dup_equal(const uint8_t *a, size_t an, const uint8_t *b, size_t bn)
{
	if (an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (a[i] != b[i] && dup_byte_counts(a, i))
			return false;
	return true;
}

struct dup_ent {
	uint64_t h;
	uint32_t row;
	uint32_t next; /* older entry in the same bucket, UINT32_MAX */
};

static void
find_dups(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o)
{
	size_t ncap = 0;
	for (size_t s = 0; s < tl->nsrc; s++)
		ncap += tl->src[s].kind == ROW_FRAME;
	if (ncap < 2 || o->dup_window <= 0)
		return;
	ls->dup_of = xmalloc((tl->n ? tl->n : 1) * sizeof *ls->dup_of);
	memset(ls->dup_of, 0xff, (tl->n ? tl->n : 1) * sizeof *ls->dup_of);
	size_t nb = 1;
	while (nb < tl->n * 2 && nb < ((size_t)1 << 30))
		nb <<= 1;
	uint32_t *bucket = xmalloc(nb * sizeof *bucket);
	memset(bucket, 0xff, nb * sizeof *bucket);
	struct dup_ent *ent = xmalloc((tl->n ? tl->n : 1) * sizeof *ent);
	uint32_t nent = 0;
	for (size_t k = 0; k < tl->n; k++) {
		const struct tw_row *r = &tl->rows[k];
		if (r->kind != ROW_FRAME)
			continue;
		struct tw_capture *cap = tl->src[r->src].cap;
		const struct tw_frame *f = capture_frame(cap, r->idx);
		const uint8_t *p = capture_bytes(cap, f);
		size_t len;
		const uint8_t *ip = p ? ip_datagram(capture_linktype(cap), p, f->caplen, &len) : NULL;
		if (!ip)
			continue;
		uint64_t h = dup_hash(ip, len);
		size_t bi = (size_t)(h & (nb - 1));
		tw_time t = timeline_row_time(tl, r);
		/* the newest earlier row from another capture with the same datagram, within the window */
		for (uint32_t e = bucket[bi]; e != UINT32_MAX; e = ent[e].next) {
			const struct tw_row *er = &tl->rows[ent[e].row];
			tw_time et = timeline_row_time(tl, er);
			if (t - et > o->dup_window)
				break; /* entries are in row (time) order: older ones are further away */
			if (ent[e].h != h || er->src == r->src || ls->dup_of[ent[e].row] != UINT32_MAX)
				continue;
			struct tw_capture *ecap = tl->src[er->src].cap;
			const struct tw_frame *ef = capture_frame(ecap, er->idx);
			const uint8_t *ep = capture_bytes(ecap, ef);
			size_t elen;
			const uint8_t *eip = ep ? ip_datagram(capture_linktype(ecap), ep, ef->caplen, &elen) : NULL;
			if (!eip || !dup_equal(ip, len, eip, elen))
				continue;
			/* each earlier frame is the original of at most one frame per capture */
			bool taken = false;
			for (uint32_t x = bucket[bi]; x != UINT32_MAX && !taken; x = ent[x].next)
				taken = ls->dup_of[ent[x].row] == ent[e].row && tl->rows[ent[x].row].src == r->src;
			if (taken)
				continue;
			ls->dup_of[k] = ent[e].row;
			ls->ndup++;
			break;
		}
		ent[nent] = (struct dup_ent){ h, (uint32_t)k, bucket[bi] };
		bucket[bi] = nent++;
	}
	free(ent);
	free(bucket);
}

uint32_t
links_dup_of(const struct tw_links *ls, uint32_t r)
{
	return ls->dup_of && r < ls->nrows ? ls->dup_of[r] : UINT32_MAX;
}

void
links_info_prefix(void *ctx, struct tw_sb *sb, const struct tw_timeline *tl, size_t r)
{
	const struct tw_links *ls = ctx;
	uint32_t d = ls ? links_dup_of(ls, (uint32_t)r) : UINT32_MAX;
	if (d == UINT32_MAX || d >= tl->n)
		return;
	const struct tw_row *o = &tl->rows[d];
	sb_addf(sb, "[dup of %c:%u] ", tl->src[o->src].letter, o->idx + 1);
}

/* ---- CAPI2 by content ------------------------------------------------------------ */

enum { CI_URI, CI_DNSQ, CI_CERT };

struct citem {
	uint16_t src;
	uint8_t kind;
	uint32_t frame; /* 0-based */
	tw_time t;
	char *str;      /* raw (URI, query name) or uppercase SHA-1 hex */
	size_t len;
};

struct cindex {
	struct citem *v;
	size_t n;
};

static void
cindex_add(struct cindex *ci, uint16_t src, uint8_t kind, uint32_t frame, tw_time t, const void *p, size_t n)
{
	ci->v = xreallocarray(ci->v, ci->n + 1, sizeof *ci->v);
	ci->v[ci->n++] = (struct citem){ src, kind, frame, t, xstrndup(p, n), n };
}

static void
cindex_build(struct cindex *ci, const struct tw_timeline *tl)
{
	memset(ci, 0, sizeof *ci);
	struct tw_tree t;
	tree_init(&t, false);
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	for (size_t s = 0; s < tl->nsrc; s++) {
		if (tl->src[s].kind != ROW_FRAME)
			continue;
		struct tw_capture *cap = tl->src[s].cap;
		struct tw_convs *cs = capture_convs(cap);
		/* frames that complete a Certificate message */
		size_t ncf = 0;
		uint32_t *cf = NULL;
		for (size_t i = 0;; i++) {
			const struct tls_conn *tc = tls_conn_nth(cs, i);
			if (!tc)
				break;
			for (int d = 0; d < 2; d++)
				if (tc->cert_frame[d]) {
					cf = xreallocarray(cf, ncf + 1, sizeof *cf);
					cf[ncf++] = tc->cert_frame[d] - 1;
				}
		}
		uint32_t n = capture_count(cap);
		for (uint32_t i = 0; i < n; i++) {
			const struct tw_frame *f = capture_frame(cap, i);
			bool cert = false;
			for (size_t k = 0; k < ncf && !cert; k++)
				cert = cf[k] == i;
			uint8_t app = f->conv != CONV_NONE && f->conv < cs->n ? cs->v[f->conv].app : APP_UNKNOWN;
			if (f->proto != PROTO_HTTP && f->proto != PROTO_DNS && app != APP_HTTP && app != APP_DNS && !cert)
				continue;
			capture_dissect(cap, i, &dc, &t);
			tw_time ft = f->ts + tl->src[s].offset;
			for (struct tw_node *nd = t.root->child; nd; nd = node_next_preorder(nd, t.root)) {
				if (!nd->f || !nd->v.b.p)
					continue;
				if (nd->f->type == FT_STRING && strcmp(nd->f->abbrev, "http.request.full_uri") == 0) {
					cindex_add(ci, (uint16_t)s, CI_URI, i, ft, nd->v.b.p, nd->v.b.n);
				} else if (nd->f->type == FT_STRING && strcmp(nd->f->abbrev, "dns.qry.name") == 0) {
					const struct tw_node *r = node_find_abbrev(t.root, "dns.flags.response");
					if (r && field_value(r) == 0)
						cindex_add(ci, (uint16_t)s, CI_DNSQ, i, ft, nd->v.b.p, nd->v.b.n);
				} else if (cert && nd->f->type == FT_BYTES && strcmp(nd->f->abbrev, "tls.handshake.certificate") == 0) {
					unsigned char md[EVP_MAX_MD_SIZE];
					unsigned int mdlen = 0;
					if (EVP_Digest(nd->v.b.p, nd->v.b.n, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
						continue;
					char hex[41];
					for (unsigned k = 0; k < 20; k++)
						snprintf(hex + 2 * k, 3, "%02X", md[k]);
					cindex_add(ci, (uint16_t)s, CI_CERT, i, ft, hex, 40);
				}
			}
		}
		free(cf);
	}
	tree_free(&t);
}

static void
cindex_free(struct cindex *ci)
{
	for (size_t i = 0; i < ci->n; i++)
		free(ci->v[i].str);
	free(ci->v);
	memset(ci, 0, sizeof *ci);
}

/* The item of kind whose string equals (p, n) (case-insensitively for names), nearest to t within win. */
static const struct citem *
cindex_nearest(const struct cindex *ci, uint8_t kind, const char *p, size_t n, bool nocase, tw_time t, tw_time win)
{
	const struct citem *best = NULL;
	tw_time bd = 0;
	for (size_t i = 0; i < ci->n; i++) {
		const struct citem *c = &ci->v[i];
		if (c->kind != kind || c->len != n || (nocase ? strncasecmp(c->str, p, n) : memcmp(c->str, p, n)))
			continue;
		tw_time d = c->t > t ? c->t - t : t - c->t;
		if (d > win)
			continue;
		if (!best || d < bd) {
			best = c;
			bd = d;
		}
	}
	return best;
}

static void
add_content_link(struct tw_links *ls, const struct tw_timeline *tl, uint32_t row, uint16_t src, uint32_t frame,
                 uint8_t conf, const char *reason)
{
	uint32_t b = links_row_of(ls, src, frame);
	if (b == UINT32_MAX)
		return;
	ls->v = xreallocarray(ls->v, ls->n + 1, sizeof *ls->v);
	struct tw_link *l = &ls->v[ls->n++];
	memset(l, 0, sizeof *l);
	l->a = row;
	l->b = b;
	l->src_b = src;
	l->conv = capture_frame(tl->src[src].cap, frame)->conv;
	l->kind = LINK_CONTENT;
	l->confidence = conf;
	l->candidates = 1;
	struct tw_sb sb;
	sb_fixed(&sb, l->reason, sizeof l->reason);
	sb_adds(&sb, reason);
}

static void
link_content(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o, const struct cindex *ci,
             uint32_t row)
{
	const struct tw_row *r = &tl->rows[row];
	const struct tw_events *ev = tl->src[r->src].ev;
	const struct tw_event *e = events_get(ev, r->idx);
	if (!ev_is_capi2(ev, e))
		return;
	tw_time te = timeline_row_time(tl, r);
	tw_time win = 5 * o->window; /* chain building and retrieval take a while */
	char reason[200];
	size_t n;
	const char *v;
	/* 52/53: the URL fetched */
	if ((v = events_data(ev, e, "URL", &n)) && n) {
		const struct citem *c = cindex_nearest(ci, CI_URI, v, n, false, te, win);
		if (c) {
			snprintf(reason, sizeof reason, "URL = HTTP request in %c:%u", tl->src[c->src].letter, c->frame + 1);
			add_content_link(ls, tl, row, c->src, c->frame, 95, reason);
		}
		/* the host's DNS query */
		const char *h = memmem(v, n, "://", 3);
		if (h) {
			h += 3;
			size_t hl = 0;
			while (h + hl < v + n && h[hl] != '/' && h[hl] != ':' && h[hl] != '?')
				hl++;
			const struct citem *q = hl ? cindex_nearest(ci, CI_DNSQ, h, hl, true, te, win) : NULL;
			if (q) {
				snprintf(reason, sizeof reason, "URL host = DNS query in %c:%u", tl->src[q->src].letter,
				         q->frame + 1);
				add_content_link(ls, tl, row, q->src, q->frame, 80, reason);
			}
		}
	}
	/* fileRef: the SHA-1 thumbprint of a certificate in the capture */
	const struct tw_ev_kv *kv = events_kv(ev, e);
	for (uint16_t i = 0; i < e->nkv; i++) {
		size_t nl, vl;
		const char *nm = events_str(ev, kv[i].name, &nl);
		const char *val = events_str(ev, kv[i].value, &vl);
		if (!nm || !val || nl < 8 || strncmp(nm + nl - 8, "@fileRef", 8) || vl != 44 ||
		    strncasecmp(val + 40, ".cer", 4))
			continue;
		const struct citem *c = cindex_nearest(ci, CI_CERT, val, 40, true, te, win);
		if (c) {
			snprintf(reason, sizeof reason, "%.*s SHA-1 = a certificate in %c:%u", (int)(nl - 8), nm,
			         tl->src[c->src].letter, c->frame + 1);
			add_content_link(ls, tl, row, c->src, c->frame, 95, reason);
		}
	}
	/* 30: the SSL policy's server name against the SNI */
	if (e->id == 30 && (v = events_data(ev, e, "SSLAdditionalPolicyInfo@serverName", &n)) && n) {
		const struct tls_conn *best = NULL;
		uint16_t bsrc = 0;
		tw_time bd = 0;
		for (size_t s = 0; s < tl->nsrc; s++) {
			if (tl->src[s].kind != ROW_FRAME)
				continue;
			struct tw_capture *cap = tl->src[s].cap;
			struct tw_convs *cs = capture_convs(cap);
			for (size_t i = 0;; i++) {
				const struct tls_conn *tc = tls_conn_nth(cs, i);
				if (!tc)
					break;
				if (!tc->ch_frame || tc->sni_len != n || strncasecmp(tc->sni, v, n))
					continue;
				tw_time ct = capture_frame(cap, tc->ch_frame - 1)->ts + tl->src[s].offset;
				tw_time d = ct > te ? ct - te : te - ct;
				if (d <= win && (!best || d < bd)) {
					best = tc;
					bsrc = (uint16_t)s;
					bd = d;
				}
			}
		}
		if (best) {
			uint32_t kf = key_frame(best);
			snprintf(reason, sizeof reason, "serverName = SNI of the handshake ending in %c:%u",
			         tl->src[bsrc].letter, kf);
			add_content_link(ls, tl, row, bsrc, kf - 1, 90, reason);
		}
	}
}

void
correlate(struct tw_links *ls, const struct tw_timeline *tl, const struct analyze_opts *o)
{
	struct analyze_opts def;
	if (!o) {
		analyze_opts_init(&def);
		o = &def;
	}
	memset(ls, 0, sizeof *ls);
	ls->nrows = tl->n;
	build_rowof(ls, tl);
	find_dups(ls, tl, o);
	for (size_t i = 0; i < tl->n; i++)
		if (tl->rows[i].kind == ROW_EVENT)
			link_process(ls, tl, o, (uint32_t)i);
	/* after the process links: a Schannel caller PID can point at its connection */
	for (size_t i = 0; i < tl->n; i++)
		if (tl->rows[i].kind == ROW_EVENT)
			link_event(ls, tl, o, (uint32_t)i);
	/* CAPI2 content links need an index of URIs, DNS queries and certificates */
	bool capi2 = false, caps = false;
	for (size_t i = 0; i < tl->n && !capi2; i++) {
		const struct tw_row *r = &tl->rows[i];
		capi2 = r->kind == ROW_EVENT && ev_is_capi2(tl->src[r->src].ev, events_get(tl->src[r->src].ev, r->idx));
	}
	for (size_t s = 0; s < tl->nsrc; s++)
		caps |= tl->src[s].kind == ROW_FRAME;
	if (capi2 && caps) {
		struct cindex ci;
		cindex_build(&ci, tl);
		for (size_t i = 0; i < tl->n; i++)
			if (tl->rows[i].kind == ROW_EVENT)
				link_content(ls, tl, o, &ci, (uint32_t)i);
		cindex_free(&ci);
	}
}

void
links_free(struct tw_links *ls)
{
	for (size_t s = 0; s < ls->nsrc; s++)
		free(ls->rowof[s]);
	free(ls->rowof);
	free(ls->v);
	free(ls->dup_of);
	memset(ls, 0, sizeof *ls);
}

const struct tw_link *
links_of_event(const struct tw_links *ls, uint32_t r)
{
	for (size_t i = 0; i < ls->n; i++)
		if (ls->v[i].a == r && ls->v[i].kind == LINK_HANDSHAKE)
			return &ls->v[i];
	return NULL;
}

const struct tw_link *
links_of_row(const struct tw_links *ls, const struct tw_timeline *tl, uint32_t r, size_t i)
{
	if (r >= tl->n)
		return NULL;
	const struct tw_row *row = &tl->rows[r];
	uint32_t conv = CONV_NONE;
	if (row->kind == ROW_FRAME)
		conv = capture_frame(tl->src[row->src].cap, row->idx)->conv;
	for (size_t k = 0; k < ls->n; k++) {
		const struct tw_link *l = &ls->v[k];
		bool hit = l->a == r || l->b == r || (conv != CONV_NONE && l->src_b == row->src && l->conv == conv);
		if (hit && i-- == 0)
			return l;
	}
	return NULL;
}
