/* field.c - value formatting and the field registry (see field.h). */
#include "core/field.h"

#include "core/dissect/dissect.h"
#include "core/event.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *
val_to_str(uint32_t v, const struct tw_valstr *vals)
{
	if (!vals)
		return NULL;
	for (; vals->name; vals++)
		if (vals->value == v)
			return vals->name;
	return NULL;
}

const char *
val_to_str_unk(uint32_t v, const struct tw_valstr *vals, char *buf, size_t cap)
{
	const char *s = val_to_str(v, vals);
	if (s)
		return s;
	snprintf(buf, cap, "Unknown (0x%x)", v);
	return buf;
}

static unsigned
mask_shift(uint32_t mask)
{
	unsigned s = 0;
	if (!mask)
		return 0;
	while (!(mask & 1)) {
		mask >>= 1;
		s++;
	}
	return s;
}

uint64_t
field_value(const struct tw_node *n)
{
	if (!n->f || !n->f->mask)
		return n->v.u;
	return (n->v.u & n->f->mask) >> mask_shift(n->f->mask);
}

static int
hex_width(uint8_t type)
{
	switch (type) {
	case FT_U8: return 2;
	case FT_U16: return 4;
	case FT_U24: return 6;
	case FT_U32: return 8;
	default: return 16;
	}
}

void
fmt_ipv4(struct tw_sb *sb, uint32_t a)
{
	/* Built in place, then one copy: every summary line has two. */
	char b[16];
	size_t n = 0;
	for (int shift = 24; shift >= 0; shift -= 8) {
		unsigned o = (a >> shift) & 255;
		if (o >= 100)
			b[n++] = (char)('0' + o / 100);
		if (o >= 10)
			b[n++] = (char)('0' + o / 10 % 10);
		b[n++] = (char)('0' + o % 10);
		if (shift)
			b[n++] = '.';
	}
	sb_addn(sb, b, n);
}

void
fmt_ipv6(struct tw_sb *sb, const uint8_t a[16])
{
	char s[INET6_ADDRSTRLEN];
	if (inet_ntop(AF_INET6, a, s, sizeof s))
		sb_adds(sb, s);
}

