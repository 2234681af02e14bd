/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test_ec.c - correctness driver for Sources/CSignetEC through its public API (signet_ec.h). Build and run:
 * perf/ccheck.sh (which also builds it under ASan + UBSan and runs it as a static aarch64 binary under qemu-user).
 *
 *   1. Wycheproof (--vectors FILE, written by perf/ec/wycheproof_ec_to_txt.py): every test of the ECDSA P1363 files
 *      for P-256/SHA-256, P-384/SHA-384, P-521/SHA-512 and of ed25519_test.json must get its verdict. "valid" must
 *      verify and "invalid" must not. "acceptable" (none in these four files today) is accepted either way and the
 *      verdicts are counted and printed, so a future file that adds such cases shows what we chose. Inputs are
 *      copied into heap blocks of exactly their length, so ASan reports any read past a signature, digest or key.
 *      The API's fixed-size Ed25519 signature (64 bytes) is checked here for length first, as the Swift caller does.
 *   2. Edge cases built from each curve's first valid Wycheproof vector: r or s = 0, 1, n-1, n, n+1, all-0xff,
 *      r + n; s -> n - s (must still verify: JWS has no low-S rule); signature lengths 0, 2w-1, 2w+1; digests
 *      truncated by one byte and extended by extra bytes (only the leftmost bits(n) bits count); keys with x or y
 *      = p, off the curve, wrong width, unknown curve; NULL arguments. Ed25519: S = L, S + L, S = 0, all-0xff;
 *      R changed; hram changed; non-canonical keys (y = p, y = p + 1, y = 2^255 - 1, x = 0 with the sign bit),
 *      a y with no x; the identity key (small order) with (R, S) = (B, 1), which cofactorless RFC 8032 verification
 *      accepts for any message (and so does OpenSSL, checked in part 3).
 *   3. With -DTEST_EC_OPENSSL (host builds, -lcrypto): a differential against OpenSSL 3 EVP on fresh keys: ECDSA
 *      signatures made by EVP_PKEY_sign over digests of 0 to 80 bytes, Ed25519 ones by EVP_DigestSign; each must
 *      verify, and single-bit changes of signature, digest or message, (r, n - s), random (r, s) and S + L must get
 *      OpenSSL's own verdict (EVP_PKEY_verify, EVP_DigestVerify).
 *
 * Prints "test_ec: N passed, M failed" last; exits 1 on any failure, 2 on a usage or input error.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../ctest.h"
#include "signet_ec.h"

#if defined(TEST_EC_OPENSSL)
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#endif


static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* splitmix64: reproducible choices (--seed) */
static uint64_t g_rng;
static uint64_t rnd(void) {
    uint64_t z = (g_rng += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
static void rnd_bytes(uint8_t *p, size_t n) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)rnd();
}

/* ---- big-endian byte arithmetic for the edge values (independent of the library's limbs) ------------------- */

static void unhex(uint8_t *out, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[2 * i + (size_t)k];
            v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        out[i] = (uint8_t)v;
    }
}

/* r = a + b (n bytes, big-endian); returns the carry out. */
static int be_add(uint8_t *r, const uint8_t *a, const uint8_t *b, size_t n) {
    unsigned c = 0;
    for (size_t i = n; i-- > 0;) {
        c += (unsigned)a[i] + b[i];
        r[i] = (uint8_t)c;
        c >>= 8;
    }
    return (int)c;
}

/* r = a - b (n bytes, big-endian); returns the borrow out. */
static int be_sub(uint8_t *r, const uint8_t *a, const uint8_t *b, size_t n) {
    int borrow = 0;
    for (size_t i = n; i-- > 0;) {
        int d = (int)a[i] - b[i] - borrow;
        borrow = d < 0;
        r[i] = (uint8_t)(d + (borrow ? 256 : 0));
    }
    return borrow;
}

static void be_small(uint8_t *r, size_t n, unsigned v) {
    memset(r, 0, n);
    r[n - 1] = (uint8_t)v;
}

/* A heap copy of exactly n bytes (ASan then catches any read past it); NULL never (a 1-byte block for n = 0). */
static uint8_t *dup_exact(const uint8_t *p, size_t n) {
    uint8_t *q = malloc(n ? n : 1);
    if (q == NULL) {
        perror("malloc");
        exit(2);
    }
    if (n) memcpy(q, p, n);
    return q;
}

/* ---- curves ------------------------------------------------------------------------------------------------- */

typedef struct {
    int id, bits;
    size_t width; /* bytes of a coordinate and of r, s */
    const char *name, *p_hex, *n_hex;
} curve_info;

