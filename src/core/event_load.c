/*
 * event_load.c - reading event exports: encoding, framing, dialects.
 *
 *  1. Encoding: a UTF-8 BOM is skipped; UTF-16LE/BE (with a BOM, or
 *     recognisable without one) is transcoded to UTF-8 first, lone
 *     surrogates becoming U+FFFD (counted in a warning).
 *  2. Framing: when the first line is a whole object ("{...}"), the file is
 *     JSON lines and every line is parsed on its own (a bad line is
 *     counted and skipped). Otherwise values are read one after another:
 *     a top-level array is read element by element, objects one by one,
 *     and evtx_dump's "Record N" lines are skipped (a bad record is
 *     skipped up to the next "Record" line; in an array or plain objects
 *     a syntax error ends the file, keeping what came before).
 *  3. Dialect, per record, by key presence (eventjson.md 11.3): winlog ->
 *     Winlogbeat/ECS; Event.System -> evtx_dump; Id with ProviderName,
 *     TimeCreated or RecordId -> PowerShell; EventReceivedTime or
 *     SourceModuleType -> NXLog; source_name + event_id -> Winlogbeat 6;
 *     SourceName + (TimeCreated or EventTime) -> OTRF flat. Elasticsearch
 *     hits are unwrapped from "_source".
 *
 * The file is memory-mapped and read once; pages behind the read position
 * are dropped as loading goes (madvise), so a large export is never in
 * memory twice: the peak is the string pool plus the event vectors.
 */
#include "core/catalog.h"
#include "core/event_int.h"
#include "core/event_jp.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define RELEASE_STEP (64u << 20)
#define MAX_UNKNOWN_BEFORE_REFUSAL 100
#define PS_TRUNC_MARK "System.Diagnostics.Eventing.Reader.EventProperty"

struct loader {
	struct tw_events *ev;
	const char *text;          /* UTF-8 text, BOM skipped */
	size_t n;
	const char *map;           /* the file mapping, for madvise; NULL if none */
	size_t map_len, released;
	struct ej_doc doc;
	struct tw_sb sb, nm;       /* scratch: values, names */
	/* line counting for the streaming mode */
	size_t lpos;
	uint32_t lline;
	uint32_t recognized, unknown, listed_bad, listed_reject;
	bool stop;
	bool refused;
	bool saw_records;
	char *fatal;
	/* positional data of the record being mapped */
	tw_pstr *pos;
	size_t npos, poscap;
	bool kv_full_warned;
};

/* ---- small helpers ---------------------------------------------------- */

static void
release(struct loader *L, size_t at)
{
	if (!L->map)
		return;
	const char *p = L->text + at;
	if (p < L->map || (size_t)(p - L->map) < L->released + RELEASE_STEP)
		return;
	long pg = sysconf(_SC_PAGESIZE);
	size_t page = pg > 0 ? (size_t)pg : 4096;
	size_t upto = ((size_t)(p - L->map) / page) * page;
	if (upto > L->released) {
		madvise((void *)(L->map + L->released), upto - L->released, MADV_DONTNEED);
		L->released = upto;
	}
}

/* Line number at position pos (monotonic calls). */
static uint32_t
line_at(struct loader *L, size_t pos)
{
	if (pos < L->lpos) {
		L->lpos = 0;
		L->lline = 1;
	}
	const char *p = L->text + L->lpos, *end = L->text + pos;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		L->lline++;
		p = nl + 1;
	}
	L->lpos = pos;
	return L->lline;
}

/* Absolute line and column of text offset `at`, given a record starting at `start` on line `sline`. */
static void
where(struct loader *L, size_t start, uint32_t sline, size_t at, uint32_t *line, uint32_t *col)
{
	uint32_t rl, rc;
	ej_line_col(L->text + start, at - start, &rl, &rc);
	*line = sline + rl - 1;
	if (rl == 1) {
		size_t ls = start;
		while (ls > 0 && L->text[ls - 1] != '\n')
			ls--;
		uint32_t l0, c0;
		ej_line_col(L->text + ls, start - ls, &l0, &c0);
		*col = c0 + rc - 1;
	} else {
		*col = rc;
	}
}

static tw_pstr
pstr_node(struct loader *L, uint32_t i, bool intern)
{
	if (i == EJ_NONE)
		return 0;
	int t = ej_type(&L->doc, i);
	if (t == EJ_NULL || t == EJ_ARR || t == EJ_OBJ)
		return 0;
	size_t len;
	const char *raw = ej_raw(&L->doc, i, &len);
	if (!raw) {
		sb_reset(&L->sb);
		ej_text(&L->doc, i, &L->sb);
		raw = L->sb.s;
		len = L->sb.len;
	}
	return intern ? pool_intern(&L->ev->pool, raw, len) : pool_add(&L->ev->pool, raw, len);
}

/* Non-empty string (or number) node? */
static bool
has_text(struct loader *L, uint32_t i)
{
	int t = ej_type(&L->doc, i);
	return (t == EJ_STR && L->doc.nodes[i].len > 0) || t == EJ_NUM;
}

static bool
node_u64(struct loader *L, uint32_t i, uint64_t *out)
{
	int64_t v;
	if (ej_u64(&L->doc, i, out))
		return true;
	if (ej_i64(&L->doc, i, &v)) {
		*out = (uint64_t)v; /* PowerShell's Keywords are signed */
		return true;
	}
	return false;
}

/* Escaped, shortened quote of a node's text for messages. */
static void
quote_node(struct loader *L, uint32_t i, struct tw_sb *out)
{
	struct tw_sb t;
	sb_heap(&t);
	if (!ej_text(&L->doc, i, &t))
		sb_adds(&t, ej_type(&L->doc, i) == EJ_OBJ ? "{...}" : "[...]");
	sb_addc(out, '"');
	size_t n = t.len > 48 ? 48 : t.len;
	sb_add_escaped(out, t.s, n);
	if (n < t.len)
		sb_adds(out, "...");
	sb_addc(out, '"');
	sb_free(&t);
}

static int
level_from_text(const char *s, size_t n)
{
	static const struct {
		const char *name;
		int level;
	} tab[] = {
		{ "information", EV_LEVEL_INFO }, { "informational", EV_LEVEL_INFO }, { "info", EV_LEVEL_INFO },
		{ "warning", EV_LEVEL_WARNING },  { "warn", EV_LEVEL_WARNING },        { "error", EV_LEVEL_ERROR },
		{ "critical", EV_LEVEL_CRITICAL }, { "verbose", EV_LEVEL_VERBOSE },   { "debug", EV_LEVEL_VERBOSE },
		{ "logalways", EV_LEVEL_ALWAYS },
	};
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (ev_str_ieq(s, n, tab[i].name, strlen(tab[i].name)))
			return tab[i].level;
	return -1;
}

static void
set_level_node(struct loader *L, struct tw_event *e, uint32_t i, bool nxlog_scale)
{
	if (i == EJ_NONE || e->level != EV_LEVEL_UNKNOWN)
		return;
	uint64_t v;
	if (node_u64(L, i, &v)) {
		if (nxlog_scale) {
			/* NXLog SeverityValue: 1 debug, 2 info, 3 warning, 4 error, 5 critical. */
			static const uint8_t map[] = { EV_LEVEL_UNKNOWN, EV_LEVEL_VERBOSE, EV_LEVEL_INFO,
				                       EV_LEVEL_WARNING, EV_LEVEL_ERROR, EV_LEVEL_CRITICAL };
			if (v < ARRAY_SIZE(map))
				e->level = map[v];
		} else if (v <= 5) {
			e->level = (uint8_t)v;
		}
		return;
	}
	if (ej_type(&L->doc, i) == EJ_STR) {
		sb_reset(&L->sb);
		ej_text(&L->doc, i, &L->sb);
		int lv = level_from_text(L->sb.s, L->sb.len);
		if (lv >= 0)
			e->level = (uint8_t)lv;
	}
}

