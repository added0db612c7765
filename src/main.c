/*
 * main.c - command line: choose a mode and wire the modules together.
 * Only this file calls exit().
 */
#include "core/capture.h"
#include "core/field.h"
#include "core/str.h"
#include "merge/print.h"
#include "merge/timeline.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { EXIT_OK = 0, EXIT_FINDINGS = 1, EXIT_USAGE = 2 };

static const char usage_text[] =
	"Usage: tracewb [OPTIONS] FILE...\n"
	"\n"
	"Read packet captures (pcap, pcapng) and print them like tshark: one merged\n"
	"timeline of every file given, ordered by time.\n"
	"\n"
	"Output:\n"
	"  -P, --print           one summary line per frame (the default)\n"
	"  -V, --verbose         print the full detail tree of every frame\n"
	"  -x, --hex             add a hex and ASCII dump of the frame bytes\n"
	"  -T, --output FORMAT   text (default), json (one object per frame and line),\n"
	"                        fields (the -e fields, tab-separated, like tshark)\n"
	"  -e, --field NAME      a field for -T fields (repeatable), e.g. ip.src,\n"
	"                        tcp.srcport, frame.time_epoch, _ws.col.Info\n"
	"  -E, --field-option K=V  for -T fields: header=y|n, separator=/t|/s|CHAR,\n"
	"                        occurrence=a|f|l, aggregator=,|/s|CHAR, quote=d|s|n\n"
	"  -t, --time-format F   r relative (default), a absolute local, ad with date,\n"
	"                        d delta, dd delta displayed, e epoch, u UTC, ud UTC with date\n"
	"  -c, --count N         stop after N frames\n"
	"  -r, --read FILE       read FILE (same as naming it; for tshark habits)\n"
	"  -n                    accepted for tshark habits; tracewb never resolves names\n"
	"      --list-fields     list every field name tracewb knows\n"
	"  -h, --help            show this help\n"
	"  -v, --version         show the version\n"
	"\n"
	"Exit status: 0 success, 2 usage error or no input could be read.\n"
	"Warnings about damaged files (for example \"file cut at offset N\") go to\n"
	"standard error; every complete frame before the damage is still shown.\n";

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

int
main(int argc, char **argv)
{
	struct tw_print_opts po;
	print_opts_init(&po);
	const char **files = xcalloc((size_t)argc + 1, sizeof *files);
	size_t nfiles = 0;
	const char **fields = xcalloc((size_t)argc + 1, sizeof *fields);
	bool explicit_print = false;

	enum { OPT_LIST_FIELDS = 256 };
	static const struct option longopts[] = {
		{ "print", no_argument, NULL, 'P' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "hex", no_argument, NULL, 'x' },
		{ "output", required_argument, NULL, 'T' },
		{ "field", required_argument, NULL, 'e' },
		{ "field-option", required_argument, NULL, 'E' },
		{ "time-format", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "read", required_argument, NULL, 'r' },
		{ "list-fields", no_argument, NULL, OPT_LIST_FIELDS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	int ch;
	while ((ch = getopt_long(argc, argv, "PVxT:e:E:t:c:r:nhv", longopts, NULL)) != -1) {
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
		case 'n':
			break;
		case OPT_LIST_FIELDS:
			list_fields();
			return EXIT_OK;
		case 'h':
			fputs(usage_text, stdout);
			return EXIT_OK;
		case 'v':
			printf("tracewb %s\n", TW_VERSION);
			return EXIT_OK;
		default:
			fprintf(stderr, "Try 'tracewb --help' for more information.\n");
			return EXIT_USAGE;
		}
	}
	for (int i = optind; i < argc; i++)
		files[nfiles++] = argv[i];
	po.fields = fields;
	if (nfiles == 0)
		usage_error("%s", "no input file given");
	if (po.out == OUT_FIELDS && po.nfields == 0)
		usage_error("%s", "-T fields needs at least one -e FIELD");
	if (po.verbose && !explicit_print)
		po.summary = false;
	char err[512];
	if (!print_check_fields(&po, err, sizeof err))
		usage_error("%s", err);

	struct tw_timeline tl;
	timeline_init(&tl);
	struct tw_capture **caps = xcalloc(nfiles, sizeof *caps);
	size_t loaded = 0;
	for (size_t i = 0; i < nfiles; i++) {
		char *safe = tw_escape_dup(files[i], strlen(files[i]));
		caps[i] = capture_open(files[i], (uint16_t)i, err, sizeof err);
		if (!caps[i]) {
			fprintf(stderr, "tracewb: %s: %s\n", safe, err);
			free(safe);
			continue;
		}
		capture_load_all(caps[i]);
		if (capture_fatal(caps[i])) {
			fprintf(stderr, "tracewb: %s: %s\n", safe, capture_fatal(caps[i]));
			capture_close(caps[i]);
			caps[i] = NULL;
			free(safe);
			continue;
		}
		for (size_t w = 0; capture_warning(caps[i], w); w++)
			fprintf(stderr, "tracewb: %s: warning: %s\n", safe, capture_warning(caps[i], w));
		timeline_add_capture(&tl, caps[i], 0);
		loaded++;
		free(safe);
	}
	int rc = EXIT_OK;
	if (loaded == 0) {
		rc = EXIT_USAGE;
	} else {
		timeline_build(&tl);
		print_timeline(stdout, &tl, &po);
		if (fflush(stdout) != 0)
			rc = EXIT_USAGE;
	}
	timeline_free(&tl);
	for (size_t i = 0; i < nfiles; i++)
		capture_close(caps[i]);
	free(caps);
	free(files);
	free(fields);
	return rc;
}
