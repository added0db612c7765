/*
 * main.c - command line: choose a mode and wire the modules together.
 * Only this file calls exit().
 */
#include "core/capture.h"
#include "core/catalog.h"
#include "core/event.h"
#include "core/field.h"
#include "core/reasm.h"
#include "core/str.h"
#include "core/x509.h"
#include "merge/certs.h"
#include "merge/convtable.h"
#include "merge/diagnose.h"
#include "merge/export.h"
#include "merge/filter.h"
#include "merge/filterrun.h"
#include "merge/print.h"
#include "merge/timeline.h"
#include "ui/ui.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"Usage: tracewb [OPTIONS] FILE...\n"
	"       tracewb --explain CODE\n"
	"\n"
	"Read packet captures (pcap, pcapng) and Windows event logs exported as JSON\n"
	"and print them like tshark: one merged timeline of every file given, ordered\n"
	"by time. Each file's content decides what it is, never its name.\n"
	"\n"
	"Output:\n"
	"  -P, --print           one summary line per frame or event (the default\n"
	"                        when the output is not a terminal)\n"
	"  -V, --verbose         print the full detail tree of every frame and event\n"
	"  -x, --hex             add a hex and ASCII dump of the frame bytes\n"
	"  -T, --output FORMAT   text (default), json (one object per row and line),\n"
	"                        fields (the -e fields, tab-separated, like tshark)\n"
	"  -e, --field NAME      a field for -T fields (repeatable), e.g. ip.src,\n"
	"                        tcp.srcport, frame.time_epoch, _ws.col.Info, event.id,\n"
	"                        event.provider, event.data.TargetName\n"
	"  -E, --field-option K=V  for -T fields: header=y|n, separator=/t|/s|CHAR,\n"
	"                        occurrence=a|f|l, aggregator=,|/s|CHAR, quote=d|s|n\n"
	"  -t, --time-format F   r relative (default), a absolute local, ad with date,\n"
	"                        d delta, dd delta displayed, e epoch, u UTC, ud UTC with date\n"
	"  -c, --count N         stop after N rows (frames and events)\n"
	"      --threads N       threads for printing: rows are dissected and formatted\n"
	"                        in N threads, and libpcap reads captures in one of\n"
	"                        its own while they load (default: one per CPU, at\n"
	"                        most 8; 1: none); the output is the same whatever N\n"
	"  -Y, --display-filter EXPR  only the rows matching a Wireshark display filter,\n"
	"                        e.g. 'ip.addr == 10.0.0.0/8 && tcp.flags.reset == 1',\n"
	"                        'tls.handshake.type == 11', 'event.id == 36888 || tls.alert_message';\n"
	"                        tracewb's own: correlated, finding contains \"MD2\",\n"
	"                        process.name, cert.sigalg, cert.expired, ...; with\n"
	"                        --check: only findings of matching rows and their\n"
	"                        connections; --export: only matching rows;\n"
	"                        --conversations: only matching frames counted\n"
	"  -r, --read FILE       read FILE (same as naming it; for tshark habits)\n"
	"  -n                    accepted for tshark habits; tracewb never resolves names\n"
	"      --list-fields     list every field name tracewb knows\n"
	"      --tui             the interactive workbench (timeline, detail tree, hex,\n"
	"                        certificates, event detail; H or F1 inside lists\n"
	"                        the keys; settings in ~/.config/tracewb/config);\n"
	"                        the default on a terminal without batch options\n"
	"      --theme NAME      UI theme: default, light, mono, 256 (themes/NAME.theme)\n"
	"      --check           diagnose instead of printing rows: findings (TLS alerts,\n"
	"                        abandoned handshakes, resets, unanswered SYNs,\n"
	"                        retransmissions, Schannel/CAPI2 errors) and one\n"
	"                        paragraph per failed TLS connection naming the\n"
	"                        alert and the Schannel event linked to it; -T json\n"
	"                        for one JSON document; exit 1 when errors were found\n"
	"      --export FILE.jsonl|FILE.csv  write the merged, offset-corrected timeline\n"
	"                        with links and findings (JSON lines import into\n"
	"                        Timesketch: datetime, timestamp_desc, message)\n"
	"      --window DURATION  how far from a handshake a Schannel event may be\n"
	"                        to be linked to it (after offsets; default 2s, or\n"
	"                        set correlation-window in the workbench's config)\n"
	"      --offset FILE=+N[UNIT]  shift FILE's clock by N (ns, us, ms, s (default),\n"
	"                        m, h; decimals allowed), e.g. server.pcap=-1.25s\n"
	"      --conversations   print the TCP and UDP conversation tables instead of\n"
	"                        rows: both directions' frames and bytes, how each TCP\n"
	"                        connection got on and ended (FIN or RST, by whom), and\n"
	"                        each TLS handshake's summary (like tshark -z conv,tcp)\n"
	"      --certs           instead of rows, every certificate chain seen: each\n"
	"                        certificate's facts and what is wrong with it (weak\n"
	"                        signature, expired at capture time, name mismatch with\n"
	"                        the SNI, broken issuer linkage, bad signature, revoked\n"
	"                        in a CRL fetched in the trace); -T json for machines\n"
	"      --ca-file PEM, --ca-dir DIR  also verify every chain with OpenSSL against\n"
	"                        these trust anchors, at the time of the capture\n"
	"      --reassembly-limit SIZE  the most bytes one TCP stream direction may\n"
	"                        gather for one PDU (TLS record, HTTP message, DNS\n"
	"                        message); a larger one is cut short with the note\n"
	"                        \"reassembly limit reached\" (default 16M; K, M, G\n"
	"                        are binary units; 1K to 1G)\n"
	"\n"
	"Windows event logs (Get-WinEvent | ConvertTo-Json from PowerShell 5.1 or 7,\n"
	"evtx_dump -o json/jsonl, Winlogbeat 6/7/8, NXLog JSON; UTF-8 or UTF-16):\n"
	"      --tz [FILE=]+hh:mm  the UTC offset of times that carry no zone (NXLog's\n"
	"                        EventTime), for FILE or for every event file;\n"
	"                        without it such times are taken as UTC\n"
	"      --explain CODE    everything known about a TLS alert, Schannel or CAPI2\n"
	"                        event id, Schannel error state, HRESULT or Win32 error:\n"
	"                        43, 36888, 0x80090326, SEC_E_UNTRUSTED_ROOT (exit 1 if\n"
	"                        nothing is known)\n"
	"\n"
	"  -h, --help            show this help\n"
	"  -v, --version         show the version\n"
	"\n"
	"Exit status: 0 success, 1 --explain knows nothing about the code or --check\n"
	"found errors, 2 usage\n"
	"error or no input could be read.\n"
	"Warnings about damaged files (for example \"file cut at offset N\", malformed\n"
	"JSON lines, rejected events) go to standard error; every complete frame and\n"
	"every good event is still shown.\n";

