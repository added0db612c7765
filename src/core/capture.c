/*
 * capture.c - pcap/pcapng loading through libpcap, with an index of file
 * offsets into a read-only memory mapping (see capture.h).
 *
 * libpcap does the reading and the format work (byte orders, timestamp
 * resolutions, pcapng interfaces and sections). To find each frame's bytes
 * in the mapping we follow the file's record structure alongside libpcap
 * with the byte cursor, and confirm every location with memcmp against the
 * bytes libpcap returned; if the walk ever disagrees we fall back to the
 * stdio position libpcap left behind. A frame is never shown with bytes
 * that are not its own.
 */
#include "core/capture.h"

#include "core/buf.h"
#include "core/dissect/dissect.h"
#include "core/dissect/http.h"
#include "core/dissect/tls.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define CAPTURE_IOBUF (256 * 1024)

struct tw_capture {
	char *path;
	const char *name;
	uint16_t id;
	pcap_t *pc;
	FILE *fp;
	char *iobuf;       /* fp's stdio buffer */
	int linktype;
	bool pcapng;
	bool swapped;      /* pcap: the file is big endian */
	bool ng_be;        /* pcapng: current section is big endian */
	int digits;
	const uint8_t *map;
	size_t map_len;
	uint64_t pos;      /* expected offset of the next record/block */
	struct tw_frame *frames;
	uint32_t n, cap;
	struct tw_convs convs;
	char **warn;
	size_t nwarn;
	bool done;
	bool missing_warned;
	char *fatal;
	struct tw_arena *scratch; /* reassembled bytes for summary-only dissection */
	struct tw_dctx *ctx; /* reused for the load pass */
};

static void
add_warning(struct tw_capture *cap, const char *fmt, ...) TW_PRINTF(2, 3);

static void
add_warning(struct tw_capture *cap, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	cap->warn = xreallocarray(cap->warn, cap->nwarn + 1, sizeof *cap->warn);
	cap->warn[cap->nwarn++] = xstrdup(buf);
}

static int
dlt_to_linktype(int dlt)
{
	switch (dlt) {
#ifdef DLT_RAW
	case DLT_RAW: return LINKTYPE_RAW;
#endif
	default: return dlt;
	}
}

/* Identify the format from the first bytes; NULL when it is a capture libpcap reads. */
static const char *
sniff_format(const uint8_t *p, size_t n)
{
	if (n < 4)
		return "too short to be a capture file";
	uint32_t be = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
	switch (be) {
	case 0xa1b2c3d4: case 0xd4c3b2a1: case 0xa1b23c4d: case 0x4d3cb2a1: case 0x0a0d0d0a:
		return NULL;
	case 0xa1b2cd34: case 0x34cdb2a1:
		return NULL; /* Kuznetzov/modified pcap: libpcap reads it */
	default:
		break;
	}
	if (p[0] == 0x1f && p[1] == 0x8b)
		return "gzip-compressed file: libpcap cannot read compressed captures; decompress it first (zcat FILE > FILE.pcap)";
	if (n >= 8 && memcmp(p, "\x7f" "ELF", 4) == 0)
		return "not a capture file (an ELF executable)";
	if (n >= 8 && memcmp(p, "ElfFile", 7) == 0)
		return "not a capture file (a Windows EVTX event log; export it to JSON first)";
	if (n >= 4 && memcmp(p, "GMBU", 4) == 0)
		return "a Microsoft Network Monitor capture, which libpcap cannot read; convert it with editcap -F pcapng";
	if (n >= 8 && memcmp(p, "snoop\0\0\0", 8) == 0)
		return "a Solaris snoop capture, which libpcap cannot read; convert it with editcap -F pcapng";
	if (p[0] == '{' || p[0] == '[' || (n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf) ||
	    (n >= 2 && p[0] == 0xff && p[1] == 0xfe))
		return "not a capture file (looks like text or JSON)";
	return "not a capture file (unknown format)";
}

