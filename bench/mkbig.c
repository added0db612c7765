/*
 * mkbig - build a large benchmark capture by replicating input captures.
 *
 *   mkbig OUT.pcap FRAMES IN.pcap...
 *
 * Copy k of every Ethernet/IPv4 frame gets its IPv4 addresses' middle two
 * octets replaced by k (so every copy is a distinct set of flows), with the
 * IPv4 header checksum and the TCP/UDP checksums recomputed, and its time
 * shifted so copies follow each other. Other frames are copied unchanged.
 * A benchmark tool, not part of tracewb; input is trusted test data but is
 * still length-checked.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pkt {
	struct pcap_pkthdr h;
	uint8_t *data;
};

static uint16_t
csum(const uint8_t *p, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)(p[n - 1] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void
rewrite(uint8_t *f, size_t caplen, unsigned k)
{
	if (caplen < 34 || f[12] != 0x08 || f[13] != 0x00)
		return;
	uint8_t *ip = f + 14;
	size_t ihl = (size_t)(ip[0] & 15) * 4;
	size_t tot = (size_t)(ip[2] << 8 | ip[3]);
	if ((ip[0] >> 4) != 4 || ihl < 20 || 14 + ihl > caplen)
		return;
	ip[13] = ip[17] = (uint8_t)(k >> 8);
	ip[14] = ip[18] = (uint8_t)k;
	ip[10] = ip[11] = 0;
	uint16_t c = csum(ip, ihl, 0);
	ip[10] = (uint8_t)(c >> 8);
	ip[11] = (uint8_t)c;
	if (tot < ihl || 14 + tot > caplen || (ip[6] & 0x3f) || ip[7])
		return; /* truncated or fragment: leave the L4 checksum */
	uint8_t *l4 = ip + ihl;
	size_t l4len = tot - ihl;
	int at = ip[9] == 6 ? 16 : ip[9] == 17 ? 6 : -1;
	if (at < 0 || l4len < (size_t)at + 2)
		return;
	if (ip[9] == 17 && l4[6] == 0 && l4[7] == 0)
		return;
	l4[at] = l4[at + 1] = 0;
	uint32_t ps = (uint32_t)(ip[12] << 8 | ip[13]) + (uint32_t)(ip[14] << 8 | ip[15]) +
	              (uint32_t)(ip[16] << 8 | ip[17]) + (uint32_t)(ip[18] << 8 | ip[19]) + ip[9] +
	              (uint32_t)l4len;
	c = csum(l4, l4len, ps);
	if (ip[9] == 17 && c == 0)
		c = 0xffff;
	l4[at] = (uint8_t)(c >> 8);
	l4[at + 1] = (uint8_t)c;
}

int
main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: mkbig OUT.pcap FRAMES IN.pcap...\n");
		return 2;
	}
	long want = atol(argv[2]);
	struct pkt *v = NULL;
	size_t n = 0, cap = 0;
	char err[PCAP_ERRBUF_SIZE];
	for (int i = 3; i < argc; i++) {
		pcap_t *p = pcap_open_offline_with_tstamp_precision(argv[i], PCAP_TSTAMP_PRECISION_NANO, err);
		if (!p) {
			fprintf(stderr, "mkbig: %s: %s\n", argv[i], err);
			continue;
		}
		if (pcap_datalink(p) != DLT_EN10MB) {
			pcap_close(p);
			continue;
		}
		struct pcap_pkthdr *h;
		const u_char *d;
		while (pcap_next_ex(p, &h, &d) == 1) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				v = realloc(v, cap * sizeof *v);
				if (!v)
					abort();
			}
			v[n].h = *h;
			v[n].data = malloc(h->caplen ? h->caplen : 1);
			if (!v[n].data)
				abort();
			memcpy(v[n].data, d, h->caplen);
			n++;
		}
		pcap_close(p);
	}
	if (!n) {
		fprintf(stderr, "mkbig: no Ethernet frames in the inputs\n");
		return 1;
	}
	pcap_t *dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 262144, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *out = pcap_dump_open(dead, argv[1]);
	if (!out) {
		fprintf(stderr, "mkbig: %s: %s\n", argv[1], pcap_geterr(dead));
		return 1;
	}
	uint8_t *buf = malloc(262144);
	long written = 0;
	int64_t base = (int64_t)1700000000 * 1000000000;
	for (unsigned k = 0; written < want; k++) {
		for (size_t i = 0; i < n && written < want; i++, written++) {
			struct pcap_pkthdr h = v[i].h;
			size_t cl = h.caplen < 262144 ? h.caplen : 262144;
			memcpy(buf, v[i].data, cl);
			rewrite(buf, cl, k);
			int64_t t = base + (int64_t)written * 1000; /* 1 us apart, monotonic */
			h.ts.tv_sec = t / 1000000000;
			h.ts.tv_usec = t % 1000000000;
			h.caplen = (bpf_u_int32)cl;
			pcap_dump((u_char *)out, &h, buf);
		}
	}
	pcap_dump_close(out);
	pcap_close(dead);
	free(buf);
	fprintf(stderr, "mkbig: wrote %ld frames (%zu distinct input frames) to %s\n", written, n, argv[1]);
	return 0;
}
