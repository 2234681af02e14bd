/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_mb_rsa.c - RSA CRT private operation for L signatures at once on the multi-buffer kernel (issue 30): a
 * different key per lane allowed, blinded per lane, verify-after-sign per lane. Internal API (ifma_mb.h).
 *
 * Per lane l: c = in * A mod n (A = r^e, the blinding); the halves enter the kernel as mb_amm(mb_redc(c), R^2 mod p)
 * == c mod p (and q); sp = c^dp mod p, sq = c^dq mod q by mb_exp (all L lanes of p, then of q); Garner
 * s' = sq + q ((sp - sq) qinv mod p); s = s' Ai mod n (Ai = r^-1); verify s^e mod n == in; the lane's signature is
 * released only if it verified, else zeroed with its fault bit set: a faulty lane never releases and never holds back
 * the others (every lane is computed and selected by masks). A and Ai are squared after each use; ifma_mb_rsa_blind
 * sets a fresh pair from caller randomness (r^-1 by Fermat on the halves, on the kernel: r^(p-2), r^(q-2)).
 * The mod-n arithmetic around the kernel is the single engine's constant-time word code (ifma_bn.c).
 * Constant time: as the kernel and ifma_bn.c; the only values branched on are public (sizes, e, the input) and the
 * per-lane verify outcome (a public fact once computed).
 */
#include <string.h>

#include "ifma_mb.h"

/* Test hook (-DSIGNET_IFMA_TESTING): lane + 1 whose p-half result is corrupted, to prove the per-lane fault path. */
#if defined(SIGNET_IFMA_TESTING)
int ifma_mb_rsa_test_fault_lane;
#endif

/* r = a b mod m (plain, not Montgomery): two Montgomery multiplications with rr = 2^(128 n) mod m. t: 2n words. */
static void mod_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, uint64_t minv,
                    const uint64_t *rr, size_t n, uint64_t *t)
{
    uint64_t u[IFMA_MB_RSA_NW];
    sbn_mont_mul(u, a, b, m, minv, n, t);
    sbn_mont_mul(r, u, rr, m, minv, n, t);
    ifma_wipe(u, sizeof u);
}

/* r = x^e mod n for the public e, plain in and out (left-to-right; e's bits are public). t: 2n words. */
static void pub_pow(uint64_t *r, const uint64_t *x, uint64_t e, const ifma_mb_rsa_lane *k, uint64_t *t)
{
    const size_t n = k->nw;
    uint64_t xm[IFMA_MB_RSA_NW], acc[IFMA_MB_RSA_NW], one[IFMA_MB_RSA_NW] = {1};
    sbn_mont_mul(xm, x, k->rrn, k->n, k->ninv, n, t); /* x R */
    memcpy(acc, xm, n * 8);
    int top = 63;
    while (top > 0 && ((e >> top) & 1) == 0)
        top--;
    for (int bit = top - 1; bit >= 0; bit--) {
        sbn_mont_sqr(acc, acc, k->n, k->ninv, n, t);
        if ((e >> bit) & 1)
            sbn_mont_mul(acc, acc, xm, k->n, k->ninv, n, t);
    }
    sbn_mont_mul(r, acc, one, k->n, k->ninv, n, t);
}

