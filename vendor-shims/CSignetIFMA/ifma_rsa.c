/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_rsa.c - CPU detection, key loading and checks, blinding, the RSA CRT private operation with Garner
 * recombination and verify-after-sign.
 *
 * Constant-time argument (secret: p, q, dp, dq, qinv and everything derived; r, A, Ai; the private result until
 * verified). Branches and addresses depend only on: lengths and sizes, the backend, e (public), the input (public),
 * the blinding use counter (public), and the declassified outcome of consistency checks and of the final verify
 * (one bit each, public by protocol: a key is accepted or not, a signature is released or not).
 *   - Exponentiation: ifma_kernel.h (fixed windows over all bits, masked table reads, no early exit).
 *   - Everything else: ifma_bn.c (fixed-length loops, masks, 64x64-bit multiplications).
 *   - Fixed shapes: the half size is fixed by the modulus size; exponents are scanned over the full half size.
 */
#include <stdlib.h>
#include <string.h>

#include "signet_ifma.h"
#include "ifma_internal.h"
#include "ifma_test_api.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define IFMA_HAVE_X86 1
#endif

#if defined(SIGNET_IFMA_FAKE_INTRINSICS)
#define IFMA_NATIVE_USABLE(bit) 1 /* test build: native backends run Intel's pseudocode (perf/ifma) */
#else
#define IFMA_NATIVE_USABLE(bit) ((signet_ifma_support() & (bit)) != 0)
#endif

#define BLINDING_REFRESH 32 /* regenerate the blinding pair from fresh randomness every 32 operations */

/* ------------------------------------------------------------------------------------------------------------ */
/* CPU and OS support                                                                                           */

int signet_ifma_support(void)
{
#if defined(IFMA_HAVE_X86)
    unsigned a, b, c, d;
    if (__get_cpuid_max(0, NULL) < 7)
        return 0;
    __cpuid(1, a, b, c, d);
    if ((c & (1u << 27)) == 0) /* OSXSAVE: XGETBV usable, the OS manages extended state */
        return 0;
    uint32_t xlo, xhi;
    __asm__ volatile("xgetbv" : "=a"(xlo), "=d"(xhi) : "c"(0));
    (void)xhi;
    /* XCR0: 1 SSE, 2 AVX (ymm upper halves), 5 opmask, 6 ZMM_Hi256, 7 Hi16_ZMM - all enabled by the OS */
    const uint32_t xcr0_need = (1u << 1) | (1u << 2) | (1u << 5) | (1u << 6) | (1u << 7);
    if ((xlo & xcr0_need) != xcr0_need)
        return 0;
    __cpuid_count(7, 0, a, b, c, d);
    /* CPUID.(EAX=7,ECX=0):EBX bit 16 AVX512F, bit 21 AVX512IFMA, bit 31 AVX512VL */
    const unsigned need = (1u << 16) | (1u << 21) | (1u << 31);
    if ((b & need) != need)
        return 0;
    return SIGNET_IFMA_SUPPORT_256 | SIGNET_IFMA_SUPPORT_512;
#else
    return 0;
#endif
}

