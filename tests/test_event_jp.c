/*
 * test_event_jp.c - the JSON reader of event exports (src/core/event_jp.h),
 * checked against RFC 8259: what it accepts, what it refuses and where it
 * says the problem is.
 */
#include "testutil.h"

#include "core/event_jp.h"

static struct ej_doc doc;

static int
setup(void **state)
{
	(void)state;
	ej_init(&doc);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ej_free(&doc);
	return 0;
}

static bool
parse(const char *s)
{
	struct ej_error err;
	return ej_parse(&doc, s, strlen(s), true, NULL, &err);
}

static const char *
text_of(uint32_t i)
{
	static char buf[256];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	assert_true(ej_text(&doc, i, &sb));
	return buf;
}

static void
test_values_and_lookup(void **state)
{
	(void)state;
	assert_true(parse(" {\"a\": 1, \"b\": [true, false, null, \"x\"], \"c\": {\"d\": -2.5e3}} "));
	assert_int_equal(ej_type(&doc, 0), EJ_OBJ);
	assert_int_equal(doc.nodes[0].len, 3);
	uint32_t a = ej_get(&doc, 0, "a");
	assert_int_equal(ej_type(&doc, a), EJ_NUM);
	assert_string_equal(text_of(a), "1");
	uint32_t b = ej_get(&doc, 0, "b");
	assert_int_equal(ej_type(&doc, b), EJ_ARR);
	assert_int_equal(doc.nodes[b].len, 4);
	uint32_t e = ej_first(&doc, b);
	assert_int_equal(ej_type(&doc, e), EJ_TRUE);
	e = ej_next(&doc, e);
	assert_int_equal(ej_type(&doc, e), EJ_FALSE);
	e = ej_next(&doc, e);
	assert_int_equal(ej_type(&doc, e), EJ_NULL);
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "x");
	double d;
	assert_true(ej_double(&doc, ej_path(&doc, 0, "c.d"), &d));
	assert_true(d == -2500.0);
	assert_int_equal(ej_get(&doc, 0, "missing"), EJ_NONE);
	assert_int_equal(ej_path(&doc, 0, "c.missing"), EJ_NONE);
	assert_int_equal(ej_get(&doc, a, "x"), EJ_NONE); /* not an object */
	/* Lookups in any order (the hint wraps around). */
	assert_int_equal(ej_get(&doc, 0, "c"), ej_path(&doc, 0, "c"));
	assert_int_equal(ej_get(&doc, 0, "a"), a);
	assert_int_equal(ej_get(&doc, 0, "b"), b);
	assert_int_equal(ej_get(&doc, 0, "a"), a);
}

/* RFC 8259 section 7: escapes, \u with surrogate pairs; lone surrogates become U+FFFD. */
static void
test_string_escapes(void **state)
{
	(void)state;
	assert_true(parse("[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u0041\\u00e9\\u20ac\", \"\\ud83d\\udd12\", "
	                  "\"\\ud800x\", \"\\udc00\", \"\\/Date(1)\\/\"]"));
	uint32_t e = ej_first(&doc, 0);
	assert_string_equal(text_of(e), "a\"b\\c/d\b\f\n\r\t");
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "A\xc3\xa9\xe2\x82\xac"); /* A, e acute, euro sign */
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "\xf0\x9f\x94\x92"); /* U+1F512 */
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "\xef\xbf\xbdx"); /* lone high surrogate */
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "\xef\xbf\xbd"); /* lone low surrogate */
	e = ej_next(&doc, e);
	assert_string_equal(text_of(e), "/Date(1)/");
	/* An escaped key still matches. */
	assert_true(parse("{\"Te\\u0073t\": 5}"));
	assert_string_equal(text_of(ej_get(&doc, 0, "Test")), "5");
}

