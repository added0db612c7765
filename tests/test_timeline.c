/*
 * test_timeline.c - merging sources on one time line (src/merge/timeline.h).
 *
 * The contract (timeline.h): sources are merged k-way by time, each source
 * consumed in its own order, ties broken by source order; one capture keeps
 * file order even where its clock steps back; a capture split into files
 * merges back to the original order; offsets shift a source's times.
 */
#include "testutil.h"

#include "merge/timeline.h"

static char *dir;
static struct tw_capture *caps[8];
static size_t ncaps;

static int
setup(void **state)
{
	(void)state;
	dir = tu_mkdtemp();
	ncaps = 0;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	for (size_t i = 0; i < ncaps; i++)
		capture_close(caps[i]);
	ncaps = 0;
	tu_rmtree(dir);
	dir = NULL;
	return 0;
}

#define S INT64_C(1000000) /* microseconds per second */
#define T1 INT64_C(1699999990) /* 2023-11-14T22:13:10Z */

/* A pcap whose frames have the given times (microseconds), loaded. */
static struct tw_capture *
source(const char *name, const int64_t *us, size_t n)
{
	static const uint8_t frame[60] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0x11, 0x22, 0x33, 0x44, 0x55,
		                           0x88, 0xb5 /* local experimental ethertype */ };
	struct tu_rec rec[64];
	assert_true(n <= ARRAY_SIZE(rec));
	for (size_t i = 0; i < n; i++) {
		rec[i].sec = (uint32_t)(us[i] / S);
		rec[i].frac = (uint32_t)(us[i] % S);
		rec[i].data = frame;
		rec[i].caplen = rec[i].len = sizeof frame;
	}
	char path[600];
	tu_pcap_write(tu_path(path, sizeof path, dir, name), 1, rec, n);
	char err[256];
	struct tw_capture *cap = capture_open(path, (uint16_t)ncaps, err, sizeof err);
	if (!cap)
		fail_msg("%s: %s", name, err);
	capture_load_all(cap);
	assert_int_equal(capture_count(cap), n);
	caps[ncaps++] = cap;
	return cap;
}

/* Rows as "A0 B0 A1 ..." for readable comparisons. */
static const char *
rows_str(const struct tw_timeline *tl)
{
	static char buf[1024];
	size_t k = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < tl->n && k + 16 < sizeof buf; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s%c%u", i ? " " : "", tl->src[tl->rows[i].src].letter,
		                      tl->rows[i].idx);
	return buf;
}

/* One source keeps file order, even where its clock goes backwards. */
static void
test_single_source_file_order(void **state)
{
	(void)state;
	static const int64_t t[] = { 1700000000 * S + 5, 1700000000 * S + 1, 1699999999 * S, 1700000000 * S + 3,
		                     1700000000 * S + 3, 1700000000 * S + 2 };
	struct tw_capture *a = source("a.pcap", t, ARRAY_SIZE(t));
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_build(&tl);
	assert_int_equal(tl.n, ARRAY_SIZE(t));
	assert_string_equal(rows_str(&tl), "A0 A1 A2 A3 A4 A5");
	for (size_t i = 0; i < tl.n; i++) {
		assert_int_equal(tl.rows[i].kind, ROW_FRAME);
		assert_int_equal(timeline_row_time(&tl, &tl.rows[i]), t[i] * 1000);
	}
	/* Rebuilding gives the same rows. */
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 A2 A3 A4 A5");
	timeline_free(&tl);
}

/* Two sources interleave by time; on equal times the earlier source goes first. */
static void
test_two_sources_interleave(void **state)
{
	(void)state;
	static const int64_t ta[] = { 1 * S, 3 * S, 5 * S };
	static const int64_t tb[] = { 2 * S, 3 * S, 4 * S };
	struct tw_capture *a = source("a.pcap", ta, 3);
	struct tw_capture *b = source("b.pcap", tb, 3);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	assert_int_equal(tl.nsrc, 2);
	assert_int_equal(tl.src[0].letter, 'A');
	assert_int_equal(tl.src[1].letter, 'B');
	assert_string_equal(rows_str(&tl), "A0 B0 A1 B1 B2 A2");
	for (size_t i = 1; i < tl.n; i++)
		assert_true(timeline_row_time(&tl, &tl.rows[i - 1]) <= timeline_row_time(&tl, &tl.rows[i]));
	timeline_free(&tl);

	/*
	 * Same captures, other command-line order (letters follow the order:
	 * now A is b.pcap, B is a.pcap): the tie at 3 s goes the other way.
	 */
	timeline_init(&tl);
	timeline_add_capture(&tl, b, 0);
	timeline_add_capture(&tl, a, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "B0 A0 A1 B1 A2 B2");
	assert_ptr_equal(tl.src[tl.rows[2].src].cap, b); /* b's 3 s frame first */
	assert_ptr_equal(tl.src[tl.rows[3].src].cap, a);
	timeline_free(&tl);
}

