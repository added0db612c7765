/*
 * tcp.c - Transmission Control Protocol (RFC 9293; options RFC 7323, RFC 2018).
 *
 *   0                   1                   2                   3
 *  +-------------------------------+-------------------------------+
 *  |          Source Port          |       Destination Port        |
 *  |                        Sequence Number                        |
 *  |                    Acknowledgment Number                      |
 *  | Offset| Rsrvd |A|C|E|U|A|P|R|S|F|            Window            |
 *  |           Checksum            |         Urgent Pointer        |
 *  |                    Options (Offset > 5)                       |
 *  +---------------------------------------------------------------+
 *
 * Sequence numbers are shown relative to each direction's first sequence
 * number, as Wireshark does; the bases come from the conversation table
 * built in the load pass. The checksum is verified over the pseudo-header.
 */
#include "core/dissect/dissect.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/field.h"

#include <string.h>

enum {
	F_TCP,
	F_SRCPORT,
	F_DSTPORT,
	F_PORT,
	F_STREAM,
	F_LEN,
	F_SEQ,
	F_SEQ_RAW,
	F_NXTSEQ,
	F_ACK,
	F_ACK_RAW,
	F_HDR_LEN,
	F_FLAGS,
	F_FLAG_RES,
	F_FLAG_AE,
	F_FLAG_CWR,
	F_FLAG_ECE,
	F_FLAG_URG,
	F_FLAG_ACK,
	F_FLAG_PUSH,
	F_FLAG_RESET,
	F_FLAG_SYN,
	F_FLAG_FIN,
	F_FLAG_STR,
	F_WIN_VALUE,
	F_WIN_SIZE,
	F_WIN_SCALEFACTOR,
	F_CHECKSUM,
	F_CHECKSUM_CALC,
	F_CHECKSUM_STATUS,
	F_URGENT,
	F_OPTIONS,
	F_OPT_KIND,
	F_OPT_LEN,
	F_OPT_MSS,
	F_OPT_WSCALE_SHIFT,
	F_OPT_WSCALE_MULT,
	F_OPT_SACK_PERM,
	F_OPT_SACK_LE,
	F_OPT_SACK_RE,
	F_OPT_TSVAL,
	F_OPT_TSECR,
	F_PAYLOAD,
	F_ANALYSIS,
	F_AN_RETRANS,
	F_AN_OOO,
	F_AN_LOST,
	F_AN_DUPACK,
	F_AN_ZEROWIN,
	F_AN_KEEPALIVE,
	F_AN_WINUPDATE,
	F_AN_FASTRETRANS,
	F_AN_SPURIOUS,
	F_AN_ACK_UNSEEN,
	F_AN_KEEPALIVE_ACK,
	F_AN_ZWP,
	F_AN_ZWP_ACK,
	F_AN_WINFULL,
	F_AN_DUPACK_NUM,
	F_AN_DUPACK_FRAME,
	F_AN_REUSED,
	F_COUNT
};

static const struct tw_valstr optkind_vals[] = {
	{ 0, "End of Option List (EOL)" },
	{ 1, "No-Operation (NOP)" },
	{ 2, "Maximum segment size" },
	{ 3, "Window scale" },
	{ 4, "SACK permitted" },
	{ 5, "SACK" },
	{ 8, "Time Stamp Option" },
	{ 19, "MD5 signature" },
	{ 27, "Quick-Start Response" },
	{ 28, "User Timeout" },
	{ 29, "TCP Authentication Option" },
	{ 30, "Multipath TCP" },
	{ 34, "TCP Fast Open Cookie" },
	{ 253, "RFC3692-style Experiment 1" },
	{ 254, "RFC3692-style Experiment 2" },
	{ 0, NULL },
};

