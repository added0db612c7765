/*
 * event.c - the event model: string pool, event sets, ordering, duplicates,
 * time and text-encoding helpers (see event.h).
 */
#include "core/catalog.h"
#include "core/event_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string pool ------------------------------------------------------ */

void
pool_init(struct ev_pool *pl)
{
	memset(pl, 0, sizeof *pl);
	pl->cap = 64 * 1024;
	pl->p = xmalloc(pl->cap);
	pl->p[0] = '\0'; /* offset 0 is "absent" */
	pl->n = 1;
}

void
pool_free(struct ev_pool *pl)
{
	free(pl->p);
	free(pl->ht);
	memset(pl, 0, sizeof *pl);
}

static size_t
varint_len(size_t v)
{
	size_t k = 1;
	while (v >= 0x80) {
		v >>= 7;
		k++;
	}
	return k;
}

tw_pstr
pool_add(struct ev_pool *pl, const char *s, size_t n)
{
	if (pl->full)
		return 0;
	size_t need = varint_len(n) + n + 1;
	if (n > UINT32_MAX || need > (size_t)UINT32_MAX - pl->n) {
		pl->full = true;
		return 0;
	}
	if (pl->n + need > pl->cap) {
		size_t cap = pl->cap;
		while (cap < pl->n + need)
			cap = cap < ((size_t)1 << 40) ? cap * 2 : pl->n + need;
		if (cap > (size_t)UINT32_MAX + 1)
			cap = (size_t)UINT32_MAX + 1;
		pl->p = xrealloc(pl->p, cap);
		pl->cap = cap;
	}
	tw_pstr off = (tw_pstr)pl->n;
	unsigned char *q = (unsigned char *)pl->p + pl->n;
	size_t v = n;
	while (v >= 0x80) {
		*q++ = (unsigned char)(0x80 | (v & 0x7f));
		v >>= 7;
	}
	*q++ = (unsigned char)v;
	if (n)
		memcpy(q, s, n);
	q[n] = '\0';
	pl->n += need;
	return off;
}

const char *
pool_get(const struct ev_pool *pl, tw_pstr s, size_t *len)
{
	if (!s || s >= pl->n) {
		if (len)
			*len = 0;
		return NULL;
	}
	const unsigned char *q = (const unsigned char *)pl->p + s;
	size_t v = 0;
	unsigned shift = 0;
	while (*q & 0x80) {
		v |= (size_t)(*q & 0x7f) << shift;
		shift += 7;
		q++;
	}
	v |= (size_t)*q << shift;
	q++;
	if (len)
		*len = v;
	return (const char *)q;
}

static uint32_t
hash_bytes(const char *s, size_t n)
{
	/* Eight bytes at a time, multiply-xorshift mixing. */
	uint64_t h = 0x9e3779b97f4a7c15ull ^ n;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	uint64_t w = 0;
	for (size_t k = 0; i < n; i++, k++)
		w |= (uint64_t)(unsigned char)s[i] << (8 * k);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 29;
	return (uint32_t)h;
}

static void
ht_grow(struct ev_pool *pl)
{
	size_t cap = pl->htcap ? pl->htcap * 2 : 1024;
	uint32_t *ht = xcalloc(cap, sizeof *ht);
	for (size_t i = 0; i < pl->htcap; i++) {
		uint32_t o = pl->ht[i];
		if (!o)
			continue;
		size_t l;
		const char *s = pool_get(pl, o, &l);
		size_t k = hash_bytes(s, l) & (cap - 1);
		while (ht[k])
			k = (k + 1) & (cap - 1);
		ht[k] = o;
	}
	free(pl->ht);
	pl->ht = ht;
	pl->htcap = cap;
}

