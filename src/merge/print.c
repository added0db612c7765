/* print.c - batch printers over the timeline (see print.h). */
#include "merge/print.h"

#include "core/dissect/dissect.h"
#include "core/field.h"
#include "merge/filter.h"
#include "merge/filterrun.h"

#include <inttypes.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool
timefmt_parse(const char *s, enum tw_timefmt *out)
{
	static const struct {
		const char *name;
		enum tw_timefmt f;
	} tab[] = { { "r", TF_REL },  { "a", TF_ABS },         { "ad", TF_ABS_DATE }, { "d", TF_DELTA },
		    { "dd", TF_DELTA_DISP }, { "e", TF_EPOCH }, { "u", TF_UTC },       { "ud", TF_UTC_DATE } };
	for (size_t i = 0; i < ARRAY_SIZE(tab); i++)
		if (strcmp(s, tab[i].name) == 0) {
			*out = tab[i].f;
			return true;
		}
	return false;
}

void
timefmt_format(struct tw_sb *sb, enum tw_timefmt f, tw_time t, tw_time first, tw_time prev,
               tw_time prev_disp, int digits)
{
	switch (f) {
	case TF_REL: fmt_rel_time(sb, t - first, digits); break;
	case TF_DELTA: fmt_rel_time(sb, t - prev, digits); break;
	case TF_DELTA_DISP: fmt_rel_time(sb, t - prev_disp, digits); break;
	case TF_EPOCH: fmt_rel_time(sb, t, digits); break;
	case TF_ABS: fmt_abs_time(sb, t, false, false, digits); break;
	case TF_ABS_DATE: fmt_abs_time(sb, t, false, true, digits); break;
	case TF_UTC: fmt_abs_time(sb, t, true, false, digits); break;
	case TF_UTC_DATE: fmt_abs_time(sb, t, true, true, digits); break;
	}
}

void
print_opts_init(struct tw_print_opts *o)
{
	memset(o, 0, sizeof *o);
	o->summary = true;
	o->tfmt = TF_REL;
	o->count = -1;
	o->out = OUT_TEXT;
	o->occurrence = 'a';
	o->aggregator = ',';
	o->separator = '\t';
}

/* Pseudo-fields for the summary columns, as tshark names them. */
enum col { COL_NONE = -1, COL_NO, COL_TIME, COL_SRC, COL_DST, COL_PROTO, COL_LEN, COL_INFO };
static const char *const col_names[] = { "_ws.col.No.", "_ws.col.Time", "_ws.col.Source",
	                                 "_ws.col.Destination", "_ws.col.Protocol", "_ws.col.Length",
	                                 "_ws.col.Info" };

static int
col_of(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(col_names); i++)
		if (strcmp(name, col_names[i]) == 0)
			return (int)i;
	if (strcmp(name, "_ws.col.No") == 0)
		return COL_NO;
	return COL_NONE;
}

/* "event.data.NAME": a data field of event rows, matched by its name. */
static bool
is_event_data_name(const char *name)
{
	size_t l = strlen(EV_DATA_PREFIX);
	return strncmp(name, EV_DATA_PREFIX, l) == 0 && name[l] != '\0';
}

bool
print_check_fields(const struct tw_print_opts *o, char *err, size_t errlen)
{
	for (size_t i = 0; i < o->nfields; i++) {
		if (col_of(o->fields[i]) == COL_NONE && !field_lookup(o->fields[i]) &&
		    !is_event_data_name(o->fields[i])) {
			snprintf(err, errlen, "unknown field '%s' (not a field tracewb knows)", o->fields[i]);
			return false;
		}
	}
	return true;
}

/* ---- one row's context ---------------------------------------------- */

/* What every row needs and no row changes: shared by the threads. */
struct pshared {
	const struct tw_timeline *tl;
	const struct tw_print_opts *o;
	bool fast_filter;   /* -Y on summary fields: no tree unless it cannot tell */
	bool want_tree;
	bool labels;        /* trees with display labels (-V, -T json, certificate fields) */
	const struct tw_field *const *resolved; /* -e fields */
	tw_time first;      /* time of the first row */
	const struct filter_index *fidx; /* -Y decided from the load pass's index (filterrun.h) */
};