static const curve_info k_curves[3] = {
    {SIGNET_EC_P256, 256, 32, "P-256", "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
     "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"},
    {SIGNET_EC_P384, 384, 48, "P-384",
     "fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffff",
     "ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973"},
    {SIGNET_EC_P521, 521, 66, "P-521",
     "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
     "01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
     "a51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409"},
};

static const curve_info *curve_by_bits(int bits) {
    for (int i = 0; i < 3; i++)
        if (k_curves[i].bits == bits) return &k_curves[i];
    return NULL;
}

/* Ed25519: L (big-endian hex) and the base point's encoding. */
static const char k_l_hex[] = "1000000000000000000000000000000014def9dea2f79cd65812631a5cf5d3ed";
static const char k_b_enc_hex[] = "5866666666666666666666666666666666666666666666666666666666666666";

/* ECDSA through the API with exact-size copies of every input. */
static int ecdsa_verify_exact(const signet_ec_key *key, const uint8_t *digest, size_t dl, const uint8_t *sig,
                              size_t sl) {
    uint8_t *d = dup_exact(digest, dl), *s = dup_exact(sig, sl);
    int ok = signet_ecdsa_verify(key, d, dl, s, sl);
    free(d);
    free(s);
    return ok;
}

static int ec_key_init_exact(signet_ec_key *key, int curve, const uint8_t *x, const uint8_t *y, size_t width) {
    uint8_t *xc = dup_exact(x, width), *yc = dup_exact(y, width);
    int ok = signet_ec_key_init(key, curve, xc, yc, width);
    free(xc);
    free(yc);
    return ok;
}

/* Ed25519 as the Swift caller does it: a signature of any other length than 64 is invalid. */
static int ed25519_verify_exact(const signet_ed25519_key *key, const uint8_t *sig, size_t sl, const uint8_t hram[64]) {
    if (sl != 64) return 0;
    uint8_t *s = dup_exact(sig, 64), *h = dup_exact(hram, 64);
    int ok = signet_ed25519_verify(key, s, h);
    free(s);
    free(h);
    return ok;
}

static int ed25519_key_init_exact(signet_ed25519_key *key, const uint8_t pk[32]) {
    uint8_t *p = dup_exact(pk, 32);
    int ok = signet_ed25519_key_init(key, p);
    free(p);
    return ok;
}

/* ---- 1. Wycheproof ------------------------------------------------------------------------------------------ */

/* Each curve's first valid vector, the base of the edge cases in part 2. */
typedef struct {
    int have;
    uint8_t x[66], y[66], digest[64], sig[132];
    size_t dl;
} ecdsa_base;
typedef struct {
    int have;
    uint8_t pk[32], sig[64], hram[64];
} ed25519_base;

static ecdsa_base g_ecdsa_base[3];
static ed25519_base g_ed_base;

/* "-" is empty; otherwise exactly strlen/2 bytes, at most cap. Returns the length or (size_t)-1. */
static size_t field(uint8_t *out, const char *s, size_t cap) {
    if (strcmp(s, "-") == 0) return 0;
    size_t n = strlen(s);
    if (n % 2 || n / 2 > cap) return (size_t)-1;
    unhex(out, s, n / 2);
    return n / 2;
}

typedef struct {
    unsigned long tests, valid, invalid, acceptable, acceptable_ok;
} tally;

static void count(tally *t, char verdict, int got) {
    t->tests++;
    if (verdict == '1') t->valid++;
    else if (verdict == '0') t->invalid++;
    else {
        t->acceptable++;
        t->acceptable_ok += (unsigned long)got;
    }
}