void
fmt_ether(struct tw_sb *sb, const uint8_t a[6])
{
	sb_addf(sb, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

void
fmt_abs_time(struct tw_sb *sb, tw_time t, bool utc, bool date, int digits)
{
	int64_t sec = floor_div(t, TW_NS_PER_SEC);
	int64_t ns = t - sec * TW_NS_PER_SEC;
	time_t tt = (time_t)sec;
	struct tm tm;
	if (!(utc ? gmtime_r(&tt, &tm) : localtime_r(&tt, &tm))) {
		sb_addf(sb, "(bad time %" PRId64 ")", t);
		return;
	}
	if (date)
		sb_addf(sb, "%04d-%02d-%02d ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	sb_addf(sb, "%02d:%02d:%02d", tm.tm_hour, tm.tm_min, tm.tm_sec);
	if (digits > 0) {
		int64_t div = 1;
		for (int i = digits; i < 9; i++)
			div *= 10;
		sb_addf(sb, ".%0*" PRId64, digits, ns / div);
	}
}

void
fmt_rel_time(struct tw_sb *sb, tw_time d, int digits)
{
	const char *sign = "";
	uint64_t u;
	if (d < 0) {
		sign = "-";
		u = (uint64_t)0 - (uint64_t)d;
	} else {
		u = (uint64_t)d;
	}
	uint64_t sec = u / 1000000000u, ns = u % 1000000000u;
	if (digits <= 0) {
		sb_addf(sb, "%s%" PRIu64, sign, sec);
		return;
	}
	if (digits > 9)
		digits = 9;
	uint64_t div = 1;
	for (int i = digits; i < 9; i++)
		div *= 10;
	sb_adds(sb, sign);
	sb_addu(sb, sec);
	sb_addc(sb, '.');
	char frac[9];
	uint64_t f = ns / div;
	for (int i = digits - 1; i >= 0; i--) {
		frac[i] = (char)('0' + f % 10);
		f /= 10;
	}
	sb_addn(sb, frac, (size_t)(digits > 9 ? 9 : digits));
}

/* Wireshark-style "Jan  1, 2024 12:00:00.000000000 UTC". */
static void
fmt_time_long(struct tw_sb *sb, tw_time t)
{
	static const char *mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int64_t sec = floor_div(t, TW_NS_PER_SEC);
	int64_t ns = t - sec * TW_NS_PER_SEC;
	time_t tt = (time_t)sec;
	struct tm tm;
	if (!gmtime_r(&tt, &tm)) {
		sb_addf(sb, "(bad time %" PRId64 ")", t);
		return;
	}
	sb_addf(sb, "%s %2d, %d %02d:%02d:%02d.%09" PRId64 " UTC", mon[tm.tm_mon], tm.tm_mday,
	        tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec, ns);
}

static void
fmt_epoch(struct tw_sb *sb, tw_time t)
{
	/* Seconds and fraction of |t| with a sign, as tshark prints times before 1970. */
	fmt_rel_time(sb, t, 9);
}

/* Wireshark's ".... ..1. " bit picture for a masked field in a width-bit container. */
static void
fmt_bits(struct tw_sb *sb, uint32_t mask, uint64_t raw, unsigned width)
{
	for (unsigned i = 0; i < width; i++) {
		unsigned bit = width - 1 - i;
		if (i && i % 4 == 0)
			sb_addc(sb, ' ');
		if (mask & (UINT32_C(1) << bit))
			sb_addc(sb, (raw >> bit) & 1 ? '1' : '0');
		else
			sb_addc(sb, '.');
	}
	sb_adds(sb, " = ");
}

static unsigned
container_bits(const struct tw_field *f)
{
	if (f->type == FT_BOOL)
		return f->base; /* for booleans, base holds the container width */
	switch (f->type) {
	case FT_U8: return 8;
	case FT_U16: return 16;
	case FT_U24: return 24;
	case FT_U32: return 32;
	default: return 0;
	}
}

static void
fmt_uint_display(struct tw_sb *sb, const struct tw_field *f, uint64_t v)
{
	const char *name = v <= UINT32_MAX ? val_to_str((uint32_t)v, f->vals) : NULL;
	int w = hex_width(f->type);
	switch (f->base) {
	case BASE_HEX:
		if (name)
			sb_addf(sb, "%s (0x%0*" PRIx64 ")", name, w, v);
		else
			sb_addf(sb, "0x%0*" PRIx64, w, v);
		return;
	case BASE_DEC_HEX:
		if (name)
			sb_addf(sb, "%s (%" PRIu64 ")", name, v);
		else
			sb_addf(sb, "%" PRIu64 " (0x%0*" PRIx64 ")", v, w, v);
		return;
	case BASE_HEX_DEC:
		if (name)
			sb_addf(sb, "%s (0x%0*" PRIx64 ")", name, w, v);
		else
			sb_addf(sb, "0x%0*" PRIx64 " (%" PRIu64 ")", w, v, v);
		return;
	case BASE_NONE:
		/* Enumerations shown by name only ("Good"), as Wireshark does. */
		if (name)
			sb_adds(sb, name);
		else
			sb_addu(sb, v);
		return;
	default:
		if (name)
			sb_addf(sb, "%s (%" PRIu64 ")", name, v);
		else
			sb_addu(sb, v);
		return;
	}
}

void
field_format_display(struct tw_sb *sb, const struct tw_node *n)
{
	const struct tw_field *f = n->f;
	if (!f || !(n->flags & TW_NF_HAS_VALUE))
		return;
	switch (f->type) {
	case FT_BOOL: {
		const char *name = val_to_str(field_value(n) ? 1 : 0, f->vals);
		sb_adds(sb, name ? name : field_value(n) ? "Set" : "Not set");
		break;
	}
	case FT_U8:
	case FT_U16:
	case FT_U24:
	case FT_U32:
	case FT_U64:
	case FT_FRAMENUM:
		fmt_uint_display(sb, f, field_value(n));
		break;
	case FT_I64:
		sb_addf(sb, "%" PRId64, n->v.i);
		break;
	case FT_DOUBLE:
		sb_addf(sb, "%g", n->v.d);
		break;
	case FT_STRING:
		sb_add_escaped(sb, n->v.b.p, n->v.b.n);
		break;
	case FT_BYTES:
		sb_add_hex(sb, n->v.b.p, n->v.b.n, 0);
		break;
	case FT_ETHER:
		if (n->v.b.n == 6)
			fmt_ether(sb, n->v.b.p);
		break;
	case FT_IPV4:
		fmt_ipv4(sb, (uint32_t)n->v.u);
		break;
	case FT_IPV6:
		if (n->v.b.n == 16)
			fmt_ipv6(sb, n->v.b.p);
		break;
	case FT_ABSTIME:
		if (f->base == BASE_DEC) {
			fmt_epoch(sb, n->v.i);
			sb_adds(sb, " seconds");
		} else {
			fmt_time_long(sb, n->v.i);
		}
		break;
	case FT_RELTIME:
		fmt_rel_time(sb, n->v.i, 9);
		sb_adds(sb, " seconds");
		break;
	default:
		break;
	}
}

void
field_format_label(struct tw_sb *sb, const struct tw_node *n)
{
	if (n->label) {
		sb_adds(sb, n->label);
		return;
	}
	const struct tw_field *f = n->f;
	if (!f)
		return;
	if (f->type == FT_PROTOCOL || f->type == FT_NONE || !(n->flags & TW_NF_HAS_VALUE)) {
		sb_adds(sb, f->name);
		return;
	}
	unsigned w = f->mask ? container_bits(f) : 0;
	if (w)
		fmt_bits(sb, f->mask, n->v.u, w);
	sb_adds(sb, f->name);
	sb_adds(sb, ": ");
	field_format_display(sb, n);
}

void
field_format_fields(struct tw_sb *sb, const struct tw_node *n)
{
	const struct tw_field *f = n->f;
	if (!f)
		return;
	if (!(n->flags & TW_NF_HAS_VALUE)) {
		/* tshark 4.0 prints a text-only field as "1" (it is present). */
		if (f->type == FT_NONE)
			sb_addc(sb, '1');
		else if (f->type == FT_PROTOCOL)
			sb_adds(sb, f->name);
		return;
	}
	switch (f->type) {
	case FT_BOOL:
		sb_adds(sb, field_value(n) ? "1" : "0");
		break;
	case FT_U8:
	case FT_U16:
	case FT_U24:
	case FT_U32:
	case FT_U64:
	case FT_FRAMENUM:
		if (f->base == BASE_HEX || f->base == BASE_HEX_DEC)
			sb_addf(sb, "0x%0*" PRIx64, hex_width(f->type), field_value(n));
		else
			sb_addf(sb, "%" PRIu64, field_value(n));
		break;
	case FT_ABSTIME:
		if (f->base == BASE_DEC)
			fmt_epoch(sb, n->v.i);
		else
			fmt_time_long(sb, n->v.i);
		break;
	case FT_RELTIME:
		fmt_rel_time(sb, n->v.i, 9);
		break;
	case FT_BYTES:
		sb_add_hex(sb, n->v.b.p, n->v.b.n, 0);
		break;
	default:
		field_format_display(sb, n);
		break;
	}
}

/* ---- registry --------------------------------------------------------- */

static const struct tw_field **sorted;
static size_t nsorted;

static int
cmp_field(const void *a, const void *b)
{
	const struct tw_field *x = *(const struct tw_field *const *)a;
	const struct tw_field *y = *(const struct tw_field *const *)b;
	return strcmp(x->abbrev, y->abbrev);
}

static void
registry_build(void)
{
	if (sorted)
		return;
	/* The dissectors' tables, then the other modules' (events). */
	const struct tw_field_table *const *const lists[] = { tw_field_tables, tw_event_field_tables };
	size_t total = 0;
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		for (size_t i = 0; lists[l][i]; i++)
			total += lists[l][i]->n;
	sorted = xcalloc(total ? total : 1, sizeof *sorted);
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		for (size_t i = 0; lists[l][i]; i++)
			for (size_t j = 0; j < lists[l][i]->n; j++)
				sorted[nsorted++] = &lists[l][i]->fields[j];
	qsort(sorted, nsorted, sizeof *sorted, cmp_field);
}

void
field_registry_init(void)
{
	registry_build();
}

const struct tw_field *
field_lookup(const char *abbrev)
{
	registry_build();
	size_t lo = 0, hi = nsorted;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(sorted[mid]->abbrev, abbrev);
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < nsorted && strcmp(sorted[lo]->abbrev, abbrev) == 0)
		return sorted[lo];
	return NULL;
}

bool
field_same_abbrev(const struct tw_field *a, const struct tw_field *b)
{
	return a == b || (a && b && strcmp(a->abbrev, b->abbrev) == 0);
}

const struct tw_field *
field_nth(size_t i)
{
	registry_build();
	return i < nsorted ? sorted[i] : NULL;
}
