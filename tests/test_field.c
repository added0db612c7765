/*
 * test_field.c - value formatting and the field registry (src/core/field.h).
 *
 * field_format_fields must print what `tshark -T fields` prints for the
 * same field type/base (so scripts carry over): hex with the type's width,
 * masked values shifted down, booleans 1/0, addresses in their canonical
 * text form (RFC 5952 for IPv6 via inet_ntop), epoch times as sec.nsec.
 */
#include "testutil.h"

#include "core/dissect/dissect.h"
#include "core/field.h"
#include "core/tree.h"

#include <time.h>

static struct tw_tree T;

static int
setup(void **state)
{
	(void)state;
	tree_init(&T, true);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	tree_free(&T);
	return 0;
}

/* A node of field f holding the raw value v (as a dissector stores it). */
static struct tw_node *
unode(const struct tw_field *f, uint64_t v)
{
	struct tw_node *n = tree_add_gen(&T, T.root, f);
	node_set_u(n, v);
	return n;
}

static struct tw_node *
inode(const struct tw_field *f, int64_t v)
{
	struct tw_node *n = tree_add_gen(&T, T.root, f);
	node_set_i(n, v);
	return n;
}

static struct tw_node *
bnode(const struct tw_field *f, const void *p, size_t len)
{
	struct tw_node *n = tree_add_gen(&T, T.root, f);
	node_set_bytes_copy(&T, n, p, len);
	return n;
}

static char out[512];

static const char *
ff(const struct tw_node *n)
{
	struct tw_sb sb;
	sb_fixed(&sb, out, sizeof out);
	field_format_fields(&sb, n);
	return out;
}

static const char *
fd(const struct tw_node *n)
{
	struct tw_sb sb;
	sb_fixed(&sb, out, sizeof out);
	field_format_display(&sb, n);
	return out;
}

static const char *
fl(const struct tw_node *n)
{
	struct tw_sb sb;
	sb_fixed(&sb, out, sizeof out);
	field_format_label(&sb, n);
	return out;
}

static const struct tw_field *
must_lookup(const char *abbrev)
{
	const struct tw_field *f = field_lookup(abbrev);
	if (!f)
		fail_msg("field %s is not registered", abbrev);
	assert_string_equal(f->abbrev, abbrev);
	return f;
}

/* ---- integers ---------------------------------------------------------- */

/* Hex width follows the type: 0x%02x, 0x%04x, 0x%06x, 0x%08x, 0x%016x. */
static void
test_hex_widths(void **state)
{
	(void)state;
	static const struct tw_field h8 = { "x.h8", "H8", FT_U8, BASE_HEX, 0, NULL };
	static const struct tw_field h16 = { "x.h16", "H16", FT_U16, BASE_HEX, 0, NULL };
	static const struct tw_field h24 = { "x.h24", "H24", FT_U24, BASE_HEX, 0, NULL };
	static const struct tw_field h32 = { "x.h32", "H32", FT_U32, BASE_HEX, 0, NULL };
	static const struct tw_field h64 = { "x.h64", "H64", FT_U64, BASE_HEX, 0, NULL };
	assert_string_equal(ff(unode(&h8, 5)), "0x05");
	assert_string_equal(ff(unode(&h16, 5)), "0x0005");
	assert_string_equal(ff(unode(&h24, 5)), "0x000005");
	assert_string_equal(ff(unode(&h32, 5)), "0x00000005");
	assert_string_equal(ff(unode(&h64, 5)), "0x0000000000000005");
	assert_string_equal(ff(unode(&h8, 0xff)), "0xff");
	assert_string_equal(ff(unode(&h32, 0xdeadbeef)), "0xdeadbeef");
	assert_string_equal(fd(unode(&h16, 0xabc)), "0x0abc");
	/* Registered examples. */
	assert_string_equal(ff(unode(must_lookup("tcp.checksum"), 0x1c46)), "0x1c46");
	assert_string_equal(ff(unode(must_lookup("eth.type"), 0x0800)), "0x0800");
	assert_string_equal(ff(unode(must_lookup("ip.dsfield"), 0)), "0x00");
}