static int run_wycheproof(const char *path) {
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        perror(path);
        return 0;
    }
    char line[4096];
    signet_ec_key *ec = malloc(sizeof *ec);
    signet_ed25519_key *ed = malloc(sizeof *ed);
    if (ec == NULL || ed == NULL) exit(2);
    const curve_info *cur = NULL;
    int ec_ok = 0, ed_ok = 0, ci = -1, bad_input = 0;
    uint8_t kx[66], ky[66], pk[32];
    tally per[4];
    memset(per, 0, sizeof per);
    unsigned long groups = 0;
    double t0 = now();
    while (fgets(line, sizeof line, f) != NULL) {
        line[strcspn(line, "\n")] = 0;
        char *tok[6];
        int nt = 0;
        for (char *s = strtok(line, " "); s != NULL && nt < 6; s = strtok(NULL, " ")) tok[nt++] = s;
        if (nt == 0) continue;
        if (!strcmp(tok[0], "C") && nt == 4) {
            cur = curve_by_bits(atoi(tok[1]));
            if (cur == NULL || field(kx, tok[2], 66) != cur->width || field(ky, tok[3], 66) != cur->width) {
                bad_input++;
                cur = NULL;
                continue;
            }
            ci = (int)(cur - k_curves);
            ec_ok = ec_key_init_exact(ec, cur->id, kx, ky, cur->width);
            /* Wycheproof's ECDSA verification groups all carry valid public keys */
            CHECK(ec_ok, "%s Wycheproof key group %lu refused", cur->name, groups);
            groups++;
        } else if (!strcmp(tok[0], "S") && nt == 6 && cur != NULL) {
            uint8_t digest[64], sig[256];
            size_t dl = field(digest, tok[3], sizeof digest), sl = field(sig, tok[4], sizeof sig);
            if (dl == (size_t)-1 || sl == (size_t)-1) {
                bad_input++;
                continue;
            }
            const char verdict = tok[2][0];
            int got = ec_ok && ecdsa_verify_exact(ec, digest, dl, sig, sl);
            if (verdict != 'a') CHECK(got == (verdict == '1'), "%s tcId %s: got %d, want %c (%s)", cur->name, tok[1],
                                      got, verdict, tok[5]);
            count(&per[ci], verdict, got);
            ecdsa_base *b = &g_ecdsa_base[ci];
            if (!b->have && verdict == '1' && got && sl == 2 * cur->width) {
                b->have = 1;
                memcpy(b->x, kx, cur->width);
                memcpy(b->y, ky, cur->width);
                memcpy(b->digest, digest, dl);
                b->dl = dl;
                memcpy(b->sig, sig, sl);
            }
        } else if (!strcmp(tok[0], "E") && nt == 2) {
            cur = NULL;
            if (field(pk, tok[1], 32) != 32) {
                bad_input++;
                continue;
            }
            ed_ok = ed25519_key_init_exact(ed, pk);
            CHECK(ed_ok, "Ed25519 Wycheproof key group %lu refused", groups);
            ci = 3;
            groups++;
        } else if (!strcmp(tok[0], "D") && nt == 6 && ci == 3) {
            uint8_t hram[64], sig[256];
            size_t hl = field(hram, tok[3], sizeof hram), sl = field(sig, tok[4], sizeof sig);
            if (hl == (size_t)-1 || sl == (size_t)-1 || (hl != 64 && sl >= 32)) {
                bad_input++;
                continue;
            }
            const char verdict = tok[2][0];
            int got = ed_ok && ed25519_verify_exact(ed, sig, sl, hram);
            if (verdict != 'a') CHECK(got == (verdict == '1'), "Ed25519 tcId %s: got %d, want %c (%s)", tok[1], got,
                                      verdict, tok[5]);
            count(&per[3], verdict, got);
            if (!g_ed_base.have && verdict == '1' && got) {
                g_ed_base.have = 1;
                memcpy(g_ed_base.pk, pk, 32);
                memcpy(g_ed_base.sig, sig, 64);
                memcpy(g_ed_base.hram, hram, 64);
            }
        } else {
            bad_input++;
        }
    }
    fclose(f);
    free(ec);
    free(ed);
    CHECK(bad_input == 0, "%s: %d lines not understood", path, bad_input);
    static const char *names[4] = {"ECDSA P-256/SHA-256", "ECDSA P-384/SHA-384", "ECDSA P-521/SHA-512", "Ed25519"};
    unsigned long total = 0;
    for (int i = 0; i < 4; i++) {
        CHECK(per[i].tests > 0, "no Wycheproof vectors for %s", names[i]);
        total += per[i].tests;
        printf("  Wycheproof %-20s %4lu tests: %lu valid, %lu invalid, %lu acceptable (%lu of them verified)\n",
               names[i], per[i].tests, per[i].valid, per[i].invalid, per[i].acceptable, per[i].acceptable_ok);
    }
    printf("  Wycheproof: %lu key groups, %lu tests, %.2f s\n", groups, total, now() - t0);
    return 1;
}

/* ---- 2. edge cases ----------------------------------------------------------------------------------------- */

