/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_private.c - the RSA CRT private operation: blinding, both halves exponentiated together and recombined
 * (ifma_crt.c), unblinding, and verify-after-sign on the vector public-key operation. Builds on ifma_blinding.c.
 *
 * Constant time (argument: ifma_rsa_internal.h): the halves, the blinded input and the result are secret until the
 * verify; the control flow depends on the sizes, the backend, the public input's range check, the blinding use
 * counter and the verify outcome (one bit: a signature is released or not).
 */
#include <string.h>

#include "ifma_rsa_internal.h"
#include "ifma_test_api.h"

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

    sbn_mont_mul(sc->c, sc->in, bl->a_m, key->pub.n, key->pub.n_inv64, nw, sc->t); /* c = in A */
#if defined(SIGNET_IFMA_TESTING)
    ifma_crt_exp_fault(key, sc, key->dp, key->dq, signet_ifma_test_fault); /* s = c^d, faults injected */
#else
    ifma_crt_exp(key, sc, key->dp, key->dq); /* s = c^d = in^d r */
#endif
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
