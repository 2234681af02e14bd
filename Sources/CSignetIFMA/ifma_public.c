/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_public.c - the public-key operation x^e mod n: on the vector kernel (verify-after-sign and the public engine)
 * and on the portable mod-n arithmetic (the blinding's r^e, the public engine's load-time self-check); the public
 * shape both engines take and the set-up of the public half; the public engine's API. Calls only ifma_bn.c and the
 * backends: the private side (ifma_crt.c, ifma_key.c, ifma_blinding.c, ifma_private.c) builds on this file.
 *
 * Constant time (argument: ifma_rsa_internal.h): e and n are public (square-and-multiply on e's bits), but the data
 * path is the same constant-time arithmetic as the private kernel, because verify-after-sign runs it on the not yet
 * verified signature and the blinding runs it on r.
 */
#include <string.h>

#include "ifma_rsa_internal.h"
#include "ifma_test_api.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Arithmetic pieces                                                                                            */

/* out_m = x^e (Montgomery form mod n) from x_m = x * 2^(64 nw) mod n, on the portable mod-n arithmetic. e is public:
   square-and-multiply on it. t: 2 nw + 2 words. */
void ifma_pow_e_mont(const ifma_pub *pub, uint64_t *out_m, const uint64_t *x_m, uint64_t *t)
{
    const size_t nw = pub->nw;
    int top = 63;
    while (((pub->e >> top) & 1) == 0)
        top--;
    memcpy(out_m, x_m, nw * sizeof(uint64_t));
    for (int bit = top - 1; bit >= 0; bit--) {
        sbn_mont_sqr(out_m, out_m, pub->n, pub->n_inv64, nw, t);
        if ((pub->e >> bit) & 1)
            sbn_mont_mul(out_m, out_m, x_m, pub->n, pub->n_inv64, nw, t);
    }
}

/* r = s^e mod n (s < n) on the portable mod-n arithmetic: the independent check of the vector kernel. b: nw words,
   t: 2 nw + 2 words. */
void ifma_pub_exp_portable(const ifma_pub *pub, const uint64_t *s, uint64_t *r, uint64_t *b, uint64_t *t)
{
    sbn_mont_mul(b, s, pub->rr, pub->n, pub->n_inv64, pub->nw, t);
    ifma_pow_e_mont(pub, r, b, t);
    sbn_mont_redc(r, r, pub->n, pub->n_inv64, pub->nw, t);
}

/* r = s^e mod n (s < n; r may alias s) on the vector kernel. x, o: IFMA_PUB_NMAX limbs of scratch; t: nw words. */
void ifma_pub_exp(const ifma_pub *pub, const uint64_t *s, uint64_t *r, ifma_pws *ws, uint64_t *x, uint64_t *o,
                  uint64_t *t)
{
    sbn_to52(x, IFMA_PUB_NMAX, s, pub->nw);
    pub->be->pub_exp[pub->psel](&pub->pm, x, pub->e, o, ws);
    sbn_from52(r, pub->nw, o, pub->plimbs);
    sbn_sub_if_ge(r, pub->n, pub->nw, t);
#if defined(SIGNET_IFMA_TESTING)
    if (signet_ifma_test_fault == 5) /* a fault in the public-key operation */
        r[pub->nw / 2] ^= 1;
#endif
}

static void strip_zeros(const uint8_t **p, size_t *len)
{
    /* only for public values (n, e): the length of a secret value is never derived from its content */
    while (*len > 0 && (*p)[0] == 0) {
        (*p)++;
        (*len)--;
    }
}

/* The public shape both engines take: n of exactly 2048, 3072 or 4096 bits (leading zero bytes are skipped: *n, *n_len
   are advanced past them), e odd with 3 <= e < 2^64, returned in *ev. 0 if the shape is refused. */
int ifma_public_shape(const uint8_t **n, size_t *n_len, const uint8_t *e, size_t e_len, uint64_t *ev)
{
    strip_zeros(n, n_len);
    strip_zeros(&e, &e_len);
    if ((*n_len != 256 && *n_len != 384 && *n_len != 512) || ((*n)[0] & 0x80) == 0 || e_len == 0 || e_len > 8)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < e_len; i++)
        v = (v << 8) | e[i];
    *ev = v;
    return (v & 1) != 0 && v >= 3;
}

/* Fills the sizes, backend, e and n of a public half whose shape ifma_public_shape accepted (ifma_setup_pub does
   the rest). */
void ifma_init_pub(ifma_pub *pub, const ifma_backend *be, int backend, const uint8_t *n, size_t n_len, uint64_t e)
{
    pub->be = be;
    pub->backend = backend;
    pub->k = n_len;
    pub->nw = n_len / 8;
    pub->e = e;
    sbn_from_bytes(pub->n, pub->nw, n, n_len);
}

/* r = n >> 1 (nw words): a public input below n for the load-time checks. */
void ifma_half_of(uint64_t *r, const uint64_t *n, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        r[i] = (n[i] >> 1) | (i + 1 < nw ? n[i + 1] << 63 : 0);
}

