/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_rsa_internal.h - the engine's objects (key, blinding, workspace, public half) and the helpers its files share;
 * not part of the public API. The engine around the kernel is split by job, in layers: a file calls only the files
 * listed above it (and the backends), never one below.
 *   ifma_bn.c        portable constant-time arithmetic on 64-bit words; wiping and allocation (ifma_internal.h)
 *   ifma_cpu.c       CPU and OS support (CPUID/XCR0), the backend table lookup
 *   ifma_public.c    the public-key operation (vector kernel and portable), the public shape, the public engine
 *   ifma_crt.c       the CRT halves on the kernel: set-up, dual exponentiation, Garner; the verify on the public op
 *   ifma_key.c       private-key loading and checks, the CRT halves' constants
 *   ifma_blinding.c  the blinding pair (r^e, r^-1) and its per-thread state
 *   ifma_private.c   the RSA CRT private operation: blinding, CRT exponentiation, unblinding, verify-after-sign
 *   ifma_testing.c   test-only entry points (-DSIGNET_IFMA_TESTING)
 * One exception, in the test configuration only: ifma_public.c and ifma_private.c read signet_ifma_test_fault, the
 * fault switch that ifma_testing.c defines (ifma_test_api.h).
 *
 * Constant-time argument (secret: p, q, dp, dq, qinv and everything derived; r, A, Ai; the private result until
 * verified). Branches and addresses depend only on: lengths and sizes, the backend, e (public), the input (public),
 * the blinding use counter (public), and the declassified outcome of consistency checks and of the final verify
 * (one bit each, public by protocol: a key is accepted or not, a signature is released or not).
 *   - Exponentiation: ifma_kernel.h (fixed windows over all bits, masked table reads, no early exit).
 *   - Everything else: ifma_bn.c (fixed-length loops, masks, 64x64-bit multiplications).
 *   - Fixed shapes: the half size is fixed by the modulus size; exponents are scanned over the full half size.
 */
#ifndef SIGNET_IFMA_RSA_INTERNAL_H
#define SIGNET_IFMA_RSA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "signet_ifma.h"
#include "ifma_internal.h"

#define BLINDING_REFRESH 32 /* regenerate the blinding pair from fresh randomness every 32 operations */

/* ------------------------------------------------------------------------------------------------------------ */
/* Objects                                                                                                      */

/* The public half of a key (n, e) prepared for the vector kernel's public-key operation and for the portable
   mod-n arithmetic. Public. Shared by the private engine (verify-after-sign) and the public engine. */
typedef struct {
    ifma_pmod pm;                 /* n for the kernel (N = 40, 60 or 80 limbs) */
    uint64_t n[IFMA_NWORDS_MAX];  /* n, 64-bit words */
    uint64_t rr[IFMA_NWORDS_MAX]; /* 2^(128 nw) mod n (into the portable arithmetic's Montgomery domain) */
    uint64_t n_inv64, e;          /* -n^-1 mod 2^64; the public exponent */
    const ifma_backend *be;
    int backend, psel; /* psel: index into be->pub_exp (0: 2048-bit n, 1: 4096-bit, 2: 3072-bit) */
    size_t k, nw;      /* bytes and words of n */
    unsigned plimbs;   /* 52-bit limbs of n in the kernel (40, 60 or 80) */
} ifma_pub;

struct signet_rsa_public_engine {
    ifma_pub pub;
};

struct signet_rsa_engine_key {
    ifma_mod mp, mq; /* secret: the halves prepared for the kernel */
    uint64_t p[IFMA_HWORDS_MAX], q[IFMA_HWORDS_MAX];
    uint64_t dp[IFMA_EWORDS], dq[IFMA_EWORDS];   /* CRT exponents, one zero word on top */
    uint64_t pm2[IFMA_EWORDS], qm2[IFMA_EWORDS]; /* p - 2, q - 2: Fermat inversion exponents */
    uint64_t qinv_m[IFMA_HWORDS_MAX];            /* qinv * 2^(64 hw) mod p (Montgomery form for Garner) */
    uint64_t p_inv64;                            /* -p^-1 mod 2^64 */
    ifma_pub pub;                                /* public from here on */
    int nsel;                                    /* index into be->crt_exp (0: 1024-bit halves, 1: 2048, 2: 1536) */
    size_t hw;                                   /* words of a half */
    unsigned hbits, nlimbs; /* bits of a half (1024, 1536 or 2048), its 52-bit limbs (20, 30, 40) */
};

