/* export.c - JSON lines and CSV export of the timeline (see export.h). */
#include "merge/export.h"

#include "core/dissect/dissect.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

bool
export_fmt_of(const char *path, enum tw_export_fmt *fmt)
{
	size_t n = strlen(path);
	static const struct {
		const char *ext;
		enum tw_export_fmt f;
	} exts[] = { { ".jsonl", EXPORT_JSONL }, { ".ndjson", EXPORT_JSONL }, { ".json", EXPORT_JSONL },
		     { ".csv", EXPORT_CSV } };
	for (size_t i = 0; i < ARRAY_SIZE(exts); i++) {
		size_t el = strlen(exts[i].ext);
		if (n > el && strcasecmp(path + n - el, exts[i].ext) == 0) {
			*fmt = exts[i].f;
			return true;
		}
	}
	return false;
}

void
export_iso_time(struct tw_sb *sb, tw_time t)
{
	tw_time sec = t / TW_NS_PER_SEC, ns = t % TW_NS_PER_SEC;
	if (ns < 0) {
		ns += TW_NS_PER_SEC;
		sec--;
	}
	time_t tt = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		sb_adds(sb, "1970-01-01T00:00:00.000000000Z");
		return;
	}
	sb_addf(sb, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	        tm.tm_min, tm.tm_sec, (long long)ns);
}

static void
csv_field(FILE *out, const char *s, bool last)
{
	fputc('"', out);
	/* A cell starting like a formula is not run by spreadsheets (CSV injection). */
	if (*s == '=' || *s == '+' || *s == '-' || *s == '@')
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
	fputc(last ? '\n' : ',', out);
}

size_t
export_timeline(FILE *out, const struct tw_analysis *a, enum tw_export_fmt fmt, const uint8_t *keep)
{
	const struct tw_timeline *tl = a->tl;
	struct tw_dctx dc;
	memset(&dc, 0, sizeof dc);
	struct tw_sb msg, tmp, links, finds;
	sb_heap(&msg);
	sb_heap(&tmp);
	sb_heap(&links);
	sb_heap(&finds);
	if (fmt == EXPORT_CSV)
		fputs("datetime,timestamp_desc,message,source,source_name,row,protocol,links,findings\n", out);
	size_t n = 0;
	for (size_t k = 0; k < tl->n; k++) {
		if (keep && !keep[k])
			continue;
		const struct tw_row *r = &tl->rows[k];
		const struct tw_source_ref *s = &tl->src[r->src];
		sb_reset(&msg);
		const char *proto;
		if (s->kind == ROW_EVENT) {
			const struct tw_event *e = events_get(s->ev, r->idx);
			size_t l;
			const char *p = events_str(s->ev, e->computer, &l);
			if (p)
				sb_add_escaped(&msg, p, l);
			sb_adds(&msg, " ");
			event_info(&msg, s->ev, e);
			proto = "EVENT";
		} else {
			capture_dissect(s->cap, r->idx, &dc, NULL);
			const struct tw_pinfo *pi = &dc.pi;
			addr_format(&msg, pi->net_src.type ? &pi->net_src : &pi->dl_src);
			sb_adds(&msg, " → ");
			addr_format(&msg, pi->net_dst.type ? &pi->net_dst : &pi->dl_dst);
			sb_addf(&msg, " %s %u ", pi->proto ? pi->proto : "", capture_frame(s->cap, r->idx)->len);
			sb_addn(&msg, pi->info.s, pi->info.len);
			proto = pi->proto ? pi->proto : "";
		}
		sb_reset(&links);
		for (size_t i = 0;; i++) {
			const struct tw_link *l = links_of_row(&a->links, tl, (uint32_t)k, i);
			if (!l)
				break;
			if (links.len)
				sb_adds(&links, "; ");
			analysis_row_ref(&links, tl, l->a == k ? l->b : l->a);
			sb_addf(&links, " (%s, confidence %u)", l->kind == LINK_PROCESS ? "process" : l->kind == LINK_CONTENT ? "content" : "handshake",
			        l->confidence);
		}
		sb_reset(&finds);
		for (size_t i = 0;; i++) {
			const struct tw_finding *f = analysis_findings_of_row(a, (uint32_t)k, i);
			if (!f)
				break;
			if (finds.len)
				sb_adds(&finds, " | ");
			sb_addf(&finds, "%s %s: %s", tw_sev_name(f->sev), f->category, f->text);
		}
		sb_reset(&tmp);
		export_iso_time(&tmp, timeline_row_time(tl, r));
		char letter[2] = { s->letter, 0 };
		const char *nm = timeline_source_name(tl, r->src);
		char *safe_nm = tw_escape_dup(nm, strlen(nm));
		struct tw_sb ref;
		char refbuf[32];
		sb_fixed(&ref, refbuf, sizeof refbuf);
		analysis_row_ref(&ref, tl, (uint32_t)k);
		const char *desc = s->kind == ROW_EVENT ? "Event logged" : "Packet captured";
		if (fmt == EXPORT_CSV) {
			csv_field(out, tmp.s, false);
			csv_field(out, desc, false);
			csv_field(out, msg.s, false);
			csv_field(out, letter, false);
			csv_field(out, safe_nm, false);
			csv_field(out, refbuf, false);
			csv_field(out, proto, false);
			csv_field(out, links.s, false);
			csv_field(out, finds.s, true);
		} else {
			json_t *o = json_object();
			json_object_set_new(o, "datetime", json_string(tmp.s));
			json_object_set_new(o, "timestamp_desc", json_string(desc));
			json_object_set_new(o, "message", json_string(msg.s));
			json_object_set_new(o, "source", json_string(letter));
			json_object_set_new(o, "source_name", json_string(safe_nm));
			json_object_set_new(o, "row", json_string(refbuf));
			json_object_set_new(o, "protocol", json_string(proto));
			if (links.len)
				json_object_set_new(o, "links", json_string(links.s));
			if (finds.len)
				json_object_set_new(o, "findings", json_string(finds.s));
			if (s->kind == ROW_EVENT) {
				const struct tw_event *e = events_get(s->ev, r->idx);
				json_object_set_new(o, "event_id", json_integer(e->id));
				if (e->flags & EVF_HAS_RECORD)
					json_object_set_new(o, "record_id", json_integer((json_int_t)e->record_id));
			} else {
				uint32_t conv = capture_frame(s->cap, r->idx)->conv;
				struct tw_convs *cs = capture_convs(s->cap);
				if (conv != CONV_NONE && conv < cs->n)
					json_object_set_new(o, cs->v[conv].proto == 17 ? "udp_stream" : "tcp_stream",
					                    json_integer(cs->v[conv].stream));
			}
			char *line = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
			if (line) {
				fputs(line, out);
				fputc('\n', out);
				free(line);
			}
			json_decref(o);
		}
		free(safe_nm);
		n++;
	}
	sb_free(&msg);
	sb_free(&tmp);
	sb_free(&links);
	sb_free(&finds);
	return n;
}