static const struct tw_field fields[F_COUNT] = {
	[F_TCP] = { "tcp", "Transmission Control Protocol", FT_PROTOCOL, BASE_NONE, 0, NULL },
	[F_SRCPORT] = { "tcp.srcport", "Source Port", FT_U16, BASE_DEC, 0, NULL },
	[F_DSTPORT] = { "tcp.dstport", "Destination Port", FT_U16, BASE_DEC, 0, NULL },
	[F_PORT] = { "tcp.port", "Source or Destination Port", FT_U16, BASE_DEC, 0, NULL },
	[F_STREAM] = { "tcp.stream", "Stream index", FT_U32, BASE_DEC, 0, NULL },
	[F_LEN] = { "tcp.len", "TCP Segment Len", FT_U32, BASE_DEC, 0, NULL },
	[F_SEQ] = { "tcp.seq", "Sequence Number", FT_U32, BASE_DEC, 0, NULL },
	[F_SEQ_RAW] = { "tcp.seq_raw", "Sequence Number (raw)", FT_U32, BASE_DEC, 0, NULL },
	[F_NXTSEQ] = { "tcp.nxtseq", "Next Sequence Number", FT_U32, BASE_DEC, 0, NULL },
	[F_ACK] = { "tcp.ack", "Acknowledgment Number", FT_U32, BASE_DEC, 0, NULL },
	[F_ACK_RAW] = { "tcp.ack_raw", "Acknowledgment number (raw)", FT_U32, BASE_DEC, 0, NULL },
	[F_HDR_LEN] = { "tcp.hdr_len", "Header Length", FT_U8, BASE_DEC, 0, NULL },
	[F_FLAGS] = { "tcp.flags", "Flags", FT_U16, BASE_HEX, 0x0fff, NULL },
	[F_FLAG_RES] = { "tcp.flags.res", "Reserved", FT_BOOL, 12, 0x0e00, NULL },
	[F_FLAG_AE] = { "tcp.flags.ae", "Accurate ECN", FT_BOOL, 12, 0x0100, NULL },
	[F_FLAG_CWR] = { "tcp.flags.cwr", "Congestion Window Reduced", FT_BOOL, 12, 0x0080, NULL },
	[F_FLAG_ECE] = { "tcp.flags.ece", "ECN-Echo", FT_BOOL, 12, 0x0040, NULL },
	[F_FLAG_URG] = { "tcp.flags.urg", "Urgent", FT_BOOL, 12, 0x0020, NULL },
	[F_FLAG_ACK] = { "tcp.flags.ack", "Acknowledgment", FT_BOOL, 12, 0x0010, NULL },
	[F_FLAG_PUSH] = { "tcp.flags.push", "Push", FT_BOOL, 12, 0x0008, NULL },
	[F_FLAG_RESET] = { "tcp.flags.reset", "Reset", FT_BOOL, 12, 0x0004, NULL },
	[F_FLAG_SYN] = { "tcp.flags.syn", "Syn", FT_BOOL, 12, 0x0002, NULL },
	[F_FLAG_FIN] = { "tcp.flags.fin", "Fin", FT_BOOL, 12, 0x0001, NULL },
	[F_FLAG_STR] = { "tcp.flags.str", "TCP Flags", FT_STRING, BASE_NONE, 0, NULL },
	[F_WIN_VALUE] = { "tcp.window_size_value", "Window", FT_U16, BASE_DEC, 0, NULL },
	[F_WIN_SIZE] = { "tcp.window_size", "Calculated window size", FT_U32, BASE_DEC, 0, NULL },
	[F_WIN_SCALEFACTOR] = { "tcp.window_size_scalefactor", "Window size scaling factor", FT_I64, BASE_DEC, 0, NULL },
	[F_CHECKSUM] = { "tcp.checksum", "Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_CALC] = { "tcp.checksum_calculated", "Calculated Checksum", FT_U16, BASE_HEX, 0, NULL },
	[F_CHECKSUM_STATUS] = { "tcp.checksum.status", "Checksum Status", FT_U8, BASE_NONE, 0, cksum_status_vals },
	[F_URGENT] = { "tcp.urgent_pointer", "Urgent Pointer", FT_U16, BASE_DEC, 0, NULL },
	[F_OPTIONS] = { "tcp.options", "Options", FT_BYTES, BASE_NONE, 0, NULL },
	[F_OPT_KIND] = { "tcp.option_kind", "Kind", FT_U8, BASE_DEC, 0, optkind_vals },
	[F_OPT_LEN] = { "tcp.option_len", "Length", FT_U8, BASE_DEC, 0, NULL },
	[F_OPT_MSS] = { "tcp.options.mss_val", "MSS Value", FT_U16, BASE_DEC, 0, NULL },
	[F_OPT_WSCALE_SHIFT] = { "tcp.options.wscale.shift", "Shift count", FT_U8, BASE_DEC, 0, NULL },
	[F_OPT_WSCALE_MULT] = { "tcp.options.wscale.multiplier", "Multiplier", FT_U16, BASE_DEC, 0, NULL },
	[F_OPT_SACK_PERM] = { "tcp.options.sack_perm", "TCP Option - SACK permitted", FT_NONE, BASE_NONE, 0, NULL },
	[F_OPT_SACK_LE] = { "tcp.options.sack_le", "left edge", FT_U32, BASE_DEC, 0, NULL },
	[F_OPT_SACK_RE] = { "tcp.options.sack_re", "right edge", FT_U32, BASE_DEC, 0, NULL },
	[F_OPT_TSVAL] = { "tcp.options.timestamp.tsval", "Timestamp value", FT_U32, BASE_DEC, 0, NULL },
	[F_OPT_TSECR] = { "tcp.options.timestamp.tsecr", "Timestamp echo reply", FT_U32, BASE_DEC, 0, NULL },
	[F_PAYLOAD] = { "tcp.payload", "TCP payload", FT_BYTES, BASE_NONE, 0, NULL },
	[F_ANALYSIS] = { "tcp.analysis", "SEQ/ACK analysis", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_RETRANS] = { "tcp.analysis.retransmission", "This frame is a (suspected) retransmission", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_OOO] = { "tcp.analysis.out_of_order", "This frame is a (suspected) out-of-order segment", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_LOST] = { "tcp.analysis.lost_segment", "Previous segment(s) not captured (common at capture start)", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_DUPACK] = { "tcp.analysis.duplicate_ack", "Duplicate ACK", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_ZEROWIN] = { "tcp.analysis.zero_window", "TCP Zero Window segment", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_KEEPALIVE] = { "tcp.analysis.keep_alive", "TCP Keep-Alive", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_WINUPDATE] = { "tcp.analysis.window_update", "TCP Window Update", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_FASTRETRANS] = { "tcp.analysis.fast_retransmission", "This frame is a (suspected) fast retransmission", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_SPURIOUS] = { "tcp.analysis.spurious_retransmission", "This frame is a (suspected) spurious retransmission", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_ACK_UNSEEN] = { "tcp.analysis.ack_lost_segment", "ACKed segment that wasn't captured (common at capture start)", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_KEEPALIVE_ACK] = { "tcp.analysis.keep_alive_ack", "TCP Keep-Alive ACK", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_ZWP] = { "tcp.analysis.zero_window_probe", "TCP Zero Window Probe", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_ZWP_ACK] = { "tcp.analysis.zero_window_probe_ack", "TCP Zero Window Probe Ack", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_WINFULL] = { "tcp.analysis.window_full", "TCP Window Full", FT_NONE, BASE_NONE, 0, NULL },
	[F_AN_DUPACK_NUM] = { "tcp.analysis.duplicate_ack_num", "Duplicate ACK #", FT_U32, BASE_DEC, 0, NULL },
	[F_AN_DUPACK_FRAME] = { "tcp.analysis.duplicate_ack_frame", "Duplicate to the ACK in frame", FT_FRAMENUM, BASE_NONE, 0, NULL },
	[F_AN_REUSED] = { "tcp.analysis.reused_ports", "TCP Port numbers reused", FT_NONE, BASE_NONE, 0, NULL },
};

/*
 * TCP analysis flags: Info prefix, field, severity, explanation; in the
 * order tshark writes the prefixes (it prepends them in the reverse order).
 */
static const struct {
	uint32_t flag;
	int field;
	const char *info;
	enum tw_sev sev;
	const char *text;
} analysis[] = {
	{ FRAME_TCP_ZWP_ACK, F_AN_ZWP_ACK, "[TCP ZeroWindowProbeAck] ", TW_SEV_NOTE, "Zero window probe ACK" },
	{ FRAME_TCP_ZEROWIN, F_AN_ZEROWIN, "[TCP ZeroWindow] ", TW_SEV_WARN,
	  "TCP Zero Window segment: the receiver cannot take more data" },
	{ FRAME_TCP_ZWP, F_AN_ZWP, "[TCP ZeroWindowProbe] ", TW_SEV_NOTE, "Zero window probe" },
	{ FRAME_TCP_DUPACK, F_AN_DUPACK, NULL /* "[TCP Dup ACK N#M] " */, TW_SEV_NOTE, "Duplicate ACK" },
	{ FRAME_TCP_KEEPALIVE_ACK, F_AN_KEEPALIVE_ACK, "[TCP Keep-Alive ACK] ", TW_SEV_NOTE, "Keep-Alive ACK" },
	{ FRAME_TCP_KEEPALIVE, F_AN_KEEPALIVE, "[TCP Keep-Alive] ", TW_SEV_NOTE, "Keep-Alive" },
	{ FRAME_TCP_WINFULL, F_AN_WINFULL, "[TCP Window Full] ", TW_SEV_WARN, "Window is full" },
	{ FRAME_TCP_WINUPDATE, F_AN_WINUPDATE, "[TCP Window Update] ", TW_SEV_NOTE, "Window update" },
	{ FRAME_TCP_ACK_UNSEEN, F_AN_ACK_UNSEEN, "[TCP ACKed unseen segment] ", TW_SEV_WARN,
	  "ACKed segment that wasn't captured (common at capture start)" },
	{ FRAME_TCP_LOST, F_AN_LOST, "[TCP Previous segment not captured] ", TW_SEV_WARN,
	  "Previous segment(s) not captured (common at capture start)" },
	{ FRAME_TCP_REUSED, F_AN_REUSED, "[TCP Port numbers reused] ", TW_SEV_NOTE,
	  "A new tcp session is started with the same ports as an earlier session in this trace" },
	{ FRAME_TCP_OOO, F_AN_OOO, "[TCP Out-Of-Order] ", TW_SEV_WARN,
	  "This frame is a (suspected) out-of-order segment" },
	{ FRAME_TCP_SPURIOUS, F_AN_SPURIOUS, "[TCP Spurious Retransmission] ", TW_SEV_NOTE,
	  "This frame is a (suspected) spurious retransmission" },
	{ FRAME_TCP_FASTRETRANS, F_AN_FASTRETRANS, "[TCP Fast Retransmission] ", TW_SEV_NOTE,
	  "This frame is a (suspected) fast retransmission" },
	{ FRAME_TCP_RETRANS, F_AN_RETRANS, "[TCP Retransmission] ", TW_SEV_NOTE,
	  "This frame is a (suspected) retransmission" },
};
const struct tw_field_table tcp_field_table = { fields, F_COUNT };

/* The duplicate-ACK record of frame idx (0-based), or NULL. */
static const struct tw_dupack *
dupack_find(const struct tw_convs *cs, uint32_t idx)
{
	if (!cs)
		return NULL;
	size_t lo = 0, hi = cs->ndupack;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cs->dupack[mid].frame < idx)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cs->ndupack && cs->dupack[lo].frame == idx ? &cs->dupack[lo] : NULL;
}

static bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }

/*
 * Wireshark's sequence analysis (packet-tcp.c, tcp_analyze_sequence_number,
 * 4.0), decided once per segment in the load pass, in frame order, so the
 * flags are those tshark shows. Its conventions are kept on purpose: a
 * next sequence number or "max seq to be acked" of 0 means "none yet";
 * times are the frames' capture times. seglen is the payload length; fl the
 * TCP flags; win the window after scaling.
 */
static uint32_t
tcp_analyze(struct tw_dctx *c, struct tw_conv *cv, int dir, uint32_t seq, uint32_t ack, uint32_t seglen,
            uint16_t fl, uint32_t win)
{
	enum { TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_ACK = 0x10 };
	enum { AN_LAST_KEEPALIVE = 1, AN_LAST_ZWP = 2 };
	int rev = !dir;
	tw_time now = c->pi.ts;
	uint32_t f = 0;
	bool ctl = fl & (TH_SYN | TH_FIN | TH_RST);
	uint32_t nextseq = cv->maxseq[dir];

	/* The handshake's round trip: from the last SYN to the first ACK without SYN. */
	if ((fl & (TH_SYN | TH_ACK)) == TH_SYN)
		cv->syn_ts = now;
	else if ((fl & (TH_SYN | TH_ACK)) == TH_ACK && cv->syn_ts && !cv->first_rtt)
		cv->first_rtt = now - cv->syn_ts; /* 0 (same time) is "unknown" again */

	if (seglen == 1 && seq == nextseq && cv->lastwin[rev] == 0 && cv->have_maxseq[rev]) {
		f |= FRAME_TCP_ZWP;
		goto finished_fwd;
	}
	if (win == 0 && !ctl)
		f |= FRAME_TCP_ZEROWIN;
	if (nextseq && seq_gt(seq, nextseq) && !(fl & TH_RST))
		f |= FRAME_TCP_LOST;
	if ((seglen == 0 || seglen == 1) && seq == nextseq - 1 && !ctl)
		f |= FRAME_TCP_KEEPALIVE;
	if (seglen == 0 && win && win != cv->lastwin[dir] && seq == nextseq && ack == cv->lastack[dir] && !ctl)
		f |= FRAME_TCP_WINUPDATE;
	/* (Wireshark shifts the already scaled window once more: kept, to show what tshark shows.) */
	if (seglen > 0 && cv->wscale[rev] != -1 && !ctl &&
	    seq + seglen == cv->lastack[rev] + (cv->lastwin[rev] << (cv->wscale[rev] < 0 ? 0 : cv->wscale[rev] & 15)))
		f |= FRAME_TCP_WINFULL;
	if (seglen == 0 && win && win == cv->lastwin[dir] && seq == nextseq && ack == cv->lastack[dir] &&
	    (cv->an_last[rev] & AN_LAST_KEEPALIVE) && !ctl) {
		f |= FRAME_TCP_KEEPALIVE_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && win == 0 && win == cv->lastwin[dir] && seq == nextseq && ack == cv->lastack[dir] &&
	    (cv->an_last[rev] & AN_LAST_ZWP) && !ctl) {
		f |= FRAME_TCP_ZWP_ACK;
		goto finished_fwd;
	}
	if (seglen == 0 && win && win == cv->lastwin[dir] && seq == nextseq && ack == cv->lastack[dir] && !ctl) {
		if (cv->dupacks[dir] < UINT16_MAX)
			cv->dupacks[dir]++;
		f |= FRAME_TCP_DUPACK;
		struct tw_convs *cs = c->convs;
		if (cs->ndupack == cs->capdupack) {
			cs->capdupack = cs->capdupack ? cs->capdupack * 2 : 64;
			cs->dupack = xreallocarray(cs->dupack, cs->capdupack, sizeof *cs->dupack);
		}
		cs->dupack[cs->ndupack++] = (struct tw_dupack){ c->pi.num - 1, cv->nondup[dir], cv->dupacks[dir] };
	}
finished_fwd:
	if (ack != cv->lastack[dir]) {
		cv->nondup[dir] = c->pi.num;
		cv->dupacks[dir] = 0;
	}
	if (cv->tobeacked[rev] && seq_gt(ack, cv->tobeacked[rev]) && (fl & TH_ACK)) {
		/*
		 * Wireshark 4.0's rule (newer releases flag repeated ACKs of one
		 * unseen segment once only): checked against tshark 4.0.17 on the
		 * reference captures (tests/oracle, set tcpan).
		 */
		f |= FRAME_TCP_ACK_UNSEEN;
		cv->tobeacked[rev] = cv->maxseq[rev];
	}
	if ((seglen > 0 || (fl & (TH_SYN | TH_FIN))) && !(f & FRAME_TCP_KEEPALIVE)) {
		bool not_advanced = nextseq && seq_lt(seq, nextseq);
		if (seglen > 1 && nextseq - 1 == seq)
			not_advanced = false;
		tw_time t = now - cv->lastack_ts[rev];
		tw_time thres = cv->first_rtt ? cv->first_rtt : 3000000;
		uint32_t synfin = (fl & (TH_SYN | TH_FIN)) ? 1u : 0u;
		if (seglen > 0 && cv->lastack[rev] && !seq_gt(seq + seglen, cv->lastack[rev]))
			f |= FRAME_TCP_SPURIOUS | FRAME_TCP_RETRANS;
		else if (not_advanced && cv->dupacks[rev] >= 2 && cv->lastack[rev] == seq && t < 20000000)
			f |= FRAME_TCP_FASTRETRANS | FRAME_TCP_RETRANS;
		else if (not_advanced && now - cv->maxseq_ts[dir] < thres && nextseq != seq + seglen + synfin)
			f |= FRAME_TCP_OOO;
		else if (not_advanced)
			f |= FRAME_TCP_RETRANS;
	}

	uint32_t end = seq + seglen + ((seglen || (fl & (TH_SYN | TH_FIN))) && (fl & (TH_SYN | TH_FIN)) ? 1u : 0u);
	if ((seq_gt(end, nextseq) || !nextseq) && !(f & FRAME_TCP_ZWP)) {
		cv->maxseq[dir] = end;
		cv->maxseq_ts[dir] = now;
	}
	if ((seq == cv->tobeacked[dir] || !cv->tobeacked[dir]) && !(f & FRAME_TCP_ZWP))
		cv->tobeacked[dir] = cv->maxseq[dir];
	cv->have_maxseq[dir] = 1;
	cv->lastwin[dir] = win;
	cv->lastack[dir] = ack;
	cv->lastack_ts[dir] = now;
	cv->an_last[dir] = (uint8_t)((f & FRAME_TCP_KEEPALIVE ? AN_LAST_KEEPALIVE : 0) |
	                             (f & FRAME_TCP_ZWP ? AN_LAST_ZWP : 0));
	return f;
}