static void
test_dec_and_mixed_bases(void **state)
{
	(void)state;
	static const struct tw_field d16 = { "x.d", "D", FT_U16, BASE_DEC, 0, NULL };
	static const struct tw_field dh = { "x.dh", "DH", FT_U16, BASE_DEC_HEX, 0, NULL };
	static const struct tw_field hd = { "x.hd", "HD", FT_U16, BASE_HEX_DEC, 0, NULL };
	static const struct tw_field d64 = { "x.d64", "D64", FT_U64, BASE_DEC, 0, NULL };
	assert_string_equal(ff(unode(&d16, 443)), "443");
	assert_string_equal(fd(unode(&d16, 443)), "443");
	assert_string_equal(ff(unode(&d64, UINT64_MAX)), "18446744073709551615");
	/* -T fields: DEC_HEX prints decimal, HEX_DEC prints hex. */
	assert_string_equal(ff(unode(&dh, 4660)), "4660");
	assert_string_equal(ff(unode(&hd, 4660)), "0x1234");
	/* Display shows both, the primary base first. */
	assert_string_equal(fd(unode(&dh, 4660)), "4660 (0x1234)");
	assert_string_equal(fd(unode(&hd, 4660)), "0x1234 (4660)");
	/* Registered: ip.id is HEX_DEC, icmp.ident DEC_HEX, as in Wireshark. */
	assert_string_equal(ff(unode(must_lookup("ip.id"), 0x1c46)), "0x1c46");
	assert_string_equal(ff(unode(must_lookup("icmp.ident"), 0x1234)), "4660");
	/* Value names: display "Name (value)" in the field's base; fields print the number. */
	const struct tw_field *et = must_lookup("eth.type");
	assert_string_equal(fd(unode(et, 0x0800)), "IPv4 (0x0800)");
	assert_string_equal(fd(unode(et, 0x86dd)), "IPv6 (0x86dd)");
	assert_string_equal(fd(unode(et, 0x1234)), "0x1234");
	const struct tw_field *pr = must_lookup("ip.proto");
	assert_string_equal(fd(unode(pr, 6)), "TCP (6)");
	assert_string_equal(ff(unode(pr, 6)), "6");
	/* Label: "Name: value". */
	assert_string_equal(fl(unode(pr, 17)), "Protocol: UDP (17)");
	/* No value: nothing for fields/display, the name for a label. */
	struct tw_node *nv = tree_add_gen(&T, T.root, pr);
	assert_string_equal(ff(nv), "");
	assert_string_equal(fd(nv), "");
	assert_string_equal(fl(nv), "Protocol");
}

