/*
 * test_correlate.c - Schannel events linked to TLS handshakes
 * (src/merge/correlate.h), offsets and --tz, on the scenario captures.
 *
 * Expected links come from samples/README.md (checked with tshark there):
 * which record describes which alert frame, and which records are decoys.
 */
#include "testutil.h"

#include <strings.h>
#include <time.h>

#include "core/dissect/tls.h"
#include "merge/correlate.h"
#include "merge/diagnose.h"

#define MAXSRC 4

struct scen {
	struct tw_capture *cap[MAXSRC];
	struct tw_events *ev[MAXSRC];
	size_t n;
	struct tw_timeline tl;
	struct tw_links ls;
};

/* Load files (captures or event exports by extension) with offsets, build, correlate. */
static void
scen_open(struct scen *s, const char *const *files, const tw_time *offs, const int *tz_min)
{
	memset(s, 0, sizeof *s);
	timeline_init(&s->tl);
	char err[512];
	for (size_t i = 0; files[i]; i++) {
		const char *f = files[i];
		size_t len = strlen(f);
		bool is_cap = (len > 5 && strcmp(f + len - 5, ".pcap") == 0) ||
		              (len > 7 && strcmp(f + len - 7, ".pcapng") == 0);
		tw_time off = offs ? offs[i] : 0;
		if (is_cap) {
			s->cap[i] = capture_open(f, (uint16_t)i, err, sizeof err);
			if (!s->cap[i])
				fail_msg("%s: %s", f, err);
			capture_load_all(s->cap[i]);
			timeline_add_capture(&s->tl, s->cap[i], off);
		} else {
			struct tw_event_opts eo = { tz_min != NULL, tz_min ? *tz_min : 0 };
			s->ev[i] = events_load(f, (uint16_t)i, &eo, err, sizeof err);
			if (!s->ev[i])
				fail_msg("%s: %s", f, err);
			timeline_add_events(&s->tl, s->ev[i], off);
		}
		s->n = i + 1;
	}
	timeline_build(&s->tl);
	correlate(&s->ls, &s->tl, NULL);
}

static void
scen_close(struct scen *s)
{
	links_free(&s->ls);
	timeline_free(&s->tl);
	for (size_t i = 0; i < s->n; i++) {
		capture_close(s->cap[i]);
		events_free(s->ev[i]);
	}
}

/* The link of the event with this record id, or NULL. Fails if no such event. */
static const struct tw_link *
link_of_record(const struct scen *s, uint64_t rec)
{
	bool seen = false;
	for (uint32_t r = 0; r < s->tl.n; r++) {
		const struct tw_row *row = &s->tl.rows[r];
		if (row->kind != ROW_EVENT)
			continue;
		const struct tw_event *e = events_get(s->tl.src[row->src].ev, row->idx);
		if (e->record_id != rec)
			continue;
		seen = true;
		const struct tw_link *l = links_of_event(&s->ls, r);
		if (l)
			return l;
	}
	if (!seen)
		fail_msg("no event with record id %llu", (unsigned long long)rec);
	return NULL;
}

/* Frame number (1-based) of the link's frame, and its source. */
static uint32_t
link_frame(const struct scen *s, const struct tw_link *l, uint16_t *src)
{
	const struct tw_row *row = &s->tl.rows[l->b];
	assert_int_equal(row->kind, ROW_FRAME);
	if (src)
		*src = row->src;
	return row->idx + 1;
}

static uint32_t
link_stream(const struct scen *s, const struct tw_link *l)
{
	return capture_convs(s->tl.src[l->src_b].cap)->v[l->conv].stream;
}

static void
expect_link(const struct scen *s, uint64_t rec, uint32_t frame, int min_conf)
{
	const struct tw_link *l = link_of_record(s, rec);
	if (!l)
		fail_msg("record %llu: not linked", (unsigned long long)rec);
	uint16_t src;
	uint32_t f = link_frame(s, l, &src);
	if (f != frame)
		fail_msg("record %llu: linked to frame %u, expected %u (%s)", (unsigned long long)rec, f, frame, l->reason);
	assert_int_equal(src, 0);
	if (l->confidence < min_conf)
		fail_msg("record %llu: confidence %u < %d (%s)", (unsigned long long)rec, l->confidence, min_conf, l->reason);
}