tw_pstr
pool_intern(struct ev_pool *pl, const char *s, size_t n)
{
	if (n > EV_INTERN_MAX)
		return pool_add(pl, s, n);
	if ((pl->htn + 1) * 2 > pl->htcap)
		ht_grow(pl);
	size_t k = hash_bytes(s, n) & (pl->htcap - 1);
	while (pl->ht[k]) {
		size_t l;
		const char *t = pool_get(pl, pl->ht[k], &l);
		if (l == n && memcmp(t, s, n) == 0)
			return pl->ht[k];
		k = (k + 1) & (pl->htcap - 1);
	}
	tw_pstr o = pool_add(pl, s, n);
	if (o) {
		pl->ht[k] = o;
		pl->htn++;
	}
	return o;
}

/* ---- sets ------------------------------------------------------------- */

struct tw_events *
events_new(const char *path, uint16_t source_id)
{
	struct tw_events *ev = xcalloc(1, sizeof *ev);
	ev->path = xstrdup(path);
	const char *slash = strrchr(path, '/');
	ev->name = xstrdup(slash ? slash + 1 : path);
	ev->source_id = source_id;
	pool_init(&ev->pool);
	ev->framing = "JSON";
	ev->encoding = "UTF-8";
	return ev;
}

void
events_free(struct tw_events *ev)
{
	if (!ev)
		return;
	pool_free(&ev->pool);
	free(ev->ev);
	free(ev->kv);
	for (size_t i = 0; i < ev->nwarn; i++)
		free(ev->warn[i]);
	free(ev->warn);
	free(ev->path);
	free(ev->name);
	free(ev);
}

void
events_warn(struct tw_events *ev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct tw_sb sb;
	sb_heap(&sb);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (ev->nwarn == ev->warncap) {
		ev->warncap = ev->warncap ? ev->warncap * 2 : 8;
		ev->warn = xreallocarray(ev->warn, ev->warncap, sizeof *ev->warn);
	}
	ev->warn[ev->nwarn++] = sb.s;
}

void
events_push_kv(struct tw_events *ev, tw_pstr name, tw_pstr value)
{
	if (ev->nkv == ev->kvcap) {
		ev->kvcap = ev->kvcap ? ev->kvcap * 2 : 1024;
		ev->kv = xreallocarray(ev->kv, ev->kvcap, sizeof *ev->kv);
	}
	ev->kv[ev->nkv].name = name;
	ev->kv[ev->nkv].value = value;
	ev->nkv++;
}

void
events_push(struct tw_events *ev, const struct tw_event *e)
{
	if (ev->n == ev->cap) {
		ev->cap = ev->cap ? ev->cap * 2 : 256;
		ev->ev = xreallocarray(ev->ev, ev->cap, sizeof *ev->ev);
	}
	ev->ev[ev->n++] = *e;
	if (e->dialect < EV_DI_COUNT_)
		ev->dialect_count[e->dialect]++;
}

void
events_sort(struct tw_events *ev)
{
	uint32_t n = ev->n;
	if (n < 2)
		return;
	bool sorted = true;
	for (uint32_t i = 1; i < n && sorted; i++)
		sorted = ev->ev[i - 1].ts <= ev->ev[i].ts;
	if (sorted)
		return;
	/* Strictly newest first (PowerShell's order): reverse, which stays stable. */
	bool reversed = true;
	for (uint32_t i = 1; i < n && reversed; i++)
		reversed = ev->ev[i - 1].ts > ev->ev[i].ts;
	if (reversed) {
		for (uint32_t i = 0, j = n - 1; i < j; i++, j--) {
			struct tw_event t = ev->ev[i];
			ev->ev[i] = ev->ev[j];
			ev->ev[j] = t;
		}
		return;
	}
	/* Bottom-up merge sort of (time, index) pairs: stable, cache-friendly. */
	struct key {
		tw_time ts;
		uint32_t i;
	};
	struct key *a = xcalloc(n, sizeof *a), *b = xcalloc(n, sizeof *b);
	for (uint32_t i = 0; i < n; i++) {
		a[i].ts = ev->ev[i].ts;
		a[i].i = i;
	}
	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = TW_MIN(lo + w, (size_t)n), hi = TW_MIN(lo + 2 * w, (size_t)n);
			size_t i = lo, j = mid, k = lo;
			if (mid >= hi || a[mid - 1].ts <= a[mid].ts) {
				/* Already in order (runs of a mostly sorted file). */
				memcpy(b + lo, a + lo, (hi - lo) * sizeof *a);
				continue;
			}
			while (i < mid && j < hi)
				b[k++] = a[j].ts < a[i].ts ? a[j++] : a[i++];
			while (i < mid)
				b[k++] = a[i++];
			while (j < hi)
				b[k++] = a[j++];
		}
		struct key *t = a;
		a = b;
		b = t;
	}
	struct tw_event *out = xcalloc(n, sizeof *out);
	for (uint32_t i = 0; i < n; i++)
		out[i] = ev->ev[a[i].i];
	free(ev->ev);
	ev->ev = out;
	ev->cap = n;
	free(a);
	free(b);
}

