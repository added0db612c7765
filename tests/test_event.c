/*
 * test_event.c - Windows event exports (src/core/event.h): dialect and
 * encoding detection, the field mapping of every dialect checked field by
 * field against the shapes in ../shared/reference/eventjson.md, time
 * parsing, UTF-16, malformed input and its messages, duplicates, the
 * summary line and the detail tree.
 *
 * Expected times are computed independently: for example
 * `date -u -d 2023-11-14T22:13:20Z +%s` is 1700000000.
 */
#include "testutil.h"

#include "core/event.h"
#include "core/field.h"

#define D "tests/data/events/"
#define NS INT64_C(1000000000)
#define T0 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */

static struct tw_events *
load_opt(const char *path, bool tz, int tz_min)
{
	char err[512];
	struct tw_event_opts o = { tz, tz_min };
	struct tw_events *ev = events_load(path, 0, &o, err, sizeof err);
	if (!ev)
		fail_msg("%s: %s", path, err);
	return ev;
}

static struct tw_events *
load(const char *path)
{
	return load_opt(path, false, 0);
}

static struct tw_events *
load_str(const char *text, char *err, size_t errlen)
{
	return events_load_mem("mem.json", text, strlen(text), 0, NULL, err, errlen);
}

static const struct tw_event *
by_record(const struct tw_events *ev, uint64_t rec)
{
	for (uint32_t i = 0; i < events_count(ev); i++) {
		const struct tw_event *e = events_get(ev, i);
		if ((e->flags & EVF_HAS_RECORD) && e->record_id == rec)
			return e;
	}
	fail_msg("no record %llu", (unsigned long long)rec);
	return NULL;
}

static const char *
str(const struct tw_events *ev, tw_pstr s)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	size_t l;
	const char *p = events_str(ev, s, &l);
	if (!p)
		return NULL;
	snprintf(buf[k], sizeof buf[k], "%.*s", (int)l, p);
	return buf[k];
}

static const char *
data(const struct tw_events *ev, const struct tw_event *e, const char *name)
{
	static char buf[4][1024];
	static int k;
	k = (k + 1) % 4;
	size_t l;
	const char *p = events_data(ev, e, name, &l);
	if (!p)
		return NULL;
	snprintf(buf[k], sizeof buf[k], "%.*s", (int)l, p);
	return buf[k];
}

static const char *
message(const struct tw_events *ev, const struct tw_event *e)
{
	static char buf[2048];
	struct tw_sb sb;
	sb_heap(&sb);
	size_t l;
	const char *p = events_message(ev, e, &sb, &l);
	if (!p) {
		sb_free(&sb);
		return NULL;
	}
	snprintf(buf, sizeof buf, "%.*s", (int)l, p);
	sb_free(&sb);
	return buf;
}

static bool
warned(const struct tw_events *ev, const char *needle)
{
	for (size_t i = 0; events_warning(ev, i); i++)
		if (strstr(events_warning(ev, i), needle))
			return true;
	return false;
}

/* ---- time ---------------------------------------------------------------- */

static void
check_time(const char *s, tw_time want, int kind, int off, int digits)
{
	tw_time t;
	int k, o, d;
	if (!ev_parse_time(s, strlen(s), &t, &k, &o, &d))
		fail_msg("refused: %s", s);
	if (t != want || k != kind || o != off || d != digits)
		fail_msg("%s: got %lld kind %d off %d digits %d", s, (long long)t, k, o, d);
}

static void
test_time_formats(void **state)
{
	(void)state;
	/* PowerShell 5.1: milliseconds since 1970 UTC, slashes already unescaped. */
	check_time("/Date(1700000000000)/", T0 * NS, EV_TIME_UTC, 0, 3);
	check_time("/Date(1595374458918)/", INT64_C(1595374458918) * 1000000, EV_TIME_UTC, 0, 3);
	check_time("/Date(-1500)/", INT64_C(-1500000000), EV_TIME_UTC, 0, 3); /* before 1970 */
	/* DataContractJsonSerializer's "+hhmm" is a display hint: the milliseconds stay UTC. */
	check_time("/Date(1700000000000+0200)/", T0 * NS, EV_TIME_UTC, 120, 3);
	check_time("/Date(1700000000000-0530)/", T0 * NS, EV_TIME_UTC, -330, 3);
	/* ISO 8601 with Z, 0..9 fractional digits (more are cut). */
	check_time("2023-11-14T22:13:20Z", T0 * NS, EV_TIME_UTC, 0, 0);
	check_time("2023-11-14T22:13:20.1234567Z", T0 * NS + 123456700, EV_TIME_UTC, 0, 7);
	check_time("2023-11-14T22:13:20.123456789Z", T0 * NS + 123456789, EV_TIME_UTC, 0, 9);
	check_time("2023-11-14T22:13:20.1234567891Z", T0 * NS + 123456789, EV_TIME_UTC, 0, 9);
	/* PowerShell 7: local time with the offset (docs' example 2). */
	check_time("2021-08-05T16:13:05.6394416-07:00", INT64_C(1628205185) * NS + 639441600, EV_TIME_OFFSET, -420, 7);
	check_time("2023-11-14T23:13:20+01:00", T0 * NS, EV_TIME_OFFSET, 60, 0);
	check_time("2023-11-14T23:13:20+0100", T0 * NS, EV_TIME_OFFSET, 60, 0);
	check_time("2023-11-14T22:13:20+00:00", T0 * NS, EV_TIME_UTC, 0, 0);
	/* Hayabusa-like: a space before the offset. */
	check_time("2023-11-15 00:13:20.197 +02:00", T0 * NS + 197000000, EV_TIME_OFFSET, 120, 3);
	/* NXLog: no zone, no fraction. */
	check_time("2023-11-14 22:13:20", T0 * NS, EV_TIME_NAIVE, 0, 0);
	/* Leap day. */
	check_time("2024-02-29T00:00:00Z", INT64_C(1709164800) * NS, EV_TIME_UTC, 0, 0);

	static const char *const bad[] = {
		"", "yesterday", "2023-02-30T10:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T24:00:00Z",
		"2023-11-14", "2023-11-14T22:13:20.Z", "2023-11-14T22:13:20+25:00", "2023-11-14T22:13:20 junk",
		"/Date(abc)/", "/Date(1700000000000", "9999-12-31T23:59:59Z", "1500-01-01T00:00:00Z",
		"/Date(-62135596800000)/", /* 0001-01-01: outside what int64 nanoseconds hold (1678-2262) */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		tw_time t;
		int k, o, d;
		if (ev_parse_time(bad[i], strlen(bad[i]), &t, &k, &o, &d))
			fail_msg("accepted: '%s'", bad[i]);
	}
}