/* One thread's (or the serial loop's) state: everything a row writes. */
struct rowctx {
	const struct tw_timeline *tl;
	const struct tw_print_opts *o;
	const struct pshared *ps;
	tw_time first, prev, prev_disp;
	struct tw_dctx dc;
	struct tw_tree tree;
	struct tw_tree ftree;      /* the summary filter's small tree */
	struct tw_arena *scratch;  /* reassembled bytes of summary-only dissection */
};

static bool
is_event(const struct rowctx *rc, const struct tw_row *r)
{
	return rc->tl->src[r->src].kind == ROW_EVENT;
}

static int
row_digits(const struct tw_source_ref *s)
{
	return s->kind == ROW_EVENT ? events_ts_digits(s->ev) : capture_ts_digits(s->cap);
}

/*
 * Summary columns of an event row: No. is the event's position in its
 * file's time order, Source the computer, Destination the channel,
 * Protocol "EVENT", Length empty, Info "E <id> <provider> <level>  <message>".
 */
static void
event_col_text(struct tw_sb *sb, struct rowctx *rc, const struct tw_row *r, enum col which)
{
	const struct tw_source_ref *s = &rc->tl->src[r->src];
	const struct tw_event *e = events_get(s->ev, r->idx);
	size_t l;
	const char *p;
	switch (which) {
	case COL_NO:
		sb_addu(sb, r->idx + 1);
		break;
	case COL_TIME:
		timefmt_format(sb, rc->o->tfmt, timeline_row_time(rc->tl, r), rc->first, rc->prev,
		               rc->prev_disp, row_digits(s));
		break;
	case COL_SRC:
		if ((p = events_str(s->ev, e->computer, &l)))
			sb_add_escaped(sb, p, l);
		break;
	case COL_DST:
		if ((p = events_str(s->ev, e->channel, &l)))
			sb_add_escaped(sb, p, l);
		break;
	case COL_PROTO:
		sb_adds(sb, "EVENT");
		break;
	case COL_LEN:
		break;
	case COL_INFO:
		event_info(sb, s->ev, e);
		break;
	default:
		break;
	}
}

static void
col_text(struct tw_sb *sb, struct rowctx *rc, const struct tw_row *r, enum col which)
{
	const struct tw_pinfo *pi = &rc->dc.pi;
	const struct tw_source_ref *s = &rc->tl->src[r->src];
	if (s->kind == ROW_EVENT) {
		event_col_text(sb, rc, r, which);
		return;
	}
	switch (which) {
	case COL_NO:
		sb_addu(sb, r->idx + 1);
		break;
	case COL_TIME:
		timefmt_format(sb, rc->o->tfmt, timeline_row_time(rc->tl, r), rc->first, rc->prev,
		               rc->prev_disp, row_digits(s));
		break;
	case COL_SRC:
		addr_format(sb, pi->net_src.type ? &pi->net_src : &pi->dl_src);
		break;
	case COL_DST:
		addr_format(sb, pi->net_dst.type ? &pi->net_dst : &pi->dl_dst);
		break;
	case COL_PROTO:
		sb_adds(sb, pi->proto);
		break;
	case COL_LEN:
		sb_addu(sb, capture_frame(s->cap, r->idx)->len);
		break;
	case COL_INFO:
		if (rc->o->info_prefix)
			rc->o->info_prefix(rc->o->info_prefix_ctx, sb, rc->tl, (size_t)(r - rc->tl->rows));
		sb_addn(sb, pi->info.s, pi->info.len);
		break;
	default:
		break;
	}
}

static void
pad_left(struct tw_sb *sb, const char *s, size_t len, size_t width)
{
	for (size_t i = len; i < width; i++)
		sb_addc(sb, ' ');
	sb_addn(sb, s, len);
}

static void
print_summary(struct tw_sb *out, struct rowctx *rc, const struct tw_row *r)
{
	char buf[2048];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	if (rc->tl->nsrc > 1) {
		sb_addc(&sb, rc->tl->src[r->src].letter);
		sb_addc(&sb, ' ');
	}
	char tmp[128];
	struct tw_sb t;
	sb_fixed(&t, tmp, sizeof tmp);
	sb_addu(&t, r->idx + 1);
	pad_left(&sb, t.s, t.len, 6);
	sb_addc(&sb, ' ');
	sb_reset(&t);
	col_text(&t, rc, r, COL_TIME);
	pad_left(&sb, t.s, t.len, 11);
	sb_addc(&sb, ' ');
	sb_reset(&t);
	col_text(&t, rc, r, COL_SRC);
	pad_left(&sb, t.s, t.len, 15);
	sb_adds(&sb, " \xe2\x86\x92 ");
	size_t dst_at = sb.len;
	col_text(&sb, rc, r, COL_DST);
	for (size_t i = sb.len - dst_at; i < 15; i++)
		sb_addc(&sb, ' ');
	sb_addc(&sb, ' ');
	col_text(&sb, rc, r, COL_PROTO);
	sb_addc(&sb, ' ');
	if (is_event(rc, r))
		sb_addc(&sb, '-');
	else
		col_text(&sb, rc, r, COL_LEN);
	sb_addc(&sb, ' ');
	col_text(&sb, rc, r, COL_INFO);
	sb_addc(&sb, '\n');
	sb_addn(out, sb.s, sb.len);
}