const char *events_path(const struct tw_events *ev) { return ev->path; }
const char *events_name(const struct tw_events *ev) { return ev->name; }
uint16_t events_source_id(const struct tw_events *ev) { return ev->source_id; }
uint32_t events_count(const struct tw_events *ev) { return ev->n; }
uint32_t events_rejected(const struct tw_events *ev) { return ev->nreject; }
uint32_t events_bad_json(const struct tw_events *ev) { return ev->nbad; }
uint32_t events_duplicates(const struct tw_events *ev) { return ev->ndup; }
uint32_t events_naive_times(const struct tw_events *ev) { return ev->nnaive; }
const char *events_framing(const struct tw_events *ev) { return ev->framing; }
const char *events_encoding(const struct tw_events *ev) { return ev->encoding; }
int events_ts_digits(const struct tw_events *ev) { return ev->maxdigits > 6 ? 9 : 6; }

const struct tw_event *
events_get(const struct tw_events *ev, uint32_t i)
{
	return i < ev->n ? &ev->ev[i] : NULL;
}

const char *
events_dialect(const struct tw_events *ev)
{
	unsigned best = EV_DI_UNKNOWN;
	for (unsigned d = 1; d < EV_DI_COUNT_; d++)
		if (ev->dialect_count[d] > ev->dialect_count[best])
			best = d;
	return ev_dialect_name(best);
}

const char *
events_warning(const struct tw_events *ev, size_t i)
{
	return i < ev->nwarn ? ev->warn[i] : NULL;
}

const char *
events_str(const struct tw_events *ev, tw_pstr s, size_t *len)
{
	return pool_get(&ev->pool, s, len);
}

const struct tw_ev_kv *
events_kv(const struct tw_events *ev, const struct tw_event *e)
{
	return e->nkv ? &ev->kv[e->kv] : NULL;
}

const char *
events_data(const struct tw_events *ev, const struct tw_event *e, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	for (uint32_t k = 0; k < e->nkv; k++) {
		size_t l;
		const char *s = pool_get(&ev->pool, ev->kv[e->kv + k].name, &l);
		if (s && l == nl && memcmp(s, name, nl) == 0)
			return pool_get(&ev->pool, ev->kv[e->kv + k].value, len);
	}
	return NULL;
}

struct getctx {
	const struct tw_events *ev;
	const struct tw_event *e;
};

static const char *
get_data(void *ctx, const char *name, size_t *len)
{
	struct getctx *g = ctx;
	return events_data(g->ev, g->e, name, len);
}

const char *
events_message(const struct tw_events *ev, const struct tw_event *e, struct tw_sb *scratch, size_t *len)
{
	if (e->message)
		return pool_get(&ev->pool, e->message, len);
	if (!(e->flags & EVF_MSG_RENDERED)) {
		*len = 0;
		return NULL;
	}
	size_t pl;
	const char *prov = pool_get(&ev->pool, e->provider, &pl);
	const struct cat_event *ce = catalog_event(prov, pl, e->id);
	struct getctx g = { ev, e };
	sb_reset(scratch);
	if (!catalog_render(ce, get_data, &g, scratch)) {
		*len = 0;
		return NULL;
	}
	*len = scratch->len;
	return scratch->s;
}