/* Flag names in Wireshark's order for Info ("[SYN, ACK]"). */
static void
flags_str(struct tw_sb *sb, uint16_t fl)
{
	static const struct {
		uint16_t bit;
		const char *name;
	} names[] = { { 0x001, "FIN" }, { 0x002, "SYN" }, { 0x004, "RST" }, { 0x008, "PSH" },
		      { 0x010, "ACK" }, { 0x020, "URG" }, { 0x040, "ECE" }, { 0x080, "CWR" },
		      { 0x100, "AE" },  { 0xe00, "Reserved" } };
	bool first = true;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (fl & names[i].bit) {
			if (!first)
				sb_adds(sb, ", ");
			sb_adds(sb, names[i].name);
			first = false;
		}
	}
	if (first)
		sb_adds(sb, "<None>");
}

/* "··········S·" as in Wireshark's tcp.flags.str. */
static void
flags_pic(struct tw_sb *sb, uint16_t fl)
{
	static const char letters[] = "RRRACEUAPRSF";
	for (int i = 0; i < 12; i++) {
		int bit = 11 - i;
		if (fl & (1u << bit))
			sb_addc(sb, letters[i]);
		else
			sb_adds(sb, "\xc2\xb7"); /* U+00B7 middle dot */
	}
}

struct tcp_opts {
	int mss;         /* -1 when absent */
	int wscale;      /* -1 when absent */
	bool sack_perm;
	bool ts;
	uint32_t tsval, tsecr;
	int nsack;
};