static void
test_tz_option(void **state)
{
	(void)state;
	int m;
	assert_true(ev_parse_tz("+01:00", &m));
	assert_int_equal(m, 60);
	assert_true(ev_parse_tz("-04:00", &m));
	assert_int_equal(m, -240);
	assert_true(ev_parse_tz("+0530", &m));
	assert_int_equal(m, 330);
	assert_true(ev_parse_tz("-03", &m));
	assert_int_equal(m, -180);
	assert_true(ev_parse_tz("Z", &m));
	assert_int_equal(m, 0);
	assert_false(ev_parse_tz("04:00", &m));
	assert_false(ev_parse_tz("+15:00", &m));
	assert_false(ev_parse_tz("+01:60", &m));
	assert_false(ev_parse_tz("+1", &m));
}

/* ---- UTF-16 ------------------------------------------------------------------- */

static void
test_utf16(void **state)
{
	(void)state;
	/* "A", U+00E9, U+20AC, U+1F512 (a pair) in LE and BE. */
	static const uint8_t le[] = { 'A', 0, 0xe9, 0, 0xac, 0x20, 0x3d, 0xd8, 0x12, 0xdd };
	static const uint8_t be[] = { 0, 'A', 0, 0xe9, 0x20, 0xac, 0xd8, 0x3d, 0xdd, 0x12 };
	static const char want[] = "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x94\x92";
	size_t n, bad;
	char *s = ev_utf16_to_utf8(le, sizeof le, false, &n, &bad);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(s, want, n);
	assert_int_equal(bad, 0);
	free(s);
	s = ev_utf16_to_utf8(be, sizeof be, true, &n, &bad);
	assert_memory_equal(s, want, n);
	free(s);
	/* A high surrogate followed by a letter, a lone low surrogate, a high one at the end, an odd byte. */
	static const uint8_t lone[] = { 0x00, 0xd8, 'x', 0, 0x00, 0xdc, 0x01, 0xd8, 'z' };
	s = ev_utf16_to_utf8(lone, sizeof lone, false, &n, &bad);
	static const char want2[] = "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd";
	assert_int_equal(n, strlen(want2));
	assert_memory_equal(s, want2, n);
	assert_int_equal(bad, 4);
	free(s);
}

/* A UTF-16LE file with a lone surrogate loads, with U+FFFD and a warning. */
static void
test_utf16_file_lone_surrogate(void **state)
{
	(void)state;
	const char *json = "{\"Id\": 36887, \"ProviderName\": \"Schannel\", \"TimeCreated\": \"\\/Date(1700000000000)\\/\", "
	                   "\"Message\": \"bad ?\"}";
	size_t n = strlen(json);
	uint8_t *p = malloc(2 + 2 * n);
	assert_non_null(p);
	p[0] = 0xff;
	p[1] = 0xfe;
	for (size_t i = 0; i < n; i++) {
		p[2 + 2 * i] = (uint8_t)json[i];
		p[3 + 2 * i] = 0;
	}
	/* Replace the '?' with a lone high surrogate. */
	const char *q = strchr(json, '?');
	size_t at = 2 + 2 * (size_t)(q - json);
	p[at] = 0x00;
	p[at + 1] = 0xd8;
	char err[256];
	struct tw_events *ev = events_load_mem("lone.json", p, 2 + 2 * n, 0, NULL, err, sizeof err);
	assert_non_null(ev);
	assert_string_equal(events_encoding(ev), "UTF-16LE with BOM");
	assert_int_equal(events_count(ev), 1);
	assert_string_equal(message(ev, events_get(ev, 0)), "bad \xef\xbf\xbd");
	assert_true(warned(ev, "1 invalid UTF-16 code units"));
	events_free(ev);
	free(p);
}

/* ---- dialects, field by field ------------------------------------------------- */

static void
test_ps51_depth3(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "ps51-depth3.utf16le.json");
	assert_string_equal(events_encoding(ev), "UTF-16LE with BOM");
	assert_string_equal(events_framing(ev), "JSON array");
	assert_string_equal(events_dialect(ev), "Windows PowerShell 5.1 ConvertTo-Json");
	assert_int_equal(events_count(ev), 3);
	assert_int_equal(events_warning(ev, 0) == NULL, true);
	/* Newest first in the file; oldest first after loading. */
	assert_true(events_get(ev, 0)->record_id == 5000);
	assert_true(events_get(ev, 1)->record_id == 5001);
	assert_true(events_get(ev, 2)->record_id == 5002);

	const struct tw_event *e = by_record(ev, 5002);
	assert_true(e->ts == T0 * NS + INT64_C(1123) * 1000000); /* \/Date(1700000001123)\/ */
	assert_int_equal(e->tkind, EV_TIME_UTC);
	assert_int_equal(e->id, 36888);
	assert_false(e->flags & EVF_HAS_QUAL); /* "Qualifiers": null */
	assert_int_equal(e->level, EV_LEVEL_ERROR);
	assert_string_equal(str(ev, e->provider), "Schannel");
	assert_string_equal(str(ev, e->channel), "System");
	assert_string_equal(str(ev, e->computer), "WS01.corp.example.test");
	assert_int_equal(e->pid, 1036);
	assert_int_equal(e->tid, 6356);
	assert_string_equal(str(ev, e->user), "S-1-5-18"); /* UserId.Value */
	assert_string_equal(str(ev, e->activity), "5ef243e4-e1a8-45c1-95af-e98599fd5eb5");
	assert_true(e->keywords == UINT64_C(0x8000000000000000)); /* -9223372036854775808 */
	/* Positional Properties named from the Schannel manifest. */
	assert_true(e->flags & EVF_POSITIONAL);
	assert_int_equal(e->nkv, 3);
	assert_string_equal(data(ev, e, "AlertDesc"), "43");
	assert_string_equal(data(ev, e, "ErrorState"), "252");
	assert_string_equal(data(ev, e, "TargetName"), "shop.example.test");
	assert_non_null(strstr(message(ev, e), "fatal alert code is 43.\r\n\r\n Target name: shop.example.test"));
	assert_false(e->flags & EVF_MSG_RENDERED);

	e = by_record(ev, 5001);
	assert_int_equal(e->id, 7036);
	assert_true(e->flags & EVF_HAS_QUAL);
	assert_int_equal(e->qualifiers, 16384);
	assert_int_equal(e->level, EV_LEVEL_INFO);
	assert_null(str(ev, e->user)); /* "UserId": null */
	assert_true(e->keywords == UINT64_C(0x8080000000000000)); /* -9187343239835811840 */
	assert_string_equal(str(ev, e->kwnames), "Classic");
	assert_string_equal(data(ev, e, "param1"), "Windows Update");
	assert_string_equal(data(ev, e, "param2"), "running");
	assert_string_equal(data(ev, e, "Binary"), "System.Byte[]");
	/* "Message": null: rendered from the catalog's template. */
	assert_true(e->flags & EVF_MSG_RENDERED);
	assert_string_equal(message(ev, e), "The Windows Update service entered the running state.");

	e = by_record(ev, 5000);
	assert_true(e->ts == (T0 - 1) * NS + 500000000);
	assert_string_equal(data(ev, e, "AlertDesc"), "46");
	events_free(ev);
}

