/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mb_bench.c - the multi-buffer kernel's calls timed one by one (perf/ifma/mb_bench.sh): cycles per L-lane call of
 * mb_amm, mb_ams and mb_redc, chained as the exponentiation chains them (each output is the next input), the
 * squaring/multiplication ratio (crypto_mb measured 0.57 at N = 40 on Zen 4, shared/IFMA-MULTIBUFFER.md), and one
 * full-length mb_exp per lane. Cycles use the core clock measured by a chain of dependent ADDs (clock.h).
 * Moduli are random odd numbers of the right size (the arithmetic's cost does not depend on the value).
 *
 *   mb_bench [--backend B]...   (default: 2 and 1, the native backends; 0 and 3 are the slow emulated ones)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ifma_mb.h"
#include "signet_ifma.h"

static uint64_t rnd(void)
{
    static uint64_t x = 88172645463325252ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

static _Alignas(64) uint64_t m[IFMA_MB_BLOCK], a[IFMA_MB_BLOCK], b[IFMA_MB_BLOCK], rr[IFMA_MB_BLOCK], w[IFMA_MB_WBLOCK],
    e[IFMA_MB_LMAX * IFMA_MB_EWORDS];
static uint64_t k0[IFMA_MB_LMAX];
static ifma_mb_ws *ws;

/* Seconds per call of op (0 amm, 1 ams, 2 redc, 3 exp), best of 5 runs of reps chained calls. */
static double time_op(const ifma_mb_backend *be, int op, int ni, int reps, unsigned ebits)
{
    double best = 1e30;
    for (int run = 0; run < 5; run++) {
        const double t0 = now();
        for (int i = 0; i < reps; i++) {
            switch (op) {
            case 0: be->amm[ni](a, a, b, m, k0); break;
            case 1: be->ams[ni](a, a, m, k0); break;
            case 2: be->redc[ni](a, w, m, k0); break;
            default: be->exp[ni](b, a, e, ebits, m, k0, rr, ws); break;
            }
        }
        const double t = (now() - t0) / reps;
        best = t < best ? t : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    int only[8], nonly = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--backend") && i + 1 < argc && nonly < 8)
            only[nonly++] = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--backend B]...\n", argv[0]);
            return 64;
        }
    }
    if (nonly == 0) {
        only[nonly++] = SIGNET_IFMA_BACKEND_NATIVE512;
        only[nonly++] = SIGNET_IFMA_BACKEND_NATIVE256;
    }
    const double ghz = ghz_estimate();
    printf("mb_bench: core clock %.2f GHz (ADD chain)\n", ghz);
    ws = aligned_alloc(64, sizeof(ifma_mb_ws));
    if (ws == NULL)
        return 2;
    for (int bi = 0; bi < nonly; bi++) {
        const ifma_mb_backend *be = ifma_mb_backend_get(only[bi]);
        if (be == NULL) {
            printf("backend %d: NOT RUN (not available on this CPU/build)\n", only[bi]);
            continue;
        }
        const int L = be->lanes, emulated = only[bi] == 0 || only[bi] == 3;
        printf("backend %d (%d lanes%s): cycles per call, all lanes together\n", only[bi], L,
               emulated ? ", emulated in C" : "");
        printf("  %4s %10s %10s %10s %8s %14s\n", "N", "mb_amm", "mb_ams", "mb_redc", "ams/amm", "mb_exp/lane us");
        for (int n = 20; n <= 40; n += 10) {
            const int ni = ifma_mb_nidx(n), reps = emulated ? 20 : 2000;
            memset(m, 0, sizeof m);
            memset(w, 0, sizeof w);
            memset(e, 0, sizeof e);
            /* random moduli of 52n - 16 bits per lane (top limb 36 bits: 4m < R), odd; operands < m */
            for (int i = 0; i < n * L; i++) {
                m[i] = rnd() & IFMA_M52;
                a[i] = rnd() & IFMA_M52;
                b[i] = rnd() & IFMA_M52;
                rr[i] = rnd() & IFMA_M52;
            }
            for (int l = 0; l < L; l++) {
                m[l] |= 1;
                m[(n - 1) * L + l] = (m[(n - 1) * L + l] >> 16) | (1ull << 35);
                a[(n - 1) * L + l] >>= 18;
                b[(n - 1) * L + l] >>= 18;
                rr[(n - 1) * L + l] >>= 18;
                k0[l] = ifma_mb_k0(m[l]);
                for (int j = 0; j < 2 * n - 1; j++)
                    w[j * L + l] = rnd() & IFMA_M52;
                for (int j = 0; j < (52 * n - 16) / 64; j++)
                    e[l * IFMA_MB_EWORDS + j] = rnd();
            }
            const unsigned ebits = (unsigned)(52 * n - 16) / 64 * 64; /* 1024, 1536, 2048 */
            const double tm = time_op(be, 0, ni, reps, 0), ts = time_op(be, 1, ni, reps, 0);
            const double tr = time_op(be, 2, ni, reps, 0), tx = time_op(be, 3, ni, 1, ebits);
            printf("  %4d %10.0f %10.0f %10.0f %8.3f %14.1f\n", n, tm * ghz * 1e9, ts * ghz * 1e9, tr * ghz * 1e9,
                   ts / tm, tx * 1e6 / L);
        }
    }
    free(ws);
    return 0;
}
