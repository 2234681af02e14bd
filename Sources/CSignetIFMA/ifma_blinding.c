/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_blinding.c - the blinding pair A = r^e, Ai = r^-1 (mod n) and the per-thread state that holds it with the
 * private operation's workspace: generation from the caller's random bytes (Ai by Fermat on the CRT halves, then
 * Garner, checked r Ai == 1), and the public use counter that says when to regenerate.
 *
 * Constant time (argument: ifma_rsa_internal.h): r, A, Ai are secret; the exponentiations are the kernel's, the
 * rest is ifma_bn.c; only the validity of the fresh pair (one bit) and the use counter are public.
 */
#include <string.h>

#include "ifma_rsa_internal.h"

/* New blinding pair from k random bytes. Returns 0 or SIGNET_IFMA_ERR_RANDOM. */
int ifma_blinding_regen(const signet_rsa_engine_key *key, signet_rsa_blinding *bl, const uint8_t *random)
{
    ifma_scratch *sc = &bl->sc;
    const size_t nw = key->pub.nw;
    sbn_from_bytes(sc->r, nw, random, key->pub.k);
    sc->r[nw - 1] &= ~((uint64_t)1 << 63); /* r < 2^(bits - 1) <= n */
    /* Ai = r^-1 mod n: r^(p-2) mod p and r^(q-2) mod q (Fermat; constant-time exponentiation), Garner */
    memcpy(sc->c, sc->r, nw * sizeof(uint64_t));
    ifma_crt_exp(key, sc, key->pm2, key->qm2);
    sbn_mont_mul(bl->ai_m, sc->s, key->pub.rr, key->pub.n, key->pub.n_inv64, nw, sc->t);
    /* A = r^e mod n (e public) */
    sbn_mont_mul(sc->b, sc->r, key->pub.rr, key->pub.n, key->pub.n_inv64, nw, sc->t);
    ifma_pow_e_mont(&key->pub, bl->a_m, sc->b, sc->t);
    /* check r * Ai == 1 mod n: fails only if r shares a factor with n (broken randomness) */
    sbn_mont_mul(sc->v, sc->r, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
    uint64_t ok = sbn_is_word_mask(sc->v, nw, 1);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    ifma_wipe(sc, sizeof *sc);
    if (!ok) {
        ifma_wipe(bl->a_m, sizeof bl->a_m);
        ifma_wipe(bl->ai_m, sizeof bl->ai_m);
        return SIGNET_IFMA_ERR_RANDOM;
    }
    bl->uses = 0;
    return SIGNET_IFMA_OK;
}

signet_rsa_blinding *signet_rsa_blinding_new(const signet_rsa_engine_key *key, const uint8_t *random, size_t random_len,
                                             int *err)
{
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    signet_rsa_blinding *bl = NULL;
    if (key != NULL && random != NULL && random_len == key->pub.k) {
        bl = ifma_alloc64(sizeof *bl);
        rc = SIGNET_IFMA_ERR_NO_MEMORY;
        if (bl != NULL) {
            bl->key = key;
            rc = ifma_blinding_regen(key, bl, random);
        }
    }
    if (err != NULL)
        *err = rc;
    ifma_scrub_stack();
    if (rc != SIGNET_IFMA_OK) {
        ifma_free_wiped(bl, sizeof *bl);
        return NULL;
    }
    return bl;
}

void signet_rsa_blinding_free(signet_rsa_blinding *bl) { ifma_free_wiped(bl, sizeof *bl); }

int signet_rsa_blinding_needs_random(const signet_rsa_blinding *bl)
{
    return bl != NULL && bl->uses >= BLINDING_REFRESH;
}
