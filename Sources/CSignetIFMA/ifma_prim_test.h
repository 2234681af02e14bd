/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_prim_test.h - template: exposes a backend's lane primitives to the test driver (one switch, no logic).
 * Included by each backend translation unit after its primitives; PRIM_FN names the function.
 */
IFMA_TARGET static void PRIM_FN(int op, const uint64_t *a, const uint64_t *b, const uint64_t *c, uint64_t *out)
{
    const vec va = v_loadu(a), vb = v_loadu(b), vc = v_loadu(c);
    vec r = v_zero();
    out[0] = 0;
    switch (op) {
    case IFMA_OP_ADD: r = v_add(va, vb); break;
    case IFMA_OP_AND: r = v_and(va, vb); break;
    case IFMA_OP_OR: r = v_or(va, vb); break;
    case IFMA_OP_SRLI52: r = v_srli52(va); break;
    case IFMA_OP_MADD52LO: r = v_madd52lo(va, vb, vc); break;
    case IFMA_OP_MADD52HI: r = v_madd52hi(va, vb, vc); break;
    case IFMA_OP_SHR1: r = v_shr1(va, vb); break;
    case IFMA_OP_SHL1: r = v_shl1(va, vb); break;
    case IFMA_OP_CMPGT: out[0] = v_cmpgt_mask(va, vb); return;
    case IFMA_OP_CMPEQ: out[0] = v_cmpeq_mask(va, vb); return;
    case IFMA_OP_MASKADD1: r = v_mask_add1(va, (unsigned)c[0]); break;
    case IFMA_OP_LANE0: out[0] = v_lane0(va); return;
    case IFMA_OP_SET1: r = v_set1(a[0]); break;
    case IFMA_OP_ZERO: r = v_zero(); break;
    default: return;
    }
    (void)vc;
    v_storeu(out, r);
}
