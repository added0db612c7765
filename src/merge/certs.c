/* certs.c - the --certs report and JSON (see certs.h). */
#include "merge/certs.h"

#include "core/capture.h"
#include "core/conv.h"
#include "core/dissect/http.h"
#include "core/dissect/tls.h"
#include "core/field.h"
#include "core/str.h"
#include "core/x509.h"
#include "merge/diagnose.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- revocation data from every capture of the timeline ------------------ */

struct lookup_ctx {
	const struct tw_timeline *tl;
	size_t self;          /* the chain's source */
	char where[26][4];    /* "B:" per source (empty with a single source), as rows are named */
};

static size_t
lookup_all(void *arg, const char *url, size_t len, bool prefix, struct tw_http_hit *out, size_t max)
{
	struct lookup_ctx *k = arg;
	size_t n = 0;
	/* The chain's own capture first, then the others in command-line order. */
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < k->tl->nsrc && n < max; s++) {
			const struct tw_source_ref *src = &k->tl->src[s];
			if ((pass == 0) != (s == k->self) || src->kind != ROW_FRAME || !src->cap)
				continue;
			size_t m = http_url_lookup(capture_convs(src->cap), url, len, prefix, out + n, max - n);
			for (size_t i = n; i < n + m; i++) {
				out[i].source = (uint16_t)s;
				out[i].where = k->where[s < 26 ? s : 25]; /* "B:" with several sources */
			}
			n += m;
		}
	return n;
}

/* ---- walking the chains ------------------------------------------------------- */

struct chain_ref {
	size_t src;
	const struct tw_source_ref *s;
	struct tw_capture *cap;
	const struct tls_conn *tc;
	const struct tw_conv *cv;
	int dir;                 /* -1: a TLS 1.3 connection (certificates encrypted) */
	bool server;
	uint32_t frame;
	tw_time when;
	struct tw_chain *ch;     /* NULL for TLS 1.3 */
};

typedef void (*chain_fn)(void *arg, const struct chain_ref *r);

/* Every chain of the timeline in source order, then connection order; server chain first. */
static void
each_chain(const struct tw_timeline *tl, chain_fn fn, void *arg, size_t *others)
{
	struct lookup_ctx lk;
	memset(&lk, 0, sizeof lk);
	lk.tl = tl;
	for (size_t s = 0; s < tl->nsrc && s < 26; s++)
		if (tl->nsrc > 1)
			snprintf(lk.where[s], sizeof lk.where[s], "%c:", tl->src[s].letter);
	for (size_t s = 0; s < tl->nsrc; s++) {
		const struct tw_source_ref *src = &tl->src[s];
		if (src->kind != ROW_FRAME || !src->cap)
			continue;
		struct tw_convs *cs = capture_convs(src->cap);
		lk.self = s;
		for (size_t i = 0;; i++) {
			const struct tls_conn *tc = tls_conn_nth(cs, i);
			if (!tc)
				break;
			struct chain_ref r;
			memset(&r, 0, sizeof r);
			r.src = s;
			r.s = src;
			r.cap = src->cap;
			r.tc = tc;
			r.cv = tc->conv < cs->n ? &cs->v[tc->conv] : NULL;
			int sd = tls_server_dir(tc);
			bool any = false;
			for (int k = 0; k < 2; k++) {
				int dir = k == 0 ? sd : !sd;
				if (!tc->cert_msg[dir].len)
					continue;
				r.dir = dir;
				r.server = dir == sd;
				r.frame = tc->cert_frame[dir];
				const struct tw_frame *f = r.frame ? capture_frame(src->cap, r.frame - 1) : NULL;
				r.when = f ? f->ts + src->offset : 0;
				r.ch = tls_conn_chain(cs, src->cap, tc, dir, r.when, lookup_all, &lk);
				if (!r.ch)
					continue;
				any = true;
				fn(arg, &r);
				x509_chain_free(r.ch);
			}
			if (!any && tls_conn_is_13(tc)) {
				r.dir = -1;
				r.server = true;
				r.ch = NULL;
				r.frame = tc->sh_frame;
				fn(arg, &r);
			} else if (!any && others) {
				(*others)++;
			}
		}
	}
}

