/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_mb.h - the multi-buffer kernel's internal interface (issue 30): L independent numbers, one per lane, each
 * with its own modulus, in the vertical layout. Not part of the public API.
 *
 * Vertical layout: a number block of N limbs for L lanes is N*L uint64_t, limb i of lane l at [i*L + l]; so limb i
 * of all lanes is one vector and nothing ever moves across lanes. Limbs are 52-bit. N = 20, 30, 40 (1024-, 1536-,
 * 2048-bit moduli, the CRT halves of RSA-2048/3072/4096), R = 2^(52N), each lane's modulus odd with 4m < R.
 * k0: L words, -m^-1 mod 2^52 per lane (ifma_mb_k0). Block pointers should be 64-byte aligned (the kernel's loads
 * are unaligned-tolerant, but aligned ones do not split cache lines).
 */
#ifndef SIGNET_IFMA_MB_H
#define SIGNET_IFMA_MB_H

#include "ifma_internal.h"

#define IFMA_MB_LMAX 8                              /* lanes: 8 (zmm, emulated 8) or 4 (ymm, emulated 4) */
#define IFMA_MB_NMAX 40                             /* limbs of the largest modulus (2048 bits) */
#define IFMA_MB_BLOCK (IFMA_MB_NMAX * IFMA_MB_LMAX) /* uint64_t of the largest number block: 2560 bytes */
#define IFMA_MB_EWORDS 33                           /* per-lane exponent words: 2048 bits + one zero word */
#define IFMA_MB_WBLOCK (2 * IFMA_MB_BLOCK)          /* a double-length block (mb_redc's input) */

/* Workspace of mb_exp, caller-provided (no allocation inside the kernel): 87.5 KiB. Secret contents; the caller
   wipes it. The table holds x^0..x^31 (Montgomery form) of every lane: 80 KiB at N = 40, L = 8. */
typedef struct {
    _Alignas(64) uint64_t table[IFMA_TBL][IFMA_MB_BLOCK];
    uint64_t acc[IFMA_MB_BLOCK];
    uint64_t tmp[IFMA_MB_BLOCK];
    uint64_t one[IFMA_MB_BLOCK];
} ifma_mb_ws;

/*
 * r = a b R^-1 mod m per lane, "almost": for a, b < 2m the result is < 2m (and == a b R^-1 mod m).
 * r may alias a or b (it is written only at the end). All blocks N*L limbs, normalised (each limb < 2^52).
 */
typedef void (*ifma_mb_amm_fn)(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m,
                               const uint64_t *k0);
/* r = a^2 R^-1 mod m per lane by a dedicated squaring; same contract and bound as amm (interchangeable). */
typedef void (*ifma_mb_ams_fn)(uint64_t *r, const uint64_t *a, const uint64_t *m, const uint64_t *k0);
/* r = w R^-1 mod m per lane, < 2m, for a 2N-limb block w (normalised) with w < m R in every lane; r: N limbs.
   (A CRT input c < n = p q: mb_amm(mb_redc(c), R^2 mod p) == c mod p, < 2p.) */
typedef void (*ifma_mb_redc_fn)(uint64_t *r, const uint64_t *w, const uint64_t *m, const uint64_t *k0);
/*
 * out = x^e mod m per lane, fully reduced (0 <= out < m). x: block, x < 2m per lane. e: L exponents, lane l at
 * e[l * IFMA_MB_EWORDS ..], little-endian 64-bit words, ebits (public, 0..2048) bits scanned in fixed 5-bit
 * windows whatever the value, every bit from ebits up zero (the top window reads one word past it).
 * rr: block, R^2 mod m per lane (< m). out may alias x. Constant time in x, e and m.
 */
typedef void (*ifma_mb_exp_fn)(uint64_t *out, const uint64_t *x, const uint64_t *e, unsigned ebits, const uint64_t *m,
                               const uint64_t *k0, const uint64_t *rr, ifma_mb_ws *ws);

typedef struct {
    int lanes;
    ifma_mb_amm_fn amm[3]; /* [0]: N = 20, [1]: N = 30, [2]: N = 40 (ifma_mb_nidx) */
    ifma_mb_ams_fn ams[3];
    ifma_mb_redc_fn redc[3];
    ifma_mb_exp_fn exp[3];
} ifma_mb_backend;

extern const ifma_mb_backend ifma_mb_backend_emu4;
extern const ifma_mb_backend ifma_mb_backend_emu8;
#if defined(__x86_64__)
extern const ifma_mb_backend ifma_mb_backend_avx256;
extern const ifma_mb_backend ifma_mb_backend_avx512;
#endif