struct tw_capture *
capture_open(const char *path, uint16_t source_id, char *err, size_t errlen)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory, not a capture file");
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		return NULL;
	}
	if (st.st_size == 0) {
		snprintf(err, errlen, "empty file (0 bytes): not a capture");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		snprintf(err, errlen, "cannot map the file: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	madvise(map, len, MADV_SEQUENTIAL);
	const char *why = sniff_format(map, len);
	if (why) {
		snprintf(err, errlen, "%s", why);
		munmap(map, len);
		close(fd);
		return NULL;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s", strerror(errno));
		munmap(map, len);
		close(fd);
		return NULL;
	}
	/*
	 * libpcap reads through stdio: 256 KiB reads instead of the block
	 * size's (4 KiB). glibc takes the size only with a buffer given; it
	 * must outlive the stream (freed after pcap_close).
	 */
	char *iobuf = xmalloc(CAPTURE_IOBUF);
	setvbuf(fp, iobuf, _IOFBF, CAPTURE_IOBUF);
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!pc) {
		if (strstr(ebuf, "different from the type of the first interface"))
			snprintf(err, errlen,
			         "libpcap cannot read this pcapng file: its interfaces have different link-layer types "
			         "(libpcap: %s). Split it per interface first, e.g. "
			         "tshark -r FILE -Y frame.interface_id==0 -w OUT.pcapng",
			         ebuf);
		else if (strstr(ebuf, "truncated dump file") || strstr(ebuf, "truncated pcapng"))
			snprintf(err, errlen, "file cut inside its header (%s)", ebuf);
		else
			snprintf(err, errlen, "%s", ebuf[0] ? ebuf : "libpcap cannot read this file");
		fclose(fp);
		free(iobuf);
		munmap(map, len);
		return NULL;
	}

	struct tw_capture *cap = xcalloc(1, sizeof *cap);
	cap->path = xstrdup(path);
	const char *slash = strrchr(cap->path, '/');
	cap->name = slash ? slash + 1 : cap->path;
	cap->id = source_id;
	cap->pc = pc;
	cap->fp = fp;
	cap->iobuf = iobuf;
	cap->map = map;
	cap->map_len = len;
	cap->linktype = dlt_to_linktype(pcap_datalink(pc));
	const uint8_t *m = map;
	cap->pcapng = m[0] == 0x0a && m[1] == 0x0d && m[2] == 0x0d && m[3] == 0x0a;
	cap->swapped = !cap->pcapng && m[0] == 0xa1; /* a1b2c3d4 / a1b23c4d / a1b2cd34: big endian */
	cap->digits = 6;
	if (!cap->pcapng) {
		bool nano = (m[0] == 0xa1 && m[2] == 0x3c) || (m[0] == 0x4d && m[1] == 0x3c);
		cap->digits = nano ? 9 : 6;
		cap->pos = 24;
	} else {
		cap->digits = 9; /* per interface; shown with full precision */
		cap->pos = 0;
	}
	convs_init(&cap->convs);
	cap->ctx = xcalloc(1, sizeof *cap->ctx);
	if (!linktype_supported(cap->linktype))
		add_warning(cap, "unsupported link type %d (%s): frames are listed undissected", cap->linktype,
		            pcap_datalink_val_to_name(pcap_datalink(pc)) ? pcap_datalink_val_to_name(pcap_datalink(pc)) : "unknown");
	return cap;
}

static uint32_t
rd32(const uint8_t *p, bool be)
{
	return be ? ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3]
	          : p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint16_t
rd16(const uint8_t *p, bool be)
{
	return be ? (uint16_t)((p[0] << 8) | p[1]) : (uint16_t)(p[0] | (p[1] << 8));
}

/* Does the mapping hold exactly these bytes at off? */
static bool
bytes_at(const struct tw_capture *cap, uint64_t off, const uint8_t *data, uint32_t n)
{
	return off <= cap->map_len && n <= cap->map_len - off && memcmp(cap->map + off, data, n) == 0;
}

