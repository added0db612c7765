/* test_columns.c - "set columns" parsing and the default column set (src/ui/columns.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ui/columns.h"

static void
test_parse(void **state)
{
	(void)state;
	struct ui_columns c;
	char err[200];
	assert_true(columns_parse("no,time:14,src,destination,proto,len:6,info", &c, err, sizeof err));
	assert_true(c.set);
	assert_int_equal(c.n, 7);
	int want[] = { COL_NO, COL_TIME, COL_SRC, COL_DST, COL_PROTO, COL_LEN, COL_INFO };
	for (int i = 0; i < 7; i++)
		assert_int_equal(c.id[i], want[i]);
	assert_int_equal(c.width[0], 0);
	assert_int_equal(c.width[1], 14);
	assert_int_equal(c.width[5], 6);
	/* any order, any subset; names are case-insensitive */
	assert_true(columns_parse("Protocol,No,Info", &c, err, sizeof err));
	assert_int_equal(c.n, 3);
	assert_int_equal(c.id[0], COL_PROTO);
	assert_int_equal(c.id[1], COL_NO);
	assert_int_equal(c.id[2], COL_INFO);
	assert_string_equal(columns_title(COL_PROTO), "Proto");
}

static void
test_errors(void **state)
{
	(void)state;
	struct ui_columns c = { 0 };
	char err[200];
	assert_false(columns_parse("no,colour,info", &c, err, sizeof err));
	assert_non_null(strstr(err, "unknown column 'colour'"));
	assert_false(c.set); /* untouched on error */
	assert_false(columns_parse("no,time:0", &c, err, sizeof err));
	assert_non_null(strstr(err, "width"));
	assert_false(columns_parse("no,time:x", &c, err, sizeof err));
	assert_false(columns_parse("time:999", &c, err, sizeof err));
	assert_false(columns_parse("no,no", &c, err, sizeof err));
	assert_non_null(strstr(err, "twice"));
	assert_false(columns_parse("info,no", &c, err, sizeof err));
	assert_non_null(strstr(err, "last"));
	assert_false(columns_parse("", &c, err, sizeof err));
	assert_false(columns_parse(",", &c, err, sizeof err));
}

static void
test_default(void **state)
{
	(void)state;
	struct ui_columns none = { 0 }, c;
	columns_effective(&none, 80, &c);
	assert_int_equal(c.n, 6); /* no Len at 80 columns */
	for (int i = 0; i < c.n; i++)
		assert_int_not_equal(c.id[i], COL_LEN);
	assert_int_equal(c.id[c.n - 1], COL_INFO);
	columns_effective(&none, 120, &c);
	assert_int_equal(c.n, 7);
	assert_int_equal(c.id[5], COL_LEN);
	/* configured columns are used at any width */
	struct ui_columns cfg;
	char err[100];
	assert_true(columns_parse("no,len,info", &cfg, err, sizeof err));
	columns_effective(&cfg, 80, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.id[1], COL_LEN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_default),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
