/*
 * tw.h - basics shared by every tracewb module.
 *
 * Time is int64 nanoseconds since the Unix epoch, UTC, everywhere.
 * Allocation failures abort (xmalloc family); callers never check for NULL.
 */
#ifndef TW_TW_H
#define TW_TW_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define TW_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TW_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TW_MAX(a, b) ((a) > (b) ? (a) : (b))

#if defined(__GNUC__)
#define TW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define TW_NORETURN __attribute__((noreturn))
#define TW_UNUSED __attribute__((unused))
#else
#define TW_PRINTF(f, a)
#define TW_NORETURN
#define TW_UNUSED
#endif

typedef int64_t tw_time; /* ns since 1970-01-01T00:00:00Z */
#define TW_NS_PER_SEC INT64_C(1000000000)

/* Allocation: abort with a message on exhaustion. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) TW_PRINTF(1, 2);

/* Severity of findings and of tree nodes; ordered. */
enum tw_sev { TW_SEV_NONE = 0, TW_SEV_NOTE, TW_SEV_WARN, TW_SEV_ERROR };
const char *tw_sev_name(enum tw_sev s);

#endif
