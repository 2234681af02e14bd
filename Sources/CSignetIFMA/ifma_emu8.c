/* SPDX-License-Identifier: Apache-2.0 */
/* ifma_emu8.c - the kernel on portable emulated lanes, 8 per vector (mirrors the 512-bit native backend). */
#include "ifma_internal.h"

#define IFMA_L 8
#include "ifma_emu.h"

#define IFMA_KERNEL_PRIVATE
#define IFMA_N 20
#define KN(x) ifma_emu8_n20_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 40
#define KN(x) ifma_emu8_n40_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN

#undef IFMA_KERNEL_PRIVATE
#define IFMA_N 80
#define KN(x) ifma_emu8_n80_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

/* RSA-3072: 1536-bit CRT halves (N = 30) and the whole 3072-bit modulus (N = 60). */
#define IFMA_KERNEL_PRIVATE
#define IFMA_N 30
#define KN(x) ifma_emu8_n30_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PRIVATE

#define IFMA_KERNEL_PUBLIC
#define IFMA_N 60
#define KN(x) ifma_emu8_n60_##x
#include "ifma_kernel.h"
#undef IFMA_N
#undef KN
#undef IFMA_KERNEL_PUBLIC

#define PRIM_FN ifma_emu8_prim
#include "ifma_prim_test.h"

/* The multi-buffer kernel (issue 30, ifma_mb_kernel.h): 8 lanes, one number and modulus per lane. */
#define IFMA_MB_EMULATED
#include "ifma_mb.h"
#define IFMA_N 20
#define MBN(x) ifma_emu8_n20_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 30
#define MBN(x) ifma_emu8_n30_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
#define IFMA_N 40
#define MBN(x) ifma_emu8_n40_##x
#include "ifma_mb_kernel.h"
#undef IFMA_N
#undef MBN
const ifma_mb_backend ifma_mb_backend_emu8 = {8,
                                              {ifma_emu8_n20_mb_amm, ifma_emu8_n30_mb_amm, ifma_emu8_n40_mb_amm},
                                              {ifma_emu8_n20_mb_ams, ifma_emu8_n30_mb_ams, ifma_emu8_n40_mb_ams},
                                              {ifma_emu8_n20_mb_redc, ifma_emu8_n30_mb_redc, ifma_emu8_n40_mb_redc},
                                              {ifma_emu8_n20_mb_exp, ifma_emu8_n30_mb_exp, ifma_emu8_n40_mb_exp}};

const ifma_backend ifma_backend_emu8 = {8,
                                        {ifma_emu8_n20_crt_exp, ifma_emu8_n40_crt_exp, ifma_emu8_n30_crt_exp},
                                        {ifma_emu8_n40_pub_exp, ifma_emu8_n80_pub_exp, ifma_emu8_n60_pub_exp},
                                        ifma_emu8_prim};