/* Equal times throughout: all of the first source, then the second. */
static void
test_all_ties(void **state)
{
	(void)state;
	static const int64_t t[] = { 10 * S, 10 * S };
	struct tw_capture *a = source("a.pcap", t, 2);
	struct tw_capture *b = source("b.pcap", t, 1);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 B0");
	timeline_free(&tl);
}

/* A source whose clock steps back is still consumed in its own order. */
static void
test_backwards_source_in_merge(void **state)
{
	(void)state;
	static const int64_t ta[] = { 5 * S, 1 * S, 6 * S };
	static const int64_t tb[] = { 3 * S, 4 * S };
	struct tw_capture *a = source("a.pcap", ta, 3);
	struct tw_capture *b = source("b.pcap", tb, 2);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	/* A1 (t=1) cannot move before A0 (t=5). */
	assert_string_equal(rows_str(&tl), "B0 B1 A0 A1 A2");
	timeline_free(&tl);
}

/* One capture split into even and odd frames merges back to its order. */
static void
test_split_even_odd(void **state)
{
	(void)state;
	enum { N = 21 };
	int64_t t[N], even[N], odd[N];
	size_t ne = 0, no = 0;
	int64_t now = 1700000000 * S;
	for (int i = 0; i < N; i++) {
		now += 1 + (i * 7919) % 1000; /* strictly increasing, irregular gaps */
		t[i] = now;
		if (i % 2 == 0)
			even[ne++] = now;
		else
			odd[no++] = now;
	}
	struct tw_capture *a = source("even.pcap", even, ne);
	struct tw_capture *b = source("odd.pcap", odd, no);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	assert_int_equal(tl.n, N);
	for (uint32_t i = 0; i < N; i++) {
		assert_int_equal(tl.rows[i].src, i % 2);
		assert_int_equal(tl.rows[i].idx, i / 2);
		assert_int_equal(timeline_row_time(&tl, &tl.rows[i]), t[i] * 1000);
	}
	timeline_free(&tl);
}

/* Split into consecutive pieces (editcap -c): equal times across the cut stay in order. */
static void
test_split_chunks_with_ties(void **state)
{
	(void)state;
	static const int64_t t[] = { 1 * S, 2 * S, 3 * S, 3 * S, 3 * S, 3 * S, 4 * S, 4 * S };
	struct tw_capture *a = source("part1.pcap", t, 4);
	struct tw_capture *b = source("part2.pcap", t + 4, 4);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 A2 A3 B0 B1 B2 B3");
	timeline_free(&tl);
}

/* Offsets move a source's rows; row times include the offset. */
static void
test_offsets(void **state)
{
	(void)state;
	static const int64_t ta[] = { 10 * S, 30 * S };
	static const int64_t tb[] = { 20 * S };
	struct tw_capture *a = source("a.pcap", ta, 2);
	struct tw_capture *b = source("b.pcap", tb, 1);
	struct tw_timeline tl;

	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 B0 A1");
	timeline_free(&tl);

	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, 15 * TW_NS_PER_SEC);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 B0");
	assert_int_equal(timeline_row_time(&tl, &tl.rows[2]), 35 * TW_NS_PER_SEC);
	assert_int_equal(timeline_row_time(&tl, &tl.rows[1]), 30 * TW_NS_PER_SEC);
	timeline_free(&tl);

	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_capture(&tl, b, -15 * TW_NS_PER_SEC);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "B0 A0 A1");
	assert_int_equal(timeline_row_time(&tl, &tl.rows[0]), 5 * TW_NS_PER_SEC);
	timeline_free(&tl);

	/* An offset that makes times equal (b: 20 s + 10 s = a's 30 s): source order decides. */
	timeline_init(&tl);
	timeline_add_capture(&tl, b, 10 * TW_NS_PER_SEC);
	timeline_add_capture(&tl, a, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "B0 A0 B1");
	assert_ptr_equal(tl.src[tl.rows[1].src].cap, b);
	timeline_free(&tl);

	/* An offset on a single source shifts it without reordering. */
	timeline_init(&tl);
	timeline_add_capture(&tl, a, -1);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1");
	assert_int_equal(timeline_row_time(&tl, &tl.rows[0]), 10 * TW_NS_PER_SEC - 1);
	timeline_free(&tl);
}