int ifma_mb_rsa_init(ifma_mb_rsa *ctx, int backend, int bits, const ifma_mb_rsa_lane_params *lanes, int nlanes)
{
    memset(ctx, 0, sizeof *ctx);
    const ifma_mb_backend *be = ifma_mb_backend_get(backend);
    const int N = bits == 2048 ? 20 : bits == 3072 ? 30 : bits == 4096 ? 40 : 0;
    if (be == NULL || N == 0 || nlanes != be->lanes)
        return -1;
    ctx->be = be;
    ctx->L = be->lanes;
    ctx->N = N;
    ctx->ni = ifma_mb_nidx(N);
    ctx->bits = (unsigned)bits;
    const size_t nw = (size_t)bits / 64, hw = nw / 2;
    uint64_t t[2 * IFMA_MB_RSA_NW + 2], w[IFMA_MB_RSA_NW], u[IFMA_MB_RSA_NW];
    uint64_t ok = ~(uint64_t)0;
    for (int l = 0; l < ctx->L; l++) {
        ifma_mb_rsa_lane *k = &ctx->lane[l];
        const ifma_mb_rsa_lane_params *pp = &lanes[l];
        k->nw = nw;
        k->hw = hw;
        ok &= sbn_from_bytes(k->n, nw, pp->n, pp->n_len) & sbn_from_bytes(k->p, hw, pp->p, pp->p_len) &
              sbn_from_bytes(k->q, hw, pp->q, pp->q_len) & sbn_from_bytes(k->qinv, hw, pp->qinv, pp->qinv_len);
        uint64_t e[1];
        ok &= sbn_from_bytes(e, 1, pp->e, pp->e_len);
        k->e = e[0];
        /* the key's shape, a public fact once checked (declassified, then branched on): n, p, q of exactly bits,
           bits/2, bits/2 bits and odd, every component fits; e odd >= 3 (public) */
        uint64_t shape = ok & (0 - ((k->n[nw - 1] >> 63) & (k->p[hw - 1] >> 63) & (k->q[hw - 1] >> 63) & k->n[0] &
                                    k->p[0] & k->q[0] & 1));
        IFMA_DECLASSIFY(&shape, sizeof shape);
        if (!shape || (k->e & 1) == 0 || k->e < 3)
            return -2;
        /* n == p q (a mask; the verdict is a public fact about the key) */
        uint64_t pq[IFMA_MB_RSA_NW];
        sbn_mul(pq, k->p, hw, k->q, hw);
        ok &= sbn_eq_mask(pq, k->n, nw) & sbn_lt_mask(k->qinv, k->p, hw);
        ifma_wipe(pq, sizeof pq);
        k->ninv = sbn_neg_inv64(k->n[0]);
        k->pinv = sbn_neg_inv64(k->p[0]);
        sbn_mod_pow2_mont(k->rrn, 128 * nw, k->n, k->ninv, nw, t);
        /* constants mod the secret p and q by plain doublings: sbn_mod_pow2_mont's borrow (v == 0) became a
           data-dependent cmov under clang -O2 (ctgrind); it stays for the public n */
        sbn_mod_pow2(k->rrp, 128 * hw, k->p, hw, t);
        /* the kernel's view of the halves: vertical blocks, k0, R^2 mod p and q for R = 2^(52 N) */
        sbn_to52(u, (size_t)N, k->p, hw);
        for (int i = 0; i < N; i++)
            ctx->pb[i * ctx->L + l] = u[i];
        sbn_to52(u, (size_t)N, k->q, hw);
        for (int i = 0; i < N; i++)
            ctx->qb[i * ctx->L + l] = u[i];
        ctx->k0p[l] = ifma_mb_k0(k->p[0] & IFMA_M52);
        ctx->k0q[l] = ifma_mb_k0(k->q[0] & IFMA_M52);
        sbn_mod_pow2(w, 104u * (size_t)N, k->p, hw, t);
        sbn_to52(u, (size_t)N, w, hw);
        for (int i = 0; i < N; i++)
            ctx->rrp52[i * ctx->L + l] = u[i];
        sbn_mod_pow2(w, 104u * (size_t)N, k->q, hw, t);
        sbn_to52(u, (size_t)N, w, hw);
        for (int i = 0; i < N; i++)
            ctx->rrq52[i * ctx->L + l] = u[i];
        /* exponents, per lane (IFMA_MB_EWORDS words, zero above) */
        uint64_t d[IFMA_MB_EWORDS];
        ok &= sbn_from_bytes(d, hw, pp->dp, pp->dp_len);
        memset(d + hw, 0, (IFMA_MB_EWORDS - hw) * 8);
        memcpy(ctx->dp + (size_t)l * IFMA_MB_EWORDS, d, sizeof d);
        ok &= sbn_from_bytes(d, hw, pp->dq, pp->dq_len);
        memset(d + hw, 0, (IFMA_MB_EWORDS - hw) * 8);
        memcpy(ctx->dq + (size_t)l * IFMA_MB_EWORDS, d, sizeof d);
        ifma_wipe(d, sizeof d);
    }
    ifma_wipe(t, sizeof t);
    ifma_wipe(w, sizeof w);
    ifma_wipe(u, sizeof u);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    return ok ? 0 : -3;
}

/* Per-lane x mod p and mod q into the kernel (vertical blocks xp, xq < 2p, 2q) from the nw-word values c[l]. */
static void split(ifma_mb_rsa *ctx, uint64_t *xp, uint64_t *xq, const uint64_t (*c)[IFMA_MB_RSA_NW], uint64_t *tmp)
{
    const int L = ctx->L, N = ctx->N, ni = ctx->ni;
    uint64_t u[2 * IFMA_MB_NMAX];
    for (int l = 0; l < L; l++) {
        sbn_to52(u, 2 * (size_t)N, c[l], ctx->lane[l].nw);
        for (int i = 0; i < 2 * N; i++)
            ctx->wide[i * L + l] = u[i];
    }
    ifma_wipe(u, sizeof u);
    ctx->be->redc[ni](tmp, ctx->wide, ctx->pb, ctx->k0p);     /* c R^-1 mod p, < 2p */
    ctx->be->amm[ni](xp, tmp, ctx->rrp52, ctx->pb, ctx->k0p); /* c mod p, < 2p */
    ctx->be->redc[ni](tmp, ctx->wide, ctx->qb, ctx->k0q);
    ctx->be->amm[ni](xq, tmp, ctx->rrq52, ctx->qb, ctx->k0q);
}

