/* SPDX-License-Identifier: Apache-2.0 */
/* Field multiplication specialised to the shape of p: P-256 (Montgomery, p ≡ −1 mod 2^64 and sparse, so each
 * reduction round takes two multiplications) and P-521 (p = 2^521 − 1, plain representation, reduced by folding).
 * P-384 uses the generic CIOS product in ec_common.h. */
#ifndef SIGNET_EC_FIELDS_H
#define SIGNET_EC_FIELDS_H

#include "ec_common.h"
#include "ec_constants.h"

/* r = t·2^−256 mod p: four rounds of q = t[i], t += q·p (q·p's low limb cancels t[i] with carry q). */
EC_INLINE void p256_reduce(uint64_t *r, uint64_t t[9])
{
    EC_UNROLL
    for (int i = 0; i < 4; i++) {
        const uint64_t q = t[i];
        u128 z = (u128)q * 0xffffffffULL + t[i + 1] + q;
        t[i + 1] = (uint64_t)z;
        z = (u128)t[i + 2] + (uint64_t)(z >> 64);
        t[i + 2] = (uint64_t)z;
        z = (u128)q * 0xffffffff00000001ULL + t[i + 3] + (uint64_t)(z >> 64);
        t[i + 3] = (uint64_t)z;
        unsigned long long carry = (uint64_t)(z >> 64), c2 = 0;
        EC_UNROLL
        for (int k = i + 4; k < 9; k++) {
            t[k] = ec_addc(t[k], carry, 0, &c2);
            carry = c2;
        }
    }
    uint64_t u[4];
    uint64_t borrow = ec_sub(u, t + 4, p256_P, 4);
    ec_select(r, (uint64_t)0 - (t[8] | (borrow ^ 1)), u, t + 4, 4);
}

EC_INLINE void p256_field_mul(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t t[9];
    ec_mul_wide(t, a, b, 4);
    t[8] = 0;
    p256_reduce(r, t);
}

EC_INLINE void p256_field_sqr(uint64_t *r, const uint64_t *a)
{
    uint64_t t[9];
    ec_sqr_wide(t, a, 4);
    t[8] = 0;
    p256_reduce(r, t);
}

/* r = z mod 2^521 − 1 for an 18-limb z < 2^1042: z mod 2^521 + z >> 521, folded once more, canonical. */
EC_INLINE void p521_fold(uint64_t *r, const uint64_t z[18])
{
    uint64_t lo[9], hi[9];
    EC_UNROLL
    for (int k = 0; k < 8; k++)
        lo[k] = z[k];
    lo[8] = z[8] & 0x1ff;
    EC_UNROLL
    for (int k = 0; k < 9; k++)
        hi[k] = (z[8 + k] >> 9) | (k + 9 < 18 ? z[9 + k] << 55 : 0);
    ec_add(r, lo, hi, 9);
    uint64_t c = r[8] >> 9;
    r[8] &= 0x1ff;
    unsigned long long carry = c;
    EC_UNROLL
    for (int k = 0; k < 9; k++)
        r[k] = ec_addc(r[k], 0, carry, &carry);
    /* r ≤ 2^521 − 1 now; p itself is 0 */
    if (ec_equal(r, p521_P, 9)) {
        EC_UNROLL
        for (int k = 0; k < 9; k++)
            r[k] = 0;
    }
}

EC_INLINE void p521_field_mul(uint64_t *r, const uint64_t *a, const uint64_t *b)
{
    uint64_t z[18];
    ec_mul_wide(z, a, b, 9);
    p521_fold(r, z);
}

EC_INLINE void p521_field_sqr(uint64_t *r, const uint64_t *a)
{
    uint64_t z[18];
    ec_sqr_wide(z, a, 9);
    p521_fold(r, z);
}

/* The field's "one" conversion constant for P-521's plain representation: x·1 = x. */
static const uint64_t p521_RR_PLAIN[9] = {1};

#endif
