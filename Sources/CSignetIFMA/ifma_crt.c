/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_crt.c - the CRT exponentiation both private-key paths share: the halves prepared for the kernel, one dual
 * exponentiation of x mod p and x mod q on the kernel, Garner recombination, and the verify on the vector public-key
 * operation. The key load (round trip), the blinding (Fermat inversion) and the private operation build on it; it
 * calls only ifma_public.c, ifma_bn.c and the backends.
 *
 * Constant time (argument: ifma_rsa_internal.h): the halves, the exponents and the results are secret; the kernel
 * scans every exponent bit in fixed windows, the rest is ifma_bn.c; nothing here is declassified.
 */
#include <string.h>

#include "ifma_rsa_internal.h"

/* Prepares one CRT half for the kernel: limbs, k0, R mod m, R^3 mod m (R = 2^(52 N)). t, u: hw words each. */
void ifma_setup_half(ifma_mod *md, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t, uint64_t *u)
{
    memset(md, 0, sizeof *md);
    sbn_to52(md->m + IFMA_OFF, nlimbs, m, hw);
    md->k0 = sbn_neg_inv64(m[0]) & IFMA_M52;
    sbn_mod_pow2(u, (size_t)52 * nlimbs, m, hw, t);
    sbn_to52(md->one + IFMA_OFF, nlimbs, u, hw);
    sbn_mod_pow2(u, (size_t)3 * 52 * nlimbs, m, hw, t);
    sbn_to52(md->rr3 + IFMA_OFF, nlimbs, u, hw);
    ifma_wipe(u, hw * sizeof *u);
}

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
    sbn_sub_if_ge(sc->d, key->p, hw, sc->t);             /* sq mod p */
    uint64_t borrow = sbn_sub(sc->d, sc->sp, sc->d, hw); /* sp - sq mod p, plus p if negative: */
    for (size_t i = 0; i < hw; i++)
        sc->t[i] = key->p[i] & (0 - borrow);
    sbn_add(sc->d, sc->d, sc->t, hw);
    sbn_mont_mul(sc->h, sc->d, key->qinv_m, key->p, key->p_inv64, hw, sc->t); /* h = d * qinv mod p */
    sbn_mul(s, key->q, hw, sc->h, hw);
    memset(sc->t, 0, nw * sizeof(uint64_t));
    memcpy(sc->t, sc->sq, hw * sizeof(uint64_t));
    sbn_add(s, s, sc->t, nw);
}

/* The kernel on both halves: sc->op = x^ep mod p, sc->oq = x^eq mod q (52-bit limbs, <= the modulus), x = sc->x. */
static void crt_kernel(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq)
{
    key->pub.be->crt_exp[key->nsel](&key->mp, &key->mq, sc->x, sc->x, ep, eq, key->hbits, sc->op, sc->oq, &sc->ws);
}

/* sc->sp, sc->sq: the kernel's outputs as words, fully reduced. */
static void crt_reduce(const signet_rsa_engine_key *key, ifma_scratch *sc)
{
    ifma_finish_half(sc->sp, sc->op, key->p, key->hw, key->nlimbs, sc->t);
    ifma_finish_half(sc->sq, sc->oq, key->q, key->hw, key->nlimbs, sc->t);
}

/* sc->s = sc->c ^ (ep, eq) mod n through the CRT halves; sc->c < n. The fields it reads and writes: at the
   declaration (ifma_rsa_internal.h). */
void ifma_crt_exp(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq)
{
    sbn_to52(sc->x, IFMA_WIDE, sc->c, key->pub.nw);
    crt_kernel(key, sc, ep, eq);
    crt_reduce(key, sc);
    garner(key, sc, sc->s);
}

#if defined(SIGNET_IFMA_TESTING)
/* ifma_crt_exp with a fault injected (signet_ifma_test_fault's codes 1 to 4; 0: none). Test configuration only, so
   that the production signature carries no test parameter. */
void ifma_crt_exp_fault(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq,
                        int fault)
{
    const size_t hw = key->hw;
    sbn_to52(sc->x, IFMA_WIDE, sc->c, key->pub.nw);
    if (fault == 3) {
        memcpy(sc->e2, ep, sizeof sc->e2);
        sc->e2[3] ^= 1u << 7;
        ep = sc->e2;
    }
    if (fault == 4) { /* timing of everything but the exponentiation (perf/ifma/bench.c); the verify then fails */
        memset(sc->op, 0, sizeof sc->op);
        memset(sc->oq, 0, sizeof sc->oq);
    } else {
        crt_kernel(key, sc, ep, eq);
    }
    crt_reduce(key, sc);
    if (fault == 1)
        sc->sp[0] ^= 1;
    if (fault == 2)
        sc->sq[hw - 1] ^= (uint64_t)1 << 40;
    garner(key, sc, sc->s);
}
#endif

/* All ones iff s^e mod n == expect (s < n), computed on the vector kernel. */
uint64_t ifma_verify_mask(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *s, const uint64_t *expect)
{
    ifma_pub_exp(&key->pub, s, sc->v, &sc->pws, sc->px, sc->po, sc->t);
    return sbn_eq_mask(sc->v, expect, key->pub.nw);
}
