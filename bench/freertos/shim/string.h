/* Minimal libc header shim (no C library installed; -nostdlib build).
 * memset/memcpy are implemented in ../minilibc.c. */
#ifndef KITE_BENCH_SHIM_STRING_H
#define KITE_BENCH_SHIM_STRING_H
#include <stddef.h>
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
#endif