const ifma_backend *ifma_backend_get(int backend)
{
    switch (backend) {
    case SIGNET_IFMA_BACKEND_EMULATED: return &ifma_backend_emu4;
    case SIGNET_IFMA_BACKEND_EMULATED512: return &ifma_backend_emu8;
#if defined(IFMA_HAVE_X86)
    case SIGNET_IFMA_BACKEND_NATIVE256:
        return IFMA_NATIVE_USABLE(SIGNET_IFMA_SUPPORT_256) ? &ifma_backend_avx256 : NULL;
    case SIGNET_IFMA_BACKEND_NATIVE512:
        return IFMA_NATIVE_USABLE(SIGNET_IFMA_SUPPORT_512) ? &ifma_backend_avx512 : NULL;
#endif
    default: return NULL;
    }
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Objects                                                                                                      */

/* The public half of a key (n, e) prepared for the vector kernel's public-key operation and for the portable
   mod-n arithmetic. Public. Shared by the private engine (verify-after-sign) and the public engine. */
typedef struct {
    ifma_pmod pm;                /* n for the kernel (N = 40 or 80 limbs) */
    uint64_t n[IFMA_NWORDS_MAX];  /* n, 64-bit words */
    uint64_t rr[IFMA_NWORDS_MAX]; /* 2^(128 nw) mod n (into the portable arithmetic's Montgomery domain) */
    uint64_t n_inv64, e;          /* -n^-1 mod 2^64; the public exponent */
    const ifma_backend *be;
    int backend, psel;           /* psel: index into be->pub_exp (0: 2048-bit n, 1: 4096-bit n) */
    size_t k, nw;                /* bytes and words of n */
    unsigned plimbs;             /* 52-bit limbs of n in the kernel (40 or 80) */
} ifma_pub;

struct signet_rsa_public_engine {
    ifma_pub pub;
};

struct signet_rsa_engine_key {
    ifma_mod mp, mq;                       /* secret: the halves prepared for the kernel */
    uint64_t p[IFMA_HWORDS_MAX], q[IFMA_HWORDS_MAX];
    uint64_t dp[IFMA_EWORDS], dq[IFMA_EWORDS];   /* CRT exponents, one zero word on top */
    uint64_t pm2[IFMA_EWORDS], qm2[IFMA_EWORDS]; /* p - 2, q - 2: Fermat inversion exponents */
    uint64_t qinv_m[IFMA_HWORDS_MAX];      /* qinv * 2^(64 hw) mod p (Montgomery form for Garner) */
    uint64_t p_inv64;                      /* -p^-1 mod 2^64 */
    ifma_pub pub;                          /* public from here on */
    int nsel;
    size_t hw;                             /* words of a half */
    unsigned hbits, nlimbs;                /* bits of a half, 52-bit limbs of a half (20 or 40) */
};

/* Per-operation workspace: everything secret an operation touches outside the key and the registers. */
typedef struct {
    ifma_ws ws;
    uint64_t x[IFMA_WIDE];                  /* kernel input in 52-bit limbs */
    uint64_t op[IFMA_NMAX], oq[IFMA_NMAX];  /* kernel outputs */
    uint64_t sp[IFMA_HWORDS_MAX], sq[IFMA_HWORDS_MAX], h[IFMA_HWORDS_MAX], d[IFMA_HWORDS_MAX];
    uint64_t in[IFMA_NWORDS_MAX], c[IFMA_NWORDS_MAX], s[IFMA_NWORDS_MAX], v[IFMA_NWORDS_MAX];
    uint64_t b[IFMA_NWORDS_MAX], r[IFMA_NWORDS_MAX];
    uint64_t t[2 * IFMA_NWORDS_MAX + 2];
    uint64_t e2[IFMA_EWORDS];
    ifma_pws pws;                           /* the public-key operation's workspace (verify-after-sign) */
    uint64_t px[IFMA_PUB_NMAX], po[IFMA_PUB_NMAX];
} ifma_scratch;

struct signet_rsa_blinding {
    ifma_scratch sc;
    uint64_t a_m[IFMA_NWORDS_MAX];  /* A * 2^(64 nw) mod n, A = r^e */
    uint64_t ai_m[IFMA_NWORDS_MAX]; /* Ai * 2^(64 nw) mod n, Ai = r^-1 */
    const signet_rsa_engine_key *key;
    uint32_t uses; /* public: operations since the pair was (re)generated */
};

static void *alloc64(size_t size)
{
    size_t rounded = (size + 63) & ~(size_t)63;
    void *p = aligned_alloc(64, rounded);
    if (p != NULL)
        memset(p, 0, rounded);
    return p;
}

static void free_wiped(void *p, size_t size)
{
    if (p != NULL) {
        ifma_wipe(p, size);
        free(p);
    }
}

#if defined(SIGNET_IFMA_TESTING)
int signet_ifma_test_fault = 0;
#endif

/* ------------------------------------------------------------------------------------------------------------ */
/* Arithmetic pieces                                                                                            */

/* Prepares one CRT half for the kernel: limbs, k0, R mod m, R^3 mod m (R = 2^(52 N)). t, u: hw words each. */
static void setup_half(ifma_mod *md, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t, uint64_t *u)
{
    memset(md, 0, sizeof *md);
    sbn_to52(md->m + IFMA_OFF, nlimbs, m, hw);
    md->k0 = sbn_neg_inv64(m[0]) & IFMA_M52;
    sbn_mod_pow2(u, (size_t)52 * nlimbs, m, hw, t);
    sbn_to52(md->one + IFMA_OFF, nlimbs, u, hw);
    sbn_mod_pow2(u, (size_t)3 * 52 * nlimbs, m, hw, t);
    sbn_to52(md->rr3 + IFMA_OFF, nlimbs, u, hw);
    ifma_wipe(u, hw * sizeof *u);
}

/* Kernel output (<= m, 52-bit limbs) to words, fully reduced. */
static void finish_half(uint64_t *r, const uint64_t *l, const uint64_t *m, size_t hw, unsigned nlimbs, uint64_t *t)
{
    sbn_from52(r, hw, l, nlimbs);
    sbn_sub_if_ge(r, m, hw, t);
}

/* s = sq + q * ((sp - sq) * qinv mod p)   (Garner). sp < p, sq < q < 2p. s: nw words, < n. */
static void garner(const signet_rsa_engine_key *key, ifma_scratch *sc, uint64_t *s)
{
    const size_t hw = key->hw, nw = key->pub.nw;
    memcpy(sc->d, sc->sq, hw * sizeof(uint64_t));
    sbn_sub_if_ge(sc->d, key->p, hw, sc->t);                   /* sq mod p */
    uint64_t borrow = sbn_sub(sc->d, sc->sp, sc->d, hw);       /* sp - sq mod p, plus p if negative: */
    for (size_t i = 0; i < hw; i++)
        sc->t[i] = key->p[i] & (0 - borrow);
    sbn_add(sc->d, sc->d, sc->t, hw);
    sbn_mont_mul(sc->h, sc->d, key->qinv_m, key->p, key->p_inv64, hw, sc->t); /* h = d * qinv mod p */
    sbn_mul(s, key->q, hw, sc->h, hw);
    memset(sc->t, 0, nw * sizeof(uint64_t));
    memcpy(sc->t, sc->sq, hw * sizeof(uint64_t));
    sbn_add(s, s, sc->t, nw);
}

/* sc->s = sc->c ^ (ep, eq) mod n through the CRT halves; sc->c < n. */
static void crt_exp(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *ep, const uint64_t *eq,
                    int fault)
{
    const size_t hw = key->hw;
    sbn_to52(sc->x, IFMA_WIDE, sc->c, key->pub.nw);
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 3) {
        memcpy(sc->e2, ep, sizeof sc->e2);
        sc->e2[3] ^= 1u << 7;
        ep = sc->e2;
    }
#endif
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 4) { /* timing of everything but the exponentiation (perf/ifma/bench.c); the verify then fails */
        memset(sc->op, 0, sizeof sc->op);
        memset(sc->oq, 0, sizeof sc->oq);
    } else
