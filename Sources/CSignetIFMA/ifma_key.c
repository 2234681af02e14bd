/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_key.c - private-key loading and its checks (shape, n == p q, the CRT relations, a round trip through the
 * chosen backend) and the derived constants of the CRT halves. Builds on ifma_crt.c (the round trip) and
 * ifma_public.c (the public shape and half).
 *
 * Constant time (argument: ifma_rsa_internal.h): every check on p, q, dp, dq, qinv is a mask computed by ifma_bn.c;
 * only the combined outcome of the shape check and of the consistency checks (one bit each: the key is accepted or
 * not) is made public. Leading zero bytes are stripped from public values (n, e) only.
 */
#include <string.h>

#include "ifma_rsa_internal.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Public API                                                                                                   */

static signet_rsa_engine_key *fail_key(signet_rsa_engine_key *key, ifma_scratch *sc, int code, int *err)
{
    ifma_scrub_stack();
    ifma_free_wiped(sc, sizeof *sc);
    ifma_free_wiped(key, sizeof *key);
    if (err != NULL)
        *err = code;
    return NULL;
}

signet_rsa_engine_key *signet_rsa_engine_key_new(const signet_rsa_key_params *params, int backend, int *err)
{
    if (err != NULL)
        *err = SIGNET_IFMA_OK;
    if (params == NULL)
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_ARGUMENT, err);
    const uint8_t *n = params->n, *e = params->e, *p = params->p, *q = params->q, *dp = params->dp, *dq = params->dq,
                  *qinv = params->qinv;
    size_t n_len = params->n_len; /* advanced past leading zero bytes by ifma_public_shape */
    const size_t e_len = params->e_len, p_len = params->p_len, q_len = params->q_len, dp_len = params->dp_len,
                 dq_len = params->dq_len, qinv_len = params->qinv_len;
    if (n == NULL || e == NULL || p == NULL || q == NULL || dp == NULL || dq == NULL || qinv == NULL)
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_ARGUMENT, err);
    const ifma_backend *be = ifma_backend_get(backend);
    if (be == NULL)
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_BACKEND, err);

    uint64_t ev;
    if (!ifma_public_shape(&n, &n_len, e, e_len, &ev))
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, err);

    signet_rsa_engine_key *key = ifma_alloc64(sizeof *key);
    ifma_scratch *sc = ifma_alloc64(sizeof *sc);
    if (key == NULL || sc == NULL)
        return fail_key(key, sc, SIGNET_IFMA_ERR_NO_MEMORY, err);
    ifma_init_pub(&key->pub, be, backend, n, n_len, ev);
    key->hw = key->pub.nw / 2;
    key->hbits = (unsigned)(n_len * 4);
    key->nlimbs = key->hbits == 1024 ? 20 : key->hbits == 1536 ? 30 : 40;
    key->nsel = key->hbits == 1024 ? 0 : key->hbits == 1536 ? 2 : 1;
    const size_t nw = key->pub.nw, hw = key->hw;

    /* secret components: every check is a mask; only the combined outcome is made public */
    uint64_t fits = sbn_from_bytes(key->p, hw, p, p_len) & sbn_from_bytes(key->q, hw, q, q_len) &
                    sbn_from_bytes(key->dp, hw, dp, dp_len) & sbn_from_bytes(key->dq, hw, dq, dq_len) &
                    sbn_from_bytes(sc->h, hw, qinv, qinv_len);
    /* p and q of exactly half of n's bits, odd */
    uint64_t shape = fits & (0 - ((key->p[hw - 1] >> 63) & (key->q[hw - 1] >> 63) & key->p[0] & key->q[0] & 1));
    IFMA_DECLASSIFY(&shape, sizeof shape);
    if (!shape)
        return fail_key(key, sc, SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, err);

    uint64_t ok = ~(uint64_t)0;
    sbn_mul(sc->v, key->p, hw, key->q, hw); /* n == p q */
    ok &= sbn_eq_mask(sc->v, key->pub.n, nw);
    ok &= sbn_lt_mask(key->dp, key->p, hw) & sbn_lt_mask(key->dq, key->q, hw) & sbn_lt_mask(sc->h, key->p, hw);
    /* e dp == 1 mod (p - 1), e dq == 1 mod (q - 1) */
    for (int half = 0; half < 2; half++) {
        const uint64_t *m = half ? key->q : key->p, *d = half ? key->dq : key->dp;
        memset(sc->b, 0, hw * sizeof(uint64_t));
        sc->b[0] = 1;
        sbn_sub(sc->d, m, sc->b, hw);          /* m - 1 */
        sbn_mul(sc->v, d, hw, &key->pub.e, 1); /* e d: hw + 1 words */
        sbn_mod(sc->sp, sc->v, hw + 1, sc->d, hw, sc->t);
        ok &= sbn_is_word_mask(sc->sp, hw, 1);
    }
    /* q qinv == 1 mod p */
    sbn_mul(sc->v, key->q, hw, sc->h, hw);
    sbn_mod(sc->sp, sc->v, nw, key->p, hw, sc->t);
    ok &= sbn_is_word_mask(sc->sp, hw, 1);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    if (!ok)
        return fail_key(key, sc, SIGNET_IFMA_ERR_KEY_INCONSISTENT, err);

    /* derived constants */
    ifma_setup_half(&key->mp, key->p, hw, key->nlimbs, sc->t, sc->sp);
    ifma_setup_half(&key->mq, key->q, hw, key->nlimbs, sc->t, sc->sp);
    memset(sc->b, 0, hw * sizeof(uint64_t));
    sc->b[0] = 2;
    sbn_sub(key->pm2, key->p, sc->b, hw);
    sbn_sub(key->qm2, key->q, sc->b, hw);
    memcpy(key->qinv_m, sc->h, hw * sizeof(uint64_t));
    for (size_t i = 0; i < 64 * hw; i++)
        sbn_mod_double(key->qinv_m, key->p, hw, sc->t);
    key->p_inv64 = sbn_neg_inv64(key->p[0]);
    ifma_setup_pub(&key->pub, sc->t);

    /* round trip through the chosen backend: x = n >> 1 (public, < n), s = x^d, s^e == x */
    ifma_half_of(sc->in, key->pub.n, nw);
    memcpy(sc->c, sc->in, nw * sizeof(uint64_t));
    ifma_crt_exp(key, sc, key->dp, key->dq);
    ok = ifma_verify_mask(key, sc, sc->s, sc->in);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    if (!ok)
        return fail_key(key, sc, SIGNET_IFMA_ERR_KEY_INCONSISTENT, err);
    ifma_free_wiped(sc, sizeof *sc);
    ifma_scrub_stack();
    return key;
}

void signet_rsa_engine_key_free(signet_rsa_engine_key *key) { ifma_free_wiped(key, sizeof *key); }

size_t signet_rsa_engine_key_size(const signet_rsa_engine_key *key) { return key != NULL ? key->pub.k : 0; }

int signet_rsa_engine_key_backend(const signet_rsa_engine_key *key) { return key != NULL ? key->pub.backend : -1; }
