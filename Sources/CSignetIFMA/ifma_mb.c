/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_mb.c - the multi-buffer kernel's backend lookup (issue 30). The kernels themselves are instantiated in the
 * backend translation units (ifma_emu4.c, ifma_emu8.c, ifma_avx256.c, ifma_avx512.c), next to their primitives.
 */
#include "signet_ifma.h"
#include "ifma_mb.h"

const ifma_mb_backend *ifma_mb_backend_get(int backend)
{
    if (ifma_backend_get(backend) == NULL) /* the same CPU/OS checks as the single-signature kernel */
        return NULL;
    switch (backend) {
    case SIGNET_IFMA_BACKEND_EMULATED: return &ifma_mb_backend_emu4;
    case SIGNET_IFMA_BACKEND_EMULATED512: return &ifma_mb_backend_emu8;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    case SIGNET_IFMA_BACKEND_NATIVE256: return &ifma_mb_backend_avx256;
    case SIGNET_IFMA_BACKEND_NATIVE512: return &ifma_mb_backend_avx512;
#endif
    default: return NULL;
    }
}
