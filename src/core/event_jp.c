/* event_jp.c - the JSON reader for event exports (see event_jp.h). */
#include "core/event_jp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
ej_init(struct ej_doc *d)
{
	memset(d, 0, sizeof *d);
}

void
ej_free(struct ej_doc *d)
{
	free(d->nodes);
	memset(d, 0, sizeof *d);
}

struct ps {
	struct ej_doc *d;
	const unsigned char *s;
	size_t n, pos;
	struct ej_error *err;
	bool failed;
};

TW_PRINTF(3, 4) static bool
fail(struct ps *p, size_t at, const char *fmt, ...)
{
	if (p->failed)
		return false;
	p->failed = true;
	if (p->err) {
		p->err->off = at;
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return false;
}

static uint32_t
node_new(struct ps *p, uint8_t type, size_t off)
{
	struct ej_doc *d = p->d;
	if (d->nn == d->cap) {
		uint32_t cap = d->cap ? d->cap * 2 : 256;
		d->nodes = xreallocarray(d->nodes, cap, sizeof *d->nodes);
		d->cap = cap;
	}
	struct ej_node *x = &d->nodes[d->nn];
	x->off = (uint32_t)off;
	x->len = 0;
	x->end = d->nn + 1;
	x->type = type;
	x->esc = 0;
	return d->nn++;
}

static inline void
skip_ws(struct ps *p)
{
	if (p->pos < p->n && p->s[p->pos] > ' ')
		return;
	while (p->pos < p->n) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static const char *
describe(struct ps *p)
{
	static char buf[32];
	if (p->pos >= p->n)
		return "end of input";
	unsigned char c = p->s[p->pos];
	if (c >= 0x21 && c < 0x7f)
		snprintf(buf, sizeof buf, "'%c'", c);
	else
		snprintf(buf, sizeof buf, "byte 0x%02x", c);
	return buf;
}

static bool
parse_string(struct ps *p, uint8_t type)
{
	size_t start = p->pos; /* at the quote */
	p->pos++;
	uint32_t i = node_new(p, type, p->pos);
	uint8_t esc = 0;
	const unsigned char *s = p->s;
	size_t n = p->n, pos = p->pos;
	for (;;) {
		/* Fast scan over ordinary bytes, eight at a time (SWAR: any '"', '\\' or byte < 0x20?). */
		while (n - pos >= 8) {
			uint64_t w;
			memcpy(&w, s + pos, 8);
			const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
			uint64_t q = w ^ (ones * '"'), b = w ^ (ones * '\\');
			if (((q - ones) & ~q & high) | ((b - ones) & ~b & high) | ((w - ones * 0x20) & ~w & high))
				break;
			pos += 8;
		}
		while (pos < n && s[pos] != '"' && s[pos] != '\\' && s[pos] >= 0x20)
			pos++;
		if (pos >= n) {
			p->pos = pos;
			return fail(p, start, "string not closed before the end of input");
		}
		unsigned char c = s[pos];
		if (c == '"')
			break;
		if (c < 0x20) {
			p->pos = pos;
			return fail(p, pos, "control character 0x%02x inside a string (must be escaped)", c);
		}
		/* backslash */
		esc = 1;
		if (pos + 1 >= n) {
			p->pos = pos;
			return fail(p, start, "string not closed before the end of input");
		}
		unsigned char e = s[pos + 1];
		switch (e) {
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			pos += 2;
			break;
		case 'u':
			for (int k = 0; k < 4; k++) {
				if (pos + 2 + (size_t)k >= n || !strchr("0123456789abcdefABCDEF", s[pos + 2 + k]) ||
				    s[pos + 2 + k] == 0) {
					p->pos = pos;
					return fail(p, pos, "invalid \\u escape (needs 4 hex digits)");
				}
			}
			pos += 6;
			break;
		default:
			p->pos = pos;
			return fail(p, pos, "invalid escape '\\%c' in a string", e >= 0x20 && e < 0x7f ? e : '?');
		}
	}
	struct ej_node *x = &p->d->nodes[i];
	size_t len = pos - p->pos;
	x->len = (uint32_t)len;
	x->esc = esc;
	p->pos = pos + 1;
	return true;
}

static bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
parse_number(struct ps *p)
{
	size_t start = p->pos;
	const unsigned char *s = p->s;
	size_t n = p->n, pos = p->pos;
	if (pos < n && s[pos] == '-')
		pos++;
	if (pos >= n || !is_digit(s[pos])) {
		p->pos = pos;
		return fail(p, start, "invalid number");
	}
	if (s[pos] == '0') {
		pos++;
	} else {
		while (pos < n && is_digit(s[pos]))
			pos++;
	}
	if (pos < n && s[pos] == '.') {
		pos++;
		if (pos >= n || !is_digit(s[pos])) {
			p->pos = pos;
			return fail(p, start, "invalid number (no digit after the decimal point)");
		}
		while (pos < n && is_digit(s[pos]))
			pos++;
	}
	if (pos < n && (s[pos] == 'e' || s[pos] == 'E')) {
		pos++;
		if (pos < n && (s[pos] == '+' || s[pos] == '-'))
			pos++;
		if (pos >= n || !is_digit(s[pos])) {
			p->pos = pos;
			return fail(p, start, "invalid number (no digit in the exponent)");
		}
		while (pos < n && is_digit(s[pos]))
			pos++;
	}
	uint32_t i = node_new(p, EJ_NUM, start);
	p->d->nodes[i].len = (uint32_t)(pos - start);
	p->pos = pos;
	return true;
}

static bool
parse_literal(struct ps *p, const char *word, uint8_t type)
{
	size_t l = strlen(word);
	if (p->n - p->pos < l || memcmp(p->s + p->pos, word, l) != 0)
		return fail(p, p->pos, "invalid value (unexpected %s)", describe(p));
	uint32_t i = node_new(p, type, p->pos);
	p->d->nodes[i].len = (uint32_t)l;
	p->pos += l;
	return true;
}

static bool parse_value(struct ps *p, unsigned depth);

static bool
parse_array(struct ps *p, unsigned depth)
{
	uint32_t i = node_new(p, EJ_ARR, p->pos);
	p->pos++;
	uint32_t count = 0;
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == ']') {
		p->pos++;
		p->d->nodes[i].end = p->d->nn;
		return true;
	}
	for (;;) {
		if (!parse_value(p, depth + 1))
			return false;
		count++;
		skip_ws(p);
		if (p->pos >= p->n)
			return fail(p, p->pos, "array not closed before the end of input (expected ',' or ']')");
		unsigned char c = p->s[p->pos];
		if (c == ',') {
			p->pos++;
			skip_ws(p);
			continue;
		}
		if (c == ']') {
			p->pos++;
			break;
		}
		return fail(p, p->pos, "expected ',' or ']' after an array element, found %s", describe(p));
	}
	p->d->nodes[i].len = count;
	p->d->nodes[i].end = p->d->nn;
	return true;
}

static bool
parse_object(struct ps *p, unsigned depth)
{
	uint32_t i = node_new(p, EJ_OBJ, p->pos);
	p->pos++;
	uint32_t count = 0;
	skip_ws(p);
	if (p->pos < p->n && p->s[p->pos] == '}') {
		p->pos++;
		p->d->nodes[i].end = p->d->nn;
		return true;
	}
	for (;;) {
		if (p->pos >= p->n)
			return fail(p, p->pos, "object not closed before the end of input");
		if (p->s[p->pos] != '"')
			return fail(p, p->pos, "expected a member name in double quotes, found %s", describe(p));
		if (!parse_string(p, EJ_STR))
			return false;
		skip_ws(p);
		if (p->pos >= p->n || p->s[p->pos] != ':')
			return fail(p, p->pos, "expected ':' after a member name, found %s", describe(p));
		p->pos++;
		skip_ws(p);
		if (!parse_value(p, depth + 1))
			return false;
		count++;
		skip_ws(p);
		if (p->pos >= p->n)
			return fail(p, p->pos, "object not closed before the end of input (expected ',' or '}')");
		unsigned char c = p->s[p->pos];
		if (c == ',') {
			p->pos++;
			skip_ws(p);
			continue;
		}
		if (c == '}') {
			p->pos++;
			break;
		}
		return fail(p, p->pos, "expected ',' or '}' after an object member, found %s", describe(p));
	}
	p->d->nodes[i].len = count;
	p->d->nodes[i].end = p->d->nn;
	return true;
}

static bool
parse_value(struct ps *p, unsigned depth)
{
	if (depth >= EJ_MAX_DEPTH)
		return fail(p, p->pos, "nested more than %d levels deep", EJ_MAX_DEPTH);
	skip_ws(p);
	if (p->pos >= p->n)
		return fail(p, p->pos, "unexpected end of input (a value was expected)");
	switch (p->s[p->pos]) {
	case '{': return parse_object(p, depth);
	case '[': return parse_array(p, depth);
	case '"': return parse_string(p, EJ_STR);
	case 't': return parse_literal(p, "true", EJ_TRUE);
	case 'f': return parse_literal(p, "false", EJ_FALSE);
	case 'n': return parse_literal(p, "null", EJ_NULL);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(p);
	default:
		return fail(p, p->pos, "invalid value (unexpected %s)", describe(p));
	}
}

bool
ej_parse(struct ej_doc *d, const char *text, size_t n, bool whole, size_t *used, struct ej_error *err)
{
	d->text = text;
	d->n = n;
	d->nn = 0;
	d->hint_obj = d->hint_key = d->hint_member = 0;
	struct ps p = { d, (const unsigned char *)text, n, 0, err, false };
	if (err) {
		err->off = 0;
		err->msg[0] = '\0';
	}
	if (n >= UINT32_MAX)
		return fail(&p, 0, "record larger than 4 GiB");
	if (!parse_value(&p, 0))
		return false;
	if (used)
		*used = p.pos;
	if (whole) {
		skip_ws(&p);
		if (p.pos < n)
			return fail(&p, p.pos, "unexpected %s after the end of the JSON value", describe(&p));
	}
	return true;
}

/* ---- access ----------------------------------------------------------- */

static bool
key_eq_slow(const struct ej_doc *d, uint32_t k, const char *key, size_t klen)
{
	char buf[256];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	ej_text(d, k, &sb);
	return !sb.trunc && sb.len == klen && memcmp(sb.s, key, klen) == 0;
}

static inline bool
key_eq(const struct ej_doc *d, uint32_t k, const char *key, size_t klen)
{
	const struct ej_node *x = &d->nodes[k];
	if (!x->esc)
		return x->len == klen && d->text[x->off] == key[0] && memcmp(d->text + x->off, key, klen) == 0;
	return key_eq_slow(d, k, key, klen);
}

uint32_t
ej_get_n(const struct ej_doc *d, uint32_t obj, const char *key, size_t klen)
{
	if (obj == EJ_NONE || d->nodes[obj].type != EJ_OBJ)
		return EJ_NONE;
	uint32_t count = d->nodes[obj].len;
	uint32_t k = obj + 1, m = 0;
	if (d->hint_obj == obj && d->hint_key && d->hint_member < count) {
		k = d->hint_key;
		m = d->hint_member;
	}
	for (uint32_t seen = 0; seen < count; seen++) {
		if (key_eq(d, k, key, klen)) {
			/* The hint is only a cache: the document itself is not changed. */
			struct ej_doc *w = (struct ej_doc *)d;
			uint32_t next = d->nodes[k + 1].end;
			w->hint_obj = obj;
			w->hint_member = m + 1 < count ? m + 1 : 0;
			w->hint_key = m + 1 < count ? next : obj + 1;
			return k + 1;
		}
		if (++m < count) {
			k = d->nodes[k + 1].end;
		} else {
			m = 0;
			k = obj + 1;
		}
	}
	return EJ_NONE;
}

uint32_t
ej_path(const struct ej_doc *d, uint32_t obj, const char *path)
{
	const char *s = path;
	while (obj != EJ_NONE) {
		const char *dot = strchr(s, '.');
		size_t l = dot ? (size_t)(dot - s) : strlen(s);
		obj = ej_get_n(d, obj, s, l);
		if (!dot)
			return obj;
		s = dot + 1;
	}
	return EJ_NONE;
}

bool
ej_str_eq(const struct ej_doc *d, uint32_t i, const char *s)
{
	if (i == EJ_NONE || d->nodes[i].type != EJ_STR)
		return false;
	return key_eq(d, i, s, strlen(s));
}

static int
hexval(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static uint32_t
hex4(const unsigned char *q)
{
	return (uint32_t)(hexval(q[0]) << 12 | hexval(q[1]) << 8 | hexval(q[2]) << 4 | hexval(q[3]));
}

static void
put_utf8(struct tw_sb *out, uint32_t cp)
{
	char b[4];
	size_t n;
	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xc0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xe0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		b[0] = (char)(0xf0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	sb_addn(out, b, n);
}

bool
ej_text(const struct ej_doc *d, uint32_t i, struct tw_sb *out)
{
	if (i == EJ_NONE)
		return false;
	const struct ej_node *x = &d->nodes[i];
	const unsigned char *s = (const unsigned char *)d->text + x->off;
	switch (x->type) {
	case EJ_NULL:
		return true;
	case EJ_NUM: case EJ_TRUE: case EJ_FALSE:
		sb_addn(out, (const char *)s, x->len);
		return true;
	case EJ_STR:
		break;
	default:
		return false;
	}
	if (!x->esc) {
		sb_addn(out, (const char *)s, x->len);
		return true;
	}
	size_t n = x->len, k = 0;
	while (k < n) {
		size_t run = k;
		while (run < n && s[run] != '\\')
			run++;
		if (run > k)
			sb_addn(out, (const char *)s + k, run - k);
		k = run;
		if (k >= n)
			break;
		/* The parser validated every escape. */
		unsigned char e = s[k + 1];
		switch (e) {
		case 'b': sb_addc(out, '\b'); k += 2; break;
		case 'f': sb_addc(out, '\f'); k += 2; break;
		case 'n': sb_addc(out, '\n'); k += 2; break;
		case 'r': sb_addc(out, '\r'); k += 2; break;
		case 't': sb_addc(out, '\t'); k += 2; break;
		case 'u': {
			uint32_t cp = hex4(s + k + 2);
			k += 6;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (k + 6 <= n && s[k] == '\\' && s[k + 1] == 'u') {
					uint32_t lo = hex4(s + k + 2);
					if (lo >= 0xdc00 && lo <= 0xdfff) {
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
						k += 6;
					} else {
						cp = 0xfffd;
					}
				} else {
					cp = 0xfffd;
				}
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				cp = 0xfffd;
			}
			put_utf8(out, cp);
			break;
		}
		default: /* " \ / */
			sb_addc(out, (char)e);
			k += 2;
			break;
		}
	}
	return true;
}

const char *
ej_raw(const struct ej_doc *d, uint32_t i, size_t *len)
{
	if (i == EJ_NONE)
		return NULL;
	const struct ej_node *x = &d->nodes[i];
	if ((x->type != EJ_STR || x->esc) && x->type != EJ_NUM)
		return NULL;
	*len = x->len;
	return d->text + x->off;
}

bool
ej_parse_u64(const char *s, size_t n, uint64_t *out)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0)
		return false;
	uint64_t v = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (n - 2 > 16)
			return false;
		for (size_t k = 2; k < n; k++) {
			int h = hexval((unsigned char)s[k]);
			if (h < 0)
				return false;
			v = v << 4 | (uint64_t)h;
		}
		*out = v;
		return true;
	}
	if (s[0] == '+') {
		s++;
		n--;
		if (!n)
			return false;
	}
	for (size_t k = 0; k < n; k++) {
		if (!is_digit((unsigned char)s[k]))
			return false;
		uint64_t dgt = (uint64_t)(s[k] - '0');
		if (v > (UINT64_MAX - dgt) / 10)
			return false;
		v = v * 10 + dgt;
	}
	*out = v;
	return true;
}

