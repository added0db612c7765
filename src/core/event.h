/*
 * event.h - Windows event logs exported as JSON, as a source of events.
 *
 * One normalized struct per event whatever the export dialect (PowerShell
 * 5.1/7 ConvertTo-Json, evtx_dump -o json/jsonl, Winlogbeat 6/7/8, NXLog,
 * OTRF flat JSON; see doc and ../shared/reference/eventjson.md). The file's
 * content decides the dialect, record by record.
 *
 * Storage is compact: every string of a file (provider, channel, message,
 * data names and values) lives in one per-file string pool and events refer
 * to it by 32-bit offsets; short strings that repeat (names, hosts,
 * providers, "-") are stored once. Data fields are (name, value) pairs in
 * one vector per file. Nothing is allocated per event.
 *
 * Loading reads the whole file in one pass (memory-mapped; UTF-16 is
 * transcoded first), then orders the events by time (stable on file order).
 * Records that cannot be used are not dropped silently: malformed JSON,
 * records that are not events and events without a usable time are
 * counted and listed (events_problem).
 */
#ifndef TW_EVENT_H
#define TW_EVENT_H

#include "core/str.h"
#include "core/tree.h"
#include "core/tw.h"

/* Levels as Windows numbers them. */
enum tw_ev_level {
	EV_LEVEL_ALWAYS = 0, /* LogAlways: shown as Information (Security audits) */
	EV_LEVEL_CRITICAL = 1,
	EV_LEVEL_ERROR = 2,
	EV_LEVEL_WARNING = 3,
	EV_LEVEL_INFO = 4,
	EV_LEVEL_VERBOSE = 5,
	EV_LEVEL_UNKNOWN = 255,
};

/* How the export gave the time. */
enum tw_ev_tkind {
	EV_TIME_UTC = 0,     /* explicitly UTC (Z, /Date(ms)/) */
	EV_TIME_OFFSET,      /* local time with an offset (toff), converted */
	EV_TIME_NAIVE,       /* no zone: taken as UTC */
	EV_TIME_NAIVE_TZ,    /* no zone: shifted by --tz (toff) */
	EV_TIME_EPOCH,       /* a number of seconds since 1970 */
};

/* Export dialects (per event). */
enum tw_ev_dialect {
	EV_DI_UNKNOWN = 0,
	EV_DI_PS51,     /* Windows PowerShell 5.1 ConvertTo-Json (\/Date(ms)\/) */
	EV_DI_PS7,      /* PowerShell 7 ConvertTo-Json (ISO with offset) */
	EV_DI_EVTX,     /* omerbenamram evtx_dump -o json / jsonl */
	EV_DI_ECS,      /* Winlogbeat 7/8, Elastic Common Schema */
	EV_DI_WLB6,     /* Winlogbeat 6 */
	EV_DI_NXLOG,    /* NXLog im_msvistalog to_json() */
	EV_DI_FLAT,     /* OTRF 2021+ flat layout */
	EV_DI_COUNT_
};

enum tw_ev_flag {
	EVF_HAS_ID = 1u << 0,
	EVF_HAS_QUAL = 1u << 1,
	EVF_HAS_RECORD = 1u << 2,
	EVF_HAS_PID = 1u << 3,
	EVF_HAS_TID = 1u << 4,
	EVF_HAS_KEYWORDS = 1u << 5,
	EVF_MSG_RENDERED = 1u << 6,   /* no message in the export: tracewb renders the catalog's */
	EVF_PROPS_CUT = 1u << 7,      /* PowerShell depth cut Properties to type names */
	EVF_DATA_FROM_MSG = 1u << 8,  /* some data fields were read back from the message */
	EVF_DUP = 1u << 9,            /* a duplicate of an event loaded earlier: not shown */
	EVF_MERGED = 1u << 10,        /* duplicates of this event were merged into it */
	EVF_LEVEL_CATALOG = 1u << 11, /* the export had no level; the catalog's is shown */
	EVF_POSITIONAL = 1u << 12,    /* data had no names; names come from the catalog or paramN */
};

/* A string in the file's pool: 0 means absent. */
typedef uint32_t tw_pstr;

struct tw_event {
	tw_time ts;              /* ns UTC (after --tz) */
	uint64_t record_id;
	uint64_t keywords;
	uint32_t id;             /* event id (PowerShell: the low 16 bits, as Windows shows it) */
	uint32_t pid, tid;
	tw_pstr provider, channel, computer, user, activity, message, kwnames, udroot;
	uint32_t kv;             /* first data pair */
	uint32_t line;           /* line of the file where the record starts */
	uint16_t nkv;            /* data pairs */
	uint16_t qualifiers;
	int16_t toff;            /* minutes east of UTC for EV_TIME_OFFSET / EV_TIME_NAIVE_TZ */
	uint8_t level;           /* enum tw_ev_level */
	uint8_t tkind;           /* enum tw_ev_tkind */
	uint8_t dialect;         /* enum tw_ev_dialect */
	uint8_t tdigits;         /* fractional digits the export gave */
	uint16_t flags;          /* enum tw_ev_flag */
};

struct tw_ev_kv {
	tw_pstr name, value;
};

