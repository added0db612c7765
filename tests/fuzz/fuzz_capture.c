/*
 * fuzz_capture.c - the whole-file capture path: the input is written to a
 * memfd and opened by path (capture_open memory-maps the file), indexed
 * (the load pass: conversations, reassembly, TLS/DNS state), then every
 * frame is dissected without and with a tree, and the timeline is printed
 * as -P -V -x (inputs up to 64 KiB) and -T json (up to 16 KiB) into
 * /dev/null: printing is the slow part, and the -cuts replay of
 * tests/cli/hostile.sh makes many large inputs. TW_FUZZ_NOPRINT set in
 * the environment: no printing at all (load and dissect only).
 */
#include "core/capture.h"
#include "core/dissect/dissect.h"
#include "core/tree.h"
#include "merge/print.h"
#include "merge/timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	int fd = memfd_create("fuzz", 0);
	if (fd < 0)
		return 0;
	size_t off = 0;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	char path[64], err[256];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	struct tw_capture *cap = capture_open(path, 0, err, sizeof err);
	if (cap) {
		capture_load_all(cap);
		for (size_t i = 0; capture_warning(cap, i); i++)
			fputs(capture_warning(cap, i), devnull);
		static int print = -1;
		if (print < 0)
			print = !getenv("TW_FUZZ_NOPRINT");
		if (!capture_fatal(cap)) {
			struct tw_dctx c;
			struct tw_tree t;
			tree_init(&t, true);
			uint32_t n = capture_count(cap);
			for (uint32_t i = 0; i < n; i++) {
				capture_dissect(cap, i, &c, NULL);
				capture_dissect(cap, i, &c, &t);
			}
			tree_free(&t);
			struct tw_timeline tl;
			timeline_init(&tl);
			timeline_add_capture(&tl, cap, 0);
			timeline_build(&tl);
			struct tw_print_opts o;
			print_opts_init(&o);
			o.summary = true;
			o.verbose = true;
			o.hex = true;
			if (print && size <= 65536)
				print_timeline(devnull, &tl, &o);
			o.out = OUT_JSON;
			if (print && size <= 16384)
				print_timeline(devnull, &tl, &o);
			timeline_free(&tl);
		}
		capture_close(cap);
	}
	close(fd);
	return 0;
}