/* ---- time ------------------------------------------------------------- */

static bool
set_time(struct loader *L, struct tw_event *e, uint32_t i, const char *what, struct tw_sb *why)
{
	if (i != EJ_NONE && ej_type(&L->doc, i) == EJ_OBJ) {
		/* A DateTime with ETS note properties: {"value": "\/Date(...)\/", "DateTime": ...} */
		uint32_t v = ej_get(&L->doc, i, "value");
		if (v == EJ_NONE)
			v = ej_get(&L->doc, i, "Value");
		i = v;
	}
	if (i == EJ_NONE || ej_type(&L->doc, i) == EJ_NULL) {
		sb_addf(why, "no time (%s is missing)", what);
		return false;
	}
	if (ej_type(&L->doc, i) == EJ_NUM) {
		double secs;
		if (!ej_double(&L->doc, i, &secs) || !(secs > -9.2e9 && secs < 9.2e9)) {
			sb_addf(why, "%s is not a usable time: ", what);
			quote_node(L, i, why);
			return false;
		}
		e->ts = (tw_time)(secs * 1e9);
		e->tkind = EV_TIME_EPOCH;
		e->tdigits = 6;
		return true;
	}
	if (ej_type(&L->doc, i) != EJ_STR) {
		sb_addf(why, "%s is not a time: ", what);
		quote_node(L, i, why);
		return false;
	}
	sb_reset(&L->sb);
	ej_text(&L->doc, i, &L->sb);
	tw_time t;
	int kind, off, digits;
	if (!ev_parse_time(L->sb.s, L->sb.len, &t, &kind, &off, &digits)) {
		sb_addf(why, "%s is not a date and time: ", what);
		quote_node(L, i, why);
		return false;
	}
	e->ts = t;
	e->tkind = (uint8_t)kind;
	e->toff = (int16_t)off;
	e->tdigits = (uint8_t)digits;
	if (kind == EV_TIME_NAIVE) {
		L->ev->nnaive++;
		if (L->ev->tz_set) {
			e->ts -= (tw_time)L->ev->tz_min * 60 * TW_NS_PER_SEC;
			e->tkind = EV_TIME_NAIVE_TZ;
			e->toff = (int16_t)L->ev->tz_min;
		}
	}
	return true;
}

/* ---- data fields ------------------------------------------------------ */

static void
push_pair(struct loader *L, struct tw_event *e, const char *name, size_t nlen, uint32_t vnode,
          const char *vtext, size_t vlen)
{
	if (e->nkv >= EV_MAX_KV) {
		if (!L->kv_full_warned) {
			L->kv_full_warned = true;
			events_warn(L->ev, "line %u: event has more than %d data fields; the rest were dropped",
			            e->line, EV_MAX_KV);
		}
		return;
	}
	tw_pstr nm = pool_intern(&L->ev->pool, name, nlen);
	tw_pstr val;
	if (vnode != EJ_NONE) {
		size_t len;
		const char *raw = ej_raw(&L->doc, vnode, &len);
		if (!raw) {
			sb_reset(&L->sb);
			ej_text(&L->doc, vnode, &L->sb);
			raw = L->sb.s;
			len = L->sb.len;
		}
		val = len <= 24 ? pool_intern(&L->ev->pool, raw, len) : pool_add(&L->ev->pool, raw, len);
	} else {
		val = vlen <= 24 ? pool_intern(&L->ev->pool, vtext, vlen) : pool_add(&L->ev->pool, vtext, vlen);
	}
	if (!nm || !val)
		return;
	if (e->nkv == 0)
		e->kv = (uint32_t)L->ev->nkv;
	events_push_kv(L->ev, nm, val);
	e->nkv++;
}

static bool
is_scalar(struct loader *L, uint32_t i)
{
	int t = ej_type(&L->doc, i);
	return t == EJ_STR || t == EJ_NUM || t == EJ_TRUE || t == EJ_FALSE;
}

/* An array of scalars as "a, b, c" in L->sb; false if it holds containers. */
static bool
join_array(struct loader *L, uint32_t arr, struct tw_sb *out)
{
	bool first = true;
	for (uint32_t k = ej_first(&L->doc, arr); k != EJ_NONE && k < L->doc.nodes[arr].end; k = ej_next(&L->doc, k)) {
		if (!is_scalar(L, k) && ej_type(&L->doc, k) != EJ_NULL)
			return false;
		if (!first)
			sb_adds(out, ", ");
		ej_text(&L->doc, k, out);
		first = false;
	}
	return true;
}

static bool
is_xmlns(const char *s, size_t n)
{
	return n >= 5 && memcmp(s, "xmlns", 5) == 0 && (n == 5 || s[5] == ':');
}

/*
 * Flatten a value into data pairs: nested objects become "a/b", XML
 * attributes (evtx_dump's "#attributes") "a@attr", element text ("#text")
 * the element's own name. The name being built is in L->nm.
 */
static void
flatten(struct loader *L, struct tw_event *e, uint32_t i, int depth)
{
	if (depth > 16 || L->nm.len > 200)
		return;
	int t = ej_type(&L->doc, i);
	if (t == EJ_NULL)
		return;
	if (t != EJ_ARR && t != EJ_OBJ) {
		push_pair(L, e, L->nm.len ? L->nm.s : "#text", L->nm.len ? L->nm.len : 5, i, NULL, 0);
		return;
	}
	if (t == EJ_ARR) {
		struct tw_sb j;
		sb_heap(&j);
		if (join_array(L, i, &j)) {
			push_pair(L, e, L->nm.len ? L->nm.s : "#text", L->nm.len ? L->nm.len : 5, EJ_NONE, j.s, j.len);
		} else {
			size_t base = L->nm.len;
			unsigned idx = 0;
			for (uint32_t k = ej_first(&L->doc, i); k != EJ_NONE && k < L->doc.nodes[i].end; k = ej_next(&L->doc, k)) {
				sb_truncate(&L->nm, base);
				sb_addf(&L->nm, "[%u]", idx++);
				flatten(L, e, k, depth + 1);
			}
			sb_truncate(&L->nm, base);
		}
		sb_free(&j);
		return;
	}
	size_t base = L->nm.len;
	for (uint32_t k = ej_first(&L->doc, i); k != EJ_NONE && k < L->doc.nodes[i].end;
	     k = ej_next(&L->doc, k + 1)) {
		uint32_t v = k + 1;
		sb_reset(&L->sb);
		ej_text(&L->doc, k, &L->sb);
		char key[128];
		size_t kl = L->sb.len < sizeof key ? L->sb.len : sizeof key - 1;
		memcpy(key, L->sb.s, kl);
		key[kl] = '\0';
		if (strcmp(key, "#attributes") == 0 && ej_type(&L->doc, v) == EJ_OBJ) {
			for (uint32_t a = ej_first(&L->doc, v); a != EJ_NONE && a < L->doc.nodes[v].end;
			     a = ej_next(&L->doc, a + 1)) {
				sb_reset(&L->sb);
				ej_text(&L->doc, a, &L->sb);
				if (is_xmlns(L->sb.s, L->sb.len))
					continue;
				sb_truncate(&L->nm, base);
				sb_addc(&L->nm, '@');
				sb_addn(&L->nm, L->sb.s, TW_MIN(L->sb.len, (size_t)120));
				flatten(L, e, a + 1, depth + 1);
			}
		} else if (strcmp(key, "#text") == 0) {
			sb_truncate(&L->nm, base);
			flatten(L, e, v, depth + 1);
		} else if (!is_xmlns(key, kl)) {
			sb_truncate(&L->nm, base);
			if (base)
				sb_addc(&L->nm, '/');
			sb_addn(&L->nm, key, kl);
			flatten(L, e, v, depth + 1);
		}
	}
	sb_truncate(&L->nm, base);
}