/* ---- text tree -------------------------------------------------------- */

static void
node_text(struct tw_sb *sb, const struct tw_node *n)
{
	bool gen = (n->flags & TW_NF_GENERATED) && !(n->flags & TW_NF_EXPERT);
	if (n->flags & TW_NF_EXPERT) {
		sb_addf(sb, "[Expert Info (%s): ", n->sev == TW_SEV_ERROR ? "Error" :
		                                     n->sev == TW_SEV_WARN ? "Warning" : "Note");
		size_t l = strlen(n->label);
		/* Labels that already carry brackets lose them here. */
		if (l >= 2 && n->label[0] == '[' && n->label[l - 1] == ']')
			sb_addn(sb, n->label + 1, l - 2);
		else
			sb_adds(sb, n->label);
		sb_addc(sb, ']');
		return;
	}
	if (gen && !(n->label && n->label[0] == '['))
		sb_addc(sb, '[');
	field_format_label(sb, n);
	if (gen && !(n->label && n->label[0] == '['))
		sb_addc(sb, ']');
}

static void
tree_text(struct tw_sb *out, const struct tw_tree *t)
{
	struct tw_sb sb;
	sb_heap(&sb);
	const struct tw_node *n = t->root->child;
	int depth = 0;
	while (n) {
		if (!(n->flags & TW_NF_HIDDEN)) {
			sb_reset(&sb);
			node_text(&sb, n);
			for (int i = 0; i < depth * 4; i++)
				sb_addc(out, ' ');
			sb_adds(out, sb.s);
			sb_addc(out, '\n');
		}
		if (n->child && !(n->flags & TW_NF_HIDDEN)) {
			n = n->child;
			depth++;
			continue;
		}
		while (n && !n->next) {
			n = n->parent;
			depth--;
			if (n == t->root)
				n = NULL;
		}
		if (n)
			n = n->next;
	}
	sb_free(&sb);
}

void
print_tree_text(FILE *out, const struct tw_tree *t)
{
	struct tw_sb sb;
	sb_heap(&sb);
	tree_text(&sb, t);
	fwrite(sb.s, 1, sb.len, out);
	sb_free(&sb);
}

static void
hexdump(struct tw_sb *out, const uint8_t *p, size_t n)
{
	for (size_t off = 0; off < n; off += 16) {
		char line[96];
		struct tw_sb sb;
		sb_fixed(&sb, line, sizeof line);
		sb_addf(&sb, "%04zx  ", off);
		for (size_t i = 0; i < 16; i++) {
			if (off + i < n)
				sb_addf(&sb, "%02x ", p[off + i]);
			else
				sb_adds(&sb, "   ");
			if (i == 7)
				sb_addc(&sb, ' ');
		}
		sb_addc(&sb, ' ');
		for (size_t i = 0; i < 16 && off + i < n; i++) {
			uint8_t c = p[off + i];
			sb_addc(&sb, c >= 0x20 && c < 0x7f ? (char)c : '.');
		}
		sb_adds(out, sb.s);
		sb_addc(out, '\n');
	}
}

void
print_hexdump(FILE *out, const uint8_t *p, size_t n)
{
	struct tw_sb sb;
	sb_heap(&sb);
	hexdump(&sb, p, n);
	fwrite(sb.s, 1, sb.len, out);
	sb_free(&sb);
}

static void
print_hex_sources(struct tw_sb *out, const struct tw_tree *t)
{
	for (size_t i = 0; i < t->nsrc; i++) {
		if (t->nsrc > 1 || i > 0)
			sb_addf(out, "%s (%zu bytes):\n", t->src[i].name, t->src[i].len);
		hexdump(out, t->src[i].p, t->src[i].len);
	}
}