#endif
    key->pub.be->crt_exp[key->nsel](&key->mp, &key->mq, sc->x, sc->x, ep, eq, key->hbits, sc->op, sc->oq, &sc->ws);
    finish_half(sc->sp, sc->op, key->p, hw, key->nlimbs, sc->t);
    finish_half(sc->sq, sc->oq, key->q, hw, key->nlimbs, sc->t);
#if defined(SIGNET_IFMA_TESTING)
    if (fault == 1)
        sc->sp[0] ^= 1;
    if (fault == 2)
        sc->sq[hw - 1] ^= (uint64_t)1 << 40;
#else
    (void)fault;
#endif
    garner(key, sc, sc->s);
}

/* out_m = x^e (Montgomery form mod n) from x_m = x * 2^(64 nw) mod n, on the portable mod-n arithmetic. e is public:
   square-and-multiply on it. t: 2 nw + 2 words. */
static void pow_e_mont(const ifma_pub *pub, uint64_t *out_m, const uint64_t *x_m, uint64_t *t)
{
    const size_t nw = pub->nw;
    int top = 63;
    while (((pub->e >> top) & 1) == 0)
        top--;
    memcpy(out_m, x_m, nw * sizeof(uint64_t));
    for (int bit = top - 1; bit >= 0; bit--) {
        sbn_mont_sqr(out_m, out_m, pub->n, pub->n_inv64, nw, t);
        if ((pub->e >> bit) & 1)
            sbn_mont_mul(out_m, out_m, x_m, pub->n, pub->n_inv64, nw, t);
    }
}

/* r = s^e mod n (s < n) on the portable mod-n arithmetic: the independent check of the vector kernel. b: nw words,
   t: 2 nw + 2 words. */
static void pub_exp_portable(const ifma_pub *pub, const uint64_t *s, uint64_t *r, uint64_t *b, uint64_t *t)
{
    sbn_mont_mul(b, s, pub->rr, pub->n, pub->n_inv64, pub->nw, t);
    pow_e_mont(pub, r, b, t);
    sbn_mont_redc(r, r, pub->n, pub->n_inv64, pub->nw, t);
}

/* r = s^e mod n (s < n; r may alias s) on the vector kernel. x, o: IFMA_PUB_NMAX limbs of scratch; t: nw words. */
static void pub_exp(const ifma_pub *pub, const uint64_t *s, uint64_t *r, ifma_pws *ws, uint64_t *x, uint64_t *o,
                    uint64_t *t)
{
    sbn_to52(x, IFMA_PUB_NMAX, s, pub->nw);
    pub->be->pub_exp[pub->psel](&pub->pm, x, pub->e, o, ws);
    sbn_from52(r, pub->nw, o, pub->plimbs);
    sbn_sub_if_ge(r, pub->n, pub->nw, t);
#if defined(SIGNET_IFMA_TESTING)
    if (signet_ifma_test_fault == 5) /* a fault in the public-key operation */
        r[pub->nw / 2] ^= 1;
#endif
}

