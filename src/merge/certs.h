/*
 * certs.h - `tracewb --certs`: every certificate chain of the timeline's
 * captures, checked (x509.h), as a report or as JSON (one object per
 * chain and line, the whole chain model).
 *
 * For each capture and each TLS connection with a Certificate message,
 * the server's chain and the client's (mutual TLS), each checked at the
 * time of the frame that carried it, against the ClientHello's SNI and,
 * for a client chain, the CertificateRequest's CA names; CRL, OCSP and CA
 * issuers URLs are matched with the HTTP requests of every capture of the
 * timeline. TLS 1.3 connections are listed with their certificates
 * encrypted. With trust anchors loaded (x509_trust_load, --ca-file /
 * --ca-dir) each chain also gets OpenSSL's verdict.
 */
#ifndef TW_CERTS_H
#define TW_CERTS_H

#include "merge/timeline.h"

#include <stdio.h>

struct certs_opts {
	bool json;           /* -T json: one JSON object per chain and line */
};

/*
 * Print every chain of tl (tl must be built). Returns the number of
 * error findings over all chains (0: nothing wrong was found).
 */
size_t print_certs(FILE *out, const struct tw_timeline *tl, const struct certs_opts *o);

/*
 * Add every certificate error and warning of tl's chains to the analysis
 * (diagnose_add_cert_finding), on the row of the frame that carried the
 * chain: for --check and the UI, after analyze().
 */
struct tw_analysis;
void certs_diagnose(struct tw_analysis *a);

#endif
