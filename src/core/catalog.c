/* catalog.c - lookups, message rendering and explanations (see catalog.h). */
#include "core/catalog.h"

#include "core/event.h"
#include "core/event_jp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tables (catalog_data.c). */
extern const struct cat_event cat_events[];
extern const size_t cat_nevents;
extern const struct cat_alert cat_alerts[];
extern const size_t cat_nalerts;
extern const struct cat_code cat_hresults[];
extern const size_t cat_nhresults;
extern const struct cat_code cat_win32[];
extern const size_t cat_nwin32;
extern const struct cat_state cat_states[];
extern const size_t cat_nstates;
extern const struct cat_bit cat_trust_bits[];
extern const size_t cat_ntrust_bits;

static bool
ieq(const char *a, size_t al, const char *b)
{
	size_t bl = strlen(b);
	if (al != bl)
		return false;
	for (size_t i = 0; i < al; i++) {
		char x = a[i], y = b[i];
		if (x >= 'A' && x <= 'Z')
			x = (char)(x + 32);
		if (y >= 'A' && y <= 'Z')
			y = (char)(y + 32);
		if (x != y)
			return false;
	}
	return true;
}

const struct cat_event *
catalog_event(const char *provider, size_t plen, uint32_t id)
{
	if (!provider)
		return NULL;
	for (size_t i = 0; i < cat_nevents; i++)
		if (cat_events[i].id == id && ieq(provider, plen, cat_events[i].provider))
			return &cat_events[i];
	return NULL;
}

size_t
catalog_events_by_id(uint32_t id, const struct cat_event **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < cat_nevents && n < max; i++)
		if (cat_events[i].id == id)
			out[n++] = &cat_events[i];
	return n;
}

int
catalog_field_index(const struct cat_event *ce, const char *name, size_t len)
{
	for (int i = 0; i < ce->nfields; i++)
		if (strlen(ce->fields[i].name) == len && memcmp(ce->fields[i].name, name, len) == 0)
			return i;
	return -1;
}

const struct cat_alert *
catalog_alert(unsigned code)
{
	for (size_t i = 0; i < cat_nalerts; i++)
		if (cat_alerts[i].code == code)
			return &cat_alerts[i];
	return NULL;
}

const struct cat_code *
catalog_hresult(uint32_t code)
{
	for (size_t i = 0; i < cat_nhresults; i++)
		if (cat_hresults[i].code == code)
			return &cat_hresults[i];
	return NULL;
}

const struct cat_code *
catalog_win32(uint32_t code)
{
	for (size_t i = 0; i < cat_nwin32; i++)
		if (cat_win32[i].code == code)
			return &cat_win32[i];
	return NULL;
}

const struct cat_state *
catalog_state(uint32_t state)
{
	for (size_t i = 0; i < cat_nstates; i++)
		if (cat_states[i].state == state)
			return &cat_states[i];
	return NULL;
}

const struct cat_bit *
catalog_trust_bits(size_t *n)
{
	*n = cat_ntrust_bits;
	return cat_trust_bits;
}

/* ---- rendering -------------------------------------------------------- */

static void
add_caller(struct tw_sb *out, cat_getter get, void *ctx, const char *lead)
{
	size_t il, pl;
	const char *img = get(ctx, "CallerProcessImageName", &il);
	if (!img)
		return;
	const char *pid = get(ctx, "CallerProcessId", &pl);
	sb_adds(out, lead);
	sb_adds(out, "The SSPI client process is ");
	sb_addn(out, img, il);
	sb_adds(out, " (PID: ");
	if (pid)
		sb_addn(out, pid, pl);
	sb_adds(out, ").");
}