/*
 * Walk the file's own structure from cap->pos to the record libpcap just
 * returned. Returns true with data_off and iface set and cap->pos advanced.
 */
static bool
locate_walk(struct tw_capture *cap, const uint8_t *data, uint32_t caplen, uint64_t *data_off,
            uint16_t *iface)
{
	if (!cap->pcapng) {
		if (cap->pos > cap->map_len || cap->map_len - cap->pos < 16)
			return false;
		const uint8_t *h = cap->map + cap->pos;
		uint32_t incl = rd32(h + 8, cap->swapped);
		uint64_t off = cap->pos + 16;
		if (!bytes_at(cap, off, data, caplen))
			return false;
		*data_off = off;
		*iface = 0;
		cap->pos = off + incl;
		return true;
	}
	struct tw_buf b = buf_init(cap->map, cap->map_len, cap->map_len, 0);
	for (int guard = 0; guard < 100000; guard++) {
		if (cap->pos > cap->map_len || cap->map_len - cap->pos < 12)
			return false;
		b.off = (size_t)cap->pos;
		const uint8_t *h = buf_ptr(&b, 12);
		if (!h)
			return false;
		uint32_t type = rd32(h, cap->ng_be);
		if (type == 0x0a0d0d0a) {
			/* Section header: the byte-order magic sets the section's endianness. */
			cap->ng_be = h[8] == 0x1a;
			type = 0x0a0d0d0a;
		}
		uint32_t blen = rd32(h + 4, cap->ng_be);
		if (blen < 12 || blen > cap->map_len - cap->pos)
			return false;
		uint64_t start = cap->pos;
		cap->pos += blen;
		uint64_t off;
		switch (type) {
		case 6: /* enhanced packet block */
			off = start + 28;
			*iface = (uint16_t)rd32(h + 8, cap->ng_be);
			break;
		case 3: /* simple packet block */
			off = start + 12;
			*iface = 0;
			break;
		case 2: /* obsolete packet block */
			off = start + 28;
			*iface = rd16(h + 8, cap->ng_be);
			break;
		default:
			continue;
		}
		if (!bytes_at(cap, off, data, caplen))
			return false;
		*data_off = off;
		return true;
	}
	return false;
}

/* Slow path: libpcap's stdio position is the end of the record just read. */
static bool
locate_ftell(struct tw_capture *cap, const uint8_t *data, uint32_t caplen, uint64_t *data_off,
             uint16_t *iface)
{
	long end = ftell(cap->fp);
	if (end < 0 || (uint64_t)end > cap->map_len)
		return false;
	*iface = 0;
	if (!cap->pcapng) {
		if ((uint64_t)end < caplen || !bytes_at(cap, (uint64_t)end - caplen, data, caplen))
			return false;
		*data_off = (uint64_t)end - caplen;
		cap->pos = (uint64_t)end;
		return true;
	}
	if (end < 12)
		return false;
	for (int be = 0; be < 2; be++) {
		uint32_t blen = rd32(cap->map + end - 4, be);
		if (blen < 12 || blen > (uint64_t)end)
			continue;
		uint64_t start = (uint64_t)end - blen;
		uint32_t type = rd32(cap->map + start, be);
		uint64_t off = type == 3 ? start + 12 : start + 28;
		if ((type == 6 || type == 3 || type == 2) && bytes_at(cap, off, data, caplen)) {
			if (type == 6)
				*iface = (uint16_t)rd32(cap->map + start + 8, be);
			cap->ng_be = be;
			*data_off = off;
			cap->pos = (uint64_t)end;
			return true;
		}
	}
	return false;
}