/* ---- text ------------------------------------------------------------------------ */

static void
conn_line(struct tw_sb *sb, const struct chain_ref *r)
{
	const char *name = capture_name(r->cap);
	sb_add_escaped(sb, name, strlen(name));
	if (r->cv) {
		int sd = tls_server_dir(r->tc);
		sb_addf(sb, " tcp.stream %u: ", r->cv->stream);
		addr_format(sb, &r->cv->addr[!sd]);
		sb_addf(sb, ":%u \xe2\x86\x92 ", r->cv->port[!sd]);
		addr_format(sb, &r->cv->addr[sd]);
		sb_addf(sb, ":%u", r->cv->port[sd]);
	}
	if (r->tc->sni_len) {
		sb_adds(sb, ", SNI ");
		sb_add_escaped(sb, r->tc->sni, r->tc->sni_len);
	} else {
		sb_adds(sb, ", no SNI");
	}
	if (r->tc->version)
		sb_addf(sb, ", %s", tls_version_short(r->tc->version));
}

static void
time_text(struct tw_sb *sb, tw_time t)
{
	fmt_abs_time(sb, t, true, true, 6);
	sb_adds(sb, " UTC");
}

static void
counts_text(struct tw_sb *sb, int e, int w, int n)
{
	if (!e && !w && !n) {
		sb_adds(sb, "no findings");
		return;
	}
	sb_addf(sb, "%d error%s, %d warning%s, %d note%s", e, e == 1 ? "" : "s", w, w == 1 ? "" : "s", n,
	        n == 1 ? "" : "s");
}

static const char *
sev_word(uint8_t sev)
{
	return sev == TW_SEV_ERROR ? "ERROR" : sev == TW_SEV_WARN ? "WARNING" : "note";
}

static void
fact(FILE *out, const char *key, const char *val)
{
	fprintf(out, "       %-11s %s\n", key, val);
}

