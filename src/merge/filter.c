/* filter.c - display filters: lexer, recursive-descent parser, evaluation (see filter.h). */
#include "merge/filter.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/dissect.h"
#include "core/event.h"
#include "core/field.h"
#include "merge/correlate.h"
#include "merge/diagnose.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- tokens ------------------------------------------------------------ */

enum tok {
	T_END, T_LP, T_RP, T_LB, T_RB, T_COMMA, T_AND, T_OR, T_NOT, T_OP, T_STR, T_WORD, T_BAD
};

enum op {
	OP_EXISTS, OP_EQ, OP_NE, OP_ANYNE, OP_LT, OP_LE, OP_GT, OP_GE, OP_CONTAINS, OP_MATCHES, OP_IN
};

static const char *const op_names[] = { "", "==", "!=", "~=", "<", "<=", ">", ">=", "contains", "matches", "in" };

struct token {
	enum tok t;
	enum op op;
	size_t pos, len;
	char *s;      /* T_STR: unescaped bytes (heap), T_WORD: copy */
	size_t slen;
};

/* ---- the compiled tree ------------------------------------------------- */

enum nkind { N_AND, N_OR, N_NOT, N_TEST };
enum special { SP_NONE, SP_ERROR, SP_WARNING, SP_CORRELATED, SP_FINDING, SP_FINDING_CAT };

/* tracewb's own names that are not in the field registry (filter.h). */
static const struct {
	const char *name;
	enum special sp;
	uint8_t ftype;
} specials[] = {
	{ "error", SP_ERROR, FT_NONE },
	{ "warning", SP_WARNING, FT_NONE },
	{ "correlated", SP_CORRELATED, FT_NONE },
	{ "finding", SP_FINDING, FT_STRING },
	{ "finding.category", SP_FINDING_CAT, FT_STRING },
};

/* process.* fields, given by the row context (and by print.c's row hook in trees). */
static const char *const proc_names[] = { "process", "process.name", "process.pid", "process.image", "process.host" };
enum { PROC_ANY = 1, PROC_NAME, PROC_PID, PROC_IMAGE, PROC_HOST };
enum vkind { V_U, V_I, V_D, V_IP4, V_IP6, V_BYTES };

struct fval {
	enum vkind k;
	bool range;          /* lo..hi (integers, doubles) */
	uint64_t u, uhi;
	int64_t i, ihi;
	double d, dhi;
	unsigned prefix;     /* CIDR bits for addresses */
	uint8_t a6[16];
	uint8_t *p;          /* bytes/strings (heap) */
	size_t n;
};

struct fnode {
	enum nkind kind;
	struct fnode *a, *b;
	/* N_TEST */
	enum op op;
	enum special sp;
	uint8_t proc;                    /* PROC_*: also from the row context, 0 if not */
	char *abbrev;                    /* matched by name too (event.data.NAME) */
	bool data_any;                   /* "event.data": any data node */
	const struct tw_field **fs;      /* registered descriptors with this abbreviation */
	size_t nfs;
	uint8_t ftype;
	struct fval *vals;
	size_t nvals;
	regex_t re;
	bool has_re;
};

struct tw_filter {
	char *text;
	struct fnode *root;
};

struct parser {
	const char *s;
	size_t pos;          /* lexer position */
	struct token cur;
	struct filter_error *err;
	bool failed;
};

static void
perr(struct parser *p, size_t pos, size_t len, const char *fmt, ...) TW_PRINTF(4, 5);

static void
perr(struct parser *p, size_t pos, size_t len, const char *fmt, ...)
{
	if (p->failed)
		return;
	p->failed = true;
	p->err->pos = pos;
	p->err->len = len ? len : 1;
	char raw[sizeof p->err->msg];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	/*
	 * Messages quote the expression's tokens, which may hold any byte: what
	 * would not show as itself (controls, C1, bidi overrides, invalid
	 * UTF-8) is written as \xNN, everything else (backslashes too) kept.
	 */
	struct tw_sb sb;
	sb_fixed(&sb, p->err->msg, sizeof p->err->msg);
	size_t n = strlen(raw);
	for (size_t i = 0; i < n;) {
		const uint8_t *u = (const uint8_t *)raw + i;
		uint32_t cp;
		size_t k = u[0] < 0x80 ? 1 : tw_utf8_seq(u, n - i, &cp);
		if (k == 1 && u[0] >= 0x20 && u[0] < 0x7f)
			sb_addc(&sb, (char)u[0]);
		else if (k > 1 && tw_is_display_safe(u, k))
			sb_addn(&sb, (const char *)u, k);
		else
			for (size_t j = 0; j < (k ? k : 1); j++)
				sb_addf(&sb, "\\x%02x", u[j]);
		i += k ? k : 1;
	}
}

static bool
word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void
tok_clear(struct token *t)
{
	free(t->s);
	memset(t, 0, sizeof *t);
}

static const struct {
	const char *w;
	enum tok t;
	enum op op;
} keywords[] = {
	{ "and", T_AND, 0 }, { "or", T_OR, 0 }, { "not", T_NOT, 0 },
	{ "eq", T_OP, OP_EQ }, { "ne", T_OP, OP_NE }, { "all_ne", T_OP, OP_NE }, { "any_ne", T_OP, OP_ANYNE },
	{ "any_eq", T_OP, OP_EQ }, { "lt", T_OP, OP_LT }, { "le", T_OP, OP_LE }, { "gt", T_OP, OP_GT },
	{ "ge", T_OP, OP_GE }, { "contains", T_OP, OP_CONTAINS }, { "matches", T_OP, OP_MATCHES },
	{ "in", T_OP, OP_IN },
};

