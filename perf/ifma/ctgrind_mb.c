/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctgrind_mb.c - constant-time check of the multi-buffer kernel under Valgrind memcheck (run by
 * perf/ifma/ctgrind.sh). The moduli, k0, R^2 mod m, the bases and the exponents of every lane are marked undefined
 * (VALGRIND_MAKE_MEM_UNDEFINED) before mb_exp runs on an emulated backend; memcheck then reports any branch or
 * address that depends on them. The result is declassified only after the run, to compare it with GMP.
 *
 *   ctgrind_mb BACKEND N [control]
 * BACKEND: 0 (emulated 4 lanes) or 3 (emulated 8 lanes); N: 20, 30 or 40. "control" branches once on an output
 * limb before declassifying it: memcheck must flag that (the taint flows through the kernel to the result).
 *
 *   ctgrind_mb BACKEND rsa BITS [KEY_CACHE]
 * The multi-buffer RSA private operation (ifma_mb_rsa.c, built with -DSIGNET_IFMA_CTGRIND): every lane's p, q, dp,
 * dq, qinv and the blinding randomness undefined through key set-up, blinding generation (Fermat on the kernel)
 * and two batches (one with a faulted lane); the layer declassifies only the key's shape and consistency verdicts,
 * the blinding check and each lane's verify outcome. Signatures compared with OpenSSL afterwards.
 */
#define _POSIX_C_SOURCE 200809L
#include <gmp.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

#include "ifma_mb.h"
#include "signet_ifma.h"
#include "testkeys.h"

static void to_block(uint64_t *p, int n, int L, int l, const mpz_t x)
{
    mpz_t t;
    mpz_init_set(t, x);
    for (int i = 0; i < n; i++) {
        p[i * L + l] = (uint64_t)mpz_get_ui(t) & IFMA_M52;
        mpz_fdiv_q_2exp(t, t, 52);
    }
    mpz_clear(t);
}

static int run_rsa(int backend, int bits, const char *cache)
{
    const ifma_mb_backend *be = ifma_mb_backend_get(backend);
    if (be == NULL)
        return 64;
    const int L = be->lanes;
    const size_t k = (size_t)bits / 8;
    static raw_key rk[IFMA_MB_LMAX];
    EVP_PKEY *pk[IFMA_MB_LMAX];
    ifma_mb_rsa_lane_params lp[IFMA_MB_LMAX];
    for (int l = 0; l < L; l++) {
        pk[l] = get_key(cache, bits, l);
        if (pk[l] == NULL || !raw_from_pkey(pk[l], &rk[l]))
            return 2;
        VALGRIND_MAKE_MEM_UNDEFINED(rk[l].p, rk[l].pl);
        VALGRIND_MAKE_MEM_UNDEFINED(rk[l].q, rk[l].ql);
        VALGRIND_MAKE_MEM_UNDEFINED(rk[l].dp, rk[l].dpl);
        VALGRIND_MAKE_MEM_UNDEFINED(rk[l].dq, rk[l].dql);
        VALGRIND_MAKE_MEM_UNDEFINED(rk[l].qi, rk[l].qil);
        const ifma_mb_rsa_lane_params p = {rk[l].n,  rk[l].e,  rk[l].p,  rk[l].q,  rk[l].dp,  rk[l].dq,  rk[l].qi,
                                           rk[l].nl, rk[l].el, rk[l].pl, rk[l].ql, rk[l].dpl, rk[l].dql, rk[l].qil};
        lp[l] = p;
    }
    ifma_mb_rsa *ctx = aligned_alloc(64, (sizeof(ifma_mb_rsa) + 63) / 64 * 64);
    static uint8_t rnd[IFMA_MB_LMAX * 512], in[IFMA_MB_LMAX][512], out[IFMA_MB_LMAX][512], want[512];
    uint8_t *outp[IFMA_MB_LMAX];
    const uint8_t *inp[IFMA_MB_LMAX];
    if (ctx == NULL || ifma_mb_rsa_init(ctx, backend, bits, lp, L) != 0)
        return 3;
    RAND_bytes(rnd, (int)((size_t)L * k));
    VALGRIND_MAKE_MEM_UNDEFINED(rnd, (size_t)L * k);
    if (ifma_mb_rsa_blind(ctx, rnd, (size_t)L * k) != 0)
        return 4;
    int bad = 0;
    for (int b = 0; b < 2; b++) {
        for (int l = 0; l < L; l++) {
            RAND_bytes(in[l], (int)k);
            in[l][0] &= 0x7F; /* public input < n */
            inp[l] = in[l];
            outp[l] = out[l];
        }
        ifma_mb_rsa_test_fault_lane = b == 1 ? 2 : 0; /* second batch: lane 1 faulted */
        const unsigned faults = ifma_mb_rsa_private(ctx, outp, inp);
        ifma_mb_rsa_test_fault_lane = 0;
        bad |= faults != (b == 1 ? 2u : 0u);
        for (int l = 0; l < L; l++)
            if (!(b == 1 && l == 1))
                bad |= !ossl_raw_sign(pk[l], in[l], k, want) || memcmp(out[l], want, k) != 0;
    }
    ifma_wipe(ctx, sizeof *ctx);
    free(ctx);
    for (int l = 0; l < L; l++)
        EVP_PKEY_free(pk[l]);
    printf("ctgrind_mb: backend %d, RSA-%d x %d lanes: set-up, blinding, 2 batches (one lane faulted): %s\n", backend,
           bits, L, bad ? "WRONG RESULTS" : "signatures == OpenSSL");
    return bad;
}