/* Per lane: out = sq + q ((sp - sq) qinv mod p) (nw words), from the kernel's vertical results sp < p, sq < q. */
static void garner(ifma_mb_rsa *ctx, uint64_t (*out)[IFMA_MB_RSA_NW], const uint64_t *sp, const uint64_t *sq)
{
    const int L = ctx->L, N = ctx->N;
    uint64_t u[IFMA_MB_NMAX], a[IFMA_MB_RSA_NW / 2], b[IFMA_MB_RSA_NW / 2], h[IFMA_MB_RSA_NW / 2];
    uint64_t t[IFMA_MB_RSA_NW + 2];
    for (int l = 0; l < L; l++) {
        const ifma_mb_rsa_lane *k = &ctx->lane[l];
        const size_t hw = k->hw, nw = k->nw;
        for (int i = 0; i < N; i++)
            u[i] = sp[i * L + l];
        sbn_from52(a, hw, u, (size_t)N);
        for (int i = 0; i < N; i++)
            u[i] = sq[i * L + l];
        sbn_from52(b, hw, u, (size_t)N);
        memcpy(h, b, hw * 8);
        sbn_sub_if_ge(h, k->p, hw, t);                /* sq mod p (q < 2p: one subtraction) */
        const uint64_t borrow = sbn_sub(a, a, h, hw); /* sp - sq mod p */
        sbn_select(h, 0 - borrow, k->p, (const uint64_t[IFMA_MB_RSA_NW / 2]){0}, hw);
        sbn_add(a, a, h, hw);
        mod_mul(h, a, k->qinv, k->p, k->pinv, k->rrp, hw, t); /* h = (sp - sq) qinv mod p */
        sbn_mul(out[l], k->q, hw, h, hw);                     /* q h < n */
        memset(a, 0, sizeof a);
        memcpy(a, b, hw * 8);
        uint64_t c = sbn_add(out[l], out[l], a, hw); /* + sq (< n: s' < n by Garner) */
        for (size_t i = hw; i < nw; i++) {
            const uint64_t v = out[l][i] + c;
            c = v < c;
            out[l][i] = v;
        }
    }
    ifma_wipe(u, sizeof u);
    ifma_wipe(a, sizeof a);
    ifma_wipe(b, sizeof b);
    ifma_wipe(h, sizeof h);
    ifma_wipe(t, sizeof t);
}

int ifma_mb_rsa_blind(ifma_mb_rsa *ctx, const uint8_t *rnd, size_t rnd_len)
{
    const int L = ctx->L, ni = ctx->ni;
    const size_t nw = ctx->lane[0].nw, nb = nw * 8;
    if (rnd == NULL || rnd_len < (size_t)L * nb)
        return -1;
    uint64_t t[2 * IFMA_MB_RSA_NW + 2];
    for (int l = 0; l < L; l++) {
        ifma_mb_rsa_lane *k = &ctx->lane[l];
        sbn_from_bytes(ctx->c[l], nw, rnd + (size_t)l * nb, nb);
        ctx->c[l][nw - 1] &= ~((uint64_t)1 << 63); /* r < 2^(bits-1) < n */
        ctx->c[l][0] |= 1;                         /* r != 0 */
        /* exponents p - 2 and q - 2 (secret) */
        uint64_t two[IFMA_MB_RSA_NW / 2] = {2};
        sbn_sub(ctx->ep + (size_t)l * IFMA_MB_EWORDS, k->p, two, k->hw);
        sbn_sub(ctx->eq + (size_t)l * IFMA_MB_EWORDS, k->q, two, k->hw);
    }
    /* Ai = r^-1 mod n by Fermat on the halves, on the kernel */
    uint64_t *sp = ctx->sp, *sq = ctx->sq;
    split(ctx, sp, sq, (const uint64_t(*)[IFMA_MB_RSA_NW])ctx->c, ctx->tmp);
    ctx->be->exp[ni](sp, sp, ctx->ep, ctx->bits / 2, ctx->pb, ctx->k0p, ctx->rrp52, &ctx->ws);
    ctx->be->exp[ni](sq, sq, ctx->eq, ctx->bits / 2, ctx->qb, ctx->k0q, ctx->rrq52, &ctx->ws);
    garner(ctx, ctx->s, sp, sq);
    uint64_t ok = ~(uint64_t)0;
    for (int l = 0; l < L; l++) {
        ifma_mb_rsa_lane *k = &ctx->lane[l];
        memcpy(k->Ai, ctx->s[l], nw * 8);
        pub_pow(k->A, ctx->c[l], k->e, k, t); /* A = r^e */
        /* check r Ai == 1 (mod n) */
        uint64_t one[IFMA_MB_RSA_NW];
        mod_mul(one, ctx->c[l], k->Ai, k->n, k->ninv, k->rrn, nw, t);
        ok &= sbn_is_word_mask(one, nw, 1);
    }
    ifma_wipe(t, sizeof t);
    ifma_wipe(ctx->c, sizeof ctx->c);
    ifma_wipe(ctx->ep, sizeof ctx->ep);
    ifma_wipe(ctx->eq, sizeof ctx->eq);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    return ok ? 0 : -2;
}