/* Read the next token into p->cur. */
static void
lex(struct parser *p)
{
	tok_clear(&p->cur);
	const char *s = p->s;
	size_t i = p->pos;
	while (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
		i++;
	struct token *t = &p->cur;
	t->pos = i;
	char c = s[i];
	size_t n = 1;
	if (c == '\0') {
		t->t = T_END;
		n = 0;
	} else if (c == '(') {
		t->t = T_LP;
	} else if (c == ')') {
		t->t = T_RP;
	} else if (c == '{') {
		t->t = T_LB;
	} else if (c == '}') {
		t->t = T_RB;
	} else if (c == ',') {
		t->t = T_COMMA;
	} else if (c == '&' && s[i + 1] == '&') {
		t->t = T_AND, n = 2;
	} else if (c == '|' && s[i + 1] == '|') {
		t->t = T_OR, n = 2;
	} else if (c == '=' && s[i + 1] == '=') {
		t->t = T_OP, t->op = OP_EQ, n = 2;
	} else if (c == '!' && s[i + 1] == '=') {
		t->t = T_OP, t->op = OP_NE, n = s[i + 2] == '=' ? 3 : 2;
	} else if (c == '!') {
		t->t = T_NOT;
	} else if (c == '~' && s[i + 1] == '=') {
		t->t = T_OP, t->op = OP_ANYNE, n = 2;
	} else if (c == '~') {
		t->t = T_OP, t->op = OP_MATCHES;
	} else if (c == '<') {
		t->t = T_OP, t->op = s[i + 1] == '=' ? OP_LE : OP_LT, n = s[i + 1] == '=' ? 2 : 1;
	} else if (c == '>') {
		t->t = T_OP, t->op = s[i + 1] == '=' ? OP_GE : OP_GT, n = s[i + 1] == '=' ? 2 : 1;
	} else if (c == '"') {
		struct tw_sb sb;
		sb_heap(&sb);
		size_t j = i + 1;
		for (;;) {
			char d = s[j];
			if (d == '\0') {
				sb_free(&sb);
				perr(p, i, j - i, "unterminated string (missing '\"')");
				t->t = T_BAD;
				p->pos = j;
				return;
			}
			if (d == '"') {
				j++;
				break;
			}
			if (d != '\\') {
				sb_addc(&sb, d);
				j++;
				continue;
			}
			char e = s[j + 1];
			j += 2;
			switch (e) {
			case 'n': sb_addc(&sb, '\n'); break;
			case 't': sb_addc(&sb, '\t'); break;
			case 'r': sb_addc(&sb, '\r'); break;
			case 'a': sb_addc(&sb, '\a'); break;
			case 'b': sb_addc(&sb, '\b'); break;
			case 'f': sb_addc(&sb, '\f'); break;
			case 'v': sb_addc(&sb, '\v'); break;
			case '\\': case '"': case '\'': sb_addc(&sb, e); break;
			case 'x': {
				int h1 = hexval((unsigned char)s[j]), h2 = h1 >= 0 ? hexval((unsigned char)s[j + 1]) : -1;
				if (h1 < 0) {
					sb_free(&sb);
					perr(p, j - 2, 2, "\\x needs hex digits");
					t->t = T_BAD;
					p->pos = j;
					return;
				}
				sb_addc(&sb, (char)(h2 >= 0 ? h1 * 16 + h2 : h1));
				j += h2 >= 0 ? 2 : 1;
				break;
			}
			default:
				if (e >= '0' && e <= '7') {
					int v = e - '0';
					for (int k = 0; k < 2 && s[j] >= '0' && s[j] <= '7'; k++, j++)
						v = v * 8 + (s[j] - '0');
					sb_addc(&sb, (char)v);
					break;
				}
				sb_free(&sb);
				if (e > 0x20 && e < 0x7f)
					perr(p, j - 2, 2, "unknown escape '\\%c' in string", e);
				else /* the byte itself could be a control: shown as hex */
					perr(p, j - 2, e ? 2 : 1, "unknown escape '\\' followed by byte 0x%02x in string",
					     (unsigned char)e);
				t->t = T_BAD;
				p->pos = j;
				return;
			}
		}
		t->t = T_STR;
		t->slen = sb.len;
		t->s = xmalloc(sb.len + 1);
		memcpy(t->s, sb.s ? sb.s : "", sb.len);
		t->s[sb.len] = '\0';
		sb_free(&sb);
		n = j - i;
	} else if (word_char((unsigned char)c)) {
		size_t j = i;
		while (word_char((unsigned char)s[j]))
			j++;
		n = j - i;
		t->t = T_WORD;
		t->s = xmalloc(n + 1);
		memcpy(t->s, s + i, n);
		t->s[n] = '\0';
		t->slen = n;
		for (size_t k = 0; k < ARRAY_SIZE(keywords); k++)
			if (strcmp(t->s, keywords[k].w) == 0) {
				t->t = keywords[k].t;
				t->op = keywords[k].op;
			}
	} else {
		t->t = T_BAD;
		perr(p, i, 1, "unexpected character '%c'", isprint((unsigned char)c) ? c : '?');
	}
	t->len = n;
	p->pos = i + n;
}

/* ---- values ------------------------------------------------------------ */

static const char *
type_desc(uint8_t ft)
{
	switch (ft) {
	case FT_BOOL: return "a boolean (1 or 0)";
	case FT_U8: case FT_U16: case FT_U24: case FT_U32: case FT_U64: case FT_FRAMENUM:
		return "an unsigned integer";
	case FT_I64: return "an integer";
	case FT_DOUBLE: return "a number";
	case FT_RELTIME: return "a time in seconds";
	case FT_ABSTIME: return "a time (seconds since 1970)";
	case FT_STRING: return "a string";
	case FT_BYTES: return "a byte string (aa:bb:cc or \"text\")";
	case FT_ETHER: return "an Ethernet address (aa:bb:cc:dd:ee:ff)";
	case FT_IPV4: return "an IPv4 address or a.b.c.d/n";
	case FT_IPV6: return "an IPv6 address or prefix/n";
	default: return "nothing (it can only be tested for presence)";
	}
}

static bool
is_int_type(uint8_t ft)
{
	return ft == FT_BOOL || ft == FT_U8 || ft == FT_U16 || ft == FT_U24 || ft == FT_U32 ||
	       ft == FT_U64 || ft == FT_FRAMENUM || ft == FT_I64;
}

static bool
parse_hexbytes(const char *s, size_t n, struct fval *v)
{
	v->p = xmalloc(n / 2 + 1);
	v->n = 0;
	size_t i = 0;
	while (i < n) {
		int h1 = hexval((unsigned char)s[i]);
		int h2 = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
		if (h1 < 0)
			return false;
		if (h2 < 0) {
			/* A single digit is allowed only as a whole group ("a:b"). */
			if (i + 1 < n && s[i + 1] != ':' && s[i + 1] != '-' && s[i + 1] != '.')
				return false;
			v->p[v->n++] = (uint8_t)h1;
			i += 1;
		} else {
			v->p[v->n++] = (uint8_t)(h1 * 16 + h2);
			i += 2;
		}
		if (i < n) {
			if (s[i] == ':' || s[i] == '-' || s[i] == '.')
				i++;
			if (i == n)
				return false;
		}
	}
	return v->n > 0;
}

/* Value names compare case-insensitively, '_' matching ' ' ("bad_certificate"). */
static bool
name_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a == '_' ? ' ' : (char)tolower((unsigned char)*a);
		char y = *b == '_' ? ' ' : (char)tolower((unsigned char)*b);
		if (x != y)
			return false;
	}
	return *a == *b;
}

/* An integer value: number (dec, 0x hex, 0 octal), true/false, or a value name. */
static bool
parse_int(struct fnode *x, const char *s, bool quoted, struct fval *v)
{
	char *end;
	v->k = x->ftype == FT_I64 ? V_I : V_U;
	if (!quoted && s[0]) {
		errno = 0;
		if (v->k == V_I) {
			long long ll = strtoll(s, &end, 0);
			if (*end == '\0' && errno == 0) {
				v->i = ll;
				return true;
			}
		} else if (s[0] != '-') {
			unsigned long long ull = strtoull(s, &end, 0);
			if (*end == '\0' && errno == 0) {
				v->u = ull;
				return true;
			}
		}
	}
	if (x->ftype == FT_BOOL && !quoted) {
		if (strcasecmp(s, "true") == 0)
			return v->u = 1, true;
		if (strcasecmp(s, "false") == 0)
			return v->u = 0, true;
	}
	for (size_t k = 0; k < x->nfs; k++) {
		const struct tw_valstr *vs = x->fs[k]->vals;
		for (; vs && vs->name; vs++)
			if (name_eq(vs->name, s)) {
				v->u = vs->value;
				v->i = vs->value;
				return true;
			}
	}
	return false;
}

static bool
parse_ip4(const char *s, struct fval *v)
{
	char buf[64];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	struct in_addr a;
	if (inet_pton(AF_INET, buf, &a) != 1)
		return false;
	v->k = V_IP4;
	v->u = ntohl(a.s_addr);
	v->prefix = 32;
	if (slash) {
		char *end;
		unsigned long b = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || b > 32)
			return false;
		v->prefix = (unsigned)b;
	}
	return true;
}

static bool
parse_ip6(const char *s, struct fval *v)
{
	char buf[80];
	const char *slash = strchr(s, '/');
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET6, buf, v->a6) != 1)
		return false;
	v->k = V_IP6;
	v->prefix = 128;
	if (slash) {
		char *end;
		unsigned long b = strtoul(slash + 1, &end, 10);
		if (!slash[1] || *end || b > 128)
			return false;
		v->prefix = (unsigned)b;
	}
	return true;
}

/* Convert token text to the test's field type. */
static bool
parse_value(struct fnode *x, const char *s, size_t slen, bool quoted, struct fval *v)
{
	memset(v, 0, sizeof *v);
	uint8_t ft = x->ftype;
	if (is_int_type(ft))
		return parse_int(x, s, quoted, v);
	char *end;
	switch (ft) {
	case FT_DOUBLE:
		v->k = V_D;
		v->d = strtod(s, &end);
		return s[0] && *end == '\0';
	case FT_RELTIME:
	case FT_ABSTIME: {
		double d = strtod(s, &end);
		if (!s[0] || *end)
			return false;
		v->k = V_I;
		v->i = (int64_t)(d * 1e9 + (d < 0 ? -0.5 : 0.5));
		return true;
	}
	case FT_IPV4:
		return !quoted && parse_ip4(s, v);
	case FT_IPV6:
		return !quoted && parse_ip6(s, v);
	case FT_ETHER:
		v->k = V_BYTES;
		return !quoted && parse_hexbytes(s, slen, v) && v->n == 6;
	case FT_BYTES:
		v->k = V_BYTES;
		if (quoted) {
			v->p = xmalloc(slen + 1);
			memcpy(v->p, s, slen);
			v->n = slen;
			return true;
		}
		return parse_hexbytes(s, slen, v);
	case FT_STRING:
		v->k = V_BYTES;
		v->p = xmalloc(slen + 1);
		memcpy(v->p, s, slen);
		v->n = slen;
		return true;
	default:
		return false;
	}
}

/* ---- parser -------------------------------------------------------------- */

