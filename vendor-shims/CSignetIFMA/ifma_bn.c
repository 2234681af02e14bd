/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_bn.c - small portable multiprecision helpers on 64-bit words, constant-time in the values.
 *
 * Used outside the hot exponentiation: key loading (consistency checks, Montgomery constants), blinding, Garner
 * recombination, unblinding and the verify-after-sign (a few multiplications per signature). Every loop runs a
 * count fixed by the (public) lengths; every data-dependent choice is a mask (ct_* helpers, sbn_select); the only
 * multiplications are 64x64->128-bit (constant time on x86-64 and AArch64); memory addresses depend only on
 * indices and lengths. Nothing here branches on or indexes by a value.
 */
#include <string.h>

#include "ifma_internal.h"

/* memset through a volatile function pointer: the compiler cannot prove the store dead and drop it. */
static void *(*const volatile ifma_memset)(void *, int, size_t) = memset;

void ifma_wipe(void *p, size_t n)
{
    if (p != NULL && n != 0)
        ifma_memset(p, 0, n);
}

/*
 * Best-effort wipe of the stack region the kernel's frames and register spills used: called from the public entry
 * points after the secret computation returned, its frame starts where theirs did and reaches 8 KiB deeper (the
 * kernel needs about 3 KiB). Vector registers are not cleared (as in OpenSSL).
 */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
void ifma_scrub_stack(void)
{
    uint8_t buf[8192];
    ifma_wipe(buf, sizeof buf);
#if defined(__GNUC__) || defined(__clang__)
    __asm__ volatile("" : : "r"(buf) : "memory");
#endif
}

uint64_t sbn_add(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t c = 0;
    for (size_t i = 0; i < n; i++) {
        ifma_u128 s = (ifma_u128)a[i] + b[i] + c;
        r[i] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    return c;
}

uint64_t sbn_sub(uint64_t *r, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        ifma_u128 d = (ifma_u128)a[i] - b[i] - borrow;
        r[i] = (uint64_t)d;
        borrow = (uint64_t)(d >> 127); /* 1 iff the 128-bit difference wrapped */
    }
    return borrow;
}

void sbn_select(uint64_t *r, uint64_t mask, const uint64_t *a, const uint64_t *b, size_t n)
{
    mask = ifma_barrier(mask);
    for (size_t i = 0; i < n; i++)
        r[i] = (a[i] & mask) | (b[i] & ~mask);
}

uint64_t sbn_eq_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t d = 0;
    for (size_t i = 0; i < n; i++)
        d |= a[i] ^ b[i];
    return ct_is_zero_mask(d);
}

uint64_t sbn_lt_mask(const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t borrow = 0;
    for (size_t i = 0; i < n; i++) {
        ifma_u128 d = (ifma_u128)a[i] - b[i] - borrow;
        borrow = (uint64_t)(d >> 127);
    }
    return 0 - borrow;
}

uint64_t sbn_is_word_mask(const uint64_t *a, size_t n, uint64_t w)
{
    uint64_t d = a[0] ^ w;
    for (size_t i = 1; i < n; i++)
        d |= a[i];
    return ct_is_zero_mask(d);
}

void sbn_mul(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
    for (size_t i = 0; i < an + bn; i++)
        r[i] = 0;
    for (size_t j = 0; j < bn; j++) {
        uint64_t c = 0;
        for (size_t i = 0; i < an; i++) {
            ifma_u128 t = (ifma_u128)a[i] * b[j] + r[i + j] + c;
            r[i + j] = (uint64_t)t;
            c = (uint64_t)(t >> 64);
        }
        r[an + j] = c;
    }
}

uint64_t sbn_neg_inv64(uint64_t m0)
{
    /* Newton: x = m0 is an inverse mod 2^3 for odd m0; each step doubles the correct bits (3, 6, ..., 96). */
    uint64_t x = m0;
    for (int i = 0; i < 5; i++)
        x *= 2 - m0 * x;
    return 0 - x;
}

/* t (n + 1 words, top word 0 or 1) minus m if t >= m, into r; t < 2m. */
static void sbn_reduce_once(uint64_t *r, const uint64_t *t, uint64_t top, const uint64_t *m, size_t n,
                            uint64_t *tmp)
{
    uint64_t borrow = sbn_sub(tmp, t, m, n);
    /* take the difference when it did not borrow, or when the top word absorbs the borrow */
    uint64_t take = ct_is_zero_mask(borrow & ~top & 1) ;
    sbn_select(r, take, tmp, t, n);
}

