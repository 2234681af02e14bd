/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_bn.c - small portable multiprecision helpers on 64-bit words, constant-time in the values.
 *
 * Used outside the hot exponentiation: key loading (consistency checks, Montgomery constants), blinding, Garner
 * recombination, unblinding and the verify-after-sign (a few multiplications per signature). Every loop runs a
 * count fixed by the (public) lengths; every data-dependent choice is a mask (ct_* helpers, sbn_select); the only
 * multiplications are 64x64->128-bit (constant time on x86-64 and AArch64); memory addresses depend only on
 * indices and lengths. Nothing here branches on or indexes by a value.
 * Also the engine's memory helpers (wipe, aligned zeroed allocation, wipe-then-free, stack scrub): the lowest layer,
 * which every other file of the engine may call.
 */
#include <stdlib.h>
#include <string.h>

#include "ifma_internal.h"

/* memset through a volatile function pointer: the compiler cannot prove the store dead and drop it. */
static void *(*const volatile ifma_memset)(void *, int, size_t) = memset;

void ifma_wipe(void *p, size_t n)
{
    if (p != NULL && n != 0)
        ifma_memset(p, 0, n);
}

void *ifma_alloc64(size_t size)
{
    size_t rounded = (size + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, rounded);
    if (p != NULL)
        memset(p, 0, rounded);
    return p;
}

