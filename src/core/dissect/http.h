/*
 * http.h - what the HTTP load pass (http.c) learned, for other modules:
 * the exchanges of a source found by request URL, for revocation
 * matching (a certificate's CRL distribution point, OCSP and CA issuers
 * URLs, x509.h). The load pass keeps the bodies of CRL, OCSP and
 * certificate responses (at most 16 MiB each and 64 MiB per source) so
 * the chain model can read them without dissecting again.
 */
#ifndef TW_HTTP_H
#define TW_HTTP_H

#include "core/x509.h"

/*
 * tw_http_lookup_fn over one source: convs is its struct tw_convs. Hits
 * are in request order, with source 0 and an empty `where`; body pointers
 * stay valid while the source is loaded.
 */
size_t http_url_lookup(void *convs, const char *url, size_t len, bool prefix, struct tw_http_hit *out, size_t max);
/*
 * After the load pass: sort what display would sort on first use (the
 * messages by frame), so that dissecting afterwards only reads the state
 * and threads can share it (http_url_lookup builds its index under a lock).
 */
void http_state_freeze(void *convs);

#endif
