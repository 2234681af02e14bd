/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_internal.h - shared definitions of the CSignetIFMA engine (not part of the public API).
 *
 * Number layouts
 *   52-bit limbs ("radix 2^52"): little-endian uint64_t limbs, each < 2^52, as consumed by vpmadd52{l,h}uq.
 *     A number mod a CRT half m uses N limbs with 52*N >= bits(m) + 2, so that 4m < R = 2^(52N) (the almost-
 *     Montgomery bound): N = 20, 30 and 40 for 1024-, 1536- and 2048-bit halves. Vectors hold L limbs
 *     (L = 4 for ymm, 8 for zmm); a number is padded with zero limbs to NP = roundup(N, L).
 *   "slot": IFMA_OFF zero limbs, then NP data limbs, then zero limbs up to IFMA_SLOT: the data starts 64-byte
 *     aligned. The kernel reads only the NP data limbs of its operands.
 *   64-bit words: little-endian uint64_t words, used by the portable mod-n code (sbn_*).
 */
#ifndef SIGNET_IFMA_INTERNAL_H
#define SIGNET_IFMA_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

__extension__ typedef unsigned __int128 ifma_u128;

#define IFMA_M52 ((uint64_t)0xFFFFFFFFFFFFFull)
#define IFMA_NMAX 40                         /* limbs of a 2048-bit half, the largest */
#define IFMA_OFF 8                           /* zero limbs before the data of a slot (64 bytes) */
#define IFMA_SLOT (IFMA_OFF + IFMA_NMAX + 8) /* 56 limbs = 448 bytes, a multiple of 64 */
#define IFMA_WIDE (2 * IFMA_NMAX + 8)        /* double-length accumulators / inputs, zero beyond 2*NP */
#define IFMA_WIN 5                           /* window bits (see README: table of 32 fits L1 for both halves) */
#define IFMA_TBL (1 << IFMA_WIN)
#define IFMA_HWORDS_MAX 32                /* 64-bit words of a 2048-bit half, the largest */
#define IFMA_EWORDS (IFMA_HWORDS_MAX + 1) /* exponent words + one zero word read by the top window */
#define IFMA_NWORDS_MAX 64                /* 64-bit words of a 4096-bit modulus, the largest */
#define IFMA_PUB_NMAX 80                  /* limbs of a 4096-bit modulus, the largest (public-key operation) */
#define IFMA_PUB_SLOT (IFMA_OFF + IFMA_PUB_NMAX + 8)

/* One CRT half prepared for the kernel. Secret (derived from p or q). */
typedef struct {
    uint64_t m[IFMA_SLOT];   /* modulus, 52-bit limbs at m[IFMA_OFF...] */
    uint64_t one[IFMA_SLOT]; /* R mod m (Montgomery form of 1) */
    uint64_t rr3[IFMA_SLOT]; /* R^3 mod m (converts c*R^-1 to c*R) */
    uint64_t k0;             /* -m^-1 mod 2^52 */
} ifma_mod;

/* Kernel workspace (lives in the blinding object, wiped after every operation). Guard limbs stay zero. */
typedef struct {
    uint64_t table[2][IFMA_TBL][IFMA_NMAX]; /* x^0..x^31 in Montgomery form, both halves: 20 KiB at N = 40 */
    uint64_t acc[2][IFMA_SLOT];
    uint64_t tmp[2][IFMA_SLOT];
} ifma_ws;

/* A whole modulus n prepared for the public-key operation (N = 40, 60, 80 for 2048-, 3072-, 4096-bit n). Public. */
typedef struct {
    uint64_t m[IFMA_PUB_SLOT];  /* n, 52-bit limbs at m[IFMA_OFF...] */
    uint64_t rr[IFMA_PUB_SLOT]; /* R^2 mod n (converts x to x R) */
    uint64_t k0;                /* -n^-1 mod 2^52 */
} ifma_pmod;

