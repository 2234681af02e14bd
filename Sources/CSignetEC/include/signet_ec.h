/* SPDX-License-Identifier: Apache-2.0 */
/*
 * signet_ec.h - ECDSA (P-256, P-384, P-521) and Ed25519 signature verification, own code, no allocation.
 *
 * Verification only: every input is public (key, message digest, signature), so the arithmetic is variable-time
 * (windowed NAF, early exits). Keys are decoded and checked once (on the curve, canonical encoding) into a
 * caller-owned struct that also holds a table of odd multiples of the public point; the struct is immutable
 * afterwards and may be shared by any number of threads. No function allocates or keeps global mutable state
 * beyond the per-curve tables of the base point, built once under pthread_once.
 *
 * Semantics (the tests hold them to OpenSSL's verdicts and to Wycheproof):
 *  - ECDSA (SEC 1 v2 §4.1.4): r and s in [1, n-1]; e is the digest's leftmost bits(n) bits; the point
 *    u1·G + u2·Q must not be infinity and its x mod n must equal r. The signature is the JWS form r || s, each
 *    exactly the curve's coordinate width (32, 48, 66 bytes).
 *  - Ed25519 (RFC 8032 §5.1.7, cofactorless): A decodes canonically (y < p, no x = 0 with the sign bit);
 *    S < L; [S]B - [k]A must encode to exactly the 32 bytes of R. The caller hashes k = SHA-512(R || A || M).
 */
#ifndef SIGNET_EC_H
#define SIGNET_EC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Curves (the `curve` argument of signet_ec_key_init). */
#define SIGNET_EC_P256 1
#define SIGNET_EC_P384 2
#define SIGNET_EC_P521 3

/* Largest limb count (P-521: 9 × 64 bits) and the public key's table size (odd multiples 1P, 3P, …, 31P of P = Q and
 * of P = 2^h·Q, h half the order's bits). */
#define SIGNET_EC_MAX_LIMBS 9
#define SIGNET_EC_TABLE 32

/* A checked public key: the curve and odd multiples of Q and 2^h·Q in affine field form. Fill it with
 * signet_ec_key_init; treat it as opaque. */
typedef struct signet_ec_key {
    int32_t curve;
    int32_t limbs;
    uint64_t table[SIGNET_EC_TABLE][2][SIGNET_EC_MAX_LIMBS];
} signet_ec_key;

/* Decodes (x, y) (big-endian, each exactly the curve's width: 32, 48 or 66 bytes) into `key`.
 * Returns 1 when (x, y) is a point on the curve with coordinates below p, 0 otherwise (key is then unusable). */
int signet_ec_key_init(signet_ec_key *key, int curve, const uint8_t *x, const uint8_t *y, size_t width);

/* 1 when `signature` (r || s, 2 × width bytes) is a valid ECDSA signature over `digest` (any length; its leftmost
 * bits(n) bits are used) for `key`, else 0. */
int signet_ecdsa_verify(const signet_ec_key *key, const uint8_t *digest, size_t digest_len, const uint8_t *signature,
                        size_t signature_len);

/* A checked Ed25519 public key: its encoding and odd multiples of -A (1, 3, …, 15) in cached form. */
typedef struct signet_ed25519_key {
    uint8_t encoded[32];
    uint64_t table[8][4][5];
} signet_ed25519_key;

/* Decodes the 32-byte public key A (RFC 8032 §5.1.3, canonical only). Returns 1 on success, 0 otherwise. */
int signet_ed25519_key_init(signet_ed25519_key *key, const uint8_t public_key[32]);

/* 1 when `signature` (R || S, 64 bytes) verifies for `key`, where `hram` is SHA-512(R || A || M) (64 bytes). */
int signet_ed25519_verify(const signet_ed25519_key *key, const uint8_t signature[64], const uint8_t hram[64]);

#ifdef __cplusplus
}
#endif

#endif