/* Prepares n (nw words, odd, top bit set, in pub->n) for the kernel; pub->be, nw, k, e must be set. t: 2 nw
   words. */
static void setup_pub(ifma_pub *pub, uint64_t *t)
{
    pub->plimbs = pub->nw == 32 ? 40 : 80;
    pub->psel = pub->nw == 32 ? 0 : 1;
    pub->n_inv64 = sbn_neg_inv64(pub->n[0]);
    memset(&pub->pm, 0, sizeof pub->pm);
    sbn_to52(pub->pm.m + IFMA_OFF, pub->plimbs, pub->n, pub->nw);
    pub->pm.k0 = pub->n_inv64 & IFMA_M52;
    /* R^2 mod n for the kernel (R = 2^(52 N)) and 2^(128 nw) mod n for the portable arithmetic: ~10 Montgomery
       squarings each instead of ~8,000 modular doublings (1.2 ms for RSA-4096 here): public keys load often */
    sbn_mod_pow2_mont(pub->rr, (size_t)2 * 52 * pub->plimbs, pub->n, pub->n_inv64, pub->nw, t);
    sbn_to52(pub->pm.rr + IFMA_OFF, pub->plimbs, pub->rr, pub->nw);
    sbn_mod_pow2_mont(pub->rr, 128 * pub->nw, pub->n, pub->n_inv64, pub->nw, t);
}

/* All ones iff s^e mod n == expect (s < n), computed on the vector kernel. */
static uint64_t verify_mask(const signet_rsa_engine_key *key, ifma_scratch *sc, const uint64_t *s,
                            const uint64_t *expect)
{
    pub_exp(&key->pub, s, sc->v, &sc->pws, sc->px, sc->po, sc->t);
    return sbn_eq_mask(sc->v, expect, key->pub.nw);
}

