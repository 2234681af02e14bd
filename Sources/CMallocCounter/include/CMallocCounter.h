/* SPDX-License-Identifier: Apache-2.0 */
/* Per-thread count of heap allocations, for `signet bench`'s allocations-per-operation column. Built only as the
 * dynamic library libSignetMallocCounter.so, which `signet bench` preloads into itself (never linked into signet or
 * the libraries, so `signet serve` keeps the system allocator): it defines malloc/calloc/realloc/memalign-family
 * wrappers that count on the calling thread and forward to glibc's __libc_* implementations, found with dlsym.
 * Disabled under sanitizers. */
#ifndef SIGNET_CMALLOCCOUNTER_H
#define SIGNET_CMALLOCCOUNTER_H
#include <stdint.h>
/* Allocations made by the calling thread so far (0 forever when counting is unavailable). */
uint64_t signet_thread_allocation_count(void);
/* 1 when allocations are being counted in this build. */
int signet_allocation_counting_available(void);
#endif
