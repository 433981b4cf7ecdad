#ifndef CALLOCCOUNT_H
#define CALLOCCOUNT_H
#include <stdint.h>
/// Number of heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign)
/// made by the process so far. Linking this target replaces the allocator entry points with
/// thin wrappers around glibc's, so benchmarks can report allocations per event exactly.
uint64_t wirelab_allocation_count(void);
/// Allocations made by the calling thread so far, and the bytes they asked for.
uint64_t wirelab_thread_allocation_count(void);
uint64_t wirelab_thread_allocated_bytes(void);
/// Heap bytes the calling thread's live blocks hold (usable sizes of what it allocated, less what it freed).
int64_t wirelab_thread_live_bytes(void);
#endif