/* New blinding pair from k random bytes. Returns 0 or SIGNET_IFMA_ERR_RANDOM. */
static int blinding_regen(const signet_rsa_engine_key *key, signet_rsa_blinding *bl, const uint8_t *random)
{
    ifma_scratch *sc = &bl->sc;
    const size_t nw = key->pub.nw;
    sbn_from_bytes(sc->r, nw, random, key->pub.k);
    sc->r[nw - 1] &= ~((uint64_t)1 << 63); /* r < 2^(bits - 1) <= n */
    /* Ai = r^-1 mod n: r^(p-2) mod p and r^(q-2) mod q (Fermat; constant-time exponentiation), Garner */
    memcpy(sc->c, sc->r, nw * sizeof(uint64_t));
    crt_exp(key, sc, key->pm2, key->qm2, 0);
    sbn_mont_mul(bl->ai_m, sc->s, key->pub.rr, key->pub.n, key->pub.n_inv64, nw, sc->t);
    /* A = r^e mod n (e public) */
    sbn_mont_mul(sc->b, sc->r, key->pub.rr, key->pub.n, key->pub.n_inv64, nw, sc->t);
    pow_e_mont(&key->pub, bl->a_m, sc->b, sc->t);
    /* check r * Ai == 1 mod n: fails only if r shares a factor with n (broken randomness) */
    sbn_mont_mul(sc->v, sc->r, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
    uint64_t ok = sbn_is_word_mask(sc->v, nw, 1);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    ifma_wipe(sc, sizeof *sc);
    if (!ok) {
        ifma_wipe(bl->a_m, sizeof bl->a_m);
        ifma_wipe(bl->ai_m, sizeof bl->ai_m);
        return SIGNET_IFMA_ERR_RANDOM;
    }
    bl->uses = 0;
    return SIGNET_IFMA_OK;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Public API                                                                                                   */

static void strip_zeros(const uint8_t **p, size_t *len)
{
    /* only for public values (n, e): the length of a secret value is never derived from its content */
    while (*len > 0 && (*p)[0] == 0) {
        (*p)++;
        (*len)--;
    }
}

/* The public shape both engines take: n of exactly 2048 or 4096 bits (leading zero bytes are skipped: *n, *n_len
   are advanced past them), e odd with 3 <= e < 2^64, returned in *ev. 0 if the shape is refused. */
static int public_shape(const uint8_t **n, size_t *n_len, const uint8_t *e, size_t e_len, uint64_t *ev)
{
    strip_zeros(n, n_len);
    strip_zeros(&e, &e_len);
    if ((*n_len != 256 && *n_len != 512) || ((*n)[0] & 0x80) == 0 || e_len == 0 || e_len > 8)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < e_len; i++)
        v = (v << 8) | e[i];
    *ev = v;
    return (v & 1) != 0 && v >= 3;
}

/* Fills the sizes, backend, e and n of a public half whose shape public_shape accepted (setup_pub does the rest). */
static void init_pub(ifma_pub *pub, const ifma_backend *be, int backend, const uint8_t *n, size_t n_len, uint64_t e)
{
    pub->be = be;
    pub->backend = backend;
    pub->k = n_len;
    pub->nw = n_len / 8;
    pub->e = e;
    sbn_from_bytes(pub->n, pub->nw, n, n_len);
}

/* r = n >> 1 (nw words): a public input below n for the load-time checks. */
static void half_of(uint64_t *r, const uint64_t *n, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        r[i] = (n[i] >> 1) | (i + 1 < nw ? n[i + 1] << 63 : 0);
}

static signet_rsa_engine_key *fail_key(signet_rsa_engine_key *key, ifma_scratch *sc, int code, int *err)
{
    ifma_scrub_stack();
    free_wiped(sc, sizeof *sc);
    free_wiped(key, sizeof *key);
    if (err != NULL)
        *err = code;
    return NULL;
}

signet_rsa_engine_key *signet_rsa_engine_key_new(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                                                 const uint8_t *p, size_t p_len, const uint8_t *q, size_t q_len,
                                                 const uint8_t *dp, size_t dp_len, const uint8_t *dq, size_t dq_len,
                                                 const uint8_t *qinv, size_t qinv_len, int backend, int *err)
{
    if (err != NULL)
        *err = SIGNET_IFMA_OK;
    if (n == NULL || e == NULL || p == NULL || q == NULL || dp == NULL || dq == NULL || qinv == NULL)
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_ARGUMENT, err);
    const ifma_backend *be = ifma_backend_get(backend);
    if (be == NULL)
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_BACKEND, err);

    uint64_t ev;
    if (!public_shape(&n, &n_len, e, e_len, &ev))
        return fail_key(NULL, NULL, SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, err);

    signet_rsa_engine_key *key = alloc64(sizeof *key);
    ifma_scratch *sc = alloc64(sizeof *sc);
    if (key == NULL || sc == NULL)
        return fail_key(key, sc, SIGNET_IFMA_ERR_NO_MEMORY, err);
    init_pub(&key->pub, be, backend, n, n_len, ev);
    key->hw = key->pub.nw / 2;
    key->hbits = (unsigned)(n_len * 4);
    key->nlimbs = key->hbits == 1024 ? 20 : 40;
    key->nsel = key->hbits == 1024 ? 0 : 1;
    const size_t nw = key->pub.nw, hw = key->hw;

    /* secret components: every check is a mask; only the combined outcome is made public */
    uint64_t fits = sbn_from_bytes(key->p, hw, p, p_len) & sbn_from_bytes(key->q, hw, q, q_len) &
                    sbn_from_bytes(key->dp, hw, dp, dp_len) & sbn_from_bytes(key->dq, hw, dq, dq_len) &
                    sbn_from_bytes(sc->h, hw, qinv, qinv_len);
    /* p and q of exactly half of n's bits, odd */
    uint64_t shape = fits & (0 - ((key->p[hw - 1] >> 63) & (key->q[hw - 1] >> 63) & key->p[0] & key->q[0] & 1));
    IFMA_DECLASSIFY(&shape, sizeof shape);
    if (!shape)
        return fail_key(key, sc, SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE, err);

    uint64_t ok = ~(uint64_t)0;
    sbn_mul(sc->v, key->p, hw, key->q, hw); /* n == p q */
    ok &= sbn_eq_mask(sc->v, key->pub.n, nw);
    ok &= sbn_lt_mask(key->dp, key->p, hw) & sbn_lt_mask(key->dq, key->q, hw) & sbn_lt_mask(sc->h, key->p, hw);
    /* e dp == 1 mod (p - 1), e dq == 1 mod (q - 1) */
    for (int half = 0; half < 2; half++) {
        const uint64_t *m = half ? key->q : key->p, *d = half ? key->dq : key->dp;
        memset(sc->b, 0, hw * sizeof(uint64_t));
        sc->b[0] = 1;
        sbn_sub(sc->d, m, sc->b, hw);      /* m - 1 */
        sbn_mul(sc->v, d, hw, &key->pub.e, 1); /* e d: hw + 1 words */
        sbn_mod(sc->sp, sc->v, hw + 1, sc->d, hw, sc->t);
        ok &= sbn_is_word_mask(sc->sp, hw, 1);
    }
    /* q qinv == 1 mod p */
    sbn_mul(sc->v, key->q, hw, sc->h, hw);
    sbn_mod(sc->sp, sc->v, nw, key->p, hw, sc->t);
    ok &= sbn_is_word_mask(sc->sp, hw, 1);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    if (!ok)
        return fail_key(key, sc, SIGNET_IFMA_ERR_KEY_INCONSISTENT, err);

    /* derived constants */
    setup_half(&key->mp, key->p, hw, key->nlimbs, sc->t, sc->sp);
    setup_half(&key->mq, key->q, hw, key->nlimbs, sc->t, sc->sp);
    memset(sc->b, 0, hw * sizeof(uint64_t));
    sc->b[0] = 2;
    sbn_sub(key->pm2, key->p, sc->b, hw);
    sbn_sub(key->qm2, key->q, sc->b, hw);
    memcpy(key->qinv_m, sc->h, hw * sizeof(uint64_t));
    for (size_t i = 0; i < 64 * hw; i++)
        sbn_mod_double(key->qinv_m, key->p, hw, sc->t);
    key->p_inv64 = sbn_neg_inv64(key->p[0]);
    setup_pub(&key->pub, sc->t);

    /* round trip through the chosen backend: x = n >> 1 (public, < n), s = x^d, s^e == x */
    half_of(sc->in, key->pub.n, nw);
    memcpy(sc->c, sc->in, nw * sizeof(uint64_t));
    crt_exp(key, sc, key->dp, key->dq, 0);
    ok = verify_mask(key, sc, sc->s, sc->in);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    if (!ok)
        return fail_key(key, sc, SIGNET_IFMA_ERR_KEY_INCONSISTENT, err);
    free_wiped(sc, sizeof *sc);
    ifma_scrub_stack();
    return key;
}

