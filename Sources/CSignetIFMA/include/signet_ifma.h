/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet_ifma.h - RSA CRT private-key engine on AVX-512 IFMA (radix 2^52 Montgomery arithmetic).
 *
 * Scope: RSA moduli of exactly 2048, 3072 or 4096 bits whose primes p and q each have exactly half as many bits,
 * public exponent odd, 3 <= e < 2^64. Everything else is refused at key load (the caller then signs with OpenSSL).
 * The public-key operation (signet_rsa_public_engine_*, at the end) takes any odd n of 2048, 3072 or 4096 bits.
 *
 * Thread safety: a signet_rsa_engine_key is immutable after signet_rsa_engine_key_new and may be shared by any
 * number of threads. A signet_rsa_blinding is mutable per-operation state (blinding pair, counters and the whole
 * arithmetic workspace): use one per thread (or guard it with a lock). Neither function allocates per signature.
 *
 * All byte strings are big-endian. All functions are constant-time in the secret key, the blinding values and the
 * private-operation result; they may branch on public values only (sizes, e, the input, success/failure).
 */
#ifndef SIGNET_IFMA_H
#define SIGNET_IFMA_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bits returned by signet_ifma_support(). */
#define SIGNET_IFMA_SUPPORT_256 1 /* AVX512F + AVX512VL + AVX512IFMA with OS-enabled opmask/ZMM state */
#define SIGNET_IFMA_SUPPORT_512                                                                                        \
    2 /* same requirements; 512-bit width usable. Which width is faster is for the
                                     caller to measure (Zen 4 splits zmm operations; Zen 5 / SPR do not). */

/* Backends (the `backend` argument of signet_rsa_engine_key_new). */
#define SIGNET_IFMA_BACKEND_EMULATED 0    /* portable C lanes, 4 per vector (mirrors backend 1); any CPU; slow */
#define SIGNET_IFMA_BACKEND_NATIVE256 1   /* ymm + vpmadd52luq/vpmadd52huq; needs SIGNET_IFMA_SUPPORT_256 */
#define SIGNET_IFMA_BACKEND_NATIVE512 2   /* zmm; needs SIGNET_IFMA_SUPPORT_512 */
#define SIGNET_IFMA_BACKEND_EMULATED512 3 /* portable C lanes, 8 per vector (mirrors backend 2); tests only */

/* Result / reason codes. 0 is success; every other value is a failure and no signature was produced. */
#define SIGNET_IFMA_OK 0
#define SIGNET_IFMA_ERR_ARGUMENT 1          /* NULL pointer or wrong length */
#define SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE 2 /* modulus not 2048/3072/4096 bits, p/q not half size, e even/<3/>=2^64 */
#define SIGNET_IFMA_ERR_BACKEND 3           /* backend unknown, or not supported by this CPU/OS/build */
#define SIGNET_IFMA_ERR_KEY_INCONSISTENT 4  /* n != p*q, e*dp != 1 mod p-1, q*qinv != 1 mod p, round trip, ... */
#define SIGNET_IFMA_ERR_NO_MEMORY 5
#define SIGNET_IFMA_ERR_INPUT_RANGE 6 /* private-operation input >= n */
#define SIGNET_IFMA_ERR_RANDOM 7      /* blinding regeneration failed (r not invertible: bad randomness) */
#define SIGNET_IFMA_ERR_FAULT 8       /* verify-after-sign mismatch: output zeroed, nothing released */
#define SIGNET_IFMA_ERR_WRONG_KEY 9   /* blinding was created for another key */

/* Which IFMA widths this CPU and OS support (OR of SIGNET_IFMA_SUPPORT_*); 0 off x86-64 or without IFMA. */
int signet_ifma_support(void);

typedef struct signet_rsa_engine_key signet_rsa_engine_key; /* opaque, immutable, thread-safe to share */
typedef struct signet_rsa_blinding signet_rsa_blinding;     /* opaque, per thread / per context */

/*
 * The components of an RSA private key in CRT form (PKCS#1, RFC 8017 A.1.2), for signet_rsa_engine_key_new. Each is a
 * big-endian unsigned integer of `*_len` bytes; leading zero bytes are allowed. Every pointer must be non-NULL. The
 * bytes are read during the call only, never retained; they are the caller's to wipe. In brackets, the OpenSSL 3
 * parameter that holds the component (OSSL_PKEY_PARAM_RSA_...).
 */
typedef struct {
    const uint8_t *n;    /* the modulus n = p*q, 2048, 3072 or 4096 bits [N]; public */
    size_t n_len;        /* bytes at n */
    const uint8_t *e;    /* the public exponent, odd, 3 <= e < 2^64 [E]; public */
    size_t e_len;        /* bytes at e */
    const uint8_t *p;    /* the first prime factor, exactly half of n's bits [FACTOR1]; secret */
    size_t p_len;        /* bytes at p */
    const uint8_t *q;    /* the second prime factor, exactly half of n's bits [FACTOR2]; secret */
    size_t q_len;        /* bytes at q */
    const uint8_t *dp;   /* the CRT exponent d mod (p-1), < p [EXPONENT1]; secret */
    size_t dp_len;       /* bytes at dp */
    const uint8_t *dq;   /* the CRT exponent d mod (q-1), < q [EXPONENT2]; secret */
    size_t dq_len;       /* bytes at dq */
    const uint8_t *qinv; /* the CRT coefficient q^-1 mod p, < p [COEFFICIENT1]; secret */
    size_t qinv_len;     /* bytes at qinv */
} signet_rsa_key_params;