static void
node_free(struct fnode *x)
{
	if (!x)
		return;
	node_free(x->a);
	node_free(x->b);
	for (size_t i = 0; i < x->nvals; i++)
		free(x->vals[i].p);
	free(x->vals);
	free(x->fs);
	free(x->abbrev);
	if (x->has_re)
		regfree(&x->re);
	free(x);
}

static struct fnode *
mk(enum nkind k, struct fnode *a, struct fnode *b)
{
	struct fnode *x = xcalloc(1, sizeof *x);
	x->kind = k;
	x->a = a;
	x->b = b;
	return x;
}

static struct fnode *parse_or(struct parser *p);
static void sum_fields_resolve(void);

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return 99;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, sizeof cur);
	}
	return prev[lb];
}

size_t
filter_suggest(const char *name, const char **out, size_t n)
{
	size_t best[8];
	size_t got = 0;
	if (n > 8)
		n = 8;
	size_t len = strlen(name);
	size_t limit = len / 3 > 2 ? len / 3 : 2;
	const char *prev = NULL;
	for (size_t i = 0;; i++) {
		const char *abbrev;
		if (i < ARRAY_SIZE(specials)) {
			abbrev = specials[i].name;
		} else {
			const struct tw_field *f = field_nth(i - ARRAY_SIZE(specials));
			if (!f)
				break;
			abbrev = f->abbrev;
		}
		if (prev && strcmp(prev, abbrev) == 0)
			continue;
		prev = abbrev;
		size_t fl = strlen(abbrev);
		if ((fl > len ? fl - len : len - fl) > limit)
			continue; /* the length difference alone is too far */
		size_t d = edit_distance(name, abbrev);
		if (d > limit)
			continue;
		/* Insert sorted by distance (stable: alphabetical within a distance). */
		size_t at = got;
		while (at > 0 && best[at - 1] > d)
			at--;
		if (at >= n)
			continue;
		size_t last = got < n ? got : n - 1;
		for (size_t k = last; k > at; k--) {
			best[k] = best[k - 1];
			out[k] = out[k - 1];
		}
		best[at] = d;
		out[at] = abbrev;
		if (got < n)
			got++;
	}
	/* Only the nearest: a one-letter typo should not list three-letter ones. */
	size_t keep = 0;
	while (keep < got && best[keep] == best[0])
		keep++;
	return keep;
}

/* Resolve the field of a test. */
static bool
resolve_field(struct parser *p, struct fnode *x, const struct token *t)
{
	const char *name = t->s;
	for (size_t i = 0; i < ARRAY_SIZE(specials); i++)
		if (strcmp(name, specials[i].name) == 0 && !field_lookup(name)) {
			x->sp = specials[i].sp;
			x->ftype = specials[i].ftype;
			x->abbrev = xstrdup(name);
			return true;
		}
	for (size_t i = 0; i < ARRAY_SIZE(proc_names); i++)
		if (strcmp(name, proc_names[i]) == 0)
			x->proc = (uint8_t)(PROC_ANY + i);
	const struct tw_field *f = field_lookup(name);
	if (f) {
		for (size_t i = 0;; i++) {
			const struct tw_field *g = field_nth(i);
			if (!g)
				break;
			if (strcmp(g->abbrev, name) == 0) {
				x->fs = xreallocarray(x->fs, x->nfs + 1, sizeof *x->fs);
				x->fs[x->nfs++] = g;
			}
		}
		x->ftype = f->type;
		x->abbrev = xstrdup(name);
		x->data_any = strcmp(name, "event.data") == 0;
		return true;
	}
	size_t pl = strlen(EV_DATA_PREFIX);
	if (strncmp(name, EV_DATA_PREFIX, pl) == 0 && name[pl]) {
		x->abbrev = xstrdup(name);
		x->ftype = FT_STRING;
		return true;
	}
	const char *sug[3];
	size_t ns = filter_suggest(name, sug, 3);
	if (isdigit((unsigned char)name[0]) || name[0] == ':')
		perr(p, t->pos, t->len, "'%s' is a value, not a field: write FIELD == %s", name, name);
	else if (ns == 0)
		perr(p, t->pos, t->len, "unknown field '%s' (tracewb --list-fields lists them)", name);
	else if (ns == 1)
		perr(p, t->pos, t->len, "unknown field '%s'; did you mean %s?", name, sug[0]);
	else if (ns == 2)
		perr(p, t->pos, t->len, "unknown field '%s'; did you mean %s or %s?", name, sug[0], sug[1]);
	else
		perr(p, t->pos, t->len, "unknown field '%s'; did you mean %s, %s or %s?", name, sug[0], sug[1],
		     sug[2]);
	return false;
}

static bool
op_allowed(struct parser *p, struct fnode *x, const struct token *optok)
{
	uint8_t ft = x->ftype;
	const char *what = x->abbrev ? x->abbrev : "this name";
	if (ft == FT_PROTOCOL || ft == FT_NONE) {
		perr(p, optok->pos, optok->len, "'%s' can only be tested for presence (no '%s')", what,
		     op_names[x->op]);
		return false;
	}
	if (x->op == OP_CONTAINS && ft != FT_STRING && ft != FT_BYTES && ft != FT_ETHER) {
		perr(p, optok->pos, optok->len, "'contains' needs a string or bytes field; %s is %s", what,
		     type_desc(ft));
		return false;
	}
	if (x->op == OP_MATCHES && ft != FT_STRING && ft != FT_BYTES) {
		perr(p, optok->pos, optok->len, "'matches' needs a string field; %s is %s", what, type_desc(ft));
		return false;
	}
	return true;
}

static bool
add_value(struct parser *p, struct fnode *x, const struct token *t)
{
	x->vals = xreallocarray(x->vals, x->nvals + 1, sizeof *x->vals);
	struct fval *v = &x->vals[x->nvals];
	bool parsed = parse_value(x, t->s, t->slen, t->t == T_STR, v);
	uint64_t max = x->ftype == FT_U8 ? 0xff : x->ftype == FT_U16 ? 0xffff : x->ftype == FT_U24 ? 0xffffff
	             : x->ftype == FT_U32 || x->ftype == FT_IPV4 ? 0xffffffffu : UINT64_MAX;
	if (parsed && v->k == V_U && v->u > max && !(x->nfs && x->fs[0]->mask)) {
		/* as tshark: "99999" too big for this field, maximum 65535 */
		char *safe = tw_escape_dup(t->s, t->slen);
		perr(p, t->pos, t->len, "'%s' is too big for %s, maximum %" PRIu64, safe, x->abbrev, max);
		free(safe);
		return false;
	}
	if (!parsed) {
		free(v->p);
		char *safe = tw_escape_dup(t->s, t->slen);
		perr(p, t->pos, t->len, "'%s' is not a valid value for %s, which is %s", safe, x->abbrev,
		     type_desc(x->ftype));
		free(safe);
		return false;
	}
	x->nvals++;
	return true;
}

/* "lo..hi" inside a set: v becomes a range. */
static bool
make_range(struct parser *p, struct fnode *x, struct fval *lo, const struct fval *hi, const struct token *t)
{
	if (lo->k == V_U && hi->k == V_U)
		lo->uhi = hi->u;
	else if (lo->k == V_I && hi->k == V_I)
		lo->ihi = hi->i;
	else if (lo->k == V_D && hi->k == V_D)
		lo->dhi = hi->d;
	else {
		perr(p, t->pos, t->len, "ranges need numbers; %s is %s", x->abbrev, type_desc(x->ftype));
		return false;
	}
	lo->range = true;
	return true;
}

static bool
parse_set(struct parser *p, struct fnode *x)
{
	size_t open = p->cur.pos;
	if (p->cur.t != T_LB) {
		perr(p, p->cur.pos, p->cur.len, "'in' needs a set: in {a b c} or in {1..5}");
		return false;
	}
	lex(p);
	for (;;) {
		if (p->failed)
			return false;
		if (p->cur.t == T_RB)
			break;
		if (p->cur.t == T_COMMA) {
			lex(p);
			continue;
		}
		if (p->cur.t == T_END) {
			perr(p, open, 1, "unmatched '{'");
			return false;
		}
		if (p->cur.t != T_WORD && p->cur.t != T_STR) {
			perr(p, p->cur.pos, p->cur.len, "expected a value or '}' in the set");
			return false;
		}
		/* A word "a..b" is a range. */
		char *dots = p->cur.t == T_WORD ? strstr(p->cur.s, "..") : NULL;
		if (dots && dots != p->cur.s && dots[2]) {
			struct token lo = p->cur, hi = p->cur;
			size_t ll = (size_t)(dots - p->cur.s);
			lo.s = xstrndup(p->cur.s, ll);
			lo.slen = lo.len = ll;
			hi.s = xstrdup(dots + 2);
			hi.slen = hi.len = strlen(hi.s);
			hi.pos = p->cur.pos + ll + 2;
			bool ok = add_value(p, x, &lo) && add_value(p, x, &hi);
			if (ok) {
				x->nvals--;
				ok = make_range(p, x, &x->vals[x->nvals - 1], &x->vals[x->nvals], &p->cur);
				free(x->vals[x->nvals].p);
			}
			free(lo.s);
			free(hi.s);
			if (!ok)
				return false;
		} else if (!add_value(p, x, &p->cur)) {
			return false;
		}
		lex(p);
	}
	if (x->nvals == 0) {
		perr(p, open, p->cur.pos + 1 - open, "empty set");
		return false;
	}
	lex(p);
	return true;
}