static void
tcp_options(struct tw_dctx *c, struct tw_node *tcp, struct tw_buf *ob, struct tcp_opts *o,
            struct tw_sb *info)
{
	struct tw_tree *t = c->tree;
	size_t total = buf_left(ob);
	struct tw_node *opts = tree_add_here(t, tcp, &fields[F_OPTIONS], ob, total);
	node_set_bytes(opts, ob->p + ob->off, total);
	node_label(t, opts, "Options: (%zu bytes)", total);
	while (buf_left(ob)) {
		size_t at = ob->off;
		uint8_t kind = buf_u8(ob);
		char unk[32];
		const char *name = val_to_str_unk(kind, optkind_vals, unk, sizeof unk);
		if (kind == 0 || kind == 1) {
			struct tw_node *n = tree_add(t, opts, NULL, ob, at, 1);
			node_label(t, n, "TCP Option - %s", name);
			tree_add_bits(t, n, &fields[F_OPT_KIND], ob, at, 1, kind);
			if (kind == 0)
				break;
			continue;
		}
		uint8_t len = buf_u8(ob);
		if (!buf_ok(ob) || (len >= 2 && len - 2u > buf_left(ob) && len - 2u <= buf_reported_left(ob))) {
			/* On the wire, but not captured. */
			struct tw_node *n = tree_add(t, opts, NULL, ob, at, buf_left(ob) + (ob->off - at));
			node_label(t, n, "TCP Option - %s", name);
			if (buf_ok(ob))
				buf_need(ob, len - 2u);
			node_note_buf(t, n ? n : opts, ob, "TCP option");
			return;
		}
		if (len < 2 || len - 2u > buf_left(ob)) {
			struct tw_node *n = tree_add(t, opts, NULL, ob, at, total - at);
			node_label(t, n, "TCP Option - %s", name);
			if (n && !n->label)
				n->label = "TCP Option";
			tree_expert(t, n ? n : opts, TW_SEV_ERROR, "[Malformed TCP option: length %u %s]", len,
			            len < 2 ? "is less than 2" : "runs past the options");
			return;
		}
		struct tw_buf v = buf_sub(ob, len - 2u);
		struct tw_node *n = tree_add(t, opts, NULL, ob, at, len);
		tree_add_bits(t, n, &fields[F_OPT_KIND], ob, at, 1, kind);
		tree_add_bits(t, n, &fields[F_OPT_LEN], ob, at + 1, 1, len);
		bool badlen = false;
		switch (kind) {
		case 2:
			if (len != 4) {
				badlen = true;
				break;
			}
			o->mss = tree_read_be16(t, n, &fields[F_OPT_MSS], &v);
			node_label(t, n, "TCP Option - Maximum segment size: %d bytes", o->mss);
			sb_adds(info, " MSS=");
			sb_addu(info, (uint64_t)o->mss);
			break;
		case 3: {
			if (len != 3) {
				badlen = true;
				break;
			}
			uint8_t shift = tree_read_u8(t, n, &fields[F_OPT_WSCALE_SHIFT], &v);
			unsigned mult = shift <= 14 ? 1u << shift : 1u << 14;
			node_set_u(tree_add_gen(t, n, &fields[F_OPT_WSCALE_MULT]), mult);
			node_label(t, n, "TCP Option - Window scale: %u (multiply by %u)", shift, mult);
			o->wscale = shift;
			sb_adds(info, " WS=");
			sb_addu(info, mult);
			break;
		}
		case 4:
			if (len != 2) {
				badlen = true;
				break;
			}
			o->sack_perm = true;
			node_label(t, n, "TCP Option - SACK permitted");
			tree_add(t, n, &fields[F_OPT_SACK_PERM], ob, at, len);
			sb_adds(info, " SACK_PERM");
			break;
		case 5: {
			if ((len - 2) % 8) {
				badlen = true;
				break;
			}
			node_label(t, n, "TCP Option - SACK");
			while (buf_left(&v) >= 8) {
				uint32_t le = tree_read_be32(t, n, &fields[F_OPT_SACK_LE], &v);
				uint32_t re = tree_read_be32(t, n, &fields[F_OPT_SACK_RE], &v);
				if (o->nsack < 4) {
					sb_adds(info, " SLE=");
					sb_addu(info, le);
					sb_adds(info, " SRE=");
					sb_addu(info, re);
				}
				o->nsack++;
			}
			break;
		}
		case 8:
			if (len != 10) {
				badlen = true;
				break;
			}
			o->ts = true;
			o->tsval = tree_read_be32(t, n, &fields[F_OPT_TSVAL], &v);
			o->tsecr = tree_read_be32(t, n, &fields[F_OPT_TSECR], &v);
			node_label(t, n, "TCP Option - Timestamps: TSval %u, TSecr %u", o->tsval, o->tsecr);
			sb_adds(info, " TSval=");
			sb_addu(info, o->tsval);
			sb_adds(info, " TSecr=");
			sb_addu(info, o->tsecr);
			break;
		default:
			node_label(t, n, "TCP Option - %s (%u bytes)", name, len);
			break;
		}
		if (badlen) {
			node_label(t, n, "TCP Option - %s: invalid length %u", name, len);
			tree_expert(t, n, TW_SEV_WARN, "Invalid length %u for %s option", len, name);
		}
	}
}

/* Checksum over pseudo-header + segment; returns 0 good, 1 bad, 2 unverified. */
static int
tcp_checksum(struct tw_dctx *c, const uint8_t *seg, size_t caplen, size_t seglen, uint16_t sum,
             uint16_t *expect, bool *offload)
{
	if (!c->tree || caplen < seglen || c->pi.in_error || c->pi.ip_src.type == AT_NONE)
		return 2; /* verified only where a tree shows it */
	uint32_t ps = cksum_pseudo(&c->pi, 6, (uint32_t)seglen);
	if (cksum_fold(cksum_add(ps, seg, seglen)) == 0)
		return 0;
	/* What it should have been: the sum with the checksum field taken as zero. */
	uint32_t s = cksum_add(ps, seg, 16);
	s = cksum_add(s, seg + 18, seglen - 18);
	*expect = cksum_fold(s);
	/*
	 * With checksum offload the stack leaves the folded pseudo-header sum
	 * in the field for the NIC to finish: the frame was captured on the
	 * sending host before the NIC filled it in.
	 */
	uint16_t partial = (uint16_t)~cksum_fold(ps);
	*offload = sum == partial || sum == 0;
	return 1;
}

