/* SPDX-License-Identifier: Apache-2.0 */
/*
 * amm.c - the kernel's multiplication alone: cycles per call and per limb step of amm2 (both CRT halves, N = 20 and
 * 40) and amm1 (one modulus, N = 40 and 80) on the native backend of width W (256 or 512), chained as the
 * exponentiation chains them (the output is the next call's input). It includes the backend's source, so it times
 * exactly the kernel the engine runs, without the table selection, the conversions or the work around the kernel.
 * Build and run: perf/ifma/amm.sh (both widths; an AVX-512 IFMA CPU only). Cycles use the core clock measured by a
 * chain of dependent ADDs, as bench.c does. Moduli are random odd numbers of the right size (the arithmetic's cost
 * does not depend on the value).
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clock.h"
#if W == 512
#include "ifma_avx512.c"
#define P(x) ifma_avx512_##x
#elif W == 256
#include "ifma_avx256.c"
#define P(x) ifma_avx256_##x
#else
#error "build with -DW=256 or -DW=512"
#endif

static uint64_t rnd(void)
{
    static uint64_t x = 88172645463325252ull;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
}

/* A random odd n-limb modulus below 2^(52 n - 2) (so 4m < R) and its k0, into m (a slot) and *k0. */
static void modulus(uint64_t *m, uint64_t *k0, int n)
{
    for (int i = 0; i < n; i++)
        m[IFMA_OFF + i] = rnd() & IFMA_M52;
    m[IFMA_OFF] |= 1;
    m[IFMA_OFF + n - 1] = (m[IFMA_OFF + n - 1] & ((1ull << 50) - 1)) | (1ull << 49);
    uint64_t inv = 1;
    for (int i = 0; i < 7; i++)
        inv *= 2 - m[IFMA_OFF] * inv;
    *k0 = (0 - inv) & IFMA_M52;
}

static ifma_mod mp, mq;
static ifma_pmod pm;
static uint64_t A[2][IFMA_PUB_SLOT] __attribute__((aligned(64)));

/* Best of 7 runs of `calls` chained calls: seconds per call. */
#define TIME(calls, stmt)                                                                                              \
    do {                                                                                                               \
        best = 1e9;                                                                                                    \
        for (int r = 0; r < 7; r++) {                                                                                  \
            double t0 = now();                                                                                         \
            for (int c = 0; c < (calls); c++)                                                                          \
                stmt;                                                                                                  \
            double t = (now() - t0) / (calls);                                                                         \
            best = t < best ? t : best;                                                                                \
        }                                                                                                              \
    } while (0)

static void report(const char *fn, int n, int halves, double secs, double g)
{
    const int L = W / 64, kv = (n + L - 1) / L;
    const double ifma = halves * (3.0 * kv + 4.0 * n * kv), cyc = secs * g * 1e9;
    printf("W=%d %-5s N=%-2d %7.0f cycles/call %6.1f cycles/limb step  %.2f IFMA/cycle\n", W, fn, n, cyc, cyc / n,
           ifma / cyc);
}

int main(void)
{
    const double g = ghz_estimate();
    double best;
    printf("core clock estimate (dependent ADD chain): %.2f GHz\n", g);
    for (int i = 0; i < IFMA_PUB_NMAX; i++)
        A[0][IFMA_OFF + i] = rnd() & IFMA_M52, A[1][IFMA_OFF + i] = rnd() & IFMA_M52;
    uint64_t *a = A[0] + IFMA_OFF, *b = A[1] + IFMA_OFF;
    for (int n = 20; n <= 40; n += 20) {
        modulus(mp.m, &mp.k0, n);
        modulus(mq.m, &mq.k0, n);
        for (int i = n; i < IFMA_NMAX; i++) /* operands below R: limbs N.. zero */
            a[i] = b[i] = 0;
        if (n == 20)
            TIME(200000, P(n20_amm2)(a, b, a, a, b, b, &mp, &mq));
        else
            TIME(50000, P(n40_amm2)(a, b, a, a, b, b, &mp, &mq));
        report("amm2", n, 2, best, g);
    }
    for (int n = 40; n <= 80; n += 40) {
        modulus(pm.m, &pm.k0, n);
        for (int i = n; i < IFMA_PUB_NMAX; i++)
            a[i] = 0;
        if (n == 40)
            TIME(100000, P(n40_amm1)(a, a, a, &pm));
        else
            TIME(25000, P(n80_amm1)(a, a, a, &pm));
        report("amm1", n, 1, best, g);
    }
    printf("(a[0] = %llx)\n", (unsigned long long)a[0]); /* keeps the chain's result live */
    return 0;
}