/* Workspace of the public-key operation (slots: guard limbs zero). */
typedef struct {
    uint64_t x[IFMA_PUB_SLOT];   /* the base in Montgomery form */
    uint64_t acc[IFMA_PUB_SLOT]; /* the running power */
    uint64_t one[IFMA_PUB_SLOT];
} ifma_pws;

/*
 * Public-key kernel entry point, one per (backend, N): out == x^e (mod n) with 0 <= out <= n (the caller subtracts
 * n once). x: NP limbs (52-bit), x < n; out: NP limbs; e >= 1, public (square-and-multiply on its bits).
 */
typedef void (*ifma_pub_exp_fn)(const ifma_pmod *n, const uint64_t *x, uint64_t e, uint64_t *out, ifma_pws *ws);

/*
 * Kernel entry point, one per (backend, N): for h in {p, q}:
 *   out_h == x_h^(e_h) (mod m_h) with 0 <= out_h <= m_h (the caller subtracts m_h once, in constant time).
 * x_h: IFMA_WIDE limbs (52-bit), any value < 2^(2*bits(m_h)), zero beyond; read only.
 * e_h: IFMA_EWORDS 64-bit words, ebits bits used (ebits = bits of the half; the extra word must be zero).
 * out_h: IFMA_NMAX limbs. The exponent is scanned in fixed 5-bit windows over all ebits bits, regardless of value.
 */
typedef void (*ifma_crt_exp_fn)(const ifma_mod *mp, const ifma_mod *mq, const uint64_t *xp, const uint64_t *xq,
                                const uint64_t *ep, const uint64_t *eq, unsigned ebits, uint64_t *outp, uint64_t *outq,
                                ifma_ws *ws);

/* Test access to the lane primitives (the driver checks them against a scalar reference on every backend). */
enum {
    IFMA_OP_ADD,
    IFMA_OP_AND,
    IFMA_OP_OR,
    IFMA_OP_SRLI52,
    IFMA_OP_MADD52LO,
    IFMA_OP_MADD52HI,
    IFMA_OP_SHR1,
    IFMA_OP_SHL1,
    IFMA_OP_CMPGT,
    IFMA_OP_CMPEQ,
    IFMA_OP_MASKADD1,
    IFMA_OP_LANE0,
    IFMA_OP_SET1,
    IFMA_OP_ZERO,
    IFMA_OP_COUNT
};
/* out[0..L-1] = op(a, b, c) lane-wise; masks (cmpgt/cmpeq) and lane0 go to out[0]; maskadd1 uses mask = c[0]. */
typedef void (*ifma_prim_fn)(int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *out);

typedef struct {
    int lanes;
    ifma_crt_exp_fn crt_exp[3]; /* [0]: N = 20 (1024-bit halves), [1]: N = 40 (2048-bit), [2]: N = 30 (1536-bit) */
    ifma_pub_exp_fn pub_exp[3]; /* [0]: N = 40 (2048-bit n), [1]: N = 80 (4096-bit n), [2]: N = 60 (3072-bit n) */
    ifma_prim_fn prim;
} ifma_backend;

extern const ifma_backend ifma_backend_emu4;
extern const ifma_backend ifma_backend_emu8;
#if defined(__x86_64__)
extern const ifma_backend ifma_backend_avx256;
extern const ifma_backend ifma_backend_avx512;
#endif

/* Backend table lookup: NULL if the backend does not exist in this build or the CPU/OS lacks it. */
const ifma_backend *ifma_backend_get(int backend);

/* ---- constant-time helpers ---- */

/* Hides a value from the optimiser so that mask arithmetic is not turned back into branches. */
static inline uint64_t ifma_barrier(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(x));
#endif
    return x;
}
/* All ones if x == 0, else 0. */
static inline uint64_t ct_is_zero_mask(uint64_t x)
{
    x = ifma_barrier(x);
    return ((x | (0 - x)) >> 63) - 1;
}
/* All ones if a < b (unsigned), else 0. */
static inline uint64_t ct_lt_mask(uint64_t a, uint64_t b)
{
    a = ifma_barrier(a);
    return 0 - ((a ^ ((a ^ b) | ((a - b) ^ b))) >> 63);
}

