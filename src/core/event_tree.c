/*
 * event_tree.c - an event's summary (Info column) and detail tree, and the
 * event fields (see event.h).
 *
 * The tree uses the same model as frames: an FT_PROTOCOL root "event",
 * fields event.id, event.provider, ... and one node per data field. Data
 * field names are not known in advance, so each data node gets a field
 * descriptor made in the tree's arena with abbreviation "event.data.NAME"
 * (NAME escaped): `-T fields -e event.data.TargetName` and JSON output see
 * the real name, and the generic `event.data` matches every data node.
 */
#include "core/catalog.h"
#include "core/event_int.h"
#include "core/field.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	EF_EVENT, EF_TIME, EF_ID, EF_QUAL, EF_PROVIDER, EF_CHANNEL, EF_LEVEL, EF_LEVEL_VALUE,
	EF_COMPUTER, EF_RECORD, EF_PID, EF_TID, EF_USER, EF_KEYWORDS, EF_ACTIVITY, EF_MESSAGE,
	EF_DATA, EF_USERDATA, EF_EXPORT, EF_LINE, EF_EXPLAIN, EF_COUNT_
};

static const struct tw_field ev_fields[EF_COUNT_] = {
	[EF_EVENT] = { "event", "Windows Event", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[EF_TIME] = { "event.time", "Time Created", FT_ABSTIME, BASE_NONE, 0, NULL },
	[EF_ID] = { "event.id", "Event ID", FT_U32, BASE_DEC, 0, NULL },
	[EF_QUAL] = { "event.qualifiers", "Qualifiers", FT_U16, BASE_DEC, 0, NULL },
	[EF_PROVIDER] = { "event.provider", "Provider", FT_STRING, BASE_NONE, 0, NULL },
	[EF_CHANNEL] = { "event.channel", "Channel", FT_STRING, BASE_NONE, 0, NULL },
	[EF_LEVEL] = { "event.level", "Level", FT_STRING, BASE_NONE, 0, NULL },
	[EF_LEVEL_VALUE] = { "event.level_value", "Level Value", FT_U8, BASE_DEC, 0, NULL },
	[EF_COMPUTER] = { "event.computer", "Computer", FT_STRING, BASE_NONE, 0, NULL },
	[EF_RECORD] = { "event.record_id", "Record ID", FT_U64, BASE_DEC, 0, NULL },
	[EF_PID] = { "event.process_id", "Process ID", FT_U32, BASE_DEC, 0, NULL },
	[EF_TID] = { "event.thread_id", "Thread ID", FT_U32, BASE_DEC, 0, NULL },
	[EF_USER] = { "event.user", "User SID", FT_STRING, BASE_NONE, 0, NULL },
	[EF_KEYWORDS] = { "event.keywords", "Keywords", FT_STRING, BASE_NONE, 0, NULL },
	[EF_ACTIVITY] = { "event.activity_id", "Activity ID", FT_STRING, BASE_NONE, 0, NULL },
	[EF_MESSAGE] = { "event.message", "Message", FT_STRING, BASE_NONE, 0, NULL },
	[EF_DATA] = { "event.data", "Event Data", FT_STRING, BASE_NONE, 0, NULL },
	[EF_USERDATA] = { "event.userdata", "UserData Element", FT_STRING, BASE_NONE, 0, NULL },
	[EF_EXPORT] = { "event.export", "Export Format", FT_STRING, BASE_NONE, 0, NULL },
	[EF_LINE] = { "event.line", "Line in File", FT_U32, BASE_DEC, 0, NULL },
	[EF_EXPLAIN] = { "event.explain", "Explanation", FT_STRING, BASE_NONE, 0, NULL },
};

static const struct tw_field_table ev_field_table = { ev_fields, EF_COUNT_ };
/*
 * Frames' owning process, from connection events (5156/5158/Sysmon 3)
 * linked by src/merge/correlate.c, which adds these nodes to frame trees.
 */
static const struct tw_field proc_fields[] = {
	{ "process", "Process", FT_PROTOCOL, BASE_NONE, 0, NULL },
	{ "process.name", "Process Name", FT_STRING, BASE_NONE, 0, NULL },
	{ "process.pid", "Process ID", FT_U32, BASE_DEC, 0, NULL },
	{ "process.host", "Host", FT_STRING, BASE_NONE, 0, NULL },
	{ "process.image", "Image", FT_STRING, BASE_NONE, 0, NULL },
};
static const struct tw_field_table proc_field_table = { proc_fields, ARRAY_SIZE(proc_fields) };
const struct tw_field_table *const tw_event_field_tables[] = { &ev_field_table, &proc_field_table, NULL };
const struct tw_field ev_field_data = { "event.data", "Event Data", FT_STRING, BASE_NONE, 0, NULL };

/* "Microsoft-Windows-CAPI2" -> "CAPI2". */
static void
provider_short(struct tw_sb *sb, const char *p, size_t n)
{
	static const char pre[] = "Microsoft-Windows-";
	if (n > sizeof pre - 1 && memcmp(p, pre, sizeof pre - 1) == 0) {
		p += sizeof pre - 1;
		n -= sizeof pre - 1;
	}
	sb_add_escaped(sb, p, n);
}

void
event_info(struct tw_sb *sb, const struct tw_events *ev, const struct tw_event *e)
{
	sb_adds(sb, "E ");
	if (e->flags & EVF_HAS_ID)
		sb_addu(sb, e->id);
	else
		sb_addc(sb, '?');
	size_t pl;
	const char *prov = events_str(ev, e->provider, &pl);
	sb_addc(sb, ' ');
	if (prov)
		provider_short(sb, prov, pl);
	else
		sb_adds(sb, "(no provider)");
	sb_addc(sb, ' ');
	sb_adds(sb, ev_level_name(e->level));
	sb_adds(sb, "  ");
	size_t ml;
	struct tw_sb scratch;
	sb_heap(&scratch);
	const char *msg = events_message(ev, e, &scratch, &ml);
	if (msg) {
		/* The first non-empty line. */
		const char *p = msg, *end = msg + ml;
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			const char *le = nl ? nl : end;
			const char *a = p, *b = le;
			while (a < b && (*a == ' ' || *a == '\t' || *a == '\r'))
				a++;
			while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
				b--;
			if (b > a) {
				sb_add_escaped(sb, a, (size_t)(b - a));
				break;
			}
			p = nl ? nl + 1 : end;
		}
		sb_free(&scratch);
		return;
	}
	sb_free(&scratch);
	/* No message and no template: the data, "Name=value ...". */
	const struct tw_ev_kv *kv = events_kv(ev, e);
	for (uint32_t k = 0; k < e->nkv && sb->len < 400; k++) {
		size_t nl, vl;
		const char *n = events_str(ev, kv[k].name, &nl), *v = events_str(ev, kv[k].value, &vl);
		if (k)
			sb_addc(sb, ' ');
		sb_add_escaped(sb, n, nl);
		sb_addc(sb, '=');
		sb_add_escaped(sb, v, vl > 80 ? 80 : vl);
		if (vl > 80)
			sb_adds(sb, "...");
	}
}

