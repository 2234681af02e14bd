/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_private.c - the RSA CRT private operation: both halves exponentiated together on the kernel, Garner
 * recombination, blinding and unblinding, and verify-after-sign on the vector public-key operation.
 *
 * Constant time (argument: ifma_rsa_internal.h): the halves, the blinded input and the result are secret until the
 * verify; the control flow depends on the sizes, the backend, the public input's range check, the blinding use
 * counter and the verify outcome (one bit: a signature is released or not).
 */
#include <string.h>

#include "ifma_rsa_internal.h"
#include "ifma_test_api.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Arithmetic pieces                                                                                            */

/* Kernel output (<= m, 52-bit limbs) to words, fully reduced. */
void ifma_finish_half(uint64_t *r, const uint64_t *l, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t)
{
    sbn_from52(r, hw, l, nlimbs);
    sbn_sub_if_ge(r, m, hw, t);
}

/* s = sq + q * ((sp - sq) * qinv mod p)   (Garner). sp < p, sq < q < 2p. s: nw words, < n. */
static void garner(const signet_rsa_engine_key *key, ifma_scratch *sc, uint64_t *s)
{
    const size_t hw = key->hw, nw = key->pub.nw;
    memcpy(sc->d, sc->sq, hw * sizeof(uint64_t));
    sbn_sub_if_ge(sc->d, key->p, hw, sc->t);                   /* sq mod p */
    uint64_t borrow = sbn_sub(sc->d, sc->sp, sc->d, hw);       /* sp - sq mod p, plus p if negative: */
    for (size_t i = 0; i < hw; i++)
        sc->t[i] = key->p[i] & (0 - borrow);
    sbn_add(sc->d, sc->d, sc->t, hw);
    sbn_mont_mul(sc->h, sc->d, key->qinv_m, key->p, key->p_inv64, hw, sc->t); /* h = d * qinv mod p */
    sbn_mul(s, key->q, hw, sc->h, hw);
    memset(sc->t, 0, nw * sizeof(uint64_t));
    memcpy(sc->t, sc->sq, hw * sizeof(uint64_t));
    sbn_add(s, s, sc->t, nw);
}

/* sc->s = sc->c ^ (ep, eq) mod n through the CRT halves; sc->c < n. */
void ifma_crt_exp(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq,
                  int fault)
{
    const size_t hw = key->hw;
    sbn_to52(sc->x, IFMA_WIDE, sc->c, key->pub.nw);
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 3) {
        memcpy(sc->e2, ep, sizeof sc->e2);
        sc->e2[3] ^= 1u << 7;
        ep = sc->e2;
    }
#endif
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 4) { /* timing of everything but the exponentiation (perf/ifma/bench.c); the verify then fails */
        memset(sc->op, 0, sizeof sc->op);
        memset(sc->oq, 0, sizeof sc->oq);
    } else
#endif
    key->pub.be->crt_exp[key->nsel](&key->mp, &key->mq, sc->x, sc->x, ep, eq, key->hbits, sc->op, sc->oq, &sc->ws);
    ifma_finish_half(sc->sp, sc->op, key->p, hw, key->nlimbs, sc->t);
    ifma_finish_half(sc->sq, sc->oq, key->q, hw, key->nlimbs, sc->t);
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 1)
        sc->sp[0] ^= 1;
    if (fault == 2)
        sc->sq[hw - 1] ^= (uint64_t)1 << 40;
#else
    (void)fault;
#endif
    garner(key, sc, sc->s);
}

/* All ones iff s^e mod n == expect (s < n), computed on the vector kernel. */
uint64_t ifma_verify_mask(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *s,
                          const uint64_t *expect)
{
    ifma_pub_exp(&key->pub, s, sc->v, &sc->pws, sc->px, sc->po, sc->t);
    return sbn_eq_mask(sc->v, expect, key->pub.nw);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Public API                                                                                                   */

int signet_rsa_engine_private(const signet_rsa_engine_key *key, signet_rsa_blinding *bl, const uint8_t *in,
                              uint8_t *out, const uint8_t *fresh_random, size_t fresh_random_len)
{
    if (key == NULL || out == NULL)
        return SIGNET_IFMA_ERR_ARGUMENT;
    const size_t k = key->pub.k, nw = key->pub.nw;
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    if (bl == NULL || in == NULL)
        goto fail;
    rc = SIGNET_IFMA_ERR_WRONG_KEY;
    if (bl->key != key)
        goto fail;
    rc = SIGNET_IFMA_ERR_ARGUMENT;
    const int regenerate = bl->uses >= BLINDING_REFRESH;
    if (regenerate ? (fresh_random == NULL || fresh_random_len != k)
                   : (fresh_random == NULL ? fresh_random_len != 0 : fresh_random_len != k))
        goto fail;
    ifma_scratch *sc = &bl->sc;
    sbn_from_bytes(sc->in, nw, in, k); /* before anything writes `out`, which may alias `in` */
    rc = SIGNET_IFMA_ERR_INPUT_RANGE;
    if (!sbn_lt_mask(sc->in, key->pub.n, nw)) /* the input is public */
        goto fail;

    if (regenerate) {
        rc = ifma_blinding_regen(key, bl, fresh_random);
        if (rc != SIGNET_IFMA_OK)
            goto fail;
        sbn_from_bytes(sc->in, nw, in, k); /* regen wiped the scratch */
    } else if (bl->uses > 0) {
        sbn_mont_sqr(bl->a_m, bl->a_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
        sbn_mont_sqr(bl->ai_m, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
    }
    bl->uses++;

    int fault = 0;
#if defined(SIGNET_IFMA_TESTING)
    fault = signet_ifma_test_fault;
#endif
    sbn_mont_mul(sc->c, sc->in, bl->a_m, key->pub.n, key->pub.n_inv64, nw, sc->t); /* c = in A */
    ifma_crt_exp(key, sc, key->dp, key->dq, fault);                       /* s = c^d = in^d r */
    sbn_mont_mul(sc->s, sc->s, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t); /* s = in^d */
    uint64_t ok = ifma_verify_mask(key, sc, sc->s, sc->in);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    rc = SIGNET_IFMA_ERR_FAULT;
    if (!ok)
        goto fail;
    sbn_to_bytes(out, k, sc->s, nw);
    IFMA_DECLASSIFY(out, k); /* a verified signature is public */
    ifma_wipe(sc, sizeof *sc);
    ifma_scrub_stack();
    return SIGNET_IFMA_OK;

fail:
    if (bl != NULL && bl->key == key)
        ifma_wipe(&bl->sc, sizeof bl->sc);
    ifma_wipe(out, k);
    ifma_scrub_stack();
    return rc;
}