bool
catalog_render(const struct cat_event *ce, cat_getter get, void *ctx, struct tw_sb *out)
{
	if (!ce || !ce->tmpl)
		return false;
	for (const char *p = ce->tmpl; *p; p++) {
		if (*p != '%') {
			const char *q = strchr(p, '%');
			size_t run = q ? (size_t)(q - p) : strlen(p);
			sb_addn(out, p, run);
			p += run - 1;
			continue;
		}
		char c = p[1];
		if (c == '%') {
			sb_addc(out, '%');
			p++;
		} else if (c == 'C') {
			add_caller(out, get, ctx, " ");
			p++;
		} else if (c == 'P') {
			add_caller(out, get, ctx, "\n\n ");
			p++;
		} else if (c >= '1' && c <= '9') {
			int n = c - '0';
			p++;
			if (p[1] >= '0' && p[1] <= '9') {
				n = n * 10 + (p[1] - '0');
				p++;
			}
			if (n <= ce->nfields) {
				size_t l;
				const char *v = get(ctx, ce->fields[n - 1].name, &l);
				if (v)
					sb_addn(out, v, l);
			}
		} else {
			sb_addc(out, '%');
		}
	}
	return true;
}

/* ---- values ------------------------------------------------------------ */

bool
catalog_parse_code(const char *s, size_t n, uint64_t *out, bool *was_hex)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '.'))
		n--;
	bool hex = n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	if (was_hex)
		*was_hex = hex;
	if (hex) {
		uint64_t v;
		if (!ej_parse_u64(s, n, &v) || v > UINT32_MAX)
			return false;
		*out = v;
		return true;
	}
	int64_t iv;
	if (ej_parse_i64(s, n, &iv)) {
		if (iv < 0) {
			if (iv < INT32_MIN)
				return false;
			*out = (uint32_t)(int32_t)iv; /* .NET HResult: -2146893018 */
			if (was_hex)
				*was_hex = true;
			return true;
		}
		*out = (uint64_t)iv;
		return true;
	}
	return false;
}

/* CAPI2 writes HRESULTs as bare hex ("80092010", "0"). */
static bool
parse_bare_hex(const char *s, size_t n, uint32_t *out)
{
	if (n == 0 || n > 8)
		return false;
	uint32_t v = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
		        c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (h < 0)
			return false;
		v = v << 4 | (uint32_t)h;
	}
	*out = v;
	return true;
}

static bool
ends_with(const char *s, size_t n, const char *suffix)
{
	size_t l = strlen(suffix);
	return n >= l && memcmp(s + n - l, suffix, l) == 0;
}

static void
describe_hresult(struct tw_sb *out, uint32_t v)
{
	const struct cat_code *h = catalog_hresult(v);
	if (h) {
		sb_addf(out, "%s (0x%08X): %s", h->name, v, h->text);
		return;
	}
	if ((v & 0xFFFF0000u) == 0x80070000u) {
		const struct cat_code *w = catalog_win32(v & 0xFFFF);
		sb_addf(out, "HRESULT_FROM_WIN32(%u)", v & 0xFFFF);
		if (w)
			sb_addf(out, " = %s: %s", w->name, w->text);
		return;
	}
	sb_addf(out, "0x%08X (not in tracewb's table)", v);
}

static bool
explain_hresult_value(const char *value, size_t vlen, bool bare_hex, struct tw_sb *out)
{
	uint64_t v;
	uint32_t b;
	if (bare_hex && !(vlen > 2 && value[0] == '0' && (value[1] == 'x' || value[1] == 'X'))) {
		if (!parse_bare_hex(value, vlen, &b))
			return false;
		v = b;
	} else if (!catalog_parse_code(value, vlen, &v, NULL) || v > UINT32_MAX) {
		return false;
	}
	if (v == 0) {
		sb_adds(out, "success");
		return true;
	}
	if (v < 0x10000 && !bare_hex) {
		const struct cat_code *w = catalog_win32((uint32_t)v);
		if (!w)
			return false;
		sb_addf(out, "%s: %s", w->name, w->text);
		return true;
	}
	if (!catalog_hresult((uint32_t)v) && (v & 0xFFFF0000u) != 0x80070000u)
		return false;
	describe_hresult(out, (uint32_t)v);
	return true;
}