/* Masked values are shifted down by the mask (Wireshark's bitfield values). */
static void
test_masked_values(void **state)
{
	(void)state;
	struct tw_buf b = buf_init((const uint8_t *)"\x40\xb9\x60\x64\x50\x12", 6, 6, 0);
	/* ip.flags: mask 0xe0 over the flags byte; DF set = 0x40 -> 0x02. */
	const struct tw_field *flags = must_lookup("ip.flags");
	assert_int_equal(flags->mask, 0xe0);
	assert_string_equal(ff(unode(flags, 0x40)), "0x02");
	assert_string_equal(ff(tree_add_bits(&T, T.root, flags, &b, 0, 1, 0x40)), "0x02");
	assert_string_equal(ff(unode(flags, 0x20)), "0x01");
	assert_string_equal(ff(unode(flags, 0x00)), "0x00");
	/* Bit picture in the label. */
	assert_string_equal(fl(unode(flags, 0x40)), "010. .... = Flags: 0x02");
	/* ip.frag_offset: mask 0x1fff over 0x40b9 -> 185 (units of 8 bytes). */
	const struct tw_field *fo = must_lookup("ip.frag_offset");
	assert_int_equal(fo->mask, 0x1fff);
	assert_string_equal(ff(tree_add_bits(&T, T.root, fo, &b, 0, 2, 0x40b9)), "185");
	assert_string_equal(ff(unode(fo, 0x40b9)), "185");
	/* vlan TCI 0x6064: PCP 3, DEI 0, VID 100. */
	assert_string_equal(ff(tree_add_bits(&T, T.root, must_lookup("vlan.id"), &b, 2, 2, 0x6064)), "100");
	assert_string_equal(ff(tree_add_bits(&T, T.root, must_lookup("vlan.priority"), &b, 2, 2, 0x6064)), "3");
	assert_string_equal(ff(tree_add_bits(&T, T.root, must_lookup("vlan.dei"), &b, 2, 2, 0x6064)), "0");
	/* tcp.flags: mask 0x0fff over data offset + flags 0x5012 -> 0x0012. */
	assert_string_equal(ff(tree_add_bits(&T, T.root, must_lookup("tcp.flags"), &b, 4, 2, 0x5012)), "0x0012");
	/* ip.version: mask 0xf0 over 0x45 -> 4. */
	assert_string_equal(ff(unode(must_lookup("ip.version"), 0x45)), "4");
	/* field_value itself. */
	assert_int_equal(field_value(unode(fo, 0xffff)), 0x1fff);
	assert_int_equal(field_value(unode(flags, 0xff)), 7);
}

static void
test_booleans(void **state)
{
	(void)state;
	const struct tw_field *df = must_lookup("ip.flags.df");
	assert_string_equal(ff(unode(df, 0x40)), "1");
	assert_string_equal(ff(unode(df, 0x00)), "0");
	assert_string_equal(ff(unode(df, 0xbf)), "0"); /* other bits do not count */
	assert_string_equal(fd(unode(df, 0x40)), "Set");
	assert_string_equal(fd(unode(df, 0)), "Not set");
	assert_string_equal(fl(unode(df, 0x40)), ".1.. .... = Don't fragment: Set");
	const struct tw_field *syn = must_lookup("tcp.flags.syn");
	assert_string_equal(ff(unode(syn, 0x002)), "1");
	assert_string_equal(fl(unode(syn, 0x002)), ".... .... ..1. = Syn: Set");
	/* A boolean with value names (eth.ig over 3 bytes, mask 0x010000). */
	const struct tw_field *ig = must_lookup("eth.ig");
	assert_string_equal(fd(unode(ig, 0x010000)), "Group address (multicast/broadcast)");
	assert_string_equal(ff(unode(ig, 0x010000)), "1");
	assert_string_equal(ff(unode(ig, 0x00ffff)), "0");
}

/* ---- addresses --------------------------------------------------------- */