static struct fnode *
parse_test(struct parser *p)
{
	struct fnode *x = mk(N_TEST, NULL, NULL);
	struct token ft = p->cur;
	p->cur.s = NULL; /* ft owns the word now */
	if (!resolve_field(p, x, &ft)) {
		free(ft.s);
		node_free(x);
		return NULL;
	}
	lex(p);
	if (p->cur.t != T_OP) {
		x->op = OP_EXISTS;
		free(ft.s);
		return x;
	}
	struct token optok = p->cur;
	optok.s = NULL;
	x->op = p->cur.op;
	if (!op_allowed(p, x, &optok))
		goto fail;
	lex(p);
	if (x->op == OP_IN) {
		if (!parse_set(p, x))
			goto fail;
		free(ft.s);
		return x;
	}
	if (p->cur.t != T_WORD && p->cur.t != T_STR) {
		if (!p->failed)
			perr(p, p->cur.pos, p->cur.len, "expected a value after '%s'", op_names[x->op]);
		goto fail;
	}
	if (x->op == OP_MATCHES) {
		char *pat = p->cur.s;
		int rc;
		if (strlen(pat) != p->cur.slen) {
			perr(p, p->cur.pos, p->cur.len, "a regular expression cannot contain NUL");
			goto fail;
		}
		if ((rc = regcomp(&x->re, pat, REG_EXTENDED | REG_ICASE | REG_NOSUB)) != 0) {
			char m[120];
			regerror(rc, &x->re, m, sizeof m);
			perr(p, p->cur.pos, p->cur.len, "bad regular expression: %s", m);
			goto fail;
		}
		x->has_re = true;
	} else if (x->op == OP_CONTAINS && x->ftype == FT_STRING) {
		if (!add_value(p, x, &p->cur))
			goto fail;
	} else if (x->op == OP_CONTAINS) {
		/* bytes: "text" or aa:bb */
		uint8_t keep = x->ftype;
		x->ftype = FT_BYTES;
		bool ok = add_value(p, x, &p->cur);
		x->ftype = keep;
		if (!ok)
			goto fail;
	} else if (!add_value(p, x, &p->cur)) {
		goto fail;
	}
	if (x->op >= OP_LT && x->op <= OP_GE && x->nvals && x->vals[0].k == V_IP6 && x->vals[0].prefix != 128) {
		perr(p, p->cur.pos, p->cur.len, "a prefix can only be compared with == or !=");
		goto fail;
	}
	if (x->op >= OP_LT && x->op <= OP_GE && x->nvals && x->vals[0].k == V_IP4 && x->vals[0].prefix != 32) {
		perr(p, p->cur.pos, p->cur.len, "a prefix can only be compared with == or !=");
		goto fail;
	}
	lex(p);
	free(ft.s);
	return x;
fail:
	free(ft.s);
	node_free(x);
	return NULL;
}

static struct fnode *
parse_primary(struct parser *p)
{
	if (p->failed)
		return NULL;
	switch (p->cur.t) {
	case T_LP: {
		size_t open = p->cur.pos;
		lex(p);
		struct fnode *e = parse_or(p);
		if (!e)
			return NULL;
		if (p->cur.t != T_RP) {
			if (p->cur.t == T_END)
				perr(p, open, 1, "unmatched '('");
			else
				perr(p, p->cur.pos, p->cur.len, "expected ')' or 'and'/'or' here");
			node_free(e);
			return NULL;
		}
		lex(p);
		return e;
	}
	case T_WORD:
		return parse_test(p);
	case T_END:
		perr(p, p->cur.pos, 1, p->cur.pos == 0 ? "empty filter" : "expected a field after this");
		return NULL;
	case T_STR:
		perr(p, p->cur.pos, p->cur.len, "a string must follow a field and an operator (FIELD == \"...\")");
		return NULL;
	case T_OP:
		perr(p, p->cur.pos, p->cur.len, "'%s' needs a field on its left", op_names[p->cur.op]);
		return NULL;
	case T_BAD:
		return NULL;
	default:
		perr(p, p->cur.pos, p->cur.len, "expected a field, 'not' or '(' here");
		return NULL;
	}
}

static struct fnode *
parse_not(struct parser *p)
{
	if (p->cur.t == T_NOT) {
		lex(p);
		struct fnode *a = parse_not(p);
		return a ? mk(N_NOT, a, NULL) : NULL;
	}
	return parse_primary(p);
}

static struct fnode *
parse_and(struct parser *p)
{
	struct fnode *l = parse_not(p);
	while (l && p->cur.t == T_AND) {
		lex(p);
		struct fnode *r = parse_not(p);
		if (!r) {
			node_free(l);
			return NULL;
		}
		l = mk(N_AND, l, r);
	}
	return l;
}

static struct fnode *
parse_or(struct parser *p)
{
	struct fnode *l = parse_and(p);
	while (l && p->cur.t == T_OR) {
		lex(p);
		struct fnode *r = parse_and(p);
		if (!r) {
			node_free(l);
			return NULL;
		}
		l = mk(N_OR, l, r);
	}
	return l;
}

struct tw_filter *
filter_compile(const char *expr, struct filter_error *err)
{
	struct filter_error dummy;
	struct parser p;
	memset(&p, 0, sizeof p);
	p.s = expr;
	p.err = err ? err : &dummy;
	memset(p.err, 0, sizeof *p.err);
	lex(&p);
	struct fnode *root = parse_or(&p);
	if (root && !p.failed && p.cur.t != T_END) {
		if (p.cur.t == T_RP)
			perr(&p, p.cur.pos, 1, "unmatched ')'");
		else if (p.cur.t == T_WORD || p.cur.t == T_STR)
			perr(&p, p.cur.pos, p.cur.len, "unexpected '%.*s': missing 'and' or 'or'?",
			     (int)(p.cur.len > 60 ? 60 : p.cur.len), expr + p.cur.pos);
		else
			perr(&p, p.cur.pos, p.cur.len, "unexpected '%.*s'", (int)(p.cur.len > 60 ? 60 : p.cur.len),
			     expr + p.cur.pos);
	}
	tok_clear(&p.cur);
	if (p.failed || !root) {
		node_free(root);
		if (!p.failed)
			perr(&p, 0, 1, "invalid filter");
		return NULL;
	}
	struct tw_filter *f = xcalloc(1, sizeof *f);
	f->text = xstrdup(expr);
	f->root = root;
	sum_fields_resolve(); /* here, not on first match: matching may run in several threads */
	return f;
}

void
filter_free(struct tw_filter *f)
{
	if (!f)
		return;
	node_free(f->root);
	free(f->text);
	free(f);
}

const char *
filter_text(const struct tw_filter *f)
{
	return f->text;
}

/* ---- evaluation ------------------------------------------------------------ */

static bool
node_is(const struct fnode *x, const struct tw_node *n)
{
	const struct tw_field *f = n->f;
	if (!f)
		return false;
	for (size_t i = 0; i < x->nfs; i++)
		if (f == x->fs[i])
			return true;
	if (f->abbrev[0] != x->abbrev[0])
		return false;
	if (x->data_any)
		return strncmp(f->abbrev, EV_DATA_PREFIX, sizeof EV_DATA_PREFIX - 1) == 0;
	return strcmp(f->abbrev, x->abbrev) == 0;
}