/* The display filter's index (FRAME_IDX_*): what the load pass knows for sure about the frame. */
static void
index_flags(struct tw_capture *cap, struct tw_frame *f, const struct tw_pinfo *pi)
{
	if (f->conv != CONV_NONE && f->conv < cap->convs.n && !pi->in_error && !pi->fragment && pi->depth <= 1 &&
	    (pi->ipproto == 6 || pi->ipproto == 17)) {
		const struct tw_conv *cv = &cap->convs.v[f->conv];
		int d = conv_dir(cv, &pi->net_src, pi->srcport);
		if (cv->proto == pi->ipproto && addr_eq(&cv->addr[d], &pi->net_src) && cv->port[d] == pi->srcport &&
		    addr_eq(&cv->addr[!d], &pi->net_dst) && cv->port[!d] == pi->dstport &&
		    (pi->net_src.type == AT_IPV4 || pi->net_src.type == AT_IPV6)) {
			f->flags |= FRAME_IDX_SIMPLE;
			if (d)
				f->flags |= FRAME_IDX_DIR_B;
		}
	}
	if ((f->flags & FRAME_IDX_APP_TLS) && !(f->flags & FRAME_IDX_TLS_UNSURE))
		f->flags |= FRAME_IDX_HS;
	else
		f->hs_types = 0;
}

/* A record as libpcap and the file walk found it (the reading half of indexing). */
struct rec {
	tw_time ts;
	uint64_t off;
	uint32_t caplen, len;
	uint16_t iface;
	bool missing;
};

/* Locate the record libpcap returned; nread: records read before it. */
static void
read_record(struct tw_capture *cap, const struct pcap_pkthdr *h, const uint8_t *data, uint32_t nread,
            struct rec *r)
{
	/* With nanosecond precision requested, tv_usec holds nanoseconds. */
	r->ts = (tw_time)h->ts.tv_sec * TW_NS_PER_SEC + (tw_time)h->ts.tv_usec;
	r->caplen = h->caplen;
	r->len = h->len;
	r->off = 0;
	r->iface = 0;
	r->missing = false;
	if (!locate_walk(cap, data, h->caplen, &r->off, &r->iface) &&
	    !locate_ftell(cap, data, h->caplen, &r->off, &r->iface)) {
		r->missing = true;
		r->off = 0;
		if (!cap->missing_warned) {
			add_warning(cap, "frame %u: its bytes could not be located in the file; shown without bytes",
			            nread + 1);
			cap->missing_warned = true;
		}
	}
}

/* The indexing half: the frame's entry and its load-pass dissection. */
static void
index_record(struct tw_capture *cap, const struct rec *r)
{
	if (cap->n == UINT32_MAX - 1) {
		cap->done = true;
		return;
	}
	if (cap->n == cap->cap) {
		cap->cap = cap->cap ? cap->cap * 2 : 4096;
		cap->frames = xreallocarray(cap->frames, cap->cap, sizeof *cap->frames);
	}
	struct tw_frame *f = &cap->frames[cap->n];
	memset(f, 0, sizeof *f);
	f->ts = r->ts;
	f->caplen = r->caplen;
	f->len = r->len;
	f->conv = CONV_NONE;
	if (r->missing)
		f->flags |= FRAME_BYTES_MISSING;
	f->off = r->off;
	f->iface = r->iface;
	cap->n++;

	/* Load pass: a summary-only dissection tracks conversations. */
	struct tw_dctx *c = cap->ctx;
	c->tree = NULL;
	c->convs = &cap->convs;
	c->cap = cap;
	c->cur_pdu = UINT32_MAX;
	c->first_pass = true;
	c->frame = f;
	pinfo_reset(&c->pi, true);
	c->pi.num = cap->n;
	c->pi.ts = f->ts;
	c->pi.linktype = (uint16_t)cap->linktype;
	c->pi.iface = f->iface;
	c->pi.caplen = f->caplen;
	c->pi.len = f->len;
	if (!(f->flags & FRAME_BYTES_MISSING))
		dissect_frame(c, cap->map + f->off, f->caplen, f->len);
	f->proto = c->pi.top;
	index_flags(cap, f, &c->pi);
}