static void
test_addresses(void **state)
{
	(void)state;
	const struct tw_field *src = must_lookup("ip.src");
	assert_int_equal(src->type, FT_IPV4);
	assert_string_equal(ff(unode(src, 0xc0a80001)), "192.168.0.1");
	assert_string_equal(ff(unode(src, 0)), "0.0.0.0");
	assert_string_equal(ff(unode(src, 0xffffffff)), "255.255.255.255");
	assert_string_equal(fd(unode(src, 0x0a000001)), "10.0.0.1");

	const struct tw_field *v6 = must_lookup("ipv6.src");
	static const struct {
		uint8_t a[16];
		const char *text;
	} v6cases[] = {
		{ { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 }, "2001:db8::1" },
		{ { [10] = 0xff, [11] = 0xff, [12] = 1, [13] = 2, [14] = 3, [15] = 4 }, "::ffff:1.2.3.4" },
		{ { 0 }, "::" },
		{ { [15] = 1 }, "::1" },
		{ { 0xfe, 0x80, [13] = 1, [15] = 2 }, "fe80::1:2" },
		/* RFC 5952 4.2.2: a single zero group is not compressed. */
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1 }, "2001:db8:0:1:1:1:1:1" },
		/* 4.2.3: of equal runs the first is compressed; the longest wins. */
		{ { 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 }, "2001:db8::1:0:0:1" },
		{ { 0, 1, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3 }, "1:0:0:2::3" },
		/* 4.3: lowercase. */
		{ { 0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd, [15] = 0xef }, "2001:db8:abcd::ef" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(v6cases); i++)
		assert_string_equal(ff(bnode(v6, v6cases[i].a, 16)), v6cases[i].text);
	/* A wrong-sized value prints nothing rather than garbage. */
	assert_string_equal(ff(bnode(v6, v6cases[0].a, 4)), "");

	const struct tw_field *mac = must_lookup("eth.src");
	assert_int_equal(mac->type, FT_ETHER);
	assert_string_equal(ff(bnode(mac, "\x00\x1a\x2b\x3c\x4d\x5e", 6)), "00:1a:2b:3c:4d:5e");
	assert_string_equal(ff(bnode(mac, "\xff\xff\xff\xff\xff\xff", 6)), "ff:ff:ff:ff:ff:ff");
	assert_string_equal(ff(bnode(mac, "\xff\xff", 2)), "");
	/* Bytes as plain hex, strings escaped. */
	static const struct tw_field by = { "x.bytes", "Bytes", FT_BYTES, BASE_NONE, 0, NULL };
	static const struct tw_field st = { "x.str", "Str", FT_STRING, BASE_NONE, 0, NULL };
	assert_string_equal(ff(bnode(&by, "\x00\xab\x10", 3)), "00ab10");
	assert_string_equal(ff(bnode(&st, "a\x1b[1m\\", 6)), "a\\x1b[1m\\\\");
}

/* ---- times ------------------------------------------------------------- */

static void
test_abstime_epoch(void **state)
{
	(void)state;
	const struct tw_field *ep = must_lookup("frame.time_epoch");
	assert_int_equal(ep->type, FT_ABSTIME);
	assert_int_equal(ep->base, BASE_DEC);
	assert_string_equal(ff(inode(ep, INT64_C(1700000000123456789))), "1700000000.123456789");
	assert_string_equal(ff(inode(ep, INT64_C(1700000000000000000))), "1700000000.000000000");
	assert_string_equal(ff(inode(ep, 5)), "0.000000005");
	assert_string_equal(ff(inode(ep, 0)), "0.000000000");
	/* Display adds the unit, as Wireshark ("Epoch Time: 1.000000001 seconds"). */
	assert_string_equal(fd(inode(ep, INT64_C(1000000001))), "1.000000001 seconds");
}

/* Before 1970 the text must still be the time as a decimal number of seconds. */
static void
test_abstime_epoch_negative(void **state)
{
	(void)state;
	const struct tw_field *ep = must_lookup("frame.time_epoch");
	assert_string_equal(ff(inode(ep, INT64_C(-1000000000))), "-1.000000000");
	assert_string_equal(ff(inode(ep, -1)), "-0.000000001");
	assert_string_equal(ff(inode(ep, INT64_C(-1500000000))), "-1.500000000");
	assert_string_equal(ff(inode(ep, INT64_C(-86400000000001))), "-86400.000000001");
}

static void
test_abstime_long(void **state)
{
	(void)state;
	const struct tw_field *t = must_lookup("frame.time");
	/* 1700000000 = 2023-11-14T22:13:20Z. */
	assert_string_equal(ff(inode(t, INT64_C(1700000000123456789))), "Nov 14, 2023 22:13:20.123456789 UTC");
	assert_string_equal(ff(inode(t, 0)), "Jan  1, 1970 00:00:00.000000000 UTC");
	assert_string_equal(ff(inode(t, -1)), "Dec 31, 1969 23:59:59.999999999 UTC");
	/* 951782400 = 2000-02-29T00:00:00Z (leap day). */
	assert_string_equal(fd(inode(t, INT64_C(951782400000000000))), "Feb 29, 2000 00:00:00.000000000 UTC");
}