static int
cmp3(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
cmpu(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static bool
rel(enum op op, int c)
{
	switch (op) {
	case OP_EQ: case OP_IN: return c == 0;
	case OP_NE: case OP_ANYNE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	default: return false;
	}
}

static bool
prefix_eq(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned full = bits / 8, rest = bits % 8;
	if (memcmp(a, b, full) != 0)
		return false;
	if (!rest)
		return true;
	uint8_t m = (uint8_t)(0xff << (8 - rest));
	return (a[full] & m) == (b[full] & m);
}

/* Equality (for == != in) or order of node value against v; returns -1/0/1, or 2 for "not comparable". */
static int
compare(const struct tw_node *n, uint8_t ft, const struct fval *v)
{
	switch (v->k) {
	case V_U: {
		uint64_t a = field_value(n);
		if (v->range)
			return a < v->u ? -1 : a > v->uhi ? 1 : 0;
		return cmpu(a, v->u);
	}
	case V_I: {
		int64_t a = ft == FT_I64 ? (int64_t)field_value(n) : n->v.i;
		if (v->range)
			return a < v->i ? -1 : a > v->ihi ? 1 : 0;
		return cmp3(a, v->i);
	}
	case V_D: {
		double a = n->v.d;
		if (v->range)
			return a < v->d ? -1 : a > v->dhi ? 1 : 0;
		return a < v->d ? -1 : a > v->d;
	}
	case V_IP4: {
		uint32_t a = (uint32_t)n->v.u, b = (uint32_t)v->u;
		if (v->prefix < 32) {
			uint32_t m = v->prefix ? ~0u << (32 - v->prefix) : 0;
			return (a & m) == (b & m) ? 0 : cmpu(a & m, b & m);
		}
		return cmpu(a, b);
	}
	case V_IP6: {
		if (n->v.b.n != 16 || !n->v.b.p)
			return 2;
		if (v->prefix < 128)
			return prefix_eq(n->v.b.p, v->a6, v->prefix) ? 0 : memcmp(n->v.b.p, v->a6, 16) < 0 ? -1 : 1;
		int c = memcmp(n->v.b.p, v->a6, 16);
		return c < 0 ? -1 : c > 0;
	}
	case V_BYTES: {
		size_t la = n->v.b.n, lb = v->n;
		int c = memcmp(n->v.b.p ? (const void *)n->v.b.p : "", v->p ? (const void *)v->p : "",
		               la < lb ? la : lb);
		if (c)
			return c < 0 ? -1 : 1;
		return la < lb ? -1 : la > lb;
	}
	}
	return 2;
}

static bool
test_one(const struct fnode *x, const struct tw_node *n)
{
	switch (x->op) {
	case OP_CONTAINS: {
		const struct fval *v = &x->vals[0];
		if (v->n == 0)
			return true;
		return n->v.b.p && memmem(n->v.b.p, n->v.b.n, v->p, v->n) != NULL;
	}
	case OP_MATCHES: {
		char buf[512];
		size_t len = n->v.b.n;
		char *s = len < sizeof buf ? buf : xmalloc(len + 1);
		if (len)
			memcpy(s, n->v.b.p, len);
		s[len] = '\0';
		/* Embedded NULs end the text regexec sees. */
		bool m = regexec(&x->re, s, 0, NULL, 0) == 0;
		if (s != buf)
			free(s);
		return m;
	}
	case OP_IN:
		for (size_t i = 0; i < x->nvals; i++)
			if (compare(n, x->ftype, &x->vals[i]) == 0)
				return true;
		return false;
	default: {
		int c = compare(n, x->ftype, &x->vals[0]);
		if (c == 2)
			return false;
		return rel(x->op, c);
	}
	}
}

/* ---- row context ------------------------------------------------------------ */

struct kref {
	uint64_t key;
	uint32_t i;
};

struct filter_ctx {
	const struct tw_timeline *tl;
	const struct tw_links *ls;
	const struct tw_analysis *an;
	struct kref *ev;  /* event row (link a) -> link */
	size_t nev;
	struct kref *cv;  /* capture source << 32 | conversation (link src_b, conv) -> link */
	size_t ncv;
	struct kref *fr;  /* row -> finding */
	size_t nfr;
	const struct tw_field *fproc[ARRAY_SIZE(proc_names)];
	struct tw_field ffind, fcat;
};

static int
kref_cmp(const void *a, const void *b)
{
	const struct kref *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

static void
kref_add(struct kref **v, size_t *n, size_t *cap, uint64_t key, uint32_t i)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	(*v)[*n].key = key;
	(*v)[*n].i = i;
	(*n)++;
}

/* First entry with key k, or n. */
static size_t
kref_find(const struct kref *v, size_t n, uint64_t k)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].key < k)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct filter_ctx *
filter_ctx_new(const struct tw_timeline *tl, const struct tw_links *links, const struct tw_analysis *an)
{
	struct filter_ctx *cx = xcalloc(1, sizeof *cx);
	cx->tl = tl;
	cx->an = an;
	cx->ls = links ? links : an ? &an->links : NULL;
	size_t cap = 0;
	if (cx->ls) {
		for (size_t k = 0; k < cx->ls->n; k++) {
			const struct tw_link *l = &cx->ls->v[k];
			kref_add(&cx->ev, &cx->nev, &cap, l->a, (uint32_t)k);
		}
		cap = 0;
		for (size_t k = 0; k < cx->ls->n; k++) {
			const struct tw_link *l = &cx->ls->v[k];
			if (l->conv != CONV_NONE)
				kref_add(&cx->cv, &cx->ncv, &cap, (uint64_t)l->src_b << 32 | l->conv, (uint32_t)k);
		}
	}
	cap = 0;
	for (size_t k = 0; an && k < an->nf; k++) {
		const struct tw_finding *fd = &an->f[k];
		for (size_t j = 0; j < fd->nrows; j++) {
			bool dup = false;
			for (size_t m = 0; m < j; m++)
				dup |= fd->rows[m] == fd->rows[j];
			if (!dup)
				kref_add(&cx->fr, &cx->nfr, &cap, fd->rows[j], (uint32_t)k);
		}
	}
	if (cx->nev)
		qsort(cx->ev, cx->nev, sizeof *cx->ev, kref_cmp);
	if (cx->ncv)
		qsort(cx->cv, cx->ncv, sizeof *cx->cv, kref_cmp);
	if (cx->nfr)
		qsort(cx->fr, cx->nfr, sizeof *cx->fr, kref_cmp);
	for (size_t i = 0; i < ARRAY_SIZE(proc_names); i++)
		cx->fproc[i] = field_lookup(proc_names[i]);
	cx->ffind = (struct tw_field){ "finding", "Finding", FT_STRING, BASE_NONE, 0, NULL };
	cx->fcat = (struct tw_field){ "finding.category", "Finding category", FT_STRING, BASE_NONE, 0, NULL };
	return cx;
}

void
filter_ctx_free(struct filter_ctx *cx)
{
	if (!cx)
		return;
	free(cx->ev);
	free(cx->cv);
	free(cx->fr);
	free(cx);
}

/* The row a test is evaluated on, with its context (cx NULL: the tree only). */
struct rowref {
	const struct filter_ctx *cx;
	size_t row;
};

/* Accumulates one test over the values it sees (tree nodes, then context values). */
struct acc {
	int result; /* -1 undecided, 0 false, 1 true */
	bool seen;
};

static int test_value(const struct fnode *x, const struct tw_node *n, struct acc *a);

static void
vnode_str(struct tw_node *n, const struct tw_field *f, const char *p, size_t len)
{
	memset(n, 0, sizeof *n);
	n->f = f;
	n->flags = TW_NF_HAS_VALUE;
	n->v.b.p = (const uint8_t *)p;
	n->v.b.n = (uint32_t)len;
}

static void
vnode_u(struct tw_node *n, const struct tw_field *f, uint64_t u)
{
	memset(n, 0, sizeof *n);
	n->f = f;
	n->flags = TW_NF_HAS_VALUE;
	n->v.u = u;
}

/* Feed the process values of link l to the test; true when decided. */
static bool
proc_values(const struct fnode *x, const struct filter_ctx *cx, const struct tw_link *l, struct acc *a)
{
	struct tw_node n;
	const struct tw_field *f = cx->fproc[x->proc - PROC_ANY];
	if (!f)
		return false;
	switch (x->proc) {
	case PROC_ANY:
		memset(&n, 0, sizeof n);
		n.f = f;
		return test_value(x, &n, a);
	case PROC_NAME: {
		if (!l->image)
			return false;
		size_t nl = 0;
		const char *b = image_base(l->image, l->image_len, &nl);
		vnode_str(&n, f, b, nl);
		return test_value(x, &n, a);
	}
	case PROC_IMAGE:
		if (!l->image)
			return false;
		vnode_str(&n, f, l->image, l->image_len);
		return test_value(x, &n, a);
	case PROC_PID:
		if (!l->have_pid)
			return false;
		vnode_u(&n, f, l->pid);
		return test_value(x, &n, a);
	case PROC_HOST: {
		const struct tw_timeline *tl = cx->tl;
		if (l->a >= tl->n || tl->rows[l->a].kind != ROW_EVENT)
			return false;
		const struct tw_events *ev = tl->src[tl->rows[l->a].src].ev;
		const struct tw_event *e = events_get(ev, tl->rows[l->a].idx);
		size_t hl = 0;
		const char *h = e ? events_str(ev, e->computer, &hl) : NULL;
		if (!h)
			return false;
		vnode_str(&n, f, h, hl);
		return test_value(x, &n, a);
	}
	}
	return false;
}