int main(int argc, char **argv)
{
    if (argc > 3 && !strcmp(argv[2], "rsa"))
        return run_rsa(atoi(argv[1]), atoi(argv[3]), argc > 4 ? argv[4] : "/tmp/signet-ifma-keys");
    const int backend = argc > 1 ? atoi(argv[1]) : 3, n = argc > 2 ? atoi(argv[2]) : 20;
    const int control = argc > 3 && !strcmp(argv[3], "control");
    const ifma_mb_backend *be = ifma_mb_backend_get(backend);
    const int ni = ifma_mb_nidx(n);
    if (be == NULL || ni < 0 ||
        (backend != SIGNET_IFMA_BACKEND_EMULATED && backend != SIGNET_IFMA_BACKEND_EMULATED512)) {
        fprintf(stderr, "usage: %s 0|3 20|30|40 [control]\n", argv[0]);
        return 64;
    }
    const int L = be->lanes;
    const unsigned k = 512u * (unsigned)n / 10u;
    static _Alignas(64) uint64_t m[IFMA_MB_BLOCK], rr[IFMA_MB_BLOCK], x[IFMA_MB_BLOCK], out[IFMA_MB_BLOCK];
    static uint64_t k0[IFMA_MB_LMAX], e[IFMA_MB_LMAX * IFMA_MB_EWORDS];
    ifma_mb_ws *ws = aligned_alloc(64, sizeof(ifma_mb_ws));
    if (ws == NULL)
        return 2;
    gmp_randstate_t rs;
    gmp_randinit_default(rs);
    gmp_randseed_ui(rs, 30);
    mpz_t mv[IFMA_MB_LMAX], xv[IFMA_MB_LMAX], ev[IFMA_MB_LMAX], r, t;
    mpz_inits(r, t, NULL);
    mpz_setbit(r, 52u * (unsigned)n);
    for (int l = 0; l < L; l++) {
        mpz_inits(mv[l], xv[l], ev[l], NULL);
        mpz_urandomb(mv[l], rs, k);
        mpz_setbit(mv[l], k - 1);
        mpz_setbit(mv[l], 0);
        mpz_urandomm(xv[l], rs, mv[l]);
        mpz_urandomb(ev[l], rs, k); /* lanes differ in every window value */
        to_block(m, n, L, l, mv[l]);
        to_block(x, n, L, l, xv[l]);
        mpz_mul(t, r, r);
        mpz_mod(t, t, mv[l]);
        to_block(rr, n, L, l, t);
        size_t cnt = 0;
        mpz_export(e + (size_t)l * IFMA_MB_EWORDS, &cnt, -1, 8, 0, 0, ev[l]);
    }
    VALGRIND_MAKE_MEM_UNDEFINED(m, sizeof m);
    VALGRIND_MAKE_MEM_UNDEFINED(rr, sizeof rr);
    VALGRIND_MAKE_MEM_UNDEFINED(x, sizeof x);
    VALGRIND_MAKE_MEM_UNDEFINED(e, sizeof e);
    for (int l = 0; l < L; l++)
        k0[l] = ifma_mb_k0(m[l]); /* from the secret modulus: constant time too */
    be->exp[ni](out, x, e, k, m, k0, rr, ws);
    if (control && out[0] == 12345) /* control: a branch on the result, before it is declassified */
        puts("");
    VALGRIND_MAKE_MEM_DEFINED(out, sizeof out);
    int bad = 0;
    for (int l = 0; l < L; l++) {
        mpz_t got;
        mpz_init(got);
        for (int i = n - 1; i >= 0; i--) {
            mpz_mul_2exp(got, got, 52);
            mpz_add_ui(got, got, (unsigned long)out[i * L + l]);
        }
        mpz_powm(t, xv[l], ev[l], mv[l]);
        bad |= mpz_cmp(got, t) != 0;
        mpz_clears(got, mv[l], xv[l], ev[l], NULL);
    }
    mpz_clears(r, t, NULL);
    gmp_randclear(rs);
    free(ws);
    printf("ctgrind_mb: backend %d, N = %d, %d lanes, %u-bit moduli and exponents: %s\n", backend, n, L, k,
           bad ? "WRONG RESULTS" : "results == mpz_powm");
    return bad;
}
