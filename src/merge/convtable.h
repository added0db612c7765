/*
 * convtable.h - `--conversations`: the TCP and UDP conversation tables of
 * every capture (like `tshark -q -z conv,tcp -z conv,udp`), with how each
 * TCP connection got on and ended, and the TLS handshake summary.
 */
#ifndef TW_CONVTABLE_H
#define TW_CONVTABLE_H

#include "merge/timeline.h"

#include <stdio.h>

/*
 * keep (may be NULL): per timeline row, count only frames with keep[row]
 * != 0 (-Y): a conversation is listed when one of its frames is kept, and
 * its frames, bytes, start and duration are those of the kept frames (like
 * `tshark -z conv,tcp,FILTER`); its state and end describe the whole
 * connection.
 */
#include <stdint.h>
void print_conversations(FILE *out, const struct tw_timeline *tl, const uint8_t *keep);

/* How far a TCP connection got: "established", "SYN only", ... */
const char *conv_tcp_state(const struct tw_conv *cv);
/* How it ended: "FIN by client (frame 36)", "RST by server (frame 35)", "open". */
void conv_tcp_end(struct tw_sb *sb, const struct tw_conv *cv);

#endif
