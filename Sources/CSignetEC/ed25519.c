/* SPDX-License-Identifier: Apache-2.0 */
/* Ed25519 verification (RFC 8032 §5.1.7, cofactorless): GF(2^255 − 19) in five 51-bit limbs, edwards25519 in
 * extended coordinates with the complete addition law (a = −1), [S]B − [k]A by interleaved windowed NAF.
 * Verification only: public inputs, variable time. */
#include <pthread.h>

#include "ec_common.h"
#include "ec_constants.h"
#include "signet_ec.h"

#define MASK51 ((uint64_t)0x7ffffffffffff)

typedef uint64_t fe[5];

/* Extended coordinates (X : Y : Z : T), x = X/Z, y = Y/Z, x·y = T/Z. */
typedef struct {
    fe x, y, z, t;
} ge;

/* Cached form of a point for addition: (Y + X, Y − X, 2Z, 2d·T). */
typedef struct {
    fe ypx, ymx, z2, t2d;
} ge_cached;

/* signet_ed25519_key's table holds ge_cached entries (four field elements each), read and written as such. */
_Static_assert(sizeof(ge_cached) == sizeof(((signet_ed25519_key *)0)->table[0]), "key table entry is a ge_cached");

EC_INLINE void fe_copy(fe h, const fe f) { memcpy(h, f, sizeof(fe)); }

/* Limbs back below 2^51 (limb 0 slightly above at most); the value is unchanged mod p. */
EC_INLINE void fe_carry(fe h)
{
    uint64_t c;
    /* clang-format off */
    c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
    c = h[1] >> 51; h[1] &= MASK51; h[2] += c;
    c = h[2] >> 51; h[2] &= MASK51; h[3] += c;
    c = h[3] >> 51; h[3] &= MASK51; h[4] += c;
    c = h[4] >> 51; h[4] &= MASK51; h[0] += 19 * c;
    /* clang-format on */
}

EC_INLINE void fe_add(fe h, const fe f, const fe g)
{
    for (int i = 0; i < 5; i++)
        h[i] = f[i] + g[i];
    fe_carry(h);
}

/* f − g as f + 2p − g (g's limbs are below 2p's after a carry). */
EC_INLINE void fe_sub(fe h, const fe f, const fe g)
{
    h[0] = f[0] + 0xfffffffffffdaULL - g[0];
    for (int i = 1; i < 5; i++)
        h[i] = f[i] + 0xffffffffffffeULL - g[i];
    fe_carry(h);
}

EC_INLINE void fe_neg(fe h, const fe f)
{
    const fe zero = {0};
    fe_sub(h, zero, f);
}

static inline void fe_mul(fe h, const fe f, const fe g)
{
    const uint64_t g1_19 = 19 * g[1], g2_19 = 19 * g[2], g3_19 = 19 * g[3], g4_19 = 19 * g[4];
    u128 r0 = (u128)f[0] * g[0] + (u128)f[1] * g4_19 + (u128)f[2] * g3_19 + (u128)f[3] * g2_19 + (u128)f[4] * g1_19;
    u128 r1 = (u128)f[0] * g[1] + (u128)f[1] * g[0] + (u128)f[2] * g4_19 + (u128)f[3] * g3_19 + (u128)f[4] * g2_19;
    u128 r2 = (u128)f[0] * g[2] + (u128)f[1] * g[1] + (u128)f[2] * g[0] + (u128)f[3] * g4_19 + (u128)f[4] * g3_19;
    u128 r3 = (u128)f[0] * g[3] + (u128)f[1] * g[2] + (u128)f[2] * g[1] + (u128)f[3] * g[0] + (u128)f[4] * g4_19;
    u128 r4 = (u128)f[0] * g[4] + (u128)f[1] * g[3] + (u128)f[2] * g[2] + (u128)f[3] * g[1] + (u128)f[4] * g[0];
    r1 += (uint64_t)(r0 >> 51);
    r2 += (uint64_t)(r1 >> 51);
    r3 += (uint64_t)(r2 >> 51);
    r4 += (uint64_t)(r3 >> 51);
    uint64_t c = (uint64_t)(r4 >> 51);
    h[0] = ((uint64_t)r0 & MASK51) + 19 * c;
    h[1] = (uint64_t)r1 & MASK51;
    h[2] = (uint64_t)r2 & MASK51;
    h[3] = (uint64_t)r3 & MASK51;
    h[4] = (uint64_t)r4 & MASK51;
    c = h[0] >> 51;
    h[0] &= MASK51;
    h[1] += c;
}

