/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_testing.c - test-only entry points (ifma_test_api.h), compiled only with -DSIGNET_IFMA_TESTING (never in the
 * Swift target, where this file declares nothing of its own).
 */
#include <string.h>

#include "ifma_rsa_internal.h"
#include "ifma_test_api.h"

/* ------------------------------------------------------------------------------------------------------------ */
/* Test-only entry points                                                                                       */

#if defined(SIGNET_IFMA_TESTING)
int signet_ifma_test_fault = 0;
#endif

#if defined(SIGNET_IFMA_TESTING)
int signet_ifma_test_lanes(int backend)
{
    const ifma_backend *be = ifma_backend_get(backend);
    return be != NULL ? be->lanes : 0;
}

void signet_ifma_test_prim(int backend, int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *out)
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
    if (be == NULL || (hbits != 1024 && hbits != 1536 && hbits != 2048))
        return NULL;
    ifma_test_ctx *ctx = ifma_alloc64(sizeof *ctx);
    if (ctx == NULL)
        return NULL;
    ctx->be = be;
    ctx->hbits = hbits;
    ctx->hw = hbits / 64;
    ctx->nlimbs = hbits == 1024 ? 20 : hbits == 1536 ? 30 : 40;
    memcpy(ctx->mw[0], m0, ctx->hw * 8);
    memcpy(ctx->mw[1], m1, ctx->hw * 8);
    ifma_setup_half(&ctx->m[0], m0, ctx->hw, ctx->nlimbs, ctx->t, ctx->u);
    ifma_setup_half(&ctx->m[1], m1, ctx->hw, ctx->nlimbs, ctx->t, ctx->u);
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
    ctx->be->crt_exp[ctx->nlimbs == 20   ? 0
                     : ctx->nlimbs == 30 ? 2
                                         : 1](&ctx->m[0], &ctx->m[1], ctx->x[0], ctx->x[1], ctx->e[0], ctx->e[1],
                                              ctx->hbits, ctx->o[0], ctx->o[1], &ctx->ws);
    ifma_finish_half(r0, ctx->o[0], ctx->mw[0], hw, ctx->nlimbs, ctx->t);
    ifma_finish_half(r1, ctx->o[1], ctx->mw[1], hw, ctx->nlimbs, ctx->t);
}

void signet_ifma_test_ctx_free(ifma_test_ctx *ctx) { ifma_free_wiped(ctx, sizeof *ctx); }

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
    ifma_pub_exp_portable(pub, s, v, b, t);
    sbn_to_bytes(out, pub->k, v, nw);
    return SIGNET_IFMA_OK;
}
#endif