/* ---- JSON ------------------------------------------------------------- */

static json_t *
jstr(const char *s)
{
	json_t *j = json_string(s);
	return j ? j : json_string("(invalid UTF-8)");
}

/* bytes: the node's range refers to bytes (frames); event nodes have none. */
static json_t *
node_json(const struct tw_node *n, bool bytes)
{
	json_t *o = json_object();
	struct tw_sb sb;
	sb_heap(&sb);
	if (n->f)
		json_object_set_new(o, "field", jstr(n->f->abbrev));
	node_text(&sb, n);
	json_object_set_new(o, "label", jstr(sb.s));
	if (n->f && (n->flags & TW_NF_HAS_VALUE)) {
		switch (n->f->type) {
		case FT_BOOL:
			json_object_set_new(o, "value", json_boolean(field_value(n)));
			break;
		case FT_U8: case FT_U16: case FT_U24: case FT_U32: case FT_U64: case FT_FRAMENUM:
			json_object_set_new(o, "value", json_integer((json_int_t)field_value(n)));
			break;
		case FT_I64:
			json_object_set_new(o, "value", json_integer((json_int_t)n->v.i));
			break;
		default:
			sb_reset(&sb);
			field_format_fields(&sb, n);
			json_object_set_new(o, "value", jstr(sb.s));
			break;
		}
	}
	if (bytes && (!(n->flags & TW_NF_GENERATED) || n->len)) {
		json_object_set_new(o, "offset", json_integer(n->off));
		json_object_set_new(o, "length", json_integer(n->len));
		if (n->src)
			json_object_set_new(o, "data_source", json_integer(n->src));
	}
	if (n->sev)
		json_object_set_new(o, "severity", jstr(tw_sev_name(n->sev)));
	if (n->flags & TW_NF_GENERATED)
		json_object_set_new(o, "generated", json_true());
	if (n->flags & TW_NF_HIDDEN)
		json_object_set_new(o, "hidden", json_true());
	if (n->child) {
		json_t *kids = json_array();
		for (const struct tw_node *k = n->child; k; k = k->next)
			json_array_append_new(kids, node_json(k, bytes));
		json_object_set_new(o, "children", kids);
	}
	sb_free(&sb);
	return o;
}

static void
print_json(struct tw_sb *out, struct rowctx *rc, const struct tw_row *r)
{
	json_t *o = json_object();
	const struct tw_source_ref *s = &rc->tl->src[r->src];
	struct tw_sb sb;
	sb_heap(&sb);
	json_object_set_new(o, "source", jstr(timeline_source_name(rc->tl, r->src)));
	if (s->kind == ROW_EVENT) {
		json_object_set_new(o, "kind", jstr("event"));
		json_object_set_new(o, "event", json_integer(r->idx + 1));
	} else {
		json_object_set_new(o, "frame", json_integer(r->idx + 1));
	}
	tw_time t = timeline_row_time(rc->tl, r);
	fmt_abs_time(&sb, t, true, true, 9);
	sb_adds(&sb, "Z");
	/* ISO 8601: "2024-01-01T12:00:00.000000000Z". */
	if (sb.len > 10)
		sb.s[10] = 'T';
	json_object_set_new(o, "time", jstr(sb.s));
	static const char *const keys[] = { NULL, NULL, "src", "dst", "protocol", NULL, "info" };
	for (int c = COL_SRC; c <= COL_INFO; c++) {
		if (!keys[c])
			continue;
		sb_reset(&sb);
		col_text(&sb, rc, r, (enum col)c);
		json_object_set_new(o, keys[c], jstr(sb.s));
	}
	if (s->kind != ROW_EVENT)
		json_object_set_new(o, "length", json_integer(capture_frame(s->cap, r->idx)->len));
	json_t *tree = json_array();
	for (const struct tw_node *n = rc->tree.root->child; n; n = n->next)
		json_array_append_new(tree, node_json(n, s->kind != ROW_EVENT));
	json_object_set_new(o, "tree", tree);
	char *txt = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (txt) {
		sb_adds(out, txt);
		sb_addc(out, '\n');
		free(txt);
	}
	json_decref(o);
	sb_free(&sb);
}

/* ---- fields ----------------------------------------------------------- */