void signet_rsa_engine_key_free(signet_rsa_engine_key *key) { free_wiped(key, sizeof *key); }

size_t signet_rsa_engine_key_size(const signet_rsa_engine_key *key) { return key != NULL ? key->pub.k : 0; }

int signet_rsa_engine_key_backend(const signet_rsa_engine_key *key) { return key != NULL ? key->pub.backend : -1; }

signet_rsa_blinding *signet_rsa_blinding_new(const signet_rsa_engine_key *key, const uint8_t *random,
                                             size_t random_len, int *err)
{
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    signet_rsa_blinding *bl = NULL;
    if (key != NULL && random != NULL && random_len == key->pub.k) {
        bl = alloc64(sizeof *bl);
        rc = SIGNET_IFMA_ERR_NO_MEMORY;
        if (bl != NULL) {
            bl->key = key;
            rc = blinding_regen(key, bl, random);
        }
    }
    if (err != NULL)
        *err = rc;
    ifma_scrub_stack();
    if (rc != SIGNET_IFMA_OK) {
        free_wiped(bl, sizeof *bl);
        return NULL;
    }
    return bl;
}

void signet_rsa_blinding_free(signet_rsa_blinding *bl) { free_wiped(bl, sizeof *bl); }

int signet_rsa_blinding_needs_random(const signet_rsa_blinding *bl)
{
    return bl != NULL && bl->uses >= BLINDING_REFRESH;
}