void ifma_free_wiped(void *p, size_t size)
{
    if (p != NULL) {
        ifma_wipe(p, size);
        free(p);
    }
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

/* ---- the row: the inner loop of every multiplication here ---------------------------------------------------- */

/* t[0..n-1] += a[0..n-1] * b; returns the carry word (the sum always fits n + 1 words). Portable C. */
static uint64_t row_c(uint64_t *t, const uint64_t *a, uint64_t b, size_t n)
{
    uint64_t c = 0;
    for (size_t j = 0; j < n; j++) {
        ifma_u128 s = (ifma_u128)a[j] * b + t[j] + c;
        t[j] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
    }
    return c;
}

#if defined(__x86_64__) && !defined(__ILP32__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
/*
 * The same row with MULX/ADCX/ADOX (BMI2 + ADX): two independent carry chains, CF adding t[j] and OF adding the
 * previous high word, so each word costs one multiplication and two 1-cycle additions instead of the C version's
 * serial add/adc pairs through one carry. Four words per iteration after n mod 4 single steps. Loop control uses
 * only LEA/JRCXZ/JMP, which leave CF and OF alone. No data-dependent branch or address: constant time.
 */
static uint64_t row_adx(uint64_t *t, const uint64_t *a, uint64_t b, size_t n)
{
    uint64_t hi, h2, lo;
    const uint64_t single = 0 - (uint64_t)(n & 3), blocks = 0 - (uint64_t)(n >> 2);
    __asm__ volatile("xorl %k[hi], %k[hi]\n\t" /* hi = 0, CF = OF = 0 */
                     "movq %[single], %%rcx\n\t"
                     "jrcxz 2f\n"
                     "1:\n\t"
                     "mulxq (%[a]), %[lo], %[h2]\n\t"
                     "adcxq (%[t]), %[lo]\n\t"
                     "adoxq %[hi], %[lo]\n\t"
                     "movq %[lo], (%[t])\n\t"
                     "movq %[h2], %[hi]\n\t"
                     "leaq 8(%[a]), %[a]\n\t"
                     "leaq 8(%[t]), %[t]\n\t"
                     "leaq 1(%%rcx), %%rcx\n\t"
                     "jrcxz 2f\n\t"
                     "jmp 1b\n"
                     "2:\n\t"
                     "movq %[blocks], %%rcx\n\t"
                     "jrcxz 4f\n"
                     "3:\n\t"
                     "mulxq 0(%[a]), %[lo], %[h2]\n\t"
                     "adcxq 0(%[t]), %[lo]\n\t"
                     "adoxq %[hi], %[lo]\n\t"
                     "movq %[lo], 0(%[t])\n\t"
                     "mulxq 8(%[a]), %[lo], %[hi]\n\t"
                     "adcxq 8(%[t]), %[lo]\n\t"
                     "adoxq %[h2], %[lo]\n\t"
                     "movq %[lo], 8(%[t])\n\t"
                     "mulxq 16(%[a]), %[lo], %[h2]\n\t"
                     "adcxq 16(%[t]), %[lo]\n\t"
                     "adoxq %[hi], %[lo]\n\t"
                     "movq %[lo], 16(%[t])\n\t"
                     "mulxq 24(%[a]), %[lo], %[hi]\n\t"
                     "adcxq 24(%[t]), %[lo]\n\t"
                     "adoxq %[h2], %[lo]\n\t"
                     "movq %[lo], 24(%[t])\n\t"
                     "leaq 32(%[a]), %[a]\n\t"
                     "leaq 32(%[t]), %[t]\n\t"
                     "leaq 1(%%rcx), %%rcx\n\t"
                     "jrcxz 4f\n\t"
                     "jmp 3b\n"
                     "4:\n\t"
                     "movl $0, %k[lo]\n\t" /* MOV leaves the flags: fold both pending carries into the top word */
                     "adcxq %[lo], %[hi]\n\t"
                     "adoxq %[lo], %[hi]\n\t"
                     : [hi] "=&r"(hi), [h2] "=&r"(h2), [lo] "=&r"(lo), [a] "+r"(a), [t] "+r"(t)
                     : [single] "r"(single), [blocks] "r"(blocks), "d"(b)
                     : "rcx", "cc", "memory");
    (void)h2;
    return hi;
}

/* CPUID.(EAX=7,ECX=0):EBX bit 8 BMI2 (MULX), bit 19 ADX (ADCX/ADOX). */
static int cpu_has_bmi2_adx(void)
{
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    return (b & ((1u << 8) | (1u << 19))) == ((1u << 8) | (1u << 19));
}
#define IFMA_HAVE_ROW_ADX 1
#endif

/* Chosen once, before main() runs (so no thread can race the choice): 1 where the CPU has BMI2 + ADX. A flag and a
   direct branch rather than a writable function pointer (no code pointer in writable memory; row_c can inline). */
static int sbn_have_adx = 0;

#if defined(IFMA_HAVE_ROW_ADX)
__attribute__((constructor)) static void sbn_pick_row(void) { sbn_have_adx = cpu_has_bmi2_adx(); }
#endif

static inline uint64_t sbn_row(uint64_t *t, const uint64_t *a, uint64_t b, size_t n)
{
#if defined(IFMA_HAVE_ROW_ADX)
    if (sbn_have_adx) /* public: a property of the CPU */
        return row_adx(t, a, b, n);
#endif
    return row_c(t, a, b, n);
}

int sbn_row_kind(void) { return sbn_have_adx; }

#if defined(SIGNET_IFMA_TESTING)
int signet_ifma_test_row(int kind)
{
    if (kind == 0) {
        sbn_have_adx = 0;
        return 1;
    }
#if defined(IFMA_HAVE_ROW_ADX)
    if (kind == 2 || cpu_has_bmi2_adx()) { /* 2: without asking CPUID (Valgrind hides ADX but executes it) */
        sbn_have_adx = 1;
        return 1;
    }
#endif
    return 0;
}
#endif

void sbn_mul(uint64_t *r, const uint64_t *a, size_t an, const uint64_t *b, size_t bn)
{
    for (size_t i = 0; i < an + bn; i++)
        r[i] = 0;
    for (size_t j = 0; j < bn; j++)
        r[an + j] = sbn_row(r + j, a, b[j], an);
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
static void sbn_reduce_once(uint64_t *r, const uint64_t *t, uint64_t top, const uint64_t *m, size_t n, uint64_t *tmp)
{
    uint64_t borrow = sbn_sub(tmp, t, m, n);
    /* take the difference when it did not borrow, or when the top word absorbs the borrow */
    uint64_t take = ct_is_zero_mask(borrow & ~top & 1);
    sbn_select(r, take, tmp, t, n);
}

/*
 * Montgomery reduction of the 2n-word t (t < m 2^(64 n)): r = t 2^(-64 n) mod m, fully reduced. Separated operand
 * scanning: n rows t += u_i m 2^(64 i), u_i = t_i minv, each carry word added one word above the row; the result,
 * t[n..2n-1] plus the final carry bit, is below 2m and gets one masked subtraction (t[0..n-1], now zero, serves as
 * its temporary). r must not overlap t.
 */
static void mont_reduce(uint64_t *r, uint64_t *t, const uint64_t *m, uint64_t minv, size_t n)
{
    uint64_t carry = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t c = sbn_row(t + i, m, t[i] * minv, n);
        ifma_u128 s = (ifma_u128)t[i + n] + c + carry;
        t[i + n] = (uint64_t)s;
        carry = (uint64_t)(s >> 64);
    }
    sbn_reduce_once(r, t + n, carry, m, n, t);
}

void sbn_mont_mul(uint64_t *r, const uint64_t *a, const uint64_t *b, const uint64_t *m, uint64_t minv, size_t n,
                  uint64_t *t)
{
    /* t = a b (schoolbook rows: row i's carry word lands on t[i + n], still zero), then reduce */
    for (size_t i = 0; i < 2 * n; i++)
        t[i] = 0;
    for (size_t i = 0; i < n; i++)
        t[i + n] = sbn_row(t + i, a, b[i], n);
    mont_reduce(r, t, m, minv, n);
}

void sbn_mont_sqr(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t minv, size_t n, uint64_t *t)
{
    /* t = a^2: the products a_i a_j, i < j, once (row i covers j > i and carries into t[i + n]), doubled, plus the
       squares a_i^2 on the diagonal: n(n - 1)/2 + n multiplications instead of n^2. */
    for (size_t i = 0; i < 2 * n; i++)
        t[i] = 0;
    for (size_t i = 0; i + 1 < n; i++)
        t[i + n] = sbn_row(t + 2 * i + 1, a + i + 1, a[i], n - 1 - i);
    uint64_t shifted_out = 0, c = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t lo = t[2 * i], hi = t[2 * i + 1];
        ifma_u128 sq = (ifma_u128)a[i] * a[i];
        ifma_u128 s = (ifma_u128)((lo << 1) | shifted_out) + (uint64_t)sq + c;
        t[2 * i] = (uint64_t)s;
        s = (ifma_u128)((hi << 1) | (lo >> 63)) + (uint64_t)(sq >> 64) + (uint64_t)(s >> 64);
        t[2 * i + 1] = (uint64_t)s;
        c = (uint64_t)(s >> 64);
        shifted_out = hi >> 63;
    }
    mont_reduce(r, t, m, minv, n);
}