bool
catalog_explain_value(const char *field, size_t flen, const char *value, size_t vlen, struct tw_sb *out)
{
	if (!field || !value)
		return false;
	uint64_t v;
	if (ieq(field, flen, "AlertDesc")) {
		if (!catalog_parse_code(value, vlen, &v, NULL) || v > 255)
			return false;
		const struct cat_alert *a = catalog_alert((unsigned)v);
		if (!a) {
			sb_addf(out, "TLS alert %u: not a registered alert", (unsigned)v);
			return true;
		}
		sb_addf(out, "TLS alert %u: %s", a->code, a->rfc);
		if (a->macro)
			sb_addf(out, " (%s)", a->macro);
		if (a->hresult) {
			const struct cat_code *h = catalog_hresult(a->hresult);
			sb_addf(out, "; a receiving Schannel reports %s (0x%08X)", h ? h->name : "?", a->hresult);
		}
		return true;
	}
	if (ieq(field, flen, "ErrorState") || ieq(field, flen, "ErrorStatus")) {
		if (!catalog_parse_code(value, vlen, &v, NULL) || v > UINT32_MAX)
			return false;
		const struct cat_state *s = catalog_state((uint32_t)v);
		if (!s) {
			sb_addf(out, "Schannel internal error state %u: not publicly documented", (unsigned)v);
			return true;
		}
		sb_addf(out, "Schannel internal error state %u (undocumented; a public hint): %s. Seen with %s. Source: %s",
		        s->state, s->meaning, s->seen, s->source);
		return true;
	}
	if (ieq(field, flen, "ErrorCode") || ieq(field, flen, "Error"))
		return explain_hresult_value(value, vlen, false, out);
	if (ends_with(field, flen, "ErrorStatus@value")) {
		uint32_t bits;
		if (!parse_bare_hex(value, vlen, &bits))
			return false;
		if (!bits) {
			sb_adds(out, "no CERT_TRUST error bits set");
			return true;
		}
		size_t n;
		const struct cat_bit *tb = catalog_trust_bits(&n);
		bool first = true;
		for (size_t i = 0; i < n; i++) {
			if (bits & tb[i].bit) {
				sb_addf(out, "%s%s", first ? "" : ", ", tb[i].name);
				first = false;
				bits &= ~tb[i].bit;
			}
		}
		if (bits)
			sb_addf(out, "%sunknown bits 0x%X", first ? "" : ", ", bits);
		return true;
	}
	if (ends_with(field, flen, "Result@value") || ends_with(field, flen, "RevocationStatus@error") ||
	    ends_with(field, flen, "Error@value"))
		return explain_hresult_value(value, vlen, true, out);
	return false;
}

/* ---- --explain --------------------------------------------------------- */

static void
explain_alert(struct tw_sb *out, const struct cat_alert *a)
{
	sb_addf(out, "%u as a TLS alert description (%s):\n", a->code, a->ref);
	sb_addf(out, "  name:            %s\n", a->rfc);
	sb_addf(out, "  Schannel macro:  %s\n", a->macro ? a->macro : "(none in schannel.h)");
	if (a->hresult) {
		const struct cat_code *h = catalog_hresult(a->hresult);
		sb_addf(out, "  when received:   %s (0x%08X)%s%s\n", h ? h->name : "?", a->hresult,
		        h ? ": " : "", h ? h->text : "");
	}
	if (a->cause)
		sb_addf(out, "  typical cause:   %s\n", a->cause);
	if (a->code)
		sb_adds(out, "  in events:       AlertDesc of Schannel 36888 (sent by the logging host) and 36887 (received)\n");
}

