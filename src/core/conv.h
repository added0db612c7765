/*
 * conv.h - the conversation table: one entry per TCP connection or UDP
 * 5-tuple, filled during the load pass and read when frames are dissected
 * again later (stream index, relative sequence bases, window scaling,
 * per-direction counters).
 */
#ifndef TW_CONV_H
#define TW_CONV_H

#include "core/dissect/dissect.h"
#include "core/reasm.h"

#define CONV_NONE UINT32_MAX

enum conv_state {
	CONV_SYN = 1,      /* SYN from side 0 seen */
	CONV_SYNACK = 2,   /* SYN+ACK from side 1 seen */
	CONV_FIN0 = 4,
	CONV_FIN1 = 8,
	CONV_RST = 16,
	CONV_DATA = 32,
};

struct tw_conv {
	struct tw_addr addr[2]; /* [0] is the initiator (SYN sender or first seen) */
	uint16_t port[2];
	uint8_t proto;          /* 6 TCP, 17 UDP */
	uint8_t state;          /* enum conv_state */
	uint8_t app;            /* enum tw_app: what the payload is reassembled as */
	/* TCP analysis state per direction (Wireshark's tcp_analyze_seq_info). */
	uint16_t dupacks[2];    /* duplicate ACKs in a row (saturating) */
	uint8_t an_last[2];     /* analysis of the direction's last segment (AN_LAST_*) */
	uint8_t have_maxseq[2];
	uint32_t nondup[2];     /* frame number of the last ACK that was not a duplicate */
	uint32_t lastwin[2];    /* last (scaled) window value seen per direction */
	uint32_t lastack[2];    /* last acknowledgment per direction */
	uint32_t maxseq[2];     /* next expected seq: highest seq + len seen per direction */
	uint32_t tobeacked[2];  /* highest contiguous seq + len ("max seq to be acked") */
	tw_time maxseq_ts[2];   /* when maxseq last advanced */
	tw_time lastack_ts[2];  /* when lastack was last set */
	tw_time syn_ts;         /* the last SYN (without ACK) */
	tw_time first_rtt;      /* SYN to the first ACK of the handshake; 0 unknown */
	uint8_t rst_dir;
	uint32_t fin_frame[2];  /* first FIN sent by each side (frame number, 0 none) */
	uint32_t rst_frame;     /* first RST (frame number, 0 none) */
	tw_time fin_ts[2], rst_ts;
	uint8_t have_base[2];
	int8_t wscale[2];       /* shift; -1 unknown, -2 not in use */
	uint32_t stream;        /* tcp.stream or udp.stream */
	uint32_t base_seq[2];
	uint32_t first_frame, last_frame;
	tw_time first_ts, last_ts;
	uint64_t frames[2], bytes[2];
	uint32_t hash_next;
};

struct tw_convs {
	struct tw_conv *v;
	uint32_t n, cap;
	uint32_t *bucket;
	uint32_t nbucket;
	uint32_t nstream[2];    /* next stream index: [0] TCP, [1] UDP */
	uint32_t last;          /* the last conversation found: consecutive packets usually share it */
	struct tw_reasm *reasm; /* TCP reassembly of this source */
	struct dns_table *dns;  /* DNS query/response matching (dns.c) */
	struct tls_table *tls;  /* TLS connections (dissect/tls.c) */
	void *http;             /* HTTP request/response pairs (dissect/http.c) */
	/* Duplicate ACKs in frame order: "[TCP Dup ACK nondup#num]" (tcp.c). */
	struct tw_dupack {
		uint32_t frame;     /* 0-based frame index */
		uint32_t nondup;    /* frame number of the last ACK that was not a duplicate */
		uint32_t num;       /* how many duplicates in a row */
	} *dupack;
	uint32_t ndupack, capdupack;
};

void convs_init(struct tw_convs *cs);
void convs_free(struct tw_convs *cs);

/* Find the conversation of a packet (either direction); CONV_NONE if absent. Only reads. */
uint32_t conv_find(const struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
                   const struct tw_addr *dst, uint16_t dport);
/* The same for the load pass: also remembers the match (consecutive packets usually share it). */
uint32_t conv_find_load(struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
                        const struct tw_addr *dst, uint16_t dport);
/* Add a new conversation with src as side 0; newer ones shadow older ones. */
uint32_t conv_add(struct tw_convs *cs, uint8_t proto, const struct tw_addr *src, uint16_t sport,
                  const struct tw_addr *dst, uint16_t dport);
/* 0 when the packet goes from side 0 to side 1, else 1. */
int conv_dir(const struct tw_conv *cv, const struct tw_addr *src, uint16_t sport);

#endif