/* Default depth: Properties are type names, the codes come back from Message. */
static void
test_ps51_default_depth(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "ps51-default-depth.utf16le.json");
	assert_int_equal(events_count(ev), 2);
	assert_true(warned(ev, "2 events have Properties cut to type names"));
	const struct tw_event *e = by_record(ev, 2555); /* the real example of eventjson.md 1.1 */
	assert_int_equal(e->id, 13);
	assert_string_equal(str(ev, e->provider), "Microsoft-Windows-Hyper-V-Netvsc");
	assert_string_equal(str(ev, e->computer), "DESKTOP-U3FCUKI");
	assert_true(e->ts == INT64_C(1595374458918) * 1000000);
	assert_true(e->flags & EVF_PROPS_CUT);
	assert_int_equal(e->nkv, 0);
	assert_string_equal(message(ev, e), "Miniport NIC 'Microsoft Hyper-V Network Adapter #3' disconnected");

	e = by_record(ev, 219151);
	assert_true(e->flags & EVF_PROPS_CUT);
	assert_true(e->flags & EVF_DATA_FROM_MSG);
	assert_null(str(ev, e->user)); /* the SecurityIdentifier's type name is not a SID */
	/* "...fatal error code is 70. The Windows SChannel error state is 105." (2012 R2 wording) */
	assert_string_equal(data(ev, e, "AlertDesc"), "70");
	assert_string_equal(data(ev, e, "ErrorState"), "105");
	events_free(ev);
}

static void
test_ps51_select_single(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "ps51-select-single.utf8bom.json");
	assert_string_equal(events_encoding(ev), "UTF-8 with BOM");
	assert_string_equal(events_framing(ev), "one JSON object");
	assert_int_equal(events_count(ev), 1);
	const struct tw_event *e = events_get(ev, 0);
	/* {"value": "\/Date(1700000005000+0100)\/", "DisplayHint": 2, ...} */
	assert_true(e->ts == (T0 + 5) * NS);
	assert_int_equal(e->id, 36884);
	assert_int_equal(e->level, EV_LEVEL_ERROR); /* from LevelDisplayName */
	assert_false(e->flags & EVF_HAS_RECORD);
	assert_null(str(ev, e->computer));
	assert_string_equal(data(ev, e, "Name"), "wrongname.example.test"); /* read back from Message */
	events_free(ev);
}

static void
test_ps7(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "ps7-depth4.json");
	assert_string_equal(events_encoding(ev), "UTF-8");
	assert_string_equal(events_dialect(ev), "PowerShell 7 ConvertTo-Json");
	assert_int_equal(events_count(ev), 2);
	const struct tw_event *e = by_record(ev, 6001);
	assert_true(e->ts == (T0 + 1) * NS + 123456700); /* 2023-11-14T23:13:21.1234567+01:00 */
	assert_int_equal(e->tkind, EV_TIME_OFFSET);
	assert_int_equal(e->toff, 60);
	assert_int_equal(e->tdigits, 7);
	assert_string_equal(data(ev, e, "AlertDesc"), "48");
	assert_string_equal(data(ev, e, "ErrorState"), "1203");
	assert_string_equal(data(ev, e, "TargetName"), "printer.corp.example.test");
	assert_true(e->flags & EVF_MSG_RENDERED);
	assert_string_equal(message(ev, e),
	                    "A fatal alert was generated and sent to the remote endpoint. This may result in "
	                    "termination of the connection. The TLS protocol defined fatal alert code is 48.\n\n"
	                    " Target name: printer.corp.example.test\n\n The TLS alert registry can be found at "
	                    "http://www.iana.org/assignments/tls-parameters/tls-parameters.xhtml#tls-parameters-6");
	e = by_record(ev, 5990);
	assert_true(e->ts == INT64_C(1628205185) * NS + 639441600); /* 2021-08-05T16:13:05.6394416-07:00 */
	assert_int_equal(e->toff, -420);
	assert_int_equal(events_ts_digits(ev), 9);
	events_free(ev);

	ev = load(D "ps7-compress.jsonl");
	assert_string_equal(events_framing(ev), "JSON lines");
	assert_int_equal(events_count(ev), 2);
	e = by_record(ev, 6002);
	assert_true(e->ts == (T0 - 1) * NS + 500000000);
	assert_string_equal(data(ev, e, "Protocol"), "TLS 1.3");
	assert_string_equal(data(ev, e, "CipherSuite"), "0x1302");
	assert_string_equal(data(ev, e, "ExchangeStrength"), "255");
	assert_string_equal(data(ev, e, "RemoteCertSubjectName"), "CN=tls13.example.test");
	events_free(ev);

	ev = load(D "ps7-single.utf16be.json");
	assert_string_equal(events_encoding(ev), "UTF-16BE with BOM");
	assert_int_equal(events_count(ev), 1);
	assert_non_null(strstr(message(ev, events_get(ev, 0)), "\xc3\x89t\xc3\xa9 \xf0\x9f\x94\x92"));
	events_free(ev);
}