static void
strv_line(FILE *out, const char *key, const struct tw_strv *v)
{
	if (!v->n)
		return;
	struct tw_sb sb;
	sb_heap(&sb);
	for (size_t i = 0; i < v->n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", v->v[i]);
	fact(out, key, sb.s);
	sb_free(&sb);
}

static const char *
sig_check_word(const struct tw_chain *ch, const struct tw_cert *c, char *buf, size_t cap)
{
	switch (c->sig_check) {
	case TW_SIG_OK:
		if (c->issued_by == (int)(c - ch->c))
			snprintf(buf, cap, "verified (self-signed)");
		else
			snprintf(buf, cap, "verified with the key of certificate %d", c->issued_by + 1);
		break;
	case TW_SIG_BAD: snprintf(buf, cap, "DOES NOT VERIFY"); break;
	case TW_SIG_UNSUPPORTED: snprintf(buf, cap, "cannot verify: %s unsupported", c->sig_digest ? c->sig_digest : "digest"); break;
	case TW_SIG_NO_KEY: snprintf(buf, cap, "cannot verify: the issuer's key is unreadable"); break;
	default: snprintf(buf, cap, "not checked: issuer not sent"); break;
	}
	return buf;
}

static void
print_findings(FILE *out, const struct tw_chain *ch, int cert, const char *indent)
{
	for (size_t k = 0; k < ch->nf; k++) {
		const struct tw_cert_finding *f = &ch->f[k];
		if (f->cert == cert)
			fprintf(out, "%s%-7s %s: %s\n", indent, sev_word(f->sev), f->code, f->text);
	}
}

static void
print_cert(FILE *out, const struct tw_chain *ch, size_t i)
{
	const struct tw_cert *c = &ch->c[i];
	if (!c->x) {
		fprintf(out, "    %zu. (%zu bytes, not a certificate: %s)\n", i + 1, c->der_len, c->error ? c->error : "?");
		print_findings(out, ch, (int)i, "       ");
		return;
	}
	fprintf(out, "    %zu. %s\n", i + 1, c->subject);
	struct tw_sb sb;
	sb_heap(&sb);
	fact(out, "issuer", c->issuer);
	sb_addf(&sb, "%s, version %d", c->serial, c->version);
	fact(out, "serial", sb.s);
	if (c->have_validity) {
		sb_reset(&sb);
		fmt_abs_time(&sb, c->not_before, true, true, 0);
		sb_adds(&sb, " UTC to ");
		fmt_abs_time(&sb, c->not_after, true, true, 0);
		sb_adds(&sb, " UTC");
		if (ch->when)
			sb_adds(&sb, ch->when < c->not_before ? " (not yet valid at the capture)" :
			             ch->when > c->not_after ? " (expired at the capture)" : " (valid at the capture)");
		fact(out, "validity", sb.s);
	}
	sb_reset(&sb);
	char buf[200];
	sb_addf(&sb, "%s (%s), %s", c->sig_name, c->sig_oid, sig_check_word(ch, c, buf, sizeof buf));
	fact(out, "signature", sb.s);
	sb_reset(&sb);
	sb_adds(&sb, c->key_type);
	if (c->key_bits)
		sb_addf(&sb, " %d bits", c->key_bits);
	if (c->key_curve)
		sb_addf(&sb, ", %s", c->key_curve);
	fact(out, "key", sb.s);
	sb_reset(&sb);
	if (c->has_bc) {
		sb_adds(&sb, c->is_ca ? "CA:TRUE" : "CA:FALSE");
		if (c->pathlen >= 0)
			sb_addf(&sb, ", pathlen %ld", c->pathlen);
	} else {
		sb_adds(&sb, "no basicConstraints");
	}
	if (c->key_usage_text)
		sb_addf(&sb, "; key usage %s", c->key_usage_text);
	if (c->self_issued)
		sb_adds(&sb, "; self-signed");
	fact(out, "usage", sb.s);
	strv_line(out, "ext. usage", &c->eku);
	strv_line(out, "names", &c->san);
	for (size_t u = 0; u < c->nurls; u++)
		fact(out, c->urls[u].kind == TW_URL_CDP ? "CRL" : c->urls[u].kind == TW_URL_OCSP ? "OCSP" : "CA issuers",
		     c->urls[u].shown);
	for (size_t k = 0; k < c->nfetch; k++)
		fact(out, "in trace", c->fetch[k].text);
	strv_line(out, "policies", &c->policies);
	strv_line(out, "other ext.", &c->unknown_ext);
	fact(out, "sha256", c->sha256);
	sb_free(&sb);
	print_findings(out, ch, (int)i, "       ");
}

struct text_state {
	FILE *out;
	size_t errors;
	size_t nchains;
	size_t last_src;
	const struct tls_conn *last_tc;
};

static void
text_chain(void *arg, const struct chain_ref *r)
{
	struct text_state *st = arg;
	FILE *out = st->out;
	struct tw_sb sb;
	sb_heap(&sb);
	if (st->last_tc != r->tc || st->last_src != r->src) {
		if (st->nchains)
			fputc('\n', out);
		conn_line(&sb, r);
		fprintf(out, "%s\n", sb.s);
		st->last_tc = r->tc;
		st->last_src = r->src;
	}
	st->nchains++;
	if (!r->ch) {
		fprintf(out, "  certificates encrypted (TLS 1.3): the chain is not in the capture\n");
		sb_free(&sb);
		return;
	}
	const struct tw_chain *ch = r->ch;
	st->errors += (size_t)ch->errors;
	sb_reset(&sb);
	sb_addf(&sb, "  %s chain, frame %u (", r->server ? "Server" : "Client", r->frame);
	time_text(&sb, r->when);
	sb_addf(&sb, "), %zu certificate%s: ", ch->nsent, ch->nsent == 1 ? "" : "s");
	counts_text(&sb, ch->errors, ch->warnings, ch->notes);
	fprintf(out, "%s\n", sb.s);
	if (!r->server && ch->have_certreq) {
		sb_reset(&sb);
		for (size_t k = 0; k < ch->ca_names.n; k++)
			sb_addf(&sb, "%s'%s'", k ? ", " : "", ch->ca_names.v[k]);
		fprintf(out, "    the server's CertificateRequest (frame %u) accepts %s\n", ch->certreq_frame,
		        ch->ca_names.n ? sb.s : "any CA it trusts");
	}
	for (size_t i = 0; i < ch->n; i++)
		print_cert(out, ch, i);
	if (ch->nsent > ch->n)
		fprintf(out, "    (%zu more certificates not decoded)\n", ch->nsent - ch->n);
	if (ch->path_text)
		fprintf(out, "    %s\n", ch->path_text);
	if (ch->trust_text)
		fprintf(out, "    %s\n", ch->trust_text);
	print_findings(out, ch, -1, "    ");
	if (!ch->nf)
		fprintf(out, "    no findings: nothing wrong with this chain\n");
	sb_free(&sb);
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *
jstr(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	return j ? j : json_string("(invalid UTF-8)");
}

static json_t *
jtime(tw_time t)
{
	struct tw_sb sb;
	sb_heap(&sb);
	fmt_abs_time(&sb, t, true, true, 9);
	if (sb.len > 10)
		sb.s[10] = 'T';
	sb_addc(&sb, 'Z');
	json_t *j = jstr(sb.s);
	sb_free(&sb);
	return j;
}

static json_t *
jstrv(const struct tw_strv *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, jstr(v->v[i]));
	return a;
}

static json_t *
jfindings(const struct tw_chain *ch, int cert, bool all)
{
	json_t *a = json_array();
	for (size_t k = 0; k < ch->nf; k++) {
		const struct tw_cert_finding *f = &ch->f[k];
		if (!all && f->cert != cert)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "severity", jstr(tw_sev_name((enum tw_sev)f->sev)));
		json_object_set_new(o, "certificate", f->cert >= 0 ? json_integer(f->cert + 1) : json_null());
		json_object_set_new(o, "code", jstr(f->code));
		json_object_set_new(o, "text", jstr(f->text));
		json_array_append_new(a, o);
	}
	return a;
}