static inline void fe_sq(fe h, const fe f) { fe_mul(h, f, f); }

static void fe_sqn(fe h, const fe f, int n)
{
    fe_sq(h, f);
    for (int i = 1; i < n; i++)
        fe_sq(h, h);
}

/* The canonical little-endian encoding (value reduced below p). */
static void fe_tobytes(uint8_t s[32], const fe f)
{
    fe h;
    fe_copy(h, f);
    fe_carry(h);
    fe_carry(h);
    /* h < 2^255 + small: q = 1 exactly when h ≥ p. */
    uint64_t q = (h[0] + 19) >> 51;
    q = (h[1] + q) >> 51;
    q = (h[2] + q) >> 51;
    q = (h[3] + q) >> 51;
    q = (h[4] + q) >> 51;
    h[0] += 19 * q;
    uint64_t c;
    /* clang-format off */
    c = h[0] >> 51; h[0] &= MASK51; h[1] += c;
    c = h[1] >> 51; h[1] &= MASK51; h[2] += c;
    c = h[2] >> 51; h[2] &= MASK51; h[3] += c;
    c = h[3] >> 51; h[3] &= MASK51; h[4] += c;
    /* clang-format on */
    h[4] &= MASK51;
    const uint64_t w[4] = {h[0] | h[1] << 51, h[1] >> 13 | h[2] << 38, h[2] >> 26 | h[3] << 25,
                           h[3] >> 39 | h[4] << 12};
    for (int i = 0; i < 32; i++)
        s[i] = (uint8_t)(w[i / 8] >> (8 * (i % 8)));
}

/* The low 255 bits of s (bit 255 ignored), not reduced. */
static void fe_frombytes(fe h, const uint8_t s[32])
{
    uint64_t w[4];
    ec_load_le(w, s, 32, 4);
    h[0] = w[0] & MASK51;
    h[1] = (w[0] >> 51 | w[1] << 13) & MASK51;
    h[2] = (w[1] >> 38 | w[2] << 26) & MASK51;
    h[3] = (w[2] >> 25 | w[3] << 39) & MASK51;
    h[4] = (w[3] >> 12) & MASK51;
}

static int fe_equal(const fe f, const fe g)
{
    uint8_t a[32], b[32];
    fe_tobytes(a, f);
    fe_tobytes(b, g);
    return memcmp(a, b, 32) == 0;
}

/* z^(2^250 − 1), and z^11 on the side: the shared head of the inversion and square-root chains. */
static void fe_pow_2_250_1(fe out, fe z11, const fe z)
{
    fe z2, z9, t, z5, z10, z20, z50, z100;
    fe_sq(z2, z);
    fe_sqn(t, z2, 2);
    fe_mul(z9, t, z);
    fe_mul(z11, z9, z2);
    fe_sq(t, z11);
    fe_mul(z5, t, z9); /* 2^5 − 1 */
    fe_sqn(t, z5, 5);
    fe_mul(z10, t, z5); /* 2^10 − 1 */
    fe_sqn(t, z10, 10);
    fe_mul(z20, t, z10); /* 2^20 − 1 */
    fe_sqn(t, z20, 20);
    fe_mul(t, t, z20); /* 2^40 − 1 */
    fe_sqn(t, t, 10);
    fe_mul(z50, t, z10); /* 2^50 − 1 */
    fe_sqn(t, z50, 50);
    fe_mul(z100, t, z50); /* 2^100 − 1 */
    fe_sqn(t, z100, 100);
    fe_mul(t, t, z100); /* 2^200 − 1 */
    fe_sqn(t, t, 50);
    fe_mul(out, t, z50); /* 2^250 − 1 */
}

/* z^(p − 2) = z^(2^255 − 21). */
static void fe_invert(fe out, const fe z)
{
    fe t, z11;
    fe_pow_2_250_1(t, z11, z);
    fe_sqn(t, t, 5);
    fe_mul(out, t, z11);
}

/* z^((p − 5)/8) = z^(2^252 − 3). */
static void fe_pow22523(fe out, const fe z)
{
    fe t, z11;
    fe_pow_2_250_1(t, z11, z);
    fe_sqn(t, t, 2);
    fe_mul(out, t, z);
}