static void
explain_event(struct tw_sb *out, const struct cat_event *e)
{
	sb_addf(out, "%u as a %s event (%s):\n", e->id, e->provider, e->short_name);
	sb_addf(out, "  what:            %s\n", e->title);
	sb_addf(out, "  level:           %s\n", ev_level_name(e->level));
	if (e->tmpl) {
		sb_adds(out, "  message:         ");
		for (const char *p = e->tmpl; *p; p++) {
			if (*p == '\n') {
				sb_adds(out, "\n                   ");
				while (p[1] == '\n')
					p++;
			} else if (*p == '%' && (p[1] == 'C' || p[1] == 'P')) {
				sb_adds(out, p[1] == 'C' ? " [The SSPI client process is NAME (PID: N).]" :
				                           " [The SSPI client process is NAME (PID: N).]");
				p++;
			} else {
				sb_addc(out, *p);
			}
		}
		sb_addc(out, '\n');
	}
	if (e->nfields) {
		sb_adds(out, "  data:\n");
		for (int i = 0; i < e->nfields; i++)
			sb_addf(out, "    %%%-2d %-24s %s\n", i + 1, e->fields[i].name,
			        e->fields[i].meaning ? e->fields[i].meaning : "");
	}
	if (e->note)
		sb_addf(out, "  note:            %s\n", e->note);
	sb_addf(out, "  source:          %s\n", e->source);
}

static void
explain_state(struct tw_sb *out, const struct cat_state *s)
{
	sb_addf(out, "%u as a Schannel internal error state (ErrorState/ErrorStatus):\n", s->state);
	sb_addf(out, "  seen with:       %s\n", s->seen);
	sb_addf(out, "  meaning:         %s\n", s->meaning);
	sb_addf(out, "  source:          %s\n", s->source);
	sb_adds(out, "  note:            error states are internal and not publicly documented; treat this as a hint\n");
}

static void
explain_code(struct tw_sb *out, const char *kind, const struct cat_code *c, bool hex)
{
	if (hex)
		sb_addf(out, "0x%08X as %s:\n", c->code, kind);
	else
		sb_addf(out, "%u as %s:\n", c->code, kind);
	sb_addf(out, "  name:            %s\n", c->name);
	sb_addf(out, "  message:         %s\n", c->text);
	if (c->note)
		sb_addf(out, "  note:            %s\n", c->note);
}

/* Alerts whose receipt gives HRESULT code. */
static void
alerts_for_hresult(struct tw_sb *out, uint32_t code)
{
	bool any = false;
	for (size_t i = 0; i < cat_nalerts; i++) {
		if (cat_alerts[i].hresult != code)
			continue;
		sb_addf(out, "%s%u %s", any ? ", " : "  from alerts:     ", cat_alerts[i].code, cat_alerts[i].rfc);
		any = true;
	}
	if (any)
		sb_addc(out, '\n');
}

static bool
name_matches(const char *code, size_t n, const char *name)
{
	/* "S_OK / SEC_E_OK": either part. */
	const char *p = name;
	for (;;) {
		const char *sep = strstr(p, " / ");
		size_t l = sep ? (size_t)(sep - p) : strlen(p);
		char buf[96];
		if (l < sizeof buf) {
			memcpy(buf, p, l);
			buf[l] = '\0';
			if (ieq(code, n, buf))
				return true;
		}
		if (!sep)
			return false;
		p = sep + 3;
	}
}