static void
test_evtx_dump_jsonl(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "evtx-dump.jsonl");
	assert_string_equal(events_dialect(ev), "evtx_dump JSON");
	assert_string_equal(events_framing(ev), "JSON lines");
	assert_int_equal(events_count(ev), 4);
	/* Time order: 6009 (22:13:19), CAPI2 53 (.1), 36888 (.123456789), 7036 (21.5). */
	assert_int_equal(events_get(ev, 0)->id, 6009);
	assert_int_equal(events_get(ev, 1)->id, 53);
	assert_int_equal(events_get(ev, 2)->id, 36888);
	assert_int_equal(events_get(ev, 3)->id, 7036);

	const struct tw_event *e = by_record(ev, 48216);
	assert_true(e->ts == T0 * NS + 123456789);
	assert_int_equal(e->line, 1);
	assert_string_equal(str(ev, e->provider), "Schannel");
	assert_string_equal(str(ev, e->channel), "System");
	assert_string_equal(str(ev, e->computer), "WS01.corp.example.test");
	assert_string_equal(str(ev, e->user), "S-1-5-18");
	assert_string_equal(str(ev, e->activity), "{39B0C6D7-E580-4EFF-A485-DF3ED2E00A99}");
	assert_int_equal(e->pid, 1036);
	assert_int_equal(e->tid, 1808);
	assert_int_equal(e->level, EV_LEVEL_ERROR);
	assert_true(e->keywords == UINT64_C(0x8000000000000000));
	assert_false(e->flags & EVF_POSITIONAL);
	assert_string_equal(data(ev, e, "AlertDesc"), "43");
	assert_string_equal(data(ev, e, "ErrorState"), "252");
	assert_true(e->flags & EVF_MSG_RENDERED); /* evtx_dump has no message */

	/* EventID {"#attributes": {"Qualifiers": 16384}, "#text": 7036}, Level "4", EventRecordID "48217". */
	e = by_record(ev, 48217);
	assert_int_equal(e->id, 7036);
	assert_int_equal(e->qualifiers, 16384);
	assert_int_equal(e->level, EV_LEVEL_INFO);
	assert_null(str(ev, e->user)); /* "Security": null */
	assert_string_equal(data(ev, e, "Binary"), "770075006100750073006500720076002F0034000000");

	/* Unnamed <Data>: positions. */
	e = by_record(ev, 48215);
	assert_int_equal(e->qualifiers, 32768);
	assert_true(e->flags & EVF_POSITIONAL);
	assert_int_equal(e->nkv, 5);
	assert_string_equal(data(ev, e, "param1"), "10.00.");
	assert_string_equal(data(ev, e, "param3"), "");
	assert_string_equal(data(ev, e, "param4"), "Multiprocessor Free");

	/* CAPI2 UserData, flattened: elements by '/', attributes by '@', text under the element's name. */
	e = by_record(ev, 7314);
	assert_string_equal(str(ev, e->udroot), "CryptRetrieveObjectByUrlWire");
	assert_string_equal(data(ev, e, "URL"), "http://crl.pki.example.test/pki/example-issuing-g2.crl");
	assert_string_equal(data(ev, e, "URL@scheme"), "http");
	assert_string_equal(data(ev, e, "Object@type"), "CONTEXT_OID_CRL");
	assert_string_equal(data(ev, e, "AdditionalInfo/Action@name"), "NoProxy");
	assert_string_equal(data(ev, e, "AdditionalInfo/Action_1@name"), "WriteToCache");
	assert_string_equal(data(ev, e, "AdditionalInfo/HTTPRequestHeadersInfo/Header_1"), "Host: crl.pki.example.test");
	assert_string_equal(data(ev, e, "Result@value"), "80092013");
	assert_null(data(ev, e, "@xmlns"));
	assert_null(data(ev, e, "xmlns"));
	assert_string_equal(message(ev, e),
	                    "Retrieve Object from Network: http://crl.pki.example.test/pki/example-issuing-g2.crl: result 80092013");
	events_free(ev);
}

static void
test_evtx_dump_records(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "evtx-dump-records.json");
	assert_string_equal(events_framing(ev), "evtx_dump JSON (Record N blocks)");
	assert_int_equal(events_count(ev), 3);
	const struct tw_event *e = by_record(ev, 2213); /* the real 36870 of schannel.md 8 */
	assert_true(e->ts == INT64_C(1665952056) * NS + 222854900); /* 2022-10-16T20:27:36.222854900Z */
	assert_string_equal(data(ev, e, "Type"), "server");
	assert_string_equal(data(ev, e, "ErrorCode"), "0x8009030d");
	assert_string_equal(data(ev, e, "ErrorStatus"), "10001");
	assert_string_equal(str(ev, e->computer), "nt0000000");
	assert_int_equal(e->pid, 616);
	assert_string_equal(message(ev, e),
	                    "A fatal error occurred when attempting to access the TLS server credential private key. "
	                    "The error code returned from the cryptographic module is 0x8009030d. The internal error "
	                    "state is 10001.");
	e = by_record(ev, 7321);
	assert_string_equal(data(ev, e, "SSLAdditionalPolicyInfo@serverName"), "mail.contoso.test");
	assert_string_equal(data(ev, e, "Result@value"), "800B0109");
	events_free(ev);

	/* A syntax error in the middle record: skipped up to the next Record line. */
	ev = load(D "evtx-dump-records-bad.json");
	assert_int_equal(events_count(ev), 2);
	assert_int_equal(events_bad_json(ev), 1);
	assert_true(warned(ev, "malformed JSON: expected ',' or '}' after an object member"));
	assert_true(warned(ev, "record skipped"));
	/* The error is where the comma is missing: the line after "Type": "server". */
	FILE *f = fopen(D "evtx-dump-records-bad.json", "r");
	assert_non_null(f);
	char line[512];
	unsigned n = 0, want = 0;
	while (fgets(line, sizeof line, f)) {
		n++;
		if (strstr(line, "\"Type\": \"server\""))
			want = n + 1;
	}
	fclose(f);
	char needle[64];
	snprintf(needle, sizeof needle, "line %u, column ", want);
	assert_true(warned(ev, needle));
	events_free(ev);

	ev = load(D "evtx-dump-separate-attributes.jsonl");
	assert_int_equal(events_count(ev), 1);
	e = events_get(ev, 0);
	assert_string_equal(str(ev, e->provider), "Schannel");
	assert_true(e->ts == (T0 + 2) * NS + 1000);
	assert_int_equal(e->pid, 1036);
	assert_string_equal(str(ev, e->user), "S-1-5-18");
	assert_string_equal(data(ev, e, "AlertDesc"), "46");
	events_free(ev);
}