/* Empty sources contribute nothing; no sources, no rows. */
static void
test_empty_sources(void **state)
{
	(void)state;
	static const int64_t ta[] = { 1 * S, 2 * S };
	struct tw_capture *e = source("empty.pcap", NULL, 0);
	struct tw_capture *a = source("a.pcap", ta, 2);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_build(&tl);
	assert_int_equal(tl.n, 0);
	timeline_add_capture(&tl, e, 0);
	timeline_build(&tl);
	assert_int_equal(tl.n, 0);
	timeline_add_capture(&tl, a, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "B0 B1");
	timeline_free(&tl);
}

/*
 * Five sources with pseudo-random times (some stepping back, many ties):
 * the rows are exactly a k-way merge: each row is the earliest of the
 * sources' next rows, the lowest source index on ties.
 */
static void
test_kway_property(void **state)
{
	(void)state;
	uint32_t rng = 2463534242u;
	enum { K = 5 };
	struct tw_capture *c[K];
	int64_t offs[K];
	for (int s = 0; s < K; s++) {
		int64_t t[40];
		size_t n = (size_t)(s * 7 % 40);
		for (size_t i = 0; i < n; i++) {
			rng ^= rng << 13, rng ^= rng >> 17, rng ^= rng << 5;
			t[i] = 1000 * S + (int64_t)(rng % 20) * S / 2; /* few distinct values: ties */
		}
		char name[32];
		snprintf(name, sizeof name, "s%d.pcap", s);
		c[s] = source(name, t, n);
		offs[s] = (s % 2) ? -(int64_t)s * TW_NS_PER_SEC / 2 : 0;
	}
	struct tw_timeline tl;
	timeline_init(&tl);
	size_t total = 0;
	for (int s = 0; s < K; s++) {
		timeline_add_capture(&tl, c[s], offs[s]);
		total += capture_count(c[s]);
	}
	timeline_build(&tl);
	assert_int_equal(tl.n, total);
	uint32_t next[K] = { 0 };
	for (size_t r = 0; r < tl.n; r++) {
		const struct tw_row *row = &tl.rows[r];
		assert_true(row->src < K);
		assert_int_equal(row->idx, next[row->src]);
		tw_time t = capture_frame(c[row->src], row->idx)->ts + offs[row->src];
		assert_int_equal(timeline_row_time(&tl, row), t);
		for (int s = 0; s < K; s++) {
			if (s == row->src || next[s] >= capture_count(c[s]))
				continue;
			tw_time u = capture_frame(c[s], next[s])->ts + offs[s];
			if (u < t || (u == t && s < row->src))
				fail_msg("row %zu: %c%u (t=%lld) chosen before %c%u (t=%lld)", r, 'A' + row->src, row->idx,
				         (long long)t, 'A' + s, next[s], (long long)u);
		}
		next[row->src]++;
	}
	timeline_free(&tl);
}

/* ---- event sources ------------------------------------------------------ */

/* An evtx_dump JSON-lines export with one event per time (seconds since 1970), loaded. */
static struct tw_events *
event_source(const int64_t *sec, const uint64_t *rec, size_t n, uint16_t id)
{
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t i = 0; i < n; i++) {
		int64_t t = sec[i];
		/* 1970-based seconds to a UTC date: these tests stay within 2023-11-14. */
		int64_t day = t - INT64_C(1699920000); /* 2023-11-14T00:00:00Z */
		assert_true(day >= 0 && day < 86400);
		sb_addf(&sb, "{\"Event\":{\"System\":{\"Provider\":{\"#attributes\":{\"Name\":\"Schannel\"}},"
		        "\"EventID\":36888,\"Level\":2,\"TimeCreated\":{\"#attributes\":{\"SystemTime\":"
		        "\"2023-11-14T%02d:%02d:%02dZ\"}},\"EventRecordID\":%llu,\"Channel\":\"System\","
		        "\"Computer\":\"WS01\"},\"EventData\":{\"AlertDesc\":43}}}\n",
		        (int)(day / 3600), (int)(day / 60 % 60), (int)(day % 60), (unsigned long long)rec[i]);
	}
	char err[256];
	struct tw_events *ev = events_load_mem("e.jsonl", sb.s, sb.len, id, NULL, err, sizeof err);
	sb_free(&sb);
	if (!ev)
		fail_msg("%s", err);
	return ev;
}