/* Per-operation workspace: everything secret an operation touches outside the key and the registers. */
typedef struct {
    ifma_ws ws;
    uint64_t x[IFMA_WIDE];                 /* kernel input in 52-bit limbs */
    uint64_t op[IFMA_NMAX], oq[IFMA_NMAX]; /* kernel outputs */
    uint64_t sp[IFMA_HWORDS_MAX], sq[IFMA_HWORDS_MAX], h[IFMA_HWORDS_MAX], d[IFMA_HWORDS_MAX];
    uint64_t in[IFMA_NWORDS_MAX], c[IFMA_NWORDS_MAX], s[IFMA_NWORDS_MAX], v[IFMA_NWORDS_MAX];
    uint64_t b[IFMA_NWORDS_MAX], r[IFMA_NWORDS_MAX];
    uint64_t t[2 * IFMA_NWORDS_MAX + 2];
    uint64_t e2[IFMA_EWORDS];
    ifma_pws pws; /* the public-key operation's workspace (verify-after-sign) */
    uint64_t px[IFMA_PUB_NMAX], po[IFMA_PUB_NMAX];
} ifma_scratch;

struct signet_rsa_blinding {
    ifma_scratch sc;
    uint64_t a_m[IFMA_NWORDS_MAX];  /* A * 2^(64 nw) mod n, A = r^e */
    uint64_t ai_m[IFMA_NWORDS_MAX]; /* Ai * 2^(64 nw) mod n, Ai = r^-1 */
    const signet_rsa_engine_key *key;
    uint32_t uses; /* public: operations since the pair was (re)generated */
};

/* ---- ifma_public.c ---- */
void ifma_pow_e_mont(const ifma_pub *pub, uint64_t *out_m, const uint64_t *x_m, uint64_t *t);
void ifma_pub_exp_portable(const ifma_pub *pub, const uint64_t *s, uint64_t *r, uint64_t *b, uint64_t *t);
void ifma_pub_exp(const ifma_pub *pub, const uint64_t *s, uint64_t *r, ifma_pws *ws, uint64_t *x, uint64_t *o,
                  uint64_t *t);
void ifma_setup_pub(ifma_pub *pub, uint64_t *t);
int ifma_public_shape(const uint8_t **n, size_t *n_len, const uint8_t *e, size_t e_len, uint64_t *ev);
void ifma_init_pub(ifma_pub *pub, const ifma_backend *be, int backend, const uint8_t *n, size_t n_len, uint64_t e);
void ifma_half_of(uint64_t *r, const uint64_t *n, size_t nw);

/* ---- ifma_crt.c ---- */
void ifma_setup_half(ifma_mod *md, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t, uint64_t *u);
void ifma_finish_half(uint64_t *r, const uint64_t *l, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t);
/*
 * sc->s = sc->c ^ (ep, eq) mod n by the CRT: sp = c^ep mod p and sq = c^eq mod q in one dual exponentiation on the
 * kernel, then Garner (for ep, eq = dp, dq: s = c^d mod n). Everything it touches outside the key is in *sc:
 *   reads   sc->c (the base, nw words, < n; left as it is) and sc->ws (the kernel's workspace, guard limbs zero);
 *   writes  sc->s (the result, nw words, < n); on the way sc->x (c in 52-bit limbs), sc->ws, sc->op, sc->oq (the
 *           kernel's outputs), sc->sp, sc->sq (the halves, hw words, fully reduced), sc->d, sc->h, sc->t (Garner);
 *   leaves  every other field (in, v, b, r, e2, pws, px, po), which callers keep values in across the call.
 * ep, eq: IFMA_EWORDS words each, the top word zero (every bit of the half is scanned); read only; they must not
 * point into *sc. No written field overlaps a read one, so there is no aliasing to mind between sc->c and sc->s.
 */
void ifma_crt_exp(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq);
#if defined(SIGNET_IFMA_TESTING)
/* The same with a fault injected (1 to 4 as signet_ifma_test_fault in ifma_test_api.h, which also writes sc->e2);
   the private operation calls it in the test configuration only. */
void ifma_crt_exp_fault(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq,
                        int fault);
#endif
/* All ones iff s^e mod n == expect (s < n, nw words each), on the vector public-key operation. Writes sc->v,
   sc->pws, sc->px, sc->po and sc->t; s and expect must not be among them (s may be sc->s, expect sc->in). */
uint64_t ifma_verify_mask(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *s,
                          const uint64_t *expect);

/* ---- ifma_blinding.c ---- */
int ifma_blinding_regen(const signet_rsa_engine_key *key, signet_rsa_blinding *bl, const uint8_t *random);

#endif /* SIGNET_IFMA_RSA_INTERNAL_H */