static void
index_frame(struct tw_capture *cap, const struct pcap_pkthdr *h, const uint8_t *data)
{
	if (cap->n == UINT32_MAX - 1) {
		cap->done = true;
		return;
	}
	struct rec r;
	read_record(cap, h, data, cap->n, &r);
	index_record(cap, &r);
}

static void
release_range(struct tw_capture *cap, uint64_t end)
{
	long pg = sysconf(_SC_PAGESIZE);
	uint64_t upto = pg > 0 ? end / (uint64_t)pg * (uint64_t)pg : 0;
	if (upto > cap->map_len)
		upto = cap->map_len / (uint64_t)pg * (uint64_t)pg;
	if (upto)
		madvise((void *)cap->map, upto, MADV_DONTNEED);
}

/* libpcap stopped with rc (not 1) after nread records: say why. */
static void
read_stopped(struct tw_capture *cap, int rc, uint32_t nread)
{
	if (rc != PCAP_ERROR)
		return;
	const char *e = pcap_geterr(cap->pc);
	if (strstr(e, "different from the type of the first interface") ||
	    strstr(e, "different from the snapshot length of the first interface")) {
		char msg[640];
		bool snap = strstr(e, "snapshot length") != NULL;
		snprintf(msg, sizeof msg,
		         "libpcap cannot read this pcapng file%s: its interfaces have different %s "
		         "(libpcap: %s). Split it per interface first, e.g. "
		         "tshark -r FILE -Y frame.interface_id==0 -w OUT.pcapng",
		         nread ? " past the frames already loaded" : "",
		         snap ? "snapshot lengths" : "link-layer types", e);
		if (nread)
			add_warning(cap, "%s", msg);
		else
			cap->fatal = xstrdup(msg);
	} else if (nread == 0 && !strstr(e, "truncated")) {
		cap->fatal = xstrdup(e);
	} else if (strstr(e, "truncated"))
		add_warning(cap, "file cut at offset %llu: the record there is incomplete (%s); %u complete frames loaded",
		            (unsigned long long)cap->pos, e, nread);
	else
		add_warning(cap, "reading stopped at offset %llu: %s; %u frames loaded",
		            (unsigned long long)cap->pos, e, nread);
}

/* The whole file is indexed: what the load pass leaves behind. */
static void
load_finish(struct tw_capture *cap)
{
	release_range(cap, cap->pos);
	if (cap->done) {
		cap->ctx->frame = NULL;
		reasm_finish(cap->convs.reasm, cap->ctx);
		pcap_close(cap->pc); /* closes fp too */
		cap->pc = NULL;
		cap->fp = NULL;
		free(cap->iobuf);
		cap->iobuf = NULL;
		free(cap->ctx);
		cap->ctx = NULL;
		madvise((void *)cap->map, cap->map_len, MADV_RANDOM);
	}
}

bool
capture_load_some(struct tw_capture *cap, size_t max)
{
	if (cap->done)
		return true;
	for (size_t k = 0; k < max; k++) {
		if (k && (k & 16383) == 0)
			release_range(cap, cap->pos); /* the load pass reads sequentially */
		struct pcap_pkthdr *h;
		const u_char *data;
		int rc = pcap_next_ex(cap->pc, &h, &data);
		if (rc == 1) {
			index_frame(cap, h, data);
			if (cap->done)
				break;
			continue;
		}
		read_stopped(cap, rc, cap->n);
		cap->done = true;
		break;
	}
	load_finish(cap);
	return cap->done;
}

/*
 * Loading in two threads: a reader thread runs libpcap and locates each
 * record in the mapping (read_record: it alone touches pc, fp, pos and
 * the warnings until it ends), the calling thread indexes and dissects
 * (index_record: it alone touches the frames and the conversations).
 * Batches of records pass through a small ring.
 */
#define PIPE_BATCH 2048
#define PIPE_SLOTS 4

