/*
 * test_catalog.c - the Schannel/CAPI2 catalog (src/core/catalog.h), checked
 * against ../shared/reference/schannel.md: event fields and their order
 * (section 2), alert names and HRESULTs (3), error states (4), HRESULT
 * names (5), CAPI2 events (6); and --explain's answers.
 */
#include "testutil.h"

#include "core/catalog.h"
#include "core/event.h"

static void
test_schannel_events(void **state)
{
	(void)state;
	const struct cat_event *e = catalog_event("Schannel", 8, 36888);
	assert_non_null(e);
	assert_int_equal(e->level, EV_LEVEL_ERROR);
	/* AlertDesc %1, ErrorState %2, TargetName %3 (schannel.md 2). */
	assert_string_equal(e->fields[0].name, "AlertDesc");
	assert_string_equal(e->fields[1].name, "ErrorState");
	assert_string_equal(e->fields[2].name, "TargetName");
	assert_int_equal(catalog_field_index(e, "TargetName", 10), 2);
	assert_int_equal(catalog_field_index(e, "Nope", 4), -1);
	/* The provider name compares case-insensitively. */
	assert_ptr_equal(catalog_event("SCHANNEL", 8, 36888), e);
	assert_null(catalog_event("Schannel", 8, 36866));
	assert_null(catalog_event("Other", 5, 36888));

	/* 36870 names its state ErrorStatus, 36871 ErrorState. */
	e = catalog_event("Schannel", 8, 36870);
	assert_string_equal(e->fields[0].name, "Type");
	assert_string_equal(e->fields[1].name, "ErrorCode");
	assert_string_equal(e->fields[2].name, "ErrorStatus");
	e = catalog_event("Schannel", 8, 36871);
	assert_string_equal(e->fields[1].name, "ErrorState");
	/* 36880: the eight fields of Windows 11 21H2, in order. */
	e = catalog_event("Schannel", 8, 36880);
	static const char *const f80[] = { "Type", "Protocol", "CipherSuite", "ExchangeStrength", "ContextHandle",
		                           "TargetName", "LocalCertSubjectName", "RemoteCertSubjectName" };
	assert_int_equal(e->nfields, 8);
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(e->fields[i].name, f80[i]);
	assert_int_equal(e->level, EV_LEVEL_INFO);
	assert_int_equal(catalog_event("Schannel", 8, 36877)->level, EV_LEVEL_WARNING);
	assert_string_equal(catalog_event("Schannel", 8, 36884)->fields[0].name, "Name");
	assert_string_equal(catalog_event("Schannel", 8, 36874)->fields[0].name, "Protocol");

	/* Every event from 36864 to 36889 that the manifest lists is there. */
	static const uint32_t ids[] = { 36864, 36865, 36867, 36868, 36869, 36870, 36871, 36872, 36873, 36874, 36875,
		                        36876, 36877, 36878, 36879, 36880, 36881, 36882, 36883, 36884, 36885, 36886,
		                        36887, 36888, 36889, 36896, 36897, 36898, 36899, 36912, 36928 };
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
		if (!catalog_event("Schannel", 8, ids[i]))
			fail_msg("missing Schannel %u", ids[i]);
}

static void
test_capi2_events(void **state)
{
	(void)state;
	static const struct {
		uint32_t id;
		const char *root;
	} ids[] = { { 10, "CertGetCertificateChainStart" }, { 11, "CertGetCertificateChain" },
		    { 30, "CertVerifyCertificateChainPolicy" }, { 40, "CertVerifyRevocationStart" },
		    { 41, "CertVerifyRevocation" }, { 42, "CertRejectedRevocationInfo" },
		    { 50, "CryptRetrieveObjectByUrlCacheStart" }, { 51, "CryptRetrieveObjectByUrlCache" },
		    { 52, "CryptRetrieveObjectByUrlWireStart" }, { 53, "CryptRetrieveObjectByUrlWire" },
		    { 70, "CryptAcquireCertificatePrivateKey" }, { 81, "WinVerifyTrust" }, { 90, "X509Objects" } };
	for (size_t i = 0; i < ARRAY_SIZE(ids); i++) {
		const struct cat_event *e = catalog_event("Microsoft-Windows-CAPI2", 23, ids[i].id);
		if (!e)
			fail_msg("missing CAPI2 %u", ids[i].id);
		if (!strstr(e->title, ids[i].root))
			fail_msg("CAPI2 %u: title '%s' does not name %s", ids[i].id, e->title, ids[i].root);
	}
	assert_int_equal(catalog_event("Microsoft-Windows-CAPI2", 23, 42)->level, EV_LEVEL_ERROR);
}