/* ---- tree --------------------------------------------------------------- */

static struct tw_node *
add_str(struct tw_tree *t, struct tw_node *parent, int f, const struct tw_events *ev, tw_pstr s)
{
	size_t l;
	const char *p = events_str(ev, s, &l);
	if (!p)
		return NULL;
	struct tw_node *n = tree_add_gen(t, parent, &ev_fields[f]);
	n->flags &= (uint8_t)~TW_NF_GENERATED; /* read from the export, not computed */
	node_set_bytes(n, (const uint8_t *)p, l);
	return n;
}

static struct tw_node *
add_u(struct tw_tree *t, struct tw_node *parent, int f, uint64_t v)
{
	struct tw_node *n = tree_add_gen(t, parent, &ev_fields[f]);
	n->flags &= (uint8_t)~TW_NF_GENERATED;
	node_set_u(n, v);
	return n;
}

static struct tw_node *
note(struct tw_tree *t, struct tw_node *parent, const char *fmt, ...) TW_PRINTF(3, 4);

static struct tw_node *
note(struct tw_tree *t, struct tw_node *parent, const char *fmt, ...)
{
	struct tw_node *n = tree_add_gen(t, parent, NULL);
	va_list ap;
	va_start(ap, fmt);
	n->label = arena_vprintf(t->arena, fmt, ap);
	va_end(ap);
	return n;
}