static const char *const sig_check_names[] = { "unchecked", "ok", "bad", "unsupported", "no-key" };

static json_t *
jcert(const struct tw_chain *ch, size_t i)
{
	const struct tw_cert *c = &ch->c[i];
	json_t *o = json_object();
	json_object_set_new(o, "index", json_integer((json_int_t)i + 1));
	json_object_set_new(o, "der_length", json_integer((json_int_t)c->der_len));
	if (!c->x) {
		json_object_set_new(o, "error", jstr(c->error));
		json_object_set_new(o, "findings", jfindings(ch, (int)i, false));
		return o;
	}
	json_object_set_new(o, "subject", jstr(c->subject));
	json_object_set_new(o, "issuer", jstr(c->issuer));
	json_object_set_new(o, "name", jstr(c->name));
	json_object_set_new(o, "serial", jstr(c->serial));
	json_object_set_new(o, "version", json_integer(c->version));
	json_object_set_new(o, "not_before", c->have_validity ? jtime(c->not_before) : json_null());
	json_object_set_new(o, "not_after", c->have_validity ? jtime(c->not_after) : json_null());
	json_t *sig = json_object();
	json_object_set_new(sig, "name", jstr(c->sig_name));
	json_object_set_new(sig, "oid", jstr(c->sig_oid));
	json_object_set_new(sig, "digest", jstr(c->sig_digest));
	json_object_set_new(sig, "digest_supported", json_boolean(c->digest_supported));
	json_object_set_new(sig, "check", jstr(sig_check_names[c->sig_check]));
	json_object_set_new(o, "signature_algorithm", sig);
	json_t *key = json_object();
	json_object_set_new(key, "type", jstr(c->key_type));
	json_object_set_new(key, "known", json_boolean(c->key_known));
	json_object_set_new(key, "bits", c->key_bits ? json_integer(c->key_bits) : json_null());
	json_object_set_new(key, "curve", jstr(c->key_curve));
	json_object_set_new(o, "public_key", key);
	if (c->has_bc) {
		json_t *bc = json_object();
		json_object_set_new(bc, "ca", json_boolean(c->is_ca));
		json_object_set_new(bc, "pathlen", c->pathlen >= 0 ? json_integer(c->pathlen) : json_null());
		json_object_set_new(o, "basic_constraints", bc);
	} else {
		json_object_set_new(o, "basic_constraints", json_null());
	}
	json_object_set_new(o, "key_usage", jstr(c->key_usage_text));
	json_object_set_new(o, "extended_key_usage", c->xku != UINT32_MAX ? jstrv(&c->eku) : json_null());
	json_object_set_new(o, "subject_alt_names", jstrv(&c->san));
	json_t *cdp = json_array(), *ocsp = json_array(), *cai = json_array();
	for (size_t u = 0; u < c->nurls; u++)
		json_array_append_new(c->urls[u].kind == TW_URL_CDP ? cdp : c->urls[u].kind == TW_URL_OCSP ? ocsp : cai,
		                      jstr(c->urls[u].shown));
	json_object_set_new(o, "crl_distribution_points", cdp);
	json_object_set_new(o, "ocsp", ocsp);
	json_object_set_new(o, "ca_issuers", cai);
	json_object_set_new(o, "subject_key_identifier", jstr(c->ski));
	json_object_set_new(o, "authority_key_identifier", jstr(c->aki));
	json_object_set_new(o, "policies", jstrv(&c->policies));
	json_object_set_new(o, "unknown_extensions", jstrv(&c->unknown_ext));
	json_object_set_new(o, "sha1", jstr(c->sha1));
	json_object_set_new(o, "sha256", jstr(c->sha256));
	json_object_set_new(o, "self_signed", json_boolean(c->self_issued));
	json_object_set_new(o, "issued_by", c->issued_by >= 0 ? json_integer(c->issued_by + 1) : json_null());
	json_object_set_new(o, "in_path", json_boolean(c->in_path));
	json_object_set_new(o, "duplicate", json_boolean(c->duplicate));
	json_t *rev = json_array();
	for (size_t k = 0; k < c->nfetch; k++) {
		const struct tw_cert_fetch *f = &c->fetch[k];
		json_t *x = json_object();
		const struct tw_cert_url *u = &c->urls[f->url];
		json_object_set_new(x, "kind", jstr(u->kind == TW_URL_CDP ? "crl" : u->kind == TW_URL_OCSP ? "ocsp" : "ca_issuers"));
		json_object_set_new(x, "url", jstr(u->shown));
		json_object_set_new(x, "source", json_integer(f->source));
		json_object_set_new(x, "request_frame", json_integer(f->req_frame));
		json_object_set_new(x, "response_frame", f->res_frame ? json_integer(f->res_frame) : json_null());
		json_object_set_new(x, "status", f->status ? json_integer(f->status) : json_null());
		if (f->crl) {
			json_t *crl = json_object();
			json_object_set_new(crl, "issuer_matches", json_boolean(f->crl_issuer_ok));
			json_object_set_new(crl, "this_update", jtime(f->this_update));
			json_object_set_new(crl, "next_update", f->have_next ? jtime(f->next_update) : json_null());
			json_object_set_new(crl, "revoked_entries", json_integer(f->nrevoked));
			json_object_set_new(x, "crl", crl);
		}
		if (f->ocsp >= 0)
			json_object_set_new(x, "ocsp_status", json_integer(f->ocsp));
		json_object_set_new(x, "revoked", json_boolean(f->revoked));
		json_object_set_new(x, "text", jstr(f->text));
		json_array_append_new(rev, x);
	}
	json_object_set_new(o, "revocation", rev);
	json_object_set_new(o, "findings", jfindings(ch, (int)i, false));
	return o;
}

