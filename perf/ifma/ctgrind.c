/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ctgrind.c - constant-time check under Valgrind memcheck (run by perf/ifma/ctgrind.sh).
 *
 * The secret key components (p, q, dp, dq, qinv) and every random byte given to the engine are marked undefined
 * with VALGRIND_MAKE_MEM_UNDEFINED. Memcheck then reports any conditional branch or memory address that depends
 * on them ("Conditional jump or move depends on uninitialised value(s)", "Use of uninitialised value of size 8").
 * The engine (built with -DSIGNET_IFMA_CTGRIND) declassifies exactly three public facts: whether the key passed its
 * checks, whether the blinding pair is valid, and, after verify-after-sign, whether the signature verified, plus
 * the verified signature itself. Everything else - key load, blinding generation by Fermat inversion, blinding
 * refresh, exponentiation, Garner, unblinding, verify - runs on undefined data.
 */
#define _POSIX_C_SOURCE 200809L
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "ifma_internal.h"
#include "ifma_test_api.h"
#include "signet_ifma.h"
#include "testkeys.h"

static int run(int backend, int bits, int calls, const char *cache)
{
    const size_t k = (size_t)bits / 8;
    EVP_PKEY *pk = get_key(cache, bits, 0);
    raw_key rk;
    if (pk == NULL || !raw_from_pkey(pk, &rk))
        return 1;
    uint8_t in[512], out[512], want[512], fresh[512];
    VALGRIND_MAKE_MEM_UNDEFINED(rk.p, rk.pl);
    VALGRIND_MAKE_MEM_UNDEFINED(rk.q, rk.ql);
    VALGRIND_MAKE_MEM_UNDEFINED(rk.dp, rk.dpl);
    VALGRIND_MAKE_MEM_UNDEFINED(rk.dq, rk.dql);
    VALGRIND_MAKE_MEM_UNDEFINED(rk.qi, rk.qil);
    int err = -1, bad = 0;
    signet_rsa_engine_key *key = load_raw(&rk, backend, &err);
    if (key == NULL) {
        fprintf(stderr, "key_new: %d\n", err);
        return 1;
    }
    RAND_bytes(fresh, (int)k);
    VALGRIND_MAKE_MEM_UNDEFINED(fresh, k);
    signet_rsa_blinding *bl = signet_rsa_blinding_new(key, fresh, k, &err); /* blinding by Fermat inversion */
    if (bl == NULL) {
        fprintf(stderr, "blinding_new: %d\n", err);
        return 1;
    }
    for (int i = 0; i < calls; i++) {
        RAND_bytes(in, (int)k);
        in[0] &= 0x7F; /* public input < n */
        RAND_bytes(fresh, (int)k);
        VALGRIND_MAKE_MEM_UNDEFINED(fresh, k);
        signet_ifma_test_fault = (i == calls - 1) ? 1 : 0; /* last call: the fault path must be constant-time too */
        int rc = signet_rsa_engine_private(key, bl, in, out, fresh, k);
        signet_ifma_test_fault = 0;
        if (i == calls - 1) {
            bad |= rc != SIGNET_IFMA_ERR_FAULT;
        } else {
            bad |= rc != 0 || !ossl_raw_sign(pk, in, k, want) || memcmp(out, want, k) != 0;
        }
    }
    signet_rsa_blinding_free(bl);
    signet_rsa_engine_key_free(key);
    EVP_PKEY_free(pk);
    printf("ctgrind: backend %d, RSA-%d: key load, blinding generation, %d private operations (last one faulted): %s\n",
           backend, bits, calls, bad ? "WRONG RESULTS" : "results ok");
    return bad;
}

int main(int argc, char **argv)
{
    const char *cache = argc > 1 ? argv[1] : "/tmp/signet-ifma-keys";
    int backend = argc > 2 ? atoi(argv[2]) : 0;
    int bits = argc > 3 ? atoi(argv[3]) : 2048;
    int calls = argc > 4 ? atoi(argv[4]) : 3;
    /* "adx": the mod-n arithmetic on the MULX/ADX row. Valgrind's virtual CPU does not report BMI2/ADX in CPUID
       (so the engine would pick the portable row) but executes the instructions; kind 2 skips the CPUID check. */
    if (argc > 5 && !strcmp(argv[5], "adx") && !signet_ifma_test_row(2)) {
        fprintf(stderr, "the MULX/ADX row is not compiled in here\n");
        return 2;
    }
    printf("ctgrind: mod-n row %s\n", sbn_row_kind() ? "MULX/ADX" : "portable C");
    return run(backend, bits, calls, cache);
}