/* The backend's multi-buffer table (same numbering and CPU checks as ifma_backend_get); NULL if unavailable. */
const ifma_mb_backend *ifma_mb_backend_get(int backend);
/* Index into amm/ams/exp for N = 20, 30, 40; -1 otherwise. */
static inline int ifma_mb_nidx(int n) { return n == 20 ? 0 : n == 30 ? 1 : n == 40 ? 2 : -1; }
/* -m^-1 mod 2^52 for an odd m0 (the low limb of a modulus). */
static inline uint64_t ifma_mb_k0(uint64_t m0) { return sbn_neg_inv64(m0) & IFMA_M52; }

/* ---- RSA CRT private operation for L signatures at once (ifma_mb_rsa.c) ---- */
#define IFMA_MB_RSA_NW 64 /* 64-bit words of the largest n (4096 bits) */

/* One lane's key, big-endian byte strings as in signet_rsa_key_params. */
typedef struct {
    const uint8_t *n, *e, *p, *q, *dp, *dq, *qinv;
    size_t n_len, e_len, p_len, q_len, dp_len, dq_len, qinv_len;
} ifma_mb_rsa_lane_params;

/* One lane's mod-n side (64-bit words): the key, Montgomery constants, the blinding pair. Secret. */
typedef struct {
    uint64_t n[IFMA_MB_RSA_NW], rrn[IFMA_MB_RSA_NW], A[IFMA_MB_RSA_NW], Ai[IFMA_MB_RSA_NW];
    uint64_t p[IFMA_MB_RSA_NW / 2], q[IFMA_MB_RSA_NW / 2], qinv[IFMA_MB_RSA_NW / 2], rrp[IFMA_MB_RSA_NW / 2];
    uint64_t e, ninv, pinv;
    size_t nw, hw;
} ifma_mb_rsa_lane;

/* L keys prepared for the kernel plus every buffer a batch needs (no allocation per batch): about 160 KiB, caller-
   allocated 64-byte aligned, wiped by the caller when done. Not thread-safe (one batch at a time). */
typedef struct {
    ifma_mb_ws ws;
    _Alignas(64) uint64_t pb[IFMA_MB_BLOCK], qb[IFMA_MB_BLOCK], rrp52[IFMA_MB_BLOCK], rrq52[IFMA_MB_BLOCK];
    uint64_t sp[IFMA_MB_BLOCK], sq[IFMA_MB_BLOCK], tmp[IFMA_MB_BLOCK], wide[IFMA_MB_WBLOCK];
    uint64_t k0p[IFMA_MB_LMAX], k0q[IFMA_MB_LMAX];
    uint64_t dp[IFMA_MB_LMAX * IFMA_MB_EWORDS], dq[IFMA_MB_LMAX * IFMA_MB_EWORDS];
    uint64_t ep[IFMA_MB_LMAX * IFMA_MB_EWORDS], eq[IFMA_MB_LMAX * IFMA_MB_EWORDS];
    uint64_t in[IFMA_MB_LMAX][IFMA_MB_RSA_NW], c[IFMA_MB_LMAX][IFMA_MB_RSA_NW], s[IFMA_MB_LMAX][IFMA_MB_RSA_NW];
    ifma_mb_rsa_lane lane[IFMA_MB_LMAX];
    const ifma_mb_backend *be;
    int L, N, ni;
    unsigned bits;
} ifma_mb_rsa;

/* Prepares nlanes (== the backend's lanes) keys of `bits` (2048, 3072, 4096; p, q of bits/2 bits): 0, or -1 bad
   arguments/backend, -2 unsupported shape, -3 inconsistent (n != p q, qinv >= p). Then ifma_mb_rsa_blind. */
int ifma_mb_rsa_init(ifma_mb_rsa *ctx, int backend, int bits, const ifma_mb_rsa_lane_params *lanes, int nlanes);
/* A fresh blinding pair per lane from L * bits/8 random bytes: 0, or -1 arguments, -2 a pair failed its check. */
int ifma_mb_rsa_blind(ifma_mb_rsa *ctx, const uint8_t *rnd, size_t rnd_len);
/* out[l] = in[l]^d mod n_l (bits/8 big-endian bytes each) for every lane. Returns the mask of lanes that failed
   (input >= n, or the signature did not verify): their out is zeroed; the other lanes' signatures are released. */
unsigned ifma_mb_rsa_private(ifma_mb_rsa *ctx, uint8_t *const out[], const uint8_t *const in[]);
#if defined(SIGNET_IFMA_TESTING)
extern int ifma_mb_rsa_test_fault_lane; /* lane + 1 to corrupt in the next batches (test hook), 0 for none */
#endif

#endif /* SIGNET_IFMA_MB_H */