static void edge_ecdsa(const curve_info *c, const ecdsa_base *b) {
    const size_t w = c->width;
    uint8_t n[66], p[66], one[66], t[66], sig[132 + 2], x[66], y[66], digest[80];
    unhex(n, c->n_hex, w);
    unhex(p, c->p_hex, w);
    be_small(one, w, 1);
    signet_ec_key *key = malloc(sizeof *key), *bad = malloc(sizeof *bad);
    if (key == NULL || bad == NULL) exit(2);
    CHECK(ec_key_init_exact(key, c->id, b->x, b->y, w), "%s base key", c->name);
    CHECK(ecdsa_verify_exact(key, b->digest, b->dl, b->sig, 2 * w), "%s base signature", c->name);

    /* r, then s, replaced by 0, 1, n-1, n, n+1, all-0xff: all out of range or wrong */
    for (int half = 0; half < 2; half++) {
        for (int v = 0; v < 6; v++) {
            memcpy(sig, b->sig, 2 * w);
            uint8_t *k = sig + (size_t)half * w;
            switch (v) {
            case 0: memset(k, 0, w); break;
            case 1: memcpy(k, one, w); break;
            case 2: be_sub(k, n, one, w); break;
            case 3: memcpy(k, n, w); break;
            case 4: be_add(k, n, one, w); break;
            default: memset(k, 0xff, w); break;
            }
            static const char *what[6] = {"0", "1", "n-1", "n", "n+1", "all-0xff"};
            CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w), "%s %s = %s verified", c->name,
                  half ? "s" : "r", what[v]);
        }
    }
    memset(sig, 0, 2 * w);
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w), "%s r = s = 0 verified", c->name);
    /* (r, n - s) is the other valid signature for the same R's x */
    memcpy(sig, b->sig, 2 * w);
    be_sub(sig + w, n, b->sig + w, w);
    CHECK(ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w), "%s (r, n - s) refused", c->name);
    /* r + n (the same x mod n, but r must be below n) */
    memcpy(sig, b->sig, 2 * w);
    if (!be_add(t, b->sig, n, w)) { /* (skipped when r + n needs another byte) */
        memcpy(sig, t, w);
        CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w), "%s r + n verified", c->name);
    }
    /* lengths: 0, 2w - 1 (the last byte dropped), 2w + 1 (a byte appended), 2w + 2 */
    memcpy(sig, b->sig, 2 * w);
    sig[2 * w] = 0;
    sig[2 * w + 1] = 0;
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 0), "%s empty signature verified", c->name);
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w - 1), "%s truncated signature verified", c->name);
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w + 1), "%s oversize signature verified", c->name);
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w + 2), "%s oversize signature verified", c->name);
    /* r and s each left-padded or shifted: a 2w-byte buffer with r||s misaligned by a byte */
    memset(sig, 0, sizeof sig);
    memcpy(sig + 1, b->sig, w);
    memcpy(sig + 1 + w, b->sig + w, w - 1);
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl, sig, 2 * w), "%s shifted signature verified", c->name);
    /* digests: one byte short changes e; extra bytes past the order's width do not count */
    CHECK(!ecdsa_verify_exact(key, b->digest, b->dl - 1, b->sig, 2 * w), "%s short digest verified", c->name);
    CHECK(!ecdsa_verify_exact(key, b->digest, 0, b->sig, 2 * w), "%s empty digest verified", c->name);
    memcpy(digest, b->digest, b->dl);
    rnd_bytes(digest + b->dl, sizeof digest - b->dl);
    const size_t order_bytes = (size_t)(c->bits + 7) / 8;
    if (b->dl >= order_bytes) {
        CHECK(ecdsa_verify_exact(key, digest, sizeof digest, b->sig, 2 * w),
              "%s digest with extra bytes (leftmost bits(n) count) refused", c->name);
    } else {
        CHECK(!ecdsa_verify_exact(key, digest, sizeof digest, b->sig, 2 * w),
              "%s digest widened past bits(n) verified", c->name);
    }
    digest[0] ^= 0x80;
    CHECK(!ecdsa_verify_exact(key, digest, b->dl, b->sig, 2 * w), "%s changed digest verified", c->name);
    /* keys */
    CHECK(!ec_key_init_exact(bad, c->id, p, b->y, w), "%s key x = p accepted", c->name);
    CHECK(!ec_key_init_exact(bad, c->id, b->x, p, w), "%s key y = p accepted", c->name);
    CHECK(!signet_ecdsa_verify(bad, b->digest, b->dl, b->sig, 2 * w), "%s refused key verifies", c->name);
    memset(x, 0, w);
    memset(y, 0, w);
    CHECK(!ec_key_init_exact(bad, c->id, x, y, w), "%s key (0, 0) accepted", c->name);
    memcpy(y, b->y, w);
    be_add(y, y, one, w);
    CHECK(!ec_key_init_exact(bad, c->id, b->x, y, w), "%s key off the curve accepted", c->name);
    memset(x, 0xff, w);
    CHECK(!ec_key_init_exact(bad, c->id, x, b->y, w), "%s key x = all-0xff accepted", c->name);
    /* (x, p - y) = -Q is a valid key, and the base signature is not one of its */
    be_sub(y, p, b->y, w);
    CHECK(ec_key_init_exact(bad, c->id, b->x, y, w), "%s key -Q refused", c->name);
    CHECK(!ecdsa_verify_exact(bad, b->digest, b->dl, b->sig, 2 * w), "%s signature verified under -Q", c->name);
    CHECK(!ec_key_init_exact(bad, c->id, b->x, b->y, w - 1), "%s key of width w - 1 accepted", c->name);
    CHECK(!signet_ec_key_init(bad, 0, b->x, b->y, w), "%s key on curve 0 accepted", c->name);
    CHECK(!signet_ec_key_init(bad, 4, b->x, b->y, w), "%s key on curve 4 accepted", c->name);
    CHECK(!signet_ecdsa_verify(bad, b->digest, b->dl, b->sig, 2 * w), "%s refused key verifies", c->name);
    /* another curve's key of the same coordinates is refused (not on that curve, or wrong width) */
    for (int o = 0; o < 3; o++)
        if (k_curves[o].id != c->id)
            CHECK(!signet_ec_key_init(bad, k_curves[o].id, b->x, b->y, w), "%s key accepted as %s", c->name,
                  k_curves[o].name);
    /* NULL arguments */
    CHECK(!signet_ec_key_init(NULL, c->id, b->x, b->y, w), "NULL key");
    CHECK(!signet_ec_key_init(bad, c->id, NULL, b->y, w), "NULL x");
    CHECK(!signet_ec_key_init(bad, c->id, b->x, NULL, w), "NULL y");
    CHECK(!signet_ecdsa_verify(NULL, b->digest, b->dl, b->sig, 2 * w), "NULL key verify");
    CHECK(!signet_ecdsa_verify(key, NULL, b->dl, b->sig, 2 * w), "NULL digest");
    CHECK(!signet_ecdsa_verify(key, b->digest, b->dl, NULL, 2 * w), "NULL signature");
    /* the key still verifies after all that */
    CHECK(ecdsa_verify_exact(key, b->digest, b->dl, b->sig, 2 * w), "%s base signature after edges", c->name);
    free(key);
    free(bad);
}