static void
emit_value(struct tw_sb *line, const struct tw_print_opts *o, const char *v, size_t *count)
{
	if (*count && o->occurrence == 'f')
		return;
	if (o->occurrence == 'l') {
		/* Keep only the last: handled by resetting the column. */
	}
	if (*count && o->occurrence == 'a')
		sb_addc(line, o->aggregator);
	sb_adds(line, v);
	(*count)++;
}

/*
 * A node matches a -e field by abbreviation; event data nodes carry
 * "event.data.NAME" and also match the generic "event.data".
 */
static bool
field_matches(const struct tw_field *nf, const struct tw_field *want)
{
	if (field_same_abbrev(nf, want))
		return true;
	return want == &ev_field_data && strncmp(nf->abbrev, EV_DATA_PREFIX, strlen(EV_DATA_PREFIX)) == 0;
}

static void
print_fields(struct tw_sb *out, struct rowctx *rc, const struct tw_row *r,
             const struct tw_field *const *resolved)
{
	const struct tw_print_opts *o = rc->o;
	struct tw_sb line, val;
	sb_heap(&line);
	sb_heap(&val);
	for (size_t i = 0; i < o->nfields; i++) {
		if (i)
			sb_addc(&line, o->separator);
		if (o->quote)
			sb_addc(&line, o->quote);
		int col = col_of(o->fields[i]);
		if (col != COL_NONE) {
			sb_reset(&val);
			col_text(&val, rc, r, (enum col)col);
			sb_addn(&line, val.s, val.len); /* columns are built escaped */
		} else {
			size_t count = 0, col_start = line.len;
			for (const struct tw_node *n = rc->tree.root; n; n = node_next_preorder(n, rc->tree.root)) {
				if (!n->f || !field_matches(n->f, resolved[i]))
					continue;
				sb_reset(&val);
				field_format_fields(&val, n);
				if (o->occurrence == 'l') {
					sb_truncate(&line, col_start);
					count = 0;
				}
				emit_value(&line, o, val.s, &count);
			}
		}
		if (o->quote)
			sb_addc(&line, o->quote);
	}
	sb_adds(out, line.s);
	sb_addc(out, '\n');
	sb_free(&line);
	sb_free(&val);
}

/* ---- the row loop --------------------------------------------------------- */

static void
rowctx_init(struct rowctx *rc, const struct pshared *ps)
{
	memset(rc, 0, sizeof *rc);
	rc->tl = ps->tl;
	rc->o = ps->o;
	rc->ps = ps;
	rc->first = rc->prev = rc->prev_disp = ps->first;
	tree_init(&rc->tree, ps->labels);
	tree_init(&rc->ftree, false);
	rc->scratch = arena_new();
}

static void
rowctx_free(struct rowctx *rc)
{
	tree_free(&rc->tree);
	tree_free(&rc->ftree);
	arena_free(rc->scratch);
}

/*
 * Row k: dissect, filter, format into out. Returns whether it was printed.
 * Everything it writes is in rc and out, so threads can run rows at once
 * (see print_parallel); the time columns need rc->prev (the row before)
 * and rc->prev_disp (the last printed row), which it updates.
 */
static bool
print_row(struct rowctx *rc, size_t k, struct tw_sb *out)
{
	const struct pshared *ps = rc->ps;
	const struct tw_print_opts *o = rc->o;
	const struct tw_timeline *tl = rc->tl;
	const struct tw_row *r = &tl->rows[k];
	tw_time t = timeline_row_time(tl, r);
	const struct tw_source_ref *src = &tl->src[r->src];
	/* The filter's index decides most frames without dissecting them (filterrun.h). */
	int im = ps->fidx ? filter_index_row(ps->fidx, k) : -1;
	if (im == 0) {
		rc->prev = t;
		return false;
	}
	if (src->kind == ROW_EVENT) {
		if (ps->want_tree || o->filter)
			event_tree(src->ev, r->idx, &rc->tree);
	} else {
		capture_dissect_scratch(src->cap, r->idx, &rc->dc, ps->want_tree ? &rc->tree : NULL, rc->scratch);
		if (ps->want_tree && o->row_extra)
			o->row_extra(o->row_extra_ctx, &rc->tree, tl, k);
	}
	int fm = 1;
	if (o->filter && im < 0) {
		fm = -1;
		if (ps->fast_filter && src->kind != ROW_EVENT) {
			fm = filter_match_summary(o->filter, &rc->dc.pi, &rc->ftree);
			if (fm < 0) {
				capture_dissect_scratch(src->cap, r->idx, &rc->dc, &rc->tree, rc->scratch);
				if (o->row_extra)
					o->row_extra(o->row_extra_ctx, &rc->tree, tl, k);
			}
		}
		if (fm < 0)
			fm = filter_match_row(o->filter, o->filter_ctx, k, &rc->tree);
	}
	if (!fm) {
		rc->prev = t; /* frame.time_delta counts every row, dd only displayed ones */
		return false;
	}
	switch (o->out) {
	case OUT_TEXT:
		if (o->summary)
			print_summary(out, rc, r);
		if (o->verbose)
			tree_text(out, &rc->tree);
		if (o->hex && src->kind != ROW_EVENT) {
			if (!o->verbose)
				sb_addc(out, '\n');
			print_hex_sources(out, &rc->tree);
		}
		if (o->verbose || (o->hex && src->kind != ROW_EVENT))
			sb_addc(out, '\n');
		break;
	case OUT_JSON:
		print_json(out, rc, r);
		break;
	case OUT_FIELDS:
		print_fields(out, rc, r, ps->resolved);
		break;
	}
	rc->prev = t;
	rc->prev_disp = t;
	return true;
}