static void
usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "tracewb: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tracewb --help' for more information.\n");
	exit(EXIT_USAGE);
}

static char
field_sep_char(const char *v)
{
	if (strcmp(v, "/t") == 0)
		return '\t';
	if (strcmp(v, "/s") == 0)
		return ' ';
	return v[0] ? v[0] : '\t';
}

static void
field_option(struct tw_print_opts *o, const char *kv)
{
	const char *eq = strchr(kv, '=');
	if (!eq)
		usage_error("-E needs KEY=VALUE, got '%s'", kv);
	size_t klen = (size_t)(eq - kv);
	const char *v = eq + 1;
	if (klen == 6 && strncmp(kv, "header", 6) == 0)
		o->header = v[0] == 'y';
	else if (klen == 9 && strncmp(kv, "separator", 9) == 0)
		o->separator = field_sep_char(v);
	else if (klen == 10 && strncmp(kv, "occurrence", 10) == 0) {
		if (strcmp(v, "a") && strcmp(v, "f") && strcmp(v, "l"))
			usage_error("occurrence must be a, f or l, got '%s'", v);
		o->occurrence = v[0];
	} else if (klen == 10 && strncmp(kv, "aggregator", 10) == 0)
		o->aggregator = strcmp(v, "/s") == 0 ? ' ' : (v[0] ? v[0] : ',');
	else if (klen == 5 && strncmp(kv, "quote", 5) == 0)
		o->quote = v[0] == 'd' ? '"' : v[0] == 's' ? '\'' : 0;
	else if (klen == 11 && strncmp(kv, "bom", 3) == 0)
		;
	else
		usage_error("unknown -E option '%s'", kv);
}