static void
test_reltime(void **state)
{
	(void)state;
	const struct tw_field *d = must_lookup("frame.time_delta");
	assert_int_equal(d->type, FT_RELTIME);
	assert_string_equal(ff(inode(d, INT64_C(1500000000))), "1.500000000");
	assert_string_equal(ff(inode(d, 0)), "0.000000000");
	assert_string_equal(ff(inode(d, -250000000)), "-0.250000000");
	assert_string_equal(fd(inode(d, INT64_C(1500000000))), "1.500000000 seconds");
}

static void
test_fmt_time_helpers(void **state)
{
	(void)state;
	char buf[128];
	struct tw_sb sb;
	const tw_time t = INT64_C(1700000000123456000);
#define ABS(tt, utc, date, dig, want)                         \
	do {                                                  \
		sb_fixed(&sb, buf, sizeof buf);               \
		fmt_abs_time(&sb, (tt), (utc), (date), (dig)); \
		assert_string_equal(buf, (want));             \
	} while (0)
#define REL(tt, dig, want)                      \
	do {                                    \
		sb_fixed(&sb, buf, sizeof buf); \
		fmt_rel_time(&sb, (tt), (dig)); \
		assert_string_equal(buf, (want)); \
	} while (0)
	ABS(t, true, true, 9, "2023-11-14 22:13:20.123456000");
	ABS(t, true, true, 6, "2023-11-14 22:13:20.123456");
	ABS(t, true, false, 3, "22:13:20.123");
	ABS(t, true, false, 0, "22:13:20");
	ABS(INT64_C(1700000000000000007), true, false, 9, "22:13:20.000000007");
	ABS(-1, true, true, 9, "1969-12-31 23:59:59.999999999");
	ABS(INT64_C(-1500000000), true, false, 1, "23:59:58.5");
	/* Local time honours TZ (EST5: UTC-5, no DST). */
	setenv("TZ", "EST5", 1);
	tzset();
	ABS(t, false, true, 3, "2023-11-14 17:13:20.123");
	ABS(t, true, true, 3, "2023-11-14 22:13:20.123");
	setenv("TZ", "UTC0", 1);
	tzset();

	REL(INT64_C(1500000000), 9, "1.500000000");
	REL(INT64_C(1500000000), 6, "1.500000");
	REL(INT64_C(1500000000), 1, "1.5");
	REL(INT64_C(1500000000), 0, "1");
	REL(INT64_C(-1500000000), 3, "-1.500");
	REL(-1, 9, "-0.000000001");
	REL(7, 9, "0.000000007");
	REL(INT64_C(86400000000000), 6, "86400.000000");
	REL(INT64_MAX, 9, "9223372036.854775807");
	REL(INT64_MIN, 9, "-9223372036.854775808");
#undef ABS
#undef REL
}

/* ---- value strings ------------------------------------------------------ */

static void
test_val_to_str(void **state)
{
	(void)state;
	static const struct tw_valstr vs[] = { { 0, "zero" }, { 7, "seven" }, { 0xffffffff, "max" }, { 0, NULL } };
	char buf[32];
	assert_string_equal(val_to_str(0, vs), "zero");
	assert_string_equal(val_to_str(0xffffffff, vs), "max");
	assert_null(val_to_str(1, vs));
	assert_null(val_to_str(1, NULL));
	assert_string_equal(val_to_str_unk(7, vs, buf, sizeof buf), "seven");
	assert_string_equal(val_to_str_unk(42, vs, buf, sizeof buf), "Unknown (0x2a)");
	assert_string_equal(val_to_str_unk(42, NULL, buf, sizeof buf), "Unknown (0x2a)");
	/* Small buffers: truncated, NUL-terminated, nothing past cap. */
	char small[8];
	memset(small, 'Z', sizeof small);
	const char *s = val_to_str_unk(0xdeadbeef, vs, small, 5);
	assert_string_equal(s, "Unkn");
	assert_int_equal(small[5], 'Z');
}

/* ---- registry ---------------------------------------------------------- */