/* A sequential pass: pages of frames already printed may leave the resident set. */
static void
release_before_row(const struct tw_timeline *tl, size_t k)
{
	const struct tw_row *r = &tl->rows[k];
	if (tl->src[r->src].kind == ROW_FRAME)
		capture_release_before(tl->src[r->src].cap, r->idx);
}

#define PRINT_FLUSH (64u * 1024)

static size_t
print_serial(FILE *out, const struct pshared *ps)
{
	const struct tw_timeline *tl = ps->tl;
	const struct tw_print_opts *o = ps->o;
	struct rowctx rc;
	rowctx_init(&rc, ps);
	struct tw_sb sb;
	sb_heap(&sb);
	size_t printed = 0;
	for (size_t k = 0; k < tl->n; k++) {
		if (o->count >= 0 && (long long)printed >= o->count)
			break;
		if ((tl->rows[k].idx & 16383) == 0)
			release_before_row(tl, k);
		if (print_row(&rc, k, &sb))
			printed++;
		if (sb.len >= PRINT_FLUSH) {
			fwrite(sb.s, 1, sb.len, out);
			sb_reset(&sb);
		}
	}
	fwrite(sb.s, 1, sb.len, out);
	sb_free(&sb);
	rowctx_free(&rc);
	return printed;
}

/*
 * The parallel print pass. Rows are cut into chunks of consecutive rows;
 * worker threads take the next chunk, print its rows into the chunk's own
 * buffer (print_row with the thread's own dissection context, trees and
 * scratch arena; the sources' state is only read, see capture_freeze), and
 * the calling thread writes the buffers out in chunk order. A ring of
 * slots bounds the chunks in flight, hence the memory.
 */
struct pchunk {
	struct tw_sb out;
	size_t nprinted;
	size_t *ends;        /* out.len after each printed row (-c with -Y) */
	size_t cap_ends;
	bool done;
};

struct ppool {
	const struct pshared *ps;
	size_t nrows, rows_per_chunk, nchunks;
	struct pchunk *slot;
	size_t nslot;
	bool want_ends;
	pthread_mutex_t mu;
	pthread_cond_t work_cv;  /* workers: a slot became free */
	pthread_cond_t done_cv;  /* writer: a chunk is done */
	size_t next;             /* next chunk to take */
	size_t written;          /* chunks written (their slots are free again) */
	bool stop;
};

static void
run_chunk(struct rowctx *rc, struct ppool *pp, size_t j, struct pchunk *c)
{
	const struct tw_timeline *tl = pp->ps->tl;
	size_t k0 = j * pp->rows_per_chunk;
	size_t k1 = k0 + pp->rows_per_chunk < pp->nrows ? k0 + pp->rows_per_chunk : pp->nrows;
	/* Without a filter (or with one and no "dd" times) the previous row is all the time columns need. */
	rc->prev = k0 ? timeline_row_time(tl, &tl->rows[k0 - 1]) : rc->first;
	rc->prev_disp = rc->prev;
	sb_reset(&c->out);
	c->nprinted = 0;
	for (size_t k = k0; k < k1; k++) {
		if (!print_row(rc, k, &c->out))
			continue;
		if (pp->want_ends) {
			if (c->nprinted == c->cap_ends) {
				c->cap_ends = c->cap_ends ? c->cap_ends * 2 : 256;
				c->ends = xreallocarray(c->ends, c->cap_ends, sizeof *c->ends);
			}
			c->ends[c->nprinted] = c->out.len;
		}
		c->nprinted++;
	}
}