static void
test_winlogbeat(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "winlogbeat8.ndjson");
	assert_string_equal(events_dialect(ev), "Winlogbeat (Elastic Common Schema)");
	assert_int_equal(events_count(ev), 2);
	const struct tw_event *e = by_record(ev, 48216);
	assert_true(e->ts == T0 * NS + 123456700); /* @timestamp, 7 digits */
	assert_int_equal(e->id, 36888); /* "36888" as a string in 8.x */
	assert_string_equal(str(ev, e->provider), "Schannel");
	assert_string_equal(str(ev, e->computer), "WS01.corp.example.test"); /* winlog.computer_name, not host.name */
	assert_string_equal(str(ev, e->channel), "System");
	assert_int_equal(e->level, EV_LEVEL_ERROR); /* log.level "error" */
	assert_int_equal(e->pid, 1036);
	assert_int_equal(e->tid, 1808);
	assert_string_equal(str(ev, e->user), "S-1-5-18");
	assert_string_equal(data(ev, e, "AlertDesc"), "43");
	assert_non_null(strstr(message(ev, e), "fatal alert code is 43.\n\n Target name: shop.example.test"));
	e = by_record(ev, 20419); /* record_id as a string */
	assert_int_equal(e->level, EV_LEVEL_WARNING);
	assert_string_equal(data(ev, e, "CallerProcessImageName"), "System");
	assert_string_equal(data(ev, e, "ErrorCode"), "0x800b0109");
	events_free(ev);

	ev = load(D "winlogbeat7.ndjson");
	e = by_record(ev, 12841); /* the real 7.7 example */
	assert_int_equal(e->id, 7045);
	assert_true(e->ts == INT64_C(1595008678) * NS + 257000000); /* 2020-07-17T17:57:58.257Z */
	assert_string_equal(str(ev, e->provider), "Service Control Manager");
	assert_string_equal(data(ev, e, "ServiceName"), "PSEXESVC");
	assert_string_equal(data(ev, e, "ImagePath"), "%SystemRoot%\\PSEXESVC.exe");
	assert_string_equal(str(ev, e->kwnames), "Classic");
	assert_int_equal(e->level, EV_LEVEL_INFO);
	e = by_record(ev, 7321);
	assert_string_equal(str(ev, e->udroot), "CertVerifyCertificateChainPolicy");
	assert_string_equal(data(ev, e, "Result/value"), "800B0109");
	events_free(ev);

	ev = load(D "winlogbeat6.ndjson");
	assert_string_equal(events_dialect(ev), "Winlogbeat 6");
	e = by_record(ev, 19819); /* "record_number": "19819" */
	assert_int_equal(e->id, 7036);
	assert_string_equal(str(ev, e->provider), "Service Control Manager");
	assert_string_equal(str(ev, e->channel), "System");
	assert_string_equal(str(ev, e->computer), "HFDC01.shire.com");
	assert_int_equal(e->pid, 524);
	assert_int_equal(e->tid, 5976);
	assert_int_equal(e->level, EV_LEVEL_INFO);
	assert_string_equal(data(ev, e, "param1"), "Software Protection");
	assert_string_equal(message(ev, e), "The Software Protection service entered the running state.");
	e = by_record(ev, 19820);
	assert_int_equal(e->level, EV_LEVEL_ERROR);
	events_free(ev);

	/* An Elasticsearch export wraps each event in _source. */
	ev = load(D "elastic-hits.ndjson");
	assert_int_equal(events_count(ev), 1);
	assert_int_equal(events_get(ev, 0)->id, 36888);
	events_free(ev);
}

static void
test_nxlog_and_flat(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "nxlog.jsonl");
	assert_string_equal(events_dialect(ev), "NXLog JSON");
	assert_int_equal(events_count(ev), 3);
	assert_int_equal(events_naive_times(ev), 3);
	assert_true(warned(ev, "3 event times have no time zone and were taken as UTC"));
	const struct tw_event *e = by_record(ev, 2783); /* the real example of eventjson.md 4(a) */
	assert_true(e->ts == INT64_C(1600729384) * NS); /* "2020-09-21 23:03:04" taken as UTC */
	assert_int_equal(e->tkind, EV_TIME_NAIVE);
	assert_int_equal(e->id, 16968);
	assert_string_equal(str(ev, e->provider), "Microsoft-Windows-Directory-Services-SAM");
	assert_string_equal(str(ev, e->computer), "MORDORDC.theshire.local");
	assert_int_equal(e->level, EV_LEVEL_WARNING); /* SeverityValue 3 */
	assert_int_equal(e->pid, 696);
	assert_int_equal(e->tid, 6500);
	assert_string_equal(str(ev, e->user), "S-1-5-18");
	assert_string_equal(str(ev, e->activity), "{ACAAA2B5-6AED-0001-4B50-4040058DD601}");
	/* Event data flattened into the top level, message-derived keys ending in ':' included. */
	assert_string_equal(data(ev, e, "Client Network Address:"), "172.18.39.5");
	assert_null(data(ev, e, "EventTime"));
	assert_null(data(ev, e, "@timestamp"));
	assert_null(data(ev, e, "SeverityValue"));
	e = by_record(ev, 797030);
	assert_int_equal(e->id, 5156);
	assert_string_equal(str(ev, e->channel), "security");
	assert_string_equal(data(ev, e, "DestAddress"), "168.63.129.16");
	assert_string_equal(data(ev, e, "ProcessId"), "3260"); /* data, not the header's ExecutionProcessID */
	assert_int_equal(e->pid, 4);
	events_free(ev);

	/* --tz -04:00: the collector's local time, shifted to UTC. */
	ev = load_opt(D "nxlog.jsonl", true, -240);
	e = by_record(ev, 2783);
	assert_true(e->ts == (INT64_C(1600729384) + 4 * 3600) * NS);
	assert_int_equal(e->tkind, EV_TIME_NAIVE_TZ);
	assert_int_equal(e->toff, -240);
	assert_false(warned(ev, "taken as UTC"));
	events_free(ev);

	ev = load(D "otrf-flat.jsonl");
	assert_string_equal(events_dialect(ev), "OTRF flat JSON");
	e = events_get(ev, 0);
	assert_true(e->ts == INT64_C(1659962923) * NS + 704000000); /* 2022-08-08T12:48:43.704Z */
	assert_int_equal(e->id, 7023);
	assert_int_equal(e->level, EV_LEVEL_ERROR); /* "Level": "2" */
	assert_true(e->keywords == UINT64_C(0x8080000000000000));
	assert_string_equal(str(ev, e->computer), "Pedro01");
	assert_string_equal(data(ev, e, "param1"), "Network Connection Broker");
	assert_null(data(ev, e, "Task"));
	events_free(ev);
}