int signet_rsa_engine_private(const signet_rsa_engine_key *key, signet_rsa_blinding *bl, const uint8_t *in,
                              uint8_t *out, const uint8_t *fresh_random, size_t fresh_random_len)
{
    if (key == NULL || out == NULL)
        return SIGNET_IFMA_ERR_ARGUMENT;
    const size_t k = key->pub.k, nw = key->pub.nw;
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    if (bl == NULL || in == NULL)
        goto fail;
    rc = SIGNET_IFMA_ERR_WRONG_KEY;
    if (bl->key != key)
        goto fail;
    rc = SIGNET_IFMA_ERR_ARGUMENT;
    const int regenerate = bl->uses >= BLINDING_REFRESH;
    if (regenerate ? (fresh_random == NULL || fresh_random_len != k)
                   : (fresh_random == NULL ? fresh_random_len != 0 : fresh_random_len != k))
        goto fail;
    ifma_scratch *sc = &bl->sc;
    sbn_from_bytes(sc->in, nw, in, k); /* before anything writes `out`, which may alias `in` */
    rc = SIGNET_IFMA_ERR_INPUT_RANGE;
    if (!sbn_lt_mask(sc->in, key->pub.n, nw)) /* the input is public */
        goto fail;

    if (regenerate) {
        rc = blinding_regen(key, bl, fresh_random);
        if (rc != SIGNET_IFMA_OK)
            goto fail;
        sbn_from_bytes(sc->in, nw, in, k); /* regen wiped the scratch */
    } else if (bl->uses > 0) {
        sbn_mont_sqr(bl->a_m, bl->a_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
        sbn_mont_sqr(bl->ai_m, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t);
    }
    bl->uses++;

    int fault = 0;
#if defined(SIGNET_IFMA_TESTING)
    fault = signet_ifma_test_fault;
#endif
    sbn_mont_mul(sc->c, sc->in, bl->a_m, key->pub.n, key->pub.n_inv64, nw, sc->t); /* c = in A */
    crt_exp(key, sc, key->dp, key->dq, fault);                            /* s = c^d = in^d r */
    sbn_mont_mul(sc->s, sc->s, bl->ai_m, key->pub.n, key->pub.n_inv64, nw, sc->t); /* s = in^d */
    uint64_t ok = verify_mask(key, sc, sc->s, sc->in);
    IFMA_DECLASSIFY(&ok, sizeof ok);
    rc = SIGNET_IFMA_ERR_FAULT;
    if (!ok)
        goto fail;
    sbn_to_bytes(out, k, sc->s, nw);
    IFMA_DECLASSIFY(out, k); /* a verified signature is public */
    ifma_wipe(sc, sizeof *sc);
    ifma_scrub_stack();
    return SIGNET_IFMA_OK;

fail:
    if (bl != NULL && bl->key == key)
        ifma_wipe(&bl->sc, sizeof bl->sc);
    ifma_wipe(out, k);
    ifma_scrub_stack();
    return rc;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Public engine                                                                                                */

signet_rsa_public_engine *signet_rsa_public_engine_new(const uint8_t *n, size_t n_len, const uint8_t *e,
                                                       size_t e_len, int backend, int *err)
{
    int rc = SIGNET_IFMA_ERR_ARGUMENT;
    signet_rsa_public_engine *key = NULL;
    ifma_scratch *sc = NULL;
    if (n == NULL || e == NULL)
        goto done;
    rc = SIGNET_IFMA_ERR_BACKEND;
    const ifma_backend *be = ifma_backend_get(backend);
    if (be == NULL)
        goto done;
    rc = SIGNET_IFMA_ERR_UNSUPPORTED_SHAPE;
    uint64_t ev;
    /* n odd too: here no n == p q check stands behind the Montgomery arithmetic */
    if (!public_shape(&n, &n_len, e, e_len, &ev) || (n[n_len - 1] & 1) == 0)
        goto done;
    rc = SIGNET_IFMA_ERR_NO_MEMORY;
    key = alloc64(sizeof *key);
    sc = alloc64(sizeof *sc);
    if (key == NULL || sc == NULL)
        goto done;
    ifma_pub *pub = &key->pub;
    init_pub(pub, be, backend, n, n_len, ev);
    setup_pub(pub, sc->t);

    /* self-check of the backend on this key: x = n >> 1 through the kernel and through the portable arithmetic */
    half_of(sc->in, pub->n, pub->nw);
    pub_exp(pub, sc->in, sc->s, &sc->pws, sc->px, sc->po, sc->t);
    pub_exp_portable(pub, sc->in, sc->v, sc->b, sc->t);
    rc = sbn_eq_mask(sc->v, sc->s, pub->nw) ? SIGNET_IFMA_OK : SIGNET_IFMA_ERR_FAULT;

done:
    free_wiped(sc, sizeof *sc);
    if (rc != SIGNET_IFMA_OK) {
        free_wiped(key, sizeof *key);
        key = NULL;
    }
    if (err != NULL)
        *err = rc;
    return key;
}

void signet_rsa_public_engine_free(signet_rsa_public_engine *key) { free_wiped(key, sizeof *key); }

size_t signet_rsa_public_engine_size(const signet_rsa_public_engine *key) { return key != NULL ? key->pub.k : 0; }

int signet_rsa_public_engine_op(const signet_rsa_public_engine *key, const uint8_t *in, size_t in_len, uint8_t *out,
                                size_t out_len)
{
    if (key == NULL || in == NULL || out == NULL || in_len != key->pub.k || out_len != key->pub.k)
        return SIGNET_IFMA_ERR_ARGUMENT;
    const ifma_pub *pub = &key->pub;
    /* about 6 KiB of stack here (9-11 KiB with the kernel's frames); nothing is secret, so nothing is wiped */
    struct {
        ifma_pws ws;
        uint64_t s[IFMA_NWORDS_MAX], x[IFMA_PUB_NMAX], o[IFMA_PUB_NMAX], t[IFMA_NWORDS_MAX];
    } sc;
    memset(&sc.ws, 0, sizeof sc.ws); /* the slots' guard limbs must be zero */
    sbn_from_bytes(sc.s, pub->nw, in, in_len);
    if (!sbn_lt_mask(sc.s, pub->n, pub->nw))
        return SIGNET_IFMA_ERR_INPUT_RANGE;
    pub_exp(pub, sc.s, sc.s, &sc.ws, sc.x, sc.o, sc.t);
    sbn_to_bytes(out, out_len, sc.s, pub->nw);
    return SIGNET_IFMA_OK;
}

/* ------------------------------------------------------------------------------------------------------------ */
/* Test-only entry points                                                                                       */

#if defined(SIGNET_IFMA_TESTING)
int signet_ifma_test_lanes(int backend)
{
    const ifma_backend *be = ifma_backend_get(backend);
    return be != NULL ? be->lanes : 0;
}

void signet_ifma_test_prim(int backend, int op, const uint64_t *a, const uint64_t *b, const uint64_t *c,
                           uint64_t *out)
{
    const ifma_backend *be = ifma_backend_get(backend);
    if (be != NULL)
        be->prim(op, a, b, c, out);
}

struct ifma_test_ctx {
    ifma_mod m[2];
    ifma_ws ws;
    uint64_t mw[2][IFMA_HWORDS_MAX];
    uint64_t x[2][IFMA_WIDE], e[2][IFMA_EWORDS], o[2][IFMA_NMAX], t[IFMA_HWORDS_MAX], u[IFMA_HWORDS_MAX];
    const ifma_backend *be;
    unsigned hbits, nlimbs;
    size_t hw;
};

ifma_test_ctx *signet_ifma_test_ctx_new(int backend, unsigned hbits, const uint64_t *m0, const uint64_t *m1)
{
    const ifma_backend *be = ifma_backend_get(backend);
    if (be == NULL || (hbits != 1024 && hbits != 2048))
        return NULL;
    ifma_test_ctx *ctx = alloc64(sizeof *ctx);
    if (ctx == NULL)
        return NULL;
    ctx->be = be;
    ctx->hbits = hbits;
    ctx->hw = hbits / 64;
    ctx->nlimbs = hbits == 1024 ? 20 : 40;
    memcpy(ctx->mw[0], m0, ctx->hw * 8);
    memcpy(ctx->mw[1], m1, ctx->hw * 8);
    setup_half(&ctx->m[0], m0, ctx->hw, ctx->nlimbs, ctx->t, ctx->u);
    setup_half(&ctx->m[1], m1, ctx->hw, ctx->nlimbs, ctx->t, ctx->u);
    return ctx;
}

void signet_ifma_test_ctx_exp(ifma_test_ctx *ctx, const uint64_t *x0, const uint64_t *x1, const uint64_t *e0,
                              const uint64_t *e1, uint64_t *r0, uint64_t *r1)
{
    const size_t hw = ctx->hw;
    sbn_to52(ctx->x[0], IFMA_WIDE, x0, 2 * hw);
    sbn_to52(ctx->x[1], IFMA_WIDE, x1, 2 * hw);
    memcpy(ctx->e[0], e0, hw * 8);
    memcpy(ctx->e[1], e1, hw * 8);
    ctx->be->crt_exp[ctx->nlimbs == 20 ? 0 : 1](&ctx->m[0], &ctx->m[1], ctx->x[0], ctx->x[1], ctx->e[0], ctx->e[1],
                                                ctx->hbits, ctx->o[0], ctx->o[1], &ctx->ws);
    finish_half(r0, ctx->o[0], ctx->mw[0], hw, ctx->nlimbs, ctx->t);
    finish_half(r1, ctx->o[1], ctx->mw[1], hw, ctx->nlimbs, ctx->t);
}

void signet_ifma_test_ctx_free(ifma_test_ctx *ctx) { free_wiped(ctx, sizeof *ctx); }

int signet_ifma_test_public_scalar(const signet_rsa_public_engine *key, const uint8_t *in, uint8_t *out)
{
    if (key == NULL || in == NULL || out == NULL)
        return SIGNET_IFMA_ERR_ARGUMENT;
    const ifma_pub *pub = &key->pub;
    const size_t nw = pub->nw;
    uint64_t s[IFMA_NWORDS_MAX], b[IFMA_NWORDS_MAX], v[IFMA_NWORDS_MAX];
    uint64_t t[2 * IFMA_NWORDS_MAX + 2];
    sbn_from_bytes(s, nw, in, pub->k);
    if (!sbn_lt_mask(s, pub->n, nw))
        return SIGNET_IFMA_ERR_INPUT_RANGE;
    pub_exp_portable(pub, s, v, b, t);
    sbn_to_bytes(out, pub->k, v, nw);
    return SIGNET_IFMA_OK;
}
#endif