static void
fmt_off(char *buf, size_t cap, int minutes)
{
	int a = minutes < 0 ? -minutes : minutes;
	snprintf(buf, cap, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

static void
explain_node(struct tw_tree *t, struct tw_node *parent, const char *text, size_t len)
{
	struct tw_node *x = tree_add_gen(t, parent, &ev_fields[EF_EXPLAIN]);
	node_set_bytes_copy(t, x, text, len);
	x->label = arena_strndup(t->arena, text, len); /* catalog text: safe */
}

void
event_tree(const struct tw_events *ev, uint32_t i, struct tw_tree *t)
{
	tree_reset(t);
	const struct tw_event *e = events_get(ev, i);
	if (!e)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	size_t pl;
	const char *prov = events_str(ev, e->provider, &pl);
	const struct cat_event *ce = (e->flags & EVF_HAS_ID) ? catalog_event(prov, pl, e->id) : NULL;

	struct tw_node *root = tree_add_gen(t, t->root, &ev_fields[EF_EVENT]);
	root->flags &= (uint8_t)~TW_NF_GENERATED;
	if (t->labels) {
		sb_adds(&sb, "Windows Event");
		if (e->flags & EVF_HAS_ID)
			sb_addf(&sb, " %u", e->id);
		if (prov) {
			sb_adds(&sb, ", ");
			sb_add_escaped(&sb, prov, pl);
		}
		sb_addf(&sb, ", %s", ev_level_name(e->level));
		if (e->flags & EVF_HAS_RECORD)
			sb_addf(&sb, ", record %llu", (unsigned long long)e->record_id);
		root->label = arena_strndup(t->arena, sb.s, sb.len);
	}

	/* Time, and how the export gave it. */
	struct tw_node *tn = tree_add_gen(t, root, &ev_fields[EF_TIME]);
	tn->flags &= (uint8_t)~TW_NF_GENERATED;
	node_set_i(tn, e->ts);
	char off[16];
	fmt_off(off, sizeof off, e->toff);
	switch (e->tkind) {
	case EV_TIME_UTC:
		note(t, tn, "The export gives this time in UTC");
		break;
	case EV_TIME_OFFSET:
		note(t, tn, "The export gives local time with offset %s; converted to UTC", off);
		break;
	case EV_TIME_NAIVE: {
		char *safe = tw_escape_dup(ev->name, strlen(ev->name));
		note(t, tn, "The export gives no time zone: taken as UTC (give --tz %s=+hh:mm if it is local time)", safe);
		free(safe);
		break;
	}
	case EV_TIME_NAIVE_TZ:
		note(t, tn, "The export gives no time zone: shifted by --tz %s to UTC", off);
		break;
	case EV_TIME_EPOCH:
		note(t, tn, "The export gives seconds since 1970 (UTC)");
		break;
	}

	if (e->flags & EVF_HAS_ID) {
		struct tw_node *idn = add_u(t, root, EF_ID, e->id);
		if (ce)
			note(t, idn, "%s %u: %s", ce->short_name, ce->id, ce->title);
	}
	if (e->flags & EVF_HAS_QUAL) {
		struct tw_node *q = add_u(t, root, EF_QUAL, e->qualifiers);
		if (e->flags & EVF_HAS_ID)
			note(t, q, "Full legacy event id: %u (0x%08X)", (unsigned)e->qualifiers << 16 | (e->id & 0xffff),
			     (unsigned)e->qualifiers << 16 | (e->id & 0xffff));
	}
	add_str(t, root, EF_PROVIDER, ev, e->provider);

	struct tw_node *lv = tree_add_gen(t, root, &ev_fields[EF_LEVEL]);
	lv->flags &= (uint8_t)~TW_NF_GENERATED;
	const char *lname = ev_level_name(e->level);
	node_set_bytes(lv, (const uint8_t *)lname, strlen(lname));
	if (e->level != EV_LEVEL_UNKNOWN)
		add_u(t, root, EF_LEVEL_VALUE, e->level);
	if (e->flags & EVF_LEVEL_CATALOG)
		note(t, lv, "The export has no level; this is the level the provider's manifest gives");
	if (e->level == EV_LEVEL_ERROR || e->level == EV_LEVEL_CRITICAL || e->level == EV_LEVEL_WARNING) {
		sb_reset(&sb);
		if (prov)
			provider_short(&sb, prov, pl);
		else
			sb_adds(&sb, "Event");
		if (e->flags & EVF_HAS_ID)
			sb_addf(&sb, " %u", e->id);
		sb_addf(&sb, " (%s)", lname);
		if (ce)
			sb_addf(&sb, ": %s", ce->title);
		tree_expert(t, lv, e->level == EV_LEVEL_WARNING ? TW_SEV_WARN : TW_SEV_ERROR, "%s", sb.s);
	}

	add_str(t, root, EF_CHANNEL, ev, e->channel);
	add_str(t, root, EF_COMPUTER, ev, e->computer);
	if (e->flags & EVF_HAS_RECORD)
		add_u(t, root, EF_RECORD, e->record_id);
	if (e->flags & EVF_HAS_PID)
		add_u(t, root, EF_PID, e->pid);
	if (e->flags & EVF_HAS_TID)
		add_u(t, root, EF_TID, e->tid);
	add_str(t, root, EF_USER, ev, e->user);
	if ((e->flags & EVF_HAS_KEYWORDS) || e->kwnames) {
		sb_reset(&sb);
		if (e->flags & EVF_HAS_KEYWORDS)
			sb_addf(&sb, "0x%016llx", (unsigned long long)e->keywords);
		size_t kl;
		const char *kn = events_str(ev, e->kwnames, &kl);
		if (kn) {
			sb_adds(&sb, (e->flags & EVF_HAS_KEYWORDS) ? " (" : "");
			sb_addn(&sb, kn, kl);
			sb_adds(&sb, (e->flags & EVF_HAS_KEYWORDS) ? ")" : "");
		}
		struct tw_node *k = tree_add_gen(t, root, &ev_fields[EF_KEYWORDS]);
		k->flags &= (uint8_t)~TW_NF_GENERATED;
		node_set_bytes_copy(t, k, sb.s, sb.len);
	}
	add_str(t, root, EF_ACTIVITY, ev, e->activity);
	struct tw_node *mn = add_str(t, root, EF_MESSAGE, ev, e->message);
	if (!mn && (e->flags & EVF_MSG_RENDERED)) {
		size_t ml;
		const char *m = events_message(ev, e, &sb, &ml);
		if (m) {
			mn = tree_add_gen(t, root, &ev_fields[EF_MESSAGE]);
			node_set_bytes_copy(t, mn, m, ml);
		}
	}
	if (mn && (e->flags & EVF_MSG_RENDERED)) {
		mn->flags |= TW_NF_GENERATED;
		note(t, mn, "The export has no message: tracewb rendered it from the %s catalog",
		     ce ? ce->short_name : "provider");
	}
	if (e->udroot)
		add_str(t, root, EF_USERDATA, ev, e->udroot);

	/* Data fields. */
	const struct tw_ev_kv *kv = events_kv(ev, e);
	for (uint32_t k = 0; k < e->nkv; k++) {
		size_t nl, vl;
		const char *name = events_str(ev, kv[k].name, &nl);
		const char *val = events_str(ev, kv[k].value, &vl);
		if (!name || !val)
			continue;
		struct tw_field *f = arena_alloc(t->arena, sizeof *f);
		memset(f, 0, sizeof *f);
		sb_reset(&sb);
		sb_adds(&sb, EV_DATA_PREFIX);
		sb_add_escaped(&sb, name, nl);
		f->abbrev = arena_strndup(t->arena, sb.s, sb.len);
		f->name = f->abbrev + strlen(EV_DATA_PREFIX);
		f->type = FT_STRING;
		struct tw_node *dn = tree_add_gen(t, root, f);
		dn->flags &= (uint8_t)~TW_NF_GENERATED;
		node_set_bytes(dn, (const uint8_t *)val, vl);
		sb_reset(&sb);
		if (catalog_explain_value(name, nl, val, vl, &sb))
			explain_node(t, dn, sb.s, sb.len);
		if (t->labels && ce) {
			int fi = catalog_field_index(ce, name, nl);
			if (fi >= 0 && ce->fields[fi].meaning)
				note(t, dn, "%s", ce->fields[fi].meaning);
		}
	}
	if (e->flags & EVF_POSITIONAL)
		note(t, root, "The export's data has no names (positions only): names are from %s",
		     ce ? "the provider's manifest" : "their positions (paramN)");
	if (e->flags & EVF_PROPS_CUT)
		tree_expert(t, root, TW_SEV_NOTE,
		            "ConvertTo-Json's depth limit cut Properties to type names: export with -Depth 3 to keep the data%s",
		            (e->flags & EVF_DATA_FROM_MSG) ? "; the fields shown were read back from the message" : "");
	else if (e->flags & EVF_DATA_FROM_MSG)
		note(t, root, "Some data fields were read back from the message text");
	if (e->flags & EVF_MERGED)
		note(t, root, "The same record (computer, channel, record id) in another file was merged into this one");

	/* Where it came from. */
	const char *di = ev_dialect_name(e->dialect);
	struct tw_node *xn = tree_add_gen(t, root, &ev_fields[EF_EXPORT]);
	node_set_bytes(xn, (const uint8_t *)di, strlen(di));
	if (t->labels) {
		sb_reset(&sb);
		sb_addf(&sb, "Export: %s (%s, %s), ", di, ev->framing, ev->encoding);
		sb_add_escaped(&sb, ev->name, strlen(ev->name));
		sb_addf(&sb, " line %u", e->line);
		xn->label = arena_strndup(t->arena, sb.s, sb.len);
	}
	struct tw_node *ln = tree_add_gen(t, root, &ev_fields[EF_LINE]);
	node_set_u(ln, e->line);
	ln->flags |= TW_NF_HIDDEN;
	sb_free(&sb);
}