static bool
explain_name(const char *code, size_t n, struct tw_sb *out)
{
	bool found = false;
	for (size_t i = 0; i < cat_nalerts; i++) {
		const struct cat_alert *a = &cat_alerts[i];
		bool m = ieq(code, n, a->rfc) || (a->macro && ieq(code, n, a->macro));
		/* Older documentation spells some SSL3_ALERT_*. */
		if (!m && a->macro && n > 5 && strncmp(code, "SSL3_", 5) == 0 && ieq(code + 5, n - 5, a->macro + 5))
			m = true;
		if (m) {
			if (found)
				sb_addc(out, '\n');
			explain_alert(out, a);
			found = true;
		}
	}
	for (size_t i = 0; i < cat_nhresults; i++) {
		if (name_matches(code, n, cat_hresults[i].name)) {
			if (found)
				sb_addc(out, '\n');
			explain_code(out, "an HRESULT", &cat_hresults[i], true);
			alerts_for_hresult(out, cat_hresults[i].code);
			found = true;
		}
	}
	for (size_t i = 0; i < cat_nwin32; i++) {
		if (ieq(code, n, cat_win32[i].name)) {
			if (found)
				sb_addc(out, '\n');
			explain_code(out, "a Win32 error", &cat_win32[i], false);
			found = true;
		}
	}
	size_t nb;
	const struct cat_bit *tb = catalog_trust_bits(&nb);
	for (size_t i = 0; i < nb; i++) {
		if (ieq(code, n, tb[i].name)) {
			if (found)
				sb_addc(out, '\n');
			sb_addf(out, "%s is the CERT_TRUST error status bit 0x%X (wincrypt.h), seen in CAPI2 TrustStatus/ErrorStatus@value\n",
			        tb[i].name, tb[i].bit);
			found = true;
		}
	}
	return found;
}

bool
catalog_explain(const char *code, struct tw_sb *out)
{
	size_t n = strlen(code);
	while (n && (code[n - 1] == ' ' || code[n - 1] == '\n'))
		n--;
	while (n && *code == ' ') {
		code++;
		n--;
	}
	uint64_t v;
	bool hex = false;
	bool found = false;
	bool numeric = catalog_parse_code(code, n, &v, &hex);
	uint32_t bare;
	if (!numeric && n == 8 && parse_bare_hex(code, n, &bare)) {
		/* CAPI2's Result@value form: 8 hex digits without 0x. */
		numeric = true;
		hex = true;
		v = bare;
	}
	if (numeric) {
		bool as_hresult = v > UINT32_MAX ? false : (hex || v >= 0x80000000u);
		if (!hex && v <= 255) {
			const struct cat_alert *a = catalog_alert((unsigned)v);
			if (a) {
				explain_alert(out, a);
				found = true;
			}
		}
		if (!hex && v <= UINT32_MAX) {
			const struct cat_event *evs[8];
			size_t ne = catalog_events_by_id((uint32_t)v, evs, ARRAY_SIZE(evs));
			for (size_t i = 0; i < ne; i++) {
				if (found)
					sb_addc(out, '\n');
				explain_event(out, evs[i]);
				found = true;
			}
			const struct cat_state *s = catalog_state((uint32_t)v);
			if (s) {
				if (found)
					sb_addc(out, '\n');
				explain_state(out, s);
				found = true;
			}
		}
		if (v <= UINT32_MAX) {
			const struct cat_code *h = (as_hresult || v >= 0x10000) ? catalog_hresult((uint32_t)v) : NULL;
			if (h) {
				if (found)
					sb_addc(out, '\n');
				explain_code(out, "an HRESULT", h, true);
				alerts_for_hresult(out, h->code);
				found = true;
			} else if ((v & 0xFFFF0000u) == 0x80070000u) {
				const struct cat_code *w = catalog_win32((uint32_t)(v & 0xFFFF));
				if (w) {
					if (found)
						sb_addc(out, '\n');
					sb_addf(out, "0x%08X is HRESULT_FROM_WIN32(%u):\n", (uint32_t)v, (unsigned)(v & 0xFFFF));
					sb_addf(out, "  name:            %s\n  message:         %s\n", w->name, w->text);
					found = true;
				}
			}
			const struct cat_code *w = v < 0x10000 ? catalog_win32((uint32_t)v) : NULL;
			if (w) {
				if (found)
					sb_addc(out, '\n');
				explain_code(out, "a Win32 error", w, false);
				found = true;
			}
		}
	} else if (n > 0 && n < 128) {
		found = explain_name(code, n, out);
	}
	if (!found) {
		sb_adds(out, "nothing known about '");
		sb_add_escaped(out, code, n);
		sb_adds(out, "' (looked up: TLS alerts, Schannel and CAPI2 events, Schannel error states, "
		             "HRESULTs, Win32 errors)\n");
	}
	return found;
}