unsigned ifma_mb_rsa_private(ifma_mb_rsa *ctx, uint8_t *const out[], const uint8_t *const in[])
{
    const int L = ctx->L, ni = ctx->ni;
    const size_t nw = ctx->lane[0].nw, nb = nw * 8;
    uint64_t t[2 * IFMA_MB_RSA_NW + 2];
    unsigned faults = 0;
    for (int l = 0; l < L; l++) {
        ifma_mb_rsa_lane *k = &ctx->lane[l];
        sbn_from_bytes(ctx->in[l], nw, in[l], nb);
        /* in < n (public input): an out-of-range lane is computed on 0 and refused */
        const uint64_t lt = sbn_lt_mask(ctx->in[l], k->n, nw);
        IFMA_DECLASSIFY(&lt, sizeof lt);
        if (!lt) {
            memset(ctx->in[l], 0, nw * 8);
            faults |= 1u << l;
        }
        mod_mul(ctx->c[l], ctx->in[l], k->A, k->n, k->ninv, k->rrn, nw, t); /* blind */
    }
    split(ctx, ctx->sp, ctx->sq, (const uint64_t(*)[IFMA_MB_RSA_NW])ctx->c, ctx->tmp);
    ctx->be->exp[ni](ctx->sp, ctx->sp, ctx->dp, ctx->bits / 2, ctx->pb, ctx->k0p, ctx->rrp52, &ctx->ws);
    ctx->be->exp[ni](ctx->sq, ctx->sq, ctx->dq, ctx->bits / 2, ctx->qb, ctx->k0q, ctx->rrq52, &ctx->ws);
#if defined(SIGNET_IFMA_TESTING)
    if (ifma_mb_rsa_test_fault_lane > 0 && ifma_mb_rsa_test_fault_lane <= L)
        ctx->sp[ifma_mb_rsa_test_fault_lane - 1] ^= 1; /* limb 0 of that lane's p-half result */
#endif
    garner(ctx, ctx->s, ctx->sp, ctx->sq);
    for (int l = 0; l < L; l++) {
        ifma_mb_rsa_lane *k = &ctx->lane[l];
        uint64_t s[IFMA_MB_RSA_NW], v[IFMA_MB_RSA_NW];
        mod_mul(s, ctx->s[l], k->Ai, k->n, k->ninv, k->rrn, nw, t); /* unblind */
        pub_pow(v, s, k->e, k, t);                                  /* verify-after-sign */
        uint64_t good = sbn_eq_mask(v, ctx->in[l], nw);
        IFMA_DECLASSIFY(&good, sizeof good);
        good &= (uint64_t)0 - (uint64_t)(((faults >> l) & 1) ^ 1);
        faults |= (unsigned)(~good & 1) << l;
        for (size_t i = 0; i < nw; i++)
            s[i] &= good; /* a lane that did not verify releases zeros */
        sbn_to_bytes(out[l], nb, s, nw);
        IFMA_DECLASSIFY(out[l], nb); /* a verified signature (or zeros) is public */
        ifma_wipe(s, sizeof s);
        /* the next call's blinding pair: squares */
        mod_mul(k->A, k->A, k->A, k->n, k->ninv, k->rrn, nw, t);
        mod_mul(k->Ai, k->Ai, k->Ai, k->n, k->ninv, k->rrn, nw, t);
    }
    ifma_wipe(t, sizeof t);
    ifma_wipe(ctx->c, sizeof ctx->c);
    ifma_wipe(ctx->s, sizeof ctx->s);
    ifma_wipe(ctx->sp, sizeof ctx->sp);
    ifma_wipe(ctx->sq, sizeof ctx->sq);
    ifma_wipe(ctx->wide, sizeof ctx->wide);
    ifma_wipe(ctx->tmp, sizeof ctx->tmp);
    ifma_wipe(&ctx->ws, sizeof ctx->ws);
    return faults;
}