struct json_state {
	FILE *out;
	size_t errors;
};

static void
json_chain(void *arg, const struct chain_ref *r)
{
	struct json_state *st = arg;
	json_t *o = json_object();
	const char *name = capture_name(r->cap);
	struct tw_sb sb;
	sb_heap(&sb);
	sb_add_escaped(&sb, name, strlen(name));
	json_object_set_new(o, "source", jstr(sb.s));
	if (r->cv) {
		int sd = tls_server_dir(r->tc);
		json_object_set_new(o, "stream", json_integer(r->cv->stream));
		for (int k = 0; k < 2; k++) {
			int side = k == 0 ? !sd : sd;
			sb_reset(&sb);
			addr_format(&sb, &r->cv->addr[side]);
			sb_addf(&sb, ":%u", r->cv->port[side]);
			json_object_set_new(o, k == 0 ? "client" : "server", jstr(sb.s));
		}
	}
	if (r->tc->sni_len) {
		sb_reset(&sb);
		sb_add_escaped(&sb, r->tc->sni, r->tc->sni_len);
		json_object_set_new(o, "sni", jstr(sb.s));
	} else {
		json_object_set_new(o, "sni", json_null());
	}
	json_object_set_new(o, "tls_version", r->tc->version ? jstr(tls_version_short(r->tc->version)) : json_null());
	json_object_set_new(o, "side", jstr(r->server ? "server" : "client"));
	json_object_set_new(o, "encrypted", json_boolean(r->ch == NULL));
	if (r->ch) {
		const struct tw_chain *ch = r->ch;
		st->errors += (size_t)ch->errors;
		json_object_set_new(o, "frame", json_integer(r->frame));
		json_object_set_new(o, "time", jtime(r->when));
		json_object_set_new(o, "certificates_sent", json_integer((json_int_t)ch->nsent));
		json_t *certs = json_array();
		for (size_t i = 0; i < ch->n; i++)
			json_array_append_new(certs, jcert(ch, i));
		json_object_set_new(o, "certificates", certs);
		if (!r->server) {
			json_object_set_new(o, "certificate_request_frame",
			                    ch->have_certreq ? json_integer(ch->certreq_frame) : json_null());
			json_object_set_new(o, "acceptable_cas", jstrv(&ch->ca_names));
		}
		json_object_set_new(o, "path", jstr(ch->path_text));
		if (ch->trust_checked) {
			json_t *v = json_object();
			json_object_set_new(v, "trusted", json_boolean(ch->trusted));
			json_object_set_new(v, "text", jstr(ch->trust_text));
			json_object_set_new(o, "verification", v);
		}
		json_object_set_new(o, "findings", jfindings(ch, -1, true));
		json_object_set_new(o, "errors", json_integer(ch->errors));
		json_object_set_new(o, "warnings", json_integer(ch->warnings));
		json_object_set_new(o, "notes", json_integer(ch->notes));
	} else {
		json_object_set_new(o, "frame", r->frame ? json_integer(r->frame) : json_null());
		json_object_set_new(o, "certificates", json_array());
		json_object_set_new(o, "findings", json_array());
	}
	char *txt = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII);
	if (txt) {
		fputs(txt, st->out);
		fputc('\n', st->out);
		free(txt);
	}
	json_decref(o);
	sb_free(&sb);
}