static void
flatten_named(struct loader *L, struct tw_event *e, const char *name, size_t nlen, uint32_t v)
{
	sb_reset(&L->nm);
	sb_addn(&L->nm, name, nlen);
	flatten(L, e, v, 0);
	sb_reset(&L->nm);
}

/* Every member of obj as data (nested flattened), skipping names in `skip` (NULL-terminated). */
static void
data_object(struct loader *L, struct tw_event *e, uint32_t obj, const char *const *skip)
{
	if (ej_type(&L->doc, obj) != EJ_OBJ)
		return;
	struct tw_sb key;
	sb_heap(&key);
	for (uint32_t k = ej_first(&L->doc, obj); k != EJ_NONE && k < L->doc.nodes[obj].end;
	     k = ej_next(&L->doc, k + 1)) {
		sb_reset(&key);
		ej_text(&L->doc, k, &key);
		bool skipped = false;
		for (size_t s = 0; skip && skip[s]; s++)
			if (skip[s][0] == key.s[0] && strcmp(key.s, skip[s]) == 0) {
				skipped = true;
				break;
			}
		if (!skipped && !(key.len == 11 && memcmp(key.s, "#attributes", 11) == 0))
			flatten_named(L, e, key.s, key.len, k + 1);
	}
	sb_free(&key);
}

static void
pos_push(struct loader *L, tw_pstr v)
{
	if (L->npos == L->poscap) {
		L->poscap = L->poscap ? L->poscap * 2 : 32;
		L->pos = xreallocarray(L->pos, L->poscap, sizeof *L->pos);
	}
	L->pos[L->npos++] = v;
}

/* A positional value (PowerShell Properties element, unnamed <Data>). */
static void
pos_value(struct loader *L, struct tw_event *e, uint32_t v)
{
	if (L->npos >= EV_MAX_KV)
		return;
	int t = ej_type(&L->doc, v);
	if (t == EJ_OBJ) {
		uint32_t inner = ej_get(&L->doc, v, "Value");
		if (inner == EJ_NONE)
			inner = ej_get(&L->doc, v, "value");
		if (inner != EJ_NONE && ej_type(&L->doc, inner) == EJ_OBJ) {
			/* e.g. a SecurityIdentifier: {"BinaryLength":12,...,"Value":"S-1-5-18"} */
			uint32_t in2 = ej_get(&L->doc, inner, "Value");
			if (in2 != EJ_NONE)
				inner = in2;
		}
		v = inner;
		t = ej_type(&L->doc, v);
	}
	if (v == EJ_NONE || t == EJ_NULL) {
		pos_push(L, pool_intern(&L->ev->pool, "", 0));
		return;
	}
	if (t == EJ_STR && ej_str_eq(&L->doc, v, PS_TRUNC_MARK)) {
		e->flags |= EVF_PROPS_CUT;
		return;
	}
	sb_reset(&L->sb);
	if (t == EJ_ARR) {
		if (!join_array(L, v, &L->sb)) {
			sb_reset(&L->sb);
			sb_adds(&L->sb, "[...]");
		}
	} else if (t == EJ_OBJ) {
		sb_adds(&L->sb, "{...}");
	} else {
		ej_text(&L->doc, v, &L->sb);
	}
	pos_push(L, L->sb.len <= 24 ? pool_intern(&L->ev->pool, L->sb.s, L->sb.len)
	                            : pool_add(&L->ev->pool, L->sb.s, L->sb.len));
}

/* Name the positional values from the catalog (or param1..N) and store them. */
static void
pos_flush(struct loader *L, struct tw_event *e, const struct cat_event *ce)
{
	if (!L->npos)
		return;
	e->flags |= EVF_POSITIONAL;
	for (size_t k = 0; k < L->npos; k++) {
		char buf[32];
		const char *name;
		if (ce && k < ce->nfields) {
			name = ce->fields[k].name;
		} else {
			snprintf(buf, sizeof buf, "param%zu", k + 1);
			name = buf;
		}
		if (e->nkv >= EV_MAX_KV)
			break;
		tw_pstr nm = pool_intern(&L->ev->pool, name, strlen(name));
		if (!nm || !L->pos[k])
			continue;
		if (e->nkv == 0)
			e->kv = (uint32_t)L->ev->nkv;
		events_push_kv(L->ev, nm, L->pos[k]);
		e->nkv++;
	}
	L->npos = 0;
}

/* ---- message ----------------------------------------------------------- */

static bool
cue_value(const char *msg, size_t mlen, const char *cue, size_t clen, char kind, const char **vs, size_t *vl)
{
	const char *end = msg + mlen;
	for (const char *p = msg; p + clen <= end; p++) {
		p = memmem(p, (size_t)(end - p), cue, clen);
		if (!p)
			return false;
		const char *v = p + clen, *q = v;
		switch (kind) {
		case 'n':
			if (q + 2 <= end && q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
				q += 2;
				while (q < end && strchr("0123456789abcdefABCDEF", *q) && *q)
					q++;
			} else {
				while (q < end && *q >= '0' && *q <= '9')
					q++;
			}
			break;
		case 'w':
			while (q < end && *q != ' ' && *q != '\r' && *q != '\n' && *q != '.')
				q++;
			break;
		case 'i':
			while (q < end && *q != '\r' && *q != '\n' && !(q + 1 < end && q[0] == ' ' && q[1] == '('))
				q++;
			break;
		case 's':
			while (q < end && *q != '\r' && *q != '\n' && !(q + 1 < end && q[0] == '.' && q[1] == ' '))
				q++;
			if (q > v && q[-1] == '.' && q == end)
				q--;
			break;
		default: /* 'l' */
			while (q < end && *q != '\r' && *q != '\n')
				q++;
			while (q > v && (q[-1] == ' ' || q[-1] == '\t'))
				q--;
			break;
		}
		if (q == v && kind != 'l')
			continue;
		*vs = v;
		*vl = (size_t)(q - v);
		return true;
	}
	return false;
}

/*
 * PowerShell at the default depth keeps only Message: read the catalogued
 * fields back from the known wordings (schannel.md 2, "a tolerant regex").
 */
static void
data_from_message(struct loader *L, struct tw_event *e, const struct cat_event *ce)
{
	size_t mlen;
	const char *msg = pool_get(&L->ev->pool, e->message, &mlen);
	if (!msg || !ce)
		return;
	for (int f = 0; f < ce->nfields; f++) {
		const struct cat_field *cf = &ce->fields[f];
		if (!cf->cue || events_data(L->ev, e, cf->name, NULL))
			continue;
		const char *cue = cf->cue;
		while (*cue) {
			const char *bar = strchr(cue, '|');
			size_t cl = bar ? (size_t)(bar - cue) : strlen(cue);
			const char *vs;
			size_t vl;
			if (cue_value(msg, mlen, cue, cl, cf->kind, &vs, &vl)) {
				/* msg points into the pool, which push_pair may move: copy first. */
				char *copy = xstrndup(vs, vl);
				push_pair(L, e, cf->name, strlen(cf->name), EJ_NONE, copy, vl);
				free(copy);
				msg = pool_get(&L->ev->pool, e->message, &mlen);
				e->flags |= EVF_DATA_FROM_MSG;
				break;
			}
			if (!bar)
				break;
			cue = bar + 1;
		}
	}
}

/*
 * CAPI2's rendered message is always "For more details for this event,
 * please refer to the "Details" section": the catalog's summary says more,
 * when the data has at least one of the fields it uses.
 */