/* ---- bad input -------------------------------------------------------------- */

static void
test_malformed_lines(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "malformed-lines.crlf.jsonl");
	assert_int_equal(events_count(ev), 4); /* every good line */
	assert_int_equal(events_bad_json(ev), 2);
	assert_true(warned(ev, "line 2, column 33: malformed JSON: expected a member name in double quotes"));
	assert_true(warned(ev, "line 5, column 1: malformed JSON: invalid value"));
	assert_true(warned(ev, "line skipped"));
	/* CRLF line ends do not leak into values. */
	const struct tw_event *e = by_record(ev, 7314);
	assert_string_equal(data(ev, e, "Result@value"), "80092013");
	assert_int_equal(e->line, 7);
	events_free(ev);
}

/* A damaged first line does not hide the good lines after it. */
static void
test_malformed_first_line(void **state)
{
	(void)state;
	char err[512];
	static const char *const firsts[] = {
		"garbage from a broken copy\n",
		"{\"Id\": 36888, \"TimeCreated\": \"2023-\n", /* an object cut short */
		"\x01\x02\x1b[31m\n",
	};
	for (size_t i = 0; i < sizeof firsts / sizeof *firsts; i++) {
		struct tw_sb sb;
		sb_heap(&sb);
		sb_adds(&sb, firsts[i]);
		sb_adds(&sb, "{\"Id\":36888,\"ProviderName\":\"Schannel\",\"RecordId\":11,"
		             "\"TimeCreated\":\"2023-05-01T10:00:00Z\"}\n");
		sb_adds(&sb, "{\"Id\":36874,\"ProviderName\":\"Schannel\",\"RecordId\":12,"
		             "\"TimeCreated\":\"2023-05-01T10:00:01Z\"}\n");
		struct tw_events *ev = events_load_mem("mem.jsonl", sb.s, sb.len, 0, NULL, err, sizeof err);
		assert_non_null(ev);
		assert_int_equal(events_count(ev), 2);
		assert_int_equal(events_bad_json(ev), 1);
		assert_true(warned(ev, "line 1, column "));
		events_free(ev);
		sb_free(&sb);
	}
	/* Pretty-printed concatenated objects are still read as a stream. */
	struct tw_events *ev = load_str("{\n  \"Id\": 36888,\n  \"ProviderName\": \"Schannel\",\n"
	                                "  \"TimeCreated\": \"2023-05-01T10:00:00Z\"\n}\n"
	                                "{\n  \"Id\": 36874,\n  \"ProviderName\": \"Schannel\",\n"
	                                "  \"TimeCreated\": \"2023-05-01T10:00:01Z\"\n}\n", err, sizeof err);
	assert_non_null(ev);
	assert_int_equal(events_count(ev), 2);
	assert_int_equal(events_bad_json(ev), 0);
	events_free(ev);
}

static void
test_truncated_array(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "truncated-array.json");
	assert_int_equal(events_count(ev), 2);
	assert_true(warned(ev, "malformed JSON: string not closed before the end of input; the 2 events before it were loaded"));
	events_free(ev);

	/* Cut before the first event ends: no event, so the file is refused with the position. */
	char err[512];
	assert_null(load_str("[\n  {\n    \"Id\": 36888,\n    \"TimeCreated\": \"2023-", err, sizeof err));
	assert_string_equal(err, "line 4, column 20: malformed JSON: string not closed before the end of input");
}

static void
test_rejected_events(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "no-time.ndjson");
	assert_int_equal(events_count(ev), 2);
	assert_int_equal(events_rejected(ev), 4);
	assert_true(warned(ev, "line 1: event rejected: no time (@timestamp is missing)"));
	assert_true(warned(ev, "line 3: event rejected: @timestamp is not a date and time: \"yesterday at noon\""));
	assert_true(warned(ev, "line 4: event rejected: no time (@timestamp is missing)"));
	assert_true(warned(ev, "line 6: event rejected: @timestamp is not a date and time: \"2023-02-30T10:00:00Z\""));
	events_free(ev);
}

static void
test_not_an_export(void **state)
{
	(void)state;
	char err[512];
	struct tw_event_opts o = { false, 0 };
	assert_null(events_load(D "package.json", 0, &o, err, sizeof err));
	assert_non_null(strstr(err, "not a Windows event export"));
	assert_null(load_str("[]", err, sizeof err));
	assert_string_equal(err, "no events in the file (empty JSON)");
	assert_null(load_str("hello", err, sizeof err));
	assert_non_null(strstr(err, "not JSON"));
	assert_null(events_load_mem("e.json", "", 0, 0, NULL, err, sizeof err));
	assert_string_equal(err, "empty file (0 bytes)");
	assert_null(events_load("tests/data/events/no-such-file.json", 0, &o, err, sizeof err));
	assert_string_equal(err, "No such file or directory");
	/* Only events without a usable time: nothing to show, the reason is given. */
	assert_null(load_str("{\"winlog\": {\"event_id\": 1}}", err, sizeof err));
	assert_non_null(strstr(err, "no usable event: 1 rejected"));
	/* A later non-event record is listed, not silently dropped. */
	struct tw_events *ev = load_str("{\"Id\": 1, \"ProviderName\": \"P\", \"TimeCreated\": \"2023-11-14T22:13:20Z\"}\n"
	                                "{\"name\": \"x\"}\n", err, sizeof err);
	assert_non_null(ev);
	assert_int_equal(events_rejected(ev), 1);
	assert_true(warned(ev, "line 2: event rejected: not an event record"));
	events_free(ev);
}

