/*
 * catalog.h - what tracewb knows about Schannel and CAPI2: events (level,
 * message template, fields and their meaning), TLS alert codes, the
 * Schannel internal error states that have a public explanation, HRESULTs
 * (SEC_E_*, CERT_E_*, CRYPT_E_*, TRUST_E_*) and common Win32 errors.
 *
 * Sources are named in catalog_data.c, row by row where they differ
 * (../shared/reference/schannel.md, winerror.h, RFC 5246/8446, the IANA
 * TLS Alerts registry). Static tables only; nothing is loaded at run time.
 */
#ifndef TW_CATALOG_H
#define TW_CATALOG_H

#include "core/str.h"
#include "core/tw.h"

struct cat_field {
	const char *name;     /* Data/@Name, or a flattened UserData path ("Result@value") */
	const char *meaning;
	/*
	 * For exports that kept only the message (PowerShell at the default
	 * depth): '|'-separated texts that precede the value in the known
	 * wordings, and the value's shape: 'n' number (decimal or 0x hex),
	 * 'l' the rest of the line, 's' up to ". " or the end of the line.
	 */
	const char *cue;
	char kind;
};

enum cat_event_flag {
	CAT_CALLER = 1,   /* Windows 11: "The SSPI client process is %s (PID: %s)." (%C / %P in templates) */
};

#define CAT_MAX_FIELDS 28

struct cat_event {
	const char *provider;  /* "Schannel", "Microsoft-Windows-CAPI2", ... */
	const char *short_name; /* "Schannel", "CAPI2" */
	uint32_t id;
	uint8_t level;         /* enum tw_ev_level (the manifest's) */
	unsigned flags;
	const char *title;     /* one line: what happened */
	/*
	 * Message template: %1..%99 insert the data field at that position
	 * (fields[n-1]), %C inserts " The SSPI client process is NAME (PID: N)."
	 * and %P the same sentence as its own paragraph, when the event carries
	 * CallerProcessImageName; %% is a percent sign.
	 */
	const char *tmpl;
	const char *note;      /* level differences, wording versions, side */
	const char *source;
	uint8_t nfields;
	struct cat_field fields[CAT_MAX_FIELDS];
};

struct cat_alert {
	uint8_t code;
	const char *rfc;       /* "unsupported_certificate" */
	const char *macro;     /* "TLS1_ALERT_UNSUPPORTED_CERT", or NULL */
	const char *ref;       /* "RFC 5246 7.2" */
	uint32_t hresult;      /* what Schannel returns when it receives it, 0 if not documented */
	const char *cause;     /* typical cause in Schannel context, or NULL */
};

struct cat_code {
	uint32_t code;
	const char *name;
	const char *text;      /* the message (winerror.h), condensed */
	const char *note;      /* tracewb's note (which alert maps to it, where it is seen) */
};

struct cat_state {
	uint32_t state;
	const char *seen;      /* "36888, alert 40, client" */
	const char *meaning;
	const char *source;
};

struct cat_bit {
	uint32_t bit;
	const char *name;
};

/* Event of provider (exact name, case-insensitive) and id, or NULL. */
const struct cat_event *catalog_event(const char *provider, size_t plen, uint32_t id);
/* Every catalogued event with this id (any provider); returns the count (at most max). */
size_t catalog_events_by_id(uint32_t id, const struct cat_event **out, size_t max);
/* Position (0-based) of field name in ce, or -1. */
int catalog_field_index(const struct cat_event *ce, const char *name, size_t len);

const struct cat_alert *catalog_alert(unsigned code);
const struct cat_code *catalog_hresult(uint32_t code);
const struct cat_code *catalog_win32(uint32_t code);
const struct cat_state *catalog_state(uint32_t state);
/* CERT_TRUST_* error status bits (CAPI2 TrustStatus/ErrorStatus@value). */
const struct cat_bit *catalog_trust_bits(size_t *n);

/* Data lookup for rendering: value of the field named name, or NULL. */
typedef const char *(*cat_getter)(void *ctx, const char *name, size_t *len);

/*
 * Render ce's template into out with values from get (raw, unescaped:
 * the caller stores the result as the event's message and escapes it on
 * output like any other input text). False if ce has no template.
 */
bool catalog_render(const struct cat_event *ce, cat_getter get, void *ctx, struct tw_sb *out);

/*
 * One line explaining a data value by the field's name: AlertDesc (TLS
 * alert), ErrorState/ErrorStatus (Schannel state), ErrorCode, Error,
 * Result@value, RevocationStatus@error, ...Result@value (HRESULT or Win32),
 * TrustStatus/ErrorStatus@value (CERT_TRUST_* bits). The value is parsed
 * here; out receives plain text without input bytes except digits.
 * Returns false when nothing is known.
 */
bool catalog_explain_value(const char *field, size_t flen, const char *value, size_t vlen,
                           struct tw_sb *out);

/*
 * Everything known about CODE, like Err.exe: a decimal or 0x hex number, a
 * CAPI2-style 8-digit hex, a negative decimal HRESULT, or a name
 * (SEC_E_UNTRUSTED_ROOT, TLS1_ALERT_UNSUPPORTED_CERT, unknown_ca, ...).
 * Writes the report to out; returns false (with a one-line "unknown" text)
 * when nothing matched. code is echoed escaped.
 */
bool catalog_explain(const char *code, struct tw_sb *out);

/* Parse an HRESULT-like value: "0x80090326", "80090326", "-2146893018", "2148074278". */
bool catalog_parse_code(const char *s, size_t n, uint64_t *out, bool *was_hex);

#endif
