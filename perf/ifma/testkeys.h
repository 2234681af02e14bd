/* SPDX-License-Identifier: Apache-2.0 */
/* testkeys.h - shared by the perf/ifma drivers: OpenSSL test keys (generated once, cached as PEM), raw CRT
   components, and OpenSSL's raw RSA private operation as the reference. */
#ifndef SIGNET_IFMA_TESTKEYS_H
#define SIGNET_IFMA_TESTKEYS_H
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "signet_ifma.h"

typedef struct {
    uint8_t n[512], e[8], p[256], q[256], dp[256], dq[256], qi[256];
    size_t nl, el, pl, ql, dpl, dql, qil;
} raw_key;

/* Big-endian bytes into nw little-endian 64-bit words (zero-extended). */
static inline void words_from_bytes(uint64_t *w, size_t nw, const uint8_t *b, size_t len)
{
    memset(w, 0, nw * 8);
    for (size_t i = 0; i < len; i++)
        w[(len - 1 - i) / 8] |= (uint64_t)b[i] << (8 * ((len - 1 - i) % 8));
}

/* nw little-endian 64-bit words into len = 8 nw big-endian bytes (the inverse of words_from_bytes). */
static inline void bytes_from_words(uint8_t *b, size_t len, const uint64_t *w)
{
    for (size_t i = 0; i < len; i++)
        b[i] = (uint8_t)(w[(len - 1 - i) / 8] >> (8 * ((len - 1 - i) % 8)));
}

static inline size_t bn_param(EVP_PKEY *pk, const char *name, uint8_t *out, size_t cap)
{
    BIGNUM *bn = NULL;
    if (!EVP_PKEY_get_bn_param(pk, name, &bn))
        return 0;
    size_t len = (size_t)BN_num_bytes(bn);
    if (len > cap)
        len = 0;
    else
        BN_bn2bin(bn, out);
    BN_clear_free(bn);
    return len;
}

static inline int raw_from_pkey(EVP_PKEY *pk, raw_key *k)
{
    k->nl = bn_param(pk, OSSL_PKEY_PARAM_RSA_N, k->n, sizeof k->n);
    k->el = bn_param(pk, OSSL_PKEY_PARAM_RSA_E, k->e, sizeof k->e);
    k->pl = bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR1, k->p, sizeof k->p);
    k->ql = bn_param(pk, OSSL_PKEY_PARAM_RSA_FACTOR2, k->q, sizeof k->q);
    k->dpl = bn_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT1, k->dp, sizeof k->dp);
    k->dql = bn_param(pk, OSSL_PKEY_PARAM_RSA_EXPONENT2, k->dq, sizeof k->dq);
    k->qil = bn_param(pk, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, k->qi, sizeof k->qi);
    return k->nl && k->el && k->pl && k->ql && k->dpl && k->dql && k->qil;
}

static inline signet_rsa_engine_key *load_raw(const raw_key *k, int backend, int *err)
{
    const signet_rsa_key_params params = {
        .n = k->n, .n_len = k->nl, .e = k->e, .e_len = k->el, .p = k->p, .p_len = k->pl, .q = k->q, .q_len = k->ql,
        .dp = k->dp, .dp_len = k->dpl, .dq = k->dq, .dq_len = k->dql, .qinv = k->qi, .qinv_len = k->qil,
    };
    return signet_rsa_engine_key_new(&params, backend, err);
}

static inline EVP_PKEY *get_key(const char *cache, int bits, int idx)
{
    char path[512];
    unsigned e = (idx % 5 == 4) ? 3 : 65537;
    snprintf(path, sizeof path, "%s/rsa%d_%02d_e%u.pem", cache, bits, idx, e);
    FILE *f = fopen(path, "r");
    EVP_PKEY *pk = NULL;
    if (f != NULL) {
        pk = PEM_read_PrivateKey(f, NULL, NULL, NULL);
        fclose(f);
        if (pk != NULL)
            return pk;
    }
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
    BIGNUM *be = BN_new();
    BN_set_word(be, e);
    if (ctx == NULL || be == NULL || EVP_PKEY_keygen_init(ctx) <= 0 ||
        EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, bits) <= 0 ||
        EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, be) <= 0 || EVP_PKEY_keygen(ctx, &pk) <= 0)
        pk = NULL;
    BN_free(be);
    EVP_PKEY_CTX_free(ctx);
    /* written aside and renamed into place: drivers running side by side never read a half-written key */
    char tmp[600];
    snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
    if (pk != NULL && (f = fopen(tmp, "w")) != NULL) {
        int ok = PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) == 1;
        ok &= fclose(f) == 0;
        if (!ok || rename(tmp, path) != 0)
            remove(tmp);
    }
    return pk;
}

static inline int ossl_raw_sign(EVP_PKEY *pk, const uint8_t *in, size_t k, uint8_t *out)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(pk, NULL);
    size_t len = k;
    int ok = ctx != NULL && EVP_PKEY_sign_init(ctx) > 0 && EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_NO_PADDING) > 0 &&
             EVP_PKEY_sign(ctx, out, &len, in, k) > 0 && len == k;
    EVP_PKEY_CTX_free(ctx);
    return ok;
}

#endif