struct pipe {
	struct tw_capture *cap;
	struct rec *batch[PIPE_SLOTS];
	size_t nrec[PIPE_SLOTS];
	size_t produced, consumed; /* batches */
	bool eof, stop;
	pthread_mutex_t mu;
	pthread_cond_t cv;
};

static void *
pipe_reader(void *arg)
{
	struct pipe *pp = arg;
	struct tw_capture *cap = pp->cap;
	uint32_t nread = cap->n;
	bool eof = false;
	while (!eof) {
		pthread_mutex_lock(&pp->mu);
		while (!pp->stop && pp->produced - pp->consumed == PIPE_SLOTS)
			pthread_cond_wait(&pp->cv, &pp->mu);
		bool stop = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (stop)
			break;
		size_t slot = pp->produced % PIPE_SLOTS, n = 0;
		struct rec *b = pp->batch[slot];
		while (n < PIPE_BATCH) {
			if (nread == UINT32_MAX - 1) {
				eof = true; /* index_record stops there */
				break;
			}
			struct pcap_pkthdr *h;
			const u_char *data;
			int rc = pcap_next_ex(cap->pc, &h, &data);
			if (rc != 1) {
				read_stopped(cap, rc, nread);
				eof = true;
				break;
			}
			read_record(cap, h, data, nread, &b[n++]);
			nread++;
		}
		pthread_mutex_lock(&pp->mu);
		pp->nrec[slot] = n;
		pp->produced++;
		pp->eof = eof;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
	}
	return NULL;
}

void
capture_load_all_threaded(struct tw_capture *cap)
{
	if (cap->done)
		return;
	struct pipe pp;
	memset(&pp, 0, sizeof pp);
	pp.cap = cap;
	for (size_t i = 0; i < PIPE_SLOTS; i++)
		pp.batch[i] = xcalloc(PIPE_BATCH, sizeof *pp.batch[i]);
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	pthread_t th;
	if (pthread_create(&th, NULL, pipe_reader, &pp) != 0) {
		pthread_cond_destroy(&pp.cv);
		pthread_mutex_destroy(&pp.mu);
		for (size_t i = 0; i < PIPE_SLOTS; i++)
			free(pp.batch[i]);
		capture_load_all(cap);
		return;
	}
	uint32_t released = cap->n;
	for (;;) {
		pthread_mutex_lock(&pp.mu);
		while (pp.consumed == pp.produced && !pp.eof)
			pthread_cond_wait(&pp.cv, &pp.mu);
		bool have = pp.consumed < pp.produced;
		size_t slot = pp.consumed % PIPE_SLOTS, n = pp.nrec[slot];
		pthread_mutex_unlock(&pp.mu);
		if (!have)
			break;
		for (size_t i = 0; i < n && !cap->done; i++)
			index_record(cap, &pp.batch[slot][i]);
		if (cap->n - released >= 16384 && cap->n) {
			/* Sequential: the pages of frames indexed so far are not needed soon. */
			release_range(cap, cap->frames[cap->n - 1].off);
			released = cap->n;
		}
		pthread_mutex_lock(&pp.mu);
		pp.consumed++;
		if (cap->done)
			pp.stop = true;
		pthread_cond_broadcast(&pp.cv);
		pthread_mutex_unlock(&pp.mu);
		if (cap->done)
			break;
	}
	pthread_join(th, NULL);
	pthread_cond_destroy(&pp.cv);
	pthread_mutex_destroy(&pp.mu);
	for (size_t i = 0; i < PIPE_SLOTS; i++)
		free(pp.batch[i]);
	cap->done = true;
	load_finish(cap);
}

void
capture_load_all(struct tw_capture *cap)
{
	while (!capture_load_some(cap, 65536))
		;
}