/* Hostile records: deep nesting, huge field counts, bad UTF-8: no crash, clear outcome. */
static void
test_hostile(void **state)
{
	(void)state;
	char err[512];
	struct tw_sb sb;
	sb_heap(&sb);
	sb_adds(&sb, "{\"winlog\":{\"event_id\":1,\"event_data\":{");
	for (int i = 0; i < 5000; i++)
		sb_addf(&sb, "%s\"f%d\":\"%d\"", i ? "," : "", i, i);
	sb_adds(&sb, "}},\"@timestamp\":\"2023-11-14T22:13:20Z\"}\n");
	/* A second line nested far too deep. */
	for (int i = 0; i < 1000; i++)
		sb_addc(&sb, '[');
	sb_addc(&sb, '\n');
	/* Invalid UTF-8 inside a string is kept (and escaped when shown). */
	sb_adds(&sb, "{\"winlog\":{\"event_id\":2,\"event_data\":{\"x\":\"\xff\xfe\"}},\"@timestamp\":\"2023-11-14T22:13:21Z\"}\n");
	struct tw_events *ev = events_load_mem("h.json", sb.s, sb.len, 0, NULL, err, sizeof err);
	assert_non_null(ev);
	assert_int_equal(events_count(ev), 2);
	assert_int_equal(events_get(ev, 0)->nkv, 4096);
	assert_true(warned(ev, "more than 4096 data fields"));
	assert_int_equal(events_bad_json(ev), 1);
	assert_true(warned(ev, "line 2, column 129: malformed JSON: nested more than 128 levels deep"));
	assert_string_equal(data(ev, events_get(ev, 1), "x"), "\xff\xfe");
	struct tw_sb info;
	sb_heap(&info);
	event_info(&info, ev, events_get(ev, 1));
	assert_string_equal(info.s, "E 2 (no provider) Unknown  x=\\xff\\xfe");
	sb_free(&info);
	events_free(ev);
	sb_free(&sb);
}

/* ---- duplicates --------------------------------------------------------------- */

static void
test_duplicates(void **state)
{
	(void)state;
	/* evtx_dump and Winlogbeat exports of the same log: record 48216 of WS01's System log. */
	struct tw_events *a = load(D "evtx-dump.jsonl");
	struct tw_events *b = load(D "winlogbeat8.ndjson");
	struct tw_events *sets[] = { a, b };
	assert_int_equal(events_dedupe(sets, 2), 1);
	assert_int_equal(events_duplicates(a), 0);
	assert_int_equal(events_duplicates(b), 1);
	assert_true(by_record(b, 48216)->flags & EVF_DUP);
	assert_false(by_record(b, 20419)->flags & EVF_DUP);
	assert_true(by_record(a, 48216)->flags & EVF_MERGED);
	events_free(a);
	events_free(b);

	/* Within one file; computer and channel compare case-insensitively. */
	char err[256];
	struct tw_events *c = load_str(
	    "{\"Id\":1,\"RecordId\":7,\"MachineName\":\"WS01\",\"LogName\":\"System\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n"
	    "{\"Id\":1,\"RecordId\":7,\"MachineName\":\"ws01\",\"LogName\":\"SYSTEM\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n"
	    "{\"Id\":1,\"RecordId\":7,\"MachineName\":\"WS02\",\"LogName\":\"System\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n"
	    "{\"Id\":1,\"RecordId\":7,\"MachineName\":\"WS01\",\"LogName\":\"Security\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n"
	    "{\"Id\":1,\"MachineName\":\"WS01\",\"LogName\":\"System\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n"
	    "{\"Id\":1,\"MachineName\":\"WS01\",\"LogName\":\"System\",\"TimeCreated\":\"2023-11-14T22:13:20Z\"}\n",
	    err, sizeof err);
	assert_non_null(c);
	assert_int_equal(events_dedupe(&c, 1), 1);
	assert_int_equal(events_duplicates(c), 1);
	assert_true(events_get(c, 1)->flags & EVF_DUP);
	events_free(c);
}

/* ---- summary and tree ---------------------------------------------------------- */

static const struct tw_node *
find(const struct tw_tree *t, const char *abbrev)
{
	const struct tw_node *n = node_find_abbrev(t->root, abbrev);
	if (!n)
		fail_msg("no node %s", abbrev);
	return n;
}

static const char *
fieldtext(const struct tw_node *n)
{
	static char buf[1024];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	field_format_fields(&sb, n);
	return buf;
}

