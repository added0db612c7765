/*
 * pkix.h - X.509 certificates, CRLs (RFC 5280) and OCSP (RFC 6960) as
 * detail trees, decoded with OpenSSL (never by hand).
 *
 * Each function decodes the DER in bytes [at, at+len) of view b and, when
 * t and parent are given, adds a subtree under parent with Wireshark's
 * x509af / x509ce / ocsp field names. OpenSSL gives values, not byte
 * positions: a node's range is found by looking for the element's DER
 * encoding forward from the previous element, and falls back to the
 * enclosing range. With t == NULL only the parse is done (summary runs).
 * They return false when OpenSSL rejects the DER; the tree then holds an
 * error finding "[Malformed CRL: <OpenSSL reason>]" (CRL, OCSP, certificate).
 * Time values are FT_ABSTIME (ns since the epoch, UTC).
 */
#ifndef TW_PKIX_H
#define TW_PKIX_H

#include "core/buf.h"
#include "core/tree.h"

/* Certificate Revocation List (application/pkix-crl). */
bool x509_crl_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len);
/* One certificate; the subtree's top is x509af.Certificate_element ("Certificate (CN=...)"). */
/* Under node n: the attributes of DER Name der as hidden x509if.oid / x509sat.* nodes (Wireshark's names). */
void x509_name_attrs_tree(struct tw_tree *t, struct tw_node *n, const uint8_t *der, size_t len);
bool x509_cert_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len);
/* OCSP request / response (application/ocsp-request, application/ocsp-response). */
bool ocsp_request_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len);
bool ocsp_response_tree(struct tw_tree *t, struct tw_node *parent, const struct tw_buf *b, size_t at, size_t len);

/* Most revoked entries / OCSP single responses / certificates put in a tree. */
#define PKIX_MAX_ITEMS 5000

#endif