static void
test_lookup(void **state)
{
	(void)state;
	const struct tw_field *f = field_lookup("tcp.srcport");
	assert_non_null(f);
	assert_string_equal(f->abbrev, "tcp.srcport");
	assert_int_equal(f->type, FT_U16);
	assert_int_equal(field_lookup("ip.src")->type, FT_IPV4);
	assert_int_equal(field_lookup("frame.time_epoch")->type, FT_ABSTIME);
	assert_int_equal(field_lookup("ip")->type, FT_PROTOCOL);
	assert_null(field_lookup("no.such"));
	assert_null(field_lookup(""));
	assert_null(field_lookup("tcp.src"));      /* prefix of a name */
	assert_null(field_lookup("tcp.srcport.")); /* name plus a dot */
	assert_null(field_lookup("TCP.SRCPORT"));  /* case matters, as in Wireshark */
	assert_true(field_same_abbrev(f, field_lookup("tcp.srcport")));
	assert_false(field_same_abbrev(f, field_lookup("tcp.dstport")));
	assert_false(field_same_abbrev(f, NULL));
}

/* Which dissector table holds f (index into tw_field_tables), or -1 for another module's. */
static int
table_of(const struct tw_field *f)
{
	for (int i = 0; tw_field_tables[i]; i++) {
		uintptr_t lo = (uintptr_t)tw_field_tables[i]->fields;
		uintptr_t hi = (uintptr_t)(tw_field_tables[i]->fields + tw_field_tables[i]->n);
		if ((uintptr_t)f >= lo && (uintptr_t)f < hi)
			return i;
	}
	return -1;
}

/*
 * Abbreviations do not collide. field.h allows one dissector to register a
 * name twice, as Wireshark does for variants of one field (dns.qry.class
 * for DNS and mDNS); such repeats must have the same type and base, so a
 * filter or -T fields means the same on either. A name registered by two
 * different dissectors (tables) is a collision. Every name can be looked up.
 */
static void
test_abbrevs_unique(void **state)
{
	(void)state;
	size_t n = 0;
	const struct tw_field *prev = NULL;
	int bad = 0;
	for (const struct tw_field *f; (f = field_nth(n)); n++) {
		assert_non_null(f->abbrev);
		assert_non_null(f->name);
		assert_true(f->abbrev[0] != '\0');
		if (prev && strcmp(prev->abbrev, f->abbrev) == 0) {
			int ta = table_of(prev), tb = table_of(f);
			if (ta != tb || ta < 0) {
				print_message("%s registered by two modules (tables %d and %d)\n", f->abbrev, ta, tb);
				bad++;
			} else if (prev->type != f->type || prev->base != f->base) {
				print_message("%s registered twice with different types (\"%s\" and \"%s\")\n", f->abbrev,
				              prev->name, f->name);
				bad++;
			}
		}
		if (prev)
			assert_true(strcmp(prev->abbrev, f->abbrev) <= 0); /* field_nth is sorted */
		assert_string_equal(field_lookup(f->abbrev)->abbrev, f->abbrev);
		/* Names use Wireshark's character set (proto_check_field_name): letters, digits, '-', '_', '.'
		 * (x509ce.CRLReason, data-text-lines). */
		for (const char *p = f->abbrev; *p; p++)
			assert_true((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			            *p == '.' || *p == '_' || *p == '-');
		prev = f;
	}
	assert_true(n > 100);
	assert_null(field_nth(n));
	assert_null(field_nth(SIZE_MAX));
	assert_int_equal(bad, 0);
}

int
main(void)
{
	setenv("TZ", "UTC0", 1);
	tzset();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hex_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dec_and_mixed_bases, setup, teardown),
		cmocka_unit_test_setup_teardown(test_masked_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_booleans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_addresses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abstime_epoch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abstime_epoch_negative, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abstime_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reltime, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fmt_time_helpers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_val_to_str, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_abbrevs_unique, setup, teardown),
	};
	return cmocka_run_group_tests_name("field", tests, NULL, NULL);
}
