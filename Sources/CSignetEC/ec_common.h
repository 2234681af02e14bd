/* SPDX-License-Identifier: Apache-2.0 */
/* Multi-limb helpers shared by the Weierstrass curves and Ed25519's scalars: 64-bit little-endian limbs, the limb
 * count passed as a constant so that each caller gets an unrolled copy. Verification only: variable-time. */
#ifndef SIGNET_EC_COMMON_H
#define SIGNET_EC_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "signet_ec.h"

__extension__ typedef unsigned __int128 u128; /* __extension__: no -pedantic warning */

#define EC_INLINE static inline __attribute__((always_inline))
/* Limb loops have constant trip counts once inlined: unrolled, the limbs live in registers. */
#if defined(__clang__)
#define EC_UNROLL _Pragma("clang loop unroll(full)")
#else
#define EC_UNROLL
#endif

EC_INLINE int ec_is_zero(const uint64_t *a, int nl)
{
    uint64_t t = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        t |= a[i];
    return t == 0;
}

EC_INLINE int ec_equal(const uint64_t *a, const uint64_t *b, int nl)
{
    uint64_t t = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        t |= a[i] ^ b[i];
    return t == 0;
}

/* a >= b */
EC_INLINE int ec_geq(const uint64_t *a, const uint64_t *b, int nl)
{
    EC_UNROLL
    for (int i = nl - 1; i >= 0; i--) {
        if (a[i] != b[i])
            return a[i] > b[i];
    }
    return 1;
}

/* a + b + carry_in with the carry out (adc), and a − b − borrow_in with the borrow out (sbb). */
#if defined(__clang__)
#define ec_addc(a, b, cin, cout) __builtin_addcll((a), (b), (cin), (cout))
#define ec_subb(a, b, bin, bout) __builtin_subcll((a), (b), (bin), (bout))
#else
EC_INLINE unsigned long long ec_addc(unsigned long long a, unsigned long long b, unsigned long long cin,
                                     unsigned long long *cout)
{
    u128 s = (u128)a + b + cin;
    *cout = (unsigned long long)(s >> 64);
    return (unsigned long long)s;
}
EC_INLINE unsigned long long ec_subb(unsigned long long a, unsigned long long b, unsigned long long bin,
                                     unsigned long long *bout)
{
    u128 d = (u128)a - b - bin;
    *bout = (unsigned long long)(d >> 64) & 1;
    return (unsigned long long)d;
}
#endif

/* r = a - b; returns the borrow. */
EC_INLINE uint64_t ec_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, int nl)
{
    unsigned long long borrow = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        r[i] = ec_subb(a[i], b[i], borrow, &borrow);
    return borrow;
}

/* r = a + b; returns the carry. */
EC_INLINE uint64_t ec_add(uint64_t *r, const uint64_t *a, const uint64_t *b, int nl)
{
    unsigned long long carry = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        r[i] = ec_addc(a[i], b[i], carry, &carry);
    return carry;
}

/* r = mask ? a : b, limb by limb (branch-free: these choices are data-dependent and would mispredict half the
 * time). */
EC_INLINE void ec_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b, int nl)
{
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

/* r = a + b mod m, for a, b < m. */
EC_INLINE void ec_mod_add(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, int nl)
{
    uint64_t t[SIGNET_EC_MAX_LIMBS], u[SIGNET_EC_MAX_LIMBS];
    uint64_t carry = ec_add(t, a, b, nl);
    uint64_t borrow = ec_sub(u, t, m, nl);
    /* t − m when the sum overflowed or did not borrow */
    ec_select(r, (uint64_t)0 - (carry | (borrow ^ 1)), u, t, nl);
}

/* r = a - b mod m, for a, b < m. */
EC_INLINE void ec_mod_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, int nl)
{
    uint64_t mask = (uint64_t)0 - ec_sub(r, a, b, nl);
    unsigned long long carry = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++)
        r[i] = ec_addc(r[i], m[i] & mask, carry, &carry);
}

/* Montgomery product r = a·b·2^(−64·nl) mod m (CIOS), fully reduced; m0 = −m⁻¹ mod 2^64. One of a, b must be below m
 * and the other below 2^(64·nl). r may alias a or b. */
EC_INLINE void ec_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, uint64_t m0, int nl)
{
    uint64_t t[SIGNET_EC_MAX_LIMBS + 2];
    EC_UNROLL
    for (int j = 0; j < nl + 2; j++)
        t[j] = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++) {
        u128 z;
        uint64_t c = 0;
        EC_UNROLL
        for (int j = 0; j < nl; j++) {
            z = (u128)a[j] * b[i] + t[j] + c;
            t[j] = (uint64_t)z;
            c = (uint64_t)(z >> 64);
        }
        z = (u128)t[nl] + c;
        t[nl] = (uint64_t)z;
        t[nl + 1] = (uint64_t)(z >> 64);
        uint64_t q = t[0] * m0;
        z = (u128)q * m[0] + t[0];
        c = (uint64_t)(z >> 64);
        EC_UNROLL
        for (int j = 1; j < nl; j++) {
            z = (u128)q * m[j] + t[j] + c;
            t[j - 1] = (uint64_t)z;
            c = (uint64_t)(z >> 64);
        }
        z = (u128)t[nl] + c;
        t[nl - 1] = (uint64_t)z;
        t[nl] = t[nl + 1] + (uint64_t)(z >> 64);
    }
    /* t < 2m: subtract m unless that borrows past t[nl] */
    uint64_t u[SIGNET_EC_MAX_LIMBS];
    uint64_t borrow = ec_sub(u, t, m, nl);
    ec_select(r, (uint64_t)0 - (t[nl] | (borrow ^ 1)), u, t, nl);
}