void
capture_close(struct tw_capture *cap)
{
	if (!cap)
		return;
	if (cap->pc)
		pcap_close(cap->pc);
	free(cap->iobuf);
	if (cap->map)
		munmap((void *)cap->map, cap->map_len);
	for (size_t i = 0; i < cap->nwarn; i++)
		free(cap->warn[i]);
	free(cap->warn);
	free(cap->frames);
	convs_free(&cap->convs);
	free(cap->ctx);
	free(cap->fatal);
	arena_free(cap->scratch);
	free(cap->path);
	free(cap);
}

const char *capture_path(const struct tw_capture *cap) { return cap->path; }
const char *capture_name(const struct tw_capture *cap) { return cap->name; }
uint16_t capture_source_id(const struct tw_capture *cap) { return cap->id; }
int capture_linktype(const struct tw_capture *cap) { return cap->linktype; }
const char *capture_format(const struct tw_capture *cap) { return cap->pcapng ? "pcapng" : "pcap"; }
int capture_ts_digits(const struct tw_capture *cap) { return cap->digits; }
uint64_t capture_file_size(const struct tw_capture *cap) { return cap->map_len; }
bool capture_done(const struct tw_capture *cap) { return cap->done; }
uint32_t capture_count(const struct tw_capture *cap) { return cap->n; }
struct tw_convs *capture_convs(struct tw_capture *cap) { return &cap->convs; }

struct tw_frame *
capture_frame(struct tw_capture *cap, uint32_t i)
{
	return i < cap->n ? &cap->frames[i] : NULL;
}

const uint8_t *
capture_bytes(const struct tw_capture *cap, const struct tw_frame *f)
{
	if (f->flags & FRAME_BYTES_MISSING)
		return NULL;
	if (f->off > cap->map_len || f->caplen > cap->map_len - f->off)
		return NULL;
	return cap->map + f->off;
}

void
capture_release_before(struct tw_capture *cap, uint32_t i)
{
	if (i && i <= cap->n)
		release_range(cap, cap->frames[i - 1].off);
}

const char *
capture_fatal(const struct tw_capture *cap)
{
	return cap->fatal;
}

const char *
capture_warning(const struct tw_capture *cap, size_t i)
{
	return i < cap->nwarn ? cap->warn[i] : NULL;
}

void
capture_freeze(struct tw_capture *cap)
{
	tls_table_freeze(&cap->convs);
	http_state_freeze(&cap->convs);
}

void
capture_dissect(struct tw_capture *cap, uint32_t i, struct tw_dctx *c, struct tw_tree *tree)
{
	if (!cap->scratch)
		cap->scratch = arena_new();
	capture_dissect_scratch(cap, i, c, tree, cap->scratch);
}

void
capture_dissect_scratch(struct tw_capture *cap, uint32_t i, struct tw_dctx *c, struct tw_tree *tree,
                        struct tw_arena *scratch)
{
	struct tw_frame *f = capture_frame(cap, i);
	c->tree = tree;
	c->convs = &cap->convs;
	c->cap = cap;
	c->cur_pdu = UINT32_MAX;
	c->first_pass = false;
	arena_reset(scratch);
	c->scratch = scratch;
	c->frame = f;
	pinfo_reset(&c->pi, false);
	if (tree)
		tree_reset(tree);
	if (!f)
		return;
	c->pi.num = i + 1;
	c->pi.ts = f->ts;
	c->pi.first_ts = cap->frames[0].ts;
	c->pi.prev_ts = i ? cap->frames[i - 1].ts : f->ts;
	c->pi.linktype = (uint16_t)cap->linktype;
	c->pi.iface = f->iface;
	c->pi.has_iface = cap->pcapng;
	c->pi.caplen = f->caplen;
	c->pi.len = f->len;
	const uint8_t *p = capture_bytes(cap, f);
	if (!p) {
		col_set_proto(c, "Frame", PROTO_FRAME);
		col_add_info(c, "[frame bytes unavailable]");
		return;
	}
	dissect_frame(c, p, f->caplen, f->len);
}
