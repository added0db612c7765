/*
 * mkevents.c - a large JSON-lines event export for `make bench`, made from
 * the test fixtures: the fixture lines are repeated in turn, each copy with
 * its own record id (so no two are duplicates) and a time 1 ms after the
 * previous one (so the file is in time order, as exports are).
 *
 *   mkevents OUT COUNT FIXTURE.jsonl...
 *
 * Record ids: the digits after "EventRecordID":, "record_id": or
 * "RecordNumber": (quoted or not). Times: the string after "SystemTime":
 * or "@timestamp":. Lines without them are copied as they are.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct line {
	char *s;
	size_t n;
};

static const char *const rec_keys[] = { "\"EventRecordID\":", "\"record_id\":", "\"RecordNumber\":" };
static const char *const time_keys[] = { "\"SystemTime\":\"", "\"@timestamp\":\"" };

/* First occurrence of any key; sets *klen. */
static const char *
find_key(const char *s, size_t n, const char *const *keys, size_t nk, size_t *klen)
{
	const char *best = NULL;
	for (size_t k = 0; k < nk; k++) {
		const char *p = memmem(s, n, keys[k], strlen(keys[k]));
		if (p && (!best || p < best)) {
			best = p;
			*klen = strlen(keys[k]);
		}
	}
	return best;
}

int
main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: mkevents OUT COUNT FIXTURE.jsonl...\n");
		return 2;
	}
	long count = strtol(argv[2], NULL, 10);
	struct line *lines = NULL;
	size_t nl = 0, cap = 0;
	for (int a = 3; a < argc; a++) {
		FILE *f = fopen(argv[a], "r");
		if (!f) {
			perror(argv[a]);
			return 1;
		}
		char *buf = NULL;
		size_t bcap = 0;
		ssize_t r;
		while ((r = getline(&buf, &bcap, f)) > 0) {
			while (r && (buf[r - 1] == '\n' || buf[r - 1] == '\r'))
				r--;
			if (!r)
				continue;
			if (nl == cap) {
				cap = cap ? cap * 2 : 64;
				lines = realloc(lines, cap * sizeof *lines);
				if (!lines)
					return 1;
			}
			lines[nl].s = malloc((size_t)r);
			if (!lines[nl].s)
				return 1;
			memcpy(lines[nl].s, buf, (size_t)r);
			lines[nl].n = (size_t)r;
			nl++;
		}
		free(buf);
		fclose(f);
	}
	if (!nl) {
		fprintf(stderr, "mkevents: no lines in the fixtures\n");
		return 1;
	}
	FILE *out = fopen(argv[1], "w");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	setvbuf(out, NULL, _IOFBF, 1 << 20);
	time_t base = 1795392000; /* 2026-11-23T00:00:00Z */
	for (long i = 0; i < count; i++) {
		const struct line *l = &lines[(size_t)i % nl];
		const char *s = l->s, *end = l->s + l->n;
		size_t kl = 0, tl = 0;
		const char *rk = find_key(s, l->n, rec_keys, 3, &kl);
		const char *tk = find_key(s, l->n, time_keys, 2, &tl);
		/* The (at most two) places to rewrite, in order of position. */
		struct {
			const char *at; /* first byte of the value */
			int what;       /* 1 record id, 2 time */
		} sub[2];
		int ns = 0;
		if (rk)
			sub[ns].at = rk + kl, sub[ns++].what = 1;
		if (tk)
			sub[ns].at = tk + tl, sub[ns++].what = 2;
		if (ns == 2 && sub[1].at < sub[0].at) {
			const char *a = sub[0].at;
			int w = sub[0].what;
			sub[0] = sub[1];
			sub[1].at = a, sub[1].what = w;
		}
		const char *pos = s;
		for (int k = 0; k < ns; k++) {
			const char *v = sub[k].at;
			fwrite(pos, 1, (size_t)(v - pos), out);
			if (sub[k].what == 1) {
				int quoted = v < end && *v == '"';
				if (quoted)
					v++;
				while (v < end && *v >= '0' && *v <= '9')
					v++;
				if (quoted && v < end && *v == '"')
					v++;
				fprintf(out, quoted ? "\"%ld\"" : "%ld", 1000000 + i);
			} else {
				while (v < end && *v != '"')
					v++;
				time_t t = base + i / 1000;
				struct tm tm;
				gmtime_r(&t, &tm);
				fprintf(out, "%04d-%02d-%02dT%02d:%02d:%02d.%03ld0000Z", tm.tm_year + 1900, tm.tm_mon + 1,
				        tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, i % 1000);
			}
			pos = v;
		}
		fwrite(pos, 1, (size_t)(end - pos), out);
		fputc('\n', out);
	}
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	for (size_t i = 0; i < nl; i++)
		free(lines[i].s);
	free(lines);
	return 0;
}