const char *
ev_level_name(unsigned level)
{
	switch (level) {
	case EV_LEVEL_ALWAYS: return "Information";
	case EV_LEVEL_CRITICAL: return "Critical";
	case EV_LEVEL_ERROR: return "Error";
	case EV_LEVEL_WARNING: return "Warning";
	case EV_LEVEL_INFO: return "Information";
	case EV_LEVEL_VERBOSE: return "Verbose";
	default: return "Unknown";
	}
}

const char *
ev_dialect_name(unsigned dialect)
{
	static const char *const names[] = {
		[EV_DI_UNKNOWN] = "unknown",
		[EV_DI_PS51] = "Windows PowerShell 5.1 ConvertTo-Json",
		[EV_DI_PS7] = "PowerShell 7 ConvertTo-Json",
		[EV_DI_EVTX] = "evtx_dump JSON",
		[EV_DI_ECS] = "Winlogbeat (Elastic Common Schema)",
		[EV_DI_WLB6] = "Winlogbeat 6",
		[EV_DI_NXLOG] = "NXLog JSON",
		[EV_DI_FLAT] = "OTRF flat JSON",
	};
	return dialect < ARRAY_SIZE(names) && names[dialect] ? names[dialect] : "unknown";
}

/* ---- duplicates ------------------------------------------------------- */

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

bool
ev_str_ieq(const char *a, size_t al, const char *b, size_t bl)
{
	if (al != bl)
		return false;
	for (size_t i = 0; i < al; i++)
		if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
			return false;
	return true;
}

static uint64_t
hash_lower(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= lower((unsigned char)s[i]);
		h *= 1099511628211ull;
	}
	h ^= 0xff; /* field separator */
	h *= 1099511628211ull;
	return h;
}

struct dkey {
	uint32_t set, idx;
};

/* Hashes of the last computer and channel strings seen (they repeat from event to event). */
struct hcache {
	const struct tw_events *ev;
	tw_pstr comp, chan;
	uint64_t hcomp, hchan;
};

static uint64_t
dedupe_hash(struct hcache *c, const struct tw_events *ev, const struct tw_event *e)
{
	size_t l;
	if (c->ev != ev || c->comp != e->computer || !c->hcomp) {
		const char *s = pool_get(&ev->pool, e->computer, &l);
		c->hcomp = hash_lower(14695981039346656037ull, s ? s : "", l) | 1;
		c->comp = e->computer;
	}
	if (c->ev != ev || c->chan != e->channel || !c->hchan) {
		const char *s = pool_get(&ev->pool, e->channel, &l);
		c->hchan = hash_lower(1099511628211ull, s ? s : "", l) | 1;
		c->chan = e->channel;
	}
	c->ev = ev;
	uint64_t h = (c->hcomp * 31 + c->hchan) ^ (e->record_id * 0x9e3779b97f4a7c15ull);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 32);
}

static bool
same_record(const struct tw_events *a, const struct tw_event *x, const struct tw_events *b,
            const struct tw_event *y)
{
	if (x->record_id != y->record_id)
		return false;
	size_t al, bl;
	const char *as = pool_get(&a->pool, x->computer, &al), *bs = pool_get(&b->pool, y->computer, &bl);
	if (!ev_str_ieq(as ? as : "", al, bs ? bs : "", bl))
		return false;
	as = pool_get(&a->pool, x->channel, &al);
	bs = pool_get(&b->pool, y->channel, &bl);
	return ev_str_ieq(as ? as : "", al, bs ? bs : "", bl);
}