static bool
capi2_boilerplate(struct loader *L, const struct tw_event *e, const struct cat_event *ce, uint32_t msg_node)
{
	static const char boiler[] = "For more details for this event";
	if (!ce || !ce->tmpl || ce->id >= 4096 || strcmp(ce->short_name, "CAPI2") != 0)
		return false;
	size_t len;
	const char *raw = ej_raw(&L->doc, msg_node, &len);
	if (!raw) {
		sb_reset(&L->sb);
		ej_text(&L->doc, msg_node, &L->sb);
		raw = L->sb.s;
		len = L->sb.len;
	}
	if (len < sizeof boiler - 1 || memcmp(raw, boiler, sizeof boiler - 1) != 0)
		return false;
	for (int f = 0; f < ce->nfields; f++)
		if (events_data(L->ev, e, ce->fields[f].name, NULL))
			return true;
	return false;
}

static void
finish_event(struct loader *L, struct tw_event *e, uint32_t msg_node)
{
	size_t plen;
	const char *prov = pool_get(&L->ev->pool, e->provider, &plen);
	const struct cat_event *ce = (e->flags & EVF_HAS_ID) ? catalog_event(prov, plen, e->id) : NULL;
	pos_flush(L, e, ce);
	if (msg_node != EJ_NONE && has_text(L, msg_node) && !capi2_boilerplate(L, e, ce, msg_node))
		e->message = pstr_node(L, msg_node, false);
	if (e->level == EV_LEVEL_UNKNOWN && ce) {
		e->level = ce->level;
		e->flags |= EVF_LEVEL_CATALOG;
	}
	if (e->message && ce)
		data_from_message(L, e, ce);
	if (!e->message && ce && ce->tmpl)
		e->flags |= EVF_MSG_RENDERED; /* rendered when shown (events_message): no pool space */
	if (e->flags & EVF_PROPS_CUT)
		L->ev->nprops_cut++;
	if (e->tdigits > L->ev->maxdigits)
		L->ev->maxdigits = e->tdigits;
	events_push(L->ev, e);
}

/* ---- dialects ---------------------------------------------------------- */

static void
event_init(struct tw_event *e, uint32_t line, uint8_t dialect)
{
	memset(e, 0, sizeof *e);
	e->level = EV_LEVEL_UNKNOWN;
	e->line = line;
	e->dialect = dialect;
}

static void
set_id(struct loader *L, struct tw_event *e, uint32_t i)
{
	uint64_t v;
	if (i != EJ_NONE && node_u64(L, i, &v) && v <= UINT32_MAX) {
		e->id = (uint32_t)v;
		e->flags |= EVF_HAS_ID;
	}
}

static void
set_qual(struct loader *L, struct tw_event *e, uint32_t i)
{
	uint64_t v;
	if (i != EJ_NONE && node_u64(L, i, &v) && v <= UINT16_MAX) {
		e->qualifiers = (uint16_t)v;
		e->flags |= EVF_HAS_QUAL;
	}
}

static void
set_u32(struct loader *L, struct tw_event *e, uint32_t i, uint32_t *dst, unsigned flag)
{
	uint64_t v;
	if (i != EJ_NONE && node_u64(L, i, &v) && v <= UINT32_MAX) {
		*dst = (uint32_t)v;
		e->flags |= (uint16_t)flag;
	}
}

static void
set_record(struct loader *L, struct tw_event *e, uint32_t i)
{
	uint64_t v;
	if (i != EJ_NONE && node_u64(L, i, &v)) {
		e->record_id = v;
		e->flags |= EVF_HAS_RECORD;
	}
}

static void
set_keywords(struct loader *L, struct tw_event *e, uint32_t i)
{
	if (i == EJ_NONE)
		return;
	if (ej_type(&L->doc, i) == EJ_ARR) {
		struct tw_sb j;
		sb_heap(&j);
		if (join_array(L, i, &j) && j.len)
			e->kwnames = pool_intern(&L->ev->pool, j.s, j.len);
		sb_free(&j);
		return;
	}
	uint64_t v;
	if (node_u64(L, i, &v)) {
		e->keywords = v;
		e->flags |= EVF_HAS_KEYWORDS;
	}
}

static void
set_str(struct loader *L, tw_pstr *dst, uint32_t i, bool intern)
{
	if (!*dst && i != EJ_NONE && has_text(L, i))
		*dst = pstr_node(L, i, intern);
}

/* X with attribute A: X.#attributes.A, or (--separate-json-attributes) X_attributes.A. */
static uint32_t
xattr(struct loader *L, uint32_t obj, const char *x, const char *a)
{
	uint32_t xe = ej_get(&L->doc, obj, x);
	if (ej_type(&L->doc, xe) == EJ_OBJ)
		return ej_get(&L->doc, ej_get(&L->doc, xe, "#attributes"), a);
	char key[64];
	size_t xl = strlen(x);
	if (xl + sizeof "_attributes" > sizeof key)
		return EJ_NONE;
	memcpy(key, x, xl);
	memcpy(key + xl, "_attributes", sizeof "_attributes");
	return ej_get(&L->doc, ej_get(&L->doc, obj, key), a);
}

static void
reject(struct loader *L, uint32_t line, const char *why)
{
	L->ev->nreject++;
	if (L->listed_reject < EV_MAX_WARN_LIST) {
		L->listed_reject++;
		events_warn(L->ev, "line %u: event rejected: %s", line, why);
	}
}