static void
list_fields(void)
{
	for (size_t i = 0;; i++) {
		const struct tw_field *f = field_nth(i);
		if (!f)
			break;
		printf("%s\t%s\n", f->abbrev, f->name);
	}
}

/* ---- --tz ------------------------------------------------------------- */

struct tz_opt {
	const char *file; /* NULL: every event file */
	int minutes;
	bool used;
};

static void
tz_parse(struct tz_opt *t, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	const char *off = eq ? eq + 1 : arg;
	if (!ev_parse_tz(off, &t->minutes))
		usage_error("--tz needs [FILE=]+hh:mm or -hh:mm (UTC offset, at most 14 hours), got '%s'", arg);
	if (eq) {
		if (eq == arg)
			usage_error("--tz needs a file name before '=', got '%s'", arg);
		t->file = xstrndup(arg, (size_t)(eq - arg));
	} else {
		t->file = NULL;
	}
	t->used = false;
}

static const char *
base_name(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* The --tz that applies to path: an exact FILE match, else a base-name match, else the global one. */
static struct tz_opt *
tz_for(struct tz_opt *tz, size_t ntz, const char *path)
{
	for (size_t i = 0; i < ntz; i++)
		if (tz[i].file && strcmp(tz[i].file, path) == 0)
			return &tz[i];
	for (size_t i = 0; i < ntz; i++)
		if (tz[i].file && strcmp(base_name(tz[i].file), base_name(path)) == 0)
			return &tz[i];
	struct tz_opt *g = NULL;
	for (size_t i = 0; i < ntz; i++)
		if (!tz[i].file)
			g = &tz[i]; /* the last one given wins */
	return g;
}

/* ---- --offset ---------------------------------------------------------- */

struct offset_opt {
	const char *file;
	tw_time off;
};

/* "16777216", "512K", "16M", "1G" (binary units); false if not a size. */
static bool
parse_size(const char *s, size_t *out)
{
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	char *end;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno)
		return false;
	unsigned shift = 0;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if ((*end == 'i' || *end == 'I') && shift && (end[1] == 'B' || end[1] == 'b'))
		end += 2;
	else if ((*end == 'B' || *end == 'b') && shift)
		end++;
	if (*end || v > (SIZE_MAX >> 31))
		return false;
	*out = (size_t)(v << shift);
	return true;
}

static void
offset_parse(struct offset_opt *o, const char *arg)
{
	const char *eq = strrchr(arg, '=');
	if (!eq || eq == arg)
		usage_error("--offset needs FILE=+N[unit] (units ns, us, ms, s, m, h; e.g. client.pcap=+1.25s), got '%s'", arg);
	if (!parse_offset(eq + 1, &o->off))
		usage_error("--offset needs FILE=+N[unit] (units ns, us, ms, s, m, h; at most 7 days), got '%s'", arg);
	o->file = xstrndup(arg, (size_t)(eq - arg));
}

/* The clock offset for path: an exact match, else a base-name match, else 0. */
static tw_time
offset_for(const struct offset_opt *o, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(o[i].file, path) == 0)
			return o[i].off;
	for (size_t i = 0; i < n; i++)
		if (strcmp(base_name(o[i].file), base_name(path)) == 0)
			return o[i].off;
	return 0;
}

static void
offsets_free(struct offset_opt *o, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)o[i].file);
	free(o);
}

/* ---- what a file is ---------------------------------------------------- */

enum sniff { SNIFF_CAPTURE, SNIFF_EVENTS, SNIFF_TEXT };

/*
 * Captures go to libpcap (capture_open also names the binary formats it
 * cannot read), JSON and evtx_dump output to the event loader; other text
 * is neither. Unreadable files go to capture_open, which says why.
 */