void sbn_mont_redc(uint64_t *r, const uint64_t *a, const uint64_t *m, uint64_t minv, size_t n, uint64_t *t)
{
    /* a 2^(-64 n) mod m (leaves the Montgomery domain): the reduction alone, half the work of a multiplication by 1 */
    for (size_t i = 0; i < n; i++) {
        t[i] = a[i];
        t[i + n] = 0;
    }
    mont_reduce(r, t, m, minv, n);
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

void sbn_mod_pow2_mont(uint64_t *r, size_t k, const uint64_t *m, uint64_t minv, size_t n, uint64_t *t)
{
    /* x = 2^(64n + j) mod m stands for 2^j in Montgomery form: a Montgomery squaring doubles j, a modular doubling
       adds 1. Start at j = 0: 2^(64n) mod m = 2^(64n) - m (m has its top bit set, so 2^(64n) - m < m), which is
       the two's complement of m. Then the bits of j* = k - 64n from the top (public: fixed by k and n). */
    uint64_t borrow = 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t v = ~m[i] + borrow;
        /* the carry as a mask, not `v == 0`: clang -O2 turned that comparison into a flag-dependent cmov (found by
           ctgrind on the multi-buffer layer), and m may be secret for a caller other than the public-key engine */
        borrow &= ct_is_zero_mask(v) & 1;
        r[i] = v;
    }
    const size_t j = k - 64 * n;
    int top = 63;
    while (top >= 0 && ((j >> top) & 1) == 0)
        top--;
    for (int bit = top; bit >= 0; bit--) {
        sbn_mont_sqr(r, r, m, minv, n, t);
        if ((j >> bit) & 1)
            sbn_mod_double(r, m, n, t);
    }
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

void sbn_sub_if_ge(uint64_t *a, const uint64_t *m, size_t n, uint64_t *t) { sbn_reduce_once(a, a, 0, m, n, t); }

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
