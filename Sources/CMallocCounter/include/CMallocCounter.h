/* SPDX-License-Identifier: Apache-2.0 */
/* Per-thread count of heap allocations, for `signet bench`'s allocations-per-operation column. Linked only into
 * the signet executable (never into the libraries): it defines malloc/calloc/realloc/memalign-family wrappers that
 * count on the calling thread and forward to glibc's __libc_* implementations. Disabled under sanitizers. */
#ifndef SIGNET_CMALLOCCOUNTER_H
#define SIGNET_CMALLOCCOUNTER_H
#include <stdint.h>
/* Allocations made by the calling thread so far (0 forever when counting is unavailable). */
uint64_t signet_thread_allocation_count(void);
/* 1 when allocations are being counted in this build. */
int signet_allocation_counting_available(void);
#endif