static enum sniff
sniff_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return SNIFF_CAPTURE;
	unsigned char b[4096];
	size_t n = fread(b, 1, sizeof b, f);
	fclose(f);
	static const uint8_t magic[][4] = { { 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 },
		                            { 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 },
		                            { 0x0a, 0x0d, 0x0d, 0x0a } };
	for (size_t m = 0; n >= 4 && m < sizeof magic / sizeof *magic; m++)
		if (memcmp(b, magic[m], 4) == 0)
			return SNIFF_CAPTURE;
	if (n < 2)
		return n && (b[0] == '{' || b[0] == '[') ? SNIFF_EVENTS : SNIFF_CAPTURE;
	if ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff))
		return SNIFF_EVENTS; /* UTF-16 with a BOM: PowerShell's Out-File */
	if (((b[0] == '{' || b[0] == '[') && b[1] == 0) || (b[0] == 0 && (b[1] == '{' || b[1] == '[')))
		return SNIFF_EVENTS; /* UTF-16 without a BOM */
	size_t k = n >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf ? 3 : 0;
	while (k < n && (b[k] == ' ' || b[k] == '\t' || b[k] == '\r' || b[k] == '\n'))
		k++;
	if (k < n && (b[k] == '{' || b[k] == '['))
		return SNIFF_EVENTS;
	if (n - k >= 8 && memcmp(b + k, "Record ", 7) == 0 && b[k + 7] >= '0' && b[k + 7] <= '9')
		return SNIFF_EVENTS; /* evtx_dump -o json */
	/* JSON lines whose first line is damaged: a later line opens an object in column 0. */
	for (size_t i = k; i + 2 < n; i++)
		if (b[i] == '\n' && b[i + 1] == '{' && b[i + 2] == '"')
			return SNIFF_EVENTS;
	/* Printable text (ASCII or UTF-8), no NUL: neither a capture nor JSON. */
	bool text = true;
	for (size_t i = 0; i < n && text; i++)
		if (b[i] == 0 || (b[i] < 0x20 && b[i] != '\t' && b[i] != '\r' && b[i] != '\n') || b[i] == 0x7f)
			text = false;
	if (text && k < n)
		return SNIFF_TEXT;
	return SNIFF_CAPTURE;
}

static void
print_event_warnings(const struct tw_events *ev, const char *safe)
{
	for (size_t w = 0; events_warning(ev, w); w++)
		fprintf(stderr, "tracewb: %s: warning: %s\n", safe, events_warning(ev, w));
}

static int
explain_codes(const char **codes, size_t n)
{
	int rc = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		struct tw_sb sb;
		sb_heap(&sb);
		if (!catalog_explain(codes[i], &sb))
			rc = EXIT_FINDINGS;
		if (i)
			fputc('\n', stdout);
		fputs(sb.s, stdout);
		sb_free(&sb);
	}
	if (fflush(stdout) != 0)
		rc = EXIT_USAGE;
	return rc;
}

/* -Y over the whole timeline, with the analysis as row context (NULL: none matched). */
static uint8_t *
filter_mask(const struct tw_filter *f, const struct tw_timeline *tl, const struct tw_analysis *an)
{
	struct filter_ctx *cx = filter_ctx_new(tl, NULL, an);
	size_t matched = 0;
	uint8_t *keep = filter_rows_mask(f, cx, tl, &matched);
	filter_ctx_free(cx);
	return keep;
}