/* Events and frames on one timeline: by time, events of a file in time order. */
static void
test_events_and_frames(void **state)
{
	(void)state;
	static const int64_t tf[] = { T1 + 1, T1 + 3, T1 + 5 };
	/* The export lists the events newest first; loading puts them in time order. */
	static const int64_t te[] = { T1 + 4, T1 + 2, T1 + 0 };
	static const uint64_t rec[] = { 3, 2, 1 };
	int64_t us[3];
	for (int i = 0; i < 3; i++)
		us[i] = tf[i] * S;
	struct tw_capture *a = source("a.pcap", us, 3);
	struct tw_events *ev = event_source(te, rec, 3, 1);
	assert_int_equal(events_count(ev), 3);
	assert_true(events_get(ev, 0)->record_id == 1);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_capture(&tl, a, 0);
	timeline_add_events(&tl, ev, 0);
	timeline_build(&tl);
	assert_int_equal(tl.src[1].kind, ROW_EVENT);
	assert_ptr_equal(tl.src[1].ev, ev);
	assert_null(tl.src[1].cap);
	assert_string_equal(timeline_source_name(&tl, 1), "e.jsonl");
	assert_string_equal(rows_str(&tl), "B0 A0 B1 A1 B2 A2");
	for (size_t i = 0; i < tl.n; i++) {
		assert_int_equal(tl.rows[i].kind, tl.rows[i].src == 1 ? ROW_EVENT : ROW_FRAME);
		assert_int_equal(timeline_row_time(&tl, &tl.rows[i]), (T1 + (int64_t)i) * TW_NS_PER_SEC);
	}
	timeline_free(&tl);

	/* Each source has its own clock offset: the events 10 s later. */
	timeline_init(&tl);
	timeline_add_events(&tl, ev, 10 * TW_NS_PER_SEC);
	timeline_add_capture(&tl, a, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "B0 B1 B2 A0 A1 A2");
	assert_int_equal(timeline_row_time(&tl, &tl.rows[3]), (T1 + 10) * TW_NS_PER_SEC);
	timeline_free(&tl);

	/* An event source alone. */
	timeline_init(&tl);
	timeline_add_events(&tl, ev, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 A2");
	timeline_free(&tl);
	events_free(ev);
}

/* Duplicate records of a second export get no rows; ties between files follow file order. */
static void
test_event_duplicates(void **state)
{
	(void)state;
	static const int64_t t1[] = { T1, T1 + 1, T1 + 2 };
	static const uint64_t r1[] = { 10, 11, 12 };
	static const int64_t t2[] = { T1 + 1, T1 + 2, T1 + 3 };
	static const uint64_t r2[] = { 11, 12, 13 };
	struct tw_events *a = event_source(t1, r1, 3, 0);
	struct tw_events *b = event_source(t2, r2, 3, 1);
	struct tw_events *sets[] = { a, b };
	assert_int_equal(events_dedupe(sets, 2), 2);
	struct tw_timeline tl;
	timeline_init(&tl);
	timeline_add_events(&tl, a, 0);
	timeline_add_events(&tl, b, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A0 A1 A2 B2");
	timeline_free(&tl);
	/* Alone, b's duplicates are skipped as well. */
	timeline_init(&tl);
	timeline_add_events(&tl, b, 0);
	timeline_build(&tl);
	assert_string_equal(rows_str(&tl), "A2");
	timeline_free(&tl);
	events_free(a);
	events_free(b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_single_source_file_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_sources_interleave, setup, teardown),
		cmocka_unit_test_setup_teardown(test_all_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backwards_source_in_merge, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_even_odd, setup, teardown),
		cmocka_unit_test_setup_teardown(test_split_chunks_with_ties, setup, teardown),
		cmocka_unit_test_setup_teardown(test_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kway_property, setup, teardown),
		cmocka_unit_test_setup_teardown(test_events_and_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(test_event_duplicates, setup, teardown),
	};
	return cmocka_run_group_tests_name("timeline", tests, NULL, NULL);
}