/* The row's links of kind `kind`: as event (a == row) or by its frame's connection. */
static bool
ctx_links(const struct fnode *x, const struct rowref *rr, uint8_t kind, struct acc *a)
{
	const struct filter_ctx *cx = rr->cx;
	const struct tw_timeline *tl = cx->tl;
	if (!cx->ls || rr->row >= tl->n)
		return false;
	const struct tw_row *row = &tl->rows[rr->row];
	const struct kref *v;
	size_t n, i;
	uint64_t key;
	if (row->kind == ROW_EVENT) {
		v = cx->ev, n = cx->nev, key = rr->row;
	} else {
		uint32_t conv = capture_frame(tl->src[row->src].cap, row->idx)->conv;
		if (conv == CONV_NONE)
			return false;
		v = cx->cv, n = cx->ncv, key = (uint64_t)row->src << 32 | conv;
	}
	for (i = kref_find(v, n, key); i < n && v[i].key == key; i++) {
		const struct tw_link *l = &cx->ls->v[v[i].i];
		if (l->kind != kind)
			continue;
		if (kind == LINK_HANDSHAKE) {
			struct tw_node nd;
			memset(&nd, 0, sizeof nd);
			if (test_value(x, &nd, a))
				return true;
		} else if (proc_values(x, cx, l, a)) {
			return true;
		}
	}
	return false;
}

static bool
ctx_findings(const struct fnode *x, const struct rowref *rr, struct acc *a)
{
	const struct filter_ctx *cx = rr->cx;
	if (!cx->an)
		return false;
	for (size_t i = kref_find(cx->fr, cx->nfr, rr->row); i < cx->nfr && cx->fr[i].key == rr->row; i++) {
		const struct tw_finding *fd = &cx->an->f[cx->fr[i].i];
		struct tw_node n;
		if (x->sp == SP_FINDING)
			vnode_str(&n, &cx->ffind, fd->text ? fd->text : "", fd->text ? strlen(fd->text) : 0);
		else
			vnode_str(&n, &cx->fcat, fd->category ? fd->category : "", fd->category ? strlen(fd->category) : 0);
		if (test_value(x, &n, a))
			return true;
	}
	return false;
}

/* One occurrence of the test's field; true when the test is decided (a->result). */
static int
test_value(const struct fnode *x, const struct tw_node *n, struct acc *a)
{
	if (x->op == OP_EXISTS) {
		a->result = 1;
		return true;
	}
	if (!(n->flags & TW_NF_HAS_VALUE))
		return false;
	if (x->op == OP_NE) {
		/* all occurrences differ, at least one */
		if (compare(n, x->ftype, &x->vals[0]) == 0) {
			a->result = 0;
			return true;
		}
		a->seen = true;
		return false;
	}
	if (test_one(x, n)) {
		a->result = 1;
		return true;
	}
	return false;
}

static bool
eval_test(const struct fnode *x, const struct tw_tree *t, const struct rowref *rr)
{
	struct acc a = { -1, false };
	switch (x->sp) {
	case SP_ERROR:
		return t->max_sev >= TW_SEV_ERROR;
	case SP_WARNING:
		return t->max_sev >= TW_SEV_WARN;
	case SP_CORRELATED:
		return rr && rr->cx && ctx_links(x, rr, LINK_HANDSHAKE, &a) && a.result == 1;
	case SP_FINDING:
	case SP_FINDING_CAT:
		if (rr && rr->cx)
			ctx_findings(x, rr, &a);
		return a.result >= 0 ? a.result == 1 : x->op == OP_NE && a.seen;
	case SP_NONE:
		break;
	}
	const struct tw_node *top = t->root;
	for (const struct tw_node *n = top->child ? top->child : NULL; n; n = node_next_preorder(n, top)) {
		if (!node_is(x, n))
			continue;
		if (test_value(x, n, &a))
			return a.result == 1;
	}
	if (x->proc && rr && rr->cx && ctx_links(x, rr, LINK_PROCESS, &a))
		return a.result == 1;
	return x->op == OP_NE && a.seen;
}

static bool
eval(const struct fnode *x, const struct tw_tree *t, const struct rowref *rr)
{
	switch (x->kind) {
	case N_AND: return eval(x->a, t, rr) && eval(x->b, t, rr);
	case N_OR: return eval(x->a, t, rr) || eval(x->b, t, rr);
	case N_NOT: return !eval(x->a, t, rr);
	case N_TEST: return eval_test(x, t, rr);
	}
	return false;
}

bool
filter_match(const struct tw_filter *f, const struct tw_tree *t)
{
	if (!t || !t->root)
		return false;
	return eval(f->root, t, NULL);
}

bool
filter_match_row(const struct tw_filter *f, const struct filter_ctx *cx, size_t row, const struct tw_tree *t)
{
	if (!t || !t->root)
		return false;
	struct rowref rr = { cx, row };
	return eval(f->root, t, &rr);
}

static unsigned
needs(const struct fnode *x)
{
	if (x->kind != N_TEST)
		return needs(x->a) | (x->b ? needs(x->b) : 0);
	if (x->sp == SP_CORRELATED || x->proc)
		return FILTER_NEEDS_LINKS;
	if (x->sp == SP_FINDING || x->sp == SP_FINDING_CAT)
		return FILTER_NEEDS_FINDINGS;
	return 0;
}

unsigned
filter_needs(const struct tw_filter *f)
{
	return needs(f->root);
}

static bool
wants_labels(const struct fnode *x)
{
	if (x->kind != N_TEST)
		return wants_labels(x->a) || (x->b && wants_labels(x->b));
	if (!x->abbrev || x->sp)
		return false;
	return strncmp(x->abbrev, "cert.", 5) == 0 || strncmp(x->abbrev, "x509", 4) == 0 ||
	       strncmp(x->abbrev, "pkix1", 5) == 0 || strcmp(x->abbrev, "tls.handshake.certificate.subject") == 0;
}

bool
filter_wants_labels(const struct tw_filter *f)
{
	return wants_labels(f->root);
}

void
filter_error_format(struct tw_sb *sb, const char *expr, const struct filter_error *err, const char *indent)
{
	size_t n = strlen(expr);
	sb_adds(sb, indent);
	sb_adds(sb, err->msg);
	sb_addc(sb, '\n');
	sb_adds(sb, indent);
	/*
	 * The expression, one column per character: a printable character as
	 * itself, anything else (controls, C1, bidi overrides, invalid UTF-8)
	 * as '?', so the caret line below stays aligned and nothing of the
	 * input can steer the terminal.
	 */
	size_t col_pos = 0, col_end = 0, col = 0;
	for (size_t i = 0; i < n;) {
		const uint8_t *u = (const uint8_t *)expr + i;
		uint32_t cp;
		size_t k = u[0] < 0x80 ? 1 : tw_utf8_seq(u, n - i, &cp);
		if (k == 0)
			k = 1;
		if (k == 1 && u[0] >= 0x20 && u[0] < 0x7f)
			sb_addc(sb, (char)u[0]);
		else if (k > 1 && tw_is_display_safe(u, k))
			sb_addn(sb, (const char *)u, k);
		else
			sb_addc(sb, '?');
		if (i < err->pos)
			col_pos = col + 1;
		if (i < err->pos + err->len)
			col_end = col + 1;
		col++;
		i += k;
	}
	sb_addc(sb, '\n');
	sb_adds(sb, indent);
	for (size_t i = 0; i < col_pos; i++)
		sb_addc(sb, ' ');
	sb_addc(sb, '^');
	for (size_t i = col_pos + 1; i < col_end; i++)
		sb_addc(sb, '~');
	sb_addc(sb, '\n');
}

/* ---- summary fast path ---------------------------------------------------- */