size_t
print_certs(FILE *out, const struct tw_timeline *tl, const struct certs_opts *o)
{
	if (o && o->json) {
		struct json_state st = { out, 0 };
		each_chain(tl, json_chain, &st, NULL);
		return st.errors;
	}
	struct text_state st;
	memset(&st, 0, sizeof st);
	st.out = out;
	st.last_src = SIZE_MAX;
	size_t others = 0;
	each_chain(tl, text_chain, &st, &others);
	if (st.nchains)
		fputc('\n', out);
	fprintf(out, "%zu chain%s", st.nchains, st.nchains == 1 ? "" : "s");
	if (others)
		fprintf(out, "; %zu TLS connection%s without a Certificate message", others, others == 1 ? "" : "s");
	fprintf(out, "; %zu error%s\n", st.errors, st.errors == 1 ? "" : "s");
	return st.errors;
}

/* ---- findings for the diagnosis ----------------------------------------------------- */

static void
diag_chain(void *arg, const struct chain_ref *r)
{
	struct tw_analysis *a = arg;
	if (!r->ch || !r->frame)
		return;
	uint32_t row = links_row_of(&a->links, r->src, r->frame - 1);
	if (row == UINT32_MAX)
		return;
	for (size_t k = 0; k < r->ch->nf; k++) {
		const struct tw_cert_finding *f = &r->ch->f[k];
		if (f->sev >= TW_SEV_WARN)
			diagnose_add_cert_finding(a, row, (uint16_t)r->src, r->tc->conv, (enum tw_sev)f->sev, f->text);
	}
}

void
certs_diagnose(struct tw_analysis *a)
{
	if (a && a->tl)
		each_chain(a->tl, diag_chain, a, NULL);
}
