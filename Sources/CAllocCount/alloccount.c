// Counts heap allocations by wrapping glibc's allocator entry points. The executable's
// definitions interpose the C library's for every shared object in the process (ELF symbol
// interposition), so allocations made by the Swift runtime are counted too.
#include "CAllocCount.h"
#include <stddef.h>
#include <errno.h>
#include <malloc.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static uint64_t allocations;
// Per thread as well, so a test can count its own work while other tests run on other threads.
// Initial-exec TLS: reading it never calls back into the allocator. Live bytes are what the thread's
// blocks hold (usable sizes), less what it freed.
static __thread uint64_t thread_allocations __attribute__((tls_model("initial-exec")));
static __thread uint64_t thread_bytes __attribute__((tls_model("initial-exec")));
static __thread int64_t thread_live_bytes __attribute__((tls_model("initial-exec")));

static inline void *counted(void *p, size_t bytes) {
    __atomic_fetch_add(&allocations, 1, __ATOMIC_RELAXED);
    thread_allocations += 1;
    thread_bytes += bytes;
    if (p) thread_live_bytes += (int64_t)malloc_usable_size(p);
    return p;
}

static inline void released(void *p) {
    if (p) thread_live_bytes -= (int64_t)malloc_usable_size(p);
}

uint64_t wirelab_allocation_count(void) { return __atomic_load_n(&allocations, __ATOMIC_RELAXED); }
uint64_t wirelab_thread_allocation_count(void) { return thread_allocations; }
uint64_t wirelab_thread_allocated_bytes(void) { return thread_bytes; }
int64_t wirelab_thread_live_bytes(void) { return thread_live_bytes; }

void *malloc(size_t n) { return counted(__libc_malloc(n), n); }
void *calloc(size_t m, size_t n) { return counted(__libc_calloc(m, n), m * n); }
void *realloc(void *p, size_t n) {
    released(p);
    return counted(__libc_realloc(p, n), n);
}
void free(void *p) { released(p); __libc_free(p); }
void *memalign(size_t a, size_t n) { return counted(__libc_memalign(a, n), n); }
void *aligned_alloc(size_t a, size_t n) { return counted(__libc_memalign(a, n), n); }
int posix_memalign(void **out, size_t a, size_t n) {
    void *p = counted(__libc_memalign(a, n), n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