static void
expect_unlinked(const struct scen *s, uint64_t rec)
{
	const struct tw_link *l = link_of_record(s, rec);
	if (l)
		fail_msg("decoy record %llu linked: %s", (unsigned long long)rec, l->reason);
}

/* ---- s1 in every dialect ------------------------------------------------- */

static void
check_s1(const char *events)
{
	const char *files[] = { "samples/s1-weak-md2.pcapng", events, NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	/* 48216: 36888 AlertDesc 42, TargetName shop.example.test: frame 35 + 0.31 ms */
	expect_link(&s, 48216, 35, 90);
	const struct tw_link *l = link_of_record(&s, 48216);
	assert_int_equal(l->candidates, 1);
	assert_int_equal(link_stream(&s, l), 1);
	assert_non_null(strstr(l->reason, "shop.example.test"));
	/* 48215: 36880 for good.example.test, the healthy handshake (stream 0) */
	const struct tw_link *g = link_of_record(&s, 48215);
	assert_non_null(g);
	assert_int_equal(link_stream(&s, g), 0);
	assert_true(g->confidence < l->confidence || g->confidence == 100);
	/* decoys */
	expect_unlinked(&s, 48213); /* 36887 alert 40, 93 s earlier */
	expect_unlinked(&s, 48214); /* SCM 7036 */
	expect_unlinked(&s, 48217); /* 36880 for mail.corp.example.test */
	expect_unlinked(&s, 48218);
	expect_unlinked(&s, 1129840); /* 4624 */
	/* navigation both ways: every frame of stream 1 reaches the event */
	uint32_t alert_row = l->b;
	assert_ptr_equal(links_of_row(&s.ls, &s.tl, alert_row, 0), l);
	assert_ptr_equal(links_of_row(&s.ls, &s.tl, l->a, 0), l);
	uint32_t ch_row = links_row_of(&s.ls, 0, 27 - 1); /* frame 27: the ClientHello to shop */
	bool found = false;
	for (size_t i = 0; links_of_row(&s.ls, &s.tl, ch_row, i); i++)
		found |= links_of_row(&s.ls, &s.tl, ch_row, i) == l;
	assert_true(found);
	scen_close(&s);
}

static void
test_s1_dialects(void **state)
{
	(void)state;
	check_s1("samples/s1-weak-md2.ps51.json");
	check_s1("samples/s1-weak-md2.ps7.json");
	check_s1("samples/s1-weak-md2.evtx.jsonl");
	check_s1("samples/s1-weak-md2.winlogbeat.ndjson");
}

static void
test_s2(void **state)
{
	(void)state;
	const char *files[] = { "samples/s2-crl-revoked.pcapng", "samples/s2-crl-revoked.evtx.json", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	expect_link(&s, 48392, 33, 90); /* 36888 AlertDesc 44 */
	expect_unlinked(&s, 48393);      /* 36888 alert 48 for printer, 47 s later */
	expect_unlinked(&s, 48391);
	scen_close(&s);
}

/* Does event `rec` have a content link to frame `frame` whose reason contains `what`? */
static bool
has_content_link(const struct scen *s, uint64_t rec, uint32_t frame, const char *what)
{
	for (size_t i = 0; i < s->ls.n; i++) {
		const struct tw_link *l = &s->ls.v[i];
		const struct tw_row *er = &s->tl.rows[l->a];
		if (l->kind != LINK_CONTENT || events_get(s->tl.src[er->src].ev, er->idx)->record_id != rec)
			continue;
		if (s->tl.rows[l->b].idx + 1 == frame && strstr(l->reason, what))
			return true;
	}
	return false;
}

/*
 * s2's CAPI2 events by content (samples/README.md): 53 fetched the CRLs
 * requested in frames 19 and 25 (after the DNS query of frame 12/13); the
 * fileRefs are SHA-1s of the certificates of frame 10; 30's serverName is
 * the SNI of the handshake that ends with the alert in frame 33.
 */
static void
test_s2_capi2_content(void **state)
{
	(void)state;
	const char *files[] = { "samples/s2-crl-revoked.pcapng", "samples/s2-crl-revoked.evtx.json", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	assert_true(has_content_link(&s, 7314, 19, "URL = HTTP request"));
	assert_true(has_content_link(&s, 7318, 25, "URL = HTTP request"));
	assert_true(has_content_link(&s, 7314, 12, "DNS query") || has_content_link(&s, 7314, 13, "DNS query"));
	assert_true(has_content_link(&s, 7321, 10, "Certificate SHA-1"));
	assert_true(has_content_link(&s, 7321, 33, "serverName = SNI"));
	/* the decoy chain (MsMpEng.exe, 3 s earlier) names no certificate of the capture */
	for (size_t i = 0; i < s.ls.n; i++) {
		const struct tw_row *er = &s.tl.rows[s.ls.v[i].a];
		assert_int_not_equal(events_get(s.tl.src[er->src].ev, er->idx)->record_id, 7310);
	}
	scen_close(&s);
}

static void
test_s3_server_side_ambiguity(void **state)
{
	(void)state;
	const char *files[] = { "samples/s3-mtls-unknown-ca.pcap", "samples/s3-mtls-unknown-ca.winlogbeat.ndjson", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	/* the server logged them: no TargetName; alert 48 sent by the server */
	expect_link(&s, 20420, 15, 60);
	expect_link(&s, 20422, 33, 60);
	/* both connections end with the same alert within the window: shown, not hidden */
	assert_int_equal(link_of_record(&s, 20420)->candidates, 2);
	assert_non_null(strstr(link_of_record(&s, 20420)->reason, "2 candidate handshakes"));
	assert_non_null(strstr(link_of_record(&s, 20420)->reason, "sent by the server"));
	/* the 36877 pairs go to the nearer connection */
	assert_int_equal(link_stream(&s, link_of_record(&s, 20419)), 0);
	assert_int_equal(link_stream(&s, link_of_record(&s, 20421)), 1);
	assert_true(link_of_record(&s, 20419)->confidence < link_of_record(&s, 20420)->confidence);
	expect_unlinked(&s, 20417); /* 36874, 3 min earlier */
	expect_unlinked(&s, 20418); /* 36880 for another client: no completed handshake here */
	expect_unlinked(&s, 20423);
	scen_close(&s);
}

/*
 * Schannel's caller PID through the process link: a 5156 on APP01 says
 * System (PID 4) owned s3's first connection (10.77.0.1:58368 -> 10.77.0.6:443,
 * samples/README.md); 36888 record 20420 names CallerProcessId 4.
 */
static void
test_s3_caller_pid(void **state)
{
	(void)state;
	struct tw_capture *cap;
	char err[256];
	cap = capture_open("samples/s3-mtls-unknown-ca.pcap", 0, err, sizeof err);
	assert_non_null(cap);
	capture_load_all(cap);
	tw_time t = capture_frame(cap, 2)->ts; /* the SYN of connection 1 */
	capture_close(cap);
	char ts[64];
	time_t sec = (time_t)(t / TW_NS_PER_SEC);
	struct tm tm;
	gmtime_r(&sec, &tm);
	size_t k = strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(ts + k, sizeof ts - k, ".%06ld", (long)(t % TW_NS_PER_SEC / 1000));
	char *dir = tu_mkdtemp(), path[600];
	FILE *f = fopen(tu_path(path, sizeof path, dir, "wfp.jsonl"), "w");
	assert_non_null(f);
	fprintf(f,
	        "{\"EventTime\":\"%s\",\"EventReceivedTime\":\"%s\",\"Hostname\":\"APP01.corp.example.test\","
	        "\"SourceName\":\"Microsoft-Windows-Security-Auditing\",\"EventID\":5156,\"Channel\":\"Security\","
	        "\"RecordNumber\":900001,\"Application\":\"System\",\"ProcessID\":\"4\",\"SourceAddress\":\"10.77.0.6\","
	        "\"SourcePort\":\"443\",\"DestAddress\":\"10.77.0.1\",\"DestPort\":\"58368\",\"Protocol\":\"6\","
	        "\"SourceModuleType\":\"im_msvistalog\"}\n",
	        ts, ts);
	fclose(f);
	const char *files[] = { "samples/s3-mtls-unknown-ca.pcap", "samples/s3-mtls-unknown-ca.winlogbeat.ndjson", path,
		                NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	const struct tw_link *p = links_process(&s.ls, 0, link_of_record(&s, 20420)->conv, 0);
	assert_non_null(p);
	assert_int_equal(p->pid, 4);
	expect_link(&s, 20420, 15, 90);
	assert_non_null(strstr(link_of_record(&s, 20420)->reason, "caller PID 4 owns the connection"));
	/* the second connection's event is not pulled to the first */
	expect_link(&s, 20422, 33, 60);
	assert_null(strstr(link_of_record(&s, 20422)->reason, "caller PID"));
	scen_close(&s);
	tu_rmtree(dir);
}

static void
test_s4_message_only(void **state)
{
	(void)state;
	const char *files[] = { "samples/s4-tls10-vs-tls12.pcap", "samples/s4-tls10-vs-tls12.ps51.json", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	expect_link(&s, 219143, 8, 90); /* codes only in Message */
	expect_unlinked(&s, 219140);
	expect_unlinked(&s, 219141); /* 36888 40/1205, 10 min earlier */
	scen_close(&s);
}

static void
test_s5_two_failures(void **state)
{
	(void)state;
	const char *files[] = { "samples/s5-expired-wrongname.pcapng", "samples/s5-expired-wrongname.ps7.json", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	expect_link(&s, 48578, 12, 90); /* 0.18 ms before its frame, deliberately */
	expect_link(&s, 48580, 27, 50); /* 36884 name mismatch: no alert code, name = SNI */
	expect_link(&s, 48581, 27, 90);
	assert_true(link_of_record(&s, 48580)->confidence <= link_of_record(&s, 48581)->confidence);
	expect_unlinked(&s, 48577);
	expect_unlinked(&s, 48579);
	expect_unlinked(&s, 48582); /* 36880 for teams.corp.example.test */
	scen_close(&s);
}

static void
test_s6_success_events(void **state)
{
	(void)state;
	const char *files[] = { "samples/s6-tls13-hrr.pcapng", "samples/s6-tls13-hrr.winlogbeat.ndjson", NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	const struct tw_link *a = link_of_record(&s, 48704), *b = link_of_record(&s, 48705);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(link_stream(&s, a), 0); /* tls13.example.test */
	assert_int_equal(link_stream(&s, b), 1); /* hrr.example.test */
	expect_unlinked(&s, 48702);
	expect_unlinked(&s, 48703);
	scen_close(&s);
}

/* s7: the server file's clock runs 1.25 s ahead; --offset -1.25 s lines the files up. */
static void
test_s7_offset(void **state)
{
	(void)state;
	const char *files[] = { "samples/s7-client.pcapng", "samples/s7-server.pcap", "samples/s7-client.evtx.jsonl", NULL };
	tw_time none[3] = { 0, 0, 0 };
	tw_time offs[3] = { 0, -(TW_NS_PER_SEC + TW_NS_PER_SEC / 4), 0 };
	struct scen s;
	scen_open(&s, files, none, NULL);
	/* the SYN is frame 3 in both files */
	struct tw_row ra = { 0, ROW_FRAME, 2 }, rb = { 1, ROW_FRAME, 2 };
	tw_time d = timeline_row_time(&s.tl, &rb) - timeline_row_time(&s.tl, &ra);
	assert_true(d > TW_NS_PER_SEC && d < TW_NS_PER_SEC * 3 / 2);
	assert_int_equal(s.ls.ndup, 0); /* 1.25 s apart: outside the 100 ms window */
	scen_close(&s);

	scen_open(&s, files, offs, NULL);
	for (uint32_t f = 0; f < 8; f++) {
		/* frames 1-8 are the same TCP segments in both files (9-11 differ in order) */
		struct tw_row xa = { 0, ROW_FRAME, f }, xb = { 1, ROW_FRAME, f };
		tw_time dd = timeline_row_time(&s.tl, &xb) - timeline_row_time(&s.tl, &xa);
		if (dd < 0)
			dd = -dd;
		if (dd >= 1000000)
			fail_msg("frame %u: %lld ns apart after the offset", f + 1, (long long)dd);
	}
	/*
	 * Duplicates: the two files hold the same packets (tcpdump on both ends
	 * of one veth pair), so after the offset every frame of one file is the
	 * duplicate of the other's frame with the same IP datagram; the alert
	 * (frame 12 in both, README) pairs with the alert.
	 */
	uint32_t na = capture_count(s.cap[0]), nb = capture_count(s.cap[1]);
	assert_int_equal(na, nb);
	assert_int_equal(s.ls.ndup, na);
	uint32_t ra12 = links_row_of(&s.ls, 0, 11), rb12 = links_row_of(&s.ls, 1, 11);
	assert_true(links_dup_of(&s.ls, rb12) == ra12 || links_dup_of(&s.ls, ra12) == rb12);
	for (uint32_t k = 0; k < s.tl.n; k++) {
		uint32_t o = links_dup_of(&s.ls, k);
		if (o == UINT32_MAX)
			continue;
		assert_true(o < k);                                      /* an earlier row */
		assert_int_not_equal(s.tl.rows[o].src, s.tl.rows[k].src); /* of the other capture */
		assert_int_equal(capture_frame(s.cap[s.tl.rows[o].src], s.tl.rows[o].idx)->len,
		                 capture_frame(s.cap[s.tl.rows[k].src], s.tl.rows[k].idx)->len);
	}
	/* the same handshake in two captures counts once */
	expect_link(&s, 48812, 12, 90);
	assert_int_equal(link_of_record(&s, 48812)->candidates, 1);
	expect_unlinked(&s, 48813); /* wpad, 19 s later */
	expect_unlinked(&s, 48810);
	scen_close(&s);
}

/* A zone-less export (NXLog EventTime) written one hour ahead (UTC+01:00 local time). */
static void
test_tz_fixes_one_hour(void **state)
{
	(void)state;
	struct tw_capture *cap;
	char err[256];
	cap = capture_open("samples/s1-weak-md2.pcapng", 0, err, sizeof err);
	assert_non_null(cap);
	capture_load_all(cap);
	tw_time t35 = capture_frame(cap, 34)->ts + 310000 + 3600 * TW_NS_PER_SEC; /* frame 35 + 0.31 ms, local */
	capture_close(cap);
	char ts[64];
	time_t sec = (time_t)(t35 / TW_NS_PER_SEC);
	struct tm tm;
	gmtime_r(&sec, &tm);
	size_t k = strftime(ts, sizeof ts, "%Y-%m-%d %H:%M:%S", &tm);
	snprintf(ts + k, sizeof ts - k, ".%06ld", (long)(t35 % TW_NS_PER_SEC / 1000));
	char *dir = tu_mkdtemp(), path[600];
	FILE *f = fopen(tu_path(path, sizeof path, dir, "nx.jsonl"), "w");
	assert_non_null(f);
	fprintf(f,
	        "{\"EventTime\":\"%s\",\"EventReceivedTime\":\"%s\",\"Hostname\":\"WS01.corp.example.test\","
	        "\"SourceName\":\"Schannel\",\"EventID\":36888,\"Channel\":\"System\",\"SeverityValue\":4,"
	        "\"RecordNumber\":48216,\"AlertDesc\":\"42\",\"TargetName\":\"shop.example.test\","
	        "\"SourceModuleType\":\"im_msvistalog\"}\n",
	        ts, ts);
	fclose(f);
	const char *files[] = { "samples/s1-weak-md2.pcapng", path, NULL };
	struct scen s;
	scen_open(&s, files, NULL, NULL);
	expect_unlinked(&s, 48216); /* taken as UTC: an hour off */
	scen_close(&s);
	int plus1 = 60;
	scen_open(&s, files, NULL, &plus1);
	expect_link(&s, 48216, 35, 90);
	scen_close(&s);
	tu_rmtree(dir);
}

static void
test_parse_offset(void **state)
{
	(void)state;
	tw_time t;
	assert_true(parse_offset("+1.250s", &t));
	assert_int_equal(t, 1250000000);
	assert_true(parse_offset("1.25", &t));
	assert_int_equal(t, 1250000000);
	assert_true(parse_offset("-2h", &t));
	assert_int_equal(t, -7200 * TW_NS_PER_SEC);
	assert_true(parse_offset("+300ms", &t));
	assert_int_equal(t, 300000000);
	assert_true(parse_offset("-1.5us", &t));
	assert_int_equal(t, -1500);
	assert_true(parse_offset("7ns", &t));
	assert_int_equal(t, 7);
	assert_true(parse_offset("+90m", &t));
	assert_int_equal(t, 5400 * TW_NS_PER_SEC);
	assert_false(parse_offset("", &t));
	assert_false(parse_offset("+", &t));
	assert_false(parse_offset("1.", &t));
	assert_false(parse_offset("1s2", &t));
	assert_false(parse_offset("1d", &t));
	assert_false(parse_offset("99999999999999999999", &t));
	assert_false(parse_offset("200h", &t)); /* more than 7 days */
}

/*
 * The OTRF pair (Mordor "empire_shell_rubeus_asktgt_ptt"): Security 5156 on
 * the DC names lsass.exe (PID 696) for the Kerberos connection
 * 172.18.39.6:53409 -> 172.18.38.5:88; 5156/5158/Sysmon 3 on WORKSTATION6
 * name Rubeus.exe (PID 2476). NXLog's EventTime has no zone and is UTC-4.
 */
static void
check_otrf(const int *tz)
{
	char *dir = tu_mkdtemp(), path[600], cmd[1400];
	tu_path(path, sizeof path, dir, "otrf.jsonl");
	snprintf(cmd, sizeof cmd, "gzip -dc tests/data/events/otrf-empire-asktgt-ptt.nxlog.jsonl.gz > '%s'", path);
	assert_int_equal(system(cmd), 0);
	const char *files[] = { "tests/data/events/otrf-empire-asktgt-ptt.network.pcap", path, NULL };
	struct scen s;
	scen_open(&s, files, NULL, tz);
	struct tw_convs *cs = capture_convs(s.cap[0]);
	uint32_t kerb = CONV_NONE, smb = CONV_NONE;
	for (uint32_t c = 0; c < cs->n; c++) {
		if (cs->v[c].proto == 6 && (cs->v[c].port[1] == 88 || cs->v[c].port[0] == 88))
			kerb = c;
		if (cs->v[c].proto == 6 && (cs->v[c].port[1] == 445 || cs->v[c].port[0] == 445))
			smb = c;
	}
	assert_int_not_equal(kerb, CONV_NONE);
	assert_int_equal(cs->v[kerb].port[0], 53409);
	bool lsass = false, rubeus = false;
	for (size_t i = 0;; i++) {
		const struct tw_link *l = links_process(&s.ls, 0, kerb, i);
		if (!l)
			break;
		assert_non_null(l->image);
		size_t n;
		const char *b = image_base(l->image, l->image_len, &n);
		if (n == 9 && strncasecmp(b, "lsass.exe", 9) == 0) {
			lsass = true;
			assert_true(l->have_pid);
			assert_int_equal(l->pid, 696);
		} else if (n == 10 && strncasecmp(b, "rubeus.exe", 10) == 0) {
			rubeus = true;
			if (l->have_pid)
				assert_int_equal(l->pid, 2476);
		} else {
			fail_msg("unexpected process %.*s on the Kerberos connection", (int)n, b);
		}
		if (tz)
			assert_null(strstr(l->reason, "min off"));
		else
			assert_non_null(strstr(l->reason, "-240 min off"));
	}
	assert_true(lsass && rubeus);
	/* no connection event names the SMB connection's ports */
	if (smb != CONV_NONE)
		assert_null(links_process(&s.ls, 0, smb, 0));
	/* every frame of the connection reaches a process link */
	for (uint32_t f = 0; f < capture_count(s.cap[0]); f++) {
		if (capture_frame(s.cap[0], f)->conv != kerb)
			continue;
		uint32_t row = links_row_of(&s.ls, 0, f);
		const struct tw_link *l = links_of_row(&s.ls, &s.tl, row, 0);
		assert_non_null(l);
	}
	scen_close(&s);
	tu_rmtree(dir);
}

static void
test_otrf_process(void **state)
{
	(void)state;
	check_otrf(NULL);
	int minus4 = -240;
	check_otrf(&minus4);
}

/*
 * Ordering property on a real capture: s1 split into 2 or 3 files (contiguous
 * chunks, or frame i into file i mod k, written as nanosecond pcaps from the
 * frames' own bytes and times) merges back to the original order.
 */
static void
split_merge(uint32_t k, bool round_robin)
{
	char err[256];
	struct tw_capture *orig = capture_open("samples/s1-weak-md2.pcapng", 0, err, sizeof err);
	assert_non_null(orig);
	capture_load_all(orig);
	uint32_t n = capture_count(orig);
	assert_int_equal(n, 38); /* capinfos */
	char *dir = tu_mkdtemp();
	struct tu_rec *rec[3];
	size_t nrec[3] = { 0, 0, 0 };
	uint32_t *orig_idx[3];
	for (uint32_t f = 0; f < k; f++) {
		rec[f] = calloc(n, sizeof *rec[f]);
		orig_idx[f] = calloc(n, sizeof *orig_idx[f]);
	}
	for (uint32_t i = 0; i < n; i++) {
		uint32_t f = round_robin ? i % k : i * k / n;
		const struct tw_frame *fr = capture_frame(orig, i);
		struct tu_rec *r = &rec[f][nrec[f]];
		r->sec = (uint32_t)(fr->ts / TW_NS_PER_SEC);
		r->frac = (uint32_t)(fr->ts % TW_NS_PER_SEC);
		r->data = capture_bytes(orig, fr);
		r->caplen = fr->caplen;
		r->len = fr->len;
		orig_idx[f][nrec[f]++] = i;
	}
	struct tw_timeline tl;
	timeline_init(&tl);
	struct tw_capture *part[3];
	for (uint32_t f = 0; f < k; f++) {
		char name[32], path[600];
		snprintf(name, sizeof name, "part%u.pcap", f);
		struct tu_bytes b = { 0 };
		tu_pcap_build(&b, false, true, (uint32_t)capture_linktype(orig), rec[f], nrec[f]);
		tu_write_file(tu_path(path, sizeof path, dir, name), b.p, b.n);
		tu_bytes_free(&b);
		part[f] = capture_open(path, (uint16_t)f, err, sizeof err);
		assert_non_null(part[f]);
		capture_load_all(part[f]);
		timeline_add_capture(&tl, part[f], 0);
	}
	timeline_build(&tl);
	assert_int_equal(tl.n, n);
	for (uint32_t i = 0; i < n; i++)
		if (orig_idx[tl.rows[i].src][tl.rows[i].idx] != i)
			fail_msg("split %u%s: row %u is frame %u of the original", k, round_robin ? " round-robin" : "", i,
			         orig_idx[tl.rows[i].src][tl.rows[i].idx] + 1);
	timeline_free(&tl);
	for (uint32_t f = 0; f < k; f++) {
		capture_close(part[f]);
		free(rec[f]);
		free(orig_idx[f]);
	}
	capture_close(orig);
	tu_rmtree(dir);
}

static void
test_split_merge_real(void **state)
{
	(void)state;
	split_merge(2, false);
	split_merge(3, false);
	split_merge(2, true);
	split_merge(3, true);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_dialects),
		cmocka_unit_test(test_s2),
		cmocka_unit_test(test_s2_capi2_content),
		cmocka_unit_test(test_s3_server_side_ambiguity),
		cmocka_unit_test(test_s3_caller_pid),
		cmocka_unit_test(test_s4_message_only),
		cmocka_unit_test(test_s5_two_failures),
		cmocka_unit_test(test_s6_success_events),
		cmocka_unit_test(test_s7_offset),
		cmocka_unit_test(test_tz_fixes_one_hour),
		cmocka_unit_test(test_parse_offset),
		cmocka_unit_test(test_otrf_process),
		cmocka_unit_test(test_split_merge_real),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