/* Internal consistency: templates only use fields that exist, names are unique. */
static void
test_tables_consistent(void **state)
{
	(void)state;
	for (uint32_t id = 0; id < 70000; id++) {
		const struct cat_event *evs[8];
		size_t n = catalog_events_by_id(id, evs, 8);
		for (size_t k = 0; k < n; k++) {
			const struct cat_event *e = evs[k];
			assert_true(e->nfields <= CAT_MAX_FIELDS);
			for (int a = 0; a < e->nfields; a++) {
				assert_non_null(e->fields[a].name);
				for (int b = a + 1; b < e->nfields; b++)
					if (strcmp(e->fields[a].name, e->fields[b].name) == 0)
						fail_msg("%u: field %s twice", id, e->fields[a].name);
				if (e->fields[a].cue)
					assert_true(strchr("nwlsi", e->fields[a].kind) != NULL);
			}
			for (const char *p = e->tmpl; p && *p; p++) {
				if (*p != '%')
					continue;
				p++;
				if (*p == '%' || *p == 'C' || *p == 'P')
					continue;
				int pos = 0;
				while (*p >= '0' && *p <= '9')
					pos = pos * 10 + (*p++ - '0');
				p--;
				if (pos < 1 || pos > e->nfields)
					fail_msg("%u: template uses %%%d of %d fields", id, pos, e->nfields);
			}
			if ((e->flags & CAT_CALLER) && catalog_field_index(e, "CallerProcessImageName", 22) < 0)
				fail_msg("%u: CAT_CALLER without the caller fields", id);
		}
	}
	/* Every alert's HRESULT is in the HRESULT table. */
	for (unsigned a = 0; a < 256; a++) {
		const struct cat_alert *al = catalog_alert(a);
		if (al && al->hresult && !catalog_hresult(al->hresult))
			fail_msg("alert %u: HRESULT 0x%08X not in the table", a, al->hresult);
	}
}

/* schannel.md 3: RFC names, Schannel macros, the HRESULT a receiver reports. */
static void
test_alerts(void **state)
{
	(void)state;
	static const struct {
		unsigned code;
		const char *rfc, *macro;
		uint32_t hr;
	} want[] = {
		{ 10, "unexpected_message", "TLS1_ALERT_UNEXPECTED_MESSAGE", 0x80090326 },
		{ 20, "bad_record_mac", "TLS1_ALERT_BAD_RECORD_MAC", 0x8009030F },
		{ 40, "handshake_failure", "TLS1_ALERT_HANDSHAKE_FAILURE", 0x80090326 },
		{ 42, "bad_certificate", "TLS1_ALERT_BAD_CERTIFICATE", 0x80090327 },
		{ 43, "unsupported_certificate", "TLS1_ALERT_UNSUPPORTED_CERT", 0x80090327 },
		{ 44, "certificate_revoked", "TLS1_ALERT_CERTIFICATE_REVOKED", 0x80092010 },
		{ 45, "certificate_expired", "TLS1_ALERT_CERTIFICATE_EXPIRED", 0x80090328 },
		{ 46, "certificate_unknown", "TLS1_ALERT_CERTIFICATE_UNKNOWN", 0x80090327 },
		{ 48, "unknown_ca", "TLS1_ALERT_UNKNOWN_CA", 0x80090325 },
		{ 70, "protocol_version", "TLS1_ALERT_PROTOCOL_VERSION", 0x80090302 },
		{ 71, "insufficient_security", "TLS1_ALERT_INSUFFIENT_SECURITY", 0x80090331 },
		{ 80, "internal_error", "TLS1_ALERT_INTERNAL_ERROR", 0x80090304 },
		{ 90, "user_canceled", "TLS1_ALERT_USER_CANCELED", 0x80090333 },
		{ 120, "no_application_protocol", "TLS1_ALERT_NO_APP_PROTOCOL", 0x80090367 },
	};
	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		const struct cat_alert *a = catalog_alert(want[i].code);
		assert_non_null(a);
		assert_string_equal(a->rfc, want[i].rfc);
		assert_string_equal(a->macro, want[i].macro);
		assert_int_equal(a->hresult, want[i].hr);
	}
	assert_null(catalog_alert(86)->macro); /* inappropriate_fallback: no Schannel macro */
	assert_string_equal(catalog_alert(112)->rfc, "unrecognized_name");
	assert_null(catalog_alert(99));
}