/* Prepares n (nw words, odd, top bit set, in pub->n) for the kernel; pub->be, nw, k, e must be set. t: 2 nw
   words. */
void ifma_setup_pub(ifma_pub *pub, uint64_t *t)
{
    pub->plimbs = pub->nw == 32 ? 40 : pub->nw == 48 ? 60 : 80;
    pub->psel = pub->nw == 32 ? 0 : pub->nw == 48 ? 2 : 1;
    pub->n_inv64 = sbn_neg_inv64(pub->n[0]);
    memset(&pub->pm, 0, sizeof pub->pm);
    sbn_to52(pub->pm.m + IFMA_OFF, pub->plimbs, pub->n, pub->nw);
    pub->pm.k0 = pub->n_inv64 & IFMA_M52;
    /* R^2 mod n for the kernel (R = 2^(52 N)) and 2^(128 nw) mod n for the portable arithmetic: ~10 Montgomery
       squarings each instead of ~8,000 modular doublings: public keys load often (a JWKS holds many) */
    sbn_mod_pow2_mont(pub->rr, (size_t)2 * 52 * pub->plimbs, pub->n, pub->n_inv64, pub->nw, t);
    sbn_to52(pub->pm.rr + IFMA_OFF, pub->plimbs, pub->rr, pub->nw);
    sbn_mod_pow2_mont(pub->rr, 128 * pub->nw, pub->n, pub->n_inv64, pub->nw, t);
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Public engine                                                                                                */

signet_rsa_public_engine *signet_rsa_public_engine_new(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                                                       int backend, int *err)
{
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    signet_rsa_public_engine *key = NULL;
    ifma_scratch *sc = NULL;
    if (n == NULL || e == NULL)
        goto done;
    rc = SIGNET_IFMA_ERR_BACKEND;
    const ifma_backend *be = ifma_backend_get(backend);
    if (be == NULL)
        goto done;
    rc = SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE;
    uint64_t ev;
    /* n odd too: here no n == p q check stands behind the Montgomery arithmetic */
    if (!ifma_public_shape(&n, &n_len, e, e_len, &ev) || (n[n_len - 1] & 1) == 0)
        goto done;
    rc = SIGNET_IFMA_ERR_NO_MEMORY;
    key = ifma_alloc64(sizeof *key);
    sc = ifma_alloc64(sizeof *sc);
    if (key == NULL || sc == NULL)
        goto done;
    ifma_pub *pub = &key->pub;
    ifma_init_pub(pub, be, backend, n, n_len, ev);
    ifma_setup_pub(pub, sc->t);

    /* self-check of the backend on this key: x = n >> 1 through the kernel and through the portable arithmetic */
    ifma_half_of(sc->in, pub->n, pub->nw);
    ifma_pub_exp(pub, sc->in, sc->s, &sc->pws, sc->px, sc->po, sc->t);
    ifma_pub_exp_portable(pub, sc->in, sc->v, sc->b, sc->t);
    rc = sbn_eq_mask(sc->v, sc->s, pub->nw) ? SIGNET_IFMA_OK : SIGNET_IFMA_ERR_FAULT;

done:
    ifma_free_wiped(sc, sizeof *sc);
    if (rc != SIGNET_IFMA_OK) {
        ifma_free_wiped(key, sizeof *key);
        key = NULL;
    }
    if (err != NULL)
        *err = rc;
    return key;
}

void signet_rsa_public_engine_free(signet_rsa_public_engine *key) { ifma_free_wiped(key, sizeof *key); }

size_t signet_rsa_public_engine_size(const signet_rsa_public_engine *key) { return key != NULL ? key->pub.k : 0; }

int signet_rsa_public_engine_op(const signet_rsa_public_engine *key, const uint8_t *in, size_t in_len, uint8_t *out,
                                size_t out_len)
{
    if (key == NULL || in == NULL || out == NULL || in_len != key->pub.k || out_len != key->pub.k)
        return SIGNET_IFMA_ERR_ARGUMENT;
    const ifma_pub *pub = &key->pub;
    /* about 6 KiB of stack here (9-11 KiB with the kernel's frames); nothing is secret, so nothing is wiped */
    struct {
        ifma_pws ws;
        uint64_t s[IFMA_NWORDS_MAX], x[IFMA_PUB_NMAX], o[IFMA_PUB_NMAX], t[IFMA_NWORDS_MAX];
    } sc;
    memset(&sc.ws, 0, sizeof sc.ws); /* the slots' guard limbs must be zero */
    sbn_from_bytes(sc.s, pub->nw, in, in_len);
    if (!sbn_lt_mask(sc.s, pub->n, pub->nw))
        return SIGNET_IFMA_ERR_INPUT_RANGE;
    ifma_pub_exp(pub, sc.s, sc.s, &sc.ws, sc.x, sc.o, sc.t);
    sbn_to_bytes(out, out_len, sc.s, pub->nw);
    return SIGNET_IFMA_OK;
}
