/*
 * fuzz_pkix.c - the CRL, OCSP and certificate decoders of pkix.h (OpenSSL
 * parses; our code walks the result and finds byte ranges). The first
 * input byte picks the decoder, the rest is the DER; each runs with a
 * tree (labels on) and without.
 */
#include "core/dissect/pkix.h"
#include "core/tree.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t which = data[0] & 3;
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	struct tw_buf b = buf_init(p, n, n, 0);
	for (int pass = 0; pass < 2; pass++) {
		struct tw_tree t;
		tree_init(&t, true);
		struct tw_tree *tp = pass ? &t : NULL;
		struct tw_node *root = pass ? tree_root(&t) : NULL;
		if (pass)
			tree_add_datasrc(&t, "DER", p, n);
		switch (which) {
		case 0: x509_crl_tree(tp, root, &b, 0, n); break;
		case 1: x509_cert_tree(tp, root, &b, 0, n); break;
		case 2: ocsp_request_tree(tp, root, &b, 0, n); break;
		default: ocsp_response_tree(tp, root, &b, 0, n); break;
		}
		tree_free(&t);
	}
	return 0;
}
