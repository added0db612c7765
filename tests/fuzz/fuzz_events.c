/*
 * fuzz_events.c - the event-JSON loader on the input bytes. The loader
 * sniffs the encoding (UTF-8, BOMs, UTF-16), the framing (array, JSON
 * lines, evtx_dump Record blocks) and each record's dialect itself, so
 * one target covers every dialect. Every loaded event's message, data
 * pairs and warnings are then read back.
 */
#include "core/event.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	struct tw_event_opts o = { .tz_set = size & 1, .tz_min = 90 };
	struct tw_events *ev = events_load_mem("fuzz.json", data, size, 0, &o, err, sizeof err);
	if (!ev)
		return 0;
	volatile size_t sink = 0;
	for (uint32_t i = 0; i < events_count(ev); i++) {
		const struct tw_event *e = events_get(ev, i);
		size_t len;
		const char *s = events_str(ev, e->message, &len);
		if (s && len)
			sink += (unsigned char)s[len - 1];
		s = events_str(ev, e->provider, &len);
		if (s && len)
			sink += (unsigned char)s[0];
	}
	for (size_t i = 0; events_warning(ev, i); i++)
		sink += events_warning(ev, i)[0];
	(void)events_dialect(ev);
	(void)events_framing(ev);
	(void)events_encoding(ev);
	(void)sink;
	events_free(ev);
	return 0;
}
