/* SPDX-License-Identifier: Apache-2.0 */
#include "CMallocCounter.h"
#include <stddef.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define SIGNET_NO_MALLOC_COUNTER 1
#endif
#endif

#if defined(__linux__) && defined(__GLIBC__) && !defined(SIGNET_NO_MALLOC_COUNTER)
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

/* initial-exec: the library is preloaded, so its TLS is in the static block and no access can call malloc. */
static __thread uint64_t signet_allocations __attribute__((tls_model("initial-exec")));

void *malloc(size_t n) { signet_allocations++; return __libc_malloc(n); }
void *calloc(size_t c, size_t n) { signet_allocations++; return __libc_calloc(c, n); }
void *realloc(void *p, size_t n) { signet_allocations++; return __libc_realloc(p, n); }
void free(void *p) { __libc_free(p); }
void *memalign(size_t a, size_t n) { signet_allocations++; return __libc_memalign(a, n); }
void *aligned_alloc(size_t a, size_t n) { signet_allocations++; return __libc_memalign(a, n); }
int posix_memalign(void **out, size_t a, size_t n) {
    signet_allocations++;
    void *p = __libc_memalign(a, n);
    if (!p) return 12; /* ENOMEM */
    *out = p;
    return 0;
}
uint64_t signet_thread_allocation_count(void) { return signet_allocations; }
int signet_allocation_counting_available(void) { return 1; }
#else
uint64_t signet_thread_allocation_count(void) { return 0; }
int signet_allocation_counting_available(void) { return 0; }
#endif