static void *
print_worker(void *arg)
{
	struct ppool *pp = arg;
	struct rowctx rc;
	rowctx_init(&rc, pp->ps);
	pthread_mutex_lock(&pp->mu);
	for (;;) {
		while (!pp->stop && pp->next < pp->nchunks && pp->next >= pp->written + pp->nslot)
			pthread_cond_wait(&pp->work_cv, &pp->mu);
		if (pp->stop || pp->next >= pp->nchunks)
			break;
		size_t j = pp->next++;
		struct pchunk *c = &pp->slot[j % pp->nslot];
		pthread_mutex_unlock(&pp->mu);
		run_chunk(&rc, pp, j, c);
		pthread_mutex_lock(&pp->mu);
		c->done = true;
		pthread_cond_signal(&pp->done_cv);
	}
	pthread_mutex_unlock(&pp->mu);
	rowctx_free(&rc);
	return NULL;
}

/* Returns the rows printed, or SIZE_MAX when no thread could be started (print serially). */
static size_t
print_parallel(FILE *out, const struct pshared *ps, size_t nthreads)
{
	const struct tw_timeline *tl = ps->tl;
	const struct tw_print_opts *o = ps->o;
	struct ppool pp;
	memset(&pp, 0, sizeof pp);
	pp.ps = ps;
	pp.nrows = tl->n;
	if (o->count >= 0 && !o->filter && (unsigned long long)o->count < pp.nrows)
		pp.nrows = (size_t)o->count;
	pp.want_ends = o->count >= 0 && o->filter;
	/*
	 * Smaller chunks when rows are big (trees), so the slots stay small;
	 * and enough chunks for every thread on small inputs.
	 */
	pp.rows_per_chunk = ps->want_tree ? 64 : 1024;
	if (pp.nrows / (nthreads * 4) < pp.rows_per_chunk)
		pp.rows_per_chunk = pp.nrows / (nthreads * 4) ? pp.nrows / (nthreads * 4) : 1;
	pp.nchunks = (pp.nrows + pp.rows_per_chunk - 1) / pp.rows_per_chunk;
	pp.nslot = 2 * nthreads + 2;
	pp.slot = xcalloc(pp.nslot, sizeof *pp.slot);
	for (size_t i = 0; i < pp.nslot; i++)
		sb_heap(&pp.slot[i].out);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.work_cv, NULL);
	pthread_cond_init(&pp.done_cv, NULL);
	pthread_t *th = xcalloc(nthreads, sizeof *th);
	size_t started = 0;
	for (size_t i = 0; i < nthreads; i++)
		if (pthread_create(&th[started], NULL, print_worker, &pp) == 0)
			started++;
	size_t printed = 0;
	if (started) {
		size_t released = 0;
		for (size_t j = 0; j < pp.nchunks; j++) {
			struct pchunk *c = &pp.slot[j % pp.nslot];
			pthread_mutex_lock(&pp.mu);
			while (!c->done)
				pthread_cond_wait(&pp.done_cv, &pp.mu);
			pthread_mutex_unlock(&pp.mu);
			bool last = false;
			if (pp.want_ends && printed + c->nprinted >= (unsigned long long)o->count) {
				size_t need = (size_t)o->count - printed;
				fwrite(c->out.s, 1, need ? c->ends[need - 1] : 0, out);
				printed += need;
				last = true;
			} else {
				fwrite(c->out.s, 1, c->out.len, out);
				printed += c->nprinted;
			}
			size_t k1 = (j + 1) * pp.rows_per_chunk;
			if (k1 < tl->n && k1 - released >= 16384) {
				release_before_row(tl, k1);
				released = k1;
			}
			pthread_mutex_lock(&pp.mu);
			c->done = false;
			pp.written++;
			if (last)
				pp.stop = true;
			pthread_cond_broadcast(&pp.work_cv);
			pthread_mutex_unlock(&pp.mu);
			if (last)
				break;
		}
		pthread_mutex_lock(&pp.mu);
		pp.stop = true;
		pthread_cond_broadcast(&pp.work_cv);
		pthread_mutex_unlock(&pp.mu);
		for (size_t i = 0; i < started; i++)
			pthread_join(th[i], NULL);
	}
	free(th);
	pthread_cond_destroy(&pp.done_cv);
	pthread_cond_destroy(&pp.work_cv);
	pthread_mutex_destroy(&pp.mu);
	for (size_t i = 0; i < pp.nslot; i++) {
		sb_free(&pp.slot[i].out);
		free(pp.slot[i].ends);
	}
	free(pp.slot);
	return started ? printed : SIZE_MAX;
}