static void
test_info_and_tree(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "evtx-dump.jsonl");
	uint32_t idx = 2;
	const struct tw_event *e = events_get(ev, idx);
	assert_int_equal(e->id, 36888);
	struct tw_sb sb;
	sb_heap(&sb);
	event_info(&sb, ev, e);
	assert_string_equal(sb.s, "E 36888 Schannel Error  A fatal alert was generated and sent to the remote endpoint. "
	                          "This may result in termination of the connection. The TLS protocol defined fatal alert code is 43.");
	sb_reset(&sb);
	event_info(&sb, ev, events_get(ev, 1));
	assert_string_equal(sb.s, "E 53 CAPI2 Error  Retrieve Object from Network: "
	                          "http://crl.pki.example.test/pki/example-issuing-g2.crl: result 80092013");
	sb_reset(&sb);
	event_info(&sb, ev, events_get(ev, 0)); /* no message, no template: the data */
	assert_string_equal(sb.s, "E 6009 EventLog Information  param1=10.00. param2=15063 param3= param4=Multiprocessor Free param5=0");

	struct tw_tree t;
	tree_init(&t, true);
	event_tree(ev, idx, &t);
	const struct tw_node *root = find(&t, "event");
	assert_int_equal(root->f->type, FT_PROTOCOL);
	assert_string_equal(fieldtext(find(&t, "event.id")), "36888");
	assert_string_equal(fieldtext(find(&t, "event.provider")), "Schannel");
	assert_string_equal(fieldtext(find(&t, "event.level")), "Error");
	assert_string_equal(fieldtext(find(&t, "event.level_value")), "2");
	assert_string_equal(fieldtext(find(&t, "event.channel")), "System");
	assert_string_equal(fieldtext(find(&t, "event.computer")), "WS01.corp.example.test");
	assert_string_equal(fieldtext(find(&t, "event.record_id")), "48216");
	assert_string_equal(fieldtext(find(&t, "event.process_id")), "1036");
	assert_string_equal(fieldtext(find(&t, "event.thread_id")), "1808");
	assert_string_equal(fieldtext(find(&t, "event.user")), "S-1-5-18");
	assert_string_equal(fieldtext(find(&t, "event.keywords")), "0x8000000000000000");
	assert_string_equal(fieldtext(find(&t, "event.time")), "Nov 14, 2023 22:13:20.123456789 UTC");
	const struct tw_node *tn = find(&t, "event.time");
	assert_non_null(tn->child);
	assert_string_equal(tn->child->label, "The export gives this time in UTC");
	const struct tw_node *msg = find(&t, "event.message");
	assert_true(msg->flags & TW_NF_GENERATED); /* rendered from the catalog */
	const struct tw_node *ad = find(&t, "event.data.AlertDesc");
	assert_string_equal(ad->f->name, "AlertDesc");
	assert_string_equal(fieldtext(ad), "43");
	const struct tw_node *x = ad->child;
	assert_non_null(x);
	assert_string_equal(x->f->abbrev, "event.explain");
	assert_non_null(strstr(x->label, "unsupported_certificate (TLS1_ALERT_UNSUPPORTED_CERT)"));
	assert_non_null(strstr(find(&t, "event.data.ErrorState")->child->label, "252"));
	/* Error level: an expert finding. */
	assert_int_equal(t.max_sev, TW_SEV_ERROR);
	assert_int_equal(root->sev, TW_SEV_ERROR);

	/* Naive time, taken as UTC: the tree says so. */
	events_free(ev);
	ev = load(D "nxlog.jsonl");
	event_tree(ev, 0, &t);
	tn = find(&t, "event.time");
	assert_non_null(strstr(tn->child->label, "no time zone: taken as UTC"));
	assert_int_equal(t.max_sev, TW_SEV_NONE); /* Information */
	events_free(ev);
	ev = load_opt(D "nxlog.jsonl", true, -240);
	event_tree(ev, 0, &t);
	assert_non_null(strstr(find(&t, "event.time")->child->label, "shifted by --tz -04:00"));
	/* Warning level: warning severity. */
	event_tree(ev, 2, &t);
	assert_int_equal(events_get(ev, 2)->level, EV_LEVEL_WARNING);
	assert_int_equal(t.max_sev, TW_SEV_WARN);
	events_free(ev);

	/* HRESULTs in data get their text. */
	ev = load(D "evtx-dump-records.json");
	for (uint32_t i = 0; i < events_count(ev); i++)
		if (events_get(ev, i)->id == 36870)
			idx = i;
	event_tree(ev, idx, &t);
	assert_non_null(strstr(find(&t, "event.data.ErrorCode")->child->label,
	                       "SEC_E_UNKNOWN_CREDENTIALS (0x8009030D): The credentials supplied to the package were not recognized."));
	assert_non_null(strstr(find(&t, "event.data.ErrorStatus")->child->label, "10001"));
	events_free(ev);
	tree_free(&t);
	sb_free(&sb);
}

/* Every string from the file is escaped in the summary. */
static void
test_escaped_summary(void **state)
{
	(void)state;
	struct tw_events *ev = load(D "escapes.ndjson");
	struct tw_sb sb;
	sb_heap(&sb);
	event_info(&sb, ev, events_get(ev, 0));
	assert_string_equal(sb.s, "E 36888 Schannel Error  Evil \\x1b[31mred\\x1b[0m text \\u202eeulav and a bell\\x07");
	sb_free(&sb);
	events_free(ev);
}

/* The event fields are in the registry (--list-fields, -e checks). */
static void
test_fields_registered(void **state)
{
	(void)state;
	static const char *const names[] = { "event", "event.id", "event.qualifiers", "event.provider", "event.channel",
		                             "event.level", "event.level_value", "event.computer", "event.record_id",
		                             "event.time", "event.process_id", "event.thread_id", "event.user",
		                             "event.keywords", "event.activity_id", "event.message", "event.data" };
	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (!field_lookup(names[i]))
			fail_msg("not registered: %s", names[i]);
	assert_int_equal(field_lookup("event.id")->type, FT_U32);
	assert_int_equal(field_lookup("event.time")->type, FT_ABSTIME);
	assert_non_null(field_lookup("ip.src")); /* the dissectors' fields are still there */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_formats),
		cmocka_unit_test(test_tz_option),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_utf16_file_lone_surrogate),
		cmocka_unit_test(test_ps51_depth3),
		cmocka_unit_test(test_ps51_default_depth),
		cmocka_unit_test(test_ps51_select_single),
		cmocka_unit_test(test_ps7),
		cmocka_unit_test(test_evtx_dump_jsonl),
		cmocka_unit_test(test_evtx_dump_records),
		cmocka_unit_test(test_winlogbeat),
		cmocka_unit_test(test_nxlog_and_flat),
		cmocka_unit_test(test_malformed_lines),
		cmocka_unit_test(test_malformed_first_line),
		cmocka_unit_test(test_truncated_array),
		cmocka_unit_test(test_rejected_events),
		cmocka_unit_test(test_not_an_export),
		cmocka_unit_test(test_hostile),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_info_and_tree),
		cmocka_unit_test(test_escaped_summary),
		cmocka_unit_test(test_fields_registered),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