static void
test_integers(void **state)
{
	(void)state;
	assert_true(parse("[-9223372036854775808, 18446744073709551615, \"0x8000000000000000\", \"3229\", 1.5, \"12x\", "
	                  "9223372036854775808]"));
	uint32_t e = ej_first(&doc, 0);
	int64_t i;
	uint64_t u;
	assert_true(ej_i64(&doc, e, &i));
	assert_true(i == INT64_MIN);
	e = ej_next(&doc, e);
	assert_true(ej_u64(&doc, e, &u));
	assert_true(u == UINT64_MAX);
	e = ej_next(&doc, e);
	assert_true(ej_u64(&doc, e, &u));
	assert_true(u == 0x8000000000000000ull);
	e = ej_next(&doc, e);
	assert_true(ej_u64(&doc, e, &u)); /* evtx_dump writes some numbers as strings */
	assert_true(u == 3229);
	e = ej_next(&doc, e);
	assert_false(ej_u64(&doc, e, &u)); /* not an integer */
	e = ej_next(&doc, e);
	assert_false(ej_u64(&doc, e, &u));
	e = ej_next(&doc, e);
	assert_false(ej_i64(&doc, e, &i)); /* overflows int64 */
	assert_true(ej_u64(&doc, e, &u));
}

struct bad {
	const char *text;
	size_t off;          /* expected error offset */
	const char *msg;     /* expected start of the message */
};

/* Syntax errors and where they are reported. */
static void
test_errors(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "{\"a\": 1,}", 8, "expected a member name" },
		{ "{\"a\" 1}", 5, "expected ':'" },
		{ "{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}'" },
		{ "[1 2]", 3, "expected ',' or ']'" },
		{ "[1,", 3, "unexpected end of input" },
		{ "{\"a\": \"unterminated", 6, "string not closed" },
		{ "{\"a\": \"x\ny\"}", 8, "control character 0x0a" },
		{ "{\"a\": \"\\q\"}", 7, "invalid escape" },
		{ "{\"a\": \"\\u12g4\"}", 7, "invalid \\u escape" },
		{ "{\"a\": tru}", 6, "invalid value" },
		{ "{\"a\": 01}", 7, "expected ',' or '}'" },
		{ "{\"a\": -}", 6, "invalid number" },
		{ "{\"a\": 1.}", 6, "invalid number" },
		{ "{\"a\": NaN}", 6, "invalid value" },
		{ "{} x", 3, "unexpected 'x' after the end" },
		{ "", 0, "unexpected end of input" },
	};
	for (size_t k = 0; k < ARRAY_SIZE(cases); k++) {
		struct ej_error err;
		bool ok = ej_parse(&doc, cases[k].text, strlen(cases[k].text), true, NULL, &err);
		if (ok)
			fail_msg("accepted: %s", cases[k].text);
		if (err.off != cases[k].off || strncmp(err.msg, cases[k].msg, strlen(cases[k].msg)) != 0)
			fail_msg("%s: got offset %zu '%s', expected %zu '%s'", cases[k].text, err.off, err.msg,
			         cases[k].off, cases[k].msg);
	}
}

/* Hostile nesting stops at EJ_MAX_DEPTH instead of exhausting the stack. */
static void
test_deep_nesting(void **state)
{
	(void)state;
	size_t n = 100000;
	char *s = malloc(2 * n + 1);
	assert_non_null(s);
	memset(s, '[', n);
	memset(s + n, ']', n);
	s[2 * n] = '\0';
	struct ej_error err;
	assert_false(ej_parse(&doc, s, 2 * n, true, NULL, &err));
	assert_non_null(strstr(err.msg, "nested more than"));
	/* At the limit it is fine. */
	memset(s, '[', EJ_MAX_DEPTH);
	memset(s + EJ_MAX_DEPTH, ']', EJ_MAX_DEPTH);
	assert_true(ej_parse(&doc, s, 2 * EJ_MAX_DEPTH, true, NULL, &err));
	memset(s, '[', EJ_MAX_DEPTH + 1);
	memset(s + EJ_MAX_DEPTH + 1, ']', EJ_MAX_DEPTH + 1);
	assert_false(ej_parse(&doc, s, 2 * (EJ_MAX_DEPTH + 1), true, NULL, &err));
	assert_int_equal(err.off, EJ_MAX_DEPTH);
	free(s);
}

/* A prefix parse reports how much it used; the rest is the caller's. */
static void
test_prefix_and_line_col(void **state)
{
	(void)state;
	const char *s = "{\"a\":1}\n{\"b\":2}";
	size_t used;
	struct ej_error err;
	assert_true(ej_parse(&doc, s, strlen(s), false, &used, &err));
	assert_int_equal(used, 7);
	uint32_t line, col;
	ej_line_col("ab\ncd\xc3\xa9\xc3\xa9x", 10, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 6); /* c, d, two 2-byte characters, x: 5 characters before (bytes would say 8) */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_values_and_lookup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_string_escapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_integers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deep_nesting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefix_and_line_col, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
