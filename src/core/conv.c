/* conv.c - conversation table (see conv.h): chained hash over a flat array. */
#include "core/conv.h"

#include "core/dissect/tls.h"

#include <stdlib.h>
#include <string.h>

void
convs_init(struct tw_convs *cs)
{
	memset(cs, 0, sizeof *cs);
	cs->nbucket = 1024;
	cs->bucket = xmalloc(cs->nbucket * sizeof *cs->bucket);
	memset(cs->bucket, 0xff, cs->nbucket * sizeof *cs->bucket);
	cs->last = CONV_NONE;
	cs->reasm = reasm_new(0);
}

void
convs_free(struct tw_convs *cs)
{
	free(cs->v);
	free(cs->bucket);
	free(cs->dupack);
	reasm_free(cs->reasm);
	dns_table_free(cs->dns);
	tls_table_free(cs->tls);
	http_state_free(cs->http);
	memset(cs, 0, sizeof *cs);
}

static uint32_t
hash_side(const struct tw_addr *a, uint16_t port)
{
	/* FNV-1a over address and port. */
	uint32_t h = 2166136261u;
	size_t n = a->type == AT_IPV6 ? 16 : 4;
	for (size_t i = 0; i < n; i++)
		h = (h ^ a->a[i]) * 16777619u;
	h = (h ^ (port & 0xff)) * 16777619u;
	h = (h ^ (port >> 8)) * 16777619u;
	return h;
}

/*
 * Symmetric: the same for both directions. The two sides are combined in a
 * fixed order (not XORed, which cancels when endpoints differ in a few bits).
 */
static uint32_t
conv_hash(uint8_t proto, const struct tw_addr *a, uint16_t pa, const struct tw_addr *b, uint16_t pb)
{
	uint32_t x = hash_side(a, pa), y = hash_side(b, pb);
	uint32_t lo = x < y ? x : y, hi = x < y ? y : x;
	uint32_t h = (lo * 0x9e3779b1u) ^ hi;
	h ^= h >> 15;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	return h + proto;
}

static bool
side_eq(const struct tw_conv *cv, int i, const struct tw_addr *a, uint16_t p)
{
	return cv->port[i] == p && addr_eq(&cv->addr[i], a);
}

uint32_t
conv_find(const struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
          const struct tw_addr *dst, uint16_t dport)
{
	if (!cs->bucket)
		return CONV_NONE;
	if (cs->last < cs->n) {
		/* Newer conversations shadow older ones: the cache holds only the newest. */
		const struct tw_conv *cv = &cs->v[cs->last];
		if (cv->proto == proto && ((side_eq(cv, 0, src, sport) && side_eq(cv, 1, dst, dport)) ||
		                           (side_eq(cv, 1, src, sport) && side_eq(cv, 0, dst, dport))))
			return cs->last;
	}
	uint32_t h = conv_hash(proto, src, sport, dst, dport) & (cs->nbucket - 1);
	for (uint32_t i = cs->bucket[h]; i != CONV_NONE; i = cs->v[i].hash_next) {
		const struct tw_conv *cv = &cs->v[i];
		if (cv->proto != proto)
			continue;
		if ((side_eq(cv, 0, src, sport) && side_eq(cv, 1, dst, dport)) ||
		    (side_eq(cv, 1, src, sport) && side_eq(cv, 0, dst, dport)))
			return i;
	}
	return CONV_NONE;
}

uint32_t
conv_find_load(struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
               const struct tw_addr *dst, uint16_t dport)
{
	uint32_t i = conv_find(cs, proto, src, sport, dst, dport);
	if (i != CONV_NONE)
		cs->last = i; /* the first match is the newest conversation of its tuple */
	return i;
}

static void
rehash(struct tw_convs *cs)
{
	uint32_t nb = cs->nbucket * 2;
	uint32_t *b = xmalloc(nb * sizeof *b);
	memset(b, 0xff, nb * sizeof *b);
	/* Re-insert oldest first so newer conversations stay in front. */
	for (uint32_t i = 0; i < cs->n; i++) {
		struct tw_conv *cv = &cs->v[i];
		uint32_t h = conv_hash(cv->proto, &cv->addr[0], cv->port[0], &cv->addr[1], cv->port[1]) & (nb - 1);
		cv->hash_next = b[h];
		b[h] = i;
	}
	free(cs->bucket);
	cs->bucket = b;
	cs->nbucket = nb;
}

uint32_t
conv_add(struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
         const struct tw_addr *dst, uint16_t dport)
{
	if (cs->n == cs->cap) {
		cs->cap = cs->cap ? cs->cap * 2 : 256;
		cs->v = xreallocarray(cs->v, cs->cap, sizeof *cs->v);
	}
	uint32_t i = cs->n++;
	cs->last = i; /* the newest conversation of its tuple */
	struct tw_conv *cv = &cs->v[i];
	memset(cv, 0, sizeof *cv);
	cv->addr[0] = *src;
	cv->addr[1] = *dst;
	cv->port[0] = sport;
	cv->port[1] = dport;
	cv->proto = proto;
	cv->wscale[0] = cv->wscale[1] = -1;
	cv->stream = cs->nstream[proto == 6 ? 0 : 1]++;
	cv->first_frame = cv->last_frame = 0;
	if (cs->n > cs->nbucket / 2) { /* short chains: each step is a cache miss */
		rehash(cs);
	} else {
		uint32_t h = conv_hash(proto, src, sport, dst, dport) & (cs->nbucket - 1);
		cv->hash_next = cs->bucket[h];
		cs->bucket[h] = i;
	}
	return i;
}

int
conv_dir(const struct tw_conv *cv, const struct tw_addr *src, uint16_t sport)
{
	return side_eq(cv, 0, src, sport) ? 0 : 1;
}
