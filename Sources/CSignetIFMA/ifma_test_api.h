/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_test_api.h - test-only entry points, compiled only with -DSIGNET_IFMA_TESTING (never in the Swift target).
 */
#ifndef SIGNET_IFMA_TEST_API_H
#define SIGNET_IFMA_TEST_API_H

#include <stddef.h>
#include <stdint.h>

#if defined(SIGNET_IFMA_TESTING)

/* Lanes per vector of a backend, or 0 if it is not available here. */
int signet_ifma_test_lanes(int backend);

/* Runs one lane primitive (IFMA_OP_* of ifma_internal.h) of `backend` on L-lane inputs; see ifma_prim_fn. */
void signet_ifma_test_prim(int backend, int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *out);

/*
 * Dual modular exponentiation through the kernel, for two odd moduli of hbits (1024, 1536 or 2048) bits each with the
 * top bit set: r_h = x_h^(e_h) mod m_h, fully reduced. m_h, e_h, r_h: hbits/64 words; x_h: 2*hbits/64 words.
 */
typedef struct ifma_test_ctx ifma_test_ctx;
ifma_test_ctx *signet_ifma_test_ctx_new(int backend, unsigned hbits, const uint64_t *m0, const uint64_t *m1);
void signet_ifma_test_ctx_exp(ifma_test_ctx *ctx, const uint64_t *x0, const uint64_t *x1, const uint64_t *e0,
                              const uint64_t *e1, uint64_t *r0, uint64_t *r1);
void signet_ifma_test_ctx_free(ifma_test_ctx *ctx);

/* out = in^e mod n on the portable mod-n arithmetic (the engine's verify-after-sign before the vector public-key
   operation; for perf/ifma/bench.c). */
typedef struct signet_rsa_public_engine signet_rsa_public_engine;
int signet_ifma_test_public_scalar(const signet_rsa_public_engine *key, const uint8_t *in, uint8_t *out);

/* Selects the row kernel of the mod-n arithmetic (ifma_bn.c): 0 portable C, 1 MULX/ADX if CPUID reports BMI2 + ADX,
   2 MULX/ADX without asking CPUID (for Valgrind, whose virtual CPU hides ADX but executes it). Returns 0 if the row
   is not available on this CPU/build (the choice is then unchanged). Process-wide, not thread-safe: tests only. */
int signet_ifma_test_row(int kind);

/*
 * Fault injection into the next private operations (process-wide, not thread-safe, tests only):
 * 0 none, 1 flip a bit of the CRT half mod p after exponentiation, 2 the same mod q,
 * 3 exponentiate mod p with a corrupted dp, 4 skip the exponentiation (outputs 0): the operation does all its other
 * work and fails its verify, so timing it measures the cost around the kernel (perf/ifma/bench.c); 5 flip a bit of
 * every public-key operation's result (verify-after-sign, the load-time round trip and self-check). Codes 1 to 4
 * reach the private operation only, through ifma_crt_exp_fault (test configuration); code 5 is read by ifma_pub_exp.
 */
extern int signet_ifma_test_fault;

#endif
#endif