static const char *const sum_fields[] = {
	"frame.number", "frame.len", "frame.cap_len", "ip.src", "ip.dst", "ip.addr", "ipv6.src", "ipv6.dst",
	"ipv6.addr", "tcp.srcport", "tcp.dstport", "tcp.port", "udp.srcport", "udp.dstport", "udp.port",
};
enum { SF_NUM, SF_LEN, SF_CAPLEN, SF_IPSRC, SF_IPDST, SF_IPADDR, SF_IP6SRC, SF_IP6DST, SF_IP6ADDR,
       SF_TSRC, SF_TDST, SF_TPORT, SF_USRC, SF_UDST, SF_UPORT, SF_N };

/* The summary fields' descriptors, resolved by filter_compile. */
static const struct tw_field *sum_sf[SF_N];

static void
sum_fields_resolve(void)
{
	if (!sum_sf[0])
		for (size_t i = 0; i < SF_N; i++)
			sum_sf[i] = field_lookup(sum_fields[i]);
}

static bool
summary_test_ok(const struct fnode *x)
{
	switch (x->kind) {
	case N_AND: case N_OR: return summary_test_ok(x->a) && summary_test_ok(x->b);
	case N_NOT: return summary_test_ok(x->a);
	case N_TEST: break;
	}
	if (x->sp || !x->abbrev || x->data_any)
		return false;
	if (x->ftype == FT_PROTOCOL) {
		/* Layers frame.protocols names exactly as the tree has them. */
		static const char *const protos[] = { "tls", "dns", "mdns", "llmnr", "http", "tcp", "udp", "ip",
			                              "ipv6", "eth", "arp", "icmp", "icmpv6" };
		for (size_t i = 0; i < ARRAY_SIZE(protos); i++)
			if (strcmp(x->abbrev, protos[i]) == 0)
				return true;
		return false;
	}
	for (size_t i = 0; i < SF_N; i++)
		if (strcmp(x->abbrev, sum_fields[i]) == 0)
			return true;
	return false;
}

/*
 * The layer a test's field lives in, when the summary's frame.protocols
 * tells for sure whether the field can occur: "tls.handshake.type" only in
 * frames with a tls layer. dns.* also occurs in mdns and llmnr frames;
 * event.* never occurs in frames.
 */
static const char *
test_layer(const struct fnode *x)
{
	static const char *const layers[] = { "tls", "dns", "http", "tcp", "udp", "ip", "ipv6", "eth",
		                              "arp", "icmp", "icmpv6", "event" };
	if (!x->abbrev || x->sp)
		return NULL;
	size_t n = strcspn(x->abbrev, ".");
	for (size_t i = 0; i < ARRAY_SIZE(layers); i++)
		if (strlen(layers[i]) == n && strncmp(x->abbrev, layers[i], n) == 0)
			return layers[i];
	return NULL;
}

static bool
any_decidable(const struct fnode *x)
{
	if (x->kind != N_TEST)
		return any_decidable(x->a) || (x->b && any_decidable(x->b));
	return summary_test_ok(x) || test_layer(x);
}

bool
filter_summary_ok(const struct tw_filter *f)
{
	return any_decidable(f->root);
}

static int layer_count(const char *protos, size_t plen, const char *name);

/* Three-valued evaluation on the summary tree: 0 false, 1 true, 2 unknown. */
static int
eval3(const struct fnode *x, const struct tw_tree *t, const char *protos, size_t plen)
{
	int a, b;
	switch (x->kind) {
	case N_AND:
		if ((a = eval3(x->a, t, protos, plen)) == 0)
			return 0;
		if ((b = eval3(x->b, t, protos, plen)) == 0)
			return 0;
		return a == 1 && b == 1 ? 1 : 2;
	case N_OR:
		if ((a = eval3(x->a, t, protos, plen)) == 1)
			return 1;
		if ((b = eval3(x->b, t, protos, plen)) == 1)
			return 1;
		return a == 0 && b == 0 ? 0 : 2;
	case N_NOT:
		a = eval3(x->a, t, protos, plen);
		return a == 2 ? 2 : !a;
	case N_TEST:
		break;
	}
	if (summary_test_ok(x))
		return eval_test(x, t, NULL);
	if (x->ftype == FT_PROTOCOL && strcmp(x->abbrev, "frame") == 0 && x->op == OP_EXISTS)
		return 1;
	const char *layer = test_layer(x);
	if (!layer)
		return 2;
	if (strcmp(layer, "event") == 0)
		return 0;
	if (layer_count(protos, plen, layer) ||
	    (strcmp(layer, "dns") == 0 && (layer_count(protos, plen, "mdns") || layer_count(protos, plen, "llmnr"))))
		return 2;
	return 0; /* the field cannot occur, and every test of an absent field is false */
}

/* Is layer `name` in "eth:ethertype:ip:tcp"? How many times? */
static int
layer_count(const char *protos, size_t plen, const char *name)
{
	size_t n = strlen(name);
	int c = 0;
	for (size_t i = 0; i + n <= plen;) {
		if ((i == 0 || protos[i - 1] == ':') && memcmp(protos + i, name, n) == 0 &&
		    (i + n == plen || protos[i + n] == ':'))
			c++;
		const char *colon = memchr(protos + i, ':', plen - i);
		if (!colon)
			break;
		i = (size_t)(colon - protos) + 1;
	}
	return c;
}

static void
add_proto_nodes(const struct fnode *x, struct tw_tree *t, const char *protos, size_t plen)
{
	if (x->kind != N_TEST) {
		if (x->a)
			add_proto_nodes(x->a, t, protos, plen);
		if (x->b)
			add_proto_nodes(x->b, t, protos, plen);
		return;
	}
	if (x->ftype == FT_PROTOCOL && x->nfs && layer_count(protos, plen, x->abbrev) > 0)
		tree_add_gen(t, t->root, x->fs[0]);
}

int
filter_match_summary(const struct tw_filter *f, const struct tw_pinfo *pi, struct tw_tree *t)
{
	const struct tw_field *const *sf = sum_sf;
	const char *protos = pi->protos.s ? pi->protos.s : "";
	size_t plen = pi->protos.len;
	/* Tunnels and ICMP errors carry more addresses than the summary keeps. */
	if (pi->in_error || layer_count(protos, plen, "icmp") || layer_count(protos, plen, "icmpv6") ||
	    layer_count(protos, plen, "ip") + layer_count(protos, plen, "ipv6") > 1 || plen == 0)
		return -1;
	tree_reset(t);
	struct tw_node *r = t->root;
	node_set_u(tree_add_gen(t, r, sf[SF_NUM]), pi->num);
	node_set_u(tree_add_gen(t, r, sf[SF_LEN]), pi->len);
	node_set_u(tree_add_gen(t, r, sf[SF_CAPLEN]), pi->caplen);
	if (layer_count(protos, plen, "ip")) {
		if (pi->net_src.type != AT_IPV4 || pi->net_dst.type != AT_IPV4)
			return -1;
		uint32_t s = (uint32_t)pi->net_src.a[0] << 24 | (uint32_t)pi->net_src.a[1] << 16 |
		             (uint32_t)pi->net_src.a[2] << 8 | pi->net_src.a[3];
		uint32_t d = (uint32_t)pi->net_dst.a[0] << 24 | (uint32_t)pi->net_dst.a[1] << 16 |
		             (uint32_t)pi->net_dst.a[2] << 8 | pi->net_dst.a[3];
		node_set_u(tree_add_gen(t, r, sf[SF_IPSRC]), s);
		node_set_u(tree_add_gen(t, r, sf[SF_IPADDR]), s);
		node_set_u(tree_add_gen(t, r, sf[SF_IPDST]), d);
		node_set_u(tree_add_gen(t, r, sf[SF_IPADDR]), d);
	}
	if (layer_count(protos, plen, "ipv6")) {
		if (pi->net_src.type != AT_IPV6 || pi->net_dst.type != AT_IPV6)
			return -1;
		node_set_bytes(tree_add_gen(t, r, sf[SF_IP6SRC]), pi->net_src.a, 16);
		node_set_bytes(tree_add_gen(t, r, sf[SF_IP6ADDR]), pi->net_src.a, 16);
		node_set_bytes(tree_add_gen(t, r, sf[SF_IP6DST]), pi->net_dst.a, 16);
		node_set_bytes(tree_add_gen(t, r, sf[SF_IP6ADDR]), pi->net_dst.a, 16);
	}
	bool tcp = layer_count(protos, plen, "tcp") > 0, udp = layer_count(protos, plen, "udp") > 0;
	if ((tcp && pi->ipproto != 6) || (udp && pi->ipproto != 17) || (tcp && udp))
		return -1;
	if (tcp || udp) {
		int b = tcp ? SF_TSRC : SF_USRC;
		node_set_u(tree_add_gen(t, r, sf[b]), pi->srcport);
		node_set_u(tree_add_gen(t, r, sf[b + 2]), pi->srcport);
		node_set_u(tree_add_gen(t, r, sf[b + 1]), pi->dstport);
		node_set_u(tree_add_gen(t, r, sf[b + 2]), pi->dstport);
	}
	add_proto_nodes(f->root, t, protos, plen);
	int v = eval3(f->root, t, protos, plen);
	return v == 2 ? -1 : v;
}

