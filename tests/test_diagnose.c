/*
 * test_diagnose.c - findings and root-cause summaries (src/merge/diagnose.h)
 * on the scenario captures. The facts asserted (alert codes and senders,
 * frames, servers, records) are those of samples/README.md.
 */
#include "testutil.h"

#include "merge/diagnose.h"

#define MAXSRC 4

struct scen {
	struct tw_capture *cap[MAXSRC];
	struct tw_events *ev[MAXSRC];
	size_t n;
	struct tw_timeline tl;
	struct tw_analysis *a;
};

static void
scen_open(struct scen *s, const char *const *files)
{
	memset(s, 0, sizeof *s);
	timeline_init(&s->tl);
	char err[512];
	for (size_t i = 0; files[i]; i++) {
		const char *f = files[i];
		size_t len = strlen(f);
		if ((len > 5 && strcmp(f + len - 5, ".pcap") == 0) || (len > 7 && strcmp(f + len - 7, ".pcapng") == 0)) {
			s->cap[i] = capture_open(f, (uint16_t)i, err, sizeof err);
			if (!s->cap[i])
				fail_msg("%s: %s", f, err);
			capture_load_all(s->cap[i]);
			timeline_add_capture(&s->tl, s->cap[i], 0);
		} else {
			struct tw_event_opts eo = { false, 0 };
			s->ev[i] = events_load(f, (uint16_t)i, &eo, err, sizeof err);
			if (!s->ev[i])
				fail_msg("%s: %s", f, err);
			timeline_add_events(&s->tl, s->ev[i], 0);
		}
		s->n = i + 1;
	}
	timeline_build(&s->tl);
	s->a = analyze(&s->tl, NULL);
}

static void
scen_close(struct scen *s)
{
	analysis_free(s->a);
	timeline_free(&s->tl);
	for (size_t i = 0; i < s->n; i++) {
		capture_close(s->cap[i]);
		events_free(s->ev[i]);
	}
}

static void
has(const char *text, const char *want)
{
	if (!strstr(text, want))
		fail_msg("missing \"%s\" in: %s", want, text);
}

/* The finding of this category whose text contains needle, or NULL. */
static const struct tw_finding *
finding(const struct scen *s, const char *cat, const char *needle)
{
	for (size_t i = 0; i < s->a->nf; i++)
		if (strcmp(s->a->f[i].category, cat) == 0 && strstr(s->a->f[i].text, needle))
			return &s->a->f[i];
	return NULL;
}

static void
test_s1_summary(void **state)
{
	(void)state;
	const char *files[] = { "samples/s1-weak-md2.pcapng", "samples/s1-weak-md2.evtx.jsonl", NULL };
	struct scen s;
	scen_open(&s, files);
	assert_int_equal(s.a->nsum, 1); /* the healthy good.example.test handshake is no failure */
	const char *t = s.a->sum[0].text;
	has(t, "TLS 1.2 handshake to shop.example.test (10.77.0.2:443");
	has(t, "the client sent fatal alert bad_certificate (42)");
	has(t, "after the server's Server Hello Done (frame A:35)");
	has(t, "Schannel 36888 (record 48216");
	has(t, "corroborates");
	/* the evidence rows are the alert frame and the event */
	bool alert = false, event = false;
	for (size_t i = 0; i < s.a->sum[0].nrows; i++) {
		const struct tw_row *r = &s.tl.rows[s.a->sum[0].rows[i]];
		alert |= r->kind == ROW_FRAME && r->idx == 34;
		event |= r->kind == ROW_EVENT && events_get(s.tl.src[r->src].ev, r->idx)->record_id == 48216;
	}
	assert_true(alert && event);
	/* findings: the alert, errors for Schannel events, the decoy 93 s earlier only a note */
	const struct tw_finding *f = finding(&s, "tls", "bad_certificate (42)");
	assert_non_null(f);
	assert_int_equal(f->sev, TW_SEV_ERROR);
	has(f->text, "The client (10.77.0.1:");
	f = finding(&s, "event", "record 48213");
	assert_non_null(f);
	assert_int_equal(f->sev, TW_SEV_NOTE);
	f = finding(&s, "event", "record 48216");
	assert_non_null(f);
	assert_int_equal(f->sev, TW_SEV_ERROR);
	has(f->text, "linked to frame A:35");
	assert_true(analysis_errors(s.a) > 0);
	/* findings of a row: the alert frame has the TLS finding */
	uint32_t r35 = links_row_of(&s.a->links, 0, 34);
	assert_non_null(analysis_findings_of_row(s.a, r35, 0));

	/* the certificate module's hook: its finding joins the summary */
	diagnose_add_cert_finding(s.a, links_row_of(&s.a->links, 0, 32), 0, s.a->sum[0].conv, TW_SEV_ERROR,
	                          "certificate 2 of 3, 'Example Legacy Issuing CA (MD2)', is signed with md2WithRSAEncryption.");
	analysis_summarize(s.a);
	assert_int_equal(s.a->nsum, 1);
	has(s.a->sum[0].text, "failed: the client sent fatal alert bad_certificate (42)");
	has(s.a->sum[0].text, "; certificate 2 of 3, 'Example Legacy Issuing CA (MD2)', is signed with md2WithRSAEncryption; ");
	scen_close(&s);
}