#define PRINT_MAX_THREADS 8

static size_t
auto_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		return 1;
	return n > PRINT_MAX_THREADS ? PRINT_MAX_THREADS : (size_t)n;
}

size_t
print_timeline(FILE *out, const struct tw_timeline *tl, const struct tw_print_opts *o)
{
	struct pshared ps;
	memset(&ps, 0, sizeof ps);
	ps.tl = tl;
	ps.o = o;
	/* A filter on summary fields only needs no detail tree (filter.h's fast path). */
	ps.fast_filter = o->filter && !(o->verbose || o->hex || o->out != OUT_TEXT) &&
	                 filter_summary_ok(o->filter);
	ps.want_tree = o->verbose || o->hex || o->out != OUT_TEXT || (o->filter && !ps.fast_filter);
	/*
	 * Label-less trees are cheaper; certificate fields come from the chain
	 * model, which is only built for full trees (tls.c chain_trees).
	 */
	bool cert_fields = false;
	for (size_t i = 0; i < o->nfields; i++)
		if (strncmp(o->fields[i], "cert.", 5) == 0 || strncmp(o->fields[i], "x509", 4) == 0)
			cert_fields = true;
	if (o->filter && filter_wants_labels(o->filter))
		cert_fields = true;
	ps.labels = o->verbose || o->out == OUT_JSON || cert_fields;
	const struct tw_field **resolved = xcalloc(o->nfields ? o->nfields : 1, sizeof *resolved);
	struct tw_field *dyn = xcalloc(o->nfields ? o->nfields : 1, sizeof *dyn);
	for (size_t i = 0; i < o->nfields; i++) {
		resolved[i] = field_lookup(o->fields[i]);
		if (resolved[i] && strcmp(resolved[i]->abbrev, "event.data") == 0) {
			resolved[i] = &ev_field_data;
		} else if (!resolved[i] && is_event_data_name(o->fields[i])) {
			/* Matched by name against the data nodes' own descriptors. */
			dyn[i].abbrev = o->fields[i];
			dyn[i].name = o->fields[i] + strlen(EV_DATA_PREFIX);
			dyn[i].type = FT_STRING;
			resolved[i] = &dyn[i];
		}
	}
	ps.resolved = resolved;
	struct filter_index *fidx = o->filter ? filter_index_new(o->filter, tl) : NULL;
	ps.fidx = fidx;
	if (tl->n)
		ps.first = timeline_row_time(tl, &tl->rows[0]);
	if (o->out == OUT_FIELDS && o->header) {
		for (size_t i = 0; i < o->nfields; i++)
			fprintf(out, "%s%s", i ? (char[]){ o->separator, 0 } : "", o->fields[i]);
		fputc('\n', out);
	}
	/*
	 * Threads, unless asked not to, there is too little to share, or the
	 * time column needs the previous *printed* row ("-t dd" with -Y).
	 */
	size_t nthreads = o->threads > 0 ? (size_t)o->threads : auto_threads();
	bool parallel = nthreads > 1 && tl->n > 1 && o->count != 0 && !(o->filter && o->tfmt == TF_DELTA_DISP);
	size_t printed = SIZE_MAX;
	if (parallel) {
		/* What dissection would build on first use, built now: the threads only read. */
		field_registry_init();
		if (o->out == OUT_JSON)
			json_object_seed(0);
		for (size_t s = 0; s < tl->nsrc; s++)
			if (tl->src[s].kind == ROW_FRAME)
				capture_freeze(tl->src[s].cap);
		fflush(out);
		printed = print_parallel(out, &ps, nthreads);
	}
	if (printed == SIZE_MAX)
		printed = print_serial(out, &ps);
	filter_index_free(fidx);
	free(resolved);
	free(dyn);
	return printed;
}
