/* SPDX-License-Identifier: Apache-2.0 */
/*
 * clock.h - the timing helpers of the perf/ifma drivers (bench.c, amm.c): a monotonic clock in seconds and the core
 * clock estimate that turns times into cycles.
 */
#ifndef SIGNET_IFMA_PERF_CLOCK_H
#define SIGNET_IFMA_PERF_CLOCK_H
#include <stdint.h>
#include <time.h>

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Core clock estimate: a chain of dependent 1-cycle ADDs (x86-64) runs one per cycle. 0 where not measurable. This
   is the scalar clock; on CPUs that lower the clock under heavy 512-bit load (some Intel parts) the kernel may run
   slower than this. */
static inline double ghz_estimate(void)
{
#if defined(__x86_64__)
    double best = 0;
    for (int rep = 0; rep < 5; rep++) {
        uint64_t x = 0;
        const long iters = 20000000;
        double t0 = now();
        for (long i = 0; i < iters; i++)
            __asm__ volatile("addq $1, %0\n\taddq $1, %0\n\taddq $1, %0\n\taddq $1, %0\n\t"
                             "addq $1, %0\n\taddq $1, %0\n\taddq $1, %0\n\taddq $1, %0"
                             : "+r"(x));
        double g = 8.0 * (double)iters / (now() - t0) / 1e9;
        if (g > best)
            best = g;
    }
    return best;
#else
    return 0;
#endif
}
#endif