/* r = 2p (dbl-2008-hwcd, a = −1). r may alias p. */
static void ge_dbl(ge *r, const ge *p)
{
    fe a, b, c, e, g, f, h;
    fe_sq(a, p->x);
    fe_sq(b, p->y);
    fe_sq(c, p->z);
    fe_add(c, c, c);
    fe_add(e, p->x, p->y);
    fe_sq(e, e);
    fe_sub(e, e, a);
    fe_sub(e, e, b); /* 2xy */
    fe_sub(g, b, a); /* −a·A + B with a = −1 */
    fe_sub(f, g, c);
    fe_add(h, a, b);
    fe_neg(h, h); /* −A − B */
    fe_mul(r->x, e, f);
    fe_mul(r->y, g, h);
    fe_mul(r->t, e, h);
    fe_mul(r->z, f, g);
}

/* r = p + q (add-2008-hwcd-3, complete for a = −1 and non-square d), or p − q when negate. r may alias p. */
static void ge_add(ge *r, const ge *p, const ge_cached *q, int negate)
{
    fe a, b, c, d, e, f, g, h, t;
    fe_sub(t, p->y, p->x);
    fe_mul(a, t, negate ? q->ypx : q->ymx);
    fe_add(t, p->y, p->x);
    fe_mul(b, t, negate ? q->ymx : q->ypx);
    fe_mul(c, p->t, q->t2d);
    fe_mul(d, p->z, q->z2);
    fe_sub(e, b, a);
    if (negate) {
        fe_add(f, d, c);
        fe_sub(g, d, c);
    } else {
        fe_sub(f, d, c);
        fe_add(g, d, c);
    }
    fe_add(h, b, a);
    fe_mul(r->x, e, f);
    fe_mul(r->y, g, h);
    fe_mul(r->t, e, h);
    fe_mul(r->z, f, g);
}

static void ge_to_cached(ge_cached *r, const ge *p)
{
    fe_add(r->ypx, p->y, p->x);
    fe_sub(r->ymx, p->y, p->x);
    fe_add(r->z2, p->z, p->z);
    fe_mul(r->t2d, p->t, ed25519_D2);
}

/* The odd multiples 1P, 3P, …, (2·count − 1)P in cached form. */
static void ge_odd_multiples(ge_cached *out, int count, const ge *p)
{
    ge cur = *p, twice;
    ge_cached twice_cached;
    ge_dbl(&twice, p);
    ge_to_cached(&twice_cached, &twice);
    for (int k = 0; k < count; k++) {
        if (k > 0)
            ge_add(&cur, &cur, &twice_cached, 0);
        ge_to_cached(&out[k], &cur);
    }
}

/* The base point's odd multiples 1B, 3B, …, 127B. */
#define B_WINDOW 8
#define B_ENTRIES (1 << (B_WINDOW - 2))
#define A_WINDOW 5
static ge_cached base_table[B_ENTRIES];
static pthread_once_t base_once = PTHREAD_ONCE_INIT;

static void base_setup(void)
{
    ge b;
    fe_copy(b.x, ed25519_BX);
    fe_copy(b.y, ed25519_BY);
    memset(b.z, 0, sizeof b.z);
    b.z[0] = 1;
    fe_mul(b.t, b.x, b.y);
    ge_odd_multiples(base_table, B_ENTRIES, &b);
}

/* RFC 8032 §5.1.3: the point encoded by s, canonical encodings only. */
static int ge_decode(ge *r, const uint8_t s[32])
{
    fe y, u, v, v3, x, t, vx2;
    uint8_t check[32];
    const int sign = s[31] >> 7;
    fe_frombytes(y, s);
    fe_tobytes(check, y);
    check[31] |= (uint8_t)(sign << 7);
    if (memcmp(check, s, 32) != 0)
        return 0; /* y ≥ p */
    const fe one = {1};
    fe_sq(u, y);
    fe_mul(v, u, ed25519_D);
    fe_sub(u, u, one); /* y² − 1 */
    fe_add(v, v, one); /* d·y² + 1 */
    /* x = u·v³·(u·v⁷)^((p − 5)/8) */
    fe_sq(v3, v);
    fe_mul(v3, v3, v);
    fe_sq(t, v3);
    fe_mul(t, t, v);
    fe_mul(t, t, u);
    fe_pow22523(t, t);
    fe_mul(x, t, v3);
    fe_mul(x, x, u);
    fe_sq(vx2, x);
    fe_mul(vx2, vx2, v);
    if (!fe_equal(vx2, u)) {
        fe_neg(t, u);
        if (!fe_equal(vx2, t))
            return 0;
        fe_mul(x, x, ed25519_SQRTM1);
    }
    uint8_t xb[32];
    fe_tobytes(xb, x);
    int is_zero = 1;
    for (int i = 0; i < 32; i++)
        is_zero &= xb[i] == 0;
    if (is_zero && sign)
        return 0;
    if ((xb[0] & 1) != sign)
        fe_neg(x, x);
    fe_copy(r->x, x);
    fe_copy(r->y, y);
    memset(r->z, 0, sizeof r->z);
    r->z[0] = 1;
    fe_mul(r->t, x, y);
    return 1;
}