void sbn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, uint64_t minv, size_t n,
                  uint64_t *t)
{
    /* CIOS Montgomery multiplication: t = (a b + u m) / 2^(64 n) < 2m for a, b < m; one masked subtraction. */
    for (size_t i = 0; i < n + 2; i++)
        t[i] = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t c = 0;
        for (size_t j = 0; j < n; j++) {
            ifma_u128 s = (ifma_u128)a[j] * b[i] + t[j] + c;
            t[j] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        ifma_u128 s = (ifma_u128)t[n] + c;
        t[n] = (uint64_t)s;
        t[n + 1] = (uint64_t)(s >> 64);
        uint64_t u = t[0] * minv;
        s = (ifma_u128)u * m[0] + t[0];
        c = (uint64_t)(s >> 64);
        for (size_t j = 1; j < n; j++) {
            s = (ifma_u128)u * m[j] + t[j] + c;
            t[j - 1] = (uint64_t)s;
            c = (uint64_t)(s >> 64);
        }
        s = (ifma_u128)t[n] + c;
        t[n - 1] = (uint64_t)s;
        t[n] = t[n + 1] + (uint64_t)(s >> 64);
    }
    /* r may alias a or b: they are no longer read. The subtraction result goes to r, then the masked choice. */
    uint64_t borrow = sbn_sub(r, t, m, n);
    uint64_t take = ct_is_zero_mask(borrow & ~t[n] & 1);
    sbn_select(r, take, r, t, n);
}

void sbn_mod_double(uint64_t *r, const uint64_t *m, size_t n, uint64_t *t)
{
    /* r < m: 2r < 2m, so one masked subtraction reduces it */
    uint64_t top = r[n - 1] >> 63;
    for (size_t i = n - 1; i > 0; i--)
        r[i] = (r[i] << 1) | (r[i - 1] >> 63);
    r[0] <<= 1;
    sbn_reduce_once(r, r, top, m, n, t);
}

void sbn_mod_pow2(uint64_t *r, size_t k, const uint64_t *m, size_t n, uint64_t *t)
{
    /* 2^k mod m by k modular doublings from 1 (m > 1, odd or not) */
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    r[0] = 1;
    for (size_t i = 0; i < k; i++)
        sbn_mod_double(r, m, n, t);
}

void sbn_mod(uint64_t *r, const uint64_t *x, size_t xn, const uint64_t *m, size_t n, uint64_t *t)
{
    /* bit-serial long division, most significant bit first: r = 2r + bit, reduced once (r < m throughout) */
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    for (size_t w = xn; w-- > 0;) {
        for (int b = 63; b >= 0; b--) {
            uint64_t top = r[n - 1] >> 63;
            for (size_t i = n - 1; i > 0; i--)
                r[i] = (r[i] << 1) | (r[i - 1] >> 63);
            r[0] = (r[0] << 1) | ((x[w] >> b) & 1);
            sbn_reduce_once(r, r, top, m, n, t);
        }
    }
}

void sbn_sub_if_ge(uint64_t *a, const uint64_t *m, size_t n, uint64_t *t)
{
    sbn_reduce_once(a, a, 0, m, n, t);
}

uint64_t sbn_from_bytes(uint64_t *r, size_t n, const uint8_t *in, size_t len)
{
    /* big-endian bytes into n little-endian words; bytes beyond the capacity must be zero (masked check) */
    uint64_t overflow = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = 0;
    for (size_t i = 0; i < len; i++) {
        size_t pos = len - 1 - i; /* byte significance */
        if (pos < 8 * n)          /* public: depends on lengths only */
            r[pos / 8] |= (uint64_t)in[i] << (8 * (pos % 8));
        else
            overflow |= in[i];
    }
    return ct_is_zero_mask(overflow);
}

void sbn_to_bytes(uint8_t *out, size_t len, const uint64_t *a, size_t n)
{
    for (size_t i = 0; i < len; i++) {
        size_t pos = len - 1 - i;
        out[i] = pos < 8 * n ? (uint8_t)(a[pos / 8] >> (8 * (pos % 8))) : 0;
    }
}

void sbn_to52(uint64_t *l, size_t nl, const uint64_t *a, size_t n)
{
    /* limb k holds bits 52k .. 52k+51; positions are public */
    for (size_t k = 0; k < nl; k++) {
        size_t bit = 52 * k, w = bit / 64, s = bit % 64;
        uint64_t v = 0;
        if (w < n)
            v = a[w] >> s;
        if (s > 12 && w + 1 < n)
            v |= a[w + 1] << (64 - s);
        l[k] = v & IFMA_M52;
    }
}

void sbn_from52(uint64_t *a, size_t n, const uint64_t *l, size_t nl)
{
    for (size_t i = 0; i < n; i++)
        a[i] = 0;
    for (size_t k = 0; k < nl; k++) {
        size_t bit = 52 * k, w = bit / 64, s = bit % 64;
        if (w < n)
            a[w] |= l[k] << s;
        if (s > 12 && w + 1 < n)
            a[w + 1] |= l[k] >> (64 - s);
    }
}