static void
test_s3_rst_and_server_events(void **state)
{
	(void)state;
	const char *files[] = { "samples/s3-mtls-unknown-ca.pcap", "samples/s3-mtls-unknown-ca.winlogbeat.ndjson", NULL };
	struct scen s;
	scen_open(&s, files);
	assert_int_equal(s.a->nsum, 2);
	has(s.a->sum[0].text, "to mtls.example.test (10.77.0.6:443");
	has(s.a->sum[0].text, "the server sent fatal alert unknown_ca (48)");
	has(s.a->sum[0].text, "(frame A:15)");
	has(s.a->sum[0].text, "record 20420");
	has(s.a->sum[1].text, "(frame A:33), then the server reset the connection");
	has(s.a->sum[1].text, "record 20422");
	has(s.a->sum[1].text, "2 candidate handshakes");
	const struct tw_finding *f = finding(&s, "tcp", "reset by the server");
	assert_non_null(f);
	assert_int_equal(f->sev, TW_SEV_WARN);
	assert_int_equal(s.tl.rows[f->rows[0]].idx + 1, 35); /* 35 = RST, ACK from the server */
	scen_close(&s);
}

static void
test_s4_protocol_version(void **state)
{
	(void)state;
	const char *files[] = { "samples/s4-tls10-vs-tls12.pcap", "samples/s4-tls10-vs-tls12.ps51.json", NULL };
	struct scen s;
	scen_open(&s, files);
	assert_int_equal(s.a->nsum, 1);
	has(s.a->sum[0].text, "the server sent fatal alert protocol_version (70)");
	has(s.a->sum[0].text, "after the client's Client Hello (frame A:8)");
	has(s.a->sum[0].text, "the client offered at most TLS 1.0");
	has(s.a->sum[0].text, "record 219143 on ERP01.corp.example.test");
	scen_close(&s);
}

static void
test_s5_expired_and_name(void **state)
{
	(void)state;
	const char *files[] = { "samples/s5-expired-wrongname.pcapng", "samples/s5-expired-wrongname.ps7.json", NULL };
	struct scen s;
	scen_open(&s, files);
	assert_int_equal(s.a->nsum, 2);
	has(s.a->sum[0].text, "to expired.example.test (10.77.0.8:443");
	has(s.a->sum[0].text, "certificate_expired (45)");
	has(s.a->sum[0].text, "before frame A:12"); /* 48578 is 0.18 ms before its frame */
	has(s.a->sum[1].text, "to wrongname.example.test (10.77.0.9:443");
	has(s.a->sum[1].text, "Schannel 36884 (record 48580");
	has(s.a->sum[1].text, "record 48581");
	has(s.a->sum[1].text, "corroborate.");
	scen_close(&s);
}

static void
test_s6_healthy(void **state)
{
	(void)state;
	const char *files[] = { "samples/s6-tls13-hrr.pcapng", "samples/s6-tls13-hrr.winlogbeat.ndjson", NULL };
	struct scen s;
	scen_open(&s, files);
	assert_int_equal(s.a->nsum, 0);
	assert_int_equal(analysis_errors(s.a), 0);
	scen_close(&s);
}

/* synthetic-dns.pcap: answers and silences checked with `tshark -2` (dns.flags.rcode, dns.response_in). */
static void
test_dns_findings(void **state)
{
	(void)state;
	const char *files[] = { "tests/data/captures/synthetic-dns.pcap", NULL };
	struct scen s;
	scen_open(&s, files);
	const struct tw_finding *f = finding(&s, "dns", "NXDOMAIN for nope.example.test");
	assert_non_null(f);
	assert_int_equal(s.tl.rows[f->rows[0]].idx + 1, 14);
	has(f->text, "(query in frame 13)");
	f = finding(&s, "dns", "SERVFAIL for broken.test");
	assert_non_null(f);
	assert_int_equal(s.tl.rows[f->rows[0]].idx + 1, 20);
	assert_int_equal(f->sev, TW_SEV_ERROR);
	f = finding(&s, "dns", "REFUSED for example.test");
	assert_non_null(f);
	assert_int_equal(s.tl.rows[f->rows[0]].idx + 1, 22);
	/*
	 * unicast DNS messages without a response: 28 (silent.example.test) and
	 * 35 (a dynamic update); tshark's filter also matches 36, but that is an
	 * ICMP port unreachable quoting the query, not a query.
	 */
	static const uint32_t silent[] = { 28, 35 };
	size_t nsilent = 0;
	for (size_t i = 0; i < s.a->nf; i++) {
		if (strcmp(s.a->f[i].category, "dns") || !strstr(s.a->f[i].text, "got no response"))
			continue;
		uint32_t fr = s.tl.rows[s.a->f[i].rows[0]].idx + 1;
		bool want = false;
		for (size_t k = 0; k < ARRAY_SIZE(silent); k++)
			want |= fr == silent[k];
		if (!want)
			fail_msg("frame %u reported unanswered: %s", fr, s.a->f[i].text);
		nsilent++;
	}
	assert_int_equal(nsilent, ARRAY_SIZE(silent));
	has(finding(&s, "dns", "silent.example.test")->text, "DNS query for silent.example.test got no response");
	scen_close(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_s1_summary),
		cmocka_unit_test(test_s3_rst_and_server_events),
		cmocka_unit_test(test_s4_protocol_version),
		cmocka_unit_test(test_s5_expired_and_name),
		cmocka_unit_test(test_s6_healthy),
		cmocka_unit_test(test_dns_findings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