size_t
events_dedupe(struct tw_events *const *sets, size_t n)
{
	size_t total = 0;
	for (size_t s = 0; s < n; s++)
		if (sets[s])
			total += sets[s]->n;
	if (total == 0)
		return 0;
	size_t cap = 1024;
	while (cap < total * 2)
		cap *= 2;
	struct dkey *tab = xcalloc(cap, sizeof *tab); /* set = 0 means empty; stored as set+1 */
	size_t found = 0;
	struct hcache hc = { 0 };
	for (size_t s = 0; s < n; s++) {
		struct tw_events *ev = sets[s];
		if (!ev)
			continue;
		for (uint32_t i = 0; i < ev->n; i++) {
			struct tw_event *e = &ev->ev[i];
			if (!(e->flags & EVF_HAS_RECORD) || (e->flags & EVF_DUP))
				continue;
			size_t k = dedupe_hash(&hc, ev, e) & (cap - 1);
			bool dup = false;
			while (tab[k].set) {
				struct tw_events *o = sets[tab[k].set - 1];
				struct tw_event *oe = &o->ev[tab[k].idx];
				if (same_record(o, oe, ev, e)) {
					dup = true;
					oe->flags |= EVF_MERGED;
					break;
				}
				k = (k + 1) & (cap - 1);
			}
			if (dup) {
				e->flags |= EVF_DUP;
				ev->ndup++;
				found++;
			} else {
				tab[k].set = (uint32_t)s + 1;
				tab[k].idx = i;
			}
		}
	}
	free(tab);
	return found;
}

/* ---- time ------------------------------------------------------------- */

static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static bool
digits_at(const char *s, size_t n, size_t at, size_t count, int *out)
{
	if (at > n || count > n - at)
		return false;
	int v = 0;
	for (size_t i = 0; i < count; i++) {
		char c = s[at + i];
		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*out = v;
	return true;
}

/* [+-]hh[:mm|mm] at s[*pos]; returns minutes east. */
static bool
parse_offset(const char *s, size_t n, size_t *pos, int *minutes)
{
	size_t p = *pos;
	if (p >= n || (s[p] != '+' && s[p] != '-'))
		return false;
	int sign = s[p] == '-' ? -1 : 1;
	p++;
	int hh, mm = 0;
	if (!digits_at(s, n, p, 2, &hh))
		return false;
	p += 2;
	if (p < n && s[p] == ':') {
		if (!digits_at(s, n, p + 1, 2, &mm))
			return false;
		p += 3;
	} else if (digits_at(s, n, p, 2, &mm)) {
		p += 2;
	}
	if (hh > 18 || mm > 59)
		return false;
	*minutes = sign * (hh * 60 + mm);
	*pos = p;
	return true;
}

#define EV_SEC_MIN (-9223372036LL + 1)
#define EV_SEC_MAX (9223372036LL - 1)

static bool
parse_msdate(const char *s, size_t n, tw_time *t, int *kind, int *off_min, int *digits)
{
	size_t p = 0;
	if (n >= 6 && memcmp(s, "/Date(", 6) == 0)
		p = 6;
	else if (n >= 5 && memcmp(s, "Date(", 5) == 0)
		p = 5;
	else
		return false;
	bool neg = false;
	if (p < n && s[p] == '-') {
		neg = true;
		p++;
	}
	size_t start = p;
	int64_t ms = 0;
	while (p < n && s[p] >= '0' && s[p] <= '9') {
		if (ms > (INT64_MAX - 9) / 10)
			return false;
		ms = ms * 10 + (s[p] - '0');
		p++;
	}
	if (p == start)
		return false;
	int off = 0;
	if (p < n && (s[p] == '+' || s[p] == '-') && !parse_offset(s, n, &p, &off))
		return false;
	if (p >= n || s[p] != ')')
		return false;
	p++;
	if (p < n && s[p] == '/')
		p++;
	if (p != n)
		return false;
	if (neg)
		ms = -ms;
	if (ms / 1000 < EV_SEC_MIN || ms / 1000 > EV_SEC_MAX)
		return false;
	*t = ms * 1000000;
	*kind = EV_TIME_UTC; /* the milliseconds are UTC; an offset is only a display hint */
	*off_min = off;
	*digits = 3;
	return true;
}

bool
ev_parse_time(const char *s, size_t n, tw_time *t, int *kind, int *off_min, int *digits)
{
	while (n && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (parse_msdate(s, n, t, kind, off_min, digits))
		return true;
	int y, mo, d, h, mi, sec = 0;
	if (!digits_at(s, n, 0, 4, &y) || n < 16 || s[4] != '-' || !digits_at(s, n, 5, 2, &mo) ||
	    s[7] != '-' || !digits_at(s, n, 8, 2, &d) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits_at(s, n, 11, 2, &h) ||
	    s[13] != ':' || !digits_at(s, n, 14, 2, &mi))
		return false;
	size_t p = 16;
	int64_t frac = 0;
	int nd = 0;
	if (p < n && s[p] == ':') {
		if (!digits_at(s, n, p + 1, 2, &sec))
			return false;
		p += 3;
		if (p < n && (s[p] == '.' || s[p] == ',')) {
			p++;
			size_t fs = p;
			while (p < n && s[p] >= '0' && s[p] <= '9') {
				if (nd < 9) {
					frac = frac * 10 + (s[p] - '0');
					nd++;
				}
				p++;
			}
			if (p == fs)
				return false;
		}
	}
	for (int k = nd; k < 9; k++)
		frac *= 10;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] + (mo == 2 && leap(y)) || h > 23 ||
	    mi > 59 || sec > 60)
		return false;
	while (p < n && s[p] == ' ')
		p++;
	int zk = EV_TIME_NAIVE, off = 0;
	if (p < n) {
		if ((s[p] == 'Z' || s[p] == 'z') && p + 1 == n) {
			zk = EV_TIME_UTC;
			p++;
		} else if (n - p == 3 && memcmp(s + p, "UTC", 3) == 0) {
			zk = EV_TIME_UTC;
			p = n;
		} else if (parse_offset(s, n, &p, &off)) {
			zk = off == 0 ? EV_TIME_UTC : EV_TIME_OFFSET;
		} else {
			return false;
		}
	}
	if (p != n)
		return false;
	int64_t days = days_from_civil(y, (unsigned)mo, (unsigned)d);
	int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)off * 60;
	if (secs < EV_SEC_MIN || secs > EV_SEC_MAX)
		return false;
	*t = secs * TW_NS_PER_SEC + frac;
	*kind = zk;
	*off_min = off;
	*digits = nd;
	return true;
}

