/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ifma_cpu.c - CPU and OS support: which IFMA widths CPUID and XCR0 report, and the backend table lookup (a native
 * backend only where the CPU and the OS can run it). Nothing secret here.
 */
#include "signet_ifma.h"
#include "ifma_internal.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#define IFMA_HAVE_X86 1
#endif

#if defined(SIGNET_IFMA_FAKE_INTRINSICS)
#define IFMA_NATIVE_USABLE(bit) 1 /* test build: native backends run Intel's pseudocode (perf/ifma) */
#else
#define IFMA_NATIVE_USABLE(bit) ((signet_ifma_support() & (bit)) != 0)
#endif

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