bool
ej_parse_i64(const char *s, size_t n, int64_t *out)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	bool neg = n && s[0] == '-';
	uint64_t u;
	if (!ej_parse_u64(s + neg, n - neg, &u))
		return false;
	if (neg) {
		if (u > (uint64_t)INT64_MAX + 1)
			return false;
		*out = u == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)u;
	} else {
		if (u > INT64_MAX) {
			/* Hex strings of 64-bit masks ("0x8000000000000000") keep their bits. */
			if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
				*out = (int64_t)u;
				return true;
			}
			return false;
		}
		*out = (int64_t)u;
	}
	return true;
}

static bool
scalar_text(const struct ej_doc *d, uint32_t i, char *buf, size_t cap, size_t *len)
{
	if (i == EJ_NONE)
		return false;
	const struct ej_node *x = &d->nodes[i];
	if (x->type != EJ_NUM && x->type != EJ_STR)
		return false;
	struct tw_sb sb;
	sb_fixed(&sb, buf, cap);
	ej_text(d, i, &sb);
	if (sb.trunc)
		return false;
	*len = sb.len;
	return true;
}

bool
ej_i64(const struct ej_doc *d, uint32_t i, int64_t *out)
{
	char buf[64];
	size_t n;
	return scalar_text(d, i, buf, sizeof buf, &n) && ej_parse_i64(buf, n, out);
}

bool
ej_u64(const struct ej_doc *d, uint32_t i, uint64_t *out)
{
	char buf[64];
	size_t n;
	return scalar_text(d, i, buf, sizeof buf, &n) && ej_parse_u64(buf, n, out);
}

bool
ej_double(const struct ej_doc *d, uint32_t i, double *out)
{
	char buf[64];
	size_t n;
	if (!scalar_text(d, i, buf, sizeof buf, &n) || n == 0)
		return false;
	char *end;
	double v = strtod(buf, &end);
	if (end != buf + n)
		return false;
	*out = v;
	return true;
}

void
ej_line_col(const char *text, size_t off, uint32_t *line, uint32_t *col)
{
	uint32_t l = 1, c = 1;
	for (size_t k = 0; k < off; k++) {
		unsigned char ch = (unsigned char)text[k];
		if (ch == '\n') {
			l++;
			c = 1;
		} else if ((ch & 0xc0) != 0x80) {
			c++; /* count characters, not UTF-8 continuation bytes */
		}
	}
	*line = l;
	*col = c;
}
