/* SPDX-License-Identifier: Apache-2.0 */
/*
 * perf/ctest.h - what the C test drivers share: pass/fail counters with a CHECK that reports the first 40 failures
 * (unless CTEST_OWN_CHECK is defined), and reading the hex fields of the vector files the Python converters write.
 */
#ifndef SIGNET_PERF_CTEST_H
#define SIGNET_PERF_CTEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#ifndef CTEST_OWN_CHECK /* a driver with a CHECK of its own (perf/ifma/test_ifma.c) takes only the hex helpers */
static unsigned long g_passed, g_failed;

#define CHECK(cond, ...)                                                                                               \
    do {                                                                                                               \
        if (cond) {                                                                                                    \
            g_passed++;                                                                                                \
        } else {                                                                                                       \
            g_failed++;                                                                                                \
            if (g_failed <= 40) {                                                                                      \
                fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                                   \
                fprintf(stderr, __VA_ARGS__);                                                                          \
                fputc('\n', stderr);                                                                                   \
            }                                                                                                          \
        }                                                                                                              \
    } while (0)
#endif

/* Hex digits to big-endian bytes: "-" is empty, an odd count (Python's %x) has an implicit leading zero. Returns
 * the byte count, or 0 when it would exceed cap (an empty field, which no caller takes for a key or a signature). */
static inline size_t ctest_unhex(uint8_t *out, const char *s, size_t cap)
{
    if (strcmp(s, "-") == 0)
        return 0;
    size_t len = strlen(s), n = (len + 1) / 2, odd = len % 2;
    if (n > cap)
        return 0;
    memset(out, 0, n);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned v = (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        size_t pos = i + odd;
        out[pos / 2] |= (uint8_t)(v << ((pos % 2) ? 0 : 4));
    }
    return n;
}

/* The bit length of a big-endian number. */
static inline int ctest_bitlen(const uint8_t *x, size_t len)
{
    size_t i = 0;
    while (i < len && x[i] == 0)
        i++;
    if (i == len)
        return 0;
    int b = 0;
    for (unsigned v = x[i]; v != 0; v >>= 1)
        b++;
    return (int)(len - i - 1) * 8 + b;
}

#endif