static void
test_codes(void **state)
{
	(void)state;
	assert_string_equal(catalog_hresult(0x80090325)->name, "SEC_E_UNTRUSTED_ROOT");
	assert_string_equal(catalog_hresult(0x80090326)->name, "SEC_E_ILLEGAL_MESSAGE");
	assert_string_equal(catalog_hresult(0x80092013)->name, "CRYPT_E_REVOCATION_OFFLINE");
	assert_string_equal(catalog_hresult(0x800B0109)->name, "CERT_E_UNTRUSTEDROOT");
	/* The text of the real CAPI2 30 record (schannel.md 8). */
	assert_string_equal(catalog_hresult(0x800B0109)->text,
	                    "A certificate chain processed, but terminated in a root certificate which is not trusted by the trust provider.");
	assert_string_equal(catalog_hresult(0x80096004)->name, "TRUST_E_CERT_SIGNATURE");
	assert_string_equal(catalog_hresult(0x80090016)->name, "NTE_BAD_KEYSET");
	assert_null(catalog_hresult(0x80091234));
	assert_string_equal(catalog_win32(10054)->name, "WSAECONNRESET");
	assert_string_equal(catalog_win32(5)->name, "ERROR_ACCESS_DENIED");
	assert_int_equal(catalog_state(252)->state, 252);
	assert_non_null(strstr(catalog_state(252)->meaning, "MD5"));
	assert_non_null(strstr(catalog_state(1203)->meaning, "ClientHello"));
	assert_non_null(catalog_state(960));
	assert_null(catalog_state(1187)); /* a placeholder in the samples, not public */
	size_t n;
	const struct cat_bit *b = catalog_trust_bits(&n);
	assert_true(n >= 17);
	assert_int_equal(b[2].bit, 0x4);
	assert_string_equal(b[2].name, "CERT_TRUST_IS_REVOKED");

	uint64_t v;
	bool hex;
	assert_true(catalog_parse_code("0x80090326", 10, &v, &hex));
	assert_true(v == 0x80090326u && hex);
	assert_true(catalog_parse_code("-2146893018", 11, &v, &hex)); /* .NET's HResult */
	assert_true(v == 0x80090326u && hex);
	assert_true(catalog_parse_code("43", 2, &v, &hex));
	assert_true(v == 43 && !hex);
	assert_false(catalog_parse_code("0x1FFFFFFFF", 11, &v, &hex));
	assert_false(catalog_parse_code("4x3", 3, &v, &hex));
}

static const char *
explain_value(const char *field, const char *value)
{
	static char buf[1024];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	if (!catalog_explain_value(field, strlen(field), value, strlen(value), &sb))
		return NULL;
	return buf;
}

static void
test_explain_values(void **state)
{
	(void)state;
	assert_string_equal(explain_value("AlertDesc", "43"),
	                    "TLS alert 43: unsupported_certificate (TLS1_ALERT_UNSUPPORTED_CERT); a receiving Schannel "
	                    "reports SEC_E_CERT_UNKNOWN (0x80090327)");
	assert_string_equal(explain_value("AlertDesc", "99"), "TLS alert 99: not a registered alert");
	assert_null(explain_value("AlertDesc", "abc"));
	assert_null(explain_value("AlertDesc", "300"));
	assert_non_null(strstr(explain_value("ErrorState", "252"), "MD5"));
	assert_string_equal(explain_value("ErrorState", "1322"), "Schannel internal error state 1322: not publicly documented");
	assert_string_equal(explain_value("ErrorCode", "0x800b0109"),
	                    "CERT_E_UNTRUSTEDROOT (0x800B0109): A certificate chain processed, but terminated in a root "
	                    "certificate which is not trusted by the trust provider.");
	/* CAPI2 writes bare hex. */
	assert_string_equal(explain_value("Result@value", "80092010"), "CRYPT_E_REVOKED (0x80092010): The certificate is revoked.");
	assert_string_equal(explain_value("RevocationStatus@error", "0"), "success");
	assert_string_equal(explain_value("CertificateChain/TrustStatus/ErrorStatus@value", "24"),
	                    "CERT_TRUST_IS_REVOKED, CERT_TRUST_IS_UNTRUSTED_ROOT");
	assert_string_equal(explain_value("Result@value", "80070005"),
	                    "HRESULT_FROM_WIN32(5) = ERROR_ACCESS_DENIED: Access is denied.");
	assert_null(explain_value("TargetName", "43"));
}

static const char *
explain(const char *code, bool *found)
{
	static char buf[16384];
	struct tw_sb sb;
	sb_fixed(&sb, buf, sizeof buf);
	*found = catalog_explain(code, &sb);
	return buf;
}