int
main(int argc, char **argv)
{
	struct tw_print_opts po;
	print_opts_init(&po);
	const char **files = xcalloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	const char **fields = xcalloc((size_t)argc + 1, sizeof *fields);
	const char **explain = xcalloc((size_t)argc + 1, sizeof *explain);
	size_t nexplain = 0;
	struct tz_opt *tz = xcalloc((size_t)argc + 1, sizeof *tz);
	size_t ntz = 0;
	bool explicit_print = false;
	const char *yfilter = NULL;
	enum { OPT_TUI = 400, OPT_THEME };
	bool tui = false, tfmt_set = false, window_set = false;
	const char *theme = NULL;

	enum { OPT_LIST_FIELDS = 256, OPT_EXPLAIN, OPT_TZ, OPT_CONVERSATIONS, OPT_OFFSET, OPT_CHECK, OPT_EXPORT, OPT_WINDOW,
	       OPT_CERTS, OPT_CA_FILE, OPT_CA_DIR, OPT_THREADS, OPT_REASM_LIMIT };
	bool certs = false;
	const char *ca_file = NULL, *ca_dir = NULL;
	struct analyze_opts ao;
	analyze_opts_init(&ao);
	bool conversations = false;
	bool check = false;
	const char *export_path = NULL;
	enum tw_export_fmt export_fmt = EXPORT_JSONL;
	struct offset_opt *offs = xcalloc((size_t)argc + 1, sizeof *offs);
	size_t noffs = 0;
	static const struct option longopts[] = {
		{ "print", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "hex", no_argument, NULL, 'x' },
		{ "output", required_argument, NULL, 'T' },
		{ "field", required_argument, NULL, 'e' },
		{ "field-option", required_argument, NULL, 'E' },
		{ "time-format", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "display-filter", required_argument, NULL, 'Y' },
		{ "read", required_argument, NULL, 'r' },
		{ "list-fields", no_argument, NULL, OPT_LIST_FIELDS },
		{ "explain", required_argument, NULL, OPT_EXPLAIN },
		{ "tz", required_argument, NULL, OPT_TZ },
		{ "conversations", no_argument, NULL, OPT_CONVERSATIONS },
		{ "tui", no_argument, NULL, OPT_TUI },
		{ "theme", required_argument, NULL, OPT_THEME },
		{ "offset", required_argument, NULL, OPT_OFFSET },
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "export", required_argument, NULL, OPT_EXPORT },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "certs", no_argument, NULL, OPT_CERTS },
		{ "ca-file", required_argument, NULL, OPT_CA_FILE },
		{ "ca-dir", required_argument, NULL, OPT_CA_DIR },
		{ "threads", required_argument, NULL, OPT_THREADS },
		{ "reassembly-limit", required_argument, NULL, OPT_REASM_LIMIT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int ch, early = -1;
	while ((ch = getopt_long(argc, argv, "PVxT:e:E:t:c:r:nhvY:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'P':
			explicit_print = true;
			break;
		case 'V':
			po.verbose = true;
			break;
		case 'x':
			po.hex = true;
			break;
		case 'T':
			if (strcmp(optarg, "json") == 0)
				po.out = OUT_JSON;
			else if (strcmp(optarg, "fields") == 0)
				po.out = OUT_FIELDS;
			else if (strcmp(optarg, "text") == 0)
				po.out = OUT_TEXT;
			else
				usage_error("unknown output format '%s' (text, json or fields)", optarg);
			break;
		case 'e':
			fields[po.nfields++] = optarg;
			break;
		case 'E':
			field_option(&po, optarg);
			break;
		case 't':
			if (!timefmt_parse(optarg, &po.tfmt))
				usage_error("unknown time format '%s' (r, a, ad, d, dd, e, u, ud)", optarg);
			tfmt_set = true;
			break;
		case 'c': {
			char *end;
			long long n = strtoll(optarg, &end, 10);
			if (*end || n < 0)
				usage_error("-c needs a count of frames, got '%s'", optarg);
			po.count = n;
			break;
		}
		case 'r':
			files[nfiles++] = optarg;
			break;
		case 'Y':
			yfilter = optarg;
			break;
		case 'n':
			break;
		case OPT_LIST_FIELDS:
			list_fields();
			early = EXIT_OK;
			break;
		case OPT_EXPLAIN:
			explain[nexplain++] = optarg;
			break;
		case OPT_TZ:
			tz_parse(&tz[ntz++], optarg);
			break;
		case OPT_CERTS:
			certs = true;
			break;
		case OPT_CA_FILE:
			ca_file = optarg;
			break;
		case OPT_CA_DIR:
			ca_dir = optarg;
			break;
		case OPT_THREADS: {
			char *end;
			long n = strtol(optarg, &end, 10);
			if (*end || end == optarg || n < 1 || n > 64)
				usage_error("--threads needs a number of threads from 1 to 64, got '%s'", optarg);
			po.threads = (int)n;
			break;
		}
		case OPT_REASM_LIMIT: {
			size_t lim;
			if (!parse_size(optarg, &lim) || lim < 1024 || lim > REASM_MAX_LIMIT)
				usage_error("--reassembly-limit needs a size from 1K to 1G (bytes, or K, M, G), got '%s'",
				            optarg);
			reasm_set_default_limit(lim);
			break;
		}
		case OPT_CONVERSATIONS:
			conversations = true;
			break;
		case OPT_TUI:
			tui = true;
			break;
		case OPT_THEME:
			theme = optarg;
			break;
		case OPT_OFFSET:
			offset_parse(&offs[noffs++], optarg);
			break;
		case OPT_CHECK:
			check = true;
			break;
		case OPT_WINDOW:
			if (!parse_offset(optarg, &ao.window) || ao.window <= 0 || optarg[0] == '-' || optarg[0] == '+')
				usage_error("--window needs a positive duration such as 2s or 500ms, got '%s'", optarg);
			window_set = true;
			break;
		case OPT_EXPORT:
			if (!export_fmt_of(optarg, &export_fmt))
				usage_error("--export needs a file name ending in .jsonl or .csv, got '%s'", optarg);
			export_path = optarg;
			break;
		case 'h':
			fputs(usage_text, stdout);
			early = EXIT_OK;
			break;
		case 'v':
			printf("tracewb %s\n", TW_VERSION);
			early = EXIT_OK;
			break;
		default:
			fprintf(stderr, "Try 'tracewb --help' for more information.\n");
			early = EXIT_USAGE;
			break;
		}
		if (early >= 0)
			break;
	}
	if (early >= 0) {
		for (size_t i = 0; i < ntz; i++)
			free((char *)tz[i].file);
		free(tz);
		free(explain);
		free(files);
		free(fields);
		offsets_free(offs, noffs);
		return early;
	}
	for (int i = optind; i < argc; i++)
		files[nfiles++] = argv[i];
	po.fields = fields;
	if (nexplain) {
		int erc = explain_codes(explain, nexplain);
		for (size_t i = 0; i < ntz; i++)
			free((char *)tz[i].file);
		free(tz);
		free(explain);
		free(files);
		free(fields);
		offsets_free(offs, noffs);
		return erc;
	}
	if (nfiles == 0)
		usage_error("%s", "no input file given");
	for (size_t i = 0; i < ntz; i++) {
		if (!tz[i].file)
			continue;
		bool named = false;
		for (size_t f = 0; f < nfiles && !named; f++)
			named = strcmp(tz[i].file, files[f]) == 0 || strcmp(base_name(tz[i].file), base_name(files[f])) == 0;
		if (!named) {
			char *safe = tw_escape_dup(tz[i].file, strlen(tz[i].file));
			usage_error("--tz names '%s', which is not one of the input files", safe);
		}
	}
	for (size_t i = 0; i < noffs; i++) {
		bool named = false;
		for (size_t f = 0; f < nfiles && !named; f++)
			named = strcmp(offs[i].file, files[f]) == 0 || strcmp(base_name(offs[i].file), base_name(files[f])) == 0;
		if (!named) {
			char *safe = tw_escape_dup(offs[i].file, strlen(offs[i].file));
			usage_error("--offset names '%s', which is not one of the input files", safe);
		}
	}
	if (po.out == OUT_FIELDS && po.nfields == 0 && !check)
		usage_error("%s", "-T fields needs at least one -e FIELD");
	if (po.verbose && !explicit_print)
		po.summary = false;
	char err[512];
	if (!print_check_fields(&po, err, sizeof err))
		usage_error("%s", err);
	struct tw_filter *dfilter = NULL;
	if (yfilter && certs)
		usage_error("%s", "-Y selects rows; --certs lists chains, not rows: use -Y 'tls.handshake.type == 11' -V instead");
	if (yfilter) {
		struct filter_error fe;
		if (!(dfilter = filter_compile(yfilter, &fe))) {
			struct tw_sb sb;
			sb_heap(&sb);
			filter_error_format(&sb, yfilter, &fe, "    ");
			fprintf(stderr, "tracewb: invalid display filter:\n%s", sb.s);
			sb_free(&sb);
			exit(EXIT_USAGE);
		}
		po.filter = dfilter;
	}
	/* The workbench is the default on a terminal when no batch option is given. */
	bool batch = explicit_print || po.verbose || po.hex || po.out != OUT_TEXT || po.nfields || po.count >= 0 ||
	             conversations || check || yfilter || certs;
	if (!batch && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO) && getenv("TERM") && strcmp(getenv("TERM"), "dumb"))
		tui = true;
	if (tui && batch)
		usage_error("%s", "--tui cannot be combined with batch options (-P, -V, -x, -T, -e, -c, --conversations, --check, --certs)");
	if (ca_file || ca_dir) {
		/* Trust anchors: chains are also verified with OpenSSL at the capture time. */
		if (!x509_trust_load(ca_file, ca_dir, err, sizeof err))
			usage_error("%s", err);
	}

	struct tw_timeline tl;
	timeline_init(&tl);
	struct tw_capture **caps = xcalloc(nfiles, sizeof *caps);
	struct tw_events **evs = xcalloc(nfiles, sizeof *evs);
	size_t loaded = 0;
	for (size_t i = 0; i < nfiles; i++) {
		char *safe = tw_escape_dup(files[i], strlen(files[i]));
		enum sniff kind = sniff_file(files[i]);
		struct tz_opt *t = tz_for(tz, ntz, files[i]);
		if (kind == SNIFF_TEXT) {
			fprintf(stderr, "tracewb: %s: not a capture file (pcap, pcapng) nor a Windows event export "
			        "(JSON): it is text of another kind\n", safe);
			free(safe);
			continue;
		}
		if (kind == SNIFF_EVENTS) {
			struct tw_event_opts eo = { t != NULL, t ? t->minutes : 0 };
			evs[i] = events_load(files[i], (uint16_t)i, &eo, err, sizeof err);
			if (!evs[i]) {
				/* err may quote the file's content: it is escaped where it is built. */
				fprintf(stderr, "tracewb: %s: %s\n", safe, err);
				free(safe);
				continue;
			}
			if (t)
				t->used = true;
			if (t && t->file && events_naive_times(evs[i]) == 0)
				fprintf(stderr, "tracewb: %s: warning: --tz has no effect: every time in the file "
				        "carries its zone\n", safe);
			print_event_warnings(evs[i], safe);
			timeline_add_events(&tl, evs[i], offset_for(offs, noffs, files[i]));
			loaded++;
			free(safe);
			continue;
		}
		if (t && t->file)
			fprintf(stderr, "tracewb: %s: warning: --tz applies to event exports; capture times are UTC\n", safe);
		caps[i] = capture_open(files[i], (uint16_t)i, err, sizeof err);
		if (!caps[i]) {
			fprintf(stderr, "tracewb: %s: %s\n", safe, err);
			free(safe);
			continue;
		}
		if (tui)
			capture_load_some(caps[i], 5000); /* the UI indexes the rest */
		else if (po.threads == 1 || (po.threads == 0 && sysconf(_SC_NPROCESSORS_ONLN) < 2))
			capture_load_all(caps[i]);
		else
			capture_load_all_threaded(caps[i]); /* libpcap reads in a thread of its own */
		if (capture_fatal(caps[i])) {
			fprintf(stderr, "tracewb: %s: %s\n", safe, capture_fatal(caps[i]));
			capture_close(caps[i]);
			caps[i] = NULL;
			free(safe);
			continue;
		}
		for (size_t w = 0; capture_warning(caps[i], w); w++)
			fprintf(stderr, "tracewb: %s: warning: %s\n", safe, capture_warning(caps[i], w));
		timeline_add_capture(&tl, caps[i], offset_for(offs, noffs, files[i]));
		loaded++;
		free(safe);
	}
	/* The same record in several exports (or twice in one) is shown once. */
	if (events_dedupe(evs, nfiles)) {
		for (size_t i = 0; i < nfiles; i++) {
			if (!evs[i] || !events_duplicates(evs[i]))
				continue;
			char *safe = tw_escape_dup(files[i], strlen(files[i]));
			fprintf(stderr, "tracewb: %s: %u duplicate events merged (same computer, channel and "
			        "record id as an event loaded before)\n", safe, events_duplicates(evs[i]));
			free(safe);
		}
	}
	int rc = EXIT_OK;
	if (loaded == 0) {
		rc = EXIT_USAGE;
	} else {
		timeline_build(&tl);
		if (tui) {
			struct ui_opts uo = { theme, argv[0], po.tfmt, tfmt_set, window_set ? ao.window : 0 };
			if (ui_run(&tl, &uo, err, sizeof err) != 0) {
				fprintf(stderr, "tracewb: %s\n", err);
				rc = EXIT_USAGE;
			}
		} else if (export_path) {
			struct tw_analysis *an = analyze(&tl, &ao);
			certs_diagnose(an); /* certificate findings join the connections' paragraphs */
			analysis_summarize(an);
			uint8_t *keep = dfilter ? filter_mask(dfilter, &tl, an) : NULL;
			FILE *xf = strcmp(export_path, "-") == 0 ? stdout : fopen(export_path, "w");
			if (!xf) {
				char *safe = tw_escape_dup(export_path, strlen(export_path));
				fprintf(stderr, "tracewb: %s: cannot write: %s\n", safe, strerror(errno));
				free(safe);
				rc = EXIT_USAGE;
			} else {
				size_t nrows = dfilter && !keep ? 0 : export_timeline(xf, an, export_fmt, keep);
				if (xf != stdout && fclose(xf) != 0)
					rc = EXIT_USAGE;
				else
					fprintf(stderr, "tracewb: %zu rows written\n", nrows);
			}
			free(keep);
			analysis_free(an);
		} else if (check) {
			struct tw_analysis *an = analyze(&tl, &ao);
			certs_diagnose(an); /* certificate findings join the connections' paragraphs */
			analysis_summarize(an);
			if (dfilter) {
				/* Only what concerns the matching rows and their connections (diagnose.h). */
				uint8_t *keep = filter_mask(dfilter, &tl, an);
				uint8_t none = 0;
				analysis_restrict(an, keep ? keep : &none);
				free(keep);
			}
			if (po.out == OUT_JSON)
				diagnose_report_json(stdout, an);
			else
				diagnose_report_text(stdout, an);
			if (analysis_errors(an))
				rc = EXIT_FINDINGS;
			analysis_free(an);
		} else if (certs) {
			struct certs_opts co = { .json = po.out == OUT_JSON };
			print_certs(stdout, &tl, &co);
		} else if (conversations) {
			struct tw_analysis *an = dfilter && filter_needs(dfilter) ? analyze(&tl, &ao) : NULL;
			uint8_t *keep = dfilter ? filter_mask(dfilter, &tl, an) : NULL;
			uint8_t none = 0;
			print_conversations(stdout, &tl, dfilter && !keep ? &none : keep);
			free(keep);
			analysis_free(an);
		} else {
			/* Frames get their owning process when connection events are loaded with captures. */
			bool have_cap = false, have_ev = false;
			for (size_t s = 0; s < tl.nsrc; s++) {
				have_cap |= tl.src[s].kind == ROW_FRAME;
				have_ev |= tl.src[s].kind == ROW_EVENT;
			}
			struct tw_links links;
			memset(&links, 0, sizeof links);
			size_t ncap = 0;
			for (size_t s = 0; s < tl.nsrc; s++)
				ncap += tl.src[s].kind == ROW_FRAME;
			unsigned needs = dfilter ? filter_needs(dfilter) : 0;
			struct tw_analysis *an = NULL;
			const struct tw_links *lp = NULL;
			if (needs & FILTER_NEEDS_FINDINGS) {
				/* finding: the diagnosis, as --check makes it */
				an = analyze(&tl, &ao);
				certs_diagnose(an);
				lp = &an->links;
			} else if ((have_cap && have_ev) || ncap > 1 || needs) {
				correlate(&links, &tl, &ao);
				lp = &links;
			}
			if (lp && ((have_cap && have_ev) || ncap > 1)) {
				po.row_extra = links_process_tree;
				po.row_extra_ctx = (void *)lp;
				po.info_prefix = links_info_prefix;
				po.info_prefix_ctx = (void *)lp;
			}
			struct filter_ctx *fcx = needs ? filter_ctx_new(&tl, lp, an) : NULL;
			po.filter_ctx = fcx;
			print_timeline(stdout, &tl, &po);
			filter_ctx_free(fcx);
			analysis_free(an);
			links_free(&links);
		}
		if (fflush(stdout) != 0)
			rc = EXIT_USAGE;
	}
	timeline_free(&tl);
	x509_trust_free();
	filter_free(dfilter);
	for (size_t i = 0; i < nfiles; i++) {
		capture_close(caps[i]);
		events_free(evs[i]);
	}
	for (size_t i = 0; i < ntz; i++)
		free((char *)tz[i].file);
	free(tz);
	free(explain);
	free(caps);
	free(evs);
	free(files);
	free(fields);
	offsets_free(offs, noffs);
	return rc;
}