/* ---- index path --------------------------------------------------------------- */

/* Is layer `name` in the frame: 0 no, 1 yes, 2 the index cannot tell. */
static int
idx_layer(const char *name, const struct filter_frame_facts *ff)
{
	if (strcmp(name, "event") == 0)
		return 0;
	if (strcmp(name, "frame") == 0)
		return 1;
	if (!(ff->flags & FRAME_IDX_SIMPLE) || !ff->cv)
		return 2;
	bool tcp = ff->cv->proto == 6, v4 = ff->cv->addr[0].type == AT_IPV4;
	if (strcmp(name, "tcp") == 0)
		return tcp;
	if (strcmp(name, "udp") == 0)
		return !tcp;
	if (strcmp(name, "ip") == 0)
		return v4;
	if (strcmp(name, "ipv6") == 0)
		return !v4;
	if (strcmp(name, "arp") == 0 || strcmp(name, "icmp") == 0 || strcmp(name, "icmpv6") == 0)
		return 0;
	if (!ff->clean)
		return 2;
	if (strcmp(name, "tls") == 0)
		return tcp && (ff->flags & FRAME_IDX_APP_TLS);
	if (strcmp(name, "http") == 0)
		return tcp ? (ff->flags & FRAME_IDX_APP_HTTP) != 0 : 2;
	if (strcmp(name, "dns") == 0)
		return tcp ? (ff->flags & FRAME_IDX_APP_DNS) != 0 : ff->top == PROTO_DNS;
	if (strcmp(name, "mdns") == 0)
		return tcp ? 0 : ff->top == PROTO_MDNS;
	if (strcmp(name, "llmnr") == 0)
		return tcp ? 0 : ff->top == PROTO_LLMNR;
	return 2;
}

static uint32_t
addr4(const struct tw_addr *a)
{
	return (uint32_t)a->a[0] << 24 | (uint32_t)a->a[1] << 16 | (uint32_t)a->a[2] << 8 | a->a[3];
}

enum { IX_NONE, IX_NUM, IX_LEN, IX_CAPLEN, IX_IPSRC, IX_IPDST, IX_IPADDR, IX_IP6SRC, IX_IP6DST, IX_IP6ADDR,
       IX_TSRC, IX_TDST, IX_TPORT, IX_USRC, IX_UDST, IX_UPORT, IX_HSTYPE };
static const char *const ix_names[] = { "", "frame.number", "frame.len", "frame.cap_len", "ip.src", "ip.dst",
	                                "ip.addr", "ipv6.src", "ipv6.dst", "ipv6.addr", "tcp.srcport", "tcp.dstport",
	                                "tcp.port", "udp.srcport", "udp.dstport", "udp.port", "tls.handshake.type" };

static int
ix_field(const struct fnode *x)
{
	if (!x->abbrev || x->sp || x->data_any)
		return IX_NONE;
	for (int i = 1; i < (int)ARRAY_SIZE(ix_names); i++)
		if (strcmp(x->abbrev, ix_names[i]) == 0)
			return i;
	return IX_NONE;
}

/* Can the index ever decide this test? */
static bool
ix_test_ok(const struct fnode *x)
{
	if (x->kind != N_TEST)
		return ix_test_ok(x->a) || (x->b && ix_test_ok(x->b));
	if (x->sp || x->proc)
		return false;
	return ix_field(x) != IX_NONE || (x->abbrev && x->ftype == FT_PROTOCOL) || test_layer(x);
}

bool
filter_index_ok(const struct tw_filter *f)
{
	return ix_test_ok(f->root);
}

/* Feed value u (or 16 address bytes) to the test. */
static bool
ix_u(const struct fnode *x, uint64_t u, struct acc *a)
{
	struct tw_node n;
	vnode_u(&n, NULL, u);
	return test_value(x, &n, a);
}

static bool
ix_b(const struct fnode *x, const uint8_t *p, struct acc *a)
{
	struct tw_node n;
	vnode_str(&n, NULL, (const char *)p, 16);
	return test_value(x, &n, a);
}

static int
ix_test(const struct fnode *x, const struct filter_frame_facts *ff)
{
	int fld = ix_field(x);
	if (x->ftype == FT_PROTOCOL && x->op == OP_EXISTS && x->abbrev && fld == IX_NONE)
		return idx_layer(x->abbrev, ff);
	const char *layer = test_layer(x);
	if (fld == IX_NONE) {
		if (!layer)
			return 2;
		int l = idx_layer(layer, ff);
		if (strcmp(layer, "dns") == 0 && l == 0)
			l = idx_layer("mdns", ff) || idx_layer("llmnr", ff) ? 2 : 0;
		return l == 0 ? 0 : 2; /* an absent layer's fields do not occur */
	}
	struct acc a = { -1, false };
	const struct tw_conv *cv = ff->cv;
	int dir = (ff->flags & FRAME_IDX_DIR_B) ? 1 : 0;
	switch (fld) {
	case IX_NUM: ix_u(x, ff->num, &a); break;
	case IX_LEN: ix_u(x, ff->len, &a); break;
	case IX_CAPLEN: ix_u(x, ff->caplen, &a); break;
	case IX_HSTYPE: {
		int l = idx_layer("tls", ff);
		if (l != 1)
			return l == 0 ? 0 : 2;
		if (!(ff->flags & FRAME_IDX_HS))
			return 2;
		for (unsigned t = 0; t < 32; t++)
			if ((ff->hs_types & (1u << t)) && ix_u(x, t, &a))
				break;
		break;
	}
	default: {
		const char *lay = fld <= IX_IPADDR ? "ip" : fld <= IX_IP6ADDR ? "ipv6" : fld <= IX_TPORT ? "tcp" : "udp";
		int l = idx_layer(lay, ff);
		if (l != 1)
			return l == 0 ? 0 : 2;
		switch (fld) {
		case IX_IPSRC: ix_u(x, addr4(&cv->addr[dir]), &a); break;
		case IX_IPDST: ix_u(x, addr4(&cv->addr[!dir]), &a); break;
		case IX_IPADDR:
			if (!ix_u(x, addr4(&cv->addr[dir]), &a))
				ix_u(x, addr4(&cv->addr[!dir]), &a);
			break;
		case IX_IP6SRC: ix_b(x, cv->addr[dir].a, &a); break;
		case IX_IP6DST: ix_b(x, cv->addr[!dir].a, &a); break;
		case IX_IP6ADDR:
			if (!ix_b(x, cv->addr[dir].a, &a))
				ix_b(x, cv->addr[!dir].a, &a);
			break;
		case IX_TSRC: case IX_USRC: ix_u(x, cv->port[dir], &a); break;
		case IX_TDST: case IX_UDST: ix_u(x, cv->port[!dir], &a); break;
		case IX_TPORT:
		case IX_UPORT:
			if (!ix_u(x, cv->port[dir], &a))
				ix_u(x, cv->port[!dir], &a);
			break;
		}
	}
	}
	if (a.result >= 0)
		return a.result;
	return x->op == OP_NE && a.seen;
}

static int
ix_eval(const struct fnode *x, const struct filter_frame_facts *ff)
{
	int a, b;
	switch (x->kind) {
	case N_AND:
		if ((a = ix_eval(x->a, ff)) == 0)
			return 0;
		if ((b = ix_eval(x->b, ff)) == 0)
			return 0;
		return a == 1 && b == 1 ? 1 : 2;
	case N_OR:
		if ((a = ix_eval(x->a, ff)) == 1)
			return 1;
		if ((b = ix_eval(x->b, ff)) == 1)
			return 1;
		return a == 0 && b == 0 ? 0 : 2;
	case N_NOT:
		a = ix_eval(x->a, ff);
		return a == 2 ? 2 : !a;
	case N_TEST:
		break;
	}
	return ix_test(x, ff);
}

int
filter_match_index(const struct tw_filter *f, const struct filter_frame_facts *ff)
{
	int v = ix_eval(f->root, ff);
	return v == 2 ? -1 : v;
}