static void
map_powershell(struct loader *L, uint32_t o, uint32_t line)
{
	struct tw_event e;
	event_init(&e, line, EV_DI_PS51);
	struct tw_sb why;
	sb_heap(&why);
	uint32_t tn = ej_get(&L->doc, o, "TimeCreated");
	if (!set_time(L, &e, tn, "TimeCreated", &why)) {
		reject(L, line, why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	{
		/* "\/Date(...)\/" is Windows PowerShell 5.1's; ISO strings are 7's (or ToString('o')). */
		uint32_t t = tn;
		if (ej_type(&L->doc, t) == EJ_OBJ)
			t = ej_get(&L->doc, t, "value");
		sb_reset(&L->sb);
		ej_text(&L->doc, t, &L->sb);
		e.dialect = L->sb.len > 6 && memmem(L->sb.s, L->sb.len, "Date(", 5) ? EV_DI_PS51 : EV_DI_PS7;
	}
	set_id(L, &e, ej_get(&L->doc, o, "Id"));
	set_qual(L, &e, ej_get(&L->doc, o, "Qualifiers"));
	set_record(L, &e, ej_get(&L->doc, o, "RecordId"));
	set_str(L, &e.provider, ej_get(&L->doc, o, "ProviderName"), true);
	set_str(L, &e.channel, ej_get(&L->doc, o, "LogName"), true);
	set_str(L, &e.channel, ej_get(&L->doc, o, "ContainerLog"), true);
	set_str(L, &e.computer, ej_get(&L->doc, o, "MachineName"), true);
	set_u32(L, &e, ej_get(&L->doc, o, "ProcessId"), &e.pid, EVF_HAS_PID);
	set_u32(L, &e, ej_get(&L->doc, o, "ThreadId"), &e.tid, EVF_HAS_TID);
	set_level_node(L, &e, ej_get(&L->doc, o, "Level"), false);
	set_level_node(L, &e, ej_get(&L->doc, o, "LevelDisplayName"), false);
	set_keywords(L, &e, ej_get(&L->doc, o, "Keywords"));
	uint32_t kwn = ej_get(&L->doc, o, "KeywordsDisplayNames");
	if (ej_type(&L->doc, kwn) == EJ_ARR)
		set_keywords(L, &e, kwn);
	uint32_t act = ej_get(&L->doc, o, "ActivityId");
	if (ej_type(&L->doc, act) == EJ_STR && !ej_str_eq(&L->doc, act, "00000000-0000-0000-0000-000000000000"))
		set_str(L, &e.activity, act, false);
	uint32_t uid = ej_get(&L->doc, o, "UserId");
	if (ej_type(&L->doc, uid) == EJ_OBJ)
		uid = ej_get(&L->doc, uid, "Value");
	if (ej_type(&L->doc, uid) == EJ_STR) {
		sb_reset(&L->sb);
		ej_text(&L->doc, uid, &L->sb);
		if (strncmp(L->sb.s, "System.", 7) != 0)
			e.user = pool_intern(&L->ev->pool, L->sb.s, L->sb.len);
	}
	uint32_t props = ej_get(&L->doc, o, "Properties");
	if (ej_type(&L->doc, props) == EJ_ARR) {
		for (uint32_t k = ej_first(&L->doc, props); k != EJ_NONE && k < L->doc.nodes[props].end;
		     k = ej_next(&L->doc, k))
			pos_value(L, &e, k);
	} else if (ej_type(&L->doc, props) == EJ_STR && ej_str_eq(&L->doc, props, PS_TRUNC_MARK)) {
		e.flags |= EVF_PROPS_CUT;
	}
	finish_event(L, &e, ej_get(&L->doc, o, "Message"));
}

static void
map_evtx(struct loader *L, uint32_t o, uint32_t line)
{
	uint32_t ev = ej_get(&L->doc, o, "Event");
	uint32_t sys = ej_get(&L->doc, ev, "System");
	/* --separate-json-attributes writes "Event_attributes" and X_attributes siblings. */
	bool sep = ej_get(&L->doc, ev, "Event_attributes") != EJ_NONE;
	struct tw_event e;
	event_init(&e, line, EV_DI_EVTX);
	struct tw_sb why;
	sb_heap(&why);
	if (!set_time(L, &e, xattr(L, sys, "TimeCreated", "SystemTime"), "Event.System.TimeCreated.SystemTime", &why)) {
		reject(L, line, why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	/* The rest in evtx_dump's member order, so each lookup is one comparison (ej_get's hint). */
	set_str(L, &e.provider, xattr(L, sys, "Provider", "Name"), true);
	uint32_t id = ej_get(&L->doc, sys, "EventID");
	if (ej_type(&L->doc, id) == EJ_OBJ) {
		set_qual(L, &e, ej_path(&L->doc, id, "#attributes.Qualifiers"));
		id = ej_get(&L->doc, id, "#text");
	}
	set_id(L, &e, id);
	if (sep)
		set_qual(L, &e, ej_path(&L->doc, sys, "EventID_attributes.Qualifiers"));
	set_level_node(L, &e, ej_get(&L->doc, sys, "Level"), false);
	set_keywords(L, &e, ej_get(&L->doc, sys, "Keywords"));
	set_record(L, &e, ej_get(&L->doc, sys, "EventRecordID"));
	set_str(L, &e.activity, xattr(L, sys, "Correlation", "ActivityID"), false);
	uint32_t ex = ej_get(&L->doc, sys, sep ? "Execution_attributes" : "Execution");
	if (!sep)
		ex = ej_get(&L->doc, ex, "#attributes");
	set_u32(L, &e, ej_get(&L->doc, ex, "ProcessID"), &e.pid, EVF_HAS_PID);
	set_u32(L, &e, ej_get(&L->doc, ex, "ThreadID"), &e.tid, EVF_HAS_TID);
	set_str(L, &e.channel, ej_get(&L->doc, sys, "Channel"), true);
	set_str(L, &e.computer, ej_get(&L->doc, sys, "Computer"), true);
	set_str(L, &e.user, xattr(L, sys, "Security", "UserID"), true);
	if (!e.provider)
		set_str(L, &e.provider, xattr(L, sys, "Provider", "EventSourceName"), true);

	uint32_t ed = ej_get(&L->doc, ev, "EventData");
	if (ej_type(&L->doc, ed) == EJ_OBJ) {
		for (uint32_t k = ej_first(&L->doc, ed); k != EJ_NONE && k < L->doc.nodes[ed].end;
		     k = ej_next(&L->doc, k + 1)) {
			uint32_t v = k + 1;
			if (ej_str_eq(&L->doc, k, "#attributes"))
				continue;
			if (!ej_str_eq(&L->doc, k, "Data")) {
				sb_reset(&L->nm);
				ej_text(&L->doc, k, &L->nm);
				flatten(L, &e, v, 0);
				sb_reset(&L->nm);
				continue;
			}
			/* Unnamed <Data>: {"#text": [...]}, a list, or one value. */
			uint32_t t = ej_type(&L->doc, v) == EJ_OBJ ? ej_get(&L->doc, v, "#text") : v;
			if (ej_type(&L->doc, t) == EJ_ARR) {
				for (uint32_t x = ej_first(&L->doc, t); x != EJ_NONE && x < L->doc.nodes[t].end;
				     x = ej_next(&L->doc, x)) {
					uint32_t nmn = ej_type(&L->doc, x) == EJ_OBJ ? ej_path(&L->doc, x, "#attributes.Name")
					                                              : EJ_NONE;
					if (nmn != EJ_NONE && ej_type(&L->doc, nmn) == EJ_STR) {
						sb_reset(&L->nm);
						ej_text(&L->doc, nmn, &L->nm);
						uint32_t tx = ej_get(&L->doc, x, "#text");
						if (tx != EJ_NONE)
							flatten(L, &e, tx, 0);
						sb_reset(&L->nm);
					} else {
						pos_value(L, &e, x);
					}
				}
			} else if (t != EJ_NONE && ej_type(&L->doc, t) != EJ_NULL) {
				pos_value(L, &e, t);
			}
		}
	}
	uint32_t ud = ej_get(&L->doc, ev, "UserData");
	if (ej_type(&L->doc, ud) == EJ_OBJ) {
		if (L->doc.nodes[ud].len == 1 && ej_type(&L->doc, ud + 2) == EJ_OBJ) {
			e.udroot = pstr_node(L, ud + 1, true);
			sb_reset(&L->nm);
			flatten(L, &e, ud + 2, 0);
		} else {
			sb_reset(&L->nm);
			flatten(L, &e, ud, 0);
		}
	}
	finish_event(L, &e, EJ_NONE);
}

static const char *const ecs_skip[] = { "xml_name", NULL };

static void
map_ecs(struct loader *L, uint32_t o, uint32_t line)
{
	uint32_t w = ej_get(&L->doc, o, "winlog");
	struct tw_event e;
	event_init(&e, line, EV_DI_ECS);
	struct tw_sb why;
	sb_heap(&why);
	uint32_t tn = ej_get(&L->doc, o, "@timestamp");
	const char *what = "@timestamp";
	if (tn == EJ_NONE && ej_get(&L->doc, w, "time_created") != EJ_NONE) {
		tn = ej_get(&L->doc, w, "time_created");
		what = "winlog.time_created";
	}
	if (!set_time(L, &e, tn, what, &why)) {
		reject(L, line, why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	set_id(L, &e, ej_get(&L->doc, w, "event_id"));
	if (!(e.flags & EVF_HAS_ID))
		set_id(L, &e, ej_path(&L->doc, o, "event.code"));
	set_record(L, &e, ej_get(&L->doc, w, "record_id"));
	set_str(L, &e.provider, ej_get(&L->doc, w, "provider_name"), true);
	set_str(L, &e.provider, ej_path(&L->doc, o, "event.provider"), true);
	set_str(L, &e.channel, ej_get(&L->doc, w, "channel"), true);
	set_str(L, &e.computer, ej_get(&L->doc, w, "computer_name"), true);
	set_str(L, &e.computer, ej_path(&L->doc, o, "host.name"), true);
	set_u32(L, &e, ej_path(&L->doc, w, "process.pid"), &e.pid, EVF_HAS_PID);
	set_u32(L, &e, ej_path(&L->doc, w, "process.thread.id"), &e.tid, EVF_HAS_TID);
	set_level_node(L, &e, ej_path(&L->doc, o, "log.level"), false);
	set_level_node(L, &e, ej_get(&L->doc, w, "level"), false);
	set_keywords(L, &e, ej_get(&L->doc, w, "keywords"));
	set_str(L, &e.activity, ej_get(&L->doc, w, "activity_id"), false);
	set_str(L, &e.user, ej_path(&L->doc, w, "user.identifier"), true);
	data_object(L, &e, ej_get(&L->doc, w, "event_data"), NULL);
	uint32_t ud = ej_get(&L->doc, w, "user_data");
	if (ej_type(&L->doc, ud) == EJ_OBJ) {
		set_str(L, &e.udroot, ej_get(&L->doc, ud, "xml_name"), true);
		data_object(L, &e, ud, ecs_skip);
	}
	finish_event(L, &e, ej_get(&L->doc, o, "message"));
}

static void
map_wlb6(struct loader *L, uint32_t o, uint32_t line)
{
	struct tw_event e;
	event_init(&e, line, EV_DI_WLB6);
	struct tw_sb why;
	sb_heap(&why);
	if (!set_time(L, &e, ej_get(&L->doc, o, "@timestamp"), "@timestamp", &why)) {
		reject(L, line, why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	set_id(L, &e, ej_get(&L->doc, o, "event_id"));
	set_record(L, &e, ej_get(&L->doc, o, "record_number"));
	set_str(L, &e.provider, ej_get(&L->doc, o, "source_name"), true);
	set_str(L, &e.channel, ej_get(&L->doc, o, "log_name"), true);
	set_str(L, &e.computer, ej_get(&L->doc, o, "computer_name"), true);
	set_u32(L, &e, ej_get(&L->doc, o, "process_id"), &e.pid, EVF_HAS_PID);
	set_u32(L, &e, ej_get(&L->doc, o, "thread_id"), &e.tid, EVF_HAS_TID);
	set_level_node(L, &e, ej_get(&L->doc, o, "level"), false);
	set_keywords(L, &e, ej_get(&L->doc, o, "keywords"));
	set_str(L, &e.activity, ej_get(&L->doc, o, "activity_id"), false);
	set_str(L, &e.user, ej_path(&L->doc, o, "user.identifier"), true);
	data_object(L, &e, ej_get(&L->doc, o, "event_data"), NULL);
	uint32_t ud = ej_get(&L->doc, o, "user_data");
	if (ej_type(&L->doc, ud) == EJ_OBJ) {
		set_str(L, &e.udroot, ej_get(&L->doc, ud, "xml_name"), true);
		data_object(L, &e, ud, ecs_skip);
	}
	finish_event(L, &e, ej_get(&L->doc, o, "message"));
}

/* NXLog and OTRF flat: the header keys; everything else is event data. */
static const char *const flat_header[] = {
	"EventTime", "EventReceivedTime", "Hostname", "Keywords", "EventType", "SeverityValue",
	"Severity", "SourceName", "ProviderGuid", "EventID", "Version", "Task", "OpcodeValue", "Opcode",
	"RecordNumber", "EventRecordID", "ActivityID", "RelatedActivityID", "ExecutionProcessID",
	"ExecutionThreadID", "ThreadID", "Channel", "Domain", "AccountName", "UserID", "AccountType",
	"Category", "Message", "SourceModuleName", "SourceModuleType", "@timestamp", "@version", "host",
	"port", "tags", "Level", "TimeCreated", "Computer", "ProviderName", NULL,
};

static void
map_flat(struct loader *L, uint32_t o, uint32_t line, uint8_t dialect)
{
	struct tw_event e;
	event_init(&e, line, dialect);
	struct tw_sb why;
	sb_heap(&why);
	uint32_t tn = ej_get(&L->doc, o, "EventTime");
	const char *what = "EventTime";
	if (tn == EJ_NONE) {
		tn = ej_get(&L->doc, o, "TimeCreated");
		what = "TimeCreated";
	}
	if (tn == EJ_NONE) {
		tn = ej_get(&L->doc, o, "@timestamp");
		what = "@timestamp";
	}
	if (!set_time(L, &e, tn, what, &why)) {
		reject(L, line, why.s);
		sb_free(&why);
		return;
	}
	sb_free(&why);
	set_id(L, &e, ej_get(&L->doc, o, "EventID"));
	set_record(L, &e, ej_get(&L->doc, o, "RecordNumber"));
	set_record(L, &e, ej_get(&L->doc, o, "EventRecordID"));
	set_str(L, &e.provider, ej_get(&L->doc, o, "SourceName"), true);
	set_str(L, &e.provider, ej_get(&L->doc, o, "ProviderName"), true);
	set_str(L, &e.channel, ej_get(&L->doc, o, "Channel"), true);
	set_str(L, &e.computer, ej_get(&L->doc, o, "Hostname"), true);
	set_str(L, &e.computer, ej_get(&L->doc, o, "Computer"), true);
	set_u32(L, &e, ej_get(&L->doc, o, "ExecutionProcessID"), &e.pid, EVF_HAS_PID);
	set_u32(L, &e, ej_get(&L->doc, o, "ThreadID"), &e.tid, EVF_HAS_TID);
	set_u32(L, &e, ej_get(&L->doc, o, "ExecutionThreadID"), &e.tid, EVF_HAS_TID);
	set_level_node(L, &e, ej_get(&L->doc, o, "SeverityValue"), true);
	set_level_node(L, &e, ej_get(&L->doc, o, "Level"), false);
	set_level_node(L, &e, ej_get(&L->doc, o, "Severity"), false);
	set_keywords(L, &e, ej_get(&L->doc, o, "Keywords"));
	set_str(L, &e.activity, ej_get(&L->doc, o, "ActivityID"), false);
	set_str(L, &e.user, ej_get(&L->doc, o, "UserID"), true);
	data_object(L, &e, o, flat_header);
	finish_event(L, &e, ej_get(&L->doc, o, "Message"));
}

static int
detect(struct loader *L, uint32_t o)
{
	struct ej_doc *d = &L->doc;
	if (ej_type(d, ej_get(d, o, "winlog")) == EJ_OBJ)
		return EV_DI_ECS;
	if (ej_type(d, ej_path(d, o, "Event.System")) == EJ_OBJ)
		return EV_DI_EVTX;
	if (ej_get(d, o, "Id") != EJ_NONE &&
	    (ej_get(d, o, "ProviderName") != EJ_NONE || ej_get(d, o, "TimeCreated") != EJ_NONE ||
	     ej_get(d, o, "RecordId") != EJ_NONE))
		return EV_DI_PS51;
	if (ej_get(d, o, "EventReceivedTime") != EJ_NONE || ej_get(d, o, "SourceModuleType") != EJ_NONE)
		return EV_DI_NXLOG;
	if (ej_get(d, o, "source_name") != EJ_NONE && ej_get(d, o, "event_id") != EJ_NONE)
		return EV_DI_WLB6;
	if (ej_get(d, o, "SourceName") != EJ_NONE && ej_get(d, o, "EventID") != EJ_NONE &&
	    (ej_get(d, o, "TimeCreated") != EJ_NONE || ej_get(d, o, "EventTime") != EJ_NONE))
		return EV_DI_FLAT;
	return EV_DI_UNKNOWN;
}

static void
handle_value(struct loader *L, uint32_t i, uint32_t line, int depth)
{
	int t = ej_type(&L->doc, i);
	if (t == EJ_ARR && depth == 0) {
		for (uint32_t k = ej_first(&L->doc, i); k != EJ_NONE && k < L->doc.nodes[i].end; k = ej_next(&L->doc, k))
			handle_value(L, k, line, depth + 1);
		return;
	}
	if (t == EJ_OBJ) {
		uint32_t src = ej_get(&L->doc, i, "_source"); /* an Elasticsearch hit */
		if (ej_type(&L->doc, src) == EJ_OBJ)
			i = src;
	}
	int di = t == EJ_OBJ ? detect(L, i) : EV_DI_UNKNOWN;
	if (di == EV_DI_UNKNOWN) {
		L->unknown++;
		if (L->recognized)
			reject(L, line, "not an event record (none of the keys of a known export dialect)");
		else if (L->unknown >= MAX_UNKNOWN_BEFORE_REFUSAL)
			L->stop = L->refused = true;
		return;
	}
	L->recognized++;
	L->kv_full_warned = false;
	L->npos = 0;
	switch (di) {
	case EV_DI_ECS: map_ecs(L, i, line); break;
	case EV_DI_EVTX: map_evtx(L, i, line); break;
	case EV_DI_PS51: map_powershell(L, i, line); break;
	case EV_DI_WLB6: map_wlb6(L, i, line); break;
	case EV_DI_NXLOG: map_flat(L, i, line, EV_DI_NXLOG); break;
	default: map_flat(L, i, line, EV_DI_FLAT); break;
	}
	if (L->ev->pool.full && !L->stop) {
		events_warn(L->ev, "line %u: the string pool is full (4 GiB); the rest of the file was not loaded", line);
		L->stop = true;
	}
}

/* ---- framing ------------------------------------------------------------ */

static bool
is_record_line(const char *p, size_t n)
{
	if (n < 8 || memcmp(p, "Record ", 7) != 0)
		return false;
	size_t k = 7;
	while (k < n && p[k] >= '0' && p[k] <= '9')
		k++;
	if (k == 7)
		return false;
	while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
		k++;
	return k == n;
}

static void
bad_record(struct loader *L, uint32_t line, uint32_t col, const char *msg, const char *what)
{
	L->ev->nbad++;
	if (L->listed_bad < EV_MAX_WARN_LIST) {
		L->listed_bad++;
		events_warn(L->ev, "line %u, column %u: malformed JSON: %s; %s", line, col, msg, what);
	}
}

static void
load_lines(struct loader *L)
{
	L->ev->framing = "JSON lines";
	size_t pos = 0;
	uint32_t line = 0;
	while (pos < L->n && !L->stop) {
		line++;
		const char *p = L->text + pos;
		const char *nl = memchr(p, '\n', L->n - pos);
		size_t len = nl ? (size_t)(nl - p) : L->n - pos;
		size_t next = pos + len + (nl ? 1 : 0);
		size_t tl = len;
		while (tl && (p[tl - 1] == '\r' || p[tl - 1] == ' ' || p[tl - 1] == '\t'))
			tl--;
		size_t lead = 0;
		while (lead < tl && (p[lead] == ' ' || p[lead] == '\t'))
			lead++;
		if (tl > lead && !is_record_line(p + lead, tl - lead)) {
			struct ej_error err;
			if (ej_parse(&L->doc, p, tl, true, NULL, &err)) {
				handle_value(L, 0, line, 0);
			} else {
				uint32_t l, c;
				ej_line_col(p, err.off, &l, &c);
				bad_record(L, line, c, err.msg, "line skipped");
			}
		}
		release(L, next);
		pos = next;
	}
	if (L->ev->nbad > L->listed_bad)
		events_warn(L->ev, "%u malformed lines in all were skipped", L->ev->nbad);
}

static void
skip_ws(struct loader *L, size_t *pos)
{
	while (*pos < L->n) {
		char c = L->text[*pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		(*pos)++;
	}
}

/* Position of the next "Record N" line at or after pos, or n. */
static size_t
next_record_line(struct loader *L, size_t pos)
{
	while (pos < L->n) {
		const char *p = L->text + pos;
		const char *nl = memchr(p, '\n', L->n - pos);
		size_t len = nl ? (size_t)(nl - p) : L->n - pos;
		if (is_record_line(p, len))
			return pos;
		pos += len + (nl ? 1 : 0);
	}
	return L->n;
}

/* A syntax error in the streaming mode; returns the position to continue from, or n. */
static size_t
stream_error(struct loader *L, size_t start, uint32_t sline, const struct ej_error *err)
{
	uint32_t line, col;
	where(L, start, sline, start + err->off, &line, &col);
	if (L->saw_records) {
		bad_record(L, line, col, err->msg, "record skipped");
		size_t after = start + err->off;
		/* Resume at the next Record line after the error. */
		while (after < L->n && L->text[after] != '\n')
			after++;
		return next_record_line(L, after);
	}
	L->ev->nbad++;
	if (L->ev->n == 0 && L->recognized == 0) {
		L->fatal = xasprintf("line %u, column %u: malformed JSON: %s", line, col, err->msg);
	} else {
		events_warn(L->ev, "line %u, column %u: malformed JSON: %s; the %u events before it were "
		            "loaded, the rest of the file was not", line, col, err->msg, L->ev->n);
	}
	return L->n;
}

/* The text a record at pos may use: the rest of the file, at most 4 GiB - 2 (32-bit offsets). */
static size_t
window(const struct loader *L, size_t pos)
{
	size_t w = L->n - pos;
	return w < (size_t)UINT32_MAX - 1 ? w : (size_t)UINT32_MAX - 2;
}

static void
load_stream(struct loader *L)
{
	size_t pos = 0;
	unsigned arrays = 0, objects = 0;
	L->lpos = 0;
	L->lline = 1;
	while (!L->stop) {
		skip_ws(L, &pos);
		if (pos >= L->n)
			break;
		char c = L->text[pos];
		if (c == 'R') {
			const char *p = L->text + pos;
			const char *nl = memchr(p, '\n', L->n - pos);
			size_t len = nl ? (size_t)(nl - p) : L->n - pos;
			if (is_record_line(p, len)) {
				L->saw_records = true;
				pos += len;
				continue;
			}
		}
		if (c == '[') {
			arrays++;
			pos++;
			skip_ws(L, &pos);
			if (pos < L->n && L->text[pos] == ']') {
				pos++;
				continue;
			}
			while (!L->stop) {
				skip_ws(L, &pos);
				uint32_t line = line_at(L, pos);
				struct ej_error err;
				size_t used;
				if (!ej_parse(&L->doc, L->text + pos, window(L, pos), false, &used, &err)) {
					pos = stream_error(L, pos, line, &err);
					break;
				}
				handle_value(L, 0, line, 1);
				pos += used;
				release(L, pos);
				skip_ws(L, &pos);
				if (pos < L->n && L->text[pos] == ',') {
					pos++;
					continue;
				}
				if (pos < L->n && L->text[pos] == ']') {
					pos++;
					break;
				}
				struct ej_error e2 = { 0, "" };
				snprintf(e2.msg, sizeof e2.msg, pos < L->n ? "expected ',' or ']' after an array element"
				                                            : "array not closed before the end of input");
				pos = stream_error(L, pos, line_at(L, pos), &e2);
				break;
			}
			continue;
		}
		if (c == '{') {
			objects++;
			uint32_t line = line_at(L, pos);
			struct ej_error err;
			size_t used;
			if (!ej_parse(&L->doc, L->text + pos, window(L, pos), false, &used, &err)) {
				pos = stream_error(L, pos, line, &err);
				continue;
			}
			handle_value(L, 0, line, 0);
			pos += used;
			release(L, pos);
			continue;
		}
		struct ej_error err = { 0, "" };
		if ((unsigned char)c >= 0x21 && (unsigned char)c < 0x7f)
			snprintf(err.msg, sizeof err.msg, "unexpected '%c' where a JSON object or array should start", c);
		else
			snprintf(err.msg, sizeof err.msg, "unexpected byte 0x%02x where a JSON object or array should start",
			         (unsigned char)c);
		pos = stream_error(L, pos, line_at(L, pos), &err);
	}
	if (L->saw_records)
		L->ev->framing = "evtx_dump JSON (Record N blocks)";
	else if (arrays)
		L->ev->framing = arrays == 1 && !objects ? "JSON array" : "JSON arrays";
	else
		L->ev->framing = objects == 1 ? "one JSON object" : "concatenated JSON objects";
	if (L->saw_records && L->ev->nbad > L->listed_bad)
		events_warn(L->ev, "%u malformed records in all were skipped", L->ev->nbad);
}

/*
 * JSON lines when the first non-blank line is a whole object on its own, or
 * (a damaged first line: garbage, or an object cut short) when at least two
 * of the next eight non-blank lines are whole objects starting in column 0.
 * Pretty-printed JSON never looks like that: its inner lines are indented
 * and its top-level lines are lone braces.
 */
static bool
looks_like_lines(const char *t, size_t n)
{
	size_t pos = 0;
	unsigned seen = 0, whole = 0;
	while (pos < n && seen < 9) {
		const char *p = t + pos;
		const char *nl = memchr(p, '\n', n - pos);
		size_t len = nl ? (size_t)(nl - p) : n - pos;
		size_t a = 0, b = len;
		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t' || p[b - 1] == '\r'))
			b--;
		pos += len + (nl ? 1 : 0);
		if (b == a)
			continue;
		bool is_whole = p[a] == '{' && p[b - 1] == '}' && b - a >= 2;
		if (seen++ == 0) {
			if (is_record_line(p + a, b - a) || p[a] == '[')
				return false;
			if (is_whole)
				return true;
			continue;
		}
		if (is_whole && a == 0 && ++whole >= 2)
			return true;
	}
	return false;
}

static bool
starts_like_json(const char *t, size_t n)
{
	size_t k = 0;
	while (k < n && (t[k] == ' ' || t[k] == '\t' || t[k] == '\r' || t[k] == '\n'))
		k++;
	if (k >= n)
		return false;
	return t[k] == '{' || t[k] == '[' || is_record_line(t + k, TW_MIN(n - k, (size_t)32)) ||
	       (n - k >= 8 && memcmp(t + k, "Record ", 7) == 0);
}

static struct tw_events *
load_text(struct tw_events *ev, const char *text, size_t n, const char *map, size_t map_len, char *err,
          size_t errlen)
{
	struct loader L;
	memset(&L, 0, sizeof L);
	L.ev = ev;
	L.text = text;
	L.n = n;
	L.map = map;
	L.map_len = map_len;
	ej_init(&L.doc);
	sb_heap(&L.sb);
	sb_heap(&L.nm);
	bool lines = looks_like_lines(text, n);
	if (!lines && !starts_like_json(text, n)) {
		snprintf(err, errlen, "not JSON, so not a Windows event export (and not a capture file)");
		goto fail;
	}
	if (lines)
		load_lines(&L);
	else
		load_stream(&L);
	if (L.fatal) {
		snprintf(err, errlen, "%s", L.fatal);
		goto fail;
	}
	if (L.recognized == 0) {
		if (L.unknown > 0 || L.refused)
			snprintf(err, errlen, "not a Windows event export: JSON without the keys of any known "
			                      "export (Get-WinEvent | ConvertTo-Json, evtx_dump, Winlogbeat, NXLog)");
		else
			snprintf(err, errlen, "no events in the file (empty JSON)");
		goto fail;
	}
	if (ev->n == 0) {
		snprintf(err, errlen, "no usable event: %u rejected (%s)", ev->nreject,
		         ev->nwarn ? ev->warn[0] : "see above");
		goto fail;
	}
	if (ev->nreject > L.listed_reject)
		events_warn(ev, "%u events in all were rejected", ev->nreject);
	if (ev->nprops_cut)
		events_warn(ev, "%u events have Properties cut to type names by ConvertTo-Json's default depth; "
		            "their data was read back from Message where tracewb knows the wording "
		            "(export with ConvertTo-Json -Depth 3 to keep it)", ev->nprops_cut);
	if (ev->nnaive && !ev->tz_set) {
		char *safe = tw_escape_dup(ev->name, strlen(ev->name));
		events_warn(ev, "%u event times have no time zone and were taken as UTC; if they are local "
		            "time, give the offset with --tz %s=+hh:mm", ev->nnaive, safe);
		free(safe);
	}
	events_sort(ev);
	free(L.pos);
	free(L.fatal);
	ej_free(&L.doc);
	sb_free(&L.sb);
	sb_free(&L.nm);
	return ev;
fail:
	free(L.pos);
	free(L.fatal);
	ej_free(&L.doc);
	sb_free(&L.sb);
	sb_free(&L.nm);
	events_free(ev);
	return NULL;
}

/* Decode the encoding and load; text may be the file mapping (map) or memory. */
static struct tw_events *
load_bytes(struct tw_events *ev, const uint8_t *p, size_t n, bool mapped, char *err, size_t errlen)
{
	bool be = false, utf16 = false;
	size_t skip = 0;
	if (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) {
		ev->encoding = "UTF-8 with BOM";
		skip = 3;
	} else if (n >= 2 && p[0] == 0xff && p[1] == 0xfe) {
		utf16 = true;
		skip = 2;
		ev->encoding = "UTF-16LE with BOM";
	} else if (n >= 2 && p[0] == 0xfe && p[1] == 0xff) {
		utf16 = be = true;
		skip = 2;
		ev->encoding = "UTF-16BE with BOM";
	} else if (n >= 2 && (p[0] == '{' || p[0] == '[') && p[1] == 0) {
		utf16 = true;
		ev->encoding = "UTF-16LE (no BOM)";
	} else if (n >= 2 && p[0] == 0 && (p[1] == '{' || p[1] == '[')) {
		utf16 = be = true;
		ev->encoding = "UTF-16BE (no BOM)";
	}
	if (!utf16)
		return load_text(ev, (const char *)p + skip, n - skip, mapped ? (const char *)p : NULL, n, err, errlen);
	size_t len, bad;
	char *u8 = ev_utf16_to_utf8(p + skip, n - skip, be, &len, &bad);
	if (mapped)
		madvise((void *)p, n, MADV_DONTNEED); /* the UTF-16 bytes are not needed again */
	if (bad)
		events_warn(ev, "%zu invalid UTF-16 code units (lone surrogates or an odd final byte) were "
		            "replaced by U+FFFD", bad);
	struct tw_events *r = load_text(ev, u8, len, NULL, 0, err, errlen);
	free(u8);
	return r;
}

struct tw_events *
events_load_mem(const char *name, const void *p, size_t n, uint16_t source_id, const struct tw_event_opts *o,
                char *err, size_t errlen)
{
	struct tw_events *ev = events_new(name, source_id);
	if (o) {
		ev->tz_set = o->tz_set;
		ev->tz_min = o->tz_min;
	}
	if (n == 0) {
		snprintf(err, errlen, "empty file (0 bytes)");
		events_free(ev);
		return NULL;
	}
	return load_bytes(ev, p, n, false, err, errlen);
}

struct tw_events *
events_load(const char *path, uint16_t source_id, const struct tw_event_opts *o, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory, not an event export");
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		close(fd);
		return NULL;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "empty file (0 bytes)");
		close(fd);
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	void *map = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the file: %s", strerror(errno));
		return NULL;
	}
	madvise(map, n, MADV_SEQUENTIAL);
	struct tw_events *ev = events_new(path, source_id);
	if (o) {
		ev->tz_set = o->tz_set;
		ev->tz_min = o->tz_min;
	}
	struct tw_events *r = load_bytes(ev, map, n, true, err, errlen);
	munmap(map, n);
	return r;
}
