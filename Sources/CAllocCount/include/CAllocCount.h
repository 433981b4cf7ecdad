#ifndef CALLOCCOUNT_H
#define CALLOCCOUNT_H
#include <stdint.h>
/// Number of heap allocations (malloc, calloc, realloc, posix_memalign, aligned_alloc, memalign)
/// made by the process so far. Linking this target replaces the allocator entry points with
/// thin wrappers around glibc's, so benchmarks can report allocations per event exactly.
uint64_t wirelab_allocation_count(void);
#endif