/* Little-endian 32-byte S + L. */
static void le_add_l(uint8_t *s) {
    uint8_t l[32];
    unhex(l, k_l_hex, 32);
    unsigned c = 0;
    for (int i = 0; i < 32; i++) {
        c += (unsigned)s[i] + l[31 - i];
        s[i] = (uint8_t)c;
        c >>= 8;
    }
}

static void edge_ed25519(const ed25519_base *b) {
    signet_ed25519_key *key = malloc(sizeof *key), *bad = malloc(sizeof *bad);
    if (key == NULL || bad == NULL) exit(2);
    uint8_t sig[65], hram[64], pk[32];
    CHECK(ed25519_key_init_exact(key, b->pk), "Ed25519 base key");
    CHECK(ed25519_verify_exact(key, b->sig, 64, b->hram), "Ed25519 base signature");
    /* S = L, S + L, S = 0, S = all-0xff */
    memcpy(sig, b->sig, 32);
    for (int i = 0; i < 32; i++) sig[32 + i] = 0;
    le_add_l(sig + 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 S = L verified");
    memcpy(sig, b->sig, 64);
    le_add_l(sig + 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 S + L verified");
    memcpy(sig, b->sig, 64);
    memset(sig + 32, 0, 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 S = 0 verified");
    memset(sig + 32, 0xff, 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 S = all-0xff verified");
    /* R: sign bit flipped, all-0xff (non-canonical), zero */
    memcpy(sig, b->sig, 64);
    sig[31] ^= 0x80;
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 R sign flipped verified");
    memset(sig, 0xff, 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 R all-0xff verified");
    memset(sig, 0, 32);
    CHECK(!ed25519_verify_exact(key, sig, 64, b->hram), "Ed25519 R = 0 verified");
    /* hram changed, lengths */
    memcpy(hram, b->hram, 64);
    hram[63] ^= 1;
    CHECK(!ed25519_verify_exact(key, b->sig, 64, hram), "Ed25519 changed hram verified");
    memcpy(sig, b->sig, 64);
    sig[64] = 0;
    CHECK(!ed25519_verify_exact(key, sig, 63, b->hram), "Ed25519 63-byte signature verified");
    CHECK(!ed25519_verify_exact(key, sig, 65, b->hram), "Ed25519 65-byte signature verified");
    /* non-canonical and invalid keys */
    static const struct {
        const char *hex, *what;
    } bad_keys[] = {
        {"edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p"},
        {"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = p + 1"},
        {"eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "y = p + 1, sign bit"},
        {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", "y = 2^255 - 1"},
        {"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "y = 2^255 - 1, sign bit"},
        {"0100000000000000000000000000000000000000000000000000000000000080", "x = 0 with the sign bit (y = 1)"},
        {"0200000000000000000000000000000000000000000000000000000000000000", "y = 2 (no x)"},
    };
    for (size_t i = 0; i < sizeof bad_keys / sizeof bad_keys[0]; i++) {
        unhex(pk, bad_keys[i].hex, 32);
        CHECK(!ed25519_key_init_exact(bad, pk), "Ed25519 key %s accepted", bad_keys[i].what);
    }
    /* the identity (small order, canonical): [1]B - [k]O = B, so (R, S) = (B, 1) verifies for any hram */
    unhex(pk, "0100000000000000000000000000000000000000000000000000000000000000", 32);
    CHECK(ed25519_key_init_exact(bad, pk), "Ed25519 identity key refused");
    unhex(sig, k_b_enc_hex, 32);
    memset(sig + 32, 0, 32);
    sig[32] = 1;
    rnd_bytes(hram, 64);
    CHECK(ed25519_verify_exact(bad, sig, 64, hram), "Ed25519 identity key: (B, 1) refused");
    le_add_l(sig + 32);
    CHECK(!ed25519_verify_exact(bad, sig, 64, hram), "Ed25519 identity key: (B, 1 + L) verified");
    /* NULL arguments */
    CHECK(!signet_ed25519_key_init(NULL, b->pk), "Ed25519 NULL key");
    CHECK(!signet_ed25519_key_init(bad, NULL), "Ed25519 NULL public key");
    CHECK(!signet_ed25519_verify(NULL, b->sig, b->hram), "Ed25519 NULL key verify");
    CHECK(!signet_ed25519_verify(key, NULL, b->hram), "Ed25519 NULL signature");
    CHECK(!signet_ed25519_verify(key, b->sig, NULL), "Ed25519 NULL hram");
    CHECK(ed25519_verify_exact(key, b->sig, 64, b->hram), "Ed25519 base signature after edges");
    free(key);
    free(bad);
}

/* ---- 3. differential against OpenSSL ----------------------------------------------------------------------- */

#if defined(TEST_EC_OPENSSL)
#define OSSL_OK(x)                                                                                                     \
    do {                                                                                                               \
        if (!(x)) {                                                                                                    \
            fprintf(stderr, "OpenSSL call failed at %s:%d: %s\n", __FILE__, __LINE__, #x);                            \
            exit(2);                                                                                                   \
        }                                                                                                              \
    } while (0)

/* OpenSSL's verdict on (r, s) over `digest`: the pair DER-encoded, then EVP_PKEY_verify. */
static int ossl_ecdsa_verdict(EVP_PKEY *pk, const uint8_t *rs, size_t w, const uint8_t *digest, size_t dl) {
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(rs, (int)w, NULL), *s = BN_bin2bn(rs + w, (int)w, NULL);
    OSSL_OK(es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s));
    unsigned char *der = NULL;
    int derlen = i2d_ECDSA_SIG(es, &der);
    OSSL_OK(derlen > 0);
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
    OSSL_OK(ctx != NULL && EVP_PKEY_verify_init(ctx) == 1);
    int ok = EVP_PKEY_verify(ctx, der, (size_t)derlen, digest, dl) == 1;
    EVP_PKEY_CTX_free(ctx);
    OPENSSL_free(der);
    ECDSA_SIG_free(es);
    return ok;
}

static void diff_ecdsa(const curve_info *c, int nkeys, int nsigs) {
    const size_t w = c->width;
    uint8_t x[66], y[66], n[66], rs[132], digest[80];
    unhex(n, c->n_hex, w);
    signet_ec_key *key = malloc(sizeof *key);
    if (key == NULL) exit(2);
    unsigned long agreed = 0, before = g_failed;
    double t0 = now();
    for (int k = 0; k < nkeys; k++) {
        EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "EC", (char *)c->name);
        BIGNUM *bx = NULL, *by = NULL;
        OSSL_OK(pk != NULL && EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_X, &bx) &&
                EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_EC_PUB_Y, &by));
        OSSL_OK(BN_bn2binpad(bx, x, (int)w) == (int)w && BN_bn2binpad(by, y, (int)w) == (int)w);
        BN_free(bx);
        BN_free(by);
        CHECK(ec_key_init_exact(key, c->id, x, y, w), "%s OpenSSL key refused", c->name);
        for (int m = 0; m < nsigs; m++) {
            /* digest lengths 0 to 80 bytes: shorter than, equal to and longer than the order */
            size_t dl = (size_t)(rnd() % (sizeof digest + 1));
            if (m == 0) dl = (size_t)(c->bits + 7) / 8;
            rnd_bytes(digest, dl);
            EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pk, NULL);
            unsigned char der[160];
            size_t derlen = sizeof der;
            OSSL_OK(ctx != NULL && EVP_PKEY_sign_init(ctx) == 1);
            OSSL_OK(EVP_PKEY_sign(ctx, der, &derlen, digest, dl) == 1);
            EVP_PKEY_CTX_free(ctx);
            const unsigned char *pp = der;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &pp, (long)derlen);
            OSSL_OK(es != NULL);
            OSSL_OK(BN_bn2binpad(ECDSA_SIG_get0_r(es), rs, (int)w) == (int)w &&
                    BN_bn2binpad(ECDSA_SIG_get0_s(es), rs + w, (int)w) == (int)w);
            ECDSA_SIG_free(es);
            CHECK(ecdsa_verify_exact(key, digest, dl, rs, 2 * w), "%s OpenSSL signature refused (digest %zu bytes)",
                  c->name, dl);
            /* single-bit changes of (r, s) and of the digest, (r, n - s), random (r, s): OpenSSL's verdict */
            for (int v = 0; v < 4; v++) {
                uint8_t rs2[132], d2[80];
                memcpy(rs2, rs, 2 * w);
                memcpy(d2, digest, dl);
                if (v == 0) {
                    size_t bit = (size_t)(rnd() % (16 * w));
                    rs2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                } else if (v == 1) {
                    if (dl == 0) continue;
                    size_t bit = (size_t)(rnd() % (8 * dl));
                    d2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                } else if (v == 2) {
                    be_sub(rs2 + w, n, rs + w, w);
                } else {
                    rnd_bytes(rs2, 2 * w);
                    if (c->bits == 521) {
                        rs2[0] &= 1;
                        rs2[w] &= 1;
                    }
                }
                int ours = ecdsa_verify_exact(key, d2, dl, rs2, 2 * w);
                int theirs = ossl_ecdsa_verdict(pk, rs2, w, d2, dl);
                CHECK(ours == theirs, "%s change %d: Signet %d, OpenSSL %d (digest %zu bytes)", c->name, v, ours,
                      theirs, dl);
                agreed += ours == theirs;
            }
        }
        EVP_PKEY_free(pk);
    }
    free(key);
    printf("  OpenSSL differential %s: %d keys x %d signatures verified, %lu changed ones with OpenSSL's verdict%s, "
           "%.2f s\n", c->name, nkeys, nsigs, agreed, g_failed == before ? "" : " (FAILURES)", now() - t0);
}

static void sha512_hram(uint8_t out[64], const uint8_t *r, const uint8_t *a, const uint8_t *msg, size_t ml) {
    EVP_MD_CTX *h = EVP_MD_CTX_new();
    OSSL_OK(h != NULL && EVP_DigestInit_ex(h, EVP_sha512(), NULL) && EVP_DigestUpdate(h, r, 32) &&
            EVP_DigestUpdate(h, a, 32) && EVP_DigestUpdate(h, msg, ml) && EVP_DigestFinal_ex(h, out, NULL));
    EVP_MD_CTX_free(h);
}

static int ossl_ed25519_verdict(EVP_PKEY *pk, const uint8_t sig[64], const uint8_t *msg, size_t ml) {
    EVP_MD_CTX *m = EVP_MD_CTX_new();
    OSSL_OK(m != NULL && EVP_DigestVerifyInit_ex(m, NULL, NULL, NULL, NULL, pk, NULL) == 1);
    int ok = EVP_DigestVerify(m, sig, 64, msg, ml) == 1;
    EVP_MD_CTX_free(m);
    return ok;
}

static void diff_ed25519(int nkeys, int nsigs) {
    signet_ed25519_key *key = malloc(sizeof *key);
    if (key == NULL) exit(2);
    unsigned long agreed = 0, before = g_failed;
    double t0 = now();
    uint8_t pub[32], sig[64], msg[128], hram[64];
    for (int k = 0; k < nkeys; k++) {
        EVP_PKEY *pk = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
        size_t pl = sizeof pub;
        OSSL_OK(pk != NULL && EVP_PKEY_get_raw_public_key(pk, pub, &pl) && pl == 32);
        CHECK(ed25519_key_init_exact(key, pub), "Ed25519 OpenSSL key refused");
        for (int m = 0; m < nsigs; m++) {
            size_t ml = (size_t)(rnd() % (sizeof msg + 1));
            rnd_bytes(msg, ml);
            EVP_MD_CTX *mc = EVP_MD_CTX_new();
            size_t sl = sizeof sig;
            OSSL_OK(mc != NULL && EVP_DigestSignInit_ex(mc, NULL, NULL, NULL, NULL, pk, NULL) == 1 &&
                    EVP_DigestSign(mc, sig, &sl, msg, ml) == 1 && sl == 64);
            EVP_MD_CTX_free(mc);
            sha512_hram(hram, sig, pub, msg, ml);
            CHECK(ed25519_verify_exact(key, sig, 64, hram), "Ed25519 OpenSSL signature refused");
            for (int v = 0; v < 3; v++) {
                uint8_t s2[64], m2[128];
                memcpy(s2, sig, 64);
                memcpy(m2, msg, ml);
                if (v == 0) {
                    size_t bit = (size_t)(rnd() % 512);
                    s2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                } else if (v == 1) {
                    if (ml == 0) continue;
                    size_t bit = (size_t)(rnd() % (8 * ml));
                    m2[bit / 8] ^= (uint8_t)(1u << (bit % 8));
                } else {
                    le_add_l(s2 + 32);
                }
                sha512_hram(hram, s2, pub, m2, ml);
                int ours = ed25519_verify_exact(key, s2, 64, hram);
                int theirs = ossl_ed25519_verdict(pk, s2, m2, ml);
                CHECK(ours == theirs, "Ed25519 change %d: Signet %d, OpenSSL %d", v, ours, theirs);
                agreed += ours == theirs;
            }
        }
        EVP_PKEY_free(pk);
    }
    /* the identity key and (B, 1), as in part 2: OpenSSL's verdict too */
    uint8_t ident[32] = {1};
    EVP_PKEY *pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, ident, 32);
    OSSL_OK(pk != NULL);
    unhex(sig, k_b_enc_hex, 32);
    memset(sig + 32, 0, 32);
    sig[32] = 1;
    rnd_bytes(msg, 16);
    sha512_hram(hram, sig, ident, msg, 16);
    CHECK(ed25519_key_init_exact(key, ident), "Ed25519 identity key refused");
    int ours = ed25519_verify_exact(key, sig, 64, hram), theirs = ossl_ed25519_verdict(pk, sig, msg, 16);
    CHECK(ours == theirs, "Ed25519 identity key with (B, 1): Signet %d, OpenSSL %d", ours, theirs);
    EVP_PKEY_free(pk);
    free(key);
    printf("  OpenSSL differential Ed25519: %d keys x %d signatures verified, %lu changed ones with OpenSSL's "
           "verdict%s; identity key with (B, 1): Signet %d, OpenSSL %d; %.2f s\n", nkeys, nsigs, agreed,
           g_failed == before ? "" : " (FAILURES)", ours, theirs, now() - t0);
}
#endif

/* ---------------------------------------------------------------------------------------------------------- */

int main(int argc, char **argv) {
    const char *vectors = NULL;
    int dkeys = 8, dsigs = 8;
    uint64_t sd = (uint64_t)time(NULL);
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--vectors") && i + 1 < argc) vectors = argv[++i];
        else if (!strcmp(argv[i], "--diff-keys") && i + 1 < argc) dkeys = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--diff-sigs") && i + 1 < argc) dsigs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) sd = strtoull(argv[++i], NULL, 0);
        else {
            fprintf(stderr, "usage: %s --vectors FILE [--diff-keys N] [--diff-sigs N] [--seed S]\n", argv[0]);
            return 2;
        }
    }
    if (vectors == NULL) {
        fprintf(stderr, "%s: --vectors FILE is required (perf/ec/wycheproof_ec_to_txt.py writes it)\n", argv[0]);
        return 2;
    }
    g_rng = sd;
    double t0 = now();
    printf("test_ec: seed %llu\n", (unsigned long long)sd);
    if (!run_wycheproof(vectors)) return 2;
    unsigned long before = g_failed, checks0 = g_passed + g_failed;
    for (int i = 0; i < 3; i++) {
        CHECK(g_ecdsa_base[i].have, "no valid %s vector to build edge cases from", k_curves[i].name);
        if (g_ecdsa_base[i].have) edge_ecdsa(&k_curves[i], &g_ecdsa_base[i]);
    }
    CHECK(g_ed_base.have, "no valid Ed25519 vector to build edge cases from");
    if (g_ed_base.have) edge_ed25519(&g_ed_base);
    printf("  edge cases: %lu checks%s\n", g_passed + g_failed - checks0, g_failed == before ? "" : " (FAILURES)");
#if defined(TEST_EC_OPENSSL)
    if (dkeys > 0 && dsigs > 0) {
        for (int i = 0; i < 3; i++) diff_ecdsa(&k_curves[i], dkeys, dsigs);
        diff_ed25519(dkeys, dsigs);
    }
#else
    (void)dkeys;
    (void)dsigs;
    printf("  OpenSSL differential: not built (no -DTEST_EC_OPENSSL)\n");
#endif
    printf("test_ec: %lu passed, %lu failed (%.1f s)\n", g_passed, g_failed, now() - t0);
    return g_failed ? 1 : 0;
}