int signet_ed25519_key_init(signet_ed25519_key *key, const uint8_t public_key[32])
{
    if (key == NULL || public_key == NULL)
        return 0;
    memset(key, 0, sizeof *key);
    ge a;
    if (!ge_decode(&a, public_key))
        return 0;
    /* −A */
    fe_neg(a.x, a.x);
    fe_neg(a.t, a.t);
    ge_odd_multiples((ge_cached *)key->table, 8, &a);
    memcpy(key->encoded, public_key, 32);
    return 1;
}

/* k = h mod L for a 512-bit little-endian h: h = hi·R + lo with R = 2^256, so k = mont(mont(hi, R³) + mont(lo, R²), 1). */
static void scalar_reduce(uint64_t k[4], const uint8_t h[64])
{
    uint64_t lo[4], hi[4], a[4], b[4];
    const uint64_t one[4] = {1};
    ec_load_le(lo, h, 32, 4);
    ec_load_le(hi, h + 32, 32, 4);
    ec_mont_mul(a, hi, ed25519_RRR_L, ed25519_L, ED25519_M0_L, 4);
    ec_mont_mul(b, lo, ed25519_RR_L, ed25519_L, ED25519_M0_L, 4);
    ec_mod_add(a, a, b, ed25519_L, 4);
    ec_mont_mul(k, a, one, ed25519_L, ED25519_M0_L, 4);
}

int signet_ed25519_verify(const signet_ed25519_key *key, const uint8_t signature[64], const uint8_t hram[64])
{
    if (key == NULL || signature == NULL || hram == NULL)
        return 0;
    pthread_once(&base_once, base_setup);
    uint64_t s[4], k[4];
    ec_load_le(s, signature + 32, 32, 4);
    if (ec_geq(s, ed25519_L, 4))
        return 0; /* S < L */
    scalar_reduce(k, hram);
    int8_t ns[EC_WNAF_LEN(253)], nk[EC_WNAF_LEN(253)]; /* s, k < L < 2^253 */
    int ls = ec_wnaf(ns, s, 4, B_WINDOW), lk = ec_wnaf(nk, k, 4, A_WINDOW);
    ge acc;
    memset(&acc, 0, sizeof acc);
    acc.y[0] = 1;
    acc.z[0] = 1;
    int started = 0;
    for (int i = (ls > lk ? ls : lk) - 1; i >= 0; i--) {
        if (started)
            ge_dbl(&acc, &acc);
        int d1 = i < ls ? ns[i] : 0, d2 = i < lk ? nk[i] : 0;
        if (d1) {
            ge_add(&acc, &acc, &base_table[(d1 > 0 ? d1 : -d1) >> 1], d1 < 0);
            started = 1;
        }
        if (d2) {
            const ge_cached *minus_a = (const ge_cached *)key->table;
            ge_add(&acc, &acc, &minus_a[(d2 > 0 ? d2 : -d2) >> 1], d2 < 0);
            started = 1;
        }
    }
    /* Encode [S]B − [k]A and compare with R: only a canonical R can match. */
    fe zi, x, y;
    uint8_t enc[32], xb[32];
    fe_invert(zi, acc.z);
    fe_mul(x, acc.x, zi);
    fe_mul(y, acc.y, zi);
    fe_tobytes(enc, y);
    fe_tobytes(xb, x);
    enc[31] |= (uint8_t)((xb[0] & 1) << 7);
    return memcmp(enc, signature, 32) == 0;
}