void
dis_tcp(struct tw_dctx *c, struct tw_buf *b, struct tw_node *parent)
{
	struct tw_tree *t = c->tree;
	struct tw_pinfo *pi = &c->pi;
	col_add_proto_layer(c, "tcp");
	if (!pi->in_error) {
		col_set_proto(c, "TCP", PROTO_TCP);
		col_clear_info(c);
	}
	size_t start = b->off;
	const uint8_t *seg = b->p + b->off;
	size_t seg_cap = buf_left(b);
	size_t seg_len = buf_reported_left(b);
	uint8_t doff = buf_peek_u8(b, 12) >> 4;
	size_t hlen = (size_t)doff * 4;
	struct tw_node *tcp = proto_add(c, parent, &fields[F_TCP], b, hlen >= 20 ? hlen : 20);

	uint16_t sport = tree_read_be16(t, tcp, &fields[F_SRCPORT], b);
	uint16_t dport = tree_read_be16(t, tcp, &fields[F_DSTPORT], b);
	struct tw_node *n = tree_add(t, tcp, &fields[F_PORT], b, start, 2);
	node_set_u(n, sport);
	node_set_flags(n, TW_NF_HIDDEN);
	n = tree_add(t, tcp, &fields[F_PORT], b, start + 2, 2);
	node_set_u(n, dport);
	node_set_flags(n, TW_NF_HIDDEN);
	if (!buf_ok(b)) {
		node_note_buf(t, tcp, b, "TCP header");
		if (!pi->in_error)
			col_add_info(c, "[TCP header %s]", b->err == BUF_TRUNC ? "truncated" : "malformed");
		return;
	}
	if (!pi->in_error) {
		pi->srcport = sport;
		pi->dstport = dport;
	}
	if (pi->in_error && !buf_has(b, 16)) {
		/* ICMP quotes only 8 bytes of the transport header. */
		node_label(t, tcp, "Transmission Control Protocol, Src Port: %u, Dst Port: %u", sport, dport);
		if (buf_has(b, 4))
			tree_read_be32(t, tcp, &fields[F_SEQ], b);
		return;
	}
	size_t seq_at = b->off;
	uint32_t seq = buf_be32(b);
	uint32_t ack = buf_be32(b);
	size_t fl_at = b->off;
	uint16_t offfl = buf_be16(b);
	uint16_t win = buf_be16(b);
	size_t cs_at = b->off;
	uint16_t sum = buf_be16(b);
	uint16_t urg = buf_be16(b);
	if (!buf_ok(b)) {
		node_note_buf(t, tcp, b, "TCP header");
		if (!pi->in_error)
			col_add_info(c, "%u \xe2\x86\x92 %u [TCP header %s]", sport, dport,
			             b->err == BUF_TRUNC ? "truncated" : "malformed");
		return;
	}
	uint16_t fl = offfl & 0x0fff;
	size_t payload_len = seg_len >= hlen ? seg_len - hlen : 0;

	/*
	 * Conversation: created in the load pass, looked up afterwards. A TCP
	 * header quoted in an ICMP error gets a stream too (as in Wireshark)
	 * but changes no state of it.
	 */
	struct tw_conv *cv = NULL;
	int dir = 0;
	if (!pi->fragment && c->convs) {
		uint32_t ci = CONV_NONE;
		if (pi->in_error) {
			/* An ICMP error frame has no conversation of its own: it keeps the quoted one. */
			if (c->first_pass) {
				ci = conv_find_load(c->convs, 6, &pi->ip_src, sport, &pi->ip_dst, dport);
				if (ci == CONV_NONE)
					ci = conv_add(c->convs, 6, &pi->ip_src, sport, &pi->ip_dst, dport);
				if (c->frame && c->frame->conv == CONV_NONE)
					c->frame->conv = ci;
			} else if (c->frame) {
				ci = c->frame->conv;
			}
		} else if (c->first_pass) {
			ci = conv_find_load(c->convs, 6, &pi->ip_src, sport, &pi->ip_dst, dport);
			if (ci != CONV_NONE && (fl & 0x012) == 0x002) {
				/* A SYN with another initial sequence number starts a new stream (port reuse). */
				struct tw_conv *old = &c->convs->v[ci];
				int od = conv_dir(old, &pi->ip_src, sport);
				if (old->have_base[od] && old->base_seq[od] != seq) {
					ci = CONV_NONE;
					if (c->frame)
						c->frame->flags |= FRAME_TCP_REUSED;
				}
			}
			if (ci == CONV_NONE) {
				/* The initiator is the SYN sender; for a SYN+ACK it is the other side. */
				if ((fl & 0x012) == 0x012)
					ci = conv_add(c->convs, 6, &pi->ip_dst, dport, &pi->ip_src, sport);
				else
					ci = conv_add(c->convs, 6, &pi->ip_src, sport, &pi->ip_dst, dport);
				c->convs->v[ci].first_frame = pi->num;
				c->convs->v[ci].first_ts = pi->ts;
			}
			if (c->frame)
				c->frame->conv = ci;
		} else if (c->frame) {
			ci = c->frame->conv;
		}
		if (ci != CONV_NONE && ci < c->convs->n) {
			cv = &c->convs->v[ci];
			dir = conv_dir(cv, &pi->ip_src, sport);
		}
	}
	/* Quoted headers show raw sequence numbers and have no segment length. */
	struct tw_conv *seqcv = pi->in_error ? NULL : cv;

	if (hlen < 20 || hlen - 20 > buf_reported_left(b)) {
		n = tree_add(t, tcp, &fields[F_SEQ], b, seq_at, 4);
		node_set_u(n, seq);
		n = tree_add(t, tcp, &fields[F_SEQ_RAW], b, seq_at, 4);
		node_set_u(n, seq);
		if (!pi->in_error)
			node_set_u(tree_add_gen(t, tcp, &fields[F_LEN]), seg_len >= hlen ? seg_len - hlen : 0);
		n = tree_add(t, tcp, &fields[F_HDR_LEN], b, fl_at, 1);
		node_set_u(n, hlen);
		if (cv)
			node_set_u(tree_add_gen(t, tcp, &fields[F_STREAM]), cv->stream);
		tree_expert(t, tcp, TW_SEV_ERROR, "Bogus TCP header length (%zu, must be at least 20%s)", hlen,
		            hlen >= 20 ? " and fit the segment" : "");
		if (!pi->in_error)
			col_add_info(c, "%u \xe2\x86\x92 %u [Bogus TCP header length (%zu, must be at least 20)]",
			             sport, dport, hlen);
		buf_set_malformed(b);
		return;
	}

	struct tcp_opts opts = { .mss = -1, .wscale = -1 };
	char optinfo_buf[256];
	struct tw_sb optinfo;
	/* The load pass shows nothing: a 1-byte buffer makes the option text free. */
	sb_fixed(&optinfo, optinfo_buf, c->first_pass ? 1 : sizeof optinfo_buf);

	/* First-pass state: bases, window scale, state bits, counters. */
	if (seqcv && c->first_pass) {
		if (!cv->have_base[dir]) {
			cv->base_seq[dir] = (fl & 0x002) ? seq : seq - 1;
			cv->have_base[dir] = 1;
		}
		if ((fl & 0x010) && !cv->have_base[!dir]) {
			cv->base_seq[!dir] = ack - 1;
			cv->have_base[!dir] = 1;
		}
		if (fl & 0x002) {
			/* Look at the window scale option now. */
			struct tw_buf ob = *b;
			struct tw_buf ob2 = buf_sub(&ob, hlen - 20);
			struct tw_tree *save = c->tree;
			c->tree = NULL;
			tcp_options(c, NULL, &ob2, &opts, &optinfo);
			c->tree = save;
			sb_reset(&optinfo);
			if (fl & 0x010) {
				cv->state |= CONV_SYNACK;
				int other = cv->wscale[!dir];
				if (opts.wscale >= 0 && other >= 0) {
					cv->wscale[dir] = (int8_t)opts.wscale;
				} else {
					cv->wscale[dir] = -2;
					cv->wscale[!dir] = -2;
				}
			} else {
				cv->state |= CONV_SYN;
				cv->wscale[dir] = opts.wscale >= 0 ? (int8_t)opts.wscale : -2;
			}
			opts = (struct tcp_opts){ .mss = -1, .wscale = -1 };
		}
		if (fl & 0x001) {
			cv->state |= dir ? CONV_FIN1 : CONV_FIN0;
			if (!cv->fin_frame[dir]) {
				cv->fin_frame[dir] = pi->num;
				cv->fin_ts[dir] = pi->ts;
			}
		}
		if (fl & 0x004) {
			cv->state |= CONV_RST;
			if (!cv->rst_frame) {
				cv->rst_frame = pi->num;
				cv->rst_ts = pi->ts;
				cv->rst_dir = (uint8_t)dir;
			}
		}
		if (payload_len)
			cv->state |= CONV_DATA;
		cv->frames[dir]++;
		cv->bytes[dir] += pi->len;
		cv->last_frame = pi->num;
		cv->last_ts = pi->ts;
	}

	uint32_t rseq = seq, rack = ack;
	if (seqcv) {
		if (cv->have_base[dir])
			rseq = seq - cv->base_seq[dir];
		if (cv->have_base[!dir])
			rack = ack - cv->base_seq[!dir];
	}
	bool have_ack = fl & 0x010;
	uint32_t nxt = rseq + (uint32_t)payload_len + ((fl & 0x003) ? 1u : 0u);

	/* Tree. */
	if (tcp) {
		if (cv)
			node_set_u(tree_add_gen(t, tcp, &fields[F_STREAM]), cv->stream);
		if (!pi->in_error)
			node_set_u(tree_add_gen(t, tcp, &fields[F_LEN]), payload_len);
		n = tree_add(t, tcp, &fields[F_SEQ], b, seq_at, 4);
		node_set_u(n, rseq);
		if (seqcv)
			node_label(t, n, "Sequence Number: %u    (relative sequence number)", rseq);
		if (!pi->in_error) {
			n = tree_add(t, tcp, &fields[F_SEQ_RAW], b, seq_at, 4);
			node_set_u(n, seq);
		}
		if (!pi->in_error && (payload_len || (fl & 0x003))) {
			n = tree_add_gen(t, tcp, &fields[F_NXTSEQ]);
			node_set_u(n, nxt);
			if (seqcv)
				node_label(t, n, "[Next Sequence Number: %u    (relative sequence number)]", nxt);
		}
		if (have_ack) {
			n = tree_add(t, tcp, &fields[F_ACK], b, seq_at + 4, 4);
			node_set_u(n, rack);
			if (seqcv)
				node_label(t, n, "Acknowledgment Number: %u    (relative ack number)", rack);
			n = tree_add(t, tcp, &fields[F_ACK_RAW], b, seq_at + 4, 4);
			node_set_u(n, ack);
		} else {
			n = tree_add(t, tcp, &fields[F_ACK], b, seq_at + 4, 4);
			node_set_u(n, ack);
			node_set_flags(n, TW_NF_HIDDEN);
			n = tree_add(t, tcp, &fields[F_ACK_RAW], b, seq_at + 4, 4);
			node_set_u(n, ack);
		}
		n = tree_add(t, tcp, &fields[F_HDR_LEN], b, fl_at, 1);
		node_set_u(n, hlen);
		node_label(t, n, "%u%u%u%u .... = Header Length: %zu bytes (%u)", (doff >> 3) & 1,
		           (doff >> 2) & 1, (doff >> 1) & 1, doff & 1, hlen, doff);
		struct tw_node *fn = tree_add_bits(t, tcp, &fields[F_FLAGS], b, fl_at, 2, offfl);
		if (fn && t->labels) {
			struct tw_sb sb;
			sb_heap(&sb);
			sb_addf(&sb, "Flags: 0x%03x (", fl);
			flags_str(&sb, fl);
			sb_addc(&sb, ')');
			node_label(t, fn, "%s", sb.s);
			sb_free(&sb);
		}
		for (int f = F_FLAG_RES; f <= F_FLAG_FIN; f++)
			tree_add_bits(t, fn, &fields[f], b, fl_at, 2, offfl);
		if (fn) {
			struct tw_sb sb;
			sb_heap(&sb);
			flags_pic(&sb, fl);
			n = tree_add_gen(t, fn, &fields[F_FLAG_STR]);
			node_set_bytes_copy(t, n, sb.s, sb.len);
			sb_free(&sb);
		}
		tree_add_bits(t, tcp, &fields[F_WIN_VALUE], b, fl_at + 2, 2, win);
	}

	/* Window scaling (never on SYNs). */
	int64_t scale = -1;
	if (cv && !(fl & 0x002))
		scale = cv->wscale[dir];
	uint32_t cwin = win;
	if (scale >= 0)
		cwin = (uint32_t)win << (scale > 14 ? 14 : scale);
	if (tcp) {
		node_set_u(tree_add_gen(t, tcp, &fields[F_WIN_SIZE]), cwin);
		int64_t factor = scale >= 0 ? (int64_t)1 << (scale > 14 ? 14 : scale) : scale == -2 ? -2 : -1;
		if (fl & 0x002)
			factor = -1;
		node_set_i(tree_add_gen(t, tcp, &fields[F_WIN_SCALEFACTOR]), factor);
	}

	/* Checksum. */
	struct tw_node *cs = tree_add(t, tcp, &fields[F_CHECKSUM], b, cs_at, 2);
	node_set_u(cs, sum);
	uint16_t expect = 0;
	bool offload = false;
	int st = tcp_checksum(c, seg, seg_cap, seg_len, sum, &expect, &offload);
	if (cs) {
		if (st == 0) {
			node_label(t, cs, "Checksum: 0x%04x [correct]", sum);
		} else if (st == 1) {
			node_label(t, cs, "Checksum: 0x%04x incorrect, should be 0x%04x%s", sum, expect,
			           offload ? " (maybe caused by \"TCP checksum offload\"?)" : "");
			node_set_u(tree_add_gen(t, tcp, &fields[F_CHECKSUM_CALC]), expect);
			if (offload)
				tree_expert(t, cs, TW_SEV_NOTE,
				            "Bad checksum, maybe checksum offload: the frame was captured on the sending host before the NIC computed it");
			else
				tree_expert(t, cs, TW_SEV_ERROR, "Bad checksum [should be 0x%04x]", expect);
		} else {
			node_label(t, cs, "Checksum: 0x%04x [unverified]", sum);
		}
		node_set_u(tree_add_gen(t, tcp, &fields[F_CHECKSUM_STATUS]), st == 0 ? 1 : st == 1 ? 0 : 2);
	}
	tree_add_bits(t, tcp, &fields[F_URGENT], b, cs_at + 2, 2, urg);

	if (hlen > 20) {
		struct tw_buf ob = buf_sub(b, hlen - 20);
		tcp_options(c, tcp, &ob, &opts, &optinfo);
		if (b->err == BUF_TRUNC) {
			/* Options on the wire but cut by the snapshot length. */
			node_note_buf(t, tcp, b, "TCP options");
			return;
		}
	}

	if (tcp && t->labels) {
		if (!have_ack)
			node_label(t, tcp, "Transmission Control Protocol, Src Port: %u, Dst Port: %u, Seq: %u, Len: %zu",
			           sport, dport, rseq, payload_len);
		else
			node_label(t, tcp, "Transmission Control Protocol, Src Port: %u, Dst Port: %u, Seq: %u, Ack: %u, Len: %zu",
			           sport, dport, rseq, rack, payload_len);
	}

	/* Payload: reassembled into application PDUs (stream.c). */
	bool fin = fl & 0x001, rst = fl & 0x004;
	uint32_t ci = cv ? (uint32_t)(cv - c->convs->v) : CONV_NONE;
	if (payload_len && !pi->in_error) {
		struct tw_buf pl = buf_rest(b);
		struct tw_node *pn = tree_add_here(t, tcp, &fields[F_PAYLOAD], &pl, buf_left(&pl));
		node_set_bytes(pn, pl.p, buf_left(&pl));
		node_label(t, pn, "TCP payload (%zu byte%s)", payload_len, payload_len == 1 ? "" : "s");
		if (pl.len < pl.reported)
			tree_expert(t, tcp, TW_SEV_NOTE, "Payload cut short by the capture's snapshot length (%zu of %zu bytes)",
			            pl.len, pl.reported);
		if (seqcv)
			tcp_payload(c, &pl, parent, tcp, ci, dir, seq, fin, rst);
		else
			dissect_data(c, &pl, parent);
	} else if (seqcv && (fin || rst) && !pi->in_error) {
		/* A close ends a body delimited by the connection close: it completes here. */
		tcp_payload(c, b, parent, tcp, ci, dir, seq, fin, rst);
	}

	/*
	 * TCP's own Info, only when no application layer took the frame (or
	 * said it is a segment of a PDU): formatted last, so it is never
	 * built just to be replaced.
	 */
	if (!pi->in_error && !c->first_pass && c->pi.top == PROTO_TCP && !pi->info.len) {
		struct tw_sb *info = &pi->info;
		sb_addu(info, sport);
		sb_adds(info, " \xe2\x86\x92 ");
		sb_addu(info, dport);
		sb_adds(info, " [");
		flags_str(info, fl);
		sb_adds(info, "] Seq=");
		sb_addu(info, rseq);
		if (have_ack) {
			sb_adds(info, " Ack=");
			sb_addu(info, rack);
		}
		sb_adds(info, " Win=");
		sb_addu(info, cwin);
		sb_adds(info, " Len=");
		sb_addu(info, payload_len);
		if (fl & 0x020)
			sb_addf(info, " Urg=%u", urg);
		sb_adds(info, optinfo.s);
	}

	/* TCP analysis, decided in the load pass. */
	if (seqcv && c->first_pass && c->frame)
		c->frame->flags |= tcp_analyze(c, cv, dir, seq, ack, (uint32_t)payload_len, fl, cwin);
	if (c->frame && !pi->in_error && (c->frame->flags & FRAME_TCP_ANALYSIS)) {
		struct tw_node *an = NULL;
		char prefix[160];
		struct tw_sb pre;
		sb_fixed(&pre, prefix, sizeof prefix);
		for (size_t i = 0; i < ARRAY_SIZE(analysis); i++) {
			if (!(c->frame->flags & analysis[i].flag))
				continue;
			/* A fast or spurious retransmission is also a retransmission: shown once, with both fields. */
			if (analysis[i].flag == FRAME_TCP_RETRANS &&
			    (c->frame->flags & (FRAME_TCP_FASTRETRANS | FRAME_TCP_SPURIOUS)))
				continue;
			if (!an && tcp) {
				an = tree_add_gen(t, tcp, &fields[F_ANALYSIS]);
				node_label(t, an, "[SEQ/ACK analysis]");
			}
			struct tw_node *x = tree_add_gen(t, an, &fields[analysis[i].field]);
			tree_expert(t, x, analysis[i].sev, "%s", analysis[i].text);
			if (analysis[i].flag & (FRAME_TCP_FASTRETRANS | FRAME_TCP_SPURIOUS))
				tree_add_gen(t, an, &fields[F_AN_RETRANS]); /* as Wireshark: both fields */
			if (analysis[i].flag == FRAME_TCP_DUPACK) {
				const struct tw_dupack *d = dupack_find(c->convs, c->pi.num - 1);
				uint32_t num = d ? d->num : 0, nondup = d ? d->nondup : 0;
				node_set_u(tree_add_gen(t, an, &fields[F_AN_DUPACK_NUM]), num);
				node_set_u(tree_add_gen(t, an, &fields[F_AN_DUPACK_FRAME]), nondup);
				/* tshark lists tcp.analysis.duplicate_ack twice (its expert item has the name too). */
				node_set_flags(tree_add_gen(t, an, &fields[F_AN_DUPACK]), TW_NF_HIDDEN);
				sb_addf(&pre, "[TCP Dup ACK %u#%u] ", nondup, num);
			} else {
				sb_adds(&pre, analysis[i].info);
			}
		}
		if (pre.len) {
			/* Prefix the Info column as Wireshark does. */
			char rest[TW_INFO_MAX];
			size_t rl = c->pi.info.len < sizeof rest - 1 ? c->pi.info.len : sizeof rest - 1;
			memcpy(rest, c->pi.info.s, rl);
			sb_reset(&c->pi.info);
			sb_addn(&c->pi.info, pre.s, pre.len);
			sb_addn(&c->pi.info, rest, rl);
		}
	}
}