bool
ev_parse_tz(const char *s, int *minutes)
{
	size_t n = strlen(s);
	if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
		*minutes = 0;
		return true;
	}
	size_t p = 0;
	int m;
	if (!parse_offset(s, n, &p, &m) || p != n || m < -14 * 60 || m > 14 * 60)
		return false;
	*minutes = m;
	return true;
}

/* ---- UTF-16 ----------------------------------------------------------- */

static size_t
put_cp(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

char *
ev_utf16_to_utf8(const uint8_t *p, size_t n, bool be, size_t *outlen, size_t *bad)
{
	size_t units = n / 2;
	/* Each unit gives at most 3 bytes (a pair gives 4 for 2 units). */
	if (units > (SIZE_MAX - 8) / 3)
		units = (SIZE_MAX - 8) / 3; /* cannot happen for a real file */
	char *out = xmalloc(units * 3 + 8);
	size_t o = 0, nbad = 0;
	for (size_t i = 0; i < units; i++) {
		uint32_t u = be ? (uint32_t)(p[2 * i] << 8 | p[2 * i + 1]) : (uint32_t)(p[2 * i] | p[2 * i + 1] << 8);
		if (u >= 0xd800 && u <= 0xdbff) {
			if (i + 1 < units) {
				uint32_t lo = be ? (uint32_t)(p[2 * i + 2] << 8 | p[2 * i + 3])
				                 : (uint32_t)(p[2 * i + 2] | p[2 * i + 3] << 8);
				if (lo >= 0xdc00 && lo <= 0xdfff) {
					o += put_cp(out + o, 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00));
					i++;
					continue;
				}
			}
			u = 0xfffd;
			nbad++;
		} else if (u >= 0xdc00 && u <= 0xdfff) {
			u = 0xfffd;
			nbad++;
		}
		o += put_cp(out + o, u);
	}
	if (n % 2) {
		o += put_cp(out + o, 0xfffd);
		nbad++;
	}
	out[o] = '\0';
	*outlen = o;
	if (bad)
		*bad = nbad;
	return out;
}