/* Marks memory as public for the ctgrind run (no-op otherwise): used only on values the protocol makes public. */
#if defined(SIGNET_IFMA_CTGRIND)
#include <valgrind/memcheck.h>
#define IFMA_DECLASSIFY(p, n) VALGRIND_MAKE_MEM_DEFINED((p), (n))
#else
#define IFMA_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

/* ---- portable constant-time multiprecision arithmetic on 64-bit words (ifma_bn.c) ---- */
void ifma_wipe(void *p, size_t n);
void *ifma_alloc64(size_t size);            /* zeroed, 64-byte aligned; NULL if out of memory */
void ifma_free_wiped(void *p, size_t size); /* wipes, then frees; NULL is ignored */
void ifma_scrub_stack(void);
uint64_t sbn_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
uint64_t sbn_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n);
void sbn_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b, size_t n); /* mask ? a : b */
uint64_t sbn_eq_mask(const uint64_t *a, const uint64_t *b, size_t n);
uint64_t sbn_lt_mask(const uint64_t *a, const uint64_t *b, size_t n);
uint64_t sbn_is_word_mask(const uint64_t *a, size_t n, uint64_t w);                    /* all ones iff a == w */
void sbn_mul(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b, size_t bn); /* r: an + bn words */
uint64_t sbn_neg_inv64(uint64_t m0);                                                   /* -m0^-1 mod 2^64 */
/* Montgomery arithmetic mod an odd m of n words (a, b < m; results fully reduced, < m; r may alias a or b, not t).
   t: 2n words of scratch. All use the row kernel: MULX/ADCX/ADOX where the CPU has BMI2 + ADX, else portable C. */
void sbn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, uint64_t minv, size_t n,
                  uint64_t *t); /* a b 2^(-64 n) mod m */
/* a^2 2^(-64 n) mod m, each cross product once: ~1/4 fewer multiplications than sbn_mont_mul(a, a) */
void sbn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t minv, size_t n, uint64_t *t);
void sbn_mont_redc(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t minv, size_t n,
                   uint64_t *t); /* a 2^(-64 n) mod m (out of the Montgomery domain); a < m */
int sbn_row_kind(void);          /* 1: the MULX/ADX row is in use, 0: portable C */
void sbn_mod_double(uint64_t *r, const uint64_t *m, size_t n, uint64_t *t /* n words */);
void sbn_mod_pow2(uint64_t *r, size_t k, const uint64_t *m, size_t n, uint64_t *t /* n words */);
/* 2^k mod m for an odd m of n words with its top bit set, k >= 64 n: about log2(k - 64 n) Montgomery squarings
   instead of k doublings. Branches on k and n only. t: 2n words. */
void sbn_mod_pow2_mont(uint64_t *r, size_t k, const uint64_t *m, uint64_t minv, size_t n, uint64_t *t);
void sbn_mod(uint64_t *r, const uint64_t *x, size_t xn, const uint64_t *m, size_t n, uint64_t *t /* n words */);
void sbn_sub_if_ge(uint64_t *a, const uint64_t *m, size_t n, uint64_t *t /* n words */);
uint64_t sbn_from_bytes(uint64_t *r, size_t n, const uint8_t *in, size_t len); /* mask: all ones iff it fit */
void sbn_to_bytes(uint8_t *out, size_t len, const uint64_t *a, size_t n);
void sbn_to52(uint64_t *l, size_t nl, const uint64_t *a, size_t n);
void sbn_from52(uint64_t *a, size_t n, const uint64_t *l, size_t nl);

#endif /* SIGNET_IFMA_INTERNAL_H */