/*
 * Loads a CRT private key from `params` for `backend` (SIGNET_IFMA_BACKEND_*). Checks, once: n has 2048, 3072 or
 * 4096 bits, p and q each have exactly half of n's bits and are odd, n == p*q, dp < p, dq < q, qinv < p,
 * e*dp == 1 (mod p-1), e*dq == 1 (mod q-1), q*qinv == 1 (mod p), e odd with 3 <= e < 2^64, and a private/public
 * round trip through the chosen backend. Returns NULL and sets *err (if err != NULL) on any failure:
 * SIGNET_IFMA_ERR_ARGUMENT (params or one of its pointers NULL), _BACKEND, _UNSUPPORTED_SHAPE, _KEY_INCONSISTENT or
 * _NO_MEMORY. Neither `params` nor the bytes it points to are retained; the caller should wipe its own copies.
 */
signet_rsa_engine_key *signet_rsa_engine_key_new(const signet_rsa_key_params *params, int backend, int *err);

/* Zeroises every secret word, then frees. NULL is ignored. */
void signet_rsa_engine_key_free(signet_rsa_engine_key *key);

/* Modulus size in bytes (256, 384 or 512): the length of `in`, `out` and `fresh_random` below. */
size_t signet_rsa_engine_key_size(const signet_rsa_engine_key *key);

/* Backend the key was loaded for. */
int signet_rsa_engine_key_backend(const signet_rsa_engine_key *key);

/*
 * Creates the per-thread blinding state for `key`: draws r from `random` (exactly key_size bytes from a CSPRNG),
 * computes A = r^e mod n and Ai = r^-1 mod n (the inverse by Fermat on the CRT halves, in constant time).
 * Also holds the workspace of the private operation, so the private operation itself never allocates.
 * `key` must outlive the blinding.
 */
signet_rsa_blinding *signet_rsa_blinding_new(const signet_rsa_engine_key *key, const uint8_t *random, size_t random_len,
                                             int *err);

/* Zeroises the blinding pair and the workspace, then frees. NULL is ignored. */
void signet_rsa_blinding_free(signet_rsa_blinding *blinding);

/*
 * 1 if the next signet_rsa_engine_private call on `blinding` regenerates the blinding pair and so reads
 * `fresh_random` (once every 32 calls), else 0. Public state (a use counter); constant time is not at stake.
 */
int signet_rsa_blinding_needs_random(const signet_rsa_blinding *blinding);

/*
 * out = in^d mod n, with in and out key_size bytes, big-endian, in < n (out may equal in).
 * Blinds with (A, Ai), squaring both after every use and regenerating them from `fresh_random` (key_size bytes
 * from a CSPRNG, read only on the regeneration call, once every 32 calls). The caller may draw them for every call,
 * or only when signet_rsa_blinding_needs_random() says so and pass NULL with length 0 otherwise (a NULL on a
 * regeneration call is SIGNET_IFMA_ERR_ARGUMENT).
 * Exponentiates the two CRT halves together, recombines with Garner, unblinds, then verifies out^e mod n == in
 * before writing `out`. Returns SIGNET_IFMA_OK, or an error code with `out` zeroed.
 */
int signet_rsa_engine_private(const signet_rsa_engine_key *key, signet_rsa_blinding *blinding, const uint8_t *in,
                              uint8_t *out, const uint8_t *fresh_random, size_t fresh_random_len);

/*
 * The public-key operation out = in^e mod n on the same kernel (radix 2^52, left-to-right square-and-multiply on
 * the bits of e), for RSA verification where it beats the caller's alternative (the caller measures).
 * Scope: n of exactly 2048, 3072 or 4096 bits, odd; e odd, 3 <= e < 2^64. No secret is involved.
 *
 * Thread safety: immutable after signet_rsa_public_engine_new; any number of threads may call
 * signet_rsa_public_engine_op at once. The operation neither allocates nor keeps state (up to about 11 KiB of stack).
 */
typedef struct signet_rsa_public_engine signet_rsa_public_engine; /* opaque, immutable, thread-safe to share */

/*
 * Loads (n, e), big-endian, leading zero bytes allowed, for `backend` (SIGNET_IFMA_BACKEND_*). Checks the shape,
 * then runs one operation through the kernel and through portable C arithmetic and compares them. Returns NULL and
 * sets *err (if err != NULL): SIGNET_IFMA_ERR_ARGUMENT, _UNSUPPORTED_SHAPE, _BACKEND, _NO_MEMORY, or _FAULT (the
 * self-check disagreed).
 */
signet_rsa_public_engine *signet_rsa_public_engine_new(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                                                       int backend, int *err);

/* Frees (nothing secret to wipe, but it is wiped all the same). NULL is ignored. */
void signet_rsa_public_engine_free(signet_rsa_public_engine *key);

/* Modulus size in bytes (256, 384 or 512): the length of `in` and `out` below. */
size_t signet_rsa_public_engine_size(const signet_rsa_public_engine *key);

/*
 * out = in^e mod n, big-endian, in_len == out_len == key size (out may equal in). Returns SIGNET_IFMA_OK,
 * SIGNET_IFMA_ERR_ARGUMENT (NULL or wrong length) or SIGNET_IFMA_ERR_INPUT_RANGE (in >= n: out is not written).
 */
int signet_rsa_public_engine_op(const signet_rsa_public_engine *key, const uint8_t *in, size_t in_len, uint8_t *out,
                                size_t out_len);

#ifdef __cplusplus
}
#endif

#endif /* SIGNET_IFMA_H */