/* t (2·nl limbs) = a·b, schoolbook. */
EC_INLINE void ec_mul_wide(uint64_t *t, const uint64_t *a, const uint64_t *b, int nl)
{
    EC_UNROLL
    for (int i = 0; i < 2 * nl; i++)
        t[i] = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++) {
        u128 c = 0;
        EC_UNROLL
        for (int j = 0; j < nl; j++) {
            c += (u128)a[i] * b[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + nl] = (uint64_t)c;
    }
}

/* t (2·nl limbs) = a², each cross product once, doubled, plus the squares. */
EC_INLINE void ec_sqr_wide(uint64_t *t, const uint64_t *a, int nl)
{
    EC_UNROLL
    for (int i = 0; i < 2 * nl; i++)
        t[i] = 0;
    EC_UNROLL
    for (int i = 0; i < nl - 1; i++) {
        u128 c = 0;
        EC_UNROLL
        for (int j = i + 1; j < nl; j++) {
            c += (u128)a[i] * a[j] + t[i + j];
            t[i + j] = (uint64_t)c;
            c >>= 64;
        }
        t[i + nl] = (uint64_t)c;
    }
    EC_UNROLL
    for (int i = 2 * nl - 1; i > 0; i--)
        t[i] = (t[i] << 1) | (t[i - 1] >> 63);
    t[0] <<= 1;
    unsigned long long carry = 0;
    EC_UNROLL
    for (int i = 0; i < nl; i++) {
        u128 sq = (u128)a[i] * a[i];
        t[2 * i] = ec_addc(t[2 * i], (uint64_t)sq, carry, &carry);
        t[2 * i + 1] = ec_addc(t[2 * i + 1], (uint64_t)(sq >> 64), carry, &carry);
    }
}

/* Big-endian bytes into nl limbs; 0 when the value does not fit. */
EC_INLINE int ec_load_be(uint64_t *r, const uint8_t *bytes, size_t len, int nl)
{
    for (int i = 0; i < nl; i++)
        r[i] = 0;
    for (size_t i = 0; i < len; i++) {
        size_t bit = (len - 1 - i) * 8;
        if (bytes[i] == 0)
            continue;
        if (bit / 64 >= (size_t)nl)
            return 0;
        r[bit / 64] |= (uint64_t)bytes[i] << (bit % 64);
    }
    return 1;
}

/* Little-endian bytes (len <= 8·nl) into nl limbs. */
EC_INLINE void ec_load_le(uint64_t *r, const uint8_t *bytes, size_t len, int nl)
{
    for (int i = 0; i < nl; i++)
        r[i] = 0;
    for (size_t i = 0; i < len; i++)
        r[i / 8] |= (uint64_t)bytes[i] << (8 * (i % 8));
}

/* The most digits ec_wnaf writes for a scalar below 2^bits, whatever the width: one more than the bit length (a
 * negative digit adds to the remainder, which can carry into bit `bits`). Size naf buffers with it. */
#define EC_WNAF_LEN(bits) ((bits) + 1)

/* Width-w non-adjacent form of k (nl limbs): digits odd in (−2^(w−1), 2^(w−1)) or 0, least significant first, up to
 * the most significant non-zero one. Returns the number of digits written: for k < 2^bits (bits <= 64·nl) at most
 * EC_WNAF_LEN(bits), the size naf must have for the bound the caller knows. */
static inline int ec_wnaf(int8_t *naf, const uint64_t *k, int nl, int w)
{
    uint64_t t[SIGNET_EC_MAX_LIMBS + 1];
    for (int i = 0; i < nl; i++)
        t[i] = k[i];
    t[nl] = 0;
    const int64_t full = (int64_t)1 << w, half = (int64_t)1 << (w - 1);
    int len = 0;
    while (!ec_is_zero(t, nl + 1)) {
        int64_t d = 0;
        if (t[0] & 1) {
            d = (int64_t)(t[0] & (uint64_t)(full - 1));
            if (d >= half)
                d -= full;
            /* t -= d, so that the next w − 1 digits are 0 */
            if (d > 0) {
                uint64_t sub = (uint64_t)d;
                for (int i = 0; i <= nl && sub; i++) {
                    uint64_t before = t[i];
                    t[i] -= sub;
                    sub = t[i] > before;
                }
            } else {
                uint64_t add = (uint64_t)(-d);
                for (int i = 0; i <= nl && add; i++) {
                    t[i] += add;
                    add = t[i] < add;
                }
            }
        }
        naf[len++] = (int8_t)d;
        for (int i = 0; i < nl; i++)
            t[i] = (t[i] >> 1) | (t[i + 1] << 63);
        t[nl] >>= 1;
    }
    return len;
}

#endif
