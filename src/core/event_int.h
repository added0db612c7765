/*
 * event_int.h - internals shared by event.c, event_load.c and event_tree.c.
 * Not for use outside src/core/event*.c.
 */
#ifndef TW_EVENT_INT_H
#define TW_EVENT_INT_H

#include "core/event.h"

/*
 * The string pool: entries are a varint length, the bytes and a NUL, and a
 * string is named by the offset of its entry (0 is reserved for "absent").
 * Short strings are interned through an open-addressing table of offsets.
 */
struct ev_pool {
	char *p;
	size_t n, cap;
	uint32_t *ht;      /* offsets, 0 = empty slot */
	size_t htcap, htn;
	bool full;         /* reached 4 GiB: further strings are dropped */
};

#define EV_INTERN_MAX 64     /* strings up to this length are interned */
#define EV_MAX_KV 4096       /* data fields kept per event */

void pool_init(struct ev_pool *pl);
void pool_free(struct ev_pool *pl);
tw_pstr pool_add(struct ev_pool *pl, const char *s, size_t n);
tw_pstr pool_intern(struct ev_pool *pl, const char *s, size_t n);
const char *pool_get(const struct ev_pool *pl, tw_pstr s, size_t *len);

#define EV_MAX_WARN_LIST 20  /* rejected/bad records listed one by one */

struct tw_events {
	char *path, *name;
	uint16_t source_id;
	struct ev_pool pool;
	struct tw_event *ev;
	uint32_t n, cap;
	struct tw_ev_kv *kv;
	size_t nkv, kvcap;
	char **warn;
	size_t nwarn, warncap;
	uint32_t nreject, nbad, ndup, nnaive, nprops_cut;
	uint32_t dialect_count[EV_DI_COUNT_];
	const char *framing, *encoding;
	int maxdigits;
	bool tz_set;
	int tz_min;
};

struct tw_events *events_new(const char *path, uint16_t source_id);
void events_warn(struct tw_events *ev, const char *fmt, ...) TW_PRINTF(2, 3);
/* Append a data pair; returns false when the pool is full. */
void events_push_kv(struct tw_events *ev, tw_pstr name, tw_pstr value);
/* Append an event (copied). */
void events_push(struct tw_events *ev, const struct tw_event *e);
/* Order by time, stable on file order. */
void events_sort(struct tw_events *ev);

/* Case-insensitive equality of pool strings of two sets. */
bool ev_str_ieq(const char *a, size_t al, const char *b, size_t bl);

#endif