static void
test_explain(void **state)
{
	(void)state;
	bool found;
	const char *s = explain("43", &found);
	assert_true(found);
	assert_true(strncmp(s, "43 as a TLS alert description", 29) == 0);
	assert_non_null(strstr(s, "unsupported_certificate"));
	assert_non_null(strstr(s, "TLS1_ALERT_UNSUPPORTED_CERT"));
	assert_non_null(strstr(s, "SEC_E_CERT_UNKNOWN (0x80090327)"));

	s = explain("0x80090326", &found);
	assert_true(found);
	assert_non_null(strstr(s, "SEC_E_ILLEGAL_MESSAGE"));
	assert_non_null(strstr(s, "The message received was unexpected or badly formatted."));
	assert_non_null(strstr(s, "40 handshake_failure"));

	s = explain("SEC_E_UNTRUSTED_ROOT", &found);
	assert_true(found);
	assert_non_null(strstr(s, "0x80090325"));
	assert_non_null(strstr(s, "48 unknown_ca"));
	assert_string_equal(explain("sec_e_untrusted_root", &found), s); /* names are case-insensitive */

	s = explain("36888", &found);
	assert_true(found);
	assert_non_null(strstr(s, "36888 as a Schannel event"));
	assert_non_null(strstr(s, "%1  AlertDesc"));
	assert_non_null(strstr(s, "%2  ErrorState"));
	assert_non_null(strstr(s, "%3  TargetName"));

	/* 40 is both an alert and a CAPI2 event. */
	s = explain("40", &found);
	assert_non_null(strstr(s, "handshake_failure"));
	assert_non_null(strstr(s, "CertVerifyRevocationStart"));
	/* 10013 is an error state and a Winsock error. */
	s = explain("10013", &found);
	assert_non_null(strstr(s, "Schannel internal error state"));
	assert_non_null(strstr(s, "WSAEACCES"));
	/* CAPI2's bare hex and .NET's negative HResult. */
	assert_non_null(strstr(explain("800B0109", &found), "CERT_E_UNTRUSTEDROOT"));
	assert_non_null(strstr(explain("-2146893018", &found), "SEC_E_ILLEGAL_MESSAGE"));
	assert_non_null(strstr(explain("TLS1_ALERT_UNKNOWN_CA", &found), "48 as a TLS alert"));
	assert_non_null(strstr(explain("SSL3_ALERT_HANDSHAKE_FAILURE", &found), "40 as a TLS alert"));
	assert_non_null(strstr(explain("bad_certificate", &found), "42 as a TLS alert"));
	assert_non_null(strstr(explain("0x80070005", &found), "ERROR_ACCESS_DENIED"));

	s = explain("NOT_A_CODE", &found);
	assert_false(found);
	assert_string_equal(s, "nothing known about 'NOT_A_CODE' (looked up: TLS alerts, Schannel and CAPI2 events, "
	                       "Schannel error states, HRESULTs, Win32 errors)\n");
	s = explain("99999", &found);
	assert_false(found);
	/* Input is echoed escaped. */
	s = explain("\x1b[31m", &found);
	assert_false(found);
	assert_non_null(strstr(s, "'\\x1b[31m'"));
}

static const char *
get_fixed(void *ctx, const char *name, size_t *len)
{
	const char *const *kv = ctx;
	for (; kv[0]; kv += 2)
		if (strcmp(kv[0], name) == 0) {
			*len = strlen(kv[1]);
			return kv[1];
		}
	return NULL;
}

static void
test_render(void **state)
{
	(void)state;
	struct tw_sb sb;
	sb_heap(&sb);
	static const char *const d1[] = { "Type", "server", "ErrorCode", "0x8009030D", "ErrorStatus", "10001", NULL };
	assert_true(catalog_render(catalog_event("Schannel", 8, 36870), get_fixed, (void *)d1, &sb));
	/* The rendered text of schannel.md 8. */
	assert_string_equal(sb.s, "A fatal error occurred when attempting to access the TLS server credential private key. "
	                          "The error code returned from the cryptographic module is 0x8009030D. The internal error "
	                          "state is 10001.");
	sb_reset(&sb);
	static const char *const d2[] = { "ErrorCode", "0x800B0109", "CallerProcessImageName", "System",
		                          "CallerProcessId", "4", NULL };
	assert_true(catalog_render(catalog_event("Schannel", 8, 36877), get_fixed, (void *)d2, &sb));
	assert_string_equal(sb.s, "The certificate received from the remote client application has not validated correctly. "
	                          "The error code is 0x800B0109. The attached data contains the client certificate. "
	                          "The SSPI client process is System (PID: 4).");
	sb_reset(&sb);
	static const char *const d3[] = { "param1", "Windows Time", "param2", "running", NULL };
	assert_true(catalog_render(catalog_event("Service Control Manager", 23, 7036), get_fixed, (void *)d3, &sb));
	assert_string_equal(sb.s, "The Windows Time service entered the running state.");
	sb_free(&sb);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schannel_events), cmocka_unit_test(test_capi2_events),
		cmocka_unit_test(test_tables_consistent), cmocka_unit_test(test_alerts),
		cmocka_unit_test(test_codes), cmocka_unit_test(test_explain_values),
		cmocka_unit_test(test_explain), cmocka_unit_test(test_render),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