struct tw_events;

struct tw_event_opts {
	bool tz_set;             /* --tz applies to this file */
	int tz_min;              /* minutes east of UTC for zone-less times */
};

/*
 * Load an event export. On failure returns NULL with a one-line reason in
 * err (unreadable, empty, not JSON, not an event export, malformed before
 * any event). Warnings (bad lines, rejected events) are kept with the set.
 */
struct tw_events *events_load(const char *path, uint16_t source_id, const struct tw_event_opts *o,
                              char *err, size_t errlen);
/* The same from memory (tests); name is used in messages. */
struct tw_events *events_load_mem(const char *name, const void *p, size_t n, uint16_t source_id,
                                  const struct tw_event_opts *o, char *err, size_t errlen);
void events_free(struct tw_events *ev);

const char *events_path(const struct tw_events *ev);
const char *events_name(const struct tw_events *ev);   /* base name */
uint16_t events_source_id(const struct tw_events *ev);
/* "PowerShell 5.1 ConvertTo-Json", ... : the dialect of most of the file's events. */
const char *events_dialect(const struct tw_events *ev);
/* "JSON array", "JSON lines", "evtx_dump Record blocks", ... */
const char *events_framing(const struct tw_events *ev);
/* "UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", "UTF-16BE with BOM" */
const char *events_encoding(const struct tw_events *ev);
/* Fractional digits for the time column (6 or 9, from the export's precision). */
int events_ts_digits(const struct tw_events *ev);

uint32_t events_count(const struct tw_events *ev);        /* loaded events, in time order */
const struct tw_event *events_get(const struct tw_events *ev, uint32_t i);
/* Counters: records rejected (no usable time, not an event), bad JSON records, duplicates. */
uint32_t events_rejected(const struct tw_events *ev);
uint32_t events_bad_json(const struct tw_events *ev);
uint32_t events_duplicates(const struct tw_events *ev);
/* Events whose times had no zone (taken as UTC or shifted by --tz). */
uint32_t events_naive_times(const struct tw_events *ev);

/* Warnings and rejections, one line each; NULL past the end. */
const char *events_warning(const struct tw_events *ev, size_t i);

/* Pool strings: pointer and length (NULL and 0 when absent). */
const char *events_str(const struct tw_events *ev, tw_pstr s, size_t *len);
/*
 * The event's message: the export's, or (EVF_MSG_RENDERED) rendered from
 * the catalog's template into scratch (a heap sb). NULL when there is none.
 */
const char *events_message(const struct tw_events *ev, const struct tw_event *e, struct tw_sb *scratch,
                           size_t *len);
/* Data pairs of event e. */
const struct tw_ev_kv *events_kv(const struct tw_events *ev, const struct tw_event *e);
/* Value of data field `name` (exact), or NULL. */
const char *events_data(const struct tw_events *ev, const struct tw_event *e, const char *name, size_t *len);

/*
 * Mark duplicates across (and within) sets: same computer and channel
 * (case-insensitive) and record id. The first occurrence in command-line
 * order stays; later ones get EVF_DUP and are counted on their set.
 * Returns the number of duplicates found.
 */
size_t events_dedupe(struct tw_events *const *sets, size_t n);

/* Names for display. */
const char *ev_level_name(unsigned level);
const char *ev_dialect_name(unsigned dialect);

/*
 * Time parsing (exposed for tests): ISO 8601 (T or space, 0-9 fractional
 * digits, Z or +-hh:mm or +-hhmm or none), "/Date(ms)/" with an optional
 * +-hhmm (the milliseconds are UTC either way). On success sets *t (ns,
 * UTC for zoned times, or as if UTC for naive ones), *kind (EV_TIME_UTC,
 * EV_TIME_OFFSET, EV_TIME_NAIVE), *off_min and *digits.
 */
bool ev_parse_time(const char *s, size_t n, tw_time *t, int *kind, int *off_min, int *digits);
/* "+hh:mm", "-hh:mm", "+hhmm", "+hh", "Z", "UTC" into minutes east of UTC. */
bool ev_parse_tz(const char *s, int *minutes);

/*
 * UTF-16 (LE or BE, no BOM in p) to UTF-8. Lone surrogates become U+FFFD
 * and are counted in *bad; an odd trailing byte is counted too. Returns a
 * heap buffer of *outlen bytes (NUL-terminated).
 */
char *ev_utf16_to_utf8(const uint8_t *p, size_t n, bool be, size_t *outlen, size_t *bad);

/* ---- summary and detail tree ------------------------------------------ */

/* The Info column: "E 36888 Schannel Error  A fatal alert was generated ..." (escaped). */
void event_info(struct tw_sb *sb, const struct tw_events *ev, const struct tw_event *e);
/* The detail tree of event i (tree reset first). */
void event_tree(const struct tw_events *ev, uint32_t i, struct tw_tree *t);

/* Field tables of the event module, NULL-terminated (walked by field.c). */
extern const struct tw_field_table *const tw_event_field_tables[];
/* The generic event.data field; data nodes use per-name descriptors whose abbrev starts "event.data.". */
extern const struct tw_field ev_field_data;
#define EV_DATA_PREFIX "event.data."

#endif
