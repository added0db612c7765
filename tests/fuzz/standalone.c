/*
 * standalone.c - main() for the fuzz harnesses without libFuzzer (like
 * Wireshark's StandaloneFuzzTargetMain): runs LLVMFuzzerTestOneInput once
 * on each file named on the command line, or on every file of a directory.
 * Used to replay corpora and tests/data/regress/ in the ASan build (gcc).
 *
 *   fuzz_X [-cuts=EVERY,STEP,UPTO,BEYOND] FILE|DIR...
 *
 * With -cuts, each file is run cut at every offset below EVERY, at every
 * STEP-th offset below UPTO, and at BEYOND offsets spread over the rest
 * (tests/cli/hostile.sh: truncation without a process per cut).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static size_t cut_every, cut_step = 1, cut_upto, cut_beyond;
static bool cuts;

static void
run_cut(const uint8_t *p, size_t n)
{
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, p, n);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
}

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 1;
	}
	size_t cap = 4096, n = 0;
	uint8_t *p = malloc(cap);
	size_t r;
	while (p && (r = fread(p + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap) {
			uint8_t *q = realloc(p, cap *= 2);
			if (!q) {
				free(p);
				p = NULL;
			}
			p = q;
		}
	}
	fclose(f);
	if (!p)
		return 1;
	/* An exact-size heap copy: the sanitizer sees any read past the input. */
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, p, n);
	free(p);
	fprintf(stderr, "replay %s (%zu bytes)\n", path, n);
	if (cuts) {
		size_t runs = 0;
		for (size_t i = 0; i < n && i < cut_upto; i += i < cut_every ? 1 : cut_step, runs++)
			run_cut(exact, i);
		for (size_t k = 0; n > cut_upto && k < cut_beyond; k++, runs++)
			run_cut(exact, cut_upto + (n - cut_upto) * k / cut_beyond);
		fprintf(stderr, "  %zu cuts\n", runs);
	} else {
		LLVMFuzzerTestOneInput(exact, n);
	}
	free(exact);
	return 0;
}

int
main(int argc, char **argv)
{
	int rc = 0;
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (strncmp(argv[i], "-cuts=", 6) == 0) {
			cuts = sscanf(argv[i] + 6, "%zu,%zu,%zu,%zu", &cut_every, &cut_step, &cut_upto, &cut_beyond) == 4;
			if (!cuts || !cut_step) {
				fprintf(stderr, "bad %s\n", argv[i]);
				return 2;
			}
			continue;
		}
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			while (d && (e = readdir(d))) {
				if (e->d_name[0] == '.')
					continue;
				char path[4096];
				snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
				rc |= run_file(path);
			}
			if (d)
				closedir(d);
		} else {
			rc |= run_file(argv[i]);
		}
	}
	return rc;
}
